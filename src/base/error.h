/*
 * error.h - the error record every library function fills on failure.
 *
 * Errors are values. A function that can fail returns 0 on success and -1 on
 * failure, and on failure fills a caller-owned `struct parity_error` with a
 * code, a message and, where the problem is in an input file, the file, line
 * and column. On success the record is left untouched. The library never
 * prints and never exits; front ends (cli/, server/) decide what to do with
 * the record.
 *
 * Where a function reports many problems at once (validation of a whole
 * file), it appends them to a `struct diag_list` (diag.h) instead.
 */
#ifndef PARITY_BASE_ERROR_H
#define PARITY_BASE_ERROR_H

#include <stddef.h>

enum parity_status {
	PARITY_OK = 0,
	PARITY_ERR_USAGE,      /* a caller passed something meaningless */
	PARITY_ERR_IO,         /* a file could not be opened, read or written */
	PARITY_ERR_PARSE,      /* input is not well-formed (CSV, JSON, encoding) */
	PARITY_ERR_VALIDATION, /* input is well-formed but its content is wrong */
	PARITY_ERR_NOT_FOUND,  /* an area, label or record does not exist */
	PARITY_ERR_STORE,      /* the store refused or failed */
	PARITY_ERR_INTERNAL,   /* a broken invariant: a bug in parity */
	PARITY_ERR_DENIED,     /* credentials wrong, expired, revoked, or the
				* account disabled or locked */
	PARITY_ERR_LIMIT,      /* refused for now: too many attempts (a rate
				* limit); trying later may succeed */
	PARITY_ERR_FULL,       /* the disk (or the file size allowed) has no
				* room to write: nothing was written */
	PARITY_ERR_READ_ONLY   /* a file that must be written cannot be: a
				* read-only file system, or an immutable
				* file */
};

struct parity_error {
	enum parity_status code;
	char message[1024];
	char file[512]; /* empty when the error is not about an input file */
	long line;      /* 1-based; 0 when not known */
	long column;    /* 1-based, in characters; 0 when not known */
};

/* A record with no error in it. */
#define PARITY_ERROR_INIT { PARITY_OK, "", "", 0, 0 }

/*
 * Fill `err` (which may be NULL) and return -1, so that library code can
 * write `return parity_error_set(err, ...);`. `file` may be NULL.
 */
int parity_error_set(struct parity_error *err, enum parity_status code,
		     const char *file, long line, long column,
		     const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Forget any error held in `err`. */
void parity_error_clear(struct parity_error *err);

/*
 * Write the error as one line into `buf`: `FILE:LINE:COLUMN: message` when
 * the location is known, with the parts that are not known left out.
 */
void parity_error_format(const struct parity_error *err, char *buf,
			 size_t size);

/* A short lower-case name for a status, e.g. "validation". */
const char *parity_status_name(enum parity_status code);

/* What a failed write's error number `e` says of where it was writing:
 * PARITY_ERR_FULL for no room (ENOSPC, EDQUOT, or EFBIG past the file
 * size allowed), PARITY_ERR_READ_ONLY for a file or file system that
 * cannot be written (EROFS, or EPERM or EACCES: an immutable file),
 * otherwise PARITY_ERR_IO. */
enum parity_status parity_status_of_write_errno(int e);

#endif
