/*
 * table_read.h - reading a tidy table back from the CSV that
 * table_write_csv() (render.h) writes: the checker's view of what was
 * published.
 *
 * The header must name the tidy columns (table.h), in any order; other
 * columns are an error. A number column holds a number, nothing (NAN),
 * TIDY_WITHHELD ("[c]"), which sets the row's withheld bit for the column
 * and leaves NAN, or '<' and a number ("<0.001"), an upper bound, which
 * sets the row's below bit for the column and holds the number. The year
 * column holds a year or a financial or academic year ('2023-24': year
 * 2023, period '2023-24').
 *
 * Ownership: rows and strings go into the caller's table; *lines is the
 * caller's, grown with xgrow().
 */
#ifndef PARITY_TABLE_TABLE_READ_H
#define PARITY_TABLE_TABLE_READ_H

#include "base/error.h"
#include "table/table.h"

#include <stddef.h>

/*
 * Append the rows of the tidy CSV at `path` to `t`. When `lines` is not
 * NULL, (*lines)[i] is set to the line of the file that row i of `t` came
 * from, for every row appended (*lines_cap is its capacity). Returns 0;
 * 1 when the file is not a tidy table at all (its header has no 'measure'
 * column), appending nothing; -1 on an error, with FILE:LINE:COLUMN in
 * `err` (PARITY_ERR_PARSE), and then the rows read before it stay.
 */
int tidy_table_read_csv(const char *path, struct tidy_table *t, long **lines,
			size_t *lines_cap, struct parity_error *err);

#endif
