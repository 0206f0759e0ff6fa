/*
 * sdc_audit.c - the disclosure audit of sdc.h: for each suppressed cell,
 * the smallest and largest value consistent with everything published,
 * by linear programming with GLPK.
 *
 * Bounds are rounded inward to whole numbers, except where no whole number
 * lies between them (pay quartile counts can be fractions).
 *
 * Variables are the unknown cells: suppressed, and not known from an
 * earlier release (non-negative). Each relation with an unknown cell is
 * one equality row: the sum of its unknown parts minus its total if
 * unknown equals the known total minus the known parts; or, where known
 * figures were published rounded (their slack, which the checker gives
 * pay quartile counts read to 0.1), lies within the sum of their slacks
 * of it, as the true figures do.
 *
 * The problem splits into blocks: the connected components of unknown
 * cells, two being linked when a relation holds both. No row mentions
 * cells of two blocks, so each block's bounds are those of its own small
 * program, and the whole problem never needs building. Within a block the
 * program is built once and each bound changes only the objective: GLPK's
 * primal simplex starts from the optimal basis of the bound before, which
 * stays feasible. The true counts, where disclosure control knows them and
 * they satisfy the block's rows, are taken as one solution found. Before
 * any program, the rows' bounds are propagated (a part is at most its
 * total less the least the other parts can be, a total at least the
 * least its parts sum to, and so on for a few passes): every feasible
 * point lies within them. Bounds are skipped where these and the
 * solutions already found settle them: a cell seen at its least bound
 * (most often 0) has that minimum, and one seen at its most bound has
 * that maximum; and, when the caller only needs to know whether an
 * interval reaches a width (`goal`), a cell seen at values that far apart
 * needs no program at all, nor one whose bounds are closer than that
 * (it is then given its bounds, not its exact interval).
 *
 * A block with many cells to bound shares them among threads, one per
 * processor (bound_cells()): each solves its own copy of the block's
 * program, and the solutions any finds are shared. The intervals that
 * decide anything are the same whichever thread finds them.
 *
 * GLPK is never asked for a program without rows or columns: a block
 * whose cell no relation holds (a lone withheld count) has the interval
 * [0, infinity) without one. Any error GLPK still meets (it would print
 * and abort the process) comes back through its error hook to the block
 * being solved (setjmp/longjmp, then glp_free_env(), as GLPK's manual
 * prescribes) and becomes an error value; GLPK's terminal output is
 * swallowed, never printed.
 */
#include "sdc/sdc_private.h"

#include "base/alloc.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bounds are rounded inward to whole numbers with this slack for the
 * solver's rounding error. */
#define SDC_AUDIT_EPS 1e-6

void sdc__audit_memo_free(struct sdc_audit_memo *memo)
{
	free(memo->block);
	free(memo->size);
	free(memo->col_stat);
	free(memo->row_stat);
	memset(memo, 0, sizeof(*memo));
}

/*
 * GLPK's primal simplex can cycle on a program as degenerate as a table's
 * (many counts at zero, every relation an equality): from some bases its
 * pivots go round for ever. Each solve is therefore stopped after this
 * many pivots per row and column of the program (and at least
 * SDC_AUDIT_PIVOTS_MIN), far more than a solve that ends ever takes, and
 * tried again along another path (simplex()).
 */
#define SDC_AUDIT_PIVOTS_PER_LINE 20
#define SDC_AUDIT_PIVOTS_MIN 20000

/* Whether glp_simplex() returned a failure another start may mend: a
 * basis GLPK could not factorise, or the pivot limit reached. */
static bool start_again(int rc)
{
	return rc == GLP_EFAIL || rc == GLP_ESING || rc == GLP_ECOND ||
	       rc == GLP_EBADB || rc == GLP_EITLIM;
}

/*
 * glp_simplex() on `lp` from its basis, with the ratio test `r_test`, each
 * try within the pivot limit above. If a try fails or reaches the limit,
 * the next starts afresh along another path: an advanced basis with the
 * textbook ratio test and Dantzig's pricing, then the standard basis with
 * the dual simplex. Returns GLPK's code of the last try.
 */
static int simplex(glp_prob *lp, int r_test)
{
	glp_smcp parm;
	long lines = (long)glp_get_num_rows(lp) + glp_get_num_cols(lp);
	long limit = SDC_AUDIT_PIVOTS_PER_LINE * lines;
	int rc;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	parm.r_test = r_test;
	parm.it_lim = limit < SDC_AUDIT_PIVOTS_MIN ? SDC_AUDIT_PIVOTS_MIN
		      : limit > INT_MAX / 2   ? INT_MAX / 2
					      : (int)limit;
	rc = glp_simplex(lp, &parm);
	if (start_again(rc)) {
		glp_adv_basis(lp, 0);
		parm.r_test = GLP_RT_STD;
		parm.pricing = GLP_PT_STD;
		rc = glp_simplex(lp, &parm);
	}
	if (start_again(rc)) {
		glp_std_basis(lp);
		parm.meth = GLP_DUALP;
		parm.r_test = GLP_RT_HAR;
		parm.pricing = GLP_PT_PSE;
		rc = glp_simplex(lp, &parm);
	}
	return rc;
}

/* Solve with the objective on column `col` in direction `dir`, with GLPK's
 * ratio test `r_test`; *out is the optimum, INFINITY when unbounded above.
 * *solved says whether the basis holds an optimal solution. */
static int optimise(glp_prob *lp, int col, int dir, int r_test, double *out,
		    bool *solved, struct parity_error *err)
{
	int rc, status;

	*solved = false;
	glp_set_obj_dir(lp, dir);
	glp_set_obj_coef(lp, col, 1.0);
	rc = simplex(lp, r_test);
	glp_set_obj_coef(lp, col, 0.0);
	status = glp_get_status(lp);
	if (rc == 0 && status == GLP_UNBND && dir == GLP_MAX) {
		*out = INFINITY;
		return 0;
	}
	if (rc == GLP_EITLIM)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"disclosure audit: the linear program "
					"for a withheld count reached no "
					"optimum from any of three starts "
					"within GLPK's pivot limit");
	if (rc != 0 || status != GLP_OPT)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"disclosure audit: the linear program "
					"could not be solved (GLPK code %d, "
					"status %d): the published relations "
					"contradict each other", rc, status);
	*out = glp_get_obj_val(lp);
	*solved = true;
	return 0;
}

/* ---- one block ---- */

struct block {
	const size_t *cells;  /* the block's unknown cells */
	size_t n;
	int *column;          /* per problem cell: its column, or 0 */
	bool *row_seen;       /* per relation: already a row (reset after) */
	size_t *rows;         /* the relations that are rows */
	size_t nrows, rows_cap;
	double *lo, *hi;      /* per column: the least and most seen */
	double *cap;          /* per column: the most the relations allow
			       * it (propagated bounds, outer_bounds()) */
	double *bottom;       /* per column: the least they allow it */
	const bool *settled;  /* per problem cell: skip it, or NULL */
	bool *exact;          /* per problem cell: whether out[] is exact,
			       * or NULL */
	int *col_stat, *row_stat; /* the basis to start from and to keep,
				   * or NULL */
	int r_test;           /* GLPK's ratio test (sdc__audit()) */
	/* the block's program while it is solved, and the coefficients
	 * loaded into it (1-based, kept for the next block); held here, not
	 * on the stack, so that a GLPK failure can release them */
	glp_prob *lp;
	int *ia, *ja;
	double *ar;
	size_t ia_cap, ja_cap, ar_cap;
	/* per row: where its coefficients begin in ia/ja/ar, and its
	 * bounds (for outer_bounds()) */
	size_t *row_first;
	double *row_lo, *row_hi;
	size_t row_first_cap, row_lo_cap, row_hi_cap;
	/* while the cells are bounded (bound_cells()): the next column to
	 * take, whether to stop, and the lock on these and on lo[] and hi[]
	 * when more than one thread takes them (else NULL) */
	size_t next;
	bool stop;
	pthread_mutex_t *lock;
	pthread_mutex_t mutex; /* what `lock` points to (sdc__audit()) */
	long processors;       /* online, read once an audit */
	/* the basis each helper thread's copy of the program starts from */
	int *start_col, *start_row;
	size_t start_col_cap, start_row_cap;
	/* the helper threads running (bound_cells()), to be joined, and
	 * the calling thread's buffer for its solutions (record_shared()) */
	struct bounder *helpers;
	size_t nhelpers;
	double *own_prim;
};

/* One thread's share of the work on a block's cells: the program it
 * solves (its own: a GLPK object belongs to the thread that made it), and
 * what it did. */
struct bounder {
	struct block *b;
	glp_prob *lp;
	double goal;
	struct sdc_interval *out;
	double *prim;         /* the last solution's values, 1-based */
	struct sdc_audit_stats st;
	struct parity_error err;
	int rc;
	pthread_t thread;
	bool started;
};

static void block_lock(struct block *b)
{
	if (b->lock)
		pthread_mutex_lock(b->lock);
}

static void block_unlock(struct block *b)
{
	if (b->lock)
		pthread_mutex_unlock(b->lock);
}

/*
 * Where a GLPK error comes back to, and what GLPK said about it. GLPK
 * reports an error (a bad argument, a broken assertion, memory
 * exhausted) by printing it and calling abort(), unless the error hook
 * it calls first leaves by longjmp(); its environment is then unusable
 * and glp_free_env() discards it with every program in it.
 */
struct glpk_guard {
	jmp_buf back;
	char said[512];
	size_t len;
};

/* GLPK's terminal output: kept for the error message, never printed. */
static int glpk_said(void *info, const char *s)
{
	struct glpk_guard *g = info;
	size_t n = strlen(s);

	if (n > sizeof(g->said) - 1 - g->len)
		n = sizeof(g->said) - 1 - g->len;
	memcpy(g->said + g->len, s, n);
	g->len += n;
	g->said[g->len] = '\0';
	return 1;
}

/* What GLPK said, on one line. */
static void one_line(struct glpk_guard *g)
{
	size_t i;

	while (g->len && g->said[g->len - 1] == '\n')
		g->said[--g->len] = '\0';
	for (i = 0; i < g->len; i++)
		if (g->said[i] == '\n')
			g->said[i] = ' ';
}

static void glpk_failed(void *info)
{
	struct glpk_guard *g = info;

	longjmp(g->back, 1);
}

/*
 * Start from the basis the last audit ended with, where it had one: its
 * basic columns and rows stay basic, a relation new to the block gets a
 * basic row, and a cell new to the block starts at zero. GLPK refuses a
 * basis that does not fit, and optimise() then starts afresh.
 */
static void restore_basis(glp_prob *lp, const struct block *b)
{
	size_t i, basic = 0;

	if (!b->col_stat)
		return;
	for (i = 0; i < b->nrows; i++) {
		int st = b->row_stat[b->rows[i]];

		glp_set_row_stat(lp, (int)i + 1, st ? st : GLP_BS);
		basic += !st || st == GLP_BS;
	}
	for (i = 0; i < b->n; i++) {
		int st = b->col_stat[b->cells[i]];

		if (st == GLP_BS && basic < b->nrows) {
			glp_set_col_stat(lp, (int)i + 1, GLP_BS);
			basic++;
		} else {
			glp_set_col_stat(lp, (int)i + 1, GLP_NL);
		}
	}
	if (basic < b->nrows)
		glp_std_basis(lp);
}

static void keep_basis(glp_prob *lp, const struct block *b)
{
	size_t i;

	if (!b->col_stat)
		return;
	for (i = 0; i < b->nrows; i++)
		b->row_stat[b->rows[i]] = glp_get_row_stat(lp, (int)i + 1);
	for (i = 0; i < b->n; i++)
		b->col_stat[b->cells[i]] = glp_get_col_stat(lp, (int)i + 1);
}

/* The relations holding a cell of the block, but those implied by the
 * others: its rows. */
static void collect_rows(const struct sdc_problem *p,
			 const struct sdc_incidence *inc, struct block *b)
{
	size_t i, e;

	b->nrows = 0;
	for (i = 0; i < b->n; i++)
		for (e = inc->start[b->cells[i]]; e < inc->start[b->cells[i] + 1];
		     e++)
			if (!b->row_seen[inc->rel[e]] &&
			    !p->relations[inc->rel[e]].implied) {
				b->row_seen[inc->rel[e]] = true;
				b->rows = xgrow(b->rows, &b->rows_cap,
						b->nrows + 1, sizeof(*b->rows));
				b->rows[b->nrows++] = inc->rel[e];
			}
	for (i = 0; i < b->nrows; i++)
		b->row_seen[b->rows[i]] = false;
}

/* A program of the block's cells as columns, each at least 0, without
 * rows yet; it belongs to the calling thread. */
static glp_prob *new_program(const struct block *b)
{
	glp_prob *lp = glp_create_prob();
	size_t i;

	glp_add_cols(lp, (int)b->n);
	for (i = 1; i <= b->n; i++)
		glp_set_col_bnds(lp, (int)i, GLP_LO, 0.0, 0.0);
	return lp;
}

/* Row `row` (0-based) of `lp` between b->row_lo and b->row_hi: a range
 * where figures were published rounded (slack), else an equality. */
static void row_bounds(glp_prob *lp, const struct block *b, size_t row)
{
	if (b->row_hi[row] > b->row_lo[row])
		glp_set_row_bnds(lp, (int)row + 1, GLP_DB, b->row_lo[row],
				 b->row_hi[row]);
	else
		glp_set_row_bnds(lp, (int)row + 1, GLP_FX, b->row_lo[row],
				 b->row_lo[row]);
}

/* The rows of the block (collect_rows(), at least one), with their
 * coefficients, loaded into b->lp. */
static int load_rows(const struct sdc_problem *p, struct block *b,
		     struct parity_error *err)
{
	size_t nz = 0, j, row;

	glp_add_rows(b->lp, (int)b->nrows);
	b->row_first = xgrow(b->row_first, &b->row_first_cap, b->nrows + 1,
			     sizeof(*b->row_first));
	b->row_lo = xgrow(b->row_lo, &b->row_lo_cap, b->nrows + 1,
			  sizeof(*b->row_lo));
	b->row_hi = xgrow(b->row_hi, &b->row_hi_cap, b->nrows + 1,
			  sizeof(*b->row_hi));
	/* GLPK's arrays are 1-based: slot 0 is unused */
	for (row = 0; row < b->nrows; row++) {
		const struct sdc_relation *r = &p->relations[b->rows[row]];
		bool total_known = !b->column[r->total];
		double rhs = 0, slack = 0;

		b->row_first[row] = nz + 1;
		for (j = 0; j <= r->count; j++) {
			size_t cell = j < r->count ? r->parts[j] : r->total;
			double sign = j < r->count ? 1.0 : -1.0;

			if (!b->column[cell]) {
				rhs -= sign * p->cells[cell].value;
				slack += p->cells[cell].slack;
				continue;
			}
			if (nz == INT_MAX - 1)
				return parity_error_set(
					err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"disclosure audit: a block of %zu "
					"withheld counts is too large for "
					"GLPK", b->n);
			nz++;
			b->ia = xgrow(b->ia, &b->ia_cap, nz + 1, sizeof(*b->ia));
			b->ja = xgrow(b->ja, &b->ja_cap, nz + 1, sizeof(*b->ja));
			b->ar = xgrow(b->ar, &b->ar_cap, nz + 1, sizeof(*b->ar));
			b->ia[nz] = (int)row + 1;
			b->ja[nz] = b->column[cell];
			b->ar[nz] = sign;
		}
		b->row_lo[row] = rhs - slack;
		b->row_hi[row] = rhs + slack;
		row_bounds(b->lp, b, row);
		/* parts of a known total: each at most what the total
		 * leaves */
		for (j = 0; total_known && j < r->count; j++)
			if (b->column[r->parts[j]])
				b->cap[b->column[r->parts[j]]] =
					fmin(b->cap[b->column[r->parts[j]]],
					     fmax(0.0, rhs + slack));
	}
	b->row_first[b->nrows] = nz + 1;
	if (nz)
		glp_load_matrix(b->lp, (int)nz, b->ia, b->ja, b->ar);
	return 0;
}

/* How many passes over the rows outer_bounds() makes at most. */
#define SDC_AUDIT_PASSES 20

/* What the columns of a row can add to it: the least and the most, each
 * as a finite sum and the number of columns that make it unbounded. */
struct activity {
	double least, most;
	size_t least_inf, most_inf;
};

static void row_activity(const struct block *b, size_t row,
			 struct activity *act)
{
	size_t e;

	memset(act, 0, sizeof(*act));
	for (e = b->row_first[row]; e < b->row_first[row + 1]; e++) {
		double a = b->ar[e];
		size_t c = (size_t)b->ja[e];
		double at_bottom = a * b->bottom[c];

		/* bottoms are finite (0 at least); caps may be infinite */
		if (isinf(b->cap[c])) {
			if (a > 0)
				act->most_inf++;
			else
				act->least_inf++;
		} else if (a > 0) {
			act->most += a * b->cap[c];
		} else {
			act->least += a * b->cap[c];
		}
		if (a > 0)
			act->least += at_bottom;
		else
			act->most += at_bottom;
	}
}

/* The least and most the rest of a row (`act`, less column c with
 * coefficient a) can add to it. */
static void rest_of_row(const struct block *b, const struct activity *act,
			double a, size_t c, double *least, double *most)
{
	bool inf = isinf(b->cap[c]);
	double at_cap = inf ? 0 : a * b->cap[c];
	double at_bottom = a * b->bottom[c];

	if (a > 0) {
		*least = act->least_inf ? -INFINITY : act->least - at_bottom;
		*most = act->most_inf > (size_t)inf ? INFINITY
						    : act->most - at_cap;
	} else {
		*least = act->least_inf > (size_t)inf ? -INFINITY
						      : act->least - at_cap;
		*most = act->most_inf ? INFINITY : act->most - at_bottom;
	}
}

/*
 * Bounds on every column that the rows imply one at a time, propagated
 * (a part is at most its total less the least the other parts can be;
 * a total at least the least its parts can sum to; and so on, a few
 * passes): every feasible point lies within them, so a cell whose
 * bounds are narrower than the goal is exposed without a program, and
 * one seen at a bound has it as its optimum.
 */
static void outer_bounds(struct block *b)
{
	size_t pass, row, e;
	bool changed = true;

	for (pass = 0; pass < SDC_AUDIT_PASSES && changed; pass++) {
		changed = false;
		for (row = 0; row < b->nrows; row++) {
			struct activity act;

			row_activity(b, row, &act);
			for (e = b->row_first[row]; e < b->row_first[row + 1];
			     e++) {
				double a = b->ar[e], least, most, lo, hi;
				size_t c = (size_t)b->ja[e];

				/* a * x lies within [row_lo - most, row_hi -
				 * least] */
				rest_of_row(b, &act, a, c, &least, &most);
				lo = (a > 0 ? b->row_lo[row] - most
					    : b->row_hi[row] - least) / a;
				hi = (a > 0 ? b->row_hi[row] - least
					    : b->row_lo[row] - most) / a;
				if (hi < b->cap[c] - 1e-7) {
					b->cap[c] = fmax(hi, b->bottom[c]);
					changed = true;
					row_activity(b, row, &act);
				}
				if (lo > b->bottom[c] + 1e-7) {
					b->bottom[c] = fmin(lo, b->cap[c]);
					changed = true;
					row_activity(b, row, &act);
				}
			}
		}
	}
}

/* Remember the values of the optimal solution in `lp`. */
static void record(glp_prob *lp, struct block *b)
{
	size_t c;

	for (c = 1; c <= b->n; c++) {
		double v = glp_get_col_prim(lp, (int)c);

		b->lo[c] = fmin(b->lo[c], v);
		b->hi[c] = fmax(b->hi[c], v);
	}
}

static double round_low(double v)
{
	return fmax(0.0, ceil(v - SDC_AUDIT_EPS));
}

static double round_high(double v)
{
	return isinf(v) ? INFINITY : floor(v + SDC_AUDIT_EPS);
}

/* Whether the solutions seen already show column c's interval at least
 * `goal` wide. */
static bool wide_enough(const struct block *b, size_t c, double goal)
{
	return goal > 0 && b->lo[c] <= b->hi[c] &&
	       round_high(b->hi[c]) - round_low(b->lo[c]) >= goal;
}

/* Whether the bounds the rows imply show column c narrower than `goal`:
 * it then needs no program. */
static bool narrow_by_bounds(const struct block *b, size_t c, double goal)
{
	return goal > 0 &&
	       round_high(b->cap[c]) - round_low(b->bottom[c]) < goal;
}

/* Whether column c is still to be bounded with a program, as far as can
 * be told before any: not settled, nor narrower than the goal by its
 * bounds. */
static bool to_solve(const struct block *b, size_t c, double goal)
{
	return (!b->settled || !b->settled[b->cells[c - 1]]) &&
	       !narrow_by_bounds(b, c, goal);
}

/* record() for a thread's solution: its values are read from its own
 * program first, then kept under the block's lock. */
static void record_shared(struct bounder *w)
{
	struct block *b = w->b;
	size_t c;

	if (!b->lock) {
		record(w->lp, b);
		return;
	}
	for (c = 1; c <= b->n; c++)
		w->prim[c] = glp_get_col_prim(w->lp, (int)c);
	block_lock(b);
	for (c = 1; c <= b->n; c++) {
		b->lo[c] = fmin(b->lo[c], w->prim[c]);
		b->hi[c] = fmax(b->hi[c], w->prim[c]);
	}
	block_unlock(b);
}

/*
 * Column i's interval, into *iv, rounded inward. The maximum first: with a
 * goal, a maximum that far above a value already seen settles the cell
 * without its minimum (*exact is then false). The programs are solved in
 * w's own copy, outside the block's lock; the solutions seen are read and
 * recorded under it.
 */
static int bound_cell(struct bounder *w, size_t i, struct sdc_interval *iv,
		      bool *exact, struct parity_error *err)
{
	struct block *b = w->b;
	double goal = w->goal, lo = 0, hi = INFINITY;
	bool solved, need;

	*exact = true;
	block_lock(b);
	if (wide_enough(b, i, goal)) {
		iv->low = round_low(b->lo[i]);
		iv->high = round_high(b->hi[i]);
		block_unlock(b);
		*exact = false;
		w->st.lps_skipped += 2;
		return 0;
	}
	if (narrow_by_bounds(b, i, goal)) {
		/* narrower than the goal whatever the programs say: the
		 * bounds the rows imply, which hold the interval */
		block_unlock(b);
		iv->low = round_low(b->bottom[i]);
		iv->high = round_high(b->cap[i]);
		if (iv->low > iv->high) {
			iv->low = b->bottom[i];
			iv->high = b->cap[i];
		}
		*exact = false;
		w->st.lps_skipped += 2;
		return 0;
	}
	need = b->hi[i] < b->cap[i] - SDC_AUDIT_EPS;
	block_unlock(b);
	if (!need) {
		hi = b->cap[i];
		w->st.lps_skipped++;
	} else {
		if (optimise(w->lp, (int)i, GLP_MAX, b->r_test, &hi, &solved,
			     err) < 0)
			return -1;
		w->st.lps++;
		if (solved)
			record_shared(w);
	}
	need = false;
	block_lock(b);
	if (wide_enough(b, i, goal) ||
	    (goal > 0 && isinf(hi) && b->lo[i] <= b->hi[i])) {
		lo = b->lo[i];
		*exact = false;
		w->st.lps_skipped++;
	} else if (b->lo[i] <= b->bottom[i] + SDC_AUDIT_EPS) {
		lo = b->bottom[i];
		w->st.lps_skipped++;
	} else {
		need = true;
	}
	block_unlock(b);
	if (need) {
		if (optimise(w->lp, (int)i, GLP_MIN, b->r_test, &lo, &solved,
			     err) < 0)
			return -1;
		w->st.lps++;
		if (solved)
			record_shared(w);
	}
	iv->low = round_low(lo);
	iv->high = round_high(hi);
	if (iv->low > iv->high) {
		/* no whole number fits: a count that need not be whole (a
		 * pay quartile's share of people at a boundary) */
		iv->low = fmax(0.0, lo);
		iv->high = hi;
	}
	return 0;
}

/* Bound the block's cells as they come, until none is left or another
 * thread failed. */
static int take_cells(struct bounder *w, struct parity_error *err)
{
	struct block *b = w->b;

	for (;;) {
		struct sdc_interval iv;
		size_t i;
		bool exact;

		block_lock(b);
		if (b->stop || b->next > b->n) {
			block_unlock(b);
			return 0;
		}
		i = b->next++;
		block_unlock(b);
		if (b->settled && b->settled[b->cells[i - 1]])
			continue;
		if (bound_cell(w, i, &iv, &exact, err) < 0) {
			block_lock(b);
			b->stop = true;
			block_unlock(b);
			return -1;
		}
		w->out[b->cells[i - 1]] = iv;
		if (b->exact)
			b->exact[b->cells[i - 1]] = exact;
	}
}

/*
 * The true counts, where they are known (disclosure control knows them;
 * the checker, reading what was published, does not), are a solution of
 * the block's program when they satisfy every row: the published figures
 * were computed from them. Seen as a solution, they show each cell's
 * interval reaching down at least to its true count, which often settles
 * a cell's minimum without a program. Nothing is taken from them when
 * any is unknown, negative, or breaks a row (published figures rounded
 * away from them).
 */
static void record_truth(const struct sdc_problem *p, struct block *b)
{
	size_t i, j, row;

	for (i = 0; i < b->n; i++) {
		double v = p->cells[b->cells[i]].value;

		if (!isfinite(v) || v < 0)
			return;
	}
	for (row = 0; row < b->nrows; row++) {
		const struct sdc_relation *r = &p->relations[b->rows[row]];
		double sum = -p->cells[r->total].value, scale = 1;
		double slack = p->cells[r->total].slack;

		for (j = 0; j < r->count; j++) {
			sum += p->cells[r->parts[j]].value;
			slack += p->cells[r->parts[j]].slack;
		}
		if (!isfinite(sum))
			return;
		scale = fmax(scale, fabs(p->cells[r->total].value));
		if (fabs(sum) > slack + SDC_AUDIT_EPS * scale)
			return;
	}
	for (i = 0; i < b->n; i++) {
		double v = p->cells[b->cells[i]].value;

		b->lo[i + 1] = fmin(b->lo[i + 1], v);
		b->hi[i + 1] = fmax(b->hi[i + 1], v);
	}
}

/* Before the cells one by one: the solution with the cells to audit as
 * large as they can be together, which often shows many of them wide
 * enough at once. None when no cell needs a program. */
static int spread(glp_prob *lp, struct block *b, double goal,
		  struct sdc_audit_stats *st, struct parity_error *err)
{
	size_t i, todo = 0;
	int rc;

	glp_set_obj_dir(lp, GLP_MAX);
	for (i = 1; i <= b->n; i++)
		if (to_solve(b, i, goal)) {
			glp_set_obj_coef(lp, (int)i, 1.0);
			todo++;
		}
	if (todo == 0)
		return 0;
	rc = simplex(lp, b->r_test);
	st->lps++;
	if (rc == 0 && glp_get_status(lp) == GLP_OPT)
		record(lp, b);
	for (i = 1; i <= b->n; i++)
		glp_set_obj_coef(lp, (int)i, 0.0);
	(void)err;
	return 0;
}

/* ---- more than one thread ---- */

/* A block with fewer cells to bound than this is bounded by one thread:
 * its programs are too quick to share. */
#define SDC_THREADS_FROM 64
/* At most this many threads bound one block's cells. */
#define SDC_THREADS_MAX 8

/* The threads to bound `todo` cells with: one per processor online
 * (b->processors), up to SDC_THREADS_MAX, and one when there is little to
 * share. */
static size_t threads_for(const struct block *b, size_t todo)
{
	if (todo < SDC_THREADS_FROM || b->processors < 2)
		return 1;
	return b->processors > SDC_THREADS_MAX ? SDC_THREADS_MAX
					       : (size_t)b->processors;
}

/* A copy of the block's program, made by (and belonging to) the calling
 * thread, from the block's rows, starting from the basis in
 * b->start_col and b->start_row. */
static glp_prob *program_copy(const struct block *b)
{
	glp_prob *lp = new_program(b);
	size_t i, nz = b->row_first[b->nrows] - 1;

	glp_add_rows(lp, (int)b->nrows);
	for (i = 0; i < b->nrows; i++) {
		row_bounds(lp, b, i);
		glp_set_row_stat(lp, (int)i + 1, b->start_row[i]);
	}
	if (nz)
		glp_load_matrix(lp, (int)nz, b->ia, b->ja, b->ar);
	for (i = 1; i <= b->n; i++)
		glp_set_col_stat(lp, (int)i, b->start_col[i - 1]);
	return lp;
}

/* A helper thread: its own copy of the program, then cells as they come.
 * A GLPK failure comes back here (see struct glpk_guard), ends this
 * thread's GLPK environment and stops the others. */
static void *helper_main(void *arg)
{
	struct bounder *w = arg;
	struct glpk_guard g;

	g.len = 0;
	g.said[0] = '\0';
	if (setjmp(g.back) != 0) {
		glp_free_env();
		one_line(&g);
		block_lock(w->b);
		w->b->stop = true;
		block_unlock(w->b);
		w->rc = parity_error_set(&w->err, PARITY_ERR_INTERNAL, NULL,
					 0, 0, "disclosure audit: GLPK failed "
					 "on a block of %zu withheld counts: "
					 "%s", w->b->n,
					 g.len ? g.said : "no message");
		return NULL;
	}
	glp_term_out(GLP_OFF);
	glp_term_hook(glpk_said, &g);
	glp_error_hook(glpk_failed, &g);
	w->lp = program_copy(w->b);
	w->rc = take_cells(w, &w->err);
	glp_delete_prob(w->lp);
	w->lp = NULL;
	glp_error_hook(NULL, NULL);
	glp_term_hook(NULL, NULL);
	glp_free_env();
	return NULL;
}

/* Stop the block's helper threads and wait for them; the first error any
 * met goes to `err` when rc is 0. Returns rc, or -1 on a helper's error. */
static int join_helpers(struct block *b, struct sdc_audit_stats *st,
			int rc, struct parity_error *err)
{
	size_t k;

	if (!b->helpers)
		return rc;
	block_lock(b);
	if (rc < 0)
		b->stop = true;
	block_unlock(b);
	for (k = 0; k < b->nhelpers; k++) {
		struct bounder *w = &b->helpers[k];

		if (w->started) {
			pthread_join(w->thread, NULL);
			st->lps += w->st.lps;
			st->lps_skipped += w->st.lps_skipped;
			if (w->rc < 0 && rc == 0) {
				*err = w->err;
				rc = -1;
			}
		}
		free(w->prim);
	}
	free(b->helpers);
	b->helpers = NULL;
	b->nhelpers = 0;
	return rc;
}

/*
 * Every cell of the block not settled: its interval into out[]. A block
 * with many cells to bound shares them among threads (threads_for()),
 * each with its own copy of the program starting from the basis reached
 * so far; the calling thread works on b->lp. What a solution shows is
 * shared through b->lo and b->hi, so which cells need a program depends
 * on the order they are taken in, but never the answer: an interval
 * found exactly is the same, and one settled by solutions seen is at
 * least `goal` wide however it was found.
 */
static int bound_cells(struct block *b, double goal,
		       struct sdc_interval *out, struct sdc_audit_stats *st,
		       struct parity_error *err)
{
	struct bounder self;
	size_t i, todo = 0, threads;
	int rc;

	for (i = 1; i <= b->n; i++)
		todo += to_solve(b, i, goal);
	threads = threads_for(b, todo);
	memset(&self, 0, sizeof(self));
	self.b = b;
	self.lp = b->lp;
	self.goal = goal;
	self.out = out;
	b->next = 1;
	b->stop = false;
	if (threads > 1) {
		b->own_prim = xmalloc((b->n + 1) * sizeof(*b->own_prim));
		self.prim = b->own_prim;
		b->start_col = xgrow(b->start_col, &b->start_col_cap, b->n,
				     sizeof(*b->start_col));
		b->start_row = xgrow(b->start_row, &b->start_row_cap,
				     b->nrows, sizeof(*b->start_row));
		for (i = 0; i < b->n; i++)
			b->start_col[i] = glp_get_col_stat(b->lp, (int)i + 1);
		for (i = 0; i < b->nrows; i++)
			b->start_row[i] = glp_get_row_stat(b->lp, (int)i + 1);
		b->lock = &b->mutex;
		b->nhelpers = threads - 1;
		b->helpers = xcalloc(b->nhelpers, sizeof(*b->helpers));
		for (i = 0; i < b->nhelpers; i++) {
			struct bounder *w = &b->helpers[i];

			w->b = b;
			w->goal = goal;
			w->out = out;
			w->prim = xmalloc((b->n + 1) * sizeof(*w->prim));
			w->started = pthread_create(&w->thread, NULL,
						    helper_main, w) == 0;
		}
	}
	rc = take_cells(&self, err);
	free(b->own_prim);
	b->own_prim = NULL;
	st->lps += self.st.lps;
	st->lps_skipped += self.st.lps_skipped;
	rc = join_helpers(b, st, rc, err);
	b->lock = NULL;
	return rc;
}

/* Undo what solving a block set up: its columns, its arrays, and (after a
 * GLPK failure) the marks of its rows. */
static void block_release(struct block *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		b->column[b->cells[i]] = 0;
	for (i = 0; i < b->nrows; i++)
		b->row_seen[b->rows[i]] = false;
	free(b->lo);
	free(b->hi);
	free(b->cap);
	free(b->bottom);
	free(b->own_prim);
	b->lo = b->hi = b->cap = b->bottom = b->own_prim = NULL;
}

static int solve_block(const struct sdc_problem *p,
		       const struct sdc_incidence *inc, struct block *b,
		       double goal, struct sdc_interval *out,
		       struct sdc_audit_stats *st, struct parity_error *err)
{
	size_t i;
	int rc = 0;

	b->nrows = 0;
	for (i = 0; b->settled && i < b->n && b->settled[b->cells[i]]; i++)
		;
	if (b->n == 0 || (b->settled && i == b->n))
		return 0;
	collect_rows(p, inc, b);
	if (b->nrows == 0) {
		/* no relation holds it (a block without relations is one
		 * cell): nothing bounds it but zero, and no program is
		 * needed, nor could GLPK be given one without rows */
		for (i = 0; i < b->n; i++) {
			if (b->settled && b->settled[b->cells[i]])
				continue;
			out[b->cells[i]].low = 0;
			out[b->cells[i]].high = INFINITY;
			if (b->exact)
				b->exact[b->cells[i]] = true;
			st->lps_skipped += 2;
		}
		return 0;
	}
	if (b->n >= INT_MAX || b->nrows >= INT_MAX)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"disclosure audit: a block of %zu "
					"withheld counts and %zu relations is "
					"too large for GLPK", b->n, b->nrows);
	b->lo = xmalloc((b->n + 1) * sizeof(*b->lo));
	b->hi = xmalloc((b->n + 1) * sizeof(*b->hi));
	b->cap = xmalloc((b->n + 1) * sizeof(*b->cap));
	b->bottom = xmalloc((b->n + 1) * sizeof(*b->bottom));
	for (i = 0; i < b->n; i++) {
		b->column[b->cells[i]] = (int)i + 1;
		b->lo[i + 1] = INFINITY;
		b->hi[i + 1] = -INFINITY;
		b->cap[i + 1] = INFINITY;
		b->bottom[i + 1] = 0;
	}
	b->lp = new_program(b);
	rc = load_rows(p, b, err);
	if (rc == 0) {
		outer_bounds(b);
		record_truth(p, b);
		restore_basis(b->lp, b);
		if (goal > 0)
			rc = spread(b->lp, b, goal, st, err);
	}
	if (rc == 0)
		rc = bound_cells(b, goal, out, st, err);
	if (rc == 0)
		keep_basis(b->lp, b);
	glp_delete_prob(b->lp);
	b->lp = NULL;
	block_release(b);
	return rc;
}

/*
 * solve_block() with GLPK's errors caught: a failure inside GLPK comes
 * back here, GLPK's environment (and the block's program with it) is
 * discarded, and the audit fails with what GLPK said instead of the
 * process aborting. `g` lives in the caller, so nothing setjmp() must
 * preserve is a local of this function.
 */
static int solve_guarded(const struct sdc_problem *p,
			 const struct sdc_incidence *inc, struct block *b,
			 double goal, struct sdc_interval *out,
			 struct sdc_audit_stats *st, struct glpk_guard *g,
			 struct parity_error *err)
{
	int rc;

	g->len = 0;
	g->said[0] = '\0';
	if (setjmp(g->back) != 0) {
		/* the helper threads first: they hold no object of this
		 * thread's environment, but read the block */
		(void)join_helpers(b, st, -1, err);
		b->lock = NULL;
		glp_free_env();
		b->lp = NULL;
		block_release(b);
		one_line(g);
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"disclosure audit: GLPK failed on a "
					"block of %zu withheld counts: %s",
					b->n, g->len ? g->said : "no message");
	}
	glp_term_out(GLP_OFF);
	glp_term_hook(glpk_said, g);
	glp_error_hook(glpk_failed, g);
	rc = solve_block(p, inc, b, goal, out, st, err);
	glp_error_hook(NULL, NULL);
	glp_term_hook(NULL, NULL);
	return rc;
}

/* ---- blocks ---- */

static size_t find_root(size_t *parent, size_t k)
{
	while (parent[k] != k) {
		parent[k] = parent[parent[k]];
		k = parent[k];
	}
	return k;
}

/* The blocks: order[] lists the unknown cells block by block (blocks in
 * the order of their first cell, cells rising), start[] where each begins;
 * returns the number of blocks. */
static size_t find_blocks(const struct sdc_problem *p, size_t *order,
			  size_t **start_out)
{
	size_t *parent = xmalloc((p->ncells ? p->ncells : 1) * sizeof(*parent));
	size_t *id = xmalloc((p->ncells ? p->ncells : 1) * sizeof(*id));
	size_t *start, *fill, k, j, nblocks = 0;

	for (k = 0; k < p->ncells; k++)
		parent[k] = k;
	for (k = 0; k < p->nrelations; k++) {
		const struct sdc_relation *r = &p->relations[k];
		size_t first = SDC_NONE;

		if (r->implied)
			continue;

		for (j = 0; j <= r->count; j++) {
			size_t cell = j < r->count ? r->parts[j] : r->total;

			if (!sdc__unknown(p, cell))
				continue;
			if (first == SDC_NONE)
				first = find_root(parent, cell);
			else
				parent[find_root(parent, cell)] = first;
			first = find_root(parent, first);
		}
	}
	for (k = 0; k < p->ncells; k++)
		id[k] = SDC_NONE;
	/* number the blocks by their first cell */
	for (k = 0; k < p->ncells; k++) {
		size_t root;

		if (!sdc__unknown(p, k))
			continue;
		root = find_root(parent, k);
		if (id[root] == SDC_NONE)
			id[root] = nblocks++;
		parent[k] = root;
	}
	start = xcalloc(nblocks + 1, sizeof(*start));
	for (k = 0; k < p->ncells; k++)
		if (sdc__unknown(p, k))
			start[id[parent[k]] + 1]++;
	for (k = 0; k < nblocks; k++)
		start[k + 1] += start[k];
	fill = xmalloc((nblocks ? nblocks : 1) * sizeof(*fill));
	memcpy(fill, start, nblocks * sizeof(*fill));
	for (k = 0; k < p->ncells; k++)
		if (sdc__unknown(p, k))
			order[fill[id[parent[k]]]++] = k;
	free(fill);
	free(parent);
	free(id);
	*start_out = start;
	return nblocks;
}

/* Whether block `cells` is exactly a block of the last audit. */
static bool unchanged(const struct sdc_audit_memo *memo, const size_t *cells,
		      size_t n)
{
	size_t i, was;

	if (!memo || !memo->block)
		return false;
	was = memo->block[cells[0]];
	if (was == SDC_NONE || memo->size[was] != n)
		return false;
	for (i = 1; i < n; i++)
		if (memo->block[cells[i]] != was)
			return false;
	return true;
}

static void remember(struct sdc_audit_memo *memo, size_t ncells,
		     const size_t *order, const size_t *start, size_t nblocks)
{
	size_t b, i;

	if (!memo->block)
		memo->block = xmalloc((ncells ? ncells : 1) *
				      sizeof(*memo->block));
	for (i = 0; i < ncells; i++)
		memo->block[i] = SDC_NONE;
	memo->size = xgrow(memo->size, &memo->size_cap, nblocks + 1,
			   sizeof(*memo->size));
	for (b = 0; b < nblocks; b++) {
		memo->size[b] = start[b + 1] - start[b];
		for (i = start[b]; i < start[b + 1]; i++)
			memo->block[order[i]] = b;
	}
	memo->nblocks = nblocks;
}

int sdc__audit(const struct sdc_problem *p, const struct sdc_incidence *inc,
	       double goal, const bool *settled, struct sdc_audit_memo *memo,
	       struct sdc_interval *out, bool *exact,
	       struct sdc_audit_stats *st, struct parity_error *err)
{
	size_t *order = xmalloc((p->ncells ? p->ncells : 1) * sizeof(*order));
	size_t *start = NULL, nblocks, k;
	struct sdc_audit_stats local;
	struct glpk_guard guard;
	struct block b;
	int rc = 0;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	memset(&b, 0, sizeof(b));
	b.settled = settled;
	b.exact = exact;
	/*
	 * Protection's rounds (with a memo) solve the same block again and
	 * again from the last basis, for a few cells each: there GLPK's
	 * long-step ratio test takes a fifth less time than Harris's (London's
	 * table: 26 s against 32-34 s). The checker's programs, each
	 * solved once from far away, gain nothing from it.
	 */
	b.r_test = memo ? GLP_RT_FLIP : GLP_RT_HAR;
	if (memo) {
		if (!memo->col_stat) {
			memo->col_stat = xcalloc(p->ncells ? p->ncells : 1,
						 sizeof(*memo->col_stat));
			memo->row_stat = xcalloc(p->nrelations ? p->nrelations
							       : 1,
						 sizeof(*memo->row_stat));
		}
		b.col_stat = memo->col_stat;
		b.row_stat = memo->row_stat;
	}
	nblocks = find_blocks(p, order, &start);
	st->blocks = nblocks;
	for (k = 0; k < p->ncells; k++)
		if (!sdc__unknown(p, k)) {
			out[k].low = out[k].high = p->cells[k].value;
			if (exact)
				exact[k] = true;
		}
	b.column = xcalloc(p->ncells ? p->ncells : 1, sizeof(*b.column));
	b.row_seen = xcalloc(p->nrelations ? p->nrelations : 1,
			     sizeof(*b.row_seen));
	pthread_mutex_init(&b.mutex, NULL);
	b.processors = sysconf(_SC_NPROCESSORS_ONLN);
	for (k = 0; k < nblocks && rc == 0; k++) {
		b.cells = order + start[k];
		b.n = start[k + 1] - start[k];
		if (b.n > st->largest)
			st->largest = b.n;
		if (unchanged(memo, b.cells, b.n))
			continue;
		st->blocks_solved++;
		rc = solve_guarded(p, inc, &b, goal, out, st, &guard, err);
	}
	/* GLPK keeps an environment for each thread that calls it, until
	 * the thread frees it: the hub's workers live as long as the hub,
	 * so every audit gives it back (every program in it is deleted) */
	glp_free_env();
	if (memo && rc == 0)
		remember(memo, p->ncells, order, start, nblocks);
	else if (memo)
		sdc__audit_memo_free(memo);
	free(b.column);
	free(b.row_seen);
	free(b.rows);
	free(b.ia);
	free(b.ja);
	free(b.ar);
	free(b.row_first);
	free(b.row_lo);
	free(b.row_hi);
	free(b.start_col);
	free(b.start_row);
	pthread_mutex_destroy(&b.mutex);
	free(order);
	free(start);
	return rc;
}

int sdc_audit(const struct sdc_problem *p, struct sdc_interval *out,
	      struct parity_error *err)
{
	struct sdc_incidence inc;
	int rc;

	sdc__incidence_build(p, &inc);
	rc = sdc__audit(p, &inc, 0, NULL, NULL, out, NULL, NULL, err);
	sdc__incidence_free(&inc);
	return rc;
}

int sdc__narrowest(const struct sdc_problem *p,
		   const struct sdc_incidence *inc, struct sdc_interval *out,
		   bool *exact, double below, double prior_from,
		   double *narrowest, struct parity_error *err)
{
	bool *settled = xmalloc((p->ncells ? p->ncells : 1) * sizeof(*settled));
	size_t k;
	int rc = 0;

	for (;;) {
		double best = INFINITY;
		bool any = false;

		/* a count that can only be 0 reveals no one */
		for (k = 0; k < p->ncells; k++)
			if (sdc__unknown(p, k) && !p->cells[k].gap &&
			    exact[k] && out[k].low < below && out[k].high >= 1 &&
			    !(p->cells[k].state == SDC_PRIOR &&
			      p->cells[k].value >= prior_from) &&
			    out[k].high - out[k].low < best)
				best = out[k].high - out[k].low;
		/* an inexact interval only grows when solved: those seen
		 * narrower than the best so far may be narrower still */
		for (k = 0; k < p->ncells; k++) {
			settled[k] = !sdc__unknown(p, k) || exact[k] ||
				     p->cells[k].gap ||
				     out[k].high - out[k].low >= best ||
				     (p->cells[k].state == SDC_PRIOR &&
				      p->cells[k].value >= prior_from);
			any = any || !settled[k];
		}
		if (!any) {
			*narrowest = best;
			break;
		}
		rc = sdc__audit(p, inc, 0, settled, NULL, out, exact, NULL,
				err);
		if (rc < 0)
			break;
	}
	free(settled);
	return rc;
}
