/*
 * svg.c - dot-and-whisker charts and funnel plots as inline SVG (see
 * svg.h). Each chart is drawn in two fixed viewBoxes, wide and narrow,
 * which scale with the page; the value axis is linear, with a few round
 * ticks chosen to cover every figure and interval drawn, thinned where
 * their values would touch. Text is real SVG text, so it reads at any
 * zoom and can be selected, and it is drawn in black on white; a funnel
 * plot's names are placed clear of each other (svg_labels.h).
 */
#include "site/svg.h"

#include "base/alloc.h"
#include "domain/ethnicity.h"
#include "site/html.h"
#include "site/svg_labels.h"
#include "table/render.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_PAD 16.0
#define MARKER 6.0
/* the funnel plot's own 95% ranges: #8c8c8c is 3.4:1 against white
 * (WCAG 1.4.11 asks 3:1 of the parts of a graphic needed to read it) */
#define RANGE_GREY "#8c8c8c"

/*
 * Each chart is drawn twice, for wide and for narrow screens; the
 * stylesheet shows one (parity.scss: .parity-chart--wide, --narrow). The
 * viewBox's width and the font size are chosen so that text is at least
 * 14 px where each is shown: the wide one from 768 px of screen up (drawn
 * at 709 px or more for 680 units), the narrow one below (at 345 px for
 * 340 units on a phone of 375 px).
 */
struct layout {
	const char *suffix;   /* after the chart's id, in ids */
	const char *variant;  /* the class's modifier */
	double width, font;
	int ticks;            /* about how many ticks an axis has */
	bool narrow;
};

static const struct layout WIDE = { "", "wide", 680, 14, 5, false };
static const struct layout NARROW = { "-n", "narrow", 340, 15, 4, true };

static double line_height(const struct layout *l)
{
	return l->font * 1.3;
}

/* A range to draw, grown by the figures in it. */
struct range {
	double lo, hi;
};

static void grow(struct range *r, double v)
{
	if (isnan(v) || isinf(v))
		return;
	if (v < r->lo)
		r->lo = v;
	if (v > r->hi)
		r->hi = v;
}

/* A figure of a row as it may be drawn: NAN when withheld, so that a
 * withheld figure neither gets a mark nor stretches an axis. */
static double shown(const struct tidy_row *r, enum tidy_column c)
{
	return tidy_row_withheld(r, c) ? NAN : tidy_row_number(r, c);
}

/* A round step for about `n` ticks over [lo, hi]; the range is widened
 * to whole steps. */
static double nice_range(struct range *r, int n)
{
	double span, step, mag, f;

	if (!(r->hi > r->lo)) {
		double pad = r->lo == 0 ? 1 : fabs(r->lo) * 0.1;

		r->lo -= pad;
		r->hi += pad;
	}
	span = r->hi - r->lo;
	mag = pow(10, floor(log10(span / n)));
	f = span / n / mag;
	step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
	r->lo = floor(r->lo / step) * step;
	r->hi = ceil(r->hi / step) * step;
	return step;
}

static double scale(const struct range *r, double v, double from, double to)
{
	return from + (v - r->lo) / (r->hi - r->lo) * (to - from);
}

static void tick_text(double v, double step, char *buf, size_t size)
{
	int places = step >= 1 ? 0 : (int)ceil(-log10(step));

	if (places > 4)
		places = 4;
	if (fabs(v) < step / 1e6)
		v = 0;
	if (step >= 1000 && fabs(v) >= 1000)
		format_value(v, UNIT_COUNT, buf, size);
	else
		snprintf(buf, size, "%.*f", places, v);
}

/* Where to break `text` into lines no wider than `width`: the length of
 * each line (at a space) in len[], at most `max` lines; returns how
 * many. A word wider than the line has a line of its own. */
static size_t wrap(const char *text, double width, double font, size_t *len,
		   size_t max)
{
	size_t n = 0;

	while (*text && n < max) {
		size_t k, best = 0;
		char line[256];

		/* word by word, while the line fits; the first word always */
		for (k = 0;; k++) {
			size_t m;

			if (text[k] != ' ' && text[k] != '\0')
				continue;
			m = k < sizeof(line) - 1 ? k : sizeof(line) - 1;
			memcpy(line, text, m);
			line[m] = '\0';
			if (best > 0 && svg_text_width(line, font) > width)
				break;
			best = text[k] == ' ' ? k + 1 : k;
			if (text[k] == '\0')
				break;
		}
		len[n++] = best;
		text += best;
	}
	return n;
}

/* `text` on lines of at most `width` from (x, y), the first line's
 * baseline; returns the number of lines. */
static size_t text_lines(struct strbuf *sb, const struct layout *l,
			 double x, double y, const char *anchor,
			 const char *text, double width)
{
	size_t len[8], n = wrap(text, width, l->font, len, 8), k;
	char line[256];

	for (k = 0; k < n; k++) {
		size_t m = len[k] < sizeof(line) - 1 ? len[k] : sizeof(line) - 1;

		memcpy(line, text, m);
		line[m] = '\0';
		if (m > 0 && line[m - 1] == ' ')
			line[m - 1] = '\0';
		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
			    x, y + line_height(l) * (double)k, anchor);
		html_escape(sb, line);
		strbuf_addstr(sb, "</text>\n");
		text += len[k];
	}
	return n;
}

static size_t count_lines(const struct layout *l, const char *text,
			  double width)
{
	size_t len[8];

	return wrap(text, width, l->font, len, 8);
}

/* The height under an axis line: its values and its name. */
static double axis_height(const struct layout *l, const char *label,
			  double width)
{
	return 8 + line_height(l) * (1 + (double)count_lines(l, label, width)) +
	       6;
}

static void open_svg(struct strbuf *sb, const struct svg_chart *c,
		     const struct layout *l, double height)
{
	strbuf_addf(sb, "<svg class=\"parity-chart parity-chart--%s\" "
			"role=\"img\" viewBox=\"0 0 %.0f %.0f\" "
			"xmlns=\"http://www.w3.org/2000/svg\" "
			"aria-labelledby=\"", l->variant, l->width, height);
	html_escape(sb, c->id);
	strbuf_addf(sb, "%s-title ", l->suffix);
	html_escape(sb, c->id);
	strbuf_addf(sb, "%s-desc\" font-size=\"%.0f\">\n<title id=\"",
		    l->suffix, l->font);
	html_escape(sb, c->id);
	strbuf_addf(sb, "%s-title\">", l->suffix);
	html_escape(sb, c->title);
	strbuf_addstr(sb, "</title>\n<desc id=\"");
	html_escape(sb, c->id);
	strbuf_addf(sb, "%s-desc\">", l->suffix);
	html_escape(sb, c->desc);
	strbuf_addstr(sb, "</desc>\n<rect width=\"100%\" height=\"100%\" "
			  "fill=\"#ffffff\"/>\n");
}

/* Direction a figure points, from its flag: 1 above, -1 below, 0 none. */
static int direction(const struct tidy_row *r, double reference)
{
	const char *f = r->flag;

	if (strcmp(f, "over") == 0 || strncmp(f, "above", 5) == 0 ||
	    strcmp(f, "higher") == 0)
		return 1;
	if (strcmp(f, "under") == 0 || strncmp(f, "below", 5) == 0 ||
	    strcmp(f, "lower") == 0)
		return -1;
	/* a trend that narrowed or widened points the way its slope does */
	if ((strcmp(f, "significant") == 0 || strcmp(f, "narrowed") == 0 ||
	     strcmp(f, "widened") == 0) &&
	    !isnan(reference))
		return r->value > reference ? 1 : r->value < reference ? -1 : 0;
	return 0;
}

/* A marker whose shape says what its colour says. */
static void marker(struct strbuf *sb, double x, double y, int dir,
		   bool outer)
{
	const char *colour = dir > 0 ? SVG_VERMILLION
			     : dir < 0 ? SVG_BLUE : SVG_BLACK;

	if (dir > 0)
		strbuf_addf(sb, "<path class=\"parity-marker-up\" d=\"M%.1f %.1f"
				"L%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" "
				"stroke=\"%s\"/>\n",
			    x, y - MARKER - 1, x + MARKER + 1, y + MARKER,
			    x - MARKER - 1, y + MARKER, outer ? colour : "#ffffff",
			    colour);
	else if (dir < 0)
		strbuf_addf(sb, "<path class=\"parity-marker-down\" d=\"M%.1f "
				"%.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" "
				"stroke=\"%s\"/>\n",
			    x, y + MARKER + 1, x + MARKER + 1, y - MARKER,
			    x - MARKER - 1, y - MARKER, outer ? colour : "#ffffff",
			    colour);
	else
		strbuf_addf(sb, "<circle class=\"parity-marker\" cx=\"%.1f\" "
				"cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"%s\" "
				"stroke-width=\"1.5\"/>\n",
			    x, y, MARKER - 1, outer ? SVG_BLACK : "#ffffff",
			    SVG_BLACK);
}

/* The value axis along the bottom, from x0 to x1 at y_axis, its grid lines
 * up to y_top, and its name under it; ticks whose values would touch are
 * thinned to every second (or third...) one. */
static void value_axis(struct strbuf *sb, const struct layout *l,
		       const struct range *r, double step, double x0,
		       double x1, double y_top, double y_axis,
		       const char *label)
{
	int i, ticks = (int)lround((r->hi - r->lo) / step), every = 1;
	double widest = 0;
	char text[64];

	for (i = 0; i <= ticks; i++) {
		double w;

		tick_text(r->lo + step * i, step, text, sizeof(text));
		w = svg_text_width(text, l->font);
		if (w > widest)
			widest = w;
	}
	while (ticks > 0 && every < ticks &&
	       (x1 - x0) / ticks * every < widest + 8)
		every++;
	strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#505a5f\"/>\n", x0, y_axis, x1, y_axis);
	for (i = 0; i <= ticks; i++) {
		double v = r->lo + step * i;
		double x = scale(r, v, x0, x1);

		strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#d8d8d8\"/>\n",
			    x, y_top, x, y_axis + 5);
		if (i % every != 0)
			continue;
		tick_text(v, step, text, sizeof(text));
		/* the end values stay inside the chart */
		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" "
				"text-anchor=\"%s\">", x,
			    y_axis + 8 + l->font,
			    i == 0 && x - widest / 2 < 2 ? "start"
			    : i == ticks && x + widest / 2 > l->width - 2
				    ? "end" : "middle");
		html_escape(sb, text);
		strbuf_addstr(sb, "</text>\n");
	}
	/* narrow: the name across the whole chart, from its left edge */
	text_lines(sb, l, l->narrow ? 4 : (x0 + x1) / 2,
		   y_axis + 8 + l->font + line_height(l),
		   l->narrow ? "start" : "middle", label,
		   l->narrow ? l->width - 8 : x1 - x0);
}

static const char *row_label(const struct tidy_row *r, enum svg_label l)
{
	return l == SVG_LABEL_AREA	    ? r->area_name
	       : l == SVG_LABEL_SHORT_GROUP ? ethnicity_short_name(r->ethnicity)
					    : r->ethnicity;
}

/* A label cut at a space to fit `width`, on one line, and said to be cut;
 * the full label is in the table beside the chart. */
static void label_text(struct strbuf *sb, const char *label, double width,
		       double font)
{
	char buf[256];
	size_t cut;

	if (svg_text_width(label, font) <= width ||
	    strlen(label) >= sizeof(buf)) {
		html_escape(sb, label);
		return;
	}
	cut = strlen(label);
	do {
		while (cut > 1 && label[cut - 1] != ' ')
			cut--;
		if (cut > 1)
			cut--;
		memcpy(buf, label, cut);
		buf[cut] = '\0';
	} while (cut > 8 && svg_text_width(buf, font) + font > width);
	html_escape(sb, buf);
	strbuf_addstr(sb, "…");
}

static void dot_whisker_layout(struct strbuf *sb, const struct tidy_table *t,
			       const size_t *rows, size_t nrows,
			       const struct svg_chart *chart,
			       const struct layout *l)
{
	struct range r = { INFINITY, -INFINITY };
	/* wide: names in a column on the left; narrow: each name above its
	 * line, across the chart */
	double label_width = l->narrow ? 0 : 250;
	double x0 = l->narrow ? 12 : label_width, x1 = l->width - (l->narrow
								   ? 12 : 30);
	double row_height = l->narrow ? line_height(l) + 26 : 32;
	double step, height, axis, plot_bottom, y;
	size_t k;

	for (k = 0; k < nrows; k++) {
		const struct tidy_row *row = &t->rows[rows[k]];

		if (isnan(shown(row, TIDY_VALUE)))
			continue;
		grow(&r, row->value);
		grow(&r, shown(row, TIDY_CI_LOW));
		grow(&r, shown(row, TIDY_CI_HIGH));
	}
	grow(&r, chart->reference);
	if (isinf(r.lo)) {
		r.lo = 0;
		r.hi = 1;
	}
	step = nice_range(&r, l->ticks);
	axis = axis_height(l, chart->axis, l->narrow ? l->width - 8 : x1 - x0);
	plot_bottom = TOP_PAD + row_height * (double)(nrows ? nrows : 1);
	height = plot_bottom + axis;
	open_svg(sb, chart, l, height);
	value_axis(sb, l, &r, step, x0, x1, TOP_PAD, plot_bottom, chart->axis);
	if (!isnan(chart->reference)) {
		double x = scale(&r, chart->reference, x0, x1);

		strbuf_addf(sb, "<line class=\"parity-reference\" x1=\"%.1f\" "
				"y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#505a5f\" stroke-width=\"2\" "
				"stroke-dasharray=\"6 3\"/>\n",
			    x, TOP_PAD - 6, x, plot_bottom);
	}
	for (k = 0; k < nrows; k++) {
		const struct tidy_row *row = &t->rows[rows[k]];
		double top = TOP_PAD + row_height * (double)k;

		if (l->narrow) {
			/* the name above the line, on a white ground so the
			 * reference line does not cross it */
			strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" "
					"paint-order=\"stroke\" stroke=\"#ffffff\" "
					"stroke-width=\"4\" stroke-linejoin=\"round\">",
				    x0 - 4, top + l->font);
			label_text(sb, row_label(row, chart->label),
				   l->width - x0, l->font);
			strbuf_addstr(sb, "</text>\n");
			y = top + line_height(l) + 12;
		} else {
			y = top + row_height / 2;
			strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" "
					"text-anchor=\"end\" "
					"dominant-baseline=\"middle\">",
				    x0 - 10, y);
			label_text(sb, row_label(row, chart->label),
				   label_width - 14, l->font);
			strbuf_addstr(sb, "</text>\n");
		}
		if (isnan(shown(row, TIDY_VALUE))) {
			strbuf_addf(sb, "<text class=\"parity-withheld\" "
					"x=\"%.1f\" y=\"%.1f\" "
					"dominant-baseline=\"middle\">%s</text>\n",
				    x0 + 8, y,
				    tidy_row_withheld(row, TIDY_VALUE)
					    ? TIDY_WITHHELD " withheld"
					    : "not available");
			continue;
		}
		if (!isnan(shown(row, TIDY_CI_LOW)) &&
		    !isnan(shown(row, TIDY_CI_HIGH)))
			strbuf_addf(sb, "<line class=\"parity-interval\" "
					"x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
					"y2=\"%.1f\" stroke=\"%s\" "
					"stroke-width=\"2\"/>\n"
					"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
					"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n"
					"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
					"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
				    scale(&r, row->ci_low, x0, x1), y,
				    scale(&r, row->ci_high, x0, x1), y, SVG_BLACK,
				    scale(&r, row->ci_low, x0, x1), y - 5,
				    scale(&r, row->ci_low, x0, x1), y + 5,
				    SVG_BLACK, scale(&r, row->ci_high, x0, x1),
				    y - 5, scale(&r, row->ci_high, x0, x1), y + 5,
				    SVG_BLACK);
		marker(sb, scale(&r, row->value, x0, x1), y,
		       direction(row, chart->reference), true);
	}
	strbuf_addstr(sb, "</svg>\n");
}

void svg_dot_whisker(struct strbuf *sb, const struct tidy_table *t,
		     const size_t *rows, size_t nrows,
		     const struct svg_chart *chart)
{
	dot_whisker_layout(sb, t, rows, nrows, chart, &WIDE);
	dot_whisker_layout(sb, t, rows, nrows, chart, &NARROW);
}

static void polyline(struct strbuf *sb, const struct svg_funnel_curves *c,
		     const double *ys, const struct range *rx,
		     const struct range *ry, double x0, double x1, double y0,
		     double y1, const char *dash, const char *cls)
{
	size_t k;
	bool any = false;

	if (!ys)
		return;
	strbuf_addf(sb, "<polyline class=\"%s\" fill=\"none\" stroke=\"#505a5f\" "
			"stroke-width=\"1.5\" stroke-dasharray=\"%s\" points=\"",
		    cls, dash);
	for (k = 0; k < c->n; k++) {
		double y = ys[k];

		/* Only the part of a curve inside the plot is drawn. */
		if (isnan(y) || c->x[k] < rx->lo || c->x[k] > rx->hi ||
		    y < ry->lo || y > ry->hi)
			continue;
		strbuf_addf(sb, "%s%.1f,%.1f", any ? " " : "",
			    scale(rx, c->x[k], x0, x1), scale(ry, y, y1, y0));
		any = true;
	}
	strbuf_addstr(sb, "\"/>\n");
}

/* Where a funnel row sits along the x axis: its size, or the precision
 * of its log ratio (of its difference, chart->difference); NAN when it
 * cannot be placed, or when what would place it is withheld. */
static double funnel_x(const struct tidy_row *r, const struct svg_chart *c)
{
	double lo = shown(r, TIDY_CI_LOW), hi = shown(r, TIDY_CI_HIGH);

	if (!c->x_precision)
		return shown(r, TIDY_DENOMINATOR);
	if (c->difference)
		return hi > lo ? 2 * 1.959964 / (hi - lo) : NAN;
	if (!(lo > 0) || !(hi > lo))
		return NAN;
	return 2 * 1.959964 / log(hi / lo);
}

/* Whether a funnel row gets a marker: its figure is shown, and it can be
 * placed. A withheld or missing figure is counted as not drawn. */
static bool funnel_drawn(const struct tidy_row *r, const struct svg_chart *c)
{
	return !isnan(shown(r, TIDY_VALUE)) && !isnan(funnel_x(r, c));
}

/* A funnel plot's point: where it is drawn, and its label. */
struct funnel_point {
	const struct tidy_row *row;
	double x, y;
	int dir;
	bool mark;     /* highlighted */
	int number;    /* its number in the key (0: named on the chart) */
	char name[128];
};

/* Which points are named first: the highlighted borough, then those
 * outside the expected range, then the rest from the most precise. */
static int label_rank(const struct funnel_point *p)
{
	return p->mark ? 0 : p->dir != 0 ? 1 : 2;
}

static int by_label_rank(const void *a, const void *b)
{
	const struct funnel_point *x = a, *y = b;
	int rx = label_rank(x), ry = label_rank(y);

	if (rx != ry)
		return rx - ry;
	return x->x < y->x ? 1 : x->x > y->x ? -1 : 0;
}

static void funnel_label(struct strbuf *sb, const struct funnel_point *p,
			 const struct svg_label_item *it, const char *text)
{
	if (!it->placed)
		return;
	if (it->leader) {
		double nx, ny;

		svg_label_leader_end(it, &nx, &ny);
		strbuf_addf(sb, "<line class=\"parity-leader\" x1=\"%.1f\" "
				"y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#505a5f\"/>\n", p->x, p->y, nx, ny);
	}
	strbuf_addf(sb, "<text class=\"parity-funnel-label\" x=\"%.1f\" "
			"y=\"%.1f\" dominant-baseline=\"central\" "
			"paint-order=\"stroke\" stroke=\"#ffffff\" "
			"stroke-width=\"4\" stroke-linejoin=\"round\"%s>",
		    it->at.x + 1, it->at.y + it->at.h / 2,
		    p->mark ? " font-weight=\"bold\"" : "");
	html_escape(sb, text);
	strbuf_addstr(sb, "</text>\n");
}

static void funnel_layout(struct strbuf *sb, const struct tidy_table *t,
			  const size_t *rows, size_t nrows,
			  const struct svg_funnel_curves *curves,
			  const struct svg_chart *chart, const char *highlight,
			  const struct layout *l)
{
	struct range rx = { 0, -INFINITY }, ry = { INFINITY, -INFINITY };
	const char *xlabel = chart->x_precision && chart->difference
		? "Precision of the gap: more pupils further right"
		: chart->x_precision
		? "Precision of the figure: more staff and events further right"
		: "Number of staff the figure rests on";
	const double left = l->narrow ? 56 : 84;
	const double right = l->width - (l->narrow ? 10 : 30);
	const double top = TOP_PAD, bottom = l->narrow ? 400 : 360;
	struct funnel_point *pts = xcalloc(nrows ? nrows : 1, sizeof(*pts));
	struct svg_label_item *items = xcalloc(nrows ? nrows : 1,
					       sizeof(*items));
	struct svg_box *avoid = xcalloc(2 * (nrows ? nrows : 1),
					sizeof(*avoid));
	struct svg_box area = { left + 2, top, right - left - 2,
				bottom - top - 2 };
	double xstep, ystep, height, y_key;
	size_t k, npts = 0, nkey = 0, nnumbered = 0, withheld = 0;
	int i, yticks;
	char text[64];

	for (k = 0; k < nrows; k++) {
		const struct tidy_row *row = &t->rows[rows[k]];

		if (!funnel_drawn(row, chart))
			continue;
		grow(&rx, funnel_x(row, chart));
		grow(&ry, row->value);
		grow(&ry, shown(row, TIDY_CI_LOW));
		grow(&ry, shown(row, TIDY_CI_HIGH));
	}
	grow(&ry, chart->reference);
	if (isinf(rx.hi))
		rx.hi = 1;
	if (isinf(ry.lo)) {
		ry.lo = 0;
		ry.hi = 1;
	}
	xstep = nice_range(&rx, l->ticks);
	ystep = nice_range(&ry, l->ticks + 1);

	/* Every borough drawn is named: by its name beside it where there
	 * is room, else by a number beside it and a key under the chart. */
	for (k = 0; k < nrows; k++) {
		const struct tidy_row *row = &t->rows[rows[k]];
		struct funnel_point *p = &pts[npts];

		if (!funnel_drawn(row, chart)) {
			withheld++;
			continue;
		}
		p->row = row;
		p->x = scale(&rx, funnel_x(row, chart), left, right);
		p->y = scale(&ry, row->value, bottom, top);
		p->dir = direction(row, chart->reference);
		p->mark = highlight && row->area_code &&
			  strcmp(row->area_code, highlight) == 0;
		snprintf(p->name, sizeof(p->name), "%s", row->area_name);
		npts++;
	}
	qsort(pts, npts, sizeof(*pts), by_label_rank);
	for (k = 0; k < npts; k++) {
		double m = MARKER + 2;

		avoid[k] = (struct svg_box){ pts[k].x - m, pts[k].y - m, 2 * m,
					     2 * m };
		items[k].px = pts[k].x;
		items[k].py = pts[k].y;
		items[k].w = svg_text_width(pts[k].name, l->font) +
			     (pts[k].mark ? l->font : 2);
		items[k].h = l->font * 1.25;
	}
	svg_place_labels(items, npts, &area, avoid, npts, 2);
	/* the rest by number, kept clear of the names placed */
	{
		size_t navoid = npts;
		struct svg_label_item *numbered = xcalloc(npts ? npts : 1,
							  sizeof(*numbered));

		for (k = 0; k < npts; k++)
			if (items[k].placed)
				avoid[navoid++] = items[k].at;
		for (k = 0; k < npts; k++) {
			if (items[k].placed)
				continue;
			pts[k].number = (int)++nkey;
			snprintf(text, sizeof(text), "%d", pts[k].number);
			numbered[nnumbered] = items[k];
			numbered[nnumbered].w = svg_text_width(text, l->font) + 2;
			nnumbered++;
		}
		svg_place_labels(numbered, nnumbered, &area, avoid, navoid, 2);
		/* a number with no room clear of the markers may sit over
		 * one (it is drawn on white), still clear of every label */
		{
			size_t nplaced = 0, nleft = 0, j;
			struct svg_label_item *left_over = xcalloc(
				nnumbered ? nnumbered : 1, sizeof(*left_over));

			for (k = 0; k < npts; k++)
				if (items[k].placed)
					avoid[nplaced++] = items[k].at;
			for (j = 0; j < nnumbered; j++)
				if (numbered[j].placed)
					avoid[nplaced++] = numbered[j].at;
				else
					left_over[nleft++] = numbered[j];
			svg_place_labels(left_over, nleft, &area, avoid, nplaced,
					 1);
			for (j = 0, nleft = 0; j < nnumbered; j++)
				if (!numbered[j].placed)
					numbered[j] = left_over[nleft++];
			free(left_over);
		}
		for (k = 0, i = 0; k < npts; k++)
			if (pts[k].number > 0)
				items[k] = numbered[i++];
		free(numbered);
	}

	height = bottom + axis_height(l, xlabel, l->narrow ? l->width - 8
							    : right - left);
	y_key = height;
	if (withheld > 0)
		height += line_height(l);
	if (nkey > 0)
		height += line_height(l) * (double)(nkey + 1) + 4;
	open_svg(sb, chart, l, height);
	/* The size axis along the bottom, the value axis up the side. */
	value_axis(sb, l, &rx, xstep, left, right, top, bottom, xlabel);
	strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#505a5f\"/>\n", left, top, left, bottom);
	yticks = (int)lround((ry.hi - ry.lo) / ystep);
	for (i = 0; i <= yticks; i++) {
		double v = ry.lo + ystep * i;
		double y = scale(&ry, v, bottom, top);

		tick_text(v, ystep, text, sizeof(text));
		strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#d8d8d8\"/>\n<text x=\"%.1f\" "
				"y=\"%.1f\" text-anchor=\"end\" "
				"dominant-baseline=\"middle\">",
			    left - 5, y, right, y, left - 8, y);
		html_escape(sb, text);
		strbuf_addstr(sb, "</text>\n");
	}
	strbuf_addf(sb, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
			"text-anchor=\"middle\">", l->font + 2,
		    (top + bottom) / 2);
	html_escape(sb, chart->axis);
	strbuf_addstr(sb, "</text>\n");
	if (!isnan(chart->reference)) {
		double y = scale(&ry, chart->reference, bottom, top);

		strbuf_addf(sb, "<line class=\"parity-target\" x1=\"%.1f\" "
				"y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#0b0c0c\" stroke-width=\"2\"/>\n",
			    left, y, right, y);
	}
	if (curves && curves->n > 0) {
		polyline(sb, curves, curves->low95, &rx, &ry, left, right, top,
			 bottom, "6 3", "parity-limit-95");
		polyline(sb, curves, curves->high95, &rx, &ry, left, right, top,
			 bottom, "6 3", "parity-limit-95");
		polyline(sb, curves, curves->low998, &rx, &ry, left, right, top,
			 bottom, "2 3", "parity-limit-998");
		polyline(sb, curves, curves->high998, &rx, &ry, left, right,
			 top, bottom, "2 3", "parity-limit-998");
	}
	/* The boroughs' own 95% limits at their sizes, under every marker. */
	for (k = 0; k < npts; k++) {
		const struct tidy_row *row = pts[k].row;

		if (!isnan(shown(row, TIDY_CI_LOW)) &&
		    !isnan(shown(row, TIDY_CI_HIGH)))
			strbuf_addf(sb, "<line class=\"parity-interval\" "
					"x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
					"y2=\"%.1f\" stroke=\"" RANGE_GREY "\" "
					"stroke-width=\"3\"/>\n",
				    pts[k].x, scale(&ry, row->ci_low, bottom, top),
				    pts[k].x,
				    scale(&ry, row->ci_high, bottom, top));
	}
	/* The highlighted borough last, on top, ringed. */
	for (k = npts; k-- > 0;) {
		const struct funnel_point *p = &pts[k];

		marker(sb, p->x, p->y, p->dir,
		       strstr(p->row->flag, "99.8") != NULL || p->dir == 0);
		if (p->mark)
			strbuf_addf(sb, "<circle class=\"parity-highlight\" "
					"cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
					"fill=\"none\" stroke=\"#0b0c0c\" "
					"stroke-width=\"2\"/>\n",
				    p->x, p->y, MARKER + 5);
	}
	for (k = 0; k < npts; k++) {
		if (pts[k].number > 0)
			snprintf(text, sizeof(text), "%d", pts[k].number);
		funnel_label(sb, &pts[k], &items[k],
			     pts[k].number > 0 ? text : pts[k].name);
	}
	if (withheld > 0) {
		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">%zu not drawn: %s "
				"or not available</text>\n",
			    l->narrow ? 4 : left, y_key + l->font, withheld,
			    TIDY_WITHHELD);
		y_key += line_height(l);
	}
	if (nkey > 0) {
		double x = l->narrow ? 4 : left;

		strbuf_addf(sb, "<text class=\"parity-funnel-key\" x=\"%.1f\" "
				"y=\"%.1f\">Numbered on the chart:</text>\n",
			    x, y_key + l->font);
		for (k = 0; k < npts; k++) {
			double y;

			if (pts[k].number == 0)
				continue;
			y = y_key + l->font +
			    line_height(l) * (double)pts[k].number;
			strbuf_addf(sb, "<text class=\"parity-funnel-key\" "
					"x=\"%.1f\" y=\"%.1f\">%d: ",
				    x, y, pts[k].number);
			html_escape(sb, pts[k].name);
			strbuf_addstr(sb, items[k].placed ? "</text>\n"
					  : " (not marked)</text>\n");
		}
	}
	strbuf_addstr(sb, "</svg>\n");
	free(pts);
	free(items);
	free(avoid);
}

void svg_funnel(struct strbuf *sb, const struct tidy_table *t,
		const size_t *rows, size_t nrows,
		const struct svg_funnel_curves *curves,
		const struct svg_chart *chart)
{
	svg_funnel_highlight(sb, t, rows, nrows, curves, chart, chart->highlight);
}

void svg_funnel_highlight(struct strbuf *sb, const struct tidy_table *t,
			  const size_t *rows, size_t nrows,
			  const struct svg_funnel_curves *curves,
			  const struct svg_chart *chart,
			  const char *highlight)
{
	funnel_layout(sb, t, rows, nrows, curves, chart, highlight, &WIDE);
	funnel_layout(sb, t, rows, nrows, curves, chart, highlight, &NARROW);
}
