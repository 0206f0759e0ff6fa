/*
 * diag.c - the list of located problems (see diag.h), and the one line
 * each is shown as, with every character that could act on a terminal
 * made visible (base/textsafe.h).
 */
#include "base/diag.h"

#include "base/alloc.h"
#include "base/strbuf.h"
#include "base/textsafe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_list_release(struct diag_list *d)
{
	size_t k;

	for (k = 0; k < d->count; k++) {
		free(d->items[k].file);
		free(d->items[k].message);
	}
	free(d->items);
	diag_list_init(d);
}

static void add(struct diag_list *d, enum diag_severity severity,
		const char *file, long line, long column, char *message)
{
	struct diag *e;

	if (severity == DIAG_ERROR) {
		d->errors++;
		if (d->kept_errors >= DIAG_KEEP) {
			free(message);
			return;
		}
		d->kept_errors++;
	} else {
		d->warnings++;
		if (d->kept_warnings >= DIAG_KEEP) {
			free(message);
			return;
		}
		d->kept_warnings++;
	}
	d->items = xgrow(d->items, &d->cap, d->count + 1, sizeof(*d->items));
	e = &d->items[d->count++];
	e->severity = severity;
	e->file = xstrdup(file ? file : "");
	e->line = line;
	e->column = column;
	e->message = message;
}

void diag_add(struct diag_list *d, enum diag_severity severity,
	      const char *file, long line, long column, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char first[256];
	int n;

	/* Most messages fit in `first`; the strbuf takes the rest. */
	va_start(ap, fmt);
	n = vsnprintf(first, sizeof(first), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(first)) {
		add(d, severity, file, line, column, xstrdup(first));
		return;
	}
	strbuf_grow(&sb, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb.len = (size_t)n;
	add(d, severity, file, line, column, strbuf_detach(&sb, NULL));
}

void diag_add_error(struct diag_list *d, const struct parity_error *err)
{
	add(d, DIAG_ERROR, err->file, err->line, err->column,
	    xstrdup(err->message));
}

static int compare_position(const struct diag *a, const struct diag *b)
{
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return 0;
}

void diag_list_sort(struct diag_list *d)
{
	size_t i, j;

	/* Insertion sort: stable, and the list is nearly sorted already
	 * (only the end-of-file findings are out of place). */
	for (i = 1; i < d->count; i++) {
		struct diag tmp = d->items[i];

		j = i;
		while (j > 0 && compare_position(&d->items[j - 1], &tmp) > 0) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = tmp;
	}
}

void diag_format(const struct diag *e, char *buf, size_t size)
{
	const char *kind = e->severity == DIAG_WARNING ? "warning: " : "";
	struct strbuf line = STRBUF_INIT;

	if (e->file[0] && e->line > 0 && e->column > 0)
		strbuf_addf(&line, "%s:%ld:%ld: %s%s", e->file, e->line,
			    e->column, kind, e->message);
	else if (e->file[0] && e->line > 0)
		strbuf_addf(&line, "%s:%ld: %s%s", e->file, e->line, kind,
			    e->message);
	else if (e->file[0])
		strbuf_addf(&line, "%s: %s%s", e->file, kind, e->message);
	else
		strbuf_addf(&line, "%s%s", kind, e->message);
	/* a file name or a value quoted in a message may hold anything */
	textsafe_terminal_copy(buf, size, line.buf);
	strbuf_release(&line);
}
