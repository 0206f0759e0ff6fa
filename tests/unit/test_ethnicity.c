/*
 * test_ethnicity.c - the ethnicity classifications and label matching:
 * every official 2021 and 2011 label, the forms councils' systems use, the
 * two non-declared states, unknown, ambiguous and refused labels with their
 * exact messages, council alias files and their errors, output levels and
 * their notes, and the 2011 crosswalk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/ethnicity.h"

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
		"Irish (WIRI), Roma (WROM); a code is read as a label only "
		"when an alias file maps it");
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
	assert_string_equal(
		expect_error(*state, "Mixed other", &err),
		"ambiguous ethnicity label 'Mixed other': could be Other "
		"Mixed or Multiple ethnic groups (MOTH), or the Mixed and "
		"Other ethnic groups combined ('Mixed/Other'); add it to an "
		"alias file to say which");
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
		   "Black - Somali,BAFR\n"
		   "Eastern European,Other White\n"
		   "\"Somali, Black\",Black African\n"
		   "Other,ooth\n"
		   "White British,WBRI\n"
		   "Gypsy/Roma,Gypsy or Irish Traveller\n"
		   "Z,NK\n"
		   "Asian,AOTH\n"
		   "WBRI,WBRI\n"
		   "Black - Somali,African\n");
	assert_int_equal(ethnicity_classifier_new(&c, &err), 0);
	assert_int_equal(ethnicity_classifier_load_aliases(c, path, &err), 0);
	unlink(path);

	m = expect_id(c, "black somali", ETH_BAFR);
	assert_true(m.from_alias);
	assert_int_equal(m.group, ETH_GROUP_BLACK);
	assert_true(expect_id(c, "Eastern European", ETH_WOTH).from_alias);
	assert_true(expect_id(c, "Somali Black", ETH_BAFR).from_alias);
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
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_level_groups),
		cmocka_unit_test(test_level_codes_and_labels),
		cmocka_unit_test(test_level_notes_and_no_bame),
		cmocka_unit_test(test_2011_crosswalk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
