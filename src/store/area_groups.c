/*
 * area_groups.c - the groups of boroughs users define, in the SQLite store
 * (see area_group_store.h and migration 0014).
 */
#include "store/area_group_store.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schema version that added the groups. */
#define AREA_GROUPS_VERSION 14

static int insert_group(struct store *s, const struct area_set *areas,
			const char *code, const char *name, const int *members,
			size_t nmembers, const char *by,
			struct parity_error *err)
{
	char now[CLOCK_UTC_SIZE];
	struct db_stmt *st;
	size_t k;

	if (clock_utc_now(now, sizeof(now), err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO area_group (code, name, "
			      "defined_at, defined_by) VALUES (?1, ?2, ?3, "
			      "?4)", err) < 0)
		return -1;
	db_bind_text(st, 1, code, -1);
	db_bind_text(st, 2, name, -1);
	db_bind_text(st, 3, now, -1);
	db_bind_text(st, 4, by, -1);
	if (store_sql_step_done(s, st, "cannot keep the group", err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO area_group_member "
			      "(group_code, area_code) VALUES (?1, ?2)",
			      err) < 0)
		return -1;
	for (k = 0; k < nmembers; k++) {
		db_bind_text(st, 1, code, -1);
		db_bind_text(st, 2, areas->areas[members[k]].code, -1);
		if (db_step(st) != DB_DONE) {
			store_sql_fail(s, err, "cannot keep the group");
			db_finalize(st);
			return -1;
		}
		db_reset(st);
	}
	db_finalize(st);
	return 0;
}

int store_area_group_define(struct store *s, struct area_set *areas,
			    const char *code, const char *name,
			    const int *members, size_t nmembers,
			    const char *by, struct parity_error *err)
{
	if (area_set_add_group(areas, code, name, members, nmembers, err) < 0 ||
	    store_begin(s, err) < 0)
		return -1;
	if (insert_group(s, areas, code, name, members, nmembers, by, err) < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}

int store_area_group_remove(struct store *s, const char *name_or_code,
			    char *code, struct parity_error *err)
{
	struct db_stmt *st;
	int rc, found = 0;

	code[0] = '\0';
	if (store_schema_version(s) < AREA_GROUPS_VERSION)
		return 0;
	if (store_begin(s, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "SELECT code FROM area_group WHERE "
			      "code = ?1 COLLATE NOCASE OR name = ?1", err) < 0)
		goto fail;
	db_bind_text(st, 1, name_or_code, -1);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(code, AREA_GROUP_CODE_MAX + 1, "%s",
			 db_column_text(st, 0));
		found = 1;
	}
	db_finalize(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_sql_fail(s, err, "cannot read the groups");
		goto fail;
	}
	if (found) {
		if (store_sql_prepare(s, &st, "DELETE FROM area_group_member "
				      "WHERE group_code = ?1", err) < 0)
			goto fail;
		db_bind_text(st, 1, code, -1);
		if (store_sql_step_done(s, st, "cannot remove the group",
					err) < 0 ||
		    store_sql_prepare(s, &st, "DELETE FROM area_group WHERE "
				      "code = ?1", err) < 0)
			goto fail;
		db_bind_text(st, 1, code, -1);
		if (store_sql_step_done(s, st, "cannot remove the group",
					err) < 0)
			goto fail;
	}
	if (store_commit(s, err) < 0)
		return -1;
	return found;
fail:
	store_rollback(s);
	return -1;
}

/* Add the group gathered (its members found by code) to the areas. */
static int add_gathered(struct area_set *areas, const char *code,
			const char *name, const char *const *member_codes,
			size_t n, struct parity_error *err)
{
	int *members = xcalloc(n ? n : 1, sizeof(*members));
	size_t k;
	int rc = 0;

	for (k = 0; k < n && rc == 0; k++) {
		members[k] = area_find(areas, member_codes[k]);
		if (members[k] < 0)
			rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL,
					      0, 0, "the group '%s' has a "
					      "member '%s' that is not an "
					      "area", name, member_codes[k]);
	}
	if (rc == 0)
		rc = area_set_add_group(areas, code, name, members, n, err);
	free(members);
	return rc;
}

int store_area_groups_load(struct store *s, struct area_set *areas,
			   struct parity_error *err)
{
	struct db_stmt *st;
	char **members = NULL;
	char code[AREA_GROUP_CODE_MAX + 1] = "", name[AREA_GROUP_NAME_MAX + 1] = "";
	size_t n = 0, cap = 0, k;
	int rc = DB_DONE, status = 0;

	if (store_schema_version(s) < AREA_GROUPS_VERSION)
		return 0;
	if (store_sql_prepare(s, &st, "SELECT g.code, g.name, m.area_code "
			      "FROM area_group g JOIN area_group_member m "
			      "ON m.group_code = g.code ORDER BY g.code, "
			      "m.area_code", err) < 0)
		return -1;
	while (status == 0 && (rc = db_step(st)) == DB_ROW) {
		const char *c = db_column_text(st, 0);
		const char *nm = db_column_text(st, 1);
		const char *m = db_column_text(st, 2);

		if (!c || !nm || !m)
			continue;
		if (strcmp(c, code) != 0) {
			if (code[0])
				status = add_gathered(
					areas, code, name,
					(const char *const *)members, n, err);
			for (k = 0; k < n; k++)
				free(members[k]);
			n = 0;
			snprintf(code, sizeof(code), "%s", c);
			snprintf(name, sizeof(name), "%s", nm);
		}
		members = xgrow(members, &cap, n + 1, sizeof(*members));
		members[n++] = xstrdup(m);
	}
	if (status == 0 && rc != DB_DONE)
		status = store_sql_fail(s, err, "cannot read the groups");
	db_finalize(st);
	if (status == 0 && code[0])
		status = add_gathered(areas, code, name,
				      (const char *const *)members, n, err);
	for (k = 0; k < n; k++)
		free(members[k]);
	free(members);
	return status;
}
