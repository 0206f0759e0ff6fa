/*
 * ethnicity_alias.c - aliases: a council's or the programme's own decision
 * of what a label means (see ethnicity.h).
 *
 * Owns the one path every alias takes, whether it comes from memory (the
 * alias register in the store, ethnicity_classifier_add_alias()) or from a
 * CSV file (ethnicity_classifier_load_aliases*()): the category is read, the
 * label is read as parity reads it without aliases, and the alias is
 * refused when it contradicts that reading or an earlier alias. An alias is
 * an entry of the labels table with rule ETH_RULE_ALIAS, so that it comes
 * first when a label is classified. A file with an error changes nothing:
 * its entries are rolled back from a log of what they were.
 */
#include "domain/ethnicity_internal.h"

#include "base/alloc.h"
#include "base/csv.h"
#include "base/diag.h"
#include "base/hash.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where an alias came from, for messages. */
struct alias_at {
	size_t source;     /* index in alias_sources, or SIZE_MAX (memory) */
	const char *file;  /* its name, or NULL */
	long line;
	long label_column;
	long category_column;
};

/* What an alias file changed, so that a file with an error changes
 * nothing. */
struct alias_undo {
	struct entry *log; /* entries as they were before the change */
	size_t count, cap;
};

static const char *id_name(int id, char *buf, size_t size)
{
	const struct ethnicity_category *cat =
		ethnicity_category((enum ethnicity_id)id);

	snprintf(buf, size, "%s (%s)", cat->label, cat->code);
	return buf;
}

/* The category an alias names: a code, or any label already accepted. */
static int alias_category(const struct ethnicity_classifier *c,
			  const struct alias_at *at, const char *text,
			  int *id, struct parity_error *err)
{
	struct ethnicity_match m;
	struct parity_error sub = PARITY_ERROR_INIT;
	char quoted[QUOTE_MAX + 8];
	size_t len;

	memset(&m, 0, sizeof(m));
	eth_trim(text, &len);
	if (len == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
					at->line, at->category_column,
					"the category is blank: give a code "
					"such as WBRI, or a category label");
	/* parity's own codes, unless a code system is set: then its codes
	 * come first ('WROM' under dfe is DfE's Gypsy/Roma, not Roma) */
	*id = c->system == ETH_CODES_NONE ? ethnicity_find_code(text) : -1;
	if (*id >= 0)
		return 0;
	if (ethnicity_classify(c, text, &m, &sub) < 0) {
		*id = c->system != ETH_CODES_NONE ? ethnicity_find_code(text)
						  : -1;
		if (*id >= 0)
			return 0;
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
					at->line, at->category_column,
					"category: %s", sub.message);
	}
	if (m.id < 0) {
		eth_quote_label(text, quoted, sizeof(quoted));
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
					at->line, at->category_column,
					"category '%s' names only a high-level "
					"group (%s): an alias must name one "
					"category", quoted,
					ethnicity_group_info(m.group)->label);
	}
	*id = m.id;
	return 0;
}

static void remember(struct alias_undo *undo, const struct entry *e)
{
	if (!undo)
		return;
	undo->log = xgrow(undo->log, &undo->cap, undo->count + 1,
			  sizeof(*undo->log));
	undo->log[undo->count++] = *e;
}

static void roll_back(struct ethnicity_classifier *c, struct alias_undo *undo)
{
	while (undo->count > 0) {
		const struct entry *before = &undo->log[--undo->count];

		/* a new entry goes back to ENTRY_EMPTY, which reads as absent */
		*eth_find_slot(&c->labels, before->key, before->hash) = *before;
	}
}

static void set_alias(struct ethnicity_classifier *c, const char *key,
		      int id, const struct alias_at *at,
		      struct alias_undo *undo)
{
	struct entry *e = eth_entry_for(&c->labels, key);
	char *kept = e->key;
	uint64_t h = e->hash;

	remember(undo, e);
	memset(e, 0, sizeof(*e));
	e->key = kept;
	e->hash = h;
	e->kind = ENTRY_MATCH;
	e->id = id;
	e->group = ethnicity_category((enum ethnicity_id)id)->group;
	e->rule = ETH_RULE_ALIAS;
	e->suggest = true;
	e->why = "";
	e->alias_source = at->source;
	e->alias_line = at->line;
}

/*
 * How parity reads `label` without aliases and without a code system
 * (which may change after the alias is added): 1 with the reading in `r`,
 * 0 when it is unknown or contradicts itself.
 */
static int reading_without_aliases(struct ethnicity_classifier *c,
				   const char *label, const char *key,
				   const struct entry *exact, struct entry *r)
{
	struct parity_error ignored = PARITY_ERROR_INIT;
	enum ethnicity_code_system system = c->system;
	int rc;

	c->system = ETH_CODES_NONE;
	rc = eth_read_label(c, label, key,
			    exact && exact->rule != ETH_RULE_ALIAS ? exact
								   : NULL,
			    r, &ignored);
	c->system = system;
	return rc > 0 ? 1 : 0;
}

static int add_alias(struct ethnicity_classifier *c, const char *label,
		     const char *category, const struct alias_at *at,
		     struct alias_undo *undo, struct parity_error *err)
{
	char key[NORM_MAX];
	char quoted[QUOTE_MAX + 8], want[160], have[160];
	struct strbuf sb = STRBUF_INIT;
	const struct entry *e;
	struct entry r;
	size_t len;
	int id = -1;

	if (alias_category(c, at, category, &id, err) < 0)
		return -1;
	if (id < 0 || id >= ETH_COUNT)
		return parity_error_set(err, PARITY_ERR_INTERNAL, at->file,
					at->line, at->category_column,
					"alias category out of range");
	len = eth_normalise(label, key, sizeof(key));
	eth_quote_label(label, quoted, sizeof(quoted));
	if (len == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
					at->line, at->label_column,
					"the label is blank: a blank label "
					"always means not known");
	if (len >= sizeof(key))
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
					at->line, at->label_column,
					"label '%s' is too long: at most %d "
					"characters", quoted, NORM_MAX - 1);
	id_name(id, want, sizeof(want));
	e = eth_lookup(&c->labels, key);
	if (e && e->rule == ETH_RULE_ALIAS) {
		if (e->id == id)
			return 0; /* says what an earlier alias says */
		if (e->alias_source == SIZE_MAX)
			return parity_error_set(err, PARITY_ERR_VALIDATION,
				at->file, at->line, at->label_column,
				"alias '%s' maps to %s, but an earlier alias "
				"maps it to %s", quoted, want,
				id_name(e->id, have, sizeof(have)));
		if (e->alias_line == 0) /* a named source without lines */
			return parity_error_set(err, PARITY_ERR_VALIDATION,
				at->file, at->line, at->label_column,
				"alias '%s' maps to %s, but %s maps it to %s",
				quoted, want, c->alias_sources[e->alias_source],
				id_name(e->id, have, sizeof(have)));
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
			at->line, at->label_column,
			"alias '%s' maps to %s, but %s:%ld already maps it to %s",
			quoted, want, c->alias_sources[e->alias_source],
			e->alias_line, id_name(e->id, have, sizeof(have)));
	}
	if (!reading_without_aliases(c, label, key, e, &r)) {
		set_alias(c, key, id, at, undo);
		return 0;
	}
	switch (r.kind) {
	case ENTRY_MATCH:
		if (r.id == id)
			return 0; /* says what parity already says */
		if (r.id < 0) {
			if (r.group == ethnicity_category(
					      (enum ethnicity_id)id)->group) {
				set_alias(c, key, id, at, undo);
				return 0;
			}
			return parity_error_set(err, PARITY_ERR_VALIDATION,
				at->file, at->line, at->label_column,
				"alias '%s' maps to %s, outside the high-level "
				"group it names (%s)", quoted, want,
				ethnicity_group_info(r.group)->label);
		}
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
			at->line, at->label_column,
			"alias '%s' maps to %s, but parity reads it as %s: "
			"remove the alias or correct its category", quoted,
			want, id_name(r.id, have, sizeof(have)));
	case ENTRY_AMBIGUOUS:
		if (eth_expand(r.candidates) & CAND_ID(id)) {
			set_alias(c, key, id, at, undo);
			return 0;
		}
		eth_describe_candidates(&sb, r.candidates);
		parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
				 at->line, at->label_column,
				 "alias '%s' maps to %s, but the label could "
				 "only be %s", quoted, want, sb.buf);
		strbuf_release(&sb);
		return -1;
	case ENTRY_REFUSED:
		return parity_error_set(err, PARITY_ERR_VALIDATION, at->file,
			at->line, at->label_column,
			"'%s' merges several ethnic groups: it cannot be an "
			"alias of one category", quoted);
	case ENTRY_EMPTY:
		break;
	}
	return parity_error_set(err, PARITY_ERR_INTERNAL, at->file, at->line,
				at->label_column,
				"ethnicity classifier entry in a bad state");
}

int ethnicity_classifier_add_alias(struct ethnicity_classifier *c,
				   const char *label, const char *category,
				   struct parity_error *err)
{
	struct alias_at at = { SIZE_MAX, NULL, 0, 0, 0 };

	at.source = c->memory_source;
	return add_alias(c, label ? label : "", category ? category : "", &at,
			 NULL, err);
}

void ethnicity_classifier_name_aliases(struct ethnicity_classifier *c,
				       const char *source)
{
	c->alias_sources = xgrow(c->alias_sources, &c->alias_source_cap,
				 c->alias_source_count + 1,
				 sizeof(*c->alias_sources));
	c->alias_sources[c->alias_source_count] = xstrdup(source);
	c->memory_source = c->alias_source_count++;
}

void eth_alias_sources_free(struct ethnicity_classifier *c)
{
	size_t k;

	for (k = 0; k < c->alias_source_count; k++)
		free(c->alias_sources[k]);
	free(c->alias_sources);
	c->alias_sources = NULL;
	c->alias_source_count = c->alias_source_cap = 0;
}

/* ---- alias files ---- */

static bool header_is(const struct csv_field *f, const char *name)
{
	size_t len;
	const char *s = eth_trim(f->text, &len);

	return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

/*
 * A problem in an alias file: into `diags` when the caller wants every
 * problem (and reading goes on), else into `err` (and reading stops).
 * Returns -1 when reading must stop.
 */
static int alias_problem(struct diag_list *diags, size_t *problems,
			 const struct parity_error *e, struct parity_error *err)
{
	++*problems;
	if (!diags) {
		*err = *e;
		return -1;
	}
	diag_add_error(diags, e);
	return 0;
}

static int load_aliases(struct ethnicity_classifier *c, const char *path,
			struct diag_list *diags, struct parity_error *err)
{
	struct csv_reader *r;
	struct csv_row row;
	struct alias_undo undo = { NULL, 0, 0 };
	struct parity_error e = PARITY_ERROR_INIT;
	size_t label_col = SIZE_MAX, category_col = SIZE_MAX, k, need;
	size_t file_index, problems = 0;
	const char *name;
	int got, ret = -1;

	if (csv_reader_open_file(&r, path, err) < 0)
		return -1;
	name = csv_reader_name(r);
	c->alias_sources = xgrow(c->alias_sources, &c->alias_source_cap,
				 c->alias_source_count + 1,
				 sizeof(*c->alias_sources));
	file_index = c->alias_source_count++;
	c->alias_sources[file_index] = xstrdup(name);

	got = csv_reader_next(r, &row, &e);
	if (got < 0) {
		if (e.code == PARITY_ERR_IO && e.line == 0)
			*err = e;
		else
			alias_problem(diags, &problems, &e, err);
		goto out;
	}
	if (got == 0) {
		parity_error_set(&e, PARITY_ERR_VALIDATION, name, 0, 0,
				 "the alias file is empty: it needs the header "
				 "'label,category'");
		alias_problem(diags, &problems, &e, err);
		goto out;
	}
	for (k = 0; k < row.count; k++) {
		size_t *col = header_is(&row.fields[k], "label") ? &label_col :
			      header_is(&row.fields[k], "category") ?
			      &category_col : NULL;

		if (!col)
			continue;
		if (*col != SIZE_MAX) {
			parity_error_set(&e, PARITY_ERR_VALIDATION, name,
					 row.line, row.fields[k].column,
					 "column '%s' appears twice in the "
					 "header", row.fields[k].text);
			if (alias_problem(diags, &problems, &e, err) < 0)
				goto out;
			continue;
		}
		*col = k;
	}
	if (label_col == SIZE_MAX || category_col == SIZE_MAX) {
		parity_error_set(&e, PARITY_ERR_VALIDATION, name, row.line, 1,
				 "the alias file's first line must be the "
				 "header 'label,category'");
		alias_problem(diags, &problems, &e, err);
		goto out;
	}
	need = (label_col > category_col ? label_col : category_col) + 1;
	while ((got = csv_reader_next(r, &row, &e)) > 0) {
		struct alias_at at;

		if (row.count < need) {
			const struct csv_field *last =
				&row.fields[row.count - 1];

			parity_error_set(&e, PARITY_ERR_VALIDATION, name,
					 row.line,
					 last->column + (long)last->len,
					 "the row has %zu field%s: it needs a "
					 "label and a category", row.count,
					 row.count == 1 ? "" : "s");
			if (alias_problem(diags, &problems, &e, err) < 0)
				goto out;
			continue;
		}
		at.source = file_index;
		at.file = name;
		at.line = row.line;
		at.label_column = row.fields[label_col].column;
		at.category_column = row.fields[category_col].column;
		if (add_alias(c, row.fields[label_col].text,
			      row.fields[category_col].text, &at, &undo,
			      &e) < 0 &&
		    alias_problem(diags, &problems, &e, err) < 0)
			goto out;
	}
	if (got < 0) {
		if (e.code == PARITY_ERR_IO && e.line == 0) {
			*err = e;
			goto out;
		}
		if (alias_problem(diags, &problems, &e, err) < 0)
			goto out;
	}
	if (problems == 0)
		ret = 0;
out:
	/* every problem is in `diags`: `err` counts them, unless reading
	 * the file failed, which it says */
	if (ret < 0 && diags && problems > 0 && err->code != PARITY_ERR_IO)
		parity_error_set(err, PARITY_ERR_VALIDATION, name, 0, 0,
				 "%zu error%s in the alias file: no alias was "
				 "added", problems, problems == 1 ? "" : "s");
	if (ret < 0)
		roll_back(c, &undo);
	free(undo.log);
	csv_reader_free(r);
	return ret;
}

int ethnicity_classifier_load_aliases(struct ethnicity_classifier *c,
				      const char *path,
				      struct parity_error *err)
{
	return load_aliases(c, path, NULL, err);
}

int ethnicity_classifier_load_aliases_all(struct ethnicity_classifier *c,
					  const char *path,
					  struct diag_list *diags,
					  struct parity_error *err)
{
	return load_aliases(c, path, diags, err);
}
