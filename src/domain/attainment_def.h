/*
 * attainment_def.h - the attainment measures parity knows (Attainment 8,
 * grade 5 or 4 or above in English and maths, the key stage 2 expected
 * standard), and how attainment returns' ethnic groups are read: the DfE
 * school census's groups, kept as they are (docs/formats/attainment.md).
 *
 * A measure is a score (a mean over pupils, with a range its mean and SD
 * must keep to) or a threshold (pupils reaching it). The list is compiled
 * in and read-only: nothing to initialise or free.
 *
 * Groups are service groups (service_def.h): the 2021 categories the
 * school census groups equal, the census's Traveller of Irish heritage and
 * Gypsy/Roma kept as recorded, the high-level groups for data that gives
 * only the DfE's major groups, and not known / prefer not to say.
 */
#ifndef PARITY_DOMAIN_ATTAINMENT_DEF_H
#define PARITY_DOMAIN_ATTAINMENT_DEF_H

#include "base/error.h"
#include "domain/ethnicity.h"

#include <stdbool.h>
#include <stddef.h>

enum attainment_kind {
	ATTAINMENT_SCORE,     /* a mean score: mean_score, and sd if known */
	ATTAINMENT_THRESHOLD  /* pupils reaching a threshold */
};

struct attainment_measure {
	const char *name;     /* 'attainment8' */
	const char *title;    /* 'Attainment 8' */
	enum attainment_kind kind;
	/* for findings: a score's noun ('Attainment 8 score'), or what
	 * reaching a threshold is ('achieved grade 5 or above in English and
	 * maths') */
	const char *phrase;
	double min, max;      /* a score's range; NAN for a threshold */
	/* The SD of pupils' scores assumed for a normal interval when a
	 * return gives none (--assumed-sd overrides it): parity's
	 * assumption, stated in every note that uses it; NAN for a
	 * threshold. */
	double assumed_sd;
	const char *aliases[4];  /* other names, NULL-ended */
};

/* Every measure, in the order reports list them. */
size_t attainment_measure_count(void);
const struct attainment_measure *attainment_measure_at(size_t index);
/* The measure a name or alias gives (case, spaces, hyphens and
 * underscores ignored), or NULL. */
const struct attainment_measure *attainment_measure_find(const char *name);
/* Its index in the list, or -1. */
int attainment_measure_index(const struct attainment_measure *m);

/*
 * Read an ethnic group as attainment returns give it: the DfE school
 * census codes that name a group no 2021 category equals (WIRT Traveller
 * of Irish heritage, WROM and WROO Gypsy/Roma) or none (NOBT not obtained,
 * REFU refused), then service_group_classify() (labels, the crosswalk of
 * the school census's own labels, codes under the classifier's code
 * system, high-level groups). 0 and `*out` a service group; -1 with `err`
 * holding the classifier's message (no location).
 */
int attainment_group_classify(const struct ethnicity_classifier *cls,
			      const char *label, int *out,
			      struct parity_error *err);

#endif
