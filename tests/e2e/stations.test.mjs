// 帮办代办 at 390x844: a helper registers an elderly resident with no phone, prints and
// photographs a paper authorisation, files a case with materials and books a station
// slot for him; a clerk sees 代办 on the case and completes it; the helper records
// delivery; the family signs him up, a clerk confirms the claim, and he sees the case,
// confirms receipt and rates it; revoking the authorisation removes the helper's
// access on the next request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, login, DEMO_PASSWORD, PDF, SMALL_JPEG } from './harness.mjs';

const env = useServerAndBrowser();
const ELDER_ID = '320102196503151231';

test('a helper acts for an elderly resident under a paper authorisation, end to end', async () => {
  const url = env.server.url;
  const helper = await phonePage(env.browser);
  await login(helper, url, '13800000002', DEMO_PASSWORD);
  await helper.waitForURL((u) => !u.pathname.startsWith('/login'));
  await helper.goto(`${url}/station`);
  await helper.waitForSelector('#today');
  await shot(helper, '90-station-desk');

  // Register him: no phone, no account.
  await helper.click('#register-resident');
  await helper.waitForURL(/\/station\/residents\/new$/);
  await helper.fill('#field-name', '李守田');
  await helper.fill('#field-id_number', ELDER_ID);
  await helper.fill('#field-address', '东山村3组12号');
  await shot(helper, '91-register-resident');
  await helper.click('#register-submit');
  await helper.waitForURL(/\/station\/residents\/\d+$/);
  const desk = helper.url();
  await helper.waitForSelector('#nothing-allowed');
  await shot(helper, '92-resident-desk');

  // A paper authorisation for two items: print the filled-in form, photograph it.
  await helper.check('#new-authorisation input[value="LC-005"]');
  await helper.check('#new-authorisation input[value="SB-004"]');
  await helper.click('#authorisation-submit');
  await helper.waitForURL(/\/station\/authorisations\/\d+$/);
  await helper.waitForSelector('#paper >> text=李守田');
  await shot(helper, '93-paper-form');
  await helper.setInputFiles('#paper-file', { name: '委托书.jpg', mimeType: 'image/jpeg', buffer: SMALL_JPEG });
  await helper.click('#paper-submit');
  await helper.waitForSelector('#paper-photo');
  await helper.goto(desk);
  await helper.waitForSelector('#file-LC-005');
  await shot(helper, '94-desk-authorised');

  // File the case for him, with materials.
  await helper.click('#file-LC-005');
  await helper.waitForURL(/\/cases\/new\?item=LC-005&for=\d+/);
  assert.equal(await helper.inputValue('#field-name'), '李守田', 'filled from his record');
  assert.equal(await helper.inputValue('#field-id_number'), ELDER_ID);
  await helper.click('#create-case');
  await helper.waitForURL(/\/cases\/BM\d{8}-\d{4}$/);
  const number = (await helper.locator('#case-number').textContent()).trim();
  await hydrated(helper);
  await helper.setInputFiles('#material-0 input[type=file]', { name: '身份证.jpg', mimeType: 'image/jpeg', buffer: SMALL_JPEG });
  await helper.waitForSelector('#material-0 .thumb', { timeout: 30000 });
  await hydrated(helper);
  await helper.setInputFiles('#material-1 input[type=file]', { name: '照片.pdf', mimeType: 'application/pdf', buffer: PDF });
  await helper.waitForSelector('#material-1 .thumb-doc', { timeout: 30000 });
  await hydrated(helper);
  await helper.click('#case-submit');
  await helper.waitForSelector('.case-status-submitted');
  await helper.waitForSelector('#timeline >> text=代办受理');
  await shot(helper, '95-assisted-case');

  // Book a station slot for him.
  await helper.goto(desk);
  await helper.click('#book-SB-004');
  await helper.waitForSelector('#booking-for');
  await helper.click('.day-chip:not(.disabled)');
  await helper.waitForSelector('input[name=slot]');
  await helper.check('input[name=slot]:not([disabled])');
  await helper.check('input[name=channel][value=station]');
  await helper.selectOption('#book-station', { label: '东山村便民服务站' });
  await shot(helper, '96-book-for');
  await helper.click('#book-submit');
  await helper.waitForSelector('#booking-assisted >> text=代办');
  await shot(helper, '97-booked-for');

  // The clerk sees 代办, accepts and completes.
  const clerk = await phonePage(env.browser);
  await login(clerk, url, '13800000003', DEMO_PASSWORD);
  await clerk.waitForURL((u) => !u.pathname.startsWith('/login'));
  await clerk.goto(`${url}/staff/cases`);
  await clerk.waitForSelector(`#assisted-${number}`);
  await clerk.goto(`${url}/staff/cases/${number}`);
  await hydrated(clerk);
  await clerk.waitForSelector('#case-assisted');
  await shot(clerk, '98-clerk-sees-assisted');
  await clerk.click('#act-accept');
  await clerk.waitForSelector('.case-status-accepted');
  await clerk.fill('#complete-text', '已制发老年人优待证，送服务站');
  await clerk.click('#act-complete');
  await clerk.waitForSelector('.case-status-completed');

  // The helper records that the result reached the station.
  await helper.goto(`${url}/cases/${number}`);
  await helper.click('#handoff-deliver');
  await helper.waitForSelector('#timeline >> text=送达服务站');
  await shot(helper, '99-delivered');

  // His family signs him up and asks for his records; a clerk checks the ID card.
  const elder = await phonePage(env.browser);
  await elder.goto(`${url}/register`);
  await hydrated(elder);
  await elder.fill('#field-phone', '13900139088');
  await elder.fill('#field-password', 'Qingshan#2025');
  await elder.fill('#field-name', '李守田');
  await elder.click('button[type=submit]');
  await elder.waitForURL(`${url}/me`);
  await elder.goto(`${url}/me/claim`);
  await elder.fill('#field-id_number', ELDER_ID);
  await elder.click('#claim-submit');
  await elder.waitForSelector('#claim-sent');
  await shot(elder, '9a-claim');
  await clerk.goto(`${url}/staff/claims`);
  await clerk.click('button[id^=claim-confirm-]');
  await clerk.waitForSelector('text=暂无待核验的认领');

  // He sees the case, confirms receipt, rates it.
  await elder.goto(`${url}/cases`);
  await elder.click(`a[href="/cases/${number}"]`);
  await elder.waitForSelector('#handoff');
  await shot(elder, '9b-elder-case');
  await elder.click('#handoff-receive');
  await elder.waitForSelector('#timeline >> text=群众签收');
  await hydrated(elder);
  await elder.click('#rate-case');
  await elder.waitForSelector('#rate-form');
  await hydrated(elder);
  await elder.check('#level-5');
  await elder.click('#rate-submit');
  await elder.waitForSelector('#my-rating >> text=非常满意');

  // He revokes the authorisation: the helper's next request sees a summary only.
  await elder.goto(`${url}/me/authorisations`);
  await shot(elder, '9c-authorisations');
  await elder.click('button[id^=authorisation-revoke-]');
  await elder.waitForSelector('text=已撤销');
  await helper.goto(`${url}/cases/${number}`);
  await helper.waitForSelector('#case-limited');
  assert.equal(await helper.locator('#materials').count(), 0, 'no materials after revocation');
  await shot(helper, '9d-helper-after-revoke');
  for (const page of [helper, clerk, elder]) assert.deepEqual(page.errors, []);
  for (const page of [helper, clerk, elder]) await page.context().close();
});
