/*
 * staff_pack.h - the packed form in which the store keeps staff records.
 *
 * A return's staff records are stored in runs of up to STAFF_PACK_MAX, one
 * SQLite row (table staff_block, migration 0004) per run, rather than one
 * SQLite row per member of staff: an import of ten million records then
 * makes a few thousand inserts instead of ten million, and reading them
 * back is a scan of a few blobs.
 *
 * The blob, version 2, all integers little-endian:
 *
 *   u8 version (2), u8 0, u8 0, u8 0, u32 n (records, 1..STAFF_PACK_MAX)
 *   person        n x 16 bytes (the keyed hash, store/pseudonym.h)
 *   annual_salary n x IEEE 754 double
 *   fte           n x IEEE 754 double
 *   events        n x u8: 2 bits per event (promoted, disciplinary,
 *                 training, left), 0 no, 1 yes, 2 not given
 *   then, for each text column in turn (ethnicity code first, then
 *   pay_band, grade, job_family, sex, age_band, disability, contract_type,
 *   start_date, leaving_date, and last the ethnicity label as given):
 *     u32 d, the distinct values in the run; d NUL-terminated strings;
 *     n x u16: 0 for NULL (not given), k for the k-th distinct value.
 *
 * Ethnicity is kept as its stable code ('WBRI' ...), as it was in the row
 * table, so a blob means the same whatever the build's enum order. The
 * label beside it is what lets the records be read again under a newer
 * alias register (`parity returns reclassify`); like every text column it
 * is dictionary-encoded per run, so a run of 8,192 records with a dozen
 * labels costs a dozen strings and 16 KB of indices.
 *
 * Version 1 blobs (stores from before labels were kept) have no label
 * column: they are read with every label NULL, which is how their
 * submissions are known not to be reclassifiable. New blobs are always
 * version 2.
 *
 * Ownership: a staff_packer owns copies of everything added to it, and the
 * blob staff_packer_encode() returns until the next add or reset. Its
 * memory grows with the records it holds, so that the store can keep one
 * for every return being written.
 */
#ifndef PARITY_STORE_STAFF_PACK_H
#define PARITY_STORE_STAFF_PACK_H

#include "base/error.h"
#include "base/strbuf.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define STAFF_PACK_MAX 8192
#define STAFF_PACK_VERSION 2
#define STAFF_PACK_TEXT 11 /* ethnicity, the nine text columns, the label */
#define STAFF_PACK_TEXT_V1 10 /* version 1: no label */

/* Distinct values of one text column in the run being packed. */
struct staff_pack_dict {
	struct strbuf bytes;   /* the values, each NUL-terminated */
	size_t *offset;        /* value k-1 starts at bytes.buf + offset[k-1] */
	size_t count, offset_cap;
	uint16_t *slots;       /* open addressing: value index, 0 empty */
	size_t nslots;         /* a power of two, or 0 */
};

struct staff_packer {
	size_t n, cap;          /* records held, and room for (grown as
				 * records come, up to STAFF_PACK_MAX) */
	unsigned char *person;          /* n x PSEUDONYM_BYTES */
	double *salary, *fte;
	unsigned char *events;
	uint16_t *text[STAFF_PACK_TEXT];    /* n each */
	struct staff_pack_dict dict[STAFF_PACK_TEXT];
	struct strbuf blob;
};

void staff_packer_init(struct staff_packer *p);
void staff_packer_free(struct staff_packer *p);
/* Forget the records added (keeping the memory for the next run). */
void staff_packer_reset(struct staff_packer *p);
/* Copy one record in. The caller flushes when staff_packer_full(). */
void staff_packer_add(struct staff_packer *p, const struct store_staff *r);
int staff_packer_full(const struct staff_packer *p);
/* The blob of the records added; valid until the next add or reset. */
const unsigned char *staff_packer_encode(struct staff_packer *p, size_t *len);

/*
 * Call fn for each record of a blob, in order, until it returns non-zero
 * (which is then returned). A blob that does not decode is damage:
 * PARITY_ERR_STORE naming `where` (the store's path). Strings passed to fn
 * are valid during the call.
 */
int staff_pack_each(const unsigned char *blob, size_t len, const char *where,
		    store_staff_fn fn, void *ctx, struct parity_error *err);

#endif
