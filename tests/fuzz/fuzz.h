/*
 * fuzz.h - what the fuzz harnesses (tests/fuzz/fuzz_*.c) share.
 *
 * Each harness defines LLVMFuzzerTestOneInput(), the entry point that
 * libFuzzer calls with one input; the same object is linked either with
 * libFuzzer (-fsanitize=fuzzer, `make fuzz`) or with replay.c, a plain
 * main() that calls it once for every file of the corpus and the recorded
 * crashes (`make check`). A harness returns 0 whatever the input: an
 * error return from parity is a correct answer. It aborts (so that both
 * drivers report a finding) only when a documented promise is broken, and
 * frees everything it made, so that LeakSanitizer finds nothing.
 *
 * Parsers that take a path are given the input through a file in a
 * private temporary directory, made once per process and removed at exit.
 */
#ifndef PARITY_TESTS_FUZZ_H
#define PARITY_TESTS_FUZZ_H

#include "base/error.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The process's temporary directory (made on first use, removed at exit:
 * in /dev/shm when there is one, so that files and SQLite's fsyncs cost
 * little). */
const char *fuzz_tmpdir(void);
/* DIR/name in the temporary directory, in a static buffer. */
const char *fuzz_path(const char *name);
/* Write `size` bytes to DIR/name (replacing it); gives the path. */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);
/* Make DIR/name a directory (if it is not already); gives its path. */
const char *fuzz_mkdir(const char *name);
/* Copy one file to another (replacing it), keeping the mode. */
void fuzz_copy(const char *from, const char *to);

/*
 * A store for the importers (fuzz_store.c): made once per process in the
 * temporary directory and kept open. An import that fails leaves it as it
 * was (the store's promise S2); after one that committed, call
 * fuzz_store_reset() to put the empty store back, so that each input is
 * imported into the same empty store whatever came before it.
 */
struct store;
struct store *fuzz_store(void);
void fuzz_store_reset(void);
/* DIR/name made a copy of the store DIR/template_name (its bytes, and its
 * key file beside it), without the log a copy opened before left, and
 * opened: the caller closes it. */
struct store *fuzz_store_copy(const char *template_name, const char *name);

/* With PARITY_FUZZ_DEBUG set in the environment, print what a harness
 * saw (an answer, an error) to standard error; otherwise nothing. */
void fuzz_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A failure (rc < 0) must say why, and never be PARITY_ERR_INTERNAL ("a
 * broken invariant: a bug in parity", error.h): a broken promise if so. */
void fuzz_check_failure(const char *what, int rc,
			const struct parity_error *err);

/* Report a broken promise and abort: a finding for both drivers. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
