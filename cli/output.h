/*
 * output.h - where a command's output goes, so that nothing is lost and
 * nothing is misread.
 *
 * - An output file (-o FILE) is never one the command needs: it is refused,
 *   before anything is written, when it is the same file (by device and
 *   inode, so a hard or symbolic link or another spelling of the name is
 *   caught too) as the store, its key (PATH.key), its write-ahead log
 *   (PATH-wal) or shared-memory file (PATH-shm), or any input file. A name
 *   that does not exist yet is fine.
 * - An output file is written to a temporary file beside it, flushed to
 *   disk and renamed over it, so a failed write never leaves half a file
 *   where a good one stood. A symbolic link is followed (the file it names
 *   is replaced, the link kept), a file keeps its permissions and one that
 *   could not be written in place is not replaced; an output that is not a
 *   regular file (/dev/null, a pipe) is written in place.
 * - A terminal view (the table format, `returns list` and `show`) is
 *   gathered and then written with every character that could act on a
 *   terminal made visible (base/textsafe.h).
 *
 * Every command that takes -o uses cli_output_open() and cli_output_close()
 * and nothing else for it.
 */
#ifndef PARITY_CLI_OUTPUT_H
#define PARITY_CLI_OUTPUT_H

#include "base/error.h"
#include "table/render.h"
#include "table/table.h"

#include <stddef.h>
#include <stdio.h>

/* The most files an output is checked against, besides the store's. */
#define CLI_OUTPUT_MAX_INPUTS 8

/* The files a command's output must not replace. */
struct cli_output_guard {
	const char *command;  /* in messages: "report" */
	const char *store;    /* the store's path, or NULL when none */
	const char *store_key; /* a store in PostgreSQL: its key file (a
				* store file's is beside it) */
	struct {
		const char *what; /* "the --definitions file" */
		const char *path;
	} inputs[CLI_OUTPUT_MAX_INPUTS];
	size_t ninputs;
};

/* A guard for `command` with no store and no inputs yet. */
void cli_output_guard_init(struct cli_output_guard *g, const char *command);
/* Guard the store at `where` (cli_db_path()) and its key, wherever that
 * is (cli_db_key()). */
void cli_output_guard_store(struct cli_output_guard *g, const char *where);
/* Add an input file: ignored when `path` is NULL or "-" (stdin), or when
 * CLI_OUTPUT_MAX_INPUTS are already held. */
void cli_output_guard_input(struct cli_output_guard *g, const char *what,
			    const char *path);
/*
 * Whether `path` (NULL for stdout) may be written: CLI_OK, or CLI_USAGE
 * after printing `parity: COMMAND: -o 'PATH' would overwrite the store
 * 'OTHER': choose another output file`.
 */
int cli_output_check(const struct cli_output_guard *g, const char *path);

/* An output being written. */
struct cli_output {
	const char *path; /* as given (in messages); NULL for stdout */
	char *target;     /* the file that is replaced (a link followed) */
	char *temp;       /* the file written, beside it; NULL when in place */
	FILE *file;       /* where a stream writer writes */
};

/*
 * Start writing to `path`, or stdout when it is NULL: the guard is checked
 * again (a store's -wal appears when it is opened), then a temporary file
 * is made beside the output. -1 with `err` filled (PARITY_ERR_USAGE when
 * the guard refuses, PARITY_ERR_IO when the file cannot be made).
 */
int cli_output_open(struct cli_output *o, const char *path,
		    const struct cli_output_guard *g, struct parity_error *err);
/* The path a writer that opens files by name (the Excel writer) writes. */
const char *cli_output_write_path(const struct cli_output *o);
/*
 * Finish: with `rc` 0, flush the file to disk and rename it over the
 * output; otherwise, or when that fails, remove the temporary file and
 * leave whatever stood at the output as it was. Returns `rc`, or -1 with
 * `err` filled when `rc` was 0 but the output could not be written. An
 * error about the temporary file is reported against the output's name.
 */
int cli_output_close(struct cli_output *o, int rc, struct parity_error *err);

/*
 * A terminal view: what a command prints for people to read, gathered by
 * cli_view_open() (the FILE to print to; NULL only when out of memory)
 * and written to `out` by cli_view_close() with control characters, DEL,
 * C1 controls and bidi controls made visible, and line breaks kept.
 */
struct cli_view {
	FILE *file;
	char *buf;
	size_t len;
};

FILE *cli_view_open(struct cli_view *v);
int cli_view_close(struct cli_view *v, FILE *out, struct parity_error *err);

/* Write `s` to a view as one line's worth of text: every control
 * character, a line break too, made visible. For names and values that
 * came from a file, the command line or the store. */
void cli_put_safe(FILE *out, const char *s);
/* table_write_text() (render.h) of `t` with each cell made safe as
 * cli_put_safe() makes it, so that the columns still line up. */
int cli_table_write_text(const struct tidy_table *t, FILE *out,
			 struct parity_error *err);
/* table_write() (render.h), with the table format written as a terminal
 * view by cli_table_write_text(): the one way commands write a tidy
 * table. */
int cli_table_write(const struct tidy_table *t, enum output_format format,
		    FILE *out, struct parity_error *err);

#endif
