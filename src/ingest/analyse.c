/*
 * analyse.c - a workforce return analysed without a store, on every core
 * (see analyse_return() in returns.h).
 *
 * The file is read with read() into a few blocks of BLOCK_BYTES, never
 * mapped, so memory stays bounded whatever its size. The reading thread
 * cuts each block at a row boundary: the last line end outside quotes,
 * found by counting quotes from the start of the block (which is a row
 * boundary). The rest of the block moves to the start of the next one.
 * Worker threads take blocks in turn and check every row with the
 * importer's own code (ingest/check.h), each into its own state: a label
 * cache, aggregates by employer and ethnicity, and fingerprints of ids.
 * Lines count from 1 in each block, and are made file lines at the end
 * from the number of lines in the blocks before.
 *
 * The fast path gives way to the importer's single pass over the whole
 * file, whose messages and line numbers are then exactly an import's,
 * whenever anything is unusual: any error in any block, a block not in
 * UTF-8, a file with no rows, a block without a line end, a file that is
 * not a regular file, or two ids with the same fingerprint (a duplicate,
 * or rarely two ids that only share a fingerprint: the second pass tells
 * which). So a valid file is checked once, in parallel, and a file with
 * problems is reported exactly as `parity import` would.
 *
 * The file is looked at (fstat) when it is opened and again when every
 * block is checked (and, for an import, stored): a file whose size or
 * modification time changed, or of which more or fewer bytes were read
 * than it had, is refused (csv_file_check_unchanged()), as the single
 * pass refuses it: it is still being written.
 *
 * After the blocks: the fingerprints of each part (kept by their top
 * bits as the workers went) are gathered, sorted and searched for repeats,
 * and the salaries of each employer and group are gathered and sorted,
 * both spread over the threads.
 *
 * An import of a large workforce file (import_parallel()) takes the same
 * path with a store: the workers also make each row's pseudonym and keep
 * the checked rows of their block, the reading thread hashes the file as
 * it reads, and a writer thread stores the blocks in file order with the
 * single pass's own code, in the import's one transaction. Giving way
 * then rolls the transaction back before the single pass runs.
 */
#include "ingest/returns.h"

#include "base/alloc.h"
#include "ingest/check.h"
#include "measure/stats.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
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
	struct checked_rows checked; /* import: the rows to store */
};

struct analysis {
	const struct analyse_options *opt;
	const char *name;
	struct import head;        /* the header, mapped once */
	struct import *workers;    /* one state per thread */
	size_t nthreads;
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
	/* The phase after the blocks. */
	atomic_size_t next_part;
	atomic_bool duplicate;
	int *employer_of;          /* area -> employer slot, or -1 */
	int *worker_employer;      /* [thread * nemployers + slot]: the
				    * thread's employer index, or -1 */
	struct store_aggregates *aggs;
	int *areas;
	size_t nemployers;
	atomic_size_t next_group;
	/* Import (import_parallel()): the writer's state, which stores the
	 * checked rows block by block in file order on its own thread. */
	struct import *writer;     /* its `store` is the import's */
	struct block **checked;    /* checked, not yet stored: by index mod
				    * nblocks */
	long next_to_store;
	struct parity_error store_err;
	struct file_digest sha;
	uint64_t bytes_stored, size;
	int fd;
	struct csv_file_stamp opened; /* the file when it was opened */
	uint64_t file_bytes;       /* read from it so far */
	bool read_to_end;
	bool done;                 /* the reader has no more blocks */
	bool store_failed;
	bool hashing;              /* the file's SHA-256, as it is read */
};

/* ---- the blocks ---- */

static struct block *take_free(struct analysis *a)
{
	struct block *b;

	pthread_mutex_lock(&a->lock);
	while (a->nfree == 0)
		pthread_cond_wait(&a->changed, &a->lock);
	b = a->free_blocks[--a->nfree];
	pthread_mutex_unlock(&a->lock);
	return b;
}

static void put_ready(struct analysis *a, struct block *b)
{
	pthread_mutex_lock(&a->lock);
	a->ready[(a->ready_head + a->ready_count++) % a->nblocks] = b;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
}

static struct block *take_ready(struct analysis *a)
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

static void put_free(struct analysis *a, struct block *b)
{
	pthread_mutex_lock(&a->lock);
	a->free_blocks[a->nfree++] = b;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
}

static void set_lines(struct analysis *a, long index, long lines)
{
	pthread_mutex_lock(&a->lock);
	a->lines = xgrow(a->lines, &a->lines_cap, (size_t)index + 1,
			 sizeof(*a->lines));
	a->lines[index] = lines;
	pthread_mutex_unlock(&a->lock);
}

/* A checked block, for the writer to store in its turn. */
static void put_checked(struct analysis *a, struct block *b)
{
	pthread_mutex_lock(&a->lock);
	a->checked[(size_t)b->index % a->nblocks] = b;
	pthread_cond_broadcast(&a->changed);
	pthread_mutex_unlock(&a->lock);
}

/* Fill `b` after `have` bytes already in it. -1 on a read error. */
static ssize_t fill_block(struct analysis *a, struct block *b, size_t have,
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
static int read_blocks(struct analysis *a, char *start, size_t start_len,
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

static void check_block(struct analysis *a, struct import *im,
			struct block *b)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	int rc;

	csv_reader_open_block(&r, a->name, b->data, b->len, 1);
	im->block = b->index;
	if (a->writer) {
		checked_rows_reset(&b->checked);
		im->emit = &b->checked;
	}
	while ((rc = csv_reader_next(r, &row, &err)) > 0) {
		im->rows++;
		(void)import_check_row(im, &row, &err);
		if (im->diags->errors > 0)
			break;
	}
	if (rc < 0 || im->diags->errors > 0 ||
	    csv_reader_encoding(r) != CSV_ENCODING_UTF8)
		atomic_store(&a->give_way, true);
	set_lines(a, b->index, csv_reader_line(r) - 1);
	csv_reader_free(r);
}

struct worker_arg {
	struct analysis *a;
	struct import *im;
};

static void *worker(void *arg)
{
	const struct worker_arg *w = arg;
	struct analysis *a = w->a;
	struct import *im = w->im;
	struct block *b;

	while ((b = take_ready(a)) != NULL) {
		if (!atomic_load(&a->give_way))
			check_block(a, im, b);
		else
			checked_rows_reset(&b->checked);
		if (a->writer)
			put_checked(a, b);
		else
			put_free(a, b);
	}
	return NULL;
}

/* ---- storing, for an import ---- */

/* The next block in file order that is checked, or NULL after the last. */
static struct block *take_checked(struct analysis *a)
{
	struct block *b;
	size_t slot;

	pthread_mutex_lock(&a->lock);
	for (;;) {
		slot = (size_t)a->next_to_store % a->nblocks;
		b = a->checked[slot];
		if (b && b->index == a->next_to_store) {
			a->checked[slot] = NULL;
			a->next_to_store++;
			break;
		}
		if (a->done && a->next_to_store >= a->nblocks_read) {
			b = NULL;
			break;
		}
		pthread_cond_wait(&a->changed, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return b;
}

static void store_block(struct analysis *a, const struct block *b)
{
	const struct import_options *opt = a->writer->opt;
	size_t k;

	for (k = 0; k < b->checked.count; k++)
		if (import_store_row(a->writer, &b->checked.rows[k],
				     &a->store_err) < 0) {
			a->store_failed = true;
			return;
		}
	a->writer->rows += (long)b->checked.count;
	a->bytes_stored += b->len;
	if (opt->progress)
		opt->progress(opt->progress_ctx, a->writer->rows,
			      a->bytes_stored, a->size);
}

/* The writer's thread: blocks stored in file order, then given back. */
static void *store_blocks(void *arg)
{
	struct analysis *a = arg;
	struct block *b;

	while ((b = take_checked(a)) != NULL) {
		if (!atomic_load(&a->give_way) && !a->store_failed)
			store_block(a, b);
		put_free(a, b);
	}
	return NULL;
}

/* ---- after the blocks ---- */

/* Room for n values, grown as needed and kept from use to use. */
static uint64_t *room(uint64_t **buf, size_t *cap, size_t n)
{
	if (n > *cap || !*buf)
		*buf = xgrow(*buf, cap, n ? n : 1, sizeof(**buf));
	return *buf;
}

/*
 * Each part of the fingerprints (by their top bits, kept so by every
 * worker as it went) is gathered from the workers, sorted and searched for
 * repeats by whichever thread takes it. The salary sort (stats.h) is a
 * radix sort of 64-bit patterns, which orders fingerprints too.
 */
static void *find_duplicates(void *arg)
{
	struct analysis *a = arg;
	uint64_t *all = NULL, *scratch = NULL;
	size_t all_cap = 0, scratch_cap = 0, p, t, k;

	while ((p = atomic_fetch_add(&a->next_part, 1)) < FINGERPRINT_PARTS) {
		size_t n = 0;

		for (t = 0; t < a->nthreads; t++)
			if (a->workers[t].fingerprints)
				n += a->workers[t].fingerprints[p].n;
		all = room(&all, &all_cap, n);
		n = 0;
		for (t = 0; t < a->nthreads; t++) {
			struct fingerprint_part *part;

			if (!a->workers[t].fingerprints)
				continue;
			part = &a->workers[t].fingerprints[p];
			if (part->n)
				memcpy(all + n, part->v, part->n * sizeof(*all));
			n += part->n;
			free(part->v);
			memset(part, 0, sizeof(*part));
		}
		stats_sort_salaries_with((double *)(void *)all, n,
					  room(&scratch, &scratch_cap, n));
		for (k = 1; k < n; k++)
			if (all[k] == all[k - 1]) {
				atomic_store(&a->duplicate, true);
				break;
			}
	}
	free(all);
	free(scratch);
	return NULL;
}

/* Each employer and group's salaries, gathered from the workers and
 * sorted, by whichever thread takes the group. */
static void *sort_groups(void *arg)
{
	struct analysis *a = arg;
	uint64_t *scratch = NULL;
	size_t scratch_cap = 0, g, t;

	while ((g = atomic_fetch_add(&a->next_group, 1)) <
	       a->nemployers * ETH_COUNT) {
		size_t slot = g / ETH_COUNT, e = g % ETH_COUNT, n = 0;
		struct store_aggregates *agg = &a->aggs[slot];
		double *pay;

		if (agg->pay_count[e] == 0)
			continue;
		pay = xmalloc(agg->pay_count[e] * sizeof(*pay));
		for (t = 0; t < a->nthreads; t++) {
			int k = a->worker_employer[t * a->nemployers + slot];
			struct pay_vec *p;

			if (k < 0)
				continue;
			p = &a->workers[t].employers[k].pay[e];
			if (p->n)
				memcpy(pay + n, p->v, p->n * sizeof(*pay));
			n += p->n;
			free(p->v);
			memset(p, 0, sizeof(*p));
		}
		agg->pay[e] = pay;
		stats_sort_salaries_with(pay, n, room(&scratch, &scratch_cap,
						       n));
	}
	free(scratch);
	return NULL;
}

static void run_threads(struct analysis *a, void *(*fn)(void *))
{
	pthread_t t[MAX_THREADS];
	size_t k;

	for (k = 1; k < a->nthreads; k++)
		if (pthread_create(&t[k], NULL, fn, a) != 0)
			break;
	fn(a);
	while (--k > 0)
		pthread_join(t[k], NULL);
}

/* File line of line `line` of block `block`. */
static long file_line(const struct analysis *a, const long *base, long block,
		      long line)
{
	(void)a;
	return base[block] + line - 1;
}

static void merge_repeated(struct import *into, const struct import *from,
			   const long *base, const struct analysis *a,
			   size_t which)
{
	struct repeated *to = which ? &into->leaving_before_start
				    : &into->below_llw;
	const struct repeated *r = which ? &from->leaving_before_start
					 : &from->below_llw;
	long line;

	if (!r->rows)
		return;
	line = file_line(a, base, r->block, r->line);
	if (!to->rows || line < to->line) {
		to->line = line;
		to->column = r->column;
		memcpy(to->value, r->value, sizeof(to->value));
	}
	to->rows += r->rows;
}

static int compare_seen(const void *x, const void *y)
{
	const struct coded_seen *a = x, *b = y;

	return (a->line > b->line) - (a->line < b->line);
}

/* Warnings that rows repeat, once each, as one pass gives them. */
static void merge_warnings(struct analysis *a, const long *base)
{
	struct import *head = &a->head;
	struct coded_seen *all = NULL;
	size_t n = 0, cap = 0, t, k, j, kept = 0;
	int c;

	for (t = 0; t < a->nthreads; t++) {
		struct import *w = &a->workers[t];

		head->rows += w->rows;
		head->rows_checked += w->rows_checked;
		for (c = 0; c < C_COUNT; c++)
			head->nonblank[c] += w->nonblank[c];
		merge_repeated(head, w, base, a, 0);
		merge_repeated(head, w, base, a, 1);
		for (k = 0; k < w->ncoded; k++) {
			all = xgrow(all, &cap, n + 1, sizeof(*all));
			all[n] = w->coded[k];
			all[n].line = file_line(a, base, w->coded[k].block,
						w->coded[k].line);
			n++;
		}
	}
	if (n > 1)
		qsort(all, n, sizeof(*all), compare_seen);
	for (k = 0; k < n && kept < CODED_WARN_MAX; k++) {
		for (j = 0; j < k; j++)
			if (all[j].column == all[k].column &&
			    strcmp(all[j].value, all[k].value) == 0)
				break;
		if (j < k)
			continue;
		import_warn_coded(head, &all[k]);
		kept++;
	}
	free(all);
	import_warn_blank_columns(head);
	import_warn_repeated(head);
}

/* Join the workers' aggregates by employer, in area order. */
static void merge_aggregates(struct analysis *a, struct analyse_result *res)
{
	const struct area_set *areas = a->opt->areas;
	size_t t, k, n = 0;
	int e, ev;

	a->employer_of = xmalloc(areas->count * sizeof(*a->employer_of));
	for (k = 0; k < areas->count; k++)
		a->employer_of[k] = -1;
	for (t = 0; t < a->nthreads; t++)
		for (k = 0; k < a->workers[t].nemployers; k++)
			a->employer_of[a->workers[t].employers[k].area] = 0;
	for (k = 0; k < areas->count; k++)
		if (a->employer_of[k] == 0)
			a->employer_of[k] = (int)n++;
	a->nemployers = n;
	a->aggs = xcalloc(n + 1, sizeof(*a->aggs));
	a->areas = xcalloc(n + 1, sizeof(*a->areas));
	for (k = 0; k < areas->count; k++)
		if (a->employer_of[k] >= 0)
			a->areas[a->employer_of[k]] = (int)k;
	a->worker_employer = xmalloc((a->nthreads * n + 1) *
				     sizeof(*a->worker_employer));
	for (k = 0; k < a->nthreads * n; k++)
		a->worker_employer[k] = -1;
	for (t = 0; t < a->nthreads; t++)
		for (k = 0; k < a->workers[t].nemployers; k++) {
			struct employer *from = &a->workers[t].employers[k];
			struct store_aggregates *to;
			int slot = a->employer_of[from->area];

			a->worker_employer[t * n + (size_t)slot] = (int)k;
			to = &a->aggs[slot];
			to->workforce_count = 1;
			for (e = 0; e < ETH_COUNT; e++) {
				/* the salaries are gathered by sort_groups() */
				to->pay_count[e] += from->pay[e].n;
				for (ev = 0; ev < STORE_EVENT_COUNT; ev++) {
					to->events[ev][e].yes +=
						from->events[ev][e].yes;
					to->events[ev][e].no +=
						from->events[ev][e].no;
					to->events[ev][e].missing +=
						from->events[ev][e].missing;
				}
				to->applicants[e].applied +=
					from->applicants[e].applied;
				to->applicants[e].shortlisted +=
					from->applicants[e].shortlisted;
				to->applicants[e].appointed +=
					from->applicants[e].appointed;
			}
			if (from->labels_2011 && !from->roma)
				to->classification_2011_count = 1;
		}
	run_threads(a, sort_groups);
	res->aggs = a->aggs;
	res->areas = a->areas;
	res->count = n;
	a->aggs = NULL;
	a->areas = NULL;
}

/* The same aggregates from the importer's single pass. */
static void take_employers(struct import *im, struct analyse_result *res)
{
	const struct area_set *areas = im->opt->areas;
	size_t k, n = 0;
	int e, ev, area;

	res->aggs = xcalloc(im->nemployers + 1, sizeof(*res->aggs));
	res->areas = xcalloc(im->nemployers + 1, sizeof(*res->areas));
	for (area = 0; area < (int)areas->count; area++)
		for (k = 0; k < im->nemployers; k++) {
			struct employer *from = &im->employers[k];
			struct store_aggregates *to = &res->aggs[n];

			if (from->area != area)
				continue;
			res->areas[n++] = area;
			to->workforce_count = 1;
			for (e = 0; e < ETH_COUNT; e++) {
				to->pay[e] = from->pay[e].v;
				to->pay_count[e] = from->pay[e].n;
				memset(&from->pay[e], 0, sizeof(from->pay[e]));
				stats_sort_salaries(to->pay[e], to->pay_count[e]);
				for (ev = 0; ev < STORE_EVENT_COUNT; ev++)
					to->events[ev][e] = from->events[ev][e];
				to->applicants[e] = from->applicants[e];
			}
			if (from->labels_2011 && !from->roma)
				to->classification_2011_count = 1;
		}
	res->count = n;
}

/* ---- the two paths ---- */

static void state_init(struct import *im, const struct analyse_options *opt,
		       const struct import_options *iopt,
		       struct diag_list *diags)
{
	int k;

	memset(im, 0, sizeof(*im));
	im->opt = iopt;
	im->diags = diags;
	for (k = 0; k < C_COUNT; k++)
		im->field_of[k] = -1;
	(void)opt;
}

/* The importer's one pass, with exact pseudonyms under a key of the run. */
static int single_pass(const struct import_options *iopt,
		       const struct analyse_options *opt,
		       struct diag_list *diags, struct analyse_result *res,
		       struct parity_error *err)
{
	struct import im;
	int status = -1;

	state_init(&im, opt, iopt, diags);
	res->single_pass = true;
	if (import_resolve_options(&im, err) < 0)
		goto out;
	if (csv_reader_open_file(&im.reader, iopt->path, err) < 0)
		goto out;
	im.file = csv_reader_name(im.reader);
	randombytes_buf(im.own_key.bytes, sizeof(im.own_key.bytes));
	if (import_read_rows(&im, err) < 0)
		goto out;
	res->rows = im.rows;
	diag_list_sort(diags);
	if (diags->errors > 0) {
		parity_error_set(err, PARITY_ERR_VALIDATION, im.file, 0, 0,
				 "%zu error%s: nothing was analysed",
				 diags->errors, diags->errors == 1 ? "" : "s");
		goto out;
	}
	take_employers(&im, res);
	status = 0;
out:
	import_state_free(&im);
	return status;
}

/* Copy the header's mapping into a worker's state. */
static void copy_header(struct import *to, const struct import *from)
{
	size_t k;

	memcpy(to->field_of, from->field_of, sizeof(to->field_of));
	memcpy(to->header_col, from->header_col, sizeof(to->header_col));
	memcpy(to->columns, from->columns, sizeof(to->columns));
	memcpy(to->submitted_at, from->submitted_at, sizeof(to->submitted_at));
	to->fixed_area = from->fixed_area;
	to->file = from->file;
	to->nfields = from->nfields;
	to->field_names = xcalloc(from->nfields + 1, sizeof(*to->field_names));
	for (k = 0; k < from->nfields; k++)
		to->field_names[k] = xstrdup(from->field_names[k]);
	for (k = 0; k < C_COUNT; k++)
		if (from->header_text[k])
			to->header_text[k] = xstrdup(from->header_text[k]);
	to->block_mode = true;
}

/*
 * Read the header from the start of the file. 1 with the header mapped
 * and `*used` the bytes it took, 0 when the fast path should give way,
 * -1 on a read error.
 */
static int read_header(struct analysis *a, char *buf, size_t *len,
		       size_t *used, struct parity_error *err)
{
	struct parity_error read_err = PARITY_ERROR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	ssize_t n;
	int rc;

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
		a->head.file = a->name;
		import_map_header(&a->head, &row);
		*used = (size_t)csv_reader_bytes_read(r);
		a->first_line = csv_reader_line(r);
	} else {
		rc = 0;
	}
	csv_reader_free(r);
	/* a header reaching to the end of the block, or with errors: the
	 * single pass says what is wrong */
	if (rc > 0 && (*used >= *len || a->head.diags->errors > 0))
		rc = 0;
	return rc > 0;
}

static int fast_path(struct analysis *a, struct diag_list *diags,
		     struct analyse_result *res, struct parity_error *err)
{
	struct diag_list *worker_diags;
	pthread_t threads[MAX_THREADS];
	struct worker_arg args[MAX_THREADS];
	pthread_t writer_thread;
	bool writing = false;
	char *start = xmalloc(BLOCK_BYTES + 1);
	size_t len = 0, used = 0, k, started = 0;
	long *base = NULL;
	int rc, status = -1;

	rc = read_header(a, start, &len, &used, err);
	if (rc <= 0) {
		free(start);
		return rc < 0 ? -1 : 0;
	}
	/* an import holds blocks until they are stored: a few more */
	a->nblocks = a->nthreads + (a->writer ? 4 : 2);
	a->blocks = xcalloc(a->nblocks, sizeof(*a->blocks));
	a->checked = xcalloc(a->nblocks, sizeof(struct block *));
	a->free_blocks = xcalloc(a->nblocks, sizeof(struct block *));
	a->ready = xcalloc(a->nblocks, sizeof(struct block *));
	for (k = 0; k < a->nblocks; k++) {
		a->blocks[k].data = xmalloc(BLOCK_BYTES + 1);
		a->free_blocks[a->nfree++] = &a->blocks[k];
	}
	a->workers = xcalloc(a->nthreads, sizeof(*a->workers));
	worker_diags = xcalloc(a->nthreads, sizeof(*worker_diags));
	for (k = 0; k < a->nthreads; k++) {
		diag_list_init(&worker_diags[k]);
		state_init(&a->workers[k], a->opt, a->head.opt,
			   &worker_diags[k]);
		copy_header(&a->workers[k], &a->head);
		if (a->writer) {
			a->workers[k].emit_key = store_key(a->writer->store);
			a->workers[k].count_labels = true;
		}
		args[k].a = a;
		args[k].im = &a->workers[k];
		if (pthread_create(&threads[k], NULL, worker, &args[k]) != 0)
			break;
		started++;
	}
	if (started > 0 && a->writer) {
		a->bytes_stored = used; /* the header's */
		copy_header(a->writer, &a->head);
		a->writer->block_mode = false;
		writing = pthread_create(&writer_thread, NULL, store_blocks,
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
	/* a file that changed while it was read (or stored) is refused,
	 * whichever path would have taken it on */
	if (rc == 0 && csv_file_check_unchanged(
			       a->name, a->fd, &a->opened,
			       a->read_to_end ? a->file_bytes : UINT64_MAX,
			       err) < 0)
		rc = -1;
	if (a->store_failed) {
		*err = a->store_err;
		rc = -1;
	}
	if (rc < 0)
		goto out;
	if (atomic_load(&a->give_way))
		goto give_way;
	run_threads(a, find_duplicates);
	if (atomic_load(&a->duplicate))
		goto give_way;
	base = xcalloc((size_t)a->nblocks_read + 1, sizeof(*base));
	base[0] = a->first_line;
	for (k = 0; k < (size_t)a->nblocks_read; k++)
		base[k + 1] = base[k] + a->lines[k];
	merge_warnings(a, base);
	if (a->head.rows == 0)
		goto give_way;
	/* the labels each thread saw, with their counts, for the writer to
	 * store with each submission */
	if (a->writer)
		for (k = 0; k < a->nthreads; k++)
			import_merge_labels(a->writer, &a->workers[k]);
	if (!a->writer && res) {
		res->rows = a->head.rows;
		merge_aggregates(a, res);
	}
	diag_list_sort(diags);
	status = 1;
	goto out;
give_way:
	status = 0;
out:
	for (k = 0; k < a->nthreads; k++) {
		import_state_free(&a->workers[k]);
		diag_list_release(&worker_diags[k]);
	}
	free(worker_diags);
	free(base);
	free(start);
	return status;
}

/* The state both entry points start from. */
static void analysis_init(struct analysis *a, const struct analyse_options *opt,
			  const struct import_options *iopt,
			  struct diag_list *diags)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(a, 0, sizeof(*a));
	a->opt = opt;
	a->fd = -1;
	a->name = opt->path;
	a->nthreads = opt->threads > 0 ? (size_t)opt->threads
				       : (size_t)(cores > 0 ? cores : 1);
	if (a->nthreads > MAX_THREADS)
		a->nthreads = MAX_THREADS;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->changed, NULL);
	state_init(&a->head, opt, iopt, diags);
}

/* Open the file for the fast path: 1 when it is a regular file. */
static int analysis_open(struct analysis *a)
{
	struct stat st;

	if (strcmp(a->name, "-") == 0)
		return 0;
	a->fd = open(a->name, O_RDONLY);
	if (a->fd < 0 || fstat(a->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	a->size = (uint64_t)st.st_size;
	csv_file_stamp_take(&a->opened, &st);
	return 1;
}

static void analysis_free(struct analysis *a)
{
	size_t k;

	if (a->fd >= 0)
		close(a->fd);
	import_state_free(&a->head);
	for (k = 0; k < a->nblocks; k++) {
		free(a->blocks[k].data);
		checked_rows_free(&a->blocks[k].checked);
	}
	free(a->blocks);
	free(a->free_blocks);
	free(a->ready);
	free(a->checked);
	free(a->workers);
	free(a->lines);
	free(a->employer_of);
	free(a->worker_employer);
	file_digest_free(&a->sha);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->changed);
}

int analyse_return(const struct analyse_options *opt, struct diag_list *diags,
		   struct analyse_result *res, struct parity_error *err)
{
	struct import_options iopt;
	struct analysis a;
	int status = -1, rc;

	memset(res, 0, sizeof(*res));
	memset(&iopt, 0, sizeof(iopt));
	iopt.kind = STORE_WORKFORCE;
	iopt.path = opt->path;
	iopt.area = opt->area;
	iopt.year = opt->year;
	iopt.classifier = opt->classifier;
	iopt.areas = opt->areas;
	if (sodium_init() < 0)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"libsodium could not be initialised");
	analysis_init(&a, opt, &iopt, diags);
	if (import_resolve_options(&a.head, err) < 0)
		goto out;
	rc = analysis_open(&a) ? fast_path(&a, diags, res, err) : 0;
	if (rc < 0)
		goto out;
	if (rc == 0) {
		/* start again, one pass, exactly as an import checks */
		diag_list_release(diags);
		diag_list_init(diags);
		analyse_result_release(res);
		status = single_pass(&iopt, opt, diags, res, err);
		goto out;
	}
	status = 0;
out:
	analysis_free(&a);
	return status;
}

int import_parallel(struct store *s, const struct import_options *opt,
		    struct diag_list *diags, struct import_result *res,
		    struct parity_error *err)
{
	struct analyse_options aopt;
	struct analysis a;
	struct import writer;
	int status = -1, rc;

	memset(&aopt, 0, sizeof(aopt));
	aopt.path = opt->path;
	aopt.area = opt->area;
	aopt.year = opt->year;
	aopt.classifier = opt->classifier;
	aopt.areas = opt->areas;
	analysis_init(&a, &aopt, opt, diags);
	state_init(&writer, &aopt, opt, diags);
	writer.store = s;
	a.writer = &writer;
	/* a file of a block or two (a borough's return) gains nothing from
	 * threads, and its import is quicker in the single pass */
	if (opt->kind != STORE_WORKFORCE || !analysis_open(&a) ||
	    a.size < 2 * BLOCK_BYTES) {
		status = 0;
		goto out;
	}
	if (file_digest_init(&a.sha, err) < 0)
		goto out;
	a.hashing = true;
	if (import_resolve_options(&a.head, err) < 0)
		goto out;
	if (store_begin(s, err) < 0)
		goto out;
	rc = fast_path(&a, diags, NULL, err);
	if (rc <= 0) {
		store_rollback(s);
		if (rc == 0) {
			diag_list_release(diags);
			diag_list_init(diags);
		}
		status = rc;
		goto out;
	}
	res->rows = a.head.rows;
	if (file_digest_final(&a.sha, res->sha256, err) < 0) {
		store_rollback(s);
		goto out;
	}
	diag_list_sort(diags);
	if (import_conclude(&writer, res, err) < 0) {
		store_rollback(s);
		goto out;
	}
	status = 1;
out:
	import_state_free(&writer);
	analysis_free(&a);
	return status;
}

void analyse_result_release(struct analyse_result *res)
{
	size_t k;
	int e;

	for (k = 0; k < res->count; k++)
		for (e = 0; e < ETH_COUNT; e++)
			free(res->aggs[k].pay[e]);
	free(res->aggs);
	free(res->areas);
	memset(res, 0, sizeof(*res));
}
