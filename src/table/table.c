/*
 * table.c - tidy table storage and string interning (see table.h).
 */
#include "table/table.h"

#include "base/alloc.h"
#include "base/hash.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct string_pool {
	char **slots; /* open addressing; NULL = empty */
	size_t cap;   /* a power of two */
	size_t used;
};

static const char *const column_names[TIDY_COLUMN_COUNT] = {
	"measure", "area_code", "area_name", "area_type", "year",
	"ethnicity", "ethnicity_level", "breakdown", "value", "numerator",
	"denominator", "ci_low", "ci_high", "p_value", "flag", "note"
};

static void pool_insert(struct string_pool *p, char *s)
{
	size_t i = (size_t)hash_string(s) & (p->cap - 1);

	while (p->slots[i])
		i = (i + 1) & (p->cap - 1);
	p->slots[i] = s;
	p->used++;
}

static const char *pool_intern(struct string_pool *p, const char *s)
{
	size_t i;

	if (p->used * 2 >= p->cap) {
		char **old = p->slots;
		size_t old_cap = p->cap, k;

		p->cap = old_cap ? old_cap * 2 : 64;
		p->slots = xcalloc(p->cap, sizeof(*p->slots));
		p->used = 0;
		for (k = 0; k < old_cap; k++)
			if (old[k])
				pool_insert(p, old[k]);
		free(old);
	}
	i = (size_t)hash_string(s) & (p->cap - 1);
	while (p->slots[i]) {
		if (strcmp(p->slots[i], s) == 0)
			return p->slots[i];
		i = (i + 1) & (p->cap - 1);
	}
	p->slots[i] = xstrdup(s);
	p->used++;
	return p->slots[i];
}

void tidy_table_init(struct tidy_table *t)
{
	t->rows = NULL;
	t->count = 0;
	t->cap = 0;
	t->pool = xcalloc(1, sizeof(*t->pool));
}

void tidy_table_free(struct tidy_table *t)
{
	size_t k;

	if (t->pool) {
		for (k = 0; k < t->pool->cap; k++)
			free(t->pool->slots[k]);
		free(t->pool->slots);
		free(t->pool);
	}
	free(t->rows);
	t->rows = NULL;
	t->count = t->cap = 0;
	t->pool = NULL;
}

const char *tidy_table_intern(struct tidy_table *t, const char *s)
{
	return pool_intern(t->pool, s ? s : "");
}

struct tidy_row *tidy_table_add_row(struct tidy_table *t)
{
	struct tidy_row *r;
	const char *empty = tidy_table_intern(t, "");

	t->rows = xgrow(t->rows, &t->cap, t->count + 1, sizeof(*t->rows));
	r = &t->rows[t->count++];
	r->measure = r->area_code = r->area_name = r->area_type = empty;
	r->ethnicity = r->ethnicity_level = r->breakdown = empty;
	r->flag = r->note = r->period = empty;
	r->year = 0;
	r->value = r->numerator = r->denominator = NAN;
	r->ci_low = r->ci_high = r->p_value = NAN;
	r->withheld = 0;
	r->below = 0;
	return r;
}

int tidy_row_withheld(const struct tidy_row *r, enum tidy_column c)
{
	return c < TIDY_COLUMN_COUNT && (r->withheld & (1u << c)) != 0;
}

int tidy_row_below(const struct tidy_row *r, enum tidy_column c)
{
	return c < TIDY_COLUMN_COUNT && (r->below & (1u << c)) != 0;
}

void tidy_table_append_row(struct tidy_table *t, const struct tidy_row *s)
{
	struct tidy_row *r = tidy_table_add_row(t);

	*r = *s;
	r->measure = tidy_table_intern(t, s->measure);
	r->area_code = tidy_table_intern(t, s->area_code);
	r->area_name = tidy_table_intern(t, s->area_name);
	r->area_type = tidy_table_intern(t, s->area_type);
	r->ethnicity = tidy_table_intern(t, s->ethnicity);
	r->ethnicity_level = tidy_table_intern(t, s->ethnicity_level);
	r->breakdown = tidy_table_intern(t, s->breakdown);
	r->flag = tidy_table_intern(t, s->flag);
	r->note = tidy_table_intern(t, s->note);
	r->period = tidy_table_intern(t, s->period);
}

void tidy_table_append(struct tidy_table *t, const struct tidy_table *src)
{
	size_t k;

	for (k = 0; k < src->count; k++)
		tidy_table_append_row(t, &src->rows[k]);
}

const char *tidy_column_name(enum tidy_column c)
{
	return c < TIDY_COLUMN_COUNT ? column_names[c] : "";
}

/* For readers: the CSVW metadata's titles and descriptions, and the
 * workbook's Notes sheet. */
static const char *const column_titles[TIDY_COLUMN_COUNT] = {
	"Measure", "Area code", "Area", "Type of area", "Year",
	"Ethnic group", "Level of the classification", "Breakdown", "Figure",
	"Numerator", "Denominator", "Lower 95% limit", "Upper 95% limit",
	"p-value", "Flag", "Note",
};

static const char *const column_descriptions[TIDY_COLUMN_COUNT] = {
	"What is measured: the measure's name in parity's registry (each "
	"measure's label, unit and what its numerator and denominator hold "
	"are listed with the data)",
	"ONS (GSS) code of the area",
	"Name of the area",
	"borough, subregion (Inner or Outer London), region (London), "
	"country, or local_authority",
	"Data year: for the workforce, staff in post at 31 March of the "
	"year; for services, the financial, academic or calendar year "
	"(2023-24)",
	"Ethnic group, as labelled at the level of the classification in "
	"the next column (ONS 2021 groups)",
	"detailed (the 19 ONS 2021 groups), high (the 5 high-level groups), "
	"or a two-way split asked for by name",
	"Pay band, pay quartile, event or stage, where the measure has one",
	"The figure, in its measure's unit; shares and rates of people are "
	"percentages, service rates are per 1,000",
	"What the figure is taken from: for most measures the count of "
	"people it rests on",
	"What the figure is taken out of, or compared with",
	"Lower limit of the 95% confidence interval: the range within which "
	"the true figure is likely to lie",
	"Upper limit of the 95% confidence interval",
	"p-value of the test against no difference: below 0.05, a "
	"difference this large is unlikely to be chance",
	"What the figure shows in a word: over or under (representation), "
	"significant (a difference unlikely to be chance), above or below "
	"(a funnel plot), suppressed (withheld)",
	"Plain words: what is merged, why a figure is missing or withheld",
};

const char *tidy_column_title(enum tidy_column c)
{
	return c < TIDY_COLUMN_COUNT ? column_titles[c] : "";
}

const char *tidy_column_description(enum tidy_column c)
{
	return c < TIDY_COLUMN_COUNT ? column_descriptions[c] : "";
}

int tidy_column_is_number(enum tidy_column c)
{
	return c == TIDY_YEAR || (c >= TIDY_VALUE && c <= TIDY_P_VALUE);
}

const char *tidy_row_text(const struct tidy_row *r, enum tidy_column c)
{
	switch (c) {
	case TIDY_MEASURE: return r->measure;
	case TIDY_AREA_CODE: return r->area_code;
	case TIDY_AREA_NAME: return r->area_name;
	case TIDY_AREA_TYPE: return r->area_type;
	case TIDY_ETHNICITY: return r->ethnicity;
	case TIDY_ETHNICITY_LEVEL: return r->ethnicity_level;
	case TIDY_BREAKDOWN: return r->breakdown;
	case TIDY_FLAG: return r->flag;
	case TIDY_NOTE: return r->note;
	default: return NULL;
	}
}

double tidy_row_number(const struct tidy_row *r, enum tidy_column c)
{
	switch (c) {
	case TIDY_YEAR: return r->year ? (double)r->year : NAN;
	case TIDY_VALUE: return r->value;
	case TIDY_NUMERATOR: return r->numerator;
	case TIDY_DENOMINATOR: return r->denominator;
	case TIDY_CI_LOW: return r->ci_low;
	case TIDY_CI_HIGH: return r->ci_high;
	case TIDY_P_VALUE: return r->p_value;
	default: return NAN;
	}
}

const char *tidy_row_year_text(const struct tidy_row *r, char *buf,
			       size_t size)
{
	if (r->period[0])
		snprintf(buf, size, "%s", r->period);
	else if (r->year)
		snprintf(buf, size, "%d", r->year);
	else if (size)
		buf[0] = '\0';
	return buf;
}
