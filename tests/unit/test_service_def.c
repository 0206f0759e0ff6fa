/*
 * test_service_def.c - the built-in service definitions, stage names and
 * aliases, stages within earlier ones, user definitions and their errors
 * (each located at the value at fault), and the ethnic groups
 * services record: school census and police labels, high-level labels
 * kept at the high level.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/ethnicity.h"
#include "domain/service_def.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_built_in_services(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_defs *defs;
	const struct service_def *yj, *ex, *ss;

	(void)state;
	assert_int_equal(service_defs_load(&defs, &err), 0);
	assert_int_equal(defs->count, 3);
	yj = service_def_find(defs, "youth-justice");
	ex = service_def_find(defs, "School_Exclusions");
	ss = service_def_find(defs, "stop and search");
	assert_non_null(yj);
	assert_non_null(ex);
	assert_non_null(ss);
	assert_null(service_def_find(defs, "housing"));
	assert_int_equal(yj->stage_count, 6);
	assert_string_equal(yj->stages[0].name, "population aged 10-17");
	assert_string_equal(yj->stages[3].name, "out-of-court disposal");
	assert_string_equal(yj->stages[5].name, "custodial sentence");
	assert_int_equal(ex->stage_count, 3);
	assert_int_equal(ss->stage_count, 3);
	/* names and aliases, in any case and spacing */
	assert_int_equal(service_stage_find(yj, "Out of court disposal"), 3);
	assert_int_equal(service_stage_find(yj, "OOCD"), 3);
	assert_int_equal(service_stage_find(ex, "fixed_excl"), 1);
	assert_int_equal(service_stage_find(ex, "Permanent-Exclusion"), 2);
	assert_int_equal(service_stage_find(ss, "people present"), 3);
	assert_string_equal(service_stage_at(ss, 4)->name, "police contact");
	assert_int_equal(service_stage_find(ss, "caution"), -1);
	service_defs_free(defs);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_user_definitions(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_defs *defs;
	char path[] = "/tmp/parity-test-service-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(service_defs_load(&defs, &err), 0);
	write_file(path, "[{\"service\": \"child-protection\", \"title\": "
		   "\"Child protection\", \"people\": \"children\", \"stages\": "
		   "[{\"name\": \"children\"}, {\"name\": \"referral\", "
		   "\"verb\": \"are referred\", \"who\": \"who are referred\"}, "
		   "{\"name\": \"child protection plan\", \"aliases\": "
		   "[\"CPP\"], \"verb\": \"are placed on a plan\", \"who\": "
		   "\"on a plan\"}]}]");
	assert_int_equal(service_defs_load_file(defs, path, &err), 0);
	assert_int_equal(defs->count, 4);
	assert_int_equal(service_stage_find(service_def_find(defs,
				"child-protection"), "cpp"), 2);

	/* a name already defined */
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_non_null(strstr(err.message, "already defined"));
	/* a stage that findings could not put into words */
	write_file(path, "{\"service\": \"x\", \"title\": \"X\", \"people\": "
		   "\"people\", \"stages\": [{\"name\": \"a\"}, {\"name\": "
		   "\"b\"}]}");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_non_null(strstr(err.message, "needs 'verb' and 'who'"));
	/* two stages with one name */
	write_file(path, "{\"service\": \"y\", \"title\": \"Y\", \"people\": "
		   "\"people\", \"stages\": [{\"name\": \"a\"}, {\"name\": "
		   "\"b\", \"aliases\": [\"A\"], \"verb\": \"v\", \"who\": "
		   "\"w\"}]}");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_non_null(strstr(err.message, "names two stages"));
	/* not JSON: located */
	write_file(path, "{\"service\": ");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_PARSE);
	assert_int_equal(err.line, 1);
	assert_int_equal(defs->count, 4);
	service_defs_free(defs);
	unlink(path);
}

/* Which stages the built-in services say are within an earlier one. */
static void test_built_in_nesting(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_defs *defs;
	const struct service_def *yj, *ex, *ss;

	(void)state;
	assert_int_equal(service_defs_load(&defs, &err), 0);
	yj = service_def_find(defs, "youth-justice");
	ex = service_def_find(defs, "school-exclusions");
	ss = service_def_find(defs, "stop-and-search");
	/* events counted where they happen are not residents' subsets */
	assert_false(yj->stages[0].nested);
	assert_false(yj->stages[1].nested);
	assert_true(yj->stages[2].nested);     /* charge in arrest */
	assert_int_equal(yj->stages[2].within, 1);
	assert_true(yj->stages[3].nested);     /* out-of-court disposal */
	assert_int_equal(yj->stages[3].within, 1);
	assert_false(yj->stages[4].nested);    /* court: also by summons */
	assert_true(yj->stages[5].nested);     /* custody in court */
	assert_int_equal(yj->stages[5].within, 4);
	assert_false(ex->stages[1].nested);    /* suspensions are events */
	assert_true(ex->stages[2].nested);     /* permanent exclusion */
	assert_int_equal(ex->stages[2].within, 0);
	assert_int_equal(ex->stages[2].from, 1);
	assert_false(ss->stages[1].nested);
	assert_true(ss->stages[2].nested);     /* arrest in search */
	assert_int_equal(ss->stages[2].within, 1);
	service_defs_free(defs);
}

/* 'within' in a user's definition, and every error located at the value
 * at fault (line and column in characters). */
static void test_within_and_located_errors(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_defs *defs;
	const struct service_def *d;
	char path[] = "/tmp/parity-test-service-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(service_defs_load(&defs, &err), 0);
	write_file(path,
		   "{\n"
		   "  \"service\": \"child-protection\",\n"
		   "  \"title\": \"Child protection\",\n"
		   "  \"people\": \"children\",\n"
		   "  \"stages\": [\n"
		   "    { \"name\": \"children\" },\n"
		   "    { \"name\": \"referral\", \"verb\": \"are referred\",\n"
		   "      \"who\": \"who are referred\", \"within\": true },\n"
		   "    { \"name\": \"assessment\", \"verb\": \"are assessed\",\n"
		   "      \"who\": \"assessed\", \"within\": false },\n"
		   "    { \"name\": \"plan\", \"verb\": \"are on a plan\",\n"
		   "      \"who\": \"on a plan\", \"within\": \"referral\" }\n"
		   "  ]\n"
		   "}\n");
	assert_int_equal(service_defs_load_file(defs, path, &err), 0);
	d = service_def_find(defs, "child-protection");
	assert_true(d->stages[1].nested);
	assert_int_equal(d->stages[1].within, 0);
	assert_false(d->stages[2].nested);
	assert_true(d->stages[3].nested);
	assert_int_equal(d->stages[3].within, 1);

	/* a 'within' that names no earlier stage: at its value */
	write_file(path,
		   "[\n"
		   "  { \"service\": \"a\", \"title\": \"A\", \"people\": \"p\",\n"
		   "    \"stages\": [ { \"name\": \"x\" },\n"
		   "      { \"name\": \"y\", \"verb\": \"v\", \"who\": \"w\",\n"
		   "        \"within\": \"z\" } ] }\n"
		   "]\n");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_int_equal(err.line, 5);
	assert_int_equal(err.column, 19);
	assert_non_null(strstr(err.message, "'within'"));
	/* the base cannot be within anything */
	write_file(path,
		   "{ \"service\": \"b\", \"title\": \"B\", \"people\": \"p\",\n"
		   "  \"stages\": [ { \"name\": \"x\", \"within\": true },\n"
		   "    { \"name\": \"y\", \"verb\": \"v\", \"who\": \"w\" } ] }\n");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 40);
	/* a stage without 'who': at the stage, in the second definition */
	write_file(path,
		   "[ { \"service\": \"c\", \"title\": \"\xC3\x89\", \"people\": \"p\",\n"
		   "    \"stages\": [ { \"name\": \"x\" }, { \"name\": \"y\", "
		   "\"verb\": \"v\", \"who\": \"w\" } ] },\n"
		   "  { \"service\": \"d\", \"title\": \"\xC3\x89\", \"people\": \"p\",\n"
		   "    \"stages\": [ { \"name\": \"x\" }, { \"name\": \"y\", "
		   "\"verb\": \"v\" } ] } ]\n");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_int_equal(err.line, 4);
	assert_int_equal(err.column, 34);
	assert_non_null(strstr(err.message, "needs 'verb' and 'who'"));
	/* a name already defined: at its name */
	write_file(path, "{ \"service\": \"youth-justice\", \"title\": \"Y\", "
		   "\"people\": \"p\", \"stages\": [ { \"name\": \"x\" }, "
		   "{ \"name\": \"y\", \"verb\": \"v\", \"who\": \"w\" } ] }");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 14);
	assert_non_null(strstr(err.message, "already defined"));
	/* a missing member: at the object that lacks it */
	write_file(path, "\n\n   { \"service\": \"e\", \"people\": \"p\" }");
	assert_int_equal(service_defs_load_file(defs, path, &err), -1);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 4);
	assert_non_null(strstr(err.message, "'title'"));
	service_defs_free(defs);
	unlink(path);
}

static int classify(const struct ethnicity_classifier *cls,
		    const char *label)
{
	struct parity_error err = PARITY_ERROR_INIT;
	int g = -2;

	if (service_group_classify(cls, label, &g, &err) < 0)
		return -1;
	return g;
}

static void test_service_groups(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_classifier *cls;

	(void)state;
	assert_int_equal(ethnicity_classifier_new(&cls, &err), 0);
	/* detailed labels go to the 2021 categories */
	assert_int_equal(classify(cls, "Black Caribbean"), ETH_BCRB);
	assert_int_equal(classify(cls, "White British"), ETH_WBRI);
	/* high-level labels stay high-level: never spread */
	assert_int_equal(classify(cls, "Black"),
			 SVC_HIGH_FIRST + ETH_GROUP_BLACK);
	assert_int_equal(classify(cls, "Asian or Asian British"),
			 SVC_HIGH_FIRST + ETH_GROUP_ASIAN);
	/* the school census's own categories */
	assert_int_equal(classify(cls, "Gypsy/Roma"), SVC_GYPSY_ROMA);
	assert_int_equal(classify(cls, "Traveller of Irish heritage"),
			 SVC_TRAVELLER_IRISH);
	assert_int_equal(classify(cls, "Unclassified"), SVC_NOT_KNOWN);
	/* police officer-defined groups and IC codes */
	assert_int_equal(classify(cls, "Other"),
			 SVC_HIGH_FIRST + ETH_GROUP_OTHER);
	assert_int_equal(classify(cls, "IC3"), SVC_HIGH_FIRST + ETH_GROUP_BLACK);
	assert_int_equal(classify(cls, "ic5"), SVC_HIGH_FIRST + ETH_GROUP_OTHER);
	assert_int_equal(classify(cls, "IC9"), SVC_NOT_KNOWN);
	assert_int_equal(classify(cls, ""), SVC_NOT_KNOWN);
	assert_int_equal(classify(cls, "Prefer not to say"),
			 SVC_PREFER_NOT_TO_SAY);
	assert_int_equal(classify(cls, "Martian"), -1);

	assert_string_equal(service_group_code(SVC_GYPSY_ROMA), "WGYR");
	assert_int_equal(service_group_high(SVC_GYPSY_ROMA), ETH_GROUP_WHITE);
	assert_true(service_group_is_detailed(SVC_TRAVELLER_IRISH));
	assert_false(service_group_is_detailed(SVC_HIGH_FIRST));
	assert_false(service_group_is_declared(SVC_NOT_KNOWN));
	assert_int_equal(service_group_find_code("b"),
			 SVC_HIGH_FIRST + ETH_GROUP_BLACK);
	assert_int_equal(service_group_find_code("WBRI"), ETH_WBRI);
	assert_non_null(strstr(service_group_note(SVC_GYPSY_ROMA),
			       "cannot be split"));
	assert_null(service_group_note(ETH_WBRI));
	ethnicity_classifier_free(cls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built_in_services),
		cmocka_unit_test(test_user_definitions),
		cmocka_unit_test(test_built_in_nesting),
		cmocka_unit_test(test_within_and_located_errors),
		cmocka_unit_test(test_service_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
