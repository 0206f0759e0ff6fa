/*
 * pages.c - the hub's own pages, in the published site's GOV.UK style
 * and working without JavaScript: sign in and out, setting a password
 * from an invitation, a council's upload form (its problems listed by
 * line and column, or its quality summary), its submission history,
 * and the analysts' status page with publishing (a council's figures:
 * figures_page.c; the admin's accounts: accounts_pages.c).
 * Forms that change anything carry the session's CSRF token; a refusal is
 * answered as a page (sign in first, or "not found").
 */
#include "handlers.h"

#include "access.h"
#include "actions.h"
#include "page.h"
#include "status.h"

#include "base/clock.h"
#include "base/number.h"
#include "ingest/quality.h"
#include "site/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most problems of a refused return a page lists. */
#define PROBLEMS_SHOWN 200

/* ---- signing in and out ---- */

static void sign_in_form(struct route_call *c, const char *problem)
{
	struct strbuf *sb = &c->res->body;

	page_begin(c, "Sign in");
	if (problem)
		page_error_summary(sb, problem);
	strbuf_addstr(sb, "<form method=\"post\" action=\"/hub/sign-in\" "
			  "novalidate>\n");
	page_text_field(sb, "email", "Email address", "email", "username");
	page_text_field(sb, "password", "Password", "password",
		   "current-password");
	strbuf_addstr(sb, "<button class=\"govuk-button\" type=\"submit\">"
			  "Sign in</button>\n</form>\n<p class=\"govuk-body\">"
			  "Accounts are made by London Councils' hub "
			  "administrators: ask yours for an invitation.</p>\n");
	page_end(c);
}

void page_sign_in_form(struct route_call *c)
{
	if (c->who->role != HUB_ROLE_PUBLIC) {
		page_redirect(c, "/hub/");
		return;
	}
	sign_in_form(c, NULL);
}

void page_sign_in(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char session[HUB_SECRET_CHARS + 1];
	const char *email = page_field_text(c, "email");
	const char *password = page_field_text(c, "password");

	if (!email || !password || !email[0] || !password[0]) {
		c->res->status = 400;
		sign_in_form(c, "Enter your email address and password");
		return;
	}
	if (hub_sign_in(c->store, email, password,
			c->req->client_ip ? c->req->client_ip : "", c->now,
			&c->ctx->limits, session, &who, &err) < 0) {
		c->res->status = err.code == PARITY_ERR_LIMIT ? 429
				 : err.code == PARITY_ERR_DENIED
					 ? 401
					 : server_store_status(&err);
		sign_in_form(c, c->res->status >= 500
					? "The hub could not sign you in: try "
					  "again later"
					: err.message);
		return;
	}
	session_cookie_set(c, session);
	c->res->account_id = who.account_id;
	page_redirect(c, "/hub/");
}

void page_sign_out(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (c->req->session)
		(void)hub_sign_out(c->store, c->req->session, c->now, &err);
	session_cookie_set(c, "");
	page_redirect(c, "/hub/sign-in");
}

/* ---- invitations ---- */

static void invitation_form(struct route_call *c, const char *problem)
{
	struct strbuf *sb = &c->res->body;

	page_begin(c, "Set your password");
	if (problem)
		page_error_summary(sb, problem);
	strbuf_addstr(sb, "<p class=\"govuk-body\">Choose a password of at "
			  "least 12 characters. A few words that mean "
			  "something to you only are easier to remember and "
			  "harder to guess than a short one with symbols."
			  "</p>\n<form method=\"post\" novalidate>\n");
	page_text_field(sb, "password", "Password", "password", "new-password");
	page_text_field(sb, "confirm", "The same password again", "password",
		   "new-password");
	strbuf_addstr(sb, "<button class=\"govuk-button\" type=\"submit\">"
			  "Set password</button>\n</form>\n");
	page_end(c);
}

void page_invitation_form(struct route_call *c)
{
	/* the link's token leaves through no Referer */
	server_response_header(c->res, "Referrer-Policy", "no-referrer");
	invitation_form(c, NULL);
}

void page_invitation(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	const char *password = page_field_text(c, "password");
	const char *confirm = page_field_text(c, "confirm");
	const char *token = strrchr(c->req->path, '/');

	server_response_header(c->res, "Referrer-Policy", "no-referrer");
	if (!password || !confirm || strcmp(password, confirm) != 0) {
		c->res->status = 400;
		invitation_form(c, "Enter the same password twice");
		return;
	}
	if (hub_invitation_accept(c->store, token ? token + 1 : "", password,
				  c->now, &who, &err) < 0) {
		if (err.code == PARITY_ERR_VALIDATION) {
			c->res->status = 422;
			invitation_form(c, err.message);
			return;
		}
		c->res->status = err.code == PARITY_ERR_DENIED
					 ? 404
					 : server_store_status(&err);
		page_begin(c, "This invitation cannot be used");
		strbuf_addstr(&c->res->body,
			      "<p class=\"govuk-body\">It has been used "
			      "already, has expired (invitations last 7 days), "
			      "or was never made. Ask your hub administrator "
			      "for a new one.</p>\n");
		page_end(c);
		return;
	}
	c->res->account_id = who.account_id;
	page_redirect(c, "/hub/sign-in");
}

/* ---- home ---- */

void page_home(struct route_call *c)
{
	struct strbuf *sb = &c->res->body;

	page_begin(c, "Your hub");
	strbuf_addstr(sb, "<ul class=\"govuk-list\">\n");
	if (c->who->role == HUB_ROLE_SUBMITTER ||
	    c->who->role == HUB_ROLE_ANALYST)
		strbuf_addstr(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				  "upload\">Send a return</a>: a workforce or "
				  "recruitment return, checked line by line "
				  "before anything is stored</li>\n");
	if (c->who->role == HUB_ROLE_SUBMITTER ||
	    c->who->role == HUB_ROLE_VIEWER ||
	    c->who->role == HUB_ROLE_ANALYST)
		strbuf_addstr(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				  "returns\">Returns</a>: every version sent, "
				  "and each one's data quality</li>\n"
				  "<li><a class=\"govuk-link\" href=\"/hub/"
				  "figures\">Figures</a>: the workforce and "
				  "service measures against London's</li>\n");
	if (c->who->role != HUB_ROLE_ADMIN)
		strbuf_addstr(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				  "standard\">Racial Equality Standard</a>: "
				  "assessments with your own figures, peer "
				  "review, where London stands</li>\n");
	if (c->who->role == HUB_ROLE_ANALYST)
		strbuf_addstr(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				  "status\">Status</a>: which councils have "
				  "sent their returns, and publishing</li>\n");
	if (c->who->role == HUB_ROLE_ADMIN)
		strbuf_addstr(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				  "accounts\">Accounts</a>: invite people, "
				  "reset, unlock and disable accounts</li>\n");
	strbuf_addstr(sb, "</ul>\n");
	page_end(c);
}

/* ---- sending a return ---- */

static void upload_form(struct route_call *c, const char *problem)
{
	struct strbuf *sb = &c->res->body;
	size_t k;

	page_begin(c, "Send a return");
	if (problem)
		page_error_summary(sb, problem);
	strbuf_addstr(sb, "<form method=\"post\" action=\"/hub/upload\" "
			  "enctype=\"multipart/form-data\" novalidate>\n");
	page_hidden_csrf(sb, c->who);
	if (c->who->role == HUB_ROLE_ANALYST) {
		strbuf_addstr(sb, "<div class=\"govuk-form-group\">\n<label "
				  "class=\"govuk-label\" for=\"area\">Council"
				  "</label>\n<select class=\"govuk-select\" "
				  "id=\"area\" name=\"area\">\n");
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
		strbuf_addstr(sb, "</select>\n</div>\n");
	}
	strbuf_addstr(sb, "<div class=\"govuk-form-group\">\n<fieldset "
			  "class=\"govuk-fieldset\">\n<legend class=\"govuk-"
			  "fieldset__legend govuk-fieldset__legend--s\">Kind of "
			  "return</legend>\n<div class=\"govuk-radios\">\n"
			  "<div class=\"govuk-radios__item\"><input class=\""
			  "govuk-radios__input\" id=\"kind-workforce\" name=\""
			  "kind\" type=\"radio\" value=\"workforce\" checked>"
			  "<label class=\"govuk-label govuk-radios__label\" "
			  "for=\"kind-workforce\">Workforce (a row per member "
			  "of staff)</label></div>\n<div class=\"govuk-radios__"
			  "item\"><input class=\"govuk-radios__input\" id=\""
			  "kind-recruitment\" name=\"kind\" type=\"radio\" "
			  "value=\"recruitment\"><label class=\"govuk-label "
			  "govuk-radios__label\" for=\"kind-recruitment\">"
			  "Recruitment (a row per applicant)</label></div>\n"
			  "<div class=\"govuk-radios__item\"><input class=\""
			  "govuk-radios__input\" id=\"kind-service\" name=\""
			  "kind\" type=\"radio\" value=\"service\"><label "
			  "class=\"govuk-label govuk-radios__label\" for=\""
			  "kind-service\">Service (counts by stage and "
			  "ethnicity: youth justice, school exclusions, stop "
			  "and search)</label></div>\n"
			  "</div>\n</fieldset>\n</div>\n");
	strbuf_addf(sb, "<div class=\"govuk-form-group\">\n<label class=\""
			"govuk-label\" for=\"year\">Year of the return "
			"(staff at 31 March)</label>\n<div id=\"year-hint\" "
			"class=\"govuk-hint\">A service return gives the year "
			"on each row: this one is not used for it.</div>\n"
			"<input class=\"govuk-"
			"input govuk-input--width-4\" id=\"year\" name=\"year\" "
			"type=\"text\" inputmode=\"numeric\" aria-describedby="
			"\"year-hint\" value=\"%ld\">\n"
			"</div>\n", page_year(c, NULL));
	strbuf_addstr(sb, "<div class=\"govuk-form-group\">\n<label class=\""
			  "govuk-label\" for=\"file\">The return (CSV)</label>"
			  "\n<input class=\"govuk-file-upload\" id=\"file\" "
			  "name=\"file\" type=\"file\" accept=\".csv,text/csv\">"
			  "\n</div>\n<button class=\"govuk-button\" type=\""
			  "submit\">Check and send</button>\n</form>\n");
	page_end(c);
}

void page_upload_form(struct route_call *c)
{
	upload_form(c, NULL);
}

/* A tidy table as a GOV.UK table, every row and figure. */
static void table_page_part(struct strbuf *sb, const struct tidy_table *t,
			    const char *caption)
{
	static const enum html_column cols[] = {
		HTML_COL_GROUP, HTML_COL_BREAKDOWN, HTML_COL_VALUE,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG
	};
	static const char *const heads[] = {
		"Group", "Breakdown", "Figure", "Of", "Out of", "Note"
	};
	struct html_table_spec spec = { caption, cols, heads,
					sizeof(cols) / sizeof(cols[0]), NULL };

	html_table(sb, t, NULL, t->count, &spec);
}

void page_upload(struct route_call *c)
{
	struct upload u;
	struct strbuf *sb = &c->res->body;
	const struct server_field *file = server_form(c->req, "file");
	const char *kind = page_field_text(c, "kind");
	const char *year_text = page_field_text(c, "year");
	bool service = kind && strcmp(kind, "service") == 0;
	long year = 0;
	size_t k;
	int rc;

	if (!kind || (!service && (!year_text ||
				   number_parse_int(year_text, RETURN_YEAR_MIN,
						    RETURN_YEAR_MAX,
						    &year) < 0))) {
		c->res->status = 400;
		upload_form(c, "Choose the kind of return and give its year");
		return;
	}
	if (!file || !file->filename || file->len == 0) {
		c->res->status = 400;
		upload_form(c, "Choose the CSV file of the return");
		return;
	}
	if (!c->area_code) {
		c->res->status = 400;
		upload_form(c, "Choose the council");
		return;
	}
	rc = upload_return(c, kind, (int)year, file->value, file->len, &u);
	if (rc == UPLOAD_FAILED) {
		c->res->status = u.status;
		upload_form(c, u.message);
	} else if (rc == UPLOAD_REFUSED) {
		c->res->status = 422;
		page_begin(c, "The return has problems: nothing was stored");
		strbuf_addf(sb, "<p class=\"govuk-body\">%zu problem%s to put "
				"right in the file, then send it again.</p>\n"
				"<table class=\"govuk-table\"><caption class=\""
				"govuk-table__caption govuk-table__caption--m\">"
				"Problems, by line and column</caption>\n"
				"<thead class=\"govuk-table__head\"><tr class=\""
				"govuk-table__row\"><th scope=\"col\" class=\""
				"govuk-table__header\">Line</th><th scope=\"col\" "
				"class=\"govuk-table__header\">Column</th><th "
				"scope=\"col\" class=\"govuk-table__header\">"
				"Problem</th></tr></thead>\n<tbody class=\""
				"govuk-table__body\">\n", u.diags.errors,
			    u.diags.errors == 1 ? "" : "s");
		for (k = 0; k < u.diags.count && k < PROBLEMS_SHOWN; k++) {
			const struct diag *d = &u.diags.items[k];

			strbuf_addf(sb, "<tr class=\"govuk-table__row\"><td "
					"class=\"govuk-table__cell\">%ld</td>"
					"<td class=\"govuk-table__cell\">%ld</td>"
					"<td class=\"govuk-table__cell\">%s",
				    d->line, d->column,
				    d->severity == DIAG_ERROR ? ""
							      : "Warning: ");
			page_escape(sb, d->message);
			strbuf_addstr(sb, "</td></tr>\n");
		}
		strbuf_addstr(sb, "</tbody></table>\n<p class=\"govuk-body\">"
				  "<a class=\"govuk-link\" href=\"/hub/upload\">"
				  "Send a return</a></p>\n");
	} else {
		bool unchanged = service ? u.services.unchanged
					 : u.result.unchanged;

		c->res->status = unchanged ? 200 : 201;
		page_begin(c, unchanged ? "Unchanged: identical to the version "
					  "held"
					: "The return was stored");
		for (k = 0; service && k < u.services.count; k++) {
			const struct service_import_item *it =
				&u.services.items[k];

			strbuf_addstr(sb, "<p class=\"govuk-body\">");
			page_escape(sb, it->sub.subject);
			strbuf_addf(sb, ", %s: submission %lld, version %d, "
					"%ld rows%s.</p>\n", it->period,
				    (long long)it->sub.id, it->sub.version,
				    it->rows,
				    it->unchanged ? " (unchanged)" : "");
		}
		for (k = 0; !service && k < u.result.count; k++) {
			const struct import_submission *s = &u.result.subs[k];
			struct tidy_table q;

			strbuf_addf(sb, "<p class=\"govuk-body\">Submission "
					"%lld, version %d, %ld rows.</p>\n",
				    (long long)s->sub.id, s->sub.version,
				    s->sub.rows);
			tidy_table_init(&q);
			quality_table(&s->quality, &s->sub,
				      &c->ctx->areas->areas[s->area],
				      &s->previous, &q);
			table_page_part(sb, &q, "Data quality");
			tidy_table_free(&q);
		}
	}
	if (rc != UPLOAD_FAILED)
		page_end(c);
	upload_release(&u);
}

/* ---- returns and figures ---- */

void page_returns(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter filter = STORE_FILTER_ALL;
	struct store_submission *subs = NULL;
	struct strbuf *sb = &c->res->body;
	size_t n = 0, k;

	filter.area_code = c->area_code;
	if (store_submissions_list(c->store, &filter, &subs, &n, &err) < 0) {
		c->res->status = 500;
		page_begin(c, "The returns could not be read");
		page_end(c);
		return;
	}
	page_begin(c, "Returns");
	if (n == 0)
		strbuf_addstr(sb, "<p class=\"govuk-body\">No returns have "
				  "been sent yet.</p>\n");
	else
		strbuf_addstr(sb, "<table class=\"govuk-table\"><caption "
				  "class=\"govuk-table__caption govuk-table__"
				  "caption--m\">Every version sent</caption>\n"
				  "<thead class=\"govuk-table__head\"><tr class="
				  "\"govuk-table__row\"><th scope=\"col\" class="
				  "\"govuk-table__header\">Council</th><th scope"
				  "=\"col\" class=\"govuk-table__header\">Year"
				  "</th><th scope=\"col\" class=\"govuk-table__"
				  "header\">Kind</th><th scope=\"col\" class=\""
				  "govuk-table__header\">Version</th><th scope="
				  "\"col\" class=\"govuk-table__header\">Sent"
				  "</th><th scope=\"col\" class=\"govuk-table__"
				  "header govuk-table__header--numeric\">Rows"
				  "</th></tr></thead>\n<tbody class=\"govuk-"
				  "table__body\">\n");
	for (k = 0; k < n; k++) {
		const struct store_submission *s = &subs[k];
		int a = area_find(c->ctx->areas, s->area_code);

		strbuf_addstr(sb, "<tr class=\"govuk-table__row\"><td class="
				  "\"govuk-table__cell\">");
		page_escape(sb, a >= 0 ? c->ctx->areas->areas[a].name : s->area_code);
		strbuf_addf(sb, "</td><td class=\"govuk-table__cell\">%d</td>"
				"<td class=\"govuk-table__cell\">%s</td><td "
				"class=\"govuk-table__cell\">%d%s</td><td class"
				"=\"govuk-table__cell\">", s->year,
			    store_kind_name(s->kind), s->version,
			    s->current ? " (current)" : "");
		page_escape(sb, s->submitted_at);
		strbuf_addstr(sb, " by ");
		page_escape(sb, s->submitted_by);
		strbuf_addf(sb, "</td><td class=\"govuk-table__cell govuk-"
				"table__cell--numeric\">%ld</td></tr>\n",
			    s->rows);
	}
	if (n > 0)
		strbuf_addstr(sb, "</tbody></table>\n");
	free(subs);
	page_end(c);
}

/* ---- analysts ---- */

/* A return's standing as a GOV.UK tag: colour and words. */
static void status_tag(struct strbuf *sb, enum return_state state)
{
	static const char *const colour[] = {
		[RETURN_RECEIVED] = "green", [RETURN_LATE] = "orange",
		[RETURN_NOT_YET_DUE] = "grey", [RETURN_OVERDUE] = "red"
	};

	strbuf_addf(sb, "<strong class=\"govuk-tag govuk-tag--%s\">%s"
			"</strong>", colour[state], return_state_name(state));
}

/* One cell of the status table: the tag, the version and when it was
 * sent, and what its quality report flags. */
static void status_cell(struct strbuf *sb, const struct return_status *st)
{
	size_t k;

	strbuf_addstr(sb, "<td class=\"govuk-table__cell\">");
	status_tag(sb, st->state);
	if (st->received) {
		strbuf_addf(sb, "<br>version %d, first sent %s",
			    st->current.version, st->first_sent);
		if (st->current.version > 1) {
			strbuf_addstr(sb, ", this version ");
			page_escape(sb, st->current.submitted_at);
		}
	}
	if (st->flag_count) {
		strbuf_addstr(sb, "<br><span class=\"govuk-!-font-weight-bold"
				  "\">Quality to check:</span> ");
		for (k = 0; k < st->flag_count; k++) {
			const char *m = st->flags[k];

			if (k)
				strbuf_addstr(sb, ", ");
			for (; *m; m++)
				strbuf_addch(sb, *m == '_' ? ' ' : *m);
		}
	}
	strbuf_addstr(sb, "</td>");
}

void page_status(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct strbuf *sb = &c->res->body;
	long year = page_year(c, server_query(c->req, "year"));
	char due[11] = "";
	size_t k;
	int sent = 0, late = 0, overdue = 0, flagged = 0, boroughs = 0;

	page_begin(c, "Returns received");
	strbuf_addf(sb, "<table class=\"govuk-table\"><caption class=\""
			"govuk-table__caption govuk-table__caption--m\">%ld: "
			"each council's returns</caption>\n<thead class=\""
			"govuk-table__head\"><tr class=\"govuk-table__row\">"
			"<th scope=\"col\" class=\"govuk-table__header\">"
			"Council</th><th scope=\"col\" class=\"govuk-table__"
			"header\">Workforce</th><th scope=\"col\" class=\""
			"govuk-table__header\">Recruitment</th></tr></thead>"
			"\n<tbody class=\"govuk-table__body\">\n", year);
	for (k = 0; k < c->ctx->areas->count; k++) {
		const struct area *a = &c->ctx->areas->areas[k];
		int kind;

		if (a->type != AREA_BOROUGH)
			continue;
		boroughs++;
		strbuf_addstr(sb, "<tr class=\"govuk-table__row\"><th scope="
				  "\"row\" class=\"govuk-table__header\">");
		page_escape(sb, a->name);
		strbuf_addstr(sb, "</th>");
		for (kind = 0; kind < STORE_SERVICE; kind++) {
			struct return_status st;

			if (return_status_load(c, a, (enum store_kind)kind,
					       (int)year, &st, &err) < 0) {
				strbuf_addstr(sb, "<td class=\"govuk-table__"
						  "cell\">could not be read"
						  "</td>");
				continue;
			}
			memcpy(due, st.due, sizeof(due));
			status_cell(sb, &st);
			if (kind == STORE_WORKFORCE) {
				sent += st.received;
				late += st.state == RETURN_LATE;
				overdue += st.state == RETURN_OVERDUE;
				flagged += st.flag_count > 0;
			}
			return_status_release(&st);
		}
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addf(sb, "</tbody></table>\n<p class=\"govuk-body\">Returns "
			"for %ld are due by %s. %d of %d councils have sent "
			"their workforce return: %d late; %d overdue; %d with "
			"quality to check.</p>\n",
		    year, due, sent, boroughs, late, overdue, flagged);
	if (c->ctx->site_dir) {
		strbuf_addstr(sb, "<h2 class=\"govuk-heading-l\">Publish</h2>\n"
				  "<form method=\"post\" action=\"/hub/publish\""
				  " novalidate>\n");
		page_hidden_csrf(sb, c->who);
		strbuf_addf(sb, "<input type=\"hidden\" name=\"year\" value=\""
				"%ld\">\n<div class=\"govuk-form-group\">\n"
				"<label class=\"govuk-label\" for=\"correction\">"
				"If this corrects the release before it, what "
				"it changes (leave empty otherwise)</label>\n"
				"<textarea class=\"govuk-textarea\" id=\""
				"correction\" name=\"correction\" rows=\"3\">"
				"</textarea>\n</div>\n<button class=\"govuk-"
				"button\" type=\"submit\">Publish %ld</button>\n"
				"</form>\n", year, year);
	}
	page_end(c);
}

void page_publish(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct site_summary sum;
	struct strbuf *sb = &c->res->body;
	const char *year_text = page_field_text(c, "year");
	bool audit_failed;
	long year;
	int rc;

	if (!year_text || number_parse_int(year_text, RETURN_YEAR_MIN,
					   RETURN_YEAR_MAX, &year) < 0) {
		c->res->status = 400;
		page_begin(c, "Nothing was published");
		strbuf_addstr(sb, "<p class=\"govuk-body\">The year is "
				  "missing.</p>\n");
		page_end(c);
		return;
	}
	rc = publish_release(c, (int)year, page_field_text(c, "correction"), &sum,
			     &audit_failed, &err);
	if (audit_failed)
		return;
	if (rc < 0) {
		c->res->status = err.code == PARITY_ERR_USAGE ? 400 : 409;
		page_begin(c, "Nothing was published");
		strbuf_addstr(sb, "<p class=\"govuk-body\">");
		page_escape(sb, err.message);
		strbuf_addstr(sb, "</p>\n");
		page_end(c);
		return;
	}
	c->res->status = 201;
	page_begin(c, "Published");
	strbuf_addf(sb, "<p class=\"govuk-body\">Release %d of the %ld "
			"figures is on the <a class=\"govuk-link\" href=\"/\">"
			"public site</a>: %zu pages, %zu downloads; %zu small "
			"counts withheld, and %zu more so that they cannot be "
			"worked out.</p>\n", sum.release, year, sum.pages,
		    sum.downloads, sum.sdc.primary, sum.sdc.secondary);
	page_end(c);
}

/* ---- refusals ---- */

void page_refusal(struct route_call *c, int status)
{
	if (status == 401) {
		page_redirect(c, "/hub/sign-in");
		return;
	}
	c->res->status = status;
	if (status == 403) {
		page_begin(c, "Your account cannot do this");
		strbuf_addstr(&c->res->body,
			      "<p class=\"govuk-body\"><a class=\"govuk-link\" "
			      "href=\"/hub/\">Back to your hub</a></p>\n");
	} else {
		page_begin(c, "Page not found");
		strbuf_addstr(&c->res->body,
			      "<p class=\"govuk-body\">If you typed the "
			      "address, check it is right.</p>\n");
	}
	page_end(c);
}
