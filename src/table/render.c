/*
 * render.c - tidy table to CSV, JSON and terminal text, and figures
 * formatted for reading in their measures' units (see render.h).
 */
#include "table/render.h"

#include "base/utf8.h"
#include "base/alloc.h"
#include "base/number.h"
#include "base/strbuf.h"
#include "base/textsafe.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int output_format_parse(const char *name, enum output_format *out,
			struct parity_error *err)
{
	static const char *const names[] = { "table", "csv", "json", "xlsx" };
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strcmp(name, names[k]) == 0) {
			*out = (enum output_format)k;
			return 0;
		}
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"unknown format '%s': use table, csv, json or "
				"xlsx", name);
}

/* The measure a funnel position places, named by its breakdown
 * ('not_known_rate', 'relative_likelihood: promoted'), or NULL. */
static const struct measure_def *placed_measure(const struct tidy_row *r)
{
	char name[64];
	size_t n = strcspn(r->breakdown, ":");

	if (n >= sizeof(name))
		return NULL;
	memcpy(name, r->breakdown, n);
	name[n] = '\0';
	return measure_def_find(name);
}

enum measure_unit render_unit(const struct tidy_row *r, enum tidy_column c)
{
	const struct measure_def *def = measure_def_find(r->measure);
	enum measure_unit unit;

	if (!def)
		return UNIT_NUMBER;
	if (def->basis == BASIS_FUNNEL) {
		const struct measure_def *placed = placed_measure(r);

		if (c == TIDY_DENOMINATOR)
			return UNIT_COUNT;
		if (c == TIDY_P_VALUE || !placed ||
		    placed->basis == BASIS_FUNNEL)
			return UNIT_NUMBER;
		def = placed;
		if (c == TIDY_NUMERATOR)
			c = TIDY_VALUE; /* London's figure of the same kind */
	}
	switch (c) {
	case TIDY_VALUE:
	case TIDY_CI_LOW:
	case TIDY_CI_HIGH:
		unit = def->unit;
		break;
	case TIDY_NUMERATOR:
		unit = def->numerator_unit;
		break;
	case TIDY_DENOMINATOR:
		unit = def->denominator_unit;
		break;
	default:
		return UNIT_NUMBER;
	}
	return unit == UNIT_NONE ? UNIT_NUMBER : unit;
}

void format_value(double v, enum measure_unit unit, char *buf, size_t size)
{
	int places = measure_unit_places(unit);

	if (isnan(v)) {
		snprintf(buf, size, "%s", "");
		return;
	}
	if (places < 0) {
		/* a plain number is not rounded */
		snprintf(buf, size, "%.10g", v);
		return;
	}
	v = round_half_away(v, places);
	switch (unit) {
	case UNIT_COUNT:
	case UNIT_COUNT_PART:
		number_format_grouped(v, places, buf, size);
		break;
	case UNIT_PERCENT:
		snprintf(buf, size, "%.*f%%", places, v);
		break;
	case UNIT_POUNDS:
		snprintf(buf, size, "£%.*f", places, v);
		break;
	case UNIT_POINTS:
		snprintf(buf, size, "%+.*f pp", places, v);
		break;
	case UNIT_NONE:
	case UNIT_NUMBER:
	case UNIT_RATIO:
	case UNIT_PER_1000:
	case UNIT_SCORE:
		snprintf(buf, size, "%.*f", places, v);
		break;
	}
}

void format_figure(const struct tidy_row *r, enum tidy_column c, char *buf,
		   size_t size)
{
	double v = tidy_row_number(r, c);
	size_t n = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (tidy_row_withheld(r, c)) {
		snprintf(buf, size, "%s", TIDY_WITHHELD);
		return;
	}
	if (isnan(v))
		return;
	if (c == TIDY_P_VALUE) {
		/* as published: below 0.001 as such, else 2 significant
		 * figures (0.0012, 0.35, 1) */
		if (v < 0.001)
			snprintf(buf, size, "%s", "<0.001");
		else
			snprintf(buf, size, "%s%.2g",
				 tidy_row_below(r, c) ? "<" : "", v);
		return;
	}
	if (tidy_row_below(r, c) && size > 1) {
		buf[0] = '<';
		n = 1;
	}
	format_value(v, render_unit(r, c), buf + n, size - n);
}


/* A number for machine-readable output: integers without a fraction,
 * others with 10 significant digits, so that a figure rounded to 14.3
 * (held as 14.300000000000001) is written 14.3. Whole numbers, most of
 * any table, are written without printf's general conversion. */
static void format_exact(double v, char *buf, size_t size)
{
	if (isnan(v)) {
		buf[0] = '\0';
	} else if (v == floor(v) && fabs(v) < 1e15) {
		char digits[24];
		size_t n = 0, o = 0;
		unsigned long long u = (unsigned long long)fabs(v);

		do {
			digits[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (v < 0 && o + 1 < size)
			buf[o++] = '-';
		while (n > 0 && o + 1 < size)
			buf[o++] = digits[--n];
		buf[o] = '\0';
	} else {
		snprintf(buf, size, "%.10g", v);
	}
}

/* Figure `c` of `r` as CSV and JSON write it: '<' before a bound. */
static void format_machine(const struct tidy_row *r, enum tidy_column c,
			   char *buf, size_t size)
{
	double v = tidy_row_number(r, c);

	if (tidy_row_below(r, c) && !isnan(v) && size > 1) {
		buf[0] = '<';
		format_exact(v, buf + 1, size - 1);
	} else {
		format_exact(v, buf, size);
	}
}

/* A CSV field appended to a line being built: quoted when it must be, and
 * a text a spreadsheet would take for a formula ('=1+1', '@SUM(A1)')
 * neutralised with a leading single quote (textsafe.h). Only text columns
 * come here: figures are written as numbers by format_machine(). */
static void csv_add_field(struct strbuf *line, const char *s)
{
	textsafe_csv_append(line, s);
}

void csv_write_field(FILE *out, const char *s)
{
	struct strbuf field = STRBUF_INIT;

	if (strpbrk(s, ",\"\r\n") == NULL && !textsafe_csv_needs_guard(s)) {
		fputs(s, out); /* most fields: nothing to do */
		return;
	}
	csv_add_field(&field, s);
	fwrite(field.buf, 1, field.len, out);
	strbuf_release(&field);
}

static int check_written(FILE *out, struct parity_error *err)
{
	if (ferror(out))
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"could not write the output");
	return 0;
}

int table_write_csv(const struct tidy_table *t, FILE *out,
		    struct parity_error *err)
{
	struct strbuf line = STRBUF_INIT;
	size_t k;
	int c;
	char num[64];

	for (c = 0; c < TIDY_COLUMN_COUNT; c++)
		fprintf(out, "%s%s", c ? "," : "",
			tidy_column_name((enum tidy_column)c));
	fputc('\n', out);
	/* each row is built as one line and written at once */
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		strbuf_reset(&line);
		for (c = 0; c < TIDY_COLUMN_COUNT; c++) {
			if (c)
				strbuf_addch(&line, ',');
			if (tidy_row_withheld(r, (enum tidy_column)c)) {
				strbuf_addstr(&line, TIDY_WITHHELD);
			} else if (c == TIDY_YEAR && r->period[0]) {
				csv_add_field(&line, r->period);
			} else if (tidy_column_is_number((enum tidy_column)c)) {
				format_machine(r, (enum tidy_column)c, num,
					       sizeof(num));
				strbuf_addstr(&line, num);
			} else {
				csv_add_field(&line, tidy_row_text(r, (enum tidy_column)c));
			}
		}
		strbuf_addch(&line, '\n');
		fwrite(line.buf, 1, line.len, out);
	}
	strbuf_release(&line);
	return check_written(out, err);
}

int table_write_json(const struct tidy_table *t, FILE *out,
		     struct parity_error *err)
{
	json_t *rows = json_array();
	size_t k;
	char *text;
	int c, rc;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];
		json_t *o = json_object();

		for (c = 0; c < TIDY_COLUMN_COUNT; c++) {
			const char *name = tidy_column_name((enum tidy_column)c);

			if (tidy_row_withheld(r, (enum tidy_column)c)) {
				json_object_set_new(o, name,
						    json_string(TIDY_WITHHELD));
			} else if (c == TIDY_YEAR && r->period[0]) {
				json_object_set_new(o, name,
						    json_string(r->period));
			} else if (tidy_column_is_number((enum tidy_column)c)) {
				double v = tidy_row_number(r, (enum tidy_column)c);

				if (isnan(v)) {
					json_object_set_new(o, name, json_null());
				} else if (tidy_row_below(r, (enum tidy_column)c)) {
					char num[64];

					format_machine(r, (enum tidy_column)c,
						       num, sizeof(num));
					json_object_set_new(o, name,
							    json_string(num));
				} else if (c == TIDY_YEAR) {
					json_object_set_new(o, name, json_integer((json_int_t)v));
				} else {
					json_object_set_new(o, name, json_real(v));
				}
			} else {
				json_object_set_new(o, name,
						    json_string(tidy_row_text(r, (enum tidy_column)c)));
			}
		}
		json_array_append_new(rows, o);
	}
	/* into memory first, then written at once: Jansson writes a FILE
	 * token by token, which costs a quarter of the hub's time on a
	 * table of thousands of rows */
	text = json_dumps(rows, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					JSON_REAL_PRECISION(10));
	json_decref(rows);
	rc = text && fputs(text, out) != EOF && fputc('\n', out) != EOF
		     ? 0
		     : -1;
	free(text);
	if (rc != 0)
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"could not write the JSON output");
	return check_written(out, err);
}

/* ---- terminal view ---- */

enum { TEXT_COLUMNS = 10 };

static const char *const text_headers[TEXT_COLUMNS] = {
	"measure", "area", "year", "ethnicity", "breakdown", "value",
	"numerator", "denominator", "95% CI", "p"
};

/* Whether every row has the same text in a column. */
static bool all_same(const struct tidy_table *t, enum tidy_column c)
{
	size_t k;

	for (k = 1; k < t->count; k++)
		if (tidy_row_text(&t->rows[k], c) != tidy_row_text(&t->rows[0], c))
			return false;
	return true;
}

static void text_cell(const struct tidy_row *r, int col, char *buf,
		      size_t size)
{
	char lo[32], hi[32];

	buf[0] = '\0';
	switch (col) {
	case 0: snprintf(buf, size, "%s", r->measure); break;
	case 1: snprintf(buf, size, "%s", r->area_name); break;
	case 2: tidy_row_year_text(r, buf, size); break;
	case 3: snprintf(buf, size, "%s", r->ethnicity); break;
	case 4: snprintf(buf, size, "%s", r->breakdown); break;
	case 5:
		format_figure(r, TIDY_VALUE, buf, size);
		if (tidy_row_withheld(r, TIDY_VALUE))
			break;
		if (r->flag[0] && buf[0])
			snprintf(buf + strlen(buf), size - strlen(buf), " %s",
				 r->flag);
		else if (r->flag[0])
			snprintf(buf, size, "%s", r->flag);
		break;
	case 6: format_figure(r, TIDY_NUMERATOR, buf, size); break;
	case 7: format_figure(r, TIDY_DENOMINATOR, buf, size); break;
	case 8:
		if (tidy_row_withheld(r, TIDY_CI_LOW) ||
		    tidy_row_withheld(r, TIDY_CI_HIGH)) {
			snprintf(buf, size, "%s", TIDY_WITHHELD);
		} else if (!isnan(r->ci_low) || !isnan(r->ci_high)) {
			format_figure(r, TIDY_CI_LOW, lo, sizeof(lo));
			format_figure(r, TIDY_CI_HIGH, hi, sizeof(hi));
			snprintf(buf, size, "%s to %s", lo, hi);
		}
		break;
	case 9: format_figure(r, TIDY_P_VALUE, buf, size); break;
	default: break;
	}
}

/* Write the line without trailing spaces, and empty it. */
static void end_text_line(struct strbuf *line, FILE *out)
{
	while (line->len && line->buf[line->len - 1] == ' ')
		line->len--;
	fwrite(line->buf, 1, line->len, out);
	fputc('\n', out);
	strbuf_reset(line);
}

int table_write_text(const struct tidy_table *t, FILE *out,
		     struct parity_error *err)
{
	size_t width[TEXT_COLUMNS] = { 0 };
	bool show[TEXT_COLUMNS] = { false };
	char cell[256];
	const char **notes = NULL;
	struct strbuf line = STRBUF_INIT;
	size_t nnotes = 0, notes_cap = 0, k, n;
	int c;

	if (t->count == 0) {
		fprintf(out, "(no rows)\n");
		return check_written(out, err);
	}
	if (all_same(t, TIDY_MEASURE) || all_same(t, TIDY_AREA_NAME)) {
		fprintf(out, "%s%s%s", all_same(t, TIDY_MEASURE) ? t->rows[0].measure : "",
			all_same(t, TIDY_MEASURE) && all_same(t, TIDY_AREA_NAME) ? " - " : "",
			all_same(t, TIDY_AREA_NAME) ? t->rows[0].area_name : "");
		if (t->rows[0].ethnicity_level[0] && all_same(t, TIDY_ETHNICITY_LEVEL))
			fprintf(out, " (ethnicity: %s)", t->rows[0].ethnicity_level);
		fputs("\n\n", out);
	}
	for (c = 0; c < TEXT_COLUMNS; c++) {
		if ((c == 0 && all_same(t, TIDY_MEASURE)) ||
		    (c == 1 && all_same(t, TIDY_AREA_NAME)))
			continue;
		width[c] = utf8_length(text_headers[c]);
		for (k = 0; k < t->count; k++) {
			text_cell(&t->rows[k], c, cell, sizeof(cell));
			if (cell[0])
				show[c] = true;
			if (utf8_length(cell) > width[c])
				width[c] = utf8_length(cell);
		}
	}
	for (c = 0; c < TEXT_COLUMNS; c++)
		if (show[c])
			strbuf_addf(&line, c >= 5 ? "%*s  " : "%-*s  ",
				    (int)width[c], text_headers[c]);
	end_text_line(&line, out);
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		for (c = 0; c < TEXT_COLUMNS; c++) {
			size_t pad;

			if (!show[c])
				continue;
			text_cell(r, c, cell, sizeof(cell));
			pad = width[c] - utf8_length(cell);
			if (c >= 5)
				strbuf_addf(&line, "%*s%s  ", (int)pad, "", cell);
			else
				strbuf_addf(&line, "%s%*s  ", cell, (int)pad, "");
		}
		end_text_line(&line, out);
		if (r->note[0]) {
			for (n = 0; n < nnotes; n++)
				if (notes[n] == r->note)
					break;
			if (n == nnotes) {
				notes = xgrow(notes, &notes_cap, nnotes + 1,
					      sizeof(*notes));
				notes[nnotes++] = r->note;
			}
		}
	}
	if (nnotes) {
		fputs("\nNotes:\n", out);
		for (n = 0; n < nnotes; n++)
			fprintf(out, "  %s\n", notes[n]);
	}
	free(notes);
	strbuf_release(&line);
	return check_written(out, err);
}

int table_write(const struct tidy_table *t, enum output_format format,
		FILE *out, struct parity_error *err)
{
	switch (format) {
	case OUTPUT_CSV: return table_write_csv(t, out, err);
	case OUTPUT_JSON: return table_write_json(t, out, err);
	case OUTPUT_TABLE: return table_write_text(t, out, err);
	case OUTPUT_XLSX: break;
	}
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"xlsx output needs -o FILE");
}
