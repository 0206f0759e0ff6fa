/*
 * page.c - the frame of the hub's pages (page.h): the GOV.UK page around
 * each, with the navigation of who is signed in, and the pieces every form
 * uses: an error summary, the CSRF field, a labelled text field, a
 * redirect after a form, the year a page is about. The stylesheet.
 */
#include "page.h"

#include "base/clock.h"
#include "base/number.h"
#include "domain/area.h"
#include "ingest/returns.h"
#include "site/html.h"

#include <stdlib.h>
#include <string.h>

/* The stylesheet, built from web/ and embedded by tools/embed. */
extern const char parity_data_parity_css[];
extern const size_t parity_data_parity_css_len;

void page_escape(struct strbuf *sb, const char *text)
{
	html_escape(sb, text ? text : "");
}

static void nav_link(struct strbuf *sb, const char *href, const char *label)
{
	strbuf_addstr(sb, "<li class=\"parity-nav__item\"><a class=\"govuk-"
			  "link parity-nav__link\" href=\"");
	page_escape(sb, href);
	strbuf_addstr(sb, "\">");
	page_escape(sb, label);
	strbuf_addstr(sb, "</a></li>\n");
}

/* The page up to its h1, with the navigation of who is signed in. */
void page_begin(struct route_call *c, const char *title)
{
	struct strbuf *sb = &c->res->body;
	const struct hub_principal *who = c->who;

	c->res->content_type = "text/html; charset=utf-8";
	strbuf_reset(sb);
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en-GB\" "
			  "class=\"govuk-template\">\n<head>\n"
			  "<meta charset=\"utf-8\">\n"
			  "<link rel=\"icon\" href=\"data:,\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, "
			  "initial-scale=1\">\n<title>");
	page_escape(sb, title);
	strbuf_addstr(sb, " – " HUB_NAME "</title>\n"
			  "<link rel=\"stylesheet\" href=\"/hub/parity.css\">\n"
			  "</head>\n<body class=\"govuk-template__body\">\n"
			  "<a href=\"#main-content\" class=\"govuk-skip-link\">"
			  "Skip to main content</a>\n"
			  "<header class=\"parity-header\">\n"
			  "<div class=\"govuk-width-container\">\n"
			  "<a class=\"parity-header__name\" href=\"/hub/\">"
			  HUB_NAME "</a>\n");
	if (who->role != HUB_ROLE_PUBLIC) {
		strbuf_addstr(sb, "<p class=\"parity-header__by\">Signed in as ");
		page_escape(sb, who->email);
		strbuf_addstr(sb, " (");
		page_escape(sb, hub_role_name(who->role));
		if (who->area_code[0]) {
			int a = area_find(c->ctx->areas, who->area_code);

			strbuf_addstr(sb, ", ");
			page_escape(sb, a >= 0 ? c->ctx->areas->areas[a].name
				       : who->area_code);
		}
		strbuf_addstr(sb, ")</p>\n<nav class=\"parity-nav\" "
				  "aria-label=\"Hub\">\n<ul class=\"parity-nav__"
				  "list\">\n");
		if (who->role == HUB_ROLE_SUBMITTER ||
		    who->role == HUB_ROLE_ANALYST)
			nav_link(sb, "/hub/upload", "Send a return");
		if (who->role == HUB_ROLE_SUBMITTER ||
		    who->role == HUB_ROLE_VIEWER ||
		    who->role == HUB_ROLE_ANALYST) {
			nav_link(sb, "/hub/returns", "Returns");
			nav_link(sb, "/hub/figures", "Figures");
		}
		if (who->role != HUB_ROLE_ADMIN)
			nav_link(sb, "/hub/standard", "Standard");
		if (who->role != HUB_ROLE_ADMIN &&
		    who->role != HUB_ROLE_REVIEWER)
			nav_link(sb, "/hub/practice", "Practice");
		if (who->role != HUB_ROLE_ADMIN)
			nav_link(sb, "/hub/learning-lab", "Learning Lab");
		if (who->role == HUB_ROLE_ANALYST) {
			nav_link(sb, "/hub/status", "Status");
			nav_link(sb, "/hub/digest", "Race Matters");
		}
		if (who->role == HUB_ROLE_ADMIN)
			nav_link(sb, "/hub/accounts", "Accounts");
		strbuf_addstr(sb, "<li class=\"parity-nav__item\"><form "
				  "method=\"post\" action=\"/hub/sign-out\" "
				  "class=\"parity-nav__form\">"
				  "<input type=\"hidden\" name=\"csrf\" "
				  "value=\"");
		page_escape(sb, who->csrf);
		strbuf_addstr(sb, "\"><button class=\"parity-nav__button\" "
				  "type=\"submit\">Sign out</button></form>"
				  "</li>\n</ul>\n</nav>\n");
	}
	strbuf_addstr(sb, "</div>\n</header>\n<div class=\"govuk-width-"
			  "container\">\n<main class=\"govuk-main-wrapper\" "
			  "id=\"main-content\">\n<h1 class=\"govuk-heading-xl\">");
	page_escape(sb, title);
	strbuf_addstr(sb, "</h1>\n");
}

void page_end(struct route_call *c)
{
	/* only a signed-in account is ever shown unprotected figures */
	strbuf_addstr(&c->res->body,
		      "</main>\n</div>\n<footer class=\"govuk-footer "
		      "parity-footer\">\n<div class=\"govuk-width-container\">"
		      "\n<p class=\"govuk-body-s\">The hub of London Councils' "
		      "programme on racial inequality. ");
	if (c->who->role != HUB_ROLE_PUBLIC)
		strbuf_addstr(&c->res->body,
			      "Figures on these pages are not "
			      "disclosure-controlled: they are for your "
			      "council's use under the data-sharing "
			      "agreement. ");
	strbuf_addstr(&c->res->body,
		      "The published figures are on the <a class=\"govuk-"
		      "footer__link\" href=\"/\">public site</a>.</p>\n"
		      "</div>\n</footer>\n</body>\n</html>\n");
}

/* An error summary at the top of a form. */
void page_error_summary(struct strbuf *sb, const char *message)
{
	strbuf_addstr(sb, "<div class=\"govuk-error-summary\" "
			  "data-module=\"govuk-error-summary\">\n"
			  "<div role=\"alert\">\n<h2 class=\"govuk-error-"
			  "summary__title\">There is a problem</h2>\n<div "
			  "class=\"govuk-error-summary__body\"><p class=\""
			  "govuk-body\">");
	page_escape(sb, message);
	strbuf_addstr(sb, "</p></div>\n</div>\n</div>\n");
}

void page_redirect(struct route_call *c, const char *location)
{
	c->res->status = 303;
	server_response_header(c->res, "Location", location);
	strbuf_reset(&c->res->body);
}

void page_hidden_csrf(struct strbuf *sb, const struct hub_principal *who)
{
	strbuf_addstr(sb, "<input type=\"hidden\" name=\"csrf\" value=\"");
	page_escape(sb, who->csrf);
	strbuf_addstr(sb, "\">\n");
}

/* A text field of a form, with its label. */
void page_text_field(struct strbuf *sb, const char *id, const char *label,
		       const char *type, const char *autocomplete)
{
	strbuf_addf(sb, "<div class=\"govuk-form-group\">\n<label class=\""
			"govuk-label\" for=\"%s\">", id);
	page_escape(sb, label);
	strbuf_addf(sb, "</label>\n<input class=\"govuk-input\" id=\"%s\" "
			"name=\"%s\" type=\"%s\" autocomplete=\"%s\" "
			"spellcheck=\"false\" required>\n</div>\n", id, id,
		    type, autocomplete);
}

/* The year `text` gives, or when it gives none (or not a year of
 * returns) this year, UTC. */
long page_year(const struct route_call *c, const char *text)
{
	char today[CLOCK_DATE_SIZE];
	long year;

	if (text && number_parse_int(text, RETURN_YEAR_MIN, RETURN_YEAR_MAX,
				     &year) == 0)
		return year;
	clock_utc_date(c->now, today, sizeof(today));
	return strtol(today, NULL, 10);
}

const char *page_field_text(const struct route_call *c, const char *name)
{
	const struct server_field *f = server_form(c->req, name);

	return f && !f->filename ? f->value : NULL;
}

const char *page_area_name(const struct route_call *c, const char *code)
{
	int a = code && code[0] ? area_find(c->ctx->areas, code) : -1;

	return a >= 0 ? c->ctx->areas->areas[a].name : code;
}

void page_css(struct route_call *c)
{
	c->res->content_type = "text/css; charset=utf-8";
	server_response_header(c->res, "Cache-Control", "public, max-age=3600");
	strbuf_add(&c->res->body, parity_data_parity_css,
		   parity_data_parity_css_len);
}

