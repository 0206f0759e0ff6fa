/*
 * alias_register.h - the programme's shared alias register: how it is
 * loaded into a classifier before every import, and how it changes.
 *
 * The register lives in the store (store.h, "the alias register"): each
 * change is a new version, audited, and nothing is deleted. This module
 * owns the rule that joins it to the classifier: every alias added to the
 * register is checked by the classifier exactly as an alias in a file is
 * (ethnicity_classifier_add_alias(): an unknown or group-only category,
 * 'BAME' and the other labels that merge groups, an alias that contradicts
 * parity's own reading or another alias), inside the transaction that
 * adds it, so that two people adding at once cannot make the register
 * contradict itself. A refused change changes nothing.
 *
 * Loading: alias_register_load() adds the register's aliases to a
 * classifier after its built-in labels and before any alias file, so that
 * a file's alias that contradicts the register is an error located in the
 * file. A register alias that this parity's classifier no longer accepts
 * (a later parity reads the label itself, differently) is a problem that
 * names the alias and says how to remove it.
 *
 * Ownership: a struct alias_register owns its keys; release it with
 * alias_register_release(). Results are plain values.
 */
#ifndef PARITY_INGEST_ALIAS_REGISTER_H
#define PARITY_INGEST_ALIAS_REGISTER_H

#include "base/diag.h"
#include "base/error.h"
#include "domain/ethnicity.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

/* The longest alias label, in characters (as a return's text columns). */
#define ALIAS_LABEL_MAX 200

/* The register as loaded into a classifier. */
struct alias_register {
	int version;   /* its version; 0 when it was never changed */
	char **keys;   /* the normalised labels of the aliases loaded, sorted */
	size_t count;
	size_t failed; /* aliases the classifier refused (see diags) */
};

/*
 * Add the register's aliases to `c` and describe them in `out` (which the
 * caller releases either way). Returns 0 when all of them loaded; -1 with
 * `err` set when the store fails, or (PARITY_ERR_VALIDATION) when the
 * classifier refused any, each refusal added to `diags` with the others
 * still loaded.
 */
int alias_register_load(struct store *s, struct ethnicity_classifier *c,
			struct alias_register *out, struct diag_list *diags,
			struct parity_error *err);
/* Whether the register holds an alias for `label` (normalised first). */
bool alias_register_holds(const struct alias_register *r, const char *label);
void alias_register_release(struct alias_register *r);

/*
 * How a label was read, as the labels seen keep it (store_labels_add()):
 * the classifier's rule, with an alias told apart as the register's or
 * the import's own file's, and a service's own group labels.
 */
enum label_rule {
	LABEL_RULE_BUILT_IN,
	LABEL_RULE_CODE_SYSTEM,
	LABEL_RULE_WRITE_IN,
	LABEL_RULE_REGISTER,
	LABEL_RULE_ALIAS_FILE,
	LABEL_RULE_SERVICE,
	LABEL_RULE_COUNT
};
/* "built-in", "code system", "write-in", "register", "alias file",
 * "service". */
const char *label_rule_name(enum label_rule rule);
/* The rule that read `label` as `m`, the register being `r` (NULL for
 * none). */
enum label_rule label_rule_of(const struct ethnicity_match *m,
			      const struct alias_register *r,
			      const char *label);

/* Who makes a change, and when. */
struct alias_change {
	const char *by;    /* who */
	const char *at;    /* UTC, ISO 8601; NULL: now */
	const char *note;  /* alias_register_add(): a note kept with it, or
			    * NULL */
	/* the code system categories may be given in ('H' under nhs is
	 * Indian); ETH_CODES_NONE (0): parity's codes and labels */
	enum ethnicity_code_system codes;
};

/* What a change did. */
struct alias_change_result {
	int version;          /* the version it made; 0 when nothing changed */
	char category[8];     /* add: the category's code */
	char reading[768];    /* add that changed nothing: what reads the
			       * label so already ("parity's own labels
			       * (built-in)", "the register, since version
			       * 3") */
	struct store_alias removed; /* remove: the alias removed */
	size_t added;         /* import: aliases added */
	size_t already;       /* import: aliases that changed nothing */
};

/*
 * Add `label` read as `category` (a code, or a label naming one
 * category). 0 when added (res->version is the new version) or when it
 * changes nothing (res->version 0, res->reading says why); -1 with `err`
 * set when refused (PARITY_ERR_VALIDATION) or when the store fails. A
 * label the register already maps elsewhere must be removed first.
 */
int alias_register_add(struct store *s, const char *label,
		       const char *category, const struct alias_change *how,
		       struct alias_change_result *res,
		       struct parity_error *err);
/*
 * Take `label`'s alias out of the register: 0 (res->version, res->removed
 * filled), or -1 with `err` set: PARITY_ERR_NOT_FOUND when the register
 * holds no alias for it.
 */
int alias_register_remove(struct store *s, const char *label,
			  const struct alias_change *how,
			  struct alias_change_result *res,
			  struct parity_error *err);
/*
 * Add every alias of an alias file (`label,category` header, as for
 * --aliases; a `note` column is kept too) as one new version: all or
 * nothing. Every problem is added to `diags`, located FILE:LINE:COLUMN,
 * and then -1 with `err` counting them (PARITY_ERR_VALIDATION). Aliases
 * that change nothing are counted in res->already; when none changes
 * anything, no version is made.
 */
int alias_register_import(struct store *s, const char *path,
			  const struct alias_change *how,
			  struct diag_list *diags,
			  struct alias_change_result *res,
			  struct parity_error *err);

#endif
