/*
 * server.h - `parity serve`: the pan-London hub over HTTP (libmicrohttpd).
 *
 * One process serves the store to the councils, London Councils' analysts
 * and the public: the JSON API under /api/v1 (docs/api.yaml), the hub's
 * own pages, and the published site (`--site`, the folder `parity
 * publish` writes). Every request passes through one authorisation
 * function (server/access.c) and leaves one line in the access log.
 *
 * Ownership: the caller owns the options; server_run() owns everything it
 * opens and closes it before it returns.
 */
#ifndef PARITY_SERVER_SERVER_H
#define PARITY_SERVER_SERVER_H

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The limits a hub runs within (docs/server.md says why each is what it
 * is). server_options_init() sets the defaults. */
struct server_limits {
	unsigned threads;           /* worker threads, each with its own
				     * connection to the store */
	unsigned connections;       /* connections at once, in all */
	unsigned connections_per_ip;
	unsigned timeout_seconds;   /* an idle connection is closed */
	size_t memory_per_connection; /* bytes for a connection's request
				       * line, headers and buffers: larger
				       * headers are refused (431) */
	size_t body_bytes;          /* an upload: a large council's return */
};

struct server_options {
	const char *db;        /* the store: a file, or postgresql://... */
	/* The key of a store in PostgreSQL (a file of its own); NULL for a
	 * store file, whose key is DB.key. */
	const char *db_key;
	/* The folder uploads wait in while they are checked (mode 0700,
	 * made if missing); NULL: DB.uploads beside a store file. A store in
	 * PostgreSQL has no file to put it beside: each hub names its own. */
	const char *upload_dir;
	const char *listen;    /* ADDR:PORT, e.g. 127.0.0.1:8080 */
	const char *site_dir;  /* the published site, or NULL */
	const char *cert_path; /* TLS certificate and key (PEM), or NULL */
	const char *key_path;
	FILE *access_log;      /* one line per request (stdout by default) */
	struct server_limits limits;
	long session_idle_seconds;     /* 0: the hub's default (30 min) */
	long session_absolute_seconds; /* 0: the hub's default (12 h) */
	/* MM-DD: returns for staff at 31 March of year Y are due by this
	 * day of year Y (the status page marks late and overdue returns);
	 * NULL: 30 September. server_returns_due_check() checks it. */
	const char *returns_due;
	/* The largest document attached to a practice record, in bytes
	 * (practice/attachment.h); 0: ATTACHMENT_MAX_DEFAULT, 10 MiB. */
	size_t max_attachment;
	/* Set by server_run() once it listens: the port (useful with
	 * port 0, which lets the system choose). */
	unsigned port;
	/* Called once the hub listens, e.g. to print where; may be NULL. */
	void (*on_listening)(const struct server_options *opt, void *ctx);
	void *on_listening_ctx;
};

void server_options_init(struct server_options *opt);

/* Whether `text` is a day of the year as MM-DD (29 February allowed): 0,
 * or -1. For --returns-due. */
int server_returns_due_check(const char *text);

/*
 * Serve until SIGTERM or SIGINT: then stop accepting, let requests in
 * flight finish (an upload is stored whole or not at all), and return 0.
 * -1 with `err` filled when the hub cannot start (the store, the address,
 * the certificate).
 */
int server_run(struct server_options *opt, struct parity_error *err);

/* The route table: a header line, then one line per route (method,
 * address, who may use it: the rule of docs/security.md, and whether it
 * answers with JSON or a page). */
void server_routes_write(FILE *out);

#endif
