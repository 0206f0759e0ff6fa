/*
 * options.c - what every command shares: reporting errors and exit codes,
 * where output goes, and which areas to report on.
 */
#include "cli.h"

#include "base/alloc.h"

#include <stdarg.h>
#include <stdlib.h>
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

FILE *cli_output_open(const char *path, struct parity_error *err)
{
	FILE *out;

	if (!path)
		return stdout;
	out = fopen(path, "w");
	if (!out)
		parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				 "cannot write the output");
	return out;
}

int cli_output_close(FILE *out, const char *path, int rc,
		     struct parity_error *err)
{
	if (out != stdout && fclose(out) != 0 && rc == 0)
		rc = parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				      "could not write the output");
	return rc;
}

int *cli_choose_areas(const struct area_set *areas, const char *command,
		      const char *const *names, size_t nnames, bool all,
		      size_t *count)
{
	int *chosen = xcalloc(areas->count, sizeof(*chosen));
	size_t n = 0, k;

	if (all) {
		chosen[n++] = area_london(areas);
		for (k = 0; k < areas->count; k++)
			if (areas->areas[k].type == AREA_SUBREGION ||
			    areas->areas[k].type == AREA_BOROUGH)
				chosen[n++] = (int)k;
	} else if (nnames == 0) {
		chosen[n++] = area_london(areas);
	} else {
		for (k = 0; k < nnames && n < areas->count; k++) {
			chosen[n] = area_find(areas, names[k]);
			if (chosen[n] < 0) {
				cli_usage_error("%s: unknown area '%s' (see "
						"`parity areas`)", command,
						names[k]);
				free(chosen);
				return NULL;
			}
			n++;
		}
	}
	*count = n;
	return chosen;
}
