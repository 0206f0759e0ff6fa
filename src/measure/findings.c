/*
 * findings.c - sentences from flagged figures, ranked (see findings.h).
 * Figures are written to the places the registry of measures gives their
 * units (measure_def.h, through render.h's render_unit()).
 */
#include "measure/findings.h"

#include "base/alloc.h"
#include "base/number.h"
#include "base/strbuf.h"
#include "domain/attainment_def.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "domain/sex.h"
#include "table/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *findings_group_name(const char *label)
{
	const char *p = label, *last = NULL;

	while ((p = strstr(p, ": ")) != NULL) {
		last = p + 2;
		p += 2;
	}
	return last ? last : label;
}

/* A group's name in a sentence: its short name for readers, else the
 * part after the last ': '. */
static const char *group_name(const char *label, bool plain)
{
	return plain ? ethnicity_short_name(label) : findings_group_name(label);
}

/* The row of `measure` for the same area, year, level, group and
 * breakdown as `r` (breakdown `breakdown`, or r's when NULL), or
 * (size_t)-1. */
static size_t companion(const struct tidy_table *t, const struct tidy_row *r,
			const char *measure, const char *ethnicity,
			const char *breakdown)
{
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *c = &t->rows[k];

		if (c->year == r->year && strcmp(c->measure, measure) == 0 &&
		    strcmp(c->area_code, r->area_code) == 0 &&
		    strcmp(c->ethnicity_level, r->ethnicity_level) == 0 &&
		    strcmp(c->ethnicity, ethnicity ? ethnicity : r->ethnicity) == 0 &&
		    strcmp(c->breakdown, breakdown ? breakdown : r->breakdown) == 0)
			return k;
	}
	return (size_t)-1;
}

static void add(struct findings *out, struct strbuf *text, double p,
		double size, size_t row_a, size_t row_b, size_t row_count)
{
	struct finding *f;

	out->items = xgrow(out->items, &out->cap, out->count + 1,
			   sizeof(*out->items));
	f = &out->items[out->count++];
	f->text = strbuf_detach(text, NULL);
	f->p_value = p;
	f->size = size;
	f->rows[0] = row_a;
	f->rows[1] = row_b;
	f->row_count = row_count;
}

/* The decimal places figure `c` of `r` is published to, from the registry
 * of measures (measure_def.h): 2 for a plain number. */
static int places(const struct tidy_row *r, enum tidy_column c)
{
	int n = measure_unit_places(render_unit(r, c));

	return n < 0 ? 2 : n;
}

/* Figure `c` of `r`, or NAN when it is withheld: a finding never rests on
 * a withheld figure. */
static double figure(const struct tidy_row *r, enum tidy_column c)
{
	return tidy_row_withheld(r, c) ? NAN : tidy_row_number(r, c);
}

/* Figure `c` of `r` rounded to its published places, for "%.*f". */
static double rounded(const struct tidy_row *r, enum tidy_column c)
{
	return round_half_away(tidy_row_number(r, c), places(r, c));
}

/* "(p = 0.012)", or "(p < 0.001)" for a p-value below 0.001 or published
 * as a bound ('<0.001'); `what` is "p" or "adjusted p". */
static void add_p(struct strbuf *s, const struct tidy_row *r,
		  const char *what)
{
	if (r->p_value < 0.001 || tidy_row_below(r, TIDY_P_VALUE))
		strbuf_addf(s, "(%s < %.3f)", what,
			    r->p_value < 0.001 ? 0.001 : r->p_value);
	else
		strbuf_addf(s, "(%s = %.3f)", what, r->p_value);
}

/* What an event is, as the end of 'as likely as ... to ...'. */
static const char *event_phrase(const char *event, const char **who)
{
	static const struct {
		const char *event, *phrase, *who;
	} phrases[] = {
		{ "promoted", "be promoted", "staff" },
		{ "disciplinary", "enter a formal disciplinary process", "staff" },
		{ "training", "access non-mandatory training", "staff" },
		{ "left", "leave", "staff" },
		{ "appointed from shortlisting", "be appointed once shortlisted",
		  "applicants" },
		{ "shortlisted from applying", "be shortlisted", "applicants" },
	};
	size_t k;

	for (k = 0; k < sizeof(phrases) / sizeof(phrases[0]); k++)
		if (strcmp(event, phrases[k].event) == 0) {
			*who = phrases[k].who;
			return phrases[k].phrase;
		}
	*who = "staff";
	return event;
}

/* A published share of `t`'s row `k` (its value), or NAN when there is
 * no such row or it is withheld. */
static double shown_value(const struct tidy_table *t, size_t k)
{
	return k == (size_t)-1 ? NAN : figure(&t->rows[k], TIDY_VALUE);
}

/* "about 2.8 times", "about 15 times": a ratio as readers say it. */
static void about_times(struct strbuf *s, double ratio)
{
	strbuf_addf(s, "about %.*f times", ratio < 10 ? 1 : 0,
		    round_half_away(ratio, ratio < 10 ? 1 : 0));
}

static void representation(const struct tidy_table *t, size_t row,
			   bool plain, struct findings *out)
{
	const struct tidy_row *r = &t->rows[row];
	struct strbuf s = STRBUF_INIT;
	const char *group = group_name(r->ethnicity, plain);
	size_t staff = plain ? companion(t, r, "staff_share", NULL, NULL)
			     : (size_t)-1;
	size_t residents = plain ? companion(t, r, "benchmark_share", NULL,
					     NULL)
				 : (size_t)-1;
	int pc = measure_unit_places(UNIT_PERCENT);

	if (plain && !isnan(shown_value(t, staff)) &&
	    !isnan(shown_value(t, residents)))
		strbuf_addf(&s, "%s staff make up %.*f%% of %s's staff with a "
			    "recorded ethnic group, against %.*f%% of its "
			    "residents.", group, pc,
			    round_half_away(shown_value(t, staff), pc),
			    r->area_name, pc,
			    round_half_away(shown_value(t, residents), pc));
	else if (plain) {
		strbuf_addf(&s, "%s staff are %s among %s's staff than among "
			    "its residents: ", group,
			    r->value < 1 ? "less common" : "more common",
			    r->area_name);
		about_times(&s, r->value < 1 ? 1 / r->value : r->value);
		strbuf_addstr(&s, r->value < 1 ? " less common." : " as common.");
	} else if (strcmp(r->flag, "under") == 0)
		strbuf_addf(&s, "%s staff are %.0f%% as common among %s's staff "
			    "as among its residents (95%% CI %.0f%% to %.0f%%).",
			    group, round_half_away(100 * r->value, 0), r->area_name,
			    round_half_away(100 * r->ci_low, 0),
			    round_half_away(100 * r->ci_high, 0));
	else
		strbuf_addf(&s, "%s staff are %.*f times as common among %s's "
			    "staff as among its residents (95%% CI %.*f to %.*f).",
			    group, places(r, TIDY_VALUE), rounded(r, TIDY_VALUE),
			    r->area_name, places(r, TIDY_CI_LOW),
			    rounded(r, TIDY_CI_LOW), places(r, TIDY_CI_HIGH),
			    rounded(r, TIDY_CI_HIGH));
	add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
}

/* The event_rate rows behind a relative likelihood: the group's and the
 * reference group's (named by `reference`, a short name, matched against
 * the rows' own labels). */
static void event_rates(const struct tidy_table *t, const struct tidy_row *r,
			const char *reference, double *group_rate,
			double *reference_rate)
{
	size_t k;

	*group_rate = shown_value(t, companion(t, r, "event_rate", NULL, NULL));
	*reference_rate = NAN;
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *c = &t->rows[k];

		if (c->year == r->year && strcmp(c->measure, "event_rate") == 0 &&
		    strcmp(c->area_code, r->area_code) == 0 &&
		    strcmp(c->ethnicity_level, r->ethnicity_level) == 0 &&
		    strcmp(c->breakdown, r->breakdown) == 0 &&
		    strcmp(ethnicity_short_name(c->ethnicity), reference) == 0) {
			*reference_rate = figure(c, TIDY_VALUE);
			return;
		}
	}
}

static void likelihood(const struct tidy_table *t, size_t row,
		       const char *reference, bool plain,
		       struct findings *out)
{
	const struct tidy_row *r = &t->rows[row];
	struct strbuf s = STRBUF_INIT;
	const char *who;
	const char *phrase = event_phrase(r->breakdown, &who);
	const char *group = group_name(r->ethnicity, plain);
	int pc = measure_unit_places(UNIT_PERCENT);
	double mine, theirs;

	if (!plain) {
		strbuf_addf(&s, "In %s, %s %s were %.*f times as likely as %s "
			    "%s to %s (95%% CI %.*f to %.*f).", r->area_name,
			    group, who, places(r, TIDY_VALUE),
			    rounded(r, TIDY_VALUE), reference, who, phrase,
			    places(r, TIDY_CI_LOW), rounded(r, TIDY_CI_LOW),
			    places(r, TIDY_CI_HIGH), rounded(r, TIDY_CI_HIGH));
		add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
		return;
	}
	event_rates(t, r, reference, &mine, &theirs);
	if (r->value >= 1) {
		strbuf_addf(&s, "In %s, %s %s were ", r->area_name, group, who);
		about_times(&s, r->value);
		strbuf_addf(&s, " as likely as %s %s to %s", reference, who,
			    phrase);
	} else {
		strbuf_addf(&s, "In %s, %s %s were less likely than %s %s to "
			    "%s: %s %s were ", r->area_name, group, who,
			    reference, who, phrase, reference, who);
		about_times(&s, 1 / r->value);
		strbuf_addstr(&s, " as likely");
	}
	if (!isnan(mine) && !isnan(theirs))
		strbuf_addf(&s, " (%.*f%% against %.*f%%)", pc,
			    round_half_away(mine, pc), pc,
			    round_half_away(theirs, pc));
	strbuf_addstr(&s, ".");
	add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
}

/* The not_known_rate row for all not-declared staff in the same area and
 * year, or (size_t)-1. */
static size_t not_known_rate_row(const struct tidy_table *t,
				 const struct tidy_row *change)
{
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, "not_known_rate") == 0 &&
		    strcmp(r->area_code, change->area_code) == 0 &&
		    r->year == change->year &&
		    strcmp(r->ethnicity, "Not known or prefer not to say") == 0)
			return k;
	}
	return (size_t)-1;
}

static void not_known_change(const struct tidy_table *t, size_t row,
			     struct findings *out)
{
	const struct tidy_row *r = &t->rows[row];
	size_t rate = not_known_rate_row(t, r);
	struct strbuf s = STRBUF_INIT;

	strbuf_addf(&s, "In %s, the share of staff whose ethnicity is not known "
		    "(including prefer not to say) %s by %.*f percentage points "
		    "since the year before", r->area_name,
		    r->value < 0 ? "fell" : "rose", places(r, TIDY_VALUE),
		    fabs(rounded(r, TIDY_VALUE)));
	if (rate != (size_t)-1 && !isnan(t->rows[rate].value))
		strbuf_addf(&s, ", to %.*f%%",
			    places(&t->rows[rate], TIDY_VALUE),
			    rounded(&t->rows[rate], TIDY_VALUE));
	strbuf_addstr(&s, ".");
	add(out, &s, r->p_value, fabs(r->value) / 100, row,
	    rate == (size_t)-1 ? 0 : rate, rate == (size_t)-1 ? 1 : 2);
}

/*
 * A change in a group's share of staff: the row's value is the change in
 * percentage points, its numerator and denominator the group's staff and
 * declared staff the year before (measure_def.h), whose share, with the
 * change, gives this year's.
 */
static void share_change(const struct tidy_row *r, size_t row, bool plain,
			 struct findings *out)
{
	struct strbuf s = STRBUF_INIT;
	int pp = places(r, TIDY_VALUE);
	double before = figure(r, TIDY_DENOMINATOR) > 0
				? 100.0 * figure(r, TIDY_NUMERATOR) /
					  r->denominator
				: NAN;

	if (!isnan(before))
		strbuf_addf(&s, "In %s, %s staff were %.*f%% of staff with a "
			    "%s in %d, %s from %.*f%% the year before",
			    r->area_name,
			    group_name(r->ethnicity, plain), pp,
			    round_half_away(before + r->value, pp),
			    plain ? "recorded ethnic group" : "declared ethnicity",
			    r->year,
			    r->value < 0 ? "down" : "up", pp,
			    round_half_away(before, pp));
	else
		strbuf_addf(&s, "In %s, the share of %s staff among staff with "
			    "a declared ethnicity %s by %.*f percentage points "
			    "from %d to %d", r->area_name,
			    group_name(r->ethnicity, plain),
			    r->value < 0 ? "fell" : "rose", pp,
			    fabs(rounded(r, TIDY_VALUE)), r->year - 1, r->year);
	if (!plain) {
		strbuf_addstr(&s, " ");
		add_p(&s, r, "p");
	}
	if (strstr(r->note, "break in series"))
		strbuf_addstr(&s, "; the series crosses the 2011/2021 "
			      "classification change");
	strbuf_addstr(&s, ".");
	add(out, &s, r->p_value, fabs(r->value) / 100, row, 0, 1);
}

static void pay_gap(const struct tidy_row *r, size_t row,
		    const char *reference, bool plain, struct findings *out)
{
	struct strbuf s = STRBUF_INIT;

	if (plain)
		strbuf_addf(&s, "In %s, the median hourly pay of %s staff is "
			    "about %.0f%% %s than that of %s staff.",
			    r->area_name, group_name(r->ethnicity, plain),
			    fabs(round_half_away(r->value, 0)),
			    r->value > 0 ? "lower" : "higher", reference);
	else
		strbuf_addf(&s, "In %s, the average (median) hourly pay of %s "
			    "staff is %.*f%% %s than that of %s staff.",
			    r->area_name, findings_group_name(r->ethnicity),
			    places(r, TIDY_VALUE),
			    fabs(rounded(r, TIDY_VALUE)),
			    r->value > 0 ? "lower" : "higher", reference);
	add(out, &s, NAN, fabs(r->value) / 100, row, 0, 1);
}

/* 'from £50,000–£59,999 up' as '£50,000'. */
static void band_start(const char *band, char *buf, size_t size)
{
	const char *end = strstr(band, "\xE2\x80\x93");

	if (!end)
		end = strstr(band, " and over");
	if (!end)
		end = band + strlen(band);
	snprintf(buf, size, "%.*s", (int)(end - band), band);
}

/*
 * A glass ceiling: the row's numerator and denominator are the group's and
 * declared staff's counts paid from the boundary up (measure_def.h), whose
 * share, over the row's value (share above / share below), gives the
 * share below.
 */
static void glass_ceiling(const struct tidy_row *r, size_t row, bool plain,
			  struct findings *out)
{
	struct strbuf s = STRBUF_INIT;
	int pc = measure_unit_places(UNIT_PERCENT);
	double above = figure(r, TIDY_DENOMINATOR) > 0
			       ? 100.0 * figure(r, TIDY_NUMERATOR) /
					 r->denominator
			       : NAN;
	double below = r->value > 0 ? above / r->value : NAN;
	char start[64];

	band_start(r->breakdown, start, sizeof(start));
	if (!isnan(above) && !isnan(below))
		strbuf_addf(&s, "In %s, %s staff are %.*f%% of staff paid %s or "
			    "more, against %.*f%% of those paid less: a glass "
			    "ceiling at %s", r->area_name,
			    group_name(r->ethnicity, plain), pc,
			    round_half_away(above, pc), start, pc,
			    round_half_away(below, pc), start);
	else
		strbuf_addf(&s, "In %s, the share of %s staff among staff paid "
			    "%s or more is %.*f times their share among those "
			    "paid less: a glass ceiling at %s", r->area_name,
			    group_name(r->ethnicity, plain), start,
			    places(r, TIDY_VALUE), rounded(r, TIDY_VALUE),
			    start);
	if (plain) {
		strbuf_addstr(&s, " (the point up the pay bands where their "
			      "share drops most)");
	} else {
		strbuf_addstr(&s, " ");
		add_p(&s, r, "adjusted p");
	}
	strbuf_addstr(&s, ".");
	add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
}

/* Tested findings first, by p-value; then by size. */
static int by_rank(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	double px = isnan(x->p_value) ? 2 : x->p_value;
	double py = isnan(y->p_value) ? 2 : y->p_value;

	if (px != py)
		return px < py ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->text, y->text);
}

void findings_build(const struct tidy_table *t, const char *reference_label,
		    struct findings *out)
{
	findings_build_styled(t, reference_label, FINDINGS_ANALYST, out);
}

void findings_build_styled(const struct tidy_table *t,
			   const char *reference_label,
			   enum findings_style style, struct findings *out)
{
	bool plain = style == FINDINGS_PLAIN;
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		/* the measures by sex are a breakdown, not findings of
		 * their own (docs/measures.md) */
		if (isnan(figure(r, TIDY_VALUE)) ||
		    sex_breakdown(r->breakdown, NULL, NULL))
			continue;
		if (strcmp(r->measure, "representation_ratio") == 0 &&
		    (strcmp(r->flag, "under") == 0 ||
		     strcmp(r->flag, "over") == 0) &&
		    r->value > 0 && !isnan(r->ci_low) && !isnan(r->ci_high))
			representation(t, k, plain, out);
		else if (strcmp(r->measure, "relative_likelihood") == 0 &&
			 strcmp(r->flag, "significant") == 0 && r->value > 0 &&
			 !isnan(r->ci_low) && !isnan(r->ci_high))
			likelihood(t, k, reference_label, plain, out);
		else if (strcmp(r->measure, "glass_ceiling") == 0 &&
			 strcmp(r->flag, "ceiling") == 0 && r->value > 0)
			glass_ceiling(r, k, plain, out);
		else if (strcmp(r->measure, "not_known_change_pp") == 0 &&
			 !isnan(r->p_value) && r->p_value < 0.05)
			not_known_change(t, k, out);
		else if (strcmp(r->measure, "staff_share_change_pp") == 0 &&
			 !isnan(r->p_value) && r->p_value < 0.05 &&
			 fabs(r->value) >= FINDINGS_MIN_SHARE_CHANGE_PP)
			share_change(r, k, plain, out);
		else if (strcmp(r->measure, "median_pay_gap") == 0 &&
			 fabs(r->value) >= 5.0 &&
			 strstr(r->note, "last resort") == NULL)
			pay_gap(r, k, reference_label, plain, out);
	}
	if (out->count > 1)
		qsort(out->items, out->count, sizeof(*out->items), by_rank);
}

/* The stage before `k`, as the people at it: ' who are arrested'; "" at
 * the base. */
static const char *who_before(const struct service_def *def, int k)
{
	size_t from = def->stages[k].from;

	return from >= 1 ? def->stages[from].who : NULL;
}

static void service_rri(const struct tidy_row *r, size_t row,
			const struct service_def *def, const char *reference,
			bool plain, struct findings *out)
{
	struct strbuf s = STRBUF_INIT;
	int k = service_stage_find(def, r->breakdown);
	const char *who;

	if (k < 1 || (size_t)k >= def->stage_count)
		return;
	who = who_before(def, k);
	if (plain) {
		strbuf_addf(&s, "In %s, %s %s%s%s %s at ", r->area_name,
			    group_name(r->ethnicity, plain), def->people,
			    who ? " " : "", who ? who : "", def->stages[k].verb);
		about_times(&s, r->value);
		strbuf_addf(&s, " the rate of %s %s%s%s%s.", reference,
			    def->people, who ? " " : "", who ? who : "",
			    strstr(r->flag, "weak_base")
			    ? " (compared with all residents of every age, a "
			      "rougher comparison)" : "");
	} else
		strbuf_addf(&s, "In %s, %s %s%s%s %s at %.*f times the rate of "
			    "%s %s%s%s (95%% CI %.*f to %.*f)%s.", r->area_name,
			    findings_group_name(r->ethnicity), def->people,
			    who ? " " : "", who ? who : "", def->stages[k].verb,
			    places(r, TIDY_VALUE), rounded(r, TIDY_VALUE),
			    reference, def->people, who ? " " : "",
			    who ? who : "", places(r, TIDY_CI_LOW),
			    rounded(r, TIDY_CI_LOW), places(r, TIDY_CI_HIGH),
			    rounded(r, TIDY_CI_HIGH),
			    strstr(r->flag, "weak_base")
			    ? ", against all-ages Census residents, a weaker "
			      "base" : "");
	add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
}

static void service_change(const struct tidy_row *r, size_t row,
			   const struct service_def *def, bool plain,
			   struct findings *out)
{
	struct strbuf s = STRBUF_INIT;
	int k = service_stage_find(def, r->breakdown);

	if (k < 1 || (size_t)k >= def->stage_count)
		return;
	if (plain)
		strbuf_addf(&s, "In %s, the relative rate at which %s %s %s %s "
			    "from %.*f to %.*f since the year before.",
			    r->area_name, group_name(r->ethnicity, plain),
			    def->people, def->stages[k].verb,
			    strcmp(r->flag, "rising") == 0 ? "rose" : "fell",
			    places(r, TIDY_DENOMINATOR),
			    rounded(r, TIDY_DENOMINATOR),
			    places(r, TIDY_NUMERATOR),
			    rounded(r, TIDY_NUMERATOR));
	else
		strbuf_addf(&s, "In %s, the relative rate at which %s %s %s %s "
			    "from %.*f to %.*f since the year before (95%% CI "
			    "of the change %.*f to %.*f).", r->area_name,
			    findings_group_name(r->ethnicity), def->people,
			    def->stages[k].verb,
			    strcmp(r->flag, "rising") == 0 ? "rose" : "fell",
			    places(r, TIDY_DENOMINATOR),
			    rounded(r, TIDY_DENOMINATOR),
			    places(r, TIDY_NUMERATOR),
			    rounded(r, TIDY_NUMERATOR), places(r, TIDY_CI_LOW),
			    rounded(r, TIDY_CI_LOW), places(r, TIDY_CI_HIGH),
			    rounded(r, TIDY_CI_HIGH));
	add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
}

void findings_build_service(const struct tidy_table *t,
			    const struct service_def *def,
			    const char *reference_label,
			    struct findings *out)
{
	findings_build_service_styled(t, def, reference_label,
				      FINDINGS_ANALYST, out);
}

void findings_build_service_styled(const struct tidy_table *t,
				   const struct service_def *def,
				   const char *reference_label,
				   enum findings_style style,
				   struct findings *out)
{
	bool plain = style == FINDINGS_PLAIN;
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (!(figure(r, TIDY_VALUE) > 0) ||
		    isnan(figure(r, TIDY_CI_LOW)) ||
		    isnan(figure(r, TIDY_CI_HIGH)))
			continue;
		if (strcmp(r->measure, "rri") == 0 &&
		    strncmp(r->flag, "significant", 11) == 0)
			service_rri(r, k, def, reference_label, plain, out);
		else if (strcmp(r->measure, "rri_change") == 0 &&
			 (strcmp(r->flag, "rising") == 0 ||
			  strcmp(r->flag, "falling") == 0))
			service_change(r, k, def, plain, out);
	}
	if (out->count > 1)
		qsort(out->items, out->count, sizeof(*out->items), by_rank);
}

/* ---- attainment ---- */

/*
 * How a sentence names a group's pupils: the school census's own words
 * where they differ from the 2021 category's ('Black Caribbean', not
 * 'Caribbean'), the high-level groups shortly, else the category.
 */
static const char *pupil_group(const char *label, char *buf, size_t size)
{
	static const struct {
		const char *code, *name;
	} census[] = {
		{ "WBRI", "White British" }, { "WIRI", "White Irish" },
		{ "WOTH", "Other White" }, { "BCRB", "Black Caribbean" },
		{ "BAFR", "Black African" }, { "BOTH", "Other Black" },
		{ "AOTH", "Other Asian" }, { "MOTH", "Other Mixed" },
		{ "OOTH", "Other ethnic group" },
		{ "WIRT", "Traveller of Irish heritage" },
		{ "WGYR", "Gypsy/Roma" }, { "W", "White" }, { "M", "Mixed" },
		{ "A", "Asian" }, { "B", "Black" },
		{ "O", "Other ethnic group" },
	};
	size_t k;
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++) {
		if (strcmp(label, service_group_label(g)) != 0)
			continue;
		for (k = 0; k < sizeof(census) / sizeof(census[0]); k++)
			if (strcmp(service_group_code(g), census[k].code) == 0)
				return census[k].name;
		break;
	}
	snprintf(buf, size, "%s", findings_group_name(label));
	return buf;
}

/* The reference group a row's note names ("reference: White British;
 * ..."), as a sentence names it. */
static const char *note_reference(const struct tidy_row *r, char *buf,
				  size_t size)
{
	const char *p = strstr(r->note, "reference: ");
	char label[256];
	size_t len;

	if (!p) {
		snprintf(buf, size, "the reference group");
		return buf;
	}
	p += strlen("reference: ");
	len = strcspn(p, ";");
	if (len >= sizeof(label))
		len = sizeof(label) - 1;
	memcpy(label, p, len);
	label[len] = '\0';
	if (strcmp(label, "White British") == 0) {
		snprintf(buf, size, "White British");
		return buf;
	}
	{
		char tmp[256];

		snprintf(buf, size, "%s", pupil_group(label, tmp, sizeof(tmp)));
	}
	return buf;
}

/* "about 6 points", or "about 0.8 points" under 1.5. */
static void about_points(struct strbuf *s, double v)
{
	v = fabs(v);
	if (v >= 1.5)
		strbuf_addf(s, "about %.0f point%s", round_half_away(v, 0),
			    round_half_away(v, 0) == 1 ? "" : "s");
	else
		strbuf_addf(s, "about %.1f points", round_half_away(v, 1));
}

static const char *year_of(const struct tidy_row *r, char *buf, size_t size)
{
	return tidy_row_year_text(r, buf, size);
}

const char *findings_pupil_group(const char *label, char *buf, size_t size)
{
	return pupil_group(label, buf, size);
}

static void attainment_gap_finding(const struct tidy_row *r, size_t row,
				   enum findings_style style,
				   struct findings *out)
{
	const struct attainment_measure *m =
		attainment_measure_find(r->breakdown);
	struct strbuf s = STRBUF_INIT;
	char gbuf[256], rbuf[256], year[64];
	bool below = r->value < 0;

	if (!m)
		return;
	strbuf_addf(&s, "In %s, %s pupils' %s was ", r->area_name,
		    pupil_group(r->ethnicity, gbuf, sizeof(gbuf)), m->phrase);
	about_points(&s, r->value);
	if (style == FINDINGS_PLAIN) {
		strbuf_addf(&s, " %s %s pupils' in %s.",
			    below ? "below" : "above",
			    note_reference(r, rbuf, sizeof(rbuf)),
			    year_of(r, year, sizeof(year)));
		add(out, &s, r->p_value, fabs(r->value) / 100, row, 0, 1);
		return;
	}
	strbuf_addf(&s, " %s %s pupils' in %s (95%% CI %.1f to %.1f points "
		    "%s%s).", below ? "below" : "above",
		    note_reference(r, rbuf, sizeof(rbuf)),
		    year_of(r, year, sizeof(year)),
		    round_half_away(below ? -r->ci_high : r->ci_low, 1),
		    round_half_away(below ? -r->ci_low : r->ci_high, 1),
		    below ? "below" : "above",
		    strstr(r->note, "normal interval")
		    ? "; no SD was given, so the interval assumes one" : "");
	add(out, &s, r->p_value, fabs(r->value) / 100, row, 0, 1);
}

static void attainment_ratio_finding(const struct tidy_row *r, size_t row,
				     enum findings_style style,
				     struct findings *out)
{
	const struct attainment_measure *m =
		attainment_measure_find(r->breakdown);
	struct strbuf s = STRBUF_INIT;
	char gbuf[256], rbuf[256], year[64];

	if (!m)
		return;
	if (style == FINDINGS_PLAIN) {
		strbuf_addf(&s, "In %s, about %.0f%% of %s pupils %s in %s, "
			    "against about %.0f%% of %s pupils: about %.2g "
			    "times the rate.", r->area_name,
			    round_half_away(r->numerator, 0),
			    pupil_group(r->ethnicity, gbuf, sizeof(gbuf)),
			    m->phrase, year_of(r, year, sizeof(year)),
			    round_half_away(r->denominator, 0),
			    note_reference(r, rbuf, sizeof(rbuf)),
			    round_half_away(r->value, 2));
		add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
		return;
	}
	strbuf_addf(&s, "In %s, %.1f%% of %s pupils %s in %s, %.2f times the "
		    "rate of %s pupils (%.1f%%; 95%% CI %.2f to %.2f).",
		    r->area_name, round_half_away(r->numerator, 1),
		    pupil_group(r->ethnicity, gbuf, sizeof(gbuf)), m->phrase,
		    year_of(r, year, sizeof(year)),
		    round_half_away(r->value, 2),
		    note_reference(r, rbuf, sizeof(rbuf)),
		    round_half_away(r->denominator, 1),
		    round_half_away(r->ci_low, 2),
		    round_half_away(r->ci_high, 2));
	add(out, &s, r->p_value, fabs(log(r->value)), row, 0, 1);
}

static void attainment_trend_finding(const struct tidy_row *r, size_t row,
				     enum findings_style style,
				     struct findings *out)
{
	const struct attainment_measure *m =
		attainment_measure_find(r->breakdown);
	struct strbuf s = STRBUF_INIT;
	char gbuf[256], rbuf[256], first[64];
	const char *to = strstr(r->period, " to ");
	bool narrowed = strcmp(r->flag, "narrowed") == 0;
	size_t len;

	if (!m || !to)
		return;
	len = (size_t)(to - r->period);
	if (len >= sizeof(first))
		len = sizeof(first) - 1;
	memcpy(first, r->period, len);
	first[len] = '\0';
	strbuf_addf(&s, "In %s, the gap between %s and %s pupils' %s %s by ",
		    r->area_name, pupil_group(r->ethnicity, gbuf, sizeof(gbuf)),
		    note_reference(r, rbuf, sizeof(rbuf)), m->phrase,
		    narrowed ? "narrowed" : "widened");
	about_points(&s, r->value);
	if (style == FINDINGS_PLAIN) {
		strbuf_addf(&s, " a year, from about %.0f points %s in %s to "
			    "about %.0f %s in %s.",
			    round_half_away(fabs(r->numerator), 0),
			    r->numerator < 0 ? "below" : "above", first,
			    round_half_away(fabs(r->denominator), 0),
			    r->denominator < 0 ? "below" : "above", to + 4);
		add(out, &s, narrowed ? r->p_value : NAN,
		    fabs(r->value) / 100, row, 0, 1);
		return;
	}
	strbuf_addf(&s, " a year, from %.1f points %s in %s to %.1f %s in %s "
		    "(95%% CI %.2f to %.2f points a year",
		    round_half_away(fabs(r->numerator), 1),
		    r->numerator < 0 ? "below" : "above", first,
		    round_half_away(fabs(r->denominator), 1),
		    r->denominator < 0 ? "below" : "above", to + 4,
		    round_half_away(r->ci_low, 2),
		    round_half_away(r->ci_high, 2));
	if (narrowed && r->p_value < 0.001)
		strbuf_addstr(&s, "; p < 0.001).");
	else if (narrowed)
		strbuf_addf(&s, "; p = %.3f).", r->p_value);
	else
		strbuf_addstr(&s, ").");
	/* the p_value is that of narrowing: a widening ranks by its size */
	add(out, &s, narrowed ? r->p_value : NAN, fabs(r->value) / 100, row, 0,
	    1);
}

static void attainment_funnel_finding(const struct tidy_row *r, size_t row,
				      struct findings *out)
{
	const char *colon = strstr(r->breakdown, ": ");
	const struct attainment_measure *m =
		colon ? attainment_measure_find(colon + 2) : NULL;
	struct strbuf s = STRBUF_INIT;
	char gbuf[256], year[64];
	bool ratio = strncmp(r->breakdown, "attainment_rate_ratio", 21) == 0;
	bool above = strncmp(r->flag, "above", 5) == 0;

	if (!m)
		return;
	if (ratio)
		strbuf_addf(&s, "In %s, %s pupils' rate ratio for those who %s "
			    "(%.2f) was %s London's (%.2f), beyond the 99.8%% "
			    "control limits, in %s.", r->area_name,
			    pupil_group(r->ethnicity, gbuf, sizeof(gbuf)),
			    m->phrase, round_half_away(r->value, 2),
			    above ? "above" : "below",
			    round_half_away(r->numerator, 2),
			    year_of(r, year, sizeof(year)));
	else
		strbuf_addf(&s, "In %s, the gap in %s for %s pupils (%.1f "
			    "points) was %s London's (%.1f), beyond the 99.8%% "
			    "control limits, in %s.", r->area_name, m->phrase,
			    pupil_group(r->ethnicity, gbuf, sizeof(gbuf)),
			    round_half_away(r->value, 1),
			    above ? "above" : "below",
			    round_half_away(r->numerator, 1),
			    year_of(r, year, sizeof(year)));
	add(out, &s, NAN, fabs(r->value - r->numerator) / 100, row, 0, 1);
}

/* The latest year of each area and measure in a table (its strings are
 * interned, so equal strings are equal pointers). */
struct latest_year {
	const char *area_code, *measure;
	int year;
};

static struct latest_year *latest_find(struct latest_year *l, size_t n,
				       const struct tidy_row *r)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (l[k].area_code == r->area_code && l[k].measure == r->measure)
			return &l[k];
	return NULL;
}

void findings_build_attainment(const struct tidy_table *t,
			       struct findings *out)
{
	findings_build_attainment_styled(t, FINDINGS_ANALYST, out);
}

void findings_build_attainment_styled(const struct tidy_table *t,
				      enum findings_style style,
				      struct findings *out)
{
	struct latest_year *years = NULL, *y;
	size_t k, n = 0, cap = 0;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		y = latest_find(years, n, r);
		if (!y) {
			years = xgrow(years, &cap, n + 1, sizeof(*years));
			y = &years[n++];
			y->area_code = r->area_code;
			y->measure = r->measure;
			y->year = r->year;
		} else if (r->year > y->year) {
			y->year = r->year;
		}
	}
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];
		bool latest;

		if (isnan(figure(r, TIDY_VALUE)) ||
		    isnan(figure(r, TIDY_CI_LOW)) ||
		    isnan(figure(r, TIDY_CI_HIGH)))
			continue;
		/* gaps and ratios of an area's latest year only */
		y = latest_find(years, n, r);
		latest = y && y->year == r->year;
		if (strcmp(r->measure, "attainment_gap") == 0 && latest &&
		    (strcmp(r->flag, "below") == 0 ||
		     strcmp(r->flag, "above") == 0))
			attainment_gap_finding(r, k, style, out);
		else if (strcmp(r->measure, "attainment_rate_ratio") == 0 &&
			 latest && r->value > 0 &&
			 (strcmp(r->flag, "lower") == 0 ||
			  strcmp(r->flag, "higher") == 0))
			attainment_ratio_finding(r, k, style, out);
		else if (strcmp(r->measure, "attainment_gap_trend") == 0 &&
			 (strcmp(r->flag, "narrowed") == 0 ||
			  strcmp(r->flag, "widened") == 0))
			attainment_trend_finding(r, k, style, out);
		else if (strcmp(r->measure, "funnel_position") == 0 && latest &&
			 strncmp(r->breakdown, "attainment_", 11) == 0 &&
			 (strcmp(r->flag, "above_99.8") == 0 ||
			  strcmp(r->flag, "below_99.8") == 0))
			attainment_funnel_finding(r, k, out);
	}
	free(years);
	if (out->count > 1)
		qsort(out->items, out->count, sizeof(*out->items), by_rank);
}

void findings_free(struct findings *f)
{
	size_t k;

	for (k = 0; k < f->count; k++)
		free(f->items[k].text);
	free(f->items);
	f->items = NULL;
	f->count = f->cap = 0;
}
