/*
 * test_html.c - the site's HTML: escaping, the page skeleton's landmarks,
 * and tables from a tidy table (caption, scopes, [c] for withheld figures
 * with its note, never 0 or a blank).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "site/html.h"
#include "table/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static struct tidy_row *add(struct tidy_table *t, const char *group,
			    double value, double lo, double hi, double num,
			    double den)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, "representation_ratio");
	r->area_code = tidy_table_intern(t, "E09000005");
	r->area_name = tidy_table_intern(t, "Brent");
	r->area_type = tidy_table_intern(t, "borough");
	r->year = 2024;
	r->ethnicity = tidy_table_intern(t, group);
	r->ethnicity_level = tidy_table_intern(t, "high");
	r->value = value;
	r->ci_low = lo;
	r->ci_high = hi;
	r->numerator = num;
	r->denominator = den;
	return r;
}

static void test_escape_covers_markup_and_quotes(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	html_escape(&sb, "<b>\"Tom\" & 'Jerry'</b>");
	assert_string_equal(sb.buf, "&lt;b&gt;&quot;Tom&quot; &amp; "
				    "&#39;Jerry&#39;&lt;/b&gt;");
	html_escape(&sb, NULL);
	assert_int_equal(sb.len, strlen("&lt;b&gt;&quot;Tom&quot; &amp; "
					 "&#39;Jerry&#39;&lt;/b&gt;"));
	strbuf_release(&sb);
}

static void test_page_has_landmarks_one_h1_and_escapes_title(void **state)
{
	static const struct html_nav_item nav[] = {
		{ "index.html", "Overview" }, { "downloads.html", "Downloads" },
	};
	struct strbuf sb = STRBUF_INIT;
	struct html_page page;

	(void)state;
	memset(&page, 0, sizeof(page));
	page.title = "Barking & Dagenham";
	page.root = "../";
	page.current = "index.html";
	page.nav = nav;
	page.nnav = 2;
	html_page_begin(&sb, &page);
	strbuf_addstr(&sb, "<p>content</p>\n");
	html_page_end(&sb, &page);
	assert_non_null(strstr(sb.buf, "<html lang=\"en-GB\""));
	assert_non_null(strstr(sb.buf, "href=\"#main-content\""));
	assert_non_null(strstr(sb.buf, "<main class=\"govuk-main-wrapper\" "
				       "id=\"main-content\">"));
	assert_non_null(strstr(sb.buf, "<header"));
	assert_non_null(strstr(sb.buf, "<nav"));
	assert_non_null(strstr(sb.buf, "<footer"));
	assert_int_equal(count(sb.buf, "<h1"), 1);
	assert_non_null(strstr(sb.buf, "<h1 class=\"govuk-heading-xl\">Barking "
				       "&amp; Dagenham</h1>"));
	assert_non_null(strstr(sb.buf, "href=\"../parity.css\""));
	assert_non_null(strstr(sb.buf, "href=\"../index.html\" "
				       "aria-current=\"page\""));
	assert_null(strstr(sb.buf, "Correction"));
	assert_null(strstr(sb.buf, "BAME"));
	assert_null(strstr(sb.buf, "<script"));
	strbuf_release(&sb);
}

static void test_correction_notice_is_shown(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct html_page page;

	(void)state;
	memset(&page, 0, sizeof(page));
	page.title = "London";
	page.root = "";
	page.correction = "Brent's <return> was resubmitted.";
	page.corrections_href = "corrections.html";
	html_page_begin(&sb, &page);
	assert_non_null(strstr(sb.buf, "id=\"correction-title\">Correction"));
	assert_non_null(strstr(sb.buf, "Brent&#39;s &lt;return&gt; was "
				       "resubmitted."));
	assert_non_null(strstr(sb.buf, "href=\"corrections.html\""));
	/* The notice comes before the h1, so it is read first. */
	assert_true(strstr(sb.buf, "Correction") < strstr(sb.buf, "<h1"));
	strbuf_release(&sb);
}

static void test_table_caption_scopes_and_withheld(void **state)
{
	static const enum html_column cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR,
	};
	static const char *const heads[] = {
		"Group", "Ratio", "95% interval", "Staff", "Declared",
	};
	struct html_table_spec spec = { "Representation <Brent>", cols, heads,
					5, "rep" };
	struct tidy_table t;
	struct tidy_row *r;
	struct strbuf sb = STRBUF_INIT;
	const char *withheld_row;

	(void)state;
	tidy_table_init(&t);
	add(&t, "White", 1.02, 0.98, 1.06, 400, 700);
	r = add(&t, "Other ethnic group", NAN, NAN, NAN, NAN, NAN);
	r->withheld = (1u << TIDY_VALUE) | (1u << TIDY_NUMERATOR) |
		      (1u << TIDY_DENOMINATOR) | (1u << TIDY_CI_LOW) |
		      (1u << TIDY_CI_HIGH);
	r->flag = tidy_table_intern(&t, "suppressed");
	html_table(&sb, &t, NULL, 0, &spec);

	assert_non_null(strstr(sb.buf, "<caption class=\"govuk-table__caption "
				       "govuk-table__caption--m parity-table-"
				       "caption\" id=\"rep-caption\">"
				       "Representation &lt;Brent&gt;</caption>"));
	/* In a scroll region a keyboard reaches, named by the caption. */
	assert_non_null(strstr(sb.buf, "<div class=\"parity-table-wrap\" "
				       "role=\"region\" tabindex=\"0\" "
				       "aria-labelledby=\"rep-caption\">"));
	assert_non_null(strstr(sb.buf, "</table>\n</div>\n"));
	assert_non_null(strstr(sb.buf, "id=\"rep\""));
	assert_int_equal(count(sb.buf, "<th scope=\"col\""), 5);
	assert_int_equal(count(sb.buf, "<th scope=\"row\""), 2);
	assert_non_null(strstr(sb.buf, ">0.98 to 1.06<"));
	assert_non_null(strstr(sb.buf, ">400<"));
	/* The withheld row: [c] in every figure, never 0 and never blank. */
	withheld_row = strstr(sb.buf, "Other ethnic group");
	assert_non_null(withheld_row);
	assert_int_equal(count(withheld_row, ">[c]<"), 4);
	assert_null(strstr(withheld_row, ">0<"));
	assert_null(strstr(sb.buf, "\"></td>"));
	assert_non_null(strstr(sb.buf, HTML_WITHHELD_NOTE));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

static void test_table_without_withheld_has_no_note(void **state)
{
	static const enum html_column cols[] = { HTML_COL_GROUP,
						 HTML_COL_INTERVAL };
	static const char *const heads[] = { "Group", "95% interval" };
	struct html_table_spec spec = { "Caption", cols, heads, 2, NULL };
	struct tidy_table t;
	struct strbuf sb = STRBUF_INIT;
	size_t rows[1] = { 0 };

	(void)state;
	tidy_table_init(&t);
	add(&t, "Mixed or Multiple ethnic groups", 1.1, NAN, NAN, 5, 6);
	add(&t, "White", 1.0, 0.9, 1.1, 5, 6);
	html_table(&sb, &t, rows, 1, &spec);
	/* A missing interval is said in words, not left blank. */
	assert_non_null(strstr(sb.buf, ">not available<"));
	assert_null(strstr(sb.buf, "White"));
	assert_null(strstr(sb.buf, "[c]"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

/* A detailed group under its high-level group: its row header indented,
 * named short, its parent kept for screen readers; still one table with a
 * header on every row. */
static void test_nested_rows(void **state)
{
	static const enum html_column cols[] = { HTML_COL_GROUP,
						 HTML_COL_VALUE };
	static const char *const heads[] = { "Group", "Staff" };
	struct html_table_spec spec = { "Staff by ethnic group, Brent, 2024",
					cols, heads, 2, NULL };
	static const unsigned char depth[] = { 0, 1, 1 };
	struct tidy_table t;
	struct tidy_row *r;
	struct strbuf sb = STRBUF_INIT;
	const char *roma;

	(void)state;
	tidy_table_init(&t);
	add(&t, "White", 152, NAN, NAN, NAN, NAN);
	add(&t, "White: Other White", 30, NAN, NAN, NAN, NAN);
	r = add(&t, "White: Roma", NAN, NAN, NAN, NAN, NAN);
	r->withheld = 1u << TIDY_VALUE;
	html_table_nested(&sb, &t, NULL, depth, 3, &spec);
	assert_int_equal(count(sb.buf, "<th scope=\"row\""), 3);
	assert_int_equal(count(sb.buf, "parity-table__row--child"), 2);
	assert_int_equal(count(sb.buf, "class=\"govuk-table__header "
				       "parity-table__child\""), 2);
	/* the parent's row is not indented, and is named in full */
	assert_non_null(strstr(sb.buf, "<th scope=\"row\" class=\"govuk-"
				       "table__header\">White</th>"));
	roma = strstr(sb.buf, "<span class=\"govuk-visually-hidden\">White: "
			      "</span>Roma</th>");
	assert_non_null(roma);
	assert_non_null(strstr(roma, ">[c]<"));
	assert_non_null(strstr(sb.buf, HTML_WITHHELD_NOTE));
	strbuf_reset(&sb);
	/* html_table() nests nothing */
	html_table(&sb, &t, NULL, 0, &spec);
	assert_null(strstr(sb.buf, "parity-table__child"));
	assert_non_null(strstr(sb.buf, ">White: Roma</th>"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

static void test_figures_read_in_their_units(void **state)
{
	struct tidy_table t;
	struct tidy_row *r;
	char buf[64];

	(void)state;
	tidy_table_init(&t);
	r = add(&t, "White", 1.2345, NAN, NAN, 1234567, NAN);
	html_format_figure(r, TIDY_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "1.23");
	html_format_figure(r, TIDY_NUMERATOR, buf, sizeof(buf));
	assert_string_equal(buf, "1,234,567");
	r->measure = tidy_table_intern(&t, "not_known_rate");
	r->value = 11.65;
	html_format_figure(r, TIDY_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "11.7%");
	r->p_value = 0.0001;
	html_format_figure(r, TIDY_P_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "<0.001");
	r->withheld = 1u << TIDY_VALUE;
	html_format_figure(r, TIDY_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "[c]");
	/* Units come from the registry of measures: a pay gap's operands
	 * are pounds, a funnel position reads as the measure it places. */
	r = add(&t, "Black", 12.5, NAN, NAN, 14.255, 16.3);
	r->measure = tidy_table_intern(&t, "median_pay_gap");
	html_format_figure(r, TIDY_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "12.5%");
	html_format_figure(r, TIDY_NUMERATOR, buf, sizeof(buf));
	assert_string_equal(buf, "\xC2\xA3" "14.26");
	html_format_figure(r, TIDY_DENOMINATOR, buf, sizeof(buf));
	assert_string_equal(buf, "\xC2\xA3" "16.30");
	r->measure = tidy_table_intern(&t, "funnel_position");
	r->breakdown = tidy_table_intern(&t, "not_known_rate");
	r->denominator = 1234;
	html_format_figure(r, TIDY_NUMERATOR, buf, sizeof(buf));
	assert_string_equal(buf, "14.3%");
	html_format_figure(r, TIDY_DENOMINATOR, buf, sizeof(buf));
	assert_string_equal(buf, "1,234");
	tidy_table_free(&t);
}

/* A figure published as an upper bound shows '<' and the bound. */
static void test_bound_shows_less_than(void **state)
{
	static const enum html_column cols[] = { HTML_COL_GROUP,
						 HTML_COL_VALUE };
	static const char *const heads[] = { "Group", "Ratio" };
	struct html_table_spec spec = { "Caption", cols, heads, 2, NULL };
	struct tidy_table t;
	struct tidy_row *r;
	struct strbuf sb = STRBUF_INIT;
	char buf[64];

	(void)state;
	tidy_table_init(&t);
	r = add(&t, "White", 0.05, NAN, NAN, NAN, NAN);
	r->below = 1u << TIDY_VALUE;
	r->p_value = 0.001;
	r->below |= 1u << TIDY_P_VALUE;
	html_format_figure(r, TIDY_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "<0.05");
	html_format_figure(r, TIDY_P_VALUE, buf, sizeof(buf));
	assert_string_equal(buf, "<0.001");
	html_table(&sb, &t, NULL, 0, &spec);
	assert_non_null(strstr(sb.buf, ">&lt;0.05<"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_covers_markup_and_quotes),
		cmocka_unit_test(test_page_has_landmarks_one_h1_and_escapes_title),
		cmocka_unit_test(test_correction_notice_is_shown),
		cmocka_unit_test(test_table_caption_scopes_and_withheld),
		cmocka_unit_test(test_table_without_withheld_has_no_note),
		cmocka_unit_test(test_nested_rows),
		cmocka_unit_test(test_figures_read_in_their_units),
		cmocka_unit_test(test_bound_shows_less_than),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
