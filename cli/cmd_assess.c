/*
 * cmd_assess.c - `parity assess`: a council's assessment against a
 * framework (standard/assessment.h, docs/frameworks.md): the JSON
 * template to fill in (with the council's figures and the levels they
 * suggest when a council and year are given), saving a filled-in file as
 * the draft or submitting it, and `parity assess report`: a council's
 * levels, evidence, review, actions judged by results and progress, and
 * London's distribution, as a tidy table with a readable summary.
 *
 * The command line acts as cli:USER: each save, submission and review is
 * in the audit log (`parity audit`).
 */
#include "cli.h"
#include "listing.h"
#include "output.h"
#include "standard_cli.h"

#include "base/diag.h"
#include "domain/area.h"
#include "standard/review.h"
#include "standard/score.h"
#include "store/assessment_store.h"
#include "table/xlsx.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity assess --template --framework ID [--area CODE --year YEAR]\n"
	"       parity assess --area CODE --year YEAR --framework ID FILE.json\n"
	"                     [--submit]\n"
	"       parity assess report (--area CODE | --london) --framework ID\n"
	"                     [--year YEAR] [--format table|csv|json|xlsx]\n"
	"                     [-o FILE]\n"
	"   (each also takes [--db PATH] [--framework-file FILE])\n"
	"\n"
	"A council's assessment against a framework (`parity framework list`;\n"
	"docs/frameworks.md, docs/formats/assessment.md): one per framework,\n"
	"council and year. --template prints the JSON to fill in; with --area\n"
	"and --year it shows the council's own figures for each linked\n"
	"criterion (with their 95% intervals, unsuppressed) and the level they\n"
	"suggest, and carries forward what the council saved, or last year's\n"
	"submitted levels, evidence and actions. Given a FILE, the assessment is\n"
	"checked (every problem as FILE:LINE:COLUMN), its figures computed, and\n"
	"saved as the council's draft; with --submit it is submitted: complete,\n"
	"and from then on an immutable version (a later change starts the next\n"
	"version). A level that differs from the one the figures suggest needs\n"
	"a reason; an action's owner is a role, never a person's name.\n"
	"\n"
	"report gives, for a council, its levels and scores in every year (its\n"
	"progress), the evidence from its figures, its peer review, its earlier\n"
	"actions judged by whether their measures moved (change, interval,\n"
	"significance), and where it stands in London's distribution; for\n"
	"--london, the distribution (counts of councils at each level) and the\n"
	"levels of the councils that chose to share them. A survey's report is\n"
	"its answers by service area, free text without the council's name\n"
	"unless it chose to be named. The year is the newest with a submitted\n"
	"assessment unless --year. The table format starts with a summary.\n"
	"\n"
	"options:\n"
	"  --framework ID   the framework (newest version; the file says which)\n"
	"  --area CODE      the council, by code or name\n"
	"  --year YEAR      the year (the data year of the figures: 31 March)\n"
	"  --submit         submit the assessment, not only save the draft\n"
	"  --london         report London's distribution\n"
	"  --format F       table (the default), csv, json or xlsx\n"
	"  -o FILE          write the report to FILE (needed for xlsx)\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n"
	"  --framework-file FILE  also know the framework in FILE\n";

#define NEEDS (CLI_NEED_AREAS | CLI_NEED_CENSUS | CLI_NEED_SERVICES | \
	       CLI_NEED_FRAMEWORKS)

struct assess_args {
	const char *framework, *area, *output;
	int year;
	bool template, submit, london, report;
	enum output_format format;
	bool xlsx;
};

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

static void put_figure(FILE *out, double v, double lo, double hi)
{
	if (isnan(v)) {
		fputs("-", out);
		return;
	}
	fprintf(out, "%.2f", v);
	if (!isnan(lo) && !isnan(hi))
		fprintf(out, " (%.2f to %.2f)", lo, hi);
}

/* What was saved, for people to read. */
static void saved_view(FILE *out, const struct cli_env *env,
		       const struct framework *f, const struct assessment *a)
{
	int area = area_find(env->areas, a->area_code);
	size_t k, j;

	fprintf(out, "%s (%s): %s version %d, %d: %s version %d "
		"(assessment %lld)\n", env->areas->areas[area].name,
		a->area_code, f->id, f->version, a->year,
		a->submitted ? "submitted as" : "saved as draft", a->version,
		(long long)a->id);
	if (f->kind == FRAMEWORK_SURVEY) {
		fprintf(out, "answers: %zu\n", a->nanswers);
		return;
	}
	fprintf(out, "%-24s  %-12s  %-12s  %s\n", "criterion", "level",
		"suggested", "figure (95% interval)");
	for (k = 0; k < f->ncriteria; k++) {
		const struct assessment_criterion *c = NULL;

		for (j = 0; j < a->ncriteria; j++)
			if (strcmp(a->criteria[j].id, f->criteria[k].id) == 0)
				c = &a->criteria[j];
		cli_put_cell(out, f->criteria[k].id, 24);
		fprintf(out, "  %-12s  %-12s  ",
			c && c->level ? framework_level_id(f, c->level) : "-",
			c && c->suggested ?
			framework_level_id(f, c->suggested) : "-");
		if (c)
			put_figure(out, c->figure, c->figure_low,
				   c->figure_high);
		else
			fputs("-", out);
		fputc('\n', out);
	}
	if (a->nactions)
		fprintf(out, "actions:\n");
	for (k = 0; k < a->nactions; k++) {
		const struct assessment_action *x = &a->actions[k];

		fprintf(out, "  %zu. %s: ", k + 1, x->criterion);
		cli_put_safe(out, x->description);
		fprintf(out, " (owner ");
		cli_put_safe(out, x->owner_role);
		fprintf(out, "; due %s; %s)", x->due, x->status);
		if (x->measure[0]) {
			fprintf(out, "; %s", x->measure);
			if (x->ethnicity[0]) {
				fputs(", ", out);
				cli_put_safe(out, x->ethnicity);
			}
			fprintf(out, " starts at ");
			put_figure(out, x->start_value, NAN, NAN);
			fprintf(out, " in %d", x->start_year);
		}
		fputc('\n', out);
	}
}

static int print_problems(struct diag_list *d)
{
	diag_list_sort(d);
	cli_print_diags(d, 100, 100);
	return d->errors ? CLI_INVALID : CLI_OK;
}

static int save_file(struct cli_env *env, const struct assess_args *a,
		     const char *path, const char *area)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	const struct framework *f;
	struct cli_standard c;
	struct assessment as;
	struct cli_view view;
	size_t len;
	char *text;
	int status;

	status = cli_read_whole(path, &text, &len);
	if (status != CLI_OK)
		return status;
	if (assessment_parse(env->frameworks, text, len, path, area, a->year,
			     &as, &problems) < 0) {
		free(text);
		status = print_problems(&problems);
		diag_list_release(&problems);
		return status;
	}
	free(text);
	f = framework_find(env->frameworks, as.framework,
			   as.framework_version);
	if (a->framework && strcmp(a->framework, f->id) != 0) {
		assessment_release(&as);
		diag_list_release(&problems);
		return cli_usage_error("assess: %s is an assessment of '%s', "
				       "not of '%s'", path, f->id,
				       a->framework);
	}
	cli_standard_init(&c, env, area);
	if (standard_evidence_fill(&c.data, f, &as, &err) < 0) {
		assessment_release(&as);
		diag_list_release(&problems);
		return failed(&err);
	}
	if (assessment_check(f, &as, a->submit, path, &problems) < 0) {
		assessment_release(&as);
		status = print_problems(&problems);
		diag_list_release(&problems);
		return status;
	}
	(void)print_problems(&problems); /* warnings */
	diag_list_release(&problems);
	if (assessment_save(env->store, f, &as, a->submit, &c.actor,
			    &err) < 0) {
		assessment_release(&as);
		return failed(&err);
	}
	if (!cli_view_open(&view)) {
		assessment_release(&as);
		return CLI_FAILURE;
	}
	saved_view(view.file, env, f, &as);
	assessment_release(&as);
	if (cli_view_close(&view, stdout, &err) < 0)
		return failed(&err);
	return CLI_OK;
}

static int template(struct cli_env *env, const struct assess_args *a,
		    const char *area)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct assessment current, *earlier = NULL, *all = NULL;
	struct assessment_filter filter;
	const struct framework *f;
	struct cli_standard c;
	size_t n = 0, k;
	char *text;
	int rc;

	f = cli_framework_find(env, "assess", a->framework, 0);
	if (!f)
		return CLI_INVALID;
	memset(&current, 0, sizeof(current));
	if (!area) {
		text = assessment_template(f, NULL, NULL);
		printf("%s\n", text);
		free(text);
		return CLI_OK;
	}
	cli_standard_init(&c, env, area);
	rc = assessment_get(env->store, f->id, area, a->year, false, &current,
			    &err);
	if (rc < 0)
		return failed(&err);
	if (rc == 0) {
		snprintf(current.framework, sizeof(current.framework), "%s",
			 f->id);
		current.framework_version = f->version;
		snprintf(current.area_code, sizeof(current.area_code), "%s",
			 area);
		current.year = a->year;
	}
	memset(&filter, 0, sizeof(filter));
	filter.framework = f->id;
	filter.area_code = area;
	filter.submitted_only = true;
	filter.newest_only = true;
	if (store_assessments_list(env->store, &filter, &all, &n, &err) < 0) {
		assessment_release(&current);
		return failed(&err);
	}
	for (k = 0; k < n; k++)
		if (all[k].year < a->year &&
		    (!earlier || all[k].year > earlier->year))
			earlier = &all[k];
	if (standard_evidence_fill(&c.data, f, &current, &err) < 0) {
		assessment_release(&current);
		assessments_free(all, n);
		return failed(&err);
	}
	text = assessment_template(f, &current, earlier);
	printf("%s\n", text);
	free(text);
	assessment_release(&current);
	assessments_free(all, n);
	return CLI_OK;
}

/* ---- the report ---- */

/* The summary of a council's report. */
static int area_summary(FILE *out, struct cli_env *env,
			const struct framework *f, const char *area, int year,
			const struct tidy_table *t, struct parity_error *err)
{
	struct assessment a;
	struct standard_score sc;
	struct review r;
	size_t k, agreed = 0, actions = 0, moved = 0;
	int rc;

	fprintf(out, "%s (%s version %d): %s (%s), %d\n", f->title, f->id,
		f->version, cli_area_name(env->areas, area), area, year);
	rc = assessment_get(env->store, f->id, area, year, true, &a, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		fprintf(out, "no submitted assessment for %d\n", year);
	} else if (f->kind != FRAMEWORK_SURVEY) {
		standard_score(f, &a, &sc);
		if (sc.overall_level)
			fprintf(out, "overall: %s (%.2f)\n",
				framework_level_id(f, sc.overall_level),
				sc.overall_score);
		else
			fprintf(out, "overall: not scored\n");
		for (k = 0; k < f->nthemes; k++) {
			fprintf(out, "  %-14s ", f->themes[k].id);
			if (sc.theme_level[k])
				fprintf(out, "%s (%.2f)\n",
					framework_level_id(f,
							   sc.theme_level[k]),
					sc.theme_score[k]);
			else
				fprintf(out, "not scored\n");
		}
		standard_score_release(&sc);
		assessment_release(&a);
	} else {
		assessment_release(&a);
	}
	rc = review_get(env->store, f->id, area, year, &r, NULL, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		for (k = 0; k < r.nentries; k++)
			agreed += r.entries[k].agree;
		fprintf(out, "peer review by %s (%s): %s; agrees with %zu of "
			"%zu levels\n",
			cli_area_name(env->areas, r.reviewer_area),
			r.reviewer_area, r.signed_off_at ? "signed off" :
			"not signed off yet", agreed, r.nentries);
		if (r.response) {
			fprintf(out, "the council's response: ");
			cli_put_safe(out, r.response);
			fputc('\n', out);
		}
		review_release(&r);
	} else {
		fprintf(out, "peer review: none assigned\n");
	}
	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, "standard_action_change") == 0) {
			actions++;
			if (strcmp(t->rows[k].flag, "significant") == 0)
				moved++;
		}
	if (actions)
		fprintf(out, "actions from earlier years: %zu, of which %zu "
			"moved their measure significantly\n", actions, moved);
	fputc('\n', out);
	return 0;
}

static int london_summary(FILE *out, const struct framework *f, int year,
			  const struct tidy_table *t)
{
	size_t k, total = 0;

	fprintf(out, "%s (%s version %d): London, %d\n", f->title, f->id,
		f->version, year);
	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure,
			   "standard_overall_level_count") == 0) {
			total = (size_t)t->rows[k].denominator;
			fprintf(out, "  %-12s %.0f council%s\n",
				t->rows[k].flag, t->rows[k].value,
				t->rows[k].value == 1 ? "" : "s");
		}
	if (f->kind != FRAMEWORK_SURVEY)
		fprintf(out, "overall levels of %zu councils with a submitted, "
			"complete assessment\n", total);
	fputc('\n', out);
	return 0;
}

static int report(struct cli_env *env, const struct assess_args *a,
		  const char *area)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct cli_output_guard guard;
	struct standard_viewer viewer;
	const struct framework *f;
	struct cli_standard c;
	struct cli_output out;
	struct tidy_table t;
	struct cli_view view;
	char title[128];
	int year = a->year, rc = 0;

	f = cli_framework_find(env, "assess report", a->framework, 0);
	if (!f)
		return CLI_INVALID;
	if (!year) {
		rc = standard_latest_year(env->store, f, area, &year, &err);
		if (rc < 0)
			return failed(&err);
		if (rc == 0) {
			cli_message("assess report: no submitted assessment of "
				    "'%s'%s%s yet", f->id, area ? " by " : "",
				    area ? area : "");
			return CLI_INVALID;
		}
		rc = 0;
	}
	cli_standard_init(&c, env, area);
	memset(&viewer, 0, sizeof(viewer));
	viewer.area_code = area;
	tidy_table_init(&t);
	if (area) {
		rc = standard_progress_table(&c.data, f, area, &t, &err);
		if (rc == 0 && f->kind != FRAMEWORK_SURVEY)
			rc = standard_evidence_table(&c.data, f, area, year,
						     &t, &err);
		if (rc == 0)
			rc = standard_review_table(&c.data, f, area, year, &t,
						   &err);
		if (rc == 0)
			rc = standard_action_results(&c.data, f, area, year,
						     &t, &err);
	}
	if (rc == 0)
		rc = standard_distribution_table(&c.data, f, year, &t, &err);
	if (rc == 0 && !area)
		rc = standard_named_table(&c.data, f, year, &viewer, &t, &err);
	if (rc == 0)
		rc = standard_survey_table(&c.data, f, year, &viewer, &t, &err);
	if (rc < 0) {
		tidy_table_free(&t);
		return failed(&err);
	}
	cli_output_guard_init(&guard, "assess report");
	cli_output_guard_store(&guard, cli_db_path(env->db));
	if (cli_output_open(&out, a->output, &guard, &err) < 0) {
		tidy_table_free(&t);
		return failed(&err);
	}
	if (a->xlsx) {
		snprintf(title, sizeof(title), "%s %d", f->title, year);
		rc = table_write_xlsx(&t, title, cli_output_write_path(&out),
				      &err);
	} else if (a->format == OUTPUT_TABLE) {
		if (!cli_view_open(&view)) {
			rc = -1;
			parity_error_set(&err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					 "out of memory");
		} else {
			if (area)
				rc = area_summary(view.file, env, f, area,
						  year, &t, &err);
			else
				rc = london_summary(view.file, f, year, &t);
			if (rc == 0)
				rc = cli_table_write_text(&t, view.file, &err);
			if (cli_view_close(&view, out.file, rc ? NULL : &err) <
			    0)
				rc = -1;
		}
	} else {
		rc = table_write(&t, a->format, out.file, &err);
	}
	tidy_table_free(&t);
	if (cli_output_close(&out, rc, &err) < 0)
		return failed(&err);
	return CLI_OK;
}

int cmd_assess(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "template", no_argument, NULL, 't' },
		{ "framework", required_argument, NULL, 'F' },
		{ "area", required_argument, NULL, 'a' },
		{ "year", required_argument, NULL, 'y' },
		{ "submit", no_argument, NULL, 's' },
		{ "london", no_argument, NULL, 'L' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },
		{ "framework-file", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct assess_args a;
	char code[16];
	const char *file = NULL;
	int c, status, first;

	memset(&a, 0, sizeof(a));
	a.format = OUTPUT_TABLE;
	/* `parity assess report ...`: the action first */
	first = argc > 1 && strcmp(argv[1], "report") == 0;
	a.report = first;
	if (first) {
		argv++;
		argc--;
	}
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 't': a.template = true; break;
		case 'F': a.framework = optarg; break;
		case 'a': a.area = optarg; break;
		case 'y':
			if (cli_year_parse("assess", optarg, &a.year) !=
			    CLI_OK)
				return CLI_USAGE;
			break;
		case 's': a.submit = true; break;
		case 'L': a.london = true; break;
		case 'f':
			if (strcmp(optarg, "xlsx") == 0) {
				a.xlsx = true;
				a.format = OUTPUT_XLSX;
			} else if (output_format_parse(optarg, &a.format,
						       &err) < 0) {
				return cli_usage_error("assess: --format must "
						       "be table, csv, json "
						       "or xlsx");
			}
			break;
		case 'o': a.output = optarg; break;
		case 'd': env->db = optarg; break;
		case 'x': env->framework_file = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		file = argv[optind++];
	if (optind < argc || (a.report && (file || a.template || a.submit)) ||
	    (a.template && (file || a.submit)) ||
	    (!a.report && !a.template && !file)) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (a.xlsx && !a.output)
		return cli_usage_error("assess report: --format xlsx needs "
				       "-o FILE");
	if (a.report && !!a.area == a.london)
		return cli_usage_error("assess report: give --area CODE or "
				       "--london");
	if (!a.report && a.london)
		return cli_usage_error("assess: --london is for `parity "
				       "assess report`");
	if (!a.framework && (a.report || a.template))
		return cli_usage_error("assess: --framework ID is needed");
	if (file && (!a.area || !a.year))
		return cli_usage_error("assess: --area and --year are needed "
				       "with a file");
	if (a.template && !!a.area != !!a.year)
		return cli_usage_error("assess --template: give both --area "
				       "and --year, or neither");
	if (a.template && !a.area)
		status = cli_env_open(env, CLI_NEED_FRAMEWORKS);
	else
		status = cli_env_open(env, NEEDS | (a.report || a.template ?
						    CLI_NEED_STORE_READ :
						    CLI_NEED_STORE));
	if (status != CLI_OK)
		return status;
	if (a.area && cli_council_code(env, "assess", a.area, code) != CLI_OK)
		return CLI_USAGE;
	if (a.report)
		return report(env, &a, a.area ? code : NULL);
	if (a.template)
		return template(env, &a, a.area ? code : NULL);
	return save_file(env, &a, file, code);
}
