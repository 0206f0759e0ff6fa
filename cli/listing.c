/*
 * listing.c - how the commands that list records of the store rather than
 * figures (`parity aliases list`, `parity labels`) write them as CSV and
 * JSON: fields through the one CSV quoting (csv_write_field()), and JSON
 * built with Jansson, every call's result checked. Figures go through the
 * tidy table's renderers instead (table/render.h).
 */
#include "listing.h"

#include "cli.h"
#include "output.h"

#include "base/utf8.h"
#include "table/render.h"

void cli_csv_put(const char *s, bool first)
{
	if (!first)
		putchar(',');
	csv_write_field(stdout, s);
}

bool cli_json_set_text(json_t *o, const char *key, const char *text)
{
	json_t *v = json_string(text);

	return v && json_object_set_new(o, key, v) == 0;
}

bool cli_json_set_int(json_t *o, const char *key, long long n)
{
	json_t *v = json_integer(n);

	return v && json_object_set_new(o, key, v) == 0;
}

bool cli_json_set_text_or_null(json_t *o, const char *key, const char *text)
{
	if (!text || !text[0])
		return json_object_set_new(o, key, json_null()) == 0;
	return cli_json_set_text(o, key, text);
}

bool cli_json_set_int_or_null(json_t *o, const char *key, long long n)
{
	if (n == 0)
		return json_object_set_new(o, key, json_null()) == 0;
	return cli_json_set_int(o, key, n);
}

void cli_put_cell(FILE *out, const char *s, size_t width)
{
	size_t n = utf8_length(s);

	cli_put_safe(out, s);
	if (n < width)
		fprintf(out, "%*s", (int)(width - n), "");
}

int cli_json_put(json_t *doc, bool ok, const char *command)
{
	int status = CLI_OK;

	if (!doc || !ok || json_dumpf(doc, stdout, JSON_INDENT(2)) < 0) {
		cli_message("%s: the list cannot be written as JSON", command);
		status = CLI_FAILURE;
	} else {
		putchar('\n');
	}
	json_decref(doc);
	return status;
}
