/*
 * audit.c - the hub's audit log: writing an entry for a principal, inside
 * a transaction of its own or the caller's, and reading entries back by
 * time, council and account (accounts.h; the table is the store's,
 * migration 0007, and refuses changes and deletions).
 *
 * An entry names its actor by text (an email, "cli:USER", "public") and,
 * when the actor is an account, by id too; an account or token change, or
 * a sign-in attempt, also names the account it was about. Entries hold no
 * secret: callers pass what happened, never a token or a password.
 */
#include "hub/accounts.h"

#include "hub/internal.h"

#include <string.h>

int hub_audit_write(struct store *s, const struct hub_audit_write *w,
		    long now, struct parity_error *err)
{
	struct store_audit_entry e;

	if (!w->action || !w->action[0] || !w->outcome || !w->outcome[0])
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"an audit entry needs an action and "
					"an outcome");
	memset(&e, 0, sizeof(e));
	e.at = now;
	e.account_id = w->account_id;
	e.actor = w->actor && w->actor[0] ? w->actor : "unknown";
	e.action = w->action;
	e.area_code = w->area_code;
	e.year = w->year;
	e.submission_id = w->submission_id;
	e.outcome = w->outcome;
	e.detail = w->detail;
	e.target_account_id = w->target_account_id;
	return store_audit_add(s, &e, err);
}

int hub_audit_within(struct store *s, const struct hub_principal *who,
		     const char *action, const char *area_code, int year,
		     int64_t submission_id, const char *outcome,
		     const char *detail, long now, struct parity_error *err)
{
	bool public = !who || who->role == HUB_ROLE_PUBLIC || !who->email[0];
	struct hub_audit_write w = {
		public ? "public" : who->email,
		public ? 0 : who->account_id,
		action, area_code, year, submission_id, outcome, detail, 0
	};

	return hub_audit_write(s, &w, now, err);
}

int hub_audit(struct store *s, const struct hub_principal *who,
	      const char *action, const char *area_code, int year,
	      int64_t submission_id, const char *outcome, const char *detail,
	      long now, struct parity_error *err)
{
	if (store_begin(s, err) < 0)
		return -1;
	if (hub_audit_within(s, who, action, area_code, year, submission_id,
			     outcome, detail, now, err) < 0 ||
	    store_commit(s, err) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

struct walk {
	hub_audit_fn fn;
	void *ctx;
};

static int each_entry(void *ctx, const struct store_audit_entry *e)
{
	const struct walk *w = ctx;
	struct hub_audit_entry out = {
		e->id, e->at, e->actor, e->account_id, e->action,
		e->area_code ? e->area_code : "", e->year, e->submission_id,
		e->outcome, e->detail ? e->detail : "",
		e->target_email ? e->target_email : ""
	};

	return w->fn(w->ctx, &out);
}

int hub_audit_each(struct store *s, const struct hub_audit_filter *f,
		   hub_audit_fn fn, void *ctx, struct parity_error *err)
{
	struct store_audit_filter sf = { 0, NULL, 0, NULL };
	struct walk w = { fn, ctx };
	struct store_account a;
	char norm[256];

	if (f) {
		sf.since = f->since;
		sf.area_code = f->area_code && f->area_code[0] ? f->area_code
							       : NULL;
		if (f->email && f->email[0]) {
			int rc;

			/* an email no account has still names failed
			 * sign-ins tried as it */
			if (hub_email_normalise(f->email, norm, err) < 0)
				return -1;
			rc = store_account_find(s, norm, &a, err);
			if (rc < 0)
				return -1;
			sf.account_id = rc == 1 ? a.id : 0;
			sf.actor = norm;
		}
	}
	return store_audit_each(s, &sf, each_entry, &w, err);
}
