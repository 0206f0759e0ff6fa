/*
 * jsonpos.h - where each value of a JSON text is: the position index that
 * lets a JSON file parity reads (the Standard's frameworks, assessments
 * and reviews; practice records) report a problem of meaning at
 * FILE:LINE:COLUMN.
 *
 * Jansson gives a position for a syntax error only; it keeps none for the
 * values it parses. Once a text has parsed, jsonpos_build() scans it once
 * and records, for every value, its JSON Pointer (RFC 6901: "" for the
 * root, "/themes/0/criteria/2/levels") and the line and column (1-based,
 * in characters) where the value starts. A checker that finds a wrong
 * value by walking the parsed tree names it by the same pointer and asks
 * the index where it is; a missing member is located at the object that
 * should have held it (the longest prefix of the pointer that is there).
 *
 * Ownership: jsonpos_build() gives an index the caller frees with
 * jsonpos_free(). It keeps no pointer into the text.
 */
#ifndef PARITY_BASE_JSONPOS_H
#define PARITY_BASE_JSONPOS_H

#include "base/diag.h"

#include <stdarg.h>
#include <stddef.h>

struct jsonpos;

/* Index `text` (len bytes, already known to be valid JSON). Never fails:
 * on a text that is not JSON, the index is whatever could be read. */
struct jsonpos *jsonpos_build(const char *text, size_t len);
void jsonpos_free(struct jsonpos *p);

/* The line and column of the value at `pointer`, or of the nearest
 * enclosing value that is there; 1:1 when nothing is. `p` may be NULL
 * (then 0:0: not known). */
void jsonpos_find(const struct jsonpos *p, const char *pointer, long *line,
		  long *column);

/* Add to `problems` a problem of severity `sev` in file `where`, located
 * at the value `pointer` names (as jsonpos_find() finds it), its message
 * made from `fmt` and `ap`. The one way the JSON readers report. */
void jsonpos_vdiag(const struct jsonpos *p, const char *pointer,
		   struct diag_list *problems, enum diag_severity sev,
		   const char *where, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/* Append to the pointer in `buf` (of `size`) a member name (escaped as
 * RFC 6901 asks: '~' as ~0, '/' as ~1) or an index. Returns the length
 * the pointer had before, for jsonpos_pop(). */
size_t jsonpos_push_key(char *buf, size_t size, const char *key);
size_t jsonpos_push_index(char *buf, size_t size, size_t index);
/* Cut the pointer back to `len`. */
void jsonpos_pop(char *buf, size_t len);

#endif
