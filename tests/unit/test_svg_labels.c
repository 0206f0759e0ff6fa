/*
 * test_svg_labels.c - label placement for the funnel plots: London's 33
 * names crowded around a few points are placed with no two boxes
 * overlapping, none over a marker, all inside the plot; a label with
 * room sits beside its point; one with none is left unplaced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "site/svg_labels.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

static const char *const BOROUGHS[] = {
	"Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley",
	"Camden", "City of London", "Croydon", "Ealing", "Enfield",
	"Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey",
	"Harrow", "Havering", "Hillingdon", "Hounslow", "Islington",
	"Kensington and Chelsea", "Kingston upon Thames", "Lambeth",
	"Lewisham", "Merton", "Newham", "Redbridge", "Richmond upon Thames",
	"Southwark", "Sutton", "Tower Hamlets", "Waltham Forest",
	"Wandsworth", "Westminster",
};
#define NB (sizeof(BOROUGHS) / sizeof(BOROUGHS[0]))

/* A funnel plot's points, 680 x 360: most boroughs about London's
 * figure at sizes of 1,500 to 4,000 staff, a crowd in a small space. */
static void crowd(struct svg_label_item *items, struct svg_box *markers,
		  double font)
{
	size_t k;

	for (k = 0; k < NB; k++) {
		/* a deterministic scatter: three clusters */
		double cx = k % 3 == 0 ? 300 : k % 3 == 1 ? 420 : 520;
		double cy = 180 + 9 * sin((double)k * 1.7) * 3;

		items[k].px = cx + 14 * cos((double)k * 2.3);
		items[k].py = cy;
		items[k].w = svg_text_width(BOROUGHS[k], font);
		items[k].h = font * 1.25;
		markers[k] = (struct svg_box){ items[k].px - 8, items[k].py - 8,
					       16, 16 };
	}
}

/* Whether segments a and b cross, each as x0, y0, x1, y1. */
static bool cross(const double a[4], const double b[4])
{
	double d1 = (b[2] - b[0]) * (a[1] - b[1]) - (b[3] - b[1]) * (a[0] - b[0]);
	double d2 = (b[2] - b[0]) * (a[3] - b[1]) - (b[3] - b[1]) * (a[2] - b[0]);
	double d3 = (a[2] - a[0]) * (b[1] - a[1]) - (a[3] - a[1]) * (b[0] - a[0]);
	double d4 = (a[2] - a[0]) * (b[3] - a[1]) - (a[3] - a[1]) * (b[2] - a[0]);

	return d1 * d2 < 0 && d3 * d4 < 0;
}

static bool crosses_box(const double s[4], const struct svg_box *b)
{
	const double e[4][4] = {
		{ b->x, b->y, b->x + b->w, b->y },
		{ b->x + b->w, b->y, b->x + b->w, b->y + b->h },
		{ b->x + b->w, b->y + b->h, b->x, b->y + b->h },
		{ b->x, b->y + b->h, b->x, b->y },
	};
	size_t k;

	for (k = 0; k < 4; k++)
		if (cross(s, e[k]))
			return true;
	return false;
}

/* No leader line crosses another, or any label but its own. */
static void assert_leaders_clear(const struct svg_label_item *items,
				 size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		double s[4] = { items[i].px, items[i].py, 0, 0 };

		if (!items[i].placed || !items[i].leader)
			continue;
		svg_label_leader_end(&items[i], &s[2], &s[3]);
		/* it ends on its own label's edge */
		assert_true(s[2] >= items[i].at.x - 1e-9 &&
			    s[2] <= items[i].at.x + items[i].at.w + 1e-9);
		for (j = 0; j < n; j++) {
			double t[4] = { items[j].px, items[j].py, 0, 0 };

			if (j == i || !items[j].placed)
				continue;
			assert_false(crosses_box(s, &items[j].at));
			if (!items[j].leader)
				continue;
			svg_label_leader_end(&items[j], &t[2], &t[3]);
			assert_false(cross(s, t));
		}
	}
}

static void test_crowded_labels_never_overlap(void **state)
{
	struct svg_label_item items[NB];
	struct svg_box markers[NB];
	struct svg_box area = { 86, 16, 564, 342 };
	size_t i, j, placed = 0;

	(void)state;
	memset(items, 0, sizeof(items));
	crowd(items, markers, 14);
	svg_place_labels(items, NB, &area, markers, NB, 2);
	for (i = 0; i < NB; i++) {
		if (!items[i].placed)
			continue;
		placed++;
		/* inside the plot */
		assert_true(items[i].at.x >= area.x);
		assert_true(items[i].at.y >= area.y);
		assert_true(items[i].at.x + items[i].at.w <= area.x + area.w);
		assert_true(items[i].at.y + items[i].at.h <= area.y + area.h);
		/* clear of every other label and every marker */
		for (j = 0; j < NB; j++) {
			if (j != i && items[j].placed)
				assert_false(svg_box_overlap(&items[i].at,
							     &items[j].at));
			assert_false(svg_box_overlap(&items[i].at,
						     &markers[j]));
		}
		/* the label's size is kept */
		assert_true(fabs(items[i].at.w - items[i].w) < 1e-9);
	}
	assert_leaders_clear(items, NB);
	/* eleven points to a cluster 30 units across: about half find room,
	 * with leader lines (16 of the 33); the rest go to the chart's key */
	assert_true(placed >= NB * 2 / 5);
}

static void test_crowded_narrow_plot_keeps_boxes_apart(void **state)
{
	struct svg_label_item items[NB];
	struct svg_box markers[NB];
	/* a phone's plot: 274 x 384, the points squeezed into it */
	struct svg_box area = { 58, 16, 274, 384 };
	size_t i, j;

	(void)state;
	memset(items, 0, sizeof(items));
	crowd(items, markers, 15);
	for (i = 0; i < NB; i++) {
		items[i].px = 58 + (items[i].px - 250) * 0.8;
		markers[i].x = items[i].px - 8;
	}
	svg_place_labels(items, NB, &area, markers, NB, 2);
	for (i = 0; i < NB; i++)
		for (j = i + 1; j < NB; j++)
			if (items[i].placed && items[j].placed)
				assert_false(svg_box_overlap(&items[i].at,
							     &items[j].at));
	assert_leaders_clear(items, NB);
}

static void test_label_with_room_sits_beside_its_point(void **state)
{
	struct svg_label_item it = { 100, 100, 60, 18, { 0, 0, 0, 0 }, false,
				     false };
	struct svg_box area = { 0, 0, 400, 300 };

	(void)state;
	svg_place_labels(&it, 1, &area, NULL, 0, 2);
	assert_true(it.placed);
	assert_false(it.leader);
	/* to the right, centred on the point */
	assert_true(it.at.x > 100 && it.at.x < 115);
	assert_true(fabs(it.at.y + it.at.h / 2 - 100) < 1e-9);
	/* at the right edge it goes to the left instead */
	it.px = 380;
	svg_place_labels(&it, 1, &area, NULL, 0, 2);
	assert_true(it.placed);
	assert_true(it.at.x + it.at.w < 380);
}

static void test_label_without_room_is_left_unplaced(void **state)
{
	struct svg_label_item it[2] = {
		{ 50, 10, 90, 18, { 0, 0, 0, 0 }, false, false },
		{ 52, 10, 90, 18, { 0, 0, 0, 0 }, false, false },
	};
	/* room for one label only */
	struct svg_box area = { 0, 0, 100, 50 };

	(void)state;
	svg_place_labels(it, 2, &area, NULL, 0, 2);
	assert_true(it[0].placed);
	assert_false(it[1].placed);
}

static void test_text_width_grows_with_text_and_font(void **state)
{
	double a = svg_text_width("Brent", 14);
	double b = svg_text_width("Kensington and Chelsea", 14);

	(void)state;
	assert_true(b > a * 3);
	assert_true(svg_text_width("Brent", 28) > a * 1.99);
	/* no narrower than Arial or DejaVu Sans draws it: 'Brent' is about
	 * 2.9 ems in DejaVu Sans */
	assert_true(a >= 2.9 * 14);
	/* a character of several bytes counts once */
	assert_true(fabs(svg_text_width("é", 14) -
			 svg_text_width("e", 14)) < 1e-9);
	assert_true(svg_text_width("", 14) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crowded_labels_never_overlap),
		cmocka_unit_test(test_crowded_narrow_plot_keeps_boxes_apart),
		cmocka_unit_test(test_label_with_room_sits_beside_its_point),
		cmocka_unit_test(test_label_without_room_is_left_unplaced),
		cmocka_unit_test(test_text_width_grows_with_text_and_font),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
