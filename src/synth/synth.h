/*
 * synth.h - realistic synthetic returns for demonstrations and tests.
 *
 * `parity synth` writes a workforce return and a recruitment return for each
 * of London's 33 local authorities, for two consecutive years, about 150,000
 * staff a year in all. Each borough's ethnic mix is drawn from its Census
 * 2021 residents and then shifted so that the pan-London picture resembles
 * the programme's own findings, with known effects planted for the measures
 * to rediscover (see docs/synth.md for the list):
 *
 *   - Asian staff under-represented against residents, Black staff
 *     over-represented;
 *   - staff from ethnic minority groups (excluding White minorities) about
 *     42.7% of declared staff in the first year and 46.7% in the second;
 *   - ethnicity not known (including prefer not to say) about 12.2% then
 *     11.6%;
 *   - a 'glass ceiling' for ethnic minority staff at the £50,000 boundary;
 *   - Black staff less likely to be promoted and more likely to enter a
 *     formal disciplinary process; White applicants more likely to be
 *     appointed from shortlisting.
 *
 * Boroughs export in different styles, as real HR systems do: label
 * wordings, header names, CRLF line ends, byte-order marks, '£52,340.00'.
 * The output is a pure function of the seed.
 */
#ifndef PARITY_SYNTH_SYNTH_H
#define PARITY_SYNTH_SYNTH_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/benchmark.h"

#include <stdint.h>

struct synth_options {
	int year;          /* the second year; the first is year - 1 */
	uint64_t seed;
	const char *out_dir; /* must exist */
	double staff_per_resident; /* 1/60 gives about 147,000 for London */
};

/* Progress callback: called after each file with its path. */
typedef void (*synth_progress_fn)(void *ctx, const char *path, long rows);

/*
 * Write the returns. File names are `workforce-CODE-YEAR.csv` and
 * `recruitment-CODE-YEAR.csv` in `out_dir`.
 */
int synth_london(const struct synth_options *opt, const struct area_set *areas,
		 const struct benchmark *census, synth_progress_fn progress,
		 void *progress_ctx, struct parity_error *err);

/*
 * Write synthetic service returns (docs/formats/service-return.md) for the
 * 33 authorities, for the financial years ending in year - 1 and year:
 * `youth-justice-YEAR.csv` (5 high-level groups), `school-exclusions-
 * YEAR.csv` (the school census's categories, Gypsy/Roma among them) and
 * `stop-and-search-YEAR.csv` (officer-defined groups, with people present
 * but no residents, so that reports fall back on Census 2021). Planted:
 * Black young people arrested at 2.2 times the rate of White young people
 * and given out-of-court disposals at 0.6 times (0.7 in the later year),
 * charged at 1.25 times and sentenced to custody at 1.5 times; Black
 * Caribbean pupils suspended at 2 times the rate of White British pupils,
 * Gypsy/Roma at 3.5 and White and Black Caribbean at 1.9 times; Black
 * people stopped and searched at 3.5 times the rate of White people.
 * `progress` gets each file with its number of borough-years.
 */
int synth_services(const struct synth_options *opt,
		   const struct area_set *areas,
		   const struct benchmark *census, synth_progress_fn progress,
		   void *progress_ctx, struct parity_error *err);

/*
 * Write a synthetic attainment return (docs/formats/attainment.md) for
 * the 33 authorities and the `years` academic years ending in the summer
 * of `year` (2024: 2019-20 to 2023-24 for 5 years) to `out_path`: for
 * each school census group, the key stage 4 cohort, its Attainment 8 mean
 * (with the SD, except in every fifth borough, whose system keeps none)
 * and the pupils reaching grade 5 and grade 4 in English and maths.
 * Planted: Black Caribbean pupils' mean 9.5 points below White British
 * pupils' in the first year, narrowing by 0.6 points a year; White and
 * Black Caribbean pupils 10 points below throughout; Gypsy/Roma and
 * Traveller of Irish heritage pupils far below; Chinese and Indian pupils
 * above; and in the eighth borough in the list of areas, Black Caribbean
 * pupils a further 4 points below, for the funnel plot. `*rows` gets the
 * rows written.
 */
struct synth_attainment_options {
	int year;        /* the summer the last academic year ends in */
	int years;       /* how many academic years, ending in it */
	uint64_t seed;
	const char *out_path;
};

int synth_attainment(const struct synth_attainment_options *opt,
		     const struct area_set *areas,
		     const struct benchmark *census, long *rows,
		     struct parity_error *err);

/*
 * One workforce return for the whole of England and Wales, for scale
 * tests and `make bench`: `rows` staff spread over the 331 local
 * authorities by their Census 2021 population, each authority's ethnic
 * mix drawn from its own Census 2021 figures (plus 8% not known and 2%
 * prefer not to say), in one CSV with an `employer` column holding the
 * authority's ONS code. By default (shape 0, "grouped") rows come
 * authority by authority, with short label wordings, plain amounts, LF
 * line ends and 12 columns. The shapes, which combine, write it
 * otherwise:
 *   - shuffled: the same rows in a random order (of the seed);
 *   - quoted: every field, the header's too, in double quotes;
 *   - crlf: CRLF line ends;
 *   - labels-2011: the 2011 Census wordings (no Roma), with 22% of staff
 *     not known, written 'Not stated', 'Not known', 'Unknown' or blank;
 *   - wide: 30 columns: grade, job family, pay band, disability, start
 *     and leaving dates, and 12 columns parity ignores (a notes column
 *     with now and then a quoted value).
 * Every shape but labels-2011 holds exactly the grouped file's staff.
 * The output is a pure function of `rows`, `seed` and `shape`.
 */
enum synth_shape {
	SYNTH_SHAPE_SHUFFLED = 1u << 0,
	SYNTH_SHAPE_QUOTED = 1u << 1,
	SYNTH_SHAPE_CRLF = 1u << 2,
	SYNTH_SHAPE_LABELS_2011 = 1u << 3,
	SYNTH_SHAPE_WIDE = 1u << 4,
};

struct synth_national_options {
	long rows;
	uint64_t seed;
	const char *out_path;
	unsigned shape; /* enum synth_shape bits; 0 is grouped */
};

/* Parse a comma-separated list of shape names ("grouped", "shuffled",
 * "quoted", "crlf", "labels-2011", "wide") into `*out`. */
int synth_shape_parse(const char *list, unsigned *out,
		      struct parity_error *err);

int synth_national(const struct synth_national_options *opt,
		   const struct area_set *areas,
		   const struct benchmark *census, struct parity_error *err);

#endif
