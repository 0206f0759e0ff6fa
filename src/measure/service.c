/*
 * service.c - rates and relative rate indices along a service (see
 * service.h; the definitions and worked examples are in docs/measures.md).
 */
#include "measure/service.h"

#include "base/alloc.h"
#include "base/strbuf.h"
#include "measure/stats.h"
#include "store/service_store.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pooling ---- */

struct pool_ctx {
	struct service_counts *c;
	bool seen[64];   /* stages this return gave (up to 64 stages) */
};

static int add_count(void *ctx, const char *stage, const char *group,
		     double count)
{
	struct pool_ctx *p = ctx;
	int k = service_stage_find(p->c->def, stage);
	int g = service_group_find_code(group);

	if (k < 0 || g < 0)
		return 0; /* a stage since renamed: not counted */
	p->c->count[(size_t)k * SVC_GROUP_COUNT + (size_t)g] += count;
	p->c->present[g] = true;
	if ((size_t)k < sizeof(p->seen))
		p->seen[k] = true;
	return 0;
}

int service_counts_load(struct store *s, const struct service_def *def,
			const char *const *codes, size_t ncodes, int year,
			struct service_counts *out, struct parity_error *err)
{
	struct store_service_return ret;
	size_t k, j;
	int found;

	memset(out, 0, sizeof(*out));
	out->def = def;
	out->nstages = def->stage_count + def->base_count;
	out->count = xcalloc(out->nstages * SVC_GROUP_COUNT,
			     sizeof(*out->count));
	out->given = xcalloc(out->nstages, sizeof(*out->given));
	out->any_given = xcalloc(out->nstages, sizeof(*out->any_given));
	out->areas = ncodes;
	out->year = year;
	for (j = 0; j < out->nstages; j++)
		out->given[j] = true;
	for (k = 0; k < ncodes; k++) {
		struct pool_ctx p;

		found = store_service_current(s, def->name, codes[k], year,
					      &ret, err);
		if (found < 0)
			return -1;
		if (!found)
			continue;
		memset(&p, 0, sizeof(p));
		p.c = out;
		if (store_service_counts_each(s, ret.sub.id, add_count, &p,
					      err) < 0)
			return -1;
		for (j = 0; j < out->nstages; j++) {
			bool had = j < sizeof(p.seen) && p.seen[j];

			out->any_given[j] = out->any_given[j] || had;
			out->given[j] = out->given[j] && had;
		}
		if (strcmp(ret.level, "high") == 0)
			out->high = true;
		if (out->returns == 0)
			snprintf(out->period, sizeof(out->period), "%s",
				 ret.period);
		out->returns++;
	}
	if (out->returns == 0)
		for (j = 0; j < out->nstages; j++)
			out->given[j] = false;
	return 0;
}

void service_counts_release(struct service_counts *c)
{
	free(c->count);
	free(c->given);
	free(c->any_given);
	memset(c, 0, sizeof(*c));
}

/* ---- options ---- */

void service_options_init(struct service_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->level = ETH_LEVEL_DETAILED;
	opt->reference = SVC_HIGH_FIRST + ETH_GROUP_WHITE;
	opt->base = -1;
}

int service_reference_parse(const struct ethnicity_classifier *cls,
			    const char *text, int *out,
			    struct parity_error *err)
{
	struct parity_error inner = PARITY_ERROR_INIT;
	int g = service_group_find_code(text);

	if (g < 0 && service_group_classify(cls, text, &g, &inner) < 0)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"--reference: %s", inner.message);
	if (!service_group_is_declared(g))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"--reference must be an ethnic group, "
					"not '%s'", text);
	*out = g;
	return 0;
}

/* ---- the view of one area: groups at the output level ---- */

struct view {
	const struct service_counts *c;
	const struct service_area *area;
	const struct service_options *opt;
	bool high;                   /* reported at the high level */
	bool forced_high;            /* ... because the data is */
	size_t nstages;              /* main stages */
	double *cnt;                 /* [nstages][SVC_GROUP_COUNT], folded */
	bool present[SVC_GROUP_COUNT];
	bool in_ref[SVC_GROUP_COUNT];
	bool weak_base;              /* Census all-ages residents */
	char base_name[128];
	char base_note[512];
	struct tidy_table *t;
};

static int out_group(const struct view *v, int g)
{
	if (v->high && service_group_is_declared(g))
		return SVC_HIGH_FIRST + (int)service_group_high(g);
	return g;
}

static double *cell(const struct view *v, size_t k, int g)
{
	return &v->cnt[k * SVC_GROUP_COUNT + (size_t)g];
}

/* Fold stage `from` of the counts into row `k` of the view. */
static void fold_stage(struct view *v, size_t k, size_t from)
{
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++) {
		double n = v->c->count[from * SVC_GROUP_COUNT + (size_t)g];

		if (!v->c->present[g])
			continue;
		*cell(v, k, out_group(v, g)) += n;
	}
}

/* The base from residents: a benchmark's populations at the level. */
static int base_from_benchmark(struct view *v, const struct benchmark *b,
			       struct parity_error *err)
{
	enum ethnicity_level level = v->high ? ETH_LEVEL_HIGH
				     : ETH_LEVEL_DETAILED;
	double pop[ETHNICITY_DETAILED_COUNT], total;
	size_t n = ethnicity_level_group_count(level), k;
	int g;

	if (v->area->index < 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"%s: there are no residents' figures "
					"for %s here, so its return must give "
					"the first stage, '%s'",
					v->c->def->name, v->area->name,
					v->c->def->stages[0].name);
	if (benchmark_populations(b, v->area->index, level, pop, &total,
				  err) < 0)
		return -1;
	for (g = 0; g < SVC_GROUP_COUNT; g++)
		*cell(v, 0, g) = NAN;
	for (k = 0; k < n; k++) {
		g = v->high ? SVC_HIGH_FIRST + (int)k : (int)k;
		*cell(v, 0, g) = pop[k];
	}
	return 0;
}

static int choose_base(struct view *v, struct parity_error *err)
{
	const struct service_def *def = v->c->def;
	const struct service_stage *first = &def->stages[0];

	if (v->opt->population) {
		snprintf(v->base_name, sizeof(v->base_name), "%s",
			 first->name);
		snprintf(v->base_note, sizeof(v->base_note),
			 "base: %s, from --population (%s), in place of the "
			 "returns' '%s'", first->name,
			 benchmark_source(v->opt->population), first->name);
		return base_from_benchmark(v, v->opt->population, err);
	}
	if (v->opt->base >= 0) {
		const struct service_stage *alt =
			service_stage_at(def, (size_t)v->opt->base);

		if (!v->c->given[v->opt->base])
			return parity_error_set(
				err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				"%s, %s: not every return gives the base '%s' "
				"(%zu return%s pooled)", def->name,
				v->area->name, alt->name, v->c->returns,
				v->c->returns == 1 ? "" : "s");
		snprintf(v->base_name, sizeof(v->base_name), "%s", alt->name);
		snprintf(v->base_note, sizeof(v->base_note),
			 "base: %s, from the returns, in place of '%s' (%s)",
			 alt->name, first->name, alt->description);
		fold_stage(v, 0, (size_t)v->opt->base);
		return 0;
	}
	if (v->c->given[0]) {
		snprintf(v->base_name, sizeof(v->base_name), "%s", first->name);
		snprintf(v->base_note, sizeof(v->base_note),
			 "base: %s, from the returns", first->name);
		fold_stage(v, 0, 0);
		return 0;
	}
	v->weak_base = true;
	snprintf(v->base_name, sizeof(v->base_name), "%s",
		 "usual residents (all ages)");
	snprintf(v->base_note, sizeof(v->base_note),
		 "base: %s usual residents of all ages, because %s give%s "
		 "no '%s': a weaker denominator than the service's own",
		 benchmark_source(v->opt->census),
		 v->c->returns == 1 ? "the return" : "not every return",
		 v->c->returns == 1 ? "s" : "", first->name);
	return base_from_benchmark(v, v->opt->census, err);
}

static int view_build(struct view *v, const struct service_counts *c,
		      const struct service_area *area,
		      const struct service_options *opt,
		      struct tidy_table *t, struct parity_error *err)
{
	size_t k;
	int g;

	memset(v, 0, sizeof(*v));
	v->c = c;
	v->area = area;
	v->opt = opt;
	v->t = t;
	v->high = opt->level == ETH_LEVEL_HIGH || c->high;
	v->forced_high = opt->level != ETH_LEVEL_HIGH && c->high;
	v->nstages = c->def->stage_count;
	v->cnt = xcalloc(v->nstages * SVC_GROUP_COUNT, sizeof(*v->cnt));
	for (g = 0; g < SVC_GROUP_COUNT; g++)
		if (c->present[g])
			v->present[out_group(v, g)] = true;
	for (k = 1; k < v->nstages; k++)
		fold_stage(v, k, k);
	if (choose_base(v, err) < 0)
		return -1;
	if (v->high && service_group_is_detailed(opt->reference))
		return parity_error_set(
			err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
			"%s, %s: the reference group %s is not a group of "
			"this report, which is at the high level%s; choose a "
			"high-level reference such as W", c->def->name,
			area->name, service_group_label(opt->reference),
			v->forced_high ? " because a return gives only "
					 "high-level groups" : "");
	/* The reference group and, when it is a high-level group, every
	 * category inside it. */
	for (g = 0; g < SVC_GROUP_COUNT; g++)
		v->in_ref[g] = service_group_is_declared(g) &&
			       (g == opt->reference ||
				(opt->reference >= SVC_HIGH_FIRST &&
				 SVC_HIGH_FIRST + (int)service_group_high(g) ==
					 opt->reference));
	return 0;
}

/* The reference's count at stage k: the sum over its members. */
static double ref_count(const struct view *v, size_t k)
{
	double n = 0;
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++)
		if (v->in_ref[g] && v->present[g])
			n += *cell(v, k, g);
	return n;
}

static const char *ref_label(const struct view *v)
{
	return service_group_label(v->opt->reference);
}

/* ---- rows ---- */

static struct tidy_row *row(struct view *v, const char *measure, int g,
			    const char *breakdown)
{
	struct tidy_table *t = v->t;
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, v->area->code);
	r->area_name = tidy_table_intern(t, v->area->name);
	r->area_type = tidy_table_intern(t, v->area->type);
	r->year = v->c->year;
	r->period = tidy_table_intern(t, v->c->period);
	r->ethnicity = tidy_table_intern(t, g < 0 ? "All groups"
					 : service_group_label(g));
	r->ethnicity_level = tidy_table_intern(
		t, g >= 0 && !service_group_is_declared(g) ? ""
		   : v->high ? "high" : "detailed");
	r->breakdown = tidy_table_intern(t, breakdown);
	return r;
}

static void set_note(struct view *v, struct tidy_row *r, struct strbuf *note)
{
	r->note = tidy_table_intern(v->t, note->buf);
	strbuf_reset(note);
}

/* Add the notes every row of a group carries. */
static void group_notes(const struct view *v, int g, struct strbuf *note)
{
	const char *gn = service_group_note(g);

	if (gn)
		strbuf_addf(note, "; %s", gn);
	if (v->c->returns < v->c->areas)
		strbuf_addf(note, "; pooled from the returns of %zu of %zu "
			    "authorities in %s", v->c->returns, v->c->areas,
			    v->area->name);
}

static const char *trim_note(const struct strbuf *note)
{
	return note->buf[0] == ';' ? note->buf + 2 : note->buf;
}

/* A rate per 1,000: Byar's interval on the count over the denominator. */
static void rate_row(struct view *v, const char *measure, int g,
		     const char *stage, double x, double n, const char *of)
{
	struct tidy_row *r = row(v, measure, g, stage);
	struct strbuf note = STRBUF_INIT, tmp = STRBUF_INIT;
	struct interval ci;

	r->numerator = x;
	r->denominator = n;
	strbuf_addf(&note, "; per 1,000 %s", of);
	if (isnan(x) || isnan(n))
		strbuf_addstr(&note, "; not calculable: a count was "
			      "suppressed in the source");
	else if (!(n > 0))
		strbuf_addstr(&note, "; not calculable: none at the stage "
			      "before");
	else {
		r->value = x / n * 1000.0;
		if (stats_byar(x, STATS_CONF95, &ci) == STATS_OK) {
			r->ci_low = ci.low / n * 1000.0;
			r->ci_high = ci.high / n * 1000.0;
		}
	}
	if (v->weak_base && strcmp(measure, "population_rate") == 0)
		r->flag = tidy_table_intern(v->t, "weak_base");
	group_notes(v, g, &note);
	strbuf_addstr(&tmp, trim_note(&note));
	set_note(v, r, &tmp);
	strbuf_release(&note);
	strbuf_release(&tmp);
}

/*
 * The RRI of a events out of n1 against c out of n2, into `r`, with the
 * reason in `note` when it is not given or not by Katz.
 */
static void ratio(double a, double n1, double c, double n2,
		  struct tidy_row *r, struct strbuf *note)
{
	struct ratio_result rr;
	enum stats_status st;
	bool exact;

	r->numerator = n1 > 0 ? a / n1 * 1000.0 : NAN;
	r->denominator = n2 > 0 ? c / n2 * 1000.0 : NAN;
	if (isnan(a) || isnan(n1) || isnan(c) || isnan(n2)) {
		strbuf_addstr(note, "; no RRI: a count was suppressed in the "
			      "source");
		return;
	}
	if (n1 < SERVICE_MIN_BASE || n2 < SERVICE_MIN_BASE) {
		strbuf_addf(note, "; no RRI: fewer than %.0f at the stage "
			    "before in %s", SERVICE_MIN_BASE,
			    n1 < SERVICE_MIN_BASE ? "this group"
						  : "the reference group");
		return;
	}
	if (c == 0) {
		strbuf_addstr(note, "; no RRI: the reference group has none at "
			      "this stage, so its rate is zero");
		return;
	}
	exact = a < SERVICE_EXACT_BELOW || c < SERVICE_EXACT_BELOW ||
		a > n1 || c > n2;
	if (exact) {
		st = stats_rate_ratio_exact(a, n1, c, n2, STATS_CONF95, &rr);
		if (st == STATS_TOO_LARGE) {
			r->value = (a / n1) / (c / n2);
			strbuf_addstr(note, "; no interval: the counts are "
				      "beyond the exact method's range");
			return;
		}
		if (a > n1 || c > n2)
			strbuf_addstr(note, "; more at this stage than at the "
				      "one before: compared as rates of "
				      "events, with the exact (conditional "
				      "binomial) interval and test");
		else
			strbuf_addf(note, "; fewer than %.0f at this stage in "
				    "a group: exact (conditional binomial) "
				    "interval and test, which are "
				    "conservative when the outcome is common",
				    SERVICE_EXACT_BELOW);
	} else {
		st = stats_risk_ratio_katz(a, n1, c, n2, STATS_CONF95, &rr);
		if (st != STATS_OK && st != STATS_NO_VARIATION) {
			strbuf_addf(note, "; no RRI: %s",
				    stats_status_reason(st));
			return;
		}
	}
	r->value = (a / n1) / (c / n2);
	r->ci_low = rr.ci.low;
	r->ci_high = rr.ci.high;
	r->p_value = rr.p_value;
	if (r->ci_low > 1 || r->ci_high < 1)
		r->flag = "significant";
}

static void rri_row(struct view *v, const char *measure, int g,
		    const char *stage, double a, double n1, double c,
		    double n2, bool on_base)
{
	struct tidy_row *r = row(v, measure, g, stage);
	struct strbuf note = STRBUF_INIT, tmp = STRBUF_INIT;
	const char *flag = "";

	r->flag = "";
	ratio(a, n1, c, n2, r, &note);
	flag = r->flag;
	if (on_base && v->weak_base)
		flag = flag[0] ? "significant_weak_base" : "weak_base";
	r->flag = tidy_table_intern(v->t, flag);
	strbuf_addf(&tmp, "numerator and denominator: the rates per 1,000 in "
		    "the group and in the reference group, %s", ref_label(v));
	group_notes(v, g, &note);
	strbuf_addstr(&tmp, note.buf);
	set_note(v, r, &tmp);
	strbuf_release(&note);
	strbuf_release(&tmp);
}

static bool reported(const struct view *v, int g)
{
	return v->present[g] && service_group_is_declared(g) &&
	       (v->high ? !service_group_is_detailed(g)
			: service_group_is_detailed(g));
}

/* Where the RRIs are, for funnel_stage and rri_change: row index per
 * (stage, group) in the table, or (size_t)-1. */
struct rri_index {
	size_t *at; /* [nstages][SVC_GROUP_COUNT] */
};

static void base_rows(struct view *v)
{
	struct strbuf note = STRBUF_INIT, tmp = STRBUF_INIT;
	double total = 0;
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++) {
		struct tidy_row *r;

		if (!reported(v, g))
			continue;
		r = row(v, "base_population", g, v->base_name);
		r->value = *cell(v, 0, g);
		total += r->value;
		strbuf_addstr(&note, v->base_note);
		if (isnan(r->value))
			strbuf_addstr(&note, "; not known for this group: "
				      "rates from the base are not given");
		if (v->in_ref[g])
			strbuf_addf(&note, "; in the reference group, %s",
				    ref_label(v));
		if (v->forced_high)
			strbuf_addf(&note, "; %s only the 5 high-level "
				    "groups, so every count is reported at "
				    "that level (none is spread across finer "
				    "groups)", v->c->returns == 1
				    ? "the return gives"
				    : "a pooled return gives");
		else if (v->c->high)
			strbuf_addstr(&note, "; the returns give high-level "
				      "groups");
		group_notes(v, g, &tmp);
		strbuf_addstr(&note, tmp.buf);
		strbuf_reset(&tmp);
		if (v->weak_base)
			r->flag = tidy_table_intern(v->t, "weak_base");
		set_note(v, r, &note);
	}
	strbuf_release(&note);
	strbuf_release(&tmp);
	(void)total;
}

static void stage_rows(struct view *v, struct rri_index *idx)
{
	const struct service_def *def = v->c->def;
	struct strbuf note = STRBUF_INIT;
	char of[256], ofbase[256];
	size_t k;
	int g;

	snprintf(ofbase, sizeof(ofbase), "of the base (%s)", v->base_name);
	for (k = 1; k < v->nstages; k++) {
		const char *stage = def->stages[k].name;
		size_t from = def->stages[k].from;
		bool prev_ok = from == 0 || v->c->given[from];

		if (!v->c->given[k]) {
			struct tidy_row *r = row(v, "stage_count", -1, stage);

			strbuf_addf(&note, "%s this stage: nothing is "
				    "measured at it",
				    v->c->any_given[k]
				    ? "not every pooled return gives"
				    : "no return gives");
			set_note(v, r, &note);
			continue;
		}
		snprintf(of, sizeof(of), "at the stage before (%s)",
			 from == 0 ? v->base_name : def->stages[from].name);
		for (g = 0; g < SVC_GROUP_COUNT; g++) {
			struct tidy_row *r;

			if (!v->present[g] ||
			    (service_group_is_declared(g) && !reported(v, g)))
				continue;
			r = row(v, "stage_count", g, stage);
			r->value = *cell(v, k, g);
			if (isnan(r->value)) {
				strbuf_addstr(&note, "suppressed in the source");
				set_note(v, r, &note);
			}
		}
		for (g = 0; g < SVC_GROUP_COUNT; g++) {
			double a, n1, n0;

			if (!reported(v, g))
				continue;
			a = *cell(v, k, g);
			n1 = *cell(v, from, g);
			n0 = *cell(v, 0, g);
			if (prev_ok)
				rate_row(v, "stage_rate", g, stage, a, n1, of);
			rate_row(v, "population_rate", g, stage, a, n0, ofbase);
		}
		for (g = 0; g < SVC_GROUP_COUNT; g++) {
			if (!reported(v, g) || v->in_ref[g])
				continue;
			if (prev_ok) {
				idx->at[k * SVC_GROUP_COUNT + (size_t)g] =
					v->t->count;
				rri_row(v, "rri", g, stage, *cell(v, k, g),
					*cell(v, from, g), ref_count(v, k),
					ref_count(v, from), from == 0);
			}
			if (k >= 2)
				rri_row(v, "cumulative_rri", g, stage,
					*cell(v, k, g), *cell(v, 0, g),
					ref_count(v, k), ref_count(v, 0), true);
		}
	}
	strbuf_release(&note);
}

static void funnel_rows(struct view *v, const struct rri_index *idx)
{
	struct strbuf note = STRBUF_INIT;
	size_t k;
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++) {
		size_t best = (size_t)-1, best_k = 0;
		double best_size = -1;
		struct tidy_row *r;
		const struct tidy_row *b;

		if (!reported(v, g) || v->in_ref[g])
			continue;
		for (k = 1; k < v->nstages; k++) {
			size_t at = idx->at[k * SVC_GROUP_COUNT + (size_t)g];
			double size;

			if (at == (size_t)-1 || isnan(v->t->rows[at].value) ||
			    !(v->t->rows[at].value > 0))
				continue;
			size = fabs(log(v->t->rows[at].value));
			if (size > best_size) {
				best_size = size;
				best = at;
				best_k = k;
			}
		}
		if (best == (size_t)-1) {
			r = row(v, "funnel_stage", g, "");
			r->note = tidy_table_intern(v->t, "no stage has an RRI "
						    "for this group");
			continue;
		}
		b = &v->t->rows[best];
		r = row(v, "funnel_stage", g, b->breakdown);
		b = &v->t->rows[best]; /* the table may have moved */
		r->value = b->value;
		r->numerator = b->numerator;
		r->denominator = b->denominator;
		r->ci_low = b->ci_low;
		r->ci_high = b->ci_high;
		r->p_value = b->p_value;
		r->flag = b->flag;
		strbuf_addf(&note, "the stage whose RRI is furthest from 1 "
			    "(disparity grows most here): '%s', from '%s'",
			    b->breakdown,
			    v->c->def->stages[best_k].from == 0
			    ? v->base_name
			    : v->c->def->stages[v->c->def->stages[best_k].from].name);
		set_note(v, r, &note);
	}
	strbuf_release(&note);
}

/* The standard error of ln RRI, from its 95% interval. */
static double se_from_ci(const struct tidy_row *r)
{
	if (isnan(r->ci_low) || isnan(r->ci_high) || !(r->ci_low > 0) ||
	    !(r->ci_high > 0))
		return NAN;
	return (log(r->ci_high) - log(r->ci_low)) / (2 * 1.959963985);
}

static void change_rows(struct view *v, const struct rri_index *now,
			const struct tidy_table *prev_t,
			const struct rri_index *prev, const char *prev_period)
{
	struct strbuf note = STRBUF_INIT;
	size_t k;
	int g;

	for (k = 1; k < v->nstages; k++)
		for (g = 0; g < SVC_GROUP_COUNT; g++) {
			size_t a = now->at[k * SVC_GROUP_COUNT + (size_t)g];
			size_t b = prev->at[k * SVC_GROUP_COUNT + (size_t)g];
			const struct tidy_row *x, *y;
			struct tidy_row *r;
			double se0, se1, z, se;

			if (a == (size_t)-1 || b == (size_t)-1)
				continue;
			r = row(v, "rri_change", g,
				v->c->def->stages[k].name);
			x = &v->t->rows[a];
			y = &prev_t->rows[b];
			r->numerator = x->value;
			r->denominator = y->value;
			se1 = se_from_ci(x);
			se0 = se_from_ci(y);
			strbuf_addf(&note, "this year's RRI over the RRI in %s "
				    "(numerator and denominator); the test "
				    "treats the two years as independent",
				    prev_period);
			if (isnan(x->value) || isnan(y->value) ||
			    !(x->value > 0) || !(y->value > 0) || isnan(se0) ||
			    isnan(se1)) {
				strbuf_addstr(&note, "; not calculable: an RRI "
					      "or its interval is missing in "
					      "one of the years");
				set_note(v, r, &note);
				continue;
			}
			r->value = x->value / y->value;
			se = sqrt(se0 * se0 + se1 * se1);
			r->ci_low = r->value * exp(-1.959963985 * se);
			r->ci_high = r->value * exp(1.959963985 * se);
			z = log(r->value) / se;
			r->p_value = 2 * gsl_cdf_ugaussian_Q(fabs(z));
			if (r->ci_low > 1)
				r->flag = tidy_table_intern(v->t, "rising");
			else if (r->ci_high < 1)
				r->flag = tidy_table_intern(v->t, "falling");
			set_note(v, r, &note);
		}
	strbuf_release(&note);
}

static void index_init(struct rri_index *idx, size_t nstages)
{
	size_t k;

	idx->at = xmalloc(nstages * SVC_GROUP_COUNT * sizeof(*idx->at));
	for (k = 0; k < nstages * SVC_GROUP_COUNT; k++)
		idx->at[k] = (size_t)-1;
}

int service_measures(const struct service_counts *now,
		     const struct service_counts *before,
		     const struct service_area *area,
		     const struct service_options *opt,
		     struct tidy_table *table, struct parity_error *err)
{
	struct view v, pv;
	struct rri_index idx = { NULL }, pidx = { NULL };
	struct tidy_table prev;
	int rc = -1;

	memset(&pv, 0, sizeof(pv));
	tidy_table_init(&prev);
	if (view_build(&v, now, area, opt, table, err) < 0)
		goto out;
	index_init(&idx, v.nstages);
	base_rows(&v);
	stage_rows(&v, &idx);
	funnel_rows(&v, &idx);
	if (before && before->returns > 0) {
		struct parity_error ignored = PARITY_ERROR_INIT;

		/* Last year's RRIs, at this year's level, into a scratch
		 * table; a year whose base cannot be had gives no change. */
		struct service_options o = *opt;

		if (v.high)
			o.level = ETH_LEVEL_HIGH;
		if (view_build(&pv, before, area, &o, &prev, &ignored) == 0 &&
		    pv.high == v.high && pv.weak_base == v.weak_base) {
			index_init(&pidx, pv.nstages);
			stage_rows(&pv, &pidx);
			change_rows(&v, &idx, &prev, &pidx, before->period);
		}
	}
	rc = 0;
out:
	free(v.cnt);
	free(pv.cnt);
	free(idx.at);
	free(pidx.at);
	tidy_table_free(&prev);
	return rc;
}

/* ---- boroughs against London ---- */

/* London's row of the same measure, year, group and breakdown as `r`. */
static const struct tidy_row *london_row(const struct tidy_table *t,
					 size_t end, const char *london,
					 const struct tidy_row *r)
{
	size_t k;

	for (k = 0; k < end; k++) {
		const struct tidy_row *l = &t->rows[k];

		if (strcmp(l->area_code, london) == 0 &&
		    strcmp(l->measure, r->measure) == 0 && l->year == r->year &&
		    strcmp(l->ethnicity, r->ethnicity) == 0 &&
		    strcmp(l->ethnicity_level, r->ethnicity_level) == 0 &&
		    strcmp(l->breakdown, r->breakdown) == 0)
			return l;
	}
	return NULL;
}

void service_funnel(struct tidy_table *t, const char *london_code)
{
	size_t k, end = t->count;

	for (k = 0; k < end; k++) {
		struct tidy_row b = t->rows[k]; /* copied: rows move as added */
		const struct tidy_row *l;
		struct interval in95 = { NAN, NAN }, out998 = { NAN, NAN };
		enum funnel_position pos;
		struct tidy_row *r;
		double se = se_from_ci(&b), target;
		char what[256], note[512];

		if (strcmp(b.measure, "rri") != 0 ||
		    strcmp(b.area_type, "borough") != 0)
			continue;
		l = london_row(t, end, london_code, &b);
		if (!l)
			continue;
		target = l->value;
		if (isfinite(se) && se > 0 && target > 0) {
			stats_funnel_ratio(target, se, STATS_CONF95, &in95);
			stats_funnel_ratio(target, se, STATS_CONF998, &out998);
		}
		pos = stats_funnel_classify(b.value, in95, out998);
		snprintf(what, sizeof(what), "rri: %s", b.breakdown);
		if (pos == FUNNEL_NOT_CALCULABLE)
			snprintf(note, sizeof(note), "against London: not "
				 "calculable (no RRI, or no interval for it)");
		else
			snprintf(note, sizeof(note), "against London's RRI "
				 "(%.4g); control limits at the precision of "
				 "the borough's log RRI: 95%% in ci_low and "
				 "ci_high, 99.8%% %.4g to %.4g", target,
				 out998.low, out998.high);
		r = tidy_table_add_row(t);
		r->measure = tidy_table_intern(t, "funnel_position");
		r->area_code = b.area_code;
		r->area_name = b.area_name;
		r->area_type = b.area_type;
		r->year = b.year;
		r->period = b.period;
		r->ethnicity = b.ethnicity;
		r->ethnicity_level = b.ethnicity_level;
		r->breakdown = tidy_table_intern(t, what);
		r->value = b.value;
		r->numerator = target;
		r->denominator = NAN;
		r->ci_low = in95.low;
		r->ci_high = in95.high;
		r->flag = tidy_table_intern(t, stats_funnel_position_name(pos));
		r->note = tidy_table_intern(t, note);
	}
}
