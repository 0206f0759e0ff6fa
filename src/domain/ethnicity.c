/*
 * ethnicity.c - the ethnicity classifications, their output levels, and the
 * matching of the labels councils' systems use (see ethnicity.h).
 *
 * Owns: the read-only tables of the 19 Census 2021 categories, the 5
 * high-level groups, the output levels and the 2011 crosswalk; and the
 * classifier, a hash table from a normalised label to what it means.
 *
 * The classifier's built-in labels are generated when it is created rather
 * than written out one by one. Every way of naming a group ("Asian", "Asian
 * or Asian British", "Asian/Asian British", ...) is joined with every way of
 * naming each of that group's categories ("Other Asian", "Any other Asian
 * background", "Other", ...), and standalone forms ("Indian", "White and
 * Asian") are added. When two categories produce the same normalised string,
 * that string becomes ambiguous; it never goes to whichever came first.
 * Then the deliberate exceptions are laid over the top: the bare 'Other'
 * family and combined categories such as DfE's 'Gypsy/Roma' are ambiguous,
 * and 'BAME' and its relatives are refused because they merge groups.
 *
 * Classifying a label is one normalisation into a stack buffer and one hash
 * lookup, with no allocation. Only a failure does more work: it finds the
 * closest categories by edit distance, to suggest them.
 */
#include "domain/ethnicity.h"

#include "base/alloc.h"
#include "base/diag.h"
#include "base/hash.h"
#include "base/csv.h"
#include "base/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The longest normalised label that can match, plus its NUL. A longer
 * label is unknown. */
#define NORM_MAX 256

/* How much of a label is quoted back in a message. */
#define QUOTE_MAX 100

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
static const char *trim(const char *s, size_t *len)
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
	code = trim(code, &len);
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
	const char *s = trim(name ? name : "", &len);

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
	{ ETH_WBRI, 0, "English" },
	{ ETH_WBRI, 0, "Welsh" },
	{ ETH_WBRI, 0, "Scottish" },
	{ ETH_WBRI, 0, "Northern Irish" },

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
	{ ETH_BOTH, 0, "Other" },
	{ ETH_BOTH, 0, "Any other" },
	{ ETH_BOTH, 0, "Other background" },
	{ ETH_BOTH, 0, "Any other background" },

	{ ETH_OARB, CAT_ALONE, "Arab" },
	{ ETH_OOTH, CAT_ALONE, "Any other ethnic group" },
	{ ETH_OOTH, CAT_ALONE, "Any other ethnic background" },
	{ ETH_OOTH, 0, "Other" },
	{ ETH_OOTH, 0, "Any other" },
	{ ETH_OOTH, 0, "Other background" },
	{ ETH_OOTH, 0, "Any other background" },
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

/* What a normalised label means. */
enum entry_kind {
	ENTRY_EMPTY,     /* a free hash slot */
	ENTRY_MATCH,     /* one category, or one group only */
	ENTRY_AMBIGUOUS, /* several categories: the caller must say which */
	ENTRY_REFUSED    /* merges groups ('BAME'): cannot be classified */
};

/* Extra words for an ambiguous label, after its list of categories. */
enum ambiguity_note {
	NOTE_NONE,
	NOTE_MIXED_OTHER,
	NOTE_GYPSY_ROMA,
	NOTE_GRT
};

static const char *const ambiguity_notes[] = {
	[NOTE_NONE] = "",
	[NOTE_MIXED_OTHER] = ", or the Mixed and Other ethnic groups "
			     "combined ('Mixed/Other')",
	[NOTE_GYPSY_ROMA] = ": DfE's 'Gypsy/Roma' is one category that "
			    "cannot be split between them",
	[NOTE_GRT] = ": 'Gypsy, Roma and Traveller' is one combined "
		     "category that cannot be split between them",
};

/* Candidate bits: one per category id; group-only candidates above. */
#define CAND_ID(id) (1u << (id))
#define CAND_GROUP(g) (1u << (24 + (g)))
#define CAND_OTHERS (CAND_ID(ETH_WOTH) | CAND_ID(ETH_MOTH) | \
		     CAND_ID(ETH_AOTH) | CAND_ID(ETH_BOTH) | CAND_ID(ETH_OOTH))
#define CAND_GYPSY_ROMA (CAND_ID(ETH_WGYP) | CAND_ID(ETH_WROM))

struct special_name {
	const char *name;
	enum entry_kind kind;
	uint32_t candidates;
	enum ambiguity_note note;
};

/* Laid over the generated labels, replacing whatever they produced. */
static const struct special_name special_names[] = {
	{ "Other", ENTRY_AMBIGUOUS, CAND_OTHERS, NOTE_NONE },
	{ "Any other", ENTRY_AMBIGUOUS, CAND_OTHERS, NOTE_NONE },
	{ "Other background", ENTRY_AMBIGUOUS, CAND_OTHERS, NOTE_NONE },
	{ "Any other background", ENTRY_AMBIGUOUS, CAND_OTHERS, NOTE_NONE },
	/* 'Mixed - Other' and 'Mixed/Other' normalise alike */
	{ "Mixed other", ENTRY_AMBIGUOUS, CAND_ID(ETH_MOTH),
	  NOTE_MIXED_OTHER },
	{ "Mixed or other", ENTRY_AMBIGUOUS, CAND_ID(ETH_MOTH),
	  NOTE_MIXED_OTHER },

	{ "Gypsy/Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, NOTE_GYPSY_ROMA },
	{ "Gypsy or Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, NOTE_GYPSY_ROMA },
	{ "Gypsy and Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  NOTE_GYPSY_ROMA },
	{ "Roma/Gypsy", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, NOTE_GYPSY_ROMA },
	{ "Roma or Gypsy", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, NOTE_GYPSY_ROMA },
	{ "White: Gypsy/Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  NOTE_GYPSY_ROMA },
	{ "White: Gypsy or Roma", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  NOTE_GYPSY_ROMA },
	{ "Gypsy, Roma and Traveller", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  NOTE_GRT },
	{ "Gypsy, Roma or Traveller", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  NOTE_GRT },
	{ "Gypsy/Roma/Traveller", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA,
	  NOTE_GRT },
	{ "GRT", ENTRY_AMBIGUOUS, CAND_GYPSY_ROMA, NOTE_GRT },

	{ "BAME", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "B.A.M.E.", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "BME", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "B.M.E.", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Black and minority ethnic", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Black, Asian and minority ethnic", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Black, Asian and minority ethnic groups", ENTRY_REFUSED, 0,
	  NOTE_NONE },
	{ "Black and Asian minority ethnic", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Black minority ethnic", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Black and ethnic minority", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Black and ethnic minorities", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Non-white", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Nonwhite", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Not white", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Non-White British", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Not White British", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Ethnic minority", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Ethnic minorities", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Minority ethnic", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Minority ethnic group", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Ethnic minority group", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Visible minority", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "People of colour", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Person of colour", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "POC", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "BIPOC", ENTRY_REFUSED, 0, NOTE_NONE },
	{ "Global majority", ENTRY_REFUSED, 0, NOTE_NONE },
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

/*
 * Normalise `label` into `out` (see ethnicity_normalise) and return the
 * length of the whole normalised string, which may be more than fits: like
 * snprintf, a return value of `size` or more means it was cut short.
 */
static size_t normalise(const char *label, char *out, size_t size)
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
	normalise(label, out, size);
}

/* ---- the classifier ---- */

struct entry {
	char *key;            /* normalised label; NULL in a free slot */
	uint64_t hash;
	enum entry_kind kind;
	int id;               /* ENTRY_MATCH: category id, or -1 */
	enum ethnicity_group group;
	bool from_2011;
	bool from_alias;
	uint32_t candidates;  /* ENTRY_AMBIGUOUS */
	enum ambiguity_note note;
	size_t alias_file;    /* from_alias: index in alias_files */
	long alias_line;
};

struct ethnicity_classifier {
	struct entry *slots;
	size_t cap;    /* a power of two */
	size_t count;
	char **alias_files;
	size_t alias_file_count, alias_file_cap;
};

/* The slot holding `key`, or the free slot where it would go. */
static struct entry *find_slot(struct entry *slots, size_t cap,
			       const char *key, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].key) {
		if (slots[i].hash == h && strcmp(slots[i].key, key) == 0)
			return &slots[i];
		i = (i + 1) & (cap - 1);
	}
	return &slots[i];
}

static const struct entry *lookup(const struct ethnicity_classifier *c,
				  const char *key)
{
	uint64_t h = hash_string(key);
	size_t i = (size_t)h & (c->cap - 1);

	while (c->slots[i].key) {
		if (c->slots[i].hash == h && strcmp(c->slots[i].key, key) == 0)
			return &c->slots[i];
		i = (i + 1) & (c->cap - 1);
	}
	return NULL;
}

static void grow_table(struct ethnicity_classifier *c)
{
	struct entry *old = c->slots;
	size_t old_cap = c->cap, k;

	c->cap = old_cap ? old_cap * 2 : 2048;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	for (k = 0; k < old_cap; k++)
		if (old[k].key)
			*find_slot(c->slots, c->cap, old[k].key,
				   old[k].hash) = old[k];
	free(old);
}

/*
 * The entry for normalised `key`, created (kind ENTRY_EMPTY, key set) when
 * there is none. The table is kept at most half full.
 */
static struct entry *entry_for(struct ethnicity_classifier *c,
			       const char *key)
{
	uint64_t h = hash_string(key);
	struct entry *e;

	if ((c->count + 1) * 2 > c->cap)
		grow_table(c);
	e = find_slot(c->slots, c->cap, key, h);
	if (!e->key) {
		e->key = xstrdup(key);
		e->hash = h;
		e->kind = ENTRY_EMPTY;
		c->count++;
	}
	return e;
}

static uint32_t match_bit(int id, enum ethnicity_group group)
{
	return id >= 0 ? CAND_ID(id) : CAND_GROUP(group);
}

/*
 * Add a built-in reading of `name`. A second, different reading of the same
 * normalised string makes it ambiguous. A label is from 2011 only when
 * every way of producing it is a 2011 form.
 */
static void add_builtin(struct ethnicity_classifier *c, const char *name,
			int id, enum ethnicity_group group, bool from_2011)
{
	char key[NORM_MAX];
	struct entry *e;

	if (normalise(name, key, sizeof(key)) >= sizeof(key))
		return; /* no built-in name is that long */
	e = entry_for(c, key);
	switch (e->kind) {
	case ENTRY_EMPTY:
		e->kind = ENTRY_MATCH;
		e->id = id;
		e->group = group;
		e->from_2011 = from_2011;
		break;
	case ENTRY_MATCH:
		if (e->id == id && e->group == group) {
			e->from_2011 = e->from_2011 && from_2011;
			break;
		}
		e->kind = ENTRY_AMBIGUOUS;
		e->candidates = match_bit(e->id, e->group) |
				match_bit(id, group);
		e->note = NOTE_NONE;
		break;
	case ENTRY_AMBIGUOUS:
		e->candidates |= match_bit(id, group);
		break;
	case ENTRY_REFUSED:
		break;
	}
}

static void join_names(char *out, size_t size, const char *a, const char *b)
{
	snprintf(out, size, "%s %s", a, b);
}

static void add_builtins(struct ethnicity_classifier *c)
{
	char name[NORM_MAX * 2];
	size_t k, g;

	for (k = 0; k < sizeof(group_names) / sizeof(group_names[0]); k++)
		if (group_names[k].flags & GROUP_BARE)
			add_builtin(c, group_names[k].name, -1,
				    group_names[k].group,
				    group_names[k].flags & GROUP_2011);
	for (k = 0; k < sizeof(category_names) / sizeof(category_names[0]);
	     k++) {
		const struct category_name *cn = &category_names[k];
		enum ethnicity_group group = categories[cn->id].group;

		if (cn->flags & CAT_ALONE)
			add_builtin(c, cn->name, (int)cn->id, group, false);
		for (g = 0; g < sizeof(group_names) / sizeof(group_names[0]);
		     g++) {
			if (group_names[g].group != group)
				continue;
			join_names(name, sizeof(name), group_names[g].name,
				   cn->name);
			add_builtin(c, name, (int)cn->id, group,
				    group_names[g].flags & GROUP_2011);
		}
	}
	/* The official labels themselves, so that none depends on the lists. */
	for (k = 0; k < ETHNICITY_DETAILED_COUNT; k++) {
		add_builtin(c, categories[k].full_label, (int)k,
			    categories[k].group, false);
		add_builtin(c, categories[k].question_label, (int)k,
			    categories[k].group, false);
	}
	for (k = 0; k < ETH_GROUP_OTHER + 1; k++)
		add_builtin(c, groups[k].label, -1, (enum ethnicity_group)k,
			    false);
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
		add_builtin(c, name, (int)id, categories[id].group, true);
	}
	for (k = 0; k < sizeof(plain_names) / sizeof(plain_names[0]); k++)
		add_builtin(c, plain_names[k].name, (int)plain_names[k].id,
			    categories[plain_names[k].id].group, false);
	for (k = 0; k < sizeof(special_names) / sizeof(special_names[0]);
	     k++) {
		char key[NORM_MAX];
		struct entry *e;

		normalise(special_names[k].name, key, sizeof(key));
		e = entry_for(c, key);
		e->kind = special_names[k].kind;
		e->id = -1;
		e->candidates = special_names[k].candidates;
		e->note = special_names[k].note;
		e->from_2011 = false;
	}
}

int ethnicity_classifier_new(struct ethnicity_classifier **out,
			     struct parity_error *err)
{
	struct ethnicity_classifier *c = xcalloc(1, sizeof(*c));

	(void)err;
	grow_table(c);
	add_builtins(c);
	*out = c;
	return 0;
}

void ethnicity_classifier_free(struct ethnicity_classifier *c)
{
	size_t k;

	if (!c)
		return;
	for (k = 0; k < c->cap; k++)
		free(c->slots[k].key);
	free(c->slots);
	for (k = 0; k < c->alias_file_count; k++)
		free(c->alias_files[k]);
	free(c->alias_files);
	free(c);
}

/* ---- messages ---- */

/*
 * Copy `label` (not NULL) into `out` for quoting in a message: control
 * characters become spaces, and a label longer than QUOTE_MAX bytes is cut
 * at a character boundary and marked with "...".
 */
static void quote_label(const char *label, char *out, size_t size)
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

/* A candidate bit: a category id, or 24 + a group for a group only. */
static void describe_candidate(struct strbuf *sb, unsigned bit)
{
	if (bit < ETH_COUNT)
		strbuf_addf(sb, "%s (%s)", categories[bit].label,
			    categories[bit].code);
	else if (bit >= 24 && bit - 24 < ETH_GROUP_COUNT)
		strbuf_addf(sb, "%s (high-level group %s)",
			    groups[bit - 24].label, groups[bit - 24].code);
}

static size_t count_bits(uint32_t v)
{
	size_t n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* "A (X), B (Y) or C (Z)" */
static void describe_candidates(struct strbuf *sb, uint32_t candidates)
{
	size_t total = count_bits(candidates), done = 0;
	unsigned bit;

	for (bit = 0; bit < 32; bit++) {
		if (!(candidates & (1u << bit)))
			continue;
		if (done > 0)
			strbuf_addstr(sb, done + 1 == total ? " or " : ", ");
		describe_candidate(sb, bit);
		done++;
	}
}

static int ambiguous_error(const struct entry *e, const char *label,
			   struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char quoted[QUOTE_MAX + 8];

	quote_label(label, quoted, sizeof(quoted));
	strbuf_addf(&sb, "ambiguous ethnicity label '%s': could be ", quoted);
	describe_candidates(&sb, e->candidates);
	strbuf_addf(&sb, "%s; add it to an alias file to say which",
		    ambiguity_notes[e->note]);
	parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int refused_error(const char *label, struct parity_error *err)
{
	char quoted[QUOTE_MAX + 8];

	quote_label(label, quoted, sizeof(quoted));
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
#define SUGGEST_SLOTS (24 + ETH_GROUP_OTHER + 1)

/* Ties go to categories first, then groups, then the non-declared states. */
static const unsigned char suggest_order[] = {
	ETH_WBRI, ETH_WIRI, ETH_WGYP, ETH_WROM, ETH_WOTH,
	ETH_MWBC, ETH_MWBA, ETH_MWAS, ETH_MOTH,
	ETH_AIND, ETH_APKN, ETH_ABAN, ETH_ACHN, ETH_AOTH,
	ETH_BCRB, ETH_BAFR, ETH_BOTH, ETH_OARB, ETH_OOTH,
	24 + ETH_GROUP_WHITE, 24 + ETH_GROUP_MIXED, 24 + ETH_GROUP_ASIAN,
	24 + ETH_GROUP_BLACK, 24 + ETH_GROUP_OTHER,
	ETH_NOT_KNOWN, ETH_PREFER_NOT_TO_SAY,
};

/*
 * The categories (and high-level groups) closest to normalised `key`: for
 * each, the smallest edit distance to any label that reads as it; then the
 * nearest three, ties going as suggest_order says. `exact_id`, when not
 * -1, is put first. Fills `out` with candidate bit numbers.
 */
static size_t closest_categories(const struct ethnicity_classifier *c,
				 const char *key, int exact_id,
				 unsigned out[SUGGESTIONS])
{
	size_t best[SUGGEST_SLOTS];
	size_t lk = strlen(key), k, n = 0;

	for (k = 0; k < SUGGEST_SLOTS; k++)
		best[k] = SIZE_MAX;
	for (k = 0; k < c->cap; k++) {
		const struct entry *e = &c->slots[k];
		size_t le, lower, d, slot;

		if (!e->key || e->kind != ENTRY_MATCH)
			continue;
		slot = e->id >= 0 ? (size_t)e->id : 24 + (size_t)e->group;
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

static int unknown_error(const struct ethnicity_classifier *c,
			 const char *label, const char *key,
			 struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char quoted[QUOTE_MAX + 8];
	unsigned near[SUGGESTIONS];
	int code = ethnicity_find_code(label);
	size_t n, k;

	quote_label(label, quoted, sizeof(quoted));
	strbuf_addf(&sb, "unknown ethnicity label '%s'", quoted);
	n = closest_categories(c, key, code, near);
	for (k = 0; k < n; k++) {
		strbuf_addstr(&sb, k == 0 ? ": closest categories are " : ", ");
		describe_candidate(&sb, near[k]);
	}
	if (code >= 0)
		strbuf_addstr(&sb, "; a code is read as a label only when an "
			      "alias file maps it");
	parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

int ethnicity_classify(const struct ethnicity_classifier *c, const char *label,
		       struct ethnicity_match *out, struct parity_error *err)
{
	char key[NORM_MAX];
	size_t len = normalise(label, key, sizeof(key));
	const struct entry *e;

	if (len == 0) {
		out->id = ETH_NOT_KNOWN;
		out->group = ETH_GROUP_NOT_KNOWN;
		out->from_2011 = false;
		out->from_alias = false;
		return 0;
	}
	if (len >= sizeof(key))
		return unknown_error(c, label, key, err);
	e = lookup(c, key);
	if (!e || e->kind == ENTRY_EMPTY)
		return unknown_error(c, label, key, err);
	switch (e->kind) {
	case ENTRY_MATCH:
		out->id = e->id;
		out->group = e->group;
		out->from_2011 = e->from_2011;
		out->from_alias = e->from_alias;
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

/* ---- council aliases ---- */

static bool header_is(const struct csv_field *f, const char *name)
{
	size_t len;
	const char *s = trim(f->text, &len);

	return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

static const char *id_name(int id, char *buf, size_t size)
{
	snprintf(buf, size, "%s (%s)", categories[id].label,
		 categories[id].code);
	return buf;
}

/* The category an alias names: a code, or any label already accepted. */
static int alias_category(const struct ethnicity_classifier *c,
			  const char *file, long line,
			  const struct csv_field *f, int *id,
			  struct parity_error *err)
{
	struct ethnicity_match m;
	struct parity_error sub = PARITY_ERROR_INIT;
	char quoted[QUOTE_MAX + 8];
	size_t len;

	memset(&m, 0, sizeof(m));

	trim(f->text, &len);
	if (len == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
					f->column,
					"the category is blank: give a code "
					"such as WBRI, or a category label");
	*id = ethnicity_find_code(f->text);
	if (*id >= 0)
		return 0;
	if (ethnicity_classify(c, f->text, &m, &sub) < 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
					f->column, "category: %s",
					sub.message);
	if (m.id < 0) {
		quote_label(f->text, quoted, sizeof(quoted));
		return parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
					f->column,
					"category '%s' names only a high-level "
					"group (%s): an alias must name one "
					"category", quoted,
					groups[m.group].label);
	}
	*id = m.id;
	return 0;
}

static void set_alias(struct entry *e, int id, size_t file, long line)
{
	e->kind = ENTRY_MATCH;
	e->id = id;
	e->group = categories[id].group;
	e->from_2011 = false;
	e->from_alias = true;
	e->alias_file = file;
	e->alias_line = line;
}

/* What an alias file changed, so that a file with an error changes
 * nothing. */
struct alias_undo {
	struct entry *log; /* entries as they were before the change */
	size_t count, cap;
};

static void remember(struct alias_undo *undo, const struct entry *e)
{
	undo->log = xgrow(undo->log, &undo->cap, undo->count + 1,
			  sizeof(*undo->log));
	undo->log[undo->count++] = *e;
}

static void roll_back(struct ethnicity_classifier *c, struct alias_undo *undo)
{
	while (undo->count > 0) {
		const struct entry *before = &undo->log[--undo->count];

		/* a new entry goes back to ENTRY_EMPTY, which reads as absent */
		*find_slot(c->slots, c->cap, before->key, before->hash) =
			*before;
	}
}

static int add_alias(struct ethnicity_classifier *c, size_t file_index,
		     long line, const struct csv_field *label,
		     const struct csv_field *category,
		     struct alias_undo *undo, struct parity_error *err)
{
	const char *file = c->alias_files[file_index];
	char key[NORM_MAX];
	char quoted[QUOTE_MAX + 8], want[160], have[160];
	struct strbuf sb = STRBUF_INIT;
	struct entry *e;
	size_t len;
	int id = -1;

	if (alias_category(c, file, line, category, &id, err) < 0)
		return -1;
	len = normalise(label->text, key, sizeof(key));
	quote_label(label->text, quoted, sizeof(quoted));
	if (len == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
					label->column,
					"the label is blank: a blank label "
					"always means not known");
	if (len >= sizeof(key))
		return parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
					label->column,
					"label '%s' is too long: at most %d "
					"characters", quoted, NORM_MAX - 1);
	id_name(id, want, sizeof(want));
	e = entry_for(c, key);
	switch (e->kind) {
	case ENTRY_EMPTY:
		remember(undo, e);
		set_alias(e, id, file_index, line);
		return 0;
	case ENTRY_MATCH:
		if (e->id == id)
			return 0; /* says what parity already says */
		if (e->from_alias)
			return parity_error_set(err, PARITY_ERR_VALIDATION,
				file, line, label->column,
				"alias '%s' maps to %s, but %s:%ld already "
				"maps it to %s", quoted, want,
				c->alias_files[e->alias_file], e->alias_line,
				id_name(e->id, have, sizeof(have)));
		if (e->id < 0) {
			if (e->group == categories[id].group) {
				remember(undo, e);
				set_alias(e, id, file_index, line);
				return 0;
			}
			return parity_error_set(err, PARITY_ERR_VALIDATION,
				file, line, label->column,
				"alias '%s' maps to %s, outside the high-level "
				"group it names (%s)", quoted, want,
				groups[e->group].label);
		}
		return parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
			label->column,
			"alias '%s' maps to %s, but parity reads it as %s: "
			"remove the alias or correct its category", quoted,
			want, id_name(e->id, have, sizeof(have)));
	case ENTRY_AMBIGUOUS:
		if (e->candidates & CAND_ID(id)) {
			remember(undo, e);
			set_alias(e, id, file_index, line);
			return 0;
		}
		describe_candidates(&sb, e->candidates);
		parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
				 label->column,
				 "alias '%s' maps to %s, but the label could "
				 "only be %s", quoted, want, sb.buf);
		strbuf_release(&sb);
		return -1;
	case ENTRY_REFUSED:
		return parity_error_set(err, PARITY_ERR_VALIDATION, file, line,
			label->column,
			"'%s' merges several ethnic groups: it cannot be an "
			"alias of one category", quoted);
	}
	return parity_error_set(err, PARITY_ERR_INTERNAL, file, line,
				label->column,
				"ethnicity classifier entry in a bad state");
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
	c->alias_files = xgrow(c->alias_files, &c->alias_file_cap,
			       c->alias_file_count + 1,
			       sizeof(*c->alias_files));
	file_index = c->alias_file_count++;
	c->alias_files[file_index] = xstrdup(name);

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
		if (add_alias(c, file_index, row.line, &row.fields[label_col],
			      &row.fields[category_col], &undo, &e) < 0 &&
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
