/*
 * cmd_benchmark.c - `parity benchmark`: residents by ethnic group for an
 * area, from Census 2021 or a benchmark file.
 */
#include "cli.h"
#include "output.h"

#include "base/alloc.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"
#include "table/render.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] =
	"usage: parity benchmark [--area CODE|NAME ...] [--all-areas]\n"
	"                        [--level detailed|high|white-british-binary|white-binary]\n"
	"                        [--benchmark FILE] [--aliases FILE]\n"
	"                        [--format table|csv|json]\n"
	"\n"
	"Prints residents and their share by ethnic group. The default area is\n"
	"London; --all-areas gives London, Inner and Outer London and every\n"
	"borough. The default source is Census 2021 (TS021); --benchmark reads\n"
	"a CSV with header area_code,ethnicity,population instead.\n";

int cmd_benchmark(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "all-areas", no_argument, NULL, 'A' },
		{ "level", required_argument, NULL, 'l' },
		{ "benchmark", required_argument, NULL, 'b' },
		{ "aliases", required_argument, NULL, 'x' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	const struct area_set *areas;
	struct benchmark *file = NULL;
	const struct benchmark *bench;
	struct tidy_table table;
	enum ethnicity_level level = ETH_LEVEL_DETAILED;
	enum output_format format = OUTPUT_TABLE;
	const char *benchmark_path = NULL;
	const char **area_args = NULL;
	size_t nareas = 0, area_cap = 0, k;
	bool all_areas = false;
	int *chosen = NULL;
	int c, status = CLI_FAILURE;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'a':
			area_args = xgrow(area_args, &area_cap, nareas + 1,
					  sizeof(*area_args));
			area_args[nareas++] = optarg;
			break;
		case 'A': all_areas = true; break;
		case 'l':
			if (ethnicity_level_parse(optarg, &level, &err) < 0) {
				cli_report(&err);
				free(area_args);
				return CLI_USAGE;
			}
			break;
		case 'b': benchmark_path = optarg; break;
		case 'x': env->aliases = optarg; break;
		case 'f':
			if (cli_format_parse("benchmark", optarg, true,
					     &format) != CLI_OK) {
				free(area_args);
				return CLI_USAGE;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			free(area_args);
			return CLI_OK;
		default:
			fputs(usage_text, stderr);
			free(area_args);
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		free(area_args);
		return cli_usage_error("benchmark: unexpected argument '%s'",
				       argv[optind]);
	}
	tidy_table_init(&table);
	status = cli_env_open(env, env->needs | (benchmark_path
						 ? CLI_NEED_CLASSIFIER
						 : CLI_NEED_CENSUS));
	if (status != CLI_OK)
		goto out;
	areas = env->areas;
	chosen = cli_choose_areas(areas, "benchmark", area_args, nareas,
				  all_areas, &nareas);
	if (!chosen) {
		status = CLI_USAGE;
		goto out;
	}
	if (benchmark_path &&
	    benchmark_load_file(&file, areas, env->classifier, benchmark_path,
				&err) < 0)
		goto fail;
	bench = benchmark_path ? file : env->census;
	for (k = 0; k < nareas; k++)
		if (benchmark_table(bench, chosen[k], level, &table, &err) < 0)
			goto fail;
	if (cli_table_write(&table, format, stdout, &err) < 0)
		goto fail;
	status = CLI_OK;
	goto out;
fail:
	cli_report(&err);
	status = cli_exit_for(&err);
out:
	tidy_table_free(&table);
	benchmark_free(file);
	free(chosen);
	free(area_args);
	return status;
}
