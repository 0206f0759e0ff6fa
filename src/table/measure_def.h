/*
 * measure_def.h - the registry of measures: what each measure of a tidy
 * table is, in one place.
 *
 * Every row of a tidy table names its measure. The registry says, for each
 * one: its plain-English label; the unit of its value and of its numerator
 * and denominator; how many decimal places it is published to; and the
 * counts of people it rests on, and how (its basis), and whose they are
 * (its domain: staff, a service's people, pupils). Renderers read the
 * units and the published precision; disclosure control reads the basis
 * and the domain to model every published figure as resting on count
 * cells, so that a figure is shown only when every count behind it may
 * be; the site, findings and `parity measures` read the labels. A measure
 * missing from the registry is an error wherever disclosure control meets
 * it (sdc_table.c), never a silent pass.
 *
 * The registry is read-only data compiled into the binary: nothing to
 * initialise or free.
 */
#ifndef PARITY_TABLE_MEASURE_DEF_H
#define PARITY_TABLE_MEASURE_DEF_H

#include <stddef.h>

/* How a number reads. */
enum measure_unit {
	UNIT_NONE,       /* the column is empty for this measure */
	UNIT_NUMBER,     /* plain number */
	UNIT_COUNT,      /* people: whole numbers */
	UNIT_COUNT_PART, /* people, which may be fractional (pay quartiles
			  * split tied pay in proportion) */
	UNIT_PERCENT,    /* shares and rates, 0-100 */
	UNIT_RATIO,      /* 1 means parity */
	UNIT_POUNDS,     /* money */
	UNIT_PER_1000,   /* rates per 1,000 */
	UNIT_POINTS,     /* a change in percentage points */
	UNIT_SCORE       /* points of a score (Attainment 8) or a gap
			  * between two means of one */
};

/*
 * How a measure's figures rest on counts of people (docs/disclosure.md).
 * The count cells are named by sdc_table.c from the row's area, year,
 * ethnic group and breakdown.
 */
enum measure_basis {
	/* value is a count of people */
	BASIS_COUNT,
	/* value = numerator / denominator, both counts (a share or rate) */
	BASIS_SHARE,
	/* a published statistic of residents (Census 2021): no count of
	 * staff behind it */
	BASIS_PUBLIC,
	/* a figure about the group's own records (its hourly pay):
	 * rests on the group's count, the denominator */
	BASIS_GROUP,
	/* compares the group with a reference group (a pay gap): rests on
	 * the counts of both; the reference is the group whose figure of the
	 * same kind is the row's denominator */
	BASIS_GROUP_AND_REFERENCE,
	/* a ratio of two rates (relative likelihood): rests on the events
	 * and the people at risk of the group and of the reference group,
	 * published as their event_rate rows */
	BASIS_RATE_RATIO,
	/* a glass ceiling: the group's and declared staff's counts in the
	 * bands at and above the row's band, and below it: partial sums
	 * over the pay bands */
	BASIS_PARTIAL_BANDS,
	/* a change since the year before: this year's share (the
	 * staff_share or not_known_rate row) and last year's, whose counts
	 * are the numerator and denominator */
	BASIS_CHANGE,
	/* a borough placed on a funnel plot: rests on the borough's figure
	 * named by the breakdown, and London's */
	BASIS_FUNNEL,
	/* a service's comparison of a group with the reference group at a
	 * stage (rri and the like): rests on the rate rows of both at the
	 * row's stage */
	BASIS_SERVICE_COMPARISON,
	/* the trend of a gap over the years its period spans (the
	 * attainment gap's): rests on what the gap of each of those years
	 * rests on, the counts of the group and of the reference group in
	 * every year */
	BASIS_TREND
};

/*
 * Whose counts a measure's rest on, so that disclosure control names its
 * count cells (sdc_table.c): the workforce's staff and people at risk of
 * an event; a service's people at each stage; attainment's pupils, and
 * pupils reaching a threshold.
 */
enum measure_domain {
	MEASURE_WORKFORCE,
	MEASURE_SERVICE,
	MEASURE_ATTAINMENT
};

struct measure_def {
	const char *name;
	const char *label;          /* plain English, for readers */
	const char *numerator_label, *denominator_label; /* "" when empty */
	const char *basis_label;    /* how it rests on counts, in words */
	enum measure_unit unit;     /* of value, ci_low and ci_high; for a
				     * funnel_position, that of the figure
				     * its breakdown names (UNIT_NONE here) */
	enum measure_unit numerator_unit, denominator_unit;
	enum measure_basis basis;
	enum measure_domain domain; /* whose counts */
};

/* The measure called `name`, or NULL when the registry has none. */
const struct measure_def *measure_def_find(const char *name);
/*
 * The measure's short name for readers, at most 31 characters ("Pay
 * bands"): for sheet names and contents lists. A measure without one
 * gives its label, and a name not in the registry itself.
 */
const char *measure_short_label(const char *name);
/* Every measure, in the order `parity measures` lists them. */
size_t measure_def_count(void);
const struct measure_def *measure_def_at(size_t index);

/* The unit's name as `parity measures` lists it ("percent"). */
const char *measure_unit_name(enum measure_unit unit);
const char *measure_basis_name(enum measure_basis basis);

/*
 * Published precision, as official statistics give it: the decimal places
 * a figure in `unit` is published to (counts 0, or 1 for a fractional
 * count; percentages, points, scores and rates per 1,000 1; ratios 2;
 * pounds 2),
 * or -1 for a plain number, which is not rounded.
 */
int measure_unit_places(enum measure_unit unit);

/*
 * A p-value as published: below 0.001 it is given as '< 0.001' (*below set
 * to 1 and 0.001 returned), otherwise to 2 significant figures.
 */
double measure_publish_p(double p, int *below);

/*
 * A decision point of a relative likelihood (its breakdown): the count of
 * people who had the event and the count of those at risk, named as the
 * count cells of disclosure control ("promoted" of "staff": the staff
 * promoted among the group's staff; "shortlisted" of "applied").
 * `risk` is "staff" when those at risk are the group's staff; NULL when
 * the breakdown is not one.
 */
struct decision_point {
	const char *breakdown;
	const char *event;
	const char *risk;
};
const struct decision_point *decision_point_find(const char *breakdown);

#endif
