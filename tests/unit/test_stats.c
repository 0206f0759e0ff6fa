/*
 * test_stats.c - intervals, tests, adjustments, funnel limits, averages and
 * pay quartiles: the test vectors of the measures brief, hand-worked edge
 * cases, and the reference values from statsmodels and R in
 * tests/reference/ (see tests/reference/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "measure/stats.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* --- Helpers ----------------------------------------------------------- */

/* |got - want| <= tol * max(1, |want|): absolute for values up to 1
 * (proportions, p-values), relative above (ratios, counts, z). */
static bool near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * fmax(1.0, fabs(want));
}

#define assert_near(got, want, tol) \
	do { \
		double got_ = (got), want_ = (want); \
		if (!near(got_, want_, (tol))) \
			fail_msg("%s = %.17g, want %.17g", #got, got_, want_); \
	} while (0)

/* Relative agreement, for the test vectors quoted to 9-10 digits. */
#define assert_rel(got, want, tol) \
	do { \
		double got_ = (got), want_ = (want); \
		if (!(fabs(got_ - want_) <= (tol) * fabs(want_))) \
			fail_msg("%s = %.17g, want %.17g", #got, got_, want_); \
	} while (0)

#define assert_nan(x) \
	do { \
		if (!isnan(x)) \
			fail_msg("%s = %.17g, want NAN", #x, (double)(x)); \
	} while (0)

/* --- Reference values from statsmodels and R --------------------------- */

struct ref_case {
	const char *id;
	const char *function; /* a suffix "_edge" marks a not-calculable case */
	size_t nin;
	double in[10];
	size_t nout;
	double out[10];
};

static const struct ref_case reference[] = {
#include "../reference/stats_reference.inc"
};

/* Tolerance of the reference comparison (see near()). */
#define REF_TOL 1e-6

/* Run case `c`, writing its results in the order of c->out. Returns false
 * for a function name it does not know. */
static bool run_case(const struct ref_case *c, double *got,
		     enum stats_status *status)
{
	const double *in = c->in;
	const char *f = c->function;
	struct interval iv;
	struct ratio_result r;
	struct ztest_result z;

	if (strcmp(f, "wilson") == 0 || strcmp(f, "clopper_pearson") == 0 ||
	    strcmp(f, "poisson_exact") == 0 || strcmp(f, "byar") == 0 ||
	    strcmp(f, "funnel_proportion") == 0 ||
	    strcmp(f, "funnel_ratio") == 0) {
		if (strcmp(f, "wilson") == 0)
			*status = stats_wilson(in[0], in[1], in[2], &iv);
		else if (strcmp(f, "clopper_pearson") == 0)
			*status = stats_clopper_pearson(in[0], in[1], in[2], &iv);
		else if (strcmp(f, "poisson_exact") == 0)
			*status = stats_poisson_exact(in[0], in[1], &iv);
		else if (strcmp(f, "byar") == 0)
			*status = stats_byar(in[0], in[1], &iv);
		else if (strcmp(f, "funnel_proportion") == 0)
			*status = stats_funnel_proportion(in[0], in[1], in[2], &iv);
		else
			*status = stats_funnel_ratio(in[0], in[1], in[2], &iv);
		got[0] = iv.low;
		got[1] = iv.high;
		return true;
	}
	if (strcmp(f, "katz") == 0 || strcmp(f, "katz_edge") == 0) {
		*status = stats_risk_ratio_katz(in[0], in[1], in[2], in[3], in[4], &r);
		got[0] = r.ratio;
		got[1] = r.se_log;
		got[2] = r.ci.low;
		got[3] = r.ci.high;
		got[4] = r.p_value;
		return true;
	}
	if (strcmp(f, "rate_exact") == 0 || strcmp(f, "rate_exact_edge") == 0) {
		*status = stats_rate_ratio_exact(in[0], in[1], in[2], in[3], in[4], &r);
		got[0] = r.ratio;
		got[1] = r.ci.low;
		got[2] = r.ci.high;
		got[3] = r.p_value;
		return true;
	}
	if (strcmp(f, "ztest") == 0 || strcmp(f, "ztest_edge") == 0) {
		*status = stats_two_proportion_ztest(in[0], in[1], in[2], in[3], &z);
		got[0] = z.z;
		got[1] = z.p_two_sided;
		got[2] = z.p_greater;
		got[3] = z.p_less;
		return true;
	}
	if (strcmp(f, "bonferroni") == 0 || strcmp(f, "holm") == 0) {
		*status = f[0] == 'b' ? stats_bonferroni(in, c->nin, got)
				      : stats_holm(in, c->nin, got);
		return true;
	}
	return false;
}

/*
 * Every reference case. Where the package gives a number, parity gives the
 * same number to REF_TOL; where it gives nan or an infinity, parity gives
 * NAN (never an infinity). In an "_edge" case parity reports "not
 * calculable" and may leave NAN where the package still prints a number (a
 * Katz interval (0, nan) or a degenerate (1, 1)); its status says why.
 */
static void test_reference_values(void **state)
{
	size_t i, k, n = sizeof(reference) / sizeof(reference[0]);

	(void)state;
	assert_true(n >= 100);
	for (i = 0; i < n; i++) {
		const struct ref_case *c = &reference[i];
		bool edge = strstr(c->function, "_edge") != NULL;
		enum stats_status status = STATS_OK;
		double got[10];

		for (k = 0; k < 10; k++)
			got[k] = NAN;
		if (!run_case(c, got, &status))
			fail_msg("%s: unknown function %s", c->id, c->function);
		if (edge ? status == STATS_OK : status != STATS_OK)
			fail_msg("%s: status %d", c->id, (int)status);
		for (k = 0; k < c->nout; k++) {
			double want = c->out[k];

			if (isinf(got[k]))
				fail_msg("%s: output %zu is infinite", c->id, k);
			if (!isfinite(want)) {
				if (!isnan(got[k]))
					fail_msg("%s: output %zu = %.17g, want NAN",
						 c->id, k, got[k]);
			} else if (!(edge && isnan(got[k])) &&
				   !near(got[k], want, REF_TOL)) {
				fail_msg("%s: output %zu = %.17g, want %.17g",
					 c->id, k, got[k], want);
			}
		}
	}
}

/* --- The test vectors of the measures brief ---------------------------- */

static void test_vectors_katz(void **state)
{
	struct ratio_result r;

	(void)state;
	assert_int_equal(stats_risk_ratio_katz(10, 75, 12, 225, STATS_CONF95, &r),
			 STATS_OK);
	assert_rel(r.ratio, 2.5, 1e-12);
	assert_rel(r.se_log, 0.4068851872, 1e-9);
	assert_rel(r.ci.low, 1.126156400, 1e-9);
	assert_rel(r.ci.high, 5.549850801, 1e-9);
	/* WRES orientation: White 200/1000 against BME 50/500. */
	assert_int_equal(stats_risk_ratio_katz(200, 1000, 50, 500, STATS_CONF95, &r),
			 STATS_OK);
	assert_rel(r.ratio, 2.0, 1e-12);
	/* Four-fifths: 21/50 against 48/80. */
	stats_risk_ratio_katz(21, 50, 48, 80, STATS_CONF95, &r);
	assert_rel(r.ratio, 0.70, 1e-12);
	/* Stop and search: 38/1000 against 7/1000. */
	stats_risk_ratio_katz(38, 1000, 7, 1000, STATS_CONF95, &r);
	assert_rel(r.ratio, 38.0 / 7.0, 1e-12);
	assert_near(round(r.ratio * 100) / 100, 5.43, 1e-12);
}

static void test_vectors_proportions(void **state)
{
	struct interval iv;

	(void)state;
	assert_int_equal(stats_wilson(10, 75, STATS_CONF95, &iv), STATS_OK);
	assert_rel(iv.low, 0.0740658470, 1e-9);
	assert_rel(iv.high, 0.2283316374, 1e-9);
	assert_int_equal(stats_wilson(0, 20, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.low == 0.0);
	assert_rel(iv.high, 0.1611251581, 1e-9);
	assert_int_equal(stats_wilson(50, 100, STATS_CONF95, &iv), STATS_OK);
	assert_rel(iv.low, 0.4038315304, 1e-9);
	assert_rel(iv.high, 0.5961684696, 1e-9);
	assert_int_equal(stats_clopper_pearson(10, 75, STATS_CONF95, &iv), STATS_OK);
	assert_rel(iv.low, 0.0658338337, 1e-9);
	assert_rel(iv.high, 0.2315664419, 1e-9);
	assert_int_equal(stats_clopper_pearson(0, 20, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.low == 0.0);
	assert_rel(iv.high, 0.1684334710, 1e-9);
}

static void test_vectors_byar(void **state)
{
	struct interval iv;

	(void)state;
	assert_int_equal(stats_byar(20, STATS_CONF95, &iv), STATS_OK);
	assert_rel(iv.low, 12.21142883, 1e-9);
	assert_rel(iv.high, 30.88988037, 1e-9);
	assert_int_equal(stats_byar(100, STATS_CONF95, &iv), STATS_OK);
	assert_rel(iv.low, 81.36210549, 1e-9);
	assert_rel(iv.high, 121.62793758, 1e-9);
}

static void test_vectors_pay_gaps(void **state)
{
	const double ref[] = { 10, 12, 14, 16, 20, 30 };
	const double grp[] = { 9, 11, 13, 15 };
	double mean_ref = stats_mean(ref, 6), mean_grp = stats_mean(grp, 4);
	double med_ref = stats_median_sorted(ref, 6);
	double med_grp = stats_median_sorted(grp, 4);

	(void)state;
	assert_near(mean_ref, 17.0, 1e-15);
	assert_near(mean_grp, 12.0, 1e-15);
	assert_near(round((mean_ref - mean_grp) / mean_ref * 1000) / 10, 29.4, 1e-12);
	assert_near(med_ref, 15.0, 1e-15);
	assert_near(med_grp, 12.0, 1e-15);
	assert_near((med_ref - med_grp) / med_ref * 100, 20.0, 1e-12);
}

/* (W,10)(E,11)(W,12)(W,12)(E,12)(E,12)(W,14)(E,20): every quartile is half
 * W. A naive split of the sorted list would give Q2 two W and Q3 two E. */
static void test_vectors_quartile_ties(void **state)
{
	const double pay[] = { 10, 11, 12, 12, 12, 12, 14, 20 };
	const size_t group[] = { 0, 1, 0, 0, 1, 1, 0, 1 };
	double counts[4 * 2];
	size_t q;

	(void)state;
	assert_int_equal(stats_pay_quartiles(pay, group, 8, 2, counts), STATS_OK);
	for (q = 0; q < 4; q++) {
		assert_near(counts[q * 2 + 0], 1.0, 1e-15);
		assert_near(counts[q * 2 + 1], 1.0, 1e-15);
	}
}

/* --- Edge cases, by function ------------------------------------------- */

static void test_wilson_edges(void **state)
{
	struct interval iv;

	(void)state;
	assert_int_equal(stats_wilson(0, 0, STATS_CONF95, &iv), STATS_NO_DENOMINATOR);
	assert_nan(iv.low);
	assert_nan(iv.high);
	assert_int_equal(stats_wilson(20, 20, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.high == 1.0);
	assert_true(iv.low > 0.8 && iv.low < 1.0);
	assert_int_equal(stats_wilson(0, 1, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.low == 0.0);
	/* Pooled (fractional) counts are allowed. */
	assert_int_equal(stats_wilson(2.5, 7.5, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.low < 1.0 / 3.0 && iv.high > 1.0 / 3.0);
	assert_int_equal(stats_wilson(3, 2, STATS_CONF95, &iv), STATS_INVALID);
	assert_int_equal(stats_wilson(-1, 2, STATS_CONF95, &iv), STATS_INVALID);
	assert_int_equal(stats_wilson(NAN, 2, STATS_CONF95, &iv), STATS_INVALID);
	assert_int_equal(stats_wilson(1, INFINITY, STATS_CONF95, &iv), STATS_INVALID);
	assert_int_equal(stats_wilson(1, 2, 1.0, &iv), STATS_INVALID);
	assert_int_equal(stats_wilson(1, 2, 0.0, &iv), STATS_INVALID);
	assert_nan(iv.low);
}

static void test_clopper_pearson_edges(void **state)
{
	struct interval iv;

	(void)state;
	assert_int_equal(stats_clopper_pearson(0, 0, STATS_CONF95, &iv),
			 STATS_NO_DENOMINATOR);
	assert_nan(iv.low);
	assert_int_equal(stats_clopper_pearson(5, 5, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.high == 1.0);
	/* At x = n the lower limit is (alpha/2)^(1/n). */
	assert_near(iv.low, pow(0.025, 1.0 / 5.0), 1e-12);
	assert_int_equal(stats_clopper_pearson(0, 5, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.low == 0.0);
	assert_near(iv.high, 1.0 - pow(0.025, 1.0 / 5.0), 1e-12);
	/* Large samples, where GSL's own beta inverse fails. */
	assert_int_equal(stats_clopper_pearson(1, 1e6, STATS_CONF95, &iv), STATS_OK);
	assert_true(iv.low > 0.0 && iv.high > 1e-6 && iv.high < 1e-5);
	assert_int_equal(stats_clopper_pearson(999999, 1e6, STATS_CONF95, &iv),
			 STATS_OK);
	assert_true(iv.low > 0.99999 && iv.low < 0.999999 && iv.high < 1.0);
	assert_int_equal(stats_clopper_pearson(5e5, 1e6, STATS_CONF998, &iv),
			 STATS_OK);
	assert_near(iv.low + iv.high, 1.0, 1e-12);
	assert_int_equal(stats_clopper_pearson(5e6, 1e7, STATS_CONF95, &iv),
			 STATS_TOO_LARGE);
	assert_nan(iv.high);
}

static void test_byar_switches_to_exact_below_ten(void **state)
{
	struct interval byar, exact;

	(void)state;
	assert_int_equal(stats_byar(9, STATS_CONF95, &byar), STATS_OK);
	assert_int_equal(stats_poisson_exact(9, STATS_CONF95, &exact), STATS_OK);
	assert_true(byar.low == exact.low && byar.high == exact.high);
	assert_int_equal(stats_byar(0, STATS_CONF95, &byar), STATS_OK);
	assert_true(byar.low == 0.0);
	/* Upper limit at 0 is -ln(alpha/2). */
	assert_near(byar.high, -log(0.025), 1e-12);
	assert_int_equal(stats_byar(10, STATS_CONF95, &byar), STATS_OK);
	assert_int_equal(stats_poisson_exact(10, STATS_CONF95, &exact), STATS_OK);
	assert_true(byar.low != exact.low);
	assert_true(fabs(byar.low - exact.low) < 0.01);
	assert_int_equal(stats_byar(-1, STATS_CONF95, &byar), STATS_INVALID);
	assert_int_equal(stats_poisson_exact(2e6, STATS_CONF95, &exact),
			 STATS_TOO_LARGE);
	/* Byar itself has no size limit. */
	assert_int_equal(stats_byar(2e6, STATS_CONF95, &byar), STATS_OK);
}

static void test_katz_not_calculable(void **state)
{
	struct ratio_result r;

	(void)state;
	/* No events in the numerator group: the ratio is 0, no interval. */
	assert_int_equal(stats_risk_ratio_katz(0, 10, 5, 20, STATS_CONF95, &r),
			 STATS_ZERO_EVENTS);
	assert_true(r.ratio == 0.0);
	assert_nan(r.se_log);
	assert_nan(r.ci.low);
	assert_nan(r.ci.high);
	assert_nan(r.p_value);
	/* No events in the denominator group: no ratio at all. */
	assert_int_equal(stats_risk_ratio_katz(5, 20, 0, 10, STATS_CONF95, &r),
			 STATS_ZERO_EVENTS);
	assert_nan(r.ratio);
	assert_int_equal(stats_risk_ratio_katz(0, 20, 0, 10, STATS_CONF95, &r),
			 STATS_ZERO_EVENTS);
	assert_nan(r.ratio);
	/* Everyone in both groups: ratio 1, standard error 0, no interval. */
	assert_int_equal(stats_risk_ratio_katz(10, 10, 20, 20, STATS_CONF95, &r),
			 STATS_NO_VARIATION);
	assert_true(r.ratio == 1.0);
	assert_true(r.se_log == 0.0);
	assert_nan(r.ci.low);
	assert_nan(r.p_value);
	/* Everyone in one group only is fine. */
	assert_int_equal(stats_risk_ratio_katz(10, 10, 5, 20, STATS_CONF95, &r),
			 STATS_OK);
	assert_near(r.se_log, sqrt(1.0 / 5 - 1.0 / 20), 1e-15);
	assert_int_equal(stats_risk_ratio_katz(0, 0, 5, 20, STATS_CONF95, &r),
			 STATS_NO_DENOMINATOR);
	assert_nan(r.ratio);
	/* Fractional counts so small that the interval would be infinite. */
	assert_int_equal(stats_risk_ratio_katz(1e-320, 10, 5, 20, STATS_CONF95, &r),
			 STATS_ZERO_EVENTS);
	assert_nan(r.ci.high);
	assert_int_equal(stats_risk_ratio_katz(5, 20, 1e-320, 10, STATS_CONF95, &r),
			 STATS_ZERO_EVENTS);
	assert_nan(r.ratio);
	assert_int_equal(stats_risk_ratio_katz(11, 10, 5, 20, STATS_CONF95, &r),
			 STATS_INVALID);
	assert_int_equal(stats_risk_ratio_katz(1, 10, 5, 20, 95, &r), STATS_INVALID);
}

static void test_katz_orientation_is_reciprocal(void **state)
{
	struct ratio_result r, w;

	(void)state;
	stats_risk_ratio_katz(50, 500, 200, 1000, STATS_CONF95, &r);
	stats_risk_ratio_katz(200, 1000, 50, 500, STATS_CONF95, &w);
	assert_near(r.ratio * w.ratio, 1.0, 1e-14);
	assert_near(r.ci.low * w.ci.high, 1.0, 1e-14);
	assert_near(r.se_log, w.se_log, 1e-15);
	assert_near(r.p_value, w.p_value, 1e-15);
}

static void test_rate_ratio_exact_edges(void **state)
{
	struct ratio_result r;

	(void)state;
	assert_int_equal(stats_rate_ratio_exact(0, 100, 5, 200, STATS_CONF95, &r),
			 STATS_OK);
	assert_true(r.ratio == 0.0 && r.ci.low == 0.0);
	assert_true(r.ci.high > 0.0 && isfinite(r.ci.high));
	assert_nan(r.se_log);
	/* No reference events: only a lower limit and a p-value. */
	assert_int_equal(stats_rate_ratio_exact(5, 100, 0, 200, STATS_CONF95, &r),
			 STATS_ZERO_EVENTS);
	assert_nan(r.ratio);
	assert_nan(r.ci.high);
	assert_true(r.ci.low > 1.0);
	assert_true(r.p_value < 0.01);
	assert_int_equal(stats_rate_ratio_exact(0, 100, 0, 200, STATS_CONF95, &r),
			 STATS_ZERO_EVENTS);
	assert_nan(r.ci.low);
	assert_nan(r.p_value);
	assert_int_equal(stats_rate_ratio_exact(1.5, 100, 2, 200, STATS_CONF95, &r),
			 STATS_INVALID);
	assert_int_equal(stats_rate_ratio_exact(1, 0, 2, 200, STATS_CONF95, &r),
			 STATS_NO_DENOMINATOR);
	assert_int_equal(stats_rate_ratio_exact(6e5, 1e7, 6e5, 1e7, STATS_CONF95, &r),
			 STATS_TOO_LARGE);
	/* Large but allowed: close to the Katz (Poisson form) answer. */
	assert_int_equal(stats_rate_ratio_exact(4e5, 1e8, 3e5, 1e8, STATS_CONF95, &r),
			 STATS_OK);
	assert_near(r.ratio, 4.0 / 3.0, 1e-12);
	assert_near(r.ci.low, 4.0 / 3.0 * exp(-1.959963985 * sqrt(1 / 4e5 + 1 / 3e5)),
		    1e-4);
}

static void test_ztest_edges(void **state)
{
	struct ztest_result z;

	(void)state;
	assert_int_equal(stats_two_proportion_ztest(0, 10, 0, 20, &z),
			 STATS_NO_VARIATION);
	assert_nan(z.z);
	assert_nan(z.p_two_sided);
	assert_int_equal(stats_two_proportion_ztest(10, 10, 20, 20, &z),
			 STATS_NO_VARIATION);
	assert_int_equal(stats_two_proportion_ztest(0, 0, 2, 20, &z),
			 STATS_NO_DENOMINATOR);
	assert_int_equal(stats_two_proportion_ztest(3, 2, 2, 20, &z), STATS_INVALID);
	assert_int_equal(stats_two_proportion_ztest(12, 80, 90, 320, &z), STATS_OK);
	assert_near(z.p_greater + z.p_less, 1.0, 1e-15);
	assert_near(z.p_two_sided, 2.0 * z.p_less, 1e-15);
}

static void test_adjustments(void **state)
{
	double p[] = { 0.01, NAN, 0.04, 0.03 };
	const double bad[] = { 0.01, 1.5 };
	double adj[4];

	(void)state;
	/* In place, with a missing p-value that does not count. */
	assert_int_equal(stats_holm(p, 4, p), STATS_OK);
	assert_near(p[0], 0.03, 1e-15);
	assert_nan(p[1]);
	assert_near(p[2], 0.06, 1e-15);
	assert_near(p[3], 0.06, 1e-15);
	assert_int_equal(stats_bonferroni(bad, 2, adj), STATS_INVALID);
	assert_nan(adj[0]);
	assert_nan(adj[1]);
	assert_int_equal(stats_holm(bad, 2, adj), STATS_INVALID);
	assert_nan(adj[0]);
	assert_int_equal(stats_holm(bad, 0, adj), STATS_OK);
	assert_near(stats_bonferroni_one(0.004, 7), 0.028, 1e-15);
	assert_true(stats_bonferroni_one(0.2, 7) == 1.0);
	assert_nan(stats_bonferroni_one(0.2, 0));
	assert_nan(stats_bonferroni_one(NAN, 3));
}

static void test_funnel_limits_and_positions(void **state)
{
	struct interval in95, out998;

	(void)state;
	assert_int_equal(stats_funnel_proportion(0.2, 100, STATS_CONF95, &in95),
			 STATS_OK);
	assert_int_equal(stats_funnel_proportion(0.2, 100, STATS_CONF998, &out998),
			 STATS_OK);
	assert_int_equal(stats_funnel_classify(0.2, in95, out998), FUNNEL_WITHIN);
	assert_int_equal(stats_funnel_classify(in95.high, in95, out998), FUNNEL_WITHIN);
	assert_int_equal(stats_funnel_classify(0.30, in95, out998), FUNNEL_ABOVE_95);
	assert_int_equal(stats_funnel_classify(0.33, in95, out998), FUNNEL_ABOVE_998);
	assert_int_equal(stats_funnel_classify(0.11, in95, out998), FUNNEL_BELOW_95);
	assert_int_equal(stats_funnel_classify(0.07, in95, out998), FUNNEL_BELOW_998);
	assert_int_equal(stats_funnel_classify(NAN, in95, out998),
			 FUNNEL_NOT_CALCULABLE);
	assert_string_equal(stats_funnel_position_name(FUNNEL_ABOVE_998), "above_99.8");
	assert_string_equal(stats_funnel_position_name(FUNNEL_BELOW_95), "below_95");
	assert_string_equal(stats_funnel_position_name(FUNNEL_WITHIN), "within");
	/* Small denominators: the lower limit stops at 0. */
	assert_int_equal(stats_funnel_proportion(0.01, 50, STATS_CONF95, &in95),
			 STATS_OK);
	assert_true(in95.low == 0.0);
	assert_int_equal(stats_funnel_proportion(0.2, 0, STATS_CONF95, &in95),
			 STATS_NO_DENOMINATOR);
	assert_nan(in95.low);
	assert_int_equal(stats_funnel_proportion(1.2, 10, STATS_CONF95, &in95),
			 STATS_INVALID);
	/* Ratios: symmetric on the log scale around the target. */
	assert_int_equal(stats_funnel_ratio(1.0, 0.25, STATS_CONF95, &in95), STATS_OK);
	assert_near(in95.low * in95.high, 1.0, 1e-15);
	assert_int_equal(stats_funnel_ratio(1.0, NAN, STATS_CONF95, &in95),
			 STATS_INVALID);
	assert_int_equal(stats_funnel_ratio(0.0, 0.1, STATS_CONF95, &in95),
			 STATS_INVALID);
	assert_int_equal(stats_funnel_ratio(1.0, 1e6, STATS_CONF95, &in95),
			 STATS_INVALID);
	assert_nan(in95.high);
}

static void test_mean_and_median(void **state)
{
	const double cancel[] = { 1e16, 1.0, -1e16 };
	const double one[] = { 7.5 };
	const double odd[] = { 1, 2, 9 };

	(void)state;
	assert_nan(stats_mean(one, 0));
	assert_nan(stats_median_sorted(one, 0));
	assert_near(stats_mean(cancel, 3), 1.0 / 3.0, 1e-15);
	assert_true(stats_median_sorted(one, 1) == 7.5);
	assert_true(stats_median_sorted(odd, 3) == 2.0);
	assert_true(stats_median_sorted(odd, 2) == 1.5);
}

static void test_quartile_sizes_take_the_remainder_low(void **state)
{
	const double pay[] = { 1, 2, 3, 4, 5, 6, 7 };
	const size_t group[] = { 0, 0, 0, 0, 0, 0, 0 };
	double counts[4];

	(void)state;
	/* n = 7: 2, 2, 2, 1. */
	assert_int_equal(stats_pay_quartiles(pay, group, 7, 1, counts), STATS_OK);
	assert_true(counts[0] == 2 && counts[1] == 2 && counts[2] == 2 &&
		    counts[3] == 1);
	/* n = 5: 2, 1, 1, 1. */
	assert_int_equal(stats_pay_quartiles(pay, group, 5, 1, counts), STATS_OK);
	assert_true(counts[0] == 2 && counts[1] == 1 && counts[2] == 1 &&
		    counts[3] == 1);
	/* n = 1: everyone in the lowest quartile. */
	assert_int_equal(stats_pay_quartiles(pay, group, 1, 1, counts), STATS_OK);
	assert_true(counts[0] == 1 && counts[1] == 0 && counts[3] == 0);
	assert_int_equal(stats_pay_quartiles(pay, group, 0, 1, counts),
			 STATS_NO_DENOMINATOR);
	assert_true(counts[0] == 0);
}

static void test_quartile_block_spanning_everything(void **state)
{
	const double pay[] = { 12, 12, 12, 12, 12, 12, 12, 12 };
	const size_t group[] = { 0, 1, 1, 0, 1, 0, 1, 1 };
	double counts[4 * 2];
	size_t q;

	(void)state;
	assert_int_equal(stats_pay_quartiles(pay, group, 8, 2, counts), STATS_OK);
	for (q = 0; q < 4; q++) {
		assert_near(counts[q * 2 + 0], 0.75, 1e-15);
		assert_near(counts[q * 2 + 1], 1.25, 1e-15);
	}
}

static void test_quartile_block_across_one_boundary(void **state)
{
	/* n = 6: sizes 2, 2, 1, 1. The block of 20s takes places 1-4: one in
	 * Q1, two in Q2, one in Q3; its make-up is 1 of group 0, 3 of 1. */
	const double pay[] = { 10, 20, 20, 20, 20, 30 };
	const size_t group[] = { 0, 1, 0, 1, 1, 2 };
	double counts[4 * 3];

	(void)state;
	assert_int_equal(stats_pay_quartiles(pay, group, 6, 3, counts), STATS_OK);
	assert_near(counts[0 * 3 + 0], 1.25, 1e-15);
	assert_near(counts[0 * 3 + 1], 0.75, 1e-15);
	assert_near(counts[1 * 3 + 0], 0.5, 1e-15);
	assert_near(counts[1 * 3 + 1], 1.5, 1e-15);
	assert_near(counts[2 * 3 + 0], 0.25, 1e-15);
	assert_near(counts[2 * 3 + 1], 0.75, 1e-15);
	assert_near(counts[3 * 3 + 2], 1.0, 1e-15);
	assert_near(counts[3 * 3 + 0] + counts[3 * 3 + 1], 0.0, 1e-15);
}

static void test_quartile_invalid_input(void **state)
{
	const double unsorted[] = { 10, 9, 11 };
	const double with_nan[] = { 10, NAN, 11 };
	const size_t group[] = { 0, 1, 0 };
	const size_t bad_group[] = { 0, 2, 0 };
	double counts[4 * 2];

	(void)state;
	assert_int_equal(stats_pay_quartiles(unsorted, group, 3, 2, counts),
			 STATS_INVALID);
	assert_int_equal(stats_pay_quartiles(with_nan, group, 3, 2, counts),
			 STATS_INVALID);
	assert_int_equal(stats_pay_quartiles(unsorted + 1, bad_group, 2, 2, counts),
			 STATS_INVALID);
	assert_true(counts[0] == 0 && counts[7] == 0);
}

static void test_status_reasons(void **state)
{
	(void)state;
	assert_string_equal(stats_status_reason(STATS_OK), "");
	assert_string_equal(stats_status_reason(STATS_ZERO_EVENTS),
			    "no events in a group");
	assert_true(strlen(stats_status_reason(STATS_INVALID)) > 0);
	assert_true(strlen(stats_status_reason(STATS_NO_DENOMINATOR)) > 0);
	assert_true(strlen(stats_status_reason(STATS_NO_VARIATION)) > 0);
	assert_true(strlen(stats_status_reason(STATS_TOO_LARGE)) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_values),
		cmocka_unit_test(test_vectors_katz),
		cmocka_unit_test(test_vectors_proportions),
		cmocka_unit_test(test_vectors_byar),
		cmocka_unit_test(test_vectors_pay_gaps),
		cmocka_unit_test(test_vectors_quartile_ties),
		cmocka_unit_test(test_wilson_edges),
		cmocka_unit_test(test_clopper_pearson_edges),
		cmocka_unit_test(test_byar_switches_to_exact_below_ten),
		cmocka_unit_test(test_katz_not_calculable),
		cmocka_unit_test(test_katz_orientation_is_reciprocal),
		cmocka_unit_test(test_rate_ratio_exact_edges),
		cmocka_unit_test(test_ztest_edges),
		cmocka_unit_test(test_adjustments),
		cmocka_unit_test(test_funnel_limits_and_positions),
		cmocka_unit_test(test_mean_and_median),
		cmocka_unit_test(test_quartile_sizes_take_the_remainder_low),
		cmocka_unit_test(test_quartile_block_spanning_everything),
		cmocka_unit_test(test_quartile_block_across_one_boundary),
		cmocka_unit_test(test_quartile_invalid_input),
		cmocka_unit_test(test_status_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
