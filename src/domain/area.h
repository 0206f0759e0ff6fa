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
 * The set is read-only reference data, compiled in from data/areas.csv.
 * Whoever calls area_set_load() owns the set and frees it with
 * area_set_free(); the set may be shared between threads.
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
	AREA_COUNTRY          /* England, Wales, England and Wales */
};

struct area {
	char *code;
	char *name;
	enum area_type type;
	int parent; /* index of the containing area, or -1 */
};

struct area_set {
	struct area *areas;
	size_t count;
};

int area_set_load(struct area_set **out, struct parity_error *err);
void area_set_free(struct area_set *set);

/* "borough", "subregion", "region", "local_authority", "country". */
const char *area_type_name(enum area_type type);
/* The index of the area with this code, or failing that this name (both
 * case-insensitive), or -1. */
int area_find(const struct area_set *set, const char *code_or_name);
/* The index of London (E12000007). */
int area_london(const struct area_set *set);
/* Whether area `inner` is `outer` or lies within it. */
bool area_within(const struct area_set *set, int inner, int outer);
/*
 * The leaf areas (boroughs and local authorities) that make up `index`, in
 * set order, written to `out` (room for set->count). Returns how many.
 */
size_t area_leaves(const struct area_set *set, int index, int *out);

#endif
