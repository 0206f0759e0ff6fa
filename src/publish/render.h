/*
 * render.h - writing a tidy table as CSV, JSON or a readable terminal view.
 *
 * Every renderer takes the same tidy table (table.h). CSV and JSON carry
 * every column at full precision, with missing values empty (CSV) or null
 * (JSON). The terminal view rounds for reading: percentages to 1 decimal
 * place, ratios to 2, using round half away from zero, shows only the
 * columns that have something in them, and lists the notes beneath.
 * Renderers write to a FILE the caller owns and report write failures.
 */
#ifndef PARITY_PUBLISH_RENDER_H
#define PARITY_PUBLISH_RENDER_H

#include "base/error.h"
#include "publish/table.h"

#include <stdio.h>

enum output_format {
	OUTPUT_TABLE,
	OUTPUT_CSV,
	OUTPUT_JSON,
	OUTPUT_XLSX
};

int output_format_parse(const char *name, enum output_format *out,
			struct parity_error *err);

/* How a measure's values read: decides rounding in the terminal view. */
enum measure_unit {
	UNIT_NUMBER,     /* plain number */
	UNIT_COUNT,      /* people: whole numbers with thousands separators */
	UNIT_PERCENT,    /* shares and rates, 0-100 */
	UNIT_RATIO,      /* 1 means parity */
	UNIT_POUNDS,     /* money */
	UNIT_PER_1000,   /* rates per 1,000 */
	UNIT_POINTS      /* a change in percentage points */
};
enum measure_unit measure_unit(const char *measure);
/* How the numerator and denominator of a measure's rows read: the two
 * shares of a glass ceiling or a change between years, the two hourly pays
 * of a pay gap, and otherwise people. */
enum measure_unit operand_unit(const char *measure);
/* Format `v` for reading, in `unit`; "" for NAN. */
void format_value(double v, enum measure_unit unit, char *buf, size_t size);
/* Round half away from zero to `places` decimal places. */
double round_half_away(double v, int places);

/* Write one CSV field, quoted when it holds a comma, quote or newline. */
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
