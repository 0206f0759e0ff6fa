/*
 * cmd_token.c - `parity token create|list|revoke`: API tokens for
 * scripts, such as a council's nightly upload (hub/accounts.h,
 * docs/security.md).
 *
 * `create` prints the token on its last line, once: the store keeps only
 * its hash. A token acts with its account's role, for any account that is
 * not disabled (invited or active), until it is revoked. Changes are
 * audited as made by "cli:USER"; `list` only reads the store.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"

#include "base/clock.h"
#include "base/number.h"
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

static const char usage_text[] =
	"usage: parity token create --account EMAIL [--name NAME] [--db PATH]\n"
	"       parity token list [--format table|csv|json] [--db PATH]\n"
	"       parity token revoke ID [--db PATH]\n"
	"\n"
	"API tokens let a script use the hub's API as an account, with its\n"
	"role: a council's nightly upload, say. A client sends\n"
	"'Authorization: Bearer TOKEN'. create makes one for the account with\n"
	"that email, any account that is not disabled (invited or active), and\n"
	"prints it on its last line, once: the store keeps only its hash, so\n"
	"it cannot be shown again. It works until it is revoked, or its\n"
	"account disabled. list shows every token ever made (never the token\n"
	"itself), revoke ends one at once. Changes are written to the audit\n"
	"log (`parity audit`) as made by cli:USER.\n"
	"\n"
	"options:\n"
	"  --account EMAIL  the account the token acts as\n"
	"  --name NAME      what it is for (at most 100 characters)\n"
	"  --format F       table (the default), csv or json\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n";

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

static int create(struct store *store, const char *email, const char *name,
		  const char *by)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char token[HUB_SECRET_CHARS + 1];
	struct hub_account a;
	long now = (long)time(NULL);
	int64_t id;

	if (hub_token_create(store, email, name, by, now, token, &id,
			     &err) < 0)
		return failed(&err);
	if (hub_account_get(store, email, now, &a, &err) < 0) {
		sodium_memzero(token, sizeof(token));
		return failed(&err);
	}
	printf("token %lld", (long long)id);
	if (name && name[0]) {
		fputs(" '", stdout);
		cli_put_safe(stdout, name);
		putchar('\'');
	}
	fputs(" acts as ", stdout);
	cli_put_safe(stdout, a.email);
	printf(" (%s%s%s); a client sends it as 'Authorization: Bearer "
	       "TOKEN'. It is not shown again:\n%s\n",
	       hub_role_name(a.role), a.area_code[0] ? ", " : "", a.area_code,
	       token);
	sodium_memzero(token, sizeof(token));
	return CLI_OK;
}

static int revoke(struct store *store, const char *text, const char *by)
{
	struct parity_error err = PARITY_ERROR_INIT;
	long id;

	if (number_parse_int(text, 1, 2147483647L, &id) < 0)
		return cli_usage_error("token revoke: '%s' is not a token id "
				       "(see `parity token list`)", text);
	if (hub_token_revoke(store, id, by, (long)time(NULL), &err) < 0)
		return failed(&err);
	printf("revoked token %ld: it no longer works\n", id);
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

static void list_table(FILE *out, const struct hub_token *t, size_t n)
{
	char created[CLOCK_UTC_SIZE], used[CLOCK_UTC_SIZE];
	char revoked[CLOCK_UTC_SIZE];
	size_t k, ew = 7, nw = 4;

	if (n == 0) {
		fputs("(no tokens)\n", out);
		return;
	}
	for (k = 0; k < n; k++) {
		if (strlen(t[k].email) > ew)
			ew = strlen(t[k].email);
		if (strlen(t[k].name) > nw)
			nw = strlen(t[k].name);
	}
	ew = ew > 40 ? 40 : ew;
	nw = nw > 30 ? 30 : nw;
	fprintf(out, "%-5s  ", "id");
	cli_put_cell(out, "account", ew);
	fputs("  ", out);
	cli_put_cell(out, "name", nw);
	fprintf(out, "  %-20s  %-20s  %s\n", "created (UTC)",
		"last used (UTC)", "revoked (UTC)");
	for (k = 0; k < n; k++) {
		time_text(t[k].created_at, created, sizeof(created));
		time_text(t[k].last_used_at, used, sizeof(used));
		time_text(t[k].revoked_at, revoked, sizeof(revoked));
		fprintf(out, "%-5lld  ", (long long)t[k].id);
		cli_put_cell(out, t[k].email, ew);
		fputs("  ", out);
		cli_put_cell(out, t[k].name[0] ? t[k].name : "-", nw);
		fprintf(out, "  %-20s  %-20s  %s\n", created,
			used[0] ? used : "never", revoked[0] ? revoked : "-");
	}
}

static void list_csv(const struct hub_token *t, size_t n)
{
	char id[32], created[CLOCK_UTC_SIZE], used[CLOCK_UTC_SIZE];
	char revoked[CLOCK_UTC_SIZE];
	size_t k;

	printf("id,account,name,created_at,created_by,last_used_at,"
	       "revoked_at\n");
	for (k = 0; k < n; k++) {
		snprintf(id, sizeof(id), "%lld", (long long)t[k].id);
		time_text(t[k].created_at, created, sizeof(created));
		time_text(t[k].last_used_at, used, sizeof(used));
		time_text(t[k].revoked_at, revoked, sizeof(revoked));
		cli_csv_put(id, true);
		cli_csv_put(t[k].email, false);
		cli_csv_put(t[k].name, false);
		cli_csv_put(created, false);
		cli_csv_put(t[k].created_by, false);
		cli_csv_put(used, false);
		cli_csv_put(revoked, false);
		putchar('\n');
	}
}

static int list_json(const struct hub_token *t, size_t n)
{
	char created[CLOCK_UTC_SIZE], used[CLOCK_UTC_SIZE];
	char revoked[CLOCK_UTC_SIZE];
	json_t *doc = json_array();
	bool ok = doc != NULL;
	size_t k;

	for (k = 0; ok && k < n; k++) {
		json_t *o = json_object();

		time_text(t[k].created_at, created, sizeof(created));
		time_text(t[k].last_used_at, used, sizeof(used));
		time_text(t[k].revoked_at, revoked, sizeof(revoked));
		ok = o && cli_json_set_int(o, "id", t[k].id) &&
		     cli_json_set_text(o, "account", t[k].email) &&
		     cli_json_set_text_or_null(o, "name", t[k].name) &&
		     cli_json_set_text(o, "created_at", created) &&
		     cli_json_set_text(o, "created_by", t[k].created_by) &&
		     cli_json_set_text_or_null(o, "last_used_at", used) &&
		     cli_json_set_text_or_null(o, "revoked_at", revoked) &&
		     json_array_append(doc, o) == 0;
		json_decref(o);
	}
	return cli_json_put(doc, ok, "token");
}

static int list(struct store *store, enum output_format format)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_token *t = NULL;
	struct cli_view view;
	size_t n = 0;
	int status = CLI_OK;

	if (hub_tokens_list(store, &t, &n, &err) < 0)
		return failed(&err);
	if (format == OUTPUT_CSV) {
		list_csv(t, n);
	} else if (format == OUTPUT_JSON) {
		status = list_json(t, n);
	} else if (cli_view_open(&view)) {
		list_table(view.file, t, n);
		if (cli_view_close(&view, stdout, &err) < 0)
			status = failed(&err);
	} else {
		status = CLI_FAILURE;
	}
	free(t);
	return status;
}


/* The actions, with how many arguments each takes. */
static const struct cli_action actions[] = {
	{ "create", 0 }, { "list", 0 }, { "revoke", 1 }, { NULL, 0 }
};

int cmd_token(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum output_format format = OUTPUT_TABLE;
	const char *email = NULL, *name = NULL, *action;
	char by[160];
	bool formatted = false;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'a': email = optarg; break;
		case 'n': name = optarg; break;
		case 'f':
			if (cli_format_parse("token", optarg, true,
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
	if (strcmp(action, "create") == 0 && !email)
		return cli_usage_error("token create: --account EMAIL is "
				       "needed");
	if (strcmp(action, "create") != 0 && (email || name))
		return cli_usage_error("token: --account and --name go with "
				       "create");
	if (formatted && strcmp(action, "list") != 0)
		return cli_usage_error("token: --format goes with list");
	snprintf(by, sizeof(by), "cli:%s", cli_user_name());
	status = cli_env_open(env, strcmp(action, "list") == 0
					   ? CLI_NEED_STORE_READ
					   : CLI_NEED_STORE);
	if (status != CLI_OK)
		return status;
	if (strcmp(action, "create") == 0)
		return create(env->store, email, name, by);
	if (strcmp(action, "list") == 0)
		return list(env->store, format);
	return revoke(env->store, argv[optind + 1], by);
}
