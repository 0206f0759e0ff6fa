/*
 * listing.h - CSV and JSON for the commands that list records of the store
 * (aliases, labels, accounts, tokens, the audit log) rather than figures;
 * see listing.c.
 */
#ifndef PARITY_CLI_LISTING_H
#define PARITY_CLI_LISTING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write one CSV field to stdout, after a comma unless it is the first. */
void cli_csv_put(const char *s, bool first);
/* Set `key` of `o` to a string or an integer: false when Jansson refuses
 * it (text that is not UTF-8, memory). */
bool cli_json_set_text(json_t *o, const char *key, const char *text);
bool cli_json_set_int(json_t *o, const char *key, long long n);
/* The same, with null for "" (text) or 0 (a number that means none). */
bool cli_json_set_text_or_null(json_t *o, const char *key, const char *text);
bool cli_json_set_int_or_null(json_t *o, const char *key, long long n);
/* Write `s` to a terminal view as cli_put_safe() does, then spaces to
 * `width` characters. */
void cli_put_cell(FILE *out, const char *s, size_t width);
/* Write `doc` (consumed) to stdout as indented JSON; when it could not be
 * built (`doc` NULL or `ok` false) or written, say so for `command` and
 * return CLI_FAILURE. */
int cli_json_put(json_t *doc, bool ok, const char *command);

#endif
