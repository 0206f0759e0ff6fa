/*
 * accounts.c - roles, principals, limits, and what is done to accounts:
 * invitations and their acceptance, disabling, resets, unlocking, and
 * listing accounts and tokens (accounts.h). Sign-in, sessions and tokens
 * are in session.c, the audit log in audit.c, passwords in password.c.
 *
 * Each change reads what it needs, does any slow work (hashing a
 * password) outside a transaction, then in one transaction checks again
 * that what it read still holds, makes the change and writes its audit
 * entry.
 */
#include "hub/accounts.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/utf8.h"
#include "domain/area.h"
#include "hub/internal.h"
#include "hub/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- roles, principals, limits ---- */

static const char *const role_names[] = {
	"public", "viewer", "submitter", "analyst", "admin", "reviewer"
};

const char *hub_role_name(enum hub_role role)
{
	if ((unsigned)role >= sizeof(role_names) / sizeof(role_names[0]))
		return "public";
	return role_names[role];
}

int hub_role_parse(const char *name, enum hub_role *out)
{
	size_t k;

	for (k = 0; name && k < sizeof(role_names) / sizeof(role_names[0]);
	     k++)
		if (strcmp(name, role_names[k]) == 0) {
			*out = (enum hub_role)k;
			return 0;
		}
	return -1;
}

static const char *const state_names[] = { "invited", "active", "disabled" };

const char *hub_account_state_name(enum hub_account_state state)
{
	if ((unsigned)state >= sizeof(state_names) / sizeof(state_names[0]))
		return "disabled";
	return state_names[state];
}

static enum hub_account_state state_parse(const char *name)
{
	if (strcmp(name, "invited") == 0)
		return HUB_ACCOUNT_INVITED;
	if (strcmp(name, "active") == 0)
		return HUB_ACCOUNT_ACTIVE;
	return HUB_ACCOUNT_DISABLED;
}

void hub_principal_public(struct hub_principal *who)
{
	memset(who, 0, sizeof(*who));
	who->role = HUB_ROLE_PUBLIC;
}

void hub_principal_cli(struct hub_principal *who, const char *user)
{
	hub_principal_public(who);
	who->role = HUB_ROLE_ADMIN;
	snprintf(who->email, sizeof(who->email), "cli:%s",
		 user && user[0] ? user : "unknown");
}

void hub_principal_of(const struct store_account *a, struct hub_principal *who)
{
	hub_principal_public(who);
	if (hub_role_parse(a->role, &who->role) < 0)
		who->role = HUB_ROLE_PUBLIC;
	who->account_id = a->id;
	snprintf(who->email, sizeof(who->email), "%s", a->email);
	snprintf(who->area_code, sizeof(who->area_code), "%s", a->area_code);
}

bool hub_csrf_check(const struct hub_principal *who, const char *given)
{
	if (!who || who->session_id == 0 ||
	    strlen(who->csrf) != HUB_SECRET_CHARS || !given ||
	    strlen(given) != HUB_SECRET_CHARS)
		return false;
	return sodium_memcmp(who->csrf, given, HUB_SECRET_CHARS) == 0;
}

bool hub_hash_matches(const struct store_credential *c,
		      const unsigned char hash[STORE_SECRET_HASH_BYTES])
{
	return sodium_memcmp(c->secret_hash, hash,
			     STORE_SECRET_HASH_BYTES) == 0;
}

void hub_limits_init(struct hub_limits *l)
{
	l->invitation_seconds = 7L * 24 * 3600;
	l->session_idle_seconds = 30L * 60;
	l->session_absolute_seconds = 12L * 3600;
	l->failures_per_account = 5;
	l->failures_per_ip = 20;
	l->lockout_seconds = 15L * 60;
	l->ip_window_seconds = 15L * 60;
}

/* ---- emails ---- */

int hub_email_normalise(const char *email, char out[256],
			struct parity_error *err)
{
	const char *start = email ? email : "", *end, *at, *dot;
	size_t n, k;

	while (*start == ' ' || *start == '\t')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - start);
	if (n == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"an email address is needed");
	if (n > 254 || !utf8_valid(start, n, NULL))
		goto bad;
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)start[k];

		if (c <= 0x20 || c == 0x7f || strchr("\"<>(),;:\\[]", c))
			goto bad;
		out[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
	at = strchr(out, '@');
	dot = at ? strrchr(at, '.') : NULL;
	if (!at || at == out || strchr(at + 1, '@') || !dot ||
	    dot == at + 1 || dot[1] == '\0')
		goto bad;
	return 0;
bad:
	out[0] = '\0';
	return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				"'%.*s' is not an email address",
				(int)(n > 254 ? 254 : n), start);
}

int hub_actor_account(struct store *s, const char *actor, int64_t *id,
		      struct parity_error *err)
{
	struct store_account a;
	int rc;

	*id = 0;
	if (!actor || !strchr(actor, '@'))
		return 0;
	rc = store_account_find(s, actor, &a, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		*id = a.id;
	return 0;
}

/* The account named `email`, for an admin's request: 0, or -1 with
 * PARITY_ERR_NOT_FOUND when there is none. */
static int account_named(struct store *s, const char *email,
			 struct store_account *a, struct parity_error *err)
{
	char norm[256];
	int rc;

	if (hub_email_normalise(email, norm, err) < 0)
		return -1;
	rc = store_account_find(s, norm, a, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"no account has the email '%s'", norm);
	return 0;
}

static int need_by(const char *by, struct parity_error *err)
{
	if (!by || !by[0])
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"who is making the change is needed");
	return 0;
}

/* ---- invitations ---- */

/* The council `given` names (code or name, any case), as its code into
 * `code`: one of London's 33. */
static int council_code(const char *given, char code[16],
			struct parity_error *err)
{
	struct area_set *areas = NULL;
	int k, rc = 0;

	if (area_set_load(&areas, err) < 0)
		return -1;
	k = area_find(areas, given);
	if (k < 0)
		rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				      "unknown area '%s': a submitter or "
				      "viewer belongs to one of London's 33 "
				      "councils (E09000001 to E09000033; see "
				      "`parity areas`)", given);
	else if (areas->areas[k].type != AREA_BOROUGH)
		rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				      "'%s' (%s) is not a London council: a "
				      "submitter or viewer belongs to one of "
				      "London's 33 (E09000001 to E09000033; "
				      "see `parity areas`)", given,
				      areas->areas[k].name);
	else
		snprintf(code, 16, "%s", areas->areas[k].code);
	area_set_free(areas);
	return rc;
}

/* Check role and area for a new account; the council's code into
 * `code` ("" for roles without one). */
static int role_and_area(enum hub_role role, const char *area_code,
			 char code[16], struct parity_error *err)
{
	bool has_area = area_code && area_code[0];

	code[0] = '\0';
	if (role == HUB_ROLE_PUBLIC || (unsigned)role > HUB_ROLE_REVIEWER)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"an account's role is admin, analyst, "
					"submitter, viewer or reviewer");
	if (role == HUB_ROLE_SUBMITTER || role == HUB_ROLE_VIEWER ||
	    role == HUB_ROLE_REVIEWER) {
		if (!has_area)
			return parity_error_set(err, PARITY_ERR_VALIDATION,
						NULL, 0, 0, "a %s belongs to "
						"one council: its area code "
						"is needed", hub_role_name(role));
		return council_code(area_code, code, err);
	}
	if (has_area)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"an %s works across London and has no "
					"council: leave out the area",
					hub_role_name(role));
	return 0;
}

/* Inside a transaction: a new invitation for account `a`, its secret into
 * `token`. */
static int invitation_add(struct store *s, const struct store_account *a,
			  const char *by, long now, const struct hub_limits *l,
			  char token[HUB_SECRET_CHARS + 1],
			  struct parity_error *err)
{
	struct store_credential c;

	memset(&c, 0, sizeof(c));
	snprintf(c.kind, sizeof(c.kind), "invitation");
	c.account_id = a->id;
	hub_secret_make(token);
	hub_secret_hash(token, c.secret_hash);
	c.created_at = now;
	snprintf(c.created_by, sizeof(c.created_by), "%s", by);
	c.expires_at = now + l->invitation_seconds;
	return store_credential_add(s, &c, err);
}

/* End a change: commit, or roll back and wipe the secret made. */
static int finish(struct store *s, int rc, char *secret,
		  struct parity_error *err)
{
	if (rc == 0 && store_commit(s, err) == 0)
		return 0;
	store_rollback(s);
	if (secret)
		sodium_memzero(secret, HUB_SECRET_CHARS + 1);
	return -1;
}

int hub_invite(struct store *s, const char *email, enum hub_role role,
	       const char *area_code, const char *by, long now,
	       const struct hub_limits *l, char token[HUB_SECRET_CHARS + 1],
	       struct parity_error *err)
{
	struct store_account a;
	struct hub_audit_write w;
	char detail[128];
	int64_t actor_id;
	int rc;

	token[0] = '\0';
	memset(&a, 0, sizeof(a));
	if (hub_sodium_ready(err) < 0 || need_by(by, err) < 0 ||
	    hub_email_normalise(email, a.email, err) < 0 ||
	    role_and_area(role, area_code, a.area_code, err) < 0)
		return -1;
	snprintf(a.role, sizeof(a.role), "%s", hub_role_name(role));
	snprintf(a.state, sizeof(a.state), "invited");
	a.created_at = now;
	snprintf(a.created_by, sizeof(a.created_by), "%s", by);
	if (store_begin(s, err) < 0)
		return -1;
	rc = hub_actor_account(s, by, &actor_id, err);
	if (rc == 0)
		rc = store_account_add(s, &a, err);
	if (rc == 0)
		rc = invitation_add(s, &a, by, now, l, token, err);
	if (rc == 0) {
		char until[CLOCK_UTC_SIZE];

		clock_utc_format(now + l->invitation_seconds, until,
				 sizeof(until));
		snprintf(detail, sizeof(detail), "role %s; link expires %s",
			 a.role, until);
		w = (struct hub_audit_write){ by, actor_id, "account.invite",
					      a.area_code, 0, 0, "ok", detail,
					      a.id };
		rc = hub_audit_write(s, &w, now, err);
	}
	return finish(s, rc, token, err);
}

/* Record a refused acceptance; -1 with `err` set to PARITY_ERR_DENIED. */
static int accept_denied(struct store *s, int64_t account, const char *why,
			 long now, struct parity_error *err)
{
	struct hub_audit_write w = { "public", 0, "invitation.accept", NULL,
				     0, 0, "denied", why, account };

	if (store_begin(s, err) < 0)
		return -1;
	if (finish(s, hub_audit_write(s, &w, now, err), NULL, err) < 0)
		return -1;
	return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
				"this invitation link cannot be used: it is "
				"unknown, used, replaced or expired; ask an "
				"admin for a new one");
}

/*
 * Whether the invitation `hash` names can be used now: 1 with *c and *a
 * filled, 0 with *why saying why not (and *c's account when known), -1
 * on a store failure.
 */
static int invitation_usable(struct store *s,
			     const unsigned char hash[STORE_SECRET_HASH_BYTES],
			     long now, struct store_credential *c,
			     struct store_account *a, const char **why,
			     struct parity_error *err)
{
	int rc = store_credential_find(s, "invitation", hash, c, err);

	if (rc < 0)
		return -1;
	if (rc == 0 || !hub_hash_matches(c, hash)) {
		c->account_id = 0;
		*why = "unknown link";
		return 0;
	}
	rc = store_account_get(s, c->account_id, a, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || strcmp(a->state, "disabled") == 0)
		*why = "account disabled";
	else if (c->revoked_at)
		*why = "link already used or replaced";
	else if (c->expires_at && now >= c->expires_at)
		*why = "link expired";
	else
		return 1;
	return 0;
}

int hub_invitation_accept(struct store *s, const char *token,
			  const char *password, long now,
			  struct hub_principal *who,
			  struct parity_error *err)
{
	unsigned char hash[STORE_SECRET_HASH_BYTES];
	char pwhash[crypto_pwhash_STRBYTES];
	struct store_credential c;
	struct store_account a;
	struct hub_audit_write w;
	const char *why = NULL;
	int rc;

	hub_principal_public(who);
	if (hub_sodium_ready(err) < 0)
		return -1;
	if (!hub_secret_well_formed(token))
		return accept_denied(s, 0, "malformed link", now, err);
	hub_secret_hash(token, hash);
	rc = invitation_usable(s, hash, now, &c, &a, &why, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return accept_denied(s, c.account_id, why, now, err);
	if (hub_password_acceptable_for(password, a.email, err) < 0)
		return -1;
	/* slow (about 0.25 s and 64 MiB): before the transaction */
	if (crypto_pwhash_str(pwhash, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"cannot hash the password: out of "
					"memory");
	if (store_begin(s, err) < 0)
		return -1;
	/* still usable: another request may have used it meanwhile */
	rc = invitation_usable(s, hash, now, &c, &a, &why, err);
	if (rc <= 0) {
		store_rollback(s);
		sodium_memzero(pwhash, sizeof(pwhash));
		return rc < 0 ? -1 : accept_denied(s, c.account_id, why, now,
						   err);
	}
	snprintf(a.state, sizeof(a.state), "active");
	snprintf(a.password_hash, sizeof(a.password_hash), "%s", pwhash);
	sodium_memzero(pwhash, sizeof(pwhash));
	a.failed_signins = 0;
	a.locked_until = 0;
	w = (struct hub_audit_write){ a.email, a.id, "invitation.accept",
				      a.area_code, 0, 0, "ok",
				      "password set", a.id };
	rc = store_account_update(s, &a, err);
	if (rc == 0)
		rc = store_credential_touch(s, c.id, now, err);
	/* this one, and any other outstanding */
	if (rc == 0)
		rc = store_credentials_revoke_all(s, a.id, "invitation", now,
						  NULL, err);
	if (rc == 0)
		rc = hub_audit_write(s, &w, now, err);
	sodium_memzero(a.password_hash, sizeof(a.password_hash));
	if (finish(s, rc, NULL, err) < 0)
		return -1;
	hub_principal_of(&a, who);
	return 0;
}

/* ---- what an admin does ---- */

int hub_account_disable(struct store *s, const char *email, const char *by,
			long now, struct parity_error *err)
{
	struct store_account a;
	struct hub_audit_write w;
	long sessions = 0, tokens = 0, invitations = 0;
	char detail[160];
	int64_t actor_id;
	int rc;

	if (need_by(by, err) < 0 || store_begin(s, err) < 0)
		return -1;
	rc = account_named(s, email, &a, err);
	if (rc == 0 && strcmp(a.state, "disabled") == 0)
		rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				      "the account '%s' is disabled already",
				      a.email);
	if (rc == 0)
		rc = hub_actor_account(s, by, &actor_id, err);
	if (rc == 0) {
		snprintf(a.state, sizeof(a.state), "disabled");
		rc = store_account_update(s, &a, err);
	}
	if (rc == 0)
		rc = store_credentials_revoke_all(s, a.id, "session", now,
						  &sessions, err);
	if (rc == 0)
		rc = store_credentials_revoke_all(s, a.id, "token", now,
						  &tokens, err);
	if (rc == 0)
		rc = store_credentials_revoke_all(s, a.id, "invitation", now,
						  &invitations, err);
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "ended %ld session%s, %ld "
			 "token%s and %ld invitation%s", sessions,
			 sessions == 1 ? "" : "s", tokens,
			 tokens == 1 ? "" : "s", invitations,
			 invitations == 1 ? "" : "s");
		w = (struct hub_audit_write){ by, actor_id, "account.disable",
					      a.area_code, 0, 0, "ok", detail,
					      a.id };
		rc = hub_audit_write(s, &w, now, err);
	}
	return finish(s, rc, NULL, err);
}

int hub_account_reset(struct store *s, const char *email, const char *by,
		      long now, const struct hub_limits *l,
		      char token[HUB_SECRET_CHARS + 1],
		      struct parity_error *err)
{
	struct store_account a;
	struct hub_audit_write w;
	long sessions = 0;
	char detail[160], until[CLOCK_UTC_SIZE];
	int64_t actor_id;
	int rc;

	token[0] = '\0';
	if (hub_sodium_ready(err) < 0 || need_by(by, err) < 0 ||
	    store_begin(s, err) < 0)
		return -1;
	rc = account_named(s, email, &a, err);
	if (rc == 0 && strcmp(a.state, "disabled") == 0)
		rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				      "the account '%s' is disabled: it "
				      "cannot be reset", a.email);
	if (rc == 0)
		rc = hub_actor_account(s, by, &actor_id, err);
	if (rc == 0) {
		snprintf(a.state, sizeof(a.state), "invited");
		a.password_hash[0] = '\0';
		a.failed_signins = 0;
		a.locked_until = 0;
		rc = store_account_update(s, &a, err);
	}
	if (rc == 0)
		rc = store_credentials_revoke_all(s, a.id, "session", now,
						  &sessions, err);
	if (rc == 0)
		rc = store_credentials_revoke_all(s, a.id, "invitation", now,
						  NULL, err);
	if (rc == 0)
		rc = invitation_add(s, &a, by, now, l, token, err);
	if (rc == 0) {
		clock_utc_format(now + l->invitation_seconds, until,
				 sizeof(until));
		snprintf(detail, sizeof(detail), "old password cleared; ended "
			 "%ld session%s; link expires %s", sessions,
			 sessions == 1 ? "" : "s", until);
		w = (struct hub_audit_write){ by, actor_id, "account.reset",
					      a.area_code, 0, 0, "ok", detail,
					      a.id };
		rc = hub_audit_write(s, &w, now, err);
	}
	return finish(s, rc, token, err);
}

int hub_account_unlock(struct store *s, const char *email, const char *by,
		       long now, struct parity_error *err)
{
	struct store_account a;
	struct hub_audit_write w;
	char detail[160], until[CLOCK_UTC_SIZE];
	int64_t actor_id;
	int rc;

	if (need_by(by, err) < 0 || store_begin(s, err) < 0)
		return -1;
	rc = account_named(s, email, &a, err);
	if (rc == 0)
		rc = hub_actor_account(s, by, &actor_id, err);
	if (rc == 0) {
		if (a.locked_until > now) {
			clock_utc_format(a.locked_until, until, sizeof(until));
			snprintf(detail, sizeof(detail), "was locked until %s",
				 until);
		} else {
			snprintf(detail, sizeof(detail), "was not locked; %d "
				 "failed sign-in%s cleared", a.failed_signins,
				 a.failed_signins == 1 ? "" : "s");
		}
		a.failed_signins = 0;
		a.locked_until = 0;
		rc = store_account_update(s, &a, err);
	}
	if (rc == 0) {
		w = (struct hub_audit_write){ by, actor_id, "account.unlock",
					      a.area_code, 0, 0, "ok", detail,
					      a.id };
		rc = hub_audit_write(s, &w, now, err);
	}
	return finish(s, rc, NULL, err);
}

/* ---- listing ---- */

static void account_out(const struct store_account *a, long now,
			const struct store_credential *tokens, size_t ntokens,
			struct hub_account *out)
{
	size_t k;

	memset(out, 0, sizeof(*out));
	out->id = a->id;
	snprintf(out->email, sizeof(out->email), "%s", a->email);
	if (hub_role_parse(a->role, &out->role) < 0)
		out->role = HUB_ROLE_PUBLIC;
	snprintf(out->area_code, sizeof(out->area_code), "%s", a->area_code);
	out->state = state_parse(a->state);
	out->created_at = a->created_at;
	snprintf(out->created_by, sizeof(out->created_by), "%s",
		 a->created_by);
	out->last_signin = a->last_signin;
	out->locked = a->locked_until > now;
	out->locked_until = out->locked ? a->locked_until : 0;
	out->failed_signins = a->failed_signins;
	for (k = 0; k < ntokens; k++)
		if (tokens[k].account_id == a->id && !tokens[k].revoked_at &&
		    (!tokens[k].expires_at || tokens[k].expires_at > now) &&
		    out->state != HUB_ACCOUNT_DISABLED)
			out->tokens++;
}

int hub_accounts_list(struct store *s, long now, struct hub_account **out,
		      size_t *count, struct parity_error *err)
{
	struct store_account *a = NULL;
	struct store_credential *t = NULL;
	size_t n = 0, nt = 0, k;

	*out = NULL;
	*count = 0;
	if (store_accounts_list(s, &a, &n, err) < 0)
		return -1;
	if (store_credentials_list(s, "token", &t, &nt, err) < 0) {
		free(a);
		return -1;
	}
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (k = 0; k < n; k++)
		account_out(&a[k], now, t, nt, &(*out)[k]);
	*count = n;
	free(a);
	free(t);
	return 0;
}

int hub_account_get(struct store *s, const char *email, long now,
		    struct hub_account *out, struct parity_error *err)
{
	struct store_credential *t = NULL;
	struct store_account a;
	size_t nt = 0;

	if (account_named(s, email, &a, err) < 0 ||
	    store_credentials_list(s, "token", &t, &nt, err) < 0)
		return -1;
	account_out(&a, now, t, nt, out);
	free(t);
	return 0;
}

int hub_tokens_list(struct store *s, struct hub_token **out, size_t *count,
		    struct parity_error *err)
{
	struct store_credential *t = NULL;
	size_t n = 0, k;

	*out = NULL;
	*count = 0;
	if (store_credentials_list(s, "token", &t, &n, err) < 0)
		return -1;
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (k = 0; k < n; k++) {
		struct hub_token *o = &(*out)[k];

		o->id = t[k].id;
		snprintf(o->email, sizeof(o->email), "%s", t[k].email);
		snprintf(o->name, sizeof(o->name), "%s", t[k].name);
		o->created_at = t[k].created_at;
		snprintf(o->created_by, sizeof(o->created_by), "%s",
			 t[k].created_by);
		o->last_used_at = t[k].last_used_at;
		o->expires_at = t[k].expires_at;
		o->revoked_at = t[k].revoked_at;
	}
	*count = n;
	free(t);
	return 0;
}
