"""Is a published site whole? Used by the publish-interrupted case.

  whole.py snapshot SITE > FILE   the files a reader reaches, with hashes
  whole.py check SITE FILE        one line: "whole: release 1, unchanged"
                                  (the site as in FILE), "whole: release
                                  2, complete", or what is wrong

A reader's files are those reached from SITE through its links (hidden
names and the copies under top/ and current/ themselves left out: they
are reached through the links). Whole means: no broken link; releases.json
reads, and every release it lists is there; index.html shows the latest
release; every relative link on every page leads to a file; and the site
is either exactly as it was (FILE) or the new release entirely (every file
its manifest lists is there, in the release and at the top level). A
release killed in the moment between being put in place and going live is
left complete but not listed (parity then refuses to guess whether it was
ever live): such a release, whole, is not a change to the live site.
"""
import hashlib
import json
import os
import re
import sys
from urllib.parse import unquote, urldefrag


def files(site):
    out = {}
    for root, dirs, names in os.walk(site, followlinks=True):
        rel = os.path.relpath(root, site)
        dirs[:] = sorted(d for d in dirs if not d.startswith('.') and
                         not (rel == '.' and d in ('top', 'current')))
        for n in sorted(names):
            if n.startswith('.'):
                continue
            p = os.path.join(root, n)
            with open(p, 'rb') as f:
                out[os.path.normpath(os.path.relpath(p, site))] = \
                    hashlib.sha256(f.read()).hexdigest()
    return out


def complete(site, where):
    d = os.path.join(site, where)
    try:
        with open(os.path.join(d, '.parity-manifest')) as f:
            return all(os.path.isfile(os.path.join(d, line))
                       for line in f.read().split('\n') if line)
    except OSError:
        return False


def check(site, before):
    problems = []
    for root, dirs, names in os.walk(site):
        for n in dirs + names:
            p = os.path.join(root, n)
            if os.path.islink(p) and not os.path.exists(p):
                problems.append('broken link ' + os.path.relpath(p, site))
    try:
        with open(os.path.join(site, 'releases.json')) as f:
            rel = json.load(f)
        latest = rel['latest']
        listed = [r['release'] for r in rel['releases']]
    except (OSError, ValueError, KeyError) as e:
        return 'NOT WHOLE: releases.json: %s' % e
    if latest not in listed:
        problems.append('latest %s not listed' % latest)
    for n in listed:
        if not os.path.isdir(os.path.join(site, 'releases', str(n))):
            problems.append('release %d listed but missing' % n)
    now = files(site)
    for name in os.listdir(os.path.join(site, 'releases')):
        if name.isdigit() and int(name) not in listed and \
                complete(site, 'releases/' + name) and \
                complete(site, 'top/' + name):
            now = {k: v for k, v in now.items()
                   if not k.startswith('releases/%s/' % name)}
    try:
        with open(os.path.join(site, 'index.html'), encoding='utf-8') as f:
            if 'Release %d:' % latest not in f.read():
                problems.append('index.html does not show release %d'
                                % latest)
    except OSError as e:
        problems.append('index.html: %s' % e)
    for page in now:
        if not page.endswith('.html'):
            continue
        with open(os.path.join(site, page), encoding='utf-8') as f:
            text = f.read()
        for href in set(re.findall(r'href="([^"]+)"', text)):
            if href.startswith(('http:', 'https:', 'mailto:', 'data:', '#')):
                continue
            target = os.path.normpath(os.path.join(
                os.path.dirname(page), unquote(urldefrag(href)[0])))
            if target.startswith('..') or \
                    not os.path.exists(os.path.join(site, target)):
                problems.append('%s: broken link %s' % (page, href))
    if latest == 1:
        if now != before:
            changed = sorted(set(now) ^ set(before) |
                             {k for k in now if before.get(k) != now[k]})
            problems.append('release 1 changed: %d files (%s)'
                            % (len(changed), ', '.join(changed[:4])))
        state = 'release 1, unchanged'
    else:
        for where in ('releases/%d' % latest, 'top/%d' % latest):
            d = os.path.join(site, where)
            with open(os.path.join(d, '.parity-manifest')) as f:
                for line in f.read().split('\n'):
                    if line and not os.path.isfile(os.path.join(d, line)):
                        problems.append('%s/%s missing' % (where, line))
        state = 'release %d, complete' % latest
    if problems:
        return 'NOT WHOLE: ' + '; '.join(problems[:5])
    return 'whole: ' + state


if __name__ == '__main__':
    if sys.argv[1] == 'snapshot':
        json.dump(files(sys.argv[2]), sys.stdout, indent=0, sort_keys=True)
    else:
        with open(sys.argv[3]) as f:
            print(check(sys.argv[2], json.load(f)))
