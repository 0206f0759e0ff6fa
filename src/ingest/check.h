/*
 * check.h - the row checker: one return's header mapped, then each row
 * checked, its ethnicity classified and its id pseudonymised, and what the
 * valid rows add up to. Private to src/ingest/: the entry points
 * (returns.c) and the parallel reader (parallel.c) use it; its state is
 * opaque to them.
 *
 * A checker does one of three things with the valid rows:
 * - with a store (an import): inserts each, with its submission, into
 *   the store's open transaction, tallies the labels, and at the end
 *   writes the aggregates and commits (checker_conclude());
 * - without (analyse): aggregates them by employer and ethnicity, with
 *   ids pseudonymised under a key made for the run to find duplicates as
 *   an import does (checker_aggregates());
 * - as a checker of blocks (checker_for_blocks()), one per thread, each
 *   checking blocks of one file: ids are kept as fingerprints, warnings
 *   that rows repeat are kept with their block, and the valid rows are
 *   aggregated or, when checker_block() is given checked rows, kept there
 *   with their pseudonyms for the one that stores them
 *   (checker_store_rows()). checker_merge() gathers the checkers of
 *   blocks into the checker they were made from.
 *
 * Both paths check every row with the same code, so an import and an
 * analysis give the same messages. Problems go to the diag_list given to
 * checker_create() as FILE:LINE:COLUMN; a checker of blocks keeps its own.
 * Nothing here prints or exits: functions that can fail return -1 and
 * fill `err`.
 */
#ifndef PARITY_INGEST_CHECK_H
#define PARITY_INGEST_CHECK_H

#include "base/csv.h"
#include "base/diag.h"
#include "base/error.h"
#include "ingest/returns.h"
#include "store/pseudonym.h"
#include "store/store.h"

#include <stddef.h>

struct checker;
/* Rows a checker of blocks found valid, with copies of their values,
 * kept until they are stored. */
struct checked_rows;

/* Narrow [*start, *end) to a field's value as an import reads it: without
 * the spaces, tabs and no-break spaces (U+00A0) around it. */
void checker_trim(const char **start, const char **end);

/* The pseudonym an import gives the id `id` (trimmed as a field is) of a
 * record of a return of `kind` (workforce: a member of staff;
 * recruitment: an applicant) of council `area_code`. */
void checker_person(const struct pseudonym_key *key, enum store_kind kind,
		    const char *area_code, const char *id,
		    unsigned char out[PSEUDONYM_BYTES]);

/*
 * A checker of one return for `opt` (which, with `s` and `diags`, must
 * outlive it): its year, --area and time of submission resolved. With a
 * store `s`, valid rows are inserted into its open transaction; NULL:
 * they are only aggregated. NULL with `err` set when the options are
 * wrong (PARITY_ERR_VALIDATION) or the clock cannot be read. Free with
 * checker_free().
 */
struct checker *checker_create(const struct import_options *opt,
			       struct store *s, struct diag_list *diags,
			       struct parity_error *err);
/* NULL is allowed. Frees everything the checker holds, except what
 * checker_conclude() or checker_aggregates() handed over. */
void checker_free(struct checker *ck);

/*
 * Map the header row of `file` (which must outlive the checker), read
 * with `delimiter`. -1 when it has an error (added to the diags): the
 * rows are still checked, except after a header that is one field of
 * another delimiter.
 */
int checker_header(struct checker *ck, const struct csv_row *row,
		   const char *file, char delimiter);
/*
 * Check one row after the header and do with it what the checker does
 * with valid rows. 0, or 1 when the file has an error (this row's or an
 * earlier one's); -1 only when the store fails (`err` set).
 */
int checker_row(struct checker *ck, const struct csv_row *row,
		struct parity_error *err);
/* After the last row: the warnings given once for the whole file
 * (columns blank on every row, values that rows repeat). */
void checker_finish(struct checker *ck);

/* ---- blocks of one file, on several threads ---- */

/* A checker for one thread, with `head`'s header (mapped by
 * checker_header()), its own diags and `head`'s store key, if any.
 * Free with checker_free() after checker_merge(). */
struct checker *checker_for_blocks(const struct checker *head);
/* The next block `ck` checks: its index in the file (the rows' lines
 * count from 1 in it), and where its valid rows are kept (emptied first),
 * or NULL to aggregate them. */
void checker_block(struct checker *ck, long index,
		   struct checked_rows *rows);
struct checked_rows *checked_rows_new(void);
void checked_rows_free(struct checked_rows *rows); /* NULL is allowed */
/* Store checked rows, as checker_row() stores a row (`ck` has the
 * store): how many, or -1 when the store fails. */
long checker_store_rows(struct checker *ck, const struct checked_rows *rows,
			struct parity_error *err);
/*
 * Gather `n` checkers of blocks of one file (made from `into`, with no
 * errors) into `into`, on `n` threads: their warnings once each, at the
 * file line of line L of block B, line_base[B] + L - 1, then
 * checker_finish()'s; with a store, the labels they saw and their counts;
 * without, their aggregates. 1 when done; 0, with nothing gathered, when
 * two rows may have the same id (or only the same fingerprint): only the
 * single pass can tell. The checkers keep nothing worth keeping after.
 */
int checker_merge(struct checker *into, struct checker *const *from,
		  size_t n, const long *line_base);

/* ---- the end ---- */

/*
 * The end of an import with no errors (`ck` has the store, in the open
 * transaction): each employer's aggregates written and its submission
 * finished, then the commit; or, when the file (`res->sha256`) is the
 * current version of every return in it, a rollback (res->unchanged).
 * `encoding` is the one the file was read in. Fills `res`; the caller
 * releases it with import_result_release(). -1 when the store fails: the
 * caller rolls back.
 */
int checker_conclude(struct checker *ck, const char *encoding,
		     struct import_result *res, struct parity_error *err);
/*
 * After an import with errors has been rolled back: keep the labels it
 * refused, with how many records of each return carried them (`parity
 * labels --refused`). Failing to is a warning in the diags.
 */
void checker_keep_refused_labels(struct checker *ck);
/* Without a store: the aggregates of each employer, in area order, with
 * salaries sorted, handed over to `res` (areas, aggs, count). */
void checker_aggregates(struct checker *ck, struct analyse_result *res);

#endif
