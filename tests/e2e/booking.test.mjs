// Booking at 390x844: from a guide, pick a day and a slot, confirm, see the QR code,
// cancel. And the same booking without JavaScript, as plain links and form posts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, login, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();

async function bookFirstFreeSlot(page, name) {
  await page.waitForSelector('.day-chips');
  await shot(page, `${name}-days`);
  await page.click('a.day-chip >> nth=0');
  await page.waitForSelector('input[name="slot"]:not([disabled])');
  await page.check('input[name="slot"]:not([disabled]) >> nth=0');
  await shot(page, `${name}-slot`);
  await page.click('#book-submit');
  await page.waitForURL(/\/bookings\/[2-9A-Z]{8}$/);
  await page.waitForSelector('#booking .qr svg');
  return (await page.locator('#booking-code').textContent()).trim();
}

test('a resident books a slot from a guide, sees the QR code and cancels', async () => {
  const page = await phonePage(env.browser);
  await login(page, env.server.url, '13800000001', DEMO_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${env.server.url}/guides/SB-004`);
  await hydrated(page);
  await page.click('a:has-text("预约办理")');
  await page.waitForURL(/\/booking\?item=SB-004/);
  const code = await bookFirstFreeSlot(page, '40-booking');
  assert.match(code, /^[2-9A-Z]{8}$/);
  await page.waitForSelector('text=居民身份证');
  await shot(page, '41-booking-confirmed');
  const ics = await page.getAttribute('a:has-text("添加到日历")', 'href');
  const response = await page.request.get(`${env.server.url}${ics}`);
  assert.equal(response.status(), 200);
  assert.match(await response.text(), /BEGIN:VEVENT/);

  await page.goto(`${env.server.url}/booking`);
  await page.waitForSelector(`a[href="/bookings/${code}"]`);
  await shot(page, '42-my-bookings');
  await page.click(`a[href="/bookings/${code}"]`);
  await hydrated(page);
  await page.click('#cancel-booking');
  await page.waitForSelector('#booking .status-cancelled');
  await shot(page, '43-booking-cancelled');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('booking works without JavaScript', async () => {
  const page = await phonePage(env.browser, { javaScriptEnabled: false });
  await login(page, env.server.url, '13800000001', DEMO_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${env.server.url}/booking?item=SB-001`);
  const code = await bookFirstFreeSlot(page, '44-booking-nojs');
  assert.match(code, /^[2-9A-Z]{8}$/);
  await page.context().close();
});
