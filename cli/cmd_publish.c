/*
 * cmd_publish.c - `parity publish`: write the public website and downloads
 * for a year from the store, as a numbered release (src/site/site.h).
 * This file only reads the command line and reports; the site is made in
 * the library, which checks the options again (site_options_check()) and
 * refuses text that is not UTF-8 before anything is written.
 */
#include "cli.h"

#include "base/clock.h"
#include "base/number.h"
#include "site/site.h"
#include "store/store.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
	"usage: parity publish --year YEAR -o DIR [--k N] [--round N]\n"
	"                      [--correction TEXT] [--date YYYY-MM-DD]\n"
	"                      [--next-update YYYY-MM-DD] [--contact ADDRESS]\n"
	"                      [--by-sex] [--db PATH]\n"
	"\n"
	"Write the public website for YEAR from the store into DIR: a London\n"
	"overview, a page per borough, pages comparing boroughs (funnel plots),\n"
	"the services, attainment (when the store holds returns for the\n"
	"academic year ending in YEAR), methodology and downloads (a tidy CSV\n"
	"per dataset with CSVW metadata, a CSV beside every table of the rows\n"
	"it shows, and an Excel workbook). Every figure passes through\n"
	"disclosure control first: counts from 1 to N - 1 (--k, default 10) are\n"
	"withheld as [c], with whatever would reveal them. --round 5 rounds the\n"
	"counts shown to base 5. --by-sex adds each workforce page's breakdown\n"
	"by sex, protected with the rest: on a full London it makes disclosure\n"
	"control withhold far more and take several times as long (see\n"
	"docs/publishing.md).\n"
	"\n"
	"Each publication is a numbered release, kept in DIR/releases/N/; DIR's\n"
	"top level always shows the latest, with DIR/corrections.html and\n"
	"DIR/releases.json listing every release. A year already published may\n"
	"be published again only with --correction TEXT saying what changed; the\n"
	"new release shows it on every page (UTF-8 text). --date sets the\n"
	"publication date shown (default today, UTC), --next-update the date\n"
	"the next release is due (default a year later), and --contact where\n"
	"readers write (an email address or an https:// address; default\n"
	"London Councils' website): every page shows both in its footer, with\n"
	"the licence (Open Government Licence v3.0) and the accessibility\n"
	"statement.\n"
	"\n"
	"DIR must be empty or a site parity published: nothing else in it is\n"
	"written over or deleted. A release is written beside the live one and\n"
	"made live with one rename, so the site is whole at every moment, even\n"
	"if publishing fails or is stopped. See docs/publishing.md.\n";

static int parse_args(int argc, char **argv, struct site_options *opt,
		      const char **db)
{
	static const struct option options[] = {
		{ "year", required_argument, NULL, 'y' },
		{ "output", required_argument, NULL, 'o' },
		{ "k", required_argument, NULL, 'k' },
		{ "round", required_argument, NULL, 'r' },
		{ "correction", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'D' },
		{ "next-update", required_argument, NULL, 'N' },
		{ "contact", required_argument, NULL, 'C' },
		{ "by-sex", no_argument, NULL, 'X' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long year = 0, n;
	int c;

	while ((c = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (number_parse_int(optarg, 1900, 2200, &year) < 0)
				return cli_usage_error("publish: --year must be "
						       "a year, not '%s'", optarg);
			break;
		case 'o': opt->dir = optarg; break;
		case 'k':
			if (number_parse_int(optarg, 2, 1000, &n) < 0)
				return cli_usage_error("publish: --k must be a "
						       "whole number from 2 to "
						       "1000, not '%s'", optarg);
			opt->sdc.k = (double)n;
			opt->sdc.protection = (double)n;
			break;
		case 'r':
			if (number_parse_int(optarg, 1, 100, &n) < 0)
				return cli_usage_error("publish: --round must be "
						       "a whole number from 1 to "
						       "100, not '%s'", optarg);
			opt->sdc.round_to = (double)n;
			break;
		case 'c': opt->correction = optarg; break;
		case 'D':
			if (!site_date_valid(optarg))
				return cli_usage_error("publish: --date must be "
						       "a date written "
						       "YYYY-MM-DD, not '%s'",
						       optarg);
			opt->date = optarg;
			break;
		case 'N':
			if (!site_date_valid(optarg))
				return cli_usage_error("publish: --next-update "
						       "must be a date written "
						       "YYYY-MM-DD, not '%s'",
						       optarg);
			opt->next_update = optarg;
			break;
		case 'C': opt->contact = optarg; break;
		case 'X': opt->by_sex = true; break;
		case 'd': *db = optarg; break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			fputs(usage_text, stderr);
			return CLI_USAGE;
		}
	}
	if (optind != argc) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (year == 0)
		return cli_usage_error("publish: --year is required");
	if (!opt->dir)
		return cli_usage_error("publish: -o DIR is required");
	opt->year = (int)year;
	return CLI_OK;
}

int cmd_publish(int argc, char **argv, struct cli_env *env)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct site_options opt;
	struct site_summary sum;
	char today[CLOCK_DATE_SIZE];
	int status;

	site_options_init(&opt);
	status = parse_args(argc, argv, &opt, &env->db);
	if (status != CLI_OK)
		return status < 0 ? CLI_OK : status;
	if (!opt.date) {
		clock_utc_date((long)time(NULL), today, sizeof(today));
		opt.date = today;
	}
	if (site_options_check(&opt, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		return status;
	if (site_publish(env->store, &opt, &sum, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("published release %d (%d data) in %s/releases/%d/\n",
	       sum.release, opt.year, opt.dir, sum.release);
	printf("  %zu pages, %zu downloads, %.1f MB\n", sum.pages,
	       sum.downloads, (double)sum.bytes / 1e6);
	printf("  disclosure control: %zu counts withheld as small, %zu more "
	       "so they cannot be worked out\n", sum.sdc.primary,
	       sum.sdc.secondary);
	printf("  services: %zu published (London and its boroughs), %zu held back\n",
	       sum.services_published, sum.services_held);
	if (sum.attainment_period[0])
		printf("  attainment: %s %s (London, its parts and its "
		       "boroughs)\n", sum.attainment_period,
		       sum.attainment_held ? "held back" : "published");
	printf("  the latest release is also at %s/index.html\n", opt.dir);
	return CLI_OK;
}
