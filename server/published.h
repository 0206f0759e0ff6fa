/*
 * published.h - the published release's downloads, read once (published.c).
 * What the public is given through the API is the latest release's tidy
 * CSVs; a release's files never change once published, so each file is
 * parsed on first use and kept, read-only, for every request after. A new
 * release is new files (the site's `current` moves to them), so it is
 * read afresh. The cache belongs to the running hub (server_run() makes
 * and frees it); its tables are shared by the worker threads and never
 * changed or freed while the hub runs. Private to server/.
 */
#ifndef PARITY_SERVER_PUBLISHED_H
#define PARITY_SERVER_PUBLISHED_H

#include "base/error.h"
#include "table/table.h"

struct published_cache;

struct published_cache *published_cache_new(void);
void published_cache_free(struct published_cache *pc);

/*
 * The tidy table of download file `path` (through the site's links to
 * its current release): 0 and *out set (owned by the cache: read it, never
 * free it), 1 when there is no such file, -1 with `err` set when it
 * cannot be read.
 */
int published_table(struct published_cache *pc, const char *path,
		    const struct tidy_table **out, struct parity_error *err);

#endif
