/*
 * cmd_check_disclosure.c - `parity check-disclosure DIR`: prove that what
 * a directory of published CSVs shows is disclosure-controlled.
 *
 * Every *.csv under DIR (recursively, in name order) is read back as a
 * tidy table; files whose header is not a tidy table's are skipped and
 * named. The tables are checked together (sdc_check_table()), so a count
 * in two files is one count and a relation across files counts. Problems
 * go to stdout, one line each, then a summary; the exit status is 0 when
 * safe, 1 when not (or when a file is malformed), 2 for a usage error.
 */
#include "cli.h"

#include "base/alloc.h"
#include "base/number.h"
#include "domain/area.h"
#include "publish/sdc.h"
#include "publish/table_read.h"

#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: parity check-disclosure DIR [--k N] [--protection W]\n"
	"\n"
	"Reads every *.csv under DIR (tidy tables as parity writes them, with\n"
	"withheld figures shown as [c]) and proves two things of them taken\n"
	"together: no count from 1 to N - 1 is shown (--k, default 10), and no\n"
	"withheld count that could be below N can be narrowed, by\n"
	"differencing along any relation between the published figures, to\n"
	"an interval less than W wide (--protection, default N), by linear\n"
	"programming. A withheld count that can only be N or more reveals no\n"
	"small count and is only counted. Prints one line per problem and a\n"
	"summary; exits 0 when safe and 1 when not.\n";

struct file_list {
	char **paths;
	size_t count, cap;
};

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_csv(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

/* Every *.csv under `dir`. */
static int find_csvs(const char *dir, struct file_list *files,
		     struct parity_error *err)
{
	DIR *d = opendir(dir);
	const struct dirent *e;
	struct stat sb;

	if (!d)
		return parity_error_set(err, PARITY_ERR_IO, dir, 0, 0,
					"cannot read the directory");
	while ((e = readdir(d)) != NULL) {
		size_t len;
		char *path;

		if (e->d_name[0] == '.')
			continue;
		len = strlen(dir) + strlen(e->d_name) + 2;
		path = xmalloc(len);
		snprintf(path, len, "%s/%s", dir, e->d_name);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			int rc = find_csvs(path, files, err);

			free(path);
			if (rc < 0) {
				closedir(d);
				return -1;
			}
		} else if (is_csv(e->d_name) && S_ISREG(sb.st_mode)) {
			files->paths = xgrow(files->paths, &files->cap,
					     files->count + 1,
					     sizeof(*files->paths));
			files->paths[files->count++] = path;
		} else {
			free(path);
		}
	}
	closedir(d);
	return 0;
}

static void print_problem(const struct sdc_check_problem *pr,
			  const struct tidy_row *r, const char *file,
			  long line, double k, double protection)
{
	printf("%s:%ld: %s, %s (%s), %s%s%s: ", file, line, r->measure,
	       r->area_name[0] ? r->area_name : r->area_code, r->area_code,
	       r->ethnicity, r->breakdown[0] ? ", " : "", r->breakdown);
	if (pr->small) {
		printf("the count %g (%s) is shown: counts from 1 to %g must "
		       "be withheld\n", pr->low,
		       tidy_column_name(pr->column), k - 1);
		return;
	}
	if (isinf(pr->high))
		printf("the withheld %s lies in [%g, inf)",
		       tidy_column_name(pr->column), pr->low);
	else
		printf("the withheld %s lies in [%g, %g]",
		       tidy_column_name(pr->column), pr->low, pr->high);
	printf(", %s; it must be at least %g wide\n",
	       pr->low == pr->high ? "so it can be worked out exactly"
				   : "which is too narrow",
	       protection);
}

static int parse_number(const char *opt, const char *text, double *out)
{
	if (number_parse(text, out) < 0 || !(*out >= 1) || *out > 1e9)
		return cli_usage_error("check-disclosure: --%s must be a "
				       "number from 1, not '%s'", opt, text);
	return CLI_OK;
}

int cmd_check_disclosure(int argc, char **argv)
{
	static const struct option options[] = {
		{ "k", required_argument, NULL, 'k' },
		{ "protection", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct file_list files = { NULL, 0, 0 };
	struct area_set *areas = NULL;
	struct tidy_table t;
	struct sdc_check check;
	long *lines = NULL;
	size_t *file_of = NULL, lines_cap = 0, file_cap = 0, k, skipped = 0;
	double threshold = SDC_K_DEFAULT, protection = -1;
	int c, status;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (parse_number("k", optarg, &threshold) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'p':
			if (parse_number("protection", optarg, &protection) !=
			    CLI_OK)
				return CLI_USAGE;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return CLI_OK;
		default:
			fputs(usage_text, stderr);
			return CLI_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(usage_text, stderr);
		return CLI_USAGE;
	}
	if (protection < 0)
		protection = threshold;
	memset(&check, 0, sizeof(check));
	tidy_table_init(&t);
	if (find_csvs(argv[optind], &files, &err) < 0 ||
	    area_set_load(&areas, &err) < 0)
		goto fail;
	if (files.count > 1)
		qsort(files.paths, files.count, sizeof(*files.paths),
		      compare_strings);
	for (k = 0; k < files.count; k++) {
		size_t from = t.count, r;
		int got = tidy_table_read_csv(files.paths[k], &t, &lines,
					      &lines_cap, &err);

		if (got < 0)
			goto fail;
		if (got == 1) {
			fprintf(stderr, "parity: %s: skipped: not a tidy "
				"table (no 'measure' column)\n",
				files.paths[k]);
			skipped++;
			continue;
		}
		file_of = xgrow(file_of, &file_cap, t.count ? t.count : 1,
				sizeof(*file_of));
		for (r = from; r < t.count; r++)
			file_of[r] = k;
	}
	if (files.count == skipped) {
		parity_error_set(&err, PARITY_ERR_NOT_FOUND, argv[optind], 0,
				 0, "no tidy CSV tables here to check");
		goto fail;
	}
	if (sdc_check_table(&t, areas, threshold, protection, &check,
			    &err) < 0)
		goto fail;
	for (k = 0; k < check.nproblems; k++) {
		const struct sdc_check_problem *pr = &check.problems[k];

		print_problem(pr, &t.rows[pr->row],
			      files.paths[file_of[pr->row]], lines[pr->row],
			      threshold, protection);
	}
	printf("checked %zu files (%zu skipped), %zu rows: %zu counts, %zu "
	       "withheld, %zu relations; ", files.count - skipped, skipped,
	       t.count, check.counts, check.withheld, check.relations);
	if (isinf(check.narrowest))
		printf("no withheld count that could be small is bounded");
	else
		printf("narrowest interval of a withheld count that could be "
		       "small %g (at least %g needed)", check.narrowest,
		       protection);
	if (check.large_known)
		printf("; %zu withheld count%s of %g or more can be worked "
		       "out, which reveals no small count", check.large_known,
		       check.large_known == 1 ? "" : "s", threshold);
	putchar('\n');
	if (check.nproblems)
		printf("not safe: %zu problem%s\n", check.nproblems,
		       check.nproblems == 1 ? "" : "s");
	else
		printf("safe: no count from 1 to %g is shown, and no withheld "
		       "count can be narrowed to less than %g\n",
		       threshold - 1, protection);
	status = check.nproblems ? CLI_INVALID : CLI_OK;
	goto out;
fail:
	cli_report(&err);
	status = cli_exit_for(&err);
out:
	sdc_check_free(&check);
	tidy_table_free(&t);
	area_set_free(areas);
	for (k = 0; k < files.count; k++)
		free(files.paths[k]);
	free(files.paths);
	free(lines);
	free(file_of);
	return status;
}
