/*
 * cmd_retention.c - `parity retention`: remove the records of returns
 * past the retention period, keeping the submissions and their
 * aggregates (store/retention.h, docs/privacy.md), in one transaction
 * with an audit entry for each return.
 */
#include "cli.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "domain/area.h"
#include "hub/accounts.h"
#include "store/retention.h"
#include "store/store.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The period unless --older-than says otherwise (docs/privacy.md). */
#define RETENTION_DEFAULT_YEARS 6

static const char usage_text[] =
	"usage: parity retention [--older-than YEARS] [--today DATE]\n"
	"                        [--dry-run] [--db PATH]\n"
	"\n"
	"Removes the records (one per member of staff or applicant) of the\n"
	"workforce and recruitment returns past the retention period, their\n"
	"superseded versions too. Each submission stays, with its aggregates\n"
	"(salaries and counts by ethnic group), so that reports of those\n"
	"years still read; what needs the records themselves (ethnicity by\n"
	"sex, the data-quality report, `returns records`, reclassifying) is\n"
	"refused for them from then on, saying when they went. The period\n"
	"runs from the end of a return's year: a return for year Y (staff in\n"
	"post at 31 March Y) is past a period of N years once 31 March of\n"
	"Y + N has gone by. All the removals are one transaction, and each\n"
	"is written to the audit log.\n"
	"\n"
	"options:\n"
	"  --older-than YEARS  the retention period (default 6)\n"
	"  --today DATE        count the period to this date (YYYY-MM-DD;\n"
	"                      default today, UTC)\n"
	"  --dry-run           say what would be removed; change nothing\n"
	"  --db PATH           the store (default: $PARITY_DB, else\n"
	"                      parity.db)\n";

/* "Brent, workforce 2018, version 1". */
static void describe(const struct cli_env *env,
		     const struct store_submission *sub, char *out,
		     size_t size)
{
	snprintf(out, size, "%s, %s %d, version %d",
		 cli_area_name(env->areas, sub->area_code),
		 store_kind_name(sub->kind), sub->year, sub->version);
}

/* Remove the records of each of `due`, with an audit entry each, in one
 * transaction; removed[k] is how many records of due[k] went. */
static int remove_all(struct cli_env *env, const struct store_submission *due,
		      size_t n, int years, long *removed,
		      struct parity_error *err)
{
	struct hub_principal who;
	char detail[128];
	size_t k;

	hub_principal_cli(&who, cli_user_name());
	if (store_begin(env->store, err) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		if (store_records_remove(env->store, &due[k], years, who.email,
					 &removed[k], err) < 0)
			goto fail;
		snprintf(detail, sizeof(detail),
			 "retention period of %d years: %ld records removed, "
			 "aggregates kept", years, removed[k]);
		if (hub_audit_within(env->store, &who, "records.remove",
				     due[k].area_code, due[k].year, due[k].id,
				     "ok", detail, (long)time(NULL), err) < 0)
			goto fail;
	}
	if (store_commit(env->store, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(env->store);
	return -1;
}

int cmd_retention(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "older-than", required_argument, NULL, 'o' },
		{ "today", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission *due = NULL;
	long *removed = NULL;
	char today[CLOCK_DATE_SIZE] = "", what[256];
	const char *older = NULL;
	bool dry_run = false;
	int years = RETENTION_DEFAULT_YEARS, last_year, status, c;
	size_t n = 0, k;
	long total = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'o': older = optarg; break;
		case 't': snprintf(today, sizeof(today), "%s", optarg); break;
		case 'n': dry_run = true; break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("retention: unexpected argument '%s'",
				       argv[optind]);
	if (older) {
		long v = strtol(older, &end, 10);

		if (end == older || *end || v < 0 || v > 100)
			return cli_usage_error("retention: --older-than "
					       "'%s' is not a number of years "
					       "from 0 to 100", older);
		years = (int)v;
	}
	if (!today[0])
		clock_utc_date((long)time(NULL), today, sizeof(today));
	if (retention_last_year(years, today, &last_year, &err) < 0)
		return cli_usage_error("retention: --today %s", err.message);
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		return status;
	if (store_retention_due(env->store, last_year, &due, &n, &err) < 0)
		goto failed;
	printf("retention period: %d years; on %s, returns of %d and "
	       "earlier are past it\n", years, today, last_year);
	if (n == 0) {
		printf("no such return holds records: nothing removed\n");
		free(due);
		return CLI_OK;
	}
	if (dry_run) {
		for (k = 0; k < n; k++) {
			describe(env, &due[k], what, sizeof(what));
			printf("would remove the %ld records of submission "
			       "%lld: %s\n", due[k].rows,
			       (long long)due[k].id, what);
		}
		printf("nothing changed (--dry-run)\n");
		free(due);
		return CLI_OK;
	}
	removed = xcalloc(n, sizeof(*removed));
	if (remove_all(env, due, n, years, removed, &err) < 0)
		goto failed;
	for (k = 0; k < n; k++) {
		describe(env, &due[k], what, sizeof(what));
		printf("removed the %ld records of submission %lld: %s\n",
		       removed[k], (long long)due[k].id, what);
		total += removed[k];
	}
	printf("removed the records of %zu submission%s (%ld records); "
	       "their aggregates stay\n", n, n == 1 ? "" : "s", total);
	free(removed);
	free(due);
	return CLI_OK;
failed:
	free(removed);
	free(due);
	cli_report(&err);
	return cli_exit_for(&err);
}
