/*
 * jsonpos.c - the position index of a JSON text (see jsonpos.h): one
 * recursive scan that records every value's JSON Pointer and where it
 * starts. Depth is bounded (JSONPOS_MAX_DEPTH) so that a hostile file
 * cannot exhaust the stack; values deeper than that are not indexed and
 * are located at their nearest indexed parent.
 */
#include "base/jsonpos.h"

#include "base/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONPOS_MAX_DEPTH 64
#define JSONPOS_POINTER_MAX 1024

struct jsonpos_entry {
	char *pointer;
	long line, column;
};

struct jsonpos {
	struct jsonpos_entry *e;
	size_t n, cap;
};

struct scan {
	const char *p, *end;
	long line, column;
	struct jsonpos *index;
	char pointer[JSONPOS_POINTER_MAX];
};

static void advance(struct scan *s)
{
	if (*s->p == '\n') {
		s->line++;
		s->column = 1;
	} else if (((unsigned char)*s->p & 0xC0) != 0x80) {
		s->column++;
	}
	s->p++;
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		advance(s);
}

static void record(struct scan *s)
{
	struct jsonpos *x = s->index;

	x->e = xgrow(x->e, &x->cap, x->n + 1, sizeof(*x->e));
	x->e[x->n].pointer = xstrdup(s->pointer);
	x->e[x->n].line = s->line;
	x->e[x->n].column = s->column;
	x->n++;
}

/* Read a string at its opening quote; its unescaped text (when `out`)
 * into `out`, cut at `size`. */
static void read_string(struct scan *s, char *out, size_t size)
{
	size_t k = 0;

	advance(s);
	while (s->p < s->end && *s->p != '"') {
		char c = *s->p;

		if (c == '\\' && s->p + 1 < s->end) {
			advance(s);
			c = *s->p;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': c = '?'; break; /* names are ASCII here */
			default: break;
			}
		}
		if (out && k + 1 < size)
			out[k++] = c;
		advance(s);
	}
	if (s->p < s->end)
		advance(s);
	if (out && size)
		out[k] = '\0';
}

static void scan_value(struct scan *s, int depth);

static void scan_container(struct scan *s, int depth, char close)
{
	char key[256];
	size_t index = 0, before;

	advance(s);
	skip_ws(s);
	while (s->p < s->end && *s->p != close) {
		if (close == '}') {
			if (*s->p != '"')
				return;
			read_string(s, key, sizeof(key));
			skip_ws(s);
			if (s->p < s->end && *s->p == ':')
				advance(s);
			skip_ws(s);
			before = jsonpos_push_key(s->pointer,
						  sizeof(s->pointer), key);
		} else {
			before = jsonpos_push_index(s->pointer,
						    sizeof(s->pointer),
						    index++);
		}
		scan_value(s, depth + 1);
		jsonpos_pop(s->pointer, before);
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			advance(s);
			skip_ws(s);
		} else if (s->p < s->end && *s->p != close) {
			return;
		}
	}
	if (s->p < s->end)
		advance(s);
}

static void scan_value(struct scan *s, int depth)
{
	skip_ws(s);
	if (s->p >= s->end)
		return;
	if (depth <= JSONPOS_MAX_DEPTH)
		record(s);
	if (*s->p == '"') {
		read_string(s, NULL, 0);
	} else if (*s->p == '{' || *s->p == '[') {
		if (depth > JSONPOS_MAX_DEPTH) {
			int level = 0;

			/* skip it whole, strings included */
			while (s->p < s->end) {
				if (*s->p == '"') {
					read_string(s, NULL, 0);
					continue;
				}
				if (*s->p == '{' || *s->p == '[')
					level++;
				else if ((*s->p == '}' || *s->p == ']') &&
					 --level == 0) {
					advance(s);
					return;
				}
				advance(s);
			}
			return;
		}
		scan_container(s, depth, *s->p == '{' ? '}' : ']');
	} else {
		while (s->p < s->end && *s->p != ',' && *s->p != '}' &&
		       *s->p != ']' && *s->p != ' ' && *s->p != '\t' &&
		       *s->p != '\n' && *s->p != '\r')
			advance(s);
	}
}

struct jsonpos *jsonpos_build(const char *text, size_t len)
{
	struct scan *s = xcalloc(1, sizeof(*s));
	struct jsonpos *index = xcalloc(1, sizeof(*index));

	s->p = text;
	s->end = text + len;
	s->line = 1;
	s->column = 1;
	s->index = index;
	/* a byte order mark is not a character of the text */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		s->p += 3;
	scan_value(s, 0);
	free(s);
	return index;
}

void jsonpos_free(struct jsonpos *p)
{
	size_t k;

	if (!p)
		return;
	for (k = 0; k < p->n; k++)
		free(p->e[k].pointer);
	free(p->e);
	free(p);
}

void jsonpos_vdiag(const struct jsonpos *p, const char *pointer,
		   struct diag_list *problems, enum diag_severity sev,
		   const char *where, const char *fmt, va_list ap)
{
	char message[1024];
	long line, column;

	vsnprintf(message, sizeof(message), fmt, ap);
	jsonpos_find(p, pointer, &line, &column);
	diag_add(problems, sev, where, line, column, "%s", message);
}

void jsonpos_find(const struct jsonpos *p, const char *pointer, long *line,
		  long *column)
{
	char want[JSONPOS_POINTER_MAX];
	char *slash;
	size_t k;

	*line = 0;
	*column = 0;
	if (!p)
		return;
	snprintf(want, sizeof(want), "%s", pointer);
	for (;;) {
		for (k = 0; k < p->n; k++)
			if (strcmp(p->e[k].pointer, want) == 0) {
				*line = p->e[k].line;
				*column = p->e[k].column;
				return;
			}
		slash = strrchr(want, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	*line = 1;
	*column = 1;
}

size_t jsonpos_push_key(char *buf, size_t size, const char *key)
{
	size_t before = strlen(buf), n = before;

	if (n + 1 < size)
		buf[n++] = '/';
	for (; *key && n + 2 < size; key++) {
		if (*key == '~' || *key == '/') {
			buf[n++] = '~';
			buf[n++] = *key == '~' ? '0' : '1';
		} else {
			buf[n++] = *key;
		}
	}
	buf[n < size ? n : size - 1] = '\0';
	return before;
}

size_t jsonpos_push_index(char *buf, size_t size, size_t index)
{
	size_t before = strlen(buf);

	if (before < size)
		snprintf(buf + before, size - before, "/%zu", index);
	return before;
}

void jsonpos_pop(char *buf, size_t len)
{
	buf[len] = '\0';
}
