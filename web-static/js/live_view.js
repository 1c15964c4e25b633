// A running session in the console: the live picture, how far behind it is, and the controls
// (suspend, resume, send a message, terminate). The controls POST to the session's control
// routes with the CSRF token; the gateway audits each one and puts it on the session's
// timeline. Both admins and auditors may use them (docs/http-api.md, "Live sessions").

import { api } from './api.js';
import { clear, h, toast } from './dom.js';
import { LivePlayer } from './live_player.js';

const STATE_TEXT = {
  connecting: 'Connecting to the live session…',
  live: 'Live',
  ended: 'The session has ended.',
  disconnected: 'The live view was disconnected.',
  error: 'This browser cannot play the live stream.',
};

export class LiveView extends EventTarget {
  constructor(session) {
    super();
    this.session = session;
    this.base = `/api/v1/sessions/${encodeURIComponent(session.id)}`;
    this.suspended = Boolean(session.live?.suspended);
    this.watchers = Number(session.live?.watchers) || 0;
    this.ended = false;
    this.status = h('span', { class: 'live-status', role: 'status' }, STATE_TEXT.connecting);
    this.lag = h('span', { class: 'subtle live-lag' });
    this.watching = h('span', { class: 'subtle live-watchers' });
    this.stage = h('div', { class: 'live-stage' });
    this.buttons = {
      suspend: h('button', { type: 'button', class: 'live-suspend', onclick: () => this.act('suspend') }, 'Suspend'),
      resume: h('button', { type: 'button', class: 'live-resume', onclick: () => this.act('resume') }, 'Resume'),
      terminate: h('button', { type: 'button', class: 'danger live-terminate', onclick: () => this.confirmTerminate() }, 'Terminate…'),
    };
    this.messageInput = h('input', { type: 'text', name: 'message', maxlength: 500, autocomplete: 'off',
      placeholder: 'Message to the admin (shown on their screen)', 'aria-label': 'Message to the admin' });
    this.sendButton = h('button', { type: 'submit', class: 'live-send' }, 'Send message');
    const form = h('form', { class: 'live-message' }, this.messageInput, this.sendButton);
    form.addEventListener('submit', (e) => { e.preventDefault(); this.sendMessage(); });
    this.confirmBox = h('div', { class: 'live-confirm', hidden: true, role: 'alertdialog', 'aria-label': 'Terminate the session' },
      h('span', {}, 'End this session now? The admin is disconnected.'),
      h('button', { type: 'button', class: 'danger live-terminate-confirm', onclick: () => { this.hideConfirm(); this.act('terminate'); } }, 'Terminate'),
      h('button', { type: 'button', class: 'live-terminate-cancel', onclick: () => this.hideConfirm() }, 'Cancel'));
    this.element = h('section', { class: 'live panel', 'aria-label': 'Live session' },
      h('div', { class: 'live-bar' }, h('span', { class: 'badge live' }, 'live'), this.status,
        this.watching, this.lag),
      this.stage,
      h('div', { class: 'live-controls', role: 'group', 'aria-label': 'Session controls' },
        this.buttons.suspend, this.buttons.resume, this.buttons.terminate),
      this.confirmBox, form);
    this.refreshButtons();
  }

  start() {
    this.player = new LivePlayer(`${this.base}/live`);
    this.stage.append(this.player.element);
    this.player.addEventListener('element', (e) => clear(this.stage).append(e.detail));
    this.player.addEventListener('state', (e) => this.onState(e.detail));
    this.player.addEventListener('control', (e) => this.onControl(e.detail));
    this.player.addEventListener('ended', (e) => {
      if (e.detail) this.status.textContent = `The session has ended (${e.detail}).`;
    });
    this.player.start();
    this.lagTimer = setInterval(() => {
      if (this.player?.state === 'live') this.lag.textContent = `${Math.round(this.player.behind() * 1000)} ms to decode`;
    }, 500);
  }

  onState(state) {
    this.status.textContent = STATE_TEXT[state] || state;
    this.element.dataset.state = state;
    if (state === 'ended') this.markEnded();
    if (state === 'disconnected') {
      this.stage.append(h('button', { type: 'button', class: 'live-reconnect', onclick: () => this.reconnect() }, 'Reconnect'));
    }
  }

  // The gateway's word on the controls (a suspend from the CLI or another tab included).
  onControl({ suspended, watchers }) {
    this.suspended = suspended;
    this.watchers = watchers;
    if (!this.busy) this.refreshButtons();
  }

  reconnect() {
    this.player?.close();
    clear(this.stage);
    this.start();
  }

  markEnded() {
    this.ended = true;
    this.lag.textContent = '';
    this.refreshButtons();
    this.dispatchEvent(new CustomEvent('ended'));
  }

  refreshButtons() {
    this.buttons.suspend.disabled = this.ended || this.suspended;
    this.buttons.resume.disabled = this.ended || !this.suspended;
    this.buttons.terminate.disabled = this.ended;
    this.messageInput.disabled = this.ended;
    this.sendButton.disabled = this.ended;
    this.element.classList.toggle('suspended', this.suspended && !this.ended);
    this.element.dataset.suspended = String(this.suspended && !this.ended);
    this.watching.textContent = this.ended || !this.watchers ? ''
      : `${this.watchers} watching`;
  }

  confirmTerminate() {
    this.confirmBox.hidden = false;
    this.confirmBox.querySelector('.live-terminate-cancel').focus();
  }

  hideConfirm() { this.confirmBox.hidden = true; }

  async act(action, body) {
    const all = [...Object.values(this.buttons), this.sendButton];
    all.forEach((b) => { b.disabled = true; });
    this.busy = true;
    try {
      const r = await api(`${this.base}/${action}`, { method: 'POST', body });
      this.suspended = Boolean(r.suspended);
      if (r.ended) this.markEnded();
      this.dispatchEvent(new CustomEvent('acted', { detail: action }));
      toast({ suspend: 'Session suspended', resume: 'Session resumed', terminate: 'Session terminated',
        message: 'Message sent' }[action]);
      return true;
    } catch (e) {
      if (e.status === 409) this.markEnded();
      toast(`${action[0].toUpperCase()}${action.slice(1)} failed: ${e.message}`, 4000);
      return false;
    } finally {
      this.busy = false;
      this.refreshButtons();
    }
  }

  async sendMessage() {
    const text = this.messageInput.value.trim();
    if (!text) { this.messageInput.focus(); return; }
    if (await this.act('message', { text })) this.messageInput.value = '';
  }

  close() {
    clearInterval(this.lagTimer);
    this.player?.close();
    this.player = null;
  }
}
