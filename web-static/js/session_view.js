// One session: who, where, when, how it ended; the player; the timeline beside it.
// The player starts as soon as the session's index arrives; events and idle stretches load in
// parallel and join when ready, so the first picture never waits for them.

import { api } from './api.js';
import { clear, h, typingInField } from './dom.js';
import { bytes, duration, when } from './format.js';
import { warmRecording } from './mse_player.js';
import { LiveView } from './live_view.js';
import { PlayerUi } from './player_ui.js';
import { Timeline } from './timeline.js';

function facts(s) {
  const item = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
  return h('dl', { class: 'facts' },
    item('User', s.user), item('Target', s.target), item('Account', s.account || '—'),
    item('Client address', s.client_address || '—'), item('Started', when(s.started_at)),
    item('Ended', s.ended_at ? when(s.ended_at) : (s.state === 'live' ? 'in progress' : '—')),
    item('Duration', duration(s.duration_ms)), item('Recorded', bytes(s.bytes)),
    item('End reason', s.state === 'live' ? '—' : (s.end_reason || '—')),
    item('Session id', h('code', {}, s.id)));
}

function helpOverlay(close) {
  const keys = [
    ['Space / k', 'play or pause'], ['← → / j l', 'back or forward 5 s (Shift: 30 s)'],
    ['Home / End', 'start or end'], ['[ ]', 'slower or faster (1× to 16×)'],
    ['n / p', 'next or previous event'], ['i', 'skip idle on or off'], ['f', 'fullscreen'],
    ['?', 'this help'],
  ];
  const closeButton = h('button', { type: 'button', class: 'primary', onclick: close }, 'Close');
  const el = h('div', { class: 'help', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Keyboard shortcuts' },
    h('div', { class: 'panel' }, h('h2', {}, 'Keyboard shortcuts'),
      h('dl', {}, keys.map(([k, what]) => [h('dt', {}, k), h('dd', {}, what)])), closeButton));
  el.addEventListener('click', (e) => { if (e.target === el) close(); });
  setTimeout(() => closeButton.focus(), 0);
  return el;
}

export function mountSession(container, id, { navigate }) {
  const controller = new AbortController();
  let player = null;
  let live = null;
  let followTimer = null;
  let timeline = null;
  let help = null;
  const base = `/api/v1/sessions/${encodeURIComponent(id)}`;
  const playerSlot = h('div', {}, h('p', { class: 'loading' }, 'Loading the session…'));
  const side = h('div', {});
  const head = h('div', { class: 'session-head' },
    h('a', { class: 'back', href: '/sessions', 'data-nav': true }, '← Sessions'));
  container.append(head, h('div', { class: 'session-grid' }, h('div', {}, playerSlot), side));
  document.title = 'Session · rdpwarden';

  const closeHelp = () => { help?.remove(); help = null; };
  const onKey = (e) => {
    if (help) { if (e.key === 'Escape' || e.key === '?') { closeHelp(); e.preventDefault(); } return; }
    if (e.key === '?') { help = helpOverlay(closeHelp); document.body.append(help); e.preventDefault(); return; }
    if (!player || typingInField(e)) return;
    if ((e.key === 'n' || e.key === 'p') && timeline && !e.ctrlKey && !e.metaKey) {
      const t = timeline.neighbour(player.video.currentTime, e.key === 'n' ? 1 : -1);
      if (t !== undefined) player.seek(t);
      e.preventDefault();
      return;
    }
    if (player.handleKey(e)) e.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  (async () => {
    let detail;
    try {
      detail = await api(base, { signal: controller.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      clear(playerSlot).append(h('p', { class: 'panel error' },
        e.status === 404 ? 'No such session.' : e.message));
      return;
    }
    if (detail.recording) warmRecording(detail.recording);
    const s = detail.session;
    document.title = `${s.user} → ${s.target} · rdpwarden`;
    head.append(h('h1', {}, `${s.user} → ${s.target}`), h('span', { class: `badge ${s.state}` }, s.state),
      h('span', { class: 'subtle' }, when(s.started_at)));
    // Events and idle stretches wait until the first picture is in (they would compete with
    // the media for the connection and the server's workers).
    let firstPicture = Promise.resolve();
    const loadEvents = () => api(`${base}/events`, { signal: controller.signal });
    const info = h('section', { class: 'panel', 'aria-label': 'Session details' }, facts(s));
    info.style.marginTop = '16px';
    const watchable = s.state === 'live' && s.live?.watchable;
    const rec = detail.recording;
    if (rec) {
      // A live session's manifest may lag its segments: the player spans whichever is longer.
      const last = rec.segments.at(-1);
      if (last) rec.duration_ms = Math.max(rec.duration_ms, last.start_ms + last.duration_ms);
      rec.duration_ms = Math.max(rec.duration_ms, 1);
    }
    const modeButton = (label, cls, onclick) => h('button', { type: 'button', class: cls, onclick }, label);
    const wirePlayer = () => {
      if (!player || !timeline || player.wired) return;
      player.wired = true;
      player.addEventListener('time', (e) => timeline.update(e.detail));
      player.video.addEventListener('seeked', () => timeline.update(player.video.currentTime));
      // Typed lines become markers on the seek bar.
      for (const t of timeline.textTimes) {
        player.seekbar.append(h('div', { class: 'marker', dataset: { t: t / 1000 }, style: { left: `${player.pct(t / 1000)}%` } }));
      }
    };
    // A live session's index grows: fetch the latest before playing from the start.
    const refreshIndex = async () => {
      if (s.state !== 'live' || !rec) return;
      try {
        const r = await api(`${base}/recording`, { signal: controller.signal });
        const seg = r.recording.segments.at(-1);
        rec.segments = r.recording.segments;
        rec.inits = r.recording.inits;
        rec.duration_ms = Math.max(rec.duration_ms, r.recording.duration_ms,
          seg ? seg.start_ms + seg.duration_ms : 0);
      } catch (e) {
        if (e.name === 'AbortError') throw e;
      }
    };
    const showRecording = async (seekTo) => {
      live?.close();
      live = null;
      if (!rec) {
        clear(playerSlot).append(h('p', { class: 'panel' }, detail.recording_problem ||
          (s.state === 'live' ? 'The first part of this live session is still being recorded.' : 'This session has no recording.')),
        watchable ? modeButton('Watch live', 'primary jump-live', showLive) : null, info);
        return;
      }
      if (watchable) await refreshIndex();
      player = new PlayerUi(rec);
      const bar = watchable ? h('div', { class: 'mode-bar' },
        h('span', { class: 'subtle' }, 'Recording so far'),
        modeButton('Jump to live', 'primary jump-live', showLive)) : null;
      clear(playerSlot).append(...[bar, player.element, info].filter(Boolean));
      const started = player.start();
      started.then(() => api(`${base}/activity`, { signal: controller.signal }))
        .then((a) => { if (player && a) player.setIdle(a.idle); }).catch(() => {});
      if (seekTo !== undefined) started.then(() => { player?.seek(seekTo); player?.play(); });
      wirePlayer();
      await started;
    };
    function showLive() {
      if (player) player.close();
      player = null;
      live = new LiveView(s);
      // The gateway puts each action on the timeline: show it shortly after.
      live.addEventListener('acted', () => setTimeout(() => refreshEvents().catch(() => {}), 1500));
      const bar = h('div', { class: 'mode-bar' },
        h('span', { class: 'subtle' }, 'Watching live'),
        rec ? modeButton('Play from start', 'play-from-start', () => showRecording(0).catch(() => {})) : null);
      clear(playerSlot).append(bar, live.element, info);
      live.start();
    }
    if (watchable) showLive(); else firstPicture = showRecording();
    // While the session runs, its recording and timeline grow: the page follows both.
    const refreshEvents = async () => {
      if (!timeline) return;
      const events = await loadEvents();
      timeline.textTimes = events.events.filter((ev) => ev.kind === 'text').map((ev) => ev.t);
      timeline.setEvents(events.events, { truncated: events.truncated });
    };
    if (s.state === 'live') {
      const follow = async () => {
        try {
          if (rec) {
            const r = await api(`${base}/recording`, { signal: controller.signal });
            const seg = r.recording.segments.at(-1);
            if (seg) r.recording.duration_ms = Math.max(r.recording.duration_ms, seg.start_ms + seg.duration_ms);
            rec.segments = r.recording.segments;
            rec.inits = r.recording.inits;
            rec.duration_ms = Math.max(rec.duration_ms, r.recording.duration_ms);
            player?.extend(r.recording);
          }
          await refreshEvents();
          if (!live?.ended) followTimer = setTimeout(follow, 10000);
        } catch (e) {
          if (e.name !== 'AbortError') followTimer = setTimeout(follow, 30000);
        }
      };
      followTimer = setTimeout(follow, 10000);
    }
    try {
      await firstPicture;
      const events = await loadEvents();
      timeline = new Timeline(events.events, { truncated: events.truncated });
      timeline.textTimes = events.events.filter((ev) => ev.kind === 'text').map((ev) => ev.t);
      side.append(timeline.element);
      timeline.addEventListener('seek', (e) => {
        if (!player) { showRecording(e.detail).catch(() => {}); return; }
        player.seek(e.detail);
        player.play();
      });
      wirePlayer();
    } catch (e) {
      if (e.name !== 'AbortError') side.append(h('p', { class: 'panel error' }, `Events: ${e.message}`));
    }
  })();

  return () => {
    controller.abort();
    clearTimeout(followTimer);
    document.removeEventListener('keydown', onKey);
    closeHelp();
    if (player) player.close();
    player = null;
    live?.close();
    live = null;
  };
}
