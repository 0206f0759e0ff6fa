/*
 * published.c - the published release's downloads, each parsed once and
 * then shared read-only by the hub's worker threads (published.h). An
 * entry is keyed by the file the site's links resolve to, with its inode,
 * size and time of change, so a file replaced in place is read again.
 */
#include "published.h"

#include "base/alloc.h"
#include "table/table_read.h"

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct published_entry {
	char *path;           /* the resolved file */
	struct stat st;       /* as it was read */
	struct tidy_table table;
	struct published_entry *next;
};

struct published_cache {
	pthread_mutex_t lock;
	struct published_entry *entries;
};

struct published_cache *published_cache_new(void)
{
	struct published_cache *pc = xcalloc(1, sizeof(*pc));

	pthread_mutex_init(&pc->lock, NULL);
	return pc;
}

void published_cache_free(struct published_cache *pc)
{
	struct published_entry *e, *next;

	if (!pc)
		return;
	for (e = pc->entries; e; e = next) {
		next = e->next;
		tidy_table_free(&e->table);
		free(e->path);
		free(e);
	}
	pthread_mutex_destroy(&pc->lock);
	free(pc);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int published_table(struct published_cache *pc, const char *path,
		    const struct tidy_table **out, struct parity_error *err)
{
	char real[PATH_MAX];
	struct published_entry *e;
	struct stat st;
	int rc = 0;

	*out = NULL;
	if (!realpath(path, real) || stat(real, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return 1;
	/* held while a file is read, so that it is read once, not by every
	 * thread that asks at the same moment */
	pthread_mutex_lock(&pc->lock);
	for (e = pc->entries; e; e = e->next)
		if (strcmp(e->path, real) == 0 && same_file(&e->st, &st))
			break;
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		tidy_table_init(&e->table);
		if (tidy_table_read_csv(real, &e->table, NULL, NULL, err) != 0) {
			tidy_table_free(&e->table);
			free(e);
			e = NULL;
			rc = -1;
		} else {
			e->path = xstrdup(real);
			e->st = st;
			e->next = pc->entries;
			pc->entries = e;
		}
	}
	pthread_mutex_unlock(&pc->lock);
	if (e)
		*out = &e->table;
	return rc;
}
