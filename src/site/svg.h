/*
 * svg.h - charts as inline SVG, drawn from rows of a tidy table.
 *
 * Two charts:
 *   - dot and whisker: one line per row (a group or an area), the figure as
 *     a marker and its 95% interval as a whisker, against a reference line
 *     (1 for a ratio, or none);
 *   - funnel plot: each borough's figure against its size (the row's
 *     denominator) or the precision of its ratio or difference (an
 *     attainment gap), around London's figure (the target), with the
 *     borough's own 95% control limits drawn at its size and, when given,
 *     the control limit curves. Boroughs are compared with what their size
 *     allows, never ranked.
 * Each chart is drawn twice, for wide screens and narrow ones (the
 * stylesheet shows one), so that its text is at least 14 px on a phone
 * of 375 px and on a desktop; the narrow one's ids end "-n". On the
 * narrow dot and whisker each name is above its line. Every borough on
 * a funnel plot is named, beside its point or, where names would
 * collide (svg_labels.h), by a number beside it and a key under the plot.
 * Every chart has role="img", a <title> and a <desc> that says in words
 * what it shows (so it has a text alternative), text labels and axis
 * values, and the Okabe-Ito palette, which stays distinct with colour
 * blindness; the marker's shape also says what its colour says (a
 * triangle pointing up for above, down for below, a circle otherwise), so
 * nothing depends on colour alone. A withheld figure is written "[c]" on
 * its line, never drawn as 0; a funnel plot draws no marker for a withheld
 * or missing figure, or one whose size is withheld, and says how many it
 * left out. No withheld number sets an axis. Charts need no JavaScript and
 * sit beside the table of the same rows (html.h), which carries every
 * number.
 *
 * Everything appends to a caller-owned strbuf.
 */
#ifndef PARITY_SITE_SVG_H
#define PARITY_SITE_SVG_H

#include "base/strbuf.h"
#include "table/table.h"

#include <stdbool.h>
#include <stddef.h>

/* Okabe and Ito (2008), 'Color Universal Design'. */
#define SVG_BLACK "#000000"
#define SVG_ORANGE "#E69F00"
#define SVG_SKY_BLUE "#56B4E9"
#define SVG_GREEN "#009E73"
#define SVG_BLUE "#0072B2"
#define SVG_VERMILLION "#D55E00"
#define SVG_PURPLE "#CC79A7"

enum svg_label {
	SVG_LABEL_GROUP,  /* each line is named by the row's ethnicity */
	SVG_LABEL_AREA,   /* by the row's area name */
	/* by the ethnicity's short name (ethnicity_short_name(): "Black
	 * Caribbean"), for charts of detailed groups alone, as attainment's,
	 * whose full labels would be cut to the same words */
	SVG_LABEL_SHORT_GROUP
};

struct svg_chart {
	const char *id;      /* unique in the page: ids of title and desc */
	const char *title;
	const char *desc;    /* the text alternative: what the chart shows,
			      * in words; the table beside it has the
			      * numbers */
	const char *axis;    /* what the value axis measures */
	double reference;    /* a line at this value (NAN: none) */
	enum svg_label label;
	/* Funnel plots of ratios: the x axis is the precision of each
	 * borough's figure, 1 / the standard error of its log ratio,
	 * recovered from its 95% limits (ci_low, ci_high = reference x
	 * exp(-/+ 1.96 se)), instead of the denominator. */
	bool x_precision;
	/* Funnel plots: the area (its code) whose page the chart is on,
	 * drawn ringed and always named; NULL for none. */
	const char *highlight;
	/* With x_precision, funnel plots of differences (an attainment
	 * gap, in points): the precision is 1 / the standard error of the
	 * difference itself (ci_high - ci_low = 2 x 1.96 se), and the x axis
	 * speaks of pupils. */
	bool difference;
};

/* Dot and whisker of rows `rows` (indices into `t`) of one measure. */
void svg_dot_whisker(struct strbuf *sb, const struct tidy_table *t,
		     const size_t *rows, size_t nrows,
		     const struct svg_chart *chart);

/* Control limit curves for a funnel plot, at sizes x[0..n-1] (ascending):
 * the 95% and 99.8% limits. Any may be NULL (not drawn). */
struct svg_funnel_curves {
	const double *x, *low95, *high95, *low998, *high998;
	size_t n;
};

/*
 * Funnel plot of `funnel_position` rows: x = denominator (the borough's
 * size) or its precision (chart->x_precision), y = value, each with its 95% limits (ci_low, ci_high) marked at
 * its size, the target (chart->reference, London's figure) as a line, and
 * `curves` when not NULL. The rows' flags (within, above_95, ...) choose
 * the markers; every borough is labelled, those outside the 95% limits
 * first.
 */
void svg_funnel(struct strbuf *sb, const struct tidy_table *t,
		const size_t *rows, size_t nrows,
		const struct svg_funnel_curves *curves,
		const struct svg_chart *chart);

/* svg_funnel() with one borough picked out (a borough's own page): the
 * row of area code `highlight` is ringed, named in bold and named first;
 * NULL picks none. */
void svg_funnel_highlight(struct strbuf *sb, const struct tidy_table *t,
			  const size_t *rows, size_t nrows,
			  const struct svg_funnel_curves *curves,
			  const struct svg_chart *chart,
			  const char *highlight);

#endif
