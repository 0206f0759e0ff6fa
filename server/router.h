/*
 * router.h - a request as the hub sees it, and its answer, with no socket
 * in sight: server/http.c turns libmicrohttpd's connection into a struct
 * server_request, server_handle() answers it, and http.c sends the
 * struct server_response. So every route can be tested, and fuzzed,
 * without a network.
 *
 * Ownership: a request borrows everything it points to; a response owns
 * its body and headers, released with server_response_release().
 */
#ifndef PARITY_SERVER_ROUTER_H
#define PARITY_SERVER_ROUTER_H

#include "base/strbuf.h"
#include "domain/area.h"
#include "hub/accounts.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct benchmark;
struct service_defs;
struct published_cache;
struct framework_set;

struct server_param {
	const char *name, *value; /* decoded */
};

/* The session cookie's name: under TLS with the __Host- prefix, which
 * browsers accept only from this host, over TLS, for the whole site. */
#define SERVER_SESSION_COOKIE "parity_session"
#define SERVER_SESSION_COOKIE_TLS "__Host-parity_session"

#define SERVER_MAX_PARAMS 32
#define SERVER_MAX_FIELDS 64

/* A field of a form (application/x-www-form-urlencoded or
 * multipart/form-data), decoded. */
struct server_field {
	const char *name;
	const char *filename;  /* a file's name, or NULL */
	const char *value;     /* `len` bytes, NUL-terminated */
	size_t len;
};

struct server_request {
	const char *method;         /* "GET", "POST", ... */
	const char *path;           /* decoded, without the query */
	struct server_param query[SERVER_MAX_PARAMS];
	size_t nquery;
	bool too_many_params;       /* more than SERVER_MAX_PARAMS given */
	const char *session;        /* the session cookie's value, or NULL */
	const char *authorization;  /* the Authorization header, or NULL */
	const char *content_type;
	const char *accept;
	const char *if_none_match;
	const char *csrf;           /* the X-CSRF-Token header, or NULL */
	const char *host;           /* the Host header, or NULL: for the
				     * links an admin is given to pass on */
	const char *client_ip;      /* for rate limits; never logged */
	const char *body;           /* the request body (may hold NULs) */
	size_t body_len;
	struct server_field form[SERVER_MAX_FIELDS]; /* a form's fields */
	size_t nform;
	bool bad_form;              /* a form that could not be decoded, or
				     * had too many fields */
	bool tls;
};

struct server_header {
	char *name, *value;
};

struct server_response {
	int status;
	const char *content_type;   /* a static string */
	struct strbuf body;
	char *file;                 /* a file to send instead of `body`
				     * (the published site), or NULL */
	struct server_header *headers;
	size_t nheaders, headers_cap;
	const char *route;          /* the route's pattern, for the log */
	int64_t account_id;         /* who asked, for the log; 0: public */
};

/* What every request is answered with: shared, read-only, by all the
 * worker threads. */
struct server_context {
	const struct area_set *areas;
	const struct benchmark *census; /* Census 2021 residents */
	const char *site_dir;       /* the published site, or NULL */
	const char *upload_dir;     /* where an upload is held while it is
				     * checked: the hub's own (mode 0700),
				     * beside the store */
	const struct service_defs *services; /* the built-in services */
	const struct framework_set *frameworks; /* the Standard's, built in */
	struct published_cache *published; /* the release's downloads,
					    * read once (published.h) */
	const char *returns_due;    /* MM-DD: a year's returns are due by
				     * this day of the year; NULL for
				     * RETURNS_DUE_DEFAULT (status.h) */
	pthread_mutex_t *publishing; /* one publication at a time */
	size_t max_attachment;      /* the largest document attached to a
				     * practice record, in bytes */
	struct hub_limits limits;
};

void server_response_init(struct server_response *res);
void server_response_release(struct server_response *res);
void server_response_header(struct server_response *res, const char *name,
			    const char *value);

/* The value of query parameter `name`, or NULL. */
const char *server_query(const struct server_request *req, const char *name);
/* Form field `name`, or NULL. */
const struct server_field *server_form(const struct server_request *req,
				       const char *name);
/* Query parameter `name`, else the form's text field of that name (a
 * browser's form may carry what a script puts in the query), or NULL. */
const char *server_param(const struct server_request *req, const char *name);

/* What the route table says of route `index` (0, 1, ...), or NULL past
 * the last: for the tenancy matrix (tests) and docs/api.yaml's checks. */
struct server_route_info {
	const char *method, *pattern;
	const char *rule;   /* access_rule_name() */
	bool about_area;    /* the route is about one council's data */
};
const struct server_route_info *server_route_info(size_t index);

/*
 * Answer `req` with `store` (this worker's connection) at time `now`
 * (seconds since the epoch): find the route, resolve who is asking,
 * authorise, and call the handler. Always fills `res` (errors are
 * answers: JSON with a stable code and a message, or a page).
 */
void server_handle(const struct server_context *ctx, struct store *store,
		   const struct server_request *req, long now,
		   struct server_response *res);

#endif
