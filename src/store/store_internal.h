/*
 * store_internal.h - what the store's files share: the store handle
 * itself, its connection (db.h), prepared statements, errors in the
 * store's own words, the staff records held back to be packed (store.c),
 * and the SQLite store's file handling (sqlite.c). Not for use outside
 * src/store/.
 */
#ifndef PARITY_STORE_STORE_INTERNAL_H
#define PARITY_STORE_STORE_INTERNAL_H

#include "base/error.h"
#include "store/db.h"
#include "store/pseudonym.h"
#include "store/staff_pack.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a database gives the store beyond db.h (sqlite.c,
 * store_postgres.c): how a write transaction starts; its errors in the
 * store's words, filling `err` and returning -1 as store_sql_fail() does;
 * a query that sets the council its row-level security acts for, from
 * its one parameter, returning one row (NULL: the database has none,
 * store_act_for() does nothing); a query giving one row of one integer,
 * not 0 when the connection's role is not held to that row-level security
 * (NULL: the database has none); and full-text search of practice
 * (practice_store_match()):
 * `practice_match_sql` selects (record, rank: lower is better, snippet of
 * the body with its matches between bytes 1 and 2) for the one parameter
 * that `practice_query` makes, in `out` (`size` bytes; -1 when it does not
 * fit), of the search's portable expression (practice/search.h: quoted
 * words and phrases, a word's prefix by `*`, joined by spaces for "and"
 * and by OR). */
struct store_backend {
	const char *begin_sql;
	int (*fail)(const struct store *s, struct parity_error *err,
		    const char *what);
	const char *practice_match_sql;
	int (*practice_query)(const char *expression, char *out, size_t size);
	const char *act_for_sql;
	const char *unheld_sql;
};

struct store {
	const struct store_backend *backend;
	struct db *db;          /* the connection, the backend's kind */
	char *path;
	char *key_path;
	struct pseudonym_key key;
	bool read_only;         /* opened by store_open_readonly() */
	bool in_transaction;
	int schema_version;
	char notice[512];       /* what opening did, for store_notice() */
	/* Staff records waiting to be written in blocks (staff_pack.h): a
	 * packer for each submission being written, found by a hash of its
	 * id (slot_of: index + 1, or 0), so that rows of many employers, in
	 * any order, still make full blocks at the same cost a row. */
	struct store_packing {
		int64_t submission; /* 0: free */
		struct staff_packer packer;
	} *packing;
	size_t npacking, packing_cap;
	size_t *slot_of, slot_cap; /* open addressing, a power of two */
	size_t buffered;           /* records held in every packer */
	struct db_stmt *insert_block;
	/* Applicant records waiting to be written, in one bulk load
	 * (db_bulk_begin()): what each holds is its own copy. */
	struct store_waiting_applicant {
		int64_t submission;
		unsigned char person[PSEUDONYM_BYTES];
		enum ethnicity_id ethnicity;
		bool shortlisted, appointed;
		char *label, *vacancy_id, *pay_band; /* NULL: not given */
	} *applicants;
	size_t napplicants, applicants_cap;
};

/* The store in SQLite (sqlite.c) and in PostgreSQL (store_postgres.c):
 * what store_create_keyed() and the others do for each. */
int store_sqlite_create(const char *path, struct parity_error *err);
int store_sqlite_open(struct store **out, const char *path, bool read_only,
		      struct parity_error *err);
int store_postgres_create(const char *where, const char *key_path,
			  struct parity_error *err);
int store_postgres_open(struct store **out, const char *where,
			const char *key_path, bool read_only,
			struct parity_error *err);
/* For store_migrate() (migrate.h): the store's schema and row-level
 * security made in the empty database `where`, for the existing key at
 * `key_path`, and left uncommitted in an open write transaction (under
 * the write lock) on the handle in *out, which holds no key fingerprint
 * yet: the caller fills the tables, then commits (store_commit()) or
 * closes the handle, which rolls everything back and leaves the database
 * as empty as it was. Refuses a database that holds any table ("the
 * target database is not empty"). The caller frees *out with
 * store_close(). */
int store_postgres_create_open(struct store **out, const char *where,
			       const char *key_path, struct parity_error *err);

/* The store's connection; owned by the store. */
struct db *store_db(struct store *s);
/* Prepare `sql` (db.h's portable dialect); the caller finalises *st. */
int store_sql_prepare(struct store *s, struct db_stmt **st, const char *sql,
		      struct parity_error *err);
/* Fill `err` from the connection's last error, prefixed by `what`; -1. */
int store_sql_fail(struct store *s, struct parity_error *err,
		   const char *what);
/* Run `sql` (statements returning no rows): 0, or -1 with `err` filled as
 * store_sql_fail() does, prefixed by `what`. */
int store_sql_exec(struct store *s, const char *sql, const char *what,
		   struct parity_error *err);
/* A one-row query of one integer into *out (NULL reads as 0): 0, or -1
 * with `err` filled, prefixed by `what` (NULL: by the query itself). */
int store_sql_query_int(struct store *s, const char *what, const char *sql,
			long *out, struct parity_error *err);
/* Step `st` once (a statement returning no rows) and finalise it; 0, or
 * -1 with `err` filled as store_sql_fail() does. */
int store_sql_step_done(struct store *s, struct db_stmt *st, const char *what,
			struct parity_error *err);
/* -1 with an internal error unless a write transaction is open. */
int store_sql_need_transaction(struct store *s, struct parity_error *err);

/* Add a sentence to what store_notice() tells. */
void store_sql_notice(struct store *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Compare the store's key with the fingerprint the store holds: 1 when it
 * holds this key's, 0 when it holds none (a store made before fingerprints
 * were kept), -1 with `err` filled when it holds another key's. */
int store_sql_key_verify(struct store *s, struct parity_error *err);
/* For a writer: record the key's fingerprint if the store has none yet
 * (`new_store`: say nothing of it in the notice). */
int store_sql_key_settle(struct store *s, bool new_store,
			 struct parity_error *err);

/* Write every staff record held back, in blocks (store.c; at a commit). */
int store_sql_flush_staff(struct store *s, struct parity_error *err);
/* Drop the staff records held back (at a rollback). */
void store_sql_discard_pending(struct store *s);
/* Free what holds them, and the statements that write them (at close). */
void store_sql_free_pending(struct store *s);

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
