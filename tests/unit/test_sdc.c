/*
 * test_sdc.c - disclosure control on small hand-built tables: primary and
 * secondary suppression, the LP audit's intervals, the attack that
 * primary-only suppression fails, extension when the audit finds a cell
 * under-protected, and the area hierarchy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "measure/workforce.h"
#include "table/render.h"
#include "sdc/sdc.h"
#include "table/table_read.h"
#include "store/store.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t cell(struct sdc_problem *p, const char *key, double v)
{
	struct parity_error err = PARITY_ERROR_INIT;
	size_t at = 0;

	if (sdc_cell_add(p, key, v, &at, &err) < 0)
		fail_msg("sdc_cell_add: %s", err.message);
	return at;
}

/* A one-way table: groups 3, 12, 40 and 0, total 55. */
static void one_way(struct sdc_problem *p, size_t *c)
{
	sdc_problem_init(p);
	c[0] = cell(p, "a", 3);
	c[1] = cell(p, "b", 12);
	c[2] = cell(p, "c", 40);
	c[3] = cell(p, "d", 0);
	c[4] = cell(p, "total", 55);
	assert_int_equal(sdc_relation_add(p, c[4], c, 4), 1);
}

static void test_cells_and_relations(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	size_t c[5], at = 99, wrong[2];

	(void)state;
	one_way(&p, c);
	assert_int_equal(p.ncells, 5);
	assert_int_equal(sdc_cell_find(&p, "c"), c[2]);
	assert_int_equal(sdc_cell_find(&p, "nothing"), (size_t)-1);
	/* the same count again is the same cell; another figure is an
	 * error */
	assert_int_equal(sdc_cell_add(&p, "b", 12, &at, &err), 0);
	assert_int_equal(at, c[1]);
	assert_int_equal(sdc_cell_add(&p, "b", 13, &at, &err), -1);
	assert_non_null(strstr(err.message, "two figures for one count (b)"));
	assert_int_equal(sdc_cell_add(&p, "e", -1, &at, &err), -1);
	/* a relation that does not hold, or repeats one, is not added */
	wrong[0] = c[0];
	wrong[1] = c[1];
	assert_int_equal(sdc_relation_add(&p, c[4], wrong, 2), 0);
	assert_int_equal(sdc_relation_add(&p, c[4], c, 4), 0);
	assert_int_equal(p.nrelations, 1);
	sdc_problem_free(&p);
}

/* Primary suppression alone leaves the small cell recoverable by
 * subtraction: 55 - 12 - 40 - 0 = 3. */
static void test_primary_only_is_recoverable(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_interval iv[5];
	size_t c[5];

	(void)state;
	one_way(&p, c);
	p.cells[c[0]].state = SDC_PRIMARY;
	assert_int_equal(sdc_audit(&p, iv, &err), 0);
	assert_true(iv[c[0]].low == 3 && iv[c[0]].high == 3);
	assert_true(iv[c[2]].low == 40 && iv[c[2]].high == 40);
	sdc_problem_free(&p);
}

static void test_secondary_hides_the_small_cell(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct sdc_interval iv[5];
	size_t c[5];

	(void)state;
	one_way(&p, c);
	sdc_options_init(&opt);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(p.cells[c[0]].state, SDC_PRIMARY);
	/* the smallest non-zero part: 12, not the zero */
	assert_int_equal(p.cells[c[1]].state, SDC_SECONDARY);
	assert_int_equal(p.cells[c[2]].state, SDC_PUBLISHED);
	assert_int_equal(p.cells[c[3]].state, SDC_PUBLISHED);
	assert_int_equal(p.cells[c[4]].state, SDC_PUBLISHED);
	assert_int_equal(sum.primary, 1);
	assert_int_equal(sum.secondary, 1);
	/* a + b = 15: each between 0 and 15 */
	assert_int_equal(sdc_audit(&p, iv, &err), 0);
	assert_true(iv[c[0]].low == 0 && iv[c[0]].high == 15);
	assert_true(iv[c[1]].low == 0 && iv[c[1]].high == 15);
	assert_true(sum.narrowest == 15);
	sdc_problem_free(&p);
}

/* Two small cells hide each other from subtraction, but 3 + 4 = 7 pins
 * both within 7 < 10: the audit asks for one more, the 100. */
static void test_audit_extends_narrow_intervals(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	size_t c[4];

	(void)state;
	sdc_problem_init(&p);
	c[0] = cell(&p, "x", 3);
	c[1] = cell(&p, "y", 4);
	c[2] = cell(&p, "z", 100);
	c[3] = cell(&p, "total", 107);
	assert_int_equal(sdc_relation_add(&p, c[3], c, 3), 1);
	sdc_options_init(&opt);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(p.cells[c[2]].state, SDC_SECONDARY);
	assert_int_equal(sum.primary, 2);
	assert_int_equal(sum.secondary, 1);
	assert_true(sum.audit_rounds >= 2);
	assert_true(sum.narrowest >= 10);
	sdc_problem_free(&p);
}

/* The groups of the two tests below, with their values in `v`: Arab
 * (A), Other (B, published `b_uses` times), Other ethnic group (H = A +
 * B), Roma (E1), Gypsy or Irish Traveller (E2), Irish (E3), the White
 * minorities (WC = E1 + E2 + E3), the rest (Z) and all declared (D = A +
 * B + E1 + E2 + E3 + Z); the cells' indices in that order in `at`. */
enum { A, B, H, E1, E2, E3, WC, Z, D, NGROUPS_CELLS };

static void other_groups(struct sdc_problem *p, const double *v, int b_uses,
			 size_t *at)
{
	static const char *const keys[NGROUPS_CELLS] = {
		"arab", "other", "other-group", "roma", "gypsy", "irish",
		"white-minorities", "rest", "declared"
	};
	size_t parts[6], k;
	int use;

	sdc_problem_init(p);
	for (k = 0; k < NGROUPS_CELLS; k++)
		for (use = 0; use < (k == B ? b_uses : 1); use++)
			at[k] = cell(p, keys[k], v[k]);
	parts[0] = at[A], parts[1] = at[B];
	assert_int_equal(sdc_relation_add(p, at[H], parts, 2), 1);
	parts[0] = at[E1], parts[1] = at[E2], parts[2] = at[E3];
	assert_int_equal(sdc_relation_add(p, at[WC], parts, 3), 1);
	parts[0] = at[A], parts[1] = at[B], parts[2] = at[E1];
	parts[3] = at[E2], parts[4] = at[E3], parts[5] = at[Z];
	assert_int_equal(sdc_relation_add(p, at[D], parts, 6), 1);
}

/* A total whose own relation is wholly suppressed, pinned through the
 * cells it sums: Other ethnic group (H = A + B, all three from 1 to 9) is
 * worked out as 7, because in the groups' total A + B = D - Z - (the White
 * minorities, whose sum WC is published). H's one relation has nothing
 * left to give; the protection has to reach the groups' total, over two
 * rounds: the Irish count first, which still leaves H pinned through WC,
 * then Z or D. */
static void test_audit_reaches_past_a_closed_relation(void **state)
{
	static const double v[] = { 3, 4, 7, 3, 2, 67, 72, 1000, 1079 };
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct sdc_interval iv[NGROUPS_CELLS];
	size_t at[NGROUPS_CELLS], k;

	(void)state;
	other_groups(&p, v, 1, at);
	sdc_options_init(&opt);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(p.cells[at[H]].state, SDC_PRIMARY);
	assert_int_equal(p.cells[at[E3]].state, SDC_SECONDARY);
	assert_true(p.cells[at[Z]].state != SDC_PUBLISHED ||
		    p.cells[at[D]].state != SDC_PUBLISHED);
	assert_true(sum.audit_rounds >= 3);
	assert_int_equal(sdc_audit(&p, iv, &err), 0);
	for (k = 0; k < p.ncells; k++)
		if (p.cells[k].state == SDC_PRIMARY)
			assert_true(iv[k].high - iv[k].low >= 10);
	assert_true(sum.narrowest >= 10);
	sdc_problem_free(&p);
}

/*
 * A complement that can be worked out exactly, but only as a count of k
 * or more, needs no complement of its own: it reveals no small count (as
 * check-disclosure judges it). Other ethnic group (H = 110) is withheld
 * beside Arab (6), and is then worked out as 110 from the groups' total;
 * Arab's interval is wide, so nothing more is withheld.
 */
static void test_audit_lets_a_large_complement_be_worked_out(void **state)
{
	/* Other is published twice: costlier to hide than its total */
	static const double v[] = { 6, 104, 110, 3, 2, 67, 72, 1000, 1182 };
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct sdc_interval iv[NGROUPS_CELLS];
	size_t at[NGROUPS_CELLS];

	(void)state;
	other_groups(&p, v, 2, at);
	sdc_options_init(&opt);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(sdc_audit(&p, iv, &err), 0);
	assert_int_equal(p.cells[at[H]].state, SDC_SECONDARY);
	assert_true(iv[at[H]].low == 110 && iv[at[H]].high == 110);
	assert_true(iv[at[A]].high - iv[at[A]].low >= 10);
	assert_true(iv[at[E1]].high - iv[at[E1]].low >= 10);
	assert_true(iv[at[E2]].high - iv[at[E2]].low >= 10);
	/* the total and the rest stay shown: nothing protects H */
	assert_int_equal(p.cells[at[Z]].state, SDC_PUBLISHED);
	assert_int_equal(p.cells[at[D]].state, SDC_PUBLISHED);
	assert_int_equal(sum.secondary, 3);
	assert_true(sum.narrowest >= 10);
	sdc_problem_free(&p);
}

/* A two-way table, ethnic group by pay band, with margins:
 *            band1 band2 | total
 *   group A     5    30  |  35
 *   group B    20    25  |  45
 *   total      25    55  |  80
 * The 5 needs complements in its row and its column, and then the fourth
 * corner, so that no row or column total gives anything away. */
static void test_two_way_table(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct sdc_interval iv[9];
	size_t a1, a2, b1, b2, ta, tb, t1, t2, t, parts[2];

	(void)state;
	sdc_problem_init(&p);
	a1 = cell(&p, "A|1", 5);
	a2 = cell(&p, "A|2", 30);
	b1 = cell(&p, "B|1", 20);
	b2 = cell(&p, "B|2", 25);
	ta = cell(&p, "A|all", 35);
	tb = cell(&p, "B|all", 45);
	t1 = cell(&p, "all|1", 25);
	t2 = cell(&p, "all|2", 55);
	t = cell(&p, "all|all", 80);
	parts[0] = a1, parts[1] = a2;
	sdc_relation_add(&p, ta, parts, 2);
	parts[0] = b1, parts[1] = b2;
	sdc_relation_add(&p, tb, parts, 2);
	parts[0] = a1, parts[1] = b1;
	sdc_relation_add(&p, t1, parts, 2);
	parts[0] = a2, parts[1] = b2;
	sdc_relation_add(&p, t2, parts, 2);
	parts[0] = ta, parts[1] = tb;
	sdc_relation_add(&p, t, parts, 2);
	parts[0] = t1, parts[1] = t2;
	sdc_relation_add(&p, t, parts, 2);
	assert_int_equal(p.nrelations, 6);
	sdc_options_init(&opt);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(p.cells[a1].state, SDC_PRIMARY);
	assert_true(p.cells[a2].state != SDC_PUBLISHED);
	assert_true(p.cells[b1].state != SDC_PUBLISHED);
	assert_true(p.cells[b2].state != SDC_PUBLISHED);
	assert_int_equal(p.cells[t].state, SDC_PUBLISHED);
	assert_int_equal(sdc_audit(&p, iv, &err), 0);
	/* A1 = 35 - A2, A2 <= 35 and A1 = 25 - B1, B1 <= 25: 0 to 25 */
	assert_true(iv[a1].low == 0 && iv[a1].high == 25);
	assert_true(sum.narrowest >= 10);
	sdc_problem_free(&p);
}

/* London = Inner + Outer; each = its boroughs. A small borough count is
 * protected within its sub-region, and the sub-region totals stay. */
static void test_area_hierarchy(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	size_t b[4], inner, outer, london, parts[2];

	(void)state;
	sdc_problem_init(&p);
	b[0] = cell(&p, "inner-a", 7);
	b[1] = cell(&p, "inner-b", 60);
	b[2] = cell(&p, "outer-c", 45);
	b[3] = cell(&p, "outer-d", 50);
	inner = cell(&p, "inner", 67);
	outer = cell(&p, "outer", 95);
	london = cell(&p, "london", 162);
	assert_int_equal(sdc_relation_add(&p, inner, b, 2), 1);
	assert_int_equal(sdc_relation_add(&p, outer, b + 2, 2), 1);
	parts[0] = inner, parts[1] = outer;
	assert_int_equal(sdc_relation_add(&p, london, parts, 2), 1);
	sdc_options_init(&opt);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(p.cells[b[0]].state, SDC_PRIMARY);
	assert_int_equal(p.cells[b[1]].state, SDC_SECONDARY);
	assert_int_equal(p.cells[inner].state, SDC_PUBLISHED);
	assert_int_equal(p.cells[outer].state, SDC_PUBLISHED);
	assert_int_equal(p.cells[b[2]].state, SDC_PUBLISHED);
	assert_true(sum.narrowest >= 10);
	sdc_problem_free(&p);
}

/* Nothing small: nothing suppressed, no LP needed. A larger threshold
 * suppresses more. */
static void test_threshold(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	size_t c[5];

	(void)state;
	one_way(&p, c);
	sdc_options_init(&opt);
	opt.k = 3;
	opt.protection = 3;
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(sum.primary + sum.secondary, 0);
	assert_true(isinf(sum.narrowest));
	sdc_problem_free(&p);

	one_way(&p, c);
	opt.k = 13;
	opt.protection = 13;
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	/* 3 and 12 hide each other: together 15, at least 13 wide */
	assert_int_equal(sum.primary, 2);
	assert_int_equal(sum.secondary, 0);
	assert_true(sum.narrowest == 15);
	sdc_problem_free(&p);

	one_way(&p, c);
	opt.k = 0;
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), -1);
	sdc_problem_free(&p);
}

/* A borough's workforce measures: White British 40, Indian 3, African 30,
 * not known 5. */
/* Brent's staff (`indian` Indian staff) and their events. */
static void brent_aggregates(struct store_aggregates *a, double *wbri,
			     double *aind, double *bafr, double *nk,
			     size_t indian);

static void brent_measures_with(struct area_set *areas, struct tidy_table *t,
				size_t indian)
{
	static double wbri[40], aind[40], bafr[30], nk[5];
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_aggregates a;
	struct workforce_options opt;

	brent_aggregates(&a, wbri, aind, bafr, nk, indian);
	memset(a.events, 0, sizeof(a.events));
	a.events[STORE_EVENT_PROMOTED][ETH_WBRI] =
		(struct store_event_count){ 8, 32, 0 };
	a.events[STORE_EVENT_PROMOTED][ETH_BAFR] =
		(struct store_event_count){ 2, 28, 0 };
	workforce_options_init(&opt);
	opt.pay_min_group = 0;
	tidy_table_init(t);
	if (workforce_measures(&a, NULL, areas, area_find(areas, "E09000005"),
			       NULL, 0, 2024, &opt, t, &err) < 0)
		fail_msg("workforce_measures: %s", err.message);
}

static void brent_measures(struct area_set *areas, struct tidy_table *t)
{
	brent_measures_with(areas, t, 3);
}

static const struct tidy_row *row(const struct tidy_table *t,
				  const char *measure, const char *eth,
				  const char *breakdown)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].ethnicity, eth) == 0 &&
		    strcmp(t->rows[k].breakdown, breakdown) == 0)
			return &t->rows[k];
	fail_msg("no row %s / %s / %s", measure, eth, breakdown);
	return NULL;
}

static bool visible_small(const struct tidy_row *r, enum tidy_column c,
			  double k)
{
	double v = tidy_row_number(r, c);

	return !tidy_row_withheld(r, c) && v > 0 && v < k;
}

static void test_workforce_table(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct tidy_table in, out;
	struct sdc_options opt;
	struct sdc_summary sum;
	const char *aind = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
						       ETH_AIND);
	const char *bafr = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
						       ETH_BAFR);
	const char *wbri = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
						       ETH_WBRI);
	const struct tidy_row *r;
	size_t k;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	brent_measures(areas, &in);
	/* before: Indian's 3 is published, and All staff less the others
	 * gives it back */
	assert_true(row(&in, "staff_count", aind, "")->value == 3);
	sdc_options_init(&opt);
	tidy_table_init(&out);
	assert_int_equal(sdc_protect_table(&in, areas, &opt, &out, &sum, &err),
			 0);
	assert_int_equal(out.count, in.count);
	assert_true(sum.primary >= 2);   /* Indian 3, not known 5, ... */
	assert_true(sum.secondary >= 1);
	assert_true(sum.narrowest >= 10);
	/* no count from 1 to 9 is visible anywhere */
	for (k = 0; k < out.count; k++) {
		const struct tidy_row *o = &out.rows[k];

		if (strcmp(o->measure, "staff_count") == 0)
			assert_false(visible_small(o, TIDY_VALUE, 10));
		if (strcmp(o->measure, "staff_share") == 0 ||
		    strcmp(o->measure, "band_share") == 0 ||
		    strcmp(o->measure, "not_known_rate") == 0) {
			assert_false(visible_small(o, TIDY_NUMERATOR, 10));
			assert_false(visible_small(o, TIDY_DENOMINATOR, 10));
		}
	}
	r = row(&out, "staff_count", aind, "");
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	assert_string_equal(r->flag, "suppressed");
	assert_non_null(strstr(r->note, "[c]"));
	assert_true(tidy_row_withheld(row(&out, "staff_count", "Not known", ""),
				      TIDY_VALUE));
	/* the complement in the groups: African (30), the smallest other */
	assert_true(tidy_row_withheld(row(&out, "staff_count", bafr, ""),
				      TIDY_VALUE));
	assert_false(tidy_row_withheld(row(&out, "staff_count", wbri, ""),
				       TIDY_VALUE));
	/* figures resting on a withheld count go too */
	r = row(&out, "mean_hourly_pay", aind, "");
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	assert_true(isnan(r->value));
	r = row(&out, "staff_share", aind, "");
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	assert_true(tidy_row_withheld(r, TIDY_CI_HIGH));
	/* African promotion: 2 of 30 implies 2 people */
	r = row(&out, "relative_likelihood", bafr, "promoted");
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	assert_true(tidy_row_withheld(r, TIDY_CI_LOW));
	tidy_table_free(&out);

	/* base 5: visible counts are multiples of 5, shares computed from
	 * the rounded counts (else share x total gives the exact count) */
	opt.round_to = 5;
	tidy_table_init(&out);
	assert_int_equal(sdc_protect_table(&in, areas, &opt, &out, &sum, &err),
			 0);
	for (k = 0; k < out.count; k++) {
		const struct tidy_row *o = &out.rows[k];

		if (strcmp(o->measure, "staff_count") == 0 &&
		    !tidy_row_withheld(o, TIDY_VALUE))
			assert_true(fmod(o->value, 5) == 0);
		if (strcmp(o->measure, "staff_share") == 0 &&
		    !tidy_row_withheld(o, TIDY_VALUE)) {
			assert_true(fmod(o->denominator, 5) == 0);
			assert_true(fabs(o->value - 100.0 * o->numerator /
							    o->denominator) <
				    0.05 + 1e-9);
			assert_non_null(strstr(o->note, "nearest 5"));
		}
	}
	assert_true(row(&out, "staff_count", "All staff", "")->withheld != 0);
	tidy_table_free(&out);
	tidy_table_free(&in);
	area_set_free(areas);
}

/* A count published before with the same value hides nothing when
 * withheld: it is never the complement, and a cell withheld before stays
 * withheld. */
static void test_known_and_prior_cells(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;
	struct sdc_summary sum;
	size_t c[5];

	(void)state;
	one_way(&p, c);
	p.cells[c[1]].known = true;   /* 12, published last time */
	sdc_options_init(&opt);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(p.cells[c[0]].state, SDC_PRIMARY);
	assert_int_equal(p.cells[c[1]].state, SDC_PUBLISHED);
	assert_int_equal(p.cells[c[2]].state, SDC_SECONDARY);
	assert_int_equal(sum.known, 1);
	assert_true(sum.narrowest == 43);
	sdc_problem_free(&p);

	one_way(&p, c);
	p.cells[c[2]].state = SDC_PRIOR;   /* 40, withheld last time */
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(p.cells[c[2]].state, SDC_PRIOR);
	assert_int_equal(sum.prior, 1);
	/* 3 and 40 hide each other: nothing else is needed */
	assert_int_equal(sum.secondary, 0);
	assert_true(sum.narrowest == 43);
	sdc_problem_free(&p);
}

/*
 * A correction: Indian was 3 (withheld with African, 30, as its
 * complement) and is corrected to 12. Protected on its own, the corrected
 * release shows African's 30; with the first release's declared staff
 * (73) and White British (40), that gives the first release's Indian
 * count back: 73 - 40 - 30 = 3. Given the first release as `prior`,
 * African stays withheld.
 */
static void test_correction_cannot_reveal_earlier_cell(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct tidy_table first_in, first, fixed_in, naive, safe;
	struct sdc_options opt;
	struct sdc_summary sum;
	const char *aind = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
						       ETH_AIND);
	const char *bafr = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
						       ETH_BAFR);
	const char *wbri = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
						       ETH_WBRI);
	const struct tidy_row *declared, *african;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	sdc_options_init(&opt);
	brent_measures_with(areas, &first_in, 3);
	brent_measures_with(areas, &fixed_in, 12);
	tidy_table_init(&first);
	tidy_table_init(&naive);
	tidy_table_init(&safe);
	assert_int_equal(sdc_protect_table(&first_in, areas, &opt, &first,
					   &sum, &err), 0);
	assert_true(tidy_row_withheld(row(&first, "staff_count", aind, ""),
				      TIDY_VALUE));
	assert_true(tidy_row_withheld(row(&first, "staff_count", bafr, ""),
				      TIDY_VALUE));
	declared = row(&first, "staff_share", wbri, "");
	assert_false(tidy_row_withheld(declared, TIDY_DENOMINATOR));
	assert_true(declared->denominator == 73);

	/* the naive correction: African shown, and the attack works */
	assert_int_equal(sdc_protect_table(&fixed_in, areas, &opt, &naive,
					   &sum, &err), 0);
	african = row(&naive, "staff_count", bafr, "");
	assert_false(tidy_row_withheld(african, TIDY_VALUE));
	assert_true(declared->denominator -
			    row(&first, "staff_count", wbri, "")->value -
			    african->value == 3);

	/* with the first release as prior */
	opt.priors[0] = &first;
	opt.npriors = 1;
	assert_int_equal(sdc_protect_table(&fixed_in, areas, &opt, &safe,
					   &sum, &err), 0);
	assert_true(tidy_row_withheld(row(&safe, "staff_count", bafr, ""),
				      TIDY_VALUE));
	assert_true(tidy_row_withheld(row(&safe, "staff_count", aind, ""),
				      TIDY_VALUE));
	assert_true(sum.prior >= 1);
	assert_true(sum.narrowest >= 10);
	/* White British, published before and unchanged, is known */
	assert_true(sum.known >= 1);
	assert_false(tidy_row_withheld(row(&safe, "staff_count", wbri, ""),
				       TIDY_VALUE));
	tidy_table_free(&first);
	tidy_table_free(&naive);
	tidy_table_free(&safe);
	tidy_table_free(&first_in);
	tidy_table_free(&fixed_in);
	area_set_free(areas);
}

/* Write `t` as CSV to a temporary file and read it back into `back`. */
static void round_trip(const struct tidy_table *t, struct tidy_table *back,
		       long **lines, size_t *cap)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char path[] = "/tmp/parity-test-sdc-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	assert_non_null(f);
	assert_int_equal(table_write_csv(t, f, &err), 0);
	assert_int_equal(fclose(f), 0);
	tidy_table_init(back);
	if (tidy_table_read_csv(path, back, lines, cap, &err) != 0)
		fail_msg("tidy_table_read_csv: %s", err.message);
	remove(path);
}

static const struct sdc_check_problem *problem_at(const struct sdc_check *c,
						  const struct tidy_table *t,
						  const char *measure,
						  const char *eth)
{
	size_t k;

	for (k = 0; k < c->nproblems; k++)
		if (strcmp(t->rows[c->problems[k].row].measure, measure) == 0 &&
		    strcmp(t->rows[c->problems[k].row].ethnicity, eth) == 0)
			return &c->problems[k];
	return NULL;
}

/*
 * The checker on what was published: the protected Brent table, written
 * as CSV and read back, passes; the same table with only the counts from
 * 1 to 9 withheld (primary suppression alone) fails, and the Indian count
 * comes back exactly as 3.
 */
static void test_check_published_csv(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct tidy_table in, out, back, naive;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct sdc_check check;
	const char *aind = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
						       ETH_AIND);
	const struct sdc_check_problem *pr;
	long *lines = NULL;
	size_t cap = 0, k, c;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	brent_measures(areas, &in);
	sdc_options_init(&opt);
	tidy_table_init(&out);
	assert_int_equal(sdc_protect_table(&in, areas, &opt, &out, &sum, &err),
			 0);
	round_trip(&out, &back, &lines, &cap);
	assert_int_equal(back.count, out.count);
	assert_int_equal(lines[0], 2);
	assert_int_equal(lines[back.count - 1], (long)back.count + 1);
	for (k = 0; k < out.count; k++)
		assert_int_equal(back.rows[k].withheld, out.rows[k].withheld);
	if (sdc_check_table(&back, areas, 10, 10, &check, &err) < 0)
		fail_msg("%s", err.message);
	assert_int_equal(check.nproblems, 0);
	/* people at risk of an event that are the group's staff are one count
	 * to protection, two to the checker (which cannot know they are equal)
	 */
	assert_true(check.withheld >= sum.primary + sum.secondary);
	assert_true(check.narrowest >= 10 && check.narrowest == sum.narrowest);
	sdc_check_free(&check);

	/* primary only */
	round_trip(&in, &naive, NULL, NULL);
	for (k = 0; k < naive.count; k++) {
		struct tidy_row *r = &naive.rows[k];

		for (c = TIDY_VALUE; c <= TIDY_DENOMINATOR; c++) {
			double v = tidy_row_number(r, (enum tidy_column)c);

			if (strcmp(r->measure, "staff_count") != 0 &&
			    c == TIDY_VALUE)
				continue;
			if (v > 0 && v < 10)
				r->withheld |= 1u << c;
		}
	}
	assert_int_equal(sdc_check_table(&naive, areas, 10, 10, &check, &err),
			 0);
	assert_true(check.nproblems > 0);
	pr = problem_at(&check, &naive, "staff_count", aind);
	assert_non_null(pr);
	assert_false(pr->small);
	assert_true(pr->low == 3 && pr->high == 3);
	assert_true(check.narrowest == 0);
	sdc_check_free(&check);

	/* the unprotected table: the 3 is shown */
	assert_int_equal(sdc_check_table(&in, areas, 10, 10, &check, &err), 0);
	pr = problem_at(&check, &in, "staff_count", aind);
	assert_non_null(pr);
	assert_true(pr->small && pr->low == 3);
	sdc_check_free(&check);

	free(lines);
	tidy_table_free(&naive);
	tidy_table_free(&back);
	tidy_table_free(&out);
	tidy_table_free(&in);
	area_set_free(areas);
}

/* Reading back: errors are located; a file that is not a tidy table is
 * said to be one. */
static void test_read_errors(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct tidy_table t;
	char path[] = "/tmp/parity-test-read-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	(void)state;
	assert_non_null(f);
	fputs("measure,area_code,area_name,area_type,year,ethnicity,"
	      "ethnicity_level,breakdown,value,numerator,denominator,ci_low,"
	      "ci_high,p_value,flag,note\n"
	      "staff_count,E09000005,Brent,borough,2023-24,White,high,,[c],,"
	      ",,,,suppressed,\n"
	      "staff_count,E09000005,Brent,borough,2024,Indian,detailed,,"
	      "1.5e+01,,,,,7.9e-28,,\n"
	      "staff_count,E09000005,Brent,borough,2024,Arab,detailed,,x,,,,"
	      ",,,\n", f);
	assert_int_equal(fclose(f), 0);
	tidy_table_init(&t);
	assert_int_equal(tidy_table_read_csv(path, &t, NULL, NULL, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 4);
	assert_int_equal(err.column, 57);
	assert_non_null(strstr(err.message, "value: 'x'"));
	/* the rows before it are read */
	assert_int_equal(t.count, 2);
	assert_true(tidy_row_withheld(&t.rows[0], TIDY_VALUE));
	assert_int_equal(t.rows[0].year, 2023);
	assert_string_equal(t.rows[0].period, "2023-24");
	assert_true(t.rows[1].value == 15 && t.rows[1].p_value == 7.9e-28);
	tidy_table_free(&t);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("file,description\na.csv,Brent\n", f);
	assert_int_equal(fclose(f), 0);
	tidy_table_init(&t);
	assert_int_equal(tidy_table_read_csv(path, &t, NULL, NULL, &err), 1);
	assert_int_equal(t.count, 0);
	tidy_table_free(&t);
	remove(path);
}

/* ---- every figure through the registry (issue: withheld means withheld
 * in every output) ---- */

/* A measure the registry does not know cannot be published: disclosure
 * control cannot tell what it rests on. */
static void test_unknown_measure_refused(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct tidy_table in, out;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct tidy_row *r;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	brent_measures(areas, &in);
	r = tidy_table_add_row(&in);
	r->measure = tidy_table_intern(&in, "staff_satisfaction_index");
	r->area_code = tidy_table_intern(&in, "E09000005");
	r->year = 2024;
	r->value = 0.7;
	sdc_options_init(&opt);
	tidy_table_init(&out);
	assert_int_equal(sdc_protect_table(&in, areas, &opt, &out, &sum, &err),
			 -1);
	assert_non_null(strstr(err.message, "staff_satisfaction_index"));
	assert_non_null(strstr(err.message, "registry"));
	assert_int_equal(out.count, 0);
	tidy_table_free(&out);
	tidy_table_free(&in);
	area_set_free(areas);
}

/* 8 of 40 White British disciplined and 4 of 30 African: a rate of
 * 13.3% on a group of 30 that is itself shown. */
static void brent_aggregates(struct store_aggregates *a, double *wbri,
			     double *aind, double *bafr, double *nk,
			     size_t indian)
{
	size_t k;

	for (k = 0; k < 40; k++)
		wbri[k] = 20000 + 1000.0 * (double)k;
	for (k = 0; k < indian; k++)
		aind[k] = 30000 + 1000.0 * (double)k;
	for (k = 0; k < 30; k++)
		bafr[k] = 21000 + 1000.0 * (double)k;
	for (k = 0; k < 5; k++)
		nk[k] = 25000 + 1000.0 * (double)k;
	memset(a, 0, sizeof(*a));
	a->pay[ETH_WBRI] = wbri, a->pay_count[ETH_WBRI] = 40;
	a->pay[ETH_AIND] = aind, a->pay_count[ETH_AIND] = indian;
	a->pay[ETH_BAFR] = bafr, a->pay_count[ETH_BAFR] = 30;
	a->pay[ETH_NOT_KNOWN] = nk, a->pay_count[ETH_NOT_KNOWN] = 5;
	a->events[STORE_EVENT_DISCIPLINARY][ETH_WBRI] =
		(struct store_event_count){ 8, 32, 0 };
	a->events[STORE_EVENT_DISCIPLINARY][ETH_BAFR] =
		(struct store_event_count){ 4, 26, 0 };
	a->submission_count = a->workforce_count = 1;
}

static const struct tidy_row *area_row(const struct tidy_table *t,
				       const char *measure, const char *area,
				       const char *eth, const char *breakdown)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].area_code, area) == 0 &&
		    strcmp(t->rows[k].ethnicity, eth) == 0 &&
		    strcmp(t->rows[k].breakdown, breakdown) == 0)
			return &t->rows[k];
	fail_msg("no row %s / %s / %s / %s", measure, area, eth, breakdown);
	return NULL;
}

/*
 * The routes of the attack on the published site, one by one: a relative
 * likelihood whose events are few though its group is large, and its
 * place on London's funnel plot; last year's small count behind a change
 * row; and every figure published to its precision.
 */
static void test_derived_figures_follow_their_counts(void **state)
{
	static double wbri[40], aind[40], bafr[30], nk[5];
	static double pwbri[40], paind[40], pbafr[30], pnk[5];
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct store_aggregates now, before;
	struct workforce_options wo;
	struct tidy_table in, london, out;
	struct sdc_options opt;
	struct sdc_summary sum;
	const char *bafr_label = ethnicity_level_group_label(
		ETH_LEVEL_DETAILED, ETH_BAFR);
	const char *aind_label = ethnicity_level_group_label(
		ETH_LEVEL_DETAILED, ETH_AIND);
	const struct tidy_row *r;
	int london_at, brent;
	size_t k;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	london_at = area_london(areas);
	brent = area_find(areas, "E09000005");
	brent_aggregates(&now, wbri, aind, bafr, nk, 12);
	brent_aggregates(&before, pwbri, paind, pbafr, pnk, 4);
	workforce_options_init(&wo);
	wo.pay_min_group = 0;
	tidy_table_init(&in);
	tidy_table_init(&london);
	/* London pooled from Brent alone: the same counts */
	assert_int_equal(workforce_measures(&now, &before, areas, london_at,
					    &brent, 1, 2024, &wo, &london,
					    &err),
			 0);
	tidy_table_append(&in, &london);
	k = in.count;
	assert_int_equal(workforce_measures(&now, &before, areas, brent, &brent,
					    1, 2024, &wo, &in, &err),
			 0);
	workforce_funnel(&london, &in, k);
	/* before: the rate times the group gives the 4 back */
	r = area_row(&in, "relative_likelihood", "E09000005", bafr_label,
		     "disciplinary");
	assert_true(fabs(r->numerator / 100 * 30 - 4) < 1e-9);
	r = area_row(&in, "staff_share_change_pp", "E09000005", aind_label,
		     "");
	assert_true(r->numerator == 4);

	sdc_options_init(&opt);
	tidy_table_init(&out);
	if (sdc_protect_table(&in, areas, &opt, &out, &sum, &err) < 0)
		fail_msg("%s", err.message);
	/* the African group (30) is shown, its events (4) are not, and
	 * nothing that rests on them is */
	r = area_row(&out, "staff_count", "E09000005", bafr_label, "");
	assert_false(tidy_row_withheld(r, TIDY_VALUE));
	r = area_row(&out, "event_rate", "E09000005", bafr_label,
		     "disciplinary");
	assert_true(tidy_row_withheld(r, TIDY_NUMERATOR));
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	r = area_row(&out, "relative_likelihood", "E09000005", bafr_label,
		     "disciplinary");
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	assert_true(tidy_row_withheld(r, TIDY_NUMERATOR));
	assert_true(tidy_row_withheld(r, TIDY_P_VALUE));
	r = area_row(&out, "funnel_position", "E09000005", bafr_label,
		     "relative_likelihood: disciplinary");
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	assert_true(isnan(r->value) && isnan(r->numerator));
	/* last year's 4 Indian staff: the change row is withheld */
	r = area_row(&out, "staff_share_change_pp", "E09000005", aind_label,
		     "");
	assert_true(tidy_row_withheld(r, TIDY_NUMERATOR));
	assert_true(tidy_row_withheld(r, TIDY_VALUE));
	assert_true(tidy_row_withheld(r, TIDY_P_VALUE));
	/* the figures shown are published to their precision */
	for (k = 0; k < out.count; k++) {
		const struct tidy_row *o = &out.rows[k];

		if (strcmp(o->measure, "staff_share") == 0 && !o->withheld) {
			assert_true(fabs(o->value * 10 - round(o->value * 10)) <
				    1e-9);
			assert_true(fabs(o->ci_low * 10 -
					 round(o->ci_low * 10)) < 1e-9);
		}
		if (strcmp(o->measure, "relative_likelihood") == 0 &&
		    !o->withheld && !isnan(o->value))
			assert_true(fabs(o->value * 100 -
					 round(o->value * 100)) < 1e-9);
		if (!isnan(o->p_value) && !(o->below & (1u << TIDY_P_VALUE)))
			assert_true(o->p_value >= 0.001);
	}
	/* and the checker agrees: nothing shown rests on a withheld count */
	{
		struct sdc_check check;
		struct tidy_row *leak;

		if (sdc_check_table(&out, areas, 10, 10, &check, &err) < 0)
			fail_msg("%s", err.message);
		assert_int_equal(check.nproblems, 0);
		sdc_check_free(&check);
		/* a funnel row printing the withheld ratio is caught */
		leak = &out.rows[area_row(&out, "funnel_position",
					  "E09000005", bafr_label,
					  "relative_likelihood: disciplinary") -
				 out.rows];
		leak->withheld = 0;
		leak->value = 2.5;
		if (sdc_check_table(&out, areas, 10, 10, &check, &err) < 0)
			fail_msg("%s", err.message);
		assert_true(check.nproblems >= 1);
		assert_int_equal(check.problems[0].kind, SDC_CHECK_FIGURE);
		assert_string_equal(out.rows[check.problems[0].row].measure,
				    "funnel_position");
		sdc_check_free(&check);
	}
	tidy_table_free(&out);
	tidy_table_free(&london);
	tidy_table_free(&in);
	area_set_free(areas);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_and_relations),
		cmocka_unit_test(test_primary_only_is_recoverable),
		cmocka_unit_test(test_secondary_hides_the_small_cell),
		cmocka_unit_test(test_audit_extends_narrow_intervals),
		cmocka_unit_test(test_audit_reaches_past_a_closed_relation),
		cmocka_unit_test(
			test_audit_lets_a_large_complement_be_worked_out),
		cmocka_unit_test(test_two_way_table),
		cmocka_unit_test(test_area_hierarchy),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_workforce_table),
		cmocka_unit_test(test_known_and_prior_cells),
		cmocka_unit_test(test_correction_cannot_reveal_earlier_cell),
		cmocka_unit_test(test_check_published_csv),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_unknown_measure_refused),
		cmocka_unit_test(test_derived_figures_follow_their_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
