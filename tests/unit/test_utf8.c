/*
 * test_utf8.c - the UTF-8 check: well-formed text of 1 to 4 bytes a
 * character passes; a lone Latin-1 byte (the '£' of a correction note
 * typed in a Latin-1 terminal), a cut-short sequence, overlong forms,
 * surrogates and code points above U+10FFFF fail, at the right offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/utf8.h"

#include <string.h>

static void test_well_formed(void **state)
{
	static const char *const good[] = {
		"", "fix", "fix \xC2\xA3 5", "caf\xC3\xA9",
		"\xE2\x82\xAC 10", "\xED\x9F\xBF", "\xEE\x80\x80",
		"\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "tab\there\nline",
	};
	size_t k, bad = 99;
	uint32_t cp;

	(void)state;
	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++)
		assert_true(utf8_valid(good[k], strlen(good[k]), &bad));
	assert_int_equal(bad, 99);
	assert_int_equal(utf8_decode("\xC2\xA3", 2, &cp), 2);
	assert_int_equal(cp, 0xA3);
	assert_int_equal(utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
}

static void test_malformed_at_offset(void **state)
{
	static const struct {
		const char *text;
		size_t bad;
	} cases[] = {
		{ "fix \xA3", 4 },               /* Latin-1 pound sign */
		{ "\x80", 0 },                   /* a lone continuation */
		{ "ab\xC2", 2 },                 /* cut short */
		{ "ab\xE2\x82", 2 },
		{ "\xC0\xAF", 0 },               /* overlong '/' */
		{ "\xC1\xBF", 0 },
		{ "\xE0\x80\xAF", 0 },           /* overlong, 3 bytes */
		{ "\xF0\x80\x80\xAF", 0 },       /* overlong, 4 bytes */
		{ "x\xED\xA0\x80", 1 },          /* surrogate U+D800 */
		{ "\xF4\x90\x80\x80", 0 },       /* U+110000 */
		{ "\xF5\x80\x80\x80", 0 },
		{ "\xFF", 0 },
		{ "ok\xC3\xA9\xC3(", 4 },        /* second byte not 80-BF */
		{ "\xE2\x82\x41", 0 },           /* third byte not 80-BF */
	};
	size_t k, bad;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		bad = 99;
		assert_false(utf8_valid(cases[k].text, strlen(cases[k].text),
					&bad));
		assert_int_equal(bad, cases[k].bad);
	}
	assert_false(utf8_valid("\xA3", 1, NULL));
}

/* Lengths of labels and ids are in characters, not bytes. */
static void test_length_in_characters(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("Black African"), 13);
	assert_int_equal(utf8_length("Roma \xE2\x80\x93 Gypsy"), 12);
	assert_int_equal(utf8_length("Ng\xC3\xB4 \xF0\x9F\x99\x82"), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_malformed_at_offset),
		cmocka_unit_test(test_length_in_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
