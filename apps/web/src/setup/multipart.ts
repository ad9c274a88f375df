import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The largest file a page takes (a borough's register of 300,000 rows is about 10 MB). */
export const UPLOAD_MAX_BYTES = 64 * 1024 * 1024;

const uploads = new WeakMap<FastifyRequest, MultipartFile>();

/**
 * File uploads on the pages (forms with enctype multipart/form-data): the form's fields that come
 * before its file (the CSRF token first) become the request's body, as for any form, so the CSRF
 * check and the page guard run before a byte of the file is read; the file itself is left as a
 * stream for the page (`uploadOf`), which reads it as it arrives and never holds it whole.
 */
export async function setUpMultipart(instance: FastifyInstance): Promise<void> {
  await instance.register(multipart, {
    limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 22 },
  });
  // Both hooks run for every page and do nothing for all but uploads: callbacks, not promises, for those.
  instance.addHook('preValidation', (req, _reply, done) => {
    if (!req.isMultipart()) return done();
    readFields(req).then(() => done(), done);
  });
  // A refused upload (a stale form, a role that may not import) is read to its end and dropped.
  instance.addHook('onResponse', (req, _reply, done) => {
    const file = uploads.get(req)?.file;
    if (file && !file.readableEnded) file.resume();
    done();
  });
}

/** The fields before the file become the body; the file waits for the page. */
async function readFields(req: FastifyRequest): Promise<void> {
  const file = await req.file().catch(() => undefined);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(file?.fields ?? {})) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field') fields[name] = String(field.value);
  }
  req.body = fields;
  if (file) uploads.set(req, file);
}

/** The file of a multipart form, still streaming; undefined for any other request. */
export const uploadOf = (req: FastifyRequest): MultipartFile | undefined => uploads.get(req);
