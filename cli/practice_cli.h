/*
 * practice_cli.h - the command line as the actor of the practice pool's
 * changes (`parity practice`, `parity event`, `parity digest`): cli:USER,
 * who sees every version, with each change's audit entry written by
 * hub_audit_within() in the change's transaction (practice_cli.c).
 */
#ifndef PARITY_CLI_PRACTICE_CLI_H
#define PARITY_CLI_PRACTICE_CLI_H

#include "cli.h"

#include "hub/accounts.h"
#include "practice/practice.h"

struct practice_cli {
	struct hub_principal who;   /* cli:USER */
	struct practice_actor actor;
	struct store *store;
};

/* The actor for `env`'s open store, acting for council `area_code` (""
 * for London-wide). `c` must stay where it is while the actor is used. */
void practice_cli_init(struct practice_cli *c, struct cli_env *env,
		       const char *area_code);

#endif
