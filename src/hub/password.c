/*
 * password.c - which passwords the hub accepts (accounts.h,
 * hub_password_acceptable()).
 *
 * The rules follow NIST SP 800-63B and the NCSC's password guidance:
 * length rather than composition (at least 12 characters, any
 * characters, no rule that a digit or symbol be included), a limit that
 * keeps hashing cheap to refuse (128 bytes), and a list of passwords too
 * common to be safe. The list (data/common-passwords.txt, compiled in; a
 * few hundred entries, see data/PROVENANCE.md) is matched whatever the
 * case, also with the digits and symbols people add at the end taken off
 * ("Liverpool2024!" is "liverpool"), and also against a password that is
 * one short piece repeated ("abcabcabcabc"). A password must not contain
 * the local part of its account's email, or a piece of it.
 *
 * Nothing here keeps or logs a password; messages never quote it.
 */
#include "hub/accounts.h"

#include "base/utf8.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

extern const char parity_data_common_passwords_txt[];
extern const size_t parity_data_common_passwords_txt_len;

/* Whether the `n` bytes at `word` (lower case) are a line of the list. */
static bool listed(const char *word, size_t n)
{
	const char *p = parity_data_common_passwords_txt;
	const char *end = p + parity_data_common_passwords_txt_len;

	if (n == 0)
		return false;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((eol ? eol : end) - p);

		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == n && p[0] != '#' && memcmp(p, word, n) == 0)
			return true;
		p = eol ? eol + 1 : end;
	}
	return false;
}

/* Whether `s` (`n` bytes) is a piece of at most 4 bytes, or a listed
 * word, repeated at least twice. */
static bool repeated(const char *s, size_t n)
{
	size_t unit, k;

	for (unit = 1; unit <= n / 2; unit++) {
		if (n % unit)
			continue;
		for (k = unit; k < n && s[k] == s[k - unit]; k++)
			;
		if (k == n && (unit <= 4 || listed(s, unit)))
			return true;
	}
	return false;
}

/* `s` in ASCII lower case into `out` (HUB_PASSWORD_MAX_BYTES + 1). */
static size_t lower_copy(const char *s, char *out)
{
	size_t n = 0;

	for (; *s && n < HUB_PASSWORD_MAX_BYTES; s++)
		out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
	return n;
}

static bool common(const char *lower, size_t n)
{
	size_t base = n;

	if (listed(lower, n) || repeated(lower, n))
		return true;
	/* "password123!", "liverpool2024" */
	while (base > 0 && (isdigit((unsigned char)lower[base - 1]) ||
			    ispunct((unsigned char)lower[base - 1]) ||
			    lower[base - 1] == ' '))
		base--;
	return base < n && (listed(lower, base) || repeated(lower, base));
}

/* Whether `lower` contains `n` bytes at `piece`, in lower case. */
static bool contains_lower(const char *lower, const char *piece, size_t n)
{
	char want[256];
	size_t k;

	if (n == 0 || n >= sizeof(want))
		return false;
	for (k = 0; k < n; k++)
		want[k] = (char)tolower((unsigned char)piece[k]);
	want[n] = '\0';
	return strstr(lower, want) != NULL;
}

/* Whether the password holds the local part of `email`, or a piece of it
 * of 4 characters or more. */
static bool holds_email(const char *lower, const char *email)
{
	const char *at = email ? strchr(email, '@') : NULL;
	const char *p, *start;

	if (!at)
		return false;
	if (at - email >= 3 && contains_lower(lower, email, (size_t)(at - email)))
		return true;
	for (start = p = email; p <= at; p++) {
		if (p == at || strchr("._-+", *p)) {
			if (p - start >= 4 &&
			    contains_lower(lower, start, (size_t)(p - start)))
				return true;
			start = p + 1;
		}
	}
	return false;
}

int hub_password_acceptable_for(const char *password, const char *email,
				struct parity_error *err)
{
	char lower[HUB_PASSWORD_MAX_BYTES + 1];
	size_t n, k;

	if (!password)
		password = "";
	n = strlen(password);

	if (n > HUB_PASSWORD_MAX_BYTES)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the password is too long: at most %d "
					"bytes", HUB_PASSWORD_MAX_BYTES);
	if (!utf8_valid(password, n, NULL))
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the password is not well-formed "
					"UTF-8 text");
	for (k = 0; k < n; k++)
		if ((unsigned char)password[k] < 0x20 || password[k] == 0x7f)
			return parity_error_set(err, PARITY_ERR_VALIDATION,
						NULL, 0, 0, "the password "
						"holds a control character");
	if (utf8_length(password) < HUB_PASSWORD_MIN_CHARS)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the password is too short: at least "
					"%d characters", HUB_PASSWORD_MIN_CHARS);
	n = lower_copy(password, lower);
	if (common(lower, n))
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the password is too common (one of "
					"the passwords most often used, or "
					"one with digits or symbols added, or "
					"a short piece repeated): choose "
					"another");
	if (holds_email(lower, email))
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the password holds the name in the "
					"account's email address: choose "
					"another");
	return 0;
}

int hub_password_acceptable(const char *password, struct parity_error *err)
{
	return hub_password_acceptable_for(password, NULL, err);
}
