/*
 * test_check.c - the row checker through its small interface (check.h):
 * made with options, given a header and rows, aggregated without a store,
 * and checkers of blocks merged back into one, as the parallel reader
 * uses them. The import through the store is tested in test_returns.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/csv.h"
#include "base/diag.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "ingest/check.h"
#include "ingest/returns.h"

#include <sodium.h>
#include <string.h>

struct fixture {
	struct area_set *areas;
	struct ethnicity_classifier *cls;
	struct import_options opt;
	struct diag_list diags;
	struct parity_error err;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct parity_error err = PARITY_ERROR_INIT;

	if (sodium_init() < 0 || area_set_load(&f->areas, &err) < 0 ||
	    ethnicity_classifier_new(&f->cls, &err) < 0)
		return -1;
	f->opt.kind = STORE_WORKFORCE;
	f->opt.path = "return.csv";
	f->opt.area = "E09000002";
	f->opt.year = 2024;
	f->opt.submitted_at = "2024-05-01T09:30:00Z";
	f->opt.classifier = f->cls;
	f->opt.areas = f->areas;
	diag_list_init(&f->diags);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	diag_list_release(&f->diags);
	ethnicity_classifier_free(f->cls);
	area_set_free(f->areas);
	free(f);
	return 0;
}

#define HEADER "staff_id,ethnicity,annual_salary\n"

/* Give `ck` the header, then every row of `text`; the last row's
 * checker_row() result. */
static int check_text(struct checker *ck, const char *text)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	bool header = true;
	int rc = 0;

	assert_int_equal(csv_reader_open_memory(&r, "return.csv", text,
						strlen(text), &err), 0);
	while (csv_reader_next(r, &row, &err) > 0) {
		if (header) {
			assert_int_equal(checker_header(ck, &row, "return.csv",
							','), 0);
			header = false;
			continue;
		}
		rc = checker_row(ck, &row, &err);
	}
	csv_reader_free(r);
	return rc;
}

/* Check `text` (a block: rows only) as block `index`. */
static void check_block(struct checker *ck, long index, const char *text)
{
	struct parity_error err = PARITY_ERROR_INIT;
	size_t len = strlen(text);
	char *data = xmalloc(len + 1);
	struct csv_reader *r;
	struct csv_row row;

	memcpy(data, text, len + 1);
	assert_int_equal(csv_reader_open_block(&r, "return.csv", data, len, 1),
			 0);
	checker_block(ck, index, NULL);
	while (csv_reader_next(r, &row, &err) > 0)
		assert_int_equal(checker_row(ck, &row, &err), 0);
	csv_reader_free(r);
	free(data);
}

/* A head checker given the header, and two checkers of blocks from it. */
static struct checker *two_blocks(struct fixture *f, struct checker *from[2])
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct checker *head = checker_create(&f->opt, NULL, &f->diags, &err);

	assert_non_null(head);
	assert_int_equal(check_text(head, HEADER), 0);
	from[0] = checker_for_blocks(head);
	from[1] = checker_for_blocks(head);
	return head;
}

static void test_create_refuses_options(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;

	f->opt.year = 1990;
	assert_null(checker_create(&f->opt, NULL, &f->diags, &err));
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_non_null(strstr(err.message, "year 1990"));
	f->opt.year = 2024;
	f->opt.area = "E12000007"; /* London: a region, not a borough */
	parity_error_clear(&err);
	assert_null(checker_create(&f->opt, NULL, &f->diags, &err));
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
}

static void test_rows_aggregate(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct checker *ck = checker_create(&f->opt, NULL, &f->diags, &err);
	struct analyse_result res;
	const double *pay;

	assert_non_null(ck);
	assert_int_equal(check_text(ck, HEADER "S1,White British,40000\n"
					  "S2,White British,30000\n"
					  "S3,Indian,35000\n"), 0);
	checker_finish(ck);
	memset(&res, 0, sizeof(res));
	checker_aggregates(ck, &res);
	checker_free(ck);
	assert_int_equal(res.count, 1);
	assert_int_equal(res.areas[0], area_find(f->areas, "E09000002"));
	assert_int_equal(res.aggs[0].pay_count[ETH_WBRI], 2);
	pay = res.aggs[0].pay[ETH_WBRI];
	assert_true(pay[0] == 30000 && pay[1] == 40000); /* sorted */
	assert_int_equal(res.aggs[0].pay_count[ETH_AIND], 1);
	assert_int_equal(f->diags.errors, 0);
	analyse_result_release(&res);
}

static void test_row_with_error(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct checker *ck = checker_create(&f->opt, NULL, &f->diags, &err);

	assert_non_null(ck);
	/* an error, and every row after it (here the last), says so */
	assert_int_equal(check_text(ck, HEADER "S1,White British,lots\n"
					  "S2,White British,30000\n"), 1);
	assert_int_equal(f->diags.errors, 1);
	assert_int_equal(f->diags.items[0].line, 2);
	checker_free(ck);
}

/* Two checkers of blocks, merged: what one checker of the whole file
 * would have, with each warning at its line in the file. */
static void test_blocks_merge(void **state)
{
	struct fixture *f = *state;
	struct checker *from[2];
	struct checker *head = two_blocks(f, from);
	struct analyse_result res;
	/* line 1 is the header; block 0 starts on line 2, block 1 on 4 */
	const long base[] = { 2, 4, 5 };

	check_block(from[1], 1, "S3,White British,20000\n");
	check_block(from[0], 0, "S1,White British,40000\n"
				"S2,White British,25000\n");
	assert_int_equal(checker_merge(head, from, 2, base), 1);
	checker_free(from[0]);
	checker_free(from[1]);
	/* below the London Living Wage: once, at the first such row */
	assert_int_equal(f->diags.warnings, 1);
	assert_int_equal(f->diags.items[0].line, 3);
	assert_non_null(strstr(f->diags.items[0].message,
			       "so are 1 more rows"));
	memset(&res, 0, sizeof(res));
	checker_aggregates(head, &res);
	checker_free(head);
	assert_int_equal(res.count, 1);
	assert_int_equal(res.aggs[0].pay_count[ETH_WBRI], 3);
	assert_true(res.aggs[0].pay[ETH_WBRI][0] == 20000 &&
		    res.aggs[0].pay[ETH_WBRI][2] == 40000);
	analyse_result_release(&res);
}

/* An id in two blocks: only the single pass can say where, so the merge
 * gives way. */
static void test_blocks_duplicate(void **state)
{
	struct fixture *f = *state;
	struct checker *from[2];
	struct checker *head = two_blocks(f, from);
	const long base[] = { 2, 3, 4 };

	check_block(from[0], 0, "S1,White British,40000\n");
	check_block(from[1], 1, "S1,Indian,30000\n");
	assert_int_equal(checker_merge(head, from, 2, base), 0);
	checker_free(from[0]);
	checker_free(from[1]);
	checker_free(head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_refuses_options,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_aggregate, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_row_with_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blocks_merge, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blocks_duplicate, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
