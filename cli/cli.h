/*
 * cli.h - the command-line front end: one cmd_*() per subcommand.
 *
 * Each command parses its own options, calls the library, renders the
 * result to stdout, and reports problems on stderr. It returns the process
 * exit status (see enum cli_exit). Nothing here computes a figure. Output
 * files and terminal views are output.h's.
 */
#ifndef PARITY_CLI_H
#define PARITY_CLI_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "ingest/alias_register.h"
#include "table/render.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cli_exit {
	CLI_OK = 0,        /* success */
	CLI_INVALID = 1,   /* the input was checked and has problems */
	CLI_USAGE = 2,     /* the command line was wrong */
	CLI_FAILURE = 3    /* something else failed: I/O, the store, a bug */
};

/* ---- what a command runs with (cli/env.c) ---- */

struct store;
struct diag_list;
struct ethnicity_classifier;
struct service_defs;
struct benchmark;
struct framework_set;

/* What a command needs opened before it can run. */
enum cli_need {
	CLI_NEED_AREAS = 1u << 0,      /* the areas parity knows */
	CLI_NEED_STORE = 1u << 1,      /* the store, for writing */
	CLI_NEED_STORE_READ = 1u << 2, /* the store, only for reading */
	CLI_NEED_CLASSIFIER = 1u << 3, /* built-in labels, the store's alias
					* register when the store is needed,
					* --aliases and --codes */
	CLI_NEED_SERVICES = 1u << 4,   /* service definitions, built in and
					* --definitions */
	CLI_NEED_CENSUS = 1u << 5,     /* Census 2021 residents by area (and
					* so the areas) */
	CLI_NEED_FRAMEWORKS = 1u << 6  /* the Standard's frameworks, built in
					* and --framework-file */
};

/*
 * The environment a command runs in. main.c makes it from the command
 * table (cli_env_init()), the command sets the options that say where
 * things are and calls cli_env_open(), and main.c closes it when the
 * command returns (cli_env_close()). What is open is the environment's;
 * a command borrows it and never frees it.
 */
struct cli_env {
	const char *command;  /* "import": the prefix of usage errors */
	unsigned needs;       /* enum cli_need: what the command table says
			       * the command needs */
	/* set by the command from its options */
	const char *db;          /* --db (else PARITY_DB, else parity.db) */
	const char *aliases;     /* --aliases FILE */
	const char *definitions; /* --definitions FILE */
	const char *framework_file; /* --framework-file FILE */
	enum ethnicity_code_system codes; /* --codes */
	/* opened by cli_env_open() */
	struct area_set *areas;  /* with the store's groups of boroughs,
				  * once the store is open */
	struct store *store;
	struct ethnicity_classifier *classifier;
	struct alias_register aliases_register; /* as loaded with the
						 * classifier from the
						 * store */
	struct service_defs *services;
	struct benchmark *census;
	struct framework_set *frameworks;
	bool area_groups;        /* the store's groups are in `areas` */
};

void cli_env_init(struct cli_env *env, const char *command, unsigned needs);
/* --codes NAME: the code list bare ethnicity codes are read by; a usage
 * error (returned, and printed) when NAME is not one. */
int cli_env_set_codes(struct cli_env *env, const char *name);
/*
 * Open whatever of `needs` (enum cli_need) is not open yet: the areas,
 * the store, the classifier, the service definitions, the census. On a
 * problem, print it (located, every problem in an aliases file) and
 * return the exit status to end with; CLI_OK when all is open.
 */
int cli_env_open(struct cli_env *env, unsigned needs);
/* Close everything opened; the environment may be opened again. */
void cli_env_close(struct cli_env *env);
/* The name of the area `code` ("Brent"), or `code` itself when `areas`
 * does not hold it. */
const char *cli_area_name(const struct area_set *areas, const char *code);

int cmd_classify(int argc, char **argv, struct cli_env *env);
int cmd_areas(int argc, char **argv, struct cli_env *env);
int cmd_benchmark(int argc, char **argv, struct cli_env *env);
int cmd_measures(int argc, char **argv, struct cli_env *env);
int cmd_synth(int argc, char **argv, struct cli_env *env);

int cmd_init(int argc, char **argv, struct cli_env *env);
int cmd_backup(int argc, char **argv, struct cli_env *env);
int cmd_restore(int argc, char **argv, struct cli_env *env);
int cmd_migrate(int argc, char **argv, struct cli_env *env);
int cmd_retention(int argc, char **argv, struct cli_env *env);
int cmd_objection(int argc, char **argv, struct cli_env *env);
int cmd_import(int argc, char **argv, struct cli_env *env);
int cmd_returns(int argc, char **argv, struct cli_env *env);
int cmd_quality(int argc, char **argv, struct cli_env *env);
int cmd_report(int argc, char **argv, struct cli_env *env);
int cmd_analyse(int argc, char **argv, struct cli_env *env);
int cmd_publish(int argc, char **argv, struct cli_env *env);
int cmd_check_disclosure(int argc, char **argv, struct cli_env *env);
int cmd_aliases(int argc, char **argv, struct cli_env *env);
int cmd_labels(int argc, char **argv, struct cli_env *env);
int cmd_serve(int argc, char **argv, struct cli_env *env);
int cmd_account(int argc, char **argv, struct cli_env *env);
int cmd_token(int argc, char **argv, struct cli_env *env);
int cmd_audit(int argc, char **argv, struct cli_env *env);
int cmd_framework(int argc, char **argv, struct cli_env *env);
int cmd_assess(int argc, char **argv, struct cli_env *env);
int cmd_review(int argc, char **argv, struct cli_env *env);
int cmd_practice(int argc, char **argv, struct cli_env *env);
int cmd_event(int argc, char **argv, struct cli_env *env);
int cmd_digest(int argc, char **argv, struct cli_env *env);

/* ---- the store (cli/db.c) ---- */

/* Where the store is: `option` (the command's --db) when given, else the
 * PARITY_DB environment variable when set and not empty, else
 * "parity.db". */
const char *cli_db_path(const char *option);
/* Whether there may be a store at cli_db_path(option): a file there, or a
 * database named (which opening then finds holds a store, or says not). */
bool cli_db_exists(const char *option);
/* The key file of the store at `where`: for a store in PostgreSQL, the
 * PARITY_KEY environment variable (NULL if unset: opening then says so);
 * NULL for a file, whose key is beside it. */
const char *cli_db_key(const char *where);
/* Open the store at cli_db_path(option). On failure, report it and return
 * the exit status to end with; CLI_OK on success. */
int cli_store_open(struct store **out, const char *option);
/* The same for commands that only read the store (`returns`, `report`,
 * `quality`, `publish`): opened read-only, so that they work where it
 * cannot be written and can never change it. */
int cli_store_open_readonly(struct store **out, const char *option);
/*
 * Print located problems to stderr as `parity: FILE:LINE:COLUMN: message`,
 * at most `max_errors` errors and `max_warnings` warnings, each followed by
 * a count of those left out.
 */
void cli_print_diags(const struct diag_list *d, size_t max_errors,
		     size_t max_warnings);

/* Print `parity: <located message>` to stderr, made safe for a terminal
 * (control characters, DEL, C1 and bidi controls shown as escapes). */
void cli_report(const struct parity_error *err);
/* Print `parity: <message>` to stderr, made safe as cli_report() makes it;
 * returns CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print `parity: <message>` to stderr, made safe as cli_report() makes it:
 * any message that quotes a name, a path or a value. */
void cli_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The areas a command reports on: every one named in `names` (by code or
 * name), or with `all` London, Inner and Outer London and every borough,
 * or with neither London. Returns a new array of area indices (the caller
 * frees it) and its length in *count; NULL after printing a usage error
 * naming `command` when a name is not an area.
 */
int *cli_choose_areas(const struct area_set *areas, const char *command,
		      const char *const *names, size_t nnames, bool all,
		      size_t *count);
/* ---- the classifier (cli/classifier.c) ---- */
/*
 * The classifier a command reads labels with: the built-in labels, then
 * the alias register of `store` (NULL when the command has no store),
 * then the aliases in `aliases_path` (NULL for none), where an alias that
 * contradicts the register is an error located in the file. Every problem
 * in the register or the aliases file is printed, located. `reg` (may be
 * NULL) is given the register as loaded, which the caller releases with
 * alias_register_release(). Returns CLI_OK with *out set (the caller frees
 * it with ethnicity_classifier_free()), or the exit status to end with.
 */
int cli_classifier_load(struct ethnicity_classifier **out,
			const char *aliases_path, struct store *store,
			struct alias_register *reg);

/*
 * --format TEXT for a command that writes a table, CSV, or (with
 * `json`) JSON: CLI_OK with *out set, or a usage error naming `command`
 * (printed, and returned).
 */
int cli_format_parse(const char *command, const char *text, bool json,
		     enum output_format *out);

/* An action of a command (`parity aliases add LABEL CATEGORY`): its name
 * and how many arguments follow it. A table of them ends with a NULL
 * name. */
struct cli_action {
	const char *name;
	int args;
};
/*
 * The action argv[first] names, given with its arguments and nothing
 * more: its index in `actions`; -1 after printing `usage` to stderr when
 * there is none, or it has too few or too many arguments.
 */
int cli_action_find(const struct cli_action *actions, int argc,
		    char *const *argv, int first, const char *usage);

/* The exit status that suits an error record. */
int cli_exit_for(const struct parity_error *err);
/* Who is running parity, for --by's default: the user's name. */
const char *cli_user_name(void);

#endif
