/*
 * cmd_framework.c - `parity framework list|show|validate`: the frameworks
 * councils assess themselves against (standard/framework.h,
 * docs/frameworks.md): those built in, one shown whole, and a file
 * checked with every problem located.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"

#include "base/diag.h"
#include "standard/framework.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity framework list [--format table|csv|json]\n"
	"       parity framework show ID [--version N]\n"
	"       parity framework validate FILE...\n"
	"\n"
	"The frameworks councils assess themselves against (docs/frameworks.md):\n"
	"the Racial Equality Standard, the inclusive recruitment checklist and\n"
	"the cultural competency model (toolkits), and the service leads' survey.\n"
	"Each is a JSON file (data/frameworks/) with themes, and criteria with\n"
	"3 or 4 maturity levels, or survey questions; the shipped ones are a\n"
	"starting point for the programme to edit. list names them; show prints\n"
	"one whole (the newest version unless --version); validate checks files\n"
	"and prints every problem as FILE:LINE:COLUMN (exit 1 when any file has\n"
	"an error).\n"
	"\n"
	"options:\n"
	"  --version N      show this version of the framework\n"
	"  --format F       list as table (the default), csv or json\n"
	"  --framework-file FILE  also know the framework in FILE\n";

static void list_table(FILE *out, const struct framework_set *set)
{
	size_t k;

	fprintf(out, "%-26s  %-7s  %-8s  %-6s  %-5s  %s\n", "id", "version",
		"kind", "themes", "items", "title");
	for (k = 0; k < set->count; k++) {
		const struct framework *f = set->items[k];

		cli_put_cell(out, f->id, 26);
		fprintf(out, "  %-7d  %-8s  %-6zu  %-5zu  ", f->version,
			framework_kind_name(f->kind), f->nthemes,
			f->kind == FRAMEWORK_SURVEY ? f->nquestions :
						      f->ncriteria);
		cli_put_safe(out, f->title);
		fputc('\n', out);
	}
}

static void list_csv(const struct framework_set *set)
{
	char n[32];
	size_t k;

	printf("id,version,kind,themes,items,title,status\n");
	for (k = 0; k < set->count; k++) {
		const struct framework *f = set->items[k];

		cli_csv_put(f->id, true);
		snprintf(n, sizeof(n), "%d", f->version);
		cli_csv_put(n, false);
		cli_csv_put(framework_kind_name(f->kind), false);
		snprintf(n, sizeof(n), "%zu", f->nthemes);
		cli_csv_put(n, false);
		snprintf(n, sizeof(n), "%zu", f->kind == FRAMEWORK_SURVEY ?
			 f->nquestions : f->ncriteria);
		cli_csv_put(n, false);
		cli_csv_put(f->title, false);
		cli_csv_put(f->status, false);
		putchar('\n');
	}
}

static int list_json(const struct framework_set *set)
{
	json_t *doc = json_array();
	bool ok = doc != NULL;
	size_t k;

	for (k = 0; ok && k < set->count; k++) {
		const struct framework *f = set->items[k];
		json_t *o = json_object();

		ok = o && cli_json_set_text(o, "id", f->id) &&
		     cli_json_set_int(o, "version", f->version) &&
		     cli_json_set_text(o, "kind",
				       framework_kind_name(f->kind)) &&
		     cli_json_set_int(o, "themes", (long long)f->nthemes) &&
		     cli_json_set_int(o, "items", (long long)(
			     f->kind == FRAMEWORK_SURVEY ? f->nquestions :
							   f->ncriteria)) &&
		     cli_json_set_text(o, "title", f->title) &&
		     cli_json_set_text(o, "status", f->status) &&
		     json_array_append(doc, o) == 0;
		json_decref(o);
	}
	return cli_json_put(doc, ok, "framework");
}

static void put_line(FILE *out, const char *label, const char *text)
{
	fputs(label, out);
	cli_put_safe(out, text);
	fputc('\n', out);
}

static void show_link(FILE *out, const struct framework *f,
		      const struct framework_link *l)
{
	size_t k;

	fprintf(out, "      figures: ");
	cli_put_safe(out, l->measure);
	if (l->service[0]) {
		fputs(" of ", out);
		cli_put_safe(out, l->service);
	}
	if (l->ethnicity[0]) {
		fputs(", ", out);
		cli_put_safe(out, l->ethnicity);
	}
	if (l->breakdown[0]) {
		fputs(", at ", out);
		cli_put_safe(out, l->breakdown);
	}
	fputc('\n', out);
	for (k = 0; k < l->nrules; k++) {
		const struct framework_rule *r = &l->rules[k];

		fprintf(out, "        suggests %s when", framework_level_id(f, r->level));
		if (!isnan(r->at_least))
			fprintf(out, " at least %g", r->at_least);
		if (!isnan(r->at_least) && !isnan(r->below))
			fputs(" and", out);
		if (!isnan(r->below))
			fprintf(out, " below %g", r->below);
		fputc('\n', out);
	}
}

static void show(FILE *out, const struct framework *f)
{
	size_t t, k, j;

	put_line(out, "", f->title);
	fprintf(out, "%s version %d, a %s (%s)\n", f->id, f->version,
		framework_kind_name(f->kind), f->source);
	if (f->status[0])
		put_line(out, "status: ", f->status);
	if (f->nlevels) {
		fputs("levels:", out);
		for (k = 0; k < f->nlevels; k++)
			fprintf(out, " %zu %s%s", k + 1, f->levels[k].id,
				k + 1 < f->nlevels ? "," : "\n");
	}
	if (f->nservice_areas) {
		fputs("service areas:", out);
		for (k = 0; k < f->nservice_areas; k++)
			fprintf(out, " %s%s", f->service_areas[k].id,
				k + 1 < f->nservice_areas ? "," : "\n");
	}
	if (f->carry_from)
		fprintf(out, "carries criteria forward from version %d\n",
			f->carry_from);
	for (t = 0; t < f->nthemes; t++) {
		const struct framework_theme *th = &f->themes[t];

		fputc('\n', out);
		fprintf(out, "theme %s: ", th->id);
		cli_put_safe(out, th->title);
		fputc('\n', out);
		for (k = th->first; k < th->first + th->count; k++) {
			if (f->kind == FRAMEWORK_SURVEY) {
				const struct framework_question *q =
					&f->questions[k];

				fprintf(out, "  %s (%s): ", q->id,
					question_type_name(q->type));
				cli_put_safe(out, q->text);
				fputc('\n', out);
				for (j = 0; j < q->noptions; j++)
					fprintf(out, "      %s: %s\n",
						q->options[j].id,
						q->options[j].label);
				if (q->type == QUESTION_SCALE)
					fprintf(out, "      %d to %d\n",
						q->scale_min, q->scale_max);
				continue;
			}
			fprintf(out, "  %s: ", f->criteria[k].id);
			cli_put_safe(out, f->criteria[k].title);
			fputc('\n', out);
			for (j = 0; j < f->nlevels; j++) {
				fprintf(out, "    %zu %s: ", j + 1,
					f->levels[j].id);
				cli_put_safe(out,
					     f->criteria[k].levels[j].description);
				fputc('\n', out);
				put_line(out, "      evidence: ",
					 f->criteria[k].levels[j].evidence);
			}
			for (j = 0; j < f->criteria[k].nlinks; j++)
				show_link(out, f, &f->criteria[k].links[j]);
		}
	}
}

static int validate(int argc, char **argv, int first)
{
	struct diag_list problems = DIAG_LIST_INIT;
	struct framework *f;
	int k, status = CLI_OK;

	if (first >= argc) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	for (k = first; k < argc; k++) {
		diag_list_release(&problems);
		if (framework_read_file(argv[k], &f, &problems) < 0) {
			status = CLI_INVALID;
			cli_print_diags(&problems, 100, 100);
			continue;
		}
		cli_print_diags(&problems, 100, 100);
		cli_put_safe(stdout, argv[k]);
		printf(": %s version %d, a %s: %zu themes, %zu %s: valid\n",
		       f->id, f->version, framework_kind_name(f->kind),
		       f->nthemes, f->kind == FRAMEWORK_SURVEY ?
		       f->nquestions : f->ncriteria,
		       f->kind == FRAMEWORK_SURVEY ? "questions" : "criteria");
		framework_free(f);
	}
	diag_list_release(&problems);
	return status;
}

int cmd_framework(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ "framework-file", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	enum output_format format = OUTPUT_TABLE;
	const struct framework *f;
	struct cli_view view;
	long version = 0;
	char *end;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'v':
			version = strtol(optarg, &end, 10);
			if (*end || version < 1)
				return cli_usage_error("framework: --version "
						       "is a whole number");
			break;
		case 'f':
			if (cli_format_parse("framework", optarg, true,
					     &format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'F': env->framework_file = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[optind], "validate") == 0)
		return validate(argc, argv, optind + 1);
	if (strcmp(argv[optind], "list") == 0 && optind + 1 == argc) {
		status = cli_env_open(env, CLI_NEED_FRAMEWORKS);
		if (status != CLI_OK)
			return status;
		if (format == OUTPUT_CSV) {
			list_csv(env->frameworks);
			return CLI_OK;
		}
		if (format == OUTPUT_JSON)
			return list_json(env->frameworks);
		if (!cli_view_open(&view))
			return CLI_FAILURE;
		list_table(view.file, env->frameworks);
	} else if (strcmp(argv[optind], "show") == 0 && optind + 2 == argc) {
		status = cli_env_open(env, CLI_NEED_FRAMEWORKS);
		if (status != CLI_OK)
			return status;
		f = framework_find(env->frameworks, argv[optind + 1],
				   (int)version);
		if (!f) {
			cli_message("framework: no framework '%s'%s (see "
				    "`parity framework list`)",
				    argv[optind + 1],
				    version ? " of that version" : "");
			return CLI_INVALID;
		}
		if (!cli_view_open(&view))
			return CLI_FAILURE;
		show(view.file, f);
	} else {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (cli_view_close(&view, stdout, &err) < 0) {
		cli_report(&err);
		return CLI_FAILURE;
	}
	return CLI_OK;
}
