/*
 * cmd_practice.c - `parity practice`: the central resource pool of good
 * practice from the command line (practice/practice.h, search.h,
 * docs/formats/practice.md): add a council's record (every problem in the
 * file located), list, search with filters and counts, show one with its
 * related practice, approve or return a version, attach a document to
 * a version waiting for moderation or remove one (practice/attachment.h),
 * and load the starter set. The command line acts as cli:USER; each
 * change is in the audit log.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"
#include "practice_cli.h"
#include "standard_cli.h"

#include "base/diag.h"
#include "base/number.h"
#include "base/strbuf.h"
#include "domain/area.h"
#include "hub/accounts.h"
#include "practice/practice.h"
#include "practice/search.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
	"usage: parity practice add --area CODE [--record N] FILE.json\n"
	"       parity practice list [--area CODE] [--approved]\n"
	"       parity practice search [WORDS] [--area CODE] [--subregion AREA]\n"
	"                       [--strand S] [--service-area A] [--tag T]\n"
	"                       [--status S] [--limit N] [--format F]\n"
	"       parity practice show ID [--related]\n"
	"       parity practice attach ID FILE\n"
	"       parity practice detach ID N\n"
	"       parity practice approve ID\n"
	"       parity practice return ID --comment TEXT\n"
	"       parity practice starter\n"
	"   (each also takes [--db PATH])\n"
	"\n"
	"The central resource pool of good practice (docs/formats/practice.md).\n"
	"add reads a council's practice record (or a list of them) from\n"
	"FILE.json, lists every problem by line and column, and stores it as\n"
	"submitted for --area, one of its lead councils; with --record N, as\n"
	"the next version of record N (after it was returned, or to update\n"
	"it). approve makes a version what readers see and search; return\n"
	"sends it back with --comment saying what to change. Only approved\n"
	"records are seen beyond their council. list shows the newest version\n"
	"of each record (--approved: the newest approved). search finds\n"
	"approved records: words are stemmed (mentors finds mentoring),\n"
	"\"a phrase\" is kept whole and word* is a prefix; titles count most.\n"
	"The filters combine with the words, and the counts of the results\n"
	"for each value follow them. show prints a version with its\n"
	"documents, and with --related the practice most like it. attach\n"
	"adds a document to version ID while it waits for moderation: a PDF,\n"
	"DOCX or XLSX of at most 10 MiB, checked by its content (not its\n"
	"name); a PDF with scripts or embedded files, a document with\n"
	"macros, an encrypted one or a zip bomb is refused. Its name is\n"
	"FILE's, without folders. detach removes document N. A version's\n"
	"documents are seen as the version is, and the next version starts\n"
	"with them. starter loads the examples\n"
	"written for parity (data/practice/practice-starter.json) as approved\n"
	"records, once.\n"
	"\n"
	"options:\n"
	"  --area CODE          a council, by code or name\n"
	"  --subregion AREA     Inner London or Outer London (code or name)\n"
	"  --strand S           leadership, employer or services\n"
	"  --service-area A     hr, education, youth-justice, policing,\n"
	"                       housing, public-health, social-care,\n"
	"                       procurement, community, other\n"
	"  --tag T              a tag\n"
	"  --status S           idea, pilot, established, evaluated\n"
	"  --limit N            at most N results (default 20)\n"
	"  --format F           table (the default), csv or json\n"
	"  --db PATH            the store (default: $PARITY_DB, else parity.db)\n";

static const struct cli_action actions[] = {
	{ "add", 1 }, { "list", 0 }, { "search", 0 }, { "show", 1 },
	{ "approve", 1 }, { "return", 1 }, { "starter", 0 }, { "attach", 2 },
	{ "detach", 2 }, { NULL, 0 }
};
enum { ADD, LIST, SEARCH, SHOW, APPROVE, RETURN, STARTER, ATTACH, DETACH };

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

static int add(struct cli_env *env, const char *path, const char *area,
	       int64_t record)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct practice_record *r = NULL;
	struct practice_cli c;
	char code[16];
	size_t n = 0, len, k;
	char *text;
	int status;

	if (cli_council_code(env, "practice add", area, code) != CLI_OK)
		return CLI_USAGE;
	status = cli_read_whole(path, &text, &len);
	if (status != CLI_OK)
		return status;
	if (practice_parse(text, len, path, env->areas, &r, &n, &problems,
			   &err) < 0) {
		free(text);
		cli_print_diags(&problems, 100, 100);
		diag_list_release(&problems);
		return failed(&err);
	}
	free(text);
	cli_print_diags(&problems, 100, 100);
	diag_list_release(&problems);
	if (record && n != 1) {
		practice_records_free(r, n);
		return cli_usage_error("practice add: --record takes a file "
				       "of one record");
	}
	practice_cli_init(&c, env, "");
	for (k = 0; k < n; k++) {
		int64_t id;

		if (practice_submit(env->store, &r[k], code, record, &c.actor,
				    &id, &err) < 0) {
			practice_records_free(r, n);
			return failed(&err);
		}
		printf("submitted '%s' for %s as version %lld: an analyst "
		       "approves it or returns it\n", r[k].title, code,
		       (long long)id);
	}
	practice_records_free(r, n);
	return CLI_OK;
}

static void row_line(FILE *out, const struct practice_row *r)
{
	fprintf(out, "%-6lld %-6lld %-3d %-9s %-9s ", (long long)r->id,
		(long long)r->record, r->version, r->area_code, r->state);
	cli_put_cell(out, r->strand, 10);
	fputc(' ', out);
	cli_put_cell(out, r->service_area, 13);
	fputc(' ', out);
	cli_put_cell(out, r->title, 0);
	fputc('\n', out);
}

static int list(struct cli_env *env, const char *area, bool approved)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_row *rows;
	struct cli_view view;
	char code[16];
	size_t n, k;

	if (area && cli_council_code(env, "practice list", area, code) !=
			    CLI_OK)
		return CLI_USAGE;
	if (practice_store_list(env->store, area ? code : NULL, approved,
				&rows, &n, &err) < 0)
		return failed(&err);
	if (!cli_view_open(&view)) {
		practice_rows_free(rows, n);
		return CLI_FAILURE;
	}
	if (n == 0)
		fputs("(no practice records)\n", view.file);
	else
		fprintf(view.file, "%-6s %-6s %-3s %-9s %-9s %-10s %-13s %s\n",
			"id", "record", "v", "council", "state", "strand",
			"service area", "title");
	for (k = 0; k < n; k++)
		row_line(view.file, &rows[k]);
	practice_rows_free(rows, n);
	if (cli_view_close(&view, stdout, &err) < 0)
		return failed(&err);
	return CLI_OK;
}

/* A snippet with its matched words in [brackets] for a terminal. */
static void snippet_put(FILE *out, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\x01' ? '[' : *s == '\x02' ? ']' : *s, out);
}

static int results_json(const struct practice_results *res)
{
	json_t *doc = json_object(), *hits = json_array(), *facets = json_array();
	bool ok = doc && hits && facets;
	size_t k;

	for (k = 0; k < res->count && ok; k++) {
		const struct practice_hit *h = &res->hits[k];
		json_t *o = json_object();

		ok = o && cli_json_set_int(o, "id", h->row.id) &&
		     cli_json_set_int(o, "record", h->row.record) &&
		     cli_json_set_int(o, "version", h->row.version) &&
		     cli_json_set_text(o, "title", h->row.title) &&
		     cli_json_set_text(o, "council", h->row.area_code) &&
		     cli_json_set_text(o, "strand", h->row.strand) &&
		     cli_json_set_text(o, "service_area",
				       h->row.service_area) &&
		     cli_json_set_text(o, "status", h->row.status) &&
		     json_object_set_new(o, "example",
					 json_boolean(h->row.example)) == 0;
		if (ok && h->snippet) {
			struct strbuf sb = STRBUF_INIT;
			const char *p;

			for (p = h->snippet; *p; p++)
				strbuf_addstr(&sb, *p == '\x01' ? "<mark>"
						   : *p == '\x02' ? "</mark>"
								  : (char[2]){ *p, 0 });
			ok = cli_json_set_text(o, "snippet", sb.buf);
			strbuf_release(&sb);
		}
		ok = ok && json_array_append_new(hits, o) == 0;
	}
	for (k = 0; k < res->nfacets && ok; k++) {
		json_t *o = json_object();

		ok = o && cli_json_set_text(o, "filter",
					    res->facets[k].filter) &&
		     cli_json_set_text(o, "value", res->facets[k].value) &&
		     cli_json_set_int(o, "count",
				      (long long)res->facets[k].count) &&
		     json_array_append_new(facets, o) == 0;
	}
	ok = ok && cli_json_set_int(doc, "total", (long long)res->total) &&
	     json_object_set_new(doc, "results", hits) == 0 &&
	     json_object_set_new(doc, "counts", facets) == 0;
	return cli_json_put(doc, ok, "practice search");
}

static int results_csv(const struct practice_results *res)
{
	size_t k;

	fputs("rank,id,record,version,council,strand,service_area,status,"
	      "title\n", stdout);
	for (k = 0; k < res->count; k++) {
		const struct practice_row *r = &res->hits[k].row;
		char num[32];

		snprintf(num, sizeof(num), "%zu", k + 1);
		cli_csv_put(num, true);
		snprintf(num, sizeof(num), "%lld", (long long)r->id);
		cli_csv_put(num, false);
		snprintf(num, sizeof(num), "%lld", (long long)r->record);
		cli_csv_put(num, false);
		snprintf(num, sizeof(num), "%d", r->version);
		cli_csv_put(num, false);
		cli_csv_put(r->area_code, false);
		cli_csv_put(r->strand, false);
		cli_csv_put(r->service_area, false);
		cli_csv_put(r->status, false);
		cli_csv_put(r->title, false);
		fputc('\n', stdout);
	}
	return CLI_OK;
}

static int results_table(const struct cli_env *env,
			 const struct practice_results *res)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct cli_view view;
	const char *filter = "";
	size_t k;

	if (!cli_view_open(&view))
		return CLI_FAILURE;
	fprintf(view.file, "%zu result%s", res->total,
		res->total == 1 ? "" : "s");
	if (res->count < res->total)
		fprintf(view.file, " (the first %zu shown)", res->count);
	fputs("\n", view.file);
	for (k = 0; k < res->count; k++) {
		const struct practice_hit *h = &res->hits[k];

		fprintf(view.file, "\n%zu. ", k + 1);
		cli_put_cell(view.file, h->row.title, 0);
		fprintf(view.file, " (record %lld; sent by %s; %s, %s%s)\n",
			(long long)h->row.record,
			area_find(env->areas, h->row.area_code) >= 0
				? env->areas->areas[area_find(
					  env->areas, h->row.area_code)].name
				: h->row.area_code,
			h->row.strand, h->row.service_area,
			h->row.example ? "; an example" : "");
		if (h->snippet) {
			fputs("   ", view.file);
			snippet_put(view.file, h->snippet);
			fputc('\n', view.file);
		}
	}
	for (k = 0; k < res->nfacets; k++) {
		if (strcmp(filter, res->facets[k].filter) != 0) {
			filter = res->facets[k].filter;
			fprintf(view.file, "\n%s:", filter);
		}
		int a = strcmp(filter, "council") == 0
				? area_find(env->areas, res->facets[k].value)
				: -1;

		fprintf(view.file, " %s (%zu)%s",
			a >= 0 ? env->areas->areas[a].name
			       : res->facets[k].value,
			res->facets[k].count,
			k + 1 < res->nfacets &&
				strcmp(res->facets[k + 1].filter, filter) == 0
				? ","
				: "");
	}
	if (res->nfacets)
		fputc('\n', view.file);
	if (cli_view_close(&view, stdout, &err) < 0)
		return failed(&err);
	return CLI_OK;
}

/* The documents of version `id`: 0, or -1 (reported). */
static int documents(struct cli_env *env, int64_t id)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_attachment_row *docs;
	size_t n, k;

	if (practice_attachment_list(env->store, id, &docs, &n, &err) < 0) {
		cli_report(&err);
		return -1;
	}
	printf("documents:%s\n", n ? "" : " none");
	for (k = 0; k < n; k++) {
		printf("  %d. ", docs[k].n);
		cli_put_cell(stdout, docs[k].name, 0);
		printf(" (%s, %lld bytes, sha256 %s), added by ",
		       attachment_type_label(attachment_type_parse(
			       docs[k].type)),
		       (long long)docs[k].size, docs[k].sha256);
		cli_put_cell(stdout, docs[k].added_by, 0);
		fputc('\n', stdout);
	}
	practice_attachment_rows_free(docs, n);
	return 0;
}

/* Attach FILE to version `id`, named as FILE is, without its folders. */
static int attach(struct cli_env *env, int64_t id, const char *path)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attachment_verdict v;
	struct practice_cli c;
	size_t len;
	char *data;
	int n, status;

	status = cli_read_whole(path, &data, &len);
	if (status != CLI_OK)
		return status;
	practice_cli_init(&c, env, "");
	if (practice_attach(env->store, id, path, data, len,
			    ATTACHMENT_MAX_DEFAULT, &c.actor, &v, &n,
			    &err) < 0) {
		free(data);
		/* a refused document is the input's problem: name the file */
		if (err.code == PARITY_ERR_VALIDATION &&
		    v.refusal != ATTACHMENT_ACCEPTED)
			snprintf(err.file, sizeof(err.file), "%s", path);
		return failed(&err);
	}
	free(data);
	printf("attached %s (%s, %zu bytes) to version %lld as document %d\n",
	       v.name, attachment_type_label(v.type), len, (long long)id, n);
	return CLI_OK;
}

static int show(struct cli_env *env, int64_t id, bool related)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_row row;
	struct practice_results rel;
	size_t k;
	int rc = practice_store_get(env->store, id, &row, &err);

	if (rc < 0)
		return failed(&err);
	if (rc == 0) {
		parity_error_set(&err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "practice show: there is no version %lld",
				 (long long)id);
		return failed(&err);
	}
	printf("version %lld of record %lld (version %d), %s, sent by %s: "
	       "%s\n", (long long)row.id, (long long)row.record, row.version,
	       row.area_code, row.submitted_by, row.state);
	if (row.comments)
		printf("returned with: %s\n", row.comments);
	fputs(row.body, stdout);
	fputc('\n', stdout);
	if (documents(env, row.id) < 0) {
		practice_row_release(&row);
		return CLI_FAILURE;
	}
	if (related && strcmp(row.state, "approved") == 0) {
		if (practice_related(env->store, row.record, 5, &rel, &err) <
		    0) {
			practice_row_release(&row);
			return failed(&err);
		}
		printf("related practice:%s\n", rel.count ? "" : " none");
		for (k = 0; k < rel.count; k++)
			printf("  record %lld: %s\n",
			       (long long)rel.hits[k].row.record,
			       rel.hits[k].row.title);
		practice_results_release(&rel);
	}
	practice_row_release(&row);
	return CLI_OK;
}

int cmd_practice(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "subregion", required_argument, NULL, 'R' },
		{ "strand", required_argument, NULL, 's' },
		{ "service-area", required_argument, NULL, 'S' },
		{ "tag", required_argument, NULL, 't' },
		{ "status", required_argument, NULL, 'u' },
		{ "limit", required_argument, NULL, 'l' },
		{ "record", required_argument, NULL, 'r' },
		{ "comment", required_argument, NULL, 'c' },
		{ "approved", no_argument, NULL, 'A' },
		{ "related", no_argument, NULL, 'L' },
		{ "format", required_argument, NULL, 'f' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_query q;
	struct practice_results res;
	struct practice_cli c;
	enum output_format fmt = OUTPUT_TABLE;
	const char *comment = NULL;
	long record = 0, limit = 20, id = 0, doc = 0;
	bool approved = false, related = false;
	int opt, action, status, rc;
	struct strbuf words = STRBUF_INIT;

	memset(&q, 0, sizeof(q));
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'a': q.area_code = optarg; break;
		case 'R': q.subregion = optarg; break;
		case 's': q.strand = optarg; break;
		case 'S': q.service_area = optarg; break;
		case 't': q.tag = optarg; break;
		case 'u': q.status = optarg; break;
		case 'l':
			if (number_parse_int(optarg, 1, 1000, &limit) < 0)
				return cli_usage_error("practice: --limit must "
						       "be from 1 to 1000, not "
						       "'%s'", optarg);
			break;
		case 'r':
			if (number_parse_int(optarg, 1, INT64_MAX / 2,
					     &record) < 0)
				return cli_usage_error("practice: --record must "
						       "be a record's number, "
						       "not '%s'", optarg);
			break;
		case 'c': comment = optarg; break;
		case 'A': approved = true; break;
		case 'L': related = true; break;
		case 'f':
			if (cli_format_parse("practice", optarg, true, &fmt) !=
			    CLI_OK)
				return CLI_USAGE;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	/* search takes any number of words; the others their own */
	action = optind < argc && strcmp(argv[optind], "search") == 0
			 ? SEARCH
			 : cli_action_find(actions, argc, argv, optind,
					   usage_text);
	if (action < 0)
		return CLI_USAGE;
	if ((action == SHOW || action == APPROVE || action == RETURN ||
	     action == ATTACH || action == DETACH) &&
	    number_parse_int(argv[optind + 1], 1, INT64_MAX / 2, &id) < 0)
		return cli_usage_error("practice %s: '%s' is not a version's "
				       "number", actions[action].name,
				       argv[optind + 1]);
	if (action == DETACH &&
	    number_parse_int(argv[optind + 2], 1, 9999, &doc) < 0)
		return cli_usage_error("practice detach: '%s' is not a "
				       "document's number", argv[optind + 2]);
	if (action == RETURN && !comment)
		return cli_usage_error("practice return: --comment says what "
				       "to change");
	if (action == ADD && !q.area_code)
		return cli_usage_error("practice add: --area names the "
				       "council sending it");
	status = cli_env_open(env, CLI_NEED_AREAS |
					   (action == LIST || action == SEARCH ||
					    action == SHOW
						    ? CLI_NEED_STORE_READ
						    : CLI_NEED_STORE));
	if (status != CLI_OK)
		return status;
	switch (action) {
	case ADD:
		return add(env, argv[optind + 1], q.area_code, record);
	case LIST:
		return list(env, q.area_code, approved);
	case SHOW:
		return show(env, id, related);
	case ATTACH:
		return attach(env, id, argv[optind + 2]);
	case DETACH:
		practice_cli_init(&c, env, "");
		if (practice_detach(env->store, id, (int)doc, &c.actor, &err) <
		    0)
			return failed(&err);
		printf("removed document %ld of version %ld\n", doc, id);
		return CLI_OK;
	case SEARCH:
		for (rc = optind + 1; rc < argc; rc++)
			strbuf_addf(&words, "%s%s", rc > optind + 1 ? " " : "",
				    argv[rc]);
		q.text = words.buf;
		q.limit = (size_t)limit;
		rc = practice_search(env->store, env->areas, &q, &res, &err);
		strbuf_release(&words);
		if (rc < 0)
			return failed(&err);
		status = fmt == OUTPUT_JSON  ? results_json(&res)
			 : fmt == OUTPUT_CSV ? results_csv(&res)
					     : results_table(env, &res);
		practice_results_release(&res);
		return status;
	case APPROVE:
	case RETURN:
		practice_cli_init(&c, env, "");
		rc = action == APPROVE
			     ? practice_approve(env->store, id, &c.actor, &err)
			     : practice_return(env->store, id, comment,
					       &c.actor, &err);
		if (rc < 0)
			return failed(&err);
		printf("version %ld %s\n", id,
		       action == APPROVE ? "approved: readers see and search "
					   "it"
					 : "returned to its council with the "
					   "comments");
		return CLI_OK;
	case STARTER: {
		size_t added;

		practice_cli_init(&c, env, "");
		if (practice_load_starter(env->store, env->areas, &c.actor,
					  &added, &err) < 0)
			return failed(&err);
		printf("the starter set: %zu example record%s added and "
		       "approved (examples written for parity, not councils' "
		       "accounts)\n", added, added == 1 ? "" : "s");
		return CLI_OK;
	}
	}
	return CLI_USAGE;
}
