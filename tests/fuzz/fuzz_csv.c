/*
 * fuzz_csv.c - the CSV reader (src/base/csv.h) on any bytes.
 *
 * Each input is read four ways: from memory; from a file; from a file
 * where it comes after a first row of filler that puts the end of the
 * reader's first block (CSV_BLOCK, 256 KB in csv.c) in its middle, so that
 * rows, quotes, line ends and UTF-8 sequences are cut between two reads
 * (for inputs of an even length only: reading the filler is most of the
 * work, and would halve the fuzzer's speed); and as a block read in place
 * (the parallel analysis's path, with its spare byte). Every field is
 * touched up to its terminating NUL, and the first row's names are
 * normalised as headers and looked at for another delimiter.
 *
 * Promises checked: a field's text is NUL-terminated at `len`; lines and
 * columns are at least 1 and lines never go back; the memory and file
 * readers give the same rows and the same answer (they differ only in
 * where the bytes come from), and so does the file read across a block
 * boundary, a line further down (unless the input starts with what is
 * only read at the start of a file: a byte-order mark or 'sep='); a file
 * read to its end has passed every one of its bytes to the read tap (the
 * importer's SHA-256 depends on it).
 */
#include "fuzz.h"

#include "base/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The reader's first read (CSV_BLOCK in csv.c). Should it change, the
 * boundary pass still runs, with the boundary elsewhere. */
#define READER_BLOCK ((size_t)256 * 1024)

/* What a reader gave, folded into a hash, to compare two readers. */
struct summary {
	uint64_t hash;
	long rows;
	int last;        /* the last csv_reader_next(): 0 or -1 */
	long err_line, err_column;
	enum csv_encoding encoding;
	long cp1252_line;
};

static void mix(uint64_t *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t k;

	for (k = 0; k < len; k++) {
		*h ^= p[k];
		*h *= 1099511628211u;
	}
}

static void tap(void *ctx, const void *data, size_t len)
{
	uint64_t *seen = ctx;
	const volatile unsigned char *p = data;

	/* touch the first and last bytes handed over */
	if (len > 0)
		(void)(p[0] + p[len - 1]);
	*seen += len;
}

/*
 * Read every row into `s`. With `filler`, the first row must be the one
 * field of filler; it is left out, and lines (of rows, of the error and of
 * the first Windows-1252 row) are counted from the line after it.
 */
static void read_all(struct csv_reader *r, struct summary *s, bool filler)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct csv_row row;
	char name[256];
	long last_line = 0, shift = filler ? 1 : 0;
	bool header = true;
	int got;
	size_t k;

	memset(s, 0, sizeof(*s));
	s->hash = 14695981039346656037u;
	while ((got = csv_reader_next(r, &row, &err)) > 0) {
		long line = row.line - shift;

		if (row.line < 1 || row.line < last_line)
			fuzz_fail("csv: row on line %ld after line %ld",
				  row.line, last_line);
		last_line = row.line;
		if (filler) {
			if (row.line != 1 || row.count != 1)
				fuzz_fail("csv: the filler is read as %zu "
					  "fields on line %ld", row.count,
					  row.line);
			filler = false;
			continue;
		}
		mix(&s->hash, &line, sizeof(line));
		mix(&s->hash, &row.count, sizeof(row.count));
		for (k = 0; k < row.count; k++) {
			const struct csv_field *f = &row.fields[k];

			if (f->text[f->len] != '\0')
				fuzz_fail("csv: field %zu of line %ld is not "
					  "NUL-terminated at its length", k + 1,
					  row.line);
			if (f->column < 1)
				fuzz_fail("csv: field %zu of line %ld at column "
					  "%ld", k + 1, row.line, f->column);
			mix(&s->hash, f->text, f->len);
			mix(&s->hash, &f->column, sizeof(f->column));
			if (header)
				csv_header_normalise(f->text, name,
						     sizeof(name));
		}
		if (header)
			(void)csv_guess_delimiter(&row,
						  csv_reader_delimiter(r));
		header = false;
		s->rows++;
	}
	s->last = got;
	if (got < 0) {
		s->err_line = err.line > 0 ? err.line - shift : err.line;
		s->err_column = err.column;
	}
	s->encoding = csv_reader_encoding(r);
	s->cp1252_line = csv_reader_windows_1252_line(r);
	if (s->cp1252_line > 0)
		s->cp1252_line -= shift;
	(void)csv_reader_line(r);
	(void)csv_reader_bytes_read(r);
	(void)csv_reader_size(r);
}

static void compare(const char *what, const struct summary *a,
		    const struct summary *b)
{
	if (a->hash != b->hash || a->rows != b->rows || a->last != b->last ||
	    a->err_line != b->err_line || a->err_column != b->err_column ||
	    a->encoding != b->encoding || a->cp1252_line != b->cp1252_line)
		fuzz_fail("csv: %s differ: %ld rows (answer %d at %ld:%ld, "
			  "encoding %d from line %ld) against %ld rows (answer "
			  "%d at %ld:%ld, encoding %d from line %ld)", what,
			  a->rows, a->last, a->err_line, a->err_column,
			  (int)a->encoding, a->cp1252_line, b->rows, b->last,
			  b->err_line, b->err_column, (int)b->encoding,
			  b->cp1252_line);
}

/* Whether the input starts with what is read only at a file's start. */
static bool starts_specially(const uint8_t *data, size_t size)
{
	return (size >= 1 && (data[0] == 0xEF || data[0] == 0xFE ||
			      data[0] == 0xFF)) ||
	       (size >= 4 && strncasecmp((const char *)data, "sep=", 4) == 0);
}

/* The input after a quoted field of filler that ends the reader's first
 * block half way through the input. */
static void read_across_block(const uint8_t *data, size_t size,
			      const struct summary *plain)
{
	struct parity_error err = PARITY_ERROR_INIT;
	size_t filler = READER_BLOCK - size / 2, total = filler + size;
	struct summary across;
	struct csv_reader *r;
	const char *path;
	char *buf = malloc(total);

	if (!buf)
		abort();
	buf[0] = '"';
	memset(buf + 1, 'x', filler - 3);
	buf[filler - 2] = '"';
	buf[filler - 1] = '\n';
	memcpy(buf + filler, data, size);
	path = fuzz_write("across.csv", (const uint8_t *)buf, total);
	free(buf);
	if (csv_reader_open_file(&r, path, &err) < 0)
		fuzz_fail("csv: cannot open %s: %s", path, err.message);
	read_all(r, &across, true);
	csv_reader_free(r);
	compare("a file and the same after a block of filler", plain,
		&across);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct summary from_memory, from_file, in_place;
	struct csv_reader *r;
	uint64_t tapped = 0;
	const char *path;
	char *copy;

	if (csv_reader_open_memory(&r, "fuzz.csv", (const char *)data, size,
				   &err) < 0)
		return 0;
	read_all(r, &from_memory, false);
	csv_reader_free(r);

	path = fuzz_write("fuzz.csv", data, size);
	if (csv_reader_open_file(&r, path, &err) < 0)
		fuzz_fail("csv: cannot open %s: %s", path, err.message);
	csv_reader_set_tap(r, tap, &tapped);
	read_all(r, &from_file, false);
	if (from_file.last == 0 && tapped != size)
		fuzz_fail("csv: the file was read to its end but the tap saw "
			  "%llu of its %zu bytes", (unsigned long long)tapped,
			  size);
	csv_reader_free(r);
	compare("the memory and file readers", &from_memory, &from_file);

	if (size > 0 && size % 2 == 0 && size < READER_BLOCK &&
	    !starts_specially(data, size))
		read_across_block(data, size, &from_file);

	/* in place: the caller's buffer with one spare byte after the data */
	copy = malloc(size + 1);
	if (!copy)
		abort();
	if (size)
		memcpy(copy, data, size);
	copy[size] = '\0';
	if (csv_reader_open_block(&r, "fuzz.csv", copy, size, 1) == 0) {
		read_all(r, &in_place, false);
		csv_reader_free(r);
	}
	free(copy);
	return 0;
}
