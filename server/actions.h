/*
 * actions.h - what the API and the pages both do (actions.c): send a
 * council's return, publish a release, and audit what a route did.
 * Private to server/.
 */
#ifndef PARITY_SERVER_ACTIONS_H
#define PARITY_SERVER_ACTIONS_H

#include "handlers.h"

#include "base/diag.h"
#include "ingest/returns.h"
#include "ingest/service.h"
#include "site/site.h"

enum upload_outcome {
	UPLOAD_STORED = 0,   /* stored, or identical to the current version */
	UPLOAD_REFUSED = 1,  /* the file has errors (u->diags): nothing
			      * stored */
	UPLOAD_FAILED = 2    /* something else: u->status, code, message */
};

/* What became of an upload; released with upload_release(). */
struct upload {
	bool service;         /* a service return: `services` holds what was
			       * stored; else `result` */
	struct import_result result;
	struct service_import_result services;
	struct diag_list diags;
	struct parity_error err;
	int status;           /* UPLOAD_FAILED: the HTTP status */
	const char *code;     /* and the error's stable code */
	char message[256];
};

/*
 * Check and store `len` bytes of a `kind_name` (workforce, recruitment,
 * service) return for council c->area_code and `year`, as c->who; audited
 * as an upload with its outcome. A service return carries its years in
 * its rows (`year` is then 0, or the year the audit records), and every
 * row must be c->area_code's. Returns an enum upload_outcome.
 */
int upload_return(struct route_call *c, const char *kind_name, int year,
		  const char *data, size_t len, struct upload *u);
void upload_release(struct upload *u);

/*
 * Publish `year`'s release into the served site, as `parity publish`
 * does, dated today (UTC); `correction` (may be NULL or empty) makes it a
 * correction. One publication at a time; audited. Returns 0 with `sum`
 * filled, or -1 with `err` set: PARITY_ERR_USAGE when the hub serves no
 * site or the options are wrong, another code when publishing failed
 * (then c->res holds an answer only if the audit itself failed: check
 * `audit_failed`).
 */
int publish_release(struct route_call *c, int year, const char *correction,
		    struct site_summary *sum, bool *audit_failed,
		    struct parity_error *err);

/*
 * The session cookie, set to `value` ("" ends it): HttpOnly and
 * SameSite=Strict; under TLS Secure and named with the __Host- prefix
 * (SERVER_SESSION_COOKIE_TLS), so that no other site or path can set it.
 */
void session_cookie_set(struct route_call *c, const char *value);

/* Record an audit entry for the request; a store that cannot record it
 * fails the request (nothing is read unaudited). Returns 0, or -1 with
 * c->res filled. */
int route_audit(struct route_call *c, const char *action,
		const char *area_code, int year, int64_t submission,
		const char *outcome);

#endif
