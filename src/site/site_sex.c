/*
 * site_sex.c - the 'By sex' section of the workforce pages (see
 * site_sex.h): the rows by sex of the protected workforce table, as tables
 * beside the words that say how to read them.
 *
 * A row is by sex when its breakdown starts with one (domain/sex.h:
 * "female", "female; promoted"); the other sections of the page leave such
 * rows out. Every figure here has been through the same
 * sdc_protect_table() call as the rest of the workforce table, so a
 * withheld count cannot be had back by subtracting across sex; withheld
 * figures show [c], as everywhere.
 */
#include "site/site_sex.h"

#include "base/alloc.h"
#include "domain/sex.h"
#include "site/html.h"
#include "site/site_tables.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rows {
	size_t *at;
	size_t n, cap;
};

/* The rows of `measure` for area `code` with breakdown `breakdown` (and,
 * when not NULL, group `group`), in table order. */
static void pick(const struct tidy_table *t, const char *measure,
		 const char *code, const char *breakdown, const char *group,
		 struct rows *rs)
{
	size_t k;

	rs->n = 0;
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, measure) != 0 ||
		    strcmp(r->area_code, code) != 0 ||
		    strcmp(r->breakdown, breakdown) != 0 ||
		    (group && strcmp(r->ethnicity, group) != 0))
			continue;
		rs->at = xgrow(rs->at, &rs->cap, rs->n + 1, sizeof(*rs->at));
		rs->at[rs->n++] = k;
	}
}

static void para(struct strbuf *sb, const char *text)
{
	strbuf_addstr(sb, "<p class=\"govuk-body\">");
	html_escape(sb, text);
	strbuf_addstr(sb, "</p>\n");
}

/* A table of `rs`, and the CSV of its rows beside it (`tt`). */
static void table(struct strbuf *sb, const struct tidy_table *t,
		  const struct rows *rs, const char *caption,
		  const enum html_column *cols, const char *const *heads,
		  size_t ncols, struct site_tables *tt)
{
	struct html_table_spec spec = { caption, cols, heads, ncols, NULL };

	if (rs->n == 0)
		return;
	strbuf_addstr(sb, "<div class=\"parity-table-wrap\">\n");
	html_table(sb, t, rs->at, rs->n, &spec);
	(void)site_tables_add(tt, sb, t, rs->at, rs->n, &spec);
	strbuf_addstr(sb, "</div>\n");
}

/* Whether `t` has any row by sex for the area. */
static bool any_by_sex(const struct tidy_table *t, const char *code)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].area_code, code) == 0 &&
		    sex_breakdown(t->rows[k].breakdown, NULL, NULL))
			return true;
	return false;
}

/* The staff events, as the relative likelihoods' tables say them. */
static const struct {
	const char *event, *happening;
} events[] = {
	{ "promoted", "being promoted" },
	{ "disciplinary", "facing disciplinary action" },
	{ "training", "being trained" },
	{ "left", "leaving" },
};

/* One sex's tables: staff, representation, median pay gap, relative
 * likelihoods. */
static void one_sex(struct strbuf *sb, const struct tidy_table *t, int year,
		    const char *code, const char *name, enum sex sex,
		    struct rows *rs, struct site_tables *tt)
{
	static const enum html_column count_cols[] = { HTML_COL_GROUP,
						       HTML_COL_VALUE };
	static const enum html_column ratio_cols[] = {
		HTML_COL_GROUP, HTML_COL_STAFF_SHARE, HTML_COL_VALUE,
		HTML_COL_INTERVAL, HTML_COL_FLAG,
	};
	static const enum html_column gap_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_NUMERATOR,
		HTML_COL_DENOMINATOR,
	};
	static const enum html_column rl_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	const char *who = sex == SEX_FEMALE ? "female" : "male";
	const char *Who = sex == SEX_FEMALE ? "Female" : "Male";
	char caption[512], bd[128], h[5][128];
	const char *count_heads[2], *ratio_heads[5], *gap_heads[4],
		*rl_heads[6];
	size_t k;

	snprintf(caption, sizeof(caption), "%s staff", Who);
	html_heading(sb, 3, caption);
	snprintf(h[0], sizeof(h[0]), "%s staff", Who);
	count_heads[0] = "Group";
	count_heads[1] = h[0];
	pick(t, "staff_count", code, sex_label(sex), NULL, rs);
	snprintf(caption, sizeof(caption), "%s staff by ethnic group, %s, %d",
		 Who, name, year);
	table(sb, t, rs, caption, count_cols, count_heads, 2, tt);

	snprintf(h[1], sizeof(h[1]), "Share of %s staff", who);
	ratio_heads[0] = "Group";
	ratio_heads[1] = h[1];
	ratio_heads[2] = "Ratio to the share of residents";
	ratio_heads[3] = "95% interval";
	ratio_heads[4] = "Compared with residents";
	pick(t, "representation_ratio", code, sex_label(sex), NULL, rs);
	snprintf(caption, sizeof(caption), "Representation ratio of %s staff "
		 "(share of %s staff / share of all residents), %s, %d", who,
		 who, name, year);
	table(sb, t, rs, caption, ratio_cols, ratio_heads, 5, tt);

	snprintf(h[2], sizeof(h[2]), "Group's %s staff's median hourly pay",
		 who);
	snprintf(h[3], sizeof(h[3]), "White %s staff's median hourly pay",
		 who);
	gap_heads[0] = "Group";
	gap_heads[1] = "Median pay gap";
	gap_heads[2] = h[2];
	gap_heads[3] = h[3];
	pick(t, "median_pay_gap", code, sex_label(sex), NULL, rs);
	snprintf(caption, sizeof(caption), "Median hourly pay gap of %s staff "
		 "with White %s staff, %s, %d", who, who, name, year);
	table(sb, t, rs, caption, gap_cols, gap_heads, 4, tt);

	rl_heads[0] = "Group";
	rl_heads[1] = "Relative likelihood";
	rl_heads[2] = "95% interval";
	rl_heads[3] = "Rate in group";
	snprintf(h[4], sizeof(h[4]), "Rate in White %s staff", who);
	rl_heads[4] = h[4];
	rl_heads[5] = "Difference";
	for (k = 0; k < sizeof(events) / sizeof(events[0]); k++) {
		sex_breakdown_make(sex, events[k].event, bd, sizeof(bd));
		pick(t, "relative_likelihood", code, bd, NULL, rs);
		snprintf(caption, sizeof(caption), "Relative likelihood of %s, "
			 "%s staff compared with White %s staff, %s, %d",
			 events[k].happening, who, who, name, year);
		table(sb, t, rs, caption, rl_cols, rl_heads, 6, tt);
	}
}

void site_sex_section(struct strbuf *sb, const struct tidy_table *t,
		      int year, const char *code, const char *name,
		      const char *id_prefix, struct site_tables *tt)
{
	static const enum html_column all_cols[] = { HTML_COL_BREAKDOWN,
						     HTML_COL_VALUE };
	static const char *const all_heads[] = { "Sex", "Staff" };
	struct rows rs = { NULL, 0, 0 }, one = { NULL, 0, 0 };
	char caption[256];
	size_t s;

	(void)id_prefix; /* tables only: no ids to keep apart */
	if (!any_by_sex(t, code))
		return;
	html_heading(sb, 2, "By sex");
	para(sb, "The same measures among female staff and among male staff. "
		 "Each group's women are compared with White women, and its "
		 "men with White men, so that a difference between the sexes "
		 "is not read as one between ethnic groups. The census figures "
		 "parity holds do not count residents by ethnic group and sex, "
		 "so a group's share of female (or male) staff is compared "
		 "with its share of all residents. Recruitment returns do not "
		 "record sex. Pay bands and the glass ceiling by sex are in "
		 "the downloads.");
	for (s = 0; s < SEX_COUNT; s++) {
		pick(t, "staff_count", code, sex_label((enum sex)s), "All staff",
		     &one);
		if (one.n == 0)
			continue;
		rs.at = xgrow(rs.at, &rs.cap, rs.n + 1, sizeof(*rs.at));
		rs.at[rs.n++] = one.at[0];
	}
	snprintf(caption, sizeof(caption), "Staff by sex, %s, %d", name, year);
	table(sb, t, &rs, caption, all_cols, all_heads, 2, tt);
	one_sex(sb, t, year, code, name, SEX_FEMALE, &one, tt);
	one_sex(sb, t, year, code, name, SEX_MALE, &one, tt);
	free(rs.at);
	free(one.at);
}
