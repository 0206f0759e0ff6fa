/*
 * error.c - filling and formatting the error record (see error.h).
 */
#include "base/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int parity_error_set(struct parity_error *err, enum parity_status code,
		     const char *file, long line, long column,
		     const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

void parity_error_clear(struct parity_error *err)
{
	if (!err)
		return;
	err->code = PARITY_OK;
	err->message[0] = '\0';
	err->file[0] = '\0';
	err->line = 0;
	err->column = 0;
}

void parity_error_format(const struct parity_error *err, char *buf,
			 size_t size)
{
	if (err->file[0] && err->line > 0 && err->column > 0)
		snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line,
			 err->column, err->message);
	else if (err->file[0] && err->line > 0)
		snprintf(buf, size, "%s:%ld: %s", err->file, err->line,
			 err->message);
	else if (err->file[0])
		snprintf(buf, size, "%s: %s", err->file, err->message);
	else
		snprintf(buf, size, "%s", err->message);
}

const char *parity_status_name(enum parity_status code)
{
	switch (code) {
	case PARITY_OK: return "ok";
	case PARITY_ERR_USAGE: return "usage";
	case PARITY_ERR_IO: return "io";
	case PARITY_ERR_PARSE: return "parse";
	case PARITY_ERR_VALIDATION: return "validation";
	case PARITY_ERR_NOT_FOUND: return "not-found";
	case PARITY_ERR_STORE: return "store";
	case PARITY_ERR_INTERNAL: return "internal";
	case PARITY_ERR_DENIED: return "denied";
	case PARITY_ERR_LIMIT: return "limit";
	case PARITY_ERR_FULL: return "full";
	case PARITY_ERR_READ_ONLY: return "read-only";
	}
	return "unknown";
}

enum parity_status parity_status_of_write_errno(int e)
{
	if (e == ENOSPC || e == EDQUOT || e == EFBIG)
		return PARITY_ERR_FULL;
	if (e == EROFS || e == EPERM || e == EACCES)
		return PARITY_ERR_READ_ONLY;
	return PARITY_ERR_IO;
}
