/*
 * atomic_file.c - replacing a file whole or not at all (atomic_file.h).
 */
#include "base/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void atomic_file_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if ((size_t)(slash - path) + 2 > sizeof(dir))
		return;
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) + 1,
			 path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int atomic_file_commit(const char *temp, const char *target, bool sync_dir)
{
	int fd = open(temp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int e = 0;

	if (fd < 0 || fsync(fd) < 0)
		e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	if (!e && rename(temp, target) < 0)
		e = errno;
	if (e) {
		unlink(temp);
		return e;
	}
	if (sync_dir)
		atomic_file_sync_dir(target);
	return 0;
}
