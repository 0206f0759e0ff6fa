/*
 * fuzz_store.c - the empty store the importers' harnesses import into
 * (see fuzz.h).
 *
 * The store is made once (store_create(), then opened and closed so that
 * its migrations are applied and its log is folded in) and kept as a
 * template; the working copy is the template's bytes under another name,
 * with the same key file. Resetting closes the working copy, copies the
 * template over it and opens it again: far cheaper than making a store.
 * fuzz_store_copy() does the copying, for other templates too.
 */
#include "fuzz.h"

#include "store/store.h"

#include <stdio.h>
#include <unistd.h>

static struct store *store;

struct store *fuzz_store_copy(const char *template_name, const char *name)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *copy = NULL;
	char db[4096], key[4200], template_key[4200];

	snprintf(db, sizeof(db), "%s", fuzz_path(name));
	snprintf(key, sizeof(key), "%s-wal", db);
	unlink(key);
	snprintf(key, sizeof(key), "%s-shm", db);
	unlink(key);
	fuzz_copy(fuzz_path(template_name), db);
	snprintf(key, sizeof(key), "%s.key", db);
	if (access(key, F_OK) != 0) {
		snprintf(template_key, sizeof(template_key), "%s.key",
			 fuzz_path(template_name));
		fuzz_copy(template_key, key);
	}
	if (store_open(&copy, db, &err) < 0)
		fuzz_fail("cannot open the store %s: %s", db, err.message);
	return copy;
}

static void open_copy(void)
{
	store = fuzz_store_copy("template.db", "store.db");
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
