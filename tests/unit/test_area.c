/*
 * test_area.c - London's areas, their hierarchy, the partnerships and
 * groups of boroughs beside it, the regions and countries
 * of England and Wales, and the Census 2021 benchmark pooled over them;
 * user benchmark files and their errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct area_set *areas;

static int setup(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;

	(void)state;
	return area_set_load(&areas, &err);
}

static int teardown(void **state)
{
	(void)state;
	area_set_free(areas);
	return 0;
}

static void test_london_hierarchy(void **state)
{
	int leaves[400];
	int london = area_london(areas);
	int inner = area_find(areas, "E13000001");
	int outer = area_find(areas, "Outer London");
	int brent = area_find(areas, "brent");
	int city = area_find(areas, "E09000001");

	(void)state;
	assert_true(london >= 0 && inner >= 0 && outer >= 0 && brent >= 0);
	assert_int_equal(area_leaves(areas, london, leaves), 33);
	assert_int_equal(area_leaves(areas, inner, leaves), 14);
	assert_int_equal(area_leaves(areas, outer, leaves), 19);
	assert_string_equal(areas->areas[brent].code, "E09000005");
	assert_int_equal(areas->areas[brent].type, AREA_BOROUGH);
	assert_true(area_within(areas, brent, outer));
	assert_false(area_within(areas, brent, inner));
	assert_true(area_within(areas, city, inner));
	assert_true(area_within(areas, city, london));
	assert_string_equal(areas->areas[city].name, "City of London");
	/* every local authority of England and Wales is known, with the
	 * other eight regions, Wales, England and England and Wales */
	assert_int_equal(areas->count, 3 + 331 + 8 + 3 + 4);
	assert_int_equal(area_find(areas, "E09000034"), -1);
	/* London's own hierarchy is as it was, within England */
	assert_int_equal(areas->areas[inner].parent, london);
	assert_int_equal(areas->areas[outer].parent, london);
	assert_int_equal(areas->areas[london].parent,
			 area_find(areas, "E92000001"));
}

/* Each authority in exactly one region of England or in Wales; the
 * regions within England, England and Wales within England and Wales. */
static void test_national_hierarchy(void **state)
{
	static const struct {
		const char *code;
		size_t authorities;
	} regions[] = {
		{ "E12000001", 12 }, { "E12000002", 39 }, { "E12000003", 21 },
		{ "E12000004", 35 }, { "E12000005", 30 }, { "E12000006", 45 },
		{ "E12000007", 33 }, { "E12000008", 64 }, { "E12000009", 30 },
		{ "W92000004", 22 },
	};
	int leaves[400];
	int top = area_find(areas, "England and Wales");
	int england = area_find(areas, "E92000001");
	int wales = area_find(areas, "Wales");
	size_t k, r, sum = 0;

	(void)state;
	assert_true(top >= 0 && england >= 0 && wales >= 0);
	assert_string_equal(areas->areas[top].code, "K04000001");
	assert_int_equal(areas->areas[top].type, AREA_COUNTRY);
	assert_int_equal(areas->areas[top].parent, -1);
	assert_int_equal(areas->areas[england].parent, top);
	assert_int_equal(areas->areas[wales].parent, top);
	assert_string_equal(area_type_name(AREA_COUNTRY), "country");
	assert_int_equal(area_leaves(areas, top, leaves), 331);
	assert_int_equal(area_leaves(areas, england, leaves), 309);
	for (r = 0; r < sizeof(regions) / sizeof(regions[0]); r++) {
		int at = area_find(areas, regions[r].code);

		assert_true(at >= 0);
		assert_int_equal(areas->areas[at].parent,
				 r < 9 ? england : top);
		assert_int_equal(area_leaves(areas, at, leaves),
				 regions[r].authorities);
		sum += regions[r].authorities;
	}
	assert_int_equal(sum, 331);
	/* the only area without a parent is the top (the partnerships are
	 * beside the tree); Welsh codes in Wales */
	for (k = 0; k < areas->count; k++) {
		const struct area *a = &areas->areas[k];

		assert_true(a->parent >= 0 || (int)k == top ||
			    a->type == AREA_PARTNERSHIP);
		if (a->type == AREA_LOCAL_AUTHORITY)
			assert_true(area_within(areas, (int)k, wales) ==
				    (a->code[0] == 'W'));
	}
	assert_int_equal(areas->areas[area_find(areas, "Cardiff")].parent,
			 wales);
	assert_string_equal(
		areas->areas[areas->areas[area_find(areas, "Leeds")].parent]
			.name, "Yorkshire and The Humber");
}

static void test_census_london_composition(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct benchmark *b;
	double pop[ETHNICITY_DETAILED_COUNT], total;

	(void)state;
	assert_int_equal(benchmark_load_census2021(&b, areas, &err), 0);
	assert_int_equal(benchmark_populations(b, area_london(areas),
					       ETH_LEVEL_HIGH, pop, &total, &err), 0);
	assert_true(total == 8799736.0);
	assert_true(fabs(100 * pop[ETH_GROUP_ASIAN] / total - 20.7) < 0.05);
	assert_true(fabs(100 * pop[ETH_GROUP_BLACK] / total - 13.5) < 0.05);
	assert_int_equal(benchmark_populations(b, area_london(areas),
					       ETH_LEVEL_WHITE_BRITISH_BINARY, pop,
					       &total, &err), 0);
	assert_true(fabs(100 * pop[0] / total - 36.8) < 0.05);
	assert_int_equal(benchmark_populations(b, area_find(areas, "Brent"),
					       ETH_LEVEL_DETAILED, pop, &total, &err), 0);
	assert_true(total == 339821.0);
	assert_int_equal(benchmark_populations(b, area_find(areas, "Newham"),
					       ETH_LEVEL_HIGH, pop, &total, &err), 0);
	assert_true(total == 351030.0);
	assert_int_equal(benchmark_populations(b, area_find(areas, "E13000001"),
					       ETH_LEVEL_HIGH, pop, &total, &err), 0);
	assert_true(total == 3404145.0);
	/* England and England and Wales pooled from their authorities: the
	 * sums data/PROVENANCE.md gives */
	assert_int_equal(benchmark_populations(b, area_find(areas, "E92000001"),
					       ETH_LEVEL_HIGH, pop, &total, &err), 0);
	assert_true(total == 56490065.0);
	assert_int_equal(benchmark_populations(b, area_find(areas, "K04000001"),
					       ETH_LEVEL_DETAILED, pop, &total, &err), 0);
	assert_true(total == 59597578.0);
	benchmark_free(b);
}

static void test_benchmark_table_rows(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct benchmark *b;
	struct tidy_table t;
	size_t k, shares = 0;
	double sum = 0;

	(void)state;
	tidy_table_init(&t);
	assert_int_equal(benchmark_load_census2021(&b, areas, &err), 0);
	assert_int_equal(benchmark_table(b, area_find(areas, "Brent"),
					 ETH_LEVEL_DETAILED, &t, &err), 0);
	/* 19 populations, 19 shares and the total */
	assert_int_equal(t.count, 39);
	for (k = 0; k < t.count; k++) {
		assert_string_equal(t.rows[k].area_code, "E09000005");
		assert_int_equal(t.rows[k].year, 2021);
		if (strcmp(t.rows[k].measure, "benchmark_share") == 0) {
			shares++;
			sum += t.rows[k].value;
			assert_true(t.rows[k].denominator == 339821.0);
		}
	}
	assert_int_equal(shares, 19);
	assert_true(fabs(sum - 100.0) < 1e-9);
	benchmark_free(b);
	tidy_table_free(&t);
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/parity-bench-XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

static void expect_file_error(const char *text, long line, long column,
			      const char *fragment)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_classifier *cls;
	struct benchmark *b = NULL;
	char *path = write_temp(text);

	assert_int_equal(ethnicity_classifier_new(&cls, &err), 0);
	assert_int_equal(benchmark_load_file(&b, areas, cls, path, &err), -1);
	assert_null(b);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	if (!strstr(err.message, fragment))
		fail_msg("message '%s' lacks '%s'", err.message, fragment);
	ethnicity_classifier_free(cls);
	unlink(path);
	free(path);
}

static void test_user_benchmark_errors(void **state)
{
	(void)state;
	expect_file_error("area_code,population\nE09000005,10\n", 1, 1,
			  "missing required column 'ethnicity'");
	expect_file_error("area_code,ethnicity,population\nE09000099,Indian,10\n",
			  2, 1, "unknown area code 'E09000099'");
	expect_file_error("area_code,ethnicity,population\nE09000005,Klingon,10\n",
			  2, 11, "Klingon");
	expect_file_error("area_code,ethnicity,population\nE09000005,Indian,ten\n",
			  2, 18, "population 'ten'");
	expect_file_error("area_code,ethnicity,population\nE09000005,Indian,-4\n",
			  2, 18, "population '-4'");
	expect_file_error("area_code,ethnicity,population\nE09000005,Indian,4\n"
			  "E09000005,Asian or Asian British: Indian,5\n",
			  3, 11, "a second population");
	expect_file_error("area_code,ethnicity,population\nE09000005,Not known,4\n",
			  2, 11, "declared ethnic group");
	expect_file_error("area_code,ethnicity,population\nE09000005,\"Indian,4\n",
			  2, 11, "unterminated quote");
}

static void test_user_benchmark_high_level_only(void **state)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct ethnicity_classifier *cls;
	struct benchmark *b;
	double pop[ETHNICITY_DETAILED_COUNT], total;
	char *path = write_temp("Area_Code,Ethnicity,Population\n"
				"E09000005,White,600\nE09000005,Asian,\"1,200\"\n"
				"E09000005,Black,400\nE09000005,Mixed,100\n"
				"E09000005,Other ethnic group,100\n");

	(void)state;
	assert_int_equal(ethnicity_classifier_new(&cls, &err), 0);
	assert_int_equal(benchmark_load_file(&b, areas, cls, path, &err), 0);
	assert_int_equal(benchmark_populations(b, area_find(areas, "Brent"),
					       ETH_LEVEL_HIGH, pop, &total, &err), 0);
	assert_true(total == 2400.0);
	assert_true(pop[ETH_GROUP_ASIAN] == 1200.0);
	assert_int_equal(benchmark_populations(b, area_find(areas, "Brent"),
					       ETH_LEVEL_DETAILED, pop, &total, &err), -1);
	assert_non_null(strstr(err.message, "only high-level groups"));
	/* London cannot be pooled: the other boroughs are missing */
	assert_int_equal(benchmark_populations(b, area_london(areas),
					       ETH_LEVEL_HIGH, pop, &total, &err), -1);
	assert_non_null(strstr(err.message, "no population for"));
	benchmark_free(b);
	ethnicity_classifier_free(cls);
	unlink(path);
	free(path);
}

/* London's four partnerships beside the tree, from data/partnerships.csv:
 * 32 boroughs, each in one, Bromley in none; a user's group is coded from
 * its name and refused when it would be ambiguous or not a group. */
static void test_partnerships_and_groups(void **state)
{
	static const struct {
		const char *code, *name;
		size_t members;
	} partnerships[] = {
		{ "P-CLF", "Central London Forward", 12 },
		{ "P-LL", "Local London", 8 },
		{ "P-SLP", "South London Partnership", 5 },
		{ "P-WLA", "West London Alliance", 7 },
	};
	struct parity_error err = PARITY_ERROR_INIT;
	char code[AREA_GROUP_CODE_MAX + 1];
	int in[40] = { 0 }, leaves[400], members[3];
	int inner = area_find(areas, "Inner London");
	size_t p, k, n;
	struct area_set *set;
	int g;

	(void)state;
	for (p = 0; p < 4; p++) {
		int at = area_find(areas, partnerships[p].code);

		assert_true(at >= 0);
		assert_int_equal(at, area_find(areas, partnerships[p].name));
		assert_int_equal(areas->areas[at].type, AREA_PARTNERSHIP);
		assert_string_equal(area_type_name(AREA_PARTNERSHIP),
				    "partnership");
		assert_int_equal(areas->areas[at].parent, -1);
		assert_true(area_is_group(areas, at));
		n = area_leaves(areas, at, leaves);
		assert_int_equal(n, partnerships[p].members);
		for (k = 0; k < n; k++) {
			assert_int_equal(areas->areas[leaves[k]].type,
					 AREA_BOROUGH);
			assert_true(area_includes(areas, leaves[k], at));
			assert_false(area_within(areas, leaves[k], at));
			in[atoi(areas->areas[leaves[k]].code + 3)]++;
			assert_true(k == 0 || leaves[k] > leaves[k - 1]);
		}
	}
	for (k = 1; k <= 33; k++)
		assert_int_equal(in[k], k == 6 ? 0 : 1); /* Bromley E09000006 */
	/* Lambeth: Inner London and Central London Forward */
	assert_true(area_within(areas, area_find(areas, "Lambeth"), inner));
	assert_true(area_includes(areas, area_find(areas, "Lambeth"),
				  area_find(areas, "P-CLF")));
	assert_false(area_is_group(areas, inner));

	assert_int_equal(area_group_code("Black Caribbean Achievement", code,
					 &err), 0);
	assert_string_equal(code, "G-BLACK-CARIBBEAN-ACHIEVEMENT");
	assert_int_equal(area_group_code("  south--east (pilot) 2 ", code,
					 &err), 0);
	assert_string_equal(code, "G-SOUTH-EAST-PILOT-2");
	assert_int_equal(area_group_code("&&", code, &err), -1);
	assert_int_equal(area_group_code("", code, &err), -1);

	assert_int_equal(area_set_load(&set, &err), 0);
	members[0] = area_find(set, "Southwark");
	members[1] = area_find(set, "Brent");
	members[2] = area_find(set, "Lambeth");
	assert_int_equal(area_set_add_group(set, "G-PILOT", "Pilot", members,
					    3, &err), 0);
	g = area_find(set, "pilot");
	assert_int_equal(g, (int)set->count - 1);
	assert_int_equal(set->areas[g].type, AREA_GROUP);
	/* members in the set's order, whatever order they were given in */
	assert_int_equal(area_leaves(set, g, leaves), 3);
	assert_int_equal(leaves[0], members[1]);
	assert_int_equal(leaves[1], members[2]);
	assert_int_equal(leaves[2], members[0]);
	/* refused: a name or code taken, one member, a repeat, a non-borough */
	assert_int_equal(area_set_add_group(set, "G-X", "PILOT", members, 2,
					    &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_int_equal(area_set_add_group(set, "G-X", "Outer London",
					    members, 2, &err), -1);
	assert_int_equal(area_set_add_group(set, "G-X", "X", members, 1,
					    &err), -1);
	members[1] = members[0];
	assert_int_equal(area_set_add_group(set, "G-X", "X", members, 2,
					    &err), -1);
	members[1] = inner;
	assert_int_equal(area_set_add_group(set, "G-X", "X", members, 2,
					    &err), -1);
	assert_int_equal(area_find(set, "G-X"), -1);
	area_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_london_hierarchy),
		cmocka_unit_test(test_national_hierarchy),
		cmocka_unit_test(test_partnerships_and_groups),
		cmocka_unit_test(test_census_london_composition),
		cmocka_unit_test(test_benchmark_table_rows),
		cmocka_unit_test(test_user_benchmark_errors),
		cmocka_unit_test(test_user_benchmark_high_level_only),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
