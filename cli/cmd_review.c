/*
 * cmd_review.c - `parity review`: peer review of a council's submitted
 * assessment (standard/review.h, docs/frameworks.md): an analyst assigns
 * a reviewing council; its reviewer records agreement or a different
 * level per criterion, with comments, and signs off; the council
 * responds. The command line acts as cli:USER for whichever council the
 * options name; each step is in the audit log.
 */
#include "cli.h"
#include "listing.h"
#include "output.h"
#include "standard_cli.h"

#include "base/diag.h"
#include "domain/area.h"
#include "standard/review.h"
#include "store/assessment_store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parity review assign --area CODE --year YEAR --framework ID\n"
	"                     --reviewer CODE\n"
	"       parity review record --area CODE --year YEAR --framework ID\n"
	"                     --reviewer CODE FILE.json\n"
	"       parity review sign-off --area CODE --year YEAR --framework ID\n"
	"                     --reviewer CODE\n"
	"       parity review respond --area CODE --year YEAR --framework ID\n"
	"                     --text TEXT\n"
	"       parity review list [--reviewer CODE]\n"
	"   (each also takes [--db PATH] [--framework-file FILE])\n"
	"\n"
	"Peer review of a council's submitted assessment (assurance;\n"
	"docs/frameworks.md). assign names the reviewing council (never the\n"
	"council itself; one review per assessment, never replaced). record\n"
	"takes the reviewer's entries from FILE.json, {\"criteria\": {\"ID\":\n"
	"{\"agree\": true, \"comment\": \"...\"}, \"ID\": {\"level\": \"developing\",\n"
	"\"comment\": \"...\"}}} (docs/formats/assessment.md), as the reviewing\n"
	"council; entries may be recorded again until sign-off. sign-off closes\n"
	"the entries once every criterion with a level has one. respond records\n"
	"the assessed council's response, once, after sign-off. Review and\n"
	"response stay on record: the store refuses to change them after. In\n"
	"the hub, assign is an analyst's, record and sign-off the reviewing\n"
	"council's reviewer's, respond the council's. list shows the reviews,\n"
	"or those assigned to one council.\n"
	"\n"
	"options:\n"
	"  --area CODE      the assessed council, by code or name\n"
	"  --year YEAR      the assessment's year\n"
	"  --framework ID   the framework (the assessment's version)\n"
	"  --reviewer CODE  the reviewing council\n"
	"  --text TEXT      the council's response\n"
	"  --db PATH        the store (default: $PARITY_DB, else parity.db)\n"
	"  --framework-file FILE  also know the framework in FILE\n";

static const struct cli_action actions[] = {
	{ "assign", 0 }, { "record", 1 }, { "sign-off", 0 }, { "respond", 0 },
	{ "list", 0 }, { NULL, 0 }
};

#define NEEDS (CLI_NEED_AREAS | CLI_NEED_FRAMEWORKS)

static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

static int list(struct cli_env *env, const char *reviewer)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct review *all;
	struct assessment a;
	struct cli_view view;
	size_t n, k, j, agreed;

	if (store_reviews_list(env->store, reviewer, &all, &n, &err) < 0)
		return failed(&err);
	if (!cli_view_open(&view))
		return CLI_FAILURE;
	if (n == 0)
		fputs("(no reviews)\n", view.file);
	else
		fprintf(view.file, "%-6s  %-26s  %-9s  %-4s  %-9s  %-8s  %-9s  "
			"%s\n", "review", "framework", "council", "year",
			"reviewer", "entries", "signed", "response");
	for (k = 0; k < n; k++) {
		if (store_assessment_get(env->store, all[k].assessment_id, &a,
					 &err) <= 0)
			continue;
		for (agreed = 0, j = 0; j < all[k].nentries; j++)
			agreed += all[k].entries[j].agree;
		fprintf(view.file, "%-6lld  ", (long long)all[k].id);
		cli_put_cell(view.file, a.framework, 26);
		fprintf(view.file, "  %-9s  %-4d  %-9s  %zu/%zu%*s  %-9s  %s\n",
			a.area_code, a.year, all[k].reviewer_area, agreed,
			all[k].nentries, all[k].nentries < 10 ? 5 : 4, "",
			all[k].signed_off_at ? "yes" : "no",
			all[k].response ? "yes" : "no");
		assessment_release(&a);
	}
	for (k = 0; k < n; k++)
		review_release(&all[k]);
	free(all);
	if (cli_view_close(&view, stdout, &err) < 0)
		return failed(&err);
	return CLI_OK;
}

int cmd_review(int argc, char **argv, struct cli_env *env)
{
	static const struct option options[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "year", required_argument, NULL, 'y' },
		{ "framework", required_argument, NULL, 'F' },
		{ "reviewer", required_argument, NULL, 'r' },
		{ "text", required_argument, NULL, 't' },
		{ "db", required_argument, NULL, 'd' },
		{ "framework-file", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	const char *area = NULL, *reviewer = NULL, *framework = NULL;
	const char *text = NULL;
	char area_code[16] = "", reviewer_code[16] = "";
	const struct framework *f = NULL;
	struct review_entry *entries;
	struct cli_standard c;
	struct assessment as;
	struct review r;
	size_t n, len;
	char *json;
	int opt, year = 0, action, status, rc;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'a': area = optarg; break;
		case 'y':
			if (cli_year_parse("review", optarg, &year) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'F': framework = optarg; break;
		case 'r': reviewer = optarg; break;
		case 't': text = optarg; break;
		case 'd': env->db = optarg; break;
		case 'x': env->framework_file = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fputs(usage_text, stderr); return CLI_USAGE;
		}
	}
	action = cli_action_find(actions, argc, argv, optind, usage_text);
	if (action < 0)
		return CLI_USAGE;
	if (action == 4) {
		status = cli_env_open(env, NEEDS | CLI_NEED_STORE_READ);
		if (status != CLI_OK)
			return status;
		if (reviewer && cli_council_code(env, "review", reviewer,
						 reviewer_code) != CLI_OK)
			return CLI_USAGE;
		return list(env, reviewer ? reviewer_code : NULL);
	}
	if (!area || !year || !framework)
		return cli_usage_error("review %s: --area, --year and "
				       "--framework are needed",
				       actions[action].name);
	if ((action == 3) != !reviewer || (action == 3) != !!text)
		return cli_usage_error(action == 3 ?
				       "review respond: --text is needed, and "
				       "no --reviewer" :
				       "review %s: --reviewer is needed, and "
				       "no --text", actions[action].name);
	status = cli_env_open(env, NEEDS | CLI_NEED_STORE);
	if (status != CLI_OK)
		return status;
	if (cli_council_code(env, "review", area, area_code) != CLI_OK ||
	    (reviewer && cli_council_code(env, "review", reviewer,
					  reviewer_code) != CLI_OK))
		return CLI_USAGE;
	/* the version the assessment was made against */
	rc = assessment_get(env->store, framework, area_code, year, true, &as,
			    &err);
	if (rc < 0)
		return failed(&err);
	if (rc > 0) {
		f = framework_find(env->frameworks, framework,
				   as.framework_version);
		assessment_release(&as);
	}
	if (!f && !(f = cli_framework_find(env, "review", framework, 0)))
		return CLI_INVALID;
	cli_standard_init(&c, env, action == 3 ? "" : reviewer_code);
	switch (action) {
	case 0:
		rc = review_assign(env->store, f->id, area_code, year,
				   reviewer_code, &c.actor, &r, &err);
		if (rc == 0) {
			printf("%s's assessment of %s for %d: review %lld by "
			       "%s\n", area_code, f->id, year,
			       (long long)r.id, reviewer_code);
			review_release(&r);
		}
		break;
	case 1:
		status = cli_read_whole(argv[optind + 1], &json, &len);
		if (status != CLI_OK)
			return status;
		rc = review_parse(f, json, len, argv[optind + 1], &entries, &n,
				  &problems);
		free(json);
		if (rc < 0) {
			diag_list_sort(&problems);
			cli_print_diags(&problems, 100, 100);
			diag_list_release(&problems);
			return CLI_INVALID;
		}
		diag_list_release(&problems);
		rc = review_record(env->store, f, area_code, year, entries, n,
				   &c.actor, &err);
		if (rc == 0)
			printf("recorded %zu entr%s in the review of %s's "
			       "assessment of %s for %d\n", n,
			       n == 1 ? "y" : "ies", area_code, f->id, year);
		review_entries_free(entries, n);
		break;
	case 2:
		rc = review_sign_off(env->store, f, area_code, year, &c.actor,
				     &err);
		if (rc == 0)
			printf("signed off the review of %s's assessment of "
			       "%s for %d\n", area_code, f->id, year);
		break;
	default:
		rc = review_respond(env->store, f->id, area_code, year, text,
				    &c.actor, &err);
		if (rc == 0)
			printf("recorded %s's response to the review of its "
			       "assessment of %s for %d\n", area_code, f->id,
			       year);
		break;
	}
	if (rc < 0)
		return failed(&err);
	return CLI_OK;
}
