/*
 * ethnicity.h - the ethnicity classifications parity harmonises to, and the
 * matching of the labels councils and their partners really send.
 *
 * The ONS 2021 harmonised standard for England has 19 detailed categories in
 * 5 high-level groups. parity gives each a stable code (WBRI, BCRB, ...) and
 * keeps two non-declared states apart: not known (blank, not collected,
 * 'Unknown', 'Not recorded') and prefer not to say ('Declined', 'Refused').
 * The 2011 Census used 18 categories; a crosswalk maps them to 2021 (Roma was
 * new in 2021 and was inside 2011's Other White).
 *
 * Matching ignores case, spacing and the punctuation that separates group and
 * category, and the order of the parts of a label. It accepts the Census
 * wordings of 2001, 2011 and 2021, common short forms, DfE's open-data
 * identifiers, labels that carry a code of the NHS, DfE, police or parity
 * lists beside text that agrees with it ('A White - British'), write-ins
 * whose place in the 2021 classification is not in doubt ('Somali',
 * 'Polish', from data/ethnicity/write-ins.csv), and a council's or the
 * programme's own aliases. Under a code system
 * (ethnicity_classifier_set_code_system()) bare codes are read by that
 * system's list. A label that is unknown, ambiguous, or that merges groups
 * ('BAME') is an error whose message names the label and says why: nothing
 * is ever guessed, and nothing is ever put into an 'Other' category by
 * default. docs/classification.md lists every rule.
 *
 * Output levels: detailed (19), high (5), and two binaries that are produced
 * only when asked for by name, each with a note saying what it merges.
 * 'BAME' is never produced.
 *
 * The category tables are read-only data compiled into the program; the code
 * lists and the write-in table are read-only data loaded once, on first use,
 * from the files compiled in. A classifier (built-in labels plus aliases) is
 * owned by whoever calls ethnicity_classifier_new() and is freed with
 * ethnicity_classifier_free(); it is read-only once its aliases and code
 * system are set, so threads may then share it.
 */
#ifndef PARITY_DOMAIN_ETHNICITY_H
#define PARITY_DOMAIN_ETHNICITY_H

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

/* Category ids: 0..18 are the 19 detailed 2021 categories, in the order of
 * the England question (White first); then the two non-declared states. */
enum ethnicity_id {
	ETH_WBRI, ETH_WIRI, ETH_WGYP, ETH_WROM, ETH_WOTH,
	ETH_MWBC, ETH_MWBA, ETH_MWAS, ETH_MOTH,
	ETH_AIND, ETH_APKN, ETH_ABAN, ETH_ACHN, ETH_AOTH,
	ETH_BCRB, ETH_BAFR, ETH_BOTH,
	ETH_OARB, ETH_OOTH,
	ETH_NOT_KNOWN,
	ETH_PREFER_NOT_TO_SAY,
	ETH_COUNT
};
#define ETHNICITY_DETAILED_COUNT 19

/* The 5 high-level groups, plus one pseudo-group for each non-declared
 * state so that every id has a group. */
enum ethnicity_group {
	ETH_GROUP_WHITE, ETH_GROUP_MIXED, ETH_GROUP_ASIAN, ETH_GROUP_BLACK,
	ETH_GROUP_OTHER,
	ETH_GROUP_NOT_KNOWN,
	ETH_GROUP_PREFER_NOT_TO_SAY,
	ETH_GROUP_COUNT
};
#define ETHNICITY_HIGH_COUNT 5

struct ethnicity_category {
	const char *code;        /* stable code, e.g. "BCRB"; "NK", "PNS" */
	const char *label;       /* Census 2021 output label of the category, e.g. "Caribbean" */
	const char *full_label;  /* "Black, Black British, Black Welsh, Caribbean or African: Caribbean" */
	const char *question_label; /* harmonised standard question wording, e.g. "Caribbean" */
	enum ethnicity_group group;
};

struct ethnicity_group_info {
	const char *code;  /* "W", "M", "A", "B", "O"; "NK", "PNS" */
	const char *label; /* Census 2021 output label, e.g. "Asian, Asian British or Asian Welsh" */
};

enum ethnicity_level {
	ETH_LEVEL_DETAILED,
	ETH_LEVEL_HIGH,
	ETH_LEVEL_WHITE_BRITISH_BINARY,
	ETH_LEVEL_WHITE_BINARY
};

const struct ethnicity_category *ethnicity_category(enum ethnicity_id id);
const struct ethnicity_group_info *ethnicity_group_info(enum ethnicity_group g);
/* The id with this stable code (case-insensitive), or -1. */
int ethnicity_find_code(const char *code);
bool ethnicity_is_declared(enum ethnicity_id id);

/* "detailed", "high", "white-british-binary", "white-binary". */
int ethnicity_level_parse(const char *name, enum ethnicity_level *out,
			  struct parity_error *err);
const char *ethnicity_level_name(enum ethnicity_level level);
/*
 * For a binary level, the note every output using it must carry, saying
 * which groups it merges; NULL for detailed and high.
 */
const char *ethnicity_level_note(enum ethnicity_level level);
/* How many declared output groups a level has (19, 5, 2, 2). */
size_t ethnicity_level_group_count(enum ethnicity_level level);
/*
 * The output group a category falls in at a level: an index below
 * ethnicity_level_group_count(level) for declared categories, and for the
 * non-declared states the count (not known) or count + 1 (prefer not to
 * say).
 */
size_t ethnicity_level_group(enum ethnicity_id id, enum ethnicity_level level);
/* Code and label of output group `index` at a level (index may name the
 * non-declared states as above). Detailed labels are full labels. */
const char *ethnicity_level_group_code(enum ethnicity_level level, size_t index);
const char *ethnicity_level_group_label(enum ethnicity_level level, size_t index);
/*
 * A group's name in running text, as Ethnicity facts and figures writes
 * it: "Black" for "Black, Black British, Black Welsh, Caribbean or
 * African", "Black Caribbean" for its detailed group, "White British".
 * A label of no 2021 group gives the part after its last ": ", or itself.
 * Static text, or a pointer into `label`.
 */
const char *ethnicity_short_name(const char *label);

/* ---- 2011 Census classification (18 categories) and crosswalk ---- */
#define ETHNICITY_2011_COUNT 18
struct ethnicity_2011_category {
	const char *code;        /* e.g. "2011-WOTH" */
	const char *label;       /* e.g. "Other White" */
	const char *group_label; /* e.g. "White" */
	/* the 2021 categories it corresponds to (one, or two for Other White) */
	enum ethnicity_id maps_to[2];
	size_t maps_to_count;
	const char *note;        /* what changed in 2021, or NULL */
};
const struct ethnicity_2011_category *ethnicity_2011_category(size_t index);
/* The 2011 category a 2021 category belongs to when a series crosses
 * 2011 -> 2021 (Roma and Other White both map to 2011 Other White). */
size_t ethnicity_2011_index_of(enum ethnicity_id id);

/* ---- code systems ---- */

/*
 * The code lists parity reads (data/ethnicity/, with their sources in
 * data/PROVENANCE.md). Under ETH_CODES_NONE a bare code is not read as a
 * label; under a code system, bare codes are read by its list, and so is
 * the list's own wording ('Not stated' is prefer not to say in NHS data).
 */
enum ethnicity_code_system {
	ETH_CODES_NONE,       /* "none": labels only */
	ETH_CODES_NHS,        /* "nhs": NHS ethnic category, A-S, Z, 99 */
	ETH_CODES_DFE,        /* "dfe": DfE school census, main and extended codes */
	ETH_CODES_POLICE_SDE, /* "police-sde": police self-defined, 18+1 */
	ETH_CODES_POLICE_ODE, /* "police-ode": police officer-defined, IC1-IC6 */
	ETH_CODE_SYSTEM_COUNT
};

/* "none", "nhs", "dfe", "police-sde", "police-ode" (case-insensitive);
 * anything else is a PARITY_ERR_USAGE error naming the choices. */
int ethnicity_code_system_parse(const char *name,
				enum ethnicity_code_system *out,
				struct parity_error *err);
/* The name parse accepts, or NULL for a value out of range. */
const char *ethnicity_code_system_name(enum ethnicity_code_system system);
/*
 * The wording a code system's list gives `code` (case-insensitive):
 * "Gypsy/Roma" for dfe's WROM, "Not stated" for nhs's Z. NULL when the
 * code is not in the list, or the lists could not be loaded.
 */
const char *ethnicity_code_label(enum ethnicity_code_system system,
				 const char *code);

/* ---- matching labels ---- */

/* How a label was read. */
enum ethnicity_rule {
	ETH_RULE_BUILT_IN,    /* parity's own labels and rules */
	ETH_RULE_CODE_SYSTEM, /* a code list: a bare code, or a code beside text */
	ETH_RULE_WRITE_IN,    /* the write-in table */
	ETH_RULE_ALIAS        /* an alias (file or register) */
};
/* "built-in", "code system", "write-in", "alias". */
const char *ethnicity_rule_name(enum ethnicity_rule rule);

/* What a label matched. A label that names only a high-level group
 * ('Asian', 'Black or Black British', police 'IC3') matches with `id` =
 * -1. */
struct ethnicity_match {
	int id;                      /* enum ethnicity_id, or -1 for group only */
	enum ethnicity_group group;
	bool from_2011;              /* matched a label or code of a list
				      * without Roma: 2011 (or 2001) wording,
				      * NHS and police self-defined codes */
	bool from_alias;             /* rule == ETH_RULE_ALIAS */
	enum ethnicity_rule rule;    /* how it was read */
	/*
	 * What the reading means beyond its category, for whoever shows it
	 * ('NHS code Z (Not stated): the person was asked and chose not to
	 * state ...'), or NULL. A static string: it outlives the classifier.
	 */
	const char *note;
};

struct ethnicity_classifier;

/*
 * A classifier with the built-in labels, reading no bare codes. Fails
 * (PARITY_ERR_INTERNAL) only if the reference data compiled in is broken.
 */
int ethnicity_classifier_new(struct ethnicity_classifier **out,
			     struct parity_error *err);
/*
 * Read bare codes (and the list's own wording) by `system`'s list from now
 * on; ETH_CODES_NONE stops. Aliases still come first. Call it before the
 * classifier is shared between threads.
 */
void ethnicity_classifier_set_code_system(struct ethnicity_classifier *c,
					  enum ethnicity_code_system system);
enum ethnicity_code_system
ethnicity_classifier_code_system(const struct ethnicity_classifier *c);
/*
 * Add one alias: `label` is read as `category`, a stable code (WBRI, nk) or
 * any label the classifier accepts that names one category. The checks are
 * those of an alias file: an unknown, ambiguous or group-only category; a
 * blank label; a label that merges groups; and an alias that contradicts
 * parity's own reading of the label or an earlier alias. An alias may
 * settle an ambiguous label (as one of its possible categories), narrow a
 * group-only label to a category of that group, or repeat what parity
 * already reads (which adds nothing). On an error (PARITY_ERR_VALIDATION,
 * with no location: the caller adds it) nothing changes.
 */
int ethnicity_classifier_add_alias(struct ethnicity_classifier *c,
				   const char *label, const char *category,
				   struct parity_error *err);
/*
 * Name the aliases added from memory from now on, for the messages of a
 * later alias that contradicts one of them: "alias 'X' maps to ..., but
 * SOURCE maps it to ..." (e.g. "the alias register (version 4)"). Until
 * this is called they are "an earlier alias".
 */
void ethnicity_classifier_name_aliases(struct ethnicity_classifier *c,
				       const char *source);
/*
 * Add a council's aliases from a CSV file with header `label,category`,
 * each checked as ethnicity_classifier_add_alias() checks it. Errors (a
 * malformed file, an unknown category, an alias that contradicts parity's
 * reading or an earlier alias) name FILE:LINE:COLUMN, and a file with an
 * error adds no alias.
 */
int ethnicity_classifier_load_aliases(struct ethnicity_classifier *c,
				      const char *path,
				      struct parity_error *err);
/*
 * The same, but every problem in the file is added to `diags`, each
 * located FILE:LINE:COLUMN, rather than only the first: -1 when there is
 * any, with `err` counting them (PARITY_ERR_VALIDATION), or when the file
 * cannot be read (`err` says why, and `diags` is left alone). A file with
 * any problem adds no alias.
 */
struct diag_list;
int ethnicity_classifier_load_aliases_all(struct ethnicity_classifier *c,
					  const char *path,
					  struct diag_list *diags,
					  struct parity_error *err);
/*
 * Classify one label. Blank and the not-known spellings give ETH_NOT_KNOWN;
 * prefer-not-to-say spellings give ETH_PREFER_NOT_TO_SAY. An unknown,
 * ambiguous, contradictory or merging label fills `err` (code
 * PARITY_ERR_VALIDATION, no location: the caller adds it) with a message
 * naming the label and why (an unknown one with up to three closest
 * categories), and returns -1.
 */
int ethnicity_classify(const struct ethnicity_classifier *c, const char *label,
		       struct ethnicity_match *out, struct parity_error *err);
void ethnicity_classifier_free(struct ethnicity_classifier *c);

/* Normalise a label for matching into `out` (lower case, separators and
 * spacing folded); exposed for tests and the alias loader. */
void ethnicity_normalise(const char *label, char *out, size_t size);

#endif
