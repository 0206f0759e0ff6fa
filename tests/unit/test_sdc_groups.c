/*
 * test_sdc_groups.c - disclosure control when areas are not a tree: a
 * user's group of boroughs that overlaps a partnership, both beside
 * London's Inner/Outer tree, on a table worked out by hand.
 *
 * Three Outer London boroughs have Black staff counts: Brent 30 (West
 * London Alliance), Croydon 4 and Sutton 25 (both South London
 * Partnership; the partnership's other members have no return). The
 * user's group G is {Brent, Croydon}, the partnership P is, in the table,
 * {Croydon, Sutton}, and London (and Outer London) are all three:
 *
 *   G = Brent + Croydon = 34,  P = Croydon + Sutton = 29,
 *   London = Brent + Croydon + Sutton = 59.
 *
 * Croydon's 4 is below 10 and must be withheld. Withholding every borough
 * is not enough: G + P - London = Croydon, so G, P and London shown
 * together give the 4 back exactly. One of the three totals must go too;
 * the audit proves the result safe, and proves the naive tables unsafe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "domain/ethnicity.h"
#include "sdc/sdc.h"
#include "table/table.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define BRENT "E09000005"
#define CROYDON "E09000008"
#define SUTTON "E09000029"
#define GROUP "G-BRENT-AND-CROYDON"

static void add_count(struct tidy_table *t, const struct area_set *areas,
		      const char *code, double value)
{
	const struct area *a = &areas->areas[area_find(areas, code)];
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, "staff_count");
	r->area_code = tidy_table_intern(t, a->code);
	r->area_name = tidy_table_intern(t, a->name);
	r->area_type = tidy_table_intern(t, area_type_name(a->type));
	r->year = 2024;
	r->ethnicity = tidy_table_intern(
		t, ethnicity_level_group_label(ETH_LEVEL_HIGH, ETH_GROUP_BLACK));
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->value = value;
}

/* The areas with the group, and the table of the seven counts. */
static void build(struct area_set **areas, struct tidy_table *t)
{
	struct parity_error err = PARITY_ERROR_INIT;
	int members[2];

	assert_int_equal(area_set_load(areas, &err), 0);
	members[0] = area_find(*areas, BRENT);
	members[1] = area_find(*areas, "Croydon");
	if (area_set_add_group(*areas, GROUP, "Brent and Croydon", members, 2,
			       &err) < 0)
		fail_msg("%s", err.message);
	tidy_table_init(t);
	add_count(t, *areas, BRENT, 30);
	add_count(t, *areas, CROYDON, 4);
	add_count(t, *areas, SUTTON, 25);
	add_count(t, *areas, GROUP, 34);
	add_count(t, *areas, "P-SLP", 29);
	add_count(t, *areas, "E13000002", 59);
	add_count(t, *areas, "E12000007", 59);
}

static const struct tidy_row *row_of(const struct tidy_table *t,
				     const char *code)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].area_code, code) == 0)
			return &t->rows[k];
	fail_msg("no row for %s", code);
	return NULL;
}

static bool withheld(const struct tidy_table *t, const char *code)
{
	return tidy_row_withheld(row_of(t, code), TIDY_VALUE);
}

/* What the checker can say of the count of `code`: its problem, or NULL
 * when it has none. */
static const struct sdc_check_problem *problem_of(const struct sdc_check *c,
						  const struct tidy_table *t,
						  const char *code)
{
	size_t k;

	for (k = 0; k < c->nproblems; k++)
		if (strcmp(t->rows[c->problems[k].row].area_code, code) == 0)
			return &c->problems[k];
	return NULL;
}

/* The membership relation: the group and the partnership are areas
 * outside the tree, each the sum of its members. */
static void test_groups_beside_the_tree(void **state)
{
	struct area_set *areas;
	struct tidy_table t;
	int leaves[400];
	int g, p, croydon, outer;

	(void)state;
	build(&areas, &t);
	g = area_find(areas, "brent and croydon");
	p = area_find(areas, "South London Partnership");
	croydon = area_find(areas, CROYDON);
	outer = area_find(areas, "Outer London");
	assert_true(g >= 0 && p >= 0);
	assert_int_equal(areas->areas[g].type, AREA_GROUP);
	assert_int_equal(areas->areas[p].type, AREA_PARTNERSHIP);
	assert_int_equal(areas->areas[p].parent, -1);
	/* Croydon is in Outer London, in the partnership and in the group */
	assert_true(area_within(areas, croydon, outer));
	assert_false(area_within(areas, croydon, p));
	assert_true(area_includes(areas, croydon, p));
	assert_true(area_includes(areas, croydon, g));
	assert_false(area_includes(areas, area_find(areas, SUTTON), g));
	assert_int_equal(area_leaves(areas, p, leaves), 5);
	assert_int_equal(area_leaves(areas, g, leaves), 2);
	assert_int_equal(leaves[0], area_find(areas, BRENT));
	assert_int_equal(leaves[1], croydon);
	tidy_table_free(&t);
	area_set_free(areas);
}

/*
 * Protected: Croydon's 4 is withheld, and so is at least one of the
 * group, the partnership and London (else G + P - London gives it); no
 * borough can be worked out, and the checker, reading only the published
 * table, finds nothing narrower than 10 that could be below 10.
 */
static void test_overlapping_groups_protected(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas;
	struct tidy_table t, out;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct sdc_check check;

	(void)state;
	build(&areas, &t);
	sdc_options_init(&opt);
	tidy_table_init(&out);
	if (sdc_protect_table(&t, areas, &opt, &out, &sum, &err) < 0)
		fail_msg("%s", err.message);
	assert_true(withheld(&out, CROYDON));
	assert_true(sum.primary == 1);
	/* a borough hides Croydon in each of its relations */
	assert_true(withheld(&out, BRENT) || withheld(&out, GROUP));
	assert_true(withheld(&out, SUTTON) || withheld(&out, "P-SLP"));
	/* and the three totals are never all shown */
	assert_true(withheld(&out, GROUP) || withheld(&out, "P-SLP") ||
		    (withheld(&out, "E12000007") &&
		     withheld(&out, "E13000002")));
	assert_true(sum.narrowest >= 10);
	if (sdc_check_table(&out, areas, 10, 10, &check, &err) < 0)
		fail_msg("%s", err.message);
	assert_int_equal(check.nproblems, 0);
	assert_true(check.withheld >= 2);
	assert_true(check.narrowest >= 10);
	sdc_check_free(&check);
	tidy_table_free(&out);
	tidy_table_free(&t);
	area_set_free(areas);
}

/*
 * The attacks the audit must see. Only Croydon withheld: Croydon = G -
 * Brent = 4. Every borough withheld but the three totals shown: Croydon =
 * G + P - London = 34 + 29 - 59 = 4, through no tree relation at all.
 */
static void test_naive_tables_fail_the_audit(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas;
	struct tidy_table t;
	struct sdc_check check;
	const struct sdc_check_problem *pr;
	size_t k;

	(void)state;
	build(&areas, &t);
	for (k = 0; k < t.count; k++)
		if (strcmp(t.rows[k].area_code, CROYDON) == 0)
			t.rows[k].withheld = 1u << TIDY_VALUE;
	assert_int_equal(sdc_check_table(&t, areas, 10, 10, &check, &err), 0);
	pr = problem_of(&check, &t, CROYDON);
	assert_non_null(pr);
	assert_true(pr->low == 4 && pr->high == 4);
	sdc_check_free(&check);

	for (k = 0; k < t.count; k++)
		if (area_find(areas, t.rows[k].area_code) >= 0 &&
		    areas->areas[area_find(areas, t.rows[k].area_code)].type ==
			    AREA_BOROUGH)
			t.rows[k].withheld = 1u << TIDY_VALUE;
	assert_int_equal(sdc_check_table(&t, areas, 10, 10, &check, &err), 0);
	pr = problem_of(&check, &t, CROYDON);
	assert_non_null(pr);
	assert_true(pr->low == 4 && pr->high == 4);
	/* Brent = G - Croydon = 30 and Sutton = P - Croydon = 25 follow */
	pr = problem_of(&check, &t, BRENT);
	assert_true(pr == NULL || (pr->low == 30 && pr->high == 30));
	sdc_check_free(&check);
	tidy_table_free(&t);
	area_set_free(areas);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_beside_the_tree),
		cmocka_unit_test(test_overlapping_groups_protected),
		cmocka_unit_test(test_naive_tables_fail_the_audit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
