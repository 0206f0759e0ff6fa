/*
 * test_diag.c - located problems are kept, counted and shown as one line
 * that is safe to print on a terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"

#include <string.h>

static void test_format_gives_the_location(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	char line[256];

	(void)state;
	diag_add(&d, DIAG_ERROR, "brent.csv", 12, 3, "salary '%s' is not "
		 "a number", "lots");
	diag_add(&d, DIAG_WARNING, "brent.csv", 0, 0, "the file is empty");
	diag_add(&d, DIAG_ERROR, NULL, 0, 0, "no rows");
	diag_format(&d.items[0], line, sizeof(line));
	assert_string_equal(line,
			    "brent.csv:12:3: salary 'lots' is not a number");
	diag_format(&d.items[1], line, sizeof(line));
	assert_string_equal(line, "brent.csv: warning: the file is empty");
	diag_format(&d.items[2], line, sizeof(line));
	assert_string_equal(line, "no rows");
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 1);
	diag_list_release(&d);
}

/* A crafted file name set a terminal's title and cleared its screen, and
 * a value quoted in a message could carry a C1 CSI or a bidi override. */
static void test_format_makes_controls_visible(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	char line[256];

	(void)state;
	diag_add(&d, DIAG_ERROR, "x\x1b]0;owned\x07\x1b[2J.csv", 2, 1,
		 "ethnicity '%s' is not known", "\xC2\x9B" "2J\x7f");
	diag_add(&d, DIAG_WARNING, "caf\xC3\xA9\xE2\x80\xAE.csv", 3, 0,
		 "grade '%s'", "\xE2\x81\xA6" "\xC2\xA3" "5\n");
	diag_format(&d.items[0], line, sizeof(line));
	assert_string_equal(line, "x\\x1b]0;owned\\x07\\x1b[2J.csv:2:1: "
				  "ethnicity '\\u009b2J\\x7f' is not known");
	diag_format(&d.items[1], line, sizeof(line));
	assert_string_equal(line, "caf\xC3\xA9\\u202e.csv:3: warning: grade "
				  "'\\u2066\xC2\xA3" "5\\x0a'");
	diag_list_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_gives_the_location),
		cmocka_unit_test(test_format_makes_controls_visible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
