/*
 * test_practice.c - the practice pool (practice/): a record's problems
 * located at line and column, all of them at once; a contact that reads
 * as a person's name refused; the way from submitted to returned to a
 * new version to approved, with an audit entry for each, a council kept
 * to its own area and an approved version unchangeable; search: a title
 * match outranks a passing mention, stemming, phrases and prefixes,
 * filters with counts, hostile queries made safe or refused with a
 * message; related practice by shared tags; attached documents: added by
 * the version's council while it waits, seen as the version is, refused
 * once it is moderated, carried to the next version, their bytes kept
 * once and gone with the last version that names them, each change
 * audited; Race Matters gathered, kept in the archive (one issue per
 * period, audited, not by a council) and read back whole, and dates
 * written as readers write them.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "practice/digest.h"
#include "base/strbuf.h"
#include "domain/area.h"
#include "practice/practice.h"
#include "practice/search.h"
#include "store/practice_store.h"
#include "store/store_internal.h"
#include "store/store.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fixture {
	char dir[64];
	char db[128];
	struct store *s;
	struct area_set *areas;
	char audit[32][96];
	size_t naudit;
};

static int record_audit(void *ctx, const char *action, const char *area,
			int64_t id, const char *detail,
			struct parity_error *err)
{
	struct fixture *f = ctx;

	(void)id;
	(void)detail;
	(void)err;
	if (f->naudit < 32)
		snprintf(f->audit[f->naudit++], sizeof(f->audit[0]), "%s %s",
			 action, area ? area : "");
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct parity_error err = PARITY_ERROR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-practice-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/p.db", f->dir);
	if (store_create(f->db, &err) < 0 || store_open(&f->s, f->db, &err) < 0 ||
	    area_set_load(&f->areas, &err) < 0)
		return -1;
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->s);
	area_set_free(f->areas);
	nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct practice_actor analyst(struct fixture *f)
{
	struct practice_actor a = { "analyst@londoncouncils.gov.uk", "", true,
				    1767225600, record_audit, NULL };

	a.audit_ctx = f;
	return a;
}

static struct practice_actor council(struct fixture *f, const char *area)
{
	struct practice_actor a = { "hr@council.gov.uk", area, false,
				    1767225600, record_audit, NULL };

	a.audit_ctx = f;
	return a;
}

static const char good[] =
	"{\n"
	"  \"title\": \"Mentoring for Black staff into senior roles\",\n"
	"  \"lead_councils\": [\"Brent\"],\n"
	"  \"strand\": \"employer\",\n"
	"  \"service_area\": \"hr\",\n"
	"  \"tags\": [\"Mentoring\", \"progression\"],\n"
	"  \"summary\": \"Senior leaders mentor Black staff.\",\n"
	"  \"contact_role\": \"Head of HR\",\n"
	"  \"status\": \"pilot\"\n"
	"}\n";

static void test_a_record_is_read_whole(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	struct practice_record *r;
	size_t n;

	assert_int_equal(practice_parse(good, strlen(good), "good.json",
					f->areas, &r, &n, &d, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].leads[0], "E09000005");
	assert_string_equal(r[0].tags[0], "mentoring");
	assert_false(r[0].example);
	practice_records_free(r, n);
	diag_list_release(&d);
}

static void test_every_problem_is_located(void **state)
{
	static const char bad[] =
		"{\n"
		"  \"title\": 7,\n"
		"  \"lead_councils\": [\"Atlantis\"],\n"
		"  \"strand\": \"hobbies\",\n"
		"  \"service_area\": \"hr\",\n"
		"  \"summary\": \"x\",\n"
		"  \"contact_role\": \"Jane Smith\",\n"
		"  \"status\": \"pilot\",\n"
		"  \"started\": \"2024-13\",\n"
		"  \"measures\": [{\"measure\": \"happiness\"}],\n"
		"  \"resources\": [{\"title\": \"a\", \"url\": \"http://x\"}]\n"
		"}\n";
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	struct practice_record *r;
	size_t n, k;
	const struct {
		long line, column;
		const char *says;
	} want[] = {
		{ 2, 12, "title must be text" },
		{ 3, 21, "'Atlantis' is not one of London's 33 councils" },
		{ 4, 13, "strand 'hobbies' is not one of" },
		{ 7, 19, "reads like a person's name" },
		{ 9, 14, "started must be a month" },
		{ 10, 28, "'happiness' is not a measure" },
		{ 11, 39, "url must begin https://" },
	};

	assert_int_equal(practice_parse(bad, strlen(bad), "bad.json",
					f->areas, &r, &n, &d, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_int_equal(d.errors, sizeof(want) / sizeof(want[0]));
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		assert_int_equal(d.items[k].line, want[k].line);
		assert_int_equal(d.items[k].column, want[k].column);
		assert_non_null(strstr(d.items[k].message, want[k].says));
	}
	diag_list_release(&d);
	assert_int_equal(practice_parse("[{", 2, "cut.json", f->areas, &r, &n,
					&d, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);
	diag_list_release(&d);
}

static int64_t submit(struct fixture *f, const char *text, const char *area,
		      int64_t record)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	struct practice_actor who = council(f, area);
	struct practice_record *r;
	int64_t id = 0;
	size_t n;

	assert_int_equal(practice_parse(text, strlen(text), "t.json",
					f->areas, &r, &n, &d, &err), 0);
	assert_int_equal(practice_submit(f->s, &r[0], area, record, &who, &id,
					 &err), 0);
	practice_records_free(r, n);
	diag_list_release(&d);
	return id;
}

static void test_submit_return_resubmit_approve(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_actor mod = analyst(f);
	struct practice_actor camden = council(f, "E09000007");
	struct practice_row row;
	struct practice_results res;
	struct practice_query q = { NULL, NULL, NULL, NULL, NULL, NULL, NULL,
				    0 };
	int64_t v1, v2;

	v1 = submit(f, good, "E09000005", 0);
	/* a council neither moderates nor submits for another */
	assert_int_equal(practice_approve(f->s, v1, &camden, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	assert_int_equal(practice_return(f->s, v1, " ", &mod, &err), -1);
	assert_int_equal(practice_return(f->s, v1, "Say what changed.", &mod,
					 &err), 0);
	/* returned: not seen beyond Brent, not searchable */
	assert_int_equal(practice_search(f->s, f->areas, &q, &res, &err), 0);
	assert_int_equal(res.count, 0);
	practice_results_release(&res);
	v2 = submit(f, good, "E09000005", v1);
	assert_int_equal(practice_store_get(f->s, v2, &row, &err), 1);
	assert_int_equal(row.record, v1);
	assert_int_equal(row.version, 2);
	assert_false(practice_visible(&row, &camden));
	practice_row_release(&row);
	assert_int_equal(practice_approve(f->s, v2, &mod, &err), 0);
	assert_int_equal(practice_approve(f->s, v2, &mod, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_int_equal(practice_search(f->s, f->areas, &q, &res, &err), 0);
	assert_int_equal(res.count, 1);
	assert_int_equal(res.hits[0].row.id, v2);
	assert_true(practice_visible(&res.hits[0].row, &camden));
	practice_results_release(&res);
	/* an approved version cannot be changed, even by the connection */
	assert_int_equal(
		db_exec(store_db(f->s), "UPDATE practice SET title = 'x'"), -1);
	assert_int_equal(db_exec(store_db(f->s), "DELETE FROM practice"), -1);
	assert_int_equal(f->naudit, 4);
	assert_string_equal(f->audit[0], "practice.submit E09000005");
	assert_string_equal(f->audit[1], "practice.return E09000005");
	assert_string_equal(f->audit[2], "practice.submit E09000005");
	assert_string_equal(f->audit[3], "practice.approve E09000005");
}

static void test_a_council_submits_for_its_own_area(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list d = DIAG_LIST_INIT;
	struct practice_actor camden = council(f, "E09000007");
	struct practice_record *r;
	int64_t id;
	size_t n;

	assert_int_equal(practice_parse(good, strlen(good), "t.json",
					f->areas, &r, &n, &d, &err), 0);
	assert_int_equal(practice_submit(f->s, &r[0], "E09000005", 0, &camden,
					 &id, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	/* nor for an area that is not a lead council of the record */
	assert_int_equal(practice_submit(f->s, &r[0], "E09000007", 0, &camden,
					 &id, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	practice_records_free(r, n);
	diag_list_release(&d);
}

/* A real (minimal) PDF: catalog, pages, page, and a cross-reference
 * table whose offsets are right. */
static char *minimal_pdf(const char *text, size_t *len)
{
	static const char *const objects[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	};
	struct strbuf sb = STRBUF_INIT;
	size_t at[3], k, xref;

	strbuf_addstr(&sb, "%PDF-1.4\n");
	for (k = 0; k < 3; k++) {
		at[k] = sb.len;
		strbuf_addf(&sb, "%zu 0 obj\n%s\nendobj\n", k + 1, objects[k]);
	}
	strbuf_addf(&sb, "%% %s\n", text);
	xref = sb.len;
	strbuf_addstr(&sb, "xref\n0 4\n0000000000 65535 f \n");
	for (k = 0; k < 3; k++)
		strbuf_addf(&sb, "%010zu 00000 n \n", at[k]);
	strbuf_addf(&sb, "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n"
			 "%zu\n%%%%EOF\n", xref);
	*len = sb.len;
	return strbuf_detach(&sb, NULL);
}

static int raw_count(struct fixture *f, const char *sql)
{
	struct db_stmt *st;
	int v = -1;

	assert_int_equal(db_prepare(store_db(f->s), sql, false, &st), 0);
	if (db_step(st) == DB_ROW)
		v = db_column_int(st, 0);
	db_finalize(st);
	return v;
}

static void test_attached_documents_follow_their_version(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_actor mod = analyst(f);
	struct practice_actor brent = council(f, "E09000005");
	struct practice_actor camden = council(f, "E09000007");
	struct practice_actor reader = council(f, "");
	struct practice_attachment_row *rows, one;
	struct attachment_verdict v;
	size_t len, other_len, n;
	char *pdf = minimal_pdf("outline", &len);
	char *other = minimal_pdf("evaluation", &other_len);
	int64_t v1, v2;
	int number;

	reader.by = "public";
	v1 = submit(f, good, "E09000005", 0);
	assert_int_equal(practice_attach(f->s, v1, "docs/outline.pdf", pdf,
					 len, ATTACHMENT_MAX_DEFAULT, &brent,
					 &v, &number, &err), 0);
	assert_int_equal(number, 1);
	assert_string_equal(v.name, "outline.pdf");
	/* the same bytes again are kept once */
	assert_int_equal(practice_attach(f->s, v1, "copy.pdf", pdf, len,
					 ATTACHMENT_MAX_DEFAULT, &brent, &v,
					 &number, &err), 0);
	assert_int_equal(number, 2);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM practice_file"),
			 1);
	/* refused documents are refused whole */
	assert_int_equal(practice_attach(f->s, v1, "run.pdf", "\x7f" "ELF\x02",
					 5, ATTACHMENT_MAX_DEFAULT, &brent, &v,
					 &number, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_int_equal(v.refusal, ATTACHMENT_WRONG_TYPE);
	/* another council neither sees nor changes the draft's documents */
	assert_int_equal(practice_attach(f->s, v1, "x.pdf", pdf, len,
					 ATTACHMENT_MAX_DEFAULT, &camden, &v,
					 &number, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	assert_int_equal(practice_attachments(f->s, v1, &camden, &rows, &n,
					      &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	assert_int_equal(practice_attachment(f->s, v1, 1, &reader, &one, &err),
			 -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	/* its council removes one; the analyst returns the version */
	assert_int_equal(practice_detach(f->s, v1, 2, &brent, &err), 0);
	assert_int_equal(practice_detach(f->s, v1, 2, &brent, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	assert_int_equal(practice_return(f->s, v1, "Add the evaluation.", &mod,
					 &err), 0);
	assert_int_equal(practice_attach(f->s, v1, "late.pdf", other,
					 other_len, ATTACHMENT_MAX_DEFAULT,
					 &brent, &v, &number, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_non_null(strstr(err.message, "never change"));
	assert_int_equal(practice_detach(f->s, v1, 1, &mod, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	/* version 2 starts with version 1's documents */
	v2 = submit(f, good, "E09000005", v1);
	assert_int_equal(practice_attach(f->s, v2, "evaluation.pdf", other,
					 other_len, ATTACHMENT_MAX_DEFAULT,
					 &brent, &v, &number, &err), 0);
	assert_int_equal(number, 2);
	assert_int_equal(practice_approve(f->s, v2, &mod, &err), 0);
	/* approved: everyone sees its documents, as stored */
	assert_int_equal(practice_attachments(f->s, v2, &reader, &rows, &n,
					      &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "outline.pdf");
	assert_string_equal(rows[0].type, "pdf");
	assert_int_equal(rows[0].size, (int64_t)len);
	assert_string_equal(rows[1].name, "evaluation.pdf");
	assert_null(rows[0].bytes);
	practice_attachment_rows_free(rows, n);
	assert_int_equal(practice_attachment(f->s, v2, 2, &camden, &one, &err),
			 0);
	assert_int_equal(one.size, (int64_t)other_len);
	assert_memory_equal(one.bytes, other, other_len);
	assert_int_equal(strlen(one.sha256), 64);
	practice_attachment_row_release(&one);
	assert_int_equal(practice_attachment(f->s, v2, 3, &reader, &one, &err),
			 -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	/* and the store itself refuses to change them */
	assert_int_equal(
		db_exec(store_db(f->s), "DELETE FROM practice_attachment"), -1);
	assert_int_equal(
		db_exec(store_db(f->s), "UPDATE practice_file SET size = 1"),
		-1);
	assert_int_equal(f->naudit, 8);
	assert_string_equal(f->audit[1], "practice.attach E09000005");
	assert_string_equal(f->audit[3], "practice.detach E09000005");
	free(pdf);
	free(other);
}

/* The starter set, loaded and approved, as readers find it. */
static void starter(struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_actor mod = analyst(f);
	size_t added;

	assert_int_equal(practice_load_starter(f->s, f->areas, &mod, &added,
					       &err), 0);
	assert_int_equal(added, 7);
	assert_int_equal(practice_load_starter(f->s, f->areas, &mod, &added,
					       &err), 0);
	assert_int_equal(added, 0);
}

static size_t search(struct fixture *f, const char *text,
		     struct practice_results *res)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_query q = { text, NULL, NULL, NULL, NULL, NULL, NULL,
				    0 };

	assert_int_equal(practice_search(f->s, f->areas, &q, res, &err), 0);
	return res->count;
}

static void test_search_ranks_titles_first(void **state)
{
	struct fixture *f = *state;
	struct practice_results res;

	starter(f);
	/* 'mentoring' is in one title, and in passing elsewhere? the
	 * title's record comes first */
	assert_true(search(f, "mentoring", &res) >= 1);
	assert_non_null(strstr(res.hits[0].row.title, "mentoring"));
	assert_non_null(strchr(res.hits[0].snippet, '\x01'));
	practice_results_release(&res);
	/* 'data sharing' is a title's; 'youth justice' is in two records:
	 * the one whose title has it is first */
	assert_true(search(f, "youth justice", &res) >= 2);
	assert_non_null(strstr(res.hits[0].row.title, "youth justice"));
	practice_results_release(&res);
	/* stemming: 'mentors' finds 'mentoring' */
	assert_true(search(f, "mentors", &res) >= 1);
	practice_results_release(&res);
	/* prefix and phrase */
	assert_true(search(f, "disposal*", &res) >= 1);
	practice_results_release(&res);
	assert_int_equal(search(f, "\"out-of-court disposals\"", &res), 1);
	practice_results_release(&res);
	assert_int_equal(search(f, "\"disposals out-of-court\"", &res), 0);
	practice_results_release(&res);
}

static void test_search_filters_with_counts(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_results res;
	struct practice_query q = { NULL, NULL, NULL, "services", NULL, NULL,
				    NULL, 0 };
	size_t k, services = 0, strands = 0;

	starter(f);
	assert_int_equal(practice_search(f->s, f->areas, &q, &res, &err), 0);
	assert_int_equal(res.count, 4);
	for (k = 0; k < res.nfacets; k++) {
		if (strcmp(res.facets[k].filter, "service_area") == 0 &&
		    strcmp(res.facets[k].value, "youth-justice") == 0)
			services = res.facets[k].count;
		if (strcmp(res.facets[k].filter, "strand") == 0)
			strands++;
	}
	assert_int_equal(services, 2);
	assert_int_equal(strands, 1);
	practice_results_release(&res);
	/* text and filters together: Lewisham's (a lead council) */
	q.text = "schools";
	q.area_code = "Lewisham";
	assert_int_equal(practice_search(f->s, f->areas, &q, &res, &err), 0);
	assert_int_equal(res.count, 1);
	practice_results_release(&res);
	/* a sub-region holds its councils' records */
	q.text = NULL;
	q.area_code = NULL;
	q.strand = NULL;
	q.subregion = "Inner London";
	assert_int_equal(practice_search(f->s, f->areas, &q, &res, &err), 0);
	assert_true(res.count >= 4);
	practice_results_release(&res);
	q.subregion = "Brent";
	assert_int_equal(practice_search(f->s, f->areas, &q, &res, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);
	q.subregion = NULL;
	q.status = "finished";
	assert_int_equal(practice_search(f->s, f->areas, &q, &res, &err), -1);
	assert_non_null(strstr(err.message, "not a status"));
}

static void test_hostile_queries(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_results res;
	char compiled[4096], *long_query;
	static const char *const hostile[] = {
		"\"unbalanced", "NEAR(mentoring police, 2)", "title:police",
		"mentoring AND OR NOT", "^police", "(((", "*", "\"\"",
		"'; DROP TABLE practice; --", "police -mentoring", "a\x01b",
		"\xc3\xa7" "a\xc4\x9f" "lar", "{title summary}: police", "+ - *",
	};
	size_t k;

	starter(f);
	for (k = 0; k < sizeof(hostile) / sizeof(hostile[0]); k++) {
		struct practice_query q = { hostile[k], NULL, NULL, NULL, NULL,
					    NULL, NULL, 0 };

		assert_int_equal(practice_search(f->s, f->areas, &q, &res,
						 &err), 0);
		practice_results_release(&res);
	}
	assert_int_equal(practice_query_compile("NEAR(a b) OR c*", compiled,
						sizeof(compiled), &err), 0);
	assert_string_equal(compiled, "\"NEAR\" \"a\" \"b\" \"OR\" \"c\"*");
	assert_int_equal(practice_query_compile("\"open ended", compiled,
						sizeof(compiled), &err), 0);
	assert_string_equal(compiled, "\"open ended\"");
	long_query = xmalloc(2001);
	memset(long_query, 'a', 2000);
	long_query[2000] = '\0';
	assert_int_equal(practice_query_compile(long_query, compiled,
						sizeof(compiled), &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);
	assert_non_null(strstr(err.message, "longer than 500"));
	free(long_query);
	assert_int_equal(practice_query_compile("\xff\xfe", compiled,
						sizeof(compiled), &err), -1);
	assert_int_equal(search(f, "mentoring police", &res), 1);
	practice_results_release(&res);
}

static void test_related_practice(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_results all, rel;
	int64_t ooc = 0;
	size_t k;

	starter(f);
	assert_int_equal(search(f, "\"out-of-court\"", &all), 1);
	ooc = all.hits[0].row.record;
	practice_results_release(&all);
	assert_int_equal(practice_related(f->s, ooc, 3, &rel, &err), 0);
	assert_true(rel.count >= 1);
	/* the youth justice data-sharing agreement shares its tags */
	assert_non_null(strstr(rel.hits[0].row.title, "youth justice"));
	for (k = 0; k < rel.count; k++)
		assert_int_not_equal(rel.hits[k].row.record, ooc);
	practice_results_release(&rel);
	assert_int_equal(practice_related(f->s, 9999, 3, &rel, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
}

static void test_digest_archive(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_actor who = analyst(f), brent = council(f, "E09000005");
	struct standard_data data;
	struct digest_options opt;
	struct digest_issue issue, *kept = NULL, back;
	struct strbuf text = STRBUF_INIT;
	size_t added = 0, n = 0, k, entries = 0;
	char *json;

	assert_int_equal(practice_load_starter(f->s, f->areas, &who, &added,
					       &err), 0);
	memset(&data, 0, sizeof(data));
	data.store = f->s;
	data.areas = f->areas;
	memset(&opt, 0, sizeof(opt));
	opt.since = "2026-01-01";
	opt.until = "2026-02-28";
	opt.today = "2026-03-01";
	assert_int_equal(digest_build(&data, &opt, &issue, &err), 0);
	assert_int_equal(issue.summary.practice, added);
	for (k = 0; k < issue.count; k++)
		entries += issue.items[k].kind == DIGEST_ENTRY;
	assert_int_equal(entries, added);
	digest_write_text(&issue, &text);
	assert_non_null(strstr(text.buf, "Race Matters: 1 January 2026 to 28 "
					 "February 2026\n"));
	assert_non_null(strstr(text.buf, "Services strand; Youth justice"));

	/* the JSON reads back to the same items */
	json = digest_issue_json(&issue);
	assert_non_null(json);
	assert_int_equal(digest_issue_read(json, &back, &err), 0);
	assert_int_equal(back.count, issue.count);
	for (k = 0; k < issue.count; k++) {
		assert_int_equal(back.items[k].kind, issue.items[k].kind);
		assert_string_equal(back.items[k].text, issue.items[k].text);
	}
	digest_issue_release(&back);
	free(json);
	assert_int_equal(digest_issue_read("{\"since\": 1}", &back, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);

	/* kept by an analyst, audited; a council may not; the same period
	 * again replaces the issue, another period adds one, newest first */
	f->naudit = 0;
	assert_int_equal(digest_keep(f->s, &issue, &who, &err), 0);
	assert_string_equal(f->audit[0], "digest.keep ");
	assert_int_equal(digest_keep(f->s, &issue, &brent, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_DENIED);
	assert_int_equal(digest_keep(f->s, &issue, &who, &err), 0);
	snprintf(issue.since, sizeof(issue.since), "2026-03-01");
	snprintf(issue.until, sizeof(issue.until), "2026-04-30");
	assert_int_equal(digest_keep(f->s, &issue, &who, &err), 0);
	assert_int_equal(digest_archive(f->s, &kept, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(kept[0].until, "2026-04-30");
	assert_string_equal(kept[1].since, "2026-01-01");
	assert_int_equal(kept[1].count, issue.count);
	for (k = 0; k < n; k++)
		digest_issue_release(&kept[k]);
	free(kept);
	digest_issue_release(&issue);
	strbuf_release(&text);
}

static void test_dates_in_words(void **state)
{
	char buf[CLOCK_WORDS_SIZE];

	(void)state;
	clock_date_words("2026-12-05", buf, sizeof(buf));
	assert_string_equal(buf, "5 December 2026");
	clock_date_words("2024-02-29", buf, sizeof(buf));
	assert_string_equal(buf, "29 February 2024");
	/* not a possible date: as it is */
	clock_date_words("2023-02-29", buf, sizeof(buf));
	assert_string_equal(buf, "2023-02-29");
	clock_date_words("yesterday", buf, sizeof(buf));
	assert_string_equal(buf, "yesterday");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_a_record_is_read_whole,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_problem_is_located,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_submit_return_resubmit_approve, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_council_submits_for_its_own_area, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_attached_documents_follow_their_version, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_search_ranks_titles_first,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_search_filters_with_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_queries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_related_practice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_digest_archive, setup,
						teardown),
		cmocka_unit_test(test_dates_in_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
