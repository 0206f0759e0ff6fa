/*
 * db_sqlite.h - db.h over SQLite: a connection that sqlite.c has opened
 * and set up, adopted as a `struct db`. Not for use outside src/store/.
 */
#ifndef PARITY_STORE_DB_SQLITE_H
#define PARITY_STORE_DB_SQLITE_H

#include "store/db.h"

#include <sqlite3.h>

/* A `struct db` over `handle`, which it owns from now on: db_close()
 * closes it. */
struct db *db_sqlite_adopt(sqlite3 *handle);
/* The SQLite connection under `db` (made by db_sqlite_adopt()), for what
 * only SQLite has: pragmas' settings, file controls, the backup API; NULL
 * when `db` is another backend's. */
sqlite3 *db_sqlite_handle(struct db *db);

#endif
