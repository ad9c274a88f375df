import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a catalogue says about itself, under its `_meta` key. */
export interface CatalogueMeta {
  /** The language's own name, for the language switch. */
  readonly name: string;
  /** The BCP 47 tag given to `Intl` (dates, numbers, money): `en-GB`, `bn-BD`. */
  readonly intl: string;
  readonly dir: 'ltr' | 'rtl';
  /** False until a native speaker has checked every string; the pages then say so. */
  readonly reviewed: boolean;
}

export interface Catalogue {
  readonly lang: string;
  readonly meta: CatalogueMeta;
  readonly messages: Readonly<Record<string, string>>;
}

export type Params = Readonly<Record<string, string | number>>;

/**
 * A translator adds a language by adding `<lang>.json` to the folder: no code changes. The
 * strings of one area of the site may also sit in files of their own, `<lang>/<area>.json`
 * (the staff pages' strings, say), merged into the language; a key given twice is refused, so
 * two areas never silently overwrite each other's words.
 */
export function loadCatalogues(dirs: readonly string[]): Map<string, Catalogue> {
  const catalogues = new Map<string, Catalogue>();
  for (const dir of dirs) {
    const entries = readdirSync(dir, { withFileTypes: true });
    for (const file of entries.filter((e) => e.isFile() && e.name.endsWith('.json'))) {
      const lang = file.name.slice(0, -'.json'.length);
      const { _meta, ...messages } = JSON.parse(readFileSync(join(dir, file.name), 'utf8')) as Record<string, unknown>;
      const merged: Record<string, string> = { ...flatten(messages) };
      const areaDir = join(dir, lang);
      if (entries.some((e) => e.isDirectory() && e.name === lang)) {
        for (const area of readdirSync(areaDir)
          .filter((f) => f.endsWith('.json'))
          .sort()) {
          const strings = flatten(JSON.parse(readFileSync(join(areaDir, area), 'utf8')) as Record<string, unknown>);
          for (const [key, value] of Object.entries(strings)) {
            if (key in merged) throw new Error(`The catalogue key ${key} is given twice (${lang}/${area}).`);
            merged[key] = value;
          }
        }
      }
      catalogues.set(lang, { lang, meta: _meta as CatalogueMeta, messages: merged });
    }
  }
  return catalogues;
}

/** `{ "home": { "title": "…" } }` becomes `{ "home.title": "…" }`. */
function flatten(tree: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out[prefix + key] = value;
    else if (value && typeof value === 'object') Object.assign(out, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
  }
  return out;
}

/**
 * The message for `key` with `{name}` placeholders filled (values already formatted for the
 * language). A key missing from the language falls back to English, and a key missing from
 * English shows as `[key]` so that a test finds it on the page.
 */
export function translate(catalogue: Catalogue, fallback: Catalogue, key: string, params: Params = {}): string {
  const template = catalogue.messages[key] ?? fallback.messages[key];
  if (template === undefined) return `[${key}]`;
  // Most messages have no placeholder (a page asks for a few dozen): as they are, without a scan.
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
