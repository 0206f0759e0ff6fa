/*
 * standard_cli.c - what `parity assess` and `parity review` share (see
 * standard_cli.h).
 */
#include "standard_cli.h"

#include "base/alloc.h"
#include "domain/area.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The audit entry of a change, in its transaction. */
static int audit(void *ctx, const char *action, const char *area_code,
		 int year, const char *detail, struct parity_error *err)
{
	struct cli_standard *c = ctx;

	return hub_audit_within(c->data.store, &c->who, action, area_code,
				year, 0, "ok", detail, c->actor.now, err);
}

void cli_standard_init(struct cli_standard *c, struct cli_env *env,
		       const char *area_code)
{
	memset(c, 0, sizeof(*c));
	c->data.store = env->store;
	c->data.areas = env->areas;
	c->data.census = env->census;
	c->data.services = env->services;
	hub_principal_cli(&c->who, cli_user_name());
	snprintf(c->area_code, sizeof(c->area_code), "%s",
		 area_code ? area_code : "");
	c->actor.by = c->who.email;
	c->actor.area_code = c->area_code;
	c->actor.now = (long)time(NULL);
	c->actor.audit = audit;
	c->actor.audit_ctx = c;
}

const struct framework *cli_framework_find(const struct cli_env *env,
					   const char *command,
					   const char *id, int version)
{
	const struct framework *f = framework_find(env->frameworks, id,
						   version);

	if (!f)
		cli_message("%s: no framework '%s'%s (see `parity framework "
			    "list`)", command, id,
			    version ? " of that version" : "");
	return f;
}

int cli_council_code(const struct cli_env *env, const char *command,
		     const char *given, char code[16])
{
	int k = area_find(env->areas, given);

	if (k < 0 || env->areas->areas[k].type != AREA_BOROUGH)
		return cli_usage_error("%s: '%s' is not a London council "
				       "(E09000001 to E09000033, by code or "
				       "name; see `parity areas`)", command,
				       given);
	snprintf(code, 16, "%s", env->areas->areas[k].code);
	return CLI_OK;
}

int cli_read_whole(const char *path, char **text, size_t *len)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 0, n;
	char *buf = NULL;

	*text = NULL;
	*len = 0;
	if (!in) {
		cli_message("cannot open '%s': %s", path, strerror(errno));
		return CLI_INVALID;
	}
	for (;;) {
		buf = xgrow(buf, &cap, *len + 65537, 1);
		n = fread(buf + *len, 1, cap - *len - 1, in);
		*len += n;
		if (n == 0)
			break;
		if (*len > (size_t)16 * 1024 * 1024) {
			cli_message("'%s' is larger than 16 MB", path);
			if (in != stdin)
				fclose(in);
			free(buf);
			return CLI_INVALID;
		}
	}
	if (ferror(in)) {
		cli_message("cannot read '%s': %s", path, strerror(errno));
		if (in != stdin)
			fclose(in);
		free(buf);
		return CLI_FAILURE;
	}
	if (in != stdin)
		fclose(in);
	buf[*len] = '\0';
	*text = buf;
	return CLI_OK;
}

int cli_year_parse(const char *command, const char *text, int *year)
{
	char *end;
	long y = strtol(text, &end, 10);

	if (*end || y < 2000 || y > 2100)
		return cli_usage_error("%s: --year is a year such as 2024, "
				       "not '%s'", command, text);
	*year = (int)y;
	return CLI_OK;
}
