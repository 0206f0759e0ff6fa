/*
 * table.h - the tidy table: the one currency between measures and outputs.
 *
 * Every measure produces rows of one shape, the shape government statistics
 * use for downloads (see docs/architecture.md). Disclosure control takes a
 * table and returns one; CSV, JSON, Excel, HTML, SVG and findings each render
 * one. A new measure plugs into every output by producing rows.
 *
 * Missing numbers are NAN; missing text is "" (never NULL); a missing year
 * is 0. A year that is a financial or academic year (services: '2023-24')
 * is held as the year it starts, with its own text in `period`; renderers
 * write the period in the year column when there is one. Shares and rates of people are percentages (0-100); rates in the
 * services are per 1,000 and say so in their measure name.
 *
 * Ownership: the table owns its rows and every string in them. Strings are
 * interned with tidy_table_intern(), so equal strings share storage. A
 * pointer returned by tidy_table_add_row() is valid until the next row is
 * added.
 */
#ifndef PARITY_TABLE_TABLE_H
#define PARITY_TABLE_TABLE_H

#include <stddef.h>

struct tidy_row {
	const char *measure;
	const char *area_code;
	const char *area_name;
	const char *area_type;
	int year;
	const char *period;  /* '2023-24'; "" when the year says it all */
	const char *ethnicity;
	const char *ethnicity_level;
	const char *breakdown;
	double value;
	double numerator;
	double denominator;
	double ci_low;
	double ci_high;
	double p_value;
	const char *flag;
	const char *note;
	/* Numeric columns withheld by disclosure control: bit (1u << c) for
	 * enum tidy_column c. Renderers show TIDY_WITHHELD there, never a
	 * number or a blank. 0 everywhere before disclosure control. */
	unsigned withheld;
	/* Numeric columns published as an upper bound: bit (1u << c). The
	 * number is the bound, shown after '<' ("<0.001": a p-value below
	 * 0.001, as official statistics give it). 0 before disclosure
	 * control. */
	unsigned below;
};

/* How a withheld figure is shown, following the ONS convention
 * ('confidential'); the row's note says why. */
#define TIDY_WITHHELD "[c]"

enum tidy_column {
	TIDY_MEASURE, TIDY_AREA_CODE, TIDY_AREA_NAME, TIDY_AREA_TYPE,
	TIDY_YEAR, TIDY_ETHNICITY, TIDY_ETHNICITY_LEVEL, TIDY_BREAKDOWN,
	TIDY_VALUE, TIDY_NUMERATOR, TIDY_DENOMINATOR, TIDY_CI_LOW,
	TIDY_CI_HIGH, TIDY_P_VALUE, TIDY_FLAG, TIDY_NOTE,
	TIDY_COLUMN_COUNT
};

struct string_pool;

struct tidy_table {
	struct tidy_row *rows;
	size_t count;
	size_t cap;
	struct string_pool *pool;
};

void tidy_table_init(struct tidy_table *t);
void tidy_table_free(struct tidy_table *t);
/* Append a row with empty text, NAN numbers and year 0. */
struct tidy_row *tidy_table_add_row(struct tidy_table *t);
/* Copy `s` into the table's storage (once per distinct string). */
const char *tidy_table_intern(struct tidy_table *t, const char *s);
/* Append copies of every row of `src`, or of one row of another table. */
void tidy_table_append(struct tidy_table *t, const struct tidy_table *src);
void tidy_table_append_row(struct tidy_table *t, const struct tidy_row *r);

const char *tidy_column_name(enum tidy_column c);
/* The column's title for readers ("Lower 95% limit") and a sentence on
 * what it holds: static text. */
const char *tidy_column_title(enum tidy_column c);
const char *tidy_column_description(enum tidy_column c);
/* The text of a text column, or NULL for a number or year column. */
const char *tidy_row_text(const struct tidy_row *r, enum tidy_column c);
/* The year column as text: the period when there is one, else the year
 * ("" for none), written into `buf`. */
const char *tidy_row_year_text(const struct tidy_row *r, char *buf,
			       size_t size);
/* The number in a number column (year included), or NAN. */
double tidy_row_number(const struct tidy_row *r, enum tidy_column c);
int tidy_column_is_number(enum tidy_column c);
/* Whether column `c` of `r` was withheld by disclosure control. */
int tidy_row_withheld(const struct tidy_row *r, enum tidy_column c);
/* Whether column `c` of `r` is published as an upper bound ('<'). */
int tidy_row_below(const struct tidy_row *r, enum tidy_column c);

#endif
