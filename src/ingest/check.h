/*
 * check.h - the row checker's state, shared by the importer (returns.c)
 * and the store-less analysis that splits a file between threads
 * (analyse.c). Private to src/ingest/.
 *
 * One `struct import` checks rows of one return. With a store it inserts
 * them (import_return()); without one (`store` NULL) it only aggregates
 * them by employer and ethnicity, so that both paths validate and classify
 * every row with the same code.
 */
#ifndef PARITY_INGEST_CHECK_H
#define PARITY_INGEST_CHECK_H

#include "base/csv.h"
#include "base/sha256.h"
#include "ingest/alias_register.h"
#include "ingest/returns.h"
#include "store/pseudonym.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

enum col {
	C_STAFF_ID, C_APPLICANT_ID, C_EMPLOYER, C_ETHNICITY, C_ANNUAL_SALARY,
	C_FTE, C_WEEKLY_HOURS, C_PAY_BAND, C_GRADE, C_JOB_FAMILY, C_SEX,
	C_AGE_BAND, C_DISABILITY, C_CONTRACT_TYPE, C_START_DATE,
	C_LEAVING_DATE, C_PROMOTED, C_DISCIPLINARY, C_TRAINING, C_LEFT,
	C_SHORTLISTED, C_APPOINTED, C_VACANCY_ID,
	C_COUNT
};

/* Fingerprints of ids, kept by their top FINGERPRINT_PART_BITS bits, so
 * that each part can be sorted and searched for repeats on its own, with
 * the parts spread over the threads. */
#define FINGERPRINT_PART_BITS 8
#define FINGERPRINT_PARTS (1 << FINGERPRINT_PART_BITS)
struct fingerprint_part {
	uint64_t *v;
	size_t n, cap;
};

/* ---- small containers ---- */

/*
 * Classification of each distinct ethnicity label seen (every label: one
 * longer than RETURN_TEXT_MAX characters is an error before it gets
 * here), and its place in the order labels arrived, by which the label
 * tallies count it.
 */
struct label_entry {
	char *label;  /* NULL: empty slot */
	int id;       /* enum ethnicity_id, or -1 when refused */
	bool from_2011; /* the label is in 2011 Census wording */
	unsigned char rule; /* enum label_rule (alias_register.h) */
	uint32_t index; /* 0, 1, ...: the tallies' index of the label */
	char *error;  /* why it was refused; NULL past LABEL_CACHE_MAX
		       * refused labels, whose message is made again each
		       * time (so the cache stays small whatever the file) */
};

struct label_cache {
	struct label_entry *slots;
	size_t cap, count;
	size_t errors;  /* refused labels whose message is kept */
};

/* Refused labels whose message is kept. */
#define LABEL_CACHE_MAX 4096

/*
 * How many records of each area carried each label (by the label's
 * index in the cache): counted as rows are checked, when the import
 * keeps the labels it saw (`count_labels`), and written with each
 * submission (store_labels_add()) or, after a refusal, as its refused
 * labels.
 */
struct label_tally_area {
	int area;
	long *counts;  /* by label index; `cap` of them */
	size_t cap;
};

struct label_tally {
	struct label_tally_area *areas;
	size_t count, cap;
	int *slot_of;  /* area -> 1 + its slot, or 0; NULL until first used */
};

/* Employer texts already found to name an area (row_area()), by a hash
 * of the text with ASCII letters folded to lower case, as strcasecmp()
 * compares them: a row costs the same whatever the order of the rows and
 * however many employers the file has. Only texts that named a borough
 * or local authority without error are kept, so there are at most as
 * many as there are areas; longer texts are looked up each time. */
#define EMPLOYER_KEY_BYTES 16
struct employer_slot {
	char key[EMPLOYER_KEY_BYTES]; /* folded, NUL-padded; "" when empty */
	int area;
};

struct employer_index {
	struct employer_slot *slots;
	size_t cap, count;
};

/* Pseudonyms seen, with the line each was first seen on (0: empty slot). */
struct seen_id {
	unsigned char person[PSEUDONYM_BYTES];
	uint32_t line;
};

struct id_set {
	struct seen_id *slots;
	size_t cap, count;
};

struct pay_vec {
	double *v;
	size_t n, cap;
};

/* One return in the file: all of it, or one employer's rows. */
struct employer {
	int area;
	bool added; /* store_submission_add() done */
	struct store_submission sub;
	struct pay_vec pay[ETH_COUNT];
	struct store_event_count events[STORE_EVENT_COUNT][ETH_COUNT];
	struct store_applicant_count applicants[ETH_COUNT];
	struct quality quality;
	bool quality_ready;
	long rows;
	/* Labels in 2011 wording seen, and Roma (a 2021 category) seen: the
	 * return used 2011 categories when the first is true and the second
	 * false. */
	bool labels_2011, roma;
};

/* One row's checked values. */
struct row_values {
	int area;
	bool have_person;
	bool label_2011; /* the ethnicity label is in 2011 wording */
	struct store_staff staff;
	struct store_applicant applicant;
};

/* Rows of a block checked for an import on one of several threads, kept
 * in order with copies of their values until they are stored
 * (ingest/analyse.c). */
#define ARENA_CHUNK ((size_t)256 * 1024)
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};
struct checked_rows {
	struct row_values *rows;
	size_t count, cap;
	struct arena_chunk *arena;   /* every chunk, kept from block to block */
	struct arena_chunk *current; /* the one being filled */
};

/* A coded value already warned about. */
struct coded_seen {
	enum col column;
	char *value;
	long line, column_at, block; /* where first seen (block mode) */
};
#define CODED_WARN_MAX 100

struct import {
	const struct import_options *opt;
	struct store *store;
	struct diag_list *diags;
	struct csv_reader *reader;
	const char *file;
	struct file_digest sha;   /* the file's checksum, as it is read */
	int field_of[C_COUNT];   /* the file's field for each column, or -1 */
	long header_col[C_COUNT];
	char *header_text[C_COUNT];
	char **field_names;      /* the header as written, per field */
	size_t nfields;
	long nonblank[C_COUNT];
	int fixed_area;          /* --area, or -1 */
	struct employer *employers;
	size_t nemployers, employers_cap;
	int *employer_at;        /* area -> 1 + its index in `employers`, or
				  * 0: as many as there are areas */
	struct employer_index employer_text; /* employers' texts resolved */
	struct label_cache labels;
	bool count_labels;       /* keep a tally of the labels seen */
	struct label_tally tally;
	struct id_set ids;
	struct coded_seen *coded;
	size_t ncoded, coded_cap;
	struct quality_memo coded_memo[C_COUNT];
	char *scratch;           /* the row's trimmed values */
	size_t scratch_len, scratch_cap;
	char columns[512];
	char submitted_at[32];
	long rows;
	long rows_checked;       /* rows with as many fields as the header */
	long last_line;
	bool header_unusable;    /* the header is one field with another
				  * delimiter in it: rows are not checked */
	long cp1252_line, cp1252_column; /* the first value that needed
					  * Windows-1252 */
	/* Row warnings that would repeat on many rows are counted, and given
	 * once at the first row they apply to. */
	struct repeated {
		long rows, line, column, block;
		char value[64];
	} below_llw, leaving_before_start;
	/* Without a store (`store` NULL), ids are pseudonymised under a key
	 * made for the run, to find duplicates as an import does. */
	struct pseudonym_key own_key;
	/*
	 * Block mode, for one of several threads that check blocks of a file
	 * (ingest/analyse.c): ids are kept as 64-bit fingerprints in
	 * `fingerprints` rather than checked here (analyse.c looks for
	 * repeats among all the threads' fingerprints at the end), warnings that rows repeat
	 * are kept (with the block they were seen in, `block`) rather than
	 * given, and lines count from 1 in each block.
	 */
	bool block_mode;
	long block;
	struct fingerprint_part *fingerprints; /* FINGERPRINT_PARTS, or NULL */
	/* Block mode for an import: each valid row is kept in `emit`, with
	 * its pseudonym made under `emit_key` (the store's), rather than
	 * aggregated; the thread that stores them calls import_store_row(). */
	struct checked_rows *emit;
	const struct pseudonym_key *emit_key;
};

/* Functions of returns.c that analyse.c uses. */
void import_problem(struct import *im, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int import_resolve_options(struct import *im, struct parity_error *err);
void import_map_header(struct import *im, const struct csv_row *row);
/* Check one row (and, with a store, insert it). -1 only when the store
 * fails. */
int import_check_row(struct import *im, const struct csv_row *row,
		     struct parity_error *err);
/* Read and check every row of im->reader; -1 only when the store or the
 * file fails. */
int import_read_rows(struct import *im, struct parity_error *err);
void import_warn_blank_columns(struct import *im);
void import_warn_repeated(struct import *im);
/* The warning about an unrecognised coded value first seen at `line`. */
void import_warn_coded(struct import *im, const struct coded_seen *seen);
/* Store one checked row (im has the store): its submission, record and
 * aggregates, as the single pass does. -1 when the store fails. */
int import_store_row(struct import *im, const struct row_values *v,
		     struct parity_error *err);
void checked_rows_reset(struct checked_rows *c);
void checked_rows_free(struct checked_rows *c);
/* Finish the employers' submissions and commit (or find that nothing
 * changed): the end of an import with no errors. */
int import_conclude(struct import *im, struct import_result *res,
		    struct parity_error *err);
/*
 * An import of a workforce return checked on every core (ingest/analyse.c):
 * 1 when done, as import_return() would have done it; 0 when the file
 * needs the single pass (not a regular file, under 8 MB, not UTF-8, any
 * error, a possible duplicate id...), with nothing stored and `diags`
 * emptied; -1 when the store or the file fails.
 */
int import_parallel(struct store *s, const struct import_options *opt,
		    struct diag_list *diags, struct import_result *res,
		    struct parity_error *err);
void import_state_free(struct import *im);
/* Add the labels `from` saw, and its tallies, to `into`'s: the tallies of
 * the threads of a parallel import, gathered for the writer. */
void import_merge_labels(struct import *into, const struct import *from);

#endif
