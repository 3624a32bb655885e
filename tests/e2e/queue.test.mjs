// The hall queue: a clerk issues a ticket and calls it at their window; the hall board
// (a second page, left open) shows the call without a reload — also after the server
// restarts, when the board reconnects by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phonePage, hydrated, shot, login, DEMO_PASSWORD } from './harness.mjs';

const env = useServerAndBrowser();

async function callNext(clerk) {
  await clerk.goto(`${env.server.url}/staff/queue`);
  await hydrated(clerk);
  const next = clerk.locator('button[id$="-next"]:not([disabled])').first();
  await next.click();
  await clerk.waitForSelector('button[id$="-served"]:not([disabled])');
}

async function serveCurrent(clerk) {
  await clerk.locator('button[id$="-served"]:not([disabled])').first().click();
  await clerk.waitForSelector('button[id$="-next"]:not([disabled])');
}

test('the board updates when a clerk calls the next number, and reconnects after a restart', async () => {
  const clerk = await phonePage(env.browser);
  await login(clerk, env.server.url, '13800000003', DEMO_PASSWORD);
  await clerk.waitForURL((u) => !u.pathname.startsWith('/login'));

  // Two walk-in tickets, one in the priority lane.
  await clerk.goto(`${env.server.url}/staff/checkin`);
  await hydrated(clerk);
  await clerk.fill('#walk-in-label', '咨询社保');
  await clerk.click('#walk-in-form button[type=submit]');
  await clerk.waitForSelector('#issued-number:has-text("B001")');
  await shot(clerk, '50-checkin-issued');
  await clerk.fill('#walk-in-label', '老年证');
  await clerk.check('#walk-in-form input[name=priority]');
  await clerk.click('#walk-in-form button[type=submit]');
  await clerk.waitForSelector('#issued-number:has-text("V001")');

  const board = await phonePage(env.browser);
  await board.setViewportSize({ width: 1280, height: 720 });
  await board.goto(`${env.server.url}/board`);
  await hydrated(board);
  await board.waitForSelector('#board-waiting:has-text("2")');
  await shot(board, '51-board-before');

  await callNext(clerk);
  await shot(clerk, '52-window-console');
  // The priority lane is called first; the board shows it without a reload.
  await board.waitForSelector('.board-window.calling .board-number:has-text("V001")', { timeout: 3000 });
  await board.waitForSelector('#board-waiting:has-text("1")');
  await shot(board, '53-board-called');

  await env.server.restart();
  await serveCurrent(clerk);
  await clerk.locator('button[id$="-next"]:not([disabled])').first().click();
  await board.waitForSelector('.board-window.calling .board-number:has-text("B001")', { timeout: 10000 });
  await board.waitForSelector('.board-offline', { state: 'hidden' });
  await board.setViewportSize({ width: 390, height: 844 });
  await shot(board, '54-board-phone');

  assert.deepEqual(clerk.errors.filter((e) => !/events|ERR_CONNECTION|ERR_INCOMPLETE_CHUNKED|EventSource/i.test(e)), []);
  // The board logs the dropped connection while the server restarts; nothing else.
  assert.deepEqual(board.errors.filter((e) => !/events|ERR_CONNECTION|ERR_INCOMPLETE_CHUNKED|EventSource/i.test(e)), []);
  await clerk.context().close();
  await board.context().close();
});

test('a resident checked in at the window sees the ticket and their place', async () => {
  const resident = await phonePage(env.browser);
  await login(resident, env.server.url, '13800000001', DEMO_PASSWORD);
  await resident.waitForURL((u) => !u.pathname.startsWith('/login'));
  await resident.goto(`${env.server.url}/queue`);
  await hydrated(resident);
  await resident.waitForSelector('text=今天还没有排号');
  await shot(resident, '55-my-ticket-empty');
  assert.deepEqual(resident.errors, []);
  await resident.context().close();
});
