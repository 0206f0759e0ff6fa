/*
 * stats.c - intervals, tests, adjustments, differences of means, trends,
 * funnel limits, averages and pay quartiles (see stats.h; formulas and
 * sources in docs/statistics.md).
 */
#include "measure/stats.h"

#include "base/alloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *stats_status_reason(enum stats_status s)
{
	switch (s) {
	case STATS_OK: return "";
	case STATS_INVALID: return "invalid input";
	case STATS_NO_DENOMINATOR: return "denominator is zero";
	case STATS_ZERO_EVENTS: return "no events in a group";
	case STATS_NO_VARIATION: return "no variation: everyone or no one had the event";
	case STATS_TOO_LARGE: return "too large for the exact method";
	}
	return "unknown status";
}

/* A count: finite and not negative. */
static bool is_count(double x)
{
	return isfinite(x) && x >= 0.0;
}

/* x events out of n: both counts, x no more than n. */
static bool is_events(double x, double n)
{
	return is_count(x) && is_count(n) && x <= n;
}

static bool is_level(double confidence)
{
	return isfinite(confidence) && confidence > 0.0 && confidence < 1.0;
}

/* The two-sided critical value: the upper (1 - confidence)/2 point of N(0,1). */
static double critical_z(double confidence)
{
	return gsl_cdf_ugaussian_Qinv((1.0 - confidence) / 2.0);
}

static void interval_nan(struct interval *out)
{
	out->low = NAN;
	out->high = NAN;
}

static double clamp01(double x)
{
	return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

enum stats_status stats_wilson(double x, double n, double confidence,
			       struct interval *out)
{
	double z, z2, q, root, denom;

	interval_nan(out);
	if (!is_events(x, n) || !is_level(confidence))
		return STATS_INVALID;
	if (n == 0.0)
		return STATS_NO_DENOMINATOR;
	z = critical_z(confidence);
	z2 = z * z;
	q = 1.0 - x / n;
	root = z * sqrt(z2 + 4.0 * x * q);
	denom = 2.0 * (n + z2);
	out->low = x == 0.0 ? 0.0 : clamp01((2.0 * x + z2 - root) / denom);
	out->high = x == n ? 1.0 : clamp01((2.0 * x + z2 + root) / denom);
	return STATS_OK;
}

/*
 * Quantiles. GSL's own inverses (gsl_cdf_beta_Pinv, gsl_cdf_chisq_Qinv)
 * fail to converge, return NAN or return wrong values for large parameters,
 * and a failure to converge calls GSL's error handler, which aborts by
 * default. So parity inverts GSL's distribution functions by bisection: the
 * answer is where GSL's own tail probability crosses the target.
 */
enum family { BETA, CHISQ };

/* Lower (or upper) tail probability of Beta(a, b) or chi-square(a) at x. */
static double tail(enum family fam, double a, double b, double x, bool upper)
{
	if (fam == BETA)
		return upper ? gsl_cdf_beta_Q(x, a, b) : gsl_cdf_beta_P(x, a, b);
	return upper ? gsl_cdf_chisq_Q(x, a) : gsl_cdf_chisq_P(x, a);
}

/*
 * The x whose lower tail probability (upper tail when `upper`) is `prob`,
 * for 0 < prob < 1; `b` is unused for chi-square. NAN if GSL cannot
 * evaluate the distribution there.
 */
static double quantile(enum family fam, double a, double b, double prob,
		       bool upper)
{
	double lo = 0.0, hi = 1.0, t;
	int i;

	if (fam == CHISQ) {
		/* Grow the bracket until it holds the quantile. */
		hi = a > 1.0 ? 2.0 * a : 2.0;
		for (i = 0; i < 64; i++) {
			t = tail(fam, a, b, hi, upper);
			if (isnan(t))
				return NAN;
			if (upper ? t <= prob : t >= prob)
				break;
			lo = hi;
			hi *= 2.0;
		}
	}
	/* Halve [lo, hi] until it is as narrow as a double allows. */
	for (i = 0; i < 2200; i++) {
		double mid = lo + (hi - lo) / 2.0;

		if (mid <= lo || mid >= hi)
			break;
		t = tail(fam, a, b, mid, upper);
		if (isnan(t))
			return NAN;
		if (upper ? t > prob : t < prob)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2.0;
}

enum stats_status stats_clopper_pearson(double x, double n, double confidence,
					struct interval *out)
{
	double half;

	interval_nan(out);
	if (!is_events(x, n) || !is_level(confidence))
		return STATS_INVALID;
	if (n == 0.0)
		return STATS_NO_DENOMINATOR;
	if (n > STATS_EXACT_MAX)
		return STATS_TOO_LARGE;
	half = (1.0 - confidence) / 2.0;
	out->low = x == 0.0 ? 0.0 : quantile(BETA, x, n - x + 1.0, half, false);
	out->high = x == n ? 1.0 : quantile(BETA, x + 1.0, n - x, half, true);
	if (isnan(out->low) || isnan(out->high)) {
		interval_nan(out);
		return STATS_TOO_LARGE;
	}
	return STATS_OK;
}

enum stats_status stats_poisson_exact(double o, double confidence,
				      struct interval *out)
{
	double half;

	interval_nan(out);
	if (!is_count(o) || !is_level(confidence))
		return STATS_INVALID;
	if (o > STATS_EXACT_MAX)
		return STATS_TOO_LARGE;
	half = (1.0 - confidence) / 2.0;
	out->low = o == 0.0 ? 0.0 :
		   quantile(CHISQ, 2.0 * o, 0.0, half, false) / 2.0;
	out->high = quantile(CHISQ, 2.0 * o + 2.0, 0.0, half, true) / 2.0;
	if (isnan(out->low) || isnan(out->high)) {
		interval_nan(out);
		return STATS_TOO_LARGE;
	}
	return STATS_OK;
}

enum stats_status stats_byar(double o, double confidence, struct interval *out)
{
	double z, lo, hi, o1;

	interval_nan(out);
	if (!is_count(o) || !is_level(confidence))
		return STATS_INVALID;
	if (o < 10.0)
		return stats_poisson_exact(o, confidence, out);
	z = critical_z(confidence);
	o1 = o + 1.0;
	lo = 1.0 - 1.0 / (9.0 * o) - z / (3.0 * sqrt(o));
	hi = 1.0 - 1.0 / (9.0 * o1) + z / (3.0 * sqrt(o1));
	out->low = lo > 0.0 ? o * lo * lo * lo : 0.0;
	out->high = o1 * hi * hi * hi;
	return STATS_OK;
}

static void ratio_nan(struct ratio_result *out)
{
	out->ratio = NAN;
	out->se_log = NAN;
	interval_nan(&out->ci);
	out->p_value = NAN;
}

enum stats_status stats_risk_ratio_katz(double a, double n1, double c,
					double n2, double confidence,
					struct ratio_result *out)
{
	double z, log_ratio, se;

	ratio_nan(out);
	if (!is_events(a, n1) || !is_events(c, n2) || !is_level(confidence))
		return STATS_INVALID;
	if (n1 == 0.0 || n2 == 0.0)
		return STATS_NO_DENOMINATOR;
	if (c == 0.0)
		return STATS_ZERO_EVENTS;
	out->ratio = (a / n1) / (c / n2);
	if (!isfinite(out->ratio)) {
		/* A (fractional) c so small that the ratio overflows. */
		out->ratio = NAN;
		return STATS_ZERO_EVENTS;
	}
	if (a == 0.0)
		return STATS_ZERO_EVENTS;
	/* Each difference is >= 0 because a <= n1 and c <= n2. */
	se = sqrt((1.0 / a - 1.0 / n1) + (1.0 / c - 1.0 / n2));
	if (se == 0.0) {
		out->se_log = se;
		return STATS_NO_VARIATION;
	}
	z = critical_z(confidence);
	log_ratio = log(a / n1) - log(c / n2);
	out->ci.low = exp(log_ratio - z * se);
	out->ci.high = exp(log_ratio + z * se);
	if (!isfinite(se) || !isfinite(out->ci.high) || out->ci.low == 0.0) {
		/* Counts so close to 0 that the interval runs off the scale. */
		interval_nan(&out->ci);
		return STATS_ZERO_EVENTS;
	}
	out->se_log = se;
	out->p_value = 2.0 * gsl_cdf_ugaussian_Q(fabs(log_ratio) / se);
	return STATS_OK;
}

static bool is_whole_count(double x)
{
	return is_count(x) && x == floor(x);
}

/*
 * Two-sided exact binomial p-value for x of n at p, as R's binom.test: the
 * total probability of the outcomes no more likely than x, with R's
 * relative tolerance of 1e-7 for ties. The probabilities fall away from the
 * mode on each side, so the outcomes on the far side that count form a run
 * found by bisection.
 */
static double binomial_two_sided(unsigned int x, unsigned int n, double p)
{
	double limit = gsl_ran_binomial_pdf(x, p, n) * (1.0 + 1e-7);
	double m = (double)n * p;
	double pv;
	unsigned int lo, hi;

	if ((double)x == m)
		return 1.0;
	if ((double)x < m) {
		/* The first i in [ceil(m), n] with pdf(i) <= limit, or n + 1. */
		lo = (unsigned int)ceil(m);
		hi = n + 1;
		while (lo < hi) {
			unsigned int mid = lo + (hi - lo) / 2;

			if (gsl_ran_binomial_pdf(mid, p, n) <= limit)
				hi = mid;
			else
				lo = mid + 1;
		}
		pv = gsl_cdf_binomial_P(x, p, n);
		if (lo <= n)
			pv += gsl_cdf_binomial_Q(lo - 1, p, n);
	} else {
		/* The first i in [0, floor(m)] with pdf(i) > limit, or
		 * floor(m) + 1: outcomes below it count. */
		lo = 0;
		hi = (unsigned int)floor(m) + 1;
		while (lo < hi) {
			unsigned int mid = lo + (hi - lo) / 2;

			if (gsl_ran_binomial_pdf(mid, p, n) > limit)
				hi = mid;
			else
				lo = mid + 1;
		}
		pv = lo > 0 ? gsl_cdf_binomial_P(lo - 1, p, n) : 0.0;
		pv += gsl_cdf_binomial_Q(x - 1, p, n);
	}
	return pv < 1.0 ? pv : 1.0;
}

enum stats_status stats_rate_ratio_exact(double a, double t1, double c,
					 double t2, double confidence,
					 struct ratio_result *out)
{
	struct interval share;
	double scale, p0;
	unsigned int ua, un;

	ratio_nan(out);
	if (!is_whole_count(a) || !is_whole_count(c) || !is_count(t1) ||
	    !is_count(t2) || !is_level(confidence))
		return STATS_INVALID;
	if (t1 == 0.0 || t2 == 0.0)
		return STATS_NO_DENOMINATOR;
	if (a + c == 0.0)
		return STATS_ZERO_EVENTS;
	if (a + c > STATS_EXACT_MAX)
		return STATS_TOO_LARGE;
	ua = (unsigned int)a;
	un = (unsigned int)(a + c);
	p0 = t1 / (t1 + t2);
	out->p_value = binomial_two_sided(ua, un, p0);
	/* a/(a+c) = r t1 / (r t1 + t2) solves to r = s/(1 - s) * t2/t1. */
	if (stats_clopper_pearson(a, a + c, confidence, &share) != STATS_OK ||
	    isnan(out->p_value)) {
		ratio_nan(out);
		return STATS_TOO_LARGE;
	}
	scale = t2 / t1;
	out->ci.low = share.low / (1.0 - share.low) * scale;
	if (c == 0.0)
		return STATS_ZERO_EVENTS;
	out->ratio = (a / t1) / (c / t2);
	out->ci.high = share.high / (1.0 - share.high) * scale;
	return STATS_OK;
}

enum stats_status stats_two_proportion_ztest(double x1, double n1, double x2,
					     double n2,
					     struct ztest_result *out)
{
	double pooled, se;

	out->z = NAN;
	out->p_two_sided = NAN;
	out->p_greater = NAN;
	out->p_less = NAN;
	if (!is_events(x1, n1) || !is_events(x2, n2))
		return STATS_INVALID;
	if (n1 == 0.0 || n2 == 0.0)
		return STATS_NO_DENOMINATOR;
	pooled = (x1 + x2) / (n1 + n2);
	se = sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2));
	if (!(se > 0.0))
		return STATS_NO_VARIATION;
	out->z = (x1 / n1 - x2 / n2) / se;
	out->p_greater = gsl_cdf_ugaussian_Q(out->z);
	out->p_less = gsl_cdf_ugaussian_P(out->z);
	out->p_two_sided = 2.0 * gsl_cdf_ugaussian_Q(fabs(out->z));
	return STATS_OK;
}

/* Checks p-values and counts those that are not NAN. */
static enum stats_status check_p_values(const double *p, size_t n, size_t *m)
{
	size_t i;

	*m = 0;
	for (i = 0; i < n; i++) {
		if (isnan(p[i]))
			continue;
		if (!(p[i] >= 0.0 && p[i] <= 1.0))
			return STATS_INVALID;
		(*m)++;
	}
	return STATS_OK;
}

static void fill_nan(double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		x[i] = NAN;
}

double stats_bonferroni_one(double p, size_t m)
{
	double q;

	if (!(p >= 0.0 && p <= 1.0) || m == 0)
		return NAN;
	q = p * (double)m;
	return q < 1.0 ? q : 1.0;
}

enum stats_status stats_bonferroni(const double *p, size_t n, double *adj)
{
	size_t i, m;

	if (check_p_values(p, n, &m) != STATS_OK) {
		fill_nan(adj, n);
		return STATS_INVALID;
	}
	for (i = 0; i < n; i++)
		adj[i] = isnan(p[i]) ? NAN : stats_bonferroni_one(p[i], m);
	return STATS_OK;
}

struct ranked_p {
	double p;
	size_t index;
};

static int compare_ranked(const void *x, const void *y)
{
	const struct ranked_p *a = x, *b = y;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

enum stats_status stats_holm(const double *p, size_t n, double *adj)
{
	struct ranked_p *ranked;
	size_t i, m, k = 0;
	double running = 0.0;

	if (check_p_values(p, n, &m) != STATS_OK) {
		fill_nan(adj, n);
		return STATS_INVALID;
	}
	if (m == 0) {
		fill_nan(adj, n);
		return STATS_OK;
	}
	ranked = xmalloc(m * sizeof(*ranked));
	for (i = 0; i < n; i++) {
		if (isnan(p[i]))
			continue;
		ranked[k].p = p[i];
		ranked[k].index = i;
		k++;
	}
	qsort(ranked, m, sizeof(*ranked), compare_ranked);
	for (i = 0; i < n; i++)
		if (isnan(p[i]))
			adj[i] = NAN;
	/* adj_(k) = max over j <= k of min(1, (m - j) p_(j)), 0-based. */
	for (k = 0; k < m; k++) {
		double q = (double)(m - k) * ranked[k].p;

		if (q > 1.0)
			q = 1.0;
		if (q > running)
			running = q;
		adj[ranked[k].index] = running;
	}
	free(ranked);
	return STATS_OK;
}

enum stats_status stats_funnel_proportion(double p0, double n,
					  double confidence,
					  struct interval *out)
{
	double half_width;

	interval_nan(out);
	if (!(isfinite(p0) && p0 >= 0.0 && p0 <= 1.0) || !is_count(n) ||
	    !is_level(confidence))
		return STATS_INVALID;
	if (n == 0.0)
		return STATS_NO_DENOMINATOR;
	half_width = critical_z(confidence) * sqrt(p0 * (1.0 - p0) / n);
	out->low = clamp01(p0 - half_width);
	out->high = clamp01(p0 + half_width);
	return STATS_OK;
}

enum stats_status stats_funnel_ratio(double target, double se_log,
				     double confidence, struct interval *out)
{
	double half_width;

	interval_nan(out);
	if (!(isfinite(target) && target > 0.0) || !is_count(se_log) ||
	    !is_level(confidence))
		return STATS_INVALID;
	half_width = critical_z(confidence) * se_log;
	out->low = target * exp(-half_width);
	out->high = target * exp(half_width);
	if (!isfinite(out->high)) {
		interval_nan(out);
		return STATS_INVALID;
	}
	return STATS_OK;
}

enum funnel_position stats_funnel_classify(double value, struct interval inner,
					   struct interval outer)
{
	if (isnan(value) || isnan(inner.low) || isnan(inner.high) ||
	    isnan(outer.low) || isnan(outer.high))
		return FUNNEL_NOT_CALCULABLE;
	if (value > outer.high)
		return FUNNEL_ABOVE_998;
	if (value > inner.high)
		return FUNNEL_ABOVE_95;
	if (value < outer.low)
		return FUNNEL_BELOW_998;
	if (value < inner.low)
		return FUNNEL_BELOW_95;
	return FUNNEL_WITHIN;
}

const char *stats_funnel_position_name(enum funnel_position pos)
{
	switch (pos) {
	case FUNNEL_NOT_CALCULABLE: return "not_calculable";
	case FUNNEL_WITHIN: return "within";
	case FUNNEL_ABOVE_95: return "above_95";
	case FUNNEL_ABOVE_998: return "above_99.8";
	case FUNNEL_BELOW_95: return "below_95";
	case FUNNEL_BELOW_998: return "below_99.8";
	}
	return "not_calculable";
}

double stats_mean(const double *x, size_t n)
{
	double sum = 0.0, carry = 0.0;
	size_t i;

	if (n == 0)
		return NAN;
	/* Neumaier's compensated summation. */
	for (i = 0; i < n; i++) {
		double t = sum + x[i];

		if (fabs(sum) >= fabs(x[i]))
			carry += (sum - t) + x[i];
		else
			carry += (x[i] - t) + sum;
		sum = t;
	}
	return (sum + carry) / (double)n;
}

/* Salaries by bit pattern: see stats.h. Passes where every value has
 * the same byte are skipped. */
void stats_sort_salaries_with(double *v, size_t n, uint64_t *scratch)
{
	uint64_t *u = (uint64_t *)(void *)v, *src = u, *dst = scratch, *swap;
	size_t count[8][256], k;
	int pass, b;

	if (n < 2)
		return;
	if (n <= 32) {
		/* a few: insertion sort of the same bit patterns */
		for (k = 1; k < n; k++) {
			uint64_t x = u[k];
			size_t j = k;

			for (; j > 0 && u[j - 1] > x; j--)
				u[j] = u[j - 1];
			u[j] = x;
		}
		return;
	}
	/* every byte's counts in one read of the values */
	memset(count, 0, sizeof(count));
	for (k = 0; k < n; k++) {
		uint64_t x = src[k];

		for (pass = 0; pass < 8; pass++)
			count[pass][(x >> (8 * pass)) & 0xFF]++;
	}
	for (pass = 0; pass < 8; pass++) {
		size_t *c = count[pass], pos = 0;
		int shift = 8 * pass;

		if (c[(src[0] >> shift) & 0xFF] == n)
			continue;
		for (b = 0; b < 256; b++) {
			size_t here = c[b];

			c[b] = pos;
			pos += here;
		}
		for (k = 0; k < n; k++)
			dst[c[(src[k] >> shift) & 0xFF]++] = src[k];
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != u)
		memcpy(u, src, n * sizeof(*u));
}

void stats_sort_salaries(double *v, size_t n)
{
	uint64_t *scratch;

	if (n <= 32) {
		stats_sort_salaries_with(v, n, NULL);
		return;
	}
	scratch = xmalloc(n * sizeof(*scratch));
	stats_sort_salaries_with(v, n, scratch);
	free(scratch);
}

double stats_median_sorted(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	if (n % 2 == 1)
		return x[n / 2];
	return x[n / 2 - 1] + (x[n / 2] - x[n / 2 - 1]) / 2.0;
}

enum stats_status stats_pay_quartiles(const double *pay, const size_t *group,
				      size_t n, size_t groups, double *counts)
{
	size_t bound[5], i, j, k, q;

	for (i = 0; i < 4 * groups; i++)
		counts[i] = 0.0;
	if (groups == 0)
		return STATS_INVALID;
	for (i = 0; i < n; i++)
		if (!isfinite(pay[i]) || group[i] >= groups ||
		    (i > 0 && pay[i] < pay[i - 1]))
			return STATS_INVALID;
	if (n == 0)
		return STATS_NO_DENOMINATOR;
	/* Quartile q holds places [bound[q], bound[q + 1]). */
	bound[0] = 0;
	for (q = 0; q < 4; q++)
		bound[q + 1] = bound[q] + n / 4 + (q < n % 4 ? 1 : 0);
	/* Each block [i, j) of equal pay gives each member a weight in every
	 * quartile equal to the fraction of the block's places in it. */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && pay[j] == pay[i]; j++)
			;
		for (q = 0; q < 4; q++) {
			size_t lo = i > bound[q] ? i : bound[q];
			size_t hi = j < bound[q + 1] ? j : bound[q + 1];
			double w;

			if (lo >= hi)
				continue;
			w = hi - lo == j - i ? 1.0 :
			    (double)(hi - lo) / (double)(j - i);
			for (k = i; k < j; k++)
				counts[q * groups + group[k]] += w;
		}
	}
	return STATS_OK;
}

/* --- Differences of means and trends ---------------------------------- */

static void difference_nan(struct difference_result *out)
{
	out->difference = NAN;
	out->se = NAN;
	out->df = NAN;
	interval_nan(&out->ci);
	out->p_value = NAN;
}

enum stats_status stats_welch_difference(double mean1, double sd1, double n1,
					 double mean2, double sd2, double n2,
					 double confidence,
					 struct difference_result *out)
{
	double v1, v2, t;

	difference_nan(out);
	if (!isfinite(mean1) || !isfinite(mean2) || !is_count(sd1) ||
	    !is_count(sd2) || !is_count(n1) || !is_count(n2) || n1 < 2 ||
	    n2 < 2 || !is_level(confidence))
		return STATS_INVALID;
	out->difference = mean1 - mean2;
	v1 = sd1 * sd1 / n1;
	v2 = sd2 * sd2 / n2;
	if (v1 + v2 <= 0)
		return STATS_NO_VARIATION;
	out->se = sqrt(v1 + v2);
	out->df = (v1 + v2) * (v1 + v2) /
		  (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
	t = gsl_cdf_tdist_Pinv(1 - (1 - confidence) / 2, out->df);
	out->ci.low = out->difference - t * out->se;
	out->ci.high = out->difference + t * out->se;
	out->p_value = 2 * gsl_cdf_tdist_Q(fabs(out->difference) / out->se,
					   out->df);
	if (out->p_value > 1)
		out->p_value = 1;
	return STATS_OK;
}

enum stats_status stats_normal_difference(double mean1, double sd1, double n1,
					  double mean2, double sd2, double n2,
					  double confidence,
					  struct difference_result *out)
{
	double z;

	difference_nan(out);
	if (!isfinite(mean1) || !isfinite(mean2) || !is_count(sd1) ||
	    !is_count(sd2) || !is_count(n1) || !is_count(n2) || n1 < 1 ||
	    n2 < 1 || !is_level(confidence))
		return STATS_INVALID;
	out->difference = mean1 - mean2;
	out->se = sqrt(sd1 * sd1 / n1 + sd2 * sd2 / n2);
	if (out->se <= 0) {
		out->se = NAN;
		return STATS_NO_VARIATION;
	}
	z = critical_z(confidence);
	out->ci.low = out->difference - z * out->se;
	out->ci.high = out->difference + z * out->se;
	out->p_value = 2 * gsl_cdf_ugaussian_Q(fabs(out->difference) / out->se);
	return STATS_OK;
}

enum stats_status stats_wls_trend(const double *x, const double *y,
				  const double *var, size_t n,
				  double confidence, struct trend_result *out)
{
	double sw = 0, swx = 0, swy = 0, sxx = 0, sxy = 0, xbar, ybar, z;
	size_t k, used = 0;

	out->slope = out->se = out->z = out->mean_y = NAN;
	out->p_narrowing = out->p_widening = NAN;
	interval_nan(&out->ci);
	out->points = 0;
	if (!is_level(confidence))
		return STATS_INVALID;
	for (k = 0; k < n; k++) {
		double w;

		if (!isfinite(x[k]) || !isfinite(y[k]) || !isfinite(var[k]) ||
		    var[k] <= 0)
			continue;
		w = 1 / var[k];
		sw += w;
		swx += w * x[k];
		swy += w * y[k];
		used++;
	}
	out->points = used;
	if (used < 2)
		return STATS_NO_DENOMINATOR;
	xbar = swx / sw;
	ybar = swy / sw;
	for (k = 0; k < n; k++) {
		double w;

		if (!isfinite(x[k]) || !isfinite(y[k]) || !isfinite(var[k]) ||
		    var[k] <= 0)
			continue;
		w = 1 / var[k];
		sxx += w * (x[k] - xbar) * (x[k] - xbar);
		sxy += w * (x[k] - xbar) * (y[k] - ybar);
	}
	out->mean_y = ybar;
	if (!(sxx > 0))
		return STATS_NO_DENOMINATOR;
	out->slope = sxy / sxx;
	out->se = 1 / sqrt(sxx);
	out->z = out->slope / out->se;
	z = critical_z(confidence);
	out->ci.low = out->slope - z * out->se;
	out->ci.high = out->slope + z * out->se;
	if (ybar < 0) {
		out->p_narrowing = gsl_cdf_ugaussian_Q(out->z);
		out->p_widening = gsl_cdf_ugaussian_P(out->z);
	} else if (ybar > 0) {
		out->p_narrowing = gsl_cdf_ugaussian_P(out->z);
		out->p_widening = gsl_cdf_ugaussian_Q(out->z);
	}
	return STATS_OK;
}

enum stats_status stats_funnel_difference(double target, double se,
					  double confidence,
					  struct interval *out)
{
	double half_width;

	interval_nan(out);
	if (!isfinite(target) || !is_count(se) || !is_level(confidence))
		return STATS_INVALID;
	half_width = critical_z(confidence) * se;
	out->low = target - half_width;
	out->high = target + half_width;
	return STATS_OK;
}
