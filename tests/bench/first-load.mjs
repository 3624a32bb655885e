// First-load benchmark (`bash .ci/bench`): what a new visitor's and a signed-in
// resident's browser downloads for 首页, a guide page and the booking page, measured
// in headless Chromium from DevTools transfer sizes (bytes on the wire, compressed),
// on the release server with a fresh, empty cache per page. Then the same page again
// in the same browser: a repeat visit must download no WASM, JS or CSS.
//
// Prints one markdown table row per figure; `.ci/bench` puts them in BENCHMARKS.md.
import { startServer, launchBrowser, PHONE, DEMO_PASSWORD } from '../e2e/harness.mjs';

const BUDGET = { script: 150 * 1024, css: 15 * 1024, html: 30 * 1024 };
const PAGES = [
  ['首页', '/'],
  ['guide page', '/guides/SB-004'],
  ['booking page', '/booking?item=SB-004'],
];

function kind(response) {
  const type = (response.mimeType || '').toLowerCase();
  const url = response.url;
  if (type.includes('wasm') || url.endsWith('.wasm')) return 'script';
  if (type.includes('javascript') || url.endsWith('.js')) return 'script';
  if (type.includes('css') || url.endsWith('.css')) return 'css';
  if (type.includes('html')) return 'html';
  return 'other';
}

/** Loads `path` in `page` and sums transfer sizes by kind, via the DevTools protocol. */
async function measure(page, url, { fresh = false } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // A first load: nothing cached (signing in first fetched the assets).
  if (fresh) await cdp.send('Network.clearBrowserCache');
  const responses = new Map();
  const totals = { script: 0, css: 0, html: 0, other: 0 };
  cdp.on('Network.responseReceived', (e) => responses.set(e.requestId, e.response));
  cdp.on('Network.loadingFinished', (e) => {
    const response = responses.get(e.requestId);
    if (response) totals[kind(response)] += e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'load' });
  // Islands load their WASM when the browser is idle: wait until it has run.
  await page.waitForSelector('html[data-hydrated]', { timeout: 20000 }).catch(() => {});
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return totals;
}

async function signIn(context, base) {
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#field-phone', '13800000001');
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/me`);
  await page.close();
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

const server = await startServer();
const browser = await launchBrowser();
const rows = [];
let over = 0;
try {
  for (const who of ['visitor', 'signed in']) {
    for (const [name, path] of PAGES) {
      const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN' });
      if (who === 'signed in') await signIn(context, server.url);
      const page = await context.newPage();
      const first = await measure(page, `${server.url}${path}`, { fresh: true });
      const again = await measure(page, `${server.url}${path}`);
      await context.close();
      const bench = `first load, ${name} (${path}), ${who}`;
      for (const [figure, bytes, budget] of [
        ['WASM + JS transferred', first.script, BUDGET.script],
        ['CSS transferred', first.css, BUDGET.css],
        ['HTML transferred', first.html, BUDGET.html],
      ]) {
        rows.push(`| ${bench} | SQLite | ${figure} | ${kb(bytes)} | KiB |`);
        rows.push(`| ${bench} | SQLite | ${figure}, of the ${kb(budget)} KiB budget | ${(100 * bytes / budget).toFixed(1)} | % |`);
        if (bytes > budget) over += 1;
      }
      rows.push(`| ${bench} | SQLite | repeat visit: WASM + JS + CSS transferred | ${kb(again.script + again.css)} | KiB |`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(rows.join('\n'));
if (over > 0) console.error(`${over} first-load figures are over their budget`);
