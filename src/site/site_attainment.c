/*
 * site_attainment.c - the attainment pages of a release, from the
 * protected attainment table in struct site (site.c protects London,
 * Inner and Outer London, every borough with a return, the partnerships
 * and groups of boroughs, every year up to the release's, together).
 *
 * Pages (paths from the copy's root), only when the store holds
 * attainment for the academic year that ends in the data year:
 *   attainment.html          London's: findings, then for each attainment
 *                            measure the gap in mean score or the
 *                            threshold rate ratio of each school-census
 *                            group against the reference group (chart
 *                            and table), the means and rates with the
 *                            pupils they rest on, the trend of each gap
 *                            (did it narrow?), the Black Caribbean gap
 *                            in each part of London, a funnel plot of
 *                            each borough's Black Caribbean gap against
 *                            London's, and the boroughs with a page
 *   attainment/SLUG.html     one borough's: the same for the borough,
 *                            its places against London, and the funnel
 *                            plots with the borough ringed
 * and a section of each borough's page (boroughs/SLUG.html) linking to
 * its attainment page.
 *
 * Each page has attainment's own 'Things you need to know' (the pupils,
 * the school census's groups, the years, what [c] means), not the
 * workforce's (site_page_begin_points()).
 *
 * Figures are those of the release's academic year; the years before it
 * are in the table for the trend (and in its download), not on the pages.
 * Each table is followed by the link to the CSV of its rows (the page's
 * struct site_tables, site_tables.h, in the attainment dataset's folder),
 * and a withheld figure is explained in words under the table as well as
 * shown as [c]. Groups are named in running text as the school census
 * names them ('Black Caribbean': findings_pupil_group()).
 */
#include "site/site_internal.h"

#include "base/alloc.h"
#include "domain/attainment_def.h"
#include "domain/service_def.h"
#include "measure/findings.h"
#include "site/html.h"
#include "site/site_tables.h"
#include "site/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The collaboration's focus: Black Caribbean pupils (school census code
 * BCRB), on the funnel plots and across the parts of London. */
#define FOCUS_CODE "BCRB"

/* ---- rows ---- */

/* The academic year published: its first calendar year ('2023-24':
 * 2023). */
static int year_of(const struct site *s)
{
	return s->opt->year - 1;
}

/* The label of the focus group, as the rows give it. */
static const char *focus_label(void)
{
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++)
		if (strcmp(service_group_code(g), FOCUS_CODE) == 0)
			return service_group_label(g);
	return "";
}

/* The reference group as the rows' notes name it ("White British"). */
static void reference_of(const struct tidy_table *t, char *buf, size_t size)
{
	size_t k;

	snprintf(buf, size, "White British");
	for (k = 0; k < t->count; k++) {
		const char *p = strstr(t->rows[k].note, "reference: ");
		size_t len;

		if (!p)
			continue;
		p += strlen("reference: ");
		len = strcspn(p, ";");
		if (len >= size)
			len = size - 1;
		memcpy(buf, p, len);
		buf[len] = '\0';
		return;
	}
}

/* ---- withheld figures, in words ---- */

/*
 * Under a table of rows `rs`, a sentence naming the groups (or areas,
 * `by_area`) whose figure is withheld and those for which it cannot be
 * calculated, and why; nothing when every figure is shown. `what` names
 * the figure ("gap"; with "s" for more than one).
 */
static void withheld_words(struct strbuf *sb, const struct tidy_table *t,
			   const struct site_rows *rs, const char *what,
			   bool by_area, double k_threshold)
{
	struct strbuf held = STRBUF_INIT, missing = STRBUF_INIT;
	size_t k, nheld = 0, nmissing = 0;
	char buf[256];

	for (k = 0; k < rs->n; k++) {
		const struct tidy_row *r = &t->rows[rs->at[k]];
		const char *name =
			by_area ? r->area_name
				: findings_pupil_group(r->ethnicity, buf,
						       sizeof(buf));
		struct strbuf *into;

		if (tidy_row_withheld(r, TIDY_VALUE)) {
			into = &held;
			nheld++;
		} else if (isnan(r->value)) {
			into = &missing;
			nmissing++;
		} else {
			continue;
		}
		strbuf_addf(into, "%s%s", into->len ? ", " : "", name);
	}
	if (nheld > 0) {
		strbuf_addf(sb, "<p class=\"govuk-body\">The %s%s for ", what,
			    nheld == 1 ? "" : "s");
		html_escape(sb, held.buf);
		strbuf_addf(sb, "%s %s withheld ([c]): %s on fewer than %g "
			    "pupils, or would let such a figure be worked out "
			    "from others.</p>\n", by_area ? "" : " pupils",
			    nheld == 1 ? "is" : "are",
			    nheld == 1 ? "it rests" : "they rest", k_threshold);
	}
	if (nmissing > 0) {
		strbuf_addf(sb, "<p class=\"govuk-body\">The %s%s for ", what,
			    nmissing == 1 ? "" : "s");
		html_escape(sb, missing.buf);
		strbuf_addf(sb, "%s cannot be calculated: too few pupils in "
			    "the group or the reference group, or a return "
			    "did not give what it needs.</p>\n",
			    by_area ? "" : " pupils");
	}
	strbuf_release(&held);
	strbuf_release(&missing);
}

/* A table of rows `rs` and, under it, its withheld figures in words. */
static void table_and_words(struct strbuf *sb, const struct site *s,
			    const struct tidy_table *t,
			    const struct site_rows *rs,
			    const struct html_table_spec *spec,
			    const char *what, bool by_area,
			    struct site_tables *tt)
{
	site_table_only(sb, t, rs->at, rs->n, spec, tt);
	withheld_words(sb, t, rs, what, by_area, s->opt->sdc.k);
}

/* ---- one area's figures ---- */

/* A chart's text alternative and title for rows `rs`. */
static void figure_text(const struct tidy_table *t, const struct site_rows *rs,
			const char *what, char *desc, size_t size)
{
	site_describe(t, rs->at, rs->n, SVG_LABEL_SHORT_GROUP, what, desc,
		      size);
}

/* The focus group's gap among rows `rs`, in a sentence, when it is
 * shown. */
static void focus_gap(struct strbuf *sb, const struct tidy_table *t,
		      const struct site_rows *rs, const struct attainment_measure *m,
		      const char *reference)
{
	const char *focus = focus_label();
	char gbuf[128];
	size_t k;

	for (k = 0; k < rs->n; k++) {
		const struct tidy_row *r = &t->rows[rs->at[k]];

		if (strcmp(r->ethnicity, focus) != 0 ||
		    tidy_row_withheld(r, TIDY_VALUE) || isnan(r->value))
			continue;
		strbuf_addf(sb, "<p class=\"govuk-body\">%s pupils' mean %s "
				"score was about %.0f point%s %s %s pupils'",
			    findings_pupil_group(r->ethnicity, gbuf,
						 sizeof(gbuf)),
			    m->title, fabs(r->value),
			    fabs(r->value) >= 0.5 && fabs(r->value) < 1.5
				    ? "" : "s",
			    r->value < 0 ? "below" : "above", reference);
		strbuf_addstr(sb, r->flag[0]
				  ? ", more than chance would explain.</p>\n"
				  : ", a difference chance could explain."
				    "</p>\n");
		return;
	}
}

/* A score measure: the gap of each group to the reference, then the
 * means and the pupils they rest on. */
static void score_section(struct strbuf *sb, const struct site *s,
			  const struct tidy_table *t,
			  const struct attainment_measure *m, const char *name,
			  const char *reference, const char *id_prefix,
			  const char *root, struct site_tables *tt)
{
	static const enum html_column gap_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	static const enum html_column mean_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_DENOMINATOR,
	};
	static const char *const mean_heads[] = {
		"Group", "Mean score", "95% interval", "Pupils",
	};
	const char *gap_heads[6];
	struct site_rows rs = { NULL, 0, 0 };
	char title[512], desc[4096], id[192], axis[256], ref_mean[320],
		above[320], below[320];

	site_rows_select(t, "attainment_gap", year_of(s), NULL, m->name, NULL,
			 &rs);
	if (rs.n == 0) {
		free(rs.at);
		return;
	}
	snprintf(title, sizeof(title), "%s", m->title);
	html_heading(sb, 2, title);
	strbuf_addstr(sb, "<p class=\"govuk-body\">The ");
	site_glossary_link(sb, root, "attainment-gap", "attainment gap");
	strbuf_addf(sb, " is a group's mean %s less %s pupils' mean: below 0, "
			"the group's pupils scored lower on average. ",
		    m->title, reference);
	strbuf_addstr(sb, "Each line shows the 95% interval: the range the "
			  "gap would lie in, allowing for chance.</p>\n");
	focus_gap(sb, t, &rs, m, reference);
	snprintf(ref_mean, sizeof(ref_mean), "Mean score of %s pupils",
		 reference);
	gap_heads[0] = "Group";
	gap_heads[1] = "Gap (points)";
	gap_heads[2] = "95% interval";
	gap_heads[3] = "Mean score of the group";
	gap_heads[4] = ref_mean;
	gap_heads[5] = "Significant difference";
	snprintf(title, sizeof(title), "Gap in %s mean score against %s "
		 "pupils, %s, %s", m->title, reference, name,
		 s->attainment.period);
	snprintf(axis, sizeof(axis), "Gap in points (0 = same as %s)",
		 reference);
	snprintf(above, sizeof(above), "higher than %s pupils (significant)",
		 reference);
	snprintf(below, sizeof(below), "lower than %s pupils (significant)",
		 reference);
	figure_text(t, &rs, title, desc, sizeof(desc));
	snprintf(id, sizeof(id), "%s-gap-%s", id_prefix, m->name);
	{
		struct svg_chart chart = { id, title, desc, axis, 0,
					   SVG_LABEL_SHORT_GROUP, false, NULL,
					   false };
		struct html_table_spec spec = { title, gap_cols, gap_heads, 6,
						NULL };

		site_dot_figure(sb, t, rs.at, rs.n, &chart, &spec, above,
				below, tt);
	}
	withheld_words(sb, t, &rs, "gap", false, s->opt->sdc.k);
	site_rows_select(t, "attainment_mean", year_of(s), NULL, m->name, NULL,
			 &rs);
	snprintf(title, sizeof(title), "Mean %s score and pupils, %s, %s",
		 m->title, name, s->attainment.period);
	{
		struct html_table_spec spec = { title, mean_cols, mean_heads, 4,
						NULL };

		table_and_words(sb, s, t, &rs, &spec, "mean score", false, tt);
	}
	free(rs.at);
}

/* A threshold measure: the rate ratio of each group to the reference,
 * then the rates with the pupils they rest on. */
static void threshold_section(struct strbuf *sb, const struct site *s,
			      const struct tidy_table *t,
			      const struct attainment_measure *m,
			      const char *name, const char *reference,
			      const char *id_prefix, const char *root,
			      struct site_tables *tt)
{
	static const enum html_column ratio_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	static const enum html_column rate_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR,
	};
	static const char *const rate_heads[] = {
		"Group", "Share reaching it (%)", "95% interval",
		"Pupils reaching it", "Pupils",
	};
	const char *ratio_heads[6];
	struct site_rows rs = { NULL, 0, 0 };
	char title[512], desc[4096], id[192], axis[256], ref_rate[320],
		above[320], below[320];

	site_rows_select(t, "attainment_rate_ratio", year_of(s), NULL, m->name,
			 NULL, &rs);
	if (rs.n == 0) {
		free(rs.at);
		return;
	}
	html_heading(sb, 2, m->title);
	strbuf_addstr(sb, "<p class=\"govuk-body\">The ");
	site_glossary_link(sb, root, "threshold-rate-ratio",
			   "threshold rate ratio");
	strbuf_addf(sb, " divides the share of a group's pupils who reached "
			"it by the share of %s pupils who did: 1 means the "
			"same share, 0.5 half the share.</p>\n", reference);
	snprintf(ref_rate, sizeof(ref_rate), "Share of %s pupils (%%)",
		 reference);
	ratio_heads[0] = "Group";
	ratio_heads[1] = "Rate ratio";
	ratio_heads[2] = "95% interval";
	ratio_heads[3] = "Share of the group (%)";
	ratio_heads[4] = ref_rate;
	ratio_heads[5] = "Significant difference";
	snprintf(title, sizeof(title), "%s: rate ratio against %s pupils, "
		 "%s, %s", m->title, reference, name, s->attainment.period);
	snprintf(axis, sizeof(axis), "Rate ratio (1 = same share as %s)",
		 reference);
	snprintf(above, sizeof(above), "higher share than %s pupils "
		 "(significant)", reference);
	snprintf(below, sizeof(below), "lower share than %s pupils "
		 "(significant)", reference);
	figure_text(t, &rs, title, desc, sizeof(desc));
	snprintf(id, sizeof(id), "%s-ratio-%s", id_prefix, m->name);
	{
		struct svg_chart chart = { id, title, desc, axis, 1,
					   SVG_LABEL_SHORT_GROUP, false, NULL,
					   false };
		struct html_table_spec spec = { title, ratio_cols, ratio_heads,
						6, NULL };

		site_dot_figure(sb, t, rs.at, rs.n, &chart, &spec, above,
				below, tt);
	}
	withheld_words(sb, t, &rs, "rate ratio", false, s->opt->sdc.k);
	site_rows_select(t, "attainment_rate", year_of(s), NULL, m->name, NULL,
			 &rs);
	snprintf(title, sizeof(title), "%s: share of pupils reaching it, %s, "
		 "%s", m->title, name, s->attainment.period);
	{
		struct html_table_spec spec = { title, rate_cols, rate_heads, 5,
						NULL };

		table_and_words(sb, s, t, &rs, &spec, "share", false, tt);
	}
	free(rs.at);
}

/* The trend of each score's gap over the years to the one published:
 * did it narrow? */
static void trend_section(struct strbuf *sb, const struct site *s,
			  const struct tidy_table *t, const char *name,
			  const char *reference, const char *id_prefix,
			  struct site_tables *tt)
{
	static const enum html_column cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	static const char *const heads[] = {
		"Group", "Change in the gap a year (points)", "95% interval",
		"Gap in the first year (points)",
		"Gap in the latest year (points)", "Trend",
	};
	struct site_rows rs = { NULL, 0, 0 };
	char title[512], desc[4096], id[192], axis[256], gbuf[128];
	const char *focus = focus_label();
	size_t mi, k;
	bool headed = false;

	for (mi = 0; mi < attainment_measure_count(); mi++) {
		const struct attainment_measure *m = attainment_measure_at(mi);
		const struct tidy_row *f = NULL;

		if (m->kind != ATTAINMENT_SCORE)
			continue;
		site_rows_select(t, "attainment_gap_trend", year_of(s), NULL,
				 m->name, NULL, &rs);
		if (rs.n == 0)
			continue;
		if (!headed) {
			html_heading(sb, 2, "Has the gap narrowed?");
			strbuf_addf(sb, "<p class=\"govuk-body\">How each "
					"group's gap to %s pupils changed a "
					"year, over the years the returns "
					"cover (a line fitted to the gap of "
					"each year, the more precise years "
					"counting for more). A gap narrows "
					"when it moves towards 0. 'Narrowed' "
					"and 'widened' mean the change is "
					"larger than chance would explain; "
					"'no clear difference' that it is "
					"not.</p>\n", reference);
			headed = true;
		}
		for (k = 0; k < rs.n && !f; k++)
			if (strcmp(t->rows[rs.at[k]].ethnicity, focus) == 0)
				f = &t->rows[rs.at[k]];
		if (f && !tidy_row_withheld(f, TIDY_VALUE) &&
		    !isnan(f->value) &&
		    !tidy_row_withheld(f, TIDY_NUMERATOR) &&
		    !tidy_row_withheld(f, TIDY_DENOMINATOR)) {
			const char *to = strstr(f->period, " to ");
			int first = to ? (int)(to - f->period) : 0;

			strbuf_addf(sb, "<p class=\"govuk-body\">In %s, %s "
					"pupils' %s score was about %.0f "
					"points %s %s pupils' in %.*s and "
					"about %.0f points %s in %s: the gap ",
				    name,
				    findings_pupil_group(f->ethnicity, gbuf,
							 sizeof(gbuf)),
				    m->title, fabs(f->numerator),
				    f->numerator < 0 ? "below" : "above",
				    reference, first, f->period,
				    fabs(f->denominator),
				    f->denominator < 0 ? "below" : "above",
				    s->attainment.period);
			strbuf_addstr(sb, strcmp(f->flag, "narrowed") == 0
				      ? "narrowed, by more than chance would "
					"explain.</p>\n"
				      : strcmp(f->flag, "widened") == 0
				      ? "widened, by more than chance would "
					"explain.</p>\n"
				      : "did not change by more than chance "
					"would explain.</p>\n");
		} else if (f) {
			strbuf_addf(sb, "<p class=\"govuk-body\">The trend of "
					"the %s gap for %s pupils in %s is "
					"withheld or cannot be calculated.</p>"
					"\n", m->title,
				    findings_pupil_group(f->ethnicity, gbuf,
							 sizeof(gbuf)),
				    name);
		}
		snprintf(title, sizeof(title), "Change a year in the %s gap "
			 "against %s pupils, %s, to %s", m->title, reference,
			 name, s->attainment.period);
		snprintf(axis, sizeof(axis), "Change in the gap a year "
			 "(points)");
		figure_text(t, &rs, title, desc, sizeof(desc));
		snprintf(id, sizeof(id), "%s-trend-%s", id_prefix, m->name);
		{
			struct svg_chart chart = { id, title, desc, axis, 0,
						   SVG_LABEL_SHORT_GROUP, false,
						   NULL, false };
			struct html_table_spec spec = { title, cols, heads, 6,
							NULL };

			site_dot_figure(sb, t, rs.at, rs.n, &chart, &spec,
					"the gap rose each year (significant)",
					"the gap fell each year (significant)",
					tt);
		}
		withheld_words(sb, t, &rs, "trend", false, s->opt->sdc.k);
	}
	free(rs.at);
}

/* Findings, then each measure, then the trend, for one area's rows. */
static void area_sections(struct strbuf *sb, const struct site *s,
			  const struct tidy_table *t, const char *name,
			  const char *id_prefix, const char *root,
			  struct site_tables *tt)
{
	struct findings f;
	char reference[128], id[192], text[1024];
	size_t mi;

	reference_of(t, reference, sizeof(reference));
	memset(&f, 0, sizeof(f));
	findings_build_attainment_styled(t, FINDINGS_PLAIN, &f);
	snprintf(id, sizeof(id), "%s-findings", id_prefix);
	site_findings_block(sb, &f, id, "No group's attainment differs from "
					"the reference group's by more than "
					"chance would explain, or the figures "
					"that would are withheld.");
	findings_free(&f);
	snprintf(text, sizeof(text), "Figures are for pupils in %s's schools "
		 "in %s, by the ethnic group the school census records, each "
		 "compared with %s pupils. Figures resting on fewer than %g "
		 "pupils are withheld ([c]), with any other that would let one "
		 "be worked out.", name, s->attainment.period, reference,
		 s->opt->sdc.k);
	site_para(sb, text);
	for (mi = 0; mi < attainment_measure_count(); mi++) {
		const struct attainment_measure *m = attainment_measure_at(mi);

		if (m->kind == ATTAINMENT_SCORE)
			score_section(sb, s, t, m, name, reference, id_prefix,
				      root, tt);
		else
			threshold_section(sb, s, t, m, name, reference,
					  id_prefix, root, tt);
	}
	trend_section(sb, s, t, name, reference, id_prefix, tt);
}

/* ---- boroughs against London ---- */

/*
 * The focus group's gap in each score measure, every borough against
 * London's on a funnel plot; on a borough's page (`highlight`, its
 * code), first a table of the borough's own places against London.
 */
static void funnel_section(struct strbuf *sb, const struct site *s,
			   const char *highlight, const char *id_prefix,
			   const char *root, struct site_tables *tt)
{
	const struct tidy_table *t = &s->attainment.table;
	struct site_rows rs = { NULL, 0, 0 };
	char what[128], title[512], id[192], reference[128], gbuf[128],
		axis[256], name[128];
	const char *focus = focus_label();
	size_t mi;
	bool headed = false;

	reference_of(t, reference, sizeof(reference));
	if (highlight) {
		struct html_table_spec spec;

		site_place_spec(&spec, "The borough's gaps and rate ratios "
				       "against London's, with the range "
				       "expected at its precision");

		site_rows_select(t, "funnel_position", year_of(s), highlight, NULL,
				 NULL, &rs);
		if (rs.n > 0) {
			html_heading(sb, 2, "Compared with London");
			headed = true;
			site_para(sb, "Each of the borough's gaps and rate "
				      "ratios against London's, allowing for "
				      "how precise it is: a gap resting on few "
				      "pupils varies more by chance. 'Within "
				      "the expected range' means the "
				      "difference from London could be "
				      "chance.");
			table_and_words(sb, s, t, &rs, &spec, "place", false,
					tt);
		}
	}
	for (mi = 0; mi < attainment_measure_count(); mi++) {
		const struct attainment_measure *m = attainment_measure_at(mi);

		if (m->kind != ATTAINMENT_SCORE)
			continue;
		snprintf(what, sizeof(what), "attainment_gap: %s", m->name);
		site_rows_select(t, "funnel_position", year_of(s), NULL, what,
				 focus, &rs);
		if (rs.n == 0)
			continue;
		if (!headed) {
			html_heading(sb, 2, "Each borough against London");
			headed = true;
		}
		snprintf(gbuf, sizeof(gbuf), "%s",
			 findings_pupil_group(focus, name, sizeof(name)));
		strbuf_addf(sb, "<p class=\"govuk-body\">%s pupils' gap in %s "
				"to %s pupils, borough by borough, against "
				"London's, on a ", gbuf, m->title, reference);
		site_glossary_link(sb, root, "funnel-plot", "funnel plot");
		strbuf_addstr(sb, ": a borough with few pupils in the group "
				  "has a less precise gap, which varies more "
				  "by chance, and sits further left. 'Above' "
				  "means a smaller gap than London's (or a "
				  "larger lead), 'below' a larger one.</p>\n");
		snprintf(title, sizeof(title), "%s pupils: gap in %s against "
			 "%s pupils, each borough against London, %s", gbuf,
			 m->title, reference, s->attainment.period);
		snprintf(axis, sizeof(axis), "Gap in points (0 = same as %s)",
			 reference);
		snprintf(id, sizeof(id), "%s-funnel-%s", id_prefix, m->name);
		site_funnel_gap_figure(sb, t, rs.at, rs.n, id, title, axis,
				       highlight, tt);
	}
	free(rs.at);
}

/* The focus group's gap in each part of London (Inner and Outer London,
 * the partnerships, groups of boroughs): London's page only. */
static void parts_section(struct strbuf *sb, const struct site *s,
			  const char *london, struct site_tables *tt)
{
	static const enum html_column cols[] = {
		HTML_COL_AREA, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	const struct tidy_table *t = &s->attainment.table;
	const char *heads[6];
	struct site_rows all = { NULL, 0, 0 }, rs = { NULL, 0, 0 };
	char title[512], reference[128], gbuf[128], ref_mean[320], name[128];
	const char *focus = focus_label();
	size_t mi, k;
	bool headed = false;

	reference_of(t, reference, sizeof(reference));
	snprintf(gbuf, sizeof(gbuf), "%s",
		 findings_pupil_group(focus, name, sizeof(name)));
	snprintf(ref_mean, sizeof(ref_mean), "Mean score of %s pupils",
		 reference);
	heads[0] = "Area";
	heads[1] = "Gap (points)";
	heads[2] = "95% interval";
	heads[3] = "Mean score of the group";
	heads[4] = ref_mean;
	heads[5] = "Significant difference";
	for (mi = 0; mi < attainment_measure_count(); mi++) {
		const struct attainment_measure *m = attainment_measure_at(mi);

		if (m->kind != ATTAINMENT_SCORE)
			continue;
		site_rows_select(t, "attainment_gap", year_of(s), NULL, m->name,
				 focus, &all);
		rs.n = 0;
		for (k = 0; k < all.n; k++) {
			const struct tidy_row *r = &t->rows[all.at[k]];

			if (strcmp(r->area_code, london) == 0 ||
			    strcmp(r->area_type, "borough") == 0)
				continue;
			rs.at = xgrow(rs.at, &rs.cap, rs.n + 1,
				      sizeof(*rs.at));
			rs.at[rs.n++] = all.at[k];
		}
		if (rs.n == 0)
			continue;
		if (!headed) {
			html_heading(sb, 2, "Parts of London");
			strbuf_addf(sb, "<p class=\"govuk-body\">%s pupils' "
					"gap in Inner and Outer London and in "
					"the partnerships of boroughs, each "
					"pooled from its boroughs' returns.</p>"
					"\n", gbuf);
			headed = true;
		}
		snprintf(title, sizeof(title), "%s pupils: gap in %s against "
			 "%s pupils, parts of London, %s", gbuf, m->title,
			 reference, s->attainment.period);
		{
			struct html_table_spec spec = { title, cols, heads, 6,
							NULL };

			table_and_words(sb, s, t, &rs, &spec, "gap", true, tt);
		}
	}
	free(all.at);
	free(rs.at);
}

/* ---- pages ---- */

/* An attainment page's 'Things you need to know'. */
struct need_to_know {
	char pupils[320], groups[320], withheld[256], years[256];
	const char *points[4];
};

static void need_to_know_init(const struct site *s, struct need_to_know *n)
{
	snprintf(n->pupils, sizeof(n->pupils),
		 "Pupils are those at the end of the key stage each measure "
		 "covers (GCSEs, for Attainment 8 and English and maths) in "
		 "%s, as each borough returned them: totals for each ethnic "
		 "group, never pupils' own records.",
		 s->attainment.period);
	snprintf(n->groups, sizeof(n->groups),
		 "Ethnic groups are those the school census records, which "
		 "follow the 2021 classification but keep Traveller of Irish "
		 "heritage and Gypsy/Roma apart. Each group is compared with "
		 "White British pupils.");
	snprintf(n->years, sizeof(n->years),
		 "Figures are for %s; the trend of each gap uses every year "
		 "the returns cover up to it.", s->attainment.period);
	snprintf(n->withheld, sizeof(n->withheld),
		 "A figure that rests on fewer than %g pupils is withheld and "
		 "shown as [c], with any other figure that would reveal it.",
		 s->opt->sdc.k);
	n->points[0] = n->pupils;
	n->points[1] = n->groups;
	n->points[2] = n->years;
	n->points[3] = n->withheld;
}

static int borough_page(struct site *s, const struct site_copy *c,
			const struct area *a, struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	struct tidy_table own;
	struct need_to_know ntk;
	char title[512], rel[256], lead[512], slug[128], idp[160];
	int rc;

	site_slug(a->name, slug, sizeof(slug));
	snprintf(rel, sizeof(rel), "attainment/%s.html", slug);
	site_tables_begin(&tt, s, c, rel, "../", SITE_ATTAINMENT, err);
	snprintf(title, sizeof(title), "Attainment in %s, %s", a->name,
		 s->attainment.period);
	snprintf(lead, sizeof(lead), "How pupils of each ethnic group did at "
		 "school in %s in %s, against White British pupils and "
		 "against London.", a->name, s->attainment.period);
	snprintf(idp, sizeof(idp), "att-%s", slug);
	memset(&ntk, 0, sizeof(ntk));
	need_to_know_init(s, &ntk);
	site_page_begin_points(s, c, &sb, title, "../", "attainment.html",
			       lead, ntk.points, 4);
	site_area_table(&s->attainment.table, a->code, &own);
	area_sections(&sb, s, &own, a->name, idp, "../", &tt);
	tidy_table_free(&own);
	funnel_section(&sb, s, a->code, idp, "../", &tt);
	strbuf_addstr(&sb, "<p class=\"govuk-body\">London's figures, and "
			   "every borough's on the funnel plots, are on the "
			   "<a class=\"govuk-link\" href=\"../attainment.html"
			   "\">attainment</a> page; the council's workforce on "
			   "<a class=\"govuk-link\" href=\"../boroughs/");
	strbuf_addf(&sb, "%s.html\">", slug);
	html_escape(&sb, a->name);
	strbuf_addstr(&sb, "'s page</a>.</p>\n");
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = site_page_finish(s, c, &sb, "../", rel, err);
	strbuf_release(&sb);
	return rc;
}

int site_write_attainment(struct site *s, const struct site_copy *c,
			  struct parity_error *err)
{
	const struct area *london = &s->areas->areas[area_london(s->areas)];
	const struct area **boroughs;
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	struct tidy_table own;
	struct need_to_know ntk;
	char title[256], lead[512], slug[128];
	size_t k, n;
	int rc;

	if (!s->attainment.present)
		return 0;
	site_tables_begin(&tt, s, c, "attainment.html", "", SITE_ATTAINMENT,
			  err);
	snprintf(title, sizeof(title), "Attainment, %s", s->attainment.period);
	snprintf(lead, sizeof(lead), "How pupils of each ethnic group did at "
		 "school in London in %s, against White British pupils: the "
		 "gaps in mean score, the shares reaching a threshold, and "
		 "whether the gaps narrowed.", s->attainment.period);
	memset(&ntk, 0, sizeof(ntk));
	need_to_know_init(s, &ntk);
	site_page_begin_points(s, c, &sb, title, "", "attainment.html", lead,
			       ntk.points, 4);
	if (s->attainment.held[0]) {
		strbuf_addstr(&sb, "<div class=\"govuk-inset-text\">");
		html_escape(&sb, s->attainment.held);
		strbuf_addstr(&sb, "</div>\n");
		(void)site_tables_end(&tt); /* no table drawn */
		rc = site_page_finish(s, c, &sb, "", "attainment.html", err);
		strbuf_release(&sb);
		return rc;
	}
	site_area_table(&s->attainment.table, london->code, &own);
	area_sections(&sb, s, &own, "London", "att-london", "", &tt);
	tidy_table_free(&own);
	parts_section(&sb, s, london->code, &tt);
	funnel_section(&sb, s, NULL, "att-london", "", &tt);
	boroughs = xcalloc(s->areas->count ? s->areas->count : 1,
			   sizeof(const struct area *));
	n = site_boroughs_in(s, &s->attainment.table, "attainment_pupils",
			     year_of(s), boroughs);
	html_heading(&sb, 2, "Boroughs");
	if (n == 0) {
		site_para(&sb, "No borough's attainment return for this year "
			       "is in the store, so there are no borough "
			       "pages.");
	} else {
		site_para(&sb, "Each borough with a return has a page of its "
			       "own figures.");
		strbuf_addstr(&sb, "<ul class=\"govuk-list parity-area-list\">"
				   "\n");
		for (k = 0; k < n; k++) {
			site_slug(boroughs[k]->name, slug, sizeof(slug));
			strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\""
					 "attainment/%s.html\">", slug);
			html_escape(&sb, boroughs[k]->name);
			strbuf_addstr(&sb, "</a></li>\n");
		}
		strbuf_addstr(&sb, "</ul>\n");
	}
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = site_page_finish(s, c, &sb, "", "attainment.html", err);
	strbuf_release(&sb);
	for (k = 0; k < n && rc == 0; k++)
		rc = borough_page(s, c, boroughs[k], err);
	free((void *)boroughs);
	return rc;
}

void site_borough_attainment(struct strbuf *sb, const struct site *s,
			     const struct area *a)
{
	char slug[128];

	if (!s->attainment.present || s->attainment.held[0] ||
	    !site_table_has_area(&s->attainment.table, a->code,
				 "attainment_pupils", year_of(s)))
		return;
	site_slug(a->name, slug, sizeof(slug));
	html_heading(sb, 2, "Attainment");
	strbuf_addf(sb, "<p class=\"govuk-body\">How the borough's pupils of "
			"each ethnic group did at school: <a class=\"govuk-link"
			"\" href=\"../attainment/%s.html\">attainment in ",
		    slug);
	html_escape(sb, a->name);
	strbuf_addstr(sb, ", ");
	html_escape(sb, s->attainment.period);
	strbuf_addstr(sb, "</a>.</p>\n");
}
