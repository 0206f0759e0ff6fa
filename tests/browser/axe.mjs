// axe.mjs - load pages of a published site in headless Chromium at two
// widths, a desktop's (1280 px) and a phone's (375 px), take screenshots,
// and check each page with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA).
// Exit status 1 when:
//   - a page has any violation at all, of any impact, at either width
//     (scrollable-region-focusable included);
//   - any text of a chart shown is smaller than 14 px as drawn (its font
//     size times the scale the SVG is drawn at);
//   - two names on a funnel plot overlap as drawn, or a borough drawn on
//     one has no name (or number) beside it;
//   - a table's caption runs off the screen.
// A page marked `optional` is checked when the site has it (pages other
// work adds); adding a page is one line of `pages`. A page's `shows`
// lists text it must have (a heading or a group's name): its breakdowns
// are there to be checked, not left out.
//
// Screenshots go to OUTPUT_DIR: NAME-1280.png and NAME-375.png (the whole
// page), and NAME-1280-screen.png and NAME-375-screen.png (one screen, at
// the page's first chart if it has one).
//
// Usage: node tests/browser/axe.mjs SITE_DIR OUTPUT_DIR CHROMIUM
// Modules come from web/node_modules (installed by the build). The site is
// served by a small static server on 127.0.0.1, as the hub's server will
// serve it, so that axe can read the stylesheet (file:// would block it).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import http from 'node:http';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'web', 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [site, out, executablePath] = process.argv.slice(2);
const pages = [
  { name: 'overview', file: 'index.html' },
  { name: 'borough-brent', file: 'boroughs/brent.html', print: true,
    shows: ['By sex', 'Black Caribbean'] },
  { name: 'comparison-relative-likelihood', file: 'measures/relative-likelihood.html' },
  { name: 'measure-not-known', file: 'measures/not-known.html' },
  { name: 'service-youth-justice', file: 'services/youth-justice.html' },
  { name: 'service-borough-stop-and-search', file: 'services/stop-and-search/brent.html' },
  { name: 'attainment', file: 'attainment.html' },
  { name: 'attainment-borough', file: 'attainment/brent.html' },
  { name: 'standard', file: 'standard.html' },
  { name: 'standard-framework', file: 'standard/racial-equality-standard.html' },
  { name: 'practice', file: 'practice/index.html' },
  { name: 'practice-record', file: 'practice/1.html' },
  { name: 'practice-tag', file: 'practice/tag/mentoring.html' },
  { name: 'practice-area', file: 'practice/area/hr.html' },
  { name: 'race-matters-archive', file: 'race-matters/index.html' },
  { name: 'race-matters-issue', file: `race-matters/2000-01-01-to-${new Date().toISOString().slice(0, 10)}.html` },
  { name: 'methodology', file: 'methodology.html' },
  { name: 'corrections', file: 'corrections.html' },
];
const widths = [1280, 375];
// AXE_PAGES=overview,borough-brent checks only those (while working on them)
const only = process.env.AXE_PAGES ? process.env.AXE_PAGES.split(',') : null;
// the smallest text a chart may have, as drawn, in CSS pixels
const minChartText = 14;
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css',
  '.json': 'application/json', '.csv': 'text/csv', '.png': 'image/png' };
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(site, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
  fs.readFile(file.endsWith('/') ? path.join(file, 'index.html') : file, (err, data) => {
    if (err) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(data);
  });
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
let failed = 0;

// In the page: every chart shown (a chart is drawn twice, for wide and
// narrow screens, and one is hidden), its smallest text as drawn, and
// the names on funnel plots that overlap; tables whose caption runs off
// the screen.
function measure(minPx) {
  const small = [];
  const overlaps = [];
  const unnamed = [];
  let charts = 0;
  let texts = 0;
  let labels = 0;
  let smallest = Infinity;
  for (const svg of document.querySelectorAll('svg.parity-chart')) {
    if (svg.getClientRects().length === 0) continue;
    charts++;
    for (const t of svg.querySelectorAll('text')) {
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      texts++;
      smallest = Math.min(smallest, px);
      if (px < minPx - 0.01) small.push(`${svg.id || svg.getAttribute('aria-labelledby')}: '${t.textContent}' ${px.toFixed(1)} px`);
    }
    const boxes = [...svg.querySelectorAll('.parity-funnel-label')]
      .map((e) => ({ text: e.textContent, r: e.getBoundingClientRect() }));
    labels += boxes.length;
    // on a funnel plot, every borough drawn is named (or numbered)
    if (svg.querySelector('.parity-target')) {
      const marks = svg.querySelectorAll('.parity-marker, .parity-marker-up, .parity-marker-down').length;
      if (boxes.length < marks) unnamed.push(`${svg.getAttribute('aria-labelledby')}: ${marks - boxes.length} of ${marks}`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
          overlaps.push(`${svg.getAttribute('aria-labelledby')}: '${boxes[i].text}' and '${boxes[j].text}'`);
        }
      }
    }
  }
  const cut = [];
  for (const c of document.querySelectorAll('caption')) {
    const r = c.getBoundingClientRect();
    if (r.width > 0 && (r.left < -0.5 || r.right > document.documentElement.clientWidth + 0.5)) {
      cut.push(`'${c.textContent.slice(0, 60)}' ${Math.round(r.left)} to ${Math.round(r.right)} px`);
    }
  }
  return { charts, texts, labels, smallest, small, overlaps, unnamed, cut };
}

try {
  for (const width of widths) {
    const context = await browser.newContext({ viewport: { width, height: width > 600 ? 900 : 812 } });
    const page = await context.newPage();
    const scripts = [];
    page.on('console', (m) => { if (m.type() === 'error') console.log(`  console error: ${m.text()}`); });
    for (const p of pages) {
      if (only && !only.includes(p.name)) continue;
      if (p.optional && !fs.existsSync(path.join(site, p.file))) {
        console.log(`skip ${p.file} at ${width} px: the site has no such page`);
        continue;
      }
      const url = base + p.file;
      await page.goto(url, { waitUntil: 'load' });
      scripts.push(await page.$$eval('script', (s) => s.length));
      const text = await page.evaluate(() => document.body.innerText);
      for (const want of p.shows || []) {
        if (!text.includes(want)) {
          console.log(`FAIL ${p.file} at ${width} px: no '${want}' on the page`);
          failed++;
        }
      }
      const shot = path.join(out, `${p.name}-${width}.png`);
      // A long page (the comparison pages' thirty funnel plots) is slow
      // to shoot whole on a busy machine: given two minutes, and noted,
      // not failed, when it cannot be (it is a record, not a check).
      try {
        await page.screenshot({ path: shot, fullPage: true, timeout: 120000 });
      } catch (e) {
        console.log(`note ${p.file} at ${width} px: no whole-page screenshot (${e.message.split('\n')[0]})`);
      }
      // one screen at the page's first chart, if it has one
      await page.evaluate(() => {
        const f = document.querySelector('.parity-figure');
        if (f) window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 24);
      });
      await page.screenshot({ path: path.join(out, `${p.name}-${width}-screen.png`) });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(
        (runTags) => window.axe.run(document, { runOnly: { type: 'tag', values: runTags } }),
        tags);
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      const bad = result.violations;
      const minor = result.violations.length - serious.length;
      console.log(`${bad.length ? 'FAIL' : 'ok  '} ${p.file} at ${width} px: ${result.passes.length} rules pass, ` +
        `${serious.length} serious or critical violations, ${minor} minor or moderate ` +
        `(none allowed), ${result.incomplete.length} to review by hand; ` +
        `screenshot ${shot}`);
      for (const v of result.violations) {
        console.log(`  ${v.impact}: ${v.id} (${v.help}) on ${v.nodes.length} element(s)`);
        for (const n of v.nodes.slice(0, 3)) console.log(`    ${n.target.join(' ')}`);
      }
      if (process.env.AXE_VERBOSE) {
        console.log(`  passes: ${result.passes.map((r) => r.id).join(' ')}`);
        console.log(`  to review: ${result.incomplete.map((r) => r.id).join(' ')}`);
      }
      failed += bad.length;
      const m = await page.evaluate(measure, minChartText);
      if (m.charts > 0) {
        const ok = m.small.length === 0 && m.overlaps.length === 0 && m.unnamed.length === 0;
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${p.file} at ${width} px: ${m.charts} charts shown, ` +
          `${m.texts} texts, the smallest ${m.smallest.toFixed(1)} px (at least ${minChartText}); ` +
          `${m.labels} names on funnel plots, ${m.overlaps.length} overlapping, ` +
          `${m.unnamed.length} plots with a borough unnamed`);
        for (const x of m.small.slice(0, 5)) console.log(`  too small: ${x}`);
        for (const x of m.overlaps.slice(0, 5)) console.log(`  overlap: ${x}`);
        for (const x of m.unnamed.slice(0, 5)) console.log(`  unnamed: ${x}`);
        failed += m.small.length + m.overlaps.length + m.unnamed.length;
      }
      if (m.cut.length > 0) {
        console.log(`FAIL ${p.file} at ${width} px: ${m.cut.length} table captions run off the screen`);
        for (const x of m.cut.slice(0, 3)) console.log(`  ${x}`);
        failed += m.cut.length;
      }
      if (p.print && width === widths[0]) {
        await page.emulateMedia({ media: 'print' });
        await page.screenshot({ path: path.join(out, `${p.name}-print.png`), fullPage: true });
        await page.pdf({ path: path.join(out, `${p.name}.pdf`), format: 'A4', printBackground: true });
        await page.emulateMedia({ media: 'screen' });
      }
    }
    // Keyboard: the first Tab reaches the skip link, and it is visible.
    await page.goto(base + 'index.html');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { text: a.textContent, visible: r.width > 0 && r.height > 0 };
    });
    if (focused.text !== 'Skip to main content' || !focused.visible) {
      console.log(`FAIL at ${width} px the first Tab reaches '${focused.text}' (visible: ${focused.visible})`);
      failed++;
    } else {
      console.log(`ok   at ${width} px the first Tab reaches a visible skip link`);
      await page.screenshot({ path: path.join(out, `overview-skip-link-focused-${width}.png`) });
    }
    if (scripts.some((n) => n > 0)) {
      console.log('FAIL a page has a script: every page must work without JavaScript');
      failed++;
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(failed ? `${failed} problems` : 'no accessibility problems found');
process.exit(failed ? 1 : 0);
