/*
 * number.c - strict decimal number parsing (see number.h).
 */
#include "base/number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy `s` without surrounding spaces, checking the strict grammar:
 * [-+]?digits[.digits] with optional correctly placed thousands commas. */
static int normalise(const char *s, bool grouped, bool money, char *out,
		     size_t size)
{
	size_t n = 0, digits_before = 0, group = 0;
	bool seen_comma = false, seen_point = false, any_digit = false;
	const char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (s < end && (*s == '-' || *s == '+')) {
		if (n + 1 >= size)
			return -1;
		out[n++] = *s++;
	}
	if (money && end - s >= 2 && (unsigned char)s[0] == 0xC2 &&
	    (unsigned char)s[1] == 0xA3)
		s += 2; /* '£' in UTF-8 */
	for (; s < end; s++) {
		char c = *s;

		if (isdigit((unsigned char)c)) {
			any_digit = true;
			if (!seen_point) {
				digits_before++;
				group++;
			}
		} else if (c == ',' && grouped && !seen_point) {
			if ((!seen_comma && (group < 1 || group > 3)) ||
			    (seen_comma && group != 3))
				return -1;
			seen_comma = true;
			group = 0;
			continue;
		} else if (c == '.' && !seen_point) {
			if (seen_comma && group != 3)
				return -1;
			seen_point = true;
		} else {
			return -1;
		}
		if (n + 1 >= size)
			return -1;
		out[n++] = c;
	}
	if (!any_digit || (seen_comma && !seen_point && group != 3))
		return -1;
	if (seen_point && out[n - 1] == '.')
		return -1;
	(void)digits_before;
	out[n] = '\0';
	return 0;
}

static int convert(const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno == ERANGE || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/*
 * The common case, digits with at most two decimals ('52340', '0.5',
 * '52340.57'), without strtod: the digits make an integer N, exact in a
 * double, and N / 10^d is correctly rounded, as strtod's result is, so
 * the two agree to the bit. 1 when done, 0 to take the general path.
 */
static int plain(const char *s, double *out)
{
	uint64_t n = 0;
	int digits = 0, decimals = -1;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			n = n * 10 + (uint64_t)(*s - '0');
			if (++digits > 15)
				return 0;
			if (decimals >= 0 && ++decimals > 2)
				return 0;
		} else if (*s == '.' && decimals < 0 && digits > 0) {
			decimals = 0;
		} else {
			return 0;
		}
	}
	if (digits == 0 || decimals == 0)
		return 0;
	*out = decimals == 2 ? (double)n / 100.0
	       : decimals == 1 ? (double)n / 10.0 : (double)n;
	return 1;
}

int number_parse(const char *s, double *out)
{
	char buf[64];

	if (plain(s, out))
		return 0;
	if (normalise(s, false, false, buf, sizeof(buf)) < 0)
		return -1;
	return convert(buf, out);
}

int number_parse_grouped(const char *s, bool money, double *out)
{
	char buf[64];

	if (plain(s, out))
		return 0;
	if (normalise(s, true, money, buf, sizeof(buf)) < 0)
		return -1;
	return convert(buf, out);
}

int number_parse_int(const char *s, long min, long max, long *out)
{
	double v;

	/* the range first: converting a double outside long's range to long
	 * is undefined */
	if (strchr(s, '.') || number_parse(s, &v) < 0 || !(v >= (double)min) ||
	    !(v <= (double)max) || v != floor(v))
		return -1;
	*out = (long)v;
	return 0;
}

double round_half_away(double v, int places)
{
	double scale = pow(10.0, places);
	double x = v * scale;

	/* nudge by a relative epsilon so that 0.125 stored as 0.12499999...
	 * still rounds as the decimal it was written as */
	x = x >= 0 ? floor(x + 0.5 + 1e-9 * fabs(x)) : -floor(-x + 0.5 + 1e-9 * fabs(x));
	return x / scale;
}

/* Digits with a comma between each three before the decimal point:
 * "-8799736.5" as "-8,799,736.5". */
static void group_thousands(const char *digits, char *buf, size_t size)
{
	size_t n = strcspn(digits, "."), i, o = 0, start = 0;

	if (size == 0)
		return;
	if (digits[0] == '-') {
		if (o + 1 < size)
			buf[o++] = '-';
		start = 1;
	}
	for (i = start; i < n && o + 2 < size; i++) {
		buf[o++] = digits[i];
		if (i + 1 < n && (n - i - 1) % 3 == 0)
			buf[o++] = ',';
	}
	for (i = n; digits[i] && o + 1 < size; i++)
		buf[o++] = digits[i];
	buf[o] = '\0';
}

void number_format_grouped(double v, int places, char *buf, size_t size)
{
	char digits[64];

	snprintf(digits, sizeof(digits), "%.*f", places, v);
	group_thousands(digits, buf, size);
}
