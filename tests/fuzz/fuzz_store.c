/*
 * fuzz_store.c - the empty store the importers' harnesses import into
 * (see fuzz.h).
 *
 * The store is made once (store_create(), then opened and closed so that
 * its migrations are applied and its log is folded in) and kept as a
 * template; the working copy is the template's bytes under another name,
 * with the same key file. Resetting closes the working copy, copies the
 * template over it and opens it again: far cheaper than making a store.
 */
#include "fuzz.h"

#include "store/store.h"

#include <stdio.h>
#include <unistd.h>

static struct store *store;

static void open_copy(void)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char key[4200];
	const char *db = fuzz_path("store.db");

	unlink(fuzz_path("store.db-wal"));
	unlink(fuzz_path("store.db-shm"));
	fuzz_copy(fuzz_path("template.db"), db);
	snprintf(key, sizeof(key), "%s.key", db);
	if (access(key, F_OK) != 0) {
		char template_key[4200];

		snprintf(template_key, sizeof(template_key), "%s.key",
			 fuzz_path("template.db"));
		fuzz_copy(template_key, key);
	}
	if (store_open(&store, db, &err) < 0)
		fuzz_fail("cannot open the store %s: %s", db, err.message);
}

struct store *fuzz_store(void)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *template = fuzz_path("template.db");
	struct store *s;

	if (store)
		return store;
	if (store_create(template, &err) < 0 ||
	    store_open(&s, template, &err) < 0)
		fuzz_fail("cannot make the store %s: %s", template,
			  err.message);
	store_close(s);
	open_copy();
	return store;
}

void fuzz_store_reset(void)
{
	if (!store)
		return;
	store_close(store);
	store = NULL;
	open_copy();
}
