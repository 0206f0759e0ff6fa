/*
 * service_def.c - service definitions from JSON, and the ethnic groups
 * services record (see service_def.h).
 *
 * Every problem in a definition is located as FILE:LINE:COLUMN: syntax
 * errors where Jansson found them, and a definition that parses but is
 * wrong at the value at fault, found by walking the file's text.
 */
#include "domain/service_def.h"

#include "base/alloc.h"
#include "base/csv.h"
#include "base/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
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
	free(d->recording);
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

/* ---- where in the JSON: for located messages ---- */

/*
 * Jansson locates syntax errors (json_error_t's line and column) but keeps
 * no positions of the values it parses. A definition that parses but is
 * wrong is located by walking its text (already known to be valid JSON)
 * along the path of keys and indices to the value at fault: the value
 * itself, or the object that should have held a missing key.
 */
struct json_step {
	const char *key; /* a member, or NULL for an index */
	size_t index;
};

/* A definition file's text and name. */
struct def_source {
	const char *where;
	const char *text;
	size_t len;
};

static const char *json_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past a string starting at its opening quote. */
static const char *json_skip_string(const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++)
		if (*p == '\\' && p + 1 < end)
			p++;
	return p < end ? p + 1 : end;
}

/* Past any value starting at p (after white space). */
static const char *json_skip_value(const char *p, const char *end)
{
	int depth = 0;

	p = json_ws(p, end);
	if (p < end && *p == '"')
		return json_skip_string(p, end);
	if (p < end && *p != '{' && *p != '[') {
		while (p < end && *p != ',' && *p != '}' && *p != ']' &&
		       *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		return p;
	}
	for (; p < end; p++) {
		if (*p == '"') {
			p = json_skip_string(p, end) - 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if ((*p == '}' || *p == ']') && --depth == 0) {
			return p + 1;
		}
	}
	return end;
}

/* The value one step into the object or array at p, or NULL. */
static const char *json_step_into(const char *p, const char *end,
				  const struct json_step *step)
{
	size_t k = 0, klen;

	p = json_ws(p, end);
	if (p >= end || *p != (step->key ? '{' : '['))
		return NULL;
	p = json_ws(p + 1, end);
	while (p < end && *p != '}' && *p != ']') {
		if (step->key) {
			const char *key = p + 1;

			p = json_skip_string(p, end);
			klen = strlen(step->key);
			p = json_ws(p, end);
			if (p < end && *p == ':')
				p = json_ws(p + 1, end);
			if ((size_t)(p - key) >= klen + 1 &&
			    strncmp(key, step->key, klen) == 0 &&
			    key[klen] == '"')
				return p;
		} else if (k++ == step->index) {
			return p;
		}
		p = json_ws(json_skip_value(p, end), end);
		if (p < end && *p == ',')
			p = json_ws(p + 1, end);
	}
	return NULL;
}

/* The line and column (characters, 1-based) of the value at `path`, or of
 * the nearest value on the way to it that is there. */
static void json_locate(const struct def_source *src,
			const struct json_step *path, size_t depth,
			long *line, long *column)
{
	const char *end = src->text + src->len;
	const char *p = json_ws(src->text, end), *next, *s;
	size_t k;

	for (k = 0; k < depth && p; k++) {
		next = json_step_into(p, end, &path[k]);
		if (!next)
			break;
		p = next;
	}
	*line = 1;
	*column = 1;
	for (s = src->text; s < p; s++) {
		if (*s == '\n') {
			++*line;
			*column = 1;
		} else if (((unsigned char)*s & 0xC0) != 0x80) {
			++*column;
		}
	}
}

/* A definition's error, located at the value `path` leads to. */
static int def_error(const struct def_source *src,
		     const struct json_step *path, size_t depth,
		     struct parity_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int def_error(const struct def_source *src,
		     const struct json_step *path, size_t depth,
		     struct parity_error *err, const char *fmt, ...)
{
	char message[sizeof(err->message)];
	long line = 0, column = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (src->text)
		json_locate(src, path, depth, &line, &column);
	return parity_error_set(err, PARITY_ERR_VALIDATION, src->where, line,
				column, "%s", message);
}

/* Room for the deepest path: definition, "stages", stage, key, alias. */
#define PATH_MAX_STEPS 6

/* The path with one more step. */
static size_t path_push(struct json_step *path, size_t depth,
			const char *key, size_t index)
{
	path[depth].key = key;
	path[depth].index = index;
	return depth + 1;
}

/* ---- reading definitions ---- */

/* A string member, copied; NULL when absent. -1 when present but not a
 * string, or absent and required. `path` leads to the object. */
static int get_text(json_t *obj, const char *key, bool required, char **out,
		    const struct def_source *src, struct json_step *path,
		    size_t depth, struct parity_error *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v && !required)
		return 0;
	if (!v || !json_is_string(v) || json_string_length(v) == 0)
		return def_error(src, path, v ? path_push(path, depth, key, 0)
					       : depth, err,
				 "a service definition needs '%s' as text",
				 key);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int read_stage(json_t *o, struct service_stage *st, bool base,
		      const struct def_source *src, struct json_step *path,
		      size_t depth, struct parity_error *err)
{
	json_t *aliases, *a;
	size_t k;

	memset(st, 0, sizeof(*st));
	if (!json_is_object(o))
		return def_error(src, path, depth, err,
				 "each stage of a service is an object");
	if (get_text(o, "name", true, &st->name, src, path, depth, err) < 0 ||
	    get_text(o, "verb", false, &st->verb, src, path, depth, err) < 0 ||
	    get_text(o, "who", false, &st->who, src, path, depth, err) < 0 ||
	    get_text(o, "description", base, &st->description, src, path,
		     depth, err) < 0)
		return -1;
	aliases = json_object_get(o, "aliases");
	if (aliases && !json_is_array(aliases))
		return def_error(src, path,
				 path_push(path, depth, "aliases", 0), err,
				 "stage '%s': 'aliases' is a list of names",
				 st->name);
	if (aliases) {
		st->aliases = xcalloc(json_array_size(aliases) + 1,
				      sizeof(*st->aliases));
		json_array_foreach(aliases, k, a) {
			if (!json_is_string(a)) {
				size_t d = path_push(path, depth, "aliases", 0);

				d = path_push(path, d, NULL, k);
				return def_error(src, path, d, err,
						 "stage '%s': 'aliases' is a "
						 "list of names", st->name);
			}
			st->aliases[st->alias_count++] =
				xstrdup(json_string_value(a));
		}
	}
	return 0;
}

/* The index of the stage before `k` named `name`, or -1. */
static int stage_before(const struct service_def *d, size_t k,
			const char *name)
{
	size_t j;

	for (j = 0; j < k; j++)
		if (strcmp(d->stages[j].name, name) == 0)
			return (int)j;
	return -1;
}

/*
 * A stage's 'from' (the stage its rate is taken of) and 'within' (true:
 * its people or events are a subset of those at the 'from' stage; or the
 * name of an earlier stage they are a subset of).
 */
static int read_links(json_t *v, struct service_def *d, size_t k,
		      const struct def_source *src, struct json_step *path,
		      size_t depth, struct parity_error *err)
{
	struct service_stage *st = &d->stages[k];
	json_t *from = json_object_get(v, "from");
	json_t *within = json_object_get(v, "within");
	int j;

	st->from = k > 0 ? k - 1 : 0;
	if (from && k > 0) {
		j = json_is_string(from)
		    ? stage_before(d, k, json_string_value(from)) : -1;
		if (j < 0)
			return def_error(src, path,
					 path_push(path, depth, "from", 0), err,
					 "service '%s', stage '%s': 'from' "
					 "must name a stage before it",
					 d->name, st->name);
		st->from = (size_t)j;
	}
	if (!within || json_is_false(within))
		return 0;
	if (k == 0)
		return def_error(src, path, path_push(path, depth, "within", 0),
				 err, "service '%s', stage '%s': the base "
				 "cannot be 'within' another stage", d->name,
				 st->name);
	if (json_is_true(within)) {
		st->nested = true;
		st->within = st->from;
		return 0;
	}
	j = json_is_string(within)
	    ? stage_before(d, k, json_string_value(within)) : -1;
	if (j < 0)
		return def_error(src, path, path_push(path, depth, "within", 0),
				 err, "service '%s', stage '%s': 'within' is "
				 "true (within the stage its rate is taken "
				 "of) or names a stage before it", d->name,
				 st->name);
	st->nested = true;
	st->within = (size_t)j;
	return 0;
}

static int read_def(json_t *o, struct service_def *d,
		    const struct def_source *src, struct json_step *path,
		    size_t depth, struct parity_error *err)
{
	json_t *stages, *bases, *v;
	size_t k, sd;

	memset(d, 0, sizeof(*d));
	d->source = xstrdup(src->where);
	if (!json_is_object(o))
		return def_error(src, path, depth, err,
				 "a service definition is a JSON object");
	if (get_text(o, "service", true, &d->name, src, path, depth, err) < 0 ||
	    get_text(o, "title", true, &d->title, src, path, depth, err) < 0 ||
	    get_text(o, "people", true, &d->people, src, path, depth, err) < 0 ||
	    get_text(o, "recording", false, &d->recording, src, path, depth,
		     err) < 0)
		return -1;
	stages = json_object_get(o, "stages");
	if (!json_is_array(stages) || json_array_size(stages) < 2)
		return def_error(src, path,
				 stages ? path_push(path, depth, "stages", 0)
					: depth, err,
				 "service '%s' needs 'stages': a list of at "
				 "least two, the base first", d->name);
	d->stages = xcalloc(json_array_size(stages), sizeof(*d->stages));
	sd = path_push(path, depth, "stages", 0);
	json_array_foreach(stages, k, v) {
		size_t at = path_push(path, sd, NULL, k);

		if (read_stage(v, &d->stages[k], false, src, path, at,
			       err) < 0) {
			d->stage_count = k + 1;
			return -1;
		}
		d->stage_count = k + 1;
		if (read_links(v, d, k, src, path, at, err) < 0)
			return -1;
		if (k > 0 && (!d->stages[k].verb || !d->stages[k].who))
			return def_error(
				src, path, at, err,
				"service '%s', stage '%s': every stage after "
				"the base needs 'verb' and 'who' (how findings "
				"say it)", d->name, d->stages[k].name);
	}
	bases = json_object_get(o, "alternative_bases");
	if (bases && !json_is_array(bases))
		return def_error(src, path,
				 path_push(path, depth, "alternative_bases", 0),
				 err, "service '%s': 'alternative_bases' is "
				 "a list", d->name);
	if (bases && json_array_size(bases) > 0) {
		d->bases = xcalloc(json_array_size(bases), sizeof(*d->bases));
		sd = path_push(path, depth, "alternative_bases", 0);
		json_array_foreach(bases, k, v) {
			d->base_count = k + 1;
			if (read_stage(v, &d->bases[k], true, src, path,
				       path_push(path, sd, NULL, k), err) < 0)
				return -1;
		}
	}
	return 0;
}

/* Every name and alias of a service must name one stage. */
static int check_def(const struct service_def *d,
		     const struct def_source *src, struct json_step *path,
		     size_t depth, struct parity_error *err)
{
	size_t n = d->stage_count + d->base_count, i, j, a, at;

	for (i = 0; i < n; i++) {
		const struct service_stage *st = service_stage_at(d, i);

		for (a = 0; a <= st->alias_count; a++) {
			const char *label = a == 0 ? st->name : st->aliases[a - 1];

			j = (size_t)service_stage_find(d, label);
			if (j == i)
				continue;
			at = i < d->stage_count
			     ? path_push(path, depth, "stages", 0)
			     : path_push(path, depth, "alternative_bases", 0);
			at = path_push(path, at, NULL,
				       i < d->stage_count ? i
							  : i - d->stage_count);
			if (a == 0) {
				at = path_push(path, at, "name", 0);
			} else {
				at = path_push(path, at, "aliases", 0);
				at = path_push(path, at, NULL, a - 1);
			}
			return def_error(src, path, at, err,
					 "service '%s': '%s' names two stages",
					 d->name, label);
		}
	}
	return 0;
}

static int add_json(struct service_defs *defs, json_t *root,
		    const struct def_source *src, struct parity_error *err)
{
	size_t k, n = json_is_array(root) ? json_array_size(root) : 1;
	struct json_step path[PATH_MAX_STEPS];

	for (k = 0; k < n; k++) {
		json_t *o = json_is_array(root) ? json_array_get(root, k) : root;
		size_t depth = json_is_array(root)
			       ? path_push(path, 0, NULL, k) : 0;
		struct service_def d;

		if (read_def(o, &d, src, path, depth, err) < 0 ||
		    check_def(&d, src, path, depth, err) < 0) {
			def_release(&d);
			return -1;
		}
		if (service_def_find(defs, d.name)) {
			def_error(src, path,
				  path_push(path, depth, "service", 0), err,
				  "service '%s' is already defined", d.name);
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
	struct def_source src = { where, text, len };
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	int rc;

	if (!root)
		return parity_error_set(err, PARITY_ERR_PARSE, where, jerr.line,
					jerr.column, "%s", jerr.text);
	rc = add_json(defs, root, &src, err);
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

/* The largest definition file read. */
#define DEFINITIONS_MAX_MB 16
#define DEFINITIONS_MAX_BYTES ((size_t)DEFINITIONS_MAX_MB << 20)

int service_defs_load_file(struct service_defs *defs, const char *path,
			   struct parity_error *err)
{
	struct strbuf text = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f)
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot open file: %s",
					strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (text.len + n > DEFINITIONS_MAX_BYTES) {
			fclose(f);
			strbuf_release(&text);
			return parity_error_set(
				err, PARITY_ERR_VALIDATION, path, 0, 0,
				"the file is larger than %d MB: it is not a "
				"list of service definitions",
				DEFINITIONS_MAX_MB);
		}
		strbuf_add(&text, buf, n);
	}
	if (ferror(f)) {
		rc = parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				      "read failed: %s", strerror(errno));
		fclose(f);
		strbuf_release(&text);
		return rc;
	}
	fclose(f);
	rc = add_text(defs, text.buf, text.len, path, err);
	strbuf_release(&text);
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
