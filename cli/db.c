/*
 * db.c - what the commands that use the store share: finding it, opening
 * it (for writing, or for reading only), and printing the problems
 * found in a file.
 */
#include "cli.h"

#include "base/diag.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *cli_db_path(const char *option)
{
	const char *env = getenv("PARITY_DB");

	if (option)
		return option;
	if (env && env[0])
		return env;
	return "parity.db";
}

bool cli_db_exists(const char *option)
{
	const char *where = cli_db_path(option);

	return store_is_postgres(where) || access(where, F_OK) == 0;
}

const char *cli_db_key(const char *where)
{
	return store_is_postgres(where) ? getenv("PARITY_KEY") : NULL;
}

int cli_store_open(struct store **out, const char *option)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *path = cli_db_path(option);

	if (store_open_keyed(out, path, cli_db_key(path), &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	if (store_notice(*out))
		cli_message("%s: note: %s", path, store_notice(*out));
	return CLI_OK;
}

int cli_store_open_readonly(struct store **out, const char *option)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *path = cli_db_path(option);

	if (store_open_readonly_keyed(out, path, cli_db_key(path), &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	return CLI_OK;
}

void cli_print_diags(const struct diag_list *d, size_t max_errors,
		     size_t max_warnings)
{
	size_t k, errors = 0, warnings = 0;
	char line[2048];

	for (k = 0; k < d->count; k++) {
		const struct diag *e = &d->items[k];

		if (e->severity == DIAG_ERROR && errors++ >= max_errors)
			continue;
		if (e->severity == DIAG_WARNING && warnings++ >= max_warnings)
			continue;
		diag_format(e, line, sizeof(line));
		fprintf(stderr, "parity: %s\n", line);
	}
	if (d->errors > max_errors)
		fprintf(stderr, "parity: ... and %zu more error%s\n",
			d->errors - max_errors,
			d->errors - max_errors == 1 ? "" : "s");
	if (d->warnings > max_warnings)
		fprintf(stderr, "parity: ... and %zu more warning%s\n",
			d->warnings - max_warnings,
			d->warnings - max_warnings == 1 ? "" : "s");
}
