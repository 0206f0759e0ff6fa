/*
 * classifier.c - the classifier every command reads ethnicity labels with:
 * the built-in labels, then the programme's alias register when the
 * command has a store, then a council's aliases file, set up the same way
 * for import, classify, analyse, report and benchmark, with every problem
 * in the register or the aliases file listed, located, rather than only
 * the first.
 */
#include "cli.h"

#include "base/diag.h"
#include "domain/ethnicity.h"
#include "ingest/alias_register.h"

#include <string.h>

#define ALIAS_ERRORS_SHOWN 50
#define ALIAS_WARNINGS_SHOWN 20

int cli_classifier_load(struct ethnicity_classifier **out,
			const char *aliases_path, struct store *store,
			struct alias_register *reg)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_classifier *cls = NULL;
	struct alias_register own = { 0, NULL, 0, 0 };
	struct alias_register *r = reg ? reg : &own;
	struct diag_list diags;
	int status = CLI_OK;

	*out = NULL;
	if (reg)
		memset(reg, 0, sizeof(*reg));
	diag_list_init(&diags);
	if (ethnicity_classifier_new(&cls, &err) < 0 ||
	    (store && alias_register_load(store, cls, r, &diags, &err) < 0) ||
	    (aliases_path && ethnicity_classifier_load_aliases_all(
				     cls, aliases_path, &diags, &err) < 0)) {
		cli_print_diags(&diags, ALIAS_ERRORS_SHOWN,
				ALIAS_WARNINGS_SHOWN);
		cli_report(&err);
		status = cli_exit_for(&err);
		ethnicity_classifier_free(cls);
		cls = NULL;
	}
	alias_register_release(&own);
	diag_list_release(&diags);
	*out = cls;
	return status;
}
