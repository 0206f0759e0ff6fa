/*
 * test_workforce_sex.c - the workforce measures by sex on a hand-computed
 * case: the sex read from a return's values, the sex in the breakdown, and
 * female staff's staff share, pay gap, pay band share and relative
 * likelihood of promotion against White British female staff, each worked
 * out by hand below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "domain/sex.h"
#include "measure/workforce.h"
#include "table/table.h"
#include "store/store.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define assert_near(got, want, tol) \
	do { \
		double got_ = (got), want_ = (want); \
		if (!(fabs(got_ - want_) <= (tol) * fmax(1.0, fabs(want_)))) \
			fail_msg("%s = %.17g, want %.17g", #got, got_, want_); \
	} while (0)

/* An hourly rate as the annual salary that gives it: hourly = annual /
 * (52.143 weeks x 36 hours), so 1,877.148 pounds a year per pound an
 * hour. */
#define A_YEAR(hourly) ((hourly) * 52.143 * 36.0)

static void test_sex_of_values(void **state)
{
	enum sex s = SEX_COUNT;
	const char *rest = NULL;
	char buf[64];

	(void)state;
	assert_int_equal(sex_of("Female"), SEX_FEMALE);
	assert_int_equal(sex_of(" F "), SEX_FEMALE);
	assert_int_equal(sex_of("woman"), SEX_FEMALE);
	assert_int_equal(sex_of("MALE"), SEX_MALE);
	assert_int_equal(sex_of("m"), SEX_MALE);
	assert_int_equal(sex_of("Non-binary"), SEX_OTHER);
	assert_int_equal(sex_of("non_binary"), SEX_OTHER);
	assert_int_equal(sex_of("Intersex"), SEX_OTHER);
	assert_int_equal(sex_of(NULL), SEX_NOT_KNOWN);
	assert_int_equal(sex_of("Prefer not to say"), SEX_NOT_KNOWN);
	assert_int_equal(sex_of("femalefemalefemalefemalefemale"),
			 SEX_NOT_KNOWN);

	assert_true(sex_breakdown("female", &s, &rest));
	assert_int_equal(s, SEX_FEMALE);
	assert_string_equal(rest, "");
	assert_true(sex_breakdown("male; promoted", &s, &rest));
	assert_int_equal(s, SEX_MALE);
	assert_string_equal(rest, "promoted");
	assert_true(sex_breakdown("sex not known", &s, NULL));
	assert_int_equal(s, SEX_NOT_KNOWN);
	/* a pay band, an event, and 'femaleness' are not of a sex */
	assert_false(sex_breakdown("promoted", NULL, NULL));
	assert_false(sex_breakdown("\xC2\xA3" "20,000", NULL, NULL));
	assert_false(sex_breakdown("females", NULL, NULL));
	sex_breakdown_make(SEX_FEMALE, "training", buf, sizeof(buf));
	assert_string_equal(buf, "female; training");
	sex_breakdown_make(SEX_OTHER, "", buf, sizeof(buf));
	assert_string_equal(buf, "non-binary or other");
}

/*
 * Female staff of London (a borough alike, but for pay bands):
 *   White British (the reference) 20 women, each paid 20.00 an hour; 4 of
 *     them promoted (20%)
 *   Black Caribbean 4 women paid 15, 16, 17 and 18 an hour; 2 promoted
 *     (50%)
 * so, by hand:
 *   staff share of Black Caribbean women = 4 / 24 = 16.667%
 *   mean hourly pay 16.50, median (16 + 17) / 2 = 16.50, so both pay gaps
 *     = (20 - 16.5) / 20 x 100 = 17.5%
 *   band £30,000-£39,999 (20.00 an hour is £37,542.96; 16, 17, 18 are
 *     £30,034.37 to £33,788.66; 15 is £28,157.22, the band below):
 *     3 of its 23 women, 13.043%
 *   relative likelihood of promotion = 0.5 / 0.2 = 2.5; Katz: the standard
 *     error of ln 2.5 is sqrt(1/2 - 1/4 + 1/4 - 1/20) = sqrt(0.45) =
 *     0.67082039, so the 95% interval is 2.5 x exp(-/+ 1.95996398 x
 *     0.67082039) = 0.67133093 to 9.30986455; it includes 1: no flag.
 */
static double wbri_pay[20];
static double bcrb_pay[4];

static void women(struct store_aggregates *a)
{
	size_t k;

	memset(a, 0, sizeof(*a));
	for (k = 0; k < 20; k++)
		wbri_pay[k] = A_YEAR(20.0);
	for (k = 0; k < 4; k++)
		bcrb_pay[k] = A_YEAR(15.0 + (double)k);
	a->pay[ETH_WBRI] = wbri_pay;
	a->pay_count[ETH_WBRI] = 20;
	a->pay[ETH_BCRB] = bcrb_pay;
	a->pay_count[ETH_BCRB] = 4;
	a->events[STORE_EVENT_PROMOTED][ETH_WBRI] =
		(struct store_event_count){ 4, 16, 0 };
	a->events[STORE_EVENT_PROMOTED][ETH_BCRB] =
		(struct store_event_count){ 2, 2, 0 };
	a->submission_count = 1;
	a->workforce_count = 1;
}

static const struct tidy_row *find_row(const struct tidy_table *t,
				       const char *measure,
				       const char *ethnicity,
				       const char *breakdown)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].ethnicity, ethnicity) == 0 &&
		    strcmp(t->rows[k].breakdown, breakdown) == 0)
			return &t->rows[k];
	fail_msg("no %s row for %s, %s", measure, ethnicity, breakdown);
	return NULL;
}

static bool any_row(const struct tidy_table *t, const char *measure)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0)
			return true;
	return false;
}

#define BCRB "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
#define WBRI "White: English, Welsh, Scottish, Northern Irish or British"

static void test_female_measures_by_hand(void **state)
{
	struct area_set *areas = NULL;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_aggregates a;
	struct workforce_options opt;
	struct tidy_table t;
	const struct tidy_row *r;
	size_t k;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	women(&a);
	workforce_options_init(&opt);
	opt.pay_min_group = 0;
	tidy_table_init(&t);
	/* London: pay bands by sex are given where authorities are pooled */
	assert_int_equal(workforce_sex_measures(&a, areas,
						area_find(areas, "E12000007"),
						NULL, 0, 2024, &opt, "female",
						false, &t, &err),
			 0);
	/* every row is of female staff and says against whom */
	for (k = 0; k < t.count; k++) {
		assert_true(strncmp(t.rows[k].breakdown, "female", 6) == 0);
		assert_non_null(strstr(t.rows[k].note,
				       "female staff of the reference group ("
				       WBRI ")"));
	}
	r = find_row(&t, "staff_count", BCRB, "female");
	assert_near(r->value, 4, 1e-12);
	r = find_row(&t, "staff_count", "All staff", "female");
	assert_near(r->value, 24, 1e-12);

	r = find_row(&t, "staff_share", BCRB, "female");
	assert_near(r->value, 100.0 * 4 / 24, 1e-9);
	assert_near(r->numerator, 4, 1e-12);
	assert_near(r->denominator, 24, 1e-12);

	r = find_row(&t, "mean_hourly_pay", BCRB, "female");
	assert_near(r->value, 16.5, 1e-9);
	r = find_row(&t, "mean_pay_gap", BCRB, "female");
	assert_near(r->value, 17.5, 1e-9);
	assert_near(r->numerator, 16.5, 1e-9);
	assert_near(r->denominator, 20.0, 1e-9);
	r = find_row(&t, "median_pay_gap", BCRB, "female");
	assert_near(r->value, 17.5, 1e-9);

	r = find_row(&t, "band_share", BCRB,
		     "female; \xC2\xA3" "30,000\xE2\x80\x93\xC2\xA3" "39,999");
	assert_near(r->numerator, 3, 1e-12);
	assert_near(r->denominator, 23, 1e-12);
	assert_near(r->value, 100.0 * 3 / 23, 1e-9);

	r = find_row(&t, "event_rate", BCRB, "female; promoted");
	assert_near(r->value, 50, 1e-9);
	r = find_row(&t, "relative_likelihood", BCRB, "female; promoted");
	assert_near(r->value, 2.5, 1e-12);
	assert_near(r->numerator, 50, 1e-9);
	assert_near(r->denominator, 20, 1e-9);
	assert_near(r->ci_low, 0.67133093, 1e-7);
	assert_near(r->ci_high, 9.30986455, 1e-7);
	assert_string_equal(r->flag, "");

	/* no residents by sex, no recruitment by sex, no quartiles */
	assert_false(any_row(&t, "benchmark_share"));
	assert_false(any_row(&t, "pay_quartile_share"));
	for (k = 0; k < t.count; k++)
		assert_null(strstr(t.rows[k].breakdown, "shortlisted"));
	tidy_table_free(&t);

	/* a borough: no pay bands by sex, nor so a glass ceiling */
	tidy_table_init(&t);
	assert_int_equal(workforce_sex_measures(&a, areas,
						area_find(areas, "E09000005"),
						NULL, 0, 2024, &opt, "female",
						false, &t, &err),
			 0);
	assert_false(any_row(&t, "band_share"));
	assert_false(any_row(&t, "glass_ceiling"));
	assert_near(find_row(&t, "relative_likelihood", BCRB,
			     "female; promoted")->value,
		    2.5, 1e-12);
	tidy_table_free(&t);

	/* counts only: the staff counts and nothing else */
	tidy_table_init(&t);
	assert_int_equal(workforce_sex_measures(&a, areas,
						area_find(areas, "E09000005"),
						NULL, 0, 2024, &opt,
						"sex not known", true, &t,
						&err),
			 0);
	for (k = 0; k < t.count; k++) {
		assert_string_equal(t.rows[k].measure, "staff_count");
		assert_string_equal(t.rows[k].breakdown, "sex not known");
	}
	tidy_table_free(&t);

	/* no staff of a sex: nothing, and 1 */
	memset(&a, 0, sizeof(a));
	tidy_table_init(&t);
	assert_int_equal(workforce_sex_measures(&a, areas,
						area_find(areas, "E09000005"),
						NULL, 0, 2024, &opt, "male",
						false, &t, &err),
			 1);
	assert_int_equal(t.count, 0);
	tidy_table_free(&t);
	area_set_free(areas);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sex_of_values),
		cmocka_unit_test(test_female_measures_by_hand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
