import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@civic/platform';
import { loadCatalogues } from './catalogue';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the catalogues', () => {
  const catalogues = loadCatalogues([join(projectRoot(), 'apps', 'web', 'locales')]);
  const english = catalogues.get('en')!;

  it.each([...catalogues.keys()].filter((l) => l !== 'en'))('%s has every English key, no other, with the same placeholders', (lang) => {
    const other = catalogues.get(lang)!;
    expect(Object.keys(other.messages).filter((k) => !(k in english.messages))).toEqual([]);
    expect(Object.keys(english.messages).filter((k) => !(k in other.messages))).toEqual([]);
    const differing = Object.keys(english.messages).filter(
      (k) => placeholders(english.messages[k]).join() !== placeholders(other.messages[k]).join(),
    );
    expect(differing).toEqual([]);
  });

  it('merges the strings of an area kept in a file of its own, and refuses a key given twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    writeFileSync(join(dir, 'xx.json'), JSON.stringify({ _meta: { name: 'X', intl: 'en', dir: 'ltr', reviewed: true }, a: { b: 'one' } }));
    mkdirSync(join(dir, 'xx'));
    writeFileSync(join(dir, 'xx', 'area.json'), JSON.stringify({ c: { d: 'two' } }));
    expect(loadCatalogues([dir]).get('xx')!.messages).toEqual({ 'a.b': 'one', 'c.d': 'two' });
    writeFileSync(join(dir, 'xx', 'other.json'), JSON.stringify({ a: { b: 'again' } }));
    expect(() => loadCatalogues([dir])).toThrow(/a\.b is given twice/);
  });
});
