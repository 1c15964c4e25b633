// Live-view latency benchmark, browser side: sign in, open the live session, sample the probe
// pixel of every presented frame with its wall time for observe_ms, return the samples.
// Input: $RDPWARDEN_WEB_TEST_CONFIG (see web_live_bench.cpp).
import { runBrowserTest } from '../support/browser/lib.mjs';

const cfg = JSON.parse(process.env.RDPWARDEN_WEB_TEST_CONFIG);

runBrowserTest(async ({ page }) => {
  await page.goto(`${cfg.base_url}/`);
  await page.waitForSelector('input[name=user]');
  await page.fill('input[name=user]', cfg.auditor.user);
  await page.fill('input[name=password]', cfg.auditor.password);
  await page.click('button[type=submit]');
  await page.waitForSelector(`tr[data-id="${cfg.session_id}"]`);
  const opening = Date.now();
  await page.goto(`${cfg.base_url}/sessions/${cfg.session_id}`);
  await page.waitForFunction(() => {
    const c = document.querySelector('canvas.live-canvas');
    return c && Number(c.dataset.frames) > 0;
  }, null, { timeout: 20000 });
  const firstFrame = Date.now() - opening;
  await page.evaluate(([x, y]) => {
    window.liveSamples = [];
    const c = document.querySelector('canvas.live-canvas');
    const g = c.getContext('2d', { willReadFrequently: true });
    c.addEventListener('live-frame', () => {
      const d = g.getImageData(x, y, 1, 1).data;
      window.liveSamples.push({ t: Date.now(), rgb: [d[0], d[1], d[2]] });
    });
  }, [cfg.probe.x, cfg.probe.y]);
  const started = Date.now();
  await new Promise((r) => setTimeout(r, cfg.observe_ms));
  return { started, first_frame_ms: firstFrame, samples: await page.evaluate(() => window.liveSamples) };
});
