// Shared by the election pages: translated strings (Django's JavaScript catalogue, loaded by
// base.html), reading the JSON a template put in a json_script block, and JSON requests that
// carry the CSRF token from the page's {% csrf_token %} input (the cookie is HttpOnly).

// Named gettext so that `makemessages -d djangojs` extracts the strings; the catalogue comes from
// /jsi18n/ (loaded by base.html). fmt() fills %(name)s placeholders of an already translated text.
export const gettext = (text) =>
  typeof window.gettext === 'function' ? window.gettext(text) : text;
export const fmt = (text, values) =>
  typeof window.interpolate === 'function'
    ? window.interpolate(text, values, true)
    : text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));

export function pageData(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function csrfToken() {
  return document.querySelector('input[name="csrfmiddlewaretoken"]')?.value ?? '';
}

/** fetch JSON; resolves {status, body}; a 4xx/5xx body's error.reason is the message to show. */
export async function requestJson(url, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken();
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('Content-Type') ?? '';
  const data = type.includes('json') ? await response.json() : await response.text();
  return { status: response.status, ok: response.ok, body: data };
}

export function reasonOf(result) {
  return result.body?.error?.reason ?? fmt(gettext('The server answered %(status)s.'), { status: result.status });
}

/** Let the browser paint (status text, disabled buttons) before a long computation. */
export const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 30));

export function download(link, text, filename, type = 'text/plain') {
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = filename;
  link.hidden = false;
}
