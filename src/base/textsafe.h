/*
 * textsafe.h - text from councils' files, the command line and the store,
 * made safe for where it is shown: a terminal, or a spreadsheet opening a
 * CSV file.
 *
 * A file name, a submitter's name (--by), a label or a service's title is
 * whatever someone typed. On a terminal an ESC sequence in it can set the
 * window title or clear the screen, a C1 control (U+009B is CSI) does the
 * same on some terminals, and a bidi override (U+202E) makes text read in
 * another order than it is stored. In a spreadsheet a CSV cell beginning
 * with '=' is a formula (=HYPERLINK(...) sends data away).
 *
 * - textsafe_terminal_append() makes every such character visible as an
 *   escape: control characters (below 0x20) and DEL as "\x1b", C1 controls
 *   and bidi and line-breaking format characters as "\u202e", and a byte
 *   that is not part of well-formed UTF-8 as "\xff". Everything else,
 *   ordinary UTF-8 ("é", "£") included, is left as it is. Every string
 *   that reaches a terminal passes through it: the CLI's diagnostics
 *   (diag_format(), cli_report()) and its terminal views.
 * - textsafe_csv_append() writes a CSV field: quoted when it holds a comma,
 *   quote or line break, and with a single quote (') before text a
 *   spreadsheet would read as a formula (textsafe_csv_is_formula(), as
 *   OWASP advises), and before text that itself begins with a single
 *   quote, which a spreadsheet would otherwise hide. So one leading quote
 *   is always the guard, and dropping it (textsafe_csv_unguard()) gives
 *   back the text exactly. Every CSV field parity writes passes through
 *   it.
 *
 * Nothing here allocates except through the strbuf it appends to.
 */
#ifndef PARITY_BASE_TEXTSAFE_H
#define PARITY_BASE_TEXTSAFE_H

#include "base/strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Append the `len` bytes at `s` to `out`, each control character, DEL, C1
 * control, bidi control (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066
 * to U+2069), line or paragraph separator (U+2028, U+2029) and byte of
 * malformed UTF-8 written as a visible escape. With `keep_newlines`, '\n'
 * is kept as a line break (for a view of many lines); otherwise it is
 * shown as "\x0a" (for a one-line message).
 */
void textsafe_terminal_append(struct strbuf *out, const char *s, size_t len,
			      bool keep_newlines);
/*
 * textsafe_terminal_append() of the string `s` (one line) into `buf` of
 * `size` bytes, cut short at a character boundary when it does not fit.
 * Returns `buf`.
 */
char *textsafe_terminal_copy(char *buf, size_t size, const char *s);
/* Whether textsafe_terminal_append() would change `s`. */
bool textsafe_terminal_is_plain(const char *s);

/*
 * A value quoted in a message, into `out` of `size` bytes: at most
 * `max_chars` characters, cut at a character boundary and followed by
 * "..." when longer, with each control character (below 0x20) as '?'.
 * (What reaches a terminal is made safe again by the terminal functions
 * above; this keeps a message to one line of readable length.)
 */
void textsafe_quote(const char *s, size_t max_chars, char *out, size_t size);

/*
 * Whether a spreadsheet would read the text cell `s` as a formula: it
 * begins with '=', '+', '-', '@', a tab or a carriage return and is not a
 * number ("-3.5", "+2", "-1e-05" are numbers and left alone).
 */
bool textsafe_csv_is_formula(const char *s);
/* Whether a text field is written with a guarding quote: it is a
 * formula, or itself begins with a single quote. */
bool textsafe_csv_needs_guard(const char *s);
/* The text of a field read back from a CSV parity wrote: `field` without
 * its guarding quote, if it has one (a pointer into `field`). */
const char *textsafe_csv_unguard(const char *field);
/* Append `s` to `out` as one CSV field (see above). */
void textsafe_csv_append(struct strbuf *out, const char *s);

#endif
