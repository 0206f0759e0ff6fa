/*
 * pseudonym.c - keyed hashes in place of ids, and the key file (see
 * pseudonym.h).
 *
 * The hashed message is "parity-person-v1", NUL, kind, NUL, area code, NUL,
 * id. The NULs keep the parts apart, so that no two different (kind, area,
 * id) triples give the same message; the version tag allows a different
 * scheme later without mixing the two. A key's fingerprint is the hash,
 * under the key, of another fixed text, so it can never equal a pseudonym.
 */
#include "store/pseudonym.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char tag[] = "parity-person-v1";
/* What a key's fingerprint is the keyed hash of. */
static const char fingerprint_text[] = "parity-key-fingerprint-v1";

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

/* Why the key file at `path` could not be opened (errno `e`), and what to
 * do about it. */
static int key_open_failed(const char *path, int e, struct parity_error *err)
{
	char target[1024];
	struct stat st;
	ssize_t n;

	if (e == ENOENT) {
		n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			return parity_error_set(
				err, PARITY_ERR_STORE, path, 0, 0,
				"the store's key file is a symbolic link to "
				"'%s', which is missing: without the key staff "
				"and applicant ids cannot be pseudonymised "
				"consistently, so the store is not opened "
				"(restore the key from its backup to '%s', or "
				"point the link at where the key is kept)",
				target, target);
		}
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the store's key file is missing: without it staff and "
			"applicant ids cannot be pseudonymised consistently, so "
			"the store is not opened (restore the key from its "
			"backup to '%s', or make '%s' a symbolic link to where "
			"the key is kept)", path, path);
	}
	if (e == EACCES && stat(path, &st) == 0 && st.st_uid == geteuid())
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the key file cannot be read, even by its owner, the "
			"user running parity (mode %03o): make it readable by "
			"its owner only (chmod 600 '%s')",
			(unsigned)(st.st_mode & 0777), path);
	if (e == EACCES && stat(path, &st) == 0)
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the key file cannot be read by the user running "
			"parity (uid %u): it belongs to uid %u, with mode %03o "
			"(run parity as the key's owner, the only user who "
			"should read it)", (unsigned)geteuid(),
			(unsigned)st.st_uid, (unsigned)(st.st_mode & 0777));
	if (e == EACCES)
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the key file cannot be reached by the user running "
			"parity (uid %u): a directory on the way to it cannot "
			"be searched (run parity as the user who owns the "
			"store and its key)", (unsigned)geteuid());
	if (e == ELOOP)
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the key file is a loop of symbolic links: make '%s' "
			"the key itself, or a link to it", path);
	return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				"cannot open the key file: %s", strerror(e));
}

/* For messages: " 'T' (which it links to)" when `path` is a symbolic link
 * to T, else "". */
static void key_link_target(const char *path, char *out, size_t size)
{
	char target[512];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	out[0] = '\0';
	if (n > 0) {
		target[n] = '\0';
		snprintf(out, size, " '%s' (which it links to)", target);
	}
}

/* The key file opened as `fd` is fit to be used: a regular file of the
 * right size that only the user running parity can read or write. */
static int key_file_check(const char *path, int fd, struct parity_error *err)
{
	char target[600];
	struct stat st;

	if (fstat(fd, &st) < 0)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot read the key file: %s",
					strerror(errno));
	if (!S_ISREG(st.st_mode))
		return parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
					"the key file is not a regular file: it "
					"should be the key made by `parity "
					"init`, or a symbolic link to it");
	if (st.st_uid != geteuid())
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the key file belongs to uid %u, not to the user "
			"running parity (uid %u): another user could expose or "
			"replace it, so the store is not opened (run parity as "
			"the key's owner)", (unsigned)st.st_uid,
			(unsigned)geteuid());
	if ((st.st_mode & 077) != 0) {
		key_link_target(path, target, sizeof(target));
		return parity_error_set(
			err, PARITY_ERR_STORE, path, 0, 0,
			"the key file%s can be read or written by others (mode "
			"%03o): the store is not opened until only its owner "
			"can (chmod 600 '%s')", target,
			(unsigned)(st.st_mode & 0777), path);
	}
	if (st.st_size != PSEUDONYM_KEY_BYTES)
		return parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
					"the key file is damaged: it should "
					"hold %d bytes, not %lld (restore it "
					"from its backup)",
					PSEUDONYM_KEY_BYTES,
					(long long)st.st_size);
	return 0;
}

int pseudonym_key_load(const char *path, struct pseudonym_key *key,
		       struct parity_error *err)
{
	size_t done = 0;
	int fd;

	if (library_ready(err) < 0)
		return -1;
	/* Symbolic links are followed (the key may be kept elsewhere), and
	 * the checks are made on the file itself. O_NONBLOCK: a FIFO in its
	 * place must not hang the open. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return key_open_failed(path, errno, err);
	if (key_file_check(path, fd, err) < 0) {
		close(fd);
		return -1;
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

void pseudonym_key_fingerprint(const struct pseudonym_key *key,
			       unsigned char out[PSEUDONYM_FINGERPRINT_BYTES])
{
	crypto_generichash(out, PSEUDONYM_FINGERPRINT_BYTES,
			   (const unsigned char *)fingerprint_text,
			   sizeof(fingerprint_text) - 1, key->bytes,
			   sizeof(key->bytes));
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
