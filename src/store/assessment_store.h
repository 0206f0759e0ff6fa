/*
 * assessment_store.h - councils' assessments against a framework and
 * their peer reviews, in the store (migration 0008; assessment_store.c).
 *
 * Plain rows in, plain rows out: what a level means, what the figures
 * suggest, who may do what and which audit entry a change writes are the
 * Standard's (src/standard/) and the hub's. The store keeps the rows and
 * its schema's promises: one assessment per framework, council and year
 * in versions; a submitted version can never be changed, deleted or added
 * to (triggers); a review is never deleted, its entries are fixed once it
 * is signed off, and the council's one response then closes it.
 *
 * Times are whole seconds since 1970-01-01 UTC; 0 means none. Numbers
 * that are not known are NAN.
 *
 * Writes must happen inside a transaction (store_begin()); reads work on
 * a store opened for reading only.
 *
 * Ownership: a struct assessment or struct review filled by a function
 * here owns its arrays and strings; the caller releases it with
 * assessment_release() or review_release() (safe on a zeroed struct, and
 * the struct may be reused after). Arrays of them are freed with
 * assessments_free().
 */
#ifndef PARITY_STORE_ASSESSMENT_STORE_H
#define PARITY_STORE_ASSESSMENT_STORE_H

#include "base/error.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A criterion of an assessment. */
struct assessment_criterion {
	char id[65];
	int level;            /* 1..the framework's levels; 0: not chosen */
	int suggested;        /* the level the figures suggested; 0: none */
	double figure;        /* the figure that suggested it; NAN: none */
	double figure_low, figure_high;
	char *reason;         /* why the level differs from the suggestion;
			       * "" when none */
	char *evidence;       /* the evidence in words; "" when none */
	char **links;         /* links to evidence */
	size_t nlinks;
	long line, column;    /* where it was in the file read (for located
			       * messages); 0 when not from a file */
};

/* A survey's answer to a question, for a service area ("" for the
 * council as a whole). */
struct assessment_answer {
	char question[65];
	char service_area[65];
	char *value;          /* an option's id, a number, or the text */
	long line, column;
};

/* An action of the plan. */
struct assessment_action {
	char criterion[65];
	char *description;
	char owner_role[129]; /* a role, never a person's name */
	char due[11];         /* YYYY-MM-DD */
	char status[16];      /* planned, in-progress, done, dropped */
	/* the measure it is meant to move, named as a framework link names
	 * one; measure "" when none */
	char measure[65];
	char breakdown[129];
	char ethnicity[129];
	char level[16];
	char service[65];
	int start_year;       /* the year of its starting value; 0: none */
	double start_value, start_numerator, start_denominator; /* NAN */
	long line, column;
};

struct assessment {
	int64_t id;           /* 0 until stored */
	char framework[65];
	int framework_version;
	char area_code[16];
	int year;
	int version;          /* 1, 2, ...: a new one after each submission */
	bool submitted;       /* false: a draft */
	bool share;           /* others may see its levels under its name */
	bool named;           /* a survey's free text may carry its name */
	long created_at;
	char created_by[256];
	long updated_at;
	long submitted_at;
	char submitted_by[256];
	struct assessment_criterion *criteria;
	size_t ncriteria;
	struct assessment_answer *answers;
	size_t nanswers;
	struct assessment_action *actions;
	size_t nactions;
};

void assessment_release(struct assessment *a);
/* Release and free `n` assessments and the array. */
void assessments_free(struct assessment *a, size_t n);

/*
 * Inside a transaction: write `a`. With a->id 0, as a new version (on
 * entry a->version says which; the store refuses one that exists);
 * otherwise over the draft with that id, its criteria, answers and
 * actions replaced (the store refuses if it was submitted). Sets a->id.
 * Writes a->submitted as given: a submitted assessment is written whole
 * and then frozen.
 */
int store_assessment_write(struct store *s, struct assessment *a,
			   struct parity_error *err);
/* Inside a transaction: submit the draft `id` (by, at). */
int store_assessment_submit(struct store *s, int64_t id, const char *by,
			    long at, struct parity_error *err);

/*
 * The newest version of the assessment of `framework` for `area_code` and
 * `year` (submitted only, when `submitted_only`): 1 and *out filled, 0
 * when there is none, -1 on error.
 */
int store_assessment_find(struct store *s, const char *framework,
			  const char *area_code, int year, bool submitted_only,
			  struct assessment *out, struct parity_error *err);
/* Assessment `id`: 1 and *out filled, 0 when there is none, -1. */
int store_assessment_get(struct store *s, int64_t id, struct assessment *out,
			 struct parity_error *err);

struct assessment_filter {
	const char *framework;   /* NULL: any */
	const char *area_code;   /* NULL: any */
	int year;                /* 0: any */
	bool submitted_only;
	bool newest_only;        /* the newest version of each (framework,
				  * council, year) only (among those the
				  * filter lets through) */
};

/* The assessments matching `f`, whole, ordered by framework, council,
 * year and version. The caller frees *out with assessments_free(). */
int store_assessments_list(struct store *s, const struct assessment_filter *f,
			   struct assessment **out, size_t *count,
			   struct parity_error *err);

/* ---- peer reviews ---- */

struct review_entry {
	char criterion[65];
	bool agree;           /* agrees with the council's level */
	int level;            /* the reviewer's level (the council's when
			       * agreeing) */
	char *comment;        /* "" when none */
	long recorded_at;
	char recorded_by[256];
	long line, column;
};

struct review {
	int64_t id;
	int64_t assessment_id;
	char reviewer_area[16];   /* the reviewing council */
	long assigned_at;
	char assigned_by[256];
	long signed_off_at;       /* 0: not yet */
	char signed_off_by[256];
	char *response;           /* the council's; NULL: none yet */
	long responded_at;
	char responded_by[256];
	struct review_entry *entries;
	size_t nentries;
};

void review_release(struct review *r);

/* Inside a transaction: add review `r` (assessment_id, reviewer_area,
 * assigned_at, assigned_by); sets r->id. One review per assessment: a
 * second is refused (PARITY_ERR_VALIDATION). */
int store_review_add(struct store *s, struct review *r,
		     struct parity_error *err);
/* The review of assessment `assessment_id`: 1 and *out filled, 0, -1. */
int store_review_for(struct store *s, int64_t assessment_id,
		     struct review *out, struct parity_error *err);
/* Inside a transaction: write entry `e` of review `review_id` (replacing
 * the criterion's earlier entry). */
int store_review_entry_put(struct store *s, int64_t review_id,
			   const struct review_entry *e,
			   struct parity_error *err);
/* Inside a transaction: sign review `id` off. */
int store_review_sign_off(struct store *s, int64_t id, const char *by,
			  long at, struct parity_error *err);
/* Inside a transaction: record the council's response to review `id`. */
int store_review_respond(struct store *s, int64_t id, const char *text,
			 const char *by, long at, struct parity_error *err);
/* The reviews assigned to council `reviewer_area` (NULL: every review),
 * by id. The caller releases each and frees the array. */
int store_reviews_list(struct store *s, const char *reviewer_area,
		       struct review **out, size_t *count,
		       struct parity_error *err);

#endif
