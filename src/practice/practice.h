/*
 * practice.h - the central resource pool of good practice (practice.c):
 * councils' practice records, read from JSON (docs/formats/practice.md)
 * with every problem located at FILE:LINE:COLUMN, submitted by a council
 * for its own area in versions, and moderated by London Councils'
 * analysts: approved (then seen beyond the council, and searchable), or
 * returned with comments for a new version. The starter set built into
 * parity (data/practice/practice-starter.json) is loaded the same way, marked as
 * examples.
 *
 * Who acts is a struct practice_actor: an email or "cli:USER", the
 * council of a council's account ("" for London-wide roles), the time,
 * and an audit callback (the hub's audit log sits above this layer).
 *
 * Documents attached to a version (PDF, DOCX, XLSX, checked by their
 * content: attachment.h) follow the version: added and removed by its
 * council while it waits for moderation, seen by whoever may see it, and
 * carried over to the record's next version.
 *
 * Ownership: practice_parse() gives records the caller frees with
 * practice_records_free(); a struct practice_record owns its strings.
 */
#ifndef PARITY_PRACTICE_PRACTICE_H
#define PARITY_PRACTICE_PRACTICE_H

#include "base/diag.h"
#include "base/error.h"
#include "domain/area.h"
#include "practice/attachment.h"
#include "store/practice_store.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most of each list a record holds, and the longest texts. */
#define PRACTICE_MAX_LIST 20
#define PRACTICE_TITLE_MAX 200
#define PRACTICE_TEXT_MAX 8000

/* The programme's three strands. */
extern const char *const practice_strands[];        /* NULL-terminated */
/* Service areas: hr, education, youth-justice, policing, ... */
extern const char *const practice_service_areas[];  /* NULL-terminated */
/* idea, pilot, established, evaluated. */
extern const char *const practice_statuses[];       /* NULL-terminated */

struct practice_resource {
	char *title, *url;
};

struct practice_link {
	char *measure, *breakdown, *group;  /* breakdown, group may be NULL */
};

struct practice_record {
	char *title;
	char *leads[PRACTICE_MAX_LIST];     /* area codes */
	size_t nleads;
	char *partners[PRACTICE_MAX_LIST];
	size_t npartners;
	char *strand, *service_area, *status;
	char *tags[PRACTICE_MAX_LIST];      /* lower case */
	size_t ntags;
	char *summary, *what_was_done, *outcomes, *evidence;  /* may be NULL
							       * but summary */
	struct practice_resource resources[PRACTICE_MAX_LIST];
	size_t nresources;
	char *contact_role;
	char *started;                      /* YYYY-MM, or NULL */
	struct practice_link measures[PRACTICE_MAX_LIST];
	size_t nmeasures;
	bool example;
};

/*
 * Read the records of a JSON text: one record (an object) or several (an
 * array of them). Every problem is added to `problems`, located in
 * `where` (a file name); lead councils are checked against `areas` and
 * kept as codes, linked measures against the registry. 0 with *out and
 * *n set (when `problems` has no errors), or -1: PARITY_ERR_PARSE for a
 * text that is not JSON, PARITY_ERR_VALIDATION for records with errors.
 */
int practice_parse(const char *text, size_t len, const char *where,
		   const struct area_set *areas,
		   struct practice_record **out, size_t *n,
		   struct diag_list *problems, struct parity_error *err);
void practice_record_release(struct practice_record *r);
void practice_records_free(struct practice_record *r, size_t n);

/* The record as JSON, as the store keeps it (a string to free). */
char *practice_record_json(const struct practice_record *r);

/* Who acts, and where their actions are audited. */
typedef int (*practice_audit_fn)(void *ctx, const char *action,
				 const char *area_code, int64_t id,
				 const char *detail, struct parity_error *err);
struct practice_actor {
	const char *by;          /* an email, or "cli:USER" */
	const char *area_code;   /* their council; "" for anyone else */
	bool sees_all;           /* London Councils' analysts and admins,
				  * and the command line: every version */
	long now;
	practice_audit_fn audit; /* may be NULL */
	void *audit_ctx;
};

/*
 * Submit `r` for council `area_code` (a lead council of it): as a new
 * record when `record` is 0, else as the next version of that record,
 * which must be the council's. A council's account submits only for its
 * own area (PARITY_ERR_DENIED otherwise). Audited as practice.submit;
 * *id is the version's.
 */
int practice_submit(struct store *s, const struct practice_record *r,
		    const char *area_code, int64_t record,
		    const struct practice_actor *who, int64_t *id,
		    struct parity_error *err);
/* Approve version `id` (an analyst): it becomes what readers see and
 * search. Audited as practice.approve. */
int practice_approve(struct store *s, int64_t id,
		     const struct practice_actor *who,
		     struct parity_error *err);
/* Return version `id` with `comments` (required): the council sends a new
 * version. Audited as practice.return. */
int practice_return(struct store *s, int64_t id, const char *comments,
		    const struct practice_actor *who,
		    struct parity_error *err);

/*
 * Load the starter set (data/practice/practice-starter.json, examples written for
 * parity) into the store as approved records of the councils it names,
 * unless a record with the same title is there already. *added says how
 * many were added.
 */
int practice_load_starter(struct store *s, const struct area_set *areas,
			  const struct practice_actor *who, size_t *added,
			  struct parity_error *err);

/* A strand's or service area's id as readers read it, into `buf`:
 * "youth-justice" as "Youth justice", "hr" as "HR". */
void practice_label(const char *id, char *buf, size_t size);

/* Whether `who` may read version `row`: approved versions by anyone; the
 * others by its council's accounts and by those who see all only. */
bool practice_visible(const struct practice_row *row,
		      const struct practice_actor *who);

/* ---- documents attached to a version ---- */

/* The most documents a version holds. */
#define PRACTICE_MAX_ATTACHMENTS 20

/*
 * Attach `len` bytes declared as `name` to version `id`, with
 * `max_bytes` the size limit: the version must wait for moderation and
 * be the council's own (those who see all attach to any council's). The
 * document is checked by attachment_check(); *v says what was found and
 * *n is its number within the version. Audited as practice.attach. -1
 * with PARITY_ERR_NOT_FOUND (no such version, or not one `who` may
 * see), PARITY_ERR_DENIED (another council's), PARITY_ERR_VALIDATION
 * (moderated already, too many documents, or the document refused:
 * v->refusal says why when it is the document), or another code.
 */
int practice_attach(struct store *s, int64_t id, const char *name,
		    const void *data, size_t len, size_t max_bytes,
		    const struct practice_actor *who,
		    struct attachment_verdict *v, int *n,
		    struct parity_error *err);
/* Remove document `n` of version `id`, on the same terms. Audited as
 * practice.detach. */
int practice_detach(struct store *s, int64_t id, int n,
		    const struct practice_actor *who,
		    struct parity_error *err);
/* The documents of version `id` (without their bytes), when `who` may
 * see it (else PARITY_ERR_NOT_FOUND); free with
 * practice_attachment_rows_free(). */
int practice_attachments(struct store *s, int64_t id,
			 const struct practice_actor *who,
			 struct practice_attachment_row **rows, size_t *n,
			 struct parity_error *err);
/* Document `n` of version `id` with its bytes, when `who` may see it:
 * 0 (*out filled; release it), or -1 (PARITY_ERR_NOT_FOUND when there
 * is none to see). */
int practice_attachment(struct store *s, int64_t id, int n,
			const struct practice_actor *who,
			struct practice_attachment_row *out,
			struct parity_error *err);

#endif
