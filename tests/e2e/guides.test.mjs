// Service guides at 390x844: search by pinyin initials, open a guide, print view,
// the public page; the chief imports an .xlsx with one bad row and nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useServerAndBrowser, phonePage, hydrated, shot, login, root, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();

test('search "sb" as you type, open a 社保 guide, see its materials', async () => {
  const page = await phonePage(env.browser);
  await page.goto(`${env.server.url}/guides`);
  await hydrated(page);
  await shot(page, '20-guides-tab');
  await page.evaluate(() => { window.__noReload = true; });
  await page.fill('#guide-search', 'sb');
  await page.waitForSelector('#search-results .item-row');
  const first = await page.locator('#search-results .item-name').first().textContent();
  assert.match(first, /社会保障|养老|社保/);
  assert.equal(await page.evaluate(() => window.__noReload), true, 'results while typing, without a reload');
  await shot(page, '21-guides-search-sb');

  await page.click('#search-results .item-row:has-text("社会保障卡申领")');
  await page.waitForURL(`${env.server.url}/guides/SB-004`);
  await page.waitForSelector('#materials li:has-text("居民身份证")');
  await page.waitForSelector('#materials li:has-text("近期免冠一寸白底照片")');
  await shot(page, '22-guide-page');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await shot(page, '23-guide-page-bottom');

  await page.goto(`${env.server.url}/guides/SB-004/print`);
  await page.waitForSelector('text=一次性告知：办理所需材料');
  await shot(page, '24-guide-print');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('search works without JavaScript (a plain form)', async () => {
  const page = await phonePage(env.browser, { javaScriptEnabled: false });
  await page.goto(`${env.server.url}/guides?q=dibao`);
  await page.waitForSelector('#search-results .item-row:has-text("最低生活保障申请")');
  await page.goto(`${env.server.url}/public`);
  await page.waitForSelector('text=监督电话');
  await shot(page, '25-public-page');
  await page.context().close();
});

test('the chief imports an .xlsx with one bad row: the error shows and nothing changes', async () => {
  const page = await phonePage(env.browser);
  await login(page, env.server.url, '13800000005', DEMO_PASSWORD);
  await page.waitForURL(`${env.server.url}/me`);
  await page.goto(`${env.server.url}/staff/items`);
  await page.waitForSelector('#items-table td:has-text("SB-004")');
  await shot(page, '26-staff-items');

  await page.setInputFiles('#import-file', join(root, 'tests', 'e2e', 'fixtures', 'one-bad-row.xlsx'));
  await page.click('#import-form button[type=submit]');
  await page.waitForSelector('#import-errors');
  const errors = await page.locator('#import-errors').textContent();
  assert.match(errors, /第3行/);
  assert.match(errors, /办理层级应为/);
  assert.equal(await page.locator('button:has-text("确认导入")').count(), 0, 'no way to confirm');
  await shot(page, '27-import-preview-bad-row');

  // Nothing was written: the good row of the same file is not in the catalogue.
  const res = await page.goto(`${env.server.url}/guides/X-201`);
  assert.equal(res.status(), 404);
  await page.context().close();
});
