/*
 * test_textsafe.c - text shown on a terminal cannot act on it, and a CSV
 * cell cannot be a spreadsheet formula, while ordinary text and numbers
 * pass unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/textsafe.h"
#include "table/render.h"
#include "table/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* textsafe_terminal_append() of a whole string, one line. */
static void visible(const char *s, bool keep_newlines, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;

	textsafe_terminal_append(&sb, s, strlen(s), keep_newlines);
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

static void test_ordinary_text_is_unchanged(void **state)
{
	static const char *const texts[] = {
		"workforce-brent-2024.csv",
		"Caf\xC3\xA9 \xC2\xA3" "52,340 \xE2\x82\xAC",  /* é £ € */
		"Asian or Asian British: Indian",
		"\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80", /* CJK, emoji */
		"a\\b 'quoted' \"double\" ~",
		"",
	};
	char buf[256];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		visible(texts[k], false, buf, sizeof(buf));
		assert_string_equal(buf, texts[k]);
		assert_true(textsafe_terminal_is_plain(texts[k]));
	}
}

static void test_controls_are_made_visible(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		/* ESC: a window title and a cleared screen */
		{ "x\x1b]0;owned\x07y\x1b[2J", "x\\x1b]0;owned\\x07y\\x1b[2J" },
		{ "tab\there\r\n", "tab\\x09here\\x0d\\x0a" },
		{ "del\x7f", "del\\x7f" },
		/* C1 controls, encoded as UTF-8: U+009B is CSI */
		{ "\xC2\x9B" "2J", "\\u009b2J" },
		{ "\xC2\x80\xC2\x9F", "\\u0080\\u009f" },
		/* bidi overrides and isolates, marks, separators */
		{ "evil\xE2\x80\xAE" "fdp.exe", "evil\\u202efdp.exe" },
		{ "\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD",
		  "\\u202a\\u202b\\u202c\\u202d" },
		{ "\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9",
		  "\\u2066\\u2067\\u2068\\u2069" },
		{ "\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", "\\u200e\\u200f\\u061c" },
		{ "line\xE2\x80\xA8" "break", "line\\u2028break" },
		/* malformed UTF-8: a lone CSI byte, a cut sequence, overlong,
		 * a surrogate */
		{ "\x9b" "2J", "\\x9b2J" },
		{ "cut\xE2\x80", "cut\\xe2\\x80" },
		{ "\xC0\x9B", "\\xc0\\x9b" },
		{ "\xED\xA0\x80", "\\xed\\xa0\\x80" },
	};
	char buf[256];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		visible(cases[k].in, false, buf, sizeof(buf));
		assert_string_equal(buf, cases[k].out);
		assert_false(textsafe_terminal_is_plain(cases[k].in));
	}
}

static void test_a_view_keeps_its_line_breaks(void **state)
{
	char buf[128];

	(void)state;
	visible("title\x1b[2J\nrow\n", true, buf, sizeof(buf));
	assert_string_equal(buf, "title\\x1b[2J\nrow\n");
}

static void test_copy_cuts_at_a_character_boundary(void **state)
{
	char buf[8];

	(void)state;
	/* "ab£££" is 8 bytes: 7 fit, which would cut the last £ */
	textsafe_terminal_copy(buf, sizeof(buf), "ab\xC2\xA3\xC2\xA3\xC2\xA3");
	assert_string_equal(buf, "ab\xC2\xA3\xC2\xA3");
	textsafe_terminal_copy(buf, sizeof(buf), "\x1b[2J");
	assert_string_equal(buf, "\\x1b[2J");
	textsafe_terminal_copy(buf, 1, "anything");
	assert_string_equal(buf, "");
}

static void test_formulas_are_recognised(void **state)
{
	static const char *const formulas[] = {
		"=1+1", "+cmd", "-cmd", "@SUM(1+1)",
		"=HYPERLINK(\"http://example.com/?\"&A1,\"click\")",
		"\t=1", "\r=1", "-", "+", "-1+1", "-2e", "=-3.5",
	};
	static const char *const not_formulas[] = {
		"-3.5", "+2", "-1e-05", "12", "0.75", "-.5", "Brent",
		"", " =1", "'=1", "a=1", "2023-24", "[c]", "<0.001",
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(formulas) / sizeof(formulas[0]); k++)
		assert_true(textsafe_csv_is_formula(formulas[k]));
	for (k = 0; k < sizeof(not_formulas) / sizeof(not_formulas[0]); k++)
		assert_false(textsafe_csv_is_formula(not_formulas[k]));
}

static void test_csv_fields_are_quoted_and_neutralised(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Brent", "Brent" },
		{ "Finance, audit and risk", "\"Finance, audit and risk\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "=1+1", "'=1+1" },
		{ "@SUM(1+1)", "'@SUM(1+1)" },
		{ "+cmd", "'+cmd" },
		{ "=HYPERLINK(\"http://x\",\"y\")",
		  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
		{ "\r=1", "\"'\r=1\"" },
		{ "-3.5", "-3.5" },
		{ "'quoted", "''quoted" },
		{ "'=1", "''=1" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		strbuf_reset(&sb);
		textsafe_csv_append(&sb, cases[k].in);
		assert_string_equal(sb.buf, cases[k].out);
	}
	strbuf_release(&sb);
}

/* One leading quote is always the guard, so dropping it gives back the
 * text exactly: a reader cannot confuse a guard with a quote typed. */
static void test_guard_is_undone_exactly(void **state)
{
	static const char *const texts[] = {
		"Brent", "=1+1", "'=1+1", "''", "'", "-cmd", "-3.5", "",
		"@SUM(1+1)", "'quoted",
	};
	struct strbuf sb = STRBUF_INIT;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		strbuf_reset(&sb);
		textsafe_csv_append(&sb, texts[k]); /* none needs CSV quotes */
		assert_string_equal(textsafe_csv_unguard(sb.buf), texts[k]);
	}
	strbuf_release(&sb);
}

/* What `fn` writes to a FILE, as a string the caller frees. */
static char *written(void (*fn)(FILE *, void *), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void write_fields(FILE *f, void *arg)
{
	const char *const *fields = arg;

	for (; *fields; fields++) {
		csv_write_field(f, *fields);
		fputc('|', f);
	}
}

static void write_table(FILE *f, void *arg)
{
	struct parity_error err = PARITY_ERROR_INIT;

	assert_int_equal(table_write_csv(arg, f, &err), 0);
}

/* The CSV writers of render.h neutralise text, never figures. */
static void test_csv_writers_neutralise_text_not_figures(void **state)
{
	const char *fields[] = { "=1+1", "-cmd", "-3.5", "label", NULL };
	struct tidy_table t;
	struct tidy_row *r;
	char *out;

	(void)state;
	out = written(write_fields, fields);
	assert_string_equal(out, "'=1+1|'-cmd|-3.5|label|");
	free(out);

	tidy_table_init(&t);
	r = tidy_table_add_row(&t);
	r->measure = tidy_table_intern(&t, "rri");
	r->area_code = tidy_table_intern(&t, "E09000005");
	r->area_name = tidy_table_intern(&t, "Brent");
	r->area_type = tidy_table_intern(&t, "borough");
	r->year = 2024;
	r->ethnicity = tidy_table_intern(&t, "@SUM(1+1)");
	r->breakdown = tidy_table_intern(&t, "=HYPERLINK(\"http://x\")");
	r->value = -3.5;
	r->numerator = -12;
	r->note = tidy_table_intern(&t, "+cmd");
	out = written(write_table, &t);
	assert_non_null(strstr(out, "\nrri,E09000005,Brent,borough,2024,"
				    "'@SUM(1+1),,"
				    "\"'=HYPERLINK(\"\"http://x\"\")\","
				    "-3.5,-12,,,,,,'+cmd\n"));
	free(out);
	tidy_table_free(&t);
}

/* A value quoted in a message: cut at a character, never inside one, and
 * on one line. */
static void test_values_are_quoted_for_messages(void **state)
{
	char out[64];

	(void)state;
	textsafe_quote("Brent", 40, out, sizeof(out));
	assert_string_equal(out, "Brent");
	textsafe_quote("caf\xc3\xa9 caf\xc3\xa9", 5, out, sizeof(out));
	assert_string_equal(out, "caf\xc3\xa9 ...");
	textsafe_quote("a\tb\nc", 40, out, sizeof(out));
	assert_string_equal(out, "a?b?c");
	textsafe_quote("0123456789", 40, out, 8);
	assert_string_equal(out, "0123");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary_text_is_unchanged),
		cmocka_unit_test(test_controls_are_made_visible),
		cmocka_unit_test(test_a_view_keeps_its_line_breaks),
		cmocka_unit_test(test_copy_cuts_at_a_character_boundary),
		cmocka_unit_test(test_formulas_are_recognised),
		cmocka_unit_test(test_csv_fields_are_quoted_and_neutralised),
		cmocka_unit_test(test_guard_is_undone_exactly),
		cmocka_unit_test(test_values_are_quoted_for_messages),
		cmocka_unit_test(test_csv_writers_neutralise_text_not_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
