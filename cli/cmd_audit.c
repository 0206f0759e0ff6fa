/*
 * cmd_audit.c - `parity audit`: read the hub's audit log (hub/accounts.h,
 * docs/security.md): sign-ins, account and token changes, uploads, reads
 * of unsuppressed figures and publications, with who, when, which
 * council and how each ended. Oldest first.
 *
 * Read-only: the store is opened for reading, and the log cannot be
 * changed through parity at all (the store refuses it). Output is a
 * terminal view (table), CSV (text neutralised against formulas) or JSON.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "domain/area.h"
#include "hub/accounts.h"
#include "store/store.h"
#include "table/render.h"

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity audit [--since DATE] [--area CODE] [--account EMAIL]\n"
	"                    [--format table|csv|json] [--db PATH]\n"
	"\n"
	"The hub's audit log, oldest first: every sign-in and its failures,\n"
	"every change to accounts and tokens, every upload, read of\n"
	"unsuppressed figures and publication, with when (UTC), who (an\n"
	"account's email, cli:USER for the command line, or public), what,\n"
	"the council, year and submission it concerned, the outcome, and the\n"
	"account it was about. The log never holds a password, a token or an\n"
	"ethnicity value, and the store refuses to change or delete it.\n"
	"\n"
	"options:\n"
	"  --since DATE     entries from this date (YYYY-MM-DD, from its start\n"
	"                   in UTC) or time (YYYY-MM-DDTHH:MM:SSZ) on\n"
	"  --area CODE      entries about this council, by code or name\n"
	"  --account EMAIL  entries the account made or that were about it,\n"
	"                   and failed sign-ins as that email\n"
	"  --format F       table (the default), csv or json\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n";

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

/* The entries, copied out of the walk. */
struct entry {
	long at;
	char actor[256];
	char action[64];
	char area_code[16];
	int year;
	long long submission;
	char outcome[32];
	char target[256];
	char *detail;
};

struct entries {
	struct entry *e;
	size_t n, cap;
};

static int keep(void *ctx, const struct hub_audit_entry *in)
{
	struct entries *all = ctx;
	struct entry *e;

	all->e = xgrow(all->e, &all->cap, all->n + 1, sizeof(*all->e));
	e = &all->e[all->n];
	memset(e, 0, sizeof(*e));
	e->at = in->at;
	snprintf(e->actor, sizeof(e->actor), "%s", in->actor);
	snprintf(e->action, sizeof(e->action), "%s", in->action);
	snprintf(e->area_code, sizeof(e->area_code), "%s", in->area_code);
	e->year = in->year;
	e->submission = (long long)in->submission_id;
	snprintf(e->outcome, sizeof(e->outcome), "%s", in->outcome);
	snprintf(e->target, sizeof(e->target), "%s", in->target);
	e->detail = xstrdup(in->detail);
	all->n++;
	return 0;
}

static void release(struct entries *all)
{
	size_t k;

	for (k = 0; k < all->n; k++)
		free(all->e[k].detail);
	free(all->e);
}

static void number_text(long long v, char *out, size_t size)
{
	if (v)
		snprintf(out, size, "%lld", v);
	else
		snprintf(out, size, "%s", "");
}

static size_t widest(const struct entries *all, size_t offset, size_t least,
		     size_t most)
{
	size_t k, w = least;

	for (k = 0; k < all->n; k++) {
		size_t n = strlen((const char *)&all->e[k] + offset);

		if (n > w)
			w = n;
	}
	return w > most ? most : w;
}

static void show_table(FILE *out, const struct entries *all)
{
	size_t aw = widest(all, offsetof(struct entry, actor), 5, 32);
	size_t cw = widest(all, offsetof(struct entry, action), 6, 20);
	size_t tw = widest(all, offsetof(struct entry, target), 5, 32);
	char at[CLOCK_UTC_SIZE], year[16], sub[32];
	size_t k;

	if (all->n == 0) {
		fputs("(no entries)\n", out);
		return;
	}
	fprintf(out, "%-20s  ", "at (UTC)");
	cli_put_cell(out, "actor", aw);
	fputs("  ", out);
	cli_put_cell(out, "action", cw);
	fprintf(out, "  %-9s  %-4s  %-10s  %-8s  ", "area", "year",
		"submission", "outcome");
	cli_put_cell(out, "about", tw);
	fputs("  detail\n", out);
	for (k = 0; k < all->n; k++) {
		const struct entry *e = &all->e[k];

		clock_utc_format(e->at, at, sizeof(at));
		number_text(e->year, year, sizeof(year));
		number_text(e->submission, sub, sizeof(sub));
		fprintf(out, "%-20s  ", at);
		cli_put_cell(out, e->actor, aw);
		fputs("  ", out);
		cli_put_cell(out, e->action, cw);
		fprintf(out, "  %-9s  %-4s  %-10s  ",
			e->area_code[0] ? e->area_code : "-",
			year[0] ? year : "-", sub[0] ? sub : "-");
		cli_put_cell(out, e->outcome, 8);
		fputs("  ", out);
		cli_put_cell(out, e->target[0] ? e->target : "-", tw);
		fputs("  ", out);
		cli_put_safe(out, e->detail);
		fputc('\n', out);
	}
}

static void show_csv(const struct entries *all)
{
	char at[CLOCK_UTC_SIZE], year[16], sub[32];
	size_t k;

	printf("at,actor,action,area_code,year,submission_id,outcome,account,"
	       "detail\n");
	for (k = 0; k < all->n; k++) {
		const struct entry *e = &all->e[k];

		clock_utc_format(e->at, at, sizeof(at));
		number_text(e->year, year, sizeof(year));
		number_text(e->submission, sub, sizeof(sub));
		cli_csv_put(at, true);
		cli_csv_put(e->actor, false);
		cli_csv_put(e->action, false);
		cli_csv_put(e->area_code, false);
		cli_csv_put(year, false);
		cli_csv_put(sub, false);
		cli_csv_put(e->outcome, false);
		cli_csv_put(e->target, false);
		cli_csv_put(e->detail, false);
		putchar('\n');
	}
}

static int show_json(const struct entries *all)
{
	json_t *doc = json_array();
	char at[CLOCK_UTC_SIZE];
	bool ok = doc != NULL;
	size_t k;

	for (k = 0; ok && k < all->n; k++) {
		const struct entry *e = &all->e[k];
		json_t *o = json_object();

		clock_utc_format(e->at, at, sizeof(at));
		ok = o && cli_json_set_text(o, "at", at) &&
		     cli_json_set_text(o, "actor", e->actor) &&
		     cli_json_set_text(o, "action", e->action) &&
		     cli_json_set_text_or_null(o, "area_code", e->area_code) &&
		     cli_json_set_int_or_null(o, "year", e->year) &&
		     cli_json_set_int_or_null(o, "submission_id",
					      e->submission) &&
		     cli_json_set_text(o, "outcome", e->outcome) &&
		     cli_json_set_text_or_null(o, "account", e->target) &&
		     cli_json_set_text_or_null(o, "detail", e->detail) &&
		     json_array_append(doc, o) == 0;
		json_decref(o);
	}
	return cli_json_put(doc, ok, "audit");
}

int cmd_audit(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "since", required_argument, NULL, 's' },
		{ "area", required_argument, NULL, 'a' },
		{ "account", required_argument, NULL, 'A' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_audit_filter filter = { 0, NULL, NULL };
	enum output_format format = OUTPUT_TABLE;
	struct entries all = { NULL, 0, 0 };
	const char *area = NULL;
	struct cli_view view;
	int c, k, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 's':
			if (clock_utc_parse(optarg, &filter.since, &err) < 0)
				return cli_usage_error("audit: --since: %s",
						       err.message);
			break;
		case 'a': area = optarg; break;
		case 'A': filter.email = optarg; break;
		case 'f':
			if (cli_format_parse("audit", optarg, true,
					     &format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	status = cli_env_open(env, CLI_NEED_AREAS | CLI_NEED_STORE_READ);
	if (status != CLI_OK)
		return status;
	if (area) {
		k = area_find(env->areas, area);
		if (k < 0)
			return cli_usage_error("audit: unknown area '%s' (see "
					       "`parity areas`)", area);
		filter.area_code = env->areas->areas[k].code;
	}
	if (hub_audit_each(env->store, &filter, keep, &all, &err) != 0) {
		release(&all);
		return failed(&err);
	}
	if (format == OUTPUT_CSV) {
		show_csv(&all);
	} else if (format == OUTPUT_JSON) {
		status = show_json(&all);
	} else if (cli_view_open(&view)) {
		show_table(view.file, &all);
		if (cli_view_close(&view, stdout, &err) < 0)
			status = failed(&err);
	} else {
		status = CLI_FAILURE;
	}
	release(&all);
	return status;
}
