/*
 * practice_hub.h - what the good-practice pool's routes share
 * (practice_hub.c): the API (practice_api.c), the pages (practice_pages.c)
 * and Race Matters (digest_page.c). Private to server/.
 */
#ifndef PARITY_SERVER_PRACTICE_HUB_H
#define PARITY_SERVER_PRACTICE_HUB_H

#include "handlers.h"

#include "practice/practice.h"
#include "practice/search.h"
#include "store/practice_store.h"

#include <stdbool.h>

struct practice_call {
	struct route_call *c;
	struct practice_actor actor;
};

/* Who acts for `c`: a council's accounts for their council, analysts
 * seeing all, everyone else only what is approved; audited. */
void practice_actor_init(struct practice_call *pc, struct route_call *c);
/* The search the request asks for (q, council, subregion, strand,
 * service_area, tag, status, limit). */
void practice_query_from(const struct route_call *c, struct practice_query *q);
/* Version ?id= as the asker may see it: 1 (*row filled; release it), 0
 * (404 answered, as a page when `page`), -1 (500 answered). */
int practice_visible_row(struct practice_call *pc, struct practice_row *row,
			 bool page);
/* Read the record in `text` and send it for council c->area_code (as the
 * next version of `record` when not 0): 0 (*id set), 1 (its problems in
 * `problems`), -1 (`err`). */
int practice_submit_text(struct practice_call *pc, const char *text,
			 size_t len, int64_t record, struct diag_list *problems,
			 int64_t *id, struct parity_error *err);
/* Approve (`decision` "approve") or return ("return", with `comments`)
 * version ?id=: 0, or -1 with `err`. */
int practice_moderate(struct practice_call *pc, const char *decision,
		      const char *comments, struct parity_error *err);
/* ---- documents attached to a version (practice/attachment.h) ---- */

/* The document a request carries: the field 'file' of a
 * multipart/form-data body (named by its filename), or the whole body
 * of any other type, named by ?name=. 0, or -1 with *status, *code and
 * `message` saying what is missing. */
int practice_document_of(const struct route_call *c, const char **data,
			 size_t *len, const char **name, int *status,
			 const char **code, char *message, size_t size);
/* Attach it to version c->id as pc's actor: 0 (*n set), or -1 with
 * *status (404, 409, 413, 415, 422, 500) and *code for the answer, and
 * the reason in err->message. */
int practice_document_attach(struct practice_call *pc, const char *data,
			     size_t len, const char *name,
			     struct attachment_verdict *v, int *n, int *status,
			     const char **code, struct parity_error *err);
/* Answer with document c->n of version c->id, as the asker may see it:
 * its bytes with its media type, Content-Disposition: attachment and its
 * name. 0, or -1 when there is none to see (nothing answered) or the
 * store failed (500 answered as JSON: *failed set). */
int practice_document_send(struct practice_call *pc, bool *failed);

/* The Learning Lab's sessions from today (`upcoming`) or before it, by
 * day: 0 (free them with learning_events_free()), or -1. */
int practice_events_of(struct route_call *c, bool upcoming,
		       struct learning_event_row **rows, size_t *n);

#endif
