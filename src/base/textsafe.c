/*
 * textsafe.c - text made safe for a terminal or a spreadsheet (see
 * textsafe.h).
 *
 * The terminal filter decodes UTF-8 strictly (no overlong forms, no
 * surrogates, nothing above U+10FFFF), so that a byte it passes is always
 * part of a character it has looked at: a lone 0x9B, which some terminals
 * take as CSI, is shown as "\x9b" and never passed.
 */
#include "base/textsafe.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * The length of the well-formed UTF-8 sequence of 2 to 4 bytes at `s`
 * (of `len` bytes) and its code point in *cp, or 0 when it is not one.
 */
static size_t utf8_sequence(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, k;
	uint32_t v, min;

	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		v = s[0] & 0x1Fu;
		min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		v = s[0] & 0x0Fu;
		min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		v = s[0] & 0x07u;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

/* Whether a code point changes how a terminal shows what follows it. */
static bool hidden_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F) ||      /* C1 controls (CSI) */
	       cp == 0x061C ||                     /* Arabic letter mark */
	       cp == 0x200E || cp == 0x200F ||     /* LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202E) ||   /* separators; LRE..RLO */
	       (cp >= 0x2066 && cp <= 0x2069);     /* LRI..PDI */
}

void textsafe_terminal_append(struct strbuf *out, const char *s, size_t len,
			      bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, plain = 0;

	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp = 0;
		size_t n;

		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c == '\n' && keep_newlines) {
			i++;
			continue;
		}
		n = c >= 0x80 ? utf8_sequence(p + i, len - i, &cp) : 0;
		if (n > 0 && !hidden_control(cp)) {
			i += n;
			continue;
		}
		/* something to show as an escape: first what came before */
		strbuf_add(out, s + plain, i - plain);
		if (n > 0)
			strbuf_addf(out, "\\u%04x", (unsigned)cp);
		else
			strbuf_addf(out, "\\x%02x", (unsigned)c);
		i += n > 0 ? n : 1;
		plain = i;
	}
	strbuf_add(out, s + plain, len - plain);
}

bool textsafe_terminal_is_plain(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(s);
	bool same;

	textsafe_terminal_append(&sb, s, len, false);
	same = sb.len == len;
	strbuf_release(&sb);
	return same;
}

char *textsafe_terminal_copy(char *buf, size_t size, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;

	if (size == 0)
		return buf;
	textsafe_terminal_append(&sb, s, strlen(s), false);
	n = sb.len;
	if (n >= size) {
		/* cut at a character boundary: the text is well-formed
		 * UTF-8 now, so back up over a partial character */
		n = size - 1;
		while (n > 0 && ((unsigned char)sb.buf[n] & 0xC0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(buf, sb.buf, n);
	buf[n] = '\0';
	strbuf_release(&sb);
	return buf;
}

/* A plain number: [-+]digits[.digits][e[-+]digits], or [-+].digits. */
static bool is_number(const char *s)
{
	bool digits = false;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits = true;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits = true;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		bool exp_digits = false;

		s++;
		if (*s == '-' || *s == '+')
			s++;
		for (; *s >= '0' && *s <= '9'; s++)
			exp_digits = true;
		if (!exp_digits)
			return false;
	}
	return *s == '\0';
}

bool textsafe_csv_is_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL &&
	       !is_number(s);
}

bool textsafe_csv_needs_guard(const char *s)
{
	return s[0] == '\'' || textsafe_csv_is_formula(s);
}

const char *textsafe_csv_unguard(const char *field)
{
	return field[0] == '\'' ? field + 1 : field;
}

void textsafe_csv_append(struct strbuf *out, const char *s)
{
	const char *guard = textsafe_csv_needs_guard(s) ? "'" : "";

	if (strpbrk(s, ",\"\r\n") == NULL) {
		strbuf_addstr(out, guard);
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	strbuf_addstr(out, guard);
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

void textsafe_quote(const char *s, size_t max_chars, char *out, size_t size)
{
	size_t n = 0, chars = 0;

	if (size == 0)
		return;
	for (; *s && n + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c & 0xC0) != 0x80 && ++chars > max_chars) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		out[n++] = c < 0x20 ? '?' : (char)c;
	}
	out[n] = '\0';
}
