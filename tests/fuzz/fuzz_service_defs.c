/*
 * fuzz_service_defs.c - a user's service definitions in JSON
 * (service_defs_load_file() in src/domain/service_def.h) on any bytes.
 *
 * Each input is added to a fresh copy of the built-in definitions, as
 * `parity report service --definitions FILE` and `parity import service
 * --definitions FILE` do; then every service is looked up by its name and
 * every stage and alternative base by its name and aliases.
 *
 * Promises checked: a service loaded is found by its own name; each stage
 * and base is found by its name and each alias, at its own index
 * (service_def.h); a stage's rate is taken of a stage before it (`from`),
 * and the base's of itself.
 */
#include "fuzz.h"

#include "domain/service_def.h"

static void check_def(const struct service_defs *defs,
		      const struct service_def *d)
{
	size_t n = d->stage_count + d->base_count, i, a;

	if (!service_def_find(defs, d->name))
		fuzz_fail("service_defs: service '%s' is not found by its "
			  "name", d->name);
	if (d->stage_count < 2)
		fuzz_fail("service_defs: service '%s' has %zu stages", d->name,
			  d->stage_count);
	for (i = 0; i < n; i++) {
		const struct service_stage *st = service_stage_at(d, i);

		if (!st || !st->name)
			fuzz_fail("service_defs: service '%s' has no stage %zu",
				  d->name, i);
		if (i < d->stage_count && i > 0 && st->from >= i)
			fuzz_fail("service_defs: service '%s', stage %zu is "
				  "taken of stage %zu", d->name, i, st->from);
		if (i == 0 && st->from != 0)
			fuzz_fail("service_defs: service '%s': the base is "
				  "taken of stage %zu", d->name, st->from);
		for (a = 0; a <= st->alias_count; a++) {
			const char *label = a ? st->aliases[a - 1] : st->name;
			int found = service_stage_find(d, label);

			if (found < 0 || (size_t)found != i)
				fuzz_fail("service_defs: service '%s': '%s' "
					  "finds stage %d, not %zu", d->name,
					  label, found, i);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_defs *defs;
	const char *path = fuzz_write("services.json", data, size);
	size_t k;
	int rc;

	if (service_defs_load(&defs, &err) < 0)
		fuzz_fail("service_defs: the built-in definitions do not "
			  "load: %s", err.message);
	rc = service_defs_load_file(defs, path, &err);
	fuzz_debug("service_defs: %d, %zu services: %s", rc, defs->count,
		   rc < 0 ? err.message : "ok");
	fuzz_check_failure("service_defs: the load", rc, &err);
	for (k = 0; k < defs->count; k++)
		check_def(defs, &defs->defs[k]);
	service_defs_free(defs);
	return 0;
}
