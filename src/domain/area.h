/*
 * area.h - the areas parity reports on, and how they nest.
 *
 * The built-in set holds London's 33 local authorities (the 32 boroughs and
 * the City of London, E09000001-E09000033), Inner and Outer London
 * (E13000001, E13000002), London (E12000007), and the other local
 * authorities of England and Wales, each within its region (England's nine,
 * E12000001-E12000009) or Wales (W92000004); the regions are within England
 * (E92000001), and England and Wales within England and Wales (K04000001),
 * the one top. Figures for an area that contains others are always computed
 * from the pooled figures of its boroughs or authorities, never by
 * averaging theirs.
 *
 * Groups of boroughs stand beside that tree, outside it: London's four
 * sub-regional partnerships (data/partnerships.csv: Central London
 * Forward, Local London, the South London Partnership and the West London
 * Alliance) and groups a user defines (`parity areas define`, kept in the
 * store). A borough is in Inner or Outer London and also in a partnership
 * and in any number of groups, so membership is a relation of its own: a
 * group has no parent (area_within() keeps to the tree) and lists its
 * member boroughs; area_includes() answers for both. Groups have no GSS
 * code: partnerships are coded P-CLF, P-LL, P-SLP, P-WLA and user groups
 * G-<name> (area_group_code()); a hyphen is never in a GSS code, so the
 * two cannot collide.
 *
 * The built-in set is read-only reference data, compiled in from
 * data/areas.csv and data/partnerships.csv; area_set_add_group() adds a
 * user's groups after it is loaded (each at the end, so that indices
 * already taken stay valid). Whoever calls area_set_load() owns the set
 * and frees it with area_set_free(); once complete, the set may be shared
 * between threads.
 */
#ifndef PARITY_DOMAIN_AREA_H
#define PARITY_DOMAIN_AREA_H

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

enum area_type {
	AREA_BOROUGH,         /* a London borough or the City of London */
	AREA_SUBREGION,       /* Inner London, Outer London */
	AREA_REGION,          /* London, or another region of England */
	AREA_LOCAL_AUTHORITY, /* a local authority outside London */
	AREA_COUNTRY,         /* England, Wales, England and Wales */
	AREA_PARTNERSHIP,     /* a sub-regional partnership of boroughs */
	AREA_GROUP            /* a group of boroughs a user defined */
};

/* The longest name a user group may have, and its code. */
#define AREA_GROUP_NAME_MAX 80
#define AREA_GROUP_CODE_MAX (AREA_GROUP_NAME_MAX + 3)

struct area {
	char *code;
	char *name;
	enum area_type type;
	int parent; /* index of the containing area, or -1 (always for a
		     * group) */
	int *members;    /* a group's member boroughs (indices), in set
			  * order; NULL otherwise */
	size_t nmembers;
};

struct area_set {
	struct area *areas;
	size_t count;
};

int area_set_load(struct area_set **out, struct parity_error *err);
void area_set_free(struct area_set *set);

/* "borough", "subregion", "region", "local_authority", "country",
 * "partnership", "group". */
const char *area_type_name(enum area_type type);
/* The index of the area with this code, or failing that this name (both
 * case-insensitive), or -1. */
int area_find(const struct area_set *set, const char *code_or_name);
/* The index of London (E12000007). */
int area_london(const struct area_set *set);
/* Whether area `inner` is `outer` or lies within it, in the tree (never
 * within a group). */
bool area_within(const struct area_set *set, int inner, int outer);
/* Whether area `k` is a group of boroughs (a partnership or a user's). */
bool area_is_group(const struct area_set *set, int k);
/* Whether area `inner` is `outer`, lies within it, or is a member of it
 * (when `outer` is a group). */
bool area_includes(const struct area_set *set, int inner, int outer);
/*
 * The leaf areas (boroughs and local authorities) that make up `index`, in
 * set order, written to `out` (room for set->count): a group's members, or
 * the leaves within it in the tree. Returns how many.
 */
size_t area_leaves(const struct area_set *set, int index, int *out);

/*
 * Whether group `g` pooled from its members with a return (`has_return`,
 * by area index: true for each borough with one) would only repeat the
 * figures of another area: the index of the one member with a return, or
 * of London, a subregion of London, or a group before `g` whose boroughs
 * with a return are the same; -2 when no member has one; -1 when its
 * figures are its own. Publishing a group's figures beside an area's
 * that are the same adds nothing, and disclosure control cannot relate
 * two totals of the same single set of counts.
 */
int area_group_repeats(const struct area_set *set, int g,
		       const bool *has_return);

/*
 * The code of a user group named `name`: "G-" and the name's letters and
 * digits in capitals, each run of anything else one hyphen ("Black
 * Caribbean Achievement" -> "G-BLACK-CARIBBEAN-ACHIEVEMENT"). -1 with a
 * usage error when the name is empty, too long, or has no letter or digit.
 */
int area_group_code(const char *name, char out[AREA_GROUP_CODE_MAX + 1],
		    struct parity_error *err);
/*
 * Add a user group `code`, `name` of the boroughs `members` (indices into
 * the set, each a borough, at least two, no repeats; any order) at the end
 * of the set. -1 with a validation error when the code or name is an
 * area's already or a member is not a borough.
 */
int area_set_add_group(struct area_set *set, const char *code,
		       const char *name, const int *members, size_t nmembers,
		       struct parity_error *err);

#endif
