/*
 * sdc_audit.c - the disclosure audit of sdc.h: for each suppressed cell,
 * the smallest and largest value consistent with everything published,
 * by linear programming with GLPK.
 *
 * Variables are the suppressed cells (non-negative). Each relation with a
 * suppressed cell is one equality row: the sum of its suppressed parts
 * minus its total if suppressed equals the published total minus the
 * published parts. Each suppressed cell is minimised and maximised in
 * turn over the same problem, reusing the basis.
 */
#include "publish/sdc.h"

#include "base/alloc.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bounds are rounded inward to whole numbers with this slack for the
 * solver's rounding error. */
#define SDC_AUDIT_EPS 1e-6

/* Solve with the objective on column `col` in direction `dir`; *out is the
 * optimum, INFINITY when unbounded above. */
static int optimise(glp_prob *lp, int col, int dir, double *out,
		    struct parity_error *err)
{
	glp_smcp parm;
	int rc, status;

	glp_set_obj_dir(lp, dir);
	glp_set_obj_coef(lp, col, 1.0);
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	rc = glp_simplex(lp, &parm);
	if (rc == GLP_EFAIL || rc == GLP_ESING || rc == GLP_ECOND ||
	    rc == GLP_EBADB) {
		/* start again from a fresh basis */
		glp_adv_basis(lp, 0);
		rc = glp_simplex(lp, &parm);
	}
	glp_set_obj_coef(lp, col, 0.0);
	status = glp_get_status(lp);
	if (rc == 0 && status == GLP_UNBND && dir == GLP_MAX) {
		*out = INFINITY;
		return 0;
	}
	if (rc != 0 || status != GLP_OPT)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"disclosure audit: the linear program "
					"could not be solved (GLPK code %d, "
					"status %d): the published relations "
					"contradict each other", rc, status);
	*out = glp_get_obj_val(lp);
	return 0;
}

int sdc_audit(const struct sdc_problem *p, struct sdc_interval *out,
	      struct parity_error *err)
{
	int *column = xcalloc(p->ncells ? p->ncells : 1, sizeof(*column));
	int *ia = NULL, *ja = NULL;
	double *ar = NULL;
	size_t nz = 0, cap_i = 0, cap_j = 0, cap_a = 0, k, j, cols = 0;
	int rows = 0, rc = 0;
	glp_prob *lp;

	for (k = 0; k < p->ncells; k++) {
		out[k].low = out[k].high = p->cells[k].value;
		if (p->cells[k].state != SDC_PUBLISHED)
			column[k] = (int)++cols;
	}
	if (cols == 0) {
		free(column);
		return 0;
	}
	glp_term_out(GLP_OFF);
	lp = glp_create_prob();
	glp_add_cols(lp, (int)cols);
	for (k = 1; k <= cols; k++)
		glp_set_col_bnds(lp, (int)k, GLP_LO, 0.0, 0.0);
	/* GLPK's arrays are 1-based: slot 0 is unused */
	for (k = 0; k < p->nrelations; k++) {
		const struct sdc_relation *r = &p->relations[k];
		double rhs = 0;
		size_t vars = 0;

		for (j = 0; j <= r->count; j++) {
			size_t cell = j < r->count ? r->parts[j] : r->total;

			if (column[cell])
				vars++;
		}
		if (vars == 0)
			continue;
		rows++;
		glp_add_rows(lp, 1);
		for (j = 0; j <= r->count; j++) {
			size_t cell = j < r->count ? r->parts[j] : r->total;
			double sign = j < r->count ? 1.0 : -1.0;

			if (!column[cell]) {
				rhs -= sign * p->cells[cell].value;
				continue;
			}
			nz++;
			ia = xgrow(ia, &cap_i, nz + 1, sizeof(*ia));
			ja = xgrow(ja, &cap_j, nz + 1, sizeof(*ja));
			ar = xgrow(ar, &cap_a, nz + 1, sizeof(*ar));
			ia[nz] = rows;
			ja[nz] = column[cell];
			ar[nz] = sign;
		}
		glp_set_row_bnds(lp, rows, GLP_FX, rhs, rhs);
	}
	if (nz)
		glp_load_matrix(lp, (int)nz, ia, ja, ar);
	for (k = 0; k < p->ncells && rc == 0; k++) {
		double lo = 0, hi = INFINITY;

		if (!column[k])
			continue;
		if (optimise(lp, column[k], GLP_MIN, &lo, err) < 0 ||
		    optimise(lp, column[k], GLP_MAX, &hi, err) < 0) {
			rc = -1;
			break;
		}
		out[k].low = fmax(0.0, ceil(lo - SDC_AUDIT_EPS));
		out[k].high = isinf(hi) ? INFINITY : floor(hi + SDC_AUDIT_EPS);
	}
	glp_delete_prob(lp);
	free(ia);
	free(ja);
	free(ar);
	free(column);
	return rc;
}
