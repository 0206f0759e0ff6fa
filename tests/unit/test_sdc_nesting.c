/*
 * test_sdc_nesting.c - stage nesting in disclosure control: a later stage
 * of a service counts no more than the stage it is within (arrests <=
 * stops and searches), an inequality that narrows what an attacker can
 * work out of a withheld count. The protector must protect with it, and
 * the checker must attack with it.
 *
 * The hand-worked case, one group (Black) in two boroughs, A and B, and
 * London = A + B:
 *
 *                    A     B     London
 *   stop and search  12    20    32       (shown)
 *   arrest            3    20    23
 *
 * A's 3 arrests are from 1 to 9: withheld (primary). London = A + B would
 * give them back, so B's 20 is withheld too (secondary: a part before
 * the total). Without nesting an attacker knows only A + B = 23, so
 * A in [0, 23]: 24 wide, protected.
 *
 * With nesting, arrests <= stops: A <= 12 and B <= 20, so A = 23 - B >=
 * 23 - 20 = 3. A in [3, 12]: 9 wide, less than the protection width of 10
 * (and reaching below 10): exposed. So the protector must withhold more.
 * It extends in A's relation with the fewest withheld cells that has one
 * to give (London = A + B, before A's nesting, as it comes first) and
 * withholds London's 23. Then A <= 12 and B <= 20 are all an attacker has:
 * A in [0, 12] (13 wide) and B in [0, 20]: protected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "sdc/sdc.h"
#include "table/table.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONDON "E12000007"
#define BOROUGH_A "E09000001" /* City of London */
#define BOROUGH_B "E09000007" /* Camden */

static size_t cell(struct sdc_problem *p, const char *key, double v)
{
	struct parity_error err = PARITY_ERROR_INIT;
	size_t at = 0;

	if (sdc_cell_add(p, key, v, &at, &err) < 0)
		fail_msg("sdc_cell_add: %s", err.message);
	return at;
}

struct case_cells {
	size_t stops[3], arrests[3]; /* A, B, London */
};

/* The case above, as a problem: London = A + B at each stage. */
static void build(struct sdc_problem *p, struct case_cells *c)
{
	sdc_problem_init(p);
	c->stops[0] = cell(p, "stops A", 12);
	c->stops[1] = cell(p, "stops B", 20);
	c->stops[2] = cell(p, "stops London", 32);
	c->arrests[0] = cell(p, "arrests A", 3);
	c->arrests[1] = cell(p, "arrests B", 20);
	c->arrests[2] = cell(p, "arrests London", 23);
	assert_int_equal(sdc_relation_add(p, c->stops[2], c->stops, 2), 1);
	assert_int_equal(sdc_relation_add(p, c->arrests[2], c->arrests, 2), 1);
}

static void nest(struct sdc_problem *p, const struct case_cells *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	size_t k;

	for (k = 0; k < 3; k++)
		assert_int_equal(sdc_nesting_add(p, c->stops[k], c->arrests[k],
						 &err),
				 1);
	/* once is enough */
	assert_int_equal(sdc_nesting_add(p, c->stops[0], c->arrests[0], &err),
			 0);
}

static void interval(const struct sdc_problem *p, size_t at, double *low,
		     double *high)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_interval *iv = calloc(p->ncells, sizeof(*iv));

	assert_non_null(iv);
	assert_int_equal(sdc_audit(p, iv, &err), 0);
	*low = iv[at].low;
	*high = iv[at].high;
	free(iv);
}

/* What the audit gives A's arrests with A's and B's withheld, London's
 * shown: [0, 23] without nesting, [3, 12] with it. */
static void test_nesting_narrows_the_interval(void **state)
{
	struct sdc_problem p;
	struct case_cells c;
	double low, high;

	(void)state;
	build(&p, &c);
	p.cells[c.arrests[0]].state = SDC_PRIMARY;
	p.cells[c.arrests[1]].state = SDC_SECONDARY;
	interval(&p, c.arrests[0], &low, &high);
	assert_true(low == 0 && high == 23);
	nest(&p, &c);
	interval(&p, c.arrests[0], &low, &high);
	assert_true(low == 3 && high == 12);
	/* and B's: 23 - 12 = 11 to 20, which reveals no small count */
	interval(&p, c.arrests[1], &low, &high);
	assert_true(low == 11 && high == 20);
	sdc_problem_free(&p);
}

/* The nesting's true values must hold: more arrests than stops is no
 * nesting at all. */
static void test_nesting_must_hold(void **state)
{
	struct sdc_problem p;
	struct parity_error err = PARITY_ERROR_INIT;
	size_t stops, arrests;

	(void)state;
	sdc_problem_init(&p);
	stops = cell(&p, "stops", 5);
	arrests = cell(&p, "arrests", 6);
	assert_int_equal(sdc_nesting_add(&p, stops, arrests, &err), 0);
	assert_int_equal(p.nrelations, 0);
	sdc_problem_free(&p);
}

/* Protection without nesting stops at A and B (A in [0, 23]); with
 * nesting it must withhold London's 23 as well, leaving A [0, 12]. */
static void test_protection_holds_with_nesting(void **state)
{
	struct sdc_problem p;
	struct case_cells c;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct parity_error err = PARITY_ERROR_INIT;
	double low, high;
	size_t k;

	(void)state;
	sdc_options_init(&opt);
	build(&p, &c);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(sum.primary + sum.secondary, 2);
	assert_int_equal(p.cells[c.arrests[2]].state, SDC_PUBLISHED);
	sdc_problem_free(&p);

	build(&p, &c);
	nest(&p, &c);
	assert_int_equal(sdc_protect(&p, &opt, &sum, &err), 0);
	assert_int_equal(sum.cells, 6); /* the gaps are no counts */
	assert_int_equal(sum.primary, 1);
	assert_int_equal(sum.secondary, 2);
	assert_int_equal(p.cells[c.arrests[0]].state, SDC_PRIMARY);
	assert_int_equal(p.cells[c.arrests[1]].state, SDC_SECONDARY);
	assert_int_equal(p.cells[c.arrests[2]].state, SDC_SECONDARY);
	for (k = 0; k < 3; k++)
		assert_int_equal(p.cells[c.stops[k]].state, SDC_PUBLISHED);
	interval(&p, c.arrests[0], &low, &high);
	assert_true(low == 0 && high == 12);
	assert_true(sum.narrowest >= opt.protection);
	sdc_problem_free(&p);
}

/* ---- the same case as a service's table ---- */

static void add(struct tidy_table *t, const char *measure, const char *area,
		const char *stage, double value, double numerator,
		double denominator)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, area);
	r->area_name = tidy_table_intern(t, area);
	r->area_type = tidy_table_intern(t, strcmp(area, LONDON) == 0
						    ? "region"
						    : "borough");
	r->year = 2023;
	r->period = tidy_table_intern(t, "2023-24");
	r->ethnicity = tidy_table_intern(t, "Black");
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->breakdown = tidy_table_intern(t, stage);
	r->value = value;
	r->numerator = numerator;
	r->denominator = denominator;
}

static const char *const areas_of[] = { BOROUGH_A, BOROUGH_B, LONDON };

/* Stop and search for the group in A, B and London: its base, stage
 * counts, and the arrest rate per 1,000 stopped. */
static void service_table(struct tidy_table *t, const double *stops,
			  const double *arrests)
{
	static const double base[] = { 5000, 8000, 13000 };
	size_t k;

	tidy_table_init(t);
	for (k = 0; k < 3; k++) {
		add(t, "base_population", areas_of[k], "population", base[k],
		    NAN, NAN);
		add(t, "stage_count", areas_of[k], "stop and search",
		    stops[k], NAN, NAN);
		add(t, "stage_count", areas_of[k], "arrest", arrests[k], NAN,
		    NAN);
		add(t, "stage_rate", areas_of[k], "arrest",
		    arrests[k] / stops[k] * 1000, arrests[k], stops[k]);
	}
}

static const struct tidy_row *find_row(const struct tidy_table *t,
				       const char *measure, const char *area,
				       const char *stage)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].area_code, area) == 0 &&
		    strcmp(t->rows[k].breakdown, stage) == 0)
			return &t->rows[k];
	fail_msg("no %s row for %s, %s", measure, area, stage);
	return NULL;
}

/* sdc_protect_table() finds the service (stop and search) by its stages,
 * nests arrests in stops, and withholds London's arrests too; the arrest
 * rates rest on the same cells and are withheld with them; the checker
 * finds the result safe. */
static void test_protect_table_nests_stages(void **state)
{
	static const double stops[] = { 12, 20, 32 };
	static const double arrests[] = { 3, 20, 23 };
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct tidy_table in, out;
	struct sdc_options opt;
	struct sdc_summary sum;
	struct sdc_check check;
	size_t k;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	service_table(&in, stops, arrests);
	sdc_options_init(&opt);
	tidy_table_init(&out);
	assert_int_equal(sdc_protect_table(&in, areas, &opt, &out, &sum, &err),
			 0);
	for (k = 0; k < 3; k++) {
		const struct tidy_row *a =
			find_row(&out, "stage_count", areas_of[k], "arrest");
		const struct tidy_row *s = find_row(&out, "stage_count",
						    areas_of[k],
						    "stop and search");
		const struct tidy_row *rate =
			find_row(&out, "stage_rate", areas_of[k], "arrest");

		assert_true(tidy_row_withheld(a, TIDY_VALUE));
		assert_false(tidy_row_withheld(s, TIDY_VALUE));
		assert_true(tidy_row_withheld(rate, TIDY_VALUE));
		assert_true(tidy_row_withheld(rate, TIDY_NUMERATOR));
	}
	assert_int_equal(sdc_check_table(&out, areas, 10, 10, &check, &err), 0);
	assert_int_equal(check.nproblems, 0);
	assert_true(check.narrowest >= 10);
	sdc_check_free(&check);
	tidy_table_free(&out);
	tidy_table_free(&in);
	area_set_free(areas);
}

/* The checker attacks with nesting: a table that withholds A's and B's
 * arrests but shows London's is exposed (A in [3, 12]), though without
 * nesting A would be anywhere in [0, 23]. B's [11, 20] can only be 10 or
 * more and reveals no small count. */
static void test_checker_uses_nesting(void **state)
{
	static const double stops[] = { 12, 20, 32 };
	static const double arrests[] = { 3, 20, 23 };
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct tidy_table t;
	struct sdc_check check;
	size_t k;

	(void)state;
	assert_int_equal(area_set_load(&areas, &err), 0);
	service_table(&t, stops, arrests);
	for (k = 0; k < t.count; k++) {
		struct tidy_row *r = &t.rows[k];

		if (strcmp(r->area_code, LONDON) == 0 ||
		    strcmp(r->breakdown, "arrest") != 0)
			continue;
		if (strcmp(r->measure, "stage_count") == 0) {
			r->value = NAN;
			r->withheld = 1u << TIDY_VALUE;
		} else {
			r->value = r->numerator = r->denominator = NAN;
			r->withheld = (1u << TIDY_VALUE) |
				      (1u << TIDY_NUMERATOR) |
				      (1u << TIDY_DENOMINATOR) |
				      (1u << TIDY_CI_LOW) |
				      (1u << TIDY_CI_HIGH) |
				      (1u << TIDY_P_VALUE);
		}
	}
	assert_int_equal(sdc_check_table(&t, areas, 10, 10, &check, &err), 0);
	assert_int_equal(check.nproblems, 1);
	assert_int_equal(check.problems[0].kind, SDC_CHECK_NARROW);
	assert_true(check.problems[0].low == 3 && check.problems[0].high == 12);
	assert_string_equal(t.rows[check.problems[0].row].area_code,
			    BOROUGH_A);
	assert_int_equal(check.large_known, 1);
	/* the gaps are not counts the table shows */
	assert_int_equal(check.withheld, 2);
	sdc_check_free(&check);
	tidy_table_free(&t);
	area_set_free(areas);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_narrows_the_interval),
		cmocka_unit_test(test_nesting_must_hold),
		cmocka_unit_test(test_protection_holds_with_nesting),
		cmocka_unit_test(test_protect_table_nests_stages),
		cmocka_unit_test(test_checker_uses_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
