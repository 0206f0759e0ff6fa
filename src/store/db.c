/*
 * db.c - db.h's functions, each handed to the backend of its connection
 * (db_backend.h); and the bulk load of a backend without its own, an
 * INSERT a row, which owns its statement.
 */
#include "store/db_backend.h"

#include "base/alloc.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- bulk loads: the backend's own, or an INSERT a row ---- */

struct insert_bulk {
	struct db_bulk base;
	struct db_stmt *insert;
	int columns;
	int next; /* the next value's parameter, from 1 */
};

static int insert_begin(struct db *db, const char *table,
			const char *columns, struct db_bulk **out)
{
	struct insert_bulk *b;
	struct strbuf sql = STRBUF_INIT;
	const char *c;
	int n = 1, k;

	for (c = columns; *c; c++)
		n += *c == ',';
	strbuf_addf(&sql, "INSERT INTO %s (%s) VALUES (", table, columns);
	for (k = 1; k <= n; k++)
		strbuf_addf(&sql, "%s?%d", k > 1 ? ", " : "", k);
	strbuf_add(&sql, ")", 1);
	b = xcalloc(1, sizeof(*b));
	b->base.db = db;
	b->columns = n;
	b->next = 1;
	if (db_prepare(db, sql.buf, true, &b->insert) < 0) {
		strbuf_release(&sql);
		free(b);
		*out = NULL;
		return -1;
	}
	strbuf_release(&sql);
	*out = &b->base;
	return 0;
}

static int insert_value(struct db_bulk *bulk, const struct db_value *v)
{
	struct insert_bulk *b = (struct insert_bulk *)bulk;
	int k = b->next;

	if (k > b->columns)
		return -1;
	b->next++;
	switch (v->kind) {
	case DB_VALUE_INT64: return db_bind_int64(b->insert, k, v->int64);
	case DB_VALUE_DOUBLE: return db_bind_double(b->insert, k, v->real);
	case DB_VALUE_TEXT:
		return db_bind_text(b->insert, k, v->bytes, (int)v->size);
	case DB_VALUE_BLOB:
		return db_bind_blob(b->insert, k, v->bytes, v->size);
	default: return db_bind_null(b->insert, k);
	}
}

static int insert_row(struct db_bulk *bulk)
{
	struct insert_bulk *b = (struct insert_bulk *)bulk;
	int rc;

	if (b->next != b->columns + 1)
		return -1;
	b->next = 1;
	rc = db_step(b->insert);
	db_reset(b->insert);
	return rc == DB_DONE ? 0 : -1;
}

static int insert_end(struct db_bulk *bulk)
{
	struct insert_bulk *b = (struct insert_bulk *)bulk;

	db_finalize(b->insert);
	free(b);
	return 0;
}

int db_bulk_begin(struct db *db, const char *table, const char *columns,
		  struct db_bulk **out)
{
	if (db->ops->bulk_begin)
		return db->ops->bulk_begin(db, table, columns, out);
	return insert_begin(db, table, columns, out);
}

static int bulk_value(struct db_bulk *b, const struct db_value *v)
{
	if (b->db->ops->bulk_value)
		return b->db->ops->bulk_value(b, v);
	return insert_value(b, v);
}

int db_bulk_int64(struct db_bulk *b, int64_t value)
{
	struct db_value v = { .kind = DB_VALUE_INT64, .int64 = value };

	return bulk_value(b, &v);
}

int db_bulk_double(struct db_bulk *b, double value)
{
	struct db_value v = { .kind = DB_VALUE_DOUBLE, .real = value };

	return bulk_value(b, &v);
}

int db_bulk_text(struct db_bulk *b, const char *text, int len)
{
	struct db_value v = { .kind = DB_VALUE_TEXT, .bytes = text };

	v.size = len < 0 ? strlen(text) : (size_t)len;
	return bulk_value(b, &v);
}

int db_bulk_blob(struct db_bulk *b, const void *data, size_t size)
{
	struct db_value v = { .kind = DB_VALUE_BLOB, .bytes = data,
			      .size = size };

	return bulk_value(b, &v);
}

int db_bulk_null(struct db_bulk *b)
{
	struct db_value v = { .kind = DB_VALUE_NULL };

	return bulk_value(b, &v);
}

int db_bulk_row(struct db_bulk *b)
{
	if (b->db->ops->bulk_row)
		return b->db->ops->bulk_row(b);
	return insert_row(b);
}

int db_bulk_end(struct db_bulk *b)
{
	if (!b)
		return 0;
	if (b->db->ops->bulk_end)
		return b->db->ops->bulk_end(b);
	return insert_end(b);
}
