/*
 * ethnicity.h - the ethnicity classifications parity harmonises to, and the
 * matching of the labels councils' systems really use.
 *
 * The ONS 2021 harmonised standard for England has 19 detailed categories in
 * 5 high-level groups. parity gives each a stable code (WBRI, BCRB, ...) and
 * keeps two non-declared states apart: not known (blank, not collected,
 * 'Unknown', 'Not stated') and prefer not to say. The 2011 Census used 18
 * categories; a crosswalk maps them to 2021 (Roma was new in 2021 and was
 * inside 2011's Other White).
 *
 * Matching ignores case, spacing and the punctuation that separates group and
 * category. It accepts the official output labels, the question labels, the
 * 2011 labels, common short forms, and a council's own aliases. A label that
 * is unknown or ambiguous is an error whose message names the label and
 * suggests the closest categories: nothing is ever guessed, and nothing is
 * ever put into an 'Other' category by default.
 *
 * Output levels: detailed (19), high (5), and two binaries that are produced
 * only when asked for by name, each with a note saying what it merges.
 * 'BAME' is never produced.
 *
 * The category tables are read-only data compiled into the program. A
 * classifier (built-in aliases plus a council's own) is owned by whoever
 * calls ethnicity_classifier_new() and is freed with
 * ethnicity_classifier_free(); it is read-only after loading, so threads may
 * share it.
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

/* ---- matching labels ---- */

/* What a label matched. A label that names only a high-level group
 * ('Asian', 'Black or Black British') matches with `id` = -1. */
struct ethnicity_match {
	int id;                      /* enum ethnicity_id, or -1 for group only */
	enum ethnicity_group group;
	bool from_2011;              /* matched a 2011-only label */
	bool from_alias;             /* matched a council alias */
};

struct ethnicity_classifier;

int ethnicity_classifier_new(struct ethnicity_classifier **out,
			     struct parity_error *err);
/*
 * Add a council's aliases from a CSV file with header `label,category`,
 * where category is a stable code or any label the classifier accepts.
 * Errors (a malformed file, an unknown category, an alias that contradicts
 * a built-in label or an earlier alias) name FILE:LINE:COLUMN.
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
 * prefer-not-to-say spellings give ETH_PREFER_NOT_TO_SAY. An unknown or
 * ambiguous label fills `err` (code PARITY_ERR_VALIDATION, no location: the
 * caller adds it) with a message naming the label and up to three closest
 * categories, and returns -1.
 */
int ethnicity_classify(const struct ethnicity_classifier *c, const char *label,
		       struct ethnicity_match *out, struct parity_error *err);
void ethnicity_classifier_free(struct ethnicity_classifier *c);

/* Normalise a label for matching into `out` (lower case, separators and
 * spacing folded); exposed for tests and the alias loader. */
void ethnicity_normalise(const char *label, char *out, size_t size);

#endif
