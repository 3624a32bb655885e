// Cases at 390x844: a resident starts a case from a guide, uploads a large phone photo
// (downscaled in the browser, with a progress bar) and a PDF, submits; a clerk accepts
// and sends a one-time notice; the resident reads it in the message list, replaces the
// material and resubmits; the clerk completes; the resident sees the timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, login, DEMO_PASSWORD, PDF, SMALL_JPEG } from './harness.mjs';

const env = useServerAndBrowser();


/** Puts a large, noisy camera-sized JPEG (at least 5 MB) into the file input of `selector`. */
async function chooseBigPhoto(page, selector) {
  return page.evaluate(async (selector) => {
    const canvas = document.createElement('canvas');
    canvas.width = 4000;
    canvas.height = 3000;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < image.data.length; i += 4) {
      const v = (Math.random() * 255) | 0;
      image.data[i] = v; image.data[i + 1] = (v * 7) & 255; image.data[i + 2] = (v * 13) & 255; image.data[i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.9));
    const file = new File([blob], 'IMG_20261129_photo.jpg', { type: 'image/jpeg' });
    const input = document.querySelector(selector);
    const dt = new DataTransfer();
    dt.items.add(file);
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return file.size;
  }, selector);
}

test('a resident applies with photos, answers a one-time notice, and sees the case completed', async () => {
  const resident = await phonePage(env.browser);
  await login(resident, env.server.url, '13800000001', DEMO_PASSWORD);
  await resident.waitForURL((u) => !u.pathname.startsWith('/login'));
  await resident.goto(`${env.server.url}/guides/LC-005`);
  await hydrated(resident);
  await resident.click('#start-case');
  await resident.waitForURL(/\/cases\/new\?item=LC-005/);
  await resident.waitForSelector('#field-id_number');
  assert.equal(await resident.inputValue('#field-name'), '王秀兰', 'prefilled from the profile');
  // A wrong check character is caught in the browser, with the server's own parser.
  await resident.fill('#field-id_number', '110105194912310021');
  await resident.click('#field-notes');
  await resident.waitForSelector('text=身份证号码校验位不正确');
  await resident.fill('#field-id_number', '11010519491231002X');
  await shot(resident, '60-case-new');
  await resident.click('#create-case');
  await resident.waitForURL(/\/cases\/BM\d{8}-\d{4}$/);
  const number = (await resident.locator('#case-number').textContent()).trim();
  await hydrated(resident);

  // A 5 MB camera photo: downscaled in the browser, uploaded with a progress bar.
  const size = await chooseBigPhoto(resident, '#material-0 input[type=file]');
  assert.ok(size >= 5 * 1024 * 1024, `the photo is ${size} bytes`);
  await resident.waitForSelector('#material-0 .upload-row progress');
  await shot(resident, '61-case-uploading');
  await resident.waitForSelector('#material-0 .thumb img', { timeout: 60000 });
  await hydrated(resident);
  await resident.setInputFiles('#material-1 input[type=file]', { name: '一寸照片.pdf', mimeType: 'application/pdf', buffer: PDF });
  await resident.waitForSelector('#material-1 .thumb-doc', { timeout: 30000 });
  await hydrated(resident);
  const stored = await resident.request.get(`${env.server.url}${await resident.getAttribute('#material-0 .thumb a', 'href')}`);
  assert.equal(stored.status(), 200);
  assert.ok((await stored.body()).length < size / 2, 'the photo was downscaled before sending');
  await shot(resident, '62-case-materials');
  await resident.click('#case-submit');
  await resident.waitForSelector('.case-status-submitted');

  // The clerk accepts and asks for a clearer photo, in one notice.
  const clerk = await phonePage(env.browser);
  await login(clerk, env.server.url, '13800000003', DEMO_PASSWORD);
  await clerk.waitForURL((u) => !u.pathname.startsWith('/login'));
  await clerk.goto(`${env.server.url}/staff/cases`);
  await clerk.click(`a[href="/staff/cases/${number}"]`);
  await hydrated(clerk);
  await clerk.click('#act-accept');
  await clerk.waitForSelector('#supplement');
  await clerk.check('#supplement input[name="m"][value="0"]');
  await clerk.fill('#supplement input[name="reason_0"]', '身份证照片反光，请在光线均匀处重新拍摄');
  await shot(clerk, '63-clerk-notice');
  await clerk.click('#send-notice');
  await clerk.waitForSelector('.case-status-supplement_requested');

  // The resident sees it in the message list, replaces the photo and resubmits.
  await resident.goto(`${env.server.url}/me`);
  await resident.waitForSelector('#unread-badge');
  await resident.click('#messages-cell');
  await resident.waitForSelector('text=请补正材料（一次性告知）');
  await shot(resident, '64-messages');
  await resident.click(`a[href="/cases/${number}"]`);
  await resident.waitForSelector('#notice');
  await hydrated(resident);
  await shot(resident, '65-case-notice');
  await resident.setInputFiles('#material-0 input[type=file]', { name: '身份证-重拍.jpg', mimeType: 'image/jpeg', buffer: SMALL_JPEG });
  await resident.waitForSelector('#material-0 .thumb:nth-child(1)', { timeout: 30000 });
  await hydrated(resident);
  await resident.click('#case-resubmit');
  await resident.waitForSelector('.case-status-accepted');

  // The clerk completes it; the resident sees the result and the whole timeline.
  await clerk.reload();
  await hydrated(clerk);
  await clerk.fill('#complete-text', '已制发老年人优待证');
  await clerk.click('#act-complete');
  await clerk.waitForSelector('.case-status-completed');
  await resident.reload();
  await resident.waitForSelector('.case-status-completed');
  for (const step of ['提交申请', '受理', '一次性告知', '重新提交', '办结']) {
    await resident.waitForSelector(`#timeline >> text=${step}`);
  }
  await shot(resident, '66-case-completed');
  // 长辈版: the same page with large text and targets.
  await resident.context().addCookies([{ name: 'bm_elder', value: '1', url: env.server.url }]);
  await resident.reload();
  await resident.waitForSelector('.case-status-completed');
  const fontSize = await resident.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.timeline-what')).fontSize));
  assert.ok(fontSize >= 18, `elder mode timeline text is ${fontSize}px`);
  await shot(resident, '68-case-elder');
  assert.deepEqual(resident.errors, []);
  assert.deepEqual(clerk.errors, []);
  await resident.context().close();
  await clerk.context().close();
});

test('anyone can track a case by number and the phone\'s last four digits, without JavaScript', async () => {
  const page = await phonePage(env.browser, { javaScriptEnabled: false });
  await page.goto(`${env.server.url}/track?number=BM20260101-0001&last4=0000`);
  await page.waitForSelector('#track-error');
  assert.match(await page.locator('#track-error').textContent(), /未查到/);
  await shot(page, '67-track');
  await page.context().close();
});
