// Browser-test harness: starts the release server on a free loopback port with its own
// data folder and demo data, and drives Debian's chromium through playwright-core at a
// phone viewport (390x844). Screenshots go to tests/e2e/screenshots/ (git-ignored).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache', 'bianmin', 'target');
const serverBin = join(targetDir, 'release', 'server');
export const shotsDir = join(here, 'screenshots');
mkdirSync(shotsDir, { recursive: true });

export const DEMO_PASSWORD = 'Bianmin@2026';
export const PHONE = { width: 390, height: 844 };

/** A small whole PDF. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
// A tiny JPEG (JFIF, EXIF with a position, scan, end): structurally whole.
export const SMALL_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x07, 0x4a, 0x46, 0x49, 0x46, 0x00,
  0xff, 0xe1, 0x00, 0x0a, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x47, 0x50,
  0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0x55, 0x66, 0xff, 0xd9,
]);


function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts `server serve` with demo data; returns { url, stop }. */
export async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'bianmin-e2e-'));
  const env = {
    ...process.env,
    BIANMIN_DATA_DIR: dataDir,
    BIANMIN_BIND: `127.0.0.1:${port}`,
    BIANMIN_PUBLIC_URL: `http://127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: join(root, 'target', 'site'),
    RUST_LOG: 'warn',
  };
  execFileSync(serverBin, ['seed-demo'], { env, cwd: root, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const launch = async () => {
    const child = spawn(serverBin, ['serve'], { env, cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; i < 100; i++) {
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok) break;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    return child;
  };
  const halt = async (child) => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  let child = await launch();
  return {
    url,
    /** Stops the server and starts it again on the same port and data. */
    async restart() {
      await halt(child);
      child = await launch();
    },
    async stop() {
      await halt(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A phone-sized page; collects console errors and failed requests so tests can assert none. */
export async function phonePage(browser, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN', javaScriptEnabled,
    // No cross-fade between pages: screenshots show the page, not a blend of two.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.javaScriptEnabled = javaScriptEnabled;
  page.errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(msg.text()); });
  page.on('pageerror', (err) => page.errors.push(String(err)));
  return page;
}

/** Waits until WASM has hydrated the page. */
export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated]', { timeout: 20000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
}

/** Logs in through the form (works with or without JavaScript). */
export async function login(page, url, phone, password) {
  await page.goto(`${url}/login`);
  if (page.javaScriptEnabled) await hydrated(page);
  await page.fill('#field-phone', phone);
  await page.fill('#field-password', password);
  await page.click('button[type=submit]');
}

/**
 * Registers hooks that start a server and a browser for this test file and stop them
 * afterwards; returns an object whose `server` and `browser` are set once started.
 */
export function useServerAndBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** A server function call from the page's own session, as a form post; its JSON answer. */
export async function serverCall(page, url, endpoint, form) {
  const res = await page.request.post(`${url}/api/${endpoint}`, {
    form,
    headers: { Origin: url, Accept: 'application/json' },
  });
  if (res.status() !== 200) throw new Error(`${endpoint}: ${res.status()} ${await res.text()}`);
  return res.json().catch(() => null);
}

/** 王秀兰 files and submits an LC-005 case (a photo and a PDF) through the same
 * endpoints the pages use; returns its number. */
export async function fileCase(resident, url) {
  const number = await serverCall(resident, url, 'case_create', {
    code: 'LC-005', name: '王秀兰', phone: '13800000001', id_number: '11010519491231002X', notes: '', key: `e2e-${Date.now()}-${Math.random()}`,
  });
  for (const [index, file] of [[0, { name: '身份证.jpg', mimeType: 'image/jpeg', buffer: SMALL_JPEG }], [1, { name: '照片.pdf', mimeType: 'application/pdf', buffer: PDF }]]) {
    const res = await resident.request.post(`${url}/cases/${number}/materials/${index}`, {
      multipart: { file }, headers: { Origin: url, Accept: 'application/json' },
    });
    if (res.status() !== 200) throw new Error(`upload ${index}: ${res.status()} ${await res.text()}`);
  }
  await serverCall(resident, url, 'case_submit', { number });
  return number;
}
