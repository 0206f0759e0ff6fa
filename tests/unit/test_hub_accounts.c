/*
 * test_hub_accounts.c - the hub's accounts end to end on a real store:
 * an invitation accepted, a sign-in, its session resolved and signed
 * out; invitations and sessions expiring as `now` moves (idle and
 * absolute); API tokens made, resolved and revoked; a disabled account's
 * sessions and tokens refused; lockout after repeated failures per
 * account and per address, and unlocking; a reset; and no secret ever in
 * the store's files.
 *
 * Each password is hashed with Argon2id at libsodium's INTERACTIVE
 * limits (about a quarter of a second here), so the tests sign in no
 * more than they must, and use small limits where they count failures.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "hub/accounts.h"
#include "store/store.h"

#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2024-05-01T09:00:00Z */
#define T0 1714554000L

struct fixture {
	char dir[64];
	char db[128];
	struct store *s;
	struct hub_limits l;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct parity_error err = PARITY_ERROR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-hub-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/h.db", f->dir);
	if (store_create(f->db, &err) < 0 || store_open(&f->s, f->db, &err) < 0)
		return -1;
	hub_limits_init(&f->l);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Invite `email` and return the invitation in `token`. */
static void invite(struct fixture *f, const char *email, enum hub_role role,
		   const char *area, long now, char token[HUB_SECRET_CHARS + 1])
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (hub_invite(f->s, email, role, area, "cli:tester", now, &f->l, token,
		       &err) != 0)
		fail_msg("invite %s: %s", email, err.message);
	assert_int_equal(strlen(token), HUB_SECRET_CHARS);
}

static void accept(struct fixture *f, const char *token, const char *password,
		   long now)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;

	if (hub_invitation_accept(f->s, token, password, now, &who, &err) != 0)
		fail_msg("accept: %s", err.message);
}

/* An active account with `password`. */
static void active(struct fixture *f, const char *email, enum hub_role role,
		   const char *area, const char *password, long now)
{
	char token[HUB_SECRET_CHARS + 1];

	invite(f, email, role, area, now, token);
	accept(f, token, password, now);
}

static int sign_in(struct fixture *f, const char *email, const char *password,
		   const char *ip, long now, char session[HUB_SECRET_CHARS + 1],
		   struct hub_principal *who, struct parity_error *err)
{
	parity_error_clear(err);
	return hub_sign_in(f->s, email, password, ip, now, &f->l, session, who,
			   err);
}

static void test_roles_and_limits(void **state)
{
	enum hub_role r, back;
	struct hub_limits l;
	struct hub_principal who;

	(void)state;
	for (r = HUB_ROLE_PUBLIC; r <= HUB_ROLE_REVIEWER; r++) {
		assert_int_equal(hub_role_parse(hub_role_name(r), &back), 0);
		assert_int_equal(back, r);
	}
	assert_string_equal(hub_role_name(HUB_ROLE_SUBMITTER), "submitter");
	assert_int_equal(hub_role_parse("Admin", &back), -1);
	assert_int_equal(hub_role_parse("root", &back), -1);
	hub_limits_init(&l);
	assert_int_equal(l.invitation_seconds, 7 * 24 * 3600);
	assert_int_equal(l.session_idle_seconds, 30 * 60);
	assert_int_equal(l.session_absolute_seconds, 12 * 3600);
	assert_int_equal(l.failures_per_account, 5);
	assert_int_equal(l.failures_per_ip, 20);
	assert_int_equal(l.lockout_seconds, 15 * 60);
	assert_int_equal(l.ip_window_seconds, 15 * 60);
	hub_principal_public(&who);
	assert_int_equal(who.role, HUB_ROLE_PUBLIC);
	assert_int_equal(who.account_id, 0);
	assert_string_equal(who.csrf, "");
	assert_false(hub_csrf_check(&who, ""));
	hub_principal_cli(&who, "alice");
	assert_string_equal(who.email, "cli:alice");
	assert_int_equal(who.role, HUB_ROLE_ADMIN);
}

static void invite_refused(struct fixture *f, const char *email,
			   enum hub_role role, const char *area,
			   enum parity_status code, const char *message)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char token[HUB_SECRET_CHARS + 1] = "x";

	assert_int_equal(hub_invite(f->s, email, role, area, "cli:tester", T0,
				    &f->l, token, &err), -1);
	assert_int_equal(err.code, code);
	assert_string_equal(err.message, message);
	assert_string_equal(token, "");
}

static void test_invite_checks(void **state)
{
	struct fixture *f = *state;
	struct hub_account a;
	struct parity_error err = PARITY_ERROR_INIT;
	char token[HUB_SECRET_CHARS + 1];

	invite_refused(f, "a@brent.gov.uk", HUB_ROLE_PUBLIC, NULL,
		       PARITY_ERR_VALIDATION,
		       "an account's role is admin, analyst, submitter, "
		       "viewer or reviewer");
	invite_refused(f, "a@brent.gov.uk", HUB_ROLE_REVIEWER, NULL,
		       PARITY_ERR_VALIDATION,
		       "a reviewer belongs to one council: its area code is "
		       "needed");
	invite_refused(f, "a@brent.gov.uk", HUB_ROLE_SUBMITTER, NULL,
		       PARITY_ERR_VALIDATION,
		       "a submitter belongs to one council: its area code is "
		       "needed");
	invite_refused(f, "a@brent.gov.uk", HUB_ROLE_VIEWER, "E12000007",
		       PARITY_ERR_VALIDATION,
		       "'E12000007' (London) is not a London council: a "
		       "submitter or viewer belongs to one of London's 33 "
		       "(E09000001 to E09000033; see `parity areas`)");
	invite_refused(f, "a@brent.gov.uk", HUB_ROLE_VIEWER, "Birmingham",
		       PARITY_ERR_VALIDATION,
		       "'Birmingham' (Birmingham) is not a London council: a "
		       "submitter or viewer belongs to one of London's 33 "
		       "(E09000001 to E09000033; see `parity areas`)");
	invite_refused(f, "a@brent.gov.uk", HUB_ROLE_VIEWER, "E09000099",
		       PARITY_ERR_VALIDATION,
		       "unknown area 'E09000099': a submitter or viewer "
		       "belongs to one of London's 33 councils (E09000001 to "
		       "E09000033; see `parity areas`)");
	invite_refused(f, "a@lc.gov.uk", HUB_ROLE_ANALYST, "E09000005",
		       PARITY_ERR_VALIDATION,
		       "an analyst works across London and has no council: "
		       "leave out the area");
	invite_refused(f, "not an email", HUB_ROLE_ANALYST, NULL,
		       PARITY_ERR_VALIDATION,
		       "'not an email' is not an email address");
	invite_refused(f, "a@localhost", HUB_ROLE_ANALYST, NULL,
		       PARITY_ERR_VALIDATION,
		       "'a@localhost' is not an email address");
	invite_refused(f, "  ", HUB_ROLE_ANALYST, NULL,
		       PARITY_ERR_VALIDATION, "an email address is needed");

	/* a council by name is kept by its code; the email in lower case */
	invite(f, " Jo.Ng@Brent.GOV.uk ", HUB_ROLE_SUBMITTER, "brent", T0,
	       token);
	assert_int_equal(hub_account_get(f->s, "jo.ng@brent.gov.uk", T0, &a,
					 &err), 0);
	assert_string_equal(a.email, "jo.ng@brent.gov.uk");
	assert_string_equal(a.area_code, "E09000005");
	assert_int_equal(a.role, HUB_ROLE_SUBMITTER);
	assert_int_equal(a.state, HUB_ACCOUNT_INVITED);
	assert_string_equal(a.created_by, "cli:tester");
	assert_int_equal(a.last_signin, 0);
	/* the same email again, in any case */
	invite_refused(f, "JO.NG@brent.gov.uk", HUB_ROLE_VIEWER, "E09000005",
		       PARITY_ERR_VALIDATION,
		       "an account for 'jo.ng@brent.gov.uk' already exists");
	assert_int_equal(hub_account_get(f->s, "nobody@brent.gov.uk", T0, &a,
					 &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	assert_string_equal(err.message,
			    "no account has the email 'nobody@brent.gov.uk'");
}

static void test_invite_accept_sign_in_out(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who, again;
	struct hub_account a;
	char token[HUB_SECRET_CHARS + 1], session[HUB_SECRET_CHARS + 1];
	char csrf[HUB_SECRET_CHARS + 1];
	const char *pw = "grey whales migrate south";

	invite(f, "jo.ng@brent.gov.uk", HUB_ROLE_SUBMITTER, "E09000005", T0,
	       token);
	/* an invited account cannot sign in */
	assert_int_equal(sign_in(f, "jo.ng@brent.gov.uk", pw, "192.0.2.1", T0,
				 session, &who, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	/* a password refused leaves the invitation usable */
	assert_int_equal(hub_invitation_accept(f->s, token, "password1234", T0,
					       &who, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_int_equal(who.role, HUB_ROLE_PUBLIC);
	assert_int_equal(hub_invitation_accept(f->s, token, pw, T0 + 60, &who,
					       &err), 0);
	assert_int_equal(who.role, HUB_ROLE_SUBMITTER);
	assert_string_equal(who.email, "jo.ng@brent.gov.uk");
	assert_string_equal(who.area_code, "E09000005");
	assert_int_equal(who.session_id, 0);
	/* spent */
	assert_int_equal(hub_invitation_accept(f->s, token, pw, T0 + 120, &who,
					       &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	assert_string_equal(err.message,
			    "this invitation link cannot be used: it is "
			    "unknown, used, replaced or expired; ask an admin "
			    "for a new one");
	assert_int_equal(hub_account_get(f->s, "jo.ng@brent.gov.uk", T0, &a,
					 &err), 0);
	assert_int_equal(a.state, HUB_ACCOUNT_ACTIVE);

	/* the email in any case */
	assert_int_equal(sign_in(f, "JO.NG@brent.gov.uk", pw, "192.0.2.1",
				 T0 + 180, session, &who, &err), 0);
	assert_int_equal(strlen(session), HUB_SECRET_CHARS);
	assert_int_equal(who.role, HUB_ROLE_SUBMITTER);
	assert_true(who.session_id > 0);
	assert_int_equal(strlen(who.csrf), HUB_SECRET_CHARS);
	assert_string_not_equal(who.csrf, session);
	assert_true(hub_csrf_check(&who, who.csrf));
	assert_false(hub_csrf_check(&who, session));
	assert_false(hub_csrf_check(&who, NULL));
	memcpy(csrf, who.csrf, sizeof(csrf));

	assert_int_equal(hub_session_resolve(f->s, session, T0 + 240, &f->l,
					     &again, &err), 1);
	assert_int_equal(again.account_id, who.account_id);
	assert_int_equal(again.session_id, who.session_id);
	assert_string_equal(again.csrf, csrf); /* the same for the session */
	assert_string_equal(again.area_code, "E09000005");
	assert_int_equal(hub_account_get(f->s, "jo.ng@brent.gov.uk", T0, &a,
					 &err), 0);
	assert_int_equal(a.last_signin, T0 + 180);

	/* unknown and malformed sessions are the public */
	memcpy(csrf, session, sizeof(csrf));
	csrf[0] = session[0] == 'A' ? 'B' : 'A';
	assert_int_equal(hub_session_resolve(f->s, csrf, T0 + 240, &f->l,
					     &again, &err), 0);
	assert_int_equal(again.role, HUB_ROLE_PUBLIC);
	assert_int_equal(hub_session_resolve(f->s, "short", T0, &f->l, &again,
					     &err), 0);
	assert_int_equal(hub_session_resolve(f->s, NULL, T0, &f->l, &again,
					     &err), 0);
	assert_int_equal(hub_session_resolve(f->s, "!!!!!!!!!!!!!!!!!!!!!!!!"
					     "!!!!!!!!!!!!!!!!!!!", T0, &f->l,
					     &again, &err), 0);

	assert_int_equal(hub_sign_out(f->s, session, T0 + 300, &err), 0);
	assert_int_equal(hub_session_resolve(f->s, session, T0 + 301, &f->l,
					     &again, &err), 0);
	assert_int_equal(again.role, HUB_ROLE_PUBLIC);
	assert_string_equal(again.csrf, "");
	/* signing out again, or an unknown session, is nothing */
	assert_int_equal(hub_sign_out(f->s, session, T0 + 302, &err), 0);
	assert_int_equal(hub_sign_out(f->s, "nonsense", T0 + 302, &err), 0);
}

/* The same message for an unknown email, a wrong password, an invited,
 * a disabled and a locked account. */
static void denied(struct fixture *f, const char *email, const char *pw,
		   long now)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char session[HUB_SECRET_CHARS + 1] = "x";

	assert_int_equal(sign_in(f, email, pw, "192.0.2.9", now, session, &who,
				 &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	assert_string_equal(err.message,
			    "sign-in refused: the email address or password "
			    "is wrong, or the account is not active, or it is "
			    "locked for a while after repeated failed "
			    "sign-ins");
	assert_string_equal(session, "");
	assert_int_equal(who.role, HUB_ROLE_PUBLIC);
}

static void test_invitation_expires(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char token[HUB_SECRET_CHARS + 1];
	long week = f->l.invitation_seconds;

	invite(f, "late@camden.gov.uk", HUB_ROLE_VIEWER, "E09000007", T0,
	       token);
	assert_int_equal(hub_invitation_accept(f->s, token,
					       "grey whales migrate south",
					       T0 + week, &who, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	/* a second before, it would have done */
	invite(f, "prompt@camden.gov.uk", HUB_ROLE_VIEWER, "E09000007", T0,
	       token);
	accept(f, token, "grey whales migrate south", T0 + week - 1);
}

static void test_session_timeouts(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char session[HUB_SECRET_CHARS + 1];
	const char *pw = "grey whales migrate south";
	long idle = f->l.session_idle_seconds, t;

	active(f, "ann@lc.gov.uk", HUB_ROLE_ANALYST, NULL, pw, T0);
	/* idle: used within 30 minutes it lives on; left 30, it ends */
	assert_int_equal(sign_in(f, "ann@lc.gov.uk", pw, "192.0.2.1", T0,
				 session, &who, &err), 0);
	assert_int_equal(hub_session_resolve(f->s, session, T0 + idle - 1,
					     &f->l, &who, &err), 1);
	assert_int_equal(hub_session_resolve(f->s, session,
					     T0 + 2 * idle - 2, &f->l, &who,
					     &err), 1);
	assert_int_equal(hub_session_resolve(f->s, session,
					     T0 + 3 * idle - 2, &f->l, &who,
					     &err), 0);
	assert_int_equal(who.role, HUB_ROLE_PUBLIC);

	/* absolute: used every 20 minutes, it still ends 12 hours on */
	assert_int_equal(sign_in(f, "ann@lc.gov.uk", pw, "192.0.2.1", T0,
				 session, &who, &err), 0);
	for (t = T0; t < T0 + f->l.session_absolute_seconds; t += 20 * 60)
		assert_int_equal(hub_session_resolve(f->s, session, t, &f->l,
						     &who, &err), 1);
	assert_int_equal(hub_session_resolve(f->s, session,
					     T0 + f->l.session_absolute_seconds,
					     &f->l, &who, &err), 0);
}

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	struct hub_token *list = NULL;
	struct hub_account a;
	char invitation[HUB_SECRET_CHARS + 1], token[HUB_SECRET_CHARS + 1];
	char other[HUB_SECRET_CHARS + 1], msg[64];
	int64_t id, id2;
	size_t n;

	/* an invited account may have a token: a council's nightly upload */
	invite(f, "upload@brent.gov.uk", HUB_ROLE_SUBMITTER, "E09000005", T0,
	       invitation);
	assert_int_equal(hub_token_create(f->s, "Upload@Brent.gov.uk",
					  "nightly upload", "cli:tester", T0,
					  token, &id, &err), 0);
	assert_true(id > 0);
	assert_int_equal(strlen(token), HUB_SECRET_CHARS);
	assert_int_equal(hub_token_create(f->s, "upload@brent.gov.uk", NULL,
					  "cli:tester", T0, other, &id2, &err),
			 0);
	assert_string_not_equal(token, other);
	assert_int_equal(hub_token_resolve(f->s, token, T0 + 10, &who, &err),
			 1);
	assert_int_equal(who.role, HUB_ROLE_SUBMITTER);
	assert_string_equal(who.area_code, "E09000005");
	assert_int_equal(who.session_id, 0);
	assert_string_equal(who.csrf, "");
	/* a token is not a session, nor a session a token */
	assert_int_equal(hub_session_resolve(f->s, token, T0 + 10, &f->l, &who,
					     &err), 0);
	assert_int_equal(hub_account_get(f->s, "upload@brent.gov.uk", T0, &a,
					 &err), 0);
	assert_int_equal(a.tokens, 2);

	assert_int_equal(hub_token_revoke(f->s, id, "cli:tester", T0 + 20,
					  &err), 0);
	assert_int_equal(hub_token_resolve(f->s, token, T0 + 21, &who, &err),
			 0);
	assert_int_equal(who.role, HUB_ROLE_PUBLIC);
	assert_int_equal(hub_token_resolve(f->s, other, T0 + 21, &who, &err),
			 1);
	assert_int_equal(hub_token_revoke(f->s, id, "cli:tester", T0 + 30,
					  &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	snprintf(msg, sizeof(msg), "token %lld is revoked already",
		 (long long)id);
	assert_string_equal(err.message, msg);
	assert_int_equal(hub_token_revoke(f->s, 99, "cli:tester", T0 + 30,
					  &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	assert_string_equal(err.message, "there is no token 99");

	assert_int_equal(hub_tokens_list(f->s, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].email, "upload@brent.gov.uk");
	assert_string_equal(list[0].name, "nightly upload");
	assert_int_equal(list[0].last_used_at, T0 + 10);
	assert_int_equal(list[0].revoked_at, T0 + 20);
	assert_string_equal(list[1].name, "");
	assert_int_equal(list[1].revoked_at, 0);
	free(list);

	assert_int_equal(hub_token_create(f->s, "nobody@brent.gov.uk", NULL,
					  "cli:tester", T0, token, &id, &err),
			 -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	assert_string_equal(token, "");
	assert_int_equal(hub_token_create(f->s, "upload@brent.gov.uk",
					  "bad\nname", "cli:tester", T0, token,
					  &id, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
}

static void test_disabled_account(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char session[HUB_SECRET_CHARS + 1], token[HUB_SECRET_CHARS + 1];
	char invitation[HUB_SECRET_CHARS + 1];
	const char *pw = "grey whales migrate south";
	int64_t id;

	active(f, "leaver@brent.gov.uk", HUB_ROLE_VIEWER, "E09000005", pw, T0);
	assert_int_equal(sign_in(f, "leaver@brent.gov.uk", pw, "192.0.2.1", T0,
				 session, &who, &err), 0);
	assert_int_equal(hub_token_create(f->s, "leaver@brent.gov.uk", "x",
					  "cli:tester", T0, token, &id, &err),
			 0);
	assert_int_equal(hub_account_disable(f->s, "Leaver@brent.gov.uk",
					     "cli:tester", T0 + 60, &err), 0);
	assert_int_equal(hub_session_resolve(f->s, session, T0 + 61, &f->l,
					     &who, &err), 0);
	assert_int_equal(hub_token_resolve(f->s, token, T0 + 61, &who, &err),
			 0);
	denied(f, "leaver@brent.gov.uk", pw, T0 + 62);
	assert_int_equal(hub_account_disable(f->s, "leaver@brent.gov.uk",
					     "cli:tester", T0 + 63, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_string_equal(err.message,
			    "the account 'leaver@brent.gov.uk' is disabled "
			    "already");
	assert_int_equal(hub_token_create(f->s, "leaver@brent.gov.uk", NULL,
					  "cli:tester", T0, token, &id, &err),
			 -1);
	assert_string_equal(err.message,
			    "the account 'leaver@brent.gov.uk' is disabled: it "
			    "cannot have a token");
	assert_int_equal(hub_account_reset(f->s, "leaver@brent.gov.uk",
					   "cli:tester", T0, &f->l, token,
					   &err), -1);
	assert_string_equal(err.message,
			    "the account 'leaver@brent.gov.uk' is disabled: it "
			    "cannot be reset");
	assert_int_equal(hub_account_disable(f->s, "nobody@brent.gov.uk",
					     "cli:tester", T0, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);

	/* an invitation outstanding when its account is disabled is dead */
	invite(f, "never@brent.gov.uk", HUB_ROLE_VIEWER, "E09000005", T0,
	       invitation);
	assert_int_equal(hub_account_disable(f->s, "never@brent.gov.uk",
					     "cli:tester", T0 + 60, &err), 0);
	assert_int_equal(hub_invitation_accept(f->s, invitation, pw, T0 + 61,
					       &who, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);

	/* the same refusal as an email nobody has */
	denied(f, "nobody@brent.gov.uk", pw, T0 + 62);
	denied(f, "not an email", pw, T0 + 62);
}

static void test_lockout_per_account(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	struct hub_account a;
	char session[HUB_SECRET_CHARS + 1];
	const char *pw = "grey whales migrate south";
	int k;

	f->l.failures_per_account = 3;
	active(f, "bo@lc.gov.uk", HUB_ROLE_ANALYST, NULL, pw, T0);
	/* a success clears the count */
	denied(f, "bo@lc.gov.uk", "wrong password here", T0 + 1);
	denied(f, "bo@lc.gov.uk", "wrong password here", T0 + 2);
	assert_int_equal(sign_in(f, "bo@lc.gov.uk", pw, "192.0.2.1", T0 + 3,
				 session, &who, &err), 0);
	for (k = 0; k < 3; k++)
		denied(f, "bo@lc.gov.uk", "wrong password here", T0 + 10 + k);
	assert_int_equal(hub_account_get(f->s, "bo@lc.gov.uk", T0 + 13, &a,
					 &err), 0);
	assert_true(a.locked);
	assert_int_equal(a.locked_until, T0 + 12 + f->l.lockout_seconds);
	/* locked: the right password too, with the same message */
	denied(f, "bo@lc.gov.uk", pw, T0 + 14);
	/* unlocked by an admin */
	assert_int_equal(hub_account_unlock(f->s, "bo@lc.gov.uk", "cli:tester",
					    T0 + 15, &err), 0);
	assert_int_equal(sign_in(f, "bo@lc.gov.uk", pw, "192.0.2.1", T0 + 16,
				 session, &who, &err), 0);
	/* or by time */
	for (k = 0; k < 3; k++)
		denied(f, "bo@lc.gov.uk", "wrong password here", T0 + 20 + k);
	denied(f, "bo@lc.gov.uk", pw, T0 + 22 + f->l.lockout_seconds - 1);
	assert_int_equal(sign_in(f, "bo@lc.gov.uk", pw, "192.0.2.1",
				 T0 + 22 + f->l.lockout_seconds, session, &who,
				 &err), 0);
	assert_int_equal(hub_account_unlock(f->s, "nobody@lc.gov.uk",
					    "cli:tester", T0, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
}

static void test_limit_per_address(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char session[HUB_SECRET_CHARS + 1];
	const char *pw = "grey whales migrate south";
	const char *emails[] = { "a@x.gov.uk", "b@x.gov.uk", "c@x.gov.uk",
				 "d@x.gov.uk" };
	int k;

	f->l.failures_per_ip = 4;
	active(f, "cy@lc.gov.uk", HUB_ROLE_ANALYST, NULL, pw, T0);
	/* four failures from one address, each at another email */
	for (k = 0; k < 4; k++)
		assert_int_equal(sign_in(f, emails[k], pw, "198.51.100.7",
					 T0 + k, session, &who, &err), -1);
	/* the fifth is refused before any password is checked, even the
	 * right one */
	assert_int_equal(sign_in(f, "cy@lc.gov.uk", pw, "198.51.100.7", T0 + 5,
				 session, &who, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_LIMIT);
	assert_string_equal(err.message,
			    "too many failed sign-ins from this address: try "
			    "again in 15 minutes");
	assert_string_equal(session, "");
	/* another address is not held back */
	assert_int_equal(sign_in(f, "cy@lc.gov.uk", pw, "198.51.100.8", T0 + 5,
				 session, &who, &err), 0);
	/* once the window has passed, the first failure no longer counts */
	assert_int_equal(sign_in(f, "cy@lc.gov.uk", pw, "198.51.100.7",
				 T0 + f->l.ip_window_seconds + 1, session,
				 &who, &err), 0);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	struct hub_account a;
	char first[HUB_SECRET_CHARS + 1], second[HUB_SECRET_CHARS + 1];
	char session[HUB_SECRET_CHARS + 1], token[HUB_SECRET_CHARS + 1];
	const char *old_pw = "grey whales migrate south";
	const char *new_pw = "otters hold hands asleep";
	int64_t id;

	f->l.failures_per_account = 2;
	active(f, "di@lc.gov.uk", HUB_ROLE_ADMIN, NULL, old_pw, T0);
	assert_int_equal(sign_in(f, "di@lc.gov.uk", old_pw, "192.0.2.1", T0,
				 session, &who, &err), 0);
	assert_int_equal(hub_token_create(f->s, "di@lc.gov.uk", "script",
					  "cli:tester", T0, token, &id, &err),
			 0);
	denied(f, "di@lc.gov.uk", "not the password", T0 + 1);
	denied(f, "di@lc.gov.uk", "not the password", T0 + 2);
	assert_int_equal(hub_account_get(f->s, "di@lc.gov.uk", T0 + 3, &a,
					 &err), 0);
	assert_true(a.locked);

	assert_int_equal(hub_account_reset(f->s, "di@lc.gov.uk", "cli:tester",
					   T0 + 10, &f->l, first, &err), 0);
	assert_int_equal(hub_account_get(f->s, "di@lc.gov.uk", T0 + 11, &a,
					 &err), 0);
	assert_false(a.locked);
	assert_int_equal(a.state, HUB_ACCOUNT_INVITED);
	/* the old password and the session end at once; the token goes on */
	denied(f, "di@lc.gov.uk", old_pw, T0 + 11);
	assert_int_equal(hub_session_resolve(f->s, session, T0 + 11, &f->l,
					     &who, &err), 0);
	assert_int_equal(hub_token_resolve(f->s, token, T0 + 11, &who, &err),
			 1);
	/* a second reset replaces the first link */
	assert_int_equal(hub_account_reset(f->s, "di@lc.gov.uk", "cli:tester",
					   T0 + 12, &f->l, second, &err), 0);
	assert_int_equal(hub_invitation_accept(f->s, first, new_pw, T0 + 13,
					       &who, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	accept(f, second, new_pw, T0 + 14);
	assert_int_equal(sign_in(f, "di@lc.gov.uk", new_pw, "192.0.2.1",
				 T0 + 15, session, &who, &err), 0);
	assert_int_equal(who.role, HUB_ROLE_ADMIN);
	assert_int_equal(hub_account_reset(f->s, "nobody@lc.gov.uk",
					   "cli:tester", T0, &f->l, first,
					   &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
}

static void test_accounts_list(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_account *list = NULL;
	char token[HUB_SECRET_CHARS + 1];
	size_t n;

	invite(f, "zed@lc.gov.uk", HUB_ROLE_ANALYST, NULL, T0, token);
	invite(f, "amy@brent.gov.uk", HUB_ROLE_VIEWER, "E09000005", T0 + 1,
	       token);
	assert_int_equal(hub_accounts_list(f->s, T0 + 2, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].email, "amy@brent.gov.uk");
	assert_string_equal(list[0].area_code, "E09000005");
	assert_int_equal(list[0].created_at, T0 + 1);
	assert_string_equal(list[1].email, "zed@lc.gov.uk");
	assert_string_equal(list[1].area_code, "");
	assert_string_equal(hub_account_state_name(list[1].state), "invited");
	free(list);
}

/* Whether `needle` occurs in the file at `path` (absent: no). */
static bool file_holds(const char *path, const void *needle, size_t n)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	size_t len = 0, cap = 1 << 20, got, k;
	bool found = false;

	if (!fp)
		return false;
	buf = xmalloc(cap);
	while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += got;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(fp);
	for (k = 0; !found && k + n <= len; k++)
		found = memcmp(buf + k, needle, n) == 0;
	free(buf);
	return found;
}

static void assert_nowhere(const struct fixture *f, const char *secret)
{
	char path[160];
	unsigned char raw[32];
	size_t n = 0;

	snprintf(path, sizeof(path), "%s-wal", f->db);
	assert_false(file_holds(f->db, secret, strlen(secret)));
	assert_false(file_holds(path, secret, strlen(secret)));
	/* nor the 32 bytes it stands for */
	if (strlen(secret) == HUB_SECRET_CHARS &&
	    sodium_base642bin(raw, sizeof(raw), secret, HUB_SECRET_CHARS, NULL,
			      &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0) {
		assert_false(file_holds(f->db, raw, n));
		assert_false(file_holds(path, raw, n));
	}
}

static void test_secrets_never_stored(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char invitation[HUB_SECRET_CHARS + 1], reset[HUB_SECRET_CHARS + 1];
	char session[HUB_SECRET_CHARS + 1], token[HUB_SECRET_CHARS + 1];
	char csrf[HUB_SECRET_CHARS + 1];
	const char *pw = "a secret we must not find";
	int64_t id;

	invite(f, "eve@lc.gov.uk", HUB_ROLE_ANALYST, NULL, T0, invitation);
	accept(f, invitation, pw, T0);
	assert_int_equal(sign_in(f, "eve@lc.gov.uk", pw, "192.0.2.1", T0,
				 session, &who, &err), 0);
	memcpy(csrf, who.csrf, sizeof(csrf));
	assert_int_equal(hub_token_create(f->s, "eve@lc.gov.uk", "t",
					  "cli:tester", T0, token, &id, &err),
			 0);
	assert_int_equal(hub_token_resolve(f->s, token, T0 + 100, &who, &err),
			 1);
	assert_int_equal(hub_account_reset(f->s, "eve@lc.gov.uk", "cli:tester",
					   T0 + 200, &f->l, reset, &err), 0);
	/* with the log still open, then checkpointed into the file */
	assert_nowhere(f, invitation);
	assert_nowhere(f, reset);
	assert_nowhere(f, session);
	assert_nowhere(f, token);
	assert_nowhere(f, csrf);
	assert_nowhere(f, pw);
	store_close(f->s);
	f->s = NULL;
	assert_nowhere(f, invitation);
	assert_nowhere(f, reset);
	assert_nowhere(f, session);
	assert_nowhere(f, token);
	assert_nowhere(f, csrf);
	assert_nowhere(f, pw);
	/* (and the test can fail: the email is there) */
	assert_true(file_holds(f->db, "eve@lc.gov.uk", 13));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_and_limits),
		cmocka_unit_test_setup_teardown(test_invite_checks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_invite_accept_sign_in_out,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_invitation_expires, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_session_timeouts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_account, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lockout_per_account, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_limit_per_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounts_list, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_secrets_never_stored,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
