/*
 * parallel.h - a workforce return read once, in blocks, with a checker on
 * every core, and the checked rows handed in file order to a writer that
 * the caller gives. Private to src/ingest/: the entry points (returns.c)
 * use it, for analyse_return() and for the import of a large file.
 *
 * The reader knows the row checker (check.h) and nothing of the store or
 * of the entry points: what becomes of the rows is the writer's business
 * (storing them, for an import), or, without a writer, the checkers'
 * (aggregating them, for an analysis). The writer is called once a block
 * of rows, on a thread of its own, never once a row.
 *
 * Anything unusual makes the reader give way to the entry point's single
 * pass, whose messages and line numbers are exactly an import's: see
 * parallel.c.
 */
#ifndef PARITY_INGEST_PARALLEL_H
#define PARITY_INGEST_PARALLEL_H

#include "base/error.h"
#include "ingest/check.h"

#include <stdint.h>

/* What becomes of each block's checked rows. */
struct parallel_writer {
	/*
	 * Called on the writer's thread with each block's rows in file order,
	 * with the bytes of the file up to the end of the block and its size
	 * (for progress). -1 with `err` set stops the writing, and the read
	 * fails with that error.
	 */
	int (*write)(void *ctx, const struct checked_rows *rows,
		     uint64_t bytes, uint64_t size, struct parity_error *err);
	void *ctx;
};

struct parallel_reader;

/*
 * The file at `path` opened for reading in blocks on `threads` threads (0:
 * one per core, at most 64). NULL when it is not for the reader: standard
 * input, not a regular file, or smaller than `min_blocks` blocks (a file
 * of a block or two gains nothing from threads). Close with
 * parallel_close().
 */
struct parallel_reader *parallel_open(const char *path, int threads,
				      int min_blocks);
void parallel_close(struct parallel_reader *r); /* NULL is allowed */

/*
 * Read and check the whole file with checkers of blocks made from `head`,
 * which has been created and not yet given the header: maps it, checks
 * every row, and merges the checkers into `head` (checker_merge()). With a
 * `writer`, the valid rows are kept in blocks and handed to it in file
 * order; without, the checkers aggregate them. With `sha256`, the file's
 * SHA-256 in hex is written there. `*rows` is the rows read.
 *
 * 1 when done; 0 when the entry point should check the file in one pass
 * instead (whatever was written must then be undone, and the diags
 * emptied): any error, a block not in UTF-8 or with another delimiter, a
 * row longer than a block, no rows, or two ids that may be the same; -1
 * when the file cannot be read or changed while it was read, or the
 * writer failed.
 */
int parallel_check(struct parallel_reader *r, struct checker *head,
		   const struct parallel_writer *writer, char *sha256,
		   long *rows, struct parity_error *err);

#endif
