/*
 * aliases.c - the alias register in the SQLite store (see store.h, "the
 * alias register", and migration 0006).
 *
 * A version is a row of alias_version; an alias is a row of alias, with
 * the version that added it and, once removed, the version that removed
 * it. Nothing here checks that an alias makes sense: that is the
 * classifier's work, done by the caller in the same transaction
 * (ingest/alias_register.c).
 */
#include "store/store.h"

#include "base/alloc.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_alias_version(struct store *s, int *version,
			struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	*version = 0;
	if (store_sql_prepare(s, &st, "SELECT coalesce(max(version), 0) "
			      "FROM alias_version", err) < 0)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		*version = db_column_int(st, 0);
	db_finalize(st);
	if (rc != DB_ROW)
		return store_sql_fail(s, err,
				      "cannot read the alias register");
	return 0;
}

int store_alias_version_add(struct store *s, const char *action,
			    const char *changed_at, const char *changed_by,
			    const char *source_name, int *version,
			    struct parity_error *err)
{
	struct db_stmt *st;
	int current;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_alias_version(s, &current, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO alias_version (version, "
			      "action, changed_at, changed_by, source_name) "
			      "VALUES (?1, ?2, ?3, ?4, ?5)", err) < 0)
		return -1;
	db_bind_int(st, 1, current + 1);
	db_bind_text(st, 2, action, -1);
	db_bind_text(st, 3, changed_at, -1);
	db_bind_text(st, 4, changed_by, -1);
	db_bind_text_or_null(st, 5, source_name);
	if (store_sql_step_done(s, st, "cannot add a version of the alias "
				"register", err) < 0)
		return -1;
	*version = current + 1;
	return 0;
}

int store_alias_add(struct store *s, int version, const struct store_alias *a,
		    struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO alias (label, label_key, "
			      "category, note, added_in, line) VALUES (?1, ?2, "
			      "?3, ?4, ?5, ?6)", err) < 0)
		return -1;
	db_bind_text(st, 1, a->label, -1);
	db_bind_text(st, 2, a->key, -1);
	db_bind_text(st, 3, a->category, -1);
	db_bind_text_or_null(st, 4, a->note);
	db_bind_int(st, 5, version);
	if (a->line > 0)
		db_bind_int64(st, 6, a->line);
	else
		db_bind_null(st, 6);
	return store_sql_step_done(s, st, "cannot add an alias", err);
}

/* The columns read_alias() reads, from `alias a` joined with the
 * versions that added (v) and removed (r) it. */
#define ALIAS_COLUMNS \
	"a.label, a.label_key, a.category, coalesce(a.note, ''), " \
	"a.added_in, v.changed_at, v.changed_by, coalesce(a.removed_in, 0), " \
	"coalesce(r.changed_at, ''), coalesce(r.changed_by, ''), " \
	"coalesce(v.source_name, ''), coalesce(a.line, 0) " \
	"FROM alias a JOIN alias_version v ON v.version = a.added_in " \
	"LEFT JOIN alias_version r ON r.version = a.removed_in "

static void read_alias(struct db_stmt *st, struct store_alias *a)
{
	memset(a, 0, sizeof(*a));
	db_column_copy(st, 0, a->label, sizeof(a->label));
	db_column_copy(st, 1, a->key, sizeof(a->key));
	db_column_copy(st, 2, a->category, sizeof(a->category));
	db_column_copy(st, 3, a->note, sizeof(a->note));
	a->added_in = db_column_int(st, 4);
	db_column_copy(st, 5, a->added_at, sizeof(a->added_at));
	db_column_copy(st, 6, a->added_by, sizeof(a->added_by));
	a->removed_in = db_column_int(st, 7);
	db_column_copy(st, 8, a->removed_at, sizeof(a->removed_at));
	db_column_copy(st, 9, a->removed_by, sizeof(a->removed_by));
	db_column_copy(st, 10, a->source_name, sizeof(a->source_name));
	a->line = (long)db_column_int64(st, 11);
}

int store_alias_remove(struct store *s, int version, const char *key,
		       struct store_alias *removed, struct parity_error *err)
{
	struct store_alias found;
	struct db_stmt *st;
	int rc;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "SELECT " ALIAS_COLUMNS
			      "WHERE a.label_key = ?1 AND a.removed_in IS NULL",
			      err) < 0)
		return -1;
	db_bind_text(st, 1, key, -1);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_alias(st, &found);
	db_finalize(st);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return store_sql_fail(s, err, "cannot read the alias register");
	/* the one change an alias's row ever has: the version that ended it,
	 * as a superseded submission is marked */
	if (store_sql_prepare(s, &st, "UPDATE alias SET removed_in = ?1 "
			      "WHERE label_key = ?2 AND removed_in IS NULL",
			      err) < 0)
		return -1;
	db_bind_int(st, 1, version);
	db_bind_text(st, 2, key, -1);
	if (store_sql_step_done(s, st, "cannot remove the alias", err) < 0)
		return -1;
	if (removed)
		*removed = found;
	return 1;
}

int store_aliases_list(struct store *s, bool with_removed,
		       struct store_alias **out, size_t *count,
		       struct parity_error *err)
{
	struct store_alias *list = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	if (store_sql_prepare(s, &st, with_removed
			      ? "SELECT " ALIAS_COLUMNS
				"ORDER BY a.added_in, a.id"
			      : "SELECT " ALIAS_COLUMNS
				"WHERE a.removed_in IS NULL "
				"ORDER BY a.label_key, a.id", err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		list = xgrow(list, &cap, n + 1, sizeof(*list));
		read_alias(st, &list[n++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		return store_sql_fail(s, err, "cannot read the alias register");
	}
	*out = list;
	*count = n;
	return 0;
}

int store_alias_versions(struct store *s, struct store_alias_version **out,
			 size_t *count, struct parity_error *err)
{
	struct store_alias_version *list = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	if (store_sql_prepare(s, &st, "SELECT v.version, v.action, "
			      "v.changed_at, v.changed_by, "
			      "coalesce(v.source_name, ''), "
			      "(SELECT count(*) FROM alias a "
			      "WHERE a.added_in = v.version), "
			      "(SELECT count(*) FROM alias a "
			      "WHERE a.removed_in = v.version) "
			      "FROM alias_version v ORDER BY v.version",
			      err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_alias_version *v;

		list = xgrow(list, &cap, n + 1, sizeof(*list));
		v = &list[n++];
		memset(v, 0, sizeof(*v));
		v->version = db_column_int(st, 0);
		db_column_copy(st, 1, v->action, sizeof(v->action));
		db_column_copy(st, 2, v->changed_at, sizeof(v->changed_at));
		db_column_copy(st, 3, v->changed_by, sizeof(v->changed_by));
		db_column_copy(st, 4, v->source_name, sizeof(v->source_name));
		v->added = (long)db_column_int64(st, 5);
		v->removed = (long)db_column_int64(st, 6);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		return store_sql_fail(s, err, "cannot read the alias register");
	}
	*out = list;
	*count = n;
	return 0;
}

int store_alias_check_add(struct store *s, int64_t submission, int version,
			  const char *checked_at, const char *checked_by,
			  struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO alias_check "
			      "(submission_id, alias_version, checked_at, "
			      "checked_by) VALUES (?1, ?2, ?3, ?4) "
			      "ON CONFLICT DO NOTHING", err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	db_bind_int(st, 2, version);
	db_bind_text(st, 3, checked_at, -1);
	db_bind_text(st, 4, checked_by, -1);
	return store_sql_step_done(s, st, "cannot record the check", err);
}
