/*
 * api.c - the hub's JSON API under /api/v1 (docs/api.yaml): areas,
 * benchmarks, returns (upload, history, one submission, its quality
 * report), the workforce report, the year's status, and sessions. Each
 * handler is reached only through router.c, after authorisation; a read
 * of a council's unsuppressed figures and every upload are audited.
 */
#include "handlers.h"

#include "access.h"
#include "actions.h"
#include "published.h"
#include "status.h"

#include "base/diag.h"
#include "base/number.h"
#include "domain/benchmark.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "ingest/objection.h"
#include "ingest/quality.h"
#include "ingest/returns.h"
#include "ingest/service.h"
#include "measure/pooled.h"
#include "measure/workforce.h"
#include "table/render.h"
#include "table/table_read.h"
#include "table/xlsx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define PROBLEMS_SHOWN 200

/* The format asked for: ?format= or the Accept header; json by default. */
static const char *wanted_format(const struct server_request *req)
{
	const char *f = server_query(req, "format");

	if (f)
		return f;
	if (req->accept && strstr(req->accept, "text/csv"))
		return "csv";
	if (req->accept && strstr(req->accept, "spreadsheetml.sheet"))
		return "xlsx";
	return "json";
}

#define XLSX_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* A tidy table as an Excel workbook: written into the hub's own folder
 * (libxlsxwriter writes files), read back as the answer, removed. */
static void send_xlsx(struct route_call *c, int status,
		      const struct tidy_table *t)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char path[4096];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/table-XXXXXX", c->ctx->upload_dir);
	fd = mkstemp(path);
	/* locked while it is there, so that a hub starting on the same
	 * store leaves it be (http.c) */
	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		if (fd >= 0) {
			unlink(path);
			close(fd);
		}
		server_json_error(c->res, 500, "io",
				  "the workbook could not be made");
		return;
	}
	f = table_write_xlsx(t, "parity", path, &err) == 0
		    ? fopen(path, "rb")
		    : NULL;
	strbuf_reset(&c->res->body);
	if (f) {
		char buf[65536];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_add(&c->res->body, buf, n);
		if (ferror(f)) {
			fclose(f);
			f = NULL;
		} else {
			fclose(f);
		}
	}
	unlink(path);
	close(fd);
	if (!f) {
		server_json_error(c->res, 500, "io",
				  "the workbook could not be made");
		return;
	}
	c->res->status = status;
	c->res->content_type = XLSX_TYPE;
	server_response_header(c->res, "Content-Disposition",
			       "attachment; filename=\"parity.xlsx\"");
}

/* Answer with a tidy table as JSON or CSV. */
static void send_table(struct route_call *c, int status,
		       const struct tidy_table *t)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *format = wanted_format(c->req);
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (strcmp(format, "xlsx") == 0) {
		send_xlsx(c, status, t);
		return;
	}
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0) {
		server_json_error(c->res, 406, "bad_format",
				  "format must be json, csv or xlsx");
		return;
	}
	f = open_memstream(&text, &len);
	if (!f) {
		server_json_error(c->res, 500, "internal", "out of memory");
		return;
	}
	rc = strcmp(format, "csv") == 0 ? table_write_csv(t, f, &err)
					: table_write_json(t, f, &err);
	if (fclose(f) != 0 || rc < 0) {
		free(text);
		server_json_error(c->res, 500, "internal",
				  "the table could not be written");
		return;
	}
	c->res->status = status;
	c->res->content_type = strcmp(format, "csv") == 0
				       ? "text/csv; charset=utf-8"
				       : "application/json";
	strbuf_reset(&c->res->body);
	strbuf_add(&c->res->body, text, len);
	free(text);
}

/* A year of returns from `text` (NULL: absent, which is an error only
 * when `required`). 0, or -1 with `res` filled. */
static int year_text(struct route_call *c, const char *text, bool required,
		     int *year)
{
	long y;

	*year = 0;
	if (!text) {
		if (!required)
			return 0;
		server_json_error(c->res, 400, "bad_parameter",
				  "year is required");
		return -1;
	}
	if (number_parse_int(text, RETURN_YEAR_MIN, RETURN_YEAR_MAX, &y) < 0) {
		server_json_error(c->res, 400, "bad_parameter",
				  "year must be a year from %d to %d",
				  RETURN_YEAR_MIN, RETURN_YEAR_MAX);
		return -1;
	}
	*year = (int)y;
	return 0;
}

/* ?year=: 0 and `*year` set (0 when absent and not required), or -1 with
 * the answer set. */
static int year_param(struct route_call *c, bool required, int *year)
{
	return year_text(c, server_query(c->req, "year"), required, year);
}

/* ?area= for the public routes: an area of the hierarchy (London by
 * default). -1 with `res` filled when it is not one. */
static int area_param(struct route_call *c, int *area)
{
	const char *text = server_query(c->req, "area");

	*area = text ? area_find(c->ctx->areas, text)
		     : area_london(c->ctx->areas);
	if (*area < 0) {
		server_json_error(c->res, 404, "not_found",
				  "no area has that code or name");
		return -1;
	}
	return 0;
}

static int level_param(struct route_call *c, enum ethnicity_level *level)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const char *text = server_query(c->req, "level");

	*level = ETH_LEVEL_DETAILED;
	/* what was sent is not repeated back */
	if (text && ethnicity_level_parse(text, level, &err) < 0) {
		server_json_error(c->res, 400, "bad_parameter",
				  "level must be detailed, high, "
				  "white-british-binary or white-binary");
		return -1;
	}
	return 0;
}

void api_areas(struct route_call *c)
{
	const struct area_set *set = c->ctx->areas;
	json_t *list = json_array();
	size_t k;

	for (k = 0; k < set->count; k++) {
		const struct area *a = &set->areas[k];

		/* London's hierarchy: the hub is London's */
		if (!area_within(set, (int)k, area_london(set)))
			continue;
		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:s, s:s?}", "code", a->code, "name",
			a->name, "type", area_type_name(a->type), "parent",
			a->parent >= 0 ? set->areas[a->parent].code : NULL));
	}
	server_json(c->res, 200, json_pack("{s:o}", "areas", list));
}

void api_benchmarks(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct tidy_table t;
	enum ethnicity_level level;
	int area;

	if (area_param(c, &area) < 0 || level_param(c, &level) < 0)
		return;
	tidy_table_init(&t);
	if (benchmark_table(c->ctx->census, area, level, &t, &err) < 0)
		server_json_error(c->res, 400, "bad_parameter", "%s",
				  err.message);
	else
		send_table(c, 200, &t);
	tidy_table_free(&t);
}

static json_t *submission_json(const struct store_submission *s)
{
	json_t *v = json_pack("{s:I, s:s, s:s, s:i, s:i, s:b, s:s, s:s, s:s, "
			      "s:I, s:s}",
			      "id", (json_int_t)s->id, "kind",
			      store_kind_name(s->kind), "area_code",
			      s->area_code, "year", s->year, "version",
			      s->version, "current", s->current,
			      "submitted_at", s->submitted_at, "submitted_by",
			      s->submitted_by, "source_name", s->source_name,
			      "rows", (json_int_t)s->rows, "sha256",
			      s->sha256);

	if (v && s->supersedes)
		json_object_set_new(v, "supersedes",
				    json_integer(s->supersedes));
	return v;
}

/* A tidy table as a JSON value (its rows), for answers holding more than
 * a table. */
json_t *server_table_json(const struct tidy_table *t)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *v = NULL;
	int rc;

	if (!f)
		return json_null();
	rc = table_write_json(t, f, &err);
	if (fclose(f) == 0 && rc == 0)
		v = json_loadb(text, len, 0, NULL);
	free(text);
	return v ? v : json_null();
}

/* The problems of a refused return, as {line, column, severity,
 * message}. */
json_t *server_problems_json(const struct diag_list *d)
{
	json_t *list = json_array();
	size_t k;

	for (k = 0; k < d->count && k < PROBLEMS_SHOWN; k++) {
		const struct diag *p = &d->items[k];

		json_array_append_new(list, json_pack(
			"{s:I, s:I, s:s, s:s}", "line", (json_int_t)p->line,
			"column", (json_int_t)p->column, "severity",
			p->severity == DIAG_ERROR ? "error" : "warning",
			"message", p->message));
	}
	return list;
}

/* The file of an upload: the body of a text/csv request, or the `file`
 * field of a multipart form. 0, or -1 with c->res set. */
static int upload_body(struct route_call *c, const char **data, size_t *len)
{
	const char *type = c->req->content_type;
	const struct server_field *file;

	if (type && strncmp(type, "text/csv", 8) == 0) {
		*data = c->req->body;
		*len = c->req->body_len;
		return 0;
	}
	if (!type || strncmp(type, "multipart/form-data", 19) != 0) {
		server_json_error(c->res, 415, "unsupported_media_type",
				  "a return is sent as text/csv, or as the "
				  "field 'file' of multipart/form-data");
		return -1;
	}
	file = server_form(c->req, "file");
	if (!file || !file->filename) {
		server_json_error(c->res, 400, "bad_parameter",
				  "the form has no file in its field 'file'");
		return -1;
	}
	*data = file->value;
	*len = file->len;
	return 0;
}

/* One stored (or unchanged) submission of a service return. */
static json_t *service_item_json(const struct service_import_item *it)
{
	json_t *one = submission_json(&it->sub);

	json_object_set_new(one, "unchanged", json_boolean(it->unchanged));
	json_object_set_new(one, "service", json_string(it->sub.subject));
	json_object_set_new(one, "period", json_string(it->period));
	json_object_set_new(one, "level", json_string(it->level));
	return one;
}

/* One stored (or unchanged) workforce or recruitment submission, with its
 * quality report. */
static json_t *return_item_json(const struct route_call *c,
				const struct import_submission *s,
				const char *kind)
{
	json_t *one = submission_json(&s->sub);
	struct tidy_table q;

	tidy_table_init(&q);
	quality_table(&s->quality, &s->sub, &c->ctx->areas->areas[s->area],
		      &s->previous, &q);
	json_object_set_new(one, "unchanged", json_boolean(s->unchanged));
	json_object_set_new(one, "quality", server_table_json(&q));
	json_object_set_new(one, "counted",
			    json_string(strcmp(kind, "workforce") == 0
						? "staff"
						: "applicants"));
	tidy_table_free(&q);
	return one;
}

/*
 * POST /api/v1/objections?area=CODE: a council's record that a member of
 * staff (or, with "kind": "recruitment", an applicant) objects to the
 * processing of their data, given by their id in the council's returns
 * (ingest/objection.h, docs/privacy.md). 201 when recorded, 200 when it
 * was already. The id is never stored, echoed or audited.
 */
void api_objection(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct objection_result res;
	enum store_kind kind = STORE_WORKFORCE;
	json_error_t jerr;
	json_t *body, *id, *k;

	int area = area_find(c->ctx->areas, c->area_code);

	if (area < 0 || c->ctx->areas->areas[area].type != AREA_BOROUGH) {
		server_json_error(c->res, 400, "not_a_council",
				  "an objection is to a council's returns: "
				  "give the council (?area=CODE)");
		return;
	}
	body = json_loadb(c->req->body, c->req->body_len, 0, &jerr);
	id = body ? json_object_get(body, "id") : NULL;
	k = body ? json_object_get(body, "kind") : NULL;
	if (!json_is_string(id) || !json_string_value(id)[0] ||
	    (k && (!json_is_string(k) ||
		   store_kind_parse(json_string_value(k), &kind) < 0 ||
		   kind == STORE_SERVICE))) {
		json_decref(body);
		server_json_error(c->res, 400, "bad_json",
				  "the body is {\"id\": \"the id in the "
				  "council's returns\", \"kind\": \"workforce\" "
				  "or \"recruitment\"}");
		return;
	}
	if (objection_record(c->store, c->area_code, kind,
			     json_string_value(id), c->who->email, &res,
			     &err) < 0) {
		json_decref(body);
		if (err.code == PARITY_ERR_USAGE)
			server_json_error(c->res, 400, "bad_id", "%s",
					  err.message);
		else if (server_store_status(&err) != 500)
			server_store_error(c->res, &err);
		else
			server_json_error(c->res, 500, "store",
					  "the objection could not be "
					  "recorded");
		return;
	}
	json_decref(body);
	if (res.added &&
	    route_audit(c, "objection.add", c->area_code, 0, 0, "ok") < 0) {
		objection_result_release(&res);
		return;
	}
	server_json(c->res, res.added ? 201 : 200,
		    json_pack("{s:s, s:s, s:b, s:i}", "area_code", c->area_code,
			      "kind", store_kind_name(kind), "recorded",
			      res.added, "returns_remade",
			      (json_int_t)res.nremade));
	objection_result_release(&res);
}

void api_returns_upload(struct route_call *c)
{
	struct upload u;
	const char *kind = server_param(c->req, "kind");
	const char *data = NULL;
	json_t *subs;
	size_t k, len = 0;
	int year = 0, rc;
	bool service;

	if (!kind || (strcmp(kind, "workforce") != 0 &&
		      strcmp(kind, "recruitment") != 0 &&
		      strcmp(kind, "service") != 0)) {
		server_json_error(c->res, 400, "bad_parameter",
				  "kind must be workforce, recruitment or "
				  "service");
		return;
	}
	service = strcmp(kind, "service") == 0;
	if (!c->area_code) {
		server_json_error(c->res, 400, "bad_parameter",
				  "area is required");
		return;
	}
	if (year_text(c, server_param(c->req, "year"), !service, &year) < 0)
		return;
	if (upload_body(c, &data, &len) < 0)
		return;
	rc = upload_return(c, kind, year, data, len, &u);
	if (rc == UPLOAD_REFUSED) {
		server_json(c->res, 422, json_pack(
			"{s:s, s:s, s:I, s:o}", "code", "invalid_return",
			"message", u.err.message, "errors",
			(json_int_t)u.diags.errors, "problems",
			server_problems_json(&u.diags)));
	} else if (rc == UPLOAD_FAILED) {
		server_json_error(c->res, u.status, u.code, "%s", u.message);
	} else {
		bool unchanged = service ? u.services.unchanged
					 : u.result.unchanged;

		subs = json_array();
		if (service)
			for (k = 0; k < u.services.count; k++)
				json_array_append_new(
					subs,
					service_item_json(&u.services.items[k]));
		else
			for (k = 0; k < u.result.count; k++)
				json_array_append_new(
					subs, return_item_json(
						      c, &u.result.subs[k],
						      kind));
		server_json(c->res, unchanged ? 200 : 201,
			    json_pack("{s:o, s:o}", "submissions", subs,
				      "warnings", server_problems_json(&u.diags)));
	}
	upload_release(&u);
}

void api_returns_list(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter filter = STORE_FILTER_ALL;
	struct store_submission *subs = NULL;
	const char *kind_text = server_query(c->req, "kind");
	enum store_kind kind;
	json_t *list;
	size_t n = 0, k;

	filter.area_code = c->area_code;
	if (year_param(c, false, &filter.year) < 0)
		return;
	if (kind_text) {
		if (store_kind_parse(kind_text, &kind) < 0) {
			server_json_error(c->res, 400, "bad_parameter",
					  "kind must be workforce, "
					  "recruitment or service");
			return;
		}
		filter.kind = (int)kind;
	}
	if (store_submissions_list(c->store, &filter, &subs, &n, &err) < 0) {
		server_json_error(c->res, 500, "store", "the store failed");
		return;
	}
	list = json_array();
	for (k = 0; k < n; k++)
		json_array_append_new(list, submission_json(&subs[k]));
	free(subs);
	server_json(c->res, 200, json_pack("{s:o}", "returns", list));
}

void api_return_get(struct route_call *c)
{
	server_json(c->res, 200, submission_json(c->sub));
}

void api_return_quality(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct quality q;
	struct quality_previous prev;
	struct tidy_table t;
	int a = area_find(c->ctx->areas, c->sub->area_code);

	if (c->sub->kind == STORE_SERVICE || a < 0) {
		server_json_error(c->res, 404, "not_found",
				  "a service return has no quality report");
		return;
	}
	if (quality_load(c->store, c->sub, &q, &prev, &err) < 0) {
		server_json_error(c->res, 500, "store", "the store failed");
		return;
	}
	tidy_table_init(&t);
	quality_table(&q, c->sub, &c->ctx->areas->areas[a], &prev, &t);
	quality_release(&q);
	if (route_audit(c, "read.unsuppressed", c->sub->area_code, c->sub->year,
		  c->sub->id, "quality") == 0)
		send_table(c, 200, &t);
	tidy_table_free(&t);
}

/* The published release's figures of download `name` (workforce-2024,
 * youth-justice-2023-24) for `area` (at the level asked for, or every
 * level published): what everyone but the council's own accounts and
 * analysts sees. Returns 1 when nothing is published for it. */
static int published_figures(struct route_call *c, const char *name,
			     const char *area_code,
			     enum ethnicity_level level,
			     struct tidy_table *out)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const struct tidy_table *all;
	char path[4096];
	size_t k;
	int rc;

	if (!c->ctx->site_dir)
		return 1;
	snprintf(path, sizeof(path), "%s/current/downloads/%s.csv",
		 c->ctx->site_dir, name);
	rc = published_table(c->ctx->published, path, &all, &err);
	if (rc != 0)
		return rc;
	for (k = 0; k < all->count; k++) {
		const struct tidy_row *r = &all->rows[k];

		if (r->area_code && strcmp(r->area_code, area_code) == 0 &&
		    (!server_query(c->req, "level") ||
		     (r->ethnicity_level &&
		      strcmp(r->ethnicity_level,
			     ethnicity_level_name(level)) == 0)))
			tidy_table_append_row(out, r);
	}
	return 0;
}

void api_report_workforce(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct workforce_options opt;
	struct tidy_table t;
	const char *reference = server_query(c->req, "reference");
	const char *code;
	int area, year, rc;

	workforce_options_init(&opt);
	if (area_param(c, &area) < 0 || year_param(c, true, &year) < 0 ||
	    level_param(c, &opt.level) < 0)
		return;
	if (reference && workforce_reference_parse(reference, opt.level,
						   &opt.reference, &err) < 0) {
		server_json_error(c->res, 400, "bad_parameter",
				  "reference must be a group of the level, "
				  "by its code or label");
		return;
	}
	code = c->ctx->areas->areas[area].code;
	opt.benchmark = c->ctx->census;
	tidy_table_init(&t);
	if (access_sees_unsuppressed(c->who, code)) {
		rc = pooled_workforce_measures(c->store, c->ctx->areas, area,
					       year, &opt, &t, &err);
		if (rc == 0 && route_audit(c, "read.unsuppressed", code, year, 0,
				     "workforce report") < 0)
			goto out;
	} else {
		/* never a protection made afresh for the request: two
		 * protections of the same counts undo each other */
		if (reference) {
			server_json_error(c->res, 400, "bad_parameter",
					  "the published figures are against "
					  "the published reference group");
			goto out;
		}
		char name[32];

		snprintf(name, sizeof(name), "workforce-%d", year);
		rc = published_figures(c, name, code, opt.level, &t);
	}
	if (rc < 0)
		server_json_error(c->res, 500, "store", "the figures could "
				  "not be read");
	else if (rc > 0 || t.count == 0)
		server_json_error(c->res, 404, "not_found",
				  "no workforce figures for %s in %d",
				  c->ctx->areas->areas[area].name, year);
	else
		send_table(c, 200, &t);
out:
	tidy_table_free(&t);
}

/* One return's standing, for the status answer. */
static json_t *return_status_json(const struct return_status *st)
{
	json_t *flags = json_array();
	size_t k;

	for (k = 0; k < st->flag_count; k++)
		json_array_append_new(flags, json_string(st->flags[k]));
	return json_pack("{s:s, s:s*, s:o, s:o}", "state",
			 return_state_name(st->state), "first_sent",
			 st->received ? st->first_sent : NULL, "quality_flags",
			 flags, "submission",
			 st->received ? submission_json(&st->current)
				      : json_null());
}

void api_status(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	const struct area_set *set = c->ctx->areas;
	json_t *list;
	char due[11] = "";
	size_t k;
	int year, kind;

	if (year_param(c, true, &year) < 0)
		return;
	list = json_array();
	for (k = 0; k < set->count; k++) {
		const struct area *a = &set->areas[k];
		json_t *row;

		if (a->type != AREA_BOROUGH)
			continue;
		row = json_pack("{s:s, s:s}", "area_code", a->code, "name",
				a->name);
		for (kind = 0; kind < STORE_SERVICE; kind++) {
			struct return_status st;

			if (return_status_load(c, a, (enum store_kind)kind,
					       year, &st, &err) < 0) {
				json_decref(row);
				json_decref(list);
				server_json_error(c->res, 500, "store",
						  "the store failed");
				return;
			}
			memcpy(due, st.due, sizeof(due));
			json_object_set_new(row, store_kind_name(kind),
					    return_status_json(&st));
			return_status_release(&st);
		}
		json_array_append_new(list, row);
	}
	server_json(c->res, 200, json_pack("{s:i, s:s, s:o}", "year", year,
					   "due", due, "councils", list));
}

static json_t *who_json(const struct hub_principal *who)
{
	json_t *v = json_pack("{s:s, s:s}", "email", who->email, "role",
			      hub_role_name(who->role));

	if (who->area_code[0])
		json_object_set_new(v, "area_code",
				    json_string(who->area_code));
	if (who->csrf[0])
		json_object_set_new(v, "csrf", json_string(who->csrf));
	return v;
}

void api_session_get(struct route_call *c)
{
	server_json(c->res, 200, who_json(c->who));
}

/*
 * The request's JSON body, unpacked by `fmt` (json_unpack()) into the
 * pointers that follow: the body, which the caller releases with
 * json_decref() (the strings unpacked live as long as it does); or NULL
 * with the answer made: 415 when the body is not JSON, 400 saying it
 * should be `shape` when it is not what `fmt` wants.
 */
static json_t *json_body(struct route_call *c, const char *shape,
			 const char *fmt, ...)
{
	json_error_t jerr;
	json_t *body;
	va_list ap;
	int rc;

	if (!c->req->content_type ||
	    strncmp(c->req->content_type, "application/json", 16) != 0) {
		server_json_error(c->res, 415, "unsupported_media_type",
				  "send application/json");
		return NULL;
	}
	body = json_loadb(c->req->body ? c->req->body : "", c->req->body_len,
			  JSON_REJECT_DUPLICATES, &jerr);
	if (!body) {
		server_json_error(c->res, 400, "bad_json", "send %s", shape);
		return NULL;
	}
	va_start(ap, fmt);
	rc = json_vunpack_ex(body, &jerr, 0, fmt, ap);
	va_end(ap);
	if (rc != 0) {
		json_decref(body);
		server_json_error(c->res, 400, "bad_json", "send %s", shape);
		return NULL;
	}
	return body;
}

void api_session_create(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	char session[HUB_SECRET_CHARS + 1];
	const char *email = NULL, *password = NULL;
	json_t *body = json_body(c, "{\"email\": ..., \"password\": ...}",
				 "{s:s, s:s !}", "email", &email, "password",
				 &password);

	if (!body)
		return;
	if (hub_sign_in(c->store, email, password,
			c->req->client_ip ? c->req->client_ip : "", c->now,
			&c->ctx->limits, session, &who, &err) < 0) {
		json_decref(body);
		if (err.code == PARITY_ERR_LIMIT)
			server_json_error(c->res, 429, "too_many_attempts",
					  "%s", err.message);
		else if (err.code == PARITY_ERR_DENIED)
			server_json_error(c->res, 401, "unauthenticated",
					  "%s", err.message);
		else
			server_store_error(c->res, &err);
		return;
	}
	json_decref(body);
	session_cookie_set(c, session);
	c->res->account_id = who.account_id;
	server_json(c->res, 201, who_json(&who));
}

void api_session_delete(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;

	if (c->req->session &&
	    hub_sign_out(c->store, c->req->session, c->now, &err) < 0) {
		server_store_error(c->res, &err);
		return;
	}
	session_cookie_set(c, "");
	c->res->status = 204;
	strbuf_reset(&c->res->body);
}

/* Set a password through an invitation: {"token": ..., "password": ...}.
 * The account can then sign in. */
void api_invitation_accept(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct hub_principal who;
	const char *token = NULL, *password = NULL;
	json_t *body = json_body(c, "{\"token\": ..., \"password\": ...}",
				 "{s:s, s:s !}", "token", &token, "password",
				 &password);

	if (!body)
		return;
	if (hub_invitation_accept(c->store, token, password, c->now, &who,
				  &err) < 0) {
		json_decref(body);
		if (err.code == PARITY_ERR_DENIED)
			server_json_error(c->res, 404, "not_found",
					  "this invitation is not valid: "
					  "unknown, used, or expired");
		else if (err.code == PARITY_ERR_VALIDATION)
			server_json_error(c->res, 422, "weak_password", "%s",
					  err.message);
		else
			server_store_error(c->res, &err);
		return;
	}
	json_decref(body);
	c->res->account_id = who.account_id;
	server_json(c->res, 200, who_json(&who));
}

void api_report_service(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct service_options opt;
	struct service_area sa;
	struct tidy_table t;
	const char *name = server_query(c->req, "service");
	const char *year_text = server_query(c->req, "year");
	const struct service_def *def;
	const struct area *a;
	char period[16], download[160];
	int area, year, rc;

	service_options_init(&opt);
	def = name ? service_def_find(c->ctx->services, name) : NULL;
	if (!def) {
		server_json_error(c->res, 400, "bad_parameter",
				  "service must be one of the services "
				  "(youth-justice, school-exclusions, "
				  "stop-and-search)");
		return;
	}
	if (!year_text || service_year_parse(year_text, &year, period) < 0) {
		server_json_error(c->res, 400, "bad_parameter",
				  "year must be a year (2024) or a financial "
				  "or academic year (2023-24)");
		return;
	}
	if (area_param(c, &area) < 0 || level_param(c, &opt.level) < 0)
		return;
	if (opt.level != ETH_LEVEL_DETAILED && opt.level != ETH_LEVEL_HIGH) {
		server_json_error(c->res, 400, "bad_parameter",
				  "level for a service is detailed or high");
		return;
	}
	a = &c->ctx->areas->areas[area];
	opt.census = c->ctx->census;
	tidy_table_init(&t);
	if (access_sees_unsuppressed(c->who, a->code)) {
		sa.code = a->code;
		sa.name = a->name;
		sa.type = area_type_name(a->type);
		sa.index = area;
		rc = pooled_service_measures(c->store, c->ctx->areas, def, &sa,
					     year, &opt, &t, &err);
		if (rc == 0 && route_audit(c, "read.unsuppressed", a->code, year, 0,
				     def->name) < 0)
			goto out;
	} else {
		snprintf(download, sizeof(download), "%s-%s", def->name,
			 period);
		rc = published_figures(c, download, a->code, opt.level, &t);
	}
	if (rc < 0)
		server_json_error(c->res, 500, "store", "the figures could "
				  "not be read");
	else if (rc > 0 || t.count == 0)
		server_json_error(c->res, 404, "not_found",
				  "no %s figures for %s in %s", def->title,
				  a->name, period);
	else
		send_table(c, 200, &t);
out:
	tidy_table_free(&t);
}

/* Publish the year's release into the served site, as `parity publish`
 * does: {"correction": "what it changes"} makes it a correction. */
void api_publication(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct site_summary sum;
	const char *correction = NULL;
	json_t *body = NULL;
	bool audit_failed;
	int year, rc;

	if (year_param(c, true, &year) < 0)
		return;
	if (c->req->body_len > 0) {
		body = json_body(c, "{\"correction\": \"what it changes\"} "
				 "or nothing", "{s?:s !}", "correction",
				 &correction);
		if (!body)
			return;
	}
	rc = publish_release(c, year, correction, &sum, &audit_failed, &err);
	json_decref(body);
	if (audit_failed)
		return;
	if (rc < 0 && err.code == PARITY_ERR_USAGE)
		server_json_error(c->res, c->ctx->site_dir ? 400 : 409,
				  c->ctx->site_dir ? "bad_parameter"
						   : "no_site", "%s",
				  err.message);
	else if (rc < 0 && (err.code == PARITY_ERR_VALIDATION ||
			    err.code == PARITY_ERR_NOT_FOUND))
		server_json_error(c->res, 409, "not_publishable", "%s",
				  err.message);
	else if (rc < 0)
		server_json_error(c->res, 500, "publish", "%s", err.message);
	else
		server_json(c->res, 201, json_pack(
			"{s:i, s:i, s:I, s:I, s:I, s:I}", "release",
			sum.release, "year", year, "pages",
			(json_int_t)sum.pages, "downloads",
			(json_int_t)sum.downloads, "withheld_small",
			(json_int_t)sum.sdc.primary, "withheld_to_protect",
			(json_int_t)sum.sdc.secondary));
}
