/*
 * review.c - peer review of assessments (see review.h): assignment,
 * entries, sign-off and the council's response, each checked against the
 * rules of the data and audited in the transaction of the change.
 */
#include "standard/review.h"

#include "base/alloc.h"
#include "base/jsonpos.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int audit(const struct standard_actor *who, const char *action,
		 const char *area_code, int year, const char *detail,
		 struct parity_error *err)
{
	if (!who->audit)
		return 0;
	return who->audit(who->audit_ctx, action, area_code, year, detail,
			  err);
}

/* Inside a transaction: the newest submitted assessment, or an error. */
static int submitted(struct store *s, const char *framework_id,
		     const char *area_code, int year, struct assessment *a,
		     struct parity_error *err)
{
	int rc = store_assessment_find(s, framework_id, area_code, year, true,
				       a, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"%s has submitted no assessment of "
					"'%s' for %d", area_code,
					framework_id, year);
	return 0;
}

int review_assign(struct store *s, const char *framework_id,
		  const char *area_code, int year, const char *reviewer_area,
		  const struct standard_actor *who, struct review *out,
		  struct parity_error *err)
{
	struct assessment a;
	struct review r;
	char detail[256];

	if (out)
		memset(out, 0, sizeof(*out));
	if (strcmp(area_code, reviewer_area) == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"a council cannot review its own "
					"assessment");
	if (store_begin(s, err) < 0)
		return -1;
	if (submitted(s, framework_id, area_code, year, &a, err) < 0)
		goto fail;
	memset(&r, 0, sizeof(r));
	r.assessment_id = a.id;
	snprintf(r.reviewer_area, sizeof(r.reviewer_area), "%s",
		 reviewer_area);
	r.assigned_at = who->now;
	snprintf(r.assigned_by, sizeof(r.assigned_by), "%s", who->by);
	snprintf(detail, sizeof(detail), "%s: assessment %lld (version %d) "
		 "reviewed by %s", framework_id, (long long)a.id, a.version,
		 reviewer_area);
	assessment_release(&a);
	if (store_review_add(s, &r, err) < 0 ||
	    audit(who, "standard.review.assign", area_code, year, detail,
		  err) < 0 ||
	    store_commit(s, err) < 0)
		goto fail;
	if (out)
		*out = r;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

void review_entries_free(struct review_entry *e, size_t n)
{
	size_t k;

	for (k = 0; e && k < n; k++)
		free(e[k].comment);
	free(e);
}

int review_parse(const struct framework *f, const char *text, size_t len,
		 const char *where, struct review_entry **out, size_t *count,
		 struct diag_list *problems)
{
	struct review_entry *e = NULL;
	struct jsonpos *pos;
	char pointer[1024] = "";
	json_error_t jerr;
	json_t *root, *crit, *v, *x;
	const char *key;
	size_t n = 0, before = problems->errors, b1, b2;
	long line, column;

	*out = NULL;
	*count = 0;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		diag_add(problems, DIAG_ERROR, where, jerr.line,
			 jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
		return -1;
	}
	pos = jsonpos_build(text, len);
	crit = json_is_object(root) ? json_object_get(root, "criteria") : NULL;
	if (!crit || !json_is_object(crit)) {
		jsonpos_find(pos, "", &line, &column);
		diag_add(problems, DIAG_ERROR, where, line, column,
			 "a review is an object with 'criteria': entries by "
			 "criterion id");
		goto done;
	}
	e = xcalloc(json_object_size(crit) + 1, sizeof(*e));
	b1 = jsonpos_push_key(pointer, sizeof(pointer), "criteria");
	json_object_foreach(crit, key, v) {
		struct review_entry *r = &e[n];

		b2 = jsonpos_push_key(pointer, sizeof(pointer), key);
		jsonpos_find(pos, pointer, &line, &column);
		if (framework_criterion_find(f, key) < 0) {
			diag_add(problems, DIAG_ERROR, where, line, column,
				 "unknown criterion '%s'", key);
		} else if (!json_is_object(v)) {
			diag_add(problems, DIAG_ERROR, where, line, column,
				 "criterion '%s': an entry is an object with "
				 "'agree' or 'level', and 'comment'", key);
		} else {
			memset(r, 0, sizeof(*r));
			snprintf(r->criterion, sizeof(r->criterion), "%s",
				 key);
			r->line = line;
			r->column = column;
			x = json_object_get(v, "comment");
			r->comment = xstrdup(json_is_string(x) ?
					     json_string_value(x) : "");
			if (x && !json_is_string(x))
				diag_add(problems, DIAG_ERROR, where, line,
					 column, "criterion '%s': 'comment' "
					 "must be a string", key);
			x = json_object_get(v, "agree");
			r->agree = json_is_true(x);
			if (x && !json_is_boolean(x))
				diag_add(problems, DIAG_ERROR, where, line,
					 column, "criterion '%s': 'agree' "
					 "must be true or false", key);
			x = json_object_get(v, "level");
			if (json_is_string(x))
				r->level = framework_level_find(
					f, json_string_value(x)) + 1;
			if (r->agree && x)
				diag_add(problems, DIAG_ERROR, where, line,
					 column, "criterion '%s': give "
					 "'agree': true or a 'level', not "
					 "both", key);
			else if (!r->agree && r->level < 1)
				diag_add(problems, DIAG_ERROR, where, line,
					 column, "criterion '%s': give "
					 "'agree': true, or the 'level' you "
					 "would give (one of the framework's "
					 "levels)", key);
			n++;
		}
		jsonpos_pop(pointer, b2);
	}
	jsonpos_pop(pointer, b1);
done:
	jsonpos_free(pos);
	json_decref(root);
	if (problems->errors > before) {
		review_entries_free(e, n);
		return -1;
	}
	*out = e;
	*count = n;
	return 0;
}

/* Inside a transaction: the assessment and its review, the actor being
 * the reviewing council. */
static int reviewer_review(struct store *s, const char *framework_id,
			   const char *area_code, int year,
			   const struct standard_actor *who,
			   struct assessment *a, struct review *r,
			   struct parity_error *err)
{
	int rc;

	if (submitted(s, framework_id, area_code, year, a, err) < 0)
		return -1;
	rc = store_review_for(s, a->id, r, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"no reviewer is assigned to %s's "
					"assessment of '%s' for %d",
					area_code, framework_id, year);
	if (!who->area_code || strcmp(who->area_code, r->reviewer_area) != 0)
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"only the assigned council (%s) "
					"reviews this assessment",
					r->reviewer_area);
	if (r->signed_off_at)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the review is signed off: it cannot "
					"be changed");
	return 0;
}

int review_record(struct store *s, const struct framework *f,
		  const char *area_code, int year,
		  const struct review_entry *entries, size_t count,
		  const struct standard_actor *who, struct parity_error *err)
{
	struct assessment a;
	struct review r;
	struct review_entry e;
	char detail[256];
	size_t k, j;
	int level;

	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	if (store_begin(s, err) < 0)
		return -1;
	if (reviewer_review(s, f->id, area_code, year, who, &a, &r, err) < 0)
		goto fail;
	for (k = 0; k < count; k++) {
		level = 0;
		for (j = 0; j < a.ncriteria; j++)
			if (strcmp(a.criteria[j].id, entries[k].criterion) ==
			    0)
				level = a.criteria[j].level;
		if (!level) {
			parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					 "criterion '%s': the assessment "
					 "gives it no level to review",
					 entries[k].criterion);
			goto fail;
		}
		e = entries[k];
		e.agree = entries[k].agree || entries[k].level == level;
		e.level = e.agree ? level : entries[k].level;
		e.recorded_at = who->now;
		snprintf(e.recorded_by, sizeof(e.recorded_by), "%s", who->by);
		if (store_review_entry_put(s, r.id, &e, err) < 0)
			goto fail;
	}
	snprintf(detail, sizeof(detail), "%s: review %lld of assessment %lld, "
		 "%zu entr%s", f->id, (long long)r.id, (long long)a.id, count,
		 count == 1 ? "y" : "ies");
	if (audit(who, "standard.review.record", area_code, year, detail,
		  err) < 0 ||
	    store_commit(s, err) < 0)
		goto fail;
	assessment_release(&a);
	review_release(&r);
	return 0;
fail:
	store_rollback(s);
	assessment_release(&a);
	review_release(&r);
	return -1;
}

int review_sign_off(struct store *s, const struct framework *f,
		    const char *area_code, int year,
		    const struct standard_actor *who, struct parity_error *err)
{
	struct assessment a;
	struct review r;
	char detail[256];
	size_t k, j;
	bool found;

	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	if (store_begin(s, err) < 0)
		return -1;
	if (reviewer_review(s, f->id, area_code, year, who, &a, &r, err) < 0)
		goto fail;
	for (k = 0; k < a.ncriteria; k++) {
		if (!a.criteria[k].level)
			continue;
		found = false;
		for (j = 0; j < r.nentries; j++)
			if (strcmp(r.entries[j].criterion,
				   a.criteria[k].id) == 0)
				found = true;
		if (!found) {
			parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					 "criterion '%s' is not reviewed yet: "
					 "a review is signed off once every "
					 "criterion with a level has an entry",
					 a.criteria[k].id);
			goto fail;
		}
	}
	snprintf(detail, sizeof(detail), "%s: review %lld of assessment %lld "
		 "signed off by %s", f->id, (long long)r.id, (long long)a.id,
		 r.reviewer_area);
	if (store_review_sign_off(s, r.id, who->by, who->now, err) < 0 ||
	    audit(who, "standard.review.signoff", area_code, year, detail,
		  err) < 0 ||
	    store_commit(s, err) < 0)
		goto fail;
	assessment_release(&a);
	review_release(&r);
	return 0;
fail:
	store_rollback(s);
	assessment_release(&a);
	review_release(&r);
	return -1;
}

int review_respond(struct store *s, const char *framework_id,
		   const char *area_code, int year, const char *text,
		   const struct standard_actor *who, struct parity_error *err)
{
	struct assessment a;
	struct review r;
	char detail[256];
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	if (who->area_code && who->area_code[0] &&
	    strcmp(who->area_code, area_code) != 0)
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"only the assessed council responds "
					"to its review");
	if (!text || !text[0])
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the response is empty");
	if (store_begin(s, err) < 0)
		return -1;
	if (submitted(s, framework_id, area_code, year, &a, err) < 0)
		goto fail;
	rc = store_review_for(s, a.id, &r, err);
	if (rc < 0)
		goto fail;
	if (rc == 0 || !r.signed_off_at) {
		parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				 "there is no signed-off review of %s's "
				 "assessment of '%s' for %d to respond to",
				 area_code, framework_id, year);
		goto fail;
	}
	if (r.response) {
		parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				 "the council has responded already: the "
				 "response stays on record as given");
		goto fail;
	}
	snprintf(detail, sizeof(detail), "%s: response to review %lld",
		 framework_id, (long long)r.id);
	if (store_review_respond(s, r.id, text, who->by, who->now, err) < 0 ||
	    audit(who, "standard.review.respond", area_code, year, detail,
		  err) < 0 ||
	    store_commit(s, err) < 0)
		goto fail;
	assessment_release(&a);
	review_release(&r);
	return 0;
fail:
	store_rollback(s);
	assessment_release(&a);
	review_release(&r);
	return -1;
}

int review_get(struct store *s, const char *framework_id,
	       const char *area_code, int year, struct review *out,
	       struct assessment *assessment, struct parity_error *err)
{
	struct assessment a;
	int rc;

	memset(out, 0, sizeof(*out));
	if (assessment)
		memset(assessment, 0, sizeof(*assessment));
	rc = store_assessment_find(s, framework_id, area_code, year, true, &a,
				   err);
	if (rc <= 0)
		return rc;
	rc = store_review_for(s, a.id, out, err);
	if (rc > 0 && assessment)
		*assessment = a;
	else
		assessment_release(&a);
	return rc;
}
