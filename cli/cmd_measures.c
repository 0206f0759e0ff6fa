/*
 * cmd_measures.c - `parity measures`: the registry of measures
 * (table/measure_def.h) as a reader sees it: what each measure of a
 * tidy table is, its units, the places it is published to, and the
 * counts of people it rests on.
 */
#include "cli.h"

#include "table/measure_def.h"
#include "table/render.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity measures [--format table|csv]\n"
	"\n"
	"Lists every measure a tidy table can hold, in the registry's order:\n"
	"its name and label, the unit of its value, what its numerator and\n"
	"denominator are (with their units), how it rests on counts of people\n"
	"(its basis, which disclosure control reads), and the decimal places it\n"
	"is published to (empty: a plain number, not rounded). --format csv\n"
	"gives one row per measure with header\n"
	"name,label,unit,numerator,numerator_unit,denominator,denominator_unit,\n"
	"basis,rests_on,places.\n";

/* The published places as text: "" for a plain number, not rounded. */
static void places_text(const struct measure_def *d, char *buf, size_t size)
{
	int places = measure_unit_places(d->unit);

	if (places < 0)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%d", places);
}

static void write_csv(FILE *out)
{
	size_t k, n = measure_def_count();
	char places[16];

	fputs("name,label,unit,numerator,numerator_unit,denominator,"
	      "denominator_unit,basis,rests_on,places\n", out);
	for (k = 0; k < n; k++) {
		const struct measure_def *d = measure_def_at(k);
		const char *fields[] = {
			d->name,
			d->label,
			measure_unit_name(d->unit),
			d->numerator_label,
			measure_unit_name(d->numerator_unit),
			d->denominator_label,
			measure_unit_name(d->denominator_unit),
			measure_basis_name(d->basis),
			d->basis_label,
		};
		size_t f;

		for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			csv_write_field(out, fields[f]);
			fputc(',', out);
		}
		places_text(d, places, sizeof(places));
		fprintf(out, "%s\n", places);
	}
}

/* "staff in the group [count]"; "" when the label is empty. */
static void operand_text(const char *label, enum measure_unit unit,
			 char *buf, size_t size)
{
	const char *name = measure_unit_name(unit);

	if (!label[0])
		snprintf(buf, size, "%s", "");
	else if (name[0])
		snprintf(buf, size, "%s [%s]", label, name);
	else
		snprintf(buf, size, "%s", label);
}

/*
 * The readable view: one line per measure with its name, unit, places and
 * basis aligned, and its label last; under the label, its numerator,
 * denominator and what it rests on, aligned with it.
 */
static void write_table(FILE *out)
{
	static const char *const heads[] = { "measure", "unit", "places",
					     "basis", "label" };
	size_t width[4], k, c, n = measure_def_count();
	char places[16], text[512];

	for (c = 0; c < 4; c++)
		width[c] = strlen(heads[c]);
	for (k = 0; k < n; k++) {
		const struct measure_def *d = measure_def_at(k);
		const char *cells[3] = { d->name, measure_unit_name(d->unit),
					 measure_basis_name(d->basis) };

		if (strlen(cells[0]) > width[0])
			width[0] = strlen(cells[0]);
		if (strlen(cells[1]) > width[1])
			width[1] = strlen(cells[1]);
		if (strlen(cells[2]) > width[3])
			width[3] = strlen(cells[2]);
	}
	fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", (int)width[0], heads[0],
		(int)width[1], heads[1], (int)width[2], heads[2],
		(int)width[3], heads[3], heads[4]);
	for (k = 0; k < n; k++) {
		const struct measure_def *d = measure_def_at(k);
		int indent = (int)(width[0] + width[1] + width[2] + width[3] +
				   8);

		places_text(d, places, sizeof(places));
		fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", (int)width[0],
			d->name, (int)width[1], measure_unit_name(d->unit),
			(int)width[2], places, (int)width[3],
			measure_basis_name(d->basis), d->label);
		operand_text(d->numerator_label, d->numerator_unit, text,
			     sizeof(text));
		if (text[0])
			fprintf(out, "%*snumerator: %s\n", indent, "", text);
		operand_text(d->denominator_label, d->denominator_unit, text,
			     sizeof(text));
		if (text[0])
			fprintf(out, "%*sdenominator: %s\n", indent, "", text);
		fprintf(out, "%*srests on: %s\n", indent, "", d->basis_label);
	}
}

int cmd_measures(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum output_format format = OUTPUT_TABLE;
	int c;

	(void)env; /* the registry of measures is built in */
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_format_parse("measures", optarg, false,
					     &format) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("measures: unexpected argument '%s'",
				       argv[optind]);
	if (format == OUTPUT_CSV)
		write_csv(stdout);
	else
		write_table(stdout);
	return CLI_OK;
}
