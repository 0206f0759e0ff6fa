/*
 * stats.h - the statistics every measure rests on: intervals for
 * proportions, counts and ratios, the two-proportion z-test, multiple
 * comparison adjustments, differences of means (Welch's and the normal
 * one), weighted trends with a test of narrowing, funnel plot control
 * limits, means and medians,
 * pay quartile shares with tied pay split proportionally, and the sort of
 * salaries that medians and quartiles read (ingest sorts each return's pay
 * with it as it stores the aggregates).
 *
 * Every function is pure: numbers in, numbers out, nothing kept between
 * calls. Distributions come from GSL. docs/statistics.md gives each formula,
 * its source, its edge cases and the package the reference values in
 * tests/reference/ came from.
 *
 * "Not calculable" is a value, never an infinity or a division by zero: a
 * function that can fail returns an `enum stats_status` other than STATS_OK
 * and sets every output it cannot calculate to NAN. Where part of a result
 * is still meaningful (the ratio 0 when the numerator group has no events),
 * that part is filled and the header says so. stats_status_reason() gives a
 * phrase for the `note` column.
 *
 * Confidence levels are fractions: 0.95 for 95%, 0.998 for 99.8%. Counts
 * are doubles so that pooled or averaged counts can be used; only the exact
 * rate-ratio method needs whole numbers.
 *
 * GSL's default error handler aborts. Every call here keeps GSL inside its
 * domain; front ends should still call gsl_set_error_handler_off() once at
 * start-up so that a numerical failure deep in GSL yields NAN, not abort().
 */
#ifndef PARITY_MEASURE_STATS_H
#define PARITY_MEASURE_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_CONF95 0.95
#define STATS_CONF998 0.998

enum stats_status {
	STATS_OK = 0,
	STATS_INVALID,        /* an argument is out of range: a negative or
			       * non-finite count, events above the
			       * denominator, a level outside (0, 1) */
	STATS_NO_DENOMINATOR, /* a denominator (or the whole sample) is zero */
	STATS_ZERO_EVENTS,    /* a group has no events: a ratio or its log
			       * interval is undefined */
	STATS_NO_VARIATION,   /* every member had the event, or none did: the
			       * standard error is zero */
	STATS_TOO_LARGE       /* beyond STATS_EXACT_MAX, where GSL cannot
			       * evaluate the exact distributions reliably */
};

/* The largest denominator (Clopper-Pearson), count (exact Poisson) or total
 * of events (exact rate ratio) the exact methods accept. */
#define STATS_EXACT_MAX 1e6

/* A phrase for notes, e.g. "no events in a group"; "" for STATS_OK. */
const char *stats_status_reason(enum stats_status s);

struct interval {
	double low, high;
};

/* --- Proportions ------------------------------------------------------- */

/*
 * Wilson score interval for x events out of n. Works at x = 0 (low = 0) and
 * x = n (high = 1). n = 0 gives STATS_NO_DENOMINATOR.
 */
enum stats_status stats_wilson(double x, double n, double confidence,
			       struct interval *out);

/*
 * Clopper-Pearson exact interval for x out of n, from beta quantiles;
 * low = 0 at x = 0 and high = 1 at x = n. STATS_TOO_LARGE when n is above
 * STATS_EXACT_MAX.
 */
enum stats_status stats_clopper_pearson(double x, double n, double confidence,
					struct interval *out);

/* --- Counts ------------------------------------------------------------ */

/*
 * Interval for a Poisson count o: Byar's approximation for o >= 10, the
 * exact chi-square limits below 10.
 */
enum stats_status stats_byar(double o, double confidence, struct interval *out);

/* Exact (chi-square) limits for a Poisson count o, 0 <= o <=
 * STATS_EXACT_MAX. */
enum stats_status stats_poisson_exact(double o, double confidence,
				      struct interval *out);

/* --- Ratios of two rates ----------------------------------------------- */

struct ratio_result {
	double ratio;       /* (a/n1) / (c/n2) */
	double se_log;      /* standard error of ln(ratio); NAN for exact */
	struct interval ci;
	double p_value;     /* two-sided, against a ratio of 1 */
};

/*
 * Ratio of two proportions (relative likelihood, RRI) with the Katz log
 * interval and the Wald p-value of ln(ratio)/se against N(0,1); a events out
 * of n1 in the numerator group, c out of n2 in the denominator group. For
 * the WRES orientation, swap the groups.
 *
 * Not calculable cases, with what is still filled:
 *   n1 = 0 or n2 = 0          STATS_NO_DENOMINATOR; all NAN.
 *   a = 0 (c > 0)             STATS_ZERO_EVENTS; ratio = 0, the rest NAN.
 *   c = 0                     STATS_ZERO_EVENTS; all NAN (the ratio is
 *                             infinite, or 0/0).
 *   a = n1 and c = n2         STATS_NO_VARIATION; ratio = 1, se_log = 0,
 *                             ci and p NAN.
 *   fractional counts so near 0 that the interval overflows
 *                             STATS_ZERO_EVENTS; ci, se_log and p NAN.
 * Use stats_rate_ratio_exact() for the zero-event cases.
 */
enum stats_status stats_risk_ratio_katz(double a, double n1, double c,
					double n2, double confidence,
					struct ratio_result *out);

/*
 * Exact conditional interval and test for the ratio of two Poisson rates,
 * a events over exposure t1 against c over t2: given a + c events, a is
 * binomial with p = t1/(t1 + t2) under a ratio of 1. The interval is the
 * Clopper-Pearson interval of a/(a + c) mapped to the ratio scale; the
 * p-value is the two-sided exact binomial test. This is R's
 * poisson.test(c(a, c), c(t1, t2)). For rare events it approximates the
 * risk ratio; it is the fallback when a or c is zero.
 *
 * a and c must be whole numbers, and a + c at most STATS_EXACT_MAX
 * (STATS_TOO_LARGE above). se_log is always NAN.
 *   a = 0 (c > 0)   STATS_OK: ratio 0, ci.low 0, a finite ci.high.
 *   c = 0 (a > 0)   STATS_ZERO_EVENTS: ratio and ci.high NAN (infinite);
 *                   ci.low and p_value are filled.
 *   a = c = 0       STATS_ZERO_EVENTS: all NAN.
 */
enum stats_status stats_rate_ratio_exact(double a, double t1, double c,
					 double t2, double confidence,
					 struct ratio_result *out);

/* --- Tests ------------------------------------------------------------- */

struct ztest_result {
	double z;           /* (p1 - p2) / pooled standard error */
	double p_two_sided;
	double p_greater;   /* one-sided, H1: p1 > p2 */
	double p_less;      /* one-sided, H1: p1 < p2 */
};

/*
 * Two-proportion z-test with the pooled proportion, x1 of n1 against x2 of
 * n2. STATS_NO_VARIATION when the pooled proportion is 0 or 1.
 */
enum stats_status stats_two_proportion_ztest(double x1, double n1, double x2,
					     double n2,
					     struct ztest_result *out);

/*
 * Adjusted p-values for the n p-values in `p`, written to `adj` (which may
 * be `p` itself). NAN entries stay NAN and do not count towards the number
 * of tests, as in R's p.adjust. A p-value outside [0, 1] gives
 * STATS_INVALID and `adj` all NAN.
 */
enum stats_status stats_bonferroni(const double *p, size_t n, double *adj);
enum stats_status stats_holm(const double *p, size_t n, double *adj);
/* One p-value chosen from a search over m positions: min(1, m p). NAN when
 * p is not in [0, 1] or m is 0. */
double stats_bonferroni_one(double p, size_t m);

/* --- Differences of means and trends ---------------------------------- */

struct difference_result {
	double difference;  /* mean1 - mean2 */
	double se;          /* its standard error */
	double df;          /* Welch-Satterthwaite degrees of freedom; NAN
			     * for the normal interval */
	struct interval ci;
	double p_value;     /* two-sided, against a difference of 0 */
};

/*
 * Difference of two means with Welch's interval and test: se =
 * sqrt(s1^2/n1 + s2^2/n2), df by Welch-Satterthwaite, the interval
 * difference +/- t(df) se with GSL's t quantile, and the two-sided p of
 * the t test. Needs n1, n2 >= 2 and SDs >= 0 (STATS_INVALID otherwise);
 * both SDs 0 gives STATS_NO_VARIATION with only the difference filled.
 */
enum stats_status stats_welch_difference(double mean1, double sd1, double n1,
					 double mean2, double sd2, double n2,
					 double confidence,
					 struct difference_result *out);

/*
 * The same with the normal distribution (df NAN): for means whose SDs are
 * assumed, not given. Needs n1, n2 >= 1.
 */
enum stats_status stats_normal_difference(double mean1, double sd1, double n1,
					  double mean2, double sd2, double n2,
					  double confidence,
					  struct difference_result *out);

struct trend_result {
	double slope;       /* change in y per unit of x */
	double se;          /* of the slope: 1 / sqrt(sum w (x - xbar)^2) */
	struct interval ci; /* slope +/- z se */
	double z;           /* slope / se */
	double mean_y;      /* the weighted mean of y */
	/* One-sided p-values of the slope taking y towards 0 (|y|
	 * decreasing: a gap narrowing) and away from it, judged by the sign
	 * of mean_y: below 0, narrowing is a rising slope. */
	double p_narrowing;
	double p_widening;
	size_t points;      /* points used */
};

/*
 * Weighted least squares slope of y on x with weights 1 / var (the
 * variances taken as known, as for a meta-regression): slope =
 * sum w (x - xbar)(y - ybar) / sum w (x - xbar)^2, with the z test of the
 * slope. Points with a NAN or a variance that is not positive are left
 * out. Fewer than 2 points, or all at one x, give STATS_NO_DENOMINATOR;
 * mean_y of exactly 0 leaves the one-sided p-values NAN.
 */
enum stats_status stats_wls_trend(const double *x, const double *y,
				  const double *var, size_t n,
				  double confidence, struct trend_result *out);

/* --- Funnel plots ------------------------------------------------------ */

/*
 * Control limits for a proportion at denominator n around the target p0,
 * as PHE/OHID Fingertips draws them: the proportions whose Wilson score
 * interval at n has p0 as a limit, which is p0 +/- z sqrt(p0 (1 - p0) / n),
 * kept within [0, 1].
 */
enum stats_status stats_funnel_proportion(double p0, double n,
					  double confidence,
					  struct interval *out);

/*
 * Control limits for a ratio around `target` (1, or London's ratio) on the
 * log scale: target exp(+/- z se_log), where se_log is the standard error of
 * the unit's own log ratio (its Katz se_log for a relative likelihood).
 */
enum stats_status stats_funnel_ratio(double target, double se_log,
				     double confidence, struct interval *out);

/*
 * Control limits for a difference (a gap in mean score) around `target`
 * (London's gap): target +/- z se, where se is the unit's own standard
 * error.
 */
enum stats_status stats_funnel_difference(double target, double se,
					  double confidence,
					  struct interval *out);

enum funnel_position {
	FUNNEL_NOT_CALCULABLE = 0,
	FUNNEL_WITHIN,
	FUNNEL_ABOVE_95,     /* above the inner limit, not the outer */
	FUNNEL_ABOVE_998,
	FUNNEL_BELOW_95,
	FUNNEL_BELOW_998
};

/*
 * Where `value` lies against the inner (95%) and outer (99.8%) limits. A
 * value on a limit is within it. Any NAN gives FUNNEL_NOT_CALCULABLE.
 */
enum funnel_position stats_funnel_classify(double value, struct interval inner,
					   struct interval outer);
/* "within", "above_95", "above_99.8", "below_95", "below_99.8", or
 * "not_calculable". */
const char *stats_funnel_position_name(enum funnel_position pos);

/* --- Averages and pay quartiles ---------------------------------------- */

/* Mean of n values (compensated summation); NAN when n = 0. */
double stats_mean(const double *x, size_t n);
/*
 * Sort salaries (or any values that are positive, or zero, and not NaN)
 * ascending, in place. Such doubles order as their IEEE 754 bit patterns
 * do, so this is an LSD radix sort of the 64-bit patterns: exact, and
 * linear in n (a million salaries take milliseconds, not qsort()'s quarter
 * second). It orders any 64-bit patterns given as doubles, since it never
 * does arithmetic on them. Allocates scratch space of n values (for n over
 * 32), and frees it.
 */
void stats_sort_salaries(double *v, size_t n);
/* The same with the caller's scratch space of n values, so that sorts one
 * after another do not each map fresh memory; NULL will do for n <= 32. */
void stats_sort_salaries_with(double *v, size_t n, uint64_t *scratch);

/* Median of n values sorted ascending; the mean of the two middle values
 * when n is even; NAN when n = 0. The order is not checked. */
double stats_median_sorted(const double *x, size_t n);

/*
 * Pay quartiles with ties split proportionally. `pay` holds n hourly rates
 * sorted ascending and `group[i]` the group (below `groups`) of the person
 * with pay[i]. Quartile 0 is the lowest paid. The quartiles hold
 * floor(n/4) people each plus one more for each of the first n mod 4
 * quartiles (the lower ones). A block of equal pay that straddles a boundary
 * is split across the quartiles it spans in proportion to the places it
 * takes in each, and each group's share of the block is the same in every
 * part; so counts may be fractional.
 *
 * `counts` must have room for 4 * groups doubles: counts[q * groups + g] is
 * the (fractional) number of group g in quartile q. Dividing by the
 * quartile's size gives the group's share. STATS_INVALID when pay is not
 * sorted or not finite or a group is out of range; STATS_NO_DENOMINATOR when
 * n = 0 (counts are then all 0).
 */
enum stats_status stats_pay_quartiles(const double *pay, const size_t *group,
				      size_t n, size_t groups, double *counts);

#endif
