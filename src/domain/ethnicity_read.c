/*
 * ethnicity_read.c - reading a label that the classifier's table does not
 * hold as it is written (see ethnicity_internal.h).
 *
 * Owns the rules beyond one lookup, tried in this order, each on the
 * normalised label (its words):
 *   1. a merge written with slashes ('Black/Mixed') is refused, before
 *      anything else, because '/' is folded away by normalisation; so is
 *      a list of whole groups ('Black or Mixed', 'White, Black, Asian'),
 *      after step 4;
 *   2. the label's words in any order, without repeats ('White: White
 *      British', 'White: Scottish, English or British');
 *   3. words that only merging terms use ('BAME', 'ethnic minority') make
 *      the label refused;
 *   4. 'P or P British' and 'P, P Scottish or P British' are read as P
 *      ('Black - African or African British');
 *   5. a code beside text ('A White - British', 'White British (WBRI)'):
 *      read when the code, in some list, agrees with the text (or the text
 *      is the list's own wording of it); refused, naming both, when it
 *      disagrees; under a code system only that system's list is used;
 *   6. a write-in beside a heading ('Black - Somali', 'Other ethnic group:
 *      Turkish'): what the two have in common; under the Other heading,
 *      Any other ethnic group; otherwise refused when nothing;
 *   7. not known and prefer not to say joined ('Not recorded/unknown',
 *      'Not known / prefer not to say'): not known unless every part is
 *      prefer not to say, with a note when both are joined;
 *   8. decorations dropped: DfE's 'Ethnicity_Minor_' and '_Total', 'Ethnic
 *      group:', '(please specify)', and a number of a list parity does not
 *      know ('10 White - British').
 * The parts of a label are read by the same rules, a few levels deep.
 * Nothing here allocates: the work is on the stack.
 */
#include "domain/ethnicity_internal.h"

#include "base/strbuf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_WORDS 48
#define MAX_DEPTH 3

/* How a part of a label is read: the text beside a code is not read as
 * another code beside text. */
#define READ_NO_CODES 1u

static const char why_mixed_other[] =
	", or the Mixed and Other ethnic groups combined ('Mixed/Other')";
static const char why_asian_chinese[] =
	", or the Asian and Chinese groups combined, as lists made before "
	"2011 (when Chinese stood apart from Asian) may mean it";
static const char why_lists_differ[] =
	": its code means different things in different code lists";
static const char note_other_heading[] =
	"the write-in belongs to another group, but was written under the "
	"Other ethnic group heading, as lists such as DfE's place it: read as "
	"Any other ethnic group, as ONS codes a write-in by the heading it is "
	"written under";

static const char note_not_known_and_pns[] =
	"the label joins not known with prefer not to say, which parity keeps "
	"apart: read as not known, since it does not say that the person was "
	"asked and chose not to answer";

/* A normalised label cut into its words. */
struct words {
	char buf[NORM_MAX];
	const char *w[MAX_WORDS];
	size_t n;
};

static bool split_words(const char *key, struct words *ws)
{
	char *p;
	size_t len = strlen(key);

	ws->n = 0;
	if (len >= sizeof(ws->buf))
		return false;
	memcpy(ws->buf, key, len + 1);
	for (p = ws->buf; *p;) {
		if (ws->n == MAX_WORDS)
			return false;
		ws->w[ws->n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	return ws->n > 0;
}

/* Words [from, to) joined with spaces into `out`. */
static void join_words(const struct words *ws, size_t from, size_t to,
		       char *out, size_t size)
{
	size_t used = 0, k;

	out[0] = '\0';
	for (k = from; k < to && used < size; k++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 k > from ? " " : "", ws->w[k]);
}

static bool word_is(const struct words *ws, size_t k, const char *word)
{
	return k < ws->n && strcmp(ws->w[k], word) == 0;
}

/* Whether words [a, a+len) and [b, b+len) are the same. */
static bool same_words(const struct words *ws, size_t a, size_t b,
		       size_t len)
{
	size_t k;

	if (a + len > ws->n || b + len > ws->n)
		return false;
	for (k = 0; k < len; k++)
		if (strcmp(ws->w[a + k], ws->w[b + k]) != 0)
			return false;
	return true;
}

static int read_further(const struct ethnicity_classifier *c,
			const char *label, const char *key, int depth,
			unsigned flags, struct entry *out,
			struct parity_error *err);

/* The bag-of-words reading of normalised `key`, or NULL. */
static const struct entry *bag_lookup(const struct ethnicity_classifier *c,
				      const char *key)
{
	char bag[NORM_MAX];

	eth_bag_key(key, bag, sizeof(bag));
	return bag[0] ? eth_lookup(&c->bags, bag) : NULL;
}

static void copy_reading(struct entry *out, const struct entry *e)
{
	*out = *e;
	out->key = NULL;
	out->hash = 0;
}

/*
 * Read a part of a label: its entry, its bag of words, or the rules, a
 * level deeper. A part that contradicts itself counts as unknown here.
 */
static int read_part(const struct ethnicity_classifier *c, const char *key,
		     int depth, unsigned flags, struct entry *out)
{
	struct parity_error ignored = PARITY_ERROR_INIT;
	const struct entry *e;
	int rc;

	if (!key[0])
		return 0;
	e = eth_find(c, key);
	if (!e)
		e = bag_lookup(c, key);
	if (e) {
		copy_reading(out, e);
		return 1;
	}
	if (depth >= MAX_DEPTH)
		return 0;
	rc = read_further(c, key, key, depth + 1, flags, out, &ignored);
	return rc < 0 ? 0 : rc;
}

/* ---- 1. merges ---- */

/* The groups a label's parts name, each part a whole group. */
struct group_parts {
	unsigned groups; /* bits of enum ethnicity_group */
	bool other;      /* a part is 'Other' */
	bool chinese;    /* a part is 'Chinese', a group before 2011 */
	bool listed;     /* parts joined by '/', 'or' or 'and' */
	bool mixed_first; /* the first part is Mixed, a heading */
	size_t parts;
};

/* Whether normalised `key` names a whole group; adds it to `gp`. */
static bool group_part(const struct ethnicity_classifier *c,
		       const char *key, struct group_parts *gp)
{
	const struct entry *e;

	if (strcmp(key, "other") == 0) {
		gp->other = true;
	} else if (strcmp(key, "chinese") == 0) {
		gp->chinese = true;
	} else {
		e = eth_lookup(&c->labels, key);
		if (!e || e->kind != ENTRY_MATCH || e->id >= 0 ||
		    e->rule != ETH_RULE_BUILT_IN)
			return false;
		gp->groups |= 1u << e->group;
		if (gp->parts == 0 && e->group == ETH_GROUP_MIXED)
			gp->mixed_first = true;
	}
	gp->parts++;
	return true;
}

/*
 * What parts that each name a whole group mean together: 0 when they name
 * one group, or name a Mixed background the Census way ('White/Asian'), or
 * a group's own Other ('White/Other'); else a refusal, or for
 * 'Mixed/Other' and 'Asian/Chinese' an ambiguity.
 */
static int read_group_parts(const struct group_parts *gp, struct entry *out)
{
	size_t distinct = eth_count_bits(gp->groups) + gp->other + gp->chinese;

	if (gp->parts < 2 || distinct < 2)
		return 0;
	if (!gp->other && !gp->chinese &&
	    (gp->groups == ((1u << ETH_GROUP_WHITE) | (1u << ETH_GROUP_ASIAN)) ||
	     gp->groups == ((1u << ETH_GROUP_WHITE) | (1u << ETH_GROUP_BLACK))))
		return 0;
	/* 'Mixed White', 'Mixed: White and Black': a Mixed background,
	 * described, unless the groups are listed ('Black or Mixed') */
	if ((gp->groups & (1u << ETH_GROUP_MIXED)) && !gp->other &&
	    (!gp->listed ||
	     (gp->mixed_first &&
	      eth_count_bits(gp->groups & ~(1u << ETH_GROUP_MIXED)) +
			      gp->chinese >= 2)))
		return 0;
	if (gp->other && !gp->chinese && eth_count_bits(gp->groups) == 1) {
		if (gp->groups != 1u << ETH_GROUP_MIXED)
			return 0;
		eth_reading(out, CAND_ID(ETH_MOTH), ETH_RULE_BUILT_IN);
		out->kind = ENTRY_AMBIGUOUS;
		out->candidates = CAND_ID(ETH_MOTH);
		out->id = -1;
		out->why = why_mixed_other;
		return 1;
	}
	if (gp->chinese && !gp->other && gp->groups == 1u << ETH_GROUP_ASIAN) {
		eth_reading(out, CAND_ID(ETH_ACHN), ETH_RULE_BUILT_IN);
		out->kind = ENTRY_AMBIGUOUS;
		out->candidates = CAND_ID(ETH_ACHN);
		out->id = -1;
		out->why = why_asian_chinese;
		return 1;
	}
	eth_reading(out, 0, ETH_RULE_BUILT_IN);
	out->kind = ENTRY_REFUSED;
	out->why = NULL;
	return 1;
}

/*
 * Group names joined by nothing, 'or' or 'and' ('White, Black, Asian',
 * 'Black or Mixed'): the words cut into whole groups' names.
 */
static int read_group_list(const struct ethnicity_classifier *c,
			   const struct words *ws, struct entry *out)
{
	struct group_parts gp[MAX_WORDS + 1];
	bool reach[MAX_WORDS + 1];
	char part[NORM_MAX];
	size_t i, j;

	memset(reach, 0, sizeof(reach));
	memset(gp, 0, sizeof(gp));
	reach[0] = true;
	for (i = 0; i < ws->n; i++) {
		if (!reach[i])
			continue;
		if (i > 0 && (word_is(ws, i, "or") || word_is(ws, i, "and"))) {
			reach[i + 1] = true;
			gp[i + 1] = gp[i];
			gp[i + 1].listed = true;
		}
		for (j = i + 1; j <= ws->n; j++) {
			struct group_parts next = gp[i];

			join_words(ws, i, j, part, sizeof(part));
			if (!group_part(c, part, &next))
				continue;
			/* the first way to reach j with most parts wins */
			if (!reach[j] || next.parts > gp[j].parts) {
				reach[j] = true;
				gp[j] = next;
			}
		}
	}
	return reach[ws->n] ? read_group_parts(&gp[ws->n], out) : 0;
}

/*
 * 'Black/Mixed', 'Asian/Other', 'Chinese/Other': every part between the
 * slashes names a whole group, and they name more than one. 'White/Asian'
 * and 'White/Black' are how Mixed backgrounds are written, and 'X/Other'
 * (X not Mixed) is X's Other category, so those are left to the table.
 */
static int read_merge(const struct ethnicity_classifier *c,
		      const char *label, struct entry *out)
{
	struct group_parts gp = { 0, false, false, true, false, 0 };
	const char *p = label;

	while (p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		char raw[NORM_MAX], key[NORM_MAX];

		if (len >= sizeof(raw))
			return 0;
		memcpy(raw, p, len);
		raw[len] = '\0';
		if (eth_normalise(raw, key, sizeof(key)) >= sizeof(key) ||
		    !key[0] || !group_part(c, key, &gp))
			return 0;
		p = slash ? slash + 1 : NULL;
	}
	return read_group_parts(&gp, out);
}

/* ---- 3. merging terms ---- */

static bool merges_by_words(const struct words *ws)
{
	static const char *const single[] = { "bame", "bme", "bipoc", "poc",
					      "nonwhite" };
	static const char *const pairs[][2] = {
		{ "minority", "ethnic" }, { "ethnic", "minority" },
		{ "ethnic", "minorities" }, { "non", "white" },
		{ "not", "white" }, { "global", "majority" },
		{ "visible", "minority" },
	};
	size_t k, j;

	for (k = 0; k < ws->n; k++) {
		for (j = 0; j < sizeof(single) / sizeof(single[0]); j++)
			if (strcmp(ws->w[k], single[j]) == 0)
				return true;
		for (j = 0; j < sizeof(pairs) / sizeof(pairs[0]); j++)
			if (word_is(ws, k, pairs[j][0]) &&
			    word_is(ws, k + 1, pairs[j][1]))
				return true;
		if (word_is(ws, k, "of") && word_is(ws, k + 1, "colour"))
			return true;
	}
	return false;
}

/* ---- 4. 'P or P British' ---- */

/*
 * Drop the words of one 'or P British', 'or British P' or ', P Scottish
 * or P British' after a phrase P of up to three words; true when one was
 * dropped (the rest goes in `out`).
 */
static bool drop_british_form(const struct words *ws, char *out, size_t size)
{
	size_t i, len, j, drop_from = 0, drop_to = 0;

	for (i = 0; i < ws->n && drop_to == 0; i++)
		for (len = 1; len <= 3 && i + len <= ws->n && drop_to == 0;
		     len++) {
			j = i + len;
			if (word_is(ws, j, "or") &&
			    ((same_words(ws, i, j + 1, len) &&
			      word_is(ws, j + 1 + len, "british")) ||
			     (word_is(ws, j + 1, "british") &&
			      same_words(ws, i, j + 2, len)))) {
				drop_from = j;
				drop_to = j + len + 2;
			} else if (same_words(ws, i, j, len) &&
				   (word_is(ws, j + len, "scottish") ||
				    word_is(ws, j + len, "welsh")) &&
				   word_is(ws, j + len + 1, "or") &&
				   same_words(ws, i, j + len + 2, len) &&
				   word_is(ws, j + 2 * len + 2, "british")) {
				drop_from = j;
				drop_to = j + 2 * len + 3;
			}
		}
	if (drop_to == 0)
		return false;
	{
		char head[NORM_MAX], tail[NORM_MAX];

		join_words(ws, 0, drop_from, head, sizeof(head));
		join_words(ws, drop_to, ws->n, tail, sizeof(tail));
		snprintf(out, size, "%s%s%s", head, head[0] && tail[0] ? " " : "",
			 tail);
	}
	return true;
}

/* ---- 5. a code beside text ---- */

/* The words of normalised `key` as eth_bag_key() gives them, without
 * 'or' and 'and', into `out`: for comparing wordings loosely. */
static void loose_bag(const char *key, char *out, size_t size)
{
	struct words ws;
	char kept[NORM_MAX];
	size_t used = 0, k;

	out[0] = '\0';
	if (!split_words(key, &ws))
		return;
	kept[0] = '\0';
	for (k = 0; k < ws.n; k++)
		if (!word_is(&ws, k, "or") && !word_is(&ws, k, "and"))
			used += (size_t)snprintf(kept + used,
						 sizeof(kept) - used, "%s%s",
						 used ? " " : "", ws.w[k]);
	if (used < sizeof(kept))
		eth_bag_key(kept, out, size);
}

/* Whether loosely `a` and normalised `text_bag` are the same words. */
static bool same_wording(const char *raw, const char *text_bag)
{
	char key[NORM_MAX], bag[NORM_MAX];

	if (eth_normalise(raw, key, sizeof(key)) >= sizeof(key))
		return false;
	loose_bag(key, bag, sizeof(bag));
	return bag[0] && strcmp(bag, text_bag) == 0;
}

/* Whether `text` (normalised) is the wording `system`'s list gives `code`,
 * in full or after its heading ('British' for 'White - British'), its
 * words in any order. */
static bool is_list_wording(enum ethnicity_code_system system,
			    const char *code, const char *text)
{
	const struct eth_ref_list *lists;
	const struct eth_ref_list *list;
	char bag[NORM_MAX];
	size_t k;

	if (system == ETH_CODES_NONE || eth_ref_lists(&lists, NULL) < 0)
		return false;
	list = &lists[eth_ref_of(system)];
	loose_bag(text, bag, sizeof(bag));
	for (k = 0; k < list->count; k++) {
		const struct eth_ref_row *row = &list->rows[k];
		const char *dash, *next;

		if (!row->code || strcasecmp(row->code, code) != 0)
			continue;
		if (same_wording(row->label, bag))
			return true;
		dash = strstr(row->label, " - ");
		while (dash && (next = strstr(dash + 3, " - ")) != NULL)
			dash = next;
		if (dash && same_wording(dash + 3, bag))
			return true;
	}
	return false;
}

/* Up to a few readings of one label by different routes. */
struct readings {
	struct entry r[8];
	size_t n;
};

static void keep(struct readings *rs, const struct entry *e)
{
	if (rs->n < sizeof(rs->r) / sizeof(rs->r[0]))
		copy_reading(&rs->r[rs->n++], e);
}

/* One reading from several: theirs when they agree, else ambiguous. */
static int settle(const struct readings *rs, struct entry *out,
		  enum ethnicity_rule rule, const char *why)
{
	uint32_t all = 0;
	size_t k;
	bool same = true;

	if (rs->n == 0)
		return 0;
	for (k = 0; k < rs->n; k++) {
		if (rs->r[k].kind == ENTRY_REFUSED) {
			copy_reading(out, &rs->r[k]);
			return 1;
		}
		all |= eth_candidates(&rs->r[k]);
		if (rs->r[k].kind != rs->r[0].kind ||
		    eth_candidates(&rs->r[k]) != eth_candidates(&rs->r[0]))
			same = false;
	}
	if (same) {
		copy_reading(out, &rs->r[0]);
		return 1;
	}
	eth_reading(out, all, rule);
	if (out->kind == ENTRY_AMBIGUOUS)
		out->why = why;
	return 1;
}

/* A reading in words: "English, Welsh, ... (WBRI)". */
static void describe_reading(struct strbuf *sb, const struct entry *e)
{
	eth_describe_candidates(sb, eth_candidates(e));
}

/*
 * What code entry `ce` and the reading `t` of the text beside it have in
 * common, into `out`; false when nothing.
 */
static bool code_and_text(const struct entry *ce, const struct entry *t,
			  struct entry *out)
{
	uint32_t common = eth_expand(eth_candidates(ce)) &
			  eth_expand(eth_candidates(t));

	if (!common)
		return false;
	if (ce->kind == ENTRY_MATCH &&
	    (ce->id >= 0 || t->kind != ENTRY_MATCH || t->id < 0)) {
		copy_reading(out, ce); /* the code says at least as much */
		return true;
	}
	eth_reading(out, common, ETH_RULE_CODE_SYSTEM);
	out->from_2011 = ce->from_2011;
	out->code = ce->code;
	out->text = ce->text;
	/* narrowed by the text: the code's note says what it alone means */
	if (out->kind == ENTRY_MATCH)
		out->note = t->kind == ENTRY_MATCH ? t->note : NULL;
	else
		out->why = ce->why ? ce->why : "";
	return true;
}

static int contradiction(const char *label, const char *code,
			 const struct entry *const *codes,
			 const enum ethnicity_code_system *systems, size_t n,
			 const struct entry *t, struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char quoted[QUOTE_MAX + 8];
	size_t k;

	eth_quote_label(label, quoted, sizeof(quoted));
	strbuf_addf(&sb, "ethnicity label '%s' contradicts itself: its code "
		    "'%s' is ", quoted, codes[0]->code ? codes[0]->code : code);
	for (k = 0; k < n; k++) {
		if (k > 0)
			strbuf_addstr(&sb, k + 1 == n ? " and " : ", ");
		describe_reading(&sb, codes[k]);
		strbuf_addf(&sb, " in %s", eth_code_system_title(systems[k]));
	}
	strbuf_addstr(&sb, ", but its text reads as ");
	describe_reading(&sb, t);
	strbuf_addstr(&sb, "; correct the label, or add it to an alias file "
		      "to say which");
	parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* Code `code` beside normalised `text`. */
static int read_code_and(const struct ethnicity_classifier *c,
			 const char *label, const char *code,
			 const char *text, int depth, struct entry *out,
			 struct parity_error *err)
{
	enum ethnicity_code_system systems[ETH_CODE_SYSTEM_COUNT];
	const struct entry *against[ETH_CODE_SYSTEM_COUNT];
	enum ethnicity_code_system against_systems[ETH_CODE_SYSTEM_COUNT];
	struct readings ok = { .n = 0 };
	struct entry t, r;
	size_t count = 0, bad = 0, k;
	int t_rc = -1;

	if (c->system != ETH_CODES_NONE) {
		systems[count++] = c->system;
	} else {
		for (k = 0; k < ETH_CODE_SYSTEM_COUNT; k++)
			systems[count++] = (enum ethnicity_code_system)k;
	}
	for (k = 0; k < count; k++) {
		const struct entry *ce = eth_lookup(&c->codes[systems[k]],
						    code);

		if (!ce)
			continue;
		/* the list's own wording of a code that says one thing */
		if (ce->kind == ENTRY_MATCH &&
		    is_list_wording(systems[k], code, text)) {
			keep(&ok, ce);
			continue;
		}
		if (t_rc < 0)
			t_rc = read_part(c, text, depth + 1, READ_NO_CODES,
					 &t);
		if (t_rc != 1)
			continue; /* unknown text says nothing */
		if (t.kind == ENTRY_REFUSED) {
			copy_reading(out, &t);
			return 1;
		}
		if (code_and_text(ce, &t, &r)) {
			keep(&ok, &r);
		} else {
			against[bad] = ce;
			against_systems[bad++] = systems[k];
		}
	}
	if (ok.n) {
		settle(&ok, out, ETH_RULE_CODE_SYSTEM, why_lists_differ);
		if (out->kind != ENTRY_AMBIGUOUS)
			return 1;
		/* the lists differ: what the text allows of what they say */
		if (t_rc < 0)
			t_rc = read_part(c, text, depth + 1, READ_NO_CODES,
					 &t);
		if (t_rc == 1 && t.kind != ENTRY_REFUSED) {
			uint32_t common = eth_expand(out->candidates) &
					  eth_expand(eth_candidates(&t));

			if (common) {
				const char *why = out->why;

				eth_reading(out, common,
					    ETH_RULE_CODE_SYSTEM);
				if (out->kind == ENTRY_AMBIGUOUS)
					out->why = why;
			}
		}
		return 1;
	}
	if (bad)
		return contradiction(label, code, against, against_systems,
				     bad, &t, err);
	return 0;
}

static int read_code_beside_text(const struct ethnicity_classifier *c,
				 const char *label, const struct words *ws,
				 int depth, struct entry *out,
				 struct parity_error *err)
{
	char text[NORM_MAX];
	int rc;

	if (ws->n < 2)
		return 0;
	join_words(ws, 1, ws->n, text, sizeof(text));
	rc = read_code_and(c, label, ws->w[0], text, depth, out, err);
	if (rc != 0)
		return rc;
	join_words(ws, 0, ws->n - 1, text, sizeof(text));
	return read_code_and(c, label, ws->w[ws->n - 1], text, depth, out,
			     err);
}

/* ---- 6. a write-in beside a heading ---- */

static const struct entry *write_in(const struct ethnicity_classifier *c,
				    const char *key)
{
	const struct entry *e = eth_lookup(&c->labels, key);

	if (!e || e->rule != ETH_RULE_WRITE_IN)
		e = bag_lookup(c, key);
	return e && e->rule == ETH_RULE_WRITE_IN ? e : NULL;
}

/* A heading: any label, even another write-in ('Latin American/
 * Hispanic'). */
static const struct entry *heading(const struct ethnicity_classifier *c,
				   const char *key)
{
	const struct entry *e = eth_lookup(&c->labels, key);

	return e ? e : bag_lookup(c, key);
}

/*
 * A write-in beside a heading. What the two have in common is read: the
 * heading narrows the write-in ('White - Turkish'), or the write-in the
 * heading ('Asian: Sri Lankan'). A write-in of another group under the Other
 * ethnic group heading ('Other ethnic group: Filipino', as DfE's list puts
 * it) is read, as ONS codes it, as Any other ethnic group, with a note.
 * Two exceptions: a write-in broader than a
 * category beside it across a slash names the two together ('Arab/Middle
 * Eastern' could be Arab or Any other ethnic group), and a write-in beside
 * a category it is not in contradicts it.
 */
static int read_write_in(const struct ethnicity_classifier *c,
			 const char *label, const struct words *ws,
			 struct entry *out, struct parity_error *err)
{
	bool slashed = strchr(label, '/') != NULL;
	struct readings ok = { .n = 0 };
	const struct entry *bad_w = NULL, *bad_h = NULL;
	char left[NORM_MAX], right[NORM_MAX];
	size_t i;
	int order;

	for (i = 1; i < ws->n; i++) {
		join_words(ws, 0, i, left, sizeof(left));
		join_words(ws, i, ws->n, right, sizeof(right));
		for (order = 0; order < 2; order++) {
			const struct entry *w = write_in(c, order ? left : right);
			const struct entry *h = heading(c, order ? right : left);
			uint32_t hx, common;
			struct entry r;

			if (!w || !h)
				continue;
			if (h->kind == ENTRY_REFUSED) {
				copy_reading(out, h);
				return 1;
			}
			hx = eth_expand(eth_candidates(h));
			common = hx & eth_expand(eth_candidates(w));
			if (!common && !slashed && h->kind == ENTRY_MATCH &&
			    (h->id == ETH_OOTH ||
			     (h->id < 0 && h->group == ETH_GROUP_OTHER))) {
				/* written under the Other heading */
				eth_reading(&r, CAND_ID(ETH_OOTH),
					    ETH_RULE_WRITE_IN);
				r.from_2011 = h->from_2011;
				r.text = w->text;
				r.note = note_other_heading;
				keep(&ok, &r);
				continue;
			}
			if (!common) {
				bad_w = w;
				bad_h = h;
				continue;
			}
			/* 'Arab/Middle Eastern': the two together */
			if (slashed && h->kind == ENTRY_MATCH && h->id >= 0 &&
			    w->kind == ENTRY_AMBIGUOUS)
				common = eth_expand(eth_candidates(w)) | hx;
			/* a group only, when the parts say no more */
			if (h->kind == ENTRY_MATCH && h->id < 0 &&
			    common == eth_group_bits(h->group) &&
			    w->kind == ENTRY_MATCH && w->id < 0)
				common = CAND_GROUP(h->group);
			eth_reading(&r, common, ETH_RULE_WRITE_IN);
			r.from_2011 = h->from_2011;
			r.text = w->text;
			if (r.kind == ENTRY_MATCH)
				r.note = w->note;
			else
				r.why = w->why ? w->why : "";
			keep(&ok, &r);
		}
	}
	if (ok.n)
		return settle(&ok, out, ETH_RULE_WRITE_IN, "");
	if (bad_w) {
		struct strbuf sb = STRBUF_INIT;
		char quoted[QUOTE_MAX + 8];

		eth_quote_label(label, quoted, sizeof(quoted));
		strbuf_addf(&sb, "ethnicity label '%s' contradicts itself: "
			    "'%s' is a write-in read as ", quoted,
			    bad_w->text ? bad_w->text : "");
		describe_reading(&sb, bad_w);
		strbuf_addstr(&sb, ", but the rest of the label reads as ");
		describe_reading(&sb, bad_h);
		strbuf_addstr(&sb, "; correct the label, or add it to an alias "
			      "file to say which");
		parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0, "%s",
				 sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	return 0;
}

/* ---- 7. not known and prefer not to say joined ---- */

/*
 * The words cut into not-known and prefer-not-to-say labels, joined by
 * nothing, 'or' or 'and'. Each reachable state is a bit of `reach[i]`:
 * bit 1 when a part so far was not known, bit 2 prefer not to say.
 */
static int read_not_known(const struct ethnicity_classifier *c,
			  const struct words *ws, struct entry *out)
{
	unsigned char reach[MAX_WORDS + 1];
	char part[NORM_MAX];
	size_t i, j;
	unsigned end;

	memset(reach, 0, sizeof(reach));
	reach[0] = 1u << 0;
	for (i = 0; i < ws->n; i++) {
		if (!reach[i])
			continue;
		if (i > 0 && (word_is(ws, i, "or") || word_is(ws, i, "and")))
			reach[i + 1] |= reach[i];
		for (j = i + 1; j <= ws->n; j++) {
			const struct entry *e;
			unsigned flag, s;

			join_words(ws, i, j, part, sizeof(part));
			e = eth_lookup(&c->labels, part);
			if (!e || e->kind != ENTRY_MATCH ||
			    e->rule != ETH_RULE_BUILT_IN ||
			    (e->id != ETH_NOT_KNOWN &&
			     e->id != ETH_PREFER_NOT_TO_SAY))
				continue;
			flag = e->id == ETH_NOT_KNOWN ? 1u : 2u;
			for (s = 0; s < 4; s++)
				if (reach[i] & (1u << s))
					reach[j] |= (unsigned char)(1u << (s | flag));
		}
	}
	end = reach[ws->n] & ~1u;
	if (!end)
		return 0;
	if ((end & (1u << 3)) || ((end & (1u << 1)) && (end & (1u << 2)))) {
		eth_reading(out, CAND_ID(ETH_NOT_KNOWN), ETH_RULE_BUILT_IN);
		out->note = note_not_known_and_pns;
	} else if (end & (1u << 2)) {
		eth_reading(out, CAND_ID(ETH_PREFER_NOT_TO_SAY),
			    ETH_RULE_BUILT_IN);
	} else {
		eth_reading(out, CAND_ID(ETH_NOT_KNOWN), ETH_RULE_BUILT_IN);
	}
	return 1;
}

/* ---- 8. decorations ---- */

/* Whether `word` is all digits and no list's code. */
static bool unknown_number(const struct ethnicity_classifier *c,
			   const char *word)
{
	size_t k;

	if (strspn(word, "0123456789") != strlen(word))
		return false;
	for (k = 0; k < ETH_CODE_SYSTEM_COUNT; k++)
		if (eth_lookup(&c->codes[k], word))
			return false;
	return true;
}

/* Drop the decorations around a label; true when any was dropped. */
static bool drop_decorations(const struct ethnicity_classifier *c,
			     const struct words *ws, char *out, size_t size)
{
	static const char *const before[][2] = {
		{ "ethnicity", "major" }, { "ethnicity", "minor" },
		{ "ethnic", "group" }, { "ethnic", "origin" },
		{ "ethnic", "category" }, { "ethnicity", NULL },
	};
	static const char *const after[][3] = {
		{ "please", "write", "in" }, { "please", "describe", NULL },
		{ "please", "specify", NULL }, { "please", "state", NULL },
		{ "write", "in", NULL }, { "specify", NULL, NULL },
		{ "describe", NULL, NULL }, { "total", NULL, NULL },
	};
	size_t from = 0, to = ws->n, k, len;

	/* a number of some list we do not know, before or after the text */
	if (ws->n > 1 && unknown_number(c, ws->w[0]))
		from = 1;
	else if (ws->n > 1 && unknown_number(c, ws->w[ws->n - 1]))
		to = ws->n - 1;
	for (k = 0; k < sizeof(before) / sizeof(before[0]) && from == 0;
	     k++) {
		len = before[k][1] ? 2 : 1;
		if (word_is(ws, 0, before[k][0]) &&
		    (len == 1 || word_is(ws, 1, before[k][1]))) {
			from = len;
			break;
		}
	}
	for (k = 0; k < sizeof(after) / sizeof(after[0]); k++) {
		size_t j;

		len = after[k][2] ? 3 : after[k][1] ? 2 : 1;
		if (to < from + len + 1 || to < ws->n)
			continue;
		for (j = 0; j < len; j++)
			if (!word_is(ws, to - len + j, after[k][j]))
				break;
		if (j == len) {
			to -= len;
			break;
		}
	}
	if ((from == 0 && to == ws->n) || from >= to)
		return false;
	join_words(ws, from, to, out, size);
	return true;
}

/* ---- the rules in order ---- */

static int read_further(const struct ethnicity_classifier *c,
			const char *label, const char *key, int depth,
			unsigned flags, struct entry *out,
			struct parity_error *err)
{
	struct words ws;
	const struct entry *e;
	char other[NORM_MAX];
	bool contradicts;
	int rc;

	if (!split_words(key, &ws))
		return 0;
	e = bag_lookup(c, key);
	if (e) {
		copy_reading(out, e);
		return 1;
	}
	if (merges_by_words(&ws)) {
		eth_reading(out, 0, ETH_RULE_BUILT_IN);
		out->kind = ENTRY_REFUSED;
		out->why = NULL;
		return 1;
	}
	if (drop_british_form(&ws, other, sizeof(other))) {
		rc = read_part(c, other, depth, flags, out);
		if (rc)
			return rc;
	}
	rc = read_group_list(c, &ws, out);
	if (rc)
		return rc;
	/* a contradiction is reported only when no later rule reads it */
	rc = flags & READ_NO_CODES ? 0 :
	     read_code_beside_text(c, label, &ws, depth, out, err);
	if (rc > 0)
		return rc;
	contradicts = rc < 0;
	rc = contradicts ? 0 : read_write_in(c, label, &ws, out, err);
	if (rc > 0)
		return rc;
	contradicts = contradicts || rc < 0;
	rc = read_not_known(c, &ws, out);
	if (rc)
		return rc;
	if (drop_decorations(c, &ws, other, sizeof(other))) {
		if (c->system != ETH_CODES_NONE) {
			e = eth_lookup(&c->codes[c->system], other);
			if (e) {
				copy_reading(out, e);
				return 1;
			}
		}
		rc = read_part(c, other, depth, flags, out);
		if (rc)
			return rc;
	}
	return contradicts ? -1 : 0;
}

int eth_read_label(const struct ethnicity_classifier *c, const char *label,
		   const char *key, const struct entry *exact,
		   struct entry *out, struct parity_error *err)
{
	if (label && strchr(label, '/') && read_merge(c, label, out))
		return 1;
	if (exact) {
		copy_reading(out, exact);
		return 1;
	}
	return read_further(c, label ? label : "", key, 0, 0, out, err);
}
