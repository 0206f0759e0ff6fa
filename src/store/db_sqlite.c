/*
 * db_sqlite.c - db.h's operations on an SQLite connection: each is
 * SQLite's own call. Owns the connection it adopts and the statements it
 * prepares.
 */
#include "store/db_sqlite.h"

#include "base/alloc.h"
#include "store/db_backend.h"

#include <stdlib.h>

struct sqlite_db {
	struct db base;
	sqlite3 *handle;
};

struct sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *handle;
};

static sqlite3 *handle_of(struct db *db)
{
	return ((struct sqlite_db *)db)->handle;
}

static sqlite3_stmt *stmt_of(struct db_stmt *st)
{
	return ((struct sqlite_stmt *)st)->handle;
}

static int prepare(struct db *db, const char *sql, bool reused,
		   struct db_stmt **out)
{
	sqlite3_stmt *handle = NULL;
	struct sqlite_stmt *st;

	*out = NULL;
	if (sqlite3_prepare_v3(handle_of(db), sql, -1,
			       reused ? SQLITE_PREPARE_PERSISTENT : 0, &handle,
			       NULL) != SQLITE_OK)
		return -1;
	st = xcalloc(1, sizeof(*st));
	st->base.db = db;
	st->handle = handle;
	*out = &st->base;
	return 0;
}

static int exec(struct db *db, const char *sql)
{
	return sqlite3_exec(handle_of(db), sql, NULL, NULL, NULL) == SQLITE_OK
		       ? 0
		       : -1;
}

static int bound(int rc)
{
	return rc == SQLITE_OK ? 0 : -1;
}

static int bind_int64(struct db_stmt *st, int index, int64_t value)
{
	return bound(sqlite3_bind_int64(stmt_of(st), index, value));
}

static int bind_double(struct db_stmt *st, int index, double value)
{
	return bound(sqlite3_bind_double(stmt_of(st), index, value));
}

static int bind_text(struct db_stmt *st, int index, const char *text,
		     int len)
{
	return bound(sqlite3_bind_text(stmt_of(st), index, text, len,
				       SQLITE_TRANSIENT));
}

static int bind_blob(struct db_stmt *st, int index, const void *data,
		     size_t size)
{
	return bound(sqlite3_bind_blob64(stmt_of(st), index, data, size,
					 SQLITE_TRANSIENT));
}

static int bind_null(struct db_stmt *st, int index)
{
	return bound(sqlite3_bind_null(stmt_of(st), index));
}

static int step(struct db_stmt *st)
{
	int rc = sqlite3_step(stmt_of(st));

	return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE
							      : DB_FAILED;
}

static void reset(struct db_stmt *st)
{
	sqlite3_reset(stmt_of(st));
}

static void finalize(struct db_stmt *st)
{
	sqlite3_finalize(stmt_of(st));
	free(st);
}

static int64_t column_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st), col);
}

static double column_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(stmt_of(st), col);
}

static const char *column_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(stmt_of(st), col);
}

static const void *column_blob(struct db_stmt *st, int col)
{
	return sqlite3_column_blob(stmt_of(st), col);
}

static size_t column_bytes(struct db_stmt *st, int col)
{
	return (size_t)sqlite3_column_bytes(stmt_of(st), col);
}

static bool column_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL;
}

static void close_db(struct db *db)
{
	sqlite3_close(handle_of(db));
	free(db);
}

static int64_t last_insert_id(struct db *db)
{
	return sqlite3_last_insert_rowid(handle_of(db));
}

static bool in_transaction(struct db *db)
{
	return sqlite3_get_autocommit(handle_of(db)) == 0;
}

static int64_t changes(struct db *db)
{
	return sqlite3_changes64(handle_of(db));
}

static const char *error_message(struct db *db)
{
	return sqlite3_errmsg(handle_of(db));
}

static enum db_failure_kind failure(struct db *db)
{
	switch (sqlite3_extended_errcode(handle_of(db)) & 0xFF) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_FAILURE_BUSY;
	case SQLITE_FULL:
		return DB_FAILURE_FULL;
	case SQLITE_READONLY:
		return DB_FAILURE_READ_ONLY;
	case SQLITE_CONSTRAINT:
		return DB_FAILURE_CONSTRAINT;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return DB_FAILURE_CORRUPT;
	default:
		return DB_FAILURE_OTHER;
	}
}

static const struct db_ops sqlite_ops = {
	.prepare = prepare,
	.exec = exec,
	.bind_int64 = bind_int64,
	.bind_double = bind_double,
	.bind_text = bind_text,
	.bind_blob = bind_blob,
	.bind_null = bind_null,
	.step = step,
	.reset = reset,
	.finalize = finalize,
	.column_int64 = column_int64,
	.column_double = column_double,
	.column_text = column_text,
	.column_blob = column_blob,
	.column_bytes = column_bytes,
	.column_is_null = column_is_null,
	.close = close_db,
	.last_insert_id = last_insert_id,
	.in_transaction = in_transaction,
	.changes = changes,
	.error_message = error_message,
	.failure = failure,
};

struct db *db_sqlite_adopt(sqlite3 *handle)
{
	struct sqlite_db *db = xcalloc(1, sizeof(*db));

	db->base.ops = &sqlite_ops;
	db->handle = handle;
	return &db->base;
}

sqlite3 *db_sqlite_handle(struct db *db)
{
	return db->ops == &sqlite_ops ? handle_of(db) : NULL;
}
