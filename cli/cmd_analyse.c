/*
 * cmd_analyse.c - `parity analyse FILE`: a workforce return checked and
 * summarised straight from the file, on every core, without a store.
 */
#include "cli.h"
#include "output.h"

#include "base/diag.h"
#include "base/number.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "ingest/returns.h"
#include "measure/summary.h"
#include "measure/workforce.h"
#include "table/render.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define MAX_ERRORS_SHOWN 50
#define MAX_WARNINGS_SHOWN 20

static const char usage_text[] =
	"usage: parity analyse [--year YEAR] [--area CODE] [--aliases FILE]\n"
	"                      [--codes SYSTEM] [--full-time-hours HOURS]\n"
	"                      [--threads N]\n"
	"                      [--format table|csv|json] [-o FILE] FILE\n"
	"\n"
	"Checks a workforce return exactly as `parity import workforce` does\n"
	"(every row validated and its ethnicity classified; any error and\n"
	"nothing is written, exit status 1) and gives, per employer and ethnic\n"
	"group, staff_count, mean_hourly_pay and median_hourly_pay (exact), and\n"
	"per employer, pay band and group, band_count: the tidy table that\n"
	"`parity report summary` gives from the store for the same file. It\n"
	"reads the file once, in blocks, on every core (--threads N to choose),\n"
	"and stores nothing. The employer column says whose rows are whose;\n"
	"without one, --area does. --year only labels the rows. --codes reads\n"
	"bare ethnicity codes by a code list (nhs, dfe, police-sde,\n"
	"police-ode), as `parity import --codes` does. There is no store, so\n"
	"the alias register is not read: give its aliases with --aliases.\n";

int cmd_analyse(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "area", required_argument, NULL, 'a' },
		{ "aliases", required_argument, NULL, 'x' },
		{ "codes", required_argument, NULL, 'C' },
		{ "full-time-hours", required_argument, NULL, 'H' },
		{ "threads", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct analyse_options opt;
	struct analyse_result res;
	struct workforce_options wopt;
	struct diag_list diags;
	struct tidy_table table;
	struct cli_output_guard guard;
	struct cli_output out;
	enum output_format format = OUTPUT_TABLE;
	const char *out_path = NULL;
	long year = 0, threads = 0;
	double hours;
	size_t k;
	int c, status;

	memset(&opt, 0, sizeof(opt));
	memset(&res, 0, sizeof(res));
	workforce_options_init(&wopt);
	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (number_parse_int(optarg, RETURN_YEAR_MIN,
					     RETURN_YEAR_MAX, &year) < 0)
				return cli_usage_error("analyse: --year must be "
						       "a year from %d to %d, "
						       "not '%s'",
						       RETURN_YEAR_MIN,
						       RETURN_YEAR_MAX, optarg);
			break;
		case 'a': opt.area = optarg; break;
		case 'x': env->aliases = optarg; break;
		case 'C':
			if (cli_env_set_codes(env, optarg) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'H':
			if (number_parse(optarg, &hours) < 0 || !(hours > 0) ||
			    hours > 168)
				return cli_usage_error(
					"analyse: --full-time-hours must be a "
					"number of hours a week, not '%s'",
					optarg);
			wopt.full_time_hours = hours;
			break;
		case 't':
			if (number_parse_int(optarg, 1, 64, &threads) < 0)
				return cli_usage_error("analyse: --threads must "
						       "be from 1 to 64, not "
						       "'%s'", optarg);
			break;
		case 'f':
			if (cli_format_parse("analyse", optarg, true,
					     &format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'o': out_path = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	opt.path = argv[optind];
	/* -o never replaces the file read, nor a store it might name */
	cli_output_guard_init(&guard, "analyse");
	cli_output_guard_store(&guard, cli_db_path(NULL));
	cli_output_guard_input(&guard, "the workforce file", opt.path);
	cli_output_guard_input(&guard, "the --aliases file", env->aliases);
	status = cli_output_check(&guard, out_path);
	if (status != CLI_OK)
		return status;
	opt.year = year ? (int)year : RETURN_YEAR_MIN;
	opt.threads = (int)threads;
	diag_list_init(&diags);
	tidy_table_init(&table);
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		goto out;
	opt.areas = env->areas;
	opt.classifier = env->classifier;
	if (analyse_return(&opt, &diags, &res, &err) < 0) {
		cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
		goto fail;
	}
	cli_print_diags(&diags, MAX_ERRORS_SHOWN, MAX_WARNINGS_SHOWN);
	for (k = 0; k < res.count; k++)
		workforce_summary(&res.aggs[k], env->areas, res.areas[k],
				  (int)year,
				  &wopt, &table);
	/* The output is written only once the whole file has been checked. */
	if (cli_output_open(&out, out_path, &guard, &err) < 0 ||
	    cli_output_close(&out, cli_table_write(&table, format, out.file,
						   &err), &err) < 0)
		goto fail;
	status = CLI_OK;
	goto out;
fail:
	cli_report(&err);
	status = cli_exit_for(&err);
out:
	analyse_result_release(&res);
	tidy_table_free(&table);
	diag_list_release(&diags);
	return status;
}
