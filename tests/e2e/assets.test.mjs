// Static assets are served pre-compressed; the app fits a 320px screen; the console
// works on a desktop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { useServerAndBrowser, phonePage, hydrated, shot, login, root, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();

function head(url, encoding) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let size = 0;
      res.on('data', (chunk) => { size += chunk.length; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, size }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('WASM, JS and CSS are served pre-compressed (brotli, then gzip)', async () => {
  const pkg = join(root, 'target', 'site', 'pkg');
  for (const file of ['bianmin.wasm', 'bianmin.js', 'bianmin.css']) {
    const br = await head(`${env.server.url}/pkg/${file}`, 'br');
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br', file);
    assert.equal(br.size, statSync(join(pkg, `${file}.br`)).size, `${file}: the pre-compressed file is sent`);
    const gz = await head(`${env.server.url}/pkg/${file}`, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip', file);
  }
  const wasm = await head(`${env.server.url}/pkg/bianmin.wasm`, 'br');
  assert.equal(wasm.headers['content-type'], 'application/wasm');
});

test('pages link this build\'s assets under a versioned path, cached for good', async () => {
  const html = await (await fetch(`${env.server.url}/`)).text();
  const linked = [...html.matchAll(/\/v\/([0-9a-f]{12})\/pkg\/bianmin\.(js|wasm|css)/g)];
  assert.deepEqual([...new Set(linked.map((m) => m[2]))].sort(), ['css', 'js', 'wasm'], 'JS, WASM and CSS linked');
  const version = linked[0][1];
  for (const file of ['bianmin.wasm', 'bianmin.js', 'bianmin.css']) {
    const res = await head(`${env.server.url}/v/${version}/pkg/${file}`, 'br');
    assert.equal(res.status, 200, file);
    assert.match(res.headers['cache-control'], /immutable/, file);
    assert.equal(res.headers['content-encoding'], 'br', file);
  }
  const stale = await head(`${env.server.url}/v/000000000000/pkg/bianmin.js`, 'br');
  assert.equal(stale.status, 404, 'another build\'s address is not served');
});

test('fine at 320px wide: nothing overflows sideways', async () => {
  const page = await phonePage(env.browser);
  await page.setViewportSize({ width: 320, height: 568 });
  for (const path of ['/', '/me', '/login', '/register']) {
    await page.goto(`${env.server.url}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
  }
  await shot(page, '16-home-320');
  await page.context().close();
});

test('the staff console on a desktop', async () => {
  const page = await phonePage(env.browser);
  await login(page, env.server.url, '13800000005', DEMO_PASSWORD);
  await page.waitForURL(`${env.server.url}/me`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${env.server.url}/staff/users`);
  await hydrated(page);
  await page.waitForSelector('td:has-text("刘志强")');
  await shot(page, '17-staff-users-desktop');
  await page.context().close();
});
