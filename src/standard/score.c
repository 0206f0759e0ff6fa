/*
 * score.c - scoring and benchmarking (see score.h): the scoring rule,
 * London's distribution, progress over years, peer reviews and actions
 * judged by results, and a survey's answers by service area, each as
 * tidy-table rows under the sharing rule.
 */
#include "standard/score.h"

#include "base/alloc.h"
#include "measure/stats.h"
#include "standard/review.h"
#include "table/measure_def.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONDON_CODE "E12000007"

/* ---- the scoring rule ---- */

static const struct assessment_criterion *
level_of(const struct assessment *a, const char *id)
{
	size_t k;

	for (k = 0; k < a->ncriteria; k++)
		if (strcmp(a->criteria[k].id, id) == 0)
			return &a->criteria[k];
	return NULL;
}

/* The level a mean score has reached: rounded down (with room for the
 * rounding of a mean of whole numbers). */
static int level_of_score(double score)
{
	return isnan(score) ? 0 : (int)floor(score + 1e-9);
}

void standard_score(const struct framework *f, const struct assessment *a,
		    struct standard_score *out)
{
	size_t t, k;
	double total = 0;
	bool complete = f->kind != FRAMEWORK_SURVEY && f->nthemes > 0;

	memset(out, 0, sizeof(*out));
	out->nthemes = f->nthemes;
	out->theme_score = xcalloc(f->nthemes + 1, sizeof(double));
	out->theme_level = xcalloc(f->nthemes + 1, sizeof(int));
	for (t = 0; t < f->nthemes; t++) {
		const struct framework_theme *th = &f->themes[t];
		long sum = 0;
		bool all = f->kind != FRAMEWORK_SURVEY && th->count > 0;

		for (k = th->first; all && k < th->first + th->count; k++) {
			const struct assessment_criterion *c =
				level_of(a, f->criteria[k].id);

			if (!c || c->level < 1)
				all = false;
			else
				sum += c->level;
		}
		out->theme_score[t] = all ? (double)sum / (double)th->count :
					    NAN;
		/* integer division: exactly the mean rounded down */
		out->theme_level[t] = all ? (int)(sum / (long)th->count) : 0;
		if (!all)
			complete = false;
		else
			total += out->theme_score[t];
	}
	out->overall_score = complete ? total / (double)f->nthemes : NAN;
	out->overall_level = level_of_score(out->overall_score);
}

void standard_score_release(struct standard_score *s)
{
	free(s->theme_score);
	free(s->theme_level);
	memset(s, 0, sizeof(*s));
}

/* ---- rows ---- */

static struct tidy_row *row_for(struct tidy_table *out,
				const struct area_set *areas,
				const char *area_code, int year,
				const char *measure)
{
	struct tidy_row *o = tidy_table_add_row(out);
	int k = area_find(areas, area_code);

	o->measure = tidy_table_intern(out, measure);
	o->area_code = tidy_table_intern(out, area_code);
	if (k >= 0) {
		o->area_name = tidy_table_intern(out, areas->areas[k].name);
		o->area_type = tidy_table_intern(
			out, area_type_name(areas->areas[k].type));
	}
	o->year = year;
	return o;
}

/* A mean score as published: to 2 decimal places. */
static double score_2dp(double v)
{
	return isnan(v) ? v : round(v * 100.0) / 100.0;
}

void standard_levels_table(const struct standard_data *d,
			   const struct framework *f,
			   const struct assessment *a, struct tidy_table *out)
{
	struct standard_score sc;
	struct tidy_row *o;
	char note[1024];
	size_t k;

	for (k = 0; k < f->ncriteria; k++) {
		const struct assessment_criterion *c =
			level_of(a, f->criteria[k].id);

		o = row_for(out, d->areas, a->area_code, a->year,
			    "standard_level");
		o->breakdown = tidy_table_intern(out, f->criteria[k].id);
		o->value = c && c->level ? c->level : NAN;
		o->flag = tidy_table_intern(
			out, framework_level_id(f, c ? c->level : 0));
		if (!c || !c->level)
			snprintf(note, sizeof(note), "no level given");
		else if (c->suggested && c->suggested != c->level)
			snprintf(note, sizeof(note), "the figures suggest %s; "
				 "reason: %s",
				 framework_level_id(f, c->suggested),
				 c->reason);
		else if (c->suggested)
			snprintf(note, sizeof(note), "as the figures suggest");
		else
			snprintf(note, sizeof(note), "%s", "");
		o->note = tidy_table_intern(out, note);
	}
	standard_score(f, a, &sc);
	for (k = 0; k < f->nthemes; k++) {
		o = row_for(out, d->areas, a->area_code, a->year,
			    "standard_theme_level");
		o->breakdown = tidy_table_intern(out, f->themes[k].id);
		o->value = score_2dp(sc.theme_score[k]);
		o->flag = tidy_table_intern(
			out, framework_level_id(f, sc.theme_level[k]));
		o->note = tidy_table_intern(out, isnan(sc.theme_score[k]) ?
			"not scored: a criterion has no level" :
			"mean of the criteria's levels; level rounded down");
	}
	o = row_for(out, d->areas, a->area_code, a->year,
		    "standard_overall_level");
	o->value = score_2dp(sc.overall_score);
	o->flag = tidy_table_intern(out,
				    framework_level_id(f, sc.overall_level));
	o->note = tidy_table_intern(out, isnan(sc.overall_score) ?
		"not scored: a theme has no score" :
		"mean of the themes' scores; level rounded down");
	standard_score_release(&sc);
}

static int submitted_list(const struct standard_data *d,
			  const struct framework *f, const char *area_code,
			  int year, struct assessment **out, size_t *count,
			  struct parity_error *err)
{
	struct assessment_filter filter;

	memset(&filter, 0, sizeof(filter));
	filter.framework = f->id;
	filter.area_code = area_code;
	filter.year = year;
	filter.submitted_only = true;
	filter.newest_only = true;
	return store_assessments_list(d->store, &filter, out, count, err);
}

int standard_progress_table(const struct standard_data *d,
			    const struct framework *f, const char *area_code,
			    struct tidy_table *out, struct parity_error *err)
{
	struct assessment *all;
	size_t n, k;

	if (submitted_list(d, f, area_code, 0, &all, &n, err) < 0)
		return -1;
	for (k = 0; k < n; k++)
		if (all[k].framework_version == f->version)
			standard_levels_table(d, f, &all[k], out);
	assessments_free(all, n);
	return 0;
}

static void count_row(struct tidy_table *out, const struct standard_data *d,
		      const struct framework *f, int year,
		      const char *measure, const char *breakdown, int level,
		      size_t count, size_t total)
{
	struct tidy_row *o = row_for(out, d->areas, LONDON_CODE, year,
				     measure);

	o->breakdown = tidy_table_intern(out, breakdown);
	o->flag = tidy_table_intern(out, framework_level_id(f, level));
	o->value = (double)count;
	o->numerator = (double)count;
	o->denominator = (double)total;
	o->note = tidy_table_intern(out, "councils at this level, of those "
				    "with a level here (submitted "
				    "assessments)");
}

int standard_distribution_table(const struct standard_data *d,
				const struct framework *f, int year,
				struct tidy_table *out,
				struct parity_error *err)
{
	struct assessment *all;
	struct standard_score *sc;
	size_t n, k, j, m, counts[FRAMEWORK_MAX_LEVELS + 1], total;
	int lv;

	if (f->kind == FRAMEWORK_SURVEY)
		return 0;
	if (submitted_list(d, f, NULL, year, &all, &n, err) < 0)
		return -1;
	sc = xcalloc(n + 1, sizeof(*sc));
	for (k = 0; k < n; k++)
		standard_score(f, &all[k], &sc[k]);
	for (j = 0; j < f->ncriteria; j++) {
		memset(counts, 0, sizeof(counts));
		total = 0;
		for (k = 0; k < n; k++) {
			const struct assessment_criterion *c;

			if (all[k].framework_version != f->version)
				continue;
			c = level_of(&all[k], f->criteria[j].id);
			if (c && c->level >= 1 &&
			    (size_t)c->level <= f->nlevels) {
				counts[c->level]++;
				total++;
			}
		}
		for (m = 1; m <= f->nlevels; m++)
			count_row(out, d, f, year, "standard_level_count",
				  f->criteria[j].id, (int)m, counts[m], total);
	}
	for (j = 0; j <= f->nthemes; j++) {
		memset(counts, 0, sizeof(counts));
		total = 0;
		for (k = 0; k < n; k++) {
			if (all[k].framework_version != f->version)
				continue;
			lv = j < f->nthemes ? sc[k].theme_level[j] :
					      sc[k].overall_level;
			if (lv >= 1 && (size_t)lv <= f->nlevels) {
				counts[lv]++;
				total++;
			}
		}
		for (m = 1; m <= f->nlevels; m++)
			count_row(out, d, f, year,
				  j < f->nthemes ? "standard_theme_level_count"
						 : "standard_overall_level_count",
				  j < f->nthemes ? f->themes[j].id : "",
				  (int)m, counts[m], total);
	}
	for (k = 0; k < n; k++)
		standard_score_release(&sc[k]);
	free(sc);
	assessments_free(all, n);
	return 0;
}

static bool may_name(const struct standard_viewer *v, const char *area_code,
		     bool opted)
{
	if (opted || (v && v->everyone))
		return true;
	return v && v->area_code && v->area_code[0] &&
	       strcmp(v->area_code, area_code) == 0;
}

int standard_named_table(const struct standard_data *d,
			 const struct framework *f, int year,
			 const struct standard_viewer *viewer,
			 struct tidy_table *out, struct parity_error *err)
{
	struct assessment *all;
	struct standard_score sc;
	struct tidy_row *o;
	size_t n, k, t;

	if (f->kind == FRAMEWORK_SURVEY)
		return 0;
	if (submitted_list(d, f, NULL, year, &all, &n, err) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		if (all[k].framework_version != f->version ||
		    !may_name(viewer, all[k].area_code, all[k].share))
			continue;
		standard_score(f, &all[k], &sc);
		for (t = 0; t < f->nthemes; t++) {
			o = row_for(out, d->areas, all[k].area_code, year,
				    "standard_theme_level");
			o->breakdown = tidy_table_intern(out, f->themes[t].id);
			o->value = score_2dp(sc.theme_score[t]);
			o->flag = tidy_table_intern(
				out, framework_level_id(f, sc.theme_level[t]));
			o->note = tidy_table_intern(out, all[k].share ?
				"the council shares its levels" :
				"not shared: shown to its own council");
		}
		o = row_for(out, d->areas, all[k].area_code, year,
			    "standard_overall_level");
		o->value = score_2dp(sc.overall_score);
		o->flag = tidy_table_intern(
			out, framework_level_id(f, sc.overall_level));
		o->note = tidy_table_intern(out, all[k].share ?
			"the council shares its levels" :
			"not shared: shown to its own council");
		standard_score_release(&sc);
	}
	assessments_free(all, n);
	return 0;
}

int standard_review_table(const struct standard_data *d,
			  const struct framework *f, const char *area_code,
			  int year, struct tidy_table *out,
			  struct parity_error *err)
{
	struct assessment a;
	struct review r;
	struct tidy_row *o;
	char note[1024];
	size_t k;
	int rc = review_get(d->store, f->id, area_code, year, &r, &a, err);

	if (rc <= 0)
		return rc;
	for (k = 0; k < r.nentries; k++) {
		const struct review_entry *e = &r.entries[k];

		o = row_for(out, d->areas, area_code, year,
			    "standard_review_level");
		o->breakdown = tidy_table_intern(out, e->criterion);
		o->value = e->level;
		o->flag = tidy_table_intern(out, e->agree ? "agree" : "differ");
		snprintf(note, sizeof(note), "reviewed by %s (%s)%s%s%s",
			 r.reviewer_area, framework_level_id(f, e->level),
			 r.signed_off_at ? ", signed off" : ", not signed off",
			 e->comment[0] ? ": " : "", e->comment);
		o->note = tidy_table_intern(out, note);
	}
	review_release(&r);
	assessment_release(&a);
	return 0;
}

/* ---- actions judged by results ---- */

static double round_to(double v, int places)
{
	double scale = pow(10.0, places);

	return isnan(v) ? v : round(v * scale) / scale;
}

/* The change from `before` to `now` of a link's figure, with interval and
 * test as the measure allows; the unit words into `unit`. */
static void change_of(const struct framework_link *l,
		      const struct standard_figure *before,
		      const struct standard_figure *now, struct tidy_row *o,
		      char *unit, size_t size)
{
	const struct measure_def *def = measure_def_find(l->measure);
	struct interval w1, w2;
	struct ztest_result z;

	o->value = now->value - before->value;
	o->numerator = now->value;
	o->denominator = before->value;
	snprintf(unit, size, "%s", "");
	if (def && def->basis == BASIS_SHARE && def->unit == UNIT_PERCENT &&
	    !isnan(before->numerator) && !isnan(before->denominator) &&
	    !isnan(now->numerator) && !isnan(now->denominator) &&
	    stats_wilson(before->numerator, before->denominator,
			 STATS_CONF95, &w1) == STATS_OK &&
	    stats_wilson(now->numerator, now->denominator, STATS_CONF95,
			 &w2) == STATS_OK) {
		double p1 = before->numerator / before->denominator;
		double p2 = now->numerator / now->denominator;
		double diff = p2 - p1;

		/* Newcombe's hybrid score interval (method 10) */
		o->ci_low = 100.0 * (diff - sqrt((p2 - w2.low) * (p2 - w2.low) +
						 (w1.high - p1) *
						 (w1.high - p1)));
		o->ci_high = 100.0 * (diff + sqrt((w2.high - p2) *
						  (w2.high - p2) +
						  (p1 - w1.low) * (p1 - w1.low)));
		if (stats_two_proportion_ztest(now->numerator,
					       now->denominator,
					       before->numerator,
					       before->denominator,
					       &z) == STATS_OK)
			o->p_value = z.p_two_sided;
		snprintf(unit, size, "percentage points; Newcombe's 95%% "
			 "interval, two-proportion z-test");
	} else if (def && def->unit == UNIT_RATIO && before->value > 0 &&
		   now->value > 0 && before->ci_low > 0 && now->ci_low > 0 &&
		   !isnan(before->ci_high) && !isnan(now->ci_high)) {
		double z95 = 1.959963984540054;
		double s1 = (log(before->ci_high) - log(before->ci_low)) /
			    (2 * z95);
		double s2 = (log(now->ci_high) - log(now->ci_low)) / (2 * z95);
		double se = sqrt(s1 * s1 + s2 * s2);
		double lr = log(now->value / before->value);
		double zz = se > 0 ? fabs(lr) / se : NAN;

		/* the interval of the ratio of the two, as a change */
		o->ci_low = now->value * exp(-z95 * se) - before->value;
		o->ci_high = now->value * exp(z95 * se) - before->value;
		o->p_value = isnan(zz) ? NAN : erfc(zz / sqrt(2.0));
		snprintf(unit, size, "change in the ratio; tested on the log "
			 "scale from the two years' intervals");
	} else {
		snprintf(unit, size, "no test for a change in this measure");
	}
	if (!isnan(o->p_value))
		o->flag = o->p_value < 0.05 ? "significant" : "not_significant";
	/* as published: points to 2 places, ratios to 3 */
	o->value = round_to(o->value, def && def->unit == UNIT_RATIO ? 3 : 2);
	o->ci_low = round_to(o->ci_low, def && def->unit == UNIT_RATIO ? 3 : 2);
	o->ci_high = round_to(o->ci_high,
			      def && def->unit == UNIT_RATIO ? 3 : 2);
	o->numerator = round_to(o->numerator, 3);
	o->denominator = round_to(o->denominator, 3);
	if (!isnan(o->p_value))
		o->p_value = round_to(o->p_value, 4);
}

int standard_action_results(const struct standard_data *d,
			    const struct framework *f, const char *area_code,
			    int year, struct tidy_table *out,
			    struct parity_error *err)
{
	struct assessment *all;
	struct standard_figure before, now;
	struct framework_link l;
	struct tidy_row *o;
	char note[2048], unit[128], breakdown[512];
	size_t n, k, j;

	if (submitted_list(d, f, area_code, 0, &all, &n, err) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		if (all[k].year >= year)
			continue;
		for (j = 0; j < all[k].nactions; j++) {
			struct assessment_action *x = &all[k].actions[j];

			/* an action carried into a later assessment keeps
			 * its start year: it is judged once, from the
			 * assessment it began in */
			if (!x->measure[0] || x->start_year != all[k].year ||
			    x->start_year >= year)
				continue;
			memset(&l, 0, sizeof(l));
			l.measure = x->measure;
			l.breakdown = x->breakdown;
			l.ethnicity = x->ethnicity;
			l.level = x->level;
			l.service = x->service;
			if (standard_figure(d, &l, area_code, x->start_year,
					    &before, err) < 0 ||
			    standard_figure(d, &l, area_code, year, &now,
					    err) < 0) {
				assessments_free(all, n);
				return -1;
			}
			o = row_for(out, d->areas, area_code, year,
				    "standard_action_change");
			snprintf(breakdown, sizeof(breakdown), "%s: %s%s%s",
				 x->criterion, x->measure,
				 x->breakdown[0] ? " " : "", x->breakdown);
			o->breakdown = tidy_table_intern(out, breakdown);
			o->ethnicity = tidy_table_intern(out, x->ethnicity);
			o->ethnicity_level = tidy_table_intern(
				out, x->level[0] ? x->level : "detailed");
			unit[0] = '\0';
			if (before.found && now.found) {
				change_of(&l, &before, &now, o, unit,
					  sizeof(unit));
				o->flag = tidy_table_intern(out, o->flag);
			}
			snprintf(note, sizeof(note),
				 "action %zu of %d (%s; owner %s; due %s): "
				 "%s; from %d to %d%s%s%s", j + 1, all[k].year,
				 x->status, x->owner_role, x->due,
				 x->description, x->start_year, year,
				 unit[0] ? "; " : "", unit,
				 before.found && now.found ? "" :
				 "; a figure is missing");
			o->note = tidy_table_intern(out, note);
		}
	}
	assessments_free(all, n);
	return 0;
}

/* ---- surveys ---- */

int standard_survey_table(const struct standard_data *d,
			  const struct framework *f, int year,
			  const struct standard_viewer *viewer,
			  struct tidy_table *out, struct parity_error *err)
{
	struct assessment *all;
	struct tidy_row *o;
	char breakdown[160], value[32];
	size_t n, k, q, s, m, x, count, total;

	if (f->kind != FRAMEWORK_SURVEY)
		return 0;
	if (submitted_list(d, f, NULL, year, &all, &n, err) < 0)
		return -1;
	for (s = 0; s < f->nservice_areas; s++) {
		const char *sa = f->service_areas[s].id;

		for (q = 0; q < f->nquestions; q++) {
			const struct framework_question *qu = &f->questions[q];
			size_t nvalues = qu->type == QUESTION_CHOICE ?
				qu->noptions :
				qu->type == QUESTION_SCALE ?
				(size_t)(qu->scale_max - qu->scale_min + 1) : 0;

			snprintf(breakdown, sizeof(breakdown), "%s: %s", sa,
				 qu->id);
			total = 0;
			for (k = 0; k < n; k++)
				for (x = 0; x < all[k].nanswers; x++)
					if (strcmp(all[k].answers[x].service_area,
						   sa) == 0 &&
					    strcmp(all[k].answers[x].question,
						   qu->id) == 0)
						total++;
			for (m = 0; m < nvalues; m++) {
				if (qu->type == QUESTION_CHOICE)
					snprintf(value, sizeof(value), "%s",
						 qu->options[m].id);
				else
					snprintf(value, sizeof(value), "%d",
						 qu->scale_min + (int)m);
				count = 0;
				for (k = 0; k < n; k++)
					for (x = 0; x < all[k].nanswers; x++) {
						const struct assessment_answer
							*an = &all[k].answers[x];

						if (strcmp(an->service_area,
							   sa) == 0 &&
						    strcmp(an->question,
							   qu->id) == 0 &&
						    strcmp(an->value, value) ==
							    0)
							count++;
					}
				o = row_for(out, d->areas, LONDON_CODE, year,
					    "survey_answer_count");
				o->breakdown = tidy_table_intern(out,
								 breakdown);
				o->flag = tidy_table_intern(out, value);
				o->value = (double)count;
				o->numerator = (double)count;
				o->denominator = (double)total;
				o->note = tidy_table_intern(out,
					qu->type == QUESTION_CHOICE ?
					qu->options[m].label :
					"councils giving this value");
			}
			if (qu->type != QUESTION_TEXT)
				continue;
			for (k = 0; k < n; k++)
				for (x = 0; x < all[k].nanswers; x++) {
					const struct assessment_answer *an =
						&all[k].answers[x];
					bool named = may_name(viewer,
							      all[k].area_code,
							      all[k].named);

					if (strcmp(an->service_area, sa) != 0 ||
					    strcmp(an->question, qu->id) != 0)
						continue;
					o = row_for(out, d->areas,
						    named ? all[k].area_code :
							    LONDON_CODE,
						    year, "survey_free_text");
					if (!named) {
						o->area_name = tidy_table_intern(
							out, "a London council");
						o->area_type = tidy_table_intern(
							out, "region");
					}
					o->breakdown = tidy_table_intern(
						out, breakdown);
					o->note = tidy_table_intern(out,
								    an->value);
				}
		}
	}
	assessments_free(all, n);
	return 0;
}

int standard_latest_year(struct store *s, const struct framework *f,
			 const char *area_code, int *year,
			 struct parity_error *err)
{
	struct assessment_filter filter;
	struct assessment *all;
	size_t n, k;

	memset(&filter, 0, sizeof(filter));
	filter.framework = f->id;
	filter.area_code = area_code;
	filter.submitted_only = true;
	filter.newest_only = true;
	if (store_assessments_list(s, &filter, &all, &n, err) < 0)
		return -1;
	*year = 0;
	for (k = 0; k < n; k++)
		if (all[k].year > *year)
			*year = all[k].year;
	assessments_free(all, n);
	return *year ? 1 : 0;
}
