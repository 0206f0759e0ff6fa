/*
 * splitmix.h - the small, fast generator of the synthetic data that must
 * be produced by the million (the national file, the service counts):
 * splitmix64, one stream per authority so that a file is a pure function
 * of its seed. The London returns use GSL's generators (synth.c).
 */
#ifndef PARITY_SYNTH_SPLITMIX_H
#define PARITY_SYNTH_SPLITMIX_H

#include <stdint.h>

/* The next 64 random bits of the stream `state`. */
static inline uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

#endif
