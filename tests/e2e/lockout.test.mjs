// Five wrong passwords lock further tries with a clear message. Its own server: the
// lock also covers the browser's address, which would disturb other tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, DEMO_PASSWORD } from './harness.mjs';

/** Submits the login form and waits for the page the server sends back. */
async function submit(page) {
  await Promise.all([page.waitForEvent('load'), page.click('button[type=submit]')]);
}

const env = useServerAndBrowser();

test('wrong password five times shows the locked message', async () => {
  const page = await phonePage(env.browser);
  await page.goto(`${env.server.url}/login`);
  await hydrated(page);
  for (let i = 1; i <= 4; i++) {
    await page.fill('#field-phone', '13800000001');
    await page.fill('#field-password', `wrong-password-${i}`);
    await submit(page);
    await page.waitForSelector('.form-error:has-text("手机号或密码错误")');
  }
  await page.fill('#field-password', 'wrong-password-5');
  await submit(page);
  await page.waitForSelector('.form-error:has-text("登录失败次数过多，请15分钟后再试")');
  // Even the right password is refused now.
  await page.fill('#field-password', DEMO_PASSWORD);
  await submit(page);
  await page.waitForSelector('.form-error:has-text("登录失败次数过多")');
  assert.match(page.url(), /\/login/);
  await shot(page, '15-login-locked');
  await page.context().close();
});
