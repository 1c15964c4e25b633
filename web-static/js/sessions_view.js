// The sessions list: live sessions first, then newest; filters kept in the URL so a view can be
// bookmarked and Back works; server-side pages. Refreshes itself while live sessions are shown.

import { api } from './api.js';
import { clear, h, typingInField } from './dom.js';
import { bytes, duration, plural, when } from './format.js';

const PAGE_SIZE = 50;
const FILTERS = ['user', 'target', 'account', 'q', 'state', 'from', 'to'];
const STATES = ['', 'live', 'ended', 'terminated', 'failed', 'interrupted'];

function filterForm(params, onApply) {
  const field = (name, label, attrs = {}) => h('label', {}, label,
    h('input', { name, value: params.get(name) || '', spellcheck: 'false', autocomplete: 'off', ...attrs }));
  const state = h('select', { name: 'state' },
    STATES.map((s) => h('option', { value: s, selected: (params.get('state') || '') === s }, s || 'any')));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter sessions' },
    field('q', 'Typed text contains', { type: 'search', placeholder: 'e.g. sudo, "rm -rf", -ls' }),
    field('user', 'User'),
    field('target', 'Target'),
    field('account', 'Account'),
    h('label', {}, 'State', state),
    field('from', 'From', { type: 'date' }),
    field('to', 'To', { type: 'date' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Search'),
      h('button', { type: 'reset' }, 'Clear')));
  form.querySelector('[name=q]').parentElement.classList.add('wide');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const v = form.elements[name].value.trim();
      if (v) next.set(name, v);
    }
    onApply(next);
  });
  form.addEventListener('reset', (e) => {
    e.preventDefault();
    onApply(new URLSearchParams());
  });
  return form;
}

function row(s, navigate) {
  const href = `/sessions/${encodeURIComponent(s.id)}`;
  const tr = h('tr', { dataset: { id: s.id } },
    h('td', {}, h('span', { class: `badge ${s.state}` }, s.state),
      s.live?.watchable ? h('a', { class: 'watch-link', href, 'data-nav': true, title: 'Watch this session live' }, ' Watch') : null),
    h('td', {}, h('a', { href, 'data-nav': true }, when(s.started_at))),
    h('td', {}, s.user),
    h('td', {}, s.target),
    h('td', {}, s.account || '—'),
    h('td', {}, s.client_address || '—'),
    h('td', { class: 'num' }, duration(s.duration_ms)),
    h('td', { class: 'num' }, bytes(s.bytes)),
    h('td', { class: 'reason' }, s.state === 'live' ? 'in progress' : (s.end_reason || '—')));
  tr.addEventListener('click', (e) => {
    if (!(e.target instanceof Element) || !e.target.closest('a')) navigate(href);
  });
  return tr;
}

export function mountSessions(container, { navigate }) {
  document.title = 'Sessions · rdpwarden';
  const params = new URLSearchParams(location.search);
  const offset = Math.max(0, Number.parseInt(params.get('offset') || '0', 10) || 0);
  const status = h('p', { class: 'subtle', role: 'status' }, 'Loading…');
  const tbody = h('tbody');
  const pager = h('div', { class: 'pager' });
  const apply = (next) => navigate(`/sessions${next.toString() ? '?' + next : ''}`);
  const controller = new AbortController();
  let refresh = null;

  container.append(
    h('div', { class: 'session-head' }, h('h1', {}, 'Sessions'), status),
    filterForm(params, apply),
    h('div', { class: 'table-wrap' }, h('table', { class: 'sessions' },
      h('thead', {}, h('tr', {},
        ['State', 'Started', 'User', 'Target', 'Account', 'Client'].map((t) => h('th', { scope: 'col' }, t)),
        h('th', { scope: 'col', class: 'num' }, 'Duration'),
        h('th', { scope: 'col', class: 'num' }, 'Size'),
        h('th', { scope: 'col' }, 'End reason'))),
      tbody)),
    pager);

  async function load() {
    const query = new URLSearchParams();
    for (const name of FILTERS) if (params.get(name)) query.set(name, params.get(name));
    query.set('offset', String(offset));
    query.set('limit', String(PAGE_SIZE));
    try {
      const page = await api(`/api/v1/sessions?${query}`, { signal: controller.signal });
      render(page);
      clearTimeout(refresh);
      if (page.sessions.some((s) => s.state === 'live')) refresh = setTimeout(load, 15000);
    } catch (e) {
      if (e.name !== 'AbortError') status.textContent = e.message;
    }
  }

  function render(page) {
    clear(tbody);
    if (page.sessions.length === 0) {
      tbody.append(h('tr', {}, h('td', { colspan: 9, class: 'empty' },
        params.toString() ? 'No session matches these filters.' : 'No sessions recorded yet.')));
    }
    for (const s of page.sessions) tbody.append(row(s, navigate));
    const first = page.total === 0 ? 0 : offset + 1;
    const last = offset + page.sessions.length;
    status.textContent = plural(page.total, 'session');
    const go = (o) => {
      const next = new URLSearchParams(params);
      if (o > 0) next.set('offset', String(o)); else next.delete('offset');
      apply(next);
    };
    clear(pager).append(
      h('span', { class: 'subtle' }, `${first}–${last} of ${page.total.toLocaleString()}`),
      h('span', {},
        h('button', { type: 'button', disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE_SIZE)) }, '← Newer'),
        ' ',
        h('button', { type: 'button', disabled: last >= page.total, onclick: () => go(offset + PAGE_SIZE) }, 'Older →')));
  }

  // "/" jumps to the search box, as in most consoles.
  const onKey = (e) => {
    if (e.key === '/' && !typingInField(e)) {
      e.preventDefault();
      container.querySelector('input[name=q]').focus();
    }
  };
  document.addEventListener('keydown', onKey);
  load();
  return () => {
    controller.abort();
    clearTimeout(refresh);
    document.removeEventListener('keydown', onKey);
  };
}
