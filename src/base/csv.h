/*
 * csv.h - a streaming RFC 4180 reader for the files councils send.
 *
 * It reads a file (or standard input, or a buffer) a block at a time, so
 * memory stays bounded whatever the file's size, and hands back one row at a
 * time. It owns the text encoding question: a UTF-8 byte-order mark is
 * skipped; Windows-1252 text is detected and converted to UTF-8 (the caller
 * is told, so that it can warn); UTF-16 and other encodings are refused.
 *
 * Rules: fields are separated by commas; a field may be quoted with '"', in
 * which case it may hold commas, newlines and doubled quotes; lines end in
 * LF, CRLF or CR. A line with nothing on it is skipped. Every row and field
 * knows the line and the column (in characters, 1-based) where it starts,
 * so that every problem can be reported as FILE:LINE:COLUMN.
 *
 * Ownership: the reader owns everything it returns. A row's fields are valid
 * until the next call to csv_reader_next() or csv_reader_free().
 */
#ifndef PARITY_BASE_CSV_H
#define PARITY_BASE_CSV_H

#include "base/error.h"

#include <stdint.h>
#include <stdio.h>

enum csv_encoding {
	CSV_ENCODING_UTF8,
	CSV_ENCODING_WINDOWS_1252
};

struct csv_field {
	const char *text; /* NUL-terminated UTF-8 */
	size_t len;
	long column;
};

struct csv_row {
	const struct csv_field *fields;
	size_t count;
	long line; /* the line the row starts on */
};

/* The longest row accepted, in bytes: a guard against runaway quotes. */
#define CSV_MAX_ROW_BYTES (1024 * 1024)

struct csv_reader;

/* Open `path` for reading; "-" means standard input. */
int csv_reader_open_file(struct csv_reader **out, const char *path,
			 struct parity_error *err);
/* Read from a buffer the caller keeps alive until csv_reader_free(). */
int csv_reader_open_memory(struct csv_reader **out, const char *name,
			   const char *data, size_t len,
			   struct parity_error *err);
/*
 * Read a block of a larger file in place: `data` holds `len` bytes that
 * start at a row boundary on line `line`, plus one spare byte after them;
 * the reader rewrites them (fields are unquoted and NUL-terminated in
 * place) and the caller keeps them alive until csv_reader_free(). No
 * byte-order mark is looked for. For readers that split a file between
 * threads.
 */
int csv_reader_open_block(struct csv_reader **out, const char *name,
			  char *data, size_t len, long line);
/* The line the next row starts on (1 + the lines consumed so far). */
long csv_reader_line(const struct csv_reader *r);
/*
 * Read the next row into `row`. Returns 1 when a row was read, 0 at the end
 * of the input, -1 on an error (filled into `err` with its line and column;
 * the reader cannot continue after one).
 */
int csv_reader_next(struct csv_reader *r, struct csv_row *row,
		    struct parity_error *err);
/* The encoding found so far, and the line where Windows-1252 was first seen
 * (0 when it has not been). */
enum csv_encoding csv_reader_encoding(const struct csv_reader *r);
long csv_reader_windows_1252_line(const struct csv_reader *r);
/* Bytes consumed so far, and the file's size (0 when not known, as for a
 * pipe). For progress reporting. */
uint64_t csv_reader_bytes_read(const struct csv_reader *r);
uint64_t csv_reader_size(const struct csv_reader *r);
/*
 * Have `fn` called with every block of raw bytes as it is read, before any
 * decoding (byte-order mark included), so that a caller can checksum the
 * file in the same pass. Set it before the first csv_reader_next().
 */
typedef void (*csv_read_tap)(void *ctx, const void *data, size_t len);
void csv_reader_set_tap(struct csv_reader *r, csv_read_tap fn, void *ctx);
/* The name used in messages: the path, or "<stdin>". */
const char *csv_reader_name(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/*
 * Normalise a header name for matching: trimmed, lower case, dots dropped,
 * and every run of spaces, hyphens and underscores made one '_', so that
 * 'Staff ID', 'STAFF-ID' and 'staff_id' are the same column.
 */
void csv_header_normalise(const char *text, char *out, size_t size);

#endif
