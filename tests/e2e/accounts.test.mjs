// Accounts in a real browser at 390x844: register, log out, log in (the browser checks
// fields first; each step is an ordinary page load), 长辈版, language, and the same
// forms with JavaScript disabled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, login, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();

test('register, log out and log in: fields checked in the browser, then ordinary page loads', async () => {
  const page = await phonePage(env.browser);
  await page.goto(`${env.server.url}/`);
  await hydrated(page);
  await shot(page, '01-home');

  await page.goto(`${env.server.url}/register`);
  await hydrated(page);
  // The browser checks a field with the same parser as the server.
  await page.fill('#field-phone', '12345');
  await page.fill('#field-password', 'x');
  await page.waitForSelector('text=请输入正确的11位手机号');
  await shot(page, '02-register-invalid');

  await page.fill('#field-phone', '139 0013 9000');
  await page.fill('#field-password', 'Qingshan#2025');
  await page.fill('#field-name', '赵桂英');
  await page.click('button[type=submit]');
  await page.waitForURL(`${env.server.url}/me`);
  await page.waitForSelector('.profile-name:has-text("赵桂英")');
  await shot(page, '03-me-signed-in');

  await page.click('button:has-text("退出登录")');
  await page.waitForSelector('text=登录 / 注册');
  await shot(page, '04-me-signed-out');

  await page.click('a.btn:has-text("登录")');
  await page.waitForURL(`${env.server.url}/login`);
  await page.fill('#field-phone', '13900139000');
  await page.fill('#field-password', 'Qingshan#2025');
  await page.click('button[type=submit]');
  await page.waitForSelector('.profile-name:has-text("赵桂英")');
  assert.deepEqual(page.errors, [], 'no console errors (CSP, hydration)');
  await page.context().close();
});

test('registration refuses a duplicate number with a Chinese message', async () => {
  const page = await phonePage(env.browser);
  await page.goto(`${env.server.url}/register`);
  await hydrated(page);
  await page.fill('#field-phone', '13800000001');
  await page.fill('#field-password', 'Qingshan#2025');
  await page.click('button[type=submit]');
  await page.waitForSelector('text=该手机号已注册，请直接登录');
  await shot(page, '05-register-duplicate');
  await page.context().close();
});

test('长辈版: larger text and targets, remembered and rendered by the server', async () => {
  const page = await phonePage(env.browser);
  await page.goto(`${env.server.url}/me`);
  await hydrated(page);
  const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(normal < 18, `normal body text ${normal}px`);

  await page.click('#elder-switch');
  await page.waitForSelector('html.elder');
  const style = await page.evaluate(() => {
    const body = getComputedStyle(document.body);
    const tab = document.querySelector('.tab').getBoundingClientRect();
    const cell = document.querySelector('#elder-switch').getBoundingClientRect();
    return { font: parseFloat(body.fontSize), line: parseFloat(body.lineHeight), tab: tab.height, cell: cell.height };
  });
  assert.ok(style.font >= 18, `elder body text ${style.font}px`);
  assert.ok(style.line / style.font >= 1.3, `line height ${style.line / style.font}`);
  assert.ok(style.tab >= 60 && style.cell >= 60, `targets ${style.tab}px / ${style.cell}px`);
  await shot(page, '06-me-elder');

  // Server-rendered on the next visit: no flash of small text.
  await page.goto(`${env.server.url}/`);
  assert.equal(await page.evaluate(() => document.documentElement.className), 'elder');
  await shot(page, '07-home-elder');
  await page.context().close();
});

test('switching to English', async () => {
  const page = await phonePage(env.browser);
  await page.goto(`${env.server.url}/me`);
  await hydrated(page);
  await page.click('#language-switch');
  await page.waitForSelector('.navbar-title:has-text("Me")');
  await page.waitForSelector('.tab:has-text("Services")');
  await shot(page, '08-me-english');
  await page.context().close();
});

test('login and registration work with JavaScript disabled', async () => {
  const page = await phonePage(env.browser, { javaScriptEnabled: false });
  await page.goto(`${env.server.url}/register`);
  await page.fill('#field-phone', '1380000');
  await page.fill('#field-password', 'Qingshan#2025');
  await page.click('button[type=submit]');
  await page.waitForSelector('text=请输入正确的11位手机号');
  await shot(page, '09-nojs-register-error');

  await login(page, env.server.url, '13800000001', 'wrong-password');
  await page.waitForSelector('text=手机号或密码错误');
  await shot(page, '10-nojs-login-error');

  await login(page, env.server.url, '13800000001', DEMO_PASSWORD);
  await page.waitForURL(`${env.server.url}/me`);
  await page.waitForSelector('.profile-name:has-text("王秀兰")');
  await shot(page, '11-nojs-me');
  await page.context().close();
});

test('the chief opens the staff console and adds a clerk', async () => {
  const page = await phonePage(env.browser);
  await login(page, env.server.url, '13800000005', DEMO_PASSWORD);
  await page.waitForURL(`${env.server.url}/me`);
  await page.click('a:has-text("工作台")');
  await page.waitForSelector('.console-menu-item:has-text("人员管理")');
  await shot(page, '12-staff-home');
  await page.click('.console-menu-item:has-text("人员管理")');
  await page.waitForSelector('text=新增工作人员');
  await hydrated(page);
  await page.fill('#field-phone', '13600000077');
  await page.fill('#field-name', '周明');
  await page.selectOption('#field-role', 'clerk');
  await page.fill('#field-password', 'Qingshan#2025');
  await page.click('button[type=submit]');
  await page.waitForSelector('td:has-text("周明")');
  await shot(page, '13-staff-users');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a resident is refused the staff console', async () => {
  const page = await phonePage(env.browser);
  await login(page, env.server.url, '13800000001', DEMO_PASSWORD);
  await page.waitForURL(`${env.server.url}/me`);
  const res = await page.goto(`${env.server.url}/staff`);
  assert.equal(res.status(), 403);
  await page.waitForSelector('text=无权访问');
  await shot(page, '14-staff-forbidden');
  await page.context().close();
});
