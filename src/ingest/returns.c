/*
 * returns.c - schemas, header mapping, row checks and the import driver for
 * workforce and recruitment returns (see returns.h).
 *
 * One pass. The header is mapped first: each field of the file gets one of
 * the known columns, or is refused (a direct identifier), or ignored (an
 * unknown column). Then each row is checked field by field, and every
 * problem is recorded; while no error has been found anywhere, the row's
 * record is inserted at once into the open transaction, so the file is
 * never held in memory. After the first error the rows are still checked,
 * so that one run lists every problem, but nothing more is inserted, and
 * the transaction is rolled back at the end.
 *
 * Per row there is no allocation once the buffers have grown: values are
 * trimmed into a scratch buffer reused from row to row, ethnicity labels
 * are classified once per distinct label (a small cache), and the inserts
 * are prepared statements reused for every row.
 */
#include "ingest/returns.h"

#include "ingest/check.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/hash.h"
#include "table/render.h"
#include "base/csv.h"
#include "base/number.h"
#include "base/strbuf.h"
#include "base/textsafe.h"
#include "measure/stats.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- the columns ---- */

enum col_type {
	T_ID, T_ETHNICITY, T_SALARY, T_FTE, T_HOURS, T_TEXT, T_CODED, T_DATE,
	T_FLAG, T_REQUIRED_FLAG, T_EMPLOYER
};


#define WF (1u << STORE_WORKFORCE)
#define RC (1u << STORE_RECRUITMENT)

struct column_def {
	const char *name;
	enum col_type type;
	unsigned kinds;    /* the kinds of return that have it */
	unsigned required; /* the kinds that require it */
};

static const struct column_def columns[C_COUNT] = {
	[C_STAFF_ID] = { "staff_id", T_ID, WF, WF },
	[C_APPLICANT_ID] = { "applicant_id", T_ID, RC, RC },
	[C_EMPLOYER] = { "employer", T_EMPLOYER, WF | RC, 0 },
	[C_ETHNICITY] = { "ethnicity", T_ETHNICITY, WF | RC, WF | RC },
	[C_ANNUAL_SALARY] = { "annual_salary", T_SALARY, WF, WF },
	[C_FTE] = { "fte", T_FTE, WF, 0 },
	[C_WEEKLY_HOURS] = { "weekly_hours", T_HOURS, WF, 0 },
	[C_PAY_BAND] = { "pay_band", T_TEXT, WF | RC, 0 },
	[C_GRADE] = { "grade", T_TEXT, WF, 0 },
	[C_JOB_FAMILY] = { "job_family", T_TEXT, WF, 0 },
	[C_SEX] = { "sex", T_CODED, WF, 0 },
	[C_AGE_BAND] = { "age_band", T_CODED, WF, 0 },
	[C_DISABILITY] = { "disability", T_CODED, WF, 0 },
	[C_CONTRACT_TYPE] = { "contract_type", T_CODED, WF, 0 },
	[C_START_DATE] = { "start_date", T_DATE, WF, 0 },
	[C_LEAVING_DATE] = { "leaving_date", T_DATE, WF, 0 },
	[C_PROMOTED] = { "promoted", T_FLAG, WF, 0 },
	[C_DISCIPLINARY] = { "disciplinary", T_FLAG, WF, 0 },
	[C_TRAINING] = { "training", T_FLAG, WF, 0 },
	[C_LEFT] = { "left", T_FLAG, WF, 0 },
	[C_SHORTLISTED] = { "shortlisted", T_REQUIRED_FLAG, RC, RC },
	[C_APPOINTED] = { "appointed", T_REQUIRED_FLAG, RC, RC },
	[C_VACANCY_ID] = { "vacancy_id", T_TEXT, RC, 0 },
};

/* Other names HR systems use, already normalised. */
static const struct {
	const char *name;
	enum col column;
} aliases[] = {
	{ "employee_id", C_STAFF_ID },
	{ "employee_number", C_STAFF_ID },
	{ "employee_no", C_STAFF_ID },
	{ "staff_number", C_STAFF_ID },
	{ "staff_no", C_STAFF_ID },
	{ "candidate_id", C_APPLICANT_ID },
	{ "ethnic_origin", C_ETHNICITY },
	{ "ethnic_group", C_ETHNICITY },
	{ "salary", C_ANNUAL_SALARY },
	{ "fte_salary", C_ANNUAL_SALARY },
	{ "gender", C_SEX },
	{ "leaver", C_LEFT },
	{ "employer_code", C_EMPLOYER },
};

/*
 * Columns that carry direct identifiers: refused, not ignored, even when
 * empty. A header is compared in its compact form: normalised as every
 * header is (csv_header_normalise(): case, surrounding spaces and dots do
 * not matter), then with the '_' between its words dropped, so that 'Work
 * e-mail', 'WORK_EMAIL' and 'work email' are all 'workemail'. A pattern is
 * the whole compact name ("name"), or a part it starts with ("forename*"),
 * or a part anywhere in it ("*email*"). This is the list in
 * docs/formats/workforce-return.md, "Direct identifiers": keep the two the
 * same. No known column or alias may match it (test_returns.c checks).
 */
static const struct {
	const char *pattern;
	const char *what;
} identifiers[] = {
	/* names */
	{ "name", "a name" },
	{ "firstname*", "a name" },
	{ "forename*", "a name" },
	{ "givenname*", "a name" },
	{ "middlename*", "a name" },
	{ "surname*", "a name" },
	{ "lastname*", "a name" },
	{ "familyname*", "a name" },
	{ "fullname*", "a name" },
	{ "preferredname*", "a name" },
	{ "knownas", "a name" },
	{ "payrollname*", "a name" },
	{ "maidenname*", "a name" },
	{ "birthname*", "a name" },
	{ "previousname*", "a name" },
	{ "previoussurname*", "a name" },
	{ "nickname*", "a name" },
	{ "legalname*", "a name" },
	{ "employeename*", "a name" },
	{ "staffname*", "a name" },
	{ "applicantname*", "a name" },
	{ "candidatename*", "a name" },
	/* identity numbers */
	{ "ninumber*", "a National Insurance number" },
	{ "nino", "a National Insurance number" },
	{ "*nationalinsurance*", "a National Insurance number" },
	{ "nhsnumber*", "an NHS number" },
	{ "nhsno", "an NHS number" },
	{ "*passport*", "a passport number" },
	/* dates of birth */
	{ "dob", "a date of birth" },
	{ "*dateofbirth*", "a date of birth" },
	{ "*birthdate*", "a date of birth" },
	{ "birthday", "a date of birth" },
	/* contact details and addresses */
	{ "*email*", "an email address" },
	{ "*phone*", "a phone number" },
	{ "tel", "a phone number" },
	{ "telno", "a phone number" },
	{ "telnumber", "a phone number" },
	{ "mobile", "a phone number" },
	{ "mobileno", "a phone number" },
	{ "mobilenumber", "a phone number" },
	{ "contactnumber", "a phone number" },
	{ "contactno", "a phone number" },
	{ "*address*", "an address" },
	{ "*postcode*", "a postcode" },
	{ "*postalcode*", "a postcode" },
	{ "*zipcode*", "a postcode" },
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

int return_parse_flag(const char *text, int *out)
{
	static const char *const yes[] = { "yes", "y", "true", "1" };
	static const char *const no[] = { "no", "n", "false", "0" };
	size_t k;

	if (text[0] == '\0') {
		*out = STORE_NOT_GIVEN;
		return 0;
	}
	/* The usual spellings first, without a loop. */
	if (((text[0] | 0x20) == 'n' && (text[1] == '\0' ||
	     ((text[1] | 0x20) == 'o' && text[2] == '\0')))) {
		*out = 0;
		return 0;
	}
	if ((text[0] | 0x20) == 'y' && (text[1] == '\0' ||
	    ((text[1] | 0x20) == 'e' && (text[2] | 0x20) == 's' &&
	     text[3] == '\0'))) {
		*out = 1;
		return 0;
	}
	for (k = 0; k < COUNT_OF(yes); k++) {
		if (strcasecmp(text, yes[k]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(text, no[k]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int read_digits(const char **p, int min, int max, long *out)
{
	long v = 0;
	int n = 0;

	while (isdigit((unsigned char)**p)) {
		if (++n > max)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	if (n < min)
		return -1;
	*out = v;
	return 0;
}

int return_parse_date(const char *text, char out[11])
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				      30, 31 };
	const char *p = text;
	long y, m, d, dim;

	if (strlen(text) >= 8 && text[4] == '-') {
		if (read_digits(&p, 4, 4, &y) < 0 || *p++ != '-' ||
		    read_digits(&p, 2, 2, &m) < 0 || *p++ != '-' ||
		    read_digits(&p, 2, 2, &d) < 0 || *p)
			return -1;
	} else {
		if (read_digits(&p, 1, 2, &d) < 0 || *p++ != '/' ||
		    read_digits(&p, 1, 2, &m) < 0 || *p++ != '/' ||
		    read_digits(&p, 4, 4, &y) < 0 || *p)
			return -1;
	}
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
		return -1;
	dim = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	if (d > dim)
		return -1;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

static struct label_entry *label_slot(struct label_cache *c,
				      const char *label)
{
	size_t i = (size_t)hash_string(label) & (c->cap - 1);

	while (c->slots[i].label && strcmp(c->slots[i].label, label) != 0)
		i = (i + 1) & (c->cap - 1);
	return &c->slots[i];
}

static void label_cache_grow(struct label_cache *c)
{
	struct label_entry *old = c->slots;
	size_t old_cap = c->cap, k;

	c->cap = old_cap ? old_cap * 2 : 256;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	for (k = 0; k < old_cap; k++)
		if (old[k].label)
			*label_slot(c, old[k].label) = old[k];
	free(old);
}

static void label_cache_free(struct label_cache *c)
{
	size_t k;

	for (k = 0; k < c->cap; k++) {
		free(c->slots[k].label);
		free(c->slots[k].error);
	}
	free(c->slots);
}

/* A new entry for `label` (not in the cache), with the next index. */
static struct label_entry *label_insert(struct label_cache *c,
					const char *label)
{
	struct label_entry *e;

	if ((c->count + 1) * 2 > c->cap)
		label_cache_grow(c);
	e = label_slot(c, label);
	memset(e, 0, sizeof(*e));
	e->label = xstrdup(label);
	e->id = -1;
	e->index = (uint32_t)c->count++;
	return e;
}

/* ---- the labels seen ---- */

/* Count `n` records of `area` with the label of index `index`. */
static void tally_add(struct import *im, int area, uint32_t index, long n)
{
	struct label_tally *t = &im->tally;
	struct label_tally_area *a;
	int slot;

	if (!t->slot_of)
		t->slot_of = xcalloc(im->opt->areas->count + 1,
				     sizeof(*t->slot_of));
	slot = t->slot_of[area];
	if (!slot) {
		t->areas = xgrow(t->areas, &t->cap, t->count + 1,
				 sizeof(*t->areas));
		memset(&t->areas[t->count], 0, sizeof(*t->areas));
		t->areas[t->count].area = area;
		slot = (int)++t->count;
		t->slot_of[area] = slot;
	}
	a = &t->areas[slot - 1];
	if (index >= a->cap) {
		size_t old = a->cap;

		a->counts = xgrow(a->counts, &a->cap, (size_t)index + 1,
				  sizeof(*a->counts));
		memset(a->counts + old, 0, (a->cap - old) * sizeof(*a->counts));
	}
	a->counts[index] += n;
}

static const struct label_tally_area *tally_of(const struct import *im,
					       int area)
{
	const struct label_tally *t = &im->tally;

	if (!t->slot_of || area < 0 || !t->slot_of[area])
		return NULL;
	return &t->areas[t->slot_of[area] - 1];
}

static long tally_count(const struct label_tally_area *a,
			const struct label_entry *e)
{
	return a && e->index < a->cap ? a->counts[e->index] : 0;
}

static void tally_free(struct label_tally *t)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		free(t->areas[k].counts);
	free(t->areas);
	free(t->slot_of);
	memset(t, 0, sizeof(*t));
}

void import_merge_labels(struct import *into, const struct import *from)
{
	size_t k, t;

	for (k = 0; k < from->labels.cap; k++) {
		const struct label_entry *e = &from->labels.slots[k];
		struct label_entry *to;

		if (!e->label)
			continue;
		to = into->labels.cap ? label_slot(&into->labels, e->label)
				      : NULL;
		if (!to || !to->label) {
			to = label_insert(&into->labels, e->label);
			to->id = e->id;
			to->from_2011 = e->from_2011;
			to->rule = e->rule;
		}
		for (t = 0; t < from->tally.count; t++) {
			const struct label_tally_area *a = &from->tally.areas[t];
			long n = tally_count(a, e);

			if (n)
				tally_add(into, a->area, to->index, n);
		}
	}
}

/* Inside the import's transaction: the labels of employer `e`'s return,
 * with the records that carried each and how each was read. */
static int store_labels_of(struct import *im, const struct employer *e,
			   struct parity_error *err)
{
	const struct label_tally_area *a = tally_of(im, e->area);
	struct store_label *list;
	size_t k, n = 0;
	int rc;

	if (!a)
		return 0;
	list = xcalloc(im->labels.count + 1, sizeof(*list));
	for (k = 0; k < im->labels.cap; k++) {
		const struct label_entry *l = &im->labels.slots[k];
		long count = l->label ? tally_count(a, l) : 0;

		if (count <= 0 || l->id < 0)
			continue;
		list[n].label = l->label;
		list[n].records = count;
		list[n].category =
			ethnicity_category((enum ethnicity_id)l->id)->code;
		list[n].rule = label_rule_name((enum label_rule)l->rule);
		n++;
	}
	rc = store_labels_add(im->store, e->sub.id, list, n, err);
	free(list);
	return rc;
}

static int by_records(const void *x, const void *y)
{
	const struct store_refused_label *a = x, *b = y;

	if (a->records != b->records)
		return a->records > b->records ? -1 : 1;
	return strcmp(a->label, b->label);
}

/*
 * After a refused import has been rolled back: keep the labels it
 * refused, with how many records of each return carried them (at most
 * REFUSED_KEPT per return, the most common), replacing what an earlier
 * refusal of the same return kept. A return whose labels all read keeps
 * none now. Failing to keep them is a warning: the import itself has
 * already failed, and says why.
 */
#define REFUSED_KEPT 1000
static void keep_refused_labels(struct import *im)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_refused_label *list = NULL;
	size_t cap = 0, n = 0, t, k, from;

	if (!im->store || !im->count_labels)
		return;
	for (t = 0; t < im->tally.count; t++) {
		const struct label_tally_area *a = &im->tally.areas[t];
		const char *code = im->opt->areas->areas[a->area].code;

		from = n;
		for (k = 0; k < im->labels.cap; k++) {
			const struct label_entry *l = &im->labels.slots[k];
			long count = l->label ? tally_count(a, l) : 0;
			struct store_refused_label *r;

			if (count <= 0 || l->id >= 0 ||
			    strlen(l->label) >= sizeof(r->label))
				continue;
			list = xgrow(list, &cap, n + 1, sizeof(*list));
			r = &list[n++];
			memset(r, 0, sizeof(*r));
			memcpy(r->label, l->label, strlen(l->label) + 1);
			r->records = count;
		}
		if (n - from > 1)
			qsort(list + from, n - from, sizeof(*list), by_records);
		if (n - from > REFUSED_KEPT)
			n = from + REFUSED_KEPT;
		if (n == from) {
			/* none: the return's earlier refusals are cleared */
			list = xgrow(list, &cap, n + 1, sizeof(*list));
			memset(&list[n++], 0, sizeof(*list));
		}
		for (k = from; k < n; k++) {
			list[k].kind = im->opt->kind;
			snprintf(list[k].area_code, sizeof(list[k].area_code),
				 "%s", code);
			list[k].year = im->opt->year;
			snprintf(list[k].refused_at, sizeof(list[k].refused_at),
				 "%s", im->submitted_at);
		}
	}
	if (n && store_refused_labels_keep(im->store, list, n, &err) < 0)
		import_problem(im, DIAG_WARNING, 0, 0,
			       "the labels this import refused could not be "
			       "kept for `parity labels --refused`: %s",
			       err.message);
	free(list);
}

/* Insert `person` first seen on `line`; 0 when new, else the line it was
 * already on. */
static uint32_t id_set_add(struct id_set *set, const unsigned char *person,
			   uint32_t line)
{
	size_t i, k;
	uint64_t h;

	if ((set->count + 1) * 4 > set->cap * 3) {
		struct seen_id *old = set->slots;
		size_t old_cap = set->cap;

		set->cap = old_cap ? old_cap * 2 : 1024;
		set->slots = xcalloc(set->cap, sizeof(*set->slots));
		set->count = 0;
		for (k = 0; k < old_cap; k++)
			if (old[k].line)
				(void)id_set_add(set, old[k].person,
						 old[k].line);
		free(old);
	}
	memcpy(&h, person, sizeof(h)); /* a keyed hash: already uniform */
	i = (size_t)h & (set->cap - 1);
	while (set->slots[i].line) {
		if (memcmp(set->slots[i].person, person, PSEUDONYM_BYTES) == 0)
			return set->slots[i].line;
		i = (i + 1) & (set->cap - 1);
	}
	memcpy(set->slots[i].person, person, PSEUDONYM_BYTES);
	set->slots[i].line = line ? line : 1;
	set->count++;
	return 0;
}

static void pay_push(struct pay_vec *p, double v)
{
	if (p->n == p->cap)
		p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = v;
}

/* ---- problems ---- */

void import_problem(struct import *im, enum diag_severity sev, long line,
		    long column, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_add(im->diags, sev, im->file, line, column, "%s", buf);
}

static void repeated(const struct import *im, struct repeated *r, long line,
		     long column, const char *value)
{
	if (r->rows++ == 0) {
		r->block = im->block;
		r->line = line;
		r->column = column;
		snprintf(r->value, sizeof(r->value), "%s", value);
	}
}

/* 100384.2 as "100,384": whole pounds with thousands separators. */
static void pounds(double v, char *buf, size_t size)
{
	format_value(v, UNIT_COUNT, buf, size);
}

void import_warn_repeated(struct import *im)
{
	double llw = RETURN_LONDON_LIVING_WAGE * RETURN_FULL_TIME_HOURS *
		     RETURN_WEEKS_PER_YEAR;
	char year_pay[32], more[64] = "";

	if (im->below_llw.rows) {
		pounds(llw, year_pay, sizeof(year_pay));
		if (im->below_llw.rows > 1)
			snprintf(more, sizeof(more), "; so are %ld more rows",
				 im->below_llw.rows - 1);
		import_problem(im, DIAG_WARNING, im->below_llw.line,
			im->below_llw.column,
			"annual_salary '%s' is below the London Living Wage for "
			"full-time hours (\xC2\xA3%s a year: \xC2\xA3%.2f an "
			"hour, the %s rate, for %.0f hours a week)%s",
			im->below_llw.value, year_pay,
			RETURN_LONDON_LIVING_WAGE,
			RETURN_LONDON_LIVING_WAGE_YEAR, RETURN_FULL_TIME_HOURS,
			more);
	}
	more[0] = '\0';
	if (im->leaving_before_start.rows > 1)
		snprintf(more, sizeof(more), "; so are %ld more rows",
			 im->leaving_before_start.rows - 1);
	if (im->leaving_before_start.rows)
		import_problem(im, DIAG_WARNING, im->leaving_before_start.line,
			im->leaving_before_start.column,
			"leaving_date %s is before start_date%s",
			im->leaving_before_start.value, more);
}

static long utf8_chars(const char *s)
{
	long n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- the header ---- */

static int find_column(const char *norm)
{
	size_t k;

	for (k = 0; k < C_COUNT; k++)
		if (strcmp(norm, columns[k].name) == 0)
			return (int)k;
	for (k = 0; k < COUNT_OF(aliases); k++)
		if (strcmp(norm, aliases[k].name) == 0)
			return (int)aliases[k].column;
	return -1;
}

/* Whether a compact header name matches an identifier pattern. */
static bool pattern_matches(const char *pattern, const char *compact)
{
	size_t plen = strlen(pattern), clen = strlen(compact);
	bool any_start = pattern[0] == '*';
	bool any_end = plen > 0 && pattern[plen - 1] == '*';
	char part[64];

	if (any_start) {
		pattern++;
		plen--;
	}
	if (any_end)
		plen--;
	if (plen >= sizeof(part) || plen > clen)
		return false;
	memcpy(part, pattern, plen);
	part[plen] = '\0';
	if (any_start && any_end)
		return strstr(compact, part) != NULL;
	if (any_start)
		return strcmp(compact + clen - plen, part) == 0;
	if (any_end)
		return strncmp(compact, part, plen) == 0;
	return strcmp(compact, part) == 0;
}

const char *return_identifier_kind(const char *header)
{
	char norm[128], compact[128];
	size_t k, n = 0;

	csv_header_normalise(header, norm, sizeof(norm));
	for (k = 0; norm[k]; k++)
		if (norm[k] != '_')
			compact[n++] = norm[k];
	compact[n] = '\0';
	if (n == 0)
		return NULL;
	for (k = 0; k < COUNT_OF(identifiers); k++)
		if (pattern_matches(identifiers[k].pattern, compact))
			return identifiers[k].what;
	return NULL;
}

/*
 * A header that is one field holding semicolons, tabs or bars: the file is
 * separated by those, not by the delimiter the reader used. Said once, in
 * place of the missing columns; the rows are then not checked. True when
 * so.
 */
static bool header_delimiter(struct import *im, const struct csv_row *row)
{
	char delim = im->reader ? csv_reader_delimiter(im->reader) : ',';
	char quoted[64], message[512];

	textsafe_quote(row->fields[0].text, 40, quoted, sizeof(quoted));
	if (!csv_delimiter_advice(row, delim, quoted, message,
				  sizeof(message)))
		return false;
	im->field_names[0] = xstrdup(row->fields[0].text);
	import_problem(im, DIAG_ERROR, row->line, row->fields[0].column, "%s",
		       message);
	im->header_unusable = true;
	return true;
}

void import_map_header(struct import *im, const struct csv_row *row)
{
	unsigned kind = 1u << im->opt->kind;
	size_t i, n = 0;
	int c;

	im->nfields = row->count;
	im->field_names = xcalloc(row->count, sizeof(*im->field_names));
	if (header_delimiter(im, row))
		return;
	for (i = 0; i < row->count; i++) {
		const struct csv_field *f = &row->fields[i];
		char norm[128], quoted[64];
		const char *what;

		im->field_names[i] = xstrdup(f->text);
		csv_header_normalise(f->text, norm, sizeof(norm));
		textsafe_quote(f->text, 40, quoted, sizeof(quoted));
		if (norm[0] == '\0') {
			import_problem(im, DIAG_WARNING, row->line, f->column,
				"column %zu has no name: it is ignored and "
				"not stored", i + 1);
			continue;
		}
		what = return_identifier_kind(f->text);
		if (what) {
			import_problem(im, DIAG_ERROR, row->line, f->column,
				"column '%s' holds %s: remove it from the "
				"file, because parity does not accept direct "
				"identifiers (names, identity numbers, dates "
				"of birth, contact details, addresses)",
				quoted, what);
			continue;
		}
		c = find_column(norm);
		if (c < 0) {
			import_problem(im, DIAG_WARNING, row->line, f->column,
				"unknown column '%s' is ignored and not "
				"stored", quoted);
			continue;
		}
		if (!(columns[c].kinds & kind)) {
			import_problem(im, DIAG_WARNING, row->line, f->column,
				"column '%s' belongs to %s returns, not %s "
				"returns: it is ignored and not stored",
				quoted,
				store_kind_name(im->opt->kind == STORE_WORKFORCE
						? STORE_RECRUITMENT
						: STORE_WORKFORCE),
				store_kind_name(im->opt->kind));
			continue;
		}
		if (im->field_of[c] >= 0) {
			import_problem(im, DIAG_ERROR, row->line, f->column,
				"column '%s' repeats column %d ('%s'): each "
				"column may appear once", quoted,
				im->field_of[c] + 1, im->header_text[c]);
			continue;
		}
		im->field_of[c] = (int)i;
		im->header_col[c] = f->column;
		im->header_text[c] = xstrdup(quoted);
	}
	if (im->field_of[C_FTE] >= 0 && im->field_of[C_WEEKLY_HOURS] >= 0)
		import_problem(im, DIAG_ERROR, row->line,
			im->header_col[C_WEEKLY_HOURS],
			"give fte or weekly_hours, not both");
	for (c = 0; c < C_COUNT; c++)
		if ((columns[c].required & kind) && im->field_of[c] < 0)
			import_problem(im, DIAG_ERROR, row->line, 1,
				"missing required column '%s'",
				columns[c].name);
	if (im->field_of[C_EMPLOYER] < 0 && im->fixed_area < 0)
		import_problem(im, DIAG_ERROR, row->line, 1,
			"the file has no employer column, so --area must say "
			"whose return it is");
	/* The recognised columns, in the file's order, for the record. */
	im->columns[0] = '\0';
	for (i = 0; i < row->count; i++)
		for (c = 0; c < C_COUNT; c++)
			if (im->field_of[c] == (int)i) {
				size_t len = strlen(columns[c].name);

				if (n + len + 2 >= sizeof(im->columns))
					break;
				if (n)
					im->columns[n++] = ',';
				memcpy(im->columns + n, columns[c].name, len + 1);
				n += len;
			}
}

/* ---- one row ---- */

/* A field's value trimmed of spaces (and no-break spaces): the field
 * itself when there is nothing to trim, else a copy in the row's scratch
 * buffer, which was sized for the whole row. */
static inline const char *trimmed(struct import *im,
				  const struct csv_field *f)
{
	const char *s = f->text, *end = f->text + f->len;
	char *out;
	unsigned char first, last;

	/* Most values have nothing to trim: the field itself, which the
	 * reader NUL-terminated, will do. */
	if (f->len == 0)
		return f->text;
	first = (unsigned char)s[0];
	last = (unsigned char)end[-1];
	if (first != ' ' && first != '\t' && first != 0xC2 && last != ' ' &&
	    last != '\t' && last != 0xA0)
		return f->text;
	for (;;) {
		if (s < end && (*s == ' ' || *s == '\t'))
			s++;
		else if (end - s >= 2 && (unsigned char)s[0] == 0xC2 &&
			 (unsigned char)s[1] == 0xA0)
			s += 2;
		else
			break;
	}
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - s >= 2 && (unsigned char)end[-2] == 0xC2 &&
			 (unsigned char)end[-1] == 0xA0)
			end -= 2;
		else
			break;
	}
	out = im->scratch + im->scratch_len;
	memcpy(out, s, (size_t)(end - s));
	out[end - s] = '\0';
	im->scratch_len += (size_t)(end - s) + 1;
	return out;
}

/* Room in the scratch buffer for a date written out. */
static char *scratch_take(struct import *im, size_t n)
{
	char *out = im->scratch + im->scratch_len;

	im->scratch_len += n;
	return out;
}

static void ragged(struct import *im, const struct csv_row *row)
{
	if (row->count < im->nfields) {
		const struct csv_field *last = &row->fields[row->count - 1];
		char name[64];

		textsafe_quote(im->field_names[row->count], 40, name, sizeof(name));
		import_problem(im, DIAG_ERROR, row->line,
			last->column + utf8_chars(last->text),
			"the row ends after %zu field%s, but the header has "
			"%zu: column '%s' and any after it are missing",
			row->count, row->count == 1 ? "" : "s", im->nfields,
			name);
	} else {
		import_problem(im, DIAG_ERROR, row->line,
			row->fields[im->nfields].column,
			"the row has %zu fields, but the header has %zu: "
			"field %zu has no column", row->count, im->nfields,
			im->nfields + 1);
	}
}

/* ---- employers by hash ---- */

/*
 * `text` with ASCII letters folded to lower case, NUL-padded, into `key`:
 * two texts have the same key exactly when strcasecmp() finds them equal
 * (parity never sets a locale). false when the text is too long to key
 * (no area code is), so that it is looked up each time.
 */
static bool employer_key(const char *text, char key[EMPLOYER_KEY_BYTES])
{
	size_t k;

	memset(key, 0, EMPLOYER_KEY_BYTES);
	for (k = 0; text[k]; k++) {
		unsigned char c = (unsigned char)text[k];

		if (k == EMPLOYER_KEY_BYTES - 1)
			return false;
		key[k] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	return true;
}

/* The slot that holds `key`, or the empty slot where it would go; NULL
 * while the index is empty. */
static struct employer_slot *employer_slot_for(struct employer_index *ix,
					       const char *key)
{
	uint64_t w0, w1, h;
	size_t i;

	if (!ix->cap)
		return NULL;
	memcpy(&w0, key, sizeof(w0));
	memcpy(&w1, key + sizeof(w0), sizeof(w1));
	/* splitmix64's finaliser: codes differ only in their last bytes,
	 * which a plain multiply would leave out of the low bits */
	h = w0 + w1 * 0x9E3779B97F4A7C15ULL;
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
	h ^= h >> 31;
	i = (size_t)h & (ix->cap - 1);
	while (ix->slots[i].key[0] &&
	       memcmp(ix->slots[i].key, key, EMPLOYER_KEY_BYTES) != 0)
		i = (i + 1) & (ix->cap - 1);
	return &ix->slots[i];
}

static void employer_index_add(struct employer_index *ix, const char *key,
			       int area)
{
	struct employer_slot *slot;

	if ((ix->count + 1) * 2 > ix->cap) {
		struct employer_slot *old = ix->slots;
		size_t old_cap = ix->cap, k;

		ix->cap = old_cap ? old_cap * 2 : 64;
		ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
		for (k = 0; k < old_cap; k++)
			if (old[k].key[0])
				*employer_slot_for(ix, old[k].key) = old[k];
		free(old);
	}
	slot = employer_slot_for(ix, key);
	if (!slot->key[0]) {
		memcpy(slot->key, key, EMPLOYER_KEY_BYTES);
		slot->area = area;
		ix->count++;
	}
}

/* The area of a row: its employer, or --area. -1 after an error. */
static int row_area(struct import *im, const struct csv_row *row)
{
	const struct area_set *areas = im->opt->areas;
	const struct csv_field *f;
	const char *text;
	char quoted[64], key[EMPLOYER_KEY_BYTES];
	bool keyed;
	int a;

	if (im->field_of[C_EMPLOYER] < 0)
		return im->fixed_area;
	f = &row->fields[im->field_of[C_EMPLOYER]];
	text = trimmed(im, f);
	if (text[0])
		im->nonblank[C_EMPLOYER]++;
	if (text[0] == '\0') {
		if (im->fixed_area >= 0)
			return im->fixed_area;
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"employer is blank, and no --area was given");
		return -1;
	}
	/* A text that named an area before: one hash lookup, whatever the
	 * order of the rows and however many employers the file holds. */
	keyed = employer_key(text, key);
	if (keyed) {
		const struct employer_slot *slot =
			employer_slot_for(&im->employer_text, key);

		if (slot && slot->key[0])
			return slot->area;
	}
	textsafe_quote(text, 40, quoted, sizeof(quoted));
	a = area_find(areas, text);
	if (a < 0 || strcasecmp(areas->areas[a].code, text) != 0) {
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"employer '%s' is not a known area code (see `parity "
			"areas`)", quoted);
		return -1;
	}
	if (areas->areas[a].type != AREA_BOROUGH &&
	    areas->areas[a].type != AREA_LOCAL_AUTHORITY) {
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"employer '%s' is a %s (%s), not a borough or local "
			"authority", quoted, area_type_name(areas->areas[a].type),
			areas->areas[a].name);
		return -1;
	}
	if (im->fixed_area >= 0 && a != im->fixed_area) {
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"employer '%s' does not match --area %s", quoted,
			areas->areas[im->fixed_area].code);
		return -1;
	}
	if (keyed)
		employer_index_add(&im->employer_text, key, a);
	return a;
}

/*
 * A 64-bit fingerprint of (area, id): words of the id mixed in with
 * multiply-xorshift steps, then a final avalanche. Two different ids may
 * share one, rarely; analyse.c treats a shared fingerprint as a possible
 * duplicate and checks the file again exactly.
 */
static uint64_t fingerprint(int area, const char *text, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)len << 32) ^
		     (uint64_t)(unsigned)area;
	size_t k;

	for (k = 0; k < len; k += 8) {
		uint64_t w = 0;

		memcpy(&w, text + k, len - k < 8 ? len - k : 8);
		h ^= w;
		h *= 0x9FB21C651E98DF25ULL;
		h ^= h >> 29;
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 33;
	return h;
}

static void fingerprint_add(struct import *im, int area, const char *text,
			    size_t len)
{
	uint64_t h = fingerprint(area, text, len);
	struct fingerprint_part *p;

	if (!im->fingerprints)
		im->fingerprints = xcalloc(FINGERPRINT_PARTS,
					   sizeof(*im->fingerprints));
	p = &im->fingerprints[h >> (64 - FINGERPRINT_PART_BITS)];
	if (p->n == p->cap)
		p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = h;
}

/*
 * The bytes an id is pseudonymised from. An id of at most PSEUDONYM_ID_MAX
 * characters can have more bytes than that (an accented letter is two in
 * UTF-8), which the pseudonym would not all take: such an id is given as a
 * byte that no UTF-8 text holds, 0xFF, and the 32-byte BLAKE2b digest of
 * all of it, so that two ids that differ anywhere differ in their
 * pseudonyms.
 */
#define ID_DIGEST_BYTES (1 + 32)
static const char *id_key(const char *text, size_t *len,
			  char digest[ID_DIGEST_BYTES])
{
	if (*len <= PSEUDONYM_ID_MAX)
		return text;
	digest[0] = (char)0xFF;
	crypto_generichash((unsigned char *)digest + 1, ID_DIGEST_BYTES - 1,
			   (const unsigned char *)text, *len, NULL, 0);
	*len = ID_DIGEST_BYTES;
	return digest;
}

static void check_id(struct import *im, const struct csv_row *row,
		     enum col c, int area, struct row_values *v)
{
	const struct csv_field *f = &row->fields[im->field_of[c]];
	const char *text = trimmed(im, f);
	size_t len = strlen(text);
	unsigned char *person = im->opt->kind == STORE_WORKFORCE
				? v->staff.person : v->applicant.person;
	uint32_t first;
	char digest[ID_DIGEST_BYTES];
	const char *key;
	size_t key_len = len;

	if (len == 0) {
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s is blank: every row needs one", columns[c].name);
		return;
	}
	im->nonblank[c]++;
	/* the limit is in characters: only a long id needs them counted */
	if (len > PSEUDONYM_ID_MAX && utf8_chars(text) > PSEUDONYM_ID_MAX) {
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s is longer than %d characters", columns[c].name,
			PSEUDONYM_ID_MAX);
		return;
	}
	if (area < 0)
		return;
	if (im->block_mode) {
		fingerprint_add(im, area, text, len);
		v->have_person = true;
		if (im->emit) {
			key = id_key(text, &key_len, digest);
			pseudonym_make(im->emit_key, "staff",
				       im->opt->areas->areas[area].code, key,
				       key_len, person);
		}
		return;
	}
	key = id_key(text, &key_len, digest);
	pseudonym_make(im->store ? store_key(im->store) : &im->own_key,
		       im->opt->kind == STORE_WORKFORCE ? "staff" : "applicant",
		       im->opt->areas->areas[area].code, key, key_len, person);
	first = id_set_add(&im->ids, person, (uint32_t)row->line);
	if (first) {
		char quoted[64];

		textsafe_quote(text, 40, quoted, sizeof(quoted));
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s '%s' is also on line %lu: each must be unique",
			columns[c].name, quoted, (unsigned long)first);
		return;
	}
	v->have_person = true;
}

/*
 * Classify a label: why it is refused (allocated), or NULL with `e` read
 * (id, from_2011, rule).
 */
static char *classify_label(const struct import *im, const char *label,
			    struct label_entry *e)
{
	struct ethnicity_match m;
	struct parity_error err = PARITY_ERROR_INIT;

	memset(&m, 0, sizeof(m));
	if (ethnicity_classify(im->opt->classifier, label, &m, &err) < 0)
		return xstrdup(err.message);
	if (m.id < 0) {
		char quoted[64];
		struct strbuf sb = STRBUF_INIT;

		textsafe_quote(label, 40, quoted, sizeof(quoted));
		strbuf_addf(&sb, "ethnicity '%s' names only a high-level "
			    "group (%s): the store keeps detailed groups, so "
			    "give the detailed group, or map this label to "
			    "one with --aliases FILE or `parity aliases add`",
			    quoted, ethnicity_group_info(m.group)->label);
		return strbuf_detach(&sb, NULL);
	}
	e->id = m.id;
	e->from_2011 = m.from_2011;
	e->rule = (unsigned char)label_rule_of(&m, im->opt->aliases, label);
	return NULL;
}

/* A label not in the cache: classify it, and keep it there. Apart from
 * classify() so that the common path sets up no error record. */
static const struct label_entry *classify_new(struct import *im,
					      const char *label, long line,
					      long column)
{
	struct label_entry *e = label_insert(&im->labels, label);
	char *error = classify_label(im, label, e);

	if (error) {
		import_problem(im, DIAG_ERROR, line, column, "%s", error);
		if (im->labels.errors < LABEL_CACHE_MAX) {
			e->error = error;
			im->labels.errors++;
		} else {
			free(error);
		}
	}
	return e;
}

/* A refused label seen again whose message was not kept: made again. */
static void refused_again(struct import *im, const char *label, long line,
			  long column)
{
	struct label_entry scratch;
	char *error;

	memset(&scratch, 0, sizeof(scratch));
	error = classify_label(im, label, &scratch);
	if (error)
		import_problem(im, DIAG_ERROR, line, column, "%s", error);
	free(error);
}

/* Classify through the cache: the label's entry (every label is kept),
 * with its refusal reported when it is refused. */
static const struct label_entry *classify(struct import *im,
					  const char *label, long line,
					  long column)
{
	const struct label_entry *e;

	if (im->labels.cap) {
		e = label_slot(&im->labels, label);
		if (e->label) {
			if (e->error)
				import_problem(im, DIAG_ERROR, line, column, "%s",
					e->error);
			else if (e->id < 0)
				refused_again(im, label, line, column);
			return e;
		}
	}
	return classify_new(im, label, line, column);
}

/*
 * The row's ethnicity label: no longer than a text column may be,
 * classified through the cache, and counted for its area. The record
 * keeps the label as given (the cache's copy, which outlives the rows).
 * Returns the category's id, or -1 after an error.
 */
static int check_label(struct import *im, struct row_values *v,
		       const char *label, long line,
		       const struct csv_field *f)
{
	const struct label_entry *e;

	if (f->len > RETURN_TEXT_MAX &&
	    utf8_chars(label) > RETURN_TEXT_MAX) {
		import_problem(im, DIAG_ERROR, line, f->column,
			"ethnicity is longer than %d characters",
			RETURN_TEXT_MAX);
		return -1;
	}
	e = classify(im, label, line, f->column);
	v->label_2011 = e->from_2011;
	v->staff.label = v->applicant.label = e->label;
	if (im->count_labels && v->area >= 0)
		tally_add(im, v->area, e->index, 1);
	return e->id;
}

static void check_salary(struct import *im, const struct csv_row *row,
			 struct row_values *v)
{
	const struct csv_field *f = &row->fields[im->field_of[C_ANNUAL_SALARY]];
	const char *text = trimmed(im, f);
	double pay, llw = RETURN_LONDON_LIVING_WAGE * RETURN_FULL_TIME_HOURS *
			  RETURN_WEEKS_PER_YEAR;
	char quoted[64];

	if (text[0] == '\0') {
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"annual_salary is blank: give full-time-equivalent "
			"annual pay in pounds");
		return;
	}
	im->nonblank[C_ANNUAL_SALARY]++;
	if (number_parse_grouped(text, true, &pay) < 0) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"annual_salary '%s' is not an amount in pounds (like "
			"52340, 52340.50 or \xC2\xA3" "52,340.00)", quoted);
		return;
	}
	if (!(pay >= RETURN_SALARY_MIN && pay <= RETURN_SALARY_MAX)) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"annual_salary '%s' is outside \xC2\xA3" "5,000 to "
			"\xC2\xA3" "1,000,000: give full-time-equivalent "
			"annual pay in pounds", quoted);
		return;
	}
	if (pay < llw) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		repeated(im, &im->below_llw, row->line, f->column, quoted);
	}
	v->staff.annual_salary = pay;
}

static void check_fte(struct import *im, const struct csv_row *row,
		      enum col c, struct row_values *v)
{
	const struct csv_field *f = &row->fields[im->field_of[c]];
	const char *text = trimmed(im, f);
	double x;
	char quoted[64];

	if (text[0] == '\0')
		return; /* full time */
	im->nonblank[c]++;
	if (number_parse(text, &x) < 0) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s '%s' is not a number", columns[c].name, quoted);
		return;
	}
	if (c == C_FTE) {
		if (!(x > 0 && x <= 1)) {
			textsafe_quote(text, 40, quoted, sizeof(quoted));
			import_problem(im, DIAG_ERROR, row->line, f->column,
				"fte '%s' is out of range: it must be more "
				"than 0 and at most 1", quoted);
			return;
		}
		v->staff.fte = x;
		return;
	}
	if (!(x > 0 && x <= RETURN_MAX_WEEKLY_HOURS)) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"weekly_hours '%s' is out of range: it must be more "
			"than 0 and at most %.0f", quoted,
			RETURN_MAX_WEEKLY_HOURS);
		return;
	}
	x /= RETURN_FULL_TIME_HOURS;
	v->staff.fte = x > 1 ? 1 : x;
}

/* Warn once about each unrecognised value of a coded column. */
static void check_coded(struct import *im, enum col c, const char *text,
			long line, long column)
{
	struct coded_seen *seen;
	size_t k;

	if (quality_memo_recognised(&im->coded_memo[c], columns[c].name, text))
		return;
	for (k = 0; k < im->ncoded; k++)
		if (im->coded[k].column == c &&
		    strcmp(im->coded[k].value, text) == 0)
			return;
	if (im->ncoded >= CODED_WARN_MAX)
		return;
	im->coded = xgrow(im->coded, &im->coded_cap, im->ncoded + 1,
			  sizeof(*im->coded));
	seen = &im->coded[im->ncoded++];
	seen->column = c;
	seen->value = xstrdup(text);
	seen->line = line;
	seen->column_at = column;
	seen->block = im->block;
	if (!im->block_mode)
		import_warn_coded(im, seen);
}

void import_warn_coded(struct import *im, const struct coded_seen *seen)
{
	char quoted[64];

	textsafe_quote(seen->value, 40, quoted, sizeof(quoted));
	import_problem(im, DIAG_WARNING, seen->line, seen->column_at,
		"%s '%s' is not a value parity recognises: it is stored as "
		"given (later rows with it are not listed; see the quality "
		"report)", columns[seen->column].name, quoted);
}

/* A text, coded or date column: the stored value or NULL. */
static const char *check_text(struct import *im, const struct csv_row *row,
			      enum col c)
{
	const struct csv_field *f;
	const char *text;
	char *date;

	if (im->field_of[c] < 0)
		return NULL;
	f = &row->fields[im->field_of[c]];
	text = trimmed(im, f);
	if (text[0] == '\0')
		return NULL;
	im->nonblank[c]++;
	if ((text == f->text ? f->len : strlen(text)) > RETURN_TEXT_MAX &&
	    utf8_chars(text) > RETURN_TEXT_MAX) {
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s is longer than %d characters", columns[c].name,
			RETURN_TEXT_MAX);
		return NULL;
	}
	if (columns[c].type == T_CODED)
		check_coded(im, c, text, row->line, f->column);
	if (columns[c].type != T_DATE)
		return text;
	date = scratch_take(im, 11);
	if (return_parse_date(text, date) < 0) {
		char quoted[64];

		textsafe_quote(text, 40, quoted, sizeof(quoted));
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s '%s' is not a date: write YYYY-MM-DD or "
			"DD/MM/YYYY", columns[c].name, quoted);
		return NULL;
	}
	return date;
}

static int check_flag(struct import *im, const struct csv_row *row,
		      enum col c)
{
	const struct csv_field *f;
	const char *text;
	char quoted[64];
	int v;

	if (im->field_of[c] < 0)
		return STORE_NOT_GIVEN;
	f = &row->fields[im->field_of[c]];
	text = trimmed(im, f);
	if (text[0])
		im->nonblank[c]++;
	if (return_parse_flag(text, &v) < 0) {
		textsafe_quote(text, 40, quoted, sizeof(quoted));
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s '%s' is not yes or no (yes/no, y/n, true/false "
			"or 1/0)", columns[c].name, quoted);
		return STORE_NOT_GIVEN;
	}
	if (v == STORE_NOT_GIVEN && columns[c].type == T_REQUIRED_FLAG)
		import_problem(im, DIAG_ERROR, row->line, f->column,
			"%s is blank: give yes or no", columns[c].name);
	return v;
}

/* The employer of `area`, added when new: found by the area's index, so
 * that rows cost the same in any order. */
static struct employer *employer_for(struct import *im, int area)
{
	struct employer *e;

	if (!im->employer_at)
		im->employer_at = xcalloc(im->opt->areas->count,
					  sizeof(*im->employer_at));
	if (im->employer_at[area])
		return &im->employers[im->employer_at[area] - 1];
	im->employers = xgrow(im->employers, &im->employers_cap,
			      im->nemployers + 1, sizeof(*im->employers));
	e = &im->employers[im->nemployers];
	memset(e, 0, sizeof(*e));
	e->area = area;
	if (im->store) {
		quality_init(&e->quality, im->opt->kind, im->columns);
		e->quality_ready = true;
	}
	im->employer_at[area] = (int)++im->nemployers;
	return e;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (strcmp(path, "-") == 0)
		return "stdin";
	return slash ? slash + 1 : path;
}

/* Store a checked row. Returns -1 when the store fails. */
static int store_row(struct import *im, const struct row_values *v,
		     struct parity_error *err)
{
	struct employer *e = employer_for(im, v->area);
	int k;

	if (!e->added && im->store) {
		struct store_submission *sub = &e->sub;

		sub->kind = im->opt->kind;
		snprintf(sub->area_code, sizeof(sub->area_code), "%s",
			 im->opt->areas->areas[v->area].code);
		sub->year = im->opt->year;
		snprintf(sub->submitted_at, sizeof(sub->submitted_at), "%s",
			 im->submitted_at);
		snprintf(sub->submitted_by, sizeof(sub->submitted_by), "%s",
			 im->opt->submitted_by ? im->opt->submitted_by : "");
		snprintf(sub->source_name, sizeof(sub->source_name), "%s",
			 base_name(im->opt->path));
		snprintf(sub->encoding, sizeof(sub->encoding), "UTF-8");
		snprintf(sub->columns, sizeof(sub->columns), "%s", im->columns);
		sub->alias_version = im->opt->aliases
				     ? im->opt->aliases->version : 0;
		snprintf(sub->code_system, sizeof(sub->code_system), "%s",
			 ethnicity_code_system_name(
				 ethnicity_classifier_code_system(
					 im->opt->classifier)));
		if (store_submission_add(im->store, sub, err) < 0)
			return -1;
		e->added = true;
	}
	e->rows++;
	e->labels_2011 = e->labels_2011 || v->label_2011;
	e->roma = e->roma || v->staff.ethnicity == ETH_WROM;
	if (im->opt->kind == STORE_WORKFORCE) {
		const struct store_staff *r = &v->staff;

		if (im->store && store_staff_add(im->store, e->sub.id, r, err) < 0)
			return -1;
		pay_push(&e->pay[r->ethnicity], r->annual_salary);
		for (k = 0; k < STORE_EVENT_COUNT; k++) {
			struct store_event_count *c = &e->events[k][r->ethnicity];

			if (r->events[k] == STORE_NOT_GIVEN)
				c->missing++;
			else if (r->events[k])
				c->yes++;
			else
				c->no++;
		}
		if (im->store)
			quality_add_staff(&e->quality, r);
	} else {
		const struct store_applicant *r = &v->applicant;
		struct store_applicant_count *c = &e->applicants[r->ethnicity];

		if (im->store &&
		    store_applicant_add(im->store, e->sub.id, r, err) < 0)
			return -1;
		c->applied++;
		c->shortlisted += r->shortlisted;
		c->appointed += r->appointed;
		if (im->store)
			quality_add_applicant(&e->quality, r);
	}
	return 0;
}

int import_store_row(struct import *im, const struct row_values *v,
		     struct parity_error *err)
{
	return store_row(im, v, err);
}

/* A copy of `s` in the rows' own memory, which lasts until they are
 * stored; NULL stays NULL. Chunks are kept for the next block. */
static const char *keep(struct checked_rows *c, const char *s)
{
	size_t len;
	struct arena_chunk *a = c->current;
	char *out;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	while (a && a->cap - a->used < len)
		a = a->next;
	if (!a) {
		size_t cap = len > ARENA_CHUNK ? len : ARENA_CHUNK;

		a = xmalloc(sizeof(*a) + cap);
		a->next = NULL;
		a->used = 0;
		a->cap = cap;
		if (c->current) {
			a->next = c->current->next;
			c->current->next = a;
		} else {
			a->next = c->arena;
			c->arena = a;
		}
	}
	c->current = a;
	out = a->data + a->used;
	memcpy(out, s, len);
	a->used += len;
	return out;
}

/* Keep a checked row, and copies of its values, for the store. */
static void emit_row(struct checked_rows *c, const struct row_values *v)
{
	struct row_values *to;
	struct store_staff *s;

	c->rows = xgrow(c->rows, &c->cap, c->count + 1, sizeof(*c->rows));
	to = &c->rows[c->count++];
	*to = *v;
	s = &to->staff;
	s->pay_band = keep(c, s->pay_band);
	s->grade = keep(c, s->grade);
	s->job_family = keep(c, s->job_family);
	s->sex = keep(c, s->sex);
	s->age_band = keep(c, s->age_band);
	s->disability = keep(c, s->disability);
	s->contract_type = keep(c, s->contract_type);
	s->start_date = keep(c, s->start_date);
	s->leaving_date = keep(c, s->leaving_date);
}

void checked_rows_reset(struct checked_rows *c)
{
	struct arena_chunk *a;

	for (a = c->arena; a; a = a->next)
		a->used = 0;
	c->current = c->arena;
	c->count = 0;
}

void checked_rows_free(struct checked_rows *c)
{
	while (c->arena) {
		struct arena_chunk *next = c->arena->next;

		free(c->arena);
		c->arena = next;
	}
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

static void check_workforce(struct import *im, const struct csv_row *row,
			    struct row_values *v)
{
	struct store_staff *s = &v->staff;
	enum col c;

	s->fte = 1;
	if (im->field_of[C_ANNUAL_SALARY] >= 0)
		check_salary(im, row, v);
	if (im->field_of[C_FTE] >= 0)
		check_fte(im, row, C_FTE, v);
	else if (im->field_of[C_WEEKLY_HOURS] >= 0)
		check_fte(im, row, C_WEEKLY_HOURS, v);
	s->pay_band = check_text(im, row, C_PAY_BAND);
	s->grade = check_text(im, row, C_GRADE);
	s->job_family = check_text(im, row, C_JOB_FAMILY);
	s->sex = check_text(im, row, C_SEX);
	s->age_band = check_text(im, row, C_AGE_BAND);
	s->disability = check_text(im, row, C_DISABILITY);
	s->contract_type = check_text(im, row, C_CONTRACT_TYPE);
	s->start_date = check_text(im, row, C_START_DATE);
	s->leaving_date = check_text(im, row, C_LEAVING_DATE);
	for (c = C_PROMOTED; c <= C_LEFT; c++)
		s->events[c - C_PROMOTED] = check_flag(im, row, c);
	if (s->start_date && s->leaving_date &&
	    strcmp(s->leaving_date, s->start_date) < 0)
		repeated(im, &im->leaving_before_start, row->line,
			 row->fields[im->field_of[C_LEAVING_DATE]].column,
			 s->leaving_date);
}

static void check_recruitment(struct import *im, const struct csv_row *row,
			      struct row_values *v)
{
	struct store_applicant *a = &v->applicant;
	int shortlisted = check_flag(im, row, C_SHORTLISTED);
	int appointed = check_flag(im, row, C_APPOINTED);

	a->shortlisted = shortlisted == 1;
	a->appointed = appointed == 1;
	if (shortlisted == 0 && appointed == 1)
		import_problem(im, DIAG_ERROR, row->line,
			row->fields[im->field_of[C_APPOINTED]].column,
			"appointed is yes but shortlisted is no: an appointed "
			"applicant must have been shortlisted");
	a->vacancy_id = check_text(im, row, C_VACANCY_ID);
	a->pay_band = check_text(im, row, C_PAY_BAND);
}

int import_check_row(struct import *im, const struct csv_row *row,
		     struct parity_error *err)
{
	size_t need, k;
	struct row_values v;
	enum col id_col = im->opt->kind == STORE_WORKFORCE ? C_STAFF_ID
							   : C_APPLICANT_ID;
	int eth = -1;

	if (im->header_unusable)
		return 0;
	if (row->count != im->nfields) {
		ragged(im, row);
		return 0;
	}
	im->rows_checked++;
	/* Room for every field trimmed, plus a written-out date each. */
	need = 64;
	for (k = 0; k < row->count; k++)
		need += row->fields[k].len + 12;
	im->scratch = xgrow(im->scratch, &im->scratch_cap, need, 1);
	im->scratch_len = 0;
	memset(&v, 0, sizeof(v));
	v.area = row_area(im, row);
	if (im->field_of[id_col] >= 0)
		check_id(im, row, id_col, v.area, &v);
	if (im->field_of[C_ETHNICITY] >= 0) {
		const struct csv_field *f = &row->fields[im->field_of[C_ETHNICITY]];
		const char *label = trimmed(im, f);

		if (label[0])
			im->nonblank[C_ETHNICITY]++;
		eth = check_label(im, &v, label, row->line, f);
	}
	v.staff.ethnicity = v.applicant.ethnicity =
		eth >= 0 ? (enum ethnicity_id)eth : ETH_NOT_KNOWN;
	if (im->opt->kind == STORE_WORKFORCE)
		check_workforce(im, row, &v);
	else
		check_recruitment(im, row, &v);
	if (im->diags->errors > 0 || !v.have_person || eth < 0)
		return 0;
	if (im->emit) {
		emit_row(im->emit, &v);
		return 0;
	}
	return store_row(im, &v, err);
}

/* ---- the whole file ---- */

static void sha_tap(void *ctx, const void *data, size_t len)
{
	file_digest_update(ctx, data, len);
}

/* Note where Windows-1252 was first needed: the field holding the first
 * such character, when the row has just one line. */
static void note_windows_1252(struct import *im, const struct csv_row *row)
{
	long line = csv_reader_windows_1252_line(im->reader), column = 0;
	size_t k, i;

	if (im->cp1252_line || line == 0)
		return;
	if (line == row->line)
		for (k = 0; k < row->count && !column; k++)
			for (i = 0; i < row->fields[k].len; i++)
				if ((unsigned char)row->fields[k].text[i] >= 0x80) {
					column = row->fields[k].column;
					break;
				}
	im->cp1252_line = line;
	im->cp1252_column = column;
}

/* A file read as Windows-1252 (and not refused for mixing encodings). */
static void warn_windows_1252(struct import *im)
{
	if (!im->cp1252_line ||
	    csv_reader_encoding(im->reader) != CSV_ENCODING_WINDOWS_1252)
		return;
	import_problem(im, DIAG_WARNING, im->cp1252_line, im->cp1252_column,
		"the file is not UTF-8: it was read as Windows-1252, which "
		"this field is the first to need; save the file as 'CSV "
		"UTF-8' to be sure of every character");
}

void import_warn_blank_columns(struct import *im)
{
	int c;

	/* not when no row could be read against the header: that is said
	 * row by row */
	if (im->rows_checked == 0)
		return;
	for (c = 0; c < C_COUNT; c++) {
		if (im->field_of[c] < 0 || im->nonblank[c] > 0 ||
		    c == C_STAFF_ID || c == C_APPLICANT_ID ||
		    c == C_ANNUAL_SALARY || c == C_SHORTLISTED ||
		    c == C_APPOINTED ||
		    (c == C_WEEKLY_HOURS && im->field_of[C_FTE] >= 0))
			continue;
		import_problem(im, DIAG_WARNING, 1, im->header_col[c],
			c == C_ETHNICITY
			? "column '%s' is blank on every row: every record "
			  "will have ethnicity not known"
			: "column '%s' is blank on every row",
			im->header_text[c]);
	}
}

/* Sort the pay vectors, write the aggregates and finish the submission. */
static int finish_employer(struct import *im, struct employer *e,
			   const char *sha, const char *encoding,
			   struct parity_error *err)
{
	double *all;
	size_t n = 0;
	int eth, k;

	for (eth = 0; eth < ETH_COUNT; eth++) {
		struct pay_vec *p = &e->pay[eth];
		struct store_applicant_count *a = &e->applicants[eth];

		if (p->n) {
			stats_sort_salaries(p->v, p->n);
			if (store_pay_add(im->store, e->sub.id,
					  (enum ethnicity_id)eth, p->v, p->n,
					  err) < 0)
				return -1;
			for (k = 0; k < STORE_EVENT_COUNT; k++)
				if (store_event_add(im->store, e->sub.id,
						    (enum ethnicity_id)eth,
						    (enum store_event)k,
						    &e->events[k][eth], err) < 0)
					return -1;
		}
		if (a->applied &&
		    store_applicant_count_add(im->store, e->sub.id,
					      (enum ethnicity_id)eth, a,
					      err) < 0)
			return -1;
		n += p->n;
	}
	if (im->opt->kind == STORE_WORKFORCE) {
		all = xmalloc((n ? n : 1) * sizeof(*all));
		n = 0;
		for (eth = 0; eth < ETH_COUNT; eth++) {
			if (e->pay[eth].n)
				memcpy(all + n, e->pay[eth].v,
				       e->pay[eth].n * sizeof(*all));
			n += e->pay[eth].n;
		}
		stats_sort_salaries(all, n);
		quality_set_pay(&e->quality, all, n);
		free(all);
	}
	e->sub.rows = e->rows;
	snprintf(e->sub.sha256, sizeof(e->sub.sha256), "%s", sha);
	snprintf(e->sub.encoding, sizeof(e->sub.encoding), "%s", encoding);
	e->sub.classification = e->labels_2011 && !e->roma ? 2011 : 2021;
	if (store_labels_of(im, e, err) < 0 ||
	    store_refused_labels_clear(im->store, im->opt->kind, "",
				       e->sub.area_code, e->sub.year, err) < 0)
		return -1;
	return store_submission_finish(im->store, &e->sub, err);
}

/*
 * Commit, or find that nothing changed. Called with no errors found. All
 * the reading is done before the commit, so that nothing can fail after
 * it: a failure reported means nothing was stored.
 */
int import_conclude(struct import *im, struct import_result *res,
		    struct parity_error *err)
{
	const char *encoding =
		im->reader && csv_reader_encoding(im->reader) ==
				      CSV_ENCODING_WINDOWS_1252
		? "Windows-1252" : "UTF-8";
	struct store_submission *prev = xcalloc(im->nemployers + 1,
						sizeof(*prev));
	bool *same = xcalloc(im->nemployers + 1, sizeof(*same));
	size_t k, unchanged = 0;
	int status = -1;

	for (k = 0; k < im->nemployers; k++) {
		struct employer *e = &im->employers[k];

		if (!e->sub.supersedes)
			continue;
		if (store_submission_get(im->store, e->sub.supersedes, &prev[k],
					 err) < 0)
			goto out;
		prev[k].current = true; /* it is again, if this one goes */
		if (strcmp(prev[k].sha256, res->sha256) == 0) {
			same[k] = true;
			unchanged++;
		}
	}
	res->subs = xcalloc(im->nemployers + 1, sizeof(*res->subs));
	for (k = 0; k < im->nemployers; k++) {
		struct employer *e = &im->employers[k];
		struct import_submission *out = &res->subs[res->count++];

		if (same[k]) {
			if (unchanged < im->nemployers &&
			    store_submission_discard(im->store, &e->sub, err) < 0)
				goto out;
		} else if (finish_employer(im, e, res->sha256, encoding,
					   err) < 0) {
			goto out;
		}
		out->area = e->area;
		out->unchanged = same[k];
		out->sub = same[k] ? prev[k] : e->sub;
		out->quality = e->quality;
		e->quality_ready = false; /* moved to the result */
		if (quality_previous_load(im->store, &out->sub, &out->previous,
					  err) < 0)
			goto out;
	}
	res->unchanged = unchanged == im->nemployers;
	if (res->unchanged)
		store_rollback(im->store);
	else if (store_commit(im->store, err) < 0)
		goto out;
	status = 0;
out:
	free(same);
	free(prev);
	return status;
}

int import_resolve_options(struct import *im, struct parity_error *err)
{
	const struct import_options *opt = im->opt;

	if (opt->year < RETURN_YEAR_MIN || opt->year > RETURN_YEAR_MAX)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"year %d is outside %d-%d", opt->year,
					RETURN_YEAR_MIN, RETURN_YEAR_MAX);
	im->fixed_area = -1;
	if (opt->area) {
		int a = area_find(opt->areas, opt->area);

		if (a < 0)
			return parity_error_set(err, PARITY_ERR_VALIDATION, NULL,
						0, 0, "unknown area '%s' (see "
						"`parity areas`)", opt->area);
		if (opt->areas->areas[a].type != AREA_BOROUGH &&
		    opt->areas->areas[a].type != AREA_LOCAL_AUTHORITY)
			return parity_error_set(
				err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				"area '%s' is a %s (%s): a return is for one "
				"borough or local authority", opt->area,
				area_type_name(opt->areas->areas[a].type),
				opt->areas->areas[a].code);
		im->fixed_area = a;
	}
	if (opt->submitted_at) {
		snprintf(im->submitted_at, sizeof(im->submitted_at), "%s",
			 opt->submitted_at);
	} else if (clock_utc_now(im->submitted_at, sizeof(im->submitted_at),
				 err) < 0) {
		return -1;
	}
	return 0;
}

void import_state_free(struct import *im)
{
	size_t k;
	int e;

	csv_reader_free(im->reader);
	for (k = 0; k < C_COUNT; k++)
		free(im->header_text[k]);
	for (k = 0; k < im->nfields; k++)
		free(im->field_names[k]);
	free(im->field_names);
	for (k = 0; k < im->nemployers; k++) {
		for (e = 0; e < ETH_COUNT; e++)
			free(im->employers[k].pay[e].v);
		if (im->employers[k].quality_ready)
			quality_release(&im->employers[k].quality);
	}
	free(im->employers);
	free(im->employer_at);
	free(im->employer_text.slots);
	label_cache_free(&im->labels);
	tally_free(&im->tally);
	free(im->ids.slots);
	for (k = 0; k < im->ncoded; k++)
		free(im->coded[k].value);
	free(im->coded);
	free(im->scratch);
	if (im->fingerprints)
		for (k = 0; k < FINGERPRINT_PARTS; k++)
			free(im->fingerprints[k].v);
	free(im->fingerprints);
	sodium_memzero(&im->own_key, sizeof(im->own_key));
	file_digest_free(&im->sha);
}

/* Read every row; returns -1 only when the store fails. */
int import_read_rows(struct import *im, struct parity_error *err)
{
	struct parity_error read_err = PARITY_ERROR_INIT;
	struct csv_row row;
	bool header = true;
	int rc;

	while ((rc = csv_reader_next(im->reader, &row, &read_err)) > 0) {
		im->last_line = row.line;
		note_windows_1252(im, &row);
		if (header) {
			import_map_header(im, &row);
			header = false;
			continue;
		}
		im->rows++;
		if (import_check_row(im, &row, err) < 0)
			return -1;
		if (im->opt->progress && (im->rows & 4095) == 0)
			im->opt->progress(im->opt->progress_ctx, im->rows,
					  csv_reader_bytes_read(im->reader),
					  csv_reader_size(im->reader));
	}
	if (rc < 0) {
		if (read_err.code == PARITY_ERR_IO && read_err.line == 0) {
			*err = read_err;
			return -1;
		}
		diag_add_error(im->diags, &read_err);
		return 0;
	}
	warn_windows_1252(im);
	if (im->opt->progress)
		im->opt->progress(im->opt->progress_ctx, im->rows,
				  csv_reader_bytes_read(im->reader),
				  csv_reader_size(im->reader));
	if (header)
		import_problem(im, DIAG_ERROR, 1, 1, "the file is empty: a return "
			"starts with a header row");
	else if (im->rows == 0)
		import_problem(im, DIAG_ERROR, im->last_line + 1, 1,
			"the file has a header but no rows");
	import_warn_blank_columns(im);
	import_warn_repeated(im);
	return 0;
}

int import_return(struct store *s, const struct import_options *opt,
		  struct diag_list *diags, struct import_result *res,
		  struct parity_error *err)
{
	struct import im;
	int status = -1, rc;
	size_t k;

	memset(res, 0, sizeof(*res));
	if (sodium_init() < 0)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"libsodium could not be initialised");
	/* a workforce return in a regular file is checked on every core;
	 * anything unusual comes back here for the single pass */
	rc = import_parallel(s, opt, diags, res, err);
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	memset(&im, 0, sizeof(im));
	im.opt = opt;
	im.store = s;
	im.diags = diags;
	im.count_labels = true;
	for (k = 0; k < C_COUNT; k++)
		im.field_of[k] = -1;
	if (import_resolve_options(&im, err) < 0)
		goto out;
	if (csv_reader_open_file(&im.reader, opt->path, err) < 0)
		goto out;
	im.file = csv_reader_name(im.reader);
	if (file_digest_init(&im.sha, err) < 0)
		goto out;
	csv_reader_set_tap(im.reader, sha_tap, &im.sha);
	if (store_begin(s, err) < 0)
		goto out;
	if (import_read_rows(&im, err) < 0)
		goto rollback;
	res->rows = im.rows;
	if (file_digest_final(&im.sha, res->sha256, err) < 0)
		goto rollback;
	diag_list_sort(diags);
	if (diags->errors > 0) {
		parity_error_set(err, PARITY_ERR_VALIDATION, im.file, 0, 0,
				 "%zu error%s: nothing was stored",
				 diags->errors, diags->errors == 1 ? "" : "s");
		/* nothing of the return stays; only the labels it refused,
		 * with their counts, are kept for `parity labels` */
		store_rollback(s);
		keep_refused_labels(&im);
		goto out;
	}
	/* The duplicate-id set has done its work: give its memory back before
	 * the salaries are sorted. */
	free(im.ids.slots);
	memset(&im.ids, 0, sizeof(im.ids));
	if (import_conclude(&im, res, err) < 0)
		goto rollback;
	status = 0;
	goto out;
rollback:
	store_rollback(s);
out:
	import_state_free(&im);
	return status;
}

void import_result_release(struct import_result *res)
{
	size_t k;

	for (k = 0; k < res->count; k++)
		quality_release(&res->subs[k].quality);
	free(res->subs);
	memset(res, 0, sizeof(*res));
}
