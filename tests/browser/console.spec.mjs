// The auditor console in real headless Chromium (playwright-core), as an auditor uses it.
// Input: a JSON object in $RDPWARDEN_WEB_TEST_CONFIG (see console_browser_test.cpp; it holds
// test passwords, so not on the command line). Result: what was observed; the C++ test decides.

import path from 'node:path';

import { runBrowserTest } from '../support/browser/lib.mjs';

const cfg = JSON.parse(process.env.RDPWARDEN_WEB_TEST_CONFIG);
const result = { checks: {}, console: [], page_errors: [] };
const note = (name, data) => { result.checks[name] = data; };
// Screenshots for a human to look at, when asked for (RDPWARDEN_WEB_SCREENSHOTS=<dir>).
const shot = async (page, name) => {
  if (cfg.screenshots_dir) await page.screenshot({ path: path.join(cfg.screenshots_dir, `${name}.png`) });
};

function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') result.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => result.page_errors.push(String(e)));
}

// The colour of a 4x4 block of the decoded video frame, through a canvas.
async function videoPixel(page, x, y) {
  return page.evaluate(([x, y]) => {
    const v = document.querySelector('video');
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext('2d');
    g.drawImage(v, 0, 0);
    const d = g.getImageData(x, y, 4, 4).data;
    const px = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) { px[0] += d[i]; px[1] += d[i + 1]; px[2] += d[i + 2]; }
    return { rgb: px.map((s) => Math.round(s / 16)), t: v.currentTime, w: v.videoWidth, h: v.videoHeight };
  }, [x, y]);
}

// Resolves once a frame at the current position has been presented.
async function framePresented(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const v = document.querySelector('video');
    const done = () => v.requestVideoFrameCallback(() => resolve());
    if (v.seeking) v.addEventListener('seeked', done, { once: true }); else done();
    setTimeout(resolve, 3000);
  }));
}

const videoTime = (page) => page.evaluate(() => document.querySelector('video').currentTime);

async function signIn(page, user, password) {
  await page.goto(`${cfg.base_url}/`);
  await page.waitForSelector('input[name=user]');
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

async function scenario({ page }) {
  watch(page);
  // Sign in and find the session in the list.
  await signIn(page, cfg.auditor.user, cfg.auditor.password);
  const row = page.locator(`tr[data-id="${cfg.session_id}"]`);
  await row.waitFor({ timeout: 10000 });
  await shot(page, 'sessions');
  note('sessions_list', {
    url: page.url(),
    row_text: (await row.innerText()).replace(/\s+/g, ' '),
    whoami: await page.locator('.whoami-name').innerText(),
  });

  // Open it; the player plays.
  await row.click();
  await page.waitForSelector('video');
  await page.waitForFunction(() => document.querySelector('video')?.readyState >= 2, null, { timeout: 15000 });
  await page.click('.controls .play');
  await page.waitForFunction(() => document.querySelector('video').currentTime > 1.5, null, { timeout: 15000 });
  const t1 = await videoTime(page);
  await page.waitForFunction((t) => document.querySelector('video').currentTime > t + 0.5, t1, { timeout: 10000 }).catch(() => {});
  const t2 = await videoTime(page);
  await framePresented(page);
  note('plays', { t1, t2, pixel: await videoPixel(page, cfg.probe.x, cfg.probe.y) });

  // Thumbnails on hover over the seek bar.
  const bar = await page.locator('.seekbar').boundingBox();
  await page.mouse.move(bar.x + bar.width * 0.5, bar.y + bar.height / 2);
  const thumb = page.locator('.seekbar .hover img');
  await thumb.waitFor({ timeout: 5000 });
  await page.waitForFunction(() => document.querySelector('.seekbar .hover img')?.naturalWidth > 0, null, { timeout: 5000 }).catch(() => {});
  note('thumbnail', {
    src: await thumb.getAttribute('src'),
    natural_width: await thumb.evaluate((img) => img.naturalWidth),
    label: await page.locator('.seekbar .hover').innerText(),
  });
  await page.mouse.move(10, 10);

  // The timeline: clicking a typed line seeks there and highlights it.
  const entry = page.locator(`.timeline li[data-kind="text"][data-t="${cfg.typed_event_ms}"] button`);
  await entry.waitFor({ timeout: 10000 });
  // Paused first: a playing video moves on between the seek and the sample (a slow frame
  // callback on a loaded machine let it run 0.5 s past the event).
  await page.evaluate(() => document.querySelector('video').pause());
  await entry.click();
  await page.waitForFunction((t) => Math.abs(document.querySelector('video').currentTime - t) < 0.5 &&
    !document.querySelector('video').seeking, cfg.typed_event_ms / 1000, { timeout: 10000 }).catch(() => {});
  await framePresented(page);
  const afterSeek = await videoPixel(page, cfg.probe.x, cfg.probe.y);
  await shot(page, 'session');
  note('event_seek', {
    pixel: afterSeek,
    current_entry: await page.locator('.timeline li.current').getAttribute('data-t').catch(() => null),
    entry_text: await entry.innerText(),
  });

  // Speeds.
  const speeds = {};
  for (const rate of [4, 16]) {
    await page.selectOption('.controls select', String(rate));
    await page.evaluate(() => { document.querySelector('video').currentTime = 0.5; });
    await framePresented(page);
    await page.evaluate(() => document.querySelector('video').play());
    const a = await videoTime(page);
    const wallStart = Date.now();
    await page.waitForTimeout(2000);
    const b = await videoTime(page);
    speeds[rate] = { rate: await page.evaluate(() => document.querySelector('video').playbackRate),
      advanced: b - a, wall: (Date.now() - wallStart) / 1000 };
  }
  note('speeds', speeds);
  await page.selectOption('.controls select', '1');

  // Skip idle: played into an idle stretch, the player jumps to the next activity.
  await page.evaluate(() => document.querySelector('video').pause());
  await page.waitForFunction(() => document.querySelectorAll('.seekbar .idle').length > 0, null, { timeout: 5000 }).catch(() => {});
  const skip = page.locator('.controls input[type=checkbox]');
  if (!(await skip.isChecked())) await skip.check();
  await page.evaluate((t) => { document.querySelector('video').currentTime = t; }, cfg.idle_probe_ms / 1000);
  await framePresented(page);
  const skipStart = Date.now();
  await page.evaluate(() => document.querySelector('video').play());
  await page.waitForFunction((t) => document.querySelector('video').currentTime > t, cfg.idle_end_ms / 1000 - 1, { timeout: 20000 }).catch(() => {});
  note('skip_idle', {
    idle_shaded: await page.locator('.seekbar .idle').count(),
    from: cfg.idle_probe_ms / 1000, now: await videoTime(page), wall: (Date.now() - skipStart) / 1000,
  });
  await skip.uncheck();

  // Keyboard: space toggles play/pause.
  await page.evaluate(() => document.activeElement?.blur());
  const pausedBefore = await page.evaluate(() => document.querySelector('video').paused);
  await page.keyboard.press('Space');
  await page.waitForTimeout(200);
  note('keyboard', { paused_before: pausedBefore, paused_after: await page.evaluate(() => document.querySelector('video').paused) });

  // Download as MP4.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.controls a[download]')]);
  const saved = path.join(cfg.out_dir, 'download.mp4');
  await download.saveAs(saved);
  note('download', { path: saved, name: download.suggestedFilename() });

  // A POST without the CSRF token is refused, and changes nothing.
  const csrf = await page.evaluate(async () => {
    const r = await fetch('/api/v1/logout', { method: 'POST' });
    const me = await fetch('/api/v1/me');
    return { status: r.status, me_after: me.status };
  });
  note('csrf', csrf);

  // Media and API without the cookie (fetch with credentials omitted).
  note('no_cookie', await page.evaluate(async (urls) => {
    const out = {};
    for (const [name, url] of Object.entries(urls)) out[name] = (await fetch(url, { credentials: 'omit' })).status;
    return out;
  }, cfg.protected_urls));

  // Seeking into the middle of a long segment (hundreds of frames after its keyframe) that is not
  // buffered: the player asks the server for a seek fragment instead of fetching the segment
  // from its start, shows the frame at the target, then plays on across the next segment.
  const seekCfg = cfg.server_seek;
  // The left edge of the moving block in the decoded frame (the first near-white pixel of its row).
  const blockX = () => page.evaluate((y) => {
    const v = document.querySelector('video');
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const g = c.getContext('2d');
    g.drawImage(v, 0, 0);
    const d = g.getImageData(0, y, c.width, 1).data;
    for (let x = 0; x < c.width; x += 1) if (d[x * 4] > 200 && d[x * 4 + 1] > 200 && d[x * 4 + 2] > 200) return x;
    return null;
  }, seekCfg.block_row);
  const seekTo = async (t) => {
    await page.evaluate((t) => { document.querySelector('video').currentTime = t; }, t);
    await page.waitForFunction(() => { const v = document.querySelector('video'); return !v.seeking && v.readyState >= 2; }, null, { timeout: 15000 }).catch(() => {});
    await framePresented(page);
  };
  const requests = [];
  page.on('request', (r) => { if (r.url().includes(seekCfg.session_id)) requests.push(r.url().replace(cfg.base_url, '')); });
  await page.goto(`${cfg.base_url}/sessions/${seekCfg.session_id}`);
  await page.waitForFunction(() => document.querySelector('video')?.readyState >= 2, null, { timeout: 15000 });
  await page.evaluate(() => document.querySelector('video').pause());
  const seekStart = Date.now();
  await seekTo(seekCfg.target_ms / 1000);
  const seekReadyMs = Date.now() - seekStart;
  const atTarget = { block_x: await blockX(), pixel: await videoPixel(page, cfg.probe.x, cfg.probe.y) };
  await shot(page, 'server-seek');
  await page.selectOption('.controls select', '4');
  // The page pauses itself once past the boundary: a pause sent from here would arrive late on
  // a loaded machine, and at 4x the video would play on to the recording's end.
  await page.evaluate((b) => new Promise((resolve) => {
    const v = document.querySelector('video');
    const check = () => {
      if (v.currentTime <= b) return;
      v.pause();
      v.removeEventListener('timeupdate', check);
      resolve();
    };
    v.addEventListener('timeupdate', check);
    setTimeout(() => { v.pause(); resolve(); }, 30000);
    v.play();
  }), seekCfg.boundary_ms / 1000 + 1.5);
  await page.selectOption('.controls select', '1');
  await framePresented(page);
  const serverSeek = {
    ready_ms: seekReadyMs,
    at_target: atTarget,
    after_boundary: await videoPixel(page, cfg.probe.x, cfg.probe.y),
    video_error: await page.evaluate(() => document.querySelector('video').error?.message ?? null),
    requests: [...requests],
  };
  // The same position the old way (the whole segment decoded from its keyframe): the picture
  // must be the same one.
  await page.evaluate(() => localStorage.setItem('rdpw.seek', 'segment'));
  await page.reload();
  await page.waitForFunction(() => document.querySelector('video')?.readyState >= 2, null, { timeout: 15000 });
  await page.evaluate(() => document.querySelector('video').pause());
  await seekTo(seekCfg.target_ms / 1000);
  serverSeek.whole_segment = { block_x: await blockX(), pixel: await videoPixel(page, cfg.probe.x, cfg.probe.y) };
  await page.evaluate(() => localStorage.removeItem('rdpw.seek'));
  // Buffered but far from its keyframe: a seek to the segment's start appends it whole; a seek
  // to the target then lays a seek fragment over it instead of decoding from the keyframe.
  const reloadedFrom = requests.length;
  await page.reload();
  await page.waitForFunction(() => document.querySelector('video')?.readyState >= 2, null, { timeout: 15000 });
  await page.evaluate(() => document.querySelector('video').pause());
  await seekTo(seekCfg.segment_start_ms / 1000 + 0.1);
  const bufferedFrom = requests.length;
  await seekTo(seekCfg.target_ms / 1000);
  serverSeek.buffered = {
    block_x: await blockX(),
    pixel: await videoPixel(page, cfg.probe.x, cfg.probe.y),
    first_requests: requests.slice(reloadedFrom, bufferedFrom),
    requests: requests.slice(bufferedFrom),
    video_error: await page.evaluate(() => document.querySelector('video').error?.message ?? null),
  };
  note('server_seek', serverSeek);

  // Sign out through the UI.
  await page.click('#sign-out');
  await page.waitForSelector('input[name=user]', { timeout: 10000 });
  note('sign_out', { me: await page.evaluate(async () => (await fetch('/api/v1/me')).status) });

  // A user without the admin or auditor role is refused.
  await signIn(page, cfg.user_role.user, cfg.user_role.password);
  await page.waitForFunction(() => document.getElementById('login-error')?.textContent.length > 0, null, { timeout: 10000 });
  await shot(page, 'login-refused');
  note('role_refused', {
    message: await page.locator('#login-error').innerText(),
    me: await page.evaluate(async () => (await fetch('/api/v1/me')).status),
    still_on_login: await page.locator('input[name=password]').count(),
  });
  return result;
}

await runBrowserTest(scenario, { viewport: { width: 1400, height: 900 } });
