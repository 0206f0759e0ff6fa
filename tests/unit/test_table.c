/*
 * test_table.c - the tidy table and its CSV, JSON and terminal renderings.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "publish/render.h"
#include "publish/table.h"
#include "publish/xlsx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *render(const struct tidy_table *t, enum output_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct parity_error err = PARITY_ERROR_INIT;

	assert_int_equal(table_write(t, f, out, &err), 0);
	fclose(out);
	return buf;
}

static void fill(struct tidy_table *t)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, "representation_ratio");
	r->area_code = tidy_table_intern(t, "E09000005");
	r->area_name = tidy_table_intern(t, "Brent");
	r->area_type = tidy_table_intern(t, "borough");
	r->year = 2024;
	r->ethnicity = tidy_table_intern(t, "Asian, Asian British or Asian Welsh");
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->value = 0.5812345;
	r->numerator = 580;
	r->denominator = 2400;
	r->ci_low = 0.54;
	r->ci_high = 0.62;
	r->p_value = 0.0000123;
	r->flag = tidy_table_intern(t, "under");
	r->note = tidy_table_intern(t, "benchmark: Census 2021, \"usual residents\"");
}

static void test_rows_start_missing_and_strings_are_interned(void **state)
{
	struct tidy_table t;
	struct tidy_row *r;
	const char *a, *b;

	(void)state;
	tidy_table_init(&t);
	r = tidy_table_add_row(&t);
	assert_true(isnan(r->value) && isnan(r->ci_low) && isnan(r->p_value));
	assert_string_equal(r->note, "");
	assert_int_equal(r->year, 0);
	a = tidy_table_intern(&t, "Brent");
	b = tidy_table_intern(&t, "Brent");
	assert_ptr_equal(a, b);
	tidy_table_free(&t);
}

static void test_csv_has_the_tidy_columns_and_full_precision(void **state)
{
	struct tidy_table t;
	char *s;

	(void)state;
	tidy_table_init(&t);
	fill(&t);
	s = render(&t, OUTPUT_CSV);
	assert_string_equal(s,
		"measure,area_code,area_name,area_type,year,ethnicity,ethnicity_level,"
		"breakdown,value,numerator,denominator,ci_low,ci_high,p_value,flag,note\n"
		"representation_ratio,E09000005,Brent,borough,2024,"
		"\"Asian, Asian British or Asian Welsh\",high,,0.5812345,580,2400,"
		"0.54,0.62,1.23e-05,under,"
		"\"benchmark: Census 2021, \"\"usual residents\"\"\"\n");
	free(s);
	tidy_table_free(&t);
}

static void test_json_uses_null_for_missing(void **state)
{
	struct tidy_table t;
	char *s;

	(void)state;
	tidy_table_init(&t);
	fill(&t);
	t.rows[0].ci_low = NAN;
	s = render(&t, OUTPUT_JSON);
	assert_non_null(strstr(s, "\"ci_low\": null"));
	assert_non_null(strstr(s, "\"year\": 2024"));
	assert_non_null(strstr(s, "\"numerator\": 580.0"));
	free(s);
	tidy_table_free(&t);
}

static void test_text_rounds_for_reading(void **state)
{
	struct tidy_table t;
	char *s;

	(void)state;
	tidy_table_init(&t);
	fill(&t);
	s = render(&t, OUTPUT_TABLE);
	assert_non_null(strstr(s, "representation_ratio - Brent"));
	assert_non_null(strstr(s, "0.58 under"));
	assert_non_null(strstr(s, "0.54 to 0.62"));
	assert_non_null(strstr(s, "2,400"));
	assert_non_null(strstr(s, "<0.001"));
	assert_non_null(strstr(s, "Notes:\n  benchmark: Census 2021"));
	free(s);
	tidy_table_free(&t);
}

static void test_rounding_is_half_away_from_zero(void **state)
{
	char buf[32];

	(void)state;
	assert_true(round_half_away(0.125, 2) == 0.13);
	assert_true(round_half_away(-0.125, 2) == -0.13);
	assert_true(round_half_away(36.85, 1) == 36.9);
	assert_true(round_half_away(2.5, 0) == 3.0);
	format_value(36.849, UNIT_PERCENT, buf, sizeof(buf));
	assert_string_equal(buf, "36.8%");
	format_value(8799736, UNIT_COUNT, buf, sizeof(buf));
	assert_string_equal(buf, "8,799,736");
	format_value(NAN, UNIT_RATIO, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_int_equal(measure_unit("benchmark_share"), UNIT_PERCENT);
	assert_int_equal(measure_unit("relative_likelihood"), UNIT_RATIO);
	assert_int_equal(measure_unit("median_hourly_pay"), UNIT_POUNDS);
	assert_int_equal(measure_unit("not_known_change_pp"), UNIT_POINTS);
	format_value(-0.66, UNIT_POINTS, buf, sizeof(buf));
	assert_string_equal(buf, "-0.7 pp");
}

static void test_unknown_format(void **state)
{
	enum output_format f;
	struct parity_error err = PARITY_ERROR_INIT;

	(void)state;
	assert_int_equal(output_format_parse("xls", &f, &err), -1);
	assert_non_null(strstr(err.message, "'xls'"));
	assert_int_equal(output_format_parse("json", &f, &err), 0);
	assert_int_equal(f, OUTPUT_JSON);
}

/* Count how often `needle` occurs in the file at `path`. */
static size_t count_in_file(const char *path, const char *needle,
			    unsigned char *magic)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;
	size_t n = 0, len = strlen(needle);
	const char *p;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	memcpy(magic, buf, 4);
	for (p = buf; (p = memmem(p, (size_t)(buf + size - p), needle, len)); p += len)
		n++;
	free(buf);
	return n;
}

static void test_xlsx_has_a_sheet_per_measure_and_notes(void **state)
{
	struct tidy_table t;
	struct parity_error err = PARITY_ERROR_INIT;
	char path[] = "/tmp/parity-xlsx-XXXXXX";
	unsigned char magic[4];
	struct tidy_row *r;
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	tidy_table_init(&t);
	fill(&t);
	fill(&t);
	r = tidy_table_add_row(&t);
	r->measure = tidy_table_intern(&t, "staff_share");
	r->value = 12.5;
	assert_int_equal(table_write_xlsx(&t, "Brent, 2024", path, &err), 0);
	/* a zip holding 3 worksheets (named in the local and central headers) */
	assert_int_equal(count_in_file(path, "xl/worksheets/sheet", magic), 6);
	assert_memory_equal(magic, "PK\x03\x04", 4);
	assert_int_equal(count_in_file(path, "xl/worksheets/sheet4", magic), 0);
	unlink(path);
	assert_int_equal(table_write_xlsx(&t, "x", "/nonexistent/dir/x.xlsx", &err), -1);
	assert_int_equal(err.code, PARITY_ERR_IO);
	tidy_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_start_missing_and_strings_are_interned),
		cmocka_unit_test(test_csv_has_the_tidy_columns_and_full_precision),
		cmocka_unit_test(test_json_uses_null_for_missing),
		cmocka_unit_test(test_text_rounds_for_reading),
		cmocka_unit_test(test_rounding_is_half_away_from_zero),
		cmocka_unit_test(test_unknown_format),
		cmocka_unit_test(test_xlsx_has_a_sheet_per_measure_and_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
