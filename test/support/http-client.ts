import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** An answer, with its body read as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  json<T = any>(): T;
}

/** Cookies by name, as a browser keeps them for the tests' purposes (paths and expiry ignored). */
export type CookieJar = Map<string, string>;

/**
 * One HTTP(S) request with node:http, trusting the test CA (the jest process cannot add a CA to
 * `fetch` once started), carrying and keeping the jar's cookies. Redirects are not followed.
 */
export function send(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    form?: Record<string, string>;
    json?: unknown;
    jar?: CookieJar;
    ca?: string;
  } = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  if (options.jar && options.jar.size > 0) headers.cookie = [...options.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? (body ? 'POST' : 'GET'), headers, ca: options.ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        for (const cookie of res.headers['set-cookie'] ?? []) {
          const [pair, ...attributes] = cookie.split(';');
          const [name, ...value] = pair.trim().split('=');
          const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value.join('=') === '';
          if (options.jar) expired ? options.jar.delete(name) : options.jar.set(name, value.join('='));
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
