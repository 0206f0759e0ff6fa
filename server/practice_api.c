/*
 * practice_api.c - the good-practice pool in the JSON API: search with
 * filters and their counts, one version (one not approved only for its
 * council's accounts and analysts), a council's submission with every
 * problem located, an analyst's moderation, the documents attached to a
 * version (listed, uploaded, downloaded, removed), and the Learning Lab's
 * sessions.
 */
#include "practice_hub.h"

#include "base/number.h"
#include "base/strbuf.h"
#include "practice/learning_lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *hit_json(const struct practice_hit *h)
{
	json_t *o = json_pack("{s:I, s:I, s:i, s:s, s:s, s:s, s:s, s:s, s:b}",
			      "id", (json_int_t)h->row.id, "record",
			      (json_int_t)h->row.record, "version",
			      h->row.version, "title", h->row.title,
			      "council", h->row.area_code, "strand",
			      h->row.strand, "service_area",
			      h->row.service_area, "status", h->row.status,
			      "example", h->row.example);

	if (o && h->snippet) {
		struct strbuf sb = STRBUF_INIT;
		const char *p;

		for (p = h->snippet; *p; p++) {
			if (*p == '\x01')
				strbuf_addstr(&sb, "<mark>");
			else if (*p == '\x02')
				strbuf_addstr(&sb, "</mark>");
			else
				strbuf_addch(&sb, *p);
		}
		json_object_set_new(o, "snippet", json_string(sb.buf));
		strbuf_release(&sb);
	}
	return o;
}

void api_practice_search(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_query q;
	struct practice_results res;
	json_t *hits, *counts;
	size_t k;

	practice_query_from(c, &q);
	if (!q.limit)
		q.limit = 20;
	if (practice_search(c->store, c->ctx->areas, &q, &res, &err) < 0) {
		if (err.code == PARITY_ERR_USAGE)
			server_json_error(c->res, 400, "bad_parameter", "%s",
					  err.message);
		else
			server_json_error(c->res, 500, "store",
					  "the search could not be made");
		return;
	}
	hits = json_array();
	counts = json_array();
	for (k = 0; k < res.count; k++)
		json_array_append_new(hits, hit_json(&res.hits[k]));
	for (k = 0; k < res.nfacets; k++)
		json_array_append_new(counts, json_pack(
			"{s:s, s:s, s:I}", "filter", res.facets[k].filter,
			"value", res.facets[k].value, "count",
			(json_int_t)res.facets[k].count));
	server_json(c->res, 200, json_pack("{s:I, s:o, s:o}", "total",
					   (json_int_t)res.total, "results",
					   hits, "counts", counts));
	practice_results_release(&res);
}

/* Version ?id= as `who` may see it: 1 (*row filled), 0 (404 answered),
 * -1 (500 answered). */
void api_practice_record(struct route_call *c)
{
	struct practice_call pc;
	struct practice_row row;
	json_error_t jerr;
	json_t *doc;

	practice_actor_init(&pc, c);
	if (practice_visible_row(&pc, &row, false) <= 0)
		return;
	doc = json_loads(row.body, 0, &jerr);
	server_json(c->res, 200, json_pack(
		"{s:I, s:I, s:i, s:s, s:s, s:s*, s:o}", "id",
		(json_int_t)row.id, "record", (json_int_t)row.record,
		"version", row.version, "council", row.area_code, "state",
		row.state, "comments", row.comments, "practice",
		doc ? doc : json_null()));
	practice_row_release(&row);
}

void api_practice_submit(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct practice_call pc;
	const char *record_text = server_query(c->req, "record");
	long record = 0;
	int64_t id = 0;
	int rc;

	practice_actor_init(&pc, c);
	if (!c->area_code) {
		server_json_error(c->res, 400, "bad_parameter",
				  "area is required");
		return;
	}
	if (record_text &&
	    number_parse_int(record_text, 1, 1L << 40, &record) < 0) {
		server_json_error(c->res, 400, "bad_parameter",
				  "record must be a record's number");
		return;
	}
	if (!c->req->content_type ||
	    strncmp(c->req->content_type, "application/json", 16) != 0) {
		server_json_error(c->res, 415, "unsupported_media_type",
				  "a practice record is sent as "
				  "application/json");
		return;
	}
	rc = practice_submit_text(&pc, c->req->body, c->req->body_len, record,
			 &problems, &id, &err);
	if (rc > 0)
		server_json(c->res, 422, json_pack(
			"{s:s, s:s, s:I, s:o}", "code", "invalid_practice",
			"message", "the record has problems: nothing was "
				   "stored",
			"errors", (json_int_t)problems.errors, "problems",
			server_problems_json(&problems)));
	else if (rc < 0 && (err.code == PARITY_ERR_DENIED ||
			    err.code == PARITY_ERR_NOT_FOUND))
		server_json_error(c->res, 404, "not_found", "%s", err.message);
	else if (rc < 0 && err.code == PARITY_ERR_VALIDATION)
		server_json_error(c->res, 409, "conflict", "%s", err.message);
	else if (rc < 0)
		server_store_error(c->res, &err);
	else
		server_json(c->res, 201, json_pack("{s:I, s:s}", "id",
						   (json_int_t)id, "state",
						   "submitted"));
	diag_list_release(&problems);
}

void api_practice_moderate(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_call pc;
	json_error_t jerr;
	json_t *body = NULL, *comments;

	practice_actor_init(&pc, c);
	if (c->req->body_len)
		body = json_loadb(c->req->body, c->req->body_len, 0, &jerr);
	comments = body ? json_object_get(body, "comments") : NULL;
	if (practice_moderate(&pc, server_query(c->req, "decision"),
		     json_is_string(comments) ? json_string_value(comments)
					      : NULL,
		     &err) < 0) {
		if (err.code == PARITY_ERR_USAGE)
			server_json_error(c->res, 400, "bad_parameter", "%s",
					  err.message);
		else if (err.code == PARITY_ERR_VALIDATION)
			server_json_error(c->res, 409, "conflict", "%s",
					  err.message);
		else
			server_store_error(c->res, &err);
	} else
		server_json(c->res, 200, json_pack("{s:s}", "state",
						   strcmp(server_query(
							  c->req, "decision"),
							  "approve") == 0
							   ? "approved"
							   : "returned"));
	json_decref(body);
}

static json_t *document_json(const struct practice_attachment_row *d)
{
	char href[96];

	snprintf(href, sizeof(href), "/api/v1/practice/%lld/attachments/%d",
		 (long long)d->practice_id, d->n);
	return json_pack("{s:i, s:s, s:s, s:s, s:I, s:s, s:s}", "n", d->n,
			 "name", d->name, "type", d->type, "media_type",
			 attachment_media_type(attachment_type_parse(d->type)),
			 "size", (json_int_t)d->size, "sha256", d->sha256,
			 "href", href);
}

void api_practice_attachments(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_attachment_row *rows;
	struct practice_call pc;
	json_t *list;
	size_t n, k;

	practice_actor_init(&pc, c);
	if (practice_attachments(c->store, c->id, &pc.actor, &rows, &n,
				 &err) < 0) {
		if (err.code == PARITY_ERR_NOT_FOUND)
			server_json_error(c->res, 404, "not_found",
					  "there is no such practice record");
		else
			server_json_error(c->res, 500, "store",
					  "the store failed");
		return;
	}
	list = json_array();
	for (k = 0; k < n; k++)
		json_array_append_new(list, document_json(&rows[k]));
	practice_attachment_rows_free(rows, n);
	server_json(c->res, 200, json_pack("{s:I, s:o}", "id",
					   (json_int_t)c->id, "attachments",
					   list));
}

void api_practice_attach(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attachment_verdict v;
	struct practice_attachment_row *rows;
	struct practice_call pc;
	const char *data, *name, *code;
	char message[256];
	size_t len, n, k;
	int status, number;

	practice_actor_init(&pc, c);
	if (practice_document_of(c, &data, &len, &name, &status, &code,
				 message, sizeof(message)) < 0) {
		server_json_error(c->res, status, code, "%s", message);
		return;
	}
	if (practice_document_attach(&pc, data, len, name, &v, &number,
				     &status, &code, &err) < 0) {
		server_json_error(c->res, status, code, "%s", err.message);
		return;
	}
	/* answer with the document as the list gives it */
	if (practice_attachments(c->store, c->id, &pc.actor, &rows, &n,
				 &err) < 0) {
		server_store_error(c->res, &err);
		return;
	}
	for (k = 0; k < n && rows[k].n != number; k++)
		;
	if (k < n)
		server_json(c->res, 201, document_json(&rows[k]));
	else
		server_json_error(c->res, 500, "store", "the store failed");
	practice_attachment_rows_free(rows, n);
}

void api_practice_attachment(struct route_call *c)
{
	struct practice_call pc;
	bool failed;

	practice_actor_init(&pc, c);
	if (practice_document_send(&pc, &failed) < 0 && !failed)
		server_json_error(c->res, 404, "not_found",
				  "there is no such document");
}

void api_practice_detach(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_call pc;

	practice_actor_init(&pc, c);
	if (practice_detach(c->store, c->id, c->n, &pc.actor, &err) == 0) {
		c->res->status = 204;
		strbuf_reset(&c->res->body);
	} else if (err.code == PARITY_ERR_NOT_FOUND ||
		   err.code == PARITY_ERR_DENIED) {
		server_json_error(c->res, 404, "not_found", "%s", err.message);
	} else if (err.code == PARITY_ERR_VALIDATION) {
		server_json_error(c->res, 409, "conflict", "%s", err.message);
	} else {
		server_store_error(c->res, &err);
	}
}

void api_events(struct route_call *c)
{
	struct learning_event_row *rows;
	json_t *list;
	size_t n, k;
	int when;

	list = json_object();
	for (when = 0; when < 2; when++) {
		json_t *events = json_array();

		if (practice_events_of(c, when == 0, &rows, &n) < 0) {
			json_decref(events);
			json_decref(list);
			server_json_error(c->res, 500, "store",
					  "the store failed");
			return;
		}
		for (k = 0; k < n; k++)
			json_array_append_new(events,
					      learning_event_json(&rows[k]));
		learning_events_free(rows, n);
		json_object_set_new(list, when == 0 ? "upcoming" : "past",
				    events);
	}
	server_json(c->res, 200, list);
}

