/*
 * fuzz_published.c - a published tidy CSV read back by the disclosure
 * checker (tidy_table_read_csv() in src/table/table_read.h, used by
 * `parity check-disclosure`), on any bytes.
 *
 * The input is read as a CSV file. When it is a tidy table, the table is
 * written again (table_write_csv()) and read back; a small one (up to
 * CHECKED_ROWS rows) is also given to the checker (sdc_check_table()).
 *
 * Promises checked: a table that was read is written and reads back the
 * same: the same rows, texts (a guarded formula too), numbers (to the 10
 * significant digits the CSV keeps), withheld and upper-bound figures; and the checker answers on it, without a
 * broken invariant.
 */
#include "fuzz.h"

#include "domain/area.h"
#include "table/render.h"
#include "sdc/sdc.h"
#include "table/table_read.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The LP audit of a larger table costs more than a fuzzer's input
 * should. */
#define CHECKED_ROWS 40

static struct area_set *areas;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct parity_error err = PARITY_ERROR_INIT;

	(void)argc;
	(void)argv;
	if (area_set_load(&areas, &err) < 0)
		fuzz_fail("published: the areas do not load: %s", err.message);
	return 0;
}

/* The CSV keeps 10 significant digits (format_machine() in render.c), so
 * a number reads back as the same when it is the same to 10 digits. */
static bool same_number(double a, double b)
{
	char x[64], y[64];

	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	if (a == b) /* -0 is written as 0 */
		return true;
	snprintf(x, sizeof(x), "%.10g", a);
	snprintf(y, sizeof(y), "%.10g", b);
	return strcmp(x, y) == 0;
}

static void compare(const struct tidy_table *a, const struct tidy_table *b)
{
	size_t i;
	int c;

	if (a->count != b->count)
		fuzz_fail("published: %zu rows written, %zu read back",
			  a->count, b->count);
	for (i = 0; i < a->count; i++) {
		const struct tidy_row *x = &a->rows[i], *y = &b->rows[i];

		if (x->withheld != y->withheld || x->below != y->below ||
		    x->year != y->year || strcmp(x->period, y->period) != 0)
			fuzz_fail("published: row %zu reads back with other "
				  "withheld or bound figures, or year", i + 1);
		for (c = 0; c < TIDY_COLUMN_COUNT; c++) {
			enum tidy_column col = (enum tidy_column)c;

			if (col == TIDY_YEAR)
				continue;
			if (tidy_column_is_number(col)) {
				if (!same_number(tidy_row_number(x, col),
						 tidy_row_number(y, col)))
					fuzz_fail("published: row %zu, %s: "
						  "%.17g reads back as %.17g",
						  i + 1, tidy_column_name(col),
						  tidy_row_number(x, col),
						  tidy_row_number(y, col));
			} else if (strcmp(tidy_row_text(x, col),
					  tidy_row_text(y, col)) != 0) {
				fuzz_fail("published: row %zu, %s: '%s' reads "
					  "back as '%s'", i + 1,
					  tidy_column_name(col),
					  tidy_row_text(x, col),
					  tidy_row_text(y, col));
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct tidy_table t, back;
	struct sdc_check check;
	const char *path = fuzz_write("published.csv", data, size);
	const char *copy = fuzz_path("published-copy.csv");
	FILE *f;
	int rc;

	tidy_table_init(&t);
	rc = tidy_table_read_csv(path, &t, NULL, NULL, &err);
	fuzz_debug("published: %d, %zu rows%s%s", rc, t.count,
		   rc < 0 ? ": " : "", rc < 0 ? err.message : "");
	if (rc != 0) {
		fuzz_check_failure("published: the read", rc, &err);
		tidy_table_free(&t);
		return 0;
	}
	f = fopen(copy, "w");
	if (!f)
		fuzz_fail("published: cannot write %s", copy);
	if (table_write_csv(&t, f, &err) < 0)
		fuzz_fail("published: a table that was read cannot be "
			  "written: %s", err.message);
	if (fclose(f) != 0)
		fuzz_fail("published: cannot write %s", copy);
	tidy_table_init(&back);
	if (tidy_table_read_csv(copy, &back, NULL, NULL, &err) != 0)
		fuzz_fail("published: the table written does not read "
			  "back: %s", err.message);
	compare(&t, &back);
	tidy_table_free(&back);
	if (t.count <= CHECKED_ROWS) {
		rc = sdc_check_table(&t, areas, 10, 0.1, &check, &err);
		fuzz_debug("published: check %d", rc);
		if (rc < 0)
			fuzz_check_failure("published: the check", rc, &err);
		else
			sdc_check_free(&check);
	}
	tidy_table_free(&t);
	return 0;
}
