/*
 * practice_cli.c - the command line as the practice pool's actor (see
 * practice_cli.h).
 */
#include "practice_cli.h"

#include <string.h>
#include <time.h>

static int audit(void *ctx, const char *action, const char *area_code,
		 int64_t id, const char *detail, struct parity_error *err)
{
	struct practice_cli *c = ctx;

	(void)id;  /* the detail names what changed */
	return hub_audit_within(c->store, &c->who, action, area_code, 0, 0,
				"ok", detail, c->actor.now, err);
}

void practice_cli_init(struct practice_cli *c, struct cli_env *env,
		       const char *area_code)
{
	memset(c, 0, sizeof(*c));
	c->store = env->store;
	hub_principal_cli(&c->who, cli_user_name());
	c->actor.by = c->who.email;
	c->actor.area_code = area_code;
	c->actor.sees_all = true;
	c->actor.now = (long)time(NULL);
	c->actor.audit = audit;
	c->actor.audit_ctx = c;
}
