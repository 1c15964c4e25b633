// Recording benchmark: how long a seek takes in Chromium the way the web player seeks — append
// the segment that holds the new position and let the browser decode forward from its IDR.
// Worst case per segment: the target is the segment's last frame, so every frame of the
// segment is decoded before the picture appears.
//
//   node tests/bench/recording_seek.mjs BASE_URL [ROUNDS]
//     BASE_URL serves a session folder (manifest.json, init.mp4, seg-*.m4s) over loopback.
// Result (JSON): per segment {index, bytes, ms_total (fetch + append + seek + frame shown),
// ms_seek (from setting currentTime to the frame drawn)}, best of ROUNDS (default 3).
import { runBrowserTest } from '../support/browser/lib.mjs';

const page_html = `<!doctype html><html><body><video id=v muted playsinline></video><script>
window.measure = async (rounds) => {
  const m = await (await fetch('manifest.json')).json();
  const type = 'video/mp4; codecs="' + m.video.codec + '"';
  const v = document.getElementById('v');
  const ms = new MediaSource();
  v.src = URL.createObjectURL(ms);
  await new Promise(r => ms.addEventListener('sourceopen', r, {once: true}));
  const sb = ms.addSourceBuffer(type);
  const wait = () => new Promise((res, rej) => {
    sb.addEventListener('updateend', res, {once: true});
    sb.addEventListener('error', () => rej(new Error('append failed')), {once: true});
  });
  const append = async (buf) => { const w = wait(); sb.appendBuffer(buf); await w; };
  const clear = async () => { if (sb.buffered.length) { const w = wait(); sb.remove(0, Infinity); await w; } };
  await append(await (await fetch(m.inits[0].file)).arrayBuffer());
  ms.duration = m.duration_ms / 1000;
  // Every wait is bounded, so a stalled pipeline reports where it stalled.
  const within = (p, what) => Promise.race([p, new Promise((_, rej) =>
      setTimeout(() => rej(new Error(what + ' timed out')), 20000))]);
  const ctx = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const s of m.segments) {
    if (s.init !== m.inits[0].file) break;
    let best = null;
    for (let round = 0; round < rounds; ++round) {
      await clear();
      const target = (s.start_ms + s.duration_ms - 1) / 1000;
      const t0 = performance.now();
      const bytes = await (await fetch(s.file, {cache: 'no-store'})).arrayBuffer();
      await within(append(bytes), 'append');
      const t1 = performance.now();
      // 'seeked' fires once the media pipeline has decoded up to the target and holds the
      // frame to show; drawing it proves it is there.
      const seeked = new Promise(r => v.addEventListener('seeked', r, {once: true}));
      v.currentTime = target;
      await within(seeked, 'seek to ' + target);
      ctx.drawImage(v, 0, 0, 64, 36);
      const t2 = performance.now();
      const r = {index: s.index, bytes: s.bytes, ms_total: t2 - t0, ms_seek: t2 - t1};
      if (!best || r.ms_total < best.ms_total) best = r;
    }
    out.push(best);
  }
  return out;
};
</script></body></html>`;

await runBrowserTest(async ({ page, args }) => {
  const [base, rounds = '3'] = args;
  if (!base) throw new Error('usage: recording_seek.mjs BASE_URL [ROUNDS]');
  const url = base.replace(/\/?$/, '/') + 'seek.html';
  await page.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: page_html }));
  await page.goto(url, { waitUntil: 'load' });
  const segments = await page.evaluate((n) => window.measure(n), Number(rounds));
  return { segments };
});
