// codec_browser_tests (mse_playback_test.cpp): opens the page given as argv[0], which plays a
// recording through MSE and writes its findings as JSON into #result; returns them. Real time
// (not --virtual-time-budget), so a loaded machine only makes it slower, not wrong.
import { runBrowserTest } from '../support/browser/lib.mjs';

await runBrowserTest(async ({ page, args }) => {
  const [url] = args;
  if (!url) throw new Error('usage: mse_playback.mjs URL');
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('result').textContent !== 'pending',
                             null, { timeout: 90000 });
  return JSON.parse(await page.textContent('#result'));
});
