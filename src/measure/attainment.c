/*
 * attainment.c - gaps in mean score, threshold rate ratios, the gap's
 * trend and the funnel against London, by ethnic group (see attainment.h;
 * the formulas are in docs/measures.md, "Attainment").
 */
#include "measure/attainment.h"

#include "base/alloc.h"
#include "base/strbuf.h"
#include "domain/attainment_def.h"
#include "domain/service_def.h"
#include "store/attainment_store.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pooled cells ---- */

void attainment_cell_add_row(struct attainment_cell *c, double pupils,
			     double mean, double sd, double reaching,
			     unsigned suppressed)
{
	c->pupils += pupils;
	c->parts++;
	c->suppressed |= suppressed;
	if (!isnan(mean) && pupils > 0) {
		c->mean_pupils += pupils;
		c->mean_parts++;
		c->sum += pupils * mean;
		c->sum_m2 += pupils * mean * mean;
		if (!isnan(sd) && pupils >= 2) {
			c->sd_pupils += pupils;
			c->within_ss += (pupils - 1) * sd * sd;
			c->within_df += pupils - 1;
		}
	}
	if (!isnan(reaching)) {
		c->reaching_pupils += pupils;
		c->reaching += reaching;
	}
}

void attainment_cell_add(struct attainment_cell *c,
			 const struct attainment_cell *part)
{
	c->pupils += part->pupils;
	c->mean_pupils += part->mean_pupils;
	c->mean_parts += part->mean_parts;
	c->sum += part->sum;
	c->sum_m2 += part->sum_m2;
	c->sd_pupils += part->sd_pupils;
	c->within_ss += part->within_ss;
	c->within_df += part->within_df;
	c->reaching_pupils += part->reaching_pupils;
	c->reaching += part->reaching;
	c->suppressed |= part->suppressed;
	c->parts += part->parts;
}

double attainment_cell_mean(const struct attainment_cell *c)
{
	if (!(c->pupils > 0) || c->mean_pupils != c->pupils)
		return NAN;
	return c->sum / c->pupils;
}

/*
 * The sum of squares about the pooled mean is the parts' own, sum of
 * (n - 1) sd^2, plus that between their means, sum of n mean^2 - N M^2.
 * Parts without an SD are given the within-part variance of those with
 * one, over their own n - 1.
 */
double attainment_cell_sd(const struct attainment_cell *c, bool *estimated)
{
	double m = attainment_cell_mean(c), within = c->within_ss, between;
	double df_all = c->mean_pupils - c->mean_parts;

	*estimated = false;
	if (isnan(m) || c->pupils < 2 || !(c->within_df > 0) ||
	    c->sd_pupils < ATTAINMENT_SD_COVER * c->pupils)
		return NAN;
	if (c->sd_pupils < c->pupils) {
		*estimated = true;
		within += c->within_ss / c->within_df *
			  (df_all - c->within_df);
	}
	between = c->sum_m2 - c->pupils * m * m;
	if (between < 0)
		between = 0; /* rounding: the means are all equal */
	return sqrt((within + between) / (c->pupils - 1));
}

double attainment_cell_rate(const struct attainment_cell *c)
{
	if (!(c->pupils > 0) || c->reaching_pupils != c->pupils)
		return NAN;
	return c->reaching / c->pupils;
}

/* ---- loading ---- */

struct loaded {
	int year;
	char period[16];
	int measure, group;
	double pupils, mean, sd, reaching;
	unsigned suppressed;
	bool new_return;  /* the first row of its return */
	bool high;
};

struct load_ctx {
	struct loaded *rows;
	size_t n, cap;
	int64_t last_return;
};

static int load_row(void *ctx, const struct store_attainment_return *ret,
		    const struct store_attainment_row *row)
{
	struct load_ctx *c = ctx;
	const struct attainment_measure *m =
		attainment_measure_find(row->measure);
	int g = service_group_find_code(row->group);
	struct loaded *l;

	if (!m || g < 0)
		return 0; /* a measure or group since renamed: not counted */
	c->rows = xgrow(c->rows, &c->cap, c->n + 1, sizeof(*c->rows));
	l = &c->rows[c->n++];
	l->year = ret->year;
	snprintf(l->period, sizeof(l->period), "%s", ret->period);
	l->measure = attainment_measure_index(m);
	l->group = g;
	l->pupils = row->pupils;
	l->mean = row->mean;
	l->sd = row->sd;
	l->reaching = row->reaching;
	l->suppressed = row->suppressed;
	l->new_return = ret->id != c->last_return;
	l->high = strcmp(ret->level, "high") == 0;
	c->last_return = ret->id;
	return 0;
}

static int by_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

struct attainment_cell *attainment_data_cell(const struct attainment_data *d,
					     size_t y, size_t m, int g)
{
	return &d->cells[(y * attainment_measure_count() + m) *
			 SVC_GROUP_COUNT + (size_t)g];
}

static size_t year_index(const struct attainment_data *d, int year)
{
	size_t k;

	for (k = 0; k < d->nyears && d->years[k] != year; k++)
		;
	return k;
}

int attainment_data_load(struct store *s, const char *const *codes,
			 size_t ncodes, struct attainment_data *out,
			 struct parity_error *err)
{
	struct load_ctx c;
	size_t k, y;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	out->areas = ncodes;
	for (k = 0; k < ncodes; k++) {
		c.last_return = 0;
		if (store_attainment_rows_each(s, codes[k], load_row, &c,
					       err) < 0)
			goto done;
	}
	out->years = xcalloc(c.n + 1, sizeof(*out->years));
	for (k = 0; k < c.n; k++)
		if (year_index(out, c.rows[k].year) == out->nyears)
			out->years[out->nyears++] = c.rows[k].year;
	if (out->nyears)
		qsort(out->years, out->nyears, sizeof(*out->years), by_int);
	out->periods = xcalloc(out->nyears + 1, sizeof(*out->periods));
	out->returns = xcalloc(out->nyears + 1, sizeof(*out->returns));
	out->cells = xcalloc((out->nyears + 1) * attainment_measure_count() *
			     SVC_GROUP_COUNT, sizeof(*out->cells));
	for (k = 0; k < c.n; k++) {
		const struct loaded *l = &c.rows[k];

		y = year_index(out, l->year);
		if (!out->periods[y][0])
			snprintf(out->periods[y], sizeof(out->periods[y]), "%s",
				 l->period);
		if (l->new_return)
			out->returns[y]++;
		if (l->high)
			out->high = true;
		attainment_cell_add_row(
			attainment_data_cell(out, y, (size_t)l->measure,
					     l->group),
			l->pupils, l->mean, l->sd, l->reaching, l->suppressed);
	}
	rc = 0;
done:
	free(c.rows);
	return rc;
}

void attainment_data_release(struct attainment_data *d)
{
	free(d->years);
	free(d->periods);
	free(d->returns);
	free(d->cells);
	memset(d, 0, sizeof(*d));
}

/* ---- options ---- */

void attainment_options_init(struct attainment_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->level = ETH_LEVEL_DETAILED;
	opt->reference = -1;
	opt->assumed_sd = NAN;
}

enum stats_status attainment_gap(double mean, double sd, double pupils,
				 double ref_mean, double ref_sd,
				 double ref_pupils, double assumed_sd,
				 struct difference_result *out, bool *normal)
{
	*normal = isnan(sd) || isnan(ref_sd) || pupils < 2 || ref_pupils < 2;
	if (!*normal)
		return stats_welch_difference(mean, sd, pupils, ref_mean,
					      ref_sd, ref_pupils, STATS_CONF95,
					      out);
	return stats_normal_difference(mean, isnan(sd) ? assumed_sd : sd,
				       pupils, ref_mean,
				       isnan(ref_sd) ? assumed_sd : ref_sd,
				       ref_pupils, STATS_CONF95, out);
}

/* ---- the view of one area ---- */

struct view {
	const struct attainment_data *d;
	const struct attainment_area *area;
	const struct attainment_options *opt;
	bool high;         /* reported at the high level */
	bool forced_high;  /* ... because a return gives only major groups */
	int reference;
	bool in_ref[SVC_GROUP_COUNT];
	struct tidy_table *t;
};

static int out_group(const struct view *v, int g)
{
	if (v->high && service_group_is_declared(g))
		return SVC_HIGH_FIRST + (int)service_group_high(g);
	return g;
}

/* Group `og` of the view in year y and measure m: its members pooled. */
static void view_cell(const struct view *v, size_t y, size_t m, int og,
		      struct attainment_cell *out)
{
	int g;

	memset(out, 0, sizeof(*out));
	for (g = 0; g < SVC_GROUP_COUNT; g++)
		if (out_group(v, g) == og)
			attainment_cell_add(out,
					    attainment_data_cell(v->d, y, m, g));
}

static void ref_cell(const struct view *v, size_t y, size_t m,
		     struct attainment_cell *out)
{
	int g;

	memset(out, 0, sizeof(*out));
	for (g = 0; g < SVC_GROUP_COUNT; g++)
		if (v->in_ref[g])
			attainment_cell_add(out,
					    attainment_data_cell(v->d, y, m, g));
}

static const char *ref_label(const struct view *v)
{
	return v->reference == ETH_WBRI ? "White British"
					: service_group_label(v->reference);
}

static double assumed_sd(const struct view *v,
			 const struct attainment_measure *m)
{
	return isnan(v->opt->assumed_sd) ? m->assumed_sd : v->opt->assumed_sd;
}

static struct tidy_row *row(const struct view *v, const char *measure,
			    size_t y, int g, const char *breakdown)
{
	struct tidy_table *t = v->t;
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, v->area->code);
	r->area_name = tidy_table_intern(t, v->area->name);
	r->area_type = tidy_table_intern(t, v->area->type);
	r->year = v->d->years[y];
	r->period = tidy_table_intern(t, v->d->periods[y]);
	r->ethnicity = tidy_table_intern(t, service_group_label(g));
	r->ethnicity_level = tidy_table_intern(
		t, !service_group_is_declared(g) ? ""
		   : v->high ? "high" : "detailed");
	r->breakdown = tidy_table_intern(t, breakdown);
	return r;
}

/* The notes every row of a group carries, then the row's own. */
static void finish_note(const struct view *v, struct tidy_row *r, size_t y,
			int g, struct strbuf *note)
{
	struct strbuf all = STRBUF_INIT;
	const char *gn = service_group_note(g);

	strbuf_addstr(&all, note->buf);
	if (gn)
		strbuf_addf(&all, "; %s", gn);
	if (v->forced_high)
		strbuf_addstr(&all, "; at the high level: a return gives only "
			      "major groups");
	if (v->d->returns[y] < v->d->areas)
		strbuf_addf(&all, "; pooled from the returns of %zu of %zu "
			    "authorities in %s", v->d->returns[y], v->d->areas,
			    v->area->name);
	r->note = tidy_table_intern(v->t, all.buf[0] == ';' ? all.buf + 2
							     : all.buf);
	strbuf_release(&all);
	strbuf_reset(note);
}

static bool suppressed_part(const struct attainment_cell *c, unsigned bit)
{
	return (c->suppressed & bit) != 0;
}

static void mean_row(const struct view *v, size_t y,
		     const struct attainment_measure *m, int g,
		     const struct attainment_cell *c, struct strbuf *note)
{
	struct tidy_row *r = row(v, "attainment_mean", y, g, m->name);
	bool estimated;
	double mean = attainment_cell_mean(c),
	       sd = attainment_cell_sd(c, &estimated);

	r->denominator = c->pupils;
	if (isnan(mean)) {
		strbuf_addstr(note, suppressed_part(
				      c, STORE_ATTAINMENT_MEAN_SUPPRESSED)
				      ? "not calculable: a mean score was "
					"suppressed at source"
				      : "not calculable: no mean score given");
	} else {
		r->value = mean;
		if (!isnan(sd)) {
			double half = gsl_cdf_tdist_Pinv(0.975, c->pupils - 1) *
				      sd / sqrt(c->pupils);

			r->ci_low = mean - half;
			r->ci_high = mean + half;
			strbuf_addf(note, "SD %.1f%s; t interval", sd,
				    estimated ? " (the spread within returns "
						"without an SD taken as that "
						"of those with one)" : "");
		} else {
			double half = 1.959963984540054 * assumed_sd(v, m) /
				      sqrt(c->pupils);

			r->ci_low = mean - half;
			r->ci_high = mean + half;
			strbuf_addf(note, "no SD given: normal interval with "
				    "an assumed SD of %g points (parity's "
				    "assumption; --assumed-sd)",
				    assumed_sd(v, m));
		}
	}
	finish_note(v, r, y, g, note);
}

/*
 * The gap of group `og` in year y to the reference, into `out`: STATS_OK,
 * or another status with `why` saying what is missing (written into
 * `why`, "" when the statistics said it).
 */
static enum stats_status gap_of(const struct view *v, size_t y, size_t mi,
				int og, struct difference_result *out,
				bool *normal, bool *estimated,
				struct attainment_cell *ref, char *why,
				size_t size)
{
	const struct attainment_measure *m = attainment_measure_at(mi);
	struct attainment_cell c;
	double mean, rmean, sd, rsd;
	bool e1, e2;

	view_cell(v, y, mi, og, &c);
	ref_cell(v, y, mi, ref);
	mean = attainment_cell_mean(&c);
	rmean = attainment_cell_mean(ref);
	*normal = false;
	*estimated = false;
	why[0] = '\0';
	out->difference = out->se = out->df = out->p_value = NAN;
	out->ci.low = out->ci.high = NAN;
	if (ref->parts == 0) {
		snprintf(why, size, "not calculable: no figures for the "
			 "reference group, %s", ref_label(v));
		return STATS_NO_DENOMINATOR;
	}
	if (c.pupils < ATTAINMENT_MIN_PUPILS ||
	    ref->pupils < ATTAINMENT_MIN_PUPILS) {
		snprintf(why, size, "not calculable: fewer than %.0f pupils in "
			 "the %s", ATTAINMENT_MIN_PUPILS,
			 c.pupils < ATTAINMENT_MIN_PUPILS ? "group"
							   : "reference group");
		return STATS_NO_DENOMINATOR;
	}
	if (isnan(mean) || isnan(rmean)) {
		snprintf(why, size, "not calculable: %s mean score was "
			 "suppressed at source or not given",
			 isnan(mean) ? "the group's" : "the reference group's");
		return STATS_INVALID;
	}
	sd = attainment_cell_sd(&c, &e1);
	rsd = attainment_cell_sd(ref, &e2);
	*estimated = (e1 && !isnan(sd)) || (e2 && !isnan(rsd));
	return attainment_gap(mean, sd, c.pupils, rmean, rsd, ref->pupils,
			      assumed_sd(v, m), out, normal);
}

/* London's row of the same measure, year, breakdown and group. */
static const struct tidy_row *london_row(const struct tidy_table *london,
					 const struct tidy_row *b)
{
	size_t k;

	for (k = 0; london && k < london->count; k++) {
		const struct tidy_row *l = &london->rows[k];

		if (l->year == b->year && strcmp(l->measure, b->measure) == 0 &&
		    strcmp(l->breakdown, b->breakdown) == 0 &&
		    strcmp(l->ethnicity, b->ethnicity) == 0 &&
		    strcmp(l->ethnicity_level, b->ethnicity_level) == 0)
			return l;
	}
	return NULL;
}

/* A borough's gap or ratio (the row at `at`) against London's: limits
 * at the borough's own standard error (`se`, of the log for a ratio). */
static void funnel_row(const struct view *v, size_t at, double se, bool ratio)
{
	struct tidy_row b = v->t->rows[at]; /* copied: rows move as added */
	const struct tidy_row *l;
	struct interval in95 = { NAN, NAN }, out998 = { NAN, NAN };
	enum funnel_position pos;
	struct tidy_row *r;
	char what[256], note[512];

	if (!v->opt->london || strcmp(v->area->type, "borough") != 0 ||
	    isnan(b.value))
		return;
	l = london_row(v->opt->london, &b);
	if (!l || isnan(l->value))
		return;
	if (ratio && l->value > 0 && isfinite(se) && se > 0) {
		stats_funnel_ratio(l->value, se, STATS_CONF95, &in95);
		stats_funnel_ratio(l->value, se, STATS_CONF998, &out998);
	} else if (!ratio && isfinite(se)) {
		stats_funnel_difference(l->value, se, STATS_CONF95, &in95);
		stats_funnel_difference(l->value, se, STATS_CONF998, &out998);
	}
	pos = stats_funnel_classify(b.value, in95, out998);
	snprintf(what, sizeof(what), "%s: %s", b.measure, b.breakdown);
	if (pos == FUNNEL_NOT_CALCULABLE)
		snprintf(note, sizeof(note), "against London: not calculable");
	else
		snprintf(note, sizeof(note), "against London (%.4g); control "
			 "limits at the borough's precision: 95%% in ci_low and "
			 "ci_high, 99.8%% %.4g to %.4g", l->value, out998.low,
			 out998.high);
	r = tidy_table_add_row(v->t);
	r->measure = tidy_table_intern(v->t, "funnel_position");
	r->area_code = b.area_code;
	r->area_name = b.area_name;
	r->area_type = b.area_type;
	r->year = b.year;
	r->period = b.period;
	r->ethnicity = b.ethnicity;
	r->ethnicity_level = b.ethnicity_level;
	r->breakdown = tidy_table_intern(v->t, what);
	r->value = b.value;
	r->numerator = l->value;
	r->ci_low = in95.low;
	r->ci_high = in95.high;
	r->flag = tidy_table_intern(v->t, stats_funnel_position_name(pos));
	r->note = tidy_table_intern(v->t, note);
}

static void gap_row(const struct view *v, size_t y, size_t mi, int og,
		    struct strbuf *note)
{
	const struct attainment_measure *m = attainment_measure_at(mi);
	struct tidy_row *r = row(v, "attainment_gap", y, og, m->name);
	size_t at = v->t->count - 1;
	struct difference_result d;
	struct attainment_cell ref, c;
	enum stats_status st;
	char why[256];
	bool normal, estimated, e;

	st = gap_of(v, y, mi, og, &d, &normal, &estimated, &ref, why,
		    sizeof(why));
	view_cell(v, y, mi, og, &c);
	r->numerator = attainment_cell_mean(&c);
	r->denominator = attainment_cell_mean(&ref);
	strbuf_addf(note, "reference: %s", ref_label(v));
	if (why[0]) {
		strbuf_addf(note, "; %s", why);
	} else if (st != STATS_OK) {
		strbuf_addf(note, "; not calculable: %s",
			    stats_status_reason(st));
		r->value = d.difference;
	} else {
		r->value = d.difference;
		r->ci_low = d.ci.low;
		r->ci_high = d.ci.high;
		r->p_value = d.p_value;
		if (d.ci.high < 0)
			r->flag = tidy_table_intern(v->t, "below");
		else if (d.ci.low > 0)
			r->flag = tidy_table_intern(v->t, "above");
		if (normal)
			strbuf_addf(note, "; normal interval: no SD given for "
				    "%s, so an SD of %g points is assumed "
				    "(parity's assumption; --assumed-sd)",
				    isnan(attainment_cell_sd(&c, &e)) &&
				    isnan(attainment_cell_sd(&ref, &e))
				    ? "either group"
				    : isnan(attainment_cell_sd(&c, &e))
				    ? "the group" : "the reference group",
				    assumed_sd(v, m));
		else
			strbuf_addf(note, "; Welch interval, %.1f degrees of "
				    "freedom (Welch-Satterthwaite)", d.df);
		if (estimated)
			strbuf_addstr(note, "; the spread within returns "
				      "without an SD is taken as that of those "
				      "with one");
	}
	finish_note(v, r, y, og, note);
	if (st == STATS_OK && !why[0])
		funnel_row(v, at, d.se, false);
}

static void rate_row(const struct view *v, size_t y,
		     const struct attainment_measure *m, int g,
		     const struct attainment_cell *c, struct strbuf *note)
{
	struct tidy_row *r = row(v, "attainment_rate", y, g, m->name);
	double rate = attainment_cell_rate(c);
	struct interval ci;

	r->denominator = c->pupils;
	if (isnan(rate)) {
		strbuf_addstr(note, suppressed_part(
				      c, STORE_ATTAINMENT_REACHING_SUPPRESSED)
				      ? "not calculable: a number reaching "
					"the threshold was suppressed at source"
				      : "not calculable: no pupils");
	} else {
		r->numerator = c->reaching;
		r->value = 100 * rate;
		if (stats_wilson(c->reaching, c->pupils, STATS_CONF95, &ci) ==
		    STATS_OK) {
			r->ci_low = 100 * ci.low;
			r->ci_high = 100 * ci.high;
		}
	}
	finish_note(v, r, y, g, note);
}

static void ratio_row(const struct view *v, size_t y, size_t mi, int og,
		      struct strbuf *note)
{
	const struct attainment_measure *m = attainment_measure_at(mi);
	struct tidy_row *r = row(v, "attainment_rate_ratio", y, og, m->name);
	size_t at = v->t->count - 1;
	struct attainment_cell c, ref;
	struct ratio_result rr;
	enum stats_status st;
	double rate, rrate;

	view_cell(v, y, mi, og, &c);
	ref_cell(v, y, mi, &ref);
	rate = attainment_cell_rate(&c);
	rrate = attainment_cell_rate(&ref);
	r->numerator = 100 * rate;
	r->denominator = 100 * rrate;
	strbuf_addf(note, "reference: %s", ref_label(v));
	if (ref.parts == 0) {
		strbuf_addf(note, "; not calculable: no figures for the "
			    "reference group");
	} else if (c.pupils < ATTAINMENT_MIN_PUPILS ||
		   ref.pupils < ATTAINMENT_MIN_PUPILS) {
		strbuf_addf(note, "; not calculable: fewer than %.0f pupils "
			    "in the %s", ATTAINMENT_MIN_PUPILS,
			    c.pupils < ATTAINMENT_MIN_PUPILS
			    ? "group" : "reference group");
	} else if (isnan(rate) || isnan(rrate)) {
		strbuf_addstr(note, "; not calculable: a number reaching the "
			      "threshold was suppressed at source");
	} else {
		st = stats_risk_ratio_katz(c.reaching, c.pupils, ref.reaching,
					   ref.pupils, STATS_CONF95, &rr);
		r->value = rr.ratio;
		r->ci_low = rr.ci.low;
		r->ci_high = rr.ci.high;
		r->p_value = rr.p_value;
		if (st != STATS_OK)
			strbuf_addf(note, "; interval not calculable: %s",
				    stats_status_reason(st));
		else if (rr.ci.high < 1)
			r->flag = tidy_table_intern(v->t, "lower");
		else if (rr.ci.low > 1)
			r->flag = tidy_table_intern(v->t, "higher");
		if (st == STATS_OK)
			strbuf_addstr(note, "; Katz log interval");
		finish_note(v, r, y, og, note);
		if (st == STATS_OK)
			funnel_row(v, at, rr.se_log, true);
		return;
	}
	finish_note(v, r, y, og, note);
}

/* The gap's trend over the years up to the last reported, for one group
 * of a score measure. */
static void trend_row(const struct view *v, size_t last, size_t mi, int og,
		      struct strbuf *note)
{
	const struct attainment_measure *m = attainment_measure_at(mi);
	double *x = xcalloc(last + 1, sizeof(*x));
	double *gap = xcalloc(last + 1, sizeof(*gap));
	double *var = xcalloc(last + 1, sizeof(*var));
	struct trend_result tr;
	struct tidy_row *r;
	size_t y, first = last + 1, end = 0, assumed = 0, n = 0;
	char period[64];

	for (y = 0; y <= last; y++) {
		struct difference_result d;
		struct attainment_cell ref;
		bool normal, estimated;
		char why[256];

		x[y] = gap[y] = var[y] = NAN;
		if (gap_of(v, y, mi, og, &d, &normal, &estimated, &ref, why,
			   sizeof(why)) != STATS_OK || why[0])
			continue;
		x[y] = v->d->years[y];
		gap[y] = d.difference;
		var[y] = d.se * d.se;
		if (first > last)
			first = y;
		end = y;
		n++;
		if (normal)
			assumed++;
	}
	if (n < 2)
		goto out; /* no trend from one year */
	stats_wls_trend(x, gap, var, last + 1, STATS_CONF95, &tr);
	r = row(v, "attainment_gap_trend", end, og, m->name);
	snprintf(period, sizeof(period), "%s to %s", v->d->periods[first],
		 v->d->periods[end]);
	r->period = tidy_table_intern(v->t, period);
	r->numerator = gap[first];
	r->denominator = gap[end];
	strbuf_addf(note, "reference: %s", ref_label(v));
	if (isnan(tr.slope)) {
		strbuf_addf(note, "; not calculable: %s",
			    stats_status_reason(STATS_NO_DENOMINATOR));
	} else {
		r->value = tr.slope;
		r->ci_low = tr.ci.low;
		r->ci_high = tr.ci.high;
		r->p_value = tr.p_narrowing;
		if (tr.p_narrowing < 0.05)
			r->flag = tidy_table_intern(v->t, "narrowed");
		else if (tr.p_widening < 0.05)
			r->flag = tidy_table_intern(v->t, "widened");
		strbuf_addf(note, "; the gap was %.1f points in %s and %.1f "
			    "in %s; slope of the gap a year by weighted least "
			    "squares over %zu years (weights 1 / variance); "
			    "p_value: one-sided z test that the gap narrowed "
			    "(that it widened: %.2g)", gap[first],
			    v->d->periods[first], gap[end], v->d->periods[end],
			    n, tr.p_widening);
		if (assumed)
			strbuf_addf(note, "; %zu year%s' variance%s rest on "
				    "the assumed SD of %g points", assumed,
				    assumed == 1 ? "" : "s",
				    assumed == 1 ? "" : "s", assumed_sd(v, m));
	}
	finish_note(v, r, end, og, note);
out:
	free(x);
	free(gap);
	free(var);
}

static int view_init(struct view *v, const struct attainment_data *d,
		     const struct attainment_area *area,
		     const struct attainment_options *opt,
		     struct tidy_table *t, struct parity_error *err)
{
	int g, ref;

	memset(v, 0, sizeof(*v));
	v->d = d;
	v->area = area;
	v->opt = opt;
	v->t = t;
	v->high = opt->level == ETH_LEVEL_HIGH || d->high;
	v->forced_high = d->high && opt->level != ETH_LEVEL_HIGH;
	ref = opt->reference;
	if (ref < 0)
		ref = v->high ? SVC_HIGH_FIRST + ETH_GROUP_WHITE : ETH_WBRI;
	if (v->high && service_group_is_detailed(ref))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"--reference %s is a detailed group, "
					"but %s is reported at the high level%s: "
					"give a high-level group (White)",
					service_group_code(ref), area->name,
					v->forced_high ? " (a return gives only "
							 "major groups)" : "");
	v->reference = ref;
	for (g = 0; g < SVC_GROUP_COUNT; g++)
		v->in_ref[g] = g == ref ||
			       (ref >= SVC_HIGH_FIRST && ref < SVC_NOT_KNOWN &&
				service_group_is_declared(g) &&
				SVC_HIGH_FIRST + (int)service_group_high(g) ==
					ref);
	return 0;
}

int attainment_measures(const struct attainment_data *d,
			const struct attainment_area *area,
			const struct attainment_options *opt,
			struct tidy_table *table, struct parity_error *err)
{
	struct strbuf note = STRBUF_INIT;
	struct view v;
	size_t y, mi, last = 0;
	int og;
	bool any_last = false;

	if (view_init(&v, d, area, opt, table, err) < 0)
		return -1;
	/* a year asked for that the returns do not have: nothing */
	for (y = 0; opt->year && y < d->nyears && d->years[y] != opt->year;
	     y++)
		;
	if (y == d->nyears)
		return 0;
	for (y = 0; y < d->nyears; y++) {
		if (opt->year && d->years[y] > opt->year)
			break;
		last = y;
		any_last = true;
		if (opt->year && !opt->years_before &&
		    d->years[y] != opt->year)
			continue;
		for (mi = 0; mi < attainment_measure_count(); mi++) {
			const struct attainment_measure *m =
				attainment_measure_at(mi);

			for (og = 0; og < SVC_GROUP_COUNT; og++) {
				struct attainment_cell c;
				struct tidy_row *r;
				bool compared = service_group_is_declared(og) &&
						og != v.reference;

				view_cell(&v, y, mi, og, &c);
				if (c.parts == 0)
					continue;
				r = row(&v, "attainment_pupils", y, og,
					m->name);
				r->value = c.pupils;
				finish_note(&v, r, y, og, &note);
				if (m->kind == ATTAINMENT_SCORE) {
					mean_row(&v, y, m, og, &c, &note);
					if (compared)
						gap_row(&v, y, mi, og, &note);
				} else {
					rate_row(&v, y, m, og, &c, &note);
					if (compared)
						ratio_row(&v, y, mi, og, &note);
				}
			}
		}
	}
	/* the trend of each gap, over the years up to the last reported */
	if (any_last && last > 0)
		for (mi = 0; mi < attainment_measure_count(); mi++) {
			if (attainment_measure_at(mi)->kind != ATTAINMENT_SCORE)
				continue;
			for (og = 0; og < SVC_NOT_KNOWN; og++) {
				struct attainment_cell c;

				if (og == v.reference)
					continue;
				view_cell(&v, last, mi, og, &c);
				if (c.parts == 0)
					continue;
				trend_row(&v, last, mi, og, &note);
			}
		}
	strbuf_release(&note);
	return 0;
}
