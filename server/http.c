/*
 * http.c - the hub on the network: libmicrohttpd with its own thread pool
 * (epoll), the limits the hub runs within, one store connection per
 * worker, TLS when given a certificate, the access log, and a graceful
 * stop on SIGTERM or SIGINT. A request is gathered here into a struct
 * server_request and answered by router.c, which never sees a socket.
 */
#include "server.h"

#include "published.h"
#include "router.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/strbuf.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/service_def.h"
#include "practice/attachment.h"
#include "standard/framework.h"
#include "store/area_group_store.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void server_options_init(struct server_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->listen = "127.0.0.1:8080";
	opt->access_log = stdout;
	opt->limits.threads = 4;
	opt->limits.connections = 256;
	opt->limits.connections_per_ip = 32;
	opt->limits.timeout_seconds = 60;
	opt->limits.memory_per_connection = (size_t)64 * 1024;
	/* the largest council's workforce return: some 15,000 staff at
	 * under 1 KB a row, with room to spare */
	opt->limits.body_bytes = (size_t)64 * 1024 * 1024;
}

int server_returns_due_check(const char *text)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	int month, day;

	if (strlen(text) != 5 || text[2] != '-' ||
	    !strchr("01", text[0]) || !strchr("0123456789", text[1]) ||
	    !strchr("0123", text[3]) || !strchr("0123456789", text[4]))
		return -1;
	month = (text[0] - '0') * 10 + (text[1] - '0');
	day = (text[3] - '0') * 10 + (text[4] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1]
		       ? 0
		       : -1;
}

/* The store connections, one per worker thread, lent out per request. */
struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct store **all;
	bool *busy;
	size_t count;
};

struct hub {
	struct server_options *opt;
	struct server_context ctx;
	struct store_pool pool;
	pthread_mutex_t log_lock;
};

/* A form field as it arrives. */
struct pending_field {
	char *name, *filename;
	struct strbuf value;
};

/* What is known of a request while its body arrives. */
struct pending {
	struct strbuf body;        /* the body, unless it is a form */
	size_t received;           /* bytes of body received */
	bool too_large;
	struct timespec started;
	struct MHD_PostProcessor *form;  /* a form being decoded, or NULL */
	struct pending_field fields[SERVER_MAX_FIELDS];
	size_t nfields;
	bool bad_form;
};

/* libmicrohttpd's form decoder hands each field over in pieces. */
static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *filename,
				  const char *content_type,
				  const char *transfer_encoding,
				  const char *data, uint64_t off, size_t size)
{
	struct pending *p = cls;
	struct pending_field *f = p->nfields
					  ? &p->fields[p->nfields - 1]
					  : NULL;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!f || off == 0 || strcmp(f->name, key) != 0) {
		if (p->nfields >= SERVER_MAX_FIELDS) {
			p->bad_form = true;
			return MHD_NO;
		}
		f = &p->fields[p->nfields++];
		f->name = xstrdup(key);
		f->filename = filename ? xstrdup(filename) : NULL;
		strbuf_init(&f->value);
	}
	strbuf_add(&f->value, data, size);
	return MHD_YES;
}

static bool is_form(const char *content_type)
{
	return content_type &&
	       (strncmp(content_type, "application/x-www-form-urlencoded",
			33) == 0 ||
		strncmp(content_type, "multipart/form-data", 19) == 0);
}

static struct store *pool_take(struct store_pool *p)
{
	struct store *s = NULL;
	size_t k;

	pthread_mutex_lock(&p->lock);
	while (!s) {
		for (k = 0; k < p->count && !s; k++)
			if (!p->busy[k]) {
				p->busy[k] = true;
				s = p->all[k];
			}
		if (!s)
			pthread_cond_wait(&p->freed, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return s;
}

static void pool_give(struct store_pool *p, const struct store *s)
{
	size_t k;

	pthread_mutex_lock(&p->lock);
	for (k = 0; k < p->count; k++)
		if (p->all[k] == s)
			p->busy[k] = false;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	struct server_request *req = cls;

	(void)kind;
	if (req->nquery >= SERVER_MAX_PARAMS) {
		req->too_many_params = true;
		return MHD_NO;
	}
	req->query[req->nquery].name = key;
	req->query[req->nquery].value = value ? value : "";
	req->nquery++;
	return MHD_YES;
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* One line per request, as JSON: no path beyond the route's pattern, no
 * query, no personal data, no tokens. */
static void log_request(struct hub *hub, const char *method,
			const struct server_response *res, size_t bytes,
			double seconds)
{
	char when[CLOCK_UTC_SIZE];

	if (!hub->opt->access_log)
		return;
	clock_utc_format((long)time(NULL), when, sizeof(when));
	pthread_mutex_lock(&hub->log_lock);
	fprintf(hub->opt->access_log,
		"{\"time\":\"%s\",\"method\":\"%s\",\"route\":\"%s\","
		"\"status\":%d,\"bytes\":%zu,\"ms\":%.2f,\"account\":%lld}\n",
		when, method, res->route, res->status, bytes, seconds * 1e3,
		(long long)res->account_id);
	fflush(hub->opt->access_log);
	pthread_mutex_unlock(&hub->log_lock);
}

/* The TLS versions and ciphers the hub offers, in GnuTLS's words: its
 * secure defaults, without TLS 1.0 and 1.1. */
#define SERVER_TLS_PRIORITIES \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE"

/*
 * Headers every answer carries (docs/security.md): no script, style,
 * frame or plugin from anywhere but the hub itself, and none inline; no
 * framing by another site; no guessing of types; the browser's features
 * a page could ask for (camera, microphone, location, payment...) all
 * refused; and under TLS, HTTPS only for a year. A route that sets its
 * own Referrer-Policy (the pages that carry a token in their address:
 * no-referrer) keeps it.
 */
static void add_security_headers(struct MHD_Response *r, bool tls)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (!MHD_get_response_header(r, "Referrer-Policy"))
		MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; "
				"style-src 'self'; img-src 'self' data:; "
				"object-src 'none'; base-uri 'none'; "
				"form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(r, "Permissions-Policy",
				"accelerometer=(), camera=(), "
				"geolocation=(), gyroscope=(), "
				"magnetometer=(), microphone=(), "
				"payment=(), usb=(), interest-cohort=()");
	if (tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
					"max-age=31536000");
}

/* Send `res`; the number of body bytes in *bytes. */
static enum MHD_Result send_response(struct MHD_Connection *conn,
				     const struct server_response *res,
				     bool tls, size_t *bytes)
{
	struct MHD_Response *r = NULL;
	enum MHD_Result ok;
	size_t k;

	*bytes = 0;
	if (res->file && res->status == 200) {
		int fd = open(res->file, O_RDONLY | O_CLOEXEC);
		struct stat st;

		if (fd >= 0 && fstat(fd, &st) == 0) {
			r = MHD_create_response_from_fd((uint64_t)st.st_size,
							fd);
			*bytes = (size_t)st.st_size;
		} else if (fd >= 0) {
			close(fd);
		}
	}
	if (!r) {
		r = MHD_create_response_from_buffer(res->body.len,
						    res->body.buf,
						    MHD_RESPMEM_MUST_COPY);
		*bytes = res->body.len;
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", res->content_type);
	for (k = 0; k < res->nheaders; k++)
		MHD_add_response_header(r, res->headers[k].name,
					res->headers[k].value);
	add_security_headers(r, tls);
	ok = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	out[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)(const void *)sa)
				   ->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)sa)
				   ->sin6_addr, out, (socklen_t)size);
}

/* A refusal before the route is even found: too large a body. */
static enum MHD_Result refuse_too_large(struct hub *hub,
					struct MHD_Connection *conn,
					const char *method,
					const struct timespec *started)
{
	struct server_response res;
	enum MHD_Result ok;
	size_t bytes;
	char text[160];

	server_response_init(&res);
	res.status = 413;
	res.content_type = "application/json";
	snprintf(text, sizeof(text),
		 "{\"code\":\"too_large\",\"message\":\"a request body may "
		 "be at most %zu bytes\"}", hub->opt->limits.body_bytes);
	strbuf_addstr(&res.body, text);
	ok = send_response(conn, &res, hub->opt->cert_path != NULL, &bytes);
	log_request(hub, method, &res, bytes, seconds_since(started));
	server_response_release(&res);
	return ok;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	struct hub *hub = cls;
	struct pending *p = *con_cls;
	struct server_request req;
	struct server_response res;
	struct store *store;
	enum MHD_Result ok;
	char ip[INET6_ADDRSTRLEN];
	size_t bytes;

	(void)version;
	if (!p) {
		const char *length = MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

		p = xcalloc(1, sizeof(*p));
		strbuf_init(&p->body);
		clock_gettime(CLOCK_MONOTONIC, &p->started);
		*con_cls = p;
		if (is_form(MHD_lookup_connection_value(
			    conn, MHD_HEADER_KIND,
			    MHD_HTTP_HEADER_CONTENT_TYPE)))
			p->form = MHD_create_post_processor(conn,
							    (size_t)64 * 1024,
							    form_field, p);
		if (length && strtoull(length, NULL, 10) >
				      hub->opt->limits.body_bytes) {
			p->too_large = true;
			return refuse_too_large(hub, conn, method,
						&p->started);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!p->too_large &&
		    p->received + *upload_data_size <=
			    hub->opt->limits.body_bytes) {
			p->received += *upload_data_size;
			if (!p->form)
				strbuf_add(&p->body, upload_data,
					   *upload_data_size);
			else if (!p->bad_form &&
				 MHD_post_process(p->form, upload_data,
						  *upload_data_size) != MHD_YES)
				p->bad_form = true;
		} else {
			p->too_large = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (p->too_large)
		return refuse_too_large(hub, conn, method, &p->started);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = url;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_param,
				  &req);
	req.tls = hub->opt->cert_path != NULL;
	req.session = MHD_lookup_connection_value(
		conn, MHD_COOKIE_KIND,
		req.tls ? SERVER_SESSION_COOKIE_TLS : SERVER_SESSION_COOKIE);
	req.authorization = MHD_lookup_connection_value(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	req.content_type = MHD_lookup_connection_value(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	req.accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_ACCEPT);
	req.if_none_match = MHD_lookup_connection_value(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	req.csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					       "X-CSRF-Token");
	req.host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					       MHD_HTTP_HEADER_HOST);
	client_ip(conn, ip, sizeof(ip));
	req.client_ip = ip;
	req.body = p->body.buf;
	req.body_len = p->body.len;
	for (size_t k = 0; k < p->nfields; k++) {
		req.form[k].name = p->fields[k].name;
		req.form[k].filename = p->fields[k].filename;
		req.form[k].value = p->fields[k].value.buf;
		req.form[k].len = p->fields[k].value.len;
	}
	req.nform = p->nfields;
	req.bad_form = p->bad_form;
	req.tls = hub->opt->cert_path != NULL;
	server_response_init(&res);
	store = pool_take(&hub->pool);
	server_handle(&hub->ctx, store, &req, (long)time(NULL), &res);
	pool_give(&hub->pool, store);
	ok = send_response(conn, &res, req.tls, &bytes);
	log_request(hub, method, &res, bytes, seconds_since(&p->started));
	server_response_release(&res);
	return ok;
}

/* Decode %XX in a path or parameter as libmicrohttpd does, except that a
 * %00 would cut the text short unseen ("/%00/../" read as "/"): such a
 * text becomes a control character, which nothing the hub takes
 * accepts. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	size_t n;

	(void)cls;
	(void)conn;
	n = MHD_http_unescape(s);
	if (strlen(s) != n) {
		s[0] = '\x01';
		s[1] = '\0';
		n = 1;
	}
	return n;
}

static void completed(void *cls, struct MHD_Connection *conn,
		      void **con_cls, enum MHD_RequestTerminationCode code)
{
	struct pending *p = *con_cls;

	(void)cls;
	(void)conn;
	(void)code;
	if (p) {
		size_t k;

		if (p->form)
			MHD_destroy_post_processor(p->form);
		for (k = 0; k < p->nfields; k++) {
			free(p->fields[k].name);
			free(p->fields[k].filename);
			strbuf_release(&p->fields[k].value);
		}
		strbuf_release(&p->body);
		free(p);
		*con_cls = NULL;
	}
}

/* ADDR:PORT (IPv4, or [IPv6]:PORT) into `out`. */
static int parse_listen(const char *text, struct sockaddr_storage *out,
			bool *v6, struct parity_error *err)
{
	struct addrinfo hints, *found = NULL;
	char host[128];
	const char *colon = strrchr(text, ':');
	const char *port;
	size_t n;

	if (!colon || colon == text || !colon[1])
		goto bad;
	port = colon + 1;
	n = (size_t)(colon - text);
	if (text[0] == '[' && n >= 2 && text[n - 1] == ']') {
		text++;
		n -= 2;
	}
	if (n >= sizeof(host))
		goto bad;
	memcpy(host, text, n);
	host[n] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &found) != 0 || !found)
		goto bad;
	memset(out, 0, sizeof(*out));
	memcpy(out, found->ai_addr, found->ai_addrlen);
	*v6 = found->ai_family == AF_INET6;
	freeaddrinfo(found);
	return 0;
bad:
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"--listen must be ADDRESS:PORT, such as "
				"127.0.0.1:8080 or [::1]:8080, not '%s'",
				text);
}

static char *read_pem(const char *path, struct parity_error *err)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (!f) {
		parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				 "cannot read: %s", strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len < 1 << 20)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

/* The groups of boroughs defined in the store are areas too, as the
 * store holds them when the hub starts (`parity areas define`). */
static int load_area_groups(struct store_pool *p, struct area_set *areas,
			    struct parity_error *err)
{
	struct store *s = pool_take(p);
	int rc = store_area_groups_load(s, areas, err);

	pool_give(p, s);
	return rc;
}

static void pool_close(struct store_pool *p)
{
	size_t k;

	for (k = 0; k < p->count; k++)
		store_close(p->all[k]);
	free(p->all);
	free(p->busy);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
}

static int pool_open(struct store_pool *p, const char *db, const char *key,
		     size_t count, struct parity_error *err)
{
	size_t k;

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->all = xcalloc(count, sizeof(struct store *));
	p->busy = xcalloc(count, sizeof(*p->busy));
	p->count = 0;
	for (k = 0; k < count; k++) {
		if (store_open_keyed(&p->all[k], db, key, err) < 0 ||
		    store_check_held_to_tenancy(p->all[k], err) < 0)
			return -1;
		p->count++;
	}
	return 0;
}

/* What a hub killed mid-request left in DB.uploads, removed when the
 * next starts: uploads that were being checked (upload-XXXXXX/, a
 * council's return with its staff ids) and workbooks being made
 * (table-XXXXXX). A running hub holds a lock (flock) on each of its own
 * while it is there (actions.c, api.c), so one still in use by another
 * hub on the same store is left be. Nothing else there is touched. */
static void upload_dir_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	const struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		bool folder = strncmp(e->d_name, "upload-", 7) == 0;
		int fd;

		if (!folder && strncmp(e->d_name, "table-", 6) != 0)
			continue;
		fd = openat(dirfd(d), e->d_name,
			    O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
				    (folder ? O_DIRECTORY : 0));
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			close(fd);  /* another hub's, in use */
			continue;
		}
		if (folder) {
			DIR *held = fdopendir(fd);
			const struct dirent *f;

			while (held && (f = readdir(held)) != NULL)
				if (strcmp(f->d_name, ".") != 0 &&
				    strcmp(f->d_name, "..") != 0)
					unlinkat(dirfd(held), f->d_name, 0);
			unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
			if (held)
				closedir(held);
			else
				close(fd);
		} else {
			unlinkat(dirfd(d), e->d_name, 0);
			close(fd);
		}
	}
	if (d)
		closedir(d);
}

/* The folder an upload waits in while it is checked: the one named, or
 * DB.uploads; the hub's own, emptied of what a killed hub left there. */
static char *upload_dir_make(const struct server_options *opt,
			     struct parity_error *err)
{
	char *dir;
	struct stat st;

	if (opt->upload_dir) {
		dir = xstrdup(opt->upload_dir);
	} else if (store_is_postgres(opt->db)) {
		parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				 "a hub over a store in PostgreSQL needs a "
				 "folder of its own for uploads: name it");
		return NULL;
	} else {
		dir = xmalloc(strlen(opt->db) + 16);
		sprintf(dir, "%s.uploads", opt->db);
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		parity_error_set(err, PARITY_ERR_IO, dir, 0, 0,
				 "cannot make the folder for uploads: %s",
				 strerror(errno));
		free(dir);
		return NULL;
	}
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		parity_error_set(err, PARITY_ERR_IO, dir, 0, 0,
				 "the folder for uploads must be a folder "
				 "of this user's that no one else can "
				 "open (mode 0700)");
		free(dir);
		return NULL;
	}
	upload_dir_sweep(dir);
	return dir;
}

int server_run(struct server_options *opt, struct parity_error *err)
{
	struct hub hub;
	struct area_set *areas = NULL;
	struct benchmark *census = NULL;
	struct framework_set *frameworks = NULL;
	struct diag_list framework_problems = DIAG_LIST_INIT;
	struct service_defs *services = NULL;
	pthread_mutex_t publishing = PTHREAD_MUTEX_INITIALIZER;
	struct sockaddr_storage addr;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	char *cert = NULL, *key = NULL, *upload_dir = NULL;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ERROR_LOG;
	sigset_t stop;
	bool v6 = false;
	int sig, rc = -1;

	memset(&hub, 0, sizeof(hub));
	hub.opt = opt;
	pthread_mutex_init(&hub.log_lock, NULL);
	if (parse_listen(opt->listen, &addr, &v6, err) < 0)
		return -1;
	if ((opt->cert_path != NULL) != (opt->key_path != NULL))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"--cert and --key go together");
	if (opt->cert_path) {
		cert = read_pem(opt->cert_path, err);
		key = cert ? read_pem(opt->key_path, err) : NULL;
		if (!key)
			goto out;
		flags |= MHD_USE_TLS;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	if (area_set_load(&areas, err) < 0 ||
	    benchmark_load_census2021(&census, areas, err) < 0 ||
	    service_defs_load(&services, err) < 0)
		goto out;
	if (framework_set_load(&frameworks, &framework_problems) < 0) {
		parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
				 "the built-in frameworks could not be read");
		goto out;
	}
	upload_dir = upload_dir_make(opt, err);
	if (!upload_dir ||
	    pool_open(&hub.pool, opt->db, opt->db_key, opt->limits.threads,
		      err) < 0 ||
	    load_area_groups(&hub.pool, areas, err) < 0)
		goto out;
	hub.ctx.areas = areas;
	hub.ctx.census = census;
	hub.ctx.site_dir = opt->site_dir;
	hub.ctx.upload_dir = upload_dir;
	hub.ctx.services = services;
	hub.ctx.frameworks = frameworks;
	hub.ctx.returns_due = opt->returns_due;
	hub.ctx.max_attachment = opt->max_attachment ? opt->max_attachment
						     : ATTACHMENT_MAX_DEFAULT;
	hub.ctx.published = published_cache_new();
	hub.ctx.publishing = &publishing;
	hub_limits_init(&hub.ctx.limits);
	if (opt->session_idle_seconds > 0)
		hub.ctx.limits.session_idle_seconds = opt->session_idle_seconds;
	if (opt->session_absolute_seconds > 0)
		hub.ctx.limits.session_absolute_seconds =
			opt->session_absolute_seconds;
	/* the workers inherit a mask without the stopping signals, so that
	 * this thread alone takes them */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	{
		char priorities[] = SERVER_TLS_PRIORITIES;
		struct MHD_OptionItem o[] = {
			{ MHD_OPTION_THREAD_POOL_SIZE,
			  (intptr_t)opt->limits.threads, NULL },
			{ MHD_OPTION_CONNECTION_LIMIT,
			  (intptr_t)opt->limits.connections, NULL },
			{ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
			  (intptr_t)opt->limits.connections_per_ip, NULL },
			{ MHD_OPTION_CONNECTION_TIMEOUT,
			  (intptr_t)opt->limits.timeout_seconds, NULL },
			{ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			  (intptr_t)opt->limits.memory_per_connection, NULL },
			/* given only under TLS: MHD refuses them otherwise */
			{ cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0,
			  cert },
			{ MHD_OPTION_HTTPS_MEM_KEY, 0, key },
			/* GnuTLS's defaults, TLS 1.2 and 1.3 only */
			{ MHD_OPTION_HTTPS_PRIORITIES, 0, priorities },
			{ MHD_OPTION_END, 0, NULL },
		};

		d = MHD_start_daemon(flags, 0, NULL, NULL, answer, &hub,
				     MHD_OPTION_SOCK_ADDR,
				     (struct sockaddr *)&addr,
				     MHD_OPTION_NOTIFY_COMPLETED, completed,
				     NULL, MHD_OPTION_UNESCAPE_CALLBACK,
				     unescape, NULL, MHD_OPTION_ARRAY, o,
				     MHD_OPTION_END);
	}
	if (!d) {
		parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
				 "cannot listen on %s (in use, or not an "
				 "address of this machine; or the "
				 "certificate and key do not fit)",
				 opt->listen);
		goto out;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	opt->port = info ? info->port : 0;
	if (opt->on_listening)
		opt->on_listening(opt, opt->on_listening_ctx);
	do {
		if (sigwait(&stop, &sig) != 0)
			sig = SIGTERM;
	} while (sig != SIGINT && sig != SIGTERM);
	/* requests being answered finish first (an upload is stored whole
	 * or not at all); then every connection is closed */
	MHD_stop_daemon(d);
	rc = 0;
out:
	if (hub.pool.all)
		pool_close(&hub.pool);
	published_cache_free(hub.ctx.published);
	framework_set_free(frameworks);
	diag_list_release(&framework_problems);
	service_defs_free(services);
	benchmark_free(census);
	area_set_free(areas);
	free(upload_dir);
	free(cert);
	free(key);
	pthread_mutex_destroy(&hub.log_lock);
	return rc;
}
