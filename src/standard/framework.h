/*
 * framework.h - the frameworks councils assess themselves against: the
 * Racial Equality Standard, the employer strand's toolkits and the
 * services strand's survey, all on one engine (docs/frameworks.md).
 *
 * A framework is data: a JSON file (data/frameworks/, compiled in; more
 * may be read from files), validated when it is loaded. It has an id and
 * a version, a kind (standard, toolkit or survey), and themes:
 *   - a standard's or toolkit's themes hold criteria. The framework names
 *     its maturity levels, three or four, lowest first; every criterion
 *     describes each level and the evidence expected for it. A criterion
 *     may link to measures parity computes (by measure name, and the
 *     breakdown, ethnic group and level of the row), each with rules
 *     (thresholds) that suggest a level from the council's figure;
 *   - a survey's themes hold questions: a choice (one of its options), a
 *     scale (a whole number from min to max) or free text, answered for
 *     each of the survey's service areas.
 * A new version of a framework may say how its criteria carry forward
 * from an older version (`carry_forward`): which old criterion each new
 * one continues. Criteria with the same id continue each other unless the
 * mapping says otherwise. Assessments keep the version they were made
 * against, so a new version never rewrites one.
 *
 * Validation lists every problem, each at FILE:LINE:COLUMN (a syntax
 * error where Jansson found it; a problem of meaning at the value at
 * fault, found through a position index of the text, jsonpos.h): wrong
 * types, missing or unknown levels, duplicate ids, links to measures the
 * registry (table/measure_def.h) does not know, rules without a bound or
 * naming an unknown level, and a carry-forward mapping to criteria that
 * are not there. Unknown members are warnings.
 *
 * Ownership: a framework is owned by whoever loaded it and freed with
 * framework_free(); a set owns its frameworks (framework_set_free()).
 * Both are read-only once loaded, so one may be shared by threads.
 */
#ifndef PARITY_STANDARD_FRAMEWORK_H
#define PARITY_STANDARD_FRAMEWORK_H

#include "base/diag.h"
#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

enum framework_kind {
	FRAMEWORK_STANDARD,
	FRAMEWORK_TOOLKIT,
	FRAMEWORK_SURVEY
};
/* "standard", "toolkit", "survey". */
const char *framework_kind_name(enum framework_kind kind);

#define FRAMEWORK_MIN_LEVELS 3
#define FRAMEWORK_MAX_LEVELS 4

/* A maturity level: levels are numbered 1 (the lowest) to nlevels. */
struct framework_level {
	char *id;      /* "developing" */
	char *title;   /* "Developing" */
};

/* A rule of a link: the figure suggests `level` when it is at least
 * `at_least` and below `below` (either may be NAN: no bound). Rules are
 * tried in order; the first that holds suggests the level. */
struct framework_rule {
	int level;
	double at_least;
	double below;
};

/* A measure a criterion links to: the row of the council's figures with
 * this measure, breakdown and ethnicity (each "" for any: the first row),
 * at this ethnicity level (detailed, high, ...; "" for detailed), of this
 * service (service measures only: "youth-justice"). */
struct framework_link {
	char *measure;
	char *breakdown;
	char *ethnicity;
	char *level;
	char *service;
	struct framework_rule *rules;
	size_t nrules;
};

struct framework_level_text {
	char *description;  /* what the level looks like */
	char *evidence;     /* the evidence expected for it */
};

struct framework_criterion {
	char *id;
	char *title;
	size_t theme;       /* index into themes */
	struct framework_level_text levels[FRAMEWORK_MAX_LEVELS];
	struct framework_link *links;
	size_t nlinks;
};

enum question_type {
	QUESTION_CHOICE,
	QUESTION_SCALE,
	QUESTION_TEXT
};
/* "choice", "scale", "text". */
const char *question_type_name(enum question_type type);

struct framework_option {
	char *id;
	char *label;
};

struct framework_question {
	char *id;
	char *text;
	size_t theme;
	enum question_type type;
	struct framework_option *options;  /* choice */
	size_t noptions;
	int scale_min, scale_max;           /* scale */
	char *min_label, *max_label;        /* scale; "" when none */
};

struct framework_theme {
	char *id;
	char *title;
	size_t first, count;  /* its criteria (or questions): [first,
			       * first + count) */
};

/* A service area a survey is answered for. */
struct framework_service_area {
	char *id;
	char *title;
};

/* One pair of the carry-forward mapping: old criterion `from` (of
 * from_version) continues as `to` in this version (NULL: not carried). */
struct framework_carry {
	char *from;
	char *to;
};

struct framework {
	char *id;
	int version;
	enum framework_kind kind;
	char *title;
	char *status;        /* who wrote it and what it is for: the shipped
			      * ones say they are a starting point for the
			      * programme to edit */
	char *source;        /* where it was read from (a file's path, or
			      * "built in: NAME") */
	struct framework_level levels[FRAMEWORK_MAX_LEVELS];
	size_t nlevels;      /* 0 for a survey */
	struct framework_theme *themes;
	size_t nthemes;
	struct framework_criterion *criteria;  /* in theme order */
	size_t ncriteria;
	struct framework_question *questions;  /* in theme order */
	size_t nquestions;
	struct framework_service_area *service_areas;
	size_t nservice_areas;
	int carry_from;      /* the version carried forward from; 0: none */
	struct framework_carry *carry;
	size_t ncarry;
};

/*
 * Read a framework from `text` (len bytes) named `where` in messages.
 * Every problem is appended to `problems`, located; returns 0 and *out
 * (the caller frees it with framework_free()) when there is no error, -1
 * (and *out NULL) otherwise. Warnings do not fail.
 */
int framework_parse(const char *text, size_t len, const char *where,
		    struct framework **out, struct diag_list *problems);
/* The same for a file; a file that cannot be read is one problem. */
int framework_read_file(const char *path, struct framework **out,
			struct diag_list *problems);
void framework_free(struct framework *f);

/* The criterion, question, theme, level, option or service area with this
 * id: its index, or -1. A level may also be named by its number ("3"). */
int framework_criterion_find(const struct framework *f, const char *id);
int framework_question_find(const struct framework *f, const char *id);
int framework_theme_find(const struct framework *f, const char *id);
int framework_level_find(const struct framework *f, const char *id);
int framework_option_find(const struct framework_question *q,
			  const char *id);
int framework_service_area_find(const struct framework *f, const char *id);
/* The id of level `level` (1-based), or "" out of range. */
const char *framework_level_id(const struct framework *f, int level);

/* The level the rules of `link` suggest for `value`: 1..nlevels, or 0
 * when no rule holds (or value is NAN). */
int framework_link_suggest(const struct framework_link *link, double value);

/*
 * The id in `f` that criterion `old_id` of version `from_version` carries
 * forward to, or NULL when it is not carried. From the same version, the
 * id itself when it is there; from f->carry_from, the mapping first, then
 * the same id; from any other version, NULL.
 */
const char *framework_carry_forward(const struct framework *f,
				    int from_version, const char *old_id);

/* ---- the set of frameworks parity knows ---- */

struct framework_set {
	struct framework **items;
	size_t count;
};

/* The frameworks built in (data/frameworks/). Problems (there should be
 * none) are appended to `problems`; -1 when there is an error. The caller
 * frees *out with framework_set_free(). */
int framework_set_load(struct framework_set **out,
		       struct diag_list *problems);
/* Add the framework in file `path`; refused (a problem) when the set
 * already has its id and version. */
int framework_set_add_file(struct framework_set *set, const char *path,
			   struct diag_list *problems);
void framework_set_free(struct framework_set *set);
/* The framework with this id and version (0: the newest), or NULL. */
const struct framework *framework_find(const struct framework_set *set,
				       const char *id, int version);

#endif
