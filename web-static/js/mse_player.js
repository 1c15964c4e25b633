// Plays a recording through Media Source Extensions over its own segments (CMAF, H.264):
// only the segments around the play position are fetched and appended; segments far from the
// position are removed from the buffer so long sessions stay within the browser's quota.
// A seek to a position not buffered asks the server for a seek fragment (GET …/seek?t=): one
// intra picture of the frame showing there plus the rest of its segment, so the browser decodes
// from the target instead of from the segment's keyframe, which may be minutes of frames back.
// The following segments are then appended whole as usual. A seek into the first moments of a
// segment, or when the server cannot build a fragment, appends the whole segment (and its init
// header when it differs). Fetched bytes are kept in a bounded in-memory cache (the server sends media with
// Cache-Control: no-store, so recordings never land in the browser's disk cache).
//
// Events (on the player, an EventTarget): 'state' {detail: 'loading'|'ready'|'error'},
// 'error' {detail: message}.

import { fetchBytes } from './api.js';
import { ByteCache } from './byte_cache.js';

const AHEAD_MIN_S = 20;        // buffer at least this far ahead (scaled by the playback rate)
const BUFFER_BYTES = 48 << 20; // media kept in the SourceBuffer (well under Chromium's quota)
const CACHE_BYTES = 96 << 20;  // fetched segments kept in memory
// A seek closer than this to its segment's start appends the whole segment: a few frames to
// decode from the keyframe cost less than a round trip for a fragment, and the segment caches.
const SEEK_MIN_S = 0.5;
// A seek to a buffered position this far past the keyframe the browser would decode from asks
// for a seek fragment too (Chromium decodes 1080p at ~3-4 ms a frame: seconds for minutes of
// a busy segment, against tens of ms for a fragment).
const SEEK_FAR_S = 2;

// localStorage['rdpw.debug'] = '1' logs what the player does to the console.
const DEBUG = (() => { try { return localStorage.getItem('rdpw.debug') === '1'; } catch { return false; } })();
function debug(...args) { if (DEBUG) console.log('[player]', ...args); }
function ranges(b) {
  const out = [];
  for (let i = 0; i < b.length; i += 1) out.push(`${b.start(i).toFixed(2)}-${b.end(i).toFixed(2)}`);
  return out.join(' ');
}

function waitFor(target, event) {
  return new Promise((resolve, reject) => {
    const ok = () => { cleanup(); resolve(); };
    const fail = () => { cleanup(); reject(new Error(`${event} failed`)); };
    const cleanup = () => {
      target.removeEventListener(event, ok);
      target.removeEventListener('error', fail);
    };
    target.addEventListener(event, ok);
    target.addEventListener('error', fail);
  });
}

// localStorage['rdpw.seek'] = 'segment' turns server seeks off (the benchmark's old path).
function serverSeekAllowed(recording) {
  if (!recording.seek_url) return false;
  try { return localStorage.getItem('rdpw.seek') !== 'segment'; } catch { return true; }
}

// One cache for the page: reopening a session within the console finds its bytes in memory.
const sharedCache = new ByteCache(CACHE_BYTES);

// Starts fetching what the first picture at `t` seconds needs, before any player exists.
export function warmRecording(recording, t = 0) {
  const segments = recording.segments;
  if (!segments.length) return;
  let first = segments[0];
  for (const seg of segments) if (seg.start_ms <= t * 1000) first = seg;
  const init = recording.inits.find((i) => i.file === first.init);
  if (init) sharedCache.get(init.url, () => fetchBytes(init.url)).catch(() => {});
  // Mid-segment, the player will fetch a seek fragment rather than the segment.
  if (serverSeekAllowed(recording) && t - first.start_ms / 1000 > SEEK_MIN_S) return;
  sharedCache.get(first.url, () => fetchBytes(first.url)).catch(() => {});
}

export class MsePlayer extends EventTarget {
  constructor(video, recording) {
    super();
    this.video = video;
    this.recording = recording;
    this.duration = recording.duration_ms / 1000;
    this.segments = recording.segments.map((s) => ({
      ...s, start: s.start_ms / 1000, end: (s.start_ms + s.duration_ms) / 1000,
    }));
    this.inits = new Map(recording.inits.map((i) => [i.file, i]));
    this.cache = sharedCache;
    this.appended = new Set();  // indexes of segments appended (and not known to be evicted)
    // Segment tails appended from seek fragments: index -> {start, end, bytes} (seconds).
    this.partials = new Map();
    this.serverSeek = serverSeekAllowed(recording);
    this.seekAbort = null;  // the seek fragment being fetched, aborted when a seek supersedes it
    this.queue = Promise.resolve();
    this.generation = 0;
    this.pending = false;
    this.currentInit = null;
    this.closed = false;
    this.onSeeking = () => this.request(this.video.currentTime, true);
    this.onTime = () => this.request(this.video.currentTime, false);
  }

  async open() {
    const mime = this.recording.mime;
    if (!window.MediaSource || !MediaSource.isTypeSupported(mime)) {
      throw new Error(`This browser cannot play ${mime}.`);
    }
    if (this.segments.length === 0) throw new Error('Nothing has been recorded yet.');
    // Fetch the first picture's bytes while the media pipeline opens (tens of ms under load).
    warmRecording(this.recording, this.video.currentTime);
    this.mediaSource = new MediaSource();
    this.objectUrl = URL.createObjectURL(this.mediaSource);
    this.video.src = this.objectUrl;
    await waitFor(this.mediaSource, 'sourceopen');
    this.mediaSource.duration = this.duration;
    this.buffer = this.mediaSource.addSourceBuffer(mime);
    this.buffer.mode = 'segments';
    this.video.addEventListener('seeking', this.onSeeking);
    this.video.addEventListener('timeupdate', this.onTime);
    this.timer = setInterval(() => this.tick(), 200);
    this.request(this.video.currentTime, true);
    await this.queue;
  }

  // A live session's recording grew: new segments (and headers) join the end, the duration
  // grows. The MediaSource duration changes between appends, never during one.
  extend(recording) {
    const last = this.segments.at(-1)?.index ?? 0;
    for (const s of recording.segments) {
      if (s.index <= last) continue;
      this.segments.push({ ...s, start: s.start_ms / 1000, end: (s.start_ms + s.duration_ms) / 1000 });
    }
    for (const i of recording.inits) if (!this.inits.has(i.file)) this.inits.set(i.file, i);
    const duration = recording.duration_ms / 1000;
    if (duration <= this.duration) return;
    this.duration = duration;
    this.queue = this.queue.then(() => {
      if (!this.closed && this.mediaSource?.readyState === 'open' && !this.buffer?.updating) {
        this.mediaSource.duration = this.duration;
      }
    }).catch((e) => this.fail(e));
  }

  close() {
    this.closed = true;
    this.seekAbort?.abort();
    this.buffer = null;  // detached below: its properties throw from now on
    clearInterval(this.timer);
    this.video.removeEventListener('seeking', this.onSeeking);
    this.video.removeEventListener('timeupdate', this.onTime);
    this.video.removeAttribute('src');
    this.video.load();
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
  }

  // The segment whose span contains t (the last one starting at or before t).
  segmentAt(t) {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].start <= t + 1e-3) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  bufferedAt(t) {
    const b = this.buffer.buffered;
    for (let i = 0; i < b.length; i += 1) if (b.start(i) <= t + 1e-3 && t < b.end(i) - 1e-3) return true;
    return false;
  }

  // Whether the segment's media is in the SourceBuffer. One we appended counts while its start
  // is still buffered (the browser may evict on its own); otherwise its start and end must be.
  present(seg) {
    if (this.appended.has(seg.index)) {
      if (this.bufferedAt(seg.start + 0.002)) return true;
      this.appended.delete(seg.index);
      return false;
    }
    const probeEnd = Math.max(seg.start, Math.min(seg.end, this.duration) - 0.05);
    return this.bufferedAt(seg.start + 0.002) && this.bufferedAt(probeEnd);
  }

  // Asks for media around t; `seek` supersedes whatever loading was under way.
  request(t, seek) {
    if (this.closed || !this.buffer) return;
    this.target = t;
    if (seek) {
      this.generation += 1;
      this.seekAbort?.abort();  // rapid scrubbing: only the last position matters
    }
    if (this.pending) return;
    this.pending = true;
    this.queue = this.queue.then(() => { this.pending = false; return this.load(); })
      .catch((e) => this.fail(e));
  }

  plan(t) {
    const ahead = Math.max(AHEAD_MIN_S, AHEAD_MIN_S * this.video.playbackRate);
    const first = this.segmentAt(t);
    const wanted = [this.segments[first]];
    for (let i = first + 1; i < this.segments.length; i += 1) {
      if (this.segments[i].start > t + ahead && wanted.length >= 2) break;
      wanted.push(this.segments[i]);
    }
    return wanted;
  }

  async load() {
    const generation = this.generation;
    const t = this.target;
    debug(`load t=${t.toFixed(2)} gen=${generation} buffered=${ranges(this.buffer.buffered)}`);
    const plan = this.plan(t);
    for (const seg of plan) {
      if (this.closed || generation !== this.generation) return;
      const first = seg === plan[0];
      if (this.present(seg) || (first && this.presentFrom(seg, t))) {
        if (!first || !this.farFromKeyframe(seg, t)) continue;
        // Buffered, but the browser would decode every frame from a keyframe far back: lay a
        // seek fragment over the rest of the segment and seek again, so it starts from there.
        // On failure the buffered frames still play (slower).
        if (await this.appendSeek(t, generation, true) === 'superseded') return;
        continue;
      }
      if (seg === plan[0] && this.serverSeek && t - seg.start > SEEK_MIN_S && t < seg.end) {
        const outcome = await this.appendSeek(t, generation);
        if (outcome === 'superseded') return;
        if (outcome === 'ok') continue;
      }
      await this.evict(t, false, seg.bytes);
      await this.append(seg);
    }
    // Warm the cache with the next segment so crossing into it does not wait on the network.
    const next = this.segments[this.segmentAt(t) + 1];
    if (next) this.cache.get(next.url, () => fetchBytes(next.url)).catch(() => {});
  }

  // Whether a seek to t, buffered in `seg`, would make the browser decode more than SEEK_FAR_S
  // of frames first: from the segment's keyframe, or from a seek fragment laid over it — whose
  // first picture is the frame showing at the position it was made for (`tail.at`), however
  // long before that an idle screen last changed.
  farFromKeyframe(seg, t) {
    if (!this.serverSeek || !this.video.seeking || t >= seg.end) return false;
    const tail = this.partials.get(seg.index);
    const from = tail && t >= tail.start - 1e-3 ? Math.max(tail.start, tail.at) : seg.start;
    return t - from > SEEK_FAR_S;
  }

  // Whether a seek fragment appended earlier covers t to the end of its segment.
  presentFrom(seg, t) {
    const tail = this.partials.get(seg.index);
    if (!tail || t < tail.start - 1e-3) return false;
    const probeEnd = Math.max(tail.start, Math.min(tail.end, this.duration) - 0.05);
    if (this.bufferedAt(t) && this.bufferedAt(probeEnd)) return true;
    this.partials.delete(seg.index);  // the browser evicted some of it
    return false;
  }

  // Fetches and appends the seek fragment for t. Returns 'ok', 'superseded' (a newer seek came;
  // nothing appended) or 'failed' (the caller appends the whole segment instead). `reseek`: the
  // fragment replaces frames already buffered, where the browser's seek has begun decoding from
  // the old keyframe; seeking again makes it start from the fragment's.
  async appendSeek(t, generation, reseek = false) {
    const controller = new AbortController();
    this.seekAbort = controller;
    let fragment;
    try {
      fragment = await this.fetchSeek(Math.floor(t * 1000 + 1e-4), controller.signal);
    } catch (e) {
      if (e.name === 'AbortError' || generation !== this.generation || this.closed) return 'superseded';
      debug(`seek fragment for ${t.toFixed(3)} failed: ${e.message}; appending the whole segment`);
      return 'failed';
    } finally {
      if (this.seekAbort === controller) this.seekAbort = null;
    }
    if (this.closed || generation !== this.generation) return 'superseded';
    const init = fragment.init === this.currentInit ? null : await this.bytes(this.inits.get(fragment.init).url);
    if (this.closed || generation !== this.generation) return 'superseded';
    debug(`append seek fragment of segment ${fragment.segment} [${fragment.start}, ${fragment.end}) for ${t.toFixed(3)}`);
    await this.evict(t, false, fragment.bytes.byteLength);
    if (init) {
      if (this.currentInit !== null && this.buffer.changeType) this.buffer.changeType(this.recording.mime);
      await this.appendBuffer(init);
      this.currentInit = fragment.init;
    }
    try {
      await this.appendBuffer(fragment.bytes);
    } catch (e) {
      if (e.name !== 'QuotaExceededError') throw e;
      await this.evict(this.video.currentTime, true);
      await this.appendBuffer(fragment.bytes);
    }
    this.appended.delete(fragment.segment);
    this.partials.set(fragment.segment,
      { start: fragment.start, end: fragment.end, at: t, bytes: fragment.bytes.byteLength });
    // The fragment starts at the frame showing at t, so it covers t; a position that landed
    // before it (rounding) moves onto its first frame.
    if (generation === this.generation && (reseek || this.video.currentTime < fragment.start)) {
      this.video.currentTime = Math.max(this.video.currentTime, fragment.start);
    }
    return 'ok';
  }

  // GET …/seek?t=ms. Throws on any failure, or when the answer does not fit this recording.
  async fetchSeek(tMs, signal) {
    const response = await fetch(`${this.recording.seek_url}?t=${tMs}`,
      { credentials: 'same-origin', cache: 'no-store', signal });
    if (!response.ok) throw new Error(`seek: ${response.status}`);
    const h = (name) => response.headers.get(name);
    const fragment = {
      init: h('X-Rdpw-Init'),
      segment: Number(h('X-Rdpw-Segment')),
      start: Number(h('X-Rdpw-Start-Ms')) / 1000,
      end: Number(h('X-Rdpw-End-Ms')) / 1000,
    };
    if (!this.inits.has(fragment.init) || !Number.isInteger(fragment.segment) ||
        !Number.isFinite(fragment.start) || !(fragment.end > fragment.start) ||
        fragment.start > tMs / 1000 + 1e-3) {
      throw new Error('seek: the answer does not fit this recording');
    }
    fragment.bytes = await response.arrayBuffer();
    return fragment;
  }

  async append(seg) {
    const [init, media] = await Promise.all([
      this.currentInit === seg.init ? null : this.bytes(this.inits.get(seg.init).url),
      this.bytes(seg.url),
    ]);
    if (this.closed) return;
    debug(`append segment ${seg.index} [${seg.start}, ${seg.end})${init ? ' with ' + seg.init : ''}`);
    if (init) {
      // A new header (the desktop was resized): tell the decoder to expect new parameters.
      if (this.currentInit !== null && this.buffer.changeType) this.buffer.changeType(this.recording.mime);
      await this.appendBuffer(init);
      this.currentInit = seg.init;
    }
    try {
      await this.appendBuffer(media);
    } catch (e) {
      if (e.name !== 'QuotaExceededError') throw e;
      await this.evict(this.video.currentTime, true);
      await this.appendBuffer(media);
    }
    this.appended.add(seg.index);
    this.partials.delete(seg.index);  // the whole segment replaced any tail of it
  }

  bytes(url) { return this.cache.get(url, () => fetchBytes(url)); }

  async appendBuffer(bytes) {
    const done = waitFor(this.buffer, 'updateend');
    this.buffer.appendBuffer(bytes);
    await done;
  }

  // Keeps what is buffered within BUFFER_BYTES (recordings are small: an hour of typing is a
  // few MB, so usually nothing goes and a seek back finds its segment still decoded-ready),
  // removing whole segments farthest from t first; whole segments, so none is left with a
  // hole. `hard` (the browser's quota was hit) keeps only t's segment.
  async evict(t, hard = false, incoming = 0) {
    const current = this.segmentAt(t);
    const held = this.segments.filter((seg) => this.appended.has(seg.index));
    for (const [index, tail] of this.partials) held.push({ index, ...tail });
    let bytes = held.reduce((sum, seg) => sum + seg.bytes, 0) + incoming;
    if (!hard && bytes <= BUFFER_BYTES) return;
    held.sort((a, b) => Math.abs(b.start - t) - Math.abs(a.start - t));
    for (const seg of held) {
      if (this.closed || seg.index === this.segments[current].index) continue;
      if (!hard && bytes <= BUFFER_BYTES) break;
      debug(`evict segment ${seg.index} [${seg.start}, ${seg.end})`);
      const done = waitFor(this.buffer, 'updateend');
      this.buffer.remove(seg.start, Math.min(seg.end, this.duration));
      await done;
      this.appended.delete(seg.index);
      this.partials.delete(seg.index);
      bytes -= seg.bytes;
    }
  }

  // Keeps playback moving: over gaps between buffered ranges, and stops cleanly at the end.
  tick() {
    if (this.closed || !this.buffer || this.video.seeking) return;
    const t = this.video.currentTime;
    if (!this.video.paused && !this.bufferedAt(t)) {
      const b = this.buffer.buffered;
      for (let i = 0; i < b.length; i += 1) {
        if (b.start(i) > t && b.start(i) - t < 2) {
          this.video.currentTime = b.start(i) + 0.001;
          return;
        }
      }
      if (t >= this.duration - 0.25 || (this.lastBufferedEnd() <= t + 0.05 &&
          this.segmentAt(t) === this.segments.length - 1 &&
          (this.present(this.segments.at(-1)) || this.partials.has(this.segments.at(-1).index)))) {
        this.video.pause();
        this.dispatchEvent(new Event('ended'));
      }
    }
  }

  lastBufferedEnd() {
    const b = this.buffer.buffered;
    return b.length ? b.end(b.length - 1) : 0;
  }

  fail(error) {
    debug(`failed: ${error && error.stack ? error.stack : error}`);
    if (this.closed) return;
    const message = this.video.error ? `The video could not be decoded (${this.video.error.message || this.video.error.code}).`
      : (error && error.message) || String(error);
    this.dispatchEvent(new CustomEvent('error', { detail: message }));
  }
}
