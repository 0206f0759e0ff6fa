/*
 * figures_page.c - a council's own figures in the hub (/hub/figures),
 * unsuppressed, for its own accounts and analysts only: every workforce
 * measure with the published site's charts and tables (site_area_workforce),
 * the same figures beside London's, and each service's relative rate
 * indices and stage rates for the council (site_area_service). Each read
 * of unsuppressed figures is audited.
 */
#include "handlers.h"

#include "actions.h"
#include "page.h"

#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "measure/pooled.h"
#include "measure/service.h"
#include "measure/workforce.h"
#include "site/html.h"
#include "site/site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows of `t` for measure `measure`, as row indices into `rows`; how
 * many. */
static size_t rows_of(const struct tidy_table *t, const char *measure,
		      size_t *rows)
{
	size_t k, n = 0;

	for (k = 0; k < t->count; k++)
		if (t->rows[k].measure &&
		    strcmp(t->rows[k].measure, measure) == 0)
			rows[n++] = k;
	return n;
}

/* The council's figures beside London's, measure by measure. */
static void beside_london(struct strbuf *sb, const struct tidy_table *t)
{
	static const struct {
		const char *measure, *caption;
	} shown[] = {
		{ "staff_share", "Staff by ethnic group (% of staff whose "
				 "ethnicity is known)" },
		{ "benchmark_share", "Residents by ethnic group (% of "
				     "residents, Census 2021)" },
		{ "representation_ratio", "Representation: share of staff "
					  "over share of residents" },
		{ "median_pay_gap", "Median hourly pay gap against White "
				    "staff (%)" },
		{ "relative_likelihood", "Relative likelihood against White "
					 "staff" },
	};
	static const enum html_column cols[] = {
		HTML_COL_AREA, HTML_COL_GROUP, HTML_COL_BREAKDOWN,
		HTML_COL_VALUE, HTML_COL_INTERVAL
	};
	static const char *const heads[] = {
		"Area", "Group", "Breakdown", "Figure", "95% interval"
	};
	size_t *rows = calloc(t->count + 1, sizeof(*rows));
	size_t k, n;

	strbuf_addstr(sb, "<h2 class=\"govuk-heading-l\" id=\"london\">"
			  "Beside London</h2>\n");
	for (k = 0; rows && k < sizeof(shown) / sizeof(shown[0]); k++) {
		struct html_table_spec spec = {
			shown[k].caption, cols, heads,
			sizeof(cols) / sizeof(cols[0]), NULL
		};

		n = rows_of(t, shown[k].measure, rows);
		if (n > 0)
			html_table(sb, t, rows, n, &spec);
	}
	free(rows);
}

/* Each service's figures for the council for the financial or academic
 * year that ends in `year`, as the site publishes London's. -1 when the
 * audit or the store failed (c->res then says so). */
static int services(struct route_call *c, const struct area *a, int area,
		    int year, enum ethnicity_level level)
{
	struct strbuf *sb = &c->res->body;
	struct service_options opt;
	size_t k;
	char period[16], id[96];

	snprintf(period, sizeof(period), "%d-%02d", year - 1, year % 100);
	service_options_init(&opt);
	opt.census = c->ctx->census;
	opt.level = level;
	for (k = 0; k < c->ctx->services->count; k++) {
		struct parity_error err = PARITY_ERROR_INIT;
		const struct service_def *def = &c->ctx->services->defs[k];
		struct service_area sa = { a->code, a->name,
					   area_type_name(a->type), area };
		struct tidy_table t;
		int rc;

		tidy_table_init(&t);
		rc = pooled_service_measures(c->store, c->ctx->areas, def, &sa,
					     year - 1, &opt, &t, &err);
		strbuf_addstr(sb, "<h2 class=\"govuk-heading-l\">");
		page_escape(sb, def->title);
		strbuf_addf(sb, ", %s</h2>\n", period);
		if (rc < 0) {
			strbuf_addstr(sb, "<p class=\"govuk-body\">These figures "
					  "could not be made.</p>\n");
		} else if (rc > 0 || t.count == 0) {
			strbuf_addstr(sb, "<p class=\"govuk-body\">The store "
					  "holds no return of this service from "
					  "the council for this year.</p>\n");
		} else {
			if (route_audit(c, "read.unsuppressed", a->code,
					year - 1, 0, def->name) < 0) {
				tidy_table_free(&t);
				return -1;
			}
			snprintf(id, sizeof(id), "hub-%s", def->name);
			site_area_service(sb, &t, def, period, a->name, id,
					  NULL);
		}
		tidy_table_free(&t);
	}
	return 0;
}

void page_figures(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct workforce_options opt;
	struct tidy_table t;
	struct strbuf *sb = &c->res->body;
	const char *level_text = server_query(c->req, "level");
	const struct area *a;
	char title[256];
	long year;
	int area, london, rc;

	if (!c->area_code) {
		c->res->status = 400;
		page_begin(c, "Choose a council");
		strbuf_addstr(sb, "<p class=\"govuk-body\">Give the council "
				  "as <code>?area=CODE</code>.</p>\n");
		page_end(c);
		return;
	}
	year = page_year(c, server_query(c->req, "year"));
	area = area_find(c->ctx->areas, c->area_code);
	a = &c->ctx->areas->areas[area];
	london = area_london(c->ctx->areas);
	workforce_options_init(&opt);
	opt.level = level_text && strcmp(level_text, "detailed") == 0
			    ? ETH_LEVEL_DETAILED
			    : ETH_LEVEL_HIGH;
	opt.benchmark = c->ctx->census;
	tidy_table_init(&t);
	rc = pooled_workforce_measures(c->store, c->ctx->areas, area,
				       (int)year, &opt, &t, &err);
	if (rc == 0)
		rc = pooled_workforce_measures(c->store, c->ctx->areas, london,
					       (int)year, &opt, &t, &err);
	if (rc < 0) {
		c->res->status = 500;
		page_begin(c, "The figures could not be made");
		page_end(c);
		tidy_table_free(&t);
		return;
	}
	if (rc > 0 || t.count == 0) {
		c->res->status = 404;
		page_begin(c, "No figures yet");
		strbuf_addf(sb, "<p class=\"govuk-body\">There is no workforce "
				"return for %ld. <a class=\"govuk-link\" href=\""
				"/hub/upload\">Send a return</a>.</p>\n", year);
		page_end(c);
		tidy_table_free(&t);
		return;
	}
	if (route_audit(c, "read.unsuppressed", c->area_code, (int)year, 0,
			"figures page") < 0) {
		tidy_table_free(&t);
		return;
	}
	snprintf(title, sizeof(title), "%s: figures for %ld", a->name, year);
	page_begin(c, title);
	strbuf_addstr(sb, "<p class=\"govuk-body-l\">");
	page_escape(sb, a->name);
	strbuf_addf(sb, " as an employer in %ld, and its services, by %s "
			"ethnic group: not disclosure-controlled, for the "
			"council's own use. London's figures pool every "
			"council that made a return.</p>\n<p class=\"govuk-"
			"body\">", year,
		    opt.level == ETH_LEVEL_DETAILED ? "each of the 19"
						   : "high-level");
	strbuf_addf(sb, "<a class=\"govuk-link\" href=\"/hub/figures?area=%s"
			"&amp;year=%ld&amp;level=%s\">%s</a> · <a class=\""
			"govuk-link\" href=\"#london\">Beside London</a></p>\n",
		    a->code, year,
		    opt.level == ETH_LEVEL_DETAILED ? "high" : "detailed",
		    opt.level == ETH_LEVEL_DETAILED
			    ? "Show the 5 high-level groups"
			    : "Show all 19 ethnic groups");
	/* no site: the council's own figures, unprotected, are never
	 * written to a file */
	site_area_workforce(sb, &t, (int)year, a->code, a->name, "hub",
			    NULL);
	beside_london(sb, &t);
	tidy_table_free(&t);
	if (services(c, a, area, (int)year, opt.level) < 0)
		return;
	page_end(c);
}
