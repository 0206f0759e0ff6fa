/*
 * main.c - `parity COMMAND ...`: dispatch to the command, check stdout.
 *
 * Commands are listed in one table, as git's builtins are, each with what
 * it needs opened (cli/env.c): the environment is made here, opened by the
 * command once its options say where things are, and closed here when it
 * returns. Then stdout is flushed and checked, so that a full disk or a
 * closed pipe is reported rather than ignored.
 */
#include "cli.h"

#include <gsl/gsl_errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

/* What each command needs opened (enum cli_need) is declared here; a
 * command whose subcommands differ (import service, returns reclassify,
 * report service, aliases add, account, token, assess, review) declares
 * 0 and gives each its own. */
#define AREAS CLI_NEED_AREAS
#define STORE CLI_NEED_STORE
#define READ CLI_NEED_STORE_READ
#define LABELS CLI_NEED_CLASSIFIER
#define CENSUS CLI_NEED_CENSUS
#define FRAMEWORKS CLI_NEED_FRAMEWORKS

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct cli_env *env);
	unsigned needs;
	const char *summary;
};

static const struct command commands[] = {
	{ "classify", cmd_classify, LABELS,
	  "classify ethnicity labels to the ONS 2021 standard" },
	{ "areas", cmd_areas, AREAS,
	  "list the areas parity knows and their hierarchy" },
	{ "benchmark", cmd_benchmark, AREAS,
	  "Census 2021 residents by ethnic group, for an area" },
	{ "measures", cmd_measures, 0,
	  "list the measures a tidy table holds: units, places, basis" },
	{ "synth", cmd_synth, CENSUS,
	  "write realistic synthetic returns for the demo" },
	{ "init", cmd_init, 0, "create a new, empty store" },
	{ "backup", cmd_backup, STORE,
	  "copy the store, in use, into a checked backup (not its key)" },
	{ "restore", cmd_restore, 0,
	  "put the store back from a backup, once the backup is checked" },
	{ "migrate", cmd_migrate, 0,
	  "copy an SQLite store into an empty PostgreSQL database, checked" },
	{ "retention", cmd_retention, AREAS | STORE,
	  "remove the records of returns past the retention period" },
	{ "objection", cmd_objection, 0,
	  "a person's objection to processing: their records left out" },
	{ "import", cmd_import, AREAS | STORE | LABELS,
	  "check a workforce, recruitment, service or attainment return and store it" },
	{ "returns", cmd_returns, AREAS,
	  "list the submissions in the store, show one, or reclassify them" },
	{ "aliases", cmd_aliases, 0,
	  "the programme's alias register: add, remove, import, list" },
	{ "labels", cmd_labels, AREAS | READ,
	  "every ethnicity label seen, how it was read; labels refused" },
	{ "quality", cmd_quality, AREAS | READ,
	  "the data-quality report on a council's returns" },
	{ "report", cmd_report, AREAS | READ,
	  "workforce or service measures for London, a sub-region or boroughs" },
	{ "analyse", cmd_analyse, AREAS | LABELS,
	  "check a workforce file and summarise it by employer, without a store" },
	{ "publish", cmd_publish, READ,
	  "write the public website and downloads, disclosure-controlled" },
	{ "check-disclosure", cmd_check_disclosure, AREAS,
	  "prove a directory of published CSVs is disclosure-controlled" },
	{ "serve", cmd_serve, 0,
	  "run the pan-London hub: the API, councils' uploads, the site" },
	{ "account", cmd_account, 0,
	  "the hub's accounts: invite, list, disable, reset, unlock" },
	{ "token", cmd_token, 0,
	  "API tokens for scripts: create, list, revoke" },
	{ "audit", cmd_audit, AREAS | READ,
	  "the hub's audit log: sign-ins, changes, uploads, reads" },
	{ "framework", cmd_framework, FRAMEWORKS,
	  "the Racial Equality Standard, toolkits and survey: list, show, validate" },
	{ "assess", cmd_assess, 0,
	  "a council's assessment against a framework: template, save, report" },
	{ "review", cmd_review, 0,
	  "peer review of an assessment: assign, record, sign off, respond" },
	{ "practice", cmd_practice, 0,
	  "the good-practice pool: add, list, search, show, approve, return" },
	{ "event", cmd_event, 0,
	  "the Learning Lab's sessions and events: add, list" },
	{ "digest", cmd_digest, 0,
	  "'Race Matters', the digest for borough staff, as email and text" },
};

static void usage(FILE *out)
{
	size_t k;

	fprintf(out, "usage: parity COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		fprintf(out, "  %-16s %s\n", commands[k].name,
			commands[k].summary);
	fprintf(out, "\n`parity COMMAND --help` describes a command.\n");
}

int main(int argc, char **argv)
{
	size_t k;
	int status = -1;

	/* GSL's default handler aborts; parity's statistics check their own
	 * ranges and report what cannot be calculated. */
	gsl_set_error_handler_off();
	/*
	 * Keep freed memory for reuse rather than giving it back to the
	 * system at once: blocks of a file, salary vectors and sort buffers
	 * of many megabytes are allocated and freed by several threads, and
	 * each fresh mapping costs page faults, and each unmapping a
	 * flush of every core's TLB. parity analyse of 1,000,000 rows took
	 * 0.44 s with glibc's defaults and 0.32 s with these (docs/
	 * performance.md). Peak RSS hardly moves: memory is kept, not used.
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
	(void)mallopt(M_TOP_PAD, 64 * 1024 * 1024);
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("parity 0.1.0\n");
		return CLI_OK;
	}
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(argv[1], commands[k].name) == 0) {
			struct cli_env env;

			cli_env_init(&env, commands[k].name,
				     commands[k].needs);
			status = commands[k].run(argc - 1, argv + 1, &env);
			cli_env_close(&env);
			break;
		}
	if (status < 0) {
		cli_message("unknown command '%s'", argv[1]);
		usage(stderr);
		return CLI_USAGE;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* an import commits before it reports: say that it is
		 * stored, so that nobody imports it a second time */
		if (status == CLI_OK && strcmp(argv[1], "import") == 0)
			fprintf(stderr, "parity: import: the return was stored, "
				"but its report could not be written to the "
				"output (see `parity returns list`)\n");
		else
			fprintf(stderr, "parity: could not write the output\n");
		return CLI_FAILURE;
	}
	return status;
}
