/*
 * accounts.h - the hub's accounts, credentials, failed sign-ins and audit
 * log in the store (migration 0007; src/store/accounts.c).
 *
 * The store keeps what it is given and checks only what its schema
 * checks (roles, states, an area for a submitter or viewer, a 32-byte
 * secret hash, one account per email whatever its case). Policy lives in
 * the hub (src/hub/accounts.h): making and hashing secrets, passwords,
 * expiry, lockout, and which audit entry each change writes. Nothing here
 * ever sees a secret: credentials are found by the hash of theirs.
 *
 * Times are whole seconds since 1970-01-01 UTC; 0 means none (never
 * used, never expires, not revoked, not locked).
 *
 * Writes must happen inside a transaction (store_begin()); reads work on
 * a store opened for reading only. Strings handed to a callback are valid
 * only during the call; arrays returned are the caller's to free().
 */
#ifndef PARITY_STORE_ACCOUNTS_H
#define PARITY_STORE_ACCOUNTS_H

#include "base/error.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* The BLAKE2b-256 hash a credential is found by. */
#define STORE_SECRET_HASH_BYTES 32

struct store_account {
	int64_t id;
	char email[256];
	char role[16];          /* "admin", "analyst", "submitter", "viewer",
				 * "reviewer" */
	char area_code[16];     /* "" for roles without a council */
	char state[16];         /* "invited", "active", "disabled" */
	char password_hash[128];/* the Argon2id string; "" until set */
	long created_at;
	char created_by[256];
	int failed_signins;
	long locked_until;      /* 0: not locked */
	long last_signin;       /* read only: when its newest session began;
				 * 0: never signed in */
};

/* Inside a transaction: add `a` (email, role, area_code, state,
 * password_hash, created_at, created_by); sets a->id. An email already
 * held, in any case, fails with PARITY_ERR_VALIDATION. */
int store_account_add(struct store *s, struct store_account *a,
		      struct parity_error *err);
/* The account with this email (any case): 1 and *out filled, 0 when there
 * is none, -1 on error. */
int store_account_find(struct store *s, const char *email,
		       struct store_account *out, struct parity_error *err);
/* The same by id. */
int store_account_get(struct store *s, int64_t id, struct store_account *out,
		      struct parity_error *err);
/* Inside a transaction: write a's state, password_hash (NULL when ""),
 * failed_signins and locked_until (NULL when 0); the other fields are
 * never changed. */
int store_account_update(struct store *s, const struct store_account *a,
			 struct parity_error *err);
/* Every account, ordered by email. The caller frees *out. */
int store_accounts_list(struct store *s, struct store_account **out,
			size_t *count, struct parity_error *err);

struct store_credential {
	int64_t id;
	char kind[16];          /* "invitation", "session", "token" */
	int64_t account_id;
	unsigned char secret_hash[STORE_SECRET_HASH_BYTES];
	char name[128];         /* a token's name; "" for none */
	long created_at;
	char created_by[256];
	long expires_at;        /* 0: never */
	long last_used_at;      /* 0: never */
	long revoked_at;        /* 0: not revoked */
	char email[256];        /* read only: the account's email */
};

/* Inside a transaction: add `c` (every field but id and email); sets
 * c->id. */
int store_credential_add(struct store *s, struct store_credential *c,
			 struct parity_error *err);
/* The credential of `kind` whose secret hashes to `hash`: 1 and *out
 * filled, 0 when none, -1 on error. Ended ones are found too: the caller
 * decides. */
int store_credential_find(struct store *s, const char *kind,
			  const unsigned char hash[STORE_SECRET_HASH_BYTES],
			  struct store_credential *out,
			  struct parity_error *err);
/* The credential `id`: 1, 0 when none, -1 on error. */
int store_credential_get(struct store *s, int64_t id,
			 struct store_credential *out,
			 struct parity_error *err);
/* Inside a transaction: set last_used_at of credential `id`. */
int store_credential_touch(struct store *s, int64_t id, long at,
			   struct parity_error *err);
/* Inside a transaction: end credential `id` at `at`, unless it already
 * ended. */
int store_credential_revoke(struct store *s, int64_t id, long at,
			    struct parity_error *err);
/* Inside a transaction: end, at `at`, every credential of `kind` (NULL:
 * any kind) of account `account_id` not already ended by revocation or by
 * its expiry; *count (may be NULL) is how many were ended. */
int store_credentials_revoke_all(struct store *s, int64_t account_id,
				 const char *kind, long at, long *count,
				 struct parity_error *err);
/* Every credential of `kind`, ordered by id, each with its account's
 * email. The caller frees *out. */
int store_credentials_list(struct store *s, const char *kind,
			   struct store_credential **out, size_t *count,
			   struct parity_error *err);

/* ---- failed sign-ins by address ---- */

/* Inside a transaction: count a failed sign-in from `ip` at `at`, and
 * forget those from any address before `forget_before`. */
int store_signin_failure_add(struct store *s, const char *ip, long at,
			     long forget_before, struct parity_error *err);
/* How many failed sign-ins from `ip` at or after `since`. */
int store_signin_failures(struct store *s, const char *ip, long since,
			  long *count, struct parity_error *err);

/* ---- the audit log ---- */

struct store_audit_entry {
	int64_t id;               /* set by the store */
	long at;
	int64_t account_id;       /* the account that acted; 0: none */
	const char *actor;        /* an email, "public" or "cli:USER" */
	const char *action;
	const char *area_code;    /* NULL or "": none */
	int year;                 /* 0: none */
	int64_t submission_id;    /* 0: none */
	const char *outcome;
	const char *detail;       /* NULL or "": none */
	int64_t target_account_id;/* the account changed; 0: none */
	/* read only: the emails of account_id and target_account_id, or "" */
	const char *account_email;
	const char *target_email;
};

/* Inside a transaction: append `e` (id and the emails are ignored). There
 * is no way to change or delete an entry: the store refuses both. */
int store_audit_add(struct store *s, const struct store_audit_entry *e,
		    struct parity_error *err);

struct store_audit_filter {
	long since;           /* entries at or after; 0: all */
	const char *area_code;/* NULL: any */
	/* Whose entries: those account `account_id` made or that changed
	 * it, and those whose actor is `actor` (any case). Both 0 and NULL:
	 * everyone's. */
	int64_t account_id;
	const char *actor;
};

/* Call `fn` for each entry matching `f`, oldest first. A non-zero return
 * from `fn` stops the walk and is returned. */
typedef int (*store_audit_fn)(void *ctx, const struct store_audit_entry *e);
int store_audit_each(struct store *s, const struct store_audit_filter *f,
		     store_audit_fn fn, void *ctx, struct parity_error *err);

#endif
