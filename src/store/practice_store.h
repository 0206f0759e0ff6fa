/*
 * practice_store.h - the practice pool in the store (migrations 0009,
 * 0010, 0011 and 0012; practice_store.c): versions of councils' practice
 * records, their lead councils and tags, moderation, the full-text index
 * (SQLite FTS5) of what readers may search, the documents attached to
 * versions, the Learning Lab's events, and the archive of Race Matters.
 *
 * Plain rows in, plain rows out: what a record must hold, who may submit
 * or moderate, and how a reader's query is made safe are the practice
 * pool's (src/practice/). The store keeps its schema's promises: a
 * version is moderated once and its text never changes; nothing is
 * deleted (triggers).
 *
 * Writes happen inside a transaction (store_begin()); reads work on a
 * store opened for reading only. Times are seconds since 1970-01-01 UTC.
 *
 * Ownership: arrays filled here are the caller's, freed with
 * practice_rows_free(); a struct practice_row owns its strings.
 */
#ifndef PARITY_STORE_PRACTICE_STORE_H
#define PARITY_STORE_PRACTICE_STORE_H

#include "base/error.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct practice_row {
	int64_t id;            /* this version */
	int64_t record;        /* the record: its first version's id */
	int version;
	char area_code[16];    /* the council that sent it */
	char state[16];        /* submitted, returned, approved */
	char *title, *strand, *service_area, *status;
	bool example;
	char *body;            /* the record as JSON */
	long submitted_at;
	char *submitted_by;
	long moderated_at;     /* 0: not yet */
	char *moderated_by, *comments;  /* NULL: none */
	char **leads;          /* lead councils' area codes */
	size_t nleads;
	char **tags;
	size_t ntags;
};

void practice_row_release(struct practice_row *r);
void practice_rows_free(struct practice_row *rows, size_t n);

/* Add a version: row->record 0 makes a new record (whose number is the
 * new id), else a new version of row->record, numbered one past its
 * newest. *id and row->record, row->version are set. */
int practice_store_add(struct store *s, struct practice_row *row,
		       struct parity_error *err);
/* Version `id`: 1 and *out filled, 0 when there is none, -1. */
int practice_store_get(struct store *s, int64_t id,
		       struct practice_row *out, struct parity_error *err);
/* The newest version of record `record` (approved_only: the newest
 * approved one): 1, 0 when none, -1. */
int practice_store_latest(struct store *s, int64_t record, bool approved_only,
			  struct practice_row *out, struct parity_error *err);
/* Moderate version `id`: state "approved" or "returned" (with
 * `comments`). PARITY_ERR_VALIDATION when it was moderated already. */
int practice_store_moderate(struct store *s, int64_t id, const char *state,
			    const char *by, long at, const char *comments,
			    struct parity_error *err);

/* The newest version of every record (`area_code` NULL: every council's;
 * `approved_only`: the newest approved version of each), by record. */
int practice_store_list(struct store *s, const char *area_code,
			bool approved_only, struct practice_row **out,
			size_t *n, struct parity_error *err);

/* The searchable text of record `record`, replaced. */
int practice_store_index(struct store *s, int64_t record, const char *title,
			 const char *summary, const char *body,
			 const char *tags, struct parity_error *err);

/* One match of a full-text query. */
struct practice_match {
	int64_t record;
	double rank;          /* bm25: lower is better */
	char *snippet;        /* with \x01 and \x02 around matched words */
};
/*
 * The records whose text matches the FTS5 expression `match` (already
 * made safe by the caller), best first by bm25 with the title weighted
 * over the summary, the summary over the rest. PARITY_ERR_VALIDATION when
 * FTS5 refuses the expression.
 */
int practice_store_match(struct store *s, const char *match,
			 struct practice_match **out, size_t *n,
			 struct parity_error *err);
void practice_matches_free(struct practice_match *m, size_t n);

/* ---- documents attached to versions (migration 0011) ---- */

/* One attached document. `bytes` is filled only when asked for. */
struct practice_attachment_row {
	int64_t practice_id;   /* the version it belongs to */
	int n;                 /* its number within the version: 1, 2, ... */
	char *name;            /* a plain file name */
	char type[8];          /* pdf, docx, xlsx */
	int64_t size;
	char sha256[65];
	long added_at;
	char *added_by;
	unsigned char *bytes;  /* `size` bytes, or NULL */
};

void practice_attachment_row_release(struct practice_attachment_row *r);
void practice_attachment_rows_free(struct practice_attachment_row *rows,
				   size_t n);

/* Add row->name etc. with `bytes` (row->size of them) to version
 * row->practice_id, which must wait for moderation (else
 * PARITY_ERR_VALIDATION); row->n is set, one past the version's
 * highest. The bytes are kept once per row->sha256. Inside a
 * transaction. */
int practice_attachment_store(struct store *s,
			      struct practice_attachment_row *row,
			      const void *bytes, struct parity_error *err);
/* Remove attachment `n` of version `practice_id` (and its bytes, when no
 * version names them any more): PARITY_ERR_NOT_FOUND when there is none,
 * PARITY_ERR_VALIDATION when the version was moderated. Inside a
 * transaction. */
int practice_attachment_delete(struct store *s, int64_t practice_id, int n,
			       struct parity_error *err);
/* Give version `to` the attachments of version `from` (a new version of
 * a record starts with the documents of the one before). Inside a
 * transaction. */
int practice_attachment_carry(struct store *s, int64_t from, int64_t to,
			      struct parity_error *err);
/* The attachments of version `practice_id`, by number, without their
 * bytes (free with practice_attachment_rows_free()). */
int practice_attachment_list(struct store *s, int64_t practice_id,
			     struct practice_attachment_row **out, size_t *n,
			     struct parity_error *err);
/* Attachment `n` of version `practice_id` with its bytes: 1 (*out
 * filled; release it), 0 when there is none, -1. */
int practice_attachment_get(struct store *s, int64_t practice_id, int n,
			    struct practice_attachment_row *out,
			    struct parity_error *err);

/* ---- the Learning Lab's events (migration 0010) ---- */

struct learning_material {
	char *title, *url;
};

struct learning_event_row {
	int64_t id;
	char day[11];            /* YYYY-MM-DD */
	char *title, *format, *strand, *description;
	int64_t *records;        /* practice records it draws on */
	size_t nrecords;
	struct learning_material *materials;
	size_t nmaterials;
	long created_at;
	char *created_by;
};

/* Add an event (inside a transaction); row->id is set. */
int learning_event_store(struct store *s, struct learning_event_row *row,
			 struct parity_error *err);
/* The events from day `from` to day `until` (either NULL: no bound), by
 * day. The caller frees them with learning_events_free(). */
int learning_events_list(struct store *s, const char *from, const char *until,
			 struct learning_event_row **out, size_t *n,
			 struct parity_error *err);
void learning_events_free(struct learning_event_row *rows, size_t n);

/* ---- the archive of Race Matters (migration 0012) ---- */

struct digest_kept {
	char since[11], until[11];   /* YYYY-MM-DD */
	char *content;               /* the issue as JSON */
	long made_at;
	char *made_by;
};

/* Keep an issue, `content` its JSON (inside a transaction), replacing
 * the one kept for the same period. */
int digest_store_keep(struct store *s, const char *since, const char *until,
		      const char *content, long made_at, const char *made_by,
		      struct parity_error *err);
/* Every issue kept, the newest period first. The caller frees them with
 * digest_kept_free(). */
int digest_store_list(struct store *s, struct digest_kept **out, size_t *n,
		      struct parity_error *err);
void digest_kept_free(struct digest_kept *rows, size_t n);

#endif
