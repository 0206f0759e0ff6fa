/*
 * router.c - the hub's routes in one table, and the one path every
 * request takes through them: find the route, resolve who is asking (a
 * session cookie or a bearer token), check the query's parameters, find
 * the council the request is about, authorise (access.c), call the
 * handler.
 */
#include "router.h"
#include "server.h"

#include "access.h"
#include "handlers.h"

#include "base/alloc.h"
#include "base/utf8.h"
#include "store/practice_store.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a route finds the council it is about. */
enum area_source {
	AREA_NONE,       /* about no one council */
	AREA_QUERY,      /* ?area=CODE (a council's own accounts: their
			  * council when it is left out) */
	AREA_SUBMISSION, /* the submission {id} in the path */
	AREA_PRACTICE    /* the council that sent the practice version {id}
			  * in the path */
};

struct route {
	const char *method;
	const char *pattern;      /* "/api/v1/returns/{id}/quality" */
	enum access_rule rule;
	enum area_source area;
	void (*handler)(struct route_call *c);
	const char *params[12];    /* the query parameters it takes */
	bool page;                /* a page: refusals are pages too */
};

static const struct route routes[] = {
	{ "GET", "/api/v1/areas", ACCESS_PUBLIC, AREA_NONE, api_areas,
	  { NULL }, false },
	{ "GET", "/api/v1/benchmarks", ACCESS_PUBLIC, AREA_NONE,
	  api_benchmarks, { "area", "level", NULL }, false },
	{ "POST", "/api/v1/returns", ACCESS_AREA_WRITE, AREA_QUERY,
	  api_returns_upload, { "kind", "area", "year", NULL }, false },
	{ "POST", "/api/v1/objections", ACCESS_AREA_WRITE, AREA_QUERY,
	  api_objection, { "area", NULL }, false },
	{ "GET", "/api/v1/returns", ACCESS_AREA_READ, AREA_QUERY,
	  api_returns_list, { "area", "year", "kind", NULL }, false },
	{ "GET", "/api/v1/returns/{id}", ACCESS_AREA_READ, AREA_SUBMISSION,
	  api_return_get, { NULL }, false },
	{ "GET", "/api/v1/returns/{id}/quality", ACCESS_AREA_READ,
	  AREA_SUBMISSION, api_return_quality, { NULL }, false },
	{ "GET", "/api/v1/reports/workforce", ACCESS_PUBLIC, AREA_NONE,
	  api_report_workforce,
	  { "area", "year", "level", "reference", "format", NULL }, false },
	{ "GET", "/api/v1/reports/service", ACCESS_PUBLIC, AREA_NONE,
	  api_report_service,
	  { "service", "area", "year", "level", "format", NULL }, false },
	{ "GET", "/api/v1/status", ACCESS_ANALYST, AREA_NONE, api_status,
	  { "year", NULL }, false },
	{ "POST", "/api/v1/publications", ACCESS_ANALYST, AREA_NONE,
	  api_publication, { "year", NULL }, false },
	{ "GET", "/api/v1/session", ACCESS_SIGNED_IN, AREA_NONE,
	  api_session_get, { NULL }, false },
	{ "POST", "/api/v1/session", ACCESS_PUBLIC, AREA_NONE,
	  api_session_create, { NULL }, false },
	{ "DELETE", "/api/v1/session", ACCESS_SIGNED_IN, AREA_NONE,
	  api_session_delete, { NULL }, false },
	{ "POST", "/api/v1/invitation", ACCESS_PUBLIC, AREA_NONE,
	  api_invitation_accept, { NULL }, false },
	/* the Racial Equality Standard (standard_api.c) */
	{ "GET", "/api/v1/frameworks", ACCESS_PUBLIC, AREA_NONE,
	  api_frameworks, { NULL }, false },
	{ "GET", "/api/v1/assessments", ACCESS_AREA_READ, AREA_QUERY,
	  api_assessment_get, { "framework", "area", "year", NULL }, false },
	{ "POST", "/api/v1/assessments", ACCESS_AREA_WRITE, AREA_QUERY,
	  api_assessment_save,
	  { "framework", "area", "year", "submit", NULL }, false },
	{ "GET", "/api/v1/standard/benchmark", ACCESS_SIGNED_IN, AREA_NONE,
	  api_standard_benchmark, { "framework", "year", NULL }, false },
	{ "POST", "/api/v1/reviews", ACCESS_ANALYST, AREA_NONE,
	  api_review_assign,
	  { "framework", "area", "year", "reviewer", NULL }, false },
	{ "POST", "/api/v1/reviews/entries", ACCESS_REVIEWER, AREA_NONE,
	  api_review_record,
	  { "framework", "area", "year", "sign_off", NULL }, false },
	{ "POST", "/api/v1/reviews/response", ACCESS_AREA_WRITE, AREA_QUERY,
	  api_review_respond, { "framework", "area", "year", NULL }, false },
	/* the good-practice pool (practice_hub.c) */
	{ "GET", "/api/v1/practice", ACCESS_PUBLIC, AREA_NONE,
	  api_practice_search,
	  { "q", "council", "subregion", "strand", "service_area", "tag",
	    "status", "limit", NULL }, false },
	{ "GET", "/api/v1/practice/record", ACCESS_PUBLIC, AREA_NONE,
	  api_practice_record, { "id", NULL }, false },
	{ "POST", "/api/v1/practice", ACCESS_AREA_WRITE, AREA_QUERY,
	  api_practice_submit, { "area", "record", NULL }, false },
	{ "POST", "/api/v1/practice/moderation", ACCESS_ANALYST, AREA_NONE,
	  api_practice_moderate, { "id", "decision", NULL }, false },
	/* documents attached to a version: seen as the version is, added
	 * and removed by its council while it waits for moderation */
	{ "GET", "/api/v1/practice/{id}/attachments", ACCESS_PUBLIC,
	  AREA_PRACTICE, api_practice_attachments, { NULL }, false },
	{ "POST", "/api/v1/practice/{id}/attachments", ACCESS_AREA_WRITE,
	  AREA_PRACTICE, api_practice_attach, { "name", NULL }, false },
	{ "GET", "/api/v1/practice/{id}/attachments/{n}", ACCESS_PUBLIC,
	  AREA_PRACTICE, api_practice_attachment, { NULL }, false },
	{ "DELETE", "/api/v1/practice/{id}/attachments/{n}", ACCESS_AREA_WRITE,
	  AREA_PRACTICE, api_practice_detach, { NULL }, false },
	{ "GET", "/api/v1/events", ACCESS_PUBLIC, AREA_NONE, api_events,
	  { NULL }, false },
	/* the hub's pages */
	{ "GET", "/hub/parity.css", ACCESS_PUBLIC, AREA_NONE, page_css,
	  { NULL }, true },
	{ "GET", "/hub/", ACCESS_SIGNED_IN, AREA_NONE, page_home, { NULL },
	  true },
	{ "GET", "/hub/sign-in", ACCESS_PUBLIC, AREA_NONE, page_sign_in_form,
	  { NULL }, true },
	{ "POST", "/hub/sign-in", ACCESS_PUBLIC, AREA_NONE, page_sign_in,
	  { NULL }, true },
	{ "POST", "/hub/sign-out", ACCESS_SIGNED_IN, AREA_NONE,
	  page_sign_out, { NULL }, true },
	{ "GET", "/invitation/{token}", ACCESS_PUBLIC, AREA_NONE,
	  page_invitation_form, { NULL }, true },
	{ "POST", "/invitation/{token}", ACCESS_PUBLIC, AREA_NONE,
	  page_invitation, { NULL }, true },
	{ "GET", "/hub/upload", ACCESS_AREA_WRITE, AREA_QUERY,
	  page_upload_form, { "area", NULL }, true },
	{ "POST", "/hub/upload", ACCESS_AREA_WRITE, AREA_QUERY, page_upload,
	  { NULL }, true },
	{ "GET", "/hub/returns", ACCESS_AREA_READ, AREA_QUERY, page_returns,
	  { "area", NULL }, true },
	{ "GET", "/hub/figures", ACCESS_AREA_READ, AREA_QUERY, page_figures,
	  { "area", "year", "level", NULL }, true },
	{ "GET", "/hub/status", ACCESS_ANALYST, AREA_NONE, page_status,
	  { "year", NULL }, true },
	{ "POST", "/hub/publish", ACCESS_ANALYST, AREA_NONE, page_publish,
	  { NULL }, true },
	{ "GET", "/hub/standard", ACCESS_SIGNED_IN, AREA_NONE, page_standard,
	  { "framework", "year", NULL }, true },
	{ "GET", "/hub/standard/benchmark", ACCESS_SIGNED_IN, AREA_NONE,
	  page_standard_benchmark, { "framework", "year", NULL }, true },
	{ "GET", "/hub/assessment", ACCESS_AREA_READ, AREA_QUERY,
	  page_assessment, { "framework", "year", "area", "saved", NULL },
	  true },
	{ "POST", "/hub/assessment", ACCESS_AREA_WRITE, AREA_QUERY,
	  page_assessment_save, { NULL }, true },
	{ "POST", "/hub/review/assign", ACCESS_ANALYST, AREA_NONE,
	  page_review_assign, { NULL }, true },
	{ "GET", "/hub/review", ACCESS_REVIEWER, AREA_NONE, page_review,
	  { "framework", "year", "area", NULL }, true },
	{ "POST", "/hub/review", ACCESS_REVIEWER, AREA_NONE,
	  page_review_record, { NULL }, true },
	{ "POST", "/hub/review/respond", ACCESS_AREA_WRITE, AREA_QUERY,
	  page_review_respond, { NULL }, true },
	{ "GET", "/hub/practice", ACCESS_PUBLIC, AREA_NONE, page_practice,
	  { "q", "council", "subregion", "strand", "service_area", "tag",
	    "status", "limit", NULL }, true },
	{ "GET", "/hub/practice/record", ACCESS_PUBLIC, AREA_NONE,
	  page_practice_record, { "id", NULL }, true },
	{ "GET", "/hub/practice/submit", ACCESS_AREA_WRITE, AREA_QUERY,
	  page_practice_submit_form, { "area", NULL }, true },
	{ "POST", "/hub/practice/submit", ACCESS_AREA_WRITE, AREA_QUERY,
	  page_practice_submit, { NULL }, true },
	{ "POST", "/hub/practice/moderate", ACCESS_ANALYST, AREA_NONE,
	  page_practice_moderate, { NULL }, true },
	{ "POST", "/hub/practice/{id}/attachments", ACCESS_AREA_WRITE,
	  AREA_PRACTICE, page_practice_attach, { NULL }, true },
	{ "GET", "/hub/practice/{id}/attachments/{n}", ACCESS_PUBLIC,
	  AREA_PRACTICE, page_practice_attachment, { NULL }, true },
	{ "POST", "/hub/practice/{id}/attachments/{n}/remove",
	  ACCESS_AREA_WRITE, AREA_PRACTICE, page_practice_detach, { NULL },
	  true },
	{ "GET", "/hub/learning-lab", ACCESS_PUBLIC, AREA_NONE,
	  page_learning_lab, { NULL }, true },
	{ "GET", "/hub/digest", ACCESS_ANALYST, AREA_NONE, page_digest,
	  { NULL }, true },
	{ "GET", "/hub/digest/issue", ACCESS_ANALYST, AREA_NONE,
	  page_digest_issue, { "since", "until", "as", NULL }, true },
	{ "POST", "/hub/digest/keep", ACCESS_ANALYST, AREA_NONE,
	  page_digest_keep, { NULL }, true },
	{ "GET", "/hub/accounts", ACCESS_ADMIN, AREA_NONE, page_accounts,
	  { NULL }, true },
	{ "POST", "/hub/accounts/invite", ACCESS_ADMIN, AREA_NONE,
	  page_account_invite, { NULL }, true },
	{ "POST", "/hub/accounts/reset", ACCESS_ADMIN, AREA_NONE,
	  page_account_reset, { NULL }, true },
	{ "POST", "/hub/accounts/disable", ACCESS_ADMIN, AREA_NONE,
	  page_account_disable, { NULL }, true },
	{ "POST", "/hub/accounts/unlock", ACCESS_ADMIN, AREA_NONE,
	  page_account_unlock, { NULL }, true },
};

const struct server_route_info *server_route_info(size_t index)
{
	static struct server_route_info info[sizeof(routes) /
					     sizeof(routes[0])];

	if (index >= sizeof(routes) / sizeof(routes[0]))
		return NULL;
	info[index].method = routes[index].method;
	info[index].pattern = routes[index].pattern;
	info[index].rule = access_rule_name(routes[index].rule);
	info[index].about_area = routes[index].area != AREA_NONE;
	return &info[index];
}

void server_response_init(struct server_response *res)
{
	memset(res, 0, sizeof(*res));
	res->status = 200;
	res->content_type = "text/plain; charset=utf-8";
	strbuf_init(&res->body);
	res->route = "-";
}

void server_response_release(struct server_response *res)
{
	size_t k;

	for (k = 0; k < res->nheaders; k++) {
		free(res->headers[k].name);
		free(res->headers[k].value);
	}
	free(res->headers);
	free(res->file);
	strbuf_release(&res->body);
	server_response_init(res);
}

void server_response_header(struct server_response *res, const char *name,
			    const char *value)
{
	res->headers = xgrow(res->headers, &res->headers_cap,
			     res->nheaders + 1, sizeof(*res->headers));
	res->headers[res->nheaders].name = xstrdup(name);
	res->headers[res->nheaders].value = xstrdup(value);
	res->nheaders++;
}

const char *server_query(const struct server_request *req, const char *name)
{
	size_t k;

	for (k = 0; k < req->nquery; k++)
		if (strcmp(req->query[k].name, name) == 0)
			return req->query[k].value;
	return NULL;
}

const struct server_field *server_form(const struct server_request *req,
				       const char *name)
{
	size_t k;

	for (k = 0; k < req->nform; k++)
		if (strcmp(req->form[k].name, name) == 0)
			return &req->form[k];
	return NULL;
}

const char *server_param(const struct server_request *req, const char *name)
{
	const char *v = server_query(req, name);
	const struct server_field *f;

	if (v)
		return v;
	f = server_form(req, name);
	return f && !f->filename ? f->value : NULL;
}

void server_json(struct server_response *res, int status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII)
		       : NULL;

	res->status = status;
	res->content_type = "application/json";
	strbuf_reset(&res->body);
	if (text) {
		strbuf_add(&res->body, text, strlen(text));
		free(text);
	} else {
		strbuf_addstr(&res->body, "{}");
	}
	json_decref(v);
}

/* Make `s` well-formed UTF-8, as Jansson takes it (a string it refuses
 * is lost): each byte that does not begin a well-formed character (of a
 * parameter echoed, or a character cut short by the message's size)
 * becomes '?'. */
static void utf8_repair(char *s)
{
	size_t len = strlen(s), off = 0, bad;

	while (off < len && !utf8_valid(s + off, len - off, &bad)) {
		s[off + bad] = '?';
		off += bad + 1;
	}
}

void server_json_error(struct server_response *res, int status,
		       const char *code, const char *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	utf8_repair(message);
	server_json(res, status, json_pack("{s:s, s:s}", "code", code,
					   "message", message));
}

int server_unwritable(enum parity_status code, const char **name)
{
	if (code == PARITY_ERR_FULL) {
		*name = "store_full";
		return 507;
	}
	if (code == PARITY_ERR_READ_ONLY) {
		*name = "store_read_only";
		return 503;
	}
	return 0;
}

int server_store_status(const struct parity_error *err)
{
	const char *name;
	int status = server_unwritable(err->code, &name);

	return status ? status : 500;
}

int server_store_answer(const struct parity_error *err, const char **code,
			const char **message)
{
	int status = server_unwritable(err->code, code);
	char detail[sizeof(err->message) + sizeof(err->file) + 32];

	if (!status) {
		*code = "store";
		*message = "the store failed";
		return 500;
	}
	*message = status == 507
			   ? "the store is full: the disk holding it has no "
			     "room, so nothing was changed; try again once "
			     "space is made"
			   : "the store is read-only: it cannot be written, so "
			     "nothing was changed; it can still be read";
	parity_error_format(err, detail, sizeof(detail));
	fprintf(stderr, "parity: a request changed nothing (%s): %s\n", *code,
		detail);
	return status;
}

void server_store_error(struct server_response *res,
			const struct parity_error *err)
{
	const char *code, *message;
	int status = server_store_answer(err, &code, &message);

	server_json_error(res, status, code, "%s", message);
}

/* Whether `c` may be in a secret as hub_invite() makes them (unpadded
 * base64url). */
static bool secret_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A whole number from 1 to `max` at *path, its digits passed: 0, or -1
 * when there is none (or it is larger). */
static int path_number(const char **path, int64_t max, int64_t *out)
{
	const char *p = *path;
	int64_t v = 0;
	int digits = 0;

	while (*p >= '0' && *p <= '9' && digits < 16) {
		v = v * 10 + (*p - '0');
		p++;
		digits++;
	}
	if (digits == 0 || digits > 15 || v == 0 || v > max ||
	    (*p >= '0' && *p <= '9'))
		return -1;
	*path = p;
	*out = v;
	return 0;
}

/*
 * Whether `path` fits `pattern`, a segment at a time; {id} takes a whole
 * number from 1 to 10^15, put in *id; {n} one from 1 to 9999, put in *n;
 * {token} a secret of HUB_SECRET_CHARS characters.
 */
static bool path_matches(const char *pattern, const char *path, int64_t *id,
			 int64_t *number)
{
	while (*pattern && *path) {
		if (strncmp(pattern, "{token}", 7) == 0) {
			int n = 0;

			while (n <= HUB_SECRET_CHARS && secret_char(path[n]))
				n++;
			if (n != HUB_SECRET_CHARS)
				return false;
			path += n;
			pattern += 7;
			continue;
		}
		if (strncmp(pattern, "{id}", 4) == 0) {
			if (path_number(&path, 999999999999999LL, id) < 0)
				return false;
			pattern += 4;
			continue;
		}
		if (strncmp(pattern, "{n}", 3) == 0) {
			if (path_number(&path, 9999, number) < 0)
				return false;
			pattern += 3;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

/* Who is asking: a bearer token, else a session cookie, else the public.
 * Returns 0, or the status to answer with (a token that is not valid:
 * 401; the store failing: server_store_status()). */
static int resolve_who(const struct server_context *ctx, struct store *store,
		       const struct server_request *req, long now,
		       struct hub_principal *who, struct server_response *res)
{
	struct parity_error err = PARITY_ERROR_INIT;
	int rc;

	hub_principal_public(who);
	if (req->authorization) {
		const char *token = req->authorization;

		if (strncmp(token, "Bearer ", 7) != 0) {
			server_json_error(res, 401, "unauthenticated",
					  "Authorization must be 'Bearer "
					  "TOKEN'");
			return 401;
		}
		rc = hub_token_resolve(store, token + 7, now, who, &err);
		if (rc < 0) {
			server_store_error(res, &err);
			return server_store_status(&err);
		}
		if (rc == 0) {
			server_json_error(res, 401, "unauthenticated",
					  "the token is not valid: unknown, "
					  "revoked, or its account disabled");
			return 401;
		}
		return 0;
	}
	if (req->session) {
		/* a stale cookie is no one: the public */
		rc = hub_session_resolve(store, req->session, now,
					 &ctx->limits, who, &err);
		if (rc < 0) {
			server_store_error(res, &err);
			return server_store_status(&err);
		}
	}
	return 0;
}

/* Whether every query parameter is one the route takes. */
static bool params_known(const struct route *r,
			 const struct server_request *req, const char **bad)
{
	size_t k, j;

	for (k = 0; k < req->nquery; k++) {
		bool known = false;

		for (j = 0; r->params[j]; j++)
			if (strcmp(r->params[j], req->query[k].name) == 0)
				known = true;
		if (!known) {
			*bad = req->query[k].name;
			return false;
		}
	}
	return true;
}

static bool plain_word(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_' || *s == '-'))
			return false;
	return n > 0 && n <= 32;
}

static bool state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Find the route for `req`: NULL with `res` filled (404 or 405) when
 * there is none. */
static const struct route *find_route(const struct server_request *req,
				      int64_t *id, int64_t *n,
				      struct server_response *res)
{
	char allow[64] = "";
	size_t k;

	for (k = 0; k < sizeof(routes) / sizeof(routes[0]); k++) {
		int64_t v = 0, w = 0;
		size_t used;

		if (!path_matches(routes[k].pattern, req->path, &v, &w))
			continue;
		if (strcmp(routes[k].method, req->method) == 0 ||
		    (strcmp(req->method, "HEAD") == 0 &&
		     strcmp(routes[k].method, "GET") == 0)) {
			*id = v;
			*n = w;
			return &routes[k];
		}
		used = strlen(allow);
		snprintf(allow + used, sizeof(allow) - used, "%s%s",
			 used ? ", " : "", routes[k].method);
	}
	if (allow[0]) {
		server_response_header(res, "Allow", allow);
		server_json_error(res, 405, "method_not_allowed",
				  "%s is not allowed here; allowed: %s",
				  req->method, allow);
	} else {
		server_json_error(res, 404, "not_found",
				  "there is nothing at this address");
	}
	return NULL;
}

/* Answer a refusal as the route answers: a page or JSON. */
static void refuse(const struct route *r, struct route_call *call,
		   int status)
{
	if (r->page) {
		page_refusal(call, status);
		return;
	}
	if (status == 401) {
		server_response_header(call->res, "WWW-Authenticate",
				       "Bearer realm=\"parity\"");
		server_json_error(call->res, 401, "unauthenticated",
				  "sign in, or send a token");
	} else if (status == 404) {
		server_json_error(call->res, 404, "not_found",
				  "there is nothing at this address");
	} else {
		server_json_error(call->res, 403, "forbidden",
				  "your account may not do this");
	}
}

/* The CSRF token a change carries: the X-CSRF-Token header, or a form's
 * csrf field. */
static const char *csrf_of(const struct server_request *req)
{
	const struct server_field *f = server_form(req, "csrf");

	if (req->csrf)
		return req->csrf;
	return f && !f->filename ? f->value : NULL;
}

/* The council a request is about, into call->area_code (NULL for none),
 * and the submission for {id} routes (for practice routes, the council
 * that sent version {id}). Returns 0, or -1 with `res` filled. */
static int find_area(const struct route *r, struct route_call *call,
		     int64_t id, struct store_submission *sub)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *named;
	int a, rc;

	call->area_code = NULL;
	if (r->area == AREA_QUERY) {
		const struct server_field *f = server_form(call->req, "area");

		named = server_query(call->req, "area");
		if (!named && f && !f->filename)
			named = f->value;
		if (!named) {
			/* a council's own accounts mean their council */
			if (call->who->area_code[0])
				call->area_code = call->who->area_code;
			return 0;
		}
		a = area_find(call->ctx->areas, named);
		if (a < 0) {
			refuse(r, call, 404);
			return -1;
		}
		call->area_code = call->ctx->areas->areas[a].code;
		return 0;
	}
	if (r->area == AREA_SUBMISSION) {
		rc = store_submission_get(call->store, id, sub, &err);
		if (rc < 0 && err.code != PARITY_ERR_NOT_FOUND) {
			server_json_error(call->res, 500, "store",
					  "the store failed");
			return -1;
		}
		if (rc < 0) {
			refuse(r, call, 404);
			return -1;
		}
		call->sub = sub;
		call->area_code = sub->area_code;
	}
	if (r->area == AREA_PRACTICE) {
		struct practice_row row;

		rc = practice_store_get(call->store, id, &row, &err);
		if (rc < 0) {
			server_json_error(call->res, 500, "store",
					  "the store failed");
			return -1;
		}
		if (rc == 0) {
			refuse(r, call, 404);
			return -1;
		}
		a = area_find(call->ctx->areas, row.area_code);
		practice_row_release(&row);
		call->area_code = a >= 0 ? call->ctx->areas->areas[a].code
					 : NULL;
	}
	return 0;
}

/* The council whose rows a request's handler may touch, to the store's
 * row-level security (PostgreSQL): an analyst's or admin's, all of
 * London; a council's account's, its council's; the public's, none (what
 * it may read is seen by everyone: approved practice, shared
 * assessments). */
static const char *acting_council(const struct hub_principal *who)
{
	if (who->role == HUB_ROLE_ANALYST || who->role == HUB_ROLE_ADMIN)
		return "*";
	return who->area_code;
}

/* Act for `council`: 0, or -1 with a 500 answered. */
static int act_for(struct store *store, const char *council,
		   struct server_response *res)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (store_act_for(store, council, &err) == 0)
		return 0;
	server_json_error(res, 500, "store", "the store failed");
	return -1;
}

void server_handle(const struct server_context *ctx, struct store *store,
		   const struct server_request *req, long now,
		   struct server_response *res)
{
	struct hub_principal who;
	struct store_submission sub;
	struct route_call call;
	const struct route *r;
	enum access_decision d;
	const char *bad = NULL;
	int64_t id = 0, n = 0;

	memset(&call, 0, sizeof(call));
	call.ctx = ctx;
	call.store = store;
	call.req = req;
	call.now = now;
	call.who = &who;
	call.res = res;
	/* who is asking, and whether they may, is the hub's to decide
	 * London-wide (a refusal names the council whose data was asked
	 * for); what the handler then reads and writes is held to the
	 * caller's council by the database as well */
	if (act_for(store, "*", res) < 0 ||
	    resolve_who(ctx, store, req, now, &who, res) != 0)
		return;
	res->account_id = who.account_id;
	if (strncmp(req->path, "/api/", 5) != 0 &&
	    strncmp(req->path, "/hub/", 5) != 0 &&
	    strncmp(req->path, "/invitation/", 12) != 0) {
		if (strcmp(req->method, "GET") != 0 &&
		    strcmp(req->method, "HEAD") != 0) {
			server_response_header(res, "Allow", "GET, HEAD");
			server_json_error(res, 405, "method_not_allowed",
					  "the published site is read with "
					  "GET");
			return;
		}
		res->route = "/{published site}";
		site_file(&call);
		return;
	}
	r = find_route(req, &id, &n, res);
	if (!r)
		return;
	call.id = id;
	call.n = (int)n;
	res->route = r->pattern;
	if (req->too_many_params || !params_known(r, req, &bad)) {
		/* a name is repeated only when it is a plain word */
		server_json_error(res, 400, "bad_parameter",
				  "unknown parameter '%s'; this address "
				  "takes: %s%s%s%s",
				  bad && plain_word(bad) ? bad : "?",
				  r->params[0] ? r->params[0] : "none",
				  r->params[1] ? ", " : "",
				  r->params[1] ? r->params[1] : "",
				  r->params[2] ? ", ..." : "");
		return;
	}
	if (req->bad_form) {
		server_json_error(res, 400, "bad_form",
				  "the form could not be read");
		return;
	}
	/* a form or script signed in by cookie proves it is the hub's own */
	if (state_changing(req->method) && who.session_id != 0 &&
	    !hub_csrf_check(&who, csrf_of(req))) {
		server_json_error(res, 403, "csrf",
				  "this change needs the session's CSRF "
				  "token (X-CSRF-Token, or the form's)");
		return;
	}
	if (find_area(r, &call, id, &sub) < 0)
		return;
	d = access_decide(&who, r->rule, call.area_code);
	if (d != ACCESS_ALLOW) {
		refuse(r, &call, access_status(d));
		return;
	}
	if (act_for(store, acting_council(&who), res) < 0)
		return;
	r->handler(&call);
}

void server_routes_write(FILE *out)
{
	size_t k;

	fprintf(out, "%-7s %-32s %-11s %s\n", "method", "address", "who",
		"answers");
	for (k = 0; k < sizeof(routes) / sizeof(routes[0]); k++)
		fprintf(out, "%-7s %-32s %-11s %s\n", routes[k].method,
			routes[k].pattern, access_rule_name(routes[k].rule),
			routes[k].page ? "page" : "json");
}
