/*
 * service_def.c - service definitions from JSON, and the ethnic groups
 * services record (see service_def.h).
 */
#include "domain/service_def.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char parity_data_youth_justice_json[];
extern const size_t parity_data_youth_justice_json_len;
extern const char parity_data_school_exclusions_json[];
extern const size_t parity_data_school_exclusions_json_len;
extern const char parity_data_stop_and_search_json[];
extern const size_t parity_data_stop_and_search_json_len;

/* ---- service groups ---- */

static const char *const extra_codes[] = { "WIRT", "WGYR" };
static const char *const extra_labels[] = {
	"White: Traveller of Irish heritage (school census)",
	"White: Gypsy/Roma (school census)",
};
static const char *const extra_notes[] = {
	"school census category 'Traveller of Irish heritage', kept as "
	"recorded: it is part of the 2021 group Gypsy or Irish Traveller, "
	"which also holds Gypsies",
	"school census category 'Gypsy/Roma', kept as recorded: it cannot be "
	"split between the 2021 groups Gypsy or Irish Traveller and Roma",
};

const char *service_group_code(int g)
{
	if (g >= 0 && g < ETHNICITY_DETAILED_COUNT)
		return ethnicity_category((enum ethnicity_id)g)->code;
	if (g == SVC_TRAVELLER_IRISH || g == SVC_GYPSY_ROMA)
		return extra_codes[g - SVC_TRAVELLER_IRISH];
	if (g >= SVC_HIGH_FIRST && g < SVC_NOT_KNOWN)
		return ethnicity_group_info(
			(enum ethnicity_group)(g - SVC_HIGH_FIRST))->code;
	if (g == SVC_NOT_KNOWN)
		return "NK";
	if (g == SVC_PREFER_NOT_TO_SAY)
		return "PNS";
	return "";
}

const char *service_group_label(int g)
{
	if (g >= 0 && g < ETHNICITY_DETAILED_COUNT)
		return ethnicity_category((enum ethnicity_id)g)->full_label;
	if (g == SVC_TRAVELLER_IRISH || g == SVC_GYPSY_ROMA)
		return extra_labels[g - SVC_TRAVELLER_IRISH];
	if (g >= SVC_HIGH_FIRST && g < SVC_NOT_KNOWN)
		return ethnicity_group_info(
			(enum ethnicity_group)(g - SVC_HIGH_FIRST))->label;
	if (g == SVC_NOT_KNOWN)
		return "Not known";
	if (g == SVC_PREFER_NOT_TO_SAY)
		return "Prefer not to say";
	return "";
}

enum ethnicity_group service_group_high(int g)
{
	if (g >= 0 && g < ETHNICITY_DETAILED_COUNT)
		return ethnicity_category((enum ethnicity_id)g)->group;
	if (g == SVC_TRAVELLER_IRISH || g == SVC_GYPSY_ROMA)
		return ETH_GROUP_WHITE;
	if (g >= SVC_HIGH_FIRST && g < SVC_NOT_KNOWN)
		return (enum ethnicity_group)(g - SVC_HIGH_FIRST);
	if (g == SVC_PREFER_NOT_TO_SAY)
		return ETH_GROUP_PREFER_NOT_TO_SAY;
	return ETH_GROUP_NOT_KNOWN;
}

bool service_group_is_detailed(int g)
{
	return g >= 0 && g < SVC_HIGH_FIRST;
}

bool service_group_is_declared(int g)
{
	return g >= 0 && g < SVC_NOT_KNOWN;
}

int service_group_find_code(const char *code)
{
	int g;

	for (g = 0; g < SVC_GROUP_COUNT; g++)
		if (strcasecmp(code, service_group_code(g)) == 0)
			return g;
	return -1;
}

const char *service_group_note(int g)
{
	if (g == SVC_TRAVELLER_IRISH || g == SVC_GYPSY_ROMA)
		return extra_notes[g - SVC_TRAVELLER_IRISH];
	return NULL;
}

/*
 * The service crosswalk, checked before the classifier. Labels are
 * compared normalised (ethnicity_normalise). The police's officer-defined
 * groups are White, Black, Asian and Other (no Mixed); their IC codes are
 * IC1 White - North European, IC2 White - South European, IC3 Black,
 * IC4 Asian, IC5 Chinese, Japanese or other South East Asian, IC6 Arab or
 * North African, IC9 and IC0 unknown. The Home Office counts IC5 and IC6
 * under Other, and so does parity: officer-defined 'Asian' is therefore
 * narrower than the 2021 Asian group, which includes Chinese.
 */
static const struct {
	const char *label;
	int group;
} crosswalk[] = {
	{ "gypsy/roma", SVC_GYPSY_ROMA },
	{ "gypsy roma", SVC_GYPSY_ROMA },
	{ "gypsy or roma", SVC_GYPSY_ROMA },
	{ "traveller of irish heritage", SVC_TRAVELLER_IRISH },
	{ "unclassified", SVC_NOT_KNOWN },
	{ "other", SVC_HIGH_FIRST + ETH_GROUP_OTHER },
	{ "ic1", SVC_HIGH_FIRST + ETH_GROUP_WHITE },
	{ "ic2", SVC_HIGH_FIRST + ETH_GROUP_WHITE },
	{ "ic3", SVC_HIGH_FIRST + ETH_GROUP_BLACK },
	{ "ic4", SVC_HIGH_FIRST + ETH_GROUP_ASIAN },
	{ "ic5", SVC_HIGH_FIRST + ETH_GROUP_OTHER },
	{ "ic6", SVC_HIGH_FIRST + ETH_GROUP_OTHER },
	{ "ic9", SVC_NOT_KNOWN },
	{ "ic0", SVC_NOT_KNOWN },
};

int service_group_classify(const struct ethnicity_classifier *cls,
			   const char *label, int *out,
			   struct parity_error *err)
{
	char norm[256], key[64];
	struct ethnicity_match m;
	size_t k;

	ethnicity_normalise(label, norm, sizeof(norm));
	for (k = 0; k < sizeof(crosswalk) / sizeof(crosswalk[0]); k++) {
		ethnicity_normalise(crosswalk[k].label, key, sizeof(key));
		if (strcmp(norm, key) == 0) {
			*out = crosswalk[k].group;
			return 0;
		}
	}
	if (ethnicity_classify(cls, label, &m, err) < 0)
		return -1;
	if (m.id < 0)
		*out = SVC_HIGH_FIRST + (int)m.group;
	else if (m.id == ETH_NOT_KNOWN)
		*out = SVC_NOT_KNOWN;
	else if (m.id == ETH_PREFER_NOT_TO_SAY)
		*out = SVC_PREFER_NOT_TO_SAY;
	else
		*out = m.id;
	return 0;
}

/* ---- definitions ---- */

static void stage_release(struct service_stage *st)
{
	size_t k;

	free(st->name);
	for (k = 0; k < st->alias_count; k++)
		free(st->aliases[k]);
	free(st->aliases);
	free(st->verb);
	free(st->who);
	free(st->description);
}

static void def_release(struct service_def *d)
{
	size_t k;

	free(d->name);
	free(d->title);
	free(d->people);
	for (k = 0; k < d->stage_count; k++)
		stage_release(&d->stages[k]);
	free(d->stages);
	for (k = 0; k < d->base_count; k++)
		stage_release(&d->bases[k]);
	free(d->bases);
	free(d->source);
}

void service_defs_free(struct service_defs *defs)
{
	size_t k;

	if (!defs)
		return;
	for (k = 0; k < defs->count; k++)
		def_release(&defs->defs[k]);
	free(defs->defs);
	free(defs);
}

/* A string member, copied; NULL when absent. -1 when present but not a
 * string, or absent and required. */
static int get_text(json_t *obj, const char *key, bool required, char **out,
		    const char *where, struct parity_error *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v && !required)
		return 0;
	if (!v || !json_is_string(v) || json_string_length(v) == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					"a service definition needs '%s' as "
					"text", key);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int read_stage(json_t *o, struct service_stage *st, bool base,
		      const char *where, struct parity_error *err)
{
	json_t *aliases, *a;
	size_t k;

	memset(st, 0, sizeof(*st));
	if (!json_is_object(o))
		return parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					"each stage of a service is an object");
	if (get_text(o, "name", true, &st->name, where, err) < 0 ||
	    get_text(o, "verb", false, &st->verb, where, err) < 0 ||
	    get_text(o, "who", false, &st->who, where, err) < 0 ||
	    get_text(o, "description", base, &st->description, where,
		     err) < 0)
		return -1;
	aliases = json_object_get(o, "aliases");
	if (aliases && !json_is_array(aliases))
		return parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					"stage '%s': 'aliases' is a list of "
					"names", st->name);
	if (aliases) {
		st->aliases = xcalloc(json_array_size(aliases) + 1,
				      sizeof(*st->aliases));
		json_array_foreach(aliases, k, a) {
			if (!json_is_string(a))
				return parity_error_set(
					err, PARITY_ERR_VALIDATION, where, 0, 0,
					"stage '%s': 'aliases' is a list of "
					"names", st->name);
			st->aliases[st->alias_count++] =
				xstrdup(json_string_value(a));
		}
	}
	return 0;
}

static int read_def(json_t *o, struct service_def *d, const char *where,
		    struct parity_error *err)
{
	json_t *stages, *bases, *v;
	size_t k;

	memset(d, 0, sizeof(*d));
	d->source = xstrdup(where);
	if (!json_is_object(o))
		return parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					"a service definition is a JSON object");
	if (get_text(o, "service", true, &d->name, where, err) < 0 ||
	    get_text(o, "title", true, &d->title, where, err) < 0 ||
	    get_text(o, "people", true, &d->people, where, err) < 0)
		return -1;
	stages = json_object_get(o, "stages");
	if (!json_is_array(stages) || json_array_size(stages) < 2)
		return parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					"service '%s' needs 'stages': a list "
					"of at least two, the base first",
					d->name);
	d->stages = xcalloc(json_array_size(stages), sizeof(*d->stages));
	json_array_foreach(stages, k, v) {
		if (read_stage(v, &d->stages[k], false, where, err) < 0) {
			d->stage_count = k + 1;
			return -1;
		}
		d->stage_count = k + 1;
		d->stages[k].from = k > 0 ? k - 1 : 0;
		if (k > 0 && json_object_get(v, "from")) {
			json_t *from = json_object_get(v, "from");
			size_t j;
			bool found = false;

			for (j = 0; j < k && json_is_string(from); j++)
				if (strcmp(d->stages[j].name,
					   json_string_value(from)) == 0) {
					d->stages[k].from = j;
					found = true;
				}
			if (!found)
				return parity_error_set(
					err, PARITY_ERR_VALIDATION, where, 0, 0,
					"service '%s', stage '%s': 'from' must "
					"name a stage before it",
					d->name, d->stages[k].name);
		}
		if (k > 0 && (!d->stages[k].verb || !d->stages[k].who))
			return parity_error_set(
				err, PARITY_ERR_VALIDATION, where, 0, 0,
				"service '%s', stage '%s': every stage after "
				"the base needs 'verb' and 'who' (how findings "
				"say it)", d->name, d->stages[k].name);
	}
	bases = json_object_get(o, "alternative_bases");
	if (bases && !json_is_array(bases))
		return parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					"service '%s': 'alternative_bases' is "
					"a list", d->name);
	if (bases && json_array_size(bases) > 0) {
		d->bases = xcalloc(json_array_size(bases), sizeof(*d->bases));
		json_array_foreach(bases, k, v) {
			d->base_count = k + 1;
			if (read_stage(v, &d->bases[k], true, where, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* Every name and alias of a service must name one stage. */
static int check_def(const struct service_def *d, const char *where,
		     struct parity_error *err)
{
	size_t n = d->stage_count + d->base_count, i, j, a;

	for (i = 0; i < n; i++) {
		const struct service_stage *st = service_stage_at(d, i);

		for (a = 0; a <= st->alias_count; a++) {
			const char *label = a == 0 ? st->name : st->aliases[a - 1];

			j = (size_t)service_stage_find(d, label);
			if (j != i)
				return parity_error_set(
					err, PARITY_ERR_VALIDATION, where, 0, 0,
					"service '%s': '%s' names two stages",
					d->name, label);
		}
	}
	return 0;
}

static int add_json(struct service_defs *defs, json_t *root, const char *where,
		    struct parity_error *err)
{
	size_t k, n = json_is_array(root) ? json_array_size(root) : 1;

	for (k = 0; k < n; k++) {
		json_t *o = json_is_array(root) ? json_array_get(root, k) : root;
		struct service_def d;

		if (read_def(o, &d, where, err) < 0 ||
		    check_def(&d, where, err) < 0) {
			def_release(&d);
			return -1;
		}
		if (service_def_find(defs, d.name)) {
			parity_error_set(err, PARITY_ERR_VALIDATION, where, 0, 0,
					 "service '%s' is already defined",
					 d.name);
			def_release(&d);
			return -1;
		}
		defs->defs = xrealloc(defs->defs,
				      (defs->count + 1) * sizeof(*defs->defs));
		defs->defs[defs->count++] = d;
	}
	return 0;
}

static int add_text(struct service_defs *defs, const char *text, size_t len,
		    const char *where, struct parity_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	int rc;

	if (!root)
		return parity_error_set(err, PARITY_ERR_PARSE, where, jerr.line,
					jerr.column, "%s", jerr.text);
	rc = add_json(defs, root, where, err);
	json_decref(root);
	return rc;
}

int service_defs_load(struct service_defs **out, struct parity_error *err)
{
	struct service_defs *defs = xcalloc(1, sizeof(*defs));

	*out = NULL;
	if (add_text(defs, parity_data_youth_justice_json,
		     parity_data_youth_justice_json_len,
		     "data/services/youth-justice.json", err) < 0 ||
	    add_text(defs, parity_data_school_exclusions_json,
		     parity_data_school_exclusions_json_len,
		     "data/services/school-exclusions.json", err) < 0 ||
	    add_text(defs, parity_data_stop_and_search_json,
		     parity_data_stop_and_search_json_len,
		     "data/services/stop-and-search.json", err) < 0) {
		service_defs_free(defs);
		return -1;
	}
	*out = defs;
	return 0;
}

int service_defs_load_file(struct service_defs *defs, const char *path,
			   struct parity_error *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	int rc;

	if (!root)
		return parity_error_set(err, PARITY_ERR_PARSE, path, jerr.line,
					jerr.column, "%s", jerr.text);
	rc = add_json(defs, root, path, err);
	json_decref(root);
	return rc;
}

/* 'Youth_Justice' -> 'youth-justice'. */
static void name_key(const char *name, char *out, size_t size)
{
	size_t n = 0;

	if (!name)
		name = "";
	for (; *name && n + 1 < size; name++)
		out[n++] = (*name == '_' || *name == ' ')
			   ? '-' : (char)tolower((unsigned char)*name);
	out[n] = '\0';
}

const struct service_def *service_def_find(const struct service_defs *defs,
					   const char *name)
{
	char want[128], have[128];
	size_t k;

	name_key(name, want, sizeof(want));
	for (k = 0; k < defs->count; k++) {
		name_key(defs->defs[k].name, have, sizeof(have));
		if (strcmp(want, have) == 0)
			return &defs->defs[k];
	}
	return NULL;
}

const struct service_stage *service_stage_at(const struct service_def *def,
					     size_t index)
{
	if (index < def->stage_count)
		return &def->stages[index];
	return &def->bases[index - def->stage_count];
}

int service_stage_find(const struct service_def *def, const char *label)
{
	char want[128], have[128];
	size_t n = def->stage_count + def->base_count, i, a;

	csv_header_normalise(label, want, sizeof(want));
	for (i = 0; i < n; i++) {
		const struct service_stage *st = service_stage_at(def, i);

		for (a = 0; a <= st->alias_count; a++) {
			csv_header_normalise(a == 0 ? st->name
					     : st->aliases[a - 1],
					     have, sizeof(have));
			if (strcmp(want, have) == 0)
				return (int)i;
		}
	}
	return -1;
}

/* ---- national areas ---- */

static const struct service_national_area nationals[] = {
	{ "E92000001", "England" },
	{ "K04000001", "England and Wales" },
};

const struct service_national_area *service_national_area_find(
	const char *code_or_name)
{
	size_t k;

	for (k = 0; k < sizeof(nationals) / sizeof(nationals[0]); k++)
		if (strcasecmp(code_or_name, nationals[k].code) == 0 ||
		    strcasecmp(code_or_name, nationals[k].name) == 0)
			return &nationals[k];
	return NULL;
}
