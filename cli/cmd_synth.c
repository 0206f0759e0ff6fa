/*
 * cmd_synth.c - `parity synth`: write realistic synthetic returns.
 */
#include "cli.h"

#include "base/number.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "synth/synth.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: parity synth [--services] --year YEAR --out DIR [--seed N]\n"
	"       parity synth --attainment --year YEAR --out FILE [--years N]\n"
	"                    [--seed N]\n"
	"       parity synth --national ROWS --out FILE [--seed N] [--shape LIST]\n"
	"\n"
	"Writes synthetic workforce and recruitment returns for London's 33\n"
	"local authorities for YEAR-1 and YEAR (about 150,000 staff a year),\n"
	"with known disparities planted for the measures to find. The same seed\n"
	"always gives the same files. See docs/synth.md.\n"
	"With --services, writes service returns instead: youth justice,\n"
	"school exclusions, and stop and search, for the 33 authorities and\n"
	"the financial years ending in YEAR-1 and YEAR.\n"
	"With --attainment, writes one attainment return (docs/formats/\n"
	"attainment.md) for the 33 authorities and the N academic years (5 by\n"
	"default) ending in the summer of YEAR, to FILE.\n"
	"\n"
	"With --national, writes one workforce return of ROWS staff for all 331\n"
	"local authorities of England and Wales, with an employer column of\n"
	"their ONS codes, rows by population and ethnic mix by each authority's\n"
	"Census 2021 figures: the input of the national benchmarks. --shape\n"
	"writes it otherwise, with one or more of (joined by commas): grouped\n"
	"(the default: authority by authority), shuffled, quoted (every field),\n"
	"crlf, labels-2011 (2011 wordings, many not known) and wide (30\n"
	"columns).\n";

static void report_file(void *ctx, const char *path, long rows)
{
	long *total = ctx;

	*total += rows;
	(void)path;
}

static int synth_attainment_file(const struct cli_env *env, long year,
				 long years, long seed, const char *path)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct synth_attainment_options opt = { (int)year, (int)years,
						(uint64_t)seed, path };
	long rows;

	if (synth_attainment(&opt, env->areas, env->census, &rows, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("wrote an attainment return for 33 London areas, %ld-%02ld to "
	       "%ld-%02ld, %ld rows, to %s\n", year - years, (year - years + 1) % 100,
	       year - 1, year % 100, rows, path);
	return CLI_OK;
}

static int synth_national_file(const struct cli_env *env, long rows,
			       long seed, const char *path, unsigned shape)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct synth_national_options opt = { rows, (uint64_t)seed, path,
					      shape };

	if (synth_national(&opt, env->areas, env->census, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("wrote a workforce return of %ld staff for the local "
	       "authorities of England and Wales to %s\n", rows, path);
	return CLI_OK;
}

int cmd_synth(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ "services", no_argument, NULL, 'S' },
		{ "national", required_argument, NULL, 'n' },
		{ "shape", required_argument, NULL, 'p' },
		{ "attainment", no_argument, NULL, 'T' },
		{ "years", required_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct synth_options opt = { 0, 1, NULL, 1.0 / 60.0 };
	long year = 0, seed = 1, rows = 0, national = 0, years = 0;
	bool services = false, shaped = false, attainment = false;
	unsigned shape = 0;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (number_parse_int(optarg, 2001, 2100, &year) < 0)
				return cli_usage_error("synth: --year must be a year "
						       "from 2001 to 2100, not '%s'",
						       optarg);
			break;
		case 'o': opt.out_dir = optarg; break;
		case 's':
			if (number_parse_int(optarg, 0, 2147483647L, &seed) < 0)
				return cli_usage_error("synth: --seed must be a whole "
						       "number, not '%s'", optarg);
			break;
		case 'S': services = true; break;
		case 'T': attainment = true; break;
		case 'Y':
			if (number_parse_int(optarg, 1, 20, &years) < 0)
				return cli_usage_error("synth: --years must be a "
						       "number of years from 1 "
						       "to 20, not '%s'", optarg);
			break;
		case 'n':
			if (number_parse_int(optarg, 1, 2000000000L, &national) < 0)
				return cli_usage_error("synth: --national must be "
						       "a number of rows, not '%s'",
						       optarg);
			break;
		case 'p':
			if (synth_shape_parse(optarg, &shape, &err) < 0)
				return cli_usage_error("synth: --shape: %s",
						       err.message);
			shaped = true;
			break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("synth: unexpected argument '%s'", argv[optind]);
	if (shaped && !national)
		return cli_usage_error("synth: --shape is for --national");
	if (years && !attainment)
		return cli_usage_error("synth: --years is for --attainment");
	if (attainment && (services || national))
		return cli_usage_error("synth: give one of --attainment, "
				       "--services and --national");
	if ((!national && !year) || !opt.out_dir) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		return status;
	if (national)
		return synth_national_file(env, national, seed, opt.out_dir,
					   shape);
	if (attainment)
		return synth_attainment_file(env, year, years ? years : 5, seed,
					     opt.out_dir);
	if (mkdir(opt.out_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "parity: %s: cannot create folder: %s\n",
			opt.out_dir, strerror(errno));
		return CLI_FAILURE;
	}
	opt.year = (int)year;
	opt.seed = (uint64_t)seed;
	if ((services ? synth_services(&opt, env->areas, env->census,
				       report_file, &rows, &err)
		      : synth_london(&opt, env->areas, env->census,
				     report_file, &rows, &err)) < 0) {
		cli_report(&err);
		status = cli_exit_for(&err);
	} else if (services) {
		printf("wrote youth justice, school exclusions, and stop and "
		       "search returns for 33 London areas, %ld-%02ld and "
		       "%ld-%02ld, to %s\n", year - 2, (year - 1) % 100,
		       year - 1, year % 100, opt.out_dir);
		status = CLI_OK;
	} else {
		printf("wrote returns for 33 London areas, %ld and %ld, %ld rows, "
		       "to %s\n", year - 1, year, rows, opt.out_dir);
		status = CLI_OK;
	}
	return status;
}
