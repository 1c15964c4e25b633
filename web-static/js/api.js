// The console's JSON API client. The session cookie travels by itself (HttpOnly, SameSite=Strict);
// every state-changing request carries the CSRF token the server handed out at sign-in or /me.

let csrfToken = null;
let unauthorizedHandler = null;

export class ApiError extends Error {
  constructor(status, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

export function setCsrfToken(token) { csrfToken = token; }
// Called on any 401 after sign-in (the console session expired): the app shows the sign-in page.
export function onUnauthorized(handler) { unauthorizedHandler = handler; }

// GETs started early (while the page is still finding out who is signed in) and handed to
// the first api() call for the same path.
const prefetched = new Map();

export function prefetch(path) {
  const pending = api(path, { quiet401: true });
  pending.catch(() => {});
  prefetched.set(path, pending);
}

export function forgetPrefetched() { prefetched.clear(); }

export async function api(path, { method = 'GET', body, signal, quiet401 = false } = {}) {
  if (method === 'GET' && prefetched.has(path)) {
    const pending = prefetched.get(path);
    prefetched.delete(path);
    return pending;
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method, headers, signal, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The console server cannot be reached.');
  }
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) {
    const message = (data && data.error) || `${response.status} ${response.statusText}`;
    if (response.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler();
    throw new ApiError(response.status, message, response.headers.get('Retry-After'));
  }
  return data;
}

// Binary media (segments, headers). Same credentials and 401 handling as api().
export async function fetchBytes(url, { signal } = {}) {
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', signal });
  if (!response.ok) {
    if (response.status === 401 && unauthorizedHandler) unauthorizedHandler();
    throw new ApiError(response.status, `${url}: ${response.status}`);
  }
  return response.arrayBuffer();
}
