// The live view's fallback where WebCodecs cannot decode H.264: the same fragments fed to
// Media Source Extensions in `sequence` mode (frames end to end whatever their session time, so
// an idle screen opens no gap), kept near the live edge (1.5x playback when more than 0.3 s
// behind, a jump to the newest frame when more than 1 s behind). Chromium holds a lone frame
// back until more arrive, so on an idle screen a change can show late: WebCodecs is preferred.

const MAX_PENDING = 45;          // appends waiting: beyond this, skip to the next keyframe
const KEEP_BEHIND_S = 20;        // decoded history kept in the SourceBuffer
const CATCH_UP_S = 0.3;          // behind the live edge by more: play a little faster
const JUMP_S = 1.0;              // behind by more: jump to the edge

export class MseLive extends EventTarget {
  constructor() {
    super();
    this.video = document.createElement('video');
    this.video.className = 'live-video';
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.autoplay = true;
    this.video.setAttribute('aria-label', 'Live view of the session');
    this.pending = [];
    this.skipping = true;  // until the first keyframe
    this.closed = false;
    this.state = 'connecting';
    this.frames = 0;
    this.lastPts = null;
    this.mediaSource = null;
    this.sourceBuffer = null;
    this.mime = null;
  }

  push(m) {
    if (m.kind === 'init') this.onInit(m);
    else this.onFragment(m);
  }

  setState(state) {
    this.state = state;
    if (state === 'error') console.warn('live view: this browser cannot play the live stream');
  }

  async onInit(m) {
    const mime = `video/mp4; codecs="${m.codec}"`;
    if (!this.mediaSource) {
      if (!window.MediaSource || !MediaSource.isTypeSupported(mime)) {
        this.setState('error');
        return;
      }
      this.mediaSource = new MediaSource();
      this.video.src = URL.createObjectURL(this.mediaSource);
      this.opened = new Promise((resolve) =>
        this.mediaSource.addEventListener('sourceopen', resolve, { once: true }));
    }
    this.width = m.width;
    this.height = m.height;
    // A new header (the desktop was resized) goes in the same queue: it must land between the
    // fragments it separates. Fragments until the next keyframe are useless without it.
    this.enqueue({ data: m.data, init: true, mime });
  }

  onFragment(m) {
    if (!this.mediaSource) return;  // no header yet
    if (this.skipping && !m.keyframe) return;
    this.skipping = false;
    if (this.pending.length >= MAX_PENDING) {
      // This tab cannot keep up (hidden, slow machine): drop to the next keyframe.
      this.pending = this.pending.filter((p) => p.init);
      if (!m.keyframe) { this.skipping = true; return; }
    }
    this.lastPts = m.pts;
    this.enqueue({ data: m.data, init: false });
  }

  enqueue(item) {
    this.pending.push(item);
    this.pump();
  }

  async pump() {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      await this.opened;
      while (this.pending.length && !this.closed) {
        const item = this.pending.shift();
        await this.append(item);
        if (!item.init) {
          this.frames += 1;
          this.followEdge();
          this.dispatchEvent(new CustomEvent('frame'));
        }
      }
      await this.trim();
    } catch (e) {
      if (!this.closed) {
        console.warn('live view:', e.message);
        this.setState('error');
      }
    } finally {
      this.pumping = false;
    }
  }

  async append(item) {
    if (!this.sourceBuffer) {
      this.sourceBuffer = this.mediaSource.addSourceBuffer(item.mime);
      this.sourceBuffer.mode = 'sequence';
      this.mime = item.mime;
    } else if (item.init && item.mime !== this.mime && this.sourceBuffer.changeType) {
      this.sourceBuffer.changeType(item.mime);
      this.mime = item.mime;
    }
    const sb = this.sourceBuffer;
    await new Promise((resolve, reject) => {
      const done = () => { cleanup(); resolve(); };
      const fail = () => { cleanup(); reject(new Error('the browser rejected the live stream')); };
      const cleanup = () => { sb.removeEventListener('updateend', done); sb.removeEventListener('error', fail); };
      sb.addEventListener('updateend', done);
      sb.addEventListener('error', fail);
      sb.appendBuffer(item.data);
    });
  }

  // Stay at the live edge: the newest frame is what the auditor must see.
  followEdge() {
    const v = this.video;
    const b = this.sourceBuffer.buffered;
    if (!b.length) return;
    const end = b.end(b.length - 1);
    const behind = end - v.currentTime;
    if (behind > JUMP_S || v.currentTime < b.start(b.length - 1)) {
      v.currentTime = Math.max(b.start(b.length - 1), end - 0.05);
    }
    v.playbackRate = behind > CATCH_UP_S ? 1.5 : 1;
    if (v.paused) v.play().catch(() => {});
  }

  // Old frames out of the buffer so an all-day watch stays within the browser's quota.
  async trim() {
    const sb = this.sourceBuffer;
    if (!sb || sb.updating || !sb.buffered.length) return;
    const start = sb.buffered.start(0);
    const keepFrom = this.video.currentTime - KEEP_BEHIND_S;
    if (keepFrom - start < 10) return;
    await new Promise((resolve) => {
      sb.addEventListener('updateend', resolve, { once: true });
      sb.remove(start, keepFrom);
    });
  }

  // How far behind the newest frame the picture is, in seconds.
  behind() {
    const b = this.sourceBuffer?.buffered;
    if (!b || !b.length) return 0;
    return Math.max(0, b.end(b.length - 1) - this.video.currentTime);
  }

  close() {
    this.closed = true;
    this.pending = [];
    this.video.removeAttribute('src');
    this.video.load();
  }
}
