/*
 * fuzz_practice_query.c - what a reader types into the practice pool's
 * search box (practice_query_compile() and practice_search() in
 * src/practice/search.h), on any bytes, against a store holding the
 * starter set of practice.
 *
 * Promises checked: a search is refused only as the reader's mistake
 * (PARITY_ERR_USAGE: too long, too many words), never by FTS5 misreading
 * it (search.h: each word quoted, so no text is FTS5 syntax); a compiled
 * query has balanced quotes; a search that is made finds no more results
 * than the pool holds, and shows no more than it found.
 */
#include "fuzz.h"

#include "base/alloc.h"
#include "domain/area.h"
#include "practice/practice.h"
#include "practice/search.h"

#include <stdlib.h>
#include <string.h>

static struct area_set *areas;
static size_t pool;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_actor who = { "cli:fuzz", "", true, 1764547200L, NULL,
				      NULL };

	(void)argc;
	(void)argv;
	if (area_set_load(&areas, &err) < 0 ||
	    practice_load_starter(fuzz_store(), areas, &who, &pool, &err) < 0)
		fuzz_fail("practice_query: cannot load the starter set: %s",
			  err.message);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_query q;
	struct practice_results res;
	char *text = xmalloc(size + 1), compiled[8192];
	size_t k, quotes = 0;
	int rc;

	memcpy(text, data, size);
	text[size] = '\0';
	rc = practice_query_compile(text, compiled, sizeof(compiled), &err);
	if (rc < 0 && err.code != PARITY_ERR_USAGE)
		fuzz_fail("practice_query: the query was refused as '%s', not "
			  "as the reader's mistake", err.message);
	if (rc == 0) {
		for (k = 0; compiled[k]; k++)
			quotes += compiled[k] == '"';
		if (quotes % 2)
			fuzz_fail("practice_query: '%s' has an open quote",
				  compiled);
	}
	memset(&q, 0, sizeof(q));
	q.text = text;
	q.limit = 5;
	memset(&res, 0, sizeof(res));
	rc = practice_search(fuzz_store(), areas, &q, &res, &err);
	fuzz_debug("practice_query: %d, %zu of %zu: %s", rc, res.count,
		   res.total, rc < 0 ? err.message : "ok");
	if (rc < 0 && err.code != PARITY_ERR_USAGE)
		fuzz_fail("practice_query: the search failed: %s",
			  err.message);
	if (rc == 0 && (res.total > pool || res.count > res.total ||
			res.count > q.limit))
		fuzz_fail("practice_query: %zu shown of %zu found in a pool of "
			  "%zu", res.count, res.total, pool);
	practice_results_release(&res);
	free(text);
	return 0;
}
