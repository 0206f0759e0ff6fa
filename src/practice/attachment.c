/*
 * attachment.c - what a document attached to a practice record must be
 * (see attachment.h): its type told from its bytes, the active content,
 * macros, encryption and zip bombs that refuse it, and the plain name it
 * is kept under.
 *
 * A PDF is read as bytes: the names of active content are looked for
 * with a small scanner that decodes #xx escapes, over the text outside
 * streams, every stream that inflates (zlib, as FlateDecode compresses),
 * and any other stream that reads as text. An OOXML package is opened
 * from memory with libzip (zip_source_buffer_create(), consistency
 * checked) and never unpacked beyond its [Content_Types].xml.
 */
#include "practice/attachment.h"

#include "base/alloc.h"
#include "base/utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>
#define ZLIB_CONST /* next_in points to const bytes */
#include <zlib.h>

static const struct {
	const char *name, *media, *label;
} types[] = {
	[ATTACHMENT_NONE] = { "", "application/octet-stream", "file" },
	[ATTACHMENT_PDF] = { "pdf", "application/pdf", "PDF" },
	[ATTACHMENT_DOCX] = { "docx",
			      "application/vnd.openxmlformats-"
			      "officedocument.wordprocessingml.document",
			      "Word document" },
	[ATTACHMENT_XLSX] = { "xlsx",
			      "application/vnd.openxmlformats-"
			      "officedocument.spreadsheetml.sheet",
			      "Excel workbook" },
};

const char *attachment_type_name(enum attachment_type t)
{
	return t <= ATTACHMENT_XLSX ? types[t].name : "";
}

enum attachment_type attachment_type_parse(const char *name)
{
	int t;

	for (t = ATTACHMENT_PDF; t <= ATTACHMENT_XLSX; t++)
		if (name && strcmp(name, types[t].name) == 0)
			return (enum attachment_type)t;
	return ATTACHMENT_NONE;
}

const char *attachment_media_type(enum attachment_type t)
{
	return t <= ATTACHMENT_XLSX ? types[t].media : types[0].media;
}

const char *attachment_type_label(enum attachment_type t)
{
	return t <= ATTACHMENT_XLSX ? types[t].label : types[0].label;
}

static int refuse(struct attachment_verdict *v, enum attachment_refusal why,
		  struct parity_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int refuse(struct attachment_verdict *v, enum attachment_refusal why,
		  struct parity_error *err, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	v->refusal = why;
	return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0, "%s",
				message);
}

/* ---- PDF ---- */

/* The first `what` (n bytes) in p[0, len), or NULL. */
static const unsigned char *find(const unsigned char *p, size_t len,
				 const char *what, size_t n)
{
	const unsigned char *q = p, *end = p + len;

	while (n > 0 && (size_t)(end - q) >= n) {
		q = memchr(q, what[0], (size_t)(end - q) - n + 1);
		if (!q)
			return NULL;
		if (memcmp(q, what, n) == 0)
			return q;
		q++;
	}
	return NULL;
}

/* The names that make a PDF act rather than be read. */
static const char *const active_names[] = {
	"JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", NULL
};

/* A scanner of PDF names (/Name, with #xx escapes), fed a byte at a time
 * so that a name may span the chunks of an inflated stream. */
struct name_scan {
	bool in_name;
	int hex;                  /* digits of a #xx escape seen: 0, 1, 2 */
	unsigned hexval;
	char name[128];           /* a PDF name is at most 127 bytes */
	size_t len;
	const char *found;        /* the first active name, or NULL */
};

static bool pdf_delimiter(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' ||
	       c == ' ' || c == '(' || c == ')' || c == '<' || c == '>' ||
	       c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
	       c == '%';
}

static void name_end(struct name_scan *ns)
{
	size_t k;

	ns->name[ns->len] = '\0';
	for (k = 0; active_names[k] && !ns->found; k++)
		if (strcmp(ns->name, active_names[k]) == 0)
			ns->found = active_names[k];
	ns->in_name = false;
	ns->hex = 0;
	ns->len = 0;
}

static void name_add(struct name_scan *ns, unsigned char c)
{
	if (ns->len + 1 < sizeof(ns->name))
		ns->name[ns->len++] = (char)c;
}

static void name_feed(struct name_scan *ns, unsigned char c)
{
	if (ns->in_name && ns->hex > 0) {
		if (isxdigit(c)) {
			ns->hexval = ns->hexval * 16 +
				     (unsigned)(isdigit(c) ? c - '0'
							   : (tolower(c) - 'a' +
							      10));
			if (++ns->hex == 3) {
				name_add(ns, (unsigned char)ns->hexval);
				ns->hex = 0;
			}
			return;
		}
		ns->hex = 0;   /* not an escape after all: read on */
	}
	if (ns->in_name) {
		if (c == '#') {
			ns->hex = 1;
			ns->hexval = 0;
			return;
		}
		if (!pdf_delimiter(c)) {
			name_add(ns, c);
			return;
		}
		name_end(ns);
	}
	if (c == '/') {
		ns->in_name = true;
		ns->len = 0;
	}
}

static void name_feed_all(struct name_scan *ns, const unsigned char *p,
			  size_t n)
{
	size_t k;

	for (k = 0; k < n && !ns->found; k++)
		name_feed(ns, p[k]);
	if (ns->in_name)
		name_end(ns);   /* a name ends where its text ends */
}

/* Inflate a stream's bytes into the scanner, adding to *unpacked. 1 when
 * it inflated (in part, at least), 0 when it is not zlib's, -1 when it
 * unpacks to more than the limit. */
static int inflate_scan(struct name_scan *ns, const unsigned char *p,
			size_t n, uint64_t *unpacked)
{
	unsigned char out[16384];
	z_stream z;
	int rc = Z_OK, inflated = 0;

	memset(&z, 0, sizeof(z));
	if (n < 2 || inflateInit(&z) != Z_OK)
		return 0;
	z.next_in = p;
	z.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	while (rc == Z_OK && !ns->found) {
		size_t got;

		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = inflate(&z, Z_NO_FLUSH);
		got = sizeof(out) - z.avail_out;
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			break;
		if (got == 0 && rc != Z_OK)
			break;
		if (got == 0 && z.avail_in == 0)
			break;
		inflated = 1;
		*unpacked += got;
		if (*unpacked > ATTACHMENT_UNPACKED_MAX) {
			inflateEnd(&z);
			return -1;
		}
		name_feed_all(ns, out, got);
		if (rc == Z_BUF_ERROR)
			rc = Z_OK;
	}
	inflateEnd(&z);
	return inflated;
}

/* Whether a stream's first bytes read as text (an uncompressed stream),
 * so that a name in it is a name, not chance in an image's bytes. */
static bool looks_like_text(const unsigned char *p, size_t n)
{
	size_t k;

	for (k = 0; k < n && k < 1024; k++)
		if (p[k] >= 0x80 || (p[k] < 0x20 && p[k] != '\n' &&
				     p[k] != '\r' && p[k] != '\t' &&
				     p[k] != '\f'))
			return false;
	return true;
}

/* Where the next stream's data begins at or after `from`: just after
 * the keyword `stream` and its end of line (not `endstream`); or `len`. */
static size_t stream_start(const unsigned char *p, size_t len, size_t from,
			   size_t *keyword)
{
	const unsigned char *q;

	while (from < len &&
	       (q = find(p + from, len - from, "stream", 6)) != NULL) {
		size_t at = (size_t)(q - p), after = at + 6;

		from = after;
		if (at > 0 && isalpha(p[at - 1]))
			continue;   /* endstream, or a word */
		if (after < len && p[after] == '\r')
			after++;
		if (after < len && p[after] == '\n') {
			*keyword = at;
			return after + 1;
		}
	}
	*keyword = len;
	return len;
}

static int check_pdf(const unsigned char *p, size_t len,
		     struct attachment_verdict *v, struct parity_error *err)
{
	struct name_scan ns;
	size_t tail = len > 1024 ? len - 1024 : 0, pos = 0;
	uint64_t unpacked = 0;

	if (!find(p + tail, len - tail, "%%EOF", 5))
		return refuse(v, ATTACHMENT_WRONG_TYPE, err,
			      "the file begins as a PDF but has no %%%%EOF "
			      "at its end: it is cut short or is not a PDF");
	memset(&ns, 0, sizeof(ns));
	while (pos < len && !ns.found) {
		size_t keyword, start = stream_start(p, len, pos, &keyword);
		size_t end;
		const unsigned char *e;
		int rc;

		name_feed_all(&ns, p + pos, keyword - pos);
		if (start >= len || ns.found)
			break;
		e = find(p + start, len - start, "endstream", 9);
		end = e ? (size_t)(e - p) : len;
		rc = inflate_scan(&ns, p + start, end - start, &unpacked);
		if (rc < 0)
			return refuse(v, ATTACHMENT_UNSAFE, err,
				      "the PDF's streams unpack to more than "
				      "%llu MB: refused as a compression bomb",
				      (unsigned long long)(
					      ATTACHMENT_UNPACKED_MAX >> 20));
		if (rc == 0 && looks_like_text(p + start, end - start))
			name_feed_all(&ns, p + start, end - start);
		pos = e ? end + 9 : len;
	}
	if (ns.found)
		return refuse(v, ATTACHMENT_UNSAFE, err,
			      "the PDF carries active content (/%s): a PDF "
			      "with scripts, launch actions or embedded files "
			      "is not accepted; save it again as a plain PDF "
			      "(for example by printing it to PDF)", ns.found);
	v->type = ATTACHMENT_PDF;
	return 0;
}

/* ---- OOXML packages (DOCX, XLSX) ---- */

#define WORD_MAIN "application/vnd.openxmlformats-officedocument." \
		  "wordprocessingml.document.main+xml"
#define EXCEL_MAIN "application/vnd.openxmlformats-officedocument." \
		   "spreadsheetml.sheet.main+xml"
#define CONTENT_TYPES_MAX ((zip_uint64_t)1024 * 1024)

/* The content types that mean macros: docm, dotm, xlsm, xltm, xlam, and
 * a VBA project by any name. */
static const char *const macro_types[] = {
	"application/vnd.ms-word.document.macroEnabled.main+xml",
	"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
	"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
	"application/vnd.ms-excel.template.macroEnabled.main+xml",
	"application/vnd.ms-excel.addin.macroEnabled.main+xml",
	"application/vnd.ms-office.vbaProject", NULL
};

/* [Content_Types].xml, whole, NUL-terminated (to free), or NULL. */
static char *content_types(zip_t *z)
{
	zip_stat_t st;
	zip_file_t *f;
	char *text;
	zip_int64_t got;

	zip_stat_init(&st);
	if (zip_stat(z, "[Content_Types].xml", 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || st.size > CONTENT_TYPES_MAX)
		return NULL;
	f = zip_fopen(z, "[Content_Types].xml", 0);
	if (!f)
		return NULL;
	text = xmalloc((size_t)st.size + 1);
	got = zip_fread(f, text, st.size);
	zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(text);
		return NULL;
	}
	text[got] = '\0';
	return text;
}

/* Whether the package holds an entry named `name` (any case). */
static bool has_entry(zip_t *z, const char *name)
{
	return zip_name_locate(z, name, ZIP_FL_NOCASE) >= 0;
}

/* The entries: none encrypted, no VBA project, not too much unpacked. */
static int check_entries(zip_t *z, size_t len, struct attachment_verdict *v,
			 struct parity_error *err)
{
	zip_int64_t n = zip_get_num_entries(z, 0), k;
	uint64_t unpacked = 0;

	if (n <= 0)
		return refuse(v, ATTACHMENT_WRONG_TYPE, err,
			      "the file is an empty ZIP, not a Word document "
			      "or an Excel workbook");
	if (n > ATTACHMENT_ENTRIES_MAX)
		return refuse(v, ATTACHMENT_UNSAFE, err,
			      "the package holds %lld files: more than %d is "
			      "refused", (long long)n, ATTACHMENT_ENTRIES_MAX);
	for (k = 0; k < n; k++) {
		zip_stat_t st;
		const char *base;

		zip_stat_init(&st);
		if (zip_stat_index(z, (zip_uint64_t)k, 0, &st) != 0)
			return refuse(v, ATTACHMENT_WRONG_TYPE, err,
				      "the package could not be read: it is "
				      "damaged");
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    st.encryption_method != ZIP_EM_NONE)
			return refuse(v, ATTACHMENT_UNSAFE, err,
				      "the package has encrypted parts: save "
				      "it without a password");
		base = st.name ? strrchr(st.name, '/') : NULL;
		base = base ? base + 1 : st.name;
		if (base && strcasecmp(base, "vbaProject.bin") == 0)
			return refuse(v, ATTACHMENT_UNSAFE, err,
				      "the document holds macros (%s): save it "
				      "as a document without macros (.docx or "
				      ".xlsx)", st.name);
		if (st.valid & ZIP_STAT_SIZE)
			unpacked += st.size;
	}
	if (unpacked > ATTACHMENT_UNPACKED_MAX ||
	    unpacked / (len ? len : 1) > ATTACHMENT_RATIO_MAX)
		return refuse(v, ATTACHMENT_UNSAFE, err,
			      "the package unpacks to %llu bytes from %zu "
			      "(at most %llu MB, and %d times its size): "
			      "refused as a zip bomb",
			      (unsigned long long)unpacked, len,
			      (unsigned long long)(ATTACHMENT_UNPACKED_MAX >>
						   20),
			      ATTACHMENT_RATIO_MAX);
	return 0;
}

static int check_package(const unsigned char *p, size_t len,
			 struct attachment_verdict *v,
			 struct parity_error *err)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *z;
	char *ct = NULL;
	bool word, excel;
	size_t k;
	int rc = 0;

	zip_error_init(&zerr);
	src = zip_source_buffer_create(p, len, 0, &zerr);
	if (!src) {
		zip_error_fini(&zerr);
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"libzip could not read from memory");
	}
	z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!z) {
		zip_source_free(src);
		zip_error_fini(&zerr);
		return refuse(v, ATTACHMENT_WRONG_TYPE, err,
			      "the file begins as a ZIP but is not a readable "
			      "one: it is damaged, cut short or not a Word "
			      "document or Excel workbook");
	}
	zip_error_fini(&zerr);
	if (check_entries(z, len, v, err) < 0) {
		rc = -1;
		goto out;
	}
	ct = content_types(z);
	if (!ct) {
		rc = refuse(v, ATTACHMENT_WRONG_TYPE, err,
			    "the file is a ZIP but not an Office document (it "
			    "has no [Content_Types].xml): only PDF, DOCX and "
			    "XLSX documents are accepted");
		goto out;
	}
	for (k = 0; macro_types[k]; k++)
		if (strstr(ct, macro_types[k])) {
			rc = refuse(v, ATTACHMENT_UNSAFE, err,
				    "the document is macro-enabled (%s): save "
				    "it as a document without macros (.docx "
				    "or .xlsx)", macro_types[k]);
			goto out;
		}
	word = strstr(ct, "\"" WORD_MAIN "\"") && has_entry(z,
							 "word/document.xml");
	excel = strstr(ct, "\"" EXCEL_MAIN "\"") && has_entry(z,
							   "xl/workbook.xml");
	if (word == excel) {
		rc = refuse(v, ATTACHMENT_WRONG_TYPE, err,
			    "the package is %s: only a Word document (DOCX) "
			    "or an Excel workbook (XLSX) is accepted",
			    word ? "both a Word document and an Excel workbook"
				 : "not a Word document or an Excel workbook");
		goto out;
	}
	v->type = word ? ATTACHMENT_DOCX : ATTACHMENT_XLSX;
out:
	free(ct);
	zip_discard(z);
	return rc;
}

/* ---- the name ---- */

static int check_name(const char *declared, struct attachment_verdict *v,
		      struct parity_error *err)
{
	const char *base = declared ? declared : "", *p, *dot;
	size_t n = 0;

	for (p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	while (*base == '.' || *base == ' ')
		base++;   /* no hidden file, no leading blank */
	if (!utf8_valid(base, strlen(base), NULL))
		return refuse(v, ATTACHMENT_BAD_NAME, err,
			      "the file's name is not UTF-8 text");
	for (p = base; *p && n < ATTACHMENT_NAME_MAX; n++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c) || c == '.' || c == '-' || c == '_' ||
		    c == ' ') {
			v->name[n] = (char)c;
			p++;
			continue;
		}
		v->name[n] = '_';   /* one '_' for a whole character */
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
	}
	if (*p)
		return refuse(v, ATTACHMENT_BAD_NAME, err,
			      "the file's name is longer than %d bytes: give "
			      "it a shorter one", ATTACHMENT_NAME_MAX);
	while (n > 0 && v->name[n - 1] == ' ')
		n--;
	v->name[n] = '\0';
	dot = strrchr(v->name, '.');
	if (!dot || dot == v->name)
		return refuse(v, ATTACHMENT_BAD_NAME, err,
			      "the file needs a name ending .%s",
			      attachment_type_name(v->type));
	if (strcasecmp(dot + 1, attachment_type_name(v->type)) != 0)
		return refuse(v, ATTACHMENT_BAD_NAME, err,
			      "the file is %s %s but its name ends '%s': give "
			      "it a name ending .%s",
			      v->type == ATTACHMENT_XLSX ? "an" : "a",
			      attachment_type_label(v->type), dot,
			      attachment_type_name(v->type));
	return 0;
}

int attachment_check(const void *data, size_t len, const char *declared_name,
		     size_t max_bytes, struct attachment_verdict *v,
		     struct parity_error *err)
{
	const unsigned char *p = data;

	memset(v, 0, sizeof(*v));
	if (len == 0)
		return refuse(v, ATTACHMENT_TOO_LARGE, err, "the file is empty");
	if (len > max_bytes)
		return refuse(v, ATTACHMENT_TOO_LARGE, err,
			      "the file is %zu bytes: a document may be at "
			      "most %zu bytes (%.1f MiB)", len, max_bytes,
			      (double)max_bytes / (1024.0 * 1024.0));
	if (len >= 8 && memcmp(p, "%PDF-1.", 7) == 0 && isdigit(p[7])) {
		if (check_pdf(p, len, v, err) < 0)
			return -1;
	} else if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
		if (check_package(p, len, v, err) < 0)
			return -1;
	} else {
		return refuse(v, ATTACHMENT_WRONG_TYPE, err,
			      "the file is not a PDF, a Word document (DOCX) "
			      "or an Excel workbook (XLSX), whatever its name "
			      "says: only those are accepted");
	}
	return check_name(declared_name, v, err);
}
