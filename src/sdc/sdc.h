/*
 * sdc.h - statistical disclosure control: which counts may be published.
 *
 * The problem is a set of count cells (people in a group, area, year and
 * breakdown) and the additive relations between them that a release
 * publishes (a total and its parts: across ethnic groups, classification
 * levels, areas and pay bands). docs/disclosure.md gives the method:
 *
 *   1. Primary suppression: every count from 1 to k - 1.
 *   2. Secondary suppression, repeated until nothing changes: in any
 *      relation with exactly one suppressed cell, suppress one more of its
 *      non-zero published cells, so that nothing can be recovered by
 *      subtraction. The choice loses as little as possible and is
 *      deterministic: the least cost, value x the number of figures that
 *      publish the cell (a count that is the denominator of many shares
 *      costs more), a part before the total, then the earliest cell.
 *   3. Audit: for each suppressed cell, the smallest and largest values
 *      consistent with everything published, by linear programming
 *      (GLPK). A cell whose interval is narrower than the protection width
 *      (k by default) and could hold a count from 1 to k - 1 gets another
 *      complementary suppression in one of its relations, and the audit
 *      runs again; if none is possible the release is refused, naming the
 *      cells. A complement worked out exactly as a count of k or more (or
 *      as 0) reveals no small count, as check-disclosure agrees.
 *
 * Ownership: struct sdc_problem owns its cells' keys and its relations;
 * sdc_problem_free() releases them. The caller owns everything it passes.
 */
#ifndef PARITY_SDC_SDC_H
#define PARITY_SDC_SDC_H

#include "base/error.h"
#include "domain/area.h"
#include "table/table.h"

#include <stdbool.h>
#include <stddef.h>

/* The default threshold: counts 1 to 9 are suppressed. */
#define SDC_MAX_PRIORS 8
#define SDC_K_DEFAULT 10

enum sdc_state {
	SDC_PUBLISHED = 0,
	SDC_PRIMARY,   /* a count from 1 to k - 1 */
	SDC_SECONDARY, /* suppressed so that a primary cell stays hidden */
	SDC_PRIOR      /* withheld by the previous release of the same
			* figures, so withheld again (sdc_options.prior) */
};

struct sdc_cell {
	char *key;      /* what it counts, e.g. "staff|E09000005|2024|..." */
	double value;   /* the true count */
	size_t uses;    /* how many times it was added: the figures that
			 * publish it */
	enum sdc_state state;
	bool known;     /* published by an earlier release with this same
			 * value: withholding it now hides nothing, so the
			 * audit treats it as published and it is never
			 * chosen to protect another cell */
	double slack;   /* how far the true count may lie from `value`:
			 * half the last place a published figure was
			 * rounded to (the checker reads pay quartile counts
			 * to 0.1, so 0.05), 0 when exact */
	bool gap;       /* not a count of people but the slack of a
			 * nesting (sdc_nesting_add()): how many more are at
			 * the earlier stage than at the later. Never
			 * published, never primary, never a complement, and
			 * needs no interval of its own; as an unknown
			 * (non-negative) it turns 'later <= earlier' into an
			 * equality the audit's programs hold */
};

struct sdc_relation {
	size_t total;   /* index of the total cell */
	size_t *parts;  /* indices of the parts: total = sum of parts */
	size_t count;
	bool implied;   /* a sum of other relations of the problem, all
			 * exact (an area = its authorities, where the area
			 * = its sub-areas and each sub-area = its
			 * authorities are there too): it allows no table
			 * they do not, so the audit's programs leave it
			 * out, and it links no block; suppression still
			 * looks at it */
	bool nesting;   /* an inequality: earlier stage (the total) = later
			 * stage + a gap cell (sdc_nesting_add()).
			 * Secondary suppression leaves it alone (an
			 * inequality pins nothing by subtraction); the
			 * audit and the extension use it */
};

struct sdc_problem {
	struct sdc_cell *cells;
	size_t ncells, cells_cap;
	struct sdc_relation *relations;
	size_t nrelations, relations_cap;
	size_t *index;      /* open-addressing hash of keys -> cell + 1 */
	size_t index_cap;
};

struct sdc_options {
	double k;           /* threshold: counts 1 .. k - 1 are primary */
	double protection;  /* smallest feasible interval width a suppressed
			     * cell may have (default k) */
	double round_to;    /* sdc_protect_table(): show counts that remain
			     * rounded to a multiple of this (5 for base 5);
			     * 0 or 1 leaves them exact. Figures derived from
			     * counts (shares, rates, means) are computed
			     * before rounding and are not changed. */
	const struct tidy_table *priors[SDC_MAX_PRIORS];
	size_t npriors;
			    /* sdc_protect_table(): the protected tables of
			     * earlier releases of the same counts (a
			     * correction's predecessors; the release of the
			     * year before, whose counts the change rows show
			     * again), oldest first. Every count one withheld
			     * is withheld again (SDC_PRIOR); a count one
			     * published is `known` when its value is
			     * unchanged. Borrowed for the call. */
};

void sdc_options_init(struct sdc_options *opt);

void sdc_problem_init(struct sdc_problem *p);
void sdc_problem_free(struct sdc_problem *p);

/* The cell with `key`, added with `value` if new. *out is its index. A key
 * seen before with another value is an error (two figures for one count). */
int sdc_cell_add(struct sdc_problem *p, const char *key, double value,
		 size_t *out, struct parity_error *err);
/* The index of the cell with `key`, or (size_t)-1. */
size_t sdc_cell_find(const struct sdc_problem *p, const char *key);

/*
 * Add the relation total = sum of parts, if it holds for the true values
 * (to within 1e-9) and is not already known; returns 1 when added, 0 when
 * it does not hold or adds nothing. Relations are candidates: a model adds
 * every relation a release might publish, and only the true ones count.
 */
int sdc_relation_add(struct sdc_problem *p, size_t total, const size_t *parts,
		     size_t count);

/*
 * Add the nesting 'later <= earlier' (a later stage of a service whose
 * people are a subset of an earlier stage's: arrests <= stops and
 * searches, for one area, year and group): a gap cell (sdc_cell.gap) with
 * the value earlier - later, and the relation earlier = later + gap. The
 * audit then bounds a withheld later stage by the earlier one, and an
 * earlier one from below by the later: narrower intervals, which
 * protection must still leave wide enough. Returns 1 when added, 0 when
 * the true values break it (later > earlier) or it is there already, -1 on
 * error.
 */
int sdc_nesting_add(struct sdc_problem *p, size_t earlier, size_t later,
		    struct parity_error *err);

/* What sdc_protect() did. */
struct sdc_summary {
	size_t cells;          /* count cells in the problem (not gaps) */
	size_t relations;      /* relations that hold */
	size_t primary;
	size_t secondary;
	size_t prior;          /* withheld because the previous release
				* withheld them (and not primary) */
	size_t known;          /* counts the previous release published
				* unchanged: constants to the audit */
	size_t audit_rounds;   /* audits run */
	size_t blocks;         /* independent blocks in the last audit */
	size_t largest_block;  /* unknown cells in the largest of them */
	size_t lps;            /* linear programs solved, all rounds */
	double narrowest;      /* the narrowest audited interval width, or
				* INFINITY when nothing was suppressed */
};

/*
 * Suppress: primary, secondary, then audit and extend until every
 * suppressed cell's feasible interval is at least opt->protection wide,
 * or holds no count from 1 to k - 1 (only k or more, or only 0).
 * Cells already SDC_PRIOR stay suppressed; `known` cells are constants to
 * the audit and are not audited themselves (they were published before).
 * Fails (PARITY_ERR_VALIDATION) when no further suppression can protect a
 * cell, naming up to five of them; cells' states are then as far as the
 * method got.
 */
int sdc_protect(struct sdc_problem *p, const struct sdc_options *opt,
		struct sdc_summary *summary, struct parity_error *err);

/* The feasible interval of one suppressed cell. */
struct sdc_interval {
	double low, high;
};

/*
 * The audit on its own: for every cell, its feasible interval given the
 * published cells and the relations (published and known cells give their
 * own value as both ends; a cell no relation bounds gets high = INFINITY).
 * The problem is solved block by block (sdc_audit.c). `out` has
 * one entry per cell. The LP treats suppressed cells as non-negative reals
 * and rounds the bounds inward to whole numbers; for sums over one or two
 * crossed dimensions (totally unimodular) these are exactly the bounds an
 * attacker working in whole numbers finds, and otherwise they may be a
 * little wider.
 */
int sdc_audit(const struct sdc_problem *p, struct sdc_interval *out,
	      struct parity_error *err);

/*
 * Disclosure control of a tidy table for publication (sdc_table.c): model
 * the counts the table publishes and their relations, protect them, and
 * append to `out` a copy of `in` in which every figure that is suppressed,
 * or would reveal a suppressed count, is withheld (tidy_row.withheld, flag
 * 'suppressed', a note saying why). Fails as sdc_protect() does, and then
 * appends nothing.
 */
int sdc_protect_table(const struct tidy_table *in,
		      const struct area_set *areas,
		      const struct sdc_options *opt, struct tidy_table *out,
		      struct sdc_summary *summary, struct parity_error *err);

/* What kind of problem the checker found. */
enum sdc_check_kind {
	SDC_CHECK_SMALL,   /* a count from 1 to k - 1 is shown */
	SDC_CHECK_NARROW,  /* a withheld count that could be from 1 to
			    * k - 1 can be narrowed below the width */
	SDC_CHECK_FIGURE,  /* a figure is shown that rests on a count
			    * that is withheld and could be from 1 to
			    * k - 1, or on counts the files do not show */
	SDC_CHECK_CONFLICT /* a row shows a count that another row of the
			    * same release shows as another number: the
			    * file is not what the registry of measures
			    * describes, so what it reveals is not known */
};

/* One problem the checker found in a published table. */
struct sdc_check_problem {
	size_t release;           /* which of the tables checked */
	enum sdc_check_kind kind;
	size_t row;               /* the row of the table showing the count
				   * (the first, for a withheld one) */
	enum tidy_column column;  /* where in that row */
	double low, high;         /* a withheld count's feasible interval;
				   * a published count's value, twice */
	bool small;               /* a published count from 1 to k - 1;
				   * else a withheld count whose interval is
				   * narrower than the protection width */
};

struct sdc_check {
	struct sdc_check_problem *problems;
	size_t nproblems, problems_cap;
	size_t counts;        /* distinct counts the table shows */
	size_t withheld;      /* of them, withheld wherever they appear */
	size_t relations;     /* relations the published figures allow */
	size_t largest_block; /* withheld counts in the largest block */
	size_t lps;           /* linear programs solved */
	double narrowest;     /* the narrowest interval of a withheld count
			       * that could be below k, or INFINITY */
	size_t large_known;   /* withheld counts narrower than `protection`
			       * that can only be k or more: not problems */
	size_t zero_known;    /* withheld counts that can only be 0 (a
			       * group's band counts when the group has no
			       * one): not problems either */
	size_t corrected;     /* areas and years that releases show
			       * differently (kept apart in each) */
};

/*
 * The checker (`parity check-disclosure`): model the counts a published
 * table shows, as sdc_protect_table() does, with the figures shown as
 * known values and those withheld (TIDY_WITHHELD) as unknown; a count
 * shown in any row is known, and one shown twice with two values is an
 * error. A relation is kept when the figures shown allow it. Then list as
 * problems every shown count from 1 to k - 1 and every withheld count
 * whose LP interval is narrower than `protection` and reaches below k (a
 * withheld count that can only be k or more, or only 0, reveals no small
 * count: it is counted in `large_known` or `zero_known`, not a problem).
 * Counts published rounded (pay quartile counts, to 0.1) are known to
 * within half their last place, not exactly. Tables published side
 * by side are checked together by appending them into one table first.
 * Returns 0 when the check ran (problems or not); `out` is then the
 * caller's to free with sdc_check_free().
 */
int sdc_check_table(const struct tidy_table *t, const struct area_set *areas,
		    double k, double protection, struct sdc_check *out,
		    struct parity_error *err);
/*
 * The checker over several releases read together, oldest first: a count
 * is one unknown across them, except in an area and year whose shown
 * counts two releases give differently (a correction), where each
 * release's counts are their own. A problem's `release` says which table
 * its row is in.
 */
int sdc_check_releases(const struct tidy_table *const *releases,
		       size_t nreleases, const struct area_set *areas,
		       double k, double protection, struct sdc_check *out,
		       struct parity_error *err);
void sdc_check_free(struct sdc_check *c);

#endif
