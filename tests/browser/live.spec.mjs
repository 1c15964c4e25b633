// The live view in real headless Chromium (issue 7): an auditor finds the running session
// (live badge, Watch link), watches it while the desktop changes (every presented frame's
// colour is sampled with its wall time, so the C++ test can compute the delay from each change
// to the browser), a second tab watches too, "Play from start" plays the recording so far and
// "Jump to live" comes back, then the controls: suspend, resume, a message, terminate.
// Input: $RDPWARDEN_WEB_TEST_CONFIG (see live_browser_test.cpp). Result: what was observed.

import path from 'node:path';

import { runBrowserTest } from '../support/browser/lib.mjs';

const cfg = JSON.parse(process.env.RDPWARDEN_WEB_TEST_CONFIG);
const result = { checks: {}, console: [], page_errors: [] };
const note = (name, data) => { result.checks[name] = data; };
const shot = async (page, name) => {
  if (cfg.screenshots_dir) await page.screenshot({ path: path.join(cfg.screenshots_dir, `live-${name}.png`) });
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') result.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => result.page_errors.push(String(e)));
}

async function signIn(page) {
  await page.goto(`${cfg.base_url}/`);
  await page.waitForSelector('input[name=user]');
  await page.fill('input[name=user]', cfg.auditor.user);
  await page.fill('input[name=password]', cfg.auditor.password);
  await page.click('button[type=submit]');
}

const liveReady = (page) => page.waitForFunction(() => {
  const c = document.querySelector('canvas.live-canvas');
  return c && Number(c.dataset.frames) > 0;
}, null, { timeout: 20000 });

// Samples the probe pixel of every frame the live view paints, with Date.now() (the same
// clock as the test's desktop on this machine).
async function startSampling(page, probe) {
  await page.evaluate(([x, y]) => {
    window.liveSamples = [];
    const c = document.querySelector('canvas.live-canvas');
    const g = c.getContext('2d', { willReadFrequently: true });
    c.addEventListener('live-frame', () => {
      const d = g.getImageData(x, y, 1, 1).data;
      window.liveSamples.push({ t: Date.now(), rgb: [d[0], d[1], d[2]] });
    });
  }, [probe.x, probe.y]);
}

async function buttonStates(page) {
  return page.evaluate(() => {
    const d = (sel) => document.querySelector(sel)?.disabled ?? null;
    return { suspend: d('.live-suspend'), resume: d('.live-resume'), terminate: d('.live-terminate'),
      send: d('.live-send'), status: document.querySelector('.live-status')?.textContent ?? '',
      watchers: document.querySelector('.live-watchers')?.textContent ?? '' };
  });
}

async function toastSays(page, text) {
  await page.waitForFunction((t) => {
    const el = document.getElementById('toast');
    return el && !el.hidden && el.textContent.includes(t);
  }, text, { timeout: 10000 });
}

async function scenario({ context, page }) {
  watch(page);
  await signIn(page);
  const row = page.locator(`tr[data-id="${cfg.session_id}"]`);
  await row.waitFor({ timeout: 10000 });
  note('list', {
    row_text: (await row.innerText()).replace(/\s+/g, ' '),
    watch_links: await row.locator('.watch-link').count(),
    live_badges: await row.locator('.badge.live').count(),
  });
  await shot(page, 'list');

  // Opening a live session shows it live.
  await row.locator('.watch-link').click();
  await liveReady(page);
  await startSampling(page, cfg.probe);
  const opened = Date.now();
  note('opened_at', opened);
  await sleep(cfg.observe_ms);
  await shot(page, 'watching');

  // A second auditor tab watches the same session at the same time.
  const page2 = await context.newPage();
  watch(page2);
  await page2.goto(`${cfg.base_url}/sessions/${cfg.session_id}`);
  await liveReady(page2);
  await startSampling(page2, cfg.probe);
  await sleep(3000);
  note('second_tab', {
    samples: await page2.evaluate(() => window.liveSamples),
    width: await page2.evaluate(() => document.querySelector('canvas.live-canvas').width),
  });
  await page2.close();
  note('samples', await page.evaluate(() => window.liveSamples));
  note('lag_text', await page.locator('.live-lag').innerText());

  // The recording so far plays from its start; "Jump to live" comes back.
  const fromStart = await page.locator('.play-from-start').count();
  let recording = null;
  if (fromStart) {
    await page.click('.play-from-start');
    const playing = await page.waitForFunction(() => {
      const v = document.querySelector('.screen video');
      return v && v.readyState >= 2;
    }, null, { timeout: 20000 }).then(() => true, () => false);
    recording = await page.evaluate(() => ({
      t: document.querySelector('.screen video')?.currentTime,
      ready: document.querySelector('.screen video')?.readyState,
      overlay: document.querySelector('.screen .overlay')?.textContent,
      segments: document.querySelectorAll('.screen').length,
    }));
    recording.playing = playing;
    await shot(page, 'from-start');
    await page.click('.jump-live');
    await liveReady(page);
    recording.back_live = true;
  }
  note('recording', { button: fromStart, ...recording });

  // Controls.
  const states = { initial: await buttonStates(page) };
  await page.click('.live-suspend');
  await toastSays(page, 'Session suspended');
  states.suspended = await buttonStates(page);
  states.suspended_class = await page.locator('section.live.suspended').count();
  await page.click('.live-resume');
  await toastSays(page, 'Session resumed');
  states.resumed = await buttonStates(page);
  await page.fill('input[name=message]', cfg.message);
  await page.click('.live-send');
  await toastSays(page, 'Message sent');
  states.message_field_after = await page.inputValue('input[name=message]');
  await page.click('.live-terminate');
  states.confirm_visible = await page.locator('.live-confirm').isVisible();
  await page.click('.live-terminate-confirm');
  await page.waitForSelector('section.live[data-state=ended]', { timeout: 10000 });
  states.ended = await buttonStates(page);
  await shot(page, 'ended');
  note('controls', states);
  return result;
}

runBrowserTest(scenario);
