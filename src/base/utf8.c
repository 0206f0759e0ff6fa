/*
 * utf8.c - the UTF-8 check of utf8.h. A character's first byte gives its
 * length and the range its second byte may take (Unicode 15, table 3-7);
 * every later byte is 0x80 to 0xBF. That one table rules out overlong
 * forms, surrogates and code points above U+10FFFF.
 */
#include "base/utf8.h"

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, k;
	uint32_t c;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		n = 2;
		c = p[0] & 0x1Fu;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		n = 3;
		c = p[0] & 0x0Fu;
		if (p[0] == 0xE0)
			lo = 0xA0;      /* no overlong form */
		else if (p[0] == 0xED)
			hi = 0x9F;      /* no surrogate */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		n = 4;
		c = p[0] & 0x07u;
		if (p[0] == 0xF0)
			lo = 0x90;      /* no overlong form */
		else if (p[0] == 0xF4)
			hi = 0x8F;      /* nothing above U+10FFFF */
	} else {
		return 0;               /* a continuation byte, C0, C1, F5-FF */
	}
	if (len < n || p[1] < lo || p[1] > hi)
		return 0;
	for (k = 1; k < n; k++) {
		if (k > 1 && (p[k] < 0x80 || p[k] > 0xBF))
			return 0;
		c = (c << 6) | (p[k] & 0x3Fu);
	}
	*cp = c;
	return n;
}

bool utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t at = 0, n;
	uint32_t cp;

	while (at < len) {
		n = utf8_decode(s + at, len - at, &cp);
		if (n == 0) {
			if (bad)
				*bad = at;
			return false;
		}
		at += n;
	}
	return true;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
