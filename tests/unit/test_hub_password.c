/*
 * test_hub_password.c - which passwords the hub accepts: length in
 * characters (not bytes) and a limit in bytes, well-formed UTF-8 without
 * control characters, the common-password list whatever the case and
 * with digits or symbols added at the end, short pieces repeated, and the
 * account's email.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hub/accounts.h"

#include <string.h>

static void refused(const char *password, const char *email,
		    const char *why)
{
	struct parity_error err = PARITY_ERROR_INIT;

	assert_int_equal(hub_password_acceptable_for(password, email, &err),
			 -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	if (!strstr(err.message, why))
		fail_msg("'%s': '%s' does not say '%s'", password, err.message,
			 why);
	/* a message never quotes the password */
	if (password && strlen(password) >= 4)
		assert_null(strstr(err.message, password));
}

static void accepted(const char *password, const char *email)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (hub_password_acceptable_for(password, email, &err) != 0)
		fail_msg("'%s' refused: %s", password, err.message);
}

static void test_length(void **state)
{
	char long_one[200];

	(void)state;
	refused("", NULL, "too short: at least 12 characters");
	refused("Tr0ub4dor&3", NULL, "too short"); /* 11 */
	accepted("Tr0ub4dor&3x", NULL);            /* 12 */
	/* characters, not bytes: 11 characters in 22 bytes is short */
	refused("ééééééééééé", NULL, "too short");
	accepted("éléphant rose du soir", NULL);
	memset(long_one, 'k', 128);
	long_one[0] = 'x';
	long_one[128] = '\0';
	accepted(long_one, NULL);
	long_one[128] = 'q';
	long_one[129] = '\0';
	refused(long_one, NULL, "too long: at most 128 bytes");
	refused(NULL, NULL, "too short");
}

static void test_text(void **state)
{
	(void)state;
	refused("grey whale \xff migrates", NULL, "not well-formed UTF-8");
	refused("grey whale\tmigrates", NULL, "control character");
	refused("grey whale\nmigrates", NULL, "control character");
	/* spaces are fine: a passphrase */
	accepted("grey whales migrate south", NULL);
}

static void test_common(void **state)
{
	(void)state;
	refused("passwordpassword", NULL, "too common");
	refused("123456789012", NULL, "too common");
	refused("QWERTYUIOPASDFGHJKL", NULL, "too common");
	refused("correct horse battery staple", NULL, "too common");
	/* digits and symbols added at the end */
	refused("Password1234", NULL, "too common");
	refused("Liverpool2024!", NULL, "too common");
	refused("iloveyou!!!!!!", NULL, "too common");
	/* a short piece repeated */
	refused("aaaaaaaaaaaa", NULL, "too common");
	refused("abcabcabcabc", NULL, "too common");
	refused("dragondragon", NULL, "too common");
	/* a common word inside a longer phrase is not the word */
	accepted("password is a poor choice of words", NULL);
	accepted("2024 was a leap year in Liverpool", NULL);
}

static void test_email(void **state)
{
	(void)state;
	refused("jane.smith-Brent-2024", "jane.smith@brent.gov.uk",
		"name in the account's email");
	refused("my name is SMITH really", "jane.smith@brent.gov.uk",
		"name in the account's email");
	/* short pieces of the address are not held against it */
	accepted("a quiet river in June", "jo.ng@brent.gov.uk");
	/* without an email, no such check */
	accepted("jane.smith-Brent-2024", NULL);
	accepted("jane.smith-Brent-2024", "ann.lee@camden.gov.uk");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_common),
		cmocka_unit_test(test_email),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
