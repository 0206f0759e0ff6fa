/*
 * xlsx.h - a tidy table as an Excel workbook (libxlsxwriter).
 *
 * One sheet per measure, in the order measures first appear, each with the
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

int table_write_xlsx(const struct tidy_table *t, const char *title,
		     const char *path, struct parity_error *err);

#endif
