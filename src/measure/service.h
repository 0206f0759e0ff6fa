/*
 * service.h - disproportionality along a service: rates and relative rate
 * indices (RRIs) at each stage, for each ethnic group, as tidy-table rows.
 *
 * Measures (docs/measures.md, "Services"):
 *   base_population  the first stage's count: the denominator of everything
 *                    after it, and where it came from;
 *   stage_count      the count at each later stage (not known included);
 *   stage_rate       count / count at the previous stage x 1,000;
 *   population_rate  count / base x 1,000;
 *   rri              stage_rate in the group / stage_rate in the reference
 *                    group, with a 95% interval and p-value;
 *   cumulative_rri   population_rate in the group / in the reference, from
 *                    the second decision point on (at the first it is rri);
 *   funnel_stage     the stage whose rri is furthest from 1: where along
 *                    the service the disparity grows most;
 *   rri_change       this year's rri / last year's, when the store has both.
 * Rates are per 1,000 and have Byar intervals for the count, divided by the
 * denominator. An RRI is given only when both groups have at least
 * SERVICE_MIN_BASE at the previous stage and the reference group has some
 * at this stage; with fewer than SERVICE_EXACT_BELOW at this stage in
 * either group, or more at this stage than at the previous one, the
 * interval and p-value come from the exact conditional (binomial) method
 * instead of Katz's log interval, and the note says so. Nothing divides by
 * zero; what cannot be calculated is NAN with the reason in the note.
 *
 * Counts are pooled across the returns of an area's boroughs (never
 * averaged), at the level the returns have: if any pooled return gives
 * only the 5 high-level groups, the area is reported at the high level.
 */
#ifndef PARITY_MEASURE_SERVICE_H
#define PARITY_MEASURE_SERVICE_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "table/table.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

/* Fewer than this many at the previous stage, in the group or the
 * reference: no RRI. */
#define SERVICE_MIN_BASE 10.0
/* Fewer than this many at the stage, in the group or the reference: the
 * exact conditional interval and test instead of Katz. */
#define SERVICE_EXACT_BELOW 5.0

/* The counts of one service for one area and year, pooled over returns. */
struct service_counts {
	const struct service_def *def;
	size_t nstages;      /* stages + alternative bases */
	double *count;       /* [nstages][SVC_GROUP_COUNT]; NAN suppressed */
	bool *given;         /* [nstages]: every pooled return gave it */
	bool *any_given;     /* [nstages]: some pooled return gave it */
	bool present[SVC_GROUP_COUNT]; /* the group appears in some return */
	bool high;           /* some return gives only high-level groups */
	size_t returns;      /* returns pooled */
	size_t areas;        /* leaf areas asked for */
	int year;
	char period[16];
};

/*
 * Pool the current returns of `def` for `year` (the year its period
 * starts) of the areas `codes`. `out->returns` is 0 when none has one.
 * Release with service_counts_release().
 */
int service_counts_load(struct store *s, const struct service_def *def,
			const char *const *codes, size_t ncodes, int year,
			struct service_counts *out, struct parity_error *err);
void service_counts_release(struct service_counts *c);

struct service_options {
	enum ethnicity_level level;  /* ETH_LEVEL_DETAILED or ETH_LEVEL_HIGH */
	int reference;               /* a service group; default White (W) */
	int base;                    /* -1: the service's first stage; else
				      * the index (service_stage_find()) of
				      * an alternative base */
	/* Residents to use as the base instead of the first stage
	 * (--population FILE), or NULL. */
	const struct benchmark *population;
	/* Census 2021 residents, the base when the returns give none. */
	const struct benchmark *census;
};

void service_options_init(struct service_options *opt);
/* Parse --reference: a service group code (W, WBRI, B, ...) or a label the
 * classifier knows ('White British', 'White'). */
int service_reference_parse(const struct ethnicity_classifier *cls,
			    const char *text, int *out,
			    struct parity_error *err);

/* The area measured: its code, name and type for the table, and its index
 * in the area set (-1 for a national area, which has no Census base
 * here). */
struct service_area {
	const char *code, *name, *type;
	int index;
};

/*
 * Append the measures for one area and year to `table`. `before` is the
 * same area's counts for the year before (NULL when there are none): it
 * adds rri_change rows. Fails when the base or the reference cannot be
 * had (an alternative base that not every return gives; a detailed
 * reference for high-level data).
 */
int service_measures(const struct service_counts *now,
		     const struct service_counts *before,
		     const struct service_area *area,
		     const struct service_options *opt,
		     struct tidy_table *table, struct parity_error *err);

/*
 * Place each borough's RRI at each stage against London's RRI for the same
 * group and stage, as funnel_position rows (breakdown "rri: STAGE"): the
 * value the borough's RRI, numerator London's, ci_low and ci_high the 95%
 * control limits at the precision of the borough's log RRI (1 / its
 * standard error, recovered from its 95% interval), London x exp(-/+
 * 1.96 se), and the flag where it lies (within, above_95, below_99.8, ...,
 * not_calculable). Appended to `t`, which holds London's rows
 * (`london_code`) and the boroughs' (area_type "borough"); other areas are
 * left alone.
 */
void service_funnel(struct tidy_table *t, const char *london_code);

#endif
