/*
 * strbuf.h - a growable, always NUL-terminated string.
 *
 * Invariants: `buf` is never NULL (STRBUF_INIT points it at a shared empty
 * string until the first append) and `buf[len]` is always '\0'. The strbuf
 * owns `buf`; strbuf_release() frees it and strbuf_detach() hands it to the
 * caller, who then frees it with free().
 */
#ifndef PARITY_BASE_STRBUF_H
#define PARITY_BASE_STRBUF_H

#include <stddef.h>

extern char strbuf_empty[];

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Empty the string, keeping its storage. */
void strbuf_reset(struct strbuf *sb);
/* Free the storage and return to STRBUF_INIT. */
void strbuf_release(struct strbuf *sb);
/* Hand the storage to the caller (who frees it) and return to STRBUF_INIT. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
