/*
 * csv.c - streaming RFC 4180 reader with encoding detection (see csv.h).
 *
 * The reader keeps a buffer of the file. For each row it first finds where
 * the row ends (honouring quotes), reading more of the file when the row
 * runs past the buffer; then it splits the row into fields in place,
 * removing quotes and converting Windows-1252 bytes where needed. Splitting
 * only after the whole row is in memory keeps the in-place rewriting simple.
 *
 * Encoding is decided for the whole file: each row with a byte above 0x7F
 * is either valid UTF-8 or, failing that, Windows-1252, and is decoded as
 * such; a file with rows of both kinds is refused at its end, at the first
 * row of the kind there are fewer of. A file that changes while it is read
 * (its size or modification time differ at the end from when it was
 * opened) is refused too: it is probably still being written.
 */
#include "base/csv.h"

#include "base/alloc.h"
#include "base/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define CSV_BLOCK ((size_t)256 * 1024)

struct csv_reader {
	char *name;
	FILE *file; /* NULL when reading from memory */
	bool owns_file;
	bool owns_buf; /* false for a block read in place */
	char *buf;  /* file contents from `pos` to `end` are unread */
	size_t cap;
	size_t pos, end;
	bool eof;
	const char *mem; /* memory source */
	size_t mem_len, mem_pos;
	long line;       /* the line `pos` is on */
	bool at_start;   /* nothing consumed yet: look for a BOM */
	char delim;      /* ',' unless a first line 'sep=X' said otherwise */
	unsigned char special[256]; /* row_special, with the delimiter */
	bool row_ascii; /* the row being split has no byte above 0x7F */
	bool row_cp1252; /* the row being split is Windows-1252 */
	/* Rows with bytes above 0x7F, by encoding, and where the first of each
	 * kind is (its first such character). */
	long utf8_rows, cp1252_rows;
	long utf8_line, utf8_column;
	long cp1252_line, cp1252_column;
	unsigned cp1252_byte;
	bool mixed_reported;
	uint64_t consumed;
	uint64_t size;
	/* A regular file as it was when opened, to see whether it changes
	 * while it is read. */
	bool watch;
	struct csv_file_stamp opened;
	uint64_t file_bytes; /* read from the file so far */
	struct csv_field *fields;
	size_t fields_cap;
	struct strbuf convert; /* Windows-1252 fields converted to UTF-8 */
	size_t *convert_offsets; /* field index -> offset in `convert`, or -1 */
	size_t convert_offsets_cap;
	csv_read_tap tap; /* sees every block read, or NULL */
	void *tap_ctx;
};

/* Windows-1252 0x80-0x9F to Unicode; 0 marks the five undefined bytes. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* Bytes find_row() must look at: outside quotes (1 the delimiter, which
 * is set per reader), and inside them (2). */
static const unsigned char row_special[256] = {
	['\0'] = 3, ['\n'] = 3, ['\r'] = 3, ['"'] = 3, [','] = 1,
};

static void set_delimiter(struct csv_reader *r, char delim)
{
	r->special[(unsigned char)r->delim] = 0;
	r->delim = delim;
	r->special[(unsigned char)delim] = 1;
}

static struct csv_reader *reader_new(const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->name = xstrdup(name);
	r->cap = CSV_BLOCK;
	r->buf = xmalloc(r->cap + 1);
	r->owns_buf = true;
	r->line = 1;
	r->at_start = true;
	r->delim = ',';
	memcpy(r->special, row_special, sizeof(r->special));
	strbuf_init(&r->convert);
	return r;
}

int csv_reader_open_file(struct csv_reader **out, const char *path,
			 struct parity_error *err)
{
	struct csv_reader *r;
	FILE *f;
	struct stat st;
	bool is_stdin = strcmp(path, "-") == 0;

	if (is_stdin) {
		f = stdin;
	} else {
		f = fopen(path, "rb");
		if (!f)
			return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
						"cannot open file: %s",
						strerror(errno));
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			fclose(f);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"is a directory, not a file");
	}
	r = reader_new(is_stdin ? "<stdin>" : path);
	r->file = f;
	r->owns_file = !is_stdin;
	if (S_ISREG(st.st_mode)) {
		r->size = (uint64_t)st.st_size;
		r->watch = true;
		csv_file_stamp_take(&r->opened, &st);
	}
	*out = r;
	return 0;
}

int csv_reader_open_memory(struct csv_reader **out, const char *name,
			   const char *data, size_t len,
			   struct parity_error *err)
{
	struct csv_reader *r = reader_new(name);

	(void)err;
	r->mem = data;
	r->mem_len = len;
	r->size = len;
	*out = r;
	return 0;
}

int csv_reader_open_block(struct csv_reader **out, const char *name,
			  char *data, size_t len, long line)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->name = xstrdup(name);
	r->buf = data;
	r->cap = len;
	r->end = len;
	r->eof = true;
	r->size = len;
	r->line = line;
	r->delim = ',';
	memcpy(r->special, row_special, sizeof(r->special));
	strbuf_init(&r->convert);
	*out = r;
	return 0;
}

long csv_reader_line(const struct csv_reader *r)
{
	return r->line;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->owns_file)
		fclose(r->file);
	free(r->name);
	if (r->owns_buf)
		free(r->buf);
	free(r->fields);
	free(r->convert_offsets);
	strbuf_release(&r->convert);
	free(r);
}

enum csv_encoding csv_reader_encoding(const struct csv_reader *r)
{
	return r->cp1252_rows > r->utf8_rows ? CSV_ENCODING_WINDOWS_1252
					     : CSV_ENCODING_UTF8;
}

char csv_reader_delimiter(const struct csv_reader *r)
{
	return r->delim;
}

long csv_reader_windows_1252_line(const struct csv_reader *r)
{
	return r->cp1252_line;
}

uint64_t csv_reader_bytes_read(const struct csv_reader *r)
{
	return r->consumed;
}

uint64_t csv_reader_size(const struct csv_reader *r)
{
	return r->size;
}

void csv_reader_set_tap(struct csv_reader *r, csv_read_tap fn, void *ctx)
{
	r->tap = fn;
	r->tap_ctx = ctx;
}

const char *csv_reader_name(const struct csv_reader *r)
{
	return r->name;
}

void csv_file_stamp_take(struct csv_file_stamp *stamp, const struct stat *st)
{
	stamp->size = (uint64_t)st->st_size;
	stamp->mtime = st->st_mtim;
}

/*
 * At the end of a regular file: refuse it if it is not as it was when it
 * was opened (another program is still writing it, or replaced it), so
 * that a snapshot of a file being written is never taken for the file.
 */
int csv_file_check_unchanged(const char *name, int fd,
			     const struct csv_file_stamp *stamp,
			     uint64_t bytes_read, struct parity_error *err)
{
	struct stat st;
	char how[160];

	if (fstat(fd, &st) != 0)
		return parity_error_set(err, PARITY_ERR_IO, name, 0, 0,
					"cannot check the file after reading "
					"it: %s", strerror(errno));
	if ((uint64_t)st.st_size != stamp->size)
		snprintf(how, sizeof(how), "it was %llu bytes when opened and "
			 "is %llu bytes now",
			 (unsigned long long)stamp->size,
			 (unsigned long long)st.st_size);
	else if (bytes_read != UINT64_MAX && bytes_read != stamp->size)
		snprintf(how, sizeof(how), "%llu bytes were read of the %llu "
			 "it had when opened",
			 (unsigned long long)bytes_read,
			 (unsigned long long)stamp->size);
	else if (st.st_mtim.tv_sec != stamp->mtime.tv_sec ||
		 st.st_mtim.tv_nsec != stamp->mtime.tv_nsec)
		snprintf(how, sizeof(how), "it was modified");
	else
		return 0;
	return parity_error_set(err, PARITY_ERR_IO, name, 0, 0,
				"the file changed while it was read (%s): it "
				"may still be being written; try again when "
				"it is complete", how);
}

/* Move unread bytes to the front and read more. Returns bytes added, 0 at
 * end of input, -1 on a read error. */
static long fill(struct csv_reader *r, struct parity_error *err)
{
	size_t n;

	if (r->eof)
		return 0;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->end < CSV_BLOCK / 2) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap + 1);
	}
	if (r->mem) {
		n = r->mem_len - r->mem_pos;
		if (n > r->cap - r->end)
			n = r->cap - r->end;
		if (n > 0)
			memcpy(r->buf + r->end, r->mem + r->mem_pos, n);
		r->mem_pos += n;
	} else {
		n = fread(r->buf + r->end, 1, r->cap - r->end, r->file);
		if (n == 0 && ferror(r->file))
			return parity_error_set(err, PARITY_ERR_IO, r->name,
						r->line, 0,
						"read failed: %s",
						strerror(errno));
		r->file_bytes += n;
		if (n == 0 && r->watch &&
		    csv_file_check_unchanged(r->name, fileno(r->file),
					     &r->opened, r->file_bytes,
					     err) < 0)
			return -1;
	}
	if (n == 0)
		r->eof = true;
	else if (r->tap)
		r->tap(r->tap_ctx, r->buf + r->end, n);
	r->end += n;
	return (long)n;
}

/* The delimiters a first line 'sep=X' may name. */
static bool delimiter_allowed(char c)
{
	return c == ',' || c == ';' || c == '\t' || c == '|';
}

/*
 * A first line 'sep=X' (as Excel writes and reads it; any case): X is the
 * delimiter from the next line on. 1 when there was one (consumed), 0
 * when not, -1 when it names a delimiter parity does not read.
 */
static int read_sep_line(struct csv_reader *r, struct parity_error *err)
{
	const char *b = r->buf + r->pos;
	size_t n = r->end - r->pos, k = 5;

	if (n < 5 || strncasecmp(b, "sep=", 4) != 0 ||
	    (n > 5 && b[5] != '\r' && b[5] != '\n'))
		return 0;
	if (b[4] == '\r' || b[4] == '\n')
		return 0;
	if (!delimiter_allowed(b[4]))
		return parity_error_set(err, PARITY_ERR_PARSE, r->name, r->line,
					5, "the first line 'sep=%c' names a "
					"delimiter parity does not read: "
					"separate values with commas, "
					"semicolons, tabs or '|'",
					(unsigned char)b[4] < 0x20 ||
					(unsigned char)b[4] >= 0x80
					? '?' : b[4]);
	if (k < n && b[k] == '\r')
		k++;
	if (k < n && b[k] == '\n')
		k++;
	set_delimiter(r, b[4]);
	r->pos += k;
	r->consumed += k;
	r->line++;
	return 1;
}

static int check_start(struct csv_reader *r, struct parity_error *err)
{
	const unsigned char *b;

	/* room for a byte-order mark and a line 'sep=X' after it */
	while (r->end - r->pos < 3 + 7 && !r->eof)
		if (fill(r, err) < 0)
			return -1;
	b = (const unsigned char *)r->buf + r->pos;
	r->at_start = false;
	if (r->end - r->pos >= 2 &&
	    ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
		return parity_error_set(err, PARITY_ERR_PARSE, r->name, 1, 1,
					"file is encoded as UTF-16; save it as "
					"'CSV UTF-8' and try again");
	if (r->end - r->pos >= 3 && b[0] == 0xEF && b[1] == 0xBB &&
	    b[2] == 0xBF) {
		r->pos += 3;
		r->consumed += 3;
	}
	return read_sep_line(r, err) < 0 ? -1 : 0;
}

/* Columns (characters) in the n bytes at s, which start a line: UTF-8
 * characters when they are valid UTF-8, else bytes (Windows-1252). For
 * messages about rows not yet decoded. */
static size_t utf8_sequence(const unsigned char *s, size_t n);
static long columns_in(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	long count = 0;
	size_t i = 0, len;

	while (i < n) {
		len = utf8_sequence(u + i, n - i);
		if (len == 0)
			return (long)n;
		i += len;
		count++;
	}
	return count;
}

/* The error for a row longer than CSV_MAX_ROW_BYTES, at its start. */
static int row_too_long(const struct csv_reader *r, struct parity_error *err)
{
	return parity_error_set(err, PARITY_ERR_PARSE, r->name, r->line, 1,
				"the row starting here is longer than %d bytes "
				"(1 MB): is a line end missing?",
				CSV_MAX_ROW_BYTES);
}

/*
 * Find the end of the row starting at r->pos. On success *row_end is the
 * index of the line terminator (or r->end at end of input) and *next the
 * index after it. Returns 1 when a row was found, 0 when the input is
 * exhausted, -1 on error.
 *
 * Positions inside the scan are offsets from r->pos, the start of the row:
 * fill() moves the row to the front of the buffer, which changes r->pos but
 * not the offsets, so reading more never invalidates them.
 */
static int find_row(struct csv_reader *r, size_t *row_end, size_t *next,
		    long *lines, struct parity_error *err)
{
	size_t i = 0;
	bool in_quotes = false;
	bool field_start = true;
	long line = r->line, quote_line = 0;
	size_t quote_offset = 0, line_start = 0, quote_line_start = 0;

	for (;;) {
		const char *b = r->buf + r->pos;
		size_t avail = r->end - r->pos;
		char c;

		/* Most bytes are none of the ones below: pass over them in a
		 * tight loop (field_start only matters at a quote). */
		if (in_quotes) {
			while (i < avail &&
			       !(r->special[(unsigned char)b[i]] & 2))
				i++;
		} else if (i < avail && !r->special[(unsigned char)b[i]]) {
			while (i < avail && !r->special[(unsigned char)b[i]])
				i++;
			field_start = false;
		}
		if (i >= avail) {
			if (i > (size_t)CSV_MAX_ROW_BYTES && in_quotes)
				return parity_error_set(
					err, PARITY_ERR_PARSE, r->name,
					quote_line,
					columns_in(b + quote_line_start,
						   quote_offset -
						   quote_line_start) + 1,
					"unterminated quote: the quoted field "
					"opened here runs past %d bytes (1 "
					"MB)", CSV_MAX_ROW_BYTES);
			if (i > (size_t)CSV_MAX_ROW_BYTES)
				return row_too_long(r, err);
			if (r->eof) {
				if (in_quotes)
					return parity_error_set(
						err, PARITY_ERR_PARSE, r->name,
						quote_line,
						columns_in(
							b + quote_line_start,
							quote_offset -
							quote_line_start) + 1,
						"unterminated quote: the quoted "
						"field opened here never closes");
				if (i == 0)
					return 0;
				*row_end = r->pos + i;
				*next = r->pos + i;
				*lines = line - r->line;
				return 1;
			}
			if (fill(r, err) < 0)
				return -1;
			continue;
		}
		c = b[i];
		if (c == '\0')
			return parity_error_set(
				err, PARITY_ERR_PARSE, r->name, line,
				columns_in(b + line_start, i - line_start) + 1,
				"file contains a NUL byte: it is not a text "
				"CSV (UTF-16 or a spreadsheet saved as "
				"binary?)");
		/* a quote or CR at the end of the buffer needs the next byte */
		if ((c == '"' && in_quotes) || c == '\r') {
			if (i + 1 >= avail && !r->eof) {
				if (fill(r, err) < 0)
					return -1;
				continue;
			}
		}
		if (in_quotes) {
			if (c == '"') {
				if (i + 1 < avail && b[i + 1] == '"') {
					i += 2;
					continue;
				}
				in_quotes = false;
				i++;
				continue;
			}
			if (c == '\n' || (c == '\r' && !(i + 1 < avail &&
							  b[i + 1] == '\n'))) {
				line++;
				line_start = i + 1;
			}
			i++;
			continue;
		}
		if (c == '"' && field_start) {
			in_quotes = true;
			quote_line = line;
			quote_offset = i;
			quote_line_start = line_start;
			field_start = false;
			i++;
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (i > (size_t)CSV_MAX_ROW_BYTES)
				return row_too_long(r, err);
			*row_end = r->pos + i;
			*next = r->pos + ((c == '\r' && i + 1 < avail &&
					   b[i + 1] == '\n') ? i + 2 : i + 1);
			*lines = line - r->line;
			return 1;
		}
		field_start = (c == r->delim);
		i++;
	}
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, k;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static void append_utf8(struct strbuf *sb, unsigned cp)
{
	char out[3];

	if (cp < 0x80) {
		strbuf_addch(sb, (char)cp);
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, out, 2);
	} else {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		strbuf_add(sb, out, 3);
	}
}

/*
 * Decide the encoding of a row's bytes: UTF-8 when every byte above 0x7F
 * is part of a valid UTF-8 sequence, else Windows-1252, in which every such
 * byte must then be defined. The rows of each kind are counted, and the
 * first of each kind kept, so that a file mixing them can be refused at
 * its end (mixed_encodings()).
 */
static int check_encoding(struct csv_reader *r, size_t start, size_t end,
			  struct parity_error *err)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	size_t i = start, line_start = start, first_utf8 = SIZE_MAX;
	size_t first_bad = SIZE_MAX, utf8_line_start = 0, bad_line_start = 0;
	long line = r->line, utf8_line = 0, bad_line = 0;
	uint64_t high = 0;

	r->row_cp1252 = false;
	/* Most rows are ASCII: say so eight bytes at a time. */
	for (; i + 8 <= end; i += 8) {
		uint64_t w;

		memcpy(&w, b + i, sizeof(w));
		high |= w;
	}
	for (; i < end; i++)
		high |= b[i];
	r->row_ascii = !(high & 0x8080808080808080ULL);
	if (r->row_ascii)
		return 0;
	i = start;
	while (i < end) {
		size_t len;

		if (b[i] < 0x80) {
			if (b[i] == '\n') {
				line++;
				line_start = i + 1;
			}
			i++;
			continue;
		}
		len = utf8_sequence(b + i, end - i);
		if (len > 0) {
			if (first_utf8 == SIZE_MAX) {
				first_utf8 = i;
				utf8_line = line;
				utf8_line_start = line_start;
			}
			i += len;
			continue;
		}
		if (first_bad == SIZE_MAX) {
			first_bad = i;
			bad_line = line;
			bad_line_start = line_start;
		}
		i++;
	}
	if (first_bad == SIZE_MAX) {
		if (r->utf8_rows++ == 0) {
			r->utf8_line = utf8_line;
			r->utf8_column = columns_in((const char *)b +
						    utf8_line_start,
						    first_utf8 -
						    utf8_line_start) + 1;
		}
		return 0;
	}
	/* Windows-1252: one byte a character, five of them undefined */
	line = r->line;
	line_start = start;
	for (i = start; i < end; i++) {
		if (b[i] == '\n') {
			line++;
			line_start = i + 1;
		} else if (b[i] >= 0x80 && b[i] <= 0x9F &&
			   cp1252_high[b[i] - 0x80] == 0) {
			return parity_error_set(
				err, PARITY_ERR_PARSE, r->name, line,
				(long)(i - line_start) + 1,
				"byte 0x%02X is neither UTF-8 nor "
				"Windows-1252: save the file as 'CSV "
				"UTF-8'", b[i]);
		}
	}
	r->row_cp1252 = true;
	if (r->cp1252_rows++ == 0) {
		r->cp1252_line = bad_line;
		r->cp1252_column = (long)(first_bad - bad_line_start) + 1;
		r->cp1252_byte = b[first_bad];
	}
	return 0;
}

/*
 * At the end of the input: a file with rows in UTF-8 and rows in
 * Windows-1252 is refused, at the first row of the kind there are fewer of
 * (of the later kind, when there are as many of each).
 */
static int mixed_encodings(struct csv_reader *r, struct parity_error *err)
{
	bool cp1252_fewer = r->cp1252_rows < r->utf8_rows ||
			    (r->cp1252_rows == r->utf8_rows &&
			     r->cp1252_line > r->utf8_line);

	r->mixed_reported = true;
	if (cp1252_fewer) {
		struct strbuf ch = STRBUF_INIT;
		unsigned c = r->cp1252_byte;

		append_utf8(&ch, c <= 0x9F ? cp1252_high[c - 0x80] : c);
		parity_error_set(
			err, PARITY_ERR_PARSE, r->name, r->cp1252_line,
			r->cp1252_column,
			"the file mixes encodings: this row is not UTF-8 (byte "
			"0x%02X, which is '%s' in Windows-1252), but %ld other "
			"row%s %s UTF-8 (the first on line %ld): save the "
			"whole file as 'CSV UTF-8'",
			c, ch.buf, r->utf8_rows, r->utf8_rows == 1 ? "" : "s",
			r->utf8_rows == 1 ? "is" : "are", r->utf8_line);
		strbuf_release(&ch);
		return -1;
	}
	return parity_error_set(
		err, PARITY_ERR_PARSE, r->name, r->utf8_line, r->utf8_column,
		"the file mixes encodings: this row is UTF-8, but %ld other "
		"row%s %s Windows-1252 (the first on line %ld): save the whole "
		"file as 'CSV UTF-8'", r->cp1252_rows,
		r->cp1252_rows == 1 ? "" : "s",
		r->cp1252_rows == 1 ? "is" : "are", r->cp1252_line);
}

static long char_width(const struct csv_reader *r, const char *s, size_t n)
{
	long count = 0;
	size_t i;

	if (r->row_cp1252 || r->row_ascii)
		return (long)n;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

static void add_field(struct csv_reader *r, size_t index, char *text,
		      size_t len, long column)
{
	if (index >= r->fields_cap)
		r->fields = xgrow(r->fields, &r->fields_cap, index + 1,
				  sizeof(*r->fields));
	if (index >= r->convert_offsets_cap)
		r->convert_offsets = xgrow(r->convert_offsets,
					   &r->convert_offsets_cap, index + 1,
					   sizeof(*r->convert_offsets));
	text[len] = '\0';
	r->fields[index].text = text;
	r->fields[index].len = len;
	r->fields[index].column = column;
	r->convert_offsets[index] = (size_t)-1;
	if (r->row_cp1252) {
		size_t k;
		bool high = false;

		for (k = 0; k < len; k++)
			if ((unsigned char)text[k] >= 0x80)
				high = true;
		if (!high)
			return;
		r->convert_offsets[index] = r->convert.len;
		for (k = 0; k < len; k++) {
			unsigned char c = (unsigned char)text[k];

			if (c < 0x80)
				strbuf_addch(&r->convert, (char)c);
			else if (c <= 0x9F)
				append_utf8(&r->convert, cp1252_high[c - 0x80]);
			else
				append_utf8(&r->convert, c);
		}
		strbuf_addch(&r->convert, '\0');
	}
}

const char *csv_delimiter_name(char delim, bool plural)
{
	switch (delim) {
	case ',': return plural ? "commas" : "a comma";
	case ';': return plural ? "semicolons" : "a semicolon";
	case '\t': return plural ? "tabs" : "a tab";
	case '|': return plural ? "bars ('|')" : "a bar ('|')";
	default: return plural ? "other characters" : "another character";
	}
}

char csv_guess_delimiter(const struct csv_row *header, char delim)
{
	static const char candidates[] = { ',', ';', '\t', '|' };
	size_t best = 0, k, n;
	char found = 0;
	const char *p;

	if (header->count != 1)
		return 0;
	for (k = 0; k < sizeof(candidates); k++) {
		if (candidates[k] == delim)
			continue;
		n = 0;
		for (p = header->fields[0].text; *p; p++)
			n += *p == candidates[k];
		if (n > best) {
			best = n;
			found = candidates[k];
		}
	}
	return found;
}

char csv_delimiter_advice(const struct csv_row *header, char delim,
			  const char *quoted, char *buf, size_t size)
{
	char found = csv_guess_delimiter(header, delim);
	char sep[8];

	if (!found)
		return 0;
	if (found == '\t')
		snprintf(sep, sizeof(sep), "<tab>");
	else
		snprintf(sep, sizeof(sep), "%c", found);
	snprintf(buf, size,
		 "the header is one column, '%s': the file seems to be "
		 "separated by %s, not %s; save it as 'CSV UTF-8 (Comma "
		 "delimited)', or make its first line 'sep=%s'", quoted,
		 csv_delimiter_name(found, true),
		 csv_delimiter_name(delim, true), sep);
	return found;
}

/* Split the row in buf[r->pos, row_end) into fields, in place. */
static int split_row(struct csv_reader *r, size_t row_end, struct csv_row *row,
		     struct parity_error *err)
{
	char *b = r->buf;
	size_t line_start = r->pos;
	size_t i = line_start;
	size_t nfields = 0, k;
	long line = r->line;
	/* The column at byte `counted`: each field's column is counted on
	 * from the previous field's (the bytes between are not rewritten
	 * after they are counted), so a row costs linear time. */
	size_t counted = line_start;
	long counted_column = 1;

	strbuf_reset(&r->convert);
	for (;;) {
		long column;

		if (counted < line_start) {
			counted = line_start;
			counted_column = 1;
		}
		column = counted_column + char_width(r, b + counted, i - counted);
		counted = i;
		counted_column = column;

		if (i < row_end && b[i] == '"') {
			size_t in = i + 1;
			size_t out = in;
			long field_line = line;

			(void)field_line;
			for (;;) {
				if (b[in] == '"') {
					if (in + 1 < row_end && b[in + 1] == '"') {
						b[out++] = '"';
						in += 2;
						continue;
					}
					break;
				}
				if (b[in] == '\n') {
					line++;
					line_start = in + 1;
				}
				b[out++] = b[in++];
			}
			in++; /* closing quote */
			if (in < row_end && b[in] != r->delim &&
			    delimiter_allowed(b[in]))
				return parity_error_set(
					err, PARITY_ERR_PARSE, r->name, line,
					char_width(r, b + line_start,
						   in - line_start) + 1,
					"%s after a closing quote: values "
					"here are separated by %s, but "
					"parity reads %s; save the file "
					"with %s, or make its first line "
					"'sep=%c'",
					csv_delimiter_name(b[in], false),
					csv_delimiter_name(b[in], true),
					csv_delimiter_name(r->delim, true),
					csv_delimiter_name(r->delim, true),
					b[in]);
			if (in < row_end && b[in] != r->delim)
				return parity_error_set(
					err, PARITY_ERR_PARSE, r->name, line,
					char_width(r, b + line_start,
						   in - line_start) + 1,
					"unexpected text after a closing quote: "
					"a quoted field must end at %s or the "
					"end of the line",
					csv_delimiter_name(r->delim, false));
			add_field(r, nfields++, b + i + 1, out - (i + 1), column);
			i = in;
		} else {
			size_t start = i;

			while (i < row_end && b[i] != r->delim) {
				if (b[i] == '"')
					return parity_error_set(
						err, PARITY_ERR_PARSE, r->name,
						line,
						char_width(r, b + line_start,
							   i - line_start) + 1,
						"a quote inside an unquoted "
						"field: quote the whole field and "
						"double the quote inside it");
				i++;
			}
			add_field(r, nfields++, b + start, i - start, column);
		}
		if (i >= row_end)
			break;
		i++; /* the delimiter */
	}
	for (k = 0; k < nfields; k++)
		if (r->convert_offsets[k] != (size_t)-1) {
			r->fields[k].text = r->convert.buf + r->convert_offsets[k];
			r->fields[k].len = strlen(r->fields[k].text);
		}
	row->fields = r->fields;
	row->count = nfields;
	return 0;
}

/*
 * The fast path for the common row: all of it in the buffer, ASCII, with
 * no quote, carriage return or NUL. Such a row is split in one pass over
 * its bytes, each looked up once in this table: 1 a comma, 2 the line
 * feed that ends it, 3 anything that needs the general path (which then
 * takes the row from its start, so both paths give the same fields,
 * columns and messages). The byte after the buffer's end is set to NUL
 * as a sentinel, so the byte-at-a-time scan needs no bounds check.
 */
static const unsigned char plain_class[256] = {
	3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

#ifdef __SSE2__
/* Bit i set when byte i of the 16 at `p` is not plain: a comma, line
 * feed, quote, carriage return, NUL, or not ASCII. */
static unsigned special_bits(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i m = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(',')),
			     _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
			     _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\r')),
					  _mm_cmpeq_epi8(x, _mm_setzero_si128()))));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(m, x));
}
#endif

/* 1 with `row` filled, or 0 when the general path must take the row
 * (nothing has then changed). Where SSE2 is there (every x86-64), the
 * bytes are looked at 16 at a time, and the table only for the bytes
 * that are not plain. */
static int next_plain_row(struct csv_reader *r, struct csv_row *row)
{
	char *start = r->buf + r->pos, *end = r->buf + r->end, *p;
	char *field = start;
	size_t n = 0, k;
	unsigned char kind;
#ifdef __SSE2__
	const char *chunk = start, *bits_at = start;
	unsigned bits = 0;
#endif

	*end = '\0';
	if (r->fields_cap < 64)
		r->fields = xgrow(r->fields, &r->fields_cap, 64,
				  sizeof(*r->fields));
	for (;;) {
#ifdef __SSE2__
		while (bits == 0 && end - chunk >= 16) {
			bits = special_bits(chunk);
			bits_at = chunk;
			chunk += 16;
		}
		if (bits) {
			p = (char *)start + (bits_at - start) +
			    __builtin_ctz(bits);
			bits &= bits - 1;
		} else {
			/* the last bytes before the sentinel */
			p = start + (chunk - start);
			while (plain_class[(unsigned char)*p] == 0)
				p++;
			chunk = p + 1;
		}
#else
		p = field;
		while (plain_class[(unsigned char)*p] == 0)
			p++;
#endif
		kind = plain_class[(unsigned char)*p];
		if (kind == 3 || (kind == 2 && p == start) ||
		    (kind == 2 &&
		     (size_t)(p - start) > (size_t)CSV_MAX_ROW_BYTES))
			break;
		if (n == r->fields_cap)
			r->fields = xgrow(r->fields, &r->fields_cap, n + 1,
					  sizeof(*r->fields));
		r->fields[n].text = field;
		r->fields[n].len = (size_t)(p - field);
		r->fields[n].column = (long)(field - start) + 1;
		n++;
		*p = '\0';
		if (kind == 2) {
			row->fields = r->fields;
			row->count = n;
			row->line = r->line;
			p++;
			r->consumed += (uint64_t)(p - start);
			r->pos = (size_t)(p - r->buf);
			r->line++;
			return 1;
		}
		field = ++p;
	}
	/* give the row back as it was: every field so far ended at a comma */
	for (k = 0; k < n; k++)
		start[(size_t)(r->fields[k].column - 1) + r->fields[k].len] =
			',';
	return 0;
}

int csv_reader_next(struct csv_reader *r, struct csv_row *row,
		    struct parity_error *err)
{
	for (;;) {
		size_t row_end = 0, next = 0;
		long lines_in_row = 0;
		int found;

		if (r->at_start && check_start(r, err) < 0)
			return -1;
		if (r->pos < r->end && r->delim == ',' &&
		    next_plain_row(r, row))
			return 1;
		found = find_row(r, &row_end, &next, &lines_in_row, err);
		if (found == 0 && r->utf8_rows && r->cp1252_rows &&
		    !r->mixed_reported)
			return mixed_encodings(r, err);
		if (found <= 0)
			return found;
		if (row_end == r->pos) {
			/* an empty line: skip it */
			r->consumed += next - r->pos;
			r->pos = next;
			r->line++;
			continue;
		}
		if (check_encoding(r, r->pos, row_end, err) < 0)
			return -1;
		row->line = r->line;
		if (split_row(r, row_end, row, err) < 0)
			return -1;
		r->consumed += next - r->pos;
		r->pos = next;
		r->line += lines_in_row + 1;
		return 1;
	}
}

void csv_header_normalise(const char *text, char *out, size_t size)
{
	size_t n = 0;
	bool sep = false;

	if (size == 0)
		return;
	for (; *text; text++) {
		unsigned char c = (unsigned char)*text;

		if (c == ' ' || c == '\t' || c == '-' || c == '_') {
			sep = n > 0;
			continue;
		}
		if (c == '.')
			continue;
		if (sep && n + 1 < size)
			out[n++] = '_';
		sep = false;
		if (n + 1 < size)
			out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}
