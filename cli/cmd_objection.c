/*
 * cmd_objection.c - `parity objection`: record that a member of staff or
 * an applicant objects to the processing of their data, and list how many
 * objections each council's returns are under (ingest/objection.h,
 * docs/privacy.md). Recording is audited; no id is ever stored, shown or
 * audited.
 */
#include "cli.h"

#include "domain/area.h"
#include "hub/accounts.h"
#include "ingest/objection.h"
#include "store/objection.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
	"usage: parity objection add --area CODE\n"
	"                            [--kind workforce|recruitment]\n"
	"                            [--db PATH] ID\n"
	"       parity objection list [--db PATH]\n"
	"\n"
	"`add` records that the member of staff (--kind workforce, the\n"
	"default) or applicant (--kind recruitment) whose id in the council's\n"
	"returns is ID objects to the processing of their data. From then on\n"
	"their records are left out of every measure: the aggregates of each\n"
	"return of the council that holds their record, superseded versions\n"
	"too, are made again without it, as are those of every return\n"
	"imported later; and no reading of the records (by sex, the quality\n"
	"report, `returns records`) shows it. The id is turned into the\n"
	"pseudonym the council's returns give it (the store's keyed hash) and\n"
	"is never stored, shown or written to the audit log. ID - reads the\n"
	"id from the first line of standard input, so that it stays out of\n"
	"the shell's history.\n"
	"\n"
	"`list` shows how many objections each council's returns are under,\n"
	"and when the latest was recorded.\n"
	"\n"
	"options:\n"
	"  --area CODE   the council, by code or name\n"
	"  --kind KIND   workforce (staff; the default) or recruitment\n"
	"                (applicants)\n"
	"  --db PATH     the store (default: $PARITY_DB, else parity.db)\n";

/* The id: the argument, or the first line of standard input for "-". */
static int read_id(const char *arg, char *out, size_t size)
{
	size_t n;

	if (strcmp(arg, "-") != 0) {
		snprintf(out, size, "%s", arg);
		return 0;
	}
	if (!fgets(out, (int)size, stdin))
		return -1;
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

static int add(struct cli_env *env, const char *area_arg,
	       enum store_kind kind, const char *id_arg)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct objection_result res;
	struct hub_principal who;
	char id[1024], detail[256];
	const char *code, *name;
	int area, status;
	size_t k;

	status = cli_env_open(env, CLI_NEED_AREAS | CLI_NEED_STORE);
	if (status != CLI_OK)
		return status;
	area = area_find(env->areas, area_arg);
	if (area < 0)
		return cli_usage_error("objection: unknown council '%s'",
				       area_arg);
	code = env->areas->areas[area].code;
	name = env->areas->areas[area].name;
	if (read_id(id_arg, id, sizeof(id)) < 0)
		return cli_usage_error("objection: no id on standard input");
	hub_principal_cli(&who, cli_user_name());
	if (objection_record(env->store, code, kind, id, who.email, &res,
			     &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	memset(id, 0, sizeof(id));
	if (!res.added) {
		printf("that %s of %s objects already: nothing changed\n",
		       kind == STORE_WORKFORCE ? "member of staff"
					       : "applicant", name);
		objection_result_release(&res);
		return CLI_OK;
	}
	snprintf(detail, sizeof(detail), "%s: the aggregates of %zu "
		 "return%s made again without their records",
		 store_kind_name(kind), res.nremade,
		 res.nremade == 1 ? "" : "s");
	if (hub_audit(env->store, &who, "objection.add", code, 0, 0, "ok",
		      detail, (long)time(NULL), &err) < 0) {
		objection_result_release(&res);
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("recorded the objection of %s %s of %s: their records are "
	       "left out of every measure from now on\n",
	       kind == STORE_WORKFORCE ? "a" : "an",
	       kind == STORE_WORKFORCE ? "member of staff" : "applicant",
	       name);
	if (res.nremade == 0)
		printf("no stored return holds their record yet; later "
		       "returns will leave it out\n");
	for (k = 0; k < res.nremade; k++)
		printf("made again without it: the aggregates of submission "
		       "%lld (%s %d, version %d)\n",
		       (long long)res.remade[k].id,
		       store_kind_name(res.remade[k].kind), res.remade[k].year,
		       res.remade[k].version);
	objection_result_release(&res);
	return CLI_OK;
}

static int list(struct cli_env *env)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_objection_count *c;
	size_t n, k;
	int status = cli_env_open(env, CLI_NEED_AREAS | CLI_NEED_STORE_READ);

	if (status != CLI_OK)
		return status;
	if (store_objections_count(env->store, &c, &n, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	if (n == 0)
		printf("(no objections)\n");
	for (k = 0; k < n; k++)
		printf("%s (%s), %s: %ld objection%s, the latest %s\n",
		       cli_area_name(env->areas, c[k].area_code),
		       c[k].area_code, store_kind_name(c[k].kind), c[k].count,
		       c[k].count == 1 ? "" : "s", c[k].latest);
	free(c);
	return CLI_OK;
}

int cmd_objection(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "kind", required_argument, NULL, 'k' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum store_kind kind = STORE_WORKFORCE;
	const char *area = NULL, *action;
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'a': area = optarg; break;
		case 'k':
			if (store_kind_parse(optarg, &kind) < 0 ||
			    kind == STORE_SERVICE)
				return cli_usage_error(
					"objection: --kind must be workforce "
					"or recruitment, not '%s'", optarg);
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	action = argv[optind++];
	if (strcmp(action, "list") == 0) {
		if (optind < argc)
			return cli_usage_error("objection: unexpected argument "
					       "'%s'", argv[optind]);
		return list(env);
	}
	if (strcmp(action, "add") != 0)
		return cli_usage_error("objection: unknown action '%s' (add "
				       "or list)", action);
	if (!area)
		return cli_usage_error("objection add: --area is required");
	if (optind != argc - 1)
		return cli_usage_error("objection add: give one ID (or - to "
				       "read it from standard input)");
	return add(env, area, kind, argv[optind]);
}
