/*
 * synth.c - synthetic London workforce and recruitment returns (see synth.h).
 *
 * Two passes: the first year is drawn for every borough, then London-wide
 * figures from it fix how the second year's new starters must be drawn for
 * the planted year-on-year changes to come out. Each borough has its own
 * random stream (GSL's MT19937 seeded from the seed and the borough), so a
 * borough's files do not depend on the others'.
 */
#include "synth/synth.h"

#include "base/alloc.h"
#include "base/strbuf.h"
#include "domain/ethnicity.h"
#include "synth/splitmix.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Planted pan-London targets. */
#define TARGET_MINORITY_YEAR1 0.427
#define TARGET_MINORITY_YEAR2 0.467
#define TARGET_NOT_KNOWN_YEAR1 0.122
#define TARGET_NOT_KNOWN_YEAR2 0.116
#define PREFER_NOT_TO_SAY_SHARE 0.25 /* of the non-declared */
#define DECLARE_IN_YEAR2 0.10        /* of staff not known in year 1 */
#define LEAVING_RATE 0.11
#define CEILING 50000.0
#define CEILING_PUSHDOWN 0.40 /* minority staff at or above it moved below */

enum { YEARS = 2 };

struct person {
	unsigned serial;
	unsigned char eth;      /* true category, 0..18 */
	unsigned char declared; /* ETH id recorded: eth, NK or PNS */
	unsigned char sex, age, contract, family;
	float fte;
	double salary;
	bool promoted, disciplinary, training, left;
};

struct borough {
	int area;
	double weights[ETHNICITY_DETAILED_COUNT]; /* adjusted Census shares */
	double not_known_factor;
	struct person *staff[YEARS];
	size_t count[YEARS];
	unsigned next_serial;
	gsl_rng *rng;
};

/* Relative adjustment of each category against residents. */
static double category_adjustment(enum ethnicity_id id)
{
	switch (ethnicity_category(id)->group) {
	case ETH_GROUP_ASIAN: return 0.62;
	case ETH_GROUP_BLACK: return 1.45;
	default: break;
	}
	if (id == ETH_WGYP || id == ETH_WROM)
		return 0.5;
	if (id == ETH_WOTH)
		return 0.85;
	return 1.0;
}

static bool is_minority(int id)
{
	return ethnicity_category((enum ethnicity_id)id)->group != ETH_GROUP_WHITE;
}

/* Draw a category with non-White weights multiplied by m. */
static int draw_category(const struct borough *b, double m)
{
	double w[ETHNICITY_DETAILED_COUNT], total = 0, u;
	int k;

	for (k = 0; k < ETHNICITY_DETAILED_COUNT; k++) {
		w[k] = b->weights[k] * (is_minority(k) ? m : 1.0);
		total += w[k];
	}
	u = gsl_rng_uniform(b->rng) * total;
	for (k = 0; k < ETHNICITY_DETAILED_COUNT - 1; k++) {
		if (u < w[k])
			return k;
		u -= w[k];
	}
	return ETHNICITY_DETAILED_COUNT - 1;
}

static double draw_salary(const struct borough *b, int eth)
{
	double s = gsl_ran_lognormal(b->rng, log(36000.0), 0.38);

	if (s < 19000)
		s = 19000 + gsl_rng_uniform(b->rng) * 2000;
	if (s > 160000)
		s = 160000;
	if (is_minority(eth) && s >= CEILING &&
	    gsl_rng_uniform(b->rng) < CEILING_PUSHDOWN)
		s = 38000 + gsl_rng_uniform(b->rng) * (CEILING - 1 - 38000);
	return floor(s);
}

static bool chance(const struct borough *b, double p)
{
	return gsl_rng_uniform(b->rng) < p;
}

static void draw_events(const struct borough *b, struct person *p)
{
	enum ethnicity_group g = ethnicity_category(p->eth)->group;

	p->promoted = chance(b, 0.06 * (g == ETH_GROUP_BLACK ? 0.62 : 1.0));
	p->disciplinary = chance(b, 0.015 * (g == ETH_GROUP_BLACK ? 1.9 :
					    g == ETH_GROUP_MIXED ? 1.2 : 1.0));
	p->training = chance(b, 0.35 * (g == ETH_GROUP_ASIAN ? 0.88 : 1.0));
	p->left = chance(b, LEAVING_RATE);
}

static void new_person(struct borough *b, struct person *p, double m,
		       double not_known)
{
	memset(p, 0, sizeof(*p));
	p->serial = b->next_serial++;
	p->eth = (unsigned char)draw_category(b, m);
	p->declared = p->eth;
	if (chance(b, not_known))
		p->declared = chance(b, PREFER_NOT_TO_SAY_SHARE)
				      ? ETH_PREFER_NOT_TO_SAY
				      : ETH_NOT_KNOWN;
	p->salary = draw_salary(b, p->eth);
	p->fte = chance(b, 0.85) ? 1.0f : (float)(0.5 + 0.1 * gsl_rng_uniform_int(b->rng, 5));
	p->sex = (unsigned char)(chance(b, 0.6) ? 0 : 1);
	p->age = (unsigned char)gsl_rng_uniform_int(b->rng, 6);
	p->contract = (unsigned char)(chance(b, 0.88) ? 0 : 1);
	p->family = (unsigned char)gsl_rng_uniform_int(b->rng, 6);
	draw_events(b, p);
}

/* The multiplier of non-White weights that gives London share t. */
static double multiplier_for(double t, double minority_weight,
			     double white_weight)
{
	return t * white_weight / ((1 - t) * minority_weight);
}

/* ---- writing ---- */

enum { LABEL_STYLES = 5, HEADER_STYLES = 3 };

static const char *const label_styles[LABEL_STYLES][ETH_COUNT] = {
	{ "White British", "White Irish", "Gypsy or Irish Traveller", "Roma",
	  "Any other White background", "Mixed White and Black Caribbean",
	  "Mixed White and Black African", "Mixed White and Asian",
	  "Any other Mixed background", "Indian", "Pakistani", "Bangladeshi",
	  "Chinese", "Any other Asian background", "Black Caribbean",
	  "Black African", "Any other Black background", "Arab",
	  "Any other ethnic group", "", "Prefer not to say" },
	{ "White - English/Welsh/Scottish/Northern Irish/British",
	  "White - Irish", "White - Gypsy or Irish Traveller", "White - Roma",
	  "White - Any other White background",
	  "Mixed - White and Black Caribbean", "Mixed - White and Black African",
	  "Mixed - White and Asian", "Mixed - Any other Mixed background",
	  "Asian or Asian British - Indian", "Asian or Asian British - Pakistani",
	  "Asian or Asian British - Bangladeshi",
	  "Asian or Asian British - Chinese",
	  "Asian or Asian British - Any other Asian background",
	  "Black or Black British - Caribbean", "Black or Black British - African",
	  "Black or Black British - Any other Black background",
	  "Other ethnic group - Arab", "Other ethnic group - Any other ethnic group",
	  "Not stated", "Prefer not to say" },
	{ "White: English, Welsh, Scottish, Northern Irish or British",
	  "White: Irish", "White: Gypsy or Irish Traveller", "White: Roma",
	  "White: Other White",
	  "Mixed or Multiple ethnic groups: White and Black Caribbean",
	  "Mixed or Multiple ethnic groups: White and Black African",
	  "Mixed or Multiple ethnic groups: White and Asian",
	  "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
	  "Asian, Asian British or Asian Welsh: Indian",
	  "Asian, Asian British or Asian Welsh: Pakistani",
	  "Asian, Asian British or Asian Welsh: Bangladeshi",
	  "Asian, Asian British or Asian Welsh: Chinese",
	  "Asian, Asian British or Asian Welsh: Other Asian",
	  "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
	  "Black, Black British, Black Welsh, Caribbean or African: African",
	  "Black, Black British, Black Welsh, Caribbean or African: Other Black",
	  "Other ethnic group: Arab", "Other ethnic group: Any other ethnic group",
	  "Not known", "Prefer not to say" },
	{ "WHITE - BRITISH", "WHITE - IRISH", "WHITE - GYPSY OR IRISH TRAVELLER",
	  "WHITE - ROMA", "WHITE - ANY OTHER WHITE BACKGROUND",
	  "MIXED - WHITE AND BLACK CARIBBEAN", "MIXED - WHITE AND BLACK AFRICAN",
	  "MIXED - WHITE AND ASIAN", "MIXED - ANY OTHER MIXED BACKGROUND",
	  "ASIAN - INDIAN", "ASIAN - PAKISTANI", "ASIAN - BANGLADESHI",
	  "ASIAN - CHINESE", "ASIAN - ANY OTHER ASIAN BACKGROUND",
	  "BLACK - CARIBBEAN", "BLACK - AFRICAN",
	  "BLACK - ANY OTHER BLACK BACKGROUND", "OTHER - ARAB",
	  "OTHER - ANY OTHER ETHNIC GROUP", "UNKNOWN", "DECLINED" },
	{ "White \xE2\x80\x93 English, Welsh, Scottish, Northern Irish or British",
	  "White \xE2\x80\x93 Irish", "White \xE2\x80\x93 Gypsy or Irish Traveller",
	  "White \xE2\x80\x93 Roma", "White \xE2\x80\x93 Any other White background",
	  "Mixed or Multiple ethnic groups \xE2\x80\x93 White and Black Caribbean",
	  "Mixed or Multiple ethnic groups \xE2\x80\x93 White and Black African",
	  "Mixed or Multiple ethnic groups \xE2\x80\x93 White and Asian",
	  "Mixed or Multiple ethnic groups \xE2\x80\x93 Any other Mixed or Multiple ethnic background",
	  "Asian or Asian British \xE2\x80\x93 Indian",
	  "Asian or Asian British \xE2\x80\x93 Pakistani",
	  "Asian or Asian British \xE2\x80\x93 Bangladeshi",
	  "Asian or Asian British \xE2\x80\x93 Chinese",
	  "Asian or Asian British \xE2\x80\x93 Any other Asian background",
	  "Black, Black British, Caribbean or African \xE2\x80\x93 Caribbean",
	  "Black, Black British, Caribbean or African \xE2\x80\x93 African",
	  "Black, Black British, Caribbean or African \xE2\x80\x93 Any other Black, Black British, or Caribbean background",
	  "Other ethnic group \xE2\x80\x93 Arab",
	  "Other ethnic group \xE2\x80\x93 Any other ethnic group", "Not stated",
	  "Prefer not to say" },
};

static const char *const workforce_headers[HEADER_STYLES] = {
	"staff_id,ethnicity,annual_salary,fte,grade,job_family,sex,age_band,"
	"contract_type,promoted,disciplinary,training,left",
	"Staff ID,Ethnicity,Annual Salary,FTE,Grade,Job Family,Sex,Age Band,"
	"Contract Type,Promoted,Disciplinary,Training,Left",
	"STAFF-ID,ETHNICITY,ANNUAL-SALARY,WEEKLY-HOURS,GRADE,JOB-FAMILY,SEX,"
	"AGE-BAND,CONTRACT-TYPE,PROMOTED,DISCIPLINARY,TRAINING,LEFT",
};

static const char *const recruitment_headers[HEADER_STYLES] = {
	"applicant_id,ethnicity,shortlisted,appointed,vacancy_id",
	"Applicant ID,Ethnicity,Shortlisted,Appointed,Vacancy ID",
	"APPLICANT-ID,ETHNICITY,SHORTLISTED,APPOINTED,VACANCY-ID",
};

static const char *const families[6] = {
	"Adult social care", "Children's services", "Finance", "Housing",
	"Environment", "Catering \xE2\x80\x93 Caf\xC3\xA9"
};
static const char *const age_bands[6] = {
	"16-24", "25-34", "35-44", "45-54", "55-64", "65+"
};

struct file_style {
	int labels, header;
	bool crlf, bom, money, yn, windows_1252;
};

static struct file_style style_for(size_t index)
{
	struct file_style s;

	s.labels = (int)(index % LABEL_STYLES);
	s.header = (int)(index % HEADER_STYLES);
	s.crlf = index % 4 == 1;
	s.bom = index % 4 == 1;
	s.money = index % 4 == 2;
	s.yn = index % 4 == 3;
	s.windows_1252 = index == 7;
	return s;
}

/* Append `text` to `line` as a CSV field, converting to Windows-1252 when
 * the style says so (only the characters parity's samples use). */
static void add_field(struct strbuf *line, const char *text,
		      const struct file_style *s)
{
	bool quote = strpbrk(text, ",\"") != NULL;
	const char *p;

	if (line->len)
		strbuf_addch(line, ',');
	if (quote)
		strbuf_addch(line, '"');
	for (p = text; *p; p++) {
		if (s->windows_1252 && strncmp(p, "\xE2\x80\x93", 3) == 0) {
			strbuf_addch(line, (char)0x96);
			p += 2;
		} else if (s->windows_1252 && strncmp(p, "\xC3\xA9", 2) == 0) {
			strbuf_addch(line, (char)0xE9);
			p += 1;
		} else {
			if (*p == '"')
				strbuf_addch(line, '"');
			strbuf_addch(line, *p);
		}
	}
	if (quote)
		strbuf_addch(line, '"');
}

static const char *yes_no(bool v, const struct file_style *s)
{
	if (s->yn)
		return v ? "Y" : "N";
	return v ? "Yes" : "No";
}

static void end_line(struct strbuf *line, FILE *f, const struct file_style *s)
{
	strbuf_addstr(line, s->crlf ? "\r\n" : "\n");
	fwrite(line->buf, 1, line->len, f);
	strbuf_reset(line);
}

static FILE *open_output(const char *dir, const char *kind, const char *code,
			 int year, struct strbuf *path, struct parity_error *err)
{
	FILE *f;

	strbuf_reset(path);
	strbuf_addf(path, "%s/%s-%s-%d.csv", dir, kind, code, year);
	f = fopen(path->buf, "wb");
	if (!f)
		parity_error_set(err, PARITY_ERR_IO, path->buf, 0, 0,
				 "cannot create file: %s", strerror(errno));
	return f;
}

static int close_output(FILE *f, const char *path, struct parity_error *err)
{
	if (ferror(f) | (fclose(f) != 0))
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"could not write the file");
	return 0;
}

static int write_workforce(const struct borough *b, size_t index,
			   const struct area_set *areas, int year, int y,
			   const char *dir, struct strbuf *path,
			   struct parity_error *err)
{
	struct file_style s = style_for(index);
	struct strbuf line = STRBUF_INIT;
	char buf[64];
	FILE *f = open_output(dir, "workforce", areas->areas[b->area].code,
			      year, path, err);
	size_t k;

	if (!f)
		return -1;
	if (s.bom)
		fputs("\xEF\xBB\xBF", f);
	strbuf_addstr(&line, workforce_headers[s.header]);
	end_line(&line, f, &s);
	for (k = 0; k < b->count[y]; k++) {
		const struct person *p = &b->staff[y][k];

		snprintf(buf, sizeof(buf), "%02zu%06u", index + 10, p->serial);
		add_field(&line, buf, &s);
		add_field(&line, label_styles[s.labels][p->declared], &s);
		if (s.money) {
			long whole = (long)p->salary;

			snprintf(buf, sizeof(buf), "\xC2\xA3%ld,%03ld.00",
				 whole / 1000, whole % 1000);
		} else {
			snprintf(buf, sizeof(buf), "%.0f", p->salary);
		}
		add_field(&line, buf, &s);
		if (s.header == 2)
			snprintf(buf, sizeof(buf), "%.1f", p->fte * 36.0);
		else
			snprintf(buf, sizeof(buf), "%.1f", p->fte);
		add_field(&line, buf, &s);
		snprintf(buf, sizeof(buf), "G%d",
			 p->salary < 20000 ? 1 : (int)(p->salary / 10000));
		add_field(&line, buf, &s);
		add_field(&line, families[p->family], &s);
		add_field(&line, p->sex ? "Male" : "Female", &s);
		add_field(&line, age_bands[p->age], &s);
		add_field(&line, p->contract ? "Fixed term" : "Permanent", &s);
		add_field(&line, yes_no(p->promoted, &s), &s);
		add_field(&line, yes_no(p->disciplinary, &s), &s);
		add_field(&line, yes_no(p->training, &s), &s);
		add_field(&line, yes_no(p->left, &s), &s);
		end_line(&line, f, &s);
	}
	strbuf_release(&line);
	return close_output(f, path->buf, err);
}

static int write_recruitment(struct borough *b, size_t index,
			     const struct area_set *areas, int year, int y,
			     double minority_multiplier, const char *dir,
			     struct strbuf *path, long *rows,
			     struct parity_error *err)
{
	struct file_style s = style_for(index);
	struct strbuf line = STRBUF_INIT;
	char buf[64];
	FILE *f = open_output(dir, "recruitment", areas->areas[b->area].code,
			      year, path, err);
	size_t applicants = b->count[y] / 2, k;

	if (!f)
		return -1;
	if (s.bom)
		fputs("\xEF\xBB\xBF", f);
	strbuf_addstr(&line, recruitment_headers[s.header]);
	end_line(&line, f, &s);
	for (k = 0; k < applicants; k++) {
		int eth = draw_category(b, minority_multiplier);
		int declared = chance(b, 0.08) ? ETH_NOT_KNOWN : eth;
		bool shortlisted = chance(b, 0.25 * (is_minority(eth) ? 0.85 : 1.0));
		bool appointed = shortlisted &&
				 chance(b, 0.30 * (is_minority(eth) ? 0.667 : 1.0));

		snprintf(buf, sizeof(buf), "A%02zu%d%06zu", index + 10, year % 100, k);
		add_field(&line, buf, &s);
		add_field(&line, label_styles[s.labels][declared], &s);
		add_field(&line, yes_no(shortlisted, &s), &s);
		add_field(&line, yes_no(appointed, &s), &s);
		snprintf(buf, sizeof(buf), "V%d-%04zu", year, k / 40);
		add_field(&line, buf, &s);
		end_line(&line, f, &s);
	}
	*rows = (long)applicants;
	strbuf_release(&line);
	return close_output(f, path->buf, err);
}

/* ---- the two years ---- */

static void draw_year1(struct borough *b, size_t n, double m,
		       double not_known)
{
	size_t k;

	b->staff[0] = xcalloc(n, sizeof(struct person));
	b->count[0] = n;
	for (k = 0; k < n; k++)
		new_person(b, &b->staff[0][k], m, not_known);
}

static void draw_year2(struct borough *b, size_t n, double m_starters,
		       double nk_starters)
{
	size_t k, out = 0;

	b->staff[1] = xcalloc(n, sizeof(struct person));
	for (k = 0; k < b->count[0] && out < n; k++) {
		const struct person *old = &b->staff[0][k];
		struct person *p;

		if (old->left)
			continue;
		p = &b->staff[1][out++];
		*p = *old;
		if (p->declared >= ETH_NOT_KNOWN && chance(b, DECLARE_IN_YEAR2))
			p->declared = p->eth;
		p->salary = floor(p->salary * (old->promoted ? 1.11 : 1.035));
		if (p->salary > 170000)
			p->salary = 170000;
		draw_events(b, p);
	}
	for (; out < n; out++)
		new_person(b, &b->staff[1][out], m_starters, nk_starters);
	b->count[1] = n;
}

int synth_london(const struct synth_options *opt, const struct area_set *areas,
		 const struct benchmark *census, synth_progress_fn progress,
		 void *progress_ctx, struct parity_error *err)
{
	int leaves[64];
	size_t nb = area_leaves(areas, area_london(areas), leaves), i;
	struct borough *bs = xcalloc(nb, sizeof(*bs));
	double minority_w = 0, white_w = 0, m1, m2, m_app;
	double survivors = 0, surv_minority = 0, surv_nk = 0, total2 = 0;
	double starters, nk_starters;
	struct strbuf path = STRBUF_INIT;
	int status = -1;
	int c;

	for (i = 0; i < nb; i++) {
		struct borough *b = &bs[i];
		double pop[ETHNICITY_DETAILED_COUNT], total;

		b->area = leaves[i];
		if (benchmark_populations(census, b->area, ETH_LEVEL_DETAILED,
					  pop, &total, err) < 0)
			goto out;
		b->count[1] = (size_t)lround(total * opt->staff_per_resident);
		if (b->count[1] < 50)
			b->count[1] = 50;
		for (c = 0; c < ETHNICITY_DETAILED_COUNT; c++) {
			b->weights[c] = pop[c] / total *
					category_adjustment((enum ethnicity_id)c);
			if (is_minority(c))
				minority_w += b->weights[c] * (double)b->count[1];
			else
				white_w += b->weights[c] * (double)b->count[1];
		}
		/* some boroughs record ethnicity better than others */
		b->not_known_factor = 0.45 + 1.1 * (double)((i * 7) % 11) / 10.0;
		b->rng = gsl_rng_alloc(gsl_rng_mt19937);
		gsl_rng_set(b->rng, opt->seed * 1000003UL + (unsigned long)i);
		b->next_serial = 1;
		total2 += (double)b->count[1];
	}
	m1 = multiplier_for(TARGET_MINORITY_YEAR1, minority_w, white_w);
	for (i = 0; i < nb; i++) {
		struct borough *b = &bs[i];
		size_t n1 = (size_t)lround((double)b->count[1] * 0.985), k;

		draw_year1(b, n1, m1, TARGET_NOT_KNOWN_YEAR1 * b->not_known_factor);
		for (k = 0; k < n1; k++) {
			const struct person *p = &b->staff[0][k];

			if (p->left)
				continue;
			survivors++;
			surv_minority += is_minority(p->eth);
			surv_nk += p->declared >= ETH_NOT_KNOWN ? 1 - DECLARE_IN_YEAR2 : 0;
		}
	}
	/* what the new starters must look like for the planted year-2 figures */
	starters = total2 - survivors;
	{
		double t_s = (TARGET_MINORITY_YEAR2 * total2 - surv_minority) / starters;

		if (t_s > 0.95)
			t_s = 0.95;
		m2 = multiplier_for(t_s, minority_w, white_w);
		nk_starters = (TARGET_NOT_KNOWN_YEAR2 * total2 - surv_nk) / starters;
		if (nk_starters < 0.01)
			nk_starters = 0.01;
		m_app = multiplier_for(0.55, minority_w, white_w);
	}
	for (i = 0; i < nb; i++) {
		struct borough *b = &bs[i];
		int y;
		long rows;

		draw_year2(b, b->count[1], m2, nk_starters * b->not_known_factor);
		for (y = 0; y < YEARS; y++) {
			int year = opt->year - 1 + y;

			if (write_workforce(b, i, areas, year, y, opt->out_dir,
					    &path, err) < 0)
				goto out;
			if (progress)
				progress(progress_ctx, path.buf, (long)b->count[y]);
			if (write_recruitment(b, i, areas, year, y, m_app,
					      opt->out_dir, &path, &rows, err) < 0)
				goto out;
			if (progress)
				progress(progress_ctx, path.buf, rows);
		}
	}
	status = 0;
out:
	for (i = 0; i < nb; i++) {
		free(bs[i].staff[0]);
		free(bs[i].staff[1]);
		if (bs[i].rng)
			gsl_rng_free(bs[i].rng);
	}
	free(bs);
	strbuf_release(&path);
	return status;
}

/* ---- one national file ---- */

/*
 * The national file is written for scale: a small, fast generator
 * (splitmix64) with one stream per authority, salaries drawn from a table
 * of lognormal quantiles, and numbers formatted by hand into a large
 * buffer. By default rows come authority by authority, as files from a
 * shared service or a national collection are put together; the shapes
 * (synth.h) write the same staff in other ways.
 *
 * Each authority's rows are drawn from its own stream in the same order
 * whatever the shape, and a row's staff id is its authority's first id
 * plus its place among the authority's rows, so that `shuffled`, `quoted`,
 * `crlf` and `wide` hold exactly the staff of the grouped file (a shuffled
 * file is a permutation of the grouped one's rows). The values only the
 * shapes need (the wide file's extra columns, the spelling of a 2011 label
 * that is not known) come from a second stream per authority, and the
 * order of a shuffled file from a third, of the seed alone.
 */
#define NATIONAL_QUANTILES 4096
#define NATIONAL_NOT_KNOWN 0.08
#define NATIONAL_PREFER_NOT 0.02
/* labels-2011: many more staff not known, written in several ways */
#define NATIONAL_2011_NOT_KNOWN 0.22
#define NATIONAL_BUFFER ((size_t)1 << 22)
#define NATIONAL_ROW_MAX 1024 /* no row is longer */

static const struct {
	const char *name;
	unsigned bit;
} national_shapes[] = {
	{ "grouped", 0 },
	{ "shuffled", SYNTH_SHAPE_SHUFFLED },
	{ "quoted", SYNTH_SHAPE_QUOTED },
	{ "crlf", SYNTH_SHAPE_CRLF },
	{ "labels-2011", SYNTH_SHAPE_LABELS_2011 },
	{ "wide", SYNTH_SHAPE_WIDE },
};

int synth_shape_parse(const char *list, unsigned *out,
		      struct parity_error *err)
{
	const char *p = list;

	*out = 0;
	for (;;) {
		size_t len = strcspn(p, ","), k;

		for (k = 0; k < sizeof(national_shapes) /
				sizeof(national_shapes[0]); k++)
			if (strlen(national_shapes[k].name) == len &&
			    strncmp(national_shapes[k].name, p, len) == 0)
				break;
		if (k == sizeof(national_shapes) / sizeof(national_shapes[0]))
			return parity_error_set(
				err, PARITY_ERR_USAGE, NULL, 0, 0,
				"unknown shape '%.*s': give grouped, shuffled, "
				"quoted, crlf, labels-2011 or wide, or several "
				"joined by commas", (int)len, p);
		*out |= national_shapes[k].bit;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* The 2011 Census wordings (no Roma: it was in Any other White
 * background), for the labels-2011 shape. */
static const char *const labels_2011[ETH_COUNT] = {
	"White - English/Welsh/Scottish/Northern Irish/British",
	"White - Irish", "White - Gypsy or Irish Traveller",
	"White - Any other White background",
	"White - Any other White background",
	"Mixed/multiple ethnic groups - White and Black Caribbean",
	"Mixed/multiple ethnic groups - White and Black African",
	"Mixed/multiple ethnic groups - White and Asian",
	"Mixed/multiple ethnic groups - Any other Mixed/multiple ethnic background",
	"Asian/Asian British - Indian", "Asian/Asian British - Pakistani",
	"Asian/Asian British - Bangladeshi", "Asian/Asian British - Chinese",
	"Asian/Asian British - Any other Asian background",
	"Black/African/Caribbean/Black British - Caribbean",
	"Black/African/Caribbean/Black British - African",
	"Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
	"Other ethnic group - Arab", "Other ethnic group - Any other ethnic group",
	"Not stated", "Prefer not to say"
};
/* How a 2011-era system writes a label that is not known. */
static const char *const not_known_2011[4] = {
	"Not stated", "Not known", "Unknown", ""
};

/* The wide file's columns after the narrow file's twelve: known columns
 * parity checks, then columns it ignores. Thirty in all. */
static const char wide_header[] =
	"employer,staff_id,ethnicity,annual_salary,fte,sex,age_band,"
	"contract_type,promoted,disciplinary,training,left,grade,job_family,"
	"pay_band,disability,start_date,leaving_date,directorate,service,"
	"team,job_title,post_number,cost_centre,work_location,manager_id,"
	"contract_hours,scale_point,hire_route,notes";
static const char narrow_header[] =
	"employer,staff_id,ethnicity,annual_salary,fte,sex,age_band,"
	"contract_type,promoted,disciplinary,training,left";
static const char *const directorates[6] = {
	"Adults and Health", "Children and Families", "Resources", "Place",
	"Housing", "Chief Executive's Office"
};
static const char *const wide_services[8] = {
	"Social work", "Early help", "Revenues and benefits", "Highways",
	"Waste and recycling", "Libraries", "Planning", "Customer services"
};
static const char *const job_titles[8] = {
	"Social worker", "Care assistant", "Finance officer",
	"Team manager", "Planning officer", "Customer adviser",
	"Housing officer", "Waste operative"
};
static const char *const locations[5] = {
	"Town Hall", "Civic Centre", "Depot", "Area office", "Remote"
};
static const char *const hire_routes[4] = {
	"External", "Internal", "Apprenticeship", "Agency conversion"
};
static const char *const disabilities_wide[4] = {
	"No", "No", "Yes", "Prefer not to say"
};

/* A uniform double in [0, 1). */
static double uniform(uint64_t *state)
{
	return (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
}

static char *put_uint(char *p, uint64_t v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/* Append `text` without its NUL: the buffer is a run of CSV bytes. */
static char *put_text(char *p, const char *text)
{
	while (*text)
		*p++ = *text++;
	return p;
}

/* A date in 1985-2023 (start) or 2024 (leaving), as YYYY-MM-DD. */
static char *put_date(char *p, uint64_t bits, bool leaving)
{
	uint64_t year = leaving ? 2024 : 1985 + bits % 39;
	uint64_t month = 1 + (bits >> 8) % 12, day = 1 + (bits >> 16) % 28;

	p = put_uint(p, year);
	*p++ = '-';
	*p++ = (char)('0' + month / 10);
	*p++ = (char)('0' + month % 10);
	*p++ = '-';
	*p++ = (char)('0' + day / 10);
	*p++ = (char)('0' + day % 10);
	return p;
}

/* One authority's share of the file. */
struct national_la {
	const char *code;
	uint64_t rng;    /* the rows' stream */
	uint64_t extra;  /* the shapes' own values */
	double cum[ETH_COUNT]; /* cumulative shares of the categories */
	long rows;       /* rows to write */
	long done;       /* rows written */
	uint64_t serial; /* the staff id number before the first row's */
};

/* How the rows are written. */
struct national_style {
	bool quoted, wide, labels_2011;
	const char *eol;
};

/* Open (and later close) a field: a quote when every field is quoted. */
static char *field_start(char *p, const struct national_style *st)
{
	if (st->quoted)
		*p++ = '"';
	return p;
}

static char *field_end(char *p, const struct national_style *st, bool last)
{
	if (st->quoted)
		*p++ = '"';
	if (!last)
		*p++ = ',';
	return p;
}

static char *put_field(char *p, const char *text,
		       const struct national_style *st, bool last)
{
	return field_end(put_text(field_start(p, st), text), st, last);
}

/* The wide file's eighteen further columns. */
static char *put_wide(char *p, struct national_la *la, uint64_t bits,
		      const struct national_style *st)
{
	uint64_t w = splitmix64(&la->extra), v = splitmix64(&la->extra);
	bool left = (bits >> 4) % 100 < 11;

	p = field_start(p, st);
	p = put_text(p, "Grade ");
	p = put_uint(p, 1 + w % 12);
	p = field_end(p, st, false);
	p = put_field(p, families[(w >> 4) % 6], st, false);
	p = field_start(p, st);
	p = put_text(p, "Band ");
	p = put_uint(p, 1 + (w >> 8) % 9);
	p = field_end(p, st, false);
	p = put_field(p, disabilities_wide[(w >> 12) % 4], st, false);
	p = put_date(field_start(p, st), v, false);
	p = field_end(p, st, false);
	p = field_start(p, st);
	if (left)
		p = put_date(p, v >> 24, true);
	p = field_end(p, st, false);
	p = put_field(p, directorates[(w >> 14) % 6], st, false);
	p = put_field(p, wide_services[(w >> 17) % 8], st, false);
	p = field_start(p, st);
	p = put_text(p, "Team ");
	p = put_uint(p, 1 + (w >> 20) % 40);
	p = field_end(p, st, false);
	p = put_field(p, job_titles[(w >> 26) % 8], st, false);
	p = field_start(p, st);
	*p++ = 'P';
	p = put_uint(p, 100000 + (w >> 29) % 900000);
	p = field_end(p, st, false);
	p = field_start(p, st);
	p = put_text(p, "CC");
	p = put_uint(p, 1000 + (w >> 49) % 9000);
	p = field_end(p, st, false);
	p = put_field(p, locations[(v >> 40) % 5], st, false);
	p = field_start(p, st);
	*p++ = 'M';
	p = put_uint(p, 100000 + (v >> 43) % 900000);
	p = field_end(p, st, false);
	p = put_field(p, (bits >> 35) % 6 == 0 ? "18.5" : "37", st, false);
	p = field_start(p, st);
	p = put_text(p, "SCP ");
	p = put_uint(p, 1 + (v >> 3) % 50);
	p = field_end(p, st, false);
	p = put_field(p, hire_routes[(v >> 61) % 4], st, false);
	/* notes: mostly blank; now and then text with a comma and quotes,
	 * so quoted whatever the shape */
	if ((v >> 56) % 20 == 0)
		return put_text(p, (v >> 55) & 1 ? "\"Acting up, \"\"interim\"\"\""
						 : "\"Phased return, see HR\"");
	return put_field(p, "", st, true);
}

/* One row of `la`. */
static char *national_row(char *p, struct national_la *la,
			  const double *quantile,
			  const struct national_style *st)
{
	static const char *const yn[2] = { "No", "Yes" };
	double u = uniform(&la->rng), salary;
	uint64_t bits = splitmix64(&la->rng);
	const char *label;
	int eth = 0;

	while (u >= la->cum[eth])
		eth++;
	salary = quantile[bits % NATIONAL_QUANTILES];
	if (is_minority(eth) && eth < ETHNICITY_DETAILED_COUNT &&
	    salary >= CEILING && (bits >> 12) % 100 < 30)
		salary = 38000 + (double)((bits >> 20) % 11999);
	if (!st->labels_2011)
		label = label_styles[0][eth];
	else if (eth == ETH_NOT_KNOWN)
		label = not_known_2011[splitmix64(&la->extra) % 4];
	else
		label = labels_2011[eth];
	p = put_field(p, la->code, st, false);
	p = field_start(p, st);
	*p++ = 'S';
	p = put_uint(p, 100000000 + la->serial + (uint64_t)++la->done);
	p = field_end(p, st, false);
	p = put_field(p, label, st, false);
	p = field_start(p, st);
	p = put_uint(p, (uint64_t)salary);
	if ((bits >> 32) % 8 == 0)
		p = put_text(p, ".50");
	p = field_end(p, st, false);
	p = put_field(p, (bits >> 35) % 6 == 0 ? "0.5" : "1", st, false);
	p = put_field(p, (bits >> 38) % 5 < 3 ? "Female" : "Male", st, false);
	p = put_field(p, age_bands[(bits >> 41) % 6], st, false);
	p = put_field(p, (bits >> 44) % 8 ? "Permanent" : "Fixed term", st,
		      false);
	p = put_field(p, yn[(bits >> 47) % 100 < 6], st, false);
	p = put_field(p, yn[(bits >> 54) % 100 < 2], st, false);
	p = put_field(p, yn[(bits >> 24) % 100 < 35], st, false);
	p = put_field(p, yn[(bits >> 4) % 100 < 11], st, !st->wide);
	if (st->wide)
		p = put_wide(p, la, bits, st);
	return put_text(p, st->eol);
}

/* The header, each name quoted when every field is. */
static char *national_header(char *p, const struct national_style *st)
{
	const char *h = st->wide ? wide_header : narrow_header;

	p = field_start(p, st);
	for (; *h; h++) {
		if (*h == ',') {
			p = field_end(p, st, false);
			p = field_start(p, st);
		} else {
			*p++ = *h;
		}
	}
	p = field_end(p, st, true);
	return put_text(p, st->eol);
}

/*
 * The authority of the next row of a shuffled file: each with
 * probability in proportion to its rows still to write, found in a
 * Fenwick tree of those counts (`tree`, 1-based, `n` authorities), which
 * is then updated. Every order of the rows is equally likely.
 */
static size_t draw_authority(long *tree, size_t n, size_t top,
			     uint64_t *order, long left)
{
	long target = (long)(splitmix64(order) % (uint64_t)left);
	size_t at = 0, step;

	for (step = top; step; step >>= 1)
		if (at + step <= n && tree[at + step] <= target) {
			at += step;
			target -= tree[at];
		}
	/* `at` is the 0-based authority; take one of its rows */
	for (step = at + 1; step <= n; step += step & (~step + 1))
		tree[step]--;
	return at;
}

int synth_national(const struct synth_national_options *opt,
		   const struct area_set *areas,
		   const struct benchmark *census, struct parity_error *err)
{
	double quantile[NATIONAL_QUANTILES], total = 0;
	struct national_la *las = xcalloc(areas->count, sizeof(*las));
	double *pop = xcalloc(areas->count, sizeof(*pop));
	int *index = xcalloc(areas->count, sizeof(*index));
	long *tree = NULL;
	size_t nla = 0, k, top = 1;
	char *buf = xmalloc(NATIONAL_BUFFER + NATIONAL_ROW_MAX), *p = buf;
	struct national_style st = {
		(opt->shape & SYNTH_SHAPE_QUOTED) != 0,
		(opt->shape & SYNTH_SHAPE_WIDE) != 0,
		(opt->shape & SYNTH_SHAPE_LABELS_2011) != 0,
		(opt->shape & SYNTH_SHAPE_CRLF) ? "\r\n" : "\n"
	};
	double not_known = st.labels_2011 ? NATIONAL_2011_NOT_KNOWN
					  : NATIONAL_NOT_KNOWN;
	uint64_t serial = 0, order = opt->seed * 0x2545F4914F6CDD1DULL + 7;
	long rows_left = opt->rows, r;
	FILE *f = NULL;
	int status = -1;

	/* lognormal(log 33,000, 0.36) salaries at the midpoints of 4,096
	 * equal steps of probability (GSL's inverse normal CDF): a draw is
	 * one random index */
	for (k = 0; k < NATIONAL_QUANTILES; k++) {
		double u = ((double)k + 0.5) / NATIONAL_QUANTILES;
		double z = gsl_cdf_ugaussian_Pinv(u);
		double salary = floor(exp(log(33000.0) + 0.36 * z));

		quantile[k] = salary < 18000 ? 18000 : salary > 180000 ? 180000
									  : salary;
	}
	for (k = 0; k < areas->count; k++)
		if (areas->areas[k].type == AREA_BOROUGH ||
		    areas->areas[k].type == AREA_LOCAL_AUTHORITY) {
			double groups[ETHNICITY_DETAILED_COUNT];

			if (benchmark_populations(census, (int)k,
						  ETH_LEVEL_DETAILED, groups,
						  &pop[nla], err) < 0)
				goto out;
			index[nla++] = (int)k;
			total += pop[nla - 1];
		}
	/* each authority: its rows, its streams, its mix */
	for (k = 0; k < nla; k++) {
		double groups[ETHNICITY_DETAILED_COUNT], sum = 0;
		struct national_la *la = &las[k];
		int g;

		la->code = areas->areas[index[k]].code;
		la->rng = opt->seed * 0x100000001B3ULL + (uint64_t)index[k];
		la->extra = (opt->seed ^ 0x5851F42D4C957F2DULL) *
				    0x100000001B3ULL + (uint64_t)index[k];
		/* rows by population: each authority takes its share of what
		 * is left, so that the total is exact */
		la->rows = k + 1 == nla ? rows_left
			 : lround((double)rows_left * pop[k] / total);
		la->serial = serial;
		serial += (uint64_t)la->rows;
		total -= pop[k];
		rows_left -= la->rows;
		(void)benchmark_populations(census, index[k], ETH_LEVEL_DETAILED,
					    groups, &pop[k], err);
		for (g = 0; g < ETHNICITY_DETAILED_COUNT; g++) {
			sum += groups[g] / pop[k] *
			       (1 - not_known - NATIONAL_PREFER_NOT);
			la->cum[g] = sum;
		}
		la->cum[ETH_NOT_KNOWN] = sum + not_known;
		la->cum[ETH_PREFER_NOT_TO_SAY] = 2.0; /* the rest */
	}
	f = fopen(opt->out_path, "wb");
	if (!f) {
		parity_error_set(err, PARITY_ERR_IO, opt->out_path, 0, 0,
				 "cannot create file: %s", strerror(errno));
		goto out;
	}
	p = national_header(p, &st);
	if (opt->shape & SYNTH_SHAPE_SHUFFLED) {
		/* a Fenwick tree of each authority's rows */
		tree = xcalloc(nla + 1, sizeof(*tree));
		for (k = 1; k <= nla; k++) {
			size_t up = k + (k & (~k + 1));

			tree[k] += las[k - 1].rows;
			if (up <= nla)
				tree[up] += tree[k];
		}
		while (top * 2 <= nla)
			top *= 2;
	}
	for (k = 0, r = 0; r < opt->rows; r++) {
		size_t at;

		if (tree) {
			at = draw_authority(tree, nla, top, &order,
					    opt->rows - r);
		} else {
			while (las[k].done == las[k].rows)
				k++;
			at = k;
		}
		p = national_row(p, &las[at], quantile, &st);
		if ((size_t)(p - buf) >= NATIONAL_BUFFER) {
			if (fwrite(buf, 1, (size_t)(p - buf), f) !=
			    (size_t)(p - buf))
				break;
			p = buf;
		}
	}
	if ((p > buf && fwrite(buf, 1, (size_t)(p - buf), f) !=
			       (size_t)(p - buf)) || ferror(f)) {
		fclose(f);
		parity_error_set(err, PARITY_ERR_IO, opt->out_path, 0, 0,
				 "could not write the file");
		goto out;
	}
	if (fclose(f) != 0) {
		parity_error_set(err, PARITY_ERR_IO, opt->out_path, 0, 0,
				 "could not write the file");
		goto out;
	}
	status = 0;
out:
	free(tree);
	free(buf);
	free(index);
	free(pop);
	free(las);
	return status;
}
