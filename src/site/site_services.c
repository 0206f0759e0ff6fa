/*
 * site_services.c - the service pages of a release (youth justice, school
 * exclusions, stop and search, ...), from the protected service tables in
 * struct site, which hold London, Inner and Outer London and every
 * borough with a return, protected together (site.c).
 *
 * Pages (paths from the copy's root):
 *   services.html             the services, and what they cover
 *   services/NAME.html        London's figures, a list of the boroughs
 *                             with a page, and each borough's RRI at each
 *                             stage on a funnel plot against London's
 *   services/NAME/SLUG.html   one borough's: findings, the RRI at each
 *                             stage (chart and table), the RRI under each
 *                             base side by side, the rates, and the funnel
 *                             plots with the borough ringed
 * and a section of each borough's page (boroughs/SLUG.html) linking to
 * its service pages.
 *
 * Each table is followed by the link to the CSV of its rows (the page's
 * struct site_tables, site_tables.h).
 *
 * Every page says in words which ethnic groups have no figures and why
 * (the service's 'recording' text, service_def.h: the police's
 * officer-defined groups have no Mixed group), and flags are written in
 * words (html.c), never as codes.
 */
#include "site/site_internal.h"

#include "base/alloc.h"
#include "domain/ethnicity.h"
#include "measure/findings.h"
#include "site/html.h"
#include "site/site_tables.h"
#include "site/svg.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REFERENCE "White"

/* ---- the groups a service has, and why not the others ---- */

/* The high-level group of a row's group label, or -1 (not known, ...). */
static int high_group_of(const char *label)
{
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++)
		if (strcmp(service_group_label(g), label) == 0) {
			enum ethnicity_group h = service_group_high(g);

			return (int)h < ETHNICITY_HIGH_COUNT ? (int)h : -1;
		}
	return -1;
}

/*
 * Which of the 5 high-level groups have no figures in `t` (one area's
 * rows), in words: the service's own account of how it records groups
 * when it has one, else that no return records anyone in them.
 */
static void groups_section(struct strbuf *sb, const struct tidy_table *t,
			   const struct service_def *def)
{
	bool seen[ETHNICITY_HIGH_COUNT] = { false };
	char missing[256] = "";
	size_t k, n = 0;
	int g;

	for (k = 0; k < t->count; k++) {
		int h = high_group_of(t->rows[k].ethnicity);

		if (h >= 0 && (strcmp(t->rows[k].measure, "base_population") ==
				       0 ||
			       strcmp(t->rows[k].measure, "stage_count") == 0))
			seen[h] = true;
	}
	for (g = 0; g < ETHNICITY_HIGH_COUNT; g++) {
		if (seen[g])
			continue;
		snprintf(missing + strlen(missing),
			 sizeof(missing) - strlen(missing), "%s%s",
			 n++ ? "; " : "",
			 ethnicity_group_info((enum ethnicity_group)g)->label);
	}
	if (n == 0 && !def->recording)
		return;
	html_heading(sb, 2, "Ethnic groups");
	if (def->recording)
		site_para(sb, def->recording);
	if (n > 0) {
		char text[1024];

		snprintf(text, sizeof(text), "No figures here for %s: %s.",
			 missing,
			 def->recording
				 ? "the service does not record the group "
				   "(above), or no return for this area "
				   "records anyone in it"
				 : "no return for this area records anyone "
				   "in them");
		site_para(sb, text);
	}
}

/* ---- one area's figures ---- */

/* Add row `k` to `rs`. */
static void rows_add(struct site_rows *rs, size_t k)
{
	rs->at = xgrow(rs->at, &rs->cap, rs->n + 1, sizeof(*rs->at));
	rs->at[rs->n++] = k;
}

/*
 * The RRI of each group at each stage under each base, side by side: the
 * stage before (rri) and the base (cumulative_rri, from the second
 * stage after the base on; at the first they are one figure). The CSV
 * beside it (`tt`) holds each row shown: the rri, then the
 * cumulative_rri beside it when there is one.
 */
static void bases_table(struct strbuf *sb, const struct tidy_table *t,
			const struct service_def *def, const char *name,
			const char *period, struct site_tables *tt)
{
	struct site_rows rs = { NULL, 0, 0 }, cum = { NULL, 0, 0 },
		    shown = { NULL, 0, 0 };
	struct html_table_spec spec = { NULL, NULL, NULL, 0, NULL };
	size_t st, k, j;
	bool any = false;
	char a[64], b[64], caption[512];

	for (st = 1; st < def->stage_count && !any; st++) {
		site_rows_select(t, "cumulative_rri", SITE_ANY_YEAR, NULL,
				 def->stages[st].name, NULL, &cum);
		any = cum.n > 0;
	}
	if (!any) {
		free(cum.at);
		return;
	}
	html_heading(sb, 2, "The relative rate index under each base");
	site_para(sb, "An RRI can be taken of the stage before (of those "
		      "stopped, how many are arrested) or of the base, the "
		      "people the service starts from (of residents, how many "
		      "are arrested). The two answer different questions: the "
		      "first shows where along the service a difference "
		      "arises, the second how large it is by the end. Each "
		      "column is one base.");
	snprintf(caption, sizeof(caption), "Relative rate index under each "
		 "base, %s, %s", name, period);
	html_table_begin(sb, caption, NULL);
	strbuf_addstr(sb, "<thead class=\"govuk-table__head\"><tr "
			  "class=\"govuk-table__row\"><th scope=\"col\" class="
			  "\"govuk-table__header\">Stage</th><th scope=\"col\" "
			  "class=\"govuk-table__header\">Group</th><th scope="
			  "\"col\" class=\"govuk-table__header govuk-table__"
			  "header--numeric\">Of the stage before</th><th "
			  "scope=\"col\" class=\"govuk-table__header govuk-"
			  "table__header--numeric\">Of the base</th></tr>"
			  "</thead>\n<tbody class=\"govuk-table__body\">\n");
	for (st = 1; st < def->stage_count; st++) {
		const char *stage = def->stages[st].name;

		site_rows_select(t, "rri", SITE_ANY_YEAR, NULL, stage, NULL,
				 &rs);
		site_rows_select(t, "cumulative_rri", SITE_ANY_YEAR, NULL,
				 stage, NULL, &cum);
		for (k = 0; k < rs.n; k++) {
			const struct tidy_row *r = &t->rows[rs.at[k]];
			const struct tidy_row *c = NULL;

			rows_add(&shown, rs.at[k]);
			for (j = 0; j < cum.n && !c; j++)
				if (strcmp(t->rows[cum.at[j]].ethnicity,
					   r->ethnicity) == 0) {
					c = &t->rows[cum.at[j]];
					rows_add(&shown, cum.at[j]);
				}
			html_format_figure(r, TIDY_VALUE, a, sizeof(a));
			if (c)
				html_format_figure(c, TIDY_VALUE, b,
						   sizeof(b));
			else if (st == 1)
				snprintf(b, sizeof(b), "%s", a);
			else
				b[0] = '\0';
			strbuf_addstr(sb, "<tr class=\"govuk-table__row\"><th "
					  "scope=\"row\" class=\"govuk-table__"
					  "header\">");
			html_escape(sb, stage);
			strbuf_addstr(sb, "</th><td class=\"govuk-table__"
					  "cell\">");
			html_escape(sb, r->ethnicity);
			strbuf_addstr(sb, "</td><td class=\"govuk-table__cell "
					  "govuk-table__cell--numeric\">");
			html_escape(sb, a[0] ? a : "not available");
			strbuf_addstr(sb, "</td><td class=\"govuk-table__cell "
					  "govuk-table__cell--numeric\">");
			html_escape(sb, b[0] ? b : "not available");
			strbuf_addstr(sb, "</td></tr>\n");
		}
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n</div>\n");
	spec.caption = caption;
	(void)site_tables_add(tt, sb, t, shown.at, shown.n, &spec);
	free(rs.at);
	free(cum.at);
	free(shown.at);
}

void site_area_service(struct strbuf *sb, const struct tidy_table *t,
		       const struct service_def *def, const char *period,
		       const char *name, const char *id_prefix,
		       struct site_tables *tt)
{
	static const enum html_column rri_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	static const char *const rri_heads[] = {
		"Group", "Relative rate index", "95% interval",
		"Rate per 1,000 in group", "Rate per 1,000 in White group",
		"Difference",
	};
	static const enum html_column rate_cols[] = {
		HTML_COL_GROUP, HTML_COL_BREAKDOWN, HTML_COL_VALUE,
		HTML_COL_INTERVAL, HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR,
	};
	static const char *const rate_heads[] = {
		"Group", "Stage", "Rate per 1,000 of the stage before",
		"95% interval", "People at the stage", "People at the stage before",
	};
	struct site_rows rs = { NULL, 0, 0 };
	struct findings f;
	char title[512], id[64], desc[4096], stage_title[256];
	size_t st;

	memset(&f, 0, sizeof(f));
	findings_build_service_styled(t, def, REFERENCE, FINDINGS_PLAIN, &f);
	snprintf(id, sizeof(id), "%s-findings", id_prefix);
	site_findings_block(sb, &f, id, "No stage shows a difference from "
					"White people larger than chance would "
					"explain, or the figures that would "
					"are withheld.");
	findings_free(&f);
	snprintf(title, sizeof(title), "A relative rate index (RRI) divides "
		 "a group's rate at a stage by White people's rate at the same "
		 "stage: 1 means the same rate, 2 twice the rate. Figures are "
		 "for %s%s.", name,
		 strcmp(name, "London") == 0 ? " as a whole" : "");
	site_para(sb, title);
	for (st = 1; st < def->stage_count; st++) {
		const char *stage = def->stages[st].name;
		struct svg_chart chart = { NULL, title, desc,
					   "Relative rate index (1 = same "
					   "rate as White)", 1,
					   SVG_LABEL_GROUP, false, NULL,
					   false };
		struct html_table_spec spec = { title, rri_cols, rri_heads, 6,
						NULL };

		site_rows_select(t, "rri", SITE_ANY_YEAR, NULL, stage, NULL,
				 &rs);
		if (rs.n == 0)
			continue;
		snprintf(title, sizeof(title), "Relative rate index at '%s', "
			 "%s, %s", stage, name, period);
		site_describe(t, rs.at, rs.n, SVG_LABEL_GROUP, title, desc,
			      sizeof(desc));
		snprintf(id, sizeof(id), "%s-rri-%zu", id_prefix, st);
		chart.id = id;
		snprintf(stage_title, sizeof(stage_title), "%s", stage);
		stage_title[0] = (char)toupper((unsigned char)stage_title[0]);
		html_heading(sb, 2, stage_title);
		site_dot_figure(sb, t, rs.at, rs.n, &chart, &spec,
				"higher rate than White (significant)",
				"lower rate than White (significant)", tt);
	}
	bases_table(sb, t, def, name, period, tt);
	html_heading(sb, 2, "Rates at each stage");
	site_rows_select(t, "stage_rate", SITE_ANY_YEAR, NULL, NULL, NULL, &rs);
	snprintf(title, sizeof(title), "Rates per 1,000 at each stage, %s, %s",
		 name, period);
	{
		struct html_table_spec spec = { title, rate_cols, rate_heads,
						6, NULL };

		site_table_only(sb, t, rs.at, rs.n, &spec, tt);
	}
	groups_section(sb, t, def);
	free(rs.at);
}

/* ---- boroughs against London ---- */

/* Whether a funnel position lies outside the 95% expected range. */
static bool outside(const struct tidy_row *r)
{
	return strncmp(r->flag, "above", 5) == 0 ||
	       strncmp(r->flag, "below", 5) == 0;
}

/*
 * Each borough's RRI at each stage against London's: on London's page a
 * funnel plot for each stage and group; on a borough's (`highlight`, its
 * code) a table of its own places against London at every stage, then
 * the funnel plots, the borough ringed, where it lies outside the range
 * London's RRI would give by chance at its precision (each plot carries
 * a table of every borough, so a page with all of them would be heavy
 * on a phone; London's page has them all).
 */
static void funnel_section(struct strbuf *sb, const struct tidy_table *t,
			   const struct service_def *def, const char *period,
			   const char *highlight, const char *id_prefix,
			   struct site_tables *tt)
{
	struct site_rows rs = { NULL, 0, 0 }, own = { NULL, 0, 0 };
	const char *groups[SVC_GROUP_COUNT];
	size_t st, k, g, ng = 0, drawn = 0;
	char what[256], title[512], id[96], heading[256];

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, "funnel_position") != 0 ||
		    strncmp(r->breakdown, "rri: ", 5) != 0)
			continue;
		for (g = 0; g < ng && strcmp(groups[g], r->ethnicity) != 0; g++)
			;
		if (g == ng && ng < SVC_GROUP_COUNT)
			groups[ng++] = r->ethnicity;
	}
	if (ng == 0)
		return;
	html_heading(sb, 2, "Compared with London");
	site_para(sb, "Each borough's relative rate index against London's, "
		      "allowing for how precise it is: a borough with few "
		      "people at a stage has a less precise RRI, which varies "
		      "more by chance. 'Within the expected range' means the "
		      "difference from London could be chance. On the funnel "
		      "plots, points further right rest on more people.");
	if (highlight) {
		struct html_table_spec spec;

		site_place_spec(&spec, "The borough's relative rate index at "
				       "each stage against London's, with the "
				       "range expected at its precision");

		site_rows_select(t, "funnel_position", SITE_ANY_YEAR,
				 highlight, NULL, NULL, &own);
		site_table_only(sb, t, own.at, own.n, &spec, tt);
	}
	for (st = 1; st < def->stage_count; st++) {
		bool stage_headed = false;

		snprintf(what, sizeof(what), "rri: %s", def->stages[st].name);
		for (g = 0; g < ng; g++) {
			site_rows_select(t, "funnel_position",
					 SITE_ANY_YEAR, NULL, what,
					 groups[g], &rs);
			if (rs.n == 0)
				continue;
			if (highlight) {
				site_rows_select(t, "funnel_position",
						 SITE_ANY_YEAR, highlight,
						 what, groups[g], &own);
				if (own.n == 0 ||
				    tidy_row_withheld(&t->rows[own.at[0]],
						      TIDY_VALUE) ||
				    !outside(&t->rows[own.at[0]]))
					continue;
			}
			if (!stage_headed) {
				snprintf(heading, sizeof(heading), "%s",
					 def->stages[st].name);
				heading[0] = (char)toupper(
					(unsigned char)heading[0]);
				html_heading(sb, 3, heading);
				stage_headed = true;
			}
			snprintf(title, sizeof(title), "%s: relative rate "
				 "index at '%s', each borough against London, "
				 "%s", findings_group_name(groups[g]),
				 def->stages[st].name, period);
			snprintf(id, sizeof(id), "%s-funnel-%zu-%zu",
				 id_prefix, st, g);
			site_funnel_figure(sb, t, rs.at, rs.n, id, title,
					   "Relative rate index (1 = same rate "
					   "as White)",
					   highlight, tt);
			drawn++;
		}
	}
	if (highlight && drawn == 0)
		site_para(sb, "At every stage, for every group with a figure, "
			      "the borough's RRI is within the range expected "
			      "at its precision. The funnel plots of every "
			      "borough are on London's page for the service.");
	free(rs.at);
	free(own.at);
}

/* ---- pages ---- */

static void service_lead(const struct service_def *def, const char *where,
			 char *buf, size_t size)
{
	char *at;

	snprintf(buf, size, "How %s of each ethnic group fare at each stage "
		 "of %s in %s, compared with White %s.", def->people,
		 def->title, where, def->people);
	/* The service's title inside a sentence: 'of youth justice'. */
	at = strstr(buf, def->title);
	if (at)
		*at = (char)tolower((unsigned char)*at);
}

static int borough_service_page(struct site *s, const struct site_copy *c,
				size_t i, const struct area *a,
				struct parity_error *err)
{
	const struct site_service_pub *sv = &s->services[i];
	const struct service_def *def = sv->def;
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	struct tidy_table own;
	char title[512], rel[256], lead[512], slug[128], idp[160];
	int rc;

	site_slug(a->name, slug, sizeof(slug));
	snprintf(rel, sizeof(rel), "services/%s/%s.html", def->name, slug);
	site_tables_begin(&tt, s, c, rel, "../../", i, err);
	snprintf(title, sizeof(title), "%s in %s, %s", def->title, a->name,
		 sv->period);
	service_lead(def, a->name, lead, sizeof(lead));
	snprintf(idp, sizeof(idp), "%s-%s", def->name, slug);
	site_page_begin(s, c, &sb, title, "../../", "services.html", lead);
	site_area_table(&sv->table, a->code, &own);
	site_area_service(&sb, &own, def, sv->period, a->name, idp, &tt);
	tidy_table_free(&own);
	funnel_section(&sb, &sv->table, def, sv->period, a->code, idp, &tt);
	strbuf_addf(&sb, "<p class=\"govuk-body\">London's figures, and every "
			 "borough's, are on the <a class=\"govuk-link\" href="
			 "\"../%s.html\">", def->name);
	html_escape(&sb, def->title);
	strbuf_addf(&sb, "</a> page; the council's workforce on <a class=\""
			 "govuk-link\" href=\"../../boroughs/%s.html\">", slug);
	html_escape(&sb, a->name);
	strbuf_addstr(&sb, "'s page</a>.</p>\n");
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = site_page_finish(s, c, &sb, "../../", rel, err);
	strbuf_release(&sb);
	return rc;
}

static int service_page(struct site *s, const struct site_copy *c,
			size_t i, struct parity_error *err)
{
	const struct site_service_pub *sv = &s->services[i];
	const struct service_def *def = sv->def;
	const char *london = s->areas->areas[area_london(s->areas)].code;
	const struct area **boroughs =
		xcalloc(s->areas->count ? s->areas->count : 1,
			sizeof(const struct area *));
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	struct tidy_table own;
	char title[512], rel[192], lead[512], slug[128];
	size_t k, n;
	int rc;

	snprintf(rel, sizeof(rel), "services/%s.html", def->name);
	site_tables_begin(&tt, s, c, rel, "../", i, err);
	snprintf(title, sizeof(title), "%s, %s", def->title, sv->period);
	service_lead(def, "London", lead, sizeof(lead));
	site_page_begin(s, c, &sb, title, "../", "services.html", lead);
	if (sv->held[0]) {
		strbuf_addstr(&sb, "<div class=\"govuk-inset-text\">");
		html_escape(&sb, sv->held);
		strbuf_addstr(&sb, "</div>\n");
		(void)site_tables_end(&tt); /* no table drawn */
		rc = site_page_finish(s, c, &sb, "../", rel, err);
		strbuf_release(&sb);
		free((void *)boroughs);
		return rc;
	}
	site_area_table(&sv->table, london, &own);
	site_area_service(&sb, &own, def, sv->period, "London", def->name,
			  &tt);
	tidy_table_free(&own);
	n = site_boroughs_in(s, &sv->table, "stage_count", SITE_ANY_YEAR,
			     boroughs);
	html_heading(&sb, 2, "Boroughs");
	if (n == 0)
		site_para(&sb, "No borough's return for this year is in the "
			       "store, so there are no borough pages.");
	else {
		site_para(&sb, "Each borough with a return has a page of its "
			       "own figures. Figures resting on fewer than 10 "
			       "people are withheld ([c]), with others where "
			       "they would let one be worked out.");
		strbuf_addstr(&sb, "<ul class=\"govuk-list parity-area-list\">"
				   "\n");
		for (k = 0; k < n; k++) {
			site_slug(boroughs[k]->name, slug, sizeof(slug));
			strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\""
					 "%s/%s.html\">", def->name, slug);
			html_escape(&sb, boroughs[k]->name);
			strbuf_addstr(&sb, "</a></li>\n");
		}
		strbuf_addstr(&sb, "</ul>\n");
	}
	funnel_section(&sb, &sv->table, def, sv->period, NULL, def->name,
		       &tt);
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = site_page_finish(s, c, &sb, "../", rel, err);
	strbuf_release(&sb);
	for (k = 0; k < n && rc == 0; k++)
		rc = borough_service_page(s, c, i, boroughs[k], err);
	free((void *)boroughs);
	return rc;
}

int site_write_services(struct site *s, const struct site_copy *c,
			struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k;
	int rc;

	site_page_begin(s, c, &sb, "Services", "", "services.html",
			"Disproportionality along public services in London: "
			"how people of each ethnic group fare at each stage, "
			"compared with White people.");
	strbuf_addstr(&sb, "<ul class=\"govuk-list govuk-list--bullet\">\n");
	for (k = 0; k < s->nservices; k++) {
		const struct site_service_pub *sv = &s->services[k];

		strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\"services/"
				 "%s.html\">", sv->def->name);
		html_escape(&sb, sv->def->title);
		strbuf_addstr(&sb, ", ");
		html_escape(&sb, sv->period);
		strbuf_addstr(&sb, "</a>");
		if (sv->held[0])
			strbuf_addstr(&sb, " (figures held back)");
		strbuf_addstr(&sb, "</li>\n");
	}
	strbuf_addstr(&sb, "</ul>\n");
	site_para(&sb, "Service figures are published for London as a whole "
		       "and for each borough with a return, each borough on "
		       "a page of its own and against London on funnel "
		       "plots. Figures resting on fewer than 10 people are "
		       "withheld ([c]), and so are others that would let "
		       "them be worked out, by adding up boroughs or by "
		       "comparing one stage with the stage before.");
	rc = site_page_finish(s, c, &sb, "", "services.html", err);
	strbuf_release(&sb);
	for (k = 0; k < s->nservices && rc == 0; k++)
		rc = service_page(s, c, k, err);
	return rc;
}

void site_borough_services(struct strbuf *sb, const struct site *s,
			   const struct area *a)
{
	size_t k;
	bool any = false;
	char slug[128];

	site_slug(a->name, slug, sizeof(slug));
	for (k = 0; k < s->nservices; k++) {
		const struct site_service_pub *sv = &s->services[k];

		if (sv->held[0] ||
		    !site_table_has_area(&sv->table, a->code, "stage_count",
					 SITE_ANY_YEAR))
			continue;
		if (!any) {
			html_heading(sb, 2, "Services");
			strbuf_addstr(sb, "<p class=\"govuk-body\">How people "
					  "of each ethnic group fare along "
					  "services in the borough:</p>\n<ul "
					  "class=\"govuk-list govuk-list--"
					  "bullet\">\n");
			any = true;
		}
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"../"
				"services/%s/%s.html\">", sv->def->name, slug);
		html_escape(sb, sv->def->title);
		strbuf_addstr(sb, ", ");
		html_escape(sb, sv->period);
		strbuf_addstr(sb, "</a></li>\n");
	}
	if (any)
		strbuf_addstr(sb, "</ul>\n");
}
