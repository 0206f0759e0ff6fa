/*
 * accounts_pages.c - the admin's pages of the hub: every account with its
 * role, council, state, last sign-in, lockout and tokens; inviting a
 * person (the one-time link shown once, for the admin to pass on, as
 * `parity account invite` prints it); and disabling, resetting and
 * unlocking an account. Each change is the hub library's (src/hub/),
 * which audits it; each form carries the session's CSRF token.
 */
#include "handlers.h"

#include "page.h"

#include "base/clock.h"
#include "domain/area.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The roles an admin may give (the reviewer role is the Standard's). */
static const enum hub_role invitable[] = {
	HUB_ROLE_VIEWER, HUB_ROLE_SUBMITTER, HUB_ROLE_ANALYST, HUB_ROLE_ADMIN
};

/* A small form of one button that acts on account `email`. */
static void account_button(struct route_call *c, const char *action,
			   const char *email, const char *label)
{
	struct strbuf *sb = &c->res->body;

	strbuf_addf(sb, "<form method=\"post\" action=\"/hub/accounts/%s\" "
			"class=\"parity-inline-form\">\n", action);
	page_hidden_csrf(sb, c->who);
	strbuf_addstr(sb, "<input type=\"hidden\" name=\"email\" value=\"");
	page_escape(sb, email);
	strbuf_addstr(sb, "\">\n<button class=\"govuk-button govuk-button--"
			  "secondary govuk-!-margin-bottom-1\" type=\"submit\">");
	page_escape(sb, label);
	strbuf_addstr(sb, "<span class=\"govuk-visually-hidden\"> ");
	page_escape(sb, email);
	strbuf_addstr(sb, "</span></button>\n</form>\n");
}

static void accounts_table(struct route_call *c,
			   const struct hub_account *list, size_t n)
{
	struct strbuf *sb = &c->res->body;
	size_t k;

	strbuf_addf(sb, "<table class=\"govuk-table\"><caption class=\"govuk-"
			"table__caption govuk-table__caption--m\">%zu account%s"
			"</caption>\n<thead class=\"govuk-table__head\"><tr "
			"class=\"govuk-table__row\">", n, n == 1 ? "" : "s");
	strbuf_addstr(sb, "<th scope=\"col\" class=\"govuk-table__header\">"
			  "Email</th><th scope=\"col\" class=\"govuk-table__"
			  "header\">Role</th><th scope=\"col\" class=\"govuk-"
			  "table__header\">State</th><th scope=\"col\" class="
			  "\"govuk-table__header\">Last sign-in (UTC)</th><th "
			  "scope=\"col\" class=\"govuk-table__header\">Tokens"
			  "</th><th scope=\"col\" class=\"govuk-table__header\">"
			  "Actions</th></tr></thead>\n<tbody class=\"govuk-"
			  "table__body\">\n");
	for (k = 0; k < n; k++) {
		const struct hub_account *a = &list[k];
		char when[CLOCK_UTC_SIZE] = "never";

		if (a->last_signin)
			clock_utc_format(a->last_signin, when, sizeof(when));
		strbuf_addstr(sb, "<tr class=\"govuk-table__row\"><th scope="
				  "\"row\" class=\"govuk-table__header\">");
		page_escape(sb, a->email);
		strbuf_addstr(sb, "</th><td class=\"govuk-table__cell\">");
		page_escape(sb, hub_role_name(a->role));
		if (a->area_code[0]) {
			strbuf_addstr(sb, ", ");
			page_escape(sb, page_area_name(c, a->area_code));
		}
		strbuf_addstr(sb, "</td><td class=\"govuk-table__cell\">");
		page_escape(sb, hub_account_state_name(a->state));
		if (a->locked)
			strbuf_addstr(sb, " <strong class=\"govuk-tag govuk-"
					  "tag--red\">locked</strong>");
		else if (a->failed_signins)
			strbuf_addf(sb, " (%d failed sign-in%s)",
				    a->failed_signins,
				    a->failed_signins == 1 ? "" : "s");
		strbuf_addf(sb, "</td><td class=\"govuk-table__cell\">%s</td>"
				"<td class=\"govuk-table__cell\">%ld</td><td "
				"class=\"govuk-table__cell\">",
			    when, a->tokens);
		if (a->state != HUB_ACCOUNT_DISABLED) {
			if (a->locked || a->failed_signins)
				account_button(c, "unlock", a->email,
					       "Unlock");
			account_button(c, "reset", a->email,
				       "Reset password");
			if (strcmp(a->email, c->who->email) != 0)
				account_button(c, "disable", a->email,
					       "Disable");
		}
		strbuf_addstr(sb, "</td></tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table>\n");
}

static void invite_form(struct route_call *c)
{
	struct strbuf *sb = &c->res->body;
	size_t k;

	strbuf_addstr(sb, "<h2 class=\"govuk-heading-l\">Invite someone</h2>\n"
			  "<form method=\"post\" action=\"/hub/accounts/"
			  "invite\" novalidate>\n");
	page_hidden_csrf(sb, c->who);
	page_text_field(sb, "email", "Email address", "email", "off");
	strbuf_addstr(sb, "<div class=\"govuk-form-group\">\n<label class=\""
			  "govuk-label\" for=\"role\">Role</label>\n<select "
			  "class=\"govuk-select\" id=\"role\" name=\"role\">\n");
	for (k = 0; k < sizeof(invitable) / sizeof(invitable[0]); k++)
		strbuf_addf(sb, "<option value=\"%s\">%s</option>\n",
			    hub_role_name(invitable[k]),
			    hub_role_name(invitable[k]));
	strbuf_addstr(sb, "</select>\n</div>\n<div class=\"govuk-form-group\">"
			  "\n<label class=\"govuk-label\" for=\"area\">Council "
			  "</label>\n<div id=\"area-hint\" class=\"govuk-hint\">"
			  "For a submitter or viewer only</div>\n<select class="
			  "\"govuk-select\" id=\"area\" name=\"area\" aria-"
			  "describedby=\"area-hint\">\n<option value=\"\">None"
			  "</option>\n");
	for (k = 0; k < c->ctx->areas->count; k++) {
		const struct area *a = &c->ctx->areas->areas[k];

		if (a->type != AREA_BOROUGH)
			continue;
		strbuf_addstr(sb, "<option value=\"");
		page_escape(sb, a->code);
		strbuf_addstr(sb, "\">");
		page_escape(sb, a->name);
		strbuf_addstr(sb, "</option>\n");
	}
	strbuf_addstr(sb, "</select>\n</div>\n<button class=\"govuk-button\" "
			  "type=\"submit\">Make the invitation</button>\n"
			  "</form>\n");
}

/* The accounts page, with `problem` (NULL: none) at its top. */
static void accounts_page(struct route_call *c, const char *problem)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_account *list = NULL;
	size_t n = 0;

	page_begin(c, "Accounts");
	if (problem)
		page_error_summary(&c->res->body, problem);
	if (hub_accounts_list(c->store, c->now, &list, &n, &err) < 0) {
		c->res->status = 500;
		page_error_summary(&c->res->body,
				   "The accounts could not be read.");
	} else {
		accounts_table(c, list, n);
	}
	free(list);
	invite_form(c);
	page_end(c);
}

void page_accounts(struct route_call *c)
{
	accounts_page(c, NULL);
}

/* The status of a refused change, from the hub library's error. */
static int refusal_status(const struct parity_error *err)
{
	switch (err->code) {
	case PARITY_ERR_USAGE:
	case PARITY_ERR_VALIDATION: return 422;
	case PARITY_ERR_NOT_FOUND: return 404;
	default: return server_store_status(err);
	}
}

/* The one-time link for `token`, on this hub's address as the request
 * named it: shown once, then wiped. */
static void link_page(struct route_call *c, const char *title,
		      const char *email, char *token, const char *what)
{
	struct strbuf *sb = &c->res->body;
	const char *host = c->req->host;
	bool host_ok = host && host[0] &&
		       strspn(host, "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789.-:[]") == strlen(host);

	page_begin(c, title);
	strbuf_addstr(sb, "<div class=\"govuk-panel govuk-panel--"
			  "confirmation\">\n<div class=\"govuk-panel__body\">");
	page_escape(sb, email);
	strbuf_addstr(sb, "</div>\n</div>\n<p class=\"govuk-body\">");
	page_escape(sb, what);
	strbuf_addstr(sb, " parity sends no email: pass this one-time link "
			  "on privately. It lasts 7 days and is not shown "
			  "again.</p>\n<p class=\"govuk-body parity-"
			  "secret\"><code>");
	if (host_ok) {
		strbuf_addstr(sb, c->req->tls ? "https://" : "http://");
		page_escape(sb, host);
	}
	strbuf_addstr(sb, "/invitation/");
	page_escape(sb, token);
	strbuf_addstr(sb, "</code></p>\n<p class=\"govuk-body\"><a class=\""
			  "govuk-link\" href=\"/hub/accounts\">Back to the "
			  "accounts</a></p>\n");
	sodium_memzero(token, HUB_SECRET_CHARS + 1);
	server_response_header(c->res, "Cache-Control", "no-store");
	page_end(c);
}

void page_account_invite(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char token[HUB_SECRET_CHARS + 1];
	const char *email = page_field_text(c, "email");
	const char *role_text = page_field_text(c, "role");
	const char *area = page_field_text(c, "area");
	enum hub_role role;

	if (!email || !email[0] || !role_text ||
	    hub_role_parse(role_text, &role) < 0 ||
	    role == HUB_ROLE_REVIEWER || role == HUB_ROLE_PUBLIC) {
		c->res->status = 422;
		accounts_page(c, "Give the person's email address and a role");
		return;
	}
	if (hub_invite(c->store, email, role, area, c->who->email, c->now,
		       &c->ctx->limits, token, &err) < 0) {
		c->res->status = refusal_status(&err);
		accounts_page(c, err.message);
		return;
	}
	link_page(c, "Invitation made", email, token,
		  "The account waits for its password.");
}

void page_account_reset(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char token[HUB_SECRET_CHARS + 1];
	const char *email = page_field_text(c, "email");

	if (!email || hub_account_reset(c->store, email, c->who->email,
					c->now, &c->ctx->limits, token,
					&err) < 0) {
		c->res->status = email ? refusal_status(&err) : 422;
		accounts_page(c, email ? err.message : "Choose an account");
		return;
	}
	link_page(c, "Password reset", email, token,
		  "The old password no longer works, and the account's "
		  "sessions have ended; its API tokens still work (revoke "
		  "them with `parity token revoke` if they may be known).");
}

void page_account_disable(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *email = page_field_text(c, "email");

	if (email && strcmp(email, c->who->email) == 0) {
		c->res->status = 422;
		accounts_page(c, "An admin cannot disable their own account");
		return;
	}
	if (!email || hub_account_disable(c->store, email, c->who->email,
					  c->now, &err) < 0) {
		c->res->status = email ? refusal_status(&err) : 422;
		accounts_page(c, email ? err.message : "Choose an account");
		return;
	}
	page_redirect(c, "/hub/accounts");
}

void page_account_unlock(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *email = page_field_text(c, "email");

	if (!email || hub_account_unlock(c->store, email, c->who->email,
					 c->now, &err) < 0) {
		c->res->status = email ? refusal_status(&err) : 422;
		accounts_page(c, email ? err.message : "Choose an account");
		return;
	}
	page_redirect(c, "/hub/accounts");
}
