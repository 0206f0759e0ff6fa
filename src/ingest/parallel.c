/*
 * parallel.c - a workforce return read once, in blocks, with a checker on
 * every core (see parallel.h).
 *
 * The file is read with read() into a few blocks of BLOCK_BYTES, never
 * mapped, so memory stays bounded whatever its size. The reading thread
 * cuts each block at a row boundary: the last line end outside quotes,
 * found by counting quotes from the start of the block (which is a row
 * boundary). The rest of the block moves to the start of the next one.
 * Worker threads take blocks in turn and check every row with the row
 * checker (check.h), each with a checker of its own: a label cache,
 * aggregates by employer and ethnicity, and fingerprints of ids. Lines
 * count from 1 in each block, and are made file lines at the end from the
 * number of lines in the blocks before.
 *
 * The reader gives way to the entry point's single pass over the whole
 * file, whose messages and line numbers are then exactly an import's,
 * whenever anything is unusual: any error in any block, a block not in
 * UTF-8, a file with no rows, a block without a line end, or two ids with
 * the same fingerprint (a duplicate, or rarely two ids that only share a
 * fingerprint: the second pass tells which). So a valid file is checked
 * once, in parallel, and a file with problems is reported exactly as
 * `parity import` would.
 *
 * The file is looked at (fstat) when it is opened and again when every
 * block is checked (and written): a file whose size or modification time
 * changed, or of which more or fewer bytes were read than it had, is
 * refused (csv_file_check_unchanged()), as the single pass refuses it: it
 * is still being written.
 *
 * With a writer (an import), the workers keep the checked rows of their
 * block, the reading thread hashes the file as it reads, and a writer
 * thread hands the blocks to the writer in file order. After the blocks,
 * checker_merge() gathers the workers' checkers into the head's.
 */
#include "ingest/parallel.h"

#include "base/alloc.h"
#include "base/csv.h"
#include "base/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK_BYTES ((size_t)4 * 1024 * 1024)
#define MAX_THREADS 64

struct block {
	char *data;   /* BLOCK_BYTES + 1 */
	size_t len;
	long index;
	struct checked_rows *checked; /* with a writer: the rows to write */
};

struct parallel_reader {
	const char *name;
	size_t nthreads;
	struct checker **workers;  /* one checker per thread */
	long *worker_rows;         /* rows each has read */
	/* Blocks: `free_blocks` to fill, `ready` to check, in order. */
	struct block *blocks;
	size_t nblocks;
	struct block **free_blocks;
	size_t nfree;
	struct block **ready;
	size_t ready_head, ready_count;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	atomic_bool give_way;      /* take the single-pass path */
	long *lines;               /* lines in each block */
	size_t lines_cap;
	long nblocks_read;
	long first_line;           /* where the first block starts */
	/* The writer, which takes the checked rows block by block in file
	 * order on its own thread. */
	const struct parallel_writer *writer;
	struct block **checked;    /* checked, not yet written: by index mod
				    * nblocks */
	long next_to_write;
	struct parity_error write_err;
	bool write_failed;
	uint64_t bytes_written, size;
	struct file_digest sha;
	bool hashing;              /* the file's SHA-256, as it is read */
	int fd;
	struct csv_file_stamp opened; /* the file when it was opened */
	uint64_t file_bytes;       /* read from it so far */
	bool read_to_end;
	bool done;                 /* the reader has no more blocks */
};

/* ---- the blocks ---- */

static struct block *take_free(struct parallel_reader *a)
{
	struct block *b;

	pthread_mutex_lock(&a->lock);
	while (a->nfree == 0)
		pthread_cond_wait(&a->changed, &a->lock);
	b = a->free_blocks[--a->nfree];
	pthread_mutex_unlock(&a->lock);
	return b;
}

static void put_ready(struct parallel_reader *a, struct block *b)
{
	pthread_mutex_lock(&a->lock);
	a->ready[(a->ready_head + a->ready_count++) % a->nblocks] = b;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
}

static struct block *take_ready(struct parallel_reader *a)
{
	struct block *b = NULL;

	pthread_mutex_lock(&a->lock);
	while (a->ready_count == 0 && !a->done)
		pthread_cond_wait(&a->changed, &a->lock);
	if (a->ready_count) {
		b = a->ready[a->ready_head];
		a->ready_head = (a->ready_head + 1) % a->nblocks;
		a->ready_count--;
	}
	pthread_mutex_unlock(&a->lock);
	return b;
}

static void put_free(struct parallel_reader *a, struct block *b)
{
	pthread_mutex_lock(&a->lock);
	a->free_blocks[a->nfree++] = b;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
}

static void set_lines(struct parallel_reader *a, long index, long lines)
{
	pthread_mutex_lock(&a->lock);
	a->lines = xgrow(a->lines, &a->lines_cap, (size_t)index + 1,
			 sizeof(*a->lines));
	a->lines[index] = lines;
	pthread_mutex_unlock(&a->lock);
}

/* A checked block, for the writer to store in its turn. */
static void put_checked(struct parallel_reader *a, struct block *b)
{
	pthread_mutex_lock(&a->lock);
	a->checked[(size_t)b->index % a->nblocks] = b;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
}

/* Fill `b` after `have` bytes already in it. -1 on a read error. */
static ssize_t fill_block(struct parallel_reader *a, struct block *b, size_t have,
			  struct parity_error *err)
{
	size_t len = have;

	while (len < BLOCK_BYTES) {
		ssize_t n = read(a->fd, b->data + len, BLOCK_BYTES - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return parity_error_set(err, PARITY_ERR_IO, a->name, 0,
						0, "read failed: %s",
						strerror(errno));
		if (n == 0) {
			a->read_to_end = true;
			break;
		}
		a->file_bytes += (uint64_t)n;
		if (a->hashing)
			file_digest_update(&a->sha, b->data + len,
					   (size_t)n);
		len += (size_t)n;
	}
	return (ssize_t)len;
}

/*
 * Where the block's last whole row ends: just after the last line feed
 * with an even number of quotes before it, or 0 when there is none.
 */
static size_t row_boundary(const char *data, size_t len)
{
	size_t quotes = 0, k;
	const char *p = data, *end = data + len, *nl;

	while ((p = memchr(p, '"', (size_t)(end - p))) != NULL) {
		quotes++;
		p++;
	}
	k = len;
	while (k > 0) {
		nl = data + k - 1;
		while (nl >= data && *nl != '\n')
			nl--;
		if (nl < data)
			return 0;
		/* quotes after the line feed no longer count */
		for (p = nl + 1; p < data + k; p++)
			quotes -= *p == '"';
		if (quotes % 2 == 0)
			return (size_t)(nl - data) + 1;
		k = (size_t)(nl - data);
	}
	return 0;
}

/* The reading thread: blocks cut at row boundaries, in order. */
static int read_blocks(struct parallel_reader *a, char *start, size_t start_len,
		       struct parity_error *err)
{
	size_t carry = start_len;
	long index = 0;
	int rc = 0;
	char *carried = xmalloc(BLOCK_BYTES);

	memcpy(carried, start, start_len);
	while (!atomic_load(&a->give_way)) {
		struct block *b = take_free(a);
		ssize_t len;
		size_t cut;

		memcpy(b->data, carried, carry);
		len = fill_block(a, b, carry, err);
		if (len < 0) {
			put_free(a, b);
			rc = -1;
			break;
		}
		if (len == 0) {
			put_free(a, b);
			break;
		}
		if ((size_t)len < BLOCK_BYTES) {
			cut = (size_t)len; /* the end of the file */
		} else {
			cut = row_boundary(b->data, (size_t)len);
			if (cut == 0) {
				/* a row longer than a block: give way */
				atomic_store(&a->give_way, true);
				put_free(a, b);
				break;
			}
		}
		carry = (size_t)len - cut;
		memcpy(carried, b->data + cut, carry);
		b->len = cut;
		b->index = index++;
		put_ready(a, b);
		if ((size_t)len < BLOCK_BYTES)
			break;
	}
	free(carried);
	pthread_mutex_lock(&a->lock);
	a->done = true;
	a->nblocks_read = index;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
	return rc;
}

static void check_block(struct parallel_reader *a, struct checker *ck,
			struct block *b, long *rows)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	int rc;
	bool failed = false;

	csv_reader_open_block(&r, a->name, b->data, b->len, 1);
	checker_block(ck, b->index, a->writer ? b->checked : NULL);
	while ((rc = csv_reader_next(r, &row, &err)) > 0) {
		(*rows)++;
		if (checker_row(ck, &row, &err) != 0) {
			failed = true;
			break;
		}
	}
	if (rc < 0 || failed || csv_reader_encoding(r) != CSV_ENCODING_UTF8)
		atomic_store(&a->give_way, true);
	set_lines(a, b->index, csv_reader_line(r) - 1);
	csv_reader_free(r);
}

struct worker_arg {
	struct parallel_reader *a;
	size_t k;
};

static void *worker(void *arg)
{
	const struct worker_arg *w = arg;
	struct parallel_reader *a = w->a;
	struct block *b;

	while ((b = take_ready(a)) != NULL) {
		if (!atomic_load(&a->give_way))
			check_block(a, a->workers[w->k], b,
				    &a->worker_rows[w->k]);
		if (a->writer)
			put_checked(a, b);
		else
			put_free(a, b);
	}
	return NULL;
}

/* ---- writing, in file order ---- */

/* The next block in file order that is checked, or NULL after the last. */
static struct block *take_checked(struct parallel_reader *a)
{
	struct block *b;
	size_t slot;

	pthread_mutex_lock(&a->lock);
	for (;;) {
		slot = (size_t)a->next_to_write % a->nblocks;
		b = a->checked[slot];
		if (b && b->index == a->next_to_write) {
			a->checked[slot] = NULL;
			a->next_to_write++;
			break;
		}
		if (a->done && a->next_to_write >= a->nblocks_read) {
			b = NULL;
			break;
		}
		pthread_cond_wait(&a->changed, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return b;
}

/* The writer's thread: blocks written in file order, then given back.
 * Once the reader gives way, or the writer fails, nothing more is
 * written. */
static void *write_blocks(void *arg)
{
	struct parallel_reader *a = arg;
	struct block *b;

	while ((b = take_checked(a)) != NULL) {
		if (!atomic_load(&a->give_way) && !a->write_failed) {
			a->bytes_written += b->len;
			if (a->writer->write(a->writer->ctx, b->checked,
					     a->bytes_written, a->size,
					     &a->write_err) < 0)
				a->write_failed = true;
		}
		put_free(a, b);
	}
	return NULL;
}

/* ---- the whole file ---- */

/*
 * Read the header from the start of the file. 1 with the header mapped
 * and `*used` the bytes it took, 0 when the reader should give way, -1 on
 * a read error.
 */
static int read_header(struct parallel_reader *a, struct checker *head,
		       char *buf, size_t *len, size_t *used,
		       struct parity_error *err)
{
	struct parity_error read_err = PARITY_ERROR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	ssize_t n;
	int rc;
	bool mapped = false;

	n = fill_block(a, &(struct block){ .data = buf }, 0, err);
	if (n < 0)
		return -1;
	*len = (size_t)n;
	if (n == 0)
		return 0;
	csv_reader_open_memory(&r, a->name, buf, (size_t)n, &read_err);
	rc = csv_reader_next(r, &row, &read_err);
	/* blocks are read with commas: a file with 'sep=;' takes the
	 * single pass */
	if (rc > 0 && csv_reader_encoding(r) == CSV_ENCODING_UTF8 &&
	    csv_reader_delimiter(r) == ',') {
		mapped = checker_header(head, &row, a->name, ',') == 0;
		*used = (size_t)csv_reader_bytes_read(r);
		a->first_line = csv_reader_line(r);
	} else {
		rc = 0;
	}
	csv_reader_free(r);
	/* a header reaching to the end of the block, or with errors: the
	 * single pass says what is wrong */
	if (rc > 0 && (*used >= *len || !mapped))
		rc = 0;
	return rc > 0;
}

/* Start a worker thread with a checker of blocks of its own. */
static bool start_worker(struct parallel_reader *a, struct checker *head,
			 size_t k, pthread_t *thread, struct worker_arg *arg)
{
	a->workers[k] = checker_for_blocks(head);
	arg->a = a;
	arg->k = k;
	return pthread_create(thread, NULL, worker, arg) == 0;
}

int parallel_check(struct parallel_reader *a, struct checker *head,
		   const struct parallel_writer *writer, char *sha256,
		   long *rows, struct parity_error *err)
{
	pthread_t threads[MAX_THREADS];
	struct worker_arg args[MAX_THREADS];
	pthread_t writer_thread;
	bool writing = false;
	char *start = NULL;
	size_t len = 0, used = 0, k, started = 0;
	long *base = NULL;
	int rc, status = -1;

	*rows = 0;
	a->writer = writer;
	if (sha256) {
		if (file_digest_init(&a->sha, err) < 0)
			return -1;
		a->hashing = true;
	}
	start = xmalloc(BLOCK_BYTES + 1);
	rc = read_header(a, head, start, &len, &used, err);
	if (rc <= 0) {
		free(start);
		return rc < 0 ? -1 : 0;
	}
	/* a writer holds blocks until they are written: a few more */
	a->nblocks = a->nthreads + (writer ? 4 : 2);
	a->blocks = xcalloc(a->nblocks, sizeof(*a->blocks));
	a->checked = xcalloc(a->nblocks, sizeof(struct block *));
	a->free_blocks = xcalloc(a->nblocks, sizeof(struct block *));
	a->ready = xcalloc(a->nblocks, sizeof(struct block *));
	for (k = 0; k < a->nblocks; k++) {
		a->blocks[k].data = xmalloc(BLOCK_BYTES + 1);
		if (writer)
			a->blocks[k].checked = checked_rows_new();
		a->free_blocks[a->nfree++] = &a->blocks[k];
	}
	a->workers = xcalloc(a->nthreads, sizeof(struct checker *));
	a->worker_rows = xcalloc(a->nthreads, sizeof(*a->worker_rows));
	for (k = 0; k < a->nthreads; k++) {
		if (!start_worker(a, head, k, &threads[k], &args[k]))
			break;
		started++;
	}
	for (; k < a->nthreads; k++)
		if (!a->workers[k])
			a->workers[k] = checker_for_blocks(head);
	if (started > 0 && writer) {
		a->bytes_written = used; /* the header's */
		writing = pthread_create(&writer_thread, NULL, write_blocks,
					 a) == 0;
		if (!writing)
			atomic_store(&a->give_way, true);
	}
	if (started == 0) {
		atomic_store(&a->give_way, true);
		rc = 0;
	} else {
		rc = read_blocks(a, start + used, len - used, err);
	}
	for (k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
	if (writing)
		pthread_join(writer_thread, NULL);
	/* a file that changed while it was read (or written) is refused,
	 * whichever path would have taken it on */
	if (rc == 0 && csv_file_check_unchanged(
			       a->name, a->fd, &a->opened,
			       a->read_to_end ? a->file_bytes : UINT64_MAX,
			       err) < 0)
		rc = -1;
	if (a->write_failed) {
		*err = a->write_err;
		rc = -1;
	}
	if (rc < 0)
		goto out;
	if (atomic_load(&a->give_way))
		goto give_way;
	for (k = 0; k < a->nthreads; k++)
		*rows += a->worker_rows[k];
	if (*rows == 0)
		goto give_way;
	base = xcalloc((size_t)a->nblocks_read + 1, sizeof(*base));
	base[0] = a->first_line;
	for (k = 0; k < (size_t)a->nblocks_read; k++)
		base[k + 1] = base[k] + a->lines[k];
	if (!checker_merge(head, a->workers, a->nthreads, base))
		goto give_way;
	if (sha256 && file_digest_final(&a->sha, sha256, err) < 0)
		goto out;
	status = 1;
	goto out;
give_way:
	status = 0;
out:
	/* the checkers of blocks, and what they still hold, go now: the
	 * single pass may follow */
	for (k = 0; k < a->nthreads; k++)
		checker_free(a->workers[k]);
	free(a->workers);
	a->workers = NULL;
	free(base);
	free(start);
	return status;
}

struct parallel_reader *parallel_open(const char *path, int threads,
				      int min_blocks)
{
	struct parallel_reader *a;
	struct stat st;
	long cores;

	if (strcmp(path, "-") == 0)
		return NULL;
	a = xcalloc(1, sizeof(*a));
	a->name = path;
	a->fd = open(path, O_RDONLY);
	if (a->fd < 0 || fstat(a->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < (uint64_t)min_blocks * BLOCK_BYTES) {
		parallel_close(a);
		return NULL;
	}
	a->size = (uint64_t)st.st_size;
	csv_file_stamp_take(&a->opened, &st);
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	a->nthreads = threads > 0 ? (size_t)threads
				  : (size_t)(cores > 0 ? cores : 1);
	if (a->nthreads > MAX_THREADS)
		a->nthreads = MAX_THREADS;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->changed, NULL);
	return a;
}

void parallel_close(struct parallel_reader *a)
{
	size_t k;

	if (!a)
		return;
	if (a->fd >= 0)
		close(a->fd);
	for (k = 0; k < a->nblocks; k++) {
		free(a->blocks[k].data);
		checked_rows_free(a->blocks[k].checked);
	}
	free(a->blocks);
	free(a->free_blocks);
	free(a->ready);
	free(a->checked);
	free(a->worker_rows);
	free(a->lines);
	file_digest_free(&a->sha);
	if (a->nthreads) {
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->changed);
	}
	free(a);
}
