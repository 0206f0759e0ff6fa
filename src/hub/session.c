/*
 * session.c - signing in and out, sessions, and API tokens (accounts.h).
 *
 * Sign-in. The per-address limit is checked first (refused with
 * PARITY_ERR_LIMIT, no password checked). Then the password is checked
 * against the account's Argon2id string outside any transaction; when
 * there is no account, no password yet, or the account is disabled or
 * locked, it is checked against a fixed string of the same cost instead,
 * so that every refusal takes as long and says the same. Then, in one
 * transaction, the account is read again (a reset or a lockout may have
 * come meanwhile), and the outcome is written: a session and a cleared
 * count, or a failure counted against the account (locking it at the
 * limit) and the address, each with its audit entry.
 *
 * Sessions and tokens are found by the hash of their secret and checked
 * against `now`: a session ends at sign-out, after l->session_idle_seconds
 * unused, l->session_absolute_seconds after sign-in, or when its account
 * is disabled or reset; a token when revoked, at its expiry if it has
 * one, or when its account is disabled.
 */
#include "hub/accounts.h"

#include "base/utf8.h"
#include "hub/internal.h"
#include "hub/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/*
 * Checked instead of an account's own when there is none to check, so
 * that a refusal costs the same: the Argon2id string (libsodium's
 * INTERACTIVE limits, as every password here) of a random secret that
 * was never kept, so nothing verifies against it.
 */
static const char no_account_hash[] =
	"$argon2id$v=19$m=65536,t=2,p=1$Uks2c4Sfyv5AF9Vu6gUidg$"
	"ThKlBgJn5ac9et78hJONcykqyYetraEFAuZHToNG418";

/* What every refused sign-in says. */
static const char denied_message[] =
	"sign-in refused: the email address or password is wrong, or the "
	"account is not active, or it is locked for a while after repeated "
	"failed sign-ins";

/* The longest network address kept (an IPv6 address with a zone). */
#define IP_CHARS 63

static bool locked(const struct store_account *a, long now)
{
	return a->locked_until > now;
}

/* Whether `a` may sign in with a password at all. */
static bool may_sign_in(const struct store_account *a, long now)
{
	return strcmp(a->state, "active") == 0 && a->password_hash[0] &&
	       !locked(a, now);
}

/* Why a sign-in of `a` (NULL: no account) failed, for the audit log. */
static const char *failure_reason(const struct store_account *a, long now)
{
	if (!a)
		return "no such account";
	if (strcmp(a->state, "disabled") == 0)
		return "account disabled";
	if (strcmp(a->state, "invited") == 0 || !a->password_hash[0])
		return "no password set yet";
	if (locked(a, now))
		return "account locked";
	return "wrong password";
}

/* The email to name in the audit log: as typed, when it is an email;
 * otherwise (it may be a password typed in the wrong box) not. */
static const char *actor_of(const char *norm)
{
	return norm[0] ? norm : "unknown";
}

/* Write a refusal by the per-address limit, then fail with LIMIT. */
static int limited(struct store *s, const char *norm, int64_t target,
		   const char *ip, const struct hub_limits *l, long now,
		   struct parity_error *err)
{
	struct hub_audit_write w;
	char detail[160];
	int rc;

	snprintf(detail, sizeof(detail), "from %s: %d failed sign-ins in %ld "
		 "minutes", ip, l->failures_per_ip, l->ip_window_seconds / 60);
	w = (struct hub_audit_write){ actor_of(norm), 0, "signin.failure",
				      NULL, 0, 0, "limited", detail, target };
	if (store_begin(s, err) < 0)
		return -1;
	rc = hub_audit_write(s, &w, now, err);
	if (rc < 0 || store_commit(s, err) < 0) {
		store_rollback(s);
		return -1;
	}
	return parity_error_set(err, PARITY_ERR_LIMIT, NULL, 0, 0,
				"too many failed sign-ins from this address: "
				"try again in %ld minutes",
				l->ip_window_seconds / 60);
}

/* Inside a transaction: a new session for `a`, its secret into
 * `session`, and *who. */
static int session_add(struct store *s, const struct store_account *a,
		       const char *ip, long now, const struct hub_limits *l,
		       char session[HUB_SECRET_CHARS + 1],
		       struct hub_principal *who, struct parity_error *err)
{
	struct store_credential c;

	memset(&c, 0, sizeof(c));
	snprintf(c.kind, sizeof(c.kind), "session");
	c.account_id = a->id;
	hub_secret_make(session);
	hub_secret_hash(session, c.secret_hash);
	c.created_at = now;
	snprintf(c.created_by, sizeof(c.created_by), "signin from %s", ip);
	c.expires_at = now + l->session_absolute_seconds;
	c.last_used_at = now;
	if (store_credential_add(s, &c, err) < 0)
		return -1;
	hub_principal_of(a, who);
	who->session_id = c.id;
	hub_secret_csrf(session, who->csrf);
	return 0;
}

/* Inside a transaction: count a failure against `a` (may be NULL) and
 * `ip`, and write its audit entry. */
static int failure_add(struct store *s, struct store_account *a,
		       const char *norm, const char *ip, long now,
		       const struct hub_limits *l, struct parity_error *err)
{
	struct hub_audit_write w;
	const char *why = failure_reason(a, now);
	char detail[200];

	snprintf(detail, sizeof(detail), "%s; from %s", why, ip);
	if (a && strcmp(a->state, "disabled") != 0 && !locked(a, now)) {
		a->failed_signins++;
		if (a->failed_signins >= l->failures_per_account) {
			a->locked_until = now + l->lockout_seconds;
			a->failed_signins = 0;
			snprintf(detail, sizeof(detail), "%s; from %s; account "
				 "locked for %ld minutes after %d failures",
				 why, ip, l->lockout_seconds / 60,
				 l->failures_per_account);
		}
		if (store_account_update(s, a, err) < 0)
			return -1;
	}
	w = (struct hub_audit_write){ actor_of(norm), 0, "signin.failure",
				      a ? a->area_code : NULL, 0, 0, "denied",
				      detail, a ? a->id : 0 };
	if (store_signin_failure_add(s, ip, now, now - l->ip_window_seconds,
				     err) < 0)
		return -1;
	return hub_audit_write(s, &w, now, err);
}

int hub_sign_in(struct store *s, const char *email, const char *password,
		const char *ip, long now, const struct hub_limits *l,
		char session[HUB_SECRET_CHARS + 1], struct hub_principal *who,
		struct parity_error *err)
{
	struct store_account a, again;
	struct hub_audit_write w;
	char norm[256], from[IP_CHARS + 1], checked[sizeof(a.password_hash)];
	size_t plen = password ? strlen(password) : 0;
	long failures = 0;
	bool found = false, ok;
	int rc;

	session[0] = '\0';
	hub_principal_public(who);
	if (hub_sodium_ready(err) < 0)
		return -1;
	snprintf(from, sizeof(from), "%s", ip && ip[0] ? ip : "unknown");
	if (hub_email_normalise(email, norm, NULL) < 0)
		norm[0] = '\0';
	if (norm[0]) {
		rc = store_account_find(s, norm, &a, err);
		if (rc < 0)
			return -1;
		found = rc == 1;
	}
	if (store_signin_failures(s, from, now - l->ip_window_seconds,
				  &failures, err) < 0)
		return -1;
	if (failures >= l->failures_per_ip)
		return limited(s, norm, found ? a.id : 0, from, l, now, err);

	/* slow: outside the transaction, and as slow for every refusal */
	snprintf(checked, sizeof(checked), "%s",
		 found && may_sign_in(&a, now) ? a.password_hash
					       : no_account_hash);
	ok = crypto_pwhash_str_verify(checked, password ? password : "",
				      plen <= HUB_PASSWORD_MAX_BYTES ? plen
								     : 0) == 0 &&
	     plen <= HUB_PASSWORD_MAX_BYTES && found &&
	     may_sign_in(&a, now);

	if (store_begin(s, err) < 0)
		return -1;
	if (found) {
		rc = store_account_get(s, a.id, &again, err);
		if (rc < 0) {
			store_rollback(s);
			return -1;
		}
		found = rc == 1;
		/* a reset, a lockout or a new password came meanwhile */
		if (!found || strcmp(again.password_hash, checked) != 0 ||
		    !may_sign_in(&again, now))
			ok = false;
		a = again;
	}
	if (ok) {
		a.failed_signins = 0;
		a.locked_until = 0;
		rc = store_account_update(s, &a, err);
		if (rc == 0)
			rc = session_add(s, &a, from, now, l, session, who,
					 err);
		if (rc == 0) {
			char detail[96];

			snprintf(detail, sizeof(detail), "from %s", from);
			w = (struct hub_audit_write){ a.email, a.id,
						      "signin.success",
						      a.area_code, 0, 0, "ok",
						      detail, 0 };
			rc = hub_audit_write(s, &w, now, err);
		}
	} else {
		rc = failure_add(s, found ? &a : NULL, norm, from, now, l, err);
	}
	if (rc < 0 || store_commit(s, err) < 0) {
		store_rollback(s);
		sodium_memzero(session, HUB_SECRET_CHARS + 1);
		hub_principal_public(who);
		return -1;
	}
	if (!ok)
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"%s", denied_message);
	return 0;
}

/* Record a use of credential `c` when the last was long enough ago. */
static int touch(struct store *s, const struct store_credential *c, long now,
		 struct parity_error *err)
{
	if (c->last_used_at && now - c->last_used_at < HUB_TOUCH_SECONDS)
		return 0;
	if (store_begin(s, err) < 0)
		return -1;
	if (store_credential_touch(s, c->id, now, err) < 0 ||
	    store_commit(s, err) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/*
 * The credential of `kind` whose secret is `secret`, and its account: 1,
 * 0 when the secret is malformed or unknown, -1 on a store failure.
 */
static int credential_of(struct store *s, const char *kind,
			 const char *secret, struct store_credential *c,
			 struct store_account *a, struct parity_error *err)
{
	unsigned char hash[STORE_SECRET_HASH_BYTES];
	int rc;

	if (hub_sodium_ready(err) < 0)
		return -1;
	if (!hub_secret_well_formed(secret))
		return 0;
	hub_secret_hash(secret, hash);
	rc = store_credential_find(s, kind, hash, c, err);
	if (rc <= 0)
		return rc;
	if (!hub_hash_matches(c, hash))
		return 0;
	return store_account_get(s, c->account_id, a, err);
}

int hub_session_resolve(struct store *s, const char *session, long now,
			const struct hub_limits *l, struct hub_principal *who,
			struct parity_error *err)
{
	struct store_credential c;
	struct store_account a;
	long last;
	int rc;

	hub_principal_public(who);
	rc = credential_of(s, "session", session, &c, &a, err);
	if (rc <= 0)
		return rc;
	last = c.last_used_at ? c.last_used_at : c.created_at;
	if (c.revoked_at || (c.expires_at && now >= c.expires_at) ||
	    now >= c.created_at + l->session_absolute_seconds ||
	    now >= last + l->session_idle_seconds ||
	    strcmp(a.state, "active") != 0)
		return 0;
	if (touch(s, &c, now, err) < 0)
		return -1;
	hub_principal_of(&a, who);
	who->session_id = c.id;
	hub_secret_csrf(session, who->csrf);
	return 1;
}

int hub_sign_out(struct store *s, const char *session, long now,
		 struct parity_error *err)
{
	struct store_credential c;
	struct store_account a;
	struct hub_audit_write w;
	int rc;

	rc = credential_of(s, "session", session, &c, &a, err);
	if (rc <= 0 || c.revoked_at)
		return rc < 0 ? -1 : 0;
	w = (struct hub_audit_write){ a.email, a.id, "signout", a.area_code,
				      0, 0, "ok", NULL, 0 };
	if (store_begin(s, err) < 0)
		return -1;
	if (store_credential_revoke(s, c.id, now, err) < 0 ||
	    hub_audit_write(s, &w, now, err) < 0 ||
	    store_commit(s, err) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/* ---- API tokens ---- */

/* A token's name: at most 100 characters, no control characters. */
static int name_ok(const char *name, struct parity_error *err)
{
	size_t n = strlen(name), k;
	bool ok = utf8_valid(name, n, NULL) && utf8_length(name) <= 100;

	for (k = 0; ok && k < n; k++)
		ok = (unsigned char)name[k] >= 0x20 && name[k] != 0x7f;
	if (!ok)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"a token's name must be text of at "
					"most 100 characters, without control "
					"characters");
	return 0;
}

int hub_token_create(struct store *s, const char *email, const char *name,
		     const char *by, long now,
		     char token[HUB_SECRET_CHARS + 1], int64_t *id,
		     struct parity_error *err)
{
	struct store_credential c;
	struct store_account a;
	struct hub_audit_write w;
	char norm[256], detail[200];
	int64_t actor_id = 0;
	int rc;

	token[0] = '\0';
	*id = 0;
	memset(&c, 0, sizeof(c));
	if (hub_sodium_ready(err) < 0 ||
	    hub_email_normalise(email, norm, err) < 0 ||
	    (name && name_ok(name, err) < 0))
		return -1;
	if (!by || !by[0])
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"who is making the change is needed");
	if (store_begin(s, err) < 0)
		return -1;
	rc = store_account_find(s, norm, &a, err);
	if (rc == 0)
		rc = parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				      "no account has the email '%s'", norm);
	else if (rc == 1 && strcmp(a.state, "disabled") == 0)
		rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				      "the account '%s' is disabled: it cannot "
				      "have a token", a.email);
	else if (rc == 1)
		rc = hub_actor_account(s, by, &actor_id, err);
	if (rc == 0) {
		memset(&c, 0, sizeof(c));
		snprintf(c.kind, sizeof(c.kind), "token");
		c.account_id = a.id;
		snprintf(c.name, sizeof(c.name), "%s", name ? name : "");
		hub_secret_make(token);
		hub_secret_hash(token, c.secret_hash);
		c.created_at = now;
		snprintf(c.created_by, sizeof(c.created_by), "%s", by);
		rc = store_credential_add(s, &c, err);
	}
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "token %lld%s%.120s%s",
			 (long long)c.id, c.name[0] ? " '" : "", c.name,
			 c.name[0] ? "'" : "");
		w = (struct hub_audit_write){ by, actor_id, "token.create",
					      a.area_code, 0, 0, "ok", detail,
					      a.id };
		rc = hub_audit_write(s, &w, now, err);
	}
	if (rc < 0 || store_commit(s, err) < 0) {
		store_rollback(s);
		sodium_memzero(token, HUB_SECRET_CHARS + 1);
		return -1;
	}
	*id = c.id;
	return 0;
}

int hub_token_resolve(struct store *s, const char *token, long now,
		      struct hub_principal *who, struct parity_error *err)
{
	struct store_credential c;
	struct store_account a;
	int rc;

	hub_principal_public(who);
	rc = credential_of(s, "token", token, &c, &a, err);
	if (rc <= 0)
		return rc;
	if (c.revoked_at || (c.expires_at && now >= c.expires_at) ||
	    strcmp(a.state, "disabled") == 0)
		return 0;
	if (touch(s, &c, now, err) < 0)
		return -1;
	hub_principal_of(&a, who);
	return 1;
}

int hub_token_revoke(struct store *s, int64_t id, const char *by, long now,
		     struct parity_error *err)
{
	struct store_credential c;
	struct store_account a;
	struct hub_audit_write w;
	char detail[200];
	int64_t actor_id = 0;
	int rc;

	if (!by || !by[0])
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"who is making the change is needed");
	if (store_begin(s, err) < 0)
		return -1;
	rc = store_credential_get(s, id, &c, err);
	if (rc == 0 || (rc == 1 && strcmp(c.kind, "token") != 0))
		rc = parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				      "there is no token %lld",
				      (long long)id);
	else if (rc == 1 && c.revoked_at)
		rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				      "token %lld is revoked already",
				      (long long)id);
	else if (rc == 1)
		rc = hub_actor_account(s, by, &actor_id, err);
	if (rc == 0) {
		rc = store_account_get(s, c.account_id, &a, err);
		if (rc == 0)
			rc = parity_error_set(err, PARITY_ERR_INTERNAL, NULL,
					      0, 0, "token %lld has no account",
					      (long long)id);
		else if (rc == 1)
			rc = 0;
	}
	if (rc == 0)
		rc = store_credential_revoke(s, c.id, now, err);
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "token %lld%s%.120s%s",
			 (long long)c.id, c.name[0] ? " '" : "", c.name,
			 c.name[0] ? "'" : "");
		w = (struct hub_audit_write){ by, actor_id, "token.revoke",
					      a.area_code, 0, 0, "ok", detail,
					      a.id };
		rc = hub_audit_write(s, &w, now, err);
	}
	if (rc < 0 || store_commit(s, err) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}
