/*
 * service.c - checking and importing service returns (see service.h).
 *
 * Service returns are aggregates: a few thousand rows at most (stages times
 * groups times areas and years). So the whole file is read and checked
 * first, its rows kept in memory, and only a file with no error is written,
 * in one transaction: one submission per service, area and year. The
 * checks across rows (a group counted twice, a stage counting more than
 * the stage it is within) run on the rows kept, sorted by dataset and
 * stage.
 */
#include "ingest/service.h"

#include "base/utf8.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/number.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/textsafe.h"
#include "ingest/aggregate_file.h"
#include "ingest/alias_register.h"
#include "ingest/reclassify.h"
#include "store/service_store.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum col { C_AREA, C_YEAR, C_SERVICE, C_STAGE, C_ETHNICITY, C_COUNT, C_N };

static const char *const col_names[C_N] = {
	"area_code", "year", "service", "stage", "ethnicity", "count"
};

/* Other header names, normalised. */
static const struct {
	const char *name;
	enum col col;
} col_aliases[] = {
	{ "area", C_AREA }, { "la_code", C_AREA }, { "area_name", C_AREA },
	{ "period", C_YEAR }, { "time_period", C_YEAR },
	{ "ethnic_group", C_ETHNICITY }, { "ethnicity_group", C_ETHNICITY },
	{ "number", C_COUNT }, { "value", C_COUNT },
};

#define SERVICE_YEAR_MIN 2000
#define SERVICE_YEAR_MAX 2100

int service_year_parse(const char *text, int *start, char period[16])
{
	char digits[16];
	size_t n = 0, len = strlen(text);
	long a, b;
	const char *p;

	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	while (len && isspace((unsigned char)*text)) {
		text++;
		len--;
	}
	if (len == 0 || len >= sizeof(digits) + 4)
		return -1;
	for (p = text; p < text + len; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof(digits))
				return -1;
			digits[n++] = *p;
		} else if (!(p - text == 4 && (*p == '-' || *p == '/'))) {
			return -1;
		}
	}
	digits[n] = '\0';
	if (n != 4 && n != 6 && n != 8)
		return -1;
	if (n == 6 && len == 7 && text[4] != '-' && text[4] != '/')
		return -1;
	if (n == 8 && len != 9)
		return -1;
	a = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 +
	    (digits[2] - '0') * 10 + (digits[3] - '0');
	if (a < SERVICE_YEAR_MIN || a > SERVICE_YEAR_MAX)
		return -1;
	if (n == 4) {
		if (len != 4)
			return -1;
		*start = (int)a;
		snprintf(period, 16, "%ld", a);
		return 0;
	}
	b = strtol(digits + 4, NULL, 10);
	if ((n == 6 && b != (a + 1) % 100) || (n == 8 && b != a + 1))
		return -1;
	*start = (int)a;
	snprintf(period, 16, "%ld-%02ld", a, (a + 1) % 100);
	return 0;
}

/* ---- the import ---- */

/* A (service, area, year): one submission. */
struct dataset {
	const struct service_def *def;
	char area_code[16];
	char area_name[128];
	int year;
	char period[16];
	long period_line;
	bool high;     /* some group is given only at the high level */
	long rows;
	struct store_submission sub;
	bool unchanged;
};

struct row {
	size_t dataset;
	int stage;   /* index from service_stage_find() */
	int group;   /* enum service_group */
	double count; /* NAN: suppressed in the source */
	long line, group_column, count_column;
	char *label; /* the ethnicity label as given; owned */
	unsigned char rule; /* enum label_rule: how the label was read */
};

/* A label refused, with the return it was in and how many rows gave it. */
struct refused {
	char service[64];
	char area_code[16];
	int year;
	char *label;
	long rows;
};

struct import {
	const struct service_import_options *opt;
	struct diag_list *diags;
	const char *file;  /* for messages */
	char *file_copy;   /* owned: `file` once the reader is gone */
	int field_of[C_N];
	long header_col[C_N];
	char **field_names;  /* the header as written, per field */
	size_t nfields;
	struct dataset *sets;
	size_t nsets, sets_cap;
	struct row *rows;
	size_t nrows, rows_cap;
	bool warned_suppressed;
	struct refused *refused;
	size_t nrefused, refused_cap;
};

static void problem(struct import *im, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void problem(struct import *im, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *buf;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	diag_add(im->diags, sev, im->file, line, column, "%s", buf);
	free(buf);
}

/* A header of one field holding another delimiter: said once, in place
 * of the missing columns. True when so. */
static bool header_delimiter(struct import *im, const struct csv_row *row,
			     char delim)
{
	char quoted[64], message[512];

	textsafe_quote(row->fields[0].text, 40, quoted, sizeof(quoted));
	if (!csv_delimiter_advice(row, delim, quoted, message,
				  sizeof(message)))
		return false;
	problem(im, DIAG_ERROR, row->line, row->fields[0].column, "%s",
		message);
	return true;
}

static void map_header(struct import *im, const struct csv_row *row,
		       char delim)
{
	size_t i, k;
	int c;

	im->nfields = row->count;
	im->field_names = xcalloc(row->count, sizeof(*im->field_names));
	for (i = 0; i < row->count; i++)
		im->field_names[i] = xstrdup(row->fields[i].text);
	if (header_delimiter(im, row, delim))
		return;
	for (i = 0; i < row->count; i++) {
		char norm[128], quoted[64];
		int found = -1;

		csv_header_normalise(row->fields[i].text, norm, sizeof(norm));
		for (c = 0; c < C_N && found < 0; c++)
			if (strcmp(norm, col_names[c]) == 0)
				found = c;
		for (k = 0; found < 0 && k < sizeof(col_aliases) /
						    sizeof(col_aliases[0]); k++)
			if (strcmp(norm, col_aliases[k].name) == 0)
				found = (int)col_aliases[k].col;
		textsafe_quote(row->fields[i].text, 40, quoted, sizeof(quoted));
		if (found < 0) {
			problem(im, DIAG_WARNING, row->line,
				row->fields[i].column,
				"column '%s' is not part of a service return: "
				"it is ignored and not stored", quoted);
			continue;
		}
		if (im->field_of[found] >= 0) {
			problem(im, DIAG_ERROR, row->line,
				row->fields[i].column,
				"column '%s' repeats column %ld (%s)", quoted,
				im->header_col[found], col_names[found]);
			continue;
		}
		im->field_of[found] = (int)i;
		im->header_col[found] = row->fields[i].column;
	}
	for (c = 0; c < C_N; c++)
		if (im->field_of[c] < 0)
			problem(im, DIAG_ERROR, row->line, 1,
				"the header has no '%s' column (a service "
				"return has area_code, year, service, stage, "
				"ethnicity, count)", col_names[c]);
}

/* A field's text trimmed of spaces, in `buf`. */
static const char *field(const struct csv_row *row, int index, char *buf,
			 size_t size)
{
	const char *s = row->fields[index].text;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

static long column_of(const struct import *im, const struct csv_row *row,
		      enum col c)
{
	return row->fields[im->field_of[c]].column;
}

/* The area of a row; 0 and `code`/`name` filled, or -1 after a problem. */
static int row_area(struct import *im, const struct csv_row *row,
		    char code[16], char name[128])
{
	char text[256], quoted[64];
	const struct service_national_area *nat;
	int a;

	field(row, im->field_of[C_AREA], text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if (!text[0]) {
		problem(im, DIAG_ERROR, row->line, column_of(im, row, C_AREA),
			"area_code is blank");
		return -1;
	}
	/* England, and England and Wales, are national areas of their own
	 * (one return for the nation), though the areas hold them too */
	nat = service_national_area_find(text);
	a = nat ? -1 : area_find(im->opt->areas, text);
	if (a >= 0) {
		const struct area *ar = &im->opt->areas->areas[a];

		if (ar->type != AREA_BOROUGH &&
		    ar->type != AREA_LOCAL_AUTHORITY) {
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_AREA),
				"area '%s' is a %s: give each borough's counts, "
				"and parity pools them", quoted,
				area_type_name(ar->type));
			return -1;
		}
		if (im->opt->only_area &&
		    strcmp(ar->code, im->opt->only_area) != 0) {
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_AREA),
				"area '%s' is not %s: this return may hold only "
				"its own council's counts", quoted,
				im->opt->only_area);
			return -1;
		}
		snprintf(code, 16, "%s", ar->code);
		snprintf(name, 128, "%s", ar->name);
		return 0;
	}
	if (nat && im->opt->only_area) {
		problem(im, DIAG_ERROR, row->line, column_of(im, row, C_AREA),
			"area '%s' is not %s: this return may hold only its "
			"own council's counts", quoted, im->opt->only_area);
		return -1;
	}
	if (nat) {
		snprintf(code, 16, "%s", nat->code);
		snprintf(name, 128, "%s", nat->name);
		return 0;
	}
	problem(im, DIAG_ERROR, row->line, column_of(im, row, C_AREA),
		"unknown area '%s' (see `parity areas --all`)", quoted);
	return -1;
}

static size_t dataset_for(struct import *im, const struct service_def *def,
			  const char *code, const char *name, int year,
			  const char *period, long line, long column)
{
	size_t k;
	struct dataset *d;

	for (k = 0; k < im->nsets; k++) {
		d = &im->sets[k];
		if (d->def == def && d->year == year &&
		    strcmp(d->area_code, code) == 0) {
			if (strcmp(d->period, period) != 0)
				problem(im, DIAG_ERROR, line, column,
					"year '%s' for %s in %s: line %ld gives "
					"the same year as '%s'; use one period",
					period, def->name, name, d->period_line,
					d->period);
			return k;
		}
	}
	im->sets = xgrow(im->sets, &im->sets_cap, im->nsets + 1,
			 sizeof(*im->sets));
	d = &im->sets[im->nsets];
	memset(d, 0, sizeof(*d));
	d->def = def;
	snprintf(d->area_code, sizeof(d->area_code), "%s", code);
	snprintf(d->area_name, sizeof(d->area_name), "%s", name);
	d->year = year;
	snprintf(d->period, sizeof(d->period), "%s", period);
	d->period_line = line;
	return im->nsets++;
}

/* A count: a whole number, or a suppression mark. -1 after a problem. */
static int row_count(struct import *im, const struct csv_row *row,
		     double *out)
{
	char text[64], quoted[64];
	double v;

	field(row, im->field_of[C_COUNT], text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if (strcasecmp(text, "x") == 0 || strcasecmp(text, "c") == 0 ||
	    strcmp(text, "..") == 0) {
		*out = NAN;
		if (!im->warned_suppressed) {
			im->warned_suppressed = true;
			problem(im, DIAG_WARNING, row->line,
				column_of(im, row, C_COUNT),
				"count '%s' marks a suppressed figure: rates "
				"that need it are not given", quoted);
		}
		return 0;
	}
	if (number_parse_grouped(text, false, &v) < 0 || v < 0 ||
	    v != floor(v) || v > 1e12) {
		problem(im, DIAG_ERROR, row->line, column_of(im, row, C_COUNT),
			text[0] ? "count '%s' is not a whole number of people "
				  "or events (0 or more; 'x' or 'c' for a "
				  "suppressed figure)"
				: "count is blank%s: give 0, or 'x' for a "
				  "suppressed figure", text[0] ? quoted : "");
		return -1;
	}
	*out = v;
	return 0;
}

/* Whether `s` is three digits: what follows a thousands separator. */
static bool digit_group(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && s[3] == '\0';
}

/*
 * A row with more or fewer fields than the header: refused, located where
 * the row ends or at the first field with no column, as for workforce
 * returns. Extra fields that look like the rest of a count written with
 * thousands separators ('1,250' unquoted) are said to be so.
 */
static void ragged(struct import *im, const struct csv_row *row)
{
	char name[64], hint[160] = "";
	size_t k;

	if (row->count < im->nfields) {
		const struct csv_field *last = &row->fields[row->count - 1];

		textsafe_quote(im->field_names[row->count], 40, name, sizeof(name));
		problem(im, DIAG_ERROR, row->line,
			last->column + (long)utf8_length(last->text),
			"the row ends after %zu field%s, but the header has "
			"%zu: column '%s' and any after it are missing",
			row->count, row->count == 1 ? "" : "s", im->nfields,
			name);
		return;
	}
	if (im->field_of[C_COUNT] == (int)im->nfields - 1) {
		const char *count = row->fields[im->nfields - 1].text;
		size_t len = strlen(count);
		bool group = len >= 1 && len <= 3;

		for (k = 0; group && k < len; k++)
			group = isdigit((unsigned char)count[k]) != 0;
		for (k = im->nfields; group && k < row->count; k++)
			group = digit_group(row->fields[k].text);
		if (group) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addstr(&sb, count);
			for (k = im->nfields; k < row->count; k++)
				strbuf_addf(&sb, ",%s", row->fields[k].text);
			snprintf(hint, sizeof(hint), ": if the count is %s, "
				 "write it as \"%s\" (in quotes) or without "
				 "the comma%s", sb.buf, sb.buf,
				 row->count - im->nfields > 1 ? "s" : "");
			strbuf_release(&sb);
		}
	}
	problem(im, DIAG_ERROR, row->line, row->fields[im->nfields].column,
		"the row has %zu fields, but the header has %zu: field %zu has "
		"no column%s", row->count, im->nfields, im->nfields + 1,
		hint[0] ? hint : "");
}

/* Count a refused label against its return, when the row said which. */
static void refuse(struct import *im, const struct service_def *def,
		   const char *code, int year, const char *label)
{
	struct refused *f;
	size_t k;

	for (k = 0; k < im->nrefused; k++) {
		f = &im->refused[k];
		if (f->year == year && strcmp(f->service, def->name) == 0 &&
		    strcmp(f->area_code, code) == 0 &&
		    strcmp(f->label, label) == 0) {
			f->rows++;
			return;
		}
	}
	im->refused = xgrow(im->refused, &im->refused_cap, im->nrefused + 1,
			    sizeof(*im->refused));
	f = &im->refused[im->nrefused++];
	memset(f, 0, sizeof(*f));
	snprintf(f->service, sizeof(f->service), "%s", def->name);
	snprintf(f->area_code, sizeof(f->area_code), "%s", code);
	f->year = year;
	f->label = xstrdup(label);
	f->rows = 1;
}

/*
 * How a label that service_group_classify() read as `group` was read: by
 * the classifier's rule when the classifier reads it to the same group,
 * else by the service's own group labels (the crosswalk in
 * service_def.c, which comes first).
 */
static unsigned char rule_of(const struct import *im, const char *label,
			     int group)
{
	struct ethnicity_match m;
	struct parity_error ignored = PARITY_ERROR_INIT;
	int g;

	memset(&m, 0, sizeof(m));
	if (ethnicity_classify(im->opt->classifier, label, &m, &ignored) < 0)
		return LABEL_RULE_SERVICE;
	g = m.id < 0 ? SVC_HIGH_FIRST + (int)m.group
	    : m.id == ETH_NOT_KNOWN ? SVC_NOT_KNOWN
	    : m.id == ETH_PREFER_NOT_TO_SAY ? SVC_PREFER_NOT_TO_SAY : m.id;
	if (g != group)
		return LABEL_RULE_SERVICE;
	return (unsigned char)label_rule_of(&m, im->opt->aliases, label);
}

static void check_row(struct import *im, const struct csv_row *row)
{
	char text[256], quoted[64], code[16], name[128], period[16];
	struct parity_error err = PARITY_ERROR_INIT;
	const struct service_def *def;
	struct row r;
	int year, c, ok = 1;
	bool area_ok = true, year_ok = true;

	if (row->count != im->nfields) {
		ragged(im, row);
		return;
	}
	for (c = 0; c < C_N; c++)
		if ((size_t)im->field_of[c] >= row->count)
			return; /* a header without it: said there */
	memset(&r, 0, sizeof(r));
	r.line = row->line;
	if (row_area(im, row, code, name) < 0)
		ok = 0, area_ok = false;
	field(row, im->field_of[C_YEAR], text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if (service_year_parse(text, &year, period) < 0) {
		year_ok = false;
		problem(im, DIAG_ERROR, row->line, column_of(im, row, C_YEAR),
			"year '%s' is not a year ('2024') or a financial or "
			"academic year ('2023-24') from %d to %d", quoted,
			SERVICE_YEAR_MIN, SERVICE_YEAR_MAX);
		ok = 0;
	}
	field(row, im->field_of[C_SERVICE], text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	def = service_def_find(im->opt->defs, text);
	if (!def) {
		struct strbuf names = STRBUF_INIT;
		size_t k;

		for (k = 0; k < im->opt->defs->count; k++)
			strbuf_addf(&names, "%s%s", k ? ", " : "",
				    im->opt->defs->defs[k].name);
		problem(im, DIAG_ERROR, row->line,
			column_of(im, row, C_SERVICE),
			"unknown service '%s': the services defined are %s",
			quoted, names.buf);
		strbuf_release(&names);
		ok = 0;
	}
	field(row, im->field_of[C_STAGE], text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if (def) {
		r.stage = service_stage_find(def, text);
		if (r.stage < 0) {
			struct strbuf names = STRBUF_INIT;
			size_t k;

			for (k = 0; k < def->stage_count + def->base_count; k++)
				strbuf_addf(&names, "%s'%s'", k ? ", " : "",
					    service_stage_at(def, k)->name);
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_STAGE),
				"unknown stage '%s' of %s: its stages are %s",
				quoted, def->name, names.buf);
			strbuf_release(&names);
			ok = 0;
		}
	}
	field(row, im->field_of[C_ETHNICITY], text, sizeof(text));
	r.group_column = column_of(im, row, C_ETHNICITY);
	if (service_group_classify(im->opt->classifier, text, &r.group,
				   &err) < 0) {
		problem(im, DIAG_ERROR, row->line, r.group_column, "%s",
			err.message);
		if (def && area_ok && year_ok)
			refuse(im, def, code, year, text);
		ok = 0;
	}
	r.count_column = column_of(im, row, C_COUNT);
	if (row_count(im, row, &r.count) < 0)
		ok = 0;
	if (!ok)
		return;
	r.rule = rule_of(im, text, r.group);
	r.dataset = dataset_for(im, def, code, name, year, period, row->line,
				column_of(im, row, C_YEAR));
	/* a row given in another period than its dataset was refused: its
	 * count is not compared with the others' */
	if (strcmp(im->sets[r.dataset].period, period) != 0)
		return;
	im->sets[r.dataset].rows++;
	if (!service_group_is_detailed(r.group) &&
	    service_group_is_declared(r.group))
		im->sets[r.dataset].high = true;
	r.label = xstrdup(text);
	im->rows = xgrow(im->rows, &im->rows_cap, im->nrows + 1,
			 sizeof(*im->rows));
	im->rows[im->nrows++] = r;
}

static int by_cell(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->dataset != y->dataset)
		return x->dataset < y->dataset ? -1 : 1;
	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return 0;
}

/* A group counted twice at a stage; a group and categories inside it. */
static void check_cells(struct import *im)
{
	size_t i = 0, j, k;

	if (im->nrows == 0)
		return; /* and qsort() must not be given no rows at NULL */
	qsort(im->rows, im->nrows, sizeof(*im->rows), by_cell);
	while (i < im->nrows) {
		long seen[SVC_GROUP_COUNT] = { 0 };
		long detailed_in[ETH_GROUP_COUNT] = { 0 };
		const struct dataset *d = &im->sets[im->rows[i].dataset];
		const char *stage;

		for (j = i; j < im->nrows &&
			    im->rows[j].dataset == im->rows[i].dataset &&
			    im->rows[j].stage == im->rows[i].stage; j++)
			;
		stage = service_stage_at(d->def, (size_t)im->rows[i].stage)->name;
		for (k = i; k < j; k++) {
			const struct row *r = &im->rows[k];
			int hi = (int)service_group_high(r->group);

			if (seen[r->group]) {
				problem(im, DIAG_ERROR, r->line,
					r->group_column,
					"%s is counted twice at stage '%s' "
					"for %s, %s (first on line %ld)",
					service_group_label(r->group), stage,
					d->area_name, d->period,
					seen[r->group]);
				continue;
			}
			seen[r->group] = r->line;
			if (service_group_is_detailed(r->group) &&
			    !detailed_in[hi])
				detailed_in[hi] = r->line;
		}
		for (k = i; k < j; k++) {
			const struct row *r = &im->rows[k];
			int hi = (int)service_group_high(r->group);

			if (!service_group_is_detailed(r->group) &&
			    service_group_is_declared(r->group) &&
			    detailed_in[hi])
				problem(im, DIAG_ERROR, r->line,
					r->group_column,
					"stage '%s' for %s, %s counts the group "
					"%s and, on line %ld, a category inside "
					"it: its people would be counted twice; "
					"give one or the other", stage,
					d->area_name, d->period,
					service_group_label(r->group),
					detailed_in[hi]);
		}
		i = j;
	}
}

/* ---- nesting: a stage within an earlier one counts no more ---- */

/* One group's count at a stage of a dataset. */
struct cell {
	double count;     /* NAN: suppressed */
	long line, column;
	bool given;
};

/* The cells of one stage: each group's first row (a group counted twice
 * was refused by check_cells()). False when the stage has no rows. */
static bool stage_cells(const struct row *rows, size_t n, int stage,
			struct cell cells[SVC_GROUP_COUNT])
{
	bool any = false;
	size_t k;

	memset(cells, 0, SVC_GROUP_COUNT * sizeof(*cells));
	for (k = 0; k < n; k++) {
		const struct row *r = &rows[k];
		struct cell *c = &cells[r->group];

		if (r->stage != stage || c->given)
			continue;
		c->count = r->count;
		c->line = r->line;
		c->column = r->count_column;
		c->given = true;
		any = true;
	}
	return any;
}

/*
 * Compare a stage with the stage it is within, for the groups of one
 * high-level group `hi`: each category on its own when both stages give
 * the group's categories (a category with no row counts 0, as everywhere),
 * or the group's total when either gives the group itself.
 */
static void compare_group(struct import *im, const struct dataset *d,
			  const struct cell *in, const struct cell *at,
			  const char *in_name, const char *at_name, int hi)
{
	const int whole = SVC_HIGH_FIRST + hi;
	const struct cell *first_in = NULL, *first_at = NULL;
	double sum_in = 0, sum_at = 0;
	size_t rows_in = 0, rows_at = 0;
	char at_rows[64] = "", in_rows[64] = "";
	int g;

	if (!in[whole].given && !at[whole].given) {
		for (g = 0; g < SVC_HIGH_FIRST; g++) {
			if ((int)service_group_high(g) != hi || !at[g].given ||
			    isnan(at[g].count) ||
			    (in[g].given && isnan(in[g].count)) ||
			    at[g].count <= (in[g].given ? in[g].count : 0))
				continue;
			if (in[g].given)
				problem(im, DIAG_ERROR, at[g].line,
					at[g].column,
					"%s counts %.0f at stage '%s' for %s, "
					"%s: more than the %.0f at stage '%s' "
					"(%s:%ld:%ld), which it is part of",
					service_group_label(g), at[g].count,
					at_name, d->area_name, d->period,
					in[g].count, in_name, im->file,
					in[g].line, in[g].column);
			else
				problem(im, DIAG_ERROR, at[g].line,
					at[g].column,
					"%s counts %.0f at stage '%s' for %s, "
					"%s, which is part of stage '%s'; but "
					"that stage has no row for %s, so it "
					"counts 0 there",
					service_group_label(g), at[g].count,
					at_name, d->area_name, d->period,
					in_name, service_group_label(g));
		}
		return;
	}
	for (g = 0; g < SVC_NOT_KNOWN; g++) {
		if ((int)service_group_high(g) != hi)
			continue;
		if ((in[g].given && isnan(in[g].count)) ||
		    (at[g].given && isnan(at[g].count)))
			return; /* a suppressed figure: no total to compare */
		if (in[g].given) {
			sum_in += in[g].count;
			rows_in++;
			if (!first_in || in[g].line < first_in->line)
				first_in = &in[g];
		}
		if (at[g].given) {
			sum_at += at[g].count;
			rows_at++;
			if (!first_at || at[g].line < first_at->line)
				first_at = &at[g];
		}
	}
	if (!first_at || sum_at <= sum_in)
		return;
	if (rows_at > 1)
		snprintf(at_rows, sizeof(at_rows), " (%zu rows, from this one)",
			 rows_at);
	if (rows_in > 1)
		snprintf(in_rows, sizeof(in_rows), "%zu rows, from ", rows_in);
	if (first_in)
		problem(im, DIAG_ERROR, first_at->line, first_at->column,
			"%s counts %.0f at stage '%s' for %s, %s%s: more than "
			"the %.0f at stage '%s' (%s%s:%ld:%ld), which it is "
			"part of", service_group_label(whole), sum_at, at_name,
			d->area_name, d->period, at_rows, sum_in, in_name,
			in_rows, im->file, first_in->line, first_in->column);
	else
		problem(im, DIAG_ERROR, first_at->line, first_at->column,
			"%s counts %.0f at stage '%s' for %s, %s%s, which is "
			"part of stage '%s'; but that stage has no row for %s, "
			"so it counts 0 there", service_group_label(whole),
			sum_at, at_name, d->area_name, d->period, at_rows,
			in_name, service_group_label(whole));
}

/*
 * Where a service's definition says a stage is within an earlier one
 * (charges are a subset of arrests), no group may count more at it than
 * at that stage, for the same area and year: such counts cannot both be
 * right (a misread count, a thousands separator, a stage mislabelled).
 * Not known and prefer not to say are not compared: people's ethnicity
 * may be recorded at one stage and not at another. Rows are in dataset
 * order (check_cells() sorted them).
 */
static void check_nesting(struct import *im)
{
	struct cell in[SVC_GROUP_COUNT], at[SVC_GROUP_COUNT];
	size_t i = 0, j, s;
	int hi;

	while (i < im->nrows) {
		const struct dataset *d = &im->sets[im->rows[i].dataset];

		for (j = i; j < im->nrows &&
			    im->rows[j].dataset == im->rows[i].dataset; j++)
			;
		for (s = 1; s < d->def->stage_count; s++) {
			const struct service_stage *st = &d->def->stages[s];

			if (!st->nested ||
			    !stage_cells(im->rows + i, j - i, (int)s, at) ||
			    !stage_cells(im->rows + i, j - i, (int)st->within,
					 in))
				continue;
			for (hi = 0; hi < ETHNICITY_HIGH_COUNT; hi++)
				compare_group(im, d, in, at,
					      d->def->stages[st->within].name,
					      st->name, hi);
		}
		i = j;
	}
}

static void on_header(void *ctx, const struct csv_row *row, char delimiter)
{
	struct import *im = ctx;

	im->file = im->file_copy;
	map_header(im, row, delimiter);
}

static void on_row(void *ctx, const struct csv_row *row)
{
	check_row(ctx, row);
}

static size_t rows_kept(void *ctx)
{
	return ((struct import *)ctx)->nrows;
}

static int read_file(struct import *im, char hex[FILE_DIGEST_HEX],
		     struct parity_error *err)
{
	const struct aggregate_file_calls calls = {
		"a service return", on_header, on_row, rows_kept, im
	};
	int rc = aggregate_file_read(im->opt->path, &calls, im->diags,
				     &im->file_copy, hex, err);

	im->file = im->file_copy;
	return rc;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Inside the transaction: the labels of dataset `k`, with the rows that
 * gave each and how each was read; and its return's refused labels,
 * forgotten now that it imports.
 */
static int store_labels_of(struct store *s, const struct import *im,
			   size_t k, struct parity_error *err)
{
	const struct dataset *d = &im->sets[k];
	struct store_label *list = xcalloc(d->rows + 1, sizeof(*list));
	size_t n = 0, r, j;
	int rc;

	for (r = 0; r < im->nrows; r++) {
		const struct row *row = &im->rows[r];

		if (row->dataset != k)
			continue;
		for (j = 0; j < n && strcmp(list[j].label, row->label) != 0;
		     j++)
			;
		if (j < n) {
			list[j].records++;
			continue;
		}
		list[n].label = row->label;
		list[n].records = 1;
		list[n].category = service_group_code(row->group);
		list[n].rule = label_rule_name((enum label_rule)row->rule);
		n++;
	}
	rc = store_labels_add(s, d->sub.id, list, n, err);
	free(list);
	if (rc < 0)
		return -1;
	return store_refused_labels_clear(s, STORE_SERVICE, d->def->name,
					  d->area_code, d->year, err);
}

/*
 * After a refused import: keep the labels it refused, with the rows of
 * each return that gave them, replacing what an earlier refusal of the
 * same return kept; a return of the file whose labels all read keeps
 * none now. Failing to keep them is a warning.
 */
static void keep_refused_labels(struct store *s, struct import *im)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_refused_label *list;
	char now[32];
	size_t n = 0, k;

	if (!im->nrefused && !im->nsets)
		return;
	if (im->opt->submitted_at)
		snprintf(now, sizeof(now), "%s", im->opt->submitted_at);
	else if (clock_utc_now(now, sizeof(now), &err) < 0)
		return;
	list = xcalloc(im->nrefused + im->nsets + 1, sizeof(*list));
	for (k = 0; k < im->nrefused; k++) {
		const struct refused *f = &im->refused[k];
		struct store_refused_label *l = &list[n];

		if (strlen(f->label) >= sizeof(l->label))
			continue;
		l->kind = STORE_SERVICE;
		snprintf(l->subject, sizeof(l->subject), "%s", f->service);
		snprintf(l->area_code, sizeof(l->area_code), "%s",
			 f->area_code);
		l->year = f->year;
		memcpy(l->label, f->label, strlen(f->label) + 1);
		l->records = f->rows;
		snprintf(l->refused_at, sizeof(l->refused_at), "%s", now);
		n++;
	}
	/* the returns whose labels all read: records 0 clears them */
	for (k = 0; k < im->nsets; k++) {
		struct store_refused_label *l = &list[n++];

		l->kind = STORE_SERVICE;
		snprintf(l->subject, sizeof(l->subject), "%s",
			 im->sets[k].def->name);
		snprintf(l->area_code, sizeof(l->area_code), "%s",
			 im->sets[k].area_code);
		l->year = im->sets[k].year;
		snprintf(l->refused_at, sizeof(l->refused_at), "%s", now);
	}
	if (store_refused_labels_keep(s, list, n, &err) < 0)
		problem(im, DIAG_WARNING, 0, 0,
			"the labels this import refused could not be kept "
			"for `parity labels --refused`: %s", err.message);
	free(list);
}

/* Write every dataset; all or nothing. */
static int store_all(struct store *s, struct import *im, const char *sha,
		     struct service_import_result *res,
		     struct parity_error *err)
{
	char now[32];
	size_t k, r, unchanged = 0;

	if (im->opt->submitted_at)
		snprintf(now, sizeof(now), "%s", im->opt->submitted_at);
	else if (clock_utc_now(now, sizeof(now), err) < 0)
		return -1;
	if (store_begin(s, err) < 0)
		return -1;
	for (k = 0; k < im->nsets; k++) {
		struct dataset *d = &im->sets[k];
		struct store_submission *sub = &d->sub, prev;
		int found;

		memset(sub, 0, sizeof(*sub));
		sub->kind = STORE_SERVICE;
		snprintf(sub->subject, sizeof(sub->subject), "%s", d->def->name);
		snprintf(sub->area_code, sizeof(sub->area_code), "%s",
			 d->area_code);
		sub->year = d->year;
		snprintf(sub->submitted_at, sizeof(sub->submitted_at), "%s", now);
		snprintf(sub->submitted_by, sizeof(sub->submitted_by), "%s",
			 im->opt->submitted_by ? im->opt->submitted_by : "");
		snprintf(sub->source_name, sizeof(sub->source_name), "%s",
			 base_name(im->file));
		snprintf(sub->columns, sizeof(sub->columns),
			 "area_code,year,service,stage,ethnicity,count");
		sub->alias_version = im->opt->aliases
				     ? im->opt->aliases->version : 0;
		snprintf(sub->code_system, sizeof(sub->code_system), "%s",
			 ethnicity_code_system_name(
				 ethnicity_classifier_code_system(
					 im->opt->classifier)));
		found = store_submission_current_for(s, STORE_SERVICE,
						     sub->subject,
						     sub->area_code, sub->year,
						     &prev, err);
		if (found < 0)
			goto fail;
		if (found && strcmp(prev.sha256, sha) == 0) {
			d->unchanged = true;
			*sub = prev;
			unchanged++;
			continue;
		}
		if (store_submission_add(s, sub, err) < 0 ||
		    store_service_return_add(s, sub->id, d->period,
					     d->high ? "high" : "detailed",
					     err) < 0)
			goto fail;
		sub->rows = d->rows;
		snprintf(sub->sha256, sizeof(sub->sha256), "%s", sha);
		snprintf(sub->encoding, sizeof(sub->encoding), "UTF-8");
		if (store_submission_finish(s, sub, err) < 0 ||
		    store_labels_of(s, im, k, err) < 0)
			goto fail;
	}
	for (r = 0; r < im->nrows; r++) {
		const struct row *row = &im->rows[r];
		const struct dataset *d = &im->sets[row->dataset];

		if (d->unchanged)
			continue;
		if (store_service_count_add(
			    s, d->sub.id,
			    service_stage_at(d->def, (size_t)row->stage)->name,
			    service_group_code(row->group), row->count,
			    row->line, row->label, err) < 0)
			goto fail;
	}
	res->unchanged = unchanged == im->nsets;
	if (res->unchanged)
		store_rollback(s);
	else if (store_commit(s, err) < 0)
		return -1;
	res->items = xcalloc(im->nsets + 1, sizeof(*res->items));
	for (k = 0; k < im->nsets; k++) {
		struct service_import_item *it = &res->items[res->count++];
		const struct dataset *d = &im->sets[k];

		it->sub = d->sub;
		snprintf(it->area_name, sizeof(it->area_name), "%s",
			 d->area_name);
		snprintf(it->period, sizeof(it->period), "%s", d->period);
		it->level = d->high ? "high" : "detailed";
		it->rows = d->rows;
		it->unchanged = d->unchanged;
	}
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int service_import(struct store *s, const struct service_import_options *opt,
		   struct diag_list *diags,
		   struct service_import_result *res,
		   struct parity_error *err)
{
	struct import im;
	char hex[FILE_DIGEST_HEX];
	int c, status = -1;
	size_t k;

	memset(res, 0, sizeof(*res));
	memset(&im, 0, sizeof(im));
	im.opt = opt;
	im.diags = diags;
	for (c = 0; c < C_N; c++)
		im.field_of[c] = -1;
	if (read_file(&im, hex, err) < 0)
		goto out;
	check_cells(&im);
	check_nesting(&im);
	res->rows = (long)im.nrows;
	diag_list_sort(diags);
	if (diags->errors > 0) {
		parity_error_set(err, PARITY_ERR_VALIDATION, im.file, 0, 0,
				 "%zu error%s: nothing was stored",
				 diags->errors, diags->errors == 1 ? "" : "s");
		keep_refused_labels(s, &im);
		goto out;
	}
	if (store_all(s, &im, hex, res, err) < 0)
		goto out;
	status = 0;
out:
	for (k = 0; k < im.nfields; k++)
		free(im.field_names[k]);
	free(im.field_names);
	free(im.file_copy);
	free(im.sets);
	for (k = 0; k < im.nrows; k++)
		free(im.rows[k].label);
	free(im.rows);
	for (k = 0; k < im.nrefused; k++)
		free(im.refused[k].label);
	free(im.refused);
	return status;
}

/* ---- reading a stored return again (reclassify.h) ---- */

struct reread {
	struct import *im;
	const struct ethnicity_classifier *cls;
	const struct service_def *def;
	long changed;         /* rows read as another group */
	bool unlabelled;      /* a row stored before labels were kept */
	char stage[64];       /* a stage the definition no longer has */
	struct refused *unread; /* labels that no longer read, with rows */
	size_t nunread, unread_cap;
	char **stored;        /* each row's group as stored, in row order */
	size_t nstored, stored_cap;
};

static int reread_row(void *ctx, const struct store_service_row *sr)
{
	struct reread *rr = ctx;
	struct import *im = rr->im;
	struct parity_error e = PARITY_ERROR_INIT;
	struct row r;

	if (!sr->label) {
		rr->unlabelled = true;
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.stage = service_stage_find(rr->def, sr->stage);
	if (r.stage < 0) {
		snprintf(rr->stage, sizeof(rr->stage), "%s", sr->stage);
		return 1;
	}
	if (service_group_classify(rr->cls, sr->label, &r.group, &e) < 0) {
		size_t k;

		for (k = 0; k < rr->nunread &&
			    strcmp(rr->unread[k].label, sr->label) != 0; k++)
			;
		if (k == rr->nunread) {
			rr->unread = xgrow(rr->unread, &rr->unread_cap,
					   rr->nunread + 1,
					   sizeof(*rr->unread));
			memset(&rr->unread[k], 0, sizeof(rr->unread[k]));
			rr->unread[k].label = xstrdup(sr->label);
			rr->nunread++;
		}
		rr->unread[k].rows++;
		return 0;
	}
	r.rule = rule_of(im, sr->label, r.group);
	r.count = sr->count;
	r.line = sr->line;
	r.label = xstrdup(sr->label);
	if (strcmp(service_group_code(r.group), sr->group) != 0)
		rr->changed++;
	if (!service_group_is_detailed(r.group) &&
	    service_group_is_declared(r.group))
		im->sets[0].high = true;
	im->sets[0].rows++;
	im->rows = xgrow(im->rows, &im->rows_cap, im->nrows + 1,
			 sizeof(*im->rows));
	im->rows[im->nrows++] = r;
	rr->stored = xgrow(rr->stored, &rr->stored_cap, rr->nstored + 1,
			   sizeof(*rr->stored));
	rr->stored[rr->nstored++] = xstrdup(sr->group);
	return 0;
}

/* Distinct labels among the rows that read as another group than the
 * one they were stored with (rows still in the order they were read). */
static size_t labels_changed(const struct reread *rr)
{
	const struct import *im = rr->im;
	size_t k, j, n = 0;

	for (k = 0; k < im->nrows; k++) {
		if (strcmp(rr->stored[k],
			   service_group_code(im->rows[k].group)) == 0)
			continue;
		for (j = 0; j < k; j++)
			if (strcmp(rr->stored[j], service_group_code(
					   im->rows[j].group)) != 0 &&
			    strcmp(im->rows[j].label, im->rows[k].label) == 0)
				break;
		if (j == k)
			n++;
	}
	return n;
}

static void not_possible(struct reclassify_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void not_possible(struct reclassify_result *res, const char *fmt, ...)
{
	va_list ap;

	res->outcome = RECLASSIFY_NOT_POSSIBLE;
	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
}

/* Store the rows as a new version of the return: -1 when the store
 * fails. */
static int store_new_version(struct store *s, struct import *im,
			     const struct reclassify_options *opt,
			     const char *at, struct reclassify_result *res,
			     struct parity_error *err)
{
	struct store_submission *to = &res->to;
	const struct dataset *d = &im->sets[0];
	size_t k;

	*to = res->from;
	to->id = 0;
	to->supersedes = 0;
	to->alias_version = res->version;
	to->reclassified = true;
	snprintf(to->submitted_at, sizeof(to->submitted_at), "%s", at);
	snprintf(to->submitted_by, sizeof(to->submitted_by), "%s", opt->by);
	if (store_submission_add(s, to, err) < 0 ||
	    store_service_return_add(s, to->id, d->period,
				     d->high ? "high" : "detailed", err) < 0)
		return -1;
	im->sets[0].sub = *to;
	for (k = 0; k < im->nrows; k++) {
		const struct row *row = &im->rows[k];

		if (store_service_count_add(
			    s, to->id,
			    service_stage_at(d->def, (size_t)row->stage)->name,
			    service_group_code(row->group), row->count,
			    row->line, row->label, err) < 0)
			return -1;
	}
	to->rows = (long)im->nrows;
	if (store_submission_finish(s, to, err) < 0 ||
	    store_labels_of(s, im, 0, err) < 0)
		return -1;
	res->outcome = RECLASSIFY_NEW_VERSION;
	return 0;
}

int service_reclassify(struct store *s, const struct reclassify_options *opt,
		       const struct ethnicity_classifier *cls,
		       const struct alias_register *reg, const char *at,
		       struct reclassify_result *res, struct parity_error *err)
{
	struct service_import_options iopt;
	struct store_service_return ret;
	struct diag_list diags = DIAG_LIST_INIT;
	struct reread rr;
	struct import im;
	struct strbuf unread = STRBUF_INIT;
	char first[1024], quoted[64];
	size_t k;
	int a, rc, status = -1;

	memset(&iopt, 0, sizeof(iopt));
	memset(&im, 0, sizeof(im));
	memset(&rr, 0, sizeof(rr));
	iopt.classifier = cls;
	iopt.aliases = reg;
	iopt.defs = opt->defs;
	iopt.areas = opt->areas;
	iopt.submitted_by = opt->by;
	iopt.submitted_at = at;
	im.opt = &iopt;
	im.diags = &diags;
	/* problems are located in the file the return came from */
	im.file = res->from.source_name;
	rr.im = &im;
	rr.cls = cls;
	rr.def = opt->defs ? service_def_find(opt->defs, res->from.subject)
			   : NULL;
	if (!rr.def) {
		not_possible(res, "the service '%s' is not defined: give its "
			     "definitions with --definitions FILE",
			     res->from.subject);
		status = 0;
		goto out;
	}
	rc = store_service_current(s, res->from.subject, res->from.area_code,
				   res->from.year, &ret, err);
	if (rc < 0)
		goto out;
	im.sets = xcalloc(1, sizeof(*im.sets));
	im.nsets = im.sets_cap = 1;
	im.sets[0].def = rr.def;
	snprintf(im.sets[0].area_code, sizeof(im.sets[0].area_code), "%s",
		 res->from.area_code);
	a = opt->areas ? area_find(opt->areas, res->from.area_code) : -1;
	snprintf(im.sets[0].area_name, sizeof(im.sets[0].area_name), "%s",
		 a >= 0 ? opt->areas->areas[a].name : res->from.area_code);
	im.sets[0].year = res->from.year;
	snprintf(im.sets[0].period, sizeof(im.sets[0].period), "%s",
		 rc ? ret.period : "");
	if (store_service_rows_each(s, res->from.id, reread_row, &rr,
				    err) < 0)
		goto out;
	status = 0;
	if (rr.unlabelled) {
		not_possible(res, "it was stored before parity kept the labels "
			     "returns gave, so its counts cannot be read "
			     "again: re-import its file");
		goto out;
	}
	if (rr.stage[0]) {
		not_possible(res, "its stage '%s' is not a stage of %s as "
			     "defined now", rr.stage, rr.def->name);
		goto out;
	}
	if (rr.nunread) {
		for (k = 0; k < rr.nunread && k < 3; k++) {
			textsafe_quote(rr.unread[k].label, 40, quoted, sizeof(quoted));
			strbuf_addf(&unread, "%s'%s' (%ld row%s)",
				    k ? ", " : "", quoted, rr.unread[k].rows,
				    rr.unread[k].rows == 1 ? "" : "s");
		}
		not_possible(res, "%zu of its labels no longer read%s: %s%s; "
			     "settle them in the alias register (`parity "
			     "aliases add`) and reclassify again", rr.nunread,
			     rr.nunread == 1 ? "s" : "", unread.buf,
			     rr.nunread > 3 ? ", ..." : "");
		goto out;
	}
	res->records = (long)im.nrows;
	res->changed = rr.changed;
	res->labels_changed = labels_changed(&rr);
	if (rr.changed == 0) {
		res->outcome = RECLASSIFY_UNCHANGED;
		status = store_alias_check_add(s, res->from.id, res->version,
					       at, opt->by, err);
		goto out;
	}
	/* the checks across rows, on the counts as they read now */
	check_cells(&im);
	check_nesting(&im);
	if (diags.errors) {
		diag_list_sort(&diags);
		diag_format(&diags.items[0], first, sizeof(first));
		not_possible(res, "read again, its counts break the return's "
			     "checks (%zu problem%s; the first: %s)",
			     diags.errors, diags.errors == 1 ? "" : "s", first);
		goto out;
	}
	status = store_new_version(s, &im, opt, at, res, err);
out:
	for (k = 0; k < rr.nstored; k++)
		free(rr.stored[k]);
	free(rr.stored);
	for (k = 0; k < im.nrows; k++)
		free(im.rows[k].label);
	free(im.rows);
	free(im.sets);
	for (k = 0; k < rr.nunread; k++)
		free(rr.unread[k].label);
	free(rr.unread);
	strbuf_release(&unread);
	diag_list_release(&diags);
	return status;
}

void service_import_result_release(struct service_import_result *res)
{
	free(res->items);
	memset(res, 0, sizeof(*res));
}
