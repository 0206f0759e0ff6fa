/*
 * test_sha256.c - file checksums are SHA-256, as sha256sum gives them,
 * however the bytes arrive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/sha256.h"

#include <string.h>

static void test_known_digests(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct file_digest d;
	char hex[FILE_DIGEST_HEX];

	(void)state;
	/* FIPS 180-2, appendix B.1 */
	assert_int_equal(file_digest_init(&d, &err), 0);
	file_digest_update(&d, "abc", 3);
	assert_int_equal(file_digest_final(&d, hex, &err), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	/* nothing at all */
	assert_int_equal(file_digest_init(&d, &err), 0);
	assert_int_equal(file_digest_final(&d, hex, &err), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

/* A return's first lines fed whole, and a byte at a time, give one
 * digest (the importer feeds blocks of whatever size read() returns). */
static void test_pieces_make_the_same_digest(void **state)
{
	static const char text[] =
		"staff_id,ethnicity,annual_salary\r\n"
		"S1,White British,\"\xC2\xA3" "52,340\"\r\n"
		"S2,Indian,38112.50\r\n";
	struct parity_error err = PARITY_ERROR_INIT;
	struct file_digest whole, bytes;
	char a[FILE_DIGEST_HEX], b[FILE_DIGEST_HEX];
	size_t k;

	(void)state;
	assert_int_equal(file_digest_init(&whole, &err), 0);
	assert_int_equal(file_digest_init(&bytes, &err), 0);
	file_digest_update(&whole, text, strlen(text));
	for (k = 0; k < strlen(text); k++)
		file_digest_update(&bytes, text + k, 1);
	assert_int_equal(file_digest_final(&whole, a, &err), 0);
	assert_int_equal(file_digest_final(&bytes, b, &err), 0);
	assert_string_equal(a, b);
	/* freeing after final, or twice, is safe */
	file_digest_free(&whole);
	file_digest_free(&whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_digests),
		cmocka_unit_test(test_pieces_make_the_same_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
