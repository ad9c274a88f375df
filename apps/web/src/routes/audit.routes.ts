import { createHash } from 'node:crypto';
import {
  WEB_AUDIT_BULLETIN,
  WEB_AUDIT_FUND_AS_OF,
  WEB_AUDIT_FUNDS,
  WEB_AUDIT_LOG,
  WEB_AUDIT_STATUS,
  WEB_AUDIT_TALLY_AS_OF,
  type AuditLogVariables,
} from '../graphql/audit.operations';
import { addError, noErrors, one, refusalsToErrors, type FormErrors } from '../forms/errors';
import type { StaffRole } from '../setup/page-guard';
import { dataOr404, PageRefused, refuseUnlessFormError, type PageContext, type PageRoute, type WebApp } from '../web-app';
import { COUNCIL_TIME_ZONE } from '../i18n/formats';
import { localToIso } from './zoned-time';

/** Auditors read the record; the other staff roles may read it too, as the API lets each of them. */
const AUDIT_READERS: { readonly staff: readonly StaffRole[] } = { staff: ['auditor', 'administrator', 'councillor', 'reviewer'] };
const LOG_PAGE = 50;
const EXPORT_PAGE = 500;
const NAME = /^[A-Za-z0-9_.:-]{1,200}$/;

/** SHA-256 of the key's DER bytes, as `openssl pkey -pubin -outform DER | sha256sum` shows it, in pairs. */
function fingerprint(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex').match(/../g)?.join(':') ?? '';
}

/** A filter value as typed, or undefined when left empty; a malformed one is an error on its field. */
function filterValue(ctx: PageContext, errors: FormErrors, field: string): string | undefined {
  const value = one(ctx.query[field]).trim();
  if (!value) return undefined;
  if (!NAME.test(value)) addError(errors, field, ctx.t(`audit.log.errors.${field}`));
  return value;
}

function logFilters(ctx: PageContext) {
  const errors = noErrors();
  const category = filterValue(ctx, errors, 'category');
  const id = filterValue(ctx, errors, 'stream');
  const type = filterValue(ctx, errors, 'type');
  const after = one(ctx.query.after).trim() || undefined;
  const vars: AuditLogVariables = {
    first: LOG_PAGE,
    after,
    // A stream is named category-id: with both, that one stream; with a category alone, every stream of it.
    streamName: id ? (category && !id.startsWith(`${category}-`) ? `${category}-${id}` : id) : undefined,
    streamCategory: category,
    eventType: type,
  };
  return { errors, vars, form: { category: category ?? '', stream: id ?? '', type: type ?? '' } };
}

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

const query = (form: Record<string, string>, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...form, ...extra }).filter(([, v]) => v !== '')).toString();

export const auditRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/audit',
    access: AUDIT_READERS,
    menu: { label: 'audit.menu.status', hint: 'audit.menu.statusHint', group: 'audit' },
    handle: async (ctx) => {
      const { auditStatus: s, auditKey } = dataOr404(await ctx.gql(WEB_AUDIT_STATUS, {}));
      const checks = s.checkpoint
        ? (['signatureValid', 'keyMatches', 'rootMatches', 'consistentWithPrevious'] as const).map((k) => ({
            key: k,
            state: s[k] === null ? 'unknown' : s[k] ? 'pass' : 'fail',
          }))
        : [];
      return {
        view: 'pages/audit/status.njk',
        model: {
          s,
          key: { ...auditKey, fingerprint: fingerprint(auditKey.publicKeyPem) },
          checks,
          allPass: checks.length > 0 && checks.every((c) => c.state !== 'fail'),
          since: s.checkpoint ? Math.max(0, s.historyEvents - s.checkpoint.eventCount) : s.historyEvents,
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/audit/key.pem',
    access: AUDIT_READERS,
    handle: async (ctx) => {
      const { auditKey } = dataOr404(await ctx.gql(WEB_AUDIT_STATUS, {}));
      return { download: { filename: 'audit-public-key.pem', contentType: 'application/x-pem-file', body: once(auditKey.publicKeyPem) } };
    },
  },
  {
    method: 'GET',
    url: '/audit/log',
    access: AUDIT_READERS,
    menu: { label: 'audit.menu.log', hint: 'audit.menu.logHint', group: 'audit' },
    handle: async (ctx) => {
      const { errors, vars, form } = logFilters(ctx);
      const model = { form, events: [] as unknown[], next: undefined as string | undefined, first: !vars.after, errors };
      if (errors.summary.length) return { view: 'pages/audit/log.njk', status: 400, model };
      const result = await ctx.gql(WEB_AUDIT_LOG, vars);
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return {
          view: 'pages/audit/log.njk',
          status: 400,
          model: { ...model, errors: refusalsToErrors(ctx, result.errors, {}, 'stream') },
        };
      }
      const { events, endCursor } = result.data.auditLog;
      return {
        view: 'pages/audit/log.njk',
        model: {
          ...model,
          filtered: Boolean(form.category || form.stream || form.type),
          events: events.map((e) => ({
            ...e,
            dataText: JSON.stringify(JSON.parse(e.data), null, 2),
            when: ctx.f.dateTime(e.recordedAt, COUNCIL_TIME_ZONE),
          })),
          next: endCursor ? `/audit/log?${query(form, { after: endCursor })}` : undefined,
          exportHref: `/audit/export.jsonl?${query({ category: form.category, stream: form.stream, type: form.type })}`,
          startHref: `/audit/log?${query(form)}`,
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/audit/export.jsonl',
    access: AUDIT_READERS,
    handle: async (ctx) => {
      const { errors, vars } = logFilters(ctx);
      if (errors.summary.length) throw new PageRefused(404);
      // Page by page through the API as the signed-in role: the embargo applies line by line.
      async function* lines(): AsyncIterable<string> {
        let after = vars.after;
        for (;;) {
          const page = dataOr404(await ctx.gql(WEB_AUDIT_LOG, { ...vars, first: EXPORT_PAGE, after }));
          for (const e of page.auditLog.events)
            yield `${JSON.stringify({ ...e, data: JSON.parse(e.data), metadata: JSON.parse(e.metadata) })}\n`;
          if (!page.auditLog.endCursor) return;
          after = page.auditLog.endCursor;
        }
      }
      return { download: { filename: 'civic-ledger-history.jsonl', contentType: 'application/x-ndjson; charset=utf-8', body: lines() } };
    },
  },
  {
    method: 'GET',
    url: '/audit/pots/:potId/export.pb',
    access: AUDIT_READERS,
    handle: async (ctx) => {
      const result = await ctx.gql(WEB_AUDIT_BULLETIN, { potId: ctx.params.potId });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return { view: 'pages/audit/not-published.njk', status: 409, model: { code: result.errors[0]?.code } };
      }
      return {
        download: {
          filename: `pot-${ctx.params.potId}.pb`,
          contentType: 'text/plain; charset=utf-8',
          body: once(result.data.bulletinBoard.pabulib),
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/audit/time-travel',
    access: AUDIT_READERS,
    menu: { label: 'audit.menu.timeTravel', hint: 'audit.menu.timeTravelHint', group: 'audit' },
    handle: async (ctx) => {
      const { funds } = dataOr404(await ctx.gql(WEB_AUDIT_FUNDS, {}));
      const fundId = one(ctx.query.fund) || funds[0]?.id || '';
      const fund = funds.find((f) => f.id === fundId);
      const position = one(ctx.query.position).trim();
      const at = one(ctx.query.at).trim();
      const { auditStatus } = dataOr404(await ctx.gql(WEB_AUDIT_STATUS, {}));
      const head = auditStatus.historyEvents;
      const model: Record<string, unknown> = { funds, fundId, position, at, head, errors: noErrors() };
      if (!fund) return { view: 'pages/audit/time-travel.njk', model };
      const errors = noErrors();
      let asOf: string | undefined;
      if (position && at) addError(errors, 'position', ctx.t('audit.travel.errors.both'));
      else if (position) {
        if (!NAME.test(position)) addError(errors, 'position', ctx.t('audit.travel.errors.position'));
        else asOf = position === '0' ? 'start' : position;
      } else if (at) {
        asOf = localToIso(at, fund.timeZone);
        if (!asOf) addError(errors, 'at', ctx.t('audit.travel.errors.at'));
      }
      if (errors.summary.length) return { view: 'pages/audit/time-travel.njk', status: 400, model: { ...model, errors } };
      if (!asOf) return { view: 'pages/audit/time-travel.njk', model: { ...model, timeZone: fund.timeZone } };
      const then = await ctx.gql(WEB_AUDIT_FUND_AS_OF, { id: fund.id, asOf });
      if (!then.ok) {
        refuseUnlessFormError(then.errors);
        const field = position ? 'position' : 'at';
        const invalid = then.errors[0]?.code === 'INPUT.INVALID';
        return {
          view: 'pages/audit/time-travel.njk',
          status: 400,
          model: {
            ...model,
            timeZone: fund.timeZone,
            errors: invalid
              ? addError(
                  noErrors(),
                  field,
                  ctx.t(position ? 'audit.travel.errors.notInHistory' : 'audit.travel.errors.at', { head: ctx.f.number(head) }),
                )
              : refusalsToErrors(ctx, then.errors, {}, field),
          },
        };
      }
      const { fund: was, proposals } = then.data;
      const titles = new Map(proposals.edges.map((e) => [e.node.id, e.node]));
      const pots = was
        ? await Promise.all(
            was.pots.map(async (pot) => {
              const tally = await ctx.gql(WEB_AUDIT_TALLY_AS_OF, { potId: pot.id, asOf: asOf! });
              const t = tally.ok ? tally.data.tally : null;
              return {
                ...pot,
                budgetText: ctx.f.money(pot.budget),
                ballots: t && t.ballots > 0 ? ctx.f.number(t.ballots) : undefined,
                lines: (t?.lines ?? [])
                  .filter((l) => l.supporters > 0 || l.points > 0)
                  .map((l) => {
                    const p = titles.get(l.proposalId);
                    return {
                      title: p?.title ?? '',
                      number: p?.number ?? null,
                      supporters: ctx.f.number(l.supporters),
                      points: ctx.f.number(l.points),
                    };
                  }),
                proposals: proposals.edges.filter((e) => e.node.potId === pot.id).map((e) => e.node),
              };
            }),
          )
        : [];
      return {
        view: 'pages/audit/time-travel.njk',
        model: {
          ...model,
          timeZone: fund.timeZone,
          asOf,
          was,
          pots,
          proposalCount: proposals.totalCount,
          nowText: position ? (/^\d+$/.test(position) ? ctx.f.number(Number(position)) : position) : ctx.f.dateTime(asOf, fund.timeZone),
        },
      };
    },
  },
];
