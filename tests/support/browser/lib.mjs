// Shared harness for rdpwarden's browser tests: launches Debian's Chromium through
// playwright-core and hands the result back to the C++ fixture (tests/support/browser_script.hpp).
//
//   import { runBrowserTest } from '<...>/tests/support/browser/lib.mjs';
//   await runBrowserTest(async ({ page, args }) => {
//     await page.goto(args[0]);
//     return { title: await page.title() };      // becomes BrowserResult::result
//   });
//
// Contract with the C++ side (environment set by run_browser_script):
//   RDPWARDEN_RESULT_FILE     where the JSON result is written (the test function's return value)
//   RDPWARDEN_BROWSER_PROFILE a fresh user-data directory inside the test's temp dir
//   RDPWARDEN_CHROMIUM        the browser executable (default /usr/bin/chromium)
// Exit code 0 when the test function resolved, 1 when it threw (the error is written to the
// result as {"error": message} and printed to stderr), 2 on a harness failure.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

export const chromiumArgs = [
  '--no-sandbox', // we run as root in CI; the sandbox refuses to start as root
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

function writeResult(value) {
  const file = process.env.RDPWARDEN_RESULT_FILE;
  if (file) writeFileSync(file, JSON.stringify(value ?? null));
}

// Launches a persistent-profile Chromium, opens one page, runs `test` and closes everything.
// `test` receives { browser context, page, args (the script's argv), env }.
export async function runBrowserTest(test, { viewport = { width: 1280, height: 800 } } = {}) {
  let context;
  let code = 0;
  try {
    context = await chromium.launchPersistentContext(process.env.RDPWARDEN_BROWSER_PROFILE ?? '', {
      executablePath: process.env.RDPWARDEN_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: chromiumArgs,
      viewport,
      ignoreHTTPSErrors: true, // the gateway's web console uses a self-signed certificate in tests
    });
  } catch (e) {
    console.error(`browser launch failed: ${e?.stack ?? e}`);
    writeResult({ error: `browser launch failed: ${e?.message ?? e}` });
    process.exit(2);
  }
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
    const result = await test({ context, page, args: process.argv.slice(2), env: process.env });
    writeResult(result);
  } catch (e) {
    console.error(`test failed: ${e?.stack ?? e}`);
    writeResult({ error: String(e?.message ?? e) });
    code = 1;
  } finally {
    await context.close().catch(() => {});
  }
  process.exit(code);
}
