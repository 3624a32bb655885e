// Lighthouse 12 (mobile defaults: simulated slow 4G, 4x CPU slowdown) in Debian's
// chromium against the release server: performance, accessibility, best practices,
// Total Blocking Time and LCP, the median of 3 runs per page, for 首页, a guide page,
// the booking page and 我的办件 (signed in). Prints one markdown table row per
// figure; `.ci/bench` puts them in BENCHMARKS.md.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startServer, DEMO_PASSWORD } from '../e2e/harness.mjs';

const RUNS = 3;
const PAGES = [
  ['首页', '/', false],
  ['guide page', '/guides/SB-004', false],
  ['booking page', '/booking?item=SB-004', true],
  ['我的办件', '/cases', true],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function sessionCookie(base) {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', origin: base },
    body: `phone=13800000001&password=${encodeURIComponent(DEMO_PASSWORD)}&next=%2Fme`,
  });
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('bm_session='));
  if (!cookie) throw new Error(`login failed: ${res.status}`);
  return cookie;
}

const server = await startServer();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const rows = [];
try {
  const cookie = await sessionCookie(server.url);
  for (const [name, path, signedIn] of PAGES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { lhr } = await lighthouse(`${server.url}${path}`, {
        port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        extraHeaders: signedIn ? { Cookie: cookie } : undefined,
      });
      runs.push(lhr);
    }
    const score = (id) => median(runs.map((r) => Math.round((r.categories[id].score ?? 0) * 100)));
    const audit = (id) => median(runs.map((r) => r.audits[id].numericValue ?? 0));
    const bench = `lighthouse 12 mobile, ${name} (${path})${signedIn ? ', signed in' : ''}, median of ${RUNS}`;
    rows.push(`| ${bench} | SQLite | performance | ${score('performance')} | score |`);
    rows.push(`| ${bench} | SQLite | accessibility | ${score('accessibility')} | score |`);
    rows.push(`| ${bench} | SQLite | best practices | ${score('best-practices')} | score |`);
    rows.push(`| ${bench} | SQLite | Total Blocking Time | ${audit('total-blocking-time').toFixed(0)} | ms |`);
    rows.push(`| ${bench} | SQLite | Largest Contentful Paint | ${audit('largest-contentful-paint').toFixed(0)} | ms |`);
  }
} finally {
  await chrome.kill();
  await server.stop();
}
console.log(rows.join('\n'));
