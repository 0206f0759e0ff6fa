/*
 * sdc_table.c - disclosure control of a tidy table for publication: the
 * count cells a table shows and the figures that rest on them, read from
 * the registry of measures (table/measure_def.h), the relations between
 * the counts, and the rows withheld once sdc_protect() has chosen what to
 * suppress; and the checker, which rebuilds the same model from published
 * tables alone.
 *
 * The model (docs/disclosure.md):
 *
 *   Cells are counts of people, keyed by kind, area, year, breakdown and
 *   group: "staff|E09000005|2024||high:White" (staff in a group), with the
 *   pay band or quartile as breakdown; "people|...|promoted|..." (people
 *   who had an event, or were at risk of it: "answered:promoted",
 *   "applied", "shortlisted", "appointed"); "stage|..." for a service's
 *   stages, the denominator of a rate being the count at the stage it is
 *   taken of (or the base) when the service's definition is known;
 *   "pupils|..." for attainment (the registry's domain says whose counts
 *   a measure's are): a group's pupils, with the attainment measure as
 *   breakdown ("" for every measure when the table gives each group one
 *   count of pupils for all its measures, attainment_cohort()), and those
 *   reaching a threshold ("reached:grade5_eng_maths"). A row shows a count
 *   where the registry gives its value, numerator or denominator the unit
 *   count.
 *
 *   Every other figure (a share, a ratio of rates, a pay gap, a glass
 *   ceiling, a change since last year, a place on a funnel plot) rests on
 *   counts named by its registry basis, and is shown only when every one
 *   of those counts is itself shown. A figure shown is then a function of
 *   counts shown, and reveals nothing the counts do not: so the audit of
 *   the counts and their additive relations covers everything published,
 *   whatever the precision of the figure, its interval or its p-value.
 *
 *   Candidate relations, kept only where they hold (sdc_relation_add):
 *   declared = its groups at each level; all staff = declared + not known
 *   + prefer not to say = declared + their sum; that sum = its two parts;
 *   a wider group = its detailed groups; the combined groups of the pay
 *   measures; a group = its bands, and its quartiles; an area = its
 *   sub-areas, for every kind of count (pooled areas are sums of their
 *   boroughs: events and people at risk too, and pupils), but quartiles;
 *   and a group of boroughs (a partnership, a user's group) = its
 *   members, beside the tree, so that the relations are not a tree. For
 *   pupils, whose groups are the school census's (service_def.h), a
 *   high-level group = the detailed groups it rolls up from
 *   (pupil_group_relations()).
 *
 *   Stage nesting (inequalities): a later stage of a service that is
 *   'within' an earlier one (service_def.h) counts no more than it, for
 *   the same area, year and group: earlier = later + a gap cell that is
 *   never shown (sdc_nesting_add()), in protection and in the checker.
 *   Likewise pupils reaching a threshold are no more than the group's
 *   pupils (within_of(), model_nesting()).
 *
 * The checker reads one or more releases. A count shown by one release
 * and shown differently by another was corrected: every count of that
 * area and year is then a separate unknown in each release (the
 * correction may have changed the withheld ones too); elsewhere a count is
 * one unknown across all releases.
 */
#include "sdc/sdc_private.h"

#include "base/alloc.h"
#include "base/hash.h"
#include "base/strbuf.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "domain/sex.h"
#include "table/measure_def.h"
#include "measure/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SDC_NONE
#define PUPILS "pupils"
/* The breakdown of pupils reaching a threshold: "reached:MEASURE". */
#define REACHED "reached:"
#define DECLARED "declared"
#define ALL_STAFF "All staff"
#define NOT_KNOWN_EITHER "Not known or prefer not to say"

/* Group labels that do not depend on the level. */
static const char *const shared_groups[] = {
	"Not known", "Prefer not to say", NOT_KNOWN_EITHER, ALL_STAFF,
	DECLARED,
};

static bool shared_group(const char *label)
{
	size_t k;

	for (k = 0; k < sizeof(shared_groups) / sizeof(shared_groups[0]); k++)
		if (strcmp(label, shared_groups[k]) == 0)
			return true;
	return false;
}

static bool small_count(double v, double k)
{
	return v > 1e-9 && v < k;
}

static bool is(const struct tidy_row *r, const char *measure)
{
	return strcmp(r->measure, measure) == 0;
}

static bool quartile(const char *breakdown)
{
	return strstr(breakdown, "quartile") != NULL;
}

/* The breakdown of staff paid from a band up (a glass ceiling's counts). */
#define FROM "from:"

static bool from_band(const char *breakdown)
{
	return strncmp(breakdown, FROM, strlen(FROM)) == 0;
}

/* ---- the breakdown by sex (domain/sex.h) ---- */

/* The breakdown of the staff of the sexes a table does not give one by
 * one (sex_relations()): "sex other than female and male; promoted". */
#define OTHER_SEXES "sex other than "

/* The sex a breakdown is of ("female", "female; promoted"), SEX_COUNT for
 * the other sexes' cells of sex_relations(), or -1; *rest (when not NULL)
 * the breakdown after it, or all of it. */
static int breakdown_sex(const char *breakdown, const char **rest)
{
	enum sex s;
	const char *after;

	if (strncmp(breakdown, OTHER_SEXES, strlen(OTHER_SEXES)) == 0) {
		after = strstr(breakdown, "; ");
		if (rest)
			*rest = after ? after + 2 : "";
		return SEX_COUNT;
	}
	if (!sex_breakdown(breakdown, &s, &after)) {
		if (rest)
			*rest = breakdown;
		return -1;
	}
	if (rest)
		*rest = after;
	return (int)s;
}

/* The sex part of a breakdown: "female" of "female; promoted", or "". */
static const char *sex_part(const char *breakdown)
{
	int s = breakdown_sex(breakdown, NULL);

	return s < 0 || s >= SEX_COUNT ? "" : sex_label((enum sex)s);
}

/* Whether a breakdown (after any sex) is of people at risk of a staff
 * event: "answered:promoted", "female; answered:promoted". */
static bool answered(const char *breakdown)
{
	const char *rest;

	(void)breakdown_sex(breakdown, &rest);
	return strncmp(rest, "answered:", 9) == 0;
}

/* Whether a breakdown is a pay band (of all staff, or of one sex). */
static bool pay_band(const char *breakdown)
{
	const char *rest;

	(void)breakdown_sex(breakdown, &rest);
	return rest[0] && !quartile(rest) && !from_band(breakdown);
}

/* ---- the model ---- */

/* What a cell counts, for building relations over it. */
struct cell_meta {
	const char *kind;       /* "staff", "people", "stage", "stagebase" */
	const char *area;
	int year;
	const char *breakdown;
	const char *level;      /* "" for a shared group */
	const char *group;
	int release;            /* in the key's suffix, or -1 for none */
};

/* The count cells a row shows: its value, numerator and denominator
 * (NONE where the column shows no count). */
struct row_cells {
	size_t value, numerator, denominator;
	bool refused;   /* rests on a count from 1 to k - 1 that no other
			 * row shows: withheld, and its counts not put in
			 * the model */
};

/* An index of rows by a text key, chained. */
struct row_index {
	size_t *head;        /* hash slot -> row + 1 */
	char **keys;         /* per slot, the key */
	size_t cap;
	size_t *next;        /* per row: the next row of the same key + 1 */
};

struct slice {
	const char *kind, *area;
	int year;
	const char *breakdown;
	int release;
};

struct model {
	struct sdc_problem p;
	struct cell_meta *meta;
	size_t meta_cap;
	const struct tidy_table *t;   /* the rows modelled (check: every
				       * release appended) */
	const int *release_of;        /* check: each row's release, or NULL */
	struct row_cells *rows;
	struct tidy_table pool;       /* strings the model makes */
	struct strbuf key;
	const char **areas, **breakdowns, **levels;
	size_t nareas, nbreakdowns, nlevels;
	size_t areas_cap, breakdowns_cap, levels_cap;
	struct slice *slices, *area_years;
	size_t nslices, slices_cap, narea_years, area_years_cap;
	struct sdc_problem seen;      /* what the lists above hold */
	struct strbuf seen_key;
	/* check: area/year pairs corrected between releases ("AREA|YEAR") */
	struct sdc_problem corrected;
	bool checking;
	int release;                  /* the release being added, or -1 */
	int last_release;             /* check: the number of releases - 1 */
	size_t current_row;           /* the row being added */
	size_t *conflicts;            /* check: rows showing a count another
				       * row of the release shows otherwise */
	size_t nconflicts, conflicts_cap;
	struct row_index by_row;      /* measure|area|year|level|group|bd */
	struct row_index by_value;    /* measure|area|year|bd|value */
	struct sdc_relation_index relation_index;
	const char *london;
	double k;                     /* the threshold */
	/* a service's table: its definition (built in, found by its stage
	 * names; NULL when none or not a service), and each area and year's
	 * base (its base_population rows' breakdown), sdc_service_*() */
	struct service_defs *service_defs;
	const struct service_def *service;
	struct sdc_problem bases;     /* "AREA|YEAR" -> row, "...|two" */
	/* an attainment table that gives each group in an area and year one
	 * count of pupils for every measure: the pupils are then one cell,
	 * breakdown "" (attainment_cohort()) */
	bool one_cohort;
};

/* Whether `s` (under `prefix`) is new to the model's set of things seen;
 * it is then remembered. Keeps the lists below free of repeats in time
 * linear in the rows. */
static bool first_seen(struct model *m, const char *prefix, const char *s,
		       int n)
{
	struct parity_error ignore = PARITY_ERROR_INIT;
	size_t at;

	strbuf_reset(&m->seen_key);
	strbuf_addf(&m->seen_key, "%s|%s|%d", prefix, s, n);
	if (sdc_cell_find(&m->seen, m->seen_key.buf) != NONE)
		return false;
	sdc_cell_add(&m->seen, m->seen_key.buf, 0, &at, &ignore);
	return true;
}

static void remember(struct model *m, const char *prefix, const char ***list,
		     size_t *n, size_t *cap, const char *s)
{
	if (!first_seen(m, prefix, s, 0))
		return;
	*list = xgrow(*list, cap, *n + 1, sizeof(**list));
	(*list)[(*n)++] = s;
}

/* The slices of the model that hold cells: a kind, area, year and
 * breakdown (relations across groups), and an area and year (across pay
 * bands), in each release when corrected. Relations are proposed only
 * there, so that their number grows with the rows, not with the product
 * of the dimensions. */
static void remember_slice(struct model *m, const char *kind,
			   const char *area, int year, const char *breakdown,
			   int release)
{
	char buf[512];
	struct slice *sl;

	snprintf(buf, sizeof(buf), "%s|%s|%d|%s", kind, area, year,
		 breakdown);
	if (first_seen(m, "slice", buf, release)) {
		m->slices = xgrow(m->slices, &m->slices_cap, m->nslices + 1,
				  sizeof(*m->slices));
		sl = &m->slices[m->nslices++];
		*sl = (struct slice){ kind, area, year, breakdown, release };
	}
	snprintf(buf, sizeof(buf), "%s|%d", area, year);
	if (first_seen(m, "area-year", buf, release)) {
		m->area_years = xgrow(m->area_years, &m->area_years_cap,
				      m->narea_years + 1,
				      sizeof(*m->area_years));
		sl = &m->area_years[m->narea_years++];
		*sl = (struct slice){ "staff", area, year, "", release };
	}
}

/* Whether the model keeps this area and year apart in each release. */
static bool corrected(struct model *m, const char *area, int year)
{
	char buf[256];

	if (m->release < 0 || m->corrected.ncells == 0)
		return false;
	snprintf(buf, sizeof(buf), "%s|%d", area, year);
	return sdc_cell_find(&m->corrected, buf) != NONE;
}

static void cell_key(struct model *m, const char *kind, const char *area,
		     int year, const char *breakdown, const char *level,
		     const char *group)
{
	strbuf_reset(&m->key);
	if (shared_group(group))
		strbuf_addf(&m->key, "%s|%s|%d|%s|%s", kind, area, year,
			    breakdown, group);
	else
		strbuf_addf(&m->key, "%s|%s|%d|%s|%s:%s", kind, area, year,
			    breakdown, level, group);
	if (corrected(m, area, year))
		strbuf_addf(&m->key, "#r%d", m->release);
}

/* The cell with this key, or NONE. */
static size_t find(struct model *m, const char *kind, const char *area,
		   int year, const char *breakdown, const char *level,
		   const char *group)
{
	cell_key(m, kind, area, year, breakdown, level, group);
	return sdc_cell_find(&m->p, m->key.buf);
}

/* A cell for a count shown (value v, published to within `slack`) or
 * withheld (v NAN, checker only): added, or found when another row shows
 * it. */
static int add_cell(struct model *m, const char *kind, const char *area,
		    int year, const char *breakdown, const char *level,
		    const char *group, double v, double slack, bool withheld,
		    size_t *out, struct parity_error *err)
{
	size_t before = m->p.ncells, c;
	struct cell_meta *cm;

	*out = NONE;
	if (!withheld && isnan(v))
		return 0;
	cell_key(m, kind, area, year, breakdown, level, group);
	if (m->checking) {
		c = sdc_cell_find(&m->p, m->key.buf);
		if (c != NONE) {
			struct sdc_cell *cell = &m->p.cells[c];

			*out = c;
			cell->uses++;
			if (withheld)
				return 0;
			if (cell->state != SDC_PUBLISHED) {
				/* withheld in one place, shown in another */
				cell->value = v;
				cell->slack = slack;
				cell->state = SDC_PUBLISHED;
				return 0;
			}
			/* two figures for one count: the files are not what
			 * the registry describes (an older format, or
			 * altered), a problem of the row, not an end */
			if (fabs(cell->value - v) > 1e-9)
				m->conflicts = xgrow(m->conflicts,
						     &m->conflicts_cap,
						     m->nconflicts + 1,
						     sizeof(*m->conflicts));
			if (fabs(cell->value - v) > 1e-9)
				m->conflicts[m->nconflicts++] = m->current_row;
			return 0;
		}
		if (sdc_cell_add(&m->p, m->key.buf, withheld ? 0 : v, &c,
				 err) < 0)
			return -1;
		m->p.cells[c].state = withheld ? SDC_SECONDARY : SDC_PUBLISHED;
		m->p.cells[c].slack = withheld ? 0 : slack;
	} else if (sdc_cell_add(&m->p, m->key.buf, v, &c, err) < 0) {
		return -1;
	}
	*out = c;
	if (m->p.ncells == before)
		return 0;
	m->meta = xgrow(m->meta, &m->meta_cap, m->p.ncells, sizeof(*m->meta));
	cm = &m->meta[c];
	cm->kind = kind;
	cm->area = area;
	cm->year = year;
	cm->breakdown = breakdown;
	cm->level = shared_group(group) ? "" : level;
	cm->group = group;
	cm->release = corrected(m, area, year) ? m->release : -1;
	remember(m, "area", &m->areas, &m->nareas, &m->areas_cap, area);
	remember_slice(m, kind, area, year, breakdown, cm->release);
	if (level[0] && !shared_group(group))
		remember(m, "level", &m->levels, &m->nlevels, &m->levels_cap,
			 level);
	if (strcmp(kind, "staff") == 0 && breakdown[0])
		remember(m, "breakdown", &m->breakdowns, &m->nbreakdowns,
			 &m->breakdowns_cap, breakdown);
	return 0;
}

/* ---- where a row shows counts ---- */

/* One count a row shows: its column, and the count's kind, year,
 * breakdown and group. */
struct count_slot {
	enum tidy_column column;
	const char *kind;
	int year;
	const char *breakdown;
	const char *group;
};

/* The names of an event's counts: "promoted" and, for those at risk,
 * "answered:promoted" (staff with a yes or no), or the recruitment
 * stage's own ("applied"). */
static const char *risk_name(struct model *m, const struct decision_point *d)
{
	char buf[128];

	if (strcmp(d->risk, "staff") != 0)
		return d->risk;
	snprintf(buf, sizeof(buf), "answered:%s", d->event);
	return tidy_table_intern(&m->pool, buf);
}

/* The stage a service rate is taken of, as the key of its own cell. */
static const char *stage_base(struct model *m, const struct tidy_row *r)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s:%s", r->measure, r->breakdown);
	return tidy_table_intern(&m->pool, buf);
}

/* ---- service stages ---- */

/* The breakdown of the base_population rows of the row's area and year,
 * when there is exactly one; else NULL. */
static const char *service_base_of(struct model *m, const struct tidy_row *r)
{
	char buf[256];
	size_t at;

	snprintf(buf, sizeof(buf), "%s|%d|two", r->area_code, r->year);
	if (sdc_cell_find(&m->bases, buf) != NONE)
		return NULL;
	snprintf(buf, sizeof(buf), "%s|%d", r->area_code, r->year);
	at = sdc_cell_find(&m->bases, buf);
	if (at == NONE)
		return NULL;
	return m->t->rows[(size_t)m->bases.cells[at].value].breakdown;
}

/* The index of the stage named `name` (after the base) of the table's
 * service, or 0 when none. */
static size_t service_stage_index(const struct model *m, const char *name)
{
	size_t k;

	for (k = 1; m->service && k < m->service->stage_count; k++)
		if (strcmp(m->service->stages[k].name, name) == 0)
			return k;
	return 0;
}

/*
 * The count a service rate (stage_rate, population_rate) is taken of, as
 * the breakdown of its "stage" cell: the base for population_rate and a
 * stage whose rate is taken of the base; else the stage named by the
 * definition's 'from'. NULL when the service or the base is not known:
 * the denominator is then a cell of its own ("stagebase"), unrelated to
 * the stage counts.
 */
static const char *stage_rate_of(struct model *m, const struct tidy_row *r)
{
	size_t k;

	if (!m->service)
		return NULL;
	if (is(r, "population_rate"))
		return service_base_of(m, r);
	k = service_stage_index(m, r->breakdown);
	if (k == 0)
		return NULL;
	if (m->service->stages[k].from == 0)
		return service_base_of(m, r);
	return m->service->stages[m->service->stages[k].from].name;
}

/* Whether every stage count of the table names a stage of `def`. */
static bool stages_of(const struct tidy_table *t,
		      const struct service_def *def)
{
	size_t i, k;
	bool any = false;

	for (i = 0; i < t->count; i++) {
		const struct tidy_row *r = &t->rows[i];
		bool found = false;

		if (!is(r, "stage_count"))
			continue;
		for (k = 1; k < def->stage_count && !found; k++)
			found = strcmp(def->stages[k].name, r->breakdown) == 0;
		if (!found)
			return false;
		any = true;
	}
	return any;
}

/*
 * Find the table's service among the built-in definitions (the only ones
 * the site publishes) by its stage names, and each area and year's base.
 * A table no definition or more than one fits keeps each rate's
 * denominator a cell of its own, and has no nesting.
 */
static void service_find(struct model *m)
{
	struct parity_error ignore = PARITY_ERROR_INIT;
	const struct tidy_table *t = m->t;
	size_t i, at, fits = 0;
	char buf[256];

	for (i = 0; i < t->count; i++)
		if (is(&t->rows[i], "stage_count"))
			break;
	if (i == t->count || service_defs_load(&m->service_defs, &ignore) < 0)
		return;
	for (i = 0; i < m->service_defs->count; i++)
		if (stages_of(t, &m->service_defs->defs[i])) {
			m->service = &m->service_defs->defs[i];
			fits++;
		}
	if (fits != 1) {
		m->service = NULL;
		return;
	}
	for (i = 0; i < t->count; i++) {
		const struct tidy_row *r = &t->rows[i];

		if (!is(r, "base_population"))
			continue;
		snprintf(buf, sizeof(buf), "%s|%d", r->area_code, r->year);
		at = sdc_cell_find(&m->bases, buf);
		if (at == NONE) {
			sdc_cell_add(&m->bases, buf, (double)i, &at, &ignore);
			continue;
		}
		if (strcmp(t->rows[(size_t)m->bases.cells[at].value].breakdown,
			   r->breakdown) == 0)
			continue;
		snprintf(buf, sizeof(buf), "%s|%d|two", r->area_code, r->year);
		sdc_cell_add(&m->bases, buf, 0, &at, &ignore);
	}
}

/* ---- attainment: pupils ---- */

/* The breakdown of the cell of a group's pupils in attainment measure
 * `measure`: the measure, or "" when the table gives one count of pupils
 * for all of them. */
static const char *pupils_breakdown(const struct model *m,
				    const char *measure)
{
	return m->one_cohort ? "" : measure;
}

/* The count of pupils an attainment row shows (NAN when none): the value
 * of attainment_pupils, the denominator of the mean and the rate. */
static double row_pupils(const struct tidy_row *r)
{
	if (is(r, "attainment_pupils"))
		return tidy_row_withheld(r, TIDY_VALUE) ? NAN : r->value;
	if (is(r, "attainment_mean") || is(r, "attainment_rate"))
		return tidy_row_withheld(r, TIDY_DENOMINATOR) ? NAN
							       : r->denominator;
	return NAN;
}

/*
 * Whether every count of pupils the table shows for a group in an area and
 * year (and release) is the same whatever the attainment measure: the
 * pupils of Attainment 8 and of grade 5 in English and maths are one
 * cohort, whose count the DfE gives once. They are then one cell, so that
 * a reader who takes them to be equal gains nothing: with a cell for each
 * measure, one measure's complement could be shown in another's rows, and
 * the withheld count worked out from it. A table whose counts differ
 * between measures (a key stage 2 measure beside key stage 4's) keeps a
 * cell for each (docs/disclosure.md, Limits). The checker decides from
 * the counts shown, which protection then made the same.
 */
static void attainment_cohort(struct model *m)
{
	struct parity_error ignore = PARITY_ERROR_INIT;
	struct sdc_problem seen;
	struct strbuf key = STRBUF_INIT;
	size_t i, at;
	bool any = false, one = true;

	sdc_problem_init(&seen);
	for (i = 0; i < m->t->count && one; i++) {
		const struct tidy_row *r = &m->t->rows[i];
		const struct measure_def *def = measure_def_find(r->measure);
		double v = row_pupils(r);

		if (!def || def->domain != MEASURE_ATTAINMENT || isnan(v))
			continue;
		any = true;
		strbuf_reset(&key);
		strbuf_addf(&key, "%s|%d|%s|%s|%d", r->area_code, r->year,
			    r->ethnicity_level, r->ethnicity,
			    m->release_of ? m->release_of[i] : 0);
		at = sdc_cell_find(&seen, key.buf);
		if (at == NONE)
			sdc_cell_add(&seen, key.buf, v, &at, &ignore);
		else
			one = fabs(seen.cells[at].value - v) < 1e-9;
	}
	m->one_cohort = any && one;
	strbuf_release(&key);
	sdc_problem_free(&seen);
}

/*
 * The breakdown of the count that cell `cm`'s count lies within, of the
 * same kind, area, year and group, or NULL: for the count at a stage of
 * a service 'within' an earlier one (service_def.h), the earlier stage;
 * for pupils reaching a threshold, the group's pupils.
 */
static const char *within_of(const struct model *m,
			     const struct cell_meta *cm)
{
	size_t k, len = strlen(REACHED);

	if (strcmp(cm->kind, "stage") == 0 && m->service) {
		k = service_stage_index(m, cm->breakdown);
		if (k == 0 || !m->service->stages[k].nested)
			return NULL;
		return m->service->stages[m->service->stages[k].within].name;
	}
	if (strcmp(cm->kind, PUPILS) == 0 &&
	    strncmp(cm->breakdown, REACHED, len) == 0)
		return pupils_breakdown(m, cm->breakdown + len);
	return NULL;
}

/*
 * Nesting: for every count within another that the model holds
 * (within_of()), the inequality count <= the other, for the same area,
 * year and group (and release, when corrected): the other = the count +
 * a gap cell, never shown (pupils not reaching the threshold, people who
 * left before the later stage). Added after the other relations, so that
 * the gap cells it makes are in none of them.
 */
static int model_nesting(struct model *m, struct parity_error *err)
{
	size_t c, ncells = m->p.ncells, outer;
	int saved = m->release, rc = 0;

	for (c = 0; c < ncells && rc >= 0; c++) {
		const struct cell_meta *cm;
		const char *within;

		if (m->p.cells[c].gap)
			continue; /* a nesting's slack: no meta */
		cm = &m->meta[c];
		within = within_of(m, cm);
		if (!within)
			continue;
		m->release = cm->release >= 0 ? cm->release : saved;
		outer = find(m, cm->kind, cm->area, cm->year, within,
			     cm->level[0] ? cm->level : "high", cm->group);
		if (outer == NONE)
			continue;
		rc = sdc__nesting_add(&m->p, outer, c, m->checking, err);
	}
	m->release = saved;
	return rc < 0 ? -1 : 0;
}

/* The counts row `r` shows (at most three); returns how many. */
static size_t row_slots(struct model *m, const struct tidy_row *r,
			const struct measure_def *def, struct count_slot *out)
{
	const char *g = r->ethnicity;
	int y = r->year;
	const struct decision_point *d;
	const char *sex = sex_part(r->breakdown), *rest;
	char buf[256];

	if (def->domain == MEASURE_ATTAINMENT) {
		const char *pupils = pupils_breakdown(m, r->breakdown);

		switch (def->basis) {
		case BASIS_COUNT:
			out[0] = (struct count_slot){ TIDY_VALUE, PUPILS, y,
						      pupils, g };
			return 1;
		case BASIS_GROUP:
			out[0] = (struct count_slot){ TIDY_DENOMINATOR, PUPILS,
						      y, pupils, g };
			return 1;
		case BASIS_SHARE:
			snprintf(buf, sizeof(buf), REACHED "%s", r->breakdown);
			out[0] = (struct count_slot){
				TIDY_NUMERATOR, PUPILS, y,
				tidy_table_intern(&m->pool, buf), g
			};
			out[1] = (struct count_slot){ TIDY_DENOMINATOR, PUPILS,
						      y, pupils, g };
			return 2;
		default:
			return 0;
		}
	}
	switch (def->basis) {
	case BASIS_COUNT:
		if (def->domain == MEASURE_SERVICE) {
			out[0] = (struct count_slot){ TIDY_VALUE, "stage", y,
						      r->breakdown, g };
			return 1;
		}
		out[0] = (struct count_slot){ TIDY_VALUE, "staff", y,
					      is(r, "staff_count")
						      ? sex
						      : r->breakdown,
					      g };
		return 1;
	case BASIS_SHARE:
		if (def->domain == MEASURE_SERVICE) {
			const char *of = stage_rate_of(m, r);

			out[0] = (struct count_slot){ TIDY_NUMERATOR, "stage",
						      y, r->breakdown, g };
			out[1] = (struct count_slot){ TIDY_DENOMINATOR,
						      of ? "stage"
							 : "stagebase",
						      y,
						      of ? of
							 : stage_base(m, r),
						      g };
			return 2;
		}
		if (is(r, "event_rate")) {
			const char *event, *risk;

			(void)breakdown_sex(r->breakdown, &rest);
			d = decision_point_find(rest);
			if (!d)
				return 0;
			event = d->event;
			risk = risk_name(m, d);
			if (sex[0]) {
				snprintf(buf, sizeof(buf), "%s; %s", sex, event);
				event = tidy_table_intern(&m->pool, buf);
				snprintf(buf, sizeof(buf), "%s; %s", sex, risk);
				risk = tidy_table_intern(&m->pool, buf);
			}
			out[0] = (struct count_slot){ TIDY_NUMERATOR, "people",
						      y, event, g };
			out[1] = (struct count_slot){ TIDY_DENOMINATOR,
						      "people", y, risk, g };
			return 2;
		}
		if (is(r, "band_share") || is(r, "pay_quartile_share")) {
			out[0] = (struct count_slot){ TIDY_NUMERATOR, "staff",
						      y, r->breakdown, g };
			out[1] = (struct count_slot){ TIDY_DENOMINATOR,
						      "staff", y, r->breakdown,
						      DECLARED };
			return 2;
		}
		out[0] = (struct count_slot){ TIDY_NUMERATOR, "staff", y, sex,
					      g };
		out[1] = (struct count_slot){ TIDY_DENOMINATOR, "staff", y, sex,
					      is(r, "not_known_rate")
						      ? ALL_STAFF
						      : DECLARED };
		return 2;
	case BASIS_CHANGE:
		out[0] = (struct count_slot){ TIDY_NUMERATOR, "staff", y - 1,
					      "", g };
		out[1] = (struct count_slot){ TIDY_DENOMINATOR, "staff", y - 1,
					      "",
					      is(r, "not_known_change_pp")
						      ? ALL_STAFF
						      : DECLARED };
		return 2;
	case BASIS_GROUP:
		out[0] = (struct count_slot){ TIDY_DENOMINATOR, "staff", y, sex,
					      g };
		return 1;
	case BASIS_PARTIAL_BANDS: {
		const char *from;

		snprintf(buf, sizeof(buf), FROM "%s", r->breakdown);
		from = tidy_table_intern(&m->pool, buf);
		out[0] = (struct count_slot){ TIDY_NUMERATOR, "staff", y, from,
					      g };
		out[1] = (struct count_slot){ TIDY_DENOMINATOR, "staff", y,
					      from, DECLARED };
		return 2;
	}
	case BASIS_PUBLIC:
	case BASIS_GROUP_AND_REFERENCE:
	case BASIS_RATE_RATIO:
	case BASIS_FUNNEL:
	case BASIS_SERVICE_COMPARISON:
	case BASIS_TREND:
		break;
	}
	return 0;
}

static size_t *slot_cell(struct row_cells *c, enum tidy_column column)
{
	return column == TIDY_VALUE	    ? &c->value
	       : column == TIDY_NUMERATOR ? &c->numerator
					  : &c->denominator;
}

static const struct measure_def *row_def(const struct tidy_row *r,
					 struct parity_error *err)
{
	const struct measure_def *def = measure_def_find(r->measure);

	if (!def)
		parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				 "disclosure control: the measure '%s' is not "
				 "in the registry of measures (`parity "
				 "measures` lists them), so what it rests on "
				 "is not known; it cannot be published",
				 r->measure);
	return def;
}

/* People at risk of a staff event are the group's staff when everyone
 * answered: then they are one count, which a reader may well assume, so
 * the model makes them one cell and they are shown or withheld together.
 * The checker cannot know whether they are equal when either is withheld,
 * and keeps them apart unless both are shown (docs/disclosure.md,
 * Limits). */
static bool same_as_staff(struct model *m, const struct tidy_row *r,
			  const struct count_slot *s, double v, bool withheld)
{
	size_t c;

	if (strcmp(s->kind, "people") != 0 || !answered(s->breakdown))
		return false;
	c = find(m, "staff", r->area_code, s->year, sex_part(s->breakdown),
		 r->ethnicity_level, s->group);
	if (c == NONE)
		return false;
	if (m->checking && (withheld || m->p.cells[c].state != SDC_PUBLISHED))
		return false;
	return m->p.cells[c].value == v;
}

/*
 * A glass ceiling shows the counts of a group, and of declared staff, paid
 * from a band up, and so the counts below it too (the totals less these).
 * No other row shows them: when one is from 1 to k - 1, the ceiling is not
 * published at all, rather than made a cell that would need others
 * suppressed to protect it.
 */
static bool ceiling_refused(struct model *m, const struct tidy_row *r,
			    const struct measure_def *def)
{
	size_t group, declared;
	double gv, dv;

	if (m->checking || def->basis != BASIS_PARTIAL_BANDS ||
	    isnan(r->numerator) || isnan(r->denominator))
		return false;
	group = find(m, "staff", r->area_code, r->year, sex_part(r->breakdown),
		     r->ethnicity_level, r->ethnicity);
	declared = find(m, "staff", r->area_code, r->year,
			sex_part(r->breakdown), "", DECLARED);
	if (group == NONE || declared == NONE)
		return true;
	gv = m->p.cells[group].value;
	dv = m->p.cells[declared].value;
	return small_count(r->numerator, m->k) ||
	       small_count(r->denominator, m->k) ||
	       small_count(gv - r->numerator, m->k) ||
	       small_count(dv - r->denominator, m->k);
}

/* How far a count published in `column` of a row of `def` may lie from
 * the figure shown: half its last place (pay quartile counts are shown to
 * 0.1); 0 for whole counts, which are exact. */
static double published_slack(const struct measure_def *def,
			      enum tidy_column column)
{
	enum measure_unit unit = column == TIDY_VALUE	    ? def->unit
				 : column == TIDY_NUMERATOR ? def->numerator_unit
							    : def->denominator_unit;
	int places = measure_unit_places(unit);

	return places > 0 ? 0.5 * pow(10.0, -places) : 0;
}

/* The base a published row says its counts were rounded to (its note:
 * "counts rounded to the nearest 5", round_row()), or 0. */
static double row_rounding_base(const struct tidy_row *r)
{
	static const char said[] = "counts rounded to the nearest ";
	const char *at = r->note ? strstr(r->note, said) : NULL;
	char *end;
	double base;

	if (!at)
		return 0;
	base = strtod(at + sizeof(said) - 1, &end);
	return end != at + sizeof(said) - 1 && base > 1 ? base : 0;
}

/* Register the counts row `at` shows. Staff events' people at risk come
 * after every staff count (pass 1), so that they can be one cell with
 * the group's staff. */
static int row_counts(struct model *m, size_t at, int pass,
		      struct parity_error *err)
{
	const struct tidy_row *r = &m->t->rows[at];
	const struct measure_def *def = row_def(r, err);
	struct count_slot slots[3];
	/* a count rounded to base B lies within B / 2 of the figure shown */
	double rounded = m->checking ? row_rounding_base(r) / 2 : 0;
	size_t n, k;

	if (!def)
		return -1;
	if (m->release_of)
		m->release = m->release_of[at];
	m->current_row = at;
	if (pass == 0 && ceiling_refused(m, r, def)) {
		m->rows[at].refused = true;
		return 0;
	}
	n = row_slots(m, r, def, slots);
	for (k = 0; k < n; k++) {
		bool withheld = tidy_row_withheld(r, slots[k].column);
		double v = tidy_row_number(r, slots[k].column);
		bool risk = answered(slots[k].breakdown);
		struct count_slot s = slots[k];

		if ((pass == 1) != risk)
			continue;
		if (risk && same_as_staff(m, r, &s, v, withheld)) {
			s.kind = "staff";
			s.breakdown = sex_part(s.breakdown);
		}
		if (add_cell(m, s.kind, r->area_code, s.year, s.breakdown,
			     r->ethnicity_level, s.group, v,
			     m->checking ? fmax(published_slack(def, s.column),
						rounded)
					 : 0,
			     m->checking && withheld,
			     slot_cell(&m->rows[at], s.column), err) < 0)
			return -1;
	}
	return 0;
}

/* ---- the row indexes ---- */

static void row_index_init(struct row_index *ix, size_t rows)
{
	size_t cap = 64;

	while (cap < rows * 2 + 2)
		cap *= 2;
	ix->cap = cap;
	ix->head = xcalloc(cap, sizeof(*ix->head));
	ix->keys = xcalloc(cap, sizeof(*ix->keys));
	ix->next = xcalloc(rows ? rows : 1, sizeof(*ix->next));
}

static void row_index_free(struct row_index *ix)
{
	size_t k;

	for (k = 0; ix->keys && k < ix->cap; k++)
		free(ix->keys[k]);
	free(ix->keys);
	free(ix->head);
	free(ix->next);
	memset(ix, 0, sizeof(*ix));
}

static size_t row_index_slot(const struct row_index *ix, const char *key)
{
	size_t at = (size_t)hash_string(key) & (ix->cap - 1);

	while (ix->keys[at] && strcmp(ix->keys[at], key) != 0)
		at = (at + 1) & (ix->cap - 1);
	return at;
}

static void row_index_add(struct row_index *ix, const char *key, size_t row)
{
	size_t at = row_index_slot(ix, key);

	if (!ix->keys[at])
		ix->keys[at] = xstrdup(key);
	ix->next[row] = ix->head[at];
	ix->head[at] = row + 1;
}

/* The first row with `key` + 1, or 0; then ix->next[row] for the rest. */
static size_t row_index_first(const struct row_index *ix, const char *key)
{
	return ix->head[row_index_slot(ix, key)];
}

static void exact_key(struct strbuf *sb, const char *measure,
		      const char *area, int year, const char *level,
		      const char *group, const char *breakdown, int release)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s|%s|%d|%s|%s|%s|%d", measure, area, year, level,
		    group, breakdown, release);
}

static void value_key(struct strbuf *sb, const char *measure,
		      const char *area, int year, const char *breakdown,
		      double v, int release)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s|%s|%d|%s|%.17g|%d", measure, area, year,
		    breakdown, v, release);
}

static int row_release(const struct model *m, size_t row)
{
	return m->release_of ? m->release_of[row] : 0;
}

static void index_rows(struct model *m)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k;

	row_index_init(&m->by_row, m->t->count);
	row_index_init(&m->by_value, m->t->count);
	for (k = 0; k < m->t->count; k++) {
		const struct tidy_row *r = &m->t->rows[k];

		exact_key(&sb, r->measure, r->area_code, r->year,
			  r->ethnicity_level, r->ethnicity, r->breakdown,
			  row_release(m, k));
		row_index_add(&m->by_row, sb.buf, k);
		if (!isnan(r->value)) {
			value_key(&sb, r->measure, r->area_code, r->year,
				  r->breakdown, r->value, row_release(m, k));
			row_index_add(&m->by_value, sb.buf, k);
		}
	}
	strbuf_release(&sb);
}

/* ---- what a figure rests on ---- */

/* The cells a derived figure rests on; `missing` when one it needs is
 * not in the table at all. */
struct basis {
	size_t *cells;
	size_t n, cap;
	bool missing;
	size_t *rows;       /* funnel: the rows it places */
	size_t nrows, rows_cap;
};

static void basis_cell(struct basis *b, size_t cell)
{
	if (cell == NONE) {
		b->missing = true;
		return;
	}
	b->cells = xgrow(b->cells, &b->cap, b->n + 1, sizeof(*b->cells));
	b->cells[b->n++] = cell;
}

static void basis_row(struct basis *b, size_t row)
{
	b->rows = xgrow(b->rows, &b->rows_cap, b->nrows + 1, sizeof(*b->rows));
	b->rows[b->nrows++] = row;
}

/* The cells of the rows whose `measure` at the same area, year and
 * breakdown has value `v`: the reference group of a comparison, found by
 * its figure, added to `b` (if not NULL); the first such row in `*first`
 * (if not NULL; NONE when none). Returns how many rows matched. */
static size_t reference_cells(struct model *m, size_t at, const char *measure,
			      const char *breakdown, double v,
			      struct basis *b, size_t *first)
{
	const struct tidy_row *r = &m->t->rows[at];
	struct strbuf sb = STRBUF_INIT;
	size_t row, found = 0;

	if (first)
		*first = NONE;
	if (isnan(v))
		return 0;
	value_key(&sb, measure, r->area_code, r->year, breakdown, v,
		  row_release(m, at));
	for (row = row_index_first(&m->by_value, sb.buf); row;
	     row = m->by_value.next[row - 1]) {
		const struct row_cells *c = &m->rows[row - 1];

		if (strcmp(m->t->rows[row - 1].ethnicity_level,
			   r->ethnicity_level) != 0 &&
		    (strcmp(measure, "event_rate") == 0 ||
		     strcmp(measure, "attainment_rate") == 0))
			continue;
		if (first && found == 0)
			*first = row - 1;
		found++;
		if (!b)
			continue;
		if (c->value != NONE)
			basis_cell(b, c->value);
		if (c->numerator != NONE)
			basis_cell(b, c->numerator);
		if (c->denominator != NONE)
			basis_cell(b, c->denominator);
	}
	strbuf_release(&sb);
	return found;
}

/* The row of `measure` for this row's area (or `area`), year, group and
 * `breakdown`, or NONE. */
static size_t same_row(struct model *m, size_t at, const char *measure,
		       const char *area, const char *breakdown)
{
	const struct tidy_row *r = &m->t->rows[at];
	struct strbuf sb = STRBUF_INIT;
	size_t row;

	exact_key(&sb, measure, area ? area : r->area_code, r->year,
		  r->ethnicity_level, r->ethnicity, breakdown,
		  row_release(m, at));
	row = row_index_first(&m->by_row, sb.buf);
	strbuf_release(&sb);
	return row ? row - 1 : NONE;
}

static void row_cells_basis(struct model *m, size_t row, struct basis *b)
{
	const struct row_cells *c;

	if (row == NONE) {
		b->missing = true;
		return;
	}
	c = &m->rows[row];
	if (c->numerator != NONE)
		basis_cell(b, c->numerator);
	if (c->denominator != NONE)
		basis_cell(b, c->denominator);
	if (c->value != NONE)
		basis_cell(b, c->value);
}

/* A ratio of rates rests on the rate rows of the group and of the
 * reference group (found by its rate, the ratio's denominator; the WRES
 * orientation's numerator): a staff event's event_rate, attainment's
 * attainment_rate. */
static void rate_ratio_basis(struct model *m, size_t at,
			     const struct measure_def *def, struct basis *b)
{
	const struct tidy_row *r = &m->t->rows[at];
	bool wres = is(r, "wres_relative_likelihood");
	double reference = wres ? r->numerator : r->denominator;
	const char *rate = def->domain == MEASURE_ATTAINMENT
				   ? "attainment_rate"
				   : "event_rate";

	row_cells_basis(m, same_row(m, at, rate, NULL, r->breakdown), b);
	if (reference_cells(m, at, rate, r->breakdown, reference, b, NULL) ==
	    0)
		b->missing = true;
}

/* A glass ceiling's figure rests on its counts from the band up and the
 * group's and declared staff's totals (the counts below are their
 * differences). */
static void partial_bands_basis(struct model *m, size_t at, struct basis *b)
{
	const struct tidy_row *r = &m->t->rows[at];

	if (m->release_of)
		m->release = m->release_of[at];
	row_cells_basis(m, at, b);
	basis_cell(b, find(m, "staff", r->area_code, r->year,
			   sex_part(r->breakdown), r->ethnicity_level,
			   r->ethnicity));
	basis_cell(b, find(m, "staff", r->area_code, r->year,
			   sex_part(r->breakdown), "", DECLARED));
}

/* Whether the pay band counts of the group and of declared staff on one
 * side of the glass ceiling's boundary (from it up, or below it) are all
 * shown: then its counts from the boundary up are sums of counts shown,
 * or the totals less them, and reveal nothing more. Its counts are in no
 * relation of the model: this is what keeps them safe. */
static bool ceiling_derivable(struct model *m, size_t at)
{
	const struct tidy_row *r = &m->t->rows[at];
	size_t b, side;

	for (side = 0; side < 2; side++) {
		bool above = false, all = true;

		for (b = 0; b < m->nbreakdowns && all; b++) {
			size_t g, d;

			if (!pay_band(m->breakdowns[b]) ||
			    breakdown_sex(m->breakdowns[b], NULL) !=
				    breakdown_sex(r->breakdown, NULL))
				continue;
			above = above ||
				strcmp(m->breakdowns[b], r->breakdown) == 0;
			if (above != (side == 0))
				continue;
			g = find(m, "staff", r->area_code, r->year,
				 m->breakdowns[b], r->ethnicity_level,
				 r->ethnicity);
			d = find(m, "staff", r->area_code, r->year,
				 m->breakdowns[b], "", DECLARED);
			all = g != NONE && d != NONE &&
			      m->p.cells[g].state == SDC_PUBLISHED &&
			      m->p.cells[d].state == SDC_PUBLISHED;
		}
		if (all && above)
			return true;
	}
	return false;
}

/* Whether every pay band count of the row's area and year is shown: the
 * choice of a glass ceiling's boundary and its p-value rest on them all
 * (and, through Holm's adjustment, on every group's). */
static bool every_band_shown(struct model *m, size_t at)
{
	const struct tidy_row *r = &m->t->rows[at];
	size_t b, g;
	enum ethnicity_level level;
	struct parity_error err = PARITY_ERROR_INIT;

	if (ethnicity_level_parse(r->ethnicity_level, &level, &err) < 0)
		return false;
	for (b = 0; b < m->nbreakdowns; b++) {
		size_t c;

		if (!pay_band(m->breakdowns[b]) ||
		    breakdown_sex(m->breakdowns[b], NULL) !=
			    breakdown_sex(r->breakdown, NULL))
			continue;
		c = find(m, "staff", r->area_code, r->year, m->breakdowns[b],
			 "", DECLARED);
		if (c == NONE || m->p.cells[c].state != SDC_PUBLISHED)
			return false;
		for (g = 0; g < ethnicity_level_group_count(level); g++) {
			c = find(m, "staff", r->area_code, r->year,
				 m->breakdowns[b], r->ethnicity_level,
				 ethnicity_level_group_label(level, g));
			if (c != NONE && m->p.cells[c].state != SDC_PUBLISHED)
				return false;
		}
	}
	return true;
}

static void change_basis(struct model *m, size_t at, struct basis *b)
{
	const struct tidy_row *r = &m->t->rows[at];
	bool not_known = is(r, "not_known_change_pp");

	row_cells_basis(m, at, b);
	row_cells_basis(m, same_row(m, at,
				    not_known ? "not_known_rate"
					      : "staff_share",
				    NULL, ""),
			b);
}

/* A gap rests on the rows of the figure it compares, the group's and the
 * reference group's (found by its figure, the gap's denominator): hourly
 * pay (of the row's sex), or attainment's mean score in the row's
 * measure. */
static void gap_basis(struct model *m, size_t at,
		      const struct measure_def *def, struct basis *b)
{
	const struct tidy_row *r = &m->t->rows[at];
	bool pupils = def->domain == MEASURE_ATTAINMENT;
	const char *figure = pupils ? "attainment_mean"
			     : strncmp(r->measure, "mean", 4) == 0
				     ? "mean_hourly_pay"
				     : "median_hourly_pay";
	const char *bd = pupils ? r->breakdown : sex_part(r->breakdown);

	row_cells_basis(m, same_row(m, at, figure, NULL, bd), b);
	if (reference_cells(m, at, figure, bd, r->denominator, b, NULL) == 0)
		b->missing = true;
}

/* The first year of a row's period: "2019-20 to 2023-24" is 2019; a
 * period of one year is the row's year. */
static int period_first_year(const struct tidy_row *r)
{
	const char *to = strstr(r->period, " to ");
	long y;
	char *end;

	if (!to)
		return r->year;
	y = strtol(r->period, &end, 10);
	return end == r->period || y < 1900 || y > r->year ? r->year : (int)y;
}

/*
 * A gap's trend rests on what the gap of every year of its period rests
 * on: the group's and the reference group's counts in each year. The gap
 * row of each year must be in the table (a report of one year does not
 * carry the years before it: its trend is withheld).
 */
static void trend_basis(struct model *m, size_t at, struct basis *b)
{
	const struct tidy_row *r = &m->t->rows[at];
	const struct measure_def *gap = measure_def_find("attainment_gap");
	struct strbuf sb = STRBUF_INIT;
	int y;

	for (y = period_first_year(r); y <= r->year && !b->missing; y++) {
		size_t row;

		exact_key(&sb, "attainment_gap", r->area_code, y,
			  r->ethnicity_level, r->ethnicity, r->breakdown,
			  row_release(m, at));
		row = row_index_first(&m->by_row, sb.buf);
		if (!row || !gap) {
			b->missing = true;
			break;
		}
		gap_basis(m, row - 1, gap, b);
	}
	strbuf_release(&sb);
}

/* A funnel row places the borough's figure named by its breakdown
 * ("not_known_rate", "relative_likelihood: promoted") against London's. */
static void funnel_basis(struct model *m, size_t at, struct basis *b)
{
	const struct tidy_row *r = &m->t->rows[at];
	const char *colon = strstr(r->breakdown, ": ");
	char measure[128];
	const char *bd = colon ? colon + 2 : "";
	size_t len = colon ? (size_t)(colon - r->breakdown)
			   : strlen(r->breakdown);
	size_t own, london;

	if (len >= sizeof(measure)) {
		b->missing = true;
		return;
	}
	memcpy(measure, r->breakdown, len);
	measure[len] = '\0';
	own = same_row(m, at, measure, NULL, bd);
	london = same_row(m, at, measure, m->london, bd);
	if (own == NONE || london == NONE) {
		b->missing = true;
		return;
	}
	basis_row(b, own);
	basis_row(b, london);
}

static void service_basis(struct model *m, size_t at, struct basis *b)
{
	const struct tidy_row *r = &m->t->rows[at];
	const char *rate = is(r, "cumulative_rri") ? "population_rate"
						   : "stage_rate";

	row_cells_basis(m, same_row(m, at, rate, NULL, r->breakdown), b);
	/* the reference group, found by its rate; a service's reference can
	 * be a sum of categories with no row of its own (docs/disclosure.md,
	 * Limits) */
	if (!is(r, "rri_change"))
		reference_cells(m, at, rate, r->breakdown, r->denominator, b,
				NULL);
}

/* What the derived figures of row `at` rest on. */
static void row_basis(struct model *m, size_t at,
		      const struct measure_def *def, struct basis *b)
{
	b->n = 0;
	b->nrows = 0;
	b->missing = false;
	switch (def->basis) {
	case BASIS_COUNT:
	case BASIS_PUBLIC:
		return;
	case BASIS_SHARE:
	case BASIS_GROUP:
		row_cells_basis(m, at, b);
		return;
	case BASIS_GROUP_AND_REFERENCE:
		gap_basis(m, at, def, b);
		return;
	case BASIS_RATE_RATIO:
		rate_ratio_basis(m, at, def, b);
		return;
	case BASIS_TREND:
		trend_basis(m, at, b);
		return;
	case BASIS_PARTIAL_BANDS:
		partial_bands_basis(m, at, b);
		return;
	case BASIS_CHANGE:
		change_basis(m, at, b);
		return;
	case BASIS_FUNNEL:
		funnel_basis(m, at, b);
		return;
	case BASIS_SERVICE_COMPARISON:
		service_basis(m, at, b);
		return;
	}
}

/* Whether the row shows a figure that is not one of its counts. */
static bool shows_derived(const struct tidy_row *r, const struct row_cells *c)
{
	return (c->value == NONE && !isnan(r->value)) ||
	       (c->numerator == NONE && !isnan(r->numerator)) ||
	       (c->denominator == NONE && !isnan(r->denominator)) ||
	       !isnan(r->ci_low) || !isnan(r->ci_high) || !isnan(r->p_value);
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

/* Relate `total` to the parts gathered: the relation's index (added, or
 * one equal to it already there), or NONE when it does not hold; *added
 * (when not NULL) says whether it was added now. */
static size_t relate_at(struct model *m, size_t total, struct parts *ps,
			bool *added)
{
	size_t at = NONE;
	int rc = 0;

	if (total != NONE && !ps->missing)
		rc = sdc__relation_add_indexed(&m->p, &m->relation_index,
					       total, ps->at, ps->n,
					       m->checking, &at);
	if (added)
		*added = rc == 1;
	ps->n = 0;
	ps->missing = false;
	return at;
}

static void relate(struct model *m, size_t total, struct parts *ps)
{
	(void)relate_at(m, total, ps, NULL);
}

/* A part or total looked up only while the relation can still be whole:
 * once a part is missing, the rest are not looked for. */
#define PART(m, ps, ...)                                                  \
	do {                                                              \
		if (!(ps)->missing)                                       \
			part((ps), find((m), __VA_ARGS__));               \
	} while (0)
#define RELATE(m, ps, ...)                                                \
	relate((m), (ps)->missing ? NONE : find((m), __VA_ARGS__), (ps))

static const char *detailed_label(size_t e)
{
	return ethnicity_level_group_label(
		ETH_LEVEL_DETAILED,
		ethnicity_level_group((enum ethnicity_id)e, ETH_LEVEL_DETAILED));
}

/*
 * The groups the pay measures combine when groups are small
 * (measure/workforce.c): a high-level group less one detailed group ('White,
 * other than ...', level high) and every group but one ('All groups other
 * than ... combined', level two-way) = their detailed groups.
 */
static void combined_relations(struct model *m, const char *kind,
			       const char *area, int year, const char *b,
			       struct parts *ps)
{
	size_t d, e, h;
	char label[512];

	for (d = 0; d < ETHNICITY_DETAILED_COUNT; d++) {
		const char *dl = detailed_label(d);

		h = ethnicity_level_group((enum ethnicity_id)d, ETH_LEVEL_HIGH);
		for (e = 0; e < ETHNICITY_DETAILED_COUNT; e++)
			if (e != d && ethnicity_level_group((enum ethnicity_id)e,
							    ETH_LEVEL_HIGH) == h)
				PART(m, ps, kind, area, year, b,
					      "detailed", detailed_label(e));
		snprintf(label, sizeof(label), "%s, other than %s",
			 ethnicity_level_group_label(ETH_LEVEL_HIGH, h), dl);
		RELATE(m, ps, kind, area, year, b, "high", label);
		for (e = 0; e < ETHNICITY_DETAILED_COUNT; e++)
			if (e != d)
				PART(m, ps, kind, area, year, b,
					      "detailed", detailed_label(e));
		snprintf(label, sizeof(label),
			 "All groups other than %s combined", dl);
		RELATE(m, ps, kind, area, year, b, "two-way", label);
	}
}

/*
 * Pupils' groups are the school census's (service_def.h): a high-level
 * group = the detailed groups that roll up to it (Traveller of Irish
 * heritage and Gypsy/Roma to White), as measure/attainment.c pools them.
 * A detailed group with no row is not in the returns, and counts nothing.
 * Attainment reports carry one level, and no row of all pupils: these
 * relations are there for a table that gives both levels.
 */
static void pupil_group_relations(struct model *m, const char *area,
				  int year, const char *b, struct parts *ps)
{
	int h, g;

	for (h = SVC_HIGH_FIRST; h < SVC_NOT_KNOWN; h++) {
		size_t total = find(m, PUPILS, area, year, b, "high",
				    service_group_label(h));

		if (total == NONE)
			continue;
		for (g = 0; g < SVC_HIGH_FIRST; g++) {
			size_t c;

			if (service_group_high(g) != service_group_high(h))
				continue;
			c = find(m, PUPILS, area, year, b, "detailed",
				 service_group_label(g));
			if (c != NONE)
				part(ps, c);
		}
		relate(m, total, ps);
	}
}

/* Relations across groups, within one kind, area, year and breakdown. */
static void group_relations(struct model *m, const char *kind,
			    const char *area, int year, const char *b,
			    struct parts *ps)
{
	size_t l, g, e;

	if (strcmp(kind, PUPILS) == 0) {
		pupil_group_relations(m, area, year, b, ps);
		return;
	}

	for (l = 0; l < m->nlevels; l++) {
		enum ethnicity_level level;
		struct parity_error err = PARITY_ERROR_INIT;

		if (ethnicity_level_parse(m->levels[l], &level, &err) < 0)
			continue; /* a combined row's level: no relations */
		for (g = 0; g < ethnicity_level_group_count(level); g++)
			PART(m, ps, kind, area, year, b, m->levels[l],
				      ethnicity_level_group_label(level, g));
		RELATE(m, ps, kind, area, year, b, "", DECLARED);
		if (level == ETH_LEVEL_DETAILED)
			continue;
		/* a wider group = its detailed groups */
		for (g = 0; g < ethnicity_level_group_count(level); g++) {
			for (e = 0; e < ETHNICITY_DETAILED_COUNT; e++)
				if (ethnicity_level_group((enum ethnicity_id)e,
							  level) == g)
					PART(m, ps, kind, area, year, b,
						      "detailed",
						      detailed_label(e));
			RELATE(m, ps, kind, area, year, b, m->levels[l],
				       ethnicity_level_group_label(level, g));
		}
	}
	if (strcmp(kind, "staff") != 0)
		return;
	combined_relations(m, kind, area, year, b, ps);
	PART(m, ps, kind, area, year, b, "", DECLARED);
	PART(m, ps, kind, area, year, b, "", "Not known");
	PART(m, ps, kind, area, year, b, "", "Prefer not to say");
	RELATE(m, ps, kind, area, year, b, "", ALL_STAFF);
	PART(m, ps, kind, area, year, b, "", DECLARED);
	PART(m, ps, kind, area, year, b, "", NOT_KNOWN_EITHER);
	RELATE(m, ps, kind, area, year, b, "", ALL_STAFF);
	PART(m, ps, kind, area, year, b, "", "Not known");
	PART(m, ps, kind, area, year, b, "", "Prefer not to say");
	RELATE(m, ps, kind, area, year, b, "", NOT_KNOWN_EITHER);
}

/* Whether a staff breakdown is a part of a group's partition by pay band
 * (`quartiles` false) or by pay quartile, among staff of `sex` (-1: all
 * staff; quartiles are of all staff only). */
static bool band_part(const char *breakdown, int sex, bool quartiles)
{
	if (breakdown_sex(breakdown, NULL) != sex || from_band(breakdown))
		return false;
	return quartiles ? quartile(breakdown) : pay_band(breakdown);
}

/* A group = its pay bands, and = its pay quartiles: each a partition of
 * the group's declared staff; and among the staff of one sex, the group
 * of that sex = its pay bands of that sex. */
static void band_relations(struct model *m, const char *area, int year,
			   struct parts *ps)
{
	size_t l, g, b, kind;
	int sex;

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

			for (sex = -1; sex < SEX_COUNT; sex++) {
				size_t total = find(
					m, "staff", area, year,
					sex < 0 ? "" : sex_label((enum sex)sex),
					lvl, grp);

				if (total == NONE)
					continue;
				for (kind = 0; kind < (sex < 0 ? 2u : 1u);
				     kind++) {
					for (b = 0; b < m->nbreakdowns; b++)
						if (band_part(m->breakdowns[b],
							      sex, kind == 1))
							PART(m, ps, "staff",
							     area, year,
							     m->breakdowns[b],
							     lvl, grp);
					relate(m, total, ps);
				}
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

/* How many areas contain area `at`. */
static int area_depth(const struct area_set *areas, int at)
{
	int depth = 0;

	while (at >= 0 && areas->areas[at].parent >= 0) {
		at = areas->areas[at].parent;
		depth++;
	}
	return depth;
}

/*
 * Mark implied the relations 'an area = its authorities' (pass 1 of
 * area_relations()) that the others give exactly: where 'the area = its
 * sub-areas' (pass 0) is there, exact, and each sub-area is an authority
 * or itself the sum of its authorities through relations that are there.
 * Such a relation is a sum of the others (England = its 309 authorities is
 * England = its regions plus each region = its authorities), so it allows
 * no table they do not; but it would join every withheld count of the
 * authorities under the area in one block of the audit, across sub-areas
 * whose own totals are shown. Cells are taken deepest area first, so that
 * a sub-area's cells are settled before its area's. `whole[k]` is set for
 * each cell that is the sum of its area's authorities' cells.
 */
static void mark_implied(struct model *m, const struct area_set *areas,
			 const int *area_of, const size_t *by_sub,
			 const size_t *by_leaves, const bool *added,
			 bool *whole)
{
	size_t k, j, ncells = m->p.ncells;
	int depth, deepest = 0;
	int *depth_of = xcalloc(ncells ? ncells : 1, sizeof(*depth_of));

	for (k = 0; k < ncells; k++) {
		depth_of[k] = area_of[k] < 0 ? -1
					     : area_depth(areas, area_of[k]);
		if (depth_of[k] > deepest)
			deepest = depth_of[k];
	}
	for (depth = deepest; depth >= 0; depth--)
		for (k = 0; k < ncells; k++) {
			const struct sdc_relation *r;
			enum area_type t;
			bool sums = by_sub[k] != NONE;

			if (depth_of[k] != depth)
				continue;
			t = areas->areas[area_of[k]].type;
			if (t == AREA_BOROUGH || t == AREA_LOCAL_AUTHORITY) {
				whole[k] = true;
				continue;
			}
			if (sums) {
				r = &m->p.relations[by_sub[k]];
				sums = m->p.cells[r->total].slack == 0;
				for (j = 0; sums && j < r->count; j++)
					sums = whole[r->parts[j]] &&
					       m->p.cells[r->parts[j]].slack == 0;
			}
			if (sums && by_leaves[k] != NONE && added[k] &&
			    by_leaves[k] != by_sub[k])
				m->p.relations[by_leaves[k]].implied = true;
			whole[k] = sums || by_leaves[k] != NONE;
		}
	free(depth_of);
}

/*
 * A group of boroughs (a partnership, or a user's group) = its members in
 * the table, for cell `k` of group `group`: outside the tree, so a
 * borough may be a part of its subregion's relation and of any number of
 * groups'. The relation is "an area = its authorities" for
 * mark_implied(), and is never implied: no relation of sub-areas gives
 * it.
 */
static size_t group_relation(struct model *m, const struct area_set *areas,
			     const int *at, size_t k, int group,
			     struct parts *ps, bool *added, int saved)
{
	const struct cell_meta *c = &m->meta[k];
	size_t member;

	for (member = 0; member < m->nareas; member++) {
		if (at[member] < 0 || at[member] == group ||
		    !area_includes(areas, at[member], group))
			continue;
		m->release = c->release >= 0 ? c->release : saved;
		PART(m, ps, c->kind, m->areas[member], c->year, c->breakdown,
		     c->level[0] ? c->level : "high", c->group);
	}
	return relate_at(m, k, ps, added);
}

/* An area = its sub-areas in the table, for every cell but quartiles
 * (each area ranks its own staff into quartiles); and = its boroughs or
 * authorities, marked implied where the first relations give it; a group
 * of boroughs = its members (group_relation()). */
static void area_relations(struct model *m, const struct area_set *areas,
			   struct parts *ps)
{
	size_t a, k, child, ncells = m->p.ncells;
	int *at = xcalloc(m->nareas ? m->nareas : 1, sizeof(*at));
	int *area_of = xcalloc(ncells ? ncells : 1, sizeof(*area_of));
	size_t *by_sub = xcalloc(ncells ? ncells : 1, sizeof(*by_sub));
	size_t *by_leaves = xcalloc(ncells ? ncells : 1, sizeof(*by_leaves));
	bool *added = xcalloc(ncells ? ncells : 1, sizeof(*added));
	bool *whole = xcalloc(ncells ? ncells : 1, sizeof(*whole));
	int pass, saved = m->release;

	for (a = 0; a < m->nareas; a++)
		at[a] = area_find(areas, m->areas[a]);
	for (k = 0; k < ncells; k++) {
		const struct cell_meta *c = &m->meta[k];
		int parent = area_find(areas, c->area);

		by_sub[k] = by_leaves[k] = NONE;
		area_of[k] = parent;
		if (parent < 0 || quartile(c->breakdown)) {
			area_of[k] = -1;
			continue;
		}
		if (area_is_group(areas, parent)) {
			by_leaves[k] = group_relation(m, areas, at, k, parent,
						      ps, &added[k], saved);
			continue;
		}
		/* the same release as the total's: the total is only in a
		 * release of its own when its area was corrected */
		for (pass = 0; pass < 2; pass++) {
			for (child = 0; child < m->nareas; child++) {
				if (!sub_area(areas, at[child], parent, pass))
					continue;
				m->release = c->release >= 0 ? c->release
							     : saved;
				PART(m, ps, c->kind, m->areas[child],
					      c->year, c->breakdown,
					      c->level[0] ? c->level : "high",
					      c->group);
			}
			if (pass == 0)
				by_sub[k] = relate_at(m, k, ps, NULL);
			else
				by_leaves[k] = relate_at(m, k, ps, &added[k]);
		}
	}
	m->release = saved;
	mark_implied(m, areas, area_of, by_sub, by_leaves, added, whole);
	free(whole);
	free(added);
	free(by_leaves);
	free(by_sub);
	free(area_of);
	free(at);
}

/* ---- relations across sex ---- */

/* The cell of a count, or, for people at risk of a staff event whose
 * event count is there (so an event_rate row showed them), the staff
 * count they were made one with (same_as_staff()). */
static size_t count_or_staff(struct model *m, const struct cell_meta *c,
			     const char *breakdown)
{
	size_t at = find(m, c->kind, c->area, c->year, breakdown, c->level,
			 c->group);
	const char *sex = sex_part(breakdown), *rest;
	char event[256];

	if (at != NONE || strcmp(c->kind, "people") != 0 ||
	    !answered(breakdown))
		return at;
	(void)breakdown_sex(breakdown, &rest);
	if (sex[0])
		snprintf(event, sizeof(event), "%s; %s", sex, rest + 9);
	else
		snprintf(event, sizeof(event), "%s", rest + 9);
	if (find(m, "people", c->area, c->year, event, c->level, c->group) ==
	    NONE)
		return NONE;
	return find(m, "staff", c->area, c->year, sex, c->level, c->group);
}

/*
 * A count of all staff = the same count of each sex: for every count the
 * table gives by sex (staff of a group, in a pay band, who had an event or
 * answered for it), total = female + male + non-binary or other + sex not
 * known, in each area, year and group; with the relations across groups
 * and areas of model_relations(), the by-sex counts then sum across
 * ethnicity too. Where the table does not give every sex (the measures are
 * given for female and male staff only), the staff of the others are one
 * more cell, 'sex other than female and male; BREAKDOWN', which no row
 * shows: to sdc_protect() it is a count like any other (from 1 to k - 1 it
 * is primary, so the other sexes' few cannot be found by subtraction), and
 * the checker takes it as withheld. So 'all - men' can never give a
 * withheld count of women. Called before the other relations, so that
 * these cells have theirs.
 */
static void sex_relations(struct model *m, struct parts *ps)
{
	struct parity_error ignore = PARITY_ERROR_INIT;
	size_t k, ncells = m->p.ncells;
	int saved = m->release, s;
	char buf[512], name[256], key[768];

	for (k = 0; k < ncells; k++) {
		struct cell_meta c = m->meta[k]; /* meta moves as cells come */
		const char *rest;
		size_t total, at, other;
		double sum = 0;
		bool any = false;

		s = breakdown_sex(c.breakdown, &rest);
		if (s < 0 || s >= SEX_COUNT || from_band(rest))
			continue;
		snprintf(key, sizeof(key), "%s|%s|%d|%s|%s|%s", c.kind, c.area,
			 c.year, rest, c.level, c.group);
		if (!first_seen(m, "sex", key, c.release))
			continue;
		m->release = c.release >= 0 ? c.release : saved;
		total = count_or_staff(m, &c, rest);
		if (total == NONE)
			continue;
		name[0] = '\0';
		for (s = 0; s < SEX_COUNT; s++) {
			sex_breakdown_make((enum sex)s, rest, buf, sizeof(buf));
			at = count_or_staff(m, &c, buf);
			if (at == NONE) {
				any = true;
				continue;
			}
			part(ps, at);
			sum += m->p.cells[at].value;
			snprintf(name + strlen(name), sizeof(name) - strlen(name),
				 "%s%s", name[0] ? " and " : "",
				 sex_label((enum sex)s));
		}
		if (any) {
			double v = m->p.cells[total].value - sum;

			snprintf(buf, sizeof(buf), OTHER_SEXES "%s%s%s", name,
				 rest[0] ? "; " : "", rest);
			if ((!m->checking && v < -1e-9) ||
			    add_cell(m, c.kind, c.area, c.year,
				     tidy_table_intern(&m->pool, buf), c.level,
				     c.group, m->checking ? NAN : fmax(v, 0), 0,
				     m->checking, &other, &ignore) < 0 ||
			    other == NONE) {
				ps->n = 0;
				ps->missing = false;
				continue;
			}
			part(ps, other);
		}
		relate(m, total, ps);
	}
	m->release = saved;
}

/* Every candidate relation of the counts in the model (for each release,
 * when checking several). */
static void model_relations(struct model *m, const struct area_set *areas,
			    struct parts *ps)
{
	size_t k;
	int saved = m->release;

	sex_relations(m, ps);

	for (k = 0; k < m->nslices; k++) {
		const struct slice *sl = &m->slices[k];

		m->release = sl->release;
		group_relations(m, sl->kind, sl->area, sl->year, sl->breakdown,
				ps);
	}
	for (k = 0; k < m->narea_years; k++) {
		m->release = m->area_years[k].release;
		band_relations(m, m->area_years[k].area, m->area_years[k].year,
			       ps);
	}
	m->release = saved;
	area_relations(m, areas, ps);
}

/* ---- publishing: withholding, precision and rounding ---- */

#define BIT(c) (1u << (c))
#define ALL_FIGURES                                                        \
	(BIT(TIDY_VALUE) | BIT(TIDY_NUMERATOR) | BIT(TIDY_DENOMINATOR) |   \
	 BIT(TIDY_CI_LOW) | BIT(TIDY_CI_HIGH) | BIT(TIDY_P_VALUE))

static const char WITHHELD_NOTE[] =
	"[c] withheld to protect confidentiality: a count of fewer than %g "
	"people, or a figure hidden so that such a count cannot be worked out "
	"from others; a withheld figure may be any number, zero included";

static bool cell_hidden(const struct model *m, size_t cell)
{
	return cell != NONE && m->p.cells[cell].state != SDC_PUBLISHED;
}

/* Which figures of row `at` to withhold: a count shown where its cell is
 * suppressed; every other figure when anything it rests on is suppressed
 * (or, for a funnel position, withheld), or missing from the table. */
static unsigned withheld_mask(struct model *m, size_t at,
			      const struct measure_def *def,
			      const unsigned *masks, struct basis *b,
			      double k)
{
	const struct tidy_row *r = &m->t->rows[at];
	const struct row_cells *c = &m->rows[at];
	unsigned mask = 0;
	size_t j;
	bool hide = false;

	if (c->refused)
		return ALL_FIGURES;
	if (cell_hidden(m, c->value))
		mask |= BIT(TIDY_VALUE);
	if (cell_hidden(m, c->numerator) || cell_hidden(m, c->denominator))
		return ALL_FIGURES;
	if (def->basis == BASIS_COUNT || def->basis == BASIS_PUBLIC ||
	    !shows_derived(r, c))
		return mask;
	row_basis(m, at, def, b);
	hide = b->missing;
	for (j = 0; j < b->n && !hide; j++)
		hide = cell_hidden(m, b->cells[j]);
	for (j = 0; j < b->nrows && !hide; j++)
		hide = (masks[b->rows[j]] & BIT(TIDY_VALUE)) != 0;
	/* a pay figure of a handful of people describes each of them */
	if (!hide && def->basis == BASIS_GROUP && c->denominator != NONE)
		hide = m->p.cells[c->denominator].value > 0 &&
		       m->p.cells[c->denominator].value < k;
	if (!hide && def->basis == BASIS_PARTIAL_BANDS)
		hide = !ceiling_derivable(m, at);
	if (hide)
		return ALL_FIGURES;
	if (def->basis == BASIS_PARTIAL_BANDS && !isnan(r->p_value) &&
	    !every_band_shown(m, at))
		mask |= BIT(TIDY_P_VALUE);
	return mask;
}

/* v to the nearest multiple of `base`, halves away from zero. */
static double round_count(double v, double base)
{
	return isnan(v) || !(base > 1) ? v : base * round(v / base);
}

static double round_places(double v, int places)
{
	double scale;

	if (isnan(v) || places < 0)
		return v;
	scale = pow(10.0, places);
	v = v >= 0 ? floor(v * scale + 0.5 + 1e-9 * fabs(v * scale))
		   : -floor(-v * scale + 0.5 + 1e-9 * fabs(v * scale));
	return v / scale;
}

/* With rounding (base `base`), the counts shown are rounded and the
 * figures computed from them again: a share or rate from its rounded
 * counts, with its interval; other figures rest on counts that are not
 * all on the row and keep the figure, but lose their interval and
 * p-value, which would give the exact counts back. */
static void round_row(struct tidy_table *t, struct tidy_row *r,
		      const struct row_cells *c, const struct measure_def *def,
		      double base)
{
	char note[2048];
	struct interval ci;
	double scale = def->unit == UNIT_PER_1000 ? 1000.0 : 100.0;

	if (!(base > 1))
		return;
	if (c->value != NONE && !tidy_row_withheld(r, TIDY_VALUE))
		r->value = round_count(r->value, base);
	if (c->numerator != NONE && !tidy_row_withheld(r, TIDY_NUMERATOR))
		r->numerator = round_count(r->numerator, base);
	if (c->denominator != NONE && !tidy_row_withheld(r, TIDY_DENOMINATOR))
		r->denominator = round_count(r->denominator, base);
	if (def->basis == BASIS_SHARE && !r->withheld &&
	    (def->unit == UNIT_PERCENT || def->unit == UNIT_PER_1000) &&
	    r->denominator > 0) {
		r->value = scale * r->numerator / r->denominator;
		if (!isnan(r->ci_low) &&
		    stats_wilson(r->numerator, r->denominator, STATS_CONF95,
				 &ci) == STATS_OK) {
			r->ci_low = scale * ci.low;
			r->ci_high = scale * ci.high;
		}
	} else if (def->basis != BASIS_COUNT && def->basis != BASIS_PUBLIC &&
		   !r->withheld) {
		r->ci_low = r->ci_high = r->p_value = NAN;
	}
	snprintf(note, sizeof(note), "%s%scounts rounded to the nearest %g, "
		 "so totals may differ from the sum of their parts; shares "
		 "computed from the rounded counts%s", r->note,
		 r->note[0] ? "; " : "", base,
		 def->basis != BASIS_COUNT && def->basis != BASIS_SHARE &&
				 def->basis != BASIS_PUBLIC
			 ? ", and no interval or p-value given"
			 : "");
	r->note = tidy_table_intern(t, note);
}

/* Every figure to the precision it is published to (measure_def.h). */
static void publish_precision(struct tidy_row *r,
			      const struct measure_def *def)
{
	int below = 0;
	int places = measure_unit_places(def->unit);

	if (def->basis == BASIS_FUNNEL) {
		/* the figure it places ("attainment_gap: attainment8"): a
		 * rate (%), a ratio, or a gap in score points */
		char placed[128];
		size_t len = strcspn(r->breakdown, ":");
		const struct measure_def *of;

		snprintf(placed, sizeof(placed), "%.*s", (int)len,
			 r->breakdown);
		of = measure_def_find(placed);
		places = measure_unit_places(of ? of->unit : UNIT_RATIO);
		r->value = round_places(r->value, places);
		r->numerator = round_places(r->numerator, places);
		r->ci_low = round_places(r->ci_low, places);
		r->ci_high = round_places(r->ci_high, places);
		r->denominator = round_places(r->denominator, 0);
		return;
	}

	r->value = round_places(r->value, places);
	r->ci_low = round_places(r->ci_low, places);
	r->ci_high = round_places(r->ci_high, places);
	r->numerator = round_places(r->numerator,
				    measure_unit_places(def->numerator_unit));
	r->denominator = round_places(
		r->denominator, measure_unit_places(def->denominator_unit));
	r->p_value = measure_publish_p(r->p_value, &below);
	if (below)
		r->below |= BIT(TIDY_P_VALUE);
}

/* A rate row's rate from its counts as shown (rounded), in its unit;
 * false when a count is withheld or the rate has no base. */
static bool shown_rate(const struct tidy_row *r, double *rate)
{
	const struct measure_def *def = measure_def_find(r->measure);

	if (!def || (r->withheld & (BIT(TIDY_NUMERATOR) |
				    BIT(TIDY_DENOMINATOR))) ||
	    isnan(r->numerator) || !(r->denominator > 0))
		return false;
	*rate = (def->unit == UNIT_PER_1000 ? 1000.0 : 100.0) * r->numerator /
		r->denominator;
	return true;
}

/*
 * With rounding, a ratio of rates (row `at` of the table protected, the
 * model's, written at `first + at` of `out`) from the rates of its group
 * and its reference as shown: each from its rounded counts (round_row()),
 * so that the ratio and its rates give back no more than those counts
 * do. The rate rows are found as the checker finds them: the group's by
 * its key, the reference's by its rate. A ratio whose rates cannot be
 * given so is withheld.
 */
static void rate_ratio_rounded(struct model *m, struct tidy_table *out,
			       size_t first, size_t at,
			       const struct measure_def *def, const char *note)
{
	const struct tidy_row *in = &m->t->rows[at];
	struct tidy_row *r = &out->rows[first + at];
	bool wres = is(in, "wres_relative_likelihood");
	const char *rate = def->domain == MEASURE_ATTAINMENT
				   ? "attainment_rate"
				   : "event_rate";
	size_t group = same_row(m, at, rate, NULL, in->breakdown), reference;
	double shown_group = wres ? in->denominator : in->numerator;
	double shown_reference = wres ? in->numerator : in->denominator;
	double of_group = NAN, of_reference = NAN;
	bool given = true;

	if (r->withheld & BIT(TIDY_VALUE))
		return;
	reference_cells(m, at, rate, in->breakdown, shown_reference, NULL,
			&reference);
	/* a rate not shown (no one at risk) stays not shown */
	if (!isnan(shown_group))
		given = group != NONE &&
			shown_rate(&out->rows[first + group], &of_group);
	if (!isnan(shown_reference) && given)
		given = reference != NONE &&
			shown_rate(&out->rows[first + reference],
				   &of_reference);
	if (given) {
		r->numerator = wres ? of_reference : of_group;
		r->denominator = wres ? of_group : of_reference;
		r->value = isnan(in->value) || !(r->denominator > 0)
				   ? NAN
				   : r->numerator / r->denominator;
		publish_precision(r, def);
		return;
	}
	r->withheld |= BIT(TIDY_VALUE) | BIT(TIDY_NUMERATOR) |
		       BIT(TIDY_DENOMINATOR) | BIT(TIDY_CI_LOW) |
		       BIT(TIDY_CI_HIGH) | BIT(TIDY_P_VALUE);
	r->value = r->numerator = r->denominator = NAN;
	r->ci_low = r->ci_high = r->p_value = NAN;
	r->flag = tidy_table_intern(out, "suppressed");
	r->note = tidy_table_intern(out, note);
}

/*
 * The previous releases of the same figures (a correction's
 * predecessors, and the release of the year before, whose counts the
 * change rows show again): a count one withheld stays withheld
 * (SDC_PRIOR), or else the new figure, or one worked out from it, would
 * reveal what the old release hid. A count shown (in any row) is known to
 * anyone who kept it; when its value is unchanged (or, with rounding,
 * rounds to what was shown) withholding it now hides nothing, so the audit
 * treats it as a published constant and it is never chosen as a
 * complement. A count that changed is unknown like any other.
 */
static int apply_prior(struct model *m, const struct tidy_table *prior,
		       double round_to, struct parity_error *err)
{
	struct count_slot slots[3];
	bool *shown = xcalloc(m->p.ncells ? m->p.ncells : 1, sizeof(*shown));
	size_t i, j, n, c;
	int pass, rc = 0;

	/* first what it showed anywhere, then what it withheld everywhere */
	for (pass = 0; pass < 2 && rc == 0; pass++)
		for (i = 0; i < prior->count; i++) {
			const struct tidy_row *r = &prior->rows[i];
			const struct measure_def *def = row_def(r, err);

			if (!def) {
				rc = -1;
				break;
			}
			n = row_slots(m, r, def, slots);
			for (j = 0; j < n; j++) {
				struct sdc_cell *cell;
				double v;
				bool withheld = tidy_row_withheld(
					r, slots[j].column);

				c = find(m, slots[j].kind, r->area_code,
					 slots[j].year, slots[j].breakdown,
					 r->ethnicity_level, slots[j].group);
				if (c == NONE && answered(slots[j].breakdown))
					c = find(m, "staff", r->area_code,
						 slots[j].year,
						 sex_part(slots[j].breakdown),
						 r->ethnicity_level,
						 slots[j].group);
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
				    (fabs(v - cell->value) < 1e-9 ||
				     (round_to > 1 &&
				      v == round_count(cell->value, round_to))))
					cell->known = true;
			}
		}
	free(shown);
	return rc;
}

static void model_init(struct model *m, const struct tidy_table *t,
		       const struct area_set *areas)
{
	memset(m, 0, sizeof(*m));
	sdc_problem_init(&m->p);
	sdc_problem_init(&m->corrected);
	sdc_problem_init(&m->seen);
	strbuf_init(&m->key);
	strbuf_init(&m->seen_key);
	tidy_table_init(&m->pool);
	m->t = t;
	m->release = -1;
	m->rows = xcalloc(t->count ? t->count : 1, sizeof(*m->rows));
	m->london = areas->areas[area_london(areas)].code;
	sdc_problem_init(&m->bases);
	service_find(m);
}

static void model_free(struct model *m)
{
	free(m->rows);
	free(m->meta);
	free(m->conflicts);
	free((void *)m->areas);
	free((void *)m->levels);
	free((void *)m->breakdowns);
	free(m->slices);
	free(m->area_years);
	sdc_problem_free(&m->seen);
	strbuf_release(&m->seen_key);
	row_index_free(&m->by_row);
	row_index_free(&m->by_value);
	sdc__relation_index_free(&m->relation_index);
	strbuf_release(&m->key);
	tidy_table_free(&m->pool);
	sdc_problem_free(&m->p);
	sdc_problem_free(&m->corrected);
	sdc_problem_free(&m->bases);
	if (m->service_defs)
		service_defs_free(m->service_defs);
}

/* Register every count the rows show, then index the rows. */
static int model_counts(struct model *m, struct parity_error *err)
{
	size_t k;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < m->t->count; k++) {
			if (pass == 0) {
				m->rows[k].value = m->rows[k].numerator =
					m->rows[k].denominator = NONE;
				m->rows[k].refused = false;
			}
			if (row_counts(m, k, pass, err) < 0)
				return -1;
		}
	index_rows(m);
	return 0;
}

/* The masks of every row: funnel positions last, as they follow the
 * rows they place. */
static int model_masks(struct model *m, unsigned *masks, double k,
		       struct parity_error *err)
{
	struct basis b;
	size_t i;
	int pass;

	memset(&b, 0, sizeof(b));
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < m->t->count; i++) {
			const struct measure_def *def =
				row_def(&m->t->rows[i], err);

			if (!def) {
				free(b.cells);
				free(b.rows);
				return -1;
			}
			if ((def->basis == BASIS_FUNNEL) != (pass == 1))
				continue;
			if (m->release_of)
				m->release = m->release_of[i];
			masks[i] = withheld_mask(m, i, def, masks, &b, k);
		}
	free(b.cells);
	free(b.rows);
	return 0;
}

int sdc_protect_table(const struct tidy_table *in,
		      const struct area_set *areas,
		      const struct sdc_options *opt, struct tidy_table *out,
		      struct sdc_summary *summary, struct parity_error *err)
{
	struct model m;
	struct parts ps = { NULL, 0, 0, false };
	unsigned *masks = NULL;
	size_t k;
	int rc;

	model_init(&m, in, areas);
	m.k = opt->k;
	attainment_cohort(&m);
	rc = model_counts(&m, err);
	/* counts shown rounded are known to a reader only to within half
	 * the base: audited so, as the checker reads them (row_counts()),
	 * or a withheld count of 0 that rounded totals leave at 0 to 2
	 * would pass here and be refused there */
	for (k = 0; rc == 0 && opt->round_to > 1 && k < m.p.ncells; k++)
		if (!m.p.cells[k].gap)
			m.p.cells[k].slack = fmax(m.p.cells[k].slack,
						  opt->round_to / 2);
	if (rc == 0)
		model_relations(&m, areas, &ps);
	if (rc == 0)
		rc = model_nesting(&m, err);
	for (k = 0; rc == 0 && k < opt->npriors; k++)
		rc = apply_prior(&m, opt->priors[k], opt->round_to, err);
	if (rc == 0)
		rc = sdc_protect(&m.p, opt, summary, err);

	if (rc == 0) {
		masks = xcalloc(in->count ? in->count : 1, sizeof(*masks));
		rc = model_masks(&m, masks, opt->k, err);
	}
	if (rc == 0) {
		char note[512];

		snprintf(note, sizeof(note), WITHHELD_NOTE, opt->k);
		tidy_table_append(out, in);
		for (k = 0; k < in->count; k++) {
			struct tidy_row *r = &out->rows[out->count -
							 in->count + k];
			const struct measure_def *def =
				measure_def_find(r->measure);

			r->withheld = masks[k];
			if (masks[k] == BIT(TIDY_P_VALUE)) {
				/* a glass ceiling whose test rests on band
				 * counts that are withheld: the ratio and
				 * its counts stay */
				char buf[2048];

				snprintf(buf, sizeof(buf), "%s; the test (its "
					 "p-value, and whether it is a "
					 "ceiling) withheld: it rests on pay "
					 "band counts that are withheld",
					 r->note);
				r->note = tidy_table_intern(out, buf);
				r->p_value = NAN;
				r->flag = "";
				masks[k] = 0;
			}
			if (masks[k] & BIT(TIDY_VALUE))
				r->value = NAN;
			if (masks[k] & BIT(TIDY_NUMERATOR))
				r->numerator = NAN;
			if (masks[k] & BIT(TIDY_DENOMINATOR))
				r->denominator = NAN;
			if (masks[k] & BIT(TIDY_CI_LOW))
				r->ci_low = r->ci_high = r->p_value = NAN;
			if (masks[k]) {
				r->flag = tidy_table_intern(out, "suppressed");
				r->note = tidy_table_intern(out, note);
			}
			round_row(out, r, &m.rows[k], def, opt->round_to);
			publish_precision(r, def);
		}
		/* ratios of rates from the rates as rounded: every rate row
		 * is rounded by now */
		for (k = 0; opt->round_to > 1 && k < in->count; k++) {
			const struct measure_def *def =
				measure_def_find(in->rows[k].measure);

			if (def && def->basis == BASIS_RATE_RATIO)
				rate_ratio_rounded(&m, out,
						   out->count - in->count, k,
						   def, note);
		}
	}
	free(masks);
	free(ps.at);
	model_free(&m);
	return rc;
}

/* ---- checking published tables ---- */

static void add_problem(struct sdc_check *out, size_t row,
			enum tidy_column column, double low, double high,
			enum sdc_check_kind kind)
{
	struct sdc_check_problem *pr;

	out->problems = xgrow(out->problems, &out->problems_cap,
			      out->nproblems + 1, sizeof(*out->problems));
	pr = &out->problems[out->nproblems++];
	pr->row = row;
	pr->column = column;
	pr->low = low;
	pr->high = high;
	pr->small = kind == SDC_CHECK_SMALL;
	pr->kind = kind;
}

/* Areas and years whose counts two releases show differently: corrected,
 * so kept apart in each release. */
static int find_corrections(struct model *m, struct parity_error *err)
{
	struct sdc_problem seen;      /* each count shown, per release */
	struct count_slot slots[3];
	/* per count of `seen`: at most three a row */
	size_t most = m->t->count * 3 + 1;
	const char **area_of = xcalloc(most, sizeof(*area_of));
	int *year_of = xcalloc(most, sizeof(*year_of));
	int *release_of = xcalloc(most, sizeof(*release_of));
	size_t i, j, n, c, stem;
	int rc = 0, saved = m->release, rel;
	char buf[256];

	sdc_problem_init(&seen);
	m->release = -1;
	for (i = 0; i < m->t->count && rc == 0; i++) {
		const struct tidy_row *r = &m->t->rows[i];
		const struct measure_def *def = row_def(r, err);

		if (!def) {
			rc = -1;
			break;
		}
		n = row_slots(m, r, def, slots);
		for (j = 0; j < n; j++) {
			double v = tidy_row_number(r, slots[j].column);

			if (tidy_row_withheld(r, slots[j].column) || isnan(v))
				continue;
			cell_key(m, slots[j].kind, r->area_code, slots[j].year,
				 slots[j].breakdown, r->ethnicity_level,
				 slots[j].group);
			strbuf_addf(&m->key, "@%d", m->release_of[i]);
			if (sdc_cell_find(&seen, m->key.buf) != NONE)
				continue;
			rc = sdc_cell_add(&seen, m->key.buf, v, &c, err);
			if (rc < 0)
				break;
			area_of[c] = r->area_code;
			year_of[c] = slots[j].year;
			release_of[c] = m->release_of[i];
		}
	}
	/* each count against the same count of the other releases */
	for (c = 0; c < seen.ncells && rc == 0; c++) {
		stem = strlen(seen.cells[c].key) -
		       (size_t)snprintf(buf, sizeof(buf), "@%d", release_of[c]);
		for (rel = release_of[c] + 1; rel <= m->last_release; rel++) {
			size_t other;

			strbuf_reset(&m->key);
			strbuf_add(&m->key, seen.cells[c].key, stem);
			strbuf_addf(&m->key, "@%d", rel);
			other = sdc_cell_find(&seen, m->key.buf);
			if (other == NONE ||
			    fabs(seen.cells[other].value -
				 seen.cells[c].value) < 1e-9)
				continue;
			snprintf(buf, sizeof(buf), "%s|%d", area_of[c],
				 year_of[c]);
			if (sdc_cell_find(&m->corrected, buf) == NONE) {
				size_t ignored;

				rc = sdc_cell_add(&m->corrected, buf, 1,
						  &ignored, err);
			}
		}
	}
	free((void *)area_of);
	free(year_of);
	free(release_of);
	sdc_problem_free(&seen);
	m->release = saved;
	return rc;
}

static void check_figures(struct model *m, struct sdc_check *out,
			  const struct sdc_interval *iv, double k)
{
	struct basis b;
	size_t i, j;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < m->t->count; i++) {
		const struct tidy_row *r = &m->t->rows[i];
		const struct measure_def *def = measure_def_find(r->measure);
		bool bad = false;
		double low = NAN, high = NAN;

		if (!def || def->basis == BASIS_COUNT ||
		    def->basis == BASIS_PUBLIC || !shows_derived(r, &m->rows[i]))
			continue;
		m->release = m->release_of[i];
		row_basis(m, i, def, &b);
		bad = b.missing;
		for (j = 0; j < b.n && !bad; j++) {
			size_t c = b.cells[j];

			/* a figure shown on a withheld count gives it away:
			 * a problem unless the count can only be 0 or k or
			 * more */
			if (m->p.cells[c].state == SDC_PUBLISHED)
				continue;
			if (iv[c].high < 1 || iv[c].low >= k)
				continue;
			bad = true;
			low = iv[c].low;
			high = iv[c].high;
		}
		for (j = 0; j < b.nrows && !bad; j++)
			bad = (m->t->rows[b.rows[j]].withheld &
			       BIT(TIDY_VALUE)) != 0;
		if (!bad && def->basis == BASIS_PARTIAL_BANDS)
			bad = !ceiling_derivable(m, i) ||
			      (!isnan(r->p_value) && !every_band_shown(m, i));
		if (bad)
			add_problem(out, i, TIDY_VALUE, low, high,
				    SDC_CHECK_FIGURE);
	}
	free(b.cells);
	free(b.rows);
}

int sdc_check_releases(const struct tidy_table *const *releases,
		       size_t nreleases, const struct area_set *areas,
		       double k, double protection, struct sdc_check *out,
		       struct parity_error *err)
{
	struct model m;
	struct tidy_table all;
	struct parts ps = { NULL, 0, 0, false };
	struct sdc_incidence inc;
	struct sdc_interval *iv = NULL;
	bool *exact = NULL;
	struct sdc_audit_stats st;
	int *release_of;
	size_t c, r, *first_row = NULL, *first_of;
	enum tidy_column *first_column = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->narrowest = INFINITY;
	tidy_table_init(&all);
	for (r = 0; r < nreleases; r++)
		tidy_table_append(&all, releases[r]);
	release_of = xcalloc(all.count ? all.count : 1, sizeof(*release_of));
	first_of = xcalloc(nreleases ? nreleases : 1, sizeof(*first_of));
	for (r = 0, c = 0; r < nreleases; r++) {
		size_t j;

		first_of[r] = c;
		for (j = 0; j < releases[r]->count; j++)
			release_of[c++] = (int)r;
	}
	model_init(&m, &all, areas);
	memset(&inc, 0, sizeof(inc));
	m.checking = true;
	m.release_of = release_of;
	m.last_release = nreleases ? (int)nreleases - 1 : 0;
	attainment_cohort(&m);
	if (nreleases > 1)
		rc = find_corrections(&m, err);
	if (rc == 0)
		rc = model_counts(&m, err);
	if (rc == 0)
		model_relations(&m, areas, &ps);
	if (rc == 0)
		rc = model_nesting(&m, err);
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
	for (c = 0; c < m.p.ncells; c++)
		out->counts += !m.p.cells[c].gap;
	out->relations = m.p.nrelations;
	out->corrected = m.corrected.ncells;
	/* the first row showing (or withholding) each count */
	first_row = xmalloc((m.p.ncells ? m.p.ncells : 1) * sizeof(*first_row));
	first_column = xmalloc((m.p.ncells ? m.p.ncells : 1) *
			       sizeof(*first_column));
	for (c = 0; c < m.p.ncells; c++)
		first_row[c] = NONE;
	for (c = all.count; c-- > 0;) {
		const struct row_cells *rc3 = &m.rows[c];

		if (rc3->denominator != NONE) {
			first_row[rc3->denominator] = c;
			first_column[rc3->denominator] = TIDY_DENOMINATOR;
		}
		if (rc3->numerator != NONE) {
			first_row[rc3->numerator] = c;
			first_column[rc3->numerator] = TIDY_NUMERATOR;
		}
		if (rc3->value != NONE) {
			first_row[rc3->value] = c;
			first_column[rc3->value] = TIDY_VALUE;
		}
	}
	for (c = 0; rc == 0 && c < m.p.ncells; c++) {
		const struct sdc_cell *cell = &m.p.cells[c];
		size_t row = first_row[c];
		enum tidy_column column = row == NONE ? TIDY_VALUE
						      : first_column[c];

		if (cell->gap)
			continue; /* the slack of a nesting: no count */
		if (cell->state == SDC_PUBLISHED) {
			if (cell->value > 0 && cell->value < k)
				add_problem(out, row, column, cell->value,
					    cell->value, SDC_CHECK_SMALL);
			continue;
		}
		out->withheld++;
		/* a withheld count that can only be k or more, or only 0,
		 * reveals no small count, however narrow its interval (as
		 * for the figures resting on it, check_figures()) */
		if (iv[c].high - iv[c].low >= protection)
			continue;
		if (iv[c].high < 1)
			out->zero_known++;
		else if (iv[c].low >= k)
			out->large_known++;
		else
			add_problem(out, row, column, iv[c].low, iv[c].high,
				    SDC_CHECK_NARROW);
	}
	if (rc == 0)
		check_figures(&m, out, iv, k);
	for (c = 0; rc == 0 && c < m.nconflicts; c++)
		add_problem(out, m.conflicts[c], TIDY_NUMERATOR, NAN, NAN,
			    SDC_CHECK_CONFLICT);
	/* each problem's row in its own release's table */
	for (c = 0; c < out->nproblems; c++) {
		size_t row = out->problems[c].row;

		if (row == NONE) {
			out->problems[c].release = 0;
			continue;
		}
		out->problems[c].release = (size_t)release_of[row];
		out->problems[c].row = row - first_of[release_of[row]];
	}
	free(first_row);
	free(first_column);
	free(first_of);
	free(iv);
	free(exact);
	free(ps.at);
	sdc__incidence_free(&inc);
	model_free(&m);
	tidy_table_free(&all);
	free(release_of);
	return rc;
}

int sdc_check_table(const struct tidy_table *t, const struct area_set *areas,
		    double k, double protection, struct sdc_check *out,
		    struct parity_error *err)
{
	const struct tidy_table *one[1];

	one[0] = t;
	return sdc_check_releases(one, 1, areas, k, protection, out, err);
}

void sdc_check_free(struct sdc_check *c)
{
	free(c->problems);
	memset(c, 0, sizeof(*c));
}
