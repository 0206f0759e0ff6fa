/*
 * aggregate_file.h - reading an aggregate return's file (aggregate_file.c),
 * what the service and attainment importers share: the CSV read row by
 * row into the importer's header and row callbacks, the file's SHA-256
 * taken on the way, and the problems every return has alike: a file with
 * no header, a header and no rows, a file read as Windows-1252.
 *
 * Ownership: *file_name (the file as messages name it) is the caller's,
 * freed with free(), set whenever the file could be opened.
 */
#ifndef PARITY_INGEST_AGGREGATE_FILE_H
#define PARITY_INGEST_AGGREGATE_FILE_H

#include "base/csv.h"
#include "base/diag.h"
#include "base/error.h"
#include "base/sha256.h"

#include <stddef.h>

struct aggregate_file_calls {
	const char *kind;   /* "a service return": "the file is empty: a
			     * service return starts with a header row" */
	/* The header row, then each data row. The importer reports their
	 * problems in `diags` itself; an error in the header stops the
	 * reading. */
	void (*header)(void *ctx, const struct csv_row *row, char delimiter);
	void (*row)(void *ctx, const struct csv_row *row);
	/* How many data rows the importer kept. */
	size_t (*rows)(void *ctx);
	void *ctx;
};

/*
 * Read `path` into the calls. *file_name is set once the file is open,
 * before the header is given (for the importer's messages). Problems of
 * the file go to `diags`; 0 with the file's SHA-256 in `hex`, or -1 with
 * `err` set when the file cannot be opened or read at all.
 */
int aggregate_file_read(const char *path,
			const struct aggregate_file_calls *calls,
			struct diag_list *diags, char **file_name,
			char hex[FILE_DIGEST_HEX], struct parity_error *err);

#endif
