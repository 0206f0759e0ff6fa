/*
 * handlers.h - what a route's handler is given, and the handlers of the
 * JSON API (api.c) and the published site (site_files.c). Private to
 * server/.
 */
#ifndef PARITY_SERVER_HANDLERS_H
#define PARITY_SERVER_HANDLERS_H

#include "router.h"
#include "base/diag.h"
#include "store/store.h"
#include "table/table.h"

#include <jansson.h>

/* One request being answered, after the router has found its route,
 * resolved who is asking and authorised them. */
struct route_call {
	const struct server_context *ctx;
	struct store *store;
	const struct server_request *req;
	long now;
	const struct hub_principal *who;
	const char *area_code;              /* the council the request is
					     * about, authorised; NULL for
					     * none */
	const struct store_submission *sub; /* /returns/{id}: the one */
	int64_t id;                         /* the path's {id}, or 0 */
	int n;                              /* the path's {n}, or 0 */
	struct server_response *res;
};

/* An answer in JSON: `v` is taken (json_decref'd here). */
void server_json(struct server_response *res, int status, json_t *v);
/* An error in JSON: {"code": CODE, "message": MESSAGE}. */
void server_json_error(struct server_response *res, int status,
		       const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The store failed with `err`. A store that cannot be written answers
 * as the upload of a return does: 507 store_full when the disk holding it
 * has no room, 503 store_read_only when it is read-only (nothing was
 * changed; reads go on), each with a line on standard error naming the
 * file and the reason for whoever runs the hub; anything else 500 store.
 * server_store_answer() returns the status and gives the code and message
 * (static strings), for answers made elsewhere; server_store_status() is
 * the status alone, for pages in HTML, and prints nothing.
 * server_unwritable() is the rule they share: for the store's status
 * `code`, 507 or 503 with the code's name in *name, or 0 when the store
 * failed otherwise (an upload's answer words its own message with it).
 */
int server_unwritable(enum parity_status code, const char **name);
int server_store_status(const struct parity_error *err);
int server_store_answer(const struct parity_error *err, const char **code,
			const char **message);
void server_store_error(struct server_response *res,
			const struct parity_error *err);

/* A tidy table as a JSON array of its rows (NULL: it could not be
 * written), and located problems as a JSON array of {line, column,
 * severity, message}; both for answers that hold more than a table. */
json_t *server_table_json(const struct tidy_table *t);
json_t *server_problems_json(const struct diag_list *d);

void api_areas(struct route_call *c);
void api_benchmarks(struct route_call *c);
void api_returns_upload(struct route_call *c);
void api_objection(struct route_call *c);
void api_returns_list(struct route_call *c);
void api_return_get(struct route_call *c);
void api_return_quality(struct route_call *c);
void api_report_workforce(struct route_call *c);
void api_report_service(struct route_call *c);
void api_publication(struct route_call *c);
void api_status(struct route_call *c);
void api_session_get(struct route_call *c);
void api_session_create(struct route_call *c);
void api_session_delete(struct route_call *c);
void api_invitation_accept(struct route_call *c);
void site_file(struct route_call *c);

void page_css(struct route_call *c);
void page_home(struct route_call *c);
void page_sign_in_form(struct route_call *c);
void page_sign_in(struct route_call *c);
void page_sign_out(struct route_call *c);
void page_invitation_form(struct route_call *c);
void page_invitation(struct route_call *c);
void page_upload_form(struct route_call *c);
void page_upload(struct route_call *c);
void page_returns(struct route_call *c);
void page_figures(struct route_call *c);
void page_status(struct route_call *c);
void page_publish(struct route_call *c);
void page_accounts(struct route_call *c);
void api_frameworks(struct route_call *c);
void api_assessment_get(struct route_call *c);
void api_assessment_save(struct route_call *c);
void api_standard_benchmark(struct route_call *c);
void api_review_assign(struct route_call *c);
void api_review_record(struct route_call *c);
void api_review_respond(struct route_call *c);
void page_standard(struct route_call *c);
void page_assessment(struct route_call *c);
void page_assessment_save(struct route_call *c);
void page_standard_benchmark(struct route_call *c);
void page_review_assign(struct route_call *c);
void page_review(struct route_call *c);
void page_review_record(struct route_call *c);
void page_review_respond(struct route_call *c);
void api_practice_search(struct route_call *c);
void api_practice_record(struct route_call *c);
void api_practice_submit(struct route_call *c);
void api_practice_moderate(struct route_call *c);
void page_practice(struct route_call *c);
void page_practice_record(struct route_call *c);
void page_practice_submit_form(struct route_call *c);
void page_practice_submit(struct route_call *c);
void page_practice_moderate(struct route_call *c);
void api_practice_attachments(struct route_call *c);
void api_practice_attach(struct route_call *c);
void api_practice_attachment(struct route_call *c);
void api_practice_detach(struct route_call *c);
void page_practice_attach(struct route_call *c);
void page_practice_attachment(struct route_call *c);
void page_practice_detach(struct route_call *c);
void api_events(struct route_call *c);
void page_learning_lab(struct route_call *c);
void page_digest(struct route_call *c);
void page_digest_issue(struct route_call *c);
void page_digest_keep(struct route_call *c);
void page_account_invite(struct route_call *c);
void page_account_reset(struct route_call *c);
void page_account_disable(struct route_call *c);
void page_account_unlock(struct route_call *c);
/* A refusal as a page: 401 sends to the sign-in page; 403 and 404 say
 * so. */
void page_refusal(struct route_call *c, int status);

#endif
