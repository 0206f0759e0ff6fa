/*
 * assessment.h - a council's assessment against a framework: reading one
 * from its JSON (docs/formats/assessment.md), the evidence parity's own
 * figures give (each linked criterion's figure with its interval, and the
 * level it suggests), checking it, saving it as a draft and submitting
 * it, and the JSON template a council fills in.
 *
 * One assessment per framework, council and year, kept in versions
 * (store/assessment_store.h): saving rewrites the draft; submitting makes
 * the version immutable; a change after that starts the next version.
 * The framework version an assessment was made against is kept with it,
 * so a new framework version never rewrites a past assessment.
 *
 * Rules kept here (docs/frameworks.md):
 *   - a criterion's level is the council's choice; when it differs from
 *     the level the figures suggest, a reason is required;
 *   - a submitted standard or toolkit has a level for every criterion; a
 *     submitted survey an answer to every question for at least one
 *     service area;
 *   - an action's owner is a role ("Director of HR"), never a person's
 *     name: text that reads as a name (a title such as Mr or Cllr, an
 *     email address, or two or three capitalised words with no word of a
 *     role in them) is refused;
 *   - an action's measure is one the criterion links to (by measure
 *     name), or a link written out in full; its starting value is the
 *     council's figure for the assessment's year, written when saved.
 *
 * Figures are computed from the store's returns through the same pooled
 * functions `parity report` uses (measure/pooled.h), unsuppressed: they
 * are the council's own. Who may see them is the front ends' rule.
 *
 * Who acts. Writing functions take a struct standard_actor: who (as the
 * audit log names them), their council ("" for London-wide roles), the
 * time, and an audit callback, called inside the transaction of the
 * change so that the entry and the change commit together (the hub's
 * hub_audit_within(): the Standard sits below the hub and cannot call it
 * itself). Authorisation (who may call what) is the front ends' rule
 * table; the functions here keep the rules of the data (a council cannot
 * review itself; only the assigned council signs a review off).
 *
 * Errors are values: 0 or -1 with a struct parity_error; a file's many
 * problems go to a struct diag_list, located.
 */
#ifndef PARITY_STANDARD_ASSESSMENT_H
#define PARITY_STANDARD_ASSESSMENT_H

#include "base/diag.h"
#include "base/error.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/service_def.h"
#include "standard/framework.h"
#include "store/assessment_store.h"
#include "store/store.h"
#include "table/table.h"

#include <stdbool.h>
#include <stddef.h>

/* What figures are computed from; everything borrowed. */
struct standard_data {
	struct store *store;
	const struct area_set *areas;
	const struct benchmark *census;      /* NULL: no representation
					      * measures */
	const struct service_defs *services; /* NULL: no service measures */
};

/*
 * The audit entry of a change, written inside its transaction: `action`
 * (the names are in docs/frameworks.md: "standard.save",
 * "standard.submit", "standard.review.assign", ...), the council
 * concerned, the year, and a detail without any personal data. 0 or -1.
 */
typedef int (*standard_audit_fn)(void *ctx, const char *action,
				 const char *area_code, int year,
				 const char *detail, struct parity_error *err);

struct standard_actor {
	const char *by;         /* an email, or "cli:USER" */
	const char *area_code;  /* their council; "" for London-wide roles */
	long now;               /* seconds since 1970-01-01 UTC */
	standard_audit_fn audit;   /* may be NULL: no audit */
	void *audit_ctx;
};

/* ---- figures ---- */

/* A council's figure for a link. */
struct standard_figure {
	bool found;          /* false: no such row (no return, too few
			      * staff, ...); note says why */
	int year;
	double value, ci_low, ci_high, numerator, denominator, p_value;
	int suggested;       /* the level the link's rules suggest; 0: none */
	char note[1024];
};

/*
 * The figure of `link` for council `area_code` in `year`, and the level
 * it suggests: 0 (found or not: out->found says), or -1 on an error.
 */
int standard_figure(const struct standard_data *d,
		    const struct framework_link *link, const char *area_code,
		    int year, struct standard_figure *out,
		    struct parity_error *err);

/*
 * Fill each criterion's suggested level and figure (the lowest level any
 * of its links suggests, and that link's figure) and each action's
 * starting value, for a->area_code and a->year. Criteria without links
 * keep suggested 0.
 */
int standard_evidence_fill(const struct standard_data *d,
			   const struct framework *f, struct assessment *a,
			   struct parity_error *err);

/*
 * The evidence as tidy-table rows for council `area_code` in `year`: for
 * each linked criterion, the figure's own row (its measure, with the
 * note saying which criterion it is evidence for) and a
 * `standard_suggested_level` row (breakdown the criterion, value the
 * level, flag its id).
 */
int standard_evidence_table(const struct standard_data *d,
			    const struct framework *f, const char *area_code,
			    int year, struct tidy_table *out,
			    struct parity_error *err);

/* ---- reading and checking ---- */

/*
 * Read an assessment of `f` from JSON text named `where`; `area_code` and
 * `year` are the council and year it is for (the file may repeat them,
 * and must then agree). Every problem is appended to `problems`, located;
 * 0 and *out filled (release with assessment_release()), or -1.
 */
int assessment_parse(const struct framework_set *set, const char *text,
		     size_t len, const char *where, const char *area_code,
		     int year, struct assessment *out,
		     struct diag_list *problems);

/*
 * Check `a` (with its evidence filled) against `f`: reasons for levels
 * that differ from the suggestion, and with `complete`, a level for every
 * criterion (or an answer to every question). Problems appended, located
 * where the assessment was read from `where`; 0 or -1.
 */
int assessment_check(const struct framework *f, const struct assessment *a,
		     bool complete, const char *where,
		     struct diag_list *problems);

/* Whether `text` reads as a person's name rather than a role (see
 * above). */
bool assessment_owner_looks_like_name(const char *text);

/* ---- saving ---- */

/*
 * Save `a` as the draft of its framework, council and year: over the
 * draft when there is one, else as the next version. With `submit`, then
 * submit it (it must be complete: assessment_check() with `complete`).
 * On return a->id and a->version are set. Audited as "standard.save" or
 * "standard.submit".
 */
int assessment_save(struct store *s, const struct framework *f,
		    struct assessment *a, bool submit,
		    const struct standard_actor *who,
		    struct parity_error *err);

/*
 * The newest version of council `area_code`'s assessment of framework
 * `framework_id` for `year` (only a submitted one, when
 * `submitted_only`): 1 and *out filled, 0 when none, -1.
 */
int assessment_get(struct store *s, const char *framework_id,
		   const char *area_code, int year, bool submitted_only,
		   struct assessment *out, struct parity_error *err);

/* ---- the template ---- */

/*
 * The JSON a council fills in for `f`, as a new string (the caller frees
 * it): every criterion with its levels to choose from, or every question
 * for every service area, and the action plan. `current` (may be NULL)
 * is this year's assessment with its evidence filled (standard_evidence_
 * fill()): each linked criterion shows its figure and suggested level,
 * and its levels, evidence and actions are shown as saved. `earlier` (may
 * be NULL) is an earlier year's: where `current` has no level, its
 * levels, evidence and actions are carried forward, through the
 * framework's mapping when it was made against another version.
 */
char *assessment_template(const struct framework *f,
			  const struct assessment *current,
			  const struct assessment *earlier);

#endif
