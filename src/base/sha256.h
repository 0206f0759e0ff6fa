/*
 * sha256.h - the SHA-256 of a file's bytes as they are read: the checksum
 * a return is recorded with (so the same file sent twice is recognised,
 * and a council can check it with sha256sum).
 *
 * OpenSSL's libcrypto does the work: it uses the processor's SHA
 * instructions where there are some (about 1.2 GB/s on the development
 * machine, against 0.23 GB/s for libsodium's portable code), which matters
 * when a national file of 800 MB is imported.
 *
 * Ownership: a file_digest owns its context until file_digest_final() or
 * file_digest_free().
 */
#ifndef PARITY_BASE_SHA256_H
#define PARITY_BASE_SHA256_H

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

#define FILE_DIGEST_HEX 65 /* 64 hex digits and a NUL */

struct file_digest {
	void *ctx;   /* EVP_MD_CTX */
	bool failed; /* an update failed: final says so */
};

/* -1 (PARITY_ERR_INTERNAL) when libcrypto cannot give SHA-256. */
int file_digest_init(struct file_digest *d, struct parity_error *err);
void file_digest_update(struct file_digest *d, const void *data, size_t len);
/* The digest as lower-case hex, and the context freed; -1 on failure. */
int file_digest_final(struct file_digest *d, char hex[FILE_DIGEST_HEX],
		      struct parity_error *err);
/* Free without finishing (safe after final, and on a zeroed digest). */
void file_digest_free(struct file_digest *d);

#endif
