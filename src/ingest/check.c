/*
 * check.c - the row checker (see check.h): the columns of workforce and
 * recruitment returns and the names councils give them, the header
 * mapped, every row checked field by field, its ethnicity classified and
 * its id pseudonymised, and what the valid rows add up to: records and
 * aggregates in the store's open transaction, or aggregates in memory.
 * Also the value parsers and the list of direct identifiers that
 * returns.h exposes.
 *
 * The header is mapped first: each field of the file gets one of the
 * known columns, or is refused (a direct identifier), or ignored (an
 * unknown column). Then each row is checked field by field, and every
 * problem is recorded; while no error has been found anywhere, the row's
 * record is inserted at once into the open transaction, so the file is
 * never held in memory. After the first error the rows are still checked,
 * so that one run lists every problem, but nothing more is inserted, and
 * the entry point rolls the transaction back.
 *
 * Per row there is no allocation once the buffers have grown: values are
 * trimmed into a scratch buffer reused from row to row, ethnicity labels
 * are classified once per distinct label (a small cache), and the inserts
 * are prepared statements reused for every row.
 *
 * Checkers of blocks (checker_for_blocks()) each check some blocks of one
 * file on a thread of their own; checker_merge() gathers them, on as many
 * threads, into the checker they were made from.
 */
#include "ingest/check.h"

#include "base/utf8.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/number.h"
#include "base/strbuf.h"
#include "base/textsafe.h"
#include "ingest/objection.h"
#include "measure/stats.h"
#include "store/objection.h"
#include "store/pseudonym.h"
#include "table/render.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The most threads checker_merge() runs on: one per checker. */
#define CHECKER_MERGE_MAX 64

/* ---- the state ---- */

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
 * (checker_store_rows(), called by the parallel reader's writer). */
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

struct checker {
	const struct import_options *opt;
	struct store *store;
	struct diag_list *diags;
	struct diag_list *own_diags; /* a checker of blocks': its diags */
	const char *file;
	int field_of[C_COUNT];   /* the file's field for each column, or -1 */
	int fixed_area;          /* --area, or -1 */
	long header_col[C_COUNT];
	char *header_text[C_COUNT];
	char **field_names;      /* the header as written, per field */
	size_t nfields;
	long nonblank[C_COUNT];
	struct employer *employers;
	size_t nemployers, employers_cap;
	int *employer_at;        /* area -> 1 + its index in `employers`, or
				  * 0: as many as there are areas */
	struct employer_index employer_text; /* employers' texts resolved */
	struct label_cache labels;
	struct label_tally tally;
	struct id_set ids;
	struct coded_seen *coded;
	size_t ncoded, coded_cap;
	struct quality_memo coded_memo[C_COUNT];
	char *scratch;           /* the row's trimmed values */
	size_t scratch_len, scratch_cap;
	char columns[512];
	char submitted_at[32];
	long rows_checked;       /* rows with as many fields as the header */
	bool header_unusable;    /* the header is one field with another
				  * delimiter in it: rows are not checked */
	bool count_labels;       /* keep a tally of the labels seen */
	bool block_mode;         /* below */
	bool merged;             /* below */
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
	 * (checker_for_blocks()): ids are kept as 64-bit fingerprints in
	 * `fingerprints` rather than checked here (checker_merge() looks for
	 * repeats among all the threads' fingerprints at the end), warnings
	 * that rows repeat are kept (with the block they were seen in,
	 * `block`) rather than given, and lines count from 1 in each block.
	 */
	long block;
	struct fingerprint_part *fingerprints; /* FINGERPRINT_PARTS, or NULL */
	/* Block mode for an import: each valid row is kept in `emit`, with
	 * its pseudonym made under `emit_key` (the store's), rather than
	 * aggregated; the thread that stores them calls checker_store_rows(). */
	struct checked_rows *emit;
	const struct pseudonym_key *emit_key;
	/* Without a store, the aggregates that checker_merge() gathered from
	 * checkers of blocks (`merged`), for checker_aggregates(). */
	struct store_aggregates *merged_aggs;
	int *merged_areas;
	size_t nmerged;
};

static void problem(struct checker *ck, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void warn_coded(struct checker *ck, const struct coded_seen *seen);

/* ---- the columns ---- */

enum col_type {
	T_ID, T_ETHNICITY, T_SALARY, T_FTE, T_HOURS, T_TEXT, T_CODED, T_DATE,
	T_FLAG, T_REQUIRED_FLAG, T_EMPLOYER
};


#define WF (1u << STORE_WORKFORCE)
#define RC (1u << STORE_RECRUITMENT)

struct column_def {
	const char *name;
	enum col_type type;
	unsigned kinds;    /* the kinds of return that have it */
	unsigned required; /* the kinds that require it */
};

static const struct column_def columns[C_COUNT] = {
	[C_STAFF_ID] = { "staff_id", T_ID, WF, WF },
	[C_APPLICANT_ID] = { "applicant_id", T_ID, RC, RC },
	[C_EMPLOYER] = { "employer", T_EMPLOYER, WF | RC, 0 },
	[C_ETHNICITY] = { "ethnicity", T_ETHNICITY, WF | RC, WF | RC },
	[C_ANNUAL_SALARY] = { "annual_salary", T_SALARY, WF, WF },
	[C_FTE] = { "fte", T_FTE, WF, 0 },
	[C_WEEKLY_HOURS] = { "weekly_hours", T_HOURS, WF, 0 },
	[C_PAY_BAND] = { "pay_band", T_TEXT, WF | RC, 0 },
	[C_GRADE] = { "grade", T_TEXT, WF, 0 },
	[C_JOB_FAMILY] = { "job_family", T_TEXT, WF, 0 },
	[C_SEX] = { "sex", T_CODED, WF, 0 },
	[C_AGE_BAND] = { "age_band", T_CODED, WF, 0 },
	[C_DISABILITY] = { "disability", T_CODED, WF, 0 },
	[C_CONTRACT_TYPE] = { "contract_type", T_CODED, WF, 0 },
	[C_START_DATE] = { "start_date", T_DATE, WF, 0 },
	[C_LEAVING_DATE] = { "leaving_date", T_DATE, WF, 0 },
	[C_PROMOTED] = { "promoted", T_FLAG, WF, 0 },
	[C_DISCIPLINARY] = { "disciplinary", T_FLAG, WF, 0 },
	[C_TRAINING] = { "training", T_FLAG, WF, 0 },
	[C_LEFT] = { "left", T_FLAG, WF, 0 },
	[C_SHORTLISTED] = { "shortlisted", T_REQUIRED_FLAG, RC, RC },
	[C_APPOINTED] = { "appointed", T_REQUIRED_FLAG, RC, RC },
	[C_VACANCY_ID] = { "vacancy_id", T_TEXT, RC, 0 },
};

/* Other names HR systems use, already normalised. */
static const struct {
	const char *name;
	enum col column;
} aliases[] = {
	{ "employee_id", C_STAFF_ID },
	{ "employee_number", C_STAFF_ID },
	{ "employee_no", C_STAFF_ID },
	{ "staff_number", C_STAFF_ID },
	{ "staff_no", C_STAFF_ID },
	{ "candidate_id", C_APPLICANT_ID },
	{ "ethnic_origin", C_ETHNICITY },
	{ "ethnic_group", C_ETHNICITY },
	{ "salary", C_ANNUAL_SALARY },
	{ "fte_salary", C_ANNUAL_SALARY },
	{ "gender", C_SEX },
	{ "leaver", C_LEFT },
	{ "employer_code", C_EMPLOYER },
};

/*
 * Columns that carry direct identifiers: refused, not ignored, even when
 * empty. A header is compared in its compact form: normalised as every
 * header is (csv_header_normalise(): case, surrounding spaces and dots do
 * not matter), then with the '_' between its words dropped, so that 'Work
 * e-mail', 'WORK_EMAIL' and 'work email' are all 'workemail'. A pattern is
 * the whole compact name ("name"), or a part it starts with ("forename*"),
 * or a part anywhere in it ("*email*"). This is the list in
 * docs/formats/workforce-return.md, "Direct identifiers": keep the two the
 * same. No known column or alias may match it (test_returns.c checks).
 */
static const struct {
	const char *pattern;
	const char *what;
} identifiers[] = {
	/* names */
	{ "name", "a name" },
	{ "firstname*", "a name" },
	{ "forename*", "a name" },
	{ "givenname*", "a name" },
	{ "middlename*", "a name" },
	{ "surname*", "a name" },
	{ "lastname*", "a name" },
	{ "familyname*", "a name" },
	{ "fullname*", "a name" },
	{ "preferredname*", "a name" },
	{ "knownas", "a name" },
	{ "payrollname*", "a name" },
	{ "maidenname*", "a name" },
	{ "birthname*", "a name" },
	{ "previousname*", "a name" },
	{ "previoussurname*", "a name" },
	{ "nickname*", "a name" },
	{ "legalname*", "a name" },
	{ "employeename*", "a name" },
	{ "staffname*", "a name" },
	{ "applicantname*", "a name" },
	{ "candidatename*", "a name" },
	/* identity numbers */
	{ "ninumber*", "a National Insurance number" },
	{ "nino", "a National Insurance number" },
	{ "*nationalinsurance*", "a National Insurance number" },
	{ "nhsnumber*", "an NHS number" },
	{ "nhsno", "an NHS number" },
	{ "*passport*", "a passport number" },
	/* dates of birth */
	{ "dob", "a date of birth" },
	{ "*dateofbirth*", "a date of birth" },
	{ "*birthdate*", "a date of birth" },
	{ "birthday", "a date of birth" },
	/* contact details and addresses */
	{ "*email*", "an email address" },
	{ "*phone*", "a phone number" },
	{ "tel", "a phone number" },
	{ "telno", "a phone number" },
	{ "telnumber", "a phone number" },
	{ "mobile", "a phone number" },
	{ "mobileno", "a phone number" },
	{ "mobilenumber", "a phone number" },
	{ "contactnumber", "a phone number" },
	{ "contactno", "a phone number" },
	{ "*address*", "an address" },
	{ "*postcode*", "a postcode" },
	{ "*postalcode*", "a postcode" },
	{ "*zipcode*", "a postcode" },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

int return_parse_flag(const char *text, int *out)
{
	static const char *const yes[] = { "yes", "y", "true", "1" };
	static const char *const no[] = { "no", "n", "false", "0" };
	size_t k;

	if (text[0] == '\0') {
		*out = STORE_NOT_GIVEN;
		return 0;
	}
	/* The usual spellings first, without a loop. */
	if (((text[0] | 0x20) == 'n' && (text[1] == '\0' ||
	     ((text[1] | 0x20) == 'o' && text[2] == '\0')))) {
		*out = 0;
		return 0;
	}
	if ((text[0] | 0x20) == 'y' && (text[1] == '\0' ||
	    ((text[1] | 0x20) == 'e' && (text[2] | 0x20) == 's' &&
	     text[3] == '\0'))) {
		*out = 1;
		return 0;
	}
	for (k = 0; k < COUNT_OF(yes); k++) {
		if (strcasecmp(text, yes[k]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(text, no[k]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int read_digits(const char **p, int min, int max, long *out)
{
	long v = 0;
	int n = 0;

	while (isdigit((unsigned char)**p)) {
		if (++n > max)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	if (n < min)
		return -1;
	*out = v;
	return 0;
}

int return_parse_date(const char *text, char out[11])
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				      30, 31 };
	const char *p = text;
	long y, m, d, dim;

	if (strlen(text) >= 8 && text[4] == '-') {
		if (read_digits(&p, 4, 4, &y) < 0 || *p++ != '-' ||
		    read_digits(&p, 2, 2, &m) < 0 || *p++ != '-' ||
		    read_digits(&p, 2, 2, &d) < 0 || *p)
			return -1;
	} else {
		if (read_digits(&p, 1, 2, &d) < 0 || *p++ != '/' ||
		    read_digits(&p, 1, 2, &m) < 0 || *p++ != '/' ||
		    read_digits(&p, 4, 4, &y) < 0 || *p)
			return -1;
	}
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return -1;
	dim = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	if (d > dim)
		return -1;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

static struct label_entry *label_slot(struct label_cache *c,
				      const char *label)
{
	size_t i = (size_t)hash_string(label) & (c->cap - 1);

	while (c->slots[i].label && strcmp(c->slots[i].label, label) != 0)
		i = (i + 1) & (c->cap - 1);
	return &c->slots[i];
}

static void label_cache_grow(struct label_cache *c)
{
	struct label_entry *old = c->slots;
	size_t old_cap = c->cap, k;

	c->cap = old_cap ? old_cap * 2 : 256;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	for (k = 0; k < old_cap; k++)
		if (old[k].label)
			*label_slot(c, old[k].label) = old[k];
	free(old);
}

static void label_cache_free(struct label_cache *c)
{
	size_t k;

	for (k = 0; k < c->cap; k++) {
		free(c->slots[k].label);
		free(c->slots[k].error);
	}
	free(c->slots);
}

/* A new entry for `label` (not in the cache), with the next index. */
static struct label_entry *label_insert(struct label_cache *c,
					const char *label)
{
	struct label_entry *e;

	if ((c->count + 1) * 2 > c->cap)
		label_cache_grow(c);
	e = label_slot(c, label);
	memset(e, 0, sizeof(*e));
	e->label = xstrdup(label);
	e->id = -1;
	e->index = (uint32_t)c->count++;
	return e;
}

/* ---- the labels seen ---- */

/* Count `n` records of `area` with the label of index `index`. */
static void tally_add(struct checker *ck, int area, uint32_t index, long n)
{
	struct label_tally *t = &ck->tally;
	struct label_tally_area *a;
	int slot;

	if (!t->slot_of)
		t->slot_of = xcalloc(ck->opt->areas->count + 1,
				     sizeof(*t->slot_of));
	slot = t->slot_of[area];
	if (!slot) {
		t->areas = xgrow(t->areas, &t->cap, t->count + 1,
				 sizeof(*t->areas));
		memset(&t->areas[t->count], 0, sizeof(*t->areas));
		t->areas[t->count].area = area;
		slot = (int)++t->count;
		t->slot_of[area] = slot;
	}
	a = &t->areas[slot - 1];
	if (index >= a->cap) {
		size_t old = a->cap;

		a->counts = xgrow(a->counts, &a->cap, (size_t)index + 1,
				  sizeof(*a->counts));
		memset(a->counts + old, 0, (a->cap - old) * sizeof(*a->counts));
	}
	a->counts[index] += n;
}

static const struct label_tally_area *tally_of(const struct checker *ck,
					       int area)
{
	const struct label_tally *t = &ck->tally;

	if (!t->slot_of || area < 0 || !t->slot_of[area])
		return NULL;
	return &t->areas[t->slot_of[area] - 1];
}

static long tally_count(const struct label_tally_area *a,
			const struct label_entry *e)
{
	return a && e->index < a->cap ? a->counts[e->index] : 0;
}

static void tally_free(struct label_tally *t)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		free(t->areas[k].counts);
	free(t->areas);
	free(t->slot_of);
	memset(t, 0, sizeof(*t));
}

/* Add the labels `from` saw, and its tallies, to `into`'s. */
static void merge_labels(struct checker *into, const struct checker *from)
{
	size_t k, t;

	for (k = 0; k < from->labels.cap; k++) {
		const struct label_entry *e = &from->labels.slots[k];
		struct label_entry *to;

		if (!e->label)
			continue;
		to = into->labels.cap ? label_slot(&into->labels, e->label)
				      : NULL;
		if (!to || !to->label) {
			to = label_insert(&into->labels, e->label);
			to->id = e->id;
			to->from_2011 = e->from_2011;
			to->rule = e->rule;
		}
		for (t = 0; t < from->tally.count; t++) {
			const struct label_tally_area *a = &from->tally.areas[t];
			long n = tally_count(a, e);

			if (n)
				tally_add(into, a->area, to->index, n);
		}
	}
}

/* Inside the import's transaction: the labels of employer `e`'s return,
 * with the records that carried each and how each was read. */
static int store_labels_of(struct checker *ck, const struct employer *e,
			   struct parity_error *err)
{
	const struct label_tally_area *a = tally_of(ck, e->area);
	struct store_label *list;
	size_t k, n = 0;
	int rc;

	if (!a)
		return 0;
	list = xcalloc(ck->labels.count + 1, sizeof(*list));
	for (k = 0; k < ck->labels.cap; k++) {
		const struct label_entry *l = &ck->labels.slots[k];
		long count = l->label ? tally_count(a, l) : 0;

		if (count <= 0 || l->id < 0)
			continue;
		list[n].label = l->label;
		list[n].records = count;
		list[n].category =
			ethnicity_category((enum ethnicity_id)l->id)->code;
		list[n].rule = label_rule_name((enum label_rule)l->rule);
		n++;
	}
	rc = store_labels_add(ck->store, e->sub.id, list, n, err);
	free(list);
	return rc;
}

static int by_records(const void *x, const void *y)
{
	const struct store_refused_label *a = x, *b = y;

	if (a->records != b->records)
		return a->records > b->records ? -1 : 1;
	return strcmp(a->label, b->label);
}

/*
 * After a refused import has been rolled back: keep the labels it
 * refused, with how many records of each return carried them (at most
 * REFUSED_KEPT per return, the most common), replacing what an earlier
 * refusal of the same return kept. A return whose labels all read keeps
 * none now. Failing to keep them is a warning: the import itself has
 * already failed, and says why.
 */
#define REFUSED_KEPT 1000
void checker_keep_refused_labels(struct checker *ck)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_refused_label *list = NULL;
	size_t cap = 0, n = 0, t, k, from;

	if (!ck->store || !ck->count_labels)
		return;
	for (t = 0; t < ck->tally.count; t++) {
		const struct label_tally_area *a = &ck->tally.areas[t];
		const char *code = ck->opt->areas->areas[a->area].code;

		from = n;
		for (k = 0; k < ck->labels.cap; k++) {
			const struct label_entry *l = &ck->labels.slots[k];
			long count = l->label ? tally_count(a, l) : 0;
			struct store_refused_label *r;

			if (count <= 0 || l->id >= 0 ||
			    strlen(l->label) >= sizeof(r->label))
				continue;
			list = xgrow(list, &cap, n + 1, sizeof(*list));
			r = &list[n++];
			memset(r, 0, sizeof(*r));
			memcpy(r->label, l->label, strlen(l->label) + 1);
			r->records = count;
		}
		if (n - from > 1)
			qsort(list + from, n - from, sizeof(*list), by_records);
		if (n - from > REFUSED_KEPT)
			n = from + REFUSED_KEPT;
		if (n == from) {
			/* none: the return's earlier refusals are cleared */
			list = xgrow(list, &cap, n + 1, sizeof(*list));
			memset(&list[n++], 0, sizeof(*list));
		}
		for (k = from; k < n; k++) {
			list[k].kind = ck->opt->kind;
			snprintf(list[k].area_code, sizeof(list[k].area_code),
				 "%s", code);
			list[k].year = ck->opt->year;
			snprintf(list[k].refused_at, sizeof(list[k].refused_at),
				 "%s", ck->submitted_at);
		}
	}
	if (n && store_refused_labels_keep(ck->store, list, n, &err) < 0)
		problem(ck, DIAG_WARNING, 0, 0,
			       "the labels this import refused could not be "
			       "kept for `parity labels --refused`: %s",
			       err.message);
	free(list);
}

/* Insert `person` first seen on `line`; 0 when new, else the line it was
 * already on. */
static uint32_t id_set_add(struct id_set *set, const unsigned char *person,
			   uint32_t line)
{
	size_t i, k;
	uint64_t h;

	if ((set->count + 1) * 4 > set->cap * 3) {
		struct seen_id *old = set->slots;
		size_t old_cap = set->cap;

		set->cap = old_cap ? old_cap * 2 : 1024;
		set->slots = xcalloc(set->cap, sizeof(*set->slots));
		set->count = 0;
		for (k = 0; k < old_cap; k++)
			if (old[k].line)
				(void)id_set_add(set, old[k].person,
						 old[k].line);
		free(old);
	}
	memcpy(&h, person, sizeof(h)); /* a keyed hash: already uniform */
	i = (size_t)h & (set->cap - 1);
	while (set->slots[i].line) {
		if (memcmp(set->slots[i].person, person, PSEUDONYM_BYTES) == 0)
			return set->slots[i].line;
		i = (i + 1) & (set->cap - 1);
	}
	memcpy(set->slots[i].person, person, PSEUDONYM_BYTES);
	set->slots[i].line = line ? line : 1;
	set->count++;
	return 0;
}

static void pay_push(struct pay_vec *p, double v)
{
	if (p->n == p->cap)
		p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = v;
}

/* ---- problems ---- */

static void problem(struct checker *ck, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_add(ck->diags, sev, ck->file, line, column, "%s", buf);
}

static void repeated(const struct checker *ck, struct repeated *r, long line,
		     long column, const char *value)
{
	if (r->rows++ == 0) {
		r->block = ck->block;
		r->line = line;
		r->column = column;
		snprintf(r->value, sizeof(r->value), "%s", value);
	}
}

/* 100384.2 as "100,384": whole pounds with thousands separators. */
static void pounds(double v, char *buf, size_t size)
{
	format_value(v, UNIT_COUNT, buf, size);
}

static void warn_repeated(struct checker *ck)
{
	double llw = RETURN_LONDON_LIVING_WAGE * RETURN_FULL_TIME_HOURS *
		     RETURN_WEEKS_PER_YEAR;
	char year_pay[32], more[64] = "";

	if (ck->below_llw.rows) {
		pounds(llw, year_pay, sizeof(year_pay));
		if (ck->below_llw.rows > 1)
			snprintf(more, sizeof(more), "; so are %ld more rows",
				 ck->below_llw.rows - 1);
		problem(ck, DIAG_WARNING, ck->below_llw.line,
			ck->below_llw.column,
			"annual_salary '%s' is below the London Living Wage for "
			"full-time hours (\xC2\xA3%s a year: \xC2\xA3%.2f an "
			"hour, the %s rate, for %.0f hours a week)%s",
			ck->below_llw.value, year_pay,
			RETURN_LONDON_LIVING_WAGE,
			RETURN_LONDON_LIVING_WAGE_YEAR, RETURN_FULL_TIME_HOURS,
			more);
	}
	more[0] = '\0';
	if (ck->leaving_before_start.rows > 1)
		snprintf(more, sizeof(more), "; so are %ld more rows",
			 ck->leaving_before_start.rows - 1);
	if (ck->leaving_before_start.rows)
		problem(ck, DIAG_WARNING, ck->leaving_before_start.line,
			ck->leaving_before_start.column,
			"leaving_date %s is before start_date%s",
			ck->leaving_before_start.value, more);
}

/* ---- the header ---- */

static int find_column(const char *norm)
{
	size_t k;

	for (k = 0; k < C_COUNT; k++)
		if (strcmp(norm, columns[k].name) == 0)
			return (int)k;
	for (k = 0; k < COUNT_OF(aliases); k++)
		if (strcmp(norm, aliases[k].name) == 0)
			return (int)aliases[k].column;
	return -1;
}

/* Whether a compact header name matches an identifier pattern. */
static bool pattern_matches(const char *pattern, const char *compact)
{
	size_t plen = strlen(pattern), clen = strlen(compact);
	bool any_start = pattern[0] == '*';
	bool any_end = plen > 0 && pattern[plen - 1] == '*';
	char part[64];

	if (any_start) {
		pattern++;
		plen--;
	}
	if (any_end)
		plen--;
	if (plen >= sizeof(part) || plen > clen)
		return false;
	memcpy(part, pattern, plen);
	part[plen] = '\0';
	if (any_start && any_end)
		return strstr(compact, part) != NULL;
	if (any_start)
		return strcmp(compact + clen - plen, part) == 0;
	if (any_end)
		return strncmp(compact, part, plen) == 0;
	return strcmp(compact, part) == 0;
}

const char *return_identifier_kind(const char *header)
{
	char norm[128], compact[128];
	size_t k, n = 0;

	csv_header_normalise(header, norm, sizeof(norm));
	for (k = 0; norm[k]; k++)
		if (norm[k] != '_')
			compact[n++] = norm[k];
	compact[n] = '\0';
	if (n == 0)
		return NULL;
	for (k = 0; k < COUNT_OF(identifiers); k++)
		if (pattern_matches(identifiers[k].pattern, compact))
			return identifiers[k].what;
	return NULL;
}

/*
 * A header that is one field holding semicolons, tabs or bars: the file is
 * separated by those, not by the delimiter the reader used. Said once, in
 * place of the missing columns; the rows are then not checked. True when
 * so.
 */
static bool header_delimiter(struct checker *ck, const struct csv_row *row,
			     char delim)
{
	char quoted[64], message[512];

	textsafe_quote(row->fields[0].text, 40, quoted, sizeof(quoted));
	if (!csv_delimiter_advice(row, delim, quoted, message,
				  sizeof(message)))
		return false;
	ck->field_names[0] = xstrdup(row->fields[0].text);
	problem(ck, DIAG_ERROR, row->line, row->fields[0].column, "%s",
		       message);
	ck->header_unusable = true;
	return true;
}

int checker_header(struct checker *ck, const struct csv_row *row,
		   const char *file, char delimiter)
{
	unsigned kind = 1u << ck->opt->kind;
	size_t i, n = 0;
	int c;

	ck->file = file;
	ck->nfields = row->count;
	ck->field_names = xcalloc(row->count, sizeof(*ck->field_names));
	if (header_delimiter(ck, row, delimiter))
		return -1;
	for (i = 0; i < row->count; i++) {
		const struct csv_field *f = &row->fields[i];
		char norm[128], quoted[64];
		const char *what;

		ck->field_names[i] = xstrdup(f->text);
		csv_header_normalise(f->text, norm, sizeof(norm));
		textsafe_quote(f->text, 40, quoted, sizeof(quoted));
		if (norm[0] == '\0') {
			problem(ck, DIAG_WARNING, row->line, f->column,
				"column %zu has no name: it is ignored and "
				"not stored", i + 1);
			continue;
		}
		what = return_identifier_kind(f->text);
		if (what) {
			problem(ck, DIAG_ERROR, row->line, f->column,
				"column '%s' holds %s: remove it from the "
				"file, because parity does not accept direct "
				"identifiers (names, identity numbers, dates "
				"of birth, contact details, addresses)",
				quoted, what);
			continue;
		}
		c = find_column(norm);
		if (c < 0) {
			problem(ck, DIAG_WARNING, row->line, f->column,
				"unknown column '%s' is ignored and not "
				"stored", quoted);
			continue;
		}
		if (!(columns[c].kinds & kind)) {
			problem(ck, DIAG_WARNING, row->line, f->column,
				"column '%s' belongs to %s returns, not %s "
				"returns: it is ignored and not stored",
				quoted,
				store_kind_name(ck->opt->kind == STORE_WORKFORCE
						? STORE_RECRUITMENT
						: STORE_WORKFORCE),
				store_kind_name(ck->opt->kind));
			continue;
		}
		if (ck->field_of[c] >= 0) {
			problem(ck, DIAG_ERROR, row->line, f->column,
				"column '%s' repeats column %d ('%s'): each "
				"column may appear once", quoted,
				ck->field_of[c] + 1, ck->header_text[c]);
			continue;
		}
		ck->field_of[c] = (int)i;
		ck->header_col[c] = f->column;
		ck->header_text[c] = xstrdup(quoted);
	}
	if (ck->field_of[C_FTE] >= 0 && ck->field_of[C_WEEKLY_HOURS] >= 0)
		problem(ck, DIAG_ERROR, row->line,
			ck->header_col[C_WEEKLY_HOURS],
			"give fte or weekly_hours, not both");
	for (c = 0; c < C_COUNT; c++)
		if ((columns[c].required & kind) && ck->field_of[c] < 0)
			problem(ck, DIAG_ERROR, row->line, 1,
				"missing required column '%s'",
				columns[c].name);
	if (ck->field_of[C_EMPLOYER] < 0 && ck->fixed_area < 0)
		problem(ck, DIAG_ERROR, row->line, 1,
			"the file has no employer column, so --area must say "
			"whose return it is");
	/* The recognised columns, in the file's order, for the record. */
	ck->columns[0] = '\0';
	for (i = 0; i < row->count; i++)
		for (c = 0; c < C_COUNT; c++)
			if (ck->field_of[c] == (int)i) {
				size_t len = strlen(columns[c].name);

				if (n + len + 2 >= sizeof(ck->columns))
					break;
				if (n)
					ck->columns[n++] = ',';
				memcpy(ck->columns + n, columns[c].name, len + 1);
				n += len;
			}
	return ck->diags->errors > 0 ? -1 : 0;
}

/* ---- one row ---- */

void checker_trim(const char **start, const char **end)
{
	const char *s = *start, *e = *end;

	for (;;) {
		if (s < e && (*s == ' ' || *s == '\t'))
			s++;
		else if (e - s >= 2 && (unsigned char)s[0] == 0xC2 &&
			 (unsigned char)s[1] == 0xA0)
			s += 2;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		else if (e - s >= 2 && (unsigned char)e[-2] == 0xC2 &&
			 (unsigned char)e[-1] == 0xA0)
			e -= 2;
		else
			break;
	}
	*start = s;
	*end = e;
}

/* A field's value trimmed of spaces (and no-break spaces): the field
 * itself when there is nothing to trim, else a copy in the row's scratch
 * buffer, which was sized for the whole row. */
static inline const char *trimmed(struct checker *ck,
				  const struct csv_field *f)
{
	const char *s = f->text, *end = f->text + f->len;
	char *out;
	unsigned char first, last;

	/* Most values have nothing to trim: the field itself, which the
	 * reader NUL-terminated, will do. */
	if (f->len == 0)
		return f->text;
	first = (unsigned char)s[0];
	last = (unsigned char)end[-1];
	if (first != ' ' && first != '\t' && first != 0xC2 && last != ' ' &&
	    last != '\t' && last != 0xA0)
		return f->text;
	checker_trim(&s, &end);
	out = ck->scratch + ck->scratch_len;
	memcpy(out, s, (size_t)(end - s));
	out[end - s] = '\0';
	ck->scratch_len += (size_t)(end - s) + 1;
	return out;
}

/* Room in the scratch buffer for a date written out. */
static char *scratch_take(struct checker *ck, size_t n)
{
	char *out = ck->scratch + ck->scratch_len;

	ck->scratch_len += n;
	return out;
}

static void ragged(struct checker *ck, const struct csv_row *row)
{
	if (row->count < ck->nfields) {
		const struct csv_field *last = &row->fields[row->count - 1];
		char name[64];

		textsafe_quote(ck->field_names[row->count], 40, name, sizeof(name));
		problem(ck, DIAG_ERROR, row->line,
			last->column + (long)utf8_length(last->text),
			"the row ends after %zu field%s, but the header has "
			"%zu: column '%s' and any after it are missing",
			row->count, row->count == 1 ? "" : "s", ck->nfields,
			name);
	} else {
		problem(ck, DIAG_ERROR, row->line,
			row->fields[ck->nfields].column,
			"the row has %zu fields, but the header has %zu: "
			"field %zu has no column", row->count, ck->nfields,
			ck->nfields + 1);
	}
}

/* ---- employers by hash ---- */

/*
 * `text` with ASCII letters folded to lower case, NUL-padded, into `key`:
 * two texts have the same key exactly when strcasecmp() finds them equal
 * (parity never sets a locale). false when the text is too long to key
 * (no area code is), so that it is looked up each time.
 */
static bool employer_key(const char *text, char key[EMPLOYER_KEY_BYTES])
{
	size_t k;

	memset(key, 0, EMPLOYER_KEY_BYTES);
	for (k = 0; text[k]; k++) {
		unsigned char c = (unsigned char)text[k];

		if (k == EMPLOYER_KEY_BYTES - 1)
			return false;
		key[k] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	return true;
}

/* The slot that holds `key`, or the empty slot where it would go; NULL
 * while the index is empty. */
static struct employer_slot *employer_slot_for(struct employer_index *ix,
					       const char *key)
{
	uint64_t w0, w1, h;
	size_t i;

	if (!ix->cap)
		return NULL;
	memcpy(&w0, key, sizeof(w0));
	memcpy(&w1, key + sizeof(w0), sizeof(w1));
	/* splitmix64's finaliser: codes differ only in their last bytes,
	 * which a plain multiply would leave out of the low bits */
	h = w0 + w1 * 0x9E3779B97F4A7C15ULL;
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
	h ^= h >> 31;
	i = (size_t)h & (ix->cap - 1);
	while (ix->slots[i].key[0] &&
	       memcmp(ix->slots[i].key, key, EMPLOYER_KEY_BYTES) != 0)
		i = (i + 1) & (ix->cap - 1);
	return &ix->slots[i];
}

static void employer_index_add(struct employer_index *ix, const char *key,
			       int area)
{
	struct employer_slot *slot;

	if ((ix->count + 1) * 2 > ix->cap) {
		struct employer_slot *old = ix->slots;
		size_t old_cap = ix->cap, k;

		ix->cap = old_cap ? old_cap * 2 : 64;
		ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
		for (k = 0; k < old_cap; k++)
			if (old[k].key[0])
				*employer_slot_for(ix, old[k].key) = old[k];
		free(old);
	}
	slot = employer_slot_for(ix, key);
	if (!slot->key[0]) {
		memcpy(slot->key, key, EMPLOYER_KEY_BYTES);
		slot->area = area;
		ix->count++;
	}
}

/* The area of a row: its employer, or --area. -1 after an error. */
static int row_area(struct checker *ck, const struct csv_row *row)
{
	const struct area_set *areas = ck->opt->areas;
	const struct csv_field *f;
	const char *text;
	char quoted[64], key[EMPLOYER_KEY_BYTES];
	bool keyed;
	int a;

	if (ck->field_of[C_EMPLOYER] < 0)
		return ck->fixed_area;
	f = &row->fields[ck->field_of[C_EMPLOYER]];
	text = trimmed(ck, f);
	if (text[0])
		ck->nonblank[C_EMPLOYER]++;
	if (text[0] == '\0') {
		if (ck->fixed_area >= 0)
			return ck->fixed_area;
		problem(ck, DIAG_ERROR, row->line, f->column,
			"employer is blank, and no --area was given");
		return -1;
	}
	/* A text that named an area before: one hash lookup, whatever the
	 * order of the rows and however many employers the file holds. */
	keyed = employer_key(text, key);
	if (keyed) {
		const struct employer_slot *slot =
			employer_slot_for(&ck->employer_text, key);

		if (slot && slot->key[0])
			return slot->area;
	}
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	a = area_find(areas, text);
	if (a < 0 || strcasecmp(areas->areas[a].code, text) != 0) {
		problem(ck, DIAG_ERROR, row->line, f->column,
			"employer '%s' is not a known area code (see `parity "
			"areas`)", quoted);
		return -1;
	}
	if (areas->areas[a].type != AREA_BOROUGH &&
	    areas->areas[a].type != AREA_LOCAL_AUTHORITY) {
		problem(ck, DIAG_ERROR, row->line, f->column,
			"employer '%s' is a %s (%s), not a borough or local "
			"authority", quoted, area_type_name(areas->areas[a].type),
			areas->areas[a].name);
		return -1;
	}
	if (ck->fixed_area >= 0 && a != ck->fixed_area) {
		problem(ck, DIAG_ERROR, row->line, f->column,
			"employer '%s' does not match --area %s", quoted,
			areas->areas[ck->fixed_area].code);
		return -1;
	}
	if (keyed)
		employer_index_add(&ck->employer_text, key, a);
	return a;
}

/*
 * A 64-bit fingerprint of (area, id): words of the id mixed in with
 * multiply-xorshift steps, then a final avalanche. Two different ids may
 * share one, rarely; checker_merge() treats a shared fingerprint as a
 * possible duplicate, and the file is checked again exactly.
 */
static uint64_t fingerprint(int area, const char *text, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)len << 32) ^
		     (uint64_t)(unsigned)area;
	size_t k;

	for (k = 0; k < len; k += 8) {
		uint64_t w = 0;

		memcpy(&w, text + k, len - k < 8 ? len - k : 8);
		h ^= w;
		h *= 0x9FB21C651E98DF25ULL;
		h ^= h >> 29;
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 33;
	return h;
}

static void fingerprint_add(struct checker *ck, int area, const char *text,
			    size_t len)
{
	uint64_t h = fingerprint(area, text, len);
	struct fingerprint_part *p;

	if (!ck->fingerprints)
		ck->fingerprints = xcalloc(FINGERPRINT_PARTS,
					   sizeof(*ck->fingerprints));
	p = &ck->fingerprints[h >> (64 - FINGERPRINT_PART_BITS)];
	if (p->n == p->cap)
		p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = h;
}

/*
 * The bytes an id is pseudonymised from. An id of at most PSEUDONYM_ID_MAX
 * characters can have more bytes than that (an accented letter is two in
 * UTF-8), which the pseudonym would not all take: such an id is given as a
 * byte that no UTF-8 text holds, 0xFF, and the 32-byte BLAKE2b digest of
 * all of it, so that two ids that differ anywhere differ in their
 * pseudonyms.
 */
#define ID_DIGEST_BYTES (1 + 32)
static const char *id_key(const char *text, size_t *len,
			  char digest[ID_DIGEST_BYTES])
{
	if (*len <= PSEUDONYM_ID_MAX)
		return text;
	digest[0] = (char)0xFF;
	crypto_generichash((unsigned char *)digest + 1, ID_DIGEST_BYTES - 1,
			   (const unsigned char *)text, *len, NULL, 0);
	*len = ID_DIGEST_BYTES;
	return digest;
}

void checker_person(const struct pseudonym_key *key, enum store_kind kind,
		    const char *area_code, const char *id,
		    unsigned char out[PSEUDONYM_BYTES])
{
	char digest[ID_DIGEST_BYTES];
	size_t len = strlen(id);
	const char *bytes = id_key(id, &len, digest);

	pseudonym_make(key, kind == STORE_WORKFORCE ? "staff" : "applicant",
		       area_code, bytes, len, out);
}

static void check_id(struct checker *ck, const struct csv_row *row,
		     enum col c, int area, struct row_values *v)
{
	const struct csv_field *f = &row->fields[ck->field_of[c]];
	const char *text = trimmed(ck, f);
	size_t len = strlen(text);
	unsigned char *person = ck->opt->kind == STORE_WORKFORCE
				? v->staff.person : v->applicant.person;
	uint32_t first;
	char digest[ID_DIGEST_BYTES];
	const char *key;
	size_t key_len = len;

	if (len == 0) {
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s is blank: every row needs one", columns[c].name);
		return;
	}
	ck->nonblank[c]++;
	/* the limit is in characters: only a long id needs them counted */
	if (len > PSEUDONYM_ID_MAX && utf8_length(text) > PSEUDONYM_ID_MAX) {
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s is longer than %d characters", columns[c].name,
			PSEUDONYM_ID_MAX);
		return;
	}
	if (area < 0)
		return;
	if (ck->block_mode) {
		fingerprint_add(ck, area, text, len);
		v->have_person = true;
		if (ck->emit) {
			key = id_key(text, &key_len, digest);
			pseudonym_make(ck->emit_key, "staff",
				       ck->opt->areas->areas[area].code, key,
				       key_len, person);
		}
		return;
	}
	checker_person(ck->store ? store_key(ck->store) : &ck->own_key,
		       ck->opt->kind, ck->opt->areas->areas[area].code, text,
		       person);
	first = id_set_add(&ck->ids, person, (uint32_t)row->line);
	if (first) {
		char quoted[64];

		textsafe_quote(text, 40, quoted, sizeof(quoted));
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s '%s' is also on line %lu: each must be unique",
			columns[c].name, quoted, (unsigned long)first);
		return;
	}
	v->have_person = true;
}

/*
 * Classify a label: why it is refused (allocated), or NULL with `e` read
 * (id, from_2011, rule).
 */
static char *classify_label(const struct checker *ck, const char *label,
			    struct label_entry *e)
{
	struct ethnicity_match m;
	struct parity_error err = PARITY_ERROR_INIT;

	memset(&m, 0, sizeof(m));
	if (ethnicity_classify(ck->opt->classifier, label, &m, &err) < 0)
		return xstrdup(err.message);
	if (m.id < 0) {
		char quoted[64];
		struct strbuf sb = STRBUF_INIT;

		textsafe_quote(label, 40, quoted, sizeof(quoted));
		strbuf_addf(&sb, "ethnicity '%s' names only a high-level "
			    "group (%s): the store keeps detailed groups, so "
			    "give the detailed group, or map this label to "
			    "one with --aliases FILE or `parity aliases add`",
			    quoted, ethnicity_group_info(m.group)->label);
		return strbuf_detach(&sb, NULL);
	}
	e->id = m.id;
	e->from_2011 = m.from_2011;
	e->rule = (unsigned char)label_rule_of(&m, ck->opt->aliases, label);
	return NULL;
}

/* A label not in the cache: classify it, and keep it there. Apart from
 * classify() so that the common path sets up no error record. */
static const struct label_entry *classify_new(struct checker *ck,
					      const char *label, long line,
					      long column)
{
	struct label_entry *e = label_insert(&ck->labels, label);
	char *error = classify_label(ck, label, e);

	if (error) {
		problem(ck, DIAG_ERROR, line, column, "%s", error);
		if (ck->labels.errors < LABEL_CACHE_MAX) {
			e->error = error;
			ck->labels.errors++;
		} else {
			free(error);
		}
	}
	return e;
}

/* A refused label seen again whose message was not kept: made again. */
static void refused_again(struct checker *ck, const char *label, long line,
			  long column)
{
	struct label_entry scratch;
	char *error;

	memset(&scratch, 0, sizeof(scratch));
	error = classify_label(ck, label, &scratch);
	if (error)
		problem(ck, DIAG_ERROR, line, column, "%s", error);
	free(error);
}

/* Classify through the cache: the label's entry (every label is kept),
 * with its refusal reported when it is refused. */
static const struct label_entry *classify(struct checker *ck,
					  const char *label, long line,
					  long column)
{
	const struct label_entry *e;

	if (ck->labels.cap) {
		e = label_slot(&ck->labels, label);
		if (e->label) {
			if (e->error)
				problem(ck, DIAG_ERROR, line, column, "%s",
					e->error);
			else if (e->id < 0)
				refused_again(ck, label, line, column);
			return e;
		}
	}
	return classify_new(ck, label, line, column);
}

/*
 * The row's ethnicity label: no longer than a text column may be,
 * classified through the cache, and counted for its area. The record
 * keeps the label as given (the cache's copy, which outlives the rows).
 * Returns the category's id, or -1 after an error.
 */
static int check_label(struct checker *ck, struct row_values *v,
		       const char *label, long line,
		       const struct csv_field *f)
{
	const struct label_entry *e;

	if (f->len > RETURN_TEXT_MAX &&
	    utf8_length(label) > RETURN_TEXT_MAX) {
		problem(ck, DIAG_ERROR, line, f->column,
			"ethnicity is longer than %d characters",
			RETURN_TEXT_MAX);
		return -1;
	}
	e = classify(ck, label, line, f->column);
	v->label_2011 = e->from_2011;
	v->staff.label = v->applicant.label = e->label;
	if (ck->count_labels && v->area >= 0)
		tally_add(ck, v->area, e->index, 1);
	return e->id;
}

static void check_salary(struct checker *ck, const struct csv_row *row,
			 struct row_values *v)
{
	const struct csv_field *f = &row->fields[ck->field_of[C_ANNUAL_SALARY]];
	const char *text = trimmed(ck, f);
	double pay, llw = RETURN_LONDON_LIVING_WAGE * RETURN_FULL_TIME_HOURS *
			  RETURN_WEEKS_PER_YEAR;
	char quoted[64];

	if (text[0] == '\0') {
		problem(ck, DIAG_ERROR, row->line, f->column,
			"annual_salary is blank: give full-time-equivalent "
			"annual pay in pounds");
		return;
	}
	ck->nonblank[C_ANNUAL_SALARY]++;
	if (number_parse_grouped(text, true, &pay) < 0) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		problem(ck, DIAG_ERROR, row->line, f->column,
			"annual_salary '%s' is not an amount in pounds (like "
			"52340, 52340.50 or \xC2\xA3" "52,340.00)", quoted);
		return;
	}
	if (!(pay >= RETURN_SALARY_MIN && pay <= RETURN_SALARY_MAX)) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		problem(ck, DIAG_ERROR, row->line, f->column,
			"annual_salary '%s' is outside \xC2\xA3" "5,000 to "
			"\xC2\xA3" "1,000,000: give full-time-equivalent "
			"annual pay in pounds", quoted);
		return;
	}
	if (pay < llw) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		repeated(ck, &ck->below_llw, row->line, f->column, quoted);
	}
	v->staff.annual_salary = pay;
}

static void check_fte(struct checker *ck, const struct csv_row *row,
		      enum col c, struct row_values *v)
{
	const struct csv_field *f = &row->fields[ck->field_of[c]];
	const char *text = trimmed(ck, f);
	double x;
	char quoted[64];

	if (text[0] == '\0')
		return; /* full time */
	ck->nonblank[c]++;
	if (number_parse(text, &x) < 0) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s '%s' is not a number", columns[c].name, quoted);
		return;
	}
	if (c == C_FTE) {
		if (!(x > 0 && x <= 1)) {
			textsafe_quote(text, 40, quoted, sizeof(quoted));
			problem(ck, DIAG_ERROR, row->line, f->column,
				"fte '%s' is out of range: it must be more "
				"than 0 and at most 1", quoted);
			return;
		}
		v->staff.fte = x;
		return;
	}
	if (!(x > 0 && x <= RETURN_MAX_WEEKLY_HOURS)) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		problem(ck, DIAG_ERROR, row->line, f->column,
			"weekly_hours '%s' is out of range: it must be more "
			"than 0 and at most %.0f", quoted,
			RETURN_MAX_WEEKLY_HOURS);
		return;
	}
	x /= RETURN_FULL_TIME_HOURS;
	v->staff.fte = x > 1 ? 1 : x;
}

/* Warn once about each unrecognised value of a coded column. */
static void check_coded(struct checker *ck, enum col c, const char *text,
			long line, long column)
{
	struct coded_seen *seen;
	size_t k;

	if (quality_memo_recognised(&ck->coded_memo[c], columns[c].name, text))
		return;
	for (k = 0; k < ck->ncoded; k++)
		if (ck->coded[k].column == c &&
		    strcmp(ck->coded[k].value, text) == 0)
			return;
	if (ck->ncoded >= CODED_WARN_MAX)
		return;
	ck->coded = xgrow(ck->coded, &ck->coded_cap, ck->ncoded + 1,
			  sizeof(*ck->coded));
	seen = &ck->coded[ck->ncoded++];
	seen->column = c;
	seen->value = xstrdup(text);
	seen->line = line;
	seen->column_at = column;
	seen->block = ck->block;
	if (!ck->block_mode)
		warn_coded(ck, seen);
}

static void warn_coded(struct checker *ck, const struct coded_seen *seen)
{
	char quoted[64];

	textsafe_quote(seen->value, 40, quoted, sizeof(quoted));
	problem(ck, DIAG_WARNING, seen->line, seen->column_at,
		"%s '%s' is not a value parity recognises: it is stored as "
		"given (later rows with it are not listed; see the quality "
		"report)", columns[seen->column].name, quoted);
}

/* A text, coded or date column: the stored value or NULL. */
static const char *check_text(struct checker *ck, const struct csv_row *row,
			      enum col c)
{
	const struct csv_field *f;
	const char *text;
	char *date;

	if (ck->field_of[c] < 0)
		return NULL;
	f = &row->fields[ck->field_of[c]];
	text = trimmed(ck, f);
	if (text[0] == '\0')
		return NULL;
	ck->nonblank[c]++;
	if ((text == f->text ? f->len : strlen(text)) > RETURN_TEXT_MAX &&
	    utf8_length(text) > RETURN_TEXT_MAX) {
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s is longer than %d characters", columns[c].name,
			RETURN_TEXT_MAX);
		return NULL;
	}
	if (columns[c].type == T_CODED)
		check_coded(ck, c, text, row->line, f->column);
	if (columns[c].type != T_DATE)
		return text;
	date = scratch_take(ck, 11);
	if (return_parse_date(text, date) < 0) {
		char quoted[64];

		textsafe_quote(text, 40, quoted, sizeof(quoted));
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s '%s' is not a date: write YYYY-MM-DD or "
			"DD/MM/YYYY", columns[c].name, quoted);
		return NULL;
	}
	return date;
}

static int check_flag(struct checker *ck, const struct csv_row *row,
		      enum col c)
{
	const struct csv_field *f;
	const char *text;
	char quoted[64];
	int v;

	if (ck->field_of[c] < 0)
		return STORE_NOT_GIVEN;
	f = &row->fields[ck->field_of[c]];
	text = trimmed(ck, f);
	if (text[0])
		ck->nonblank[c]++;
	if (return_parse_flag(text, &v) < 0) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s '%s' is not yes or no (yes/no, y/n, true/false "
			"or 1/0)", columns[c].name, quoted);
		return STORE_NOT_GIVEN;
	}
	if (v == STORE_NOT_GIVEN && columns[c].type == T_REQUIRED_FLAG)
		problem(ck, DIAG_ERROR, row->line, f->column,
			"%s is blank: give yes or no", columns[c].name);
	return v;
}

/* The employer of `area`, added when new: found by the area's index, so
 * that rows cost the same in any order. */
static struct employer *employer_for(struct checker *ck, int area)
{
	struct employer *e;

	if (!ck->employer_at)
		ck->employer_at = xcalloc(ck->opt->areas->count,
					  sizeof(*ck->employer_at));
	if (ck->employer_at[area])
		return &ck->employers[ck->employer_at[area] - 1];
	ck->employers = xgrow(ck->employers, &ck->employers_cap,
			      ck->nemployers + 1, sizeof(*ck->employers));
	e = &ck->employers[ck->nemployers];
	memset(e, 0, sizeof(*e));
	e->area = area;
	if (ck->store) {
		quality_init(&e->quality, ck->opt->kind, ck->columns);
		e->quality_ready = true;
	}
	ck->employer_at[area] = (int)++ck->nemployers;
	return e;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (strcmp(path, "-") == 0)
		return "stdin";
	return slash ? slash + 1 : path;
}

/* Store a checked row. Returns -1 when the store fails. */
static int store_row(struct checker *ck, const struct row_values *v,
		     struct parity_error *err)
{
	struct employer *e = employer_for(ck, v->area);
	int k;

	if (!e->added && ck->store) {
		struct store_submission *sub = &e->sub;

		sub->kind = ck->opt->kind;
		snprintf(sub->area_code, sizeof(sub->area_code), "%s",
			 ck->opt->areas->areas[v->area].code);
		sub->year = ck->opt->year;
		snprintf(sub->submitted_at, sizeof(sub->submitted_at), "%s",
			 ck->submitted_at);
		snprintf(sub->submitted_by, sizeof(sub->submitted_by), "%s",
			 ck->opt->submitted_by ? ck->opt->submitted_by : "");
		snprintf(sub->source_name, sizeof(sub->source_name), "%s",
			 base_name(ck->opt->path));
		snprintf(sub->encoding, sizeof(sub->encoding), "UTF-8");
		snprintf(sub->columns, sizeof(sub->columns), "%s", ck->columns);
		sub->alias_version = ck->opt->aliases
				     ? ck->opt->aliases->version : 0;
		snprintf(sub->code_system, sizeof(sub->code_system), "%s",
			 ethnicity_code_system_name(
				 ethnicity_classifier_code_system(
					 ck->opt->classifier)));
		if (store_submission_add(ck->store, sub, err) < 0)
			return -1;
		e->added = true;
	}
	e->rows++;
	e->labels_2011 = e->labels_2011 || v->label_2011;
	e->roma = e->roma || v->staff.ethnicity == ETH_WROM;
	if (ck->opt->kind == STORE_WORKFORCE) {
		const struct store_staff *r = &v->staff;

		if (ck->store && store_staff_add(ck->store, e->sub.id, r, err) < 0)
			return -1;
		pay_push(&e->pay[r->ethnicity], r->annual_salary);
		for (k = 0; k < STORE_EVENT_COUNT; k++)
			store_event_count_add(&e->events[k][r->ethnicity],
					      r->events[k]);
		if (ck->store)
			quality_add_staff(&e->quality, r);
	} else {
		const struct store_applicant *r = &v->applicant;
		struct store_applicant_count *c = &e->applicants[r->ethnicity];

		if (ck->store &&
		    store_applicant_add(ck->store, e->sub.id, r, err) < 0)
			return -1;
		c->applied++;
		c->shortlisted += r->shortlisted;
		c->appointed += r->appointed;
		if (ck->store)
			quality_add_applicant(&e->quality, r);
	}
	return 0;
}

/* A copy of `s` in the rows' own memory, which lasts until they are
 * stored; NULL stays NULL. Chunks are kept for the next block. */
static const char *keep(struct checked_rows *c, const char *s)
{
	size_t len;
	struct arena_chunk *a = c->current;
	char *out;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	while (a && a->cap - a->used < len)
		a = a->next;
	if (!a) {
		size_t cap = len > ARENA_CHUNK ? len : ARENA_CHUNK;

		a = xmalloc(sizeof(*a) + cap);
		a->next = NULL;
		a->used = 0;
		a->cap = cap;
		if (c->current) {
			a->next = c->current->next;
			c->current->next = a;
		} else {
			a->next = c->arena;
			c->arena = a;
		}
	}
	c->current = a;
	out = a->data + a->used;
	memcpy(out, s, len);
	a->used += len;
	return out;
}

/* Keep a checked row, and copies of its values, for the store. */
static void emit_row(struct checked_rows *c, const struct row_values *v)
{
	struct row_values *to;
	struct store_staff *s;

	c->rows = xgrow(c->rows, &c->cap, c->count + 1, sizeof(*c->rows));
	to = &c->rows[c->count++];
	*to = *v;
	s = &to->staff;
	s->pay_band = keep(c, s->pay_band);
	s->grade = keep(c, s->grade);
	s->job_family = keep(c, s->job_family);
	s->sex = keep(c, s->sex);
	s->age_band = keep(c, s->age_band);
	s->disability = keep(c, s->disability);
	s->contract_type = keep(c, s->contract_type);
	s->start_date = keep(c, s->start_date);
	s->leaving_date = keep(c, s->leaving_date);
}

static void checked_rows_reset(struct checked_rows *c)
{
	struct arena_chunk *a;

	for (a = c->arena; a; a = a->next)
		a->used = 0;
	c->current = c->arena;
	c->count = 0;
}

void checked_rows_free(struct checked_rows *c)
{
	if (!c)
		return;
	while (c->arena) {
		struct arena_chunk *next = c->arena->next;

		free(c->arena);
		c->arena = next;
	}
	free(c->rows);
	free(c);
}

static void check_workforce(struct checker *ck, const struct csv_row *row,
			    struct row_values *v)
{
	struct store_staff *s = &v->staff;
	enum col c;

	s->fte = 1;
	if (ck->field_of[C_ANNUAL_SALARY] >= 0)
		check_salary(ck, row, v);
	if (ck->field_of[C_FTE] >= 0)
		check_fte(ck, row, C_FTE, v);
	else if (ck->field_of[C_WEEKLY_HOURS] >= 0)
		check_fte(ck, row, C_WEEKLY_HOURS, v);
	s->pay_band = check_text(ck, row, C_PAY_BAND);
	s->grade = check_text(ck, row, C_GRADE);
	s->job_family = check_text(ck, row, C_JOB_FAMILY);
	s->sex = check_text(ck, row, C_SEX);
	s->age_band = check_text(ck, row, C_AGE_BAND);
	s->disability = check_text(ck, row, C_DISABILITY);
	s->contract_type = check_text(ck, row, C_CONTRACT_TYPE);
	s->start_date = check_text(ck, row, C_START_DATE);
	s->leaving_date = check_text(ck, row, C_LEAVING_DATE);
	for (c = C_PROMOTED; c <= C_LEFT; c++)
		s->events[c - C_PROMOTED] = check_flag(ck, row, c);
	if (s->start_date && s->leaving_date &&
	    strcmp(s->leaving_date, s->start_date) < 0)
		repeated(ck, &ck->leaving_before_start, row->line,
			 row->fields[ck->field_of[C_LEAVING_DATE]].column,
			 s->leaving_date);
}

static void check_recruitment(struct checker *ck, const struct csv_row *row,
			      struct row_values *v)
{
	struct store_applicant *a = &v->applicant;
	int shortlisted = check_flag(ck, row, C_SHORTLISTED);
	int appointed = check_flag(ck, row, C_APPOINTED);

	a->shortlisted = shortlisted == 1;
	a->appointed = appointed == 1;
	if (shortlisted == 0 && appointed == 1)
		problem(ck, DIAG_ERROR, row->line,
			row->fields[ck->field_of[C_APPOINTED]].column,
			"appointed is yes but shortlisted is no: an appointed "
			"applicant must have been shortlisted");
	a->vacancy_id = check_text(ck, row, C_VACANCY_ID);
	a->pay_band = check_text(ck, row, C_PAY_BAND);
}

int checker_row(struct checker *ck, const struct csv_row *row,
		     struct parity_error *err)
{
	size_t need, k;
	struct row_values v;
	enum col id_col = ck->opt->kind == STORE_WORKFORCE ? C_STAFF_ID
							   : C_APPLICANT_ID;
	int eth = -1;

	if (ck->header_unusable)
		return 1;
	if (row->count != ck->nfields) {
		ragged(ck, row);
		return 1;
	}
	ck->rows_checked++;
	/* Room for every field trimmed, plus a written-out date each. */
	need = 64;
	for (k = 0; k < row->count; k++)
		need += row->fields[k].len + 12;
	ck->scratch = xgrow(ck->scratch, &ck->scratch_cap, need, 1);
	ck->scratch_len = 0;
	memset(&v, 0, sizeof(v));
	v.area = row_area(ck, row);
	if (ck->field_of[id_col] >= 0)
		check_id(ck, row, id_col, v.area, &v);
	if (ck->field_of[C_ETHNICITY] >= 0) {
		const struct csv_field *f = &row->fields[ck->field_of[C_ETHNICITY]];
		const char *label = trimmed(ck, f);

		if (label[0])
			ck->nonblank[C_ETHNICITY]++;
		eth = check_label(ck, &v, label, row->line, f);
	}
	v.staff.ethnicity = v.applicant.ethnicity =
		eth >= 0 ? (enum ethnicity_id)eth : ETH_NOT_KNOWN;
	if (ck->opt->kind == STORE_WORKFORCE)
		check_workforce(ck, row, &v);
	else
		check_recruitment(ck, row, &v);
	if (ck->diags->errors > 0)
		return 1;
	if (!v.have_person || eth < 0)
		return 0;
	if (ck->emit) {
		emit_row(ck->emit, &v);
		return 0;
	}
	return store_row(ck, &v, err);
}

static void warn_blank_columns(struct checker *ck)
{
	int c;

	/* not when no row could be read against the header: that is said
	 * row by row */
	if (ck->rows_checked == 0)
		return;
	for (c = 0; c < C_COUNT; c++) {
		if (ck->field_of[c] < 0 || ck->nonblank[c] > 0 ||
		    c == C_STAFF_ID || c == C_APPLICANT_ID ||
		    c == C_ANNUAL_SALARY || c == C_SHORTLISTED ||
		    c == C_APPOINTED ||
		    (c == C_WEEKLY_HOURS && ck->field_of[C_FTE] >= 0))
			continue;
		problem(ck, DIAG_WARNING, 1, ck->header_col[c],
			c == C_ETHNICITY
			? "column '%s' is blank on every row: every record "
			  "will have ethnicity not known"
			: "column '%s' is blank on every row",
			ck->header_text[c]);
	}
}


/* When people of this council object to the processing of their data
 * (ingest/objection.h), the return's aggregates made again without their
 * records, as every other return's were when they objected. */
static int leave_out_objectors(struct checker *ck, struct employer *e,
			       struct parity_error *err)
{
	struct objection_set set;
	size_t n;

	if (store_objection_set_for(ck->store, e->sub.area_code, ck->opt->kind,
				    &set, err) < 0)
		return -1;
	n = set.count;
	objection_set_release(&set);
	return n ? objection_remake(ck->store, &e->sub, err) : 0;
}

static int finish_employer(struct checker *ck, struct employer *e,
			   const char *sha, const char *encoding,
			   struct parity_error *err)
{
	double *all;
	size_t n = 0;
	int eth, k;

	for (eth = 0; eth < ETH_COUNT; eth++) {
		struct pay_vec *p = &e->pay[eth];
		struct store_applicant_count *a = &e->applicants[eth];

		if (p->n) {
			stats_sort_salaries(p->v, p->n);
			if (store_pay_add(ck->store, e->sub.id,
					  (enum ethnicity_id)eth, p->v, p->n,
					  err) < 0)
				return -1;
			for (k = 0; k < STORE_EVENT_COUNT; k++)
				if (store_event_add(ck->store, e->sub.id,
						    (enum ethnicity_id)eth,
						    (enum store_event)k,
						    &e->events[k][eth], err) < 0)
					return -1;
		}
		if (a->applied &&
		    store_applicant_count_add(ck->store, e->sub.id,
					      (enum ethnicity_id)eth, a,
					      err) < 0)
			return -1;
		n += p->n;
	}
	if (ck->opt->kind == STORE_WORKFORCE) {
		all = xmalloc((n ? n : 1) * sizeof(*all));
		n = 0;
		for (eth = 0; eth < ETH_COUNT; eth++) {
			if (e->pay[eth].n)
				memcpy(all + n, e->pay[eth].v,
				       e->pay[eth].n * sizeof(*all));
			n += e->pay[eth].n;
		}
		stats_sort_salaries(all, n);
		quality_set_pay(&e->quality, all, n);
		free(all);
	}
	e->sub.rows = e->rows;
	snprintf(e->sub.sha256, sizeof(e->sub.sha256), "%s", sha);
	snprintf(e->sub.encoding, sizeof(e->sub.encoding), "%s", encoding);
	e->sub.classification = e->labels_2011 && !e->roma ? 2011 : 2021;
	if (store_labels_of(ck, e, err) < 0 ||
	    store_refused_labels_clear(ck->store, ck->opt->kind, "",
				       e->sub.area_code, e->sub.year, err) < 0 ||
	    leave_out_objectors(ck, e, err) < 0)
		return -1;
	return store_submission_finish(ck->store, &e->sub, err);
}

/*
 * Commit, or find that nothing changed. Called with no errors found. All
 * the reading is done before the commit, so that nothing can fail after
 * it: a failure reported means nothing was stored.
 */
int checker_conclude(struct checker *ck, const char *encoding,
		     struct import_result *res, struct parity_error *err)
{
	struct store_submission *prev;
	bool *same;
	size_t k, unchanged = 0;
	int status = -1;

	/* The duplicate-id set has done its work: give its memory back before
	 * the salaries are sorted. */
	free(ck->ids.slots);
	memset(&ck->ids, 0, sizeof(ck->ids));
	prev = xcalloc(ck->nemployers + 1, sizeof(*prev));
	same = xcalloc(ck->nemployers + 1, sizeof(*same));

	for (k = 0; k < ck->nemployers; k++) {
		struct employer *e = &ck->employers[k];

		if (!e->sub.supersedes)
			continue;
		if (store_submission_get(ck->store, e->sub.supersedes, &prev[k],
					 err) < 0)
			goto out;
		prev[k].current = true; /* it is again, if this one goes */
		if (strcmp(prev[k].sha256, res->sha256) == 0) {
			same[k] = true;
			unchanged++;
		}
	}
	res->subs = xcalloc(ck->nemployers + 1, sizeof(*res->subs));
	for (k = 0; k < ck->nemployers; k++) {
		struct employer *e = &ck->employers[k];
		struct import_submission *out = &res->subs[res->count++];

		if (same[k]) {
			if (unchanged < ck->nemployers &&
			    store_submission_discard(ck->store, &e->sub, err) < 0)
				goto out;
		} else if (finish_employer(ck, e, res->sha256, encoding,
					   err) < 0) {
			goto out;
		}
		out->area = e->area;
		out->unchanged = same[k];
		out->sub = same[k] ? prev[k] : e->sub;
		out->quality = e->quality;
		e->quality_ready = false; /* moved to the result */
		if (quality_previous_load(ck->store, &out->sub, &out->previous,
					  err) < 0)
			goto out;
	}
	res->unchanged = unchanged == ck->nemployers;
	if (res->unchanged)
		store_rollback(ck->store);
	else if (store_commit(ck->store, err) < 0)
		goto out;
	status = 0;
out:
	free(same);
	free(prev);
	return status;
}

static int resolve_options(struct checker *ck, struct parity_error *err)
{
	const struct import_options *opt = ck->opt;

	if (opt->year < RETURN_YEAR_MIN || opt->year > RETURN_YEAR_MAX)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"year %d is outside %d-%d", opt->year,
					RETURN_YEAR_MIN, RETURN_YEAR_MAX);
	ck->fixed_area = -1;
	if (opt->area) {
		int a = area_find(opt->areas, opt->area);

		if (a < 0)
			return parity_error_set(err, PARITY_ERR_VALIDATION, NULL,
						0, 0, "unknown area '%s' (see "
						"`parity areas`)", opt->area);
		if (opt->areas->areas[a].type != AREA_BOROUGH &&
		    opt->areas->areas[a].type != AREA_LOCAL_AUTHORITY)
			return parity_error_set(
				err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				"area '%s' is a %s (%s): a return is for one "
				"borough or local authority", opt->area,
				area_type_name(opt->areas->areas[a].type),
				opt->areas->areas[a].code);
		ck->fixed_area = a;
	}
	if (opt->submitted_at) {
		snprintf(ck->submitted_at, sizeof(ck->submitted_at), "%s",
			 opt->submitted_at);
	} else if (clock_utc_now(ck->submitted_at, sizeof(ck->submitted_at),
				 err) < 0) {
		return -1;
	}
	return 0;
}

struct checker *checker_create(const struct import_options *opt,
			       struct store *s, struct diag_list *diags,
			       struct parity_error *err)
{
	struct checker *ck = xcalloc(1, sizeof(*ck));
	int k;

	ck->opt = opt;
	ck->store = s;
	ck->diags = diags;
	ck->count_labels = s != NULL;
	for (k = 0; k < C_COUNT; k++)
		ck->field_of[k] = -1;
	if (!s)
		randombytes_buf(ck->own_key.bytes, sizeof(ck->own_key.bytes));
	if (resolve_options(ck, err) < 0) {
		checker_free(ck);
		return NULL;
	}
	return ck;
}

void checker_finish(struct checker *ck)
{
	warn_blank_columns(ck);
	warn_repeated(ck);
}

void checker_free(struct checker *ck)
{
	size_t k;
	int e;

	if (!ck)
		return;
	for (k = 0; k < C_COUNT; k++)
		free(ck->header_text[k]);
	for (k = 0; k < ck->nfields; k++)
		free(ck->field_names[k]);
	free(ck->field_names);
	for (k = 0; k < ck->nemployers; k++) {
		for (e = 0; e < ETH_COUNT; e++)
			free(ck->employers[k].pay[e].v);
		if (ck->employers[k].quality_ready)
			quality_release(&ck->employers[k].quality);
	}
	free(ck->employers);
	free(ck->employer_at);
	free(ck->employer_text.slots);
	label_cache_free(&ck->labels);
	tally_free(&ck->tally);
	free(ck->ids.slots);
	for (k = 0; k < ck->ncoded; k++)
		free(ck->coded[k].value);
	free(ck->coded);
	free(ck->scratch);
	if (ck->fingerprints)
		for (k = 0; k < FINGERPRINT_PARTS; k++)
			free(ck->fingerprints[k].v);
	free(ck->fingerprints);
	for (k = 0; k < ck->nmerged; k++)
		for (e = 0; e < ETH_COUNT; e++)
			free(ck->merged_aggs[k].pay[e]);
	free(ck->merged_aggs);
	free(ck->merged_areas);
	if (ck->own_diags)
		diag_list_release(ck->own_diags);
	free(ck->own_diags);
	sodium_memzero(&ck->own_key, sizeof(ck->own_key));
	free(ck);
}


/* ---- blocks of one file, checked on several threads ---- */

struct checker *checker_for_blocks(const struct checker *head)
{
	struct checker *ck = xcalloc(1, sizeof(*ck));
	size_t k;

	ck->opt = head->opt;
	ck->own_diags = xmalloc(sizeof(*ck->own_diags));
	diag_list_init(ck->own_diags);
	ck->diags = ck->own_diags;
	memcpy(ck->field_of, head->field_of, sizeof(ck->field_of));
	memcpy(ck->header_col, head->header_col, sizeof(ck->header_col));
	memcpy(ck->columns, head->columns, sizeof(ck->columns));
	memcpy(ck->submitted_at, head->submitted_at, sizeof(ck->submitted_at));
	ck->fixed_area = head->fixed_area;
	ck->file = head->file;
	ck->nfields = head->nfields;
	ck->field_names = xcalloc(head->nfields + 1, sizeof(*ck->field_names));
	for (k = 0; k < head->nfields; k++)
		ck->field_names[k] = xstrdup(head->field_names[k]);
	for (k = 0; k < C_COUNT; k++)
		if (head->header_text[k])
			ck->header_text[k] = xstrdup(head->header_text[k]);
	ck->block_mode = true;
	if (head->store) {
		ck->emit_key = store_key(head->store);
		ck->count_labels = true;
	}
	return ck;
}

void checker_block(struct checker *ck, long index, struct checked_rows *rows)
{
	ck->block = index;
	ck->emit = rows;
	if (rows)
		checked_rows_reset(rows);
}

struct checked_rows *checked_rows_new(void)
{
	return xcalloc(1, sizeof(struct checked_rows));
}

long checker_store_rows(struct checker *ck, const struct checked_rows *rows,
			struct parity_error *err)
{
	size_t k;

	for (k = 0; k < rows->count; k++)
		if (store_row(ck, &rows->rows[k], err) < 0)
			return -1;
	return (long)rows->count;
}

/* Checkers of blocks being merged into one, and what the threads that
 * merge them share. */
struct merge {
	struct checker *into;
	struct checker *const *from;
	size_t n;                  /* checkers, and threads */
	atomic_size_t next_part;
	atomic_bool duplicate;
	/* the aggregates, without a store */
	struct store_aggregates *aggs;
	size_t nemployers;
	int *from_employer;        /* [checker * nemployers + slot]: the
				    * checker's employer index, or -1 */
	atomic_size_t next_group;
};

/* Room for n values, grown as needed and kept from use to use. */
static uint64_t *room(uint64_t **buf, size_t *cap, size_t n)
{
	if (n > *cap || !*buf)
		*buf = xgrow(*buf, cap, n ? n : 1, sizeof(**buf));
	return *buf;
}

/*
 * Each part of the fingerprints (by their top bits, kept so by every
 * checker as it went) is gathered from the checkers, sorted and searched
 * for repeats by whichever thread takes it. The salary sort (stats.h) is a
 * radix sort of 64-bit patterns, which orders fingerprints too.
 */
static void *find_duplicates(void *arg)
{
	struct merge *m = arg;
	uint64_t *all = NULL, *scratch = NULL;
	size_t all_cap = 0, scratch_cap = 0, p, t, k;

	while ((p = atomic_fetch_add(&m->next_part, 1)) < FINGERPRINT_PARTS) {
		size_t n = 0;

		for (t = 0; t < m->n; t++)
			if (m->from[t]->fingerprints)
				n += m->from[t]->fingerprints[p].n;
		all = room(&all, &all_cap, n);
		n = 0;
		for (t = 0; t < m->n; t++) {
			struct fingerprint_part *part;

			if (!m->from[t]->fingerprints)
				continue;
			part = &m->from[t]->fingerprints[p];
			if (part->n)
				memcpy(all + n, part->v, part->n * sizeof(*all));
			n += part->n;
			free(part->v);
			memset(part, 0, sizeof(*part));
		}
		stats_sort_salaries_with((double *)(void *)all, n,
					 room(&scratch, &scratch_cap, n));
		for (k = 1; k < n; k++)
			if (all[k] == all[k - 1]) {
				atomic_store(&m->duplicate, true);
				break;
			}
	}
	free(all);
	free(scratch);
	return NULL;
}

/* Each employer and group's salaries, gathered from the checkers and
 * sorted, by whichever thread takes the group. */
static void *sort_groups(void *arg)
{
	struct merge *m = arg;
	uint64_t *scratch = NULL;
	size_t scratch_cap = 0, g, t;

	while ((g = atomic_fetch_add(&m->next_group, 1)) <
	       m->nemployers * ETH_COUNT) {
		size_t slot = g / ETH_COUNT, e = g % ETH_COUNT, n = 0;
		struct store_aggregates *agg = &m->aggs[slot];
		double *pay;

		if (agg->pay_count[e] == 0)
			continue;
		pay = xmalloc(agg->pay_count[e] * sizeof(*pay));
		for (t = 0; t < m->n; t++) {
			int k = m->from_employer[t * m->nemployers + slot];
			struct pay_vec *p;

			if (k < 0)
				continue;
			p = &m->from[t]->employers[k].pay[e];
			if (p->n)
				memcpy(pay + n, p->v, p->n * sizeof(*pay));
			n += p->n;
			free(p->v);
			memset(p, 0, sizeof(*p));
		}
		agg->pay[e] = pay;
		stats_sort_salaries_with(pay, n, room(&scratch, &scratch_cap,
						      n));
	}
	free(scratch);
	return NULL;
}

/* `fn` on each of the merge's threads, this one among them. */
static void run_threads(struct merge *m, void *(*fn)(void *))
{
	pthread_t t[CHECKER_MERGE_MAX];
	size_t k;

	for (k = 1; k < m->n && k < CHECKER_MERGE_MAX; k++)
		if (pthread_create(&t[k], NULL, fn, m) != 0)
			break;
	fn(m);
	while (--k > 0)
		pthread_join(t[k], NULL);
}

/* File line of line `line` of block `block`. */
static long file_line(const long *base, long block, long line)
{
	return base[block] + line - 1;
}

static void merge_repeated(struct repeated *to, const struct repeated *r,
			   const long *base)
{
	long line;

	if (!r->rows)
		return;
	line = file_line(base, r->block, r->line);
	if (!to->rows || line < to->line) {
		to->line = line;
		to->column = r->column;
		memcpy(to->value, r->value, sizeof(to->value));
	}
	to->rows += r->rows;
}

static int compare_seen(const void *x, const void *y)
{
	const struct coded_seen *a = x, *b = y;

	return (a->line > b->line) - (a->line < b->line);
}

/* Warnings that rows repeat, once each, as one pass gives them. */
static void merge_warnings(struct merge *m, const long *base)
{
	struct checker *head = m->into;
	struct coded_seen *all = NULL;
	size_t n = 0, cap = 0, t, k, j, kept = 0;
	int c;

	for (t = 0; t < m->n; t++) {
		const struct checker *w = m->from[t];

		head->rows_checked += w->rows_checked;
		for (c = 0; c < C_COUNT; c++)
			head->nonblank[c] += w->nonblank[c];
		merge_repeated(&head->below_llw, &w->below_llw, base);
		merge_repeated(&head->leaving_before_start,
			       &w->leaving_before_start, base);
		for (k = 0; k < w->ncoded; k++) {
			all = xgrow(all, &cap, n + 1, sizeof(*all));
			all[n] = w->coded[k];
			all[n].line = file_line(base, w->coded[k].block,
						w->coded[k].line);
			n++;
		}
	}
	if (n > 1)
		qsort(all, n, sizeof(*all), compare_seen);
	for (k = 0; k < n && kept < CODED_WARN_MAX; k++) {
		for (j = 0; j < k; j++)
			if (all[j].column == all[k].column &&
			    strcmp(all[j].value, all[k].value) == 0)
				break;
		if (j < k)
			continue;
		warn_coded(head, &all[k]);
		kept++;
	}
	free(all);
	checker_finish(head);
}

/* Join the checkers' aggregates by employer, in area order, into
 * `into`'s merged aggregates. */
static void merge_aggregates(struct merge *m)
{
	const struct area_set *areas = m->into->opt->areas;
	struct checker *into = m->into;
	int *employer_of = xmalloc((areas->count + 1) * sizeof(*employer_of));
	size_t t, k, n = 0;
	int e, ev;

	for (k = 0; k < areas->count; k++)
		employer_of[k] = -1;
	for (t = 0; t < m->n; t++)
		for (k = 0; k < m->from[t]->nemployers; k++)
			employer_of[m->from[t]->employers[k].area] = 0;
	for (k = 0; k < areas->count; k++)
		if (employer_of[k] == 0)
			employer_of[k] = (int)n++;
	m->nemployers = n;
	m->aggs = xcalloc(n + 1, sizeof(*m->aggs));
	into->merged_areas = xcalloc(n + 1, sizeof(*into->merged_areas));
	for (k = 0; k < areas->count; k++)
		if (employer_of[k] >= 0)
			into->merged_areas[employer_of[k]] = (int)k;
	m->from_employer = xmalloc((m->n * n + 1) *
				   sizeof(*m->from_employer));
	for (k = 0; k < m->n * n; k++)
		m->from_employer[k] = -1;
	for (t = 0; t < m->n; t++)
		for (k = 0; k < m->from[t]->nemployers; k++) {
			const struct employer *from =
				&m->from[t]->employers[k];
			struct store_aggregates *to;
			int slot = employer_of[from->area];

			m->from_employer[t * n + (size_t)slot] = (int)k;
			to = &m->aggs[slot];
			to->workforce_count = 1;
			for (e = 0; e < ETH_COUNT; e++) {
				/* the salaries are gathered by sort_groups() */
				to->pay_count[e] += from->pay[e].n;
				for (ev = 0; ev < STORE_EVENT_COUNT; ev++) {
					to->events[ev][e].yes +=
						from->events[ev][e].yes;
					to->events[ev][e].no +=
						from->events[ev][e].no;
					to->events[ev][e].missing +=
						from->events[ev][e].missing;
				}
				to->applicants[e].applied +=
					from->applicants[e].applied;
				to->applicants[e].shortlisted +=
					from->applicants[e].shortlisted;
				to->applicants[e].appointed +=
					from->applicants[e].appointed;
			}
			if (from->labels_2011 && !from->roma)
				to->classification_2011_count = 1;
		}
	run_threads(m, sort_groups);
	into->merged_aggs = m->aggs;
	into->nmerged = n;
	into->merged = true;
	m->aggs = NULL;
	free(m->from_employer);
	free(employer_of);
}

int checker_merge(struct checker *into, struct checker *const *from,
		  size_t n, const long *line_base)
{
	struct merge m;
	size_t k;

	memset(&m, 0, sizeof(m));
	m.into = into;
	m.from = from;
	m.n = n;
	atomic_init(&m.next_part, 0);
	atomic_init(&m.duplicate, false);
	atomic_init(&m.next_group, 0);
	run_threads(&m, find_duplicates);
	if (atomic_load(&m.duplicate))
		return 0;
	merge_warnings(&m, line_base);
	/* the labels each checker saw, with their counts, for the import to
	 * store with each submission */
	if (into->store)
		for (k = 0; k < n; k++)
			merge_labels(into, from[k]);
	else
		merge_aggregates(&m);
	return 1;
}

/* ---- what the rows add up to, without a store ---- */

/* The same aggregates from the importer's single pass. */
static void take_employers(struct checker *ck, struct analyse_result *res)
{
	const struct area_set *areas = ck->opt->areas;
	size_t k, n = 0;
	int e, ev, area;

	res->aggs = xcalloc(ck->nemployers + 1, sizeof(*res->aggs));
	res->areas = xcalloc(ck->nemployers + 1, sizeof(*res->areas));
	for (area = 0; area < (int)areas->count; area++)
		for (k = 0; k < ck->nemployers; k++) {
			struct employer *from = &ck->employers[k];
			struct store_aggregates *to = &res->aggs[n];

			if (from->area != area)
				continue;
			res->areas[n++] = area;
			to->workforce_count = 1;
			for (e = 0; e < ETH_COUNT; e++) {
				to->pay[e] = from->pay[e].v;
				to->pay_count[e] = from->pay[e].n;
				memset(&from->pay[e], 0, sizeof(from->pay[e]));
				stats_sort_salaries(to->pay[e], to->pay_count[e]);
				for (ev = 0; ev < STORE_EVENT_COUNT; ev++)
					to->events[ev][e] = from->events[ev][e];
				to->applicants[e] = from->applicants[e];
			}
			if (from->labels_2011 && !from->roma)
				to->classification_2011_count = 1;
		}
	res->count = n;
}

void checker_aggregates(struct checker *ck, struct analyse_result *res)
{
	if (!ck->merged) {
		take_employers(ck, res);
		return;
	}
	res->aggs = ck->merged_aggs;
	res->areas = ck->merged_areas;
	res->count = ck->nmerged;
	ck->merged_aggs = NULL;
	ck->merged_areas = NULL;
	ck->nmerged = 0;
	ck->merged = false;
}
