// Ratings and feedback at 390x844: a resident rates a completed case 不满意; the handler
// sees the rectification task, records the call-back and the fix; the resident rates the
// fix 满意. Then a resident files a complaint with a photo, the handler replies, and
// the resident confirms the outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, login, serverCall, fileCase, DEMO_PASSWORD, PDF, SMALL_JPEG } from './harness.mjs';

const env = useServerAndBrowser();


/** A server function call from the page's own session, as a form post. */
const call = (page, endpoint, form) => serverCall(page, env.server.url, endpoint, form);

async function signedIn(phone) {
  const page = await phonePage(env.browser);
  await login(page, env.server.url, phone, DEMO_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** A case of 王秀兰's that 张敏 has completed, set up through the same endpoints the pages use. */
async function completedCase(resident, clerk) {
  const number = await fileCase(resident, env.server.url);
  await call(clerk, 'case_accept', { number });
  await call(clerk, 'case_complete', { number, result: '已制发老年人优待证', pickup: '窗口领取' });
  return number;
}

test('a bad rating is called back, put right, and the fix rated', async () => {
  const resident = await signedIn('13800000001');
  const clerk = await signedIn('13800000003');
  const number = await completedCase(resident, clerk);

  await resident.goto(`${env.server.url}/cases/${number}`);
  await hydrated(resident);
  await resident.click('#rate-case');
  await resident.waitForURL(new RegExp(`/rate/case/${number}$`));
  await resident.waitForSelector('#rate-form');
  await hydrated(resident);
  await resident.check('#level-2');
  await resident.check('input[name=tag_0]');
  await resident.fill('#rate-comment', '排队等了一个多小时，窗口只开了一个');
  await shot(resident, '70-rate-case');
  await resident.click('#rate-submit');
  await resident.waitForSelector('#my-rating >> text=不满意');
  await resident.waitForSelector('#rectification >> text=待回访');
  await shot(resident, '71-rated-bad');

  const handler = await signedIn('13800000004');
  await handler.goto(`${env.server.url}/staff/feedback`);
  await handler.waitForSelector('#rectifications');
  await shot(handler, '72-handler-console');
  await handler.click('#rectifications a');
  await handler.waitForSelector('#callback-form');
  await hydrated(handler);
  await handler.fill('#callback-text', '已电话回访王秀兰，了解到高峰时段只开一个窗口');
  await handler.click('#rect-callback');
  await handler.waitForSelector('#fix-form');
  await handler.fill('#fix-text', '高峰时段增开综合窗口，并由帮办员引导老年人');
  await handler.click('#rect-fix');
  await handler.waitForSelector('#rectification >> text=已整改，待评价');
  await shot(handler, '73-rectification');

  await resident.goto(`${env.server.url}/messages`);
  await resident.waitForSelector('text=整改结果');
  await resident.goto(`${env.server.url}/rate/case/${number}`);
  await resident.waitForSelector('#rate-fix-form');
  await hydrated(resident);
  await resident.check('#level-4');
  await resident.click('#rate-fix-submit');
  await resident.waitForSelector('#rectification >> text=已完成');
  await resident.waitForSelector('#rectification >> text=对整改结果的评价');
  await shot(resident, '74-fix-rated');
  // 长辈版: the same page with large text and targets.
  await resident.context().addCookies([{ name: 'bm_elder', value: '1', url: env.server.url }]);
  await resident.reload();
  await resident.waitForSelector('#rectification');
  await shot(resident, '79-rate-elder');
  for (const page of [resident, clerk, handler]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('a complaint with a photo is replied to and confirmed', async () => {
  const resident = await signedIn('13800000001');
  await resident.goto(`${env.server.url}/me`);
  await resident.click('text=我的投诉建议');
  await resident.waitForURL(/\/feedback$/);
  await resident.click('#new-feedback');
  await resident.waitForSelector('#feedback-form');
  await hydrated(resident);
  await resident.check('#kind-complaint');
  await resident.fill('#feedback-body', '大厅自助打印机坏了一周还没修，老人只能来回跑。');
  await resident.setInputFiles('#feedback-photos', { name: '打印机.jpg', mimeType: 'image/jpeg', buffer: SMALL_JPEG });
  await shot(resident, '75-feedback-new');
  await resident.click('#feedback-submit');
  await resident.waitForURL(/\/feedback\/YJ\d{8}-\d{4}$/);
  const number = (await resident.locator('#feedback-number').textContent()).trim();
  await resident.waitForSelector('#feedback .thumbs img');
  await shot(resident, '76-feedback-filed');

  const handler = await signedIn('13800000004');
  await handler.goto(`${env.server.url}/staff/feedback?kind=complaint`);
  await handler.click(`a[href="/staff/feedback/${number}"]`);
  await handler.waitForSelector('#fb-take');
  await hydrated(handler);
  await handler.click('#fb-take');
  await handler.waitForSelector('#reply-form');
  await handler.fill('#fb-reply-text', '打印机已于今日修复，并增加一台备用机。感谢您的监督！');
  await handler.click('#fb-reply');
  await handler.waitForSelector('#feedback >> text=已答复');
  await shot(handler, '77-handler-replied');

  await resident.reload();
  await resident.waitForSelector('#confirm-form');
  await hydrated(resident);
  await resident.check('#level-5');
  await resident.click('#feedback-confirm');
  await resident.waitForSelector('#feedback >> text=已办结');
  await resident.waitForSelector('#timeline >> text=确认处理结果');
  await shot(resident, '78-feedback-confirmed');
  await resident.context().addCookies([{ name: 'bm_elder', value: '1', url: env.server.url }]);
  await resident.goto(`${env.server.url}/feedback/new`);
  await resident.waitForSelector('#feedback-form');
  await shot(resident, '80-feedback-new-elder');
  for (const page of [resident, handler]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('what a resident typed survives an expired session and a refused photo', async () => {
  const resident = await signedIn('13800000001');
  await resident.goto(`${env.server.url}/feedback/new`);
  await resident.waitForSelector('#feedback-form');
  await hydrated(resident);
  await resident.check('#kind-suggestion');
  const text = '建议在服务站增设老花镜和放大镜，方便老人填表。';
  await resident.fill('#feedback-body', text);
  await resident.check('#feedback-publish');

  // The session ends while the form is open: log in again, and the text is back.
  await resident.context().clearCookies();
  await resident.click('#feedback-submit');
  await resident.waitForURL(/\/login\?next=/);
  await hydrated(resident);
  await resident.fill('#field-phone', '13800000001');
  await resident.fill('#field-password', DEMO_PASSWORD);
  await resident.click('button[type=submit]');
  await resident.waitForURL(/\/feedback\/new\?restore=1$/);
  await resident.waitForSelector('#draft-restored');
  assert.equal(await resident.inputValue('#feedback-body'), text);
  assert.ok(await resident.isChecked('#kind-suggestion'));
  assert.ok(await resident.isChecked('#feedback-publish'));
  await shot(resident, '81-feedback-draft-restored');

  // In 长辈版 too (the refusal below comes back in it).
  await resident.context().addCookies([{ name: 'bm_elder', value: '1', url: env.server.url }]);

  // A photo that is not a photo is refused, and the text is still there.
  await resident.setInputFiles('#feedback-photos', { name: '照片.jpg', mimeType: 'image/jpeg', buffer: PDF });
  await resident.click('#feedback-submit');
  await resident.waitForURL(/\/feedback\/new\?error=/);
  await resident.waitForSelector('#feedback-error');
  await resident.waitForSelector('#draft-restored');
  assert.equal(await resident.inputValue('#feedback-body'), text);
  await shot(resident, '82-feedback-draft-restored-elder');

  // Once sent, a fresh form starts empty.
  await resident.click('#feedback-submit');
  await resident.waitForURL(/\/feedback\/YJ\d{8}-\d{4}$/);
  await resident.goto(`${env.server.url}/feedback/new`);
  await resident.waitForSelector('#feedback-form');
  await hydrated(resident);
  assert.equal(await resident.inputValue('#feedback-body'), '');
  assert.equal(await resident.locator('#draft-restored').isVisible(), false);
  assert.deepEqual(resident.errors, []);
  await resident.context().close();
});
