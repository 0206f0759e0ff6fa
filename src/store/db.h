/*
 * db.h - the store's connection to its database, whichever database it is:
 * SQLite (db_sqlite.c), the embedded default, or PostgreSQL
 * (db_postgres.c), for a hub shared by several processes.
 *
 * The store's files (src/store/) write their SQL once, in the portable
 * dialect both accept, and run it through this interface: prepare a
 * statement, bind its parameters, step through its rows, read their
 * columns. What differs between the databases lives behind it, in one file
 * per backend: how a statement is sent, how its parameters are written in
 * the dialect (`?` and `?N` here; `$N` to PostgreSQL), how an error is
 * read. Opening, settings, migrations and backups are the backends' own
 * (sqlite.c for SQLite).
 *
 * The portable dialect: parameters as `?` (in order) or `?N` (numbered
 * from 1, not mixed with `?` in one statement); `INSERT ... ON CONFLICT
 * ... DO NOTHING / DO UPDATE`, never `INSERT OR IGNORE` or `OR REPLACE`;
 * `ORDER BY rowid` for the order rows were inserted in (SQLite's implicit
 * column); a parameter whose type nothing else in the statement says (one
 * only tested with IS NULL) cast, `CAST(?1 AS TEXT) IS NULL`; integers are
 * 64-bit; blobs are bytes. Schemas, triggers and
 * full-text search are each backend's own.
 *
 * Ownership. A connection is made and freed by its backend (db_sqlite.h).
 * A statement from db_prepare() is freed with db_finalize(); it belongs to
 * its connection and is used by one thread at a time. Text and blobs bound
 * are copied: the caller's buffer may go as soon as the bind returns.
 * Text and blobs read from a row are the statement's, valid until the next
 * db_step(), db_reset() or db_finalize() on it.
 */
#ifndef PARITY_STORE_DB_H
#define PARITY_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* What db_step() found. */
enum db_step_result {
	DB_FAILED = -1, /* see db_error_message() and db_failure() */
	DB_ROW = 1,     /* a row is ready to read */
	DB_DONE = 2     /* the statement has run to its end */
};

/* Why the last call on a connection failed, in the store's terms. */
enum db_failure_kind {
	DB_FAILURE_OTHER,
	DB_FAILURE_BUSY,       /* another writer held the database too long */
	DB_FAILURE_FULL,       /* no room to write */
	DB_FAILURE_READ_ONLY,  /* the database cannot be written */
	DB_FAILURE_CONSTRAINT, /* a unique, foreign-key or check constraint */
	DB_FAILURE_CORRUPT     /* the database is damaged */
};

/* Prepare `sql` (one statement) as a new statement in *out; 0, or -1 with
 * *out NULL and the reason in db_error_message(). `reused`: the statement
 * will be run many times (a hint). */
int db_prepare(struct db *db, const char *sql, bool reused,
	       struct db_stmt **out);
/* Run `sql`, one or more statements separated by semicolons, that return
 * no rows and take no parameters; 0 or -1. */
int db_exec(struct db *db, const char *sql);

/* Bind parameter `index` (from 1) of `st`; 0, or -1 for an index the
 * statement does not have. `len` -1: up to the terminating NUL. */
int db_bind_int64(struct db_stmt *st, int index, int64_t value);
int db_bind_int(struct db_stmt *st, int index, int value);
int db_bind_double(struct db_stmt *st, int index, double value);
int db_bind_text(struct db_stmt *st, int index, const char *text, int len);
int db_bind_blob(struct db_stmt *st, int index, const void *data,
		 size_t size);
int db_bind_null(struct db_stmt *st, int index);
/* `text`, or NULL when `text` is NULL or empty. */
int db_bind_text_or_null(struct db_stmt *st, int index, const char *text);

/* Run `st` to its next row (DB_ROW), its end (DB_DONE), or a failure. */
int db_step(struct db_stmt *st);
/* Ready `st` to run again from the start; its bindings are kept. */
void db_reset(struct db_stmt *st);
/* Free `st`. NULL is a no-op. */
void db_finalize(struct db_stmt *st);

/* Columns of the current row, from 0. A NULL reads as 0, 0.0, or a NULL
 * pointer (text and blob). */
int64_t db_column_int64(struct db_stmt *st, int col);
int db_column_int(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
const char *db_column_text(struct db_stmt *st, int col);
const void *db_column_blob(struct db_stmt *st, int col);
size_t db_column_bytes(struct db_stmt *st, int col);
bool db_column_is_null(struct db_stmt *st, int col);
/* Column `col`'s text into `out` (of `size` bytes, cut short to fit); ""
 * for NULL. */
void db_column_copy(struct db_stmt *st, int col, char *out, size_t size);

/* Close the connection, finalising nothing: every statement must have been
 * finalised. NULL is a no-op. */
void db_close(struct db *db);

/* The id given to the row the connection last inserted into a table with
 * an integer key made by the database. */
int64_t db_last_insert_id(struct db *db);
/* Whether a transaction is open on the connection: begun and not yet
 * committed or rolled back (a failure may have ended it, on SQLite). */
bool db_in_transaction(struct db *db);
/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
int64_t db_changes(struct db *db);
/* The last failure on the connection: the database's own message, and
 * what kind of failure it was. */
const char *db_error_message(struct db *db);
enum db_failure_kind db_failure(struct db *db);

/*
 * Many rows into one table, the fastest way the database has, inside the
 * caller's transaction: PostgreSQL's COPY ... FROM STDIN (FORMAT binary);
 * elsewhere one prepared INSERT run a row. Begin with the table and its
 * columns (names, separated by commas); give each row's values in that
 * order (db_bulk_int64() and the others), then db_bulk_row(); end with
 * db_bulk_end(), which sends what is left and says whether every row was
 * stored. A failure (a constraint, say) may be said only by the end, and
 * then the transaction is to be rolled back. Nothing else may run on the
 * connection between the begin and the end (a COPY holds it).
 * Ownership: db_bulk_end() frees the load, whatever it returns.
 */
struct db_bulk;

/* 0 and *out set, or -1 (db_error_message()) with *out NULL. */
int db_bulk_begin(struct db *db, const char *table, const char *columns,
		  struct db_bulk **out);
/* The row's next value; 0, or -1 for one more than the columns, or one
 * the column's type cannot take. Text and blobs are copied. */
int db_bulk_int64(struct db_bulk *b, int64_t value);
int db_bulk_double(struct db_bulk *b, double value);
int db_bulk_text(struct db_bulk *b, const char *text, int len);
int db_bulk_blob(struct db_bulk *b, const void *data, size_t size);
int db_bulk_null(struct db_bulk *b);
/* The row is whole (a value for each column): 0 or -1. */
int db_bulk_row(struct db_bulk *b);
/* 0 when every row is stored, or -1 (db_error_message(), db_failure()).
 * NULL is a no-op returning 0. */
int db_bulk_end(struct db_bulk *b);

#endif
