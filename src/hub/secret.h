/*
 * secret.h - the hub's secrets: making them, checking their form, the
 * hash they are kept as, and a session's CSRF token. Not for use outside
 * src/hub/ (the front ends see only accounts.h).
 *
 * A secret is 32 bytes from randombytes_buf() written as 43 characters
 * of unpadded base64url. The store keeps crypto_generichash() (BLAKE2b,
 * 32 bytes) of those 43 characters, never the characters. A session's
 * CSRF token is derived from the session's secret, not stored: BLAKE2b
 * keyed with the secret over a fixed text, as base64url. Only someone
 * holding the cookie can compute it, the cookie cannot be recovered from
 * it, and a store that leaked gives neither.
 */
#ifndef PARITY_HUB_SECRET_H
#define PARITY_HUB_SECRET_H

#include "base/error.h"
#include "hub/accounts.h"
#include "store/accounts.h"

#include <stdbool.h>

/* libsodium ready: 0, or -1 with PARITY_ERR_INTERNAL. */
int hub_sodium_ready(struct parity_error *err);
/* A new secret into `out`. */
void hub_secret_make(char out[HUB_SECRET_CHARS + 1]);
/* Whether `text` (may be NULL) has a secret's form: 43 base64url
 * characters that decode to 32 bytes. */
bool hub_secret_well_formed(const char *text);
/* The hash a secret is kept and found by. */
void hub_secret_hash(const char *secret,
		     unsigned char out[STORE_SECRET_HASH_BYTES]);
/* The CSRF token of the session whose secret is `session`. */
void hub_secret_csrf(const char *session, char out[HUB_SECRET_CHARS + 1]);

#endif
