/*
 * attainment_def.c - the attainment measures and the reading of attainment
 * returns' ethnic groups (see attainment_def.h).
 */
#include "domain/attainment_def.h"

#include "domain/service_def.h"

#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

/*
 * Attainment 8 is 0 to 90: ten slots' worth of points (English and maths
 * count twice) at up to 9 points each. The assumed SD of 20 points is
 * parity's, of the order of the spread of pupils' scores nationally; the
 * DfE's tables give no SD, so a return without one gets a normal interval
 * that says it rests on this assumption (docs/measures.md, Attainment).
 */
static const struct attainment_measure measures[] = {
	{ "attainment8", "Attainment 8", ATTAINMENT_SCORE,
	  "Attainment 8 score", 0, 90, 20,
	  { "att8", "avg_att8", "attainment8_average", NULL } },
	{ "grade5_eng_maths", "Grade 5 or above in English and maths",
	  ATTAINMENT_THRESHOLD,
	  "achieved grade 5 or above in English and maths", NAN, NAN, NAN,
	  { "engmath_95", "l2basics_95", "grade5_english_maths", NULL } },
	{ "grade4_eng_maths", "Grade 4 or above in English and maths",
	  ATTAINMENT_THRESHOLD,
	  "achieved grade 4 or above in English and maths", NAN, NAN, NAN,
	  { "engmath_94", "l2basics_94", "grade4_english_maths", NULL } },
	{ "ks2_rwm_expected",
	  "Expected standard in reading, writing and maths (key stage 2)",
	  ATTAINMENT_THRESHOLD,
	  "reached the expected standard in reading, writing and maths at "
	  "key stage 2", NAN, NAN, NAN,
	  { "rwm_expected", "ks2_rwm", NULL, NULL } },
};

#define MEASURE_COUNT (sizeof(measures) / sizeof(measures[0]))

size_t attainment_measure_count(void)
{
	return MEASURE_COUNT;
}

const struct attainment_measure *attainment_measure_at(size_t index)
{
	return index < MEASURE_COUNT ? &measures[index] : NULL;
}

/* Lower case without spaces, hyphens or underscores. */
static void squash(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 1 < size; in++)
		if (*in != ' ' && *in != '-' && *in != '_' && *in != '\t')
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = '\0';
}

const struct attainment_measure *attainment_measure_find(const char *name)
{
	char want[64], have[64];
	size_t k, a;

	squash(name, want, sizeof(want));
	if (!want[0])
		return NULL;
	for (k = 0; k < MEASURE_COUNT; k++) {
		squash(measures[k].name, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return &measures[k];
		for (a = 0; a < 4 && measures[k].aliases[a]; a++) {
			squash(measures[k].aliases[a], have, sizeof(have));
			if (strcmp(want, have) == 0)
				return &measures[k];
		}
	}
	return NULL;
}

int attainment_measure_index(const struct attainment_measure *m)
{
	if (!m || m < measures || m >= measures + MEASURE_COUNT)
		return -1;
	return (int)(m - measures);
}

/* DfE school census codes read before the classifier, which reads WIRT
 * as Gypsy or Irish Traveller and WROM as White (data/ethnicity/): the
 * school census's own groups are kept as they are here. */
static const struct {
	const char *code;
	int group;
} census_codes[] = {
	{ "WIRT", SVC_TRAVELLER_IRISH },
	{ "WROM", SVC_GYPSY_ROMA },
	{ "WROO", SVC_GYPSY_ROMA },
	{ "NOBT", SVC_NOT_KNOWN },
	{ "REFU", SVC_PREFER_NOT_TO_SAY },
};

int attainment_group_classify(const struct ethnicity_classifier *cls,
			      const char *label, int *out,
			      struct parity_error *err)
{
	char code[8];
	size_t k, n = 0;

	while (*label == ' ' || *label == '\t')
		label++;
	for (k = 0; label[k] && n + 1 < sizeof(code); k++)
		if (label[k] != ' ' && label[k] != '\t')
			code[n++] = label[k];
	code[n] = '\0';
	for (k = 0; n == 4 && k < sizeof(census_codes) /
					  sizeof(census_codes[0]); k++)
		if (strcasecmp(code, census_codes[k].code) == 0) {
			*out = census_codes[k].group;
			return 0;
		}
	return service_group_classify(cls, label, out, err);
}
