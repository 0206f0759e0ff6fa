/*
 * cmd_quality.c - `parity quality`: the data-quality report on a council's
 * current returns for a year.
 */
#include "cli.h"
#include "output.h"

#include "domain/area.h"
#include "ingest/quality.h"
#include "table/render.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] =
	"usage: parity quality --area CODE --year YEAR\n"
	"                      [--kind workforce|recruitment]\n"
	"                      [--format table|csv|json] [--db PATH]\n"
	"\n"
	"Reports on the current return(s) of a council for a year: how\n"
	"complete each column is, the not-known and prefer-not-to-say rates,\n"
	"values not recognised, salary outliers, and the change from the year\n"
	"before. Flags: low (under 90% complete), high (over 10% not known or\n"
	"prefer not to say), check (look at it). See docs/formats/.\n";

int cmd_quality(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "year", required_argument, NULL, 'y' },
		{ "kind", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	const struct area_set *areas;
	struct tidy_table table;
	enum output_format format = OUTPUT_TABLE;
	enum store_kind kind;
	const char *area_text = NULL;
	char *end = NULL;
	long year = 0;
	int c, k, a, only = -1, found = 0, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'a': area_text = optarg; break;
		case 'y':
			year = strtol(optarg, &end, 10);
			if (!end || *end || end == optarg)
				return cli_usage_error("quality: --year must be "
						       "a year, not '%s'", optarg);
			break;
		case 'k':
			if (store_kind_parse(optarg, &kind) < 0 ||
			    kind == STORE_SERVICE)
				return cli_usage_error("quality: --kind is "
						       "workforce or recruitment, "
						       "not '%s'", optarg);
			only = (int)kind;
			break;
		case 'f':
			if (cli_format_parse("quality", optarg, true,
					     &format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("quality: unexpected argument '%s'",
				       argv[optind]);
	if (!area_text || !year) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	tidy_table_init(&table);
	/* an unknown area is named before the store is opened */
	status = cli_env_open(env, CLI_NEED_AREAS);
	if (status != CLI_OK)
		goto out;
	areas = env->areas;
	a = area_find(areas, area_text);
	if (a < 0) {
		cli_message("unknown area '%s' (see `parity areas`)",
			    area_text);
		status = CLI_INVALID;
		goto out;
	}
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		goto out;
	for (k = 0; k < STORE_KIND_COUNT; k++) {
		struct store_submission sub;
		struct quality q;
		struct quality_previous prev;
		int rc;

		if (only >= 0 && k != only)
			continue;
		rc = store_submission_current(env->store, (enum store_kind)k,
					      areas->areas[a].code, (int)year,
					      &sub, &err);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			continue;
		if (quality_load(env->store, &sub, &q, &prev, &err) < 0)
			goto fail;
		quality_table(&q, &sub, &areas->areas[a], &prev, &table);
		quality_release(&q);
		found++;
	}
	if (!found) {
		cli_message("no current %s%sreturn for %s (%s) in %ld (see "
			    "`parity returns list`)",
			    only >= 0 ? store_kind_name((enum store_kind)only)
				      : "",
			    only >= 0 ? " " : "", areas->areas[a].name,
			    areas->areas[a].code, year);
		status = CLI_INVALID;
		goto out;
	}
	if (cli_table_write(&table, format, stdout, &err) < 0)
		goto fail;
	status = CLI_OK;
	goto out;
fail:
	cli_report(&err);
	status = cli_exit_for(&err);
out:
	tidy_table_free(&table);
	return status;
}
