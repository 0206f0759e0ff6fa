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

void svg_label_leader_end(const struct svg_label_item *it, double *x,
			  double *y)
{
	const struct svg_box *b = &it->at;

	*x = it->px < b->x ? b->x : it->px > b->x + b->w ? b->x + b->w : it->px;
	*y = it->py < b->y ? b->y : it->py > b->y + b->h ? b->y + b->h : it->py;
}

/* Which side of the line a-b point c is on: > 0 left, < 0 right. */
static double side(double ax, double ay, double bx, double by, double cx,
		   double cy)
{
	return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Whether segments p1-p2 and q1-q2 cross (touching ends do not). */
static bool segments_cross(const double p[4], const double q[4])
{
	double d1 = side(q[0], q[1], q[2], q[3], p[0], p[1]);
	double d2 = side(q[0], q[1], q[2], q[3], p[2], p[3]);
	double d3 = side(p[0], p[1], p[2], p[3], q[0], q[1]);
	double d4 = side(p[0], p[1], p[2], p[3], q[2], q[3]);

	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
	       ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/* Whether segment s crosses box b (an edge, or an end inside it). */
static bool segment_crosses_box(const double s[4], const struct svg_box *b)
{
	double x0 = b->x, y0 = b->y, x1 = b->x + b->w, y1 = b->y + b->h;
	const double edges[4][4] = {
		{ x0, y0, x1, y0 }, { x1, y0, x1, y1 },
		{ x1, y1, x0, y1 }, { x0, y1, x0, y0 },
	};
	size_t k;

	if ((s[0] > x0 && s[0] < x1 && s[1] > y0 && s[1] < y1) ||
	    (s[2] > x0 && s[2] < x1 && s[3] > y0 && s[3] < y1))
		return true;
	for (k = 0; k < 4; k++)
		if (segments_cross(s, edges[k]))
			return true;
	return false;
}

static void leader_of(const struct svg_label_item *it, double s[4])
{
	s[0] = it->px;
	s[1] = it->py;
	svg_label_leader_end(it, &s[2], &s[3]);
}

/* Whether `cand` (its box in at, leader or not) is clear of the labels
 * placed before it, their leader lines, and the boxes to avoid. */
static bool free_at(const struct svg_label_item *items, size_t placed_upto,
		    const struct svg_label_item *cand,
		    const struct svg_box *area, const struct svg_box *avoid,
		    size_t navoid, double gap)
{
	const struct svg_box *b = &cand->at;
	struct svg_box g = { b->x - gap, b->y - gap, b->w + 2 * gap,
			     b->h + 2 * gap };
	double mine[4], theirs[4];
	size_t k;

	if (!inside(b, area))
		return false;
	if (cand->leader)
		leader_of(cand, mine);
	for (k = 0; k < placed_upto; k++) {
		const struct svg_label_item *o = &items[k];

		if (!o->placed)
			continue;
		if (svg_box_overlap(&g, &o->at))
			return false;
		if (cand->leader && segment_crosses_box(mine, &o->at))
			return false;
		if (!o->leader)
			continue;
		leader_of(o, theirs);
		if (segment_crosses_box(theirs, &g))
			return false;
		if (cand->leader && segments_cross(mine, theirs))
			return false;
	}
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
		for (i = 0; i < sizeof(rings) / sizeof(rings[0]) && !it->placed;
		     i++) {
			size_t nangles = i == 0 ? sizeof(near) / sizeof(near[0])
						: 16;

			for (j = 0; j < nangles; j++) {
				double deg = i == 0 ? near[j]
						    : (double)j * 22.5;
				it->at = around(it, deg * PI / 180, rings[i]);
				it->leader = i > 0;
				if (free_at(items, k, it, area, avoid, navoid,
					    gap)) {
					it->placed = true;
					break;
				}
			}
		}
		if (!it->placed)
			it->leader = false;
	}
}
