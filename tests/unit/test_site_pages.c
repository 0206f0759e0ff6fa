/*
 * test_site_pages.c - the site's pages from a small protected table: the
 * pay-gap tables head each column with what it holds (the group's median
 * hourly pay, the gap's numerator, then White staff's, its denominator),
 * on the London overview, a borough's page and the page comparing
 * boroughs.
 */
#define _GNU_SOURCE /* nftw's FTW_PHYS, FTW_DEPTH */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "site/site_internal.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHITE_PAY 20.00

static void pay_gap_row(struct tidy_table *t, const struct area *a,
			const char *group, double pay)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, "median_pay_gap");
	r->area_code = tidy_table_intern(t, a->code);
	r->area_name = tidy_table_intern(t, a->name);
	r->area_type = tidy_table_intern(t, area_type_name(a->type));
	r->year = 2024;
	r->ethnicity = tidy_table_intern(t, group);
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->numerator = pay;
	r->denominator = WHITE_PAY;
	r->value = 100.0 * (WHITE_PAY - pay) / WHITE_PAY;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	return buf;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/*
 * The pay-gap table whose caption holds `caption` in `html`: its headings
 * come in the order of its columns, and the row of `group` has the
 * group's pay, then White staff's.
 */
static void check_gap_table(const char *html, const char *caption,
			    const char *first, const char *group,
			    const char *group_pay)
{
	const char *table = strstr(html, caption), *end, *row, *a, *b, *c;
	char want[256];

	assert_non_null(table);
	end = strstr(table, "</table>");
	assert_non_null(end);
	/* headings: first, the gap, the group's pay, White staff's pay */
	a = strstr(table, first);
	b = strstr(table, "Median pay gap");
	c = strstr(table, "Group&#39;s median hourly pay");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(a < b && b < c);
	assert_non_null(strstr(c, "White staff&#39;s median hourly pay"));
	assert_true(strstr(c, "White staff&#39;s median hourly pay") < end);
	/* the row: the group's pay, then White staff's */
	row = strstr(table, group);
	assert_non_null(row);
	assert_true(row < end);
	snprintf(want, sizeof(want), "\xC2\xA3%s</td><td class=\"govuk-table__cell "
		 "govuk-table__cell--numeric\">\xC2\xA3" "20.00</td></tr>",
		 group_pay);
	assert_non_null(strstr(row, want));
	assert_true(strstr(row, want) < end);
}

static void test_pay_gap_headings_follow_the_columns(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct area_set *areas = NULL;
	struct site_options opt;
	struct site_releases releases = { NULL, 0, 0 };
	struct site s;
	struct site_copy copy;
	char dir[] = "/tmp/parity-site-pages-XXXXXX", path[512];
	const struct area *london, *brent;
	char *html;
	int b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(area_set_load(&areas, &err), 0);
	london = &areas->areas[area_london(areas)];
	b = area_find(areas, "E09000005");
	assert_true(b >= 0);
	brent = &areas->areas[b];
	site_options_init(&opt);
	opt.dir = dir;
	opt.year = 2024;
	opt.date = "2026-11-23";
	memset(&s, 0, sizeof(s));
	s.opt = &opt;
	s.areas = areas;
	s.releases = &releases;
	s.release = 1;
	tidy_table_init(&s.workforce);
	pay_gap_row(&s.workforce, london, "Asian, Asian British or Asian Welsh",
		    18.50);
	pay_gap_row(&s.workforce, london, "Black, Black British, Black Welsh, "
		    "Caribbean or African", 17.25);
	pay_gap_row(&s.workforce, brent, "Asian, Asian British or Asian Welsh",
		    19.10);
	copy.dir = dir;
	copy.top = "";
	copy.counted = false;
	if (site_write_pages(&s, &copy, &err) < 0)
		fail_msg("site_write_pages: %s", err.message);

	snprintf(path, sizeof(path), "%s/index.html", dir);
	html = read_file(path);
	check_gap_table(html, "Median hourly pay gap with White staff, London, "
			"2024", ">Group<", ">Black, Black British", "17.25");
	free(html);
	snprintf(path, sizeof(path), "%s/boroughs/brent.html", dir);
	html = read_file(path);
	check_gap_table(html, "Median hourly pay gap with White staff, Brent, "
			"2024", ">Group<", ">Asian, Asian British", "19.10");
	free(html);
	snprintf(path, sizeof(path), "%s/measures/pay-gap.html", dir);
	html = read_file(path);
	check_gap_table(html, "Asian, Asian British or Asian Welsh: median "
			"hourly pay gap with White staff, by area", ">Area<",
			">Brent<", "19.10");
	free(html);

	tidy_table_free(&s.workforce);
	area_set_free(areas);
	assert_int_equal(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pay_gap_headings_follow_the_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
