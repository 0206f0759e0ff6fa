/*
 * access.h - who may do what in the hub: the one authorisation function
 * every route passes through, and its rule table (docs/security.md shows
 * the same table).
 *
 * A route names a rule; a request about one council's data names the
 * council (its area code). The decision follows the role:
 *   - a council's own accounts (submitter, viewer) see their council and
 *     nothing of another's: a request about another council is answered
 *     as if it did not exist (404), so existence is not revealed;
 *   - analysts see every council; admins manage accounts and see no
 *     council's data;
 *   - the public sees published figures only, and is asked to sign in
 *     (401) for anything else.
 */
#ifndef PARITY_SERVER_ACCESS_H
#define PARITY_SERVER_ACCESS_H

#include "hub/accounts.h"

#include <stdbool.h>

enum access_rule {
	ACCESS_PUBLIC,      /* anyone, signed in or not */
	ACCESS_SIGNED_IN,   /* any account */
	ACCESS_AREA_READ,   /* a council's unsuppressed data: its own
			     * accounts, and analysts */
	ACCESS_AREA_WRITE,  /* sending a council's returns: its submitters,
			     * and analysts */
	ACCESS_ANALYST,     /* London-wide work: status, publishing */
	ACCESS_ADMIN,       /* accounts */
	ACCESS_REVIEWER     /* peer review of the Standard: a reviewer
			     * account; the handler answers 404 for an
			     * assessment not assigned to its council */
};

enum access_decision {
	ACCESS_ALLOW,
	ACCESS_UNAUTHENTICATED, /* 401: sign in first */
	ACCESS_FORBIDDEN,       /* 403: signed in, but not for this */
	ACCESS_HIDDEN           /* 404: about a council the account may not
				 * know of */
};

/*
 * Whether `who` may act under `rule` on the data of council `area_code`
 * (NULL when the request is about no one council: then the area rules
 * need an analyst).
 */
enum access_decision access_decide(const struct hub_principal *who,
				   enum access_rule rule,
				   const char *area_code);

/* Whether `who` sees `area_code`'s figures unsuppressed (its own accounts
 * and analysts); everyone else sees the published release. */
bool access_sees_unsuppressed(const struct hub_principal *who,
			      const char *area_code);

/* The rule's name, as docs/security.md and docs/api.yaml give it. */
const char *access_rule_name(enum access_rule rule);
/* The HTTP status of a refusal (401, 403 or 404); 200 for ACCESS_ALLOW. */
int access_status(enum access_decision d);

#endif
