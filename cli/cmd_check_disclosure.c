/*
 * cmd_check_disclosure.c - `parity check-disclosure DIR`: prove that what
 * a directory of published CSVs shows is disclosure-controlled.
 *
 * Every *.csv under DIR (recursively, in name order) is read back as a
 * tidy table; files whose header is not a tidy table's are skipped and
 * named. Symbolic links are never followed (a link to / or a loop would
 * make the walk unbounded): each is skipped and named. Files are grouped
 * into datasets by name less the year ("workforce-2024.csv" and
 * "workforce-2023.csv" are the workforce; each service is its own; a
 * file in a folder areas/NAME/, one area's rows as `parity publish`
 * writes them, or under tables/NAME/, one table's rows, is NAME's), and
 * each dataset is checked with all its files together
 * (sdc_check_releases()), so a count in two files is one count and a
 * relation across files counts. Problems go to stdout, one line each,
 * then a summary; the exit status is 0 when safe, 1 when not (or when a
 * file is malformed), 2 for a usage error.
 *
 * A published site (docs/publishing.md) keeps each release N in
 * DIR/releases/N/ and a copy of the latest at DIR's top level. When
 * DIR/releases/ exists, the checker reads DIR/releases/N/downloads/ for
 * every release, in release order, each into its own table, and skips the
 * rest of DIR (saying so once): the top-level copy would be the latest
 * release a second time. The releases are checked together: a reader has
 * them all.
 */
#include "cli.h"

#include "base/alloc.h"
#include "base/number.h"
#include "domain/area.h"
#include "sdc/sdc.h"
#include "table/table_read.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: parity check-disclosure DIR [--k N] [--protection W] [--db PATH]\n"
	"\n"
	"Reads every *.csv under DIR (tidy tables as parity writes them, with\n"
	"withheld figures shown as [c]; symbolic links are not followed) and,\n"
	"for each dataset (the workforce, each service: files named alike but\n"
	"for the year; a file in areas/NAME/ or under tables/NAME/ is NAME's)\n"
	"with all its files and releases together, proves: no\n"
	"count from 1 to N - 1 is shown (--k, default 10); no withheld count\n"
	"that could be below N can be narrowed, by differencing along any\n"
	"relation between the published figures (and by a service's stages:\n"
	"a stage within an earlier one counts no more than it), to an\n"
	"interval less than W wide (--protection, default N), by linear\n"
	"programming; and no figure is shown (a share, ratio, interval,\n"
	"p-value, change or place on a funnel plot) that rests on a count\n"
	"withheld or not published (the registry of measures, `parity\n"
	"measures`, says what each rests on).\n"
	"A published site's releases (DIR/releases/N/downloads) are read\n"
	"together, the top-level copy skipped. A withheld count that can only\n"
	"be N or more reveals no small count and is only counted. Prints one\n"
	"line per problem and a summary; exits 0 when safe and 1 when not.\n"
	"London's partnerships are areas, each the sum of its member\n"
	"boroughs; --db PATH adds the groups of boroughs defined in that store\n"
	"(`parity areas define`), so that a published group is checked as the\n"
	"sum of its members too.\n";

/* Folders deeper than this under DIR are not read (a published site is
 * four deep). */
#define MAX_DEPTH 32

struct file_list {
	char **paths;
	size_t count, cap;
};

/* One release's files and what was read from them. Without releases, the
 * whole of DIR is one. */
struct release {
	char *name;          /* "N", or DIR without releases */
	struct file_list files;
	struct tidy_table t;
	long *lines;         /* per row of t: its line in its file */
	size_t *file_of;     /* per row of t: its file */
	size_t lines_cap, file_cap;
	size_t skipped;      /* files that are not tidy tables */
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

static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(len);

	snprintf(path, len, "%s/%s", dir, name);
	return path;
}

static void file_list_add(struct file_list *files, char *path)
{
	files->paths = xgrow(files->paths, &files->cap, files->count + 1,
			     sizeof(*files->paths));
	files->paths[files->count++] = path;
}

static void file_list_free(struct file_list *files)
{
	size_t k;

	for (k = 0; k < files->count; k++)
		free(files->paths[k]);
	free(files->paths);
	memset(files, 0, sizeof(*files));
}

/*
 * Every *.csv under `dir`, into `files`. Entries are looked at with
 * lstat(): a symbolic link is skipped and named on stderr, never
 * followed, so the walk stays within DIR and ends.
 */
static int find_csvs(const char *dir, int depth, struct file_list *files,
		     struct parity_error *err)
{
	DIR *d;
	const struct dirent *e;
	struct stat sb;

	if (depth > MAX_DEPTH) {
		fprintf(stderr, "parity: %s: skipped: more than %d folders "
			"deep\n", dir, MAX_DEPTH);
		return 0;
	}
	d = opendir(dir);
	if (!d)
		return parity_error_set(err, PARITY_ERR_IO, dir, 0, 0,
					"cannot read the directory");
	while ((e = readdir(d)) != NULL) {
		char *path;

		if (e->d_name[0] == '.')
			continue;
		path = join(dir, e->d_name);
		if (lstat(path, &sb) != 0) {
			free(path);
			continue;
		}
		if (S_ISLNK(sb.st_mode)) {
			fprintf(stderr, "parity: %s: skipped: a symbolic link "
				"(not followed)\n", path);
			free(path);
		} else if (S_ISDIR(sb.st_mode)) {
			int rc = find_csvs(path, depth + 1, files, err);

			free(path);
			if (rc < 0) {
				closedir(d);
				return -1;
			}
		} else if (S_ISREG(sb.st_mode) && is_csv(e->d_name)) {
			file_list_add(files, path);
		} else {
			free(path);
		}
	}
	closedir(d);
	return 0;
}

/* Every *.csv under `dir`, in name order. */
static int list_csvs(const char *dir, struct file_list *files,
		     struct parity_error *err)
{
	if (find_csvs(dir, 0, files, err) < 0)
		return -1;
	if (files->count > 1)
		qsort(files->paths, files->count, sizeof(*files->paths),
		      compare_strings);
	return 0;
}

/* Whether `path` is a directory itself, not a link to one. */
static bool real_dir(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* A release's number: its folder's name, all digits. */
static bool release_number(const char *name, unsigned long *out)
{
	const char *c;
	char *end;

	if (!name[0] || strlen(name) > 9)
		return false;
	for (c = name; *c; c++)
		if (*c < '0' || *c > '9')
			return false;
	errno = 0;
	*out = strtoul(name, &end, 10);
	return errno == 0 && *end == '\0';
}

static int compare_releases(const void *a, const void *b)
{
	unsigned long x = 0, y = 0;

	(void)release_number(((const struct release *)a)->name, &x);
	(void)release_number(((const struct release *)b)->name, &y);
	return (x > y) - (x < y);
}

static void release_add(struct release **rel, size_t *n, size_t *cap,
			const char *name)
{
	struct release *r;

	*rel = xgrow(*rel, cap, *n + 1, sizeof(**rel));
	r = &(*rel)[(*n)++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	tidy_table_init(&r->t);
}

static void releases_free(struct release *rel, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		free(rel[k].name);
		file_list_free(&rel[k].files);
		tidy_table_free(&rel[k].t);
		free(rel[k].lines);
		free(rel[k].file_of);
	}
	free(rel);
}

/*
 * The releases of the site at `dir` (dir/releases/N/, in the order of N),
 * with their downloads' CSVs; returns how many, or -1 on an error. Says
 * once that the rest of `dir` (the top-level copy of the latest release)
 * is skipped.
 */
static int find_releases(const char *dir, struct release **rel, size_t *n,
			 size_t *cap, struct parity_error *err)
{
	char *root = join(dir, "releases");
	DIR *d = opendir(root);
	const struct dirent *e;
	unsigned long number;
	size_t k;

	if (!d) {
		parity_error_set(err, PARITY_ERR_IO, root, 0, 0,
				 "cannot read the directory");
		free(root);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char *path;

		if (e->d_name[0] == '.')
			continue;
		path = join(root, e->d_name);
		if (!release_number(e->d_name, &number) || !real_dir(path))
			fprintf(stderr, "parity: %s: skipped: not a release "
				"(releases are folders named by their number)"
				"\n", path);
		else
			release_add(rel, n, cap, e->d_name);
		free(path);
	}
	closedir(d);
	if (*n > 1)
		qsort(*rel, *n, sizeof(**rel), compare_releases);
	fprintf(stderr, "parity: %s: a published site: reading the downloads "
		"of each of its %zu release%s (%s/N/downloads); the copy of the "
		"latest release at the top level is skipped\n", dir, *n,
		*n == 1 ? "" : "s", root);
	for (k = 0; k < *n; k++) {
		char *release_dir = join(root, (*rel)[k].name);
		char *downloads = join(release_dir, "downloads");
		int rc = 0;

		if (real_dir(downloads))
			rc = list_csvs(downloads, &(*rel)[k].files, err);
		else
			fprintf(stderr, "parity: %s: no downloads folder: "
				"nothing of this release is read\n",
				release_dir);
		free(release_dir);
		free(downloads);
		if (rc < 0) {
			free(root);
			return -1;
		}
	}
	free(root);
	return 0;
}

/* Read every file of release `r` into its table. */
static int read_release(struct release *r, struct parity_error *err)
{
	size_t k;

	for (k = 0; k < r->files.count; k++) {
		size_t from = r->t.count, row;
		int got = tidy_table_read_csv(r->files.paths[k], &r->t,
					      &r->lines, &r->lines_cap, err);

		if (got < 0)
			return -1;
		if (got == 1) {
			fprintf(stderr, "parity: %s: skipped: not a tidy "
				"table (no 'measure' column)\n",
				r->files.paths[k]);
			r->skipped++;
			continue;
		}
		r->file_of = xgrow(r->file_of, &r->file_cap,
				   r->t.count ? r->t.count : 1,
				   sizeof(*r->file_of));
		for (row = from; row < r->t.count; row++)
			r->file_of[row] = k;
	}
	return 0;
}

/* Whether the `n` characters at `s` end in a year: "-YYYY" or
 * "-YYYY-YY". */
static bool ends_in_year(const char *s, size_t n)
{
	return (n > 8 && s[n - 8] == '-' && s[n - 3] == '-' &&
		strspn(s + n - 7, "0123456789") >= 4 &&
		strspn(s + n - 2, "0123456789") >= 2) ||
	       (n > 5 && s[n - 5] == '-' &&
		strspn(s + n - 4, "0123456789") >= 4);
}

/*
 * The folder NAME of a file under tables/NAME/ (one table's rows of
 * dataset NAME, as `parity publish` writes them beside each table:
 * tables/NAME/PAGE/.../FILE.csv), NAME ending in a year, into `buf`; or
 * false. The first such folder in the path counts.
 */
static bool tables_folder(const char *path, char *buf, size_t size)
{
	const char *p = path;

	while ((p = strstr(p, "tables/")) != NULL) {
		const char *name = p + 7, *end = strchr(name, '/');

		if ((p == path || p[-1] == '/') && end && end > name &&
		    ends_in_year(name, (size_t)(end - name))) {
			snprintf(buf, size, "%.*s.csv", (int)(end - name),
				 name);
			return true;
		}
		p = name;
	}
	return false;
}

/* The dataset a download belongs to: its file's name without the folder,
 * ".csv" and the year ("workforce-2024" and "workforce-2023" are one,
 * "youth-justice-2023-24" is "youth-justice"), written into `buf`. A file
 * in a folder areas/NAME/ (one area's rows of a dataset, as `parity
 * publish` writes them) or anywhere under tables/NAME/ (one table's rows)
 * belongs to NAME's dataset: its rows are checked with the rest of that
 * dataset's, so they must agree with them. */
static void dataset_of(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	const char *areas = strstr(path, "/areas/");
	char folder[256];
	size_t n;

	/* a part of a dataset, one table's rows: under tables/DATASET-YEAR/ */
	if (tables_folder(path, folder, sizeof(folder))) {
		dataset_of(folder, buf, size);
		return;
	}
	base = base ? base + 1 : path;
	/* a part of a dataset, one area's rows: in areas/DATASET-YEAR/ */
	if (areas && strchr(areas + 7, '/') == base - 1 && base - 1 > areas + 7) {
		snprintf(folder, sizeof(folder), "%.*s.csv",
			 (int)(base - 1 - (areas + 7)), areas + 7);
		dataset_of(folder, buf, size);
		return;
	}
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".csv") == 0)
		n -= 4;
	/* "-YYYY-YY", then "-YYYY" */
	if (n > 8 && base[n - 8] == '-' && base[n - 3] == '-' &&
	    strspn(base + n - 7, "0123456789") == 4 &&
	    strspn(base + n - 2, "0123456789") == 2)
		n -= 8;
	else if (n > 5 && base[n - 5] == '-' &&
		 strspn(base + n - 4, "0123456789") == 4)
		n -= 5;
	snprintf(buf, size, "%.*s", (int)n, base);
}

/* The checker's findings over every dataset, with each problem's row
 * placed in its release. */
struct findings {
	struct sdc_check total;         /* counts summed; problems below */
	struct sdc_check_problem *problems;
	size_t nproblems, cap;
	size_t datasets;
};

/*
 * Check each dataset (workforce, each service) on its own, with all its
 * releases and years together, oldest release first: a count is one
 * unknown across releases except where a correction changed the area's
 * figures (sdc_check_releases()).
 */
static int check_datasets(const struct release *rel, size_t nreleases,
			  const struct area_set *areas, double k,
			  double protection, struct findings *out,
			  struct parity_error *err)
{
	char **names = NULL, name[256];
	size_t nnames = 0, names_cap = 0, r, i, d, j;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->total.narrowest = INFINITY;
	for (r = 0; r < nreleases; r++)
		for (i = 0; i < rel[r].files.count; i++) {
			dataset_of(rel[r].files.paths[i], name, sizeof(name));
			for (d = 0; d < nnames; d++)
				if (strcmp(names[d], name) == 0)
					break;
			if (d < nnames)
				continue;
			names = xgrow(names, &names_cap, nnames + 1,
				      sizeof(*names));
			names[nnames++] = xstrdup(name);
		}
	for (d = 0; d < nnames && rc == 0; d++) {
		struct tidy_table *tables = xcalloc(nreleases ? nreleases : 1,
						    sizeof(*tables));
		const struct tidy_table **list = xcalloc(
			nreleases ? nreleases : 1, sizeof(const struct tidy_table *));
		size_t **origin = xcalloc(nreleases ? nreleases : 1,
					  sizeof(*origin));
		struct sdc_check check;

		for (r = 0; r < nreleases; r++) {
			tidy_table_init(&tables[r]);
			origin[r] = xmalloc((rel[r].t.count ? rel[r].t.count
							    : 1) *
					    sizeof(**origin));
			for (i = 0; i < rel[r].t.count; i++) {
				dataset_of(rel[r].files.paths[rel[r].file_of[i]],
					   name, sizeof(name));
				if (strcmp(name, names[d]) != 0)
					continue;
				origin[r][tables[r].count] = i;
				tidy_table_append_row(&tables[r],
						      &rel[r].t.rows[i]);
			}
			list[r] = &tables[r];
		}
		rc = sdc_check_releases(list, nreleases, areas, k, protection,
					&check, err);
		if (rc == 0) {
			out->datasets++;
			out->total.counts += check.counts;
			out->total.withheld += check.withheld;
			out->total.relations += check.relations;
			out->total.large_known += check.large_known;
			out->total.corrected += check.corrected;
			if (check.narrowest < out->total.narrowest)
				out->total.narrowest = check.narrowest;
			for (j = 0; j < check.nproblems; j++) {
				struct sdc_check_problem pr = check.problems[j];

				if (pr.row != (size_t)-1)
					pr.row = origin[pr.release][pr.row];
				out->problems = xgrow(out->problems, &out->cap,
						      out->nproblems + 1,
						      sizeof(*out->problems));
				out->problems[out->nproblems++] = pr;
			}
			sdc_check_free(&check);
		}
		for (r = 0; r < nreleases; r++) {
			tidy_table_free(&tables[r]);
			free(origin[r]);
		}
		free(tables);
		free((void *)list);
		free((void *)origin);
	}
	for (d = 0; d < nnames; d++)
		free(names[d]);
	free((void *)names);
	return rc;
}

static void print_problem(const struct sdc_check_problem *pr,
			  const struct tidy_row *r, const char *file,
			  long line, double k, double protection)
{
	printf("%s:%ld: %s, %s (%s), %s%s%s: ", file, line, r->measure,
	       r->area_name[0] ? r->area_name : r->area_code, r->area_code,
	       r->ethnicity, r->breakdown[0] ? ", " : "", r->breakdown);
	if (pr->kind == SDC_CHECK_SMALL) {
		printf("the count %g (%s) is shown: counts from 1 to %g must "
		       "be withheld\n", pr->low,
		       tidy_column_name(pr->column), k - 1);
		return;
	}
	if (pr->kind == SDC_CHECK_CONFLICT) {
		printf("gives a count that another row of its release gives as "
		       "another number: the file is not what the registry of "
		       "measures describes (`parity measures`), so what it "
		       "reveals is not known\n");
		return;
	}
	if (pr->kind == SDC_CHECK_FIGURE) {
		if (isnan(pr->low))
			printf("a figure is shown that rests on counts that are "
			       "withheld or not published, and would give "
			       "them away\n");
		else
			printf("a figure is shown that rests on a withheld "
			       "count lying in [%g, %g], which could be from 1 "
			       "to %g: the figure gives it away\n", pr->low,
			       pr->high, k - 1);
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

int cmd_check_disclosure(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "k", required_argument, NULL, 'k' },
		{ "protection", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct release *rel = NULL;
	struct sdc_check check;
	struct findings found;
	size_t nreleases = 0, rel_cap = 0, k, files = 0, skipped = 0, rows = 0;
	double threshold = SDC_K_DEFAULT, protection = -1;
	bool site;
	int c, status;
	char *releases_dir;

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
		case 'd':
			env->db = optarg;
			env->needs |= CLI_NEED_STORE_READ;
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
	memset(&found, 0, sizeof(found));
	releases_dir = join(argv[optind], "releases");
	site = real_dir(releases_dir);
	free(releases_dir);
	if (site) {
		if (find_releases(argv[optind], &rel, &nreleases, &rel_cap,
				  &err) < 0)
			goto fail;
	} else {
		release_add(&rel, &nreleases, &rel_cap, argv[optind]);
		if (list_csvs(argv[optind], &rel[0].files, &err) < 0)
			goto fail;
	}
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		goto out;
	for (k = 0; k < nreleases; k++) {
		if (read_release(&rel[k], &err) < 0)
			goto fail;
		files += rel[k].files.count;
		skipped += rel[k].skipped;
	}
	if (files == skipped) {
		parity_error_set(&err, PARITY_ERR_NOT_FOUND, argv[optind], 0,
				 0, "no tidy CSV tables here to check");
		goto fail;
	}
	if (check_datasets(rel, nreleases, env->areas, threshold, protection,
			   &found, &err) < 0)
		goto fail;
	check = found.total;
	check.nproblems = found.nproblems;
	for (k = 0; k < found.nproblems; k++) {
		const struct sdc_check_problem *pr = &found.problems[k];
		const struct release *r = &rel[pr->release];

		if (pr->row >= r->t.count) {
			/* no row to locate it by */
			printf("%s: a count no row shows lies in [%g, %g]\n",
			       argv[optind], pr->low, pr->high);
			continue;
		}
		print_problem(pr, &r->t.rows[pr->row],
			      r->files.paths[r->file_of[pr->row]],
			      r->lines[pr->row], threshold, protection);
	}
	for (k = 0; k < nreleases; k++)
		rows += rel[k].t.count;
	printf("checked %zu files (%zu skipped)", files - skipped, skipped);
	if (site)
		printf(" of %zu release%s", nreleases,
		       nreleases == 1 ? "" : "s");
	printf(" in %zu dataset%s", found.datasets,
	       found.datasets == 1 ? "" : "s");
	printf(", %zu rows: %zu counts, %zu withheld, %zu relations; ",
	       rows, check.counts, check.withheld, check.relations);
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
	free(found.problems);
	releases_free(rel, nreleases);
	return status;
}
