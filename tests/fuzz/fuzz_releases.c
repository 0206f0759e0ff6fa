/*
 * fuzz_releases.c - a published site's list of releases, DIR/releases.json
 * (site_releases_load() in src/site/site_internal.h), on any bytes.
 *
 * The input is written as DIR/releases.json and read. What was read is
 * then used as `parity publish` uses it: the latest release of each year
 * in it and of a year not in it, the number the next release of each
 * would have (as a first publication and as a correction), and the list
 * turned back into JSON (site_releases_json()), written to another file
 * and read again (site_releases_read()).
 *
 * Promises checked: a list that was read can always be written (no entry
 * left out), and reads back as the same list: the numbers, years, dates
 * and corrections of its releases, and the highest release.
 */
#include "fuzz.h"

#include "site/site_internal.h"

#include <stdlib.h>
#include <string.h>

static void use(const struct site_releases *r, int year)
{
	struct parity_error err = PARITY_ERROR_INIT;
	int number;

	(void)site_release_latest(r, year);
	(void)site_release_next(r, year, NULL, &number, &err);
	(void)site_release_next(r, year, "a figure was wrong", &number, &err);
}

static void compare(const struct site_releases *a,
		    const struct site_releases *b)
{
	size_t k;

	if (a->count != b->count ||
	    site_releases_highest(a) != site_releases_highest(b))
		fuzz_fail("releases: %zu releases (latest %d) written, %zu "
			  "(latest %d) read back", a->count,
			  site_releases_highest(a), b->count,
			  site_releases_highest(b));
	for (k = 0; k < a->count; k++) {
		const struct site_release_entry *x = &a->items[k], *y = &b->items[k];

		if (x->number != y->number || x->year != y->year ||
		    strcmp(x->date, y->date) != 0 ||
		    !x->correction != !y->correction ||
		    (x->correction && strcmp(x->correction, y->correction) != 0))
			fuzz_fail("releases: release %zu (number %d, year %d) "
				  "reads back as number %d, year %d", k + 1,
				  x->number, x->year, y->number, y->year);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct site_releases r, again;
	const char *dir = fuzz_mkdir("site"), *copy;
	char *text;
	size_t k;

	fuzz_write("site/releases.json", data, size);
	if (site_releases_load(dir, &r, &err) < 0) {
		fuzz_debug("releases: -1: %s", err.message);
		fuzz_check_failure("releases: the load", -1, &err);
		site_releases_free(&r);
		return 0;
	}
	fuzz_debug("releases: 0, %zu releases, latest %d", r.count,
		   site_releases_highest(&r));
	for (k = 0; k < r.count; k++)
		use(&r, r.items[k].year);
	use(&r, 2024);
	text = site_releases_json(&r, &err);
	if (!text)
		fuzz_fail("releases: a list that was read cannot be written: "
			  "%s", err.message);
	copy = fuzz_write("releases-copy.json", (const uint8_t *)text,
			  strlen(text));
	free(text);
	if (site_releases_read(copy, dir, &again, &err) < 0)
		fuzz_fail("releases: the list written does not read back: %s",
			  err.message);
	compare(&r, &again);
	site_releases_free(&again);
	site_releases_free(&r);
	return 0;
}
