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

// `seeked` fires once the frame at the new position is decoded and ready; a new frame is then
// presented (requestVideoFrameCallback) unless the position lies in the frame already shown
// (idle stretches are one long frame), so that one is reported when it comes within 2 s.
async function seek(page, t) {
  return page.evaluate((t) => new Promise((resolve) => {
    const v = document.querySelector('video');
    const t0 = performance.now();
    const out = { ms: null, frame_ms: null, media: null };
    const timer = setTimeout(() => {
      console.log(`seek to ${t} stuck: readyState=${v.readyState} seeking=${v.seeking} currentTime=${v.currentTime} error=${v.error && v.error.message}`);
      resolve(out);
    }, 20000);
    v.addEventListener('seeked', () => {
      out.ms = performance.now() - t0;
      out.media = v.currentTime;
      const give_up = setTimeout(() => { clearTimeout(timer); resolve(out); }, 2000);
      v.requestVideoFrameCallback((now, meta) => {
        out.frame_ms = now - t0;
        out.media = meta.mediaTime;
        clearTimeout(give_up);
        clearTimeout(timer);
        resolve(out);
      });
    }, { once: true });
    v.currentTime = t;
  }), t);
}

await runBrowserTest(async ({ page }) => {
  await page.addInitScript(watchFirstFrame);
  // The old path: no seek fragments, a seek appends the whole segment from its keyframe.
  if (cfg.player_seek === 'segment') await page.addInitScript(() => localStorage.setItem('rdpw.seek', 'segment'));
  const counts = { seek: 0, segment: 0 };
  page.on('request', (r) => {
    if (r.url().includes('/seek?t=')) counts.seek += 1;
    else if (r.url().endsWith('.m4s')) counts.segment += 1;
  });
  if (process.env.RDPWARDEN_BENCH_VERBOSE) await page.addInitScript(() => localStorage.setItem('rdpw.debug', '1'));
  await page.goto(`${cfg.base_url}/login`);
  await page.fill('input[name=user]', cfg.user);
  await page.fill('input[name=password]', cfg.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('table.sessions');
  const first = [];
  for (let i = 0; i < cfg.opens; i += 1) {
    first.push(await firstFrame(page));
    console.log(`open ${i}: first frame at ${first.at(-1)} ms`);
    if (process.env.RDPWARDEN_BENCH_VERBOSE) {
      console.log(await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const lines = [`  document ${nav.startTime.toFixed(0)}-${nav.responseEnd.toFixed(0)} dcl ${nav.domContentLoadedEventEnd.toFixed(0)}`];
        for (const r of performance.getEntriesByType('resource'))
          lines.push(`  ${r.name.replace(location.origin, '').slice(0, 70)} ${r.startTime.toFixed(0)}-${r.responseEnd.toFixed(0)}`);
        return lines.join('\n');
      }));
    }
  }
  const seeks = [];
  for (const t of positions(cfg.seeks, cfg.duration_s, 7)) {
    const r = await seek(page, t);
    console.log(`seek to ${t.toFixed(1)} s: ${JSON.stringify(r)}`);
    if (process.env.RDPWARDEN_BENCH_VERBOSE) {
      // Where a seek's time went: each seek fragment's request, first byte and last byte.
      console.log(await page.evaluate(() => {
        const lines = performance.getEntriesByType('resource').filter((e) => e.name.includes('/seek?t='))
          .map((e) => `  ${e.name.replace(location.origin, '')} wait ${(e.responseStart - e.startTime).toFixed(0)} ms, body ${(e.responseEnd - e.responseStart).toFixed(0)} ms, ${e.transferSize} B`);
        performance.clearResourceTimings();
        return lines.join('\n');
      }));
    }
    seeks.push({ target: t, ...r });
  }
  return { first_frame_ms: first, seeks, seek_requests: counts.seek, segment_requests: counts.segment };
}, { viewport: { width: 1600, height: 1000 } });
