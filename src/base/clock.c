/*
 * clock.c - now, in UTC, as parity records it (clock.h).
 */
#include "base/clock.h"

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
