/*
 * test_standard.c - assessments, reviews and scoring (standard/): the
 * scoring rule (means, rounded down; a theme without every level is not
 * scored, and then neither is the whole); an owner that reads as a name
 * is refused; drafts are rewritten and submissions frozen (the store's
 * triggers refuse a change even through its own connection); a change
 * after submission starts the next version; a review's rules (not of
 * oneself, only by the assigned council, signed off once complete,
 * answered once) with an audit entry for each step; London's
 * distribution counts and the sharing rule.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "domain/area.h"
#include "standard/assessment.h"
#include "standard/framework.h"
#include "standard/review.h"
#include "standard/score.h"
#include "store/assessment_store.h"
#include "store/store_internal.h"
#include "store/store.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fixture {
	char dir[64];
	char db[128];
	struct store *s;
	struct area_set *areas;
	struct framework_set *set;
	const struct framework *f;
	char audit[16][128];    /* the audit entries written: "action area" */
	size_t naudit;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list d = DIAG_LIST_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-standard-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/a.db", f->dir);
	if (store_create(f->db, &err) < 0 || store_open(&f->s, f->db, &err) < 0 ||
	    area_set_load(&f->areas, &err) < 0 ||
	    framework_set_load(&f->set, &d) < 0)
		return -1;
	f->f = framework_find(f->set, "racial-equality-standard", 1);
	diag_list_release(&d);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	area_set_free(f->areas);
	framework_set_free(f->set);
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static int record_audit(void *ctx, const char *action, const char *area,
			int year, const char *detail, struct parity_error *err)
{
	struct fixture *f = ctx;

	(void)year;
	(void)detail;
	(void)err;
	if (f->naudit < 16)
		snprintf(f->audit[f->naudit++], 128, "%s %s", action, area);
	return 0;
}

static struct standard_actor actor(struct fixture *f, const char *area)
{
	struct standard_actor a = { "cli:test", area, 1714554000L,
				    record_audit, f };

	return a;
}

/* An assessment of the Standard with levels `levels` (one digit per
 * criterion, 0 for none). */
static void make(struct fixture *f, struct assessment *a, const char *area,
		 int year, const char *levels, bool share)
{
	size_t k;

	memset(a, 0, sizeof(*a));
	snprintf(a->framework, sizeof(a->framework), "%s", f->f->id);
	a->framework_version = f->f->version;
	snprintf(a->area_code, sizeof(a->area_code), "%s", area);
	a->year = year;
	a->share = share;
	a->criteria = xcalloc(f->f->ncriteria, sizeof(*a->criteria));
	for (k = 0; k < f->f->ncriteria && levels[k]; k++) {
		struct assessment_criterion *c = &a->criteria[a->ncriteria++];

		snprintf(c->id, sizeof(c->id), "%s", f->f->criteria[k].id);
		c->level = levels[k] - '0';
		c->reason = xstrdup("");
		c->evidence = xstrdup("");
		c->figure = c->figure_low = c->figure_high = NAN;
	}
}

static void test_scoring_rule(void **state)
{
	struct fixture *f = *state;
	struct standard_score sc;
	struct assessment a;

	/* themes: leadership 2 criteria, employer 3, services 2,
	 * communities 2, data 1 */
	make(f, &a, "E09000005", 2024, "3212222322", false);
	standard_score(f->f, &a, &sc);
	assert_int_equal(sc.nthemes, 5);
	assert_true(fabs(sc.theme_score[0] - 2.5) < 1e-12);
	assert_int_equal(sc.theme_level[0], 2);
	assert_true(fabs(sc.theme_score[1] - 5.0 / 3.0) < 1e-12);
	assert_int_equal(sc.theme_level[1], 1);
	assert_int_equal(sc.theme_level[2], 2);
	assert_true(fabs(sc.theme_score[3] - 2.5) < 1e-12);
	assert_int_equal(sc.theme_level[4], 2);
	/* (2.5 + 5/3 + 2 + 2.5 + 2) / 5 = 2.1333 */
	assert_true(fabs(sc.overall_score - 10.666666666666666 / 5) < 1e-12);
	assert_int_equal(sc.overall_level, 2);
	standard_score_release(&sc);
	assessment_release(&a);
	/* a mean of exactly 3 is level 3, not 2 */
	make(f, &a, "E09000005", 2024, "3333333333", false);
	standard_score(f->f, &a, &sc);
	assert_int_equal(sc.overall_level, 3);
	assert_int_equal(sc.theme_level[1], 3);
	standard_score_release(&sc);
	assessment_release(&a);
	/* a criterion without a level: its theme and the whole unscored */
	make(f, &a, "E09000005", 2024, "3303333333", false);
	standard_score(f->f, &a, &sc);
	assert_int_equal(sc.theme_level[0], 3);
	assert_int_equal(sc.theme_level[1], 0);
	assert_true(isnan(sc.theme_score[1]));
	assert_int_equal(sc.overall_level, 0);
	assert_true(isnan(sc.overall_score));
	standard_score_release(&sc);
	assessment_release(&a);
}

static void test_owner_names(void **state)
{
	(void)state;
	assert_true(assessment_owner_looks_like_name("Jane Smith"));
	assert_true(assessment_owner_looks_like_name("Cllr Patel"));
	assert_true(assessment_owner_looks_like_name("j.smith@brent.gov.uk"));
	assert_true(assessment_owner_looks_like_name("Mary Ann Jones"));
	assert_false(assessment_owner_looks_like_name("Director of HR"));
	assert_false(assessment_owner_looks_like_name("Head of Workforce"));
	assert_false(assessment_owner_looks_like_name("Chief Executive"));
	assert_false(assessment_owner_looks_like_name("HR team"));
	assert_false(assessment_owner_looks_like_name("the equalities board"));
}

static void test_drafts_and_submissions(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_actor who = actor(f, "E09000005");
	struct standard_actor other = actor(f, "E09000007");
	struct assessment a, b;
	int rc;

	make(f, &a, "E09000005", 2024, "2222222222", true);
	assert_int_equal(assessment_save(f->s, f->f, &a, false, &who, &err), 0);
	assert_int_equal(a.version, 1);
	/* saved again: the same draft */
	assert_int_equal(assessment_save(f->s, f->f, &a, false, &who, &err), 0);
	assert_int_equal(a.version, 1);
	/* another council cannot touch it */
	assert_int_equal(assessment_save(f->s, f->f, &a, false, &other, &err),
			 -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	assert_int_equal(assessment_save(f->s, f->f, &a, true, &who, &err), 0);
	assert_int_equal(a.version, 1);
	assert_true(a.submitted);
	assessment_release(&a);
	/* the store refuses to change it, even through its own connection */
	rc = db_exec(store_db(f->s), "UPDATE assessment_criterion SET "
		     "level = 4");
	assert_int_equal(rc, -1);
	rc = db_exec(store_db(f->s), "DELETE FROM assessment");
	assert_int_equal(rc, -1);
	/* a change starts version 2, a draft; the submitted one counts */
	make(f, &b, "E09000005", 2024, "3333333333", true);
	assert_int_equal(assessment_save(f->s, f->f, &b, false, &who, &err), 0);
	assert_int_equal(b.version, 2);
	assessment_release(&b);
	assert_int_equal(assessment_get(f->s, f->f->id, "E09000005", 2024, true,
					&b, &err), 1);
	assert_int_equal(b.version, 1);
	assert_int_equal(b.criteria[0].level, 2);
	assessment_release(&b);
	assert_int_equal(assessment_get(f->s, f->f->id, "E09000005", 2024,
					false, &b, &err), 1);
	assert_int_equal(b.version, 2);
	assert_false(b.submitted);
	assessment_release(&b);
	assert_int_equal(f->naudit, 4);
	assert_string_equal(f->audit[0], "standard.save E09000005");
	assert_string_equal(f->audit[2], "standard.submit E09000005");
}

static void test_review_rules(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_actor council = actor(f, "E09000005");
	struct standard_actor analyst = actor(f, "");
	struct standard_actor camden = actor(f, "E09000007");
	struct standard_actor hackney = actor(f, "E09000012");
	struct review_entry e[2];
	struct assessment a;
	struct review r;
	size_t k;

	make(f, &a, "E09000005", 2024, "2222222222", false);
	assert_int_equal(assessment_save(f->s, f->f, &a, true, &council, &err),
			 0);
	assessment_release(&a);
	assert_int_equal(review_assign(f->s, f->f->id, "E09000005", 2024,
				       "E09000005", &analyst, NULL, &err), -1);
	assert_int_equal(review_assign(f->s, f->f->id, "E09000005", 2024,
				       "E09000007", &analyst, NULL, &err), 0);
	memset(e, 0, sizeof(e));
	snprintf(e[0].criterion, sizeof(e[0].criterion), "lead-commitment");
	e[0].agree = true;
	e[0].comment = "ok";
	snprintf(e[1].criterion, sizeof(e[1].criterion), "emp-data");
	e[1].level = 1;
	e[1].comment = "not yet";
	assert_int_equal(review_record(f->s, f->f, "E09000005", 2024, e, 2,
				       &hackney, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	assert_int_equal(review_record(f->s, f->f, "E09000005", 2024, e, 2,
				       &camden, &err), 0);
	/* not every criterion reviewed yet */
	assert_int_equal(review_sign_off(f->s, f->f, "E09000005", 2024,
					 &camden, &err), -1);
	for (k = 0; k < f->f->ncriteria; k++) {
		snprintf(e[0].criterion, sizeof(e[0].criterion), "%s",
			 f->f->criteria[k].id);
		assert_int_equal(review_record(f->s, f->f, "E09000005", 2024,
					       e, 1, &camden, &err), 0);
	}
	assert_int_equal(review_respond(f->s, f->f->id, "E09000005", 2024, "x",
					&council, &err), -1);
	assert_int_equal(review_sign_off(f->s, f->f, "E09000005", 2024,
					 &camden, &err), 0);
	assert_int_equal(review_record(f->s, f->f, "E09000005", 2024, e, 1,
				       &camden, &err), -1);
	assert_int_equal(review_respond(f->s, f->f->id, "E09000005", 2024,
					"thank you", &camden, &err), -1);
	assert_int_equal(review_respond(f->s, f->f->id, "E09000005", 2024,
					"thank you", &council, &err), 0);
	assert_int_equal(review_respond(f->s, f->f->id, "E09000005", 2024,
					"again", &council, &err), -1);
	assert_int_equal(review_get(f->s, f->f->id, "E09000005", 2024, &r, NULL,
				    &err), 1);
	assert_string_equal(r.reviewer_area, "E09000007");
	assert_string_equal(r.response, "thank you");
	assert_true(r.signed_off_at > 0);
	assert_int_equal(r.nentries, f->f->ncriteria);
	review_release(&r);
	assert_string_equal(f->audit[f->naudit - 1],
			    "standard.review.respond E09000005");
	assert_string_equal(f->audit[f->naudit - 2],
			    "standard.review.signoff E09000005");
}

static void test_distribution_and_sharing(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_viewer viewer = { "E09000007", false };
	struct standard_data d;
	struct standard_actor who;
	struct assessment a;
	struct tidy_table t;
	size_t k, named = 0;
	double overall[5] = { 0 };
	static const char *const areas[] = { "E09000005", "E09000007",
					     "E09000012" };
	static const char *const levels[] = { "2222222222", "1111111111",
					      "3333333333" };

	for (k = 0; k < 3; k++) {
		who = actor(f, areas[k]);
		make(f, &a, areas[k], 2024, levels[k], k != 0);
		assert_int_equal(assessment_save(f->s, f->f, &a, true, &who,
						 &err), 0);
		assessment_release(&a);
	}
	memset(&d, 0, sizeof(d));
	d.store = f->s;
	d.areas = f->areas;
	tidy_table_init(&t);
	assert_int_equal(standard_distribution_table(&d, f->f, 2024, &t, &err),
			 0);
	for (k = 0; k < t.count; k++)
		if (strcmp(t.rows[k].measure, "standard_overall_level_count") ==
		    0) {
			int lv = framework_level_find(f->f, t.rows[k].flag) + 1;

			overall[lv] = t.rows[k].value;
			assert_true(t.rows[k].denominator == 3);
		}
	assert_true(overall[1] == 1 && overall[2] == 1 && overall[3] == 1 &&
		    overall[4] == 0);
	tidy_table_free(&t);
	/* Brent (not sharing) is not named to Camden; Camden sees itself
	 * and Hackney */
	tidy_table_init(&t);
	assert_int_equal(standard_named_table(&d, f->f, 2024, &viewer, &t,
					      &err), 0);
	for (k = 0; k < t.count; k++)
		if (strcmp(t.rows[k].measure, "standard_overall_level") == 0) {
			assert_string_not_equal(t.rows[k].area_code,
						"E09000005");
			named++;
		}
	assert_int_equal(named, 2);
	tidy_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scoring_rule, setup,
						teardown),
		cmocka_unit_test(test_owner_names),
		cmocka_unit_test_setup_teardown(test_drafts_and_submissions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_review_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_distribution_and_sharing,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
