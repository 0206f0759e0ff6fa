/*
 * cmd_areas.c - `parity areas`: the areas parity knows and how they nest.
 */
#include "cli.h"
#include "output.h"

#include "domain/area.h"
#include "table/render.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity areas [--all] [--format table|csv]\n"
	"\n"
	"Lists London (E12000007), Inner and Outer London, and the 33 London\n"
	"local authorities with their ONS codes. --all lists every area of\n"
	"England and Wales as they nest: England and Wales (K04000001), England\n"
	"(E92000001) and its nine regions, Wales (W92000004), and each local\n"
	"authority within its region or Wales.\n";

/* Whether `parity areas` lists area `k`: with --all every area, else
 * London's (London, Inner and Outer London, the boroughs). */
static bool listed(const struct area_set *set, size_t k, bool all)
{
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
		if (set->areas[k].parent == parent) {
			print_area(out, set, (int)k, depth);
			print_tree(out, set, (int)k, depth + 1);
		}
}

/* The terminal view: London's hierarchy, or (with --all) every area's
 * from the top. */
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
			if (set->areas[k].parent < 0) {
				print_area(view.file, set, (int)k, 0);
				print_tree(view.file, set, (int)k, 1);
			}
	} else {
		print_area(view.file, set, area_london(set), 0);
		print_tree(view.file, set, area_london(set), 1);
	}
	return cli_view_close(&view, stdout, err);
}

int cmd_areas(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	const struct area_set *set;
	enum output_format format = OUTPUT_TABLE;
	bool all = false;
	size_t k;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'f':
			if (cli_format_parse("areas", optarg, false,
					     &format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("areas: unexpected argument '%s'",
				       argv[optind]);
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		return status;
	set = env->areas;
	if (format == OUTPUT_CSV) {
		printf("area_code,area_name,area_type,parent_code,parent_name\n");
		for (k = 0; k < set->count; k++) {
			const struct area *a = &set->areas[k];
			const struct area *p =
				a->parent >= 0 ? &set->areas[a->parent] : NULL;

			if (!listed(set, k, all))
				continue;
			printf("%s,", a->code);
			csv_write_field(stdout, a->name);
			printf(",%s,%s,", area_type_name(a->type),
			       p ? p->code : "");
			csv_write_field(stdout, p ? p->name : "");
			putchar('\n');
		}
	} else if (write_tree(set, all, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	return CLI_OK;
}
