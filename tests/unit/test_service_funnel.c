/*
 * test_service_funnel.c - boroughs' RRIs against London's
 * (service_funnel()), on hand-worked figures.
 *
 * London's RRI at 'arrest' for Black people is 1.2. Borough A's is 2.0
 * with the 95% interval 1.5 to 8/3: the interval's ratio is (4/3)^2, so
 * the standard error of its log RRI is ln(4/3) / 1.96, and London's 95%
 * limits at A's precision are 1.2 x exp(-/+ ln(4/3)) = 0.9 to 1.6; the
 * 99.8% limits 1.2 x (4/3)^(+/-3.0902/1.96) = 0.762 to 1.889. A's 2.0 is
 * above both. Borough B's 1.3 (1.0 to 1.69: se ln(1.69) / 3.92) is within
 * 0.923 to 1.560. Borough C's RRI has no interval: not calculable. Inner
 * London is not a borough and gets no place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/strbuf.h"
#include "measure/service.h"
#include "site/svg.h"
#include "table/table.h"

#include <math.h>
#include <string.h>

static void rri(struct tidy_table *t, const char *code, const char *type,
		double value, double low, double high)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, "rri");
	r->area_code = tidy_table_intern(t, code);
	r->area_name = tidy_table_intern(t, code);
	r->area_type = tidy_table_intern(t, type);
	r->year = 2023;
	r->ethnicity = tidy_table_intern(t, "Black");
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->breakdown = tidy_table_intern(t, "arrest");
	r->value = value;
	r->ci_low = low;
	r->ci_high = high;
}

static const struct tidy_row *place(const struct tidy_table *t,
				    const char *code)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, "funnel_position") == 0 &&
		    strcmp(t->rows[k].area_code, code) == 0)
			return &t->rows[k];
	return NULL;
}

static void test_boroughs_against_london(void **state)
{
	struct tidy_table t;
	const struct tidy_row *a, *b, *c;

	(void)state;
	tidy_table_init(&t);
	rri(&t, "E12000007", "region", 1.2, 1.1, 1.3);
	rri(&t, "E13000001", "subregion", 1.5, 1.2, 1.8);
	rri(&t, "A", "borough", 2.0, 1.5, 8.0 / 3.0);
	rri(&t, "B", "borough", 1.3, 1.0, 1.69);
	rri(&t, "C", "borough", 1.1, NAN, NAN);
	service_funnel(&t, "E12000007");
	assert_int_equal(t.count, 8);
	assert_null(place(&t, "E13000001"));
	a = place(&t, "A");
	assert_non_null(a);
	assert_string_equal(a->breakdown, "rri: arrest");
	assert_true(a->value == 2.0 && a->numerator == 1.2);
	assert_true(fabs(a->ci_low - 0.9) < 1e-6);
	assert_true(fabs(a->ci_high - 1.6) < 1e-6);
	assert_string_equal(a->flag, "above_99.8");
	b = place(&t, "B");
	assert_non_null(b);
	assert_true(fabs(b->ci_low - 0.9231) < 1e-3);
	assert_true(fabs(b->ci_high - 1.5600) < 1e-3);
	assert_string_equal(b->flag, "within");
	c = place(&t, "C");
	assert_non_null(c);
	assert_string_equal(c->flag, "not_calculable");
	tidy_table_free(&t);
}

/* The places drawn on a funnel plot with borough B ringed and named
 * (its page), though B lies within the range and would not be named
 * otherwise; A, above it, is named as usual. */
static void test_borough_ringed_on_its_page(void **state)
{
	struct tidy_table t;
	struct strbuf sb = STRBUF_INIT;
	struct svg_chart chart = { "f", "Black: RRI at 'arrest'", "desc",
				   "Relative rate index", 1.2, SVG_LABEL_AREA,
				   true, "B", false };
	size_t rows[3], n = 0, k;

	(void)state;
	tidy_table_init(&t);
	rri(&t, "E12000007", "region", 1.2, 1.1, 1.3);
	rri(&t, "A", "borough", 2.0, 1.5, 8.0 / 3.0);
	rri(&t, "B", "borough", 1.3, 1.0, 1.69);
	service_funnel(&t, "E12000007");
	for (k = 0; k < t.count; k++)
		if (strcmp(t.rows[k].measure, "funnel_position") == 0)
			rows[n++] = k;
	assert_int_equal(n, 2);
	svg_funnel(&sb, &t, rows, n, NULL, &chart);
	assert_non_null(strstr(sb.buf, "class=\"parity-highlight\""));
	assert_non_null(strstr(sb.buf, "font-weight=\"bold\">B</text>"));
	assert_non_null(strstr(sb.buf, ">A</text>"));
	/* one ring in each drawing, the wide and the narrow: B only */
	{
		const char *first = strstr(sb.buf, "parity-highlight");
		const char *second = strstr(first + 1, "parity-highlight");

		assert_non_null(second);
		assert_null(strstr(second + 1, "parity-highlight"));
	}
	strbuf_release(&sb);
	tidy_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boroughs_against_london),
		cmocka_unit_test(test_borough_ringed_on_its_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
