// hub.mjs - the hub's pages in headless Chromium, as its users go through
// them: a submitter accepts an invitation, signs in, sends a return with
// errors and sees them by line, sends a good one, sees the council's
// figures against London, and signs out; an analyst signs in, reads the
// status of the year's returns, and publishes; the submitter fills in the
// Racial Equality Standard's assessment, saves it and submits it, the
// analyst assigns Camden to review it, and Camden's reviewer signs it
// off; an admin invites a viewer on the accounts page and is shown the
// link once. Every page is screenshot
// and checked with axe-core (WCAG 2.0, 2.1 and 2.2 A and AA): exit status
// 1 on any serious or critical violation, or any step that does not do
// what it should.
//
// Usage: node tests/browser/hub.mjs HUB_URL OUTPUT_DIR CHROMIUM
//          SUBMITTER_EMAIL SUBMITTER_INVITATION ANALYST_EMAIL
//          ANALYST_INVITATION GOOD_RETURN BAD_RETURN ADMIN_EMAIL
//          ADMIN_INVITATION REVIEWER_EMAIL REVIEWER_INVITATION
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'web', 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [base, out, executablePath, submitter, submitterInvite, analyst,
  analystInvite, goodReturn, badReturn, admin, adminInvite, reviewer,
  reviewerInvite] = process.argv.slice(2);
const standard = 'framework=racial-equality-standard&year=2024';

// A real, minimal PDF: its cross-reference table's offsets right.
function minimalPdf() {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
  let out = '%PDF-1.4\n';
  const at = [];
  objects.forEach((o, k) => {
    at.push(out.length);
    out += `${k + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += 'xref\n0 4\n0000000000 65535 f \n';
  out += at.map((a) => `${String(a).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
const password = 'a long pass phrase for the hub';
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let failed = 0;

function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed++;
}

// Screenshot the page and run axe on it.
async function audit(page, name) {
  const scripts = await page.$$eval('script', (s) => s.length);
  check(scripts === 0, `${name} works without JavaScript (no script)`);
  const shot = path.join(out, `hub-${name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(
    (runTags) => window.axe.run(document, { runOnly: { type: 'tag', values: runTags } }),
    tags);
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  console.log(`${bad.length ? 'FAIL' : 'ok  '} axe on ${name}: ${result.passes.length} rules pass, ` +
    `${bad.length} serious or critical violations; screenshot ${shot}`);
  for (const v of bad) {
    console.log(`  ${v.impact}: ${v.id} (${v.help}) on ${v.nodes.length} element(s)`);
    for (const n of v.nodes.slice(0, 3)) console.log(`    ${n.target.join(' ')}`);
  }
  failed += bad.length;
}

async function acceptInvitation(page, token, name) {
  await page.goto(`${base}/invitation/${token}`);
  await audit(page, `${name}-invitation`);
  await page.fill('#password', password);
  await page.fill('#confirm', password);
  await Promise.all([page.waitForURL(/\/hub\/sign-in$/), page.click('main button[type=submit]')]);
  check(true, `${name} set a password through the invitation`);
}

async function signIn(page, email, name) {
  await page.goto(`${base}/hub/sign-in`);
  await audit(page, `${name}-sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/hub\/$/), page.click('main button[type=submit]')]);
  const heading = await page.textContent('h1');
  check(heading === 'Your hub', `${name} signed in (heading '${heading}')`);
  await audit(page, `${name}-home`);
}

async function signOut(page, name) {
  await Promise.all([page.waitForURL(/\/hub\/sign-in$/), page.click('text=Sign out')]);
  await page.goto(`${base}/hub/returns`);
  check(page.url().endsWith('/hub/sign-in'), `${name} signed out: the hub asks to sign in again`);
}

async function upload(page, file) {
  await page.goto(`${base}/hub/upload`);
  await page.check('#kind-workforce');
  await page.fill('#year', '2024');
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForLoadState('load'), page.click('main button[type=submit]')]);
}

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  // The hub's Content-Security-Policy forbids inline scripts; axe is
  // injected as one, so the test's browser alone is let past it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();

  await acceptInvitation(page, submitterInvite, 'submitter');
  await signIn(page, submitter, 'submitter');

  await upload(page, badReturn);
  await audit(page, 'upload-with-errors');
  const title = await page.textContent('h1');
  check(/nothing was stored/.test(title), `a return with errors is refused ('${title}')`);
  const lines = await page.$$eval('table tbody tr td:first-child', (c) => c.map((x) => x.textContent));
  check(lines.length > 0 && lines.every((l) => /^\d+$/.test(l)),
    `its problems are listed by line (${lines.join(', ')})`);

  await page.goto(`${base}/hub/upload`);
  await audit(page, 'upload-form');
  await upload(page, goodReturn);
  await audit(page, 'upload-stored');
  const stored = await page.textContent('h1');
  check(/stored|Unchanged/.test(stored), `a good return is stored ('${stored}')`);
  check(await page.isVisible('text=Data quality'), 'its data-quality summary is shown');

  await page.goto(`${base}/hub/returns`);
  await audit(page, 'returns');
  await page.goto(`${base}/hub/figures?year=2024`);
  await audit(page, 'figures');
  const caption = await page.textContent('caption');
  const areas = await page.$$eval('tbody th, tbody td', (c) => c.map((x) => x.textContent));
  check(areas.includes('London') && areas.includes('Brent'),
    `the council's figures beside London's (first table: '${caption}')`);
  const charts = await page.$$eval('svg[role=img]', (s) => s.length);
  check(charts >= 3, `the figures page draws the site's charts (${charts})`);
  const headings = await page.$$eval('h2', (h) => h.map((x) => x.textContent));
  check(headings.some((h) => /^Youth justice/.test(h)) &&
        headings.includes('Beside London'),
    `every service, and London beside the council (${headings.join('; ')})`);

  // the Standard: choose a level for every criterion, give reasons, save
  // a draft, then submit
  // (2024's was submitted from a file before the hub started: this is
  // next year's, from nothing)
  await page.goto(`${base}/hub/assessment?framework=racial-equality-standard&year=2025`);
  await audit(page, 'assessment-form');
  const fieldsets = await page.$$('main fieldset');
  for (const f of fieldsets) {
    const radio = await f.$('input[type=radio]');
    await radio.check();
  }
  for (const t of await page.$$('textarea[name^="reason:"]')) {
    await t.fill('Our own review of the evidence this year');
  }
  await Promise.all([page.waitForLoadState('load'), page.click('text=Save draft')]);
  check(page.url().includes('saved=1'), `the draft was saved (${page.url()})`);
  await audit(page, 'assessment-draft');
  const kept = await page.$$eval('input[type=radio]:checked', (r) => r.length);
  check(kept === fieldsets.length, `the draft keeps every level chosen (${kept} of ${fieldsets.length})`);
  await Promise.all([page.waitForLoadState('load'), page.click('main button[value=submit]')]);
  await audit(page, 'assessment-submitted');
  check(/Version 1, submitted/.test(await page.textContent('main')),
    'the assessment was submitted, and is read-only');

  // the good-practice pool: a record sent through the form
  await page.goto(`${base}/hub/practice/submit`);
  await audit(page, 'practice-submit');
  await page.fill('#title', 'Sponsors for Black staff applying for senior posts');
  await page.selectOption('#strand', 'employer');
  await page.selectOption('#service_area', 'hr');
  await page.selectOption('#status', 'pilot');
  await page.fill('#summary', 'Each director sponsors staff applying for senior posts.');
  await page.fill('#contact_role', 'Head of Organisational Development');
  await page.fill('#tags', 'sponsorship, progression');
  await Promise.all([page.waitForLoadState('load'), page.click('text=Send for moderation')]);
  await audit(page, 'practice-sent');
  check(/submitted/.test(await page.textContent('main')), 'the record was sent for moderation');
  // a document attached through the record's page: a real, minimal PDF
  const pdf = minimalPdf();
  await page.setInputFiles('#file', { name: 'Sponsorship outline.pdf',
    mimeType: 'application/pdf', buffer: pdf });
  await Promise.all([page.waitForLoadState('load'), page.click('main button:has-text("Attach")')]);
  await audit(page, 'practice-attached');
  check(/Sponsorship outline\.pdf \(PDF, \d+ bytes\)/.test(await page.textContent('main')),
    'the document is listed on the record\'s page');
  await signOut(page, 'submitter');

  await acceptInvitation(page, analystInvite, 'analyst');
  await signIn(page, analyst, 'analyst');
  await page.goto(`${base}/hub/status?year=2024`);
  await audit(page, 'status');
  const received = await page.textContent('main');
  check(/of 33 councils have sent/.test(received), 'the status of the 33 councils');
  // 2024 was published before the hub started: this release corrects it
  await page.fill('#correction', "Brent's return was sent again through the hub");
  // publishing both levels of 33 councils' figures takes most of a minute
  // of disclosure control, longer on a busy machine
  await Promise.all([page.waitForLoadState('load', { timeout: 600000 }),
                     page.click('text=Publish 2024', { timeout: 600000 })]);
  await audit(page, 'published');
  check((await page.textContent('h1')) === 'Published', 'the analyst published the release');
  await page.goto(`${base}/hub/standard?${standard}`);
  await audit(page, 'standard-analyst');
  await page.selectOption('#reviewer-E09000005', 'E09000007');
  await Promise.all([page.waitForLoadState('load'), page.click('main button:has-text("Assign")')]);
  check(/by Camden/.test(await page.textContent('main')), 'the analyst assigned Camden to review Brent');
  await page.goto(`${base}/hub/practice`);
  await audit(page, 'practice-analyst');
  await Promise.all([page.waitForLoadState('load'), page.click('main a:has-text("Sponsors for Black staff")')]);
  await Promise.all([page.waitForLoadState('load'), page.click('main button[value=approve]')]);
  check(!/submitted/.test(await page.textContent('main p')), 'the analyst approved the record');
  await signOut(page, 'analyst');
  // anyone finds it
  await page.goto(`${base}/hub/practice?q=sponsor*`);
  await audit(page, 'practice-search');
  check(/Sponsors for Black staff/.test(await page.textContent('main')), 'the public search finds the approved record');

  await acceptInvitation(page, reviewerInvite, 'reviewer');
  await signIn(page, reviewer, 'reviewer');
  await page.goto(`${base}/hub/standard?${standard}`);
  await audit(page, 'standard-reviewer');
  await Promise.all([page.waitForLoadState('load'), page.click('main a:has-text("Brent")')]);
  await audit(page, 'review-form');
  for (const r of await page.$$('input[type=radio][value=agree]')) await r.check();
  await Promise.all([page.waitForLoadState('load'), page.click('text=Save and sign off')]);
  check(/signed off/.test(await page.textContent('main')), 'the reviewer signed the review off');
  await signOut(page, 'reviewer');

  await acceptInvitation(page, adminInvite, 'admin');
  await signIn(page, admin, 'admin');
  await page.goto(`${base}/hub/accounts`);
  await audit(page, 'accounts');
  const listed = await page.textContent('main table');
  check(listed.includes(submitter) && listed.includes(analyst),
    'the accounts page lists the accounts');
  await page.fill('#email', 'equality@brent.gov.uk');
  await page.selectOption('#role', 'viewer');
  await page.selectOption('#area', 'E09000005');
  await Promise.all([page.waitForLoadState('load'), page.click('text=Make the invitation')]);
  await audit(page, 'accounts-invited');
  const link = await page.textContent('main code');
  check(/\/invitation\/[A-Za-z0-9_-]{43}$/.test(link), `the admin is shown the one-time link (${link.slice(0, 40)}...)`);
  await signOut(page, 'admin');
} finally {
  await browser.close();
}
console.log(failed ? `${failed} problems` : 'the hub\'s pages: every step done, no serious or critical accessibility problems');
process.exit(failed ? 1 : 0);
