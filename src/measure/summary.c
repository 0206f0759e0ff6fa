/*
 * summary.c - the workforce summary (see summary.h).
 */
#include "measure/summary.h"

#include "measure/stats.h"

#include <math.h>
#include <stdio.h>

static struct tidy_row *add_row(struct tidy_table *t, const struct area *a,
				int year, const char *measure,
				const char *ethnicity, const char *breakdown,
				const char *note)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, a->code);
	r->area_name = tidy_table_intern(t, a->name);
	r->area_type = tidy_table_intern(t, area_type_name(a->type));
	r->year = year;
	r->ethnicity = tidy_table_intern(t, ethnicity);
	r->ethnicity_level =
		tidy_table_intern(t, ethnicity_level_name(ETH_LEVEL_DETAILED));
	r->breakdown = tidy_table_intern(t, breakdown);
	r->note = tidy_table_intern(t, note);
	return r;
}

/* How many of the ascending `pay` lie in [lo, hi), from index *from on;
 * *from moves past them. */
static size_t take_band(const double *pay, size_t n, size_t *from, double hi)
{
	size_t k = *from;

	while (k < n && pay[k] < hi)
		k++;
	n = k - *from;
	*from = k;
	return n;
}

void workforce_summary(const struct store_aggregates *agg,
		       const struct area_set *areas, int area, int year,
		       const struct workforce_options *opt,
		       struct tidy_table *out)
{
	const struct area *a = &areas->areas[area];
	double per_hour = 1.0 / (WORKFORCE_WEEKS_PER_YEAR *
				 opt->full_time_hours);
	size_t nb = opt->band_bound_count + 1, b, at[ETH_COUNT] = { 0 };
	char note[160], band[64];
	int e;

	snprintf(note, sizeof(note),
		 "annual full-time-equivalent salary / (%.3f weeks x %g hours)",
		 WORKFORCE_WEEKS_PER_YEAR, opt->full_time_hours);
	for (e = 0; e < ETH_COUNT; e++) {
		const double *pay = agg->pay[e];
		size_t n = agg->pay_count[e];
		const char *label;
		struct tidy_row *r;

		if (n == 0)
			continue;
		label = ethnicity_level_group_label(
			ETH_LEVEL_DETAILED,
			ethnicity_level_group((enum ethnicity_id)e,
					      ETH_LEVEL_DETAILED));
		r = add_row(out, a, year, "staff_count", label, "", "");
		r->value = (double)n;
		r = add_row(out, a, year, "mean_hourly_pay", label, "", note);
		r->denominator = (double)n;
		r->value = stats_mean(pay, n) * per_hour;
		r = add_row(out, a, year, "median_hourly_pay", label, "", note);
		r->denominator = (double)n;
		r->value = stats_median_sorted(pay, n) * per_hour;
	}
	for (b = 0; b < nb; b++) {
		double hi = b + 1 == nb ? INFINITY : opt->band_bounds[b];

		workforce_band_label(opt, b, band, sizeof(band));
		for (e = 0; e < ETH_COUNT; e++) {
			size_t n = take_band(agg->pay[e], agg->pay_count[e],
					     &at[e], hi);
			struct tidy_row *r;

			if (n == 0)
				continue;
			r = add_row(out, a, year, "band_count",
				    ethnicity_level_group_label(
					    ETH_LEVEL_DETAILED,
					    ethnicity_level_group(
						    (enum ethnicity_id)e,
						    ETH_LEVEL_DETAILED)),
				    band, "annual full-time-equivalent salary");
			r->value = (double)n;
		}
	}
}
