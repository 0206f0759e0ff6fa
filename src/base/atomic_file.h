/*
 * atomic_file.h - replacing a file that someone keeps whole, or not at all.
 *
 * A file is written beside its target under a temporary name; then
 * atomic_file_commit() flushes it to disk, renames it over the target and
 * (when asked) flushes the directory, so that the new name survives a
 * power cut too. A reader sees the old file or the new one, never half of
 * one, and a write that fails leaves the old file as it was. Every file
 * parity writes for someone to keep goes through it: the CLI's output
 * files (cli/output.c) and each file of the published site (site/site.c).
 *
 * Nothing here allocates; errors come back as errno values for the caller
 * to word, since each names its own file.
 */
#ifndef PARITY_BASE_ATOMIC_FILE_H
#define PARITY_BASE_ATOMIC_FILE_H

#include <stdbool.h>

/*
 * Flush the written file `temp` (a regular file, not followed through a
 * link) to disk and rename it to `target`; with `sync_dir`, flush the
 * directory holding `target` as well. Returns 0, or the errno of the step
 * that failed, with `temp` removed and `target` untouched.
 */
int atomic_file_commit(const char *temp, const char *target, bool sync_dir);

/* Flush the directory that holds `path` (best effort: a directory that
 * cannot be opened or flushed is left as it is). */
void atomic_file_sync_dir(const char *path);

#endif
