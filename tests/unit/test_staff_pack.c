/*
 * test_staff_pack.c - staff records packed for the store come back as they
 * went in, and a damaged block is reported, never half read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/staff_pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The k-th record of a run: every column varies, some are not given. */
static void record(size_t k, struct store_staff *r, char *grade, size_t size)
{
	static const enum ethnicity_id groups[] = { ETH_WBRI, ETH_AIND,
						    ETH_BCRB, ETH_NOT_KNOWN,
						    ETH_WROM };

	memset(r, 0, sizeof(*r));
	memset(r->person, (int)(k & 0xFF), PSEUDONYM_BYTES);
	r->person[0] = (unsigned char)(k >> 8);
	r->ethnicity = groups[k % 5];
	r->annual_salary = 21000.5 + (double)k;
	r->fte = k % 3 ? 1.0 : 0.6;
	snprintf(grade, size, "G%zu", k % 700);
	r->grade = grade;
	r->pay_band = k % 4 ? "Band 5" : NULL;
	r->sex = k % 2 ? "Female" : "Male";
	r->start_date = k % 10 ? "2019-04-01" : NULL;
	r->events[STORE_EVENT_PROMOTED] = k % 7 == 0;
	r->events[STORE_EVENT_DISCIPLINARY] = 0;
	r->events[STORE_EVENT_TRAINING] = k % 5 ? 1 : STORE_NOT_GIVEN;
	r->events[STORE_EVENT_LEFT] = STORE_NOT_GIVEN;
}

struct check {
	size_t seen;
	size_t stop_at; /* stop after this many, or 0 */
};

static int check_record(void *ctx, const struct store_staff *got)
{
	struct check *c = ctx;
	struct store_staff want;
	char grade[16];
	int e;

	record(c->seen, &want, grade, sizeof(grade));
	assert_memory_equal(got->person, want.person, PSEUDONYM_BYTES);
	assert_int_equal(got->ethnicity, want.ethnicity);
	assert_true(got->annual_salary == want.annual_salary);
	assert_true(got->fte == want.fte);
	assert_string_equal(got->grade, want.grade);
	if (want.pay_band)
		assert_string_equal(got->pay_band, want.pay_band);
	else
		assert_null(got->pay_band);
	assert_string_equal(got->sex, want.sex);
	if (want.start_date)
		assert_string_equal(got->start_date, want.start_date);
	else
		assert_null(got->start_date);
	assert_null(got->job_family);
	assert_null(got->leaving_date);
	for (e = 0; e < STORE_EVENT_COUNT; e++)
		assert_int_equal(got->events[e], want.events[e]);
	c->seen++;
	return c->stop_at && c->seen == c->stop_at;
}

static void pack(struct staff_packer *p, size_t n)
{
	size_t k;
	char grade[16];
	struct store_staff r;

	for (k = 0; k < n; k++) {
		record(k, &r, grade, sizeof(grade));
		staff_packer_add(p, &r);
	}
}

static void test_round_trip_of_a_full_run(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct staff_packer p;
	struct check c = { 0, 0 };
	const unsigned char *blob;
	size_t len;

	(void)state;
	staff_packer_init(&p);
	pack(&p, STAFF_PACK_MAX);
	assert_true(staff_packer_full(&p));
	blob = staff_packer_encode(&p, &len);
	/* 16 + 8 + 8 + 1 bytes and ten 2-byte indexes a record, plus the
	 * distinct values: far less than a row each in SQLite */
	assert_true(len < (size_t)STAFF_PACK_MAX * 60);
	assert_int_equal(staff_pack_each(blob, len, "s.db", check_record, &c,
					 &err), 0);
	assert_int_equal(c.seen, STAFF_PACK_MAX);
	/* a reset packer starts a new run with its own values */
	staff_packer_reset(&p);
	pack(&p, 3);
	blob = staff_packer_encode(&p, &len);
	c.seen = 0;
	assert_int_equal(staff_pack_each(blob, len, "s.db", check_record, &c,
					 &err), 0);
	assert_int_equal(c.seen, 3);
	staff_packer_free(&p);
}

static void test_reading_stops_when_asked(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct staff_packer p;
	struct check c = { 0, 5 };
	const unsigned char *blob;
	size_t len;

	(void)state;
	staff_packer_init(&p);
	pack(&p, 40);
	blob = staff_packer_encode(&p, &len);
	assert_int_equal(staff_pack_each(blob, len, "s.db", check_record, &c,
					 &err), 1);
	assert_int_equal(c.seen, 5);
	staff_packer_free(&p);
}

static void test_damage_is_reported(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct staff_packer p;
	struct check c = { 0, 0 };
	const unsigned char *blob;
	unsigned char *copy;
	size_t len, cut;

	(void)state;
	staff_packer_init(&p);
	pack(&p, 50);
	blob = staff_packer_encode(&p, &len);
	copy = malloc(len + 1);
	assert_non_null(copy);
	/* cut anywhere: an error, and no record handed on */
	for (cut = 0; cut < len; cut += 7) {
		memcpy(copy, blob, len);
		c.seen = 0;
		err = (struct parity_error)PARITY_ERROR_INIT;
		assert_int_equal(staff_pack_each(copy, cut, "s.db",
						 check_record, &c, &err), -1);
		assert_int_equal(err.code, PARITY_ERR_STORE);
		assert_string_equal(err.file, "s.db");
		assert_int_equal(c.seen, 0);
	}
	/* an unknown version */
	memcpy(copy, blob, len);
	copy[0] = 9;
	assert_int_equal(staff_pack_each(copy, len, "s.db", check_record, &c,
					 &err), -1);
	assert_non_null(strstr(err.message, "unknown format"));
	/* a byte too many */
	memcpy(copy, blob, len);
	copy[len] = 0;
	assert_int_equal(staff_pack_each(copy, len + 1, "s.db", check_record,
					 &c, &err), -1);
	assert_non_null(strstr(err.message, "after its end"));
	/* an index past the column's values: the last record's
	 * leaving_date, the blob's last two bytes */
	memcpy(copy, blob, len);
	copy[len - 2] = 0xFF;
	assert_int_equal(staff_pack_each(copy, len, "s.db", check_record, &c,
					 &err), -1);
	assert_int_equal(c.seen, 0);
	free(copy);
	staff_packer_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_of_a_full_run),
		cmocka_unit_test(test_reading_stops_when_asked),
		cmocka_unit_test(test_damage_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
