/*
 * cmd_serve.c - `parity serve`: run the hub over the store until Ctrl-C
 * or SIGTERM (server/server.h).
 */
#include "cli.h"

#include "store/store.h"

#include "base/number.h"
#include "server.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity serve [--db PATH] [--listen ADDR:PORT] [--site DIR]\n"
	"                    [--uploads DIR] [--cert FILE --key FILE]\n"
	"                    [--threads N]\n"
	"                    [--session-idle SECONDS] [--session-max SECONDS]\n"
	"                    [--returns-due MM-DD] [--max-attachment BYTES]\n"
	"       parity serve --routes\n"
	"\n"
	"Runs the pan-London hub over the store: the JSON API under /api/v1\n"
	"(docs/api.yaml) for councils' accounts, analysts and scripts, and\n"
	"the published site (--site, the folder `parity publish` writes)\n"
	"for everyone. It listens on 127.0.0.1:8080 unless --listen says\n"
	"otherwise (port 0: any free port), over TLS with --cert and --key\n"
	"(PEM). One line per request goes to standard output, as JSON (no\n"
	"personal data, no tokens). Ctrl-C or SIGTERM stops it: requests\n"
	"being answered finish first, so an upload is stored whole or not at\n"
	"all. A session ends after --session-idle seconds unused (default\n"
	"1800) and --session-max seconds after sign-in (default 43200).\n"
	"Returns for staff at 31 March of a year are due by --returns-due\n"
	"of that year (default 09-30): the analysts' status page marks those\n"
	"sent later as late, and those not sent after it as overdue.\n"
	"A document attached to a practice record may be at most\n"
	"--max-attachment bytes (default 10485760, 10 MiB; at most 60 MiB).\n"
	"Uploads wait to be checked in --uploads DIR (mode 0700, made if\n"
	"missing; default: the store file's name with .uploads). A store in\n"
	"PostgreSQL (--db postgresql://...) needs --uploads, and its key in\n"
	"the file PARITY_KEY names; the hub must connect as a role granted\n"
	"parity_hub, never the tables' owner (docs/deployment.md). Several\n"
	"hubs may serve one store in PostgreSQL.\n"
	"Accounts are made with `parity account invite`; limits are in\n"
	"docs/server.md. --routes lists the routes and who may use each.\n";

/* Say where the hub is, once it listens. */
static void listening(const struct server_options *opt, void *ctx)
{
	(void)ctx;
	/* a URI may carry a password: it is not repeated */
	fprintf(stderr, "parity: serving %s on %s port %u; Ctrl-C stops it\n",
		store_is_postgres(opt->db) ? "the store in PostgreSQL" : opt->db,
		opt->listen, opt->port);
}

int cmd_serve(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "site", required_argument, NULL, 's' },
		{ "uploads", required_argument, NULL, 'U' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "threads", required_argument, NULL, 't' },
		{ "session-idle", required_argument, NULL, 'i' },
		{ "session-max", required_argument, NULL, 'm' },
		{ "returns-due", required_argument, NULL, 'u' },
		{ "max-attachment", required_argument, NULL, 'a' },
		{ "routes", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct server_options opt;
	long threads, seconds, bytes;
	bool list_routes = false;
	int c;

	server_options_init(&opt);
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd': env->db = optarg; break;
		case 'l': opt.listen = optarg; break;
		case 's': opt.site_dir = optarg; break;
		case 'U': opt.upload_dir = optarg; break;
		case 'c': opt.cert_path = optarg; break;
		case 'k': opt.key_path = optarg; break;
		case 't':
			if (number_parse_int(optarg, 1, 64, &threads) < 0)
				return cli_usage_error("serve: --threads must "
						       "be from 1 to 64, not "
						       "'%s'", optarg);
			opt.limits.threads = (unsigned)threads;
			break;
		case 'i':
		case 'm':
			if (number_parse_int(optarg, 1, 7L * 24 * 3600,
					     &seconds) < 0)
				return cli_usage_error(
					"serve: --session-%s must be a number "
					"of seconds up to a week, not '%s'",
					c == 'i' ? "idle" : "max", optarg);
			if (c == 'i')
				opt.session_idle_seconds = seconds;
			else
				opt.session_absolute_seconds = seconds;
			break;
		case 'u':
			if (server_returns_due_check(optarg) < 0)
				return cli_usage_error("serve: --returns-due "
						       "must be a day as "
						       "MM-DD, such as 09-30, "
						       "not '%s'", optarg);
			opt.returns_due = optarg;
			break;
		case 'a':
			if (number_parse_int(optarg, 1024, 60L * 1024 * 1024,
					     &bytes) < 0)
				return cli_usage_error("serve: --max-attachment "
						       "must be a number of "
						       "bytes from 1024 to "
						       "62914560 (60 MiB), not "
						       "'%s'", optarg);
			opt.max_attachment = (size_t)bytes;
			break;
		case 'r': list_routes = true; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("serve: unexpected argument '%s'",
				       argv[optind]);
	if (list_routes) {
		server_routes_write(stdout);
		return CLI_OK;
	}
	/* the hub opens its own connections, one per worker */
	opt.db = cli_db_path(env->db);
	opt.db_key = cli_db_key(opt.db);
	if (store_is_postgres(opt.db) && !opt.upload_dir)
		return cli_usage_error("serve: a store in PostgreSQL has no "
				       "file to keep uploads beside: name a "
				       "folder for them (--uploads DIR)");
	opt.on_listening = listening;
	if (server_run(&opt, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	return CLI_OK;
}
