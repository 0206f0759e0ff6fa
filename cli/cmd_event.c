/*
 * cmd_event.c - `parity event add|list`: the Learning Lab's sessions and
 * events (practice/learning_lab.h) from the command line, acting as
 * cli:USER with each addition in the audit log.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"
#include "practice_cli.h"

#include "base/number.h"
#include "practice/learning_lab.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
	"usage: parity event add --title TEXT --date YYYY-MM-DD --type TYPE\n"
	"                        --strand STRAND [--about TEXT]\n"
	"                        [--practice RECORD]... [--material TITLE=URL]...\n"
	"       parity event list [--from YYYY-MM-DD] [--until YYYY-MM-DD]\n"
	"                         [--format F]\n"
	"   (each also takes [--db PATH])\n"
	"\n"
	"The Learning Lab's sessions and events. add records one: its title,\n"
	"day and type (symposium, training, workshop, doing-group or webinar),\n"
	"the strand (leadership, employer or services), what it is about, the\n"
	"approved practice records it draws on (by record number, repeated),\n"
	"and its materials as TITLE=URL (https, repeated). list shows them by\n"
	"day, with --from and --until to choose (--format table, csv or\n"
	"json).\n";

#define MAX_ITEMS 20

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

static int list(struct cli_env *env, const char *from, const char *until,
		enum output_format fmt)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct learning_event_row *rows;
	size_t n, k, j;

	if (learning_events_list(env->store, from, until, &rows, &n, &err) < 0)
		return failed(&err);
	if (fmt == OUTPUT_JSON) {
		json_t *doc = json_array();
		bool ok = doc != NULL;

		for (k = 0; k < n && ok; k++) {
			json_t *o = learning_event_json(&rows[k]);

			ok = o && json_array_append_new(doc, o) == 0;
		}
		learning_events_free(rows, n);
		return cli_json_put(doc, ok, "event list");
	}
	if (fmt == OUTPUT_CSV)
		fputs("id,date,type,strand,title,practice\n", stdout);
	else if (n == 0)
		fputs("(no events)\n", stdout);
	for (k = 0; k < n; k++) {
		char recs[256] = "";
		size_t len = 0;

		for (j = 0; j < rows[k].nrecords && len + 24 < sizeof(recs);
		     j++)
			len += (size_t)snprintf(recs + len, sizeof(recs) - len,
						"%s%lld", j ? " " : "",
						(long long)rows[k].records[j]);
		if (fmt == OUTPUT_CSV) {
			char id[32];

			snprintf(id, sizeof(id), "%lld", (long long)rows[k].id);
			cli_csv_put(id, true);
			cli_csv_put(rows[k].day, false);
			cli_csv_put(rows[k].format, false);
			cli_csv_put(rows[k].strand, false);
			cli_csv_put(rows[k].title, false);
			cli_csv_put(recs, false);
			fputc('\n', stdout);
			continue;
		}
		printf("%s  %-11s %-10s ", rows[k].day, rows[k].format,
		       rows[k].strand);
		cli_put_cell(stdout, rows[k].title, 0);
		if (recs[0])
			printf(" (practice %s)", recs);
		fputc('\n', stdout);
	}
	learning_events_free(rows, n);
	return CLI_OK;
}

int cmd_event(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "title", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'D' },
		{ "type", required_argument, NULL, 'T' },
		{ "strand", required_argument, NULL, 's' },
		{ "about", required_argument, NULL, 'a' },
		{ "practice", required_argument, NULL, 'p' },
		{ "material", required_argument, NULL, 'm' },
		{ "from", required_argument, NULL, 'f' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'F' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct cli_action actions[] = {
		{ "add", 0 }, { "list", 0 }, { NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct learning_event_input in;
	struct learning_material materials[MAX_ITEMS];
	struct practice_cli actor;
	int64_t records[MAX_ITEMS], id;
	const char *from = NULL, *until = NULL;
	enum output_format fmt = OUTPUT_TABLE;
	char material_text[MAX_ITEMS][2048];
	long record;
	int opt, action, status;

	memset(&in, 0, sizeof(in));
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 't': in.title = optarg; break;
		case 'D': in.day = optarg; break;
		case 'T': in.format = optarg; break;
		case 's': in.strand = optarg; break;
		case 'a': in.description = optarg; break;
		case 'p':
			if (in.nrecords == MAX_ITEMS ||
			    number_parse_int(optarg, 1, 1L << 40, &record) < 0)
				return cli_usage_error("event: --practice takes "
						       "a record's number (at "
						       "most %d), not '%s'",
						       MAX_ITEMS, optarg);
			records[in.nrecords++] = record;
			break;
		case 'm': {
			char *eq = NULL;

			if (in.nmaterials < MAX_ITEMS &&
			    strlen(optarg) < sizeof(material_text[0])) {
				snprintf(material_text[in.nmaterials],
					 sizeof(material_text[0]), "%s",
					 optarg);
				eq = strchr(material_text[in.nmaterials], '=');
			}
			if (!eq)
				return cli_usage_error("event: --material is "
						       "TITLE=URL (at most %d), "
						       "not '%s'",
						       MAX_ITEMS, optarg);
			*eq = '\0';
			materials[in.nmaterials].title =
				material_text[in.nmaterials];
			materials[in.nmaterials].url = eq + 1;
			in.nmaterials++;
			break;
		}
		case 'f': from = optarg; break;
		case 'u': until = optarg; break;
		case 'F':
			if (cli_format_parse("event", optarg, true, &fmt) !=
			    CLI_OK)
				return CLI_USAGE;
			break;
		case 'd': env->db = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	action = cli_action_find(actions, argc, argv, optind, usage_text);
	if (action < 0)
		return CLI_USAGE;
	status = cli_env_open(env, action == 0 ? CLI_NEED_STORE
					       : CLI_NEED_STORE_READ);
	if (status != CLI_OK)
		return status;
	if (action == 1)
		return list(env, from, until, fmt);
	in.records = records;
	in.materials = materials;
	practice_cli_init(&actor, env, "");
	if (learning_event_add(env->store, &in, &actor.actor, &id, &err) < 0)
		return failed(&err);
	printf("event %lld: %s on %s\n", (long long)id, in.title, in.day);
	return CLI_OK;
}
