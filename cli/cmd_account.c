/*
 * cmd_account.c - `parity account invite|list|disable|reset|unlock`: the
 * hub's accounts, managed by an admin at the command line (hub/accounts.h,
 * docs/security.md).
 *
 * `invite` and `reset` print a one-time invitation link on their last
 * line, once: parity sends no email, and the link is never stored (only
 * its hash), so it cannot be shown again. Every change is audited with
 * the actor "cli:USER" in the same transaction. `list` reads the store
 * only, as a terminal view (table), CSV or JSON.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"

#include "base/clock.h"
#include "domain/area.h"
#include "hub/accounts.h"
#include "store/store.h"
#include "table/render.h"

#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_BASE_URL "http://127.0.0.1:8080"

static const char usage_text[] =
	"usage: parity account invite --role ROLE [--area CODE] --email EMAIL\n"
	"                      [--base-url URL] [--db PATH]\n"
	"       parity account list [--format table|csv|json] [--db PATH]\n"
	"       parity account disable EMAIL [--db PATH]\n"
	"       parity account reset EMAIL [--base-url URL] [--db PATH]\n"
	"       parity account unlock EMAIL [--db PATH]\n"
	"\n"
	"The people who may sign in to the hub (`parity serve`), and their\n"
	"roles: admin (manages accounts), analyst (London Councils' team: every\n"
	"council's figures, publishing), submitter (uploads and sees one\n"
	"council's returns and figures), viewer (sees one council's, read\n"
	"only) and reviewer (a council's peer reviewer for the Racial Equality\n"
	"Standard: sees and reviews only the assessments assigned to its\n"
	"council; `parity review`). A submitter, viewer or reviewer belongs to\n"
	"one of London's 33 councils (--area, by code or name); the others to\n"
	"none.\n"
	"\n"
	"invite makes the account and prints, on its last line, a one-time link\n"
	"through which the person sets their password; it lasts 7 days. parity\n"
	"sends no email: pass the link on yourself, privately. It is not shown\n"
	"again (the store keeps only its hash). reset prints a new link the same\n"
	"way: the old password stops working at once, the account's sessions\n"
	"end and its lockout is cleared (its API tokens go on working: see\n"
	"`parity token`). disable ends the account for good: it cannot sign in,\n"
	"and its sessions, links and tokens stop working. unlock clears a\n"
	"lockout after repeated failed sign-ins (5 in a row lock an account for\n"
	"15 minutes). Every change is written to the audit log (`parity audit`)\n"
	"as made by cli:USER.\n"
	"\n"
	"options:\n"
	"  --role ROLE      admin, analyst, submitter, viewer or reviewer\n"
	"  --area CODE      the council of a submitter, viewer or reviewer\n"
	"                   (E09000001 to E09000033, or its name)\n"
	"  --email EMAIL    the person's email address: how they sign in\n"
	"  --base-url URL   where the hub is reached, for the link (default\n"
	"                   " DEFAULT_BASE_URL ")\n"
	"  --format F       table (the default), csv or json\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n";

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

/* The link that accepts `token`, on a line of its own. */
static void print_link(const char *base, char *token, long expires)
{
	char until[CLOCK_UTC_SIZE];

	clock_utc_format(expires, until, sizeof(until));
	printf("a one-time link to set the password, until %s (UTC); parity "
	       "sends no email: pass it on privately. It is not shown "
	       "again:\n%s/invitation/%s\n", until, base, token);
	sodium_memzero(token, HUB_SECRET_CHARS + 1);
}

static int invite(struct cli_env *env, const char *email, enum hub_role role,
		  const char *area, const char *base, const char *by)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char token[HUB_SECRET_CHARS + 1];
	struct hub_limits l;
	struct hub_account a;
	long now = (long)time(NULL);
	int k;

	hub_limits_init(&l);
	if (hub_invite(env->store, email, role, area, by, now, &l, token,
		       &err) < 0)
		return failed(&err);
	if (hub_account_get(env->store, email, now, &a, &err) < 0) {
		sodium_memzero(token, sizeof(token));
		return failed(&err);
	}
	fputs("invited ", stdout);
	cli_put_safe(stdout, a.email);
	printf(" as %s %s", role == HUB_ROLE_ADMIN ||
	       role == HUB_ROLE_ANALYST ? "an" : "a", hub_role_name(role));
	k = a.area_code[0] ? area_find(env->areas, a.area_code) : -1;
	if (k >= 0)
		printf(" for %s (%s)", env->areas->areas[k].name, a.area_code);
	putchar('\n');
	print_link(base, token, now + l.invitation_seconds);
	return CLI_OK;
}

static int change(struct cli_env *env, const char *action, const char *email,
		  const char *base, const char *by)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char token[HUB_SECRET_CHARS + 1];
	struct hub_limits l;
	struct hub_account a;
	long now = (long)time(NULL);

	hub_limits_init(&l);
	if (strcmp(action, "disable") == 0) {
		if (hub_account_disable(env->store, email, by, now, &err) < 0)
			return failed(&err);
	} else if (strcmp(action, "unlock") == 0) {
		if (hub_account_unlock(env->store, email, by, now, &err) < 0)
			return failed(&err);
	} else if (hub_account_reset(env->store, email, by, now, &l, token,
				     &err) < 0) {
		return failed(&err);
	}
	if (hub_account_get(env->store, email, now, &a, &err) < 0) {
		if (strcmp(action, "reset") == 0)
			sodium_memzero(token, sizeof(token));
		return failed(&err);
	}
	if (strcmp(action, "disable") == 0) {
		fputs("disabled ", stdout);
		cli_put_safe(stdout, a.email);
		fputs(": it cannot sign in, and its sessions, links and tokens "
		      "no longer work\n", stdout);
	} else if (strcmp(action, "unlock") == 0) {
		fputs("unlocked ", stdout);
		cli_put_safe(stdout, a.email);
		fputs(": its count of failed sign-ins is cleared\n", stdout);
	} else {
		fputs("reset ", stdout);
		cli_put_safe(stdout, a.email);
		fputs(": its old password no longer works and its sessions have "
		      "ended\n", stdout);
		print_link(base, token, now + l.invitation_seconds);
	}
	return CLI_OK;
}

/* ---- list ---- */

static void time_text(long t, char *out, size_t size)
{
	if (t)
		clock_utc_format(t, out, size);
	else
		snprintf(out, size, "%s", "");
}

static void list_table(FILE *out, const struct hub_account *a, size_t n)
{
	size_t k, w = 5;
	char created[CLOCK_UTC_SIZE], last[CLOCK_UTC_SIZE];
	char until[CLOCK_UTC_SIZE];

	if (n == 0) {
		fputs("(no accounts)\n", out);
		return;
	}
	for (k = 0; k < n; k++)
		if (strlen(a[k].email) > w)
			w = strlen(a[k].email);
	if (w > 40)
		w = 40;
	cli_put_cell(out, "email", w);
	fprintf(out, "  %-9s  %-9s  %-8s  %-20s  %-20s  %-20s  %s\n", "role",
		"area", "state", "created (UTC)", "last sign-in (UTC)",
		"locked until (UTC)", "tokens");
	for (k = 0; k < n; k++) {
		time_text(a[k].created_at, created, sizeof(created));
		time_text(a[k].last_signin, last, sizeof(last));
		time_text(a[k].locked_until, until, sizeof(until));
		cli_put_cell(out, a[k].email, w);
		fprintf(out, "  %-9s  %-9s  %-8s  %-20s  %-20s  %-20s  %ld\n",
			hub_role_name(a[k].role),
			a[k].area_code[0] ? a[k].area_code : "-",
			hub_account_state_name(a[k].state), created,
			last[0] ? last : "never", until[0] ? until : "-",
			a[k].tokens);
	}
}

static void list_csv(const struct hub_account *a, size_t n)
{
	char created[CLOCK_UTC_SIZE], last[CLOCK_UTC_SIZE];
	char until[CLOCK_UTC_SIZE], tokens[32];
	size_t k;

	printf("email,role,area_code,state,created_at,created_by,"
	       "last_signin,locked_until,tokens\n");
	for (k = 0; k < n; k++) {
		time_text(a[k].created_at, created, sizeof(created));
		time_text(a[k].last_signin, last, sizeof(last));
		time_text(a[k].locked_until, until, sizeof(until));
		snprintf(tokens, sizeof(tokens), "%ld", a[k].tokens);
		cli_csv_put(a[k].email, true);
		cli_csv_put(hub_role_name(a[k].role), false);
		cli_csv_put(a[k].area_code, false);
		cli_csv_put(hub_account_state_name(a[k].state), false);
		cli_csv_put(created, false);
		cli_csv_put(a[k].created_by, false);
		cli_csv_put(last, false);
		cli_csv_put(until, false);
		cli_csv_put(tokens, false);
		putchar('\n');
	}
}

static int list_json(const struct hub_account *a, size_t n)
{
	json_t *doc = json_array();
	char created[CLOCK_UTC_SIZE], last[CLOCK_UTC_SIZE];
	char until[CLOCK_UTC_SIZE];
	bool ok = doc != NULL;
	size_t k;

	for (k = 0; ok && k < n; k++) {
		json_t *o = json_object();

		time_text(a[k].created_at, created, sizeof(created));
		time_text(a[k].last_signin, last, sizeof(last));
		time_text(a[k].locked_until, until, sizeof(until));
		ok = o && cli_json_set_text(o, "email", a[k].email) &&
		     cli_json_set_text(o, "role", hub_role_name(a[k].role)) &&
		     cli_json_set_text_or_null(o, "area_code",
					       a[k].area_code) &&
		     cli_json_set_text(o, "state",
				       hub_account_state_name(a[k].state)) &&
		     cli_json_set_text(o, "created_at", created) &&
		     cli_json_set_text(o, "created_by", a[k].created_by) &&
		     cli_json_set_text_or_null(o, "last_signin", last) &&
		     cli_json_set_text_or_null(o, "locked_until", until) &&
		     cli_json_set_int(o, "tokens", a[k].tokens) &&
		     json_array_append(doc, o) == 0;
		json_decref(o);
	}
	return cli_json_put(doc, ok, "account");
}

static int list(struct store *store, enum output_format format)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_account *a = NULL;
	struct cli_view view;
	size_t n = 0;
	int status = CLI_OK;

	if (hub_accounts_list(store, (long)time(NULL), &a, &n, &err) < 0)
		return failed(&err);
	if (format == OUTPUT_CSV) {
		list_csv(a, n);
	} else if (format == OUTPUT_JSON) {
		status = list_json(a, n);
	} else if (cli_view_open(&view)) {
		list_table(view.file, a, n);
		if (cli_view_close(&view, stdout, &err) < 0)
			status = failed(&err);
	} else {
		status = CLI_FAILURE;
	}
	free(a);
	return status;
}

/* ---- the command ---- */

/* --base-url: http:// or https://, printable, without a trailing '/'. */
static int base_url(const char *given, char *out, size_t size)
{
	size_t n = strlen(given), k;

	if ((strncmp(given, "http://", 7) != 0 &&
	     strncmp(given, "https://", 8) != 0) || n >= size)
		return cli_usage_error("account: --base-url must be an address "
				       "beginning http:// or https://");
	for (k = 0; k < n; k++)
		if ((unsigned char)given[k] <= ' ' || given[k] == 0x7f)
			return cli_usage_error("account: --base-url must be an "
					       "address without spaces");
	while (n > 8 && given[n - 1] == '/')
		n--;
	snprintf(out, size, "%.*s", (int)n, given);
	return CLI_OK;
}


/* The actions, with how many arguments each takes. */
static const struct cli_action actions[] = {
	{ "invite", 0 }, { "list", 0 }, { "disable", 1 },
	{ "reset", 1 }, { "unlock", 1 }, { NULL, 0 }
};

int cmd_account(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "area", required_argument, NULL, 'a' },
		{ "email", required_argument, NULL, 'e' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum output_format format = OUTPUT_TABLE;
	const char *role_name = NULL, *area = NULL, *email = NULL;
	const char *url = NULL, *action;
	char base[512], by[160];
	enum hub_role role = HUB_ROLE_PUBLIC;
	bool formatted = false;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'r': role_name = optarg; break;
		case 'a': area = optarg; break;
		case 'e': email = optarg; break;
		case 'u': url = optarg; break;
		case 'f':
			if (cli_format_parse("account", optarg, true,
					     &format) != CLI_OK)
				return CLI_USAGE;
			formatted = true;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (cli_action_find(actions, argc, argv, optind, usage_text) < 0)
		return CLI_USAGE;
	action = argv[optind];
	if (strcmp(action, "invite") != 0 && (role_name || area || email))
		return cli_usage_error("account: --role, --area and --email go "
				       "with invite");
	if (url && strcmp(action, "invite") != 0 &&
	    strcmp(action, "reset") != 0)
		return cli_usage_error("account: --base-url goes with invite "
				       "and reset");
	if (formatted && strcmp(action, "list") != 0)
		return cli_usage_error("account: --format goes with list");
	if (base_url(url ? url : DEFAULT_BASE_URL, base, sizeof(base)) !=
	    CLI_OK)
		return CLI_USAGE;
	if (strcmp(action, "invite") == 0) {
		if (!role_name || !email)
			return cli_usage_error("account invite: --role and "
					       "--email are needed");
		if (hub_role_parse(role_name, &role) < 0 ||
		    role == HUB_ROLE_PUBLIC)
			return cli_usage_error("account invite: unknown role "
					       "'%s': admin, analyst, "
					       "submitter, viewer or reviewer",
					       role_name);
		if ((role == HUB_ROLE_SUBMITTER || role == HUB_ROLE_VIEWER ||
		     role == HUB_ROLE_REVIEWER) && !area)
			return cli_usage_error("account invite: a %s belongs "
					       "to one council: give --area "
					       "CODE", role_name);
		if (area && role != HUB_ROLE_SUBMITTER &&
		    role != HUB_ROLE_VIEWER && role != HUB_ROLE_REVIEWER)
			return cli_usage_error("account invite: --area goes "
					       "with submitter, viewer and "
					       "reviewer");
	}
	snprintf(by, sizeof(by), "cli:%s", cli_user_name());
	status = cli_env_open(env, strcmp(action, "list") == 0
					   ? CLI_NEED_STORE_READ
					   : strcmp(action, "invite") == 0
					   ? CLI_NEED_STORE | CLI_NEED_AREAS
					   : CLI_NEED_STORE);
	if (status != CLI_OK)
		return status;
	if (strcmp(action, "invite") == 0)
		return invite(env, email, role, area, base, by);
	if (strcmp(action, "list") == 0)
		return list(env->store, format);
	return change(env, action, argv[optind + 1], base, by);
}
