// axe.mjs - load pages of a published site in headless Chromium, take
// screenshots, and check them with axe-core. Exit status 1 when any page
// has a serious or critical violation of WCAG 2.0, 2.1 or 2.2 A or AA.
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
  { name: 'borough-brent', file: 'boroughs/brent.html', print: true },
  { name: 'measure-not-known', file: 'measures/not-known.html' },
  { name: 'service-youth-justice', file: 'services/youth-justice.html' },
  { name: 'service-borough-stop-and-search', file: 'services/stop-and-search/brent.html' },
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
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const scripts = [];
  page.on('console', (m) => { if (m.type() === 'error') console.log(`  console error: ${m.text()}`); });
  for (const p of pages) {
    const url = base + p.file;
    await page.goto(url, { waitUntil: 'load' });
    scripts.push(await page.$$eval('script', (s) => s.length));
    const shot = path.join(out, `${p.name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(
      (runTags) => window.axe.run(document, { runOnly: { type: 'tag', values: runTags } }),
      tags);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = result.violations.length - bad.length;
    console.log(`${bad.length ? 'FAIL' : 'ok  '} ${p.file}: ${result.passes.length} rules pass, ` +
      `${bad.length} serious or critical violations, ${minor} minor or moderate, ` +
      `${result.incomplete.length} to review by hand; ` +
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
    if (p.print) {
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
    console.log(`FAIL the first Tab reaches '${focused.text}' (visible: ${focused.visible})`);
    failed++;
  } else {
    console.log('ok   the first Tab reaches a visible skip link');
    await page.screenshot({ path: path.join(out, 'overview-skip-link-focused.png') });
  }
  if (scripts.some((n) => n > 0)) {
    console.log('FAIL a page has a script: every page must work without JavaScript');
    failed++;
  }
} finally {
  await browser.close();
  server.close();
}
console.log(failed ? `${failed} problems` : 'no serious or critical accessibility problems');
process.exit(failed ? 1 : 0);
