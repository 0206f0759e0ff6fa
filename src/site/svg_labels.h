/*
 * svg_labels.h - placing the labels of a chart's points so that no two
 * overlap: each label is tried at positions around its point, nearest
 * first, then further out along rays (drawn with a leader line back to the
 * point, no further than 95 units); a label with no free place is left unplaced, for the caller to
 * name another way (a number on the chart and a key beside it).
 *
 * Boxes are in the chart's own units (its viewBox), y growing downwards.
 * Text widths are estimated from the characters (svg_text_width), on the
 * wide side, so that the boxes hold the text as browsers draw it.
 */
#ifndef PARITY_SITE_SVG_LABELS_H
#define PARITY_SITE_SVG_LABELS_H

#include <stdbool.h>
#include <stddef.h>

struct svg_box {
	double x, y;     /* top left */
	double w, h;
};

struct svg_label_item {
	double px, py;   /* the point labelled */
	double w, h;     /* the label's size */
	/* set by svg_place_labels() */
	struct svg_box at;
	bool placed;
	bool leader;     /* away from its point: join them with a line */
};

/* Whether two boxes overlap (touching edges do not). */
bool svg_box_overlap(const struct svg_box *a, const struct svg_box *b);

/* An estimate of the width of `text` (UTF-8) in font size `font`, a little
 * wider than common sans-serif faces (DejaVu Sans, Arial, Roboto, Segoe UI)
 * draw it. */
double svg_text_width(const char *text, double font);

/*
 * Place items[0..n-1] in order (the first have the first choice): each
 * label inside `area`, overlapping no label placed before it and no box of
 * `avoid` (the points' markers, say), with a gap of `gap` around it; a
 * leader line crosses no other leader line and no label, and no label
 * sits on a leader line. A label that cannot be placed has placed = false.
 */
void svg_place_labels(struct svg_label_item *items, size_t n,
		      const struct svg_box *area, const struct svg_box *avoid,
		      size_t navoid, double gap);

/* Where a placed label's leader line meets its box: the point of the box
 * nearest the point labelled (the line runs from (px, py) to it). */
void svg_label_leader_end(const struct svg_label_item *it, double *x,
			  double *y);

#endif
