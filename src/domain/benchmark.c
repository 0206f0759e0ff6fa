/*
 * benchmark.c - Census 2021 and user-supplied resident populations (see
 * benchmark.h).
 *
 * Populations are held per leaf area in 19 detailed slots plus 5 high-level
 * slots. A file that gives only high-level groups fills the high-level slots
 * and can only be used at the high level or above. An area's figure is its
 * own, when the file gave it, or the sum of its leaves.
 */
#include "domain/benchmark.h"

#include "base/alloc.h"
#include "base/csv.h"
#include "base/number.h"
#include "base/strbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char parity_data_census2021_ts021_csv[];
extern const size_t parity_data_census2021_ts021_csv_len;

enum { SLOTS = ETHNICITY_DETAILED_COUNT + ETHNICITY_HIGH_COUNT };

struct area_population {
	double slot[SLOTS];
	bool present;     /* the source gave figures for this area */
	bool high_only;   /* ... but only for the 5 high-level groups */
};

struct benchmark {
	const struct area_set *areas;
	struct area_population *pop; /* one per area in the set when
				      * loaded (groups added since pool
				      * their members') */
	size_t npop;
	char *source;
	int year;
};

static struct benchmark *benchmark_new(const struct area_set *areas,
				       const char *source, int year)
{
	struct benchmark *b = xcalloc(1, sizeof(*b));

	b->areas = areas;
	b->pop = xcalloc(areas->count, sizeof(*b->pop));
	b->npop = areas->count;
	b->source = xstrdup(source);
	b->year = year;
	return b;
}

void benchmark_free(struct benchmark *b)
{
	if (!b)
		return;
	free(b->pop);
	free(b->source);
	free(b);
}

const char *benchmark_source(const struct benchmark *b)
{
	return b->source;
}

/* Find the header's columns; -1 in `index` for a missing one. */
static int map_header(const struct csv_row *row, const char *name,
		      const char *const *want, int *index, size_t n,
		      struct parity_error *err)
{
	size_t k, f;

	for (k = 0; k < n; k++) {
		index[k] = -1;
		for (f = 0; f < row->count; f++) {
			char norm[128];

			csv_header_normalise(row->fields[f].text, norm,
					     sizeof(norm));
			if (strcmp(norm, want[k]) == 0)
				index[k] = (int)f;
		}
		if (index[k] < 0)
			return parity_error_set(err, PARITY_ERR_VALIDATION,
						name, row->line, 1,
						"missing required column '%s'",
						want[k]);
	}
	return 0;
}

/*
 * Read `area_code,ethnicity,population` rows. `cls` may be NULL for the
 * built-in file, whose ethnicity column holds stable codes.
 */
static int load_rows(struct benchmark *b, struct csv_reader *r,
		     const struct ethnicity_classifier *cls,
		     struct parity_error *err)
{
	static const char *const want[] = { "area_code", "ethnicity",
					    "population" };
	const char *name = csv_reader_name(r);
	bool *seen = xcalloc(b->areas->count * SLOTS, sizeof(*seen));
	bool *detailed_seen = xcalloc(b->areas->count, sizeof(*detailed_seen));
	struct csv_row row;
	int col[3];
	int rc, status = -1;
	bool header = true;
	size_t rows = 0, k;

	while ((rc = csv_reader_next(r, &row, err)) > 0) {
		const struct csv_field *f;
		struct ethnicity_match m;
		struct parity_error cerr = PARITY_ERROR_INIT;
		int area, slot;
		double v;

		if (header) {
			if (map_header(&row, name, want, col, 3, err) < 0)
				goto out;
			header = false;
			continue;
		}
		if ((size_t)col[0] >= row.count || (size_t)col[1] >= row.count ||
		    (size_t)col[2] >= row.count) {
			parity_error_set(err, PARITY_ERR_PARSE, name, row.line,
					 row.fields[row.count - 1].column,
					 "row has %zu fields, the header has "
					 "more", row.count);
			goto out;
		}
		f = &row.fields[col[0]];
		area = area_find(b->areas, f->text);
		if (area < 0 || (size_t)area >= b->npop ||
		    strcasecmp(b->areas->areas[area].code, f->text) != 0) {
			parity_error_set(err, PARITY_ERR_VALIDATION, name,
					 row.line, f->column,
					 "unknown area code '%s'", f->text);
			goto out;
		}
		f = &row.fields[col[1]];
		if (cls) {
			if (ethnicity_classify(cls, f->text, &m, &cerr) < 0) {
				parity_error_set(err, PARITY_ERR_VALIDATION,
						 name, row.line, f->column,
						 "%s", cerr.message);
				goto out;
			}
		} else {
			m.id = ethnicity_find_code(f->text);
			if (m.id < 0) {
				parity_error_set(err, PARITY_ERR_INTERNAL, name,
						 row.line, f->column,
						 "unknown code '%s'", f->text);
				goto out;
			}
			m.group = ethnicity_category(m.id)->group;
		}
		if (m.group >= ETHNICITY_HIGH_COUNT) {
			parity_error_set(err, PARITY_ERR_VALIDATION, name,
					 row.line, f->column,
					 "a benchmark population needs a "
					 "declared ethnic group, not '%s'",
					 f->text);
			goto out;
		}
		slot = m.id >= 0 ? m.id
				 : ETHNICITY_DETAILED_COUNT + (int)m.group;
		if (seen[(size_t)area * SLOTS + (size_t)slot]) {
			parity_error_set(err, PARITY_ERR_VALIDATION, name,
					 row.line, f->column,
					 "a second population for %s and '%s'",
					 b->areas->areas[area].code, f->text);
			goto out;
		}
		seen[(size_t)area * SLOTS + (size_t)slot] = true;
		f = &row.fields[col[2]];
		if (number_parse_grouped(f->text, false, &v) < 0 || v < 0) {
			parity_error_set(err, PARITY_ERR_VALIDATION, name,
					 row.line, f->column,
					 "population '%s' is not a number of "
					 "people (0 or more)", f->text);
			goto out;
		}
		b->pop[area].present = true;
		if (m.id >= 0) {
			detailed_seen[area] = true;
			b->pop[area].slot[m.id] += v;
			b->pop[area].slot[ETHNICITY_DETAILED_COUNT + m.group] += v;
		} else {
			b->pop[area].slot[slot] += v;
		}
		rows++;
	}
	if (rc < 0)
		goto out;
	if (header || rows == 0) {
		parity_error_set(err, PARITY_ERR_VALIDATION, name, 0, 0,
				 "the benchmark file has no populations");
		goto out;
	}
	for (k = 0; k < b->areas->count; k++) {
		size_t s;
		bool any_group_only = false;

		for (s = 0; s < ETHNICITY_HIGH_COUNT; s++)
			if (seen[k * SLOTS + ETHNICITY_DETAILED_COUNT + s])
				any_group_only = true;
		if (any_group_only && detailed_seen[k]) {
			parity_error_set(err, PARITY_ERR_VALIDATION, name, 0, 0,
					 "%s mixes detailed categories and "
					 "high-level groups: give one or the "
					 "other", b->areas->areas[k].code);
			goto out;
		}
		b->pop[k].high_only = any_group_only;
	}
	status = 0;
out:
	free(seen);
	free(detailed_seen);
	return status;
}

int benchmark_load_census2021(struct benchmark **out,
			      const struct area_set *areas,
			      struct parity_error *err)
{
	struct benchmark *b = benchmark_new(
		areas, "Census 2021 (TS021) usual residents", 2021);
	struct csv_reader *r;
	int rc;

	csv_reader_open_memory(&r, "data/census2021_ts021.csv",
			       parity_data_census2021_ts021_csv,
			       parity_data_census2021_ts021_csv_len, err);
	rc = load_rows(b, r, NULL, err);
	csv_reader_free(r);
	if (rc < 0) {
		benchmark_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

int benchmark_load_file(struct benchmark **out, const struct area_set *areas,
			const struct ethnicity_classifier *cls,
			const char *path, struct parity_error *err)
{
	struct benchmark *b;
	struct csv_reader *r;
	struct strbuf source = STRBUF_INIT;
	int rc;

	if (csv_reader_open_file(&r, path, err) < 0)
		return -1;
	strbuf_addf(&source, "benchmark file %s", path);
	b = benchmark_new(areas, source.buf, 0);
	strbuf_release(&source);
	rc = load_rows(b, r, cls, err);
	csv_reader_free(r);
	if (rc < 0) {
		benchmark_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

/* Sum the slots of `area`: its own figures, or its leaves'. */
static int pooled_slots(const struct benchmark *b, int area, double *slots,
			bool *high_only, struct parity_error *err)
{
	int *leaves;
	size_t n, k, s;

	memset(slots, 0, SLOTS * sizeof(*slots));
	if ((size_t)area < b->npop && b->pop[area].present) {
		memcpy(slots, b->pop[area].slot, SLOTS * sizeof(*slots));
		*high_only = b->pop[area].high_only;
		return 0;
	}
	leaves = xcalloc(b->areas->count, sizeof(*leaves));
	n = area_leaves(b->areas, area, leaves);
	*high_only = false;
	for (k = 0; k < n; k++) {
		const struct area_population *p = &b->pop[leaves[k]];

		if (!p->present) {
			parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					 "the %s has no population for %s (%s)",
					 b->source,
					 b->areas->areas[leaves[k]].name,
					 b->areas->areas[leaves[k]].code);
			free(leaves);
			return -1;
		}
		if (p->high_only)
			*high_only = true;
		for (s = 0; s < SLOTS; s++)
			slots[s] += p->slot[s];
	}
	free(leaves);
	if (n == 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"the %s has no population for %s",
					b->source, b->areas->areas[area].name);
	return 0;
}

int benchmark_populations(const struct benchmark *b, int area,
			  enum ethnicity_level level, double *out,
			  double *total, struct parity_error *err)
{
	double slots[SLOTS];
	bool high_only;
	size_t groups = ethnicity_level_group_count(level), g;
	int id;

	if (pooled_slots(b, area, slots, &high_only, err) < 0)
		return -1;
	if (high_only && level == ETH_LEVEL_DETAILED)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the %s gives only high-level groups "
					"for %s: use --level high",
					b->source, b->areas->areas[area].name);
	if (high_only && level == ETH_LEVEL_WHITE_BRITISH_BINARY)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the %s gives only high-level groups "
					"for %s, so White British cannot be "
					"separated from other White groups",
					b->source, b->areas->areas[area].name);
	for (g = 0; g < groups; g++)
		out[g] = 0;
	*total = 0;
	if (high_only) {
		/* only high and white-binary reach here */
		for (g = 0; g < ETHNICITY_HIGH_COUNT; g++) {
			double v = slots[ETHNICITY_DETAILED_COUNT + g];
			size_t o = level == ETH_LEVEL_HIGH
					   ? g
					   : (g == ETH_GROUP_WHITE ? 0 : 1);

			out[o] += v;
			*total += v;
		}
		return 0;
	}
	for (id = 0; id < ETHNICITY_DETAILED_COUNT; id++) {
		out[ethnicity_level_group((enum ethnicity_id)id, level)] +=
			slots[id];
		*total += slots[id];
	}
	return 0;
}

int benchmark_table(const struct benchmark *b, int area,
		    enum ethnicity_level level, struct tidy_table *table,
		    struct parity_error *err)
{
	const struct area *a = &b->areas->areas[area];
	size_t groups = ethnicity_level_group_count(level), g;
	double *pop = xcalloc(groups, sizeof(*pop));
	double total = 0;
	const char *level_note = ethnicity_level_note(level);
	struct strbuf note = STRBUF_INIT;
	struct tidy_row *r;

	if (benchmark_populations(b, area, level, pop, &total, err) < 0) {
		free(pop);
		return -1;
	}
	strbuf_addf(&note, "%s", b->source);
	if (area_is_group(b->areas, area) ||
	    (area_within(b->areas, area, area_london(b->areas)) &&
	     (a->type == AREA_SUBREGION || a->type == AREA_REGION)))
		strbuf_addstr(&note, "; pooled from its boroughs");
	else if (a->type == AREA_REGION || a->type == AREA_COUNTRY)
		strbuf_addstr(&note, "; pooled from its local authorities");
	if (b->year == 2021)
		strbuf_addstr(&note, "; the total is the sum of the published "
			      "cells, which ONS perturbs independently");
	if (level_note)
		strbuf_addf(&note, "; %s", level_note);
	for (g = 0; g <= groups; g++) {
		int pass;

		for (pass = 0; pass < 2; pass++) {
			bool is_total = g == groups;

			if (is_total && pass == 1)
				break;
			r = tidy_table_add_row(table);
			r->measure = tidy_table_intern(
				table, pass ? "benchmark_share"
					    : "benchmark_population");
			r->area_code = tidy_table_intern(table, a->code);
			r->area_name = tidy_table_intern(table, a->name);
			r->area_type = tidy_table_intern(
				table, area_type_name(a->type));
			r->year = b->year;
			r->ethnicity = tidy_table_intern(
				table, is_total ? "All usual residents"
						: ethnicity_level_group_label(
							  level, g));
			r->ethnicity_level = tidy_table_intern(
				table, ethnicity_level_name(level));
			r->note = tidy_table_intern(table, note.buf);
			if (pass == 0) {
				r->value = is_total ? total : pop[g];
			} else {
				r->numerator = pop[g];
				r->denominator = total;
				r->value = total > 0 ? 100.0 * pop[g] / total
						     : NAN;
			}
		}
	}
	strbuf_release(&note);
	free(pop);
	return 0;
}
