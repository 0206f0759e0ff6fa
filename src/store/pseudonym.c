/*
 * pseudonym.c - keyed hashes in place of ids, and the key file (see
 * pseudonym.h).
 *
 * The hashed message is "parity-person-v1", NUL, kind, NUL, area code, NUL,
 * id. The NULs keep the parts apart, so that no two different (kind, area,
 * id) triples give the same message; the version tag allows a different
 * scheme later without mixing the two.
 */
#include "store/pseudonym.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char tag[] = "parity-person-v1";

static int library_ready(struct parity_error *err)
{
	if (sodium_init() < 0)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"libsodium could not be initialised");
	return 0;
}

int pseudonym_key_create(const char *path, struct parity_error *err)
{
	unsigned char key[PSEUDONYM_KEY_BYTES];
	size_t done = 0;
	int fd;

	if (library_ready(err) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot create the key file: %s",
					strerror(errno));
	randombytes_buf(key, sizeof(key));
	while (done < sizeof(key)) {
		ssize_t n = write(fd, key + done, sizeof(key) - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	sodium_memzero(key, sizeof(key));
	if (done < sizeof(key) || fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(path);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot write the key file: %s",
					strerror(e));
	}
	if (close(fd) < 0) {
		unlink(path);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot write the key file: %s",
					strerror(errno));
	}
	return 0;
}

int pseudonym_key_load(const char *path, struct pseudonym_key *key,
		       struct parity_error *err)
{
	struct stat st;
	size_t done = 0;
	int fd;

	if (library_ready(err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return parity_error_set(
				err, PARITY_ERR_STORE, path, 0, 0,
				"the store's key file is missing: without it "
				"staff and applicant ids cannot be "
				"pseudonymised consistently, so the store is "
				"not opened (restore the key from its backup)");
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot open the key file: %s",
					strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
					"the key file is not a regular file");
	}
	if ((st.st_mode & 077) != 0) {
		close(fd);
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the key file can be read or written by others (mode "
			"%03o): the store is not opened until only its owner "
			"can (chmod 600 '%s')",
			(unsigned)(st.st_mode & 0777), path);
	}
	if (st.st_size != PSEUDONYM_KEY_BYTES) {
		close(fd);
		return parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
					"the key file is damaged: it should "
					"hold %d bytes, not %lld",
					PSEUDONYM_KEY_BYTES,
					(long long)st.st_size);
	}
	while (done < sizeof(key->bytes)) {
		ssize_t n = read(fd, key->bytes + done,
				 sizeof(key->bytes) - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	if (done < sizeof(key->bytes)) {
		pseudonym_key_wipe(key);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot read the key file");
	}
	return 0;
}

void pseudonym_key_wipe(struct pseudonym_key *key)
{
	sodium_memzero(key->bytes, sizeof(key->bytes));
}

void pseudonym_make(const struct pseudonym_key *key, const char *kind,
		    const char *area_code, const char *id, size_t len,
		    unsigned char out[PSEUDONYM_BYTES])
{
	unsigned char msg[sizeof(tag) + 32 + 32 + PSEUDONYM_ID_MAX];
	size_t n = 0, k;

	memcpy(msg, tag, sizeof(tag)); /* with its NUL */
	n = sizeof(tag);
	for (k = 0; k < 31 && kind[k]; k++)
		msg[n++] = (unsigned char)kind[k];
	msg[n++] = 0;
	for (k = 0; k < 31 && area_code[k]; k++)
		msg[n++] = (unsigned char)area_code[k];
	msg[n++] = 0;
	if (len > PSEUDONYM_ID_MAX)
		len = PSEUDONYM_ID_MAX;
	memcpy(msg + n, id, len);
	n += len;
	crypto_generichash(out, PSEUDONYM_BYTES, msg, n, key->bytes,
			   sizeof(key->bytes));
}
