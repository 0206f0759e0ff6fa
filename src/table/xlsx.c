/*
 * xlsx.c - tidy table to Excel workbook (see xlsx.h). Figures are numbers,
 * as the table holds them; a withheld figure is the text "[c]" and an
 * upper bound the text '<' and the bound ("<0.001"), as in the CSV. Text
 * is always written with worksheet_write_string(), never as a formula, so
 * a label such as '=HYPERLINK(...)' is a string in the cell. The
 * Notes sheet says what each measure in the workbook is, and its units,
 * from the registry of measures (table/measure_def.h).
 */
#include "table/xlsx.h"

#include "base/alloc.h"
#include "base/textsafe.h"
#include "table/measure_def.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

/* A sheet's name for readers: the measure's short label
 * (measure_short_label), without the characters Excel refuses ([]:*?/\),
 * at most 31 characters, and unlike every name in `taken` (Excel compares
 * them without case): a repeat gets " 2", " 3", ... */
static void sheet_name(const char *measure, const char *const *taken,
		       size_t ntaken, char *out, size_t size)
{
	const char *label = measure_short_label(measure);
	char base[32];
	size_t n = 0, k;
	int copy;

	for (; *label && n < 31 && n + 1 < sizeof(base); label++)
		base[n++] = strchr("[]:*?/\\", *label) ? '-' : *label;
	while (n > 0 && base[n - 1] == ' ')
		n--;
	base[n] = '\0';
	snprintf(out, size, "%s", base);
	for (copy = 2; copy < 1000; copy++) {
		bool clash = false;

		for (k = 0; k < ntaken && !clash; k++)
			clash = strcasecmp(taken[k], out) == 0;
		if (!clash)
			return;
		snprintf(out, size, "%.27s %d", base, copy % 1000);
	}
}

static bool write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		       const struct tidy_row *r, enum tidy_column c)
{
	lxw_error e;

	if (tidy_row_withheld(r, c)) {
		e = worksheet_write_string(ws, row, col, TIDY_WITHHELD, NULL);
	} else if (c == TIDY_YEAR && r->period[0]) {
		e = worksheet_write_string(ws, row, col, r->period, NULL);
	} else if (tidy_column_is_number(c)) {
		double v = tidy_row_number(r, c);
		char bound[64];

		if (isnan(v))
			return true;
		if (tidy_row_below(r, c)) {
			/* an upper bound is text, as the CSV writes it */
			snprintf(bound, sizeof(bound), "<%.10g", v);
			e = worksheet_write_string(ws, row, col, bound, NULL);
		} else {
			e = worksheet_write_number(ws, row, col, v, NULL);
		}
	} else {
		const char *s = tidy_row_text(r, c);

		if (!s[0])
			return true;
		e = worksheet_write_string(ws, row, col, s, NULL);
	}
	return e == LXW_NO_ERROR;
}

static bool write_measure_sheet(lxw_workbook *wb, const struct tidy_table *t,
				const char *measure, const char *name,
				lxw_format *bold)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_row_t row = 1;
	size_t k;
	int c;

	if (!ws)
		return false;
	for (c = 1; c < TIDY_COLUMN_COUNT; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)(c - 1),
				       tidy_column_name((enum tidy_column)c), bold);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 0, TIDY_COLUMN_COUNT - 2, 14, NULL);
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (r->measure != measure)
			continue;
		for (c = 1; c < TIDY_COLUMN_COUNT; c++)
			if (!write_cell(ws, row, (lxw_col_t)(c - 1), r,
					(enum tidy_column)c))
				return false;
		row++;
	}
	return true;
}

/* " Numerator: staff in the group, count." into `buf`, or nothing when
 * the measure has no such operand; returns the length written. */
static size_t operand(char *buf, size_t size, const char *what,
		      const char *label, enum measure_unit unit)
{
	int n;

	if (!label[0] || size == 0)
		return 0;
	n = unit == UNIT_NONE || unit == UNIT_NUMBER
		    ? snprintf(buf, size, " %s: %s.", what, label)
		    : snprintf(buf, size, " %s: %s, %s.", what, label,
			       measure_unit_name(unit));
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* What a measure is, from the registry (measure_def.h): its label, the
 * unit of its value and what its numerator and denominator hold. */
static void measure_text(const char *measure, char *buf, size_t size)
{
	const struct measure_def *d = measure_def_find(measure);
	size_t n;
	int w;

	if (!d) {
		snprintf(buf, size, "%s", "a measure parity's registry does not "
			 "describe: its figures are plain numbers");
		return;
	}
	w = d->unit == UNIT_NONE
		    ? snprintf(buf, size, "%s.", d->label)
		    : snprintf(buf, size, "%s. Value: %s.", d->label,
			       measure_unit_name(d->unit));
	n = w < 0 ? 0 : (size_t)w < size ? (size_t)w : size - 1;
	n += operand(buf + n, size - n, "Numerator", d->numerator_label,
		     d->numerator_unit);
	operand(buf + n, size - n, "Denominator", d->denominator_label,
		d->denominator_unit);
}

static bool write_notes_sheet(lxw_workbook *wb, const struct tidy_table *t,
			      const char *title, const char **measures,
			      char (*names)[32], size_t nmeasures,
			      lxw_format *bold)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Notes");
	lxw_row_t row = 0;
	size_t k, m;
	int c;

	if (!ws)
		return false;
	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 1, 100, NULL);
	worksheet_write_string(ws, row++, 0, title, bold);
	worksheet_write_string(ws, row++, 0,
			       "Produced by parity. Each measure is on a sheet "
			       "of its own; the columns are:", NULL);
	row++;
	for (c = 0; c < TIDY_COLUMN_COUNT; c++, row++) {
		char text[512];

		snprintf(text, sizeof(text), "%s: %s",
			 tidy_column_title((enum tidy_column)c),
			 tidy_column_description((enum tidy_column)c));
		worksheet_write_string(ws, row, 0,
				       tidy_column_name((enum tidy_column)c), bold);
		worksheet_write_string(ws, row, 1, text, NULL);
	}
	row++;
	worksheet_write_string(ws, row++, 0, "Measures", bold);
	for (m = 0; m < nmeasures; m++) {
		char text[1024], line[1100];

		measure_text(measures[m], text, sizeof(text));
		snprintf(line, sizeof(line), "Sheet '%s'. %s", names[m], text);
		worksheet_write_string(ws, row, 0, measures[m], NULL);
		worksheet_write_string(ws, row++, 1, line, NULL);
	}
	row++;
	worksheet_write_string(ws, row++, 0, "Notes", bold);
	for (m = 0; m < nmeasures; m++) {
		const char *seen_note = NULL;

		for (k = 0; k < t->count; k++) {
			const struct tidy_row *r = &t->rows[k];
			size_t j;
			bool repeat = false;

			if (r->measure != measures[m] || !r->note[0] ||
			    r->note == seen_note)
				continue;
			for (j = 0; j < k && !repeat; j++)
				repeat = t->rows[j].measure == measures[m] &&
					 t->rows[j].note == r->note;
			if (repeat)
				continue;
			seen_note = r->note;
			worksheet_write_string(ws, row, 0, measures[m], NULL);
			worksheet_write_string(ws, row++, 1, r->note, NULL);
		}
	}
	return true;
}

/* An internal link's target, "internal:'Sheet''s name'!A1": a quote in
 * the name doubled. */
static void sheet_link(const char *name, char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "internal:'");

	for (; *name && n + 8 < size; name++) {
		if (*name == '\'')
			out[n++] = '\'';
		out[n++] = *name;
	}
	snprintf(out + n, size - n, "'!A1");
}

/* The first sheet: the title, the cover's lines, and a contents list
 * linking to every sheet with what it holds. */
static bool write_cover_sheet(lxw_workbook *wb, const struct xlsx_cover *cover,
			      const char **measures, char (*names)[32],
			      size_t nmeasures, lxw_format *bold,
			      lxw_format *heading)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Cover");
	lxw_row_t row = 0;
	char link[80];
	size_t k;

	if (!ws)
		return false;
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 110, NULL);
	worksheet_write_string(ws, row++, 0, cover->title, heading);
	row++;
	for (k = 0; k < cover->nlines; k++, row++) {
		worksheet_write_string(ws, row, 0, cover->lines[k].label, bold);
		worksheet_write_string(ws, row, 1, cover->lines[k].text, NULL);
	}
	row++;
	worksheet_write_string(ws, row++, 0, "Contents", heading);
	for (k = 0; k <= nmeasures; k++, row++) {
		const char *name = k < nmeasures ? names[k] : "Notes";
		const struct measure_def *d =
			k < nmeasures ? measure_def_find(measures[k]) : NULL;

		sheet_link(name, link, sizeof(link));
		if (worksheet_write_url_opt(ws, row, 0, link, NULL, name,
					    NULL) != LXW_NO_ERROR)
			return false;
		worksheet_write_string(
			ws, row, 1,
			k == nmeasures ? "What each column and measure means, "
					 "and every note"
			: d	       ? d->label
				       : measures[k],
			NULL);
	}
	return true;
}

int table_write_xlsx(const struct tidy_table *t, const char *title,
		     const char *path, struct parity_error *err)
{
	struct xlsx_cover cover = { title, NULL, 0 };

	return table_write_xlsx_cover(t, &cover, path, err);
}

int table_write_xlsx_cover(const struct tidy_table *t,
			   const struct xlsx_cover *cover, const char *path,
			   struct parity_error *err)
{
	lxw_workbook_options options = { .constant_memory = LXW_FALSE,
					 .tmpdir = NULL };
	lxw_doc_properties props = { 0 };
	char title_copy[256], author[] = "parity";
	lxw_workbook *wb = workbook_new_opt(path, &options);
	const char **measures = NULL, **taken = NULL;
	char (*names)[32] = NULL;
	size_t nmeasures = 0, cap = 0, k, m;
	lxw_format *bold, *heading;
	lxw_error closed;
	bool ok = true;

	if (!wb)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot create the workbook");
	/* The title is a document property, XML that cannot hold control
	 * characters (a service's title from --definitions may): shown as
	 * escapes. Cells are written as strings, which libxlsxwriter escapes
	 * itself, and never as formulas, whatever they begin with. */
	textsafe_terminal_copy(title_copy, sizeof(title_copy), cover->title);
	props.title = title_copy;
	props.author = author;
	props.created = 1; /* a fixed date: the same table gives the same file */
	workbook_set_properties(wb, &props);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	heading = workbook_add_format(wb);
	format_set_bold(heading);
	format_set_font_size(heading, 14);
	for (k = 0; k < t->count; k++) {
		for (m = 0; m < nmeasures; m++)
			if (measures[m] == t->rows[k].measure)
				break;
		if (m == nmeasures) {
			measures = xgrow(measures, &cap, nmeasures + 1,
					 sizeof(*measures));
			measures[nmeasures++] = t->rows[k].measure;
		}
	}
	names = xcalloc(nmeasures + 1, sizeof(*names));
	taken = xcalloc(nmeasures + 2, sizeof(*taken));
	taken[0] = "Cover";
	taken[1] = "Notes";
	for (m = 0; m < nmeasures; m++) {
		sheet_name(measures[m], taken, m + 2, names[m],
			   sizeof(names[m]));
		taken[m + 2] = names[m];
	}
	ok = write_cover_sheet(wb, cover, measures, names, nmeasures, bold,
			       heading);
	for (m = 0; m < nmeasures && ok; m++)
		ok = write_measure_sheet(wb, t, measures[m], names[m], bold);
	if (ok)
		ok = write_notes_sheet(wb, t, cover->title, measures, names,
				       nmeasures, bold);
	free(measures);
	free(names);
	free(taken);
	closed = workbook_close(wb);
	if (!ok || closed != LXW_NO_ERROR)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"could not write the workbook: %s",
					closed != LXW_NO_ERROR
						? lxw_strerror(closed)
						: "a sheet could not be written");
	return 0;
}
