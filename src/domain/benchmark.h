/*
 * benchmark.h - resident populations by ethnic group, to compare staff with.
 *
 * The default benchmark is Census 2021 (TS021) usual residents by the 19
 * detailed groups for every local authority of England and Wales, compiled
 * in from data/census2021_ts021.csv. A council may supply its own benchmark
 * as a CSV with header `area_code,ethnicity,population`; it is validated like
 * any other input. A population for an area that contains others (Inner
 * London, London) is the sum of its boroughs' populations unless the file
 * gives that area directly.
 *
 * ONS perturbs each Census cell independently, so a total made by summing
 * the 19 cells can differ by a few tens from the published total; London's
 * sum of cells is 8,799,736. parity always uses the sum of the cells, so that
 * shares add up to 100%.
 *
 * Ownership: the caller owns a benchmark and frees it with benchmark_free();
 * it keeps a pointer to the area set, which must outlive it.
 */
#ifndef PARITY_DOMAIN_BENCHMARK_H
#define PARITY_DOMAIN_BENCHMARK_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "table/table.h"

#include <stdbool.h>

struct benchmark;

int benchmark_load_census2021(struct benchmark **out,
			      const struct area_set *areas,
			      struct parity_error *err);
/* Load a user-supplied benchmark file, classifying its labels with `cls`. */
int benchmark_load_file(struct benchmark **out, const struct area_set *areas,
			const struct ethnicity_classifier *cls,
			const char *path, struct parity_error *err);
void benchmark_free(struct benchmark *b);

/* A short description of the source, for notes: "Census 2021 (TS021) usual
 * residents" or "benchmark file FILE". */
const char *benchmark_source(const struct benchmark *b);

/*
 * Population of each output group of `level` in area `area` (pooled over
 * its boroughs where needed), written to `out` (room for
 * ethnicity_level_group_count(level)); `*total` gets the sum. Fails when the
 * benchmark has no figures for the area, or has only high-level groups and a
 * detailed level is asked for.
 */
int benchmark_populations(const struct benchmark *b, int area,
			  enum ethnicity_level level, double *out,
			  double *total, struct parity_error *err);

/*
 * Append to `table` the rows `benchmark_population` (value = residents) and
 * `benchmark_share` (value = % of residents, numerator/denominator = the
 * counts) for each group of `level` in `area`, plus a `benchmark_population`
 * row for all usual residents. Year is 2021 for the Census.
 */
int benchmark_table(const struct benchmark *b, int area,
		    enum ethnicity_level level, struct tidy_table *table,
		    struct parity_error *err);

#endif
