/*
 * store.h - where accepted returns live: submissions, their records, and
 * the aggregates that reports read.
 *
 * The store is a database (SQLite today, in src/store/sqlite.c; the SQL is
 * kept portable so that a PostgreSQL backend can follow) plus a secret key
 * file beside it (`<db>.key`, see pseudonym.h). What it promises:
 *   - a return is stored by one transaction: wholly present or wholly
 *     absent, whatever happens to the process or the machine, and once
 *     store_commit() returns it is on disk (WAL, synchronous=FULL);
 *   - submissions are immutable: a new version of a return (same kind, area
 *     and year) is added beside the old one, which is marked superseded, so
 *     history answers "what did we hold last March?";
 *   - no staff or applicant id is ever stored: records carry a keyed hash,
 *     made only with the store's own key (the store keeps its fingerprint);
 *   - commands that only read open it read-only (store_open_readonly()),
 *     so they work where the store cannot be written and never change it;
 *   - the alias register (the programme's shared ethnicity aliases) is
 *     versioned and audited, and nothing of it is deleted; each submission
 *     records the version its labels were read with, and each distinct
 *     label it carried; a failed import leaves only its refused labels;
 *   - the hub's accounts keep no secret, only hashes of them, and its audit
 *     log is append-only: the store refuses to change or delete an entry
 *     (accounts.h);
 *   - a submitted assessment against a framework is immutable, and a peer
 *     review is fixed once signed off (assessment_store.h).
 *
 * Records and aggregates. Each staff record keeps the columns of the return
 * (see docs/formats/), and at import the store also keeps, per submission
 * and ethnic group, the sorted vector of annual salaries, counts of each
 * yes/no event, and applicant counts, so that measures for any pooled set
 * of areas (exact medians included) are computed without rescanning
 * records.
 *
 * Ownership. store_open() gives a handle that the caller frees with
 * store_close(). Functions that return arrays say who frees them; strings
 * inside records handed to a callback are valid only during the call.
 * Writes happen only between store_begin() and store_commit() or
 * store_rollback(); a handle is used by one thread at a time.
 */
#ifndef PARITY_STORE_STORE_H
#define PARITY_STORE_STORE_H

#include "base/error.h"
#include "domain/ethnicity.h"
#include "store/pseudonym.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The newest schema version this build knows (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 15

enum store_kind {
	STORE_WORKFORCE,
	STORE_RECRUITMENT,
	STORE_SERVICE,     /* counts by stage of a service (service_store.h) */
	STORE_KIND_COUNT
};

/* "workforce", "recruitment", "service". */
const char *store_kind_name(enum store_kind kind);
/* 0 and *out set, or -1 for a name that is not a kind. */
int store_kind_parse(const char *name, enum store_kind *out);

struct store;

/* ---- opening ---- */

/*
 * Create a new, empty store at `path` and its key file `<path>.key`, both
 * mode 0600, the store holding the key's fingerprint. Refuses when either
 * already exists.
 */
int store_create(const char *path, struct parity_error *err);
/*
 * Open an existing store for writing: apply any migrations it lacks (in a
 * transaction), set and check its connection settings, and check its key:
 * refuses a store whose key file is missing or can be read by others, a
 * key that is not the store's own (by its fingerprint), and a store made
 * by a newer parity. A store that holds no fingerprint of its key yet
 * (made before they were kept) records this key's; store_notice() says
 * so. Refuses, naming the file and what to do, a store that cannot be
 * written: the file, its write-ahead log or shared-memory file, or its
 * directory.
 */
int store_open(struct store **out, const char *path,
	       struct parity_error *err);
/*
 * Open an existing store for reading only, for commands that never write:
 * nothing is written, not even a setting, and store_begin() fails. The key
 * is checked as store_open() does (its fingerprint only when the store
 * holds one). Works on a store that the user cannot write, or in a
 * directory they cannot write. Refuses a store that needs a migration:
 * a command that writes must bring it up to date first.
 */
int store_open_readonly(struct store **out, const char *path,
			struct parity_error *err);
/*
 * Where a store is, `where`: a file (SQLite, the embedded default), or a
 * PostgreSQL database named by a connection URI, "postgresql://..." or
 * "postgres://..." (store_postgres.c), for a hub that several processes
 * share. A file's key is the file `<path>.key` beside it; a database's is
 * the file `key_path`, which these take (NULL for a file; for a database,
 * NULL is refused). store_create(), store_open() and store_open_readonly()
 * are these with NULL. Each promises what its namesake does; on
 * PostgreSQL, "refuses when it already exists" means a database that
 * already holds tables.
 */
bool store_is_postgres(const char *where);
int store_create_keyed(const char *where, const char *key_path,
		       struct parity_error *err);
int store_open_keyed(struct store **out, const char *where,
		     const char *key_path, struct parity_error *err);
int store_open_readonly_keyed(struct store **out, const char *where,
			      const char *key_path,
			      struct parity_error *err);
/*
 * The council that a store in PostgreSQL acts for, by the row-level
 * security of its tables: a council's GSS code (its rows only), "*" (all
 * of London: every row; how a store is opened) or "" (no council's rows).
 * Does nothing on SQLite, where tenancy is the callers' (the hub's).
 */
int store_act_for(struct store *s, const char *council,
		  struct parity_error *err);
/*
 * 0 when store_act_for() binds the connection: on PostgreSQL, when its
 * role is neither a superuser, nor has BYPASSRLS, nor owns (or is a
 * member of the owner of) a table of the store, any of which would see
 * every council's rows whatever the acting council; always on SQLite.
 * PARITY_ERR_USAGE otherwise. The hub's connections must be held.
 */
int store_check_held_to_tenancy(struct store *s, struct parity_error *err);
/*
 * What opening the store did that its user should hear of (it was
 * migrated; its key's fingerprint was recorded), as one sentence, or NULL.
 * Owned by the handle.
 */
const char *store_notice(const struct store *s);
/* Close the handle (rolling back an open transaction). NULL is a no-op. */
void store_close(struct store *s);
/* The key that pseudonyms are made with; owned by the handle. */
const struct pseudonym_key *store_key(const struct store *s);
/* The schema version of the open store. */
int store_schema_version(struct store *s);

/* ---- transactions ---- */

/* Start a write transaction (BEGIN IMMEDIATE: waits up to 5 s for another
 * writer, then fails). */
int store_begin(struct store *s, struct parity_error *err);
int store_commit(struct store *s, struct parity_error *err);
/* Undo everything since store_begin(). Safe when no transaction is open. */
void store_rollback(struct store *s);

/* ---- submissions ---- */

struct store_submission {
	int64_t id;
	enum store_kind kind;
	char area_code[16];
	int year;
	int version;            /* 1, 2, ... for the same kind, area and year */
	bool current;           /* false once superseded */
	int64_t supersedes;     /* the version this one replaced, or 0 */
	char submitted_at[32];  /* UTC, ISO 8601: 2024-05-01T09:30:00Z */
	char submitted_by[128];
	char source_name[256];  /* the file's base name */
	long rows;
	char sha256[65];        /* hex SHA-256 of the file's bytes */
	char encoding[16];      /* "UTF-8" or "Windows-1252" */
	char columns[512];      /* the return's recognised columns, "a,b,c" */
	int classification;     /* the ethnicity classification its labels
				 * used: 2011 (Other White includes Roma) or
				 * 2021; 0 is read as 2021 */
	char subject[64];       /* what a service return is about: the
				 * service's name; "" for other kinds */
	int alias_version;      /* the version of the alias register its
				 * labels were read with; 0: none */
	char code_system[16];   /* the code system bare codes were read by
				 * ("nhs", ...: ethnicity_code_system_name());
				 * "none" or "" for none */
	bool reclassified;      /* made by `parity returns reclassify` from
				 * the version it supersedes, not by an
				 * import */
	int checked_version;    /* read only: the newest register version
				 * its labels were found to read the same
				 * under (alias_check), at least
				 * alias_version */
};

/*
 * Inside a transaction: add a submission and make it the current version of
 * its return (kind, subject, area and year). On entry `sub` gives kind,
 * subject ("" but for service returns), area_code, year, submitted_at,
 * submitted_by, source_name, encoding and columns; on return it also has
 * id, version, current = true, and supersedes (the id of the version it
 * replaces, now marked superseded, or 0). Rows and checksum are written by
 * store_submission_finish() once the file has been read.
 */
int store_submission_add(struct store *s, struct store_submission *sub,
			 struct parity_error *err);
/* Inside the same transaction: record `rows`, `sha256`, `encoding` and
 * `classification` of `sub`, known only once the whole file has been
 * read. */
int store_submission_finish(struct store *s,
			    const struct store_submission *sub,
			    struct parity_error *err);
/*
 * Inside the same transaction: take back a submission added by
 * store_submission_add() (its records and aggregates too) and make the
 * version it superseded current again. For a return found to be identical
 * to the current one only after it was read.
 */
int store_submission_discard(struct store *s,
			     const struct store_submission *sub,
			     struct parity_error *err);

/* Fill `out` with submission `id`; PARITY_ERR_NOT_FOUND when none. */
int store_submission_get(struct store *s, int64_t id,
			 struct store_submission *out,
			 struct parity_error *err);
/* The current submission of a return: 1 and `out` filled, 0 when there is
 * none, -1 on error. */
int store_submission_current(struct store *s, enum store_kind kind,
			     const char *area_code, int year,
			     struct store_submission *out,
			     struct parity_error *err);
/* The same for a return with a subject (a service return's service). */
int store_submission_current_for(struct store *s, enum store_kind kind,
				 const char *subject, const char *area_code,
				 int year, struct store_submission *out,
				 struct parity_error *err);

/* Which areas have a current return of a kind for a year (no subject),
 * and its submission's id: one read for a report's every area, where
 * store_submission_current() is one an area. */
struct store_current {
	struct store_current_return {
		char area_code[16];
		int64_t id;
	} *returns;           /* sorted by area code */
	size_t count;
};
/* `out` filled (release with store_current_release()), or -1. */
int store_current_load(struct store *s, enum store_kind kind, int year,
		       struct store_current *out, struct parity_error *err);
/* The id of `area_code`'s current return, or 0 when it has none. */
int64_t store_current_id(const struct store_current *c,
			 const char *area_code);
void store_current_release(struct store_current *c);

struct store_filter {
	const char *area_code; /* NULL: any */
	int year;              /* 0: any */
	int kind;              /* enum store_kind, or -1: any */
	bool current_only;
};
#define STORE_FILTER_ALL { NULL, 0, -1, false }

/*
 * The submissions matching `filter`, ordered by area, year, kind and
 * version. The caller frees *out with free().
 */
int store_submissions_list(struct store *s, const struct store_filter *filter,
			   struct store_submission **out, size_t *count,
			   struct parity_error *err);

/* ---- records ---- */

/* A yes/no value: 1 yes, 0 no, STORE_NOT_GIVEN when the return left it
 * blank. */
#define STORE_NOT_GIVEN (-1)

enum store_event {
	STORE_EVENT_PROMOTED,
	STORE_EVENT_DISCIPLINARY,
	STORE_EVENT_TRAINING,
	STORE_EVENT_LEFT,
	STORE_EVENT_COUNT
};
/* "promoted", "disciplinary", "training", "left". */
const char *store_event_name(enum store_event event);

/* One member of staff. Text is NULL when the return gave no value. */
struct store_staff {
	unsigned char person[PSEUDONYM_BYTES];
	enum ethnicity_id ethnicity;
	const char *label;        /* the ethnicity label as given (trimmed);
				   * NULL when not known: records stored
				   * before labels were kept */
	double annual_salary;
	double fte;
	const char *pay_band;
	const char *grade;
	const char *job_family;
	const char *sex;
	const char *age_band;
	const char *disability;
	const char *contract_type;
	const char *start_date;   /* ISO 8601 date */
	const char *leaving_date;
	int events[STORE_EVENT_COUNT]; /* 1, 0 or STORE_NOT_GIVEN */
};

struct store_applicant {
	unsigned char person[PSEUDONYM_BYTES];
	enum ethnicity_id ethnicity;
	const char *label;      /* as for store_staff */
	bool shortlisted;
	bool appointed;
	const char *vacancy_id; /* NULL when not given */
	const char *pay_band;
};

/* Inside a transaction: add a record to submission `submission`. The
 * record's strings are copied before the call returns. */
int store_staff_add(struct store *s, int64_t submission,
		    const struct store_staff *r, struct parity_error *err);
int store_applicant_add(struct store *s, int64_t submission,
			const struct store_applicant *r,
			struct parity_error *err);

/*
 * Call `fn` for each record of a submission, in the order they were
 * stored; the record and its strings are valid only during the call. A
 * non-zero return from `fn` stops the walk and is returned.
 */
typedef int (*store_staff_fn)(void *ctx, const struct store_staff *r);
typedef int (*store_applicant_fn)(void *ctx, const struct store_applicant *r);
int store_staff_each(struct store *s, int64_t submission, store_staff_fn fn,
		     void *ctx, struct parity_error *err);
int store_applicant_each(struct store *s, int64_t submission,
			 store_applicant_fn fn, void *ctx,
			 struct parity_error *err);

/* ---- aggregates ---- */

struct store_event_count {
	long yes, no, missing;
};

/* Count one record's yes/no value (1, 0 or STORE_NOT_GIVEN) in. */
static inline void store_event_count_add(struct store_event_count *c,
					 int value)
{
	if (value == STORE_NOT_GIVEN)
		c->missing++;
	else if (value)
		c->yes++;
	else
		c->no++;
}

struct store_applicant_count {
	long applied, shortlisted, appointed;
};

/* Inside a transaction: the aggregates of one submission and group.
 * `salaries` must be sorted ascending. */
int store_pay_add(struct store *s, int64_t submission, enum ethnicity_id eth,
		  const double *salaries, size_t count,
		  struct parity_error *err);
int store_event_add(struct store *s, int64_t submission,
		    enum ethnicity_id eth, enum store_event event,
		    const struct store_event_count *count,
		    struct parity_error *err);
int store_applicant_count_add(struct store *s, int64_t submission,
			      enum ethnicity_id eth,
			      const struct store_applicant_count *count,
			      struct parity_error *err);

/*
 * The pooled aggregates of some submissions, indexed by enum ethnicity_id
 * (not known and prefer not to say included). `pay[e]` holds every annual
 * salary of group e across the submissions, sorted ascending (NULL when
 * there are none). The aggregates own their arrays: free them with
 * store_aggregates_release().
 */
struct store_aggregates {
	double *pay[ETH_COUNT];
	size_t pay_count[ETH_COUNT];
	struct store_event_count events[STORE_EVENT_COUNT][ETH_COUNT];
	struct store_applicant_count applicants[ETH_COUNT];
	int64_t *submissions;    /* the submissions pooled */
	size_t submission_count;
	size_t workforce_count;  /* how many of them were workforce returns */
	size_t recruitment_count;
	size_t classification_2011_count; /* how many used 2011 categories */
};

/* Pool the aggregates of the listed submissions. */
int store_aggregates_load_submissions(struct store *s, const int64_t *ids,
				      size_t count,
				      struct store_aggregates *out,
				      struct parity_error *err);
/*
 * Pool the aggregates of the current workforce and recruitment submissions
 * for `year` of each area in `area_codes` (leaf areas: boroughs and local
 * authorities). Areas with no return are simply absent: compare
 * `submissions` with the list to say which.
 */
int store_aggregates_load(struct store *s, const char *const *area_codes,
			  size_t area_count, int year,
			  struct store_aggregates *out,
			  struct parity_error *err);
void store_aggregates_release(struct store_aggregates *a);

/* ---- the alias register (store/aliases.c) ---- */

/*
 * The programme's shared ethnicity aliases, applied to every import.
 * Each change (an alias added or removed, a file of them imported) makes
 * a new version of the register, 1, 2, ..., recording who made it and
 * when; nothing is deleted: a removed alias keeps its row, marked with the
 * version that removed it. The store keeps what it is given: whether an
 * alias is one the classifier accepts is checked by the caller
 * (ingest/alias_register.h), inside the same transaction.
 */
#define STORE_LABEL_BYTES 1024 /* a label of at most 200 characters */

struct store_alias {
	char label[STORE_LABEL_BYTES];   /* as given */
	char key[STORE_LABEL_BYTES];     /* normalised: how it is matched */
	char category[8];                /* stable code, e.g. "BAFR" */
	char note[512];                  /* "" when none */
	int added_in;                    /* the version that added it */
	char added_at[32];
	char added_by[128];
	int removed_in;                  /* the version that removed it, or 0 */
	char removed_at[32];
	char removed_by[128];
	char source_name[256];           /* the file it came in, or "" */
	long line;                       /* and its line, or 0 */
};

/* One version of the register: the change that made it. */
struct store_alias_version {
	int version;
	char action[8];        /* "add", "remove" or "import" */
	char changed_at[32];
	char changed_by[128];
	char source_name[256]; /* "import": the file's base name */
	long added, removed;   /* aliases it added and removed */
};

/* The register's current version (0: it was never changed). */
int store_alias_version(struct store *s, int *version,
			struct parity_error *err);
/*
 * Inside a transaction: start the next version of the register, made by
 * `action` ("add", "remove", "import"); `source_name` may be NULL. Sets
 * *version.
 */
int store_alias_version_add(struct store *s, const char *action,
			    const char *changed_at, const char *changed_by,
			    const char *source_name, int *version,
			    struct parity_error *err);
/* Inside the same transaction: add `a` (label, key, category, note,
 * line) to the register as of `version`. */
int store_alias_add(struct store *s, int version, const struct store_alias *a,
		    struct parity_error *err);
/*
 * Inside the same transaction: take the alias whose key is `key` out of
 * the register as of `version`: 1 (and *removed filled as it was, when
 * not NULL), or 0 when the register holds no alias for that key.
 */
int store_alias_remove(struct store *s, int version, const char *key,
		       struct store_alias *removed, struct parity_error *err);
/*
 * The aliases in the register now (`with_removed` false), ordered by
 * label; or every alias ever added, removed ones too, ordered by the
 * version that added them. The caller frees *out with free().
 */
int store_aliases_list(struct store *s, bool with_removed,
		       struct store_alias **out, size_t *count,
		       struct parity_error *err);
/* Every version of the register, oldest first; the caller frees *out
 * with free(). */
int store_alias_versions(struct store *s, struct store_alias_version **out,
			 size_t *count, struct parity_error *err);
/*
 * Inside a transaction: record that the labels of `submission` read the
 * same under register version `version` (a reclassification that changed
 * nothing, so no new version of the submission was made).
 */
int store_alias_check_add(struct store *s, int64_t submission, int version,
			  const char *checked_at, const char *checked_by,
			  struct parity_error *err);

/* ---- labels seen (store/labels.c) ---- */

/* How one distinct label of a submission was read. */
struct store_label {
	const char *label;    /* as given, trimmed */
	long records;         /* records (service returns: rows) with it */
	const char *category; /* the code it was read as: an ethnicity
			       * category's, or a service group's */
	const char *rule;     /* "built-in", "code system", "write-in",
			       * "register", "alias file", "service" */
};

/* Inside a transaction: the labels of a submission. */
int store_labels_add(struct store *s, int64_t submission,
		     const struct store_label *labels, size_t count,
		     struct parity_error *err);
/* Call `fn` for each label of a submission, in order of label; the
 * strings are valid only during the call. A non-zero return stops the
 * walk and is returned. A submission stored before labels were kept has
 * none. */
typedef int (*store_label_fn)(void *ctx, const struct store_label *l);
int store_labels_each(struct store *s, int64_t submission, store_label_fn fn,
		      void *ctx, struct parity_error *err);

/* Which current submissions (or refused labels) to look at. */
struct store_label_filter {
	const char *const *area_codes; /* NULL: any area */
	size_t area_count;
	int year;                      /* 0: any */
	int kind;                      /* enum store_kind, or -1: any */
};

/* A label across current submissions: how many records carried it, in
 * how many returns, read as what, and by which rule. */
struct store_label_total {
	char label[STORE_LABEL_BYTES];
	long records;
	long returns;
	char category[16];
	char rule[16];
};
/*
 * The labels of the current submissions matching `filter`, one row per
 * label, category and rule, most records first (then by label). The
 * caller frees *out with free().
 */
int store_label_totals(struct store *s, const struct store_label_filter *f,
		       struct store_label_total **out, size_t *count,
		       struct parity_error *err);

/* A label an import refused: the return it was in, and how many records
 * of that return carried it. Never the rows. */
struct store_refused_label {
	enum store_kind kind;
	char subject[64];      /* service returns: the service */
	char area_code[16];
	int year;
	char label[STORE_LABEL_BYTES];
	long records;
	char refused_at[32];   /* UTC, ISO 8601 */
};
/*
 * Outside any transaction (it makes its own): the labels a failed import
 * refused. The refused labels kept for each return named in `labels`
 * are replaced by these: a return imported and refused twice counts its
 * labels once. An entry with `records` 0 names a return that refused no
 * label this time: its earlier refused labels are cleared.
 */
int store_refused_labels_keep(struct store *s,
			      const struct store_refused_label *labels,
			      size_t count, struct parity_error *err);
/* Inside a transaction: forget the refused labels of a return (kind,
 * subject, area and year), now that an import of it succeeded. */
int store_refused_labels_clear(struct store *s, enum store_kind kind,
			       const char *subject, const char *area_code,
			       int year, struct parity_error *err);
/* The refused labels kept for returns matching `filter`, most records
 * first. The caller frees *out with free(). */
int store_refused_labels_list(struct store *s,
			      const struct store_label_filter *f,
			      struct store_refused_label **out, size_t *count,
			      struct parity_error *err);

#endif
