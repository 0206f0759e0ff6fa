/*
 * fuzz_framework.c - a framework in JSON (framework_parse() in
 * src/standard/framework.h), as `parity framework validate FILE` and
 * `--framework-file FILE` read one, on any bytes.
 *
 * Promises checked: the parse succeeds exactly when no error was
 * reported (warnings do not fail it); a framework read has a theme for
 * every criterion and question, finds each criterion, question, theme
 * and level by its own id at its own index, and each level by its number.
 */
#include "fuzz.h"

#include "base/diag.h"
#include "standard/framework.h"

#include <stdio.h>

static void check_framework(const struct framework *f)
{
	char number[24];
	size_t k;

	for (k = 0; k < f->ncriteria; k++) {
		if (f->criteria[k].theme >= f->nthemes)
			fuzz_fail("framework: criterion '%s' has no theme",
				  f->criteria[k].id);
		if (framework_criterion_find(f, f->criteria[k].id) != (int)k)
			fuzz_fail("framework: criterion '%s' is not found at "
				  "%zu", f->criteria[k].id, k);
	}
	for (k = 0; k < f->nquestions; k++) {
		if (f->questions[k].theme >= f->nthemes)
			fuzz_fail("framework: question '%s' has no theme",
				  f->questions[k].id);
		if (framework_question_find(f, f->questions[k].id) != (int)k)
			fuzz_fail("framework: question '%s' is not found at "
				  "%zu", f->questions[k].id, k);
	}
	for (k = 0; k < f->nthemes; k++)
		if (framework_theme_find(f, f->themes[k].id) != (int)k)
			fuzz_fail("framework: theme '%s' is not found at %zu",
				  f->themes[k].id, k);
	for (k = 0; k < f->nlevels; k++) {
		int found = framework_level_find(f, f->levels[k].id);

		/* levels are found 1-based or by index: either names k */
		if (found < 0)
			fuzz_fail("framework: level '%s' is not found",
				  f->levels[k].id);
		snprintf(number, sizeof(number), "%zu", k + 1);
		if (framework_level_find(f, number) < 0)
			fuzz_fail("framework: level %s is not found by its "
				  "number", number);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list problems;
	struct framework *f = NULL;
	int rc;

	diag_list_init(&problems);
	rc = framework_parse((const char *)data, size, "framework.json", &f,
			     &problems);
	fuzz_debug("framework: %d, %zu errors, %zu warnings", rc,
		   problems.errors, problems.warnings);
	if ((rc == 0) != (problems.errors == 0))
		fuzz_fail("framework: returned %d with %zu errors", rc,
			  problems.errors);
	if (rc == 0 && !f)
		fuzz_fail("framework: read, but no framework given");
	if (rc < 0 && f)
		fuzz_fail("framework: refused, but a framework given");
	if (f) {
		check_framework(f);
		framework_free(f);
	}
	diag_list_release(&problems);
	return 0;
}
