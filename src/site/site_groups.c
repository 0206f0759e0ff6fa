/*
 * site_groups.c - the published site's pages for groups of boroughs:
 * London's sub-regional partnerships (partnerships/SLUG.html) and the
 * groups defined in the store (groups/SLUG.html). Each page gives the
 * group's members, linked to their borough pages, says which made no
 * return, and shows the group's workforce figures, pooled from its
 * members' returns and protected with the rest of the workforce table;
 * or, for a group whose members' returns are another area's (one
 * borough's, Inner London's, ...), a link to that area's figures.
 * The boroughs index lists the pages (site_groups_list()); groups have no
 * navigation item of their own, but sit under Boroughs.
 */
#include "site/site_groups.h"

#include "base/alloc.h"
#include "site/html.h"
#include "site/site_tables.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The folder of a group's page. */
static const char *group_dir(const struct area *a)
{
	return a->type == AREA_PARTNERSHIP ? "partnerships" : "groups";
}

static bool has_rows(const struct tidy_table *t, const char *code)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].area_code, code) == 0)
			return true;
	return false;
}

/* The links of the groups of `type`, from a page `root` below the
 * copy's root ("" or "../"). */
static void list_of(const struct site *s, struct strbuf *sb,
		    enum area_type type, const char *root)
{
	size_t k;

	strbuf_addstr(sb, "<ul class=\"govuk-list parity-area-list\">\n");
	for (k = 0; k < s->areas->count; k++) {
		const struct area *a = &s->areas->areas[k];
		char slug[128];

		if (a->type != type)
			continue;
		site_slug(a->name, slug, sizeof(slug));
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"%s%s/%s"
				".html\">", root, group_dir(a), slug);
		html_escape(sb, a->name);
		strbuf_addf(sb, "</a> (%zu boroughs)</li>\n", a->nmembers);
	}
	strbuf_addstr(sb, "</ul>\n");
}

static bool any_of(const struct site *s, enum area_type type)
{
	size_t k;

	for (k = 0; k < s->areas->count; k++)
		if (s->areas->areas[k].type == type)
			return true;
	return false;
}

void site_groups_list(const struct site *s, struct strbuf *sb,
		      const char *root)
{
	if (any_of(s, AREA_PARTNERSHIP)) {
		html_heading(sb, 2, "Sub-regional partnerships");
		strbuf_addstr(sb, "<p class=\"govuk-body\">London's boroughs "
				  "also work together in four sub-regional "
				  "partnerships. Each partnership's figures "
				  "are pooled from its members' returns.</p>\n");
		list_of(s, sb, AREA_PARTNERSHIP, root);
	}
	if (any_of(s, AREA_GROUP)) {
		html_heading(sb, 2, "Groups of boroughs");
		strbuf_addstr(sb, "<p class=\"govuk-body\">Groups of boroughs "
				  "working together on a programme, with "
				  "figures pooled from their members' "
				  "returns.</p>\n");
		list_of(s, sb, AREA_GROUP, root);
	}
}

/* The members, each linked to its page; and those without a return. */
static void members(const struct site *s, struct strbuf *sb,
		    const struct area *g)
{
	size_t k, missing = 0;

	html_heading(sb, 2, "Member boroughs");
	strbuf_addstr(sb, "<ul class=\"govuk-list parity-area-list\">\n");
	for (k = 0; k < g->nmembers; k++) {
		const struct area *m = &s->areas->areas[g->members[k]];
		char slug[128];

		site_slug(m->name, slug, sizeof(slug));
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"../"
				"boroughs/%s.html\">", slug);
		html_escape(sb, m->name);
		strbuf_addstr(sb, "</a></li>\n");
		if (!has_rows(&s->workforce, m->code))
			missing++;
	}
	strbuf_addstr(sb, "</ul>\n");
	if (missing == 0)
		return;
	strbuf_addstr(sb, "<p class=\"govuk-body\">No workforce return for "
			  "this year from ");
	for (k = 0; k < g->nmembers; k++) {
		const struct area *m = &s->areas->areas[g->members[k]];

		if (has_rows(&s->workforce, m->code))
			continue;
		html_escape(sb, m->name);
		missing--;
		if (missing > 1)
			strbuf_addstr(sb, ", ");
		else if (missing == 1)
			strbuf_addstr(sb, " or ");
	}
	strbuf_addstr(sb, ": the figures below pool the members that made "
			  "one.</p>\n");
}

/* Why a group has no figures of its own: no member made a return, or
 * those that did are another area's (site_data.c leaves such a group
 * out, as its figures would only repeat that area's). */
static void repeated(const struct site *s, struct strbuf *sb,
		     const struct area *g)
{
	bool *has = xcalloc(s->areas->count, sizeof(*has));
	const struct area *same;
	char slug[128];
	size_t k;
	int at;

	for (k = 0; k < s->areas->count; k++)
		has[k] = s->areas->areas[k].type == AREA_BOROUGH &&
			 has_rows(&s->workforce, s->areas->areas[k].code);
	at = area_group_repeats(s->areas, (int)(g - s->areas->areas), has);
	free(has);
	if (at < 0) {
		strbuf_addstr(sb, "<p class=\"govuk-body\">The store holds no "
				  "workforce return from these councils for "
				  "this year, so there are no figures for "
				  "the group here.</p>\n");
		return;
	}
	same = &s->areas->areas[at];
	strbuf_addstr(sb, "<p class=\"govuk-body\">The members' returns for "
			  "this year are those of ");
	site_slug(same->name, slug, sizeof(slug));
	if (same->type == AREA_BOROUGH || area_is_group(s->areas, at)) {
		strbuf_addf(sb, "<a class=\"govuk-link\" href=\"../%s/%s"
				".html\">",
			    same->type == AREA_BOROUGH ? "boroughs"
						       : group_dir(same),
			    slug);
		html_escape(sb, same->name);
		strbuf_addstr(sb, "</a>");
	} else if (at == area_london(s->areas)) {
		strbuf_addstr(sb, "<a class=\"govuk-link\" href=\"../index."
				  "html\">London</a>");
	} else {
		html_escape(sb, same->name);
		strbuf_addstr(sb, " (on the <a class=\"govuk-link\" href=\""
				  "../measures/index.html\">pages comparing "
				  "boroughs</a>)");
	}
	strbuf_addstr(sb, ", so its figures would be the same: they are not "
			  "published twice.</p>\n");
}

static int group_page(struct site *s, const struct site_copy *c,
		      const struct area *g, struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	char slug[128], rel[192], lead[512], idp[160];
	int rc;

	site_slug(g->name, slug, sizeof(slug));
	snprintf(rel, sizeof(rel), "%s/%s.html", group_dir(g), slug);
	site_tables_begin(&tt, s, c, rel, "../", SITE_WORKFORCE, err);
	snprintf(lead, sizeof(lead), "%s, %s of %zu London boroughs, as "
		 "employers in %d: who works for its councils, compared with "
		 "their residents and with London.", g->name,
		 g->type == AREA_PARTNERSHIP ? "a sub-regional partnership"
					     : "a group",
		 g->nmembers, s->opt->year);
	snprintf(idp, sizeof(idp), "%c-%s",
		 g->type == AREA_PARTNERSHIP ? 'p' : 'g', slug);
	site_page_begin(s, c, &sb, g->name, "../", "boroughs/index.html",
			lead);
	members(s, &sb, g);
	if (!has_rows(&s->workforce, g->code))
		repeated(s, &sb, g);
	else
		site_area_workforce(&sb, &s->workforce, s->opt->year, g->code,
				    g->name, idp, &tt);
	site_area_download(&sb, s, c, g);
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = site_page_finish(s, c, &sb, "../", rel, err);
	strbuf_release(&sb);
	return rc;
}

int site_write_groups(struct site *s, const struct site_copy *c,
		      struct parity_error *err)
{
	size_t k;

	for (k = 0; k < s->areas->count; k++)
		if (area_is_group(s->areas, (int)k) &&
		    group_page(s, c, &s->areas->areas[k], err) < 0)
			return -1;
	return 0;
}
