/*
 * attainment.c - a synthetic attainment return for the demo and tests
 * (see synth.h, synth_attainment()).
 *
 * Each borough's key stage 4 cohort in a group is a share of its Census
 * 2021 residents of the group's categories; its Attainment 8 mean and SD
 * are those of a sample of that size from the group's planted mean and
 * spread (the mean normal with variance sd^2 / n, the SD scaled by a
 * normal approximation to its chi distribution); the numbers reaching
 * grade 5 and grade 4 in English and maths are binomial draws (normal
 * approximations) at rates that follow the group's mean on the logit
 * scale. Every draw comes from one splitmix64 stream of the seed, in a
 * fixed order, so the file is a pure function of the seed.
 */
#include "synth/synth.h"

#include "domain/ethnicity.h"
#include "synth/splitmix.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static double uniform(uint64_t *s)
{
	return ((double)(splitmix64(s) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(uint64_t *s)
{
	return sqrt(-2 * log(uniform(s))) * cos(2 * M_PI * uniform(s));
}

/* A count around `mean` (a normal approximation to Poisson), never below
 * 0. */
static long draw_count(uint64_t *s, double mean)
{
	double v = floor(mean + sqrt(mean) * normal(s) + 0.5);

	return v < 0 ? 0 : (long)v;
}

/* Pupils of `n` reaching a threshold at rate p: binomial, approximated. */
static long draw_reaching(uint64_t *s, long n, double p)
{
	double v = floor((double)n * p +
			 sqrt((double)n * p * (1 - p)) * normal(s) + 0.5);

	return v < 0 ? 0 : v > (double)n ? n : (long)v;
}

/*
 * The groups, labelled as school census exports label them, with the
 * 2021 categories their pupils are drawn from, the share of those
 * residents in the year's key stage 4 cohort, the planted Attainment 8
 * mean in the first year and its change a year, and the SD of pupils'
 * scores. White British pupils' mean is 50.5 throughout.
 */
static const struct {
	const char *label;
	int census[2];
	double cohort;   /* of residents of the categories */
	double mean;     /* Attainment 8, first year */
	double change;   /* a year */
	double sd;
} groups[] = {
	{ "White British", { ETH_WBRI, -1 }, 0.0085, 50.5, 0.0, 19.5 },
	{ "White Irish", { ETH_WIRI, -1 }, 0.0070, 55.0, 0.0, 19.0 },
	{ "Traveller of Irish heritage", { ETH_WGYP, -1 }, 0.0030, 30.0, 0.0,
	  21.0 },
	{ "Gypsy/Roma", { ETH_WROM, -1 }, 0.0120, 25.0, 0.0, 20.0 },
	{ "Any other White background", { ETH_WOTH, -1 }, 0.0080, 50.0, 0.2,
	  20.0 },
	{ "White and Black Caribbean", { ETH_MWBC, -1 }, 0.0200, 40.5, 0.0,
	  19.0 },
	{ "White and Black African", { ETH_MWBA, -1 }, 0.0200, 48.0, 0.0,
	  19.0 },
	{ "White and Asian", { ETH_MWAS, -1 }, 0.0200, 56.0, 0.0, 19.0 },
	{ "Any other mixed background", { ETH_MOTH, -1 }, 0.0180, 51.0, 0.0,
	  19.5 },
	{ "Indian", { ETH_AIND, -1 }, 0.0110, 60.0, 0.0, 18.0 },
	{ "Pakistani", { ETH_APKN, -1 }, 0.0150, 48.0, 0.3, 19.0 },
	{ "Bangladeshi", { ETH_ABAN, -1 }, 0.0160, 53.0, 0.2, 18.5 },
	{ "Chinese", { ETH_ACHN, -1 }, 0.0070, 66.0, 0.0, 16.0 },
	{ "Any other Asian background", { ETH_AOTH, -1 }, 0.0110, 56.0, 0.0,
	  18.5 },
	{ "Black Caribbean", { ETH_BCRB, -1 }, 0.0120, 41.0, 0.6, 18.5 },
	{ "Black African", { ETH_BAFR, -1 }, 0.0150, 50.0, 0.0, 18.5 },
	{ "Any other Black background", { ETH_BOTH, -1 }, 0.0150, 45.0, 0.0,
	  19.0 },
	{ "Any other ethnic group", { ETH_OARB, ETH_OOTH }, 0.0110, 50.0, 0.0,
	  20.0 },
	{ "Unclassified", { -1, -1 }, 0.0004, 42.0, 0.0, 21.0 },
};

#define WHITE_BRITISH_MEAN 50.5
/* Rates of White British pupils, and how a point of Attainment 8 moves
 * a group's rate on the logit scale. */
#define GRADE5_RATE 0.52
#define GRADE4_RATE 0.72
#define LOGIT_A_POINT 0.085
/* The borough, by its place among London's (from 0), whose Black
 * Caribbean pupils score a planted 4 points below the rest of London's:
 * for the funnel plot to find. */
#define FUNNEL_BOROUGH 7
#define FUNNEL_SHIFT (-4.0)

static double logit(double p)
{
	return log(p / (1 - p));
}

static double expit(double x)
{
	return 1 / (1 + exp(-x));
}

/* The rows of one group in a borough and year: 3, or 0 for no pupils. */
static long group_rows(FILE *out, uint64_t *s, const char *code,
		       const char *period, size_t k, double residents,
		       double shift, bool with_sd)
{
	long n = draw_count(s, residents * groups[k].cohort);
	double mean = groups[k].mean + shift, sd = groups[k].sd;
	double m, sample_sd, d = mean - WHITE_BRITISH_MEAN;
	long g5, g4;

	if (n == 0)
		return 0;
	m = mean + sd / sqrt((double)n) * normal(s);
	m = m < 0 ? 0 : m > 90 ? 90 : m;
	sample_sd = n >= 2 ? sd * (1 + normal(s) / sqrt(2.0 * (double)(n - 1)))
			   : NAN;
	if (sample_sd < 1)
		sample_sd = 1;
	g5 = draw_reaching(s, n, expit(logit(GRADE5_RATE) + LOGIT_A_POINT * d));
	g4 = draw_reaching(s, n, expit(logit(GRADE4_RATE) + LOGIT_A_POINT * d));
	if (g5 > g4)
		g5 = g4; /* grade 5 is within grade 4 */
	if (with_sd && n >= 2)
		fprintf(out, "%s,%s,%s,attainment8,%ld,%.1f,%.1f,\n", code,
			period, groups[k].label, n, m, sample_sd);
	else
		fprintf(out, "%s,%s,%s,attainment8,%ld,%.1f,,\n", code, period,
			groups[k].label, n, m);
	fprintf(out, "%s,%s,%s,grade5_eng_maths,%ld,,,%ld\n"
		"%s,%s,%s,grade4_eng_maths,%ld,,,%ld\n", code, period,
		groups[k].label, n, g5, code, period, groups[k].label, n, g4);
	return 3;
}

int synth_attainment(const struct synth_attainment_options *opt,
		     const struct area_set *areas,
		     const struct benchmark *census, long *rows,
		     struct parity_error *err)
{
	uint64_t s = opt->seed * 1000003u + 17;
	FILE *out = fopen(opt->out_path, "w");
	int y;

	*rows = 0;
	if (!out)
		return parity_error_set(err, PARITY_ERR_IO, opt->out_path, 0, 0,
					"cannot write: %s", strerror(errno));
	fprintf(out, "area_code,year,ethnic_group,measure,pupils,mean_score,"
		"sd,reaching_threshold\n");
	for (y = opt->year - opt->years + 1; y <= opt->year; y++) {
		char period[16];
		size_t a, k, place = 0;

		snprintf(period, sizeof(period), "%d-%02d", y - 1, y % 100);
		for (a = 0; a < areas->count; a++) {
			double pop[ETHNICITY_DETAILED_COUNT], total;
			const struct area *ar = &areas->areas[a];

			if (ar->type != AREA_BOROUGH)
				continue;
			if (benchmark_populations(census, (int)a,
						  ETH_LEVEL_DETAILED, pop,
						  &total, err) < 0) {
				fclose(out);
				return -1;
			}
			for (k = 0; k < sizeof(groups) / sizeof(groups[0]);
			     k++) {
				double residents = groups[k].census[0] < 0
					? total
					: pop[groups[k].census[0]];
				double shift = groups[k].change *
					       (y - (opt->year - opt->years + 1));

				if (groups[k].census[1] >= 0)
					residents += pop[groups[k].census[1]];
				if (place == FUNNEL_BOROUGH &&
				    groups[k].census[0] == ETH_BCRB)
					shift += FUNNEL_SHIFT;
				/* every fifth borough's system keeps no SDs */
				*rows += group_rows(out, &s, ar->code, period,
						    k, residents, shift,
						    place % 5 != 4);
			}
			place++;
		}
	}
	if (fclose(out) != 0)
		return parity_error_set(err, PARITY_ERR_IO, opt->out_path, 0, 0,
					"cannot write: %s", strerror(errno));
	return 0;
}
