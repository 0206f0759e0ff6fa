/*
 * test_service_def.c - the built-in service definitions, stage names and
 * aliases, user definitions and their errors, and the ethnic groups
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
		cmocka_unit_test(test_service_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
