/*
 * test_framework.c - frameworks as data (standard/framework.h): the
 * shipped frameworks load clean; malformed ones (wrong types, missing
 * levels, duplicate ids, a link to an unknown measure, a rule naming an
 * unknown level, a bad carry-forward mapping, a syntax error) give every
 * problem, each at its exact line and column; suggestions from rules;
 * carrying criteria forward between versions; the position index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "standard/framework.h"
#include "base/jsonpos.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every problem as "LINE:COLUMN: message\n", errors and warnings. */
static char *problems_text(const struct diag_list *d)
{
	size_t k, len = 0;
	char *out = calloc(1, 65536);

	for (k = 0; k < d->count; k++)
		len += (size_t)snprintf(out + len, 65536 - len, "%ld:%ld: %s%s\n",
					d->items[k].line, d->items[k].column,
					d->items[k].severity == DIAG_WARNING ?
					"warning: " : "",
					d->items[k].message);
	return out;
}

static void test_shipped_frameworks_load(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct framework_set *set;
	const struct framework *f;

	(void)state;
	assert_int_equal(framework_set_load(&set, &d), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(set->count, 4);
	f = framework_find(set, "racial-equality-standard", 0);
	assert_non_null(f);
	assert_int_equal(f->kind, FRAMEWORK_STANDARD);
	assert_int_equal(f->nlevels, 4);
	assert_int_equal(f->nthemes, 5);
	assert_string_equal(f->themes[0].title,
			    "Leadership and accountability");
	assert_string_equal(f->themes[1].title, "The council as an employer");
	assert_string_equal(f->themes[2].title, "Services and commissioning");
	assert_string_equal(f->themes[3].title,
			    "Communities and partnership");
	assert_string_equal(f->themes[4].title, "Data and insight");
	assert_non_null(strstr(f->status, "starting point"));
	assert_int_equal(framework_criterion_find(f, "emp-data"), 2);
	assert_string_equal(f->criteria[2].links[0].measure, "not_known_rate");
	f = framework_find(set, "service-leads-survey", 1);
	assert_non_null(f);
	assert_int_equal(f->kind, FRAMEWORK_SURVEY);
	assert_int_equal(f->questions[0].type, QUESTION_CHOICE);
	assert_int_equal(f->questions[1].type, QUESTION_SCALE);
	assert_int_equal(f->questions[2].type, QUESTION_TEXT);
	assert_non_null(framework_find(set, "inclusive-recruitment", 0));
	assert_non_null(framework_find(set, "cultural-competency", 0));
	assert_null(framework_find(set, "racial-equality-standard", 2));
	framework_set_free(set);
	diag_list_release(&d);
}

/* A framework with every kind of mistake in it, each on a line of its
 * own so that the expected positions can be read off the text. */
static const char malformed[] =
	"{\n"                                                       /* 1 */
	"  \"id\": \"broken\",\n"                                   /* 2 */
	"  \"version\": \"one\",\n"                                 /* 3 */
	"  \"kind\": \"standard\",\n"                               /* 4 */
	"  \"title\": \"Broken\",\n"                                /* 5 */
	"  \"levels\": [{\"id\": \"low\", \"title\": \"Low\"},\n"   /* 6 */
	"             {\"id\": \"mid\", \"title\": \"Mid\"},\n"     /* 7 */
	"             {\"id\": \"high\", \"title\": \"High\"}],\n"  /* 8 */
	"  \"themes\": [\n"                                         /* 9 */
	"    {\"id\": \"t1\", \"title\": \"One\", \"criteria\": [\n" /* 10 */
	"      {\"id\": \"c1\", \"title\": 7,\n"                    /* 11 */
	"       \"levels\": {\"low\": {\"description\": \"a\", \"evidence\": \"b\"},\n" /* 12 */
	"                  \"mid\": {\"description\": \"a\", \"evidence\": \"b\"}}},\n" /* 13 */
	"      {\"id\": \"c1\", \"title\": \"Again\",\n"            /* 14 */
	"       \"levels\": {\"low\": {\"description\": \"a\", \"evidence\": \"b\"},\n" /* 15 */
	"                  \"mid\": {\"description\": \"a\", \"evidence\": \"b\"},\n" /* 16 */
	"                  \"high\": {\"description\": \"a\", \"evidence\": \"b\"}},\n" /* 17 */
	"       \"measures\": [{\"measure\": \"not_a_measure\",\n"  /* 18 */
	"                     \"suggest\": [{\"level\": \"top\", \"below\": 5}]}]}\n" /* 19 */
	"    ]}\n"                                                  /* 20 */
	"  ],\n"                                                    /* 21 */
	"  \"colour\": \"red\"\n"                                   /* 22 */
	"}\n";                                                      /* 23 */

static void test_malformed_framework_located(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct framework *f = (struct framework *)1;
	char *text;

	(void)state;
	assert_int_equal(framework_parse(malformed, strlen(malformed),
					 "broken.json", &f, &d), -1);
	assert_null(f);
	text = problems_text(&d);
	assert_string_equal(text,
		"22:13: warning: framework: unknown member 'colour' (ignored)\n"
		"3:14: framework: 'version' must be a whole number, not a string\n"
		"11:29: criterion 'c1': 'title' must be a string, not a whole number\n"
		"12:18: criterion 'c1': level 'high' is missing (every criterion "
		"describes each of the framework's 3 levels)\n"
		"14:14: duplicate criterion or question id 'c1' (first at line 11, "
		"column 14)\n"
		"18:33: measure link: unknown measure 'not_a_measure' (see "
		"`parity measures`)\n"
		"19:44: rule: unknown level 'top' (the framework's levels are "
		"named in 'levels')\n");
	assert_int_equal(d.errors, 6);
	assert_int_equal(d.warnings, 1);
	free(text);
	diag_list_release(&d);
}

static void test_levels_and_kinds(void **state)
{
	static const char two_levels[] =
		"{\"id\": \"x\", \"version\": 1, \"kind\": \"checklist\",\n"
		" \"title\": \"X\", \"levels\": [{\"id\": \"a\", \"title\": \"A\"},\n"
		"  {\"id\": \"b\", \"title\": \"B\"}], \"themes\": []}\n";
	static const char survey[] =
		"{\"id\": \"s\", \"version\": 1, \"kind\": \"survey\", \"title\": \"S\",\n"
		" \"service_areas\": [{\"id\": \"yj\", \"title\": \"YJ\"}],\n"
		" \"themes\": [{\"id\": \"t\", \"title\": \"T\", \"questions\": [\n"
		"  {\"id\": \"q1\", \"text\": \"?\", \"type\": \"choice\", \"options\": [{\"id\": \"y\", \"label\": \"Y\"}]},\n"
		"  {\"id\": \"q2\", \"text\": \"?\", \"type\": \"scale\", \"min\": 5, \"max\": 1},\n"
		"  {\"id\": \"q3\", \"text\": \"?\", \"type\": \"essay\"}]}]}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct framework *f;
	char *text;

	(void)state;
	assert_int_equal(framework_parse(two_levels, strlen(two_levels),
					 "x.json", &f, &d), -1);
	text = problems_text(&d);
	assert_string_equal(text,
		"1:35: framework: 'kind' is standard, toolkit or survey, not "
		"'checklist'\n"
		"2:26: framework: 'levels' must name 3 or 4 maturity levels, "
		"lowest first, not 2\n"
		"3:41: framework: 'themes' is empty\n");
	free(text);
	diag_list_release(&d);
	assert_int_equal(framework_parse(survey, strlen(survey), "s.json", &f,
					 &d), -1);
	text = problems_text(&d);
	assert_string_equal(text,
		"4:58: question 'q1': a choice needs at least 2 options\n"
		"5:3: question 'q2': a scale runs from 'min' up to a greater "
		"'max' (within -1000 to 1000)\n"
		"6:37: question 'q3': 'type' is choice, scale or text, not "
		"'essay'\n");
	free(text);
	diag_list_release(&d);
}

static void test_syntax_error_located(void **state)
{
	static const char bad[] = "{\n  \"id\": \"x\",\n  \"version\" 1\n}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct framework *f;

	(void)state;
	assert_int_equal(framework_parse(bad, strlen(bad), "bad.json", &f, &d),
			 -1);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.items[0].line, 3);
	assert_int_equal(d.items[0].column, 13);
	assert_string_equal(d.items[0].file, "bad.json");
	diag_list_release(&d);
}

static const char version2[] =
	"{\"id\": \"v\", \"version\": 2, \"kind\": \"toolkit\", \"title\": \"V\",\n"
	" \"levels\": [{\"id\": \"a\", \"title\": \"A\"}, {\"id\": \"b\", \"title\": \"B\"},\n"
	"   {\"id\": \"c\", \"title\": \"C\"}],\n"
	" \"themes\": [{\"id\": \"t\", \"title\": \"T\", \"criteria\": [\n"
	"  {\"id\": \"kept\", \"title\": \"K\", \"levels\": {\n"
	"    \"a\": {\"description\": \"d\", \"evidence\": \"e\"},\n"
	"    \"b\": {\"description\": \"d\", \"evidence\": \"e\"},\n"
	"    \"c\": {\"description\": \"d\", \"evidence\": \"e\"}},\n"
	"   \"measures\": [{\"measure\": \"not_known_rate\", \"suggest\": [\n"
	"     {\"level\": \"c\", \"below\": 5}, {\"level\": \"b\", \"at_least\": 5, \"below\": 10},\n"
	"     {\"level\": \"a\", \"at_least\": 10}]}]},\n"
	"  {\"id\": \"renamed\", \"title\": \"R\", \"levels\": {\n"
	"    \"a\": {\"description\": \"d\", \"evidence\": \"e\"},\n"
	"    \"b\": {\"description\": \"d\", \"evidence\": \"e\"},\n"
	"    \"c\": {\"description\": \"d\", \"evidence\": \"e\"}}}]}],\n"
	" \"carry_forward\": {\"from_version\": 1, \"criteria\": {\n"
	"   \"old-name\": \"renamed\", \"dropped\": null}}}\n";

static void test_suggestion_and_carry_forward(void **state)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct framework *f;
	const struct framework_link *l;

	(void)state;
	assert_int_equal(framework_parse(version2, strlen(version2), "v.json",
					 &f, &d), 0);
	l = &f->criteria[0].links[0];
	assert_int_equal(framework_link_suggest(l, 4.99), 3);
	assert_int_equal(framework_link_suggest(l, 5.0), 2);
	assert_int_equal(framework_link_suggest(l, 9.99), 2);
	assert_int_equal(framework_link_suggest(l, 10.0), 1);
	assert_int_equal(framework_link_suggest(l, NAN), 0);
	assert_int_equal(framework_level_find(f, "b"), 1);
	assert_int_equal(framework_level_find(f, "3"), 2);
	assert_int_equal(framework_level_find(f, "4"), -1);
	assert_string_equal(framework_carry_forward(f, 1, "old-name"),
			    "renamed");
	assert_null(framework_carry_forward(f, 1, "dropped"));
	assert_string_equal(framework_carry_forward(f, 1, "kept"), "kept");
	assert_null(framework_carry_forward(f, 1, "unknown"));
	assert_string_equal(framework_carry_forward(f, 2, "kept"), "kept");
	assert_null(framework_carry_forward(f, 7, "kept"));
	framework_free(f);
	diag_list_release(&d);
}

static void test_carry_forward_to_unknown(void **state)
{
	static const char bad[] =
		"{\"id\": \"v\", \"version\": 1, \"kind\": \"toolkit\", \"title\": \"V\",\n"
		" \"levels\": [{\"id\": \"a\", \"title\": \"A\"}, {\"id\": \"b\", \"title\": \"B\"},\n"
		"   {\"id\": \"c\", \"title\": \"C\"}],\n"
		" \"themes\": [{\"id\": \"t\", \"title\": \"T\", \"criteria\": [\n"
		"  {\"id\": \"k\", \"title\": \"K\", \"levels\": {\n"
		"    \"a\": {\"description\": \"d\", \"evidence\": \"e\"},\n"
		"    \"b\": {\"description\": \"d\", \"evidence\": 3},\n"
		"    \"c\": {\"description\": \"d\", \"evidence\": \"e\"}, \"d\": {}}}]}],\n"
		" \"carry_forward\": {\"from_version\": 1, \"criteria\": {\"x\": \"nowhere\"}}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct framework *f;
	char *text;

	(void)state;
	assert_int_equal(framework_parse(bad, strlen(bad), "v.json", &f, &d),
			 -1);
	text = problems_text(&d);
	assert_string_equal(text,
		"7:43: criterion 'k': 'evidence' must be a string, not a whole "
		"number\n"
		"8:54: criterion 'k': unknown level 'd' (the framework's levels "
		"are named in 'levels')\n"
		"9:36: carry_forward: 'from_version' must be an earlier version "
		"than 1\n"
		"9:57: carry_forward: 'x' maps to 'nowhere', which is not a "
		"criterion of this version\n");
	free(text);
	diag_list_release(&d);
}

static void test_position_index(void **state)
{
	static const char text[] = "{\"a\": [1, {\"b/c\": \"é\", \"d\": [true]}],\n \"e\": null}";
	struct jsonpos *p = jsonpos_build(text, strlen(text));
	char ptr[64] = "";
	long line, column;
	size_t before;

	(void)state;
	jsonpos_find(p, "", &line, &column);
	assert_int_equal(line, 1);
	assert_int_equal(column, 1);
	jsonpos_find(p, "/a/1/b~1c", &line, &column);
	assert_int_equal(column, 19);
	jsonpos_find(p, "/a/1/d/0", &line, &column);
	assert_int_equal(column, 30);
	jsonpos_find(p, "/e", &line, &column);
	assert_int_equal(line, 2);
	assert_int_equal(column, 7);
	/* missing: the nearest value that is there */
	jsonpos_find(p, "/a/1/zz", &line, &column);
	assert_int_equal(column, 11);
	before = jsonpos_push_key(ptr, sizeof(ptr), "b/c");
	assert_string_equal(ptr, "/b~1c");
	jsonpos_push_index(ptr, sizeof(ptr), 3);
	assert_string_equal(ptr, "/b~1c/3");
	jsonpos_pop(ptr, before);
	assert_string_equal(ptr, "");
	jsonpos_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_frameworks_load),
		cmocka_unit_test(test_malformed_framework_located),
		cmocka_unit_test(test_levels_and_kinds),
		cmocka_unit_test(test_syntax_error_located),
		cmocka_unit_test(test_suggestion_and_carry_forward),
		cmocka_unit_test(test_carry_forward_to_unknown),
		cmocka_unit_test(test_position_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
