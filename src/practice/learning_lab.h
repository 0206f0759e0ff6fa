/*
 * learning_lab.h - the Learning Lab's sessions and events (learning_lab.c):
 * symposia, training, workshops and 'doing group' meetings, each with its
 * day, format and strand, the approved practice records it draws on, and
 * its materials (links). Checked whole before anything is stored; audited
 * through the actor's callback (practice.h).
 */
#ifndef PARITY_PRACTICE_LEARNING_LAB_H
#define PARITY_PRACTICE_LEARNING_LAB_H

#include "base/error.h"
#include "practice/practice.h"
#include "store/practice_store.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* symposium, training, workshop, doing-group, webinar. */
extern const char *const learning_formats[];  /* NULL-terminated */

struct learning_event_input {
	const char *title;
	const char *day;           /* YYYY-MM-DD */
	const char *format;        /* one of learning_formats */
	const char *strand;        /* one of practice_strands */
	const char *description;   /* may be NULL */
	const int64_t *records;    /* approved practice records */
	size_t nrecords;
	const struct learning_material *materials;  /* https links */
	size_t nmaterials;
};

/*
 * Check `in` and store it: the title (up to 200 characters) and a real
 * day, a known format and strand, records that are approved, links that
 * begin https://. PARITY_ERR_USAGE naming the first thing wrong; audited
 * as learning.event.add; *id set.
 */
int learning_event_add(struct store *s, const struct learning_event_input *in,
		       const struct practice_actor *who, int64_t *id,
		       struct parity_error *err);

/* An event as JSON ({id, date, title, type, strand, about, practice,
 * materials}), a new reference; NULL only when out of memory. */
json_t *learning_event_json(const struct learning_event_row *e);

#endif
