import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The built stylesheet and script (`npm run build:web`), served from memory with long caching. */
export interface BuiltAsset {
  readonly path: string;
  readonly body: Buffer;
  /** The same, compressed once at start-up. */
  readonly gzipped: Buffer;
  readonly type: string;
  readonly etag: string;
}

export const ASSET_DIR = (root: string) => join(root, 'apps', 'web', 'build');

export function loadAssets(root: string): { css: BuiltAsset; js: BuiltAsset } {
  const read = (file: string, type: string, fallback: string): BuiltAsset => {
    const full = join(ASSET_DIR(root), file);
    // Without a build (unit tests run from the sources) the pages still render, unstyled.
    const body = existsSync(full) ? readFileSync(full) : Buffer.from(fallback);
    const etag = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    return { path: `/assets/${file.replace(/\.(\w+)$/, `.${etag}.$1`)}`, body, gzipped: gzipSync(body, { level: 9 }), type, etag };
  };
  return { css: read('app.css', 'text/css; charset=utf-8', ''), js: read('app.js', 'text/javascript; charset=utf-8', '') };
}
