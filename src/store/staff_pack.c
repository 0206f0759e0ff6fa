/*
 * staff_pack.c - packing staff records into the store's blobs, and reading
 * them back (see staff_pack.h for the format).
 */
#include "store/staff_pack.h"

#include "base/alloc.h"
#include "base/hash.h"
#include "domain/ethnicity.h"

#include <stdlib.h>
#include <string.h>

#define NOT_GIVEN_BITS 2u

static const char *text_of(const struct store_staff *r, int column)
{
	switch (column) {
	case 0: return ethnicity_category(r->ethnicity)->code;
	case 1: return r->pay_band;
	case 2: return r->grade;
	case 3: return r->job_family;
	case 4: return r->sex;
	case 5: return r->age_band;
	case 6: return r->disability;
	case 7: return r->contract_type;
	case 8: return r->start_date;
	case 9: return r->leaving_date;
	default: return r->label;
	}
}

static void set_text(struct store_staff *r, int column, const char *v)
{
	switch (column) {
	case 1: r->pay_band = v; break;
	case 2: r->grade = v; break;
	case 3: r->job_family = v; break;
	case 4: r->sex = v; break;
	case 5: r->age_band = v; break;
	case 6: r->disability = v; break;
	case 7: r->contract_type = v; break;
	case 8: r->start_date = v; break;
	case 9: r->leaving_date = v; break;
	case 10: r->label = v; break;
	default: break; /* ethnicity is decoded on its own */
	}
}

void staff_packer_init(struct staff_packer *p)
{
	int c;

	memset(p, 0, sizeof(*p));
	for (c = 0; c < STAFF_PACK_TEXT; c++)
		strbuf_init(&p->dict[c].bytes);
	strbuf_init(&p->blob);
}

void staff_packer_free(struct staff_packer *p)
{
	int c;

	free(p->person);
	free(p->salary);
	free(p->fte);
	free(p->events);
	for (c = 0; c < STAFF_PACK_TEXT; c++) {
		free(p->text[c]);
		strbuf_release(&p->dict[c].bytes);
		free(p->dict[c].offset);
		free(p->dict[c].slots);
	}
	strbuf_release(&p->blob);
	memset(p, 0, sizeof(*p));
}

void staff_packer_reset(struct staff_packer *p)
{
	int c;

	p->n = 0;
	for (c = 0; c < STAFF_PACK_TEXT; c++) {
		struct staff_pack_dict *d = &p->dict[c];

		if (d->count)
			memset(d->slots, 0, d->nslots * sizeof(uint16_t));
		d->count = 0;
		strbuf_reset(&d->bytes);
	}
}

int staff_packer_full(const struct staff_packer *p)
{
	return p->n >= STAFF_PACK_MAX;
}

/* The dictionary's hash table twice as large (at least 64 slots), its
 * values placed again. */
static void dict_grow(struct staff_pack_dict *d)
{
	size_t nslots = d->nslots ? d->nslots * 2 : 64, k;

	free(d->slots);
	d->slots = xcalloc(nslots, sizeof(*d->slots));
	d->nslots = nslots;
	for (k = 0; k < d->count; k++) {
		size_t i = (size_t)hash_string(d->bytes.buf + d->offset[k]) &
			   (nslots - 1);

		while (d->slots[i])
			i = (i + 1) & (nslots - 1);
		d->slots[i] = (uint16_t)(k + 1);
	}
}

/* The index (1-based) of `v` in the column's values, added if new. */
static uint16_t dict_index(struct staff_pack_dict *d, const char *v)
{
	size_t i;

	/* at most half full, so a probe soon finds a gap */
	if ((d->count + 1) * 2 > d->nslots)
		dict_grow(d);
	i = (size_t)hash_string(v) & (d->nslots - 1);
	while (d->slots[i]) {
		if (strcmp(d->bytes.buf + d->offset[d->slots[i] - 1], v) == 0)
			return d->slots[i];
		i = (i + 1) & (d->nslots - 1);
	}
	d->offset = xgrow(d->offset, &d->offset_cap, d->count + 1,
			  sizeof(*d->offset));
	d->offset[d->count] = d->bytes.len;
	strbuf_add(&d->bytes, v, strlen(v) + 1);
	d->slots[i] = (uint16_t)++d->count;
	return d->slots[i];
}

/* Room for one more record: the arrays doubled (from 64) when full. */
static void packer_reserve(struct staff_packer *p)
{
	size_t cap;
	int c;

	if (p->n < p->cap)
		return;
	cap = p->cap ? p->cap * 2 : 64;
	if (cap > STAFF_PACK_MAX)
		cap = STAFF_PACK_MAX;
	p->person = xrealloc(p->person, cap * PSEUDONYM_BYTES);
	p->salary = xrealloc(p->salary, cap * sizeof(*p->salary));
	p->fte = xrealloc(p->fte, cap * sizeof(*p->fte));
	p->events = xrealloc(p->events, cap);
	for (c = 0; c < STAFF_PACK_TEXT; c++)
		p->text[c] = xrealloc(p->text[c], cap * sizeof(uint16_t));
	p->cap = cap;
}

void staff_packer_add(struct staff_packer *p, const struct store_staff *r)
{
	size_t n = p->n;
	unsigned bits = 0;
	int c, k;

	packer_reserve(p);
	memcpy(p->person + n * PSEUDONYM_BYTES, r->person, PSEUDONYM_BYTES);
	p->salary[n] = r->annual_salary;
	p->fte[n] = r->fte;
	for (k = 0; k < STORE_EVENT_COUNT; k++) {
		unsigned e = r->events[k] == STORE_NOT_GIVEN ? NOT_GIVEN_BITS
			     : r->events[k] ? 1u : 0u;

		bits |= e << (2 * k);
	}
	p->events[n] = (unsigned char)bits;
	for (c = 0; c < STAFF_PACK_TEXT; c++) {
		const char *v = text_of(r, c);

		p->text[c][n] = v ? dict_index(&p->dict[c], v) : 0;
	}
	p->n = n + 1;
}

static void put_u32(struct strbuf *b, uint32_t v)
{
	unsigned char le[4] = { (unsigned char)v, (unsigned char)(v >> 8),
				(unsigned char)(v >> 16),
				(unsigned char)(v >> 24) };

	strbuf_add(b, le, sizeof(le));
}

static void put_u16s(struct strbuf *b, const uint16_t *v, size_t n)
{
	size_t k;

	strbuf_grow(b, 2 * n);
	for (k = 0; k < n; k++) {
		unsigned char le[2] = { (unsigned char)v[k],
					(unsigned char)(v[k] >> 8) };

		memcpy(b->buf + b->len + 2 * k, le, 2);
	}
	b->len += 2 * n;
	b->buf[b->len] = '\0';
}

static void put_doubles(struct strbuf *b, const double *v, size_t n)
{
	size_t k;

	strbuf_grow(b, 8 * n);
	for (k = 0; k < n; k++) {
		uint64_t u;
		unsigned char le[8];
		int i;

		memcpy(&u, &v[k], sizeof(u));
		for (i = 0; i < 8; i++)
			le[i] = (unsigned char)(u >> (8 * i));
		memcpy(b->buf + b->len + 8 * k, le, 8);
	}
	b->len += 8 * n;
	b->buf[b->len] = '\0';
}

const unsigned char *staff_packer_encode(struct staff_packer *p, size_t *len)
{
	static const unsigned char head[4] = { STAFF_PACK_VERSION, 0, 0, 0 };
	struct strbuf *b = &p->blob;
	int c;

	strbuf_reset(b);
	strbuf_add(b, head, sizeof(head));
	put_u32(b, (uint32_t)p->n);
	strbuf_add(b, p->person, p->n * PSEUDONYM_BYTES);
	put_doubles(b, p->salary, p->n);
	put_doubles(b, p->fte, p->n);
	strbuf_add(b, p->events, p->n);
	for (c = 0; c < STAFF_PACK_TEXT; c++) {
		put_u32(b, (uint32_t)p->dict[c].count);
		strbuf_add(b, p->dict[c].bytes.buf, p->dict[c].bytes.len);
		put_u16s(b, p->text[c], p->n);
	}
	*len = b->len;
	return (const unsigned char *)b->buf;
}

/* ---- reading ---- */

struct reader {
	const unsigned char *at, *end;
};

static int take(struct reader *r, size_t n, const unsigned char **out)
{
	if ((size_t)(r->end - r->at) < n)
		return -1;
	*out = r->at;
	r->at += n;
	return 0;
}

static int take_u32(struct reader *r, uint32_t *v)
{
	const unsigned char *b;

	if (take(r, 4, &b) < 0)
		return -1;
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	     (uint32_t)b[3] << 24;
	return 0;
}

static double double_at(const unsigned char *b, size_t k)
{
	uint64_t u = 0;
	double v;
	int i;

	for (i = 0; i < 8; i++)
		u |= (uint64_t)b[8 * k + (size_t)i] << (8 * i);
	memcpy(&v, &u, sizeof(v));
	return v;
}

static unsigned u16_at(const unsigned char *b, size_t k)
{
	return (unsigned)b[2 * k] | (unsigned)b[2 * k + 1] << 8;
}

struct text_column {
	const char **values; /* index k-1 -> value */
	uint32_t count;
	const unsigned char *index;
};

static int damaged(const char *where, struct parity_error *err,
		   const char *what)
{
	return parity_error_set(err, PARITY_ERR_STORE, where, 0, 0,
				"the store is damaged: a block of staff "
				"records %s", what);
}

/* The strings of one column's dictionary, checked to lie in the blob. */
static int read_text_column(struct reader *r, uint32_t n,
			    struct text_column *t)
{
	uint32_t k;
	const unsigned char *idx;

	if (take_u32(r, &t->count) < 0 || t->count > n)
		return -1;
	t->values = xcalloc((size_t)t->count + 1, sizeof(*t->values));
	for (k = 0; k < t->count; k++) {
		const unsigned char *nul = memchr(r->at, '\0',
						  (size_t)(r->end - r->at));

		if (!nul)
			return -1;
		t->values[k] = (const char *)r->at;
		r->at = nul + 1;
	}
	if (take(r, 2 * (size_t)n, &idx) < 0)
		return -1;
	for (k = 0; k < n; k++)
		if (u16_at(idx, k) > t->count)
			return -1;
	t->index = idx;
	return 0;
}

int staff_pack_each(const unsigned char *blob, size_t len, const char *where,
		    store_staff_fn fn, void *ctx, struct parity_error *err)
{
	struct reader r = { blob, blob + len };
	struct text_column text[STAFF_PACK_TEXT];
	const unsigned char *head, *person, *salary, *fte, *events;
	int *eth = NULL;
	uint32_t n, k;
	int c, e, columns, rc = 0;

	memset(text, 0, sizeof(text));
	if (take(&r, 4, &head) < 0 ||
	    (head[0] != STAFF_PACK_VERSION && head[0] != 1))
		return damaged(where, err, "has an unknown format");
	/* version 1 has no label column: its labels are read as NULL */
	columns = head[0] == 1 ? STAFF_PACK_TEXT_V1 : STAFF_PACK_TEXT;
	if (take_u32(&r, &n) < 0 || n == 0 || n > STAFF_PACK_MAX ||
	    take(&r, (size_t)n * PSEUDONYM_BYTES, &person) < 0 ||
	    take(&r, 8 * (size_t)n, &salary) < 0 ||
	    take(&r, 8 * (size_t)n, &fte) < 0 || take(&r, n, &events) < 0)
		return damaged(where, err, "is cut short");
	for (c = 0; c < columns; c++)
		if (read_text_column(&r, n, &text[c]) < 0) {
			rc = damaged(where, err, "is cut short");
			goto out;
		}
	if (r.at != r.end) {
		rc = damaged(where, err, "has bytes after its end");
		goto out;
	}
	eth = xcalloc((size_t)text[0].count + 1, sizeof(*eth));
	for (k = 0; k < text[0].count; k++) {
		eth[k] = ethnicity_find_code(text[0].values[k]);
		if (eth[k] < 0) {
			rc = parity_error_set(err, PARITY_ERR_STORE, where, 0, 0,
					      "the store holds an unknown "
					      "ethnicity code '%s'",
					      text[0].values[k]);
			goto out;
		}
	}
	for (k = 0; k < n; k++) {
		struct store_staff s;
		unsigned ei = u16_at(text[0].index, k);

		memset(&s, 0, sizeof(s));
		if (ei == 0) {
			rc = damaged(where, err, "has a record without ethnicity");
			goto out;
		}
		memcpy(s.person, person + (size_t)k * PSEUDONYM_BYTES,
		       PSEUDONYM_BYTES);
		s.ethnicity = (enum ethnicity_id)eth[ei - 1];
		s.annual_salary = double_at(salary, k);
		s.fte = double_at(fte, k);
		for (e = 0; e < STORE_EVENT_COUNT; e++) {
			unsigned bits = (events[k] >> (2 * e)) & 3u;

			if (bits == 3u) {
				rc = damaged(where, err,
					     "has an event that is not yes, "
					     "no or not given");
				goto out;
			}
			s.events[e] = bits == NOT_GIVEN_BITS ? STORE_NOT_GIVEN
							     : (int)bits;
		}
		for (c = 1; c < columns; c++) {
			unsigned i = u16_at(text[c].index, k);

			set_text(&s, c, i ? text[c].values[i - 1] : NULL);
		}
		rc = fn(ctx, &s);
		if (rc)
			break;
	}
out:
	free(eth);
	for (c = 0; c < STAFF_PACK_TEXT; c++)
		free(text[c].values);
	return rc;
}
