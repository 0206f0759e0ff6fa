/*
 * services.c - synthetic service returns for the demo and tests (see
 * synth.h, synth_services()).
 *
 * Counts are drawn around expected values: a base taken from each
 * borough's Census 2021 residents, times a rate for the stage, times the
 * disparity planted for the group. The draw is a normal approximation to
 * a Poisson count (mean + sqrt(mean) z, rounded, never below 0), from a
 * generator seeded by the seed, so the files are a pure function of it.
 */
#include "synth/synth.h"

#include "base/alloc.h"
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

static long draw(uint64_t *s, double mean)
{
	double z = sqrt(-2 * log(uniform(s))) * cos(2 * M_PI * uniform(s));
	double v = floor(mean + sqrt(mean) * z + 0.5);

	return v < 0 ? 0 : (long)v;
}

/* A draw for a stage that is a subset of an earlier one (its definition
 * says "within"): never more than the earlier stage's count, so that every
 * seed gives files the importer's nesting check accepts. */
static long draw_within(uint64_t *s, double mean, double earlier)
{
	long v = draw(s, mean);

	return (double)v > earlier ? (long)earlier : v;
}

/* The high-level groups as the files label them. */
static const char *const high_labels[ETHNICITY_HIGH_COUNT] = {
	"White", "Mixed", "Asian", "Black", "Other"
};

/* ---- youth justice: high-level groups, as youth justice services
 * report them ---- */

static void youth_justice(FILE *out, uint64_t *s, const char *code,
			  const char *period, int later, const double *pop)
{
	/* per stage: the rate of the stage it is taken of, for White young
	 * people; and the planted multiplier for Black young people */
	static const struct {
		const char *stage;
		int from;
		bool within; /* as data/services/youth-justice.json says */
		double rate, black, asian;
	} stages[] = {
		{ "population aged 10-17", -1, false, 0, 0, 0 },
		{ "arrest", 0, false, 0.012, 2.2, 1.0 },
		{ "charge", 1, true, 0.40, 1.25, 1.0 },
		{ "out-of-court disposal", 1, true, 0.35, 0.6, 1.0 },
		{ "first court appearance", 2, false, 0.80, 1.0, 1.0 },
		{ "custodial sentence", 4, true, 0.08, 1.5, 1.0 },
	};
	double n[6][ETHNICITY_HIGH_COUNT];
	size_t k;
	int g;

	for (g = 0; g < ETHNICITY_HIGH_COUNT; g++) {
		n[0][g] = (double)draw(s, pop[g] * 0.085);
		fprintf(out, "%s,%s,youth-justice,%s,%s,%.0f\n", code, period,
			stages[0].stage, high_labels[g], n[0][g]);
	}
	for (k = 1; k < 6; k++)
		for (g = 0; g < ETHNICITY_HIGH_COUNT; g++) {
			double m = g == ETH_GROUP_BLACK ? stages[k].black
				   : g == ETH_GROUP_ASIAN ? stages[k].asian : 1;

			/* diversion improves a little in the later year */
			if (k == 3 && g == ETH_GROUP_BLACK && later)
				m = 0.7;
			double mean = n[stages[k].from][g] * stages[k].rate * m;

			n[k][g] = stages[k].within
				  ? (double)draw_within(s, mean,
							n[stages[k].from][g])
				  : (double)draw(s, mean);
			fprintf(out, "%s,%s,youth-justice,%s,%s,%.0f\n", code,
				period, stages[k].stage, high_labels[g],
				n[k][g]);
		}
}

/* ---- school exclusions: the school census's detailed categories ---- */

static const struct {
	const char *label;
	int census[2];       /* the 2021 categories its pupils come from */
	double share;        /* of those residents who are pupils */
	double suspension;   /* planted multiplier */
	double permanent;    /* of suspensions */
} pupils[] = {
	{ "White British", { ETH_WBRI, -1 }, 0.13, 1.0, 1.0 },
	{ "Irish", { ETH_WIRI, -1 }, 0.10, 1.0, 1.0 },
	{ "Gypsy/Roma", { ETH_WGYP, ETH_WROM }, 0.20, 3.5, 1.3 },
	{ "Any other White background", { ETH_WOTH, -1 }, 0.14, 0.55, 1.0 },
	{ "White and Black Caribbean", { ETH_MWBC, -1 }, 0.22, 1.9, 1.3 },
	{ "White and Black African", { ETH_MWBA, -1 }, 0.22, 1.1, 1.0 },
	{ "White and Asian", { ETH_MWAS, -1 }, 0.22, 0.65, 1.0 },
	{ "Any other Mixed background", { ETH_MOTH, -1 }, 0.20, 0.9, 1.0 },
	{ "Indian", { ETH_AIND, -1 }, 0.14, 0.2, 1.0 },
	{ "Pakistani", { ETH_APKN, -1 }, 0.17, 0.5, 1.0 },
	{ "Bangladeshi", { ETH_ABAN, -1 }, 0.18, 0.4, 1.0 },
	{ "Chinese", { ETH_ACHN, -1 }, 0.08, 0.15, 1.0 },
	{ "Any other Asian background", { ETH_AOTH, -1 }, 0.14, 0.3, 1.0 },
	{ "Black Caribbean", { ETH_BCRB, -1 }, 0.15, 2.0, 1.4 },
	{ "Black African", { ETH_BAFR, -1 }, 0.18, 0.8, 1.0 },
	{ "Any other Black background", { ETH_BOTH, -1 }, 0.18, 1.1, 1.0 },
	{ "Any other ethnic group", { ETH_OARB, ETH_OOTH }, 0.15, 0.6, 1.0 },
};

static void exclusions(FILE *out, uint64_t *s, const char *code,
		       const char *period, const double *pop)
{
	size_t k;

	for (k = 0; k < sizeof(pupils) / sizeof(pupils[0]); k++) {
		double base = pop[pupils[k].census[0]];
		long roll, susp, perm;

		if (pupils[k].census[1] >= 0)
			base += pop[pupils[k].census[1]];
		roll = draw(s, base * pupils[k].share);
		/* suspensions are counted as events, so not within the
		 * roll; permanent exclusions are pupils, within it */
		susp = draw(s, (double)roll * 0.045 * pupils[k].suspension);
		perm = draw_within(s, (double)susp * 0.02 *
					      pupils[k].permanent, (double)roll);
		fprintf(out, "%s,%s,school-exclusions,pupils on roll,%s,%ld\n"
			"%s,%s,school-exclusions,suspension,%s,%ld\n"
			"%s,%s,school-exclusions,permanent exclusion,%s,%ld\n",
			code, period, pupils[k].label, roll, code, period,
			pupils[k].label, susp, code, period, pupils[k].label,
			perm);
	}
	fprintf(out, "%s,%s,school-exclusions,pupils on roll,Unclassified,"
		"%ld\n", code, period, draw(s, 400));
}

/* ---- stop and search: the police's officer-defined groups; no
 * resident base in the file (parity falls back on Census 2021), but the
 * people present ---- */

static void stop_search(FILE *out, uint64_t *s, const char *code,
			const char *period, const double *pop, bool inner)
{
	static const int groups[] = { ETH_GROUP_WHITE, ETH_GROUP_BLACK,
				      ETH_GROUP_ASIAN, ETH_GROUP_OTHER };
	static const double search[] = { 1.0, 3.5, 1.4, 1.2 };
	size_t k;

	for (k = 0; k < 4; k++) {
		int g = groups[k];
		double present = pop[g] * (inner ? 1.35 : 0.95);
		long searched, arrested;

		/* officer-defined Other also takes in most Mixed residents */
		if (g == ETH_GROUP_OTHER)
			present += pop[ETH_GROUP_MIXED] * 0.5;
		searched = draw(s, present * 0.012 * search[k]);
		arrested = draw_within(s, (double)searched * 0.14,
				       (double)searched);
		fprintf(out, "%s,%s,stop-and-search,people present,%s,%.0f\n"
			"%s,%s,stop-and-search,stop and search,%s,%ld\n"
			"%s,%s,stop-and-search,arrest,%s,%ld\n",
			code, period, high_labels[g], floor(present), code,
			period, high_labels[g], searched, code, period,
			high_labels[g], arrested);
	}
	fprintf(out, "%s,%s,stop-and-search,stop and search,IC9,%ld\n", code,
		period, draw(s, 150));
}

int synth_services(const struct synth_options *opt,
		   const struct area_set *areas,
		   const struct benchmark *census, synth_progress_fn progress,
		   void *progress_ctx, struct parity_error *err)
{
	static const char *const names[] = {
		"youth-justice", "school-exclusions", "stop-and-search"
	};
	char path[4096];
	size_t svc, a;
	int y;

	for (svc = 0; svc < 3; svc++) {
		uint64_t s = opt->seed * 1000003u + svc;
		long rows = 0;
		FILE *out;

		snprintf(path, sizeof(path), "%s/%s-%d.csv", opt->out_dir,
			 names[svc], opt->year);
		out = fopen(path, "w");
		if (!out)
			return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
						"cannot write: %s",
						strerror(errno));
		fprintf(out, "area_code,year,service,stage,ethnicity,count\n");
		for (y = opt->year - 1; y <= opt->year; y++) {
			char period[16];

			snprintf(period, sizeof(period), "%d-%02d", y - 1,
				 y % 100);
			for (a = 0; a < areas->count; a++) {
				double detailed[ETHNICITY_DETAILED_COUNT];
				double high[ETHNICITY_HIGH_COUNT], total;
				const struct area *ar = &areas->areas[a];

				if (ar->type != AREA_BOROUGH)
					continue;
				if (benchmark_populations(census, (int)a,
							  ETH_LEVEL_DETAILED,
							  detailed, &total,
							  err) < 0 ||
				    benchmark_populations(census, (int)a,
							  ETH_LEVEL_HIGH, high,
							  &total, err) < 0) {
					fclose(out);
					return -1;
				}
				if (svc == 0)
					youth_justice(out, &s, ar->code, period,
						      y == opt->year, high);
				else if (svc == 1)
					exclusions(out, &s, ar->code, period,
						   detailed);
				else
					stop_search(out, &s, ar->code, period,
						    high,
						    ar->parent >= 0 &&
						    strcmp(areas->areas[ar->parent].code,
							   "E13000001") == 0);
				rows++;
			}
		}
		if (fclose(out) != 0)
			return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
						"could not write the file");
		if (progress)
			progress(progress_ctx, path, rows);
	}
	return 0;
}
