/*
 * cmd_classify.c - `parity classify`: read ethnicity labels and print the
 * category each one is, at the level asked for.
 *
 * Owns the command's options, reading the labels (plain lines, or one
 * column of a CSV file) and writing the CSV result. The matching itself is
 * domain/ethnicity.c's. Every label that cannot be classified is reported
 * on stderr with its line and left out of stdout, so that the output only
 * ever holds rows that are right; the exit status then says so. A label
 * is echoed as csv_write_field() writes text: a label a spreadsheet would
 * take for a formula ('=1+1') begins with a single quote.
 */
#include "cli.h"

#include "base/csv.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "domain/ethnicity.h"
#include "store/store.h"
#include "table/render.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

struct classify_run {
	const struct ethnicity_classifier *classifier;
	enum ethnicity_level level;
	const char *name; /* the input's name in messages */
	unsigned long labels;
	unsigned long failed;
};

static void usage(FILE *out)
{
	fputs("usage: parity classify [--level LEVEL] [--aliases FILE] "
	      "[--column NAME] [--db PATH]\n"
	      "                       [--codes SYSTEM] [FILE|-]\n"
	      "\n"
	      "Classify ethnicity labels to the ONS 2021 standard for England "
	      "and print\n"
	      "one CSV row per label: label,code,category,group,level_label.\n"
	      "\n"
	      "The input is one label per line (a blank line means not known) "
	      "or, with\n"
	      "--column, one column of a CSV file. Without FILE, or with '-', "
	      "it is read\n"
	      "from standard input.\n"
	      "\n"
	      "options:\n"
	      "  -l, --level LEVEL   detailed (the default), high, "
	      "white-british-binary\n"
	      "                      or white-binary; a binary level prints "
	      "what it merges\n"
	      "                      on stderr\n"
	      "  --codes SYSTEM      read bare codes by a code list: nhs, dfe, "
	      "police-sde or\n"
	      "                      police-ode (docs/classification.md)\n"
	      "  -a, --aliases FILE  the council's own labels: a CSV file with "
	      "the header\n"
	      "                      label,category\n"
	      "  -c, --column NAME   read the labels from this column of a CSV "
	      "file\n"
	      "      --db PATH       read labels with the alias register of "
	      "this store too\n"
	      "                      (before --aliases), as imports into it "
	      "do\n"
	      "  -h, --help          print this help\n"
	      "\n"
	      "A label that cannot be classified is reported on stderr as "
	      "FILE:LINE: MESSAGE\n"
	      "and left out of the output, and the exit status is then 1. "
	      "See\n"
	      "docs/classification.md.\n",
	      out);
}

static void put_header(void)
{
	fputs("label,code,category,group,level_label\n", stdout);
}

/*
 * The output group of a label that names only a high-level group: found
 * when every category of the group falls in the same output group at this
 * level ('Asian' at high or either binary), -1 when the level splits the
 * group ('White' at detailed or white-british-binary).
 */
static int group_only_index(enum ethnicity_group group,
			    enum ethnicity_level level, size_t *index)
{
	size_t found = SIZE_MAX;
	int id;

	for (id = 0; id < ETHNICITY_DETAILED_COUNT; id++) {
		size_t k;

		if (ethnicity_category(id)->group != group)
			continue;
		k = ethnicity_level_group(id, level);
		if (found != SIZE_MAX && k != found)
			return -1;
		found = k;
	}
	if (found == SIZE_MAX)
		return -1;
	*index = found;
	return 0;
}

static void fail(struct classify_run *run, struct parity_error *err,
		 long line, long column)
{
	err->line = line;
	err->column = column;
	snprintf(err->file, sizeof(err->file), "%s", run->name);
	cli_report(err);
	run->failed++;
}

static void classify_one(struct classify_run *run, const char *label,
			 long line, long column)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_match m;
	enum ethnicity_group group;
	const char *category;
	size_t index;

	run->labels++;
	if (ethnicity_classify(run->classifier, label, &m, &err) < 0) {
		fail(run, &err, line, column);
		return;
	}
	if (m.id >= 0) {
		group = ethnicity_category(m.id)->group;
		index = ethnicity_level_group(m.id, run->level);
	} else {
		group = m.group;
		if (group_only_index(group, run->level, &index) < 0) {
			parity_error_set(&err, PARITY_ERR_VALIDATION, NULL, 0,
					 0,
					 "ethnicity label '%.100s' names only a "
					 "high-level group (%s), which the %s "
					 "level splits; use --level high",
					 label,
					 ethnicity_group_info(group)->label,
					 ethnicity_level_name(run->level));
			fail(run, &err, line, column);
			return;
		}
	}
	category = m.id >= 0 ? ethnicity_category(m.id)->label : "";
	csv_write_field(stdout, label);
	putchar(',');
	csv_write_field(stdout, ethnicity_level_group_code(run->level, index));
	putchar(',');
	csv_write_field(stdout, category);
	putchar(',');
	csv_write_field(stdout, ethnicity_group_info(group)->label);
	putchar(',');
	csv_write_field(stdout,
			ethnicity_level_group_label(run->level, index));
	putchar('\n');
}

/* One label per line; a blank line is a label (not known). */
static int read_lines(struct classify_run *run, const char *path)
{
	struct parity_error err = PARITY_ERROR_INIT;
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int status = CLI_OK;

	if (!f) {
		parity_error_set(&err, PARITY_ERR_IO, path, 0, 0,
				 "cannot open file: %s", strerror(errno));
		cli_report(&err);
		return CLI_FAILURE;
	}
	put_header();
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *text = line;

		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (lineno == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
			text += 3; /* a UTF-8 byte-order mark */
		classify_one(run, text, lineno, 0);
	}
	if (ferror(f)) {
		parity_error_set(&err, PARITY_ERR_IO, run->name, lineno + 1, 0,
				 "read failed: %s", strerror(errno));
		cli_report(&err);
		status = CLI_FAILURE;
	}
	free(line);
	if (!is_stdin)
		fclose(f);
	return status;
}

static bool header_matches(const char *field, const char *name)
{
	size_t len = strlen(field);

	while (len > 0 && (*field == ' ' || *field == '\t')) {
		field++;
		len--;
	}
	while (len > 0 && (field[len - 1] == ' ' || field[len - 1] == '\t'))
		len--;
	return len == strlen(name) && strncasecmp(field, name, len) == 0;
}

/* The labels in one column of a CSV file. */
static int read_column(struct classify_run *run, const char *path,
		       const char *column)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct csv_reader *r;
	struct csv_row row;
	size_t col = SIZE_MAX, k;
	int got, status = CLI_OK;

	if (csv_reader_open_file(&r, path, &err) < 0) {
		cli_report(&err);
		return cli_exit_for(&err);
	}
	run->name = csv_reader_name(r);
	got = csv_reader_next(r, &row, &err);
	if (got == 0)
		parity_error_set(&err, PARITY_ERR_VALIDATION, run->name, 0, 0,
				 "the file is empty: it needs a header row "
				 "naming column '%s'", column);
	if (got <= 0)
		goto failed;
	for (k = 0; k < row.count; k++)
		if (header_matches(row.fields[k].text, column)) {
			col = k;
			break;
		}
	if (col == SIZE_MAX) {
		struct strbuf names = STRBUF_INIT;

		for (k = 0; k < row.count; k++)
			strbuf_addf(&names, "%s'%s'", k ? ", " : "",
				    row.fields[k].text);
		parity_error_set(&err, PARITY_ERR_NOT_FOUND, run->name,
				 row.line, 0,
				 "no column '%s' in the header (it has %s)",
				 column, names.buf);
		strbuf_release(&names);
		goto failed;
	}
	put_header();
	while ((got = csv_reader_next(r, &row, &err)) > 0) {
		if (col >= row.count) {
			struct parity_error short_row = PARITY_ERROR_INIT;

			parity_error_set(&short_row, PARITY_ERR_VALIDATION,
					 NULL, 0, 0,
					 "the row has %zu field%s, so no '%s' "
					 "column (field %zu)", row.count,
					 row.count == 1 ? "" : "s", column,
					 col + 1);
			run->labels++;
			fail(run, &short_row, row.line, 0);
			continue;
		}
		classify_one(run, row.fields[col].text, row.line,
			     row.fields[col].column);
	}
	if (got < 0)
		goto failed;
	if (csv_reader_encoding(r) == CSV_ENCODING_WINDOWS_1252)
		cli_message("warning: %s:%ld: the file is not UTF-8; it was "
			    "read as Windows-1252", run->name,
			    csv_reader_windows_1252_line(r));
	csv_reader_free(r);
	return status;
failed:
	cli_report(&err);
	csv_reader_free(r);
	return cli_exit_for(&err);
}

int cmd_classify(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "level", required_argument, NULL, 'l' },
		{ "aliases", required_argument, NULL, 'a' },
		{ "column", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "codes", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct classify_run run = { NULL, ETH_LEVEL_DETAILED, NULL, 0, 0 };
	const char *level = "detailed", *column = NULL;
	const char *path = "-", *note;
	int opt, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:a:c:h", options, NULL)) !=
	       -1) {
		switch (opt) {
		case 'l':
			level = optarg;
			break;
		case 'a':
			env->aliases = optarg;
			break;
		case 'c':
			column = optarg;
			break;
		case 'd':
			env->db = optarg;
			break;
		case 'C':
			if (cli_env_set_codes(env, optarg) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'h':
			usage(stdout);
			return CLI_OK;
		case ':':
			return cli_usage_error("classify: option '%s' needs a "
					       "value", argv[optind - 1]);
		default:
			if (optopt)
				return cli_usage_error("classify: unknown "
						       "option '-%c'; see "
						       "'parity classify "
						       "--help'", optopt);
			return cli_usage_error("classify: unknown option "
					       "'%s'; see 'parity classify "
					       "--help'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("classify: one input file at most; "
				       "see 'parity classify --help'");
	if (argc - optind == 1)
		path = argv[optind];
	if (ethnicity_level_parse(level, &run.level, &err) < 0)
		return cli_usage_error("classify: %s", err.message);

	/* the alias register is read only from a store named by --db */
	status = cli_env_open(env, env->needs | (env->db ? CLI_NEED_STORE_READ
							 : 0));
	if (status != CLI_OK)
		return status;
	run.classifier = env->classifier;
	run.name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	note = ethnicity_level_note(run.level);
	if (note)
		cli_message("note: %s", note);

	if (column)
		status = read_column(&run, path, column);
	else
		status = read_lines(&run, path);
	if (run.failed > 0) {
		cli_message("%lu of %lu label%s could not be classified",
			    run.failed, run.labels, run.labels == 1 ? "" : "s");
		if (status == CLI_OK)
			status = CLI_INVALID;
	}
	return status;
}
