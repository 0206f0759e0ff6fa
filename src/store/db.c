/*
 * db.c - db.h's functions, each handed to the backend of its connection
 * (db_backend.h). Owns nothing.
 */
#include "store/db_backend.h"

#include <stdio.h>

int db_prepare(struct db *db, const char *sql, bool reused,
	       struct db_stmt **out)
{
	return db->ops->prepare(db, sql, reused, out);
}

int db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

int db_bind_int64(struct db_stmt *st, int index, int64_t value)
{
	return st->db->ops->bind_int64(st, index, value);
}

int db_bind_int(struct db_stmt *st, int index, int value)
{
	return st->db->ops->bind_int64(st, index, value);
}

int db_bind_double(struct db_stmt *st, int index, double value)
{
	return st->db->ops->bind_double(st, index, value);
}

int db_bind_text(struct db_stmt *st, int index, const char *text, int len)
{
	return st->db->ops->bind_text(st, index, text, len);
}

int db_bind_blob(struct db_stmt *st, int index, const void *data,
		 size_t size)
{
	return st->db->ops->bind_blob(st, index, data, size);
}

int db_bind_null(struct db_stmt *st, int index)
{
	return st->db->ops->bind_null(st, index);
}

int db_bind_text_or_null(struct db_stmt *st, int index, const char *text)
{
	if (text && text[0])
		return db_bind_text(st, index, text, -1);
	return db_bind_null(st, index);
}

int db_step(struct db_stmt *st)
{
	return st->db->ops->step(st);
}

void db_reset(struct db_stmt *st)
{
	st->db->ops->reset(st);
}

void db_finalize(struct db_stmt *st)
{
	if (st)
		st->db->ops->finalize(st);
}

int64_t db_column_int64(struct db_stmt *st, int col)
{
	return st->db->ops->column_int64(st, col);
}

int db_column_int(struct db_stmt *st, int col)
{
	return (int)st->db->ops->column_int64(st, col);
}

double db_column_double(struct db_stmt *st, int col)
{
	return st->db->ops->column_double(st, col);
}

const char *db_column_text(struct db_stmt *st, int col)
{
	return st->db->ops->column_text(st, col);
}

const void *db_column_blob(struct db_stmt *st, int col)
{
	return st->db->ops->column_blob(st, col);
}

size_t db_column_bytes(struct db_stmt *st, int col)
{
	return st->db->ops->column_bytes(st, col);
}

bool db_column_is_null(struct db_stmt *st, int col)
{
	return st->db->ops->column_is_null(st, col);
}

void db_column_copy(struct db_stmt *st, int col, char *out, size_t size)
{
	const char *text = db_column_text(st, col);

	snprintf(out, size, "%s", text ? text : "");
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

int64_t db_last_insert_id(struct db *db)
{
	return db->ops->last_insert_id(db);
}

bool db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

int64_t db_changes(struct db *db)
{
	return db->ops->changes(db);
}

const char *db_error_message(struct db *db)
{
	return db->ops->error_message(db);
}

enum db_failure_kind db_failure(struct db *db)
{
	return db->ops->failure(db);
}
