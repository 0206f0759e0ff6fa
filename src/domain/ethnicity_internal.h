/*
 * ethnicity_internal.h - what the files of the ethnicity classifier share;
 * nothing outside src/domain/ethnicity*.c includes it.
 *
 * Owns the classifier's layout (its hash tables of normalised labels, bags
 * of words, and code lists), the reading of a label as one table entry,
 * candidate sets, and the reference data loaded once from
 * data/ethnicity/ (the code lists, the write-in table and DfE's open-data
 * identifiers). The files:
 *   ethnicity.c        categories, levels, 2011 crosswalk, normalisation,
 *                      the tables and their built-in labels, classify,
 *                      messages;
 *   ethnicity_read.c   the readings beyond one lookup: merges written with
 *                      slashes, part order, codes beside text, write-ins
 *                      under a heading, not-known combinations;
 *   ethnicity_alias.c  aliases, from memory and from files;
 *   ethnicity_codes.c  code systems by name and the reference data.
 */
#ifndef PARITY_DOMAIN_ETHNICITY_INTERNAL_H
#define PARITY_DOMAIN_ETHNICITY_INTERNAL_H

#include "base/strbuf.h"
#include "domain/ethnicity.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest normalised label that can match, plus its NUL. A longer
 * label is unknown. */
#define NORM_MAX 256

/* How much of a label is quoted back in a message. */
#define QUOTE_MAX 100

/*
 * Candidate bits: what a reading could be. One bit per category id
 * (0..20), and one per high-level group from bit 24, for a reading that
 * names only a group.
 */
#define CAND_GROUP_BASE 24
#define CAND_ID(id) (1u << (id))
#define CAND_GROUP(g) (1u << (CAND_GROUP_BASE + (g)))
#define CAND_OTHERS (CAND_ID(ETH_WOTH) | CAND_ID(ETH_MOTH) | \
		     CAND_ID(ETH_AOTH) | CAND_ID(ETH_BOTH) | CAND_ID(ETH_OOTH))
#define CAND_GYPSY_ROMA (CAND_ID(ETH_WGYP) | CAND_ID(ETH_WROM))

/* What a normalised label means. */
enum entry_kind {
	ENTRY_EMPTY,     /* a free hash slot */
	ENTRY_MATCH,     /* one category, or one group only */
	ENTRY_AMBIGUOUS, /* several categories: the caller must say which */
	ENTRY_REFUSED    /* merges groups ('BAME'): cannot be classified */
};

/* A table entry, or a reading built from several (then `key` is NULL). */
struct entry {
	char *key;            /* normalised label; NULL in a free slot */
	uint64_t hash;
	enum entry_kind kind;
	int id;               /* ENTRY_MATCH: category id, or -1 */
	enum ethnicity_group group;
	bool from_2011;
	bool suggest;         /* a name suggestions are drawn from */
	enum ethnicity_rule rule;
	const char *note;     /* ENTRY_MATCH: static, or NULL */
	uint32_t candidates;  /* ENTRY_AMBIGUOUS */
	const char *why;      /* ENTRY_AMBIGUOUS: static words after the
			       * candidates ("" or ": ..."); ENTRY_REFUSED:
			       * NULL for the usual message */
	const char *code;     /* a code list's entry: the code as written */
	const char *text;     /* a code list's entry: the list's wording */
	size_t alias_source;  /* ETH_RULE_ALIAS: index in alias_sources, or
			       * SIZE_MAX for an alias given in memory */
	long alias_line;
};

/* An open-addressing hash table of entries, at most half full. */
struct table {
	struct entry *slots;
	size_t cap; /* a power of two */
	size_t count;
};

struct ethnicity_classifier {
	/* normalised label -> meaning: built-in labels, write-ins, aliases */
	struct table labels;
	/* the label's words, sorted and without repeats -> meaning: the
	 * built-in labels and write-ins in any order */
	struct table bags;
	/* normalised code -> reading, by list: [ETH_CODES_NONE] holds
	 * parity's own codes, read only beside text that agrees */
	struct table codes[ETH_CODE_SYSTEM_COUNT];
	/* a list's own wording -> its reading, under that code system */
	struct table wordings[ETH_CODE_SYSTEM_COUNT];
	enum ethnicity_code_system system;
	char **alias_sources;
	size_t alias_source_count, alias_source_cap;
	/* what aliases added from memory are named by in messages: an index
	 * in alias_sources (ethnicity_classifier_name_aliases()), or
	 * SIZE_MAX */
	size_t memory_source;
};

/* ---- ethnicity.c ---- */

/* Normalise (see ethnicity_normalise); returns the whole length, which
 * may be `size` or more when it was cut short, as snprintf does. */
size_t eth_normalise(const char *label, char *out, size_t size);
/* The words of normalised `key` sorted, without repeats, into `out`
 * (empty when it does not fit). */
void eth_bag_key(const char *key, char *out, size_t size);
const struct entry *eth_lookup(const struct table *t, const char *key);
/* The entry for `key`, made (ENTRY_EMPTY) when there is none. */
struct entry *eth_entry_for(struct table *t, const char *key);
/* The slot that holds `key`, or the free slot where it would go. */
struct entry *eth_find_slot(struct table *t, const char *key, uint64_t h);
/* A label's entry as the classifier reads it without aliases coming
 * first: the code system's own wording, else the labels table. */
const struct entry *eth_find(const struct ethnicity_classifier *c,
			     const char *key);

/* The candidate bits of a reading (MATCH or AMBIGUOUS), 0 otherwise. */
uint32_t eth_candidates(const struct entry *e);
/* The category bits of candidates, each group replaced by its
 * categories. */
uint32_t eth_expand(uint32_t candidates);
/* The category bits of group g. */
uint32_t eth_group_bits(enum ethnicity_group g);
size_t eth_count_bits(uint32_t v);
/*
 * Make `out` the reading of candidate bits: one category, one group only
 * (when the bits are exactly a group bit), or ambiguous. Clears
 * everything else in `out`.
 */
void eth_reading(struct entry *out, uint32_t candidates,
		 enum ethnicity_rule rule);

void eth_quote_label(const char *label, char *out, size_t size);
/* `s` without its leading ASCII whitespace; *len its length without the
 * trailing. */
const char *eth_trim(const char *s, size_t *len);
/* "Caribbean (BCRB)"; "White (high-level group W)". */
void eth_describe_candidate(struct strbuf *sb, unsigned bit);
/* "A (X), B (Y) or C (Z)" */
void eth_describe_candidates(struct strbuf *sb, uint32_t candidates);

/* ---- ethnicity_read.c ---- */

/*
 * Read `label` (normalised `key`) as parity does, aliases aside: a merge
 * written with slashes, the entry `exact` (eth_find(c, key), may be NULL),
 * then the rules beyond one lookup. Returns 1 with the reading in `out`
 * (MATCH, AMBIGUOUS or REFUSED), 0 when the label is unknown, or -1 with
 * `err` filled when the label contradicts itself (a code beside text that
 * disagrees with it).
 */
int eth_read_label(const struct ethnicity_classifier *c, const char *label,
		   const char *key, const struct entry *exact,
		   struct entry *out, struct parity_error *err);

/* ---- ethnicity_alias.c ---- */

/* Free the classifier's alias sources. */
void eth_alias_sources_free(struct ethnicity_classifier *c);

/* ---- ethnicity_codes.c: the reference data ---- */

/* The reference data files, loaded once. */
enum eth_ref {
	ETH_REF_PARITY,       /* unused: parity's codes are in ethnicity.c */
	ETH_REF_NHS,
	ETH_REF_DFE,
	ETH_REF_POLICE_SDE,
	ETH_REF_POLICE_ODE,
	ETH_REF_WRITE_INS,
	ETH_REF_DFE_OPEN_DATA,
	ETH_REF_COUNT
};

struct eth_ref_row {
	const char *code;     /* as the list writes it; NULL for a row that
			       * gives only wording */
	const char *label;    /* the list's wording, write-in or identifier */
	uint32_t candidates;  /* what it reads as (candidate bits) */
	bool merged;          /* merges groups: refused */
	const char *note;     /* NULL when none */
	const char *why;      /* a reading that could be several: the words
			       * after them in its message ("" or ": ...") */
};

struct eth_ref_list {
	const char *file;     /* e.g. "data/ethnicity/write-ins.csv" */
	const struct eth_ref_row *rows;
	size_t count;
};

/*
 * The reference data, ETH_REF_COUNT lists indexed by enum eth_ref, loaded
 * from the files compiled in on the first call and kept, read-only, for
 * the life of the process. Fails (PARITY_ERR_INTERNAL, naming the file
 * and line) only if a file compiled in is broken.
 */
int eth_ref_lists(const struct eth_ref_list **out, struct parity_error *err);
/* The reference list of a code system (ETH_REF_NHS ...). */
enum eth_ref eth_ref_of(enum ethnicity_code_system system);
/* How the list of a code system is named in messages ("the NHS list"). */
const char *eth_code_system_title(enum ethnicity_code_system system);

#endif
