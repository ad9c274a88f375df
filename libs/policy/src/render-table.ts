import { PHASES } from '@civic/domain';
import { DATA_KINDS, EMBARGO, KIND_MEANING, VIEWERS } from './embargo-table';

const SHORT = { hidden: '—', own: 'own', aggregate: 'aggregate', visible: 'yes' } as const;

/**
 * The embargo table as Markdown, as the README shows it between the markers
 * `<!-- embargo-table -->` and `<!-- /embargo-table -->`: one row per data kind and group of
 * viewers that see it alike, one column per phase.
 */
export function renderEmbargoTable(): string {
  const header = `| data | who | ${PHASES.join(' | ')} |`;
  const rule = `| --- | --- | ${PHASES.map(() => '---').join(' | ')} |`;
  const rows = DATA_KINDS.flatMap((kind) => {
    // Viewers with the same row share a line, in the order of VIEWERS.
    const groups = new Map<string, string[]>();
    for (const viewer of VIEWERS) {
      const cells = EMBARGO[kind][viewer].map((l) => SHORT[l]).join(' | ');
      groups.set(cells, [...(groups.get(cells) ?? []), viewer]);
    }
    return [...groups].map(([cells, viewers]) => `| \`${kind}\` | ${viewers.join(', ')} | ${cells} |`);
  });
  const meanings = DATA_KINDS.map((kind) => `- \`${kind}\`: ${KIND_MEANING[kind]}.`);
  return [header, rule, ...rows, '', ...meanings].join('\n');
}

export const TABLE_START = '<!-- embargo-table -->';
export const TABLE_END = '<!-- /embargo-table -->';

/** The table found between the markers of a Markdown text, or undefined. */
export function tableIn(markdown: string): string | undefined {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return markdown.slice(start + TABLE_START.length, end).trim();
}

/** A Markdown text with table cells trimmed and rule cells shortened, so a formatter's padding does not count. */
export function normaliseMarkdownTable(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('|')
        ? line
            .split('|')
            .map((cell) => cell.trim())
            .map((cell) => (/^:?-+:?$/.test(cell) ? '---' : cell))
            .join('|')
        : line.trimEnd(),
    )
    .join('\n');
}
