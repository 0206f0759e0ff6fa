/*
 * sdc_table.c - disclosure control of a tidy table for publication: the
 * count cells and relations a table of workforce measures publishes, and
 * the rows withheld once sdc_protect() has chosen what to suppress.
 *
 * Cells are counts of staff, keyed by area, year, breakdown (pay band or
 * quartile; "" for all) and group. A declared group's key carries its
 * level ("detailed:Other ethnic group: Arab"); not known, prefer not to
 * say, their sum, all staff and all declared staff do not depend on the
 * level. A count reaches the model from the rows that publish it:
 *   staff_count             value
 *   staff_share, representation_ratio
 *                           numerator (the group), denominator (declared)
 *   not_known_rate          numerator (the group), denominator (all staff)
 *   band_share, pay_quartile_share
 *                           numerator (the group in the band), denominator
 *                           (declared staff in the band)
 *   mean_hourly_pay, median_hourly_pay
 *                           denominator (the group)
 * Candidate relations, kept only where they hold (sdc_relation_add):
 * declared = its groups at each level; all staff = declared + not known +
 * prefer not to say; not known or prefer not to say = its two parts; a
 * high-level or binary group = its detailed groups; a group = its bands,
 * and its quartiles; an area = its sub-areas in the table.
 *
 * Rows: a count cell suppressed withholds the figure; a share, rate, ratio,
 * mean or median withholds its value, interval, p and flag when a count
 * behind it is suppressed. Figures whose counts are not in the table are
 * judged by the group's count: pay gaps, relative likelihoods (and the
 * number of events they imply, rate x group), glass ceilings, changes and
 * funnel positions are withheld when the group's count is suppressed or
 * below k. Census residents (benchmark_share) are public and pass as they
 * are.
 */
#include "publish/sdc_private.h"

#include "base/alloc.h"
#include "base/strbuf.h"
#include "domain/ethnicity.h"
#include "publish/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SDC_NONE

/* Group labels that do not depend on the level. */
static const char *const shared_groups[] = {
	"Not known", "Prefer not to say", "Not known or prefer not to say",
	"All staff",
};
#define DECLARED "declared"

static bool shared_group(const char *label)
{
	size_t k;

	for (k = 0; k < sizeof(shared_groups) / sizeof(shared_groups[0]); k++)
		if (strcmp(label, shared_groups[k]) == 0)
			return true;
	return false;
}

static void cell_key(struct strbuf *sb, const char *area, int year,
		     const char *breakdown, const char *level,
		     const char *group)
{
	strbuf_reset(sb);
	if (shared_group(group) || strcmp(group, DECLARED) == 0)
		strbuf_addf(sb, "staff|%s|%d|%s|%s", area, year, breakdown,
			    group);
	else
		strbuf_addf(sb, "staff|%s|%d|%s|%s:%s", area, year, breakdown,
			    level, group);
}

/* The cells behind one row: its value, numerator and denominator when
 * they are counts, and its group's count over all breakdowns. */
struct row_cells {
	size_t value, numerator, denominator, group;
};

struct model {
	struct sdc_problem p;
	struct row_cells *rows;
	struct strbuf key;
	/* the distinct areas, years, levels and breakdowns seen */
	const char **areas, **levels, **breakdowns;
	int *years;
	size_t nareas, nlevels, nbreakdowns, nyears;
	size_t areas_cap, levels_cap, breakdowns_cap, years_cap;
	/* sdc_check_table(): a published table, whose withheld counts are
	 * unknown; each cell's first row and column showing it */
	bool checking;
	size_t *origin_row;
	enum tidy_column *origin_column;
	size_t origin_cap, column_cap;
};

static void remember(const char ***list, size_t *n, size_t *cap,
		     const char *s)
{
	size_t k;

	for (k = 0; k < *n; k++)
		if (strcmp((*list)[k], s) == 0)
			return;
	*list = xgrow(*list, cap, *n + 1, sizeof(**list));
	(*list)[(*n)++] = s;
}

static void remember_year(struct model *m, int year)
{
	size_t k;

	for (k = 0; k < m->nyears; k++)
		if (m->years[k] == year)
			return;
	m->years = xgrow(m->years, &m->years_cap, m->nyears + 1,
			 sizeof(*m->years));
	m->years[m->nyears++] = year;
}

static int add_cell(struct model *m, const struct tidy_row *r,
		    const char *breakdown, const char *group, double v,
		    size_t *out, struct parity_error *err)
{
	*out = NONE;
	if (isnan(v))
		return 0;
	cell_key(&m->key, r->area_code, r->year, breakdown, r->ethnicity_level,
		 group);
	return sdc_cell_add(&m->p, m->key.buf, v, out, err);
}

static bool is(const struct tidy_row *r, const char *measure)
{
	return strcmp(r->measure, measure) == 0;
}

/* Where a row shows a count: the column, and the count's breakdown and
 * group. */
struct count_slot {
	enum tidy_column column;
	const char *breakdown;
	const char *group;
};

/* The counts a row shows (at most two); returns how many. */
static size_t row_slots(const struct tidy_row *r, struct count_slot *out)
{
	bool banded = is(r, "band_share") || is(r, "pay_quartile_share");
	const char *b = banded ? r->breakdown : "";

	if (is(r, "staff_count")) {
		out[0] = (struct count_slot){ TIDY_VALUE, "", r->ethnicity };
		return 1;
	}
	if (is(r, "mean_hourly_pay") || is(r, "median_hourly_pay")) {
		out[0] = (struct count_slot){ TIDY_DENOMINATOR, "",
					      r->ethnicity };
		return 1;
	}
	if (!banded && !is(r, "staff_share") &&
	    !is(r, "representation_ratio") && !is(r, "not_known_rate"))
		return 0;
	out[0] = (struct count_slot){ TIDY_NUMERATOR, b, r->ethnicity };
	out[1] = (struct count_slot){ TIDY_DENOMINATOR, b,
				      is(r, "not_known_rate") ? "All staff"
							      : DECLARED };
	return 2;
}

static size_t *slot_cell(struct row_cells *c, enum tidy_column column)
{
	return column == TIDY_VALUE	    ? &c->value
	       : column == TIDY_NUMERATOR ? &c->numerator
					  : &c->denominator;
}

/* Note the area, year, level and breakdown of a row, which the relations
 * are proposed over. */
static void remember_dimensions(struct model *m, const struct tidy_row *r)
{
	remember(&m->areas, &m->nareas, &m->areas_cap, r->area_code);
	remember_year(m, r->year);
	if (r->ethnicity_level[0])
		remember(&m->levels, &m->nlevels, &m->levels_cap,
			 r->ethnicity_level);
	if (is(r, "band_share") || is(r, "pay_quartile_share"))
		remember(&m->breakdowns, &m->nbreakdowns, &m->breakdowns_cap,
			 r->breakdown);
}

/* Register the counts a row publishes. */
static int row_counts(struct model *m, const struct tidy_row *r,
		      struct row_cells *c, struct parity_error *err)
{
	struct count_slot slots[2];
	size_t n = row_slots(r, slots), k;

	c->value = c->numerator = c->denominator = c->group = NONE;
	remember_dimensions(m, r);
	for (k = 0; k < n; k++)
		if (add_cell(m, r, slots[k].breakdown, slots[k].group,
			     tidy_row_number(r, slots[k].column),
			     slot_cell(c, slots[k].column), err) < 0)
			return -1;
	return 0;
}

/* The cell with this key, or NONE. */
static size_t find(struct model *m, const char *area, int year,
		   const char *breakdown, const char *level, const char *group)
{
	cell_key(&m->key, area, year, breakdown, level, group);
	return sdc_cell_find(&m->p, m->key.buf);
}

/* ---- candidate relations ---- */

struct parts {
	size_t *at;
	size_t n, cap;
	bool missing;
};

static void part(struct parts *ps, size_t cell)
{
	if (cell == NONE) {
		ps->missing = true;
		return;
	}
	ps->at = xgrow(ps->at, &ps->cap, ps->n + 1, sizeof(*ps->at));
	ps->at[ps->n++] = cell;
}

static void relate(struct model *m, size_t total, struct parts *ps)
{
	if (total != NONE && !ps->missing)
		sdc__relation_add(&m->p, total, ps->at, ps->n, m->checking);
	ps->n = 0;
	ps->missing = false;
}

/*
 * The groups the pay measures combine when groups are small
 * (measure/workforce.c): a high-level group less one detailed group ('White,
 * other than ...', level high) and every group but one ('All groups other
 * than ... combined', level two-way) = their detailed groups.
 */
static void combined_relations(struct model *m, const char *area, int year,
			       const char *b, struct parts *ps)
{
	size_t d, e, h;
	char label[512];

	for (d = 0; d < ETHNICITY_DETAILED_COUNT; d++) {
		const char *dl = ethnicity_level_group_label(ETH_LEVEL_DETAILED,
							     d);

		h = ethnicity_level_group((enum ethnicity_id)d, ETH_LEVEL_HIGH);
		for (e = 0; e < ETHNICITY_DETAILED_COUNT; e++)
			if (e != d && ethnicity_level_group((enum ethnicity_id)e,
							    ETH_LEVEL_HIGH) == h)
				part(ps, find(m, area, year, b, "detailed",
					      ethnicity_level_group_label(
						      ETH_LEVEL_DETAILED, e)));
		snprintf(label, sizeof(label), "%s, other than %s",
			 ethnicity_level_group_label(ETH_LEVEL_HIGH, h), dl);
		relate(m, find(m, area, year, b, "high", label), ps);
		for (e = 0; e < ETHNICITY_DETAILED_COUNT; e++)
			if (e != d)
				part(ps, find(m, area, year, b, "detailed",
					      ethnicity_level_group_label(
						      ETH_LEVEL_DETAILED, e)));
		snprintf(label, sizeof(label),
			 "All groups other than %s combined", dl);
		relate(m, find(m, area, year, b, "two-way", label), ps);
	}
}

/* Relations across groups, within one area, year and breakdown. */
static void group_relations(struct model *m, const char *area, int year,
			    const char *b, struct parts *ps)
{
	size_t l, g, e;

	for (l = 0; l < m->nlevels; l++) {
		enum ethnicity_level level;
		struct parity_error err = PARITY_ERROR_INIT;

		if (ethnicity_level_parse(m->levels[l], &level, &err) < 0)
			continue; /* a combined row's level: no relations */
		for (g = 0; g < ethnicity_level_group_count(level); g++)
			part(ps, find(m, area, year, b, m->levels[l],
				      ethnicity_level_group_label(level, g)));
		relate(m, find(m, area, year, b, "", DECLARED), ps);
		if (level == ETH_LEVEL_DETAILED)
			continue;
		/* a wider group = its detailed groups */
		for (g = 0; g < ethnicity_level_group_count(level); g++) {
			for (e = 0; e < ETHNICITY_DETAILED_COUNT; e++)
				if (ethnicity_level_group((enum ethnicity_id)e,
							  level) == g)
					part(ps, find(m, area, year, b,
						      "detailed",
						      ethnicity_level_group_label(
							      ETH_LEVEL_DETAILED,
							      ethnicity_level_group(
								      (enum ethnicity_id)e,
								      ETH_LEVEL_DETAILED))));
			relate(m, find(m, area, year, b, m->levels[l],
				       ethnicity_level_group_label(level, g)),
			       ps);
		}
	}
	combined_relations(m, area, year, b, ps);
	part(ps, find(m, area, year, b, "", DECLARED));
	part(ps, find(m, area, year, b, "", "Not known"));
	part(ps, find(m, area, year, b, "", "Prefer not to say"));
	relate(m, find(m, area, year, b, "", "All staff"), ps);
	part(ps, find(m, area, year, b, "", "Not known"));
	part(ps, find(m, area, year, b, "", "Prefer not to say"));
	relate(m, find(m, area, year, b, "", "Not known or prefer not to say"),
	       ps);
}

/* A group = its pay bands, and = its pay quartiles: each a partition of
 * the group's declared staff. */
static void band_relations(struct model *m, const char *area, int year,
			   struct parts *ps)
{
	size_t l, g, b, kind;

	for (l = 0; l <= m->nlevels; l++) {
		enum ethnicity_level level = ETH_LEVEL_DETAILED;
		struct parity_error err = PARITY_ERROR_INIT;
		size_t groups = 1;

		if (l < m->nlevels) {
			if (ethnicity_level_parse(m->levels[l], &level,
						  &err) < 0)
				continue;
			groups = ethnicity_level_group_count(level);
		}
		for (g = 0; g < groups; g++) {
			const char *lvl = l < m->nlevels ? m->levels[l] : "";
			const char *grp =
				l < m->nlevels
					? ethnicity_level_group_label(level, g)
					: DECLARED;

			for (kind = 0; kind < 2; kind++) {
				for (b = 0; b < m->nbreakdowns; b++)
					if ((strstr(m->breakdowns[b],
						    "quartile") != NULL) ==
					    (kind == 1))
						part(ps,
						     find(m, area, year,
							  m->breakdowns[b], lvl,
							  grp));
				relate(m, find(m, area, year, "", lvl, grp),
				       ps);
			}
		}
	}
}

/* Whether area `at` is one of `parent`'s direct sub-areas (pass 0), or one
 * of its boroughs or authorities (pass 1). */
static bool sub_area(const struct area_set *areas, int at, int parent,
		     int pass)
{
	if (at < 0 || at == parent)
		return false;
	if (pass == 0)
		return areas->areas[at].parent == parent;
	return area_within(areas, at, parent) &&
	       (areas->areas[at].type == AREA_BOROUGH ||
		areas->areas[at].type == AREA_LOCAL_AUTHORITY);
}

/* An area = its sub-areas in the table, for every cell key: the cell
 * "staff|AREA|rest" against the cells "staff|SUB|rest". */
static void area_relations(struct model *m, const struct area_set *areas,
			   struct parts *ps)
{
	size_t a, k, child;
	int *at = xcalloc(m->nareas ? m->nareas : 1, sizeof(*at));
	int pass;
	char key[512];

	for (a = 0; a < m->nareas; a++)
		at[a] = area_find(areas, m->areas[a]);
	for (k = 0; k < m->p.ncells; k++) {
		const char *code = strchr(m->p.cells[k].key, '|');
		const char *rest = code ? strchr(code + 1, '|') : NULL;

		/* pay quartiles are each area's own: an area's quartile
		 * counts are not its sub-areas' added up */
		if (!rest || strstr(rest, "quartile") != NULL)
			continue;
		code++;
		for (a = 0; a < m->nareas; a++)
			if (strlen(m->areas[a]) == (size_t)(rest - code) &&
			    strncmp(m->areas[a], code, (size_t)(rest - code)) ==
				    0)
				break;
		if (a == m->nareas || at[a] < 0)
			continue;
		/* its direct sub-areas, then its boroughs and authorities:
		 * either may partition it */
		for (pass = 0; pass < 2; pass++) {
			for (child = 0; child < m->nareas; child++) {
				size_t c;

				if (!sub_area(areas, at[child], at[a], pass))
					continue;
				snprintf(key, sizeof(key), "staff|%s%s",
					 m->areas[child], rest);
				c = sdc_cell_find(&m->p, key);
				if (c != NONE)
					part(ps, c);
			}
			relate(m, k, ps);
		}
	}
	free(at);
}

/* ---- rounding ---- */

/* v to the nearest multiple of `base`, halves away from zero. */
static double round_count(double v, double base)
{
	return isnan(v) || !(base > 1) ? v : base * round(v / base);
}

/* Round the counts a row shows (those that are cells of the model); the
 * figures computed from them were computed before. */
static void round_row(struct tidy_table *t, struct tidy_row *r,
		      const struct row_cells *c, double base)
{
	char note[2048];

	if (!(base > 1) ||
	    (c->value == NONE && c->numerator == NONE &&
	     c->denominator == NONE))
		return;
	snprintf(note, sizeof(note), "%s%scounts rounded to the nearest %g, "
		 "so totals may differ from the sum of their parts; figures "
		 "computed from the exact counts", r->note,
		 r->note[0] ? "; " : "", base);
	r->note = tidy_table_intern(t, note);
	if (c->value != NONE && !tidy_row_withheld(r, TIDY_VALUE))
		r->value = round_count(r->value, base);
	if (c->numerator != NONE && !tidy_row_withheld(r, TIDY_NUMERATOR))
		r->numerator = round_count(r->numerator, base);
	if (c->denominator != NONE && !tidy_row_withheld(r, TIDY_DENOMINATOR))
		r->denominator = round_count(r->denominator, base);
}

/* ---- withholding rows ---- */

static const char WITHHELD_NOTE[] =
	"[c] withheld to protect confidentiality: fewer than %g people, or "
	"hidden so that such a figure cannot be worked out from others "
	"(docs/disclosure.md)";

#define BIT(c) (1u << (c))
#define ALL_FIGURES                                                        \
	(BIT(TIDY_VALUE) | BIT(TIDY_NUMERATOR) | BIT(TIDY_DENOMINATOR) |   \
	 BIT(TIDY_CI_LOW) | BIT(TIDY_CI_HIGH) | BIT(TIDY_P_VALUE))

static bool cell_hidden(const struct model *m, size_t cell)
{
	return cell != NONE && m->p.cells[cell].state != SDC_PUBLISHED;
}

/* Whether a group's count is too small, or hidden, for figures resting on
 * it to be shown. */
static bool group_unsafe(const struct model *m, size_t cell, double k)
{
	return cell != NONE &&
	       (cell_hidden(m, cell) ||
		(m->p.cells[cell].value > 0 && m->p.cells[cell].value < k));
}

/* Measures whose figures rest on counts the table does not carry, judged
 * by the group's count. */
static bool rests_on_group(const struct tidy_row *r)
{
	static const char *const measures[] = {
		"mean_pay_gap", "median_pay_gap", "relative_likelihood",
		"wres_relative_likelihood", "glass_ceiling",
		"staff_share_change_pp", "not_known_change_pp",
		"funnel_position", "mean_hourly_pay", "median_hourly_pay",
	};
	size_t k;

	for (k = 0; k < sizeof(measures) / sizeof(measures[0]); k++)
		if (strcmp(r->measure, measures[k]) == 0)
			return true;
	return false;
}

/* The number of events a relative likelihood's rate implies for its
 * group: rate (%) x the group's count. */
static double implied_events(const struct model *m, const struct tidy_row *r,
			     size_t group)
{
	double rate = strcmp(r->measure, "wres_relative_likelihood") == 0
			      ? r->denominator
			      : r->numerator;

	if (group == NONE || isnan(rate))
		return NAN;
	return round(rate / 100.0 * m->p.cells[group].value);
}

static unsigned withheld_mask(const struct model *m, const struct tidy_row *r,
			      const struct row_cells *c, double k)
{
	bool count_measure = c->value != NONE;
	double events;

	if (count_measure)
		return cell_hidden(m, c->value) ? BIT(TIDY_VALUE) : 0;
	if (cell_hidden(m, c->numerator) || cell_hidden(m, c->denominator))
		return ALL_FIGURES;
	if (!rests_on_group(r))
		return 0;
	if (group_unsafe(m, c->group, k))
		return ALL_FIGURES;
	if (strstr(r->measure, "relative_likelihood")) {
		events = implied_events(m, r, c->group);
		if (events > 0 && events < k)
			return ALL_FIGURES;
	}
	return 0;
}

/* Every candidate relation of the counts in the model: groups, bands
 * and quartiles within each area and year, then areas. */
static void model_relations(struct model *m, const struct area_set *areas,
			    struct parts *ps)
{
	size_t a, y, b;

	for (a = 0; a < m->nareas; a++)
		for (y = 0; y < m->nyears; y++) {
			group_relations(m, m->areas[a], m->years[y], "", ps);
			for (b = 0; b < m->nbreakdowns; b++)
				group_relations(m, m->areas[a], m->years[y],
						m->breakdowns[b], ps);
			band_relations(m, m->areas[a], m->years[y], ps);
		}
	area_relations(m, areas, ps);
}

/*
 * The previous release of the same figures: a count it withheld stays
 * withheld (SDC_PRIOR), or else the new figure, or one worked out from it,
 * would reveal what the old release hid. A count it published (in any of
 * its rows) is known to anyone who kept it; when its value is unchanged
 * (or, with rounding, rounds to what was shown) withholding it now hides
 * nothing, so the audit treats it as a published constant and it is never
 * chosen as a complement. A count that changed is unknown like any other.
 * (A count the old release withheld that is k or more stays withheld and
 * unknown, protecting the counts beside it, but needs no interval of its
 * own: see audit_loop() in sdc.c.)
 */
static void apply_prior(struct model *m, const struct tidy_table *prior,
			double round_to)
{
	struct count_slot slots[2];
	bool *shown = xcalloc(m->p.ncells ? m->p.ncells : 1, sizeof(*shown));
	size_t i, j, n, c;
	int pass;

	/* first what it showed anywhere, then what it withheld everywhere */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < prior->count; i++) {
			const struct tidy_row *r = &prior->rows[i];

			n = row_slots(r, slots);
			for (j = 0; j < n; j++) {
				struct sdc_cell *cell;
				double v;
				bool withheld = tidy_row_withheld(
					r, slots[j].column);

				c = find(m, r->area_code, r->year,
					 slots[j].breakdown,
					 r->ethnicity_level, slots[j].group);
				if (c == NONE)
					continue;
				cell = &m->p.cells[c];
				if (pass == 1) {
					if (!withheld || shown[c] ||
					    cell->state != SDC_PUBLISHED)
						continue;
					cell->state = SDC_PRIOR;
					continue;
				}
				if (withheld)
					continue;
				shown[c] = true;
				v = tidy_row_number(r, slots[j].column);
				if (!isnan(v) &&
				    (v == cell->value ||
				     (round_to > 1 &&
				      v == round_count(cell->value, round_to))))
					cell->known = true;
			}
		}
	free(shown);
}

int sdc_protect_table(const struct tidy_table *in,
		      const struct area_set *areas,
		      const struct sdc_options *opt, struct tidy_table *out,
		      struct sdc_summary *summary, struct parity_error *err)
{
	struct model m;
	struct parts ps = { NULL, 0, 0, false };
	size_t k;
	int rc = 0;

	memset(&m, 0, sizeof(m));
	sdc_problem_init(&m.p);
	strbuf_init(&m.key);
	m.rows = xcalloc(in->count ? in->count : 1, sizeof(*m.rows));
	for (k = 0; k < in->count && rc == 0; k++)
		rc = row_counts(&m, &in->rows[k], &m.rows[k], err);
	for (k = 0; k < in->count && rc == 0; k++) {
		const struct tidy_row *r = &in->rows[k];

		m.rows[k].group = find(&m, r->area_code, r->year, "",
				       r->ethnicity_level, r->ethnicity);
	}
	if (rc == 0)
		model_relations(&m, areas, &ps);
	if (rc == 0 && opt->prior)
		apply_prior(&m, opt->prior, opt->round_to);
	if (rc == 0)
		rc = sdc_protect(&m.p, opt, summary, err);
	if (rc == 0) {
		char note[512];

		snprintf(note, sizeof(note), WITHHELD_NOTE, opt->k);
		tidy_table_append(out, in);
		for (k = 0; k < in->count; k++) {
			struct tidy_row *r = &out->rows[out->count -
							 in->count + k];
			unsigned mask = withheld_mask(&m, &in->rows[k],
						      &m.rows[k], opt->k);

			if (!mask) {
				round_row(out, r, &m.rows[k], opt->round_to);
				continue;
			}
			r->withheld = mask;
			if (mask & BIT(TIDY_VALUE))
				r->value = NAN;
			if (mask & BIT(TIDY_NUMERATOR))
				r->numerator = NAN;
			if (mask & BIT(TIDY_DENOMINATOR))
				r->denominator = NAN;
			r->ci_low = r->ci_high = r->p_value = NAN;
			r->flag = tidy_table_intern(out, "suppressed");
			r->note = tidy_table_intern(out, note);
		}
	}
	free(ps.at);
	free(m.rows);
	free((void *)m.areas);
	free((void *)m.levels);
	free((void *)m.breakdowns);
	free(m.years);
	strbuf_release(&m.key);
	sdc_problem_free(&m.p);
	return rc;
}

/* ---- checking a published table ---- */

/* Register the counts a published row shows: a withheld one is unknown
 * (its value a placeholder 0) until a row shows it. */
static int check_counts(struct model *m, const struct tidy_table *t,
			size_t at, struct parity_error *err)
{
	const struct tidy_row *r = &t->rows[at];
	struct count_slot slots[2];
	size_t n = row_slots(r, slots), k, c;

	remember_dimensions(m, r);
	for (k = 0; k < n; k++) {
		bool withheld = tidy_row_withheld(r, slots[k].column);
		double v = tidy_row_number(r, slots[k].column);
		struct sdc_cell *cell;

		if (!withheld && isnan(v))
			continue;
		cell_key(&m->key, r->area_code, r->year, slots[k].breakdown,
			 r->ethnicity_level, slots[k].group);
		c = sdc_cell_find(&m->p, m->key.buf);
		if (c == NONE) {
			if (sdc_cell_add(&m->p, m->key.buf, withheld ? 0 : v,
					 &c, err) < 0)
				return -1;
			m->origin_row = xgrow(m->origin_row, &m->origin_cap,
					      c + 1, sizeof(*m->origin_row));
			m->origin_column = xgrow(m->origin_column,
						 &m->column_cap, c + 1,
						 sizeof(*m->origin_column));
			m->origin_row[c] = at;
			m->origin_column[c] = slots[k].column;
			m->p.cells[c].state = withheld ? SDC_SECONDARY
						       : SDC_PUBLISHED;
			continue;
		}
		cell = &m->p.cells[c];
		if (withheld)
			continue;
		if (cell->state != SDC_PUBLISHED) {
			/* withheld in one place, shown in another: shown */
			cell->value = v;
			cell->state = SDC_PUBLISHED;
			m->origin_row[c] = at;
			m->origin_column[c] = slots[k].column;
		} else if (fabs(cell->value - v) > 1e-9) {
			return parity_error_set(
				err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				"two figures for one count: %s is %.10g in "
				"one row and %.10g in another (%s, %s, %s)",
				m->key.buf, cell->value, v, r->measure,
				r->area_code, r->ethnicity);
		}
	}
	return 0;
}

static void add_problem(struct sdc_check *out, const struct model *m,
			size_t cell, double low, double high, bool small)
{
	struct sdc_check_problem *pr;

	out->problems = xgrow(out->problems, &out->problems_cap,
			      out->nproblems + 1, sizeof(*out->problems));
	pr = &out->problems[out->nproblems++];
	pr->row = m->origin_row[cell];
	pr->column = m->origin_column[cell];
	pr->low = low;
	pr->high = high;
	pr->small = small;
}

static void model_free(struct model *m)
{
	free(m->rows);
	free((void *)m->areas);
	free((void *)m->levels);
	free((void *)m->breakdowns);
	free(m->years);
	free(m->origin_row);
	free(m->origin_column);
	strbuf_release(&m->key);
	sdc_problem_free(&m->p);
}

int sdc_check_table(const struct tidy_table *t, const struct area_set *areas,
		    double k, double protection, struct sdc_check *out,
		    struct parity_error *err)
{
	struct model m;
	struct parts ps = { NULL, 0, 0, false };
	struct sdc_incidence inc;
	struct sdc_interval *iv = NULL;
	bool *exact = NULL;
	struct sdc_audit_stats st;
	size_t c;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->narrowest = INFINITY;
	memset(&m, 0, sizeof(m));
	memset(&inc, 0, sizeof(inc));
	sdc_problem_init(&m.p);
	strbuf_init(&m.key);
	m.checking = true;
	for (c = 0; c < t->count && rc == 0; c++)
		rc = check_counts(&m, t, c, err);
	if (rc == 0)
		model_relations(&m, areas, &ps);
	if (rc == 0) {
		iv = xcalloc(m.p.ncells ? m.p.ncells : 1, sizeof(*iv));
		exact = xcalloc(m.p.ncells ? m.p.ncells : 1, sizeof(*exact));
		sdc__incidence_build(&m.p, &inc);
		rc = sdc__audit(&m.p, &inc, protection, NULL, NULL, iv, exact,
				&st, err);
		if (rc == 0)
			rc = sdc__narrowest(&m.p, &inc, iv, exact, k, INFINITY,
					    &out->narrowest, err);
		out->lps = st.lps;
		out->largest_block = st.largest;
	}
	out->counts = m.p.ncells;
	out->relations = m.p.nrelations;
	for (c = 0; rc == 0 && c < m.p.ncells; c++) {
		const struct sdc_cell *cell = &m.p.cells[c];

		if (cell->state == SDC_PUBLISHED) {
			if (cell->value > 0 && cell->value < k)
				add_problem(out, &m, c, cell->value,
					    cell->value, true);
			continue;
		}
		out->withheld++;
		/* a withheld count that can only be k or more reveals no
		 * small count, however narrow its interval: it was withheld
		 * because a figure beside it was (a band's total on a row
		 * whose group is suppressed), not to protect it */
		if (iv[c].high - iv[c].low < protection && iv[c].low < k)
			add_problem(out, &m, c, iv[c].low, iv[c].high, false);
		else if (iv[c].high - iv[c].low < protection)
			out->large_known++;
	}
	free(iv);
	free(exact);
	free(ps.at);
	sdc__incidence_free(&inc);
	model_free(&m);
	return rc;
}

void sdc_check_free(struct sdc_check *c)
{
	free(c->problems);
	memset(c, 0, sizeof(*c));
}
