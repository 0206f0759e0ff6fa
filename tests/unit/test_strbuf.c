/*
 * test_strbuf.c - growable strings keep their invariants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/strbuf.h"

#include <stdlib.h>
#include <string.h>

static void test_init_is_empty_and_terminated(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_appends_and_formats(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	int k;

	(void)state;
	strbuf_addstr(&sb, "Brent");
	strbuf_addch(&sb, ':');
	strbuf_addf(&sb, " %d staff, %.1f%%", 2400, 36.84);
	assert_string_equal(sb.buf, "Brent: 2400 staff, 36.8%");
	assert_int_equal(sb.len, strlen(sb.buf));
	for (k = 0; k < 1000; k++)
		strbuf_addstr(&sb, "0123456789");
	assert_int_equal(sb.len, 24 + 10000);
	assert_int_equal(sb.buf[sb.len], '\0');
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_detach_hands_over_storage(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *s;

	(void)state;
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	strbuf_addstr(&sb, "Outer London");
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "Outer London");
	assert_int_equal(len, 12);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty_and_terminated),
		cmocka_unit_test(test_appends_and_formats),
		cmocka_unit_test(test_detach_hands_over_storage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
