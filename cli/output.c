/*
 * output.c - where a command's output goes (see output.h): the guard that
 * keeps -o off the store, its key and the inputs, the temporary file and
 * rename that make an output appear whole or not at all, and terminal
 * views made safe to show.
 */
#include "output.h"

#include "cli.h"

#include "base/alloc.h"
#include "base/atomic_file.h"
#include "base/strbuf.h"
#include "base/textsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_output_guard_init(struct cli_output_guard *g, const char *command)
{
	memset(g, 0, sizeof(*g));
	g->command = command;
}

void cli_output_guard_store(struct cli_output_guard *g, const char *where)
{
	g->store = where;
	g->store_key = cli_db_key(where);
}

void cli_output_guard_input(struct cli_output_guard *g, const char *what,
			    const char *path)
{
	if (!path || strcmp(path, "-") == 0 ||
	    g->ninputs == CLI_OUTPUT_MAX_INPUTS)
		return;
	g->inputs[g->ninputs].what = what;
	g->inputs[g->ninputs].path = path;
	g->ninputs++;
}

/* Whether `path` names the file `out` is. */
static bool same_file(const struct stat *out, const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_dev == out->st_dev &&
	       st.st_ino == out->st_ino;
}

/*
 * The file among the guarded that `path` would overwrite: its description
 * in *what and its name in `name`; false when there is none (or `path`
 * does not exist yet, or is not a regular file, which is written in place
 * and never replaced).
 */
static bool guarded_file(const struct cli_output_guard *g, const char *path,
			 const char **what, struct strbuf *name)
{
	static const struct {
		const char *suffix, *what;
	} store_files[] = {
		{ "", "the store" },
		{ ".key", "the store's key" },
		{ "-wal", "the store's write-ahead log" },
		{ "-shm", "the store's shared-memory file" },
	};
	struct stat out;
	size_t k;

	if (!path || stat(path, &out) != 0 || !S_ISREG(out.st_mode))
		return false;
	for (k = 0; g->store && k < sizeof(store_files) / sizeof(store_files[0]);
	     k++) {
		strbuf_reset(name);
		strbuf_addf(name, "%s%s", g->store, store_files[k].suffix);
		if (same_file(&out, name->buf)) {
			*what = store_files[k].what;
			return true;
		}
	}
	if (g->store_key && same_file(&out, g->store_key)) {
		strbuf_reset(name);
		strbuf_addstr(name, g->store_key);
		*what = "the store's key";
		return true;
	}
	for (k = 0; k < g->ninputs; k++)
		if (same_file(&out, g->inputs[k].path)) {
			strbuf_reset(name);
			strbuf_addstr(name, g->inputs[k].path);
			*what = g->inputs[k].what;
			return true;
		}
	return false;
}

static const char refusal[] =
	"%s: -o '%s' would overwrite %s '%s': choose another output file";

int cli_output_check(const struct cli_output_guard *g, const char *path)
{
	struct strbuf name = STRBUF_INIT;
	const char *what = NULL;
	int status = CLI_OK;

	if (guarded_file(g, path, &what, &name))
		status = cli_usage_error(refusal, g->command, path, what,
					 name.buf);
	strbuf_release(&name);
	return status;
}

/* The mode a new file gets from fopen(): 0666 less the umask. */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

int cli_output_open(struct cli_output *o, const char *path,
		    const struct cli_output_guard *g, struct parity_error *err)
{
	struct strbuf name = STRBUF_INIT;
	struct stat st, link;
	const char *what = NULL, *slash;
	char resolved[PATH_MAX];
	bool exists;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!path) {
		o->file = stdout;
		return 0;
	}
	if (guarded_file(g, path, &what, &name)) {
		parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0, refusal,
				 g->command, path, what, name.buf);
		strbuf_release(&name);
		return -1;
	}
	strbuf_release(&name);
	exists = stat(path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		/* a device or a pipe: nothing to replace, so write to it */
		o->file = fopen(path, "w");
		if (!o->file)
			return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
						"cannot write the output: %s",
						strerror(errno));
		return 0;
	}
	/* a file that could not be written in place is not replaced either */
	if (exists && access(path, W_OK) != 0)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot write the output: %s",
					strerror(errno));
	if (exists && lstat(path, &link) == 0 && S_ISLNK(link.st_mode) &&
	    realpath(path, resolved))
		o->target = xstrdup(resolved);
	else
		o->target = xstrdup(path);
	slash = strrchr(o->target, '/');
	strbuf_addf(&name, "%.*s.%s.XXXXXX",
		    slash ? (int)(slash - o->target) + 1 : 0, o->target,
		    slash ? slash + 1 : o->target);
	o->temp = strbuf_detach(&name, NULL);
	fd = mkstemp(o->temp);
	if (fd < 0) {
		parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				 "cannot write the output: %s", strerror(errno));
		goto fail;
	}
	/* the permissions the output had, or a new file's */
	(void)fchmod(fd, exists ? st.st_mode & 07777 : new_file_mode());
	o->file = fdopen(fd, "w");
	if (!o->file) {
		parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				 "cannot write the output: %s", strerror(errno));
		close(fd);
		unlink(o->temp);
		goto fail;
	}
	return 0;
fail:
	free(o->temp);
	free(o->target);
	o->temp = o->target = NULL;
	return -1;
}

const char *cli_output_write_path(const struct cli_output *o)
{
	return o->temp ? o->temp : o->path;
}

int cli_output_close(struct cli_output *o, int rc, struct parity_error *err)
{
	if (!o->path || !o->file)
		return rc;
	if (!o->temp) {
		if (fclose(o->file) != 0 && rc == 0)
			rc = parity_error_set(err, PARITY_ERR_IO, o->path, 0, 0,
					      "could not write the output: %s",
					      strerror(errno));
		o->file = NULL;
		return rc;
	}
	if (rc == 0 && (fflush(o->file) != 0 || ferror(o->file)))
		rc = parity_error_set(err, PARITY_ERR_IO, o->path, 0, 0,
				      "could not write the output: %s",
				      strerror(errno));
	if (fclose(o->file) != 0 && rc == 0)
		rc = parity_error_set(err, PARITY_ERR_IO, o->path, 0, 0,
				      "could not write the output: %s",
				      strerror(errno));
	o->file = NULL;
	if (rc == 0) {
		int e = atomic_file_commit(o->temp, o->target, true);

		if (e)
			rc = parity_error_set(err, PARITY_ERR_IO, o->path, 0,
					      0, "could not replace the "
					      "output: %s", strerror(e));
	}
	if (rc != 0) {
		unlink(o->temp);
		/* a writer's error names the file it wrote: name the output */
		if (err && (!err->file[0] || strcmp(err->file, o->temp) == 0))
			snprintf(err->file, sizeof(err->file), "%s", o->path);
	}
	free(o->temp);
	free(o->target);
	o->temp = o->target = NULL;
	return rc;
}

FILE *cli_view_open(struct cli_view *v)
{
	v->buf = NULL;
	v->len = 0;
	v->file = open_memstream(&v->buf, &v->len);
	return v->file;
}

int cli_view_close(struct cli_view *v, FILE *out, struct parity_error *err)
{
	struct strbuf safe = STRBUF_INIT;
	bool failed;

	failed = ferror(v->file) != 0;
	if (fclose(v->file) != 0)
		failed = true;
	v->file = NULL;
	if (!failed) {
		textsafe_terminal_append(&safe, v->buf ? v->buf : "", v->len,
					 true);
		fwrite(safe.buf, 1, safe.len, out);
	}
	free(v->buf);
	v->buf = NULL;
	strbuf_release(&safe);
	if (failed || ferror(out))
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"could not write the output");
	return 0;
}

void cli_put_safe(FILE *out, const char *s)
{
	struct strbuf safe = STRBUF_INIT;

	textsafe_terminal_append(&safe, s, strlen(s), false);
	fwrite(safe.buf, 1, safe.len, out);
	strbuf_release(&safe);
}

/* `s`, interned in `t`, with every control character made visible (a line
 * break too: one cell, one line). The escapes are longer than what they
 * replace, so an unchanged length means unchanged text. */
static const char *safe_cell(struct tidy_table *t, struct strbuf *sb,
			     const char *s)
{
	size_t len = strlen(s);

	strbuf_reset(sb);
	textsafe_terminal_append(sb, s, len, false);
	return sb->len == len ? s : tidy_table_intern(t, sb->buf);
}

int cli_table_write_text(const struct tidy_table *t, FILE *out,
			 struct parity_error *err)
{
	struct tidy_table safe;
	struct strbuf sb = STRBUF_INIT;
	size_t k;
	int rc;

	/* made safe cell by cell, so that the columns still line up */
	tidy_table_init(&safe);
	for (k = 0; k < t->count; k++) {
		struct tidy_row *r;

		tidy_table_append_row(&safe, &t->rows[k]);
		r = &safe.rows[safe.count - 1];
		r->measure = safe_cell(&safe, &sb, r->measure);
		r->area_code = safe_cell(&safe, &sb, r->area_code);
		r->area_name = safe_cell(&safe, &sb, r->area_name);
		r->area_type = safe_cell(&safe, &sb, r->area_type);
		r->period = safe_cell(&safe, &sb, r->period);
		r->ethnicity = safe_cell(&safe, &sb, r->ethnicity);
		r->ethnicity_level = safe_cell(&safe, &sb, r->ethnicity_level);
		r->breakdown = safe_cell(&safe, &sb, r->breakdown);
		r->flag = safe_cell(&safe, &sb, r->flag);
		r->note = safe_cell(&safe, &sb, r->note);
	}
	strbuf_release(&sb);
	rc = table_write_text(&safe, out, err);
	tidy_table_free(&safe);
	return rc;
}

int cli_table_write(const struct tidy_table *t, enum output_format format,
		    FILE *out, struct parity_error *err)
{
	struct cli_view view;
	FILE *f;

	if (format != OUTPUT_TABLE)
		return table_write(t, format, out, err);
	f = cli_view_open(&view);
	if (!f)
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"out of memory for the table");
	if (cli_table_write_text(t, f, err) < 0) {
		fclose(f);
		free(view.buf);
		return -1;
	}
	return cli_view_close(&view, out, err);
}
