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

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array of `*cap` elements of `size` bytes to hold at least `need`. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

#endif
