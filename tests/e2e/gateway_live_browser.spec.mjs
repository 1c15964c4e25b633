// Issue 7 through the real gateway, browser side (gateway_live_browser_test.cpp drives the RDP
// client, the target and the CLI): an auditor signs in to the gateway's console, opens the live
// session, watches it change while the admin types, and suspends, resumes and terminates it
// with the console's buttons; suspend and resume from the CLI show up on the page too.
//
// The two sides take turns through files in cfg.sync_dir: step(name, data) writes
// <name>.req (data as JSON) and waits for the C++ side's <name>.ack (its JSON answer). An
// "abort" file (the C++ side gave up) ends the run at once.
// Input: $RDPWARDEN_WEB_TEST_CONFIG. Result: what the page showed at each step.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { runBrowserTest } from '../support/browser/lib.mjs';

const cfg = JSON.parse(process.env.RDPWARDEN_WEB_TEST_CONFIG);
const result = { checks: {}, console: [], page_errors: [] };
const note = (name, data) => { result.checks[name] = data; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function step(name, data = {}) {
  const file = (ext) => path.join(cfg.sync_dir, `${name}.${ext}`);
  writeFileSync(file('tmp'), JSON.stringify(data));
  renameSync(file('tmp'), file('req'));
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (existsSync(file('ack'))) return JSON.parse(readFileSync(file('ack'), 'utf8'));
    if (existsSync(path.join(cfg.sync_dir, 'abort'))) throw new Error(`aborted at step ${name}`);
    await sleep(20);
  }
  throw new Error(`no answer to step ${name}`);
}

async function buttons(page) {
  return page.evaluate(() => {
    const d = (sel) => document.querySelector(sel)?.disabled ?? null;
    return { suspend: d('.live-suspend'), resume: d('.live-resume'), terminate: d('.live-terminate'),
      suspended_class: document.querySelector('section.live')?.classList.contains('suspended') ?? null,
      watchers: document.querySelector('.live-watchers')?.textContent ?? '',
      status: document.querySelector('.live-status')?.textContent ?? '' };
  });
}

// Waits until the suspend button says the session is (or is not) suspended; the buttons then.
async function awaitSuspended(page, suspended) {
  const ok = await page.waitForFunction((s) => {
    const b = document.querySelector('.live-suspend');
    return b && b.disabled === s && document.querySelector('.live-resume').disabled === !s;
  }, suspended, { timeout: 10000 }).then(() => true, () => false);
  return { ok, ...(await buttons(page)) };
}

async function toastSays(page, text) {
  await page.waitForFunction((t) => {
    const el = document.getElementById('toast');
    return el && !el.hidden && el.textContent.includes(t);
  }, text, { timeout: 10000 });
}

// Every painted frame's time and a digest of its pixels (the whole canvas).
async function startSampling(page) {
  await page.evaluate(() => {
    window.liveFrames = [];
    const c = document.querySelector('canvas.live-canvas');
    const g = c.getContext('2d', { willReadFrequently: true });
    window.liveDigest = () => {
      const px = new Uint32Array(g.getImageData(0, 0, c.width, c.height).data.buffer);
      let h = 2166136261;
      for (let i = 0; i < px.length; i += 1) h = Math.imul(h ^ px[i], 16777619) >>> 0;
      return h;
    };
    c.addEventListener('live-frame', () => window.liveFrames.push({ t: Date.now(), digest: window.liveDigest() }));
  });
}

// The first frame painted after `since` that differs from `baseline` (the picture before the
// keystroke): its delay after `since`, or -1.
async function changeAfter(page, since, baseline, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = await page.evaluate(() => window.liveFrames);
    const changed = frames.find((f) => f.t > since && f.digest !== baseline);
    if (changed) return changed.t - since;
    if (Date.now() > deadline) return -1;
    await sleep(50);
  }
}

async function scenario({ page }) {
  page.on('console', (m) => { if (m.type() === 'error') result.console.push(m.text()); });
  page.on('pageerror', (e) => result.page_errors.push(String(e)));
  await page.goto(`${cfg.base_url}/`);
  await page.waitForSelector('input[name=user]');
  await page.fill('input[name=user]', cfg.auditor.user);
  await page.fill('input[name=password]', cfg.auditor.password);
  await page.click('button[type=submit]');
  const row = page.locator(`tr[data-id="${cfg.session_id}"]`);
  await row.waitFor({ timeout: 15000 });
  note('list', { live_badges: await row.locator('.badge.live').count(),
    watch_links: await row.locator('.watch-link').count() });

  await row.locator('.watch-link').click();
  await page.waitForFunction(() => Number(document.querySelector('canvas.live-canvas')?.dataset.frames) > 0,
    null, { timeout: 30000 });
  await startSampling(page);
  note('opened', { canvas: await page.evaluate(() => {
    const c = document.querySelector('canvas.live-canvas');
    return [c.width, c.height];
  }), ...(await buttons(page)) });

  // The admin's client shows the watch notice; once it has gone, the C++ side presses a key
  // at a time and the page times the first painted frame that shows it.
  await step('watching');
  const delays = [];
  for (let i = 0; i < cfg.keystrokes; i += 1) {
    const baseline = await page.evaluate(() => window.liveDigest());
    const typed = await step(`key-${i}`);
    delays.push(await changeAfter(page, typed.typed_at, baseline, 5000));
    await sleep(500);
  }
  note('typing', delays);

  await page.click('.live-suspend');
  await toastSays(page, 'Session suspended');
  note('suspended', await awaitSuspended(page, true));
  await step('suspended');

  await page.click('.live-resume');
  await toastSays(page, 'Session resumed');
  note('resumed', await awaitSuspended(page, false));
  await step('resumed');

  // The CLI acts: the page follows without a reload.
  await step('cli-suspend');
  note('cli_suspended', await awaitSuspended(page, true));
  await step('cli-resume');
  note('cli_resumed', await awaitSuspended(page, false));

  await page.click('.live-terminate');
  await page.click('.live-terminate-confirm');
  const ended = await page.waitForSelector('section.live[data-state=ended]', { timeout: 10000 })
    .then(() => true, () => false);
  note('terminated', { ended, ...(await buttons(page)) });
  await step('terminated');
  return result;
}

runBrowserTest(scenario);
