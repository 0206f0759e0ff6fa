/*
 * sha256.c - file checksums with OpenSSL's SHA-256 (see sha256.h).
 */
#include "base/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>

static int unavailable(struct parity_error *err)
{
	return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
				"OpenSSL's libcrypto could not compute "
				"SHA-256, the file's checksum");
}

int file_digest_init(struct file_digest *d, struct parity_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	d->ctx = NULL;
	d->failed = false;
	if (!ctx)
		return unavailable(err);
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return unavailable(err);
	}
	d->ctx = ctx;
	return 0;
}

void file_digest_update(struct file_digest *d, const void *data, size_t len)
{
	if (len && !d->failed && EVP_DigestUpdate(d->ctx, data, len) != 1)
		d->failed = true;
}

int file_digest_final(struct file_digest *d, char hex[FILE_DIGEST_HEX],
		      struct parity_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0, k;
	int ok = !d->failed && EVP_DigestFinal_ex(d->ctx, md, &n) == 1 &&
		 n == 32;

	file_digest_free(d);
	if (!ok)
		return unavailable(err);
	for (k = 0; k < n; k++)
		snprintf(hex + 2 * (size_t)k, 3, "%02x", md[k]);
	return 0;
}

void file_digest_free(struct file_digest *d)
{
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}
