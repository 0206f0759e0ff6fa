/*
 * replay.c - a plain main() for a fuzz harness: it calls the harness's
 * LLVMFuzzerTestOneInput() once for every file it is given, so that
 * `make check` replays the seed corpora and the recorded crashes in the
 * normal build and under AddressSanitizer and UBSan, without libFuzzer.
 *
 *   replay [--skip LIST] PATH...
 *
 * A PATH that is a directory stands for every regular file in it (not
 * recursively, hidden files left out, in name order); a directory that
 * does not exist is empty, since git does not keep an empty crashes/NAME/.
 * LIST names reproducers of crashes that are still open (see
 * tests/fuzz/README.md): lines of `NAME/FILE` followed by anything, '#'
 * starting a comment; a file whose last two path components are on it is
 * not replayed. Each file replayed is named on standard output, so that a
 * sanitizer's report follows the name of the input that caused it. Exits
 * 0 when every input ran (a sanitizer or an abort() ends the process
 * before), 1 when a file could not be read, 2 on a usage error.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* libFuzzer calls LLVMFuzzerInitialize() when a harness defines it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *s, const char *text, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n] = strndup(text, len);
	if (!s->v[s->n])
		abort();
	s->n++;
}

static void names_free(struct names *s)
{
	size_t k;

	for (k = 0; k < s->n; k++)
		free(s->v[k]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_skip_list(const char *path, struct names *skip)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t start = strspn(line, " \t"), len;

		if (line[start] == '#')
			continue;
		len = strcspn(line + start, " \t\r\n#");
		if (len > 0)
			names_add(skip, line + start, len);
	}
	fclose(f);
	return 0;
}

/* Whether `path` ends in an entry of the skip list (NAME/FILE). */
static bool skipped(const struct names *skip, const char *path)
{
	size_t k, plen = strlen(path);

	for (k = 0; k < skip->n; k++) {
		size_t len = strlen(skip->v[k]);

		if (plen >= len && strcmp(path + plen - len, skip->v[k]) == 0 &&
		    (plen == len || path[plen - len - 1] == '/'))
			return true;
	}
	return false;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	do {
		if (size == cap) {
			cap = cap ? 2 * cap : 65536;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	printf("replay: %s (%zu bytes)\n", path, size);
	fflush(stdout);
	/* an exact-size copy, so that AddressSanitizer sees a read past the
	 * end of the input as libFuzzer's own copy would */
	{
		uint8_t *exact = malloc(size ? size : 1);

		if (!exact)
			abort();
		if (size)
			memcpy(exact, data, size);
		free(data);
		LLVMFuzzerTestOneInput(exact, size);
		free(exact);
	}
	return 0;
}

static int run_path(const char *path, const struct names *skip, long *runs,
		    long *skips)
{
	struct names files = { NULL, 0, 0 };
	struct dirent *e;
	struct stat st;
	DIR *d;
	size_t k;
	int status = 0;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (skipped(skip, path)) {
			++*skips;
			return 0;
		}
		++*runs;
		return run_file(path);
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char full[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			names_add(&files, full, strlen(full));
	}
	closedir(d);
	if (files.n > 1) /* qsort() must not be given NULL, even for none */
		qsort(files.v, files.n, sizeof(*files.v), compare_names);
	for (k = 0; k < files.n; k++) {
		if (skipped(skip, files.v[k])) {
			printf("replay: %s skipped (an open crash)\n",
			       files.v[k]);
			++*skips;
			continue;
		}
		++*runs;
		if (run_file(files.v[k]) < 0)
			status = -1;
	}
	names_free(&files);
	return status;
}

int main(int argc, char **argv)
{
	struct names skip = { NULL, 0, 0 };
	long runs = 0, skips = 0;
	int k = 1, status = 0;

	if (argc > 2 && strcmp(argv[1], "--skip") == 0) {
		if (load_skip_list(argv[2], &skip) < 0)
			return 1;
		k = 3;
	}
	if (k >= argc) {
		fprintf(stderr, "usage: %s [--skip LIST] PATH...\n", argv[0]);
		names_free(&skip);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (; k < argc; k++)
		if (run_path(argv[k], &skip, &runs, &skips) < 0)
			status = 1;
	printf("replay: %ld input%s run, %ld open crash%s skipped\n", runs,
	       runs == 1 ? "" : "s", skips, skips == 1 ? "" : "es");
	names_free(&skip);
	if (runs == 0) {
		fprintf(stderr, "replay: no input found\n");
		return 1;
	}
	return status;
}
