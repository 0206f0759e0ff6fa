/*
 * diag.h - a list of located problems: what checking a whole file produces.
 *
 * A function that validates a file does not stop at the first problem: it
 * appends every error and warning it finds, each with FILE, LINE and COLUMN,
 * so that one run tells a council everything that is wrong. Errors block
 * (nothing is stored); warnings do not.
 *
 * Memory stays bounded however bad the file: the list keeps the first
 * DIAG_KEEP errors and the first DIAG_KEEP warnings in full and only counts
 * the rest. `errors` and `warnings` are always the true totals.
 *
 * Ownership: the list owns its entries and their strings. Initialise with
 * DIAG_LIST_INIT or diag_list_init(); free with diag_list_release(), after
 * which it is empty and may be reused.
 */
#ifndef PARITY_BASE_DIAG_H
#define PARITY_BASE_DIAG_H

#include "base/error.h"

#include <stddef.h>

/* How many errors (and, separately, warnings) are kept in full. */
#define DIAG_KEEP 1000

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING
};

struct diag {
	enum diag_severity severity;
	char *file;    /* "" when the problem is not in a file */
	long line;     /* 1-based; 0 when not known */
	long column;   /* 1-based, in characters; 0 when not known */
	char *message; /* lower-case first word, no final period */
};

struct diag_list {
	struct diag *items; /* in the order they were added */
	size_t count;
	size_t cap;
	size_t errors;   /* every error added, kept or not */
	size_t warnings; /* every warning added, kept or not */
	size_t kept_errors;
	size_t kept_warnings;
};

#define DIAG_LIST_INIT { NULL, 0, 0, 0, 0, 0, 0 }

void diag_list_init(struct diag_list *d);
void diag_list_release(struct diag_list *d);

/* Append a problem. `file` may be NULL. */
void diag_add(struct diag_list *d, enum diag_severity severity,
	      const char *file, long line, long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Append an error record (from the CSV reader, say) as an error. */
void diag_add_error(struct diag_list *d, const struct parity_error *err);

/*
 * Sort the kept entries by file position (line, then column), keeping the
 * order of entries at the same position. Problems found at the end of a
 * file (a column that was blank throughout) then read in place.
 */
void diag_list_sort(struct diag_list *d);

/*
 * Write one entry as `FILE:LINE:COLUMN: message`, with `warning: ` before
 * the message of a warning and the unknown parts of the location left out.
 * The line is safe to print on a terminal: control characters, DEL, C1
 * controls and bidi controls in the file name or the message are shown as
 * escapes ("\x1b", "\u202e"; textsafe_terminal_append()), and it is cut
 * short at a character boundary when `size` is too small.
 */
void diag_format(const struct diag *e, char *buf, size_t size);

#endif
