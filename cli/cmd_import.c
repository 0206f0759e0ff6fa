/*
 * cmd_import.c - `parity import workforce|recruitment|service|attainment`:
 * check a council's or a partner's return and store it, whole or not at
 * all.
 *
 * Problems go to stderr as FILE:LINE:COLUMN (at most 50 errors and 20
 * warnings, then a count), every one of them: in the return, in an alias
 * file, and (located) in a file of service definitions; what was stored,
 * and a short data-quality summary, go to stdout.
 */
#include "cli.h"

#include "base/diag.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "ingest/alias_register.h"
#include "ingest/attainment.h"
#include "ingest/quality.h"
#include "ingest/returns.h"
#include "ingest/service.h"
#include "progress.h"
#include "table/render.h"
#include "store/store.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ERRORS_SHOWN 50
#define MAX_WARNINGS_SHOWN 20

static const char usage_text[] =
	"usage: parity import workforce|recruitment --year YEAR [--area CODE]\n"
	"                     [--db PATH] [--aliases FILE] [--codes SYSTEM]\n"
	"                     [--by NAME] FILE\n"
	"\n"
	"Checks every line of a council's return and stores it as a new\n"
	"submission: the whole file or, if any line has an error, nothing.\n"
	"Errors and warnings are listed as FILE:LINE:COLUMN: message. A file\n"
	"identical to the current submission changes nothing. A refused file\n"
	"leaves only its refused labels, with their counts (`parity labels\n"
	"--refused`).\n"
	"\n"
	"options:\n"
	"  --year YEAR      the year of the return (snapshot at 31 March)\n"
	"  --area CODE      the council (ONS code or name); may be left out\n"
	"                   when the file has an employer column\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n"
	"  --aliases FILE   the council's own ethnicity labels (label,category),\n"
	"                   read after the programme's alias register\n"
	"                   (`parity aliases`), which they may not contradict\n"
	"  --codes SYSTEM   read bare codes by a code list: nhs, dfe,\n"
	"                   police-sde or police-ode (docs/classification.md)\n"
	"  --by NAME        who is submitting (default: your user name)\n"
	"\n"
	"Formats: docs/formats/workforce-return.md, recruitment-return.md.\n"
	"\n"
	"       parity import service [--db PATH] [--aliases FILE]\n"
	"                     [--codes SYSTEM] [--definitions FILE] [--by NAME]\n"
	"                     FILE\n"
	"\n"
	"A service return (docs/formats/service-return.md) gives counts by\n"
	"area_code, year, service, stage and ethnicity; each service, area and\n"
	"year in it is stored as a new version of that return. --definitions\n"
	"adds services defined in a JSON file like data/services/*.json.\n"
	"\n"
	"       parity import attainment [--db PATH] [--aliases FILE]\n"
	"                     [--codes SYSTEM] [--by NAME] FILE\n"
	"\n"
	"An attainment return (docs/formats/attainment.md) gives pupils, mean\n"
	"scores (with SDs where known) or pupils reaching a threshold by\n"
	"area_code, year, ethnic_group and measure; each area and year in it is\n"
	"stored as a new version of that return. Bare codes are read as the\n"
	"DfE school census's (--codes dfe) unless --codes says otherwise.\n";

static void print_count(long n, char *buf, size_t size)
{
	format_value((double)n, UNIT_COUNT, buf, size);
}

/* The short form of the quality report, from its flagged rows. */
static void print_quality(const struct tidy_table *t, const char *noun)
{
	struct line_buf {
		char text[1024];
		size_t len;
	} low = { "", 0 }, unrec = { "", 0 }, change = { "", 0 };
	char value[64], count[64];
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		format_figure(r, TIDY_VALUE, value, sizeof(value));
		if (strcmp(r->measure, "staff_count") == 0 ||
		    strcmp(r->measure, "applicant_count") == 0) {
			printf("  quality: %s %s", value, noun);
		} else if (strcmp(r->measure, "not_known_rate") == 0) {
			printf("; ethnicity not known %s%s", value,
			       r->flag[0] ? " (high)" : "");
		} else if (strcmp(r->measure, "prefer_not_to_say_rate") == 0) {
			printf(", prefer not to say %s%s\n", value,
			       r->flag[0] ? " (high)" : "");
		} else if (strcmp(r->measure, "completeness_rate") == 0 &&
			   strcmp(r->flag, "low") == 0) {
			low.len += (size_t)snprintf(
				low.text + low.len, sizeof(low.text) - low.len,
				"%s%s %s", low.len ? ", " : "", r->breakdown,
				value);
		} else if (strcmp(r->measure, "unrecognised_count") == 0) {
			unrec.len += (size_t)snprintf(
				unrec.text + unrec.len,
				sizeof(unrec.text) - unrec.len, "%s%s (%s row%s)",
				unrec.len ? ", " : "", r->breakdown, value,
				r->value == 1 ? "" : "s");
		} else if (strcmp(r->measure, "salary_outlier_count") == 0 &&
			   r->value > 0) {
			printf("  quality: %s salary outlier%s: %s\n", value,
			       r->value == 1 ? "" : "s", r->note);
		} else if ((strcmp(r->measure, "record_change_rate") == 0 ||
			    strcmp(r->measure, "not_known_change_pp") == 0) &&
			   r->flag[0]) {
			snprintf(count, sizeof(count), "%+.1f%s", r->value,
				 r->measure[0] == 'r' ? "%" : " points");
			change.len += (size_t)snprintf(
				change.text + change.len,
				sizeof(change.text) - change.len, "%s%s %s",
				change.len ? "; " : "",
				r->measure[0] == 'r' ? noun : "not known rate",
				count);
		}
		if (low.len >= sizeof(low.text))
			low.len = sizeof(low.text) - 1;
		if (unrec.len >= sizeof(unrec.text))
			unrec.len = sizeof(unrec.text) - 1;
		if (change.len >= sizeof(change.text))
			change.len = sizeof(change.text) - 1;
	}
	if (low.len)
		printf("  quality: under %.0f%% complete: %s\n",
		       QUALITY_COMPLETENESS_LOW, low.text);
	if (unrec.len)
		printf("  quality: values not recognised: %s\n", unrec.text);
	if (change.len)
		printf("  quality: change since last year to check: %s\n",
		       change.text);
}

static void print_result(const struct import_result *res,
			 const struct area_set *areas)
{
	struct tidy_table t;
	char rows[64];
	size_t k;

	for (k = 0; k < res->count; k++) {
		const struct import_submission *s = &res->subs[k];
		const struct area *a = &areas->areas[s->area];
		const char *noun = s->sub.kind == STORE_WORKFORCE ? "staff"
				   : s->sub.rows == 1 ? "applicant"
				   : "applicants";

		print_count(s->sub.rows, rows, sizeof(rows));
		if (s->unchanged) {
			printf("%s return for %s (%s), %d: unchanged: the file "
			       "is identical to submission %lld (version %d), "
			       "so nothing was stored\n",
			       store_kind_name(s->sub.kind), a->name, a->code,
			       s->sub.year, (long long)s->sub.id,
			       s->sub.version);
			continue;
		}
		printf("%s return for %s (%s), %d: stored as submission %lld, "
		       "version %d", store_kind_name(s->sub.kind), a->name,
		       a->code, s->sub.year, (long long)s->sub.id,
		       s->sub.version);
		if (s->sub.supersedes)
			printf(" (supersedes submission %lld)",
			       (long long)s->sub.supersedes);
		printf(", %s row%s\n", rows, s->sub.rows == 1 ? "" : "s");
		tidy_table_init(&t);
		quality_table(&s->quality, &s->sub, a, &s->previous, &t);
		print_quality(&t, noun);
		tidy_table_free(&t);
		printf("  full report: parity quality --area %s --year %d "
		       "--kind %s\n", a->code, s->sub.year,
		       store_kind_name(s->sub.kind));
	}
}

static void print_service_result(const struct service_import_result *res)
{
	size_t k;

	for (k = 0; k < res->count; k++) {
		const struct service_import_item *it = &res->items[k];
		char rows[64];

		print_count(it->rows, rows, sizeof(rows));
		printf("%s return for %s (%s), %s: ", it->sub.subject,
		       it->area_name, it->sub.area_code, it->period);
		if (it->unchanged) {
			printf("unchanged: identical to submission %lld "
			       "(version %d), so nothing was stored\n",
			       (long long)it->sub.id, it->sub.version);
			continue;
		}
		printf("stored as submission %lld, version %d",
		       (long long)it->sub.id, it->sub.version);
		if (it->sub.supersedes)
			printf(" (supersedes submission %lld)",
			       (long long)it->sub.supersedes);
		printf(", %s row%s, ethnicity at the %s level\n", rows,
		       it->rows == 1 ? "" : "s", it->level);
	}
}

static void print_attainment_result(const struct attainment_import_result *res)
{
	size_t k;

	for (k = 0; k < res->count; k++) {
		const struct attainment_import_item *it = &res->items[k];
		char rows[64];

		print_count(it->ret.rows, rows, sizeof(rows));
		printf("attainment return for %s (%s), %s: ", it->area_name,
		       it->ret.area_code, it->ret.period);
		if (it->unchanged) {
			printf("unchanged: identical to return %lld (version "
			       "%d), so nothing was stored\n",
			       (long long)it->ret.id, it->ret.version);
			continue;
		}
		printf("stored as return %lld, version %d",
		       (long long)it->ret.id, it->ret.version);
		if (it->ret.supersedes)
			printf(" (supersedes return %lld)",
			       (long long)it->ret.supersedes);
		printf(", %s row%s, ethnicity at the %s level\n", rows,
		       it->ret.rows == 1 ? "" : "s", it->ret.level);
	}
}

/* `parity import attainment ...`: the store and the classifier, with the
 * DfE school census's codes unless --codes names others. */
static int import_attainment(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "aliases", required_argument, NULL, 'x' },
		{ "codes", required_argument, NULL, 'C' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct attainment_import_options opt;
	struct attainment_import_result res;
	struct diag_list diags = DIAG_LIST_INIT;
	bool codes = false;
	int c, status;

	memset(&opt, 0, sizeof(opt));
	memset(&res, 0, sizeof(res));
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd': env->db = optarg; break;
		case 'x': env->aliases = optarg; break;
		case 'C':
			if (cli_env_set_codes(env, optarg) != CLI_OK)
				return CLI_USAGE;
			codes = true;
			break;
		case 'b': opt.submitted_by = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (argc - optind != 2) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (!codes && cli_env_set_codes(env, "dfe") != CLI_OK)
		return CLI_USAGE;
	opt.path = argv[optind + 1];
	if (!opt.submitted_by)
		opt.submitted_by = cli_user_name();
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		goto out;
	opt.areas = env->areas;
	opt.classifier = env->classifier;
	if (attainment_import(env->store, &opt, &diags, &res, &err) < 0) {
		cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
		cli_report(&err);
		status = cli_exit_for(&err);
		goto out;
	}
	cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
	print_attainment_result(&res);
	status = CLI_OK;
out:
	attainment_import_result_release(&res);
	diag_list_release(&diags);
	return status;
}

/* `parity import service ...`: what import needs, and the definitions. */
static int import_service(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "aliases", required_argument, NULL, 'x' },
		{ "definitions", required_argument, NULL, 'D' },
		{ "codes", required_argument, NULL, 'C' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_import_options opt;
	struct service_import_result res;
	struct diag_list diags = DIAG_LIST_INIT;
	int c, status;

	memset(&opt, 0, sizeof(opt));
	memset(&res, 0, sizeof(res));
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd': env->db = optarg; break;
		case 'x': env->aliases = optarg; break;
		case 'D': env->definitions = optarg; break;
		case 'C':
			if (cli_env_set_codes(env, optarg) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'b': opt.submitted_by = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (argc - optind != 2) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	opt.path = argv[optind + 1];
	if (!opt.submitted_by)
		opt.submitted_by = cli_user_name();
	status = cli_env_open(env, env->needs | CLI_NEED_SERVICES);
	if (status != CLI_OK)
		goto out;
	opt.areas = env->areas;
	opt.classifier = env->classifier;
	opt.aliases = &env->aliases_register;
	opt.defs = env->services;
	if (service_import(env->store, &opt, &diags, &res, &err) < 0) {
		cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
		cli_report(&err);
		status = cli_exit_for(&err);
		goto out;
	}
	cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
	print_service_result(&res);
	status = CLI_OK;
out:
	service_import_result_release(&res);
	diag_list_release(&diags);
	return status;
}

int cmd_import(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "area", required_argument, NULL, 'a' },
		{ "db", required_argument, NULL, 'd' },
		{ "aliases", required_argument, NULL, 'x' },
		{ "codes", required_argument, NULL, 'C' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct import_options opt;
	struct import_result res;
	struct diag_list diags = DIAG_LIST_INIT;
	struct progress bar;
	const char *year_text = NULL;
	char *end = NULL;
	long year;
	int c, status;

	if (argc >= 2 && strcmp(argv[1], "service") == 0)
		return import_service(argc, argv, env);
	if (argc >= 2 && strcmp(argv[1], "attainment") == 0)
		return import_attainment(argc, argv, env);
	memset(&opt, 0, sizeof(opt));
	memset(&res, 0, sizeof(res));
	opt.submitted_by = NULL;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'y': year_text = optarg; break;
		case 'a': opt.area = optarg; break;
		case 'd': env->db = optarg; break;
		case 'x': env->aliases = optarg; break;
		case 'C':
			if (cli_env_set_codes(env, optarg) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'b': opt.submitted_by = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (argc - optind != 2) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (store_kind_parse(argv[optind], &opt.kind) < 0 ||
	    opt.kind == STORE_SERVICE)
		return cli_usage_error("import: the kind of return is workforce "
				       "or recruitment (or service or "
				       "attainment, given first), not '%s'",
				       argv[optind]);
	opt.path = argv[optind + 1];
	if (!year_text)
		return cli_usage_error("import: --year is required");
	year = strtol(year_text, &end, 10);
	if (!end || *end || end == year_text)
		return cli_usage_error("import: --year must be a year, not '%s'",
				       year_text);
	if (year < RETURN_YEAR_MIN || year > RETURN_YEAR_MAX) {
		fprintf(stderr, "parity: year %ld is outside %d-%d\n", year,
			RETURN_YEAR_MIN, RETURN_YEAR_MAX);
		return CLI_INVALID;
	}
	opt.year = (int)year;
	if (!opt.submitted_by)
		opt.submitted_by = cli_user_name();
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		goto out;
	opt.areas = env->areas;
	opt.classifier = env->classifier;
	opt.aliases = &env->aliases_register;
	progress_init(&bar, "importing");
	opt.progress = progress_update;
	opt.progress_ctx = &bar;
	if (import_return(env->store, &opt, &diags, &res, &err) < 0) {
		progress_done(&bar);
		cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
		cli_report(&err);
		status = cli_exit_for(&err);
		goto out;
	}
	progress_done(&bar);
	cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
	print_result(&res, env->areas);
	status = CLI_OK;
out:
	import_result_release(&res);
	diag_list_release(&diags);
	return status;
}
