/*
 * test_service.c - service measures on hand-computed cases: rates per
 * 1,000, RRIs with Katz's interval, the exact conditional method for small
 * counts and zeros (reference values from R 4.2.2's poisson.test), no RRI
 * when the reference has none or counts are below the minimum, suppressed
 * counts, the Census base flagged weak_base, the funnel stage, and the
 * level the data has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/service_def.h"
#include "measure/service.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W (SVC_HIGH_FIRST + ETH_GROUP_WHITE)
#define B (SVC_HIGH_FIRST + ETH_GROUP_BLACK)
#define A (SVC_HIGH_FIRST + ETH_GROUP_ASIAN)
#define M (SVC_HIGH_FIRST + ETH_GROUP_MIXED)
#define O (SVC_HIGH_FIRST + ETH_GROUP_OTHER)

struct fixture {
	struct service_defs *defs;
	struct area_set *areas;
	struct benchmark *census;
	struct service_counts c;
	struct service_options opt;
	struct service_area area;
	struct tidy_table t;
};

static int setup(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || service_defs_load(&f->defs, &err) < 0 ||
	    area_set_load(&f->areas, &err) < 0 ||
	    benchmark_load_census2021(&f->census, f->areas, &err) < 0)
		return -1;
	service_options_init(&f->opt);
	f->opt.census = f->census;
	f->area.code = "E09000005";
	f->area.name = "Brent";
	f->area.type = "borough";
	f->area.index = area_find(f->areas, "E09000005");
	tidy_table_init(&f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	service_counts_release(&f->c);
	tidy_table_free(&f->t);
	benchmark_free(f->census);
	area_set_free(f->areas);
	service_defs_free(f->defs);
	free(f);
	return 0;
}

/* Empty counts of a service, as one return at the high level. */
static void counts(struct fixture *f, const char *service)
{
	const struct service_def *def = service_def_find(f->defs, service);
	size_t k;

	memset(&f->c, 0, sizeof(f->c));
	f->c.def = def;
	f->c.nstages = def->stage_count + def->base_count;
	f->c.count = calloc(f->c.nstages * SVC_GROUP_COUNT, sizeof(double));
	f->c.given = calloc(f->c.nstages, sizeof(bool));
	f->c.any_given = calloc(f->c.nstages, sizeof(bool));
	for (k = 0; k < def->stage_count; k++)
		f->c.given[k] = f->c.any_given[k] = true;
	f->c.returns = f->c.areas = 1;
	f->c.year = 2023;
	snprintf(f->c.period, sizeof(f->c.period), "2023-24");
	f->c.high = true;
}

static void set(struct fixture *f, size_t stage, int g, double n)
{
	f->c.count[stage * SVC_GROUP_COUNT + (size_t)g] = n;
	f->c.present[g] = true;
}

static const struct tidy_row *find(const struct fixture *f,
				   const char *measure, int g,
				   const char *stage)
{
	size_t k;

	for (k = 0; k < f->t.count; k++) {
		const struct tidy_row *r = &f->t.rows[k];

		if (strcmp(r->measure, measure) == 0 &&
		    strcmp(r->ethnicity, service_group_label(g)) == 0 &&
		    strcmp(r->breakdown, stage) == 0)
			return r;
	}
	fail_msg("no %s row for %s at %s", measure, service_group_label(g),
		 stage);
	return NULL;
}

static void near(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fmax(1, fabs(want))))
		fail_msg("got %.12g, want %.12g", got, want);
}

/* Stop and search: population -> stop and search -> arrest. */
static void stop_and_search(struct fixture *f)
{
	counts(f, "stop-and-search");
	set(f, 0, W, 12000); set(f, 1, W, 120); set(f, 2, W, 40);
	set(f, 0, B, 8000);  set(f, 1, B, 200); set(f, 2, B, 90);
	set(f, 0, A, 9000);  set(f, 1, A, 60);  set(f, 2, A, 3);
	set(f, 0, M, 3000);  set(f, 1, M, 0);   set(f, 2, M, 0);
	set(f, 0, O, 8);     set(f, 1, O, 2);   set(f, 2, O, 1);
	set(f, 1, SVC_NOT_KNOWN, 7);
}

static void test_rates_and_katz(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	const struct tidy_row *r;
	double se;

	stop_and_search(f);
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	/* 200 of 8,000 = 25 per 1,000; Byar 95% limits of 200 over 8,000 */
	r = find(f, "stage_rate", B, "stop and search");
	near(r->value, 25.0, 1e-12);
	near(r->ci_low, 200 * pow(1 - 1 / 1800.0 - 1.959963985 / (3 *
		sqrt(200.0)), 3) / 8000 * 1000, 1e-9);
	/* arrest: 90 of 200 = 450 per 1,000 searched; 90 of 8,000 = 11.25
	 * per 1,000 residents */
	near(find(f, "stage_rate", B, "arrest")->value, 450.0, 1e-12);
	near(find(f, "population_rate", B, "arrest")->value, 11.25, 1e-12);
	/* RRI (200/8000)/(120/12000) = 2.5, Katz */
	r = find(f, "rri", B, "stop and search");
	near(r->value, 2.5, 1e-12);
	se = sqrt(1 / 200.0 - 1 / 8000.0 + 1 / 120.0 - 1 / 12000.0);
	near(r->ci_low, 2.5 * exp(-1.959963985 * se), 1e-9);
	near(r->ci_high, 2.5 * exp(1.959963985 * se), 1e-9);
	near(r->ci_low, 1.997205, 1e-6);
	near(r->ci_high, 3.129373, 1e-6);
	near(r->p_value, 2 * (1 - 0.5 * erfc(-log(2.5) / se / sqrt(2))), 1e-9);
	assert_string_equal(r->flag, "significant");
	near(r->numerator, 25.0, 1e-12);   /* the rates it compares */
	near(r->denominator, 10.0, 1e-12);
	/* cumulative: (90/8000)/(40/12000) = 3.375 */
	near(find(f, "cumulative_rri", B, "arrest")->value, 3.375, 1e-12);
	/* White is the reference: no RRI row of its own */
	for (size_t k = 0; k < f->t.count; k++)
		assert_false(strcmp(f->t.rows[k].measure, "rri") == 0 &&
			     strcmp(f->t.rows[k].ethnicity, "White") == 0);
	/* not known: counted, never given a rate */
	near(find(f, "stage_count", SVC_NOT_KNOWN, "stop and search")->value,
	     7, 0);
}

static void test_small_counts_and_zeros(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	const struct tidy_row *r;

	stop_and_search(f);
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	/* Asian arrests once searched: 3 of 60 against 40 of 120. Fewer
	 * than 5: exact. R: poisson.test(c(3, 40), c(60, 120)) */
	r = find(f, "rri", A, "arrest");
	near(r->value, 0.15, 1e-12);
	near(r->ci_low, 0.0296851541226858, 1e-9);
	near(r->ci_high, 0.4709882257284935, 1e-9);
	near(r->p_value, 6.81747134569388e-05, 1e-9);
	assert_non_null(strstr(r->note, "exact (conditional binomial)"));
	/* Mixed: none searched of 3,000, against 120 of 12,000... */
	r = find(f, "rri", M, "stop and search");
	near(r->value, 0, 0);
	assert_true(r->ci_low == 0 && r->ci_high > 0 && isfinite(r->ci_high));
	/* ... and no arrests from none searched: no rate, no RRI */
	r = find(f, "stage_rate", M, "arrest");
	assert_true(isnan(r->value));
	assert_non_null(strstr(r->note, "none at the stage before"));
	r = find(f, "rri", M, "arrest");
	assert_true(isnan(r->value) && isnan(r->ci_low));
	assert_non_null(strstr(r->note, "fewer than 10 at the stage before"));
	/* Other: 8 residents, below the minimum */
	r = find(f, "rri", O, "stop and search");
	assert_true(isnan(r->value));
	assert_non_null(strstr(r->note, "fewer than 10 at the stage before in "
					"this group"));
}

static void test_zero_reference_and_suppressed(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	const struct tidy_row *r;

	counts(f, "stop-and-search");
	set(f, 0, W, 3000); set(f, 1, W, 0);  set(f, 2, W, 0);
	set(f, 0, B, 12000); set(f, 1, B, 20); set(f, 2, B, NAN);
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	r = find(f, "rri", B, "stop and search");
	assert_true(isnan(r->value));
	assert_non_null(strstr(r->note, "reference group has none"));
	r = find(f, "stage_rate", B, "arrest");
	assert_true(isnan(r->value));
	assert_non_null(strstr(r->note, "suppressed"));
	/* The reverse comparison is the exact method's zero case. R:
	 * poisson.test(c(0, 20), c(3000, 12000)) */
	tidy_table_free(&f->t);
	tidy_table_init(&f->t);
	f->opt.reference = B;
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	r = find(f, "rri", W, "stop and search");
	near(r->value, 0, 0);
	near(r->ci_high, 0.81019841518734, 1e-9);
	near(r->p_value, 0.0215110013667928, 1e-9);
	assert_string_equal(r->flag, "significant");
}

static void test_census_base_is_flagged(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	const struct tidy_row *r;

	counts(f, "youth-justice");
	f->c.given[0] = f->c.any_given[0] = false;
	set(f, 1, W, 300); set(f, 1, B, 400);
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	r = find(f, "base_population", B, "usual residents (all ages)");
	assert_string_equal(r->flag, "weak_base");
	assert_true(r->value > 50000); /* Brent's Black residents, 2021 */
	assert_non_null(strstr(r->note, "weaker denominator"));
	r = find(f, "rri", B, "arrest");
	assert_string_equal(r->flag, "significant_weak_base");
	assert_string_equal(find(f, "population_rate", B, "arrest")->flag,
			    "weak_base");
}

static void test_funnel_stage_and_levels(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	const struct tidy_row *r;

	/* Youth justice: Black young people arrested at twice the rate, but
	 * given an out-of-court disposal (taken of arrests) at a quarter of
	 * the rate: the funnel stage is the disposal. */
	counts(f, "youth-justice");
	set(f, 0, W, 10000); set(f, 1, W, 200); set(f, 2, W, 100);
	set(f, 3, W, 80);    set(f, 4, W, 100); set(f, 5, W, 10);
	set(f, 0, B, 10000); set(f, 1, B, 400); set(f, 2, B, 200);
	set(f, 3, B, 40);    set(f, 4, B, 200); set(f, 5, B, 20);
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	near(find(f, "rri", B, "out-of-court disposal")->value, 0.25, 1e-12);
	near(find(f, "rri", B, "first court appearance")->value, 1.0, 1e-12);
	r = find(f, "funnel_stage", B, "out-of-court disposal");
	near(r->value, 0.25, 1e-12);
	assert_non_null(strstr(r->note, "from 'arrest'"));
	/* A detailed reference cannot be used with high-level data. */
	f->opt.reference = ETH_WBRI;
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), -1);
	assert_non_null(strstr(err.message, "high level"));
}

static void test_detailed_counts_fold_to_high(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	const struct tidy_row *r;

	counts(f, "school-exclusions");
	f->c.high = false;
	set(f, 0, ETH_WBRI, 1000); set(f, 1, ETH_WBRI, 50);
	set(f, 0, SVC_GYPSY_ROMA, 100); set(f, 1, SVC_GYPSY_ROMA, 20);
	set(f, 0, ETH_BCRB, 400); set(f, 1, ETH_BCRB, 40);
	/* detailed: Gypsy/Roma kept as recorded, against White British */
	f->opt.reference = ETH_WBRI;
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	near(find(f, "rri", SVC_GYPSY_ROMA, "suspension")->value, 4.0, 1e-12);
	assert_non_null(strstr(find(f, "rri", SVC_GYPSY_ROMA,
				    "suspension")->note, "cannot be split"));
	/* high: White = White British + Gypsy/Roma, added, never spread */
	tidy_table_free(&f->t);
	tidy_table_init(&f->t);
	f->opt.reference = W;
	f->opt.level = ETH_LEVEL_HIGH;
	assert_int_equal(service_measures(&f->c, NULL, &f->area, &f->opt,
					  &f->t, &err), 0);
	r = find(f, "base_population", W, "pupils on roll");
	near(r->value, 1100, 0);
	near(find(f, "rri", B, "suspension")->value, (40 / 400.0) / (70 / 1100.0),
	     1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rates_and_katz, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_small_counts_and_zeros,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_reference_and_suppressed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_census_base_is_flagged,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_funnel_stage_and_levels,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_detailed_counts_fold_to_high,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
