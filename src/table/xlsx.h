/*
 * xlsx.h - a tidy table as an Excel workbook (libxlsxwriter).
 *
 * A 'Cover' sheet first: the title, the cover's lines, and a contents
 * list linking to each sheet. Then one sheet per measure, named by its
 * short label (measure_short_label: "Pay bands"), in the order measures
 * first appear, each with the
 * tidy columns (less `measure`) and numbers kept as numbers at full
 * precision ('<' and the bound, as text, for an upper bound; "[c]" for a
 * withheld figure); then a 'Notes' sheet that gives the title, what each
 * column means, what each measure is with its units (from the registry of
 * measures), and every distinct note with the measures it applies to. The
 * workbook is written to `path` (replaced if it exists).
 */
#ifndef PARITY_TABLE_XLSX_H
#define PARITY_TABLE_XLSX_H

#include "base/error.h"
#include "table/table.h"

/* What the first sheet ('Cover') says above its contents list: the
 * title, then a line per item ("Published", "5 December 2026"). */
struct xlsx_cover_line {
	const char *label;
	const char *text;
};

struct xlsx_cover {
	const char *title;
	const struct xlsx_cover_line *lines; /* borrowed */
	size_t nlines;
};

/* With a cover of the title alone. */
int table_write_xlsx(const struct tidy_table *t, const char *title,
		     const char *path, struct parity_error *err);
int table_write_xlsx_cover(const struct tidy_table *t,
			   const struct xlsx_cover *cover, const char *path,
			   struct parity_error *err);

#endif
