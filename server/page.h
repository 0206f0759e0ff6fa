/*
 * page.h - the frame of the hub's pages (page.c), shared by the pages of
 * pages.c and accounts_pages.c: the GOV.UK page around each, and the
 * pieces of its forms. Everything is written into c->res->body. Private
 * to server/.
 */
#ifndef PARITY_SERVER_PAGE_H
#define PARITY_SERVER_PAGE_H

#include "handlers.h"

#include "base/strbuf.h"

#define HUB_NAME "London race equality hub"

/* `text` (NULL: "") escaped for HTML text and attribute values. */
void page_escape(struct strbuf *sb, const char *text);
/* The page up to its h1 `title` (the body reset first), with the
 * navigation of who is signed in. */
void page_begin(struct route_call *c, const char *title);
/* The page's footer and end. */
void page_end(struct route_call *c);
/* An error summary at the top of a form. */
void page_error_summary(struct strbuf *sb, const char *message);
/* 303 to `location`, after a form. */
void page_redirect(struct route_call *c, const char *location);
/* The session's CSRF token as the hidden field every form that changes
 * anything carries. */
void page_hidden_csrf(struct strbuf *sb, const struct hub_principal *who);
/* A required text field of a form, with its label. */
void page_text_field(struct strbuf *sb, const char *id, const char *label,
		     const char *type, const char *autocomplete);
/* The year `text` gives, or when it gives none (or not a year of
 * returns) this year, UTC. */
long page_year(const struct route_call *c, const char *text);
/* The name of area `code` (a code the hub knows), else `code` itself;
 * NULL or "" stays as given. */
const char *page_area_name(const struct route_call *c, const char *code);
/* Text field `name` of the form, or NULL (also for a file). */
const char *page_field_text(const struct route_call *c, const char *name);

#endif
