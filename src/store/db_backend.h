/*
 * db_backend.h - what a database backend gives db.h (db.c dispatches to
 * it): its connection and statement types begin with `struct db` and
 * `struct db_stmt`, which point at the backend's operations. Not for use
 * outside src/store/.
 */
#ifndef PARITY_STORE_DB_BACKEND_H
#define PARITY_STORE_DB_BACKEND_H

#include "store/db.h"

struct db_value;

struct db_ops {
	int (*prepare)(struct db *db, const char *sql, bool reused,
		       struct db_stmt **out);
	int (*exec)(struct db *db, const char *sql);
	int (*bind_int64)(struct db_stmt *st, int index, int64_t value);
	int (*bind_double)(struct db_stmt *st, int index, double value);
	int (*bind_text)(struct db_stmt *st, int index, const char *text,
			 int len);
	int (*bind_blob)(struct db_stmt *st, int index, const void *data,
			 size_t size);
	int (*bind_null)(struct db_stmt *st, int index);
	int (*step)(struct db_stmt *st);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	int64_t (*column_int64)(struct db_stmt *st, int col);
	double (*column_double)(struct db_stmt *st, int col);
	const char *(*column_text)(struct db_stmt *st, int col);
	const void *(*column_blob)(struct db_stmt *st, int col);
	size_t (*column_bytes)(struct db_stmt *st, int col);
	bool (*column_is_null)(struct db_stmt *st, int col);
	void (*close)(struct db *db);
	int64_t (*last_insert_id)(struct db *db);
	bool (*in_transaction)(struct db *db);
	int64_t (*changes)(struct db *db);
	const char *(*error_message)(struct db *db);
	enum db_failure_kind (*failure)(struct db *db);
	/* Bulk loading of its own (NULL: db.c's, an INSERT a row). */
	int (*bulk_begin)(struct db *db, const char *table,
			  const char *columns, struct db_bulk **out);
	int (*bulk_value)(struct db_bulk *b, const struct db_value *v);
	int (*bulk_row)(struct db_bulk *b);
	int (*bulk_end)(struct db_bulk *b);
};

/* A value for a bulk load. */
struct db_value {
	enum { DB_VALUE_INT64, DB_VALUE_DOUBLE, DB_VALUE_TEXT, DB_VALUE_BLOB,
	       DB_VALUE_NULL } kind;
	int64_t int64;
	double real;
	const void *bytes; /* text (not NUL-terminated) or blob */
	size_t size;
};

/* The first member of each backend's connection. */
struct db {
	const struct db_ops *ops;
};

/* The first member of each backend's statement. */
struct db_stmt {
	struct db *db;
};

/* The first member of each bulk load. */
struct db_bulk {
	struct db *db;
};

#endif
