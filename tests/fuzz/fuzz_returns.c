/*
 * fuzz_returns.c - workforce and recruitment returns (src/ingest/returns.h)
 * on any bytes: the store-less check that `parity analyse` uses, and the
 * import into a store.
 *
 * The input is written to a file. A first line that names an employer
 * column is read as a file of several employers (no --area); otherwise
 * the return is Brent's (E09000005). A first line that mentions an
 * applicant is a recruitment return, anything else a workforce return.
 * For a workforce return analyse_return() runs first (one thread, so that
 * runs repeat), and, when there is an employer column, again with --area.
 * Then import_return() imports it into an empty store (fuzz_store.c); when
 * that is accepted, the same file is imported again, and the store is
 * emptied for the next input.
 *
 * Promises checked: an answer of 0 comes with no errors and an answer of
 * -1 for invalid content with at least one (returns.h); analysing a
 * workforce return finds exactly the errors importing it finds
 * (docs/reliability.md: `parity analyse` checks every row exactly as an
 * import does); a file sent twice is found unchanged the second time (S6).
 */
#include "fuzz.h"

#include "base/diag.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "ingest/returns.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BRENT "E09000005"
#define SUBMITTED_AT "2024-05-01T09:30:00Z"

static struct area_set *areas;
static struct ethnicity_classifier *classifier;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct parity_error err = PARITY_ERROR_INIT;

	(void)argc;
	(void)argv;
	if (area_set_load(&areas, &err) < 0 ||
	    ethnicity_classifier_new(&classifier, &err) < 0)
		fuzz_fail("returns: cannot load the reference data: %s",
			  err.message);
	fuzz_store();
	return 0;
}

/* Whether the first line (its first 4 KB) holds `word` (lower case), in
 * any case. */
static bool first_line_has(const uint8_t *data, size_t size, const char *word)
{
	char line[4096];
	size_t n = 0;

	while (n < size && n < sizeof(line) - 1 && data[n] != '\n' &&
	       data[n] != '\r') {
		line[n] = (char)tolower(data[n] ? data[n] : ' ');
		n++;
	}
	line[n] = '\0';
	return strstr(line, word) != NULL;
}

static void check_answer(const char *what, int rc,
			 const struct parity_error *err,
			 const struct diag_list *diags)
{
	if (rc == 0 && diags->errors > 0)
		fuzz_fail("returns: %s accepted a file with %zu errors", what,
			  diags->errors);
	if (rc < 0 && err->code == PARITY_ERR_VALIDATION && diags->errors == 0)
		fuzz_fail("returns: %s refused a file as invalid but listed "
			  "no error: %s", what, err->message);
	fuzz_check_failure(what, rc, err);
}

/* The errors of a diag list, formatted, one a line. */
static char *errors_text(const struct diag_list *diags)
{
	size_t k, len = 0, cap = 4096;
	char *text = malloc(cap), line[2048];

	if (!text)
		abort();
	text[0] = '\0';
	for (k = 0; k < diags->count; k++) {
		size_t n;

		if (diags->items[k].severity != DIAG_ERROR)
			continue;
		diag_format(&diags->items[k], line, sizeof(line));
		n = strlen(line);
		if (len + n + 2 > cap) {
			cap = 2 * (len + n + 2);
			text = realloc(text, cap);
			if (!text)
				abort();
		}
		memcpy(text + len, line, n);
		len += n;
		text[len++] = '\n';
		text[len] = '\0';
	}
	return text;
}

/* Analyse the file; the errors found, formatted (the caller frees them),
 * or NULL when it failed for want of something other than valid content. */
static char *analyse(const char *path, const char *area, int *rc_out)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list diags = DIAG_LIST_INIT;
	struct analyse_options opt;
	struct analyse_result res;
	char *errors = NULL;
	int rc;

	memset(&opt, 0, sizeof(opt));
	opt.path = path;
	opt.area = area;
	opt.year = 2024;
	opt.threads = 1;
	opt.classifier = classifier;
	opt.areas = areas;
	rc = analyse_return(&opt, &diags, &res, &err);
	fuzz_debug("analyse (area %s): %d, %zu errors, %zu warnings: %s",
		   area ? area : "none", rc, diags.errors, diags.warnings,
		   rc < 0 ? err.message : "ok");
	check_answer("analyse_return()", rc, &err, &diags);
	if (rc == 0 || err.code == PARITY_ERR_VALIDATION)
		errors = errors_text(&diags);
	*rc_out = rc;
	analyse_result_release(&res);
	diag_list_release(&diags);
	return errors;
}

static int import(const char *path, enum store_kind kind, const char *area,
		  struct import_result *res, char **errors)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list diags = DIAG_LIST_INIT;
	struct import_options opt;
	int rc;

	memset(&opt, 0, sizeof(opt));
	opt.kind = kind;
	opt.path = path;
	opt.area = area;
	opt.year = 2024;
	opt.submitted_by = "fuzz";
	opt.submitted_at = SUBMITTED_AT;
	opt.classifier = classifier;
	opt.areas = areas;
	rc = import_return(fuzz_store(), &opt, &diags, res, &err);
	fuzz_debug("import %s (area %s): %d, %zu errors, %zu warnings%s: %s",
		   kind == STORE_RECRUITMENT ? "recruitment" : "workforce",
		   area ? area : "none", rc, diags.errors, diags.warnings,
		   res->unchanged ? ", unchanged" : "",
		   rc < 0 ? err.message : "ok");
	check_answer("import_return()", rc, &err, &diags);
	if (errors)
		*errors = rc == 0 || err.code == PARITY_ERR_VALIDATION
				  ? errors_text(&diags)
				  : NULL;
	diag_list_release(&diags);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_result res;
	bool employer = first_line_has(data, size, "employer");
	enum store_kind kind = first_line_has(data, size, "applicant")
				       ? STORE_RECRUITMENT
				       : STORE_WORKFORCE;
	const char *area = employer ? NULL : BRENT;
	const char *path = fuzz_write("return.csv", data, size);
	char *analysed = NULL, *imported = NULL, *extra;
	int analysed_rc = 0, rc;
	bool unchanged;

	if (kind == STORE_WORKFORCE) {
		analysed = analyse(path, area, &analysed_rc);
		if (employer) {
			extra = analyse(path, BRENT, &rc);
			free(extra);
		}
	}
	rc = import(path, kind, area, &res, &imported);
	unchanged = res.unchanged;
	import_result_release(&res);
	if (analysed && imported &&
	    (analysed_rc != rc || strcmp(analysed, imported) != 0))
		fuzz_fail("returns: analyse_return() (answer %d) and "
			  "import_return() (answer %d) found different "
			  "errors:\n--- analyse\n%s--- import\n%s",
			  analysed_rc, rc, analysed, imported);
	free(analysed);
	free(imported);
	if (rc == 0 && !unchanged) {
		/* the same file again changes nothing */
		if (import(path, kind, area, &res, NULL) < 0)
			fuzz_fail("returns: a file accepted once was refused "
				  "the second time");
		unchanged = res.unchanged;
		import_result_release(&res);
		if (!unchanged)
			fuzz_fail("returns: the same file imported twice was "
				  "not found unchanged");
		fuzz_store_reset();
	}
	return 0;
}
