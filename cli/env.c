/*
 * env.c - what a command runs with, opened in one place and closed in one
 * place: the areas, the service definitions, Census 2021 residents, the
 * store (for writing or only for reading), the classifier (the built-in
 * labels, the store's alias register, a council's aliases file and a code
 * list) and the Standard's frameworks. Each command declares what it needs (enum cli_need, in main.c's
 * command table or beside a subcommand); main.c makes the environment,
 * the command fills in its options and calls cli_env_open(), and main.c
 * closes it after the command returns, whatever happened.
 */
#include "cli.h"

#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "standard/framework.h"
#include "store/area_group_store.h"
#include "store/store.h"

#include <string.h>

void cli_env_init(struct cli_env *env, const char *command, unsigned needs)
{
	memset(env, 0, sizeof(*env));
	env->command = command;
	env->needs = needs;
	env->codes = ETH_CODES_NONE;
}

int cli_env_set_codes(struct cli_env *env, const char *name)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (ethnicity_code_system_parse(name, &env->codes, &err) < 0)
		return cli_usage_error("%s: %s", env->command, err.message);
	return CLI_OK;
}

/* Report `err` and give the exit status it calls for. */
static int failed(const struct parity_error *err)
{
	cli_report(err);
	return cli_exit_for(err);
}

int cli_env_open(struct cli_env *env, unsigned needs)
{
	struct parity_error err = PARITY_ERROR_INIT;
	int status = CLI_OK;

	/* Census figures are by area */
	if ((needs & (CLI_NEED_AREAS | CLI_NEED_CENSUS)) && !env->areas &&
	    area_set_load(&env->areas, &err) < 0)
		return failed(&err);
	if ((needs & CLI_NEED_STORE) && !env->store)
		status = cli_store_open(&env->store, env->db);
	else if ((needs & CLI_NEED_STORE_READ) && !env->store)
		status = cli_store_open_readonly(&env->store, env->db);
	if (status != CLI_OK)
		return status;
	/* the groups of boroughs a user defined are areas too */
	if (env->areas && env->store && !env->area_groups) {
		if (store_area_groups_load(env->store, env->areas, &err) < 0)
			return failed(&err);
		env->area_groups = true;
	}
	if ((needs & CLI_NEED_CLASSIFIER) && !env->classifier) {
		status = cli_classifier_load(&env->classifier, env->aliases,
					     env->store, &env->aliases_register);
		if (status != CLI_OK)
			return status;
		ethnicity_classifier_set_code_system(env->classifier,
						     env->codes);
	}
	if ((needs & CLI_NEED_SERVICES) && !env->services &&
	    (service_defs_load(&env->services, &err) < 0 ||
	     (env->definitions &&
	      service_defs_load_file(env->services, env->definitions,
				     &err) < 0)))
		return failed(&err);
	if ((needs & CLI_NEED_CENSUS) && !env->census &&
	    benchmark_load_census2021(&env->census, env->areas, &err) < 0)
		return failed(&err);
	if ((needs & CLI_NEED_FRAMEWORKS) && !env->frameworks) {
		struct diag_list problems = DIAG_LIST_INIT;

		if (framework_set_load(&env->frameworks, &problems) < 0 ||
		    (env->framework_file &&
		     framework_set_add_file(env->frameworks,
					    env->framework_file,
					    &problems) < 0))
			status = CLI_INVALID;
		cli_print_diags(&problems, 50, 50);
		diag_list_release(&problems);
		if (status != CLI_OK)
			return status;
	}
	return CLI_OK;
}

void cli_env_close(struct cli_env *env)
{
	framework_set_free(env->frameworks);
	benchmark_free(env->census);
	service_defs_free(env->services);
	ethnicity_classifier_free(env->classifier);
	alias_register_release(&env->aliases_register);
	store_close(env->store);
	area_set_free(env->areas);
	cli_env_init(env, env->command, env->needs);
}

const char *cli_area_name(const struct area_set *areas, const char *code)
{
	int k = area_find(areas, code);

	return k < 0 ? code : areas->areas[k].name;
}
