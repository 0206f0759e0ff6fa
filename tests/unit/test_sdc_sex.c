/*
 * test_sdc_sex.c - disclosure control of the workforce table by sex, on a
 * hand-computed case: in Brent, 3 Black women and 40 Black men (43 Black
 * staff). Published, the 3 is a count from 1 to 9; withheld alone, it is
 * all - men - the other sexes = 43 - 40 - 0 - 0 = 3 again. The by-sex
 * counts are one more dimension of the same table, protected in the same
 * sdc_protect_table() call, so the women's count is withheld and so is
 * enough else that no subtraction gives it back; and the checker finds
 * the subtraction when it is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "domain/ethnicity.h"
#include "domain/sex.h"
#include "measure/workforce.h"
#include "sdc/sdc.h"
#include "store/store.h"
#include "table/table.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define BIT(c) (1u << (c))

static const char *black(void)
{
	return ethnicity_level_group_label(
		ETH_LEVEL_HIGH, ethnicity_level_group(ETH_BAFR, ETH_LEVEL_HIGH));
}

static void count_row(struct tidy_table *t, const char *group,
		      const char *breakdown, double v, bool withheld)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, "staff_count");
	r->area_code = tidy_table_intern(t, "E09000005");
	r->area_name = tidy_table_intern(t, "Brent");
	r->area_type = tidy_table_intern(t, "borough");
	r->year = 2024;
	r->ethnicity = tidy_table_intern(t, group);
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->breakdown = tidy_table_intern(t, breakdown);
	r->value = withheld ? NAN : v;
	r->withheld = withheld ? BIT(TIDY_VALUE) : 0;
}

/* The women's count withheld, every other count shown: all - men - the
 * other sexes gives it back, exactly 3, and the checker says so. */
static void test_checker_finds_all_less_men(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct tidy_table t;
	struct sdc_check c;
	size_t k;
	bool found = false;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	tidy_table_init(&t);
	count_row(&t, black(), "", 43, false);
	count_row(&t, black(), "female", 3, true);
	count_row(&t, black(), "male", 40, false);
	count_row(&t, black(), "non-binary or other", 0, false);
	count_row(&t, black(), "sex not known", 0, false);
	assert_int_equal(sdc_check_table(&t, areas, 10, 10, &c, &err), 0);
	for (k = 0; k < c.nproblems; k++)
		if (c.problems[k].kind == SDC_CHECK_NARROW &&
		    c.problems[k].row == 1) {
			found = true;
			assert_true(c.problems[k].low == 3 &&
				    c.problems[k].high == 3);
		}
	assert_true(found);
	sdc_check_free(&c);

	/* without the other sexes' rows their staff are one unknown
	 * (0 or more): the women's count is 0 to 3, still too narrow */
	t.count = 3;
	assert_int_equal(sdc_check_table(&t, areas, 10, 10, &c, &err), 0);
	found = false;
	for (k = 0; k < c.nproblems; k++)
		if (c.problems[k].kind == SDC_CHECK_NARROW &&
		    c.problems[k].row == 1) {
			found = true;
			assert_true(c.problems[k].low == 0 &&
				    c.problems[k].high == 3);
		}
	assert_true(found);
	sdc_check_free(&c);
	tidy_table_free(&t);
	area_set_free(areas);
}

static double white_women[60], white_men[50], black_women[3],
	black_men[40];

/* Pay: everyone on 30,000 but for a spread that keeps groups apart. */
static void aggregates(struct store_aggregates *a, double *white, size_t nw,
		       double *blk, size_t nb)
{
	size_t k;

	memset(a, 0, sizeof(*a));
	for (k = 0; k < nw; k++)
		white[k] = 25000 + 500 * (double)k;
	for (k = 0; k < nb; k++)
		blk[k] = 24000 + 400 * (double)k;
	a->pay[ETH_WBRI] = white;
	a->pay_count[ETH_WBRI] = nw;
	a->pay[ETH_BAFR] = blk;
	a->pay_count[ETH_BAFR] = nb;
	a->events[STORE_EVENT_PROMOTED][ETH_WBRI] =
		(struct store_event_count){ (long)nw / 5, (long)(nw - nw / 5),
					    0 };
	a->events[STORE_EVENT_PROMOTED][ETH_BAFR] =
		(struct store_event_count){ (long)nb / 3, (long)(nb - nb / 3),
					    0 };
	a->submission_count = a->workforce_count = 1;
}

static const struct tidy_row *find_row(const struct tidy_table *t,
				       const char *measure, const char *group,
				       const char *breakdown)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].ethnicity, group) == 0 &&
		    strcmp(t->rows[k].breakdown, breakdown) == 0)
			return &t->rows[k];
	fail_msg("no %s row for %s, %s", measure, group, breakdown);
	return NULL;
}

/* The whole table, all staff and by sex, protected in one call: the
 * women's 3 is withheld, with a complement in each relation it is in, and
 * the checker finds the result safe. */
static void test_protected_with_the_rest(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct store_aggregates all, women, men;
	struct workforce_options opt;
	struct tidy_table in, out;
	struct sdc_options sopt;
	struct sdc_summary sum;
	struct sdc_check c;
	double all_white[110], all_black[43];
	const struct tidy_row *total, *f, *m;
	int brent;
	size_t k;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	brent = area_find(areas, "E09000005");
	aggregates(&women, white_women, 60, black_women, 3);
	aggregates(&men, white_men, 50, black_men, 40);
	aggregates(&all, all_white, 0, all_black, 0);
	memcpy(all_white, white_women, sizeof(white_women));
	memcpy(all_white + 60, white_men, sizeof(white_men));
	memcpy(all_black, black_women, sizeof(black_women));
	memcpy(all_black + 3, black_men, sizeof(black_men));
	all.pay[ETH_WBRI] = all_white;
	all.pay_count[ETH_WBRI] = 110;
	all.pay[ETH_BAFR] = all_black;
	all.pay_count[ETH_BAFR] = 43;
	for (k = 0; k < STORE_EVENT_COUNT; k++) {
		size_t e;

		for (e = 0; e < ETH_COUNT; e++) {
			all.events[k][e].yes = women.events[k][e].yes +
					       men.events[k][e].yes;
			all.events[k][e].no = women.events[k][e].no +
					      men.events[k][e].no;
		}
	}
	/* sorted, as the store gives them */
	for (k = 1; k < 110; k++)
		for (size_t j = k; j > 0 && all_white[j - 1] > all_white[j];
		     j--) {
			double x = all_white[j];

			all_white[j] = all_white[j - 1];
			all_white[j - 1] = x;
		}
	for (k = 1; k < 43; k++)
		for (size_t j = k; j > 0 && all_black[j - 1] > all_black[j];
		     j--) {
			double x = all_black[j];

			all_black[j] = all_black[j - 1];
			all_black[j - 1] = x;
		}
	workforce_options_init(&opt);
	opt.level = ETH_LEVEL_HIGH;
	tidy_table_init(&in);
	assert_int_equal(workforce_measures(&all, NULL, areas, brent, NULL, 0,
					    2024, &opt, &in, &err),
			 0);
	assert_int_equal(workforce_sex_measures(&women, areas, brent, NULL, 0,
						2024, &opt, "female", false,
						&in, &err),
			 0);
	assert_int_equal(workforce_sex_measures(&men, areas, brent, NULL, 0,
						2024, &opt, "male", false, &in,
						&err),
			 0);
	f = find_row(&in, "staff_count", black(), "female");
	assert_true(f->value == 3);

	sdc_options_init(&sopt);
	tidy_table_init(&out);
	assert_int_equal(sdc_protect_table(&in, areas, &sopt, &out, &sum, &err),
			 0);
	assert_int_equal(out.count, in.count);
	total = find_row(&out, "staff_count", black(), "");
	f = find_row(&out, "staff_count", black(), "female");
	m = find_row(&out, "staff_count", black(), "male");
	assert_true(tidy_row_withheld(f, TIDY_VALUE));
	assert_true(isnan(f->value));
	/* 43 - 40 would give it: one of them goes too */
	assert_true(tidy_row_withheld(total, TIDY_VALUE) ||
		    tidy_row_withheld(m, TIDY_VALUE));
	/* so do the women's figures that rest on it */
	assert_true(tidy_row_withheld(
		find_row(&out, "staff_share", black(), "female"), TIDY_VALUE));
	assert_true(tidy_row_withheld(
		find_row(&out, "event_rate", black(), "female; promoted"),
		TIDY_NUMERATOR));
	/* the White staff of all sexes, 110, are nothing to hide */
	assert_false(tidy_row_withheld(
		find_row(&out, "staff_count", "White", ""), TIDY_VALUE));
	assert_true(sum.primary >= 1 && sum.secondary >= 1);
	assert_true(sum.narrowest >= 10);

	assert_int_equal(sdc_check_table(&out, areas, 10, 10, &c, &err), 0);
	for (k = 0; k < c.nproblems; k++)
		fail_msg("problem at row %zu (%s, %s, %s): %g to %g",
			 c.problems[k].row, out.rows[c.problems[k].row].measure,
			 out.rows[c.problems[k].row].ethnicity,
			 out.rows[c.problems[k].row].breakdown,
			 c.problems[k].low, c.problems[k].high);
	sdc_check_free(&c);
	/* unprotected, the checker names the women's 3 */
	assert_int_equal(sdc_check_table(&in, areas, 10, 10, &c, &err), 0);
	assert_true(c.nproblems > 0);
	sdc_check_free(&c);
	tidy_table_free(&out);
	tidy_table_free(&in);
	area_set_free(areas);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_finds_all_less_men),
		cmocka_unit_test(test_protected_with_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
