/*
 * render.h - writing a tidy table as CSV, JSON or a readable terminal view,
 * and formatting its figures for reading.
 *
 * Every renderer takes the same tidy table (table.h) and reads each
 * measure's units from the registry (table/measure_def.h). CSV and JSON
 * print what the table holds, at full precision (10 significant digits,
 * so a figure rounded to 14.3 prints as 14.3), with missing values empty
 * (CSV) or null (JSON), TIDY_WITHHELD for a withheld figure and '<' before
 * a figure published as an upper bound ("<0.001"; a string in JSON).
 * Disclosure control rounds a published table's figures itself; the
 * renderers do not. The terminal view rounds for reading to the places
 * the registry gives each unit (render_unit(), format_value()), using
 * round half away from zero, shows only the columns that have something
 * in them, and lists the notes beneath.
 * Renderers write to a FILE the caller owns and report write failures.
 */
#ifndef PARITY_TABLE_RENDER_H
#define PARITY_TABLE_RENDER_H

#include "base/error.h"
#include "table/measure_def.h"
#include "table/table.h"

#include <stdio.h>

enum output_format {
	OUTPUT_TABLE,
	OUTPUT_CSV,
	OUTPUT_JSON,
	OUTPUT_XLSX
};

int output_format_parse(const char *name, enum output_format *out,
			struct parity_error *err);

/*
 * The unit a figure in column `c` of `r` reads in, from the registry:
 * value, ci_low and ci_high in the measure's unit, the numerator and
 * denominator in theirs. A funnel position reads in the unit of the
 * measure it places (its breakdown, 'relative_likelihood: promoted'), with
 * London's figure as its numerator and the borough's size, in people, as
 * its denominator. An unknown measure, a column the registry has as empty,
 * and the p-value read as UNIT_NUMBER.
 */
enum measure_unit render_unit(const struct tidy_row *r, enum tidy_column c);
/* Format `v` for reading, in `unit`, rounded to the unit's published
 * places (measure_unit_places(); a fractional count to 1, a plain number
 * not at all): "36.8%", "8,799,736", "£14.25", "-0.7 pp"; "" for NAN. */
void format_value(double v, enum measure_unit unit, char *buf, size_t size);
/*
 * Format figure `c` of `r` for reading: TIDY_WITHHELD when withheld, ""
 * when missing, '<' and the bound when it is one ("<0.001"), a p-value to
 * 3 places ("<0.001" below that), otherwise format_value() in
 * render_unit().
 */
void format_figure(const struct tidy_row *r, enum tidy_column c, char *buf,
		   size_t size);

/* Write one text field of CSV, quoted when it holds a comma, quote or
 * newline, with a single quote before text a spreadsheet would take for a
 * formula (textsafe_csv_append() in base/textsafe.h). */
void csv_write_field(FILE *out, const char *s);

int table_write_csv(const struct tidy_table *t, FILE *out,
		    struct parity_error *err);
int table_write_json(const struct tidy_table *t, FILE *out,
		     struct parity_error *err);
int table_write_text(const struct tidy_table *t, FILE *out,
		     struct parity_error *err);
/* Dispatch on `format` (OUTPUT_XLSX needs a file path and is handled by the
 * Excel writer, not here). */
int table_write(const struct tidy_table *t, enum output_format format,
		FILE *out, struct parity_error *err);

#endif
