// The player's controls around an MsePlayer: play/pause, a seek bar over the whole session
// (buffered and idle stretches shaded, typed-text markers, a thumbnail and time on hover),
// speeds 1× to 16×, "skip idle", download, fullscreen, and keyboard control.

import { h, toast, typingInField } from './dom.js';
import { clock, duration as humanDuration } from './format.js';
import { MsePlayer } from './mse_player.js';

export const SPEEDS = [1, 2, 4, 8, 16];

export class PlayerUi extends EventTarget {
  constructor(recording, { markers = [], idle = [] } = {}) {
    super();
    this.recording = recording;
    this.duration = recording.duration_ms / 1000;
    this.idle = idle;
    this.skipIdle = localStorage.getItem('rdpw.skipIdle') === '1';
    this.video = h('video', { muted: true, playsinline: true, preload: 'auto', 'aria-label': 'Session recording' });
    this.video.muted = true;
    this.overlay = h('div', { class: 'overlay' }, 'Loading…');
    this.buildControls(recording, markers);
    this.element = h('section', { class: 'player', 'aria-label': 'Player' },
      h('div', { class: 'screen' }, this.video, this.overlay),
      h('div', { class: 'controls-wrap' }, this.seekbar, this.controls));
    this.video.addEventListener('click', () => this.toggle());
    for (const e of ['play', 'pause', 'ratechange']) this.video.addEventListener(e, () => this.paint());
    this.video.addEventListener('timeupdate', () => this.onTime());
    this.video.addEventListener('loadeddata', () => { this.overlay.hidden = true; });
  }

  buildControls(recording, markers) {
    this.played = h('div', { class: 'played' });
    this.buffered = h('div', { class: 'buffers' });
    this.knob = h('div', { class: 'knob' });
    this.hover = h('div', { class: 'hover', hidden: true });
    this.idleLayer = h('div', { class: 'idles' });
    const track = h('div', { class: 'track' }, this.idleLayer, this.buffered, this.played);
    this.seekbar = h('div', {
      class: 'seekbar', role: 'slider', tabindex: 0, 'aria-label': 'Seek',
      'aria-valuemin': 0, 'aria-valuemax': Math.round(this.duration), 'aria-valuenow': 0,
    }, track, markers.map((t) => h('div', { class: 'marker', style: { left: `${this.pct(t / 1000)}%` } })), this.knob, this.hover);
    this.wireSeekbar();

    this.playButton = h('button', { type: 'button', class: 'play', 'aria-keyshortcuts': 'Space' }, '▶ Play');
    this.playButton.addEventListener('click', () => this.toggle());
    this.time = h('span', { class: 'time', 'aria-live': 'off' }, '00:00 / 00:00');
    this.speed = h('select', { 'aria-label': 'Playback speed' },
      SPEEDS.map((s) => h('option', { value: s }, `${s}×`)));
    this.speed.addEventListener('change', () => this.setSpeed(Number(this.speed.value)));
    const skip = h('input', { type: 'checkbox', checked: this.skipIdle });
    skip.addEventListener('change', () => this.setSkipIdle(skip.checked));
    this.skipBox = skip;
    this.controls = h('div', { class: 'controls' },
      this.playButton, this.time,
      h('label', { class: 'inline' }, 'Speed', this.speed),
      this.skipLabel = h('label', { class: 'inline' }, skip, 'Skip idle'),
      h('span', { class: 'spacer' }),
      h('a', { class: 'button', href: recording.download_url, download: '', title: 'Download the recording as MP4' }, 'Download MP4'),
      h('button', { type: 'button', title: 'Full screen (f)', onclick: () => this.fullscreen() }, 'Full screen'));
    this.setIdle(this.idle);
  }

  // Idle stretches [[start_ms, end_ms], …]: shaded on the seek bar, jumped over by "skip idle".
  setIdle(idle) {
    this.idle = idle;
    this.idleLayer.replaceChildren(...idle.map(([a, b]) => h('div', {
      class: 'idle', style: { left: `${this.pct(a / 1000)}%`, width: `${this.pct((b - a) / 1000)}%` },
    })));
    this.skipLabel?.setAttribute('title',
      `Jump over stretches with no screen change and no input (${idle.length} found)`);
  }

  // The recording grew (a live session): longer seek bar, more segments to play.
  extend(recording) {
    const duration = recording.duration_ms / 1000;
    this.engine?.extend(recording);
    if (duration <= this.duration) return;
    this.duration = duration;
    this.seekbar.setAttribute('aria-valuemax', Math.round(duration));
    for (const m of this.seekbar.querySelectorAll('.marker')) {
      if (m.dataset.t) m.style.left = `${this.pct(Number(m.dataset.t))}%`;
    }
    this.setIdle(this.idle);
    this.paint();
  }

  pct(seconds) { return Math.max(0, Math.min(100, (seconds / this.duration) * 100)); }

  wireSeekbar() {
    const timeAt = (event) => {
      const r = this.seekbar.getBoundingClientRect();
      return Math.max(0, Math.min(this.duration, ((event.clientX - r.left) / r.width) * this.duration));
    };
    let dragging = false;
    this.seekbar.addEventListener('pointerdown', (e) => {
      dragging = true;
      this.seekbar.setPointerCapture(e.pointerId);
      this.seek(timeAt(e));
    });
    this.seekbar.addEventListener('pointermove', (e) => {
      const t = timeAt(e);
      this.showHover(t, e.clientX - this.seekbar.getBoundingClientRect().left);
      if (dragging) this.seek(t);
    });
    this.seekbar.addEventListener('pointerup', () => { dragging = false; });
    this.seekbar.addEventListener('pointerleave', () => { this.hover.hidden = true; });
    this.seekbar.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 30 : 5;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') this.seek(this.video.currentTime - step);
      else if (e.key === 'ArrowRight' || e.key === 'ArrowUp') this.seek(this.video.currentTime + step);
      else if (e.key === 'Home') this.seek(0);
      else if (e.key === 'End') this.seek(this.duration - 0.5);
      else return;
      e.preventDefault();
      e.stopPropagation();
    });
  }

  // The nearest thumbnail at or before t, with the time under the pointer.
  showHover(t, x) {
    const thumbs = this.recording.thumbnails.files;
    let best = null;
    for (const th of thumbs) if (th.t <= t * 1000) best = th;
    const children = [];
    if (best) children.push(h('img', { src: best.url, alt: '' }));
    children.push(clock(t));
    this.hover.replaceChildren(...children);
    this.hover.style.left = `${Math.max(100, Math.min(x, this.seekbar.clientWidth - 100))}px`;
    this.hover.hidden = false;
  }

  async start() {
    this.engine = new MsePlayer(this.video, this.recording);
    this.engine.addEventListener('error', (e) => this.showError(e.detail));
    this.engine.addEventListener('ended', () => this.paint());
    try {
      await this.engine.open();
    } catch (e) {
      this.showError(e.message);
      return;
    }
    this.paint();
  }

  showError(message) {
    this.overlay.hidden = false;
    this.overlay.classList.add('error');
    this.overlay.textContent = message;
  }

  close() {
    if (this.engine) this.engine.close();
  }

  play() {
    if (this.video.currentTime >= this.duration - 0.3) this.seek(0);  // at the end: from the start
    return this.video.play().catch((e) => this.showError(`Playback failed: ${e.message}`));
  }
  pause() { this.video.pause(); }
  toggle() { if (this.video.paused) this.play(); else this.pause(); }

  seek(t) {
    this.video.currentTime = Math.max(0, Math.min(this.duration - 0.05, t));
    this.paint();
  }

  setSpeed(rate) {
    this.video.playbackRate = rate;
    this.speed.value = String(rate);
    this.engine?.request(this.video.currentTime, false);
  }

  stepSpeed(direction) {
    const i = SPEEDS.indexOf(this.video.playbackRate);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 0 : i) + direction))];
    this.setSpeed(next);
    toast(`Speed ${next}×`, 1000);
  }

  setSkipIdle(on) {
    this.skipIdle = on;
    this.skipBox.checked = on;
    localStorage.setItem('rdpw.skipIdle', on ? '1' : '0');
  }

  fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else this.element.requestFullscreen?.();
  }

  // Skip idle: inside a stretch with nothing happening, jump to just before the next activity.
  onTime() {
    const t = this.video.currentTime;
    if (this.skipIdle && !this.video.paused) {
      for (const [a, b] of this.idle) {
        const from = a / 1000 + 0.5;
        const to = b / 1000 - 0.4;
        if (t >= from && t < to) {
          this.video.currentTime = to;
          toast(`Skipped ${humanDuration((to - t) * 1000)} of idle time`, 1500);
          break;
        }
      }
    }
    this.paint();
    this.dispatchEvent(new CustomEvent('time', { detail: this.video.currentTime }));
  }

  paint() {
    const t = this.video.currentTime;
    this.playButton.textContent = this.video.paused ? '▶ Play' : '❚❚ Pause';
    this.playButton.setAttribute('aria-pressed', String(!this.video.paused));
    this.time.textContent = `${clock(t)} / ${clock(this.duration)}`;
    this.played.style.width = `${this.pct(t)}%`;
    this.knob.style.left = `${this.pct(t)}%`;
    this.seekbar.setAttribute('aria-valuenow', String(Math.round(t)));
    this.seekbar.setAttribute('aria-valuetext', clock(t));
    if (this.engine?.buffer && !this.engine.closed) {
      const b = this.engine.buffer.buffered;
      const parts = [];
      for (let i = 0; i < b.length; i += 1) {
        parts.push(h('div', { class: 'buffered', style: { left: `${this.pct(b.start(i))}%`, width: `${this.pct(b.end(i) - b.start(i))}%` } }));
      }
      this.buffered.replaceChildren(...parts);
    }
  }

  // Page-wide shortcuts while the player is shown; returns false for keys it does not use.
  handleKey(e) {
    if (typingInField(e) || e.ctrlKey || e.metaKey || e.altKey) return false;
    const step = e.shiftKey ? 30 : 5;
    switch (e.key) {
      case ' ': case 'k': this.toggle(); break;
      case 'ArrowLeft': case 'j': this.seek(this.video.currentTime - step); break;
      case 'ArrowRight': case 'l': this.seek(this.video.currentTime + step); break;
      case 'Home': this.seek(0); break;
      case 'End': this.seek(this.duration - 0.5); break;
      case '[': case '<': this.stepSpeed(-1); break;
      case ']': case '>': this.stepSpeed(1); break;
      case 'i': this.setSkipIdle(!this.skipIdle); toast(`Skip idle ${this.skipIdle ? 'on' : 'off'}`, 1000); break;
      case 'f': this.fullscreen(); break;
      default: return false;
    }
    return true;
  }
}
