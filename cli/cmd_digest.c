/*
 * cmd_digest.c - `parity digest`: 'Race Matters' for a period
 * (practice/digest.h), written as DIR/race-matters.html (email-ready) and
 * DIR/race-matters.txt, each replaced whole or not at all (cli/output.h),
 * and kept in the store's archive for the published site unless it is a
 * --preview.
 */
#include "cli.h"
#include "output.h"
#include "practice_cli.h"

#include "base/clock.h"
#include "base/number.h"
#include "practice/digest.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage_text[] =
	"usage: parity digest --since YYYY-MM-DD [--until YYYY-MM-DD] -o DIR\n"
	"                     [--site DIR --year YEAR] [--preview] [--db PATH]\n"
	"\n"
	"Writes 'Race Matters', the programme's digest for borough staff, into\n"
	"DIR as race-matters.html (for email: inline styles, no script, no\n"
	"image, no file beside it) and race-matters.txt: the practice approved\n"
	"from --since to --until (default today), the Learning Lab's coming\n"
	"sessions, the changes in London's published workforce figures for\n"
	"--year that are larger than chance would explain (read from the\n"
	"site --site that `parity publish` wrote: published figures only),\n"
	"and how many councils sit at each level of the Racial Equality\n"
	"Standard against the year before.\n"
	"\n"
	"The issue is kept in the store's archive, replacing one kept for the\n"
	"same days, and the next `parity publish` puts it on the site with\n"
	"the issues before it (race-matters/). --preview writes the files and\n"
	"keeps nothing.\n";

static bool day_ok(const char *d)
{
	int k;

	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return false;
	for (k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (d[k] < '0' || d[k] > '9'))
			return false;
	return true;
}

/* Write `len` bytes to DIR/NAME whole, or not at all, through the
 * command line's one output path (cli/output.h). */
static int write_whole(const char *dir, const char *name, const char *data,
		       size_t len, const struct cli_output_guard *g)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct cli_output o;
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (cli_output_open(&o, path, g, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	rc = fwrite(data, 1, len, o.file) == len ? 0 : -1;
	if (rc < 0)
		parity_error_set(&err, PARITY_ERR_IO, path, 0, 0,
				 "could not write the digest");
	if (cli_output_close(&o, rc, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	return CLI_OK;
}

int cmd_digest(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "site", required_argument, NULL, 'S' },
		{ "year", required_argument, NULL, 'y' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },
		{ "preview", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct digest_options opt;
	struct digest_issue issue;
	struct practice_cli actor;
	struct standard_data data;
	struct strbuf html = STRBUF_INIT, text = STRBUF_INIT;
	struct cli_output_guard guard;
	char today[CLOCK_DATE_SIZE];
	const char *dir = NULL;
	struct stat st;
	bool preview = false;
	long year;
	int c, status;

	memset(&opt, 0, sizeof(opt));
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 's': opt.since = optarg; break;
		case 'u': opt.until = optarg; break;
		case 'S': opt.site_dir = optarg; break;
		case 'y':
			if (number_parse_int(optarg, 2000, 2100, &year) < 0)
				return cli_usage_error("digest: --year must be "
						       "a year, not '%s'",
						       optarg);
			opt.year = (int)year;
			break;
		case 'o': dir = optarg; break;
		case 'd': env->db = optarg; break;
		case 'p': preview = true; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc || !opt.since || !dir)
		return cli_usage_error("digest: --since and -o DIR are needed");
	if (!day_ok(opt.since) || (opt.until && !day_ok(opt.until)))
		return cli_usage_error("digest: --since and --until are days, "
				       "YYYY-MM-DD");
	if (!opt.site_dir != !opt.year)
		return cli_usage_error("digest: --site and --year go together");
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return cli_usage_error("digest: -o %s is not a folder", dir);
	status = cli_env_open(env, CLI_NEED_AREAS |
					   (preview ? CLI_NEED_STORE_READ
						    : CLI_NEED_STORE) |
					   CLI_NEED_FRAMEWORKS |
					   CLI_NEED_CENSUS |
					   CLI_NEED_SERVICES);
	if (status != CLI_OK)
		return status;
	clock_utc_date((long)time(NULL), today, sizeof(today));
	opt.today = today;
	opt.standard = framework_find(env->frameworks,
				      "racial-equality-standard", 0);
	memset(&data, 0, sizeof(data));
	data.store = env->store;
	data.areas = env->areas;
	data.census = env->census;
	data.services = env->services;
	if (digest_build(&data, &opt, &issue, &err) < 0) {
		digest_issue_release(&issue);
		cli_report(&err);
		return cli_exit_for(&err);
	}
	digest_write_email(&issue, &html);
	digest_write_text(&issue, &text);
	cli_output_guard_init(&guard, "digest");
	cli_output_guard_store(&guard, cli_db_path(env->db));
	status = write_whole(dir, "race-matters.html", html.buf, html.len,
			     &guard);
	if (status == CLI_OK)
		status = write_whole(dir, "race-matters.txt", text.buf,
				     text.len, &guard);
	if (status == CLI_OK && !preview) {
		practice_cli_init(&actor, env, "");
		if (digest_keep(env->store, &issue, &actor.actor, &err) < 0) {
			cli_report(&err);
			status = cli_exit_for(&err);
		}
	}
	if (status == CLI_OK)
		printf("Race Matters, %s to %s: %zu practice record%s, %zu "
		       "coming session%s, %zu published change%s, the "
		       "Standard from %zu council%s; %s/race-matters.html "
		       "(%zu bytes) and .txt%s\n",
		       issue.since, issue.until, issue.summary.practice,
		       issue.summary.practice == 1 ? "" : "s",
		       issue.summary.events,
		       issue.summary.events == 1 ? "" : "s",
		       issue.summary.changes,
		       issue.summary.changes == 1 ? "" : "s",
		       issue.summary.standard_councils,
		       issue.summary.standard_councils == 1 ? "" : "s", dir,
		       html.len, preview ? "" : "; kept in the archive");
	digest_issue_release(&issue);
	strbuf_release(&html);
	strbuf_release(&text);
	return status;
}
