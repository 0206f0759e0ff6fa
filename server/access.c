/*
 * access.c - the hub's authorisation: one function, one table of who may
 * act under each rule (access.h; docs/security.md shows the table).
 */
#include "access.h"

#include <string.h>

/* Whether the account belongs to council `area_code`. */
static bool own_council(const struct hub_principal *who,
			const char *area_code)
{
	return area_code && who->area_code[0] &&
	       strcmp(who->area_code, area_code) == 0;
}

enum access_decision access_decide(const struct hub_principal *who,
				   enum access_rule rule,
				   const char *area_code)
{
	if (rule == ACCESS_PUBLIC)
		return ACCESS_ALLOW;
	if (who->role == HUB_ROLE_PUBLIC)
		return ACCESS_UNAUTHENTICATED;
	switch (rule) {
	case ACCESS_PUBLIC:
	case ACCESS_SIGNED_IN:
		return ACCESS_ALLOW;
	case ACCESS_AREA_READ:
		if (who->role == HUB_ROLE_ANALYST)
			return ACCESS_ALLOW;
		if ((who->role == HUB_ROLE_SUBMITTER ||
		     who->role == HUB_ROLE_VIEWER) &&
		    own_council(who, area_code))
			return ACCESS_ALLOW;
		return ACCESS_HIDDEN;
	case ACCESS_AREA_WRITE:
		if (who->role == HUB_ROLE_ANALYST ||
		    (who->role == HUB_ROLE_SUBMITTER &&
		     own_council(who, area_code)))
			return ACCESS_ALLOW;
		/* a viewer knows its own council exists */
		if (who->role == HUB_ROLE_VIEWER && own_council(who, area_code))
			return ACCESS_FORBIDDEN;
		return ACCESS_HIDDEN;
	case ACCESS_ANALYST:
		return who->role == HUB_ROLE_ANALYST ? ACCESS_ALLOW
						     : ACCESS_FORBIDDEN;
	case ACCESS_ADMIN:
		return who->role == HUB_ROLE_ADMIN ? ACCESS_ALLOW
						   : ACCESS_FORBIDDEN;
	case ACCESS_REVIEWER:
		return who->role == HUB_ROLE_REVIEWER ? ACCESS_ALLOW
						      : ACCESS_FORBIDDEN;
	}
	return ACCESS_FORBIDDEN;
}

bool access_sees_unsuppressed(const struct hub_principal *who,
			      const char *area_code)
{
	return access_decide(who, ACCESS_AREA_READ, area_code) ==
	       ACCESS_ALLOW;
}

const char *access_rule_name(enum access_rule rule)
{
	switch (rule) {
	case ACCESS_PUBLIC: return "public";
	case ACCESS_SIGNED_IN: return "signed-in";
	case ACCESS_AREA_READ: return "area-read";
	case ACCESS_AREA_WRITE: return "area-write";
	case ACCESS_ANALYST: return "analyst";
	case ACCESS_ADMIN: return "admin";
	case ACCESS_REVIEWER: return "reviewer";
	}
	return "?";
}

int access_status(enum access_decision d)
{
	switch (d) {
	case ACCESS_ALLOW: return 200;
	case ACCESS_UNAUTHENTICATED: return 401;
	case ACCESS_FORBIDDEN: return 403;
	case ACCESS_HIDDEN: return 404;
	}
	return 403;
}
