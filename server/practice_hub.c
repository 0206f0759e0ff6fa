/*
 * practice_hub.c - what the good-practice pool's routes share (practice_hub.h):
 * who acts (the signed-in account, audited through hub_audit_within() in
 * the change's transaction), a search read from the request, a version as
 * the asker may see it, a council's record read and sent, an analyst's
 * decision, the documents attached to a version (read from a request,
 * attached with their refusals turned into statuses, and sent back), and
 * the Learning Lab's sessions on either side of today.
 */
#include "practice_hub.h"

#include "page.h"

#include "base/clock.h"
#include "base/number.h"
#include "hub/accounts.h"
#include "practice/learning_lab.h"

#include <stdio.h>
#include <string.h>

static int audit(void *ctx, const char *action, const char *area_code,
		 int64_t id, const char *detail, struct parity_error *err)
{
	struct practice_call *pc = ctx;

	(void)id;  /* the detail names the record and version */
	return hub_audit_within(pc->c->store, pc->c->who, action, area_code,
				0, 0, "ok", detail, pc->c->now, err);
}

void practice_actor_init(struct practice_call *pc, struct route_call *c)
{
	memset(pc, 0, sizeof(*pc));
	pc->c = c;
	pc->actor.by = c->who->email;
	pc->actor.area_code = c->who->role == HUB_ROLE_SUBMITTER ||
					      c->who->role == HUB_ROLE_VIEWER
				      ? c->who->area_code
				      : "";
	pc->actor.sees_all = c->who->role == HUB_ROLE_ANALYST;
	pc->actor.now = c->now;
	pc->actor.audit = audit;
	pc->actor.audit_ctx = pc;
}

void practice_query_from(const struct route_call *c, struct practice_query *q)
{
	long limit = 0;

	memset(q, 0, sizeof(*q));
	q->text = server_param(c->req, "q");
	q->area_code = server_param(c->req, "council");
	q->subregion = server_param(c->req, "subregion");
	q->strand = server_param(c->req, "strand");
	q->service_area = server_param(c->req, "service_area");
	q->tag = server_param(c->req, "tag");
	q->status = server_param(c->req, "status");
	if (server_param(c->req, "limit") &&
	    number_parse_int(server_param(c->req, "limit"), 1, 1000, &limit) == 0)
		q->limit = (size_t)limit;
}

/* Version ?id= as `who` may see it: 1 (*row filled), 0 (404 answered),
 * -1 (500 answered). */
int practice_visible_row(struct practice_call *pc, struct practice_row *row,
		       bool page)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *id_text = server_param(pc->c->req, "id");
	long id;
	int rc;

	if (!id_text || number_parse_int(id_text, 1, 1L << 40, &id) < 0)
		rc = 0;
	else
		rc = practice_store_get(pc->c->store, id, row, &err);
	if (rc > 0 && !practice_visible(row, &pc->actor)) {
		practice_row_release(row);
		rc = 0;
	}
	if (rc == 0) {
		if (page)
			page_refusal(pc->c, 404);
		else
			server_json_error(pc->c->res, 404, "not_found",
					  "there is no such practice record");
	} else if (rc < 0) {
		server_store_error(pc->c->res, &err);
	}
	return rc;
}

/* Read and submit the record(s) in `text` for council c->area_code:
 * 0 (ids written), 1 (problems in `problems`), -1 (`err`). */
int practice_submit_text(struct practice_call *pc, const char *text,
		       size_t len, int64_t record, struct diag_list *problems,
		       int64_t *id, struct parity_error *err)
{
	struct practice_record *r = NULL;
	size_t n = 0;
	int rc;

	if (practice_parse(text, len, "practice", pc->c->ctx->areas, &r, &n,
			   problems, err) < 0)
		return 1;
	if (n != 1) {
		practice_records_free(r, n);
		diag_add(problems, DIAG_ERROR, "practice", 1, 1,
			 "send one record at a time");
		return 1;
	}
	rc = practice_submit(pc->c->store, &r[0], pc->c->area_code, record,
			     &pc->actor, id, err);
	practice_records_free(r, n);
	return rc < 0 ? -1 : 0;
}

/* Approve or return version ?id= (analysts): 0, or -1 with `err`. */
int practice_moderate(struct practice_call *pc, const char *decision,
		    const char *comments, struct parity_error *err)
{
	const char *id_text = server_param(pc->c->req, "id");
	long id;

	if (!id_text || number_parse_int(id_text, 1, 1L << 40, &id) < 0)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"id must be a version's number");
	if (decision && strcmp(decision, "approve") == 0)
		return practice_approve(pc->c->store, id, &pc->actor, err);
	if (decision && strcmp(decision, "return") == 0)
		return practice_return(pc->c->store, id, comments, &pc->actor,
				       err);
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"decision is approve or return");
}

int practice_document_of(const struct route_call *c, const char **data,
			 size_t *len, const char **name, int *status,
			 const char **code, char *message, size_t size)
{
	const char *type = c->req->content_type;
	const struct server_field *file;

	if (type && strncmp(type, "multipart/form-data", 19) == 0) {
		file = server_form(c->req, "file");
		if (!file || !file->filename || file->len == 0) {
			*status = 400;
			*code = "bad_parameter";
			snprintf(message, size, "choose a file: the form has no "
				 "document in its field 'file'");
			return -1;
		}
		*data = file->value;
		*len = file->len;
		*name = file->filename;
		return 0;
	}
	if (type && strncmp(type, "application/x-www-form-urlencoded",
			    33) == 0) {
		*status = 415;
		*code = "unsupported_media_type";
		snprintf(message, size, "a document is sent as the field "
			 "'file' of multipart/form-data, or as the body with "
			 "?name=");
		return -1;
	}
	*name = server_query(c->req, "name");
	if (!*name || !(*name)[0]) {
		*status = 400;
		*code = "bad_parameter";
		snprintf(message, size, "name the document: ?name=FILE.pdf "
			 "(or .docx, .xlsx)");
		return -1;
	}
	/* the type the sender gives is not trusted: the bytes say it */
	*data = c->req->body;
	*len = c->req->body_len;
	return 0;
}

int practice_document_attach(struct practice_call *pc, const char *data,
			     size_t len, const char *name,
			     struct attachment_verdict *v, int *n, int *status,
			     const char **code, struct parity_error *err)
{
	if (practice_attach(pc->c->store, pc->c->id, name, data, len,
			    pc->c->ctx->max_attachment, &pc->actor, v, n,
			    err) == 0)
		return 0;
	switch (err->code) {
	case PARITY_ERR_NOT_FOUND:
	case PARITY_ERR_DENIED:
		*status = 404;
		*code = "not_found";
		break;
	case PARITY_ERR_VALIDATION:
		*status = v->refusal == ATTACHMENT_TOO_LARGE ? 413
			  : v->refusal == ATTACHMENT_WRONG_TYPE ? 415
			  : v->refusal != ATTACHMENT_ACCEPTED ? 422
							       : 409;
		*code = v->refusal == ATTACHMENT_TOO_LARGE ? "too_large"
			: v->refusal == ATTACHMENT_WRONG_TYPE
				? "unsupported_media_type"
			: v->refusal != ATTACHMENT_ACCEPTED
				? "invalid_attachment"
				: "conflict";
		break;
	default: {
		const char *message;

		*status = server_store_answer(err, code, &message);
		snprintf(err->message, sizeof(err->message), "%s", message);
		break;
	}
	}
	return -1;
}

int practice_document_send(struct practice_call *pc, bool *failed)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_attachment_row d;
	struct route_call *c = pc->c;
	char disposition[ATTACHMENT_NAME_MAX + 64];

	*failed = false;
	if (practice_attachment(c->store, c->id, c->n, &pc->actor, &d,
				&err) < 0) {
		if (err.code == PARITY_ERR_NOT_FOUND)
			return -1;
		*failed = true;
		server_json_error(c->res, 500, "store", "the store failed");
		return -1;
	}
	c->res->status = 200;
	c->res->content_type = attachment_media_type(
		attachment_type_parse(d.type));
	strbuf_reset(&c->res->body);
	strbuf_add(&c->res->body, d.bytes, (size_t)d.size);
	/* the name is plain (letters, digits, '.', '-', '_', spaces) */
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"%s\"", d.name);
	server_response_header(c->res, "Content-Disposition", disposition);
	/* X-Content-Type-Options: nosniff goes with every answer (http.c) */
	server_response_header(c->res, "Cache-Control", "private, no-cache");
	practice_attachment_row_release(&d);
	return 0;
}

/* The events from today (`upcoming`) or before it, by day. */
int practice_events_of(struct route_call *c, bool upcoming,
		     struct learning_event_row **rows, size_t *n)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char today[CLOCK_DATE_SIZE], yesterday[CLOCK_DATE_SIZE];

	clock_utc_date(c->now, today, sizeof(today));
	clock_utc_date(c->now - 86400, yesterday, sizeof(yesterday));
	return learning_events_list(c->store, upcoming ? today : NULL,
				    upcoming ? NULL : yesterday, rows, n,
				    &err);
}

