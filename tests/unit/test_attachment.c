/*
 * test_attachment.c - what a document attached to a practice record must
 * be (practice/attachment.h), on real minimal files made here: a PDF
 * with its cross-reference table, an XLSX written by libxlsxwriter and a
 * DOCX packed with libzip are accepted under a plain name; refused with
 * a message naming the problem: an ELF or a Windows program renamed
 * .pdf, a plain ZIP, a macro-enabled workbook (its content type, or a
 * vbaProject.bin alone), a PDF with /JavaScript (plain, #xx-escaped, or
 * inside a compressed stream), a PDF cut short, an oversized or empty
 * file, a package that unpacks a thousand times its size, an encrypted
 * package, and names whose extension is not the content's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "practice/attachment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
#include <zlib.h>

/* ---- making files ---- */

/* A PDF of `objects` (each "<< ... >>" or a stream object's body; the
 * last `last_len` bytes long when that is not 0, for binary streams),
 * with the offsets of its cross-reference table right. Free it. */
static char *make_pdf_sized(const char *const *objects, size_t n,
			    size_t last_len, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t *at = xcalloc(n, sizeof(*at)), k, xref;

	strbuf_addstr(&sb, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	for (k = 0; k < n; k++) {
		at[k] = sb.len;
		strbuf_addf(&sb, "%zu 0 obj\n", k + 1);
		strbuf_add(&sb, objects[k], k + 1 == n && last_len
						    ? last_len
						    : strlen(objects[k]));
		strbuf_addstr(&sb, "\nendobj\n");
	}
	xref = sb.len;
	strbuf_addf(&sb, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (k = 0; k < n; k++)
		strbuf_addf(&sb, "%010zu 00000 n \n", at[k]);
	strbuf_addf(&sb, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n"
			 "%zu\n%%%%EOF\n", n + 1, xref);
	free(at);
	*len = sb.len;
	return strbuf_detach(&sb, NULL);
}

static char *make_pdf(const char *const *objects, size_t n, size_t *len)
{
	return make_pdf_sized(objects, n, 0, len);
}

static const char *const plain_pdf[] = {
	"<< /Type /Catalog /Pages 2 0 R >>",
	"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
	"/Contents 4 0 R >>",
	"<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 720 Td (Mentoring) Tj "
	"ET\nendstream",
};

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	data = xmalloc((size_t)size);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return data;
}

struct entry {
	const char *name;
	const void *data;
	size_t len;
};

/* A ZIP of `entries`, packed by libzip (encrypted with AES when
 * `password`); NULL when this libzip cannot encrypt. */
static unsigned char *make_zip(const struct entry *entries, size_t n,
			       const char *password, size_t *len)
{
	char path[] = "/tmp/parity-test-zip-XXXXXX";
	int fd = mkstemp(path), zerr = 0;
	unsigned char *data;
	zip_t *z;
	size_t k;

	assert_true(fd >= 0);
	close(fd);
	z = zip_open(path, ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	for (k = 0; k < n; k++) {
		zip_source_t *src = zip_source_buffer(z, entries[k].data,
						      entries[k].len, 0);
		zip_int64_t i = zip_file_add(z, entries[k].name, src, 0);

		assert_true(i >= 0);
		if (password &&
		    zip_file_set_encryption(z, (zip_uint64_t)i,
					    ZIP_EM_AES_256, password) < 0) {
			zip_discard(z);
			unlink(path);
			return NULL;
		}
	}
	assert_int_equal(zip_close(z), 0);
	data = slurp(path, len);
	unlink(path);
	return data;
}

#define TYPES_HEAD                                                          \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"   \
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"    \
	"content-types\"><Default Extension=\"rels\" ContentType=\""        \
	"application/vnd.openxmlformats-package.relationships+xml\"/>"      \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
static const char docx_types[] =
	TYPES_HEAD "<Override PartName=\"/word/document.xml\" ContentType=\""
	"application/vnd.openxmlformats-officedocument.wordprocessingml."
	"document.main+xml\"/></Types>";
static const char xlsm_types[] =
	TYPES_HEAD "<Default Extension=\"bin\" ContentType=\"application/"
	"vnd.ms-office.vbaProject\"/><Override PartName=\"/xl/workbook.xml\" "
	"ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
	"\"/></Types>";
static const char xlsx_types[] =
	TYPES_HEAD "<Override PartName=\"/xl/workbook.xml\" ContentType=\""
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet."
	"main+xml\"/></Types>";
static const char rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	"2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
	"schemas.openxmlformats.org/officeDocument/2006/relationships/"
	"officeDocument\" Target=\"word/document.xml\"/></Relationships>";
static const char document[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
	"wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Reverse "
	"mentoring</w:t></w:r></w:p></w:body></w:document>";

#define ENTRY(name, text) { name, text, sizeof(text) - 1 }

static unsigned char *make_docx(size_t *len)
{
	const struct entry e[] = {
		ENTRY("[Content_Types].xml", docx_types),
		ENTRY("_rels/.rels", rels),
		ENTRY("word/document.xml", document),
	};

	return make_zip(e, 3, NULL, len);
}

/* A workbook written by libxlsxwriter. */
static unsigned char *make_xlsx(size_t *len)
{
	char path[] = "/tmp/parity-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	lxw_workbook *wb;
	lxw_worksheet *ws;
	unsigned char *data;

	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(path);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "Outcomes");
	worksheet_write_string(ws, 0, 0, "Black staff in senior posts", NULL);
	worksheet_write_number(ws, 0, 1, 12, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = slurp(path, len);
	unlink(path);
	return data;
}

/* ---- checking ---- */

static void accepted(const void *data, size_t len, const char *name,
		     enum attachment_type type, const char *kept)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attachment_verdict v;

	if (attachment_check(data, len, name, ATTACHMENT_MAX_DEFAULT, &v,
			     &err) < 0)
		fail_msg("%s refused: %s", name, err.message);
	assert_int_equal(v.refusal, ATTACHMENT_ACCEPTED);
	assert_int_equal(v.type, type);
	assert_string_equal(v.name, kept);
}

static void refused(const void *data, size_t len, const char *name,
		    size_t max, enum attachment_refusal why, const char *says)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attachment_verdict v;

	assert_int_equal(attachment_check(data, len, name, max, &v, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	if (v.refusal != why || !strstr(err.message, says))
		fail_msg("%s: refusal %d, message '%s'; wanted %d with '%s'",
			 name, (int)v.refusal, err.message, (int)why, says);
}

static void test_real_documents_are_accepted(void **state)
{
	size_t len;
	char *pdf = make_pdf(plain_pdf, 4, &len);
	unsigned char *docx, *xlsx;

	(void)state;
	accepted(pdf, len, "outline.pdf", ATTACHMENT_PDF, "outline.pdf");
	/* the name loses its folders, and odd characters become '_' */
	accepted(pdf, len, "../../etc/Programme outline.PDF", ATTACHMENT_PDF,
		 "Programme outline.PDF");
	accepted(pdf, len, "C:\\Users\\hr\\r\xc3\xa9sum\xc3\xa9;rm.pdf",
		 ATTACHMENT_PDF, "r_sum__rm.pdf");
	free(pdf);
	docx = make_docx(&len);
	accepted(docx, len, "guide.docx", ATTACHMENT_DOCX, "guide.docx");
	free(docx);
	xlsx = make_xlsx(&len);
	accepted(xlsx, len, "figures.xlsx", ATTACHMENT_XLSX, "figures.xlsx");
	/* the same bytes under another type's name */
	refused(xlsx, len, "figures.pdf", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_BAD_NAME, "is an Excel workbook but its name ends");
	refused(xlsx, len, "figures", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_BAD_NAME, "needs a name ending .xlsx");
	free(xlsx);
	assert_string_equal(attachment_media_type(ATTACHMENT_XLSX),
			    "application/vnd.openxmlformats-officedocument."
			    "spreadsheetml.sheet");
	assert_int_equal(attachment_type_parse("docx"), ATTACHMENT_DOCX);
	assert_int_equal(attachment_type_parse("exe"), ATTACHMENT_NONE);
}

static void test_programs_and_plain_zips_are_refused(void **state)
{
	static const unsigned char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0"
					   "\0\0\0\0\x02\0\x3e\0";
	static const unsigned char exe[] = "MZ\x90\0\x03\0\0\0\x04\0\0\0"
					   "This program cannot be run in DOS";
	const struct entry plain[] = { ENTRY("notes.txt", "hello") };
	const struct entry lookalike[] = {
		ENTRY("[Content_Types].xml", docx_types),
		ENTRY("_rels/.rels", rels),
	};
	unsigned char *zip;
	size_t len;

	(void)state;
	refused(elf, sizeof(elf) - 1, "report.pdf", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_WRONG_TYPE, "is not a PDF, a Word document");
	refused(exe, sizeof(exe) - 1, "figures.xlsx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_WRONG_TYPE, "whatever its name says");
	zip = make_zip(plain, 1, NULL, &len);
	refused(zip, len, "notes.docx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_WRONG_TYPE, "no [Content_Types].xml");
	/* cut short: not a readable ZIP */
	refused(zip, len / 2, "notes.docx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_WRONG_TYPE, "not a readable one");
	free(zip);
	/* a Word content type without word/document.xml */
	zip = make_zip(lookalike, 2, NULL, &len);
	refused(zip, len, "guide.docx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_WRONG_TYPE, "not a Word document or an Excel");
	free(zip);
}

static void test_macros_are_refused(void **state)
{
	static const char workbook[] = "<workbook/>";
	const struct entry xlsm[] = {
		ENTRY("[Content_Types].xml", xlsm_types),
		ENTRY("xl/workbook.xml", workbook),
		ENTRY("xl/vbaProject.bin", "\xd0\xcf\x11\xe0"),
	};
	/* an XLSX's content types, but a VBA project inside */
	const struct entry hidden[] = {
		ENTRY("[Content_Types].xml", xlsx_types),
		ENTRY("xl/workbook.xml", workbook),
		ENTRY("xl/media/VBAPROJECT.BIN", "\xd0\xcf\x11\xe0"),
	};
	const struct entry no_bin[] = {
		ENTRY("[Content_Types].xml", xlsm_types),
		ENTRY("xl/workbook.xml", workbook),
	};
	unsigned char *zip;
	size_t len;

	(void)state;
	zip = make_zip(xlsm, 3, NULL, &len);
	refused(zip, len, "budget.xlsx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_UNSAFE, "holds macros");
	free(zip);
	zip = make_zip(hidden, 3, NULL, &len);
	refused(zip, len, "budget.xlsx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_UNSAFE, "holds macros");
	free(zip);
	zip = make_zip(no_bin, 2, NULL, &len);
	refused(zip, len, "budget.xlsm", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_UNSAFE, "macro-enabled");
	free(zip);
}

static void test_active_pdfs_are_refused(void **state)
{
	const char *objects[4] = { plain_pdf[0], plain_pdf[1], plain_pdf[2],
				   NULL };
	unsigned char packed[256];
	uLongf packed_len = sizeof(packed);
	static const char script[] =
		"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>";
	struct strbuf stream = STRBUF_INIT;
	size_t len;
	char *pdf;

	(void)state;
	objects[3] = "<< /Type /Catalog /OpenAction << /S /JavaScript "
		     "/JS (app.alert\\(1\\)) >> >>";
	pdf = make_pdf(objects, 4, &len);
	refused(pdf, len, "a.pdf", ATTACHMENT_MAX_DEFAULT, ATTACHMENT_UNSAFE,
		"active content (/JavaScript)");
	free(pdf);
	/* the same name, escaped */
	objects[3] = "<< /OpenAction << /S /J#61va#53cript >> >>";
	pdf = make_pdf(objects, 4, &len);
	refused(pdf, len, "a.pdf", ATTACHMENT_MAX_DEFAULT, ATTACHMENT_UNSAFE,
		"(/JavaScript)");
	free(pdf);
	objects[3] = "<< /Type /Action /S /Launch /F (cmd.exe) >>";
	pdf = make_pdf(objects, 4, &len);
	refused(pdf, len, "a.pdf", ATTACHMENT_MAX_DEFAULT, ATTACHMENT_UNSAFE,
		"(/Launch)");
	free(pdf);
	objects[3] = "<< /Names << /EmbeddedFiles 5 0 R >> >>";
	pdf = make_pdf(objects, 4, &len);
	refused(pdf, len, "a.pdf", ATTACHMENT_MAX_DEFAULT, ATTACHMENT_UNSAFE,
		"(/EmbeddedFiles)");
	free(pdf);
	/* hidden in a compressed object stream */
	assert_int_equal(compress(packed, &packed_len,
				  (const Bytef *)script, sizeof(script) - 1),
			 Z_OK);
	strbuf_addf(&stream, "<< /Type /ObjStm /Filter /FlateDecode /Length "
			     "%lu >>\nstream\n", (unsigned long)packed_len);
	strbuf_add(&stream, packed, packed_len);
	strbuf_addstr(&stream, "\nendstream");
	objects[3] = stream.buf;
	pdf = make_pdf_sized(objects, 4, stream.len, &len);
	refused(pdf, len, "a.pdf", ATTACHMENT_MAX_DEFAULT, ATTACHMENT_UNSAFE,
		"active content");
	free(pdf);
	strbuf_release(&stream);
	/* names that only begin so are not the names */
	objects[3] = "<< /JSON (x) /Launcher 1 /JavaScripts 2 >>";
	pdf = make_pdf(objects, 4, &len);
	accepted(pdf, len, "a.pdf", ATTACHMENT_PDF, "a.pdf");
	/* cut short: no %%EOF */
	refused(pdf, len - 8, "a.pdf", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_WRONG_TYPE, "no %%EOF");
	free(pdf);
}

static void test_sizes_and_bombs_are_refused(void **state)
{
	size_t len, big = (size_t)20 * 1024 * 1024;
	char *pdf = make_pdf(plain_pdf, 4, &len), *zeros;
	struct entry e[3] = {
		ENTRY("[Content_Types].xml", docx_types),
		ENTRY("word/document.xml", document),
		{ "word/media/padding.xml", NULL, 0 },
	};
	unsigned char *zip;

	(void)state;
	refused(pdf, len, "a.pdf", len - 1, ATTACHMENT_TOO_LARGE,
		"may be at most");
	refused(pdf, 0, "a.pdf", ATTACHMENT_MAX_DEFAULT, ATTACHMENT_TOO_LARGE,
		"empty");
	free(pdf);
	/* 20 MB of zeros pack into about 20 KB: a thousand to one */
	zeros = xcalloc(big, 1);
	e[2].data = zeros;
	e[2].len = big;
	zip = make_zip(e, 3, NULL, &len);
	assert_true(len < big / 100);
	refused(zip, len, "guide.docx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_UNSAFE, "zip bomb");
	free(zip);
	free(zeros);
}

static void test_encrypted_packages_are_refused(void **state)
{
	const struct entry e[] = {
		ENTRY("[Content_Types].xml", docx_types),
		ENTRY("word/document.xml", document),
	};
	unsigned char *zip;
	size_t len;

	(void)state;
	zip = make_zip(e, 2, "secret", &len);
	if (!zip)
		skip();   /* this libzip cannot encrypt */
	refused(zip, len, "guide.docx", ATTACHMENT_MAX_DEFAULT,
		ATTACHMENT_UNSAFE, "encrypted");
	free(zip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_documents_are_accepted),
		cmocka_unit_test(test_programs_and_plain_zips_are_refused),
		cmocka_unit_test(test_macros_are_refused),
		cmocka_unit_test(test_active_pdfs_are_refused),
		cmocka_unit_test(test_sizes_and_bombs_are_refused),
		cmocka_unit_test(test_encrypted_packages_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
