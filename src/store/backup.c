/*
 * backup.c - backups of the SQLite store and restoring from them (see
 * backup.h): SQLite's online backup API in both directions, and the
 * checks a backup passes before it replaces anything.
 */
#include "store/backup.h"

#include "base/alloc.h"
#include "base/sha256.h"
#include "store/pseudonym.h"
#include "store/store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include "store/db_sqlite.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int sql_fail(sqlite3 *db, const char *path, const char *what,
		    struct parity_error *err)
{
	int code = db ? sqlite3_extended_errcode(db) & 0xFF : SQLITE_ERROR;

	if (code == SQLITE_FULL)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"%s: the disk is full", what);
	return parity_error_set(err, PARITY_ERR_IO, path, 0, 0, "%s: %s",
				what,
				db ? sqlite3_errmsg(db) : "out of memory");
}

/* The first column of the first row of `sql`, as a number (0 when there
 * is no row); -1 with `err` filled, prefixed by `what`, when it cannot be
 * read. */
static int query_long(sqlite3 *db, const char *path, const char *sql,
		      const char *what, long *out, struct parity_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return sql_fail(db, path, what, err);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? 0
		       : sql_fail(db, path, what, err);
}

/* PRAGMA integrity_check and foreign_key_check on `db` (the file `path`). */
static int check_sound(sqlite3 *db, const char *path,
		       struct parity_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st,
			       NULL) != SQLITE_OK)
		return sql_fail(db, path, "the backup is damaged", err);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		if (rc == SQLITE_ROW)
			parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					 "the backup is damaged: %s",
					 sqlite3_column_text(st, 0));
		else
			sql_fail(db, path, "the backup is damaged", err);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
			       NULL) != SQLITE_OK)
		return sql_fail(db, path, "the backup is damaged", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				 "the backup is damaged: row %lld of table "
				 "%s refers to a row of %s that is not there",
				 (long long)sqlite3_column_int64(st, 1),
				 sqlite3_column_text(st, 0),
				 sqlite3_column_text(st, 2));
	else if (rc != SQLITE_DONE)
		sql_fail(db, path, "the backup is damaged", err);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Copy every page of `from` into `to` (SQLite's backup API). */
static int copy_pages(sqlite3 *to, sqlite3 *from, const char *path,
		      const char *what, struct parity_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int step, finish;

	if (!b)
		return sql_fail(to, path, what, err);
	step = sqlite3_backup_step(b, -1);
	finish = sqlite3_backup_finish(b);
	if (step != SQLITE_DONE || finish != SQLITE_OK)
		return sql_fail(to, path, what, err);
	return 0;
}

/* Flush the file `path` to disk. */
static int sync_file(const char *path, struct parity_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot flush: %s", strerror(errno));
	rc = fsync(fd);
	close(fd);
	if (rc != 0)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot flush: %s", strerror(errno));
	return 0;
}

/* Give the finished file `part` its name `dest`, which must not exist
 * (link(), never rename(), so that nothing is replaced), and flush the
 * directory. */
static int link_into_place(const char *part, const char *dest,
			   const char *what, struct parity_error *err)
{
	if (link(part, dest) != 0)
		return parity_error_set(err, PARITY_ERR_IO, dest, 0, 0,
					"cannot put %s in place: %s", what,
					strerror(errno));
	store_sql_sync_directory(dest);
	return 0;
}

/*
 * Write `from` into a new file at `dest` by way of `<dest>.part`: created
 * with mode 0600, filled, left as one file (no write-ahead log), flushed,
 * then linked to `dest`, which must not exist. `check` also runs the
 * integrity checks on the copy before it is linked.
 */
static int copy_to_new_file(sqlite3 *from, const char *dest, bool check,
			    const char *what, struct parity_error *err)
{
	char *part = store_sql_path_with(dest, ".part");
	sqlite3 *to = NULL;
	int fd, rc = -1;

	fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		parity_error_set(err, PARITY_ERR_IO, part, 0, 0,
				 "cannot create %s: %s%s", what,
				 strerror(errno),
				 errno == EEXIST ? " (left by one that did not "
						   "finish? remove it)"
						 : "");
		free(part);
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(part, &to, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK ||
	    copy_pages(to, from, part, what, err) < 0)
		goto out;
	/* one self-contained file: no -wal or -shm beside it */
	if (sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL,
			 NULL) != SQLITE_OK) {
		sql_fail(to, part, what, err);
		goto out;
	}
	if (check && check_sound(to, part, err) < 0)
		goto out;
	if (sqlite3_close(to) != SQLITE_OK) {
		sql_fail(to, part, what, err);
		goto out;
	}
	to = NULL;
	if (sync_file(part, err) < 0)
		goto out;
	if (link_into_place(part, dest, what, err) < 0)
		goto out;
	rc = 0;
out:
	if (to)
		sqlite3_close(to);
	unlink(part);
	free(part);
	return rc;
}

/* The SHA-256 of the file `path`, as hex. */
static int digest_of(const char *path, char hex[FILE_DIGEST_HEX],
		     struct parity_error *err)
{
	struct file_digest d;
	unsigned char buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n;
	bool bad;

	if (!f)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot read: %s", strerror(errno));
	if (file_digest_init(&d, err) < 0) {
		fclose(f);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		file_digest_update(&d, buf, n);
	bad = ferror(f) != 0;
	fclose(f);
	if (bad) {
		file_digest_free(&d);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot read: %s", strerror(errno));
	}
	return file_digest_final(&d, hex, err);
}

/*
 * Beside the backup `dest`, `<dest>.sha256` as sha256sum writes it ("HEX
 * NAME", the backup's base name), so that `sha256sum -c` can check it as
 * well as `parity restore`: written under a temporary name, flushed, then
 * linked into place.
 */
static int write_checksum(const char *dest, struct parity_error *err)
{
	char hex[FILE_DIGEST_HEX];
	char *sum = store_sql_path_with(dest, ".sha256");
	char *part = store_sql_path_with(sum, ".part");
	char *copy = xstrdup(dest);
	FILE *f = NULL;
	int rc = -1;

	if (digest_of(dest, hex, err) < 0)
		goto out;
	f = fopen(part, "wx");
	if (!f || fprintf(f, "%s  %s\n", hex, basename(copy)) < 0 ||
	    fclose(f) != 0) {
		f = NULL;
		parity_error_set(err, PARITY_ERR_IO, part, 0, 0,
				 "cannot write the backup's checksum: %s",
				 strerror(errno));
		goto out;
	}
	f = NULL;
	if (sync_file(part, err) < 0)
		goto out;
	if (link_into_place(part, sum, "the backup's checksum", err) < 0)
		goto out;
	rc = 0;
out:
	if (f)
		fclose(f);
	unlink(part);
	free(part);
	free(sum);
	free(copy);
	return rc;
}

/* When `<backup>.sha256` is there: whether the backup's bytes are still
 * those it records. *checked says whether there was one. */
static int check_checksum(const char *backup, bool *checked,
			  struct parity_error *err)
{
	char want[FILE_DIGEST_HEX], have[FILE_DIGEST_HEX];
	char *sum = store_sql_path_with(backup, ".sha256");
	FILE *f = fopen(sum, "r");
	int rc = -1;

	*checked = false;
	if (!f && errno == ENOENT) {
		free(sum);
		return 0;
	}
	if (!f || fscanf(f, "%64[0-9a-f]", want) != 1 ||
	    strlen(want) != FILE_DIGEST_HEX - 1) {
		parity_error_set(err, PARITY_ERR_IO, sum, 0, 0,
				 "cannot read the backup's checksum: %s",
				 f ? "not a SHA-256 as sha256sum writes it"
				   : strerror(errno));
		goto out;
	}
	if (digest_of(backup, have, err) < 0)
		goto out;
	if (strcmp(want, have) != 0) {
		parity_error_set(err, PARITY_ERR_IO, backup, 0, 0,
				 "the backup's bytes are not those its "
				 "checksum (%s) records: it was changed or "
				 "damaged after it was made", sum);
		goto out;
	}
	*checked = true;
	rc = 0;
out:
	if (f)
		fclose(f);
	free(sum);
	return rc;
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

int store_backup(struct store *s, const char *dest,
		 struct store_backup_info *info, struct parity_error *err)
{
	char *sum = store_sql_path_with(dest, ".sha256");
	struct stat st;
	long n = 0;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	if (!db_sqlite_handle(store_db(s))) {
		parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				 "a store in PostgreSQL is backed up by "
				 "PostgreSQL, not by parity backup: pg_dump, "
				 "or continuous archiving to a standby "
				 "(docs/deployment.md)");
		goto out;
	}
	if (lstat(dest, &st) == 0 || lstat(sum, &st) == 0) {
		parity_error_set(err, PARITY_ERR_IO,
				 lstat(dest, &st) == 0 ? dest : sum, 0, 0,
				 "a file already exists here: parity backup "
				 "never overwrites one");
		goto out;
	}
	if (query_long(db_sqlite_handle(store_db(s)), dest,
		       "SELECT count(*) FROM submission",
		       "cannot read the store", &n, err) < 0 ||
	    copy_to_new_file(db_sqlite_handle(store_db(s)), dest, true,
			     "the backup", err) < 0)
		goto out;
	if (write_checksum(dest, err) < 0) {
		unlink(dest);
		goto out;
	}
	info->schema_version = store_schema_version(s);
	info->submissions = n;
	info->bytes = file_size(dest);
	rc = 0;
out:
	free(sum);
	return rc;
}

/* Whether the backup open in `db` holds the fingerprint of the key in
 * `key_path`. */
static int check_key(sqlite3 *db, const char *backup, const char *key_path,
		     int version, struct parity_error *err)
{
	unsigned char mine[PSEUDONYM_FINGERPRINT_BYTES];
	struct pseudonym_key key;
	sqlite3_stmt *st;
	bool held = false, same = false;

	if (version >= 5) {
		if (sqlite3_prepare_v2(db, "SELECT fingerprint FROM "
				       "key_fingerprint WHERE id = 1", -1, &st,
				       NULL) != SQLITE_OK)
			return sql_fail(db, backup, "the backup is damaged",
					err);
		if (sqlite3_step(st) == SQLITE_ROW) {
			held = true;
			if (pseudonym_key_load(key_path, &key, err) < 0) {
				sqlite3_finalize(st);
				return -1;
			}
			pseudonym_key_fingerprint(&key, mine);
			pseudonym_key_wipe(&key);
			same = sqlite3_column_bytes(st, 0) ==
				       (int)sizeof(mine) &&
			       sodium_memcmp(sqlite3_column_blob(st, 0), mine,
					     sizeof(mine)) == 0;
		}
		sqlite3_finalize(st);
	}
	if (!held)
		return parity_error_set(err, PARITY_ERR_STORE, backup, 0, 0,
					"the backup holds no fingerprint of "
					"its key, so it cannot be told whether "
					"%s is that key: not restored",
					key_path);
	if (!same)
		return parity_error_set(err, PARITY_ERR_STORE, key_path, 0, 0,
					"this key is not the one the backup's "
					"pseudonyms were made with (its "
					"fingerprint differs from the one '%s' "
					"holds): restored, the store would no "
					"longer link staff across years; put "
					"that store's own key here first",
					backup);
	return 0;
}

/* Open the backup `backup` read-only, as it is, and check it (backup.h);
 * *out is the connection, which the caller closes. */
static int open_checked(const char *backup, const char *key_path,
			sqlite3 **out, struct store_backup_info *info,
			struct parity_error *err)
{
	char *uri;
	sqlite3 *db = NULL;
	struct stat st;
	long version = 0, n = 0;

	*out = NULL;
	memset(info, 0, sizeof(*info));
	if (stat(backup, &st) != 0)
		return parity_error_set(err, PARITY_ERR_IO, backup, 0, 0,
					"cannot read the backup: %s",
					strerror(errno));
	if (!S_ISREG(st.st_mode))
		return parity_error_set(err, PARITY_ERR_IO, backup, 0, 0,
					"not a file: a backup is one file");
	if (check_checksum(backup, &info->checksum_checked, err) < 0)
		return -1;
	uri = store_sql_immutable_uri(backup);
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
			    NULL) != SQLITE_OK) {
		free(uri);
		sql_fail(db, backup, "cannot open the backup", err);
		sqlite3_close(db);
		return -1;
	}
	free(uri);
	if (query_long(db, backup, "PRAGMA user_version",
		       "not a parity backup", &version, err) < 0) {
		if ((sqlite3_extended_errcode(db) & 0xFF) == SQLITE_CORRUPT)
			sql_fail(db, backup, "the backup is damaged", err);
		goto fail;
	}
	if (version <= 0) {
		parity_error_set(err, PARITY_ERR_STORE, backup, 0, 0,
				 "not a parity backup: the database has no "
				 "schema version");
		goto fail;
	}
	if (version > STORE_SCHEMA_VERSION) {
		parity_error_set(err, PARITY_ERR_STORE, backup, 0, 0,
				 "made by a newer parity (schema version %ld; "
				 "this one knows up to %d): restore it with "
				 "that parity", version, STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (check_sound(db, backup, err) < 0 ||
	    check_key(db, backup, key_path, (int)version, err) < 0 ||
	    query_long(db, backup, "SELECT count(*) FROM submission",
		       "the backup is damaged", &n, err) < 0)
		goto fail;
	info->schema_version = (int)version;
	info->submissions = n;
	info->bytes = (long long)st.st_size;
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return -1;
}

int store_backup_check(const char *backup, const char *key_path,
		       struct store_backup_info *info,
		       struct parity_error *err)
{
	sqlite3 *db;

	if (open_checked(backup, key_path, &db, info, err) < 0)
		return -1;
	sqlite3_close(db);
	return 0;
}

int store_restore(const char *path, const char *backup, struct store **out,
		  struct store_backup_info *info, struct parity_error *err)
{
	char *key_path = store_sql_path_with(path, ".key");
	struct store *s = NULL;
	sqlite3 *from = NULL;
	struct stat st;
	int rc = -1;

	*out = NULL;
	if (store_is_postgres(path)) {
		parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				 "a store in PostgreSQL is restored by "
				 "PostgreSQL, not by parity restore: "
				 "pg_restore, or the server's point-in-time "
				 "recovery (docs/deployment.md)");
		goto out;
	}
	if (open_checked(backup, key_path, &from, info, err) < 0)
		goto out;
	if (lstat(path, &st) == 0) {
		/* the store as it is: opened as any writer opens it (its
		 * key checked), then replaced page by page in one
		 * transaction */
		if (store_open(&s, path, err) < 0 ||
		    copy_pages(db_sqlite_handle(store_db(s)), from, path,
			       "cannot restore the store", err) < 0)
			goto out;
		store_close(s);
		s = NULL;
	} else if (copy_to_new_file(from, path, false, "the store", err) < 0) {
		goto out;
	}
	/* as any writer opens it: a backup of an earlier schema migrated */
	if (store_open(out, path, err) < 0)
		goto out;
	rc = 0;
out:
	store_close(s);
	sqlite3_close(from);
	free(key_path);
	return rc;
}
