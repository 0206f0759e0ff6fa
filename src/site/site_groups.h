/*
 * site_groups.h - the published site's pages for groups of boroughs (the
 * partnerships, and groups defined in the store): see site_groups.c. Like
 * site_internal.h, not part of the library's interface.
 */
#ifndef PARITY_SITE_SITE_GROUPS_H
#define PARITY_SITE_SITE_GROUPS_H

#include "base/error.h"
#include "base/strbuf.h"
#include "site/site_internal.h"

/* Write partnerships/SLUG.html for each partnership and groups/SLUG.html
 * for each group of the areas, in copy `c`. */
int site_write_groups(struct site *s, const struct site_copy *c,
		      struct parity_error *err);
/* The sections of the boroughs index that list them, from a page `root`
 * below the copy's root ("../" for boroughs/index.html). Nothing when
 * there are none. */
void site_groups_list(const struct site *s, struct strbuf *sb,
		      const char *root);

#endif
