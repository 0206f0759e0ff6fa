/*
 * hash.h - the one string hash for parity's in-memory hash tables (label
 * caches, the table's string pool, disclosure control's cell index):
 * 64-bit FNV-1a. Not for anything an attacker chooses to collide, and not
 * a checksum: files are checksummed with SHA-256, identifiers with a keyed
 * BLAKE2b (store/pseudonym.h).
 */
#ifndef PARITY_BASE_HASH_H
#define PARITY_BASE_HASH_H

#include <stdint.h>

static inline uint64_t hash_string(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

#endif
