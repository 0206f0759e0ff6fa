/*
 * standard_cli.h - what `parity assess` and `parity review` share: the
 * command line as the actor of the Standard's changes (cli:USER, with
 * each change's audit entry written by hub_audit_within() in the change's
 * transaction), the figures' sources, a framework found by id, and a
 * council's file read whole.
 */
#ifndef PARITY_CLI_STANDARD_CLI_H
#define PARITY_CLI_STANDARD_CLI_H

#include "cli.h"

#include "hub/accounts.h"
#include "standard/assessment.h"
#include "standard/framework.h"

#include <stddef.h>

struct cli_standard {
	struct standard_data data;
	struct hub_principal who;   /* cli:USER */
	struct standard_actor actor;
	char area_code[16];         /* the council the command acts for; ""
				     * for London-wide */
};

/* The actor for `env` (its store, areas, census and services are used as
 * open), acting for council `area_code` ("" or NULL: London-wide). */
void cli_standard_init(struct cli_standard *c, struct cli_env *env,
		       const char *area_code);
/* The framework `id` (0: the newest version), or NULL after printing why
 * (naming `command`). */
const struct framework *cli_framework_find(const struct cli_env *env,
					   const char *command,
					   const char *id, int version);
/* A London council (E09000001-E09000033) named by code or name: its code
 * into `code`, or CLI_USAGE after printing why. */
int cli_council_code(const struct cli_env *env, const char *command,
		     const char *given, char code[16]);
/* Read `path` ("-": stdin) whole: CLI_OK and *text (NUL-terminated; the
 * caller frees it) and *len, or an exit status after printing why. */
int cli_read_whole(const char *path, char **text, size_t *len);
/* Parse --year: a year from 2000 to 2100, or CLI_USAGE after printing. */
int cli_year_parse(const char *command, const char *text, int *year);

#endif
