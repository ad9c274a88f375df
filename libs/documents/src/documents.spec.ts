import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { fontPath, renderBallotForm, renderPollCardLetters, scriptRuns } from './index';

/**
 * The printable documents, read back as a reader's software would: text extracted with poppler's
 * pdftotext, fonts listed with pdffonts, Bengali shaping compared with HarfBuzz (hb-shape).
 */
const dir = mkdtempSync(join(tmpdir(), 'documents-'));
const extract = (pdf: Buffer, name: string) => {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return {
    text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
    fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
    file,
  };
};
/**
 * Extraction gives Bengali in glyph order (ি before ক for কি), so Bengali is compared as the
 * sorted code points of a line (canonically decomposed: ো is extracted as ে and া), spaces left
 * out: the same characters, whatever their order.
 */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const sortedCodePoints = (text: string) => [...text.normalize('NFD').replace(/\s+/g, '')].sort().join('');
const hasLine = (text: string, expected: string) => text.split('\n').some((line) => sortedCodePoints(line) === sortedCodePoints(expected));
const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

const FUND = {
  name: 'Participatory Budget 2030',
  votingOpensAt: new Date('2030-03-01T09:00:00Z'),
  votingClosesAt: new Date('2030-07-21T17:00:00Z'),
  timeZone: 'Europe/London',
  webAddress: 'https://vote.example.gov.uk',
};

describe('script runs', () => {
  it('sets Latin names, addresses, the web address, "£" and Latin digits apart from Bengali, spaces joining the run they stand in', () => {
    expect(scriptRuns('আপনার কোড: ABCD-EFGH, £5 জমা')).toEqual([
      { script: 'bengali', text: 'আপনার কোড: ' },
      { script: 'latin', text: 'ABCD-EFGH, £5 ' },
      { script: 'bengali', text: 'জমা' },
    ]);
    expect(scriptRuns('১২,০০০£')).toEqual([
      { script: 'bengali', text: '১২,০০০' },
      { script: 'latin', text: '£' },
    ]);
  });
});

describe('Bengali shaping', () => {
  it.each(['ক্ষমা', 'কি', 'স্ত্রী', 'কম্পিউটার', 'আপনার ভোট দেওয়ার কোড'])(
    'fontkit (which pdfkit lays text out with) gives the glyphs HarfBuzz gives for %s: conjuncts formed, vowel signs placed',
    (text) => {
      const font = fontkit.openSync(fontPath('bengali')) as fontkit.Font;
      const ours = font.layout(text).glyphs.map((g) => g.id);
      const harfbuzz = execFileSync('hb-shape', ['--no-glyph-names', '--no-positions', '--no-clusters', fontPath('bengali'), text], {
        encoding: 'utf8',
      });
      expect(`[${ours.join('|')}]`).toBe(harfbuzz.trim());
    },
  );
});

describe('poll-card letters', () => {
  const letters = [
    { reference: 'TH-905001', name: 'Rahima Begum', address: '12 Roman Road, London E3 5QR', code: 'ABCD-EFGH-JKMN-PQRS' },
    { reference: 'TH-905002', name: 'রহিমা বেগম', address: '3 Mile End Road, London E1 4NS', code: 'WXYZ-0123-4567-89AB' },
    { reference: 'TH-905003', name: 'Sam Lee', address: '5 Bow Road, London E3 2SE', code: 'MNPQ-RSTV-WXYZ-0123', language: 'en' as const },
  ];

  it('gives one page per resident with their name, address, reference and code, the fund, its dates in its time zone and the web address', async () => {
    const { text, file } = extract(await renderPollCardLetters(FUND, letters), 'letters.pdf');
    expect(pages(file)).toBe(3);
    const perPage = text.split('\f');
    letters.forEach((letter, i) => {
      expect(perPage[i]).toContain(letter.reference);
      expect(perPage[i]).toContain(letter.code);
      expect(perPage[i]).toContain('London');
      for (const part of letter.address.split(', ')) expect(perPage[i]).toContain(part);
    });
    expect(perPage[0]).toContain('Rahima Begum');
    expect(hasLine(perPage[1], 'রহিমা বেগম')).toBe(true);
    expect(perPage[0]).toContain('Your voting code for Participatory Budget 2030');
    // Summer time in London: 17:00 UTC is 18:00 there.
    expect(flat(perPage[0])).toContain('closes on Sunday, 21 July 2030 at 18:00');
    expect(perPage[0]).toContain('https://vote.example.gov.uk');
  });

  it('prints both languages when the register holds none, and only the resident’s when it does', async () => {
    const { text } = extract(await renderPollCardLetters(FUND, letters), 'letters-languages.pdf');
    const [first, , third] = text.split('\f');
    expect(hasLine(first, 'Participatory Budget 2030-এর জন্য আপনার ভোট দেওয়ার কোড')).toBe(true);
    expect(hasLine(first, 'আপনার রেফারেন্স: TH-905001')).toBe(true);
    expect(third).not.toMatch(/[\u0980-\u09FF]/u);
  });

  it('embeds the Latin and the Bengali font, switching within a line', async () => {
    const { fonts } = extract(await renderPollCardLetters(FUND, letters.slice(0, 1)), 'letters-fonts.pdf');
    expect(fonts).toMatch(/NotoSans-Regular/);
    expect(fonts).toMatch(/NotoSansBengali-Regular/);
    expect(fonts).toMatch(/NotoSansBengali-Bold/);
  });
});

describe('paper ballot forms', () => {
  const pot = {
    fundName: 'Participatory Budget 2030',
    potName: 'Bow West',
    kind: 'knapsack' as const,
    budgetPence: 5_000_000,
    webAddress: 'https://vote.example.gov.uk',
    proposals: [
      { number: 1, title: 'Benches on Roman Road', costPence: 1_200_000 },
      { number: 2, title: 'Trees for Mile End', costPence: 900_050 },
    ],
  };

  it('lists proposals by number and title with their costs and says the rules in words, in English then in Bengali', async () => {
    const { text, file } = extract(await renderBallotForm(pot), 'ballot.pdf');
    expect(pages(file)).toBe(2);
    const [en, bn] = text.split('\f');
    expect(en).toContain('Paper ballot: Bow West');
    expect(flat(en)).toContain('must not come to more than the budget of £50,000');
    expect(en).toMatch(/1\s+Benches on Roman Road[\s\S]*£12,000/);
    expect(en).toContain('£9,000.50');
    expect(bn).toContain('Benches on Roman Road');
    expect(hasLine(bn, 'কাগজের ব্যালট: Bow West')).toBe(true);
    expect(hasLine(bn, '১২,০০০£')).toBe(true);
  });

  it('says how many to choose on approval ballots and how many points on cumulative ones, without costs', async () => {
    const approval = extract(await renderBallotForm({ ...pot, kind: 'approval', minPicks: 1, maxPicks: 3 }), 'approval.pdf').text;
    expect(flat(approval)).toContain('Choose up to 3 projects you support. The budget is £50,000.');
    expect(approval).not.toContain('£12,000');
    const cumulative = extract(await renderBallotForm({ ...pot, kind: 'cumulative', points: 10 }), 'cumulative.pdf').text;
    expect(flat(cumulative)).toContain('You have 10 points to share');
  });
});
