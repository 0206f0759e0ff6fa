/*
 * accounts.h - who may use the hub, and how they prove it: accounts and
 * their roles, invitations, passwords, sign-in sessions, API tokens, the
 * limits on failed sign-ins, and the audit log (see
 * docs/security.md).
 *
 * The hub (src/hub/) is the layer between the core and the front ends
 * (server/, cli/): it owns the rules, and the store (store/accounts.h)
 * keeps the rows. What it promises:
 *   - no secret is stored. A secret (an invitation link, a session
 *     cookie, an API token) is 256 bits from libsodium's randombytes_buf(),
 *     handed out once as HUB_SECRET_CHARS characters of unpadded base64url,
 *     and kept only as its BLAKE2b-256 hash; a password only as its
 *     Argon2id string (crypto_pwhash_str() at libsodium's INTERACTIVE
 *     limits). Hashes compared in C are compared in constant time;
 *   - every change (an invitation, its acceptance, a sign-in that succeeds
 *     or fails, a sign-out, a token made or revoked, an account disabled,
 *     reset or unlocked) writes its audit entry in the same transaction,
 *     so that there is never one without the other;
 *   - a refused sign-in says the same whether the email is unknown, the
 *     password wrong, or the account invited, disabled or locked, and
 *     takes as long (a password hash is checked in every case);
 *   - an account that is disabled can do nothing more: its sessions,
 *     invitations and tokens end with it.
 *
 * Time. Every function is given `now`, seconds since 1970-01-01 UTC, so
 * that tests can move time; front ends pass time(NULL).
 *
 * Errors. Credentials that are wrong, expired, revoked, or belong to a
 * disabled or locked account give PARITY_ERR_DENIED; too many failed
 * sign-ins from one address, PARITY_ERR_LIMIT; a request that makes no
 * sense (an unknown role, a council for an analyst, an email already
 * held) PARITY_ERR_VALIDATION; an unknown account or token in an admin's
 * request PARITY_ERR_NOT_FOUND. Messages never hold a secret or a
 * password.
 *
 * Transactions. Every function that writes makes its own transaction
 * (store_begin()), so it must be called outside one, but for
 * hub_audit_within(). Password hashing (about a quarter of a second and
 * 64 MiB) is done outside the transaction, so that sign-ins do not hold
 * up other writers. A handle is used by one thread at a time, as the
 * store's.
 *
 * Ownership. Secrets are written into the caller's buffers, which the
 * caller should wipe (sodium_memzero()) once they are handed on. Arrays
 * returned by the list functions are the caller's to free(); strings in
 * an entry handed to a callback are valid only during the call.
 */
#ifndef PARITY_HUB_ACCOUNTS_H
#define PARITY_HUB_ACCOUNTS_H

#include "base/error.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- roles ---- */

/* What a principal may do follows its role (the rule table is in
 * docs/security.md). HUB_ROLE_REVIEWER is the Racial Equality Standard's
 * peer reviewer: an account of the reviewing council (its area_code),
 * which may read and review only the assessments assigned to that council
 * (src/standard/review.h). */
enum hub_role {
	HUB_ROLE_PUBLIC = 0,
	HUB_ROLE_VIEWER,
	HUB_ROLE_SUBMITTER,
	HUB_ROLE_ANALYST,
	HUB_ROLE_ADMIN,
	HUB_ROLE_REVIEWER
};

/* "public", "viewer", "submitter", "analyst", "admin", "reviewer". */
const char *hub_role_name(enum hub_role role);
/* 0 and *out set, or -1 for a name that is not a role (exact, lower
 * case). */
int hub_role_parse(const char *name, enum hub_role *out);

/* ---- secrets and principals ---- */

/* A 256-bit random secret as unpadded base64url (libsodium
 * sodium_bin2base64 URLSAFE_NO_PADDING). */
#define HUB_SECRET_CHARS 43

/* Who is acting. */
struct hub_principal {
	enum hub_role role;      /* HUB_ROLE_PUBLIC when not signed in */
	int64_t account_id;      /* 0 for the public */
	char email[256];
	char area_code[16];      /* the council of a viewer, submitter or
				  * reviewer; "" otherwise */
	int64_t session_id;      /* the session, when signed in by cookie; 0
				  * otherwise (token or public) */
	char csrf[HUB_SECRET_CHARS + 1]; /* the session's CSRF token: what
				  * forms must carry; "" without a session */
};

/* The public: not signed in. */
void hub_principal_public(struct hub_principal *who);
/*
 * The command line run by `user` (cli_user_name()): an admin with no
 * account (account_id 0) whose email is "cli:USER", which is how the
 * audit log names it. Whoever can run parity on the store's file can
 * already do anything to it; this only names them.
 */
void hub_principal_cli(struct hub_principal *who, const char *user);
/*
 * Whether `given` (what a form carried; may be NULL) is the CSRF token of
 * the principal's session, compared in constant time. Always false
 * without a session.
 */
bool hub_csrf_check(const struct hub_principal *who, const char *given);

/* ---- limits ---- */

struct hub_limits {
	long invitation_seconds;      /* an invitation link lasts 7 days */
	long session_idle_seconds;    /* a session ends after 30 minutes
				       * unused */
	long session_absolute_seconds;/* and 12 hours after sign-in, used or
				       * not */
	int failures_per_account;     /* 5 failed sign-ins in a row lock an
				       * account */
	int failures_per_ip;          /* 20 failed sign-ins from one address
				       * in ip_window_seconds refuse the
				       * next */
	long lockout_seconds;         /* for 15 minutes (or until an admin
				       * unlocks it) */
	long ip_window_seconds;       /* 15 minutes: the window of
				       * failures_per_ip (added after the
				       * first six; new fields go last) */
};

/* The limits above. */
void hub_limits_init(struct hub_limits *l);

/*
 * How stale a session's or token's last use may be before resolving it
 * records the use again. Recording it is a write (and a disk sync), so it
 * is not done on every request: a session's idle time is therefore
 * measured to within this.
 */
#define HUB_TOUCH_SECONDS 60

/* ---- passwords ---- */

#define HUB_PASSWORD_MIN_CHARS 12  /* characters (code points) */
#define HUB_PASSWORD_MAX_BYTES 128

/*
 * Whether `password` may be set: 0, or -1 with PARITY_ERR_VALIDATION and
 * a message saying why. At least HUB_PASSWORD_MIN_CHARS characters, at
 * most HUB_PASSWORD_MAX_BYTES bytes, well-formed UTF-8 with no control
 * characters, not one character repeated, and not one of a few hundred
 * common passwords (data/common-passwords.txt), whatever its case and
 * with any digits and symbols at its end taken off, nor one repeated.
 */
int hub_password_acceptable(const char *password, struct parity_error *err);
/* The same, and not containing the local part of `email` (the part
 * before '@', or any piece of it of 4 characters or more between dots,
 * dashes, underscores and plus signs), whatever its case. `email` may be
 * NULL. */
int hub_password_acceptable_for(const char *password, const char *email,
				struct parity_error *err);

/* ---- accounts, invitations, sign-in ---- */

/*
 * Make an account for `email` (normalised: trimmed, lower case) with
 * `role` (not public), in the state 'invited', and its
 * one-time invitation, written into `token`, which lasts
 * l->invitation_seconds. A submitter, viewer or reviewer (the reviewing
 * council's account) needs `area_code`, one of
 * London's 33 councils (E09000001-E09000033, by code or name; the code is
 * kept); other roles must have none (NULL or ""). `by` is who asks: an
 * admin's email, or "cli:USER". An email already held, in any case, is
 * refused.
 */
int hub_invite(struct store *s, const char *email, enum hub_role role,
	       const char *area_code, const char *by, long now,
	       const struct hub_limits *l, char token[HUB_SECRET_CHARS + 1],
	       struct parity_error *err);
/*
 * Set the password of the invitation's account (checked by
 * hub_password_acceptable_for()), which becomes 'active'; the invitation
 * is spent. *who is the account (no session: sign in next). An invitation
 * unknown, spent, replaced by a reset, expired, or whose account is
 * disabled: PARITY_ERR_DENIED.
 */
int hub_invitation_accept(struct store *s, const char *token,
			  const char *password, long now,
			  struct hub_principal *who,
			  struct parity_error *err);
/*
 * Sign in from network address `ip` (NULL: "unknown"): a new session,
 * its secret written into `session` (the cookie) and *who filled, CSRF
 * token included. Refused with PARITY_ERR_LIMIT when l->failures_per_ip
 * sign-ins from `ip` failed in the last l->ip_window_seconds; otherwise
 * with PARITY_ERR_DENIED and one message for every other reason. Each
 * failure against an account counts towards its lockout: the
 * l->failures_per_account-th in a row locks it for l->lockout_seconds
 * (and starts the count again); a success clears the count.
 */
int hub_sign_in(struct store *s, const char *email, const char *password,
		const char *ip, long now, const struct hub_limits *l,
		char session[HUB_SECRET_CHARS + 1], struct hub_principal *who,
		struct parity_error *err);
/*
 * 1 and *who filled when valid (and last_used_at touched, at most every
 * HUB_TOUCH_SECONDS); 0 when unknown, malformed, expired (idle or
 * absolute), revoked or the account not active (*who = public); -1 on a
 * store failure.
 */
int hub_session_resolve(struct store *s, const char *session, long now,
			const struct hub_limits *l, struct hub_principal *who,
			struct parity_error *err);
/* End the session; 0 also when it was unknown or had ended already (then
 * nothing is written). */
int hub_sign_out(struct store *s, const char *session, long now,
		 struct parity_error *err);

/* ---- API tokens ---- */

/*
 * A new API token for the account `email`, any that is not disabled
 * (invited or active), acting with its role; its secret written into
 * `token`, its id into *id. `name` (may be NULL) says what it is for: at
 * most 100 characters, no control characters. It never expires (until
 * revoked).
 */
int hub_token_create(struct store *s, const char *email, const char *name,
		     const char *by, long now,
		     char token[HUB_SECRET_CHARS + 1], int64_t *id,
		     struct parity_error *err);
/* As hub_session_resolve(): 1, 0 (revoked, expired, unknown, or the
 * account disabled), or -1. *who has no session and no CSRF token. */
int hub_token_resolve(struct store *s, const char *token, long now,
		      struct hub_principal *who, struct parity_error *err);
/* Revoke token `id`: PARITY_ERR_NOT_FOUND when there is none,
 * PARITY_ERR_VALIDATION when it was revoked already. */
int hub_token_revoke(struct store *s, int64_t id, const char *by, long now,
		     struct parity_error *err);

/* ---- what an admin does to accounts ---- */

/* Disable the account: it can no longer sign in, and its sessions,
 * outstanding invitations and tokens end at once. Disabling is final
 * (there is no enabling yet). */
int hub_account_disable(struct store *s, const char *email, const char *by,
			long now, struct parity_error *err);
/*
 * A new invitation for the account, written into `token`, through which
 * its holder sets a new password. The old password stops working at once
 * (the account is 'invited' again, its sessions and earlier invitations
 * end), because a reset is asked for when the password is forgotten or
 * may be known to someone else; the lockout is cleared. Its tokens go on
 * working (revoke them with hub_token_revoke() if they may be known too).
 * A disabled account is not reset.
 */
int hub_account_reset(struct store *s, const char *email, const char *by,
		      long now, const struct hub_limits *l,
		      char token[HUB_SECRET_CHARS + 1],
		      struct parity_error *err);
/* Clear the account's lockout and its count of failed sign-ins. */
int hub_account_unlock(struct store *s, const char *email, const char *by,
		       long now, struct parity_error *err);

enum hub_account_state {
	HUB_ACCOUNT_INVITED,  /* no password yet (or reset) */
	HUB_ACCOUNT_ACTIVE,
	HUB_ACCOUNT_DISABLED
};
/* "invited", "active", "disabled". */
const char *hub_account_state_name(enum hub_account_state state);

struct hub_account {
	int64_t id;
	char email[256];
	enum hub_role role;
	char area_code[16];      /* "" for roles without a council */
	enum hub_account_state state;
	long created_at;
	char created_by[256];
	long last_signin;        /* 0: never */
	bool locked;             /* locked at `now` */
	long locked_until;       /* when locked; 0 otherwise */
	int failed_signins;      /* failed sign-ins since the last success */
	long tokens;             /* tokens that work */
};

/* Every account, by email, as at `now`. The caller frees *out. */
int hub_accounts_list(struct store *s, long now, struct hub_account **out,
		      size_t *count, struct parity_error *err);
/* One account: PARITY_ERR_NOT_FOUND when there is none. */
int hub_account_get(struct store *s, const char *email, long now,
		    struct hub_account *out, struct parity_error *err);

struct hub_token {
	int64_t id;
	char email[256];         /* its account's */
	char name[128];          /* "" when none */
	long created_at;
	char created_by[256];
	long last_used_at;       /* 0: never (to within HUB_TOUCH_SECONDS) */
	long expires_at;         /* 0: never */
	long revoked_at;         /* 0: not revoked */
};

/* Every token ever made, revoked ones too, by id. The caller frees
 * *out. */
int hub_tokens_list(struct store *s, struct hub_token **out, size_t *count,
		    struct parity_error *err);

/* ---- the audit log ---- */

/*
 * Append an entry: `who` did `action` ("upload", "read.unsuppressed",
 * "publish", ...) with `outcome` ("ok", "denied", "invalid", ...). The
 * actor is the principal's email ("cli:USER" for the command line) or
 * "public". `area_code` and `detail` may be NULL, `year` and
 * `submission_id` 0 when none. Never put a secret, a password or an
 * ethnicity value in `detail`.
 */
int hub_audit(struct store *s, const struct hub_principal *who,
	      const char *action, const char *area_code, int year,
	      int64_t submission_id, const char *outcome, const char *detail,
	      long now, struct parity_error *err);
/* The same inside a transaction the caller opened (store_begin()), so
 * that the entry and the change it records commit together. */
int hub_audit_within(struct store *s, const struct hub_principal *who,
		     const char *action, const char *area_code, int year,
		     int64_t submission_id, const char *outcome,
		     const char *detail, long now, struct parity_error *err);

struct hub_audit_entry {
	int64_t id;
	long at;
	const char *actor;        /* an email, "public" or "cli:USER" */
	int64_t account_id;       /* the account that acted; 0: none */
	const char *action;
	const char *area_code;    /* "" when none */
	int year;                 /* 0: none */
	int64_t submission_id;    /* 0: none */
	const char *outcome;
	const char *detail;       /* "" when none */
	const char *target;       /* the email of the account changed (or
				   * whose sign-in was tried); "" when none */
};

struct hub_audit_filter {
	long since;               /* at or after; 0: all */
	const char *area_code;    /* NULL: any */
	const char *email;        /* entries the account made or that were
				   * about it, and failed sign-ins as that
				   * email; NULL: anyone's */
};

/* Call `fn` for each entry matching `f` (may be NULL), oldest first; a
 * non-zero return stops the walk and is returned. */
typedef int (*hub_audit_fn)(void *ctx, const struct hub_audit_entry *e);
int hub_audit_each(struct store *s, const struct hub_audit_filter *f,
		   hub_audit_fn fn, void *ctx, struct parity_error *err);

#endif
