/*
 * clock.c - now, in UTC, as parity records it, and recorded times written
 * and read as seconds since 1970 (clock.h). Reading does its own calendar
 * arithmetic (days from a civil date, after Howard Hinnant's
 * "chrono-Compatible Low-Level Date Algorithms") rather than strptime()
 * and timegm(), which accept more than a recorded time and depend on the
 * C library.
 */
#include "base/clock.h"

#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

int clock_utc_now(char *out, size_t size, struct parity_error *err)
{
	time_t t = time(NULL);
	struct tm tm;

	if (t == (time_t)-1 || !gmtime_r(&t, &tm) ||
	    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"cannot read the clock");
	return 0;
}

void clock_utc_format(long t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (size == 0)
		return;
	out[0] = '\0';
	if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 > 9999 ||
	    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

void clock_utc_date(long t, char *out, size_t size)
{
	char when[CLOCK_UTC_SIZE];

	if (size == 0)
		return;
	clock_utc_format(t, when, sizeof(when));
	/* the date is the recorded time up to its 'T' */
	snprintf(out, size, "%.10s", when);
}

/* `n` digits at `s` as a number, or -1 when they are not all digits. */
static long digits(const char *s, int n)
{
	long v = 0;
	int k;

	for (k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int clock_utc_parse(const char *text, long *out, struct parity_error *err)
{
	static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
					     30, 31, 30, 31 };
	size_t n = strlen(text);
	long y, mo, d, h = 0, mi = 0, s = 0;

	if ((n != 10 && n != 20) || text[4] != '-' || text[7] != '-')
		goto bad;
	y = digits(text, 4);
	mo = digits(text + 5, 2);
	d = digits(text + 8, 2);
	if (n == 20) {
		if (text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
		    text[19] != 'Z')
			goto bad;
		h = digits(text + 11, 2);
		mi = digits(text + 14, 2);
		s = digits(text + 17, 2);
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days[mo - 1] + (mo == 2 && leap(y)) || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 59)
		goto bad;
	*out = days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + s;
	return 0;
bad:
	return parity_error_set(err, PARITY_ERR_PARSE, NULL, 0, 0,
				"'%s' is not a date (YYYY-MM-DD) or a time in "
				"UTC (YYYY-MM-DDTHH:MM:SSZ)", text);
}

void clock_date_words(const char *date, char *out, size_t size)
{
	static const char *const months[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};
	long t, month, day;

	if (size == 0)
		return;
	month = strlen(date) == 10 ? digits(date + 5, 2) : -1;
	day = strlen(date) == 10 ? digits(date + 8, 2) : -1;
	if (month < 1 || month > 12 || day < 1 ||
	    clock_utc_parse(date, &t, NULL) < 0) {
		snprintf(out, size, "%s", date);
		return;
	}
	snprintf(out, size, "%ld %s %.4s", day, months[month - 1], date);
}
