/*
 * workforce.h - the workforce measures: counts and 'not known',
 * representation against residents, pay bands, hourly pay and pay gaps,
 * and relative likelihoods of yes/no events and of recruitment outcomes.
 *
 * Every figure is computed from pooled aggregates (store_aggregates_load()
 * over the leaf areas of the area reported), never by averaging borough
 * figures, so a London median is the median of every London salary. The
 * measures append rows to a tidy table (table/table.h); docs/measures.md
 * gives each definition, formula and interval with a worked example.
 *
 * Measures (the `measure` column), per output group of the chosen level:
 *   staff_count          staff; also not known, prefer not to say, all staff
 *   not_known_rate       (not known + prefer not to say) / all staff, as %,
 *                        with Wilson interval; and each of the two parts
 *   not_known_change_pp  change in not_known_rate from `previous` (the year
 *                        before), in percentage points, with the p-value of
 *                        the two-proportion z-test
 *   staff_share_change_pp
 *                        change in staff_share from `previous`, in
 *                        percentage points (numerator and denominator the
 *                        two shares), p from the two-proportion z-test.
 *                        When either year pooled returns in 2011
 *                        categories the note flags the break, and at the
 *                        detailed level Roma and Other White are compared
 *                        combined (WORKFORCE_2011_OTHER_WHITE)
 *   staff_share          % of staff with a declared ethnicity (Wilson)
 *   benchmark_share      % of residents (needs a benchmark)
 *   representation_ratio staff_share / benchmark_share; interval = Wilson
 *                        interval / benchmark share; flag over/under when
 *                        the interval excludes 1; p from the score test of
 *                        share = benchmark share, which the Wilson
 *                        interval inverts
 *   mean_hourly_pay, median_hourly_pay
 *                        hourly = annual FTE salary / (52.143 x full-time
 *                        weekly hours); also for all staff
 *   mean_pay_gap, median_pay_gap
 *                        (reference - group) / reference x 100
 *   band_share           the group's share of declared staff in each pay
 *                        band (breakdown = band label; Wilson interval)
 *   relative_likelihood  rate in group / rate in reference (Katz interval
 *                        and p); breakdown = the event; flag 'significant'
 *                        when the interval excludes 1
 *   wres_relative_likelihood
 *                        when asked (opt->wres): the same in the WRES
 *                        orientation, rate in reference / rate in group
 *   glass_ceiling        per group, the band boundary with the most
 *                        significant drop in the group's share (one-sided
 *                        two-proportion z-test, share at or above against
 *                        share below); value = share above / share below,
 *                        numerator and denominator the two shares (%),
 *                        p_value Bonferroni-adjusted over the boundaries
 *                        tested and then Holm-adjusted over the groups;
 *                        flag 'ceiling' when the relative drop is at least
 *                        ceiling_min_drop and the adjusted p is below 0.05
 *   pay_quartile_share   the group's share of each hourly pay quartile of
 *                        declared staff, tied pay split proportionally
 * Not known and prefer not to say stay out of every share and rate.
 * Figures that cannot be calculated are NAN with the reason in `note`.
 *
 * Nothing here owns memory beyond a call: rows go into the caller's table.
 */
#ifndef PARITY_MEASURE_WORKFORCE_H
#define PARITY_MEASURE_WORKFORCE_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"
#include "table/table.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

#define WORKFORCE_WEEKS_PER_YEAR 52.143
#define WORKFORCE_FULL_TIME_HOURS 36.0
/* The reference group the level implies: White British at detailed and
 * white-british-binary, White at high and white-binary (the group White
 * British falls in). */
#define WORKFORCE_REFERENCE_DEFAULT ((size_t)-1)
/* The ethnicity of the staff_share_change_pp row that compares Roma and
 * Other White combined across the 2011 -> 2021 classification change. */
#define WORKFORCE_2011_OTHER_WHITE \
	"White: Roma or Other White (2011 Other White)"
/* The default minimum group size for pay measures. */
#define WORKFORCE_PAY_MIN_GROUP 50
/* Room for band boundaries in the options. */
#define WORKFORCE_MAX_BANDS 32

struct workforce_options {
	enum ethnicity_level level;
	size_t reference;        /* an output group index at `level`, or
				  * WORKFORCE_REFERENCE_DEFAULT */
	double full_time_hours;  /* weekly; > 0 */
	/* Residents to compare with; NULL leaves out benchmark_share and
	 * representation_ratio. Not owned. */
	const struct benchmark *benchmark;
	/* Pay band boundaries in pounds a year, ascending: n boundaries make
	 * n + 1 bands, the first '< £b0' and the last '£bn and over'. */
	double band_bounds[WORKFORCE_MAX_BANDS];
	size_t band_bound_count;
	/* Glass ceiling: a boundary is tested only with at least this many
	 * declared staff both at or above it and below it (default 10); a
	 * ceiling is reported for a relative drop of at least this fraction
	 * (default 0.2). */
	double ceiling_min_staff;
	double ceiling_min_drop;
	/* Pay measures (hourly pay and pay gaps) are not given for a group
	 * of fewer staff than this; such groups are given combined instead
	 * (see docs/measures.md). 0 turns it off. */
	double pay_min_group;
	/* Also give each relative likelihood in the WRES orientation,
	 * reference over group, as `wres_relative_likelihood`. */
	bool wres;
};

/* Detailed level, the default reference, 36 hours, no benchmark, the
 * default bands (£20,000 to £100,000 in £10,000 steps). */
void workforce_options_init(struct workforce_options *opt);

/* The reference group index `opt` implies at its level. */
size_t workforce_reference(const struct workforce_options *opt);

/*
 * Find the output group at `level` named by `text`: its code ("WBRI",
 * "W"), its output label, or at detailed level its short label ("White
 * British" is not a label; "English, Welsh, Scottish, Northern Irish or
 * British" and "Indian" are), case-insensitive. PARITY_ERR_USAGE when none
 * matches.
 */
int workforce_reference_parse(const char *text, enum ethnicity_level level,
			      size_t *out, struct parity_error *err);

/*
 * The label of band `index` (0 .. band_bound_count) into `buf`, e.g.
 * '< £20,000', '£50,000–£59,999', '£100,000 and over'.
 */
void workforce_band_label(const struct workforce_options *opt, size_t index,
			  char *buf, size_t size);

/*
 * Append the workforce measures for area `area` (an index into `areas`)
 * and `year` to `out`. `agg` holds the pooled aggregates of the area's
 * leaf areas for the year; `previous`, when not NULL, those for the year
 * before (for not_known_change_pp).
 *
 * `covered` lists the leaf areas (indices into `areas`) whose returns are
 * in `agg`, when that is not all of the area's leaves: the benchmark is
 * then the pooled residents of those leaves, so that staff are compared
 * with the residents of the same places, and the notes say how many
 * authorities the figures cover. NULL (or all of them) means the whole
 * area.
 *
 * Fails (PARITY_ERR_NOT_FOUND) when `agg` holds no staff, and when the
 * benchmark has no figures for the area.
 */
int workforce_measures(const struct store_aggregates *agg,
		       const struct store_aggregates *previous,
		       const struct area_set *areas, int area,
		       const int *covered, size_t covered_count, int year,
		       const struct workforce_options *opt,
		       struct tidy_table *out, struct parity_error *err);

/*
 * The measures of one sex (measure/workforce_sex.h gathers them): `agg`
 * holds the pooled aggregates of the staff of that sex alone (no
 * applicants: recruitment returns do not give sex). Every row's breakdown
 * starts with `sex` ("female", "female; promoted"), and its note says the
 * rows compare staff of that sex with staff of that sex in the reference
 * group. With `counts_only`, just the staff counts; else also staff_share
 * and representation_ratio (against the group's share of all residents:
 * the census by sex is not in parity's data, and the note says so; no
 * benchmark_share rows), hourly pay and pay gaps, event_rate and
 * relative_likelihood of the four staff events, and, for an area that
 * pools authorities (not a borough or other single authority), band_share
 * and glass_ceiling: a borough's pay bands by group and sex are cells of
 * a handful of people whose protection would withhold the borough's and
 * London's headline counts (docs/measures.md). Returns 1 when `agg` holds
 * no staff (nothing appended), 0 done, -1 on an error.
 */
int workforce_sex_measures(const struct store_aggregates *agg,
			   const struct area_set *areas, int area,
			   const int *covered, size_t covered_count, int year,
			   const struct workforce_options *opt,
			   const char *sex, bool counts_only,
			   struct tidy_table *out, struct parity_error *err);

/*
 * Peer comparison: for each borough row of `t` from row `from` on whose
 * measure is not_known_rate or relative_likelihood, and which has a
 * matching row (measure, year, level, ethnicity, breakdown) for London in
 * `london`, append a `funnel_position` row for the borough: value = the
 * borough's figure, numerator = London's (the target), denominator = the
 * borough's denominator, ci_low/ci_high = the 95% control limits, flag =
 * within, above_95, above_99.8, below_95, below_99.8 or not_calculable
 * (stats_funnel_classify), and the 99.8% limits in the note; breakdown =
 * the measure compared (and its breakdown). Proportions use
 * stats_funnel_proportion at the borough's denominator; relative
 * likelihoods use stats_funnel_ratio around London's ratio with the
 * borough's own standard error of ln(ratio), recovered from its Katz
 * interval.
 */
void workforce_funnel(const struct tidy_table *london, struct tidy_table *t,
		      size_t from);

#endif
