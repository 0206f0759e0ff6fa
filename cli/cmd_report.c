/*
 * cmd_report.c - `parity report workforce`, `parity report service` and
 * `parity report attainment`: the workforce measures, a service's rates and
 * relative rate indices, or attainment gaps by ethnic group, for London,
 * Inner or Outer London or boroughs (and, from a national store, England
 * and Wales, its regions and authorities), from the store.
 */
#include "cli.h"
#include "output.h"

#include "base/alloc.h"
#include "base/number.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "ingest/service.h"
#include "measure/attainment.h"
#include "measure/findings.h"
#include "measure/pooled.h"
#include "measure/service.h"
#include "measure/summary.h"
#include "measure/workforce.h"
#include "measure/workforce_sex.h"
#include "table/render.h"
#include "sdc/sdc.h"
#include "table/xlsx.h"
#include "store/store.h"

#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* `parity report service`'s synopsis, in its usage and in report's. */
#define SERVICE_SYNOPSIS \
	"parity report service --service NAME --year YEAR\n" \
	"                        [--area CODE|NAME ...] [--all-areas]\n" \
	"                        [--level detailed|high] [--reference GROUP]\n" \
	"                        [--base STAGE] [--population FILE]\n" \
	"                        [--definitions FILE] [--aliases FILE]\n" \
	"                        [--format table|csv|json|xlsx] [-o FILE]\n" \
	"                        [--db PATH]\n"

/* `parity report attainment`'s synopsis, in its usage and in report's. */
#define ATTAINMENT_SYNOPSIS \
	"parity report attainment [--area CODE|NAME ...] [--all-areas]\n" \
	"                        [--year YEAR] [--level detailed|high]\n" \
	"                        [--reference GROUP] [--assumed-sd POINTS]\n" \
	"                        [--disclosure-control [--k N] [--round N]]\n" \
	"                        [--format table|csv|json|xlsx] [-o FILE]\n" \
	"                        [--db PATH]\n"

static const char usage_text[] =
	"usage: parity report workforce|summary --year YEAR\n"
	"                        [--area CODE|NAME ...] [--all-areas]\n"
	"                        [--level detailed|high|both|white-british-binary|white-binary]\n"
	"                        [--reference GROUP] [--full-time-hours HOURS]\n"
	"                        [--benchmark FILE] [--aliases FILE]\n"
	"                        [--bands POUNDS,POUNDS,...] [--min-group N]\n"
	"                        [--wres] [--by-sex]\n"
	"                        [--disclosure-control [--k N] [--round N]]\n"
	"                        [--format table|csv|json|xlsx] [-o FILE]\n"
	"                        [--db PATH]\n"
	"       " SERVICE_SYNOPSIS
	"       " ATTAINMENT_SYNOPSIS
	"\n"
	"The workforce measures (docs/measures.md) for an area and year, computed\n"
	"from the pooled returns of the area's boroughs. The default area is\n"
	"London; --all-areas gives London, Inner and Outer London and every\n"
	"borough with a return. The reference group for pay gaps and relative\n"
	"likelihoods is White British (White at the high and white-binary\n"
	"levels) unless --reference names another group of the level, by code\n"
	"or label. Hourly pay assumes 36 full-time hours a week. Residents come\n"
	"from Census 2021 unless --benchmark gives a file with header\n"
	"area_code,ethnicity,population. --bands gives the pay band boundaries\n"
	"(default 20000,30000,...,100000). Hourly pay and pay gaps are not given\n"
	"for a group of fewer than --min-group staff (default 50; 0 turns this\n"
	"off): such groups are given combined with the rest of their high-level\n"
	"group, or as a last resort with every group other than the reference,\n"
	"and the note says what was merged. --level both gives the high-level\n"
	"groups (against White) and then the detailed groups (against White\n"
	"British) in one table, a figure given at both levels once, as the\n"
	"published site does (with --disclosure-control, protected together).\n"
	"--wres adds each relative likelihood in the WRES orientation\n"
	"(reference over group). --by-sex adds each group's measures among\n"
	"female and among male staff, against the reference group of the same\n"
	"sex, and staff counts by sex; the sex is in the breakdown column\n"
	"('female', 'female; promoted'). xlsx needs -o FILE.\n"
	"--disclosure-control withholds, as [c], every figure that is or would\n"
	"reveal a count from 1 to N - 1 (--k, default 10), and may round the\n"
	"counts still shown to a multiple of --round (docs/disclosure.md); a\n"
	"summary of what was withheld goes to stderr.\n"
	"A borough's not-known rate and relative likelihoods are placed on a\n"
	"funnel plot around London's (funnel_position). The table format\n"
	"starts with the key findings.\n"
	"\n"
	"With --all-areas, every other local authority of England and Wales with\n"
	"a return for the year is reported too, with the regions (England's\n"
	"nine, and Wales) that hold returns, and England and England and Wales\n"
	"when they hold returns from outside London, each pooled from its\n"
	"authorities like London.\n"
	"\n"
	"`parity report summary` gives instead, for each authority with a return\n"
	"(those of --area, or every one with --all-areas), staff_count,\n"
	"mean_hourly_pay and median_hourly_pay by ethnic group and band_count by\n"
	"pay band and group: the table `parity analyse` gives from a file.\n"
	"\n"
	"`parity report service --help` describes the service measures, and\n"
	"`parity report attainment --help` the attainment measures.\n";

/* --disclosure-control and its --k and --round, as every report takes
 * them. */
struct report_sdc {
	bool on;                  /* --disclosure-control */
	bool tuned;               /* --k or --round given */
	struct sdc_options opt;
};

struct report_args {
	const char **areas;
	size_t nareas, area_cap;
	bool all_areas;
	bool summary;
	bool by_sex;             /* --by-sex */
	long year;
	const char *reference;
	const char *benchmark_path;
	const char *aliases_path;
	const char *out_path;
	const char *db;
	enum output_format format;
	struct workforce_options opt;
	bool both_levels;        /* --level both */
	struct report_sdc sdc;
};

/* --format for every report: table, csv, json or xlsx. CLI_OK with
 * *out set, or a usage error (printed, and returned). */
static int report_format(const char *text, enum output_format *out)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (output_format_parse(text, out, &err) < 0)
		return cli_usage_error("report: --format must be table, csv, "
				       "json or xlsx");
	return CLI_OK;
}

/* --disclosure-control ('S'), --k N ('K') or --round N ('R') into `s`:
 * CLI_OK, or a usage error (printed, and returned). */
static int report_sdc_option(struct report_sdc *s, int c, const char *text)
{
	double n;

	if (c == 'S') {
		s->on = true;
		return CLI_OK;
	}
	if (number_parse(text, &n) < 0 || n < 1 || n > 1e6 || n != floor(n))
		return cli_usage_error("report: --%s must be a whole number "
				       "from 1, not '%s'",
				       c == 'K' ? "k" : "round", text);
	if (c == 'K')
		s->opt.k = s->opt.protection = n;
	else
		s->opt.round_to = n;
	s->tuned = true;
	return CLI_OK;
}

/* --k and --round without --disclosure-control: a usage error (printed,
 * and returned); else CLI_OK. */
static int report_sdc_check(const struct report_sdc *s)
{
	if (s->tuned && !s->on)
		return cli_usage_error("report: --k and --round need "
				       "--disclosure-control");
	return CLI_OK;
}

/* "20000,30000,40000" into the band boundaries; -1 when malformed. */
static int parse_bands(const char *text, struct workforce_options *opt)
{
	char buf[64];
	const char *p = text;
	size_t n = 0;
	double v;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == 0 || len >= sizeof(buf) || n == WORKFORCE_MAX_BANDS)
			return -1;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (number_parse(buf, &v) < 0 || !(v > 0) ||
		    (n > 0 && !(v > opt->band_bounds[n - 1])))
			return -1;
		opt->band_bounds[n++] = v;
		p += len;
		if (*p == ',' && *++p == '\0')
			return -1;
	}
	if (n == 0)
		return -1;
	opt->band_bound_count = n;
	return 0;
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option options[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "area", required_argument, NULL, 'a' },
		{ "all-areas", no_argument, NULL, 'A' },
		{ "level", required_argument, NULL, 'l' },
		{ "reference", required_argument, NULL, 'r' },
		{ "full-time-hours", required_argument, NULL, 'H' },
		{ "benchmark", required_argument, NULL, 'b' },
		{ "aliases", required_argument, NULL, 'x' },
		{ "format", required_argument, NULL, 'f' },
		{ "bands", required_argument, NULL, 'B' },
		{ "wres", no_argument, NULL, 'W' },
		{ "by-sex", no_argument, NULL, 'X' },
		{ "min-group", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },
		{ "disclosure-control", no_argument, NULL, 'S' },
		{ "k", required_argument, NULL, 'K' },
		{ "round", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	double hours;
	int c;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (number_parse_int(optarg, 1900, 2200, &a->year) < 0)
				return cli_usage_error("report: --year must be "
						       "a year, not '%s'", optarg);
			break;
		case 'a':
			a->areas = xgrow(a->areas, &a->area_cap, a->nareas + 1,
					 sizeof(*a->areas));
			a->areas[a->nareas++] = optarg;
			break;
		case 'A': a->all_areas = true; break;
		case 'l':
			a->both_levels = strcmp(optarg, "both") == 0;
			if (a->both_levels)
				a->opt.level = ETH_LEVEL_HIGH;
			else if (ethnicity_level_parse(optarg, &a->opt.level,
						       &err) < 0) {
				cli_report(&err);
				return CLI_USAGE;
			}
			break;
		case 'r': a->reference = optarg; break;
		case 'H':
			if (number_parse(optarg, &hours) < 0 || !(hours > 0) ||
			    hours > 168)
				return cli_usage_error(
					"report: --full-time-hours must be a "
					"number of hours a week, not '%s'",
					optarg);
			a->opt.full_time_hours = hours;
			break;
		case 'b': a->benchmark_path = optarg; break;
		case 'x': a->aliases_path = optarg; break;
		case 'f':
			if (report_format(optarg, &a->format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'B':
			if (parse_bands(optarg, &a->opt) < 0)
				return cli_usage_error(
					"report: --bands must be rising amounts "
					"in pounds separated by commas (at most "
					"%d), not '%s'", WORKFORCE_MAX_BANDS,
					optarg);
			break;
		case 'W': a->opt.wres = true; break;
		case 'X': a->by_sex = true; break;
		case 'm':
			if (number_parse(optarg, &a->opt.pay_min_group) < 0 ||
			    !(a->opt.pay_min_group >= 0) ||
			    a->opt.pay_min_group > 1e9 ||
			    a->opt.pay_min_group !=
				    floor(a->opt.pay_min_group))
				return cli_usage_error(
					"report: --min-group must be a whole "
					"number of staff (0 for none), not "
					"'%s'", optarg);
			break;
		case 'o': a->out_path = optarg; break;
		case 'd': a->db = optarg; break;
		case 'S':
		case 'K':
		case 'R':
			if (report_sdc_option(&a->sdc, c, optarg) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			fputs(usage_text, stderr);
			return CLI_USAGE;
		}
	}
	if (argc - optind != 1 || (strcmp(argv[optind], "workforce") != 0 &&
				   strcmp(argv[optind], "summary") != 0)) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	a->summary = strcmp(argv[optind], "summary") == 0;
	if (report_sdc_check(&a->sdc) != CLI_OK)
		return CLI_USAGE;
	if (a->sdc.on && a->summary)
		return cli_usage_error("report: --disclosure-control applies "
				       "to `report workforce`");
	if (a->by_sex && a->summary)
		return cli_usage_error("report: --by-sex applies to `report "
				       "workforce`");
	if (a->year == 0)
		return cli_usage_error("report: --year is required");
	if (a->format == OUTPUT_XLSX && !a->out_path)
		return cli_usage_error("report: --format xlsx needs -o FILE");
	if (a->all_areas && a->nareas > 0)
		return cli_usage_error("report: give --area or --all-areas, "
				       "not both");
	if (a->reference && a->both_levels)
		return cli_usage_error("report: --level both compares each "
				       "level with its own reference group "
				       "(White, White British): leave out "
				       "--reference");
	if (a->reference &&
	    workforce_reference_parse(a->reference, a->opt.level,
				      &a->opt.reference, &err) < 0) {
		cli_report(&err);
		return CLI_USAGE;
	}
	return CLI_OK;
}

/* The reference group as findings name it. */
static const char *reference_name(const struct workforce_options *opt)
{
	size_t ref = workforce_reference(opt);

	if (opt->level == ETH_LEVEL_DETAILED && ref == ETH_WBRI)
		return "White British";
	return findings_group_name(ethnicity_level_group_label(opt->level,
								ref));
}

/* The terminal view: the key findings first, then the table, made safe
 * to show (a service's title and stages come from --definitions). */
static int write_text(const struct tidy_table *t, const char *heading,
		      const struct findings *f, FILE *out,
		      struct parity_error *err)
{
	struct cli_view v;
	FILE *view = cli_view_open(&v);
	size_t k;

	if (!view)
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"out of memory for the report");
	fputs("Key findings (", view);
	cli_put_safe(view, heading);
	fputs(")\n", view);
	if (f->count == 0)
		fprintf(view, "  none: no figure is flagged\n");
	for (k = 0; k < f->count; k++) {
		fprintf(view, "%3zu. ", k + 1);
		cli_put_safe(view, f->items[k].text);
		fputc('\n', view);
	}
	fprintf(view, "\n");
	if (cli_table_write_text(t, view, err) < 0) {
		fclose(view);
		free(v.buf);
		return -1;
	}
	return cli_view_close(&v, out, err);
}

/* Write a report in `format`, to `path` or stdout: the one output path of
 * both reports. A file is replaced only once it is written whole, and
 * never when it is the store, its key or an input (`guard`). */
static int write_report(const struct tidy_table *t, enum output_format format,
			const char *path, const struct cli_output_guard *guard,
			const char *title, const char *heading,
			const struct findings *f, struct parity_error *err)
{
	struct cli_output out;
	int rc;

	if (cli_output_open(&out, path, guard, err) < 0)
		return -1;
	if (format == OUTPUT_XLSX)
		rc = table_write_xlsx(t, title, cli_output_write_path(&out),
				      err);
	else if (format == OUTPUT_TABLE)
		rc = write_text(t, heading, f, out.file, err);
	else
		rc = table_write(t, format, out.file, err);
	return cli_output_close(&out, rc, err);
}

/* Append one area's measures (with --level both, a borough's placed on
 * the funnel plots around `london`, when not NULL), and with `by_sex`
 * (not NULL) its measures by sex to that table; 1 when it has no
 * workforce return (and `skip_empty`), 0 done, -1 on error. */
static int report_area(struct store *store, const struct area_set *areas,
		       int area, const struct report_args *a, bool skip_empty,
		       const struct tidy_table *london,
		       struct tidy_table *table, struct tidy_table *by_sex,
		       struct parity_error *err)
{
	int rc = a->both_levels
		 ? pooled_workforce_both_levels(store, areas, area,
						(int)a->year, &a->opt, london,
						table, err)
		 : pooled_workforce_measures(store, areas, area, (int)a->year,
					     &a->opt, table, err);

	if (rc == 0 && by_sex)
		rc = pooled_workforce_sex_measures(store, areas, area,
						   (int)a->year, &a->opt,
						   by_sex, err);

	if (rc > 0 && !skip_empty) {
		parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "no workforce return for %s (%s) in %ld is in "
				 "the store (see `parity returns list`)",
				 areas->areas[area].name,
				 areas->areas[area].code, a->year);
		return -1;
	}
	return rc;
}

/*
 * Whether the store holds a workforce return for `year` from an authority
 * within `area` but outside London: 1 if so, 0 if not, -1 on error. With
 * --all-areas a country (England, Wales, England and Wales) is reported only
 * then: pooled from London's boroughs alone it would repeat London's figures
 * under its own name, and a London store's reports stay London's.
 */
static int returns_beyond_london(struct store *store,
				 const struct area_set *areas, int area,
				 long year, struct parity_error *err)
{
	struct store_current current;
	int *leaves;
	int london = area_london(areas), has = 0;
	size_t n, k;

	if (store_current_load(store, STORE_WORKFORCE, (int)year, &current,
			       err) < 0)
		return -1;
	leaves = xcalloc(areas->count, sizeof(*leaves));
	n = area_leaves(areas, area, leaves);
	for (k = 0; k < n && has == 0; k++)
		has = !area_within(areas, leaves[k], london) &&
		      store_current_id(&current,
				       areas->areas[leaves[k]].code) != 0;
	free(leaves);
	store_current_release(&current);
	return has;
}

/* ---- parity report service ---- */

static const char service_usage_text[] =
	"usage: " SERVICE_SYNOPSIS
	"\n"
	"Rates and relative rate indices (RRIs) at each stage of a service\n"
	"(docs/measures.md, Services), from the pooled service returns of the\n"
	"area's boroughs: youth-justice, school-exclusions, stop-and-search, or\n"
	"one defined in --definitions FILE. YEAR is the year as the returns\n"
	"give it ('2023-24', or '2023'). The default area is London; an area\n"
	"may also be England (E92000001) for national figures. The reference\n"
	"group is White unless --reference names another (WBRI or 'White\n"
	"British' for detailed data). Rates start from the service's first\n"
	"stage as the returns give it; --base names one of the service's\n"
	"alternative bases instead (--base all: the RRI under every base\n"
	"side by side, one column per base: the stage before, the first\n"
	"stage, and each alternative base the returns give; table or csv),\n"
	"and --population FILE\n"
	"(area_code,ethnicity,population) gives residents to use. Where the\n"
	"returns give no first stage, Census 2021 residents of all ages are\n"
	"used and the rows are flagged weak_base. The table format starts\n"
	"with the key findings.\n";

struct service_args {
	const char **areas;
	size_t nareas, area_cap;
	bool all_areas;
	const char *service, *year_text, *reference, *base, *population;
	const char *definitions, *aliases, *out_path, *db;
	enum output_format format;
	int year;
	char period[16];
	struct service_options opt;
};

static int parse_service_args(int argc, char **argv, struct service_args *a)
{
	static const struct option options[] = {
		{ "service", required_argument, NULL, 's' },
		{ "year", required_argument, NULL, 'y' },
		{ "area", required_argument, NULL, 'a' },
		{ "all-areas", no_argument, NULL, 'A' },
		{ "level", required_argument, NULL, 'l' },
		{ "reference", required_argument, NULL, 'r' },
		{ "base", required_argument, NULL, 'B' },
		{ "population", required_argument, NULL, 'p' },
		{ "definitions", required_argument, NULL, 'D' },
		{ "aliases", required_argument, NULL, 'x' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	int c;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 's': a->service = optarg; break;
		case 'y': a->year_text = optarg; break;
		case 'a':
			a->areas = xgrow(a->areas, &a->area_cap, a->nareas + 1,
					 sizeof(*a->areas));
			a->areas[a->nareas++] = optarg;
			break;
		case 'A': a->all_areas = true; break;
		case 'l':
			if (ethnicity_level_parse(optarg, &a->opt.level,
						  &err) < 0 ||
			    (a->opt.level != ETH_LEVEL_DETAILED &&
			     a->opt.level != ETH_LEVEL_HIGH))
				return cli_usage_error("report: --level for a "
						       "service is detailed or "
						       "high, not '%s'", optarg);
			break;
		case 'r': a->reference = optarg; break;
		case 'B': a->base = optarg; break;
		case 'p': a->population = optarg; break;
		case 'D': a->definitions = optarg; break;
		case 'x': a->aliases = optarg; break;
		case 'f':
			if (report_format(optarg, &a->format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'o': a->out_path = optarg; break;
		case 'd': a->db = optarg; break;
		case 'h':
			fputs(service_usage_text, stdout);
			return -1;
		default:
			fputs(service_usage_text, stderr);
			return CLI_USAGE;
		}
	}
	if (argc - optind != 1 || strcmp(argv[optind], "service") != 0) {
		fputs(service_usage_text, stderr);
		return CLI_USAGE;
	}
	if (!a->service)
		return cli_usage_error("report: --service is required");
	if (!a->year_text)
		return cli_usage_error("report: --year is required");
	if (service_year_parse(a->year_text, &a->year, a->period) < 0)
		return cli_usage_error("report: --year must be a year ('2024') "
				       "or a financial or academic year "
				       "('2023-24'), not '%s'", a->year_text);
	if (a->format == OUTPUT_XLSX && !a->out_path)
		return cli_usage_error("report: --format xlsx needs -o FILE");
	if (a->all_areas && a->nareas > 0)
		return cli_usage_error("report: give --area or --all-areas, "
				       "not both");
	if (a->base && a->population)
		return cli_usage_error("report: give --base or --population, "
				       "not both");
	return CLI_OK;
}

/* One area's service measures; 1 when it has no return (and
 * `skip_empty`), 0 done, -1 on error. */
static int service_area_report(struct store *store,
			       const struct area_set *areas,
			       const struct service_def *def,
			       const struct service_area *area,
			       const struct service_args *a, bool skip_empty,
			       struct tidy_table *table,
			       struct parity_error *err)
{
	int rc = pooled_service_measures(store, areas, def, area, (int)a->year,
					 &a->opt, table, err);

	if (rc > 0 && !skip_empty) {
		parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "no %s return for %s (%s) in %s is in the "
				 "store (see `parity returns list --kind "
				 "service`)", def->name, area->name, area->code,
				 a->period);
		return -1;
	}
	return rc;
}

/* `parity report service ...`: what report needs, and the definitions,
 * the census and the classifier (for a --population file and
 * --reference). */
/*
 * A group of boroughs defined in the store (`parity areas define`) is an
 * area too: when a name given is not one of the built-in areas and the
 * store is there, open it now (which adds its groups to the areas), before
 * the areas are chosen; otherwise the unknown name is reported as one.
 */
static int open_groups_named(struct cli_env *env, const char *const *names,
			     size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (area_find(env->areas, names[k]) < 0 &&
		    !service_national_area_find(names[k]))
			break;
	if (k == n || !cli_db_exists(env->db))
		return CLI_OK;
	return cli_env_open(env, env->needs);
}

/*
 * The local areas a service or attainment report names (England, and
 * England and Wales, are reported apart and left out here), chosen as
 * every report chooses them: CLI_OK with *chosen (NULL when only national
 * areas were named), or CLI_USAGE after printing why.
 */
static int choose_local_areas(const struct area_set *areas,
			      const char *const *given, size_t ngiven,
			      bool all, int **chosen, size_t *nchosen)
{
	const char **names = xcalloc(ngiven + 1, sizeof(*names));
	size_t nnames = 0, k;

	*chosen = NULL;
	*nchosen = 0;
	for (k = 0; k < ngiven; k++)
		if (!service_national_area_find(given[k]))
			names[nnames++] = given[k];
	if (nnames > 0 || ngiven == 0)
		*chosen = cli_choose_areas(areas, "report", names, nnames, all,
					   nchosen);
	free(names);
	return (nnames > 0 || ngiven == 0) && !*chosen ? CLI_USAGE : CLI_OK;
}

/* ---- the RRI under every base (--base all) ---- */

#define MAX_BASES 8

/* The row of `measure` for the area, stage and group of `r` in `t`. */
static const struct tidy_row *same_place(const struct tidy_table *t,
					 const char *measure,
					 const struct tidy_row *r)
{
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *o = &t->rows[k];

		if (strcmp(o->measure, measure) == 0 &&
		    strcmp(o->area_code, r->area_code) == 0 &&
		    strcmp(o->breakdown, r->breakdown) == 0 &&
		    strcmp(o->ethnicity, r->ethnicity) == 0)
			return o;
	}
	return NULL;
}

/* The RRI of the base in `t` at the place of `r` (a stage-before RRI):
 * the RRI itself where its stage is taken of the base, else the
 * cumulative RRI. */
static double base_rri(const struct service_def *def,
		       const struct tidy_table *t, const struct tidy_row *r)
{
	int k = service_stage_find(def, r->breakdown);
	const struct tidy_row *o;

	if (k > 0 && k < (int)def->stage_count && def->stages[k].from == 0)
		o = same_place(t, "rri", r);
	else
		o = same_place(t, "cumulative_rri", r);
	return o ? o->value : NAN;
}

static void bases_figure(FILE *f, double v, bool csv, int width)
{
	char buf[32] = "";

	if (!isnan(v))
		snprintf(buf, sizeof(buf), "%.2f", v);
	if (csv)
		fprintf(f, ",%s", buf);
	else
		fprintf(f, "  %*s", width, buf[0] ? buf : "-");
}

/*
 * One line per area, stage and group with an RRI of the stage before:
 * that RRI, then the RRI of each base (the first stage's run `t`, then
 * each alternative base's in alt[]), as CSV or a text table.
 */
static int write_bases(const struct service_def *def,
		       const struct tidy_table *t,
		       const struct tidy_table *alt, const char **names,
		       size_t nbases, bool csv, const char *path,
		       const struct cli_output_guard *guard,
		       struct parity_error *err)
{
	struct cli_output out;
	const char *first = "the base";
	size_t k, b;
	int width = 0;

	if (cli_output_open(&out, path, guard, err) < 0)
		return -1;
	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, "base_population") == 0) {
			first = t->rows[k].breakdown;
			break;
		}
	if (csv) {
		fprintf(out.file, "area_code,area_name,stage,ethnicity,"
				  "rri_of_stage_before,\"rri_of_%s\"", first);
		for (b = 0; b < nbases; b++)
			fprintf(out.file, ",\"rri_of_%s\"", names[b]);
		fputc('\n', out.file);
	} else {
		fprintf(out.file, "%s: the relative rate index under each "
				  "base\n\nArea | stage | group | of the stage "
				  "before | of %s", def->title, first);
		for (b = 0; b < nbases; b++)
			fprintf(out.file, " | of %s", names[b]);
		fputc('\n', out.file);
		width = 8;
	}
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, "rri") != 0)
			continue;
		if (csv)
			fprintf(out.file, "%s,\"%s\",\"%s\",\"%s\"",
				r->area_code, r->area_name, r->breakdown,
				r->ethnicity);
		else
			fprintf(out.file, "%s | %s | %s |", r->area_name,
				r->breakdown, r->ethnicity);
		bases_figure(out.file, r->value, csv, width);
		bases_figure(out.file, base_rri(def, t, r), csv, width);
		for (b = 0; b < nbases; b++)
			bases_figure(out.file, base_rri(def, &alt[b], r), csv,
				     width);
		fputc('\n', out.file);
	}
	return cli_output_close(&out, 0, err);
}

/* Every alternative base's measures for the areas chosen, into alt[]
 * (initialised here); a base not every return gives is left out, its
 * reason printed. Returns how many, or -1 on error. */
static int alternative_bases(struct store *store,
			     const struct area_set *areas,
			     const struct service_def *def,
			     const struct service_args *a, const int *chosen,
			     size_t nchosen, struct tidy_table *alt,
			     const char **names, struct parity_error *err)
{
	size_t b, k, n = 0;

	for (b = 0; b < def->base_count && n < MAX_BASES; b++) {
		struct service_options opt = a->opt;
		int rc = 0;

		opt.base = (int)(def->stage_count + b);
		tidy_table_init(&alt[n]);
		for (k = 0; k < nchosen && rc >= 0; k++) {
			const struct area *ar = &areas->areas[chosen[k]];
			struct service_area sa;

			sa.code = ar->code;
			sa.name = ar->name;
			sa.type = area_type_name(ar->type);
			sa.index = chosen[k];
			rc = pooled_service_measures(store, areas, def, &sa,
						     (int)a->year, &opt,
						     &alt[n], err);
		}
		if (rc < 0 && err->code == PARITY_ERR_INTERNAL)
			return -1;
		if (rc < 0) {
			fprintf(stderr, "parity: report: no RRI of %s: %s\n",
				def->bases[b].name, err->message);
			parity_error_clear(err);
			tidy_table_free(&alt[n]);
			continue;
		}
		names[n++] = def->bases[b].name;
	}
	return (int)n;
}

static int report_service(int argc, char **argv, struct cli_env *env)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_args a;
	const struct area_set *areas;
	struct benchmark *population = NULL;
	const struct service_def *def;
	struct tidy_table table;
	struct findings f;
	struct cli_output_guard guard;
	int *chosen = NULL;
	size_t nchosen = 0, k;
	char title[160], heading[512], reference[256];
	int status;

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	a.format = OUTPUT_TABLE;
	service_options_init(&a.opt);
	status = parse_service_args(argc, argv, &a);
	if (status == CLI_OK) {
		cli_output_guard_init(&guard, "report");
		cli_output_guard_store(&guard, cli_db_path(a.db));
		cli_output_guard_input(&guard, "the --population file",
				       a.population);
		cli_output_guard_input(&guard, "the --definitions file",
				       a.definitions);
		cli_output_guard_input(&guard, "the --aliases file", a.aliases);
		status = cli_output_check(&guard, a.out_path);
	}
	if (status != CLI_OK) {
		free(a.areas);
		return status < 0 ? CLI_OK : status;
	}
	tidy_table_init(&table);
	env->db = a.db;
	env->aliases = a.aliases;
	env->definitions = a.definitions;
	status = cli_env_open(env, CLI_NEED_AREAS | CLI_NEED_CLASSIFIER |
				   CLI_NEED_SERVICES | CLI_NEED_CENSUS);
	if (status != CLI_OK)
		goto out;
	areas = env->areas;
	def = service_def_find(env->services, a.service);
	if (!def) {
		status = cli_usage_error("report: unknown service '%s' (see "
					 "data/services/)", a.service);
		goto out;
	}
	if (a.reference &&
	    service_reference_parse(env->classifier, a.reference,
				    &a.opt.reference,
				    &err) < 0) {
		cli_report(&err);
		status = CLI_USAGE;
		goto out;
	}
	if (a.base && strcmp(a.base, "all") == 0) {
		if (a.format != OUTPUT_TABLE && a.format != OUTPUT_CSV) {
			status = cli_usage_error("report: --base all gives a "
						 "table or csv");
			goto out;
		}
	} else if (a.base) {
		a.opt.base = service_stage_find(def, a.base);
		if (a.opt.base < (int)def->stage_count) {
			status = cli_usage_error(
				"report: --base must name one of %s's "
				"alternative bases%s, not '%s'", def->name,
				def->base_count ? "" : " (it has none)", a.base);
			goto out;
		}
	}
	if (a.population &&
	    benchmark_load_file(&population, areas, env->classifier,
				a.population, &err) < 0)
		goto fail;
	a.opt.census = env->census;
	a.opt.population = population;
	/* Areas: national ones by name here, the rest as every report. */
	status = open_groups_named(env, (const char *const *)a.areas,
				   a.nareas);
	if (status == CLI_OK)
		status = choose_local_areas(areas, a.areas, a.nareas,
					    a.all_areas, &chosen, &nchosen);
	if (status != CLI_OK)
		goto out;
	/* an unknown area is named before the store is opened */
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		goto out;
	for (k = 0; k < a.nareas; k++) {
		const struct service_national_area *nat =
			service_national_area_find(a.areas[k]);
		struct service_area sa;

		if (!nat)
			continue;
		sa.code = nat->code;
		sa.name = nat->name;
		sa.type = "country";
		sa.index = -1;
		if (service_area_report(env->store, areas, def, &sa, &a, false,
					&table, &err) < 0)
			goto fail;
	}
	for (k = 0; k < nchosen; k++) {
		const struct area *ar = &areas->areas[chosen[k]];
		struct service_area sa;

		sa.code = ar->code;
		sa.name = ar->name;
		sa.type = area_type_name(ar->type);
		sa.index = chosen[k];
		if (service_area_report(env->store, areas, def, &sa, &a,
					a.all_areas, &table, &err) < 0)
			goto fail;
	}
	if (table.count == 0) {
		parity_error_set(&err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "no %s returns for %s are in the store",
				 def->name, a.period);
		goto fail;
	}
	if (a.base && strcmp(a.base, "all") == 0) {
		struct tidy_table alt[MAX_BASES];
		const char *names[MAX_BASES];
		int n = alternative_bases(env->store, areas, def, &a, chosen,
					  nchosen, alt, names, &err);
		int k2, rc;

		if (n < 0)
			goto fail;
		rc = write_bases(def, &table, alt, names, (size_t)n,
				 a.format == OUTPUT_CSV, a.out_path, &guard,
				 &err);
		for (k2 = 0; k2 < n; k2++)
			tidy_table_free(&alt[k2]);
		if (rc < 0)
			goto fail;
		status = CLI_OK;
		goto out;
	}
	snprintf(reference, sizeof(reference), "%s",
		 a.opt.reference == ETH_WBRI
		 ? "White British"
		 : findings_group_name(service_group_label(a.opt.reference)));
	findings_build_service(&table, def, reference, &f);
	snprintf(title, sizeof(title), "parity: %s report, %s", def->title,
		 a.period);
	snprintf(heading, sizeof(heading), "%s, %s; reference group: %s",
		 def->title, a.period, reference);
	if (write_report(&table, a.format, a.out_path, &guard, title, heading,
			 &f, &err) < 0)
		goto fail;
	status = CLI_OK;
	goto out;
fail:
	cli_report(&err);
	status = cli_exit_for(&err);
out:
	findings_free(&f);
	tidy_table_free(&table);
	benchmark_free(population);
	free(chosen);
	free(a.areas);
	return status;
}

/* --disclosure-control: replace `table` by its protected copy, and say
 * on stderr what was withheld. */
static int protect(struct tidy_table *table, const struct area_set *areas,
		   const struct sdc_options *opt, struct parity_error *err)
{
	struct tidy_table safe;
	struct sdc_summary sum;

	tidy_table_init(&safe);
	if (sdc_protect_table(table, areas, opt, &safe, &sum, err) < 0) {
		tidy_table_free(&safe);
		return -1;
	}
	fprintf(stderr, "parity: disclosure control: %zu rows, %zu counts, "
		"%zu relations; withheld %zu below %g and %zu more to protect "
		"them, in %zu audit rounds (%zu linear programs; largest block "
		"%zu counts); narrowest interval %g\n",
		table->count, sum.cells, sum.relations, sum.primary, opt->k,
		sum.secondary, sum.audit_rounds, sum.lps, sum.largest_block,
		sum.narrowest);
	tidy_table_free(table);
	*table = safe;
	return 0;
}

/* ---- parity report attainment ---- */

static const char attainment_usage_text[] =
	"usage: " ATTAINMENT_SYNOPSIS
	"\n"
	"Attainment by ethnic group (docs/measures.md, Attainment), from the\n"
	"pooled attainment returns of the area's boroughs, for every academic\n"
	"year in the store (--year: that year, with the trend up to it). For\n"
	"each measure and group: pupils; the mean score; the gap to the\n"
	"reference group's mean with Welch's interval (a normal interval, with\n"
	"a note, when a return gives no SD: the SD is then assumed, by default\n"
	"20 Attainment 8 points, or --assumed-sd); the rate of reaching a\n"
	"threshold and its ratio to the reference's with Katz's interval; the\n"
	"gap's trend over the years (weighted least squares) with a test of\n"
	"whether it narrowed; and each borough's gap and ratio against\n"
	"London's on a funnel plot. The reference group is White British\n"
	"(White at the high level) unless --reference names another. The\n"
	"default area is London; --all-areas gives London, Inner and Outer\n"
	"London and every borough with a return; an area may be England\n"
	"(E92000001) for national figures. The table format starts with the\n"
	"key findings.\n"
	"--disclosure-control withholds, as [c], every figure that is or would\n"
	"reveal a count of pupils from 1 to N - 1 (--k, default 10): pupils of a\n"
	"group and those reaching a threshold, and every mean, gap, rate, ratio,\n"
	"trend and funnel position resting on them (docs/disclosure.md); it may\n"
	"round the counts still shown to a multiple of --round. A summary of\n"
	"what was withheld goes to stderr. A trend is shown only in a table of\n"
	"every year it spans (without --year), and a borough's funnel position\n"
	"only beside London's figures (--all-areas). Without it, the tables are\n"
	"for analysts, not for publication.\n";

struct attainment_args {
	const char **areas;
	size_t nareas, area_cap;
	bool all_areas;
	const char *year_text, *reference, *out_path, *db;
	enum output_format format;
	int year;
	char period[16];
	struct attainment_options opt;
	struct report_sdc sdc;
};

static int parse_attainment_args(int argc, char **argv,
				 struct attainment_args *a)
{
	static const struct option options[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "area", required_argument, NULL, 'a' },
		{ "all-areas", no_argument, NULL, 'A' },
		{ "level", required_argument, NULL, 'l' },
		{ "reference", required_argument, NULL, 'r' },
		{ "assumed-sd", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },
		{ "disclosure-control", no_argument, NULL, 'S' },
		{ "k", required_argument, NULL, 'K' },
		{ "round", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	double sd;
	int c;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 'y': a->year_text = optarg; break;
		case 'a':
			a->areas = xgrow(a->areas, &a->area_cap, a->nareas + 1,
					 sizeof(*a->areas));
			a->areas[a->nareas++] = optarg;
			break;
		case 'A': a->all_areas = true; break;
		case 'l':
			if (ethnicity_level_parse(optarg, &a->opt.level,
						  &err) < 0 ||
			    (a->opt.level != ETH_LEVEL_DETAILED &&
			     a->opt.level != ETH_LEVEL_HIGH))
				return cli_usage_error("report: --level for "
						       "attainment is detailed "
						       "or high, not '%s'",
						       optarg);
			break;
		case 'r': a->reference = optarg; break;
		case 's':
			if (number_parse(optarg, &sd) < 0 || !(sd > 0) ||
			    sd > 1000)
				return cli_usage_error("report: --assumed-sd "
						       "must be a number of "
						       "points above 0, not "
						       "'%s'", optarg);
			a->opt.assumed_sd = sd;
			break;
		case 'f':
			if (report_format(optarg, &a->format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'o': a->out_path = optarg; break;
		case 'd': a->db = optarg; break;
		case 'S':
		case 'K':
		case 'R':
			if (report_sdc_option(&a->sdc, c, optarg) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'h':
			fputs(attainment_usage_text, stdout);
			return -1;
		default:
			fputs(attainment_usage_text, stderr);
			return CLI_USAGE;
		}
	}
	if (argc - optind != 1 || strcmp(argv[optind], "attainment") != 0) {
		fputs(attainment_usage_text, stderr);
		return CLI_USAGE;
	}
	if (a->year_text) {
		if (service_year_parse(a->year_text, &a->year, a->period) < 0)
			return cli_usage_error("report: --year must be an "
					       "academic year ('2023-24') or a "
					       "year ('2024'), not '%s'",
					       a->year_text);
		a->opt.year = a->year;
	}
	if (report_sdc_check(&a->sdc) != CLI_OK)
		return CLI_USAGE;
	if (a->format == OUTPUT_XLSX && !a->out_path)
		return cli_usage_error("report: --format xlsx needs -o FILE");
	if (a->all_areas && a->nareas > 0)
		return cli_usage_error("report: give --area or --all-areas, "
				       "not both");
	return CLI_OK;
}

/* One area's attainment rows; 1 when it has no return (and `skip_empty`),
 * 0 done, -1 on an error. */
static int attainment_area_report(struct store *store,
				  const struct area_set *areas, int index,
				  const struct attainment_area *area,
				  const struct attainment_options *opt,
				  bool skip_empty, struct tidy_table *table,
				  struct parity_error *err)
{
	int rc = pooled_attainment_measures(store, areas, index, area, opt,
					    table, err);

	if (rc > 0 && !skip_empty) {
		parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "no attainment return for %s (%s) is in the "
				 "store (see `parity import attainment`)",
				 area->name, area->code);
		return -1;
	}
	return rc;
}

/* `parity report attainment ...`: the areas, the store, and the
 * classifier for --reference. */
static int report_attainment(int argc, char **argv, struct cli_env *env)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attainment_args a;
	const struct area_set *areas;
	struct tidy_table table, london;
	struct findings f;
	struct cli_output_guard guard;
	int *chosen = NULL;
	size_t nchosen = 0, k;
	char title[160], heading[512], reference[256];
	bool any_borough = false;
	int status;

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	a.format = OUTPUT_TABLE;
	attainment_options_init(&a.opt);
	sdc_options_init(&a.sdc.opt);
	status = parse_attainment_args(argc, argv, &a);
	if (status == CLI_OK) {
		cli_output_guard_init(&guard, "report");
		cli_output_guard_store(&guard, cli_db_path(a.db));
		status = cli_output_check(&guard, a.out_path);
	}
	if (status != CLI_OK) {
		free(a.areas);
		return status < 0 ? CLI_OK : status;
	}
	tidy_table_init(&table);
	tidy_table_init(&london);
	env->db = a.db;
	status = cli_env_open(env, CLI_NEED_AREAS | CLI_NEED_CLASSIFIER);
	if (status != CLI_OK)
		goto out;
	areas = env->areas;
	if (a.reference &&
	    service_reference_parse(env->classifier, a.reference,
				    &a.opt.reference, &err) < 0) {
		cli_report(&err);
		status = CLI_USAGE;
		goto out;
	}
	status = open_groups_named(env, (const char *const *)a.areas,
				   a.nareas);
	if (status == CLI_OK)
		status = choose_local_areas(areas, a.areas, a.nareas,
					    a.all_areas, &chosen, &nchosen);
	if (status != CLI_OK)
		goto out;
	/* an unknown area is named before the store is opened */
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		goto out;
	for (k = 0; k < a.nareas; k++) {
		const struct service_national_area *nat =
			service_national_area_find(a.areas[k]);
		struct attainment_area aa;

		if (!nat)
			continue;
		aa.code = nat->code;
		aa.name = nat->name;
		aa.type = "country";
		if (attainment_area_report(env->store, areas, -1, &aa, &a.opt,
					   false, &table, &err) < 0)
			goto fail;
	}
	/* Boroughs are placed on funnel plots around London's figures. */
	for (k = 0; k < nchosen; k++)
		if (areas->areas[chosen[k]].type == AREA_BOROUGH)
			any_borough = true;
	if (any_borough) {
		const struct area *ar = &areas->areas[area_london(areas)];
		struct attainment_area aa = { ar->code, ar->name,
					      area_type_name(ar->type) };

		if (attainment_area_report(env->store, areas,
					   area_london(areas), &aa, &a.opt,
					   true, &london, &err) < 0)
			goto fail;
		a.opt.london = &london;
	}
	for (k = 0; k < nchosen; k++) {
		const struct area *ar = &areas->areas[chosen[k]];
		struct attainment_area aa = { ar->code, ar->name,
					      area_type_name(ar->type) };

		if (attainment_area_report(env->store, areas, chosen[k], &aa,
					   &a.opt, a.all_areas, &table,
					   &err) < 0)
			goto fail;
	}
	if (table.count == 0) {
		parity_error_set(&err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "no attainment returns%s%s are in the store",
				 a.year_text ? " for " : "",
				 a.year_text ? a.period : "");
		goto fail;
	}
	if (a.sdc.on && protect(&table, areas, &a.sdc.opt, &err) < 0)
		goto fail;
	/* the reference as the rows name it: White when the returns give
	 * only major groups, whatever was asked */
	snprintf(reference, sizeof(reference), "%s",
		 a.opt.reference < 0
		 ? (a.opt.level == ETH_LEVEL_HIGH ? "White" : "White British")
		 : a.opt.reference == ETH_WBRI
		 ? "White British"
		 : findings_group_name(service_group_label(a.opt.reference)));
	for (k = 0; k < table.count; k++)
		if (strncmp(table.rows[k].note, "reference: ", 11) == 0) {
			size_t len = strcspn(table.rows[k].note + 11, ";");

			if (len >= sizeof(reference))
				len = sizeof(reference) - 1;
			memcpy(reference, table.rows[k].note + 11, len);
			reference[len] = '\0';
			break;
		}
	findings_build_attainment(&table, &f);
	snprintf(title, sizeof(title), "parity: attainment report%s%s",
		 a.year_text ? ", " : "", a.year_text ? a.period : "");
	snprintf(heading, sizeof(heading), "attainment%s%s; reference group: "
		 "%s", a.year_text ? ", " : "", a.year_text ? a.period : "",
		 reference);
	if (write_report(&table, a.format, a.out_path, &guard, title, heading,
			 &f, &err) < 0)
		goto fail;
	status = CLI_OK;
	goto out;
fail:
	cli_report(&err);
	status = cli_exit_for(&err);
out:
	findings_free(&f);
	tidy_table_free(&table);
	tidy_table_free(&london);
	free(chosen);
	free(a.areas);
	return status;
}

/* Add to `chosen` each partnership and group of boroughs whose figures
 * for `year` are its own (area_group_repeats()), as the site does. */
static int add_groups(struct store *store, const struct area_set *areas,
		      int year, int *chosen, size_t *nchosen,
		      struct parity_error *err)
{
	bool *has = xcalloc(areas->count, sizeof(*has));
	size_t k;

	if (pooled_workforce_returns(store, areas, year, has, err) < 0) {
		free(has);
		return -1;
	}
	for (k = 0; k < areas->count; k++)
		if (area_is_group(areas, (int)k) &&
		    area_group_repeats(areas, (int)k, has) == -1)
			chosen[(*nchosen)++] = (int)k;
	free(has);
	return 0;
}

/* `report summary`: each authority within the chosen areas that has a
 * return, in area order, summarised from its own aggregates. */
static int report_summary(struct store *store, const struct area_set *areas,
			  const int *chosen, size_t nchosen,
			  const struct report_args *a, struct tidy_table *table,
			  struct parity_error *err)
{
	struct store_current current;
	struct store_aggregates agg;
	size_t k, c;
	int rc = -1;

	if (store_current_load(store, STORE_WORKFORCE, (int)a->year, &current,
			       err) < 0)
		return -1;
	for (k = 0; k < areas->count; k++) {
		const char *code = areas->areas[k].code;

		for (c = 0; c < nchosen; c++)
			if (area_includes(areas, (int)k, chosen[c]))
				break;
		if (c == nchosen || (areas->areas[k].type != AREA_BOROUGH &&
				     areas->areas[k].type != AREA_LOCAL_AUTHORITY))
			continue;
		if (!store_current_id(&current, code))
			continue;
		if (store_aggregates_load(store, &code, 1, (int)a->year, &agg,
					  err) < 0)
			goto out;
		workforce_summary(&agg, areas, (int)k, (int)a->year, &a->opt,
				  table);
		store_aggregates_release(&agg);
	}
	rc = 0;
out:
	store_current_release(&current);
	return rc;
}

int cmd_report(int argc, char **argv, struct cli_env *env)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct report_args a;
	const struct area_set *areas;
	struct benchmark *file = NULL;
	struct store *store;
	struct tidy_table table, london, by_sex;
	struct findings f;
	struct cli_output_guard guard;
	char title[128], heading[256];
	int *chosen = NULL;
	bool any_borough = false;
	size_t nchosen = 0, k;
	int status, pass;

	if (argc >= 2 && strcmp(argv[1], "service") == 0)
		return report_service(argc, argv, env);
	if (argc >= 2 && strcmp(argv[1], "attainment") == 0)
		return report_attainment(argc, argv, env);
	memset(&f, 0, sizeof(f));
	memset(&a, 0, sizeof(a));
	a.format = OUTPUT_TABLE;
	workforce_options_init(&a.opt);
	sdc_options_init(&a.sdc.opt);
	status = parse_args(argc, argv, &a);
	if (status == CLI_OK) {
		cli_output_guard_init(&guard, "report");
		cli_output_guard_store(&guard, cli_db_path(a.db));
		cli_output_guard_input(&guard, "the --benchmark file",
				       a.benchmark_path);
		cli_output_guard_input(&guard, "the --aliases file",
				       a.aliases_path);
		status = cli_output_check(&guard, a.out_path);
	}
	if (status != CLI_OK) {
		free(a.areas);
		return status < 0 ? CLI_OK : status;
	}
	tidy_table_init(&table);
	tidy_table_init(&london);
	tidy_table_init(&by_sex);
	env->db = a.db;
	env->aliases = a.aliases_path;
	status = cli_env_open(env, CLI_NEED_AREAS);
	if (status != CLI_OK)
		goto out;
	areas = env->areas;
	/* every area: the store's groups too, so the store is opened first */
	status = a.all_areas ? cli_env_open(env, env->needs)
			     : open_groups_named(env,
						 (const char *const *)a.areas,
						 a.nareas);
	if (status != CLI_OK)
		goto out;
	chosen = cli_choose_areas(areas, "report", a.areas, a.nareas,
				  a.all_areas, &nchosen);
	if (!chosen) {
		status = CLI_USAGE;
		goto out;
	}
	/* London's partnerships and the store's groups of boroughs, as the
	 * published site has them: each but those whose figures would
	 * repeat another area's (area_group_repeats()) */
	if (a.all_areas && add_groups(env->store, areas, (int)a.year, chosen,
				      &nchosen, &err) < 0)
		goto fail;
	/* A national store: every area outside London's too, each reported
	 * when it holds returns: England and Wales, England, the other
	 * regions and Wales first, then their authorities. */
	if (a.all_areas)
		for (pass = 0; pass < 2; pass++)
			for (k = 0; k < areas->count; k++)
				if (!area_within(areas, (int)k,
						 area_london(areas)) &&
				    !area_is_group(areas, (int)k) &&
				    (areas->areas[k].type ==
				     AREA_LOCAL_AUTHORITY) == (pass == 1))
					chosen[nchosen++] = (int)k;
	/* an unknown area is named before the store is opened; residents
	 * come from the census or from a --benchmark file */
	status = cli_env_open(env, env->needs |
				   (a.summary ? 0
				    : a.benchmark_path ? CLI_NEED_CLASSIFIER
				    : CLI_NEED_CENSUS));
	if (status != CLI_OK)
		goto out;
	store = env->store;
	if (a.summary) {
		if (report_summary(store, areas, chosen, nchosen, &a, &table,
				   &err) < 0)
			goto fail;
		goto write;
	}
	if (a.benchmark_path &&
	    benchmark_load_file(&file, areas, env->classifier,
				a.benchmark_path, &err) < 0)
		goto fail;
	a.opt.benchmark = a.benchmark_path ? file : env->census;
	/* Boroughs are placed on funnel plots around London's figures. */
	for (k = 0; k < nchosen; k++)
		if (areas->areas[chosen[k]].type == AREA_BOROUGH)
			any_borough = true;
	if (any_borough &&
	    (a.both_levels
	     ? pooled_workforce_measures(store, areas, area_london(areas),
					 (int)a.year, &a.opt, &london, &err)
	     : report_area(store, areas, area_london(areas), &a, true, NULL,
			   &london, NULL, &err)) < 0)
		goto fail;
	for (k = 0; k < nchosen; k++) {
		size_t from = table.count;

		if (a.all_areas &&
		    areas->areas[chosen[k]].type == AREA_COUNTRY) {
			int beyond = returns_beyond_london(store, areas,
							   chosen[k], a.year,
							   &err);

			if (beyond < 0)
				goto fail;
			if (!beyond)
				continue;
		}
		if (report_area(store, areas, chosen[k], &a, a.all_areas,
				&london, &table, a.by_sex ? &by_sex : NULL,
				&err) < 0)
			goto fail;
		if (!a.both_levels &&
		    areas->areas[chosen[k]].type == AREA_BOROUGH)
			workforce_funnel(&london, &table, from);
	}
	/* the rows by sex after every area's, as the site has them */
	tidy_table_append(&table, &by_sex);
write:
	if (table.count == 0) {
		parity_error_set(&err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "no workforce returns for %ld are in the store",
				 a.year);
		goto fail;
	}
	if (a.sdc.on && protect(&table, areas, &a.sdc.opt, &err) < 0)
		goto fail;
	snprintf(title, sizeof(title), "parity: workforce report, %ld", a.year);
	findings_build(&table, reference_name(&a.opt), &f);
	snprintf(heading, sizeof(heading), "reference group: %s",
		 reference_name(&a.opt));
	if (write_report(&table, a.format, a.out_path, &guard, title, heading,
			 &f, &err) < 0)
		goto fail;
	status = CLI_OK;
	goto out;
fail:
	cli_report(&err);
	status = cli_exit_for(&err);
out:
	findings_free(&f);
	tidy_table_free(&table);
	tidy_table_free(&london);
	tidy_table_free(&by_sex);
	benchmark_free(file);
	free(chosen);
	free(a.areas);
	return status;
}
