/*
 * ethnicity_codes.c - the code systems by name, and the reference data the
 * classifier reads from data/ethnicity/ (see ethnicity.h and
 * ethnicity_internal.h).
 *
 * Owns: the names of the code systems; the loading of the code lists (NHS,
 * DfE, police self-defined and officer-defined), the write-in table and
 * DfE's open-data identifiers from the files compiled into the binary
 * (tools/embed.c). They are loaded once, on first use, under pthread_once,
 * and kept read-only for the life of the process, so that a match's note
 * can point into them and outlive any classifier. Their sources are in
 * data/PROVENANCE.md.
 *
 * Every file is CSV with a header. A code list has `code,label,category,
 * note`; the write-in table `write_in,category,note`; the identifiers
 * `identifier,category,note`. A category is a stable code (WBRI, NK, PNS),
 * a group's code (W, M, A, B, O) for a reading that names only the group,
 * several stable codes joined by '|' for a reading that could be any of
 * them, or MERGED for one that merges groups. A code list may give a code
 * more than once (other wordings of it), and a row with no code gives only
 * a wording the list uses.
 */
#include "domain/ethnicity_internal.h"

#include "base/alloc.h"
#include "base/csv.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const char parity_data_nhs_ethnic_category_csv[];
extern const size_t parity_data_nhs_ethnic_category_csv_len;
extern const char parity_data_dfe_school_census_csv[];
extern const size_t parity_data_dfe_school_census_csv_len;
extern const char parity_data_police_self_defined_csv[];
extern const size_t parity_data_police_self_defined_csv_len;
extern const char parity_data_police_officer_defined_csv[];
extern const size_t parity_data_police_officer_defined_csv_len;
extern const char parity_data_write_ins_csv[];
extern const size_t parity_data_write_ins_csv_len;
extern const char parity_data_dfe_open_data_csv[];
extern const size_t parity_data_dfe_open_data_csv_len;

/* ---- code systems by name ---- */

static const char *const system_names[ETH_CODE_SYSTEM_COUNT] = {
	[ETH_CODES_NONE] = "none",
	[ETH_CODES_NHS] = "nhs",
	[ETH_CODES_DFE] = "dfe",
	[ETH_CODES_POLICE_SDE] = "police-sde",
	[ETH_CODES_POLICE_ODE] = "police-ode",
};

static const char *const system_titles[ETH_CODE_SYSTEM_COUNT] = {
	[ETH_CODES_NONE] = "parity's own codes",
	[ETH_CODES_NHS] = "the NHS list (nhs)",
	[ETH_CODES_DFE] = "the DfE school census list (dfe)",
	[ETH_CODES_POLICE_SDE] = "the police self-defined list (police-sde)",
	[ETH_CODES_POLICE_ODE] = "the police officer-defined list (police-ode)",
};

int ethnicity_code_system_parse(const char *name,
				enum ethnicity_code_system *out,
				struct parity_error *err)
{
	const char *s = name ? name : "";
	size_t len = strlen(s), k;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (k = 0; k < ETH_CODE_SYSTEM_COUNT; k++)
		if (strlen(system_names[k]) == len &&
		    strncasecmp(system_names[k], s, len) == 0) {
			*out = (enum ethnicity_code_system)k;
			return 0;
		}
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"unknown code system '%.*s': use nhs, dfe, "
				"police-sde or police-ode (or none)",
				(int)(len > QUOTE_MAX ? QUOTE_MAX : len), s);
}

const char *ethnicity_code_system_name(enum ethnicity_code_system system)
{
	if ((unsigned)system >= ETH_CODE_SYSTEM_COUNT)
		return NULL;
	return system_names[system];
}

const char *eth_code_system_title(enum ethnicity_code_system system)
{
	if ((unsigned)system >= ETH_CODE_SYSTEM_COUNT)
		return "";
	return system_titles[system];
}

enum eth_ref eth_ref_of(enum ethnicity_code_system system)
{
	switch (system) {
	case ETH_CODES_NHS:
		return ETH_REF_NHS;
	case ETH_CODES_DFE:
		return ETH_REF_DFE;
	case ETH_CODES_POLICE_SDE:
		return ETH_REF_POLICE_SDE;
	case ETH_CODES_POLICE_ODE:
		return ETH_REF_POLICE_ODE;
	case ETH_CODES_NONE:
	case ETH_CODE_SYSTEM_COUNT:
		break;
	}
	return ETH_REF_PARITY;
}

/* ---- the reference data ---- */

struct ref_source {
	const char *file;
	const char *data;
	const size_t *len;
	const char *label_column; /* "label", "write_in" or "identifier" */
	bool has_code;
};

static const struct ref_source sources[ETH_REF_COUNT] = {
	[ETH_REF_PARITY] = { NULL, NULL, NULL, NULL, false },
	[ETH_REF_NHS] = { "data/ethnicity/nhs-ethnic-category.csv",
		parity_data_nhs_ethnic_category_csv,
		&parity_data_nhs_ethnic_category_csv_len, "label", true },
	[ETH_REF_DFE] = { "data/ethnicity/dfe-school-census.csv",
		parity_data_dfe_school_census_csv,
		&parity_data_dfe_school_census_csv_len, "label", true },
	[ETH_REF_POLICE_SDE] = { "data/ethnicity/police-self-defined.csv",
		parity_data_police_self_defined_csv,
		&parity_data_police_self_defined_csv_len, "label", true },
	[ETH_REF_POLICE_ODE] = { "data/ethnicity/police-officer-defined.csv",
		parity_data_police_officer_defined_csv,
		&parity_data_police_officer_defined_csv_len, "label", true },
	[ETH_REF_WRITE_INS] = { "data/ethnicity/write-ins.csv",
		parity_data_write_ins_csv, &parity_data_write_ins_csv_len,
		"write_in", false },
	[ETH_REF_DFE_OPEN_DATA] = { "data/ethnicity/dfe-open-data.csv",
		parity_data_dfe_open_data_csv,
		&parity_data_dfe_open_data_csv_len, "identifier", false },
};

/* Loaded once; read-only afterwards. */
static pthread_once_t ref_once = PTHREAD_ONCE_INIT;
static struct eth_ref_list ref_lists[ETH_REF_COUNT];
static struct parity_error ref_error = PARITY_ERROR_INIT;
static int ref_status;

static const char *const group_codes[ETHNICITY_HIGH_COUNT] = {
	"W", "M", "A", "B", "O"
};

/* Parse a category (see the file's comment) into `row`. */
static int parse_category(const char *text, struct eth_ref_row *row)
{
	const char *p = text;

	row->candidates = 0;
	row->merged = false;
	if (strcmp(text, "MERGED") == 0) {
		row->merged = true;
		return 0;
	}
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		char one[16];
		int id;
		size_t g;

		if (len == 0 || len >= sizeof(one))
			return -1;
		memcpy(one, p, len);
		one[len] = '\0';
		id = ethnicity_find_code(one);
		if (id >= 0) {
			row->candidates |= CAND_ID(id);
		} else {
			for (g = 0; g < ETHNICITY_HIGH_COUNT; g++)
				if (strcmp(one, group_codes[g]) == 0)
					break;
			if (g == ETHNICITY_HIGH_COUNT)
				return -1;
			row->candidates |= CAND_GROUP(g);
		}
		p += len;
		if (*p == '|')
			p++;
	}
	/* a group joins no other candidate */
	if ((row->candidates >> CAND_GROUP_BASE) != 0 &&
	    eth_count_bits(row->candidates) != 1)
		return -1;
	return row->candidates ? 0 : -1;
}

/*
 * What is said after the candidates of a reading that could be several:
 * its note, or for a write-in the groups ONS places it in.
 */
static const char *why_for(enum eth_ref which, const struct eth_ref_row *row)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t seen = 0;
	size_t groups = 0;
	int id;

	if (row->merged || eth_count_bits(row->candidates) < 2)
		return NULL;
	if (row->note) {
		strbuf_addf(&sb, ": %s", row->note);
		return strbuf_detach(&sb, NULL);
	}
	if (which != ETH_REF_WRITE_INS)
		return NULL;
	for (id = 0; id < ETH_COUNT; id++) {
		enum ethnicity_group g;

		if (!(row->candidates & CAND_ID(id)))
			continue;
		g = ethnicity_category((enum ethnicity_id)id)->group;
		if (seen & (1u << g))
			continue;
		seen |= 1u << g;
		strbuf_addstr(&sb, groups++ ? "; " : "");
		strbuf_addstr(&sb, ethnicity_group_info(g)->label);
	}
	if (groups < 2) {
		strbuf_release(&sb);
		return ": the write-in does not say which";
	}
	{
		struct strbuf why = STRBUF_INIT;

		strbuf_addf(&why, ": the ONS 2021 classification places this "
			    "write-in in more than one group (%s), by the "
			    "heading it is written under", sb.buf);
		strbuf_release(&sb);
		return strbuf_detach(&why, NULL);
	}
}

static int column_of(const struct csv_row *header, const char *name)
{
	size_t k;

	for (k = 0; k < header->count; k++)
		if (strcmp(header->fields[k].text, name) == 0)
			return (int)k;
	return -1;
}

static int load_one(enum eth_ref which, struct parity_error *err)
{
	const struct ref_source *src = &sources[which];
	struct eth_ref_list *list = &ref_lists[which];
	struct eth_ref_row *rows = NULL;
	struct csv_reader *r;
	struct csv_row row;
	size_t cap = 0, count = 0;
	int code_col = -1, label_col, category_col, note_col, got;
	int status = -1;

	list->file = src->file;
	if (csv_reader_open_memory(&r, src->file, src->data, *src->len,
				   err) < 0)
		return -1;
	got = csv_reader_next(r, &row, err);
	if (got <= 0) {
		if (got == 0)
			parity_error_set(err, PARITY_ERR_INTERNAL, src->file,
					 0, 0, "the file is empty");
		goto out;
	}
	if (src->has_code)
		code_col = column_of(&row, "code");
	label_col = column_of(&row, src->label_column);
	category_col = column_of(&row, "category");
	note_col = column_of(&row, "note");
	if ((src->has_code && code_col < 0) || label_col < 0 ||
	    category_col < 0 || note_col < 0) {
		parity_error_set(err, PARITY_ERR_INTERNAL, src->file, row.line,
				 1, "the header lacks a column parity needs");
		goto out;
	}
	while ((got = csv_reader_next(r, &row, err)) > 0) {
		struct eth_ref_row *e;
		const char *code, *note;

		if (row.count != (size_t)(src->has_code ? 4 : 3)) {
			parity_error_set(err, PARITY_ERR_INTERNAL, src->file,
					 row.line, 1, "the row has %zu fields",
					 row.count);
			goto out;
		}
		rows = xgrow(rows, &cap, count + 1, sizeof(*rows));
		e = &rows[count];
		memset(e, 0, sizeof(*e));
		if (parse_category(row.fields[category_col].text, e) < 0 ||
		    row.fields[label_col].len == 0) {
			parity_error_set(err, PARITY_ERR_INTERNAL, src->file,
					 row.line,
					 row.fields[category_col].column,
					 "bad category '%s' or blank label",
					 row.fields[category_col].text);
			goto out;
		}
		code = code_col >= 0 ? row.fields[code_col].text : "";
		note = row.fields[note_col].text;
		e->code = *code ? xstrdup(code) : NULL;
		e->label = xstrdup(row.fields[label_col].text);
		e->note = *note ? xstrdup(note) : NULL;
		e->why = why_for(which, e);
		count++;
	}
	if (got == 0)
		status = 0;
out:
	csv_reader_free(r);
	/* kept even on failure: nothing reads them then, and they stay
	 * reachable from here */
	list->rows = rows;
	list->count = count;
	if (status < 0 && err->code != PARITY_ERR_INTERNAL) {
		char message[sizeof(err->message)];

		memcpy(message, err->message, sizeof(message));
		parity_error_set(err, PARITY_ERR_INTERNAL, src->file,
				 err->line, err->column, "%s", message);
	}
	return status;
}

static void load_all(void)
{
	size_t k;

	for (k = 0; k < ETH_REF_COUNT; k++) {
		if (!sources[k].file)
			continue;
		if (load_one((enum eth_ref)k, &ref_error) < 0) {
			ref_status = -1;
			return;
		}
	}
	ref_status = 0;
}

int eth_ref_lists(const struct eth_ref_list **out, struct parity_error *err)
{
	pthread_once(&ref_once, load_all);
	if (ref_status < 0) {
		if (err)
			*err = ref_error;
		return -1;
	}
	*out = ref_lists;
	return 0;
}

const char *ethnicity_code_label(enum ethnicity_code_system system,
				 const char *code)
{
	const struct eth_ref_list *lists;
	const struct eth_ref_list *list;
	size_t k, len;

	if (!code || system == ETH_CODES_NONE ||
	    (unsigned)system >= ETH_CODE_SYSTEM_COUNT ||
	    eth_ref_lists(&lists, NULL) < 0)
		return NULL;
	while (*code == ' ' || *code == '\t')
		code++;
	len = strlen(code);
	while (len > 0 && (code[len - 1] == ' ' || code[len - 1] == '\t'))
		len--;
	list = &lists[eth_ref_of(system)];
	for (k = 0; k < list->count; k++)
		if (list->rows[k].code && strlen(list->rows[k].code) == len &&
		    strncasecmp(list->rows[k].code, code, len) == 0)
			return list->rows[k].label;
	return NULL;
}
