/*
 * svg.c - dot-and-whisker charts and funnel plots as inline SVG (see
 * svg.h). Coordinates are in a fixed viewBox that scales with the page;
 * the value axis is linear, with four to six round ticks chosen to cover
 * every figure and interval drawn. Text is real SVG text, so it reads at
 * any zoom and can be selected, and it is drawn in black on white.
 */
#include "site/svg.h"

#include "site/html.h"
#include "table/render.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define WIDTH 680.0
#define ROW_HEIGHT 30.0
#define LABEL_WIDTH 250.0
#define RIGHT_PAD 30.0
#define TOP_PAD 16.0
#define AXIS_HEIGHT 52.0
#define MARKER 6.0

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

/* A round step for about five ticks over [lo, hi]; the range is widened
 * to whole steps. */
static double nice_range(struct range *r)
{
	double span, step, mag, f;

	if (!(r->hi > r->lo)) {
		double pad = r->lo == 0 ? 1 : fabs(r->lo) * 0.1;

		r->lo -= pad;
		r->hi += pad;
	}
	span = r->hi - r->lo;
	mag = pow(10, floor(log10(span / 5)));
	f = span / 5 / mag;
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
	if (step >= 1000 && fabs(v) >= 1000)
		format_value(v, UNIT_COUNT, buf, size);
	else
		snprintf(buf, size, "%.*f", places, v);
}

static void open_svg(struct strbuf *sb, const struct svg_chart *c,
		     double height)
{
	strbuf_addf(sb, "<svg class=\"parity-chart\" role=\"img\" "
			"viewBox=\"0 0 %.0f %.0f\" "
			"xmlns=\"http://www.w3.org/2000/svg\" "
			"aria-labelledby=\"", WIDTH, height);
	html_escape(sb, c->id);
	strbuf_addstr(sb, "-title ");
	html_escape(sb, c->id);
	strbuf_addstr(sb, "-desc\" font-size=\"13\">\n<title id=\"");
	html_escape(sb, c->id);
	strbuf_addstr(sb, "-title\">");
	html_escape(sb, c->title);
	strbuf_addstr(sb, "</title>\n<desc id=\"");
	html_escape(sb, c->id);
	strbuf_addstr(sb, "-desc\">");
	html_escape(sb, c->desc);
	strbuf_addstr(sb, "</desc>\n<rect width=\"100%\" height=\"100%\" "
			  "fill=\"#ffffff\"/>\n");
}

/* Direction a figure points, from its flag: 1 above, -1 below, 0 none. */
static int direction(const struct tidy_row *r, double reference)
{
	const char *f = r->flag;

	if (strcmp(f, "over") == 0 || strncmp(f, "above", 5) == 0)
		return 1;
	if (strcmp(f, "under") == 0 || strncmp(f, "below", 5) == 0)
		return -1;
	if (strcmp(f, "significant") == 0 && !isnan(reference))
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

static void value_axis(struct strbuf *sb, const struct range *r, double step,
		       double x0, double x1, double y_top, double y_axis,
		       const char *label)
{
	int i, ticks = (int)lround((r->hi - r->lo) / step);
	char text[64];

	strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#505a5f\"/>\n", x0, y_axis, x1, y_axis);
	for (i = 0; i <= ticks; i++) {
		double v = r->lo + step * i;
		double x = scale(r, v, x0, x1);

		tick_text(fabs(v) < step / 1e6 ? 0 : v, step, text,
			  sizeof(text));
		strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#d8d8d8\"/>\n"
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			    x, y_top, x, y_axis + 5, x, y_axis + 20);
		html_escape(sb, text);
		strbuf_addstr(sb, "</text>\n");
	}
	strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
		    (x0 + x1) / 2, y_axis + 42);
	html_escape(sb, label);
	strbuf_addstr(sb, "</text>\n");
}

static const char *row_label(const struct tidy_row *r, enum svg_label l)
{
	return l == SVG_LABEL_AREA ? r->area_name : r->ethnicity;
}

/* A label cut to fit the label column, on one line. */
static void label_text(struct strbuf *sb, const char *label)
{
	size_t len = strlen(label);

	if (len <= 34) {
		html_escape(sb, label);
		return;
	}
	/* Cut at a space before 29 characters, and say it is cut; the full
	 * label is in the table beside the chart. */
	{
		char buf[64];
		size_t cut = 32;

		while (cut > 10 && label[cut] != ' ')
			cut--;
		memcpy(buf, label, cut);
		buf[cut] = '\0';
		html_escape(sb, buf);
		strbuf_addstr(sb, "…");
	}
}

void svg_dot_whisker(struct strbuf *sb, const struct tidy_table *t,
		     const size_t *rows, size_t nrows,
		     const struct svg_chart *chart)
{
	struct range r = { INFINITY, -INFINITY };
	double x0 = LABEL_WIDTH, x1 = WIDTH - RIGHT_PAD, step, height, y;
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
	step = nice_range(&r);
	height = TOP_PAD + ROW_HEIGHT * (double)(nrows ? nrows : 1) +
		 AXIS_HEIGHT;
	open_svg(sb, chart, height);
	value_axis(sb, &r, step, x0, x1, TOP_PAD, height - AXIS_HEIGHT,
		   chart->axis);
	if (!isnan(chart->reference)) {
		double x = scale(&r, chart->reference, x0, x1);

		strbuf_addf(sb, "<line class=\"parity-reference\" x1=\"%.1f\" "
				"y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#505a5f\" stroke-width=\"2\" "
				"stroke-dasharray=\"6 3\"/>\n",
			    x, TOP_PAD - 6, x, height - AXIS_HEIGHT);
	}
	for (k = 0; k < nrows; k++) {
		const struct tidy_row *row = &t->rows[rows[k]];

		y = TOP_PAD + ROW_HEIGHT * ((double)k + 0.5);
		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
				"dominant-baseline=\"middle\">", x0 - 10, y);
		label_text(sb, row_label(row, chart->label));
		strbuf_addstr(sb, "</text>\n");
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
 * of its log ratio; NAN when it cannot be placed, or when what would place
 * it is withheld. */
static double funnel_x(const struct tidy_row *r, const struct svg_chart *c)
{
	double lo = shown(r, TIDY_CI_LOW), hi = shown(r, TIDY_CI_HIGH);

	if (!c->x_precision)
		return shown(r, TIDY_DENOMINATOR);
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

void svg_funnel(struct strbuf *sb, const struct tidy_table *t,
		const size_t *rows, size_t nrows,
		const struct svg_funnel_curves *curves,
		const struct svg_chart *chart)
{
	struct range rx = { 0, -INFINITY }, ry = { INFINITY, -INFINITY };
	const double height = 420, left = 70, right = WIDTH - RIGHT_PAD;
	const double top = TOP_PAD, bottom = height - AXIS_HEIGHT;
	double xstep, ystep;
	size_t k, withheld = 0;
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
	xstep = nice_range(&rx);
	ystep = nice_range(&ry);
	open_svg(sb, chart, height);
	/* The size axis along the bottom, the value axis up the side. */
	value_axis(sb, &rx, xstep, left, right, top, bottom,
		   chart->x_precision
			   ? "Precision: 1 / standard error (more staff and "
			     "events further right)"
			   : "Size: the number of people the figure rests on");
	strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#505a5f\"/>\n", left, top, left, bottom);
	yticks = (int)lround((ry.hi - ry.lo) / ystep);
	for (i = 0; i <= yticks; i++) {
		double v = ry.lo + ystep * i;
		double y = scale(&ry, v, bottom, top);

		tick_text(fabs(v) < ystep / 1e6 ? 0 : v, ystep, text,
			  sizeof(text));
		strbuf_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#d8d8d8\"/>\n<text x=\"%.1f\" "
				"y=\"%.1f\" text-anchor=\"end\" "
				"dominant-baseline=\"middle\">",
			    left - 5, y, right, y, left - 8, y);
		html_escape(sb, text);
		strbuf_addstr(sb, "</text>\n");
	}
	strbuf_addf(sb, "<text transform=\"translate(16 %.1f) rotate(-90)\" "
			"text-anchor=\"middle\">", (top + bottom) / 2);
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
	for (k = 0; k < nrows; k++) {
		const struct tidy_row *row = &t->rows[rows[k]];
		double x, y;
		int dir;

		if (!funnel_drawn(row, chart)) {
			withheld++;
			continue;
		}
		x = scale(&rx, funnel_x(row, chart), left, right);
		y = scale(&ry, row->value, bottom, top);
		/* The borough's own 95% limits, at its size. */
		if (!isnan(shown(row, TIDY_CI_LOW)) &&
		    !isnan(shown(row, TIDY_CI_HIGH)))
			strbuf_addf(sb, "<line class=\"parity-interval\" "
					"x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
					"y2=\"%.1f\" stroke=\"#b1b4b6\" "
					"stroke-width=\"3\"/>\n",
				    x, scale(&ry, row->ci_low, bottom, top), x,
				    scale(&ry, row->ci_high, bottom, top));
		dir = direction(row, chart->reference);
		marker(sb, x, y, dir, strstr(row->flag, "99.8") != NULL ||
				      dir == 0);
		if (chart->highlight &&
		    strcmp(row->area_code, chart->highlight) == 0) {
			/* the area whose page this is: ringed, and named
			 * wherever it lies */
			strbuf_addf(sb, "<circle class=\"parity-highlight\" "
					"cx=\"%.1f\" cy=\"%.1f\" r=\"11\" "
					"fill=\"none\" stroke=\"#0b0c0c\" "
					"stroke-width=\"2\"/>\n<text x=\"%.1f\" "
					"y=\"%.1f\" font-size=\"14\" "
					"font-weight=\"bold\">",
				    x, y, x + 14, y - 10);
			html_escape(sb, row->area_name);
			strbuf_addstr(sb, "</text>\n");
		} else if (dir != 0) {
			strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" "
					"font-size=\"12\">", x + 9, y - 6);
			html_escape(sb, row->area_name);
			strbuf_addstr(sb, "</text>\n");
		}
	}
	if (withheld > 0)
		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
				"font-size=\"12\">%zu not drawn: %s or not "
				"available</text>\n",
			    right, top + 12, withheld, TIDY_WITHHELD);
	strbuf_addstr(sb, "</svg>\n");
}
