/*
 * test_number.c - strict parsing of counts, salaries and years.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/number.h"

static void test_plain_numbers(void **state)
{
	double v;

	(void)state;
	assert_int_equal(number_parse("52340", &v), 0);
	assert_true(v == 52340.0);
	assert_int_equal(number_parse(" 52340.5 ", &v), 0);
	assert_true(v == 52340.5);
	assert_int_equal(number_parse("0.75", &v), 0);
	assert_true(v == 0.75);
	assert_int_equal(number_parse("-3", &v), 0);
	assert_true(v == -3.0);
}

static void test_rejects_what_strtod_would_take(void **state)
{
	double v;
	static const char *const bad[] = {
		"", " ", "abc", "1e5", "0x10", "inf", "nan", "12abc", "1.",
		".", "1.2.3", "--1", "£52340", "52,340"
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		assert_int_equal(number_parse(bad[k], &v), -1);
}

static void test_grouped_and_money(void **state)
{
	double v;

	(void)state;
	assert_int_equal(number_parse_grouped("£52,340.00", true, &v), 0);
	assert_true(v == 52340.0);
	assert_int_equal(number_parse_grouped("1,234,567", false, &v), 0);
	assert_true(v == 1234567.0);
	assert_int_equal(number_parse_grouped("52340", true, &v), 0);
	assert_true(v == 52340.0);
	assert_int_equal(number_parse_grouped("£52,34", true, &v), -1);
	assert_int_equal(number_parse_grouped("5,2340", true, &v), -1);
	assert_int_equal(number_parse_grouped(",340", true, &v), -1);
	assert_int_equal(number_parse_grouped("£52,340", false, &v), -1);
	assert_int_equal(number_parse_grouped("1234,567", false, &v), -1);
}

static void test_integers_in_range(void **state)
{
	long v;

	(void)state;
	assert_int_equal(number_parse_int("2024", 2000, 2100, &v), 0);
	assert_int_equal(v, 2024);
	assert_int_equal(number_parse_int("1999", 2000, 2100, &v), -1);
	assert_int_equal(number_parse_int("2101", 2000, 2100, &v), -1);
	assert_int_equal(number_parse_int("2024.0", 2000, 2100, &v), -1);
	assert_int_equal(number_parse_int("2024.5", 2000, 2100, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_numbers),
		cmocka_unit_test(test_rejects_what_strtod_would_take),
		cmocka_unit_test(test_grouped_and_money),
		cmocka_unit_test(test_integers_in_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
