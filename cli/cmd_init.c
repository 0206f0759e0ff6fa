/*
 * cmd_init.c - `parity init`: create a new, empty store and its key; with
 * --upgrade, bring an existing store up to this parity's schema.
 */
#include "cli.h"

#include "store/store.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

static const char usage_text[] =
	"usage: parity init [--db PATH]\n"
	"       parity init --upgrade [--db PATH]\n"
	"\n"
	"Creates an empty store: an SQLite database at PATH (default: the\n"
	"PARITY_DB environment variable, else parity.db) and, beside it,\n"
	"PATH.key, the secret key that staff and applicant ids are\n"
	"pseudonymised with. Both are readable by you only. Refuses to touch\n"
	"an existing file.\n"
	"\n"
	"Back the key up apart from the database: without it, later returns\n"
	"cannot be linked to earlier ones, and parity will not open the store.\n"
	"PATH.key may be a symbolic link to where the key is kept.\n"
	"\n"
	"PATH may instead be a PostgreSQL connection URI (postgresql://...),\n"
	"for a hub that several processes share: the store is made in that\n"
	"database, which must hold no tables, and its key in the file that\n"
	"the PARITY_KEY environment variable names.\n"
	"\n"
	"--upgrade opens an existing store for writing and does nothing else:\n"
	"a store made by an earlier parity is brought up to this one's schema\n"
	"(commands that only read a store do not change it, so they refuse one\n"
	"that needs this), and one that holds no fingerprint of its key yet\n"
	"records that of PATH.key, and from then on refuses any other key.\n";

/* `parity init --upgrade`: open the store for writing, which migrates it
 * and records its key's fingerprint, and say what was done. */
static int upgrade(const char *path)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;

	if (store_open_keyed(&s, path, cli_db_key(path), &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("the store %s is up to date (schema version %d)\n",
	       store_is_postgres(path) ? "in PostgreSQL" : path,
	       store_schema_version(s));
	if (store_notice(s))
		printf("%s\n", store_notice(s));
	store_close(s);
	return CLI_OK;
}

int cmd_init(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "upgrade", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	const char *path;
	bool upgrading = false;
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd': env->db = optarg; break;
		case 'u': upgrading = true; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("init: unexpected argument '%s'",
				       argv[optind]);
	/* init makes the store the others open: nothing to open first */
	path = cli_db_path(env->db);
	if (upgrading)
		return upgrade(path);
	if (store_create_keyed(path, cli_db_key(path), &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("created the store %s (schema version %d)\n",
	       store_is_postgres(path) ? "in PostgreSQL" : path,
	       STORE_SCHEMA_VERSION);
	if (store_is_postgres(path))
		printf("its key is %s: back it up apart from the database\n",
		       cli_db_key(path));
	else
		printf("its key is %s.key: back it up apart from the "
		       "database\n", path);
	return CLI_OK;
}
