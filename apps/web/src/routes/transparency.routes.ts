import { FUND, PROPOSALS } from '../graphql/operations';
import { BOARD_FILES, BOARD_PAGE, CERTIFICATE, type BoardBallot } from '../graphql/transparency.operations';
import { dataOr404, PageRefused, type PageContext, type PageResult, type PageRoute, type WebApp } from '../web-app';
import { titled } from './resident-words';

/** Ballots a page of the board shows. */
export const BOARD_PAGE_SIZE = 50;

const POT = '/funds/:fundId/pots/:potId';

/** Once a pot's results are published, a file of its board; before, the 404 page (nothing of a mark shows). */
const boardFile = (name: string, contentType: string, pick: (files: { pabulib: string; csv: string; receiptsCsv: string }) => string) => ({
  method: 'GET' as const,
  url: `${POT}/${name}`,
  access: 'public' as const,
  handle: async (ctx: PageContext): Promise<PageResult> => {
    const { fund, pot } = await fundAndPot(ctx);
    const { bulletinBoard } = dataOr404(await ctx.gql(BOARD_FILES, { potId: pot.id }));
    return download(`${fund.id}-${pot.id}-${name}`, contentType, pick(bulletinBoard));
  },
});

const download = (filename: string, contentType: string, text: string): PageResult => ({
  download: {
    filename,
    contentType,
    body: (async function* () {
      yield text;
    })(),
  },
});

/**
 * A pot's public bulletin board once its results are published: every counted ballot by
 * receipt hash with its marks (or, if the fund publishes unlinked, the receipts and the marks
 * apart), the voided ballots with their reasons, the paper batches with their reconciliation;
 * a search for one's own receipt; the pabulib and CSV files; and the signed certificate.
 */
export const transparencyRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: `${POT}/board`,
    access: 'public',
    handle: async (ctx) => {
      const { fund, pot } = await fundAndPot(ctx);
      const typed = typeof ctx.query.receipt === 'string' ? ctx.query.receipt.trim() : '';
      const pageNo = Math.max(1, Math.floor(Number(ctx.query.page)) || 1);
      const variables = { potId: pot.id, first: BOARD_PAGE_SIZE, offset: (pageNo - 1) * BOARD_PAGE_SIZE };
      let answer = await ctx.gql(BOARD_PAGE, typed ? { ...variables, offset: 0, receipt: typed } : variables);
      let fieldError: string | undefined;
      if (!answer.ok && typed && answer.errors[0]?.code === 'INPUT.INVALID') {
        fieldError = ctx.t('board.errors.receipt');
        answer = await ctx.gql(BOARD_PAGE, variables);
      }
      if (!answer.ok && answer.errors[0]?.code === 'AUTH.FORBIDDEN')
        return { view: 'pages/transparency/board-pending.njk', model: { fund, pot, backLink: `/funds/${fund.id}/pots/${pot.id}/results` } };
      const board = dataOr404(answer).bulletinBoard;
      const proposals = dataOr404(await ctx.gql(PROPOSALS, { fundId: fund.id, potId: pot.id, order: 'number' })).proposals.edges;
      const names = new Map(proposals.map((e) => [e.node.id, titled(ctx, e.node)]));
      const marks = (b: BoardBallot) =>
        b.points
          ? b.points.map((p) =>
              ctx.t('board.pointsFor', { proposal: names.get(p.proposalId) ?? p.proposalId, points: ctx.f.number(p.points) }),
            )
          : (b.proposalIds ?? []).map((id) => names.get(id) ?? id);
      const linked = board.publication === 'linked';
      const base = `/funds/${encodeURIComponent(fund.id)}/pots/${encodeURIComponent(pot.id)}`;
      const pages = Math.max(1, Math.ceil((linked || typed ? board.matching : board.ballotCount) / BOARD_PAGE_SIZE));
      const searched = typed && !fieldError;
      return {
        view: 'pages/transparency/board.njk',
        model: {
          fund,
          pot,
          backLink: `${base}/results`,
          linked,
          typed,
          searched,
          found: searched ? board.matching : 0,
          errors: fieldError && { summary: [{ text: fieldError, href: '#receipt' }], byField: { receipt: fieldError } },
          intro: ctx.t(linked ? 'board.leadLinked' : 'board.leadUnlinked', { ballots: ctx.f.number(board.ballotCount) }),
          ballots: board.ballots.map((b) => ({
            receipt: b.receipt,
            number: linked ? undefined : ctx.f.number(Number(b.receipt)),
            marks: marks(b),
            channel: ctx.t(`board.channel.${b.channel}`),
          })),
          receipts: board.countedReceipts,
          voided: board.voided,
          batches: board.paperBatches.map((b) => ({
            ...b,
            collected: ctx.f.dateTime(b.collectedAt, fund.timeZone),
            entriesText: ctx.f.number(b.entries),
            countedText: ctx.f.number(b.counted),
            correctionsText: ctx.f.number(b.corrections),
          })),
          pagination: !searched && pages > 1 ? pagination(ctx, base, pageNo, pages) : undefined,
          downloads: {
            pabulib: `${base}/board.pb`,
            csv: `${base}/board.csv`,
            receipts: `${base}/receipts.csv`,
            certificate: `${base}/certificate.json`,
          },
        },
      };
    },
  },
  boardFile('board.pb', 'text/plain; charset=utf-8', (f) => f.pabulib),
  boardFile('board.csv', 'text/csv; charset=utf-8', (f) => f.csv),
  boardFile('receipts.csv', 'text/csv; charset=utf-8', (f) => f.receiptsCsv),
  {
    method: 'GET',
    url: `${POT}/certificate.json`,
    access: 'public',
    handle: async (ctx) => {
      const { fund, pot } = await fundAndPot(ctx);
      const { resultsCertificate } = dataOr404(await ctx.gql(CERTIFICATE, { potId: pot.id }));
      return download(`${fund.id}-${pot.id}-certificate.json`, 'application/json; charset=utf-8', resultsCertificate);
    },
  },
];

/** The fund and pot a path names; the 404 page when either is not there. */
async function fundAndPot(ctx: PageContext) {
  const { fund } = dataOr404(await ctx.gql(FUND, { id: ctx.params.fundId }));
  const pot = fund?.pots.find((p) => p.id === ctx.params.potId);
  if (!fund || !pot) throw new PageRefused(404);
  return { fund, pot };
}

/** GOV.UK pagination: previous, next and a few page numbers around this one. */
function pagination(ctx: PageContext, base: string, page: number, pages: number) {
  const href = (n: number) => `${base}/board?page=${n}`;
  const numbers = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: { number?: string; href?: string; current?: boolean; ellipsis?: boolean }[] = [];
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: ctx.f.number(n), href: href(n), current: n === page });
  });
  return {
    items,
    previous: page > 1 ? { href: href(page - 1), text: ctx.t('board.previous') } : undefined,
    next: page < pages ? { href: href(page + 1), text: ctx.t('board.next') } : undefined,
    landmarkLabel: ctx.t('board.pages'),
  };
}
