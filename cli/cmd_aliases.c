/*
 * cmd_aliases.c - `parity aliases add|remove|import|list|history`: the
 * programme's shared alias register, which every import reads labels
 * with (ingest/alias_register.h, docs/formats/aliases.md).
 *
 * Changes are checked by the classifier as an alias file's lines are and
 * made in one transaction each; a refused change says why and changes
 * nothing (exit 1). `list` and `history` are a terminal view (table), CSV
 * (each text field neutralised against formulas) or JSON.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"

#include "base/utf8.h"
#include "base/diag.h"
#include "domain/ethnicity.h"
#include "ingest/alias_register.h"
#include "table/render.h"
#include "store/store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERRORS_SHOWN 50
#define WARNINGS_SHOWN 20

static const char usage_text[] =
	"usage: parity aliases add LABEL CATEGORY [--by NAME] [--note TEXT]\n"
	"                          [--codes SYSTEM] [--db PATH]\n"
	"       parity aliases remove LABEL [--by NAME] [--db PATH]\n"
	"       parity aliases import FILE [--by NAME] [--codes SYSTEM]\n"
	"                          [--db PATH]\n"
	"       parity aliases list [--format table|csv|json] [--db PATH]\n"
	"       parity aliases history [--format table|csv|json] [--db PATH]\n"
	"\n"
	"The alias register: labels the programme has decided once for every\n"
	"council, read by every import (workforce, recruitment, service)\n"
	"before a return's own --aliases file. CATEGORY is a code (BAFR, NK)\n"
	"or a label parity reads as one category. Each alias is checked as a\n"
	"line of an alias file is: an unknown or group-only category, 'BAME',\n"
	"or an alias that contradicts parity's reading or another alias is\n"
	"refused, and nothing changes. Every change is a new version of the\n"
	"register, with who made it and when; a removed alias is kept in the\n"
	"history. `import` adds every alias of a file with the header\n"
	"label,category (and an optional note column) as one version: all or\n"
	"nothing, every problem listed as FILE:LINE:COLUMN.\n"
	"\n"
	"Returns already stored keep the reading they were stored with until\n"
	"`parity returns reclassify` reads them again.\n"
	"\n"
	"options:\n"
	"  --by NAME        who makes the change (default: your user name)\n"
	"  --note TEXT      why, kept with the alias\n"
	"  --codes SYSTEM   categories may be codes of a code list: nhs, dfe,\n"
	"                   police-sde or police-ode ('H' under nhs is Indian;\n"
	"                   'WROM' under dfe is Gypsy/Roma, which names no one\n"
	"                   category); the register keeps parity's own code\n"
	"  --format F       table (the default), csv or json\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n";

static void category_text(const char *code, char *out, size_t size)
{
	int id = ethnicity_find_code(code);

	snprintf(out, size, "%s", id < 0 ? "" :
		 ethnicity_category((enum ethnicity_id)id)->full_label);
}

/* ---- changes ---- */

static int report_failure(const struct parity_error *err,
			  const struct diag_list *diags)
{
	if (diags)
		cli_print_diags(diags, ERRORS_SHOWN, WARNINGS_SHOWN);
	cli_report(err);
	return cli_exit_for(err);
}

static int add(struct store *store, const char *label, const char *category,
	       const struct alias_change *how)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct alias_change_result res;
	char name[256];

	if (alias_register_add(store, label, category, how, &res, &err) < 0)
		return report_failure(&err, NULL);
	if (!res.version) {
		fputs("nothing to add: ", stdout);
		cli_put_safe(stdout, res.reading);
		fputc('\n', stdout);
		return CLI_OK;
	}
	category_text(res.category, name, sizeof(name));
	fputs("added '", stdout);
	cli_put_safe(stdout, label);
	printf("' as %s (%s): alias register version %d\n", name,
	       res.category, res.version);
	return CLI_OK;
}

static int remove_alias(struct store *store, const char *label,
			const struct alias_change *how)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct alias_change_result res;

	if (alias_register_remove(store, label, how, &res, &err) < 0)
		return report_failure(&err, NULL);
	fputs("removed '", stdout);
	cli_put_safe(stdout, res.removed.label);
	printf("' (%s, added in version %d): alias register version %d\n",
	       res.removed.category, res.removed.added_in, res.version);
	return CLI_OK;
}

static int import_file(struct store *store, const char *path,
		       const struct alias_change *how)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list diags = DIAG_LIST_INIT;
	struct alias_change_result res;
	int status = CLI_OK;

	if (alias_register_import(store, path, how, &diags, &res, &err) < 0) {
		status = report_failure(&err, &diags);
		diag_list_release(&diags);
		return status;
	}
	cli_print_diags(&diags, ERRORS_SHOWN, WARNINGS_SHOWN);
	diag_list_release(&diags);
	if (!res.version) {
		fputs("nothing to add: parity or the register already reads "
		      "every label of '", stdout);
		cli_put_safe(stdout, path);
		fputs("' so\n", stdout);
		return CLI_OK;
	}
	printf("imported %zu alias%s", res.added, res.added == 1 ? "" : "es");
	if (res.already)
		printf(" (%zu other%s changed nothing)", res.already,
		       res.already == 1 ? "" : "s");
	printf(": alias register version %d\n", res.version);
	return CLI_OK;
}

/* ---- list ---- */

static void pad(FILE *out, size_t have, size_t want)
{
	fprintf(out, "%*s", (int)(have < want ? want - have : 0), "");
}

static void list_table(FILE *out, const struct store_alias *a, size_t n,
		       int version)
{
	size_t k, label_w = 5, by_w = 2;

	fprintf(out, "alias register version %d: %zu alias%s\n", version, n,
		n == 1 ? "" : "es");
	if (n == 0)
		return;
	for (k = 0; k < n; k++) {
		if (utf8_length(a[k].label) > label_w)
			label_w = utf8_length(a[k].label);
		if (utf8_length(a[k].added_by) > by_w)
			by_w = utf8_length(a[k].added_by);
	}
	if (label_w > 40)
		label_w = 40;
	if (by_w > 20)
		by_w = 20;
	fprintf(out, "%-*s  %-4s  %-20s  %-7s  %-20s  %-*s  %s\n",
		(int)label_w, "label", "code", "category", "version",
		"added (UTC)", (int)by_w, "by", "note");
	for (k = 0; k < n; k++) {
		int id = ethnicity_find_code(a[k].category);

		cli_put_safe(out, a[k].label);
		pad(out, utf8_length(a[k].label), label_w);
		fprintf(out, "  %-4s  %-20.20s  %-7d  %-20s  ", a[k].category,
			id < 0 ? "" :
			ethnicity_category((enum ethnicity_id)id)->label,
			a[k].added_in, a[k].added_at);
		cli_put_safe(out, a[k].added_by);
		if (a[k].note[0]) {
			pad(out, utf8_length(a[k].added_by), by_w);
			fputs("  ", out);
			cli_put_safe(out, a[k].note);
		}
		fputc('\n', out);
	}
}

static void list_csv(const struct store_alias *a, size_t n)
{
	char name[256], num[32];
	size_t k;

	printf("label,code,category,version,added_at,added_by,note\n");
	for (k = 0; k < n; k++) {
		category_text(a[k].category, name, sizeof(name));
		snprintf(num, sizeof(num), "%d", a[k].added_in);
		cli_csv_put(a[k].label, true);
		cli_csv_put(a[k].category, false);
		cli_csv_put(name, false);
		cli_csv_put(num, false);
		cli_csv_put(a[k].added_at, false);
		cli_csv_put(a[k].added_by, false);
		cli_csv_put(a[k].note, false);
		putchar('\n');
	}
}

static int list_json(const struct store_alias *a, size_t n, int version)
{
	json_t *doc = json_object(), *items = json_array();
	char name[256];
	bool ok = doc && items && cli_json_set_int(doc, "version", version) &&
		  json_object_set(doc, "aliases", items) == 0;
	size_t k;

	for (k = 0; ok && k < n; k++) {
		json_t *o = json_object();

		category_text(a[k].category, name, sizeof(name));
		ok = o && cli_json_set_text(o, "label", a[k].label) &&
		     cli_json_set_text(o, "code", a[k].category) &&
		     cli_json_set_text(o, "category", name) &&
		     cli_json_set_int(o, "version", a[k].added_in) &&
		     cli_json_set_text(o, "added_at", a[k].added_at) &&
		     cli_json_set_text(o, "added_by", a[k].added_by) &&
		     (a[k].note[0] ? cli_json_set_text(o, "note", a[k].note)
				   : json_object_set_new(o, "note",
							 json_null()) == 0) &&
		     json_array_append(items, o) == 0;
		json_decref(o);
	}
	json_decref(items);
	return cli_json_put(doc, ok, "aliases");
}

static int list(struct store *store, enum output_format format)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_alias *a = NULL;
	struct cli_view view;
	size_t n = 0;
	int version = 0, status = CLI_OK;

	if (store_alias_version(store, &version, &err) < 0 ||
	    store_aliases_list(store, false, &a, &n, &err) < 0)
		return report_failure(&err, NULL);
	if (format == OUTPUT_CSV) {
		list_csv(a, n);
	} else if (format == OUTPUT_JSON) {
		status = list_json(a, n, version);
	} else if (cli_view_open(&view)) {
		list_table(view.file, a, n, version);
		if (cli_view_close(&view, stdout, &err) < 0)
			status = report_failure(&err, NULL);
	} else {
		status = CLI_FAILURE;
	}
	free(a);
	return status;
}

/* ---- history ---- */

/* One line per alias a version added or removed. */
struct change_line {
	const struct store_alias_version *v;
	const struct store_alias *a;
	const char *what; /* "add" or "remove" */
};

static size_t history_lines(const struct store_alias_version *v, size_t nv,
			    const struct store_alias *a, size_t na,
			    struct change_line *out)
{
	size_t i, k, n = 0;

	for (i = 0; i < nv; i++)
		for (k = 0; k < na; k++) {
			if (a[k].added_in == v[i].version)
				out[n++] = (struct change_line){ &v[i], &a[k],
								 "add" };
			if (a[k].removed_in == v[i].version)
				out[n++] = (struct change_line){ &v[i], &a[k],
								 "remove" };
		}
	return n;
}

static void history_table(FILE *out, const struct change_line *l, size_t n)
{
	size_t k;

	if (n == 0) {
		fprintf(out, "(the alias register was never changed)\n");
		return;
	}
	fprintf(out, "%-7s  %-20s  %-12s  %-6s  %-4s  %s\n", "version",
		"changed (UTC)", "by", "change", "code", "label");
	for (k = 0; k < n; k++) {
		fprintf(out, "%-7d  %-20s  ", l[k].v->version,
			l[k].v->changed_at);
		cli_put_safe(out, l[k].v->changed_by);
		fprintf(out, "%*s  %-6s  %-4s  ",
			(int)(strlen(l[k].v->changed_by) < 12
			      ? 12 - strlen(l[k].v->changed_by) : 0), "",
			l[k].what, l[k].a->category);
		cli_put_safe(out, l[k].a->label);
		if (l[k].v->source_name[0]) {
			fputs("  (from ", out);
			cli_put_safe(out, l[k].v->source_name);
			fprintf(out, ":%ld)", l[k].a->line);
		}
		fputc('\n', out);
	}
}

static void history_csv(const struct change_line *l, size_t n)
{
	char num[32], line[32];
	size_t k;

	printf("version,changed_at,changed_by,change,label,code,source,line\n");
	for (k = 0; k < n; k++) {
		snprintf(num, sizeof(num), "%d", l[k].v->version);
		snprintf(line, sizeof(line), "%ld", l[k].a->line);
		cli_csv_put(num, true);
		cli_csv_put(l[k].v->changed_at, false);
		cli_csv_put(l[k].v->changed_by, false);
		cli_csv_put(l[k].what, false);
		cli_csv_put(l[k].a->label, false);
		cli_csv_put(l[k].a->category, false);
		cli_csv_put(l[k].v->source_name, false);
		cli_csv_put(l[k].v->source_name[0] && l[k].a->line ? line : "",
			false);
		putchar('\n');
	}
}

static int history_json(const struct change_line *l, size_t n)
{
	json_t *doc = json_array();
	bool ok = doc != NULL;
	size_t k;

	for (k = 0; ok && k < n; k++) {
		json_t *o = json_object();

		ok = o && cli_json_set_int(o, "version", l[k].v->version) &&
		     cli_json_set_text(o, "changed_at", l[k].v->changed_at) &&
		     cli_json_set_text(o, "changed_by", l[k].v->changed_by) &&
		     cli_json_set_text(o, "change", l[k].what) &&
		     cli_json_set_text(o, "label", l[k].a->label) &&
		     cli_json_set_text(o, "code", l[k].a->category) &&
		     (l[k].v->source_name[0]
		      ? cli_json_set_text(o, "source", l[k].v->source_name) &&
			cli_json_set_int(o, "line", l[k].a->line)
		      : json_object_set_new(o, "source", json_null()) == 0) &&
		     json_array_append(doc, o) == 0;
		json_decref(o);
	}
	return cli_json_put(doc, ok, "aliases");
}

static int history(struct store *store, enum output_format format)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_alias_version *v = NULL;
	struct store_alias *a = NULL;
	struct change_line *lines;
	struct cli_view view;
	size_t nv = 0, na = 0, n;
	int status = CLI_OK;

	if (store_alias_versions(store, &v, &nv, &err) < 0 ||
	    store_aliases_list(store, true, &a, &na, &err) < 0) {
		free(v);
		return report_failure(&err, NULL);
	}
	lines = calloc(2 * na + 1, sizeof(*lines));
	if (!lines) {
		free(v);
		free(a);
		return CLI_FAILURE;
	}
	n = history_lines(v, nv, a, na, lines);
	if (format == OUTPUT_CSV) {
		history_csv(lines, n);
	} else if (format == OUTPUT_JSON) {
		status = history_json(lines, n);
	} else if (cli_view_open(&view)) {
		history_table(view.file, lines, n);
		if (cli_view_close(&view, stdout, &err) < 0)
			status = report_failure(&err, NULL);
	} else {
		status = CLI_FAILURE;
	}
	free(lines);
	free(v);
	free(a);
	return status;
}

/* ---- the command ---- */


/* The actions, with how many arguments each takes. */
static const struct cli_action actions[] = {
	{ "add", 2 }, { "remove", 1 }, { "import", 1 }, { "list", 0 },
	{ "history", 0 }, { NULL, 0 }
};

int cmd_aliases(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "note", required_argument, NULL, 'n' },
		{ "codes", required_argument, NULL, 'C' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct alias_change how = { NULL, NULL, NULL, ETH_CODES_NONE };
	enum output_format format = OUTPUT_TABLE;
	const char *action;
	bool formatted = false;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'b': how.by = optarg; break;
		case 'n': how.note = optarg; break;
		case 'C':
			if (ethnicity_code_system_parse(optarg, &how.codes,
							&err) < 0)
				return cli_usage_error("aliases: %s",
						       err.message);
			break;
		case 'f':
			if (cli_format_parse("aliases", optarg, true,
					     &format) != CLI_OK)
				return CLI_USAGE;
			formatted = true;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (cli_action_find(actions, argc, argv, optind, usage_text) < 0)
		return CLI_USAGE;
	action = argv[optind];
	if (how.note && strcmp(action, "add") != 0)
		return cli_usage_error("aliases: --note goes with add");
	if (how.codes != ETH_CODES_NONE && strcmp(action, "add") != 0 &&
	    strcmp(action, "import") != 0)
		return cli_usage_error("aliases: --codes goes with add and "
				       "import");
	if (formatted && strcmp(action, "list") != 0 &&
	    strcmp(action, "history") != 0)
		return cli_usage_error("aliases: --format goes with list and "
				       "history");
	if (!how.by)
		how.by = cli_user_name();
	/* list and history only read the register */
	status = cli_env_open(env, strcmp(action, "list") == 0 ||
					   strcmp(action, "history") == 0
					   ? CLI_NEED_STORE_READ
					   : CLI_NEED_STORE);
	if (status != CLI_OK)
		return status;
	if (strcmp(action, "add") == 0)
		return add(env->store, argv[optind + 1], argv[optind + 2],
			   &how);
	if (strcmp(action, "remove") == 0)
		return remove_alias(env->store, argv[optind + 1], &how);
	if (strcmp(action, "import") == 0)
		return import_file(env->store, argv[optind + 1], &how);
	if (strcmp(action, "list") == 0)
		return list(env->store, format);
	return history(env->store, format);
}
