/*
 * test_site_tables.c - the CSV beside each table of the site
 * (site/site_tables.h): it holds exactly the rows the table shows, in
 * their order, each with the shares its companion columns show beside
 * it, withheld figures as [c]; it is named for the page, the caption and
 * the release, a second table of the same caption apart; the link names
 * the table, the format and the file's true size; the hub's NULL sink
 * writes nothing; and a file that cannot be written is an error, kept,
 * with nothing further written.
 */
#define _GNU_SOURCE /* nftw's FTW_PHYS, FTW_DEPTH */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "site/site_tables.h"

#include <ftw.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void add(struct tidy_table *t, const char *measure,
		const char *group, double value, unsigned withheld)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, "E09000005");
	r->area_name = tidy_table_intern(t, "Brent");
	r->area_type = tidy_table_intern(t, "borough");
	r->year = 2024;
	r->ethnicity = tidy_table_intern(t, group);
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->value = value;
	r->withheld = withheld;
}

static bool starts(const char *line, const char *prefix)
{
	return strncmp(line, prefix, strlen(prefix)) == 0;
}

static char *read_all(const char *path)
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

struct fixture {
	char dir[64];
	struct site_options opt;
	struct site s;
	struct site_copy copy;
	struct tidy_table t;
};

static void fixture_init(struct fixture *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-site-tables-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	site_options_init(&f->opt);
	f->opt.dir = f->dir;
	f->opt.year = 2024;
	f->opt.date = "2026-12-07";
	memset(&f->s, 0, sizeof(f->s));
	f->s.opt = &f->opt;
	f->s.release = 3;
	f->copy.dir = f->dir;
	f->copy.top = "";
	f->copy.counted = false;
	tidy_table_init(&f->t);
	/* 0-2: Asian's ratio and its shares; 3-5: Black's, the ratio and the
	 * staff share withheld; 6: a row no table shows */
	add(&f->t, "representation_ratio", "Asian", 0.8, 0);
	add(&f->t, "staff_share", "Asian", 20, 0);
	add(&f->t, "benchmark_share", "Asian", 25, 0);
	add(&f->t, "representation_ratio", "Black", NAN,
	    (1u << TIDY_VALUE) | (1u << TIDY_CI_LOW) | (1u << TIDY_CI_HIGH));
	add(&f->t, "staff_share", "Black", NAN, 1u << TIDY_VALUE);
	add(&f->t, "benchmark_share", "Black", 15, 0);
	add(&f->t, "staff_count", "Asian", 120, 0);
}

static void fixture_free(struct fixture *f)
{
	tidy_table_free(&f->t);
	assert_int_equal(nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS),
			 0);
}

static const enum html_column RATIO_COLS[] = {
	HTML_COL_GROUP, HTML_COL_STAFF_SHARE, HTML_COL_RESIDENT_SHARE,
	HTML_COL_VALUE,
};
static const char *const RATIO_HEADS[] = { "Group", "Share of staff",
					   "Share of residents", "Ratio" };

static void test_rows_shown_and_link(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct html_table_spec spec = { "Representation ratio, Brent, 2024",
					RATIO_COLS, RATIO_HEADS, 4, NULL };
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	struct site_tables tt;
	struct fixture f;
	const size_t rows[] = { 3, 0 };  /* as the table orders them */
	char path[512], *csv;
	const char *at;
	struct stat st;

	(void)state;
	memset(&f, 0, sizeof(f));
	fixture_init(&f);
	site_tables_begin(&tt, &f.s, &f.copy, "boroughs/brent.html", "../",
			  SITE_WORKFORCE, &err);
	assert_int_equal(site_tables_add(&tt, &sb, &f.t, rows, 2, &spec), 0);
	snprintf(path, sizeof(path), "%s/downloads/tables/workforce-2024/"
		 "boroughs/brent/representation-ratio-brent-2024-release-3.csv",
		 f.dir);
	assert_int_equal(stat(path, &st), 0);
	/* the link: where, what, the format and the true size */
	strbuf_addf(&want, "<p class=\"govuk-body-s parity-table-download\">"
			   "<a class=\"govuk-link\" href=\"../downloads/tables/"
			   "workforce-2024/boroughs/brent/representation-ratio-"
			   "brent-2024-release-3.csv\">Download this table (CSV, "
			   "%lld bytes)<span class=\"govuk-visually-hidden\">: "
			   "Representation ratio, Brent, 2024</span></a></p>\n",
		    (long long)st.st_size);
	assert_string_equal(sb.buf, want.buf);
	/* the rows shown, in order, each with its shares; nothing else */
	csv = read_all(path);
	at = strchr(csv, '\n');
	assert_non_null(at);
	assert_true(starts(at + 1, "representation_ratio,E09000005,Brent,"
			    "borough,2024,Black,high,,[c],"));
	at = strchr(at + 1, '\n');
	assert_true(starts(at + 1, "staff_share,E09000005,Brent,borough,"
			    "2024,Black,high,,[c],"));
	at = strchr(at + 1, '\n');
	assert_true(starts(at + 1, "benchmark_share,E09000005,Brent,"
			    "borough,2024,Black,high,,15,"));
	at = strchr(at + 1, '\n');
	assert_true(starts(at + 1, "representation_ratio,E09000005,Brent,"
			    "borough,2024,Asian,high,,0.8,"));
	at = strchr(at + 1, '\n');
	assert_true(starts(at + 1, "staff_share,"));
	at = strchr(at + 1, '\n');
	assert_true(starts(at + 1, "benchmark_share,"));
	at = strchr(at + 1, '\n');
	assert_string_equal(at + 1, "");
	assert_null(strstr(csv, "staff_count"));
	free(csv);

	/* the same caption again on the page: a name of its own */
	strbuf_reset(&sb);
	assert_int_equal(site_tables_add(&tt, &sb, &f.t, rows, 1, &spec), 0);
	assert_non_null(strstr(sb.buf, "/representation-ratio-brent-2024-2-"
				      "release-3.csv\""));
	assert_int_equal(site_tables_end(&tt), 0);

	/* the hub: no sink, no file and no link */
	strbuf_reset(&sb);
	assert_int_equal(site_tables_add(NULL, &sb, &f.t, rows, 2, &spec), 0);
	assert_int_equal(sb.len, 0);

	strbuf_release(&sb);
	strbuf_release(&want);
	fixture_free(&f);
}

static void test_failure_is_kept(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct html_table_spec spec = { "Staff, Brent, 2024", NULL, NULL, 0,
					NULL };
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	struct fixture f;
	const size_t rows[] = { 6 };
	char path[512];
	FILE *block;

	(void)state;
	memset(&f, 0, sizeof(f));
	fixture_init(&f);
	/* "downloads" a file: no folder can be made under it */
	snprintf(path, sizeof(path), "%s/downloads", f.dir);
	block = fopen(path, "w");
	assert_non_null(block);
	fclose(block);
	site_tables_begin(&tt, &f.s, &f.copy, "index.html", "",
			  SITE_WORKFORCE, &err);
	assert_int_equal(site_tables_add(&tt, &sb, &f.t, rows, 1, &spec), -1);
	assert_int_not_equal(err.code, PARITY_OK);
	assert_int_equal(sb.len, 0);
	/* kept: the next table is neither written nor linked */
	err = (struct parity_error)PARITY_ERROR_INIT;
	assert_int_equal(site_tables_add(&tt, &sb, &f.t, rows, 1, &spec), -1);
	assert_int_equal(sb.len, 0);
	assert_int_equal(site_tables_end(&tt), -1);
	strbuf_release(&sb);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_shown_and_link),
		cmocka_unit_test(test_failure_is_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
