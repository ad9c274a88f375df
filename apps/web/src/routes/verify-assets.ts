import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ASSET_DIR } from '../assets-build';

/**
 * Serves the verification scripts (apps/web/build/verify/*.js, built by scripts/build-web.js)
 * at /assets/verify/<file>: loaded only by the pages that check a receipt or a certificate.
 * The staff pages' own scripts (upload, live tally) are served the same way from `staff`.
 */
export function serveVerifyAssets(fastify: FastifyInstance, root: string, folder: 'verify' | 'staff' = 'verify'): void {
  const dir = join(ASSET_DIR(root), folder);
  const files = new Map<string, Buffer>();
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.js')) files.set(f, readFileSync(join(dir, f)));
  fastify.get(`/assets/${folder}/:file`, async (req, reply) => {
    const body = files.get((req.params as { file: string }).file);
    if (!body) return reply.code(404).send('');
    return reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });
}
