/*
 * test_atomic_file.c - a file replaced whole or not at all
 * (base/atomic_file.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/atomic_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/parity-atomic-XXXXXX";

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void path_in(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

/* The new file takes the target's place, and no temporary is left. */
static void test_commit_replaces_the_target(void **state)
{
	char temp[128], target[128];

	(void)state;
	path_in(temp, sizeof(temp), "report.csv.tmp");
	path_in(target, sizeof(target), "report.csv");
	write_text(target, "old\n");
	write_text(temp, "new\n");
	assert_int_equal(atomic_file_commit(temp, target, true), 0);
	assert_string_equal(read_text(target), "new\n");
	assert_int_equal(access(temp, F_OK), -1);
	unlink(target);
}

/* A temporary that is not a regular file of ours (a link, or nothing)
 * is refused: the target stays as it was. */
static void test_failure_leaves_the_target(void **state)
{
	char temp[128], target[128], other[128];

	(void)state;
	path_in(temp, sizeof(temp), "site.html.tmp");
	path_in(target, sizeof(target), "site.html");
	path_in(other, sizeof(other), "someone-else.html");
	write_text(target, "old\n");
	write_text(other, "theirs\n");
	assert_int_equal(symlink(other, temp), 0);
	assert_int_equal(atomic_file_commit(temp, target, false), ELOOP);
	assert_string_equal(read_text(target), "old\n");
	assert_string_equal(read_text(other), "theirs\n");
	assert_int_equal(access(temp, F_OK), -1);
	assert_int_equal(atomic_file_commit(temp, target, false), ENOENT);
	assert_string_equal(read_text(target), "old\n");
	unlink(target);
	unlink(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_replaces_the_target),
		cmocka_unit_test(test_failure_leaves_the_target),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
