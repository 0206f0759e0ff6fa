/*
 * cmd_init.c - `parity init`: create a new, empty store and its key.
 */
#include "cli.h"

#include "store/store.h"

#include <getopt.h>
#include <stdio.h>

static const char usage_text[] =
	"usage: parity init [--db PATH]\n"
	"\n"
	"Creates an empty store: an SQLite database at PATH (default: the\n"
	"PARITY_DB environment variable, else parity.db) and, beside it,\n"
	"PATH.key, the secret key that staff and applicant ids are\n"
	"pseudonymised with. Both are readable by you only. Refuses to touch\n"
	"an existing file.\n"
	"\n"
	"Back the key up apart from the database: without it, later returns\n"
	"cannot be linked to earlier ones, and parity will not open the store.\n";

int cmd_init(int argc, char **argv)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	const char *db = NULL, *path;
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("init: unexpected argument '%s'",
				       argv[optind]);
	path = cli_db_path(db);
	if (store_create(path, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("created the store %s (schema version %d)\n", path,
	       STORE_SCHEMA_VERSION);
	printf("its key is %s.key: back it up apart from the database\n", path);
	return CLI_OK;
}
