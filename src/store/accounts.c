/*
 * accounts.c - the hub's accounts, credentials, failed sign-ins and audit
 * log in the SQLite store (see accounts.h and migration 0007).
 *
 * Plain rows in, plain rows out: every rule about what a change means is
 * the hub's (src/hub/accounts.c), made in the same transaction. Secrets
 * never reach this file, only their hashes. The audit table takes
 * INSERTs only: the schema's triggers refuse anything else, so nothing
 * here tries.
 */
#include "store/accounts.h"

#include "base/alloc.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A time or an id where 0 means none: NULL. */
static void bind_int_or_null(struct db_stmt *st, int col, int64_t v)
{
	if (v)
		db_bind_int64(st, col, v);
	else
		db_bind_null(st, col);
}

/* ---- accounts ---- */

#define ACCOUNT_COLUMNS \
	"a.id, a.email, a.role, coalesce(a.area_code, ''), a.state, " \
	"coalesce(a.password_hash, ''), a.created_at, a.created_by, " \
	"a.failed_signins, coalesce(a.locked_until, 0), " \
	"coalesce((SELECT max(c.created_at) FROM credential c " \
	"WHERE c.account_id = a.id AND c.kind = 'session'), 0) " \
	"FROM account a "

static void read_account(struct db_stmt *st, struct store_account *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_column_int64(st, 0);
	db_column_copy(st, 1, a->email, sizeof(a->email));
	db_column_copy(st, 2, a->role, sizeof(a->role));
	db_column_copy(st, 3, a->area_code, sizeof(a->area_code));
	db_column_copy(st, 4, a->state, sizeof(a->state));
	db_column_copy(st, 5, a->password_hash, sizeof(a->password_hash));
	a->created_at = (long)db_column_int64(st, 6);
	db_column_copy(st, 7, a->created_by, sizeof(a->created_by));
	a->failed_signins = db_column_int(st, 8);
	a->locked_until = (long)db_column_int64(st, 9);
	a->last_signin = (long)db_column_int64(st, 10);
}

int store_account_add(struct store *s, struct store_account *a,
		      struct parity_error *err)
{
	struct store_account found;
	struct db_stmt *st;
	int rc;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	rc = store_account_find(s, a->email, &found, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"an account for '%s' already exists",
					found.email);
	if (store_sql_prepare(s, &st, "INSERT INTO account (email, role, "
			      "area_code, state, password_hash, created_at, "
			      "created_by, failed_signins, locked_until) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, NULL)",
			      err) < 0)
		return -1;
	db_bind_text(st, 1, a->email, -1);
	db_bind_text(st, 2, a->role, -1);
	db_bind_text_or_null(st, 3, a->area_code);
	db_bind_text(st, 4, a->state, -1);
	db_bind_text_or_null(st, 5, a->password_hash);
	db_bind_int64(st, 6, a->created_at);
	db_bind_text(st, 7, a->created_by, -1);
	if (store_sql_step_done(s, st, "cannot add the account", err) < 0)
		return -1;
	a->id = db_last_insert_id(store_db(s));
	a->failed_signins = 0;
	a->locked_until = 0;
	a->last_signin = 0;
	return 0;
}

/* Run a query for one account: ?1 in `where` is `text`, or `id` when
 * `text` is NULL. */
static int account_one(struct store *s, const char *where, const char *text,
		       int64_t id, struct store_account *out,
		       struct parity_error *err)
{
	char sql[1024];
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT " ACCOUNT_COLUMNS "WHERE %s",
		 where);
	if (store_sql_prepare(s, &st, sql, err) < 0)
		return -1;
	if (text)
		db_bind_text(st, 1, text, -1);
	else
		db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_account(st, out);
	db_finalize(st);
	if (rc == DB_ROW)
		return 1;
	if (rc == DB_DONE)
		return 0;
	return store_sql_fail(s, err, "cannot read the accounts");
}

int store_account_find(struct store *s, const char *email,
		       struct store_account *out, struct parity_error *err)
{
	return account_one(s, "lower(a.email) = lower(?1)", email, 0, out,
			   err);
}

int store_account_get(struct store *s, int64_t id, struct store_account *out,
		      struct parity_error *err)
{
	return account_one(s, "a.id = ?1", NULL, id, out, err);
}

int store_account_update(struct store *s, const struct store_account *a,
			 struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "UPDATE account SET state = ?2, "
			      "password_hash = ?3, failed_signins = ?4, "
			      "locked_until = ?5 WHERE id = ?1", err) < 0)
		return -1;
	db_bind_int64(st, 1, a->id);
	db_bind_text(st, 2, a->state, -1);
	db_bind_text_or_null(st, 3, a->password_hash);
	db_bind_int(st, 4, a->failed_signins);
	bind_int_or_null(st, 5, a->locked_until);
	return store_sql_step_done(s, st, "cannot change the account", err);
}

int store_accounts_list(struct store *s, struct store_account **out,
			size_t *count, struct parity_error *err)
{
	struct store_account *list = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	if (store_sql_prepare(s, &st, "SELECT " ACCOUNT_COLUMNS
			      "ORDER BY lower(a.email)", err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		list = xgrow(list, &cap, n + 1, sizeof(*list));
		read_account(st, &list[n++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		return store_sql_fail(s, err, "cannot read the accounts");
	}
	*out = list;
	*count = n;
	return 0;
}

/* ---- credentials ---- */

#define CREDENTIAL_COLUMNS \
	"c.id, c.kind, c.account_id, c.secret_hash, coalesce(c.name, ''), " \
	"c.created_at, c.created_by, coalesce(c.expires_at, 0), " \
	"coalesce(c.last_used_at, 0), coalesce(c.revoked_at, 0), a.email " \
	"FROM credential c JOIN account a ON a.id = c.account_id "

static void read_credential(struct db_stmt *st, struct store_credential *c)
{
	const void *hash = db_column_blob(st, 3);
	int n = db_column_bytes(st, 3);

	memset(c, 0, sizeof(*c));
	c->id = db_column_int64(st, 0);
	db_column_copy(st, 1, c->kind, sizeof(c->kind));
	c->account_id = db_column_int64(st, 2);
	if (hash && n == STORE_SECRET_HASH_BYTES)
		memcpy(c->secret_hash, hash, STORE_SECRET_HASH_BYTES);
	db_column_copy(st, 4, c->name, sizeof(c->name));
	c->created_at = (long)db_column_int64(st, 5);
	db_column_copy(st, 6, c->created_by, sizeof(c->created_by));
	c->expires_at = (long)db_column_int64(st, 7);
	c->last_used_at = (long)db_column_int64(st, 8);
	c->revoked_at = (long)db_column_int64(st, 9);
	db_column_copy(st, 10, c->email, sizeof(c->email));
}

int store_credential_add(struct store *s, struct store_credential *c,
			 struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO credential (kind, "
			      "account_id, secret_hash, name, created_at, "
			      "created_by, expires_at, last_used_at, "
			      "revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			      "?8, ?9)", err) < 0)
		return -1;
	db_bind_text(st, 1, c->kind, -1);
	db_bind_int64(st, 2, c->account_id);
	db_bind_blob(st, 3, c->secret_hash, STORE_SECRET_HASH_BYTES);
	db_bind_text_or_null(st, 4, c->name);
	db_bind_int64(st, 5, c->created_at);
	db_bind_text(st, 6, c->created_by, -1);
	bind_int_or_null(st, 7, c->expires_at);
	bind_int_or_null(st, 8, c->last_used_at);
	bind_int_or_null(st, 9, c->revoked_at);
	if (store_sql_step_done(s, st, "cannot add the credential", err) < 0)
		return -1;
	c->id = db_last_insert_id(store_db(s));
	return 0;
}

static int credential_one(struct store *s, struct db_stmt *st,
			  struct store_credential *out,
			  struct parity_error *err)
{
	int rc = db_step(st);

	if (rc == DB_ROW)
		read_credential(st, out);
	db_finalize(st);
	if (rc == DB_ROW)
		return 1;
	if (rc == DB_DONE)
		return 0;
	return store_sql_fail(s, err, "cannot read the credentials");
}

int store_credential_find(struct store *s, const char *kind,
			  const unsigned char hash[STORE_SECRET_HASH_BYTES],
			  struct store_credential *out,
			  struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_prepare(s, &st, "SELECT " CREDENTIAL_COLUMNS
			      "WHERE c.secret_hash = ?1 AND c.kind = ?2",
			      err) < 0)
		return -1;
	db_bind_blob(st, 1, hash, STORE_SECRET_HASH_BYTES);
	db_bind_text(st, 2, kind, -1);
	return credential_one(s, st, out, err);
}

int store_credential_get(struct store *s, int64_t id,
			 struct store_credential *out,
			 struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_prepare(s, &st, "SELECT " CREDENTIAL_COLUMNS
			      "WHERE c.id = ?1", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	return credential_one(s, st, out, err);
}

int store_credential_touch(struct store *s, int64_t id, long at,
			   struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "UPDATE credential SET last_used_at = "
			      "?2 WHERE id = ?1", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	return store_sql_step_done(s, st, "cannot record the credential's use",
				   err);
}

int store_credential_revoke(struct store *s, int64_t id, long at,
			    struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "UPDATE credential SET revoked_at = ?2 "
			      "WHERE id = ?1 AND revoked_at IS NULL", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	return store_sql_step_done(s, st, "cannot end the credential", err);
}

int store_credentials_revoke_all(struct store *s, int64_t account_id,
				 const char *kind, long at, long *count,
				 struct parity_error *err)
{
	struct db_stmt *st;

	if (count)
		*count = 0;
	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st,
			      "UPDATE credential SET revoked_at = ?2 "
			      "WHERE account_id = ?1 AND revoked_at IS NULL "
			      "AND (expires_at IS NULL OR expires_at > ?2) "
			      "AND (CAST(?3 AS TEXT) IS NULL OR kind = ?3)",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, at);
	db_bind_text_or_null(st, 3, kind);
	if (store_sql_step_done(s, st, "cannot end the credentials", err) < 0)
		return -1;
	if (count)
		*count = (long)db_changes(store_db(s));
	return 0;
}

int store_credentials_list(struct store *s, const char *kind,
			   struct store_credential **out, size_t *count,
			   struct parity_error *err)
{
	struct store_credential *list = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	if (store_sql_prepare(s, &st, "SELECT " CREDENTIAL_COLUMNS
			      "WHERE c.kind = ?1 ORDER BY c.id", err) < 0)
		return -1;
	db_bind_text(st, 1, kind, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		list = xgrow(list, &cap, n + 1, sizeof(*list));
		read_credential(st, &list[n++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		return store_sql_fail(s, err, "cannot read the credentials");
	}
	*out = list;
	*count = n;
	return 0;
}

/* ---- failed sign-ins ---- */

int store_signin_failure_add(struct store *s, const char *ip, long at,
			     long forget_before, struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "DELETE FROM signin_failure "
			      "WHERE at < ?1", err) < 0)
		return -1;
	db_bind_int64(st, 1, forget_before);
	if (store_sql_step_done(s, st, "cannot forget old failed sign-ins",
				err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO signin_failure (ip, at) "
			      "VALUES (?1, ?2)", err) < 0)
		return -1;
	db_bind_text(st, 1, ip, -1);
	db_bind_int64(st, 2, at);
	return store_sql_step_done(s, st, "cannot count the failed sign-in",
				   err);
}

int store_signin_failures(struct store *s, const char *ip, long since,
			  long *count, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	*count = 0;
	if (store_sql_prepare(s, &st, "SELECT count(*) FROM signin_failure "
			      "WHERE ip = ?1 AND at >= ?2", err) < 0)
		return -1;
	db_bind_text(st, 1, ip, -1);
	db_bind_int64(st, 2, since);
	rc = db_step(st);
	if (rc == DB_ROW)
		*count = (long)db_column_int64(st, 0);
	db_finalize(st);
	if (rc != DB_ROW)
		return store_sql_fail(s, err, "cannot count failed sign-ins");
	return 0;
}

/* ---- the audit log ---- */

int store_audit_add(struct store *s, const struct store_audit_entry *e,
		    struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO audit (at, account_id, "
			      "actor, action, area_code, year, submission_id, "
			      "outcome, detail, target_account_id) VALUES (?1, "
			      "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err) < 0)
		return -1;
	db_bind_int64(st, 1, e->at);
	bind_int_or_null(st, 2, e->account_id);
	db_bind_text(st, 3, e->actor, -1);
	db_bind_text(st, 4, e->action, -1);
	db_bind_text_or_null(st, 5, e->area_code);
	bind_int_or_null(st, 6, e->year);
	bind_int_or_null(st, 7, e->submission_id);
	db_bind_text(st, 8, e->outcome, -1);
	db_bind_text_or_null(st, 9, e->detail);
	bind_int_or_null(st, 10, e->target_account_id);
	return store_sql_step_done(s, st, "cannot write the audit log", err);
}

static const char *column_text(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);

	return t ? (const char *)t : "";
}

int store_audit_each(struct store *s, const struct store_audit_filter *f,
		     store_audit_fn fn, void *ctx, struct parity_error *err)
{
	struct db_stmt *st;
	int rc, stop = 0;

	if (store_sql_prepare(
		    s, &st,
		    "SELECT e.id, e.at, "
		    "coalesce(e.account_id, 0), e.actor, e.action, "
		    "coalesce(e.area_code, ''), coalesce(e.year, 0), "
		    "coalesce(e.submission_id, 0), e.outcome, "
		    "coalesce(e.detail, ''), "
		    "coalesce(e.target_account_id, 0), "
		    "coalesce(a.email, ''), coalesce(t.email, '') "
		    "FROM audit e "
		    "LEFT JOIN account a ON a.id = e.account_id "
		    "LEFT JOIN account t ON t.id = e.target_account_id "
		    "WHERE e.at >= ?1 "
		    "AND (CAST(?2 AS TEXT) IS NULL OR e.area_code = ?2) "
		    "AND ((CAST(?3 AS BIGINT) IS NULL AND "
		    "CAST(?4 AS TEXT) IS NULL) "
		    "OR e.account_id = ?3 OR e.target_account_id = ?3 "
		    "OR lower(e.actor) = lower(?4)) "
		    "ORDER BY e.at, e.id",
		    err) < 0)
		return -1;
	db_bind_int64(st, 1, f ? f->since : 0);
	db_bind_text_or_null(st, 2, f ? f->area_code : NULL);
	bind_int_or_null(st, 3, f ? f->account_id : 0);
	db_bind_text_or_null(st, 4, f ? f->actor : NULL);
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_audit_entry e;

		e.id = db_column_int64(st, 0);
		e.at = (long)db_column_int64(st, 1);
		e.account_id = db_column_int64(st, 2);
		e.actor = column_text(st, 3);
		e.action = column_text(st, 4);
		e.area_code = column_text(st, 5);
		e.year = db_column_int(st, 6);
		e.submission_id = db_column_int64(st, 7);
		e.outcome = column_text(st, 8);
		e.detail = column_text(st, 9);
		e.target_account_id = db_column_int64(st, 10);
		e.account_email = column_text(st, 11);
		e.target_email = column_text(st, 12);
		stop = fn(ctx, &e);
		if (stop)
			break;
	}
	db_finalize(st);
	if (stop)
		return stop;
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read the audit log");
	return 0;
}
