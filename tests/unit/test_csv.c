/*
 * test_csv.c - the streaming CSV reader: RFC 4180, line endings, encodings
 * (decided for the whole file), the delimiter a first line 'sep=X' names,
 * the longest row wherever it is, a file that changes while it is read,
 * and the exact line and column of every problem.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read all rows of `data`; fields joined by '|', rows by '\n'. Returns the
 * reader's last status; `err` holds any error. */
static int read_all(const char *data, size_t len, char *out, size_t size,
		    struct parity_error *err, enum csv_encoding *enc)
{
	struct csv_reader *r;
	struct csv_row row;
	size_t used = 0, k;
	int rc;

	out[0] = '\0';
	csv_reader_open_memory(&r, "t.csv", data, len, err);
	while ((rc = csv_reader_next(r, &row, err)) > 0) {
		used += (size_t)snprintf(out + used, size - used, "%ld:", row.line);
		for (k = 0; k < row.count; k++)
			used += (size_t)snprintf(out + used, size - used, "%s%s@%ld",
						 k ? "|" : "", row.fields[k].text,
						 row.fields[k].column);
		used += (size_t)snprintf(out + used, size - used, "\n");
	}
	if (enc)
		*enc = csv_reader_encoding(r);
	csv_reader_free(r);
	return rc;
}

#define READ(s, out, err) read_all((s), sizeof(s) - 1, (out), sizeof(out), (err), NULL)

static void test_plain_rows(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("a,b,c\n1,2,3\n", out, &err), 0);
	assert_string_equal(out, "1:a@1|b@3|c@5\n2:1@1|2@3|3@5\n");
}

static void test_crlf_and_missing_final_newline(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("a,b\r\n1,2\r\n3,4", out, &err), 0);
	assert_string_equal(out, "1:a@1|b@3\n2:1@1|2@3\n3:3@1|4@3\n");
}

static void test_quoted_commas_quotes_and_newlines(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("id,pay\n\"1\",\"£52,340\"\n\"say \"\"hi\"\"\",\"two\nlines\"\nx,y\n",
			      out, &err), 0);
	assert_string_equal(out, "1:id@1|pay@4\n2:1@1|£52,340@5\n"
				 "3:say \"hi\"@1|two\nlines@14\n5:x@1|y@3\n");
}

static void test_empty_fields_and_blank_lines(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("a,,c\n\n,\n\"\",x\n", out, &err), 0);
	assert_string_equal(out, "1:a@1|@3|c@4\n3:@1|@2\n4:@1|x@4\n");
}

static void test_bom_is_skipped(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("\xEF\xBB\xBFStaff ID,Ethnicity\n7,Indian\n", out, &err), 0);
	assert_string_equal(out, "1:Staff ID@1|Ethnicity@10\n2:7@1|Indian@3\n");
}

static void test_windows_1252_is_converted(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	enum csv_encoding enc;
	char out[512];
	static const char data[] = "name,pay\nx,\xA3" "52\nSe\xE1n,\x93q\x94\n";

	(void)state;
	assert_int_equal(read_all(data, sizeof(data) - 1, out, sizeof(out), &err, &enc), 0);
	assert_int_equal(enc, CSV_ENCODING_WINDOWS_1252);
	assert_string_equal(out, "1:name@1|pay@6\n2:x@1|£52@3\n3:Seán@1|\u201cq\u201d@6\n");
}

static void test_utf8_columns_count_characters(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	enum csv_encoding enc;
	char out[512];
	static const char data[] = "£1,é,z\n";

	(void)state;
	assert_int_equal(read_all(data, sizeof(data) - 1, out, sizeof(out), &err, &enc), 0);
	assert_int_equal(enc, CSV_ENCODING_UTF8);
	assert_string_equal(out, "1:£1@1|é@4|z@6\n");
}

static void test_unterminated_quote_names_where_it_opened(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("a,b\n1,2\n3,\"open\n4,5\n", out, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 3);
	assert_non_null(strstr(err.message, "unterminated quote"));
}

static void test_text_after_closing_quote(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("a,b\n\"x\"y,2\n", out, &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 4);
}

static void test_quote_inside_unquoted_field(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("a,b\n1,5'10\"\n", out, &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 7);
}

static void test_utf16_is_refused(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	static const char data[] = "\xFF\xFE" "a\0,\0b\0";

	(void)state;
	assert_int_equal(read_all(data, sizeof(data) - 1, out, sizeof(out), &err, NULL), -1);
	assert_non_null(strstr(err.message, "UTF-16"));
	assert_int_equal(err.line, 1);
}

static void test_nul_byte_is_refused(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	static const char data[] = "a,b\nx,\0y\n";

	(void)state;
	assert_int_equal(read_all(data, sizeof(data) - 1, out, sizeof(out), &err, NULL), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 3);
}

static void test_mixed_encodings_are_refused(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	static const char data[] = "a\nSeán\nSe\xE1n\n";

	(void)state;
	assert_int_equal(read_all(data, sizeof(data) - 1, out, sizeof(out), &err, NULL), -1);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 3);
	assert_non_null(strstr(err.message, "mixes encodings"));
}

static void test_undefined_windows_1252_byte(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	static const char data[] = "a\n\xE1\n\x81x\n";

	(void)state;
	assert_int_equal(read_all(data, sizeof(data) - 1, out, sizeof(out), &err, NULL), -1);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 1);
}

/* Rows that straddle the reader's internal blocks come back whole. */
static void test_large_file_streams_across_blocks(void **state)
{
	char path[] = "/tmp/parity-csv-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct csv_reader *r;
	struct csv_row row;
	struct parity_error err = PARITY_ERROR_INIT;
	long k, rows = 0;
	int rc;

	(void)state;
	assert_non_null(f);
	fprintf(f, "id,note\n");
	for (k = 0; k < 200000; k++)
		fprintf(f, "%ld,\"line %ld, with a comma\r\nand a newline\"\r\n", k, k);
	fclose(f);
	assert_int_equal(csv_reader_open_file(&r, path, &err), 0);
	while ((rc = csv_reader_next(r, &row, &err)) > 0) {
		char want[64];

		if (rows > 0) {
			assert_int_equal(row.count, 2);
			assert_int_equal(atol(row.fields[0].text), rows - 1);
			snprintf(want, sizeof(want), "line %ld, with a comma\r\nand a newline", rows - 1);
			assert_string_equal(row.fields[1].text, want);
			assert_int_equal(row.line, 2 + 2 * (rows - 1));
		}
		rows++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, 200001);
	assert_int_equal(csv_reader_bytes_read(r), csv_reader_size(r));
	csv_reader_free(r);
	unlink(path);
}

/* Windows-1252 first, then UTF-8: the file is refused, at the UTF-8 row
 * (as many rows of each: the later kind), not read as 'CafÃ©'. */
static void test_mixed_encodings_windows_1252_first(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	static const char data[] = "a\nCaf\xE9\nCaf\xC3\xA9\n";

	(void)state;
	assert_int_equal(read_all(data, sizeof(data) - 1, out, sizeof(out), &err, NULL), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 4);
	assert_non_null(strstr(err.message, "mixes encodings"));
	/* every row was read as its own encoding before the refusal */
	assert_string_equal(out, "1:a@1\n2:Café@1\n3:Café@1\n");
}

/* The error is at the first row of the kind there are fewer of. */
static void test_mixed_encodings_located_at_the_minority(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	static const char utf8_fewer[] = "a\nx\xE9\nZo\xC3\xAB\ny\xE9\nz\xE9\n";
	static const char cp1252_fewer[] = "a,b\n1,\xC3\xA9\n2,\xC3\xA9\n3,Z\xEB\n";

	(void)state;
	assert_int_equal(read_all(utf8_fewer, sizeof(utf8_fewer) - 1, out, sizeof(out), &err, NULL), -1);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 3);
	assert_non_null(strstr(err.message, "this row is UTF-8, but 3 other rows are Windows-1252 (the first on line 2)"));
	assert_int_equal(read_all(cp1252_fewer, sizeof(cp1252_fewer) - 1, out, sizeof(out), &err, NULL), -1);
	assert_int_equal(err.line, 4);
	assert_int_equal(err.column, 4);
	assert_non_null(strstr(err.message, "byte 0xEB, which is '\xC3\xAB' in Windows-1252"));
	assert_non_null(strstr(err.message, "2 other rows are UTF-8 (the first on line 2)"));
}

/* Excel's first line 'sep=X' sets the delimiter, and is not a row. */
static void test_sep_line_sets_the_delimiter(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	struct csv_reader *r;
	struct csv_row row;

	(void)state;
	assert_int_equal(READ("sep=;\r\na;b\r\n1;\"2;3\"\n\"x\";y\n", out, &err), 0);
	assert_string_equal(out, "2:a@1|b@3\n3:1@1|2;3@3\n4:x@1|y@5\n");
	assert_int_equal(READ("\xEF\xBB\xBFSEP=,\na,b\n", out, &err), 0);
	assert_string_equal(out, "2:a@1|b@3\n");
	assert_int_equal(READ("sep=\t\na\tb,c\n", out, &err), 0);
	assert_string_equal(out, "2:a@1|b,c@3\n");
	/* a column that happens to start so is a column */
	assert_int_equal(READ("sep=x,b\n", out, &err), 0);
	assert_string_equal(out, "1:sep=x@1|b@7\n");
	csv_reader_open_memory(&r, "t.csv", "sep=|\n", 6, &err);
	assert_int_equal(csv_reader_next(r, &row, &err), 0);
	assert_int_equal(csv_reader_delimiter(r), '|');
	csv_reader_free(r);
}

static void test_sep_line_with_an_unknown_delimiter(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];

	(void)state;
	assert_int_equal(READ("sep=:\na:b\n", out, &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 5);
	assert_non_null(strstr(err.message, "'sep=:'"));
}

/* A semicolon-separated file with quoted values says what it is. */
static void test_other_delimiters_are_named(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char out[512];
	struct csv_field f = { "staff_id;ethnicity;annual_salary", 32, 1 };
	struct csv_field tabs = { "a\tb\tc;d", 7, 1 };
	struct csv_row one = { &f, 1, 1 }, tabbed = { &tabs, 1, 1 };

	(void)state;
	assert_int_equal(READ("\"staff_id\";\"ethnicity\"\n", out, &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 11);
	assert_non_null(strstr(err.message, "separated by semicolons"));
	assert_non_null(strstr(err.message, "'sep=;'"));
	assert_int_equal(csv_guess_delimiter(&one, ','), ';');
	assert_int_equal(csv_guess_delimiter(&tabbed, ','), '\t');
	assert_int_equal(csv_guess_delimiter(&one, ';'), 0);
}

/* A row over 1 MB is refused wherever it is: at the end of the file too,
 * and located at its start. */
static void test_long_rows_are_refused_everywhere(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	size_t n = (size_t)CSV_MAX_ROW_BYTES + 200000, k;
	char *data = xmalloc(n + 64), *out = xmalloc(256);
	struct csv_reader *r;
	struct csv_row row;
	int rc;

	(void)state;
	/* the last row, with and without a final line end */
	memcpy(data, "a,b\n1,", 6);
	memset(data + 6, 'x', n);
	assert_int_equal(read_all(data, 6 + n, out, 256, &err, NULL), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 1);
	assert_non_null(strstr(err.message, "longer than 1048576 bytes"));
	data[6 + n] = '\n';
	assert_int_equal(read_all(data, 7 + n, out, 256, &err, NULL), -1);
	assert_int_equal(err.line, 2);
	/* an unterminated quote that runs on: located where it opened */
	data[6] = '"';
	parity_error_clear(&err);
	assert_int_equal(read_all(data, 7 + n, out, 256, &err, NULL), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 3);
	assert_non_null(strstr(err.message, "unterminated quote"));
	/* a block read in place, whose rows are all in memory */
	data[6] = 'x';
	memcpy(data + 7 + n, "2,y\n", 4);
	csv_reader_open_block(&r, "t.csv", data, 11 + n, 1);
	k = 0;
	while ((rc = csv_reader_next(r, &row, &err)) > 0)
		k++;
	assert_int_equal(rc, -1);
	assert_int_equal(k, 1);
	assert_int_equal(err.line, 2);
	csv_reader_free(r);
	free(data);
	free(out);
}

static int grow(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* A file that grows while it is read is refused, not read as it was. */
static void test_a_file_that_changes_while_read_is_refused(void **state)
{
	char path[] = "/tmp/parity-csv-XXXXXX";
	int fd = mkstemp(path);
	struct csv_reader *r;
	struct csv_row row;
	struct parity_error err = PARITY_ERROR_INIT;
	int rc;

	FILE *f;
	long k;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	/* 599,996 bytes: more than the reader takes at once */
	fputs("a,b\n", f);
	for (k = 0; k < 74999; k++)
		fputs("1234,67\n", f);
	fclose(f);
	assert_int_equal(csv_reader_open_file(&r, path, &err), 0);
	assert_int_equal(csv_reader_next(r, &row, &err), 1);
	assert_int_equal(grow(path, "3,4\n5,6\n"), 0);
	while ((rc = csv_reader_next(r, &row, &err)) > 0)
		;
	assert_int_equal(rc, -1);
	assert_int_equal(err.code, PARITY_ERR_IO);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.message, "changed while it was read"));
	assert_non_null(strstr(err.message, "599996 bytes when opened and is 600004 bytes now"));
	csv_reader_free(r);
	/* unchanged: read to the end */
	assert_int_equal(csv_reader_open_file(&r, path, &err), 0);
	while ((rc = csv_reader_next(r, &row, &err)) > 0)
		;
	assert_int_equal(rc, 0);
	csv_reader_free(r);
	unlink(path);
}

static void test_missing_file(void **state)
{
	struct csv_reader *r = NULL;
	struct parity_error err = PARITY_ERROR_INIT;

	(void)state;
	assert_int_equal(csv_reader_open_file(&r, "/nonexistent/x.csv", &err), -1);
	assert_int_equal(err.code, PARITY_ERR_IO);
	assert_string_equal(err.file, "/nonexistent/x.csv");
	assert_non_null(strstr(err.message, "No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_rows),
		cmocka_unit_test(test_crlf_and_missing_final_newline),
		cmocka_unit_test(test_quoted_commas_quotes_and_newlines),
		cmocka_unit_test(test_empty_fields_and_blank_lines),
		cmocka_unit_test(test_bom_is_skipped),
		cmocka_unit_test(test_windows_1252_is_converted),
		cmocka_unit_test(test_utf8_columns_count_characters),
		cmocka_unit_test(test_unterminated_quote_names_where_it_opened),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_quote_inside_unquoted_field),
		cmocka_unit_test(test_utf16_is_refused),
		cmocka_unit_test(test_nul_byte_is_refused),
		cmocka_unit_test(test_mixed_encodings_are_refused),
		cmocka_unit_test(test_undefined_windows_1252_byte),
		cmocka_unit_test(test_large_file_streams_across_blocks),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_mixed_encodings_windows_1252_first),
		cmocka_unit_test(test_mixed_encodings_located_at_the_minority),
		cmocka_unit_test(test_sep_line_sets_the_delimiter),
		cmocka_unit_test(test_sep_line_with_an_unknown_delimiter),
		cmocka_unit_test(test_other_delimiters_are_named),
		cmocka_unit_test(test_long_rows_are_refused_everywhere),
		cmocka_unit_test(test_a_file_that_changes_while_read_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
