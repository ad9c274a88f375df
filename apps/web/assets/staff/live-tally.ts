/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The reviewers' tally page, live: loaded only there, it subscribes to tallyUpdated over
 * WebSocket (graphql-ws) for every pot of the fund, and redraws the table, the chart and the
 * count of ballots of its pot, and each pot's row of turnout by channel and of residents who may
 * vote, with each update (a ballot moves the counts; a change to the register, who may vote).
 * Without it the page shows the figures as they were when loaded, and a reload refreshes them.
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

/** One row of the turnout table: the pot's ballots by channel, and their share of the residents who may vote. */
function drawTurnout(page: HTMLElement, row: HTMLElement, tally: LiveTally): void {
  // The residents who may vote move with the register (an import, a verification, an erasure): each update says how many now.
  if (typeof tally.registered === 'number') row.dataset.registered = String(tally.registered);
  const registered = Number(row.dataset.registered ?? 0);
  const counts: Record<string, number> = {
    online: tally.onlineBallots,
    paper: tally.paperBallots,
    assisted: tally.assistedBallots,
    ballots: tally.ballots,
    registered,
  };
  // The server's rounding: a tenth of a percent.
  const share = registered > 0 ? Math.round((tally.ballots / registered) * 1000) / 10 : 0;
  for (const cell of row.querySelectorAll<HTMLElement>('[data-channel]')) {
    const channel = cell.dataset.channel!;
    cell.textContent =
      channel === 'share' ? fill(page.dataset.tPercent ?? '{n}%', { n: number.format(share) }) : number.format(counts[channel] ?? 0);
  }
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
  // The page's pot for its tally and its turnout row; every other pot of the fund for its turnout row.
  const pots = new Set([root.dataset.pot, ...[...root.querySelectorAll<HTMLElement>('tr[data-turnout]')].map((r) => r.dataset.turnout!)]);
  for (const potId of pots) {
    client.subscribe<{ tallyUpdated: LiveTally }>(
      { query: LIVE_TALLY.document, variables: { potId } },
      {
        next: (result) => {
          const tally = result.data?.tallyUpdated;
          if (!tally) return;
          if (potId === root.dataset.pot) draw(root, tally);
          const row = root.querySelector<HTMLElement>(`tr[data-turnout="${potId}"]`);
          if (row) drawTurnout(root, row, tally);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
}
