/*
 * utf8.h - checking that text is well-formed UTF-8 before it is written
 * where a malformed byte breaks the file: JSON (Jansson refuses it, and a
 * value it refuses is lost), XML (a workbook's sharedStrings.xml) and
 * HTML.
 *
 * Well-formed means RFC 3629 and Unicode's table 3-7: no overlong forms,
 * no surrogates (U+D800 to U+DFFF), nothing above U+10FFFF, and no
 * sequence cut short. Nothing here allocates.
 */
#ifndef PARITY_BASE_UTF8_H
#define PARITY_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode the character at `s`, of which `len` bytes may be read. Returns
 * its length in bytes (1 to 4) and sets *cp to its code point, or returns
 * 0 when the bytes at `s` are not a well-formed character (or `len` is 0).
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Whether the `len` bytes at `s` are well-formed UTF-8. When they are not
 * and `bad` is not NULL, *bad is the offset of the first byte that does
 * not begin a well-formed character.
 */
bool utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * The characters (code points) in the NUL-terminated UTF-8 text `s`: its
 * bytes less the continuation bytes. What lengths of labels and ids are
 * measured in, and the width of a column of text on a terminal.
 */
size_t utf8_length(const char *s);

#endif
