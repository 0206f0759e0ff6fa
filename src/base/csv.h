/*
 * csv.h - a streaming RFC 4180 reader for the files councils send.
 *
 * It reads a file (or standard input, or a buffer) a block at a time, so
 * memory stays bounded whatever the file's size, and hands back one row at a
 * time. It owns the text encoding question: a UTF-8 byte-order mark is
 * skipped; Windows-1252 text is detected and converted to UTF-8 (the caller
 * is told, so that it can warn); UTF-16 and other encodings are refused.
 *
 * The encoding is decided for the whole file: a row whose bytes above 0x7F
 * are all valid UTF-8 is UTF-8, any other is Windows-1252, and a file with
 * rows of both kinds is refused when its end is reached (after its last
 * row), at the first row of the kind there are fewer of.
 *
 * Rules: fields are separated by commas, or by the delimiter a first line
 * 'sep=X' names, as Excel writes it (X one of , ; tab |; the line is not a
 * row); a field may be quoted with '"', in which case it may hold
 * delimiters, newlines and doubled quotes; lines end in LF, CRLF or CR. A
 * line with nothing on it is skipped. A row may be at most
 * CSV_MAX_ROW_BYTES long, wherever it is in the file. Every row and field
 * knows the line and the column (in characters, 1-based) where it starts,
 * so that every problem can be reported as FILE:LINE:COLUMN.
 *
 * A regular file is looked at (fstat) when it is opened and again at its
 * end: if its size or modification time changed, or fewer or more bytes
 * were read than it had, reading fails (PARITY_ERR_IO, no line), because
 * another program is probably still writing it.
 *
 * Ownership: the reader owns everything it returns. A row's fields are valid
 * until the next call to csv_reader_next() or csv_reader_free().
 */
#ifndef PARITY_BASE_CSV_H
#define PARITY_BASE_CSV_H

#include "base/error.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

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
/* The encoding found so far (of most rows, should they differ), and the
 * line where Windows-1252 was first seen (0 when it has not been). */
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
/* The delimiter: ',' unless the first line was 'sep=X'. */
char csv_reader_delimiter(const struct csv_reader *r);
/* A delimiter for messages: "commas" / "a comma", "semicolons" /
 * "a semicolon", "tabs" / "a tab", "bars ('|')" / "a bar ('|')". */
const char *csv_delimiter_name(char delim, bool plural);
/*
 * For a header read as one field: the delimiter it seems to use instead of
 * `delim` (the most frequent of , ; tab | in it), or 0 when none is there
 * or the header has several fields. So that a semicolon- or tab-separated
 * file can be told so, rather than that its columns are missing.
 */
char csv_guess_delimiter(const struct csv_row *header, char delim);
/*
 * The message for such a header (csv_guess_delimiter() found another
 * delimiter): what it seems to be separated by, and how to save it, with
 * `quoted` (the header as the caller quotes values) in it; written into
 * `buf`. Returns the delimiter found, or 0 (and writes nothing).
 */
char csv_delimiter_advice(const struct csv_row *header, char delim,
			  const char *quoted, char *buf, size_t size);
/* The name used in messages: the path, or "<stdin>". */
const char *csv_reader_name(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/*
 * A regular file as it was when opened (fstat), so that a reader of it can
 * tell at the end whether it changed while it was read.
 */
struct csv_file_stamp {
	uint64_t size;
	struct timespec mtime;
};
void csv_file_stamp_take(struct csv_file_stamp *stamp, const struct stat *st);
/*
 * -1 (PARITY_ERR_IO, no line, naming `name`) when the file open on `fd` is
 * no longer as `stamp` says, or when `bytes_read` (UINT64_MAX when the
 * file was not read to its end) differs from its size then; else 0.
 */
int csv_file_check_unchanged(const char *name, int fd,
			     const struct csv_file_stamp *stamp,
			     uint64_t bytes_read, struct parity_error *err);

/*
 * Normalise a header name for matching: trimmed, lower case, dots dropped,
 * and every run of spaces, hyphens and underscores made one '_', so that
 * 'Staff ID', 'STAFF-ID' and 'staff_id' are the same column.
 */
void csv_header_normalise(const char *text, char *out, size_t size);

#endif
