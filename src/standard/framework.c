/*
 * framework.c - frameworks as data (see framework.h): reading one from
 * JSON, checking everything about it at once with located messages, the
 * lookups the assessments need, the carry-forward mapping, and the set of
 * frameworks built into the binary (data/frameworks/).
 *
 * Checking walks the parsed tree (Jansson) with the JSON Pointer of the
 * value in hand, and locates each problem through the position index of
 * the text (jsonpos.h). It never stops at the first problem: a wrong
 * value is reported and checking goes on with the rest, so that one run
 * tells the framework's editor everything.
 */
#include "standard/framework.h"

#include "base/alloc.h"
#include "base/jsonpos.h"
#include "table/measure_def.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char parity_data_racial_equality_standard_json[];
extern const size_t parity_data_racial_equality_standard_json_len;
extern const char parity_data_inclusive_recruitment_json[];
extern const size_t parity_data_inclusive_recruitment_json_len;
extern const char parity_data_cultural_competency_json[];
extern const size_t parity_data_cultural_competency_json_len;
extern const char parity_data_service_leads_survey_json[];
extern const size_t parity_data_service_leads_survey_json_len;

const char *framework_kind_name(enum framework_kind kind)
{
	switch (kind) {
	case FRAMEWORK_STANDARD: return "standard";
	case FRAMEWORK_TOOLKIT: return "toolkit";
	case FRAMEWORK_SURVEY: return "survey";
	}
	return "";
}

const char *question_type_name(enum question_type type)
{
	switch (type) {
	case QUESTION_CHOICE: return "choice";
	case QUESTION_SCALE: return "scale";
	case QUESTION_TEXT: return "text";
	}
	return "";
}

/* ---- checking, with the pointer of the value in hand ---- */

struct check {
	const char *where;
	struct jsonpos *pos;
	struct diag_list *problems;
	char pointer[1024];
	size_t errors;
};

static void vproblem(struct check *c, enum diag_severity sev,
		     const char *pointer, const char *fmt, va_list ap)
{
	jsonpos_vdiag(c->pos, pointer, c->problems, sev, c->where, fmt, ap);
	if (sev == DIAG_ERROR)
		c->errors++;
}

/* An error at the value the pointer names now. */
static void problem(struct check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(c, DIAG_ERROR, c->pointer, fmt, ap);
	va_end(ap);
}

static void warning(struct check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warning(struct check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(c, DIAG_WARNING, c->pointer, fmt, ap);
	va_end(ap);
}

static const char *json_type_words(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "a whole number";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "true or false";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* Warn of members of `obj` not in `known` (NULL-terminated). */
static void unknown_members(struct check *c, json_t *obj,
			    const char *const *known, const char *what)
{
	const char *key;
	json_t *v;
	size_t k, before;
	bool found;

	json_object_foreach(obj, key, v) {
		found = false;
		for (k = 0; known[k]; k++)
			if (strcmp(known[k], key) == 0)
				found = true;
		if (found)
			continue;
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer), key);
		warning(c, "%s: unknown member '%s' (ignored)", what, key);
		jsonpos_pop(c->pointer, before);
	}
}

/*
 * Member `key` of `obj` as a new string: NULL when missing (an error when
 * `required`) or not a string (an error); "" allowed only when not
 * `required`.
 */
static char *member_text(struct check *c, json_t *obj, const char *key,
			 bool required, const char *what)
{
	json_t *v = json_object_get(obj, key);
	size_t before;
	char *out = NULL;

	if (!v) {
		if (required)
			problem(c, "%s: '%s' is missing", what, key);
		return NULL;
	}
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), key);
	if (!json_is_string(v))
		problem(c, "%s: '%s' must be a string, not %s", what, key,
			json_type_words(v));
	else if (required && json_string_length(v) == 0)
		problem(c, "%s: '%s' is empty", what, key);
	else
		out = xstrdup(json_string_value(v));
	jsonpos_pop(c->pointer, before);
	return out;
}

/* The same, "" when missing or wrong (the error recorded). */
static char *member_text_or_empty(struct check *c, json_t *obj,
				  const char *key, bool required,
				  const char *what)
{
	char *t = member_text(c, obj, key, required, what);

	return t ? t : xstrdup("");
}

/* Member `key` as a whole number into *out: 0, or -1 (error recorded
 * when it is there but not a whole number, or missing and required). */
static int member_int(struct check *c, json_t *obj, const char *key,
		      bool required, const char *what, long long *out)
{
	json_t *v = json_object_get(obj, key);
	size_t before;
	int rc = 0;

	if (!v) {
		if (required)
			problem(c, "%s: '%s' is missing", what, key);
		return -1;
	}
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), key);
	if (!json_is_integer(v)) {
		problem(c, "%s: '%s' must be a whole number, not %s", what,
			key, json_type_words(v));
		rc = -1;
	} else {
		*out = json_integer_value(v);
	}
	jsonpos_pop(c->pointer, before);
	return rc;
}

/* An id: letters, digits, '-', '_' and '.', starting with a letter or
 * digit, at most 64 characters. */
static bool id_ok(const char *id)
{
	size_t k;

	if (!id || !id[0] || strlen(id) > 64 || !isalnum((unsigned char)id[0]))
		return false;
	for (k = 0; id[k]; k++)
		if (!isalnum((unsigned char)id[k]) && id[k] != '-' &&
		    id[k] != '_' && id[k] != '.')
			return false;
	return true;
}

/* Member "id" checked as an id; NULL when missing or wrong. */
static char *member_id(struct check *c, json_t *obj, const char *what)
{
	char *id = member_text(c, obj, "id", true, what);
	size_t before;

	if (id && !id_ok(id)) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer), "id");
		problem(c, "%s: id '%s' must be letters, digits, '-', '_' or "
			"'.' (at most 64, starting with a letter or digit)",
			what, id);
		jsonpos_pop(c->pointer, before);
		free(id);
		return NULL;
	}
	return id;
}

/* Member `key` that must be an array (or, with `object_ok`, an
 * object): NULL when missing (an error when required) or wrong. */
static json_t *member_array(struct check *c, json_t *obj, const char *key,
			    bool required, const char *what)
{
	json_t *v = json_object_get(obj, key);
	size_t before;

	if (!v) {
		if (required)
			problem(c, "%s: '%s' is missing", what, key);
		return NULL;
	}
	if (!json_is_array(v)) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer), key);
		problem(c, "%s: '%s' must be an array, not %s", what, key,
			json_type_words(v));
		jsonpos_pop(c->pointer, before);
		return NULL;
	}
	return v;
}

static json_t *member_object(struct check *c, json_t *obj, const char *key,
			     bool required, const char *what)
{
	json_t *v = json_object_get(obj, key);
	size_t before;

	if (!v) {
		if (required)
			problem(c, "%s: '%s' is missing", what, key);
		return NULL;
	}
	if (!json_is_object(v)) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer), key);
		problem(c, "%s: '%s' must be an object, not %s", what, key,
			json_type_words(v));
		jsonpos_pop(c->pointer, before);
		return NULL;
	}
	return v;
}

/* ---- ids used once in the whole framework ---- */

struct seen {
	char **ids;
	char **pointers;
	size_t n, cap;
};

/* Record `id` at the current pointer; an error when already seen. */
static void seen_add(struct check *c, struct seen *s, const char *id,
		     const char *what)
{
	size_t k, before;
	long line, column;

	if (!id)
		return;
	for (k = 0; k < s->n; k++)
		if (strcmp(s->ids[k], id) == 0) {
			jsonpos_find(c->pos, s->pointers[k], &line, &column);
			before = jsonpos_push_key(c->pointer,
						  sizeof(c->pointer), "id");
			if (line)
				problem(c, "duplicate %s id '%s' (first at "
					"line %ld, column %ld)", what, id,
					line, column);
			else
				problem(c, "duplicate %s id '%s'", what, id);
			jsonpos_pop(c->pointer, before);
			return;
		}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->ids = xrealloc(s->ids, s->cap * sizeof(*s->ids));
		s->pointers = xrealloc(s->pointers,
				       s->cap * sizeof(*s->pointers));
	}
	s->ids[s->n] = xstrdup(id);
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), "id");
	s->pointers[s->n] = xstrdup(c->pointer);
	jsonpos_pop(c->pointer, before);
	s->n++;
}

static void seen_release(struct seen *s)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		free(s->ids[k]);
		free(s->pointers[k]);
	}
	free(s->ids);
	free(s->pointers);
}

/* ---- the parts of a framework ---- */

static void levels_read(struct check *c, json_t *root, struct framework *f)
{
	static const char *const known[] = { "id", "title", NULL };
	json_t *arr = member_array(c, root, "levels", true, "framework"), *v;
	struct seen seen = { NULL, NULL, 0, 0 };
	size_t k, before, n;

	if (!arr)
		return;
	n = json_array_size(arr);
	if (n < FRAMEWORK_MIN_LEVELS || n > FRAMEWORK_MAX_LEVELS) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					  "levels");
		problem(c, "framework: 'levels' must name 3 or 4 maturity "
			"levels, lowest first, not %zu", n);
		jsonpos_pop(c->pointer, before);
		if (n > FRAMEWORK_MAX_LEVELS)
			n = FRAMEWORK_MAX_LEVELS;
	}
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), "levels");
	json_array_foreach(arr, k, v) {
		size_t b2;

		if (k >= n)
			break;
		b2 = jsonpos_push_index(c->pointer, sizeof(c->pointer), k);
		if (!json_is_object(v)) {
			problem(c, "level: must be an object, not %s",
				json_type_words(v));
		} else {
			f->levels[f->nlevels].id = member_id(c, v, "level");
			f->levels[f->nlevels].title =
				member_text_or_empty(c, v, "title", true,
						     "level");
			seen_add(c, &seen, f->levels[f->nlevels].id, "level");
			unknown_members(c, v, known, "level");
			if (!f->levels[f->nlevels].id)
				f->levels[f->nlevels].id = xstrdup("");
			f->nlevels++;
		}
		jsonpos_pop(c->pointer, b2);
	}
	jsonpos_pop(c->pointer, before);
	seen_release(&seen);
}

static double member_bound(struct check *c, json_t *rule, const char *key)
{
	json_t *v = json_object_get(rule, key);
	size_t before;

	if (!v)
		return NAN;
	if (!json_is_number(v)) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer), key);
		problem(c, "rule: '%s' must be a number, not %s", key,
			json_type_words(v));
		jsonpos_pop(c->pointer, before);
		return NAN;
	}
	return json_number_value(v);
}

static void rules_read(struct check *c, json_t *arr, struct framework *f,
		       struct framework_link *l)
{
	static const char *const known[] = { "level", "at_least", "below",
					     NULL };
	json_t *v;
	size_t k, before;

	l->rules = xcalloc(json_array_size(arr) + 1, sizeof(*l->rules));
	json_array_foreach(arr, k, v) {
		struct framework_rule *r = &l->rules[l->nrules];
		char *level;

		before = jsonpos_push_index(c->pointer, sizeof(c->pointer), k);
		if (!json_is_object(v)) {
			problem(c, "rule: must be an object, not %s",
				json_type_words(v));
			jsonpos_pop(c->pointer, before);
			continue;
		}
		unknown_members(c, v, known, "rule");
		level = member_text(c, v, "level", true, "rule");
		r->level = level ? framework_level_find(f, level) + 1 : 0;
		if (level && r->level == 0) {
			size_t b2 = jsonpos_push_key(c->pointer,
						     sizeof(c->pointer),
						     "level");

			problem(c, "rule: unknown level '%s' (the framework's "
				"levels are named in 'levels')", level);
			jsonpos_pop(c->pointer, b2);
		}
		free(level);
		r->at_least = member_bound(c, v, "at_least");
		r->below = member_bound(c, v, "below");
		if (isnan(r->at_least) && isnan(r->below) &&
		    !json_object_get(v, "at_least") &&
		    !json_object_get(v, "below"))
			problem(c, "rule: give 'at_least', 'below' or both");
		else if (!isnan(r->at_least) && !isnan(r->below) &&
			 r->at_least >= r->below)
			problem(c, "rule: 'at_least' (%g) must be below 'below' "
				"(%g)", r->at_least, r->below);
		l->nrules++;
		jsonpos_pop(c->pointer, before);
	}
}

static void link_read(struct check *c, json_t *v, struct framework *f,
		      struct framework_link *l)
{
	static const char *const known[] = { "measure", "breakdown",
					     "ethnicity", "level", "service",
					     "suggest", NULL };
	const struct measure_def *def;
	json_t *rules;
	size_t before;

	unknown_members(c, v, known, "measure link");
	l->measure = member_text_or_empty(c, v, "measure", true,
					  "measure link");
	l->breakdown = member_text_or_empty(c, v, "breakdown", false,
					    "measure link");
	l->ethnicity = member_text_or_empty(c, v, "ethnicity", false,
					    "measure link");
	l->level = member_text_or_empty(c, v, "level", false, "measure link");
	l->service = member_text_or_empty(c, v, "service", false,
					  "measure link");
	if (l->measure[0]) {
		def = measure_def_find(l->measure);
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					  "measure");
		if (!def)
			problem(c, "measure link: unknown measure '%s' (see "
				"`parity measures`)", l->measure);
		else if (def->domain == MEASURE_SERVICE && !l->service[0])
			problem(c, "measure link: '%s' is a service measure: "
				"name the service ('service')", l->measure);
		else if (def->domain != MEASURE_SERVICE && l->service[0])
			problem(c, "measure link: '%s' is not a service "
				"measure: leave out 'service'", l->measure);
		jsonpos_pop(c->pointer, before);
	}
	if (l->level[0] && strcmp(l->level, "detailed") != 0 &&
	    strcmp(l->level, "high") != 0) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					  "level");
		problem(c, "measure link: 'level' is detailed or high, not "
			"'%s'", l->level);
		jsonpos_pop(c->pointer, before);
	}
	rules = member_array(c, v, "suggest", false, "measure link");
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), "suggest");
	if (rules)
		rules_read(c, rules, f, l);
	jsonpos_pop(c->pointer, before);
}

static void criterion_read(struct check *c, json_t *v, struct framework *f,
			   struct framework_criterion *cr, struct seen *ids)
{
	static const char *const known[] = { "id", "title", "levels",
					     "measures", NULL };
	static const char *const level_known[] = { "description",
						   "evidence", NULL };
	json_t *levels, *links, *lv, *x;
	const char *key;
	size_t k, before, b2;
	char what[128];

	cr->id = member_id(c, v, "criterion");
	seen_add(c, ids, cr->id, "criterion or question");
	snprintf(what, sizeof(what), "criterion '%s'", cr->id ? cr->id : "?");
	cr->title = member_text_or_empty(c, v, "title", true, what);
	unknown_members(c, v, known, what);
	levels = member_object(c, v, "levels", true, what);
	if (levels) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					  "levels");
		for (k = 0; k < f->nlevels; k++) {
			lv = json_object_get(levels, f->levels[k].id);
			if (!lv) {
				problem(c, "%s: level '%s' is missing (every "
					"criterion describes each of the "
					"framework's %zu levels)", what,
					f->levels[k].id, f->nlevels);
				continue;
			}
			b2 = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					      f->levels[k].id);
			if (!json_is_object(lv)) {
				problem(c, "%s: level '%s' must be an object "
					"with 'description' and 'evidence', "
					"not %s", what, f->levels[k].id,
					json_type_words(lv));
			} else {
				cr->levels[k].description =
					member_text(c, lv, "description", true,
						    what);
				cr->levels[k].evidence =
					member_text(c, lv, "evidence", true,
						    what);
				unknown_members(c, lv, level_known, what);
			}
			jsonpos_pop(c->pointer, b2);
		}
		json_object_foreach(levels, key, x) {
			if (framework_level_find(f, key) >= 0 &&
			    !isdigit((unsigned char)key[0]))
				continue;
			b2 = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					      key);
			problem(c, "%s: unknown level '%s' (the framework's "
				"levels are named in 'levels')", what, key);
			jsonpos_pop(c->pointer, b2);
		}
		jsonpos_pop(c->pointer, before);
	}
	for (k = 0; k < f->nlevels; k++) {
		if (!cr->levels[k].description)
			cr->levels[k].description = xstrdup("");
		if (!cr->levels[k].evidence)
			cr->levels[k].evidence = xstrdup("");
	}
	links = member_array(c, v, "measures", false, what);
	if (!links)
		return;
	cr->links = xcalloc(json_array_size(links) + 1, sizeof(*cr->links));
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), "measures");
	json_array_foreach(links, k, x) {
		b2 = jsonpos_push_index(c->pointer, sizeof(c->pointer), k);
		if (!json_is_object(x))
			problem(c, "%s: a measure link must be an object, not "
				"%s", what, json_type_words(x));
		else
			link_read(c, x, f, &cr->links[cr->nlinks++]);
		jsonpos_pop(c->pointer, b2);
	}
	jsonpos_pop(c->pointer, before);
}

static void options_read(struct check *c, json_t *arr,
			 struct framework_question *q, const char *what)
{
	static const char *const known[] = { "id", "label", NULL };
	struct seen seen = { NULL, NULL, 0, 0 };
	json_t *v;
	size_t k, before;

	q->options = xcalloc(json_array_size(arr) + 1, sizeof(*q->options));
	json_array_foreach(arr, k, v) {
		before = jsonpos_push_index(c->pointer, sizeof(c->pointer), k);
		if (!json_is_object(v)) {
			problem(c, "%s: an option must be an object, not %s",
				what, json_type_words(v));
		} else {
			struct framework_option *o = &q->options[q->noptions++];

			o->id = member_id(c, v, what);
			seen_add(c, &seen, o->id, "option");
			if (!o->id)
				o->id = xstrdup("");
			o->label = member_text_or_empty(c, v, "label", true,
							what);
			unknown_members(c, v, known, what);
		}
		jsonpos_pop(c->pointer, before);
	}
	seen_release(&seen);
	if (q->noptions < 2)
		problem(c, "%s: a choice needs at least 2 options", what);
}

static void question_read(struct check *c, json_t *v,
			  struct framework_question *q, struct seen *ids)
{
	static const char *const known[] = { "id", "text", "type", "options",
					     "min", "max", "min_label",
					     "max_label", NULL };
	char what[128], *type;
	long long min = 0, max = 0;
	json_t *options;
	size_t before;

	q->id = member_id(c, v, "question");
	seen_add(c, ids, q->id, "criterion or question");
	snprintf(what, sizeof(what), "question '%s'", q->id ? q->id : "?");
	q->text = member_text_or_empty(c, v, "text", true, what);
	q->min_label = member_text_or_empty(c, v, "min_label", false, what);
	q->max_label = member_text_or_empty(c, v, "max_label", false, what);
	unknown_members(c, v, known, what);
	type = member_text(c, v, "type", true, what);
	if (!type)
		return;
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), "type");
	if (strcmp(type, "choice") == 0) {
		q->type = QUESTION_CHOICE;
	} else if (strcmp(type, "scale") == 0) {
		q->type = QUESTION_SCALE;
	} else if (strcmp(type, "text") == 0) {
		q->type = QUESTION_TEXT;
	} else {
		problem(c, "%s: 'type' is choice, scale or text, not '%s'",
			what, type);
		q->type = QUESTION_TEXT;
	}
	jsonpos_pop(c->pointer, before);
	free(type);
	if (q->type == QUESTION_CHOICE) {
		options = member_array(c, v, "options", true, what);
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					  "options");
		if (options)
			options_read(c, options, q, what);
		jsonpos_pop(c->pointer, before);
	} else if (q->type == QUESTION_SCALE) {
		if (member_int(c, v, "min", true, what, &min) == 0 &&
		    member_int(c, v, "max", true, what, &max) == 0) {
			if (min >= max || min < -1000 || max > 1000)
				problem(c, "%s: a scale runs from 'min' up to a "
					"greater 'max' (within -1000 to 1000)",
					what);
			q->scale_min = (int)min;
			q->scale_max = (int)max;
		}
	}
}

static void themes_read(struct check *c, json_t *root, struct framework *f)
{
	static const char *const known[] = { "id", "title", "criteria",
					     "questions", NULL };
	json_t *arr = member_array(c, root, "themes", true, "framework"), *v;
	json_t *items, *x;
	struct seen themes = { NULL, NULL, 0, 0 }, ids = { NULL, NULL, 0, 0 };
	size_t k, j, before, b2, b3, total = 0;
	bool survey = f->kind == FRAMEWORK_SURVEY;
	const char *member = survey ? "questions" : "criteria";

	if (!arr)
		return;
	if (json_array_size(arr) == 0) {
		before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					  "themes");
		problem(c, "framework: 'themes' is empty");
		jsonpos_pop(c->pointer, before);
	}
	json_array_foreach(arr, k, v) {
		items = json_is_object(v) ? json_object_get(v, member) : NULL;
		if (json_is_array(items))
			total += json_array_size(items);
	}
	f->themes = xcalloc(json_array_size(arr) + 1, sizeof(*f->themes));
	if (survey)
		f->questions = xcalloc(total + 1, sizeof(*f->questions));
	else
		f->criteria = xcalloc(total + 1, sizeof(*f->criteria));
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer), "themes");
	json_array_foreach(arr, k, v) {
		struct framework_theme *t;
		char what[128];

		b2 = jsonpos_push_index(c->pointer, sizeof(c->pointer), k);
		if (!json_is_object(v)) {
			problem(c, "theme: must be an object, not %s",
				json_type_words(v));
			jsonpos_pop(c->pointer, b2);
			continue;
		}
		t = &f->themes[f->nthemes];
		t->id = member_id(c, v, "theme");
		seen_add(c, &themes, t->id, "theme");
		if (!t->id)
			t->id = xstrdup("");
		snprintf(what, sizeof(what), "theme '%s'", t->id);
		t->title = member_text_or_empty(c, v, "title", true, what);
		unknown_members(c, v, known, what);
		if (json_object_get(v, survey ? "criteria" : "questions"))
			problem(c, "%s: a %s's themes hold %s", what,
				framework_kind_name(f->kind), member);
		t->first = survey ? f->nquestions : f->ncriteria;
		items = member_array(c, v, member, true, what);
		if (items && json_array_size(items) == 0)
			problem(c, "%s: '%s' is empty", what, member);
		b3 = jsonpos_push_key(c->pointer, sizeof(c->pointer), member);
		json_array_foreach(items, j, x) {
			size_t b4 = jsonpos_push_index(c->pointer,
						       sizeof(c->pointer), j);

			if (!json_is_object(x)) {
				problem(c, "%s: %s must be objects, not %s",
					what, member, json_type_words(x));
			} else if (survey) {
				f->questions[f->nquestions].theme = f->nthemes;
				question_read(c, x, &f->questions[f->nquestions],
					      &ids);
				f->nquestions++;
			} else {
				f->criteria[f->ncriteria].theme = f->nthemes;
				criterion_read(c, x, f,
					       &f->criteria[f->ncriteria], &ids);
				f->ncriteria++;
			}
			jsonpos_pop(c->pointer, b4);
		}
		jsonpos_pop(c->pointer, b3);
		t->count = (survey ? f->nquestions : f->ncriteria) - t->first;
		f->nthemes++;
		jsonpos_pop(c->pointer, b2);
	}
	jsonpos_pop(c->pointer, before);
	seen_release(&themes);
	seen_release(&ids);
}

static void service_areas_read(struct check *c, json_t *root,
			       struct framework *f)
{
	static const char *const known[] = { "id", "title", NULL };
	json_t *arr = member_array(c, root, "service_areas", true,
				   "survey"), *v;
	struct seen seen = { NULL, NULL, 0, 0 };
	size_t k, before, b2;

	if (!arr)
		return;
	f->service_areas = xcalloc(json_array_size(arr) + 1,
				   sizeof(*f->service_areas));
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
				  "service_areas");
	if (json_array_size(arr) == 0)
		problem(c, "survey: 'service_areas' is empty");
	json_array_foreach(arr, k, v) {
		struct framework_service_area *a;

		b2 = jsonpos_push_index(c->pointer, sizeof(c->pointer), k);
		if (!json_is_object(v)) {
			problem(c, "service area: must be an object, not %s",
				json_type_words(v));
			jsonpos_pop(c->pointer, b2);
			continue;
		}
		a = &f->service_areas[f->nservice_areas++];
		a->id = member_id(c, v, "service area");
		seen_add(c, &seen, a->id, "service area");
		if (!a->id)
			a->id = xstrdup("");
		a->title = member_text_or_empty(c, v, "title", true,
						"service area");
		unknown_members(c, v, known, "service area");
		jsonpos_pop(c->pointer, b2);
	}
	jsonpos_pop(c->pointer, before);
	seen_release(&seen);
}

static void carry_read(struct check *c, json_t *root, struct framework *f)
{
	static const char *const known[] = { "from_version", "criteria",
					     NULL };
	json_t *obj = member_object(c, root, "carry_forward", false,
				    "framework"), *map, *v;
	const char *key;
	long long from = 0;
	size_t before, b2;

	if (!obj)
		return;
	before = jsonpos_push_key(c->pointer, sizeof(c->pointer),
				  "carry_forward");
	unknown_members(c, obj, known, "carry_forward");
	if (member_int(c, obj, "from_version", true, "carry_forward",
		       &from) == 0) {
		if (from < 1 || from >= f->version) {
			b2 = jsonpos_push_key(c->pointer, sizeof(c->pointer),
					      "from_version");
			problem(c, "carry_forward: 'from_version' must be an "
				"earlier version than %d", f->version);
			jsonpos_pop(c->pointer, b2);
		} else {
			f->carry_from = (int)from;
		}
	}
	map = member_object(c, obj, "criteria", true, "carry_forward");
	if (map) {
		f->carry = xcalloc(json_object_size(map) + 1,
				   sizeof(*f->carry));
		b2 = jsonpos_push_key(c->pointer, sizeof(c->pointer),
				      "criteria");
		json_object_foreach(map, key, v) {
			size_t b3 = jsonpos_push_key(c->pointer,
						     sizeof(c->pointer), key);

			if (json_is_null(v)) {
				f->carry[f->ncarry].from = xstrdup(key);
				f->carry[f->ncarry++].to = NULL;
			} else if (!json_is_string(v)) {
				problem(c, "carry_forward: '%s' must map to a "
					"criterion id or null, not %s", key,
					json_type_words(v));
			} else if (framework_criterion_find(
					   f, json_string_value(v)) < 0) {
				problem(c, "carry_forward: '%s' maps to '%s', "
					"which is not a criterion of this "
					"version", key, json_string_value(v));
			} else {
				f->carry[f->ncarry].from = xstrdup(key);
				f->carry[f->ncarry++].to =
					xstrdup(json_string_value(v));
			}
			jsonpos_pop(c->pointer, b3);
		}
		jsonpos_pop(c->pointer, b2);
	}
	jsonpos_pop(c->pointer, before);
}

static void framework_read(struct check *c, json_t *root, struct framework *f)
{
	static const char *const known[] = { "id", "version", "kind", "title",
					     "status", "description", "levels",
					     "themes", "service_areas",
					     "carry_forward", NULL };
	long long version = 0;
	char *kind;
	size_t before;

	unknown_members(c, root, known, "framework");
	f->id = member_id(c, root, "framework");
	if (!f->id)
		f->id = xstrdup("");
	if (member_int(c, root, "version", true, "framework", &version) == 0) {
		if (version < 1 || version > 1000000) {
			before = jsonpos_push_key(c->pointer,
						  sizeof(c->pointer),
						  "version");
			problem(c, "framework: 'version' must be 1 or more");
			jsonpos_pop(c->pointer, before);
		} else {
			f->version = (int)version;
		}
	}
	f->title = member_text_or_empty(c, root, "title", true, "framework");
	f->status = member_text_or_empty(c, root, "status", false,
					 "framework");
	kind = member_text(c, root, "kind", true, "framework");
	if (kind) {
		if (strcmp(kind, "standard") == 0) {
			f->kind = FRAMEWORK_STANDARD;
		} else if (strcmp(kind, "toolkit") == 0) {
			f->kind = FRAMEWORK_TOOLKIT;
		} else if (strcmp(kind, "survey") == 0) {
			f->kind = FRAMEWORK_SURVEY;
		} else {
			before = jsonpos_push_key(c->pointer,
						  sizeof(c->pointer), "kind");
			problem(c, "framework: 'kind' is standard, toolkit or "
				"survey, not '%s'", kind);
			jsonpos_pop(c->pointer, before);
		}
		free(kind);
	}
	if (f->kind == FRAMEWORK_SURVEY) {
		if (json_object_get(root, "levels"))
			problem(c, "survey: a survey has no maturity levels "
				"(leave out 'levels')");
		service_areas_read(c, root, f);
	} else {
		levels_read(c, root, f);
		if (json_object_get(root, "service_areas"))
			problem(c, "framework: only a survey has "
				"'service_areas'");
	}
	themes_read(c, root, f);
	carry_read(c, root, f);
}

int framework_parse(const char *text, size_t len, const char *where,
		    struct framework **out, struct diag_list *problems)
{
	struct framework *f;
	struct check c;
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		diag_add(problems, DIAG_ERROR, where, jerr.line,
			 jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.where = where;
	c.problems = problems;
	c.pos = jsonpos_build(text, len);
	f = xcalloc(1, sizeof(*f));
	f->source = xstrdup(where);
	if (!json_is_object(root))
		problem(&c, "a framework is a JSON object, not %s",
			json_type_words(root));
	else
		framework_read(&c, root, f);
	jsonpos_free(c.pos);
	json_decref(root);
	if (c.errors) {
		framework_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

int framework_read_file(const char *path, struct framework **out,
			struct diag_list *problems)
{
	FILE *in = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	*out = NULL;
	if (!in) {
		diag_add(problems, DIAG_ERROR, path, 0, 0, "cannot open: %s",
			 strerror(errno));
		return -1;
	}
	for (;;) {
		text = xgrow(text, &cap, len + 65536, 1);
		n = fread(text + len, 1, cap - len, in);
		len += n;
		if (n == 0)
			break;
		if (len > (size_t)16 * 1024 * 1024) {
			diag_add(problems, DIAG_ERROR, path, 0, 0,
				 "a framework file is at most 16 MB");
			fclose(in);
			free(text);
			return -1;
		}
	}
	if (ferror(in)) {
		diag_add(problems, DIAG_ERROR, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		fclose(in);
		free(text);
		return -1;
	}
	fclose(in);
	rc = framework_parse(text, len, path, out, problems);
	free(text);
	return rc;
}

static void link_release(struct framework_link *l)
{
	free(l->measure);
	free(l->breakdown);
	free(l->ethnicity);
	free(l->level);
	free(l->service);
	free(l->rules);
}

void framework_free(struct framework *f)
{
	size_t k, j;

	if (!f)
		return;
	for (k = 0; k < f->nlevels; k++) {
		free(f->levels[k].id);
		free(f->levels[k].title);
	}
	for (k = 0; k < f->nthemes; k++) {
		free(f->themes[k].id);
		free(f->themes[k].title);
	}
	for (k = 0; k < f->ncriteria; k++) {
		struct framework_criterion *cr = &f->criteria[k];

		free(cr->id);
		free(cr->title);
		for (j = 0; j < FRAMEWORK_MAX_LEVELS; j++) {
			free(cr->levels[j].description);
			free(cr->levels[j].evidence);
		}
		for (j = 0; j < cr->nlinks; j++)
			link_release(&cr->links[j]);
		free(cr->links);
	}
	for (k = 0; k < f->nquestions; k++) {
		struct framework_question *q = &f->questions[k];

		free(q->id);
		free(q->text);
		free(q->min_label);
		free(q->max_label);
		for (j = 0; j < q->noptions; j++) {
			free(q->options[j].id);
			free(q->options[j].label);
		}
		free(q->options);
	}
	for (k = 0; k < f->nservice_areas; k++) {
		free(f->service_areas[k].id);
		free(f->service_areas[k].title);
	}
	for (k = 0; k < f->ncarry; k++) {
		free(f->carry[k].from);
		free(f->carry[k].to);
	}
	free(f->carry);
	free(f->service_areas);
	free(f->questions);
	free(f->criteria);
	free(f->themes);
	free(f->id);
	free(f->title);
	free(f->status);
	free(f->source);
	free(f);
}

/* ---- lookups ---- */

int framework_criterion_find(const struct framework *f, const char *id)
{
	size_t k;

	for (k = 0; id && k < f->ncriteria; k++)
		if (f->criteria[k].id && strcmp(f->criteria[k].id, id) == 0)
			return (int)k;
	return -1;
}

int framework_question_find(const struct framework *f, const char *id)
{
	size_t k;

	for (k = 0; id && k < f->nquestions; k++)
		if (f->questions[k].id && strcmp(f->questions[k].id, id) == 0)
			return (int)k;
	return -1;
}

int framework_theme_find(const struct framework *f, const char *id)
{
	size_t k;

	for (k = 0; id && k < f->nthemes; k++)
		if (strcmp(f->themes[k].id, id) == 0)
			return (int)k;
	return -1;
}

int framework_level_find(const struct framework *f, const char *id)
{
	size_t k;
	char *end;
	long n;

	if (!id || !id[0])
		return -1;
	for (k = 0; k < f->nlevels; k++)
		if (f->levels[k].id && strcmp(f->levels[k].id, id) == 0)
			return (int)k;
	n = strtol(id, &end, 10);
	if (*end == '\0' && n >= 1 && (size_t)n <= f->nlevels)
		return (int)n - 1;
	return -1;
}

int framework_option_find(const struct framework_question *q,
			  const char *id)
{
	size_t k;

	for (k = 0; id && k < q->noptions; k++)
		if (strcmp(q->options[k].id, id) == 0)
			return (int)k;
	return -1;
}

int framework_service_area_find(const struct framework *f, const char *id)
{
	size_t k;

	for (k = 0; id && k < f->nservice_areas; k++)
		if (strcmp(f->service_areas[k].id, id) == 0)
			return (int)k;
	return -1;
}

const char *framework_level_id(const struct framework *f, int level)
{
	if (level < 1 || (size_t)level > f->nlevels)
		return "";
	return f->levels[level - 1].id;
}

int framework_link_suggest(const struct framework_link *link, double value)
{
	size_t k;

	if (isnan(value))
		return 0;
	for (k = 0; k < link->nrules; k++) {
		const struct framework_rule *r = &link->rules[k];

		if (r->level < 1)
			continue;
		if (!isnan(r->at_least) && value < r->at_least)
			continue;
		if (!isnan(r->below) && value >= r->below)
			continue;
		return r->level;
	}
	return 0;
}

const char *framework_carry_forward(const struct framework *f,
				    int from_version, const char *old_id)
{
	int k;
	size_t j;

	if (from_version == f->version) {
		k = framework_criterion_find(f, old_id);
		return k < 0 ? NULL : f->criteria[k].id;
	}
	if (from_version != f->carry_from || f->carry_from == 0)
		return NULL;
	for (j = 0; j < f->ncarry; j++)
		if (strcmp(f->carry[j].from, old_id) == 0)
			return f->carry[j].to;
	k = framework_criterion_find(f, old_id);
	return k < 0 ? NULL : f->criteria[k].id;
}

/* ---- the set ---- */

static void set_add(struct framework_set *set, struct framework *f)
{
	set->items = xrealloc(set->items,
			      (set->count + 1) * sizeof(struct framework *));
	set->items[set->count++] = f;
}

int framework_set_load(struct framework_set **out,
		       struct diag_list *problems)
{
	static const struct {
		const char *name;
		const char *text;
		const size_t *len;
	} builtin[] = {
		{ "racial-equality-standard.json",
		  parity_data_racial_equality_standard_json,
		  &parity_data_racial_equality_standard_json_len },
		{ "inclusive-recruitment.json",
		  parity_data_inclusive_recruitment_json,
		  &parity_data_inclusive_recruitment_json_len },
		{ "cultural-competency.json",
		  parity_data_cultural_competency_json,
		  &parity_data_cultural_competency_json_len },
		{ "service-leads-survey.json",
		  parity_data_service_leads_survey_json,
		  &parity_data_service_leads_survey_json_len },
	};
	struct framework_set *set = xcalloc(1, sizeof(*set));
	struct framework *f;
	char where[128];
	size_t k;
	int rc = 0;

	for (k = 0; k < sizeof(builtin) / sizeof(builtin[0]); k++) {
		snprintf(where, sizeof(where), "data/frameworks/%s",
			 builtin[k].name);
		if (framework_parse(builtin[k].text, *builtin[k].len, where, &f,
				    problems) < 0)
			rc = -1;
		else
			set_add(set, f);
	}
	*out = set;
	return rc;
}

int framework_set_add_file(struct framework_set *set, const char *path,
			   struct diag_list *problems)
{
	struct framework *f;

	if (framework_read_file(path, &f, problems) < 0)
		return -1;
	if (framework_find(set, f->id, f->version)) {
		diag_add(problems, DIAG_ERROR, path, 0, 0,
			 "framework '%s' version %d is already known", f->id,
			 f->version);
		framework_free(f);
		return -1;
	}
	set_add(set, f);
	return 0;
}

void framework_set_free(struct framework_set *set)
{
	size_t k;

	if (!set)
		return;
	for (k = 0; k < set->count; k++)
		framework_free(set->items[k]);
	free(set->items);
	free(set);
}

const struct framework *framework_find(const struct framework_set *set,
				       const char *id, int version)
{
	const struct framework *best = NULL;
	size_t k;

	for (k = 0; id && k < set->count; k++) {
		const struct framework *f = set->items[k];

		if (strcmp(f->id, id) != 0)
			continue;
		if (version && f->version == version)
			return f;
		if (!version && (!best || f->version > best->version))
			best = f;
	}
	return best;
}
