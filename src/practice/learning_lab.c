/*
 * learning_lab.c - the Learning Lab's events (see learning_lab.h): each
 * checked, then stored and audited in one transaction.
 */
#include "practice/learning_lab.h"

#include "base/alloc.h"
#include "base/utf8.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const learning_formats[] = { "symposium", "training", "workshop",
					 "doing-group", "webinar", NULL };

static bool in_list(const char *const *list, const char *v)
{
	size_t k;

	for (k = 0; v && list[k]; k++)
		if (strcmp(list[k], v) == 0)
			return true;
	return false;
}

/* A real day of the Gregorian calendar, written YYYY-MM-DD. */
static bool day_ok(const char *d)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	int y, m, dd, k;

	if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return false;
	for (k = 0; k < 10; k++)
		if (k != 4 && k != 7 && !isdigit((unsigned char)d[k]))
			return false;
	y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
	    (d[3] - '0');
	m = (d[5] - '0') * 10 + (d[6] - '0');
	dd = (d[8] - '0') * 10 + (d[9] - '0');
	if (m < 1 || m > 12 || dd < 1 || dd > days[m - 1])
		return false;
	return !(m == 2 && dd == 29 &&
		 !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static bool text_ok(const char *t, size_t max)
{
	const unsigned char *p;

	if (!t || !t[0] || !utf8_valid(t, strlen(t), NULL) ||
	    utf8_length(t) > max)
		return false;
	for (p = (const unsigned char *)t; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return false;
	return true;
}

static int check(struct store *s, const struct learning_event_input *in,
		 struct parity_error *err)
{
	size_t k;

	if (!text_ok(in->title, 200))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"an event needs a title of up to 200 "
					"characters of text");
	if (!day_ok(in->day))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the event's date must be a day, "
					"YYYY-MM-DD, not '%.20s'",
					in->day ? in->day : "");
	if (!in_list(learning_formats, in->format))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the type of session must be symposium, "
					"training, workshop, doing-group or "
					"webinar, not '%.40s'",
					in->format ? in->format : "");
	if (!in_list(practice_strands, in->strand))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the strand must be leadership, "
					"employer or services, not '%.40s'",
					in->strand ? in->strand : "");
	if (in->description && in->description[0] &&
	    !text_ok(in->description, PRACTICE_TEXT_MAX))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the description must be text of up "
					"to %d characters", PRACTICE_TEXT_MAX);
	for (k = 0; k < in->nmaterials; k++)
		if (!text_ok(in->materials[k].title, 200) ||
		    !in->materials[k].url ||
		    strncmp(in->materials[k].url, "https://", 8) != 0 ||
		    !text_ok(in->materials[k].url, 2000))
			return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0,
						0, "a material needs a title "
						"and a link that begins "
						"https://");
	for (k = 0; k < in->nrecords; k++) {
		struct practice_row row;
		int rc = practice_store_latest(s, in->records[k], true, &row,
					       err);

		if (rc < 0)
			return -1;
		if (rc == 0)
			return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0,
						0, "there is no approved "
						"practice record %lld",
						(long long)in->records[k]);
		practice_row_release(&row);
	}
	return 0;
}

json_t *learning_event_json(const struct learning_event_row *e)
{
	json_t *recs = json_array(), *mats = json_array();
	size_t k;

	for (k = 0; k < e->nrecords; k++)
		json_array_append_new(recs, json_integer(e->records[k]));
	for (k = 0; k < e->nmaterials; k++)
		json_array_append_new(mats, json_pack(
			"{s:s, s:s}", "title", e->materials[k].title, "url",
			e->materials[k].url));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)e->id, "date", e->day, "title", e->title,
			 "type", e->format, "strand", e->strand, "about",
			 e->description ? e->description : "", "practice", recs,
			 "materials", mats);
}

int learning_event_add(struct store *s, const struct learning_event_input *in,
		       const struct practice_actor *who, int64_t *id,
		       struct parity_error *err)
{
	struct learning_event_row *row;
	char detail[256];
	size_t k;
	int rc;

	*id = 0;
	if (check(s, in, err) < 0)
		return -1;
	/* the store's row owns its strings: a copy of the input's */
	row = xcalloc(1, sizeof(*row));
	snprintf(row->day, sizeof(row->day), "%s", in->day);
	row->title = xstrdup(in->title);
	row->format = xstrdup(in->format);
	row->strand = xstrdup(in->strand);
	row->description = xstrdup(in->description ? in->description : "");
	row->records = xcalloc(in->nrecords + 1, sizeof(*row->records));
	memcpy(row->records, in->records,
	       in->nrecords * sizeof(*row->records));
	row->nrecords = in->nrecords;
	row->materials = xcalloc(in->nmaterials + 1, sizeof(*row->materials));
	for (k = 0; k < in->nmaterials; k++) {
		row->materials[k].title = xstrdup(in->materials[k].title);
		row->materials[k].url = xstrdup(in->materials[k].url);
	}
	row->nmaterials = in->nmaterials;
	row->created_at = who->now;
	row->created_by = xstrdup(who->by);
	if (store_begin(s, err) < 0) {
		learning_events_free(row, 1);
		return -1;
	}
	rc = learning_event_store(s, row, err);
	if (rc == 0 && who->audit) {
		snprintf(detail, sizeof(detail), "event %lld on %s",
			 (long long)row->id, row->day);
		rc = who->audit(who->audit_ctx, "learning.event.add", NULL,
				row->id, detail, err);
	}
	if (rc == 0 && store_commit(s, err) == 0)
		*id = row->id;
	else
		store_rollback(s);
	learning_events_free(row, 1);
	return *id ? 0 : -1;
}
