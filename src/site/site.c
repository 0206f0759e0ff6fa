/*
 * site.c - publishing a release of the website (see site.h): the order of
 * the work, disclosure control of every table, and writing files safely.
 *
 * The order matters for safety:
 *   1. the options are checked (the correction note must be UTF-8 text
 *      that JSON, XML and HTML can hold) and DIR is inspected: it must be
 *      empty or a site parity published, every release releases.json lists
 *      must be there, and nothing parity would replace may be someone
 *      else's file or a symbolic link it did not make; all before anything
 *      is computed or written;
 *   2. the release number is settled, so a publication that breaks the
 *      correction rule fails before anything is computed;
 *   3. every table goes through sdc_protect_table(), and the raw tables are
 *      freed at once: pages and downloads are written only from the
 *      protected copies (struct site holds nothing else);
 *   4. a last check refuses any table that would still show a count from 1
 *      to k - 1 (the check `parity check-disclosure` makes of the CSVs). A
 *      workforce table that fails it is a bug and the release is refused.
 *      A service's stage counts are cells of disclosure control like
 *      staff, and its rates and relative rate indices rest on them; its
 *      figures for London, Inner and Outer London and every borough with
 *      a return are protected together, and a service that still failed
 *      the check would be held back, its page saying why. Attainment
 *      is protected alike, as a dataset of its own: its counts of pupils
 *      (and of pupils reaching a threshold) are the cells, every area's
 *      and year's together;
 *   5. the release and the copy for DIR's top level (with corrections.html
 *      and releases.json) are written into staging folders
 *      (releases/.N.partial.XXXXXX, top/.N.partial.XXXXXX), each file
 *      listed in the copy's manifest before it is made, written to a
 *      temporary file, synced and renamed; then both are renamed into
 *      place (releases/N, top/N), and releases.json is read back and proved
 *      (site_releases_verify());
 *   6. the release goes live with one rename: DIR/current -> top/N. DIR's
 *      top-level names (index.html, boroughs, ..., releases.json) are links
 *      into DIR/current, made once. Until that rename the live site is the
 *      previous release, whole; after it, the new one.
 * Any failure before step 6 removes what this publication made (by its
 * manifests) and leaves the live site as it was. A publication killed part
 * way leaves staging folders, which the next one removes by their
 * manifests. Parity removes only files a manifest lists, never through a
 * symbolic link (each path is walked with O_NOFOLLOW), and never a
 * release releases.json lists.
 *
 * A site published before DIR/current existed has real files and folders
 * at its top level. They are upgraded in place: checked to hold only the
 * latest release's files (anything else is refused, never deleted),
 * linked into DIR/top/L, and each replaced by its link with one rename
 * (folders with RENAME_EXCHANGE), so that every page stays whole.
 */
#define _GNU_SOURCE /* renameat2() */
#include "site/site.h"

#include "base/alloc.h"
#include "base/atomic_file.h"
#include "base/utf8.h"
#include "domain/benchmark.h"
#include "table/measure_def.h"
#include "site/site_internal.h"
#include "store/area_group_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/* ---- the options: text that reaches JSON, XML and HTML ---- */

/* The number the `n` digits at `s` write, or -1 if one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0, k;

	for (k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

bool site_date_valid(const char *date)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int y, m, d, last;

	if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return false;
	y = digits(date, 4);
	m = digits(date + 5, 2);
	d = digits(date + 8, 2);
	if (y < 1900 || m < 1 || m > 12)
		return false;
	last = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		last = 29;
	return d >= 1 && d <= last;
}

int site_text_check(const char *what, const char *text,
		    struct parity_error *err)
{
	size_t len = strlen(text), at = 0, n, bad;
	uint32_t cp;

	if (!utf8_valid(text, len, &bad))
		return parity_error_set(
			err, PARITY_ERR_USAGE, NULL, 0, 0,
			"%s is not UTF-8 text: byte %zu (0x%02x) does not begin "
			"a UTF-8 character (was it typed in another encoding?); "
			"nothing was written", what, bad + 1,
			(unsigned)(unsigned char)text[bad]);
	while (at < len) {
		n = utf8_decode(text + at, len - at, &cp);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7F && cp <= 0x9F))
			return parity_error_set(
				err, PARITY_ERR_USAGE, NULL, 0, 0,
				"%s holds a control character (U+%04X) at byte "
				"%zu, which a web page or a workbook cannot "
				"show; nothing was written", what, (unsigned)cp,
				at + 1);
		if (cp == 0xFFFE || cp == 0xFFFF)
			return parity_error_set(
				err, PARITY_ERR_USAGE, NULL, 0, 0,
				"%s holds U+%04X at byte %zu, which is not a "
				"character; nothing was written", what,
				(unsigned)cp, at + 1);
		at += n;
	}
	return 0;
}

int site_options_check(const struct site_options *opt,
		       struct parity_error *err)
{
	if (!opt->dir || !opt->dir[0])
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"no folder to publish into");
	if (opt->year < SITE_YEAR_MIN || opt->year > SITE_YEAR_MAX)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the year must be from %d to %d, not %d",
					SITE_YEAR_MIN, SITE_YEAR_MAX, opt->year);
	if (!site_date_valid(opt->date))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the publication date must be a date "
					"written YYYY-MM-DD");
	if (opt->next_update && (!site_date_valid(opt->next_update) ||
				 strcmp(opt->next_update, opt->date) <= 0))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the next update must be a date written "
					"YYYY-MM-DD, after the publication "
					"date");
	if (opt->contact &&
	    (site_text_check("--contact", opt->contact, err) < 0 ||
	     !site_contact_valid(opt->contact)))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the contact must be an email address "
					"or an https:// address, not '%s'",
					opt->contact);
	if (opt->correction &&
	    site_text_check("--correction", opt->correction, err) < 0)
		return -1;
	return 0;
}

bool site_contact_valid(const char *contact)
{
	const char *at = strchr(contact, '@');

	if (strchr(contact, ' ') || strchr(contact, '"') ||
	    strchr(contact, '<') || strchr(contact, '>'))
		return false;
	if (strncmp(contact, "https://", 8) == 0)
		return contact[8] != '\0';
	return at && at > contact && strchr(at + 1, '.') &&
	       !strchr(at + 1, '@') && !strchr(contact, ':') &&
	       !strchr(contact, '/');
}

/* ---- paths ---- */

/* Format a path into `buf`; -1 (with `err` set) when it does not fit. */
static int pathf(char *buf, size_t size, struct parity_error *err,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int pathf(char *buf, size_t size, struct parity_error *err,
		 const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"a path is too long (%.200s...)", buf);
	return 0;
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

/* Sync `path` (a file or a directory) to the disk. */
static int sync_path(const char *path, struct parity_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || fsync(fd) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot sync to the disk: %s",
					strerror(e));
	}
	close(fd);
	return 0;
}

/* ---- writing a copy: its manifest, and each file atomically ---- */

static void journal_note_dir(struct site_journal *j, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	size_t k, n;

	if (!slash)
		return;
	n = (size_t)(slash - rel);
	for (k = 0; k < j->ndirs; k++)
		if (strlen(j->dirs[k]) == n && strncmp(j->dirs[k], rel, n) == 0)
			return;
	j->dirs = xgrow(j->dirs, &j->cap, j->ndirs + 1, sizeof(*j->dirs));
	j->dirs[j->ndirs++] = xstrndup(rel, n);
}

int site_file_begin(struct site *s, const struct site_copy *c,
		    const char *rel, struct parity_error *err)
{
	char dir[4096];
	const char *slash = strrchr(rel, '/');

	if (s->journal) {
		if (fprintf(s->journal->file, "%s\n", rel) < 0 ||
		    fflush(s->journal->file) != 0)
			return parity_error_set(err, PARITY_ERR_IO, c->dir, 0, 0,
						"cannot write the manifest: %s",
						strerror(errno));
		journal_note_dir(s->journal, rel);
	}
	if (!slash)
		return 0;
	if (pathf(dir, sizeof(dir), err, "%s/%.*s", c->dir,
		  (int)(slash - rel), rel) < 0)
		return -1;
	return site_mkdirs(dir, err);
}

int site_file_commit(struct site *s, const struct site_copy *c,
		     const char *rel, struct parity_error *err)
{
	char path[4096], tmp[4200];
	struct stat st;
	int e;

	memset(&st, 0, sizeof(st));
	if (pathf(path, sizeof(path), err, "%s/%s", c->dir, rel) < 0 ||
	    pathf(tmp, sizeof(tmp), err, "%s%s", path, SITE_TEMP_SUFFIX) < 0)
		return -1;
	/* the directories are flushed once the copy is whole */
	e = atomic_file_commit(tmp, path, false);
	if (!e && lstat(path, &st) < 0)
		e = errno;
	if (e)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot write the file: %s",
					strerror(e));
	if (c->counted) {
		s->bytes += (unsigned long long)st.st_size;
		if (strstr(rel, ".html"))
			s->pages++;
		else if (strncmp(rel, "downloads/", 10) == 0)
			s->downloads++;
	}
	return 0;
}

int site_write_file(struct site *s, const struct site_copy *c,
		    const char *rel, const char *data, size_t len,
		    struct parity_error *err)
{
	char tmp[4200];
	size_t done = 0;
	ssize_t n;
	int fd, e = 0;

	if (site_file_begin(s, c, rel, err) < 0 ||
	    pathf(tmp, sizeof(tmp), err, "%s/%s%s", c->dir, rel,
		  SITE_TEMP_SUFFIX) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0)
		return parity_error_set(err, PARITY_ERR_IO, tmp, 0, 0,
					"cannot write: %s", strerror(errno));
	while (done < len) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			break;
		}
		done += (size_t)n;
	}
	if (close(fd) < 0 && !e)
		e = errno;
	if (e) {
		unlink(tmp);
		return parity_error_set(err, PARITY_ERR_IO, tmp, 0, 0,
					"cannot write: %s", strerror(e));
	}
	return site_file_commit(s, c, rel, err);
}

/* ---- removing only what parity wrote ---- */

/* Whether `rel` is a path below a root: not empty, not absolute, no empty,
 * "." or ".." part, no part longer than a name can be. */
static bool rel_ok(const char *rel)
{
	const char *p = rel, *slash;
	size_t n;

	if (!rel[0] || rel[0] == '/')
		return false;
	for (;;) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || n > NAME_MAX || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/*
 * The directory holding the last part of `rel`, opened below `rootfd` one
 * part at a time without following a link (O_NOFOLLOW): -1 when a part is
 * missing, a link or not a directory. *last is set to the last part.
 */
static int open_parent(int rootfd, const char *rel, const char **last)
{
	char part[NAME_MAX + 1];
	const char *p = rel, *slash;
	int fd = dup(rootfd), next;

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		memcpy(part, p, (size_t)(slash - p));
		part[slash - p] = '\0';
		next = openat(fd, part,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

/* Remove ROOT/REL if it is a regular file reached through no link. */
static void unlink_regular(int rootfd, const char *rel)
{
	const char *last;
	struct stat st;
	int fd = open_parent(rootfd, rel, &last);

	if (fd < 0)
		return;
	if (fstatat(fd, last, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode))
		unlinkat(fd, last, 0);
	close(fd);
}

/* Remove the directory ROOT/REL if it is empty (never a link). */
static void rmdir_below(int rootfd, const char *rel)
{
	const char *last;
	int fd = open_parent(rootfd, rel, &last);

	if (fd < 0)
		return;
	unlinkat(fd, last, AT_REMOVEDIR);
	close(fd);
}

static size_t depth(const char *rel)
{
	size_t n = 0;

	for (; *rel; rel++)
		n += *rel == '/';
	return n;
}

static int deeper_first(const void *a, const void *b)
{
	size_t da = depth(*(char *const *)a), db = depth(*(char *const *)b);

	return da < db ? 1 : da > db ? -1 : 0;
}

/* Add every folder on the way to `rel` ("a", "a/b" for "a/b/c") to
 * `dirs`, once. */
static void add_parents(char ***dirs, size_t *n, size_t *cap, const char *rel)
{
	const char *slash;
	size_t k, len;

	for (slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		len = (size_t)(slash - rel);
		for (k = 0; k < *n; k++)
			if (strlen((*dirs)[k]) == len &&
			    strncmp((*dirs)[k], rel, len) == 0)
				break;
		if (k < *n)
			continue;
		*dirs = xgrow(*dirs, cap, *n + 1, sizeof(**dirs));
		(*dirs)[(*n)++] = xstrndup(rel, len);
	}
}

/* Remove each file `rel` of `list` below `rootfd` (and its temporary
 * name), then the folders they leave empty. */
static void remove_files(int rootfd, char *const *list, size_t count)
{
	char **dirs = NULL, tmp[PATH_MAX];
	size_t n = 0, cap = 0, k;

	for (k = 0; k < count; k++) {
		if (!rel_ok(list[k]))
			continue;
		unlink_regular(rootfd, list[k]);
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s%s", list[k],
				     SITE_TEMP_SUFFIX) < sizeof(tmp))
			unlink_regular(rootfd, tmp);
		add_parents(&dirs, &n, &cap, list[k]);
	}
	if (n > 1)
		qsort(dirs, n, sizeof(*dirs), deeper_first);
	for (k = 0; k < n; k++) {
		rmdir_below(rootfd, dirs[k]);
		free(dirs[k]);
	}
	free(dirs);
}

/* Read the lines of the manifest below `rootfd` into *list (the caller
 * frees it with free_list()); false when there is no manifest. */
static bool read_manifest(int rootfd, char ***list, size_t *count)
{
	char *line = NULL;
	size_t cap = 0, linecap = 0;
	ssize_t len;
	FILE *f;
	int fd = openat(rootfd, SITE_MANIFEST,
			O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	*list = NULL;
	*count = 0;
	if (fd < 0)
		return false;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return false;
	}
	while ((len = getline(&line, &linecap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		*list = xgrow(*list, &cap, *count + 1, sizeof(**list));
		(*list)[(*count)++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	return true;
}

static void free_list(char **list, size_t count)
{
	size_t k;

	for (k = 0; k < count; k++)
		free(list[k]);
	free(list);
}

int site_remove_listed(const char *path, struct parity_error *err)
{
	struct stat st;
	char **list;
	size_t count;
	int rootfd;

	if (lstat(path, &st) < 0)
		return errno == ENOENT
			       ? 0
			       : parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
						  "cannot read: %s",
						  strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return 1;     /* a link or a file: not a copy parity made */
	rootfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot read: %s", strerror(errno));
	if (read_manifest(rootfd, &list, &count)) {
		remove_files(rootfd, list, count);
		unlinkat(rootfd, SITE_MANIFEST, 0);
	}
	free_list(list, count);
	close(rootfd);
	if (rmdir(path) == 0 || errno == ENOENT)
		return 0;
	if (errno == ENOTEMPTY || errno == EEXIST)
		return 1;
	return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				"cannot remove the folder: %s",
				strerror(errno));
}

/* ---- the site's folder ---- */

/* DIR's top-level names, each a link into DIR/current in a site parity
 * publishes now (releases.json first: it marks DIR as a site). */
static const char *const top_names[] = {
	"releases.json", "corrections.html", "index.html", "parity.css",
	"boroughs", "measures", "services.html", "services",
	"methodology.html", "downloads.html", "downloads",
};
#define NTOP_NAMES (sizeof(top_names) / sizeof(top_names[0]))

/* The link that makes a release live, and its temporary name. */
#define CURRENT "current"
#define CURRENT_TMP ".parity-current.tmp"

struct site_dir {
	const char *path;   /* DIR */
	int fd;             /* DIR, open and locked (flock), or -1 */
	bool made;          /* DIR was created by this publication */
	int live;           /* N of DIR/current -> top/N, or 0 */
	/* A site published before DIR/current: top-level names that are
	 * still real files or folders, and their files (relative to DIR),
	 * each checked to be the latest release's. */
	bool legacy;
	char **files;
	size_t nfiles, files_cap;
	/* the links this publication made, undone if it fails */
	char **links;
	size_t nlinks, links_cap;
};

static void site_dir_release(struct site_dir *sd)
{
	free_list(sd->files, sd->nfiles);
	free_list(sd->links, sd->nlinks);
	if (sd->fd >= 0)
		close(sd->fd);       /* and so unlocked */
	sd->fd = -1;
}

/* A release's folder name ("12") as its number; 0 for anything else. */
static int release_number(const char *name)
{
	long n = 0;
	const char *p;

	if (!name[0] || name[0] == '0')
		return 0;
	for (p = name; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		n = n * 10 + (*p - '0');
		if (n > SITE_RELEASE_MAX)
			return 0;
	}
	return (int)n;
}

/* Whether `name` is a staging folder a publication made and left. */
static bool staging_name(const char *name)
{
	return name[0] == '.' && strstr(name, ".partial.") != NULL;
}

/* Whether DIR/NAME is a link to `target`. */
static bool link_is(int dirfd, const char *name, const char *target)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, target) == 0;
}

static int site_dir_open(struct site_dir *sd, const char *path,
			 struct parity_error *err)
{
	struct stat st;

	memset(sd, 0, sizeof(*sd));
	sd->fd = -1;
	sd->path = path;
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
						"cannot read: %s",
						strerror(errno));
		if (site_mkdirs(path, err) < 0)
			return -1;
		sd->made = true;
	} else if (!S_ISDIR(st.st_mode)) {
		return parity_error_set(err, PARITY_ERR_USAGE, path, 0, 0,
					"not a folder: the site is published "
					"into a folder");
	}
	sd->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sd->fd < 0)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot open the folder: %s",
					strerror(errno));
	if (flock(sd->fd, LOCK_EX | LOCK_NB) < 0)
		return parity_error_set(
			err, PARITY_ERR_IO, path, 0, 0, "%s",
			errno == EWOULDBLOCK
				? "another publication is writing into this "
				  "folder now: wait for it to finish"
				: strerror(errno));
	return 0;
}

/* Whether DIR/AREA (releases or top) holds a folder named by a number. */
static bool has_numbered(const struct site_dir *sd, const char *area)
{
	char path[4200];
	struct dirent *e;
	bool any = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", sd->path, area);
	d = opendir(path);
	if (!d)
		return false;
	while (!any && (e = readdir(d)) != NULL)
		any = release_number(e->d_name) > 0;
	closedir(d);
	return any;
}

/* Whether DIR/AREA is a folder holding nothing but staging folders. */
static bool only_staging(const struct site_dir *sd, const char *area)
{
	struct dirent *e;
	struct stat st;
	bool only = true;
	DIR *d;
	int fd;

	if (fstatat(sd->fd, area, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode))
		return false;
	fd = openat(sd->fd, area, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				  O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (only && (e = readdir(d)) != NULL)
		only = strcmp(e->d_name, ".") == 0 ||
		       strcmp(e->d_name, "..") == 0 || staging_name(e->d_name);
	closedir(d);
	return only;
}

/*
 * A folder with no releases.json may be published into only when it is
 * empty, or holds nothing but what a first publication killed part way
 * left (staging folders in releases/ and top/).
 */
static int check_unclaimed(const struct site_dir *sd, struct parity_error *err)
{
	struct dirent *e;
	bool foreign = false;
	DIR *d = opendir(sd->path);

	if (!d)
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot read the folder: %s",
					strerror(errno));
	while (!foreign && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		foreign = !((strcmp(e->d_name, "releases") == 0 ||
			     strcmp(e->d_name, "top") == 0) &&
			    only_staging(sd, e->d_name));
	}
	closedir(d);
	if (foreign)
		return parity_error_set(
			err, PARITY_ERR_USAGE, sd->path, 0, 0,
			"the folder is not empty and has no releases.json, so "
			"it is not a site parity published: parity publishes "
			"only into an empty folder or a site of its own, and "
			"never writes over or deletes what is there; choose "
			"another folder");
	return 0;
}

static int refuse_foreign(const struct site_dir *sd, const char *rel,
			  int latest, struct parity_error *err)
{
	char path[4200], why[128];

	snprintf(path, sizeof(path), "%s/%s", sd->path, rel);
	if (sd->live > 0)
		snprintf(why, sizeof(why), "parity keeps only links at the top "
			 "level of its site");
	else
		snprintf(why, sizeof(why), "release %d has no such file",
			 latest);
	return parity_error_set(
		err, PARITY_ERR_USAGE, path, 0, 0,
		"not a file parity published (%s): parity will not delete or "
		"replace it; move it out of %s before publishing", why,
		sd->path);
}

static int refuse_link(const struct site_dir *sd, const char *rel,
		       struct parity_error *err)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", sd->path, rel);
	return parity_error_set(
		err, PARITY_ERR_USAGE, path, 0, 0,
		"a symbolic link parity did not make: parity never writes or "
		"deletes through a link; move it away before publishing");
}

/* Whether release `latest` has the regular file `rel`. */
static bool in_release(const struct site_dir *sd, int latest, const char *rel)
{
	char path[4200];
	struct stat st;

	if (latest <= 0 || (size_t)snprintf(path, sizeof(path),
					    "%s/releases/%d/%s", sd->path,
					    latest, rel) >= sizeof(path))
		return false;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether DIR/REL and DIR/top/N/REL are the same file (a hard link). */
static bool linked_into(const struct site_dir *sd, int number, const char *rel)
{
	char path[4200];
	struct stat a, b;

	if ((size_t)snprintf(path, sizeof(path), "%s/top/%d/%s", sd->path,
			     number, rel) >= sizeof(path))
		return false;
	return fstatat(sd->fd, rel, &a, AT_SYMLINK_NOFOLLOW) == 0 &&
	       lstat(path, &b) == 0 && S_ISREG(a.st_mode) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Whether the file DIR/REL, at the top level of a site published before
 * DIR/current, is parity's: one of the latest release's files, the log or
 * the list of releases, or a temporary file an older parity left while
 * writing one ("X.tmp", "X.tmp.xlsx"). Once DIR/current exists (an
 * upgrade stopped part way), only a file the upgrade linked into the live
 * copy is parity's: parity never makes a real file there itself.
 */
static bool parity_file(const struct site_dir *sd, int latest, const char *rel)
{
	static const char *const temps[] = { ".tmp", ".tmp.xlsx" };
	char base[PATH_MAX];
	size_t len = strlen(rel), k, n;

	if (sd->live > 0)
		return linked_into(sd, sd->live, rel);
	if (strcmp(rel, "releases.json") == 0 ||
	    strcmp(rel, "corrections.html") == 0 ||
	    in_release(sd, latest, rel))
		return true;
	for (k = 0; k < 2; k++) {
		n = strlen(temps[k]);
		if (len > n && len - n < sizeof(base) &&
		    strcmp(rel + len - n, temps[k]) == 0) {
			memcpy(base, rel, len - n);
			base[len - n] = '\0';
			if (in_release(sd, latest, base))
				return true;
		}
	}
	return false;
}

static void add_file(struct site_dir *sd, const char *rel)
{
	sd->files = xgrow(sd->files, &sd->files_cap, sd->nfiles + 1,
			  sizeof(*sd->files));
	sd->files[sd->nfiles++] = xstrdup(rel);
}

/* Check the old top-level folder DIR/REL, file by file, never through a
 * link: each must be release `latest`'s. */
static int check_legacy_dir(struct site_dir *sd, const char *rel, int latest,
			    struct parity_error *err)
{
	char child[PATH_MAX];
	struct dirent *e;
	struct stat st;
	int fd, rc = 0;
	DIR *d;

	fd = openat(sd->fd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				 O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return parity_error_set(err, PARITY_ERR_IO, rel, 0, 0,
					"cannot read the folder: %s",
					strerror(errno));
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		bool known =
			(size_t)snprintf(child, sizeof(child), "%s/%s", rel,
					 e->d_name) < sizeof(child) &&
			fstatat(dirfd(d), e->d_name, &st,
				AT_SYMLINK_NOFOLLOW) == 0;

		if (known && S_ISDIR(st.st_mode))
			rc = check_legacy_dir(sd, child, latest, err);
		else if (known && S_ISLNK(st.st_mode))
			rc = refuse_link(sd, child, err);
		else if (known && S_ISREG(st.st_mode) &&
			 parity_file(sd, latest, child))
			add_file(sd, child);
		else
			rc = refuse_foreign(sd, child, latest, err);
	}
	closedir(d);
	return rc;
}

/*
 * Inspect DIR before anything is written: read releases.json (through its
 * link), note the live release, and check every name parity will replace
 * or link: what is not parity's is refused, never deleted.
 */
static int inspect(struct site_dir *sd, struct site_releases *releases,
		   struct parity_error *err)
{
	char path[4200], target[PATH_MAX];
	struct stat st, to;
	size_t k;
	ssize_t n;

	memset(releases, 0, sizeof(*releases));
	if (pathf(path, sizeof(path), err, "%s/releases.json", sd->path) < 0)
		return -1;
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
						"cannot read: %s",
						strerror(errno));
		if (check_unclaimed(sd, err) < 0)
			return -1;
	} else if (S_ISLNK(st.st_mode)) {
		if (!link_is(sd->fd, "releases.json", CURRENT "/releases.json"))
			return refuse_link(sd, "releases.json", err);
		if (stat(path, &to) == 0) {
			if (site_releases_load(sd->path, releases, err) < 0)
				return -1;
		} else if (has_numbered(sd, "releases")) {
			return parity_error_set(
				err, PARITY_ERR_USAGE, path, 0, 0,
				"leads nowhere (%s/current is missing or "
				"broken), but %s/releases holds releases: parity "
				"will not guess which of them were published; "
				"make %s/current a link to top/N again, N the "
				"latest release", sd->path, sd->path, sd->path);
		}
	} else if (S_ISREG(st.st_mode)) {
		if (site_releases_load(sd->path, releases, err) < 0)
			return -1;
	} else {
		return parity_error_set(err, PARITY_ERR_USAGE, path, 0, 0,
					"not a file: is this a site parity "
					"published?");
	}

	n = readlinkat(sd->fd, CURRENT, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		sd->live = strncmp(target, "top/", 4) == 0
				   ? release_number(target + 4)
				   : 0;
		if (sd->live == 0)
			return refuse_link(sd, CURRENT, err);
	} else if (fstatat(sd->fd, CURRENT, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		return parity_error_set(err, PARITY_ERR_USAGE, CURRENT, 0, 0,
					"%s/current is not the link parity "
					"makes (to top/N): move it away before "
					"publishing", sd->path);
	}
	for (k = 0; k < releases->count; k++)
		if (!releases->items[k].found)
			return parity_error_set(
				err, PARITY_ERR_USAGE, path, 0, 0,
				"lists release %d, but %s/releases/%d is "
				"missing or not a folder: a published release "
				"is never made again; restore it before "
				"publishing", releases->items[k].number,
				sd->path, releases->items[k].number);
	if (sd->live && sd->live != site_releases_highest(releases))
		return parity_error_set(
			err, PARITY_ERR_USAGE, path, 0, 0,
			"the latest release is %d, but %s/current leads to "
			"top/%d: the site is damaged; make current a link to "
			"top/%d", site_releases_highest(releases), sd->path, sd->live,
			site_releases_highest(releases));
	for (k = 0; k < 2; k++) {
		const char *area = k == 0 ? "releases" : "top";

		if (fstatat(sd->fd, area, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			return S_ISLNK(st.st_mode)
				       ? refuse_link(sd, area, err)
				       : refuse_foreign(sd, area,
							site_releases_highest(releases), err);
	}
	for (k = 0; k < NTOP_NAMES; k++) {
		const char *name = top_names[k];
		char want[64];

		if (fstatat(sd->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		snprintf(want, sizeof(want), CURRENT "/%s", name);
		if (S_ISLNK(st.st_mode)) {
			if (!link_is(sd->fd, name, want))
				return refuse_link(sd, name, err);
			continue;
		}
		sd->legacy = true;
		if (S_ISDIR(st.st_mode)) {
			if (check_legacy_dir(sd, name, site_releases_highest(releases), err) < 0)
				return -1;
		} else if (S_ISREG(st.st_mode) &&
			   parity_file(sd, site_releases_highest(releases),
				       name)) {
			add_file(sd, name);
		} else {
			return refuse_foreign(sd, name, site_releases_highest(releases), err);
		}
	}
	return 0;
}

/* ---- staging, placing and making live ---- */

struct stage {
	char path[4200];    /* the staging folder, then where it was placed */
	struct site_journal j;
	bool begun, placed;
};

static void stage_close(struct stage *st)
{
	size_t k;

	if (st->j.file)
		fclose(st->j.file);
	st->j.file = NULL;
	for (k = 0; k < st->j.ndirs; k++)
		free(st->j.dirs[k]);
	free(st->j.dirs);
	st->j.dirs = NULL;
	st->j.ndirs = st->j.cap = 0;
}

/* Make the staging folder DIR/AREA/.N.partial.XXXXXX and its manifest. */
static int stage_begin(struct site_dir *sd, const char *area, int number,
		       struct stage *st, struct parity_error *err)
{
	char parent[4200], manifest[4400];
	int fd;

	memset(st, 0, sizeof(*st));
	if (pathf(parent, sizeof(parent), err, "%s/%s", sd->path, area) < 0 ||
	    pathf(st->path, sizeof(st->path), err, "%s/.%d.partial.XXXXXX",
		  parent, number) < 0)
		return -1;
	if (mkdir(parent, 0755) < 0 && errno != EEXIST)
		return parity_error_set(err, PARITY_ERR_IO, parent, 0, 0,
					"cannot create the folder: %s",
					strerror(errno));
	if (!mkdtemp(st->path))
		return parity_error_set(err, PARITY_ERR_IO, parent, 0, 0,
					"cannot create a staging folder: %s",
					strerror(errno));
	st->begun = true;
	if (chmod(st->path, 0755) < 0 ||
	    pathf(manifest, sizeof(manifest), err, "%s/%s", st->path,
		  SITE_MANIFEST) < 0)
		return parity_error_set(err, PARITY_ERR_IO, st->path, 0, 0,
					"cannot prepare the staging folder: %s",
					strerror(errno));
	fd = open(manifest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	st->j.file = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!st->j.file) {
		if (fd >= 0)
			close(fd);
		return parity_error_set(err, PARITY_ERR_IO, manifest, 0, 0,
					"cannot write the manifest: %s",
					strerror(errno));
	}
	return 0;
}

/* Sync the manifest and every folder of the copy. */
static int stage_end(struct stage *st, struct parity_error *err)
{
	char path[4400];
	size_t k;
	int bad;

	bad = fflush(st->j.file) != 0 || fsync(fileno(st->j.file)) < 0;
	bad |= fclose(st->j.file) != 0;
	st->j.file = NULL;
	if (bad)
		return parity_error_set(err, PARITY_ERR_IO, st->path, 0, 0,
					"cannot write the manifest: %s",
					strerror(errno));
	for (k = 0; k < st->j.ndirs; k++)
		if (pathf(path, sizeof(path), err, "%s/%s", st->path,
			  st->j.dirs[k]) < 0 ||
		    sync_path(path, err) < 0)
			return -1;
	return sync_path(st->path, err);
}

/* Rename the staging folder to DIR/AREA/N, which must not exist. */
static int stage_place(struct site_dir *sd, struct stage *st, const char *area,
		       int number, struct parity_error *err)
{
	char dest[4200], parent[4200];
	struct stat sb;
	int rc;

	if (pathf(dest, sizeof(dest), err, "%s/%s/%d", sd->path, area,
		  number) < 0 ||
	    pathf(parent, sizeof(parent), err, "%s/%s", sd->path, area) < 0)
		return -1;
	rc = renameat2(AT_FDCWD, st->path, AT_FDCWD, dest, RENAME_NOREPLACE);
	if (rc < 0 && (errno == EINVAL || errno == ENOSYS)) {
		/* a file system without RENAME_NOREPLACE */
		rc = lstat(dest, &sb) == 0 ? (errno = EEXIST, -1)
					   : rename(st->path, dest);
	}
	if (rc < 0)
		return parity_error_set(err, PARITY_ERR_IO, dest, 0, 0,
					"cannot move the copy into place: %s",
					strerror(errno));
	snprintf(st->path, sizeof(st->path), "%s", dest);
	st->placed = true;
	return sync_path(parent, err);
}

/* Remove what a publication made and did not finish with. */
static void stage_undo(struct stage *st)
{
	stage_close(st);
	if (st->begun)
		site_remove_listed(st->path, NULL);
	st->begun = st->placed = false;
}

/* Make DIR/current lead to top/N, with one rename. */
static int swap_current(struct site_dir *sd, int number,
			struct parity_error *err)
{
	char target[32];

	snprintf(target, sizeof(target), "top/%d", number);
	if (unlinkat(sd->fd, CURRENT_TMP, 0) < 0 && errno != ENOENT)
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot remove %s: %s", CURRENT_TMP,
					strerror(errno));
	if (symlinkat(target, sd->fd, CURRENT_TMP) < 0 ||
	    renameat(sd->fd, CURRENT_TMP, sd->fd, CURRENT) < 0) {
		int e = errno;

		unlinkat(sd->fd, CURRENT_TMP, 0);
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot make release %d live (the link "
					"%s): %s", number, CURRENT, strerror(e));
	}
	if (fsync(sd->fd) < 0)
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot sync the folder: %s",
					strerror(errno));
	sd->live = number;
	return 0;
}

/* Make DIR/NAME a link to current/NAME when it is not there yet. */
static int link_name(struct site_dir *sd, const char *name,
		     struct parity_error *err)
{
	char target[NAME_MAX + 16];
	struct stat st;

	snprintf(target, sizeof(target), CURRENT "/%s", name);
	if (fstatat(sd->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode) && link_is(sd->fd, name, target))
			return 0;
		return S_ISLNK(st.st_mode) ? refuse_link(sd, name, err)
					   : refuse_foreign(sd, name, sd->live,
							    err);
	}
	if (symlinkat(target, sd->fd, name) < 0)
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot make the link %s: %s", name,
					strerror(errno));
	sd->links = xgrow(sd->links, &sd->links_cap, sd->nlinks + 1,
			  sizeof(*sd->links));
	sd->links[sd->nlinks++] = xstrdup(name);
	return 0;
}

/* Link each top-level name of the copy DIR/top/N into DIR, releases.json
 * first. */
static int link_top_level(struct site_dir *sd, int number,
			  struct parity_error *err)
{
	char path[4200];
	struct dirent *e;
	int rc;
	DIR *d;

	if (link_name(sd, "releases.json", err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/top/%d", sd->path, number);
	d = opendir(path);
	if (!d)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot read: %s", strerror(errno));
	rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			rc = link_name(sd, e->d_name, err);
	closedir(d);
	return rc;
}

/* Undo the links this publication made (before it went live). */
static void unlink_new_links(struct site_dir *sd)
{
	char target[NAME_MAX + 16];
	size_t k;

	for (k = 0; k < sd->nlinks; k++) {
		snprintf(target, sizeof(target), CURRENT "/%s", sd->links[k]);
		if (link_is(sd->fd, sd->links[k], target))
			unlinkat(sd->fd, sd->links[k], 0);
	}
}

/* Copy the file `from` to `to` (a new file), synced. */
static int copy_file(const char *from, const char *to,
		     struct parity_error *err)
{
	char buf[65536];
	ssize_t n = 0;
	int in, out, e = 0;

	in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return parity_error_set(err, PARITY_ERR_IO, from, 0, 0,
					"cannot read: %s", strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0)
		e = errno;
	while (!e && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			e = errno ? errno : EIO;
	if (!e && n < 0)
		e = errno;
	if (!e && fsync(out) < 0)
		e = errno;
	close(in);
	if (out >= 0 && close(out) < 0 && !e)
		e = errno;
	if (e)
		return parity_error_set(err, PARITY_ERR_IO, to, 0, 0,
					"cannot copy %s: %s", from, strerror(e));
	return 0;
}

/*
 * Copy the old top level's files (sd->files, each checked to be the
 * latest release's) into DIR/top/L, by hard links, and make it live.
 */
static int legacy_copy(struct site_dir *sd, struct site *s, int latest,
		       struct parity_error *err)
{
	struct site_copy copy;
	struct stage st;
	char from[4200], to[8400];
	size_t k;
	int rc = 0;

	if (stage_begin(sd, "top", latest, &st, err) < 0) {
		stage_undo(&st);
		return -1;
	}
	copy.dir = st.path;
	copy.top = "";
	copy.counted = false;
	s->journal = &st.j;
	for (k = 0; rc == 0 && k < sd->nfiles; k++) {
		rc = site_file_begin(s, &copy, sd->files[k], err);
		if (rc == 0 &&
		    (pathf(from, sizeof(from), err, "%s/%s", sd->path,
			   sd->files[k]) < 0 ||
		     pathf(to, sizeof(to), err, "%s/%s", st.path,
			   sd->files[k]) < 0))
			rc = -1;
		if (rc == 0 && link(from, to) < 0)
			rc = copy_file(from, to, err);
	}
	s->journal = NULL;
	if (rc == 0)
		rc = stage_end(&st, err);
	if (rc == 0)
		rc = stage_place(sd, &st, "top", latest, err);
	if (rc == 0)
		rc = swap_current(sd, latest, err);
	if (rc < 0)
		stage_undo(&st);
	stage_close(&st);
	return rc;
}

/*
 * Replace the old top-level entry DIR/NAME (a file or folder holding the
 * same files as DIR/current/NAME) by the link current/NAME, with one
 * rename; then remove the old folder's files, which are the latest
 * release's (checked) and kept in DIR/top/L.
 */
static int replace_with_link(struct site_dir *sd, const char *name,
			     bool folder, struct parity_error *err)
{
	char tmp[NAME_MAX + 32], target[NAME_MAX + 16], old[NAME_MAX + 32];
	const char *gone = tmp;
	char **inside = NULL;
	size_t n = 0, cap = 0, k, len = strlen(name);
	int fd;

	snprintf(tmp, sizeof(tmp), ".parity-link.%s", name);
	snprintf(target, sizeof(target), CURRENT "/%s", name);
	if (link_is(sd->fd, tmp, target))
		unlinkat(sd->fd, tmp, 0);
	if (symlinkat(target, sd->fd, tmp) < 0)
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot make the link %s: %s", tmp,
					strerror(errno));
	if (!folder) {
		if (renameat(sd->fd, tmp, sd->fd, name) == 0)
			return 0;
		unlinkat(sd->fd, tmp, 0);
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot replace %s by a link: %s", name,
					strerror(errno));
	}
	if (renameat2(sd->fd, tmp, sd->fd, name, RENAME_EXCHANGE) < 0) {
		if (errno != EINVAL && errno != ENOSYS) {
			unlinkat(sd->fd, tmp, 0);
			return parity_error_set(err, PARITY_ERR_IO, sd->path, 0,
						0, "cannot replace %s by a link: "
						"%s", name, strerror(errno));
		}
		/* no RENAME_EXCHANGE here: the folder is moved aside and
		 * the link put in its place, a moment apart */
		snprintf(old, sizeof(old), ".parity-old.%s", name);
		if (renameat(sd->fd, name, sd->fd, old) < 0 ||
		    renameat(sd->fd, tmp, sd->fd, name) < 0)
			return parity_error_set(err, PARITY_ERR_IO, sd->path, 0,
						0, "cannot replace %s by a link: "
						"%s", name, strerror(errno));
		gone = old;
	}
	for (k = 0; k < sd->nfiles; k++)
		if (strncmp(sd->files[k], name, len) == 0 &&
		    sd->files[k][len] == '/') {
			inside = xgrow(inside, &cap, n + 1, sizeof(*inside));
			inside[n++] = xstrdup(sd->files[k] + len + 1);
		}
	fd = openat(sd->fd, gone, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				  O_CLOEXEC);
	if (fd >= 0) {
		remove_files(fd, inside, n);
		close(fd);
		unlinkat(sd->fd, gone, AT_REMOVEDIR);
	}
	free_list(inside, n);
	return 0;
}

/* Upgrade a site published before DIR/current (see the top of the file):
 * its top level becomes links, each page staying whole throughout. */
static int upgrade_legacy(struct site_dir *sd, struct site *s, int latest,
			  struct parity_error *err)
{
	struct stat st;
	size_t k;

	if (!sd->live && latest > 0 && legacy_copy(sd, s, latest, err) < 0)
		return -1;
	for (k = 0; k < NTOP_NAMES; k++) {
		if (fstatat(sd->fd, top_names[k], &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    S_ISLNK(st.st_mode))
			continue;
		if (replace_with_link(sd, top_names[k], S_ISDIR(st.st_mode),
				      err) < 0)
			return -1;
	}
	if (fsync(sd->fd) < 0)
		return parity_error_set(err, PARITY_ERR_IO, sd->path, 0, 0,
					"cannot sync the folder: %s",
					strerror(errno));
	sd->legacy = false;
	return 0;
}

/*
 * Before writing release N: remove what publications killed part way left
 * (staging folders, by their manifests) and a copy numbered N that never
 * went live; refuse when such a copy holds anything parity did not write.
 *
 * DIR/releases/N is placed before DIR/top/N, and N goes live only after
 * both are placed. So a releases/N with no top/N never went live and is
 * removed (it could otherwise be read beside the release that replaces
 * it). With top/N there too, N may have been live (a publication stopped
 * in the moment before the switch cannot be told from a site switched back
 * to an earlier release by hand): that is refused, never guessed.
 */
static int clear_leftovers(struct site_dir *sd, int number, int latest,
			   struct parity_error *err)
{
	static const char *const areas[] = { "releases", "top" };
	char path[4200], top[4200];
	struct dirent *e;
	struct stat st;
	size_t k;
	int rc;
	DIR *d;

	if (readlinkat(sd->fd, CURRENT_TMP, path, sizeof(path)) >= 0)
		unlinkat(sd->fd, CURRENT_TMP, 0);    /* a link left by a kill */
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", sd->path, areas[k]);
		d = opendir(path);
		while (d && (e = readdir(d)) != NULL) {
			char leftover[4500];

			if (!staging_name(e->d_name))
				continue;
			snprintf(leftover, sizeof(leftover), "%s/%s", path,
				 e->d_name);
			site_remove_listed(leftover, NULL);
		}
		if (d)
			closedir(d);
	}
	snprintf(path, sizeof(path), "%s/releases/%d", sd->path, number);
	snprintf(top, sizeof(top), "%s/top/%d", sd->path, number);
	if (lstat(path, &st) == 0 && lstat(top, &st) == 0)
		return parity_error_set(
			err, PARITY_ERR_USAGE, path, 0, 0,
			"release %d is not in releases.json, but it and its "
			"copy %s are there: a publication was stopped just "
			"before release %d went live, or the site was switched "
			"back to an earlier release by hand. Parity will not "
			"guess; if release %d was never published, remove both "
			"folders", number, top, number, number);
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s/%d", sd->path, areas[k],
			 number);
		rc = site_remove_listed(path, err);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return parity_error_set(
				err, PARITY_ERR_USAGE, path, 0, 0,
				"release %d is not in releases.json, yet this "
				"folder holds files parity did not write (or is "
				"not a folder): parity will not delete them; "
				"move it away before publishing", number);
	}
	if (sd->legacy && !sd->live && latest > 0) {
		snprintf(path, sizeof(path), "%s/top/%d", sd->path, latest);
		rc = site_remove_listed(path, err);
		if (rc != 0)
			return rc < 0 ? -1
				      : parity_error_set(
						err, PARITY_ERR_USAGE, path, 0, 0,
						"holds files parity did not "
						"write: parity will not delete "
						"them; move it away before "
						"publishing");
	}
	return 0;
}

/* Remove the top-level copies no longer live, but the one just replaced
 * (a reader may be part way through it). */
static void prune_copies(struct site_dir *sd, int live, int previous)
{
	char path[4200], copy[4500];
	struct dirent *e;
	DIR *d;
	int n;

	snprintf(path, sizeof(path), "%s/top", sd->path);
	d = opendir(path);
	while (d && (e = readdir(d)) != NULL) {
		n = release_number(e->d_name);
		if (n == 0 || n == live || n == previous)
			continue;
		snprintf(copy, sizeof(copy), "%s/%s", path, e->d_name);
		site_remove_listed(copy, NULL);
	}
	if (d)
		closedir(d);
}

/* ---- disclosure control ---- */

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
		/* a service held back in that release published no file,
		 * nor one without attainment */
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

/*
 * Dataset `which` (SITE_WORKFORCE, an index into s->services, or
 * SITE_ATTAINMENT) protected with the site's options, the same year's
 * earlier releases of it taken as published (load_priors()): `in` into
 * `out`, which the caller has initialised and owns; what was withheld
 * into `summary` when not NULL.
 */
static int protect_dataset(struct site *s, size_t which,
			   const struct tidy_table *in, struct tidy_table *out,
			   struct sdc_summary *summary,
			   struct parity_error *err)
{
	struct tidy_table *owned[SDC_MAX_PRIORS];
	struct sdc_options sdc = s->opt->sdc;
	struct sdc_summary ignored;
	size_t i, n = 0;
	int rc = load_priors(s, which, owned, &n, err);

	for (i = 0; i < n; i++)
		sdc.priors[i] = owned[i];
	sdc.npriors = n;
	if (rc == 0)
		rc = sdc_protect_table(in, s->areas, &sdc, out,
				       summary ? summary : &ignored, err);
	free_priors(owned, n);
	return rc < 0 ? -1 : 0;
}

static int protect_workforce(struct site *s, const struct site_data *d,
			     struct parity_error *err)
{
	size_t bad;

	if (protect_dataset(s, SITE_WORKFORCE, &d->workforce, &s->workforce,
			    &s->sdc, err) < 0)
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

/*
 * A service: London's rows with Inner and Outer London's and every
 * borough's, protected in one call, so that disclosure control models
 * each area as the sum of its boroughs and each later stage as no more
 * than the stage it is within (docs/disclosure.md); published if the
 * check passes, held back whole if not.
 */
static int protect_service(struct site *s, const struct site_service_data *in,
			   struct site_service_pub *out,
			   struct parity_error *err)
{
	const char *london = s->areas->areas[area_london(s->areas)].code;
	size_t i, bad;
	bool any = false;

	out->def = in->def;
	snprintf(out->period, sizeof(out->period), "%s", in->period);
	tidy_table_init(&out->table);
	for (i = 0; i < in->table.count && !any; i++)
		any = strcmp(in->table.rows[i].area_code, london) == 0;
	if (!any) {
		snprintf(out->held, sizeof(out->held),
			 "The store holds no %s returns for %s.",
			 in->def->title, in->period);
		return 0;
	}
	if (protect_dataset(s, (size_t)(out - s->services), &in->table,
			    &out->table, NULL, err) < 0)
		return -1;
	bad = first_small_count(&out->table, s->opt->sdc.k);
	if (bad != (size_t)-1) {
		snprintf(out->held, sizeof(out->held),
			 "%s: the figures for %s are held back. At least one "
			 "of them rests on fewer than %g people (%s, %s, %s), "
			 "and could not be protected.", in->def->title,
			 in->period, s->opt->sdc.k,
			 out->table.rows[bad].area_name,
			 out->table.rows[bad].ethnicity,
			 out->table.rows[bad].breakdown);
		tidy_table_free(&out->table);
		tidy_table_init(&out->table);
	}
	return 0;
}

/*
 * Attainment: every area's and year's rows protected in one call, so that
 * disclosure control models each area as the sum of its boroughs and a
 * trend as resting on the gaps of every year it spans; published if the
 * check passes, held back whole if not. Nothing when the store holds no
 * attainment for the year.
 */
static int protect_attainment(struct site *s,
			      const struct site_attainment_data *in,
			      struct parity_error *err)
{
	struct site_attainment_pub *out = &s->attainment;
	size_t bad;

	/* out->table is site_publish()'s, initialised there */
	snprintf(out->period, sizeof(out->period), "%s", in->period);
	out->present = in->table.count > 0;
	if (!out->present)
		return 0;
	if (protect_dataset(s, SITE_ATTAINMENT, &in->table, &out->table,
			    NULL, err) < 0)
		return -1;
	bad = first_small_count(&out->table, s->opt->sdc.k);
	if (bad != (size_t)-1) {
		snprintf(out->held, sizeof(out->held),
			 "Attainment: the figures for %s are held back. At "
			 "least one of them rests on fewer than %g pupils (%s, "
			 "%s, %s), and could not be protected.", in->period,
			 s->opt->sdc.k, out->table.rows[bad].area_name,
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
	tidy_table_free(&s->attainment.table);
	site_standard_release(s);
	site_practice_release(s);
	site_digest_release(s);
}

static int write_copy(struct site *s, const struct site_copy *c,
		      struct parity_error *err)
{
	if (site_write_file(s, c, "parity.css", parity_data_parity_css,
			    parity_data_parity_css_len, err) < 0 ||
	    site_write_downloads(s, c, err) < 0 ||
	    site_write_pages(s, c, err) < 0)
		return -1;
	return 0;
}

/* Write the top-level copy's list of releases. */
static int write_releases(struct site *s, const struct site_copy *c,
			  struct parity_error *err)
{
	char *json = site_releases_json(s->releases, err);
	int rc;

	if (!json)
		return -1;
	rc = site_write_file(s, c, "releases.json", json, strlen(json), err);
	free(json);
	return rc;
}

/* Compute the release: every table protected, nothing raw kept. */
static int protect(struct site *s, struct store *store,
		   struct site_data *data, const struct benchmark *census,
		   const struct service_defs *defs, struct parity_error *err)
{
	size_t k;

	if (site_data_load(store, s->areas, census, defs, s->opt->year,
			   s->opt->by_sex, data, err) < 0 ||
	    protect_workforce(s, data, err) < 0)
		return -1;
	for (k = 0; k < data->nservices; k++) {
		if (protect_service(s, &data->services[k], &s->services[k],
				    err) < 0)
			return -1;
		s->nservices++;
	}
	if (protect_attainment(s, &data->attainment, err) < 0)
		return -1;
	site_data_release(data);   /* nothing raw is kept from here on */
	return 0;
}

/* Write copy `c` (the release's, or the top level's) into a staging
 * folder of DIR/AREA, complete and synced. */
static int stage_copy(struct site *s, struct site_dir *sd, const char *area,
		      struct stage *st, struct site_copy *c,
		      struct parity_error *err)
{
	int rc;

	if (stage_begin(sd, area, s->release, st, err) < 0)
		return -1;
	c->dir = st->path;
	s->journal = &st->j;
	rc = write_copy(s, c, err);
	/* the top level's copy holds the log and the list of releases */
	if (rc == 0 && !c->counted &&
	    (site_write_corrections(s, c, err) < 0 ||
	     write_releases(s, c, err) < 0))
		rc = -1;
	s->journal = NULL;
	if (rc == 0)
		rc = stage_end(st, err);
	return rc;
}

int site_publish(struct store *store, const struct site_options *opt,
		 struct site_summary *summary, struct parity_error *err)
{
	struct site_releases releases = { NULL, 0, 0 };
	struct area_set *areas = NULL;
	struct benchmark *census = NULL;
	struct service_defs *defs = NULL;
	struct site_data data;
	struct site s;
	struct site_dir sd;
	struct stage rel, top;
	struct site_copy copy;
	char path[4200];
	int number, latest = 0, previous = 0, rc = -1;
	bool live = false;
	size_t k, kept;

	memset(&s, 0, sizeof(s));
	memset(&data, 0, sizeof(data));
	memset(&rel, 0, sizeof(rel));
	memset(&top, 0, sizeof(top));
	memset(summary, 0, sizeof(*summary));
	memset(&sd, 0, sizeof(sd));
	sd.fd = -1;
	tidy_table_init(&s.workforce);
	tidy_table_init(&s.attainment.table);
	s.opt = opt;
	if (site_options_check(opt, err) < 0 ||
	    site_dir_open(&sd, opt->dir, err) < 0 ||
	    inspect(&sd, &releases, err) < 0 ||
	    site_release_next(&releases, opt->year, opt->correction, &number,
			      err) < 0)
		goto out;
	latest = site_releases_highest(&releases);
	if (clear_leftovers(&sd, number, latest, err) < 0)
		goto out;
	kept = releases.count;
	/* the groups of boroughs defined in the store are areas too */
	if (area_set_load(&areas, err) < 0 ||
	    store_area_groups_load(store, areas, err) < 0 ||
	    benchmark_load_census2021(&census, areas, err) < 0 ||
	    service_defs_load(&defs, err) < 0)
		goto out;
	s.areas = areas;
	s.release = number;
	s.correction = opt->correction;
	s.releases = &releases;
	s.store = store;
	if (protect(&s, store, &data, census, defs, err) < 0 ||
	    site_standard_load(&s, store, err) < 0 ||
	    site_practice_load(&s, store, err) < 0 ||
	    site_digest_load(&s, store, err) < 0)
		goto out;

	/* The release, and the copy for the top level with the log and the
	 * list of releases, each complete in its staging folder. */
	site_releases_add(&releases, number, opt->year, opt->date,
			  opt->correction);
	copy.top = "../../";
	copy.counted = true;
	if (stage_copy(&s, &sd, "releases", &rel, &copy, err) < 0)
		goto out;
	copy.top = "";
	copy.counted = false;
	if (stage_copy(&s, &sd, "top", &top, &copy, err) < 0)
		goto out;
	/* Into place, and the list of releases proved before it is live. */
	if (stage_place(&sd, &rel, "releases", number, err) < 0 ||
	    stage_place(&sd, &top, "top", number, err) < 0 ||
	    pathf(path, sizeof(path), err, "%s/top/%d/releases.json",
		  opt->dir, number) < 0 ||
	    site_releases_verify(path, opt->dir, &releases, kept, err) < 0)
		goto out;
	if (sd.legacy && upgrade_legacy(&sd, &s, latest, err) < 0)
		goto out;
	previous = sd.live;
	if (link_top_level(&sd, number, err) < 0 ||
	    swap_current(&sd, number, err) < 0)
		goto out;
	live = true;
	/* Live: the list as readers now find it, read back once more. */
	if (pathf(path, sizeof(path), err, "%s/releases.json", opt->dir) < 0 ||
	    site_releases_verify(path, opt->dir, &releases, kept, err) < 0) {
		/* back to the release that was live, if that can be done */
		if (previous > 0 && swap_current(&sd, previous, NULL) == 0)
			live = false;
		goto out;
	}
	prune_copies(&sd, number, previous);
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
	if (s.attainment.present) {
		snprintf(summary->attainment_period,
			 sizeof(summary->attainment_period), "%s",
			 s.attainment.period);
		summary->attainment_held = s.attainment.held[0] != '\0';
	}
	rc = 0;
out:
	if (rc < 0 && !live) {
		/* nothing of this publication is live: remove it all */
		stage_undo(&top);
		stage_undo(&rel);
		unlink_new_links(&sd);
		if (sd.fd >= 0) {
			unlinkat(sd.fd, "top", AT_REMOVEDIR);
			unlinkat(sd.fd, "releases", AT_REMOVEDIR);
		}
		if (sd.made)
			rmdir(opt->dir);
	}
	stage_close(&top);
	stage_close(&rel);
	site_dir_release(&sd);
	site_data_release(&data);
	release_site(&s);
	service_defs_free(defs);
	benchmark_free(census);
	area_set_free(areas);
	site_releases_free(&releases);
	return rc;
}
