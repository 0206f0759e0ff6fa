/*
 * fuzz_service.c - service returns (src/ingest/service.h) on any bytes:
 * the whole check and, for a file that passes, the import into an empty
 * store (fuzz_store.c) with the built-in service definitions.
 *
 * Promises checked: an answer of 0 comes with no errors, and an answer of
 * -1 for invalid content with at least one (service.h); a file accepted
 * once is found unchanged when it is sent again (docs/reliability.md, S6).
 */
#include "fuzz.h"

#include "base/diag.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "ingest/service.h"

#include <stdbool.h>
#include <string.h>

static struct area_set *areas;
static struct ethnicity_classifier *classifier;
static struct service_defs *defs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct parity_error err = PARITY_ERROR_INIT;

	(void)argc;
	(void)argv;
	if (area_set_load(&areas, &err) < 0 ||
	    ethnicity_classifier_new(&classifier, &err) < 0 ||
	    service_defs_load(&defs, &err) < 0)
		fuzz_fail("service: cannot load the reference data: %s",
			  err.message);
	fuzz_store();
	return 0;
}

static int import(const char *path, bool *unchanged)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list diags = DIAG_LIST_INIT;
	struct service_import_options opt;
	struct service_import_result res;
	int rc;

	memset(&opt, 0, sizeof(opt));
	opt.path = path;
	opt.submitted_by = "fuzz";
	opt.submitted_at = "2024-05-01T09:30:00Z";
	opt.classifier = classifier;
	opt.areas = areas;
	opt.defs = defs;
	rc = service_import(fuzz_store(), &opt, &diags, &res, &err);
	fuzz_debug("service import: %d, %zu errors, %zu warnings%s: %s", rc,
		   diags.errors, diags.warnings,
		   res.unchanged ? ", unchanged" : "",
		   rc < 0 ? err.message : "ok");
	if (rc == 0 && diags.errors > 0)
		fuzz_fail("service: accepted a file with %zu errors",
			  diags.errors);
	if (rc < 0 && err.code == PARITY_ERR_VALIDATION && diags.errors == 0)
		fuzz_fail("service: refused a file as invalid but listed no "
			  "error: %s", err.message);
	fuzz_check_failure("service: the import", rc, &err);
	*unchanged = res.unchanged;
	service_import_result_release(&res);
	diag_list_release(&diags);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write("service.csv", data, size);
	bool unchanged;

	if (import(path, &unchanged) == 0 && !unchanged) {
		if (import(path, &unchanged) < 0)
			fuzz_fail("service: a file accepted once was refused "
				  "the second time");
		if (!unchanged)
			fuzz_fail("service: the same file imported twice was "
				  "not found unchanged");
		fuzz_store_reset();
	}
	return 0;
}
