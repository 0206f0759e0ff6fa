/*
 * internal.h - what the files of src/hub/ share: an email's normal form,
 * a principal made from an account's row, and writing an audit entry.
 * Not for use outside src/hub/.
 */
#ifndef PARITY_HUB_INTERNAL_H
#define PARITY_HUB_INTERNAL_H

#include "base/error.h"
#include "hub/accounts.h"
#include "store/accounts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * `email` trimmed and in ASCII lower case into `out` (256 bytes): 0, or
 * -1 with PARITY_ERR_VALIDATION when it is not an address: one '@' with
 * something before it and a domain with a dot after it, at most 254
 * bytes, well-formed UTF-8, no spaces or control characters, no quotes
 * or angle brackets.
 */
int hub_email_normalise(const char *email, char out[256],
			struct parity_error *err);
/* The principal acting as account `a` (no session). */
void hub_principal_of(const struct store_account *a,
		      struct hub_principal *who);
/* The account whose email is `actor`, or 0 (the command line, the
 * public, or an email no account has). */
int hub_actor_account(struct store *s, const char *actor, int64_t *id,
		      struct parity_error *err);

/* An entry of the audit log, written inside the caller's transaction. */
struct hub_audit_write {
	const char *actor;
	int64_t account_id;        /* the acting account; 0: none */
	const char *action;
	const char *area_code;
	int year;
	int64_t submission_id;
	const char *outcome;
	const char *detail;
	int64_t target_account_id; /* 0: none */
};
int hub_audit_write(struct store *s, const struct hub_audit_write *w,
		    long now, struct parity_error *err);

/* Whether credential `c` is the one `hash` names (constant time). */
bool hub_hash_matches(const struct store_credential *c,
		      const unsigned char hash[STORE_SECRET_HASH_BYTES]);

#endif
