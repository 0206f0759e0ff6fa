/*
 * sex.h - the sexes of the workforce measures by sex, and how a tidy row's
 * breakdown carries one.
 *
 * A workforce return's `sex` column (docs/formats/workforce-return.md) is
 * read into four categories: female, male, non-binary or other (non-binary,
 * other, x, intersex), and not known (blank, or a not-declared answer such
 * as 'prefer not to say', or a value parity does not recognise). The four
 * partition all staff, which disclosure control relies on
 * (docs/disclosure.md).
 *
 * The by-sex rows of the workforce table carry the sex in the `breakdown`
 * column, before the row's own breakdown: "female" (a count, share or pay
 * figure of female staff), "female; promoted" (an event of female staff),
 * "female; £20,000–£29,999" (a pay band). docs/measures.md says why.
 *
 * Constant data only; nothing to free.
 */
#ifndef PARITY_DOMAIN_SEX_H
#define PARITY_DOMAIN_SEX_H

#include <stdbool.h>
#include <stddef.h>

enum sex {
	SEX_FEMALE,
	SEX_MALE,
	SEX_OTHER,     /* non-binary or other */
	SEX_NOT_KNOWN, /* not given, not declared or not recognised */
	SEX_COUNT
};

/* The breakdown label: "female", "male", "non-binary or other", "sex not
 * known". */
const char *sex_label(enum sex s);

/* The category of a return's `sex` value (NULL: not given), read as the
 * import checks it: case and spaces, hyphens and underscores aside. */
enum sex sex_of(const char *text);

/*
 * Whether `breakdown` is of one sex: "female" or "female; promoted". Then
 * *out is the sex and *rest the breakdown after it ("" or "promoted");
 * either may be NULL.
 */
bool sex_breakdown(const char *breakdown, enum sex *out, const char **rest);

/* "female; promoted" from SEX_FEMALE and "promoted" ("" gives "female"),
 * into buf. */
void sex_breakdown_make(enum sex s, const char *rest, char *buf, size_t size);

#endif
