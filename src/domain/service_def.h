/*
 * service_def.h - the services parity measures (youth justice, school
 * exclusions, stop and search, and any a user adds), their ordered stages,
 * and the ethnic groups services record.
 *
 * A service is defined by a JSON file (one of data/services/, compiled in;
 * a user may load more with service_defs_load_file()). It names its stages
 * in order, the first being the base every rate starts from (a population,
 * pupils on roll), and may name alternative bases: other first stages a
 * return can give counts for (people present in an area rather than
 * residents), one of which a report can use instead. A stage may be
 * 'within' an earlier one (its people or events are a subset of that
 * stage's), which imports then hold returns to. The format is in
 * docs/formats/service-return.md.
 *
 * Ethnic groups. Services record ethnicity at whatever level their systems
 * have: the 19 ONS 2021 categories, the school census's own categories, the
 * 5 high-level groups, or the police's officer-defined groups. A service
 * group is one of:
 *   - a detailed 2021 category (the enum ethnicity_id values 0..18);
 *   - one of two school census categories that no 2021 category equals:
 *     'Traveller of Irish heritage' and 'Gypsy/Roma' (2021 splits people
 *     differently: Gypsy or Irish Traveller, and Roma), kept as recorded;
 *   - one of the 5 high-level groups, for data that has only those;
 *   - not known, or prefer not to say.
 * Counts are kept at the level they came in: a high-level count is never
 * spread across the categories inside it. Detailed counts can always be
 * added up to the high level.
 *
 * Ownership: a definition set is owned by whoever calls
 * service_defs_load() and freed with service_defs_free(); it is read-only
 * after loading.
 */
#ifndef PARITY_DOMAIN_SERVICE_DEF_H
#define PARITY_DOMAIN_SERVICE_DEF_H

#include "base/error.h"
#include "domain/ethnicity.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- service groups ---- */

enum service_group {
	/* 0..18: the detailed 2021 categories, as enum ethnicity_id */
	SVC_TRAVELLER_IRISH = ETHNICITY_DETAILED_COUNT, /* DfE 'Traveller of Irish heritage' */
	SVC_GYPSY_ROMA,                                   /* DfE 'Gypsy/Roma' */
	SVC_HIGH_FIRST,                                   /* + enum ethnicity_group */
	SVC_NOT_KNOWN = SVC_HIGH_FIRST + ETHNICITY_HIGH_COUNT,
	SVC_PREFER_NOT_TO_SAY,
	SVC_GROUP_COUNT
};

/* Stable code: WBRI ... OOTH, WIRT, WGYR, W, M, A, B, O, NK, PNS. */
const char *service_group_code(int g);
/* Label for the tidy table: the detailed full label, 'White: Traveller of
 * Irish heritage (school census)', a high-level group's label, 'Not
 * known', 'Prefer not to say'. */
const char *service_group_label(int g);
/* The high-level group g is in (ETH_GROUP_NOT_KNOWN etc. for those). */
enum ethnicity_group service_group_high(int g);
/* Whether g is below the high level (a 2021 category or a school census
 * category). */
bool service_group_is_detailed(int g);
bool service_group_is_declared(int g);
/* The group with this code (case-insensitive), or -1. */
int service_group_find_code(const char *code);
/* A note the group carries wherever it is reported, or NULL. */
const char *service_group_note(int g);

/*
 * Classify a label as services record them. First the service crosswalk
 * (docs/formats/service-return.md): the school census's 'Gypsy/Roma',
 * 'Traveller of Irish heritage' and 'Unclassified', the police's
 * officer-defined groups and IC codes; then the ethnicity classifier, where
 * a label naming only a high-level group ('Black') gives that group. On
 * failure `err` holds the classifier's message (no location) and -1 is
 * returned.
 */
int service_group_classify(const struct ethnicity_classifier *cls,
			   const char *label, int *out,
			   struct parity_error *err);

/* ---- definitions ---- */

struct service_stage {
	char *name;
	char **aliases;
	size_t alias_count;
	char *verb;  /* 'are arrested'; NULL for a base */
	char *who;   /* 'who are arrested': those at this stage */
	char *description; /* for alternative bases */
	size_t from;  /* the stage this one's rate is taken of: the one
		       * before, unless the definition says otherwise (an
		       * out-of-court disposal is given instead of a charge,
		       * so it is taken of arrests) */
	bool nested;  /* its people or events are a subset of those at
		       * stage `within` (the definition's 'within': true for
		       * the `from` stage, or an earlier stage's name), so
		       * no group counts more here than there; the import
		       * refuses a return where one does */
	size_t within;
};

struct service_def {
	char *name;   /* 'youth-justice' */
	char *title;  /* 'Youth justice' */
	char *people; /* 'young people' */
	char *recording; /* how the service records ethnic groups, in
			  * words for readers (which groups it has and
			  * why), or NULL: the definition's 'recording' */
	struct service_stage *stages; /* stages[0] is the base */
	size_t stage_count;
	struct service_stage *bases;  /* alternative bases */
	size_t base_count;
	char *source; /* where it was defined: 'built in' or the file */
};

struct service_defs {
	struct service_def *defs;
	size_t count;
};

/* The built-in definitions (data/services/). */
int service_defs_load(struct service_defs **out, struct parity_error *err);
/* Add the definitions in a user's JSON file (one object, or an array of
 * them). A name already defined is an error. Every error is located
 * FILE:LINE:COLUMN: where a syntax error is, or at the value at fault. */
int service_defs_load_file(struct service_defs *defs, const char *path,
			   struct parity_error *err);
void service_defs_free(struct service_defs *defs);

/* The service with this name (case-insensitive; '_' and ' ' read as '-'),
 * or NULL. */
const struct service_def *service_def_find(const struct service_defs *defs,
					   const char *name);
/*
 * The stage a label names (its name or an alias; case, spaces, hyphens and
 * underscores ignored): its index in stages, or for an alternative base
 * stage_count + its index in bases; -1 when none.
 */
int service_stage_find(const struct service_def *def, const char *label);
/* The stage or base at an index returned by service_stage_find(). */
const struct service_stage *service_stage_at(const struct service_def *def,
					     size_t index);

/* ---- national areas ---- */

/*
 * Published service statistics are often national (the DfE's exclusions by
 * ethnicity are for England only). These areas are not in the area set
 * (area.h), whose every area is London or a local authority; service
 * returns and reports accept them beside it. They contain no boroughs.
 */
struct service_national_area {
	const char *code;
	const char *name;
};
/* The national area with this code or name (case-insensitive), or NULL. */
const struct service_national_area *service_national_area_find(
	const char *code_or_name);

#endif
