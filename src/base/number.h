/*
 * number.h - strict parsing of the numbers that appear in councils' files.
 *
 * Unlike strtod(), these accept only plain decimal numbers: no hex, no
 * exponents, no 'inf' or 'nan', nothing trailing. Surrounding spaces are
 * allowed. They return 0 on success and -1 when the text is not a number;
 * the caller names the file, line and column.
 */
#ifndef PARITY_BASE_NUMBER_H
#define PARITY_BASE_NUMBER_H

#include <stdbool.h>

/* '52340', '-3', '52340.5', '0.75'. */
int number_parse(const char *s, double *out);
/* As number_parse, also allowing thousands separators that are correctly
 * placed ('52,340') and, when `money` is true, a leading '£' ('£52,340.00'). */
int number_parse_grouped(const char *s, bool money, double *out);
/* A whole number in [min, max]. */
int number_parse_int(const char *s, long min, long max, long *out);

#endif
