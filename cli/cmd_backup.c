/*
 * cmd_backup.c - `parity backup` and `parity restore`: a consistent copy
 * of the store made while it is in use, and the store put back from one
 * after the copy is checked (store/backup.h). Both are written to the
 * hub's audit log: a backup holds every council's staff records.
 */
#include "cli.h"

#include "hub/accounts.h"
#include "store/backup.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static const char backup_usage[] =
	"usage: parity backup [--db PATH] FILE\n"
	"\n"
	"Copies the store into FILE, a new file readable by you only, while\n"
	"it is in use: the copy is one consistent moment of it, even while\n"
	"the hub takes uploads. The copy is checked (SQLite's integrity\n"
	"check) before it is put in place, and FILE never holds half a\n"
	"backup. Beside it, FILE.sha256 records its SHA-256 (as sha256sum\n"
	"writes it: `sha256sum -c FILE.sha256` checks it). Refuses when\n"
	"either exists.\n"
	"\n"
	"The key (PATH.key) is not in the backup: keep it apart from the\n"
	"backups. The backup records the key's fingerprint, so that\n"
	"`parity restore` refuses any other key. Each backup is written to\n"
	"the audit log.\n"
	"\n"
	"options:\n"
	"  --db PATH   the store (default: $PARITY_DB, else parity.db)\n";

static const char restore_usage[] =
	"usage: parity restore [--db PATH] FILE\n"
	"\n"
	"Puts the backup FILE (made by `parity backup`) in place of the store\n"
	"at PATH, after checking that FILE is whole (its bytes against\n"
	"FILE.sha256 when that is beside it, and SQLite's integrity and\n"
	"foreign key checks), that it is a store of a schema this parity\n"
	"knows, and that PATH.key is the key its pseudonyms were made with.\n"
	"If any check fails, nothing is changed. An existing store is\n"
	"replaced in one transaction; where there is none, PATH is created.\n"
	"A backup made by an earlier parity is brought up to this one's\n"
	"schema. The restore is written to the restored store's audit log.\n"
	"\n"
	"Put the store's key at PATH.key first: backups do not hold it.\n"
	"\n"
	"options:\n"
	"  --db PATH   the store (default: $PARITY_DB, else parity.db)\n";

/* FILE, the one argument after the options; NULL after printing the
 * usage error. */
static const char *file_argument(int argc, char **argv, const char *usage,
				 struct cli_env *env, int *status)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd': env->db = optarg; break;
		case 'h':
			fputs(usage, stdout);
			*status = CLI_OK;
			return NULL;
		default:
			fputs(usage, stderr);
			*status = CLI_USAGE;
			return NULL;
		}
	}
	if (optind != argc - 1) {
		*status = cli_usage_error("%s: give one FILE (see --help)",
					  env->command);
		return NULL;
	}
	return argv[optind];
}

/* What a backup holds: "schema version 14, 42 submissions". */
static void describe(const struct store_backup_info *info, char *out,
		     size_t size)
{
	snprintf(out, size, "schema version %d, %ld submission%s",
		 info->schema_version, info->submissions,
		 info->submissions == 1 ? "" : "s");
}

/* Write an entry for the command line's user to the store's audit log. */
static int audit(struct store *s, const char *action, const char *detail,
		 struct parity_error *err)
{
	struct hub_principal who;

	hub_principal_cli(&who, cli_user_name());
	return hub_audit(s, &who, action, NULL, 0, 0, "ok", detail,
			 (long)time(NULL), err);
}

int cmd_backup(int argc, char **argv, struct cli_env *env)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_backup_info info;
	const char *file;
	char detail[1200], holds[128];
	int status = CLI_OK;

	file = file_argument(argc, argv, backup_usage, env, &status);
	if (!file)
		return status;
	/* opened for writing: the backup is audited */
	status = cli_env_open(env, env->needs);
	if (status != CLI_OK)
		return status;
	if (store_backup(env->store, file, &info, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	describe(&info, holds, sizeof(holds));
	snprintf(detail, sizeof(detail), "to %s (%s, %lld bytes)", file,
		 holds, info.bytes);
	if (audit(env->store, "store.backup", detail, &err) < 0) {
		/* nothing copied out of the store goes unrecorded */
		snprintf(detail, sizeof(detail), "%s.sha256", file);
		unlink(file);
		unlink(detail);
		cli_report(&err);
		return cli_exit_for(&err);
	}
	printf("backed up %s to %s (%s, %.1f MB) and its checksum to "
	       "%s.sha256\n", cli_db_path(env->db), file, holds,
	       (double)info.bytes / (1024.0 * 1024.0), file);
	printf("the key %s.key is not in the backup: keep it apart from the "
	       "backups\n", cli_db_path(env->db));
	return CLI_OK;
}

int cmd_restore(int argc, char **argv, struct cli_env *env)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_backup_info info;
	struct store *s = NULL;
	const char *file, *path;
	char detail[1200], holds[128];
	int status = CLI_OK;

	file = file_argument(argc, argv, restore_usage, env, &status);
	if (!file)
		return status;
	path = cli_db_path(env->db);
	if (store_restore(path, file, &s, &info, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	describe(&info, holds, sizeof(holds));
	snprintf(detail, sizeof(detail), "from %s (%s%s)", file, holds,
		 info.checksum_checked ? ", checksum matched" : "");
	if (audit(s, "store.restore", detail, &err) < 0) {
		store_close(s);
		fprintf(stderr, "parity: restore: the store was restored, but "
				"the restore could not be written to its "
				"audit log\n");
		cli_report(&err);
		return cli_exit_for(&err);
	}
	store_close(s);
	printf("restored %s from %s (%s)\n", path, file, holds);
	printf(info.checksum_checked
		       ? "the backup matched its checksum (%s.sha256) and "
			 "passed SQLite's integrity checks\n"
		       : "the backup passed SQLite's integrity checks; no "
			 "checksum (%s.sha256) was beside it\n",
	       file);
	return CLI_OK;
}
