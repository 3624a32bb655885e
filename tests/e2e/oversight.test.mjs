// The chief's dashboard at 390x844 and 1280x800: the figures and the SVG charts are on
// the page before any script runs, the figures download as .xlsx, a figure's link
// opens its records, and the public
// 四个公开 page shows the live figures. A clerk sees only their own figures.
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, shot, login, serverCall, fileCase, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();

async function signedIn(phone, { javaScriptEnabled = true } = {}) {
  const page = await phonePage(env.browser, { javaScriptEnabled });
  await login(page, env.server.url, phone, DEMO_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

test('the chief reads the figures and charts, and checks a figure against its records', async () => {
  const resident = await signedIn('13800000001');
  const clerk = await signedIn('13800000003');
  const number = await fileCase(resident, env.server.url);
  await serverCall(clerk, env.server.url, 'case_accept', { number });
  await serverCall(clerk, env.server.url, 'case_complete', { number, result: '已办结', pickup: '窗口领取' });

  // Without JavaScript: the charts are drawn on the server.
  const chief = await signedIn('13800000005', { javaScriptEnabled: false });
  await chief.goto(`${env.server.url}/staff/dashboard`);
  await chief.waitForSelector('#fig-on-time');
  for (const id of ['#chart-trend svg polyline', '#chart-items svg rect', '#chart-levels svg', '#due-list']) {
    assert.ok(await chief.$(id), `${id} is rendered`);
  }
  const onTime = await chief.textContent('#fig-on-time .figure-value');
  assert.match(onTime, /^\d+\.\d%$/, `a rate, not a dash: ${onTime}`);
  await shot(chief, '100-dashboard-390');
  await chief.setViewportSize({ width: 1280, height: 800 });
  await shot(chief, '101-dashboard-1280');
  const wide = await chief.$eval('.figure-grid', (el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
  assert.equal(wide, 4, 'four figures a row on a desktop');
  await chief.setViewportSize({ width: 390, height: 844 });

  // The figures download as a workbook: a zip holding one worksheet per table.
  const [download] = await Promise.all([chief.waitForEvent('download'), chief.click('#export-xlsx')]);
  assert.match(download.suggestedFilename(), /^figures-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const book = await readFile(await download.path());
  assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'a zip (xlsx) file');
  for (const part of ['xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet6.xml']) {
    assert.ok(book.includes(Buffer.from(part)), `${part} in the workbook`);
  }

  // A figure's link lists its records, each saying why it counts.
  await chief.click('#fig-on-time-records');
  await chief.waitForSelector('#records');
  const row = await chief.textContent(`#records tr:has(a:text("${number}"))`);
  assert.match(row, /计入/);
  assert.match(row, /时限 \d{4}-\d{2}-\d{2} · 办结 \d{4}-\d{2}-\d{2}/);
  await shot(chief, '102-figure-records');

  // Another period by its chip.
  await chief.goto(`${env.server.url}/staff/dashboard`);
  await chief.click('#preset-this_year');
  await chief.waitForURL(/preset=this_year/);
  assert.ok(await chief.$('#preset-this_year.selected'));

  // A clerk's copy is their own; a resident gets none.
  await clerk.goto(`${env.server.url}/staff/dashboard`);
  await clerk.waitForSelector('#dash-scope');
  assert.match(await clerk.textContent('#dash-scope'), /我的数据/);
  assert.equal(await clerk.$('#fig-bookings'), null, 'center-wide bookings are the chief\'s');
  await resident.goto(`${env.server.url}/staff/dashboard`);
  assert.equal(await resident.$('#fig-on-time'), null);

  // 四个公开 shows the live figures to anyone.
  const visitor = await phonePage(env.browser, { javaScriptEnabled: false });
  await visitor.goto(`${env.server.url}/public`);
  await visitor.waitForSelector('#public-figures');
  assert.match(await visitor.textContent('#public-year'), /按时办结率/);
  await shot(visitor, '103-public-figures');
});
