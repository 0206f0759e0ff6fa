/*
 * test_attainment.c - attainment on hand-computed cases: Welch's interval
 * and degrees of freedom, the normal interval when no SD is given, Katz's
 * interval for a threshold's rate ratio, the weighted trend of a gap and
 * its test of narrowing, pooled SDs, the years an area's measures give
 * (one year, every year, or a year and those before it); and the import
 * of attainment returns, with every malformed value named by its line and
 * column and nothing stored. Reference values were computed with mpmath
 * 1.3 at 30 digits (the t quantile by root-finding on the regularised
 * incomplete beta), and the Katz vector is docs/measures.md's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"
#include "domain/area.h"
#include "domain/attainment_def.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "ingest/attainment.h"
#include "measure/attainment.h"
#include "measure/stats.h"
#include "store/attainment_store.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOL 1e-8

/* ---- statistics ---- */

static void welch_equal_groups(void **state)
{
	struct difference_result d;

	(void)state;
	/* equal SDs and sizes: df = 2(n - 1) = 20, t(0.975, 20) =
	 * 2.085963447 */
	assert_int_equal(stats_welch_difference(44, 18, 11, 52, 18, 11,
						STATS_CONF95, &d), STATS_OK);
	assert_float_equal(d.difference, -8, TOL);
	assert_float_equal(d.se, 7.675225788801976, TOL);
	assert_float_equal(d.df, 20, TOL);
	assert_float_equal(d.ci.low, -24.010240444953232, 1e-7);
	assert_float_equal(d.ci.high, 8.010240444953232, 1e-7);
	assert_float_equal(d.p_value, 0.30970217125003531, 1e-7);
}

static void welch_unequal_groups(void **state)
{
	struct difference_result d;

	(void)state;
	assert_int_equal(stats_welch_difference(44.0, 18.2, 250, 52.1, 19.5,
						400, STATS_CONF95, &d),
			 STATS_OK);
	assert_float_equal(d.se, 1.5085042260464503, TOL);
	assert_float_equal(d.df, 555.89894563414786, 1e-6);
	assert_float_equal(d.ci.low, -11.063065221227102, 1e-7);
	assert_float_equal(d.ci.high, -5.1369347787729007, 1e-7);
	assert_float_equal(d.p_value, 1.1615217078939431e-7, 1e-12);
	/* not calculable: one pupil; both SDs 0 */
	assert_int_equal(stats_welch_difference(44, 18, 1, 52, 18, 11,
						STATS_CONF95, &d),
			 STATS_INVALID);
	assert_true(isnan(d.difference));
	assert_int_equal(stats_welch_difference(44, 0, 5, 52, 0, 11,
						STATS_CONF95, &d),
			 STATS_NO_VARIATION);
	assert_float_equal(d.difference, -8, TOL);
	assert_true(isnan(d.ci.low) && isnan(d.p_value));
}

static void normal_when_no_sd(void **state)
{
	struct difference_result d;
	bool normal;

	(void)state;
	assert_int_equal(attainment_gap(44, NAN, 100, 52, NAN, 400, 20, &d,
					&normal), STATS_OK);
	assert_true(normal);
	assert_true(isnan(d.df));
	assert_float_equal(d.se, 2.2360679774997897, TOL);
	assert_float_equal(d.ci.low, -12.382612702882907, TOL);
	assert_float_equal(d.ci.high, -3.6173872971170927, TOL);
	assert_float_equal(d.p_value, 3.4661935113466698e-4, 1e-12);
	/* with both SDs, Welch */
	assert_int_equal(attainment_gap(44, 18, 11, 52, 18, 11, 20, &d,
					&normal), STATS_OK);
	assert_false(normal);
	assert_float_equal(d.df, 20, TOL);
}

static void trend_of_a_gap(void **state)
{
	const double x[] = { 2019, 2020, 2022, 2023 };
	const double y[] = { -10, -8.5, -8, NAN };
	const double v[] = { 1, 4, 1, 1 };
	const double up[] = { 8, 9, 10 };
	struct trend_result t;

	(void)state;
	/* weights 1, 1/4, 1; the fourth point (no gap) is left out */
	assert_int_equal(stats_wls_trend(x, y, v, 4, STATS_CONF95, &t),
			 STATS_OK);
	assert_int_equal(t.points, 3);
	assert_float_equal(t.slope, 0.64634146341463415, TOL);
	assert_float_equal(t.se, 0.46852128566581820, TOL);
	assert_float_equal(t.z, 1.3795348966826869, TOL);
	assert_float_equal(t.ci.low, -0.27194338248077171, TOL);
	assert_float_equal(t.ci.high, 1.5646263093100400, TOL);
	assert_float_equal(t.mean_y, -8.9444444444444444, TOL);
	/* a gap below 0 rising is narrowing */
	assert_float_equal(t.p_narrowing, 0.083864947254777322, 1e-10);
	assert_float_equal(t.p_widening, 0.91613505274522268, 1e-10);
	/* a gap above 0 rising is widening */
	assert_int_equal(stats_wls_trend(x, up, v, 3, STATS_CONF95, &t),
			 STATS_OK);
	assert_true(t.mean_y > 0);
	assert_true(t.p_widening < 0.5 && t.p_narrowing > 0.5);
	/* one year is no trend */
	assert_int_equal(stats_wls_trend(x, y, v, 1, STATS_CONF95, &t),
			 STATS_NO_DENOMINATOR);
	assert_true(isnan(t.slope));
}

static void pooled_sd(void **state)
{
	struct attainment_cell c;
	bool estimated;

	(void)state;
	memset(&c, 0, sizeof(c));
	attainment_cell_add_row(&c, 10, 40, 10, NAN, 0);
	attainment_cell_add_row(&c, 30, 50, 12, NAN, 0);
	assert_float_equal(attainment_cell_mean(&c), 47.5, TOL);
	assert_float_equal(attainment_cell_sd(&c, &estimated),
			   12.222299922052943, TOL);
	assert_false(estimated);
	/* a third part without an SD: its spread taken as the others' */
	attainment_cell_add_row(&c, 20, 45, NAN, NAN, 0);
	assert_float_equal(attainment_cell_mean(&c), 46.666666666666667, TOL);
	assert_float_equal(attainment_cell_sd(&c, &estimated),
			   11.965581525481236, TOL);
	assert_true(estimated);
	/* under half the pupils with an SD: none */
	attainment_cell_add_row(&c, 100, 45, NAN, NAN, 0);
	assert_true(isnan(attainment_cell_sd(&c, &estimated)));
	/* a suppressed mean: no pooled mean */
	attainment_cell_add_row(&c, 5, NAN, NAN, NAN,
				STORE_ATTAINMENT_MEAN_SUPPRESSED);
	assert_true(isnan(attainment_cell_mean(&c)));
}

/* ---- the measures of one area ---- */

static const struct tidy_row *find(const struct tidy_table *t,
				   const char *measure, int g,
				   const char *breakdown)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].ethnicity, service_group_label(g)) == 0 &&
		    strcmp(t->rows[k].breakdown, breakdown) == 0)
			return &t->rows[k];
	return NULL;
}

static const struct tidy_row *find_year(const struct tidy_table *t,
					const char *measure, int g,
					const char *breakdown, int year)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (t->rows[k].year == year &&
		    strcmp(t->rows[k].measure, measure) == 0 &&
		    strcmp(t->rows[k].ethnicity, service_group_label(g)) == 0 &&
		    strcmp(t->rows[k].breakdown, breakdown) == 0)
			return &t->rows[k];
	return NULL;
}

static void measures_of_an_area(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attainment_data d;
	struct attainment_options opt;
	struct attainment_area area = { "E09000022", "Lambeth", "borough" };
	struct tidy_table t;
	const struct tidy_row *r;
	int years[] = { 2021, 2022, 2023 };
	char periods[3][16] = { "2021-22", "2022-23", "2023-24" };
	size_t returns[] = { 1, 1, 1 }, y;
	int att8 = attainment_measure_index(
		attainment_measure_find("attainment8"));
	int g5 = attainment_measure_index(
		attainment_measure_find("grade5_eng_maths"));

	(void)state;
	memset(&d, 0, sizeof(d));
	d.years = years;
	d.periods = periods;
	d.returns = returns;
	d.nyears = 3;
	d.areas = 1;
	d.cells = calloc(3 * attainment_measure_count() * SVC_GROUP_COUNT,
			 sizeof(*d.cells));
	assert_non_null(d.cells);
	for (y = 0; y < 3; y++) {
		/* the gap narrows from 10 to 6 points */
		attainment_cell_add_row(attainment_data_cell(&d, y,
							     (size_t)att8,
							     ETH_WBRI),
					400, 52, 19.5, NAN, 0);
		attainment_cell_add_row(attainment_data_cell(&d, y,
							     (size_t)att8,
							     ETH_BCRB),
					250, 42 + 2.0 * (double)y,
					y == 2 ? NAN : 18.2, NAN, 0);
	}
	/* the Katz vector: 10 of 75 against 12 of 225 */
	attainment_cell_add_row(attainment_data_cell(&d, 2, (size_t)g5,
						     ETH_BCRB),
				75, NAN, NAN, 10, 0);
	attainment_cell_add_row(attainment_data_cell(&d, 2, (size_t)g5,
						     ETH_WBRI),
				225, NAN, NAN, 12, 0);
	attainment_options_init(&opt);
	tidy_table_init(&t);
	assert_int_equal(attainment_measures(&d, &area, &opt, &t, &err), 0);

	r = find(&t, "attainment_rate_ratio", ETH_BCRB, "grade5_eng_maths");
	assert_non_null(r);
	assert_float_equal(r->value, 2.5, TOL);
	assert_float_equal(r->ci_low, 1.126156400, 1e-8);
	assert_float_equal(r->ci_high, 5.549850801, 1e-8);
	assert_string_equal(r->flag, "higher");
	assert_non_null(strstr(r->note, "reference: White British"));

	r = find(&t, "attainment_gap", ETH_BCRB, "attainment8");
	assert_non_null(r);
	assert_int_equal(r->year, 2021);
	assert_float_equal(r->value, -10, TOL);
	assert_string_equal(r->flag, "below");
	assert_non_null(strstr(r->note, "Welch interval"));
	/* the last year gives no SD for the group: normal, said so */
	r = find_year(&t, "attainment_gap", ETH_BCRB, "attainment8", 2023);
	assert_non_null(r);
	assert_float_equal(r->value, -6, TOL);
	assert_non_null(strstr(r->note, "normal interval: no SD given for "
				"the group"));

	r = find(&t, "attainment_gap_trend", ETH_BCRB, "attainment8");
	assert_non_null(r);
	assert_int_equal(r->year, 2023);
	assert_string_equal(r->period, "2021-22 to 2023-24");
	assert_float_equal(r->value, 2, 1e-9);
	assert_string_equal(r->flag, "narrowed");
	assert_true(r->p_value < 0.05);
	assert_float_equal(r->numerator, -10, TOL);
	assert_float_equal(r->denominator, -6, TOL);

	/* only the year asked for, with the trend up to it */
	tidy_table_free(&t);
	tidy_table_init(&t);
	opt.year = 2022;
	assert_int_equal(attainment_measures(&d, &area, &opt, &t, &err), 0);
	r = find(&t, "attainment_gap", ETH_BCRB, "attainment8");
	assert_non_null(r);
	assert_int_equal(r->year, 2022);
	r = find(&t, "attainment_gap_trend", ETH_BCRB, "attainment8");
	assert_non_null(r);
	assert_string_equal(r->period, "2021-22 to 2022-23");

	/* the year asked for and the years before it (as the site publishes
	 * them, for disclosure control to protect the trend): the gap of
	 * each year up to it, none after, and the same trend */
	tidy_table_free(&t);
	tidy_table_init(&t);
	opt.years_before = true;
	assert_int_equal(attainment_measures(&d, &area, &opt, &t, &err), 0);
	r = find_year(&t, "attainment_gap", ETH_BCRB, "attainment8", 2021);
	assert_non_null(r);
	assert_float_equal(r->value, -10, TOL);
	r = find_year(&t, "attainment_gap", ETH_BCRB, "attainment8", 2022);
	assert_non_null(r);
	assert_float_equal(r->value, -8, TOL);
	assert_null(find_year(&t, "attainment_gap", ETH_BCRB, "attainment8",
			      2023));
	assert_null(find_year(&t, "attainment_pupils", ETH_BCRB,
			      "attainment8", 2023));
	r = find(&t, "attainment_gap_trend", ETH_BCRB, "attainment8");
	assert_non_null(r);
	assert_int_equal(r->year, 2022);
	assert_string_equal(r->period, "2021-22 to 2022-23");
	assert_float_equal(r->value, 2, 1e-9);
	opt.years_before = false;

	/* a detailed reference for high-level figures is refused */
	tidy_table_free(&t);
	tidy_table_init(&t);
	opt.level = ETH_LEVEL_HIGH;
	opt.reference = ETH_WBRI;
	assert_int_equal(attainment_measures(&d, &area, &opt, &t, &err), -1);
	assert_non_null(strstr(err.message, "high level"));
	tidy_table_free(&t);
	free(d.cells);
}

/* ---- import ---- */

struct fixture {
	char dir[64];
	char db[128];
	char csv[128];
	struct store *store;
	struct area_set *areas;
	struct ethnicity_classifier *cls;
};

static int setup(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-attain-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/s.db", f->dir);
	snprintf(f->csv, sizeof(f->csv), "%s/a.csv", f->dir);
	if (store_create(f->db, &err) < 0 ||
	    store_open(&f->store, f->db, &err) < 0 ||
	    area_set_load(&f->areas, &err) < 0 ||
	    ethnicity_classifier_new(&f->cls, &err) < 0)
		return -1;
	ethnicity_classifier_set_code_system(f->cls, ETH_CODES_DFE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[160];

	store_close(f->store);
	area_set_free(f->areas);
	ethnicity_classifier_free(f->cls);
	unlink(f->csv);
	unlink(f->db);
	snprintf(path, sizeof(path), "%s.key", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-wal", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->db);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_file(const struct fixture *f, const char *text)
{
	FILE *out = fopen(f->csv, "w");

	assert_non_null(out);
	fputs(text, out);
	fclose(out);
}

static int import(struct fixture *f, struct diag_list *diags,
		  struct attainment_import_result *res)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attainment_import_options opt;

	memset(&opt, 0, sizeof(opt));
	opt.path = f->csv;
	opt.submitted_by = "test";
	opt.submitted_at = "2025-01-01T00:00:00Z";
	opt.classifier = f->cls;
	opt.areas = f->areas;
	return attainment_import(f->store, &opt, diags, res, &err);
}

/* Whether `d` has an error at line:column whose message holds `text`. */
static bool has(const struct diag_list *d, long line, long column,
		const char *text)
{
	size_t k;

	for (k = 0; k < d->count; k++)
		if (d->items[k].severity == DIAG_ERROR &&
		    d->items[k].line == line && d->items[k].column == column &&
		    strstr(d->items[k].message, text))
			return true;
	return false;
}

#define HEADER "area_code,year,ethnic_group,measure,pupils,mean_score,sd," \
	       "reaching_threshold\n"

static void malformed_values_located(void **state)
{
	struct fixture *f = *state;
	struct diag_list diags = DIAG_LIST_INIT;
	struct attainment_import_result res;
	struct store_attainment_return ret;
	struct parity_error err = PARITY_ERROR_INIT;

	/* columns: area 1, year 11, group 19; below, each row's own */
	write_file(f, HEADER
		   "E09000022,2023-24,White British,attainment8,400,52.1,19.5,\n"
		   "E09000022,2023-24,Black African,attainment8,300,4x.0,,\n"
		   "E09000022,2023-24,Indian,attainment8,120,95.5,,\n"
		   "E09000022,2023-24,BCRB,grade5_eng_maths,250,,,280\n"
		   "E09000022,2023-24,White British,attainment8,400,50,,\n"
		   "E09000022,2023-24,Martian,attainment8,12,30,,\n"
		   "E09000022,2023-24,Pakistani,attainment8,1.5,30,,\n"
		   "E09000022,2023-24,Chinese,attainment8,12,60,60,\n"
		   "E09000022,2023-24,White,attainment8,40,45,,\n");
	assert_int_equal(import(f, &diags, &res), -1);
	/* a bad number: 'E09000022,2023-24,Black African,attainment8,300,'
	 * is 48 characters */
	assert_true(has(&diags, 3, 49, "mean_score '4x.0' is not a number"));
	/* outside the range */
	assert_true(has(&diags, 4, 42, "outside Attainment 8's range"));
	/* more reaching than pupils: the reaching column, naming pupils' */
	assert_true(has(&diags, 5, 47, "more than the 250 pupils (column 41)"));
	/* the same group twice: at its group, naming the first line */
	assert_true(has(&diags, 6, 19, "given twice for attainment8 in "
			"Lambeth, 2023-24 (first on line 2)"));
	/* an unknown group */
	assert_true(has(&diags, 7, 19, "unknown ethnicity label 'Martian'"));
	/* a fractional pupil count */
	assert_true(has(&diags, 8, 41, "pupils '1.5' is not a whole number"));
	/* an SD no 12 scores from 0 to 90 can have */
	assert_true(has(&diags, 9, 45, "sd 60 is larger than any 12 scores"));
	/* a major group beside a group inside it */
	assert_true(has(&diags, 10, 19, "a group inside it"));
	assert_int_equal(diags.errors, 8);
	/* nothing stored */
	assert_int_equal(store_attainment_current(f->store, "E09000022", 2023,
						  &ret, &err), 0);
	attainment_import_result_release(&res);
	diag_list_release(&diags);
}

static int count_row(void *ctx, const struct store_attainment_return *ret,
		     const struct store_attainment_row *row)
{
	int *n = ctx;

	(void)ret;
	(void)row;
	++*n;
	return 0;
}

static void good_return_versioned(void **state)
{
	struct fixture *f = *state;
	struct diag_list diags = DIAG_LIST_INIT;
	struct attainment_import_result res;
	struct parity_error err = PARITY_ERROR_INIT;
	int n = 0;

	write_file(f, HEADER
		   "E09000022,2023-24,White British,attainment8,400,52.1,19.5,\n"
		   "E09000022,2023-24,Gypsy/Roma,attainment8,12,30.5,x,\n"
		   "Lambeth,202324,WIRT,grade5_eng_maths,9,,,2\n"
		   "E09000022,2022-23,NOBT,attainment8,20,40,,\n");
	assert_int_equal(import(f, &diags, &res), 0);
	assert_int_equal(diags.errors, 0);
	assert_int_equal(res.count, 2);
	assert_int_equal(res.items[0].ret.year, 2023);
	assert_int_equal(res.items[0].ret.rows, 3);
	assert_int_equal(res.items[0].ret.version, 1);
	assert_int_equal(store_attainment_rows_each(f->store, "E09000022",
						    count_row, &n, &err), 0);
	assert_int_equal(n, 4);
	attainment_import_result_release(&res);
	/* the same file again changes nothing */
	assert_int_equal(import(f, &diags, &res), 0);
	assert_true(res.unchanged);
	attainment_import_result_release(&res);
	/* a corrected file is a new version of the year it gives */
	write_file(f, HEADER
		   "E09000022,2023-24,White British,attainment8,401,52.0,19.5,\n");
	assert_int_equal(import(f, &diags, &res), 0);
	assert_int_equal(res.items[0].ret.version, 2);
	assert_true(res.items[0].ret.supersedes > 0);
	n = 0;
	assert_int_equal(store_attainment_rows_each(f->store, "E09000022",
						    count_row, &n, &err), 0);
	assert_int_equal(n, 2); /* 2022-23's row and the new version's */
	attainment_import_result_release(&res);
	diag_list_release(&diags);
}

static void groups_as_the_school_census_has_them(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	int g;

	assert_int_equal(attainment_group_classify(f->cls, "WIRT", &g, &err),
			 0);
	assert_int_equal(g, SVC_TRAVELLER_IRISH);
	assert_int_equal(attainment_group_classify(f->cls, "WROM", &g, &err),
			 0);
	assert_int_equal(g, SVC_GYPSY_ROMA);
	assert_int_equal(attainment_group_classify(f->cls, "Gypsy/Roma", &g,
						   &err), 0);
	assert_int_equal(g, SVC_GYPSY_ROMA);
	assert_int_equal(attainment_group_classify(f->cls, "BCRB", &g, &err),
			 0);
	assert_int_equal(g, ETH_BCRB);
	assert_int_equal(attainment_group_classify(f->cls, "Chinese", &g,
						   &err), 0);
	assert_int_equal(g, ETH_ACHN);
	assert_int_equal(attainment_group_classify(f->cls, "REFU", &g, &err),
			 0);
	assert_int_equal(g, SVC_PREFER_NOT_TO_SAY);
	assert_int_equal(attainment_group_classify(f->cls, "BAME", &g, &err),
			 -1);
	assert_null(attainment_measure_find("attainment9"));
	assert_non_null(attainment_measure_find("Avg_Att8"));
	assert_non_null(attainment_measure_find("engmath 95"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(welch_equal_groups),
		cmocka_unit_test(welch_unequal_groups),
		cmocka_unit_test(normal_when_no_sd),
		cmocka_unit_test(trend_of_a_gap),
		cmocka_unit_test(pooled_sd),
		cmocka_unit_test(measures_of_an_area),
		cmocka_unit_test_setup_teardown(malformed_values_located, setup,
						teardown),
		cmocka_unit_test_setup_teardown(good_return_versioned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			groups_as_the_school_census_has_them, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
