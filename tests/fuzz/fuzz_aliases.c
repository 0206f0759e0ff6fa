/*
 * fuzz_aliases.c - a council's alias file for the ethnicity classifier
 * (ethnicity_classifier_load_aliases() in src/domain/ethnicity.h) on any
 * bytes.
 *
 * Each input is loaded into a new classifier; when that works, it is
 * loaded again (each alias is then an earlier alias). Then a few built-in
 * labels and the first field of the lines after the header (where the
 * first aliases' labels are) are classified through it.
 *
 * Promise checked: a load that fails leaves the classifier as it was (the
 * loader keeps an undo list and rolls an alias file back whole:
 * src/domain/ethnicity.c), so every label it then knows classifies as on
 * a classifier that never saw the file. (Labels it does not know are not
 * compared: a label the classifier does not know costs a search for the
 * closest ones, slow under the fuzzer's instrumentation.)
 */
#include "fuzz.h"

#include "domain/ethnicity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Labels the classifier knows without aliases. */
static const char *const builtin_labels[] = {
	"White British", "Indian", "Black", "Not known", "prefer not to say",
	"",
};
#define BUILTIN_LABELS (sizeof(builtin_labels) / sizeof(builtin_labels[0]))

/* The first field (its first LABEL_MAX bytes) of this many lines after
 * the first are classified too: few and short, as a label the classifier
 * does not know is compared with every label it does. */
#define LINES_CLASSIFIED 2
#define LABEL_MAX 48

/* A short fingerprint of how `label` classifies; -1 when it does not. */
static long classify(const struct ethnicity_classifier *c, const char *label)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_match m;

	if (ethnicity_classify(c, label, &m, &err) < 0)
		return -1;
	return (long)(m.id + 1) * 64 + (long)m.group * 4 +
	       (long)m.from_2011 * 2 + (long)m.from_alias;
}

/* The labels to classify: the built-in ones, then the first field (up to
 * a comma) of LINES_CLASSIFIED lines after the first. Returns their
 * count. */
static size_t labels_of(const uint8_t *data, size_t size,
			char labels[][LABEL_MAX + 1])
{
	size_t k, n = 0, start = 0;

	for (k = 0; k < BUILTIN_LABELS; k++)
		snprintf(labels[n++], LABEL_MAX + 1, "%s", builtin_labels[k]);
	while (start < size && data[start] != '\n')
		start++;
	start++;
	while (start < size && n < BUILTIN_LABELS + LINES_CLASSIFIED) {
		size_t len = 0;

		while (start + len < size && data[start + len] != '\n' &&
		       data[start + len] != ',' && len < LABEL_MAX) {
			labels[n][len] = data[start + len] ? (char)data[start + len]
							   : ' ';
			len++;
		}
		labels[n++][len] = '\0';
		while (start < size && data[start] != '\n')
			start++;
		start++;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_classifier *c, *fresh = NULL;
	const char *path = fuzz_write("aliases.csv", data, size);
	char labels[BUILTIN_LABELS + LINES_CLASSIFIED][LABEL_MAX + 1];
	size_t n = labels_of(data, size, labels), k;
	int rc;

	if (ethnicity_classifier_new(&c, &err) < 0)
		fuzz_fail("aliases: cannot make a classifier: %s",
			  err.message);
	rc = ethnicity_classifier_load_aliases(c, path, &err);
	fuzz_debug("aliases: %d: %s", rc, rc < 0 ? err.message : "ok");
	fuzz_check_failure("aliases: the load", rc, &err);
	if (rc == 0) {
		/* the same aliases again: each is now an earlier alias */
		parity_error_clear(&err);
		fuzz_check_failure("aliases: the second load",
				   ethnicity_classifier_load_aliases(c, path,
								     &err),
				   &err);
	}
	for (k = 0; k < n; k++) {
		long now = classify(c, labels[k]), before;

		if (rc == 0 || now < 0)
			continue;
		if (!fresh && ethnicity_classifier_new(&fresh, &err) < 0)
			fuzz_fail("aliases: cannot make a classifier: %s",
				  err.message);
		before = classify(fresh, labels[k]);
		if (before != now)
			fuzz_fail("aliases: a failed load changed how '%s' "
				  "classifies (%ld, then %ld)", labels[k],
				  before, now);
	}
	ethnicity_classifier_free(fresh);
	ethnicity_classifier_free(c);
	return 0;
}
