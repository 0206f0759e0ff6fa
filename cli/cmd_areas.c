/*
 * cmd_areas.c - `parity areas`: the areas parity knows and how they nest,
 * the groups of boroughs beside them (London's partnerships, and groups a
 * user defines), and `parity areas define` / `undefine` for those groups.
 */
#include "cli.h"
#include "output.h"

#include "base/alloc.h"
#include "domain/area.h"
#include "store/area_group_store.h"
#include "table/render.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: parity areas [--all] [--format table|csv] [--db PATH]\n"
	"       parity areas define NAME AREA... [--db PATH]\n"
	"       parity areas undefine NAME [--db PATH]\n"
	"\n"
	"Lists London (E12000007), Inner and Outer London, and the 33 London\n"
	"local authorities with their ONS codes; then London's four\n"
	"sub-regional partnerships (Central London Forward P-CLF, Local London\n"
	"P-LL, South London Partnership P-SLP, West London Alliance P-WLA)\n"
	"with their member boroughs, and the groups of boroughs defined in the\n"
	"store, if there is one. --all lists every area of England and Wales\n"
	"as they nest: England and Wales (K04000001), England (E92000001) and\n"
	"its nine regions, Wales (W92000004), and each local authority within\n"
	"its region or Wales.\n"
	"\n"
	"define NAME AREA... keeps a group of two or more London boroughs\n"
	"(each by code or name) in the store under NAME, with the code\n"
	"G-NAME in capitals; it is then an area wherever one is named:\n"
	"`parity report ... --area NAME`, and `parity publish`. undefine NAME\n"
	"(or its code) removes it.\n"
	"\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n";

/* Whether `parity areas` lists area `k` in the tree: with --all every
 * area, else London's (London, Inner and Outer London, the boroughs). */
static bool listed(const struct area_set *set, size_t k, bool all)
{
	if (area_is_group(set, (int)k))
		return true;
	return all || area_within(set, (int)k, area_london(set));
}

static void print_area(FILE *out, const struct area_set *set, int k,
		       int depth)
{
	const struct area *a = &set->areas[k];

	fprintf(out, "%*s%s  %s (%s)\n", depth * 2, "", a->code, a->name,
		area_type_name(a->type));
}

static void print_tree(FILE *out, const struct area_set *set, int parent,
		       int depth)
{
	size_t k;

	for (k = 0; k < set->count; k++)
		if (set->areas[k].parent == parent &&
		    !area_is_group(set, (int)k)) {
			print_area(out, set, (int)k, depth);
			print_tree(out, set, (int)k, depth + 1);
		}
}

/* The groups of type `type`, each with its members, under `heading`. */
static void print_groups(FILE *out, const struct area_set *set,
			 enum area_type type, const char *heading)
{
	size_t k, j;
	bool any = false;

	for (k = 0; k < set->count; k++) {
		const struct area *g = &set->areas[k];

		if (g->type != type)
			continue;
		if (!any)
			fprintf(out, "\n%s\n", heading);
		any = true;
		fprintf(out, "%s  %s (%s of %zu boroughs)\n", g->code, g->name,
			area_type_name(type), g->nmembers);
		for (j = 0; j < g->nmembers; j++)
			print_area(out, set, g->members[j], 1);
	}
}

/* The terminal view: London's hierarchy, or (with --all) every area's
 * from the top; then the partnerships and groups with their members. */
static int write_tree(const struct area_set *set, bool all,
		      struct parity_error *err)
{
	struct cli_view view;
	size_t k;

	if (!cli_view_open(&view))
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"out of memory for the areas");
	if (all) {
		for (k = 0; k < set->count; k++)
			if (set->areas[k].parent < 0 &&
			    !area_is_group(set, (int)k)) {
				print_area(view.file, set, (int)k, 0);
				print_tree(view.file, set, (int)k, 1);
			}
	} else {
		print_area(view.file, set, area_london(set), 0);
		print_tree(view.file, set, area_london(set), 1);
	}
	print_groups(view.file, set, AREA_PARTNERSHIP,
		     "London's sub-regional partnerships (beside Inner and "
		     "Outer London; no ONS code):");
	print_groups(view.file, set, AREA_GROUP,
		     "Groups of boroughs defined in the store (`parity areas "
		     "define`):");
	return cli_view_close(&view, stdout, err);
}

/* The CSV view: one row an area; a group's parent is empty and its
 * members are its rows' `members`, codes separated by spaces. */
static void write_csv(const struct area_set *set, bool all)
{
	size_t k, j;

	printf("area_code,area_name,area_type,parent_code,parent_name,"
	       "members\n");
	for (k = 0; k < set->count; k++) {
		const struct area *a = &set->areas[k];
		const struct area *p =
			a->parent >= 0 ? &set->areas[a->parent] : NULL;

		if (!listed(set, k, all))
			continue;
		printf("%s,", a->code);
		csv_write_field(stdout, a->name);
		printf(",%s,%s,", area_type_name(a->type), p ? p->code : "");
		csv_write_field(stdout, p ? p->name : "");
		putchar(',');
		for (j = 0; j < a->nmembers; j++)
			printf("%s%s", j ? " " : "",
			       set->areas[a->members[j]].code);
		putchar('\n');
	}
}

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

/* `parity areas define NAME AREA...` */
static int define(struct cli_env *env, const char *name,
		  char *const *given, size_t ngiven)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char code[AREA_GROUP_CODE_MAX + 1];
	int *members;
	size_t k;
	int status;

	if (area_group_code(name, code, &err) < 0)
		return cli_usage_error("areas define: %s", err.message);
	status = cli_env_open(env, CLI_NEED_AREAS | CLI_NEED_STORE);
	if (status != CLI_OK)
		return status;
	members = xcalloc(ngiven ? ngiven : 1, sizeof(*members));
	for (k = 0; k < ngiven; k++) {
		members[k] = area_find(env->areas, given[k]);
		if (members[k] < 0 ||
		    env->areas->areas[members[k]].type != AREA_BOROUGH) {
			bool unknown = members[k] < 0;

			free(members);
			if (unknown)
				return cli_usage_error(
					"areas define: unknown borough '%s' "
					"(see `parity areas`)", given[k]);
			return cli_usage_error(
				"areas define: '%s' is not a London borough: "
				"a group is of boroughs (see `parity areas`)",
				given[k]);
		}
	}
	if (store_area_group_define(env->store, env->areas, code, name,
				    members, ngiven, cli_user_name(),
				    &err) < 0) {
		free(members);
		if (err.code != PARITY_ERR_VALIDATION)
			return failed(&err);
		cli_message("areas define: %s", err.message);
		return cli_exit_for(&err);
	}
	free(members);
	k = (size_t)area_find(env->areas, code);
	printf("defined %s  %s: %zu boroughs\n", code, name,
	       env->areas->areas[k].nmembers);
	return CLI_OK;
}

/* `parity areas undefine NAME` */
static int undefine(struct cli_env *env, const char *name)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char code[AREA_GROUP_CODE_MAX + 1];
	int status, rc;

	status = cli_env_open(env, CLI_NEED_AREAS | CLI_NEED_STORE);
	if (status != CLI_OK)
		return status;
	rc = store_area_group_remove(env->store, name, code, &err);
	if (rc < 0)
		return failed(&err);
	if (rc == 0) {
		int a = area_find(env->areas, name);

		if (a >= 0)
			return cli_usage_error(
				"areas undefine: %s is not a group defined "
				"with `parity areas define`", name);
		return cli_usage_error("areas undefine: no group '%s' (see "
				       "`parity areas`)", name);
	}
	printf("removed %s  %s\n", code, name);
	return CLI_OK;
}

int cmd_areas(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	enum output_format format = OUTPUT_TABLE;
	bool all = false, formatted = false;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'f':
			if (cli_format_parse("areas", optarg, false,
					     &format) != CLI_OK)
				return CLI_USAGE;
			formatted = true;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc && strcmp(argv[optind], "define") == 0) {
		if (all || formatted)
			return cli_usage_error("areas: --all and --format go "
					       "with the list, not define");
		if (optind + 1 >= argc)
			return cli_usage_error("areas define: give a NAME and "
					       "its boroughs");
		if (optind + 2 >= argc)
			return cli_usage_error("areas define: the group '%s' "
					       "has no boroughs",
					       argv[optind + 1]);
		return define(env, argv[optind + 1], argv + optind + 2,
			      (size_t)(argc - optind - 2));
	}
	if (optind < argc && strcmp(argv[optind], "undefine") == 0) {
		if (all || formatted)
			return cli_usage_error("areas: --all and --format go "
					       "with the list, not undefine");
		if (optind + 2 != argc)
			return cli_usage_error("areas undefine: give one NAME");
		return undefine(env, argv[optind + 1]);
	}
	if (optind < argc)
		return cli_usage_error("areas: unexpected argument '%s'",
				       argv[optind]);
	/* a store's groups are listed when there is a store */
	status = cli_env_open(env, env->needs |
				   (cli_db_exists(env->db)
				    ? CLI_NEED_STORE_READ : 0));
	if (status != CLI_OK)
		return status;
	if (format == OUTPUT_CSV)
		write_csv(env->areas, all);
	else if (write_tree(env->areas, all, &err) < 0)
		return failed(&err);
	return CLI_OK;
}
