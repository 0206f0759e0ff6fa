/*
 * workforce.c - the workforce measures of workforce.h, from pooled
 * aggregates to tidy-table rows.
 *
 * The aggregates are indexed by detailed category; each measure first folds
 * them into the output groups of the chosen level (pay vectors merged and
 * re-sorted, event and applicant counts summed), then computes shares,
 * ratios and averages with the functions of stats.h.
 */
#include "measure/workforce.h"

#include "base/alloc.h"
#include "domain/sex.h"
#include "measure/stats.h"
#include "table/render.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Output groups at any level, plus not known and prefer not to say. */
#define MAX_GROUPS (ETHNICITY_DETAILED_COUNT + 2)

#define EN_DASH "\xE2\x80\x93"
#define POUND "\xC2\xA3"

/* The pooled figures of one output group. */
struct group_figures {
	double *pay;     /* annual salaries, ascending; owned */
	size_t n;
	struct store_event_count events[STORE_EVENT_COUNT];
	struct store_applicant_count applicants;
};

struct ctx {
	const struct workforce_options *opt;
	struct tidy_table *t;
	const struct area *area;
	int year;
	size_t groups;   /* declared output groups; groups, groups + 1 are the
			  * non-declared states */
	size_t ref;
	const char *level_note; /* NULL for detailed and high */
	struct group_figures g[MAX_GROUPS];
	double declared; /* staff with a declared ethnicity */
	double all;      /* all staff */
	double per_hour; /* multiply an annual salary by this */
	const int *covered; /* leaves with returns, when not all; else NULL */
	size_t ncovered;
	size_t nleaves;
	char coverage[640]; /* "returns from 4 of 33 authorities", or "" */
	size_t returns;      /* submissions pooled */
	size_t returns_2011; /* of which used 2011 categories */
	/* By sex (workforce_sex_measures()): the sex every row is of, put
	 * before the row's own breakdown ("female", "female; promoted"), and
	 * what the note adds; NULL for the measures of all staff. */
	const char *sex;
	const char *sex_note;
};

void workforce_options_init(struct workforce_options *opt)
{
	size_t k;

	memset(opt, 0, sizeof(*opt));
	opt->level = ETH_LEVEL_DETAILED;
	opt->reference = WORKFORCE_REFERENCE_DEFAULT;
	opt->full_time_hours = WORKFORCE_FULL_TIME_HOURS;
	opt->benchmark = NULL;
	for (k = 0; k < 9; k++)
		opt->band_bounds[k] = 20000.0 + 10000.0 * (double)k;
	opt->band_bound_count = 9;
	opt->ceiling_min_staff = 10;
	opt->pay_min_group = WORKFORCE_PAY_MIN_GROUP;
	opt->ceiling_min_drop = 0.2;
}

size_t workforce_reference(const struct workforce_options *opt)
{
	if (opt->reference != WORKFORCE_REFERENCE_DEFAULT)
		return opt->reference;
	return ethnicity_level_group(ETH_WBRI, opt->level);
}

int workforce_reference_parse(const char *text, enum ethnicity_level level,
			      size_t *out, struct parity_error *err)
{
	size_t n = ethnicity_level_group_count(level), k;

	for (k = 0; k < n; k++) {
		const char *code = ethnicity_level_group_code(level, k);
		const char *label = ethnicity_level_group_label(level, k);

		if ((code && strcasecmp(code, text) == 0) ||
		    (label && strcasecmp(label, text) == 0) ||
		    (level == ETH_LEVEL_DETAILED &&
		     strcasecmp(ethnicity_category((enum ethnicity_id)k)->label,
				text) == 0)) {
			*out = k;
			return 0;
		}
	}
	/* 'White British' names the detailed category WBRI. */
	if (strcasecmp(text, "White British") == 0 &&
	    (level == ETH_LEVEL_DETAILED ||
	     level == ETH_LEVEL_WHITE_BRITISH_BINARY)) {
		*out = ethnicity_level_group(ETH_WBRI, level);
		return 0;
	}
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"reference group '%s' is not a group at level "
				"%s: give its code (e.g. %s) or its label",
				text, ethnicity_level_name(level),
				ethnicity_level_group_code(
					level, ethnicity_level_group(ETH_WBRI,
								     level)));
}

/* '£20,000' style, whole pounds. */
static void format_pounds(double v, char *buf, size_t size)
{
	char digits[24]; /* "1,000,000,000" fits with room */

	format_value(v, UNIT_COUNT, digits, sizeof(digits));
	snprintf(buf, size, POUND "%s", digits);
}

void workforce_band_label(const struct workforce_options *opt, size_t index,
			  char *buf, size_t size)
{
	char lo[32], hi[32];
	size_t n = opt->band_bound_count;

	if (n == 0) {
		snprintf(buf, size, "%s", "All pay");
		return;
	}
	if (index == 0) {
		format_pounds(opt->band_bounds[0], lo, sizeof(lo));
		snprintf(buf, size, "< %s", lo);
	} else if (index >= n) {
		format_pounds(opt->band_bounds[n - 1], lo, sizeof(lo));
		snprintf(buf, size, "%s and over", lo);
	} else {
		format_pounds(opt->band_bounds[index - 1], lo, sizeof(lo));
		format_pounds(opt->band_bounds[index] - 1, hi, sizeof(hi));
		snprintf(buf, size, "%s" EN_DASH "%s", lo, hi);
	}
}

/* ---- folding the aggregates into output groups ---- */

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void fold(struct ctx *c, const struct store_aggregates *agg)
{
	size_t e, k, cap[MAX_GROUPS] = { 0 };
	bool merged[MAX_GROUPS] = { false };

	for (e = 0; e < ETH_COUNT; e++) {
		size_t g = ethnicity_level_group((enum ethnicity_id)e,
						 c->opt->level);
		struct group_figures *f = &c->g[g];

		if (agg->pay_count[e] > 0) {
			f->pay = xgrow(f->pay, &cap[g],
				       f->n + agg->pay_count[e],
				       sizeof(*f->pay));
			memcpy(f->pay + f->n, agg->pay[e],
			       agg->pay_count[e] * sizeof(*f->pay));
			if (f->n > 0)
				merged[g] = true;
			f->n += agg->pay_count[e];
		}
		for (k = 0; k < STORE_EVENT_COUNT; k++) {
			f->events[k].yes += agg->events[k][e].yes;
			f->events[k].no += agg->events[k][e].no;
			f->events[k].missing += agg->events[k][e].missing;
		}
		f->applicants.applied += agg->applicants[e].applied;
		f->applicants.shortlisted += agg->applicants[e].shortlisted;
		f->applicants.appointed += agg->applicants[e].appointed;
	}
	for (k = 0; k < c->groups + 2; k++) {
		if (merged[k])
			qsort(c->g[k].pay, c->g[k].n, sizeof(double),
			      compare_double);
		c->all += (double)c->g[k].n;
		if (k < c->groups)
			c->declared += (double)c->g[k].n;
	}
}

static void release(struct ctx *c)
{
	size_t k;

	for (k = 0; k < MAX_GROUPS; k++)
		free(c->g[k].pay);
}

/* ---- rows ---- */

static struct tidy_row *add_row(struct ctx *c, const char *measure,
				const char *ethnicity, const char *breakdown,
				const char *note)
{
	struct tidy_row *r = tidy_table_add_row(c->t);
	char buf[2048], bd[256];

	r->measure = tidy_table_intern(c->t, measure);
	r->area_code = tidy_table_intern(c->t, c->area->code);
	r->area_name = tidy_table_intern(c->t, c->area->name);
	r->area_type = tidy_table_intern(c->t, area_type_name(c->area->type));
	r->year = c->year;
	r->ethnicity = tidy_table_intern(c->t, ethnicity);
	r->ethnicity_level =
		tidy_table_intern(c->t, ethnicity_level_name(c->opt->level));
	if (c->sex && breakdown && breakdown[0])
		snprintf(bd, sizeof(bd), "%s; %s", c->sex, breakdown);
	else
		snprintf(bd, sizeof(bd), "%s",
			 c->sex ? c->sex : breakdown ? breakdown : "");
	r->breakdown = tidy_table_intern(c->t, bd);
	if (c->level_note && note && note[0])
		snprintf(buf, sizeof(buf), "%s; %s", note, c->level_note);
	else if (c->level_note)
		snprintf(buf, sizeof(buf), "%s", c->level_note);
	else
		snprintf(buf, sizeof(buf), "%s", note ? note : "");
	if (c->sex_note)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 buf[0] ? "; " : "", c->sex_note);
	r->note = tidy_table_intern(c->t, buf);
	return r;
}

static const char *label(const struct ctx *c, size_t g)
{
	return ethnicity_level_group_label(c->opt->level, g);
}

/* x of n as a percentage with its Wilson interval, into r; left NAN when
 * n is 0. */
static void share(struct tidy_row *r, double x, double n)
{
	struct interval ci;

	r->numerator = x;
	r->denominator = n;
	if (n <= 0)
		return;
	r->value = 100.0 * x / n;
	if (stats_wilson(x, n, STATS_CONF95, &ci) == STATS_OK) {
		r->ci_low = 100.0 * ci.low;
		r->ci_high = 100.0 * ci.high;
	}
}

static void counts(struct ctx *c)
{
	size_t g;
	struct tidy_row *r;

	for (g = 0; g < c->groups + 2; g++) {
		r = add_row(c, "staff_count", label(c, g), NULL, NULL);
		r->value = (double)c->g[g].n;
	}
	r = add_row(c, "staff_count", "All staff", NULL, c->coverage);
	r->value = c->all;
}

static double not_known(const struct ctx *c)
{
	return (double)(c->g[c->groups].n + c->g[c->groups + 1].n);
}

static void not_known_rates(struct ctx *c, const struct ctx *prev)
{
	struct tidy_row *r;
	size_t k;

	r = add_row(c, "not_known_rate", "Not known or prefer not to say", NULL,
		    "not known and prefer not to say combined, of all staff");
	share(r, not_known(c), c->all);
	for (k = c->groups; k < c->groups + 2; k++) {
		r = add_row(c, "not_known_rate", label(c, k), NULL, NULL);
		share(r, (double)c->g[k].n, c->all);
	}
	if (prev && prev->all > 0 && c->all > 0) {
		struct ztest_result z;
		double now = not_known(c) / c->all;
		double before = not_known(prev) / prev->all;
		char note[256];

		snprintf(note, sizeof(note),
			 "change from %d in percentage points; numerator: "
			 "staff not known or prefer not to say in %d, "
			 "denominator: all staff in %d; p from a "
			 "two-proportion z-test",
			 c->year - 1, c->year - 1, c->year - 1);
		r = add_row(c, "not_known_change_pp",
			    "Not known or prefer not to say", NULL, note);
		r->value = 100.0 * (now - before);
		r->numerator = not_known(prev);
		r->denominator = prev->all;
		if (stats_two_proportion_ztest(not_known(c), c->all,
					       not_known(prev), prev->all,
					       &z) == STATS_OK)
			r->p_value = z.p_two_sided;
	}
}

/* ---- trends ---- */

/* At the detailed level, Roma and Other White are the two 2021 categories
 * that 2011's Other White became. */
static bool roma_or_other_white(const struct ctx *c, size_t g)
{
	return c->opt->level == ETH_LEVEL_DETAILED &&
	       (g == ethnicity_level_group(ETH_WROM, c->opt->level) ||
		g == ethnicity_level_group(ETH_WOTH, c->opt->level));
}

/* One staff_share_change_pp row: x of n now against px of pn the year
 * before. */
static void share_change_row(struct ctx *c, const char *group, double x,
			     double n, double px, double pn, const char *note)
{
	struct tidy_row *r = add_row(c, "staff_share_change_pp", group, NULL,
				     note);
	struct ztest_result z;

	if (n <= 0 || pn <= 0)
		return;
	r->numerator = px;
	r->denominator = pn;
	r->value = 100.0 * x / n - 100.0 * px / pn;
	if (stats_two_proportion_ztest(x, n, px, pn, &z) == STATS_OK)
		r->p_value = z.p_two_sided;
}

/*
 * Each group's change in staff_share from the year before, in percentage
 * points. When either year pooled returns that used 2011 categories, the
 * series crosses the classification change: every row says so, and at the
 * detailed level Roma and Other White are compared combined, as 2011's
 * Other White, through the crosswalk.
 */
static void share_changes(struct ctx *c, const struct ctx *prev)
{
	size_t g, wrom, woth;
	bool crossing = c->returns_2011 > 0 || prev->returns_2011 > 0;
	char note[512], base[320];

	if (c->declared <= 0 || prev->declared <= 0)
		return;
	snprintf(base, sizeof(base),
		 "change in %% of staff with a declared ethnicity from %d; "
		 "numerator: staff in the group in %d, denominator: staff "
		 "with a declared ethnicity in %d; p from a two-proportion "
		 "z-test", prev->year, prev->year, prev->year);
	if (crossing)
		snprintf(note, sizeof(note),
			 "%s; break in series: 2011 categories used by %zu of "
			 "%zu returns in %d and %zu of %zu in %d",
			 base, prev->returns_2011, prev->returns, prev->year,
			 c->returns_2011, c->returns, c->year);
	else
		snprintf(note, sizeof(note), "%s", base);
	for (g = 0; g < c->groups; g++) {
		if (crossing && roma_or_other_white(c, g))
			continue;
		share_change_row(c, label(c, g), (double)c->g[g].n,
				 c->declared, (double)prev->g[g].n,
				 prev->declared, note);
	}
	if (!crossing || c->opt->level != ETH_LEVEL_DETAILED)
		return;
	wrom = ethnicity_level_group(ETH_WROM, c->opt->level);
	woth = ethnicity_level_group(ETH_WOTH, c->opt->level);
	snprintf(note, sizeof(note),
		 "%s; break in series: 2011 categories used by %zu of %zu "
		 "returns in %d and %zu of %zu in %d, so Roma and Other White "
		 "are compared combined, as 2011's Other White (crosswalk)",
		 base, prev->returns_2011, prev->returns, prev->year,
		 c->returns_2011, c->returns, c->year);
	share_change_row(c, WORKFORCE_2011_OTHER_WHITE,
			 (double)(c->g[wrom].n + c->g[woth].n), c->declared,
			 (double)(prev->g[wrom].n + prev->g[woth].n),
			 prev->declared, note);
}

/* Residents of the area, or of the leaves covered when not all are. `*whole`
 * is set when the leaves have no figures of their own (a benchmark file
 * that gives only the area) and the whole area's were used instead. */
static int residents(const struct ctx *c, int area, double *pop,
		     double *total, bool *whole, struct parity_error *err)
{
	double part[MAX_GROUPS], t;
	size_t g, k;
	struct parity_error leaf_err = PARITY_ERROR_INIT;

	*whole = false;
	if (!c->covered)
		return benchmark_populations(c->opt->benchmark, area,
					     c->opt->level, pop, total, err);
	*total = 0;
	for (g = 0; g < c->groups; g++)
		pop[g] = 0;
	for (k = 0; k < c->ncovered; k++) {
		if (benchmark_populations(c->opt->benchmark, c->covered[k],
					  c->opt->level, part, &t,
					  &leaf_err) < 0) {
			*whole = true;
			return benchmark_populations(c->opt->benchmark, area,
						     c->opt->level, pop, total,
						     err);
		}
		for (g = 0; g < c->groups; g++)
			pop[g] += part[g];
		*total += t;
	}
	return 0;
}

static int representation(struct ctx *c, int area, struct parity_error *err)
{
	double pop[MAX_GROUPS], total = 0;
	size_t g;
	struct tidy_row *r;
	const struct benchmark *b = c->opt->benchmark;
	char source[512];
	bool whole;

	for (g = 0; g < c->groups; g++) {
		char note[320];

		snprintf(note, sizeof(note), "%s",
			 "% of staff with a declared ethnicity");
		if (c->returns_2011 && roma_or_other_white(c, g))
			snprintf(note + strlen(note),
				 sizeof(note) - strlen(note),
				 "; %zu of %zu returns used 2011 categories, "
				 "which count Roma in Other White",
				 c->returns_2011, c->returns);
		r = add_row(c, "staff_share", label(c, g), NULL, note);
		share(r, (double)c->g[g].n, c->declared);
	}
	if (!b)
		return 0;
	if (residents(c, area, pop, &total, &whole, err) < 0)
		return -1;
	if (c->covered && whole)
		snprintf(source, sizeof(source),
			 "%s of all of %s (the benchmark has no figures for "
			 "the %zu of %zu authorities with returns)",
			 benchmark_source(b), c->area->name, c->ncovered,
			 c->nleaves);
	else if (c->covered)
		snprintf(source, sizeof(source),
			 "%s of the %zu of %zu authorities with returns",
			 benchmark_source(b), c->ncovered, c->nleaves);
	else
		snprintf(source, sizeof(source), "%s", benchmark_source(b));
	/* Residents by ethnicity and sex are not in the bundled census: a
	 * group's share of women staff is set against its share of all
	 * residents, and the note says so. */
	if (c->sex)
		snprintf(source + strlen(source), sizeof(source) - strlen(source),
			 ", residents of both sexes: Census 2021 ethnicity by "
			 "sex by local authority is not in parity's data");
	for (g = 0; g < c->groups && !c->sex; g++) {
		r = add_row(c, "benchmark_share", label(c, g), NULL, source);
		r->numerator = pop[g];
		r->denominator = total;
		if (total > 0)
			r->value = 100.0 * pop[g] / total;
	}
	for (g = 0; g < c->groups; g++) {
		double bs = total > 0 ? pop[g] / total : 0;
		struct interval ci;
		char note[1024];

		snprintf(note, sizeof(note),
			 "staff share / resident share (%s); interval: Wilson "
			 "interval of the staff share / resident share; p: "
			 "score test of the staff share against the resident "
			 "share",
			 source);
		if (c->declared <= 0)
			snprintf(note, sizeof(note), "%s",
				 "not calculable: no staff with a declared "
				 "ethnicity");
		else if (bs <= 0)
			snprintf(note, sizeof(note), "%s",
				 "not calculable: no residents in this group");
		r = add_row(c, "representation_ratio", label(c, g), NULL, note);
		r->numerator = (double)c->g[g].n;
		r->denominator = c->declared;
		if (c->declared <= 0 || bs <= 0)
			continue;
		r->value = ((double)c->g[g].n / c->declared) / bs;
		/* the score test of share = bs, which the Wilson interval
		 * inverts: p < 0.05 exactly when the interval excludes 1 */
		if (bs < 1)
			r->p_value = erfc(fabs((double)c->g[g].n / c->declared -
					       bs) /
					  sqrt(bs * (1 - bs) / c->declared) /
					  sqrt(2.0));
		if (stats_wilson((double)c->g[g].n, c->declared, STATS_CONF95,
				 &ci) == STATS_OK) {
			r->ci_low = ci.low / bs;
			r->ci_high = ci.high / bs;
			if (r->ci_low > 1)
				r->flag = tidy_table_intern(c->t, "over");
			else if (r->ci_high < 1)
				r->flag = tidy_table_intern(c->t, "under");
		}
	}
	return 0;
}

/* ---- pay ---- */

/* How hourly pay is worked out, for the notes. */
static void hourly_note(const struct ctx *c, char *buf, size_t size)
{
	snprintf(buf, size,
		 "annual full-time-equivalent salary / (%.3f weeks x %g hours)",
		 WORKFORCE_WEEKS_PER_YEAR, c->opt->full_time_hours);
}

#define GAP_NOTE                                                             \
	"(reference - group) / reference x 100; numerator: group hourly "   \
	"pay, denominator: reference hourly pay; reference: "

/* Whether a group of n staff is below the minimum for pay measures. */
static bool small_for_pay(const struct ctx *c, size_t n)
{
	return c->opt->pay_min_group > 0 && (double)n < c->opt->pay_min_group;
}

/* mean_pay_gap and median_pay_gap rows for a group with `n` salaries
 * `pay` (ascending), against the reference's hourly mean and median;
 * `pay` NULL leaves the values out. `level` overrides the row's level. */
static void gap_rows(struct ctx *c, const char *group, const char *level,
		     const char *note, const double *pay, size_t n,
		     double ref_mean, double ref_median)
{
	int pass;

	for (pass = 0; pass < 2; pass++) {
		double refv = pass ? ref_median : ref_mean;
		struct tidy_row *r;
		double v;

		r = add_row(c, pass ? "median_pay_gap" : "mean_pay_gap", group,
			    NULL, note);
		if (level)
			r->ethnicity_level = tidy_table_intern(c->t, level);
		if (!pay)
			continue;
		v = (pass ? stats_median_sorted(pay, n) : stats_mean(pay, n)) *
		    c->per_hour;
		r->numerator = v;
		r->denominator = refv;
		r->value = (refv - v) / refv * 100.0;
	}
}

/* Hourly pay and pay gap rows for staff pooled from the groups marked in
 * `members`, labelled `group` at `level`. */
static void pooled_pay_rows(struct ctx *c, const bool *members,
			    const char *group, const char *level,
			    const char *why, double ref_mean,
			    double ref_median)
{
	size_t g, n = 0, at = 0;
	double *pay;
	char note[1024], hourly[160];
	struct tidy_row *r;
	int pass;

	for (g = 0; g < c->groups; g++)
		if (members[g])
			n += c->g[g].n;
	pay = xmalloc((n ? n : 1) * sizeof(*pay));
	for (g = 0; g < c->groups; g++)
		if (members[g] && c->g[g].n) {
			memcpy(pay + at, c->g[g].pay, c->g[g].n * sizeof(*pay));
			at += c->g[g].n;
		}
	qsort(pay, n, sizeof(*pay), compare_double);
	for (pass = 0; pass < 2; pass++) {
		hourly_note(c, hourly, sizeof(hourly));
		snprintf(note, sizeof(note), "%s; %s", why, hourly);
		r = add_row(c, pass ? "median_hourly_pay" : "mean_hourly_pay",
			    group, NULL, note);
		r->ethnicity_level = tidy_table_intern(c->t, level);
		r->denominator = (double)n;
		r->value = (pass ? stats_median_sorted(pay, n)
				 : stats_mean(pay, n)) * c->per_hour;
	}
	snprintf(note, sizeof(note), "%s; %s%s", why, GAP_NOTE,
		 label(c, c->ref));
	gap_rows(c, group, level, note, pay, n, ref_mean, ref_median);
	free(pay);
}

/*
 * Groups below the minimum size for pay measures are given combined: at
 * the detailed level, with the rest of their high-level group (less the
 * reference group); where even that is too small, or at the high level,
 * every group other than the reference combined, as a last resort, saying
 * so.
 */
static void combined_pay(struct ctx *c, double ref_mean, double ref_median)
{
	bool members[MAX_GROUPS], last_resort[MAX_GROUPS] = { false };
	bool any_last = false;
	size_t g, h, k, n;
	char group[256], why[768], names[512];
	const char *level = "two-way";

	if (c->opt->pay_min_group <= 0 ||
	    (c->opt->level != ETH_LEVEL_DETAILED &&
	     c->opt->level != ETH_LEVEL_HIGH))
		return;
	for (h = 0; c->opt->level == ETH_LEVEL_DETAILED &&
		    h < ethnicity_level_group_count(ETH_LEVEL_HIGH); h++) {
		bool small = false;

		n = 0;
		memset(members, 0, sizeof(members));
		for (g = 0; g < c->groups; g++) {
			if (g == c->ref || ethnicity_level_group(
					(enum ethnicity_id)g, ETH_LEVEL_HIGH) != h)
				continue;
			members[g] = true;
			n += c->g[g].n;
			if (c->g[g].n > 0 && small_for_pay(c, c->g[g].n))
				small = true;
		}
		if (!small)
			continue;
		if (small_for_pay(c, n)) {
			for (g = 0; g < c->groups; g++)
				if (members[g] && c->g[g].n > 0 &&
				    small_for_pay(c, c->g[g].n))
					last_resort[g] = any_last = true;
			continue;
		}
		if (ethnicity_level_group((enum ethnicity_id)c->ref,
					  ETH_LEVEL_HIGH) == h)
			snprintf(group, sizeof(group), "%s, other than %s",
				 ethnicity_level_group_label(ETH_LEVEL_HIGH, h),
				 label(c, c->ref));
		else
			snprintf(group, sizeof(group), "%s",
				 ethnicity_level_group_label(ETH_LEVEL_HIGH, h));
		names[0] = '\0';
		for (g = 0, k = 0; g < c->groups; g++)
			if (members[g])
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 k++ ? ", " : "",
					 ethnicity_level_group_code(c->opt->level,
								    g));
		snprintf(why, sizeof(why),
			 "combined (%s) because a group in it has fewer than "
			 "%g staff, the minimum group size for pay measures",
			 names, c->opt->pay_min_group);
		pooled_pay_rows(c, members, group, "high", why, ref_mean,
				ref_median);
	}
	for (g = 0; c->opt->level == ETH_LEVEL_HIGH && g < c->groups; g++)
		if (g != c->ref && c->g[g].n > 0 && small_for_pay(c, c->g[g].n))
			last_resort[g] = any_last = true;
	if (!any_last)
		return;
	memset(members, 0, sizeof(members));
	names[0] = '\0';
	for (g = 0, k = 0; g < c->groups; g++) {
		members[g] = g != c->ref;
		if (last_resort[g])
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 k++ ? ", " : "",
				 ethnicity_level_group_code(c->opt->level, g));
	}
	if (c->ref == (size_t)ETH_WBRI && c->opt->level == ETH_LEVEL_DETAILED) {
		level = ethnicity_level_name(ETH_LEVEL_WHITE_BRITISH_BINARY);
		snprintf(group, sizeof(group), "%s",
			 ethnicity_level_group_label(
				 ETH_LEVEL_WHITE_BRITISH_BINARY, 1));
	} else {
		snprintf(group, sizeof(group),
			 "All groups other than %s combined", label(c, c->ref));
	}
	snprintf(why, sizeof(why),
		 "last resort: %s %s fewer than %g staff even combined by "
		 "high-level group, so every group other than %s is combined "
		 "into one; this two-way split hides the differences between "
		 "the groups it merges",
		 names, k == 1 ? "has" : "have", c->opt->pay_min_group,
		 label(c, c->ref));
	pooled_pay_rows(c, members, group, level, why, ref_mean, ref_median);
}

static void pay(struct ctx *c)
{
	size_t g, total_n = 0, at = 0;
	double *all;
	double ref_mean = NAN, ref_median = NAN;
	struct tidy_row *r;
	char note[512];
	const struct group_figures *ref = &c->g[c->ref];
	bool combines = c->opt->level == ETH_LEVEL_DETAILED ||
			c->opt->level == ETH_LEVEL_HIGH;

	for (g = 0; g < c->groups + 2; g++) {
		const struct group_figures *f = &c->g[g];
		bool small = f->n > 0 && small_for_pay(c, f->n);

		if (small)
			snprintf(note, sizeof(note),
				 "not given: fewer than %g staff in this group "
				 "(the minimum group size for pay measures)",
				 c->opt->pay_min_group);
		else
			hourly_note(c, note, sizeof(note));
		r = add_row(c, "mean_hourly_pay", label(c, g), NULL, note);
		r->denominator = (double)f->n;
		if (!small)
			r->value = stats_mean(f->pay, f->n) * c->per_hour;
		r = add_row(c, "median_hourly_pay", label(c, g), NULL, note);
		r->denominator = (double)f->n;
		if (!small)
			r->value = stats_median_sorted(f->pay, f->n) *
				   c->per_hour;
		total_n += f->n;
	}
	hourly_note(c, note, sizeof(note));
	all = xmalloc((total_n ? total_n : 1) * sizeof(*all));
	for (g = 0; g < c->groups + 2; g++) {
		if (c->g[g].n)
			memcpy(all + at, c->g[g].pay,
			       c->g[g].n * sizeof(*all));
		at += c->g[g].n;
	}
	qsort(all, total_n, sizeof(*all), compare_double);
	r = add_row(c, "mean_hourly_pay", "All staff", NULL, note);
	r->denominator = (double)total_n;
	r->value = stats_mean(all, total_n) * c->per_hour;
	r = add_row(c, "median_hourly_pay", "All staff", NULL, note);
	r->denominator = (double)total_n;
	r->value = stats_median_sorted(all, total_n) * c->per_hour;
	free(all);

	if (ref->n > 0) {
		ref_mean = stats_mean(ref->pay, ref->n) * c->per_hour;
		ref_median = stats_median_sorted(ref->pay, ref->n) * c->per_hour;
	}
	for (g = 0; g < c->groups; g++) {
		const struct group_figures *f = &c->g[g];

		if (g == c->ref)
			continue;
		if (ref->n == 0)
			snprintf(note, sizeof(note),
				 "not calculable: no staff in the reference "
				 "group (%s)", label(c, c->ref));
		else if (f->n == 0)
			snprintf(note, sizeof(note), "%s",
				 "not calculable: no staff in this group");
		else if (small_for_pay(c, f->n))
			snprintf(note, sizeof(note),
				 "not given: fewer than %g staff in this group "
				 "(the minimum group size for pay measures)%s",
				 c->opt->pay_min_group,
				 combines && !small_for_pay(c, ref->n)
					 ? "; see the combined group"
					 : "");
		else if (small_for_pay(c, ref->n))
			snprintf(note, sizeof(note),
				 "not given: fewer than %g staff in the "
				 "reference group (%s)", c->opt->pay_min_group,
				 label(c, c->ref));
		else
			snprintf(note, sizeof(note), "%s%s", GAP_NOTE,
				 label(c, c->ref));
		gap_rows(c, label(c, g), NULL, note,
			 ref->n == 0 || f->n == 0 || small_for_pay(c, f->n) ||
					 small_for_pay(c, ref->n)
				 ? NULL
				 : f->pay,
			 f->n, ref_mean, ref_median);
	}
	if (ref->n > 0 && !small_for_pay(c, ref->n))
		combined_pay(c, ref_mean, ref_median);
}

/* How many of the ascending `pay` lie in [lo, hi). */
static size_t count_between(const double *pay, size_t n, double lo, double hi)
{
	size_t a = 0, b = 0;

	while (a < n && pay[a] < lo)
		a++;
	b = a;
	while (b < n && pay[b] < hi)
		b++;
	return b - a;
}

static void bands(struct ctx *c)
{
	size_t nb = c->opt->band_bound_count + 1, b, g;
	char name[64];

	for (b = 0; b < nb; b++) {
		double lo = b == 0 ? -INFINITY : c->opt->band_bounds[b - 1];
		double hi = b + 1 == nb ? INFINITY : c->opt->band_bounds[b];
		double in[MAX_GROUPS] = { 0 }, declared = 0;

		for (g = 0; g < c->groups; g++) {
			in[g] = (double)count_between(c->g[g].pay, c->g[g].n,
						      lo, hi);
			declared += in[g];
		}
		workforce_band_label(c->opt, b, name, sizeof(name));
		for (g = 0; g < c->groups; g++) {
			struct tidy_row *r = add_row(
				c, "band_share", label(c, g), name,
				declared > 0 ? "% of staff with a declared "
					       "ethnicity in the band"
					     : "not calculable: no staff with a "
					       "declared ethnicity in the band");

			share(r, in[g], declared);
		}
	}
}

/* ---- the glass ceiling ---- */

/* How many of the ascending `pay` are below `b`. */
static size_t count_below(const double *pay, size_t n, double b)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pay[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct ceiling {
	bool tested;
	size_t boundary;   /* index into band_bounds */
	size_t tried;      /* boundaries tested */
	double above, below; /* shares, 0-1 */
	double z, p, p_adj;
	double x_above, n_above;
};

static void ceiling_search(const struct ctx *c, size_t g, struct ceiling *out)
{
	size_t b, h;

	memset(out, 0, sizeof(*out));
	out->p = out->p_adj = NAN;
	for (b = 0; b < c->opt->band_bound_count; b++) {
		double bound = c->opt->band_bounds[b];
		double below_all = 0, below_g;
		struct ztest_result zt;

		for (h = 0; h < c->groups; h++)
			below_all += (double)count_below(c->g[h].pay,
							 c->g[h].n, bound);
		below_g = (double)count_below(c->g[g].pay, c->g[g].n, bound);
		if (below_all < c->opt->ceiling_min_staff ||
		    c->declared - below_all < c->opt->ceiling_min_staff)
			continue;
		if (stats_two_proportion_ztest((double)c->g[g].n - below_g,
					       c->declared - below_all, below_g,
					       below_all, &zt) != STATS_OK)
			continue;
		out->tried++;
		/* the most significant drop: the most negative z */
		if (!out->tested || zt.z < out->z) {
			out->tested = true;
			out->boundary = b;
			out->z = zt.z;
			out->p = zt.p_less;
			out->x_above = (double)c->g[g].n - below_g;
			out->n_above = c->declared - below_all;
			out->above = out->x_above / out->n_above;
			out->below = below_g / below_all;
		}
	}
	if (out->tested)
		out->p_adj = stats_bonferroni_one(out->p, out->tried);
}

static void glass_ceiling(struct ctx *c)
{
	struct ceiling found[MAX_GROUPS];
	double p[MAX_GROUPS] = { 0 };
	size_t g;
	char name[64], note[1024];

	for (g = 0; g < c->groups; g++) {
		ceiling_search(c, g, &found[g]);
		p[g] = found[g].p_adj;
	}
	stats_holm(p, c->groups, p);
	for (g = 0; g < c->groups; g++) {
		const struct ceiling *f = &found[g];
		struct tidy_row *r;
		double drop;

		if (!f->tested) {
			if (c->g[g].n == 0)
				snprintf(note, sizeof(note), "%s",
					 "not tested: no staff in this group");
			else if ((double)c->g[g].n >= c->declared)
				snprintf(note, sizeof(note), "%s",
					 "not tested: every member of staff "
					 "with a declared ethnicity is in this "
					 "group");
			else
				snprintf(note, sizeof(note),
					 "not tested: fewer than %g staff with "
					 "a declared ethnicity on one side of "
					 "every pay band boundary",
					 c->opt->ceiling_min_staff);
			add_row(c, "glass_ceiling", label(c, g), NULL, note);
			continue;
		}
		workforce_band_label(c->opt, f->boundary + 1, name,
				     sizeof(name));
		drop = f->below > 0 ? 1.0 - f->above / f->below : NAN;
		snprintf(note, sizeof(note),
			 "share of declared staff paid from %s up / share "
			 "below; numerator: staff in the group paid from %s "
			 "up, denominator: staff with a declared ethnicity "
			 "paid from %s up; the boundary with the most "
			 "significant drop of %zu tested; p from a one-sided "
			 "two-proportion z-test, Bonferroni-adjusted for the "
			 "boundaries tested, then Holm across groups; "
			 "flagged a ceiling when the drop is %.0f%% or more "
			 "and p is below 0.05",
			 name, name, name, f->tried,
			 100 * c->opt->ceiling_min_drop);
		r = add_row(c, "glass_ceiling", label(c, g), name, note);
		r->numerator = f->x_above;
		r->denominator = f->n_above;
		r->value = f->below > 0 ? f->above / f->below : NAN;
		r->p_value = p[g];
		if (!isnan(drop) && drop >= c->opt->ceiling_min_drop &&
		    p[g] < 0.05)
			r->flag = tidy_table_intern(c->t, "ceiling");
	}
}

/* ---- pay quartiles ---- */

struct paid {
	double pay;
	size_t group;
};

static int compare_paid(const void *a, const void *b)
{
	const struct paid *x = a, *y = b;

	if (x->pay != y->pay)
		return (x->pay > y->pay) - (x->pay < y->pay);
	return (x->group > y->group) - (x->group < y->group);
}

static void quartiles(struct ctx *c)
{
	static const char *const names[4] = {
		"lower quartile", "lower middle quartile",
		"upper middle quartile", "upper quartile"
	};
	size_t n = (size_t)c->declared, g, i, at = 0, q;
	struct paid *all = xmalloc((n ? n : 1) * sizeof(*all));
	double *pay = xmalloc((n ? n : 1) * sizeof(*pay));
	size_t *grp = xmalloc((n ? n : 1) * sizeof(*grp));
	double *counts = xcalloc(4 * c->groups, sizeof(*counts));
	double size[4];

	for (g = 0; g < c->groups; g++)
		for (i = 0; i < c->g[g].n; i++) {
			all[at].pay = c->g[g].pay[i];
			all[at++].group = g;
		}
	qsort(all, n, sizeof(*all), compare_paid);
	for (i = 0; i < n; i++) {
		pay[i] = all[i].pay;
		grp[i] = all[i].group;
	}
	stats_pay_quartiles(pay, grp, n, c->groups, counts);
	for (q = 0; q < 4; q++) {
		size_t places = n / 4 + (q < n % 4 ? 1 : 0);

		size[q] = (double)places;
	}
	for (q = 0; q < 4; q++)
		for (g = 0; g < c->groups; g++) {
			struct tidy_row *r = add_row(
				c, "pay_quartile_share", label(c, g), names[q],
				size[q] > 0
					? "% of the quartile; staff with a "
					  "declared ethnicity ranked by hourly "
					  "pay, tied pay split across quartiles "
					  "in proportion"
					: "not calculable: too few staff with a "
					  "declared ethnicity");

			r->numerator = counts[q * c->groups + g];
			r->denominator = size[q];
			if (size[q] > 0)
				r->value = 100.0 * r->numerator / size[q];
		}
	free(all);
	free(pay);
	free(grp);
	free(counts);
}

/* ---- relative likelihoods ---- */

static void likelihood_row(struct ctx *c, size_t g, const char *what,
			   bool wres, double a, double n1, double cref,
			   double n2)
{
	struct ratio_result rr;
	enum stats_status st;
	struct tidy_row *r;
	char note[512];
	bool all_events;

	/* the WRES orientation puts the reference on top */
	if (wres)
		st = stats_risk_ratio_katz(cref, n2, a, n1, STATS_CONF95, &rr);
	else
		st = stats_risk_ratio_katz(a, n1, cref, n2, STATS_CONF95, &rr);
	if (st == STATS_OK)
		snprintf(note, sizeof(note),
			 wres ? "WRES orientation: rate in reference (%s) / "
				"rate in group; numerator: rate in reference "
				"(%%), denominator: rate in group (%%); Katz "
				"interval"
			      : "rate in group / rate in reference (%s); "
				"numerator: rate in group (%%), denominator: "
				"rate in reference (%%); Katz interval",
			 label(c, c->ref));
	else
		snprintf(note, sizeof(note),
			 "%s: %s; reference: %s",
			 st == STATS_NO_VARIATION ? "interval not calculable"
						  : "not calculable",
			 stats_status_reason(st), label(c, c->ref));
	/* Everyone in one group had the event: that group adds nothing to
	 * the Katz variance, so the interval would be far too narrow (one
	 * member of staff could look significant). */
	all_events = st == STATS_OK && (a >= n1 || cref >= n2);
	if (all_events)
		snprintf(note, sizeof(note),
			 "interval not given: every member of %s had the "
			 "event, where the Katz interval understates the "
			 "uncertainty; reference: %s",
			 a >= n1 ? "the group" : "the reference group",
			 label(c, c->ref));
	r = add_row(c, wres ? "wres_relative_likelihood" : "relative_likelihood",
		    label(c, g), what, note);
	r->numerator = n1 > 0 ? 100.0 * a / n1 : NAN;
	r->denominator = n2 > 0 ? 100.0 * cref / n2 : NAN;
	if (wres) {
		double tmp = r->numerator;

		r->numerator = r->denominator;
		r->denominator = tmp;
	}
	r->value = rr.ratio;
	if (all_events)
		return;
	r->ci_low = rr.ci.low;
	r->ci_high = rr.ci.high;
	r->p_value = rr.p_value;
	if (st == STATS_OK && (rr.ci.low > 1 || rr.ci.high < 1))
		r->flag = tidy_table_intern(c->t, "significant");
}

static void likelihood(struct ctx *c, size_t g, const char *what, double a,
		       double n1, double cref, double n2)
{
	likelihood_row(c, g, what, false, a, n1, cref, n2);
	if (c->opt->wres)
		likelihood_row(c, g, what, true, a, n1, cref, n2);
}

/* One event_rate row: `a` of `n` had the event, as a percentage with its
 * Wilson interval. Every group has one, the reference group included: the
 * counts a relative likelihood rests on (docs/disclosure.md). */
static void event_rate_row(struct ctx *c, size_t g, const char *what,
			   const char *of, double a, double n)
{
	char note[256];
	struct tidy_row *r;

	snprintf(note, sizeof(note), "%% of %s who had the event (%s)%s", of,
		 what, g == c->ref ? "; the reference group" : "");
	r = add_row(c, "event_rate", label(c, g), what, note);
	share(r, a, n);
}

static void event_rates(struct ctx *c)
{
	size_t g, k;

	for (k = 0; k < STORE_EVENT_COUNT; k++)
		for (g = 0; g < c->groups; g++) {
			const struct store_event_count *e =
				&c->g[g].events[k];

			event_rate_row(c, g,
				       store_event_name((enum store_event)k),
				       "staff with an answer", (double)e->yes,
				       (double)(e->yes + e->no));
		}
	if (c->sex)
		return; /* recruitment returns do not give sex */
	for (g = 0; g < c->groups; g++)
		event_rate_row(c, g, "shortlisted from applying", "applicants",
			       (double)c->g[g].applicants.shortlisted,
			       (double)c->g[g].applicants.applied);
	for (g = 0; g < c->groups; g++)
		event_rate_row(c, g, "appointed from shortlisting",
			       "shortlisted applicants",
			       (double)c->g[g].applicants.appointed,
			       (double)c->g[g].applicants.shortlisted);
}

static void likelihoods(struct ctx *c)
{
	size_t g, k;
	const struct group_figures *ref = &c->g[c->ref];

	event_rates(c);

	for (k = 0; k < STORE_EVENT_COUNT; k++)
		for (g = 0; g < c->groups; g++) {
			const struct store_event_count *e =
				&c->g[g].events[k];
			const struct store_event_count *re = &ref->events[k];

			if (g == c->ref)
				continue;
			likelihood(c, g, store_event_name((enum store_event)k),
				   (double)e->yes, (double)(e->yes + e->no),
				   (double)re->yes, (double)(re->yes + re->no));
		}
	if (c->sex)
		return; /* recruitment returns do not give sex */
	for (g = 0; g < c->groups; g++) {
		const struct store_applicant_count *a = &c->g[g].applicants;
		const struct store_applicant_count *ra = &ref->applicants;

		if (g == c->ref)
			continue;
		likelihood(c, g, "shortlisted from applying",
			   (double)a->shortlisted, (double)a->applied,
			   (double)ra->shortlisted, (double)ra->applied);
	}
	for (g = 0; g < c->groups; g++) {
		const struct store_applicant_count *a = &c->g[g].applicants;
		const struct store_applicant_count *ra = &ref->applicants;

		if (g == c->ref)
			continue;
		likelihood(c, g, "appointed from shortlisting",
			   (double)a->appointed, (double)a->shortlisted,
			   (double)ra->appointed, (double)ra->shortlisted);
	}
}

/* ---- the whole set ---- */

static void setup(struct ctx *c, const struct workforce_options *opt,
		  struct tidy_table *out, const struct area *area, int year)
{
	memset(c, 0, sizeof(*c));
	c->opt = opt;
	c->t = out;
	c->area = area;
	c->year = year;
	c->groups = ethnicity_level_group_count(opt->level);
	c->ref = workforce_reference(opt);
	c->level_note = ethnicity_level_note(opt->level);
	c->per_hour = 1.0 / (WORKFORCE_WEEKS_PER_YEAR * opt->full_time_hours);
}

/* The note of a group of boroughs pooled from some of its members: how
 * many, and which had no return. */
static void group_coverage(struct ctx *c, const struct area_set *areas,
			   int group, const int *covered, size_t ncovered)
{
	const struct area *g = &areas->areas[group];
	size_t k, j, len, missing = 0;

	len = (size_t)snprintf(c->coverage, sizeof(c->coverage),
			       "pooled from the returns of %zu of the %zu "
			       "members of %s; no return from ", ncovered,
			       g->nmembers, g->name);
	for (k = 0; k < g->nmembers && len < sizeof(c->coverage); k++) {
		for (j = 0; j < ncovered; j++)
			if (covered[j] == g->members[k])
				break;
		if (j < ncovered)
			continue;
		len += (size_t)snprintf(c->coverage + len,
					sizeof(c->coverage) - len, "%s%s",
					missing++ ? ", " : "",
					areas->areas[g->members[k]].name);
	}
}

/* Check the options, set `c` up for `area` and `year` and fold `agg` into
 * it: 0, or -1 with `err` set (and nothing to release). */
/* parity_error_set(), then -1: said outright, for the analyser. */
#define fail(...) (parity_error_set(__VA_ARGS__), -1)

static int begin(struct ctx *c, const struct store_aggregates *agg,
		 const struct area_set *areas, int area, const int *covered,
		 size_t covered_count, int year,
		 const struct workforce_options *opt, struct tidy_table *out,
		 struct parity_error *err)
{
	size_t k, nleaves;
	int *leaves;

	memset(c, 0, sizeof(*c));
	if (area < 0 || (size_t)area >= areas->count)
		return fail(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"workforce: no such area");
	if (!(opt->full_time_hours > 0) || !isfinite(opt->full_time_hours))
		return fail(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"full-time hours must be a positive "
					"number of hours a week");
	if (opt->band_bound_count > WORKFORCE_MAX_BANDS)
		return fail(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"at most %d pay band boundaries",
					WORKFORCE_MAX_BANDS);
	for (k = 1; k < opt->band_bound_count; k++)
		if (!(opt->band_bounds[k] > opt->band_bounds[k - 1]))
			return fail(err, PARITY_ERR_USAGE, NULL, 0,
						0, "pay band boundaries must "
						"rise");
	setup(c, opt, out, &areas->areas[area], year);
	leaves = xcalloc(areas->count, sizeof(*leaves));
	nleaves = area_leaves(areas, area, leaves);
	free(leaves);
	c->nleaves = nleaves;
	if (covered && covered_count < nleaves) {
		for (k = 0; k < covered_count; k++)
			if (covered[k] < 0 ||
			    (size_t)covered[k] >= areas->count ||
			    !area_includes(areas, covered[k], area))
				return fail(
					err, PARITY_ERR_USAGE, NULL, 0, 0,
					"workforce: a covered area is not "
					"within %s", c->area->name);
		c->covered = covered;
		c->ncovered = covered_count;
		if (area_is_group(areas, area))
			group_coverage(c, areas, area, covered,
				       covered_count);
		else
			snprintf(c->coverage, sizeof(c->coverage),
				 "pooled from the returns of %zu of %zu "
				 "authorities in %s", covered_count, nleaves,
				 c->area->name);
	}
	if (c->ref >= c->groups)
		return fail(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the reference group must be a declared "
					"group of level %s",
					ethnicity_level_name(opt->level));
	fold(c, agg);
	c->returns = agg->submission_count;
	c->returns_2011 = agg->classification_2011_count;
	return 0;
}
#undef fail

int workforce_measures(const struct store_aggregates *agg,
		       const struct store_aggregates *previous,
		       const struct area_set *areas, int area,
		       const int *covered, size_t covered_count, int year,
		       const struct workforce_options *opt,
		       struct tidy_table *out, struct parity_error *err)
{
	struct ctx c, prev;
	int rc = 0;

	if (begin(&c, agg, areas, area, covered, covered_count, year, opt, out,
		  err) < 0)
		return -1;
	if (c.all <= 0) {
		release(&c);
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"no workforce returns with staff for %s "
					"(%s) in %d", c.area->name,
					c.area->code, year);
	}
	if (previous) {
		setup(&prev, opt, out, &areas->areas[area], year - 1);
		fold(&prev, previous);
		prev.returns = previous->submission_count;
		prev.returns_2011 = previous->classification_2011_count;
	}
	counts(&c);
	not_known_rates(&c, previous ? &prev : NULL);
	if (representation(&c, area, err) < 0)
		rc = -1;
	if (rc == 0 && previous)
		share_changes(&c, &prev);
	if (rc == 0) {
		pay(&c);
		quartiles(&c);
		bands(&c);
		glass_ceiling(&c);
		likelihoods(&c);
	}
	release(&c);
	if (previous)
		release(&prev);
	return rc;
}

int workforce_sex_measures(const struct store_aggregates *agg,
			   const struct area_set *areas, int area,
			   const int *covered, size_t covered_count, int year,
			   const struct workforce_options *opt,
			   const char *sex, bool counts_only,
			   struct tidy_table *out, struct parity_error *err)
{
	struct ctx c;
	char note[512];
	int rc = 0;
	bool pooled;

	if (begin(&c, agg, areas, area, covered, covered_count, year, opt, out,
		  err) < 0)
		return -1;
	if (c.all <= 0) {
		release(&c);
		return 1;
	}
	/* pay bands by sex, and so the glass ceiling, only where
	 * authorities are pooled (docs/measures.md) */
	pooled = c.area->type != AREA_BOROUGH &&
		 c.area->type != AREA_LOCAL_AUTHORITY;
	snprintf(note, sizeof(note),
		 counts_only ? "staff counted by sex: %s"
			     : "%s staff only: shares are of %s staff, and pay "
			       "gaps and relative likelihoods compare %s staff "
			       "of each group with %s staff of the reference "
			       "group (%s)",
		 sex, sex, sex, sex, label(&c, c.ref));
	c.sex = sex;
	c.sex_note = note;
	counts(&c);
	if (!counts_only) {
		if (representation(&c, area, err) < 0)
			rc = -1;
		if (rc == 0) {
			pay(&c);
			if (pooled) {
				bands(&c);
				glass_ceiling(&c);
			}
			likelihoods(&c);
		}
	}
	release(&c);
	return rc;
}

/* ---- peer comparison ---- */

static const struct tidy_row *london_match(const struct tidy_table *london,
					   const struct tidy_row *r)
{
	size_t k;

	for (k = 0; k < london->count; k++) {
		const struct tidy_row *l = &london->rows[k];

		if (l->year == r->year && strcmp(l->measure, r->measure) == 0 &&
		    strcmp(l->ethnicity, r->ethnicity) == 0 &&
		    strcmp(l->ethnicity_level, r->ethnicity_level) == 0 &&
		    strcmp(l->breakdown, r->breakdown) == 0 &&
		    strcmp(l->area_code, "E12000007") == 0)
			return l;
	}
	return NULL;
}

void workforce_funnel(const struct tidy_table *london, struct tidy_table *t,
		      size_t from)
{
	size_t k, end = t->count;

	for (k = from; k < end; k++) {
		struct tidy_row b = t->rows[k]; /* copied: rows move as added */
		const struct tidy_row *l;
		struct interval in95 = { NAN, NAN }, out998 = { NAN, NAN };
		enum funnel_position pos;
		struct tidy_row *r;
		bool ratio;
		char what[256], note[512];
		double scale;

		/* by sex: not placed (docs/measures.md) */
		if (strcmp(b.area_type, "borough") != 0 ||
		    sex_breakdown(b.breakdown, NULL, NULL))
			continue;
		ratio = strcmp(b.measure, "relative_likelihood") == 0;
		if (!ratio && strcmp(b.measure, "not_known_rate") != 0)
			continue;
		l = london_match(london, &b);
		if (!l)
			continue;
		scale = ratio ? 1.0 : 100.0;
		if (ratio) {
			double se = NAN;

			if (b.ci_low > 0 && b.ci_high > 0)
				se = (log(b.ci_high) - log(b.ci_low)) /
				     (2 * 1.959963984540054);
			if (isfinite(se) && se > 0 && l->value > 0) {
				stats_funnel_ratio(l->value, se, STATS_CONF95,
						   &in95);
				stats_funnel_ratio(l->value, se, STATS_CONF998,
						   &out998);
			}
		} else if (b.denominator > 0 && !isnan(l->value)) {
			stats_funnel_proportion(l->value / 100, b.denominator,
						STATS_CONF95, &in95);
			stats_funnel_proportion(l->value / 100, b.denominator,
						STATS_CONF998, &out998);
		}
		pos = stats_funnel_classify(b.value / scale, in95, out998);
		if (b.breakdown[0])
			snprintf(what, sizeof(what), "%s: %s", b.measure,
				 b.breakdown);
		else
			snprintf(what, sizeof(what), "%s", b.measure);
		if (pos == FUNNEL_NOT_CALCULABLE)
			snprintf(note, sizeof(note), "%s",
				 "against London: not calculable");
		else
			snprintf(note, sizeof(note),
				 "against London (%.4g); control limits at "
				 "the borough's size: 95%% in ci_low and "
				 "ci_high, 99.8%% %.4g to %.4g",
				 l->value, out998.low * scale,
				 out998.high * scale);
		r = tidy_table_add_row(t);
		r->measure = tidy_table_intern(t, "funnel_position");
		r->area_code = b.area_code;
		r->area_name = b.area_name;
		r->area_type = b.area_type;
		r->year = b.year;
		r->ethnicity = b.ethnicity;
		r->ethnicity_level = b.ethnicity_level;
		r->breakdown = tidy_table_intern(t, what);
		r->value = b.value;
		r->numerator = l->value;
		r->denominator = ratio ? NAN : b.denominator;
		r->ci_low = in95.low * scale;
		r->ci_high = in95.high * scale;
		r->flag = tidy_table_intern(t, stats_funnel_position_name(pos));
		r->note = tidy_table_intern(t, note);
	}
}
