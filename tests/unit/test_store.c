/*
 * test_store.c - the store: creation and the key file, the connection
 * settings it insists on, migrations, immutable versioned submissions,
 * records, aggregates pooled across submissions, and pseudonyms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "store/pseudonym.h"
#include "store/service_store.h"
#include "store/staff_pack.h"
#include "store/store.h"

#include <math.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
	char dir[64];
	char db[128];
	char key[128];
};

static void remove_files(const struct fixture *f)
{
	char path[160];

	unlink(f->db);
	unlink(f->key);
	snprintf(path, sizeof(path), "%s-wal", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->db);
	unlink(path);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/t.db.key", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	remove_files(f);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct store *open_new(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = NULL;

	assert_int_equal(store_create(f->db, &err), 0);
	assert_int_equal(store_open(&s, f->db, &err), 0);
	return s;
}

/* Run SQL on the database directly, as another program would. */
static long raw_int(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long v = -1;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void raw_exec(const char *db, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void test_create_makes_private_files(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;
	struct stat st;

	s = open_new(f);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
	assert_int_equal(stat(f->db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, PSEUDONYM_KEY_BYTES);
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM pragma_journal_mode"
				 " WHERE journal_mode = 'wal'"), 1);
	/* never over an existing store, nor an existing key */
	assert_int_equal(store_create(f->db, &err), -1);
	assert_non_null(strstr(err.message, "already exists"));
	unlink(f->db);
	assert_int_equal(store_create(f->db, &err), -1);
	assert_non_null(strstr(err.message, "key file already exists"));
	assert_int_equal(access(f->db, F_OK), -1);
}

static void test_open_refuses_missing_or_open_key(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;
	char moved[160];

	store_close(open_new(f));
	assert_int_equal(chmod(f->key, 0640), 0);
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_null(s);
	assert_int_equal(err.code, PARITY_ERR_STORE);
	assert_non_null(strstr(err.message, "read or written by others"));
	assert_int_equal(chmod(f->key, 0604), 0);
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_int_equal(chmod(f->key, 0600), 0);
	snprintf(moved, sizeof(moved), "%s.moved", f->key);
	assert_int_equal(rename(f->key, moved), 0);
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_non_null(strstr(err.message, "key file is missing"));
	assert_int_equal(rename(moved, f->key), 0);
	assert_int_equal(store_open(&s, f->db, &err), 0);
	store_close(s);
	assert_int_equal(truncate(f->key, 31), 0);
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_non_null(strstr(err.message, "damaged"));
}

static void test_open_refuses_what_is_not_a_store(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;
	FILE *out;

	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_non_null(strstr(err.message, "parity init"));
	/* a text file with a key beside it */
	store_close(open_new(f));
	unlink(f->db);
	out = fopen(f->db, "w");
	assert_non_null(out);
	fputs("staff_id,ethnicity\n1,Indian\n", out);
	fclose(out);
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_non_null(strstr(err.message, "not"));
	/* another program's SQLite database */
	unlink(f->db);
	raw_exec(f->db, "CREATE TABLE t (x)");
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_non_null(strstr(err.message, "not a parity store"));
}

static void test_newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;

	store_close(open_new(f));
	raw_exec(f->db, "PRAGMA user_version = 99");
	assert_int_equal(store_open(&s, f->db, &err), -1);
	assert_non_null(strstr(err.message, "newer parity"));
}

extern const char parity_data_0001_init_sql[];

static void fill_sub(struct store_submission *sub, enum store_kind kind,
		     const char *area, int year);

/* A store made by a parity that knew only schema version 1, holding one
 * workforce return, is migrated at open: its records keep their
 * submission, foreign keys hold, and service returns can then be added
 * beside it for the same area and year. */
static int count_white_british(void *ctx, const struct store_staff *r)
{
	size_t *n = ctx;

	assert_int_equal(r->ethnicity, ETH_WBRI);
	assert_true(r->annual_salary == 30000);
	(*n)++;
	return 0;
}

static void test_version_1_store_is_migrated(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission sub, got;
	struct store *s;
	size_t n = 0;
	sqlite3 *h;

	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, parity_data_0001_init_sql, NULL, NULL,
				      NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
		"INSERT INTO submission VALUES (7, 'workforce', 'E09000005', "
		"2024, 1, 'current', NULL, '2024-05-01T09:30:00Z', 'tester', "
		"'f.csv', 1, 'abc', 'UTF-8', 'staff_id');"
		"INSERT INTO staff (submission_id, person, ethnicity, "
		"annual_salary, fte) VALUES (7, x'00', 'WBRI', 30000, 1);"
		"PRAGMA application_id = 1347572825; PRAGMA user_version = 1;",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chmod(f->db, 0600);
	assert_int_equal(pseudonym_key_create(f->key, &err), 0);

	assert_int_equal(store_open(&s, f->db, &err), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, 7);
	assert_string_equal(got.subject, "");
	/* 0002 read it as a 2021 return, and 0003's rebuild kept that */
	assert_int_equal(got.classification, 2021);
	fill_sub(&sub, STORE_SERVICE, "E09000005", 2024);
	snprintf(sub.subject, sizeof(sub.subject), "youth-justice");
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(sub.version, 1);
	assert_int_equal(sub.supersedes, 0);
	assert_int_equal(store_commit(s, &err), 0);
	/* the record stored as a row before 0004 is read as it was */
	assert_int_equal(store_staff_each(s, 7, count_white_british, &n,
					  &err), 0);
	assert_int_equal(n, 1);
	store_close(s);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM staff "
				 "JOIN submission ON submission.id = "
				 "staff.submission_id"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
				 "pragma_foreign_key_check"), 0);
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM submission "
				 "WHERE classification = '2021'"), 2);
}

static int count_walk(void *ctx, const char *stage, const char *group,
		      double count)
{
	double *sum = ctx;

	(void)stage;
	(void)group;
	if (isnan(count))
		sum[1] += 1;
	else
		sum[0] += count;
	return 0;
}

/* Service returns are versioned per service, area and year: two services
 * for the same borough and year are both current; a second version of one
 * supersedes only it. */
static void test_service_returns(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission a, b, c;
	struct store_service_return got;
	struct store *s = open_new(f);
	double sum[2] = { 0, 0 };
	int k;

	fill_sub(&a, STORE_SERVICE, "E09000005", 2023);
	b = a;
	c = a;
	snprintf(a.subject, sizeof(a.subject), "youth-justice");
	snprintf(b.subject, sizeof(b.subject), "stop-and-search");
	snprintf(c.subject, sizeof(c.subject), "youth-justice");
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &a, &err), 0);
	assert_int_equal(store_service_return_add(s, a.id, "2023-24",
						  "detailed", &err), 0);
	assert_int_equal(store_service_count_add(s, a.id, "arrest", "BCRB",
						 12, 2, &err), 0);
	assert_int_equal(store_service_count_add(s, a.id, "arrest", "WBRI",
						 NAN, 3, &err), 0);
	assert_int_equal(store_submission_add(s, &b, &err), 0);
	assert_int_equal(store_service_return_add(s, b.id, "2023", "high",
						  &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(b.supersedes, 0);

	assert_int_equal(store_service_current(s, "youth-justice", "E09000005",
					       2023, &got, &err), 1);
	assert_int_equal(got.sub.id, a.id);
	assert_string_equal(got.period, "2023-24");
	assert_string_equal(got.level, "detailed");
	assert_int_equal(store_service_counts_each(s, a.id, count_walk, sum,
						   &err), 0);
	assert_true(sum[0] == 12 && sum[1] == 1);
	assert_int_equal(store_service_current(s, "stop-and-search",
					       "E09000005", 2023, &got, &err),
			 1);
	assert_string_equal(got.level, "high");
	assert_int_equal(store_service_current(s, "youth-justice", "E09000005",
					       2022, &got, &err), 0);

	/* A new version of one service; then one taken back. */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &c, &err), 0);
	assert_int_equal(c.version, 2);
	assert_int_equal(c.supersedes, a.id);
	assert_int_equal(store_service_return_add(s, c.id, "2023-24", "high",
						  &err), 0);
	assert_int_equal(store_service_count_add(s, c.id, "arrest", "B", 5, 2,
						 &err), 0);
	assert_int_equal(store_submission_discard(s, &c, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_service_current(s, "youth-justice", "E09000005",
					       2023, &got, &err), 1);
	assert_int_equal(got.sub.id, a.id);
	for (k = 0; k < 2; k++)
		assert_int_equal(store_service_current(
			s, k ? "stop-and-search" : "youth-justice",
			"E09000005", 2023, &got, &err), 1);
	store_close(s);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM service_count"),
			 2);
}

static void fill_sub(struct store_submission *sub, enum store_kind kind,
		     const char *area, int year)
{
	memset(sub, 0, sizeof(*sub));
	sub->kind = kind;
	snprintf(sub->area_code, sizeof(sub->area_code), "%s", area);
	sub->year = year;
	snprintf(sub->submitted_at, sizeof(sub->submitted_at),
		 "2024-05-01T09:30:00Z");
	snprintf(sub->submitted_by, sizeof(sub->submitted_by), "tester");
	snprintf(sub->source_name, sizeof(sub->source_name), "f.csv");
	snprintf(sub->encoding, sizeof(sub->encoding), "UTF-8");
	snprintf(sub->columns, sizeof(sub->columns), "staff_id,ethnicity");
}

/* Add a finished submission with `n` staff of group `eth` paid from
 * `pay0` upwards in steps of 1000. */
static int64_t add_workforce(struct store *s, const char *area, int year,
			     enum ethnicity_id eth, size_t n, double pay0,
			     const char *sha)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission sub;
	struct store_staff r;
	struct store_event_count ev = { 1, (long)n - 1, 0 };
	double *pay = xcalloc(n, sizeof(*pay));
	size_t k;

	fill_sub(&sub, STORE_WORKFORCE, area, year);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	for (k = 0; k < n; k++) {
		memset(&r, 0, sizeof(r));
		r.person[0] = (unsigned char)k;
		r.ethnicity = eth;
		r.annual_salary = pay0 + 1000.0 * (double)k;
		r.fte = 1;
		r.grade = k % 2 ? "G5" : NULL;
		r.events[0] = k == 0;
		r.events[1] = 0;
		r.events[2] = STORE_NOT_GIVEN;
		r.events[3] = 1;
		pay[k] = r.annual_salary;
		assert_int_equal(store_staff_add(s, sub.id, &r, &err), 0);
	}
	assert_int_equal(store_pay_add(s, sub.id, eth, pay, n, &err), 0);
	assert_int_equal(store_event_add(s, sub.id, eth, STORE_EVENT_PROMOTED,
					 &ev, &err), 0);
	sub.rows = (long)n;
	snprintf(sub.sha256, sizeof(sub.sha256), "%s", sha);
	assert_int_equal(store_submission_finish(s, &sub, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	free(pay);
	return sub.id;
}

static void test_versions_supersede_and_stay(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission got, *list;
	struct store *s = open_new(f);
	int64_t v1, v2, other;
	size_t n;

	v1 = add_workforce(s, "E09000005", 2024, ETH_AIND, 3, 20000, "aa");
	other = add_workforce(s, "E09000007", 2024, ETH_AIND, 1, 20000, "bb");
	v2 = add_workforce(s, "E09000005", 2024, ETH_AIND, 2, 30000, "cc");
	assert_int_equal(store_submission_get(s, v2, &got, &err), 0);
	assert_int_equal(got.version, 2);
	assert_true(got.current);
	assert_int_equal(got.supersedes, v1);
	assert_int_equal(got.rows, 2);
	assert_string_equal(got.sha256, "cc");
	assert_string_equal(got.submitted_by, "tester");
	assert_string_equal(got.columns, "staff_id,ethnicity");
	assert_int_equal(store_submission_get(s, v1, &got, &err), 0);
	assert_false(got.current);
	assert_int_equal(got.rows, 3); /* the old version is kept whole */
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, v2);
	assert_int_equal(store_submission_current(s, STORE_RECRUITMENT,
						  "E09000005", 2024, &got,
						  &err), 0);
	assert_int_equal(store_submissions_list(s, &all, &list, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, v1);
	assert_int_equal(list[1].id, v2);
	assert_int_equal(list[2].id, other);
	free(list);
	all.current_only = true;
	all.area_code = "E09000005";
	assert_int_equal(store_submissions_list(s, &all, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, v2);
	free(list);
	assert_int_equal(store_submission_get(s, 999, &got, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	store_close(s);
}

static void test_rollback_and_discard_leave_no_trace(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission sub, got;
	struct store_staff r;
	struct store *s = open_new(f);
	int64_t v1;

	v1 = add_workforce(s, "E09000005", 2024, ETH_WBRI, 2, 25000, "aa");
	/* a rolled-back import */
	fill_sub(&sub, STORE_WORKFORCE, "E09000005", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	memset(&r, 0, sizeof(r));
	r.ethnicity = ETH_WBRI;
	r.annual_salary = 30000;
	r.fte = 1;
	assert_int_equal(store_staff_add(s, sub.id, &r, &err), 0);
	store_rollback(s);
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, v1);
	/* a discarded one, in a transaction that commits */
	fill_sub(&sub, STORE_WORKFORCE, "E09000005", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(store_staff_add(s, sub.id, &r, &err), 0);
	assert_int_equal(store_submission_discard(s, &sub, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, v1);
	assert_true(got.current);
	store_close(s);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM submission"), 1);
	/* packed in one block, none left as rows */
	assert_int_equal(raw_int(f->db, "SELECT sum(records) FROM staff_block"),
			 2);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM staff"), 0);
	/* writes outside a transaction are refused */
	assert_int_equal(store_open(&s, f->db, &err), 0);
	assert_int_equal(store_staff_add(s, v1, &r, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_INTERNAL);
	store_close(s);
}

/* Salaries in the order the records were added. */
struct salaries {
	double v[STAFF_PACK_MAX + 20];
	size_t n;
};

static int collect_salary(void *ctx, const struct store_staff *r)
{
	struct salaries *c = ctx;

	c->v[c->n++] = r->annual_salary;
	return 0;
}

/* Records of two returns added in turn, and more than a block of one of
 * them, come back to each return in the order they were added; a rolled
 * back import leaves no blocks. */
static void test_records_interleaved_and_in_order(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_submission a, b;
	struct store_staff r;
	struct salaries *got = xcalloc(1, sizeof(*got));
	size_t k, n = 3 * STAFF_PACK_MAX / 2 + 10;

	fill_sub(&a, STORE_WORKFORCE, "E09000005", 2024);
	fill_sub(&b, STORE_WORKFORCE, "E09000007", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &a, &err), 0);
	assert_int_equal(store_submission_add(s, &b, &err), 0);
	memset(&r, 0, sizeof(r));
	r.ethnicity = ETH_AIND;
	r.fte = 1;
	for (k = 0; k < n; k++) {
		r.annual_salary = 20000 + (double)k;
		assert_int_equal(store_staff_add(s, k % 3 ? a.id : b.id, &r,
						 &err), 0);
	}
	/* read inside the transaction: what is waiting is written first */
	assert_int_equal(store_staff_each(s, b.id, collect_salary, got, &err),
			 0);
	assert_int_equal(got->n, (n + 2) / 3);
	for (k = 0; k < got->n; k++)
		assert_true(got->v[k] == 20000 + 3.0 * (double)k);
	assert_int_equal(store_commit(s, &err), 0);
	got->n = 0;
	assert_int_equal(store_staff_each(s, a.id, collect_salary, got, &err),
			 0);
	assert_int_equal(got->n, n - (n + 2) / 3);
	for (k = 1; k < got->n; k++)
		assert_true(got->v[k] > got->v[k - 1]);
	/* an import rolled back, with records still waiting, adds nothing */
	fill_sub(&a, STORE_WORKFORCE, "E09000008", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &a, &err), 0);
	assert_int_equal(store_staff_add(s, a.id, &r, &err), 0);
	store_rollback(s);
	store_close(s);
	assert_int_equal(raw_int(f->db, "SELECT sum(records) FROM staff_block"),
			 (long long)n);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM staff_block "
				 "WHERE submission_id = 1"), 2);
	free(got);
}

struct walk {
	size_t count;
	double total;
	size_t with_grade;
	int promoted, training;
};

static int walk_staff(void *ctx, const struct store_staff *r)
{
	struct walk *w = ctx;

	w->count++;
	w->total += r->annual_salary;
	if (r->grade) {
		assert_string_equal(r->grade, "G5");
		w->with_grade++;
	}
	assert_null(r->sex);
	w->promoted += r->events[STORE_EVENT_PROMOTED] == 1;
	w->training += r->events[STORE_EVENT_TRAINING] == STORE_NOT_GIVEN;
	assert_int_equal(r->ethnicity, ETH_BCRB);
	return 0;
}

static void test_records_round_trip(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct walk w = { 0, 0, 0, 0, 0 };
	int64_t id = add_workforce(s, "E09000005", 2024, ETH_BCRB, 4, 21000,
				   "aa");

	assert_int_equal(store_staff_each(s, id, walk_staff, &w, &err), 0);
	assert_int_equal(w.count, 4);
	assert_true(w.total == 21000 + 22000 + 23000 + 24000);
	assert_int_equal(w.with_grade, 2);
	assert_int_equal(w.promoted, 1);
	assert_int_equal(w.training, 4);
	store_close(s);
	assert_int_equal(raw_int(f->db, "SELECT records FROM staff_block WHERE "
				 "seq = 0"), 4);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM staff"), 0);
}

static void test_aggregates_pool_current_submissions(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_aggregates agg;
	const char *areas[] = { "E09000005", "E09000007", "E09000009" };
	struct store_submission sub;
	struct store_applicant_count ac = { 10, 4, 1 };
	size_t k;

	add_workforce(s, "E09000005", 2024, ETH_AIND, 3, 20000, "a");
	add_workforce(s, "E09000005", 2024, ETH_AIND, 2, 20500, "b");
	add_workforce(s, "E09000007", 2024, ETH_AIND, 3, 19000, "c");
	add_workforce(s, "E09000007", 2023, ETH_AIND, 5, 50000, "d");
	fill_sub(&sub, STORE_RECRUITMENT, "E09000007", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(store_applicant_count_add(s, sub.id, ETH_AIND, &ac,
						   &err), 0);
	assert_int_equal(store_commit(s, &err), 0);

	assert_int_equal(store_aggregates_load(s, areas, 3, 2024, &agg, &err), 0);
	assert_int_equal(agg.workforce_count, 2);
	assert_int_equal(agg.recruitment_count, 1);
	assert_int_equal(agg.submission_count, 3);
	/* the current Brent version (20500, 21500) and Camden (19000..21000),
	 * merged in order; the superseded version and 2023 left out */
	assert_int_equal(agg.pay_count[ETH_AIND], 5);
	assert_true(agg.pay[ETH_AIND][0] == 19000);
	assert_true(agg.pay[ETH_AIND][1] == 20000);
	assert_true(agg.pay[ETH_AIND][2] == 20500);
	assert_true(agg.pay[ETH_AIND][3] == 21000);
	assert_true(agg.pay[ETH_AIND][4] == 21500);
	for (k = 0; k < ETH_COUNT; k++)
		if (k != ETH_AIND)
			assert_int_equal(agg.pay_count[k], 0);
	assert_int_equal(agg.events[STORE_EVENT_PROMOTED][ETH_AIND].yes, 2);
	assert_int_equal(agg.events[STORE_EVENT_PROMOTED][ETH_AIND].no, 3);
	assert_int_equal(agg.applicants[ETH_AIND].applied, 10);
	assert_int_equal(agg.applicants[ETH_AIND].appointed, 1);
	assert_int_equal(agg.classification_2011_count, 0);
	store_aggregates_release(&agg);

	/* Camden's 2023 return in 2011 categories: recorded, read back and
	 * counted when pooled */
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000007", 2023, &sub,
						  &err), 1);
	assert_int_equal(sub.classification, 2021);
	sub.classification = 2011;
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_finish(s, &sub, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_submission_get(s, sub.id, &sub, &err), 0);
	assert_int_equal(sub.classification, 2011);
	assert_int_equal(store_aggregates_load(s, areas, 3, 2023, &agg, &err), 0);
	assert_int_equal(agg.classification_2011_count, 1);
	store_aggregates_release(&agg);
	store_close(s);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM submission "
				 "WHERE classification = '2011'"), 1);
}

static void test_pseudonyms(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct pseudonym_key k1, k2;
	unsigned char a[PSEUDONYM_BYTES], b[PSEUDONYM_BYTES];

	assert_int_equal(pseudonym_key_create(f->key, &err), 0);
	assert_int_equal(pseudonym_key_load(f->key, &k1, &err), 0);
	unlink(f->key);
	assert_int_equal(pseudonym_key_create(f->key, &err), 0);
	assert_int_equal(pseudonym_key_load(f->key, &k2, &err), 0);
	assert_memory_not_equal(k1.bytes, k2.bytes, PSEUDONYM_KEY_BYTES);
	pseudonym_make(&k1, "staff", "E09000005", "10023", 5, a);
	pseudonym_make(&k1, "staff", "E09000005", "10023", 5, b);
	assert_memory_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k1, "staff", "E09000007", "10023", 5, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k1, "applicant", "E09000005", "10023", 5, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k2, "staff", "E09000005", "10023", 5, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k1, "staff", "E09000005", "1002", 4, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_key_wipe(&k1);
	pseudonym_key_wipe(&k2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_makes_private_files,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_missing_or_open_key,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_what_is_not_a_store,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions_supersede_and_stay,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_and_discard_leave_no_trace,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_interleaved_and_in_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_round_trip,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_aggregates_pool_current_submissions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pseudonyms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_1_store_is_migrated,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_service_returns, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
