/*
 * quality.c - the data-quality report (see quality.h).
 *
 * Quartiles for the outlier fences are R's type 7 (linear interpolation
 * between the order statistics at (n - 1) p), the default of R, NumPy and
 * spreadsheets, so that a council can reproduce the fences by hand.
 */
#include "ingest/quality.h"

#include "base/alloc.h"
#include "table/render.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const workforce_columns[] = {
	"ethnicity", "pay_band", "grade", "job_family", "sex", "age_band",
	"disability", "contract_type", "start_date", "leaving_date",
	"promoted", "disciplinary", "training", "left"
};
enum { WF_ETHNICITY, WF_PAY_BAND, WF_GRADE, WF_JOB_FAMILY, WF_SEX,
       WF_AGE_BAND, WF_DISABILITY, WF_CONTRACT_TYPE, WF_START_DATE,
       WF_LEAVING_DATE, WF_PROMOTED, WF_COUNT = WF_PROMOTED + STORE_EVENT_COUNT };

static const char *const recruitment_columns[] = {
	"ethnicity", "vacancy_id", "pay_band"
};
enum { RC_ETHNICITY, RC_VACANCY_ID, RC_PAY_BAND, RC_COUNT };

size_t quality_columns(enum store_kind kind, const char *const **names)
{
	if (kind == STORE_WORKFORCE) {
		*names = workforce_columns;
		return WF_COUNT;
	}
	*names = recruitment_columns;
	return RC_COUNT;
}

/* Whether `name` is one of the comma-separated `list`. */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

void quality_init(struct quality *q, enum store_kind kind,
		  const char *columns)
{
	const char *const *names;
	size_t n = quality_columns(kind, &names), k;

	memset(q, 0, sizeof(*q));
	q->kind = kind;
	for (k = 0; k < n; k++)
		q->supplied[k] = in_list(columns, names[k]);
	q->supplied[0] = true; /* ethnicity is required */
}

void quality_release(struct quality *q)
{
	size_t k;

	for (k = 0; k < q->unrecognised_count; k++)
		free(q->unrecognised[k].value);
	free(q->unrecognised);
	q->unrecognised = NULL;
	q->unrecognised_count = q->unrecognised_cap = 0;
}

/* ---- recognised values of coded columns ---- */

/* Lower case, '-' and '_' as spaces, spaces collapsed and trimmed. */
static void fold(const char *s, char *out, size_t size)
{
	size_t n = 0;
	bool space = false;

	for (; *s && n + 1 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '-' || c == '_') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < size)
			out[n++] = ' ';
		space = false;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

static bool one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

/* Answers that say the value was not given, accepted in every coded column. */
static const char *const not_declared[] = {
	"prefer not to say", "prefer not to state", "not known", "unknown",
	"not stated", "declined", "not declared", "refused",
	"information refused", "not provided", NULL
};

static const char *const sexes[] = {
	"female", "f", "woman", "male", "m", "man", "non binary", "nonbinary",
	"other", "x", "intersex", NULL
};

static const char *const disabilities[] = {
	"yes", "no", "y", "n", "true", "false", "disabled", "not disabled",
	"has a disability", "no disability", NULL
};

static const char *const contracts[] = {
	"permanent", "fixed term", "temporary", "casual", "apprentice",
	"apprenticeship", "agency", "interim", "secondment", "zero hours",
	"sessional", "bank", "seasonal", NULL
};

/* Read digits at *p; -1 when there are none. */
static long digits(const char **p)
{
	long v = 0;
	int n = 0;

	while (isdigit((unsigned char)**p) && n < 4) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

/* '16-24', '25 to 34', '65+', '65 and over', 'under 25', '16 24'. */
static bool age_band_ok(const char *v)
{
	const char *p = v;
	long a, b;

	if (strncmp(p, "under ", 6) == 0) {
		p += 6;
		return digits(&p) >= 0 && *p == '\0';
	}
	a = digits(&p);
	if (a < 0 || a > 120)
		return false;
	if (strcmp(p, "+") == 0 || strcmp(p, " +") == 0 ||
	    strcmp(p, " and over") == 0 || strcmp(p, " or over") == 0 ||
	    strcmp(p, " plus") == 0 || strcmp(p, "plus") == 0)
		return true;
	if (strncmp(p, " to ", 4) == 0)
		p += 4;
	else if (*p == ' ')
		p++; /* '16-24' folded to '16 24' */
	else
		return false;
	b = digits(&p);
	return b >= a && b <= 120 && *p == '\0';
}

bool quality_value_recognised(const char *column, const char *value)
{
	char v[128] = { 0 };

	fold(value, v, sizeof(v));
	if (v[0] == '\0' || one_of(v, not_declared))
		return true;
	if (strcmp(column, "sex") == 0)
		return one_of(v, sexes);
	if (strcmp(column, "disability") == 0)
		return one_of(v, disabilities);
	if (strcmp(column, "contract_type") == 0)
		return one_of(v, contracts);
	if (strcmp(column, "age_band") == 0)
		return age_band_ok(v);
	return true;
}

bool quality_memo_recognised(struct quality_memo *memo, const char *column,
			     const char *value)
{
	size_t k;

	/* the first byte tells most values apart without a call */
	for (k = 0; k < memo->count; k++)
		if (memo->values[k][0] == value[0] &&
		    strcmp(memo->values[k], value) == 0)
			return true;
	if (!quality_value_recognised(column, value))
		return false;
	if (memo->count < QUALITY_MEMO_VALUES &&
	    strlen(value) < sizeof(memo->values[0]))
		memcpy(memo->values[memo->count++], value, strlen(value) + 1);
	return true;
}

static void note_unrecognised(struct quality *q, size_t column,
			      struct quality_memo *memo, const char *value)
{
	const char *const *names;
	size_t k;

	(void)quality_columns(q->kind, &names);
	if (quality_memo_recognised(memo, names[column], value))
		return;
	for (k = 0; k < q->unrecognised_count; k++)
		if (q->unrecognised[k].column == column &&
		    strcmp(q->unrecognised[k].value, value) == 0) {
			q->unrecognised[k].count++;
			return;
		}
	if (q->unrecognised_kept[column] >= QUALITY_UNRECOGNISED_KEEP) {
		q->unrecognised_more[column]++;
		return;
	}
	q->unrecognised = xgrow(q->unrecognised, &q->unrecognised_cap,
				q->unrecognised_count + 1,
				sizeof(*q->unrecognised));
	q->unrecognised[q->unrecognised_count].column = column;
	q->unrecognised[q->unrecognised_count].value = xstrdup(value);
	q->unrecognised[q->unrecognised_count].count = 1;
	q->unrecognised_count++;
	q->unrecognised_kept[column]++;
}

static void count_text(struct quality *q, size_t column, const char *text)
{
	if (text && text[0])
		q->present[column]++;
}

void quality_add_staff(struct quality *q, const struct store_staff *r)
{
	const char *coded[4];
	const size_t coded_columns[4] = { WF_SEX, WF_AGE_BAND, WF_DISABILITY,
					  WF_CONTRACT_TYPE };
	size_t k;

	q->rows++;
	q->ethnicity[r->ethnicity]++;
	if (r->ethnicity != ETH_NOT_KNOWN)
		q->present[WF_ETHNICITY]++;
	count_text(q, WF_PAY_BAND, r->pay_band);
	count_text(q, WF_GRADE, r->grade);
	count_text(q, WF_JOB_FAMILY, r->job_family);
	count_text(q, WF_SEX, r->sex);
	count_text(q, WF_AGE_BAND, r->age_band);
	count_text(q, WF_DISABILITY, r->disability);
	count_text(q, WF_CONTRACT_TYPE, r->contract_type);
	count_text(q, WF_START_DATE, r->start_date);
	count_text(q, WF_LEAVING_DATE, r->leaving_date);
	for (k = 0; k < STORE_EVENT_COUNT; k++)
		if (r->events[k] != STORE_NOT_GIVEN)
			q->present[WF_PROMOTED + k]++;
	coded[0] = r->sex;
	coded[1] = r->age_band;
	coded[2] = r->disability;
	coded[3] = r->contract_type;
	for (k = 0; k < 4; k++)
		if (coded[k] && coded[k][0])
			note_unrecognised(q, coded_columns[k], &q->memo[k],
					  coded[k]);
}

void quality_add_applicant(struct quality *q, const struct store_applicant *r)
{
	q->rows++;
	q->ethnicity[r->ethnicity]++;
	if (r->ethnicity != ETH_NOT_KNOWN)
		q->present[RC_ETHNICITY]++;
	count_text(q, RC_VACANCY_ID, r->vacancy_id);
	count_text(q, RC_PAY_BAND, r->pay_band);
	if (r->shortlisted)
		q->shortlisted++;
	if (r->appointed)
		q->appointed++;
}

/* R type 7 quantile of sorted v[0..n-1]. */
static double quantile(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

void quality_set_pay(struct quality *q, const double *sorted, size_t n)
{
	double q1, q3;
	size_t k;

	q->pay_known = true;
	q->outliers_low = q->outliers_high = 0;
	if (n == 0) {
		q->fence_low = q->fence_high = NAN;
		return;
	}
	q1 = quantile(sorted, n, 0.25);
	q3 = quantile(sorted, n, 0.75);
	q->fence_low = q1 - QUALITY_OUTLIER_IQR * (q3 - q1);
	q->fence_high = q3 + QUALITY_OUTLIER_IQR * (q3 - q1);
	for (k = 0; k < n; k++) {
		if (sorted[k] < q->fence_low)
			q->outliers_low++;
		else if (sorted[k] > q->fence_high)
			q->outliers_high++;
	}
}

/* ---- from the store ---- */

static int add_staff_cb(void *ctx, const struct store_staff *r)
{
	quality_add_staff(ctx, r);
	return 0;
}

static int add_applicant_cb(void *ctx, const struct store_applicant *r)
{
	quality_add_applicant(ctx, r);
	return 0;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int quality_previous_load(struct store *s, const struct store_submission *sub,
			  struct quality_previous *prev,
			  struct parity_error *err)
{
	struct store_submission old;
	struct store_aggregates agg;
	int found, e;

	memset(prev, 0, sizeof(*prev));
	prev->year = sub->year - 1;
	found = store_submission_current(s, sub->kind, sub->area_code,
					 sub->year - 1, &old, err);
	if (found <= 0)
		return found;
	if (store_aggregates_load_submissions(s, &old.id, 1, &agg, err) < 0)
		return -1;
	prev->found = true;
	for (e = 0; e < ETH_COUNT; e++) {
		long n = sub->kind == STORE_WORKFORCE ? (long)agg.pay_count[e]
						      : agg.applicants[e].applied;

		prev->rows += n;
		if (e == ETH_NOT_KNOWN)
			prev->not_known += n;
	}
	store_aggregates_release(&agg);
	return 0;
}

int quality_load(struct store *s, const struct store_submission *sub,
		 struct quality *q, struct quality_previous *prev,
		 struct parity_error *err)
{
	int rc;

	quality_init(q, sub->kind, sub->columns);
	if (sub->kind == STORE_WORKFORCE) {
		struct store_aggregates agg;
		double *all;
		size_t n = 0;
		int e;

		rc = store_staff_each(s, sub->id, add_staff_cb, q, err);
		if (rc < 0 || store_aggregates_load_submissions(
				      s, &sub->id, 1, &agg, err) < 0) {
			quality_release(q);
			return -1;
		}
		for (e = 0; e < ETH_COUNT; e++)
			n += agg.pay_count[e];
		all = xmalloc((n ? n : 1) * sizeof(*all));
		n = 0;
		for (e = 0; e < ETH_COUNT; e++) {
			if (agg.pay_count[e])
				memcpy(all + n, agg.pay[e],
				       agg.pay_count[e] * sizeof(*all));
			n += agg.pay_count[e];
		}
		qsort(all, n, sizeof(*all), compare_double);
		quality_set_pay(q, all, n);
		free(all);
		store_aggregates_release(&agg);
	} else {
		rc = store_applicant_each(s, sub->id, add_applicant_cb, q, err);
		if (rc < 0) {
			quality_release(q);
			return -1;
		}
	}
	if (quality_previous_load(s, sub, prev, err) < 0) {
		quality_release(q);
		return -1;
	}
	return 0;
}

/* ---- the report ---- */

static double percent(long part, long whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : NAN;
}

static struct tidy_row *add_row(struct tidy_table *t,
				const struct store_submission *sub,
				const struct area *area, const char *measure)
{
	struct tidy_row *r = tidy_table_add_row(t);

	r->measure = tidy_table_intern(t, measure);
	r->area_code = tidy_table_intern(t, area->code);
	r->area_name = tidy_table_intern(t, area->name);
	r->area_type = tidy_table_intern(t, area_type_name(area->type));
	r->year = sub->year;
	return r;
}

static void set_text(struct tidy_table *t, const char **field,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_text(struct tidy_table *t, const char **field,
		     const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	*field = tidy_table_intern(t, buf);
}

static void report_rates(const struct quality *q,
			 const struct store_submission *sub,
			 const struct area *area, struct tidy_table *t)
{
	struct tidy_row *r;

	r = add_row(t, sub, area, "not_known_rate");
	r->numerator = (double)q->ethnicity[ETH_NOT_KNOWN];
	r->denominator = (double)q->rows;
	r->value = percent(q->ethnicity[ETH_NOT_KNOWN], q->rows);
	if (r->value > QUALITY_NOT_KNOWN_HIGH)
		r->flag = tidy_table_intern(t, "high");
	set_text(t, &r->note, "ethnicity not known (blank, 'Not stated', "
		 "'Unknown'); flagged high over %.0f%%",
		 QUALITY_NOT_KNOWN_HIGH);
	r = add_row(t, sub, area, "prefer_not_to_say_rate");
	r->numerator = (double)q->ethnicity[ETH_PREFER_NOT_TO_SAY];
	r->denominator = (double)q->rows;
	r->value = percent(q->ethnicity[ETH_PREFER_NOT_TO_SAY], q->rows);
	if (r->value > QUALITY_NOT_KNOWN_HIGH)
		r->flag = tidy_table_intern(t, "high");
	set_text(t, &r->note, "ethnicity 'prefer not to say'; flagged high "
		 "over %.0f%%", QUALITY_NOT_KNOWN_HIGH);
}

static void report_completeness(const struct quality *q,
				const struct store_submission *sub,
				const struct area *area, struct tidy_table *t)
{
	const char *const *names;
	size_t n = quality_columns(q->kind, &names), k;

	for (k = 0; k < n; k++) {
		struct tidy_row *r = add_row(t, sub, area, "completeness_rate");

		r->breakdown = tidy_table_intern(t, names[k]);
		if (!q->supplied[k]) {
			r->flag = tidy_table_intern(t, "not supplied");
			set_text(t, &r->note, "the return has no such column");
			continue;
		}
		r->numerator = (double)q->present[k];
		r->denominator = (double)q->rows;
		r->value = percent(q->present[k], q->rows);
		if (k == 0)
			set_text(t, &r->note, "ethnicity is complete when it "
				 "is known ('prefer not to say' is an answer)");
		else if (q->kind == STORE_WORKFORCE && k == WF_LEAVING_DATE)
			set_text(t, &r->note, "leaving_date is blank for staff "
				 "who have not left: not flagged");
		else
			set_text(t, &r->note, "share of rows with a value; "
				 "flagged low under %.0f%%",
				 QUALITY_COMPLETENESS_LOW);
		if (r->value < QUALITY_COMPLETENESS_LOW &&
		    !(q->kind == STORE_WORKFORCE && k == WF_LEAVING_DATE))
			r->flag = tidy_table_intern(t, "low");
	}
}

static void report_unrecognised(const struct quality *q,
				const struct store_submission *sub,
				const struct area *area, struct tidy_table *t)
{
	const char *const *names;
	size_t n = quality_columns(q->kind, &names), k;

	for (k = 0; k < q->unrecognised_count; k++) {
		const struct quality_unrecognised *u = &q->unrecognised[k];
		struct tidy_row *r = add_row(t, sub, area, "unrecognised_count");

		set_text(t, &r->breakdown, "%s '%s'", names[u->column],
			 u->value);
		r->value = (double)u->count;
		r->flag = tidy_table_intern(t, "check");
		set_text(t, &r->note, "values parity does not recognise in a "
			 "coded column: stored as given; check the spelling "
			 "(see docs/formats/)");
	}
	for (k = 0; k < n; k++) {
		struct tidy_row *r;

		if (!q->unrecognised_more[k])
			continue;
		r = add_row(t, sub, area, "unrecognised_count");
		set_text(t, &r->breakdown, "%s (other values)", names[k]);
		r->value = (double)q->unrecognised_more[k];
		r->flag = tidy_table_intern(t, "check");
		set_text(t, &r->note, "values parity does not recognise in a "
			 "coded column: stored as given; check the spelling "
			 "(see docs/formats/)");
	}
}

/* 100384.2 as "100,384": whole pounds with thousands separators. */
static void pounds(double v, char *buf, size_t size)
{
	format_value(v, UNIT_COUNT, buf, size);
}

static void report_outliers(const struct quality *q,
			    const struct store_submission *sub,
			    const struct area *area, struct tidy_table *t)
{
	struct tidy_row *r;
	char low[32], high[32];

	if (!q->pay_known || q->rows == 0)
		return;
	r = add_row(t, sub, area, "salary_outlier_count");
	r->value = (double)(q->outliers_low + q->outliers_high);
	r->denominator = (double)q->rows;
	if (r->value > 0)
		r->flag = tidy_table_intern(t, "check");
	pounds(q->fence_low, low, sizeof(low));
	pounds(q->fence_high, high, sizeof(high));
	set_text(t, &r->note, "annual salaries outside Q1 - 3 x IQR to Q3 + "
		 "3 x IQR (here \xC2\xA3%s to \xC2\xA3%s): %ld below, %ld "
		 "above; check they are full-time-equivalent annual pay",
		 low, high, q->outliers_low, q->outliers_high);
}

static void report_change(const struct quality *q,
			  const struct store_submission *sub,
			  const struct area *area,
			  const struct quality_previous *prev,
			  struct tidy_table *t)
{
	const char *what = q->kind == STORE_WORKFORCE ? "staff" : "applicants";
	struct tidy_row *r;
	double before, now;

	if (!prev || !prev->found || prev->rows == 0)
		return;
	r = add_row(t, sub, area, "record_change_rate");
	r->numerator = (double)q->rows;
	r->denominator = (double)prev->rows;
	r->value = 100.0 * (double)(q->rows - prev->rows) / (double)prev->rows;
	if (fabs(r->value) > QUALITY_CHANGE_ROWS)
		r->flag = tidy_table_intern(t, "check");
	set_text(t, &r->note, "change in the number of %s since %d; flagged "
		 "check beyond +/-%.0f%%", what, prev->year,
		 QUALITY_CHANGE_ROWS);
	before = percent(prev->not_known, prev->rows);
	now = percent(q->ethnicity[ETH_NOT_KNOWN], q->rows);
	r = add_row(t, sub, area, "not_known_change_pp");
	r->value = now - before;
	if (fabs(r->value) > QUALITY_CHANGE_NOT_KNOWN)
		r->flag = tidy_table_intern(t, "check");
	set_text(t, &r->note, "change in the not-known rate since %d (%.1f%% "
		 "then), in percentage points; flagged check beyond +/-%.0f",
		 prev->year, before, QUALITY_CHANGE_NOT_KNOWN);
}

void quality_table(const struct quality *q, const struct store_submission *sub,
		   const struct area *area, const struct quality_previous *prev,
		   struct tidy_table *out)
{
	struct tidy_row *r;

	r = add_row(out, sub, area, q->kind == STORE_WORKFORCE
			  ? "staff_count" : "applicant_count");
	r->value = (double)q->rows;
	set_text(out, &r->note, "%s return, submission %lld (version %d)",
		 store_kind_name(sub->kind), (long long)sub->id, sub->version);
	report_rates(q, sub, area, out);
	report_completeness(q, sub, area, out);
	report_unrecognised(q, sub, area, out);
	report_outliers(q, sub, area, out);
	report_change(q, sub, area, prev, out);
}
