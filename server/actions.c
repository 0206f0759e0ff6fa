/*
 * actions.c - what the API and the pages both do. A council's return, sent
 * by the API or the upload page: held in a file of the hub's own while it
 * is checked and stored exactly as `parity import` does (whole, or
 * nothing), audited either way, and the file removed; a store with no
 * room, or read-only, answered as such (507, 503) and said on standard
 * error. A release published into the served site, one at a time,
 * audited. The audit of a route.
 */
#include "actions.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "ingest/alias_register.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int route_audit(struct route_call *c, const char *action,
		const char *area_code, int year, int64_t submission,
		const char *outcome)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (hub_audit(c->store, c->who, action, area_code, year, submission,
		      outcome, NULL, c->now, &err) < 0) {
		server_json_error(c->res, 500, "audit",
				  "the audit could not be recorded");
		return -1;
	}
	return 0;
}

static void upload_fail(struct upload *u, int status, const char *code,
			const char *message)
{
	u->status = status;
	u->code = code;
	snprintf(u->message, sizeof(u->message), "%s", message);
}

/*
 * A store that cannot take the return: the disk holding it has no room
 * (507, store_full), or it cannot be written (503, store_read_only: a
 * file system made read-only, say after a disk error). The client is told
 * so, nothing having been stored, and so is whoever runs the hub, on
 * standard error (`detail`: which file, and why; never the return's
 * content). False, and `u` untouched, for any other failure.
 */
static bool upload_unwritable(struct upload *u, enum parity_status code,
			      const char *detail)
{
	const char *name;
	int status = server_unwritable(code, &name);

	if (!status)
		return false;
	upload_fail(u, status, name,
		    status == 507
			    ? "the store is full: the disk holding it has no "
			      "room for the return, so nothing was stored; try "
			      "again once space is made"
			    : "the store is read-only: it cannot be written, so "
			      "nothing was stored; it can still be read");
	fprintf(stderr, "parity: an upload was not stored (%s): %s\n",
		u->code, detail);
	return true;
}

/* The upload could not be held in DB.uploads (errno `e`): beside the
 * store, so a full disk or a read-only one is the store's. */
static void upload_hold_failed(const struct route_call *c, struct upload *u,
			       int e)
{
	char detail[4200];

	snprintf(detail, sizeof(detail), "%s: the upload could not be held: %s",
		 c->ctx->upload_dir, strerror(e));
	if (!upload_unwritable(u, parity_status_of_write_errno(e), detail))
		upload_fail(u, 500, "io", "the upload could not be held");
}

/* The upload, written to a file of its own that only the hub can read,
 * named for what it is (the submission keeps the name), in a folder of
 * its own, locked (flock) through *lock for as long as it is there, so
 * that a hub starting on the same store leaves it be (http.c sweeps only
 * what no running hub holds). Returns the file's path (the caller
 * removes it and its folder, closes *lock and frees both), or NULL with
 * `u` saying why. */
static char *upload_file(const struct route_call *c, const char *kind,
			 const char *area_code, int year, const char *data,
			 size_t len, char **dir, int *lock, struct upload *u)
{
	char tmpl[4096];
	char *path;
	size_t off = 0;
	int fd, e = 0;

	*dir = NULL;
	snprintf(tmpl, sizeof(tmpl), "%s/upload-XXXXXX", c->ctx->upload_dir);
	if (!mkdtemp(tmpl)) {
		upload_hold_failed(c, u, errno);
		return NULL;
	}
	*lock = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*lock < 0 || flock(*lock, LOCK_EX) != 0) {
		e = errno;
		if (*lock >= 0)
			close(*lock);
		*lock = -1;
		rmdir(tmpl);
		upload_hold_failed(c, u, e);
		return NULL;
	}
	path = xmalloc(strlen(tmpl) + 96);
	if (year)
		sprintf(path, "%s/%s-%s-%d.csv", tmpl, kind, area_code, year);
	else
		sprintf(path, "%s/%s-%s.csv", tmpl, kind, area_code);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		e = errno;
	while (fd >= 0 && off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : ENOSPC;
			break;
		}
		off += (size_t)n;
	}
	if (fd >= 0 && close(fd) != 0 && !e)
		e = errno;
	if (e) {
		if (fd >= 0)
			unlink(path);
		rmdir(tmpl);
		close(*lock);
		*lock = -1;
		free(path);
		upload_hold_failed(c, u, e);
		return NULL;
	}
	*dir = xstrdup(tmpl);
	return path;
}

/* What became of a stored upload, for the audit: "stored", or
 * "unchanged" when nothing was. */
static const char *upload_stored_outcome(const struct upload *u)
{
	return (u->service ? u->services.unchanged : u->result.unchanged)
		       ? "unchanged"
		       : "stored";
}

/* The first submission an upload made or found: the audit's. */
static int64_t upload_first_submission(const struct upload *u)
{
	if (u->service)
		return u->services.count ? u->services.items[0].sub.id : 0;
	return u->result.count ? u->result.subs[0].sub.id : 0;
}

/* The service return at `path`, checked and stored as `parity import
 * service` does, every row bound to c->area_code. */
static int upload_service(struct route_call *c, const char *path,
			  struct ethnicity_classifier *cls,
			  const struct alias_register *reg, struct upload *u)
{
	struct service_import_options opt;

	memset(&opt, 0, sizeof(opt));
	opt.path = path;
	opt.submitted_by = c->who->email;
	opt.classifier = cls;
	opt.aliases = reg;
	opt.areas = c->ctx->areas;
	opt.defs = c->ctx->services;
	opt.only_area = c->area_code;
	return service_import(c->store, &opt, &u->diags, &u->services,
			      &u->err);
}

int upload_return(struct route_call *c, const char *kind_name, int year,
		  const char *data, size_t len, struct upload *u)
{
	struct ethnicity_classifier *cls = NULL;
	struct alias_register reg;
	struct import_options opt;
	enum store_kind kind;
	char *path, *dir = NULL;
	int lock = -1, rc = UPLOAD_FAILED;

	memset(u, 0, sizeof(*u));
	memset(&reg, 0, sizeof(reg));
	diag_list_init(&u->diags);
	parity_error_clear(&u->err);
	if (store_kind_parse(kind_name, &kind) < 0) {
		upload_fail(u, 400, "bad_parameter",
			    "kind must be workforce, recruitment or service");
		return UPLOAD_FAILED;
	}
	u->service = kind == STORE_SERVICE;
	path = upload_file(c, kind_name, c->area_code, year, data, len, &dir,
			   &lock, u);
	if (!path)
		return UPLOAD_FAILED;
	memset(&opt, 0, sizeof(opt));
	opt.kind = kind;
	opt.path = path;
	opt.area = c->area_code;
	opt.year = year;
	opt.submitted_by = c->who->email;
	opt.areas = c->ctx->areas;
	if (ethnicity_classifier_new(&cls, &u->err) < 0 ||
	    alias_register_load(c->store, cls, &reg, &u->diags,
				&u->err) < 0) {
		upload_fail(u, 500, "store",
			    "the alias register could not be read");
		goto out;
	}
	opt.classifier = cls;
	opt.aliases = &reg;
	if ((u->service ? upload_service(c, path, cls, &reg, u)
			: import_return(c->store, &opt, &u->diags, &u->result,
					&u->err)) < 0) {
		char detail[sizeof(u->err.message) + sizeof(u->err.file)];
		/* a store that cannot take the return cannot take its audit
		 * either, often: it is what the client is told of */
		bool audited = route_audit(c, "upload", c->area_code, year, 0,
					   "refused") == 0;

		parity_error_format(&u->err, detail, sizeof(detail));
		if (upload_unwritable(u, u->err.code, detail)) {
			/* said */
		} else if (!audited) {
			upload_fail(u, 500, "audit",
				    "the audit could not be recorded");
		} else if (u->err.code == PARITY_ERR_VALIDATION ||
			   u->err.code == PARITY_ERR_PARSE) {
			rc = UPLOAD_REFUSED;
		} else {
			upload_fail(u, 500, "store",
				    "the return could not be stored");
		}
		goto out;
	}
	if (u->service && u->services.count)
		year = u->services.items[0].sub.year;
	if (route_audit(c, "upload", c->area_code, year,
			upload_first_submission(u),
			upload_stored_outcome(u)) < 0) {
		upload_fail(u, 500, "audit",
			    "the audit could not be recorded");
		goto out;
	}
	rc = UPLOAD_STORED;
out:
	unlink(path);
	if (dir)
		rmdir(dir);
	if (lock >= 0)
		close(lock);
	free(path);
	free(dir);
	alias_register_release(&reg);
	ethnicity_classifier_free(cls);
	return rc;
}

void upload_release(struct upload *u)
{
	import_result_release(&u->result);
	service_import_result_release(&u->services);
	diag_list_release(&u->diags);
}

int publish_release(struct route_call *c, int year, const char *correction,
		    struct site_summary *sum, bool *audit_failed,
		    struct parity_error *err)
{
	struct site_options opt;
	char today[CLOCK_DATE_SIZE];
	int rc;

	*audit_failed = false;
	if (!c->ctx->site_dir)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"this hub serves no site (parity "
					"serve --site DIR)");
	clock_utc_date(c->now, today, sizeof(today));
	site_options_init(&opt);
	opt.dir = c->ctx->site_dir;
	opt.year = year;
	opt.correction = correction && correction[0] ? correction : NULL;
	opt.date = today;
	if (site_options_check(&opt, err) < 0) {
		err->code = PARITY_ERR_USAGE;
		return -1;
	}
	pthread_mutex_lock(c->ctx->publishing);
	rc = site_publish(c->store, &opt, sum, err);
	pthread_mutex_unlock(c->ctx->publishing);
	if (route_audit(c, "publish", NULL, year, 0,
			rc < 0 ? "refused" : "published") < 0) {
		*audit_failed = true;
		return -1;
	}
	return rc;
}

void session_cookie_set(struct route_call *c, const char *value)
{
	char cookie[256];

	snprintf(cookie, sizeof(cookie),
		 "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
		 c->req->tls ? SERVER_SESSION_COOKIE_TLS
			     : SERVER_SESSION_COOKIE,
		 value, c->req->tls ? "; Secure" : "",
		 value[0] ? "" : "; Max-Age=0");
	server_response_header(c->res, "Set-Cookie", cookie);
}
