import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import {
  ADMIN_ADD_POT,
  ADMIN_ASSIGN_WARD,
  ADMIN_CLOSE_VOTING_EARLY,
  ADMIN_CONFIGURE_WARDS,
  ADMIN_CREATE_FUND,
  ADMIN_ERASE_RESIDENT,
  ADMIN_EXTEND_VOTING,
  ADMIN_FUND,
  ADMIN_FUNDS,
  ADMIN_PHASE_CHANGES,
  ADMIN_RESIDENT,
  ADMIN_VERIFY_RESIDENT,
  ADMIN_WARDS,
  type AdminFund,
  type BallotInput,
  type PhaseChange,
} from '../graphql/admin.operations';
import type { Phase } from '../graphql/operations';
import { addError, type FormErrors, hasErrors, noErrors, one, refusalsToErrors } from '../forms/errors';
import { asciiDigits, parseMoney } from '../forms/money';
import { type PageContext, type PageResult, PageRefused, dataOr404, refuseUnlessFormError, type WebApp, type PageRoute } from '../web-app';
import type { AllocationRule } from '../graphql/generated';
import { isoToLocal, localToIso } from './zoned-time';
import { REGISTER_CHUNK_ROWS, registerFileRoutes } from './admin-register';
import { registerJobRoutes } from './admin-register-job';
import { publicationRoutes } from './admin-publication';

export { registerChunks } from './admin-register';

const ADMIN = { staff: ['administrator'] } as const;
const SCHEDULE_FIELDS = ['proposalsOpenAt', 'reviewStartsAt', 'votingOpensAt', 'votingClosesAt'] as const;
const TIME_ZONE = 'Europe/London';

/** The change each phase allows next, the page that describes it, and the phase it leads to. */
const NEXT_CHANGE: Partial<Record<Phase, PhaseChange>> = {
  draft: 'openProposals',
  proposals_open: 'startReview',
  review: 'openVoting',
  voting_open: 'closeVoting',
  voting_closed: 'publishResults',
  results_published: 'startDelivery',
  delivery: 'closeFund',
};

async function loadFund(ctx: PageContext): Promise<AdminFund> {
  const fund = dataOr404(await ctx.gql(ADMIN_FUND, { id: ctx.params.fundId })).fund;
  if (!fund) throw new PageRefused(404);
  return fund;
}

const formFailure = (ctx: PageContext, view: string, model: Record<string, unknown>, errors: FormErrors): PageResult => ({
  view,
  status: 400,
  model: { ...model, errors, commandId: one(ctx.body.commandId) || ctx.commandId() },
});

const commandIdOf = (ctx: PageContext) => {
  const id = one(ctx.body.commandId);
  return /^[0-9a-f-]{36}$/i.test(id) ? id : ctx.commandId();
};

// ---------- funds ----------

function fundForm(ctx: PageContext) {
  const b = ctx.body;
  return {
    name: one(b.name).trim(),
    description: one(b.description).trim(),
    minimumAge: one(b.minimumAge).trim() || '16',
    schedule: Object.fromEntries(SCHEDULE_FIELDS.map((k) => [k, one(b[k]).trim()])) as Record<(typeof SCHEDULE_FIELDS)[number], string>,
  };
}

async function createFund(ctx: PageContext): Promise<PageResult> {
  const form = fundForm(ctx);
  const view = 'pages/admin/fund-new.njk';
  const model = { form, timeZone: TIME_ZONE };
  let errors = noErrors();
  if (!form.name) errors = addError(errors, 'name', ctx.t('admin.fund.errors.name'));
  else if (form.name.length > 200) errors = addError(errors, 'name', ctx.t('admin.fund.errors.nameTooLong'));
  if (form.description.length > 5000) errors = addError(errors, 'description', ctx.t('admin.fund.errors.descriptionTooLong'));
  const age = Number(asciiDigits(form.minimumAge));
  if (!/^\d{1,3}$/.test(String(age)) || age < 0 || age > 120)
    errors = addError(errors, 'minimumAge', ctx.t('admin.fund.errors.minimumAge'));
  const schedule: Record<string, string> = {};
  for (const k of SCHEDULE_FIELDS) {
    const iso = localToIso(form.schedule[k], TIME_ZONE);
    if (!iso) errors = addError(errors, k, ctx.t('admin.fund.errors.date'));
    else schedule[k] = iso;
  }
  if (hasErrors(errors)) return formFailure(ctx, view, model, errors);
  const fundId = randomUUID();
  const result = await ctx.gql(ADMIN_CREATE_FUND, {
    commandId: commandIdOf(ctx),
    input: {
      fundId,
      name: form.name,
      description: form.description,
      minimumAge: age,
      timeZone: TIME_ZONE,
      schedule: schedule as unknown as AdminFund['schedule'],
    },
  });
  if (!result.ok || !result.data.createFund) {
    const refusals = result.ok ? [] : result.errors;
    refuseUnlessFormError(refusals);
    return formFailure(
      ctx,
      view,
      model,
      refusalsToErrors(ctx, refusals, { 'FUND.INVALID_SCHEDULE': 'proposalsOpenAt', 'FUND.INVALID_DETAILS': 'name' }, 'name'),
    );
  }
  return { redirect: `/admin/funds/${result.data.createFund.fund.id}?created=1` };
}

// ---------- pots ----------

function potForm(ctx: PageContext) {
  const b = ctx.body;
  return {
    name: one(b.name).trim(),
    scope: one(b.scope),
    ward: one(b.ward),
    budget: one(b.budget).trim(),
    kind: one(b.kind),
    minPicks: one(b.minPicks).trim(),
    maxPicks: one(b.maxPicks).trim(),
    points: one(b.points).trim(),
    rule: one(b.rule),
  };
}

const smallInt = (typed: string): number | undefined => {
  const n = Number(typed);
  return /^\d{1,4}$/.test(typed) && n >= 0 ? n : undefined;
};

async function addPot(ctx: PageContext): Promise<PageResult> {
  const fund = await loadFund(ctx);
  const wards = dataOr404(await ctx.gql(ADMIN_WARDS, {})).wards;
  const form = potForm(ctx);
  const view = 'pages/admin/pot-new.njk';
  const model = { fund, wards, form };
  let errors = noErrors();
  if (!form.name) errors = addError(errors, 'name', ctx.t('admin.pot.errors.name'));
  else if (form.name.length > 200) errors = addError(errors, 'name', ctx.t('admin.pot.errors.nameTooLong'));
  if (form.scope !== 'borough' && form.scope !== 'ward') errors = addError(errors, 'scope', ctx.t('admin.pot.errors.scope'));
  // A ward from the borough's list only: a forged or stale one is refused here and by the API.
  if (form.scope === 'ward' && !wards.includes(form.ward)) errors = addError(errors, 'ward', ctx.t('errors.FUND.UNKNOWN_WARD'));
  const budget = parseMoney(form.budget);
  if (budget === undefined || budget <= 0) errors = addError(errors, 'budget', ctx.t('admin.pot.errors.budget'));
  const ballot: BallotInput = { kind: form.kind as BallotInput['kind'] };
  if (form.kind === 'approval') {
    const min = smallInt(form.minPicks || '1');
    const max = smallInt(form.maxPicks);
    if (min === undefined || min < 1) errors = addError(errors, 'minPicks', ctx.t('admin.pot.errors.minPicks'));
    if (max === undefined || max < 1 || (min !== undefined && max < min))
      errors = addError(errors, 'maxPicks', ctx.t('admin.pot.errors.maxPicks'));
    Object.assign(ballot, { minPicks: min, maxPicks: max });
  } else if (form.kind === 'cumulative') {
    const points = smallInt(form.points);
    if (points === undefined || points < 1) errors = addError(errors, 'points', ctx.t('admin.pot.errors.points'));
    ballot.points = points;
  } else if (form.kind !== 'knapsack') errors = addError(errors, 'kind', ctx.t('admin.pot.errors.kind'));
  if (form.rule !== 'greedy_by_votes' && form.rule !== 'equal_shares_with_completion')
    errors = addError(errors, 'rule', ctx.t('admin.pot.errors.rule'));
  if (hasErrors(errors)) return formFailure(ctx, view, model, errors);
  const result = await ctx.gql(ADMIN_ADD_POT, {
    commandId: commandIdOf(ctx),
    input: {
      fundId: fund.id,
      potId: randomUUID(),
      name: form.name,
      ...(form.scope === 'ward' ? { ward: form.ward } : {}),
      budget: String(budget),
      rule: form.rule as AllocationRule, // one of the two, checked above
      ballot,
    },
  });
  if (!result.ok || !result.data.addPot) {
    const refusals = result.ok ? [] : result.errors;
    refuseUnlessFormError(refusals);
    return formFailure(
      ctx,
      view,
      model,
      refusalsToErrors(
        ctx,
        refusals,
        {
          'FUND.UNKNOWN_WARD': 'ward',
          'FUND.BOROUGH_POT_EXISTS': 'scope',
          'FUND.POT_EXISTS': 'ward',
          'FUND.INVALID_POT': 'kind',
          'FUND.WRONG_PHASE': 'name',
          'FUND.RULES_FROZEN': 'name',
        },
        'name',
      ),
    );
  }
  return { redirect: `/admin/funds/${fund.id}?potAdded=1` };
}

// ---------- wards ----------

/** The wards of a CSV like the demo's wards.csv: a column `ward` (or `name`), else the first column. */
export function wardsFromCsv(text: string): { wards: string[] } | { error: 'empty' | 'invalid' | 'duplicate'; line?: number } {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (err) {
    return { error: 'invalid', line: (err as { lines?: number }).lines };
  }
  if (!rows.length) return { error: 'empty' };
  const header = rows[0].map((h) => h.toLowerCase());
  let column = header.findIndex((h) => h === 'ward' || h === 'name' || h === 'ward_name');
  let body = rows.slice(1);
  if (column < 0) {
    column = 0;
    body = rows;
  }
  const wards: string[] = [];
  for (const [i, row] of body.entries()) {
    const ward = (row[column] ?? '').trim();
    if (!ward) continue;
    if (wards.includes(ward)) return { error: 'duplicate', line: i + (body === rows ? 1 : 2) };
    wards.push(ward);
  }
  return wards.length ? { wards } : { error: 'empty' };
}

// ---------- residents ----------

const REFERENCE_MAX = 128;

async function lookUp(ctx: PageContext, reference: string, notice?: string): Promise<PageResult> {
  const view = 'pages/admin/residents.njk';
  if (!reference)
    return formFailure(ctx, view, { reference }, addError(noErrors(), 'reference', ctx.t('admin.residents.errors.reference')));
  if (reference.length > REFERENCE_MAX)
    return formFailure(ctx, view, { reference }, addError(noErrors(), 'reference', ctx.t('admin.residents.errors.tooLong')));
  const result = await ctx.gql(ADMIN_RESIDENT, { reference });
  if (!result.ok) {
    refuseUnlessFormError(result.errors);
    return formFailure(ctx, view, { reference }, refusalsToErrors(ctx, result.errors, {}, 'reference'));
  }
  const wards = dataOr404(await ctx.gql(ADMIN_WARDS, {})).wards;
  return { view, model: { reference, resident: result.data.residentByReference, wards, notice, commandId: ctx.commandId() } };
}

async function residentChange(
  ctx: PageContext,
  run: (reference: string, commandId: string) => Promise<{ ok: boolean; errors?: readonly { code: string }[] } & object>,
  notice: string,
  field: string,
) {
  const reference = one(ctx.body.reference).trim();
  if (!reference || reference.length > REFERENCE_MAX) return lookUp(ctx, reference);
  const result = (await run(reference, commandIdOf(ctx))) as Awaited<ReturnType<PageContext['gql']>>;
  if (!result.ok) {
    refuseUnlessFormError(result.errors);
    const page = await lookUp(ctx, reference);
    if ('view' in page) return { ...page, status: 400, model: { ...page.model, errors: refusalsToErrors(ctx, result.errors, {}, field) } };
    return page;
  }
  return lookUp(ctx, reference, notice);
}

// ---------- the routes ----------

export const adminRoutes = (web: WebApp): PageRoute[] => {
  void web;
  return [
    {
      method: 'GET',
      url: '/admin/funds',
      access: ADMIN,
      menu: { label: 'admin.menu.funds', hint: 'admin.menu.fundsHint', group: 'setup' },
      handle: async (ctx) => ({ view: 'pages/admin/funds.njk', model: { funds: dataOr404(await ctx.gql(ADMIN_FUNDS, {})).funds } }),
    },
    {
      method: 'GET',
      url: '/admin/funds/new',
      access: ADMIN,
      handle: async (ctx) => ({
        view: 'pages/admin/fund-new.njk',
        model: { form: { minimumAge: '16', schedule: {} }, timeZone: TIME_ZONE, commandId: ctx.commandId() },
      }),
    },
    { method: 'POST', url: '/admin/funds/new', access: ADMIN, handle: createFund },
    {
      method: 'GET',
      url: '/admin/funds/:fundId',
      access: ADMIN,
      handle: async (ctx) => {
        const fund = await loadFund(ctx);
        return {
          view: 'pages/admin/fund.njk',
          model: {
            fund,
            next: NEXT_CHANGE[fund.phase],
            notice: ctx.query.created ? 'created' : ctx.query.potAdded ? 'potAdded' : one(ctx.query.changed) ? 'changed' : undefined,
          },
        };
      },
    },
    {
      method: 'GET',
      url: '/admin/funds/:fundId/pots/new',
      access: ADMIN,
      handle: async (ctx) => ({
        view: 'pages/admin/pot-new.njk',
        model: {
          fund: await loadFund(ctx),
          wards: dataOr404(await ctx.gql(ADMIN_WARDS, {})).wards,
          form: { scope: 'ward', kind: 'approval', minPicks: '1', rule: 'equal_shares_with_completion' },
          commandId: ctx.commandId(),
        },
      }),
    },
    { method: 'POST', url: '/admin/funds/:fundId/pots/new', access: ADMIN, handle: addPot },
    {
      method: 'GET',
      url: '/admin/funds/:fundId/phase',
      access: ADMIN,
      handle: async (ctx) => {
        const fund = await loadFund(ctx);
        return { view: 'pages/admin/phase.njk', model: { fund, change: NEXT_CHANGE[fund.phase], commandId: ctx.commandId() } };
      },
    },
    {
      method: 'POST',
      url: '/admin/funds/:fundId/phase',
      access: ADMIN,
      handle: async (ctx) => {
        const fund = await loadFund(ctx);
        const change = NEXT_CHANGE[fund.phase];
        // The page named the change it described: a form read in another phase does not run the next one.
        if (!change || one(ctx.body.change) !== change) {
          return formFailure(
            ctx,
            'pages/admin/phase.njk',
            { fund, change },
            addError(noErrors(), 'confirm', ctx.t('admin.phase.errors.moved')),
          );
        }
        const op = ADMIN_PHASE_CHANGES[change];
        const result = await ctx.gql(op as typeof ADMIN_PHASE_CHANGES.openProposals, { commandId: commandIdOf(ctx), fundId: fund.id });
        if (!result.ok) {
          refuseUnlessFormError(result.errors);
          return formFailure(ctx, 'pages/admin/phase.njk', { fund, change }, refusalsToErrors(ctx, result.errors, {}, 'confirm'));
        }
        return { redirect: `/admin/funds/${fund.id}?changed=${change}` };
      },
    },
    ...publicationRoutes(),
    {
      method: 'GET',
      url: '/admin/funds/:fundId/voting',
      access: ADMIN,
      handle: async (ctx) => {
        const fund = await loadFund(ctx);
        return {
          view: 'pages/admin/voting.njk',
          model: { fund, form: { votingClosesAt: isoToLocal(fund.schedule.votingClosesAt, fund.timeZone) }, commandId: ctx.commandId() },
        };
      },
    },
    {
      method: 'POST',
      url: '/admin/funds/:fundId/voting',
      access: ADMIN,
      handle: async (ctx) => {
        const fund = await loadFund(ctx);
        const action = one(ctx.body.action);
        const reason = one(ctx.body.reason).trim();
        const closesTyped = one(ctx.body.votingClosesAt).trim();
        const view = 'pages/admin/voting.njk';
        const model = { fund, form: { action, reason, votingClosesAt: closesTyped } };
        let errors = noErrors();
        // Once voting has closed nothing reopens it: the page offers nothing, and a forged post is refused here too.
        if (fund.phase !== 'voting_open')
          return formFailure(ctx, view, model, addError(errors, 'action', ctx.t('admin.voting.neverReopens')));
        if (action !== 'extend' && action !== 'closeEarly') errors = addError(errors, 'action', ctx.t('admin.voting.errors.action'));
        if (!reason) errors = addError(errors, 'reason', ctx.t('admin.voting.errors.reason'));
        else if (reason.length > 1000) errors = addError(errors, 'reason', ctx.t('admin.voting.errors.reasonTooLong'));
        const closes = localToIso(closesTyped, fund.timeZone);
        if (action === 'extend' && !closes) errors = addError(errors, 'votingClosesAt', ctx.t('admin.fund.errors.date'));
        if (hasErrors(errors)) return formFailure(ctx, view, model, errors);
        const commandId = commandIdOf(ctx);
        const result =
          action === 'extend'
            ? await ctx.gql(ADMIN_EXTEND_VOTING, { commandId, fundId: fund.id, reason, votingClosesAt: closes! })
            : await ctx.gql(ADMIN_CLOSE_VOTING_EARLY, { commandId, fundId: fund.id, reason });
        if (!result.ok) {
          refuseUnlessFormError(result.errors);
          return formFailure(
            ctx,
            view,
            model,
            refusalsToErrors(ctx, result.errors, { 'FUND.INVALID_SCHEDULE': 'votingClosesAt', 'FUND.REASON_REQUIRED': 'reason' }, 'action'),
          );
        }
        return { redirect: `/admin/funds/${fund.id}?changed=${action}` };
      },
    },
    {
      method: 'GET',
      url: '/admin/wards',
      access: ADMIN,
      menu: { label: 'admin.menu.wards', hint: 'admin.menu.wardsHint', group: 'setup' },
      handle: async (ctx) => ({
        view: 'pages/admin/wards.njk',
        model: { current: dataOr404(await ctx.gql(ADMIN_WARDS, {})).wards, saved: !!ctx.query.saved, commandId: ctx.commandId() },
      }),
    },
    {
      method: 'POST',
      url: '/admin/wards',
      access: ADMIN,
      handle: async (ctx) => {
        const current = dataOr404(await ctx.gql(ADMIN_WARDS, {})).wards;
        const csv = one(ctx.body.csv);
        const parsed = wardsFromCsv(csv);
        const view = 'pages/admin/wards.njk';
        if ('error' in parsed) {
          return formFailure(
            ctx,
            view,
            { current, csv },
            addError(noErrors(), 'csv', ctx.t(`admin.wards.errors.${parsed.error}`, { line: parsed.line ?? 1 })),
          );
        }
        const confirmed = one(ctx.body.confirm) === 'yes';
        if (!confirmed) {
          const added = parsed.wards.filter((w) => !current.includes(w));
          const removed = current.filter((w) => !parsed.wards.includes(w));
          return { view, model: { current, csv, preview: { wards: parsed.wards, added, removed }, commandId: commandIdOf(ctx) } };
        }
        const result = await ctx.gql(ADMIN_CONFIGURE_WARDS, { commandId: commandIdOf(ctx), wards: parsed.wards });
        if (!result.ok) {
          refuseUnlessFormError(result.errors);
          return formFailure(ctx, view, { current, csv }, refusalsToErrors(ctx, result.errors, {}, 'csv'));
        }
        return { redirect: '/admin/wards?saved=1' };
      },
    },
    {
      method: 'GET',
      url: '/admin/register',
      access: ADMIN,
      menu: { label: 'admin.menu.register', hint: 'admin.menu.registerHint', group: 'register' },
      handle: async (ctx) => ({ view: 'pages/admin/register.njk', model: { commandId: ctx.commandId(), chunkRows: REGISTER_CHUNK_ROWS } }),
    },
    ...registerFileRoutes(),
    ...registerJobRoutes(),
    {
      method: 'GET',
      url: '/admin/residents',
      access: ADMIN,
      menu: { label: 'admin.menu.residents', hint: 'admin.menu.residentsHint', group: 'register' },
      handle: async (ctx) => ({ view: 'pages/admin/residents.njk', model: { reference: '' } }),
    },
    { method: 'POST', url: '/admin/residents', access: ADMIN, handle: async (ctx) => lookUp(ctx, one(ctx.body.reference).trim()) },
    {
      method: 'POST',
      url: '/admin/residents/verify',
      access: ADMIN,
      handle: (ctx) =>
        residentChange(ctx, (reference, commandId) => ctx.gql(ADMIN_VERIFY_RESIDENT, { commandId, reference }), 'verified', 'reference'),
    },
    {
      method: 'POST',
      url: '/admin/residents/move',
      access: ADMIN,
      handle: async (ctx) => {
        const ward = one(ctx.body.ward);
        const wards = dataOr404(await ctx.gql(ADMIN_WARDS, {})).wards;
        if (!wards.includes(ward)) {
          const page = await lookUp(ctx, one(ctx.body.reference).trim());
          return 'view' in page
            ? { ...page, status: 400, model: { ...page.model, errors: addError(noErrors(), 'ward', ctx.t('admin.residents.errors.ward')) } }
            : page;
        }
        return residentChange(ctx, (reference, commandId) => ctx.gql(ADMIN_ASSIGN_WARD, { commandId, reference, ward }), 'moved', 'ward');
      },
    },
    {
      method: 'POST',
      url: '/admin/residents/erase',
      access: ADMIN,
      handle: async (ctx) => {
        const reference = one(ctx.body.reference).trim();
        const reason = one(ctx.body.reason).trim();
        const view = 'pages/admin/resident-erase.njk';
        if (!reference || reference.length > REFERENCE_MAX) return lookUp(ctx, reference);
        if (one(ctx.body.confirm) !== 'yes') {
          if (one(ctx.body.step) === 'confirm') {
            return formFailure(ctx, view, { reference, reason }, addError(noErrors(), 'confirm', ctx.t('admin.erase.errors.confirm')));
          }
          return { view, model: { reference, reason, commandId: ctx.commandId() } };
        }
        if (!reason || reason.length > 200)
          return formFailure(ctx, view, { reference, reason }, addError(noErrors(), 'reason', ctx.t('admin.erase.errors.reason')));
        const result = await ctx.gql(ADMIN_ERASE_RESIDENT, { commandId: commandIdOf(ctx), reference, reason });
        if (!result.ok) {
          refuseUnlessFormError(result.errors);
          return formFailure(ctx, view, { reference, reason }, refusalsToErrors(ctx, result.errors, {}, 'reason'));
        }
        return lookUp(ctx, reference, 'erased');
      },
    },
  ];
};
