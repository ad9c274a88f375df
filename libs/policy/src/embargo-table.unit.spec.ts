import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHASES } from '@civic/domain';
import { access, DATA_KINDS, EMBARGO, LEVELS, receiptStandingVisibility, VIEWERS, viewerOf } from './embargo-table';
import { normaliseMarkdownTable, renderEmbargoTable, tableIn } from './render-table';

describe('the embargo table', () => {
  it('is written in the README exactly as the code has it', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const written = tableIn(readme);
    expect(written).toBeDefined();
    expect(normaliseMarkdownTable(written!)).toBe(normaliseMarkdownTable(renderEmbargoTable()));
  });

  it('has a level for every data kind, viewer and phase', () => {
    for (const kind of DATA_KINDS)
      for (const viewer of VIEWERS) {
        expect(EMBARGO[kind][viewer]).toHaveLength(PHASES.length);
        for (const level of EMBARGO[kind][viewer]) expect(LEVELS).toContain(level);
      }
  });

  it('never hides again what a later phase showed: the embargo only lifts, so "as of then" is never less than "now"', () => {
    for (const kind of DATA_KINDS)
      for (const viewer of VIEWERS) {
        const row = EMBARGO[kind][viewer].map((l) => LEVELS.indexOf(l));
        for (let i = 1; i < row.length; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]);
      }
  });

  it('keeps results, allocations, marks and public tallies hidden from the public until ResultsPublished', () => {
    for (const kind of ['tally', 'ballotMarks', 'draftAllocation', 'results'] as const) {
      expect(access('anonymous', kind, 'voting_closed')).toBe('hidden');
      expect(access('anonymous', kind, 'results_published')).toBe('visible');
    }
  });

  it('answers the least of several phases: the phase as of a past position and the phase now', () => {
    expect(access('anonymous', 'tally', ['voting_open', 'delivery'])).toBe('hidden');
    expect(access('anonymous', 'tally', ['delivery', 'closed'])).toBe('visible');
    expect(access('resident', 'ballotMarks', ['voting_open', 'closed'])).toBe('own');
    expect(access('anonymous', 'tally', [])).toBe('hidden');
    expect(access('councillor', 'ballotMarks', [])).toBe('aggregate');
  });

  it("gives a receipt's standing by phase, as issue 15 asks", () => {
    expect(PHASES.map((p) => [p, receiptStandingVisibility(p)])).toEqual([
      ['draft', 'none'],
      ['proposals_open', 'none'],
      ['review', 'none'],
      ['voting_open', 'recorded'],
      ['voting_closed', 'recorded_voting_closed'],
      ['results_published', 'final'],
      ['delivery', 'final'],
      ['closed', 'final'],
    ]);
  });

  it('takes a caller without a known role as anonymous', () => {
    expect(viewerOf(undefined)).toBe('anonymous');
    expect(viewerOf({ role: 'system' })).toBe('anonymous');
    expect(viewerOf({ role: 'auditor' })).toBe('auditor');
  });
});
