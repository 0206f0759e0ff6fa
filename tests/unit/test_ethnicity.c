/*
 * test_ethnicity.c - the ethnicity classifications and label matching:
 * every official 2021 and 2011 label and the 2001 wording, the parts of a
 * label in any order, the forms councils' systems use, the two non-declared
 * states as documented, unknown, ambiguous, contradictory and refused labels
 * with their exact messages, the code systems (NHS, DfE, police self- and
 * officer-defined) against their full lists, DfE's open-data identifiers,
 * the write-in table, council aliases from files and from memory, output
 * levels and their notes, and the 2011 crosswalk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/ethnicity.h"
#include "domain/ethnicity_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct expect {
	const char *label;
	int id;
};

static int setup(void **state)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;

	if (ethnicity_classifier_new(&c, &err) < 0)
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	ethnicity_classifier_free(*state);
	return 0;
}

/* Classify `label`, failing the test with the label named if it does not
 * give `id`. Returns the match. */
static struct ethnicity_match expect_id(const struct ethnicity_classifier *c,
					const char *label, int id)
{
	struct ethnicity_match m;
	struct parity_error err = PARITY_ERROR_INIT;

	memset(&m, 0, sizeof(m));
	if (ethnicity_classify(c, label, &m, &err) < 0)
		fail_msg("label '%s': expected id %d, got error: %s", label, id,
			 err.message);
	if (m.id != id)
		fail_msg("label '%s': expected id %d, got %d", label, id, m.id);
	return m;
}

static void expect_all(const struct ethnicity_classifier *c,
		       const struct expect *list, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		expect_id(c, list[k].label, list[k].id);
}

#define EXPECT_ALL(c, list) \
	expect_all((c), (list), sizeof(list) / sizeof((list)[0]))

/* Classify `label`, which must fail; returns the message. */
static const char *expect_error(const struct ethnicity_classifier *c,
				const char *label, struct parity_error *err)
{
	struct ethnicity_match m;

	parity_error_clear(err);
	if (ethnicity_classify(c, label, &m, err) == 0)
		fail_msg("label '%s': expected an error, got id %d", label,
			 m.id);
	assert_int_equal(err->code, PARITY_ERR_VALIDATION);
	assert_string_equal(err->file, "");
	assert_int_equal(err->line, 0);
	return err->message;
}

/* ---- tables ---- */

static void test_codes_and_order(void **state)
{
	static const char *const codes[ETH_COUNT] = {
		"WBRI", "WIRI", "WGYP", "WROM", "WOTH",
		"MWBC", "MWBA", "MWAS", "MOTH",
		"AIND", "APKN", "ABAN", "ACHN", "AOTH",
		"BCRB", "BAFR", "BOTH",
		"OARB", "OOTH", "NK", "PNS",
	};
	static const enum ethnicity_group group_of[ETH_COUNT] = {
		0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6,
	};
	int k;

	(void)state;
	assert_int_equal(ETH_COUNT, 21);
	for (k = 0; k < ETH_COUNT; k++) {
		assert_string_equal(ethnicity_category(k)->code, codes[k]);
		assert_int_equal(ethnicity_category(k)->group, group_of[k]);
		assert_int_equal(ethnicity_find_code(codes[k]), k);
		assert_int_equal(ethnicity_is_declared(k), k < 19);
	}
	assert_null(ethnicity_category(ETH_COUNT));
	assert_int_equal(ethnicity_find_code("bcrb"), ETH_BCRB);
	assert_int_equal(ethnicity_find_code(" pns "), ETH_PREFER_NOT_TO_SAY);
	assert_int_equal(ethnicity_find_code("BAME"), -1);
	assert_int_equal(ethnicity_find_code(""), -1);
	assert_int_equal(ethnicity_find_code(NULL), -1);
}

static void test_group_info(void **state)
{
	static const char *const codes[] = { "W", "M", "A", "B", "O", "NK",
					     "PNS" };
	static const char *const labels[] = {
		"White",
		"Mixed or Multiple ethnic groups",
		"Asian, Asian British or Asian Welsh",
		"Black, Black British, Black Welsh, Caribbean or African",
		"Other ethnic group",
		"Not known",
		"Prefer not to say",
	};
	int g;

	(void)state;
	for (g = 0; g < ETH_GROUP_COUNT; g++) {
		assert_string_equal(ethnicity_group_info(g)->code, codes[g]);
		assert_string_equal(ethnicity_group_info(g)->label, labels[g]);
	}
	assert_null(ethnicity_group_info(ETH_GROUP_COUNT));
}

static void test_output_and_full_labels(void **state)
{
	static const char *const labels[ETH_COUNT] = {
		"English, Welsh, Scottish, Northern Irish or British",
		"Irish", "Gypsy or Irish Traveller", "Roma", "Other White",
		"White and Black Caribbean", "White and Black African",
		"White and Asian", "Other Mixed or Multiple ethnic groups",
		"Indian", "Pakistani", "Bangladeshi", "Chinese", "Other Asian",
		"Caribbean", "African", "Other Black",
		"Arab", "Any other ethnic group",
		"Not known", "Prefer not to say",
	};
	int k;

	(void)state;
	for (k = 0; k < ETH_COUNT; k++) {
		const struct ethnicity_category *c = ethnicity_category(k);
		char full[256];

		assert_string_equal(c->label, labels[k]);
		if (k < ETHNICITY_DETAILED_COUNT)
			snprintf(full, sizeof(full), "%s: %s",
				 ethnicity_group_info(c->group)->label,
				 c->label);
		else
			snprintf(full, sizeof(full), "%s", c->label);
		assert_string_equal(c->full_label, full);
	}
	assert_string_equal(ethnicity_category(ETH_BCRB)->full_label,
			    "Black, Black British, Black Welsh, Caribbean or "
			    "African: Caribbean");
}

static void test_question_labels(void **state)
{
	(void)state;
	assert_string_equal(ethnicity_category(ETH_WBRI)->question_label,
			    "English, Welsh, Scottish, Northern Irish or "
			    "British");
	assert_string_equal(ethnicity_category(ETH_WOTH)->question_label,
			    "Any other White background");
	assert_string_equal(ethnicity_category(ETH_MOTH)->question_label,
			    "Any other Mixed or Multiple ethnic background");
	assert_string_equal(ethnicity_category(ETH_AOTH)->question_label,
			    "Any other Asian background");
	assert_string_equal(ethnicity_category(ETH_BOTH)->question_label,
			    "Any other Black, Black British, or Caribbean "
			    "background");
	assert_string_equal(ethnicity_category(ETH_OOTH)->question_label,
			    "Any other ethnic group");
	assert_string_equal(ethnicity_category(ETH_BCRB)->question_label,
			    "Caribbean");
}

/* ---- matching official labels ---- */

static void test_every_table_label_matches(void **state)
{
	const struct ethnicity_classifier *c = *state;
	int k;

	for (k = 0; k < ETH_COUNT; k++) {
		const struct ethnicity_category *cat = ethnicity_category(k);
		struct ethnicity_match m;

		m = expect_id(c, cat->label, k);
		assert_int_equal(m.group, cat->group);
		assert_false(m.from_2011);
		assert_false(m.from_alias);
		expect_id(c, cat->full_label, k);
		expect_id(c, cat->question_label, k);
	}
}

/* The column names of Census 2021 table TS021, written out. */
static void test_census_2021_output_labels(void **state)
{
	static const struct expect list[] = {
		{ "White: English, Welsh, Scottish, Northern Irish or British",
		  ETH_WBRI },
		{ "White: Irish", ETH_WIRI },
		{ "White: Gypsy or Irish Traveller", ETH_WGYP },
		{ "White: Roma", ETH_WROM },
		{ "White: Other White", ETH_WOTH },
		{ "Mixed or Multiple ethnic groups: White and Black Caribbean",
		  ETH_MWBC },
		{ "Mixed or Multiple ethnic groups: White and Black African",
		  ETH_MWBA },
		{ "Mixed or Multiple ethnic groups: White and Asian", ETH_MWAS },
		{ "Mixed or Multiple ethnic groups: Other Mixed or Multiple "
		  "ethnic groups", ETH_MOTH },
		{ "Asian, Asian British or Asian Welsh: Indian", ETH_AIND },
		{ "Asian, Asian British or Asian Welsh: Pakistani", ETH_APKN },
		{ "Asian, Asian British or Asian Welsh: Bangladeshi", ETH_ABAN },
		{ "Asian, Asian British or Asian Welsh: Chinese", ETH_ACHN },
		{ "Asian, Asian British or Asian Welsh: Other Asian", ETH_AOTH },
		{ "Black, Black British, Black Welsh, Caribbean or African: "
		  "Caribbean", ETH_BCRB },
		{ "Black, Black British, Black Welsh, Caribbean or African: "
		  "African", ETH_BAFR },
		{ "Black, Black British, Black Welsh, Caribbean or African: "
		  "Other Black", ETH_BOTH },
		{ "Other ethnic group: Arab", ETH_OARB },
		{ "Other ethnic group: Any other ethnic group", ETH_OOTH },
	};

	EXPECT_ALL(*state, list);
}

/* The England question: group headings and answer options. */
static void test_question_wording(void **state)
{
	static const struct expect list[] = {
		{ "English, Welsh, Scottish, Northern Irish or British",
		  ETH_WBRI },
		{ "English / Welsh / Scottish / Northern Irish / British",
		  ETH_WBRI },
		{ "Any other White background", ETH_WOTH },
		{ "Any other Mixed or Multiple ethnic background", ETH_MOTH },
		{ "Any other Asian background", ETH_AOTH },
		{ "Any other Black, Black British, or Caribbean background",
		  ETH_BOTH },
		{ "Any other Black, Black British or Caribbean background",
		  ETH_BOTH },
		{ "Asian or Asian British: Any other Asian background",
		  ETH_AOTH },
		{ "Black, Black British, Caribbean or African: Caribbean",
		  ETH_BCRB },
		{ "Mixed or Multiple ethnic groups: White and Asian", ETH_MWAS },
		{ "Other ethnic group: Any other ethnic group", ETH_OOTH },
	};

	EXPECT_ALL(*state, list);
}

/* The 18 column names of Census 2011 table QS201EW. */
static void test_census_2011_labels(void **state)
{
	static const struct {
		const char *label;
		int id;
		bool from_2011;
	} list[] = {
		{ "White: English/Welsh/Scottish/Northern Irish/British",
		  ETH_WBRI, false },
		{ "White: Irish", ETH_WIRI, false },
		{ "White: Gypsy or Irish Traveller", ETH_WGYP, false },
		{ "White: Other White", ETH_WOTH, false },
		{ "Mixed/multiple ethnic group: White and Black Caribbean",
		  ETH_MWBC, true },
		{ "Mixed/multiple ethnic group: White and Black African",
		  ETH_MWBA, true },
		{ "Mixed/multiple ethnic group: White and Asian", ETH_MWAS,
		  true },
		{ "Mixed/multiple ethnic group: Other Mixed", ETH_MOTH, true },
		{ "Asian/Asian British: Indian", ETH_AIND, true },
		{ "Asian/Asian British: Pakistani", ETH_APKN, true },
		{ "Asian/Asian British: Bangladeshi", ETH_ABAN, true },
		{ "Asian/Asian British: Chinese", ETH_ACHN, true },
		{ "Asian/Asian British: Other Asian", ETH_AOTH, true },
		{ "Black/African/Caribbean/Black British: African", ETH_BAFR,
		  true },
		{ "Black/African/Caribbean/Black British: Caribbean", ETH_BCRB,
		  true },
		{ "Black/African/Caribbean/Black British: Other Black",
		  ETH_BOTH, true },
		{ "Other ethnic group: Arab", ETH_OARB, false },
		{ "Other ethnic group: Any other ethnic group", ETH_OOTH,
		  false },
	};
	size_t k;

	for (k = 0; k < sizeof(list) / sizeof(list[0]); k++) {
		struct ethnicity_match m = expect_id(*state, list[k].label,
						     list[k].id);

		if (m.from_2011 != list[k].from_2011)
			fail_msg("label '%s': from_2011 is %d", list[k].label,
				 m.from_2011);
	}
}

/* The 2011 table's own labels, joined as the Census printed them. */
static void test_2011_table_labels_match(void **state)
{
	size_t k;

	for (k = 0; k < ETHNICITY_2011_COUNT; k++) {
		const struct ethnicity_2011_category *c11 =
			ethnicity_2011_category(k);
		char label[256];

		snprintf(label, sizeof(label), "%s: %s", c11->group_label,
			 c11->label);
		/* 2011 Other White is read as Other White */
		expect_id(*state, label,
			  c11->maps_to[c11->maps_to_count - 1]);
	}
}

static void test_short_and_long_forms(void **state)
{
	static const struct expect list[] = {
		{ "White British", ETH_WBRI },
		{ "WHITE - BRITISH", ETH_WBRI },
		{ "white-british", ETH_WBRI },
		{ "White - English/Welsh/Scottish/Northern Irish/British",
		  ETH_WBRI },
		{ "White: English", ETH_WBRI },
		{ "White Scottish", ETH_WBRI },
		{ "Irish", ETH_WIRI },
		{ "White Irish", ETH_WIRI },
		{ "Gypsy", ETH_WGYP },
		{ "Traveller of Irish heritage", ETH_WGYP },
		{ "Irish Traveller", ETH_WGYP },
		{ "White - Gypsy/Traveller", ETH_WGYP },
		{ "Roma", ETH_WROM },
		{ "White Roma", ETH_WROM },
		{ "Other White", ETH_WOTH },
		{ "White - Other", ETH_WOTH },
		{ "White: Any other White background", ETH_WOTH },
		{ "Mixed White and Black Caribbean", ETH_MWBC },
		{ "Mixed - White & Black Caribbean", ETH_MWBC },
		{ "White and Black Caribbean", ETH_MWBC },
		{ "Mixed: White/Black African", ETH_MWBA },
		{ "Mixed - White & Asian", ETH_MWAS },
		{ "Mixed/Multiple ethnic groups - White and Asian", ETH_MWAS },
		{ "Other Mixed", ETH_MOTH },
		{ "Mixed - Any other mixed background", ETH_MOTH },
		{ "Indian", ETH_AIND },
		{ "Asian or Asian British - Indian", ETH_AIND },
		{ "Asian British (Pakistani)", ETH_APKN },
		{ "Bangladeshi", ETH_ABAN },
		{ "Chinese", ETH_ACHN },
		{ "Other ethnic group: Chinese", ETH_ACHN },
		{ "Other Asian", ETH_AOTH },
		{ "Asian or Asian British - Any other Asian background",
		  ETH_AOTH },
		{ "Asian - Other", ETH_AOTH },
		{ "Black African", ETH_BAFR },
		{ "Black or Black British - African", ETH_BAFR },
		{ "Black Caribbean", ETH_BCRB },
		{ "Caribbean", ETH_BCRB },
		{ "Black, Black British, Black Welsh, Caribbean or African: "
		  "African", ETH_BAFR },
		{ "Other Black", ETH_BOTH },
		{ "Black - Any other Black background", ETH_BOTH },
		{ "Arab", ETH_OARB },
		{ "Other - Arab", ETH_OARB },
		{ "Any other ethnic group", ETH_OOTH },
	};

	EXPECT_ALL(*state, list);
}

static void test_case_spacing_and_separators(void **state)
{
	static const struct expect list[] = {
		{ "  black   african  ", ETH_BAFR },
		{ "BLACK: AFRICAN", ETH_BAFR },
		{ "Black/African", ETH_BAFR },
		{ "Black, African", ETH_BAFR },
		{ "Black (African)", ETH_BAFR },
		{ "Black\tAfrican", ETH_BAFR },
		{ "Black \xE2\x80\x93 African", ETH_BAFR },  /* en dash */
		{ "Black\xE2\x80\x94" "African", ETH_BAFR }, /* em dash */
		{ "Black\xC2\xA0" "African", ETH_BAFR },     /* no-break space */
		{ "Black.African", ETH_BAFR },
		{ "Mixed: White & Asian", ETH_MWAS },
		{ "Mixed: White and Asian", ETH_MWAS },
		{ "Mixed White &Asian", ETH_MWAS },
	};

	EXPECT_ALL(*state, list);
}

static void test_normalise(void **state)
{
	char out[64];

	(void)state;
	ethnicity_normalise("  WHITE - British  ", out, sizeof(out));
	assert_string_equal(out, "white british");
	ethnicity_normalise("Mixed \xE2\x80\x93 White&Asian", out, sizeof(out));
	assert_string_equal(out, "mixed white and asian");
	ethnicity_normalise("Black/African/Caribbean/Black British: African",
			    out, sizeof(out));
	assert_string_equal(out,
			    "black african caribbean black british african");
	ethnicity_normalise("N/A", out, sizeof(out));
	assert_string_equal(out, "n a");
	ethnicity_normalise("Don\xE2\x80\x99t know", out, sizeof(out));
	assert_string_equal(out, "dont know");
	ethnicity_normalise("Don't know", out, sizeof(out));
	assert_string_equal(out, "dont know");
	ethnicity_normalise(" -- ", out, sizeof(out));
	assert_string_equal(out, "");
	ethnicity_normalise(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	ethnicity_normalise("Abcdefgh", out, 6);
	assert_string_equal(out, "abcde");
	/* other non-ASCII text is kept as it is */
	ethnicity_normalise("Caf\xC3\xA9", out, sizeof(out));
	assert_string_equal(out, "caf\xC3\xA9");
}

/* ---- the two non-declared states ---- */

static void test_not_known(void **state)
{
	static const struct expect list[] = {
		{ "", ETH_NOT_KNOWN },
		{ "   ", ETH_NOT_KNOWN },
		{ "\t", ETH_NOT_KNOWN },
		{ "-", ETH_NOT_KNOWN },
		{ "Not known", ETH_NOT_KNOWN },
		{ "NOT KNOWN", ETH_NOT_KNOWN },
		{ "Unknown", ETH_NOT_KNOWN },
		{ "Not stated", ETH_NOT_KNOWN },
		{ "Not collected", ETH_NOT_KNOWN },
		{ "Not recorded", ETH_NOT_KNOWN },
		{ "Not provided", ETH_NOT_KNOWN },
		{ "Not declared", ETH_NOT_KNOWN },
		{ "Missing", ETH_NOT_KNOWN },
		{ "N/A", ETH_NOT_KNOWN },
		{ "n.a.", ETH_NOT_KNOWN },
		{ "Information not yet obtained", ETH_NOT_KNOWN },
		{ "NULL", ETH_NOT_KNOWN },
	};
	struct ethnicity_match m;

	EXPECT_ALL(*state, list);
	m = expect_id(*state, NULL, ETH_NOT_KNOWN);
	assert_int_equal(m.group, ETH_GROUP_NOT_KNOWN);
}

static void test_prefer_not_to_say(void **state)
{
	static const struct expect list[] = {
		{ "Prefer not to say", ETH_PREFER_NOT_TO_SAY },
		{ "prefer not to state", ETH_PREFER_NOT_TO_SAY },
		{ "Do not wish to disclose", ETH_PREFER_NOT_TO_SAY },
		{ "I do not wish to declare my ethnic origin",
		  ETH_PREFER_NOT_TO_SAY },
		{ "Declined", ETH_PREFER_NOT_TO_SAY },
		{ "Refused", ETH_PREFER_NOT_TO_SAY },
		{ "Information refused", ETH_PREFER_NOT_TO_SAY },
		{ "Don't wish to disclose", ETH_PREFER_NOT_TO_SAY },
		{ "Don\xE2\x80\x99t wish to say", ETH_PREFER_NOT_TO_SAY },
	};
	struct ethnicity_match m;

	EXPECT_ALL(*state, list);
	m = expect_id(*state, "Prefer not to say", ETH_PREFER_NOT_TO_SAY);
	assert_int_equal(m.group, ETH_GROUP_PREFER_NOT_TO_SAY);
	assert_int_not_equal(ETH_NOT_KNOWN, ETH_PREFER_NOT_TO_SAY);
}

/* ---- group-only, unknown, ambiguous and refused labels ---- */

static void test_group_only(void **state)
{
	static const struct {
		const char *label;
		enum ethnicity_group group;
		bool from_2011;
	} list[] = {
		{ "Asian", ETH_GROUP_ASIAN, false },
		{ "Black", ETH_GROUP_BLACK, false },
		{ "Mixed", ETH_GROUP_MIXED, false },
		{ "White", ETH_GROUP_WHITE, false },
		{ "Asian or Asian British", ETH_GROUP_ASIAN, false },
		{ "Black or Black British", ETH_GROUP_BLACK, false },
		{ "Other ethnic group", ETH_GROUP_OTHER, false },
		{ "Mixed or Multiple ethnic groups", ETH_GROUP_MIXED, false },
		{ "Black, Black British, Black Welsh, Caribbean or African",
		  ETH_GROUP_BLACK, false },
		{ "Asian/Asian British", ETH_GROUP_ASIAN, true },
	};
	size_t k;

	for (k = 0; k < sizeof(list) / sizeof(list[0]); k++) {
		struct ethnicity_match m = expect_id(*state, list[k].label, -1);

		assert_int_equal(m.group, list[k].group);
		assert_int_equal(m.from_2011, list[k].from_2011);
	}
}

static void test_unknown_labels_suggest(void **state)
{
	struct parity_error err;

	assert_string_equal(
		expect_error(*state, "Carribean", &err),
		"unknown ethnicity label 'Carribean': closest categories are "
		"Caribbean (BCRB), African (BAFR), Asian, Asian British or "
		"Asian Welsh (high-level group A)");
	assert_string_equal(
		expect_error(*state, "Indain", &err),
		"unknown ethnicity label 'Indain': closest categories are "
		"Indian (AIND), Asian, Asian British or Asian Welsh "
		"(high-level group A), Not known (NK)");
	assert_string_equal(
		expect_error(*state, "Prefer not say", &err),
		"unknown ethnicity label 'Prefer not say': closest categories "
		"are Prefer not to say (PNS), Any other ethnic group (OOTH), "
		"Gypsy or Irish Traveller (WGYP)");
	/* nothing goes to an 'Other' category by default */
	assert_non_null(strstr(expect_error(*state, "Martian", &err),
			       "unknown ethnicity label 'Martian': closest "
			       "categories are "));
}

static void test_codes_are_not_labels(void **state)
{
	struct parity_error err;

	assert_string_equal(
		expect_error(*state, "WBRI", &err),
		"unknown ethnicity label 'WBRI': closest categories are "
		"English, Welsh, Scottish, Northern Irish or British (WBRI), "
		"Irish (WIRI), Roma (WROM); 'WBRI' is a code: English, Welsh, "
		"Scottish, Northern Irish or British (WBRI) in parity's own "
		"codes, White - British in the DfE school census list (dfe); "
		"a code on its own is read only under its code system, or when "
		"an alias maps it");
	/* DfE's WROM is not parity's Roma: neither is read on its own */
	assert_string_equal(
		expect_error(*state, "WROM", &err),
		"unknown ethnicity label 'WROM': closest categories are Roma "
		"(WROM), Arab (OARB), Irish (WIRI); 'WROM' is a code: Roma "
		"(WROM) in parity's own codes, Gypsy/Roma in the DfE school "
		"census list (dfe); a code on its own is read only under its "
		"code system, or when an alias maps it");
	assert_non_null(strstr(expect_error(*state, "IC3", &err),
			       "'IC3' is a code: Black in the police "
			       "officer-defined list (police-ode)"));
	assert_non_null(strstr(expect_error(*state, "Z", &err),
			       "'Z' is a code: Not stated in the NHS list "
			       "(nhs)"));
}

static void test_long_label_is_cut_in_message(void **state)
{
	char label[1001], want[200];
	struct parity_error err;

	memset(label, 'x', 1000);
	label[1000] = '\0';
	snprintf(want, sizeof(want), "unknown ethnicity label '%.100s...': ",
		 label);
	assert_memory_equal(expect_error(*state, label, &err), want,
			    strlen(want));
}

static void test_ambiguous_labels(void **state)
{
	struct parity_error err;
	static const char *const others =
		"could be Other White (WOTH), Other Mixed or Multiple ethnic "
		"groups (MOTH), Other Asian (AOTH), Other Black (BOTH) or Any "
		"other ethnic group (OOTH); add it to an alias file to say "
		"which";
	char want[512];

	snprintf(want, sizeof(want), "ambiguous ethnicity label 'Other': %s",
		 others);
	assert_string_equal(expect_error(*state, "Other", &err), want);
	snprintf(want, sizeof(want),
		 "ambiguous ethnicity label 'Any other': %s", others);
	assert_string_equal(expect_error(*state, "Any other", &err), want);
	/* with a slash, 'Mixed/Other' may be the two groups combined */
	assert_string_equal(
		expect_error(*state, "Mixed/Other", &err),
		"ambiguous ethnicity label 'Mixed/Other': could be Other "
		"Mixed or Multiple ethnic groups (MOTH), or the Mixed and "
		"Other ethnic groups combined ('Mixed/Other'); add it to an "
		"alias file to say which");
	assert_non_null(strstr(expect_error(*state, "Mixed or other", &err),
			       "or the Mixed and Other ethnic groups "
			       "combined"));
	assert_string_equal(
		expect_error(*state, "Asian/Chinese", &err),
		"ambiguous ethnicity label 'Asian/Chinese': could be Chinese "
		"(ACHN), or the Asian and Chinese groups combined, as lists "
		"made before 2011 (when Chinese stood apart from Asian) may "
		"mean it; add it to an alias file to say which");
	assert_string_equal(
		expect_error(*state, "Gypsy/Roma", &err),
		"ambiguous ethnicity label 'Gypsy/Roma': could be Gypsy or "
		"Irish Traveller (WGYP) or Roma (WROM): DfE's 'Gypsy/Roma' is "
		"one category that cannot be split between them; add it to "
		"an alias file to say which");
	assert_non_null(strstr(expect_error(*state, "White - Gypsy / Roma",
					    &err),
			       "DfE's 'Gypsy/Roma'"));
	assert_non_null(strstr(expect_error(*state,
					    "Gypsy, Roma and Traveller", &err),
			       "could be Gypsy or Irish Traveller (WGYP) or "
			       "Roma (WROM): 'Gypsy, Roma and Traveller' is "
			       "one combined category"));
}

static void test_bame_and_relatives_refused(void **state)
{
	static const char *const labels[] = {
		"BAME", "bme", "B.A.M.E.", "Non-white", "Ethnic minority",
		"Black, Asian and minority ethnic", "Minority ethnic",
		"People of colour", "Non-White British",
	};
	struct parity_error err;
	char want[512];
	size_t k;

	for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
		snprintf(want, sizeof(want),
			 "ethnicity label '%s' merges several ethnic groups "
			 "and cannot be classified: record the detailed "
			 "ethnic group instead (parity never uses 'BAME' or "
			 "similar terms)", labels[k]);
		assert_string_equal(expect_error(*state, labels[k], &err),
				    want);
	}
}

/* ---- alias files ---- */

/* Write `text` to a new temporary file; its path goes in `path`. */
static void write_temp(char *path, size_t size, const char *text)
{
	int fd;
	size_t len = strlen(text);

	snprintf(path, size, "/tmp/parity-test-aliases-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void test_aliases_load_and_match(void **state)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_match m;
	char path[64];

	(void)state;
	write_temp(path, sizeof(path),
		   "Label,CATEGORY\n"
		   "Blk - Somalian heritage,BAFR\n"
		   "East Euro,Other White\n"
		   "\"Somalian heritage, Blk\",Black African\n"
		   "Other,ooth\n"
		   "White British,WBRI\n"
		   "Gypsy/Roma,Gypsy or Irish Traveller\n"
		   "Z,NK\n"
		   "Asian,AOTH\n"
		   "WBRI,WBRI\n"
		   "Blk - Somalian heritage,African\n"
		   "Black - Somali,BAFR\n"
		   "Turkish,WOTH\n");
	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	assert_int_equal(ethnicity_classifier_load_aliases(c, path, &err), 0);
	unlink(path);

	m = expect_id(c, "blk somalian heritage", ETH_BAFR);
	assert_true(m.from_alias);
	assert_int_equal(m.rule, ETH_RULE_ALIAS);
	assert_int_equal(m.group, ETH_GROUP_BLACK);
	assert_true(expect_id(c, "East Euro", ETH_WOTH).from_alias);
	assert_true(expect_id(c, "Somalian heritage Blk", ETH_BAFR).from_alias);
	/* an alias that says what the write-in table says adds nothing */
	m = expect_id(c, "Black - Somali", ETH_BAFR);
	assert_false(m.from_alias);
	assert_int_equal(m.rule, ETH_RULE_WRITE_IN);
	/* one that settles a write-in of several groups is used */
	assert_int_equal(expect_id(c, "Turkish", ETH_WOTH).rule,
			 ETH_RULE_ALIAS);
	assert_true(expect_id(c, "Other", ETH_OOTH).from_alias);
	assert_true(expect_id(c, "Gypsy / Roma", ETH_WGYP).from_alias);
	assert_true(expect_id(c, "z", ETH_NOT_KNOWN).from_alias);
	assert_true(expect_id(c, "Asian", ETH_AOTH).from_alias);
	assert_true(expect_id(c, "wbri", ETH_WBRI).from_alias);
	/* an alias identical to a built-in label leaves it built in */
	assert_false(expect_id(c, "White British", ETH_WBRI).from_alias);
	/* the other 'Other' labels are still ambiguous */
	assert_int_equal(ethnicity_classify(c, "Any other", &m, &err), -1);
	ethnicity_classifier_free(c);
}

/* Load `text` as an alias file, which must fail; the formatted error,
 * with each mention of the temporary path replaced by "FILE", goes in
 * `out`. */
static void alias_error(const char *text, char *out, size_t size)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;
	char path[64], line[2048];
	const char *at, *from;
	size_t used = 0;

	write_temp(path, sizeof(path), text);
	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	assert_int_equal(ethnicity_classifier_load_aliases(c, path, &err), -1);
	unlink(path);
	assert_string_equal(err.file, path);
	parity_error_format(&err, line, sizeof(line));
	from = line;
	out[0] = '\0';
	while ((at = strstr(from, path)) != NULL) {
		used += (size_t)snprintf(out + used, size - used, "%.*sFILE",
					 (int)(at - from), from);
		from = at + strlen(path);
	}
	snprintf(out + used, size - used, "%s", from);
	ethnicity_classifier_free(c);
}

static void test_alias_errors_name_line_and_column(void **state)
{
	char out[2048];

	(void)state;
	alias_error("label,category\nfoo,Carribean\n", out, sizeof(out));
	assert_string_equal(out,
			    "FILE:2:5: category: unknown ethnicity label "
			    "'Carribean': closest categories are Caribbean "
			    "(BCRB), African (BAFR), Asian, Asian British or "
			    "Asian Welsh (high-level group A)");
	alias_error("label,category\nx,WBRI\nWhite British,Irish\n", out,
		    sizeof(out));
	assert_string_equal(out,
			    "FILE:3:1: alias 'White British' maps to Irish "
			    "(WIRI), but parity reads it as English, Welsh, "
			    "Scottish, Northern Irish or British (WBRI): "
			    "remove the alias or correct its category");
	alias_error("label,category\nfoo,WBRI\n  Foo ,WIRI\n", out,
		    sizeof(out));
	assert_non_null(strstr(out, "FILE:3:1: alias '  Foo ' maps to Irish "
				    "(WIRI), but FILE:2 already maps it to "
				    "English, Welsh, Scottish, Northern Irish "
				    "or British (WBRI)"));
	alias_error("label,code\nfoo,WBRI\n", out, sizeof(out));
	assert_string_equal(out, "FILE:1:1: the alias file's first line must "
				 "be the header 'label,category'");
	alias_error("", out, sizeof(out));
	assert_string_equal(out, "FILE: the alias file is empty: it needs the "
				 "header 'label,category'");
	alias_error("label,category\nBAME,OOTH\n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:1: 'BAME' merges several ethnic "
				 "groups: it cannot be an alias of one "
				 "category");
	alias_error("label,category\nfoo\n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:4: the row has 1 field: it needs a "
				 "label and a category");
	alias_error("label,category\nOther,AIND\n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:1: alias 'Other' maps to Indian "
				 "(AIND), but the label could only be Other "
				 "White (WOTH), Other Mixed or Multiple ethnic "
				 "groups (MOTH), Other Asian (AOTH), Other "
				 "Black (BOTH) or Any other ethnic group "
				 "(OOTH)");
	alias_error("label,category\nAsian,BCRB\n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:1: alias 'Asian' maps to Caribbean "
				 "(BCRB), outside the high-level group it names "
				 "(Asian, Asian British or Asian Welsh)");
	alias_error("label,category\nfoo,Asian\n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:5: category 'Asian' names only a "
				 "high-level group (Asian, Asian British or "
				 "Asian Welsh): an alias must name one "
				 "category");
	alias_error("label,category\nfoo,Other\n", out, sizeof(out));
	assert_non_null(strstr(out, "FILE:2:5: category: ambiguous ethnicity "
				    "label 'Other': could be "));
	alias_error("label,category\n  ,WBRI\n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:1: the label is blank: a blank label "
				 "always means not known");
	alias_error("label,category\nfoo, \n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:5: the category is blank: give a "
				 "code such as WBRI, or a category label");
	alias_error("category,label\nWBRI,\"foo\n", out, sizeof(out));
	assert_string_equal(out, "FILE:2:6: unterminated quote: the quoted "
				 "field opened here never closes");
}

static void test_alias_file_with_an_error_changes_nothing(void **state)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_match m;
	char path[64];

	(void)state;
	write_temp(path, sizeof(path),
		   "label,category\nfoo,WBRI\nOther,OOTH\nAsian,AOTH\n"
		   "bar,nonsense\n");
	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	assert_int_equal(ethnicity_classifier_load_aliases(c, path, &err), -1);
	assert_int_equal(err.line, 5);
	unlink(path);
	assert_int_equal(ethnicity_classify(c, "foo", &m, &err), -1);
	assert_non_null(strstr(err.message, "unknown ethnicity label 'foo'"));
	assert_int_equal(ethnicity_classify(c, "Other", &m, &err), -1);
	assert_non_null(strstr(err.message, "ambiguous"));
	m = expect_id(c, "Asian", -1);
	assert_false(m.from_alias);
	ethnicity_classifier_free(c);
}

static void test_alias_file_missing(void **state)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;

	(void)state;
	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	assert_int_equal(ethnicity_classifier_load_aliases(
				 c, "/nonexistent/aliases.csv", &err), -1);
	assert_int_equal(err.code, PARITY_ERR_IO);
	assert_string_equal(err.file, "/nonexistent/aliases.csv");
	ethnicity_classifier_free(c);
}

/* ---- code systems ---- */

/* A classifier reading bare codes by `system`'s list. */
static struct ethnicity_classifier *with_codes(enum ethnicity_code_system s)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;

	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	ethnicity_classifier_set_code_system(c, s);
	assert_int_equal(ethnicity_classifier_code_system(c), s);
	return c;
}

/* Group-only readings are written as -10 - group. */
#define GROUP_ONLY(g) (-10 - (int)(g))

struct code_case {
	const char *code;
	int want; /* an id, GROUP_ONLY(g), or -1 for an error */
};

/* Each code, bare under its system, gives `want` by the code-system
 * rule; and a code alone under no system is refused. */
static void expect_codes(enum ethnicity_code_system s,
			 const struct code_case *list, size_t n)
{
	struct ethnicity_classifier *c = with_codes(s);
	struct ethnicity_classifier *plain = with_codes(ETH_CODES_NONE);
	struct parity_error err = PARITY_ERROR_INIT;
	size_t k;

	for (k = 0; k < n; k++) {
		struct ethnicity_match m;
		int rc;

		memset(&m, 0, sizeof(m));
		rc = ethnicity_classify(c, list[k].code, &m, &err);
		if (list[k].want == -1) {
			if (rc == 0)
				fail_msg("%s code '%s': expected an error, "
					 "got %d", ethnicity_code_system_name(s),
					 list[k].code, m.id);
			continue;
		}
		if (rc < 0)
			fail_msg("%s code '%s': %s",
				 ethnicity_code_system_name(s), list[k].code,
				 err.message);
		if (list[k].want <= -10) {
			if (m.id != -1 ||
			    (int)m.group != -10 - list[k].want)
				fail_msg("%s code '%s': got %d, group %d",
					 ethnicity_code_system_name(s),
					 list[k].code, m.id, m.group);
		} else if (m.id != list[k].want) {
			fail_msg("%s code '%s': expected %d, got %d",
				 ethnicity_code_system_name(s), list[k].code,
				 list[k].want, m.id);
		}
		assert_int_equal(m.rule, ETH_RULE_CODE_SYSTEM);
		assert_false(m.from_alias);
		/* codes are case-insensitive, and alone they need a system */
		if (ethnicity_classify(plain, list[k].code, &m, &err) == 0)
			fail_msg("code '%s' read with no code system",
				 list[k].code);
	}
	ethnicity_classifier_free(plain);
	ethnicity_classifier_free(c);
}

#define EXPECT_CODES(s, list) \
	expect_codes((s), (list), sizeof(list) / sizeof((list)[0]))

static void test_code_system_names(void **state)
{
	static const char *const names[ETH_CODE_SYSTEM_COUNT] = {
		"none", "nhs", "dfe", "police-sde", "police-ode",
	};
	struct parity_error err = PARITY_ERROR_INIT;
	enum ethnicity_code_system s;
	int k;

	(void)state;
	for (k = 0; k < ETH_CODE_SYSTEM_COUNT; k++) {
		assert_int_equal(ethnicity_code_system_parse(names[k], &s,
							     &err), 0);
		assert_int_equal(s, k);
		assert_string_equal(ethnicity_code_system_name(s), names[k]);
	}
	assert_int_equal(ethnicity_code_system_parse(" NHS ", &s, &err), 0);
	assert_int_equal(s, ETH_CODES_NHS);
	assert_int_equal(ethnicity_code_system_parse("Police-ODE", &s, &err),
			 0);
	assert_int_equal(s, ETH_CODES_POLICE_ODE);
	assert_int_equal(ethnicity_code_system_parse("police", &s, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);
	assert_string_equal(err.message,
			    "unknown code system 'police': use nhs, dfe, "
			    "police-sde or police-ode (or none)");
	assert_int_equal(ethnicity_code_system_parse(NULL, &s, &err), -1);
	assert_null(ethnicity_code_system_name(ETH_CODE_SYSTEM_COUNT));
	assert_string_equal(ethnicity_code_label(ETH_CODES_DFE, "wrom"),
			    "Gypsy/Roma");
	assert_string_equal(ethnicity_code_label(ETH_CODES_NHS, " Z "),
			    "Not stated");
	assert_string_equal(ethnicity_code_label(ETH_CODES_POLICE_ODE, "IC5"),
			    "Chinese, Japanese or any other South East Asian");
	assert_null(ethnicity_code_label(ETH_CODES_NHS, "WBRI"));
	assert_null(ethnicity_code_label(ETH_CODES_NONE, "WBRI"));
	assert_null(ethnicity_code_label(ETH_CODES_DFE, NULL));
}

static void test_rule_names(void **state)
{
	(void)state;
	assert_string_equal(ethnicity_rule_name(ETH_RULE_BUILT_IN),
			    "built-in");
	assert_string_equal(ethnicity_rule_name(ETH_RULE_CODE_SYSTEM),
			    "code system");
	assert_string_equal(ethnicity_rule_name(ETH_RULE_WRITE_IN),
			    "write-in");
	assert_string_equal(ethnicity_rule_name(ETH_RULE_ALIAS), "alias");
	assert_null(ethnicity_rule_name((enum ethnicity_rule)4));
}

/* The NHS Data Dictionary's ethnic category codes, in full. */
static void test_nhs_codes(void **state)
{
	static const struct code_case list[] = {
		{ "A", ETH_WBRI }, { "B", ETH_WIRI }, { "C", ETH_WOTH },
		{ "D", ETH_MWBC }, { "E", ETH_MWBA }, { "F", ETH_MWAS },
		{ "G", ETH_MOTH }, { "H", ETH_AIND }, { "J", ETH_APKN },
		{ "K", ETH_ABAN }, { "L", ETH_AOTH }, { "M", ETH_BCRB },
		{ "N", ETH_BAFR }, { "P", ETH_BOTH }, { "R", ETH_ACHN },
		{ "S", ETH_OOTH }, { "Z", ETH_PREFER_NOT_TO_SAY },
		{ "99", ETH_NOT_KNOWN },
		{ "a", ETH_WBRI }, { "z", ETH_PREFER_NOT_TO_SAY },
		{ "I", -1 }, { "O", -1 }, { "Q", -1 }, { "T", -1 },
		{ "WBRI", -1 },
	};
	struct ethnicity_classifier *c;
	struct ethnicity_match m;

	(void)state;
	EXPECT_CODES(ETH_CODES_NHS, list);
	c = with_codes(ETH_CODES_NHS);
	/* Z means the person declined; 'Not stated' is read so too */
	m = expect_id(c, "Z", ETH_PREFER_NOT_TO_SAY);
	assert_non_null(strstr(m.note, "chose not to state"));
	assert_true(m.from_2011);
	expect_id(c, "Not stated", ETH_PREFER_NOT_TO_SAY);
	expect_id(c, "Not known", ETH_NOT_KNOWN);
	/* C: 2001's Any other White background, read as Other White */
	m = expect_id(c, "C", ETH_WOTH);
	assert_non_null(strstr(m.note, "Gypsy or Irish Traveller and Roma"));
	assert_non_null(strstr(expect_id(c, "S", ETH_OOTH).note, "Arab"));
	assert_null(expect_id(c, "A", ETH_WBRI).note);
	/* labels still work under a code system */
	expect_id(c, "White British", ETH_WBRI);
	ethnicity_classifier_free(c);
}

/* NHS codes beside their text are read with no code system, when the
 * two agree. */
static void test_nhs_coded_labels(void **state)
{
	static const struct expect list[] = {
		{ "A White - British", ETH_WBRI },
		{ "A - White - British", ETH_WBRI },
		{ "A British", ETH_WBRI },
		{ "A: British, Mixed British", ETH_WBRI },
		{ "B White - Irish", ETH_WIRI },
		{ "C White - Any other White background", ETH_WOTH },
		{ "D Mixed - White and Black Caribbean", ETH_MWBC },
		{ "E Mixed - White and Black African", ETH_MWBA },
		{ "F Mixed - White and Asian", ETH_MWAS },
		{ "G Mixed - Any other mixed background", ETH_MOTH },
		{ "H Asian or Asian British - Indian", ETH_AIND },
		{ "J Asian or Asian British - Pakistani", ETH_APKN },
		{ "K Asian or Asian British - Bangladeshi", ETH_ABAN },
		{ "L Asian or Asian British - Any other Asian background",
		  ETH_AOTH },
		{ "M Black or Black British - Caribbean", ETH_BCRB },
		{ "N Black or Black British - African", ETH_BAFR },
		{ "P Black or Black British - Any other Black background",
		  ETH_BOTH },
		{ "R Other Ethnic Groups - Chinese", ETH_ACHN },
		{ "R Chinese", ETH_ACHN },
		{ "S Other Ethnic Groups - Any other ethnic group", ETH_OOTH },
		{ "S Any Other Ethnic Group", ETH_OOTH },
		{ "Z Not Stated", ETH_PREFER_NOT_TO_SAY },
		{ "99 Not known", ETH_NOT_KNOWN },
		{ "Not known (99)", ETH_NOT_KNOWN },
		{ "White - British (A)", ETH_WBRI },
		/* without codes, the NHS wordings are labels like any other */
		{ "White - British", ETH_WBRI },
		{ "Other Ethnic Groups - Chinese", ETH_ACHN },
		{ "Other Ethnic Groups - Any other ethnic group", ETH_OOTH },
	};
	struct parity_error err;
	struct ethnicity_match m;

	EXPECT_ALL(*state, list);
	m = expect_id(*state, "Z Not Stated", ETH_PREFER_NOT_TO_SAY);
	assert_int_equal(m.rule, ETH_RULE_CODE_SYSTEM);
	assert_non_null(m.note);
	/* 'Not stated' alone is not known: only the NHS's Z is declined */
	assert_null(expect_id(*state, "Not stated", ETH_NOT_KNOWN).note);
	/* code and text that disagree are refused, naming both */
	assert_string_equal(
		expect_error(*state, "A Black African", &err),
		"ethnicity label 'A Black African' contradicts itself: its "
		"code 'A' is Asian, Asian British or Asian Welsh (high-level "
		"group A) in parity's own codes and English, Welsh, Scottish, "
		"Northern Irish or British (WBRI) in the NHS list (nhs), but "
		"its text reads as African (BAFR); correct the label, or add "
		"it to an alias file to say which");
	assert_non_null(strstr(expect_error(*state, "H Pakistani", &err),
			       "Indian (AIND) in the NHS list (nhs), but its "
			       "text reads as Pakistani (APKN)"));
	/* the same under nhs, where only the NHS list is consulted */
	{
		struct ethnicity_classifier *c = with_codes(ETH_CODES_NHS);

		assert_string_equal(
			expect_error(c, "A Black African", &err),
			"ethnicity label 'A Black African' contradicts itself: "
			"its code 'A' is English, Welsh, Scottish, Northern "
			"Irish or British (WBRI) in the NHS list (nhs), but its "
			"text reads as African (BAFR); correct the label, or "
			"add it to an alias file to say which");
		expect_id(c, "H Asian", ETH_AIND);
		ethnicity_classifier_free(c);
	}
	/* a code of parity's groups beside its group */
	m = expect_id(*state, "A Asian", -1);
	assert_int_equal(m.group, ETH_GROUP_ASIAN);
	m = expect_id(*state, "O - Other", -1);
	assert_int_equal(m.group, ETH_GROUP_OTHER);
}

/* The DfE school census codes: main and extended, in full. */
static void test_dfe_codes(void **state)
{
	static const struct code_case list[] = {
		{ "WBRI", ETH_WBRI }, { "WCOR", ETH_WBRI }, { "WENG", ETH_WBRI },
		{ "WNIR", ETH_WBRI }, { "WSCO", ETH_WBRI }, { "WWEL", ETH_WBRI },
		{ "WOWB", ETH_WBRI }, { "WIRI", ETH_WIRI }, { "WIRT", ETH_WGYP },
		{ "WOTH", ETH_WOTH }, { "WALB", ETH_WOTH }, { "WBOS", ETH_WOTH },
		{ "WCRO", ETH_WOTH }, { "WGRE", ETH_WOTH }, { "WGRK", ETH_WOTH },
		{ "WGRC", ETH_WOTH }, { "WITA", ETH_WOTH }, { "WKOS", ETH_WOTH },
		{ "WPOR", ETH_WOTH }, { "WSER", ETH_WOTH }, { "WTUR", ETH_WOTH },
		{ "WTUK", ETH_WOTH }, { "WTUC", ETH_WOTH }, { "WEUR", ETH_WOTH },
		{ "WEEU", ETH_WOTH }, { "WWEU", ETH_WOTH }, { "WOTW", ETH_WOTH },
		{ "WROM", GROUP_ONLY(ETH_GROUP_WHITE) },
		{ "WROG", ETH_WGYP }, { "WROR", ETH_WROM },
		{ "WROO", GROUP_ONLY(ETH_GROUP_WHITE) },
		{ "MWBC", ETH_MWBC }, { "MWBA", ETH_MWBA }, { "MWAS", ETH_MWAS },
		{ "MWAP", ETH_MWAS }, { "MWAI", ETH_MWAS }, { "MWAO", ETH_MWAS },
		{ "MOTH", ETH_MOTH }, { "MAOE", ETH_MOTH }, { "MABL", ETH_MOTH },
		{ "MACH", ETH_MOTH }, { "MBOE", ETH_MOTH }, { "MBCH", ETH_MOTH },
		{ "MCOE", ETH_MOTH }, { "MWOE", ETH_MOTH }, { "MWCH", ETH_MOTH },
		{ "MOTM", ETH_MOTH },
		{ "AIND", ETH_AIND }, { "APKN", ETH_APKN }, { "AMPK", ETH_APKN },
		{ "AKPA", ETH_APKN }, { "AOPK", ETH_APKN }, { "ABAN", ETH_ABAN },
		{ "AOTH", ETH_AOTH }, { "AAFR", ETH_AOTH }, { "AKAO", ETH_AOTH },
		{ "ANEP", ETH_AOTH }, { "ASNL", ETH_AOTH }, { "ASLT", ETH_AOTH },
		{ "ASRO", ETH_AOTH }, { "AOTA", ETH_AOTH },
		{ "BCRB", ETH_BCRB }, { "BAFR", ETH_BAFR }, { "BANN", ETH_BAFR },
		{ "BCON", ETH_BAFR }, { "BGHA", ETH_BAFR }, { "BNGN", ETH_BAFR },
		{ "BSLN", ETH_BAFR }, { "BSOM", ETH_BAFR }, { "BSUD", ETH_BAFR },
		{ "BAOF", ETH_BAFR }, { "BOTH", ETH_BOTH }, { "BEUR", ETH_BOTH },
		{ "BNAM", ETH_BOTH }, { "BOTB", ETH_BOTH },
		{ "CHNE", ETH_ACHN }, { "CHKC", ETH_ACHN }, { "CMAL", ETH_ACHN },
		{ "CSNG", ETH_ACHN }, { "CTWN", ETH_ACHN }, { "COCH", ETH_ACHN },
		{ "OOTH", ETH_OOTH }, { "OAFG", ETH_OOTH }, { "OARA", ETH_OARB },
		{ "OEGY", ETH_OOTH }, { "OFIL", ETH_OOTH }, { "OIRN", ETH_OOTH },
		{ "OIRQ", ETH_OOTH }, { "OJPN", ETH_OOTH }, { "OKOR", ETH_OOTH },
		{ "OKRD", ETH_OOTH }, { "OLAM", ETH_OOTH }, { "OLEB", ETH_OOTH },
		{ "OLIB", ETH_OOTH }, { "OMAL", ETH_OOTH }, { "OMRC", ETH_OOTH },
		{ "OPOL", ETH_OOTH }, { "OTHA", ETH_OOTH }, { "OVIE", ETH_OOTH },
		{ "OYEM", ETH_OOTH }, { "OOEG", ETH_OOTH },
		{ "REFU", ETH_PREFER_NOT_TO_SAY }, { "NOBT", ETH_NOT_KNOWN },
		{ "wbri", ETH_WBRI },
		/* parity's own codes that DfE does not use */
		{ "WGYP", -1 }, { "ACHN", -1 }, { "OARB", -1 }, { "A", -1 },
	};
	struct ethnicity_classifier *c;
	struct ethnicity_match m;

	(void)state;
	EXPECT_CODES(ETH_CODES_DFE, list);
	c = with_codes(ETH_CODES_DFE);
	m = expect_id(c, "WROM", -1);
	assert_int_equal(m.group, ETH_GROUP_WHITE);
	assert_non_null(strstr(m.note, "cannot be split"));
	assert_false(m.from_2011);
	/* DfE's wording of it reads the same way under dfe */
	assert_int_equal(expect_id(c, "Gypsy/Roma", -1).group,
			 ETH_GROUP_WHITE);
	assert_int_equal(expect_id(c, "White - Gypsy/Roma", -1).group,
			 ETH_GROUP_WHITE);
	assert_int_equal(expect_id(c, "Ethnicity_Minor_Gypsy_Roma", -1).group,
			 ETH_GROUP_WHITE);
	assert_non_null(strstr(expect_id(c, "OOTH", ETH_OOTH).note, "Arab"));
	assert_non_null(strstr(expect_id(c, "CHNE", ETH_ACHN).note,
			       "Asian group"));
	expect_id(c, "Traveller of Irish heritage", ETH_WGYP);
	expect_id(c, "Information not yet obtained", ETH_NOT_KNOWN);
	ethnicity_classifier_free(c);
}

static void test_dfe_coded_labels(void **state)
{
	static const struct expect list[] = {
		{ "WBRI - White British", ETH_WBRI },
		{ "White British (WBRI)", ETH_WBRI },
		{ "WIRT Traveller of Irish heritage", ETH_WGYP },
		{ "CHNE Chinese", ETH_ACHN },
		{ "BSOM - Black - Somali", ETH_BAFR },
		{ "REFU Refused", ETH_PREFER_NOT_TO_SAY },
		{ "NOBT Information not yet obtained", ETH_NOT_KNOWN },
		{ "WROR Roma", ETH_WROM },
		/* DfE's wordings are labels in their own right */
		{ "Traveller of Irish heritage", ETH_WGYP },
		{ "White - Traveller of Irish heritage", ETH_WGYP },
		{ "Black - Black Caribbean", ETH_BCRB },
		{ "Any other Mixed background", ETH_MOTH },
		{ "Information not yet obtained", ETH_NOT_KNOWN },
		{ "Refused", ETH_PREFER_NOT_TO_SAY },
	};
	struct parity_error err;

	EXPECT_ALL(*state, list);
	/* WROM beside 'Gypsy/Roma': parity's Roma or DfE's Gypsy/Roma */
	assert_non_null(strstr(expect_error(*state, "WROM Gypsy/Roma", &err),
			       "could be Gypsy or Irish Traveller (WGYP) or "
			       "Roma (WROM)"));
	/* Gypsy/Roma without a code system stays ambiguous */
	assert_non_null(strstr(expect_error(*state, "Gypsy/Roma", &err),
			       "DfE's 'Gypsy/Roma' is one category"));
}

/* DfE's open-data identifiers (explore-education-statistics). */
static void test_dfe_open_data_identifiers(void **state)
{
	static const struct code_case list[] = {
		{ "Ethnicity_Major_White_Total", GROUP_ONLY(ETH_GROUP_WHITE) },
		{ "Ethnicity_Minor_White_British", ETH_WBRI },
		{ "Ethnicity_Minor_Irish", ETH_WIRI },
		{ "Ethnicity_Minor_Traveller_of_Irish_heritage", ETH_WGYP },
		{ "Ethnicity_Minor_Gypsy_Roma", -1 },
		{ "Ethnicity_Minor_Any_other_white_background", ETH_WOTH },
		{ "Ethnicity_Major_Mixed_Total", GROUP_ONLY(ETH_GROUP_MIXED) },
		{ "Ethnicity_Minor_White_and_Black_Caribbean", ETH_MWBC },
		{ "Ethnicity_Minor_White_and_Black_African", ETH_MWBA },
		{ "Ethnicity_Minor_White_and_Asian", ETH_MWAS },
		{ "Ethnicity_Minor_Any_other_Mixed_background", ETH_MOTH },
		{ "Ethnicity_Major_Asian_Total", GROUP_ONLY(ETH_GROUP_ASIAN) },
		{ "Ethnicity_Minor_Indian", ETH_AIND },
		{ "Ethnicity_Minor_Pakistani", ETH_APKN },
		{ "Ethnicity_Minor_Bangladeshi", ETH_ABAN },
		{ "Ethnicity_Minor_Any_other_Asian_background", ETH_AOTH },
		{ "Ethnicity_Major_Black_Total", GROUP_ONLY(ETH_GROUP_BLACK) },
		{ "Ethnicity_Minor_Black_Caribbean", ETH_BCRB },
		{ "Ethnicity_Minor_Black_African", ETH_BAFR },
		{ "Ethnicity_Minor_Any_other_black_background", ETH_BOTH },
		{ "Ethnicity_Major_Chinese", ETH_ACHN },
		{ "Ethnicity_Minor_Chinese", ETH_ACHN },
		{ "Ethnicity_Major_Any_Other_Ethnic_Group", ETH_OOTH },
		{ "Ethnicity_Minor_Any_Other_Ethnic_Group", ETH_OOTH },
		{ "Ethnicity_Minority_Ethnic_Group", -1 },
		{ "Ethnicity_Minority_ethnic_pupil", -1 },
		{ "Ethnicity_Major_Unclassified", ETH_NOT_KNOWN },
		{ "Ethnicity_Unclassified", ETH_NOT_KNOWN },
		/* the same rule for forms not in the list */
		{ "Ethnicity_Minor_Roma", ETH_WROM },
		{ "Ethnicity_Major_Black_total", GROUP_ONLY(ETH_GROUP_BLACK) },
	};
	struct parity_error err;
	size_t k;

	for (k = 0; k < sizeof(list) / sizeof(list[0]); k++) {
		struct ethnicity_match m;

		if (list[k].want == -1) {
			expect_error(*state, list[k].code, &err);
			continue;
		}
		m = expect_id(*state, list[k].code,
			      list[k].want <= -10 ? -1 : list[k].want);
		if (list[k].want <= -10)
			assert_int_equal(m.group, -10 - list[k].want);
		assert_int_equal(m.rule, ETH_RULE_BUILT_IN);
	}
	assert_non_null(strstr(expect_error(*state,
					    "Ethnicity_Minority_ethnic_pupil",
					    &err),
			       "merges several ethnic groups"));
	assert_non_null(strstr(expect_error(*state,
					    "Ethnicity_Minor_Gypsy_Roma", &err),
			       "could be Gypsy or Irish Traveller (WGYP) or "
			       "Roma (WROM)"));
}

/* Police self-defined ethnicity, the 18+1 list, in full. */
static void test_police_self_defined_codes(void **state)
{
	static const struct code_case list[] = {
		{ "W1", ETH_WBRI }, { "W2", ETH_WIRI }, { "W3", ETH_WGYP },
		{ "W9", ETH_WOTH }, { "M1", ETH_MWBC }, { "M2", ETH_MWBA },
		{ "M3", ETH_MWAS }, { "M9", ETH_MOTH }, { "A1", ETH_AIND },
		{ "A2", ETH_APKN }, { "A3", ETH_ABAN }, { "A4", ETH_ACHN },
		{ "A9", ETH_AOTH }, { "B1", ETH_BCRB }, { "B2", ETH_BAFR },
		{ "B9", ETH_BOTH }, { "O2", ETH_OARB }, { "O9", ETH_OOTH },
		{ "NS", ETH_NOT_KNOWN },
		/* O1: Chinese in the older 16+1 list, Arab in some 18+1 */
		{ "O1", -1 }, { "W4", -1 }, { "IC1", -1 },
	};
	struct ethnicity_classifier *c;
	struct ethnicity_match m;
	struct parity_error err;

	(void)state;
	EXPECT_CODES(ETH_CODES_POLICE_SDE, list);
	c = with_codes(ETH_CODES_POLICE_SDE);
	/* 2011-based: W9 holds Roma, as 2011's Other White did */
	m = expect_id(c, "W9", ETH_WOTH);
	assert_true(m.from_2011);
	assert_non_null(strstr(m.note, "Roma"));
	assert_non_null(strstr(expect_id(c, "NS", ETH_NOT_KNOWN).note,
			       "not asked"));
	assert_string_equal(
		expect_error(c, "O1", &err),
		"ambiguous ethnicity label 'O1': could be Chinese (ACHN) or "
		"Arab (OARB): O1 was Chinese in the police's older 16+1 list, "
		"and some forces' 18+1 lists write Arab as O1 (the 18+1 list "
		"has Chinese as A4 and Arab as O2); add it to an alias file to "
		"say which");
	expect_id(c, "O1 Chinese", ETH_ACHN);
	expect_id(c, "Not stated", ETH_NOT_KNOWN);
	ethnicity_classifier_free(c);
	/* with their text, and data.police.uk's wording, with no system */
	expect_id(*state, "W1 - White - English/Welsh/Scottish/Northern "
		  "Irish/British", ETH_WBRI);
	expect_id(*state, "A4 Asian/Asian British - Chinese", ETH_ACHN);
	expect_id(*state, "O2 Other ethnic group - Arab", ETH_OARB);
	expect_id(*state, "Other ethnic group - Not stated", ETH_NOT_KNOWN);
	expect_id(*state, "Black/African/Caribbean/Black British - Any other "
		  "Black/African/Caribbean background", ETH_BOTH);
}

/* Police officer-defined ethnicity: groups only, as the Home Office
 * counts them. */
static void test_police_officer_defined_codes(void **state)
{
	static const struct code_case list[] = {
		{ "IC1", GROUP_ONLY(ETH_GROUP_WHITE) },
		{ "IC2", GROUP_ONLY(ETH_GROUP_WHITE) },
		{ "IC3", GROUP_ONLY(ETH_GROUP_BLACK) },
		{ "IC4", GROUP_ONLY(ETH_GROUP_ASIAN) },
		{ "IC5", GROUP_ONLY(ETH_GROUP_OTHER) },
		{ "IC6", GROUP_ONLY(ETH_GROUP_OTHER) },
		{ "IC9", ETH_NOT_KNOWN }, { "IC0", ETH_NOT_KNOWN },
		{ "ic3", GROUP_ONLY(ETH_GROUP_BLACK) },
		{ "IC7", -1 }, { "W1", -1 },
	};
	struct ethnicity_classifier *c;
	struct ethnicity_match m;

	(void)state;
	EXPECT_CODES(ETH_CODES_POLICE_ODE, list);
	c = with_codes(ETH_CODES_POLICE_ODE);
	assert_non_null(strstr(expect_id(c, "IC4", -1).note, "South Asian"));
	assert_non_null(strstr(expect_id(c, "IC5", -1).note, "Other"));
	/* the Home Office's officer-defined groups as words */
	m = expect_id(c, "Other", -1);
	assert_int_equal(m.group, ETH_GROUP_OTHER);
	assert_int_equal(m.rule, ETH_RULE_CODE_SYSTEM);
	assert_non_null(m.note);
	assert_int_equal(expect_id(c, "White", -1).group, ETH_GROUP_WHITE);
	assert_int_equal(expect_id(c, "IC1 - White - North European",
				   -1).group, ETH_GROUP_WHITE);
	/* a category of a group-level code's group narrows it */
	expect_id(c, "IC4 Indian", ETH_AIND);
	ethnicity_classifier_free(c);
	/* with their text, with no code system */
	assert_int_equal(expect_id(*state, "IC3 Black", -1).group,
			 ETH_GROUP_BLACK);
	assert_int_equal(expect_id(*state, "IC1 White - North European",
				   -1).group, ETH_GROUP_WHITE);
}

/* Every row of every code list compiled in reads as its category says:
 * its code bare under its system, and a wording with no code. */
static void test_every_code_list_row(void **state)
{
	static const enum ethnicity_code_system systems[] = {
		ETH_CODES_NHS, ETH_CODES_DFE, ETH_CODES_POLICE_SDE,
		ETH_CODES_POLICE_ODE,
	};
	const struct eth_ref_list *lists;
	struct parity_error err = PARITY_ERROR_INIT;
	size_t s, k, rows = 0;

	(void)state;
	assert_int_equal(eth_ref_lists(&lists, &err), 0);
	for (s = 0; s < sizeof(systems) / sizeof(systems[0]); s++) {
		const struct eth_ref_list *list =
			&lists[eth_ref_of(systems[s])];
		struct ethnicity_classifier *c = with_codes(systems[s]);

		for (k = 0; k < list->count; k++) {
			const struct eth_ref_row *row = &list->rows[k];
			const char *label = row->code ? row->code : row->label;
			struct ethnicity_match m;
			int rc;

			rows++;
			memset(&m, 0, sizeof(m));
			rc = ethnicity_classify(c, label, &m, &err);
			if (row->candidates >> 24) {
				if (rc < 0)
					fail_msg("%s: %s", label, err.message);
				assert_int_equal(m.id, -1);
				assert_int_equal(1u << (24 + m.group),
						 row->candidates);
			} else if (row->candidates & (row->candidates - 1)) {
				assert_int_equal(rc, -1);
				continue;
			} else {
				if (rc < 0)
					fail_msg("%s: %s", label, err.message);
				assert_int_equal(1u << m.id, row->candidates);
			}
			assert_int_equal(m.rule, ETH_RULE_CODE_SYSTEM);
		}
		ethnicity_classifier_free(c);
	}
	assert_int_equal(rows, 19 + 107 + 20 + 12);
}

/* ---- Census wordings ---- */

/* Census 2001 (England and Wales), question and table wording. */
static void test_census_2001_wording(void **state)
{
	static const struct expect list[] = {
		{ "White - British", ETH_WBRI },
		{ "White: British", ETH_WBRI },
		{ "White - Irish", ETH_WIRI },
		{ "White - Any other White background", ETH_WOTH },
		{ "White: Other White", ETH_WOTH },
		{ "Mixed - White and Black Caribbean", ETH_MWBC },
		{ "Mixed - White and Black African", ETH_MWBA },
		{ "Mixed - White and Asian", ETH_MWAS },
		{ "Mixed - Any other Mixed background", ETH_MOTH },
		{ "Mixed: Other Mixed", ETH_MOTH },
		{ "Asian or Asian British - Indian", ETH_AIND },
		{ "Asian or Asian British - Pakistani", ETH_APKN },
		{ "Asian or Asian British - Bangladeshi", ETH_ABAN },
		{ "Asian or Asian British - Any other Asian background",
		  ETH_AOTH },
		{ "Asian or Asian British: Other Asian", ETH_AOTH },
		{ "Black or Black British - Caribbean", ETH_BCRB },
		{ "Black or Black British: Black Caribbean", ETH_BCRB },
		{ "Black or Black British - African", ETH_BAFR },
		{ "Black or Black British: Black African", ETH_BAFR },
		{ "Black or Black British - Any other Black background",
		  ETH_BOTH },
		{ "Black or Black British: Other Black", ETH_BOTH },
		{ "Chinese or other ethnic group - Chinese", ETH_ACHN },
		{ "Chinese or other ethnic group: Chinese", ETH_ACHN },
		{ "Chinese or other ethnic group - Any other", ETH_OOTH },
		{ "Chinese or other ethnic group: Other ethnic group",
		  ETH_OOTH },
		{ "Other ethnic groups - Chinese", ETH_ACHN },
		{ "Other Ethnic Group: Chinese", ETH_ACHN },
		{ "Chinese - Chinese", ETH_ACHN },
		{ "Other - Chinese", ETH_ACHN },
		{ "Other ethnic groups - Any other ethnic group", ETH_OOTH },
	};
	struct parity_error err;

	EXPECT_ALL(*state, list);
	/* 2001's heading joined Chinese (now Asian) with the Other group */
	assert_non_null(strstr(expect_error(*state,
					    "Chinese or other ethnic group",
					    &err),
			       "merges several ethnic groups"));
}

/* Census 2011 question wording (the table's is tested above). */
static void test_census_2011_wording(void **state)
{
	static const struct expect list[] = {
		{ "White: English/Welsh/Scottish/Northern Irish/British",
		  ETH_WBRI },
		{ "White: Gypsy or Irish Traveller", ETH_WGYP },
		{ "White: Any other White background, please describe",
		  ETH_WOTH },
		{ "Mixed/multiple ethnic groups: Any other Mixed/multiple "
		  "ethnic background, please describe", ETH_MOTH },
		{ "Asian/Asian British: Any other Asian background, please "
		  "describe", ETH_AOTH },
		{ "Black/African/Caribbean/Black British: African", ETH_BAFR },
		{ "Black/African/Caribbean/Black British: Any other "
		  "Black/African/Caribbean background, please describe",
		  ETH_BOTH },
		{ "Other ethnic group: Arab", ETH_OARB },
		{ "Other ethnic group: Any other ethnic group, please describe",
		  ETH_OOTH },
		{ "Gypsy/Traveller/Irish Traveller", ETH_WGYP },
	};

	EXPECT_ALL(*state, list);
}

/* Census 2021 wording with the parts of a label in another order, and
 * repeats. */
static void test_census_2021_wording_any_order(void **state)
{
	static const struct expect list[] = {
		{ "White: English, Scottish, Welsh, Northern Irish, British",
		  ETH_WBRI },
		{ "White: English, Scottish, Welsh, Northern Irish or British",
		  ETH_WBRI },
		{ "White - English, Scottish, Welsh, Northern Irish or British",
		  ETH_WBRI },
		/* the question in Wales */
		{ "White: Welsh, English, Scottish, Northern Irish or British",
		  ETH_WBRI },
		{ "White: English or British", ETH_WBRI },
		{ "English, Welsh, Scottish", ETH_WBRI },
		{ "White: White British", ETH_WBRI },
		{ "White British White", ETH_WBRI },
		{ "British, White", ETH_WBRI },
		{ "White: White other", ETH_WOTH },
		{ "White: White Irish", ETH_WIRI },
		{ "Asian: Asian other", ETH_AOTH },
		{ "Black: Black African", ETH_BAFR },
		{ "Mixed: Mixed other", ETH_MOTH },
		{ "Asian, Asian Welsh or Asian British: Indian", ETH_AIND },
		{ "Black, Black Welsh, Black British, Caribbean or African: "
		  "Any other Black, Black Welsh, Black British or Caribbean "
		  "background", ETH_BOTH },
		{ "Other ethnic group: Any other ethnic group", ETH_OOTH },
		{ "Any other ethnic group: Other ethnic group", ETH_OOTH },
		{ "Gypsy or Irish Traveller: White", ETH_WGYP },
		{ "Any other Black, African or Caribbean background",
		  ETH_BOTH },
		/* HESA's and the teacher register's wording */
		{ "Asian - Bangladeshi or Bangladeshi British", ETH_ABAN },
		{ "Asian - Chinese or Chinese British", ETH_ACHN },
		{ "Black - African or African British", ETH_BAFR },
		{ "Black - Caribbean or Caribbean British", ETH_BCRB },
		{ "Mixed or multiple ethnic groups - White or White British and "
		  "Asian or Asian British", ETH_MWAS },
		{ "Mixed or multiple ethnic groups - White or White British and "
		  "Black African or Black African British", ETH_MWBA },
		{ "Mixed or multiple ethnic groups - White or White British and "
		  "Black Caribbean or Black Caribbean British", ETH_MWBC },
		{ "White - English, Scottish, Welsh, Northern Irish or British",
		  ETH_WBRI },
		{ "Any other ethnic background", ETH_OOTH },
		{ "Pakistani, Pakistani Scottish or Pakistani British",
		  ETH_APKN },
		{ "Indian or British Indian", ETH_AIND },
		{ "British Bangladeshi", ETH_ABAN },
		{ "Ethnic group: White - Irish", ETH_WIRI },
	};

	EXPECT_ALL(*state, list);
}

/* ---- not known and prefer not to say, as documented ---- */

static void test_not_known_list(void **state)
{
	static const char *const list[] = {
		"Not known", "Unknown", "Not stated", "Not collected",
		"Not recorded", "Not provided", "Not declared", "Not given",
		"Not specified", "Unspecified", "Not available", "Not answered",
		"Not obtained", "Information not yet obtained",
		"Information not obtained", "Not yet obtained",
		"Not yet recorded", "No response", "No data", "Missing",
		"Blank", "None", "Null", "N/A", "NA", "Not applicable",
		"Not reported", "Unreported", "Unclassified",
		"Not classified", "Not supplied", "Not disclosed",
		"Undisclosed", "Not asked", "Invalid", "Don't know",
		"Unknown ethnicity", "Ethnicity not recorded",
		"Ethnic group not known", "Not recorded/unknown",
		"Not Recorded / Unknown", "Not stated/invalid",
		"Not known/not provided", "Unknown or not stated",
		"Not Known - Not Provided",
	};
	size_t k;

	for (k = 0; k < sizeof(list) / sizeof(list[0]); k++) {
		struct ethnicity_match m = expect_id(*state, list[k],
						     ETH_NOT_KNOWN);

		assert_null(m.note);
		assert_int_equal(m.rule, ETH_RULE_BUILT_IN);
	}
}

static void test_prefer_not_to_say_list(void **state)
{
	static const char *const list[] = {
		"Prefer not to say", "Prefer not to state",
		"Prefer not to disclose", "Prefer not to answer",
		"I prefer not to say", "Rather not say",
		"Do not wish to disclose", "Don't wish to say",
		"I do not wish to declare my ethnic origin", "Declined",
		"Declined to state", "Decline to state", "Decline to say",
		"Declined to answer", "Refused", "Information refused",
		"Refused to state", "Refused to say", "Refusal",
		"Patient declined", "Choose not to say", "Withheld",
		"Does not wish to disclose", "Refused/declined",
		"Declined - prefer not to say",
	};
	size_t k;

	for (k = 0; k < sizeof(list) / sizeof(list[0]); k++)
		assert_null(expect_id(*state, list[k],
				      ETH_PREFER_NOT_TO_SAY).note);
}

/* Not known joined with prefer not to say is not known, with a note. */
static void test_not_known_with_prefer_not_to_say(void **state)
{
	static const char *const list[] = {
		"Not known / prefer not to say", "Not known/Prefer not to say",
		"Prefer not to say or not known", "Unknown/Refused",
		"Not stated / declined",
	};
	size_t k;

	for (k = 0; k < sizeof(list) / sizeof(list[0]); k++) {
		struct ethnicity_match m = expect_id(*state, list[k],
						     ETH_NOT_KNOWN);

		assert_non_null(m.note);
		assert_non_null(strstr(m.note, "keeps apart"));
	}
}

/* ---- Mixed Other, and merges ---- */

static void test_mixed_other_variants(void **state)
{
	static const struct expect list[] = {
		{ "Mixed Other", ETH_MOTH }, { "Mixed - Other", ETH_MOTH },
		{ "Mixed: Other", ETH_MOTH }, { "MIXED OTHER", ETH_MOTH },
		{ "Mixed (Other)", ETH_MOTH }, { "Other Mixed", ETH_MOTH },
		{ "Mixed - Other (please specify)", ETH_MOTH },
		{ "Mixed: Mixed other", ETH_MOTH },
		{ "Mixed/Multiple - Other", ETH_MOTH },
	};

	EXPECT_ALL(*state, list);
}

static void test_merged_labels_refused(void **state)
{
	static const char *const merged[] = {
		"BAME", "BME", "Black/Mixed", "Mixed/Black", "Mixed/Asian",
		"Black/Asian", "Black / Asian / Mixed", "Chinese/Other",
		"Chinese or other ethnic group", "BAME group",
		"Black, Asian and Minority Ethnic (BAME)", "BME staff",
		"White ethnic minority", "Non White Other",
		"Ethnicity_Minority_Ethnic_Group", "Minority ethnic pupil",
		"Other/Mixed/Black", "Black and Asian", "Black or Mixed",
		"White, Black, Asian", "Asian or Other ethnic group",
		"White minorities", "All other ethnic groups combined",
	};
	struct parity_error err;
	size_t k;

	for (k = 0; k < sizeof(merged) / sizeof(merged[0]); k++)
		assert_non_null(strstr(expect_error(*state, merged[k], &err),
				       "merges several ethnic groups and "
				       "cannot be classified"));
	/* White with Asian or Black, slashed, names a Mixed background */
	expect_id(*state, "White/Asian", ETH_MWAS);
	expect_id(*state, "White/Black Caribbean", ETH_MWBC);
	/* a group's own 'Other', slashed, is that group's Other */
	expect_id(*state, "White/Other", ETH_WOTH);
	expect_id(*state, "Black/Other", ETH_BOTH);
	expect_id(*state, "Asian/Other", ETH_AOTH);
	expect_id(*state, "Asian/Asian British: Indian", ETH_AIND);
	expect_id(*state, "Black/African", ETH_BAFR);
	/* group-only labels keep matching their group */
	assert_int_equal(expect_id(*state, "Black / Black British",
				   -1).group, ETH_GROUP_BLACK);
}

/* ---- write-ins ---- */

static void test_write_ins(void **state)
{
	static const struct expect list[] = {
		{ "Somali", ETH_BAFR }, { "Nigerian", ETH_BAFR },
		{ "Ghanaian", ETH_BAFR }, { "Eritrean", ETH_BAFR },
		{ "Ethiopian", ETH_BAFR }, { "Sierra Leonean", ETH_BAFR },
		{ "Congolese", ETH_BAFR },
		{ "Jamaican", ETH_BCRB }, { "Afro-Caribbean", ETH_BCRB },
		{ "Polish", ETH_WOTH }, { "Romanian", ETH_WOTH },
		{ "Eastern European", ETH_WOTH }, { "White European", ETH_WOTH },
		{ "White Eastern European", ETH_WOTH },
		{ "Bulgarian", ETH_WOTH }, { "Lithuanian", ETH_WOTH },
		{ "Greek Cypriot", ETH_WOTH }, { "Albanian", ETH_WOTH },
		{ "Sri Lankan", ETH_AOTH }, { "Nepali", ETH_AOTH },
		{ "Afghan", ETH_AOTH }, { "Filipino", ETH_AOTH },
		{ "Vietnamese", ETH_AOTH }, { "Sri Lankan Tamil", ETH_AOTH },
		{ "Hong Kong Chinese", ETH_ACHN },
		{ "Latin American", ETH_OOTH }, { "Hispanic", ETH_OOTH },
		{ "Mixed - Black and Asian", ETH_MOTH },
		{ "Mixed: Asian and Chinese", ETH_MOTH },
		{ "Cornish", ETH_WBRI },
		/* under a heading of their group */
		{ "Black - Somali", ETH_BAFR }, { "Somali (Black)", ETH_BAFR },
		{ "Black African: Nigerian", ETH_BAFR },
		{ "Black British Somali", ETH_BAFR },
		{ "White - Polish", ETH_WOTH }, { "Other White: Polish", ETH_WOTH },
		{ "Any other White background - Polish", ETH_WOTH },
		{ "White Other (Romanian)", ETH_WOTH },
		{ "Other - Polish", ETH_WOTH },
		{ "Asian - Sri Lankan", ETH_AOTH },
		{ "Other ethnic group: Latin American", ETH_OOTH },
		/* the heading settles a write-in of several groups */
		{ "White - Turkish", ETH_WOTH },
		{ "Other ethnic group: Turkish", ETH_OOTH },
		{ "Any other ethnic group - Kurdish", ETH_OOTH },
		{ "Asian - Kurdish", ETH_AOTH },
		{ "White: Turkish Cypriot", ETH_WOTH },
		{ "Indian Punjabi", ETH_AIND },
	};
	struct ethnicity_match m;

	EXPECT_ALL(*state, list);
	m = expect_id(*state, "Somali", ETH_BAFR);
	assert_int_equal(m.rule, ETH_RULE_WRITE_IN);
	assert_null(m.note);
	assert_int_equal(expect_id(*state, "White - Polish", ETH_WOTH).rule,
			 ETH_RULE_WRITE_IN);
	assert_int_equal(expect_id(*state, "Dual heritage", -1).group,
			 ETH_GROUP_MIXED);
	/* written under the Other heading: ONS codes it by the heading,
	 * and the note says so */
	m = expect_id(*state, "Other ethnic group: Filipino", ETH_OOTH);
	assert_non_null(strstr(m.note, "heading"));
	assert_int_equal(m.rule, ETH_RULE_WRITE_IN);
	expect_id(*state, "Any other ethnic group - Vietnamese", ETH_OOTH);
}

/* Write-ins ONS places under more than one group stay refused, naming
 * the groups. */
static void test_write_ins_of_several_groups(void **state)
{
	static const char *const several[] = {
		"Turkish", "Turkish Cypriot", "Kurdish", "Cypriot", "Iranian",
		"Jewish", "Sudanese", "Kenyan", "South African", "Guyanese",
		"American", "Malaysian", "Iraqi", "Lebanese", "Moroccan",
	};
	struct parity_error err;
	size_t k;

	for (k = 0; k < sizeof(several) / sizeof(several[0]); k++) {
		const char *msg = expect_error(*state, several[k], &err);

		if (!strstr(msg, "ambiguous ethnicity label") ||
		    !strstr(msg, "add it to an alias file to say which"))
			fail_msg("%s: %s", several[k], msg);
	}
	assert_string_equal(
		expect_error(*state, "Turkish", &err),
		"ambiguous ethnicity label 'Turkish': could be Other White "
		"(WOTH) or Any other ethnic group (OOTH): the ONS 2021 "
		"classification places this write-in in more than one group "
		"(White; Other ethnic group), by the heading it is written "
		"under; add it to an alias file to say which");
	assert_string_equal(
		expect_error(*state, "Kurdish", &err),
		"ambiguous ethnicity label 'Kurdish': could be Other White "
		"(WOTH), Other Asian (AOTH) or Any other ethnic group (OOTH): "
		"the ONS 2021 classification places this write-in in more "
		"than one group (White; Asian, Asian British or Asian Welsh; "
		"Other ethnic group), by the heading it is written under; add "
		"it to an alias file to say which");
	/* of one group but several categories */
	assert_string_equal(
		expect_error(*state, "Punjabi", &err),
		"ambiguous ethnicity label 'Punjabi': could be Indian (AIND) "
		"or Pakistani (APKN): the write-in does not say which; add it "
		"to an alias file to say which");
	/* a write-in that contradicts a category heading is refused */
	assert_string_equal(
		expect_error(*state, "Black African - Polish", &err),
		"ethnicity label 'Black African - Polish' contradicts itself: "
		"'Polish' is a write-in read as Other White (WOTH), but the "
		"rest of the label reads as African (BAFR); correct the "
		"label, or add it to an alias file to say which");
	assert_non_null(strstr(expect_error(*state, "White Somali", &err),
			       "contradicts itself: 'Somali' is a write-in "
			       "read as African (BAFR), but the rest of the "
			       "label reads as White (high-level group W)"));
	assert_non_null(strstr(expect_error(*state, "Polish/Asian", &err),
			       "contradicts itself"));
	/* a near miss is pointed at */
	assert_non_null(strstr(expect_error(*state, "Nigerain", &err),
			       "; the nearest write-in is 'Nigerian' (African "
			       "(BAFR))"));
}

/* Every row of the write-in table reads as its category says. */
static void test_every_write_in(void **state)
{
	const struct eth_ref_list *lists;
	const struct eth_ref_list *list;
	struct parity_error err = PARITY_ERROR_INIT;
	size_t k;

	assert_int_equal(eth_ref_lists(&lists, &err), 0);
	list = &lists[ETH_REF_WRITE_INS];
	assert_true(list->count >= 200);
	for (k = 0; k < list->count; k++) {
		const struct eth_ref_row *row = &list->rows[k];
		struct ethnicity_match m;
		int rc = ethnicity_classify(*state, row->label, &m, &err);

		if (row->candidates >> 24) {
			assert_int_equal(rc, 0);
			assert_int_equal(1u << (24 + m.group), row->candidates);
		} else if (row->candidates & (row->candidates - 1)) {
			if (rc == 0)
				fail_msg("%s: read as %d", row->label, m.id);
			assert_non_null(strstr(err.message, "could be"));
		} else {
			if (rc < 0)
				fail_msg("%s: %s", row->label, err.message);
			assert_int_equal(1u << m.id, row->candidates);
			assert_int_equal(m.rule, ETH_RULE_WRITE_IN);
		}
	}
}

/* ---- aliases from memory ---- */

static void test_add_alias_from_memory(void **state)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_match m;

	(void)state;
	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	assert_int_equal(ethnicity_classifier_add_alias(c, "Blk Som", "BAFR",
							&err), 0);
	m = expect_id(c, "BLK - SOM", ETH_BAFR);
	assert_int_equal(m.rule, ETH_RULE_ALIAS);
	assert_true(m.from_alias);
	/* settles an ambiguous label, narrows a group, adds nothing */
	assert_int_equal(ethnicity_classifier_add_alias(c, "Other",
							"Any other ethnic group",
							&err), 0);
	expect_id(c, "Other", ETH_OOTH);
	assert_int_equal(ethnicity_classifier_add_alias(c, "Asian", "aoth",
							&err), 0);
	expect_id(c, "Asian", ETH_AOTH);
	assert_int_equal(ethnicity_classifier_add_alias(c, "Somali", "BAFR",
							&err), 0);
	assert_int_equal(expect_id(c, "Somali", ETH_BAFR).rule,
			 ETH_RULE_WRITE_IN);
	assert_int_equal(ethnicity_classifier_add_alias(c, "Z", "NK", &err),
			 0);
	expect_id(c, "Z", ETH_NOT_KNOWN);
	/* an alias comes before a code system's reading */
	ethnicity_classifier_set_code_system(c, ETH_CODES_NHS);
	expect_id(c, "Z", ETH_NOT_KNOWN);
	expect_id(c, "A", ETH_WBRI);
	ethnicity_classifier_set_code_system(c, ETH_CODES_NONE);

	/* the checks of an alias file, with no location */
	assert_int_equal(ethnicity_classifier_add_alias(c, "Blk Som", "BCRB",
							&err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_string_equal(err.file, "");
	assert_int_equal(err.line, 0);
	assert_string_equal(err.message,
			    "alias 'Blk Som' maps to Caribbean (BCRB), but an "
			    "earlier alias maps it to African (BAFR)");
	assert_int_equal(ethnicity_classifier_add_alias(c, "Somali", "BCRB",
							&err), -1);
	assert_string_equal(err.message,
			    "alias 'Somali' maps to Caribbean (BCRB), but "
			    "parity reads it as African (BAFR): remove the "
			    "alias or correct its category");
	assert_int_equal(ethnicity_classifier_add_alias(c, "White Polish",
							"WBRI", &err), -1);
	assert_non_null(strstr(err.message, "parity reads it as Other White"));
	assert_int_equal(ethnicity_classifier_add_alias(c, "Turkish", "BAFR",
							&err), -1);
	assert_non_null(strstr(err.message, "the label could only be Other "
				"White (WOTH) or Any other ethnic group "
				"(OOTH)"));
	assert_int_equal(ethnicity_classifier_add_alias(c, "Black/Mixed",
							"MOTH", &err), -1);
	assert_string_equal(err.message, "'Black/Mixed' merges several ethnic "
			    "groups: it cannot be an alias of one category");
	assert_int_equal(ethnicity_classifier_add_alias(c, "foo", "Carribean",
							&err), -1);
	assert_non_null(strstr(err.message, "category: unknown ethnicity "
				"label 'Carribean'"));
	assert_int_equal(ethnicity_classifier_add_alias(c, "foo", "Black",
							&err), -1);
	assert_non_null(strstr(err.message, "names only a high-level group"));
	assert_int_equal(ethnicity_classifier_add_alias(c, " ", "WBRI",
							&err), -1);
	assert_non_null(strstr(err.message, "the label is blank"));
	assert_int_equal(ethnicity_classifier_add_alias(c, "Black",
							"Indian", &err), -1);
	assert_non_null(strstr(err.message, "outside the high-level group"));
	/* nothing changed on an error */
	expect_id(c, "Blk Som", ETH_BAFR);
	assert_int_equal(ethnicity_classify(c, "foo", &m, &err), -1);
	ethnicity_classifier_free(c);
}

/* A file alias after a memory alias, and the reverse, are checked the
 * same way. */
static void test_alias_file_after_memory_alias(void **state)
{
	struct ethnicity_classifier *c;
	struct parity_error err = PARITY_ERROR_INIT;
	char path[64];

	(void)state;
	write_temp(path, sizeof(path), "label,category\nBlk Som,BCRB\n");
	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	assert_int_equal(ethnicity_classifier_add_alias(c, "Blk Som", "BAFR",
							&err), 0);
	assert_int_equal(ethnicity_classifier_load_aliases(c, path, &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "but an earlier alias maps it to "
				"African (BAFR)"));
	unlink(path);
	ethnicity_classifier_free(c);
}

/* A match's note is static: it outlives the classifier. */
static void test_note_outlives_classifier(void **state)
{
	struct ethnicity_classifier *c = with_codes(ETH_CODES_NHS);
	struct ethnicity_match m = expect_id(c, "Z", ETH_PREFER_NOT_TO_SAY);

	(void)state;
	ethnicity_classifier_free(c);
	assert_non_null(strstr(m.note, "NHS code Z"));
}

/* ---- levels ---- */

static void test_level_names(void **state)
{
	static const char *const names[] = { "detailed", "high",
					     "white-british-binary",
					     "white-binary" };
	struct parity_error err = PARITY_ERROR_INIT;
	enum ethnicity_level level;
	size_t k;

	(void)state;
	for (k = 0; k < 4; k++) {
		assert_int_equal(ethnicity_level_parse(names[k], &level, &err),
				 0);
		assert_int_equal(level, k);
		assert_string_equal(ethnicity_level_name(level), names[k]);
	}
	assert_int_equal(ethnicity_level_parse("HIGH", &level, &err), 0);
	assert_int_equal(level, ETH_LEVEL_HIGH);
	assert_int_equal(ethnicity_level_parse("binary", &level, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_USAGE);
	assert_string_equal(err.message,
			    "unknown ethnicity level 'binary': use detailed, "
			    "high, white-british-binary or white-binary");
	assert_int_equal(ethnicity_level_parse("BAME", &level, &err), -1);
	assert_string_equal(err.message,
			    "parity does not produce 'BAME': it merges ethnic "
			    "groups; use detailed or high, or white-binary to "
			    "compare White with all other ethnic groups "
			    "combined");
}

static void test_level_groups(void **state)
{
	/* output group of each id at high, white-british and white binary */
	static const size_t high[ETH_COUNT] = {
		0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6,
	};
	static const size_t wbri[ETH_COUNT] = {
		0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3,
	};
	static const size_t white[ETH_COUNT] = {
		0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3,
	};
	int k;

	(void)state;
	assert_int_equal(ethnicity_level_group_count(ETH_LEVEL_DETAILED), 19);
	assert_int_equal(ethnicity_level_group_count(ETH_LEVEL_HIGH), 5);
	assert_int_equal(
		ethnicity_level_group_count(ETH_LEVEL_WHITE_BRITISH_BINARY), 2);
	assert_int_equal(ethnicity_level_group_count(ETH_LEVEL_WHITE_BINARY),
			 2);
	for (k = 0; k < ETH_COUNT; k++) {
		assert_int_equal(ethnicity_level_group(k, ETH_LEVEL_DETAILED),
				 k);
		assert_int_equal(ethnicity_level_group(k, ETH_LEVEL_HIGH),
				 high[k]);
		assert_int_equal(ethnicity_level_group(
					 k, ETH_LEVEL_WHITE_BRITISH_BINARY),
				 wbri[k]);
		assert_int_equal(ethnicity_level_group(k, ETH_LEVEL_WHITE_BINARY),
				 white[k]);
	}
}

static void test_level_codes_and_labels(void **state)
{
	enum ethnicity_level l;

	(void)state;
	l = ETH_LEVEL_DETAILED;
	assert_string_equal(ethnicity_level_group_code(l, 14), "BCRB");
	assert_string_equal(ethnicity_level_group_label(l, 14),
			    "Black, Black British, Black Welsh, Caribbean or "
			    "African: Caribbean");
	assert_string_equal(ethnicity_level_group_code(l, 19), "NK");
	assert_string_equal(ethnicity_level_group_label(l, 20),
			    "Prefer not to say");
	assert_null(ethnicity_level_group_code(l, 21));
	l = ETH_LEVEL_HIGH;
	assert_string_equal(ethnicity_level_group_code(l, 2), "A");
	assert_string_equal(ethnicity_level_group_label(l, 2),
			    "Asian, Asian British or Asian Welsh");
	assert_string_equal(ethnicity_level_group_code(l, 5), "NK");
	assert_string_equal(ethnicity_level_group_code(l, 6), "PNS");
	assert_null(ethnicity_level_group_label(l, 7));
	l = ETH_LEVEL_WHITE_BRITISH_BINARY;
	assert_string_equal(ethnicity_level_group_code(l, 0), "WBRI");
	assert_string_equal(ethnicity_level_group_label(l, 0), "White British");
	assert_string_equal(ethnicity_level_group_code(l, 1), "NOT_WBRI");
	assert_string_equal(ethnicity_level_group_label(l, 1),
			    "All other ethnic groups combined (including "
			    "White minorities)");
	assert_string_equal(ethnicity_level_group_code(l, 2), "NK");
	assert_string_equal(ethnicity_level_group_label(l, 3),
			    "Prefer not to say");
	l = ETH_LEVEL_WHITE_BINARY;
	assert_string_equal(ethnicity_level_group_code(l, 0), "W");
	assert_string_equal(ethnicity_level_group_label(l, 0), "White");
	assert_string_equal(ethnicity_level_group_code(l, 1), "NOT_W");
	assert_string_equal(ethnicity_level_group_label(l, 1),
			    "All other ethnic groups combined (excluding "
			    "White minorities)");
	assert_string_equal(ethnicity_level_group_code(l, 3), "PNS");
}

static void test_level_notes_and_no_bame(void **state)
{
	enum ethnicity_level l;

	(void)state;
	assert_null(ethnicity_level_note(ETH_LEVEL_DETAILED));
	assert_null(ethnicity_level_note(ETH_LEVEL_HIGH));
	assert_string_equal(
		ethnicity_level_note(ETH_LEVEL_WHITE_BRITISH_BINARY),
		"White British compared with all other ethnic groups combined, "
		"including White minorities (Irish, Gypsy or Irish Traveller, "
		"Roma, Other White): the second group merges the White "
		"minorities with the Mixed or Multiple, Asian, Black and Other "
		"ethnic groups");
	assert_string_equal(
		ethnicity_level_note(ETH_LEVEL_WHITE_BINARY),
		"White compared with all other ethnic groups combined: White "
		"minorities (Irish, Gypsy or Irish Traveller, Roma, Other "
		"White) are counted with White, and the second group merges "
		"the Mixed or Multiple, Asian, Black and Other ethnic groups");
	for (l = ETH_LEVEL_DETAILED; l <= ETH_LEVEL_WHITE_BINARY; l++) {
		size_t k, n = ethnicity_level_group_count(l) + 2;

		for (k = 0; k < n; k++) {
			const char *code = ethnicity_level_group_code(l, k);
			const char *label = ethnicity_level_group_label(l, k);

			assert_null(strstr(code, "BAME"));
			assert_null(strstr(code, "BME"));
			assert_null(strstr(label, "BAME"));
			assert_null(strstr(label, "BME"));
			assert_null(strstr(label, "non-White"));
		}
	}
}

/* ---- 2011 crosswalk ---- */

static void test_2011_crosswalk(void **state)
{
	static const char *const labels[ETHNICITY_2011_COUNT] = {
		"English/Welsh/Scottish/Northern Irish/British", "Irish",
		"Gypsy or Irish Traveller", "Other White",
		"White and Black Caribbean", "White and Black African",
		"White and Asian", "Other Mixed",
		"Indian", "Pakistani", "Bangladeshi", "Chinese", "Other Asian",
		"African", "Caribbean", "Other Black",
		"Arab", "Any other ethnic group",
	};
	size_t k, seen[ETHNICITY_DETAILED_COUNT] = { 0 };
	const struct ethnicity_2011_category *woth;

	(void)state;
	for (k = 0; k < ETHNICITY_2011_COUNT; k++) {
		const struct ethnicity_2011_category *c =
			ethnicity_2011_category(k);
		size_t j;

		assert_string_equal(c->label, labels[k]);
		assert_int_equal(strncmp(c->code, "2011-", 5), 0);
		assert_int_equal(c->maps_to_count, k == 3 ? 2 : 1);
		for (j = 0; j < c->maps_to_count; j++) {
			seen[c->maps_to[j]]++;
			assert_int_equal(ethnicity_2011_index_of(c->maps_to[j]),
					 k);
		}
	}
	/* every 2021 category comes from exactly one 2011 category */
	for (k = 0; k < ETHNICITY_DETAILED_COUNT; k++)
		assert_int_equal(seen[k], 1);
	woth = ethnicity_2011_category(3);
	assert_string_equal(woth->code, "2011-WOTH");
	assert_string_equal(woth->group_label, "White");
	assert_int_equal(woth->maps_to[0], ETH_WROM);
	assert_int_equal(woth->maps_to[1], ETH_WOTH);
	assert_non_null(strstr(woth->note, "Roma"));
	assert_int_equal(ethnicity_2011_index_of(ETH_WROM), 3);
	assert_int_equal(ethnicity_2011_index_of(ETH_WOTH), 3);
	assert_string_equal(ethnicity_2011_category(2)->code, "2011-WGYP");
	assert_int_equal(ethnicity_2011_category(2)->maps_to[0], ETH_WGYP);
	assert_string_equal(ethnicity_2011_category(11)->group_label,
			    "Asian/Asian British");
	assert_int_equal(ethnicity_2011_category(11)->maps_to[0], ETH_ACHN);
	assert_int_equal(ethnicity_2011_category(16)->maps_to[0], ETH_OARB);
	assert_null(ethnicity_2011_category(0)->note);
	assert_null(ethnicity_2011_category(ETHNICITY_2011_COUNT));
	assert_int_equal(ethnicity_2011_index_of(ETH_NOT_KNOWN),
			 ETHNICITY_2011_COUNT);
	assert_int_equal(ethnicity_2011_index_of(ETH_PREFER_NOT_TO_SAY),
			 ETHNICITY_2011_COUNT + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes_and_order),
		cmocka_unit_test(test_group_info),
		cmocka_unit_test(test_output_and_full_labels),
		cmocka_unit_test(test_question_labels),
		cmocka_unit_test_setup_teardown(test_every_table_label_matches,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_census_2021_output_labels,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_question_wording, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_census_2011_labels, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_2011_table_labels_match,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_and_long_forms,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_spacing_and_separators,
						setup, teardown),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test_setup_teardown(test_not_known, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prefer_not_to_say, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_group_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_labels_suggest,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_codes_are_not_labels,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_long_label_is_cut_in_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous_labels, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bame_and_relatives_refused,
						setup, teardown),
		cmocka_unit_test(test_aliases_load_and_match),
		cmocka_unit_test(test_alias_errors_name_line_and_column),
		cmocka_unit_test(test_alias_file_with_an_error_changes_nothing),
		cmocka_unit_test(test_alias_file_missing),
		cmocka_unit_test(test_alias_file_after_memory_alias),
		cmocka_unit_test(test_add_alias_from_memory),
		cmocka_unit_test(test_code_system_names),
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_nhs_codes),
		cmocka_unit_test_setup_teardown(test_nhs_coded_labels, setup,
						teardown),
		cmocka_unit_test(test_dfe_codes),
		cmocka_unit_test_setup_teardown(test_dfe_coded_labels, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dfe_open_data_identifiers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_police_self_defined_codes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_police_officer_defined_codes, setup, teardown),
		cmocka_unit_test(test_every_code_list_row),
		cmocka_unit_test_setup_teardown(test_census_2001_wording, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_census_2011_wording, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_census_2021_wording_any_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_known_list, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prefer_not_to_say_list,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_not_known_with_prefer_not_to_say, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mixed_other_variants, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_merged_labels_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_ins, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_write_ins_of_several_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_write_in, setup,
						teardown),
		cmocka_unit_test(test_note_outlives_classifier),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_level_groups),
		cmocka_unit_test(test_level_codes_and_labels),
		cmocka_unit_test(test_level_notes_and_no_bame),
		cmocka_unit_test(test_2011_crosswalk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
