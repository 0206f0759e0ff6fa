/*
 * secret.c - making, checking and hashing the hub's secrets (secret.h).
 */
#include "hub/secret.h"

#include <sodium.h>
#include <string.h>

/* What a CSRF token is keyed over: a fixed text, so that the token is
 * never the hash the store keeps (which is unkeyed). */
static const char csrf_context[] = "parity hub csrf token v1";

int hub_sodium_ready(struct parity_error *err)
{
	if (sodium_init() < 0)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"libsodium cannot be initialised");
	return 0;
}

static void encode(const unsigned char bytes[32],
		   char out[HUB_SECRET_CHARS + 1])
{
	sodium_bin2base64(out, HUB_SECRET_CHARS + 1, bytes, 32,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void hub_secret_make(char out[HUB_SECRET_CHARS + 1])
{
	unsigned char bytes[32];

	randombytes_buf(bytes, sizeof(bytes));
	encode(bytes, out);
	sodium_memzero(bytes, sizeof(bytes));
}

bool hub_secret_well_formed(const char *text)
{
	unsigned char bytes[32];
	size_t n = 0;
	const char *end = NULL;
	bool ok;

	if (!text || strlen(text) != HUB_SECRET_CHARS)
		return false;
	ok = sodium_base642bin(bytes, sizeof(bytes), text, HUB_SECRET_CHARS,
			       NULL, &n, &end,
			       sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
	     n == sizeof(bytes) && end == text + HUB_SECRET_CHARS;
	sodium_memzero(bytes, sizeof(bytes));
	return ok;
}

void hub_secret_hash(const char *secret,
		     unsigned char out[STORE_SECRET_HASH_BYTES])
{
	crypto_generichash(out, STORE_SECRET_HASH_BYTES,
			   (const unsigned char *)secret, strlen(secret),
			   NULL, 0);
}

void hub_secret_csrf(const char *session, char out[HUB_SECRET_CHARS + 1])
{
	unsigned char mac[32];

	crypto_generichash(mac, sizeof(mac),
			   (const unsigned char *)csrf_context,
			   sizeof(csrf_context) - 1,
			   (const unsigned char *)session, strlen(session));
	encode(mac, out);
	sodium_memzero(mac, sizeof(mac));
}
