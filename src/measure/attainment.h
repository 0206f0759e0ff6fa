/*
 * attainment.h - attainment by ethnic group as tidy-table rows: each
 * group's gap in mean score to the reference group, its rate of reaching a
 * threshold against the reference's, the gap's trend over the years, and
 * a borough's gap against London's on a funnel plot (docs/measures.md,
 * "Attainment"; the return is docs/formats/attainment.md).
 *
 * Measures, for each area, academic year, attainment measure (breakdown)
 * and group:
 *   attainment_pupils      pupils;
 *   attainment_mean        a score's mean, with a t interval from the SD
 *                          (a normal one from the assumed SD without);
 *   attainment_gap         mean in the group - mean in the reference, with
 *                          Welch's interval and test (Welch-Satterthwaite
 *                          df in the note), or a normal interval with a
 *                          note when an SD is not given;
 *   attainment_rate        % reaching a threshold, with Wilson's interval;
 *   attainment_rate_ratio  rate in the group / rate in the reference, with
 *                          Katz's log interval;
 *   attainment_gap_trend   the gap's weighted least squares slope a year
 *                          over the years (weights 1 / its variance), with
 *                          a one-sided z test of narrowing (p_value) and
 *                          flag narrowed / widened;
 *   funnel_position        a borough's gap (and rate ratio) against
 *                          London's, with 95% and 99.8% limits at the
 *                          borough's own standard error.
 * Gaps and ratios need ATTAINMENT_MIN_PUPILS in both groups. Nothing
 * divides by zero; what cannot be calculated is NAN with the reason in
 * the note.
 *
 * An area's figures are pooled from its boroughs' returns, year by year,
 * never averaged: pupils and pupils reaching a threshold are added, means
 * are weighted by pupils, and the SD is the pooled one (within and between
 * the parts). Groups are reported at the level the returns have: if any
 * pooled return gives only major groups, the area is reported at the high
 * level.
 *
 * Ownership: attainment_data owns its arrays; release it with
 * attainment_data_release(). Rows are appended to the caller's table.
 */
#ifndef PARITY_MEASURE_ATTAINMENT_H
#define PARITY_MEASURE_ATTAINMENT_H

#include "base/error.h"
#include "domain/ethnicity.h"
#include "measure/stats.h"
#include "store/store.h"
#include "table/table.h"

#include <stdbool.h>
#include <stddef.h>

/* Fewer pupils than this in the group or the reference: no gap, ratio or
 * funnel position. */
#define ATTAINMENT_MIN_PUPILS 10.0

/* One group's figures for a measure and year, pooled over returns. */
struct attainment_cell {
	double pupils;
	double mean_pupils;     /* pupils of the parts that gave a mean */
	double mean_parts;      /* parts that gave a mean (with pupils) */
	double sum;             /* sum of pupils x mean over those parts */
	double sum_m2;          /* sum of pupils x mean^2 over them */
	double sd_pupils;       /* pupils of the parts that gave an SD too */
	double within_ss;       /* sum of (n - 1) sd^2 over those parts */
	double within_df;       /* sum of (n - 1) over them */
	double reaching_pupils; /* pupils of the parts that gave a number
				 * reaching the threshold */
	double reaching;
	unsigned suppressed;    /* STORE_ATTAINMENT_*_SUPPRESSED, any part */
	size_t parts;
};

/* Add one part's figures (a return's row, or a cell) into `c`. */
void attainment_cell_add_row(struct attainment_cell *c, double pupils,
			     double mean, double sd, double reaching,
			     unsigned suppressed);
void attainment_cell_add(struct attainment_cell *c,
			 const struct attainment_cell *part);
/* The pooled mean and rate (0-1); NAN when a part did not give what it
 * needs. */
double attainment_cell_mean(const struct attainment_cell *c);
double attainment_cell_rate(const struct attainment_cell *c);
/*
 * The pooled SD (n - 1): the spread within the parts and between their
 * means. When some parts gave no SD but parts with at least
 * ATTAINMENT_SD_COVER of the pupils did, the spread within the others is
 * taken to be theirs, and *estimated is set; with less, NAN.
 */
double attainment_cell_sd(const struct attainment_cell *c, bool *estimated);

/* The share of a group's pupils whose parts must give an SD for a pooled
 * SD to be estimated for the rest. */
#define ATTAINMENT_SD_COVER 0.5

/* An area's returns, every year, pooled. */
struct attainment_data {
	int *years;               /* ascending */
	char (*periods)[16];      /* '2023-24', per year */
	size_t *returns;          /* returns pooled, per year */
	size_t nyears;
	size_t areas;             /* leaf areas asked for */
	/* [nyears][measures][SVC_GROUP_COUNT], measures as in
	 * attainment_def.h */
	struct attainment_cell *cells;
	bool high;                /* some return gives only major groups */
};

/* Pool the current returns of `codes`. `out->nyears` is 0 when none has
 * one. */
int attainment_data_load(struct store *s, const char *const *codes,
			 size_t ncodes, struct attainment_data *out,
			 struct parity_error *err);
void attainment_data_release(struct attainment_data *d);
/* The cell of year index y, measure m, group g. */
struct attainment_cell *attainment_data_cell(const struct attainment_data *d,
					     size_t y, size_t m, int g);

struct attainment_options {
	enum ethnicity_level level; /* ETH_LEVEL_DETAILED or ETH_LEVEL_HIGH */
	/* a service group (service_def.h); -1: White British, or White at
	 * the high level */
	int reference;
	/* the SD assumed for a normal interval when a return gives none;
	 * NAN: the measure's own (attainment_def.h) */
	double assumed_sd;
	int year;                   /* the year a period starts; 0: every
				     * year (the trend uses every year up to
				     * it either way) */
	/* with `year`: the years before it too, not that year alone (a
	 * published table of a year, which must carry every year its
	 * trend rests on for disclosure control to protect the trend) */
	bool years_before;
	/* London's rows, for a borough's funnel positions; NULL: none */
	const struct tidy_table *london;
};

void attainment_options_init(struct attainment_options *opt);

struct attainment_area {
	const char *code, *name, *type; /* type as area_type_name() gives */
};

/*
 * Append the measures of `d` for one area to `table` (none when
 * opt->year is a year `d` does not have). Fails when the
 * reference cannot be had (a detailed reference for data at the high
 * level).
 */
int attainment_measures(const struct attainment_data *d,
			const struct attainment_area *area,
			const struct attainment_options *opt,
			struct tidy_table *table, struct parity_error *err);

/*
 * The gap between two groups' mean scores: Welch's interval and test when
 * both SDs are known (and each group has 2 or more pupils); otherwise the
 * normal interval, with `assumed_sd` for an SD not known, and *normal set.
 */
enum stats_status attainment_gap(double mean, double sd, double pupils,
				 double ref_mean, double ref_sd,
				 double ref_pupils, double assumed_sd,
				 struct difference_result *out, bool *normal);

#endif
