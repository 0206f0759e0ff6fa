/*
 * assessment.c - councils' assessments (see assessment.h): their JSON read
 * and checked with located problems, the evidence from the council's own
 * figures (through measure/pooled.h, as `parity report` computes them),
 * saving and submitting with the audit entry in the same transaction, and
 * the template a council fills in.
 *
 * The JSON is walked with the JSON Pointer of each value in hand and the
 * position index of the text (jsonpos.h), as framework.c does, so that
 * every problem in a council's file is reported at once, located.
 */
#include "standard/assessment.h"

#include "base/alloc.h"
#include "measure/pooled.h"
#include "measure/service.h"
#include "measure/workforce.h"
#include "base/jsonpos.h"
#include "table/measure_def.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- figures ---- */

static bool text_matches(const char *want, const char *have)
{
	return !want[0] || strcasecmp(want, have) == 0;
}

/* The first row of `t` the link names. */
static const struct tidy_row *link_row(const struct tidy_table *t,
				       const struct framework_link *l)
{
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, l->measure) == 0 &&
		    text_matches(l->breakdown, r->breakdown) &&
		    text_matches(l->ethnicity, r->ethnicity))
			return r;
	}
	return NULL;
}

/* Append council `area`'s figures of the kind `l` names for `year`:
 * 1 when there is no return, 0, -1. */
static int figures_for(const struct standard_data *d,
		       const struct framework_link *l, int area, int year,
		       struct tidy_table *t, struct parity_error *err)
{
	const struct measure_def *def = measure_def_find(l->measure);
	enum ethnicity_level level = ETH_LEVEL_DETAILED;

	if (l->level[0] && strcmp(l->level, "high") == 0)
		level = ETH_LEVEL_HIGH;
	if (def && def->domain == MEASURE_SERVICE) {
		const struct service_def *sdef =
			d->services ? service_def_find(d->services, l->service)
				    : NULL;
		struct service_options opt;
		struct service_area sa;

		if (!sdef)
			return 1;
		service_options_init(&opt);
		opt.level = level;
		opt.census = d->census;
		sa.code = d->areas->areas[area].code;
		sa.name = d->areas->areas[area].name;
		sa.type = area_type_name(d->areas->areas[area].type);
		sa.index = area;
		return pooled_service_measures(d->store, d->areas, sdef, &sa,
					       year, &opt, t, err);
	} else {
		struct workforce_options opt;

		workforce_options_init(&opt);
		opt.level = level;
		opt.benchmark = d->census;
		return pooled_workforce_measures(d->store, d->areas, area, year,
						 &opt, t, err);
	}
}

int standard_figure(const struct standard_data *d,
		    const struct framework_link *link, const char *area_code,
		    int year, struct standard_figure *out,
		    struct parity_error *err)
{
	const struct tidy_row *r;
	struct tidy_table t;
	int area = area_find(d->areas, area_code), rc;

	memset(out, 0, sizeof(*out));
	out->year = year;
	out->value = out->ci_low = out->ci_high = NAN;
	out->numerator = out->denominator = out->p_value = NAN;
	if (area < 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"unknown area '%s'", area_code);
	tidy_table_init(&t);
	rc = figures_for(d, link, area, year, &t, err);
	if (rc < 0) {
		/* a figure that cannot be had is evidence missing, not a
		 * failure of the assessment */
		if (err->code == PARITY_ERR_NOT_FOUND) {
			snprintf(out->note, sizeof(out->note), "%s",
				 err->message);
			parity_error_clear(err);
			rc = 0;
		}
		tidy_table_free(&t);
		return rc < 0 ? -1 : 0;
	}
	if (rc > 0) {
		snprintf(out->note, sizeof(out->note),
			 "no %s return for %d in the store",
			 link->service[0] ? link->service : "workforce", year);
		tidy_table_free(&t);
		return 0;
	}
	r = link_row(&t, link);
	if (!r) {
		snprintf(out->note, sizeof(out->note),
			 "no %s figure%s%s%s%s for %d", link->measure,
			 link->ethnicity[0] ? " for " : "", link->ethnicity,
			 link->breakdown[0] ? " at " : "", link->breakdown,
			 year);
	} else if (isnan(r->value)) {
		snprintf(out->note, sizeof(out->note), "%s", r->note);
	} else {
		out->found = true;
		out->value = r->value;
		out->ci_low = r->ci_low;
		out->ci_high = r->ci_high;
		out->numerator = r->numerator;
		out->denominator = r->denominator;
		out->p_value = r->p_value;
		out->suggested = framework_link_suggest(link, r->value);
		snprintf(out->note, sizeof(out->note), "%s", r->note);
	}
	tidy_table_free(&t);
	return 0;
}

static struct assessment_criterion *criterion_of(struct assessment *a,
						 const char *id)
{
	size_t k;

	for (k = 0; k < a->ncriteria; k++)
		if (strcmp(a->criteria[k].id, id) == 0)
			return &a->criteria[k];
	return NULL;
}

static struct assessment_criterion *criterion_add(struct assessment *a,
						  const char *id)
{
	struct assessment_criterion *c;

	a->criteria = xrealloc(a->criteria,
			       (a->ncriteria + 1) * sizeof(*a->criteria));
	c = &a->criteria[a->ncriteria++];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->reason = xstrdup("");
	c->evidence = xstrdup("");
	c->figure = c->figure_low = c->figure_high = NAN;
	return c;
}

/* An action's measure as a link (without rules). */
static void action_link(struct assessment_action *x,
			struct framework_link *l)
{
	memset(l, 0, sizeof(*l));
	l->measure = x->measure;
	l->breakdown = x->breakdown;
	l->ethnicity = x->ethnicity;
	l->level = x->level;
	l->service = x->service;
}

/* The level criterion `cr`'s links suggest for council `area_code` in
 * `year` (the lowest any of them suggests; 0: none) into *suggested, and
 * the figure behind it (or the first found) into *fig. */
static int criterion_suggest(const struct standard_data *d,
			     const struct framework_criterion *cr,
			     const char *area_code, int year, int *suggested,
			     struct standard_figure *fig,
			     struct parity_error *err)
{
	struct standard_figure one;
	size_t j;

	*suggested = 0;
	memset(fig, 0, sizeof(*fig));
	fig->value = fig->ci_low = fig->ci_high = NAN;
	for (j = 0; j < cr->nlinks; j++) {
		if (standard_figure(d, &cr->links[j], area_code, year, &one,
				    err) < 0)
			return -1;
		if (!one.found)
			continue;
		if (!fig->found ||
		    (one.suggested && (!*suggested || one.suggested <
						       *suggested)))
			*fig = one;
		if (one.suggested && (!*suggested || one.suggested < *suggested))
			*suggested = one.suggested;
	}
	return 0;
}

int standard_evidence_fill(const struct standard_data *d,
			   const struct framework *f, struct assessment *a,
			   struct parity_error *err)
{
	struct standard_figure fig;
	struct framework_link l;
	size_t k;

	for (k = 0; k < f->ncriteria; k++) {
		const struct framework_criterion *cr = &f->criteria[k];
		struct assessment_criterion *c;
		int suggested;

		if (cr->nlinks == 0)
			continue;
		if (criterion_suggest(d, cr, a->area_code, a->year, &suggested,
				      &fig, err) < 0)
			return -1;
		c = criterion_of(a, cr->id);
		if (!c)
			c = criterion_add(a, cr->id);
		c->suggested = suggested;
		c->figure = fig.found ? fig.value : NAN;
		c->figure_low = fig.found ? fig.ci_low : NAN;
		c->figure_high = fig.found ? fig.ci_high : NAN;
	}
	for (k = 0; k < a->nactions; k++) {
		struct assessment_action *x = &a->actions[k];

		if (!x->measure[0])
			continue;
		if (!x->start_year)
			x->start_year = a->year;
		action_link(x, &l);
		if (standard_figure(d, &l, a->area_code, x->start_year, &fig,
				    err) < 0)
			return -1;
		x->start_value = fig.found ? fig.value : NAN;
		x->start_numerator = fig.found ? fig.numerator : NAN;
		x->start_denominator = fig.found ? fig.denominator : NAN;
	}
	return 0;
}

/* A new row of `out` for council `area` in `year`, its text interned. */
static struct tidy_row *area_row(struct tidy_table *out,
				 const struct area_set *areas, int area,
				 int year, const char *measure)
{
	struct tidy_row *o = tidy_table_add_row(out);

	o->measure = tidy_table_intern(out, measure);
	o->area_code = tidy_table_intern(out, areas->areas[area].code);
	o->area_name = tidy_table_intern(out, areas->areas[area].name);
	o->area_type = tidy_table_intern(out,
					 area_type_name(areas->areas[area].type));
	o->year = year;
	return o;
}

int standard_evidence_table(const struct standard_data *d,
			    const struct framework *f, const char *area_code,
			    int year, struct tidy_table *out,
			    struct parity_error *err)
{
	struct standard_figure fig;
	struct tidy_table t;
	char note[512];
	size_t k, j;
	int area = area_find(d->areas, area_code), rc, suggested;

	if (area < 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"unknown area '%s'", area_code);
	for (k = 0; k < f->ncriteria; k++) {
		const struct framework_criterion *cr = &f->criteria[k];
		struct tidy_row *o;

		if (cr->nlinks == 0)
			continue;
		for (j = 0; j < cr->nlinks; j++) {
			const struct framework_link *l = &cr->links[j];
			const struct tidy_row *r;

			tidy_table_init(&t);
			rc = figures_for(d, l, area, year, &t, err);
			if (rc < 0 && err->code == PARITY_ERR_NOT_FOUND) {
				parity_error_clear(err);
				rc = 1;
			}
			if (rc < 0) {
				tidy_table_free(&t);
				return -1;
			}
			r = rc == 0 ? link_row(&t, l) : NULL;
			if (r) {
				tidy_table_append_row(out, r);
				o = &out->rows[out->count - 1];
				snprintf(note, sizeof(note),
					 "evidence for criterion %s%s%s",
					 cr->id, r->note[0] ? "; " : "",
					 r->note);
				o->note = tidy_table_intern(out, note);
			}
			tidy_table_free(&t);
		}
		if (criterion_suggest(d, cr, area_code, year, &suggested, &fig,
				      err) < 0)
			return -1;
		o = area_row(out, d->areas, area, year,
			     "standard_suggested_level");
		o->breakdown = tidy_table_intern(out, cr->id);
		o->value = suggested ? suggested : NAN;
		o->flag = tidy_table_intern(out,
					    framework_level_id(f, suggested));
		o->note = tidy_table_intern(out, suggested ?
			"the level the council's figures suggest" :
			fig.found ? "no rule of the framework holds for the "
				    "figure" :
			fig.note[0] ? fig.note : "no figure");
	}
	return 0;
}

/* ---- reading a council's file ---- */

struct reader {
	const char *where;
	struct jsonpos *pos;
	struct diag_list *problems;
	char pointer[1024];
	size_t errors;
};

static void rproblem(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void rproblem(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	jsonpos_vdiag(r->pos, r->pointer, r->problems, DIAG_ERROR, r->where, fmt,
		      ap);
	va_end(ap);
	r->errors++;
}

static void rwarning(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void rwarning(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	jsonpos_vdiag(r->pos, r->pointer, r->problems, DIAG_WARNING, r->where, fmt,
		      ap);
	va_end(ap);
}

static void rwhere(struct reader *r, long *line, long *column)
{
	jsonpos_find(r->pos, r->pointer, line, column);
}

static const char *type_words(const json_t *v)
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

static void runknown(struct reader *r, json_t *obj, const char *const *known,
		     const char *what)
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
		before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);
		rwarning(r, "%s: unknown member '%s' (ignored)", what, key);
		jsonpos_pop(r->pointer, before);
	}
}

/* Member `key`: its text (a new string), or NULL when missing or null
 * (an error when `required`) or not a string (an error). */
static char *rtext(struct reader *r, json_t *obj, const char *key,
		   bool required, const char *what)
{
	json_t *v = json_object_get(obj, key);
	size_t before;
	char *out = NULL;

	if (!v || json_is_null(v)) {
		if (required)
			rproblem(r, "%s: '%s' is missing", what, key);
		return NULL;
	}
	before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);
	if (!json_is_string(v))
		rproblem(r, "%s: '%s' must be a string, not %s", what, key,
			 type_words(v));
	else if (required && json_string_length(v) == 0)
		rproblem(r, "%s: '%s' is empty", what, key);
	else
		out = xstrdup(json_string_value(v));
	jsonpos_pop(r->pointer, before);
	return out;
}

/* The same into a fixed buffer; false (and an error) when too long. */
static void rtext_into(struct reader *r, json_t *obj, const char *key,
		       bool required, const char *what, char *buf,
		       size_t size)
{
	char *t = rtext(r, obj, key, required, what);
	size_t before;

	buf[0] = '\0';
	if (!t)
		return;
	if (strlen(t) >= size) {
		before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);
		rproblem(r, "%s: '%s' is longer than %zu characters", what,
			 key, size - 1);
		jsonpos_pop(r->pointer, before);
	} else {
		snprintf(buf, size, "%s", t);
	}
	free(t);
}

static bool rbool(struct reader *r, json_t *obj, const char *key,
		  const char *what)
{
	json_t *v = json_object_get(obj, key);
	size_t before;

	if (!v)
		return false;
	if (!json_is_boolean(v)) {
		before = jsonpos_push_key(r->pointer, sizeof(r->pointer), key);
		rproblem(r, "%s: '%s' must be true or false, not %s", what,
			 key, type_words(v));
		jsonpos_pop(r->pointer, before);
		return false;
	}
	return json_is_true(v);
}

/* The criteria a template shows that the reader ignores. */
static const char *const criterion_known[] = {
	"level", "reason", "evidence", "links", "title", "theme",
	"choose_from", "suggested_level", "figure", NULL
};

static void criterion_read(struct reader *r, const struct framework *f,
			   json_t *v, const char *id, struct assessment *a)
{
	struct assessment_criterion *c;
	char what[128], *level;
	json_t *links, *x;
	size_t k, before;
	int idx;

	snprintf(what, sizeof(what), "criterion '%s'", id);
	if (framework_criterion_find(f, id) < 0) {
		rproblem(r, "unknown criterion '%s' (not in %s version %d)",
			 id, f->id, f->version);
		return;
	}
	if (!json_is_object(v)) {
		rproblem(r, "%s: must be an object, not %s", what,
			 type_words(v));
		return;
	}
	runknown(r, v, criterion_known, what);
	c = criterion_add(a, id);
	rwhere(r, &c->line, &c->column);
	level = rtext(r, v, "level", false, what);
	if (level) {
		idx = framework_level_find(f, level);
		if (idx < 0) {
			before = jsonpos_push_key(r->pointer,
						  sizeof(r->pointer), "level");
			rproblem(r, "%s: unknown level '%s' (one of the "
				 "framework's levels, %s to %s)", what, level,
				 f->levels[0].id,
				 f->levels[f->nlevels - 1].id);
			jsonpos_pop(r->pointer, before);
		} else {
			c->level = idx + 1;
		}
		free(level);
	}
	level = rtext(r, v, "reason", false, what);
	if (level) {
		free(c->reason);
		c->reason = level;
	}
	level = rtext(r, v, "evidence", false, what);
	if (level) {
		free(c->evidence);
		c->evidence = level;
	}
	links = json_object_get(v, "links");
	if (!links)
		return;
	before = jsonpos_push_key(r->pointer, sizeof(r->pointer), "links");
	if (!json_is_array(links)) {
		rproblem(r, "%s: 'links' must be an array of strings, not %s",
			 what, type_words(links));
	} else {
		c->links = xcalloc(json_array_size(links) + 1,
				   sizeof(*c->links));
		json_array_foreach(links, k, x) {
			size_t b2 = jsonpos_push_index(r->pointer,
						       sizeof(r->pointer), k);

			if (!json_is_string(x) || json_string_length(x) == 0)
				rproblem(r, "%s: a link must be a non-empty "
					 "string", what);
			else
				c->links[c->nlinks++] =
					xstrdup(json_string_value(x));
			jsonpos_pop(r->pointer, b2);
		}
	}
	jsonpos_pop(r->pointer, before);
}

static void answer_read(struct reader *r, const struct framework *f,
			json_t *v, const char *area, const char *qid,
			struct assessment *a)
{
	const struct framework_question *q;
	struct assessment_answer *x;
	char value[64], what[160];
	int idx = framework_question_find(f, qid);

	snprintf(what, sizeof(what), "answer to '%s' for '%s'", qid, area);
	if (idx < 0) {
		rproblem(r, "unknown question '%s'", qid);
		return;
	}
	if (json_is_null(v))
		return;
	q = &f->questions[idx];
	value[0] = '\0';
	switch (q->type) {
	case QUESTION_CHOICE:
		if (!json_is_string(v)) {
			rproblem(r, "%s: must be one of the options' ids, not "
				 "%s", what, type_words(v));
			return;
		}
		if (framework_option_find(q, json_string_value(v)) < 0) {
			rproblem(r, "%s: '%s' is not one of its options", what,
				 json_string_value(v));
			return;
		}
		break;
	case QUESTION_SCALE:
		if (!json_is_integer(v) ||
		    json_integer_value(v) < q->scale_min ||
		    json_integer_value(v) > q->scale_max) {
			rproblem(r, "%s: must be a whole number from %d to %d",
				 what, q->scale_min, q->scale_max);
			return;
		}
		snprintf(value, sizeof(value), "%lld",
			 (long long)json_integer_value(v));
		break;
	case QUESTION_TEXT:
		if (!json_is_string(v)) {
			rproblem(r, "%s: must be a string, not %s", what,
				 type_words(v));
			return;
		}
		break;
	}
	a->answers = xrealloc(a->answers,
			      (a->nanswers + 1) * sizeof(*a->answers));
	x = &a->answers[a->nanswers++];
	memset(x, 0, sizeof(*x));
	snprintf(x->question, sizeof(x->question), "%s", qid);
	snprintf(x->service_area, sizeof(x->service_area), "%s", area);
	x->value = xstrdup(value[0] ? value : json_string_value(v));
	rwhere(r, &x->line, &x->column);
}

static void answers_read(struct reader *r, const struct framework *f,
			 json_t *answers, struct assessment *a)
{
	const char *area, *qid;
	json_t *per, *v;
	size_t before, b2;

	json_object_foreach(answers, area, per) {
		before = jsonpos_push_key(r->pointer, sizeof(r->pointer), area);
		if (framework_service_area_find(f, area) < 0) {
			rproblem(r, "unknown service area '%s'", area);
		} else if (!json_is_object(per)) {
			rproblem(r, "answers for '%s' must be an object of "
				 "answers by question, not %s", area,
				 type_words(per));
		} else {
			json_object_foreach(per, qid, v) {
				b2 = jsonpos_push_key(r->pointer,
						      sizeof(r->pointer), qid);
				answer_read(r, f, v, area, qid, a);
				jsonpos_pop(r->pointer, b2);
			}
		}
		jsonpos_pop(r->pointer, before);
	}
}

/* Words that say a text is a role, not a person. */
static bool role_word(const char *w, size_t n)
{
	static const char *const words[] = {
		"director", "head", "manager", "officer", "lead", "leader",
		"team", "board", "chief", "executive", "member", "committee",
		"group", "panel", "service", "services", "council", "cabinet",
		"hr", "network", "forum", "unit", "department", "portfolio",
		"champion", "adviser", "advisor", "coordinator", "partner",
		"chair", "corporate", "strategic", "assistant", "deputy",
		"principal", "senior", "workforce", "equality", "equalities",
		"diversity", "inclusion", "policy", "people", "resources",
		"commissioning", "data", "insight", "communities", "borough",
		"youth", "justice", "health", "housing", "education", "owner",
		"sponsor", "secretary", "staff", "directorate", "programme",
		NULL
	};
	size_t k;

	for (k = 0; words[k]; k++)
		if (strlen(words[k]) == n && strncasecmp(words[k], w, n) == 0)
			return true;
	return false;
}

bool assessment_owner_looks_like_name(const char *text)
{
	static const char *const titles[] = { "mr", "mrs", "ms", "miss",
					      "mx", "dr", "cllr", "prof",
					      "sir", "dame", NULL };
	size_t words = 0, capitals = 0, n, k;
	const char *p = text;

	if (strchr(text, '@'))
		return true;
	while (*p) {
		while (*p && (isspace((unsigned char)*p) || *p == ',' ||
			      *p == '.' || *p == '(' || *p == ')'))
			p++;
		if (!*p)
			break;
		n = 0;
		while (p[n] && !isspace((unsigned char)p[n]) && p[n] != ',' &&
		       p[n] != '.' && p[n] != '(' && p[n] != ')')
			n++;
		for (k = 0; titles[k]; k++)
			if (strlen(titles[k]) == n &&
			    strncasecmp(titles[k], p, n) == 0)
				return true;
		if (role_word(p, n))
			return false;
		words++;
		if (isupper((unsigned char)p[0]))
			capitals++;
		p += n;
	}
	return words >= 2 && words <= 3 && capitals == words;
}

static bool date_ok(const char *d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	int y, m, day;
	size_t k;

	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return false;
	for (k = 0; k < 10; k++)
		if (k != 4 && k != 7 && !isdigit((unsigned char)d[k]))
			return false;
	y = (int)strtol(d, NULL, 10);
	m = (int)strtol(d + 5, NULL, 10);
	day = (int)strtol(d + 8, NULL, 10);
	if (y < 2000 || y > 2100 || m < 1 || m > 12 || day < 1 ||
	    day > days[m - 1])
		return false;
	return !(m == 2 && day == 29 &&
		 !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static void action_measure(struct reader *r, const struct framework *f,
			   json_t *v, struct assessment_action *x,
			   const char *what)
{
	int ci = framework_criterion_find(f, x->criterion);
	json_t *m = json_object_get(v, "measure");
	size_t before, k;

	if (!m || json_is_null(m))
		return;
	before = jsonpos_push_key(r->pointer, sizeof(r->pointer), "measure");
	if (json_is_string(m)) {
		const struct framework_criterion *cr =
			ci >= 0 ? &f->criteria[ci] : NULL;
		const struct framework_link *l = NULL;

		for (k = 0; cr && k < cr->nlinks; k++)
			if (strcmp(cr->links[k].measure,
				   json_string_value(m)) == 0) {
				l = &cr->links[k];
				break;
			}
		if (!l) {
			rproblem(r, "%s: criterion '%s' links to no measure "
				 "'%s' (name one it links to, or write the "
				 "measure out as an object)", what,
				 x->criterion, json_string_value(m));
		} else {
			snprintf(x->measure, sizeof(x->measure), "%s",
				 l->measure);
			snprintf(x->breakdown, sizeof(x->breakdown), "%s",
				 l->breakdown);
			snprintf(x->ethnicity, sizeof(x->ethnicity), "%s",
				 l->ethnicity);
			snprintf(x->level, sizeof(x->level), "%s", l->level);
			snprintf(x->service, sizeof(x->service), "%s",
				 l->service);
		}
	} else if (json_is_object(m)) {
		static const char *const known[] = { "measure", "breakdown",
						     "ethnicity", "level",
						     "service", NULL };
		const struct measure_def *def;

		runknown(r, m, known, what);
		rtext_into(r, m, "measure", true, what, x->measure,
			   sizeof(x->measure));
		rtext_into(r, m, "breakdown", false, what, x->breakdown,
			   sizeof(x->breakdown));
		rtext_into(r, m, "ethnicity", false, what, x->ethnicity,
			   sizeof(x->ethnicity));
		rtext_into(r, m, "level", false, what, x->level,
			   sizeof(x->level));
		rtext_into(r, m, "service", false, what, x->service,
			   sizeof(x->service));
		def = x->measure[0] ? measure_def_find(x->measure) : NULL;
		if (x->measure[0] && !def)
			rproblem(r, "%s: unknown measure '%s' (see `parity "
				 "measures`)", what, x->measure);
		else if (def && def->domain == MEASURE_SERVICE && !x->service[0])
			rproblem(r, "%s: '%s' is a service measure: name the "
				 "service", what, x->measure);
	} else {
		rproblem(r, "%s: 'measure' names a measure the criterion "
			 "links to, or is an object, not %s", what,
			 type_words(m));
	}
	jsonpos_pop(r->pointer, before);
}

static void actions_read(struct reader *r, const struct framework *f,
			 json_t *arr, struct assessment *a)
{
	static const char *const known[] = { "criterion", "description",
					     "owner_role", "due", "status",
					     "measure", "start_year",
					     "start_value", NULL };
	/* start_value is shown by the template and read again from the
	 * figures, never from the file */
	static const char *const statuses[] = { "planned", "in-progress",
						"done", "dropped", NULL };
	json_t *v;
	size_t k, j, before;
	long long year;

	a->actions = xcalloc(json_array_size(arr) + 1, sizeof(*a->actions));
	json_array_foreach(arr, k, v) {
		struct assessment_action *x = &a->actions[a->nactions];
		char what[64];
		bool ok = false;

		before = jsonpos_push_index(r->pointer, sizeof(r->pointer), k);
		snprintf(what, sizeof(what), "action %zu", k + 1);
		if (!json_is_object(v)) {
			rproblem(r, "%s: must be an object, not %s", what,
				 type_words(v));
			jsonpos_pop(r->pointer, before);
			continue;
		}
		a->nactions++;
		memset(x, 0, sizeof(*x));
		x->start_value = x->start_numerator = NAN;
		x->start_denominator = NAN;
		rwhere(r, &x->line, &x->column);
		runknown(r, v, known, what);
		rtext_into(r, v, "criterion", true, what, x->criterion,
			   sizeof(x->criterion));
		if (x->criterion[0] &&
		    framework_criterion_find(f, x->criterion) < 0) {
			size_t b2 = jsonpos_push_key(r->pointer,
						     sizeof(r->pointer),
						     "criterion");

			rproblem(r, "%s: unknown criterion '%s'", what,
				 x->criterion);
			jsonpos_pop(r->pointer, b2);
		}
		x->description = rtext(r, v, "description", true, what);
		if (!x->description)
			x->description = xstrdup("");
		rtext_into(r, v, "owner_role", true, what, x->owner_role,
			   sizeof(x->owner_role));
		if (x->owner_role[0] &&
		    assessment_owner_looks_like_name(x->owner_role)) {
			size_t b2 = jsonpos_push_key(r->pointer,
						     sizeof(r->pointer),
						     "owner_role");

			rproblem(r, "%s: the owner is a role ('Director of "
				 "HR'), never a person's name: '%s' reads as "
				 "a name", what, x->owner_role);
			jsonpos_pop(r->pointer, b2);
		}
		rtext_into(r, v, "due", true, what, x->due, sizeof(x->due));
		if (x->due[0] && !date_ok(x->due)) {
			size_t b2 = jsonpos_push_key(r->pointer,
						     sizeof(r->pointer), "due");

			rproblem(r, "%s: 'due' is a date, YYYY-MM-DD, not "
				 "'%s'", what, x->due);
			jsonpos_pop(r->pointer, b2);
		}
		rtext_into(r, v, "status", true, what, x->status,
			   sizeof(x->status));
		for (j = 0; statuses[j]; j++)
			if (strcmp(statuses[j], x->status) == 0)
				ok = true;
		if (x->status[0] && !ok) {
			size_t b2 = jsonpos_push_key(r->pointer,
						     sizeof(r->pointer),
						     "status");

			rproblem(r, "%s: 'status' is planned, in-progress, "
				 "done or dropped, not '%s'", what, x->status);
			jsonpos_pop(r->pointer, b2);
		}
		action_measure(r, f, v, x, what);
		if (json_object_get(v, "start_year")) {
			size_t b2 = jsonpos_push_key(r->pointer,
						     sizeof(r->pointer),
						     "start_year");
			json_t *y = json_object_get(v, "start_year");

			year = json_is_integer(y) ? json_integer_value(y) : 0;
			if (year < 2000 || year > a->year)
				rproblem(r, "%s: 'start_year' is a year no "
					 "later than the assessment's (%d)",
					 what, a->year);
			else
				x->start_year = (int)year;
			jsonpos_pop(r->pointer, b2);
		}
		jsonpos_pop(r->pointer, before);
	}
}

int assessment_parse(const struct framework_set *set, const char *text,
		     size_t len, const char *where, const char *area_code,
		     int year, struct assessment *out,
		     struct diag_list *problems)
{
	static const char *const known[] = {
		"framework", "framework_version", "area_code", "year", "share",
		"named", "criteria", "answers", "actions", "about", "title",
		"levels", NULL
	};
	const struct framework *f = NULL;
	struct reader r;
	json_error_t jerr;
	json_t *root, *v;
	const char *key;
	long long n;
	size_t before;
	char *id;

	memset(out, 0, sizeof(*out));
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		diag_add(problems, DIAG_ERROR, where, jerr.line,
			 jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.where = where;
	r.problems = problems;
	r.pos = jsonpos_build(text, len);
	snprintf(out->area_code, sizeof(out->area_code), "%s", area_code);
	out->year = year;
	if (!json_is_object(root)) {
		rproblem(&r, "an assessment is a JSON object, not %s",
			 type_words(root));
		goto done;
	}
	runknown(&r, root, known, "assessment");
	id = rtext(&r, root, "framework", true, "assessment");
	v = json_object_get(root, "framework_version");
	n = 0;
	if (v && !json_is_integer(v)) {
		before = jsonpos_push_key(r.pointer, sizeof(r.pointer),
					  "framework_version");
		rproblem(&r, "assessment: 'framework_version' must be a whole "
			 "number, not %s", type_words(v));
		jsonpos_pop(r.pointer, before);
	} else if (v) {
		n = json_integer_value(v);
	}
	if (id) {
		f = framework_find(set, id, n > 0 && n < 1000000 ? (int)n : 0);
		if (!f || (n && f->version != n)) {
			before = jsonpos_push_key(r.pointer, sizeof(r.pointer),
						  "framework");
			rproblem(&r, "assessment: no framework '%s'%s (see "
				 "`parity framework list`)", id,
				 n ? " of that version" : "");
			jsonpos_pop(r.pointer, before);
			f = NULL;
		}
		free(id);
	}
	v = json_object_get(root, "area_code");
	if (v && !(json_is_string(v) &&
		   strcmp(json_string_value(v), area_code) == 0)) {
		before = jsonpos_push_key(r.pointer, sizeof(r.pointer),
					  "area_code");
		rproblem(&r, "assessment: 'area_code' says another council "
			 "than %s", area_code);
		jsonpos_pop(r.pointer, before);
	}
	v = json_object_get(root, "year");
	if (v && !(json_is_integer(v) && json_integer_value(v) == year)) {
		before = jsonpos_push_key(r.pointer, sizeof(r.pointer), "year");
		rproblem(&r, "assessment: 'year' says another year than %d",
			 year);
		jsonpos_pop(r.pointer, before);
	}
	out->share = rbool(&r, root, "share", "assessment");
	out->named = rbool(&r, root, "named", "assessment");
	if (!f)
		goto done;
	snprintf(out->framework, sizeof(out->framework), "%s", f->id);
	out->framework_version = f->version;
	v = json_object_get(root, "criteria");
	before = jsonpos_push_key(r.pointer, sizeof(r.pointer), "criteria");
	if (v && f->kind == FRAMEWORK_SURVEY) {
		rproblem(&r, "a survey is answered in 'answers', not "
			 "'criteria'");
	} else if (v && !json_is_object(v)) {
		rproblem(&r, "'criteria' must be an object of criteria by "
			 "id, not %s", type_words(v));
	} else if (v) {
		json_t *c;

		json_object_foreach(v, key, c) {
			size_t b2 = jsonpos_push_key(r.pointer,
						     sizeof(r.pointer), key);

			criterion_read(&r, f, c, key, out);
			jsonpos_pop(r.pointer, b2);
		}
	}
	jsonpos_pop(r.pointer, before);
	v = json_object_get(root, "answers");
	before = jsonpos_push_key(r.pointer, sizeof(r.pointer), "answers");
	if (v && f->kind != FRAMEWORK_SURVEY)
		rproblem(&r, "only a survey has 'answers'");
	else if (v && !json_is_object(v))
		rproblem(&r, "'answers' must be an object of answers by "
			 "service area, not %s", type_words(v));
	else if (v)
		answers_read(&r, f, v, out);
	jsonpos_pop(r.pointer, before);
	v = json_object_get(root, "actions");
	before = jsonpos_push_key(r.pointer, sizeof(r.pointer), "actions");
	if (v && !json_is_array(v))
		rproblem(&r, "'actions' must be an array, not %s",
			 type_words(v));
	else if (v)
		actions_read(&r, f, v, out);
	jsonpos_pop(r.pointer, before);
done:
	jsonpos_free(r.pos);
	json_decref(root);
	if (r.errors) {
		assessment_release(out);
		return -1;
	}
	return 0;
}

/* ---- checking ---- */

int assessment_check(const struct framework *f, const struct assessment *a,
		     bool complete, const char *where,
		     struct diag_list *problems)
{
	size_t k, j, before = problems->errors;

	for (k = 0; k < a->ncriteria; k++) {
		const struct assessment_criterion *c = &a->criteria[k];

		if (c->level && c->suggested && c->level != c->suggested &&
		    !c->reason[0])
			diag_add(problems, DIAG_ERROR, where, c->line,
				 c->column, "criterion '%s': the figures "
				 "suggest '%s' (%g) but the level chosen is "
				 "'%s': say why in 'reason'", c->id,
				 framework_level_id(f, c->suggested),
				 c->figure, framework_level_id(f, c->level));
	}
	if (!complete)
		return problems->errors > before ? -1 : 0;
	if (f->kind != FRAMEWORK_SURVEY) {
		for (k = 0; k < f->ncriteria; k++) {
			const struct assessment_criterion *c = NULL;

			for (j = 0; j < a->ncriteria; j++)
				if (strcmp(a->criteria[j].id,
					   f->criteria[k].id) == 0)
					c = &a->criteria[j];
			if (!c || !c->level)
				diag_add(problems, DIAG_ERROR, where,
					 c ? c->line : 0, c ? c->column : 0,
					 "criterion '%s' has no level: a "
					 "submitted assessment has a level "
					 "for every criterion",
					 f->criteria[k].id);
		}
	} else {
		bool any_area = false;

		for (j = 0; j < f->nservice_areas; j++) {
			size_t answered = 0;

			for (k = 0; k < a->nanswers; k++)
				if (strcmp(a->answers[k].service_area,
					   f->service_areas[j].id) == 0)
					answered++;
			if (answered == 0)
				continue;
			any_area = true;
			if (answered < f->nquestions)
				diag_add(problems, DIAG_ERROR, where, 0, 0,
					 "service area '%s' answers %zu of "
					 "the %zu questions: a submitted "
					 "survey answers every question for "
					 "each service area it covers",
					 f->service_areas[j].id, answered,
					 f->nquestions);
		}
		if (!any_area)
			diag_add(problems, DIAG_ERROR, where, 0, 0,
				 "no answers: a submitted survey answers for "
				 "at least one service area");
	}
	return problems->errors > before ? -1 : 0;
}

/* ---- saving ---- */

static int audit(const struct standard_actor *who, const char *action,
		 const char *area_code, int year, const char *detail,
		 struct parity_error *err)
{
	if (!who->audit)
		return 0;
	return who->audit(who->audit_ctx, action, area_code, year, detail,
			  err);
}

int assessment_save(struct store *s, const struct framework *f,
		    struct assessment *a, bool submit,
		    const struct standard_actor *who,
		    struct parity_error *err)
{
	struct assessment newest;
	char detail[256];
	int rc;

	if (who->area_code && who->area_code[0] &&
	    strcmp(who->area_code, a->area_code) != 0)
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"a council edits only its own "
					"assessments");
	if (strcmp(a->framework, f->id) != 0 ||
	    a->framework_version != f->version)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"the assessment is not of framework "
					"'%s' version %d", f->id, f->version);
	if (store_begin(s, err) < 0)
		return -1;
	rc = store_assessment_find(s, a->framework, a->area_code, a->year,
				   false, &newest, err);
	if (rc < 0)
		goto fail;
	if (rc > 0 && !newest.submitted) {
		a->id = newest.id;
		a->version = newest.version;
		a->created_at = newest.created_at;
		snprintf(a->created_by, sizeof(a->created_by), "%s",
			 newest.created_by);
	} else {
		a->id = 0;
		a->version = rc > 0 ? newest.version + 1 : 1;
		a->created_at = who->now;
		snprintf(a->created_by, sizeof(a->created_by), "%s", who->by);
	}
	assessment_release(&newest);
	a->updated_at = who->now;
	a->submitted = submit;
	if (submit) {
		a->submitted_at = who->now;
		snprintf(a->submitted_by, sizeof(a->submitted_by), "%s",
			 who->by);
	}
	if (store_assessment_write(s, a, err) < 0)
		goto fail;
	snprintf(detail, sizeof(detail), "%s version %d: assessment %lld, "
		 "version %d", a->framework, a->framework_version,
		 (long long)a->id, a->version);
	if (audit(who, submit ? "standard.submit" : "standard.save",
		  a->area_code, a->year, detail, err) < 0 ||
	    store_commit(s, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	a->submitted = false;
	return -1;
}

int assessment_get(struct store *s, const char *framework_id,
		   const char *area_code, int year, bool submitted_only,
		   struct assessment *out, struct parity_error *err)
{
	return store_assessment_find(s, framework_id, area_code, year,
				     submitted_only, out, err);
}

/* ---- the template ---- */

static const struct assessment_criterion *
prefill_criterion(const struct framework *f, const struct assessment *p,
		  const char *id)
{
	const char *to;
	size_t k;

	if (!p)
		return NULL;
	for (k = 0; k < p->ncriteria; k++) {
		to = framework_carry_forward(f, p->framework_version,
					     p->criteria[k].id);
		if (to && strcmp(to, id) == 0)
			return &p->criteria[k];
	}
	return NULL;
}

static json_t *number_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *template_criterion(const struct framework *f,
				  const struct framework_criterion *cr,
				  const struct assessment_criterion *now,
				  const struct assessment_criterion *before)
{
	json_t *o = json_object(), *levels = json_array(), *links;
	const struct assessment_criterion *pc =
		now && now->level ? now : before ? before : now;
	size_t k;

	json_object_set_new(o, "title", json_string(cr->title));
	json_object_set_new(o, "theme",
			    json_string(f->themes[cr->theme].id));
	for (k = 0; k < f->nlevels; k++)
		json_array_append_new(levels, json_string(f->levels[k].id));
	json_object_set_new(o, "choose_from", levels);
	if (cr->nlinks && now) {
		json_t *fig = json_object();

		json_object_set_new(fig, "measure",
				    json_string(cr->links[0].measure));
		json_object_set_new(fig, "value", number_or_null(now->figure));
		json_object_set_new(fig, "ci_low",
				    number_or_null(now->figure_low));
		json_object_set_new(fig, "ci_high",
				    number_or_null(now->figure_high));
		json_object_set_new(o, "figure", fig);
		json_object_set_new(o, "suggested_level",
				    now->suggested ?
				    json_string(framework_level_id(
					    f, now->suggested)) : json_null());
	}
	json_object_set_new(o, "level", pc && pc->level ?
			    json_string(framework_level_id(f, pc->level)) :
			    json_null());
	json_object_set_new(o, "reason", json_string(pc ? pc->reason : ""));
	json_object_set_new(o, "evidence",
			    json_string(pc ? pc->evidence : ""));
	links = json_array();
	for (k = 0; pc && k < pc->nlinks; k++)
		json_array_append_new(links, json_string(pc->links[k]));
	json_object_set_new(o, "links", links);
	return o;
}

static json_t *template_action(const struct assessment_action *x,
			       const char *criterion)
{
	json_t *o = json_object();

	json_object_set_new(o, "criterion", json_string(criterion));
	json_object_set_new(o, "description", json_string(x->description));
	json_object_set_new(o, "owner_role", json_string(x->owner_role));
	json_object_set_new(o, "due", json_string(x->due));
	json_object_set_new(o, "status", json_string(x->status));
	if (x->measure[0]) {
		json_t *m = json_object();

		json_object_set_new(m, "measure", json_string(x->measure));
		json_object_set_new(m, "breakdown", json_string(x->breakdown));
		json_object_set_new(m, "ethnicity", json_string(x->ethnicity));
		json_object_set_new(m, "level", json_string(x->level));
		json_object_set_new(m, "service", json_string(x->service));
		json_object_set_new(o, "measure", m);
		if (x->start_year)
			json_object_set_new(o, "start_year",
					    json_integer(x->start_year));
		if (!isnan(x->start_value))
			json_object_set_new(o, "start_value",
					    json_real(x->start_value));
	}
	return o;
}

char *assessment_template(const struct framework *f,
			  const struct assessment *current,
			  const struct assessment *earlier)
{
	json_t *root = json_object(), *obj, *actions;
	char *text;
	size_t k, j;

	json_object_set_new(root, "about", json_string(
		"An assessment for parity (docs/formats/assessment.md): "
		"choose a level for each criterion (or answer each question), "
		"say why where it differs from the suggested level, give "
		"evidence and links, and list actions. 'title', 'theme', "
		"'choose_from', 'figure', 'suggested_level' and 'start_value' "
		"are shown for you and ignored when read: parity computes the "
		"figures itself."));
	json_object_set_new(root, "framework", json_string(f->id));
	json_object_set_new(root, "framework_version",
			    json_integer(f->version));
	if (current) {
		json_object_set_new(root, "area_code",
				    json_string(current->area_code));
		json_object_set_new(root, "year",
				    json_integer(current->year));
	}
	json_object_set_new(root, "share", json_boolean(
		(current && current->share) || (earlier && earlier->share)));
	if (f->kind == FRAMEWORK_SURVEY) {
		const struct assessment *src =
			current && current->nanswers ? current : earlier;

		json_object_set_new(root, "named",
				    json_boolean(src && src->named));
		obj = json_object();
		for (j = 0; j < f->nservice_areas; j++) {
			json_t *per = json_object();

			for (k = 0; k < f->nquestions; k++) {
				const struct framework_question *q =
					&f->questions[k];
				const char *v = NULL;
				size_t x;

				for (x = 0; src && x < src->nanswers; x++)
					if (strcmp(src->answers[x].question,
						   q->id) == 0 &&
					    strcmp(src->answers[x].service_area,
						   f->service_areas[j].id) == 0)
						v = src->answers[x].value;
				json_object_set_new(per, q->id,
					!v ? json_null() :
					q->type == QUESTION_SCALE ?
					json_integer(strtol(v, NULL, 10)) : json_string(v));
			}
			json_object_set_new(obj, f->service_areas[j].id, per);
		}
		json_object_set_new(root, "answers", obj);
	} else {
		obj = json_object();
		for (k = 0; k < f->ncriteria; k++) {
			const char *id = f->criteria[k].id;
			const struct assessment_criterion *now = NULL;

			for (j = 0; current && j < current->ncriteria; j++)
				if (strcmp(current->criteria[j].id, id) == 0)
					now = &current->criteria[j];
			json_object_set_new(obj, id, template_criterion(
				f, &f->criteria[k], now,
				prefill_criterion(f, earlier, id)));
		}
		json_object_set_new(root, "criteria", obj);
	}
	actions = json_array();
	if (current && current->nactions) {
		for (k = 0; k < current->nactions; k++)
			json_array_append_new(actions, template_action(
				&current->actions[k],
				current->actions[k].criterion));
	} else {
		for (k = 0; earlier && k < earlier->nactions; k++) {
			const char *to = framework_carry_forward(
				f, earlier->framework_version,
				earlier->actions[k].criterion);

			if (to)
				json_array_append_new(actions, template_action(
					&earlier->actions[k], to));
		}
	}
	json_object_set_new(root, "actions", actions);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				JSON_REAL_PRECISION(10));
	json_decref(root);
	if (!text)
		return xstrdup("{}");
	return text;
}
