/*
 * table_read.c - a tidy CSV back into a tidy table (see table_read.h).
 */
#include "table/table_read.h"

#include "base/alloc.h"
#include "base/csv.h"
#include "base/number.h"
#include "base/textsafe.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tidy column each CSV column holds: -1 before the header is read. */
struct layout {
	int column[TIDY_COLUMN_COUNT];   /* per CSV column */
	size_t ncolumns;
};

/* Returns 1 when the header is not a tidy table's. */
static int read_header(const char *path, const struct csv_row *row,
		       struct layout *l, struct parity_error *err)
{
	bool seen[TIDY_COLUMN_COUNT] = { false };
	size_t k;
	int c;

	for (k = 0; k < row->count; k++)
		if (strcmp(row->fields[k].text, "measure") == 0)
			break;
	if (k == row->count)
		return 1;
	if (row->count != TIDY_COLUMN_COUNT)
		return parity_error_set(err, PARITY_ERR_PARSE, path, row->line,
					1, "a tidy table has %d columns, not "
					"%zu", TIDY_COLUMN_COUNT, row->count);
	for (k = 0; k < row->count; k++) {
		for (c = 0; c < TIDY_COLUMN_COUNT; c++)
			if (strcmp(row->fields[k].text,
				   tidy_column_name((enum tidy_column)c)) == 0)
				break;
		if (c == TIDY_COLUMN_COUNT || seen[c])
			return parity_error_set(
				err, PARITY_ERR_PARSE, path, row->line,
				row->fields[k].column, "column '%s' is %s",
				row->fields[k].text,
				c == TIDY_COLUMN_COUNT ? "not a tidy table "
							 "column"
						       : "given twice");
		seen[c] = true;
		l->column[k] = c;
	}
	l->ncolumns = row->count;
	return 0;
}

static void set_text(struct tidy_table *t, struct tidy_row *r,
		     enum tidy_column c, const char *s)
{
	/* the text as stored: the writer guards formulas with a quote */
	const char *v = tidy_table_intern(t, textsafe_csv_unguard(s));

	switch (c) {
	case TIDY_MEASURE: r->measure = v; break;
	case TIDY_AREA_CODE: r->area_code = v; break;
	case TIDY_AREA_NAME: r->area_name = v; break;
	case TIDY_AREA_TYPE: r->area_type = v; break;
	case TIDY_ETHNICITY: r->ethnicity = v; break;
	case TIDY_ETHNICITY_LEVEL: r->ethnicity_level = v; break;
	case TIDY_BREAKDOWN: r->breakdown = v; break;
	case TIDY_FLAG: r->flag = v; break;
	case TIDY_NOTE: r->note = v; break;
	default: break;
	}
}

static double *number_slot(struct tidy_row *r, enum tidy_column c)
{
	switch (c) {
	case TIDY_VALUE: return &r->value;
	case TIDY_NUMERATOR: return &r->numerator;
	case TIDY_DENOMINATOR: return &r->denominator;
	case TIDY_CI_LOW: return &r->ci_low;
	case TIDY_CI_HIGH: return &r->ci_high;
	case TIDY_P_VALUE: return &r->p_value;
	default: return NULL;
	}
}

/* A number as the renderer writes it: %.10g, so possibly with an
 * exponent. No sign or space may follow a '<': "<0.001", never "< 0.001". */
static int parse_figure(const char *text, double *out)
{
	char *end;

	*out = strtod(text, &end);
	if (end == text || *end || !isfinite(*out))
		return -1;
	return 0;
}

/* '2024', or '2023-24' (the year it starts, kept as the period); or a
 * span, '2019-20 to 2023-24' (a trend's: the year of its end, the whole
 * kept as the period). */
static int read_year(struct tidy_table *t, struct tidy_row *r,
		     const char *text)
{
	long year, next;
	char head[8];
	const char *to = strstr(text, " to ");

	if (!text[0])
		return 0;
	if (to) {
		struct tidy_row first = *r, last = *r;
		char buf[16];
		size_t len = (size_t)(to - text);

		if (len >= sizeof(buf))
			return -1;
		memcpy(buf, text, len);
		buf[len] = '\0';
		if (strstr(to + 4, " to ") || read_year(t, &first, buf) < 0 ||
		    read_year(t, &last, to + 4) < 0 || first.year > last.year)
			return -1;
		r->year = last.year;
		r->period = tidy_table_intern(t, text);
		return 0;
	}
	if (number_parse_int(text, 1900, 2200, &year) == 0) {
		r->year = (int)year;
		return 0;
	}
	if (strlen(text) != 7 || text[4] != '-')
		return -1;
	memcpy(head, text, 4);
	head[4] = '\0';
	if (number_parse_int(head, 1900, 2200, &year) < 0 ||
	    number_parse_int(text + 5, 0, 99, &next) < 0 ||
	    next != (year + 1) % 100)
		return -1;
	r->year = (int)year;
	r->period = tidy_table_intern(t, text);
	return 0;
}

static int read_row(const char *path, const struct csv_row *row,
		    const struct layout *l, struct tidy_table *t,
		    struct parity_error *err)
{
	struct tidy_row *r;
	size_t k;

	if (row->count != l->ncolumns)
		return parity_error_set(err, PARITY_ERR_PARSE, path, row->line,
					row->count > l->ncolumns
						? row->fields[l->ncolumns].column
						: 1,
					"the row has %zu fields; the header "
					"has %zu", row->count, l->ncolumns);
	r = tidy_table_add_row(t);
	if (!r)
		return parity_error_set(err, PARITY_ERR_INTERNAL, path,
					row->line, 1, "no row was added");
	for (k = 0; k < row->count; k++) {
		const struct csv_field *f = &row->fields[k];
		enum tidy_column c = (enum tidy_column)l->column[k];
		double *slot = number_slot(r, c);

		if (c == TIDY_YEAR) {
			if (read_year(t, r, f->text) < 0)
				goto bad_year;
		} else if (!slot) {
			set_text(t, r, c, f->text);
		} else if (strcmp(f->text, TIDY_WITHHELD) == 0) {
			r->withheld |= 1u << c;
		} else if (f->text[0] == '<') {
			/* an upper bound: '<' and the bound */
			if (isspace((unsigned char)f->text[1]) ||
			    parse_figure(f->text + 1, slot) < 0)
				goto bad_figure;
			r->below |= 1u << c;
		} else if (f->text[0] && parse_figure(f->text, slot) < 0) {
			goto bad_figure;
		}
		continue;
bad_figure:
		t->count--;
		return parity_error_set(err, PARITY_ERR_PARSE, path, row->line,
					f->column, "%s: '%s' is not a number, "
					"'<' and a number, or %s",
					tidy_column_name(c), f->text,
					TIDY_WITHHELD);
bad_year:
		t->count--;
		return parity_error_set(err, PARITY_ERR_PARSE, path, row->line,
					f->column, "year: '%s' is not a year "
					"('2024') or a financial or academic "
					"year ('2023-24')", f->text);
	}
	return 0;
}

int tidy_table_read_csv(const char *path, struct tidy_table *t, long **lines,
			size_t *lines_cap, struct parity_error *err)
{
	struct csv_reader *rd = NULL;
	struct csv_row row;
	struct layout l;
	bool header = true;
	int rc, got;

	memset(&l, 0, sizeof(l));
	if (csv_reader_open_file(&rd, path, err) < 0)
		return -1;
	for (;;) {
		got = csv_reader_next(rd, &row, err);
		if (got <= 0) {
			rc = got;
			if (got == 0 && header)
				rc = 1; /* empty: not a table */
			break;
		}
		if (header) {
			rc = read_header(path, &row, &l, err);
			header = false;
			if (rc != 0)
				break;
			continue;
		}
		rc = read_row(path, &row, &l, t, err);
		if (rc < 0)
			break;
		if (lines && lines_cap) {
			*lines = xgrow(*lines, lines_cap, t->count,
				       sizeof(**lines));
			(*lines)[t->count - 1] = row.line;
		}
	}
	csv_reader_free(rd);
	return rc;
}
