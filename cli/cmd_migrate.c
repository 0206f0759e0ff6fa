/*
 * cmd_migrate.c - `parity migrate --from FILE --to postgresql://...`: a
 * hub's SQLite store copied into a new store in an empty PostgreSQL
 * database, checked there before it is committed (store/migrate.h).
 */
#include "cli.h"

#include "store/migrate.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: parity migrate --from FILE --to postgresql://...\n"
	"\n"
	"Copies the SQLite store FILE into a new store in the PostgreSQL\n"
	"database that the URI names, for a hub that several processes share.\n"
	"The database must be empty (no tables): the store's schema is made in\n"
	"it, then every table's rows are copied, ids and all, in one\n"
	"transaction. Before that transaction commits, each table's row count\n"
	"and a checksum of its rows are compared with FILE's; if anything\n"
	"differs or fails, nothing is committed and the database is left\n"
	"empty. FILE is only read; it must be at this parity's schema\n"
	"(`parity init --upgrade --db FILE` first if it is older).\n"
	"\n"
	"Stop the hub before migrating: what it writes to FILE afterwards is\n"
	"not copied.\n"
	"\n"
	"The store in PostgreSQL keeps FILE's key (FILE.key): its key file is\n"
	"the one the PARITY_KEY environment variable names, which must hold\n"
	"the same key (a copy of FILE.key, readable by you only), or FILE.key\n"
	"itself when PARITY_KEY is not set. Every later command on the store\n"
	"in PostgreSQL needs PARITY_KEY naming that file.\n"
	"\n"
	"options:\n"
	"  --from FILE   the SQLite store to copy (its key: FILE.key)\n"
	"  --to URI      the empty PostgreSQL database (postgresql://... or\n"
	"                postgres://...); its password is never printed\n";

int cmd_migrate(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_migrate_report report = STORE_MIGRATE_REPORT_INIT;
	const char *from = NULL, *to = NULL, *key;
	size_t k;
	int c;

	(void)env;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("migrate: unexpected argument '%s' (see "
				       "--help)", argv[optind]);
	if (!from || !from[0])
		return cli_usage_error("migrate: give the SQLite store to copy "
				       "(--from FILE)");
	if (!to || !to[0])
		return cli_usage_error("migrate: give the PostgreSQL database "
				       "to copy it into (--to postgresql://...)");
	if (store_is_postgres(from))
		return cli_usage_error("migrate: --from is a PostgreSQL URI: "
				       "a migration copies an SQLite store's "
				       "file into PostgreSQL");
	/* not echoed: it may be a URI holding a password */
	if (!store_is_postgres(to))
		return cli_usage_error("migrate: --to must be a PostgreSQL "
				       "connection URI (postgresql://... or "
				       "postgres://...)");
	if (access(from, F_OK) != 0)
		return cli_usage_error("migrate: no store at '%s'", from);
	key = getenv("PARITY_KEY");
	if (key && !key[0])
		key = NULL;
	if (store_migrate(from, to, key, &report, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("migrated %s to %s: %zu tables, %ld rows, in %.1f s\n", from,
	       report.target, report.count, report.rows, report.seconds);
	for (k = 0; k < report.count; k++)
		printf("  %-28s %10ld\n", report.tables[k].name,
		       report.tables[k].rows);
	printf("verified: counts and checksums match\n");
	if (key)
		printf("the store in PostgreSQL keeps the key in %s "
		       "(PARITY_KEY): name it in PARITY_KEY for every command "
		       "on the store\n", key);
	else
		printf("the store in PostgreSQL keeps the key in %s.key: "
		       "name that file (or a copy of it) in PARITY_KEY for "
		       "every command on the store\n", from);
	store_migrate_report_free(&report);
	return CLI_OK;
}
