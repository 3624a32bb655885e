// In English at 390x844: a resident books from a guide and reads the booking; follows
// a case through the clerk's desk to its timeline, rates it and gives feedback; the
// chief reads the schedules page. Each page fails on any CJK character in its text
// outside content: catalogue words (item names, materials, addresses), names, and what
// people typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, login, fileCase, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();
const CJK = /[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+/g;

async function inEnglish(page) {
  await page.context().addCookies([{ name: 'bm_lang', value: 'en', url: env.server.url }]);
}

/** The page's text without the elements that hold content rather than interface text,
 * and without the `words` (names and what people typed) wherever they stand. */
async function chineseOutside(page, contentSelectors, words = []) {
  let text = await page.evaluate((selectors) => {
    const copy = document.body.cloneNode(true);
    for (const selector of [...selectors, 'script', 'style', 'template', 'option']) {
      copy.querySelectorAll(selector).forEach((el) => el.remove());
    }
    return copy.textContent;
  }, contentSelectors);
  for (const word of words) text = text.split(word).join(' ');
  return text.match(CJK) ?? [];
}

/** Signed in, then switched to English (signing in takes the profile's language). */
async function signedIn(phone) {
  const page = await phonePage(env.browser);
  await login(page, env.server.url, phone, DEMO_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await inEnglish(page);
  return page;
}

test('a resident books and reads the booking in English', async () => {
  const page = await signedIn('13800000001');
  await page.goto(`${env.server.url}/guides/SB-004`);
  await hydrated(page);
  await page.click('a[href^="/booking?item=SB-004"]');
  await page.waitForSelector('.day-chips');
  const chip = (await page.locator('.day-chip >> nth=0').textContent()).trim();
  assert.match(chip, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}/, chip);
  assert.deepEqual(await chineseOutside(page, ['.page-heading']), []);
  await shot(page, '90-english-booking-days');

  await page.click('a.day-chip >> nth=0');
  await page.waitForSelector('input[name="slot"]:not([disabled])');
  await page.check('input[name="slot"]:not([disabled]) >> nth=0');
  await page.click('#book-submit');
  await page.waitForURL(/\/bookings\/[2-9A-Z]{8}$/);
  await page.waitForSelector('#booking .status-booked:has-text("Booked")');
  const when = (await page.locator('.booking-when').textContent()).trim();
  assert.match(when, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} \d{2}:\d{2}-\d{2}:\d{2}$/, when);
  // The item, the materials to bring and the address are the catalogue's own words.
  assert.deepEqual(await chineseOutside(page, ['.page-heading', '.checklist', '.cell > span:not(.cell-label)']), []);
  await shot(page, '91-english-booking');

  await hydrated(page);
  await page.click('#cancel-booking');
  await page.waitForSelector('#booking .status-cancelled:has-text("Cancelled")');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the chief reads the schedules page in English', async () => {
  const page = await signedIn('13800000005');
  await page.goto(`${env.server.url}/staff/schedules`);
  await page.waitForSelector('h2:has-text("Booking schedules")');
  await page.waitForSelector('h2:has-text("Holidays and adjusted working days")');
  // Table cells hold the center's data: window and holiday names, residents.
  assert.deepEqual(await chineseOutside(page, ['td', '.staff-user']), []);
  await shot(page, '92-english-schedules');
  await page.context().close();
});

// Names and what people typed in this journey (content, shown as written).
const TYPED = [
  // names of people and windows, and catalogue words: the item and its materials
  '王秀兰', '张敏', '李强', '赵刚', '1号窗口（综合受理）', '2号窗口（综合受理）', '3号窗口（绿色通道）',
  '老年人优待证办理', '居民身份证', '近期免冠一寸白底照片', '核验后退还',
  // what people typed or uploaded
  '已制发老年人优待证', '窗口领取', '身份证.jpg', '照片.pdf', '等候太久', '大厅打印机坏了，请尽快修理。',
];

test('in English, a case goes through the clerk\'s desk to its timeline, is rated, and feedback is given', async () => {
  const resident = await signedIn('13800000001');
  const clerk = await signedIn('13800000003');
  const number = await fileCase(resident, env.server.url);

  // The clerk's desk, in English: accept, then complete.
  await clerk.goto(`${env.server.url}/staff/cases/${number}`);
  await hydrated(clerk);
  await clerk.click('#act-accept');
  await clerk.waitForSelector('.case-status-accepted');
  await clerk.fill('#complete-text', '已制发老年人优待证');
  await clerk.click('#act-complete');
  await clerk.waitForSelector('.case-status-completed');
  const content = ['.page-heading', '.material-name', '.cell > span:not(.cell-label)', '.thumb', '.console-user', 'h1'];
  assert.deepEqual(await chineseOutside(clerk, content, TYPED), []);
  await shot(clerk, '93-english-clerk-desk');

  // The resident's case: status and timeline in English.
  await resident.goto(`${env.server.url}/cases/${number}`);
  await resident.waitForSelector('.case-status-completed:has-text("Completed")');
  await resident.waitForSelector('#timeline >> text=Accepted');
  assert.deepEqual(await chineseOutside(resident, content, TYPED), []);
  await shot(resident, '94-english-case');

  // Rating: levels and tags in English.
  await resident.goto(`${env.server.url}/rate/case/${number}`);
  await resident.waitForSelector('#rate-form');
  assert.deepEqual(await chineseOutside(resident, content, TYPED), []);
  await hydrated(resident);
  await resident.check('#level-2');
  await resident.fill('#rate-comment', '等候太久');
  await resident.click('#rate-submit');
  await resident.waitForSelector('#my-rating >> text=Unsatisfied');
  assert.deepEqual(await chineseOutside(resident, content, TYPED), []);
  await shot(resident, '95-english-rated');

  // Feedback: the form and the filed complaint.
  await resident.goto(`${env.server.url}/feedback/new`);
  await resident.waitForSelector('#feedback-form');
  assert.deepEqual(await chineseOutside(resident, content, TYPED), []);
  await hydrated(resident);
  await resident.check('#kind-complaint');
  await resident.fill('#feedback-body', '大厅打印机坏了，请尽快修理。');
  await resident.click('#feedback-submit');
  await resident.waitForURL(/\/feedback\/YJ\d{8}-\d{4}$/);
  assert.deepEqual(await chineseOutside(resident, content, TYPED), []);
  await shot(resident, '96-english-feedback');
  for (const page of [resident, clerk]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
