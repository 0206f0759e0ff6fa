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
#include <xlsxwriter.h>

static const char *const column_meanings[TIDY_COLUMN_COUNT] = {
	"what is measured (one sheet each)",
	"ONS code of the area",
	"name of the area",
	"borough, subregion (Inner or Outer London), region (London) or local_authority",
	"data year (workforce: snapshot at 31 March; services: the financial, academic or calendar year, e.g. 2023-24)",
	"ethnic group, as labelled at the level below",
	"detailed (19 groups), high (5), or a binary asked for by name",
	"pay band, quartile, event or stage, where the measure has one",
	"the figure, in its measure's unit (see Measures below); shares and rates of people are percentages",
	"what the figure is taken from: for most measures the count of people it rests on (see Measures below)",
	"what it is taken out of, or compared with (see Measures below)",
	"lower limit of the 95% confidence interval",
	"upper limit of the 95% confidence interval",
	"p-value of the test against no difference",
	"over, under, significant, ... (see docs/measures.md)",
	"plain words: what is merged, why something is missing",
};

/* Excel sheet names: at most 31 characters, none of []:*?/\ */
static void sheet_name(const char *measure, char *out, size_t size)
{
	size_t n = 0;

	for (; *measure && n + 1 < size && n < 31; measure++)
		out[n++] = strchr("[]:*?/\\", *measure) ? '_' : *measure;
	out[n] = '\0';
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
				const char *measure, lxw_format *bold)
{
	char name[32];
	lxw_worksheet *ws;
	lxw_row_t row = 1;
	size_t k;
	int c;

	sheet_name(measure, name, sizeof(name));
	ws = workbook_add_worksheet(wb, name);
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
			      size_t nmeasures, lxw_format *bold)
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
		worksheet_write_string(ws, row, 0,
				       tidy_column_name((enum tidy_column)c), bold);
		worksheet_write_string(ws, row, 1, column_meanings[c], NULL);
	}
	row++;
	worksheet_write_string(ws, row++, 0, "Measures", bold);
	for (m = 0; m < nmeasures; m++) {
		char text[1024];

		measure_text(measures[m], text, sizeof(text));
		worksheet_write_string(ws, row, 0, measures[m], NULL);
		worksheet_write_string(ws, row++, 1, text, NULL);
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

int table_write_xlsx(const struct tidy_table *t, const char *title,
		     const char *path, struct parity_error *err)
{
	lxw_workbook_options options = { .constant_memory = LXW_FALSE,
					 .tmpdir = NULL };
	lxw_doc_properties props = { 0 };
	char title_copy[256], author[] = "parity";
	lxw_workbook *wb = workbook_new_opt(path, &options);
	const char **measures = NULL;
	size_t nmeasures = 0, cap = 0, k, m;
	lxw_format *bold;
	lxw_error closed;
	bool ok = true;

	if (!wb)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot create the workbook");
	/* The title is a document property, XML that cannot hold control
	 * characters (a service's title from --definitions may): shown as
	 * escapes. Cells are written as strings, which libxlsxwriter escapes
	 * itself, and never as formulas, whatever they begin with. */
	textsafe_terminal_copy(title_copy, sizeof(title_copy), title);
	props.title = title_copy;
	props.author = author;
	props.created = 1; /* a fixed date: the same table gives the same file */
	workbook_set_properties(wb, &props);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
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
	for (m = 0; m < nmeasures && ok; m++)
		ok = write_measure_sheet(wb, t, measures[m], bold);
	if (ok)
		ok = write_notes_sheet(wb, t, title, measures, nmeasures, bold);
	free(measures);
	closed = workbook_close(wb);
	if (!ok || closed != LXW_NO_ERROR)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"could not write the workbook: %s",
					closed != LXW_NO_ERROR
						? lxw_strerror(closed)
						: "a sheet could not be written");
	return 0;
}
