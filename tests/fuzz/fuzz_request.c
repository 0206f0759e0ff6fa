/*
 * fuzz_request.c - the hub's requests (server_handle() in server/router.h)
 * on any bytes, with no socket: what server/http.c would hand the router
 * once libmicrohttpd has read a request, against a store holding a
 * council's returns, the practice pool and the hub's accounts.
 *
 * What it owns, made once in LLVMFuzzerInitialize() and freed at exit: a
 * store kept as a template (hub-template.db) with Brent's (E09000005)
 * workforce and recruitment returns for 2024 and Camden's (E09000007)
 * workforce return, imported with import_return() as `parity import`
 * does; a group of boroughs; the practice pool's starter set; accounts
 * with an API token each (a Brent submitter, a Camden viewer, an analyst,
 * an admin, a Camden reviewer) and a session of the Brent submitter's;
 * and 20 failed sign-ins from the address every request comes from, so
 * that a sign-in is refused by the per-address limit before any password
 * is hashed (0.25 s and 64 MiB each: the password check itself is not
 * reached). The working copy (hub.db) is put back from the template after
 * every request that is not a GET or HEAD, and every 1000 requests, so
 * that each input meets much the same store. The context is built as
 * server_run() builds it: areas with the store's groups, the Census 2021
 * benchmark, the built-in services and frameworks, a published cache, a
 * publishing mutex, the default limits, an upload folder of mode 0700,
 * and a tiny site (a page, a release's workforce download for Brent, and
 * a link that leads out of the site).
 *
 * The input is a request: byte 0 the method (modulo 8: GET, POST,
 * DELETE, PUT, HEAD, GET, POST, or one given on the first line), byte 1
 * the caller (modulo 9: the public; the tokens of the submitter, viewer,
 * analyst, admin and reviewer; an Authorization header given on a line; a
 * session cookie given on a line; the Brent submitter's session), byte 2
 * flags (bit 0 TLS, bit 1 a form libmicrohttpd could not decode). Then
 * lines: the path, the query (NAME=VALUE&..., '+' and %XX decoded as
 * libmicrohttpd does, with http.c's %00 rule; more than
 * SERVER_MAX_PARAMS set too_many_params), the content type, Accept,
 * If-None-Match, X-CSRF-Token ("@csrf": the session's own), Host; the
 * rest is the body, which may hold anything, or, for a form's content
 * type, its fields as the post processor hands them over: records split
 * by 0x1e, each NAME 0x1f VALUE or NAME 0x1f FILENAME 0x1f VALUE (a value
 * "@csrf" is the session's CSRF token). An empty header line is no
 * header. POST /api/v1/publications and POST /hub/publish are skipped
 * (publishing a release writes the whole site: seconds an input).
 *
 * Promises checked: the status is an HTTP status (100 to 599) and never
 * 500, which means the store failed (it does not, here); an answer in
 * JSON parses, and an error in JSON (400 and above) has a "code" and a
 * "message"; a garbage Authorization header is answered 401 whatever the
 * address; the public is never given a 2xx by a route whose rule is not
 * "public" (server_route_info()), nor a workforce report that is not the
 * published release's; the Camden viewer is never given a 2xx by such a
 * route about Brent (by ?area= or the form's area, or one of Brent's
 * submissions); a file of the site that is sent is inside the site.
 */
#include "fuzz.h"

#include "published.h"
#include "router.h"

#include "base/alloc.h"
#include "base/diag.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "hub/accounts.h"
#include "ingest/alias_register.h"
#include "ingest/returns.h"
#include "practice/attachment.h"
#include "practice/practice.h"
#include "standard/framework.h"
#include "store/accounts.h"
#include "store/area_group_store.h"
#include "store/store.h"

#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BRENT "E09000005"
#define CAMDEN "E09000007"
#define NOW 1764547200L /* 2025-12-01 00:00 UTC */
#define CLIENT_IP "192.0.2.7"
#define PASSWORD "quixotic zebra fjord lantern 48"
#define PUBLISHED_NOTE "published for the fuzz harness"
#define RESET_EVERY 1000

/* Who asks (byte 1 of the input). */
enum caller {
	CALLER_PUBLIC,
	CALLER_SUBMITTER,  /* Brent's submitter, by token */
	CALLER_VIEWER,     /* Camden's viewer, by token */
	CALLER_ANALYST,
	CALLER_ADMIN,
	CALLER_REVIEWER,   /* Camden's reviewer, by token */
	CALLER_GARBAGE,    /* an Authorization header from the input */
	CALLER_COOKIE,     /* a session cookie from the input */
	CALLER_SESSION,    /* the Brent submitter's session */
	CALLERS
};

static const struct {
	const char *email, *role, *area;
} people[] = {
	[CALLER_SUBMITTER] = { "upload@brent.gov.uk", "submitter", BRENT },
	[CALLER_VIEWER] = { "viewer@camden.gov.uk", "viewer", CAMDEN },
	[CALLER_ANALYST] = { "analyst@londoncouncils.gov.uk", "analyst",
			     NULL },
	[CALLER_ADMIN] = { "admin@londoncouncils.gov.uk", "admin", NULL },
	[CALLER_REVIEWER] = { "review@camden.gov.uk", "reviewer", CAMDEN },
};

static const char workforce_csv[] =
	"Staff ID,Ethnicity,Annual Salary,FTE,Pay Band,Grade,Job Family,Sex,"
	"Age Band,Disability,Contract Type,Start Date,Promoted,Disciplinary,"
	"Training,Left\n"
	"HR-1,White British,\"£52,340\",1,Band 6,PO3,Finance,Female,35-44,No,"
	"Permanent,2015-06-01,No,No,Yes,No\n"
	"HR-2,Asian or Asian British: Indian,38112.50,0.8,Band 4,SO2,Housing,"
	"Male,25-34,No,Permanent,03/01/2019,Yes,No,No,No\n"
	"HR-3,Black African,29500,1,Band 3,SC6,Children's services,Female,"
	"45-54,Yes,Fixed term,2021-09-13,No,Yes,No,No\n"
	"HR-4,Not stated,61000,1,Band 7,PO6,Finance,Male,55-64,"
	"Prefer not to say,Permanent,2009-02-02,No,No,No,No\n"
	"HR-5,Black Caribbean,33000,1,Band 4,SO1,Housing,Female,35-44,No,"
	"Permanent,2012-04-01,No,No,Yes,No\n"
	"HR-6,White Irish,45000,1,Band 5,PO1,Adult social care,Male,45-54,"
	"No,Permanent,2018-01-15,Yes,No,Yes,No\n"
	"HR-7,Any other White background,27000,0.5,Band 2,SC3,Libraries,"
	"Female,16-24,No,Casual,2023-08-01,No,No,No,Yes\n"
	"HR-8,Pakistani,41000,1,Band 5,PO2,Finance,Male,25-34,No,Permanent,"
	"2016-03-01,No,No,Yes,No\n";

static const char recruitment_csv[] =
	"Applicant ID,Ethnicity,Shortlisted,Appointed,Vacancy ID,Pay Band\n"
	"APP-1,White British,Yes,Yes,V-101,Band 6\n"
	"APP-2,Indian,Yes,No,V-101,Band 6\n"
	"APP-3,Black African,No,No,V-101,Band 6\n"
	"APP-4,Black African,Y,N,V-102,Band 3\n"
	"APP-5,Chinese,Yes,Yes,V-102,Band 3\n";

/* Brent's figures as a release publishes them: what the public is given. */
static const char published_csv[] =
	"measure,area_code,area_name,area_type,year,ethnicity,"
	"ethnicity_level,breakdown,value,numerator,denominator,ci_low,"
	"ci_high,p_value,flag,note\n"
	"staff_share," BRENT ",Brent,borough,2024,White,high,all staff,"
	"0.5,,,,,,," PUBLISHED_NOTE "\n"
	"staff_share," BRENT ",Brent,borough,2024,Black or Black British,"
	"high,all staff,0.25,,,,,,," PUBLISHED_NOTE "\n";

static struct area_set *areas;
static struct benchmark *census;
static struct service_defs *services;
static struct framework_set *frameworks;
static struct diag_list framework_problems = DIAG_LIST_INIT;
static pthread_mutex_t publishing = PTHREAD_MUTEX_INITIALIZER;
static struct server_context ctx;
static struct store *store;
static char tokens[CALLERS][HUB_SECRET_CHARS + 1];
static char session[HUB_SECRET_CHARS + 1];
static char session_csrf[HUB_SECRET_CHARS + 1];
static char site_root[PATH_MAX];
static int64_t brent_subs[4];
static size_t nbrent_subs;
static unsigned long inputs;

static void check(const char *what, int rc, const struct parity_error *err)
{
	if (rc < 0)
		fuzz_fail("request: %s: %s", what, err->message);
}

/* ---- the store ---- */

static void import_one(struct store *s, const struct area_set *set,
		       enum store_kind kind, const char *area,
		       const char *csv)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list diags = DIAG_LIST_INIT;
	struct ethnicity_classifier *cls = NULL;
	struct alias_register reg;
	struct import_options opt;
	struct import_result res;
	size_t k;

	memset(&reg, 0, sizeof(reg));
	memset(&res, 0, sizeof(res));
	check("the classifier", ethnicity_classifier_new(&cls, &err), &err);
	check("the alias register",
	      alias_register_load(s, cls, &reg, &diags, &err), &err);
	memset(&opt, 0, sizeof(opt));
	opt.kind = kind;
	opt.path = fuzz_write("import.csv", (const uint8_t *)csv, strlen(csv));
	opt.area = area;
	opt.year = 2024;
	opt.submitted_by = people[CALLER_SUBMITTER].email;
	opt.submitted_at = "2024-05-01T09:30:00Z";
	opt.classifier = cls;
	opt.aliases = &reg;
	opt.areas = set;
	if (import_return(s, &opt, &diags, &res, &err) < 0)
		fuzz_fail("request: cannot import %s's return: %s (%zu "
			  "errors)", area, err.message, diags.errors);
	for (k = 0; k < res.count; k++)
		if (strcmp(area, BRENT) == 0 &&
		    nbrent_subs < sizeof(brent_subs) / sizeof(brent_subs[0]))
			brent_subs[nbrent_subs++] = res.subs[k].sub.id;
	import_result_release(&res);
	diag_list_release(&diags);
	alias_register_release(&reg);
	ethnicity_classifier_free(cls);
}

static void accounts_make(struct store *s)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_limits l;
	struct hub_principal who;
	char invitation[HUB_SECRET_CHARS + 1];
	enum hub_role role;
	int64_t id;
	int k;

	hub_limits_init(&l);
	for (k = CALLER_SUBMITTER; k <= CALLER_REVIEWER; k++) {
		if (hub_role_parse(people[k].role, &role) < 0)
			fuzz_fail("request: no role %s", people[k].role);
		check("an invitation",
		      hub_invite(s, people[k].email, role, people[k].area,
				 "cli:fuzz", NOW, &l, invitation, &err),
		      &err);
		if (k == CALLER_SUBMITTER)
			check("accepting the invitation",
			      hub_invitation_accept(s, invitation, PASSWORD,
						    NOW, &who, &err),
			      &err);
		check("a token",
		      hub_token_create(s, people[k].email, "fuzz", "cli:fuzz",
				       NOW, tokens[k], &id, &err),
		      &err);
	}
	check("signing in",
	      hub_sign_in(s, people[CALLER_SUBMITTER].email, PASSWORD,
			  "198.51.100.1", NOW, &l, session, &who, &err),
	      &err);
	memcpy(session_csrf, who.csrf, sizeof(session_csrf));
	/* the harness's address has failed as often as the limit allows */
	check("begin", store_begin(s, &err), &err);
	for (k = 0; k < l.failures_per_ip; k++)
		check("a failed sign-in",
		      store_signin_failure_add(s, CLIENT_IP, NOW - 60,
					       NOW - l.ip_window_seconds,
					       &err),
		      &err);
	check("commit", store_commit(s, &err), &err);
}

static void template_make(void)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_actor who = { "cli:fuzz", "", true, NOW, NULL, NULL };
	struct area_set *set = NULL;
	struct store *s;
	const char *db = fuzz_path("hub-template.db");
	int members[2];
	size_t pool;

	check("the areas", area_set_load(&set, &err), &err);
	if (store_create(db, &err) < 0 || store_open(&s, db, &err) < 0)
		fuzz_fail("request: cannot make the store %s: %s", db,
			  err.message);
	import_one(s, set, STORE_WORKFORCE, BRENT, workforce_csv);
	import_one(s, set, STORE_RECRUITMENT, BRENT, recruitment_csv);
	import_one(s, set, STORE_WORKFORCE, CAMDEN, workforce_csv);
	members[0] = area_find(set, BRENT);
	members[1] = area_find(set, CAMDEN);
	check("a group",
	      store_area_group_define(s, set, "G-FUZZ-PAIR", "Fuzz pair",
				      members, 2, "cli:fuzz", &err),
	      &err);
	check("the practice starter set",
	      practice_load_starter(s, set, &who, &pool, &err), &err);
	accounts_make(s);
	store_close(s);
	area_set_free(set);
}

/* The working copy, from the template (closing the one open). */
static void store_reset(void)
{
	if (store)
		store_close(store);
	store = fuzz_store_copy("hub-template.db", "hub.db");
}

/* ---- the site ---- */

static void site_make(void)
{
	const char *page = "<!doctype html><title>parity</title>\n";
	char path[PATH_MAX];

	fuzz_write("secret.txt", (const uint8_t *)"not the site's\n", 15);
	fuzz_mkdir("site");
	fuzz_mkdir("site/releases");
	fuzz_mkdir("site/releases/1");
	fuzz_mkdir("site/releases/1/downloads");
	fuzz_write("site/index.html", (const uint8_t *)page, strlen(page));
	fuzz_write("site/releases/1/index.html", (const uint8_t *)page,
		   strlen(page));
	fuzz_write("site/releases/1/downloads/workforce-2024.csv",
		   (const uint8_t *)published_csv, strlen(published_csv));
	snprintf(path, sizeof(path), "%s/site/current", fuzz_tmpdir());
	if (symlink("releases/1", path) < 0)
		fuzz_fail("request: cannot link %s", path);
	snprintf(path, sizeof(path), "%s/site/escape.txt", fuzz_tmpdir());
	if (symlink("../secret.txt", path) < 0)
		fuzz_fail("request: cannot link %s", path);
	if (!realpath(fuzz_path("site"), site_root))
		fuzz_fail("request: no site at %s", fuzz_path("site"));
}

static void release_all(void)
{
	if (store)
		store_close(store);
	store = NULL;
	published_cache_free(ctx.published);
	framework_set_free(frameworks);
	diag_list_release(&framework_problems);
	service_defs_free(services);
	benchmark_free(census);
	area_set_free(areas);
	memset(&ctx, 0, sizeof(ctx));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct parity_error err = PARITY_ERROR_INIT;

	(void)argc;
	(void)argv;
	site_make();
	fuzz_mkdir("uploads");
	if (chmod(fuzz_path("uploads"), 0700) < 0)
		fuzz_fail("request: cannot make the upload folder private");
	template_make();
	store_reset();
	atexit(release_all);
	/* as server_run() */
	if (area_set_load(&areas, &err) < 0 ||
	    benchmark_load_census2021(&census, areas, &err) < 0 ||
	    service_defs_load(&services, &err) < 0)
		fuzz_fail("request: cannot load the reference data: %s",
			  err.message);
	if (framework_set_load(&frameworks, &framework_problems) < 0)
		fuzz_fail("request: the built-in frameworks could not be read");
	check("the groups", store_area_groups_load(store, areas, &err), &err);
	ctx.areas = areas;
	ctx.census = census;
	ctx.site_dir = fuzz_path("site");
	ctx.upload_dir = fuzz_path("uploads");
	ctx.services = services;
	ctx.frameworks = frameworks;
	ctx.returns_due = NULL;
	ctx.max_attachment = ATTACHMENT_MAX_DEFAULT;
	ctx.published = published_cache_new();
	ctx.publishing = &publishing;
	hub_limits_init(&ctx.limits);
	return 0;
}

/* ---- the request ---- */

/* The next line of [*p, end), NUL-terminated in place (the input is a
 * copy); "" when there is none left. */
static char *next_line(char **p, char *end)
{
	char *line = *p, *nl;

	if (line >= end)
		return end; /* the copy's final NUL */
	nl = memchr(line, '\n', (size_t)(end - line));
	if (!nl)
		nl = end;
	*nl = '\0';
	*p = nl < end ? nl + 1 : end;
	return line;
}

/* An empty line is no header. */
static const char *header(char *line)
{
	return line[0] ? line : NULL;
}

/* As http.c's unescape(): libmicrohttpd's %XX decoding, but a %00 makes
 * the text one control character. */
static void unescape(char *s)
{
	size_t n = MHD_http_unescape(s);

	if (strlen(s) != n) {
		s[0] = '\x01';
		s[1] = '\0';
	}
}

/* The query's NAME=VALUE pairs, split by '&', into req->query as
 * libmicrohttpd hands them to http.c's add_param(). */
static void query_parse(char *text, struct server_request *req)
{
	char *next, *eq, *c;

	for (; text && *text; text = next) {
		next = strchr(text, '&');
		if (next)
			*next++ = '\0';
		if (!text[0])
			continue;
		if (req->nquery >= SERVER_MAX_PARAMS) {
			req->too_many_params = true;
			return;
		}
		eq = strchr(text, '=');
		if (eq)
			*eq++ = '\0';
		for (c = text; *c; c++)
			if (*c == '+')
				*c = ' ';
		unescape(text);
		if (eq) {
			for (c = eq; *c; c++)
				if (*c == '+')
					*c = ' ';
			unescape(eq);
		}
		req->query[req->nquery].name = text;
		req->query[req->nquery].value = eq ? eq : "";
		req->nquery++;
	}
}

static bool is_form(const char *content_type)
{
	return content_type &&
	       (strncmp(content_type, "application/x-www-form-urlencoded",
			33) == 0 ||
		strncmp(content_type, "multipart/form-data", 19) == 0);
}

/* A form's fields from [p, end): records split by 0x1e, each NAME 0x1f
 * VALUE or NAME 0x1f FILENAME 0x1f VALUE; the value may hold anything. */
static void form_parse(char *p, char *end, struct server_request *req)
{
	while (p < end) {
		char *rec_end = memchr(p, 0x1e, (size_t)(end - p));
		char *sep1, *sep2;
		struct server_field *f;

		if (!rec_end)
			rec_end = end;
		*rec_end = '\0';
		if (req->nform >= SERVER_MAX_FIELDS) {
			req->bad_form = true;
			return;
		}
		f = &req->form[req->nform++];
		f->name = p;
		f->filename = NULL;
		sep1 = memchr(p, 0x1f, (size_t)(rec_end - p));
		if (!sep1) {
			f->value = rec_end; /* "" */
		} else {
			*sep1 = '\0';
			sep2 = memchr(sep1 + 1, 0x1f,
				      (size_t)(rec_end - sep1 - 1));
			if (sep2) {
				*sep2 = '\0';
				f->filename = sep1 + 1;
				f->value = sep2 + 1;
			} else {
				f->value = sep1 + 1;
			}
		}
		f->len = (size_t)(rec_end - f->value);
		if (strcmp(f->value, "@csrf") == 0 && f->len == 5) {
			f->value = session_csrf;
			f->len = strlen(session_csrf);
		}
		p = rec_end + 1;
	}
}

/* ---- the promises ---- */

static const struct server_route_info *route_of(const char *method,
						const char *pattern)
{
	const struct server_route_info *r;
	size_t k;

	for (k = 0; (r = server_route_info(k)) != NULL; k++)
		if (strcmp(r->pattern, pattern) == 0 &&
		    (strcmp(r->method, method) == 0 ||
		     (strcmp(method, "HEAD") == 0 &&
		      strcmp(r->method, "GET") == 0)))
			return r;
	return NULL;
}

/* Whether the request is about Brent: its area (as the router finds it:
 * the query's, else the form's text field), or one of Brent's
 * submissions in the path. */
static bool about_brent(const struct server_request *req)
{
	const char *named = server_query(req, "area");
	const struct server_field *f = server_form(req, "area");
	long long id;
	size_t k;
	int a;

	if (!named && f && !f->filename)
		named = f->value;
	if (named) {
		a = area_find(areas, named);
		if (a >= 0 && strcmp(areas->areas[a].code, BRENT) == 0)
			return true;
	}
	if (strncmp(req->path, "/api/v1/returns/", 16) != 0)
		return false;
	id = strtoll(req->path + 16, NULL, 10);
	for (k = 0; k < nbrent_subs; k++)
		if (brent_subs[k] == id)
			return true;
	return false;
}

static void check_json(const struct server_response *res)
{
	json_error_t jerr;
	json_t *v;

	if (!res->content_type ||
	    strncmp(res->content_type, "application/json", 16) != 0)
		return;
	v = json_loadb(res->body.buf, res->body.len, 0, &jerr);
	if (!v)
		fuzz_fail("request: a %d answer in JSON does not parse: %s",
			  res->status, jerr.text);
	if (res->status >= 400 &&
	    (!json_is_object(v) ||
	     !json_is_string(json_object_get(v, "code")) ||
	     !json_is_string(json_object_get(v, "message")))) {
		json_decref(v);
		fuzz_fail("request: a %d error in JSON without its code and "
			  "message: %.200s", res->status, res->body.buf);
	}
	json_decref(v);
}

static void check_answer(const struct server_request *req,
			 enum caller caller,
			 const struct server_response *res)
{
	const struct server_route_info *r = route_of(req->method, res->route);
	bool ok = res->status >= 200 && res->status < 300;
	bool is_public = caller == CALLER_PUBLIC || caller == CALLER_COOKIE;

	if (res->status < 100 || res->status > 599)
		fuzz_fail("request: status %d", res->status);
	if (res->status == 500)
		fuzz_fail("request: 500 for %s %s (caller %d), though the "
			  "store did not fail: %.300s", req->method,
			  req->path, (int)caller, res->body.buf);
	check_json(res);
	if (caller == CALLER_GARBAGE && res->status != 401)
		fuzz_fail("request: the Authorization header '%.80s' was "
			  "answered %d, not 401", req->authorization,
			  res->status);
	if (is_public && res->account_id != 0)
		fuzz_fail("request: the public was taken for account %lld",
			  (long long)res->account_id);
	if (is_public && ok && r && strcmp(r->rule, "public") != 0)
		fuzz_fail("request: the public was answered %d by %s %s "
			  "(rule %s)", res->status, r->method, r->pattern,
			  r->rule);
	if (is_public && ok && r &&
	    strcmp(r->pattern, "/api/v1/reports/workforce") == 0 &&
	    res->content_type &&
	    strncmp(res->content_type, "application/vnd.", 16) != 0 &&
	    !strstr(res->body.buf, PUBLISHED_NOTE))
		fuzz_fail("request: the public was given a workforce report "
			  "that is not the published one: %.300s",
			  res->body.buf);
	if (caller == CALLER_VIEWER && ok && r &&
	    strcmp(r->rule, "public") != 0 && r->about_area &&
	    about_brent(req))
		fuzz_fail("request: Camden's viewer was answered %d by %s %s "
			  "about Brent", res->status, r->method, r->pattern);
	if (res->file) {
		char real[PATH_MAX];
		size_t n = strlen(site_root);

		if (!realpath(res->file, real) ||
		    strncmp(real, site_root, n) != 0 || real[n] != '/')
			fuzz_fail("request: %s sends %s, outside the site",
				  req->path, res->file);
	}
}

/* ---- one input ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "DELETE",
					       "PUT", "HEAD", "GET", "POST" };
	struct server_request req;
	struct server_response res;
	enum caller caller;
	char *copy, *p, *end, *line;
	uint8_t flags;

	if (size < 3)
		return 0;
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	p = copy + 3;
	end = copy + size;
	memset(&req, 0, sizeof(req));
	caller = (enum caller)(data[1] % CALLERS);
	flags = data[2];
	req.method = data[0] % 8 < 7 ? methods[data[0] % 8]
				     : next_line(&p, end);
	switch (caller) {
	case CALLER_PUBLIC:
		break;
	case CALLER_GARBAGE:
		req.authorization = next_line(&p, end);
		break;
	case CALLER_COOKIE:
		req.session = next_line(&p, end);
		break;
	case CALLER_SESSION:
		req.session = session;
		break;
	default: {
		static char bearer[CALLERS][7 + HUB_SECRET_CHARS + 1];

		snprintf(bearer[caller], sizeof(bearer[caller]), "Bearer %s",
			 tokens[caller]);
		req.authorization = bearer[caller];
		break;
	}
	}
	line = next_line(&p, end);
	unescape(line);
	req.path = line;
	query_parse(next_line(&p, end), &req);
	req.content_type = header(next_line(&p, end));
	req.accept = header(next_line(&p, end));
	req.if_none_match = header(next_line(&p, end));
	line = next_line(&p, end);
	req.csrf = strcmp(line, "@csrf") == 0 ? session_csrf : header(line);
	req.host = header(next_line(&p, end));
	req.client_ip = CLIENT_IP;
	req.tls = flags & 1;
	if (is_form(req.content_type)) {
		req.body = "";
		form_parse(p, end, &req);
		if (flags & 2)
			req.bad_form = true;
	} else {
		req.body = p;
		req.body_len = (size_t)(end - p);
	}
	/* publishing writes the whole site: far too slow for an input */
	if (strcmp(req.method, "POST") == 0 &&
	    (strcmp(req.path, "/api/v1/publications") == 0 ||
	     strcmp(req.path, "/hub/publish") == 0)) {
		free(copy);
		return 0;
	}
	server_response_init(&res);
	server_handle(&ctx, store, &req, NOW, &res);
	fuzz_debug("request: %s %s (caller %d): %d %s", req.method, req.path,
		   (int)caller, res.status, res.route);
	check_answer(&req, caller, &res);
	server_response_release(&res);
	if ((strcmp(req.method, "GET") != 0 &&
	     strcmp(req.method, "HEAD") != 0) ||
	    ++inputs % RESET_EVERY == 0)
		store_reset();
	free(copy);
	return 0;
}
