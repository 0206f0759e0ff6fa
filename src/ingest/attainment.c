/*
 * attainment.c - checking and importing attainment returns (see
 * attainment.h).
 *
 * Attainment returns are aggregates: measures times groups times areas and
 * years, a few thousand rows at most. So the whole file is read and
 * checked first, its rows kept in memory, and only a file with no error is
 * written, in one transaction: one return per area and year. The checks
 * across rows (a group given twice, a major group beside a group inside
 * it) run on the rows kept, sorted by return, measure and line.
 */
#include "ingest/attainment.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/number.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/textsafe.h"
#include "base/utf8.h"
#include "domain/attainment_def.h"
#include "domain/service_def.h"
#include "ingest/aggregate_file.h"
#include "ingest/service.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum col {
	C_AREA, C_YEAR, C_GROUP, C_MEASURE, C_PUPILS, C_MEAN, C_SD,
	C_REACHING, C_N
};

static const char *const col_names[C_N] = {
	"area_code", "year", "ethnic_group", "measure", "pupils",
	"mean_score", "sd", "reaching_threshold"
};

/* Other header names, normalised (the DfE's own among them). */
static const struct {
	const char *name;
	enum col col;
} col_aliases[] = {
	{ "area", C_AREA }, { "la_code", C_AREA }, { "new_la_code", C_AREA },
	{ "area_name", C_AREA },
	{ "period", C_YEAR }, { "time_period", C_YEAR },
	{ "ethnicity", C_GROUP }, { "ethnicity_minor", C_GROUP },
	{ "ethnicity_major", C_GROUP }, { "ethnic_group_minor", C_GROUP },
	{ "t_pupils", C_PUPILS }, { "pupil_count", C_PUPILS },
	{ "avg_att8", C_MEAN }, { "attainment8_average", C_MEAN },
	{ "mean", C_MEAN },
	{ "standard_deviation", C_SD },
	{ "reaching", C_REACHING }, { "t_l2basics_95", C_REACHING },
	{ "engmath_95_total", C_REACHING },
};

/* An area and year: one return. */
struct dataset {
	char area_code[16];
	char area_name[128];
	int year;
	char period[16];
	long period_line;
	bool high;     /* some group is given only as a major group */
	long rows;
	struct store_attainment_return ret;
	bool unchanged;
};

struct row {
	size_t dataset;
	int measure;         /* index in attainment_def.h's list */
	int group;           /* enum service_group */
	double pupils, mean, sd, reaching; /* NAN: not given */
	unsigned suppressed; /* STORE_ATTAINMENT_*_SUPPRESSED */
	long line, group_column;
	char *label;         /* the group as given; owned */
};

struct import {
	const struct attainment_import_options *opt;
	struct diag_list *diags;
	const char *file;  /* for messages */
	char *file_copy;   /* owned: `file` once the reader is gone */
	int field_of[C_N];
	long header_col[C_N];
	size_t nfields;
	struct dataset *sets;
	size_t nsets, sets_cap;
	struct row *rows;
	size_t nrows, rows_cap;
	bool warned_suppressed;
};

static void problem(struct import *im, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void problem(struct import *im, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_add(im->diags, sev, im->file, line, column, "%s", buf);
}

static void map_header(struct import *im, const struct csv_row *row,
		       char delim)
{
	char quoted[64], message[512];
	size_t i, k;
	int c;

	im->nfields = row->count;
	textsafe_quote(row->fields[0].text, 40, quoted, sizeof(quoted));
	if (csv_delimiter_advice(row, delim, quoted, message,
				 sizeof(message))) {
		problem(im, DIAG_ERROR, row->line, row->fields[0].column, "%s",
			message);
		return;
	}
	for (i = 0; i < row->count; i++) {
		char norm[128];
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
				"column '%s' is not part of an attainment "
				"return: it is ignored and not stored", quoted);
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
	for (c = 0; c <= C_PUPILS; c++)
		if (im->field_of[c] < 0)
			problem(im, DIAG_ERROR, row->line, 1,
				"the header has no '%s' column (an attainment "
				"return has area_code, year, ethnic_group, "
				"measure, pupils, and mean_score or "
				"reaching_threshold)", col_names[c]);
	if (im->field_of[C_MEAN] < 0 && im->field_of[C_REACHING] < 0)
		problem(im, DIAG_ERROR, row->line, 1,
			"the header has neither 'mean_score' nor "
			"'reaching_threshold': an attainment return gives one "
			"or both");
}

/* A field's text trimmed of spaces, in `buf`; "" for a column the header
 * does not have. */
static const char *field(const struct import *im, const struct csv_row *row,
			 enum col c, char *buf, size_t size)
{
	const char *s;
	size_t len;

	buf[0] = '\0';
	if (im->field_of[c] < 0)
		return buf;
	s = row->fields[im->field_of[c]].text;
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

/* Where column `c` is on a row: its field's column, or (a column the
 * header lacks) the measure's, which says what the row needs. */
static long column_of(const struct import *im, const struct csv_row *row,
		      enum col c)
{
	if (im->field_of[c] < 0)
		c = C_MEASURE;
	return row->fields[im->field_of[c]].column;
}

/* The area of a row; 0 and `code`/`name` filled, or -1 after a problem. */
static int row_area(struct import *im, const struct csv_row *row,
		    char code[16], char name[128])
{
	char text[256], quoted[64];
	const struct service_national_area *nat;
	long col = column_of(im, row, C_AREA);
	int a;

	field(im, row, C_AREA, text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if (!text[0]) {
		problem(im, DIAG_ERROR, row->line, col, "area_code is blank");
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
			problem(im, DIAG_ERROR, row->line, col,
				"area '%s' is a %s: give each borough's "
				"figures, and parity pools them", quoted,
				area_type_name(ar->type));
			return -1;
		}
		if (im->opt->only_area &&
		    strcmp(ar->code, im->opt->only_area) != 0) {
			problem(im, DIAG_ERROR, row->line, col,
				"area '%s' is not %s: this return may hold only "
				"its own council's figures", quoted,
				im->opt->only_area);
			return -1;
		}
		snprintf(code, 16, "%s", ar->code);
		snprintf(name, 128, "%s", ar->name);
		return 0;
	}
	if (nat && !im->opt->only_area) {
		snprintf(code, 16, "%s", nat->code);
		snprintf(name, 128, "%s", nat->name);
		return 0;
	}
	if (nat)
		problem(im, DIAG_ERROR, row->line, col,
			"area '%s' is not %s: this return may hold only its "
			"own council's figures", quoted, im->opt->only_area);
	else
		problem(im, DIAG_ERROR, row->line, col,
			"unknown area '%s' (see `parity areas --all`)", quoted);
	return -1;
}

static size_t dataset_for(struct import *im, const char *code,
			  const char *name, int year, const char *period,
			  long line, long column)
{
	struct dataset *d;
	size_t k;

	for (k = 0; k < im->nsets; k++) {
		d = &im->sets[k];
		if (d->year == year && strcmp(d->area_code, code) == 0) {
			if (strcmp(d->period, period) != 0)
				problem(im, DIAG_ERROR, line, column,
					"year '%s' for %s: line %ld gives the "
					"same year as '%s'; use one period",
					period, name, d->period_line,
					d->period);
			return k;
		}
	}
	im->sets = xgrow(im->sets, &im->sets_cap, im->nsets + 1,
			 sizeof(*im->sets));
	d = &im->sets[im->nsets];
	memset(d, 0, sizeof(*d));
	snprintf(d->area_code, sizeof(d->area_code), "%s", code);
	snprintf(d->area_name, sizeof(d->area_name), "%s", name);
	d->year = year;
	snprintf(d->period, sizeof(d->period), "%s", period);
	d->period_line = line;
	return im->nsets++;
}

/* Whether `text` is a mark of a figure suppressed at source. */
static bool suppression_mark(const char *text)
{
	return strcasecmp(text, "x") == 0 || strcasecmp(text, "c") == 0 ||
	       strcmp(text, "..") == 0;
}

/* The pupil count: a whole number, 0 or more. -1 after a problem. */
static int row_pupils(struct import *im, const struct csv_row *row,
		      double *out)
{
	char text[64], quoted[64];
	double v;

	field(im, row, C_PUPILS, text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if (number_parse_grouped(text, false, &v) < 0 || v < 0 ||
	    v != floor(v) || v > 1e9) {
		if (!text[0])
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_PUPILS),
				"pupils is blank: give the number of pupils in "
				"the group (0 or more)");
		else
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_PUPILS),
				"pupils '%s' is not a whole number of pupils "
				"(0 or more)%s", quoted,
				suppression_mark(text)
					? ": the pupil count cannot be "
					  "suppressed; leave the row out instead"
					: "");
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * An optional number of column `c`: NAN when blank, NAN with `bit` set in
 * *suppressed for a suppression mark, the number otherwise. -1 after a
 * problem (`what` names it in the message).
 */
static int row_number(struct import *im, const struct csv_row *row,
		      enum col c, const char *what, bool whole, unsigned bit,
		      unsigned *suppressed, double *out)
{
	char text[64], quoted[64];
	double v;

	*out = NAN;
	field(im, row, c, text, sizeof(text));
	if (!text[0])
		return 0;
	if (suppression_mark(text)) {
		*suppressed |= bit;
		if (!im->warned_suppressed) {
			im->warned_suppressed = true;
			textsafe_quote(text, 40, quoted, sizeof(quoted));
			problem(im, DIAG_WARNING, row->line,
				column_of(im, row, c),
				"%s '%s' marks a figure suppressed at source: "
				"the measures that need it are not given",
				col_names[c], quoted);
		}
		return 0;
	}
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if ((whole ? number_parse_grouped(text, false, &v)
		   : number_parse(text, &v)) < 0 ||
	    (whole && (v < 0 || v != floor(v)))) {
		problem(im, DIAG_ERROR, row->line, column_of(im, row, c),
			"%s '%s' is not %s", col_names[c], quoted, what);
		return -1;
	}
	*out = v;
	return 0;
}

/* A row with more or fewer fields than the header: refused, located where
 * the row ends or at the first field with no column. */
static void ragged(struct import *im, const struct csv_row *row)
{
	if (row->count < im->nfields) {
		const struct csv_field *last = &row->fields[row->count - 1];

		problem(im, DIAG_ERROR, row->line,
			last->column + (long)utf8_length(last->text),
			"the row ends after %zu field%s, but the header has "
			"%zu", row->count, row->count == 1 ? "" : "s",
			im->nfields);
		return;
	}
	problem(im, DIAG_ERROR, row->line, row->fields[im->nfields].column,
		"the row has %zu fields, but the header has %zu: field %zu has "
		"no column (a number with a thousands separator must be "
		"quoted: \"1,250\")", row->count, im->nfields,
		im->nfields + 1);
}

/* The checks of a row's figures against its measure and each other. */
static bool check_figures(struct import *im, const struct csv_row *row,
			  const struct attainment_measure *m,
			  const struct row *r)
{
	bool ok = true;
	bool has_mean = !isnan(r->mean) ||
			(r->suppressed & STORE_ATTAINMENT_MEAN_SUPPRESSED);
	bool has_sd = !isnan(r->sd) ||
		      (r->suppressed & STORE_ATTAINMENT_SD_SUPPRESSED);
	bool has_reaching =
		!isnan(r->reaching) ||
		(r->suppressed & STORE_ATTAINMENT_REACHING_SUPPRESSED);

	if (r->pupils == 0) {
		if (has_mean || has_sd || has_reaching) {
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_PUPILS),
				"pupils is 0, but the row gives a %s: a figure "
				"needs pupils", has_mean ? "mean score"
				: has_sd ? "standard deviation"
					 : "number reaching the threshold");
			return false;
		}
		return true;
	}
	if (m->kind == ATTAINMENT_SCORE) {
		if (has_reaching) {
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_REACHING),
				"%s is a score measure: give its mean_score, "
				"not a number reaching a threshold", m->name);
			ok = false;
		}
		if (!has_mean) {
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_MEAN),
				"%s is a score measure: the row needs a "
				"mean_score ('x' for one suppressed at source)",
				m->name);
			return false;
		}
		if (!isnan(r->mean) && (r->mean < m->min || r->mean > m->max)) {
			problem(im, DIAG_ERROR, row->line,
				column_of(im, row, C_MEAN),
				"mean_score %g is outside %s's range, %g to %g",
				r->mean, m->title, m->min, m->max);
			ok = false;
		}
		if (!isnan(r->sd)) {
			/* the largest SD scores in [min, max] can have: half
			 * at each end, with the sample's n - 1 */
			double most = r->pupils >= 2
				? (m->max - m->min) / 2 *
				  sqrt(r->pupils / (r->pupils - 1))
				: NAN;

			if (r->sd < 0) {
				problem(im, DIAG_ERROR, row->line,
					column_of(im, row, C_SD),
					"sd %g is negative", r->sd);
				ok = false;
			} else if (r->pupils < 2) {
				problem(im, DIAG_ERROR, row->line,
					column_of(im, row, C_SD),
					"sd is given for %g pupil: a standard "
					"deviation needs at least 2", r->pupils);
				ok = false;
			} else if (r->sd > most * (1 + 1e-9)) {
				problem(im, DIAG_ERROR, row->line,
					column_of(im, row, C_SD),
					"sd %g is larger than any %g scores from "
					"%g to %g can have (%.4g)", r->sd,
					r->pupils, m->min, m->max, most);
				ok = false;
			}
		}
		return ok;
	}
	if (has_mean || has_sd) {
		problem(im, DIAG_ERROR, row->line,
			column_of(im, row, has_mean ? C_MEAN : C_SD),
			"%s is a threshold measure: give the number reaching "
			"it in reaching_threshold, not a %s", m->name,
			has_mean ? "mean_score" : "standard deviation");
		ok = false;
	}
	if (!has_reaching) {
		problem(im, DIAG_ERROR, row->line,
			column_of(im, row, C_REACHING),
			"%s is a threshold measure: the row needs "
			"reaching_threshold ('x' for one suppressed at source)",
			m->name);
		return false;
	}
	if (!isnan(r->reaching) && r->reaching > r->pupils) {
		problem(im, DIAG_ERROR, row->line,
			column_of(im, row, C_REACHING),
			"reaching_threshold %.0f is more than the %.0f pupils "
			"(column %ld)", r->reaching, r->pupils,
			column_of(im, row, C_PUPILS));
		ok = false;
	}
	return ok;
}

static void check_row(struct import *im, const struct csv_row *row)
{
	char text[256], quoted[64], code[16], name[128], period[16];
	struct parity_error err = PARITY_ERROR_INIT;
	const struct attainment_measure *m;
	struct row r;
	int year, c;
	bool ok = true;

	if (row->count != im->nfields) {
		ragged(im, row);
		return;
	}
	for (c = 0; c < C_N; c++)
		if (im->field_of[c] >= 0 &&
		    (size_t)im->field_of[c] >= row->count)
			return;
	memset(&r, 0, sizeof(r));
	r.line = row->line;
	if (row_area(im, row, code, name) < 0)
		ok = false;
	field(im, row, C_YEAR, text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	if (service_year_parse(text, &year, period) < 0) {
		problem(im, DIAG_ERROR, row->line, column_of(im, row, C_YEAR),
			"year '%s' is not an academic year ('2023-24') or a "
			"year ('2024')", quoted);
		ok = false;
	}
	field(im, row, C_MEASURE, text, sizeof(text));
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	m = attainment_measure_find(text);
	if (!m) {
		struct strbuf names = STRBUF_INIT;
		size_t k;

		for (k = 0; k < attainment_measure_count(); k++)
			strbuf_addf(&names, "%s%s", k ? ", " : "",
				    attainment_measure_at(k)->name);
		problem(im, DIAG_ERROR, row->line,
			column_of(im, row, C_MEASURE),
			"unknown measure '%s': the measures are %s", quoted,
			names.buf);
		strbuf_release(&names);
		ok = false;
	}
	field(im, row, C_GROUP, text, sizeof(text));
	r.group_column = column_of(im, row, C_GROUP);
	if (attainment_group_classify(im->opt->classifier, text, &r.group,
				      &err) < 0) {
		problem(im, DIAG_ERROR, row->line, r.group_column, "%s",
			err.message);
		ok = false;
	}
	if (row_pupils(im, row, &r.pupils) < 0)
		ok = false;
	if (row_number(im, row, C_MEAN, "a number", false,
		       STORE_ATTAINMENT_MEAN_SUPPRESSED, &r.suppressed,
		       &r.mean) < 0 ||
	    row_number(im, row, C_SD, "a number", false,
		       STORE_ATTAINMENT_SD_SUPPRESSED, &r.suppressed,
		       &r.sd) < 0 ||
	    row_number(im, row, C_REACHING,
		       "a whole number of pupils (0 or more)", true,
		       STORE_ATTAINMENT_REACHING_SUPPRESSED, &r.suppressed,
		       &r.reaching) < 0)
		ok = false;
	if (!ok || !check_figures(im, row, m, &r))
		return;
	r.measure = attainment_measure_index(m);
	r.dataset = dataset_for(im, code, name, year, period, row->line,
				column_of(im, row, C_YEAR));
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
	if (x->measure != y->measure)
		return x->measure < y->measure ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return 0;
}

/* A group given twice for an area, year and measure; a major group and a
 * group inside it. */
static void check_cells(struct import *im)
{
	size_t i = 0, j, k;

	if (im->nrows == 0)
		return;
	qsort(im->rows, im->nrows, sizeof(*im->rows), by_cell);
	while (i < im->nrows) {
		long seen[SVC_GROUP_COUNT] = { 0 };
		long detailed_in[ETH_GROUP_COUNT] = { 0 };
		const struct dataset *d = &im->sets[im->rows[i].dataset];
		const char *measure =
			attainment_measure_at((size_t)im->rows[i].measure)->name;

		for (j = i; j < im->nrows &&
			    im->rows[j].dataset == im->rows[i].dataset &&
			    im->rows[j].measure == im->rows[i].measure; j++)
			;
		for (k = i; k < j; k++) {
			const struct row *r = &im->rows[k];
			int hi = (int)service_group_high(r->group);

			if (seen[r->group]) {
				problem(im, DIAG_ERROR, r->line,
					r->group_column,
					"%s is given twice for %s in %s, %s "
					"(first on line %ld)",
					service_group_label(r->group), measure,
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
					"%s for %s, %s gives the group %s and, "
					"on line %ld, a group inside it: its "
					"pupils would be counted twice; give one "
					"or the other", measure, d->area_name,
					d->period,
					service_group_label(r->group),
					detailed_in[hi]);
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
		"an attainment return", on_header, on_row, rows_kept, im
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

/* Write every dataset; all or nothing. */
static int store_all(struct store *s, struct import *im, const char *sha,
		     struct attainment_import_result *res,
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
		struct store_attainment_return *ret = &d->ret, prev;
		int found = store_attainment_current(s, d->area_code, d->year,
						     &prev, err);

		if (found < 0)
			goto fail;
		if (found && strcmp(prev.sha256, sha) == 0) {
			d->unchanged = true;
			*ret = prev;
			unchanged++;
			continue;
		}
		memset(ret, 0, sizeof(*ret));
		snprintf(ret->area_code, sizeof(ret->area_code), "%s",
			 d->area_code);
		ret->year = d->year;
		snprintf(ret->period, sizeof(ret->period), "%s", d->period);
		snprintf(ret->level, sizeof(ret->level), "%s",
			 d->high ? "high" : "detailed");
		snprintf(ret->submitted_at, sizeof(ret->submitted_at), "%s",
			 now);
		snprintf(ret->submitted_by, sizeof(ret->submitted_by), "%s",
			 im->opt->submitted_by ? im->opt->submitted_by : "");
		snprintf(ret->source_name, sizeof(ret->source_name), "%s",
			 base_name(im->file));
		ret->rows = d->rows;
		snprintf(ret->sha256, sizeof(ret->sha256), "%s", sha);
		if (store_attainment_return_add(s, ret, err) < 0)
			goto fail;
	}
	for (r = 0; r < im->nrows; r++) {
		const struct row *row = &im->rows[r];
		const struct dataset *d = &im->sets[row->dataset];
		struct store_attainment_row sr;

		if (d->unchanged)
			continue;
		sr.measure = attainment_measure_at((size_t)row->measure)->name;
		sr.group = service_group_code(row->group);
		sr.label = row->label;
		sr.pupils = row->pupils;
		sr.mean = row->mean;
		sr.sd = row->sd;
		sr.reaching = row->reaching;
		sr.suppressed = row->suppressed;
		sr.line = row->line;
		if (store_attainment_row_add(s, d->ret.id, &sr, err) < 0)
			goto fail;
	}
	res->unchanged = unchanged == im->nsets;
	if (res->unchanged)
		store_rollback(s);
	else if (store_commit(s, err) < 0)
		return -1;
	res->items = xcalloc(im->nsets + 1, sizeof(*res->items));
	for (k = 0; k < im->nsets; k++) {
		struct attainment_import_item *it = &res->items[res->count++];

		it->ret = im->sets[k].ret;
		snprintf(it->area_name, sizeof(it->area_name), "%s",
			 im->sets[k].area_name);
		it->unchanged = im->sets[k].unchanged;
	}
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int attainment_import(struct store *s,
		      const struct attainment_import_options *opt,
		      struct diag_list *diags,
		      struct attainment_import_result *res,
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
	res->rows = (long)im.nrows;
	diag_list_sort(diags);
	if (diags->errors > 0) {
		parity_error_set(err, PARITY_ERR_VALIDATION, im.file, 0, 0,
				 "%zu error%s: nothing was stored",
				 diags->errors, diags->errors == 1 ? "" : "s");
		goto out;
	}
	if (store_all(s, &im, hex, res, err) < 0)
		goto out;
	status = 0;
out:
	free(im.file_copy);
	free(im.sets);
	for (k = 0; k < im.nrows; k++)
		free(im.rows[k].label);
	free(im.rows);
	return status;
}

void attainment_import_result_release(struct attainment_import_result *res)
{
	free(res->items);
	memset(res, 0, sizeof(*res));
}
