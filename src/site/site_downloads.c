/*
 * site_downloads.c - a release's downloads: a tidy CSV per published table
 * (render.c's CSV, "[c]" where a figure is withheld), a CSVW metadata file
 * beside each (NAME.csv-metadata.json, W3C "Metadata Vocabulary for
 * Tabular Data": title, source, publisher, date, release, notes, and the
 * columns with their titles, descriptions and types, "[c]" declared as a
 * null marker, and the Open Government Licence), and one Excel workbook
 * of every table, named for the year and release (xlsx.c: a cover sheet
 * with the release, dates, source, licence, contact and contents, a sheet
 * per measure named in words, and a Notes sheet); and a CSV of each
 * area's workforce rows alone (downloads/areas/). The tables are the
 * workforce, each service published, and attainment
 * (downloads/attainment-PERIOD.csv, its sheets 'Pupils', 'Gap in mean
 * score', ... in the workbook) when the store holds any for the year.
 * Every table here is one of struct site's, which hold only
 * disclosure-controlled figures.
 */
#include "site/site_internal.h"

#include "base/clock.h"
#include "table/render.h"
#include "table/xlsx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void site_download_name(const struct site *s, size_t service, char *buf,
			size_t size)
{
	if (service == SITE_WORKFORCE)
		snprintf(buf, size, "workforce-%d", s->opt->year);
	else if (service == SITE_ATTAINMENT)
		snprintf(buf, size, "attainment-%s", s->attainment.period);
	else
		snprintf(buf, size, "%s-%s", s->services[service].def->name,
			 s->services[service].period);
}

static const char ATTAINMENT_SOURCE[] =
	"Attainment returns of the London boroughs (pupils, mean score, SD "
	"and pupils reaching a threshold by school-census ethnic group; "
	"docs/formats/attainment.md), pooled for Inner London, Outer London, "
	"London, the partnerships and groups of boroughs";

static const char WORKFORCE_SOURCE[] =
	"Workforce returns of the 32 London boroughs and the City of London "
	"(staff in post at 31 March), pooled for Inner London, Outer London "
	"and London; residents from Census 2021, table TS021 (ONS)";

static void title_of(const struct site *s, size_t service, char *buf,
		     size_t size)
{
	if (service == SITE_WORKFORCE)
		snprintf(buf, size, "Council workforce by ethnic group, London, "
			 "%d", s->opt->year);
	else if (service == SITE_ATTAINMENT)
		snprintf(buf, size, "Attainment by ethnic group (school "
			 "census), London, %s, with the years before it",
			 s->attainment.period);
	else
		snprintf(buf, size, "%s by ethnic group, London, %s",
			 s->services[service].def->title,
			 s->services[service].period);
}

/* Append the text `text` to the array `list`; -1 when Jansson fails. */
static int add_note(json_t *list, const char *text)
{
	return json_array_append_new(list, json_string(text));
}

/*
 * The CSVW metadata of a download, or NULL when Jansson fails (it refuses
 * text that is not UTF-8; site_publish() checks the correction note before
 * anything is written, so that would be a bug). Every call is checked: a
 * note or column is never silently left out.
 */
static json_t *metadata(const struct site *s, size_t service,
			const char *csv_name)
{
	json_t *columns = json_array(), *notes = json_array(), *root = NULL;
	struct strbuf correction = STRBUF_INIT;
	char title[256], version[64], note[512];
	int c, bad = !columns || !notes;

	for (c = 0; !bad && c < TIDY_COLUMN_COUNT; c++) {
		enum tidy_column col = (enum tidy_column)c;
		bool number = tidy_column_is_number(col) && col != TIDY_YEAR;
		json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "name",
				      tidy_column_name(col), "titles",
				      tidy_column_title(col),
				      "dc:description",
				      tidy_column_description(col), "datatype",
				      number ? "number" : "string");

		if (d && number &&
		    json_object_set_new(d, "null",
					json_pack("[s, s]", "",
						  TIDY_WITHHELD)) < 0) {
			json_decref(d);
			d = NULL;
		}
		bad = json_array_append_new(columns, d) < 0;
	}
	snprintf(note, sizeof(note),
		 "%s marks a figure withheld to protect confidentiality: it "
		 "rests on fewer than %g people, or would let such a figure be "
		 "worked out from others. It may be any number, zero "
		 "included.", TIDY_WITHHELD,
		 s->opt->sdc.k);
	bad = bad || add_note(notes, note) < 0;
	bad = bad || add_note(notes,
		"A figure written as '<' and a number is below that number: a "
		"p-value below 0.001 is given as <0.001.") < 0;
	if (!bad && s->opt->sdc.round_to > 1) {
		snprintf(note, sizeof(note), "Counts are rounded to the nearest "
			 "%g; shares, rates and ratios are computed from the "
			 "exact counts.", s->opt->sdc.round_to);
		bad = add_note(notes, note) < 0;
	}
	bad = bad || add_note(notes,
		"Ethnic groups follow the ONS 2021 classification: the "
		"ethnicity_level column says whether a row is one of the 19 "
		"detailed groups or the 5 high-level groups. Shares and rates "
		"of people are percentages; service rates are per 1,000.") < 0;
	bad = bad || (service == SITE_ATTAINMENT &&
		      add_note(notes,
			"Attainment: groups are the school census's; the "
			"breakdown column names the attainment measure "
			"(attainment8, grade5_eng_maths, ...); gaps are in "
			"points of the measure's score against the reference "
			"group the note names; the year column gives the "
			"academic year, and a trend's the years it spans. "
			"Rows of the years before the release's year are "
			"those the trend rests on.") < 0);
	if (!bad && s->correction) {
		/* whole, however long: cut short, it could end mid-character */
		strbuf_addf(&correction, "Correction: %s", s->correction);
		bad = add_note(notes, correction.buf) < 0;
	}
	strbuf_release(&correction);
	title_of(s, service, title, sizeof(title));
	snprintf(version, sizeof(version), "release %d", s->release);
	if (!bad)
		root = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}, s:s, s:s, "
				 "s:s, s:i, s:s, s:O, s:{s:O}}",
				 "@context", "http://www.w3.org/ns/csvw", "url",
				 csv_name, "dc:title", title, "dc:description",
				 "Tidy data: one row per published figure, "
				 "with its 95% interval, the counts it rests "
				 "on, a flag and notes. Every figure is "
				 "disclosure-controlled.",
				 "dc:license", "@id", SITE_OGL_URL,
				 "dc:source",
				 service == SITE_WORKFORCE
					 ? WORKFORCE_SOURCE
				 : service == SITE_ATTAINMENT
					 ? ATTAINMENT_SOURCE
					 : "Service returns from partners "
					   "(counts by ethnic group and stage), "
					   "pooled for London",
				 "dc:publisher", "London Councils", "dc:issued",
				 s->opt->date, "dc:temporal", s->opt->year,
				 "schema:version", version, "notes", notes,
				 "tableSchema", "columns", columns);
	json_decref(columns);
	json_decref(notes);
	return root;
}

/* The CSV of `t` as bytes. */
static int csv_bytes(const struct tidy_table *t, char **buf, size_t *len,
		     struct parity_error *err)
{
	FILE *f = open_memstream(buf, len);
	int rc;

	if (!f)
		return parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
					"out of memory writing a CSV");
	rc = table_write_csv(t, f, err);
	if (fclose(f) != 0 && rc == 0)
		rc = parity_error_set(err, PARITY_ERR_IO, NULL, 0, 0,
				      "cannot write a CSV");
	return rc;
}

int site_write_csv(struct site *s, const struct site_copy *c,
		   const char *rel, const struct tidy_table *t,
		   unsigned long long *size, struct parity_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = csv_bytes(t, &buf, &len, err);

	if (rc == 0)
		rc = site_write_file(s, c, rel, buf, len, err);
	free(buf);
	if (rc == 0 && size)
		*size = (unsigned long long)len;
	return rc;
}

static int write_table(struct site *s, const struct site_copy *c,
		       const struct tidy_table *t, size_t service,
		       struct parity_error *err)
{
	char name[128], rel[256], csv_name[160];
	char *buf = NULL, *meta;
	size_t len = 0;
	json_t *root;
	int rc;

	site_download_name(s, service, name, sizeof(name));
	snprintf(csv_name, sizeof(csv_name), "%s.csv", name);
	snprintf(rel, sizeof(rel), "downloads/%s", csv_name);
	rc = csv_bytes(t, &buf, &len, err);
	if (rc == 0)
		rc = site_write_file(s, c, rel, buf, len, err);
	free(buf);
	if (rc < 0)
		return -1;
	root = metadata(s, service, csv_name);
	meta = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
		    : NULL;
	json_decref(root);
	snprintf(rel, sizeof(rel), "downloads/%s.csv-metadata.json", name);
	if (!meta)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"cannot make the CSVW metadata of %s "
					"(JSON)", csv_name);
	rc = site_write_file(s, c, rel, meta, strlen(meta), err);
	free(meta);
	return rc;
}

void site_workbook_name(const struct site *s, char *buf, size_t size)
{
	snprintf(buf, size, "london-race-equality-%d-release-%d.xlsx",
		 s->opt->year, s->release);
}

static int write_workbook(struct site *s, const struct site_copy *c,
			  struct parity_error *err)
{
	struct tidy_table all;
	struct strbuf title = STRBUF_INIT, withheld = STRBUF_INIT;
	char rel[128], tmp[4300], name[96], published[CLOCK_WORDS_SIZE],
		next[CLOCK_WORDS_SIZE], due[32], contact[320], release[32];
	struct xlsx_cover_line lines[8];
	struct xlsx_cover cover;
	size_t k, n = 0;
	int rc;

	tidy_table_init(&all);
	tidy_table_append(&all, &s->workforce);
	for (k = 0; k < s->nservices; k++)
		tidy_table_append(&all, &s->services[k].table);
	tidy_table_append(&all, &s->attainment.table);
	clock_date_words(s->opt->date, published, sizeof(published));
	site_next_update(s, due, sizeof(due));
	clock_date_words(due, next, sizeof(next));
	site_contact_href(s, contact, sizeof(contact));
	snprintf(release, sizeof(release), "%d", s->release);
	strbuf_addf(&title, "London race equality data, %d (release %d)",
		    s->opt->year, s->release);
	strbuf_addf(&withheld,
		    "%s marks a withheld figure: it rests on fewer than %g "
		    "people, or would let such a figure be worked out from "
		    "others. It may be any number, zero included.",
		    TIDY_WITHHELD, s->opt->sdc.k);
	lines[n++] = (struct xlsx_cover_line){ "Release", release };
	lines[n++] = (struct xlsx_cover_line){ "Published", published };
	lines[n++] = (struct xlsx_cover_line){ "Next update", next };
	lines[n++] = (struct xlsx_cover_line){
		"Source", s->attainment.table.count > 0
			  ? "Council workforce returns (staff in post at 31 "
			    "March), service returns from partners, the "
			    "boroughs' attainment returns, and Census 2021 "
			    "(ONS, table TS021)"
			  : "Council workforce returns (staff in post at 31 "
			    "March), service returns from partners, and "
			    "Census 2021 (ONS, table TS021)" };
	lines[n++] = (struct xlsx_cover_line){ "Confidentiality",
					       withheld.buf };
	lines[n++] = (struct xlsx_cover_line){ "Licence",
					       "Open Government Licence v3.0: "
					       SITE_OGL_URL };
	lines[n++] = (struct xlsx_cover_line){ "Contact", contact };
	/* whole, however long: cut short, the correction could end
	 * mid-character and the workbook's XML would be malformed */
	if (s->correction)
		lines[n++] = (struct xlsx_cover_line){ "Correction",
						       s->correction };
	cover = (struct xlsx_cover){ title.buf, lines, n };
	site_workbook_name(s, name, sizeof(name));
	snprintf(rel, sizeof(rel), "downloads/%s", name);
	snprintf(tmp, sizeof(tmp), "%s/%s%s", c->dir, rel, SITE_TEMP_SUFFIX);
	rc = site_file_begin(s, c, rel, err);
	if (rc == 0)
		rc = table_write_xlsx_cover(&all, &cover, tmp, err);
	tidy_table_free(&all);
	strbuf_release(&title);
	strbuf_release(&withheld);
	if (rc < 0) {
		unlink(tmp);
		return -1;
	}
	return site_file_commit(s, c, rel, err);
}

void site_area_download_rel(const struct site *s, const struct area *a,
			    char *buf, size_t size)
{
	char slug[128];

	site_slug(a->name, slug, sizeof(slug));
	snprintf(buf, size, "downloads/areas/workforce-%d/%s-workforce-%d.csv",
		 s->opt->year, slug, s->opt->year);
}

/* A CSV per area of the workforce table, its rows alone: what one
 * borough's reader needs, without the rest of London's. */
static int write_area_tables(struct site *s, const struct site_copy *c,
			     struct parity_error *err)
{
	size_t k, j;
	int rc = 0;

	for (k = 0; k < s->areas->count && rc == 0; k++) {
		const struct area *a = &s->areas->areas[k];
		struct tidy_table one;
		char rel[256];

		tidy_table_init(&one);
		for (j = 0; j < s->workforce.count; j++)
			if (strcmp(s->workforce.rows[j].area_code, a->code) == 0)
				tidy_table_append_row(&one,
						      &s->workforce.rows[j]);
		if (one.count > 0) {
			site_area_download_rel(s, a, rel, sizeof(rel));
			rc = site_write_csv(s, c, rel, &one, NULL, err);
		}
		tidy_table_free(&one);
	}
	return rc;
}

int site_write_downloads(struct site *s, const struct site_copy *c,
			 struct parity_error *err)
{
	size_t k;

	if (write_table(s, c, &s->workforce, SITE_WORKFORCE, err) < 0 ||
	    write_area_tables(s, c, err) < 0)
		return -1;
	for (k = 0; k < s->nservices; k++)
		if (!s->services[k].held[0] &&
		    write_table(s, c, &s->services[k].table, k, err) < 0)
			return -1;
	if (s->attainment.table.count > 0 &&
	    write_table(s, c, &s->attainment.table, SITE_ATTAINMENT, err) < 0)
		return -1;
	if (site_write_standard_downloads(s, c, err) < 0)
		return -1;
	return write_workbook(s, c, err);
}
