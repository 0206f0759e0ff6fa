/*
 * options.c - what every command shares: reporting errors and exit codes.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

void cli_report(const struct parity_error *err)
{
	char line[2048];

	parity_error_format(err, line, sizeof(line));
	fprintf(stderr, "parity: %s\n", line);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("parity: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return CLI_USAGE;
}

int cli_exit_for(const struct parity_error *err)
{
	switch (err->code) {
	case PARITY_OK: return CLI_OK;
	case PARITY_ERR_USAGE: return CLI_USAGE;
	case PARITY_ERR_PARSE:
	case PARITY_ERR_VALIDATION:
	case PARITY_ERR_NOT_FOUND: return CLI_INVALID;
	default: return CLI_FAILURE;
	}
}
