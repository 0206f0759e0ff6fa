/*
 * options.c - what every command shares: reporting errors (each line made
 * safe for a terminal, base/textsafe.h) and exit codes, who is running
 * the command, and which areas to report on. Where output goes is output.c's.
 */
#include "cli.h"

#include "base/alloc.h"
#include "base/strbuf.h"
#include "base/textsafe.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void cli_report(const struct parity_error *err)
{
	char line[2048], safe[2048];

	parity_error_format(err, line, sizeof(line));
	fprintf(stderr, "parity: %s\n",
		textsafe_terminal_copy(safe, sizeof(safe), line));
}

/* `parity: ` and the message to stderr, made safe for a terminal. */
static void vmessage(const char *fmt, va_list ap)
{
	struct strbuf line = STRBUF_INIT, safe = STRBUF_INIT;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n > 0) {
		strbuf_grow(&line, (size_t)n + 1);
		vsnprintf(line.buf, (size_t)n + 1, fmt, again);
		line.len = (size_t)n;
	}
	va_end(again);
	/* the names quoted in a message are whatever was typed or stored */
	textsafe_terminal_append(&safe, line.buf, line.len, false);
	fprintf(stderr, "parity: %s\n", safe.buf);
	strbuf_release(&line);
	strbuf_release(&safe);
}

void cli_message(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

const char *cli_user_name(void)
{
	const struct passwd *pw = getpwuid(geteuid());
	const char *user = getenv("USER");

	if (pw && pw->pw_name && pw->pw_name[0])
		return pw->pw_name;
	return user && user[0] ? user : "unknown";
}

int cli_exit_for(const struct parity_error *err)
{
	switch (err->code) {
	case PARITY_OK: return CLI_OK;
	case PARITY_ERR_USAGE: return CLI_USAGE;
	case PARITY_ERR_PARSE:
	case PARITY_ERR_VALIDATION:
	case PARITY_ERR_NOT_FOUND:
	case PARITY_ERR_DENIED:
	case PARITY_ERR_LIMIT: return CLI_INVALID;
	default: return CLI_FAILURE;
	}
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

int cli_format_parse(const char *command, const char *text, bool json,
		     enum output_format *out)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (output_format_parse(text, out, &err) < 0 ||
	    (*out != OUTPUT_TABLE && *out != OUTPUT_CSV &&
	     !(json && *out == OUTPUT_JSON)))
		return cli_usage_error("%s: --format must be table%s csv%s",
				       command, json ? "," : " or",
				       json ? " or json" : "");
	return CLI_OK;
}

int cli_action_find(const struct cli_action *actions, int argc,
		    char *const *argv, int first, const char *usage)
{
	int k;

	for (k = 0; first < argc && actions[k].name; k++)
		if (strcmp(argv[first], actions[k].name) == 0 &&
		    argc - first - 1 == actions[k].args)
			return k;
	fputs(usage, stderr);
	return -1;
}
