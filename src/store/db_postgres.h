/*
 * db_postgres.h - db.h over PostgreSQL (libpq): a connection to a server
 * made from a libpq conninfo string ("host=/run/parity dbname=parity
 * user=parity_admin"), for a hub shared by several processes. Not for use
 * outside src/store/.
 *
 * What differs from SQLite, behind db.h, is in db_postgres.c. What shows
 * through: a syntax error is found when the statement first runs (its
 * db_step() fails), not at db_prepare(); an error inside a transaction
 * leaves it failed until it is rolled back; db_exec() of several
 * statements runs them as one transaction unless they say otherwise; text
 * bound may not hold a NUL byte (db_bind_text() refuses it).
 */
#ifndef PARITY_STORE_DB_POSTGRES_H
#define PARITY_STORE_DB_POSTGRES_H

#include "store/db.h"

#include <stddef.h>

/* Connect to the server `conninfo` names, with UTF-8 as the client
 * encoding; 0 with the connection in *out (freed with db_close()), or -1
 * with *out NULL and the reason in `why` (`why_size` bytes). */
int db_postgres_connect(const char *conninfo, struct db **out, char *why,
			size_t why_size);

/* `conninfo` as it may be shown: "postgresql://USER@HOST:PORT/DBNAME",
 * without a password or any other setting; the caller frees it. */
char *db_postgres_describe(const char *conninfo);

#endif
