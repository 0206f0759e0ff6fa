/*
 * alloc.h - the one allocation wrapper.
 *
 * Every allocation in parity goes through these functions. They never return
 * NULL: on out-of-memory they print one line to stderr and abort(), which is
 * the only abort() in parity. Whoever calls them owns the memory and frees it
 * with free().
 */
#ifndef PARITY_BASE_ALLOC_H
#define PARITY_BASE_ALLOC_H

#include <stddef.h>

/* Never NULL: told to the compiler and the static analysers too. */
#define ALLOC_NONNULL __attribute__((returns_nonnull))

void *xmalloc(size_t size) ALLOC_NONNULL;
void *xcalloc(size_t count, size_t size) ALLOC_NONNULL;
void *xrealloc(void *ptr, size_t size) ALLOC_NONNULL;
/* Grow an array of `*cap` elements of `size` bytes to hold at least `need`. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size) ALLOC_NONNULL;
char *xstrdup(const char *s) ALLOC_NONNULL;
char *xstrndup(const char *s, size_t len) ALLOC_NONNULL;

#endif
