/*
 * reclassify.c - a stored workforce or recruitment return read again
 * under the alias register as it is now (see reclassify.h); service
 * returns are read again by service.c (service_reclassify()), with the
 * classifier built here.
 *
 * The records are copied, block by block, into a new version of the
 * submission with each record's category read from its label, and the
 * aggregates are made again from them exactly as an import makes them;
 * everything happens in one transaction, so a failure stores nothing.
 */
#include "ingest/reclassify.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/diag.h"
#include "base/hash.h"
#include "base/strbuf.h"
#include "base/textsafe.h"
#include "ingest/alias_register.h"
#include "ingest/service.h"
#include "ingest/tally.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the submission's labels ---- */

struct label_read {
	char *label;
	long records;
	char old_category[16];
	char old_rule[16];
	int id;             /* as read now: enum ethnicity_id, or -1 */
	bool from_2011;
	enum label_rule rule;
};

/* The labels of a submission, found by their text. */
struct relabel {
	struct label_read *labels;
	size_t count, cap;
	size_t *slots;      /* 1 + index, 0 empty */
	size_t slot_cap;
	size_t last;        /* 1 + the index last found, or 0: records come
			     * in runs of the same label */
};

static size_t *slot_for(struct relabel *rl, const char *label)
{
	size_t i = (size_t)hash_string(label) & (rl->slot_cap - 1);

	while (rl->slots[i] &&
	       strcmp(rl->labels[rl->slots[i] - 1].label, label) != 0)
		i = (i + 1) & (rl->slot_cap - 1);
	return &rl->slots[i];
}

static int collect_label(void *ctx, const struct store_label *l)
{
	struct relabel *rl = ctx;
	struct label_read *r;

	rl->labels = xgrow(rl->labels, &rl->cap, rl->count + 1,
			   sizeof(*rl->labels));
	r = &rl->labels[rl->count++];
	memset(r, 0, sizeof(*r));
	r->label = xstrdup(l->label);
	r->records = l->records;
	r->id = -1;
	snprintf(r->old_category, sizeof(r->old_category), "%s", l->category);
	snprintf(r->old_rule, sizeof(r->old_rule), "%s", l->rule);
	return 0;
}

static void relabel_index(struct relabel *rl)
{
	size_t k;

	rl->slot_cap = 16;
	while (rl->slot_cap < 2 * rl->count + 2)
		rl->slot_cap *= 2;
	rl->slots = xcalloc(rl->slot_cap, sizeof(*rl->slots));
	for (k = 0; k < rl->count; k++)
		*slot_for(rl, rl->labels[k].label) = k + 1;
}

/* The index of `label`, or -1 when the submission's labels lack it. */
static long relabel_find(struct relabel *rl, const char *label)
{
	size_t slot;

	if (rl->last && strcmp(rl->labels[rl->last - 1].label, label) == 0)
		return (long)(rl->last - 1);
	slot = *slot_for(rl, label);
	if (!slot)
		return -1;
	rl->last = slot;
	return (long)(slot - 1);
}

static void relabel_free(struct relabel *rl)
{
	size_t k;

	for (k = 0; k < rl->count; k++)
		free(rl->labels[k].label);
	free(rl->labels);
	free(rl->slots);
	memset(rl, 0, sizeof(*rl));
}

static void not_possible(struct reclassify_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void not_possible(struct reclassify_result *res, const char *fmt, ...)
{
	va_list ap;

	res->outcome = RECLASSIFY_NOT_POSSIBLE;
	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
}

/*
 * The classifier the submission is read with now: built-in labels, the
 * register, and the aliases of the import's own file that its labels
 * used. 1 when built, 0 when the submission cannot be read (res says
 * why), -1 when the store fails.
 */
static int build_classifier(struct store *s, const struct relabel *rl,
			    struct ethnicity_classifier **out,
			    struct alias_register *reg,
			    struct reclassify_result *res,
			    struct parity_error *err)
{
	struct diag_list problems = DIAG_LIST_INIT;
	struct parity_error e = PARITY_ERROR_INIT;
	enum ethnicity_code_system system = ETH_CODES_NONE;
	size_t k;
	int rc;

	*out = NULL;
	if (ethnicity_classifier_new(out, err) < 0)
		return -1;
	/* bare codes read as the import read them */
	if (res->from.code_system[0] &&
	    ethnicity_code_system_parse(res->from.code_system, &system,
					&e) == 0)
		ethnicity_classifier_set_code_system(*out, system);
	rc = alias_register_load(s, *out, reg, &problems, &e);
	if (rc < 0 && e.code != PARITY_ERR_VALIDATION) {
		*err = e;
		diag_list_release(&problems);
		return -1;
	}
	if (rc < 0) {
		not_possible(res, "%s", problems.count ? problems.items[0].message
						       : e.message);
		diag_list_release(&problems);
		return 0;
	}
	diag_list_release(&problems);
	for (k = 0; k < rl->count; k++) {
		const struct label_read *l = &rl->labels[k];
		char quoted[256];

		if (strcmp(l->old_rule,
			   label_rule_name(LABEL_RULE_ALIAS_FILE)) != 0)
			continue;
		if (ethnicity_classifier_add_alias(*out, l->label,
						   l->old_category, &e) == 0)
			continue;
		textsafe_quote(l->label, 60, quoted, sizeof(quoted));
		not_possible(res, "label '%s' was read as %s by the import's "
			     "own alias file, which the alias register (version "
			     "%d) now contradicts (%s): re-import the return "
			     "with its alias file corrected", quoted,
			     l->old_category, reg->version, e.message);
		return 0;
	}
	return 1;
}

/* Read every label again: 1 when all read, 0 when some no longer do. */
static int read_labels(const struct ethnicity_classifier *c,
		       const struct alias_register *reg, struct relabel *rl,
		       struct reclassify_result *res)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k, unread = 0;

	for (k = 0; k < rl->count; k++) {
		struct label_read *l = &rl->labels[k];
		struct ethnicity_match m;
		struct parity_error e = PARITY_ERROR_INIT;
		char quoted[256];

		memset(&m, 0, sizeof(m));
		if (ethnicity_classify(c, l->label, &m, &e) == 0 && m.id >= 0) {
			l->id = m.id;
			l->from_2011 = m.from_2011;
			l->rule = label_rule_of(&m, reg, l->label);
			if (strcmp(l->old_category, ethnicity_category(
				   (enum ethnicity_id)m.id)->code) != 0) {
				res->changed += l->records;
				res->labels_changed++;
			}
			continue;
		}
		if (unread++ >= 3)
			continue;
		textsafe_quote(l->label, 60, quoted, sizeof(quoted));
		strbuf_addf(&sb, "%s'%s' (%ld record%s, read as %s)",
			    unread > 1 ? ", " : "", quoted, l->records,
			    l->records == 1 ? "" : "s", l->old_category);
	}
	if (unread) {
		not_possible(res, "%zu of its labels no longer read%s: %s%s; "
			     "settle them in the alias register (`parity "
			     "aliases add`) and reclassify again", unread,
			     unread == 1 ? "s" : "", sb.buf,
			     unread > 3 ? ", ..." : "");
	}
	strbuf_release(&sb);
	return unread == 0;
}

/* ---- the records, copied into the new version ---- */

struct rewrite {
	struct store *s;
	struct relabel *rl;
	int64_t to;
	struct return_tally tally;
	bool unlabelled;   /* a record with no label: stored before labels
			    * were kept */
	bool stray;        /* a label its submission's labels lack */
	struct parity_error *err;
	bool failed;
};

static long label_of(struct rewrite *w, const char *label)
{
	long k;

	if (!label) {
		w->unlabelled = true;
		return -1;
	}
	k = relabel_find(w->rl, label);
	if (k < 0)
		w->stray = true;
	return k;
}

static int rewrite_staff(void *ctx, const struct store_staff *r)
{
	struct rewrite *w = ctx;
	struct store_staff copy = *r;
	long k = label_of(w, r->label);

	if (k < 0)
		return 1;
	copy.ethnicity = (enum ethnicity_id)w->rl->labels[k].id;
	if (store_staff_add(w->s, w->to, &copy, w->err) < 0) {
		w->failed = true;
		return 1;
	}
	return_tally_staff(&w->tally, &copy);
	return 0;
}

static int rewrite_applicant(void *ctx, const struct store_applicant *r)
{
	struct rewrite *w = ctx;
	struct store_applicant copy = *r;
	long k = label_of(w, r->label);

	if (k < 0)
		return 1;
	copy.ethnicity = (enum ethnicity_id)w->rl->labels[k].id;
	if (store_applicant_add(w->s, w->to, &copy, w->err) < 0) {
		w->failed = true;
		return 1;
	}
	return_tally_applicant(&w->tally, &copy);
	return 0;
}

static int write_labels(struct store *s, int64_t to, const struct relabel *rl,
			struct parity_error *err)
{
	struct store_label *list = xcalloc(rl->count + 1, sizeof(*list));
	size_t k;
	int rc;

	for (k = 0; k < rl->count; k++) {
		const struct label_read *l = &rl->labels[k];

		list[k].label = l->label;
		list[k].records = l->records;
		list[k].category =
			ethnicity_category((enum ethnicity_id)l->id)->code;
		list[k].rule = label_rule_name(l->rule);
	}
	rc = store_labels_add(s, to, list, rl->count, err);
	free(list);
	return rc;
}

/* A new version of a workforce or recruitment return, its records read
 * again: 0 (res says how it went), or -1 when the store fails. */
static int new_version(struct store *s, const struct reclassify_options *opt,
		       const char *at, struct relabel *rl,
		       struct reclassify_result *res, struct parity_error *err)
{
	struct rewrite w;
	struct store_submission *to = &res->to;
	bool labels_2011 = false;
	size_t k;
	int rc, status = -1;

	memset(&w, 0, sizeof(w));
	return_tally_init(&w.tally);
	*to = res->from;
	to->id = 0;
	to->supersedes = 0;
	to->rows = 0;
	to->alias_version = res->version;
	to->reclassified = true;
	snprintf(to->submitted_at, sizeof(to->submitted_at), "%s", at);
	snprintf(to->submitted_by, sizeof(to->submitted_by), "%s", opt->by);
	if (store_submission_add(s, to, err) < 0)
		return -1;
	w.s = s;
	w.rl = rl;
	w.to = to->id;
	w.err = err;
	rc = res->from.kind == STORE_WORKFORCE
	     ? store_staff_each(s, res->from.id, rewrite_staff, &w, err)
	     : store_applicant_each(s, res->from.id, rewrite_applicant, &w,
				    err);
	if (rc < 0 || w.failed)
		goto out;
	if (w.unlabelled || w.stray) {
		not_possible(res, w.unlabelled
			     ? "its records were stored before parity kept "
			       "each record's label, so they cannot be read "
			       "again: re-import its file"
			     : "a record's label is missing from the "
			       "submission's labels: the store may be damaged");
		status = 0;
		goto out;
	}
	if (return_tally_write(s, to->id, &w.tally, err) < 0 ||
	    write_labels(s, to->id, rl, err) < 0)
		goto out;
	for (k = 0; k < rl->count; k++)
		labels_2011 = labels_2011 || rl->labels[k].from_2011;
	to->rows = w.tally.rows;
	to->classification = labels_2011 && !w.tally.roma ? 2011 : 2021;
	if (store_submission_finish(s, to, err) < 0)
		goto out;
	res->records = w.tally.rows;
	res->outcome = RECLASSIFY_NEW_VERSION;
	status = 0;
out:
	return_tally_release(&w.tally);
	return status;
}

int reclassify_submission(struct store *s, int64_t id,
			  const struct reclassify_options *opt,
			  struct reclassify_result *res,
			  struct parity_error *err)
{
	struct relabel rl;
	struct ethnicity_classifier *cls = NULL;
	struct alias_register reg;
	char at[32];
	size_t k;
	int rc, status = -1;

	memset(res, 0, sizeof(*res));
	memset(&rl, 0, sizeof(rl));
	memset(&reg, 0, sizeof(reg));
	if (opt->at)
		snprintf(at, sizeof(at), "%s", opt->at);
	else if (clock_utc_now(at, sizeof(at), err) < 0)
		return -1;
	if (store_begin(s, err) < 0)
		return -1;
	if (store_submission_get(s, id, &res->from, err) < 0 ||
	    store_alias_version(s, &res->version, err) < 0)
		goto out;
	res->outcome = RECLASSIFY_UNCHANGED;
	if (!res->from.current) {
		not_possible(res, "it is not the current version of its "
			     "return (see `parity returns list`)");
		status = 0;
		goto out;
	}
	if (res->from.checked_version >= res->version) {
		status = 0; /* read under this register already */
		goto out;
	}
	if (store_labels_each(s, id, collect_label, &rl, err) < 0)
		goto out;
	if (rl.count == 0 && res->from.rows > 0) {
		not_possible(res, "it was stored before parity kept the labels "
			     "returns gave, so its records cannot be read "
			     "again: re-import its file to read it with the "
			     "register");
		status = 0;
		goto out;
	}
	relabel_index(&rl);
	rc = build_classifier(s, &rl, &cls, &reg, res, err);
	if (rc <= 0) {
		status = rc;
		goto out;
	}
	if (res->from.kind == STORE_SERVICE) {
		status = service_reclassify(s, opt, cls, &reg, at, res, err);
		goto out;
	}
	if (!read_labels(cls, &reg, &rl, res)) {
		status = 0;
		goto out;
	}
	for (k = 0; k < rl.count; k++)
		res->records += rl.labels[k].records;
	if (res->changed == 0) {
		/* nothing reads differently: the same return, checked */
		if (store_alias_check_add(s, id, res->version, at, opt->by,
					  err) < 0)
			goto out;
		status = 0;
		goto out;
	}
	status = new_version(s, opt, at, &rl, res, err);
out:
	if (status == 0 && res->outcome != RECLASSIFY_NOT_POSSIBLE) {
		if (store_commit(s, err) < 0)
			status = -1;
	} else {
		store_rollback(s);
	}
	if (status < 0 || res->outcome == RECLASSIFY_NOT_POSSIBLE)
		memset(&res->to, 0, sizeof(res->to));
	ethnicity_classifier_free(cls);
	alias_register_release(&reg);
	relabel_free(&rl);
	return status;
}
