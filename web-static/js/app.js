// The console's shell: who is signed in, which page is shown, navigation without reloads.
// Pages: /login, /sessions (the list), /sessions/<id> (player + timeline).

import { api, ApiError, forgetPrefetched, onUnauthorized, prefetch, setCsrfToken } from './api.js';
import { clear, h, toast } from './dom.js';
import { mountLogin } from './login_view.js';
import { mountSessions } from './sessions_view.js';
import { mountSession } from './session_view.js';

const main = document.getElementById('main');
let me = null;
let unmount = null;

function showWhoami() {
  const box = document.querySelector('.whoami');
  box.hidden = !me;
  document.querySelector('.topnav').hidden = !me;
  if (me) {
    box.querySelector('.whoami-name').textContent = me.user;
    box.querySelector('.whoami-role').textContent = me.role;
  }
}

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', url);
  else history.pushState({}, '', url);
  route();
}

function signedIn(principal) {
  me = principal;
  setCsrfToken(principal.csrf_token);
  showWhoami();
}

function signedOut() {
  me = null;
  setCsrfToken(null);
  showWhoami();
}

function route() {
  if (unmount) unmount();
  unmount = null;
  clear(main);
  const path = location.pathname;
  for (const a of document.querySelectorAll('.topnav a')) {
    if (path.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!me) {
    const next = path === '/login' ? '/sessions' : path + location.search;
    document.title = 'Sign in · rdpwarden';
    unmount = mountLogin(main, {
      onSignedIn(principal) {
        signedIn(principal);
        navigate(next, { replace: true });
      },
    });
    if (path !== '/login') history.replaceState({}, '', `/login`);
    return;
  }
  const match = path.match(/^\/sessions\/([A-Za-z0-9_-]{1,64})$/);
  if (match) {
    unmount = mountSession(main, match[1], { navigate });
  } else if (path === '/' || path === '/sessions' || path === '/login') {
    if (path !== '/sessions') history.replaceState({}, '', '/sessions' + location.search);
    unmount = mountSessions(main, { navigate });
  } else {
    document.title = 'Not found · rdpwarden';
    main.append(h('div', { class: 'panel' }, h('h1', {}, 'Page not found'),
      h('p', {}, h('a', { href: '/sessions', 'data-nav': true }, 'Back to the sessions'))));
  }
}

// Links marked data-nav change the page without a reload (new tabs still work normally).
document.addEventListener('click', (event) => {
  const a = event.target instanceof Element ? event.target.closest('a[data-nav]') : null;
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
      event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api('/api/v1/logout', { method: 'POST' });
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      toast(`Sign-out failed: ${e.message}`);
      return;
    }
  }
  signedOut();
  navigate('/login');
});

onUnauthorized(() => {
  if (!me) return;
  signedOut();
  toast('Your console session ended. Please sign in again.', 4000);
  route();
});

async function boot() {
  // On a session's page, ask for its index while /me is on its way (one round trip less to the
  // first picture); without a session it fails with 401 and is dropped.
  const session = location.pathname.match(/^\/sessions\/([A-Za-z0-9_-]{1,64})$/);
  if (session) prefetch(`/api/v1/sessions/${session[1]}`);
  try {
    signedIn(await api('/api/v1/me', { quiet401: true }));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      clear(main).append(h('p', { class: 'error panel' }, e.message));
      return;
    }
    forgetPrefetched();
  }
  route();
}

boot();
