/**
 * `npx ts-node --transpile-only -r tsconfig-paths/register bench/register-upload.ts [rows]`: uploads a
 * register file of `rows` rows (300,000 by default) to the register page without JavaScript (one
 * multipart upload, imported by the server as a job whose page this follows to its end; the time
 * the page took to answer is printed too) and prints the time, the rows a second and
 * the server's peak resident memory against its memory before the upload (same process, same run).
 * With `--api` as a second argument, the baseline: the same rows sent straight to the API's
 * importRegister in chunks of 5,000, no page in between.
 */
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTER_CHUNK_ROWS } from '../apps/web/src/routes/admin-register';
import { hidden, startWeb, WebClient } from '../test/web/web-client';

const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 300_000);
  const file = join(tmpdir(), `register-${rows}.csv`);
  const lines = ['reference,ward,date_of_birth'];
  for (let i = 0; i < rows; i++) lines.push(`TH-${String(i).padStart(7, '0')},Mile End,1980-01-01`);
  writeFileSync(file, lines.join('\n'));
  lines.length = 0;
  const api = await startWeb({ RATE_LIMIT_PER_MINUTE: '1000000' });
  const admin = new WebClient(api.url);
  await admin.get('/staff/sign-in');
  await admin.post('/staff/sign-in', { role: 'administrator', subject: 'bench', back: '/staff' });
  const form = await admin.get('/admin/register');
  global.gc?.();
  const before = process.memoryUsage().rss;
  // node:http, not fetch: before jobs the page answered once the whole file was imported, later than fetch's 5-minute header timeout.
  const boundary = `bench${Date.now()}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head =
    field('_csrf', admin.lastCsrf) +
    field('commandId', hidden(form.text, 'commandId')) +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="register.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const started = performance.now();
  const text =
    process.argv[3] === '--api'
      ? await straightToApi(api, file)
      : await new Promise<string>((resolve, reject) => {
          const req = request(`${api.url}/admin/register/file`, {
            method: 'POST',
            headers: {
              'content-type': `multipart/form-data; boundary=${boundary}`,
              'content-length': Buffer.byteLength(head) + statSync(file).size + Buffer.byteLength(tail),
              cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            },
          });
          req.setTimeout(0);
          req.on('error', reject);
          req.on('response', (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve(res.headers.location ? followJob(admin, res.headers.location) : body));
          });
          req.write(head);
          createReadStream(file)
            .on('end', () => req.end(tail))
            .pipe(req, { end: false });
        });
  const seconds = (performance.now() - started) / 1000;
  const result = /id="result">([^<]*)/.exec(text)?.[1] ?? text.slice(0, 200);
  process.stdout.write(
    `${rows} rows: ${result} in ${seconds.toFixed(1)} s (${(rows / seconds).toFixed(0)} rows/s); ` +
      `RSS before ${mb(before)}, peak ${mb(peakRss())} (the API, its stores and this client in one process)` +
      (answeredAfter ? `; the upload's page answered after ${((answeredAfter - started) / 1000).toFixed(1)} s\n` : '\n'),
  );
  await api.stop();
}

let answeredAfter = 0;

/** Follows the job's page to its end, asking for its progress as the page's script does (every 200 ms here). */
async function followJob(admin: WebClient, job: string): Promise<string> {
  answeredAfter = performance.now();
  for (;;) {
    const progress = JSON.parse((await admin.get(`${job}/progress`)).text) as { state: string };
    if (progress.state !== 'running') return (await admin.get(job)).text;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The baseline: the file's rows sent to importRegister in chunks, as the page does, without the page. */
async function straightToApi(api: Awaited<ReturnType<typeof startWeb>>, file: string): Promise<string> {
  const token = await api.signIn('administrator', 'bench-api');
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n');
  let imported = 0;
  for (let i = 0; i < rows.length; i += REGISTER_CHUNK_ROWS) {
    const csv = [header, ...rows.slice(i, i + REGISTER_CHUNK_ROWS)].join('\n');
    const res = await api.gql(`mutation($c: String!) { importRegister(csv: $c) { imported } }`, { c: csv }, token);
    imported += res.data.importRegister.imported;
  }
  return `<h2 id="result">${imported.toLocaleString('en-GB')} residents imported (straight to the API)</h2>`;
}

void main();
