/*
 * fuzz_common.c - the temporary files the harnesses hand to parsers that
 * read from a path (see fuzz.h).
 *
 * One directory per process, made on first use under /dev/shm when it is
 * writable (else TMPDIR or /tmp), and removed with everything in it at
 * exit. The harnesses run one input at a time, so one file name per role
 * is enough; a path is worked out once and kept.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[4096];

struct known_path {
	char name[64];
	char path[4096 + 64];
};
static struct known_path known[32];
static size_t nknown;

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: broken promise: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fuzz_debug(const char *fmt, ...)
{
	static int on = -1;
	va_list ap;

	if (on < 0)
		on = getenv("PARITY_FUZZ_DEBUG") != NULL;
	if (!on)
		return;
	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fuzz_check_failure(const char *what, int rc,
			const struct parity_error *err)
{
	if (rc >= 0)
		return;
	if (err->code == PARITY_OK)
		fuzz_fail("%s failed without saying why", what);
	if (err->code == PARITY_ERR_INTERNAL)
		fuzz_fail("%s found a bug in parity: %s", what, err->message);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_tmpdir(void)
{
	if (tmpdir[0])
		nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_tmpdir(void)
{
	const char *base;

	if (tmpdir[0])
		return tmpdir;
	base = getenv("TMPDIR");
	if (access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	else if (!base || !base[0])
		base = "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/parity-fuzz-XXXXXX", base);
	if (!mkdtemp(tmpdir))
		fuzz_fail("cannot make a temporary directory in %s: %s", base,
			  strerror(errno));
	atexit(remove_tmpdir);
	return tmpdir;
}

const char *fuzz_path(const char *name)
{
	size_t k;

	for (k = 0; k < nknown; k++)
		if (strcmp(known[k].name, name) == 0)
			return known[k].path;
	if (nknown == sizeof(known) / sizeof(known[0]) ||
	    strlen(name) >= sizeof(known[0].name))
		fuzz_fail("too many temporary paths, or '%s' too long", name);
	snprintf(known[nknown].name, sizeof(known[nknown].name), "%s", name);
	snprintf(known[nknown].path, sizeof(known[nknown].path), "%s/%s",
		 fuzz_tmpdir(), name);
	return known[nknown++].path;
}

static void write_all(const char *path, int fd, const uint8_t *data,
		      size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, data, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fuzz_fail("cannot write %s: %s", path, strerror(errno));
		data += n;
		size -= (size_t)n;
	}
}

const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		fuzz_fail("cannot create %s: %s", path, strerror(errno));
	write_all(path, fd, data, size);
	close(fd);
	return path;
}

const char *fuzz_mkdir(const char *name)
{
	const char *path = fuzz_path(name);

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		fuzz_fail("cannot make %s: %s", path, strerror(errno));
	return path;
}

void fuzz_copy(const char *from, const char *to)
{
	uint8_t buf[65536];
	struct stat st;
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	if (in < 0 || fstat(in, &st) < 0)
		fuzz_fail("cannot read %s: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 0777);
	if (out < 0)
		fuzz_fail("cannot create %s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fuzz_fail("cannot read %s: %s", from, strerror(errno));
		write_all(to, out, buf, (size_t)n);
	}
	close(in);
	close(out);
}
