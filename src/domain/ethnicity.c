/*
 * ethnicity.c - the ethnicity classifications, their output levels, and the
 * classifier's tables and entry point (see ethnicity.h).
 *
 * Owns: the read-only tables of the 19 Census 2021 categories, the 5
 * high-level groups, the output levels and the 2011 crosswalk; the
 * normalisation of labels; and the classifier's hash tables, built when it
 * is created, with ethnicity_classify() and its messages. The readings that
 * take more than one lookup are in ethnicity_read.c, aliases in
 * ethnicity_alias.c, the code lists and the write-in table in
 * ethnicity_codes.c (ethnicity_internal.h says what they share).
 *
 * The classifier's built-in labels are generated when it is created rather
 * than written out one by one. Every way of naming a group ("Asian", "Asian
 * or Asian British", "Asian/Asian British", ...) is joined with every way of
 * naming each of that group's categories ("Other Asian", "Any other Asian
 * background", "Other", ...), and standalone forms ("Indian", "White and
 * Asian") are added, with the Census wordings of 2001, 2011 and 2021, the
 * not-known and prefer-not-to-say forms, the write-in table and DfE's
 * open-data identifiers. When two categories produce the same normalised
 * string, that string becomes ambiguous; it never goes to whichever came
 * first. Then the deliberate exceptions are laid over the top: the bare
 * 'Other' family and combined categories such as DfE's 'Gypsy/Roma' are
 * ambiguous, and 'BAME' and its relatives are refused because they merge
 * groups. A second table holds every label by its bag of words (sorted,
 * without repeats), so that the parts of a label may come in any order
 * ('White: White British'); the code lists get a table each.
 *
 * Classifying a known label is one normalisation into a stack buffer and
 * one hash lookup, with no allocation. Only a label that is not in the
 * table does more work (ethnicity_read.c), and only a failure finds the
 * closest categories by edit distance, to suggest them.
 */
#include "domain/ethnicity.h"
#include "domain/ethnicity_internal.h"

#include "base/alloc.h"
#include "base/hash.h"
#include "base/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
/* ---- the 2021 classification ---- */

#define W ETH_GROUP_WHITE
#define M ETH_GROUP_MIXED
#define A ETH_GROUP_ASIAN
#define B ETH_GROUP_BLACK
#define O ETH_GROUP_OTHER

static const struct ethnicity_category categories[ETH_COUNT] = {
	[ETH_WBRI] = { "WBRI",
		"English, Welsh, Scottish, Northern Irish or British",
		"White: English, Welsh, Scottish, Northern Irish or British",
		"English, Welsh, Scottish, Northern Irish or British", W },
	[ETH_WIRI] = { "WIRI", "Irish", "White: Irish", "Irish", W },
	[ETH_WGYP] = { "WGYP", "Gypsy or Irish Traveller",
		"White: Gypsy or Irish Traveller", "Gypsy or Irish Traveller",
		W },
	[ETH_WROM] = { "WROM", "Roma", "White: Roma", "Roma", W },
	[ETH_WOTH] = { "WOTH", "Other White", "White: Other White",
		"Any other White background", W },
	[ETH_MWBC] = { "MWBC", "White and Black Caribbean",
		"Mixed or Multiple ethnic groups: White and Black Caribbean",
		"White and Black Caribbean", M },
	[ETH_MWBA] = { "MWBA", "White and Black African",
		"Mixed or Multiple ethnic groups: White and Black African",
		"White and Black African", M },
	[ETH_MWAS] = { "MWAS", "White and Asian",
		"Mixed or Multiple ethnic groups: White and Asian",
		"White and Asian", M },
	[ETH_MOTH] = { "MOTH", "Other Mixed or Multiple ethnic groups",
		"Mixed or Multiple ethnic groups: Other Mixed or Multiple "
		"ethnic groups",
		"Any other Mixed or Multiple ethnic background", M },
	[ETH_AIND] = { "AIND", "Indian",
		"Asian, Asian British or Asian Welsh: Indian", "Indian", A },
	[ETH_APKN] = { "APKN", "Pakistani",
		"Asian, Asian British or Asian Welsh: Pakistani", "Pakistani",
		A },
	[ETH_ABAN] = { "ABAN", "Bangladeshi",
		"Asian, Asian British or Asian Welsh: Bangladeshi",
		"Bangladeshi", A },
	[ETH_ACHN] = { "ACHN", "Chinese",
		"Asian, Asian British or Asian Welsh: Chinese", "Chinese", A },
	[ETH_AOTH] = { "AOTH", "Other Asian",
		"Asian, Asian British or Asian Welsh: Other Asian",
		"Any other Asian background", A },
	[ETH_BCRB] = { "BCRB", "Caribbean",
		"Black, Black British, Black Welsh, Caribbean or African: "
		"Caribbean", "Caribbean", B },
	[ETH_BAFR] = { "BAFR", "African",
		"Black, Black British, Black Welsh, Caribbean or African: "
		"African", "African", B },
	[ETH_BOTH] = { "BOTH", "Other Black",
		"Black, Black British, Black Welsh, Caribbean or African: "
		"Other Black",
		"Any other Black, Black British, or Caribbean background", B },
	[ETH_OARB] = { "OARB", "Arab", "Other ethnic group: Arab", "Arab", O },
	[ETH_OOTH] = { "OOTH", "Any other ethnic group",
		"Other ethnic group: Any other ethnic group",
		"Any other ethnic group", O },
	[ETH_NOT_KNOWN] = { "NK", "Not known", "Not known", "Not known",
		ETH_GROUP_NOT_KNOWN },
	[ETH_PREFER_NOT_TO_SAY] = { "PNS", "Prefer not to say",
		"Prefer not to say", "Prefer not to say",
		ETH_GROUP_PREFER_NOT_TO_SAY },
};

static const struct ethnicity_group_info groups[ETH_GROUP_COUNT] = {
	[ETH_GROUP_WHITE] = { "W", "White" },
	[ETH_GROUP_MIXED] = { "M", "Mixed or Multiple ethnic groups" },
	[ETH_GROUP_ASIAN] = { "A", "Asian, Asian British or Asian Welsh" },
	[ETH_GROUP_BLACK] = { "B",
		"Black, Black British, Black Welsh, Caribbean or African" },
	[ETH_GROUP_OTHER] = { "O", "Other ethnic group" },
	[ETH_GROUP_NOT_KNOWN] = { "NK", "Not known" },
	[ETH_GROUP_PREFER_NOT_TO_SAY] = { "PNS", "Prefer not to say" },
};

const struct ethnicity_category *ethnicity_category(enum ethnicity_id id)
{
	if ((unsigned)id >= ETH_COUNT)
		return NULL;
	return &categories[id];
}

const struct ethnicity_group_info *ethnicity_group_info(enum ethnicity_group g)
{
	if ((unsigned)g >= ETH_GROUP_COUNT)
		return NULL;
	return &groups[g];
}

/* Skip leading and find the end of trailing ASCII whitespace. */
const char *eth_trim(const char *s, size_t *len)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
			 s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*len = n;
	return s;
}

int ethnicity_find_code(const char *code)
{
	size_t len, k;

	if (!code)
		return -1;
	code = eth_trim(code, &len);
	for (k = 0; k < ETH_COUNT; k++)
		if (strlen(categories[k].code) == len &&
		    strncasecmp(categories[k].code, code, len) == 0)
			return (int)k;
	return -1;
}

bool ethnicity_is_declared(enum ethnicity_id id)
{
	return (unsigned)id < ETHNICITY_DETAILED_COUNT;
}

/* ---- output levels ---- */

static const char *const level_names[] = {
	[ETH_LEVEL_DETAILED] = "detailed",
	[ETH_LEVEL_HIGH] = "high",
	[ETH_LEVEL_WHITE_BRITISH_BINARY] = "white-british-binary",
	[ETH_LEVEL_WHITE_BINARY] = "white-binary",
};
#define LEVEL_COUNT (sizeof(level_names) / sizeof(level_names[0]))

static const char *const wbri_binary_codes[2] = { "WBRI", "NOT_WBRI" };
static const char *const wbri_binary_labels[2] = {
	"White British",
	"All other ethnic groups combined (including White minorities)",
};
static const char *const white_binary_codes[2] = { "W", "NOT_W" };
static const char *const white_binary_labels[2] = {
	"White",
	"All other ethnic groups combined (excluding White minorities)",
};

int ethnicity_level_parse(const char *name, enum ethnicity_level *out,
			  struct parity_error *err)
{
	size_t k, len;
	const char *s = eth_trim(name ? name : "", &len);

	for (k = 0; k < LEVEL_COUNT; k++)
		if (strlen(level_names[k]) == len &&
		    strncasecmp(level_names[k], s, len) == 0) {
			*out = (enum ethnicity_level)k;
			return 0;
		}
	if ((len == 4 && strncasecmp(s, "bame", 4) == 0) ||
	    (len == 3 && strncasecmp(s, "bme", 3) == 0))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"parity does not produce '%.*s': it "
					"merges ethnic groups; use detailed or "
					"high, or white-binary to compare White "
					"with all other ethnic groups combined",
					(int)len, s);
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"unknown ethnicity level '%.*s': use detailed, "
				"high, white-british-binary or white-binary",
				(int)(len > QUOTE_MAX ? QUOTE_MAX : len), s);
}

const char *ethnicity_level_name(enum ethnicity_level level)
{
	if ((unsigned)level >= LEVEL_COUNT)
		return NULL;
	return level_names[level];
}

const char *ethnicity_level_note(enum ethnicity_level level)
{
	switch (level) {
	case ETH_LEVEL_WHITE_BRITISH_BINARY:
		return "White British compared with all other ethnic groups "
		       "combined, including White minorities (Irish, Gypsy or "
		       "Irish Traveller, Roma, Other White): the second group "
		       "merges the White minorities with the Mixed or "
		       "Multiple, Asian, Black and Other ethnic groups";
	case ETH_LEVEL_WHITE_BINARY:
		return "White compared with all other ethnic groups combined: "
		       "White minorities (Irish, Gypsy or Irish Traveller, "
		       "Roma, Other White) are counted with White, and the "
		       "second group merges the Mixed or Multiple, Asian, "
		       "Black and Other ethnic groups";
	case ETH_LEVEL_DETAILED:
	case ETH_LEVEL_HIGH:
		break;
	}
	return NULL;
}

size_t ethnicity_level_group_count(enum ethnicity_level level)
{
	switch (level) {
	case ETH_LEVEL_DETAILED:
		return ETHNICITY_DETAILED_COUNT;
	case ETH_LEVEL_HIGH:
		return ETHNICITY_HIGH_COUNT;
	case ETH_LEVEL_WHITE_BRITISH_BINARY:
	case ETH_LEVEL_WHITE_BINARY:
		return 2;
	}
	return 0;
}

/* SIZE_MAX for an id or level that does not exist. */
size_t ethnicity_level_group(enum ethnicity_id id, enum ethnicity_level level)
{
	size_t count = ethnicity_level_group_count(level);

	if ((unsigned)id >= ETH_COUNT || count == 0)
		return SIZE_MAX;
	if (id == ETH_NOT_KNOWN)
		return count;
	if (id == ETH_PREFER_NOT_TO_SAY)
		return count + 1;
	switch (level) {
	case ETH_LEVEL_DETAILED:
		return (size_t)id;
	case ETH_LEVEL_HIGH:
		return (size_t)categories[id].group;
	case ETH_LEVEL_WHITE_BRITISH_BINARY:
		return id == ETH_WBRI ? 0 : 1;
	case ETH_LEVEL_WHITE_BINARY:
		return categories[id].group == ETH_GROUP_WHITE ? 0 : 1;
	}
	return SIZE_MAX;
}

const char *ethnicity_level_group_code(enum ethnicity_level level,
				       size_t index)
{
	size_t count = ethnicity_level_group_count(level);

	if (count == 0 || index > count + 1)
		return NULL;
	if (index == count)
		return categories[ETH_NOT_KNOWN].code;
	if (index == count + 1)
		return categories[ETH_PREFER_NOT_TO_SAY].code;
	switch (level) {
	case ETH_LEVEL_DETAILED:
		return categories[index].code;
	case ETH_LEVEL_HIGH:
		return groups[index].code;
	case ETH_LEVEL_WHITE_BRITISH_BINARY:
		return wbri_binary_codes[index];
	case ETH_LEVEL_WHITE_BINARY:
		return white_binary_codes[index];
	}
	return NULL;
}

/* The names Ethnicity facts and figures gives groups in running text. */
static const struct {
	const char *label, *short_name;
} short_names[] = {
	{ "White: English, Welsh, Scottish, Northern Irish or British",
	  "White British" },
	{ "White: Irish", "White Irish" },
	{ "White: Gypsy or Irish Traveller", "Gypsy or Irish Traveller" },
	{ "White: Roma", "Roma" },
	{ "White: Other White", "White other" },
	{ "Mixed or Multiple ethnic groups: White and Black Caribbean",
	  "Mixed White and Black Caribbean" },
	{ "Mixed or Multiple ethnic groups: White and Black African",
	  "Mixed White and Black African" },
	{ "Mixed or Multiple ethnic groups: White and Asian",
	  "Mixed White and Asian" },
	{ "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic "
	  "groups", "Mixed other" },
	{ "Asian, Asian British or Asian Welsh: Indian", "Indian" },
	{ "Asian, Asian British or Asian Welsh: Pakistani", "Pakistani" },
	{ "Asian, Asian British or Asian Welsh: Bangladeshi", "Bangladeshi" },
	{ "Asian, Asian British or Asian Welsh: Chinese", "Chinese" },
	{ "Asian, Asian British or Asian Welsh: Other Asian", "Asian other" },
	{ "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
	  "Black Caribbean" },
	{ "Black, Black British, Black Welsh, Caribbean or African: African",
	  "Black African" },
	{ "Black, Black British, Black Welsh, Caribbean or African: Other "
	  "Black", "Black other" },
	{ "Other ethnic group: Arab", "Arab" },
	{ "Other ethnic group: Any other ethnic group",
	  "Any other ethnic group" },
	{ "White", "White" },
	{ "Mixed or Multiple ethnic groups", "Mixed" },
	{ "Asian, Asian British or Asian Welsh", "Asian" },
	{ "Black, Black British, Black Welsh, Caribbean or African", "Black" },
	{ "Other ethnic group", "Other ethnic group" },
};

const char *ethnicity_short_name(const char *label)
{
	const char *p = label, *last = NULL;
	size_t k;

	for (k = 0; k < sizeof(short_names) / sizeof(short_names[0]); k++)
		if (strcmp(short_names[k].label, label) == 0)
			return short_names[k].short_name;
	while ((p = strstr(p, ": ")) != NULL)
		last = p += 2;
	return last ? last : label;
}

const char *ethnicity_level_group_label(enum ethnicity_level level,
					size_t index)
{
	size_t count = ethnicity_level_group_count(level);

	if (count == 0 || index > count + 1)
		return NULL;
	if (index == count)
		return categories[ETH_NOT_KNOWN].label;
	if (index == count + 1)
		return categories[ETH_PREFER_NOT_TO_SAY].label;
	switch (level) {
	case ETH_LEVEL_DETAILED:
		return categories[index].full_label;
	case ETH_LEVEL_HIGH:
		return groups[index].label;
	case ETH_LEVEL_WHITE_BRITISH_BINARY:
		return wbri_binary_labels[index];
	case ETH_LEVEL_WHITE_BINARY:
		return white_binary_labels[index];
	}
	return NULL;
}

/* ---- the 2011 classification and the crosswalk ---- */

#define G2011_W "White"
#define G2011_M "Mixed/multiple ethnic group"
#define G2011_A "Asian/Asian British"
#define G2011_B "Black/African/Caribbean/Black British"
#define G2011_O "Other ethnic group"

/* In the order of the Census 2011 table QS201EW. */
static const struct ethnicity_2011_category categories_2011[] = {
	{ "2011-WBRI", "English/Welsh/Scottish/Northern Irish/British",
	  G2011_W, { ETH_WBRI }, 1, NULL },
	{ "2011-WIRI", "Irish", G2011_W, { ETH_WIRI }, 1, NULL },
	{ "2011-WGYP", "Gypsy or Irish Traveller", G2011_W, { ETH_WGYP }, 1,
	  NULL },
	{ "2011-WOTH", "Other White", G2011_W, { ETH_WROM, ETH_WOTH }, 2,
	  "2021 added Roma, which 2011 counted in Other White: 2011 Other "
	  "White corresponds to 2021 Roma and Other White together" },
	{ "2011-MWBC", "White and Black Caribbean", G2011_M, { ETH_MWBC }, 1,
	  NULL },
	{ "2011-MWBA", "White and Black African", G2011_M, { ETH_MWBA }, 1,
	  NULL },
	{ "2011-MWAS", "White and Asian", G2011_M, { ETH_MWAS }, 1, NULL },
	{ "2011-MOTH", "Other Mixed", G2011_M, { ETH_MOTH }, 1, NULL },
	{ "2011-AIND", "Indian", G2011_A, { ETH_AIND }, 1, NULL },
	{ "2011-APKN", "Pakistani", G2011_A, { ETH_APKN }, 1, NULL },
	{ "2011-ABAN", "Bangladeshi", G2011_A, { ETH_ABAN }, 1, NULL },
	{ "2011-ACHN", "Chinese", G2011_A, { ETH_ACHN }, 1, NULL },
	{ "2011-AOTH", "Other Asian", G2011_A, { ETH_AOTH }, 1, NULL },
	{ "2011-BAFR", "African", G2011_B, { ETH_BAFR }, 1, NULL },
	{ "2011-BCRB", "Caribbean", G2011_B, { ETH_BCRB }, 1, NULL },
	{ "2011-BOTH", "Other Black", G2011_B, { ETH_BOTH }, 1, NULL },
	{ "2011-OARB", "Arab", G2011_O, { ETH_OARB }, 1, NULL },
	{ "2011-OOTH", "Any other ethnic group", G2011_O, { ETH_OOTH }, 1,
	  NULL },
};

_Static_assert(sizeof(categories_2011) / sizeof(categories_2011[0]) ==
	       ETHNICITY_2011_COUNT, "2011 has 18 categories");

const struct ethnicity_2011_category *ethnicity_2011_category(size_t index)
{
	if (index >= ETHNICITY_2011_COUNT)
		return NULL;
	return &categories_2011[index];
}

/*
 * Like the output levels, the non-declared states come after the
 * categories: ETHNICITY_2011_COUNT for not known and one more for prefer
 * not to say. SIZE_MAX for an id that does not exist.
 */
size_t ethnicity_2011_index_of(enum ethnicity_id id)
{
	size_t k, j;

	if (id == ETH_NOT_KNOWN)
		return ETHNICITY_2011_COUNT;
	if (id == ETH_PREFER_NOT_TO_SAY)
		return ETHNICITY_2011_COUNT + 1;
	for (k = 0; k < ETHNICITY_2011_COUNT; k++)
		for (j = 0; j < categories_2011[k].maps_to_count; j++)
			if (categories_2011[k].maps_to[j] == id)
				return k;
	return SIZE_MAX;
}

/* ---- the labels the classifier knows ---- */

/* Flags of a group name. */
#define GROUP_BARE 1u /* on its own it names the group ('Asian') */
#define GROUP_2011 2u /* a 2011-only form ('Asian/Asian British') */

struct group_name {
	enum ethnicity_group group;
	unsigned flags;
	const char *name;
};

/*
 * Every way a group is named. Each is joined with each name of the group's
 * categories: "Asian or Asian British" + "Indian".
 */
static const struct group_name group_names[] = {
	{ W, GROUP_BARE, "White" },

	{ M, GROUP_BARE, "Mixed" },
	{ M, GROUP_BARE, "Mixed or Multiple ethnic groups" },
	{ M, GROUP_BARE, "Mixed or Multiple ethnic group" },
	{ M, GROUP_BARE, "Mixed or Multiple" },
	{ M, GROUP_BARE, "Mixed/Multiple" },
	{ M, GROUP_BARE | GROUP_2011, "Mixed/multiple ethnic groups" },
	{ M, GROUP_BARE | GROUP_2011, "Mixed/multiple ethnic group" },
	{ M, GROUP_BARE, "Multiple ethnic groups" },
	{ M, GROUP_BARE, "Mixed ethnic group" },
	{ M, GROUP_BARE, "Mixed ethnic groups" },
	{ M, GROUP_BARE, "Mixed background" },
	{ M, GROUP_BARE, "Mixed heritage" },
	{ M, GROUP_BARE, "Mixed race" },

	{ A, GROUP_BARE, "Asian" },
	{ A, GROUP_BARE, "Asian or Asian British" },
	{ A, GROUP_BARE, "Asian, Asian British or Asian Welsh" },
	{ A, GROUP_BARE, "Asian British" },
	{ A, GROUP_BARE, "British Asian" },
	{ A, GROUP_BARE | GROUP_2011, "Asian/Asian British" },

	{ B, GROUP_BARE, "Black" },
	{ B, GROUP_BARE, "Black or Black British" },
	{ B, GROUP_BARE, "Black British" },
	{ B, GROUP_BARE, "Black, Black British, Caribbean or African" },
	{ B, GROUP_BARE,
	  "Black, Black British, Black Welsh, Caribbean or African" },
	{ B, GROUP_BARE, "Black, African, Caribbean or Black British" },
	{ B, GROUP_BARE | GROUP_2011, "Black/African/Caribbean/Black British" },
	{ B, GROUP_BARE, "Black/African/Caribbean" },

	{ O, GROUP_BARE, "Other ethnic group" },
	{ O, GROUP_BARE, "Other ethnic groups" },
	{ O, 0, "Other" },
};

#undef W
#undef M
#undef A
#undef B
#undef O

/* Flags of a category name. */
#define CAT_ALONE 1u /* also matches without a group name ('Indian') */
#define CAT_QUIET 2u /* alone, not a name suggestions are drawn from */

struct category_name {
	enum ethnicity_id id;
	unsigned flags;
	const char *name;
};

/* Every way a category is named, with or without its group's name. */
static const struct category_name category_names[] = {
	{ ETH_WBRI, CAT_ALONE,
	  "English, Welsh, Scottish, Northern Irish or British" },
	{ ETH_WBRI, CAT_ALONE,
	  "English/Welsh/Scottish/Northern Irish/British" },
	{ ETH_WBRI, 0, "British" },
	{ ETH_WBRI, CAT_ALONE | CAT_QUIET, "English" },
	{ ETH_WBRI, CAT_ALONE | CAT_QUIET, "Welsh" },
	{ ETH_WBRI, CAT_ALONE | CAT_QUIET, "Scottish" },
	{ ETH_WBRI, CAT_ALONE | CAT_QUIET, "Northern Irish" },

	{ ETH_WIRI, CAT_ALONE, "Irish" },

	{ ETH_WGYP, CAT_ALONE, "Gypsy or Irish Traveller" },
	{ ETH_WGYP, CAT_ALONE, "Gypsy/Irish Traveller" },
	{ ETH_WGYP, CAT_ALONE, "Gypsy and Irish Traveller" },
	{ ETH_WGYP, CAT_ALONE, "Gypsy" },
	{ ETH_WGYP, CAT_ALONE, "Irish Traveller" },
	{ ETH_WGYP, CAT_ALONE, "Traveller of Irish heritage" },
	{ ETH_WGYP, CAT_ALONE, "Gypsy or Traveller" },
	{ ETH_WGYP, CAT_ALONE, "Gypsy/Traveller" },
	{ ETH_WGYP, CAT_ALONE, "Gypsy and Traveller" },
	{ ETH_WGYP, CAT_ALONE, "Romany Gypsy" },
	{ ETH_WGYP, 0, "Traveller" },

	{ ETH_WROM, CAT_ALONE, "Roma" },

	{ ETH_WOTH, CAT_ALONE, "Other White" },
	{ ETH_WOTH, CAT_ALONE, "Any other White" },
	{ ETH_WOTH, CAT_ALONE, "Any other White background" },
	{ ETH_WOTH, CAT_ALONE, "Other White background" },
	{ ETH_WOTH, 0, "Other" },
	{ ETH_WOTH, 0, "Any other" },
	{ ETH_WOTH, 0, "Other background" },
	{ ETH_WOTH, 0, "Any other background" },

	{ ETH_MWBC, CAT_ALONE, "White and Black Caribbean" },
	{ ETH_MWBC, CAT_ALONE, "White/Black Caribbean" },
	{ ETH_MWBC, CAT_ALONE, "Black Caribbean and White" },
	{ ETH_MWBA, CAT_ALONE, "White and Black African" },
	{ ETH_MWBA, CAT_ALONE, "White/Black African" },
	{ ETH_MWBA, CAT_ALONE, "Black African and White" },
	{ ETH_MWAS, CAT_ALONE, "White and Asian" },
	{ ETH_MWAS, CAT_ALONE, "White/Asian" },
	{ ETH_MWAS, CAT_ALONE, "Asian and White" },
	{ ETH_MOTH, CAT_ALONE, "Other Mixed or Multiple ethnic groups" },
	{ ETH_MOTH, CAT_ALONE, "Other Mixed" },
	{ ETH_MOTH, CAT_ALONE, "Other Mixed background" },
	{ ETH_MOTH, CAT_ALONE, "Any other Mixed" },
	{ ETH_MOTH, CAT_ALONE, "Any other Mixed background" },
	{ ETH_MOTH, CAT_ALONE, "Any other Mixed or Multiple ethnic background" },
	{ ETH_MOTH, CAT_ALONE, "Any other Mixed/Multiple ethnic background" },
	{ ETH_MOTH, CAT_ALONE, "Any other Mixed or Multiple background" },
	/* DfE's extended Mixed categories, under a Mixed heading only: alone
	 * 'Black and Asian' may be the two groups combined */
	{ ETH_MOTH, 0, "Asian and Black" },
	{ ETH_MOTH, 0, "Black and Asian" },
	{ ETH_MOTH, 0, "Black and Chinese" },
	{ ETH_MOTH, 0, "Chinese and Black" },
	{ ETH_MOTH, 0, "Asian and Chinese" },
	{ ETH_MOTH, 0, "White and Chinese" },
	{ ETH_MOTH, 0, "Black and Arab" },
	{ ETH_MOTH, 0, "Asian and any other ethnic group" },
	{ ETH_MOTH, 0, "Black and any other ethnic group" },
	{ ETH_MOTH, 0, "Chinese and any other ethnic group" },
	{ ETH_MOTH, 0, "White and any other ethnic group" },
	{ ETH_MOTH, 0, "Other" },
	{ ETH_MOTH, 0, "Any other" },
	{ ETH_MOTH, 0, "Other background" },
	{ ETH_MOTH, 0, "Any other background" },

	{ ETH_AIND, CAT_ALONE, "Indian" },
	{ ETH_APKN, CAT_ALONE, "Pakistani" },
	{ ETH_ABAN, CAT_ALONE, "Bangladeshi" },
	{ ETH_ACHN, CAT_ALONE, "Chinese" },
	{ ETH_AOTH, CAT_ALONE, "Other Asian" },
	{ ETH_AOTH, CAT_ALONE, "Any other Asian" },
	{ ETH_AOTH, CAT_ALONE, "Any other Asian background" },
	{ ETH_AOTH, CAT_ALONE, "Other Asian background" },
	{ ETH_AOTH, 0, "Other" },
	{ ETH_AOTH, 0, "Any other" },
	{ ETH_AOTH, 0, "Other background" },
	{ ETH_AOTH, 0, "Any other background" },

	{ ETH_BCRB, CAT_ALONE, "Caribbean" },
	{ ETH_BAFR, CAT_ALONE, "African" },
	{ ETH_BOTH, CAT_ALONE, "Other Black" },
	{ ETH_BOTH, CAT_ALONE, "Any other Black" },
	{ ETH_BOTH, CAT_ALONE, "Any other Black background" },
	{ ETH_BOTH, CAT_ALONE, "Other Black background" },
	{ ETH_BOTH, CAT_ALONE,
	  "Any other Black, Black British, or Caribbean background" },
	{ ETH_BOTH, CAT_ALONE, "Any other Black/African/Caribbean background" },
	{ ETH_BOTH, CAT_ALONE, "Any other Black, African or Caribbean background" },
	{ ETH_BOTH, CAT_ALONE, "Other Black/African/Caribbean" },
	{ ETH_BOTH, CAT_ALONE, "Other Black, African or Caribbean" },
	{ ETH_BOTH, CAT_ALONE, "Any other Black/African/Caribbean" },
	/* the Census 2021 question in Wales */
	{ ETH_BOTH, CAT_ALONE,
	  "Any other Black, Black Welsh, Black British or Caribbean background" },
	{ ETH_BOTH, CAT_ALONE,
	  "Any other Black, Black British, Black Welsh or Caribbean background" },
	{ ETH_BOTH, 0, "Other" },
	{ ETH_BOTH, 0, "Any other" },
	{ ETH_BOTH, 0, "Other background" },
	{ ETH_BOTH, 0, "Any other background" },

	{ ETH_OARB, CAT_ALONE, "Arab" },
	{ ETH_OOTH, CAT_ALONE, "Any other ethnic group" },
	{ ETH_OOTH, CAT_ALONE, "Any other ethnic background" },
	{ ETH_OOTH, CAT_ALONE, "Other ethnic background" },
	{ ETH_OOTH, 0, "Other" },
	{ ETH_OOTH, 0, "Any other" },
	{ ETH_OOTH, 0, "Other background" },
	{ ETH_OOTH, 0, "Any other background" },
};


/*
 * Categories also named 'X British' and 'British X' ('Indian British',
 * 'British Pakistani'), and so 'X or X British' and the like through the
 * other rules.
 */
static const enum ethnicity_id british_forms[] = {
	ETH_AIND, ETH_APKN, ETH_ABAN, ETH_ACHN, ETH_BAFR, ETH_BCRB, ETH_OARB,
};

struct plain_name {
	enum ethnicity_id id;
	const char *name;
};

/* Labels that are matched exactly as they are, with no group name. */
static const struct plain_name plain_names[] = {
	/* 2001 put Chinese in 'Chinese or other ethnic group' */
	{ ETH_ACHN, "Other ethnic group: Chinese" },
	{ ETH_ACHN, "Chinese or other ethnic group: Chinese" },

	{ ETH_NOT_KNOWN, "Not known" },
	{ ETH_NOT_KNOWN, "Unknown" },
	{ ETH_NOT_KNOWN, "Not stated" },
	{ ETH_NOT_KNOWN, "Not collected" },
	{ ETH_NOT_KNOWN, "Not recorded" },
	{ ETH_NOT_KNOWN, "Not provided" },
	{ ETH_NOT_KNOWN, "Not declared" },
	{ ETH_NOT_KNOWN, "Not given" },
	{ ETH_NOT_KNOWN, "Not specified" },
	{ ETH_NOT_KNOWN, "Unspecified" },
	{ ETH_NOT_KNOWN, "Not available" },
	{ ETH_NOT_KNOWN, "Not answered" },
	{ ETH_NOT_KNOWN, "Not obtained" },
	{ ETH_NOT_KNOWN, "Information not yet obtained" },
	{ ETH_NOT_KNOWN, "Not yet obtained" },
	{ ETH_NOT_KNOWN, "Not yet recorded" },
	{ ETH_NOT_KNOWN, "No response" },
	{ ETH_NOT_KNOWN, "No data" },
	{ ETH_NOT_KNOWN, "Missing" },
	{ ETH_NOT_KNOWN, "Blank" },
	{ ETH_NOT_KNOWN, "None" },
	{ ETH_NOT_KNOWN, "Null" },
	{ ETH_NOT_KNOWN, "N/A" },
	{ ETH_NOT_KNOWN, "NA" },
	{ ETH_NOT_KNOWN, "Not applicable" },
	{ ETH_NOT_KNOWN, "Unknown ethnicity" },
	{ ETH_NOT_KNOWN, "Ethnicity unknown" },
	{ ETH_NOT_KNOWN, "Ethnicity not known" },
	{ ETH_NOT_KNOWN, "Ethnicity not stated" },
	{ ETH_NOT_KNOWN, "Ethnic origin not known" },

	{ ETH_PREFER_NOT_TO_SAY, "Prefer not to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Prefer not to state" },
	{ ETH_PREFER_NOT_TO_SAY, "Prefer not to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Prefer not to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "I prefer not to say" },
	{ ETH_PREFER_NOT_TO_SAY, "I would prefer not to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Rather not say" },
	{ ETH_PREFER_NOT_TO_SAY, "Do not wish to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Do not wish to declare" },
	{ ETH_PREFER_NOT_TO_SAY, "Do not wish to state" },
	{ ETH_PREFER_NOT_TO_SAY, "Do not wish to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Don't wish to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Don't wish to say" },
	{ ETH_PREFER_NOT_TO_SAY, "I do not wish to declare my ethnic origin" },
	{ ETH_PREFER_NOT_TO_SAY, "I do not wish to disclose my ethnic origin" },
	{ ETH_PREFER_NOT_TO_SAY, "Declined" },
	{ ETH_PREFER_NOT_TO_SAY, "Declined to state" },
	{ ETH_PREFER_NOT_TO_SAY, "Declined to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Declined to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Refused" },
	{ ETH_PREFER_NOT_TO_SAY, "Information refused" },
	{ ETH_PREFER_NOT_TO_SAY, "Refused to state" },
};

/*
 * More of the two non-declared states (docs/classification.md lists
 * them). Kept apart from plain_names so that suggestions for an unknown
 * label are drawn from the shorter list above.
 */
static const struct plain_name more_plain_names[] = {
	/* not known: nothing says the person was asked and declined */
	{ ETH_NOT_KNOWN, "Not reported" },
	{ ETH_NOT_KNOWN, "Unreported" },
	{ ETH_NOT_KNOWN, "Unclassified" },
	{ ETH_NOT_KNOWN, "Not classified" },
	{ ETH_NOT_KNOWN, "Information not obtained" },
	{ ETH_NOT_KNOWN, "Not supplied" },
	{ ETH_NOT_KNOWN, "Not disclosed" },
	{ ETH_NOT_KNOWN, "Undisclosed" },
	{ ETH_NOT_KNOWN, "Not asked" },
	{ ETH_NOT_KNOWN, "Not entered" },
	{ ETH_NOT_KNOWN, "Not completed" },
	{ ETH_NOT_KNOWN, "Not set" },
	{ ETH_NOT_KNOWN, "No information" },
	{ ETH_NOT_KNOWN, "Invalid" },
	{ ETH_NOT_KNOWN, "Invalid code" },
	{ ETH_NOT_KNOWN, "Don't know" },
	{ ETH_NOT_KNOWN, "Do not know" },
	{ ETH_NOT_KNOWN, "Does not apply" },
	/* data.police.uk's self-defined ethnicity */
	{ ETH_NOT_KNOWN, "Other ethnic group - Not stated" },

	/* prefer not to say: the person was asked and chose not to answer */
	{ ETH_PREFER_NOT_TO_SAY, "Decline to state" },
	{ ETH_PREFER_NOT_TO_SAY, "Decline to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Decline to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "Declined to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "Declined to specify" },
	{ ETH_PREFER_NOT_TO_SAY, "Declined to give" },
	{ ETH_PREFER_NOT_TO_SAY, "Refused to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Refused to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "Refused to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Refused to give" },
	{ ETH_PREFER_NOT_TO_SAY, "Refusal" },
	{ ETH_PREFER_NOT_TO_SAY, "Person declined" },
	{ ETH_PREFER_NOT_TO_SAY, "Patient declined" },
	{ ETH_PREFER_NOT_TO_SAY, "Client declined" },
	{ ETH_PREFER_NOT_TO_SAY, "Patient refused" },
	{ ETH_PREFER_NOT_TO_SAY, "Client refused" },
	{ ETH_PREFER_NOT_TO_SAY, "Choose not to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Chose not to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Would rather not say" },
	{ ETH_PREFER_NOT_TO_SAY, "Prefer not to specify" },
	{ ETH_PREFER_NOT_TO_SAY, "I prefer not to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "I'd prefer not to say" },
	{ ETH_PREFER_NOT_TO_SAY, "I'd rather not say" },
	{ ETH_PREFER_NOT_TO_SAY, "I would rather not say" },
	{ ETH_PREFER_NOT_TO_SAY, "Do not wish to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "Don't wish to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "I do not wish to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "I don't wish to answer" },
	{ ETH_PREFER_NOT_TO_SAY, "I do not wish to say" },
	{ ETH_PREFER_NOT_TO_SAY, "I don't wish to say" },
	{ ETH_PREFER_NOT_TO_SAY, "I do not wish to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "I don't want to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Does not wish to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Does not wish to declare" },
	{ ETH_PREFER_NOT_TO_SAY, "Does not wish to state" },
	{ ETH_PREFER_NOT_TO_SAY, "Does not wish to say" },
	{ ETH_PREFER_NOT_TO_SAY, "Did not wish to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Not willing to disclose" },
	{ ETH_PREFER_NOT_TO_SAY, "Withheld" },
	{ ETH_PREFER_NOT_TO_SAY, "Information withheld" },

	/* 2001: 'Other ethnic groups - Chinese', 'Chinese - Chinese' */
	{ ETH_ACHN, "Chinese: Chinese" },
	{ ETH_ACHN, "Other ethnic groups: Chinese" },
	{ ETH_ACHN, "Other: Chinese" },
	{ ETH_ACHN, "Chinese or other ethnic groups: Chinese" },
	{ ETH_ACHN, "Chinese or other: Chinese" },
	{ ETH_OOTH, "Chinese or other ethnic group: Any other ethnic group" },
	{ ETH_OOTH, "Chinese or other ethnic group: Any other" },
	{ ETH_OOTH, "Chinese or other ethnic group: Other ethnic group" },
	{ ETH_OOTH, "Chinese or other ethnic group: Other" },
	{ ETH_OOTH, "Chinese or other ethnic groups: Any other ethnic group" },
	{ ETH_OOTH, "Chinese or other: Any other ethnic group" },
	{ ETH_OOTH, "Chinese or other: Other ethnic group" },
};

/* 'Other ethnicity' names the Other group, as 'Other ethnic group'
 * does. */
static const char *const other_group_names[] = {
	"Other ethnicity", "Other ethnic origin", "Other ethnic groups",
};

/*
 * The identities of White British: a label of the White group's name and
 * any of them, in any order, is White British ('White: Welsh, English or
 * British'), and so is a list of two or more of them alone.
 */
static const char *const british_identities[] = {
	"english", "welsh", "scottish", "northern irish", "british",
};

/* Extra words for an ambiguous label, after its list of categories. */
static const char why_mixed_other[] =
	", or the Mixed and Other ethnic groups combined ('Mixed/Other')";
static const char why_gypsy_roma[] =
	": DfE's 'Gypsy/Roma' is one category that cannot be split between "
	"them";
static const char why_grt[] =
	": 'Gypsy, Roma and Traveller' is one combined category that cannot "
	"be split between them";

static const char why_ons_8[] =
	": ONS's 8-category classification joins them in one category";

struct special_name {
	const char *name;
	enum entry_kind kind;
	uint32_t candidates;
	const char *why;
};

/* Laid over the generated labels, replacing whatever they produced. */
static const struct special_name special_names[] = {
	{ "Other", ENTRY_AMBIGUOUS, CAND_OTHERS, "" },
	{ "Any other", ENTRY_AMBIGUOUS, CAND_OTHERS, "" },
	{ "Other background", ENTRY_AMBIGUOUS, CAND_OTHERS, "" },
	{ "Any other background", ENTRY_AMBIGUOUS, CAND_OTHERS, "" },
	/* 'Mixed or other' names two groups; 'Mixed/Other' is read in
	 * ethnicity_read.c, and 'Mixed - Other' is Other Mixed */
	{ "Mixed or other", ENTRY_AMBIGUOUS, CAND_ID(ETH_MOTH),
	  why_mixed_other },

	{ "Gypsy/Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, why_gypsy_roma },
	{ "Gypsy or Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, why_gypsy_roma },
	{ "Gypsy and Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, why_gypsy_roma },
	{ "Roma/Gypsy", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, why_gypsy_roma },
	{ "Roma or Gypsy", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, why_gypsy_roma },
	{ "White: Gypsy/Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  why_gypsy_roma },
	{ "White: Gypsy or Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  why_gypsy_roma },
	{ "Other Gypsy/Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  why_gypsy_roma },
	{ "Gypsy, Roma and Traveller", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  why_grt },
	{ "Gypsy, Roma or Traveller", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  why_grt },
	{ "Gypsy/Roma/Traveller", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, why_grt },
	{ "GRT", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, why_grt },
	/* ONS's 8-category classification joins three White categories */
	{ "White: Gypsy or Irish Traveller, Roma or Other White",
	  ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA | CAND_ID(ETH_WOTH), why_ons_8 },
	{ "Gypsy or Irish Traveller, Roma or Other White", ENTRY_AMBIGUOUS,
	  CAND_GYPSY_ROMA | CAND_ID(ETH_WOTH), why_ons_8 },

	{ "BAME", ENTRY_REFUSED, 0, NULL },
	{ "B.A.M.E.", ENTRY_REFUSED, 0, NULL },
	{ "BME", ENTRY_REFUSED, 0, NULL },
	{ "B.M.E.", ENTRY_REFUSED, 0, NULL },
	{ "Black and minority ethnic", ENTRY_REFUSED, 0, NULL },
	{ "Black, Asian and minority ethnic", ENTRY_REFUSED, 0, NULL },
	{ "Black, Asian and minority ethnic groups", ENTRY_REFUSED, 0, NULL },
	{ "Black and Asian minority ethnic", ENTRY_REFUSED, 0, NULL },
	{ "Black minority ethnic", ENTRY_REFUSED, 0, NULL },
	{ "Black and ethnic minority", ENTRY_REFUSED, 0, NULL },
	{ "Black and ethnic minorities", ENTRY_REFUSED, 0, NULL },
	{ "Black and other minority ethnic", ENTRY_REFUSED, 0, NULL },
	{ "Non-white", ENTRY_REFUSED, 0, NULL },
	{ "Nonwhite", ENTRY_REFUSED, 0, NULL },
	{ "Not white", ENTRY_REFUSED, 0, NULL },
	{ "Non-White British", ENTRY_REFUSED, 0, NULL },
	{ "Not White British", ENTRY_REFUSED, 0, NULL },
	{ "Ethnic minority", ENTRY_REFUSED, 0, NULL },
	{ "Ethnic minorities", ENTRY_REFUSED, 0, NULL },
	{ "Minority ethnic", ENTRY_REFUSED, 0, NULL },
	{ "Minority ethnic group", ENTRY_REFUSED, 0, NULL },
	{ "Minority ethnic groups", ENTRY_REFUSED, 0, NULL },
	{ "Minority ethnic pupil", ENTRY_REFUSED, 0, NULL },
	{ "Minority ethnic pupils", ENTRY_REFUSED, 0, NULL },
	{ "Ethnic minority group", ENTRY_REFUSED, 0, NULL },
	{ "Visible minority", ENTRY_REFUSED, 0, NULL },
	{ "People of colour", ENTRY_REFUSED, 0, NULL },
	{ "Person of colour", ENTRY_REFUSED, 0, NULL },
	{ "POC", ENTRY_REFUSED, 0, NULL },
	{ "BIPOC", ENTRY_REFUSED, 0, NULL },
	{ "Global majority", ENTRY_REFUSED, 0, NULL },
	{ "White minority", ENTRY_REFUSED, 0, NULL },
	{ "White minorities", ENTRY_REFUSED, 0, NULL },
	{ "Other than White", ENTRY_REFUSED, 0, NULL },
	{ "Other than White British", ENTRY_REFUSED, 0, NULL },
	{ "All other ethnic groups", ENTRY_REFUSED, 0, NULL },
	{ "All other ethnic groups combined", ENTRY_REFUSED, 0, NULL },
	{ "Non-British", ENTRY_REFUSED, 0, NULL },
	{ "Not British", ENTRY_REFUSED, 0, NULL },
	/* 2001's group joined Chinese (now Asian) with the Other group */
	{ "Chinese or other ethnic group", ENTRY_REFUSED, 0, NULL },
	{ "Chinese or other ethnic groups", ENTRY_REFUSED, 0, NULL },
	{ "Chinese or other", ENTRY_REFUSED, 0, NULL },
};

/* ---- normalisation ---- */

/* Append one byte, keeping count of the full length even when it does not
 * fit. A pending space is written first, unless at the start. */
static void put_byte(char *out, size_t size, size_t *n, bool *space, char c)
{
	if (*space && *n > 0) {
		if (*n + 1 < size)
			out[*n] = ' ';
		(*n)++;
	}
	*space = false;
	if (*n + 1 < size)
		out[*n] = c;
	(*n)++;
}

/* What normalisation does with the character at a position. */
enum fold {
	FOLD_KEEP,     /* copy the byte (lower-cased if an ASCII letter) */
	FOLD_SEPARATE, /* spacing or punctuation: one space at most */
	FOLD_DROP,     /* an apostrophe: "Don't" is "dont" */
	FOLD_AND       /* '&' is the word "and" */
};

/* How to fold the character at `s`; `*width` is its length in bytes. */
static enum fold fold_at(const unsigned char *s, size_t *width)
{
	unsigned c = s[0];

	*width = 1;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return FOLD_KEEP;
	if (c == '&')
		return FOLD_AND;
	if (c == '\'')
		return FOLD_DROP;
	if (c < 0x80)
		return FOLD_SEPARATE;
	if (c == 0xC2 && s[1] == 0xA0) {
		*width = 2; /* no-break space */
		return FOLD_SEPARATE;
	}
	if (c == 0xE2 && s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x99) {
		*width = 3;
		/* U+2010..U+2015 hyphens and dashes; U+2018, U+2019 curly
		 * apostrophes; U+2016, U+2017 other punctuation */
		return s[2] >= 0x98 ? FOLD_DROP : FOLD_SEPARATE;
	}
	if (c == 0xE2 && s[1] == 0x88 && s[2] == 0x92) {
		*width = 3; /* minus sign */
		return FOLD_SEPARATE;
	}
	return FOLD_KEEP;
}

size_t eth_normalise(const char *label, char *out, size_t size)
{
	const unsigned char *s;
	size_t n = 0, width;
	bool space = false;

	if (!label)
		label = "";
	s = (const unsigned char *)label;
	while (*s) {
		switch (fold_at(s, &width)) {
		case FOLD_KEEP:
			put_byte(out, size, &n, &space,
				 (char)(*s >= 'A' && *s <= 'Z' ?
					*s - 'A' + 'a' : *s));
			break;
		case FOLD_SEPARATE:
			space = true;
			break;
		case FOLD_DROP:
			break;
		case FOLD_AND:
			space = true;
			put_byte(out, size, &n, &space, 'a');
			put_byte(out, size, &n, &space, 'n');
			put_byte(out, size, &n, &space, 'd');
			space = true;
			break;
		}
		s += width;
	}
	if (size > 0)
		out[n < size ? n : size - 1] = '\0';
	return n;
}

void ethnicity_normalise(const char *label, char *out, size_t size)
{
	eth_normalise(label, out, size);
}

static int compare_words(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define BAG_WORDS 64

void eth_bag_key(const char *key, char *out, size_t size)
{
	char copy[NORM_MAX];
	char *words[BAG_WORDS], *p;
	size_t n = 0, k, used = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	if (strlen(key) >= sizeof(copy))
		return;
	memcpy(copy, key, strlen(key) + 1);
	for (p = copy; *p;) {
		if (n == BAG_WORDS)
			return;
		words[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	qsort(words, n, sizeof(words[0]), compare_words);
	for (k = 0; k < n; k++) {
		size_t len = strlen(words[k]);

		if (k > 0 && strcmp(words[k], words[k - 1]) == 0)
			continue;
		if (used + len + 2 > size) {
			out[0] = '\0';
			return;
		}
		if (used > 0)
			out[used++] = ' ';
		memcpy(out + used, words[k], len);
		used += len;
		out[used] = '\0';
	}
}

/* ---- hash tables ---- */

struct entry *eth_find_slot(struct table *t, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (t->cap - 1);

	while (t->slots[i].key) {
		if (t->slots[i].hash == h && strcmp(t->slots[i].key, key) == 0)
			return &t->slots[i];
		i = (i + 1) & (t->cap - 1);
	}
	return &t->slots[i];
}

const struct entry *eth_lookup(const struct table *t, const char *key)
{
	uint64_t h;
	size_t i;

	if (t->cap == 0)
		return NULL;
	h = hash_string(key);
	i = (size_t)h & (t->cap - 1);
	while (t->slots[i].key) {
		if (t->slots[i].hash == h && strcmp(t->slots[i].key, key) == 0)
			return t->slots[i].kind == ENTRY_EMPTY ? NULL
							     : &t->slots[i];
		i = (i + 1) & (t->cap - 1);
	}
	return NULL;
}

static void grow_table(struct table *t)
{
	struct entry *old = t->slots;
	size_t old_cap = t->cap, k;

	t->cap = old_cap ? old_cap * 2 : 64;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	for (k = 0; k < old_cap; k++)
		if (old[k].key)
			*eth_find_slot(t, old[k].key, old[k].hash) = old[k];
	free(old);
}

struct entry *eth_entry_for(struct table *t, const char *key)
{
	uint64_t h = hash_string(key);
	struct entry *e;

	if ((t->count + 1) * 2 > t->cap)
		grow_table(t);
	e = eth_find_slot(t, key, h);
	if (!e->key) {
		e->key = xstrdup(key);
		e->hash = h;
		e->kind = ENTRY_EMPTY;
		t->count++;
	}
	return e;
}

static void table_free(struct table *t)
{
	size_t k;

	for (k = 0; k < t->cap; k++)
		free(t->slots[k].key);
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}

const struct entry *eth_find(const struct ethnicity_classifier *c,
			     const char *key)
{
	const struct entry *e = NULL;

	if (c->system != ETH_CODES_NONE)
		e = eth_lookup(&c->wordings[c->system], key);
	return e ? e : eth_lookup(&c->labels, key);
}

/* ---- readings as candidate bits ---- */

size_t eth_count_bits(uint32_t v)
{
	size_t n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

uint32_t eth_group_bits(enum ethnicity_group g)
{
	uint32_t bits = 0;
	int id;

	for (id = 0; id < ETH_COUNT; id++)
		if (categories[id].group == g)
			bits |= CAND_ID(id);
	return bits;
}

uint32_t eth_expand(uint32_t candidates)
{
	uint32_t bits = candidates & ((1u << CAND_GROUP_BASE) - 1);
	unsigned g;

	for (g = 0; g < ETH_GROUP_COUNT; g++)
		if (candidates & CAND_GROUP(g))
			bits |= eth_group_bits((enum ethnicity_group)g);
	return bits;
}

uint32_t eth_candidates(const struct entry *e)
{
	switch (e->kind) {
	case ENTRY_MATCH:
		return e->id >= 0 ? CAND_ID(e->id) : CAND_GROUP(e->group);
	case ENTRY_AMBIGUOUS:
		return e->candidates;
	case ENTRY_EMPTY:
	case ENTRY_REFUSED:
		break;
	}
	return 0;
}

void eth_reading(struct entry *out, uint32_t candidates,
		 enum ethnicity_rule rule)
{
	unsigned bit;

	memset(out, 0, sizeof(*out));
	out->rule = rule;
	out->why = "";
	out->id = -1;
	if (candidates == 0)
		return;
	if (eth_count_bits(candidates) > 1) {
		out->kind = ENTRY_AMBIGUOUS;
		out->candidates = candidates;
		return;
	}
	for (bit = 0; !(candidates & (1u << bit)); bit++)
		;
	if (bit < ETH_COUNT) {
		out->kind = ENTRY_MATCH;
		out->id = (int)bit;
		out->group = categories[bit].group;
	} else if (bit >= CAND_GROUP_BASE &&
		   bit - CAND_GROUP_BASE < ETH_GROUP_COUNT) {
		out->kind = ENTRY_MATCH;
		out->group = (enum ethnicity_group)(bit - CAND_GROUP_BASE);
	}
}

/* ---- building the classifier ---- */

/*
 * Add a reading of `name` to table `t`. A second, different reading of the
 * same normalised string makes it ambiguous; a refused label stays
 * refused. A label is from 2011 only when every way of producing it is a
 * 2011 form; it is built in when any way of producing it is.
 */
static void add_reading(struct table *t, const char *key,
			const struct entry *r)
{
	struct entry *e = eth_entry_for(t, key);

	switch (e->kind) {
	case ENTRY_EMPTY: {
		char *k = e->key;
		uint64_t h = e->hash;

		*e = *r;
		e->key = k;
		e->hash = h;
		return;
	}
	case ENTRY_MATCH:
		if (r->kind == ENTRY_MATCH && e->id == r->id &&
		    e->group == r->group) {
			e->from_2011 = e->from_2011 && r->from_2011;
			e->suggest = e->suggest || r->suggest;
			if (r->rule == ETH_RULE_BUILT_IN)
				e->rule = ETH_RULE_BUILT_IN;
			if (!e->note)
				e->note = r->note;
			return;
		}
		break;
	case ENTRY_AMBIGUOUS:
		break;
	case ENTRY_REFUSED:
		return;
	}
	if (r->kind == ENTRY_REFUSED) {
		e->kind = ENTRY_REFUSED;
		e->why = r->why;
		return;
	}
	e->candidates = eth_candidates(e) | eth_candidates(r);
	e->kind = ENTRY_AMBIGUOUS;
	e->id = -1;
	e->note = NULL;
	e->why = "";
	if (r->rule == ETH_RULE_BUILT_IN)
		e->rule = ETH_RULE_BUILT_IN;
}

static void add_builtin(struct ethnicity_classifier *c, const char *name,
			int id, enum ethnicity_group group, bool from_2011,
			bool suggest)
{
	char key[NORM_MAX];
	struct entry r;

	if (eth_normalise(name, key, sizeof(key)) >= sizeof(key))
		return; /* no built-in name is that long */
	eth_reading(&r, id >= 0 ? CAND_ID(id) : CAND_GROUP(group),
		    ETH_RULE_BUILT_IN);
	r.from_2011 = from_2011;
	r.suggest = suggest;
	add_reading(&c->labels, key, &r);
}

/* A row of the reference data as a reading. */
static void ref_reading(struct entry *r, const struct eth_ref_row *row,
			enum ethnicity_rule rule)
{
	eth_reading(r, row->merged ? 0 : row->candidates, rule);
	if (row->merged) {
		r->kind = ENTRY_REFUSED;
		r->why = NULL;
	} else if (r->kind == ENTRY_MATCH) {
		r->note = row->note;
	} else {
		r->why = row->why ? row->why : "";
	}
	r->code = row->code;
	r->text = row->label;
}

static void add_ref_labels(struct ethnicity_classifier *c,
			   const struct eth_ref_list *list,
			   enum ethnicity_rule rule)
{
	char key[NORM_MAX];
	size_t k;

	for (k = 0; k < list->count; k++) {
		struct entry r;

		if (eth_normalise(list->rows[k].label, key, sizeof(key)) >=
		    sizeof(key))
			continue;
		ref_reading(&r, &list->rows[k], rule);
		add_reading(&c->labels, key, &r);
	}
}

/* The code lists, each in its own tables; parity's own codes too. */
static void add_codes(struct ethnicity_classifier *c,
		      const struct eth_ref_list *lists)
{
	char key[NORM_MAX];
	size_t k;
	int s;

	for (k = 0; k < ETH_COUNT; k++) {
		struct entry r;

		eth_reading(&r, CAND_ID(k), ETH_RULE_CODE_SYSTEM);
		r.code = categories[k].code;
		r.text = categories[k].label;
		eth_normalise(categories[k].code, key, sizeof(key));
		add_reading(&c->codes[ETH_CODES_NONE], key, &r);
	}
	for (k = 0; k < ETHNICITY_HIGH_COUNT; k++) {
		struct entry r;

		eth_reading(&r, CAND_GROUP(k), ETH_RULE_CODE_SYSTEM);
		r.code = groups[k].code;
		r.text = groups[k].label;
		eth_normalise(groups[k].code, key, sizeof(key));
		add_reading(&c->codes[ETH_CODES_NONE], key, &r);
	}
	for (s = ETH_CODES_NHS; s < ETH_CODE_SYSTEM_COUNT; s++) {
		const struct eth_ref_list *list =
			&lists[eth_ref_of((enum ethnicity_code_system)s)];
		/* lists without Roma: their Other White holds Roma people */
		bool no_roma = s == ETH_CODES_NHS || s == ETH_CODES_POLICE_SDE;

		for (k = 0; k < list->count; k++) {
			const struct eth_ref_row *row = &list->rows[k];
			struct entry r;

			ref_reading(&r, row, ETH_RULE_CODE_SYSTEM);
			r.from_2011 = no_roma;
			if (row->code) {
				eth_normalise(row->code, key, sizeof(key));
				if (!eth_lookup(&c->codes[s], key))
					add_reading(&c->codes[s], key, &r);
			}
			if (eth_normalise(row->label, key, sizeof(key)) <
			    sizeof(key))
				add_reading(&c->wordings[s], key, &r);
		}
	}
}

static void join_names(char *out, size_t size, const char *a, const char *b)
{
	snprintf(out, size, "%s %s", a, b);
}

/* A category's name, joined with every name of its group. */
static void add_category_name(struct ethnicity_classifier *c,
			      enum ethnicity_id id, bool alone,
			      const char *cname, bool suggest)
{
	char name[NORM_MAX * 2];
	enum ethnicity_group group = categories[id].group;
	size_t g;

	if (alone)
		add_builtin(c, cname, (int)id, group, false, suggest);
	for (g = 0; g < sizeof(group_names) / sizeof(group_names[0]); g++) {
		if (group_names[g].group != group)
			continue;
		join_names(name, sizeof(name), group_names[g].name, cname);
		add_builtin(c, name, (int)id, group,
			    group_names[g].flags & GROUP_2011, suggest);
	}
}

static void add_builtins(struct ethnicity_classifier *c)
{
	char name[NORM_MAX * 2];
	size_t k;

	for (k = 0; k < sizeof(group_names) / sizeof(group_names[0]); k++)
		if (group_names[k].flags & GROUP_BARE)
			add_builtin(c, group_names[k].name, -1,
				    group_names[k].group,
				    group_names[k].flags & GROUP_2011, true);
	for (k = 0; k < sizeof(category_names) / sizeof(category_names[0]);
	     k++) {
		const struct category_name *cn = &category_names[k];

		if (cn->flags & CAT_QUIET) {
			/* 'English' alone does not change suggestions, as
			 * 'White English' does not */
			add_category_name(c, cn->id, false, cn->name, true);
			add_builtin(c, cn->name, (int)cn->id,
				    categories[cn->id].group, false, false);
			continue;
		}
		add_category_name(c, cn->id, cn->flags & CAT_ALONE, cn->name,
				  true);
	}
	for (k = 0; k < sizeof(british_forms) / sizeof(british_forms[0]);
	     k++) {
		const char *label = categories[british_forms[k]].label;

		snprintf(name, sizeof(name), "%s British", label);
		add_category_name(c, british_forms[k], true, name, false);
		snprintf(name, sizeof(name), "British %s", label);
		add_category_name(c, british_forms[k], true, name, false);
	}
	/* The official labels themselves, so that none depends on the lists. */
	for (k = 0; k < ETHNICITY_DETAILED_COUNT; k++) {
		add_builtin(c, categories[k].full_label, (int)k,
			    categories[k].group, false, true);
		add_builtin(c, categories[k].question_label, (int)k,
			    categories[k].group, false, true);
	}
	for (k = 0; k < ETH_GROUP_OTHER + 1; k++)
		add_builtin(c, groups[k].label, -1, (enum ethnicity_group)k,
			    false, true);
	for (k = 0; k < sizeof(other_group_names) /
			sizeof(other_group_names[0]); k++)
		add_builtin(c, other_group_names[k], -1, ETH_GROUP_OTHER,
			    false, false);
	/*
	 * The 2011 labels as the Census tables print them. 2011 Other White
	 * also held Roma, but a label cannot say which: it is read as Other
	 * White (docs/classification.md).
	 */
	for (k = 0; k < ETHNICITY_2011_COUNT; k++) {
		const struct ethnicity_2011_category *c11 = &categories_2011[k];
		enum ethnicity_id id = c11->maps_to[c11->maps_to_count - 1];

		snprintf(name, sizeof(name), "%s: %s", c11->group_label,
			 c11->label);
		add_builtin(c, name, (int)id, categories[id].group, true, true);
	}
	for (k = 0; k < sizeof(plain_names) / sizeof(plain_names[0]); k++)
		add_builtin(c, plain_names[k].name, (int)plain_names[k].id,
			    categories[plain_names[k].id].group, false, true);
	for (k = 0; k < sizeof(more_plain_names) /
			sizeof(more_plain_names[0]); k++)
		add_builtin(c, more_plain_names[k].name,
			    (int)more_plain_names[k].id,
			    categories[more_plain_names[k].id].group, false,
			    false);
	for (k = 0; k < sizeof(special_names) / sizeof(special_names[0]);
	     k++) {
		char key[NORM_MAX];
		struct entry *e;
		char *kept;
		uint64_t h;

		eth_normalise(special_names[k].name, key, sizeof(key));
		e = eth_entry_for(&c->labels, key);
		kept = e->key;
		h = e->hash;
		memset(e, 0, sizeof(*e));
		e->key = kept;
		e->hash = h;
		e->kind = special_names[k].kind;
		e->id = -1;
		e->rule = ETH_RULE_BUILT_IN;
		e->candidates = special_names[k].candidates;
		e->why = special_names[k].why;
	}
}

/*
 * Every label by its bag of words, so that 'White: White British' and
 * 'British, White' read as 'White British' does; and White British as the
 * White group with any of its identities.
 */
static void add_bags(struct ethnicity_classifier *c)
{
	char bag[NORM_MAX], name[96];
	const size_t ids = sizeof(british_identities) /
			   sizeof(british_identities[0]);
	unsigned set;
	size_t k;

	for (k = 0; k < c->labels.cap; k++) {
		const struct entry *e = &c->labels.slots[k];
		struct entry r;

		if (!e->key || e->kind == ENTRY_EMPTY)
			continue;
		eth_bag_key(e->key, bag, sizeof(bag));
		if (!bag[0])
			continue;
		r = *e;
		r.key = NULL;
		add_reading(&c->bags, bag, &r);
	}
	for (set = 1; set < (1u << ids); set++) {
		size_t used = 0, n = 0, j;
		int with_or;

		for (j = 0; j < ids; j++) {
			if (!(set & (1u << j)))
				continue;
			used += (size_t)snprintf(name + used,
						 sizeof(name) - used, "%s%s",
						 used ? " " : "",
						 british_identities[j]);
			n++;
		}
		for (with_or = 0; with_or < 2; with_or++) {
			char full[NORM_MAX];
			struct entry r;

			eth_reading(&r, CAND_ID(ETH_WBRI), ETH_RULE_BUILT_IN);
			snprintf(full, sizeof(full), "white %s%s", name,
				 with_or ? " or" : "");
			eth_bag_key(full, bag, sizeof(bag));
			add_reading(&c->bags, bag, &r);
			if (n >= 2) {
				snprintf(full, sizeof(full), "%s%s", name,
					 with_or ? " or" : "");
				eth_bag_key(full, bag, sizeof(bag));
				add_reading(&c->bags, bag, &r);
			}
		}
	}
}

int ethnicity_classifier_new(struct ethnicity_classifier **out,
			     struct parity_error *err)
{
	const struct eth_ref_list *lists;
	struct ethnicity_classifier *c;

	*out = NULL;
	if (eth_ref_lists(&lists, err) < 0)
		return -1;
	c = xcalloc(1, sizeof(*c));
	c->memory_source = SIZE_MAX; /* "an earlier alias" */
	add_builtins(c);
	add_ref_labels(c, &lists[ETH_REF_DFE_OPEN_DATA], ETH_RULE_BUILT_IN);
	add_ref_labels(c, &lists[ETH_REF_WRITE_INS], ETH_RULE_WRITE_IN);
	add_bags(c);
	add_codes(c, lists);
	*out = c;
	return 0;
}

void ethnicity_classifier_set_code_system(struct ethnicity_classifier *c,
					  enum ethnicity_code_system system)
{
	if ((unsigned)system < ETH_CODE_SYSTEM_COUNT)
		c->system = system;
}

enum ethnicity_code_system
ethnicity_classifier_code_system(const struct ethnicity_classifier *c)
{
	return c->system;
}

void ethnicity_classifier_free(struct ethnicity_classifier *c)
{
	size_t k;

	if (!c)
		return;
	table_free(&c->labels);
	table_free(&c->bags);
	for (k = 0; k < ETH_CODE_SYSTEM_COUNT; k++) {
		table_free(&c->codes[k]);
		table_free(&c->wordings[k]);
	}
	eth_alias_sources_free(c);
	free(c);
}

/* ---- messages ---- */

/*
 * Copy `label` (not NULL) into `out` for quoting in a message: control
 * characters become spaces, and a label longer than QUOTE_MAX bytes is cut
 * at a character boundary and marked with "...".
 */
void eth_quote_label(const char *label, char *out, size_t size)
{
	size_t n = 0, k;
	const unsigned char *s = (const unsigned char *)label;

	for (k = 0; s[k] && n + 4 < size; k++) {
		if (k >= QUOTE_MAX && (s[k] & 0xC0) != 0x80) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		out[n++] = s[k] < 0x20 || s[k] == 0x7F ? ' ' : (char)s[k];
	}
	out[n] = '\0';
}

void eth_describe_candidate(struct strbuf *sb, unsigned bit)
{
	if (bit < ETH_COUNT)
		strbuf_addf(sb, "%s (%s)", categories[bit].label,
			    categories[bit].code);
	else if (bit >= CAND_GROUP_BASE &&
		 bit - CAND_GROUP_BASE < ETH_GROUP_COUNT)
		strbuf_addf(sb, "%s (high-level group %s)",
			    groups[bit - CAND_GROUP_BASE].label,
			    groups[bit - CAND_GROUP_BASE].code);
}

void eth_describe_candidates(struct strbuf *sb, uint32_t candidates)
{
	size_t total = eth_count_bits(candidates), done = 0;
	unsigned bit;

	for (bit = 0; bit < 32; bit++) {
		if (!(candidates & (1u << bit)))
			continue;
		if (done > 0)
			strbuf_addstr(sb, done + 1 == total ? " or " : ", ");
		eth_describe_candidate(sb, bit);
		done++;
	}
}

static int ambiguous_error(const struct entry *e, const char *label,
			   struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char quoted[QUOTE_MAX + 8];

	eth_quote_label(label, quoted, sizeof(quoted));
	strbuf_addf(&sb, "ambiguous ethnicity label '%s': could be ", quoted);
	eth_describe_candidates(&sb, e->candidates);
	strbuf_addf(&sb, "%s; add it to an alias file to say which",
		    e->why ? e->why : "");
	parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int refused_error(const char *label, struct parity_error *err)
{
	char quoted[QUOTE_MAX + 8];

	eth_quote_label(label, quoted, sizeof(quoted));
	return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				"ethnicity label '%s' merges several ethnic "
				"groups and cannot be classified: record the "
				"detailed ethnic group instead (parity never "
				"uses 'BAME' or similar terms)", quoted);
}

/*
 * Edit distance (optimal string alignment: insertions, deletions,
 * substitutions and swaps of neighbours each cost 1), in bytes. Both
 * strings are shorter than NORM_MAX.
 */
static size_t edit_distance(const char *a, size_t la, const char *b,
			    size_t lb)
{
	size_t rows[3][NORM_MAX + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2], *t;
	size_t i, j;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

#define SUGGESTIONS 3
/* Suggestions are categories or groups, numbered as candidate bits. */
#define SUGGEST_SLOTS (CAND_GROUP_BASE + ETH_GROUP_OTHER + 1)

/* Ties go to categories first, then groups, then the non-declared states. */
static const unsigned char suggest_order[] = {
	ETH_WBRI, ETH_WIRI, ETH_WGYP, ETH_WROM, ETH_WOTH,
	ETH_MWBC, ETH_MWBA, ETH_MWAS, ETH_MOTH,
	ETH_AIND, ETH_APKN, ETH_ABAN, ETH_ACHN, ETH_AOTH,
	ETH_BCRB, ETH_BAFR, ETH_BOTH, ETH_OARB, ETH_OOTH,
	CAND_GROUP_BASE + ETH_GROUP_WHITE, CAND_GROUP_BASE + ETH_GROUP_MIXED,
	CAND_GROUP_BASE + ETH_GROUP_ASIAN, CAND_GROUP_BASE + ETH_GROUP_BLACK,
	CAND_GROUP_BASE + ETH_GROUP_OTHER,
	ETH_NOT_KNOWN, ETH_PREFER_NOT_TO_SAY,
};

/*
 * The categories (and high-level groups) closest to normalised `key`: for
 * each, the smallest edit distance to any name suggestions are drawn from
 * (the categories' and groups' names, the standard wordings and the
 * aliases); then the nearest three, ties going as suggest_order says.
 * `exact_id`, when not -1, is put first. Fills `out` with candidate bit
 * numbers.
 */
static size_t closest_categories(const struct ethnicity_classifier *c,
				 const char *key, int exact_id,
				 unsigned out[SUGGESTIONS])
{
	size_t best[SUGGEST_SLOTS];
	size_t lk = strlen(key), k, n = 0;

	for (k = 0; k < SUGGEST_SLOTS; k++)
		best[k] = SIZE_MAX;
	for (k = 0; k < c->labels.cap; k++) {
		const struct entry *e = &c->labels.slots[k];
		size_t le, lower, d, slot;

		if (!e->key || e->kind != ENTRY_MATCH || !e->suggest)
			continue;
		slot = e->id >= 0 ? (size_t)e->id
				  : CAND_GROUP_BASE + (size_t)e->group;
		le = strlen(e->key);
		lower = le > lk ? le - lk : lk - le;
		if (lower >= best[slot])
			continue;
		d = edit_distance(key, lk, e->key, le);
		if (d < best[slot])
			best[slot] = d;
	}
	if (exact_id >= 0)
		best[exact_id] = 0;
	while (n < SUGGESTIONS) {
		size_t pick = SIZE_MAX, i;

		for (i = 0; i < sizeof(suggest_order) / sizeof(suggest_order[0]);
		     i++) {
			k = suggest_order[i];
			if (best[k] != SIZE_MAX &&
			    (pick == SIZE_MAX || best[k] < best[pick]))
				pick = k;
		}
		if (pick == SIZE_MAX)
			break;
		out[n++] = (unsigned)pick;
		best[pick] = SIZE_MAX;
	}
	return n;
}

/* The write-in nearest `key`, if it is within a quarter of its length. */
static const struct entry *near_write_in(const struct ethnicity_classifier *c,
					 const char *key)
{
	const struct entry *best = NULL;
	size_t lk = strlen(key), best_d = lk / 4 + 1, k;

	for (k = 0; k < c->labels.cap; k++) {
		const struct entry *e = &c->labels.slots[k];
		size_t le, d;

		if (!e->key || e->rule != ETH_RULE_WRITE_IN || !e->text ||
		    (e->kind != ENTRY_MATCH && e->kind != ENTRY_AMBIGUOUS))
			continue;
		le = strlen(e->key);
		if ((le > lk ? le - lk : lk - le) >= best_d)
			continue;
		d = edit_distance(key, lk, e->key, le);
		if (d > 0 && d < best_d) {
			best_d = d;
			best = e;
		}
	}
	return best;
}

/* "; 'WROM' is a code: Roma (WROM) in parity's own codes, Gypsy/Roma in
 * the DfE school census list (dfe); ..." when `key` is a bare code. */
static void code_hint(const struct ethnicity_classifier *c, const char *key,
		      const char *quoted, struct strbuf *sb)
{
	size_t found = 0;
	int s;

	for (s = 0; s < ETH_CODE_SYSTEM_COUNT; s++) {
		const struct entry *e = eth_lookup(&c->codes[s], key);

		if (!e)
			continue;
		strbuf_addf(sb, found++ ? ", " : "; '%s' is a code: ", quoted);
		if (s == ETH_CODES_NONE)
			eth_describe_candidates(sb, eth_candidates(e));
		else
			strbuf_addstr(sb, e->text);
		strbuf_addf(sb, " in %s",
			    eth_code_system_title((enum ethnicity_code_system)s));
	}
	if (found)
		strbuf_addstr(sb, "; a code on its own is read only under its "
			      "code system, or when an alias maps it");
}

static int unknown_error(const struct ethnicity_classifier *c,
			 const char *label, const char *key,
			 struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char quoted[QUOTE_MAX + 8];
	unsigned near[SUGGESTIONS];
	const struct entry *w;
	int code = ethnicity_find_code(label);
	size_t n, k;

	eth_quote_label(label, quoted, sizeof(quoted));
	strbuf_addf(&sb, "unknown ethnicity label '%s'", quoted);
	n = closest_categories(c, key, code, near);
	for (k = 0; k < n; k++) {
		strbuf_addstr(&sb, k == 0 ? ": closest categories are " : ", ");
		eth_describe_candidate(&sb, near[k]);
	}
	w = near_write_in(c, key);
	if (w) {
		strbuf_addf(&sb, "; the nearest write-in is '%s' (", w->text);
		eth_describe_candidates(&sb, eth_candidates(w));
		strbuf_addch(&sb, ')');
	}
	code_hint(c, key, quoted, &sb);
	parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* ---- classifying ---- */

static const char *const rule_names[] = {
	[ETH_RULE_BUILT_IN] = "built-in",
	[ETH_RULE_CODE_SYSTEM] = "code system",
	[ETH_RULE_WRITE_IN] = "write-in",
	[ETH_RULE_ALIAS] = "alias",
};

const char *ethnicity_rule_name(enum ethnicity_rule rule)
{
	if ((unsigned)rule >= sizeof(rule_names) / sizeof(rule_names[0]))
		return NULL;
	return rule_names[rule];
}

/* Give reading `e` as the match, or its error. */
static int give(const struct entry *e, const char *label,
		struct ethnicity_match *out, struct parity_error *err)
{
	switch (e->kind) {
	case ENTRY_MATCH:
		out->id = e->id;
		out->group = e->group;
		out->from_2011 = e->from_2011;
		out->rule = e->rule;
		out->from_alias = e->rule == ETH_RULE_ALIAS;
		out->note = e->note;
		return 0;
	case ENTRY_AMBIGUOUS:
		return ambiguous_error(e, label, err);
	case ENTRY_REFUSED:
		return refused_error(label, err);
	case ENTRY_EMPTY:
		break;
	}
	return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
				"ethnicity classifier entry in a bad state");
}

int ethnicity_classify(const struct ethnicity_classifier *c, const char *label,
		       struct ethnicity_match *out, struct parity_error *err)
{
	char key[NORM_MAX];
	size_t len = eth_normalise(label, key, sizeof(key));
	const struct entry *e;
	struct entry r;
	int rc;

	if (len == 0) {
		out->id = ETH_NOT_KNOWN;
		out->group = ETH_GROUP_NOT_KNOWN;
		out->from_2011 = false;
		out->from_alias = false;
		out->rule = ETH_RULE_BUILT_IN;
		out->note = NULL;
		return 0;
	}
	if (len >= sizeof(key))
		return unknown_error(c, label, key, err);
	/* an alias comes first; then the code system's own codes */
	e = eth_lookup(&c->labels, key);
	if (e && e->rule == ETH_RULE_ALIAS)
		return give(e, label, out, err);
	if (c->system != ETH_CODES_NONE) {
		const struct entry *ce = eth_lookup(&c->codes[c->system], key);

		if (ce)
			return give(ce, label, out, err);
	}
	rc = eth_read_label(c, label, key, eth_find(c, key), &r, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return unknown_error(c, label, key, err);
	return give(&r, label, out, err);
}
