/*
 * attachment.h - what a document attached to a practice record must be
 * (attachment.c): a PDF, a Word document (DOCX) or an Excel workbook
 * (XLSX), told by its bytes, never by its name or by what the sender
 * says it is (docs/formats/practice.md, "Attached documents").
 *
 *  - a PDF begins %PDF-1. and has %%EOF in its last 1,024 bytes; one
 *    that carries active content (the names /JavaScript, /JS, /Launch,
 *    /EmbeddedFile or /EmbeddedFiles, written plainly or with #xx
 *    escapes, outside streams or inside a stream that inflates) is
 *    refused;
 *  - a DOCX or XLSX is a ZIP (an OOXML package, read with libzip from
 *    memory) whose [Content_Types].xml declares the main part of a Word
 *    document or an Excel workbook, and which holds word/document.xml or
 *    xl/workbook.xml. Macro-enabled packages (the docm and xlsm content
 *    types, a vbaProject.bin anywhere), encrypted entries, and packages
 *    that unpack to more than ATTACHMENT_UNPACKED_MAX bytes or to more
 *    than ATTACHMENT_RATIO_MAX times their size (a zip bomb) are refused;
 *  - the name it is declared with loses any folders (a/b\c.pdf is c.pdf),
 *    has every character but letters, digits, '.', '-', '_' and spaces
 *    made '_', and its extension must be the detected type's.
 *
 * Nothing here touches the store: practice.h attaches what passes.
 */
#ifndef PARITY_PRACTICE_ATTACHMENT_H
#define PARITY_PRACTICE_ATTACHMENT_H

#include "base/error.h"

#include <stddef.h>
#include <stdint.h>

enum attachment_type {
	ATTACHMENT_NONE = 0,
	ATTACHMENT_PDF,
	ATTACHMENT_DOCX,
	ATTACHMENT_XLSX
};

/* The largest document by default: 10 MiB (`parity serve
 * --max-attachment BYTES` sets the hub's). */
#define ATTACHMENT_MAX_DEFAULT ((size_t)10 * 1024 * 1024)
/* The most a package may unpack to, and its largest ratio of unpacked
 * to packed bytes. */
#define ATTACHMENT_UNPACKED_MAX ((uint64_t)100 * 1024 * 1024)
#define ATTACHMENT_RATIO_MAX 100
/* The longest name kept, in bytes; the most entries a package holds. */
#define ATTACHMENT_NAME_MAX 120
#define ATTACHMENT_ENTRIES_MAX 10000

/* Why a document was refused. */
enum attachment_refusal {
	ATTACHMENT_ACCEPTED = 0,
	ATTACHMENT_TOO_LARGE,   /* over the size limit, or empty */
	ATTACHMENT_WRONG_TYPE,  /* not a PDF, DOCX or XLSX by its content */
	ATTACHMENT_UNSAFE,      /* active content, macros, encryption, a
				 * zip bomb */
	ATTACHMENT_BAD_NAME     /* no usable name, or its extension is not
				 * the detected type's */
};

/* What attachment_check() found. */
struct attachment_verdict {
	enum attachment_refusal refusal;
	enum attachment_type type;
	char name[ATTACHMENT_NAME_MAX + 1];  /* the name to keep */
};

/*
 * Check `len` bytes declared as `declared_name` against the rules above,
 * with `max_bytes` the size limit. 0 with *v filled (refusal
 * ATTACHMENT_ACCEPTED), or -1: PARITY_ERR_VALIDATION with v->refusal
 * saying why and err->message naming the problem in words a council can
 * act on; PARITY_ERR_INTERNAL when libzip could not be asked.
 */
int attachment_check(const void *data, size_t len, const char *declared_name,
		     size_t max_bytes, struct attachment_verdict *v,
		     struct parity_error *err);

/* "pdf", "docx", "xlsx" (the extension and the store's word). */
const char *attachment_type_name(enum attachment_type t);
/* The type of a store's word, or ATTACHMENT_NONE. */
enum attachment_type attachment_type_parse(const char *name);
/* The media type it is served as: "application/pdf", ... */
const char *attachment_media_type(enum attachment_type t);
/* What it is, for readers: "PDF", "Word document", "Excel workbook". */
const char *attachment_type_label(enum attachment_type t);

#endif
