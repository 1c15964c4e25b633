// The event timeline beside the player: typed lines, clicks and lifecycle events in time order.
// Each entry seeks the video to its moment; the entry at the play position is highlighted and
// kept in view (unless the auditor is scrolling the list by hand).

import { h } from './dom.js';
import { clock } from './format.js';

const GROUPS = {
  typed: { label: 'Typed text', kinds: ['text', 'unicode'] },
  clicks: { label: 'Clicks', kinds: ['click'] },
  lifecycle: {
    label: 'Lifecycle',
    kinds: ['session.start', 'session.end', 'recording.start', 'recording.stop', 'recording.failure',
      'notice.shown', 'resize', 'layout', 'control', 'watch', 'policy'],
  },
};

// How a typed line ended, when it was not with Enter.
const TEXT_ENDS = {
  tab: ' ⇥ Tab', focus: ' (then clicked away)', idle: ' (then paused)',
  history: ' (then recalled history: the shell shows a line not seen here)', interrupt: ' ^C',
};

function describe(ev) {
  switch (ev.kind) {
    case 'text': return [h('span', { class: 'typed' }, ev.line ?? ''), TEXT_ENDS[ev.end] ?? ''];
    case 'unicode': return [h('span', { class: 'typed' }, ev.text ?? '')];
    case 'click': return `${ev.button ?? ''} click at ${ev.x ?? '?'}, ${ev.y ?? '?'}`;
    case 'session.start': return `Session started: ${ev.user ?? ''} → ${ev.target ?? ''}${ev.account ? ` as ${ev.account}` : ''}${ev.client ? ` from ${ev.client}` : ''}`;
    case 'session.end': return `Session ended (${ev.reason ?? 'unknown'})`;
    case 'recording.start': return `Recording started at ${ev.width}×${ev.height}`;
    case 'recording.stop': return `Recording stopped (${ev.reason ?? 'unknown'})`;
    case 'recording.failure': return `Recording failed: ${ev.message ?? ev.failure ?? 'unknown'}`;
    case 'layout': return `Keyboard layout ${ev.xkb ?? ''} (${ev.klid ?? '?'})`;
    case 'notice.shown': return `Notice shown: ${ev.text ?? ''}`;
    case 'resize': return `Desktop resized to ${ev.width}×${ev.height}`;
    case 'control': return `${ev.actor ?? 'An auditor'}: ${ev.action ?? ''}${ev.text ? ` “${ev.text}”` : ''}`;
    case 'watch': return `${ev.actor ?? 'An auditor'} ${ev.action === 'start' ? 'started' : 'stopped'} watching live`;
    case 'policy': return `Policy: ${ev.action ?? ''}${ev.minutes_left != null ? ` (${ev.minutes_left} min left)` : ''}`;
    default: return ev.kind;
  }
}

// Glyphs every system font here has (DejaVu covers these; emoji fonts are not a given).
const ICONS = { text: '⌨', unicode: '⌨', click: '↖', control: '⚑', policy: '⚠', watch: '◉', 'recording.failure': '⚠' };

export class Timeline extends EventTarget {
  constructor(events, { truncated = false } = {}) {
    super();
    this.events = events;
    this.enabled = new Set(Object.keys(GROUPS));
    this.filterText = '';
    this.current = -1;
    this.lastManualScroll = 0;
    this.list = h('ol', { 'aria-label': 'Events' });
    this.count = h('span', { class: 'count' });
    const search = h('input', { type: 'search', placeholder: 'Filter events…', 'aria-label': 'Filter events' });
    search.addEventListener('input', () => { this.filterText = search.value.toLowerCase(); this.render(); });
    const kinds = h('div', { class: 'kinds' }, Object.entries(GROUPS).map(([key, g]) => {
      const box = h('input', { type: 'checkbox', checked: true });
      box.addEventListener('change', () => {
        if (box.checked) this.enabled.add(key); else this.enabled.delete(key);
        this.render();
      });
      return h('label', { class: 'inline' }, box, g.label);
    }));
    this.element = h('section', { class: 'timeline panel', 'aria-label': 'Timeline' },
      h('header', {}, h('h2', {}, 'Timeline ', this.count), kinds, search,
        truncated ? h('p', { class: 'subtle' }, 'Showing the first events only.') : null),
      this.list);
    this.list.addEventListener('wheel', () => { this.lastManualScroll = Date.now(); }, { passive: true });
    this.render();
  }

  visible(ev) {
    const group = Object.entries(GROUPS).find(([, g]) => g.kinds.includes(ev.kind));
    if (group && !this.enabled.has(group[0])) return false;
    if (!this.filterText) return true;
    return JSON.stringify(ev).toLowerCase().includes(this.filterText);
  }

  // A live session's timeline grows (control and watch events among others).
  setEvents(events, { truncated = false } = {}) {
    if (events.length === this.events.length) return;
    this.events = events;
    this.truncated = truncated;
    this.render();
  }

  render() {
    this.items = [];
    const rows = [];
    this.events.forEach((ev, index) => {
      if (!this.visible(ev)) return;
      const kindClass = `kind-${ev.kind.split('.')[0]}`;
      const button = h('button', { type: 'button', title: `Jump to ${clock(ev.t / 1000)}` },
        h('span', { class: 't' }, clock(ev.t / 1000)),
        h('span', { class: 'icon', 'aria-hidden': 'true' }, ICONS[ev.kind] ?? '•'),
        h('span', { class: 'what' }, describe(ev)));
      button.addEventListener('click', () => this.dispatchEvent(new CustomEvent('seek', { detail: ev.t / 1000 })));
      const li = h('li', { class: kindClass, dataset: { t: ev.t, kind: ev.kind, index } }, button);
      rows.push(li);
      this.items.push({ t: ev.t / 1000, li });
    });
    this.list.replaceChildren(...rows);
    this.count.textContent = `(${rows.length})`;
    this.current = -1;
    this.update(this.lastTime ?? 0);
  }

  // Highlights the last visible event at or before t.
  update(t) {
    this.lastTime = t;
    let lo = 0;
    let hi = this.items.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].t <= t + 0.05) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found === this.current) return;
    if (this.current >= 0 && this.items[this.current]) {
      this.items[this.current].li.classList.remove('current');
      this.items[this.current].li.removeAttribute('aria-current');
    }
    this.current = found;
    if (found < 0) return;
    const li = this.items[found].li;
    li.classList.add('current');
    li.setAttribute('aria-current', 'true');
    if (Date.now() - this.lastManualScroll > 4000) li.scrollIntoView({ block: 'nearest' });
  }

  // The next/previous visible event from t (keyboard n / p).
  neighbour(t, direction) {
    if (direction > 0) return this.items.find((it) => it.t > t + 0.1)?.t;
    for (let i = this.items.length - 1; i >= 0; i -= 1) if (this.items[i].t < t - 1) return this.items[i].t;
    return undefined;
  }
}
