// Accessibility of every resident and public page at 390x844, normal and 长辈版:
// axe-core finds no WCAG 2.1 A/AA violation, and in 长辈版 visible text is at least
// 18 px and every tap target at least 60 px tall (links inside a sentence excepted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { useServerAndBrowser, phonePage, hydrated, login, shot, root, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();
// Evaluated through DevTools, so the page's CSP (rightly) has no say.
const AXE = readFileSync(join(root, 'tests', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

const PUBLIC = ['/', '/guides', '/guides?q=sb', '/guides/SB-004', '/public', '/opinions', '/track', '/login', '/register'];
const RESIDENT = ['/me', '/me/profile', '/booking', '/booking?item=SB-004', '/cases', '/messages', '/feedback', '/feedback/new', '/queue'];

async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** In 长辈版: visible text under 18 px, and tap targets under 60 px tall. */
async function elderProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    for (const el of document.body.querySelectorAll('*')) {
      if (!visible(el) || el.closest('[aria-hidden="true"], .tabbar .badge')) continue;
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim().length > 0);
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (ownText && size < 18) problems.push(`text ${size}px: ${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}"`);
    }
    for (const el of document.body.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      if (!visible(el)) continue;
      // A link inside a sentence is sized by its text (WCAG 2.5.5 exception).
      const inSentence = el.tagName === 'A' && el.parentElement && ['P', 'LI', 'SMALL', 'SPAN'].includes(el.parentElement.tagName)
        && el.parentElement.textContent.trim().length > el.textContent.trim().length;
      // A radio button or checkbox is tapped through its label.
      const label = ['radio', 'checkbox'].includes(el.type) ? (el.closest('label') ?? document.querySelector(`label[for="${el.id}"]`)) : null;
      const h = (label ?? el).getBoundingClientRect().height;
      if (!inSentence && h < 60) problems.push(`target ${Math.round(h)}px: ${el.tagName.toLowerCase()}#${el.id}.${el.className} "${(el.textContent || el.value || '').trim().slice(0, 20)}"`);
    }
    return problems;
  });
}

async function check(page, paths, elder) {
  const found = [];
  for (const path of paths) {
    await page.goto(`${env.server.url}${path}`);
    await hydrated(page);
    for (const v of await axeViolations(page)) found.push(`${path}${elder ? ' (长辈版)' : ''}: ${v}`);
    if (elder) for (const p of await elderProblems(page)) found.push(`${path} (长辈版): ${p}`);
    await shot(page, `90-${elder ? 'elder' : 'normal'}${path.replace(/[^a-z0-9]+/gi, '-')}`);
  }
  return found;
}

for (const elder of [false, true]) {
  test(`public and resident pages pass axe${elder ? ' and the 长辈版 sizes' : ''}`, async () => {
    const page = await phonePage(env.browser);
    await page.context().addCookies([{ name: 'bm_elder', value: elder ? '1' : '0', url: env.server.url }]);
    const found = await check(page, PUBLIC, elder);
    await login(page, env.server.url, '13800000001', DEMO_PASSWORD);
    await page.waitForURL(`${env.server.url}/me`);
    // Logging in copies the profile's preference into the cookie: set it again.
    await page.context().addCookies([{ name: 'bm_elder', value: elder ? '1' : '0', url: env.server.url }]);
    found.push(...await check(page, RESIDENT, elder));
    assert.deepEqual(found, []);
    await page.context().close();
  });
}
