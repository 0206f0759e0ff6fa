/*
 * svg_labels.c - label placement for charts (see svg_labels.h): candidate
 * positions around each point, nearest first, greedy in the caller's
 * order, checked against every label placed and every box to avoid.
 */
#include "site/svg_labels.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846

bool svg_box_overlap(const struct svg_box *a, const struct svg_box *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	       a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Advance widths in ems, rounded up from DejaVu Sans, the widest of the
 * common faces. */
static double char_width(unsigned char c)
{
	if (c == ' ' || c == '.' || c == ',' || c == '\'' || c == ':' ||
	    c == ';' || c == '!' || c == '|')
		return 0.33;
	if (c == 'i' || c == 'j' || c == 'l')
		return 0.29;
	if (c == 'f' || c == 't' || c == 'r' || c == '(' || c == ')' ||
	    c == '-' || c == '[' || c == ']')
		return 0.42;
	if (c == 'm')
		return 0.98;
	if (c == 'w')
		return 0.83;
	if (c == 'M' || c == 'W')
		return 1.0;
	if (c >= 'A' && c <= 'Z')
		return c == 'I' ? 0.31 : c == 'J' ? 0.31 : 0.78;
	if (c == '&' || c == '%')
		return 0.95;
	return 0.64;
}

double svg_text_width(const char *text, double font)
{
	const unsigned char *p;
	double w = 0;

	for (p = (const unsigned char *)text; *p; p++) {
		/* a character of several bytes counts once, at its first */
		if ((*p & 0xC0) == 0x80)
			continue;
		w += char_width(*p);
	}
	return w * font * 1.04;
}

static bool inside(const struct svg_box *b, const struct svg_box *area)
{
	return b->x >= area->x && b->y >= area->y &&
	       b->x + b->w <= area->x + area->w &&
	       b->y + b->h <= area->y + area->h;
}

static bool free_at(const struct svg_label_item *items, size_t placed_upto,
		    const struct svg_box *b, const struct svg_box *area,
		    const struct svg_box *avoid, size_t navoid, double gap)
{
	struct svg_box g = { b->x - gap, b->y - gap, b->w + 2 * gap,
			     b->h + 2 * gap };
	size_t k;

	if (!inside(b, area))
		return false;
	for (k = 0; k < placed_upto; k++)
		if (items[k].placed && svg_box_overlap(&g, &items[k].at))
			return false;
	for (k = 0; k < navoid; k++)
		if (svg_box_overlap(&g, &avoid[k]))
			return false;
	return true;
}

/* The label's box with its anchor at angle `a` (radians, 0 = to the right,
 * growing clockwise on screen) at distance `r` from the point: the box is
 * set beside the point on that side, not centred on the ray's end, so
 * that near positions hug the point. */
static struct svg_box around(const struct svg_label_item *it, double a,
			     double r)
{
	double cx = it->px + r * cos(a), cy = it->py + r * sin(a);
	double c = cos(a), s = sin(a);
	struct svg_box b;

	b.w = it->w;
	b.h = it->h;
	b.x = cx - it->w * (c < -0.3 ? 1 : c > 0.3 ? 0 : 0.5);
	b.y = cy - it->h * (s < -0.3 ? 1 : s > 0.3 ? 0 : 0.5);
	return b;
}

void svg_place_labels(struct svg_label_item *items, size_t n,
		      const struct svg_box *area, const struct svg_box *avoid,
		      size_t navoid, double gap)
{
	/* Beside the point first: right, left, above right, below right,
	 * above left, below left, above, below; then further out, on 16
	 * rays, with a leader line. */
	static const double near[] = { 0, 180, -35, 35, -145, 145, -90, 90 };
	static const double rings[] = { 10, 20, 34, 50, 70, 95 };
	size_t k, i, j;

	for (k = 0; k < n; k++) {
		struct svg_label_item *it = &items[k];

		it->placed = false;
		it->leader = false;
		for (i = 0; i < sizeof(rings) / sizeof(rings[0]) && !it->placed;
		     i++) {
			size_t nangles = i == 0 ? sizeof(near) / sizeof(near[0])
						: 16;

			for (j = 0; j < nangles; j++) {
				double deg = i == 0 ? near[j]
						    : (double)j * 22.5;
				struct svg_box b = around(it, deg * PI / 180,
							  rings[i]);

				if (free_at(items, k, &b, area, avoid, navoid,
					    gap)) {
					it->at = b;
					it->placed = true;
					it->leader = i > 0;
					break;
				}
			}
		}
	}
}
