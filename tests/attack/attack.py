#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""A public reader's attack on parity's published workforce downloads.

Reads the tidy CSVs a reader can download from a published parity site
(every release together) and tries to recover withheld small counts, by
seven routes that reason only from the CSVs (none of parity's own code is
used). See tests/attack/README.md.

    attack.py [--truth TRUTH_CSV ...] [--k 10] [--json OUT]
              [--expect-none | --expect-some M] SITE_DIR

Exit status: 0 on a successful run; 1 when --expect-none or --expect-some
fails; 2 when a recovery is contradicted by the truth (a harness bug) or the
published figures contradict the model; 3 on a usage or input error.
"""

import argparse
import csv
import gzip
import io
import json
import math
import os
import re
import sys
import time
from collections import defaultdict

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix
from scipy.special import ndtr, ndtri

INF = float('inf')
Z95 = float(ndtri(0.975))
Z998 = float(ndtri(0.999))

G_ALL = 'All staff'
G_NK = 'Not known'
G_PNS = 'Prefer not to say'
G_NKP = 'Not known or prefer not to say'
G_DECL = '(declared)'
G_WHITE_BRITISH = 'White: English, Welsh, Scottish, Northern Irish or British'
SPECIAL = {G_ALL, G_NK, G_PNS, G_NKP}
STAFF_BASED = {'promoted', 'disciplinary', 'training', 'left'}
SHORTLISTED = 'shortlisted from applying'
APPOINTED = 'appointed from shortlisting'
WORKFORCE = {
    'staff_count', 'staff_share', 'representation_ratio', 'benchmark_share',
    'not_known_rate', 'not_known_change_pp', 'staff_share_change_pp',
    'band_share', 'pay_quartile_share', 'mean_hourly_pay',
    'median_hourly_pay', 'mean_pay_gap', 'median_pay_gap',
    'relative_likelihood', 'funnel_position', 'glass_ceiling', 'event_rate'}
# ONS statistical Inner London (E13000001); the rest of London's boroughs
# are Outer London (E13000002). Public; checked against the data below.
INNER_LONDON = {
    'E09000001', 'E09000007', 'E09000012', 'E09000013', 'E09000014',
    'E09000019', 'E09000020', 'E09000022', 'E09000023', 'E09000025',
    'E09000028', 'E09000030', 'E09000032', 'E09000033'}
KIND_NAME = {'staff': 'staff', 'band': 'staff in band',
             'above': 'staff paid from the band up',
             'quart': 'staff in quartile', 'event': 'events',
             'risk': 'people at risk'}
ROUTES = [
    (1, 'ratios printed on other rows (funnel positions, a count shown '
        'elsewhere)'),
    (2, 'events and counts from published rates (exact fractions, Katz '
        'intervals, p-values)'),
    (3, 'pooled areas (London, Inner, Outer less the boroughs shown)'),
    (4, 'glass-ceiling shares times band totals'),
    (5, 'last year from the change rows'),
    (6, 'corrections (releases of one year compared)'),
    (7, 'linear programme over everything published'),
]


def warn(msg):
    print(msg, file=sys.stderr)


# --------------------------------------------------------------------------
# Numbers as printed


NUM_RE = re.compile(r'^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$')


def sig_dec(text):
    """Significant digits and decimals of a printed number."""
    t = text.lstrip('+-')
    mant, exp = (re.split('[eE]', t) + ['0'])[:2]
    exp = int(exp)
    ip, _, fp = mant.partition('.')
    digits = (ip + fp).lstrip('0')
    return len(digits), len(fp) - exp


class Num:
    """A printed figure: state 'v' (value), 'c' (withheld), 'e' (empty),
    'lt' (an upper bound such as '<0.001')."""
    __slots__ = ('state', 'x', 'eps', 'text')

    def __init__(self, state, x=None, eps=0.0, text=''):
        self.state, self.x, self.eps, self.text = state, x, eps, text

    @property
    def ok(self):
        return self.state == 'v'

    def iv(self, scale=1.0):
        """The interval the printed figure stands for."""
        if self.state == 'v':
            e = self.eps * 1.000001 + abs(self.x) * 2e-15
            return ((self.x - e) * scale, (self.x + e) * scale)
        if self.state == 'lt':
            return (0.0, self.x * scale)
        return None


EMPTY = Num('e')
WITHHELD = Num('c')


class Precision:
    """How precisely a column of a file is printed: to S significant digits
    (parity's %.10g, p-values to 2 significant figures) or to D decimals
    (rounded for publication)."""

    def __init__(self):
        self.stats = defaultdict(lambda: [0, 0, 0])  # max sig, max dec, n

    @staticmethod
    def key(measure, brk, col):
        fam = brk.split(':')[0] if measure == 'funnel_position' else ''
        return (measure, fam, col)

    def see(self, key, text):
        s, d = sig_dec(text)
        st = self.stats[key]
        st[0] = max(st[0], s)
        st[1] = max(st[1], d)
        st[2] += 1

    def eps(self, key, x):
        st = self.stats.get(key, [10, 0, 0])
        if key[2] == 'p_value' or st[0] >= 7:
            if x == 0:
                return 0.0
            s = max(st[0], 1)
            return 0.5 * 10.0 ** (math.floor(math.log10(abs(x))) - s + 1)
        return 0.5 * 10.0 ** (-max(st[1], 0))


def eps_text(text):
    """Half a unit in the last printed digit of one number (notes)."""
    s, d = sig_dec(text)
    return 0.5 * 10.0 ** (-d)


# --------------------------------------------------------------------------
# Reading the CSVs

COLS = ('measure', 'area_code', 'area_name', 'area_type', 'year', 'ethnicity',
        'ethnicity_level', 'breakdown', 'value', 'numerator', 'denominator',
        'ci_low', 'ci_high', 'p_value', 'flag', 'note')
NUMCOLS = ('value', 'numerator', 'denominator', 'ci_low', 'ci_high',
           'p_value')


class Row:
    __slots__ = ('measure', 'area', 'area_name', 'area_type', 'year', 'group',
                 'level', 'brk', 'note', 'flag', 'F', 'file', 'line', 'rel',
                 'round_to')

    def num(self, col):
        return self.F.get(col, EMPTY)

    def where(self):
        return '%s:%d' % (self.file, self.line)


def open_text(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    return data.decode('utf-8-sig')


def read_table(path, rel, base=None):
    """Rows of one tidy CSV, or None when it is not a tidy table."""
    try:
        text = open_text(path)
    except (OSError, UnicodeDecodeError, EOFError) as e:
        warn('attack: cannot read %s: %s' % (path, e))
        return None
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return None
    idx = {h.strip(): i for i, h in enumerate(header)}
    if 'measure' not in idx or any(c not in idx for c in COLS[:10]):
        return None
    raw = []
    other, beside = set(), set()
    for line, rec in enumerate(reader, start=2):
        if not rec or all(not x for x in rec):
            continue
        d = {c: (rec[idx[c]].strip() if c in idx and idx[c] < len(rec)
                 else '') for c in COLS}
        if d['measure'] not in WORKFORCE:
            other.add(d['measure'])
            continue
        # groups of boroughs beside the tree (London's partnerships, a
        # store's groups; docs/measures.md): the harness models the tree
        # only, so their rows are left out, and said to be
        if d['area_type'] in ('partnership', 'group'):
            beside.add(d['area_code'])
            continue
        raw.append((line, d))
    if raw and other:
        warn('attack: %s: measures the harness does not model, not read: %s'
             % (path, ', '.join(sorted(other))))
    if raw and beside:
        warn('attack: %s: groups of boroughs the harness does not model, '
             'not read: %s' % (path, ', '.join(sorted(beside))))
    prec = Precision()
    for _, d in raw:
        for c in NUMCOLS:
            t = d[c]
            if NUM_RE.match(t):
                prec.see(Precision.key(d['measure'], d['breakdown'], c), t)
    rows = []
    short = os.path.relpath(path, base) if base else os.path.basename(path)
    for line, d in raw:
        r = Row()
        r.measure = d['measure']
        r.area = d['area_code']
        r.area_name = d['area_name']
        r.area_type = d['area_type']
        try:
            r.year = int(d['year'])
        except ValueError:
            continue
        r.group = d['ethnicity']
        r.level = d['ethnicity_level']
        r.brk = d['breakdown']
        r.note = d['note']
        r.flag = d['flag']
        r.file, r.line, r.rel = short, line, rel
        m = re.search(r'counts rounded to the nearest ([0-9.]+)', r.note)
        r.round_to = float(m.group(1)) if m else 0.0
        r.F = {}
        for c in NUMCOLS:
            t = d[c]
            if t == '':
                continue
            if t == '[c]':
                r.F[c] = WITHHELD
            elif t.startswith('<') and NUM_RE.match(t[1:].strip()):
                r.F[c] = Num('lt', float(t[1:].strip()), 0.0, t)
            elif NUM_RE.match(t):
                x = float(t)
                key = Precision.key(r.measure, r.brk, c)
                r.F[c] = Num('v', x, prec.eps(key, x), t)
            else:
                r.F[c] = EMPTY
        rows.append(r)
    return rows


def default_ref(level):
    """The reference group of a relative likelihood whose rows do not
    name it (all withheld): White for the high-level groups, White
    British for the detailed."""
    return G_WHITE_BRITISH if level == 'detailed' else 'White'


def discover(site):
    """(release number, path) of every CSV a reader has."""
    out = []
    rel_dir = os.path.join(site, 'releases')
    if os.path.isdir(rel_dir):
        for name in sorted(os.listdir(rel_dir),
                           key=lambda s: (len(s), s)):
            d = os.path.join(rel_dir, name)
            if not name.isdigit() or not os.path.isdir(d):
                continue
            dl = os.path.join(d, 'downloads')
            base = dl if os.path.isdir(dl) else d
            for root, _, files in os.walk(base):
                for f in sorted(files):
                    if f.endswith('.csv') or f.endswith('.csv.gz'):
                        out.append((int(name), os.path.join(root, f)))
    else:
        for root, _, files in os.walk(site):
            for f in sorted(files):
                if f.endswith('.csv') or f.endswith('.csv.gz'):
                    out.append((0, os.path.join(root, f)))
    return out


# --------------------------------------------------------------------------
# Intervals


def iv_mul(a, b):
    if a is None or b is None:
        return None
    ps = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    return (min(ps), max(ps))


def iv_and(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return (max(a[0], b[0]), min(a[1], b[1]))


def se_from_limits(lo, hi, z):
    """Interval of the standard error of a log ratio whose limits are
    centre * exp(-/+ z se), from the printed limits."""
    a, b = lo.iv(), hi.iv()
    if a is None or b is None or a[0] <= 0 or b[0] <= 0:
        return None
    s_lo = math.log(b[0] / a[1]) / (2 * z) if b[0] > a[1] else 0.0
    s_hi = math.log(b[1] / a[0]) / (2 * z)
    return (s_lo, s_hi)


def fmt_iv(lo, hi):
    def f(x):
        if x == INF:
            return 'inf'
        if abs(x - round(x)) < 1e-9:
            return '%d' % round(x)
        return '%.2f' % x
    return '[%s, %s]' % (f(lo), f(hi))


# --------------------------------------------------------------------------
# One release: the counts it shows and withholds, and the facts it prints


class Release:
    def __init__(self, no, rows):
        self.no = no
        self.rows = rows
        self.shown = {}          # cell -> (lo, hi)
        self.shown_src = {}      # cell -> 'file:line'
        self.targets = {}        # cell -> 'file:line' of a withholding row
        self.universe = set()    # every cell a row refers to
        self.ratios = []         # (num terms, den terms, lo, hi, route, src)
        self.rl = {}             # (area, year, brk, level) -> RL facts
        self.gc = []             # glass ceiling facts
        self.prior = {}          # (area, year) -> facts about the year before
        self.names = {}
        self.area_type = {}
        self.groups = defaultdict(set)   # (area, year) -> declared groups
        self.bands = defaultdict(set)    # (area, year) -> band labels
        self.quarts = defaultdict(set)
        self.data_years = set()
        self.conflicts = []
        self.sig = defaultdict(dict)     # (area, year) -> facts for versions
        self.extract()

    # -- counts
    def count(self, row, col, cell, implied=False):
        self.universe.add(cell)
        n = row.num(col)
        if implied or n.state == 'c':
            self.targets.setdefault(cell, row.where())
            return
        if n.state != 'v':
            return
        tol = row.round_to / 2.0
        if n.x != int(n.x):
            # a fractional count (pay quartiles split ties) is printed to
            # the column's precision, not exactly
            tol = max(tol, n.eps * 1.000001)
        iv = (n.x - tol, n.x + tol)
        old = self.shown.get(cell)
        if old is not None and (old[0] > iv[1] + 1e-9 or
                                iv[0] > old[1] + 1e-9):
            self.conflicts.append('%s: %s is %s here and %s at %s' % (
                row.where(), cell, n.text, fmt_iv(*old), self.shown_src[cell]))
        self.shown[cell] = iv_and(old, iv)
        self.shown_src.setdefault(cell, row.where())
        self.sig[(cell[0], cell[1])][('cell',) + cell[2:]] = n.text

    def ratio(self, num, den, iv, route, row):
        if iv is None:
            return
        self.ratios.append((num, den, iv[0], iv[1], route, row.where()))

    def own(self, row, cols):
        """Note the area's own printed figures (to tell releases apart)."""
        for c in cols:
            n = row.num(c)
            if n.state in ('v', 'lt'):
                self.sig[(row.area, row.year)][
                    (row.measure, row.group, row.brk, c)] = n.text

    def extract(self):
        main_level = defaultdict(lambda: defaultdict(int))
        for r in self.rows:
            if r.measure == 'staff_share':
                main_level[r.file][r.level] += 1
        level = {f: max(d, key=d.get) for f, d in main_level.items()}
        # The CSV beside one table of a page (tables/NAME/...) repeats
        # rows of dataset NAME's full table, often of one group or one
        # level only: it is read at the level its dataset's file is read,
        # so that the two levels' groups are never summed together.
        full = {}
        for f, lv in level.items():
            if '/tables/' not in '/' + f:
                full[os.path.basename(f).split('.csv')[0]] = lv
        for r in self.rows:
            parts = ('/' + r.file).split('/tables/', 1)
            if len(parts) == 2:
                lv = full.get(parts[1].split('/', 1)[0])
                if lv is not None:
                    level[r.file] = lv
        bench = {}
        nkrate = {}
        for r in self.rows:
            self.names[r.area] = r.area_name
            self.area_type[r.area] = r.area_type
            if r.measure == 'benchmark_share':
                bench[(r.area, r.year, r.group)] = r.num('value')
            if r.measure == 'not_known_rate' and r.group == G_NKP:
                nkrate[(r.area, r.year)] = r.num('value')
            if r.measure == 'staff_count':
                self.data_years.add(r.year)
        for r in self.rows:
            lv = level.get(r.file)
            comb = re.match(r'All groups other than (.+) combined$', r.group)
            if (lv is not None and r.level != lv and not comb
                    and r.group not in SPECIAL):
                continue
            self.extract_row(r, comb, bench, nkrate)

    def extract_row(self, r, comb, bench, nkrate):
        A, Y, g, b, m = r.area, r.year, r.group, r.brk, r.measure
        S = lambda grp, y=Y: (A, y, 'staff', grp, '')
        if comb:
            g = 'All groups other than %s combined' % comb.group(1)
        if m == 'staff_count':
            self.count(r, 'value', S(g))
            if g not in SPECIAL and not comb:
                self.groups[(A, Y)].add(g)
            self.own(r, ())
        elif m in ('staff_share', 'representation_ratio'):
            self.groups[(A, Y)].add(g)
            self.count(r, 'numerator', S(g))
            self.count(r, 'denominator', S(G_DECL))
            v = r.num('value')
            if m == 'staff_share' and v.ok:
                self.ratio([(1, S(g))], [(1, S(G_DECL))], v.iv(0.01), 2, r)
            if m == 'representation_ratio' and v.ok:
                bs = bench.get((A, Y, g))
                if bs is not None and bs.ok:
                    self.ratio([(1, S(g))], [(1, S(G_DECL))],
                               iv_mul(v.iv(), bs.iv(0.01)), 1, r)
            self.own(r, NUMCOLS)
        elif m == 'not_known_rate':
            self.count(r, 'numerator', S(g))
            self.count(r, 'denominator', S(G_ALL))
            v = r.num('value')
            if v.ok:
                self.ratio([(1, S(g))], [(1, S(G_ALL))], v.iv(0.01), 2, r)
            self.own(r, NUMCOLS)
        elif m == 'band_share':
            self.bands[(A, Y)].add(b)
            self.groups[(A, Y)].add(g)
            self.count(r, 'numerator', (A, Y, 'band', g, b))
            self.count(r, 'denominator', (A, Y, 'band', G_DECL, b))
            v = r.num('value')
            if v.ok:
                self.ratio([(1, (A, Y, 'band', g, b))],
                           [(1, (A, Y, 'band', G_DECL, b))], v.iv(0.01), 2, r)
            self.own(r, NUMCOLS)
        elif m == 'pay_quartile_share':
            self.quarts[(A, Y)].add(b)
            self.count(r, 'numerator', (A, Y, 'quart', g, b))
            self.count(r, 'denominator', (A, Y, 'quart', G_DECL, b))
            v = r.num('value')
            if v.ok:
                self.ratio([(1, (A, Y, 'quart', g, b))],
                           [(1, (A, Y, 'quart', G_DECL, b))], v.iv(0.01), 2, r)
            self.own(r, NUMCOLS)
        elif m in ('mean_hourly_pay', 'median_hourly_pay'):
            self.count(r, 'denominator', S(g))
            self.own(r, ('value',))
        elif m in ('mean_pay_gap', 'median_pay_gap'):
            self.own(r, ('value', 'numerator', 'denominator'))
        elif m == 'event_rate':
            ev, rk = (A, Y, 'event', g, b), (A, Y, 'risk', g, b)
            self.count(r, 'numerator', ev)
            self.count(r, 'denominator', rk)
            f = self.rlf(A, Y, b, r.level, g)
            v = r.num('value')
            if v.ok:
                f['rate'] = iv_and(f['rate'], v.iv(0.01))
                self.ratio([(1, ev)], [(1, rk)], v.iv(0.01), 2, r)
            elif v.state == 'c':
                f['withheld'] = True
            self.own(r, NUMCOLS)
        elif m == 'relative_likelihood':
            self.rl_row(r, g)
        elif m == 'funnel_position':
            self.funnel_row(r, g)
        elif m == 'glass_ceiling':
            self.gc_row(r, g)
        elif m == 'staff_share_change_pp':
            self.change_row(r, g)
        elif m == 'not_known_change_pp':
            self.nk_change_row(r, nkrate)

    def rlf(self, A, Y, b, lv, g):
        """The facts of group g's relative likelihood of b: kept apart
        for each level of groups, as each level has its own reference
        (White for the high-level groups, White British for the
        detailed), and one file may publish both."""
        d = self.rl.setdefault((A, Y, b, lv), {'ref': None, 'ref_rate': None,
                                           'groups': {}})
        return d['groups'].setdefault(g, {'rate': None, 'rr': None, 'se': [],
                                          'p': None, 'withheld': False,
                                          'funnel': False, 'src': None})

    def rl_row(self, r, g):
        A, Y, b = r.area, r.year, r.brk
        m = re.search(r'reference \(([^)]+)\)', r.note) or \
            re.search(r'reference: ([^;]+)', r.note)
        d = self.rl.setdefault((A, Y, b, r.level),
                               {'ref': None, 'ref_rate': None, 'groups': {}})
        f = self.rlf(A, Y, b, r.level, g)
        f['src'] = r.where()
        if m:
            d['ref'] = m.group(1).strip()
        ref = d['ref'] or default_ref(r.level)
        for grp in (g, ref):
            self.count(r, None, (A, Y, 'event', grp, b), implied=True)
            self.count(r, None, (A, Y, 'risk', grp, b), implied=True)
        v = r.num('value')
        if v.state == 'c':
            f['withheld'] = True
            return
        if v.ok:
            f['rr'] = iv_and(f['rr'], v.iv())
        num, den = r.num('numerator'), r.num('denominator')
        if num.ok:
            f['rate'] = iv_and(f['rate'], num.iv(0.01))
        if den.ok:
            rf = self.rlf(A, Y, b, r.level, ref)
            rf['rate'] = iv_and(rf['rate'], den.iv(0.01))
        lo, hi = r.num('ci_low'), r.num('ci_high')
        if lo.ok and hi.ok:
            s = se_from_limits(lo, hi, Z95)
            if s:
                f['se'].append(s)
        p = r.num('p_value')
        if p.state in ('v', 'lt'):
            f['p'] = p.iv()
        self.own(r, NUMCOLS)

    def funnel_row(self, r, g):
        A, Y, b = r.area, r.year, r.brk
        v = r.num('value')
        self.own(r, ('value', 'denominator'))
        if b == 'not_known_rate':
            self.count(r, 'denominator', (A, Y, 'staff', G_ALL, ''))
            if v.ok:
                self.ratio([(1, (A, Y, 'staff', g, ''))],
                           [(1, (A, Y, 'staff', G_ALL, ''))], v.iv(0.01), 1, r)
            return
        if not b.startswith('relative_likelihood: '):
            return
        brk = b.split(': ', 1)[1]
        if not v.ok:
            return
        f = self.rlf(A, Y, brk, r.level, g)
        f['funnel'] = True
        f['rr'] = iv_and(f['rr'], v.iv())
        s = se_from_limits(r.num('ci_low'), r.num('ci_high'), Z95)
        if s:
            f['se'].append(s)
        mm = re.search(r'99\.8% ([-+0-9.eE]+) to ([-+0-9.eE]+)', r.note)
        if mm and NUM_RE.match(mm.group(1)) and NUM_RE.match(mm.group(2)):
            lo = Num('v', float(mm.group(1)), eps_text(mm.group(1)))
            hi = Num('v', float(mm.group(2)), eps_text(mm.group(2)))
            s = se_from_limits(lo, hi, Z998)
            if s:
                f['se'].append(s)

    def gc_row(self, r, g):
        """A glass ceiling rests on the group's and all declared staff's
        counts at or above the boundary ('above' cells): printed as counts
        in the new format, as shares (%) in the old."""
        A, Y, bd = r.area, r.year, r.brk
        v, a, bl = r.num('value'), r.num('numerator'), r.num('denominator')
        self.own(r, NUMCOLS)
        up_g, up_d = (A, Y, 'above', g, bd), (A, Y, 'above', G_DECL, bd)
        self.groups[(A, Y)].add(g)
        counts = None
        if 'numerator: staff' in r.note:
            counts = True
        elif 'numerator: share' in r.note or '%' in r.note.split(';')[0]:
            counts = False
        if a.ok and bl.ok and counts is None:
            counts = (a.x == int(a.x) and bl.x == int(bl.x) and
                      not (v.ok and abs(v.x - a.x / bl.x) <= v.eps * 2 + 1e-9
                           if bl.x else False))
        if counts:
            self.count(r, 'numerator', up_g)
            self.count(r, 'denominator', up_d)
            return
        self.count(r, None, up_g, implied=True)
        self.count(r, None, up_d, implied=True)
        if a.ok and bl.ok:
            S = lambda grp: (A, Y, 'staff', grp, '')
            self.ratio([(1, up_g)], [(1, up_d)], a.iv(0.01), 4, r)
            self.ratio([(1, S(g)), (-1, up_g)], [(1, S(G_DECL)), (-1, up_d)],
                       bl.iv(0.01), 4, r)
            self.gc.append({'area': A, 'year': Y, 'group': g, 'band': bd,
                            'above': a.iv(0.01), 'below': bl.iv(0.01),
                            'rr': v.iv() if v.ok else None,
                            'src': r.where()})

    def prior_year(self, r):
        m = re.search(r'from (\d{4})', r.note)
        return int(m.group(1)) if m else r.year - 1

    def change_row(self, r, g):
        A, Y = r.area, r.year
        P = self.prior_year(r)
        v, num, den = r.num('value'), r.num('numerator'), r.num('denominator')
        pr = self.prior.setdefault((A, Y), {'year': P, 'groups': {},
                                            'nk': None})
        new = None
        if v.ok and num.ok and den.ok:
            tol = v.eps + num.eps + den.eps + 1e-9
            new = not (abs(v.x - (num.x - den.x)) <= tol * 1.01)
        elif 'share in' in r.note and 'numerator' in r.note:
            new = False
        cell = (A, P, 'staff', g, '')
        decl = (A, P, 'staff', G_DECL, '')
        self.universe.update((cell, decl))
        if new:
            self.count(r, 'numerator', cell)
            self.count(r, 'denominator', decl)
            self.sig[(A, P)][('prior', g)] = num.text
            return
        self.count(r, None, cell, implied=True)
        self.count(r, None, decl, implied=True)
        if v.state == 'c' or not den.ok:
            return
        share = den.iv(0.01)
        pr['groups'][g] = {'share': share, 'p': r.num('p_value').iv(),
                           'src': r.where()}
        self.ratio([(1, cell)], [(1, decl)], share, 5, r)
        self.sig[(A, P)][('prior share', g)] = den.text

    def nk_change_row(self, r, nkrate):
        A, Y = r.area, r.year
        P = self.prior_year(r)
        v, num, den = r.num('value'), r.num('numerator'), r.num('denominator')
        cell = (A, P, 'staff', G_NKP, '')
        allc = (A, P, 'staff', G_ALL, '')
        self.universe.update((cell, allc))
        if num.ok and den.ok:
            self.count(r, 'numerator', cell)
            self.count(r, 'denominator', allc)
            return
        self.count(r, None, cell, implied=True)
        self.count(r, None, allc, implied=True)
        pr = self.prior.setdefault((A, Y), {'year': P, 'groups': {},
                                            'nk': None})
        ivs = []
        rt = nkrate.get((A, Y))
        if v.ok and rt is not None and rt.ok:
            a, b = rt.iv(), v.iv()
            ivs.append(((a[0] - b[1]) / 100.0, (a[1] - b[0]) / 100.0))
        mm = re.search(r'from \d{4} \(([0-9.]+)%\)', r.note)
        if mm:
            x = float(mm.group(1))
            e = eps_text(mm.group(1)) * 1.000001
            ivs.append(((x - e) / 100.0, (x + e) / 100.0))
        rate = None
        for i in ivs:
            rate = iv_and(rate, i)
        if rate is None:
            return
        pr['nk'] = {'rate': rate, 'p': r.num('p_value').iv(),
                    'src': r.where()}
        self.ratio([(1, cell)], [(1, allc)], rate, 5, r)
        self.sig[(A, P)][('prior nk', '')] = '%.12g' % rate[0]

    # -- the areas an area pools
    def children(self):
        """parent -> list of children, for the areas present."""
        if getattr(self, '_children', None) is None:
            self._children = self._children_()
        return self._children

    def _children_(self):
        out = {}
        years = defaultdict(set)
        for (A, Y) in self.groups:
            years[Y].add(A)
        for Y, areas in years.items():
            boroughs = sorted(a for a in areas if self.area_type.get(a) in
                              ('borough', 'local_authority', 'authority'))
            for a in areas:
                t = self.area_type.get(a, '')
                if t == 'region' and boroughs:
                    out[(a, Y)] = boroughs
                elif a == 'E13000001':
                    out[(a, Y)] = [x for x in boroughs if x in INNER_LONDON]
                elif a == 'E13000002':
                    out[(a, Y)] = [x for x in boroughs
                                   if x.startswith('E09') and
                                   x not in INNER_LONDON]
        # keep a pooling only where the shown totals allow it
        for (P, Y), ch in list(out.items()):
            tot = self.shown.get((P, Y, 'staff', G_ALL, ''))
            parts = [self.shown.get((c, Y, 'staff', G_ALL, '')) for c in ch]
            if not ch or (tot and all(parts) and
                          abs(sum(p[0] for p in parts) - tot[0]) >
                          1e-6 + sum(p[1] - p[0] for p in parts) +
                          tot[1] - tot[0]):
                warn('attack: %s is not the sum of the boroughs taken as its '
                     'parts; pooling over it is not used' % P)
                del out[(P, Y)]
        return out

    def relations(self):
        """Equalities every release satisfies by definition, as
        (terms, L, U) with terms [(coef, cell)]."""
        if getattr(self, '_rels', None) is None:
            self._rels = self._relations()
        return self._rels

    def _relations(self):
        U = self.universe
        rels = []

        def add(total, parts):
            cells = [total] + parts
            if all(c in U for c in cells) and parts:
                rels.append(([(1, total)] + [(-1, p) for p in parts], 0, 0))
        staff_years = defaultdict(set)
        for c in U:
            if c[2] == 'staff':
                staff_years[(c[0], c[1])].add(c[3])
        for (A, Y), present in staff_years.items():
            S = lambda g: (A, Y, 'staff', g, '')
            gs = sorted(self.groups.get((A, Y), set()))
            if not gs:
                # a year known only through change rows
                gs = sorted(g for g in present if g not in SPECIAL and
                            g != G_DECL and 'combined' not in g)
            add(S(G_DECL), [S(g) for g in gs])
            add(S(G_ALL), [S(G_DECL), S(G_NK), S(G_PNS)])
            if S(G_NK) not in U and S(G_PNS) not in U:
                add(S(G_ALL), [S(G_DECL), S(G_NKP)])
            add(S(G_NKP), [S(G_NK), S(G_PNS)])
            for g in present:
                mm = re.match(r'All groups other than (.+) combined$', g)
                if mm and S(mm.group(1)) in U:
                    add(S(G_DECL), [S(g), S(mm.group(1))])
            bands = sorted(self.bands.get((A, Y), set()))
            if bands:
                B = lambda g, b: (A, Y, 'band', g, b)
                for b in bands:
                    add(B(G_DECL, b), [B(g, b) for g in gs])
                for g in gs + [G_DECL]:
                    add(S(g), [B(g, b) for b in bands])
            if bands:
                order = sorted(bands, key=band_edge)
                for c in U:
                    if c[2] == 'above' and c[0] == A and c[1] == Y and \
                            c[4] in order:
                        i = order.index(c[4])
                        add(c, [B(c[3], b) for b in order[i:]])
                        # and the group less those is the bands below
                        below = [B(c[3], b) for b in order[:i]]
                        if S(c[3]) in U and all(x in U for x in below):
                            rels.append(([(1, S(c[3])), (-1, c)] +
                                         [(-1, x) for x in below], 0, 0))
            qs = sorted(self.quarts.get((A, Y), set()))
            if qs:
                Q = lambda g, q: (A, Y, 'quart', g, q)
                for q in qs:
                    add(Q(G_DECL, q), [Q(g, q) for g in gs])
                for g in gs + [G_DECL]:
                    add(S(g), [Q(g, q) for q in qs])
        # areas pool their boroughs (not pay quartiles: each area's own)
        byarea = defaultdict(list)
        for c in U:
            if c[2] != 'quart':
                byarea[(c[0], c[1])].append(c)
        for (P, Y), ch in self.children().items():
            for y in {Y, Y - 1}:
                for c in byarea.get((P, y), []):
                    add(c, [(x,) + c[1:] for x in ch])
        # the shortlisted are those at risk of appointment
        for c in U:
            if c[2] == 'risk' and c[4] == APPOINTED:
                add(c, [(c[0], c[1], 'event', c[3], SHORTLISTED)])
        return rels

    def bounds(self):
        """Inequalities: events <= people at risk <= staff (for events
        among staff), as (terms, L, U)."""
        out = []
        for c in self.universe:
            if c[2] == 'event':
                rk = (c[0], c[1], 'risk', c[3], c[4])
                if rk in self.universe:
                    out.append(([(1, rk), (-1, c)], 0, INF))
                if c[4] in STAFF_BASED:
                    st = (c[0], c[1], 'staff', c[3], '')
                    if st in self.universe:
                        out.append(([(1, st), (-1, rk)], 0, INF))
        return out


# --------------------------------------------------------------------------
# Versions: releases of one year hold the same counts for an area unless
# a correction changed them; a reader sees which areas' figures changed.


class Versions:
    def __init__(self, releases):
        self.cls = {}        # (release, area, year) -> class id
        self.members = defaultdict(list)   # class id -> releases
        nxt = 0
        keys = set()
        for r in releases:
            keys.update((a, y) for (a, y) in r.sig)
            keys.update((c[0], c[1]) for c in r.universe)
        for key in sorted(keys):
            classes = []  # (id, merged signature, releases)
            for r in releases:
                s = r.sig.get(key)
                if s is None and not any(1 for c in r.universe
                                         if (c[0], c[1]) == key):
                    continue
                s = s or {}
                for cid, merged, mem in classes:
                    if all(merged.get(k, v) == v for k, v in s.items()):
                        merged.update(s)
                        mem.append(r.no)
                        self.cls[(r.no, key[0], key[1])] = cid
                        break
                else:
                    cid = nxt
                    nxt += 1
                    classes.append((cid, dict(s), [r.no]))
                    self.cls[(r.no, key[0], key[1])] = cid
            for cid, _, mem in classes:
                self.members[cid] = mem

    def v(self, rel, cell):
        return (self.cls[(rel, cell[0], cell[1])],) + cell

    def releases(self, vc):
        return self.members[vc[0]]


# --------------------------------------------------------------------------
# Interval propagation over linear constraints L <= sum a_i x_i <= U


def is_int(vc):
    """A versioned cell (class, area, year, kind, group, breakdown) holds a
    whole number unless it is a pay quartile's (ties are split)."""
    return vc[3] != 'quart'


def is_int_cell(c):
    return c[2] != 'quart'


def tighten(iv, lo, hi, integer):
    if integer:
        lo = math.ceil(lo - 1e-6) if lo > -INF else lo
        hi = math.floor(hi + 1e-6) if hi < INF else hi
    nlo, nhi = max(iv[0], lo), min(iv[1], hi)
    return nlo, nhi


def propagate(cons, iv, integer=is_int_cell, rounds=60):
    """Narrow iv (var -> [lo, hi]) by the constraints; returns the vars
    narrowed and any constraints found infeasible."""
    by_var = defaultdict(list)
    for i, (terms, _, _) in enumerate(cons):
        for _, x in terms:
            by_var[x].append(i)
    changed = set()
    bad = []
    queue = list(range(len(cons)))
    inq = set(queue)
    steps = 0
    while queue and steps < rounds * max(len(cons), 1):
        steps += 1
        i = queue.pop()
        inq.discard(i)
        terms, L, U = cons[i]
        mins, maxs = [], []
        for a, x in terms:
            lo, hi = iv.get(x, (0.0, INF))
            if a > 0:
                mins.append(a * lo)
                maxs.append(a * hi if hi < INF else INF)
            else:
                mins.append(a * hi if hi < INF else -INF)
                maxs.append(a * lo)
        smin, smax = sum(mins), sum(maxs)
        if smin > U + 1e-6 * max(1, abs(U)) or \
                smax < L - 1e-6 * max(1, abs(L)):
            bad.append(i)
            continue
        ninf_min = sum(1 for v in mins if v == -INF)
        ninf_max = sum(1 for v in maxs if v == INF)
        for j, (a, x) in enumerate(terms):
            # a*x <= U - (sum of others' mins); a*x >= L - (others' maxs)
            if ninf_min - (mins[j] == -INF) > 0:
                up = INF
            else:
                rest = smin - mins[j] if ninf_min == 0 else sum(
                    m for k, m in enumerate(mins) if k != j)
                up = U - rest
            if ninf_max - (maxs[j] == INF) > 0:
                dn = -INF
            else:
                rest = smax - maxs[j] if ninf_max == 0 else sum(
                    m for k, m in enumerate(maxs) if k != j)
                dn = L - rest
            if a > 0:
                lo, hi = dn / a, up / a
            else:
                lo, hi = up / a, dn / a
            cur = iv.get(x, (0.0, INF))
            nlo, nhi = tighten(cur, lo, hi, integer(x))
            if nlo > cur[0] + 1e-7 or nhi < cur[1] - 1e-7:
                if nlo > nhi + 1e-6:
                    bad.append(i)
                    continue
                iv[x] = (nlo, max(nlo, nhi))
                changed.add(x)
                for k in by_var[x]:
                    if k not in inq:
                        inq.add(k)
                        queue.append(k)
    return changed, bad


# --------------------------------------------------------------------------
# Candidate (events, people at risk) pairs behind a rate


LIMIT = 400000


def pairs_for_rate(rate, n_lo, n_hi, a_lo=0, a_hi=INF):
    """Every (a, n) with a/n in rate, n_lo <= n <= n_hi; None when there
    are too many to list."""
    n_lo = max(int(n_lo), 1)
    n_hi = int(min(n_hi, 4e6))
    if n_hi < n_lo:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo, hi = rate
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    if (hi - lo) * n_hi > 50 and (n_hi - n_lo) > 2000:
        return None
    ns = np.arange(n_lo, n_hi + 1, dtype=np.int64)
    amin = np.ceil(lo * ns - 1e-9).astype(np.int64)
    amax = np.floor(hi * ns + 1e-9).astype(np.int64)
    amin = np.maximum(amin, int(max(a_lo, 0)))
    if a_hi < INF:
        amax = np.minimum(amax, int(a_hi))
    k = amax - amin + 1
    ok = k > 0
    if not ok.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ns, amin, k = ns[ok], amin[ok], k[ok]
    total = int(k.sum())
    if total > LIMIT:
        return None
    n_out = np.repeat(ns, k)
    starts = np.repeat(np.cumsum(k) - k, k)
    a_out = np.repeat(amin, k) + (np.arange(total) - starts)
    return a_out, n_out


def katz_pairs(a, n, c, m, rr, ses, p):
    """For paired arrays: do (a, n) against (c, m) give the printed ratio,
    intervals and p-value?"""
    a, n, c, m = (np.asarray(v, dtype=float) for v in (a, n, c, m))
    ok = np.ones(a.shape, dtype=bool)
    with np.errstate(divide='ignore', invalid='ignore'):
        r = (a / n) / (c / m)
        if rr is not None:
            ok &= (r >= rr[0] - 1e-12 * abs(rr[0])) & \
                  (r <= rr[1] + 1e-12 * abs(rr[1]))
        if ses or p is not None:
            v = 1.0 / a - 1.0 / n + 1.0 / c - 1.0 / m
            ok &= (a > 0) & (c > 0) & (v > 0)
            se = np.sqrt(np.where(v > 0, v, np.nan))
            for s in ses:
                ok &= (se >= s[0] * (1 - 1e-9) - 1e-12) & \
                      (se <= s[1] * (1 + 1e-9) + 1e-12)
            if p is not None and p[1] > 1e-250:
                pp = 2 * ndtr(-np.abs(np.log(r)) / se)
                ok &= (pp >= p[0] * (1 - 1e-6) - 1e-300) & \
                      (pp <= p[1] * (1 + 1e-6) + 1e-15)
    return ok


def link_group(a, n, c, m, rate, f, cap=4000000):
    """Which (c, m) of the reference and (a, n) of a group fit the group's
    printed ratio, Katz interval and p-value together. Returns boolean
    arrays over the reference's and the group's candidates, or None when
    there are too many pairs to try."""
    order = np.argsort(a, kind='stable')
    a_s, n_s = a[order], n[order]
    ses = f['se']
    cf, mf = c.astype(float), m.astype(float)
    if ses and rate is not None:
        # 1/a - 1/n = (1 - a/n)/a, so the standard error bounds a
        s_lo = max(s[0] for s in ses)
        s_hi = min(s[1] for s in ses)
        base = 1.0 / cf - 1.0 / mf
        q_lo = s_lo * s_lo * (1 - 4e-9) - base
        q_hi = s_hi * s_hi * (1 + 4e-9) + 1e-15 - base
        with np.errstate(divide='ignore', invalid='ignore'):
            amin = np.where(q_hi > 0, (1 - min(rate[1], 1.0)) / q_hi, INF)
            amax = np.where(q_lo > 0, (1 - max(rate[0], 0.0)) / q_lo, INF)
        amin = np.floor(amin * (1 - 1e-6))
        amax = np.ceil(np.minimum(amax * (1 + 1e-6) + 1, 1e12))
        j0 = np.searchsorted(a_s, amin, side='left')
        j1 = np.searchsorted(a_s, amax, side='right')
    else:
        j0 = np.zeros(len(c), dtype=np.int64)
        j1 = np.full(len(c), len(a_s), dtype=np.int64)
    cnt = np.maximum(j1 - j0, 0)
    total = int(cnt.sum())
    if total > cap:
        return None
    ref_ok = np.zeros(len(c), dtype=bool)
    grp_ok = np.zeros(len(a), dtype=bool)
    if total == 0:
        return ref_ok, grp_ok
    ri = np.repeat(np.arange(len(c)), cnt)
    starts = np.repeat(np.cumsum(cnt) - cnt, cnt)
    gj = np.repeat(j0, cnt) + (np.arange(total) - starts)
    ok = katz_pairs(a_s[gj], n_s[gj], c[ri], m[ri], f['rr'], ses, f['p'])
    ref_ok[ri[ok]] = True
    grp_ok[order[gj[ok]]] = True
    return ref_ok, grp_ok


def rl_solve(info, ref, iv_of, nmax):
    """Solve one area's events for one breakdown: info is group -> facts,
    iv_of(kind, group) -> current interval of a count. Returns group ->
    (a interval, n interval), or None when the facts contradict."""
    brk_staff = info.get('_staff_based', False)
    cands = {}
    rates = {}
    for g, f in info.items():
        if g.startswith('_'):
            continue
        rate = f['rate']
        if rate is None and f['rr'] is not None and \
                info.get(ref, {}).get('rate') is not None:
            rate = iv_mul(f['rr'], info[ref]['rate'])
        rates[g] = rate
        a_iv, n_iv, st_iv = iv_of('event', g), iv_of('risk', g), \
            iv_of('staff', g)
        n_hi = min(n_iv[1], st_iv[1] if brk_staff else nmax)
        if n_hi == INF:
            n_hi = nmax
        if rate is None:
            if a_iv[0] == a_iv[1] and n_iv[0] == n_iv[1]:
                cands[g] = (np.array([int(a_iv[0])]), np.array([int(n_iv[0])]))
            continue
        if rate[1] <= 0:
            cands[g] = 'zero'
            continue
        pr = pairs_for_rate(rate, max(n_iv[0], 1), n_hi, a_iv[0], a_iv[1])
        if pr is None:
            continue
        cands[g] = pr
    if ref not in cands or isinstance(cands[ref], str):
        # no reference to pair with: each group's own rate only
        out = {}
        for g, pr in cands.items():
            if isinstance(pr, str):
                out[g] = ((0, 0), None)
            elif len(pr[0]):
                out[g] = ((int(pr[0].min()), int(pr[0].max())),
                          (int(pr[1].min()), int(pr[1].max())))
        return out
    c, m = cands[ref]
    if len(c) == 0:
        return None
    valid_ref = np.ones(len(c), dtype=bool)
    grp_sel = {}
    for g, pr in cands.items():
        if g == ref or isinstance(pr, str):
            continue
        f = info[g]
        if not (f['se'] or f['p'] is not None or f['rr'] is not None):
            continue
        a, n = pr
        if len(a) == 0:
            return None
        res = link_group(a, n, c[valid_ref], m[valid_ref], rates[g], f)
        if res is None:
            continue
        rok, gok = res
        idx = np.nonzero(valid_ref)[0]
        valid_ref[idx[~rok]] = False
        grp_sel[g] = gok
        if not valid_ref.any():
            return None
    # a second pass: each group's pairs against the references left
    for g in list(grp_sel):
        a, n = cands[g]
        res = link_group(a, n, c[valid_ref], m[valid_ref], rates[g], info[g])
        if res is not None:
            grp_sel[g] = res[1]
    out = {ref: ((int(c[valid_ref].min()), int(c[valid_ref].max())),
                 (int(m[valid_ref].min()), int(m[valid_ref].max())))}
    for g, pr in cands.items():
        if g == ref:
            continue
        if isinstance(pr, str):
            out[g] = ((0, 0), None)
            continue
        a, n = pr
        if g in grp_sel:
            a, n = a[grp_sel[g]], n[grp_sel[g]]
        if len(a) == 0:
            return None
        out[g] = ((int(a.min()), int(a.max())), (int(n.min()), int(n.max())))
    return out


def ztest_p(x1, n1, x2, n2):
    x1, n1, x2, n2 = (np.asarray(v, dtype=float) for v in (x1, n1, x2, n2))
    with np.errstate(divide='ignore', invalid='ignore'):
        ph = (x1 + x2) / (n1 + n2)
        z = (x1 / n1 - x2 / n2) / np.sqrt(ph * (1 - ph) * (1 / n1 + 1 / n2))
        return 2 * ndtr(-np.abs(z))


def p_in(pp, p):
    if p is None or p[1] <= 1e-250:
        return np.ones_like(pp, dtype=bool)
    return (pp >= p[0] * (1 - 1e-6) - 1e-300) & \
        (pp <= p[1] * (1 + 1e-6) + 1e-15)


# --------------------------------------------------------------------------
# The attack


class Attack:
    def __init__(self, releases, k):
        self.k = k
        self.rels = releases
        self.V = Versions(releases)
        self.kb = {}              # vcell -> (lo, hi)
        self.route_found = {}     # route -> {vcell: (lo, hi, why)}
        self.route_big = {}       # route -> withheld counts >= k pinned
        self.route_time = {}
        self.problems = []        # contradictions in the published figures
        self.changes = []         # counts shown in two releases, small change
        self.targets = {}
        self.names = {}
        self.solved_rl = {}
        self.shown_small = []     # counts from 1 to k - 1 printed as such
        for r in releases:
            for c, (lo, hi) in sorted(r.shown.items(), key=str):
                if 0 < (lo + hi) / 2 < k:
                    self.shown_small.append((self.V.v(r.no, c), (lo + hi) / 2,
                                             r.shown_src[c]))
        for r in releases:
            self.names.update(r.names)
            for c, src in r.targets.items():
                self.targets.setdefault(self.V.v(r.no, c), src)
            for msg in r.conflicts:
                self.problems.append(msg)

    # -- knowledge
    def known(self, rel, cell):
        """What release rel shows of a cell, with what earlier routes
        found."""
        vc = self.V.v(rel.no, cell)
        return iv_and(rel.shown.get(cell), self.kb.get(vc)) or (0.0, INF)

    def narrowed(self, lo, hi):
        return hi - lo < self.k and lo <= self.k - 1 and hi >= 1

    def found(self, route, vc, lo, hi, why):
        """Record what a route worked out about a count."""
        integer = is_int(vc)
        cur = self.kb.get(vc, (0.0, INF))
        lo, hi = tighten((0.0, INF), lo, hi, integer)
        if lo > cur[1] + 1e-6 or hi < cur[0] - 1e-6:
            self.problems.append(
                'route %d: %s worked out as %s but already known as %s (%s)'
                % (route, self.label(vc), fmt_iv(lo, hi), fmt_iv(*cur), why))
            return
        nlo, nhi = max(lo, cur[0]), min(hi, cur[1])
        if (nlo, nhi) != cur:
            self.kb[vc] = (nlo, nhi)
        if vc in self.targets and lo == hi and lo >= self.k:
            self.route_big.setdefault(route, set()).add(vc)
        if vc in self.targets and self.narrowed(lo, hi):
            rf = self.route_found.setdefault(route, {})
            old = rf.get(vc)
            if old is None or hi - lo < old[1] - old[0]:
                rf[vc] = (lo, hi, why)

    def label(self, vc):
        cls, A, Y, kind, g, b = vc
        rel = ','.join('%d' % x for x in self.V.releases(vc))
        kind_s = KIND_NAME[kind]
        if kind in ('event', 'risk'):
            kind_s += ' (%s)' % b
            b = ''
        return '%s, %s, %s%s, %d, release %s' % (
            self.names.get(A, A), kind_s, g, (', ' + b) if b else '', Y, rel)

    # -- route 1 and 2: rows that print the same figure, rates, Katz
    def route1_shown_elsewhere(self):
        for rel in self.rels:
            for cell, src in rel.targets.items():
                s = rel.shown.get(cell)
                if s is not None:
                    self.found(1, self.V.v(rel.no, cell), s[0], s[1],
                               'shown at %s, withheld at %s' %
                               (rel.shown_src[cell], src))

    def ratio_facts(self, route):
        """Ratios with one count each side: a count from the other."""
        for rel in self.rels:
            for num, den, lo, hi, rt, src in rel.ratios:
                if rt != route or len(num) != 1 or len(den) != 1:
                    continue
                x, y = num[0][1], den[0][1]
                vx, vy = self.V.v(rel.no, x), self.V.v(rel.no, y)
                ix, iy = self.known(rel, x), self.known(rel, y)
                if iy[0] == iy[1] and ix[0] != ix[1]:
                    self.found(route, vx, lo * iy[0], hi * iy[1],
                               'rate at %s times %s' % (src, fmt_iv(*iy)))
                elif ix[0] == ix[1] and iy[0] != iy[1] and lo > 0:
                    self.found(route, vy, ix[0] / hi, ix[1] / lo,
                               'count over the rate at %s' % src)
                elif ix[0] != ix[1] and iy[0] != iy[1] and iy[1] < 1e6:
                    pr = pairs_for_rate((lo, hi), max(iy[0], 1), iy[1],
                                        ix[0], ix[1])
                    if pr is not None and len(pr[0]):
                        self.found(route, vx, pr[0].min(), pr[0].max(),
                                   'fractions equal to the rate at %s' % src)
                        self.found(route, vy, pr[1].min(), pr[1].max(),
                                   'fractions equal to the rate at %s' % src)

    def routes_1_2(self):
        self.route1_shown_elsewhere()
        self.ratio_facts(1)
        self.ratio_facts(2)
        for rel in self.rels:
            for (A, Y, b, lv), d in sorted(rel.rl.items()):
                ref = d['ref'] or default_ref(lv)
                info = {}
                for g, f in d['groups'].items():
                    info[g] = f
                info.setdefault(ref, {'rate': None, 'rr': None, 'se': [],
                                      'p': None, 'withheld': False,
                                      'funnel': False, 'src': None})
                info['_staff_based'] = b in STAFF_BASED

                def iv_of(kind, g, A=A, Y=Y, b=b, rel=rel):
                    if kind == 'staff':
                        return self.known(rel, (A, Y, 'staff', g, ''))
                    return self.known(rel, (A, Y, kind, g, b))
                allst = self.known(rel, (A, Y, 'staff', G_ALL, ''))
                nmax = int(min(max(20 * allst[1], 2000), 3e6)) \
                    if allst[1] < INF else 3000000
                res = rl_solve(info, ref, iv_of, nmax)
                if res is None:
                    self.problems.append(
                        'routes 1-2: no events fit the figures of %s, %s, %d'
                        % (self.names.get(A, A), b, Y))
                    continue
                for g, (a_iv, n_iv) in res.items():
                    f = info.get(g, {})
                    route = 1 if f.get('withheld') and f.get('funnel') else 2
                    why = ('funnel position (the borough\'s ratio and its '
                           'limits) times the reference rate' if route == 1
                           else 'rates, Katz interval and p-value printed')
                    self.found(route, self.V.v(rel.no, (A, Y, 'event', g, b)),
                               a_iv[0], a_iv[1], why)
                    if n_iv is not None:
                        self.found(route,
                                   self.V.v(rel.no, (A, Y, 'risk', g, b)),
                                   n_iv[0], n_iv[1], why)

    # -- route 3 and 4 and 5: propagation over some of the relations
    def propagate_route(self, route, cons_by_rel, why):
        """Propagate each release's constraints (over cells) from what it
        shows and what earlier routes found; record the narrowed."""
        for rel in self.rels:
            cons = cons_by_rel.get(rel.no, [])
            if not cons:
                continue
            iv = {}
            for terms, _, _ in cons:
                for _, x in terms:
                    if x not in iv:
                        iv[x] = self.known(rel, x)
            before = dict(iv)
            changed, bad = propagate(cons, iv)
            for i in bad[:3]:
                self.problems.append('route %d: the figures of %s contradict '
                                     '%s' % (route, rel.no, cons[i]))
            for x in changed:
                if iv[x] != before[x]:
                    self.found(route, self.V.v(rel.no, x), iv[x][0], iv[x][1],
                               why)

    def route3(self):
        cons = {}
        for rel in self.rels:
            ch = rel.children()
            pooled = {P for (P, _) in ch}
            out = []
            for terms, L, U in rel.relations():
                areas = {c[0] for _, c in terms}
                if len(areas) > 1 and areas & pooled:
                    out.append((terms, L, U))
            cons[rel.no] = out
        self.propagate_route(3, cons, 'an area less the other areas pooled '
                             'in it')

    def route4(self):
        cons = {}
        for rel in self.rels:
            out = []
            for gc in rel.gc:
                A, Y, g, bd = gc['area'], gc['year'], gc['group'], gc['band']
                decl = self.known(rel, (A, Y, 'staff', G_DECL, ''))
                grp = self.known(rel, (A, Y, 'staff', g, ''))
                res = gc_solve(gc['above'], gc['below'], gc['rr'], decl, grp)
                if res is None:
                    continue
                sa, da = res[0], res[1]
                why = 'glass-ceiling shares (%s) times the declared staff' % \
                    gc['src']
                self.found(4, self.V.v(rel.no, (A, Y, 'above', g, bd)),
                           sa[0], sa[1], why)
                self.found(4, self.V.v(rel.no, (A, Y, 'above', G_DECL, bd)),
                           da[0], da[1], why)
            for terms, L, U in rel.relations():
                cells = [c for _, c in terms]
                if len({c[0] for c in cells}) == 1 and \
                        all(c[2] in ('band', 'staff', 'above')
                            for c in cells) \
                        and any(c[2] == 'band' for c in cells):
                    out.append((terms, L, U))
            if any(c[2] == 'above' for c in rel.universe):
                cons[rel.no] = out
        self.propagate_route(4, cons, 'glass-ceiling counts at or above a '
                             'boundary, less the bands shown')

    def route5(self):
        for rel in self.rels:
            for (A, Y), pr in sorted(rel.prior.items()):
                self.prior_solve(rel, A, Y, pr)
        cons = {}
        for rel in self.rels:
            out = []
            py = {pr['year'] for pr in rel.prior.values()}
            for terms, L, U in rel.relations():
                if all(c[1] in py and c[1] not in rel.data_years
                       for _, c in terms):
                    out.append((terms, L, U))
            cons[rel.no] = out
        self.propagate_route(5, cons, 'last year\'s counts from the change '
                             'rows, less the groups worked out')

    def prior_solve(self, rel, A, Y, pr):
        P = pr['year']
        gs = pr['groups']
        n_this = self.known(rel, (A, Y, 'staff', G_DECL, ''))
        all_this = self.known(rel, (A, Y, 'staff', G_ALL, ''))
        dcell = (A, P, 'staff', G_DECL, '')
        d_iv = self.known(rel, dcell)
        if not gs and pr['nk'] is None:
            return
        top = d_iv[1] if d_iv[1] < INF else (
            max(4 * all_this[1] + 1000, 5000) if all_this[1] < INF else 2e6)
        top = int(min(top, 3e6))
        ns = np.arange(max(int(d_iv[0]), 1), top + 1, dtype=np.int64)
        counts = {}
        ok = np.ones(len(ns), dtype=bool)
        for g, f in gs.items():
            lo, hi = f['share']
            amin = np.ceil(lo * ns - 1e-9)
            amax = np.floor(hi * ns + 1e-9)
            ok &= amin <= amax
            counts[g] = (amin, amax)
        if not gs:
            ok[:] = True
        idx = np.nonzero(ok)[0]
        if len(idx) > 20000:
            return
        ns = ns[idx]
        counts = {g: (a[idx], b[idx]) for g, (a, b) in counts.items()}
        exact = {g: (a == b) for g, (a, b) in counts.items()}
        keep = np.ones(len(ns), dtype=bool)
        declared_groups = rel.groups.get((A, Y), set())
        if gs and set(gs) >= declared_groups and declared_groups:
            tot = sum(counts[g][0] for g in gs)
            allex = np.all([exact[g] for g in gs], axis=0)
            keep &= ~allex | (tot == ns)
        for g, f in gs.items():
            a_this = self.known(rel, (A, Y, 'staff', g, ''))
            if a_this[0] != a_this[1] or n_this[0] != n_this[1]:
                continue
            pp = ztest_p(a_this[0], n_this[0], counts[g][0], ns)
            keep &= ~exact[g] | p_in(pp, f['p'])
        if not keep.any():
            self.problems.append('route 5: no counts fit last year\'s shares '
                                 'of %s' % self.names.get(A, A))
            return
        ns = ns[keep]
        why = 'last year\'s shares (%s) and p-values of the change rows' % \
            next(iter(gs.values()))['src'] if gs else 'the not-known change'
        if gs:
            self.found(5, self.V.v(rel.no, dcell), ns.min(), ns.max(), why)
            for g in gs:
                a, b = counts[g][0][keep], counts[g][1][keep]
                self.found(5, self.V.v(rel.no, (A, P, 'staff', g, '')),
                           a.min(), b.max(), why)
        nk = pr['nk']
        if nk is not None and len(ns) < 5000:
            lo, hi = nk['rate']
            xs_lo = np.ceil(lo * ns / (1 - lo) - 1e-9)
            xs_hi = np.floor(hi * ns / (1 - hi) + 1e-9)
            cand = []
            nkp_this = self.known(rel, (A, Y, 'staff', G_NKP, ''))
            for n, x0, x1 in zip(ns, xs_lo, xs_hi):
                for x in range(int(x0), int(x1) + 1):
                    if nkp_this[0] == nkp_this[1] and \
                            all_this[0] == all_this[1]:
                        pp = ztest_p(nkp_this[0], all_this[0], x, n + x)
                        if not p_in(np.array([pp]), nk['p'])[0]:
                            continue
                    cand.append((x, n + x))
                    if len(cand) > 20000:
                        return
            if cand:
                xs = [c[0] for c in cand]
                al = [c[1] for c in cand]
                w = 'last year\'s not-known rate and p-value (%s)' % nk['src']
                self.found(5, self.V.v(rel.no, (A, P, 'staff', G_NKP, '')),
                           min(xs), max(xs), w)
                self.found(5, self.V.v(rel.no, (A, P, 'staff', G_ALL, '')),
                           min(al), max(al), w)

    # -- route 6: corrections
    def route6(self):
        # a count shown in one release and withheld in another that holds
        # the same figures for the area
        for rel in self.rels:
            for cell, src in rel.targets.items():
                vc = self.V.v(rel.no, cell)
                for other in self.rels:
                    if other is rel or other.no not in self.V.releases(vc):
                        continue
                    s = other.shown.get(cell)
                    if s is not None:
                        self.found(6, vc, s[0], s[1], 'shown in release %d '
                                   '(%s), withheld in release %d (%s)' % (
                                       other.no, other.shown_src[cell],
                                       rel.no, src))
        # differences between releases of a year: the areas whose figures
        # changed, their totals' changes less the parts that did not
        by_year = defaultdict(list)
        for rel in self.rels:
            for y in rel.data_years:
                by_year[y].append(rel)
        for y, rels in by_year.items():
            for i in range(len(rels)):
                for j in range(i + 1, len(rels)):
                    self.small_changes(rels[i], rels[j], y)
                    self.difference(rels[i], rels[j], y)

    def small_changes(self, r1, r2, year):
        """Counts known exactly in two releases (shown, or worked out by
        the routes before) that changed by 1 to k - 1: the difference
        counts people a correction moved, and tells what else is true of
        them (their band, quartile, events)."""
        for c in sorted(r1.universe & r2.universe, key=str):
            if c[1] != year:
                continue
            i1, i2 = self.known(r1, c), self.known(r2, c)
            if i1[0] != i1[1] or i2[0] != i2[1]:
                continue
            d = i2[0] - i1[0]
            if 0 < abs(d) < self.k:
                s1 = r1.shown_src.get(c, 'worked out')
                s2 = r2.shown_src.get(c, 'worked out')
                self.changes.append((r1.no, r2.no, c, d, s1, s2))

    def difference(self, r1, r2, year):
        changed = {a for (rno, a, yy), c in self.V.cls.items()
                   if rno == r1.no and yy == year and
                   self.V.cls.get((r2.no, a, yy)) != c}
        if not changed:
            return
        rel1 = {tuple(sorted(t)): (t, L, U) for t, L, U in r1.relations()}
        cons = []
        dvars = {}
        for key, (t, L, U) in rel1.items():
            if not any(c[0] in changed and c[1] == year for _, c in t):
                continue
            if not all(c in r2.universe for _, c in t):
                continue
            terms = []
            for a, c in t:
                if c[0] in changed and c[1] == year:
                    terms.append((a, ('d',) + c))
                    dvars[('d',) + c] = c
            cons.append((terms, 0, 0))
        iv = {}
        for dv, c in dvars.items():
            i1, i2 = self.known(r1, c), self.known(r2, c)
            lo = i2[0] - i1[1] if i1[1] < INF else -INF
            hi = i2[1] - i1[0] if i2[1] < INF else INF
            iv[dv] = (lo, hi)
        _, bad = propagate(cons, iv, integer=lambda x: x[3] != 'quart')
        if bad:
            self.problems.append('route 6: the changes between releases %d '
                                 'and %d do not add up' % (r1.no, r2.no))
            return
        for dv, c in dvars.items():
            d = iv[dv]
            if d[1] - d[0] >= self.k:
                continue
            i1, i2 = self.known(r1, c), self.known(r2, c)
            why = 'release %d less the change since release %d, %s, worked ' \
                'out from the totals that changed' % (r2.no, r1.no, fmt_iv(*d))
            self.found(6, self.V.v(r1.no, c), i2[0] - d[1], i2[1] - d[0], why)
            why = 'release %d plus the change to release %d, %s' % (
                r1.no, r2.no, fmt_iv(*d))
            self.found(6, self.V.v(r2.no, c), i1[0] + d[0], i1[1] + d[1], why)

    # -- route 7: the linear programme
    def route7(self, budget=70.0):
        t0 = time.time()
        cons = {}

        def addc(terms, L, U):
            d = defaultdict(float)
            for a, x in terms:
                d[x] += a
            t = tuple(sorted((x, a) for x, a in d.items() if a != 0))
            if not t:
                return
            key = (t, L, U)
            cons[key] = 1
        for rel in self.rels:
            V = lambda c, rel=rel: self.V.v(rel.no, c)
            for terms, L, U in rel.relations() + rel.bounds():
                addc([(a, V(c)) for a, c in terms], L, U)
            for num, den, lo, hi, _, _ in rel.ratios:
                # lo*den <= num <= hi*den, a little wider: a rate printed
                # to 10 digits is a slab too thin for the solver's
                # tolerances (it calls the true figures infeasible)
                lo, hi = lp_widen(lo, hi)
                addc([(a, V(c)) for a, c in num] +
                     [(-hi * a, V(c)) for a, c in den], -INF, 0)
                addc([(a, V(c)) for a, c in num] +
                     [(-lo * a, V(c)) for a, c in den], 0, INF)
            for (A, Y, b, lv), d in rel.rl.items():
                ref = d['ref'] or default_ref(lv)
                rr = d['groups'].get(ref, {}).get('rate')
                for g, f in d['groups'].items():
                    rate = f['rate']
                    if rate is None and f['rr'] is not None and \
                            rr is not None and g != ref:
                        rate = iv_mul(f['rr'], rr)
                    if rate is None:
                        continue
                    rate = lp_widen(*rate)
                    num = [(1, V((A, Y, 'event', g, b)))]
                    den = V((A, Y, 'risk', g, b))
                    addc(num + [(-rate[1], den)], -INF, 0)
                    addc(num + [(-rate[0], den)], 0, INF)
        # known values
        fixed = {}
        for rel in self.rels:
            for c, s in rel.shown.items():
                vc = self.V.v(rel.no, c)
                fixed[vc] = iv_and(fixed.get(vc), s)
        bnd = {}
        for vc, s in self.kb.items():
            bnd[vc] = s
        for vc, s in fixed.items():
            bnd[vc] = iv_and(bnd.get(vc), s)
        rows = []
        for (t, L, U) in cons:
            const_lo = const_hi = 0.0
            terms = []
            for x, a in t:
                b = bnd.get(x, (0.0, INF))
                if b[0] == b[1]:
                    const_lo += a * b[0]
                    const_hi += a * b[0]
                else:
                    terms.append((x, a))
            if not terms:
                continue
            rows.append((terms, L - const_lo, U - const_hi))
        # blocks
        parent = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        for terms, _, _ in rows:
            r0 = find(terms[0][0])
            for x, _ in terms[1:]:
                rx = find(x)
                if rx != r0:
                    parent[rx] = r0
        blocks = defaultdict(list)
        for i, (terms, _, _) in enumerate(rows):
            blocks[find(terms[0][0])].append(i)
        stats = {'blocks': 0, 'lps': 0, 'vars': 0, 'timeout': False}
        order = sorted(blocks.values(), key=len)
        for idx in order:
            if time.time() - t0 > budget:
                stats['timeout'] = True
                break
            self.lp_block([rows[i] for i in idx], bnd, stats, t0, budget)
        self.lp_stats = stats

    def lp_block(self, rows, bnd, stats, t0, budget):
        vars_ = sorted({x for terms, _, _ in rows for x, _ in terms})
        want = [x for x in vars_ if x in self.targets and
                not (bnd.get(x, (0, INF))[0] == bnd.get(x, (0, INF))[1])]
        if not want:
            return
        pos = {x: i for i, x in enumerate(vars_)}
        nv = len(vars_)
        eq_r, eq_c, eq_v, beq = [], [], [], []
        ub_r, ub_c, ub_v, bub = [], [], [], []
        for terms, L, U in rows:
            if L == U:
                i = len(beq)
                for x, a in terms:
                    eq_r.append(i)
                    eq_c.append(pos[x])
                    eq_v.append(a)
                beq.append(L)
                continue
            if U < INF:
                i = len(bub)
                for x, a in terms:
                    ub_r.append(i)
                    ub_c.append(pos[x])
                    ub_v.append(a)
                bub.append(U)
            if L > -INF:
                i = len(bub)
                for x, a in terms:
                    ub_r.append(i)
                    ub_c.append(pos[x])
                    ub_v.append(-a)
                bub.append(-L)
        A_eq = coo_matrix((eq_v, (eq_r, eq_c)), shape=(len(beq), nv)).tocsr() \
            if beq else None
        A_ub = coo_matrix((ub_v, (ub_r, ub_c)), shape=(len(bub), nv)).tocsr() \
            if bub else None
        bounds = []
        for x in vars_:
            b = bnd.get(x, (0.0, INF))
            bounds.append((b[0], None if b[1] == INF else b[1]))
        stats['blocks'] += 1
        stats['vars'] += nv
        seen_lo = np.full(nv, INF)
        seen_hi = np.full(nv, -INF)

        def solve(cvec):
            stats['lps'] += 1
            res = linprog(cvec, A_ub=A_ub, b_ub=np.array(bub) if bub else None,
                          A_eq=A_eq, b_eq=np.array(beq) if beq else None,
                          bounds=bounds, method='highs')
            if res.status == 0:
                np.minimum(seen_lo, res.x, out=seen_lo)
                np.maximum(seen_hi, res.x, out=seen_hi)
            return res
        res = solve(np.zeros(nv))
        if res.status == 2:
            self.problems.append('route 7: the published figures of a block '
                                 'of %d counts have no solution (e.g. %s)' %
                                 (nv, self.label(vars_[0])))
            return
        if res.status != 0:
            return
        wi = np.array([pos[x] for x in want])
        rng = np.random.default_rng(1)
        for _ in range(2):
            c = np.zeros(nv)
            c[wi] = rng.uniform(0.5, 1.5, len(wi))
            solve(c)
            solve(-c)
        for x in want:
            if time.time() - t0 > budget:
                stats['timeout'] = True
                return
            i = pos[x]
            if seen_hi[i] - seen_lo[i] >= self.k + 1e-6:
                continue
            c = np.zeros(nv)
            c[i] = 1
            r1 = solve(c)
            if r1.status != 0:
                continue
            lo = r1.fun
            if math.ceil(lo - 1e-6) >= self.k:
                continue
            if seen_hi[i] - lo >= self.k + 1e-6:
                continue
            r2 = solve(-c)
            if r2.status == 3:
                continue
            if r2.status != 0:
                continue
            hi = -r2.fun
            self.found(7, x, lo - 1e-7, hi + 1e-7,
                       'linear programme over everything published')


def lp_widen(lo, hi):
    return (lo - 1e-7 * abs(lo) - 1e-12, hi + 1e-7 * abs(hi) + 1e-12)


def band_edge(label):
    if label.strip().startswith('<'):
        return -1
    m = re.search(r'([0-9][0-9,]*)', label)
    return int(m.group(1).replace(',', '')) if m else 10 ** 9


def gc_solve(above, below, rr, decl, grp):
    """(group above, declared above, group below, declared below) from the
    two shares of a glass-ceiling row, as intervals; None when unknown."""
    if decl[1] == INF:
        return None
    d_lo, d_hi = int(decl[0]), int(decl[1])
    if d_hi - d_lo > 1000 or d_hi > 3e6:
        return None
    sa_all, da_all, sb_all, db_all = [], [], [], []
    for D in range(d_lo, d_hi + 1):
        da = np.arange(0, D + 1, dtype=np.int64)
        db = D - da
        with np.errstate(divide='ignore', invalid='ignore'):
            sa_min = np.ceil(above[0] * da - 1e-9)
            sa_max = np.floor(above[1] * da + 1e-9)
            sb_min = np.ceil(below[0] * db - 1e-9)
            sb_max = np.floor(below[1] * db + 1e-9)
        ok = (sa_min <= sa_max) & (sb_min <= sb_max) & (da > 0) & (db > 0)
        if grp[1] < INF:
            ok &= (sa_min + sb_min <= grp[1]) & (sa_max + sb_max >= grp[0])
        idx = np.nonzero(ok)[0]
        if len(idx) == 0:
            continue
        if len(idx) > 5000 or np.any(sa_max[idx] - sa_min[idx] > 50):
            return None
        for i in idx:
            for sa in range(int(sa_min[i]), int(sa_max[i]) + 1):
                for sb in range(int(sb_min[i]), int(sb_max[i]) + 1):
                    if grp[1] < INF and not (grp[0] <= sa + sb <= grp[1]):
                        continue
                    if rr is not None and sb > 0:
                        r = (sa / da[i]) / (sb / db[i])
                        if not (rr[0] - 1e-12 <= r <= rr[1] + 1e-12):
                            continue
                    sa_all.append(sa)
                    da_all.append(int(da[i]))
                    sb_all.append(sb)
                    db_all.append(int(db[i]))
                    if len(sa_all) > 200000:
                        return None
    if not sa_all:
        return None
    return ((min(sa_all), max(sa_all)), (min(da_all), max(da_all)),
            (min(sb_all), max(sb_all)), (min(db_all), max(db_all)))


# --------------------------------------------------------------------------
# Truth


class Truth:
    """The unprotected tables: the count behind every cell."""

    def __init__(self, paths):
        self.tables = []   # (path, year, values: cell -> value)
        for p in paths:
            rows = read_table(p, 0)
            if rows is None:
                warn('attack: %s is not a tidy table' % p)
                continue
            rel = Release(0, rows)
            att = Attack([rel], 10)
            att.routes_1_2()
            vals = {}
            for c, s in rel.shown.items():
                vals[c] = s[0] if s[0] == s[1] else None
            for vc, (lo, hi) in att.kb.items():
                c = vc[1:]
                if c not in vals and lo == hi:
                    vals[c] = lo
            # counts the table rests on but does not print (the glass
            # ceiling's counts above a boundary): from the relations
            for _ in range(3):
                for terms, L, U in rel.relations():
                    miss = [(a, c) for a, c in terms if vals.get(c) is None]
                    if len(miss) == 1 and L == U:
                        a, c = miss[0]
                        rest = sum(b * vals[x] for b, x in terms if x != c)
                        vals[c] = (L - rest) / a
            years = {c[1] for c in rel.shown if c[2] == 'staff'}
            years = {y for y in years if any(
                r.measure == 'staff_count' and r.year == y for r in rows)}
            self.tables.append((p, years, vals, rel))

    def check_relations(self):
        """Every relation the harness assumes must hold on the truth."""
        bad = []
        for p, _, vals, rel in self.tables:
            for terms, L, U in rel.relations():
                xs = [vals.get(c) for _, c in terms]
                if any(x is None for x in xs):
                    continue
                s = sum(a * x for (a, _), x in zip(terms, xs))
                if not (L - 1e-6 <= s <= U + 1e-6):
                    bad.append('%s: %s' % (p, [(a, c, vals.get(c))
                                               for a, c in terms]))
        return bad

    def mapping(self, releases):
        """(release, year) -> truth values, choosing for each the truth
        file of that year that agrees best with what the release shows."""
        out = {}
        for rel in releases:
            years = {c[1] for c in rel.universe}
            for y in years:
                best = None
                for p, ty, vals, _ in self.tables:
                    if y not in ty:
                        continue
                    agree = conflict = 0
                    for c, s in rel.shown.items():
                        if c[1] != y:
                            continue
                        t = vals.get(c)
                        if t is None:
                            continue
                        if s[0] - 1e-6 <= t <= s[1] + 1e-6:
                            agree += 1
                        else:
                            conflict += 1
                    score = (-conflict, agree)
                    if best is None or score > best[0]:
                        best = (score, p, vals)
                if best is not None:
                    out[(rel.no, y)] = (best[1], best[2])
        return out


# --------------------------------------------------------------------------
# Report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('site')
    ap.add_argument('--truth', nargs='+', default=[])
    ap.add_argument('--k', type=int, default=10)
    ap.add_argument('--json')
    ap.add_argument('--expect-none', action='store_true',
                    help='exit 1 when any count from 1 to k - 1 is recovered '
                    'or printed')
    ap.add_argument('--expect-some', type=int)
    ap.add_argument('--examples', type=int, default=6,
                    help='examples printed per route')
    ap.add_argument('--routes', default='1,2,3,4,5,6,7',
                    help='the routes to run, e.g. 7 for the linear '
                    'programme alone (routes 1 and 2 run together)')
    ap.add_argument('--lp-budget', type=float, default=70.0,
                    help='seconds for the linear programme (route 7)')
    args = ap.parse_args()
    t_start = time.time()
    if not os.path.isdir(args.site):
        warn('attack: %s is not a directory' % args.site)
        return 3
    files = discover(args.site)
    byrel = defaultdict(list)
    nfiles = 0
    for no, path in files:
        rows = read_table(path, no, args.site)
        if rows:
            byrel[no].extend(rows)
            nfiles += 1
    releases = [Release(no, rows) for no, rows in sorted(byrel.items())]
    releases = [r for r in releases if r.universe]
    if not releases:
        warn('attack: no workforce figures under %s' % args.site)
        return 3
    att = Attack(releases, args.k)
    try:
        wanted = {int(x) for x in args.routes.split(',') if x.strip()}
    except ValueError:
        warn('attack: --routes takes numbers from 1 to 7, e.g. 1,2,7')
        return 3
    for no, fn in [(1, att.routes_1_2), (3, att.route3), (4, att.route4),
                   (5, att.route5), (6, att.route6),
                   (7, lambda: att.route7(args.lp_budget))]:
        if no not in wanted and not (no == 1 and 2 in wanted):
            continue
        t = time.time()
        fn()
        att.route_time[no] = time.time() - t
    k = args.k

    truth = None
    tmap = {}
    harness_bugs = []
    if args.truth:
        truth = Truth(args.truth)
        tmap = truth.mapping(releases)
        for msg in truth.check_relations()[:10]:
            harness_bugs.append('relation false on the truth: ' + msg)

    def truth_of(vc):
        vals = set()
        for rno in att.V.releases(vc):
            m = tmap.get((rno, vc[2]))
            if m is None:
                continue
            t = m[1].get(vc[1:])
            if t is not None:
                vals.add(t)
        if len(vals) > 1:
            harness_bugs.append('releases %s taken as holding the same '
                                'figures differ in the truth for %s: %s' % (
                                    att.V.releases(vc), att.label(vc),
                                    sorted(vals)))
            return None
        return vals.pop() if vals else None

    print('parity attack harness: %s' % args.site)
    print('  %d files in %d release(s): %s; %d rows; %d withheld or '
          'unpublished counts' % (
              nfiles, len(releases),
              ', '.join('%d' % r.no for r in releases),
              sum(len(r.rows) for r in releases), len(att.targets)))
    if truth:
        print('  truth: %s' % ', '.join(
            '%s for release %d, %d' % (os.path.basename(p), rno, y)
            for (rno, y), (p, _) in sorted(tmap.items())))
    report = {'site': args.site, 'k': k, 'routes': [], 'recovered': 0}
    all_found = {}
    for no, title in ROUTES:
        found = att.route_found.get(no, {})
        prev = set(all_found)
        exact = sum(1 for lo, hi, _ in found.values() if lo == hi)
        new = [vc for vc in found if vc not in prev]
        for vc, v in found.items():
            old = all_found.get(vc)
            if old is None or v[1] - v[0] < old[1] - old[0]:
                all_found[vc] = v
        big = len(att.route_big.get(no, ()))
        line = 'route %d, %s: narrowed %d (%d exact, %d not found by an ' \
               'earlier route; %d counts of %d or more pinned too) in ' \
               '%.1f s' % (no, title, len(found), exact, len(new), big, k,
                           att.route_time.get(no, 0))
        entry = {'route': no, 'title': title, 'narrowed': len(found),
                 'exact': exact, 'new': len(new), 'pinned_k_or_more': big,
                 'examples': []}
        if truth:
            checked = correct = small = 0
            for vc, (lo, hi, why) in found.items():
                t = truth_of(vc)
                if t is None:
                    continue
                checked += 1
                if lo - 1e-6 <= t <= hi + 1e-6:
                    correct += 1
                    if 1 <= t <= k - 1:
                        small += 1
                else:
                    harness_bugs.append(
                        'route %d: %s worked out as %s but the truth is %g '
                        '(%s)' % (no, att.label(vc), fmt_iv(lo, hi), t, why))
            line += '; truth: %d checked, %d correct, %d truly 1..%d' % (
                checked, correct, small, k - 1)
            entry.update(checked=checked, correct=correct, truly_small=small)
        if no == 7 and getattr(att, 'lp_stats', None):
            st = att.lp_stats
            line += ' [%d blocks, %d variables, %d programmes%s]' % (
                st['blocks'], st['vars'], st['lps'],
                ', stopped at the time budget' if st['timeout'] else '')
        print(line)
        ex = sorted(found.items(), key=lambda kv: (kv[1][1] - kv[1][0],
                                                  kv[0][1:], kv[0][0]))
        shown_ex = [kv for kv in ex if kv[0] in new][:args.examples] or \
            ex[:args.examples]
        for vc, (lo, hi, why) in shown_ex:
            t = truth_of(vc) if truth else None
            print('    %s: %s%s' % (att.label(vc), fmt_iv(lo, hi),
                                   ' (truth %g)' % t if t is not None else ''))
            print('        by %s' % why)
        for vc, (lo, hi, why) in ex:
            entry['examples'].append({
                'area': att.names.get(vc[1], vc[1]), 'area_code': vc[1],
                'measure': KIND_NAME[vc[3]], 'group': vc[4],
                'breakdown': vc[5], 'year': vc[2],
                'releases': att.V.releases(vc), 'interval': [lo, hi],
                'how': why})
        if no == 6 and att.changes:
            print('    and %d counts known exactly in two releases of a year '
                  'differ by 1 to %d (the people a correction moved; not '
                  'counted above), e.g.' % (len(att.changes), k - 1))
            for r1, r2, c, d, s1, s2 in sorted(
                    att.changes, key=lambda x: (x[2][2] not in
                                                ('event', 'quart'),
                                                str(x[2])))[:args.examples]:
                print('    %s: %+g from release %d to %d (%s, %s)' % (
                    att.label(att.V.v(r2, c)).rsplit(', release', 1)[0], d,
                    r1, r2, s1, s2))
            entry['small_changes'] = [
                {'area': att.names.get(c[0], c[0]), 'measure': KIND_NAME[c[2]],
                 'group': c[3], 'breakdown': c[4], 'year': c[1],
                 'releases': [r1, r2], 'change': d}
                for r1, r2, c, d, _, _ in att.changes]
        report['routes'].append(entry)
    final = {}
    for vc in att.targets:
        iv = att.kb.get(vc)
        if iv and att.narrowed(*iv) and vc in all_found:
            final[vc] = iv
    n = len(final)
    report['recovered'] = n
    bykind = defaultdict(lambda: [0, 0])
    for vc, iv in final.items():
        bykind[KIND_NAME[vc[3]]][0] += 1
        bykind[KIND_NAME[vc[3]]][1] += iv[0] == iv[1]
    if final:
        print('by count: ' + ', '.join('%s %d (%d exact)' % (kd, a, b) for
                                      kd, (a, b) in sorted(bykind.items())))
    report['by_count'] = {kd: {'narrowed': a, 'exact': b}
                          for kd, (a, b) in bykind.items()}
    if truth:
        correct = sum(1 for vc, iv in final.items()
                      if (lambda t: t is not None and iv[0] - 1e-6 <= t <=
                          iv[1] + 1e-6)(truth_of(vc)))
        small = sum(1 for vc in final
                    if (lambda t: t is not None and 1 <= t <= k - 1)(
                        truth_of(vc)))
        print('all routes: %d counts narrowed below %d; truth: %d correct, '
              '%d truly 1..%d' % (n, k, correct, small, k - 1))
        report.update(correct=correct, truly_small=small)
    for msg in att.problems[:20]:
        print('PROBLEM: ' + msg)
    if len(att.problems) > 20:
        print('PROBLEM: ... %d more' % (len(att.problems) - 20))
    for msg in harness_bugs[:30]:
        print('HARNESS BUG: ' + msg)
        print('HARNESS BUG: ' + msg, file=sys.stderr)
    if len(harness_bugs) > 30:
        print('HARNESS BUG: ... %d more' % (len(harness_bugs) - 30))
    small_shown = {}
    for vc, v, src in att.shown_small:
        small_shown.setdefault(vc, (v, src))
    for vc, (v, src) in sorted(small_shown.items(), key=str)[:10]:
        print('SHOWN: %s is printed as %g at %s' % (att.label(vc), v, src))
    print('shown: %d counts from 1 to %d printed as they are' % (
        len(small_shown), k - 1))
    report['shown_small'] = len(small_shown)
    report['problems'] = att.problems
    report['harness_bugs'] = harness_bugs
    report['seconds'] = round(time.time() - t_start, 1)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=1, default=str)
    print('time: %.1f s' % (time.time() - t_start))
    print('recovered: %d' % n)
    if harness_bugs:
        return 2
    if args.expect_none and (n > 0 or small_shown):
        return 1
    if args.expect_some is not None and n < args.expect_some:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
