/*
 * migrate.c - an SQLite store copied into a new store in PostgreSQL, and
 * checked there, in one transaction (see migrate.h).
 *
 * Owns: the order tables are copied in (the target's foreign keys), the
 * mapping of each target column to the source's (by name; `rowid` to
 * SQLite's rowid), the copy itself (the target's own triggers set aside
 * for it, within the transaction: they guard the store's writes, and a
 * copy of a submitted assessment's criteria or of a signed-off review's
 * entries must be written as they are), and the check of counts and
 * checksums. The schema and its creation are store_postgres.c's
 * (store_postgres_create_open()); the connections are db.h's, one of
 * each backend.
 *
 * Ownership: everything made here is freed here, except the report's
 * contents (store_migrate_report_free()).
 */
#include "store/migrate.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_internal.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How a column's values are carried over, by the target's type. */
enum column_kind {
	COLUMN_INT,  /* bigint, integer, smallint */
	COLUMN_REAL, /* double precision, real */
	COLUMN_TEXT, /* text */
	COLUMN_BLOB  /* bytea */
};

struct column {
	char *name;
	enum column_kind kind;
};

struct table {
	char *name;
	struct column *columns; /* the target's, less generated ones */
	size_t ncolumns;
	char *order;      /* the column rows are ordered by in the target */
	char *select_src; /* the source's rows, in rowid order */
	long rows;
};

/* A table that refers to another by a foreign key. */
struct reference {
	char *from, *to;
};

struct migration {
	struct store *src, *dst;
	struct table *tables;
	size_t ntables;
	struct reference *refs;
	size_t nrefs;
};

/* ---- SQL text ---- */

struct sql {
	char *text;
	size_t len, cap;
};

static void sql_add(struct sql *q, const char *s)
{
	size_t n = strlen(s);

	q->text = xgrow(q->text, &q->cap, q->len + n + 1, 1);
	memcpy(q->text + q->len, s, n + 1);
	q->len += n;
}

/* `name` as an identifier: `rowid` bare (SQLite's implicit column),
 * anything else between double quotes, doubled inside. */
static void sql_name(struct sql *q, const char *name)
{
	const char *p;

	if (strcmp(name, "rowid") == 0) {
		sql_add(q, "rowid");
		return;
	}
	sql_add(q, "\"");
	for (p = name; *p; p++)
		sql_add(q, *p == '"' ? "\"\"" : (char[]){ *p, '\0' });
	sql_add(q, "\"");
}

/* The columns of `t`, separated by commas. */
static void sql_columns(struct sql *q, const struct table *t)
{
	size_t k;

	for (k = 0; k < t->ncolumns; k++) {
		if (k)
			sql_add(q, ", ");
		sql_name(q, t->columns[k].name);
	}
}

/* ---- errors ---- */

static int fail_db(struct store *s, struct parity_error *err,
		   const char *fmt, const char *name)
{
	char what[256];

	snprintf(what, sizeof(what), fmt, name);
	return store_sql_fail(s, err, what);
}

/* ---- the schemas ---- */

static void free_table(struct table *t)
{
	size_t k;

	for (k = 0; k < t->ncolumns; k++)
		free(t->columns[k].name);
	free(t->columns);
	free(t->name);
	free(t->order);
	free(t->select_src);
}

static void free_migration(struct migration *m)
{
	size_t k;

	for (k = 0; k < m->ntables; k++)
		free_table(&m->tables[k]);
	free(m->tables);
	for (k = 0; k < m->nrefs; k++) {
		free(m->refs[k].from);
		free(m->refs[k].to);
	}
	free(m->refs);
}

/* The target's tables, by name (but schema_version, which its creation
 * wrote and SQLite keeps as a pragma), and its foreign keys. */
static int read_target_tables(struct migration *m, struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if (store_sql_prepare(m->dst, &st,
			      "SELECT table_name FROM information_schema."
			      "tables WHERE table_schema = current_schema() "
			      "AND table_type = 'BASE TABLE' AND table_name "
			      "<> 'schema_version' ORDER BY table_name",
			      err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		m->tables = xgrow(m->tables, &cap, m->ntables + 1,
				  sizeof(*m->tables));
		memset(&m->tables[m->ntables], 0, sizeof(*m->tables));
		m->tables[m->ntables++].name = xstrdup(db_column_text(st, 0));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(m->dst, err,
				      "cannot list the target's tables");
	cap = 0;
	if (store_sql_prepare(m->dst, &st,
			      "SELECT a.relname, b.relname FROM pg_constraint "
			      "k JOIN pg_class a ON a.oid = k.conrelid JOIN "
			      "pg_class b ON b.oid = k.confrelid WHERE "
			      "k.contype = 'f' AND k.connamespace = "
			      "current_schema()::regnamespace ORDER BY 1, 2",
			      err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		m->refs = xgrow(m->refs, &cap, m->nrefs + 1, sizeof(*m->refs));
		m->refs[m->nrefs].from = xstrdup(db_column_text(st, 0));
		m->refs[m->nrefs++].to = xstrdup(db_column_text(st, 1));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(m->dst, err,
				      "cannot list the target's foreign keys");
	return 0;
}

static bool table_placed(const struct migration *m, size_t placed,
			 const char *name)
{
	size_t k;

	for (k = 0; k < placed; k++)
		if (strcmp(m->tables[k].name, name) == 0)
			return true;
	return false;
}

/* Order m->tables so that each comes after every table it refers to
 * (a table's references to itself are kept by copying in id order). */
static int order_tables(struct migration *m, struct parity_error *err)
{
	size_t placed = 0, k, r;

	while (placed < m->ntables) {
		bool moved = false;

		for (k = placed; k < m->ntables; k++) {
			bool ready = true;

			for (r = 0; r < m->nrefs && ready; r++)
				if (strcmp(m->refs[r].from,
					   m->tables[k].name) == 0 &&
				    strcmp(m->refs[r].to,
					   m->tables[k].name) != 0 &&
				    !table_placed(m, placed, m->refs[r].to))
					ready = false;
			if (ready) {
				struct table t = m->tables[k];

				memmove(&m->tables[placed + 1],
					&m->tables[placed],
					(k - placed) * sizeof(t));
				m->tables[placed++] = t;
				moved = true;
			}
		}
		if (!moved)
			return parity_error_set(
				err, PARITY_ERR_INTERNAL, NULL, 0, 0,
				"the target's foreign keys make a circle "
				"around '%s': no order to copy its tables in",
				m->tables[placed].name);
	}
	return 0;
}

static int column_kind_of(const char *table, const char *column,
			  const char *type, enum column_kind *out,
			  struct parity_error *err)
{
	if (strcmp(type, "bigint") == 0 || strcmp(type, "integer") == 0 ||
	    strcmp(type, "smallint") == 0)
		*out = COLUMN_INT;
	else if (strcmp(type, "double precision") == 0 ||
		 strcmp(type, "real") == 0)
		*out = COLUMN_REAL;
	else if (strcmp(type, "text") == 0)
		*out = COLUMN_TEXT;
	else if (strcmp(type, "bytea") == 0)
		*out = COLUMN_BLOB;
	else
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"cannot copy %s.%s: its type in the "
					"target, %s, is not one the store uses",
					table, column, type);
	return 0;
}

/* The target's columns of `t` (less generated ones, which PostgreSQL
 * makes itself: practice_text's tsvector), and the one its rows are
 * ordered by: rowid where it has one, else its one-column primary key
 * (SQLite's INTEGER PRIMARY KEY, which is its rowid). */
static int read_target_columns(struct migration *m, struct table *t,
			       struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;
	bool has_rowid = false;

	if (store_sql_prepare(m->dst, &st,
			      "SELECT column_name, data_type FROM "
			      "information_schema.columns WHERE table_schema "
			      "= current_schema() AND table_name = ?1 AND "
			      "is_generated <> 'ALWAYS' ORDER BY "
			      "ordinal_position", err) < 0)
		return -1;
	db_bind_text(st, 1, t->name, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		struct column *c;

		t->columns = xgrow(t->columns, &cap, t->ncolumns + 1,
				   sizeof(*t->columns));
		c = &t->columns[t->ncolumns++];
		c->name = xstrdup(db_column_text(st, 0));
		if (strcmp(c->name, "rowid") == 0)
			has_rowid = true;
		if (column_kind_of(t->name, c->name, db_column_text(st, 1),
				   &c->kind, err) < 0) {
			db_finalize(st);
			return -1;
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return fail_db(m->dst, err, "cannot read the columns of %s",
			       t->name);
	if (has_rowid) {
		t->order = xstrdup("rowid");
		return 0;
	}
	if (store_sql_prepare(m->dst, &st,
			      "SELECT a.attname FROM pg_index i JOIN "
			      "pg_attribute a ON a.attrelid = i.indrelid AND "
			      "a.attnum = ANY (i.indkey) JOIN pg_class c ON "
			      "c.oid = i.indrelid WHERE i.indisprimary AND "
			      "c.relname = ?1 AND c.relnamespace = "
			      "current_schema()::regnamespace", err) < 0)
		return -1;
	db_bind_text(st, 1, t->name, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		if (t->order) { /* a key of several columns */
			free(t->order);
			t->order = NULL;
			rc = DB_DONE;
			break;
		}
		t->order = xstrdup(db_column_text(st, 0));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return fail_db(m->dst, err, "cannot read the key of %s",
			       t->name);
	if (!t->order)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"the target's table %s has neither a "
					"rowid nor a one-column key to order "
					"its rows by", t->name);
	return 0;
}

static bool table_has_column(const struct table *t, const char *name)
{
	size_t k;

	for (k = 0; k < t->ncolumns; k++)
		if (strcmp(t->columns[k].name, name) == 0)
			return true;
	return false;
}

static struct table *find_table(struct migration *m, const char *name)
{
	size_t k;

	for (k = 0; k < m->ntables; k++)
		if (strcmp(m->tables[k].name, name) == 0)
			return &m->tables[k];
	return NULL;
}

/* The source's columns of `t` against the target's: the same, by name,
 * but that the target's `rowid` may be SQLite's implicit one. */
static int match_source_columns(struct migration *m, struct table *t,
				struct parity_error *err)
{
	struct db_stmt *st;
	size_t found = 0;
	bool src_rowid = false;
	int rc;
	struct sql q = { NULL, 0, 0 };

	if (store_sql_prepare(m->src, &st,
			      "SELECT name FROM pragma_table_info(?1)",
			      err) < 0)
		return -1;
	db_bind_text(st, 1, t->name, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_column_text(st, 0);

		if (!table_has_column(t, name)) {
			parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					 "the source's column %s.%s has no "
					 "place in the target's schema: "
					 "nothing was copied", t->name, name);
			db_finalize(st);
			return -1;
		}
		if (strcmp(name, "rowid") == 0)
			src_rowid = true;
		found++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return fail_db(m->src, err, "cannot read the columns of %s",
			       t->name);
	if (found == 0)
		return parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					"the source has no table %s, which "
					"the target's schema has: nothing was "
					"copied", t->name);
	/* every target column is a source column, or SQLite's rowid */
	if (found + (table_has_column(t, "rowid") && !src_rowid ? 1 : 0) !=
	    t->ncolumns)
		return parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					"the source's table %s lacks columns "
					"the target's has: nothing was copied",
					t->name);
	sql_add(&q, "SELECT ");
	sql_columns(&q, t);
	sql_add(&q, " FROM ");
	sql_name(&q, t->name);
	sql_add(&q, " ORDER BY rowid");
	t->select_src = q.text;
	return 0;
}

/* Every table of the source (less SQLite's own and the shadow tables of
 * full-text search) must have a place in the target. */
static int check_source_tables(struct migration *m, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (store_sql_prepare(m->src, &st,
			      "SELECT name FROM pragma_table_list WHERE "
			      "schema = 'main' AND type IN ('table', "
			      "'virtual') AND name NOT LIKE 'sqlite%' ORDER "
			      "BY name", err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_column_text(st, 0);

		if (!find_table(m, name)) {
			parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					 "the source's table %s has no place "
					 "in the target's schema: nothing was "
					 "copied", name);
			db_finalize(st);
			return -1;
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(m->src, err,
				      "cannot list the source's tables");
	return 0;
}

/* ---- the copy ---- */

/* Column `k` of the source's row `from` as the next value of the load
 * `to`, as the target's column takes it. */
static int load_value(struct db_bulk *to, struct db_stmt *from, int k,
		      enum column_kind kind)
{
	const void *blob;
	const char *text;

	if (db_column_is_null(from, k))
		return db_bulk_null(to);
	switch (kind) {
	case COLUMN_INT:
		return db_bulk_int64(to, db_column_int64(from, k));
	case COLUMN_REAL:
		return db_bulk_double(to, db_column_double(from, k));
	case COLUMN_TEXT:
		/* the text, then its length (SQLite's order) */
		text = db_column_text(from, k);
		return db_bulk_text(to, text ? text : "",
				    text ? (int)db_column_bytes(from, k) : 0);
	case COLUMN_BLOB:
		blob = db_column_blob(from, k);
		/* an empty blob reads as NULL, but is not one */
		return db_bulk_blob(to, blob ? blob : "",
				    db_column_bytes(from, k));
	}
	return -1;
}

static int set_triggers(struct migration *m, const struct table *t,
			bool on, struct parity_error *err)
{
	struct sql q = { NULL, 0, 0 };
	int rc;

	sql_add(&q, "ALTER TABLE ");
	sql_name(&q, t->name);
	sql_add(&q, on ? " ENABLE TRIGGER USER" : " DISABLE TRIGGER USER");
	rc = store_sql_exec(m->dst, q.text, "cannot set the target's "
			    "triggers aside for the copy", err);
	free(q.text);
	return rc;
}

/* Copy `t`'s rows in one bulk load (COPY ... FROM STDIN (FORMAT binary),
 * which writes identity columns as given, as OVERRIDING SYSTEM VALUE
 * would), its triggers set aside meanwhile. */
static int copy_table(struct migration *m, struct table *t,
		      struct parity_error *err)
{
	struct db_stmt *from = NULL;
	struct db_bulk *to = NULL;
	struct sql table = { NULL, 0, 0 }, columns = { NULL, 0, 0 };
	size_t k;
	int rc = 0, step = DB_DONE;

	sql_name(&table, t->name);
	sql_columns(&columns, t);
	if (set_triggers(m, t, false, err) < 0)
		goto fail;
	if (db_prepare(store_db(m->src), t->select_src, false, &from) < 0) {
		fail_db(m->src, err, "cannot read %s from the source", t->name);
		goto fail;
	}
	if (db_bulk_begin(store_db(m->dst), table.text, columns.text, &to) <
	    0) {
		fail_db(m->dst, err, "cannot write %s to the target", t->name);
		goto fail;
	}
	while (rc == 0 && (step = db_step(from)) == DB_ROW) {
		for (k = 0; k < t->ncolumns && rc == 0; k++)
			rc = load_value(to, from, (int)k, t->columns[k].kind);
		if (rc == 0)
			rc = db_bulk_row(to);
		t->rows++;
	}
	if (rc == 0 && step != DB_DONE) {
		(void)db_bulk_end(to);
		to = NULL;
		fail_db(m->src, err, "cannot read %s from the source", t->name);
		goto fail;
	}
	rc = db_bulk_end(to) < 0 ? -1 : rc;
	to = NULL;
	if (rc < 0) {
		fail_db(m->dst, err, "cannot write a row of %s", t->name);
		goto fail;
	}
	db_finalize(from);
	free(table.text);
	free(columns.text);
	return set_triggers(m, t, true, err);
fail:
	(void)db_bulk_end(to);
	db_finalize(from);
	free(table.text);
	free(columns.text);
	return -1;
}

/* ---- the check ---- */

static void hash_value(crypto_generichash_state *h, char tag,
		       const void *data, size_t size)
{
	uint64_t n = size;

	crypto_generichash_update(h, (const unsigned char *)&tag, 1);
	if (tag == 'N')
		return;
	crypto_generichash_update(h, (const unsigned char *)&n, sizeof(n));
	if (size)
		crypto_generichash_update(h, data, size);
}

/*
 * Add the current row of `st` (columns from `first`) to `h`, each value
 * rendered the same way whichever database it came from: NULL as a tag
 * of its own; an integer or a text as its text (so that a text SQLite
 * held in an integer column does not pass for the 0 copied); a real as
 * %.17g; a blob as its bytes. Each is preceded by its length.
 */
static void hash_row(crypto_generichash_state *h, struct db_stmt *st,
		     int first, const struct table *t)
{
	char real[40];
	const void *blob;
	const char *text;
	size_t k;

	for (k = 0; k < t->ncolumns; k++) {
		int col = first + (int)k;

		if (db_column_is_null(st, col)) {
			hash_value(h, 'N', NULL, 0);
			continue;
		}
		switch (t->columns[k].kind) {
		case COLUMN_REAL:
			snprintf(real, sizeof(real), "%.17g",
				 db_column_double(st, col));
			hash_value(h, 'R', real, strlen(real));
			break;
		case COLUMN_BLOB:
			blob = db_column_blob(st, col);
			hash_value(h, 'B', blob ? blob : "",
				   db_column_bytes(st, col));
			break;
		case COLUMN_INT:
		case COLUMN_TEXT:
			/* the text, then its length (SQLite's order) */
			text = db_column_text(st, col);
			hash_value(h, 'T', text ? text : "",
				   text ? db_column_bytes(st, col) : 0);
			break;
		}
	}
}

/* The rows of `t` in the source: count and checksum. */
static int sum_source(struct migration *m, const struct table *t,
		      long *rows, unsigned char *sum,
		      struct parity_error *err)
{
	crypto_generichash_state h;
	struct db_stmt *st;
	int rc;

	*rows = 0;
	crypto_generichash_init(&h, NULL, 0, crypto_generichash_BYTES);
	if (db_prepare(store_db(m->src), t->select_src, false, &st) < 0)
		return fail_db(m->src, err, "cannot read %s from the source",
			       t->name);
	while ((rc = db_step(st)) == DB_ROW) {
		hash_row(&h, st, 0, t);
		(*rows)++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return fail_db(m->src, err, "cannot read %s from the source",
			       t->name);
	crypto_generichash_final(&h, sum, crypto_generichash_BYTES);
	return 0;
}

/* Rows read back from the target at a time: the backend holds each
 * query's whole result. */
#define PAGE_ROWS 5000

/* The rows of `t` in the target, as sum_source() reads the source's: in
 * the order of t->order, a page at a time. */
static int sum_target(struct migration *m, const struct table *t,
		      long *rows, unsigned char *sum,
		      struct parity_error *err)
{
	crypto_generichash_state h;
	struct db_stmt *st;
	struct sql q = { NULL, 0, 0 };
	char limit[64];
	int64_t after = INT64_MIN;
	long page;
	int rc;

	*rows = 0;
	crypto_generichash_init(&h, NULL, 0, crypto_generichash_BYTES);
	sql_add(&q, "SELECT ");
	sql_name(&q, t->order);
	sql_add(&q, ", ");
	sql_columns(&q, t);
	sql_add(&q, " FROM ");
	sql_name(&q, t->name);
	sql_add(&q, " WHERE ");
	sql_name(&q, t->order);
	sql_add(&q, " > ?1 ORDER BY ");
	sql_name(&q, t->order);
	snprintf(limit, sizeof(limit), " LIMIT %d", PAGE_ROWS);
	sql_add(&q, limit);
	rc = db_prepare(store_db(m->dst), q.text, true, &st);
	free(q.text);
	if (rc < 0)
		return fail_db(m->dst, err, "cannot read %s back from the "
			       "target", t->name);
	do {
		page = 0;
		db_bind_int64(st, 1, after);
		while ((rc = db_step(st)) == DB_ROW) {
			after = db_column_int64(st, 0);
			hash_row(&h, st, 1, t);
			page++;
		}
		db_reset(st);
		*rows += page;
	} while (rc == DB_DONE && page == PAGE_ROWS);
	db_finalize(st);
	if (rc != DB_DONE)
		return fail_db(m->dst, err, "cannot read %s back from the "
			       "target", t->name);
	crypto_generichash_final(&h, sum, crypto_generichash_BYTES);
	return 0;
}

/* count(*) of `t` through `s`. */
static int count_rows(struct store *s, const struct table *t, long *out,
		      struct parity_error *err)
{
	struct sql q = { NULL, 0, 0 };
	int rc;

	sql_add(&q, "SELECT count(*) FROM ");
	sql_name(&q, t->name);
	rc = store_sql_query_int(s, "cannot count rows", q.text, out, err);
	free(q.text);
	return rc;
}

static int verify_table(struct migration *m, const struct table *t,
			struct parity_error *err)
{
	unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
	long src_count, dst_count, src_rows, dst_rows;

	if (count_rows(m->src, t, &src_count, err) < 0 ||
	    count_rows(m->dst, t, &dst_count, err) < 0)
		return -1;
	if (src_count != dst_count || src_count != t->rows)
		return parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					"table %s: %ld rows in the source, "
					"%ld in the target (%ld copied): "
					"nothing was committed", t->name,
					src_count, dst_count, t->rows);
	if (sum_source(m, t, &src_rows, a, err) < 0 ||
	    sum_target(m, t, &dst_rows, b, err) < 0)
		return -1;
	if (src_rows != src_count || dst_rows != dst_count)
		return parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					"table %s: its rows changed while "
					"they were checked: nothing was "
					"committed", t->name);
	if (sodium_memcmp(a, b, sizeof(a)) != 0)
		return parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					"table %s: the rows copied differ from "
					"the source's (checksums differ): "
					"nothing was committed", t->name);
	return 0;
}

/* ---- the whole ---- */

/* The key the target is made with must be the source's. */
static int check_key(struct migration *m, const char *key_path,
		     const char *src_key_path, struct parity_error *err)
{
	unsigned char a[PSEUDONYM_FINGERPRINT_BYTES];
	unsigned char b[PSEUDONYM_FINGERPRINT_BYTES];

	pseudonym_key_fingerprint(store_key(m->src), a);
	pseudonym_key_fingerprint(store_key(m->dst), b);
	if (sodium_memcmp(a, b, sizeof(a)) != 0)
		return parity_error_set(err, PARITY_ERR_STORE, key_path, 0, 0,
					"this is not the source store's key "
					"(%s): the store in PostgreSQL keeps "
					"the key its pseudonyms were made "
					"with; give a copy of %s", src_key_path,
					src_key_path);
	return 0;
}

/* Record the key's fingerprint in the target when the source held none
 * (a store made before they were kept), within the open transaction. */
static int settle_key(struct migration *m, struct parity_error *err)
{
	unsigned char fp[PSEUDONYM_FINGERPRINT_BYTES];
	struct db_stmt *st;
	char now[32];
	int rc = store_sql_key_verify(m->dst, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	pseudonym_key_fingerprint(store_key(m->dst), fp);
	if (clock_utc_now(now, sizeof(now), err) < 0 ||
	    store_sql_prepare(m->dst, &st,
			      "INSERT INTO key_fingerprint (id, fingerprint, "
			      "recorded_at) VALUES (1, ?1, ?2)", err) < 0)
		return -1;
	db_bind_blob(st, 1, fp, sizeof(fp));
	db_bind_text(st, 2, now, -1);
	return store_sql_step_done(m->dst, st, "cannot record the key's "
				   "fingerprint", err);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void fill_report(const struct migration *m,
			struct store_migrate_report *report)
{
	size_t k;

	report->tables = xcalloc(m->ntables ? m->ntables : 1,
				 sizeof(*report->tables));
	report->count = m->ntables;
	report->rows = 0;
	for (k = 0; k < m->ntables; k++) {
		report->tables[k].name = xstrdup(m->tables[k].name);
		report->tables[k].rows = m->tables[k].rows;
		report->rows += m->tables[k].rows;
	}
}

int store_migrate(const char *from, const char *to, const char *key_path,
		  struct store_migrate_report *report,
		  struct parity_error *err)
{
	struct migration m = { NULL, NULL, NULL, 0, NULL, 0 };
	struct timespec start;
	char *src_key_path = NULL;
	bool src_reading = false;
	size_t k;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (!from || !to || store_is_postgres(from) || !store_is_postgres(to))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"a migration is from an SQLite store's "
					"file to a PostgreSQL URI");
	src_key_path = store_sql_path_with(from, ".key");
	if (!key_path)
		key_path = src_key_path;
	if (store_open_readonly(&m.src, from, err) < 0)
		goto done;
	if (store_postgres_create_open(&m.dst, to, key_path, err) < 0)
		goto done;
	report->target = xstrdup(m.dst->path);
	if (check_key(&m, key_path, src_key_path, err) < 0)
		goto done;
	/* one moment of the source, even if something writes to it */
	if (db_exec(store_db(m.src), "BEGIN") < 0) {
		store_sql_fail(m.src, err, "cannot start reading the source");
		goto done;
	}
	src_reading = true;
	if (read_target_tables(&m, err) < 0 || order_tables(&m, err) < 0 ||
	    check_source_tables(&m, err) < 0)
		goto done;
	for (k = 0; k < m.ntables; k++)
		if (read_target_columns(&m, &m.tables[k], err) < 0 ||
		    match_source_columns(&m, &m.tables[k], err) < 0)
			goto done;
	for (k = 0; k < m.ntables; k++)
		if (copy_table(&m, &m.tables[k], err) < 0)
			goto done;
	if (store_sql_exec(m.dst, "SELECT parity_align_ids()",
			   "cannot set the target's next ids", err) < 0)
		goto done;
	for (k = 0; k < m.ntables; k++)
		if (verify_table(&m, &m.tables[k], err) < 0)
			goto done;
	if (settle_key(&m, err) < 0 || store_commit(m.dst, err) < 0)
		goto done;
	fill_report(&m, report);
	report->seconds = seconds_since(&start);
	rc = 0;
done:
	if (src_reading)
		(void)db_exec(store_db(m.src), "COMMIT");
	/* closing a handle with its transaction open rolls it back */
	store_close(m.dst);
	store_close(m.src);
	free_migration(&m);
	free(src_key_path);
	if (rc < 0)
		store_migrate_report_free(report);
	return rc;
}

void store_migrate_report_free(struct store_migrate_report *report)
{
	size_t k;

	for (k = 0; k < report->count; k++)
		free(report->tables[k].name);
	free(report->tables);
	free(report->target);
	report->tables = NULL;
	report->count = 0;
	report->rows = 0;
	report->target = NULL;
}
