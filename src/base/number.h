/*
 * number.h - strict parsing of the numbers that appear in councils' files,
 * and rounding and grouping numbers for reading.
 *
 * Unlike strtod(), these accept only plain decimal numbers: no hex, no
 * exponents, no 'inf' or 'nan', nothing trailing. Surrounding spaces are
 * allowed. They return 0 on success and -1 when the text is not a number;
 * the caller names the file, line and column.
 *
 * And the rounding and digit grouping every figure shown for reading
 * uses (units are the table's: table/render.h's format_value()).
 */
#ifndef PARITY_BASE_NUMBER_H
#define PARITY_BASE_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* '52340', '-3', '52340.5', '0.75'. */
int number_parse(const char *s, double *out);
/* As number_parse, also allowing thousands separators that are correctly
 * placed ('52,340') and, when `money` is true, a leading '£' ('£52,340.00'). */
int number_parse_grouped(const char *s, bool money, double *out);
/* A whole number in [min, max]. */
int number_parse_int(const char *s, long min, long max, long *out);

/* Round half away from zero to `places` decimal places (a value stored as
 * 0.12499999... for 0.125 still rounds as the decimal it was written as). */
double round_half_away(double v, int places);
/* `v` with `places` decimals and a comma between each three digits before
 * the point: "-8,799,736.5". */
void number_format_grouped(double v, int places, char *buf, size_t size);

#endif
