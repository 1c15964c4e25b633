// The live view: the session's screen as the recorder encodes it, one CMAF fragment per frame
// over a WebSocket (GET /api/v1/sessions/{id}/live, docs/http-api.md), decoded with WebCodecs
// and painted on a canvas the moment each frame is decoded. (Media Source Extensions hold a
// lone frame back until more arrive — an idle screen that changes once shows the change only
// when it changes again — so they serve only as the fallback where WebCodecs cannot decode.)
//
// Events (on the player, an EventTarget): 'state' {detail: 'connecting'|'live'|'ended'|
// 'disconnected'|'error'}, 'ended' {detail: reason}, 'control' {detail: {suspended, watchers}}
// (the session's control state as the gateway sees it: on opening and on every change, also
// when the CLI or another auditor made it). The canvas gets a 'live-frame' event after
// each painted frame (tests sample it) and data-frames = frames painted so far.

import { MseLive } from './live_mse.js';

const MAX_DECODE_QUEUE = 30;  // frames waiting in the decoder: beyond this, skip to a keyframe

function parseMessage(buf) {
  const view = new DataView(buf);
  const kind = view.getUint8(0);
  if (kind === 1) {
    const n = view.getUint8(5);
    return {
      kind: 'init', width: view.getUint16(1), height: view.getUint16(3),
      codec: new TextDecoder().decode(new Uint8Array(buf, 6, n)), data: new Uint8Array(buf, 6 + n),
    };
  }
  if (kind === 2) {
    return {
      kind: 'fragment', keyframe: (view.getUint8(1) & 1) === 1,
      pts: Number(view.getBigInt64(2)), data: new Uint8Array(buf, 10),
    };
  }
  return null;
}

// The payload of the first box of `type` at the top level of `bytes` (or inside the boxes
// named in `path`, in order). null when absent or malformed.
function findBox(bytes, path) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  let end = bytes.byteLength;
  for (const type of path) {
    let found = null;
    for (let at = start; at + 8 <= end;) {
      const size = view.getUint32(at);
      const name = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
      if (size < 8 || at + size > end) return null;
      if (name === type) { found = [at + 8, at + size]; break; }
      at += size;
    }
    if (!found) return null;
    [start, end] = found;
    // Boxes with fixed fields before their children.
    if (type === 'stsd') start += 8;
    if (type === 'avc1') start += 78;
  }
  return bytes.subarray(start, end);
}

export class LivePlayer extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.closed = false;
    this.state = 'connecting';
    this.frames = 0;
    this.skipping = true;  // until the first keyframe
    this.lastDecodeMs = 0;
    this.useWebCodecs = typeof window.VideoDecoder === 'function';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'live-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Live view of the session');
    this.canvas.dataset.frames = '0';
    this.element = this.canvas;
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  start() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}${this.url}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    // Messages are handled strictly in order: a keyframe that arrives while the decoder is
    // still being configured for its header must wait for it, not be dropped.
    this.chain = Promise.resolve();
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') return this.onText(e.data);
      const m = parseMessage(e.data);
      if (!m) return;
      this.chain = this.chain.then(() => {
        if (this.closed) return undefined;
        if (this.mse) return this.mse.push(m);
        return m.kind === 'init' ? this.onInit(m) : this.onFragment(m);
      }).catch((err) => console.warn('live view:', err.message));
    };
    ws.onclose = () => {
      if (!this.closed && this.state !== 'ended') this.setState('disconnected');
    };
  }

  onText(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (msg.type === 'state') {
      this.dispatchEvent(new CustomEvent('control', {
        detail: { suspended: msg.suspended === true, watchers: Number(msg.watchers) || 0 },
      }));
    } else if (msg.type === 'end') {
      this.setState('ended');
      this.dispatchEvent(new CustomEvent('ended', { detail: msg.reason || '' }));
    }
  }

  async onInit(m) {
    const avcC = findBox(m.data, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']);
    const config = {
      codec: m.codec, codedWidth: m.width, codedHeight: m.height,
      description: avcC ? avcC.slice() : undefined, optimizeForLatency: true,
    };
    let supported = false;
    if (this.useWebCodecs && avcC) {
      try { supported = (await VideoDecoder.isConfigSupported(config)).supported; } catch { supported = false; }
    }
    if (!supported) {
      this.fallBackToMse(m);
      return;
    }
    if (!this.decoder) {
      this.decoder = new VideoDecoder({
        output: (frame) => this.paint(frame),
        error: (e) => { console.warn('live view decoder:', e.message); this.skipping = true; this.decoderBroken = true; },
      });
    }
    if (this.decoderBroken || this.decoder.state === 'closed') {
      this.fallBackToMse(m);
      return;
    }
    this.decoder.configure(config);
    this.skipping = true;  // a configured decoder starts at a keyframe
  }

  fallBackToMse(init) {
    this.mse = new MseLive(this.canvas);
    this.element = this.mse.video;
    this.dispatchEvent(new CustomEvent('element', { detail: this.element }));
    this.mse.addEventListener('frame', () => this.counted());
    this.mse.push(init);
  }

  onFragment(m) {
    const d = this.decoder;
    if (!d || d.state !== 'configured') return;
    if (!m.keyframe && (this.skipping || d.decodeQueueSize > MAX_DECODE_QUEUE)) {
      this.skipping = true;  // a tab that cannot keep up resumes at the next keyframe
      return;
    }
    const mdat = findBox(m.data, ['mdat']);
    if (!mdat) return;
    this.skipping = false;
    this.received = performance.now();
    d.decode(new EncodedVideoChunk({
      type: m.keyframe ? 'key' : 'delta', timestamp: m.pts * 1000, data: mdat,
    }));
  }

  paint(frame) {
    try {
      if (this.closed) return;
      const c = this.canvas;
      if (c.width !== frame.displayWidth || c.height !== frame.displayHeight) {
        c.width = frame.displayWidth;
        c.height = frame.displayHeight;
      }
      if (!this.ctx) this.ctx = c.getContext('2d', { willReadFrequently: true });
      this.ctx.drawImage(frame, 0, 0);
      this.lastDecodeMs = performance.now() - (this.received ?? performance.now());
      this.counted();
    } finally {
      frame.close();
    }
  }

  counted() {
    this.frames += 1;
    this.canvas.dataset.frames = String(this.frames);
    this.element.dispatchEvent(new CustomEvent('live-frame'));
    if (this.state === 'connecting') this.setState('live');
  }

  // How far behind the newest frame the picture is, in seconds.
  behind() {
    if (this.mse) return this.mse.behind();
    return Math.max(0, this.lastDecodeMs / 1000);
  }

  close() {
    this.closed = true;
    if (this.ws && this.ws.readyState <= 1) this.ws.close(1000);
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.mse?.close();
  }
}
