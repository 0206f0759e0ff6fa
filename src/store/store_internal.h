/*
 * store_internal.h - what sqlite.c lends the other files of the store
 * (service.c, backup.c, ...): the connection (db.h), prepared statements,
 * errors in the store's own words, and its file handling. Not for use
 * outside src/store/.
 */
#ifndef PARITY_STORE_STORE_INTERNAL_H
#define PARITY_STORE_STORE_INTERNAL_H

#include "base/error.h"
#include "store/store.h"

#include "store/db.h"

/* The store's connection; owned by the store. */
struct db *store_db(struct store *s);
/* Prepare `sql` (db.h's portable dialect); the caller finalises *st. */
int store_sql_prepare(struct store *s, struct db_stmt **st, const char *sql,
		      struct parity_error *err);
/* Fill `err` from the connection's last error, prefixed by `what`; -1. */
int store_sql_fail(struct store *s, struct parity_error *err,
		   const char *what);
/* Step `st` once (a statement returning no rows) and finalise it; 0, or
 * -1 with `err` filled as store_sql_fail() does. */
int store_sql_step_done(struct store *s, struct db_stmt *st, const char *what,
			struct parity_error *err);
/* -1 with an internal error unless a write transaction is open. */
int store_sql_need_transaction(struct store *s, struct parity_error *err);

/* `path` with `suffix` after it ("s.db" and ".key": "s.db.key"); the
 * caller frees it. */
char *store_sql_path_with(const char *path, const char *suffix);
/* Flush the directory holding `path`, so that a new file's name is on disk
 * as well as its contents. */
void store_sql_sync_directory(const char *path);
/* `path` as an SQLite URI naming it read-only and immutable; the caller
 * frees it. */
char *store_sql_immutable_uri(const char *path);

#endif
