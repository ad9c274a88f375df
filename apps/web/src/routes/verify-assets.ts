import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ASSET_DIR } from '../assets-build';

/**
 * Serves the verification scripts (apps/web/build/verify/*.js, built by scripts/build-web.js)
 * at /assets/verify/<file>: loaded only by the pages that check a receipt or a certificate.
 */
export function serveVerifyAssets(fastify: FastifyInstance, root: string): void {
  const dir = join(ASSET_DIR(root), 'verify');
  const files = new Map<string, Buffer>();
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.js')) files.set(f, readFileSync(join(dir, f)));
  fastify.get('/assets/verify/:file', async (req, reply) => {
    const body = files.get((req.params as { file: string }).file);
    if (!body) return reply.code(404).send('');
    return reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });
}
