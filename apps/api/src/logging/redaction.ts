/** Request and response headers that carry credentials; pino replaces their values. */
export const REDACTED_HEADERS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  'req.headers["x-xsrf-token"]',
  'res.headers["set-cookie"]',
];

/** Query parameters whose values are keys, tokens or invitation ids. */
const SECRET_PARAMS = new Set([
  'key',
  'api_key',
  'key_hash',
  'token',
  'invite_link',
  'invitation_id',
  'id',
]);

/** The URL with secret query values replaced, safe to write to a log. */
export function redactUrl(url: string | undefined): string {
  if (!url) {
    return '';
  }

  const queryStart = url.indexOf('?');
  if (queryStart < 0) {
    return redactPath(url);
  }

  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of [...params.keys()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) {
      params.set(name, '[redacted]');
    }
  }

  return `${redactPath(url.slice(0, queryStart))}?${params.toString()}`;
}

/** `/key/{key}/regenerate` carries a key in its path. */
function redactPath(path: string): string {
  return path
    .replace(/\/sk-[^/?#]+/g, '/[redacted]')
    .replace(/\/[0-9a-f]{64}(?=\/|$)/g, '/[redacted]');
}
