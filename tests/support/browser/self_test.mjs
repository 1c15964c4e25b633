// The browser fixture's own test page check (tests/fixtures/browser_test.cpp): loads the URL
// given as argv[0] and reports what the page rendered: its title, text computed by script, and
// the colour of a canvas pixel the page painted.
import { runBrowserTest } from './lib.mjs';

await runBrowserTest(async ({ page, args }) => {
  const [url] = args;
  if (!url) throw new Error('usage: self_test.mjs URL');
  const response = await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('#computed[data-ready="1"]', { timeout: 10000 });
  const computed = await page.textContent('#computed');
  const pixel = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return Array.from(c.getContext('2d').getImageData(10, 10, 1, 1).data);
  });
  return {
    status: response?.status() ?? 0,
    title: await page.title(),
    computed,
    pixel,
    userAgent: await page.evaluate(() => navigator.userAgent),
  };
});
