import { FUND, FUNDS } from '../graphql/operations';
import { FUND_DELIVERY, PROJECT_DELIVERY, REPORT_MILESTONE, REPORT_SPEND, type FundedDelivery } from '../graphql/council.operations';
import { addError, hasErrors, noErrors, one, refusalsToErrors, type FormErrors } from '../forms/errors';
import { parseMoney } from '../forms/money';
import type { StaffRole } from '../setup/page-guard';
import { dataOr404, PageRefused, refuseUnlessFormError, type PageContext, type PageRoute, type WebApp } from '../web-app';
import { proposalName } from './council-words';

/** The API's reporters of delivery. */
const REPORTERS: { staff: StaffRole[] } = { staff: ['reviewer', 'councillor', 'administrator'] };
const DELIVERING = new Set(['results_published', 'delivery', 'closed']);
const STATUSES = ['planned', 'in_progress', 'done'];

interface SpendForm {
  amount: string;
  spentOn: string;
  description: string;
  overspendReason: string;
}
interface MilestoneForm {
  milestoneId: string;
  title: string;
  status: string;
  note: string;
}
const EMPTY_SPEND: SpendForm = { amount: '', spentOn: '', description: '', overspendReason: '' };
const EMPTY_MILESTONE: MilestoneForm = { milestoneId: '', title: '', status: 'planned', note: '' };

const projectUrl = (fundId: string, proposalId: string) =>
  `/staff/delivery/${encodeURIComponent(fundId)}/${encodeURIComponent(proposalId)}`;

async function fundDelivery(ctx: PageContext) {
  const { fund } = dataOr404(await ctx.gql(FUND, { id: ctx.params.fundId }));
  if (!fund) throw new PageRefused(404);
  const projects = DELIVERING.has(fund.phase) ? dataOr404(await ctx.gql(FUND_DELIVERY, { fundId: fund.id })).fundDelivery : [];
  return { fund, projects };
}

const projectRow = (ctx: PageContext, fundId: string, p: FundedDelivery) => ({
  ...p,
  name: proposalName(ctx, p),
  href: projectUrl(fundId, p.proposalId),
  official: ctx.f.money(p.officialCost),
  spent: ctx.f.money(p.totalSpent),
  done: ctx.t('councilPages.delivery.milestonesDone', {
    done: ctx.f.number(p.milestones.filter((m) => m.status === 'done').length),
    all: ctx.f.number(p.milestones.length),
  }),
});

async function projectView(
  ctx: PageContext,
  forms: { spend?: SpendForm; milestone?: MilestoneForm } = {},
  status = 200,
  errors: FormErrors = noErrors(),
  overspendAsked = false,
) {
  const { fund, projects } = await fundDelivery(ctx);
  const project = projects.find((p) => p.proposalId === ctx.params.proposalId);
  if (!project) throw new PageRefused(404);
  const milestone = forms.milestone ?? EMPTY_MILESTONE;
  const detail = dataOr404(await ctx.gql(PROJECT_DELIVERY, { proposalId: project.proposalId })).delivery;
  return {
    view: 'pages/council/delivery-project.njk',
    status,
    model: {
      fund,
      project: projectRow(ctx, fund.id, project),
      spends: detail.spends.map((s) => ({ ...s, amountText: ctx.f.money(s.amount), date: ctx.f.day(s.spentOn) })),
      milestones: detail.milestones.map((m) => ({ ...m, statusName: ctx.t(`milestone.${m.status}`) })),
      spend: forms.spend ?? EMPTY_SPEND,
      milestone,
      statusItems: STATUSES.map((s) => ({ value: s, text: ctx.t(`milestone.${s}`), checked: s === milestone.status })),
      milestoneItems: [
        { value: '', text: ctx.t('councilPages.delivery.newMilestone'), selected: !milestone.milestoneId },
        ...detail.milestones.map((m) => ({ value: m.milestoneId, text: m.title, selected: m.milestoneId === milestone.milestoneId })),
      ],
      overspendAsked: overspendAsked || Boolean(forms.spend?.overspendReason),
      errors,
      done: ['spend', 'milestone'].includes(one(ctx.query.done)) ? one(ctx.query.done) : '',
      commandId: ctx.commandId(),
      backLink: `/staff/delivery/${encodeURIComponent(fund.id)}`,
    },
  };
}

export const deliveryStaffRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/staff/delivery',
    access: REPORTERS,
    menu: { label: 'councilPages.menu.delivery', hint: 'councilPages.menu.deliveryHint', group: 'delivery' },
    handle: async (ctx) => {
      const { funds } = dataOr404(await ctx.gql(FUNDS, {}));
      return {
        view: 'pages/council/delivery-funds.njk',
        model: {
          funds: funds.filter((f) => DELIVERING.has(f.phase)).map((f) => ({ ...f, phaseName: ctx.t(`phase.${f.phase}`) })),
          backLink: '/staff',
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/staff/delivery/:fundId',
    access: REPORTERS,
    handle: async (ctx) => {
      const { fund, projects } = await fundDelivery(ctx);
      const potName = new Map(fund.pots.map((p) => [p.id, p.name]));
      return {
        view: 'pages/council/delivery-overview.njk',
        model: {
          fund,
          rows: projects.map((p) => ({ ...projectRow(ctx, fund.id, p), pot: potName.get(p.potId) ?? '' })),
          overspent: ctx.f.number(projects.filter((p) => p.overspent).length),
          backLink: '/staff/delivery',
        },
      };
    },
  },
  { method: 'GET', url: '/staff/delivery/:fundId/:proposalId', access: REPORTERS, handle: (ctx) => projectView(ctx) },
  {
    method: 'POST',
    url: '/staff/delivery/:fundId/:proposalId/spend',
    access: REPORTERS,
    handle: async (ctx) => {
      const form: SpendForm = {
        amount: one(ctx.body.amount).trim(),
        spentOn: one(ctx.body.spentOn).trim(),
        description: one(ctx.body.description).trim(),
        overspendReason: one(ctx.body.overspendReason).trim(),
      };
      let errors = noErrors();
      const pence = parseMoney(form.amount);
      if (pence === undefined || pence <= 0) errors = addError(errors, 'amount', ctx.t('councilPages.delivery.errors.amount'));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(form.spentOn) || Number.isNaN(Date.parse(`${form.spentOn}T00:00:00Z`)))
        errors = addError(errors, 'spentOn', ctx.t('councilPages.delivery.errors.spentOn'));
      else if (form.spentOn > new Date().toISOString().slice(0, 10))
        errors = addError(errors, 'spentOn', ctx.t('councilPages.delivery.errors.future'));
      if (!form.description) errors = addError(errors, 'description', ctx.t('councilPages.delivery.errors.description'));
      if (form.description.length > 500 || form.overspendReason.length > 2000)
        errors = addError(
          errors,
          form.description.length > 500 ? 'description' : 'overspendReason',
          ctx.t('councilPages.delivery.errors.tooLong'),
        );
      if (hasErrors(errors)) return projectView(ctx, { spend: form }, 400, errors);
      const result = await ctx.gql(REPORT_SPEND, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        fundId: ctx.params.fundId,
        proposalId: ctx.params.proposalId,
        amount: String(pence),
        spentOn: form.spentOn,
        description: form.description,
        ...(form.overspendReason && { overspendReason: form.overspendReason }),
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        const asked = result.errors.some((e) => e.code === 'DELIVERY.OVERSPEND_REASON_REQUIRED');
        return projectView(
          ctx,
          { spend: form },
          400,
          refusalsToErrors(ctx, result.errors, { 'DELIVERY.OVERSPEND_REASON_REQUIRED': 'overspendReason' }, 'amount'),
          asked,
        );
      }
      return { redirect: `${projectUrl(ctx.params.fundId, ctx.params.proposalId)}?done=spend` };
    },
  },
  {
    method: 'POST',
    url: '/staff/delivery/:fundId/:proposalId/milestone',
    access: REPORTERS,
    handle: async (ctx) => {
      const form: MilestoneForm = {
        milestoneId: one(ctx.body.milestoneId).trim(),
        title: one(ctx.body.title).trim(),
        status: one(ctx.body.status),
        note: one(ctx.body.note).trim(),
      };
      let errors = noErrors();
      if (!form.title) errors = addError(errors, 'title', ctx.t('councilPages.delivery.errors.title'));
      if (!STATUSES.includes(form.status)) errors = addError(errors, 'status', ctx.t('councilPages.delivery.errors.status'));
      if (form.title.length > 200 || form.note.length > 2000)
        errors = addError(errors, form.title.length > 200 ? 'title' : 'note', ctx.t('councilPages.delivery.errors.tooLong'));
      if (hasErrors(errors)) return projectView(ctx, { milestone: form }, 400, errors);
      const result = await ctx.gql(REPORT_MILESTONE, {
        commandId: one(ctx.body.commandId) || ctx.commandId(),
        fundId: ctx.params.fundId,
        proposalId: ctx.params.proposalId,
        ...(form.milestoneId && { milestoneId: form.milestoneId }),
        title: form.title,
        status: form.status,
        note: form.note,
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return projectView(ctx, { milestone: form }, 400, refusalsToErrors(ctx, result.errors, {}, 'title'));
      }
      return { redirect: `${projectUrl(ctx.params.fundId, ctx.params.proposalId)}?done=milestone` };
    },
  },
];
