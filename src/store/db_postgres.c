/*
 * db_postgres.c - db.h's operations on a PostgreSQL connection (libpq),
 * and all that differs in PostgreSQL's dialect. Owns the connection it
 * makes, the statements it prepares, their parameters and results, and
 * the last failure's message.
 *
 * A statement is its SQL with the portable parameters (`?`, `?N`)
 * rewritten as PostgreSQL's `$N` (not inside string literals, quoted
 * identifiers or comments), and its parameters as bound: text, with the
 * type the bind says (int8, float8, or left for the server to infer), or
 * bytes for a blob (bytea, sent in binary). Its first db_step() sends it
 * with PQexecParams() and holds the whole result (in text form); later
 * steps walk its rows. At the last row the result is dropped, so a step
 * after DB_DONE or DB_FAILED runs the statement again, as SQLite does.
 *
 * Columns are read from the text form: integers with strtoll() (booleans
 * as 1 or 0, a fraction cut towards zero), doubles with strtod(), blobs
 * decoded from bytea's text form into a buffer per column, kept until the
 * row changes (a blob read as text is that text form, `\x` and hex).
 */
#include "store/db_postgres.h"

#include "base/alloc.h"
#include "store/db_backend.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL's type OIDs (pg_type.dat), for those bound and read. */
enum {
	PG_TYPE_UNKNOWN = 0, /* let the server infer it from its use */
	PG_TYPE_BOOL = 16,
	PG_TYPE_BYTEA = 17,
	PG_TYPE_INT8 = 20,
	PG_TYPE_TEXT = 25,
	PG_TYPE_FLOAT4 = 700,
	PG_TYPE_FLOAT8 = 701,
	PG_TYPE_NUMERIC = 1700
};

/* The most parameters a statement may have: the protocol's limit. */
#define MAX_PARAMS 65535

struct pg_db {
	struct db base;
	PGconn *conn;
	char *error; /* the last failure's message */
	enum db_failure_kind failure;
	int64_t changes;
};

/* A bound parameter. `value` NULL: SQL NULL (as is one never bound). */
struct pg_param {
	char *value;
	int length; /* bytes of a blob (binary format) */
	int format; /* 0 text, 1 binary */
	Oid type;
};

/* A blob column of the current row, decoded. */
struct pg_blob {
	unsigned char *data; /* NULL: not decoded yet */
	size_t size;
};

struct pg_stmt {
	struct db_stmt base;
	char *sql; /* with `$N` parameters */
	int nparams;
	struct pg_param *params;
	PGresult *result; /* NULL: not running */
	int row;          /* the current row of `result` */
	int nblobs;
	struct pg_blob *blobs; /* one per column of `result` */
};

static struct pg_db *pg_of(struct db *db)
{
	return (struct pg_db *)db;
}

static struct pg_stmt *stmt_of(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* Record a failure: its kind and `message`, less its trailing newlines. */
static void set_failure(struct pg_db *db, enum db_failure_kind kind,
			const char *message)
{
	size_t len = strlen(message);

	while (len > 0 && (message[len - 1] == '\n' || message[len - 1] == ' '))
		len--;
	free(db->error);
	db->error = xstrndup(message, len);
	db->failure = kind;
}

/* The store's kind of failure for SQLSTATE `state` (NULL when the
 * server sent none, as when the connection is lost). */
static enum db_failure_kind failure_of_state(const char *state)
{
	if (!state || strlen(state) != 5)
		return DB_FAILURE_OTHER;
	if (strncmp(state, "53", 2) == 0) /* insufficient resources */
		return DB_FAILURE_FULL;
	if (strcmp(state, "25006") == 0) /* read-only SQL transaction */
		return DB_FAILURE_READ_ONLY;
	if (strncmp(state, "23", 2) == 0) /* integrity constraint */
		return DB_FAILURE_CONSTRAINT;
	if (strcmp(state, "40001") == 0 ||  /* serialization failure */
	    strcmp(state, "40P01") == 0 ||  /* deadlock detected */
	    strcmp(state, "55P03") == 0)    /* lock not available */
		return DB_FAILURE_BUSY;
	if (strcmp(state, "XX001") == 0 || /* data corrupted */
	    strcmp(state, "XX002") == 0)   /* index corrupted */
		return DB_FAILURE_CORRUPT;
	return DB_FAILURE_OTHER;
}

/* Record the failure `res` reports (NULL: libpq had no result to give). */
static void set_result_failure(struct pg_db *db, const PGresult *res)
{
	/* The primary message only, as SQLite gives: PostgreSQL's detail
	 * quotes the row's values ("Key (name)=(...) already exists"), which
	 * may be personal data, and the store's errors reach logs. */
	const char *message =
		res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (!message || !*message)
		message = PQerrorMessage(db->conn);
	if (!*message)
		message = "PostgreSQL gave no result and no reason";
	set_failure(db,
		    failure_of_state(res ? PQresultErrorField(
						   res, PG_DIAG_SQLSTATE)
					 : NULL),
		    message);
}

/* Whether `res` is a success: a command done, rows, or nothing to run. */
static bool succeeded(const PGresult *res)
{
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		return true;
	default:
		return false;
	}
}

/* After a successful command: the rows it changed, when it is one that
 * changes rows (SQLite's count is left alone by any other). */
static void note_changes(struct pg_db *db, PGresult *res)
{
	const char *status = PQcmdStatus(res);
	const char *rows;

	if (strncmp(status, "INSERT ", 7) != 0 &&
	    strncmp(status, "UPDATE ", 7) != 0 &&
	    strncmp(status, "DELETE ", 7) != 0 &&
	    strncmp(status, "MERGE ", 6) != 0)
		return;
	rows = PQcmdTuples(res);
	db->changes = *rows ? strtoll(rows, NULL, 10) : 0;
}

/* --- the dialect: `?` and `?N` as `$N` --- */

struct sql_buf {
	char *text;
	size_t len, cap;
};

static void buf_add(struct sql_buf *b, const char *s, size_t n)
{
	b->text = xgrow(b->text, &b->cap, b->len + n + 1, 1);
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = '\0';
}

/* The length of the quoted run at `s` (a string literal or a quoted
 * identifier, closed by `quote`, a doubled one inside it), or of what is
 * left when it is not closed. */
static size_t quoted_length(const char *s, char quote)
{
	size_t i = 1;

	while (s[i]) {
		if (s[i] == quote) {
			if (s[i + 1] != quote)
				return i + 1;
			i++;
		}
		i++;
	}
	return i;
}

/* The length of the block comment at `s`, nested as PostgreSQL reads
 * them, or of what is left when it is not closed. */
static size_t block_comment_length(const char *s)
{
	size_t i = 2;
	int depth = 1;

	while (s[i] && depth > 0) {
		if (s[i] == '/' && s[i + 1] == '*') {
			depth++;
			i += 2;
		} else if (s[i] == '*' && s[i + 1] == '/') {
			depth--;
			i += 2;
		} else {
			i++;
		}
	}
	return i;
}

/* `sql` with its parameters as `$N` in *out (the caller's to free), and
 * how many there are in *nparams; 0, or -1 with the reason in `why`. */
static int translate(const char *sql, char **out, int *nparams, char *why,
		     size_t why_size)
{
	struct sql_buf b = {0};
	const char *p = sql;
	int in_order = 0, highest = 0;

	buf_add(&b, "", 0);
	while (*p) {
		size_t n;

		if (*p == '\'' || *p == '"') {
			n = quoted_length(p, *p);
		} else if (p[0] == '-' && p[1] == '-') {
			n = strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			n = block_comment_length(p);
		} else if (*p == '?') {
			char number[16];
			long index = 0;
			size_t digits = strspn(p + 1, "0123456789");

			if (digits == 0) {
				index = ++in_order;
			} else {
				for (size_t i = 1; i <= digits; i++)
					if (index <= MAX_PARAMS)
						index = index * 10 +
							(p[i] - '0');
				if (index < 1 || index > MAX_PARAMS) {
					snprintf(why, why_size,
						 "parameter ?%.*s is not from "
						 "1 to %d",
						 (int)digits, p + 1,
						 MAX_PARAMS);
					goto fail;
				}
				if (index > highest)
					highest = (int)index;
			}
			if (in_order > 0 && highest > 0) {
				snprintf(why, why_size,
					 "parameters ? and ?N mixed in one "
					 "statement");
				goto fail;
			}
			if (in_order > MAX_PARAMS) {
				snprintf(why, why_size,
					 "more than %d parameters", MAX_PARAMS);
				goto fail;
			}
			buf_add(&b, number,
				(size_t)snprintf(number, sizeof(number),
						 "$%ld", index));
			p += 1 + digits;
			continue;
		} else {
			n = strcspn(p, "'\"-/?");
			if (n == 0)
				n = 1;
		}
		buf_add(&b, p, n);
		p += n;
	}
	*out = b.text;
	*nparams = in_order ? in_order : highest;
	return 0;
fail:
	free(b.text);
	return -1;
}

/* --- statements --- */

/* Drop the decoded blobs of the current row. */
static void drop_blobs(struct pg_stmt *st)
{
	for (int i = 0; i < st->nblobs; i++) {
		PQfreemem(st->blobs[i].data);
		st->blobs[i].data = NULL;
	}
}

/* Stop running: drop the result and what was read from it. */
static void drop_result(struct pg_stmt *st)
{
	drop_blobs(st);
	free(st->blobs);
	st->blobs = NULL;
	st->nblobs = 0;
	PQclear(st->result);
	st->result = NULL;
	st->row = 0;
}

static int prepare(struct db *db, const char *sql, bool reused,
		   struct db_stmt **out)
{
	struct pg_stmt *st;
	char why[128];
	char *text;
	int nparams;

	(void)reused; /* each run is sent whole: nothing is kept server-side */
	*out = NULL;
	if (translate(sql, &text, &nparams, why, sizeof(why)) != 0) {
		set_failure(pg_of(db), DB_FAILURE_OTHER, why);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->base.db = db;
	st->sql = text;
	st->nparams = nparams;
	if (nparams > 0)
		st->params = xcalloc((size_t)nparams, sizeof(*st->params));
	*out = &st->base;
	return 0;
}

/* Parameter `index` of `st`, its old value dropped, or NULL (the failure
 * recorded) when the statement has no such parameter. */
static struct pg_param *param_of(struct db_stmt *st, int index)
{
	struct pg_stmt *s = stmt_of(st);
	struct pg_param *param;

	if (index < 1 || index > s->nparams) {
		char why[96];

		snprintf(why, sizeof(why),
			 "parameter %d out of range: the statement has %d",
			 index, s->nparams);
		set_failure(pg_of(st->db), DB_FAILURE_OTHER, why);
		return NULL;
	}
	param = &s->params[index - 1];
	free(param->value);
	memset(param, 0, sizeof(*param));
	return param;
}

static int bind_null(struct db_stmt *st, int index)
{
	return param_of(st, index) ? 0 : -1;
}

static int bind_int64(struct db_stmt *st, int index, int64_t value)
{
	struct pg_param *param = param_of(st, index);
	char text[24];

	if (!param)
		return -1;
	snprintf(text, sizeof(text), "%" PRId64, value);
	param->value = xstrdup(text);
	param->type = PG_TYPE_INT8;
	return 0;
}

static int bind_double(struct db_stmt *st, int index, double value)
{
	struct pg_param *param = param_of(st, index);
	char text[32];

	if (!param)
		return -1;
	if (isnan(value))
		snprintf(text, sizeof(text), "NaN");
	else if (isinf(value))
		snprintf(text, sizeof(text), "%sInfinity",
			 value < 0 ? "-" : "");
	else
		snprintf(text, sizeof(text), "%.17g", value);
	param->value = xstrdup(text);
	param->type = PG_TYPE_FLOAT8;
	return 0;
}

static int bind_text(struct db_stmt *st, int index, const char *text,
		     int len)
{
	size_t size;
	struct pg_param *param;

	if (!text) /* as SQLite takes it */
		return bind_null(st, index);
	size = len < 0 ? strlen(text) : (size_t)len;
	if (strnlen(text, size) < size) {
		set_failure(pg_of(st->db), DB_FAILURE_OTHER,
			    "text with a NUL byte cannot be stored in "
			    "PostgreSQL");
		return -1;
	}
	param = param_of(st, index);
	if (!param)
		return -1;
	param->value = xstrndup(text, size);
	param->type = PG_TYPE_TEXT;
	return 0;
}

static int bind_blob(struct db_stmt *st, int index, const void *data,
		     size_t size)
{
	struct pg_param *param;

	if (!data) /* as SQLite takes it */
		return bind_null(st, index);
	if (size > INT32_MAX) {
		set_failure(pg_of(st->db), DB_FAILURE_OTHER,
			    "blob too large for one parameter");
		return -1;
	}
	param = param_of(st, index);
	if (!param)
		return -1;
	param->value = xmalloc(size ? size : 1);
	if (size)
		memcpy(param->value, data, size);
	param->length = (int)size;
	param->format = 1;
	param->type = PG_TYPE_BYTEA;
	return 0;
}

/* Send `st` with its parameters; DB_ROW, DB_DONE or DB_FAILED. */
static int run(struct pg_stmt *st)
{
	struct pg_db *db = pg_of(st->base.db);
	int n = st->nparams;
	Oid *types = NULL;
	const char **values = NULL;
	int *lengths = NULL, *formats = NULL;
	PGresult *res;

	if (n > 0) {
		types = xcalloc((size_t)n, sizeof(*types));
		values = xcalloc((size_t)n, sizeof(*values));
		lengths = xcalloc((size_t)n, sizeof(*lengths));
		formats = xcalloc((size_t)n, sizeof(*formats));
		for (int i = 0; i < n; i++) {
			types[i] = st->params[i].type;
			values[i] = st->params[i].value;
			lengths[i] = st->params[i].length;
			formats[i] = st->params[i].format;
		}
	}
	res = PQexecParams(db->conn, st->sql, n, types, values, lengths,
			   formats, 0);
	free(types);
	free(values);
	free(lengths);
	free(formats);
	if (!res || !succeeded(res)) {
		set_result_failure(db, res);
		PQclear(res);
		return DB_FAILED;
	}
	note_changes(db, res);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0) {
		PQclear(res);
		return DB_DONE;
	}
	st->result = res;
	st->row = 0;
	st->nblobs = PQnfields(res);
	st->blobs = xcalloc((size_t)st->nblobs, sizeof(*st->blobs));
	return DB_ROW;
}

static int step(struct db_stmt *st)
{
	struct pg_stmt *s = stmt_of(st);

	if (!s->result)
		return run(s);
	drop_blobs(s);
	if (++s->row < PQntuples(s->result))
		return DB_ROW;
	drop_result(s);
	return DB_DONE;
}

static void reset(struct db_stmt *st)
{
	drop_result(stmt_of(st));
}

static void finalize(struct db_stmt *st)
{
	struct pg_stmt *s = stmt_of(st);

	drop_result(s);
	for (int i = 0; i < s->nparams; i++)
		free(s->params[i].value);
	free(s->params);
	free(s->sql);
	free(s);
}

/* --- columns --- */

/* The text of column `col` of the current row, or NULL for a NULL, a
 * column the row does not have, or no row. */
static const char *value_of(struct pg_stmt *st, int col)
{
	if (!st->result || col < 0 || col >= PQnfields(st->result) ||
	    PQgetisnull(st->result, st->row, col))
		return NULL;
	return PQgetvalue(st->result, st->row, col);
}

static int64_t column_int64(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	const char *text = value_of(s, col);
	char *end;
	long long value;
	double real;

	if (!text)
		return 0;
	if (PQftype(s->result, col) == PG_TYPE_BOOL)
		return text[0] == 't';
	value = strtoll(text, &end, 10);
	if (*end != '.' && *end != 'e' && *end != 'E' && end != text)
		return value;
	/* a real number (1.5, 1e+20, NaN, Infinity): as SQLite converts */
	real = strtod(text, NULL);
	if (isnan(real))
		return 0;
	if (real >= 9223372036854775807.0)
		return INT64_MAX;
	if (real <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)real;
}

static double column_double(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	const char *text = value_of(s, col);

	if (!text)
		return 0.0;
	if (PQftype(s->result, col) == PG_TYPE_BOOL)
		return text[0] == 't' ? 1.0 : 0.0;
	return strtod(text, NULL);
}

/* Whether column `col` of the current row is a bytea, decoded into
 * *blob (its data NULL when it could not be decoded). */
static bool bytea_of(struct pg_stmt *st, int col, const struct pg_blob **blob)
{
	const char *text = value_of(st, col);
	struct pg_blob *b;

	if (!text || PQftype(st->result, col) != PG_TYPE_BYTEA)
		return false;
	b = &st->blobs[col];
	if (!b->data) {
		b->size = 0;
		b->data = PQunescapeBytea((const unsigned char *)text,
					  &b->size);
		if (!b->data)
			b->size = 0;
	}
	*blob = b;
	return true;
}

static const char *column_text(struct db_stmt *st, int col)
{
	return value_of(stmt_of(st), col);
}

static const void *column_blob(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	const struct pg_blob *blob;

	if (bytea_of(s, col, &blob))
		return blob->data;
	return value_of(s, col);
}

static size_t column_bytes(struct db_stmt *st, int col)
{
	struct pg_stmt *s = stmt_of(st);
	const struct pg_blob *blob;

	if (bytea_of(s, col, &blob))
		return blob->size;
	return value_of(s, col) ? (size_t)PQgetlength(s->result, s->row, col)
				: 0;
}

static bool column_is_null(struct db_stmt *st, int col)
{
	return value_of(stmt_of(st), col) == NULL;
}

/* --- the connection --- */

static int exec(struct db *db, const char *sql)
{
	struct pg_db *pg = pg_of(db);
	PGresult *res = PQexec(pg->conn, sql);
	int rc = 0;

	if (!res || !succeeded(res)) {
		set_result_failure(pg, res);
		rc = -1;
	} else {
		note_changes(pg, res);
	}
	PQclear(res);
	return rc;
}

static bool in_transaction(struct db *db)
{
	return PQtransactionStatus(((struct pg_db *)db)->conn) != PQTRANS_IDLE;
}

static void close_db(struct db *db)
{
	struct pg_db *pg = pg_of(db);

	PQfinish(pg->conn);
	free(pg->error);
	free(pg);
}

/* Run `sql` for its side effect, its result ignored. */
static void run_quietly(PGconn *conn, const char *sql)
{
	PQclear(PQexec(conn, sql));
}

static int64_t last_insert_id(struct db *db)
{
	PGconn *conn = pg_of(db)->conn;
	PGTransactionStatusType tx = PQtransactionStatus(conn);
	PGresult *res;
	int64_t id = 0;

	/* lastval() fails when no sequence has been used in this session,
	 * which would spoil a transaction: try it in a savepoint there. */
	if (tx == PQTRANS_INERROR || tx == PQTRANS_UNKNOWN)
		return 0;
	if (tx == PQTRANS_INTRANS)
		run_quietly(conn, "SAVEPOINT parity_lastval");
	res = PQexec(conn, "SELECT lastval()");
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	if (tx == PQTRANS_INTRANS)
		run_quietly(conn,
			    PQresultStatus(res) == PGRES_TUPLES_OK
				    ? "RELEASE SAVEPOINT parity_lastval"
				    : "ROLLBACK TO SAVEPOINT parity_lastval; "
				      "RELEASE SAVEPOINT parity_lastval");
	PQclear(res);
	return id;
}

static int64_t changes(struct db *db)
{
	return pg_of(db)->changes;
}

static const char *error_message(struct db *db)
{
	struct pg_db *pg = pg_of(db);

	return pg->error ? pg->error : "not an error";
}

static enum db_failure_kind failure(struct db *db)
{
	return pg_of(db)->failure;
}

char *db_postgres_describe(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	const char *part[4] = { "", "", "", "" }; /* user host port dbname */
	static const char *const keyword[4] = { "user", "host", "port",
						"dbname" };
	char text[1024];
	PQconninfoOption *o;
	int k;

	for (o = opts; o && o->keyword; o++)
		for (k = 0; k < 4; k++)
			if (o->val && strcmp(o->keyword, keyword[k]) == 0)
				part[k] = o->val;
	snprintf(text, sizeof(text), "postgresql://%s%s%s%s%s/%s", part[0],
		 part[0][0] ? "@" : "", part[1], part[2][0] ? ":" : "",
		 part[2], part[3]);
	PQconninfoFree(opts);
	return xstrdup(text);
}

/* ---- bulk loads: COPY ... FROM STDIN (FORMAT binary) ---- */

/* Type oids of pg_type (catalog/pg_type_d.h), the ones a bulk load
 * writes. */
enum {
	OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21,
	OID_INT4 = 23, OID_TEXT = 25, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
	OID_BPCHAR = 1042, OID_VARCHAR = 1043
};

/* Bytes gathered before they are sent. */
#define COPY_CHUNK ((size_t)256 * 1024)

struct pg_bulk {
	struct db_bulk base;
	int columns;
	Oid *types;        /* each column's type */
	int next;          /* the next value's column, from 0 */
	unsigned char *buf;
	size_t len, cap;
	bool failed;       /* a value was refused: the COPY is abandoned */
};

static void put_bytes(struct pg_bulk *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		while (b->len + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : COPY_CHUNK;
		b->buf = xrealloc(b->buf, b->cap);
	}
	memcpy(b->buf + b->len, data, n);
	b->len += n;
}

/* `v`, `n` bytes of it, in network order. */
static void put_be(struct pg_bulk *b, uint64_t v, int n)
{
	unsigned char out[8];
	int k;

	for (k = 0; k < n; k++)
		out[k] = (unsigned char)(v >> (8 * (n - 1 - k)));
	put_bytes(b, out, (size_t)n);
}

/* Send what is gathered: 0, or -1 with the failure recorded. */
static int copy_send(struct pg_bulk *b)
{
	struct pg_db *pg = pg_of(b->base.db);

	if (b->len > 0 &&
	    PQputCopyData(pg->conn, (const char *)b->buf, (int)b->len) != 1) {
		set_failure(pg, DB_FAILURE_OTHER, PQerrorMessage(pg->conn));
		return -1;
	}
	b->len = 0;
	return 0;
}

/* Each column's type, in the order `columns` names them. */
static int column_types(struct pg_db *pg, const char *table,
			const char *columns, struct pg_bulk *b)
{
	const char *values[2] = { table, columns };
	PGresult *res = PQexecParams(
		pg->conn,
		"SELECT coalesce((SELECT a.atttypid FROM pg_attribute a "
		"WHERE a.attrelid = to_regclass($1) AND a.attname = "
		"btrim(btrim(c), '\"') "
		"AND a.attnum > 0 AND NOT a.attisdropped), 0) "
		"FROM unnest(string_to_array($2, ',')) WITH ORDINALITY AS "
		"t(c, k) ORDER BY k",
		2, NULL, values, NULL, NULL, 0);
	int k;

	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		set_result_failure(pg, res);
		PQclear(res);
		return -1;
	}
	b->columns = PQntuples(res);
	b->types = xcalloc((size_t)b->columns + 1, sizeof(*b->types));
	for (k = 0; k < b->columns; k++) {
		b->types[k] = (Oid)strtoul(PQgetvalue(res, k, 0), NULL, 10);
		if (b->types[k] == 0) {
			set_failure(pg, DB_FAILURE_OTHER,
				    "a bulk load names a column its table "
				    "does not have");
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

static int bulk_begin(struct db *db, const char *table, const char *columns,
		      struct db_bulk **out)
{
	static const unsigned char header[] = "PGCOPY\n\377\r\n";
	struct pg_db *pg = pg_of(db);
	struct pg_bulk *b = xcalloc(1, sizeof(*b));
	char *sql;
	PGresult *res;

	*out = NULL;
	b->base.db = db;
	if (column_types(pg, table, columns, b) < 0)
		goto fail;
	sql = xmalloc(strlen(table) + strlen(columns) + 64);
	sprintf(sql, "COPY %s (%s) FROM STDIN (FORMAT binary)", table,
		columns);
	res = PQexec(pg->conn, sql);
	free(sql);
	if (!res || PQresultStatus(res) != PGRES_COPY_IN) {
		set_result_failure(pg, res);
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	/* the signature (with its NUL), no flags, no header extension */
	put_bytes(b, header, sizeof(header));
	put_be(b, 0, 4);
	put_be(b, 0, 4);
	*out = &b->base;
	return 0;
fail:
	free(b->types);
	free(b);
	return -1;
}

/* Refuse the value at hand: the load goes on taking values, but its end
 * abandons the COPY. */
static int bulk_refuse(struct pg_bulk *b, const char *why)
{
	set_failure(pg_of(b->base.db), DB_FAILURE_OTHER, why);
	b->failed = true;
	return -1;
}

static int bulk_value(struct db_bulk *bulk, const struct db_value *v)
{
	struct pg_bulk *b = (struct pg_bulk *)bulk;
	Oid type;
	int64_t i = v->int64;

	if (b->next >= b->columns)
		return bulk_refuse(b, "a bulk load's row has too many values");
	type = b->types[b->next++];
	if (b->next == 1)
		put_be(b, (uint64_t)b->columns, 2);
	if (v->kind == DB_VALUE_NULL) {
		put_be(b, UINT32_MAX, 4); /* -1: NULL */
		return 0;
	}
	switch (type) {
	case OID_INT8: case OID_INT4: case OID_INT2: case OID_BOOL: {
		int n = type == OID_INT8 ? 8 : type == OID_INT4 ? 4
			: type == OID_INT2 ? 2 : 1;

		if (v->kind != DB_VALUE_INT64)
			return bulk_refuse(b, "a bulk load gives an integer "
					      "column something else");
		if ((n == 4 && (i < INT32_MIN || i > INT32_MAX)) ||
		    (n == 2 && (i < INT16_MIN || i > INT16_MAX)))
			return bulk_refuse(b, "a bulk load's integer is out "
					      "of its column's range");
		put_be(b, (uint64_t)n, 4);
		put_be(b, n == 1 ? (uint64_t)(i != 0) : (uint64_t)i, n);
		return 0;
	}
	case OID_FLOAT8: case OID_FLOAT4: {
		double d = v->kind == DB_VALUE_INT64 ? (double)i : v->real;

		if (v->kind != DB_VALUE_DOUBLE && v->kind != DB_VALUE_INT64)
			return bulk_refuse(b, "a bulk load gives a number "
					      "column something else");
		if (type == OID_FLOAT8) {
			uint64_t bits;

			memcpy(&bits, &d, 8);
			put_be(b, 8, 4);
			put_be(b, bits, 8);
		} else {
			float f = (float)d;
			uint32_t bits;

			memcpy(&bits, &f, 4);
			put_be(b, 4, 4);
			put_be(b, bits, 4);
		}
		return 0;
	}
	case OID_TEXT: case OID_VARCHAR: case OID_BPCHAR: case OID_BYTEA:
		if ((type == OID_BYTEA) != (v->kind == DB_VALUE_BLOB) ||
		    (v->kind != DB_VALUE_TEXT && v->kind != DB_VALUE_BLOB))
			return bulk_refuse(b, "a bulk load gives a text or "
					      "bytes column something else");
		if (v->size > INT32_MAX)
			return bulk_refuse(b, "a bulk load's value is too "
					      "large");
		put_be(b, v->size, 4);
		put_bytes(b, v->bytes, v->size);
		return 0;
	default:
		return bulk_refuse(b, "a bulk load names a column of a type "
				      "it does not write");
	}
}

static int bulk_row(struct db_bulk *bulk)
{
	struct pg_bulk *b = (struct pg_bulk *)bulk;

	if (b->next != b->columns)
		return bulk_refuse(b, "a bulk load's row lacks values");
	b->next = 0;
	if (b->failed)
		return -1;
	return b->len >= COPY_CHUNK ? copy_send(b) : 0;
}

static int bulk_end(struct db_bulk *bulk)
{
	struct pg_bulk *b = (struct pg_bulk *)bulk;
	struct pg_db *pg = pg_of(b->base.db);
	bool ok = !b->failed && b->next == 0;
	PGresult *res;
	int rc = ok ? 0 : -1;

	if (ok) {
		put_be(b, UINT16_MAX, 2); /* -1: the end of the data */
		ok = copy_send(b) == 0;
		rc = ok ? 0 : -1;
	}
	/* an abandoned COPY fails, as it must: the caller rolls back */
	if (PQputCopyEnd(pg->conn, ok ? NULL : "abandoned") != 1) {
		set_failure(pg, DB_FAILURE_OTHER, PQerrorMessage(pg->conn));
		rc = -1;
	}
	while ((res = PQgetResult(pg->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			if (ok)
				set_result_failure(pg, res);
			rc = -1;
		} else {
			note_changes(pg, res);
		}
		PQclear(res);
	}
	free(b->buf);
	free(b->types);
	free(b);
	return rc;
}

static const struct db_ops postgres_ops = {
	.prepare = prepare,
	.exec = exec,
	.bind_int64 = bind_int64,
	.bind_double = bind_double,
	.bind_text = bind_text,
	.bind_blob = bind_blob,
	.bind_null = bind_null,
	.step = step,
	.reset = reset,
	.finalize = finalize,
	.column_int64 = column_int64,
	.column_double = column_double,
	.column_text = column_text,
	.column_blob = column_blob,
	.column_bytes = column_bytes,
	.column_is_null = column_is_null,
	.close = close_db,
	.last_insert_id = last_insert_id,
	.changes = changes,
	.error_message = error_message,
	.failure = failure,
	.in_transaction = in_transaction,
	.bulk_begin = bulk_begin,
	.bulk_value = bulk_value,
	.bulk_row = bulk_row,
	.bulk_end = bulk_end,
};

/* Notices (a table dropped IF EXISTS that was not there) are the
 * server's chatter, not failures: libpq would print them on stderr. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int db_postgres_connect(const char *conninfo, struct db **out, char *why,
			size_t why_size)
{
	PGconn *conn = PQconnectdb(conninfo);
	struct pg_db *db;

	*out = NULL;
	if (!conn) {
		snprintf(why, why_size, "out of memory connecting");
		return -1;
	}
	if (PQstatus(conn) != CONNECTION_OK ||
	    PQsetClientEncoding(conn, "UTF8") != 0) {
		const char *message = PQerrorMessage(conn);
		size_t n = 0;

		/* libpq's lines (a reason, then a hint on a line indented
		 * by a tab) as one: "reason; hint" */
		for (; *message && n + 1 < why_size; message++) {
			if (*message != '\n') {
				why[n++] = *message;
				continue;
			}
			while (message[1] == '\t' || message[1] == ' ')
				message++;
			if (message[1] && message[1] != '\n' &&
			    n + 3 < why_size) {
				why[n++] = ';';
				why[n++] = ' ';
			}
		}
		if (why_size > 0)
			why[n] = '\0';
		PQfinish(conn);
		return -1;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	db = xcalloc(1, sizeof(*db));
	db->base.ops = &postgres_ops;
	db->conn = conn;
	*out = &db->base;
	return 0;
}
