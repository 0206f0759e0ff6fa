/*
 * area_group_store.h - the groups of boroughs users define, in the store
 * (migration 0014; `parity areas define`): each group's code, name and
 * member boroughs, added to the areas (domain/area.h) wherever the store
 * is open, so that a group is reported and published as an area is.
 */
#ifndef PARITY_STORE_AREA_GROUP_STORE_H
#define PARITY_STORE_AREA_GROUP_STORE_H

#include "base/error.h"
#include "domain/area.h"
#include "store/store.h"

#include <stddef.h>

/*
 * Keep the group `code`, `name` of the boroughs `members` (indices into
 * `areas`), defined by `by`, after the same checks as
 * area_set_add_group() (which also adds it to `areas`). In a transaction
 * of its own. 0, or -1 with a validation error (a name or code already an
 * area's or a group's, a member not a borough, none, one twice).
 */
int store_area_group_define(struct store *s, struct area_set *areas,
			    const char *code, const char *name,
			    const int *members, size_t nmembers,
			    const char *by, struct parity_error *err);
/*
 * Remove the group with this name or code (case-insensitive), in a
 * transaction of its own: 1 if there was one, 0 if not, -1 on an error.
 * Its code is written to `code` (room for AREA_GROUP_CODE_MAX + 1).
 */
int store_area_group_remove(struct store *s, const char *name_or_code,
			    char *code, struct parity_error *err);
/*
 * Add every group in the store to `areas` (area_set_add_group()), in the
 * order of their codes. A store made before migration 0014 has none. A
 * member no longer an area, or a group whose name is now an area's, is an
 * error naming the group.
 */
int store_area_groups_load(struct store *s, struct area_set *areas,
			   struct parity_error *err);

#endif
