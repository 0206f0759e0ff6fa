/*
 * returns.c - the entry points for workforce and recruitment returns
 * (returns.h): import_return() and analyse_return(), each taking a large
 * regular file through the parallel reader first (parallel.h) and anything
 * else, or anything the reader gives way on, through the single pass here.
 *
 * The row checker (check.h) does the checking on both paths; this file
 * owns the run around it: the file opened and hashed, the store's
 * transaction begun and rolled back, the progress reported, the problems
 * of the whole file (empty, no rows, Windows-1252), and the writer that
 * the parallel reader hands checked rows to for an import.
 */
#include "ingest/returns.h"

#include "base/alloc.h"
#include "base/csv.h"
#include "base/sha256.h"
#include "ingest/check.h"
#include "ingest/parallel.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- the single pass ---- */

/* One pass over a file with one checker. */
struct pass {
	struct checker *ck;
	struct csv_reader *reader;
	const struct import_options *opt;
	struct diag_list *diags;
	const char *file;
	long rows;
	long cp1252_line, cp1252_column; /* the first value that needed
					  * Windows-1252 */
};

/* Note where Windows-1252 was first needed: the field holding the first
 * such character, when the row has just one line. */
static void note_windows_1252(struct pass *p, const struct csv_row *row)
{
	long line = csv_reader_windows_1252_line(p->reader), column = 0;
	size_t k, i;

	if (p->cp1252_line || line == 0)
		return;
	if (line == row->line)
		for (k = 0; k < row->count && !column; k++)
			for (i = 0; i < row->fields[k].len; i++)
				if ((unsigned char)row->fields[k].text[i] >= 0x80) {
					column = row->fields[k].column;
					break;
				}
	p->cp1252_line = line;
	p->cp1252_column = column;
}

/* A file read as Windows-1252 (and not refused for mixing encodings). */
static void warn_windows_1252(struct pass *p)
{
	if (!p->cp1252_line ||
	    csv_reader_encoding(p->reader) != CSV_ENCODING_WINDOWS_1252)
		return;
	diag_add(p->diags, DIAG_WARNING, p->file, p->cp1252_line,
		 p->cp1252_column,
		 "the file is not UTF-8: it was read as Windows-1252, which "
		 "this field is the first to need; save the file as 'CSV "
		 "UTF-8' to be sure of every character");
}

static void progress(const struct pass *p)
{
	p->opt->progress(p->opt->progress_ctx, p->rows,
			 csv_reader_bytes_read(p->reader),
			 csv_reader_size(p->reader));
}

/* Read and check every row; -1 only when the store or the file fails. */
static int read_rows(struct pass *p, struct parity_error *err)
{
	struct parity_error read_err = PARITY_ERROR_INIT;
	struct csv_row row;
	bool header = true;
	long last_line = 0;
	int rc;

	while ((rc = csv_reader_next(p->reader, &row, &read_err)) > 0) {
		last_line = row.line;
		note_windows_1252(p, &row);
		if (header) {
			(void)checker_header(p->ck, &row, p->file,
					     csv_reader_delimiter(p->reader));
			header = false;
			continue;
		}
		p->rows++;
		if (checker_row(p->ck, &row, err) < 0)
			return -1;
		if (p->opt->progress && (p->rows & 4095) == 0)
			progress(p);
	}
	if (rc < 0) {
		if (read_err.code == PARITY_ERR_IO && read_err.line == 0) {
			*err = read_err;
			return -1;
		}
		diag_add_error(p->diags, &read_err);
		return 0;
	}
	warn_windows_1252(p);
	if (p->opt->progress)
		progress(p);
	if (header)
		diag_add(p->diags, DIAG_ERROR, p->file, 1, 1,
			 "the file is empty: a return starts with a header "
			 "row");
	else if (p->rows == 0)
		diag_add(p->diags, DIAG_ERROR, p->file, last_line + 1, 1,
			 "the file has a header but no rows");
	checker_finish(p->ck);
	return 0;
}

/* A pass over `opt->path` with a checker (given store `s`, or NULL). -1
 * when the options are wrong or the file cannot be opened; release with
 * pass_release() either way. */
static int pass_open(struct pass *p, const struct import_options *opt,
		     struct store *s, struct diag_list *diags,
		     struct parity_error *err)
{
	memset(p, 0, sizeof(*p));
	p->opt = opt;
	p->diags = diags;
	p->ck = checker_create(opt, s, diags, err);
	if (!p->ck || csv_reader_open_file(&p->reader, opt->path, err) < 0)
		return -1;
	p->file = csv_reader_name(p->reader);
	return 0;
}

static void pass_release(struct pass *p)
{
	checker_free(p->ck);
	csv_reader_free(p->reader);
}

static void sha_tap(void *ctx, const void *data, size_t len)
{
	file_digest_update(ctx, data, len);
}

/* The whole file in one pass, into the store's open transaction: the
 * import, when the parallel reader does not take it. */
static int import_single_pass(struct store *s,
			      const struct import_options *opt,
			      struct diag_list *diags, struct import_result *res,
			      struct parity_error *err)
{
	struct pass p;
	struct file_digest sha;
	int status = -1;

	memset(&sha, 0, sizeof(sha));
	if (pass_open(&p, opt, s, diags, err) < 0)
		goto out;
	if (file_digest_init(&sha, err) < 0)
		goto out;
	csv_reader_set_tap(p.reader, sha_tap, &sha);
	if (store_begin(s, err) < 0)
		goto out;
	if (read_rows(&p, err) < 0)
		goto rollback;
	res->rows = p.rows;
	if (file_digest_final(&sha, res->sha256, err) < 0)
		goto rollback;
	diag_list_sort(diags);
	if (diags->errors > 0) {
		parity_error_set(err, PARITY_ERR_VALIDATION, p.file, 0, 0,
				 "%zu error%s: nothing was stored",
				 diags->errors, diags->errors == 1 ? "" : "s");
		/* nothing of the return stays; only the labels it refused,
		 * with their counts, are kept for `parity labels` */
		store_rollback(s);
		checker_keep_refused_labels(p.ck);
		goto out;
	}
	if (checker_conclude(p.ck, csv_reader_encoding(p.reader) ==
					   CSV_ENCODING_WINDOWS_1252
				       ? "Windows-1252" : "UTF-8",
			     res, err) < 0)
		goto rollback;
	status = 0;
	goto out;
rollback:
	store_rollback(s);
out:
	pass_release(&p);
	file_digest_free(&sha);
	return status;
}

/* ---- an import on every core ---- */

/* The parallel reader's writer for an import: each block's checked rows
 * stored by the head checker, in the import's one transaction. */
struct store_writer {
	struct checker *ck;
	const struct import_options *opt;
	long rows;
};

static int store_block(void *ctx, const struct checked_rows *rows,
		       uint64_t bytes, uint64_t size, struct parity_error *err)
{
	struct store_writer *w = ctx;
	long n = checker_store_rows(w->ck, rows, err);

	if (n < 0)
		return -1;
	w->rows += n;
	if (w->opt->progress)
		w->opt->progress(w->opt->progress_ctx, w->rows, bytes, size);
	return 0;
}

/*
 * A workforce return in a regular file of a few blocks or more, checked
 * on every core: 1 when done, as the single pass would have done it; 0
 * when the file needs the single pass, with nothing stored and `diags`
 * emptied; -1 when the options, the store or the file fail.
 */
static int import_parallel(struct store *s, const struct import_options *opt,
			   struct diag_list *diags, struct import_result *res,
			   struct parity_error *err)
{
	struct parallel_reader *r = NULL;
	struct store_writer w;
	struct parallel_writer writer = { store_block, &w };
	struct checker *head = NULL;
	int status = -1, rc;

	/* a file of a block or two (a borough's return) gains nothing from
	 * threads, and its import is quicker in the single pass */
	if (opt->kind != STORE_WORKFORCE ||
	    !(r = parallel_open(opt->path, 0, 2)))
		return 0;
	head = checker_create(opt, s, diags, err);
	if (!head)
		goto out;
	memset(&w, 0, sizeof(w));
	w.ck = head;
	w.opt = opt;
	if (store_begin(s, err) < 0)
		goto out;
	rc = parallel_check(r, head, &writer, res->sha256, &res->rows, err);
	if (rc <= 0) {
		store_rollback(s);
		if (rc == 0) {
			diag_list_release(diags);
			diag_list_init(diags);
			res->rows = 0;
			memset(res->sha256, 0, sizeof(res->sha256));
		}
		status = rc;
		goto out;
	}
	diag_list_sort(diags);
	if (checker_conclude(head, "UTF-8", res, err) < 0) {
		store_rollback(s);
		goto out;
	}
	status = 1;
out:
	checker_free(head);
	parallel_close(r);
	return status;
}

int import_return(struct store *s, const struct import_options *opt,
		  struct diag_list *diags, struct import_result *res,
		  struct parity_error *err)
{
	int rc;

	memset(res, 0, sizeof(*res));
	if (sodium_init() < 0)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"libsodium could not be initialised");
	/* a workforce return in a regular file is checked on every core;
	 * anything unusual comes back here for the single pass */
	rc = import_parallel(s, opt, diags, res, err);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	return import_single_pass(s, opt, diags, res, err);
}

void import_result_release(struct import_result *res)
{
	size_t k;

	for (k = 0; k < res->count; k++)
		quality_release(&res->subs[k].quality);
	free(res->subs);
	memset(res, 0, sizeof(*res));
}

/* ---- analysing without a store ---- */

/* The checker's one pass, with exact pseudonyms under a key of the run. */
static int analyse_single_pass(const struct import_options *iopt,
			       struct diag_list *diags,
			       struct analyse_result *res,
			       struct parity_error *err)
{
	struct pass p;
	int status = -1;

	res->single_pass = true;
	if (pass_open(&p, iopt, NULL, diags, err) < 0)
		goto out;
	if (read_rows(&p, err) < 0)
		goto out;
	res->rows = p.rows;
	diag_list_sort(diags);
	if (diags->errors > 0) {
		parity_error_set(err, PARITY_ERR_VALIDATION, p.file, 0, 0,
				 "%zu error%s: nothing was analysed",
				 diags->errors, diags->errors == 1 ? "" : "s");
		goto out;
	}
	checker_aggregates(p.ck, res);
	status = 0;
out:
	pass_release(&p);
	return status;
}

int analyse_return(const struct analyse_options *opt, struct diag_list *diags,
		   struct analyse_result *res, struct parity_error *err)
{
	struct import_options iopt;
	struct parallel_reader *r;
	struct checker *head;
	int status = -1, rc = 0;

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
	head = checker_create(&iopt, NULL, diags, err);
	if (!head)
		return -1;
	r = parallel_open(opt->path, opt->threads, 0);
	if (r)
		rc = parallel_check(r, head, NULL, NULL, &res->rows, err);
	parallel_close(r);
	if (rc > 0) {
		diag_list_sort(diags);
		checker_aggregates(head, res);
		status = 0;
	}
	checker_free(head);
	if (rc == 0) {
		/* start again, one pass, exactly as an import checks */
		diag_list_release(diags);
		diag_list_init(diags);
		analyse_result_release(res);
		status = analyse_single_pass(&iopt, diags, res, err);
	}
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
