import type { Ballot, Election, Project, VoteType } from '../election/election';
import { Rational } from '../rational/rational';
import { splitRecord } from './csv';
import { PabulibError } from './pabulib.errors';

type Section = 'META' | 'PROJECTS' | 'VOTES';
const SECTIONS: readonly Section[] = ['META', 'PROJECTS', 'VOTES'];
const REQUIRED: Record<Section, readonly string[]> = {
  META: ['key', 'value'],
  PROJECTS: ['project_id', 'cost'],
  VOTES: ['voter_id', 'vote'],
};

/** pabulib `vote_type` → the platform's vote type (`choose-1` is approval, `scoring` reads as points). */
export const PABULIB_VOTE_TYPES: Readonly<Record<string, VoteType>> = {
  approval: 'approval',
  'choose-1': 'approval',
  cumulative: 'cumulative',
  scoring: 'cumulative',
  ordinal: 'ordinal',
};

/**
 * Reads a .pb file line by line (FORMAT.md), so a large file never has to be held as one string.
 * Feed every line with {@link PabulibReader.line}, then call {@link PabulibReader.finish}. Any
 * problem throws a {@link PabulibError} (`PABULIB.MALFORMED`) naming the line; no partial
 * election is ever returned.
 */
export class PabulibReader {
  private lineNo = 0;
  private section: Section | undefined;
  private header: string[] | undefined;
  private headerLine = 0;
  private pending: { text: string; line: number } | undefined;
  private readonly meta: Record<string, string> = {};
  private readonly metaLine: Record<string, number> = {};
  private budget: Rational | undefined;
  private voteType: VoteType | undefined;
  private readonly projects: Project[] = [];
  private readonly projectIds = new Set<string>();
  private readonly ballots: Ballot[] = [];

  /** Consumes the next line (without its line ending). */
  line(raw: string): void {
    this.lineNo++;
    let text = this.lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    let start = this.lineNo;
    if (this.pending) {
      text = `${this.pending.text}\n${text}`;
      start = this.pending.line;
      this.pending = undefined;
    }
    const title = text.trim().toUpperCase();
    if (SECTIONS.includes(title as Section)) return this.openSection(title as Section, start);
    const fields = splitRecord(text);
    if (!fields) {
      this.pending = { text, line: start };
      return;
    }
    const cells = fields.map((f) => f.trim());
    if (cells.every((c) => c === '')) return;
    if (!this.section) throw new PabulibError(start, 'TEXT_BEFORE_META');
    if (!this.header) return this.readHeader(cells, start);
    if (cells.length !== this.header.length) {
      throw new PabulibError(start, 'COLUMN_COUNT', {
        section: this.section,
        expected: this.header.length,
        headerLine: this.headerLine,
        found: cells.length,
      });
    }
    const row: Record<string, string> = {};
    this.header.forEach((h, i) => (row[h] = cells[i]));
    if (this.section === 'META') this.readMeta(row, start);
    else if (this.section === 'PROJECTS') this.readProject(row, start);
    else this.readVote(row, start);
  }

  /** Ends the file: checks that every section was there and returns the election. */
  finish(): Election {
    if (this.pending) throw new PabulibError(this.pending.line, 'UNCLOSED_QUOTE');
    if (this.section !== 'VOTES') {
      const missing = SECTIONS.slice(this.section ? SECTIONS.indexOf(this.section) + 1 : 0);
      throw new PabulibError(this.lineNo, 'MISSING_SECTION', { sections: missing.join(', ') });
    }
    if (!this.header) throw new PabulibError(this.lineNo, 'NO_HEADER', { section: 'VOTES' });
    return {
      budget: this.budget as Rational,
      voteType: this.voteType as VoteType,
      projects: this.projects,
      ballots: this.ballots,
      meta: this.meta,
    };
  }

  private openSection(section: Section, line: number): void {
    const expected = SECTIONS[this.section ? SECTIONS.indexOf(this.section) + 1 : 0];
    if (section !== expected) {
      throw new PabulibError(line, 'SECTION_ORDER', { section, expected: expected ?? '(none)' });
    }
    if (this.section && !this.header) throw new PabulibError(line, 'NO_HEADER', { section: this.section });
    if (this.section === 'META') this.checkMeta(line);
    this.section = section;
    this.header = undefined;
  }

  private readHeader(cells: string[], line: number): void {
    const section = this.section as Section;
    for (const col of REQUIRED[section]) {
      if (!cells.includes(col)) throw new PabulibError(line, 'HEADER_LACKS_COLUMN', { section, column: col });
    }
    if (new Set(cells).size !== cells.length) throw new PabulibError(line, 'HEADER_REPEATS_COLUMN', { section });
    this.header = cells;
    this.headerLine = line;
  }

  private readMeta(row: Record<string, string>, line: number): void {
    this.meta[row.key] = row.value;
    this.metaLine[row.key] = line;
  }

  private checkMeta(line: number): void {
    const budget = this.meta.budget;
    if (budget === undefined) throw new PabulibError(line, 'NO_BUDGET');
    const b = number(budget);
    if (!b || b.sign() < 0) throw new PabulibError(this.metaLine.budget, 'BAD_BUDGET', { budget });
    const vt = this.meta.vote_type;
    const voteType = PABULIB_VOTE_TYPES[(vt ?? '').toLowerCase()];
    if (!voteType) throw new PabulibError(this.metaLine.vote_type ?? line, 'UNKNOWN_VOTE_TYPE', { voteType: vt ?? '' });
    this.budget = b;
    this.voteType = voteType;
  }

  private readProject(row: Record<string, string>, line: number): void {
    const id = row.project_id;
    if (id === '' || isNone(id)) throw new PabulibError(line, 'NO_PROJECT_ID');
    if (this.projectIds.has(id)) throw new PabulibError(line, 'PROJECT_TWICE', { project: id });
    const cost = number(row.cost);
    if (!cost || cost.sign() < 0) throw new PabulibError(line, 'BAD_COST', { cost: row.cost, project: id });
    this.projectIds.add(id);
    const { project_id: _id, cost: _cost, ...extra } = row;
    this.projects.push({ id, cost, extra });
  }

  private readVote(row: Record<string, string>, line: number): void {
    const items = list(row.vote);
    for (const id of items) {
      if (!this.projectIds.has(id)) throw new PabulibError(line, 'UNKNOWN_PROJECT', { project: id });
    }
    const { voter_id: voterId, vote: _vote, points: rawPoints, ...extra } = row;
    if (this.voteType !== 'cumulative') {
      this.ballots.push({ voterId, items, extra: rawPoints === undefined ? extra : { ...extra, points: rawPoints } });
      return;
    }
    if (rawPoints === undefined) throw new PabulibError(line, 'NO_POINTS_COLUMN');
    const texts = list(rawPoints);
    if (texts.length !== items.length) {
      throw new PabulibError(line, 'POINTS_COUNT', { projects: items.length, points: texts.length });
    }
    const points = texts.map((t) => {
      const p = number(t);
      if (!p || p.sign() < 0) throw new PabulibError(line, 'BAD_POINTS', { points: t });
      return p;
    });
    this.ballots.push({ voterId, items, points, extra });
  }
}

/** Parses a whole .pb text (see {@link PabulibReader}). */
export function parsePabulib(text: string): Election {
  const reader = new PabulibReader();
  for (const line of text.split('\n')) reader.line(line);
  return reader.finish();
}

/** Parses a .pb file given as a stream of lines (e.g. node:readline over a file stream). */
export async function parsePabulibLines(lines: AsyncIterable<string> | Iterable<string>): Promise<Election> {
  const reader = new PabulibReader();
  for await (const line of lines) reader.line(line);
  return reader.finish();
}

function isNone(s: string): boolean {
  return s.toLowerCase() === 'none';
}

function number(s: string): Rational | undefined {
  if (s === '' || isNone(s)) return undefined;
  return Rational.parse(s.replace(',', '.'));
}

function list(s: string): string[] {
  if (s === '' || isNone(s)) return [];
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}
