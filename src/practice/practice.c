/*
 * practice.c - practice records (see practice.h): read from JSON with
 * every problem located (base/jsonpos.h), kept in the store in versions
 * (store/practice_store.h), moderated, and indexed for search once
 * approved; the starter set built into parity.
 */
#include "practice/practice.h"

#include "base/alloc.h"
#include "base/jsonpos.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "table/measure_def.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char parity_data_practice_starter_json[];
extern const size_t parity_data_practice_starter_json_len;

const char *const practice_strands[] = { "leadership", "employer",
					 "services", NULL };
const char *const practice_service_areas[] = {
	"hr", "education", "youth-justice", "policing", "housing",
	"public-health", "social-care", "procurement", "community", "other",
	NULL
};
const char *const practice_statuses[] = { "idea", "pilot", "established",
					  "evaluated", NULL };

/* ---- reading, with the pointer of the value in hand ---- */

struct reader {
	const char *where;
	struct jsonpos *pos;
	struct diag_list *problems;
	const struct area_set *areas;
	char pointer[512];
	size_t errors;
};

static void problem(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	jsonpos_vdiag(r->pos, r->pointer, r->problems, DIAG_ERROR, r->where, fmt,
		      ap);
	va_end(ap);
	r->errors++;
}

static void warning(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warning(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	jsonpos_vdiag(r->pos, r->pointer, r->problems, DIAG_WARNING, r->where, fmt,
		      ap);
	va_end(ap);
}

static bool in_list(const char *const *list, const char *v)
{
	size_t k;

	for (k = 0; list[k]; k++)
		if (strcmp(list[k], v) == 0)
			return true;
	return false;
}

static void list_words(const char *const *list, char *out, size_t size)
{
	size_t k, len = 0;

	out[0] = '\0';
	for (k = 0; list[k] && len + 1 < size; k++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					k ? ", " : "", list[k]);
}

/* Text that is fit to keep: valid UTF-8, no control characters but line
 * ends and tabs, at most `max` characters, not blank. */
static bool text_ok(struct reader *r, const char *key, const char *v,
		    size_t max)
{
	const unsigned char *p;

	if (!utf8_valid(v, strlen(v), NULL)) {
		problem(r, "%s is not UTF-8 text", key);
		return false;
	}
	for (p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') ||
		    *p == 0x7f) {
			problem(r, "%s holds a control character", key);
			return false;
		}
	if (utf8_length(v) > max) {
		problem(r, "%s is longer than %zu characters", key, max);
		return false;
	}
	if (strspn(v, " \t\r\n") == strlen(v)) {
		problem(r, "%s is blank", key);
		return false;
	}
	return true;
}

/* The text member `key` of `obj` (NULL when absent, or after a problem),
 * copied. */
static char *text_member(struct reader *r, json_t *obj, const char *key,
			 bool required, size_t max)
{
	json_t *v = json_object_get(obj, key);
	char *out = NULL;
	size_t before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);

	if (!v) {
		if (required)
			problem(r, "%s is missing", key);
	} else if (!json_is_string(v)) {
		problem(r, "%s must be text", key);
	} else if (text_ok(r, key, json_string_value(v), max)) {
		out = xstrdup(json_string_value(v));
	}
	jsonpos_pop(r->pointer, before);
	return out;
}

/* A member that must be one word of `list`. */
static char *word_member(struct reader *r, json_t *obj, const char *key,
			 const char *const *list)
{
	char *v = text_member(r, obj, key, true, 64), words[512];
	size_t before;

	if (!v || in_list(list, v))
		return v;
	before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);
	list_words(list, words, sizeof(words));
	problem(r, "%s '%s' is not one of: %s", key, v, words);
	jsonpos_pop(r->pointer, before);
	free(v);
	return NULL;
}

/* A member that is a list of texts: each checked by `each`, which keeps
 * it (returning true) or reports it. */
typedef bool (*item_fn)(struct reader *r, struct practice_record *rec,
			const char *v);
static void list_member(struct reader *r, struct practice_record *rec,
			json_t *obj, const char *key, bool required,
			item_fn each)
{
	json_t *arr = json_object_get(obj, key), *v;
	size_t before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);
	size_t k, at;

	if (!arr) {
		if (required)
			problem(r, "%s is missing", key);
	} else if (!json_is_array(arr)) {
		problem(r, "%s must be a list", key);
	} else if (json_array_size(arr) > PRACTICE_MAX_LIST) {
		problem(r, "%s has %zu entries: at most %d", key,
			json_array_size(arr), PRACTICE_MAX_LIST);
	} else {
		if (required && json_array_size(arr) == 0)
			problem(r, "%s is empty", key);
		json_array_foreach(arr, k, v) {
			at = jsonpos_push_index(r->pointer, sizeof(r->pointer),
						k);
			if (!json_is_string(v))
				problem(r, "%s must hold text", key);
			else if (text_ok(r, key, json_string_value(v), 200))
				each(r, rec, json_string_value(v));
			jsonpos_pop(r->pointer, at);
		}
	}
	jsonpos_pop(r->pointer, before);
}

static bool lead_item(struct reader *r, struct practice_record *rec,
		      const char *v)
{
	int a = r->areas ? area_find(r->areas, v) : -1;
	size_t k;

	if (!r->areas) {
		/* read back from the store: checked when it was sent */
		rec->leads[rec->nleads++] = xstrdup(v);
		return true;
	}
	if (a < 0 || (r->areas->areas[a].type != AREA_BOROUGH)) {
		problem(r, "'%s' is not one of London's 33 councils (by ONS "
			   "code or name)", v);
		return false;
	}
	for (k = 0; k < rec->nleads; k++)
		if (strcmp(rec->leads[k], r->areas->areas[a].code) == 0) {
			warning(r, "'%s' is named twice (kept once)", v);
			return false;
		}
	rec->leads[rec->nleads++] = xstrdup(r->areas->areas[a].code);
	return true;
}

static bool partner_item(struct reader *r, struct practice_record *rec,
			 const char *v)
{
	(void)r;
	rec->partners[rec->npartners++] = xstrdup(v);
	return true;
}

static bool tag_item(struct reader *r, struct practice_record *rec,
		     const char *v)
{
	char *tag = xstrdup(v), *p;
	size_t k;

	for (p = tag; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (k = 0; k < rec->ntags; k++)
		if (strcmp(rec->tags[k], tag) == 0) {
			warning(r, "tag '%s' is given twice (kept once)", v);
			free(tag);
			return false;
		}
	rec->tags[rec->ntags++] = tag;
	return true;
}

/* A contact by role, never a person's name: a role is words a person
 * holds ("Head of HR"), so a record whose contact reads like a name
 * (two or three capitalised words, with no word of a role) is refused. */
static bool looks_like_a_name(const char *v)
{
	static const char *const role_words[] = {
		"head", "director", "manager", "lead", "officer", "team",
		"chief", "executive", "adviser", "advisor", "coordinator",
		"co-ordinator", "partner", "service", "services", "network",
		"board", "unit", "hr", "of", "for", "and", "the", "equality",
		"diversity", "inclusion", "programme", "assistant", "deputy",
		"principal", "senior", "specialist", "analyst", "business",
		"champion", "secretariat", "group", "panel", NULL
	};
	char word[64];
	const char *p = v;
	size_t words = 0, capitalised = 0, n;
	size_t k;

	while (*p) {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ,");
		if (n == 0)
			break;
		if (n >= sizeof(word))
			return false;
		for (k = 0; k < n; k++)
			word[k] = (char)tolower((unsigned char)p[k]);
		word[n] = '\0';
		for (k = 0; role_words[k]; k++)
			if (strcmp(role_words[k], word) == 0)
				return false;
		words++;
		capitalised += isupper((unsigned char)p[0]) != 0;
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return words >= 2 && words <= 3 && capitalised == words;
}

static void resources_member(struct reader *r, struct practice_record *rec,
			     json_t *obj)
{
	json_t *arr = json_object_get(obj, "resources"), *v;
	size_t before = jsonpos_push_key(r->pointer, sizeof(r->pointer),
					 "resources");
	size_t k, at;

	if (arr && !json_is_array(arr)) {
		problem(r, "resources must be a list");
	} else if (arr && json_array_size(arr) > PRACTICE_MAX_LIST) {
		problem(r, "resources has %zu entries: at most %d",
			json_array_size(arr), PRACTICE_MAX_LIST);
	} else if (arr) {
		json_array_foreach(arr, k, v) {
			struct practice_resource res = { NULL, NULL };

			at = jsonpos_push_index(r->pointer, sizeof(r->pointer),
						k);
			if (!json_is_object(v)) {
				problem(r, "a resource is an object with a "
					   "title and a url");
				jsonpos_pop(r->pointer, at);
				continue;
			}
			res.title = text_member(r, v, "title", true, 200);
			res.url = text_member(r, v, "url", true, 2000);
			if (res.url && strncmp(res.url, "https://", 8) != 0) {
				size_t u = jsonpos_push_key(
					r->pointer, sizeof(r->pointer), "url");

				problem(r, "url must begin https://");
				jsonpos_pop(r->pointer, u);
				free(res.url);
				res.url = NULL;
			}
			if (res.title && res.url) {
				rec->resources[rec->nresources++] = res;
			} else {
				free(res.title);
				free(res.url);
			}
			jsonpos_pop(r->pointer, at);
		}
	}
	jsonpos_pop(r->pointer, before);
}

static void measures_member(struct reader *r, struct practice_record *rec,
			    json_t *obj)
{
	json_t *arr = json_object_get(obj, "measures"), *v;
	size_t before = jsonpos_push_key(r->pointer, sizeof(r->pointer),
					 "measures");
	size_t k, at;

	if (arr && !json_is_array(arr)) {
		problem(r, "measures must be a list");
	} else if (arr && json_array_size(arr) > PRACTICE_MAX_LIST) {
		problem(r, "measures has %zu entries: at most %d",
			json_array_size(arr), PRACTICE_MAX_LIST);
	} else if (arr) {
		json_array_foreach(arr, k, v) {
			struct practice_link l = { NULL, NULL, NULL };

			at = jsonpos_push_index(r->pointer, sizeof(r->pointer),
						k);
			if (!json_is_object(v)) {
				problem(r, "a linked measure is an object: "
					   "measure, and breakdown and group "
					   "when it needs them");
				jsonpos_pop(r->pointer, at);
				continue;
			}
			l.measure = text_member(r, v, "measure", true, 64);
			l.breakdown = text_member(r, v, "breakdown", false,
						  100);
			l.group = text_member(r, v, "group", false, 100);
			if (l.measure && !measure_def_find(l.measure)) {
				size_t u = jsonpos_push_key(
					r->pointer, sizeof(r->pointer),
					"measure");

				problem(r, "'%s' is not a measure parity "
					   "computes (see `parity measures`)",
					l.measure);
				jsonpos_pop(r->pointer, u);
				free(l.measure);
				l.measure = NULL;
			}
			if (l.measure) {
				rec->measures[rec->nmeasures++] = l;
			} else {
				free(l.breakdown);
				free(l.group);
			}
			jsonpos_pop(r->pointer, at);
		}
	}
	jsonpos_pop(r->pointer, before);
}

static bool month_ok(const char *v)
{
	return strlen(v) == 7 && isdigit((unsigned char)v[0]) &&
	       isdigit((unsigned char)v[1]) && isdigit((unsigned char)v[2]) &&
	       isdigit((unsigned char)v[3]) && v[4] == '-' &&
	       ((v[5] == '0' && v[6] >= '1' && v[6] <= '9') ||
		(v[5] == '1' && v[6] >= '0' && v[6] <= '2'));
}

static void record_read(struct reader *r, json_t *obj,
			struct practice_record *rec)
{
	static const char *const known[] = {
		"title", "lead_councils", "partners", "strand",
		"service_area", "tags", "summary", "what_was_done", "outcomes",
		"evidence", "resources", "contact_role", "status", "started",
		"measures", "example", NULL
	};
	const char *key;
	json_t *v;

	memset(rec, 0, sizeof(*rec));
	if (!json_is_object(obj)) {
		problem(r, "a practice record is an object");
		return;
	}
	json_object_foreach(obj, key, v) {
		size_t before;

		if (in_list(known, key))
			continue;
		before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);
		warning(r, "unknown member '%s' (ignored)", key);
		jsonpos_pop(r->pointer, before);
	}
	rec->title = text_member(r, obj, "title", true, PRACTICE_TITLE_MAX);
	list_member(r, rec, obj, "lead_councils", true, lead_item);
	list_member(r, rec, obj, "partners", false, partner_item);
	rec->strand = word_member(r, obj, "strand", practice_strands);
	rec->service_area = word_member(r, obj, "service_area",
					practice_service_areas);
	list_member(r, rec, obj, "tags", false, tag_item);
	rec->summary = text_member(r, obj, "summary", true, 1000);
	rec->what_was_done = text_member(r, obj, "what_was_done", false,
					 PRACTICE_TEXT_MAX);
	rec->outcomes = text_member(r, obj, "outcomes", false,
				    PRACTICE_TEXT_MAX);
	rec->evidence = text_member(r, obj, "evidence", false,
				    PRACTICE_TEXT_MAX);
	resources_member(r, rec, obj);
	rec->contact_role = text_member(r, obj, "contact_role", true, 120);
	if (rec->contact_role && looks_like_a_name(rec->contact_role)) {
		size_t before = jsonpos_push_key(r->pointer,
						 sizeof(r->pointer),
						 "contact_role");

		problem(r, "contact_role '%s' reads like a person's name: give "
			   "the role (such as 'Head of Organisational "
			   "Development'), never a name", rec->contact_role);
		jsonpos_pop(r->pointer, before);
	}
	rec->status = word_member(r, obj, "status", practice_statuses);
	rec->started = text_member(r, obj, "started", false, 7);
	if (rec->started && !month_ok(rec->started)) {
		size_t before = jsonpos_push_key(r->pointer,
						 sizeof(r->pointer), "started");

		problem(r, "started must be a month as YYYY-MM, not '%s'",
			rec->started);
		jsonpos_pop(r->pointer, before);
	}
	measures_member(r, rec, obj);
	v = json_object_get(obj, "example");
	if (v && !json_is_boolean(v)) {
		size_t before = jsonpos_push_key(r->pointer,
						 sizeof(r->pointer), "example");

		problem(r, "example must be true or false");
		jsonpos_pop(r->pointer, before);
	}
	rec->example = json_is_true(v);
}

int practice_parse(const char *text, size_t len, const char *where,
		   const struct area_set *areas,
		   struct practice_record **out, size_t *n,
		   struct diag_list *problems, struct parity_error *err)
{
	struct reader r;
	json_error_t jerr;
	json_t *root, *v;
	size_t k, count, before;

	*out = NULL;
	*n = 0;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		diag_add(problems, DIAG_ERROR, where, jerr.line, jerr.column,
			 "not JSON: %s", jerr.text);
		return parity_error_set(err, PARITY_ERR_PARSE, where,
					jerr.line, jerr.column, "not JSON: %s",
					jerr.text);
	}
	memset(&r, 0, sizeof(r));
	r.where = where;
	r.pos = jsonpos_build(text, len);
	r.problems = problems;
	r.areas = areas;
	count = json_is_array(root) ? json_array_size(root) : 1;
	*out = xcalloc(count ? count : 1, sizeof(**out));
	if (json_is_array(root)) {
		json_array_foreach(root, k, v) {
			before = jsonpos_push_index(r.pointer,
						    sizeof(r.pointer), k);
			record_read(&r, v, &(*out)[k]);
			jsonpos_pop(r.pointer, before);
		}
	} else {
		record_read(&r, root, &(*out)[0]);
	}
	*n = count;
	json_decref(root);
	jsonpos_free(r.pos);
	diag_list_sort(problems);
	if (r.errors) {
		practice_records_free(*out, *n);
		*out = NULL;
		*n = 0;
		return parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					"%zu problem%s in the practice "
					"record%s: nothing was stored",
					r.errors, r.errors == 1 ? "" : "s",
					count == 1 ? "" : "s");
	}
	return 0;
}

void practice_record_release(struct practice_record *r)
{
	size_t k;

	free(r->title);
	for (k = 0; k < r->nleads; k++)
		free(r->leads[k]);
	for (k = 0; k < r->npartners; k++)
		free(r->partners[k]);
	free(r->strand);
	free(r->service_area);
	free(r->status);
	for (k = 0; k < r->ntags; k++)
		free(r->tags[k]);
	free(r->summary);
	free(r->what_was_done);
	free(r->outcomes);
	free(r->evidence);
	for (k = 0; k < r->nresources; k++) {
		free(r->resources[k].title);
		free(r->resources[k].url);
	}
	free(r->contact_role);
	free(r->started);
	for (k = 0; k < r->nmeasures; k++) {
		free(r->measures[k].measure);
		free(r->measures[k].breakdown);
		free(r->measures[k].group);
	}
	memset(r, 0, sizeof(*r));
}

void practice_records_free(struct practice_record *r, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		practice_record_release(&r[k]);
	free(r);
}

static json_t *text_list(char *const *items, size_t n)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; k < n; k++)
		json_array_append_new(a, json_string(items[k]));
	return a;
}

char *practice_record_json(const struct practice_record *r)
{
	json_t *o = json_object(), *res = json_array(), *ms = json_array();
	char *text;
	size_t k;

	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "lead_councils", text_list(r->leads, r->nleads));
	json_object_set_new(o, "partners",
			    text_list(r->partners, r->npartners));
	json_object_set_new(o, "strand", json_string(r->strand));
	json_object_set_new(o, "service_area", json_string(r->service_area));
	json_object_set_new(o, "tags", text_list(r->tags, r->ntags));
	json_object_set_new(o, "summary", json_string(r->summary));
	if (r->what_was_done)
		json_object_set_new(o, "what_was_done",
				    json_string(r->what_was_done));
	if (r->outcomes)
		json_object_set_new(o, "outcomes", json_string(r->outcomes));
	if (r->evidence)
		json_object_set_new(o, "evidence", json_string(r->evidence));
	for (k = 0; k < r->nresources; k++)
		json_array_append_new(res, json_pack(
			"{s:s, s:s}", "title", r->resources[k].title, "url",
			r->resources[k].url));
	json_object_set_new(o, "resources", res);
	json_object_set_new(o, "contact_role", json_string(r->contact_role));
	json_object_set_new(o, "status", json_string(r->status));
	if (r->started)
		json_object_set_new(o, "started", json_string(r->started));
	for (k = 0; k < r->nmeasures; k++)
		json_array_append_new(ms, json_pack(
			"{s:s, s:s*, s:s*}", "measure", r->measures[k].measure,
			"breakdown", r->measures[k].breakdown, "group",
			r->measures[k].group));
	json_object_set_new(o, "measures", ms);
	json_object_set_new(o, "example", json_boolean(r->example));
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text ? text : xstrdup("{}");
}

/* ---- versions and moderation ---- */

static int audit(const struct practice_actor *who, const char *action,
		 const char *area_code, int64_t id, const char *detail,
		 struct parity_error *err)
{
	if (!who->audit)
		return 0;
	return who->audit(who->audit_ctx, action, area_code, id, detail, err);
}

static int finish(struct store *s, int rc, struct parity_error *err)
{
	if (rc == 0 && store_commit(s, err) == 0)
		return 0;
	store_rollback(s);
	return -1;
}

/* Text of the record that search reads beyond its title and summary. */
static char *body_text(const struct practice_record *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k;

	if (r->what_was_done)
		strbuf_addf(&sb, "%s\n", r->what_was_done);
	if (r->outcomes)
		strbuf_addf(&sb, "%s\n", r->outcomes);
	if (r->evidence)
		strbuf_addf(&sb, "%s\n", r->evidence);
	for (k = 0; k < r->npartners; k++)
		strbuf_addf(&sb, "%s\n", r->partners[k]);
	strbuf_addf(&sb, "%s", r->contact_role ? r->contact_role : "");
	return strbuf_detach(&sb, NULL);
}

/* What practice_submit() allocated for its row (the rest is the
 * record's). */
static void submit_row_release(struct practice_row *row)
{
	free(row->body);
	free(row->submitted_by);
	free(row->leads);
	free(row->tags);
}

int practice_submit(struct store *s, const struct practice_record *r,
		    const char *area_code, int64_t record,
		    const struct practice_actor *who, int64_t *id,
		    struct parity_error *err)
{
	struct practice_row row, before;
	char detail[256];
	int64_t before_id = 0;
	size_t k;
	bool lead = false;
	int rc;

	if (who->area_code && who->area_code[0] &&
	    strcmp(who->area_code, area_code) != 0)
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"a council submits practice for its "
					"own area only");
	for (k = 0; k < r->nleads; k++)
		lead = lead || strcmp(r->leads[k], area_code) == 0;
	if (!lead)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"%s is not among the record's lead "
					"councils", area_code);
	memset(&row, 0, sizeof(row));
	row.record = record;
	snprintf(row.area_code, sizeof(row.area_code), "%s", area_code);
	row.title = r->title;
	row.strand = r->strand;
	row.service_area = r->service_area;
	row.status = r->status;
	row.example = r->example;
	row.body = practice_record_json(r);
	row.submitted_at = who->now;
	/* the row borrows the record's strings: its own arrays of them,
	 * and a copy of who sent it */
	row.submitted_by = xstrdup(who->by);
	row.leads = xcalloc(r->nleads + 1, sizeof(*row.leads));
	memcpy(row.leads, r->leads, r->nleads * sizeof(*row.leads));
	row.nleads = r->nleads;
	row.tags = xcalloc(r->ntags + 1, sizeof(*row.tags));
	memcpy(row.tags, r->tags, r->ntags * sizeof(*row.tags));
	row.ntags = r->ntags;
	if (store_begin(s, err) < 0) {
		submit_row_release(&row);
		return -1;
	}
	rc = 0;
	if (record) {
		rc = practice_store_latest(s, record, false, &before, err);
		if (rc == 0)
			rc = parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL,
					      0, 0, "there is no practice "
					      "record %lld",
					      (long long)record);
		else if (rc > 0) {
			before_id = before.id;
			rc = strcmp(before.area_code, area_code) != 0
				     ? parity_error_set(
					       err, PARITY_ERR_DENIED, NULL, 0,
					       0, "practice record %lld is "
					       "another council's",
					       (long long)record)
				     : 0;
			practice_row_release(&before);
		}
	}
	if (rc == 0)
		rc = practice_store_add(s, &row, err);
	/* the new version starts with the documents of the one before */
	if (rc == 0 && record)
		rc = practice_attachment_carry(s, before_id, row.id, err);
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "record %lld version %d",
			 (long long)row.record, row.version);
		rc = audit(who, "practice.submit", area_code, row.id, detail,
			   err);
	}
	submit_row_release(&row);
	*id = row.id;
	return finish(s, rc, err);
}

/* Index version `row` (approved) as what readers search for its record. */
static int index_row(struct store *s, const struct practice_row *row,
		     const struct area_set *areas, struct parity_error *err)
{
	struct diag_list problems = DIAG_LIST_INIT;
	struct practice_record *r = NULL;
	struct parity_error perr = PARITY_ERROR_INIT;
	struct strbuf tags = STRBUF_INIT;
	char *body;
	size_t n = 0, k;
	int rc;

	(void)areas;
	/* the stored JSON was checked when it was submitted; read it
	 * again without the councils' check, which it passed */
	if (practice_parse(row->body, strlen(row->body), "(stored)", NULL, &r,
			   &n, &problems, &perr) < 0 || n != 1) {
		diag_list_release(&problems);
		practice_records_free(r, n);
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"practice version %lld could not be "
					"read back: %s", (long long)row->id,
					perr.message);
	}
	for (k = 0; k < row->ntags; k++)
		strbuf_addf(&tags, "%s%s", k ? " " : "", row->tags[k]);
	body = body_text(&r[0]);
	rc = practice_store_index(s, row->record, row->title, r[0].summary,
				  body, tags.buf ? tags.buf : "", err);
	free(body);
	strbuf_release(&tags);
	diag_list_release(&problems);
	practice_records_free(r, n);
	return rc;
}

static int moderate(struct store *s, int64_t id, const char *state,
		    const char *comments, const struct practice_actor *who,
		    struct parity_error *err)
{
	struct practice_row row;
	char detail[256];
	int rc;

	if (who->area_code && who->area_code[0])
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"London Councils' analysts moderate "
					"practice records, not councils");
	if (store_begin(s, err) < 0)
		return -1;
	rc = practice_store_moderate(s, id, state, who->by, who->now, comments,
				     err);
	memset(&row, 0, sizeof(row));
	if (rc == 0 && practice_store_get(s, id, &row, err) != 1)
		rc = -1;
	if (rc == 0 && strcmp(state, "approved") == 0)
		rc = index_row(s, &row, NULL, err);
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "record %lld version %d",
			 (long long)row.record, row.version);
		rc = audit(who, strcmp(state, "approved") == 0
					? "practice.approve"
					: "practice.return",
			   row.area_code, id, detail, err);
	}
	practice_row_release(&row);
	return finish(s, rc, err);
}

int practice_approve(struct store *s, int64_t id,
		     const struct practice_actor *who,
		     struct parity_error *err)
{
	return moderate(s, id, "approved", NULL, who, err);
}

int practice_return(struct store *s, int64_t id, const char *comments,
		    const struct practice_actor *who,
		    struct parity_error *err)
{
	if (!comments || strspn(comments, " \t\r\n") == strlen(comments))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"a returned record needs comments "
					"saying what to change");
	return moderate(s, id, "returned", comments, who, err);
}

void practice_label(const char *id, char *buf, size_t size)
{
	size_t k;

	if (size == 0)
		return;
	snprintf(buf, size, "%s", strcmp(id, "hr") == 0 ? "HR" : id);
	for (k = 0; buf[k]; k++)
		if (buf[k] == '-' || buf[k] == '_')
			buf[k] = ' ';
	buf[0] = (char)toupper((unsigned char)buf[0]);
}

bool practice_visible(const struct practice_row *row,
		      const struct practice_actor *who)
{
	return strcmp(row->state, "approved") == 0 || who->sees_all ||
	       (who->area_code && who->area_code[0] &&
		strcmp(who->area_code, row->area_code) == 0);
}

/* ---- documents attached to a version ---- */

/* Version `id` when `who` may see it: 0 (*row filled), or -1 with
 * PARITY_ERR_NOT_FOUND (none to see) or the store's error. */
static int visible_version(struct store *s, int64_t id,
			   const struct practice_actor *who,
			   struct practice_row *row, struct parity_error *err)
{
	int rc = practice_store_get(s, id, row, err);

	if (rc < 0)
		return -1;
	if (rc > 0 && practice_visible(row, who))
		return 0;
	if (rc > 0)
		practice_row_release(row);
	return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				"there is no practice version %lld",
				(long long)id);
}

/* Whether `who` may change the documents of version `row`: the council
 * that sent it, or those who see all. */
static int may_change(const struct practice_row *row,
		      const struct practice_actor *who,
		      struct parity_error *err)
{
	if (who->area_code && who->area_code[0] &&
	    strcmp(who->area_code, row->area_code) != 0)
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"practice version %lld is another "
					"council's", (long long)row->id);
	if (strcmp(row->state, "submitted") != 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"version %lld was %s already: its "
					"documents never change; send a new "
					"version to change them",
					(long long)row->id, row->state);
	return 0;
}

static int attach_within(struct store *s, const struct practice_row *row,
			 const void *data, size_t len, size_t max_bytes,
			 const char *name, const struct practice_actor *who,
			 struct attachment_verdict *v, int *n,
			 struct parity_error *err)
{
	struct practice_attachment_row *have = NULL, add;
	struct file_digest d;
	char detail[512];
	size_t nhave = 0;
	int rc;

	if (may_change(row, who, err) < 0 ||
	    practice_attachment_list(s, row->id, &have, &nhave, err) < 0)
		return -1;
	practice_attachment_rows_free(have, nhave);
	if (nhave >= PRACTICE_MAX_ATTACHMENTS)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"version %lld holds %d documents "
					"already: remove one first",
					(long long)row->id,
					PRACTICE_MAX_ATTACHMENTS);
	if (attachment_check(data, len, name, max_bytes, v, err) < 0)
		return -1;
	memset(&add, 0, sizeof(add));
	add.practice_id = row->id;
	snprintf(add.type, sizeof(add.type), "%s",
		 attachment_type_name(v->type));
	add.size = (int64_t)len;
	add.added_at = who->now;
	if (file_digest_init(&d, err) < 0)
		return -1;
	file_digest_update(&d, data, len);
	if (file_digest_final(&d, add.sha256, err) < 0)
		return -1;
	/* the row owns copies of the name and of who added it */
	add.name = xstrdup(v->name);
	add.added_by = xstrdup(who->by);
	rc = practice_attachment_store(s, &add, data, err);
	*n = add.n;
	snprintf(detail, sizeof(detail), "record %lld version %d document %d: "
		 "%s (%s, %zu bytes, sha256 %s)", (long long)row->record,
		 row->version, add.n, v->name, add.type, len, add.sha256);
	practice_attachment_row_release(&add);
	if (rc < 0)
		return -1;
	return audit(who, "practice.attach", row->area_code, row->id, detail,
		     err);
}

int practice_attach(struct store *s, int64_t id, const char *name,
		    const void *data, size_t len, size_t max_bytes,
		    const struct practice_actor *who,
		    struct attachment_verdict *v, int *n,
		    struct parity_error *err)
{
	struct practice_row row;
	int rc;

	memset(v, 0, sizeof(*v));
	*n = 0;
	if (store_begin(s, err) < 0)
		return -1;
	rc = visible_version(s, id, who, &row, err);
	if (rc == 0) {
		rc = attach_within(s, &row, data, len, max_bytes, name, who, v,
				   n, err);
		practice_row_release(&row);
	}
	return finish(s, rc, err);
}

int practice_detach(struct store *s, int64_t id, int n,
		    const struct practice_actor *who,
		    struct parity_error *err)
{
	struct practice_row row;
	char detail[128];
	int rc;

	if (store_begin(s, err) < 0)
		return -1;
	rc = visible_version(s, id, who, &row, err);
	if (rc < 0)
		return finish(s, rc, err);
	rc = may_change(&row, who, err);
	if (rc == 0)
		rc = practice_attachment_delete(s, id, n, err);
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "record %lld version %d "
			 "document %d", (long long)row.record, row.version, n);
		rc = audit(who, "practice.detach", row.area_code, id, detail,
			   err);
	}
	practice_row_release(&row);
	return finish(s, rc, err);
}

int practice_attachments(struct store *s, int64_t id,
			 const struct practice_actor *who,
			 struct practice_attachment_row **rows, size_t *n,
			 struct parity_error *err)
{
	struct practice_row row;

	*rows = NULL;
	*n = 0;
	if (visible_version(s, id, who, &row, err) < 0)
		return -1;
	practice_row_release(&row);
	return practice_attachment_list(s, id, rows, n, err);
}

int practice_attachment(struct store *s, int64_t id, int n,
			const struct practice_actor *who,
			struct practice_attachment_row *out,
			struct parity_error *err)
{
	struct practice_row row;
	int rc;

	memset(out, 0, sizeof(*out));
	if (visible_version(s, id, who, &row, err) < 0)
		return -1;
	practice_row_release(&row);
	rc = practice_attachment_get(s, id, n, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"version %lld has no document %d",
					(long long)id, n);
	return 0;
}

/* ---- the starter set ---- */

int practice_load_starter(struct store *s, const struct area_set *areas,
			  const struct practice_actor *who, size_t *added,
			  struct parity_error *err)
{
	struct diag_list problems = DIAG_LIST_INIT;
	struct practice_record *r = NULL;
	struct practice_row *have = NULL;
	size_t n = 0, nhave = 0, k, j;
	int rc = 0;

	*added = 0;
	if (practice_parse(parity_data_practice_starter_json,
			   parity_data_practice_starter_json_len,
			   "data/practice/practice-starter.json", areas, &r, &n,
			   &problems, err) < 0) {
		diag_list_release(&problems);
		err->code = PARITY_ERR_INTERNAL;
		return -1;
	}
	diag_list_release(&problems);
	if (practice_store_list(s, NULL, false, &have, &nhave, err) < 0) {
		practice_records_free(r, n);
		return -1;
	}
	for (k = 0; k < n && rc == 0; k++) {
		bool there = false;
		int64_t id;

		for (j = 0; j < nhave && !there; j++)
			there = strcmp(have[j].title, r[k].title) == 0;
		if (there)
			continue;
		rc = practice_submit(s, &r[k], r[k].leads[0], 0, who, &id,
				     err);
		if (rc == 0)
			rc = practice_approve(s, id, who, err);
		if (rc == 0)
			(*added)++;
	}
	practice_rows_free(have, nhave);
	practice_records_free(r, n);
	return rc;
}
