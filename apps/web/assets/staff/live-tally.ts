/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The reviewers' tally page, live: loaded only there, it subscribes to tallyUpdated over
 * WebSocket (graphql-ws) and redraws the table, the chart and the count of ballots with each
 * update. Without it the page shows the tally as it was when loaded, and a reload refreshes it.
 */
import { createClient } from 'graphql-ws';
import { LIVE_TALLY, type LiveTally } from '../../src/graphql/admin-files.operations';

const root = document.querySelector<HTMLElement>('[data-module="live-tally"]');
const lang = document.documentElement.lang;
const number = new Intl.NumberFormat(lang === 'bn' ? 'bn-BD' : lang === 'en' ? 'en-GB' : lang);
const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? params[name] : whole));

function draw(page: HTMLElement, tally: LiveTally): void {
  const cumulative = page.dataset.cumulative === 'true';
  const value = new Map(tally.lines.map((l) => [l.proposalId, cumulative ? l.points : l.supporters]));
  const max = Math.max(1, ...value.values());
  for (const row of page.querySelectorAll<HTMLElement>('tr[data-proposal]')) {
    const cell = row.querySelector('td');
    if (cell) cell.textContent = number.format(value.get(row.dataset.proposal!) ?? 0);
  }
  for (const bar of page.querySelectorAll<SVGElement>('[data-bar]')) {
    const n = value.get(bar.dataset.bar!) ?? 0;
    bar.setAttribute('width', `${Math.round((n / max) * 100)}%`);
    const label = page.querySelector<SVGElement>(`[data-bar-label="${bar.dataset.bar}"]`);
    if (label) label.textContent = `${label.dataset.label} (${number.format(n)})`;
  }
  const summary = document.getElementById('tally-summary');
  if (summary)
    summary.textContent = fill(page.dataset.tSummary ?? '', {
      ballots: number.format(tally.ballots),
      paper: number.format(tally.paperBallots),
    });
  page.dataset.ballots = String(tally.ballots);
}

if (root?.dataset.pot) {
  const status = document.getElementById('tally-live');
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    // No token here: the API takes the page session from the cookie the browser sends with the upgrade.
    lazy: false,
    retryAttempts: 5,
    on: {
      connected: () => {
        if (status) status.textContent = root.dataset.tLive ?? '';
        root.dataset.live = 'connected';
      },
      closed: () => {
        if (status) status.textContent = root.dataset.tReload ?? '';
      },
    },
  });
  client.subscribe<{ tallyUpdated: LiveTally }>(
    { query: LIVE_TALLY.document, variables: { potId: root.dataset.pot } },
    {
      next: (result) => {
        if (result.data?.tallyUpdated) draw(root, result.data.tallyUpdated);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
}
