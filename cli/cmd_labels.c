/*
 * cmd_labels.c - `parity labels`: every ethnicity label the current
 * returns carried, with how many records carried it, what it was read as
 * and by which rule; and, with --refused, the labels failed imports
 * refused, with what the register makes of them now, so that an analyst
 * can settle the common ones in one pass (docs/formats/labels.md).
 *
 * Read-only: the store is opened for reading, and the labels are read
 * from what each import kept (store.h, "labels seen"). Output is a
 * terminal view (table), CSV (text neutralised against formulas) or
 * JSON.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"

#include "base/alloc.h"
#include "base/diag.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "ingest/alias_register.h"
#include "table/render.h"
#include "store/store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity labels [--year YEAR] [--area CODE] [--kind KIND]\n"
	"                     [--refused] [--format table|csv|json] [--db PATH]\n"
	"\n"
	"Every ethnicity label of the current returns (workforce, recruitment\n"
	"and service), with the records that carried it (rows, for service\n"
	"returns), how many returns, the category it was read as and by which\n"
	"rule: built-in, code system, write-in, register (the alias register,\n"
	"`parity aliases`), alias file (the import's own --aliases), or\n"
	"service (a service's own group labels). Most common first.\n"
	"\n"
	"--refused lists instead the labels that imports refused, kept with\n"
	"how many records of each return carried them (never the rows), until\n"
	"that return imports; `now` says what parity and the register make of\n"
	"each today.\n"
	"\n"
	"options:\n"
	"  --year YEAR   returns for this year only\n"
	"  --area CODE   returns of this area (a borough or local authority,\n"
	"                or an area containing them), by code or name\n"
	"  --kind KIND   workforce, recruitment or service\n"
	"  --refused     the labels imports refused\n"
	"  --format F    table (the default), csv or json\n"
	"  --db PATH     the store (default: $PARITY_DB, else parity.db)\n";

/* The label of a category or service group code, "" when unknown. */
static const char *code_label(const char *code, bool full)
{
	int id = ethnicity_find_code(code);
	int g;

	if (id >= 0)
		return full ? ethnicity_category((enum ethnicity_id)id)->full_label
			    : ethnicity_category((enum ethnicity_id)id)->label;
	g = service_group_find_code(code);
	return g >= 0 ? service_group_label(g) : "";
}

/* A label as the table shows it: "(blank)" for the blank label. */
static void put_label(FILE *out, const char *label)
{
	if (label[0])
		cli_put_safe(out, label);
	else
		fputs("(blank)", out);
}

static size_t label_width(const char *label)
{
	size_t n = 0;

	if (!label[0])
		return 7; /* "(blank)" */
	for (; *label; label++)
		if (((unsigned char)*label & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- the labels read ---- */

static void totals_table(FILE *out, const struct store_label_total *t,
			 size_t n, size_t refused)
{
	char records[32], returns[32];
	long all = 0;
	size_t k;

	size_t width = 5;

	for (k = 0; k < n; k++) {
		all += t[k].records;
		if (label_width(t[k].label) > width)
			width = label_width(t[k].label);
	}
	if (width > 40)
		width = 40;
	format_value((double)all, UNIT_COUNT, records, sizeof(records));
	if (n == 0)
		fprintf(out, "labels of the current returns: none\n");
	else
		fprintf(out, "labels of the current returns: %zu label%s in %s "
			"record%s\n%9s  %7s  %-11s  %-4s  %-*s  %s\n", n,
			n == 1 ? "" : "s", records, all == 1 ? "" : "s",
			"records", "returns", "rule",
			"code", (int)width, "label", "category");
	for (k = 0; k < n; k++) {
		size_t w = label_width(t[k].label);

		format_value((double)t[k].records, UNIT_COUNT, records,
			     sizeof(records));
		format_value((double)t[k].returns, UNIT_COUNT, returns,
			     sizeof(returns));
		fprintf(out, "%9s  %7s  %-11s  %-4s  ", records, returns,
			t[k].rule, t[k].category);
		put_label(out, t[k].label);
		fprintf(out, "%*s  %s\n", (int)(w < width ? width - w : 0), "",
			code_label(t[k].category, false));
	}
	if (refused)
		fprintf(out, "%zu label%s refused by failed imports: `parity "
			"labels --refused`\n", refused, refused == 1 ? "" : "s");
}

static void totals_csv(const struct store_label_total *t, size_t n)
{
	char num[32];
	size_t k;

	printf("label,records,returns,code,category,rule\n");
	for (k = 0; k < n; k++) {
		cli_csv_put(t[k].label, true);
		snprintf(num, sizeof(num), "%ld", t[k].records);
		cli_csv_put(num, false);
		snprintf(num, sizeof(num), "%ld", t[k].returns);
		cli_csv_put(num, false);
		cli_csv_put(t[k].category, false);
		cli_csv_put(code_label(t[k].category, true), false);
		cli_csv_put(t[k].rule, false);
		putchar('\n');
	}
}

static int totals_json(const struct store_label_total *t, size_t n)
{
	json_t *doc = json_array();
	bool ok = doc != NULL;
	size_t k;

	for (k = 0; ok && k < n; k++) {
		json_t *o = json_object();

		ok = o && cli_json_set_text(o, "label", t[k].label) &&
		     cli_json_set_int(o, "records", t[k].records) &&
		     cli_json_set_int(o, "returns", t[k].returns) &&
		     cli_json_set_text(o, "code", t[k].category) &&
		     cli_json_set_text(o, "category", code_label(t[k].category, true)) &&
		     cli_json_set_text(o, "rule", t[k].rule) &&
		     json_array_append(doc, o) == 0;
		json_decref(o);
	}
	return cli_json_put(doc, ok, "labels");
}

/* ---- the labels refused ---- */

/* What parity and the register make of a refused label now. */
struct reading {
	char code[16];    /* "" when still refused */
	char rule[16];
	char text[1024];  /* "reads as ..." or why it is refused */
};

static void read_now(const struct ethnicity_classifier *cls,
		     const struct alias_register *reg,
		     const struct store_refused_label *l, struct reading *r)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_match m;
	int g;

	memset(r, 0, sizeof(*r));
	memset(&m, 0, sizeof(m));
	if (l->kind == STORE_SERVICE) {
		if (service_group_classify(cls, l->label, &g, &err) < 0) {
			snprintf(r->text, sizeof(r->text), "%s", err.message);
			return;
		}
		snprintf(r->code, sizeof(r->code), "%s", service_group_code(g));
		snprintf(r->rule, sizeof(r->rule), "%s",
			 ethnicity_classify(cls, l->label, &m, &err) == 0
			 ? label_rule_name(label_rule_of(&m, reg, l->label))
			 : "service");
	} else {
		if (ethnicity_classify(cls, l->label, &m, &err) < 0) {
			snprintf(r->text, sizeof(r->text), "%s", err.message);
			return;
		}
		if (m.id < 0) {
			snprintf(r->text, sizeof(r->text), "names only a "
				 "high-level group (%s): the store keeps "
				 "detailed groups",
				 ethnicity_group_info(m.group)->label);
			return;
		}
		snprintf(r->code, sizeof(r->code), "%s",
			 ethnicity_category((enum ethnicity_id)m.id)->code);
		snprintf(r->rule, sizeof(r->rule), "%s",
			 label_rule_name(label_rule_of(&m, reg, l->label)));
	}
	snprintf(r->text, sizeof(r->text), "reads now as %s (%s, %s)",
		 code_label(r->code, false), r->code, r->rule);
}

static void return_name(const struct store_refused_label *l, char *out,
			size_t size)
{
	snprintf(out, size, "%s%s%s %s %d", store_kind_name(l->kind),
		 l->subject[0] ? " " : "", l->subject, l->area_code, l->year);
}

static void refused_table(FILE *out, const struct store_refused_label *l,
			  const struct reading *now, size_t n)
{
	char records[32], ret[160];
	long all = 0;
	size_t k;

	for (k = 0; k < n; k++)
		all += l[k].records;
	format_value((double)all, UNIT_COUNT, records, sizeof(records));
	if (n == 0)
		fprintf(out, "labels refused by failed imports: none\n");
	else
		fprintf(out, "labels refused by failed imports: %zu label%s "
			"in %s record%s\n%9s  %-30s  %-20s  %s\n", n,
			n == 1 ? "" : "s", records, all == 1 ? "" : "s",
			"records", "return",
			"refused (UTC)", "label: now");
	for (k = 0; k < n; k++) {
		format_value((double)l[k].records, UNIT_COUNT, records,
			     sizeof(records));
		return_name(&l[k], ret, sizeof(ret));
		fprintf(out, "%9s  ", records);
		cli_put_safe(out, ret);
		fprintf(out, "%*s  %-20s  ",
			(int)(strlen(ret) < 30 ? 30 - strlen(ret) : 0), "",
			l[k].refused_at);
		put_label(out, l[k].label);
		fputs(": ", out);
		cli_put_safe(out, now[k].text);
		fputc('\n', out);
	}
}

static void refused_csv(const struct store_refused_label *l,
			const struct reading *now, size_t n)
{
	char num[32];
	size_t k;

	printf("label,records,kind,service,area_code,year,refused_at,"
	       "now_code,now_rule,now\n");
	for (k = 0; k < n; k++) {
		cli_csv_put(l[k].label, true);
		snprintf(num, sizeof(num), "%ld", l[k].records);
		cli_csv_put(num, false);
		cli_csv_put(store_kind_name(l[k].kind), false);
		cli_csv_put(l[k].subject, false);
		cli_csv_put(l[k].area_code, false);
		snprintf(num, sizeof(num), "%d", l[k].year);
		cli_csv_put(num, false);
		cli_csv_put(l[k].refused_at, false);
		cli_csv_put(now[k].code, false);
		cli_csv_put(now[k].rule, false);
		cli_csv_put(now[k].text, false);
		putchar('\n');
	}
}

static int refused_json(const struct store_refused_label *l,
			const struct reading *now, size_t n)
{
	json_t *doc = json_array();
	bool ok = doc != NULL;
	size_t k;

	for (k = 0; ok && k < n; k++) {
		json_t *o = json_object();

		ok = o && cli_json_set_text(o, "label", l[k].label) &&
		     cli_json_set_int(o, "records", l[k].records) &&
		     cli_json_set_text(o, "kind", store_kind_name(l[k].kind)) &&
		     (l[k].subject[0] ? cli_json_set_text(o, "service", l[k].subject)
				      : json_object_set_new(
						o, "service", json_null()) == 0) &&
		     cli_json_set_text(o, "area_code", l[k].area_code) &&
		     cli_json_set_int(o, "year", l[k].year) &&
		     cli_json_set_text(o, "refused_at", l[k].refused_at) &&
		     (now[k].code[0]
		      ? cli_json_set_text(o, "now_code", now[k].code) &&
			cli_json_set_text(o, "now_rule", now[k].rule)
		      : json_object_set_new(o, "now_code", json_null()) == 0 &&
			json_object_set_new(o, "now_rule", json_null()) == 0) &&
		     cli_json_set_text(o, "now", now[k].text) &&
		     json_array_append(doc, o) == 0;
		json_decref(o);
	}
	return cli_json_put(doc, ok, "labels");
}

/*
 * The refused labels, with what the register makes of them now. A
 * register alias this parity refuses is said, as a warning: the others
 * still read.
 */
static int refused(struct store *store, const struct store_label_filter *f,
		   enum output_format format)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct ethnicity_classifier *cls = NULL;
	struct alias_register reg;
	struct store_refused_label *l = NULL;
	struct reading *now = NULL;
	struct cli_view view;
	size_t n = 0, k;
	int status = CLI_OK;

	memset(&reg, 0, sizeof(reg));
	if (store_refused_labels_list(store, f, &l, &n, &err) < 0 ||
	    ethnicity_classifier_new(&cls, &err) < 0)
		goto failed;
	if (alias_register_load(store, cls, &reg, &problems, &err) < 0) {
		if (err.code != PARITY_ERR_VALIDATION)
			goto failed;
		for (k = 0; k < problems.count; k++)
			cli_message("warning: %s", problems.items[k].message);
	}
	now = calloc(n + 1, sizeof(*now));
	if (!now)
		goto failed;
	for (k = 0; k < n; k++)
		read_now(cls, &reg, &l[k], &now[k]);
	if (format == OUTPUT_CSV) {
		refused_csv(l, now, n);
	} else if (format == OUTPUT_JSON) {
		status = refused_json(l, now, n);
	} else if (cli_view_open(&view)) {
		refused_table(view.file, l, now, n);
		if (cli_view_close(&view, stdout, &err) < 0)
			goto failed;
	} else {
		status = CLI_FAILURE;
	}
	goto out;
failed:
	cli_report(&err);
	status = cli_exit_for(&err);
	if (status == CLI_OK)
		status = CLI_FAILURE;
out:
	free(now);
	free(l);
	alias_register_release(&reg);
	ethnicity_classifier_free(cls);
	diag_list_release(&problems);
	return status;
}

static int totals(struct store *store, const struct store_label_filter *f,
		  enum output_format format)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_label_total *t = NULL;
	struct store_refused_label *r = NULL;
	struct cli_view view;
	size_t n = 0, nr = 0;
	int status = CLI_OK;

	if (store_label_totals(store, f, &t, &n, &err) < 0 ||
	    store_refused_labels_list(store, f, &r, &nr, &err) < 0) {
		free(t);
		cli_report(&err);
		return cli_exit_for(&err);
	}
	if (format == OUTPUT_CSV) {
		totals_csv(t, n);
	} else if (format == OUTPUT_JSON) {
		status = totals_json(t, n);
	} else if (cli_view_open(&view)) {
		totals_table(view.file, t, n, nr);
		if (cli_view_close(&view, stdout, &err) < 0) {
			cli_report(&err);
			status = cli_exit_for(&err);
		}
	} else {
		status = CLI_FAILURE;
	}
	free(t);
	free(r);
	return status;
}

int cmd_labels(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "area", required_argument, NULL, 'a' },
		{ "kind", required_argument, NULL, 'k' },
		{ "refused", no_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_label_filter filter = { NULL, 0, 0, -1 };
	enum output_format format = OUTPUT_TABLE;
	const struct area_set *areas;
	const char **codes = NULL;
	const char *area = NULL;
	bool show_refused = false;
	enum store_kind kind;
	char *end = NULL;
	int c, status, *leaves = NULL;
	size_t k, nleaves;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'y':
			filter.year = (int)strtol(optarg, &end, 10);
			if (!end || *end || end == optarg || filter.year <= 0)
				return cli_usage_error("labels: --year must be "
						       "a year, not '%s'", optarg);
			break;
		case 'a': area = optarg; break;
		case 'k':
			if (store_kind_parse(optarg, &kind) < 0)
				return cli_usage_error("labels: --kind is "
						       "workforce, recruitment "
						       "or service, not '%s'",
						       optarg);
			filter.kind = (int)kind;
			break;
		case 'r': show_refused = true; break;
		case 'f':
			if (cli_format_parse("labels", optarg, true,
					     &format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	/* an unknown area is named before the store is opened */
	status = cli_env_open(env, CLI_NEED_AREAS);
	if (status != CLI_OK)
		return status;
	areas = env->areas;
	if (area) {
		int a = area_find(areas, area);

		if (a < 0) {
			cli_message("unknown area '%s' (see `parity areas`)",
				    area);
			return CLI_INVALID;
		}
		leaves = xcalloc(areas->count + 1, sizeof(*leaves));
		codes = xcalloc(areas->count + 1, sizeof(*codes));
		nleaves = area_leaves(areas, a, leaves);
		for (k = 0; k < nleaves; k++)
			codes[k] = areas->areas[leaves[k]].code;
		filter.area_codes = codes;
		filter.area_count = nleaves;
	}
	status = cli_env_open(env, env->needs);
	if (status == CLI_OK)
		status = show_refused ? refused(env->store, &filter, format)
				      : totals(env->store, &filter, format);
	free(leaves);
	free(codes);
	return status;
}
