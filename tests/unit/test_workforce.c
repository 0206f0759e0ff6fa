/*
 * test_workforce.c - the workforce measures on small hand-built aggregates:
 * counts and not known, shares and representation against Census 2021,
 * hourly pay and pay gaps, pay bands, and relative likelihoods, at the
 * detailed and high levels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "domain/benchmark.h"
#include "measure/stats.h"
#include "measure/workforce.h"
#include "table/table.h"
#include "store/store.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define HOURS_A_YEAR (52.143 * 36.0)

#define assert_near(got, want, tol) \
	do { \
		double got_ = (got), want_ = (want); \
		if (!(fabs(got_ - want_) <= (tol) * fmax(1.0, fabs(want_)))) \
			fail_msg("%s = %.17g, want %.17g", #got, got_, want_); \
	} while (0)

#define assert_nan(x) \
	do { \
		if (!isnan(x)) \
			fail_msg("%s = %.17g, want NAN", #x, (double)(x)); \
	} while (0)

/* The hand-built case. Annual salaries:
 *   WBRI 18,000 36,000 54,000 72,000    mean 45,000  median 45,000
 *   AIND 36,000 45,000                  mean 40,500  median 40,500
 *   BAFR 20,000 30,000 100,000          mean 50,000  median 30,000
 *   not known 30,000 40,000; prefer not to say 50,000
 * 12 staff, 9 declared, 3 not declared (25%). */
static double wbri_pay[] = { 18000, 36000, 54000, 72000 };
static double aind_pay[] = { 36000, 45000 };
static double bafr_pay[] = { 20000, 30000, 100000 };
static double nk_pay[] = { 30000, 40000 };
static double pns_pay[] = { 50000 };

static void small_case(struct store_aggregates *a)
{
	memset(a, 0, sizeof(*a));
	a->pay[ETH_WBRI] = wbri_pay;
	a->pay_count[ETH_WBRI] = 4;
	a->pay[ETH_AIND] = aind_pay;
	a->pay_count[ETH_AIND] = 2;
	a->pay[ETH_BAFR] = bafr_pay;
	a->pay_count[ETH_BAFR] = 3;
	a->pay[ETH_NOT_KNOWN] = nk_pay;
	a->pay_count[ETH_NOT_KNOWN] = 2;
	a->pay[ETH_PREFER_NOT_TO_SAY] = pns_pay;
	a->pay_count[ETH_PREFER_NOT_TO_SAY] = 1;
	/* promoted: BAFR 10 of 75, WBRI 12 of 225 (the Katz test vector);
	 * AIND none of 2 */
	a->events[STORE_EVENT_PROMOTED][ETH_BAFR] =
		(struct store_event_count){ 10, 65, 3 };
	a->events[STORE_EVENT_PROMOTED][ETH_WBRI] =
		(struct store_event_count){ 12, 213, 0 };
	a->events[STORE_EVENT_PROMOTED][ETH_AIND] =
		(struct store_event_count){ 0, 2, 0 };
	a->applicants[ETH_WBRI] = (struct store_applicant_count){ 100, 50, 20 };
	a->applicants[ETH_AIND] = (struct store_applicant_count){ 100, 25, 10 };
	a->workforce_count = 1;
}

struct fixture {
	struct area_set *areas;
	struct benchmark *census;
	struct tidy_table t;
	struct workforce_options opt;
	int london;
};

static int setup(void **state)
{
	static struct fixture f;
	struct parity_error err = PARITY_ERROR_INIT;

	memset(&f, 0, sizeof(f));
	if (area_set_load(&f.areas, &err) < 0 ||
	    benchmark_load_census2021(&f.census, f.areas, &err) < 0)
		return -1;
	tidy_table_init(&f.t);
	workforce_options_init(&f.opt);
	/* The hand-built cases have groups of a few staff: the minimum group
	 * size for pay measures is tested on its own. */
	f.opt.pay_min_group = 0;
	f.london = area_london(f.areas);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tidy_table_free(&f->t);
	benchmark_free(f->census);
	area_set_free(f->areas);
	return 0;
}

/* The one row with this measure, ethnicity and breakdown. */
static const struct tidy_row *find(const struct tidy_table *t,
				   const char *measure, const char *eth,
				   const char *breakdown)
{
	const struct tidy_row *found = NULL;
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, measure) == 0 &&
		    strcmp(r->ethnicity, eth) == 0 &&
		    strcmp(r->breakdown, breakdown) == 0) {
			if (found)
				fail_msg("two rows %s / %s / %s", measure, eth,
					 breakdown);
			found = &t->rows[k];
		}
	}
	if (!found)
		fail_msg("no row %s / %s / %s", measure, eth, breakdown);
	return found;
}

static size_t count_rows(const struct tidy_table *t, const char *measure,
			 const char *eth)
{
	size_t k, n = 0;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    (!eth || strcmp(t->rows[k].ethnicity, eth) == 0))
			n++;
	return n;
}

static const char *det(enum ethnicity_id id)
{
	return ethnicity_level_group_label(ETH_LEVEL_DETAILED, (size_t)id);
}

static void run(struct fixture *f, const struct store_aggregates *a,
		const struct store_aggregates *prev)
{
	struct parity_error err = PARITY_ERROR_INIT;

	tidy_table_free(&f->t);
	tidy_table_init(&f->t);
	if (workforce_measures(a, prev, f->areas, f->london, NULL, 0, 2024,
			       &f->opt, &f->t, &err) < 0)
		fail_msg("workforce_measures: %s", err.message);
}

static void test_counts_and_not_known(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a, prev;
	static double prev_pay[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	const struct tidy_row *r;
	struct interval ci;

	small_case(&a);
	/* the year before: 9 declared, 1 not known of 10 (10%) */
	memset(&prev, 0, sizeof(prev));
	prev.pay[ETH_WBRI] = prev_pay;
	prev.pay_count[ETH_WBRI] = 9;
	prev.pay[ETH_NOT_KNOWN] = prev_pay + 9;
	prev.pay_count[ETH_NOT_KNOWN] = 1;
	run(f, &a, &prev);

	r = find(&f->t, "staff_count", det(ETH_WBRI), "");
	assert_near(r->value, 4, 0);
	assert_string_equal(r->area_code, "E12000007");
	assert_string_equal(r->area_type, "region");
	assert_string_equal(r->ethnicity_level, "detailed");
	assert_int_equal(r->year, 2024);
	assert_near(find(&f->t, "staff_count", det(ETH_WOTH), "")->value, 0, 0);
	assert_near(find(&f->t, "staff_count", det(ETH_NOT_KNOWN), "")->value,
		    2, 0);
	assert_near(find(&f->t, "staff_count", det(ETH_PREFER_NOT_TO_SAY),
			 "")->value, 1, 0);
	assert_near(find(&f->t, "staff_count", "All staff", "")->value, 12, 0);
	assert_int_equal(count_rows(&f->t, "staff_count", NULL), 19 + 2 + 1);

	r = find(&f->t, "not_known_rate", "Not known or prefer not to say", "");
	assert_near(r->value, 25.0, 1e-12);
	assert_near(r->numerator, 3, 0);
	assert_near(r->denominator, 12, 0);
	stats_wilson(3, 12, 0.95, &ci);
	assert_near(r->ci_low, 100 * ci.low, 1e-12);
	assert_near(r->ci_high, 100 * ci.high, 1e-12);
	assert_near(find(&f->t, "not_known_rate", det(ETH_NOT_KNOWN), "")->value,
		    100.0 * 2 / 12, 1e-12);
	assert_near(find(&f->t, "not_known_rate", det(ETH_PREFER_NOT_TO_SAY),
			 "")->value, 100.0 / 12, 1e-12);

	r = find(&f->t, "not_known_change_pp", "Not known or prefer not to say",
		 "");
	assert_near(r->value, 15.0, 1e-12);
	assert_true(r->p_value > 0 && r->p_value < 1);
	/* last year's counts, as counts: 1 of 10 (10.0%) */
	assert_near(r->numerator, 1, 1e-12);
	assert_near(r->denominator, 10, 1e-12);
	assert_non_null(strstr(r->note, "all staff in 2023"));

	/* without a previous year there is no change row */
	run(f, &a, NULL);
	assert_int_equal(count_rows(&f->t, "not_known_change_pp", NULL), 0);
}

static void test_shares_and_representation(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_aggregates a;
	const struct tidy_row *r;
	struct interval ci;
	double pop[ETHNICITY_DETAILED_COUNT], total, bs;

	small_case(&a);
	run(f, &a, NULL);
	/* no benchmark: shares only */
	r = find(&f->t, "staff_share", det(ETH_WBRI), "");
	assert_near(r->value, 100.0 * 4 / 9, 1e-12);
	assert_near(r->denominator, 9, 0);
	stats_wilson(4, 9, 0.95, &ci);
	assert_near(r->ci_low, 100 * ci.low, 1e-12);
	assert_near(r->ci_high, 100 * ci.high, 1e-12);
	assert_int_equal(count_rows(&f->t, "staff_share", NULL), 19);
	assert_int_equal(count_rows(&f->t, "representation_ratio", NULL), 0);

	/* with Census 2021: 900 WBRI, 100 AIND, 0 BAFR of 1,000 */
	memset(&a, 0, sizeof(a));
	{
		static double p[1000];
		size_t k;

		for (k = 0; k < 1000; k++)
			p[k] = 30000;
		a.pay[ETH_WBRI] = p;
		a.pay_count[ETH_WBRI] = 900;
		a.pay[ETH_AIND] = p;
		a.pay_count[ETH_AIND] = 100;
	}
	f->opt.benchmark = f->census;
	run(f, &a, NULL);
	f->opt.benchmark = NULL;
	assert_int_equal(benchmark_populations(f->census, f->london,
					       ETH_LEVEL_DETAILED, pop, &total,
					       &err), 0);
	r = find(&f->t, "benchmark_share", det(ETH_AIND), "");
	assert_near(r->value, 100 * pop[ETH_AIND] / total, 1e-12);
	r = find(&f->t, "representation_ratio", det(ETH_AIND), "");
	bs = pop[ETH_AIND] / total;
	stats_wilson(100, 1000, 0.95, &ci);
	assert_near(r->value, 0.1 / bs, 1e-12);
	assert_near(r->ci_low, ci.low / bs, 1e-12);
	assert_near(r->ci_high, ci.high / bs, 1e-12);
	assert_string_equal(r->flag, "over");
	/* score test: z = (0.1 - bs) / sqrt(bs (1 - bs) / 1000) */
	assert_near(r->p_value,
		    erfc(fabs(0.1 - bs) / sqrt(bs * (1 - bs) / 1000) /
			 sqrt(2.0)), 1e-12);
	assert_true(r->p_value < 0.05);
	r = find(&f->t, "representation_ratio", det(ETH_BAFR), "");
	assert_near(r->value, 0, 0);
	assert_near(r->ci_low, 0, 0);
	assert_string_equal(r->flag, "under");
	assert_string_equal(
		find(&f->t, "representation_ratio", det(ETH_WBRI), "")->flag,
		"over");

	/* returns from Brent and Newham only: compared with their residents */
	{
		int covered[2];
		double part[ETHNICITY_DETAILED_COUNT], t, aind = 0, all = 0;
		size_t k;

		covered[0] = area_find(f->areas, "E09000005");
		covered[1] = area_find(f->areas, "E09000025");
		for (k = 0; k < 2; k++) {
			assert_int_equal(benchmark_populations(
						 f->census, covered[k],
						 ETH_LEVEL_DETAILED, part, &t,
						 &err), 0);
			aind += part[ETH_AIND];
			all += t;
		}
		tidy_table_free(&f->t);
		tidy_table_init(&f->t);
		f->opt.benchmark = f->census;
		assert_int_equal(workforce_measures(&a, NULL, f->areas,
						    f->london, covered, 2, 2024,
						    &f->opt, &f->t, &err), 0);
		f->opt.benchmark = NULL;
		r = find(&f->t, "benchmark_share", det(ETH_AIND), "");
		assert_near(r->numerator, aind, 0);
		assert_near(r->denominator, all, 0);
		assert_non_null(strstr(r->note, "2 of 33 authorities"));
		r = find(&f->t, "representation_ratio", det(ETH_AIND), "");
		assert_near(r->value, 0.1 / (aind / all), 1e-12);
		assert_non_null(strstr(find(&f->t, "staff_count", "All staff",
					    "")->note, "2 of 33 authorities"));
	}
}

static void test_pay_and_gaps(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a;
	const struct tidy_row *r;

	small_case(&a);
	run(f, &a, NULL);
	assert_near(find(&f->t, "mean_hourly_pay", det(ETH_WBRI), "")->value,
		    45000 / HOURS_A_YEAR, 1e-12);
	assert_near(find(&f->t, "median_hourly_pay", det(ETH_BAFR), "")->value,
		    30000 / HOURS_A_YEAR, 1e-12);
	/* all 12: the middle two are 36,000 and 40,000 */
	r = find(&f->t, "median_hourly_pay", "All staff", "");
	assert_near(r->value, 38000 / HOURS_A_YEAR, 1e-12);
	assert_near(r->denominator, 12, 0);
	assert_near(find(&f->t, "mean_hourly_pay", "All staff", "")->value,
		    (45000.0 * 4 + 81000 + 150000 + 70000 + 50000) / 12 /
			    HOURS_A_YEAR, 1e-12);
	assert_nan(find(&f->t, "median_hourly_pay", det(ETH_WOTH), "")->value);

	assert_near(find(&f->t, "mean_pay_gap", det(ETH_AIND), "")->value, 10.0,
		    1e-12);
	assert_near(find(&f->t, "median_pay_gap", det(ETH_AIND), "")->value,
		    10.0, 1e-12);
	assert_near(find(&f->t, "mean_pay_gap", det(ETH_BAFR), "")->value,
		    -100.0 / 9, 1e-12);
	r = find(&f->t, "median_pay_gap", det(ETH_BAFR), "");
	assert_near(r->value, 100.0 / 3, 1e-12);
	assert_near(r->numerator, 30000 / HOURS_A_YEAR, 1e-12);
	assert_near(r->denominator, 45000 / HOURS_A_YEAR, 1e-12);
	assert_nan(find(&f->t, "mean_pay_gap", det(ETH_WOTH), "")->value);
	/* no gap row for the reference itself */
	assert_int_equal(count_rows(&f->t, "mean_pay_gap", det(ETH_WBRI)), 0);

	/* the brief's vector: ref {10,12,14,16,20,30}, group {9,11,13,15}
	 * per hour give 29.4% and 20.0% */
	{
		static double ref[6], grp[4];
		static const double rv[6] = { 10, 12, 14, 16, 20, 30 };
		static const double gv[4] = { 9, 11, 13, 15 };
		size_t k;

		for (k = 0; k < 6; k++)
			ref[k] = rv[k] * 52.143 * 35;
		for (k = 0; k < 4; k++)
			grp[k] = gv[k] * 52.143 * 35;
		memset(&a, 0, sizeof(a));
		a.pay[ETH_WBRI] = ref;
		a.pay_count[ETH_WBRI] = 6;
		a.pay[ETH_ACHN] = grp;
		a.pay_count[ETH_ACHN] = 4;
		f->opt.full_time_hours = 35;
		run(f, &a, NULL);
		f->opt.full_time_hours = 36;
		assert_near(find(&f->t, "median_hourly_pay", det(ETH_WBRI), "")
				    ->value, 15.0, 1e-9);
		assert_near(find(&f->t, "mean_pay_gap", det(ETH_ACHN), "")->value,
			    100.0 * (17.0 - 12.0) / 17.0, 1e-9);
		assert_near(find(&f->t, "median_pay_gap", det(ETH_ACHN), "")
				    ->value, 20.0, 1e-9);
	}
}

static void test_bands(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a;
	const struct tidy_row *r;
	char buf[64];

	workforce_band_label(&f->opt, 0, buf, sizeof(buf));
	assert_string_equal(buf, "< \xC2\xA3" "20,000");
	workforce_band_label(&f->opt, 4, buf, sizeof(buf));
	assert_string_equal(buf, "\xC2\xA3" "50,000\xE2\x80\x93\xC2\xA3" "59,999");
	workforce_band_label(&f->opt, 9, buf, sizeof(buf));
	assert_string_equal(buf, "\xC2\xA3" "100,000 and over");

	small_case(&a);
	run(f, &a, NULL);
	assert_int_equal(count_rows(&f->t, "band_share", NULL), 10 * 19);
	r = find(&f->t, "band_share", det(ETH_WBRI), "< \xC2\xA3" "20,000");
	assert_near(r->value, 100, 0);
	assert_near(r->denominator, 1, 0);
	/* 30,000-39,999: WBRI 36,000, AIND 36,000, BAFR 30,000 (not known
	 * 30,000 stays out) */
	r = find(&f->t, "band_share", det(ETH_AIND),
		 "\xC2\xA3" "30,000\xE2\x80\x93\xC2\xA3" "39,999");
	assert_near(r->value, 100.0 / 3, 1e-12);
	assert_near(r->numerator, 1, 0);
	assert_near(r->denominator, 3, 0);
	r = find(&f->t, "band_share", det(ETH_BAFR),
		 "\xC2\xA3" "100,000 and over");
	assert_near(r->value, 100, 0);
	r = find(&f->t, "band_share", det(ETH_BAFR),
		 "\xC2\xA3" "80,000\xE2\x80\x93\xC2\xA3" "89,999");
	assert_nan(r->value);
	assert_non_null(strstr(r->note, "not calculable"));
}

/* Fill `v` with `n` copies of `x` from `at`; returns the new end. */
static size_t fill(double *v, size_t at, size_t n, double x)
{
	size_t k;

	for (k = 0; k < n; k++)
		v[at + k] = x;
	return at + n;
}

static void test_glass_ceiling(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a;
	static double w[130], o[80];
	const struct tidy_row *r;
	struct ztest_result z;
	size_t n;
	double p;

	/* White British: 20 at £25,000, 50 at £35,000, 10 at £45,000, 50 at
	 * £55,000; all others: 20 at £25,000, 50 at £35,000, 10 at £55,000.
	 * Boundaries with 10 declared staff on each side: £30,000, £40,000,
	 * £50,000. The others' share falls most significantly at £40,000:
	 * 10/70 at or above against 70/140 below (z = -5.02). */
	n = fill(w, 0, 20, 25000);
	n = fill(w, n, 50, 35000);
	n = fill(w, n, 10, 45000);
	n = fill(w, n, 50, 55000);
	assert_int_equal(n, 130);
	n = fill(o, 0, 20, 25000);
	n = fill(o, n, 50, 35000);
	n = fill(o, n, 10, 55000);
	memset(&a, 0, sizeof(a));
	a.pay[ETH_WBRI] = w;
	a.pay_count[ETH_WBRI] = 130;
	a.pay[ETH_AIND] = o;
	a.pay_count[ETH_AIND] = 80;
	f->opt.level = ETH_LEVEL_WHITE_BRITISH_BINARY;
	run(f, &a, NULL);
	f->opt.level = ETH_LEVEL_DETAILED;
	r = find(&f->t, "glass_ceiling",
		 "All other ethnic groups combined (including White minorities)",
		 "\xC2\xA3" "40,000\xE2\x80\x93\xC2\xA3" "49,999");
	assert_near(r->value, (10.0 / 70) / (70.0 / 140), 1e-12);
	/* the counts from the boundary up: 10 of the group, 70 declared */
	assert_near(r->numerator, 10, 1e-12);
	assert_near(r->denominator, 70, 1e-12);
	stats_two_proportion_ztest(10, 70, 70, 140, &z);
	assert_near(z.z, -5.023980952928127, 1e-9);
	/* Bonferroni over 3 boundaries, then Holm over 2 groups (White
	 * British's own p is larger) */
	p = fmin(1.0, 2 * fmin(1.0, 3 * z.p_less));
	assert_near(r->p_value, p, 1e-12);
	assert_string_equal(r->flag, "ceiling");
	assert_non_null(strstr(r->note, "3 tested"));
	/* White British's share rises: no ceiling */
	assert_int_equal(count_rows(&f->t, "glass_ceiling", "White British"), 1);

	/* too few staff: every group is reported as not tested */
	small_case(&a);
	run(f, &a, NULL);
	assert_int_equal(count_rows(&f->t, "glass_ceiling", NULL), 19);
	r = find(&f->t, "glass_ceiling", det(ETH_AIND), "");
	assert_nan(r->value);
	assert_non_null(strstr(r->note, "not tested: fewer than 10"));
	r = find(&f->t, "glass_ceiling", det(ETH_WOTH), "");
	assert_non_null(strstr(r->note, "no staff in this group"));
}

static void test_pay_quartiles(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a;
	/* (W,10)(E,11)(W,12)(W,12)(E,12)(E,12)(W,14)(E,20): every quartile
	 * is 50% W when the tied block at 12 is split in proportion */
	static double w[4] = { 10000, 12000, 12000, 14000 };
	static double e[4] = { 11000, 12000, 12000, 20000 };
	static const char *const q[4] = {
		"lower quartile", "lower middle quartile",
		"upper middle quartile", "upper quartile"
	};
	size_t k;

	memset(&a, 0, sizeof(a));
	a.pay[ETH_WBRI] = w;
	a.pay_count[ETH_WBRI] = 4;
	a.pay[ETH_BAFR] = e;
	a.pay_count[ETH_BAFR] = 4;
	a.pay[ETH_NOT_KNOWN] = e; /* not known stays out of the ranking */
	a.pay_count[ETH_NOT_KNOWN] = 4;
	f->opt.level = ETH_LEVEL_WHITE_BRITISH_BINARY;
	run(f, &a, NULL);
	f->opt.level = ETH_LEVEL_DETAILED;
	for (k = 0; k < 4; k++) {
		const struct tidy_row *r =
			find(&f->t, "pay_quartile_share", "White British", q[k]);

		assert_near(r->value, 50.0, 1e-12);
		assert_near(r->denominator, 2, 0);
	}
}

static struct tidy_row *put(struct tidy_table *t, const char *measure,
			     const char *code, const char *type,
			     const char *breakdown, double value, double n,
			     double lo, double hi)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, code);
	r->area_name = tidy_table_intern(t, code);
	r->area_type = tidy_table_intern(t, type);
	r->year = 2024;
	r->ethnicity = tidy_table_intern(t, "Black");
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->breakdown = tidy_table_intern(t, breakdown);
	r->value = value;
	r->denominator = n;
	r->ci_low = lo;
	r->ci_high = hi;
	return r;
}

static void test_funnel(void **state)
{
	struct tidy_table london, t;
	const struct tidy_row *r;
	double z95 = 1.959963984540054, se;

	(void)state;
	tidy_table_init(&london);
	tidy_table_init(&t);
	put(&london, "not_known_rate", "E12000007", "region", "", 10, 5000,
	    NAN, NAN);
	put(&london, "relative_likelihood", "E12000007", "region", "promoted",
	    1.0, NAN, 0.9, 1.1);
	put(&london, "staff_share", "E12000007", "region", "", 30, 5000, NAN,
	    NAN);
	/* a borough: 20% not known of 100 staff; a likelihood of 2.0 with
	 * Katz interval 1.2 to 3.3333 */
	put(&t, "not_known_rate", "E09000005", "borough", "", 20, 100, NAN,
	    NAN);
	put(&t, "relative_likelihood", "E09000005", "borough", "promoted", 2.0,
	    NAN, 1.2, 10.0 / 3);
	put(&t, "staff_share", "E09000005", "borough", "", 50, 100, NAN, NAN);
	put(&t, "not_known_rate", "E13000001", "subregion", "", 20, 100, NAN,
	    NAN);
	workforce_funnel(&london, &t, 0);
	assert_int_equal(t.count, 4 + 2);
	/* 10% +/- 1.96 sqrt(0.1 x 0.9 / 100) = 4.12% to 15.88%; at 99.8%
	 * +/- 3.09 x 3% reaches only 19.27%: above the outer limit */
	r = &t.rows[4];
	assert_string_equal(r->measure, "funnel_position");
	assert_string_equal(r->area_code, "E09000005");
	assert_string_equal(r->breakdown, "not_known_rate");
	assert_near(r->value, 20, 0);
	assert_near(r->numerator, 10, 0);
	assert_near(r->ci_low, 100 * (0.1 - z95 * 0.03), 1e-9);
	assert_near(r->ci_high, 100 * (0.1 + z95 * 0.03), 1e-9);
	assert_string_equal(r->flag, "above_99.8");
	/* se = ln(3.3333 / 1.2) / (2 x 1.96) = 0.2606: 95% limits 0.60 to
	 * 1.67, 99.8% to 2.24; 2.0 lies between */
	r = &t.rows[5];
	assert_string_equal(r->breakdown, "relative_likelihood: promoted");
	se = log((10.0 / 3) / 1.2) / (2 * z95);
	assert_near(r->ci_high, exp(z95 * se), 1e-9);
	assert_near(r->ci_low, exp(-z95 * se), 1e-9);
	assert_string_equal(r->flag, "above_95");
	tidy_table_free(&london);
	tidy_table_free(&t);
}

static void test_relative_likelihoods(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a;
	const struct tidy_row *r;

	/* every member of a group had the event: the ratio, but no interval
	 * (Katz would give 2.5 to about 3.0 for a single person) */
	small_case(&a);
	a.events[STORE_EVENT_TRAINING][ETH_AIND] =
		(struct store_event_count){ 2, 0, 0 };
	a.events[STORE_EVENT_TRAINING][ETH_WBRI] =
		(struct store_event_count){ 100, 150, 0 };
	run(f, &a, NULL);
	r = find(&f->t, "relative_likelihood", det(ETH_AIND), "training");
	assert_near(r->value, 2.5, 1e-12);
	assert_nan(r->ci_low);
	assert_nan(r->p_value);
	assert_string_equal(r->flag, "");
	assert_non_null(strstr(r->note, "every member of the group"));

	small_case(&a);
	run(f, &a, NULL);
	r = find(&f->t, "relative_likelihood", det(ETH_BAFR), "promoted");
	assert_near(r->value, 2.5, 1e-12);
	assert_near(r->ci_low, 1.126156400, 1e-8);
	assert_near(r->ci_high, 5.549850801, 1e-8);
	assert_true(r->p_value < 0.05);
	assert_string_equal(r->flag, "significant");
	assert_near(r->numerator, 100.0 * 10 / 75, 1e-12);
	assert_near(r->denominator, 100.0 * 12 / 225, 1e-12);
	r = find(&f->t, "relative_likelihood", det(ETH_AIND), "promoted");
	assert_near(r->value, 0, 0);
	assert_nan(r->ci_low);
	assert_string_equal(r->flag, "");
	assert_non_null(strstr(r->note, "not calculable"));
	/* no events at all for the reference: not calculable */
	assert_nan(find(&f->t, "relative_likelihood", det(ETH_BAFR), "left")
			   ->value);
	r = find(&f->t, "relative_likelihood", det(ETH_AIND),
		 "shortlisted from applying");
	assert_near(r->value, 0.5, 1e-12);
	assert_string_equal(r->flag, "significant");
	r = find(&f->t, "relative_likelihood", det(ETH_AIND),
		 "appointed from shortlisting");
	assert_near(r->value, 1.0, 1e-12);
	assert_string_equal(r->flag, "");
	assert_int_equal(count_rows(&f->t, "relative_likelihood", det(ETH_WBRI)),
			 0);
	assert_int_equal(count_rows(&f->t, "wres_relative_likelihood", NULL), 0);

	/* the WRES orientation when asked: White British 200 of 1,000
	 * shortlisted appointed, Indian 50 of 500: 2.00 */
	a.applicants[ETH_WBRI] = (struct store_applicant_count){ 2000, 1000,
								 200 };
	a.applicants[ETH_AIND] = (struct store_applicant_count){ 1000, 500, 50 };
	f->opt.wres = true;
	run(f, &a, NULL);
	f->opt.wres = false;
	r = find(&f->t, "wres_relative_likelihood", det(ETH_AIND),
		 "appointed from shortlisting");
	assert_near(r->value, 2.0, 1e-12);
	assert_near(r->numerator, 20, 1e-12);
	assert_near(r->denominator, 10, 1e-12);
	assert_string_equal(r->flag, "significant");
	assert_near(find(&f->t, "relative_likelihood", det(ETH_AIND),
			 "appointed from shortlisting")->value, 0.5, 1e-12);
	assert_near(find(&f->t, "wres_relative_likelihood", det(ETH_BAFR),
			 "promoted")->value, 0.4, 1e-12);
}

/* Groups below the minimum for pay measures are given combined: with
 * their high-level group, or as a last resort with every group other than
 * the reference. */
static void test_pay_min_group(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a;
	static double apkn_pay[] = { 27000 };
	const char *asian =
		ethnicity_level_group_label(ETH_LEVEL_HIGH, ETH_GROUP_ASIAN);
	const char *others = ethnicity_level_group_label(
		ETH_LEVEL_WHITE_BRITISH_BINARY, 1);
	const struct tidy_row *r;

	/* minimum 3: Indian (2 staff) is too small, and so is Asian as a
	 * whole, so the last resort combines everyone but White British:
	 * Indian and African, 36,000 45,000 20,000 30,000 100,000 */
	small_case(&a);
	f->opt.pay_min_group = 3;
	run(f, &a, NULL);
	r = find(&f->t, "mean_hourly_pay", det(ETH_AIND), "");
	assert_nan(r->value);
	assert_near(r->denominator, 2, 0);
	assert_non_null(strstr(r->note, "fewer than 3 staff"));
	assert_nan(find(&f->t, "mean_pay_gap", det(ETH_AIND), "")->value);
	assert_near(find(&f->t, "mean_pay_gap", det(ETH_BAFR), "")->value,
		    (45000.0 - 50000) / 45000 * 100, 1e-12);
	assert_int_equal(count_rows(&f->t, "mean_pay_gap", asian), 0);
	r = find(&f->t, "mean_hourly_pay", others, "");
	assert_string_equal(r->ethnicity_level, "white-british-binary");
	assert_near(r->value, 46200 / HOURS_A_YEAR, 1e-12);
	assert_near(r->denominator, 5, 0);
	assert_non_null(strstr(r->note, "last resort"));
	assert_non_null(strstr(r->note, "AIND"));
	r = find(&f->t, "median_pay_gap", others, "");
	assert_near(r->value, (45000.0 - 36000) / 45000 * 100, 1e-12);
	assert_non_null(strstr(r->note, "hides the differences"));

	/* minimum 2 and one Pakistani member of staff: Pakistani is too
	 * small, Asian combined (3 staff) is not */
	small_case(&a);
	a.pay[ETH_APKN] = apkn_pay;
	a.pay_count[ETH_APKN] = 1;
	f->opt.pay_min_group = 2;
	run(f, &a, NULL);
	assert_nan(find(&f->t, "median_hourly_pay", det(ETH_APKN), "")->value);
	assert_near(find(&f->t, "mean_pay_gap", det(ETH_AIND), "")->value, 10.0,
		    1e-12);
	r = find(&f->t, "mean_pay_gap", asian, "");
	assert_string_equal(r->ethnicity_level, "high");
	assert_near(r->value, (45000.0 - 36000) / 45000 * 100, 1e-12);
	assert_non_null(strstr(r->note, "AIND, APKN, ABAN, ACHN, AOTH"));
	assert_int_equal(count_rows(&f->t, "mean_pay_gap", others), 0);
	assert_int_equal(count_rows(&f->t, "mean_pay_gap",
				    ethnicity_level_group_label(
					    ETH_LEVEL_HIGH, ETH_GROUP_WHITE)),
			 0);

	/* 0 turns it off */
	f->opt.pay_min_group = 0;
	run(f, &a, NULL);
	assert_near(find(&f->t, "mean_hourly_pay", det(ETH_APKN), "")->value,
		    27000 / HOURS_A_YEAR, 1e-12);
	assert_int_equal(count_rows(&f->t, "mean_pay_gap", asian), 0);
}

/* Year-on-year change in shares, and a series that crosses the 2011 ->
 * 2021 classification change. */
static void test_share_change_across_classification(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates a, prev;
	static double one[] = { 30000 }, two[] = { 30000, 31000 };
	static double prev_pay[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	const struct tidy_row *r;
	struct ztest_result z;

	/* now: 12 declared, Roma 1 and Other White 2; the year before: 10
	 * declared, White British 6 and Other White 4 */
	small_case(&a);
	a.pay[ETH_WROM] = one;
	a.pay_count[ETH_WROM] = 1;
	a.pay[ETH_WOTH] = two;
	a.pay_count[ETH_WOTH] = 2;
	a.submission_count = 1;
	memset(&prev, 0, sizeof(prev));
	prev.pay[ETH_WBRI] = prev_pay;
	prev.pay_count[ETH_WBRI] = 6;
	prev.pay[ETH_WOTH] = prev_pay + 6;
	prev.pay_count[ETH_WOTH] = 4;
	prev.submission_count = 1;

	/* both years in 2021 categories: each group on its own */
	run(f, &a, &prev);
	r = find(&f->t, "staff_share_change_pp", det(ETH_WOTH), "");
	assert_near(r->value, 100.0 * 2 / 12 - 40.0, 1e-12);
	/* last year's counts: 4 of 10 declared (40%) */
	assert_near(r->numerator, 4, 1e-12);
	assert_near(r->denominator, 10, 1e-12);
	assert_null(strstr(r->note, "break"));
	r = find(&f->t, "staff_share_change_pp", det(ETH_WROM), "");
	assert_near(r->value, 100.0 / 12, 1e-12);
	assert_int_equal(count_rows(&f->t, "staff_share_change_pp",
				    WORKFORCE_2011_OTHER_WHITE), 0);
	r = find(&f->t, "staff_share_change_pp", det(ETH_WBRI), "");
	assert_near(r->value, 100.0 * 4 / 12 - 60.0, 1e-12);
	assert_int_equal(stats_two_proportion_ztest(4, 12, 6, 10, &z),
			 STATS_OK);
	assert_near(r->p_value, z.p_two_sided, 1e-12);

	/* the year before in 2011 categories: Roma and Other White are
	 * compared combined, and every row flags the break */
	prev.classification_2011_count = 1;
	run(f, &a, &prev);
	assert_int_equal(count_rows(&f->t, "staff_share_change_pp",
				    det(ETH_WROM)), 0);
	assert_int_equal(count_rows(&f->t, "staff_share_change_pp",
				    det(ETH_WOTH)), 0);
	r = find(&f->t, "staff_share_change_pp", WORKFORCE_2011_OTHER_WHITE, "");
	assert_near(r->value, 100.0 * 3 / 12 - 40.0, 1e-12);
	assert_non_null(strstr(r->note, "break in series"));
	assert_non_null(strstr(r->note, "crosswalk"));
	assert_int_equal(stats_two_proportion_ztest(3, 12, 4, 10, &z),
			 STATS_OK);
	assert_near(r->p_value, z.p_two_sided, 1e-12);
	r = find(&f->t, "staff_share_change_pp", det(ETH_WBRI), "");
	assert_non_null(strstr(r->note, "break in series: 2011 categories "
				       "used by 1 of 1 returns in 2023"));

	/* this year in 2011 categories: its Roma and Other White shares
	 * say so */
	prev.classification_2011_count = 0;
	a.classification_2011_count = 1;
	run(f, &a, &prev);
	assert_non_null(strstr(find(&f->t, "staff_share", det(ETH_WROM),
				    "")->note,
			       "1 of 1 returns used 2011 categories"));
	assert_null(strstr(find(&f->t, "staff_share", det(ETH_WBRI), "")->note,
			   "2011"));

	/* at the high level there is nothing to merge, but the break is
	 * still flagged */
	f->opt.level = ETH_LEVEL_HIGH;
	run(f, &a, &prev);
	f->opt.level = ETH_LEVEL_DETAILED;
	r = find(&f->t, "staff_share_change_pp",
		 ethnicity_level_group_label(ETH_LEVEL_HIGH, ETH_GROUP_WHITE),
		 "");
	assert_near(r->value, 100.0 * 7 / 12 - 100.0, 1e-12);
	assert_non_null(strstr(r->note, "break in series"));
}

static void test_high_level(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_aggregates a;
	const char *white, *asian, *black;
	size_t ref;

	small_case(&a);
	f->opt.level = ETH_LEVEL_HIGH;
	run(f, &a, NULL);
	white = ethnicity_level_group_label(ETH_LEVEL_HIGH, ETH_GROUP_WHITE);
	asian = ethnicity_level_group_label(ETH_LEVEL_HIGH, ETH_GROUP_ASIAN);
	black = ethnicity_level_group_label(ETH_LEVEL_HIGH, ETH_GROUP_BLACK);
	assert_near(find(&f->t, "staff_count", asian, "")->value, 2, 0);
	assert_string_equal(find(&f->t, "staff_count", asian, "")->ethnicity_level,
			    "high");
	assert_int_equal(count_rows(&f->t, "staff_share", NULL), 5);
	/* the default reference at high level is White */
	assert_near(find(&f->t, "mean_pay_gap", asian, "")->value, 10.0, 1e-12);
	assert_near(find(&f->t, "relative_likelihood", black, "promoted")->value,
		    2.5, 1e-12);
	assert_int_equal(count_rows(&f->t, "mean_pay_gap", white), 0);

	/* another reference: Asian */
	assert_int_equal(workforce_reference_parse("a", ETH_LEVEL_HIGH, &ref,
						   &err), 0);
	assert_int_equal(ref, ETH_GROUP_ASIAN);
	f->opt.reference = ref;
	run(f, &a, NULL);
	assert_near(find(&f->t, "mean_pay_gap", white, "")->value,
		    (40500.0 - 45000.0) / 40500.0 * 100, 1e-12);
	f->opt.reference = WORKFORCE_REFERENCE_DEFAULT;

	/* binary levels carry their note */
	f->opt.level = ETH_LEVEL_WHITE_BRITISH_BINARY;
	run(f, &a, NULL);
	assert_non_null(strstr(find(&f->t, "staff_count", "White British", "")
				       ->note, "White minorities"));
	assert_near(find(&f->t, "staff_count", "White British", "")->value, 4,
		    0);
	f->opt.level = ETH_LEVEL_DETAILED;
}

static void test_reference_parse_and_errors(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_aggregates a;
	size_t ref;

	assert_int_equal(workforce_reference_parse("wbri", ETH_LEVEL_DETAILED,
						   &ref, &err), 0);
	assert_int_equal(ref, ETH_WBRI);
	assert_int_equal(workforce_reference_parse("White British",
						   ETH_LEVEL_DETAILED, &ref,
						   &err), 0);
	assert_int_equal(ref, ETH_WBRI);
	assert_int_equal(workforce_reference_parse("Indian", ETH_LEVEL_DETAILED,
						   &ref, &err), 0);
	assert_int_equal(ref, ETH_AIND);
	assert_int_equal(workforce_reference_parse(
				 "Asian, Asian British or Asian Welsh",
				 ETH_LEVEL_HIGH, &ref, &err), 0);
	assert_int_equal(ref, ETH_GROUP_ASIAN);
	assert_int_equal(workforce_reference_parse("Indian", ETH_LEVEL_HIGH,
						   &ref, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);
	assert_non_null(strstr(err.message, "Indian"));

	/* no staff at all */
	memset(&a, 0, sizeof(a));
	parity_error_clear(&err);
	assert_int_equal(workforce_measures(&a, NULL, f->areas, f->london, NULL,
					    0, 2024, &f->opt, &f->t, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	/* bad hours */
	small_case(&a);
	f->opt.full_time_hours = 0;
	assert_int_equal(workforce_measures(&a, NULL, f->areas, f->london, NULL,
					    0, 2024, &f->opt, &f->t, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);
	f->opt.full_time_hours = 36;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_not_known),
		cmocka_unit_test(test_shares_and_representation),
		cmocka_unit_test(test_pay_and_gaps),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_glass_ceiling),
		cmocka_unit_test(test_pay_quartiles),
		cmocka_unit_test(test_relative_likelihoods),
		cmocka_unit_test(test_funnel),
		cmocka_unit_test(test_pay_min_group),
		cmocka_unit_test(test_share_change_across_classification),
		cmocka_unit_test(test_high_level),
		cmocka_unit_test(test_reference_parse_and_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
