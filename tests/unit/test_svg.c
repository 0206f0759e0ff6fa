/*
 * test_svg.c - the site's charts: a text alternative (role, title, desc),
 * intervals drawn, withheld figures written [c] and never drawn as 0, and
 * markers whose shape repeats what their colour says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "site/svg.h"
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

static struct tidy_row *add(struct tidy_table *t, const char *measure,
			    const char *area, const char *group, double value,
			    double lo, double hi, double den, const char *flag)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_name = tidy_table_intern(t, area);
	r->ethnicity = tidy_table_intern(t, group);
	r->value = value;
	r->ci_low = lo;
	r->ci_high = hi;
	r->denominator = den;
	r->flag = tidy_table_intern(t, flag);
	return r;
}

static void test_dot_whisker_structure(void **state)
{
	struct svg_chart chart = { "rep", "Representation <ratio>",
				   "Each group's ratio & interval",
				   "Ratio", 1, SVG_LABEL_GROUP, false, NULL,
				   false };
	struct tidy_table t;
	struct tidy_row *r;
	struct strbuf sb = STRBUF_INIT;
	size_t rows[4] = { 0, 1, 2, 3 };

	(void)state;
	tidy_table_init(&t);
	add(&t, "representation_ratio", "Brent", "White", 1.0, 0.95, 1.05, 0,
	    "");
	add(&t, "representation_ratio", "Brent", "Asian", 0.6, 0.5, 0.7, 0,
	    "under");
	add(&t, "representation_ratio", "Brent", "Black", 1.5, 1.3, 1.7, 0,
	    "over");
	r = add(&t, "representation_ratio", "Brent", "Other", NAN, NAN, NAN,
		0, "suppressed");
	r->withheld = (1u << TIDY_VALUE) | (1u << TIDY_CI_LOW) |
		      (1u << TIDY_CI_HIGH);
	svg_dot_whisker(&sb, &t, rows, 4, &chart);

	assert_non_null(strstr(sb.buf, "role=\"img\""));
	assert_non_null(strstr(sb.buf, "aria-labelledby=\"rep-title rep-desc\""));
	assert_non_null(strstr(sb.buf, "<title id=\"rep-title\">Representation "
				       "&lt;ratio&gt;</title>"));
	assert_non_null(strstr(sb.buf, "<desc id=\"rep-desc\">Each group&#39;s "
				       "ratio &amp; interval</desc>"));
	/* One interval per figure that has one; none for the withheld. */
	/* each chart twice: for wide screens and narrow */
	assert_int_equal(count(sb.buf, "class=\"parity-interval\""), 6);
	/* Shapes: a circle, a triangle down, a triangle up. */
	assert_int_equal(count(sb.buf, "class=\"parity-marker\""), 2);
	assert_int_equal(count(sb.buf, "class=\"parity-marker-down\""), 2);
	assert_int_equal(count(sb.buf, "class=\"parity-marker-up\""), 2);
	assert_non_null(strstr(sb.buf, SVG_VERMILLION));
	assert_non_null(strstr(sb.buf, SVG_BLUE));
	/* The withheld figure is written [c], not drawn. */
	assert_non_null(strstr(sb.buf, "[c] withheld</text>"));
	assert_non_null(strstr(sb.buf, "class=\"parity-reference\""));
	/* Every label is text. */
	assert_non_null(strstr(sb.buf, ">Asian</text>"));
	assert_null(strstr(sb.buf, "<script"));
	assert_non_null(strstr(sb.buf, "</svg>"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

static void test_funnel_structure(void **state)
{
	static const double x[3] = { 10, 100, 1000 };
	static const double lo[3] = { 2, 6, 8 }, hi[3] = { 18, 14, 12 };
	struct svg_funnel_curves curves = { x, lo, hi, NULL, NULL, 3 };
	struct svg_chart chart = { "nk", "Not known by borough",
				   "Funnel plot of 3 boroughs", "Share (%)",
				   10, SVG_LABEL_AREA, false, NULL, false };
	struct tidy_table t;
	struct tidy_row *r;
	struct strbuf sb = STRBUF_INIT;
	size_t rows[3] = { 0, 1, 2 };

	(void)state;
	tidy_table_init(&t);
	add(&t, "funnel_position", "Brent", "Not known", 9.5, 7, 13, 500,
	    "within");
	add(&t, "funnel_position", "Camden", "Not known", 20, 7.5, 12.5, 800,
	    "above_99.8");
	r = add(&t, "funnel_position", "Sutton", "Not known", NAN, NAN, NAN,
		NAN, "suppressed");
	r->withheld = (1u << TIDY_VALUE) | (1u << TIDY_DENOMINATOR);
	svg_funnel(&sb, &t, rows, 3, &curves, &chart);

	assert_non_null(strstr(sb.buf, "role=\"img\""));
	assert_non_null(strstr(sb.buf, "<title id=\"nk-title\">"));
	assert_non_null(strstr(sb.buf, "<desc id=\"nk-desc\">Funnel plot"));
	assert_non_null(strstr(sb.buf, "class=\"parity-target\""));
	assert_int_equal(count(sb.buf, "class=\"parity-limit-95\""), 4);
	assert_int_equal(count(sb.buf, "class=\"parity-limit-998\""), 0);
	/* Each drawn borough's own limits at its size. */
	assert_int_equal(count(sb.buf, "class=\"parity-interval\""), 4);
	assert_int_equal(count(sb.buf, "class=\"parity-marker-up\""), 2);
	assert_int_equal(count(sb.buf, "class=\"parity-marker\""), 2);
	/* Every drawn borough is named, the outlier too; the withheld one
	 * is counted, not drawn. */
	assert_non_null(strstr(sb.buf, ">Camden</text>"));
	assert_non_null(strstr(sb.buf, ">Brent</text>"));
	assert_int_equal(count(sb.buf, "class=\"parity-funnel-label\""), 4);
	assert_null(strstr(sb.buf, ">Sutton</text>"));
	assert_non_null(strstr(sb.buf, "1 not drawn: [c] or not available"));
	/* The ranges in a grey of 3:1 against white; the size in words. */
	assert_non_null(strstr(sb.buf, "stroke=\"#8c8c8c\""));
	assert_null(strstr(sb.buf, "#b1b4b6"));
	assert_non_null(strstr(sb.buf, ">Number of staff the figure rests "
				       "on</text>"));
	/* A second drawing for narrow screens, with ids of its own. */
	assert_int_equal(count(sb.buf, "class=\"parity-chart parity-chart--"
				       "wide\""), 1);
	assert_int_equal(count(sb.buf, "class=\"parity-chart parity-chart--"
				       "narrow\""), 1);
	assert_non_null(strstr(sb.buf, "aria-labelledby=\"nk-n-title "
				       "nk-n-desc\""));
	assert_null(strstr(sb.buf, "parity-highlight"));
	strbuf_reset(&sb);
	/* A borough's own page picks it out. */
	t.rows[0].area_code = tidy_table_intern(&t, "E09000005");
	t.rows[1].area_code = tidy_table_intern(&t, "E09000007");
	svg_funnel_highlight(&sb, &t, rows, 3, &curves, &chart, "E09000005");
	assert_int_equal(count(sb.buf, "class=\"parity-highlight\""), 2);
	assert_non_null(strstr(sb.buf, "font-weight=\"bold\">Brent</text>"));
	assert_null(strstr(sb.buf, "font-weight=\"bold\">Camden</text>"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

/*
 * A funnel plot draws no marker for a row whose figure is withheld, even
 * when the row still holds a number, nor for a missing (NAN) figure: each
 * is counted as not drawn, and the withheld number neither gets an
 * interval nor stretches the axes.
 */
static void test_funnel_draws_no_marker_for_withheld_or_missing(void **state)
{
	struct svg_chart chart = { "nk", "Not known by borough",
				   "Funnel plot of 4 boroughs", "Share (%)",
				   10, SVG_LABEL_AREA, false, NULL, false };
	struct tidy_table t;
	struct tidy_row *r;
	struct strbuf sb = STRBUF_INIT;
	size_t rows[4] = { 0, 1, 2, 3 };

	(void)state;
	tidy_table_init(&t);
	add(&t, "funnel_position", "Brent", "Not known", 9.5, 7, 13, 500,
	    "within");
	/* withheld, with its numbers left in: never drawn */
	r = add(&t, "funnel_position", "Sutton", "Not known", 55, 40, 70,
		5000, "above_99.8");
	r->withheld = 1u << TIDY_VALUE;
	/* missing */
	add(&t, "funnel_position", "Merton", "Not known", NAN, NAN, NAN, 300,
	    "");
	/* shown, but its size withheld: it cannot be placed */
	r = add(&t, "funnel_position", "Bexley", "Not known", 12, 6, 14, 4000,
		"within");
	r->withheld = 1u << TIDY_DENOMINATOR;
	svg_funnel(&sb, &t, rows, 4, NULL, &chart);

	assert_int_equal(count(sb.buf, "class=\"parity-marker"), 2);
	assert_int_equal(count(sb.buf, "class=\"parity-interval\""), 2);
	assert_null(strstr(sb.buf, ">Sutton</text>"));
	assert_non_null(strstr(sb.buf, "3 not drawn: [c] or not available"));
	/* neither the withheld value (55) nor size (5000, 4000) sets an
	 * axis */
	assert_null(strstr(sb.buf, ">50</text>"));
	assert_null(strstr(sb.buf, ">5,000</text>"));
	assert_null(strstr(sb.buf, ">4,000</text>"));
	assert_null(strstr(sb.buf, "\"nan"));
	assert_null(strstr(sb.buf, "\"-nan"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

static void test_ratio_funnel_places_by_precision(void **state)
{
	struct svg_chart chart = { "rl", "Promoted", "Funnel plot",
				   "Relative likelihood", 1, SVG_LABEL_AREA,
				   true, NULL, false };
	struct tidy_table t;
	struct strbuf sb = STRBUF_INIT;
	size_t rows[2] = { 0, 1 };

	(void)state;
	tidy_table_init(&t);
	/* No denominators: placed by the precision their limits imply. */
	add(&t, "funnel_position", "Brent", "Black", 0.5, 0.42, 0.85, NAN,
	    "below_95");
	add(&t, "funnel_position", "Camden", "Black", 0.9, 0.7, 1.4, NAN,
	    "within");
	svg_funnel(&sb, &t, rows, 2, NULL, &chart);
	assert_null(strstr(sb.buf, "not drawn"));
	assert_int_equal(count(sb.buf, "class=\"parity-interval\""), 4);
	assert_int_equal(count(sb.buf, "class=\"parity-marker-down\""), 2);
	assert_non_null(strstr(sb.buf, "Precision of the figure"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

static void test_gap_funnel_places_by_precision(void **state)
{
	struct svg_chart chart = { "gap", "Black Caribbean: gap",
				   "Funnel plot", "Gap in points", -7.6,
				   SVG_LABEL_AREA, true, NULL, true };
	struct tidy_table t;
	struct strbuf sb = STRBUF_INIT;
	size_t rows[3] = { 0, 1, 2 };

	(void)state;
	tidy_table_init(&t);
	/* Gaps below 0, placed by 1 / their standard error (as ratios'
	 * limits would not place them); one whose limits are one point, not
	 * placed. */
	add(&t, "funnel_position", "Croydon", "Black", -12.8, -9.6, -5.6,
	    NAN, "below_99.8");
	add(&t, "funnel_position", "Brent", "Black", -7.7, -11.0, -4.2, NAN,
	    "within");
	add(&t, "funnel_position", "Sutton", "Black", -9.0, -7.6, -7.6, NAN,
	    "within");
	svg_funnel(&sb, &t, rows, 3, NULL, &chart);
	assert_non_null(strstr(sb.buf, "1 not drawn"));
	assert_int_equal(count(sb.buf, "class=\"parity-marker-down\""), 2);
	assert_non_null(strstr(sb.buf, "Precision of the gap: more pupils"));
	assert_null(strstr(sb.buf, "Precision of the figure"));
	assert_null(strstr(sb.buf, "\"nan"));
	assert_null(strstr(sb.buf, "\"-nan"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

static void test_empty_chart_is_still_valid(void **state)
{
	struct svg_chart chart = { "e", "Empty", "No figures", "Ratio", NAN,
				   SVG_LABEL_GROUP, false, NULL, false };
	struct tidy_table t;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	tidy_table_init(&t);
	svg_dot_whisker(&sb, &t, NULL, 0, &chart);
	assert_non_null(strstr(sb.buf, "<title id=\"e-title\">Empty</title>"));
	assert_non_null(strstr(sb.buf, "</svg>"));
	assert_null(strstr(sb.buf, "nan"));
	assert_null(strstr(sb.buf, "inf"));
	strbuf_release(&sb);
	tidy_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot_whisker_structure),
		cmocka_unit_test(test_funnel_structure),
		cmocka_unit_test(test_funnel_draws_no_marker_for_withheld_or_missing),
		cmocka_unit_test(test_ratio_funnel_places_by_precision),
		cmocka_unit_test(test_gap_funnel_places_by_precision),
		cmocka_unit_test(test_empty_chart_is_still_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
