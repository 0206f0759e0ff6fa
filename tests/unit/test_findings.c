/*
 * test_findings.c - sentences from flagged figures, and their ranking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/ethnicity.h"
#include "measure/findings.h"

#include <math.h>
#include <string.h>

static struct tidy_row *row(struct tidy_table *t, const char *measure,
			    const char *area, const char *ethnicity,
			    const char *breakdown, double value, double lo,
			    double hi, double p, const char *flag)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, strcmp(area, "Brent") == 0
						    ? "E09000005" : "E12000007");
	r->area_name = tidy_table_intern(t, area);
	r->year = 2024;
	r->ethnicity = tidy_table_intern(t, ethnicity);
	r->breakdown = tidy_table_intern(t, breakdown);
	r->value = value;
	r->ci_low = lo;
	r->ci_high = hi;
	r->p_value = p;
	r->flag = tidy_table_intern(t, flag);
	return r;
}

static void test_sentences_and_ranking(void **state)
{
	struct tidy_table t;
	struct findings f = { 0 };

	(void)state;
	tidy_table_init(&t);
	row(&t, "representation_ratio", "Brent", "Asian, Asian British or Asian Welsh",
	    "", 0.58, 0.54, 0.62, 1e-30, "under");
	/* not flagged: no finding */
	row(&t, "representation_ratio", "Brent", "Mixed or Multiple ethnic groups",
	    "", 0.97, 0.85, 1.10, 0.6, "");
	row(&t, "relative_likelihood", "London",
	    "Black, Black British, Black Welsh, Caribbean or African", "promoted",
	    0.6234, 0.55, 0.71, 1e-8, "significant");
	row(&t, "relative_likelihood", "London", "Other ethnic group",
	    "appointed from shortlisting", 0.8, 0.5, 1.2, 0.3, "");
	row(&t, "not_known_rate", "London", "Not known or prefer not to say", "",
	    11.63, NAN, NAN, NAN, "");
	row(&t, "not_known_change_pp", "London", "Not known or prefer not to say",
	    "", -0.6, NAN, NAN, 0.0004, "");
	row(&t, "median_pay_gap", "London", "White: Irish", "", -7.25, NAN, NAN,
	    NAN, "");
	row(&t, "median_pay_gap", "London", "Indian", "", 2.0, NAN, NAN, NAN, "");
	{
		/* 63 of 200 declared staff paid from the boundary up:
		 * 31.5%, against 45.5% below */
		struct tidy_row *r = row(&t, "glass_ceiling", "London",
					 "Asian, Asian British or Asian Welsh",
					 "\xC2\xA3" "50,000\xE2\x80\x93\xC2\xA3" "59,999",
					 31.5 / 45.5, NAN, NAN, 0.012, "ceiling");

		r->numerator = 63;
		r->denominator = 200;
	}
	findings_build(&t, "White British", &f);
	assert_int_equal(f.count, 5);
	assert_string_equal(f.items[3].text,
			    "In London, Asian, Asian British or Asian Welsh staff "
			    "are 31.5% of staff paid \xC2\xA3" "50,000 or more, "
			    "against 45.5% of those paid less: a glass ceiling at "
			    "\xC2\xA3" "50,000 (adjusted p = 0.012).");
	assert_string_equal(f.items[0].text,
			    "Asian, Asian British or Asian Welsh staff are 58% as "
			    "common among Brent's staff as among its residents "
			    "(95% CI 54% to 62%).");
	assert_int_equal(f.items[0].rows[0], 0);
	assert_string_equal(f.items[1].text,
			    "In London, Black, Black British, Black Welsh, Caribbean or "
			    "African staff were 0.62 times as "
			    "likely as White British staff to be promoted (95% CI "
			    "0.55 to 0.71).");
	assert_string_equal(f.items[2].text,
			    "In London, the share of staff whose ethnicity is not "
			    "known (including prefer not to say) fell by 0.6 "
			    "percentage points since the year before, to 11.6%.");
	assert_int_equal(f.items[2].row_count, 2);
	assert_int_equal(f.items[2].rows[1], 4);
	assert_string_equal(f.items[4].text,
			    "In London, the average (median) hourly pay of Irish "
			    "staff is 7.3% higher than that of White British staff.");
	findings_free(&f);
	tidy_table_free(&t);
}

/*
 * A change in a group's share of staff rests on last year's counts (its
 * numerator and denominator): last year's share, and with the change this
 * year's. A p-value published as a bound reads '<'.
 */
static void test_share_change_and_bounded_p(void **state)
{
	struct tidy_table t;
	struct findings f = { 0 };
	struct tidy_row *r;

	(void)state;
	tidy_table_init(&t);
	r = row(&t, "staff_share_change_pp", "London",
		"Black, Black British, Black Welsh, Caribbean or African", "",
		-2.0, NAN, NAN, 0.001, "");
	r->numerator = 150;
	r->denominator = 1000;
	r->below = 1u << TIDY_P_VALUE;
	/* last year's counts withheld: the change alone */
	r = row(&t, "staff_share_change_pp", "Brent", "Other ethnic group", "",
		1.25, NAN, NAN, 0.02, "");
	/* withheld, though the row still holds them */
	r->numerator = 40;
	r->denominator = 300;
	r->withheld = (1u << TIDY_NUMERATOR) | (1u << TIDY_DENOMINATOR);
	findings_build(&t, "White", &f);
	assert_int_equal(f.count, 2);
	assert_string_equal(f.items[0].text,
			    "In London, Black, Black British, Black Welsh, "
			    "Caribbean or African staff were 13.0% of staff with "
			    "a declared ethnicity in 2024, down from 15.0% the "
			    "year before (p < 0.001).");
	assert_string_equal(f.items[1].text,
			    "In Brent, the share of Other ethnic group staff "
			    "among staff with a declared ethnicity rose by 1.3 "
			    "percentage points from 2023 to 2024 (p = 0.020).");
	findings_free(&f);
	tidy_table_free(&t);
}

/*
 * For readers: short group names, representation as the two shares
 * behind the ratio, a likelihood below 1 turned round with 'about' and the
 * two rates, a glass ceiling explained, and no interval or p-value.
 */
static void test_plain_sentences_for_readers(void **state)
{
	static const char black[] =
		"Black, Black British, Black Welsh, Caribbean or African";
	struct tidy_table t;
	struct findings f = { 0 };
	struct tidy_row *r;

	(void)state;
	tidy_table_init(&t);
	/* 268 of 1,000 staff with a recorded group, against 17.5% of
	 * residents: ratio 1.53 */
	row(&t, "representation_ratio", "Brent", black, "", 26.8 / 17.5, 1.46,
	    1.60, 1e-20, "over");
	row(&t, "staff_share", "Brent", black, "", 26.8, 25.1, 28.6, NAN, "");
	row(&t, "benchmark_share", "Brent", black, "", 17.5, NAN, NAN, NAN, "");
	/* promoted: 3.1% of Black staff, 6.0% of White: 0.5167, White staff
	 * 1.935 times as likely, 'about 1.9' */
	row(&t, "relative_likelihood", "Brent", black, "promoted", 3.1 / 6.0,
	    0.36, 0.74, 1e-4, "significant");
	row(&t, "event_rate", "Brent", black, "promoted", 3.1, NAN, NAN, NAN, "");
	row(&t, "event_rate", "Brent", "White", "promoted", 6.0, NAN, NAN, NAN,
	    "");
	/* the rates withheld: the ratio alone, 2.82 as 'about 2.8' */
	row(&t, "relative_likelihood", "Brent", black, "disciplinary", 2.82,
	    1.62, 4.90, 1e-3, "significant");
	r = row(&t, "glass_ceiling", "Brent",
		"Asian, Asian British or Asian Welsh: Indian",
		"\xC2\xA3" "60,000\xE2\x80\x93\xC2\xA3" "69,999", 0.4, NAN, NAN,
		0.01, "ceiling");
	r->numerator = 12;
	r->denominator = 100;
	findings_build_styled(&t, "White", FINDINGS_PLAIN, &f);
	assert_int_equal(f.count, 4);
	assert_string_equal(f.items[0].text,
			    "Black staff make up 26.8% of Brent's staff with a "
			    "recorded ethnic group, against 17.5% of its "
			    "residents.");
	assert_string_equal(f.items[1].text,
			    "In Brent, Black staff were less likely than White "
			    "staff to be promoted: White staff were about 1.9 "
			    "times as likely (3.1% against 6.0%).");
	assert_string_equal(f.items[2].text,
			    "In Brent, Black staff were about 2.8 times as likely "
			    "as White staff to enter a formal disciplinary "
			    "process.");
	assert_string_equal(f.items[3].text,
			    "In Brent, Indian staff are 12.0% of staff paid "
			    "\xC2\xA3" "60,000 or more, against 30.0% of those "
			    "paid less: a glass ceiling at \xC2\xA3" "60,000 (the "
			    "point up the pay bands where their share drops "
			    "most).");
	findings_free(&f);
	tidy_table_free(&t);
}

static void test_group_names(void **state)
{
	(void)state;
	assert_string_equal(findings_group_name("White: Irish"), "Irish");
	assert_string_equal(findings_group_name("Asian, Asian British or Asian Welsh"),
			    "Asian, Asian British or Asian Welsh");
	assert_string_equal(ethnicity_short_name("Asian, Asian British or Asian Welsh"),
			    "Asian");
	assert_string_equal(ethnicity_short_name(
		"Black, Black British, Black Welsh, Caribbean or African: Caribbean"),
		"Black Caribbean");
	assert_string_equal(ethnicity_short_name(
		"White: English, Welsh, Scottish, Northern Irish or British"),
		"White British");
	assert_string_equal(ethnicity_short_name("Not known"), "Not known");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences_and_ranking),
		cmocka_unit_test(test_share_change_and_bounded_p),
		cmocka_unit_test(test_plain_sentences_for_readers),
		cmocka_unit_test(test_group_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
