/*
 * pseudonym.h - replacing staff and applicant ids by keyed hashes.
 *
 * The store never holds an id from a return. Each id becomes a 16-byte
 * BLAKE2b keyed hash (libsodium's crypto_generichash) of the id together
 * with the kind of record and the employer's area code, under a 32-byte
 * secret key kept in its own file beside the database (`<db>.key`, mode
 * 0600, made by `parity init`). So:
 *   - the same person in the same council's returns gets the same pseudonym
 *     every year, and records can be linked across years;
 *   - the same id at two councils, or a staff id equal to an applicant id,
 *     gives different pseudonyms;
 *   - without the key, the database alone cannot be turned back into ids,
 *     even by trying every possible id.
 *
 * Losing the key breaks linking with earlier years; leaking it lets anyone
 * holding both the key and the database test guesses of ids. Keep it apart
 * from backups of the database: `<db>.key` may be a symbolic link to where
 * the key is kept.
 *
 * The store keeps the key's fingerprint (pseudonym_key_fingerprint()), not
 * the key, so that it can refuse another store's key: pseudonyms made with
 * it would silently stop matching earlier years.
 */
#ifndef PARITY_STORE_PSEUDONYM_H
#define PARITY_STORE_PSEUDONYM_H

#include "base/error.h"

#include <stddef.h>

#define PSEUDONYM_KEY_BYTES 32
#define PSEUDONYM_BYTES 16
#define PSEUDONYM_FINGERPRINT_BYTES 32
/* The longest id accepted, in bytes. */
#define PSEUDONYM_ID_MAX 64

struct pseudonym_key {
	unsigned char bytes[PSEUDONYM_KEY_BYTES];
};

/*
 * Make a new random key in `path`, which must not exist: created with mode
 * 0600, written and flushed to disk.
 */
int pseudonym_key_create(const char *path, struct parity_error *err);

/*
 * Read the key in `path`, following symbolic links to the file itself.
 * Refuses a key file that is missing, is not a regular file, belongs to
 * another user than the one running parity, can be read or written by
 * anyone but its owner (group or other permission bits set), or has the
 * wrong size. Each message names the file and says what to do.
 */
int pseudonym_key_load(const char *path, struct pseudonym_key *key,
		       struct parity_error *err);

/*
 * The key's fingerprint: a BLAKE2b hash, keyed with the key, of a fixed
 * text. It tells keys apart without revealing anything about them.
 */
void pseudonym_key_fingerprint(const struct pseudonym_key *key,
			       unsigned char out[PSEUDONYM_FINGERPRINT_BYTES]);

/* Overwrite a key held in memory. */
void pseudonym_key_wipe(struct pseudonym_key *key);

/*
 * The pseudonym of `id` (`len` bytes, at most PSEUDONYM_ID_MAX) of a record
 * of kind `kind` ("staff", "applicant") at employer `area_code`.
 */
void pseudonym_make(const struct pseudonym_key *key, const char *kind,
		    const char *area_code, const char *id, size_t len,
		    unsigned char out[PSEUDONYM_BYTES]);

#endif
