/*
 * measure_def.c - the registry of measures (see measure_def.h): one entry
 * per measure that any part of parity puts in a tidy table, with its
 * units, its label and the counts it rests on.
 */
#include "table/measure_def.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C UNIT_COUNT
#define CP UNIT_COUNT_PART
#define PC UNIT_PERCENT
#define R UNIT_RATIO
#define GBP UNIT_POUNDS
#define PK UNIT_PER_1000
#define PP UNIT_POINTS
#define NO UNIT_NONE
#define N UNIT_NUMBER
#define SC UNIT_SCORE

/* The domains of the last field of MEASURE(): whose counts. */
#define WF MEASURE_WORKFORCE
#define SVC MEASURE_SERVICE
#define ATT MEASURE_ATTAINMENT

/* One entry, in the order of its fields' meaning: name, label, units of the
 * value, numerator and denominator, labels of the numerator and
 * denominator, basis and its words, and its domain: whose counts it rests
 * on (staff, a service's people at its stages, or pupils). */
#define MEASURE(name_, label_, unit_, nu_, du_, nl_, dl_, basis_, bl_, dom_) \
	{ .name = (name_), .label = (label_), .numerator_label = (nl_),     \
	  .denominator_label = (dl_), .basis_label = (bl_), .unit = (unit_), \
	  .numerator_unit = (nu_), .denominator_unit = (du_),              \
	  .basis = (basis_), .domain = (dom_) }

static const struct measure_def registry[] = {
	/* ---- workforce (measure/workforce.c) ---- */
	MEASURE("staff_count", "Staff", C, NO, NO, "", "", BASIS_COUNT,
	  "the count itself", WF),
	MEASURE("staff_share", "Share of staff with a declared ethnicity", PC, C, C,
	  "staff in the group", "staff with a declared ethnicity",
	  BASIS_SHARE, "the group's staff and declared staff", WF),
	MEASURE("benchmark_share", "Share of residents (Census 2021)", PC, C, C,
	  "residents in the group", "all residents", BASIS_PUBLIC,
	  "published Census 2021 counts of residents", WF),
	MEASURE("benchmark_population", "Residents (Census 2021)", C, NO, NO, "", "",
	  BASIS_PUBLIC, "published Census 2021 counts of residents", WF),
	MEASURE("representation_ratio", "Representation ratio (staff share / "
	  "resident share)", R, C, C, "staff in the group",
	  "staff with a declared ethnicity", BASIS_SHARE,
	  "the group's staff and declared staff (and public Census counts)",
	  WF),
	MEASURE("not_known_rate", "Ethnicity not known", PC, C, C,
	  "staff whose ethnicity is not known", "all staff", BASIS_SHARE,
	  "not known (or prefer not to say) staff and all staff", WF),
	MEASURE("staff_share_change_pp", "Change in share of staff since the year "
	  "before", PP, C, C, "staff in the group the year before",
	  "staff with a declared ethnicity the year before", BASIS_CHANGE,
	  "this year's staff_share counts and last year's", WF),
	MEASURE("not_known_change_pp", "Change in ethnicity not known since the "
	  "year before", PP, C, C, "staff not known or prefer not to say the "
	  "year before", "all staff the year before", BASIS_CHANGE,
	  "this year's not_known_rate counts and last year's", WF),
	MEASURE("mean_hourly_pay", "Mean hourly pay", GBP, NO, C, "",
	  "staff in the group", BASIS_GROUP, "the group's staff", WF),
	MEASURE("median_hourly_pay", "Median hourly pay", GBP, NO, C, "",
	  "staff in the group", BASIS_GROUP, "the group's staff", WF),
	MEASURE("mean_pay_gap", "Mean hourly pay gap with the reference group", PC,
	  GBP, GBP, "group's mean hourly pay",
	  "reference group's mean hourly pay", BASIS_GROUP_AND_REFERENCE,
	  "the group's staff and the reference group's", WF),
	MEASURE("median_pay_gap", "Median hourly pay gap with the reference group",
	  PC, GBP, GBP, "group's median hourly pay",
	  "reference group's median hourly pay", BASIS_GROUP_AND_REFERENCE,
	  "the group's staff and the reference group's", WF),
	MEASURE("band_share", "Share of declared staff in the pay band", PC, C, C,
	  "staff in the group in the band",
	  "staff with a declared ethnicity in the band", BASIS_SHARE,
	  "the group's staff in the band and declared staff in the band", WF),
	MEASURE("pay_quartile_share", "Share of the pay quartile", PC, CP, CP,
	  "staff in the group in the quartile", "staff in the quartile",
	  BASIS_SHARE, "the group's staff in the quartile and the quartile's",
	  WF),
	MEASURE("glass_ceiling", "Glass ceiling (share at or above a pay boundary / "
	  "share below)", R, C, C,
	  "staff in the group paid at or above the boundary",
	  "staff with a declared ethnicity paid at or above the boundary",
	  BASIS_PARTIAL_BANDS,
	  "the counts at or above the boundary (its numerator and "
	  "denominator) and the group's and declared staff's totals; its "
	  "p-value every pay band count of the area", WF),
	MEASURE("event_rate", "Rate of an event (promotion, discipline, training, "
	  "leaving, shortlisting, appointment)", PC, C, C,
	  "people who had the event", "people at risk of it", BASIS_SHARE,
	  "people who had the event and people at risk", WF),
	MEASURE("relative_likelihood", "Relative likelihood (rate in group / rate "
	  "in reference group)", R, PC, PC, "rate in group (%)",
	  "rate in reference group (%)", BASIS_RATE_RATIO,
	  "the event_rate counts of the group and the reference group", WF),
	MEASURE("wres_relative_likelihood", "Relative likelihood, WRES orientation",
	  R, PC, PC, "rate in reference group (%) (or group, for discipline)",
	  "rate in group (%) (or reference group, for discipline)",
	  BASIS_RATE_RATIO,
	  "the event_rate counts of the group and the reference group", WF),
	MEASURE("funnel_position", "Place on a funnel plot against London", NO, NO,
	  NO, "London's figure", "the borough's denominator", BASIS_FUNNEL,
	  "the borough's figure named by the breakdown, and London's", WF),
	/* ---- services (measure/service.c) ---- */
	MEASURE("base_population", "People at the first stage (the base)", C, NO, NO,
	  "", "", BASIS_COUNT, "the count itself", SVC),
	MEASURE("stage_count", "People at the stage", C, NO, NO, "", "", BASIS_COUNT,
	  "the count itself", SVC),
	MEASURE("stage_rate", "Rate per 1,000 of the stage before", PK, C, C,
	  "people at the stage", "people at the stage it is taken of",
	  BASIS_SHARE, "the two stage counts", SVC),
	MEASURE("population_rate", "Rate per 1,000 of the base", PK, C, C,
	  "people at the stage", "people at the base", BASIS_SHARE,
	  "the two stage counts", SVC),
	MEASURE("rri", "Relative rate index", R, PK, PK, "rate in group per 1,000",
	  "rate in reference group per 1,000", BASIS_SERVICE_COMPARISON,
	  "the stage_rate counts of the group and the reference group", SVC),
	MEASURE("cumulative_rri", "Cumulative relative rate index", R, PK, PK,
	  "rate in group per 1,000 of the base",
	  "rate in reference group per 1,000 of the base",
	  BASIS_SERVICE_COMPARISON,
	  "the population_rate counts of the group and the reference group",
	  SVC),
	MEASURE("funnel_stage", "Stage where disparity grows most", R, PK, PK,
	  "rate in group per 1,000", "rate in reference group per 1,000",
	  BASIS_SERVICE_COMPARISON,
	  "the stage_rate counts of the group and the reference group", SVC),
	MEASURE("rri_change", "Change in the relative rate index since the year "
	  "before", R, R, R, "this year's RRI", "last year's RRI",
	  BASIS_SERVICE_COMPARISON,
	  "the stage_rate counts of both groups in both years", SVC),
	/* ---- attainment (measure/attainment.c): pupils of a group in an
	 * area, year and attainment measure (the breakdown), and those of
	 * them reaching a threshold ---- */
	MEASURE("attainment_pupils", "Pupils (attainment)", C, NO, NO, "", "",
	  BASIS_COUNT, "the count itself", ATT),
	MEASURE("attainment_mean", "Mean score", SC, NO, C, "", "pupils in the "
	  "group", BASIS_GROUP, "the group's pupils; and a mean of fewer than "
	  "k pupils is never shown", ATT),
	MEASURE("attainment_gap", "Gap in mean score with the reference group "
	  "(group - reference)", SC, SC, SC, "group's mean score",
	  "reference group's mean score", BASIS_GROUP_AND_REFERENCE,
	  "the group's pupils and the reference group's (the group whose "
	  "attainment_mean is the denominator)", ATT),
	MEASURE("attainment_rate", "Pupils reaching the threshold", PC, C, C,
	  "pupils reaching it", "pupils in the group", BASIS_SHARE,
	  "the group's pupils reaching it and its pupils", ATT),
	MEASURE("attainment_rate_ratio", "Rate ratio of reaching the threshold "
	  "(group / reference)", R, PC, PC, "group's rate", "reference group's "
	  "rate", BASIS_RATE_RATIO, "the attainment_rate counts of the group "
	  "and the reference group: pupils reaching it and pupils", ATT),
	MEASURE("attainment_gap_trend", "Change in the gap in mean score a year "
	  "(weighted least squares)", SC, SC, SC, "the gap in the first year",
	  "the gap in the last year", BASIS_TREND,
	  "the attainment_gap counts of every year of its period: the pupils "
	  "of both groups in every year", ATT),
	/* ---- summaries and data quality (not for publication) ---- */
	MEASURE("band_count", "Staff in the pay band", C, NO, NO, "", "",
	  BASIS_COUNT, "the count itself", WF),
	MEASURE("applicant_count", "Applicants", C, NO, NO, "", "", BASIS_COUNT,
	  "the count itself", WF),
	MEASURE("prefer_not_to_say_rate", "Prefer not to say", PC, C, C,
	  "staff who preferred not to say", "all staff", BASIS_SHARE,
	  "prefer not to say and all staff", WF),
	MEASURE("completeness_rate", "Completeness of a field", PC, C, C,
	  "rows with the field", "all rows", BASIS_SHARE,
	  "rows with the field and all rows", WF),
	MEASURE("unrecognised_count", "Unrecognised ethnicity labels", C, NO, NO, "",
	  "", BASIS_COUNT, "the count itself", WF),
	MEASURE("salary_outlier_count", "Salary outliers", C, NO, NO, "", "",
	  BASIS_COUNT, "the count itself", WF),
	MEASURE("record_change_rate", "Records changed since the year before", PC,
	  C, C, "records changed", "records in both years", BASIS_SHARE,
	  "changed records and all records", WF),
	/* ---- the Racial Equality Standard, toolkits and survey
	 * (standard/score.h): councils' self-assessments, no count of
	 * people behind them ---- */
	MEASURE("standard_level", "Level a council chose for a criterion", N,
	  NO, NO, "", "", BASIS_PUBLIC,
	  "a council's self-assessment: no count of people", WF),
	MEASURE("standard_suggested_level", "Level the council's figures "
	  "suggest for a criterion", N, NO, NO, "", "", BASIS_PUBLIC,
	  "the framework's rules applied to the council's figure", WF),
	MEASURE("standard_theme_level", "Score of a theme (mean level)", N, NO,
	  NO, "", "", BASIS_PUBLIC,
	  "a council's self-assessment: no count of people", WF),
	MEASURE("standard_overall_level", "Overall score (mean of the themes)",
	  N, NO, NO, "", "", BASIS_PUBLIC,
	  "a council's self-assessment: no count of people", WF),
	MEASURE("standard_level_count", "Councils at a level of a criterion", C,
	  C, C, "councils at the level", "councils with a level",
	  BASIS_PUBLIC, "counts of councils, not of people", WF),
	MEASURE("standard_theme_level_count", "Councils at a level of a theme",
	  C, C, C, "councils at the level", "councils with a level",
	  BASIS_PUBLIC, "counts of councils, not of people", WF),
	MEASURE("standard_overall_level_count", "Councils at an overall level",
	  C, C, C, "councils at the level", "councils with a level",
	  BASIS_PUBLIC, "counts of councils, not of people", WF),
	MEASURE("standard_review_level", "Level a peer reviewer gives a "
	  "criterion", N, NO, NO, "", "", BASIS_PUBLIC,
	  "a reviewing council's judgement: no count of people", WF),
	MEASURE("standard_action_change", "Change in an action's measure since "
	  "it started", N, N, N, "the figure this year",
	  "the figure in the action's start year", BASIS_PUBLIC,
	  "the council's own figures, unsuppressed (not for publication)", WF),
	MEASURE("survey_answer_count", "Councils giving an answer", C, C, C,
	  "councils giving the answer", "councils answering the question",
	  BASIS_PUBLIC, "counts of councils, not of people", WF),
	MEASURE("survey_free_text", "A council's free-text answer", NO, NO, NO,
	  "", "", BASIS_PUBLIC, "text, in the note", WF),
};

#define REGISTRY_SIZE (sizeof(registry) / sizeof(registry[0]))

/* Short names, at most 31 characters (an Excel sheet's limit), for
 * sheets, contents lists and links. */
static const struct {
	const char *name, *short_label;
} short_labels[] = {
	{ "staff_count", "Staff" },
	{ "staff_share", "Share of staff" },
	{ "benchmark_share", "Share of residents" },
	{ "benchmark_population", "Residents" },
	{ "representation_ratio", "Representation ratio" },
	{ "not_known_rate", "Ethnicity not known" },
	{ "staff_share_change_pp", "Change in share of staff" },
	{ "not_known_change_pp", "Change in not known" },
	{ "mean_hourly_pay", "Mean hourly pay" },
	{ "median_hourly_pay", "Median hourly pay" },
	{ "mean_pay_gap", "Mean pay gap" },
	{ "median_pay_gap", "Median pay gap" },
	{ "band_share", "Pay bands" },
	{ "pay_quartile_share", "Pay quartiles" },
	{ "glass_ceiling", "Glass ceiling" },
	{ "event_rate", "Rates of events" },
	{ "relative_likelihood", "Relative likelihood" },
	{ "wres_relative_likelihood", "Relative likelihood (WRES)" },
	{ "funnel_position", "Places on funnel plots" },
	{ "base_population", "People at the first stage" },
	{ "stage_count", "People at each stage" },
	{ "stage_rate", "Rate per 1,000 of stage before" },
	{ "population_rate", "Rate per 1,000 of the base" },
	{ "rri", "Relative rate index" },
	{ "cumulative_rri", "Cumulative relative rate index" },
	{ "funnel_stage", "Stage where disparity grows" },
	{ "rri_change", "Change in relative rate index" },
	{ "attainment_pupils", "Pupils" },
	{ "attainment_mean", "Mean score" },
	{ "attainment_gap", "Gap in mean score" },
	{ "attainment_rate", "Reaching the threshold" },
	{ "attainment_rate_ratio", "Threshold rate ratio" },
	{ "attainment_gap_trend", "Trend in the gap" },
	{ "band_count", "Staff in each pay band" },
	{ "applicant_count", "Applicants" },
	{ "prefer_not_to_say_rate", "Prefer not to say" },
	{ "completeness_rate", "Completeness of fields" },
	{ "unrecognised_count", "Unrecognised labels" },
	{ "salary_outlier_count", "Salary outliers" },
	{ "record_change_rate", "Records changed" },
	{ "standard_level", "Level of a criterion" },
	{ "standard_suggested_level", "Level the figures suggest" },
	{ "standard_theme_level", "Score of a theme" },
	{ "standard_overall_level", "Overall score" },
	{ "standard_level_count", "Councils at each level" },
	{ "standard_theme_level_count", "Councils at each theme level" },
	{ "standard_overall_level_count", "Councils at each overall level" },
	{ "standard_review_level", "Peer reviewer's level" },
	{ "standard_action_change", "Change in an action's measure" },
	{ "survey_answer_count", "Councils giving an answer" },
	{ "survey_free_text", "Free-text answers" },
};

const char *measure_short_label(const char *name)
{
	const struct measure_def *d;
	size_t k;

	for (k = 0; k < sizeof(short_labels) / sizeof(short_labels[0]); k++)
		if (strcmp(short_labels[k].name, name) == 0)
			return short_labels[k].short_label;
	d = measure_def_find(name);
	return d ? d->label : name;
}

const struct measure_def *measure_def_find(const char *name)
{
	size_t k;

	for (k = 0; k < REGISTRY_SIZE; k++)
		if (strcmp(registry[k].name, name) == 0)
			return &registry[k];
	return NULL;
}

size_t measure_def_count(void)
{
	return REGISTRY_SIZE;
}

const struct measure_def *measure_def_at(size_t index)
{
	return index < REGISTRY_SIZE ? &registry[index] : NULL;
}

const char *measure_unit_name(enum measure_unit unit)
{
	static const char *const names[] = {
		"", "number", "count", "count (may be fractional)", "percent",
		"ratio", "pounds", "per 1,000", "percentage points",
		"score points",
	};

	return (size_t)unit < sizeof(names) / sizeof(names[0]) ? names[unit]
							       : "";
}

const char *measure_basis_name(enum measure_basis basis)
{
	static const char *const names[] = {
		"count", "share", "public", "group", "group and reference",
		"ratio of rates", "partial band sums", "change", "funnel",
		"service comparison", "trend",
	};

	return (size_t)basis < sizeof(names) / sizeof(names[0]) ? names[basis]
								 : "";
}

int measure_unit_places(enum measure_unit unit)
{
	switch (unit) {
	case UNIT_COUNT:
		return 0;
	case UNIT_COUNT_PART:
	case UNIT_PERCENT:
	case UNIT_POINTS:
	case UNIT_PER_1000:
	case UNIT_SCORE:
		return 1;
	case UNIT_RATIO:
	case UNIT_POUNDS:
		return 2;
	case UNIT_NONE:
	case UNIT_NUMBER:
		break;
	}
	return -1;
}

double measure_publish_p(double p, int *below)
{
	char buf[32];

	*below = 0;
	if (isnan(p))
		return p;
	if (p < 0.001) {
		*below = 1;
		return 0.001;
	}
	snprintf(buf, sizeof(buf), "%.2g", p);
	return strtod(buf, NULL);
}

static const struct decision_point decision_points[] = {
	{ "promoted", "promoted", "staff" },
	{ "disciplinary", "disciplinary", "staff" },
	{ "training", "training", "staff" },
	{ "left", "left", "staff" },
	{ "shortlisted from applying", "shortlisted", "applied" },
	{ "appointed from shortlisting", "appointed", "shortlisted" },
};

const struct decision_point *decision_point_find(const char *breakdown)
{
	size_t k;

	for (k = 0; k < sizeof(decision_points) / sizeof(decision_points[0]);
	     k++)
		if (strcmp(decision_points[k].breakdown, breakdown) == 0)
			return &decision_points[k];
	return NULL;
}
