/*
 * fuzz_assessment.c - a council's self-assessment in JSON against the
 * built-in frameworks (assessment_parse() and assessment_check() in
 * src/standard/assessment.h), as `parity assess --save FILE` and the
 * hub's upload read one, on any bytes.
 *
 * Promises checked: the parse succeeds exactly when no error was
 * reported; an assessment read is of a framework parity knows, for the
 * council and year it was read for, with each criterion's level within
 * the framework's levels; checking it never fails without saying why.
 */
#include "fuzz.h"

#include "base/diag.h"
#include "standard/assessment.h"
#include "standard/framework.h"
#include "store/assessment_store.h"

#include <string.h>

static struct framework_set *frameworks;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag_list problems;

	(void)argc;
	(void)argv;
	diag_list_init(&problems);
	if (framework_set_load(&frameworks, &problems) < 0)
		fuzz_fail("assessment: the built-in frameworks do not load");
	diag_list_release(&problems);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list problems;
	struct assessment a;
	const struct framework *f;
	size_t k;
	int rc;

	diag_list_init(&problems);
	memset(&a, 0, sizeof(a));
	rc = assessment_parse(frameworks, (const char *)data, size,
			      "assessment.json", "E09000005", 2024, &a,
			      &problems);
	fuzz_debug("assessment: %d, %zu errors", rc, problems.errors);
	if ((rc == 0) != (problems.errors == 0))
		fuzz_fail("assessment: returned %d with %zu errors", rc,
			  problems.errors);
	if (rc == 0) {
		f = framework_find(frameworks, a.framework,
				   a.framework_version);
		if (!f)
			fuzz_fail("assessment: read against '%s' version %d, "
				  "which parity does not know", a.framework,
				  a.framework_version);
		if (strcmp(a.area_code, "E09000005") != 0 || a.year != 2024)
			fuzz_fail("assessment: read for %s %d, not E09000005 "
				  "2024", a.area_code, a.year);
		for (k = 0; k < a.ncriteria; k++)
			if (a.criteria[k].level < 0 ||
			    a.criteria[k].level > (int)f->nlevels)
				fuzz_fail("assessment: a level %d of %zu",
					  a.criteria[k].level, f->nlevels);
		diag_list_release(&problems);
		diag_list_init(&problems);
		rc = assessment_check(f, &a, true, "assessment.json",
				      &problems);
		if ((rc == 0) != (problems.errors == 0))
			fuzz_fail("assessment: the check returned %d with %zu "
				  "errors", rc, problems.errors);
	}
	assessment_release(&a);
	diag_list_release(&problems);
	return 0;
}
