/*
 * progress.c - the terminal progress bar (see progress.h).
 */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#define BAR_WIDTH 24

static double seconds_between(const struct timespec *a,
			      const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_init(struct progress *p, const char *label)
{
	p->enabled = isatty(STDERR_FILENO) == 1;
	p->drawn = false;
	p->label = label;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

/* 1234567 as "1,234,567". */
static void with_commas(long v, char *buf, size_t size)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%ld", v < 0 ? 0 : v);
	size_t out = 0;
	int k;

	for (k = 0; k < n && out + 2 < size; k++) {
		if (k > 0 && (n - k) % 3 == 0)
			buf[out++] = ',';
		buf[out++] = digits[k];
	}
	buf[out] = '\0';
}

void progress_update(void *ctx, long rows, uint64_t bytes, uint64_t size)
{
	struct progress *p = ctx;
	struct timespec now;
	double elapsed;
	char count[32], rate[32];

	if (!p->enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->drawn && seconds_between(&p->last, &now) < 0.1)
		return;
	p->last = now;
	elapsed = seconds_between(&p->start, &now);
	with_commas(rows, count, sizeof(count));
	with_commas(elapsed > 0 ? (long)((double)rows / elapsed) : 0, rate,
		    sizeof(rate));
	fprintf(stderr, "\r%s: %s rows, %s rows/s", p->label, count, rate);
	if (size > 0) {
		double done = (double)bytes / (double)size;
		int filled, k;

		if (done > 1)
			done = 1;
		filled = (int)(done * BAR_WIDTH);
		fputs("  [", stderr);
		for (k = 0; k < BAR_WIDTH; k++)
			fputc(k < filled ? '#' : '.', stderr);
		fprintf(stderr, "] %3.0f%%", done * 100);
	}
	fputs("\033[K", stderr);
	fflush(stderr);
	p->drawn = true;
}

void progress_done(struct progress *p)
{
	if (p->enabled && p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->drawn = false;
}
