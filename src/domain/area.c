/*
 * area.c - the built-in areas, their hierarchy, and the groups of boroughs
 * beside it: the partnerships and a user's groups (see area.h).
 */
#include "domain/area.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char parity_data_areas_csv[];
extern const size_t parity_data_areas_csv_len;
extern const char parity_data_partnerships_csv[];
extern const size_t parity_data_partnerships_csv_len;

static const char *const type_names[] = {
	"borough", "subregion", "region", "local_authority", "country",
	"partnership", "group"
};

const char *area_type_name(enum area_type type)
{
	return type_names[type];
}

static int parse_type(const char *s, enum area_type *out)
{
	size_t k;

	for (k = 0; k < sizeof(type_names) / sizeof(type_names[0]); k++)
		if (strcmp(s, type_names[k]) == 0) {
			*out = (enum area_type)k;
			return 0;
		}
	return -1;
}

void area_set_free(struct area_set *set)
{
	size_t k;

	if (!set)
		return;
	for (k = 0; k < set->count; k++) {
		free(set->areas[k].code);
		free(set->areas[k].name);
		free(set->areas[k].members);
	}
	free(set->areas);
	free(set);
}

/* Add a member to group `g`, keeping the members in set order. */
static void add_member(struct area *g, int member)
{
	size_t at = g->nmembers;

	g->members = xrealloc(g->members, (g->nmembers + 1) *
					      sizeof(*g->members));
	while (at > 0 && g->members[at - 1] > member) {
		g->members[at] = g->members[at - 1];
		at--;
	}
	g->members[at] = member;
	g->nmembers++;
}

static struct area *add_area(struct area_set *set, const char *code,
			     const char *name, enum area_type type)
{
	struct area *a;

	set->areas = xrealloc(set->areas, (set->count + 1) *
						  sizeof(*set->areas));
	a = &set->areas[set->count++];
	memset(a, 0, sizeof(*a));
	a->code = xstrdup(code);
	a->name = xstrdup(name);
	a->type = type;
	a->parent = -1;
	return a;
}

/* Whether borough `b` is a member of a partnership loaded already: each
 * borough is in one partnership at most. */
static bool in_a_partnership(const struct area_set *set, int b)
{
	size_t k;

	for (k = 0; k < set->count; k++)
		if (set->areas[k].type == AREA_PARTNERSHIP &&
		    area_includes(set, b, (int)k))
			return true;
	return false;
}

/* The partnerships of data/partnerships.csv, each after the tree: one row
 * per member borough, the partnership's rows together. */
static int load_partnerships(struct area_set *set, struct parity_error *err)
{
	static const char name[] = "data/partnerships.csv";
	struct csv_reader *r;
	struct csv_row row;
	int rc, p = -1, b;
	bool header = true;

	csv_reader_open_memory(&r, name, parity_data_partnerships_csv,
			       parity_data_partnerships_csv_len, err);
	while ((rc = csv_reader_next(r, &row, err)) > 0) {
		if (header) {
			header = false;
			continue;
		}
		if (row.count != 4) {
			rc = parity_error_set(err, PARITY_ERR_INTERNAL, name,
					      row.line, 1, "expected 4 fields");
			break;
		}
		if (p < 0 || strcmp(set->areas[p].code,
				    row.fields[0].text) != 0) {
			if (area_find(set, row.fields[0].text) >= 0) {
				rc = parity_error_set(
					err, PARITY_ERR_INTERNAL, name,
					row.line, 1, "partnership '%s' again",
					row.fields[0].text);
				break;
			}
			add_area(set, row.fields[0].text, row.fields[1].text,
				 AREA_PARTNERSHIP);
			p = (int)set->count - 1;
		}
		b = area_find(set, row.fields[2].text);
		if (b < 0 || set->areas[b].type != AREA_BOROUGH ||
		    in_a_partnership(set, b)) {
			rc = parity_error_set(err, PARITY_ERR_INTERNAL, name,
					      row.line, row.fields[2].column,
					      "'%s' is not a borough, or is "
					      "in a partnership already",
					      row.fields[2].text);
			break;
		}
		add_member(&set->areas[p], b);
	}
	csv_reader_free(r);
	return rc < 0 ? -1 : 0;
}

int area_set_load(struct area_set **out, struct parity_error *err)
{
	static const char name[] = "data/areas.csv";
	struct area_set *set = xcalloc(1, sizeof(*set));
	struct csv_reader *r;
	struct csv_row row;
	size_t cap = 0, pcap = 1, k, ntree = 0;
	char **parents = xcalloc(pcap, sizeof(*parents));
	int rc, status = -1;
	bool header = true;

	csv_reader_open_memory(&r, name, parity_data_areas_csv,
			       parity_data_areas_csv_len, err);
	while ((rc = csv_reader_next(r, &row, err)) > 0) {
		struct area *a;

		if (header) {
			header = false;
			continue;
		}
		if (row.count != 4) {
			parity_error_set(err, PARITY_ERR_INTERNAL, name,
					 row.line, 1, "expected 4 fields");
			goto out;
		}
		set->areas = xgrow(set->areas, &cap, set->count + 1,
				   sizeof(*set->areas));
		parents = xgrow(parents, &pcap, set->count + 1,
				sizeof(*parents));
		a = &set->areas[set->count];
		a->code = xstrdup(row.fields[0].text);
		a->name = xstrdup(row.fields[1].text);
		a->parent = -1;
		a->members = NULL;
		a->nmembers = 0;
		parents[set->count] = xstrdup(row.fields[3].text);
		ntree = ++set->count;
		if (parse_type(row.fields[2].text, &a->type) < 0 ||
		    a->type == AREA_PARTNERSHIP || a->type == AREA_GROUP) {
			parity_error_set(err, PARITY_ERR_INTERNAL, name,
					 row.line, row.fields[2].column,
					 "unknown area type '%s'",
					 row.fields[2].text);
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	for (k = 0; k < set->count; k++) {
		if (!parents[k][0])
			continue;
		set->areas[k].parent = area_find(set, parents[k]);
		if (set->areas[k].parent < 0) {
			parity_error_set(err, PARITY_ERR_INTERNAL, name, 0, 0,
					 "unknown parent area '%s'", parents[k]);
			goto out;
		}
	}
	status = load_partnerships(set, err);
out:
	for (k = 0; k < ntree; k++)
		free(parents[k]);
	free(parents);
	csv_reader_free(r);
	if (status < 0)
		area_set_free(set);
	else
		*out = set;
	return status;
}

int area_find(const struct area_set *set, const char *code_or_name)
{
	size_t k;

	for (k = 0; k < set->count; k++)
		if (strcasecmp(set->areas[k].code, code_or_name) == 0)
			return (int)k;
	for (k = 0; k < set->count; k++)
		if (strcasecmp(set->areas[k].name, code_or_name) == 0)
			return (int)k;
	return -1;
}

int area_london(const struct area_set *set)
{
	return area_find(set, "E12000007");
}

bool area_within(const struct area_set *set, int inner, int outer)
{
	while (inner >= 0) {
		if (inner == outer)
			return true;
		inner = set->areas[inner].parent;
	}
	return false;
}

bool area_is_group(const struct area_set *set, int k)
{
	return k >= 0 && (set->areas[k].type == AREA_PARTNERSHIP ||
			  set->areas[k].type == AREA_GROUP);
}

bool area_includes(const struct area_set *set, int inner, int outer)
{
	size_t k;

	if (!area_is_group(set, outer))
		return area_within(set, inner, outer);
	if (inner == outer)
		return true;
	for (k = 0; k < set->areas[outer].nmembers; k++)
		if (set->areas[outer].members[k] == inner)
			return true;
	return false;
}

size_t area_leaves(const struct area_set *set, int index, int *out)
{
	size_t k, n = 0;

	if (area_is_group(set, index)) {
		memcpy(out, set->areas[index].members,
		       set->areas[index].nmembers * sizeof(*out));
		return set->areas[index].nmembers;
	}
	for (k = 0; k < set->count; k++) {
		enum area_type t = set->areas[k].type;

		if ((t == AREA_BOROUGH || t == AREA_LOCAL_AUTHORITY) &&
		    area_within(set, (int)k, index))
			out[n++] = (int)k;
	}
	return n;
}

int area_group_code(const char *name, char out[AREA_GROUP_CODE_MAX + 1],
		    struct parity_error *err)
{
	size_t n = 2, len = strlen(name);
	bool gap = false, any = false;
	const char *p;

	if (len == 0 || len > AREA_GROUP_NAME_MAX)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"a group's name must have 1 to %d "
					"characters", AREA_GROUP_NAME_MAX);
	memcpy(out, "G-", 2);
	for (p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x80 && isalnum(c)) {
			if (gap && any)
				out[n++] = '-';
			out[n++] = (char)toupper(c);
			gap = false;
			any = true;
		} else {
			gap = true;
		}
	}
	out[n] = '\0';
	if (!any)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"a group's name needs a letter or "
					"digit: '%s'", name);
	return 0;
}

int area_set_add_group(struct area_set *set, const char *code,
		       const char *name, const int *members, size_t nmembers,
		       struct parity_error *err)
{
	struct area *g;
	size_t k, j;

	if (area_find(set, code) >= 0 || area_find(set, name) >= 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"'%s' is already an area's name or "
					"code (see `parity areas`)", name);
	if (nmembers == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the group '%s' has no boroughs",
					name);
	if (nmembers == 1)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the group '%s' has one borough: a "
					"group of one is that borough", name);
	for (k = 0; k < nmembers; k++) {
		if (members[k] < 0 || (size_t)members[k] >= set->count ||
		    set->areas[members[k]].type != AREA_BOROUGH)
			return parity_error_set(
				err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				"a group is of London boroughs: '%s' is not "
				"one", members[k] >= 0 &&
				(size_t)members[k] < set->count
				? set->areas[members[k]].name : "?");
		for (j = 0; j < k; j++)
			if (members[j] == members[k])
				return parity_error_set(
					err, PARITY_ERR_VALIDATION, NULL, 0,
					0, "%s is named twice in the group "
					"'%s'", set->areas[members[k]].name,
					name);
	}
	g = add_area(set, code, name, AREA_GROUP);
	for (k = 0; k < nmembers; k++)
		add_member(g, members[k]);
	return 0;
}

/* Whether areas `a` and `b` have the same boroughs with a return. */
static bool same_returns(const struct area_set *set, int a, int b,
			 const bool *has_return, int *scratch)
{
	size_t k, n = area_leaves(set, a, scratch), na = 0, nb = 0;

	for (k = 0; k < n; k++)
		if (has_return[scratch[k]]) {
			na++;
			if (!area_includes(set, scratch[k], b))
				return false;
		}
	n = area_leaves(set, b, scratch);
	for (k = 0; k < n; k++)
		nb += has_return[scratch[k]] ? 1 : 0;
	return na == nb;
}

int area_group_repeats(const struct area_set *set, int g,
		       const bool *has_return)
{
	const struct area *a = &set->areas[g];
	int *scratch = xcalloc(set->count, sizeof(*scratch));
	int london = area_london(set), found = -1, only = -1;
	size_t k, covered = 0;

	for (k = 0; k < a->nmembers; k++)
		if (has_return[a->members[k]]) {
			covered++;
			only = a->members[k];
		}
	if (covered == 0)
		found = -2;
	else if (covered == 1)
		found = only;
	for (k = 0; found == -1 && k < set->count; k++) {
		int c = (int)k;

		if (c == g || (area_is_group(set, c) && c > g))
			continue;
		if (c != london && set->areas[k].type != AREA_SUBREGION &&
		    !area_is_group(set, c))
			continue;
		if (!area_is_group(set, c) && !area_within(set, c, london))
			continue;
		if (same_returns(set, g, c, has_return, scratch))
			found = c;
	}
	free(scratch);
	return found;
}
