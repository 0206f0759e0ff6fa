/*
 * site_glossary.c - the published site's glossary (glossary.html): every
 * term a page uses for a measure or a statistical idea, defined in plain
 * English for council leaders and residents, each with an anchor that the
 * pages link a measure's name to (site_glossary_link()). The terms are
 * read-only data here; the page goes through site_page_begin() and
 * site_page_finish() like every other.
 */
#include "site/site_internal.h"

#include "site/html.h"

#include <string.h>

struct glossary_term {
	const char *id;   /* the anchor: letters, digits and '-' */
	const char *term;
	const char *definition;
	const char *measure; /* the registry's measure it defines, or NULL */
};

static const struct glossary_term terms[] = {
	{ "ci", "95% confidence interval",
	  "The range within which the true figure is likely to lie: if the "
	  "same kind of figure were worked out many times, 95 in 100 of "
	  "these ranges would hold the true value. Small groups give wide "
	  "ranges. Tables give the range; the text says 'about'.", NULL },
	{ "confidential", "[c] (withheld)",
	  "A figure withheld to protect confidentiality: it rests on so few "
	  "people that someone could be identified, or it would let such a "
	  "figure be worked out from others. It may be any number, zero "
	  "included.", NULL },
	{ "attainment-gap", "Attainment gap",
	  "The difference between a group's mean score (such as Attainment "
	  "8) and the reference group's: below 0, the group scores lower.",
	  "attainment_gap" },
	{ "cumulative-rri", "Cumulative relative rate index",
	  "The relative rate index of reaching a stage of a service, taken "
	  "out of the people at the first stage (the base) rather than the "
	  "stage before.", "cumulative_rri" },
	{ "detailed-groups", "Detailed and high-level ethnic groups",
	  "The Office for National Statistics' 2021 classification has 19 "
	  "detailed groups (such as Black Caribbean, Black African, Indian, "
	  "Bangladeshi) in 5 high-level groups (Asian, Black, Mixed, White, "
	  "Other). Groups are always named; they are never merged into one "
	  "'minority' category.", NULL },
	{ "not-known", "Ethnicity not known",
	  "Staff whose ethnic group is not recorded, or who preferred not to "
	  "say, as a share of all staff. They are left out of every other "
	  "share, so a high rate makes the other figures less certain.",
	  "not_known_rate" },
	{ "expected-range", "Expected range",
	  "On a funnel plot, the range a borough's figure would fall in by "
	  "chance, 95 times in 100, if the borough were like London as a "
	  "whole. It is wider for smaller boroughs. A figure outside it is "
	  "unlikely to be chance.", NULL },
	{ "funnel-plot", "Funnel plot",
	  "A chart that places each borough's figure against its size. "
	  "London's figure is a line across; curves either side mark the "
	  "expected range, which narrows as boroughs get bigger. It compares "
	  "boroughs fairly without ranking them.", "funnel_position" },
	{ "glass-ceiling", "Glass ceiling",
	  "Where, up the pay bands, a group's share of staff drops most "
	  "sharply: the pay level at which the group's share of staff paid "
	  "that much or more is lowest against its share of staff paid less. "
	  "A ceiling is reported when the drop is at least a fifth and is "
	  "unlikely to be chance. The table of pay bands beside it gives the "
	  "shares it compares.", "glass_ceiling" },
	{ "hourly-pay", "Hourly pay",
	  "Full-time equivalent annual basic pay divided by 52.143 weeks of "
	  "36 hours, so that part-time and full-time staff compare.",
	  "median_hourly_pay" },
	{ "pay-band", "Pay band",
	  "A range of full-time equivalent annual pay, such as £40,000 to "
	  "£49,999. A group's share in a band is the share of its staff paid "
	  "within it.", "band_share" },
	{ "pay-gap", "Pay gap (mean and median)",
	  "The difference between the reference group's hourly pay and a "
	  "group's, as a percentage of the reference group's. A positive gap "
	  "means the group is paid less. The median is the middle person's "
	  "pay; the mean is the average.", "median_pay_gap" },
	{ "pay-quartile", "Pay quartile",
	  "Staff ranked by hourly pay and split into four equal parts; a "
	  "group's share of each quarter shows where its staff sit in the "
	  "pay range.", "pay_quartile_share" },
	{ "percentage-points", "Percentage points",
	  "The difference between two percentages: from 20% to 25% is a rise "
	  "of 5 percentage points.", NULL },
	{ "rate-per-1000", "Rate per 1,000",
	  "How many people in every 1,000 of a group reach a stage of a "
	  "service: out of the stage before, or out of the group's residents "
	  "(the base).", "stage_rate" },
	{ "reference-group", "Reference group",
	  "The group every other group is compared with: White British staff "
	  "(or White staff, where groups are high-level), as is usual in "
	  "official statistics. It is named with each comparison.", NULL },
	{ "relative-likelihood", "Relative likelihood",
	  "How often something happens to staff in a group (promotion, "
	  "disciplinary action, leaving) against how often it happens to the "
	  "reference group: 1 means equally often, 2 twice as often, 0.5 half "
	  "as often.", "relative_likelihood" },
	{ "rri", "Relative rate index (RRI)",
	  "A service's rate for a group at a stage (such as being stopped and "
	  "searched) against the rate for the reference group: 1 means the "
	  "same rate, 2 twice the rate.", "rri" },
	{ "representation-ratio", "Representation ratio",
	  "A group's share of staff divided by its share of residents "
	  "(Census 2021). 1 means the same share; below 1, fewer staff than "
	  "residents would suggest. Only staff whose ethnic group is "
	  "recorded count.", "representation_ratio" },
	{ "significant", "Significant",
	  "A difference too large to be put down to chance at the usual "
	  "standard (a p-value below 0.05, after allowing for the number of "
	  "comparisons made). It says nothing of the cause.", NULL },
	{ "threshold-rate-ratio", "Threshold rate ratio",
	  "The share of a group's pupils reaching a threshold (such as grade "
	  "5 or above in English and maths) over the reference group's share: "
	  "1 means the same share.", "attainment_rate_ratio" },
};

#define NTERMS (sizeof(terms) / sizeof(terms[0]))

const char *site_glossary_anchor(const char *measure)
{
	size_t k;

	for (k = 0; k < NTERMS; k++)
		if (terms[k].measure && strcmp(terms[k].measure, measure) == 0)
			return terms[k].id;
	return NULL;
}

void site_glossary_link(struct strbuf *sb, const char *root,
			const char *anchor, const char *text)
{
	strbuf_addf(sb, "<a class=\"govuk-link\" href=\"%sglossary.html#%s\">",
		    root, anchor);
	html_escape(sb, text);
	strbuf_addstr(sb, "</a>");
}

int site_write_glossary(struct site *s, const struct site_copy *c,
			struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k;
	int rc;

	site_page_begin(s, c, &sb, "Glossary", "", "glossary.html",
			"What the words on this site mean, in plain English. "
			"Each measure's name on a page links here.");
	strbuf_addstr(&sb, "<dl class=\"govuk-summary-list "
			   "parity-glossary\">\n");
	for (k = 0; k < NTERMS; k++) {
		strbuf_addf(&sb, "<div class=\"govuk-summary-list__row\">"
				 "<dt class=\"govuk-summary-list__key\" "
				 "id=\"%s\">", terms[k].id);
		html_escape(&sb, terms[k].term);
		strbuf_addstr(&sb, "</dt><dd class=\"govuk-summary-list__value\">");
		html_escape(&sb, terms[k].definition);
		strbuf_addstr(&sb, "</dd></div>\n");
	}
	strbuf_addstr(&sb, "</dl>\n");
	rc = site_page_finish(s, c, &sb, "", "glossary.html", err);
	strbuf_release(&sb);
	return rc;
}
