/*
 * test_site_release.c - the site's record of releases and its files:
 * releases.json read strictly (a release number of 2147483647, a year out
 * of range, a number listed twice, a "latest" no entry holds: each refused
 * with the file and entry named, never cut to fit), written with every
 * entry or not at all, and read back to prove nothing was dropped or
 * rewritten; the correction note checked as UTF-8 text; dates checked;
 * and removal of a copy by its manifest, which deletes only the files
 * listed and never through a symbolic link.
 */
#define _GNU_SOURCE /* nftw's FTW_PHYS, FTW_DEPTH */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "site/site_internal.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_all(const char *dir)
{
	assert_int_equal(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *dir, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static bool exists(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return lstat(path, &st) == 0;
}

/* Load `json` as DIR/releases.json; the error message when refused. */
static int load(const char *dir, const char *json, struct site_releases *r,
		struct parity_error *err)
{
	put(dir, "releases.json", json);
	return site_releases_load(dir, r, err);
}

static void test_numbers_read_in_range(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct site_releases r;
	char dir[] = "/tmp/parity-site-release-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_dir(dir, "releases");
	make_dir(dir, "releases/1");
	assert_int_equal(load(dir, "{\"latest\": 2, \"releases\": ["
			      "{\"release\": 1, \"year\": 2024, \"date\": "
			      "\"2026-11-23\", \"correction\": null},"
			      "{\"release\": 2, \"year\": 2024, \"date\": "
			      "\"2026-11-24\", \"correction\": \"fix \xC2\xA3\"}"
			      "]}", &r, &err), 0);
	assert_int_equal(r.count, 2);
	assert_int_equal(site_releases_highest(&r), 2);
	assert_true(r.items[0].found);      /* releases/1 is there */
	assert_false(r.items[1].found);     /* releases/2 is not */
	assert_string_equal(r.items[1].correction, "fix \xC2\xA3");
	site_releases_free(&r);

	/* 2147483647 would overflow the next number: refused, located */
	assert_int_equal(load(dir, "{\"latest\": 2147483647, \"releases\": ["
			      "{\"release\": 2147483647, \"year\": 2024, "
			      "\"date\": \"2026-11-23\"}]}", &r, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);
	assert_non_null(strstr(err.file, "releases.json"));
	assert_string_equal(err.message,
			    "entry 1 of \"releases\": \"release\" is "
			    "2147483647; a release is a whole number from 1 "
			    "to 999999");
	assert_int_equal(r.count, 0);

	/* a year beyond an int, and one merely out of range */
	assert_int_equal(load(dir, "{\"releases\": [{\"release\": 1, \"year\": "
			      "2024, \"date\": \"2026-11-23\"}, {\"release\": "
			      "2, \"year\": 4294969320, \"date\": "
			      "\"2026-11-23\"}]}", &r, &err), -1);
	assert_string_equal(err.message,
			    "entry 2 of \"releases\" (release 2): \"year\" is "
			    "4294969320; a year is a whole number from 1900 "
			    "to 2200");
	assert_int_equal(load(dir, "{\"releases\": [{\"release\": 1, \"year\": "
			      "-5, \"date\": \"2026-11-23\"}]}", &r, &err), -1);
	assert_non_null(strstr(err.message, "\"year\" is -5;"));
	assert_int_equal(load(dir, "{\"releases\": [{\"release\": 1.5, \"year\": "
			      "2024, \"date\": \"2026-11-23\"}]}", &r, &err),
			 -1);
	assert_non_null(strstr(err.message, "is 1.5, not a whole number"));
	assert_int_equal(load(dir, "{\"releases\": [{\"release\": 0, \"year\": "
			      "2024, \"date\": \"2026-11-23\"}]}", &r, &err),
			 -1);

	/* listed twice; "latest" that no entry holds (a dropped entry) */
	assert_int_equal(load(dir, "{\"releases\": [{\"release\": 1, \"year\": "
			      "2024, \"date\": \"2026-11-23\"}, {\"release\": "
			      "1, \"year\": 2023, \"date\": \"2026-11-23\"}]}",
			      &r, &err), -1);
	assert_string_equal(err.message, "entry 2 of \"releases\": release 1 "
			    "is listed twice (entries 1 and 2)");
	assert_int_equal(load(dir, "{\"latest\": 2, \"releases\": [{\"release\":"
			      " 1, \"year\": 2024, \"date\": \"2026-11-23\"}]}",
			      &r, &err), -1);
	assert_non_null(strstr(err.message, "\"latest\" is 2, but the highest "
			       "release listed is 1"));
	/* a date that is not one, and a correction that is not text */
	assert_int_equal(load(dir, "{\"releases\": [{\"release\": 1, \"year\": "
			      "2024, \"date\": \"2026-02-30\"}]}", &r, &err),
			 -1);
	assert_non_null(strstr(err.message, "\"date\" is not a date"));
	assert_int_equal(load(dir, "{\"releases\": [{\"release\": 1, \"year\": "
			      "2024, \"date\": \"2026-02-03\", \"correction\": "
			      "7}]}", &r, &err), -1);
	assert_non_null(strstr(err.message, "\"correction\" is neither"));
	remove_all(dir);
}

static void test_next_number_never_overflows(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct site_releases r = { NULL, 0, 0 };
	int number = 0;

	(void)state;
	site_releases_add(&r, SITE_RELEASE_MAX - 1, 2024, "2026-11-23", NULL);
	assert_int_equal(site_release_next(&r, 2024, "x", &number, &err), 0);
	assert_int_equal(number, SITE_RELEASE_MAX);
	site_releases_add(&r, SITE_RELEASE_MAX, 2024, "2026-11-24", "x");
	number = 0;
	assert_int_equal(site_release_next(&r, 2024, "y", &number, &err), -1);
	assert_int_equal(number, 0);
	assert_non_null(strstr(err.message, "no release can follow it"));
	site_releases_free(&r);
}

static void test_written_list_is_proved(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct site_releases before, want = { NULL, 0, 0 };
	char dir[] = "/tmp/parity-site-release-XXXXXX", path[PATH_MAX];
	char *json, old[PATH_MAX];

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_dir(dir, "releases");
	make_dir(dir, "releases/1");
	make_dir(dir, "releases/2");
	assert_int_equal(load(dir, "{\"latest\": 1, \"releases\": [{\"release\":"
			      " 1, \"year\": 2024, \"date\": \"2026-11-23\"}]}",
			      &before, &err), 0);
	want = before;  /* the entries as read, identities and all */
	site_releases_add(&want, 2, 2024, "2026-11-24",
			  "Brent's \"return\" <resubmitted> \xE2\x82\xAC");
	json = site_releases_json(&want, &err);
	assert_non_null(json);
	put(dir, "new.json", json);
	free(json);
	snprintf(path, sizeof(path), "%s/new.json", dir);
	assert_int_equal(site_releases_verify(path, dir, &want, 1, &err), 0);

	/* a list that lost release 1 is caught */
	put(dir, "short.json", "{\"latest\": 2, \"releases\": [{\"release\": 2, "
	    "\"year\": 2024, \"date\": \"2026-11-24\"}]}");
	snprintf(path, sizeof(path), "%s/short.json", dir);
	assert_int_equal(site_releases_verify(path, dir, &want, 1, &err), -1);
	assert_non_null(strstr(err.message, "holds 1 releases, not 2"));

	/* release 1 replaced since the list was read (the old one kept aside,
	 * so that the new one cannot take its inode) */
	snprintf(path, sizeof(path), "%s/releases/1", dir);
	snprintf(old, sizeof(old), "%s/releases/old", dir);
	assert_int_equal(rename(path, old), 0);
	make_dir(dir, "releases/1");
	snprintf(path, sizeof(path), "%s/new.json", dir);
	assert_int_equal(site_releases_verify(path, dir, &want, 1, &err), -1);
	assert_non_null(strstr(err.message, "/releases/1 is not the directory "
			       "it was"));

	/* a release named but missing */
	snprintf(path, sizeof(path), "%s/releases/2", dir);
	assert_int_equal(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/new.json", dir);
	assert_int_equal(site_releases_verify(path, dir, &want, 0, &err), -1);
	assert_non_null(strstr(err.message, "/releases/2 is not a directory"));
	site_releases_free(&want);
	remove_all(dir);
}

static void test_text_checked(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;

	(void)state;
	assert_int_equal(site_text_check("--correction", "fix \xC2\xA3" "5 "
					 "\xE2\x80\x94 line\nand\ttab", &err),
			 0);
	assert_int_equal(site_text_check("--correction", "fix \xA3", &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);
	assert_string_equal(err.message,
			    "--correction is not UTF-8 text: byte 5 (0xa3) does "
			    "not begin a UTF-8 character (was it typed in "
			    "another encoding?); nothing was written");
	assert_int_equal(site_text_check("--correction", "bell\a", &err), -1);
	assert_non_null(strstr(err.message, "control character (U+0007) at "
			       "byte 5"));
	assert_int_equal(site_text_check("--correction", "c1 \xC2\x9B", &err),
			 -1);
	assert_int_equal(site_text_check("--correction", "\xEF\xBF\xBE", &err),
			 -1);
	assert_non_null(strstr(err.message, "U+FFFE"));

	assert_true(site_date_valid("2026-11-23"));
	assert_true(site_date_valid("2024-02-29"));
	assert_false(site_date_valid("2023-02-29"));
	assert_false(site_date_valid("2026-13-01"));
	assert_false(site_date_valid("2026-1\xA3-01"));
	assert_false(site_date_valid("2026-11-2"));
	assert_false(site_date_valid("20261123xx"));
	assert_false(site_date_valid(NULL));
}

static void test_removal_only_what_is_listed(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char dir[] = "/tmp/parity-site-release-XXXXXX", copy[PATH_MAX];
	char outside[PATH_MAX], path[PATH_MAX];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(copy, sizeof(copy), "%s/copy", dir);
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	make_dir(dir, "copy");
	make_dir(dir, "outside");
	make_dir(dir, "copy/boroughs");
	put(dir, "outside/w.csv", "the user's");
	put(dir, "outside/keep.txt", "the user's");
	put(dir, "copy/index.html", "parity's");
	put(dir, "copy/index.html.tmp", "parity's, left by a kill");
	put(dir, "copy/boroughs/brent.html", "parity's");
	put(dir, "copy/boroughs/notes.txt", "the user's");
	/* downloads is a link to a folder of the user's */
	snprintf(path, sizeof(path), "%s/copy/downloads", dir);
	assert_int_equal(symlink("../outside", path), 0);
	put(dir, "copy/" SITE_MANIFEST, "index.html\nboroughs/brent.html\n"
	    "downloads/w.csv\n../outside/keep.txt\n/etc/hostname\n");

	assert_int_equal(site_remove_listed(copy, &err), 1);
	assert_false(exists(dir, "copy/index.html"));
	assert_false(exists(dir, "copy/index.html.tmp"));
	assert_false(exists(dir, "copy/boroughs/brent.html"));
	assert_false(exists(dir, "copy/" SITE_MANIFEST));
	assert_true(exists(dir, "copy/boroughs/notes.txt"));
	assert_true(exists(dir, "copy/downloads"));      /* the link stays */
	assert_true(exists(dir, "outside/w.csv"));       /* not through it */
	assert_true(exists(dir, "outside/keep.txt"));

	/* with nothing of the user's, the copy goes entirely */
	snprintf(path, sizeof(path), "%s/copy/downloads", dir);
	assert_int_equal(unlink(path), 0);
	put(dir, "copy/boroughs/brent.html", "parity's");
	put(dir, "copy/" SITE_MANIFEST, "boroughs/brent.html\n"
	    "boroughs/notes.txt\n");
	assert_int_equal(site_remove_listed(copy, &err), 0);
	assert_false(exists(dir, "copy"));
	/* no manifest: nothing is removed; a link is never a copy */
	make_dir(dir, "copy");
	put(dir, "copy/index.html", "someone's");
	assert_int_equal(site_remove_listed(copy, &err), 1);
	assert_true(exists(dir, "copy/index.html"));
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink("copy", path), 0);
	assert_int_equal(site_remove_listed(path, &err), 1);
	assert_true(exists(dir, "copy/index.html"));
	snprintf(path, sizeof(path), "%s/absent", dir);
	assert_int_equal(site_remove_listed(path, &err), 0);
	(void)outside;
	remove_all(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_read_in_range),
		cmocka_unit_test(test_next_number_never_overflows),
		cmocka_unit_test(test_written_list_is_proved),
		cmocka_unit_test(test_text_checked),
		cmocka_unit_test(test_removal_only_what_is_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
