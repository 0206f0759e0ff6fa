/*
 * site.c - publishing a release of the website (see site.h): the order of
 * the work, disclosure control of every table, and writing files safely.
 *
 * The order matters for safety:
 *   1. the release number is settled first, so a publication that breaks
 *      the correction rule fails before anything is computed;
 *   2. every table goes through sdc_protect_table(), and the raw tables are
 *      freed at once: pages and downloads are written only from the
 *      protected copies (struct site holds nothing else);
 *   3. a last check refuses any table that would still show a count from 1
 *      to k - 1 (the check `parity check-disclosure` makes of the CSVs). A
 *      workforce table that fails it is a bug and the release is refused.
 *      A service's stage counts are cells of disclosure control like
 *      staff, and its rates and relative rate indices rest on them; its
 *      figures are published for London as a whole (boroughs' are not yet
 *      published), and a service that still failed the check would be held
 *      back, its page saying why.
 *   4. the release is written to DIR/releases/N.partial and renamed to
 *      DIR/releases/N only when complete; then DIR's top level is
 *      rewritten (each file atomically) and the release recorded in
 *      releases.json, last.
 */
#include "publish/site.h"

#include "base/alloc.h"
#include "domain/benchmark.h"
#include "measure/measure_def.h"
#include "publish/site_internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The stylesheet, built from web/ and embedded by tools/embed. */
extern const char parity_data_parity_css[];
extern const size_t parity_data_parity_css_len;

void site_options_init(struct site_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	sdc_options_init(&opt->sdc);
}

int site_mkdirs(const char *path, struct parity_error *err)
{
	char buf[4096];
	size_t k, len = strlen(path);

	if (len >= sizeof(buf))
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"the path is too long");
	memcpy(buf, path, len + 1);
	for (k = 1; k <= len; k++) {
		if (buf[k] != '/' && buf[k] != '\0')
			continue;
		buf[k] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return parity_error_set(err, PARITY_ERR_IO, buf, 0, 0,
						"cannot create the directory: %s",
						strerror(errno));
		buf[k] = path[k];
	}
	return 0;
}

int site_write_file(struct site *s, const struct site_copy *c,
		    const char *rel, const char *data, size_t len,
		    struct parity_error *err)
{
	char path[4096], tmp[4200], dir[4096];
	char *slash;
	FILE *f;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", c->dir, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		if (site_mkdirs(dir, err) < 0)
			return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f)
		return parity_error_set(err, PARITY_ERR_IO, tmp, 0, 0,
					"cannot write: %s", strerror(errno));
	bad = fwrite(data, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		unlink(tmp);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot write the file");
	}
	if (c->counted) {
		s->bytes += len;
		if (strstr(rel, ".html"))
			s->pages++;
		else if (strncmp(rel, "downloads/", 10) == 0)
			s->downloads++;
	}
	return 0;
}

static bool small(double v, double k)
{
	return !isnan(v) && v >= 1 && v < k;
}

/* Whether a row shows a count from 1 to k - 1: in any column the
 * registry of measures gives the unit count. */
static bool shows_small_count(const struct tidy_row *r, double k)
{
	const struct measure_def *def = measure_def_find(r->measure);

	if (!def || def->basis == BASIS_PUBLIC)
		return false;
	return ((def->unit == UNIT_COUNT || def->unit == UNIT_COUNT_PART) &&
		small(r->value, k)) ||
	       ((def->numerator_unit == UNIT_COUNT ||
		 def->numerator_unit == UNIT_COUNT_PART) &&
		small(r->numerator, k)) ||
	       ((def->denominator_unit == UNIT_COUNT ||
		 def->denominator_unit == UNIT_COUNT_PART) &&
		small(r->denominator, k));
}

/* The first row of `t` that shows a small count, or (size_t)-1. */
static size_t first_small_count(const struct tidy_table *t, double k)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (shows_small_count(&t->rows[i], k))
			return i;
	return (size_t)-1;
}

/*
 * The earlier releases disclosure control must take into account: the
 * latest release of the year before, whose counts this year's change rows
 * show again, and the releases of the same year (a correction must not
 * reveal, with any of them, what they withheld), the most recent
 * SDC_MAX_PRIORS - 1 of them. Read into `owned`, which the caller frees
 * with free_priors().
 */
static int load_priors(struct site *s, size_t which,
		       struct tidy_table **owned, size_t *n,
		       struct parity_error *err)
{
	const struct site_release_entry *before =
		which == SITE_WORKFORCE
			? site_release_latest(s->releases, s->opt->year - 1)
			: NULL;
	char name[64], path[4200];
	size_t k, same = 0, skip;

	*n = 0;
	if (before) {
		snprintf(name, sizeof(name), "workforce-%d",
			 s->opt->year - 1);
		owned[*n] = site_release_table(s->opt->dir, before->number,
					       name, err);
		if (!owned[*n])
			return -1;
		(*n)++;
	}
	for (k = 0; k < s->releases->count; k++)
		same += s->releases->items[k].year == s->opt->year;
	skip = same > SDC_MAX_PRIORS - 1 ? same - (SDC_MAX_PRIORS - 1) : 0;
	site_download_name(s, which, name, sizeof(name));
	for (k = 0; k < s->releases->count; k++) {
		const struct site_release_entry *e = &s->releases->items[k];

		if (e->year != s->opt->year)
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		/* a service held back in that release published no file */
		snprintf(path, sizeof(path), "%s/releases/%d/downloads/%s.csv",
			 s->opt->dir, e->number, name);
		if (which != SITE_WORKFORCE && access(path, F_OK) != 0)
			continue;
		owned[*n] = site_release_table(s->opt->dir, e->number, name,
					       err);
		if (!owned[*n])
			return -1;
		(*n)++;
	}
	return 0;
}

static void free_priors(struct tidy_table **owned, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		tidy_table_free(owned[k]);
		free(owned[k]);
	}
}

static int protect_workforce(struct site *s, const struct site_data *d,
			     struct parity_error *err)
{
	struct tidy_table *owned[SDC_MAX_PRIORS];
	struct sdc_options sdc;
	size_t bad, n = 0, k;
	int rc;

	sdc = s->opt->sdc;
	rc = load_priors(s, SITE_WORKFORCE, owned, &n, err);
	for (k = 0; k < n; k++)
		sdc.priors[k] = owned[k];
	sdc.npriors = n;
	if (rc == 0)
		rc = sdc_protect_table(&d->workforce, s->areas, &sdc,
				       &s->workforce, &s->sdc, err);
	free_priors(owned, n);
	if (rc < 0)
		return -1;
	bad = first_small_count(&s->workforce, s->opt->sdc.k);
	if (bad != (size_t)-1)
		return parity_error_set(
			err, PARITY_ERR_INTERNAL, NULL, 0, 0,
			"refusing to publish: after disclosure control the "
			"workforce table still shows a count below %g (%s, %s, "
			"%s)", s->opt->sdc.k, s->workforce.rows[bad].measure,
			s->workforce.rows[bad].area_name,
			s->workforce.rows[bad].ethnicity);
	return 0;
}

/* A service: London's rows, protected, published if the check passes. */
static int protect_service(struct site *s, const struct site_service_data *in,
			   struct site_service_pub *out,
			   struct parity_error *err)
{
	const char *london = s->areas->areas[area_london(s->areas)].code;
	struct tidy_table rows;
	struct tidy_table *owned[SDC_MAX_PRIORS];
	struct sdc_options sdc;
	struct sdc_summary summary;
	size_t i, bad, n = 0;
	int rc;

	out->def = in->def;
	snprintf(out->period, sizeof(out->period), "%s", in->period);
	tidy_table_init(&out->table);
	tidy_table_init(&rows);
	for (i = 0; i < in->table.count; i++)
		if (strcmp(in->table.rows[i].area_code, london) == 0)
			tidy_table_append_row(&rows, &in->table.rows[i]);
	if (rows.count == 0) {
		snprintf(out->held, sizeof(out->held),
			 "The store holds no %s returns for %s.",
			 in->def->title, in->period);
		tidy_table_free(&rows);
		return 0;
	}
	sdc = s->opt->sdc;
	rc = load_priors(s, (size_t)(out - s->services), owned, &n, err);
	for (i = 0; i < n; i++)
		sdc.priors[i] = owned[i];
	sdc.npriors = n;
	if (rc == 0)
		rc = sdc_protect_table(&rows, s->areas, &sdc, &out->table,
				       &summary, err);
	free_priors(owned, n);
	if (rc < 0) {
		tidy_table_free(&rows);
		return -1;
	}
	tidy_table_free(&rows);
	bad = first_small_count(&out->table, s->opt->sdc.k);
	if (bad != (size_t)-1) {
		snprintf(out->held, sizeof(out->held),
			 "%s: London's figures for %s are held back. At least "
			 "one of them rests on fewer than %g people (%s, %s), "
			 "and could not be protected.", in->def->title,
			 in->period, s->opt->sdc.k,
			 out->table.rows[bad].ethnicity,
			 out->table.rows[bad].breakdown);
		tidy_table_free(&out->table);
		tidy_table_init(&out->table);
	}
	return 0;
}

static void release_site(struct site *s)
{
	size_t k;

	tidy_table_free(&s->workforce);
	for (k = 0; k < s->nservices; k++)
		tidy_table_free(&s->services[k].table);
}

static int write_copy(struct site *s, const struct site_copy *c,
		      struct parity_error *err)
{
	if (site_mkdirs(c->dir, err) < 0 ||
	    site_write_file(s, c, "parity.css", parity_data_parity_css,
			    parity_data_parity_css_len, err) < 0 ||
	    site_write_downloads(s, c, err) < 0 ||
	    site_write_pages(s, c, err) < 0)
		return -1;
	return 0;
}

/* Remove a directory tree left by a failed attempt (files and
 * directories only, as this writer makes them). */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char child[4096];
	struct stat st;

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(child);
		else
			unlink(child);
	}
	closedir(d);
	rmdir(path);
}

/* The directories of a copy, rewritten whole at DIR's top level. */
static const char *const top_dirs[] = { "boroughs", "measures", "services",
					"downloads" };

int site_publish(struct store *store, const struct site_options *opt,
		 struct site_summary *summary, struct parity_error *err)
{
	struct site_releases releases = { NULL, 0, 0 };
	struct area_set *areas = NULL;
	struct benchmark *census = NULL;
	struct service_defs *defs = NULL;
	struct site_data data;
	struct site s;
	struct site_copy copy;
	char dir[4096], partial[4200];
	int number, rc = -1;
	size_t k;

	memset(&s, 0, sizeof(s));
	memset(&data, 0, sizeof(data));
	partial[0] = '\0';
	memset(summary, 0, sizeof(*summary));
	tidy_table_init(&s.workforce);
	s.opt = opt;
	if (site_mkdirs(opt->dir, err) < 0 ||
	    site_releases_load(opt->dir, &releases, err) < 0 ||
	    site_release_next(&releases, opt->year, opt->correction, &number,
			      err) < 0)
		goto out;
	if (area_set_load(&areas, err) < 0 ||
	    benchmark_load_census2021(&census, areas, err) < 0 ||
	    service_defs_load(&defs, err) < 0)
		goto out;
	s.areas = areas;
	s.release = number;
	s.correction = opt->correction;
	s.releases = &releases;
	if (site_data_load(store, areas, census, defs, opt->year, &data,
			   err) < 0)
		goto out;
	if (protect_workforce(&s, &data, err) < 0)
		goto out;
	for (k = 0; k < data.nservices; k++) {
		if (protect_service(&s, &data.services[k], &s.services[k],
				    err) < 0)
			goto out;
		s.nservices++;
	}
	site_data_release(&data);   /* nothing raw is kept from here on */

	/* The release, complete, then renamed into place. */
	snprintf(dir, sizeof(dir), "%s/releases/%d", opt->dir, number);
	snprintf(partial, sizeof(partial), "%s.partial", dir);
	remove_tree(partial);
	/* A release directory that releases.json does not list was never
	 * published (an attempt that failed after the rename): replace it. */
	remove_tree(dir);
	site_releases_add(&releases, number, opt->year, opt->date,
			  opt->correction);
	copy.dir = partial;
	copy.top = "../../";
	copy.counted = true;
	if (write_copy(&s, &copy, err) < 0)
		goto out;
	if (rename(partial, dir) < 0) {
		parity_error_set(err, PARITY_ERR_IO, dir, 0, 0,
				 "cannot move the release into place: %s",
				 strerror(errno));
		goto out;
	}
	/* The latest release at DIR's top level, the log, the record. */
	copy.dir = opt->dir;
	copy.top = "";
	copy.counted = false;
	for (k = 0; k < sizeof(top_dirs) / sizeof(top_dirs[0]); k++) {
		char stale[4200];

		/* The previous latest release's pages and downloads: a file it
		 * had and this one has not must not linger at the top. */
		snprintf(stale, sizeof(stale), "%s/%s", opt->dir, top_dirs[k]);
		remove_tree(stale);
	}
	if (write_copy(&s, &copy, err) < 0 ||
	    site_write_corrections(&s, &copy, err) < 0 ||
	    site_releases_write(opt->dir, &releases, err) < 0)
		goto out;
	summary->release = number;
	summary->pages = s.pages;
	summary->downloads = s.downloads;
	summary->bytes = s.bytes;
	summary->sdc = s.sdc;
	for (k = 0; k < s.nservices; k++) {
		if (s.services[k].held[0])
			summary->services_held++;
		else
			summary->services_published++;
	}
	rc = 0;
out:
	if (rc < 0 && partial[0] && s.release > 0)
		remove_tree(partial);
	site_data_release(&data);
	release_site(&s);
	service_defs_free(defs);
	benchmark_free(census);
	area_set_free(areas);
	site_releases_free(&releases);
	return rc;
}
