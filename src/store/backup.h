/*
 * backup.h - a store copied whole while it is in use, and put back from
 * such a copy only after the copy is proved sound.
 *
 * A backup is one SQLite file holding everything the store holds, made
 * with SQLite's online backup API: a consistent snapshot, even while the
 * hub writes. It never holds the key (`<db>.key`), which is kept apart:
 * the two together are the staff's pseudonyms, and either alone is not.
 * It does hold the key's fingerprint, so a restore can tell whether the
 * key beside the store is the one the backup's pseudonyms were made with.
 *
 * Ownership: the caller owns the open store it passes, and `info`.
 */
#ifndef PARITY_STORE_BACKUP_H
#define PARITY_STORE_BACKUP_H

#include "base/error.h"
#include "store/store.h"

#include <stdbool.h>

/* What a backup holds, as read from it. */
struct store_backup_info {
	int schema_version;
	long long bytes;      /* the backup file's size */
	long submissions;     /* submissions in it, superseded ones too */
	bool checksum_checked; /* its bytes matched <backup>.sha256 */
};

/*
 * Copy the open store `s` into a new file `dest`, mode 0600: written under
 * a temporary name beside it, checked (PRAGMA integrity_check), flushed to
 * disk, then linked into place, so that `dest` is only ever a whole
 * backup; then `<dest>.sha256`, its SHA-256 as sha256sum writes it.
 * Refuses when either exists. The key is not copied.
 */
int store_backup(struct store *s, const char *dest,
		 struct store_backup_info *info, struct parity_error *err);

/*
 * Check the backup `backup` and read what it holds, changing nothing:
 * its bytes must match `<backup>.sha256` when that is there (a backup
 * copied without it is checked by the rest alone), it must pass PRAGMA
 * integrity_check and foreign_key_check, be a parity
 * store of a schema version this parity knows, and hold the fingerprint
 * of the key in `key_path`. Each refusal names the file and the problem.
 */
int store_backup_check(const char *backup, const char *key_path,
		       struct store_backup_info *info,
		       struct parity_error *err);

/*
 * Put the backup `backup` in place of the store at `path`, after
 * store_backup_check() against `path`'s key (`<path>.key`, which must be
 * there). An existing store is opened as store_open() does and its
 * contents replaced in one transaction, so that a reader sees the old
 * store or the restored one, never a mixture; where there is none, the
 * backup is copied in under a temporary name and renamed. Either way the
 * result is then opened as store_open() does, which brings a backup made
 * by an earlier parity up to this one's schema, into *out (the caller
 * closes it with store_close()).
 */
int store_restore(const char *path, const char *backup, struct store **out,
		  struct store_backup_info *info, struct parity_error *err);

#endif
