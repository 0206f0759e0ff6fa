/*
 * area.c - the built-in areas and their hierarchy (see area.h).
 */
#include "domain/area.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char parity_data_areas_csv[];
extern const size_t parity_data_areas_csv_len;

static const char *const type_names[] = {
	"borough", "subregion", "region", "local_authority", "country"
};

const char *area_type_name(enum area_type type)
{
	return type_names[type];
}

static int parse_type(const char *s, enum area_type *out)
{
	size_t k;

	for (k = 0; k < sizeof(type_names) / sizeof(type_names[0]); k++)
		if (strcmp(s, type_names[k]) == 0) {
			*out = (enum area_type)k;
			return 0;
		}
	return -1;
}

void area_set_free(struct area_set *set)
{
	size_t k;

	if (!set)
		return;
	for (k = 0; k < set->count; k++) {
		free(set->areas[k].code);
		free(set->areas[k].name);
	}
	free(set->areas);
	free(set);
}

int area_set_load(struct area_set **out, struct parity_error *err)
{
	static const char name[] = "data/areas.csv";
	struct area_set *set = xcalloc(1, sizeof(*set));
	struct csv_reader *r;
	struct csv_row row;
	size_t cap = 0, pcap = 1, k;
	char **parents = xcalloc(pcap, sizeof(*parents));
	int rc, status = -1;
	bool header = true;

	csv_reader_open_memory(&r, name, parity_data_areas_csv,
			       parity_data_areas_csv_len, err);
	while ((rc = csv_reader_next(r, &row, err)) > 0) {
		struct area *a;

		if (header) {
			header = false;
			continue;
		}
		if (row.count != 4) {
			parity_error_set(err, PARITY_ERR_INTERNAL, name,
					 row.line, 1, "expected 4 fields");
			goto out;
		}
		set->areas = xgrow(set->areas, &cap, set->count + 1,
				   sizeof(*set->areas));
		parents = xgrow(parents, &pcap, set->count + 1,
				sizeof(*parents));
		a = &set->areas[set->count];
		a->code = xstrdup(row.fields[0].text);
		a->name = xstrdup(row.fields[1].text);
		a->parent = -1;
		parents[set->count] = xstrdup(row.fields[3].text);
		set->count++;
		if (parse_type(row.fields[2].text, &a->type) < 0) {
			parity_error_set(err, PARITY_ERR_INTERNAL, name,
					 row.line, row.fields[2].column,
					 "unknown area type '%s'",
					 row.fields[2].text);
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	for (k = 0; k < set->count; k++) {
		if (!parents[k][0])
			continue;
		set->areas[k].parent = area_find(set, parents[k]);
		if (set->areas[k].parent < 0) {
			parity_error_set(err, PARITY_ERR_INTERNAL, name, 0, 0,
					 "unknown parent area '%s'", parents[k]);
			goto out;
		}
	}
	status = 0;
out:
	for (k = 0; k < set->count; k++)
		free(parents[k]);
	free(parents);
	csv_reader_free(r);
	if (status < 0)
		area_set_free(set);
	else
		*out = set;
	return status;
}

int area_find(const struct area_set *set, const char *code_or_name)
{
	size_t k;

	for (k = 0; k < set->count; k++)
		if (strcasecmp(set->areas[k].code, code_or_name) == 0)
			return (int)k;
	for (k = 0; k < set->count; k++)
		if (strcasecmp(set->areas[k].name, code_or_name) == 0)
			return (int)k;
	return -1;
}

int area_london(const struct area_set *set)
{
	return area_find(set, "E12000007");
}

bool area_within(const struct area_set *set, int inner, int outer)
{
	while (inner >= 0) {
		if (inner == outer)
			return true;
		inner = set->areas[inner].parent;
	}
	return false;
}

size_t area_leaves(const struct area_set *set, int index, int *out)
{
	size_t k, n = 0;

	for (k = 0; k < set->count; k++) {
		enum area_type t = set->areas[k].type;

		if ((t == AREA_BOROUGH || t == AREA_LOCAL_AUTHORITY) &&
		    area_within(set, (int)k, index))
			out[n++] = (int)k;
	}
	return n;
}
