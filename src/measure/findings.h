/*
 * findings.h - plain-English key findings, read from a tidy table.
 *
 * Findings are sentences a council leader can quote, each with its numbers
 * and interval and the table rows it rests on, written to the places the
 * registry of measures gives their units (table/measure_def.h). They are drawn only from
 * figures the measures flagged (an interval that excludes parity, a
 * significant change) and ranked by significance, then by size: the
 * smallest p-value first, and among equals the largest effect on the log
 * scale. Groups are named by their own labels; 'BAME' is never written.
 *
 * Measures read: representation_ratio (flag over/under),
 * relative_likelihood (flag significant; breakdown = the event),
 * glass_ceiling (flag ceiling; numerator and denominator = the group's and
 * declared staff's counts from the boundary up, value = share above /
 * share below),
 * not_known_change_pp (p < 0.05, with the year's not_known_rate),
 * staff_share_change_pp (numerator and denominator = the group's and
 * declared staff's counts the year before; p < 0.05 and at least
 * FINDINGS_MIN_SHARE_CHANGE_PP points either way; a break in the series is
 * mentioned), median_pay_gap (5% or more either way, not a last-resort
 * two-way combination; it has no test of its own, so it ranks after the
 * tested findings).
 *
 * Ownership: `struct findings` owns its sentences and row lists; free it
 * with findings_free(). Row numbers index the table passed in.
 */
#ifndef PARITY_MEASURE_FINDINGS_H
#define PARITY_MEASURE_FINDINGS_H

/* A change in a group's share of staff smaller than this (percentage
 * points) is not a finding, however significant on a large workforce. */
#define FINDINGS_MIN_SHARE_CHANGE_PP 0.5

#include "base/error.h"
#include "table/table.h"

#include <stddef.h>

struct finding {
	char *text;
	double p_value; /* NAN when the figure has no test */
	double size;    /* |ln ratio|, or |gap| / 100 for pay gaps */
	size_t rows[2]; /* the rows it rests on */
	size_t row_count;
};

struct findings {
	struct finding *items;
	size_t count;
	size_t cap;
};

/*
 * Read `t` and fill `out` (initialised by the caller to all zeros) with its
 * findings, ranked. `reference_label` names the reference group of the
 * relative likelihoods and pay gaps, e.g. "White British".
 */
void findings_build(const struct tidy_table *t, const char *reference_label,
		    struct findings *out);

/*
 * How sentences are written. For analysts (the CLI, the hub): each figure
 * with its 95% interval or p-value, groups by their labels. For readers
 * of the published site: groups by their short names ('Black', 'Black
 * Caribbean': ethnicity_short_name()), figures rounded with 'about',
 * representation as the two shares ('27.0% of staff ..., against 18.0% of
 * its residents'), a relative likelihood with the two rates behind it and,
 * below 1, turned round ('White staff were about 1.9 times as likely'),
 * and no intervals or p-values: the tables beside them keep those.
 */
enum findings_style { FINDINGS_ANALYST, FINDINGS_PLAIN };

void findings_build_styled(const struct tidy_table *t,
			   const char *reference_label,
			   enum findings_style style, struct findings *out);
void findings_free(struct findings *f);

struct service_def;
/*
 * Findings on a service report (measure/service.h): each `rri` flagged
 * significant, as "In London, Black young people who are arrested are
 * charged at 1.52 times the rate of White young people who are arrested
 * (95% CI 1.31 to 1.76).", and each `rri_change` flagged rising or
 * falling. `people` and the stages' wording come from the service's
 * definition; `reference_label` names the reference group.
 */
void findings_build_service(const struct tidy_table *t,
			    const struct service_def *def,
			    const char *reference_label,
			    struct findings *out);
void findings_build_service_styled(const struct tidy_table *t,
				   const struct service_def *def,
				   const char *reference_label,
				   enum findings_style style,
				   struct findings *out);

/*
 * Findings on an attainment report (measure/attainment.h), each naming
 * groups as the school census does ('Black Caribbean') and the reference
 * group its row's note names: each attainment_gap flagged below or above
 * in an area's latest year ("In London, Black Caribbean pupils'
 * Attainment 8 score was about 6 points below White British pupils' in
 * 2023-24 (95% CI 5.1 to 6.9 points below)."), each attainment_rate_ratio
 * flagged lower or higher in that year, each attainment_gap_trend flagged
 * narrowed or widened, and each borough's funnel_position beyond London's
 * 99.8% limits.
 */
void findings_build_attainment(const struct tidy_table *t,
			       struct findings *out);
/* The same for readers of the site (FINDINGS_PLAIN): figures with
 * 'about', a rate ratio with the two rates behind it, and no intervals
 * or p-values (the tables beside them keep those). */
void findings_build_attainment_styled(const struct tidy_table *t,
				      enum findings_style style,
				      struct findings *out);
/* How a sentence names a group's pupils: the school census's words
 * ('Black Caribbean'), the high-level groups shortly ('Black'), else the
 * category; into `buf` or a static name. */
const char *findings_pupil_group(const char *label, char *buf, size_t size);

/* The short name of a group for a sentence: the category after the last
 * ": " of a full label ("White: Irish" -> "Irish"), else the label. */
const char *findings_group_name(const char *label);

#endif
