/*
 * test_sdc_attainment.c - disclosure control of an attainment table
 * (sdc_table.c): pupils of a group, and pupils reaching a threshold, are
 * count cells; every mean, gap, rate, rate ratio, trend and funnel
 * position rests on them as the registry says; reaching <= pupils is a
 * nesting the audit uses; and the checker rebuilds the same model from
 * the published table.
 *
 * The hand-made table: one year (2023-24), two Inner London boroughs, A
 * (Lambeth) and B (Southwark), and London = A + B (no other borough is in
 * the table, so London's relation is over these two). Attainment 8 and
 * grade 5 in English and maths, each group's pupils the same for both
 * measures (one cohort: one cell):
 *
 *                          pupils              reaching grade 5
 *                        A    B  London        A    B  London
 *   White British       200  150   350        100   70   170
 *   Black Caribbean       6   40    46          2   15    17
 *   Indian               12   25    37          3   25    28
 *
 * Black Caribbean pupils in A (6) and those of them reaching grade 5 (2)
 * are from 1 to 9: withheld, with A's Black Caribbean mean, gap, rate,
 * rate ratio and funnel position. London's 46 less B's 40 would give the
 * 6 back, so one of them is withheld too, in every row that shows it
 * (both measures': they are one count).
 *
 * Indian pupils reaching grade 5 (the nesting, worked as in
 * test_sdc_nesting.c): A's 3 is withheld, and B's 25 with it (London's 28
 * less B's would give it). Without nesting A's could be anything in
 * [0, 28]; but reaching <= pupils, so A <= 12 and B <= 25, and A = 28 - B
 * >= 3: A in [3, 12], 9 wide and reaching below 10. So London's 28 must
 * be withheld too; then A in [0, 12].
 *
 * Then, on smaller tables: a gap's trend over two years; a high-level
 * group with the school census groups it rolls up from; and a
 * partnership of the two boroughs in place of London.
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
#define BOROUGH_A "E09000022" /* Lambeth */
#define BOROUGH_B "E09000028" /* Southwark */

#define WBRI "White: English, Welsh, Scottish, Northern Irish or British"
#define CARIBBEAN \
	"Black, Black British, Black Welsh, Caribbean or African: Caribbean"
#define INDIAN "Asian, Asian British or Asian Welsh: Indian"
#define BLACK "Black, Black British, Black Welsh, Caribbean or African"
#define AFRICAN \
	"Black, Black British, Black Welsh, Caribbean or African: African"

#define ALL_FIGURES                                                       \
	((1u << TIDY_VALUE) | (1u << TIDY_NUMERATOR) |                    \
	 (1u << TIDY_DENOMINATOR) | (1u << TIDY_CI_LOW) |                 \
	 (1u << TIDY_CI_HIGH) | (1u << TIDY_P_VALUE))

enum { AREA_A, AREA_B, AREA_LONDON, NAREAS, AREA_CLF = NAREAS };
enum { G_WBRI, G_CARIBBEAN, G_INDIAN, NGROUPS };

/* and Central London Forward, a partnership of both boroughs (and
 * others, which have no rows here) */
static const char *const area_codes[NAREAS + 1] = { BOROUGH_A, BOROUGH_B,
						     LONDON, "P-CLF" };
static const char *const groups[NGROUPS] = { WBRI, CARIBBEAN, INDIAN };

/* The case above, by area and group. */
static const double pupils[NAREAS][NGROUPS] = {
	{ 200, 6, 12 }, { 150, 40, 25 }, { 350, 46, 37 }
};
static const double reaching[NAREAS][NGROUPS] = {
	{ 100, 2, 3 }, { 70, 15, 25 }, { 170, 17, 28 }
};
/* Attainment 8 means: A's, B's, and London's pooled from them. */
static const double borough_mean[2][NGROUPS] = {
	{ 50.0, 41.0, 55.0 }, { 52.0, 44.0, 53.0 }
};

static double mean_of(size_t area, size_t g)
{
	if (area == AREA_A || area == AREA_B)
		return borough_mean[area][g];
	return (borough_mean[0][g] * pupils[0][g] +
		borough_mean[1][g] * pupils[1][g]) /
	       pupils[AREA_LONDON][g];
}

static double rate_of(size_t area, size_t g)
{
	return 100 * reaching[area][g] / pupils[area][g];
}

static struct tidy_row *add(struct tidy_table *t, const char *measure,
			    size_t area, int year, const char *group,
			    const char *level, const char *breakdown)
{
	struct tidy_row *r = tidy_table_add_row(t);
	char period[16];

	snprintf(period, sizeof(period), "%d-%02d", year, (year + 1) % 100);
	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, area_codes[area]);
	r->area_name = r->area_code;
	r->area_type = tidy_table_intern(t, area == AREA_LONDON ? "region"
					    : area == AREA_CLF ? "partnership"
							       : "borough");
	r->year = year;
	r->period = tidy_table_intern(t, period);
	r->ethnicity = tidy_table_intern(t, group);
	r->ethnicity_level = tidy_table_intern(t, level);
	r->breakdown = tidy_table_intern(t, breakdown);
	return r;
}

/* Every row `parity report attainment --all-areas` gives for one area,
 * year and group: pupils and mean (Attainment 8), pupils and rate (grade
 * 5), and against White British the gap and the rate ratio; a
 * borough's gap on London's funnel plot. `shift` moves every mean (for a
 * second year). */
static void add_group(struct tidy_table *t, size_t area, int year, size_t g,
		      double shift)
{
	struct tidy_row *r;
	double mean = mean_of(area, g) + shift;
	double ref_mean = mean_of(area, G_WBRI) + shift;

	r = add(t, "attainment_pupils", area, year, groups[g], "detailed",
		"attainment8");
	r->value = pupils[area][g];
	r = add(t, "attainment_mean", area, year, groups[g], "detailed",
		"attainment8");
	r->value = mean;
	r->denominator = pupils[area][g];
	r->ci_low = mean - 2;
	r->ci_high = mean + 2;
	r = add(t, "attainment_pupils", area, year, groups[g], "detailed",
		"grade5_eng_maths");
	r->value = pupils[area][g];
	r = add(t, "attainment_rate", area, year, groups[g], "detailed",
		"grade5_eng_maths");
	r->value = rate_of(area, g);
	r->numerator = reaching[area][g];
	r->denominator = pupils[area][g];
	r->ci_low = r->value - 5;
	r->ci_high = r->value + 5;
	if (g == G_WBRI)
		return;
	r = add(t, "attainment_gap", area, year, groups[g], "detailed",
		"attainment8");
	r->numerator = mean;
	r->denominator = ref_mean;
	if (pupils[area][g] >= 10) {
		r->value = mean - ref_mean;
		r->ci_low = r->value - 3;
		r->ci_high = r->value + 3;
		r->p_value = 0.01;
	}
	r = add(t, "attainment_rate_ratio", area, year, groups[g], "detailed",
		"grade5_eng_maths");
	r->numerator = rate_of(area, g);
	r->denominator = rate_of(area, G_WBRI);
	if (pupils[area][g] >= 10) {
		r->value = r->numerator / r->denominator;
		r->ci_low = r->value * 0.8;
		r->ci_high = r->value * 1.2;
	}
}

/* London's gap against which a borough's is placed. */
static void add_funnel(struct tidy_table *t, size_t area, int year, size_t g)
{
	struct tidy_row *r = add(t, "funnel_position", area, year, groups[g],
				 "detailed", "attainment_gap: attainment8");

	r->value = mean_of(area, g) - mean_of(area, G_WBRI);
	r->numerator = mean_of(AREA_LONDON, g) - mean_of(AREA_LONDON, G_WBRI);
	r->ci_low = r->numerator - 4;
	r->ci_high = r->numerator + 4;
	r->flag = tidy_table_intern(t, "within");
}

static void attainment_table(struct tidy_table *t)
{
	size_t a, g;

	tidy_table_init(t);
	for (a = 0; a < NAREAS; a++)
		for (g = 0; g < NGROUPS; g++)
			add_group(t, a, 2023, g, 0);
	for (a = 0; a < AREA_LONDON; a++)
		for (g = G_CARIBBEAN; g < NGROUPS; g++)
			add_funnel(t, a, 2023, g);
}

static const struct tidy_row *row_of(const struct tidy_table *t,
				     const char *measure, size_t area,
				     const char *group, const char *breakdown)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].area_code, area_codes[area]) == 0 &&
		    strcmp(t->rows[k].ethnicity, group) == 0 &&
		    strcmp(t->rows[k].breakdown, breakdown) == 0)
			return &t->rows[k];
	fail_msg("no %s row for %s, %s, %s", measure, area_codes[area], group,
		 breakdown);
	return NULL;
}

static bool withheld(const struct tidy_table *t, const char *measure,
		     size_t area, const char *group, const char *breakdown,
		     enum tidy_column column)
{
	return tidy_row_withheld(row_of(t, measure, area, group, breakdown),
				 column);
}

static bool row_withheld(const struct tidy_table *t, const char *measure,
			 size_t area, const char *group, const char *breakdown)
{
	const struct tidy_row *r = row_of(t, measure, area, group, breakdown);

	return r->withheld == ALL_FIGURES && isnan(r->value) &&
	       isnan(r->numerator) && isnan(r->denominator) &&
	       isnan(r->ci_low) && isnan(r->p_value) &&
	       strcmp(r->flag, "suppressed") == 0;
}

/* Whether the count of a group's pupils in an area is withheld in every
 * row that shows it, and shown in none. */
static bool pupils_withheld(const struct tidy_table *t, size_t area,
			    const char *group)
{
	bool pupils8 = withheld(t, "attainment_pupils", area, group,
				"attainment8", TIDY_VALUE);
	bool pupils5 = withheld(t, "attainment_pupils", area, group,
				"grade5_eng_maths", TIDY_VALUE);
	bool mean = withheld(t, "attainment_mean", area, group, "attainment8",
			     TIDY_DENOMINATOR);
	bool rate = withheld(t, "attainment_rate", area, group,
			     "grade5_eng_maths", TIDY_DENOMINATOR);

	/* one count: withheld everywhere or nowhere (a rate is withheld
	 * whole when those reaching are, its pupils too) */
	assert_true(pupils8 == pupils5);
	assert_true(pupils8 == mean);
	assert_true(!pupils8 || rate);
	return pupils8;
}

static bool reaching_withheld(const struct tidy_table *t, size_t area,
			      const char *group)
{
	return withheld(t, "attainment_rate", area, group, "grade5_eng_maths",
			TIDY_NUMERATOR);
}

/* parity's areas, loaded once for every test (setup()) */
static struct area_set *areas;

static int setup(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;

	(void)state;
	return area_set_load(&areas, &err);
}

static int teardown(void **state)
{
	(void)state;
	area_set_free(areas);
	return 0;
}

static void protect(const struct tidy_table *in, const struct area_set *set,
		    struct tidy_table *out, struct sdc_summary *sum)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct sdc_options opt;

	sdc_options_init(&opt);
	tidy_table_init(out);
	if (sdc_protect_table(in, set, &opt, out, sum, &err) < 0)
		fail_msg("sdc_protect_table: %s", err.message);
}

static void check(const struct tidy_table *t, const struct area_set *set,
		  struct sdc_check *c)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (sdc_check_table(t, set, 10, 10, c, &err) < 0)
		fail_msg("sdc_check_table: %s", err.message);
}

/* A's 6 Black Caribbean pupils are withheld with everything that rests on
 * them or would give them back. */
static void test_small_group_withheld_with_its_figures(void **state)
{
	struct tidy_table in, out;
	struct sdc_summary sum;
	size_t a;

	(void)state;
	attainment_table(&in);
	protect(&in, areas, &out, &sum);
	assert_int_equal(out.count, in.count);

	/* the small counts: A's Black Caribbean pupils and those reaching
	 * grade 5, and A's Indian pupils reaching it */
	assert_int_equal(sum.primary, 3);
	assert_true(pupils_withheld(&out, AREA_A, CARIBBEAN));
	assert_true(reaching_withheld(&out, AREA_A, CARIBBEAN));

	/* every figure resting on them, whole: mean, gap, rate, rate ratio,
	 * and A's place on London's funnel plot */
	assert_true(row_withheld(&out, "attainment_mean", AREA_A, CARIBBEAN,
				 "attainment8"));
	assert_true(row_withheld(&out, "attainment_gap", AREA_A, CARIBBEAN,
				 "attainment8"));
	assert_true(row_withheld(&out, "attainment_rate", AREA_A, CARIBBEAN,
				 "grade5_eng_maths"));
	assert_true(row_withheld(&out, "attainment_rate_ratio", AREA_A,
				 CARIBBEAN, "grade5_eng_maths"));
	assert_true(row_withheld(&out, "funnel_position", AREA_A, CARIBBEAN,
				 "attainment_gap: attainment8"));

	/* London's 46 less B's 40 would give the 6: one of them is
	 * withheld, in both measures' rows */
	assert_true(pupils_withheld(&out, AREA_B, CARIBBEAN) ||
		    pupils_withheld(&out, AREA_LONDON, CARIBBEAN));
	/* likewise London's 17 reaching grade 5 less B's 15 */
	assert_true(reaching_withheld(&out, AREA_B, CARIBBEAN) ||
		    reaching_withheld(&out, AREA_LONDON, CARIBBEAN));
	/* the cheaper part, B's 40, before the total */
	assert_true(pupils_withheld(&out, AREA_B, CARIBBEAN));
	assert_true(row_withheld(&out, "attainment_mean", AREA_B, CARIBBEAN,
				 "attainment8"));
	assert_true(row_withheld(&out, "attainment_gap", AREA_B, CARIBBEAN,
				 "attainment8"));

	/* White British (the reference) and A's Indian pupils are shown, and
	 * so is A's Indian gap, which rests on them */
	for (a = 0; a < NAREAS; a++)
		assert_false(pupils_withheld(&out, a, WBRI));
	assert_false(pupils_withheld(&out, AREA_A, INDIAN));
	assert_false(withheld(&out, "attainment_gap", AREA_A, INDIAN,
			      "attainment8", TIDY_VALUE));
	assert_false(withheld(&out, "attainment_mean", AREA_A, INDIAN,
			      "attainment8", TIDY_VALUE));
	/* ... but not its rate ratio, which rests on the 3 reaching grade 5 */
	assert_true(row_withheld(&out, "attainment_rate_ratio", AREA_A, INDIAN,
				 "grade5_eng_maths"));

	/* published precision: a mean to 1 decimal place */
	assert_true(row_of(&out, "attainment_mean", AREA_LONDON, WBRI,
			   "attainment8")->value ==
		    round(mean_of(AREA_LONDON, G_WBRI) * 10) / 10);
	tidy_table_free(&out);
	tidy_table_free(&in);
}

/* Reaching <= pupils narrows what a reader can work out: the protector
 * withholds London's 28 Indian pupils reaching grade 5 because of it. */
static void test_reaching_nests_in_pupils(void **state)
{
	struct tidy_table in, out;
	struct sdc_summary sum;
	struct sdc_check c;
	size_t k;

	(void)state;
	attainment_table(&in);
	protect(&in, areas, &out, &sum);
	assert_true(reaching_withheld(&out, AREA_A, INDIAN));
	assert_true(reaching_withheld(&out, AREA_B, INDIAN));
	assert_true(reaching_withheld(&out, AREA_LONDON, INDIAN));
	/* every group's pupils are shown but Black Caribbean's */
	assert_false(pupils_withheld(&out, AREA_A, INDIAN));
	assert_false(pupils_withheld(&out, AREA_B, INDIAN));
	assert_true(sum.narrowest >= 10);

	/* A table that withholds A's and B's but shows London's 28 is
	 * exposed: the checker, with the same nesting, finds A's in
	 * [3, 12] */
	for (k = 0; k < in.count; k++) {
		struct tidy_row *r = &in.rows[k];

		if (strcmp(r->ethnicity, CARIBBEAN) == 0 ||
		    (strcmp(r->ethnicity, INDIAN) == 0 &&
		     strcmp(r->area_code, LONDON) != 0 &&
		     (strcmp(r->measure, "attainment_rate") == 0 ||
		      strcmp(r->measure, "attainment_rate_ratio") == 0))) {
			r->withheld = ALL_FIGURES;
			r->value = r->numerator = r->denominator = NAN;
			r->ci_low = r->ci_high = r->p_value = NAN;
		}
	}
	check(&in, areas, &c);
	assert_int_equal(c.nproblems, 1);
	assert_int_equal(c.problems[0].kind, SDC_CHECK_NARROW);
	assert_true(c.problems[0].low == 3 && c.problems[0].high == 12);
	assert_string_equal(in.rows[c.problems[0].row].area_code, BOROUGH_A);
	assert_string_equal(in.rows[c.problems[0].row].ethnicity, INDIAN);
	/* B's [16, 25] can only be 10 or more */
	assert_true(c.large_known >= 1);
	sdc_check_free(&c);
	tidy_table_free(&out);
	tidy_table_free(&in);
}

/* The checker rebuilds the model from the tables alone: the protected one
 * is safe; the unprotected one shows the small counts; withholding only
 * them lets London less B give A's 6 back exactly. */
static void test_checker(void **state)
{
	struct tidy_table in, out;
	struct sdc_summary sum;
	struct sdc_check c;
	size_t k, small = 0;
	bool six = false;

	(void)state;
	attainment_table(&in);
	protect(&in, areas, &out, &sum);
	check(&out, areas, &c);
	assert_int_equal(c.nproblems, 0);
	assert_true(c.narrowest >= 10);
	/* pupils (one cell a group), reaching grade 5: 9 + 9 */
	assert_int_equal(c.counts, 18);
	sdc_check_free(&c);

	check(&in, areas, &c);
	for (k = 0; k < c.nproblems; k++)
		small += c.problems[k].kind == SDC_CHECK_SMALL;
	/* 6 pupils (shown in four rows, one count), 2 and 3 reaching */
	assert_int_equal(small, 3);
	sdc_check_free(&c);

	/* primary suppression alone: every row of A's Black Caribbean
	 * group withheld, and A's Indian rate */
	for (k = 0; k < in.count; k++) {
		struct tidy_row *r = &in.rows[k];

		if (strcmp(r->area_code, BOROUGH_A) != 0 ||
		    (strcmp(r->ethnicity, CARIBBEAN) != 0 &&
		     !(strcmp(r->ethnicity, INDIAN) == 0 &&
		       strncmp(r->measure, "attainment_rate", 15) == 0)))
			continue;
		r->withheld = ALL_FIGURES;
		r->value = r->numerator = r->denominator = NAN;
		r->ci_low = r->ci_high = r->p_value = NAN;
	}
	check(&in, areas, &c);
	assert_true(c.nproblems > 0);
	for (k = 0; k < c.nproblems; k++) {
		const struct sdc_check_problem *p = &c.problems[k];

		if (p->kind == SDC_CHECK_NARROW && p->low == 6 &&
		    p->high == 6 &&
		    strcmp(in.rows[p->row].ethnicity, CARIBBEAN) == 0)
			six = true;
	}
	assert_true(six);
	sdc_check_free(&c);
	tidy_table_free(&out);
	tidy_table_free(&in);
}

/* A gap's trend rests on both groups' pupils in every year of its
 * period: with B's Black Caribbean pupils withheld in 2023-24, B's trend
 * over 2022-23 to 2023-24 is withheld; White British's and Indian's are
 * not. A trend whose earlier year is not in the table is withheld. */
static void test_trend_rests_on_every_year(void **state)
{
	struct tidy_table in, out;
	struct sdc_summary sum;
	struct sdc_check c;
	struct tidy_row *r;
	size_t a, g;

	(void)state;
	attainment_table(&in);
	for (a = 0; a < NAREAS; a++)
		for (g = 0; g < NGROUPS; g++)
			add_group(&in, a, 2022, g, -1);
	for (g = G_CARIBBEAN; g < NGROUPS; g++) {
		r = add(&in, "attainment_gap_trend", AREA_B, 2023, groups[g],
			"detailed", "attainment8");
		r->period = tidy_table_intern(&in, "2022-23 to 2023-24");
		r->value = 0.5;
		r->numerator = r->denominator = -8;
		r->ci_low = -1;
		r->ci_high = 2;
		r->p_value = 0.3;
	}
	/* and one from a year the table does not have */
	r = add(&in, "attainment_gap_trend", AREA_LONDON, 2023, INDIAN,
		"detailed", "attainment8");
	r->period = tidy_table_intern(&in, "2021-22 to 2023-24");
	r->value = 0.2;
	protect(&in, areas, &out, &sum);
	assert_true(pupils_withheld(&out, AREA_B, CARIBBEAN));
	assert_true(row_withheld(&out, "attainment_gap_trend", AREA_B,
				 CARIBBEAN, "attainment8"));
	assert_false(withheld(&out, "attainment_gap_trend", AREA_B, INDIAN,
			      "attainment8", TIDY_VALUE));
	assert_true(row_withheld(&out, "attainment_gap_trend", AREA_LONDON,
				 INDIAN, "attainment8"));
	check(&out, areas, &c);
	assert_int_equal(c.nproblems, 0);
	sdc_check_free(&c);

	/* shown on a withheld count, the trend is a problem to the checker */
	r = &out.rows[row_of(&out, "attainment_gap_trend", AREA_B, CARIBBEAN,
			     "attainment8") - out.rows];
	r->withheld = 0;
	r->value = 0.5;
	check(&out, areas, &c);
	assert_int_equal(c.nproblems, 1);
	assert_int_equal(c.problems[0].kind, SDC_CHECK_FIGURE);
	sdc_check_free(&c);
	tidy_table_free(&out);
	tidy_table_free(&in);
}

/* With both levels in one table, a high-level group = the school census
 * groups that roll up to it: Black = Caribbean + African. Showing Black
 * and African gives Caribbean's 6 back; protection withholds more. */
static void test_high_level_rolls_up(void **state)
{
	struct tidy_table in, out;
	struct sdc_summary sum;
	struct sdc_check c;
	struct tidy_row *r;
	static const struct {
		const char *group, *level;
		double pupils;
	} rows[] = {
		{ CARIBBEAN, "detailed", 6 },
		{ AFRICAN, "detailed", 30 },
		{ BLACK, "high", 36 },
	};
	size_t k;

	(void)state;
	tidy_table_init(&in);
	for (k = 0; k < 3; k++) {
		r = add(&in, "attainment_pupils", AREA_A, 2023, rows[k].group,
			rows[k].level, "attainment8");
		r->value = rows[k].pupils;
	}
	protect(&in, areas, &out, &sum);
	assert_int_equal(sum.primary, 1);
	assert_int_equal(sum.secondary, 1);
	assert_true(out.rows[0].withheld != 0);
	assert_true(out.rows[1].withheld != 0 || out.rows[2].withheld != 0);
	check(&out, areas, &c);
	assert_int_equal(c.nproblems, 0);
	sdc_check_free(&c);

	/* withholding Caribbean's alone: 36 - 30 = 6 */
	in.rows[0].withheld = 1u << TIDY_VALUE;
	in.rows[0].value = NAN;
	check(&in, areas, &c);
	assert_int_equal(c.nproblems, 1);
	assert_int_equal(c.problems[0].kind, SDC_CHECK_NARROW);
	assert_true(c.problems[0].low == 6 && c.problems[0].high == 6);
	sdc_check_free(&c);
	tidy_table_free(&out);
	tidy_table_free(&in);
}

/* Pupils sum across areas beside the tree too: Central London Forward's
 * 46 Black Caribbean pupils are A's and B's (its other members have no
 * rows). Without London in the table, it is the partnership's total that
 * would give A's 6 back. */
static void test_partnership_sums_its_boroughs(void **state)
{
	struct tidy_table in, out;
	struct sdc_summary sum;
	struct sdc_check c;
	struct tidy_row *r;
	static const size_t where[] = { AREA_A, AREA_B, AREA_CLF };
	static const double count[] = { 6, 40, 46 };
	size_t k;

	(void)state;
	tidy_table_init(&in);
	for (k = 0; k < 3; k++) {
		r = add(&in, "attainment_pupils", where[k], 2023, CARIBBEAN,
			"detailed", "attainment8");
		r->value = count[k];
	}
	protect(&in, areas, &out, &sum);
	assert_int_equal(sum.primary, 1);
	assert_int_equal(sum.secondary, 1);
	assert_true(out.rows[0].withheld != 0);
	assert_true(out.rows[1].withheld != 0);
	check(&out, areas, &c);
	assert_int_equal(c.nproblems, 0);
	sdc_check_free(&c);

	/* withholding A's alone: 46 - 40 = 6 */
	in.rows[0].withheld = 1u << TIDY_VALUE;
	in.rows[0].value = NAN;
	check(&in, areas, &c);
	assert_int_equal(c.nproblems, 1);
	assert_int_equal(c.problems[0].kind, SDC_CHECK_NARROW);
	assert_true(c.problems[0].low == 6 && c.problems[0].high == 6);
	sdc_check_free(&c);
	tidy_table_free(&out);
	tidy_table_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_group_withheld_with_its_figures),
		cmocka_unit_test(test_reaching_nests_in_pupils),
		cmocka_unit_test(test_checker),
		cmocka_unit_test(test_trend_rests_on_every_year),
		cmocka_unit_test(test_high_level_rolls_up),
		cmocka_unit_test(test_partnership_sums_its_boroughs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
