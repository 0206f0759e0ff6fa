/*
 * sex.c - the four categories of sex of the workforce measures by sex, and
 * their place in a row's breakdown (see sex.h).
 */
#include "domain/sex.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const labels[SEX_COUNT] = {
	"female", "male", "non-binary or other", "sex not known"
};

const char *sex_label(enum sex s)
{
	return (unsigned)s < SEX_COUNT ? labels[s] : labels[SEX_NOT_KNOWN];
}

/* The answers of each category, lower case, with one space for any run of
 * spaces, hyphens and underscores (the values ingest/quality.c knows). */
static const char *const female[] = { "female", "f", "woman", NULL };
static const char *const male[] = { "male", "m", "man", NULL };
static const char *const other[] = { "non binary", "nonbinary", "other", "x",
				     "intersex", NULL };

static bool one_of(const char *v, const char *const *list)
{
	size_t k;

	for (k = 0; list[k]; k++)
		if (strcmp(v, list[k]) == 0)
			return true;
	return false;
}

enum sex sex_of(const char *text)
{
	char v[32];
	size_t n = 0;
	bool space = false;

	if (!text)
		return SEX_NOT_KNOWN;
	for (; *text; text++) {
		unsigned char ch = (unsigned char)*text;

		if (ch == ' ' || ch == '-' || ch == '_' || ch == '\t') {
			space = n > 0;
			continue;
		}
		if (n + 2 >= sizeof(v))
			return SEX_NOT_KNOWN; /* longer than any answer */
		if (space)
			v[n++] = ' ';
		space = false;
		v[n++] = (char)tolower(ch);
	}
	v[n] = '\0';
	if (one_of(v, female))
		return SEX_FEMALE;
	if (one_of(v, male))
		return SEX_MALE;
	if (one_of(v, other))
		return SEX_OTHER;
	return SEX_NOT_KNOWN;
}

bool sex_breakdown(const char *breakdown, enum sex *out, const char **rest)
{
	size_t k, len;

	for (k = 0; k < SEX_COUNT; k++) {
		len = strlen(labels[k]);
		if (strncmp(breakdown, labels[k], len) != 0)
			continue;
		if (breakdown[len] != '\0' &&
		    strncmp(breakdown + len, "; ", 2) != 0)
			continue;
		if (out)
			*out = (enum sex)k;
		if (rest)
			*rest = breakdown[len] ? breakdown + len + 2 : "";
		return true;
	}
	return false;
}

void sex_breakdown_make(enum sex s, const char *rest, char *buf, size_t size)
{
	if (rest && rest[0])
		snprintf(buf, size, "%s; %s", sex_label(s), rest);
	else
		snprintf(buf, size, "%s", sex_label(s));
}
