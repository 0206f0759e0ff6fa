/*
 * alias_register.c - loading the alias register into a classifier, and
 * changing it, every alias checked by the classifier inside the change's
 * own transaction (see alias_register.h).
 */
#include "ingest/alias_register.h"

#include "base/utf8.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/strbuf.h"
#include "base/textsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define KEY_BYTES 256

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void category_name(const char *code, char *out, size_t size)
{
	int id = ethnicity_find_code(code);

	if (id < 0)
		snprintf(out, size, "%s", code);
	else
		snprintf(out, size, "%s (%s)",
			 ethnicity_category((enum ethnicity_id)id)->label,
			 ethnicity_category((enum ethnicity_id)id)->code);
}

int alias_register_load(struct store *s, struct ethnicity_classifier *c,
			struct alias_register *out, struct diag_list *diags,
			struct parity_error *err)
{
	struct store_alias *list = NULL;
	size_t n = 0, k;

	memset(out, 0, sizeof(*out));
	if (store_alias_version(s, &out->version, err) < 0 ||
	    store_aliases_list(s, false, &list, &n, err) < 0)
		return -1;
	out->keys = xcalloc(n + 1, sizeof(*out->keys));
	{
		char source[64];

		snprintf(source, sizeof(source),
			 "the alias register (version %d)", out->version);
		ethnicity_classifier_name_aliases(c, source);
	}
	for (k = 0; k < n; k++) {
		struct parity_error e = PARITY_ERROR_INIT;
		char quoted[256], want[160];

		if (ethnicity_classifier_add_alias(c, list[k].label,
						   list[k].category, &e) == 0) {
			out->keys[out->count++] = xstrdup(list[k].key);
			continue;
		}
		textsafe_quote(list[k].label, 60, quoted, sizeof(quoted));
		category_name(list[k].category, want, sizeof(want));
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "the alias register (version %d) maps '%s' to %s "
			 "(added in version %d by %s), which this parity "
			 "refuses: %s; remove it with `parity aliases remove "
			 "'%s'`", out->version, quoted, want, list[k].added_in,
			 list[k].added_by, e.message, quoted);
		out->failed++;
	}
	qsort(out->keys, out->count, sizeof(*out->keys), compare_keys);
	free(list);
	if (out->failed)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"%zu alias%s of the register cannot be "
					"used", out->failed,
					out->failed == 1 ? "" : "es");
	return 0;
}

bool alias_register_holds(const struct alias_register *r, const char *label)
{
	char key[KEY_BYTES];
	const char *want = key;

	if (!r || r->count == 0)
		return false;
	ethnicity_normalise(label, key, sizeof(key));
	return bsearch(&want, r->keys, r->count, sizeof(*r->keys),
		       compare_keys) != NULL;
}

void alias_register_release(struct alias_register *r)
{
	size_t k;

	for (k = 0; k < r->count; k++)
		free(r->keys[k]);
	free(r->keys);
	memset(r, 0, sizeof(*r));
}

static const char *const rule_names[LABEL_RULE_COUNT] = {
	"built-in", "code system", "write-in", "register", "alias file",
	"service"
};

const char *label_rule_name(enum label_rule rule)
{
	return rule < LABEL_RULE_COUNT ? rule_names[rule] : "";
}

enum label_rule label_rule_of(const struct ethnicity_match *m,
			      const struct alias_register *r,
			      const char *label)
{
	switch (m->rule) {
	case ETH_RULE_CODE_SYSTEM:
		return LABEL_RULE_CODE_SYSTEM;
	case ETH_RULE_WRITE_IN:
		return LABEL_RULE_WRITE_IN;
	case ETH_RULE_ALIAS:
		return alias_register_holds(r, label) ? LABEL_RULE_REGISTER
						      : LABEL_RULE_ALIAS_FILE;
	case ETH_RULE_BUILT_IN:
		break;
	}
	return LABEL_RULE_BUILT_IN;
}

/* ---- changes ---- */

/*
 * The state of a change: inside its transaction, a classifier holding
 * the register as it stands.
 */
struct change {
	struct store *s;
	struct ethnicity_classifier *c;
	struct alias_register reg;
	char at[32];
};

static void change_end(struct change *ch)
{
	ethnicity_classifier_free(ch->c);
	alias_register_release(&ch->reg);
}

/* Begin: the transaction first, so that the register read is the one
 * the change is made to. A register alias that no longer loads does not
 * stop a change (it is what a change may remove). */
static int change_begin(struct change *ch, struct store *s,
			const struct alias_change *how,
			struct parity_error *err)
{
	struct diag_list ignored = DIAG_LIST_INIT;
	struct parity_error load_err = PARITY_ERROR_INIT;
	int rc;

	memset(ch, 0, sizeof(*ch));
	ch->s = s;
	if (how->at)
		snprintf(ch->at, sizeof(ch->at), "%s", how->at);
	else if (clock_utc_now(ch->at, sizeof(ch->at), err) < 0)
		return -1;
	if (!how->by || !how->by[0])
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"a change to the alias register needs "
					"the name of whoever makes it");
	if (store_begin(s, err) < 0)
		return -1;
	if (ethnicity_classifier_new(&ch->c, err) < 0) {
		store_rollback(s);
		return -1;
	}
	ethnicity_classifier_set_code_system(ch->c, how->codes);
	rc = alias_register_load(s, ch->c, &ch->reg, &ignored, &load_err);
	diag_list_release(&ignored);
	if (rc < 0 && load_err.code != PARITY_ERR_VALIDATION) {
		*err = load_err;
		store_rollback(s);
		change_end(ch);
		return -1;
	}
	return 0;
}

static int change_fail(struct change *ch)
{
	store_rollback(ch->s);
	change_end(ch);
	return -1;
}

static int check_label_length(const char *label, struct parity_error *err,
			      const char *file, long line, long column)
{
	char quoted[256];

	if (utf8_length(label) <= ALIAS_LABEL_MAX &&
	    strlen(label) < STORE_LABEL_BYTES)
		return 0;
	textsafe_quote(label, 60, quoted, sizeof(quoted));
	return parity_error_set(err, PARITY_ERR_VALIDATION, file, line, column,
				"label '%s' is longer than %d characters",
				quoted, ALIAS_LABEL_MAX);
}

/* `label` trimmed of spaces, into `out`. */
static void trimmed(const char *label, char *out, size_t size)
{
	size_t len;

	while (*label == ' ' || *label == '\t')
		label++;
	len = strlen(label);
	while (len && (label[len - 1] == ' ' || label[len - 1] == '\t'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(out, label, len);
	out[len] = '\0';
}

/* The register's alias for `key`, if it holds one: 1 and *out filled. */
static int find_alias(struct store *s, const char *key, struct store_alias *out,
		      struct parity_error *err)
{
	struct store_alias *list = NULL;
	size_t n = 0, k;
	int found = 0;

	if (store_aliases_list(s, false, &list, &n, err) < 0)
		return -1;
	for (k = 0; k < n && !found; k++)
		if (strcmp(list[k].key, key) == 0) {
			*out = list[k];
			found = 1;
		}
	free(list);
	return found;
}

int alias_register_add(struct store *s, const char *label_given,
		       const char *category, const struct alias_change *how,
		       struct alias_change_result *res,
		       struct parity_error *err)
{
	struct change ch;
	struct store_alias a, had;
	struct ethnicity_match m;
	struct parity_error e = PARITY_ERROR_INIT;
	char quoted[256], want[160], have[160];
	int found;

	memset(res, 0, sizeof(*res));
	memset(&a, 0, sizeof(a));
	trimmed(label_given, a.label, sizeof(a.label));
	if (check_label_length(label_given, err, NULL, 0, 0) < 0)
		return -1;
	if (change_begin(&ch, s, how, err) < 0)
		return -1;
	ethnicity_normalise(a.label, a.key, sizeof(a.key));
	textsafe_quote(a.label, 60, quoted, sizeof(quoted));
	/* the register's own alias for it, named with its version */
	found = a.key[0] ? find_alias(s, a.key, &had, err) : 0;
	if (found < 0)
		return change_fail(&ch);
	if (ethnicity_classifier_add_alias(ch.c, a.label, category, &e) < 0) {
		if (found) {
			category_name(had.category, have, sizeof(have));
			parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					 "the alias register already maps '%s' "
					 "to %s (added in version %d by %s): "
					 "remove it first (`parity aliases "
					 "remove '%s'`) to change it", quoted,
					 have, had.added_in, had.added_by,
					 quoted);
		} else {
			*err = e;
		}
		return change_fail(&ch);
	}
	memset(&m, 0, sizeof(m));
	if (ethnicity_classify(ch.c, a.label, &m, &e) < 0 || m.id < 0) {
		parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
				 "alias '%s' was accepted but does not read",
				 quoted);
		return change_fail(&ch);
	}
	snprintf(res->category, sizeof(res->category), "%s",
		 ethnicity_category((enum ethnicity_id)m.id)->code);
	if (found || m.rule != ETH_RULE_ALIAS) {
		/* it says what parity, or the register, already says */
		category_name(res->category, want, sizeof(want));
		if (found)
			snprintf(res->reading, sizeof(res->reading),
				 "the alias register already maps '%s' to %s, "
				 "since version %d", quoted, want,
				 had.added_in);
		else
			snprintf(res->reading, sizeof(res->reading),
				 "parity already reads '%s' as %s (%s)",
				 quoted, want, ethnicity_rule_name(m.rule));
		store_rollback(s);
		change_end(&ch);
		return 0;
	}
	snprintf(a.category, sizeof(a.category), "%s", res->category);
	if (how->note)
		snprintf(a.note, sizeof(a.note), "%s", how->note);
	if (store_alias_version_add(s, "add", ch.at, how->by, NULL,
				    &res->version, err) < 0 ||
	    store_alias_add(s, res->version, &a, err) < 0 ||
	    store_commit(s, err) < 0)
		return change_fail(&ch);
	change_end(&ch);
	return 0;
}

int alias_register_remove(struct store *s, const char *label,
			  const struct alias_change *how,
			  struct alias_change_result *res,
			  struct parity_error *err)
{
	struct change ch;
	char key[STORE_LABEL_BYTES], quoted[256];
	int rc;

	memset(res, 0, sizeof(*res));
	if (change_begin(&ch, s, how, err) < 0)
		return -1;
	ethnicity_normalise(label, key, sizeof(key));
	textsafe_quote(label, 60, quoted, sizeof(quoted));
	if (store_alias_version_add(s, "remove", ch.at, how->by, NULL,
				    &res->version, err) < 0)
		return change_fail(&ch);
	rc = key[0] ? store_alias_remove(s, res->version, key, &res->removed,
					 err)
		    : 0;
	if (rc == 0) {
		parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				 "the alias register has no alias for '%s' "
				 "(see `parity aliases list`): nothing was "
				 "changed", quoted);
		res->version = 0;
	}
	if (rc <= 0 || store_commit(s, err) < 0) {
		res->version = 0;
		return change_fail(&ch);
	}
	change_end(&ch);
	return 0;
}

/* ---- importing a file of aliases ---- */

static bool header_is(const struct csv_field *f, const char *name)
{
	char text[32];

	trimmed(f->text, text, sizeof(text));
	return strcasecmp(text, name) == 0;
}

/* One alias read from the file, to be added. */
struct pending {
	struct store_alias a;
};

/*
 * The file's aliases after the classifier has checked the whole file:
 * each row is read again and given to the classifier once more (an alias
 * already loaded adds nothing; a row that differs from what was checked,
 * because the file changed in between, is checked afresh), and kept when
 * the register does not already read it so.
 */
static int collect(struct change *ch, const char *path,
		   struct diag_list *diags, struct pending **out, size_t *count,
		   size_t *already, struct parity_error *err)
{
	struct csv_reader *r;
	struct csv_row row;
	struct parity_error e = PARITY_ERROR_INIT;
	size_t label_col = SIZE_MAX, category_col = SIZE_MAX;
	size_t note_col = SIZE_MAX, k, j, cap = 0, n = 0;
	struct pending *list = NULL;
	const char *name;
	int got, status = -1;

	*out = NULL;
	*count = 0;
	if (csv_reader_open_file(&r, path, err) < 0)
		return -1;
	name = csv_reader_name(r);
	got = csv_reader_next(r, &row, &e);
	if (got <= 0)
		goto changed;
	for (k = 0; k < row.count; k++) {
		if (header_is(&row.fields[k], "label"))
			label_col = k;
		else if (header_is(&row.fields[k], "category"))
			category_col = k;
		else if (header_is(&row.fields[k], "note") &&
			 note_col == SIZE_MAX)
			note_col = k;
	}
	if (label_col == SIZE_MAX || category_col == SIZE_MAX)
		goto changed;
	while ((got = csv_reader_next(r, &row, &e)) > 0) {
		const struct csv_field *lf, *cf;
		struct ethnicity_match m;
		struct pending *p;

		if (row.count <= label_col || row.count <= category_col)
			goto changed;
		lf = &row.fields[label_col];
		cf = &row.fields[category_col];
		if (check_label_length(lf->text, &e, name, row.line,
				       lf->column) < 0) {
			diag_add_error(diags, &e);
			continue;
		}
		if (ethnicity_classifier_add_alias(ch->c, lf->text, cf->text,
						   &e) < 0) {
			diag_add(diags, DIAG_ERROR, name, row.line, lf->column,
				 "%s", e.message);
			continue;
		}
		memset(&m, 0, sizeof(m));
		if (ethnicity_classify(ch->c, lf->text, &m, &e) < 0 ||
		    m.id < 0)
			goto changed;
		if (m.rule != ETH_RULE_ALIAS ||
		    alias_register_holds(&ch->reg, lf->text)) {
			++*already;
			continue;
		}
		list = xgrow(list, &cap, n + 1, sizeof(*list));
		p = &list[n];
		memset(p, 0, sizeof(*p));
		trimmed(lf->text, p->a.label, sizeof(p->a.label));
		ethnicity_normalise(p->a.label, p->a.key, sizeof(p->a.key));
		for (j = 0; j < n && strcmp(list[j].a.key, p->a.key) != 0; j++)
			;
		if (j < n || !p->a.key[0]) {
			++*already; /* an earlier line of the file */
			continue;
		}
		snprintf(p->a.category, sizeof(p->a.category), "%s",
			 ethnicity_category((enum ethnicity_id)m.id)->code);
		if (note_col < row.count)
			trimmed(row.fields[note_col].text, p->a.note,
				sizeof(p->a.note));
		snprintf(p->a.source_name, sizeof(p->a.source_name), "%s",
			 name);
		p->a.line = row.line;
		n++;
	}
	if (got < 0)
		goto changed;
	status = diags->errors ? -1 : 0;
	if (status < 0)
		parity_error_set(err, PARITY_ERR_VALIDATION, name, 0, 0,
				 "%zu error%s in the alias file: no alias was "
				 "added", diags->errors,
				 diags->errors == 1 ? "" : "s");
	goto out;
changed:
	parity_error_set(err, PARITY_ERR_VALIDATION, name, 0, 0,
			 "the file changed while it was read: nothing was "
			 "added");
out:
	csv_reader_free(r);
	if (status < 0) {
		free(list);
		return -1;
	}
	*out = list;
	*count = n;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int alias_register_import(struct store *s, const char *path,
			  const struct alias_change *how,
			  struct diag_list *diags,
			  struct alias_change_result *res,
			  struct parity_error *err)
{
	struct change ch;
	struct pending *list = NULL;
	size_t n = 0, k;

	memset(res, 0, sizeof(*res));
	if (strcmp(path, "-") == 0)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"aliases import reads a file, not "
					"standard input");
	if (change_begin(&ch, s, how, err) < 0)
		return -1;
	/* every problem of the file, as --aliases reports it */
	if (ethnicity_classifier_load_aliases_all(ch.c, path, diags, err) < 0)
		return change_fail(&ch);
	if (collect(&ch, path, diags, &list, &n, &res->already, err) < 0)
		return change_fail(&ch);
	if (n == 0) {
		store_rollback(s);
		change_end(&ch);
		return 0;
	}
	if (store_alias_version_add(s, "import", ch.at, how->by,
				    base_name(path), &res->version, err) < 0)
		goto fail;
	for (k = 0; k < n; k++)
		if (store_alias_add(s, res->version, &list[k].a, err) < 0)
			goto fail;
	if (store_commit(s, err) < 0)
		goto fail;
	res->added = n;
	free(list);
	change_end(&ch);
	return 0;
fail:
	res->version = 0;
	free(list);
	return change_fail(&ch);
}
