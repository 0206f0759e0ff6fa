/*
 * progress.h - a progress bar on stderr, only when stderr is a terminal.
 *
 * The library reports progress through a callback (see
 * import_progress_fn); this turns those calls into one self-rewriting line:
 * rows read, rows per second, and percent of the file when its size is
 * known. Redrawn at most ten times a second. When stderr is not a terminal
 * (a pipe, a log file, CI) nothing is ever written, so captured output
 * stays clean.
 */
#ifndef PARITY_CLI_PROGRESS_H
#define PARITY_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress {
	bool enabled;
	bool drawn;
	const char *label;
	struct timespec start;
	struct timespec last;
};

/* `label` (e.g. "importing") must outlive the progress bar. */
void progress_init(struct progress *p, const char *label);
/* An import_progress_fn: `ctx` is the struct progress. */
void progress_update(void *ctx, long rows, uint64_t bytes, uint64_t size);
/* Erase the bar, so that what follows starts on a clean line. */
void progress_done(struct progress *p);

#endif
