/*
 * test_table.c - the tidy table and its CSV, JSON and terminal renderings.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "table/render.h"
#include "table/table.h"
#include "table/table_read.h"
#include "table/xlsx.h"

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

static void test_values_rounded_for_reading(void **state)
{
	char buf[32];

	(void)state;
	format_value(36.849, UNIT_PERCENT, buf, sizeof(buf));
	assert_string_equal(buf, "36.8%");
	format_value(8799736, UNIT_COUNT, buf, sizeof(buf));
	assert_string_equal(buf, "8,799,736");
	format_value(NAN, UNIT_RATIO, buf, sizeof(buf));
	assert_string_equal(buf, "");
	format_value(-0.66, UNIT_POINTS, buf, sizeof(buf));
	assert_string_equal(buf, "-0.7 pp");
	/* a fractional count (pay quartiles) to one place */
	format_value(1234.56, UNIT_COUNT_PART, buf, sizeof(buf));
	assert_string_equal(buf, "1,234.6");
	format_value(14.255, UNIT_POUNDS, buf, sizeof(buf));
	assert_string_equal(buf, "\xC2\xA3" "14.26");
	format_value(2.5, UNIT_PER_1000, buf, sizeof(buf));
	assert_string_equal(buf, "2.5");
	/* a plain number is not rounded */
	format_value(0.123456789, UNIT_NUMBER, buf, sizeof(buf));
	assert_string_equal(buf, "0.123456789");
}

static struct tidy_row *measure_row(struct tidy_table *t, const char *measure,
				    const char *breakdown)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->breakdown = tidy_table_intern(t, breakdown);
	return r;
}

static void test_units_come_from_the_registry(void **state)
{
	struct tidy_table t;
	struct tidy_row *r;

	(void)state;
	tidy_table_init(&t);
	r = measure_row(&t, "benchmark_share", "");
	assert_int_equal(render_unit(r, TIDY_VALUE), UNIT_PERCENT);
	assert_int_equal(render_unit(r, TIDY_NUMERATOR), UNIT_COUNT);
	r = measure_row(&t, "median_pay_gap", "");
	assert_int_equal(render_unit(r, TIDY_VALUE), UNIT_PERCENT);
	assert_int_equal(render_unit(r, TIDY_NUMERATOR), UNIT_POUNDS);
	assert_int_equal(render_unit(r, TIDY_DENOMINATOR), UNIT_POUNDS);
	r = measure_row(&t, "relative_likelihood", "promoted");
	assert_int_equal(render_unit(r, TIDY_CI_HIGH), UNIT_RATIO);
	assert_int_equal(render_unit(r, TIDY_DENOMINATOR), UNIT_PERCENT);
	r = measure_row(&t, "pay_quartile_share", "lower quartile");
	assert_int_equal(render_unit(r, TIDY_NUMERATOR), UNIT_COUNT_PART);
	r = measure_row(&t, "not_known_change_pp", "");
	assert_int_equal(render_unit(r, TIDY_VALUE), UNIT_POINTS);
	r = measure_row(&t, "rri", "charged");
	assert_int_equal(render_unit(r, TIDY_NUMERATOR), UNIT_PER_1000);
	/* a column the registry has as empty, and the p-value, are plain */
	r = measure_row(&t, "mean_hourly_pay", "");
	assert_int_equal(render_unit(r, TIDY_NUMERATOR), UNIT_NUMBER);
	assert_int_equal(render_unit(r, TIDY_P_VALUE), UNIT_NUMBER);
	/* a funnel position reads in the unit of the measure it places */
	r = measure_row(&t, "funnel_position", "not_known_rate");
	assert_int_equal(render_unit(r, TIDY_VALUE), UNIT_PERCENT);
	assert_int_equal(render_unit(r, TIDY_NUMERATOR), UNIT_PERCENT);
	assert_int_equal(render_unit(r, TIDY_DENOMINATOR), UNIT_COUNT);
	r = measure_row(&t, "funnel_position",
			"relative_likelihood: promoted");
	assert_int_equal(render_unit(r, TIDY_VALUE), UNIT_RATIO);
	assert_int_equal(render_unit(r, TIDY_CI_LOW), UNIT_RATIO);
	/* a measure the registry lacks is a plain number, not rounded */
	r = measure_row(&t, "no_such_measure", "");
	assert_int_equal(render_unit(r, TIDY_VALUE), UNIT_NUMBER);
	tidy_table_free(&t);
}

/* A row whose p-value is published as a bound, and a figure rounded to
 * 14.3 but held as the double just above it. */
static void fill_published(struct tidy_table *t)
{
	struct tidy_row *r;

	fill(t);
	r = &t->rows[t->count - 1];
	r->measure = tidy_table_intern(t, "staff_share");
	r->value = nextafter(14.3, 15.0);
	r->ci_low = 0.1 + 0.2;
	r->p_value = 0.001;
	r->below = 1u << TIDY_P_VALUE;
}

static void test_bounds_and_rounded_figures_in_csv_and_json(void **state)
{
	struct tidy_table t;
	char *s;

	(void)state;
	tidy_table_init(&t);
	fill_published(&t);
	s = render(&t, OUTPUT_CSV);
	assert_non_null(strstr(s, ",14.3,580,2400,0.3,0.62,<0.001,under,"));
	free(s);
	s = render(&t, OUTPUT_JSON);
	assert_non_null(strstr(s, "\"value\": 14.3,"));
	assert_non_null(strstr(s, "\"ci_low\": 0.3,"));
	assert_non_null(strstr(s, "\"p_value\": \"<0.001\""));
	free(s);
	tidy_table_free(&t);
}

static void test_bounds_in_the_terminal_view(void **state)
{
	struct tidy_table t;
	struct tidy_row *r;
	char buf[64];
	char *s;

	(void)state;
	tidy_table_init(&t);
	fill_published(&t);
	r = &t.rows[0];
	r->p_value = 0.01;
	r->below = (1u << TIDY_P_VALUE) | (1u << TIDY_VALUE);
	s = render(&t, OUTPUT_TABLE);
	assert_non_null(strstr(s, "<14.3% under"));
	assert_non_null(strstr(s, "<0.01"));
	free(s);
	format_figure(r, TIDY_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "<14.3%");
	format_figure(r, TIDY_NUMERATOR, buf, sizeof(buf));
	assert_string_equal(buf, "580");
	r->withheld = 1u << TIDY_VALUE;
	format_figure(r, TIDY_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "[c]");
	tidy_table_free(&t);
}

static void test_csv_reads_back_bounds_and_withheld(void **state)
{
	struct tidy_table t, back;
	struct parity_error err = PARITY_ERROR_INIT;
	char path[] = "/tmp/parity-read-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	tidy_table_init(&t);
	fill_published(&t);
	t.rows[0].withheld = 1u << TIDY_NUMERATOR;
	/* text a spreadsheet would take for a formula is written guarded,
	 * and read back as it was */
	t.rows[0].breakdown = "=1+1";
	t.rows[0].note = "'quoted";
	assert_int_equal(table_write_csv(&t, f, &err), 0);
	fclose(f);
	tidy_table_init(&back);
	assert_int_equal(tidy_table_read_csv(path, &back, NULL, NULL, &err), 0);
	assert_int_equal(back.count, 1);
	assert_string_equal(back.rows[0].breakdown, "=1+1");
	assert_string_equal(back.rows[0].note, "'quoted");
	assert_true(back.rows[0].p_value == 0.001);
	assert_int_equal(back.rows[0].below, 1u << TIDY_P_VALUE);
	assert_int_equal(back.rows[0].withheld, 1u << TIDY_NUMERATOR);
	assert_true(back.rows[0].value == 14.3);
	tidy_table_free(&back);
	/* '<' must be followed by a number */
	f = fopen(path, "w");
	fputs("measure,area_code,area_name,area_type,year,ethnicity,"
	      "ethnicity_level,breakdown,value,numerator,denominator,ci_low,"
	      "ci_high,p_value,flag,note\n"
	      "staff_share,E09000005,Brent,borough,2024,White,high,,1,2,3,,,"
	      "< 0.001,,\n", f);
	fclose(f);
	tidy_table_init(&back);
	assert_int_equal(tidy_table_read_csv(path, &back, NULL, NULL, &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "p_value: '< 0.001'"));
	tidy_table_free(&back);
	unlink(path);
	tidy_table_free(&t);
}

/* Years as reports write them: '2024', an academic year '2023-24' (the
 * year it starts), and a trend's span '2019-20 to 2023-24' (the year of
 * its end, the whole kept as the period). */
static void test_csv_reads_back_years_and_spans(void **state)
{
	static const char header[] =
		"measure,area_code,area_name,area_type,year,ethnicity,"
		"ethnicity_level,breakdown,value,numerator,denominator,ci_low,"
		"ci_high,p_value,flag,note\n";
	static const char *const bad[] = {
		"2023-24 to 2019-20", "2019-20 to",
		"2019-20 to 2020-21 to 2021-22", "2019-21 to 2023-24",
	};
	struct tidy_table back;
	struct parity_error err = PARITY_ERROR_INIT;
	char path[] = "/tmp/parity-read-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	size_t k;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "%s"
		"attainment_pupils,E09000022,Lambeth,borough,2023-24,White,"
		"high,attainment8,10,,,,,,,\n"
		"attainment_gap_trend,E09000022,Lambeth,borough,"
		"2019-20 to 2023-24,Black,high,attainment8,0.5,,,,,,,\n"
		"staff_count,E09000005,Brent,borough,2024,White,high,,10,,,,,,,"
		"\n", header);
	fclose(f);
	tidy_table_init(&back);
	assert_int_equal(tidy_table_read_csv(path, &back, NULL, NULL, &err), 0);
	assert_int_equal(back.count, 3);
	assert_int_equal(back.rows[0].year, 2023);
	assert_string_equal(back.rows[0].period, "2023-24");
	assert_int_equal(back.rows[1].year, 2023);
	assert_string_equal(back.rows[1].period, "2019-20 to 2023-24");
	assert_int_equal(back.rows[2].year, 2024);
	assert_string_equal(back.rows[2].period, "");
	tidy_table_free(&back);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		f = fopen(path, "w");
		fprintf(f, "%sstaff_count,E09000005,Brent,borough,%s,White,high,"
			",10,,,,,,,\n", header, bad[k]);
		fclose(f);
		tidy_table_init(&back);
		assert_int_equal(tidy_table_read_csv(path, &back, NULL, NULL,
						     &err), -1);
		assert_non_null(strstr(err.message, "is not a year"));
		parity_error_clear(&err);
		tidy_table_free(&back);
	}
	unlink(path);
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

static void test_xlsx_has_a_cover_a_sheet_per_measure_and_notes(void **state)
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
	/* a zip holding 4 worksheets, the cover, two measures and the notes
	 * (named in the local and central headers) */
	assert_int_equal(count_in_file(path, "xl/worksheets/sheet", magic), 8);
	assert_memory_equal(magic, "PK\x03\x04", 4);
	assert_int_equal(count_in_file(path, "xl/worksheets/sheet5", magic), 0);
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
		cmocka_unit_test(test_values_rounded_for_reading),
		cmocka_unit_test(test_units_come_from_the_registry),
		cmocka_unit_test(test_bounds_and_rounded_figures_in_csv_and_json),
		cmocka_unit_test(test_bounds_in_the_terminal_view),
		cmocka_unit_test(test_csv_reads_back_bounds_and_withheld),
		cmocka_unit_test(test_csv_reads_back_years_and_spans),
		cmocka_unit_test(test_unknown_format),
		cmocka_unit_test(test_xlsx_has_a_cover_a_sheet_per_measure_and_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
