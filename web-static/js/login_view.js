// The sign-in form. Only admins and auditors get in; the server says why when it refuses.

import { api, ApiError } from './api.js';
import { h } from './dom.js';

export function mountLogin(container, { onSignedIn }) {
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true,
    maxlength: 128, spellcheck: 'false', autocapitalize: 'off' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password',
    required: true, maxlength: 1024 });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { 'aria-describedby': 'login-error' },
    h('label', {}, 'User name', user),
    h('label', {}, 'Password', password),
    submit, error);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const principal = await api('/api/v1/login', {
        method: 'POST', body: { user: user.value, password: password.value },
      });
      password.value = '';
      onSignedIn(principal);
    } catch (e) {
      password.value = '';
      if (e instanceof ApiError && e.status === 429) {
        const wait = Number(e.retryAfter);
        error.textContent = `Too many failed sign-ins. Try again in ${
          Number.isFinite(wait) ? Math.ceil(wait / 60) + ' min' : 'a few minutes'}.`;
      } else {
        error.textContent = e.message.charAt(0).toUpperCase() + e.message.slice(1);
      }
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });

  container.append(h('section', { class: 'login panel', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in to the rdpwarden console'),
    h('p', { class: 'subtle' }, 'For auditors and administrators.'),
    form));
  user.focus();
  return () => {};
}
