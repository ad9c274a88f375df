import { EDIT_PROPOSAL, FUND, MY_ELIGIBILITY, PROPOSAL, PROPOSALS, SUBMIT_PROPOSAL, WITHDRAW_PROPOSAL } from '../graphql/operations';
import { hasErrors, one, refusalsToErrors } from '../forms/errors';
import { CATEGORIES, checkProposalForm, PROPOSAL_FIELD_OF_CODE, type ProposalForm, readProposalForm } from '../forms/proposal-form';
import { dataOr404, PageRefused, type PageContext, type PageRoute, refuseUnlessFormError, type WebApp } from '../web-app';
import { fundStatus, RESULTS_PHASES, sortPots } from './fund-words';
import { eligibilityWords, numberText } from './resident-words';

const categoryItems = (ctx: PageContext, selected: string) => [
  { value: '', text: ctx.t('propose.chooseCategory') },
  ...CATEGORIES.map((c) => ({ value: c, text: ctx.t(`category.${c}`), selected: c === selected })),
];

/** Shown for any category: a known key by its name in the language, anything else as written. */
export const categoryName = (ctx: PageContext, category: string) =>
  (CATEGORIES as readonly string[]).includes(category) ? ctx.t(`category.${category}`) : category;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export const proposalRoutes = (_web: WebApp): PageRoute[] => [
  {
    method: 'GET',
    url: '/funds/:fundId/proposals',
    access: 'public',
    handle: async (ctx) => {
      const search = str(ctx.query.search).slice(0, 200);
      const potId = str(ctx.query.pot).slice(0, 100);
      const ward = str(ctx.query.ward).slice(0, 100);
      const category = str(ctx.query.category).slice(0, 100);
      const resident = ctx.principal?.role === 'resident';
      // The API filters by pot, ward, category and words, and orders by number (unnumbered last).
      const [fundResult, listResult, eligibility] = await Promise.all([
        ctx.gql(FUND, { id: ctx.params.fundId }),
        ctx.gql(PROPOSALS, {
          fundId: ctx.params.fundId,
          potId: potId || undefined,
          ward: ward || undefined,
          category: category || undefined,
          search: search.trim() || undefined,
          order: 'number',
        }),
        resident ? ctx.gql(MY_ELIGIBILITY, { fundId: ctx.params.fundId }) : undefined,
      ]);
      const { fund } = dataOr404(fundResult);
      if (!fund) throw new PageRefused(404);
      // A filter the API refuses (a pot of another fund, say) lists nothing rather than failing the page.
      const proposals = listResult.ok ? listResult.data.proposals : { totalCount: 0, edges: [] };
      const pots = sortPots(fund.pots);
      const potName = new Map(pots.map((p) => [p.id, p.name]));
      const rows = proposals.edges
        .map((e) => e.node)
        .map((p) => ({
          ...p,
          numberText: numberText(ctx, p.number),
          potName: potName.get(p.potId) ?? '',
          categoryName: categoryName(ctx, p.category),
          statusName: ctx.t(`status.${p.status}`),
        }));
      const wards = [...new Set(pots.map((p) => p.ward).filter((w): w is string => !!w))].sort((a, b) => a.localeCompare(b));
      return {
        view: 'pages/proposals.njk',
        model: {
          fund,
          status: fundStatus(ctx, fund),
          rows,
          search,
          potItems: [
            { value: '', text: ctx.t('proposals.allPots') },
            ...pots.map((p) => ({ value: p.id, text: p.name, selected: p.id === potId })),
          ],
          wardItems: [{ value: '', text: ctx.t('browse.allWards') }, ...wards.map((w) => ({ value: w, text: w, selected: w === ward }))],
          categoryItems: [
            { value: '', text: ctx.t('proposals.allCategories') },
            ...CATEGORIES.map((c) => ({ value: c, text: ctx.t(`category.${c}`), selected: c === category })),
          ],
          filtered: !!(search || potId || ward || category),
          canPropose: fund.phase === 'proposals_open',
          eligibility:
            eligibility?.ok && !RESULTS_PHASES.has(fund.phase) && fund.phase !== 'voting_closed'
              ? eligibilityWords(ctx, fund, pots, eligibility.data.myEligibility)
              : undefined,
          canVote: fund.phase === 'voting_open',
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/proposals/:id',
    access: 'public',
    handle: async (ctx) => {
      const { proposal } = dataOr404(await ctx.gql(PROPOSAL, { id: ctx.params.id }));
      if (!proposal) throw new PageRefused(404);
      const { fund } = dataOr404(await ctx.gql(FUND, { id: proposal.fundId }));
      if (!fund) throw new PageRefused(404);
      const editable = proposal.mine && proposal.status === 'submitted' && fund.phase === 'proposals_open';
      return {
        view: 'pages/proposal.njk',
        model: {
          proposal,
          fund,
          pot: fund.pots.find((p) => p.id === proposal.potId),
          numberText: numberText(ctx, proposal.number),
          categoryName: categoryName(ctx, proposal.category),
          statusName: ctx.t(`status.${proposal.status}`),
          editable,
          history: proposal.history.map((h) => ({
            what: ctx.t(`history.${h.type}`, { number: ctx.f.number(proposal.number ?? 0) }),
            who: ctx.t(`role.${h.actorRole}`),
            when: ctx.f.dateTime(h.time, fund.timeZone),
            time: h.time,
          })),
          created: ctx.query.created === '1',
          edited: ctx.query.edited === '1',
          withdrawn: ctx.query.withdrawn === '1',
        },
      };
    },
  },
  {
    method: 'GET',
    url: '/funds/:fundId/propose',
    access: 'resident',
    handle: async (ctx) =>
      proposeView(ctx, { title: '', summary: '', description: '', estimatedCost: '', potId: '', category: '' }, undefined, ctx.commandId()),
  },
  {
    method: 'POST',
    url: '/funds/:fundId/propose',
    access: 'resident',
    handle: async (ctx) => {
      const form = readProposalForm(ctx.body);
      const commandId = one(ctx.body.commandId) || ctx.commandId();
      const { fund } = dataOr404(await ctx.gql(FUND, { id: ctx.params.fundId }));
      if (!fund) throw new PageRefused(404);
      const { errors, pence } = checkProposalForm(
        ctx,
        form,
        fund.pots.map((p) => p.id),
        true,
      );
      if (hasErrors(errors)) return proposeView(ctx, form, errors, commandId);
      // The proposal's id is the form's command id: a double submit names the same proposal, a safe retry.
      const result = await ctx.gql(SUBMIT_PROPOSAL, {
        commandId,
        input: {
          proposalId: commandId,
          fundId: fund.id,
          potId: form.potId,
          title: form.title,
          summary: form.summary,
          description: form.description,
          category: form.category,
          estimatedCost: String(pence),
        },
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return proposeView(ctx, form, refusalsToErrors(ctx, result.errors, PROPOSAL_FIELD_OF_CODE, 'title'), commandId);
      }
      const created = result.data.submitProposal;
      if (!created) throw new PageRefused(500); // a null result comes with an error: never here
      return { redirect: `/proposals/${encodeURIComponent(created.proposal.id)}?created=1` };
    },
  },
  {
    method: 'GET',
    url: '/proposals/:id/edit',
    access: 'resident',
    handle: async (ctx) => {
      const proposal = await ownProposal(ctx);
      const form: ProposalForm = {
        title: proposal.title,
        summary: proposal.summary,
        description: proposal.description,
        estimatedCost: String(Number(proposal.estimatedCost) / 100),
        potId: proposal.potId,
        category: proposal.category,
      };
      return editView(ctx, proposal.id, proposal.revision, form, undefined, ctx.commandId());
    },
  },
  {
    method: 'POST',
    url: '/proposals/:id/edit',
    access: 'resident',
    handle: async (ctx) => {
      const proposal = await ownProposal(ctx);
      const form = readProposalForm(ctx.body);
      const commandId = one(ctx.body.commandId) || ctx.commandId();
      const revision = Number(one(ctx.body.revision));
      const { errors, pence } = checkProposalForm(ctx, form, [], false);
      if (hasErrors(errors)) return editView(ctx, proposal.id, revision, form, errors, commandId);
      const changes: Record<string, string> = {};
      for (const field of ['title', 'summary', 'description', 'category'] as const)
        if (form[field] !== proposal[field]) changes[field] = form[field];
      if (String(pence) !== proposal.estimatedCost) changes.estimatedCost = String(pence);
      if (Object.keys(changes).length === 0) return { redirect: `/proposals/${encodeURIComponent(proposal.id)}` };
      const result = await ctx.gql(EDIT_PROPOSAL, {
        commandId,
        proposalId: proposal.id,
        expectedRevision: Number.isSafeInteger(revision) ? revision : proposal.revision,
        changes,
      });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return editView(ctx, proposal.id, revision, form, refusalsToErrors(ctx, result.errors, PROPOSAL_FIELD_OF_CODE, 'title'), commandId);
      }
      return { redirect: `/proposals/${encodeURIComponent(proposal.id)}?edited=1` };
    },
  },
  {
    method: 'GET',
    url: '/proposals/:id/withdraw',
    access: 'resident',
    handle: async (ctx) => {
      const proposal = await ownProposal(ctx);
      return {
        view: 'pages/proposal-withdraw.njk',
        model: { proposal, commandId: ctx.commandId(), backLink: `/proposals/${encodeURIComponent(proposal.id)}` },
      };
    },
  },
  {
    method: 'POST',
    url: '/proposals/:id/withdraw',
    access: 'resident',
    handle: async (ctx) => {
      const proposal = await ownProposal(ctx);
      const result = await ctx.gql(WITHDRAW_PROPOSAL, { commandId: one(ctx.body.commandId) || ctx.commandId(), proposalId: proposal.id });
      if (!result.ok) {
        refuseUnlessFormError(result.errors);
        return {
          view: 'pages/proposal-withdraw.njk',
          status: 400,
          model: { proposal, commandId: ctx.commandId(), errors: refusalsToErrors(ctx, result.errors, {}, 'withdraw') },
        };
      }
      return { redirect: `/proposals/${encodeURIComponent(proposal.id)}?withdrawn=1` };
    },
  },
];

/** The signed-in resident's own proposal of the path, or the 404 page (another's proposal is not theirs to edit). */
async function ownProposal(ctx: PageContext) {
  const { proposal } = dataOr404(await ctx.gql(PROPOSAL, { id: ctx.params.id }));
  if (!proposal || !proposal.mine) throw new PageRefused(404);
  return proposal;
}

async function proposeView(
  ctx: PageContext,
  form: ProposalForm,
  errors: ReturnType<typeof refusalsToErrors> | undefined,
  commandId: string,
) {
  const { fund } = dataOr404(await ctx.gql(FUND, { id: ctx.params.fundId }));
  if (!fund) throw new PageRefused(404);
  const pots = sortPots(fund.pots).map((p) => ({
    value: p.id,
    text: p.ward ? p.name : `${p.name} (${ctx.t('pot.boroughWide')})`,
    checked: p.id === form.potId,
  }));
  return {
    view: 'pages/propose.njk',
    status: errors ? 400 : 200,
    model: {
      fund,
      form,
      errors,
      commandId,
      potItems: pots,
      categoryItems: categoryItems(ctx, form.category),
      open: fund.phase === 'proposals_open',
      backLink: '/',
    },
  };
}

function editView(
  ctx: PageContext,
  id: string,
  revision: number,
  form: ProposalForm,
  errors: ReturnType<typeof refusalsToErrors> | undefined,
  commandId: string,
) {
  return {
    view: 'pages/proposal-edit.njk',
    status: errors ? 400 : 200,
    model: {
      id,
      revision,
      form,
      errors,
      commandId,
      categoryItems: categoryItems(ctx, form.category),
      backLink: `/proposals/${encodeURIComponent(id)}`,
    },
  };
}
