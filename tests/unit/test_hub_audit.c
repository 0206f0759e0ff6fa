/*
 * test_hub_audit.c - the audit log: every change to accounts and tokens,
 * every sign-in and sign-out, and what a front end records (an upload, a
 * read of unsuppressed figures) writes one entry, with who, what, which
 * council and how it ended; the store refuses to change or delete an
 * entry, even through the hub's own connection; entries are read back by
 * time, council and account; and recorded times are written and read.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "hub/accounts.h"
#include "store/store_internal.h"
#include "store/store.h"

#include <ftw.h>
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

	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/a.db", f->dir);
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

/* The entries read, one line each:
 * "actor action area outcome target | detail". */
struct lines {
	char text[64][256];
	long at[64];
	size_t n;
};

static int collect(void *ctx, const struct hub_audit_entry *e)
{
	struct lines *l = ctx;

	if (l->n < 64) {
		snprintf(l->text[l->n], sizeof(l->text[0]),
			 "%s %s %s %s %s | %s", e->actor, e->action,
			 e->area_code[0] ? e->area_code : "-", e->outcome,
			 e->target[0] ? e->target : "-", e->detail);
		l->at[l->n] = e->at;
	}
	l->n++;
	return 0;
}

static struct lines *read_log(struct fixture *f,
			      const struct hub_audit_filter *filter)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct lines *l = xcalloc(1, sizeof(*l));

	if (hub_audit_each(f->s, filter, collect, l, &err) != 0)
		fail_msg("audit: %s", err.message);
	return l;
}

static void test_every_change_is_audited(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who, cli;
	char token[HUB_SECRET_CHARS + 1], session[HUB_SECRET_CHARS + 1];
	char api[HUB_SECRET_CHARS + 1];
	const char *pw = "grey whales migrate south";
	struct lines *l;
	int64_t id;
	size_t k;

	assert_int_equal(hub_invite(f->s, "jo@brent.gov.uk",
				    HUB_ROLE_SUBMITTER, "E09000005",
				    "cli:tester", T0, &f->l, token, &err), 0);
	assert_int_equal(hub_invitation_accept(f->s, "AAAAAAAAAAAAAAAAAAAAAAAA"
					       "AAAAAAAAAAAAAAAAAAA", pw,
					       T0 + 1, &who, &err), -1);
	assert_int_equal(hub_invitation_accept(f->s, token, pw, T0 + 2, &who,
					       &err), 0);
	assert_int_equal(hub_sign_in(f->s, "jo@brent.gov.uk", "wrong password!",
				     "192.0.2.1", T0 + 3, &f->l, session, &who,
				     &err), -1);
	assert_int_equal(hub_sign_in(f->s, "nobody@brent.gov.uk", pw,
				     "192.0.2.1", T0 + 4, &f->l, session, &who,
				     &err), -1);
	assert_int_equal(hub_sign_in(f->s, "jo@brent.gov.uk", pw, "192.0.2.1",
				     T0 + 5, &f->l, session, &who, &err), 0);
	/* what a front end records, as the signed-in submitter */
	assert_int_equal(hub_audit(f->s, &who, "upload", "E09000005", 2024, 7,
				   "ok", "workforce return, 1200 rows", T0 + 6,
				   &err), 0);
	assert_int_equal(hub_sign_out(f->s, session, T0 + 7, &err), 0);
	assert_int_equal(hub_token_create(f->s, "jo@brent.gov.uk", "nightly",
					  "cli:tester", T0 + 8, api, &id,
					  &err), 0);
	assert_int_equal(hub_token_revoke(f->s, id, "cli:tester", T0 + 9,
					  &err), 0);
	assert_int_equal(hub_account_unlock(f->s, "jo@brent.gov.uk",
					    "cli:tester", T0 + 10, &err), 0);
	assert_int_equal(hub_account_reset(f->s, "jo@brent.gov.uk",
					   "cli:tester", T0 + 11, &f->l, token,
					   &err), 0);
	assert_int_equal(hub_account_disable(f->s, "jo@brent.gov.uk",
					     "cli:tester", T0 + 12, &err), 0);
	hub_principal_public(&who);
	assert_int_equal(hub_audit(f->s, &who, "read.published", NULL, 2024, 0,
				   "ok", NULL, T0 + 13, &err), 0);
	hub_principal_cli(&cli, "tester");
	assert_int_equal(hub_audit(f->s, &cli, "publish", NULL, 2024, 0, "ok",
				   "release 3", T0 + 14, &err), 0);
	/* an entry needs an action and an outcome */
	assert_int_equal(hub_audit(f->s, &cli, "", NULL, 0, 0, "ok", NULL, T0,
				   &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);

	l = read_log(f, NULL);
	{
		const char *want[] = {
			"cli:tester account.invite E09000005 ok jo@brent.gov.uk "
			"| role submitter; link expires 2024-05-08T09:00:00Z",
			"public invitation.accept - denied - | unknown link",
			"jo@brent.gov.uk invitation.accept E09000005 ok "
			"jo@brent.gov.uk | password set",
			"jo@brent.gov.uk signin.failure E09000005 denied "
			"jo@brent.gov.uk | wrong password; from 192.0.2.1",
			"nobody@brent.gov.uk signin.failure - denied - | no "
			"such account; from 192.0.2.1",
			"jo@brent.gov.uk signin.success E09000005 ok - | from "
			"192.0.2.1",
			"jo@brent.gov.uk upload E09000005 ok - | workforce "
			"return, 1200 rows",
			"jo@brent.gov.uk signout E09000005 ok - | ",
			"cli:tester token.create E09000005 ok jo@brent.gov.uk "
			"| token 3 'nightly'",
			"cli:tester token.revoke E09000005 ok jo@brent.gov.uk "
			"| token 3 'nightly'",
			"cli:tester account.unlock E09000005 ok "
			"jo@brent.gov.uk | was not locked; 0 failed sign-ins "
			"cleared",
			"cli:tester account.reset E09000005 ok jo@brent.gov.uk "
			"| old password cleared; ended 0 sessions; link "
			"expires 2024-05-08T09:00:11Z",
			"cli:tester account.disable E09000005 ok "
			"jo@brent.gov.uk | ended 0 sessions, 0 tokens and 1 "
			"invitation",
			"public read.published - ok - | ",
			"cli:tester publish - ok - | release 3",
		};

		assert_int_equal(l->n, sizeof(want) / sizeof(want[0]));
		for (k = 0; k < l->n; k++) {
			assert_string_equal(l->text[k], want[k]);
			assert_int_equal(l->at[k], T0 + (long)k);
		}
	}
	free(l);
}

static void test_filters(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	struct hub_audit_filter by_area = { 0, "E09000007", NULL };
	struct hub_audit_filter by_email = { 0, NULL, "Jo@brent.gov.uk" };
	struct hub_audit_filter unknown = { 0, NULL, "ghost@brent.gov.uk" };
	struct hub_audit_filter since = { T0 + 100, NULL, NULL };
	char token[HUB_SECRET_CHARS + 1], session[HUB_SECRET_CHARS + 1];
	struct lines *l;

	assert_int_equal(hub_invite(f->s, "jo@brent.gov.uk",
				    HUB_ROLE_SUBMITTER, "E09000005",
				    "cli:tester", T0, &f->l, token, &err), 0);
	assert_int_equal(hub_invite(f->s, "al@camden.gov.uk", HUB_ROLE_VIEWER,
				    "E09000007", "cli:tester", T0 + 100, &f->l,
				    token, &err), 0);
	assert_int_equal(hub_sign_in(f->s, "ghost@brent.gov.uk", "whatever it is",
				     "192.0.2.1", T0 + 200, &f->l, session,
				     &who, &err), -1);

	l = read_log(f, &by_area);
	assert_int_equal(l->n, 1);
	assert_non_null(strstr(l->text[0], "al@camden.gov.uk"));
	free(l);
	l = read_log(f, &by_email);
	assert_int_equal(l->n, 1);
	assert_non_null(strstr(l->text[0], "account.invite E09000005"));
	free(l);
	/* an email no account has: the sign-ins tried as it */
	l = read_log(f, &unknown);
	assert_int_equal(l->n, 1);
	assert_non_null(strstr(l->text[0], "ghost@brent.gov.uk signin.failure"));
	free(l);
	l = read_log(f, &since);
	assert_int_equal(l->n, 2);
	free(l);
}

/* The store refuses to change or delete an entry: through the hub's own
 * connection, inside a transaction, and the entry stays as it was. */
static void test_append_only(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal cli;
	struct db *db;
	struct lines *l;

	hub_principal_cli(&cli, "tester");
	assert_int_equal(hub_audit(f->s, &cli, "publish", NULL, 2024, 0, "ok",
				   NULL, T0, &err), 0);
	db = store_db(f->s);
	assert_int_equal(store_begin(f->s, &err), 0);
	assert_int_equal(db_exec(db, "UPDATE audit SET outcome = 'denied'"),
			 -1);
	assert_int_equal(db_failure(db), DB_FAILURE_CONSTRAINT);
	assert_string_equal(db_error_message(db), "the audit log is "
			    "append-only: an entry cannot be changed");
	assert_int_equal(db_exec(db, "DELETE FROM audit"), -1);
	assert_int_equal(db_failure(db), DB_FAILURE_CONSTRAINT);
	assert_string_equal(db_error_message(db), "the audit log is "
			    "append-only: an entry cannot be deleted");
	store_rollback(f->s);
	/* nor by replacing the row */
	assert_int_equal(store_begin(f->s, &err), 0);
	assert_int_equal(db_exec(db, "INSERT OR REPLACE INTO audit "
				 "(id, at, actor, action, outcome) "
				 "VALUES (1, 0, 'x', 'x', 'x')"), -1);
	assert_string_equal(db_error_message(db), "the audit log is "
			    "append-only: an entry cannot be replaced");
	store_rollback(f->s);
	l = read_log(f, NULL);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->text[0], "cli:tester publish - ok - | ");
	free(l);
}

static void test_recorded_times(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char text[CLOCK_UTC_SIZE];
	long t;

	(void)state;
	clock_utc_format(T0, text, sizeof(text));
	assert_string_equal(text, "2024-05-01T09:00:00Z");
	clock_utc_date(T0, text, sizeof(text));
	assert_string_equal(text, "2024-05-01");
	clock_utc_date(T0 - 9 * 3600 - 1, text, sizeof(text));
	assert_string_equal(text, "2024-04-30");
	assert_int_equal(clock_utc_parse("2024-05-01T09:00:00Z", &t, &err), 0);
	assert_int_equal(t, T0);
	assert_int_equal(clock_utc_parse("2024-05-01", &t, &err), 0);
	assert_int_equal(t, T0 - 9 * 3600);
	assert_int_equal(clock_utc_parse("1970-01-01", &t, &err), 0);
	assert_int_equal(t, 0);
	assert_int_equal(clock_utc_parse("2024-02-29", &t, &err), 0);
	assert_int_equal(clock_utc_parse("2000-02-29", &t, &err), 0);
	assert_int_equal(t, 951782400L);
	assert_int_equal(clock_utc_parse("2023-02-29", &t, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);
	assert_string_equal(err.message, "'2023-02-29' is not a date "
			    "(YYYY-MM-DD) or a time in UTC "
			    "(YYYY-MM-DDTHH:MM:SSZ)");
	assert_int_equal(clock_utc_parse("1900-02-29", &t, &err), -1);
	assert_int_equal(clock_utc_parse("2024-13-01", &t, &err), -1);
	assert_int_equal(clock_utc_parse("2024-5-1", &t, &err), -1);
	assert_int_equal(clock_utc_parse("yesterday", &t, &err), -1);
	assert_int_equal(clock_utc_parse("2024-05-01T24:00:00Z", &t, &err), -1);
	assert_int_equal(clock_utc_parse("2024-05-01 09:00:00Z", &t, &err), -1);
	assert_int_equal(clock_utc_parse("2024-05-01T09:00:00", &t, &err), -1);
	assert_int_equal(clock_utc_parse("", &t, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_change_is_audited,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup,
						teardown),
		cmocka_unit_test(test_recorded_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
