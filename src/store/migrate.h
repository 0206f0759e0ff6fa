/*
 * migrate.h - moving a hub's store from SQLite to PostgreSQL: every row
 * of an SQLite store copied into a new store in an empty PostgreSQL
 * database, in one transaction, and checked there before it is committed
 * (`parity migrate`).
 *
 * What it promises:
 *   - the source is only read (opened read-only, in one read transaction:
 *     one consistent moment of it), and must be at this parity's schema
 *     version; a store behind it is refused, naming `parity init
 *     --upgrade --db FILE`;
 *   - the target must hold no table at all; it is given the store's
 *     schema and row-level security (store_postgres.c), then every table's
 *     rows with their ids, and the identity sequences continue after the
 *     largest id copied (parity_align_ids()), so later writes get the ids
 *     and versions the SQLite store would have given;
 *   - the store in PostgreSQL keeps the source's key: the key file given
 *     must hold the same key as FILE.key (by fingerprint), or it is
 *     refused before anything is written;
 *   - before the commit, each table's row count and a checksum of its rows
 *     (BLAKE2b over each value rendered the same way on both sides, in
 *     rowid or id order) are compared; any difference, or any failure,
 *     rolls everything back and leaves the target as empty as it was.
 *
 * The tables and their columns are read from the schemas themselves
 * (PostgreSQL's catalogue for the target, pragma table_info for the
 * source), so a new migration needs no change here; a source table or
 * column the target lacks is refused rather than left behind.
 *
 * Ownership. The report is the caller's (on the stack, say); what it
 * points to is freed with store_migrate_report_free().
 */
#ifndef PARITY_STORE_MIGRATE_H
#define PARITY_STORE_MIGRATE_H

#include "base/error.h"

#include <stddef.h>

/* One table copied: its name and its rows. */
struct store_migrate_table {
	char *name;
	long rows;
};

struct store_migrate_report {
	struct store_migrate_table *tables; /* in the order copied */
	size_t count;
	long rows;      /* in all tables */
	char *target;   /* the target as it may be shown: no password */
	double seconds; /* the copy and its check, from opening to commit */
};

/* An empty report, for store_migrate() to fill. */
#define STORE_MIGRATE_REPORT_INIT { NULL, 0, 0, NULL, 0.0 }

/*
 * Copy the SQLite store `from` (with its key `from`.key) into a new store
 * in the empty PostgreSQL database `to` (a postgresql:// or postgres://
 * URI), whose key is the file `key_path` (NULL: `from`.key itself), which
 * must hold the source's key. 0 with `report` filled, or -1 with `err`
 * filled, `report` empty and nothing committed to `to`.
 */
int store_migrate(const char *from, const char *to, const char *key_path,
		  struct store_migrate_report *report,
		  struct parity_error *err);

/* Free what `report` holds, and empty it. */
void store_migrate_report_free(struct store_migrate_report *report);

#endif
