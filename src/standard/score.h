/*
 * score.h - scoring and benchmarking of assessments, as tidy tables: a
 * council's level per criterion, theme and overall; where it stands in
 * London's distribution; its progress over the years; its peer review;
 * its actions judged by whether their measures moved; and a survey's
 * answers aggregated by service area.
 *
 * The scoring rule (docs/frameworks.md, Scoring): levels are numbered 1
 * (the lowest) to the framework's last. A theme's score is the mean of
 * its criteria's levels, and its level that mean rounded down; the
 * overall score is the mean of the themes' scores (each theme counts the
 * same however many criteria it has), and the overall level that mean
 * rounded down. A theme with a criterion without a level has no score,
 * and then neither has the whole. Scores use the council's own levels;
 * a peer review's levels are shown beside them, never in their place.
 *
 * Benchmarking and sharing (docs/frameworks.md): only submitted
 * assessments count, the newest version of each. The London distribution
 * is counts of councils at each level, never names. A named council other
 * than the viewer's own is shown only when its assessment opted to share
 * (`share`); a survey's free text carries the council's name only when it
 * chose to be named (`named`), and otherwise reads 'a London council'.
 *
 * Rows (measure column; docs/frameworks.md lists them with their columns):
 *   standard_level, standard_theme_level, standard_overall_level,
 *   standard_suggested_level (assessment.h), standard_level_count,
 *   standard_theme_level_count, standard_overall_level_count,
 *   standard_review_level, standard_action_change, survey_answer_count,
 *   survey_free_text.
 *
 * Rows are appended to the caller's table; nothing else is kept.
 */
#ifndef PARITY_STANDARD_SCORE_H
#define PARITY_STANDARD_SCORE_H

#include "base/error.h"
#include "standard/assessment.h"
#include "standard/framework.h"
#include "store/assessment_store.h"
#include "table/table.h"

#include <stdbool.h>
#include <stddef.h>

struct standard_score {
	size_t nthemes;
	double *theme_score;  /* [nthemes]: mean level; NAN when a criterion
			       * has no level */
	int *theme_level;     /* [nthemes]: 0 when not scored */
	double overall_score; /* NAN when not scored */
	int overall_level;    /* 0 when not scored */
};

/* Score `a` against `f` by the rule above. Release with
 * standard_score_release(). */
void standard_score(const struct framework *f, const struct assessment *a,
		    struct standard_score *out);
void standard_score_release(struct standard_score *s);

/* Who is looking, for the sharing rule. */
struct standard_viewer {
	const char *area_code;  /* the viewer's council; NULL or "" for none
				 * (the public, or London-wide) */
	bool everyone;          /* London-wide roles that see every
				 * council's levels by name (analysts) */
};

/* One assessment's levels: standard_level per criterion (value the
 * level, flag its id, note the reason), standard_theme_level per theme
 * and standard_overall_level (value the score, flag the level's id). */
void standard_levels_table(const struct standard_data *d,
			   const struct framework *f,
			   const struct assessment *a, struct tidy_table *out);

/* The council's levels in every year it submitted an assessment of `f`
 * (its progress), oldest first. */
int standard_progress_table(const struct standard_data *d,
			    const struct framework *f, const char *area_code,
			    struct tidy_table *out, struct parity_error *err);

/* London's distribution in `year`: how many councils sit at each level,
 * per criterion, per theme and overall (area London; breakdown the
 * criterion or theme; flag the level; value the count; denominator the
 * councils with a level there). */
int standard_distribution_table(const struct standard_data *d,
				const struct framework *f, int year,
				struct tidy_table *out,
				struct parity_error *err);

/* The theme and overall levels of named councils in `year`: the viewer's
 * own, and others' only when they opted to share (or `everyone`). */
int standard_named_table(const struct standard_data *d,
			 const struct framework *f, int year,
			 const struct standard_viewer *viewer,
			 struct tidy_table *out, struct parity_error *err);

/* The peer review of the council's newest submitted assessment for
 * `year`: standard_review_level per entry (value the reviewer's level,
 * flag agree or differ, note the comment). 0 also when there is none. */
int standard_review_table(const struct standard_data *d,
			  const struct framework *f, const char *area_code,
			  int year, struct tidy_table *out,
			  struct parity_error *err);

/*
 * Actions judged by results: for each action with a measure in the
 * council's submitted assessments of years before `year` (the newest
 * version of each; an action carried into a later assessment is judged
 * once, from the one it began in), the change in its measure from its
 * start year to `year`: standard_action_change (value the change, numerator this
 * year's figure, denominator the start's, ci_low/ci_high the 95% interval
 * of the change, p_value its test, flag significant or not_significant,
 * note the action). Shares are compared as proportions (Newcombe's
 * interval, the two-proportion z-test); ratios on the log scale from
 * their intervals; other measures without a test.
 */
int standard_action_results(const struct standard_data *d,
			    const struct framework *f, const char *area_code,
			    int year, struct tidy_table *out,
			    struct parity_error *err);

/* A survey's submitted answers in `year`, aggregated by service area and
 * question (survey_answer_count), and its free text (survey_free_text),
 * named only as the sharing rule allows. */
int standard_survey_table(const struct standard_data *d,
			  const struct framework *f, int year,
			  const struct standard_viewer *viewer,
			  struct tidy_table *out, struct parity_error *err);

/* The newest year in which any council (or `area_code`, when not NULL)
 * submitted an assessment of `f`: 1 and *year, 0 when none, -1. */
int standard_latest_year(struct store *s, const struct framework *f,
			 const char *area_code, int *year,
			 struct parity_error *err);

#endif
