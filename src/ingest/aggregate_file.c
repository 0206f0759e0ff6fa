/*
 * aggregate_file.c - an aggregate return's file read into its importer's
 * callbacks (see aggregate_file.h).
 */
#include "ingest/aggregate_file.h"

#include "base/alloc.h"

#include <stdbool.h>
#include <stdlib.h>

static void sha_tap(void *ctx, const void *data, size_t len)
{
	file_digest_update(ctx, data, len);
}

int aggregate_file_read(const char *path,
			const struct aggregate_file_calls *calls,
			struct diag_list *diags, char **file_name,
			char hex[FILE_DIGEST_HEX], struct parity_error *err)
{
	struct parity_error read_err = PARITY_ERROR_INIT;
	struct file_digest sha;
	struct csv_reader *reader;
	struct csv_row row;
	bool header = true;
	long last = 0;
	int rc;

	*file_name = NULL;
	if (csv_reader_open_file(&reader, path, err) < 0)
		return -1;
	/* the name outlives the reader: the importer's messages use it */
	*file_name = xstrdup(csv_reader_name(reader));
	if (file_digest_init(&sha, err) < 0) {
		csv_reader_free(reader);
		return -1;
	}
	csv_reader_set_tap(reader, sha_tap, &sha);
	while ((rc = csv_reader_next(reader, &row, &read_err)) > 0) {
		last = row.line;
		if (header) {
			calls->header(calls->ctx, &row,
				      csv_reader_delimiter(reader));
			header = false;
			if (diags->errors)
				break;
			continue;
		}
		calls->row(calls->ctx, &row);
	}
	if (rc < 0) {
		if (read_err.code == PARITY_ERR_IO && read_err.line == 0) {
			*err = read_err;
			csv_reader_free(reader);
			file_digest_free(&sha);
			return -1;
		}
		diag_add_error(diags, &read_err);
	}
	if (rc >= 0 && header)
		diag_add(diags, DIAG_ERROR, *file_name, 1, 1, "the file is "
			 "empty: %s starts with a header row", calls->kind);
	else if (rc >= 0 && !diags->errors && calls->rows(calls->ctx) == 0)
		diag_add(diags, DIAG_ERROR, *file_name, last + 1, 1,
			 "the file has a header but no rows");
	if (rc == 0 &&
	    csv_reader_encoding(reader) == CSV_ENCODING_WINDOWS_1252)
		diag_add(diags, DIAG_WARNING, *file_name,
			 csv_reader_windows_1252_line(reader), 0,
			 "the file is not UTF-8: it was read as Windows-1252; "
			 "save it as 'CSV UTF-8' to be sure of every "
			 "character");
	csv_reader_free(reader);
	return file_digest_final(&sha, hex, err);
}
