// Web player benchmark (driven by web_player_bench.cpp): for one long recording, the time from
// opening the session page to the first decoded frame, and from a seek to the frame at the new
// position. Times come from the page's own clock: performance.now() is 0 at navigation start,
// and requestVideoFrameCallback fires when a decoded frame is presented.
import { runBrowserTest } from '../support/browser/lib.mjs';

const cfg = JSON.parse(process.env.RDPWARDEN_WEB_BENCH_CONFIG);

// Deterministic positions spread over the whole session (a small LCG, seeded).
function positions(n, duration, seed) {
  let x = seed;
  const out = [];
  for (let i = 0; i < n; i += 1) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(1 + (x / 2147483648) * (duration - 2));
  }
  return out;
}

// Registered before any page script runs, so the first presented frame cannot be missed.
function watchFirstFrame() {
  new MutationObserver((_, observer) => {
    const v = document.querySelector('video');
    if (!v) return;
    observer.disconnect();
    v.requestVideoFrameCallback((now) => { window.__firstFrameAt = now; });
  }).observe(document, { childList: true, subtree: true });
}

async function firstFrame(page) {
  await page.goto(`${cfg.base_url}/sessions/${cfg.session_id}`);
  await page.waitForFunction(() => window.__firstFrameAt !== undefined, null, { timeout: 30000 });
  return page.evaluate(() => window.__firstFrameAt);
}

async function seek(page, t) {
  return page.evaluate((t) => new Promise((resolve) => {
    const v = document.querySelector('video');
    const t0 = performance.now();
    v.addEventListener('seeked', () => {
      v.requestVideoFrameCallback((now, meta) => resolve({ ms: now - t0, media: meta.mediaTime }));
    }, { once: true });
    v.currentTime = t;
  }), t);
}

await runBrowserTest(async ({ page }) => {
  await page.addInitScript(watchFirstFrame);
  await page.goto(`${cfg.base_url}/login`);
  await page.fill('input[name=user]', cfg.user);
  await page.fill('input[name=password]', cfg.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('table.sessions');
  const first = [];
  for (let i = 0; i < cfg.opens; i += 1) first.push(await firstFrame(page));
  const seeks = [];
  for (const t of positions(cfg.seeks, cfg.duration_s, 7)) {
    const r = await seek(page, t);
    seeks.push({ target: t, ...r });
  }
  return { first_frame_ms: first, seeks };
}, { viewport: { width: 1600, height: 1000 } });
