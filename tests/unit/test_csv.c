/*
 * test_csv.c - the streaming CSV reader: RFC 4180, line endings, encodings,
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
