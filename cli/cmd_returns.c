/*
 * cmd_returns.c - `parity returns list|show|records|reclassify`: the
 * history of submissions, the records a return stored, and reading
 * returns again under the alias register as it is now
 * (ingest/reclassify.h).
 *
 * `list` and `show` are terminal views (output.h): a file name or a --by
 * given at import is shown with its control characters made visible.
 * `records` is CSV, each text field neutralised against formulas.
 */
#include "cli.h"
#include "output.h"

#include "domain/area.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "ingest/reclassify.h"
#include "store/retention.h"
#include "store/service_store.h"
#include "store/store.h"
#include "table/render.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity returns list [--area CODE] [--year YEAR]\n"
	"                           [--kind workforce|recruitment] [--current]\n"
	"                           [--db PATH]\n"
	"       parity returns show ID [--db PATH]\n"
	"       parity returns records ID [--db PATH]\n"
	"       parity returns reclassify [--area CODE] [--year YEAR]\n"
	"                                 [--kind KIND] [--by NAME]\n"
	"                                 [--definitions FILE] [--db PATH]\n"
	"\n"
	"`list` prints every submission (superseded versions too, unless\n"
	"--current), oldest version first; `show` prints one in full: who\n"
	"submitted it and when, its file, rows, checksum, status and version.\n"
	"`records` prints the records a workforce or recruitment return\n"
	"stored, as CSV in the order of the file: values as stored (trimmed,\n"
	"dates as YYYY-MM-DD, ethnicity as its code and the label it was read\n"
	"from, yes/no as 1/0, blank when not given). Staff ids are not\n"
	"stored, and the pseudonyms that stand for them are not shown.\n"
	"\n"
	"`reclassify` reads the current returns (those matching --area, --year\n"
	"and --kind) again under the alias register as it is now, when they\n"
	"were read with an older version of it (`parity aliases`): a return\n"
	"in which some records now read as another category is stored as a\n"
	"new version (the old one is kept, superseded), and one whose labels\n"
	"all read the same is left as it is and marked as checked. Each return\n"
	"is reported, with how many records changed category; one that cannot\n"
	"be read again (stored before labels were kept, or a label that no\n"
	"longer reads) says why, and the exit status is then 1.\n"
	"--definitions adds services defined in a JSON file, for service\n"
	"returns of such services.\n";

static void list_view(FILE *out, const struct area_set *areas,
		      const struct store_submission *subs, size_t n)
{
	size_t k, name_width = 4;
	char rows[32];

	if (n == 0) {
		fprintf(out, "(no submissions)\n");
		return;
	}
	for (k = 0; k < n; k++) {
		size_t w = strlen(cli_area_name(areas, subs[k].area_code));

		if (w > name_width)
			name_width = w;
	}
	fprintf(out, "%-4s  %-11s  %-9s  %-*s  %-4s  %-7s  %-10s  %9s  %-20s  "
		"%s\n", "id", "kind", "area", (int)name_width, "name", "year",
		"version", "status", "rows", "submitted (UTC)", "by");
	for (k = 0; k < n; k++) {
		const struct store_submission *s = &subs[k];

		format_value((double)s->rows, UNIT_COUNT, rows, sizeof(rows));
		fprintf(out, "%-4lld  %-11s  %-9s  %-*s  %-4d  %-7d  %-10s  %9s  "
			"%-20s  ", (long long)s->id,
			store_kind_name(s->kind), s->area_code,
			(int)name_width, cli_area_name(areas, s->area_code),
			s->year, s->version,
			s->current ? "current" : "superseded", rows,
			s->submitted_at);
		cli_put_safe(out, s->submitted_by);
		fputc('\n', out);
	}
}

static int list(struct store *store, const struct area_set *areas,
		const struct store_filter *filter)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission *subs;
	struct cli_view view;
	size_t n;
	int rc = -1;

	if (store_submissions_list(store, filter, &subs, &n, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	if (cli_view_open(&view)) {
		list_view(view.file, areas, subs, n);
		rc = cli_view_close(&view, stdout, &err);
	} else {
		parity_error_set(&err, PARITY_ERR_IO, NULL, 0, 0,
				 "out of memory for the list");
	}
	free(subs);
	if (rc < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	return CLI_OK;
}

/* A submission number, or -1 after saying what is wrong. */
static long long submission_number(const char *what, const char *text)
{
	char *end = NULL;
	long long id = strtoll(text, &end, 10);

	if (!end || *end || end == text || id <= 0) {
		(void)cli_usage_error("returns %s: ID is a submission number, "
				      "not '%s'", what, text);
		return -1;
	}
	return id;
}

/* A line of `show`: what was typed or stored, made safe to show. */
static void show_line(FILE *out, const char *label, const char *text)
{
	fputs(label, out);
	cli_put_safe(out, text);
	fputc('\n', out);
}

/* One submission in full; `subs` are those of its area, year and kind. */
static void show_view(FILE *out, const struct area_set *areas,
		      const struct store_submission *sub,
		      const struct store_submission *subs, size_t n)
{
	char rows[32];
	size_t k;

	format_value((double)sub->rows, UNIT_COUNT, rows, sizeof(rows));
	fprintf(out, "submission     %lld\n", (long long)sub->id);
	fprintf(out, "kind           %s\n", store_kind_name(sub->kind));
	if (sub->subject[0])
		show_line(out, "service        ", sub->subject);
	fprintf(out, "area           %s (%s)\n", sub->area_code,
		cli_area_name(areas, sub->area_code));
	fprintf(out, "year           %d\n", sub->year);
	fprintf(out, "version        %d\n", sub->version);
	fprintf(out, "status         %s\n",
		sub->current ? "current" : "superseded");
	if (sub->supersedes)
		fprintf(out, "supersedes     %lld\n",
			(long long)sub->supersedes);
	for (k = 0; k < n; k++)
		if (subs[k].supersedes == sub->id)
			fprintf(out, "superseded by  %lld\n",
				(long long)subs[k].id);
	fprintf(out, "submitted at   %s\n", sub->submitted_at);
	show_line(out, "submitted by   ", sub->submitted_by);
	show_line(out, "file           ", sub->source_name);
	fprintf(out, "rows           %s\n", rows);
	fprintf(out, "sha256         %s\n", sub->sha256);
	fprintf(out, "encoding       %s\n", sub->encoding);
	fprintf(out, "classification %s\n",
		sub->classification == 2011
			? "2011 Census categories (Other White includes Roma)"
			: "2021 Census categories");
	fprintf(out, "aliases        alias register version %d",
		sub->alias_version);
	if (sub->checked_version > sub->alias_version)
		fprintf(out, " (its labels read the same at version %d)",
			sub->checked_version);
	fputc('\n', out);
	if (sub->code_system[0] && strcmp(sub->code_system, "none") != 0)
		fprintf(out, "code system    %s\n", sub->code_system);
	if (sub->reclassified)
		fprintf(out, "origin         reclassification of submission "
			"%lld\n", (long long)sub->supersedes);
	else
		fprintf(out, "origin         import\n");
	show_line(out, "columns        ", sub->columns);
}

static int show(struct store *store, const struct area_set *areas,
		const char *id_text)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission sub, *subs;
	struct cli_view view;
	long long id = submission_number("show", id_text);
	size_t n;
	int rc = -1;

	if (id < 0)
		return CLI_USAGE;
	if (store_submission_get(store, (int64_t)id, &sub, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	all.area_code = sub.area_code;
	all.year = sub.year;
	all.kind = (int)sub.kind;
	if (store_submissions_list(store, &all, &subs, &n, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	if (cli_view_open(&view)) {
		show_view(view.file, areas, &sub, subs, n);
		rc = cli_view_close(&view, stdout, &err);
	} else {
		parity_error_set(&err, PARITY_ERR_IO, NULL, 0, 0,
				 "out of memory for the submission");
	}
	free(subs);
	if (rc < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	return CLI_OK;
}

static void put_text(const char *s)
{
	putchar(',');
	if (s)
		csv_write_field(stdout, s);
}

static void put_flag(int v)
{
	printf(",%s", v == STORE_NOT_GIVEN ? "" : v ? "1" : "0");
}

static int print_staff(void *ctx, const struct store_staff *r)
{
	int k;

	(void)ctx;
	fputs(ethnicity_category(r->ethnicity)->code, stdout);
	put_text(r->label);
	printf(",%.10g,%.10g", r->annual_salary, r->fte);
	put_text(r->pay_band);
	put_text(r->grade);
	put_text(r->job_family);
	put_text(r->sex);
	put_text(r->age_band);
	put_text(r->disability);
	put_text(r->contract_type);
	put_text(r->start_date);
	put_text(r->leaving_date);
	for (k = 0; k < STORE_EVENT_COUNT; k++)
		put_flag(r->events[k]);
	putchar('\n');
	return 0;
}

static int print_applicant(void *ctx, const struct store_applicant *r)
{
	(void)ctx;
	fputs(ethnicity_category(r->ethnicity)->code, stdout);
	put_text(r->label);
	printf(",%d,%d", r->shortlisted ? 1 : 0, r->appointed ? 1 : 0);
	put_text(r->vacancy_id);
	put_text(r->pay_band);
	putchar('\n');
	return 0;
}

static int records(struct store *store, const char *id_text)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission sub;
	long long id = submission_number("records", id_text);
	char at[32];
	int rc, removed;

	if (id < 0)
		return CLI_USAGE;
	if (store_submission_get(store, (int64_t)id, &sub, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	removed = store_records_removed_at(store, sub.id, at, sizeof(at),
					   &err);
	if (removed < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	if (removed) {
		cli_message("the records of submission %lld were removed at "
			    "the end of their retention period (%s): only its "
			    "aggregates remain", id, at);
		return CLI_INVALID;
	}
	if (sub.kind == STORE_WORKFORCE) {
		printf("ethnicity,ethnicity_label,annual_salary,fte,pay_band,"
		       "grade,job_family,sex,age_band,disability,"
		       "contract_type,start_date,leaving_date,promoted,"
		       "disciplinary,training,left\n");
		rc = store_staff_each(store, sub.id, print_staff, NULL, &err);
	} else if (sub.kind == STORE_RECRUITMENT) {
		printf("ethnicity,ethnicity_label,shortlisted,appointed,"
		       "vacancy_id,pay_band\n");
		rc = store_applicant_each(store, sub.id, print_applicant, NULL,
					  &err);
	} else {
		cli_message("submission %lld is a service return: its counts "
			    "are in `parity report service`", id);
		return CLI_INVALID;
	}
	if (rc < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	return CLI_OK;
}

/* ---- reclassify ---- */

static void describe_return(struct store *store,
			    const struct area_set *areas,
			    const struct store_submission *sub)
{
	const char *what = sub->kind == STORE_SERVICE
			   ? sub->subject : store_kind_name(sub->kind);
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_service_return ret;
	char year[16];

	snprintf(year, sizeof(year), "%d", sub->year);
	if (sub->kind == STORE_SERVICE &&
	    store_service_current(store, sub->subject, sub->area_code,
				  sub->year, &ret, &err) > 0 && ret.period[0])
		snprintf(year, sizeof(year), "%s", ret.period);
	cli_put_safe(stdout, what);
	printf(" return for %s (%s), %s: submission %lld (alias register "
	       "version %d): ", cli_area_name(areas, sub->area_code),
	       sub->area_code, year, (long long)sub->id,
	       sub->checked_version);
}

static void report_outcome(struct store *store, const struct area_set *areas,
			   const struct reclassify_result *r)
{
	char records[32], changed[32];
	const char *noun = r->from.kind == STORE_SERVICE ? "row" : "record";

	describe_return(store, areas, &r->from);
	format_value((double)r->records, UNIT_COUNT, records, sizeof(records));
	format_value((double)r->changed, UNIT_COUNT, changed, sizeof(changed));
	switch (r->outcome) {
	case RECLASSIFY_NEW_VERSION:
		printf("%s of %s %s%s read as another category (%zu "
		       "label%s): stored as submission %lld, version %d "
		       "(alias register version %d)\n", changed, records,
		       noun, r->records == 1 ? "" : "s", r->labels_changed,
		       r->labels_changed == 1 ? "" : "s", (long long)r->to.id,
		       r->to.version, r->version);
		break;
	case RECLASSIFY_UNCHANGED:
		printf("unchanged: all its %s %s%s read the same at alias "
		       "register version %d, so no new version is needed\n",
		       records, noun, r->records == 1 ? "" : "s", r->version);
		break;
	case RECLASSIFY_NOT_POSSIBLE:
		fputs("not reclassified: ", stdout);
		cli_put_safe(stdout, r->why);
		fputc('\n', stdout);
		break;
	}
}

static int reclassify(struct store *store, const struct area_set *areas,
		      const struct service_defs *defs,
		      const struct store_filter *filter, const char *by)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter current = *filter;
	struct store_submission *subs = NULL;
	struct reclassify_options opt = { by, NULL, NULL, areas };
	size_t n = 0, k, counts[3] = { 0, 0, 0 }, due = 0;
	int version = 0, status = CLI_OK;

	current.current_only = true;
	if (store_alias_version(store, &version, &err) < 0 ||
	    store_submissions_list(store, &current, &subs, &n, &err) < 0) {
		free(subs);
		cli_report(&err);
		return cli_exit_for(&err);
	}
	opt.defs = defs;
	for (k = 0; k < n; k++) {
		struct reclassify_result r;

		if (subs[k].checked_version >= version)
			continue;
		due++;
		if (reclassify_submission(store, subs[k].id, &opt, &r,
					  &err) < 0) {
			cli_report(&err);
			status = cli_exit_for(&err);
			break;
		}
		report_outcome(store, areas, &r);
		counts[r.outcome]++;
	}
	if (status == CLI_OK) {
		if (due == 0)
			printf("every current return matching was read with "
			       "alias register version %d: nothing to "
			       "reclassify\n", version);
		else
			printf("%zu new version%s, %zu unchanged, %zu not "
			       "reclassified\n", counts[RECLASSIFY_NEW_VERSION],
			       counts[RECLASSIFY_NEW_VERSION] == 1 ? "" : "s",
			       counts[RECLASSIFY_UNCHANGED],
			       counts[RECLASSIFY_NOT_POSSIBLE]);
		if (counts[RECLASSIFY_NOT_POSSIBLE])
			status = CLI_INVALID;
	}
	free(subs);
	return status;
}

int cmd_returns(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "year", required_argument, NULL, 'y' },
		{ "kind", required_argument, NULL, 'k' },
		{ "current", no_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "by", required_argument, NULL, 'b' },
		{ "definitions", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_filter filter = STORE_FILTER_ALL;
	const char *area = NULL, *by = NULL;
	bool reclassifying;
	char *end = NULL;
	enum store_kind kind;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'a': area = optarg; break;
		case 'y':
			filter.year = (int)strtol(optarg, &end, 10);
			if (!end || *end || end == optarg)
				return cli_usage_error("returns: --year must be "
						       "a year, not '%s'", optarg);
			break;
		case 'k':
			if (store_kind_parse(optarg, &kind) < 0)
				return cli_usage_error("returns: --kind is "
						       "workforce, recruitment "
						       "or service, not '%s'",
						       optarg);
			filter.kind = (int)kind;
			break;
		case 'c': filter.current_only = true; break;
		case 'd': env->db = optarg; break;
		case 'b': by = optarg; break;
		case 'D': env->definitions = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind >= argc ||
	    !((strcmp(argv[optind], "list") == 0 && argc - optind == 1) ||
	      (strcmp(argv[optind], "show") == 0 && argc - optind == 2) ||
	      (strcmp(argv[optind], "records") == 0 && argc - optind == 2) ||
	      (strcmp(argv[optind], "reclassify") == 0 &&
	       argc - optind == 1))) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	reclassifying = strcmp(argv[optind], "reclassify") == 0;
	if ((by || env->definitions) && !reclassifying)
		return cli_usage_error("returns: --by and --definitions go with "
				       "reclassify");
	/* an unknown area is named before the store is opened */
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		return status;
	if (area) {
		int a = area_find(env->areas, area);

		if (a < 0) {
			cli_message("unknown area '%s' (see `parity areas`)",
				    area);
			return CLI_INVALID;
		}
		filter.area_code = env->areas->areas[a].code;
	}
	/* reclassifying writes new versions: the rest only reads */
	status = cli_env_open(env, reclassifying
					   ? CLI_NEED_STORE | CLI_NEED_SERVICES
					   : CLI_NEED_STORE_READ);
	if (status != CLI_OK)
		return status;
	if (reclassifying)
		return reclassify(env->store, env->areas, env->services,
				  &filter, by ? by : cli_user_name());
	if (strcmp(argv[optind], "list") == 0)
		return list(env->store, env->areas, &filter);
	if (strcmp(argv[optind], "show") == 0)
		return show(env->store, env->areas, argv[optind + 1]);
	return records(env->store, argv[optind + 1]);
}
