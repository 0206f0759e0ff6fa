/*
 * site_sex.h - the 'By sex' section of an area's workforce figures on the
 * published site (site_sex.c): the measures by sex (measure/workforce_sex.h)
 * of a protected workforce table, for the overview, each borough's page and
 * the hub's figures page alike.
 */
#ifndef PARITY_SITE_SITE_SEX_H
#define PARITY_SITE_SITE_SEX_H

#include "base/strbuf.h"
#include "table/table.h"

struct site_tables;

/*
 * Append the 'By sex' section for area `code` (named `name`) of `t`, a
 * protected workforce table: staff by sex, then for female and for male
 * staff each group's staff count, representation ratio, median pay gap and
 * relative likelihoods, each against White staff of the same sex. Nothing
 * when `t` holds no rows by sex for the area. `id_prefix` keeps ids
 * unique on the page. `tt` writes each table's rows as a CSV and links it
 * beside the table (site_tables.h); NULL for neither (the hub).
 */
void site_sex_section(struct strbuf *sb, const struct tidy_table *t,
		      int year, const char *code, const char *name,
		      const char *id_prefix, struct site_tables *tt);

#endif
