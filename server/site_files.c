/*
 * site_files.c - the published site (`parity serve --site DIR`, the folder
 * `parity publish` writes), served as files: only what lies inside DIR,
 * a folder by its index.html, with an ETag and caching headers so that a
 * reader's browser asks again cheaply.
 */
#include "handlers.h"

#include "base/alloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *content_type_of(const char *path)
{
	static const struct {
		const char *ending, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".csv", "text/csv; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".svg", "image/svg+xml" },
		{ ".xlsx", "application/vnd.openxmlformats-officedocument."
			   "spreadsheetml.sheet" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".png", "image/png" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	size_t n = strlen(path), k;

	for (k = 0; k < sizeof(types) / sizeof(types[0]); k++) {
		size_t e = strlen(types[k].ending);

		if (n >= e && strcmp(path + n - e, types[k].ending) == 0)
			return types[k].type;
	}
	return "application/octet-stream";
}

/* Whether the request path is one the site can have: no "." or ".."
 * segment, no backslash, no control characters, not too long. (What it
 * resolves to is checked to be inside the site as well.) */
static bool path_acceptable(const char *path)
{
	size_t n = strlen(path);
	const char *p;

	if (path[0] != '/' || n > 1024)
		return false;
	for (p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	if (strstr(path, "/../") || strstr(path, "/./"))
		return false;
	return !(n >= 3 && strcmp(path + n - 3, "/..") == 0) &&
	       !(n >= 2 && strcmp(path + n - 2, "/.") == 0);
}

static void not_found(struct route_call *c)
{
	server_json_error(c->res, 404, "not_found",
			  "there is nothing at this address");
}

void site_file(struct route_call *c)
{
	char root[PATH_MAX], real[PATH_MAX], etag[96];
	struct strbuf want = STRBUF_INIT;
	struct stat st;
	size_t rootlen;

	if (!c->ctx->site_dir || !path_acceptable(c->req->path) ||
	    !realpath(c->ctx->site_dir, root)) {
		not_found(c);
		return;
	}
	strbuf_addstr(&want, root);
	strbuf_addstr(&want, c->req->path);
	if (c->req->path[strlen(c->req->path) - 1] == '/')
		strbuf_addstr(&want, "index.html");
	/* the site's top-level names are links into its current release:
	 * what they resolve to must still be inside the site */
	if (!realpath(want.buf, real) || stat(real, &st) != 0) {
		strbuf_release(&want);
		not_found(c);
		return;
	}
	strbuf_release(&want);
	if (S_ISDIR(st.st_mode)) {
		char *index = xmalloc(strlen(real) + 16);

		sprintf(index, "%s/index.html", real);
		if (stat(index, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(index);
			not_found(c);
			return;
		}
		snprintf(real, sizeof(real), "%s", index);
		free(index);
	}
	rootlen = strlen(root);
	if (!S_ISREG(st.st_mode) || strncmp(real, root, rootlen) != 0 ||
	    real[rootlen] != '/') {
		not_found(c);
		return;
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx-%lx\"",
		 (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
		 (long)st.st_mtim.tv_sec ^ st.st_mtim.tv_nsec);
	server_response_header(c->res, "ETag", etag);
	/* a release never changes once published, but the site's names
	 * move to each new one: readers check again after five minutes */
	server_response_header(c->res, "Cache-Control", "public, max-age=300");
	c->res->content_type = content_type_of(real);
	if (c->req->if_none_match && strcmp(c->req->if_none_match, etag) == 0) {
		c->res->status = 304;
		return;
	}
	c->res->status = 200;
	c->res->file = xstrdup(real);
}
