/*
 * test_returns.c - checking and importing returns: header matching, value
 * parsing, exact locations of problems, all-or-nothing imports, versions,
 * employers, and the quality figures; and the diagnostics list. Also the
 * identifier columns refused, limits in characters, other delimiters,
 * mixed encodings, every problem of an alias file, and a file that grows
 * while it is imported. The alias register: its changes checked by the
 * classifier, imports reading with it and recording its version and how
 * each label was read, labels of refused imports kept and cleared, and
 * returns read again under a newer register (reclassify.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "ingest/quality.h"
#include "base/csv.h"
#include "ingest/alias_register.h"
#include "ingest/reclassify.h"
#include "ingest/returns.h"
#include "store/store.h"

#include <sqlite3.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
	char dir[64];
	char db[128];
	char csv[128];
	struct area_set *areas;
	struct ethnicity_classifier *cls;
	struct store *store;
	struct diag_list diags;
	struct import_result res;
	struct parity_error err;
	struct alias_register reg; /* the register f->cls holds */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct parity_error err = PARITY_ERROR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-returns-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	snprintf(f->csv, sizeof(f->csv), "%s/return.csv", f->dir);
	if (area_set_load(&f->areas, &err) < 0 ||
	    ethnicity_classifier_new(&f->cls, &err) < 0 ||
	    store_create(f->db, &err) < 0 ||
	    store_open(&f->store, f->db, &err) < 0)
		return -1;
	diag_list_init(&f->diags);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[160];

	import_result_release(&f->res);
	diag_list_release(&f->diags);
	alias_register_release(&f->reg);
	store_close(f->store);
	ethnicity_classifier_free(f->cls);
	area_set_free(f->areas);
	unlink(f->csv);
	unlink(f->db);
	snprintf(path, sizeof(path), "%s.key", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-wal", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->db);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Write `text` (`len` bytes) as the return and import it. */
static int import_bytes(struct fixture *f, enum store_kind kind,
			const char *area, int year, const char *text,
			size_t len)
{
	struct import_options opt;
	FILE *out = fopen(f->csv, "wb");

	assert_non_null(out);
	assert_int_equal(fwrite(text, 1, len, out), len);
	fclose(out);
	import_result_release(&f->res);
	diag_list_release(&f->diags);
	parity_error_clear(&f->err);
	memset(&opt, 0, sizeof(opt));
	opt.kind = kind;
	opt.path = f->csv;
	opt.area = area;
	opt.year = year;
	opt.submitted_by = "tester";
	opt.submitted_at = "2024-05-01T09:30:00Z";
	opt.classifier = f->cls;
	opt.aliases = &f->reg;
	opt.areas = f->areas;
	return import_return(f->store, &opt, &f->diags, &f->res, &f->err);
}

#define IMPORT(f, kind, area, year, s) \
	import_bytes((f), (kind), (area), (year), (s), sizeof(s) - 1)

/* Whether a kept problem has this severity, line, column and text. */
static bool has_diag(const struct fixture *f, enum diag_severity sev,
		     long line, long column, const char *text)
{
	size_t k;

	for (k = 0; k < f->diags.count; k++) {
		const struct diag *d = &f->diags.items[k];

		if (d->severity == sev && d->line == line &&
		    d->column == column && strstr(d->message, text))
			return true;
	}
	return false;
}

static void print_diags(const struct fixture *f)
{
	char line[2048];
	size_t k;

	for (k = 0; k < f->diags.count; k++) {
		diag_format(&f->diags.items[k], line, sizeof(line));
		print_message("%s\n", line);
	}
}

static size_t count_submissions(struct fixture *f)
{
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission *list;
	size_t n;

	assert_int_equal(store_submissions_list(f->store, &all, &list, &n,
						&f->err), 0);
	free(list);
	return n;
}

/* ---- parsing ---- */

static void test_header_names(void **state)
{
	char out[64];

	(void)state;
	csv_header_normalise("  Staff ID ", out, sizeof(out));
	assert_string_equal(out, "staff_id");
	csv_header_normalise("STAFF-ID", out, sizeof(out));
	assert_string_equal(out, "staff_id");
	csv_header_normalise("Annual__Salary", out, sizeof(out));
	assert_string_equal(out, "annual_salary");
	csv_header_normalise("weekly - hours", out, sizeof(out));
	assert_string_equal(out, "weekly_hours");
	csv_header_normalise("D.O.B.", out, sizeof(out));
	assert_string_equal(out, "dob");
	csv_header_normalise("E-mail", out, sizeof(out));
	assert_string_equal(out, "e_mail");
	csv_header_normalise("", out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_flags(void **state)
{
	int v = 99;

	(void)state;
	assert_int_equal(return_parse_flag("Yes", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(return_parse_flag("y", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(return_parse_flag("TRUE", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(return_parse_flag("1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(return_parse_flag("N", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(return_parse_flag("false", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(return_parse_flag("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(return_parse_flag("", &v), 0);
	assert_int_equal(v, STORE_NOT_GIVEN);
	assert_int_equal(return_parse_flag("maybe", &v), -1);
	assert_int_equal(return_parse_flag("yes please", &v), -1);
	assert_int_equal(return_parse_flag("2", &v), -1);
}

static void test_dates(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(return_parse_date("2024-02-29", out), 0);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(return_parse_date("29/02/2024", out), 0);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(return_parse_date("1/4/2023", out), 0);
	assert_string_equal(out, "2023-04-01");
	assert_int_equal(return_parse_date("2000-02-29", out), 0);
	assert_int_equal(return_parse_date("1900-02-29", out), -1);
	assert_int_equal(return_parse_date("2023-02-29", out), -1);
	assert_int_equal(return_parse_date("31/04/2024", out), -1);
	assert_int_equal(return_parse_date("2024-13-01", out), -1);
	assert_int_equal(return_parse_date("2024-1-01", out), -1);
	assert_int_equal(return_parse_date("2024-01-01T00:00", out), -1);
	assert_int_equal(return_parse_date("04/01/24", out), -1);
	assert_int_equal(return_parse_date("yesterday", out), -1);
	assert_int_equal(return_parse_date("", out), -1);
}

static void test_recognised_values(void **state)
{
	(void)state;
	assert_true(quality_value_recognised("sex", "Female"));
	assert_true(quality_value_recognised("sex", " M "));
	assert_true(quality_value_recognised("sex", "Prefer not to say"));
	assert_false(quality_value_recognised("sex", "W"));
	assert_true(quality_value_recognised("age_band", "16-24"));
	assert_true(quality_value_recognised("age_band", "25 to 34"));
	assert_true(quality_value_recognised("age_band", "65+"));
	assert_true(quality_value_recognised("age_band", "under 25"));
	assert_false(quality_value_recognised("age_band", "34-25"));
	assert_false(quality_value_recognised("age_band", "young"));
	assert_true(quality_value_recognised("contract_type", "Fixed-term"));
	assert_false(quality_value_recognised("contract_type", "Perm"));
	assert_true(quality_value_recognised("disability", "Not disabled"));
	assert_true(quality_value_recognised("grade", "anything"));
}

static void test_diag_list_caps_and_sorts(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	char line[256];
	size_t k;

	(void)state;
	for (k = 0; k < DIAG_KEEP + 5; k++)
		diag_add(&d, DIAG_ERROR, "f.csv", (long)k + 2, 3, "bad %zu", k);
	diag_add(&d, DIAG_WARNING, "f.csv", 1, 7, "blank column");
	assert_int_equal(d.errors, DIAG_KEEP + 5);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.count, DIAG_KEEP + 1);
	diag_list_sort(&d);
	diag_format(&d.items[0], line, sizeof(line));
	assert_string_equal(line, "f.csv:1:7: warning: blank column");
	diag_format(&d.items[1], line, sizeof(line));
	assert_string_equal(line, "f.csv:2:3: bad 0");
	diag_list_release(&d);
	assert_int_equal(d.count, 0);
}

/* ---- importing ---- */

static void test_messy_return_imports(void **state)
{
	/* BOM, CRLF, Title Case and hyphenated headers, a quoted comma,
	 * '£52,340.00', Windows-1252 bytes (0x96 en dash, 0xE9 e-acute), an
	 * alias ('Employee Number'), an unknown column, Y/N flags, blank
	 * optional values, padded values, weekly hours and both date forms. */
	static const char text[] =
		"\xEF\xBB\xBF" "Employee Number,Ethnic Origin,Annual Salary,"
		"Weekly-Hours,Job_Family,SEX,Start Date,Promoted,Notes\r\n"
		"E001,White - British,\"\xA3" "52,340.00\",36,Finance,F,"
		"2019-04-01,N,first\r\n"
		"E002,Black or Black British \x96 Caribbean,31000,18,"
		"\"Catering, caf\xE9\",M,01/09/2020,Y,\r\n"
		"E003,, 45000 ,,Housing,,,,\r\n"
		"E004,Prefer not to say,\"61,000\",36,Housing,Female,,n,x\r\n";
	struct fixture *f = *state;
	struct store_aggregates agg;
	struct store_submission got;

	if (IMPORT(f, STORE_WORKFORCE, "E09000005", 2024, text) != 0)
		print_diags(f);
	assert_int_equal(f->err.code, PARITY_OK);
	assert_int_equal(f->diags.errors, 0);
	assert_true(has_diag(f, DIAG_WARNING, 1, 93, "unknown column 'Notes'"));
	assert_true(has_diag(f, DIAG_WARNING, 2, 22, "Windows-1252"));
	assert_int_equal(f->res.count, 1);
	assert_int_equal(f->res.rows, 4);
	assert_false(f->res.unchanged);
	assert_int_equal(f->res.subs[0].sub.version, 1);
	assert_string_equal(f->res.subs[0].sub.encoding, "Windows-1252");
	assert_string_equal(f->res.subs[0].sub.columns,
			    "staff_id,ethnicity,annual_salary,weekly_hours,"
			    "job_family,sex,start_date,promoted");
	assert_int_equal(strlen(f->res.sha256), 64);
	/* as stored: the encoding and checksum are known only at the end */
	assert_int_equal(store_submission_get(f->store, f->res.subs[0].sub.id,
					      &got, &f->err), 0);
	assert_string_equal(got.encoding, "Windows-1252");
	assert_string_equal(got.sha256, f->res.sha256);
	assert_int_equal(got.rows, 4);
	assert_int_equal(store_aggregates_load_submissions(
				 f->store, &f->res.subs[0].sub.id, 1, &agg,
				 &f->err), 0);
	assert_int_equal(agg.pay_count[ETH_WBRI], 1);
	assert_true(agg.pay[ETH_WBRI][0] == 52340.0);
	assert_int_equal(agg.pay_count[ETH_BCRB], 1);
	assert_true(agg.pay[ETH_BCRB][0] == 31000.0);
	assert_int_equal(agg.pay_count[ETH_NOT_KNOWN], 1);
	assert_true(agg.pay[ETH_NOT_KNOWN][0] == 45000.0);
	assert_int_equal(agg.pay_count[ETH_PREFER_NOT_TO_SAY], 1);
	assert_true(agg.pay[ETH_PREFER_NOT_TO_SAY][0] == 61000.0);
	assert_int_equal(agg.events[STORE_EVENT_PROMOTED][ETH_BCRB].yes, 1);
	assert_int_equal(agg.events[STORE_EVENT_PROMOTED][ETH_NOT_KNOWN].missing, 1);
	assert_int_equal(agg.events[STORE_EVENT_LEFT][ETH_WBRI].missing, 1);
	store_aggregates_release(&agg);
	/* the quality figures of the import */
	assert_int_equal(f->res.subs[0].quality.rows, 4);
	assert_int_equal(f->res.subs[0].quality.ethnicity[ETH_NOT_KNOWN], 1);
	assert_int_equal(f->res.subs[0].quality.present[4], 3); /* sex */
	assert_false(f->res.subs[0].quality.supplied[1]);       /* pay_band */
}

static void test_every_error_is_located_and_nothing_stored(void **state)
{
	static const char text[] =
		"staff_id,ethnicity,annual_salary,fte,start_date,promoted\n"
		"1,Indian,30000,1,2020-01-01,no\n"
		"2,Martian,30000,1,2020-01-01,no\n"
		"3,Indian,lots,1,2020-01-01,no\n"
		"4,Indian,4000,1,2020-01-01,no\n"
		"5,Indian,30000,1.5,2020-01-01,no\n"
		"1,Indian,30000,1,2020-01-01,no\n"
		"6,Indian,30000,1,2023-02-29,no\n"
		"7,Indian,30000,1,2020-01-01,maybe\n"
		"8,Indian,30000,1\n"
		"9,Indian,30000,1,2020-01-01,no,extra\n"
		",Indian,30000,1,2020-01-01,no\n"
		"10,Asian,30000,1,2020-01-01,no\n";
	struct fixture *f = *state;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024, text), -1);
	assert_int_equal(f->err.code, PARITY_ERR_VALIDATION);
	assert_non_null(strstr(f->err.message, "nothing was stored"));
	assert_true(has_diag(f, DIAG_ERROR, 3, 3, "unknown ethnicity label 'Martian'"));
	assert_true(has_diag(f, DIAG_ERROR, 4, 10, "'lots' is not an amount"));
	assert_true(has_diag(f, DIAG_ERROR, 5, 10, "outside"));
	assert_true(has_diag(f, DIAG_ERROR, 6, 16, "fte '1.5' is out of range"));
	assert_true(has_diag(f, DIAG_ERROR, 7, 1, "staff_id '1' is also on line 2"));
	assert_true(has_diag(f, DIAG_ERROR, 8, 18, "'2023-02-29' is not a date"));
	assert_true(has_diag(f, DIAG_ERROR, 9, 29, "'maybe' is not yes or no"));
	assert_true(has_diag(f, DIAG_ERROR, 10, 17, "column 'start_date'"));
	assert_true(has_diag(f, DIAG_ERROR, 11, 32, "field 7 has no column"));
	assert_true(has_diag(f, DIAG_ERROR, 12, 1, "staff_id is blank"));
	assert_true(has_diag(f, DIAG_ERROR, 13, 4, "high-level group"));
	assert_int_equal(f->diags.errors, 11);
	assert_int_equal(count_submissions(f), 0);
}

static void test_header_problems(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"Staff ID,Surname,Ethnicity,DOB,Salary,E-mail,"
				"staff_id\n1,Smith,Indian,1/1/1980,30000,a@b,2\n"),
			 -1);
	assert_true(has_diag(f, DIAG_ERROR, 1, 10, "'Surname' holds a name"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 28, "'DOB' holds a date of birth"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 39, "'E-mail' holds an email"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 46, "repeats column 1"));
	assert_int_equal(f->diags.errors, 4);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,fte,weekly_hours\n1,1,36\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 1, 14, "not both"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 1,
			     "missing required column 'ethnicity'"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 1,
			     "missing required column 'annual_salary'"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024, ""), -1);
	assert_true(has_diag(f, DIAG_ERROR, 1, 1, "the file is empty"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 1, "no rows"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,\"Indian,30000\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 3, "unterminated quote"));
	assert_int_equal(count_submissions(f), 0);
}

static void test_command_line_values(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "staff_id,ethnicity,annual_salary\n1,Indian,30000\n";

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 1999, text), -1);
	assert_int_equal(f->err.code, PARITY_ERR_VALIDATION);
	assert_non_null(strstr(f->err.message, "outside 2000-2100"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09999999", 2024, text), -1);
	assert_non_null(strstr(f->err.message, "unknown area"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "London", 2024, text), -1);
	assert_non_null(strstr(f->err.message, "one borough"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, NULL, 2024, text), -1);
	assert_true(has_diag(f, DIAG_ERROR, 1, 1, "no employer column"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "Brent", 2024, text), 0);
	assert_string_equal(f->res.subs[0].sub.area_code, "E09000005");
}

static void test_versions_and_unchanged(void **state)
{
	struct fixture *f = *state;
	static const char one[] = "staff_id,ethnicity,annual_salary\n1,Indian,30000\n";
	static const char two[] = "staff_id,ethnicity,annual_salary\n1,Indian,31000\n";
	int64_t first;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024, one), 0);
	first = f->res.subs[0].sub.id;
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024, one), 0);
	assert_true(f->res.unchanged);
	assert_true(f->res.subs[0].unchanged);
	assert_int_equal(f->res.subs[0].sub.id, first);
	assert_int_equal(count_submissions(f), 1);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024, two), 0);
	assert_false(f->res.unchanged);
	assert_int_equal(f->res.subs[0].sub.version, 2);
	assert_int_equal(f->res.subs[0].sub.supersedes, first);
	/* the same file for another year is a new return */
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2023, two), 0);
	assert_false(f->res.unchanged);
	assert_int_equal(f->res.subs[0].sub.version, 1);
	assert_int_equal(count_submissions(f), 3);
}

static void test_employer_column(void **state)
{
	struct fixture *f = *state;
	static const char text[] =
		"employer,staff_id,ethnicity,annual_salary\n"
		"E09000005,1,Indian,30000\n"
		"E09000007,1,Indian,32000\n"
		"e09000005,2,Chinese,33000\n";

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, NULL, 2024, text), 0);
	assert_int_equal(f->res.count, 2);
	assert_string_equal(f->res.subs[0].sub.area_code, "E09000005");
	assert_int_equal(f->res.subs[0].sub.rows, 2);
	assert_string_equal(f->res.subs[1].sub.area_code, "E09000007");
	assert_int_equal(f->res.subs[1].sub.rows, 1);
	/* with --area, every row must be that employer's */
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2025, text), -1);
	assert_true(has_diag(f, DIAG_ERROR, 3, 1, "does not match --area E09000005"));
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, NULL, 2025,
				"employer,staff_id,ethnicity,annual_salary\n"
				"E12000007,1,Indian,30000\n"
				"Brent,2,Indian,30000\n,3,Indian,30000\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 1, "not a borough or local authority"));
	assert_true(has_diag(f, DIAG_ERROR, 3, 1, "not a known area code"));
	assert_true(has_diag(f, DIAG_ERROR, 4, 1, "employer is blank"));
	assert_int_equal(count_submissions(f), 2);
}

static void test_recruitment_return(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates agg;

	assert_int_equal(IMPORT(f, STORE_RECRUITMENT, "E09000005", 2024,
				"Applicant ID,Ethnicity,Shortlisted,Appointed\n"
				"A1,Indian,yes,yes\nA2,Indian,yes,no\n"
				"A3,Indian,no,no\nA4,,no,no\n"), 0);
	assert_int_equal(store_aggregates_load_submissions(
				 f->store, &f->res.subs[0].sub.id, 1, &agg,
				 &f->err), 0);
	assert_int_equal(agg.applicants[ETH_AIND].applied, 3);
	assert_int_equal(agg.applicants[ETH_AIND].shortlisted, 2);
	assert_int_equal(agg.applicants[ETH_AIND].appointed, 1);
	assert_int_equal(agg.applicants[ETH_NOT_KNOWN].applied, 1);
	store_aggregates_release(&agg);
	assert_int_equal(IMPORT(f, STORE_RECRUITMENT, "E09000005", 2024,
				"applicant_id,ethnicity,shortlisted,appointed\n"
				"A1,Indian,no,yes\nA2,Indian,,no\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 14, "appointed is yes but "
			     "shortlisted is no"));
	assert_true(has_diag(f, DIAG_ERROR, 3, 11, "shortlisted is blank"));
	/* a workforce column in a recruitment return is ignored */
	assert_int_equal(IMPORT(f, STORE_RECRUITMENT, "E09000005", 2023,
				"applicant_id,ethnicity,shortlisted,appointed,"
				"annual_salary\nA1,Indian,no,no,30000\n"), 0);
	assert_true(has_diag(f, DIAG_WARNING, 1, 46, "belongs to workforce returns"));
}

static void test_aliases_make_group_labels_usable(void **state)
{
	struct fixture *f = *state;
	char aliases[160];
	FILE *out;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,Asian,30000\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 3, "--aliases"));
	snprintf(aliases, sizeof(aliases), "%s/aliases.csv", f->dir);
	out = fopen(aliases, "w");
	assert_non_null(out);
	fputs("label,category\nAsian,AOTH\n", out);
	fclose(out);
	assert_int_equal(ethnicity_classifier_load_aliases(f->cls, aliases,
							   &f->err), 0);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,Asian,30000\n"), 0);
	unlink(aliases);
}

static void test_warnings_do_not_block(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary,grade,sex,"
				"start_date,leaving_date\n"
				"1,Indian,20000,,W,2020-01-01,2019-01-01\n"
				"2,Indian,21000,,W,,\n"
				"3,Indian,90000,,X,,\n"), 0);
	assert_true(has_diag(f, DIAG_WARNING, 2, 10, "below the London Living "
			     "Wage for full-time hours (\xC2\xA3" "25,998 a year"));
	assert_true(has_diag(f, DIAG_WARNING, 2, 10, "; so are 1 more rows"));
	assert_true(has_diag(f, DIAG_WARNING, 1, 34, "'grade' is blank on every row"));
	assert_true(has_diag(f, DIAG_WARNING, 2, 17, "sex 'W' is not a value"));
	assert_true(has_diag(f, DIAG_WARNING, 2, 30, "leaving_date 2019-01-01 is "
			     "before start_date"));
	assert_int_equal(f->diags.warnings, 4);
	assert_int_equal(f->res.subs[0].quality.unrecognised_count, 1);
	assert_int_equal(f->res.subs[0].quality.unrecognised[0].count, 2);
}

/* Every identifier pattern the docs list refuses its column; no column
 * parity knows is taken for one. */
static void test_identifier_columns(void **state)
{
	static const char *const refused[][2] = {
		{ "Preferred name", "a name" }, { "Known as", "a name" },
		{ "Payroll name", "a name" }, { "Maiden name", "a name" },
		{ "Personal email", "an email address" },
		{ "Work e-mail", "an email address" },
		{ "Contact number", "a phone number" },
		{ "Tel", "a phone number" }, { "Postal code", "a postcode" },
		{ "Address line 1", "an address" },
		{ "Passport number", "a passport number" },
		{ "NHS number", "an NHS number" },
		{ "First Name", "a name" }, { "SURNAME", "a name" },
		{ "NI_Number", "a National Insurance number" },
		{ "D.O.B.", "a date of birth" }, { "Home Phone", "a phone number" },
		{ "post-code", "a postcode" }, { "Email Address", "an email address" },
	};
	static const char *const kept[] = {
		"staff_id", "applicant_id", "employer", "ethnicity",
		"annual_salary", "fte", "weekly_hours", "pay_band", "grade",
		"job_family", "sex", "age_band", "disability", "contract_type",
		"start_date", "leaving_date", "promoted", "disciplinary",
		"training", "left", "shortlisted", "appointed", "vacancy_id",
		"Employee ID", "Employee Number", "Employee No", "Staff Number",
		"Staff No", "Candidate ID", "Ethnic origin", "Ethnic group",
		"Salary", "FTE salary", "Gender", "Leaver", "Employer code",
		"Job title", "Team", "Department", "Manager grade",
	};
	struct fixture *f = *state;
	size_t k;

	for (k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
		const char *what = return_identifier_kind(refused[k][0]);

		if (!what || strcmp(what, refused[k][1]) != 0)
			fail_msg("'%s' gives %s", refused[k][0],
				 what ? what : "nothing");
	}
	for (k = 0; k < sizeof(kept) / sizeof(kept[0]); k++)
		if (return_identifier_kind(kept[k]))
			fail_msg("'%s' is taken for %s", kept[k],
				 return_identifier_kind(kept[k]));
	/* refused on import, located, whatever their case and spacing */
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary,Known As,"
				"work_e-mail,NHS Number,TEL\n"
				"1,Indian,30000,,,,\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 1, 34, "column 'Known As' holds a name"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 43, "column 'work_e-mail' holds an email address"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 55, "column 'NHS Number' holds an NHS number"));
	assert_true(has_diag(f, DIAG_ERROR, 1, 66, "column 'TEL' holds a phone number"));
	assert_int_equal(f->diags.errors, 4);
	assert_int_equal(f->diags.warnings, 0);
}

/* Limits in characters are counted in characters, not bytes; long ids
 * that differ only past their 64th byte are told apart. */
static void test_limits_count_characters(void **state)
{
	struct fixture *f = *state;
	struct strbuf sb = STRBUF_INIT;
	int k;

	strbuf_addstr(&sb, "staff_id,ethnicity,annual_salary,grade\n");
	for (k = 0; k < 33; k++)
		strbuf_addstr(&sb, "\xC3\xA9"); /* 33 characters, 66 bytes */
	strbuf_addstr(&sb, ",Indian,30000,");
	for (k = 0; k < 150; k++)
		strbuf_addstr(&sb, "\xC3\xA9"); /* 150 characters, 300 bytes */
	strbuf_addstr(&sb, "\n");
	for (k = 0; k < 2; k++) {
		int j;

		for (j = 0; j < 32; j++)
			strbuf_addstr(&sb, "\xC3\xA9");
		strbuf_addstr(&sb, k ? "b" : "a");
		strbuf_addstr(&sb, ",Indian,30000,\n");
	}
	assert_int_equal(import_bytes(f, STORE_WORKFORCE, "E09000005", 2024,
				      sb.buf, sb.len), 0);
	assert_int_equal(f->res.subs[0].sub.rows, 3);
	/* 65 characters is one too many */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "staff_id,ethnicity,annual_salary\n");
	for (k = 0; k < 65; k++)
		strbuf_addstr(&sb, "\xC3\xA9");
	strbuf_addstr(&sb, ",Indian,30000\n");
	assert_int_equal(import_bytes(f, STORE_WORKFORCE, "E09000005", 2025,
				      sb.buf, sb.len), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 1, "staff_id is longer than 64 characters"));
	strbuf_release(&sb);
}

/* Rows that all fail their field count say so, and nothing about blank
 * columns. */
static void test_no_blank_column_warning_without_rows(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary,grade\n"
				"1,Indian,30000\n"
				"2,Indian,31000\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 15, "the row ends after 3 fields"));
	assert_true(has_diag(f, DIAG_ERROR, 3, 15, "the row ends after 3 fields"));
	assert_int_equal(f->diags.errors, 2);
	assert_int_equal(f->diags.warnings, 0);
}

/* A semicolon- or tab-separated file is told what it is; 'sep=;' makes
 * it readable. */
static void test_other_delimiters(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id;ethnicity;annual_salary\n"
				"1;Indian;30000,50\n"
				"2;Indian;30000\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 1, 1, "the file seems to be "
			     "separated by semicolons, not commas"));
	assert_int_equal(f->diags.errors, 1);
	assert_int_equal(f->diags.warnings, 0);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id\tethnicity\tannual_salary\n"
				"1\tIndian\t30000\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 1, 1, "separated by tabs"));
	assert_int_equal(f->diags.errors, 1);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"sep=;\r\nstaff_id;ethnicity;annual_salary\r\n"
				"1;Indian;\"30,000\"\r\n2;Indian;x\r\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 4, 10, "annual_salary 'x'"));
	assert_int_equal(f->diags.errors, 1);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"sep=,\nstaff_id,ethnicity,annual_salary\n"
				"1,Indian,30000\n"), 0);
	assert_int_equal(f->res.subs[0].sub.rows, 1);
}

/* Windows-1252 first and UTF-8 after it: refused, not stored as 'Café'
 * and 'CafÃ©', and without the Windows-1252 warning. */
static void test_mixed_encodings_refused_whichever_first(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary,grade\n"
				"1,Indian,30000,Caf\xE9\n"
				"2,Indian,30000,Caf\xE9\n"
				"3,Indian,30000,Caf\xC3\xA9\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 4, 19, "the file mixes encodings: "
			     "this row is UTF-8, but 2 other rows are "
			     "Windows-1252 (the first on line 2)"));
	assert_int_equal(f->diags.errors, 1);
	assert_int_equal(f->diags.warnings, 0);
	assert_int_equal(count_submissions(f), 0);
}

/* Every problem in an alias file, located. */
static void test_alias_file_problems_all_listed(void **state)
{
	struct fixture *f = *state;
	char aliases[160];
	FILE *out;

	snprintf(aliases, sizeof(aliases), "%s/aliases.csv", f->dir);
	out = fopen(aliases, "w");
	assert_non_null(out);
	fputs("label,category\nBAME,WBRI\nHR code 4B,BAFR\nHR code 4B,BCRB\n"
	      "Asian,Black\nlabel only\nAsian,AOTH\n", out);
	fclose(out);
	assert_int_equal(ethnicity_classifier_load_aliases_all(
				 f->cls, aliases, &f->diags, &f->err), -1);
	assert_int_equal(f->err.code, PARITY_ERR_VALIDATION);
	assert_non_null(strstr(f->err.message, "4 errors in the alias file"));
	assert_int_equal(f->diags.errors, 4);
	assert_true(has_diag(f, DIAG_ERROR, 2, 1, "'BAME' merges"));
	assert_true(has_diag(f, DIAG_ERROR, 4, 1, "already maps it"));
	assert_true(has_diag(f, DIAG_ERROR, 5, 7, "names only a high-level group"));
	assert_true(has_diag(f, DIAG_ERROR, 6, 11, "it needs a label and a category"));
	/* nothing was added: Asian is still only a group */
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,Asian,30000\n"), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 3, "--aliases"));
	unlink(aliases);
}

/* Appends to the return once, from the import's progress callback: as a
 * program still writing the file would. */
struct grower {
	const char *path;
	int calls;
};

static void grow_once(void *ctx, long rows, uint64_t bytes, uint64_t size)
{
	struct grower *g = ctx;
	FILE *out;

	(void)rows;
	(void)bytes;
	(void)size;
	if (g->calls++ > 0)
		return;
	out = fopen(g->path, "a");
	if (out) {
		fputs("999999999,Indian,30000\n", out);
		fclose(out);
	}
}

static int import_growing(struct fixture *f, long rows)
{
	struct import_options opt;
	struct grower g = { f->csv, 0 };
	FILE *out = fopen(f->csv, "wb");
	long k;

	assert_non_null(out);
	fputs("staff_id,ethnicity,annual_salary\n", out);
	for (k = 0; k < rows; k++)
		fprintf(out, "S%09ld,White British,%ld\n", k, 30000 + k % 5000);
	fclose(out);
	import_result_release(&f->res);
	diag_list_release(&f->diags);
	parity_error_clear(&f->err);
	memset(&opt, 0, sizeof(opt));
	opt.kind = STORE_WORKFORCE;
	opt.path = f->csv;
	opt.area = "E09000005";
	opt.year = 2024;
	opt.submitted_by = "tester";
	opt.submitted_at = "2024-05-01T09:30:00Z";
	opt.classifier = f->cls;
	opt.areas = f->areas;
	opt.progress = grow_once;
	opt.progress_ctx = &g;
	return import_return(f->store, &opt, &f->diags, &f->res, &f->err);
}

/* A file still being written is refused, not stored as far as it had
 * got: in the single pass, and on every core (a file over 8 MB). */
static void test_file_growing_while_imported(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(import_growing(f, 20000), -1);
	assert_int_equal(f->err.code, PARITY_ERR_IO);
	assert_non_null(strstr(f->err.message, "changed while it was read"));
	assert_int_equal(count_submissions(f), 0);
	assert_int_equal(import_growing(f, 320000), -1);
	assert_int_equal(f->err.code, PARITY_ERR_IO);
	assert_non_null(strstr(f->err.message, "changed while it was read"));
	assert_int_equal(count_submissions(f), 0);
}

static void test_quality_report(void **state)
{
	struct fixture *f = *state;
	struct store_submission *sub;
	struct quality q;
	struct quality_previous prev;
	struct tidy_table t;
	int brent = area_find(f->areas, "E09000005");
	bool saw_change = false, saw_outlier = false, saw_low = false;
	size_t k;
	char text[4096];
	size_t n = 0;
	int i;

	/* 2023: 10 staff, none not known */
	n = (size_t)snprintf(text, sizeof(text), "staff_id,ethnicity,annual_salary,grade\n");
	for (i = 0; i < 10; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%d,Indian,%d,G1\n", i, 30000 + i * 100);
	assert_int_equal(import_bytes(f, STORE_WORKFORCE, "E09000005", 2023,
				      text, n), 0);
	/* 2024: 13 staff, 4 not known, one far outlier, grade mostly blank */
	n = (size_t)snprintf(text, sizeof(text), "staff_id,ethnicity,annual_salary,grade\n");
	for (i = 0; i < 12; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%d,%s,%d,%s\n",
				      i, i < 4 ? "" : "Indian", 30000 + i * 100,
				      i == 0 ? "G1" : "");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "99,Indian,900000,\n");
	assert_int_equal(import_bytes(f, STORE_WORKFORCE, "E09000005", 2024,
				      text, n), 0);
	sub = &f->res.subs[0].sub;
	assert_int_equal(quality_load(f->store, sub, &q, &prev, &f->err), 0);
	assert_int_equal(q.rows, 13);
	assert_int_equal(q.outliers_high, 1);
	assert_true(prev.found);
	assert_int_equal(prev.rows, 10);
	tidy_table_init(&t);
	quality_table(&q, sub, &f->areas->areas[brent], &prev, &t);
	for (k = 0; k < t.count; k++) {
		const struct tidy_row *r = &t.rows[k];

		if (strcmp(r->measure, "record_change_rate") == 0) {
			assert_true(fabs(r->value - 30.0) < 1e-9);
			assert_string_equal(r->flag, "check");
			saw_change = true;
		}
		if (strcmp(r->measure, "salary_outlier_count") == 0) {
			assert_true(r->value == 1);
			saw_outlier = true;
		}
		if (strcmp(r->measure, "completeness_rate") == 0 &&
		    strcmp(r->breakdown, "grade") == 0) {
			assert_string_equal(r->flag, "low");
			assert_true(r->numerator == 1);
			saw_low = true;
		}
	}
	assert_true(saw_change && saw_outlier && saw_low);
	/* the importer's figures and the store's agree */
	assert_int_equal(f->res.subs[0].quality.rows, q.rows);
	assert_int_equal(f->res.subs[0].quality.outliers_high, q.outliers_high);
	assert_int_equal(f->res.subs[0].quality.present[2], q.present[2]);
	tidy_table_free(&t);
	quality_release(&q);
}

/* ---- the alias register, the labels seen, reclassifying ---- */

/* The classifier an import into the store reads with: the built-in
 * labels and the register as it is now. */
static void load_register(struct fixture *f)
{
	struct diag_list problems = DIAG_LIST_INIT;

	ethnicity_classifier_free(f->cls);
	alias_register_release(&f->reg);
	assert_int_equal(ethnicity_classifier_new(&f->cls, &f->err), 0);
	assert_int_equal(alias_register_load(f->store, f->cls, &f->reg,
					     &problems, &f->err), 0);
	assert_int_equal(problems.count, 0);
	diag_list_release(&problems);
}

static int change_register(struct fixture *f, const char *action,
			   const char *label, const char *category)
{
	struct alias_change how = { "analyst", "2024-06-01T10:00:00Z", NULL,
				    ETH_CODES_NONE };
	struct alias_change_result res;
	int rc;

	parity_error_clear(&f->err);
	if (strcmp(action, "add") == 0)
		rc = alias_register_add(f->store, label, category, &how, &res,
					&f->err);
	else
		rc = alias_register_remove(f->store, label, &how, &res,
					   &f->err);
	return rc < 0 ? -1 : res.version;
}

struct label_list {
	char text[512];
};

static int list_label(void *ctx, const struct store_label *l)
{
	struct label_list *out = ctx;
	size_t len = strlen(out->text);

	snprintf(out->text + len, sizeof(out->text) - len, "%s%s=%s/%s/%ld",
		 len ? ";" : "", l->label, l->category, l->rule, l->records);
	return 0;
}

static const char *labels_of(struct fixture *f, int64_t id,
			     struct label_list *out)
{
	out->text[0] = '\0';
	assert_int_equal(store_labels_each(f->store, id, list_label, out,
					   &f->err), 0);
	return out->text;
}

/* Each alias is checked by the classifier as a file's line is, and a
 * refused one changes nothing; a change that changes nothing makes no
 * version. */
static void test_register_changes_are_checked(void **state)
{
	struct fixture *f = *state;
	struct alias_change how = { "analyst", "2024-06-01T10:00:00Z", NULL,
				    ETH_CODES_NONE };
	struct alias_change_result res;
	char path[160];
	FILE *out;
	int v;

	assert_int_equal(change_register(f, "add", "BAME", "WBRI"), -1);
	assert_non_null(strstr(f->err.message, "merges several ethnic groups"));
	assert_int_equal(change_register(f, "add", "Carribean", "Black"), -1);
	assert_non_null(strstr(f->err.message, "names only a high-level"));
	assert_int_equal(change_register(f, "add", "Carribean", "XXXX"), -1);
	assert_int_equal(change_register(f, "add", "White British", "WIRI"),
			 -1);
	assert_non_null(strstr(f->err.message, "parity reads it as"));
	assert_int_equal(store_alias_version(f->store, &v, &f->err), 0);
	assert_int_equal(v, 0);
	/* repeating parity's reading adds nothing */
	assert_int_equal(change_register(f, "add", "White British", "WBRI"), 0);
	assert_int_equal(change_register(f, "add", "Carribean", "Caribbean"),
			 1);
	/* another reading of an alias the register holds: remove it first */
	assert_int_equal(change_register(f, "add", "CARRIBEAN", "BAFR"), -1);
	assert_non_null(strstr(f->err.message, "remove it first"));
	assert_int_equal(change_register(f, "remove", "Somewhere", NULL), -1);
	assert_int_equal(f->err.code, PARITY_ERR_NOT_FOUND);
	/* a file: all or nothing, every problem located */
	snprintf(path, sizeof(path), "%s/aliases.csv", f->dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("label,category,note\nBangaldeshi,ABAN,typo\nCarribean,BAFR,\n"
	      "BAME,WBRI,\n", out);
	fclose(out);
	assert_int_equal(alias_register_import(f->store, path, &how, &f->diags,
					       &res, &f->err), -1);
	assert_true(has_diag(f, DIAG_ERROR, 3, 1, "the alias register "
			     "(version 1) maps it to Caribbean (BCRB)"));
	assert_true(has_diag(f, DIAG_ERROR, 4, 1, "merges several"));
	assert_int_equal(store_alias_version(f->store, &v, &f->err), 0);
	assert_int_equal(v, 1);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("label,category,note\nBangaldeshi,ABAN,typo\ncarribean,BCRB,\n"
	      "Other (please specify),OOTH,\n", out);
	fclose(out);
	diag_list_release(&f->diags);
	assert_int_equal(alias_register_import(f->store, path, &how, &f->diags,
					       &res, &f->err), 0);
	assert_int_equal(res.version, 2);
	assert_int_equal(res.added, 2);
	assert_int_equal(res.already, 1);
	unlink(path);
}

/* An import reads with the register, records its version, and keeps how
 * each label was read; an alias file that contradicts the register is an
 * error in the file. */
static int reclassify(struct fixture *f, int64_t id,
		      struct reclassify_result *r);

static void test_imports_read_with_the_register(void **state)
{
	struct fixture *f = *state;
	struct reclassify_result r;
	struct label_list seen;
	char path[160];
	int64_t id;
	FILE *out;

	assert_int_equal(change_register(f, "add", "Other (please specify)",
					 "OOTH"), 1);
	load_register(f);
	snprintf(path, sizeof(path), "%s/aliases.csv", f->dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("label,category\nHR code 4B,BAFR\n", out);
	fclose(out);
	assert_int_equal(ethnicity_classifier_load_aliases_all(
				 f->cls, path, &f->diags, &f->err), 0);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,Other (please specify),30000\n"
				"2,HR code 4B,30000\n"
				"3,White British,30000\n"
				"4,other (please specify),30000\n"
				"5,Other (please specify),30000\n"), 0);
	assert_int_equal(f->res.subs[0].sub.alias_version, 1);
	assert_string_equal(labels_of(f, f->res.subs[0].sub.id, &seen),
			    "HR code 4B=BAFR/alias file/1;"
			    "Other (please specify)=OOTH/register/2;"
			    "White British=WBRI/built-in/1;"
			    "other (please specify)=OOTH/register/1");
	/* an alias file against the register */
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("label,category\nOther (please specify),WOTH\n", out);
	fclose(out);
	diag_list_release(&f->diags);
	assert_int_equal(ethnicity_classifier_load_aliases_all(
				 f->cls, path, &f->diags, &f->err), -1);
	assert_true(has_diag(f, DIAG_ERROR, 2, 1, "but the alias register "
			     "(version 1) maps it to Any other ethnic group "
			     "(OOTH)"));
	unlink(path);
	/* read again after the register changes: the import's own alias
	 * file's reading is kept; a register that now contradicts it stops
	 * the return from being read again */
	id = f->res.subs[0].sub.id;
	assert_int_equal(change_register(f, "add", "Carribean", "BCRB"), 2);
	assert_int_equal(reclassify(f, id, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_UNCHANGED);
	assert_int_equal(r.records, 5);
	assert_int_equal(change_register(f, "add", "HR code 4B", "BCRB"), 3);
	assert_int_equal(reclassify(f, id, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_NOT_POSSIBLE);
	assert_non_null(strstr(r.why, "label 'HR code 4B' was read as BAFR by "
			       "the import's own alias file, which the alias "
			       "register (version 3) now contradicts"));
}

/* A refused import stores nothing of the return but its refused labels
 * and their counts; another refusal of it replaces them; an import of it
 * that succeeds clears them. */
static void test_refused_labels_of_an_import(void **state)
{
	struct fixture *f = *state;
	struct store_label_filter all = { NULL, 0, 0, -1 };
	struct store_refused_label *list;
	size_t n, attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
					"staff_id,ethnicity,annual_salary\n"
					"1,Carribean,30000\n"
					"2,Bangaldeshi,30000\n"
					"3,Carribean,30000\n"
					"4,White British,30000\n"), -1);
		assert_int_equal(count_submissions(f), 0);
		assert_int_equal(store_refused_labels_list(f->store, &all,
							   &list, &n,
							   &f->err), 0);
		assert_int_equal(n, 2);
		assert_string_equal(list[0].label, "Carribean");
		assert_int_equal(list[0].records, 2);
		assert_string_equal(list[0].area_code, "E09000005");
		assert_int_equal(list[0].year, 2024);
		assert_string_equal(list[0].refused_at, "2024-05-01T09:30:00Z");
		assert_string_equal(list[1].label, "Bangaldeshi");
		assert_int_equal(list[1].records, 1);
		free(list);
	}
	assert_int_equal(change_register(f, "add", "Carribean", "BCRB"), 1);
	assert_int_equal(change_register(f, "add", "Bangaldeshi", "ABAN"), 2);
	load_register(f);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,Carribean,30000\n"
				"2,Bangaldeshi,30000\n"
				"3,Carribean,30000\n"
				"4,White British,30000\n"), 0);
	assert_int_equal(store_refused_labels_list(f->store, &all, &list, &n,
						   &f->err), 0);
	assert_int_equal(n, 0);
	free(list);
}

static int reclassify(struct fixture *f, int64_t id,
		      struct reclassify_result *r)
{
	struct reclassify_options opt = { "analyst", "2024-07-01T10:00:00Z",
					   NULL, f->areas };

	return reclassify_submission(f->store, id, &opt, r, &f->err);
}

/* After the register changes a label's reading, a return that carries it
 * is read again as a new version (its aggregates made again, the old
 * version kept); one whose labels read the same is marked as checked; one
 * whose label no longer reads, or whose labels were not kept, is not
 * changed, and says why. */
static void test_reclassify(void **state)
{
	struct fixture *f = *state;
	struct store_aggregates agg;
	struct store_submission got;
	struct reclassify_result r;
	struct label_list seen;
	const char *brent[] = { "E09000005" };
	int64_t brent_wf, camden_wf, brent_rc;

	assert_int_equal(change_register(f, "add", "Other (please specify)",
					 "OOTH"), 1);
	load_register(f);
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000005", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,Other (please specify),30000\n"
				"2,Other (please specify),31000\n"
				"3,White British,32000\n"), 0);
	brent_wf = f->res.subs[0].sub.id;
	assert_int_equal(IMPORT(f, STORE_RECRUITMENT, "E09000005", 2024,
				"applicant_id,ethnicity,shortlisted,appointed\n"
				"1,Other (please specify),yes,yes\n"
				"2,Indian,no,no\n"), 0);
	brent_rc = f->res.subs[0].sub.id;
	assert_int_equal(IMPORT(f, STORE_WORKFORCE, "E09000007", 2024,
				"staff_id,ethnicity,annual_salary\n"
				"1,White British,30000\n"), 0);
	camden_wf = f->res.subs[0].sub.id;
	/* read with the register as it is: nothing to do */
	assert_int_equal(reclassify(f, brent_wf, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_UNCHANGED);

	/* the label read as Other White from now on */
	assert_int_equal(change_register(f, "remove", "Other (please specify)",
					 NULL), 2);
	assert_int_equal(change_register(f, "add", "Other (please specify)",
					 "WOTH"), 3);
	assert_int_equal(reclassify(f, brent_wf, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_NEW_VERSION);
	assert_int_equal(r.version, 3);
	assert_int_equal(r.records, 3);
	assert_int_equal(r.changed, 2);
	assert_int_equal(r.labels_changed, 1);
	assert_int_equal(r.to.version, 2);
	assert_int_equal(r.to.supersedes, brent_wf);
	assert_int_equal(store_submission_get(f->store, r.to.id, &got,
					      &f->err), 0);
	assert_true(got.current && got.reclassified);
	assert_int_equal(got.alias_version, 3);
	assert_int_equal(got.rows, 3);
	assert_string_equal(got.submitted_by, "analyst");
	assert_string_equal(got.sha256, r.from.sha256);
	assert_string_equal(labels_of(f, got.id, &seen),
			    "Other (please specify)=WOTH/register/2;"
			    "White British=WBRI/built-in/1");
	assert_int_equal(store_aggregates_load(f->store, brent, 1, 2024, &agg,
					       &f->err), 0);
	assert_int_equal(agg.pay_count[ETH_WOTH], 2);
	assert_int_equal(agg.pay_count[ETH_OOTH], 0);
	assert_true(agg.pay[ETH_WOTH][0] == 30000 &&
		    agg.pay[ETH_WOTH][1] == 31000);
	assert_int_equal(agg.applicants[ETH_OOTH].applied, 1); /* not yet */
	store_aggregates_release(&agg);
	/* the old version is kept as it was */
	assert_int_equal(store_submission_get(f->store, brent_wf, &got,
					      &f->err), 0);
	assert_false(got.current);
	assert_int_equal(got.alias_version, 1);

	assert_int_equal(reclassify(f, brent_rc, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_NEW_VERSION);
	assert_int_equal(r.changed, 1);
	assert_int_equal(store_aggregates_load(f->store, brent, 1, 2024, &agg,
					       &f->err), 0);
	assert_int_equal(agg.applicants[ETH_WOTH].appointed, 1);
	assert_int_equal(agg.applicants[ETH_OOTH].applied, 0);
	assert_int_equal(agg.applicants[ETH_AIND].applied, 1);
	store_aggregates_release(&agg);

	/* Camden reads the same: checked, not versioned */
	assert_int_equal(reclassify(f, camden_wf, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_UNCHANGED);
	assert_int_equal(r.records, 1);
	assert_int_equal(store_submission_get(f->store, camden_wf, &got,
					      &f->err), 0);
	assert_true(got.current);
	assert_int_equal(got.alias_version, 1);
	assert_int_equal(got.checked_version, 3);

	/* the alias removed: the label no longer reads */
	assert_int_equal(change_register(f, "remove", "Other (please specify)",
					 NULL), 4);
	assert_int_equal(store_submission_current(f->store, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &f->err), 1);
	assert_int_equal(reclassify(f, got.id, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_NOT_POSSIBLE);
	assert_non_null(strstr(r.why, "1 of its labels no longer reads: "
			       "'Other (please specify)' (2 records"));
	assert_int_equal(count_submissions(f), 5);

	/* a return whose labels were not kept (stored before they were) */
	assert_int_equal(store_begin(f->store, &f->err), 0);
	store_rollback(f->store);
	store_close(f->store);
	{
		sqlite3 *h;

		assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h, "DELETE FROM submission_label "
					      "WHERE submission_id = 3", NULL,
					      NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
	}
	assert_int_equal(store_open(&f->store, f->db, &f->err), 0);
	assert_int_equal(reclassify(f, camden_wf, &r), 0);
	assert_int_equal(r.outcome, RECLASSIFY_NOT_POSSIBLE);
	assert_non_null(strstr(r.why, "before parity kept the labels"));
}

/* A file over 8 MB is imported on every core: the labels each thread
 * counted are gathered, and each employer's submission keeps exactly the
 * counts of its rows, with the rule that read each label. */
static void test_labels_counted_on_every_core(void **state)
{
	static const char *const labels[] = {
		"White British", "Other (please specify)", "Indian", "",
		"Black African"
	};
	struct fixture *f = *state;
	struct label_list seen;
	struct strbuf text = STRBUF_INIT, want[2] = { STRBUF_INIT,
						       STRBUF_INIT };
	long counts[2][5];
	size_t k, rows = 260000;
	int e, l;

	assert_int_equal(change_register(f, "add", "Other (please specify)",
					 "OOTH"), 1);
	load_register(f);
	memset(counts, 0, sizeof(counts));
	strbuf_addstr(&text, "employer,staff_id,ethnicity,annual_salary\n");
	for (k = 0; k < rows; k++) {
		e = (int)((k / 1000) % 2);
		l = (int)((k * 7 + k / 3) % 5);
		counts[e][l]++;
		strbuf_addf(&text, "%s,S%08zu,%s,%zu\n",
			    e ? "E09000007" : "E09000005", k, labels[l],
			    30000 + k % 5000);
	}
	assert_true(text.len > 8u * 1024 * 1024);
	assert_int_equal(import_bytes(f, STORE_WORKFORCE, NULL, 2024, text.buf,
				      text.len), 0);
	assert_int_equal(f->res.count, 2);
	for (e = 0; e < 2; e++) {
		/* in the order store_labels_each() gives: by label */
		static const int order[] = { 3, 4, 2, 1, 0 };
		static const char *const code[] = { "WBRI", "OOTH", "AIND",
						    "NK", "BAFR" };

		for (k = 0; k < 5; k++) {
			l = order[k];
			strbuf_addf(&want[e], "%s%s=%s/%s/%ld", k ? ";" : "",
				    labels[l], code[l],
				    l == 1 ? "register" : "built-in",
				    counts[e][l]);
		}
		assert_string_equal(labels_of(f, f->res.subs[e].sub.id, &seen),
				    want[e].buf);
		strbuf_release(&want[e]);
	}
	strbuf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_names),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_recognised_values),
		cmocka_unit_test(test_diag_list_caps_and_sorts),
		cmocka_unit_test_setup_teardown(test_messy_return_imports, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_every_error_is_located_and_nothing_stored, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_header_problems, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_command_line_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_versions_and_unchanged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_employer_column, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_recruitment_return, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_aliases_make_group_labels_usable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings_do_not_block, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_identifier_columns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_limits_count_characters,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_no_blank_column_warning_without_rows, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_other_delimiters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_mixed_encodings_refused_whichever_first, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_alias_file_problems_all_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_growing_while_imported,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_quality_report, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_register_changes_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_imports_read_with_the_register, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_refused_labels_of_an_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclassify, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_labels_counted_on_every_core, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
