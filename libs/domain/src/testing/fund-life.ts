import type { BallotContent } from '../ballot/ballot-content';
import { ruleKeyFor } from '../fund/rule-keys';
import { actors, boroughPot, FUND_ID, T, wardPot } from './fixtures';
import { Scenario } from './scenario';
import type { Outcome } from './world';

const knapsack = (...proposalIds: string[]): BallotContent => ({ kind: 'knapsack', proposalIds });
const approval = (...proposalIds: string[]): BallotContent => ({ kind: 'approval', proposalIds });
const idea = (title: string, estimatedCost: number) => ({ title, summary: title, description: title, category: 'streets', estimatedCost });

/**
 * A fund's whole life, every kind of command once or more, each expected to succeed:
 * the fixture of the replay tests. Returns the scenario and each step's outcome.
 */
export const liveAFundsLife = (): { scenario: Scenario; outcomes: Outcome[] } => {
  const s = new Scenario();
  const outcomes: Outcome[] = [];
  const at = (time: string) => (s.now = time);
  const ok = (o: Outcome) => outcomes.push(o);
  const ward = { fundId: FUND_ID, potId: wardPot.potId };
  const borough = { fundId: FUND_ID, potId: boroughPot.potId };

  ok(s.run('ChangePotRules', { fundId: FUND_ID, potId: boroughPot.potId, rules: { budget: 90_000_00 } }, actors.admin));
  at(T.proposalsOpen);
  ok(s.run('OpenProposals', { fundId: FUND_ID }, actors.admin));
  ok(s.run('SubmitProposal', { proposalId: 'benches', ...ward, ...idea('Benches', 8_000_00) }, actors.resident('author-1')));
  ok(s.run('SubmitProposal', { proposalId: 'trees', ...ward, ...idea('Trees', 9_000_00) }, actors.resident('author-2')));
  ok(s.run('SubmitProposal', { proposalId: 'more-trees', ...ward, ...idea('More trees', 9_500_00) }, actors.resident('author-3')));
  ok(s.run('SubmitProposal', { proposalId: 'lights', ...ward, ...idea('Lights', 6_000_00) }, actors.resident('author-1')));
  ok(s.run('SubmitProposal', { proposalId: 'library', ...borough, ...idea('Library hours', 40_000_00) }, actors.resident('author-4')));
  ok(s.run('SubmitProposal', { proposalId: 'gym', ...borough, ...idea('Outdoor gym', 30_000_00) }, actors.resident('author-5')));
  ok(s.run('SubmitProposal', { proposalId: 'mural', ...borough, ...idea('Mural', 1_000_00) }, actors.resident('author-5')));
  ok(s.run('EditProposal', { proposalId: 'lights', changes: { estimatedCost: 5_500_00 } }, actors.resident('author-1')));
  ok(s.run('WithdrawProposal', { proposalId: 'mural' }, actors.resident('author-5')));
  at(T.review);
  ok(s.run('StartReview', { fundId: FUND_ID }, actors.admin));
  ok(s.run('AcceptProposal', { proposalId: 'benches', officialCost: 8_500_00 }, actors.reviewer));
  ok(s.run('AcceptProposal', { proposalId: 'trees', officialCost: 9_000_00 }, actors.reviewer));
  ok(s.run('MergeProposal', { proposalId: 'more-trees', survivorId: 'trees' }, actors.reviewer));
  ok(s.run('AbsorbDuplicate', { proposalId: 'trees', duplicateId: 'more-trees' }, actors.reviewer));
  ok(s.run('RejectProposal', { proposalId: 'lights', reason: 'Already funded by TfL' }, actors.reviewer));
  ok(s.run('AcceptProposal', { proposalId: 'library', officialCost: 45_000_00 }, actors.councillor));
  ok(s.run('AcceptProposal', { proposalId: 'gym', officialCost: 30_000_00 }, actors.councillor));
  at(T.votingOpens);
  ok(s.run('OpenVoting', { fundId: FUND_ID }, actors.admin));
  at(T.duringVoting);
  ok(s.run('CastBallot', { ...ward, voter: 'v1', content: knapsack('benches', 'trees') }, actors.resident('v1')));
  ok(s.run('ReplaceBallot', { ...ward, voter: 'v1', content: knapsack('trees') }, actors.resident('v1')));
  ok(s.run('CastBallot', { ...ward, voter: 'v2', content: knapsack('benches') }, actors.resident('v2')));
  ok(s.run('WithdrawBallot', { ...ward, voter: 'v2' }, actors.resident('v2')));
  ok(s.run('CastBallot', { ...borough, voter: 'v1', content: approval('library', 'gym') }, actors.resident('v1')));
  ok(s.run('CastBallot', { ...borough, voter: 'v3', content: approval('gym') }, actors.resident('v3')));
  const batch = {
    batchId: 'batch-1',
    ...ward,
    officer: 'officer-9',
    location: 'Idea Store',
    collectedAt: T.votingOpens,
    scanReference: 'scan-001',
    entryCount: 2,
  };
  ok(s.run('RecordPaperBatch', batch, actors.reviewer));
  ok(s.run('RecordPaperBallot', { ...ward, voter: 'v2', batchId: 'batch-1', entryNo: 1, content: knapsack('benches') }, actors.reviewer));
  ok(
    s.run(
      'CorrectPaperBallot',
      { ...ward, voter: 'v2', batchId: 'batch-1', entryNo: 1, content: knapsack('benches', 'trees'), reason: 'Mistyped' },
      actors.reviewer,
    ),
  );
  ok(
    s.run(
      'CorrectPaperBatch',
      { batchId: 'batch-1', corrections: { location: 'Idea Store Bow' }, reason: 'Wrong library' },
      actors.reviewer,
    ),
  );
  ok(s.run('VoidBallot', { ...borough, voter: 'v3', reason: 'Registered twice' }, actors.reviewer));
  at(T.votingCloses);
  ok(s.run('CloseVoting', { fundId: FUND_ID }, actors.system));
  at(T.afterVoting);
  const outcome = (potIndex: 'ward' | 'borough', lines: { proposalId: string; funded: boolean; amount: number }[]) => {
    const pot = potIndex === 'ward' ? wardPot : boroughPot;
    return {
      rule: ruleKeyFor(pot.ballot, pot.rule),
      ruleVersion: '1.0.0',
      inputDigest: 'c'.repeat(64),
      ballotCount: 2,
      lines: lines.map((l) => ({ ...l, reason: 'by rule' })),
    };
  };
  ok(
    s.run(
      'RecordAllocation',
      {
        ...ward,
        outcome: outcome('ward', [
          { proposalId: 'benches', funded: true, amount: 8_500_00 },
          { proposalId: 'trees', funded: true, amount: 9_000_00 },
        ]),
      },
      actors.system,
    ),
  );
  ok(
    s.run(
      'RecordAllocation',
      {
        ...borough,
        outcome: outcome('borough', [
          { proposalId: 'library', funded: true, amount: 45_000_00 },
          { proposalId: 'gym', funded: false, amount: 0 },
        ]),
      },
      actors.system,
    ),
  );
  ok(
    s.run(
      'OverrideAllocationLine',
      { ...borough, proposalId: 'gym', funded: true, reason: 'Fits the remaining budget' },
      actors.councillor,
    ),
  );
  ok(
    s.run(
      'RecordAllocation',
      { fundId: FUND_ID, potId: 'pot-bow', outcome: { ...outcome('ward', []), rule: 'greedy_points' } },
      actors.system,
    ),
  );
  for (const potId of [wardPot.potId, boroughPot.potId, 'pot-bow']) {
    ok(s.run('RatifyAllocation', { fundId: FUND_ID, potId }, actors.councillor));
    ok(s.run('PublishAllocation', { fundId: FUND_ID, potId }, actors.councillor));
  }
  ok(s.run('PublishResults', { fundId: FUND_ID }, actors.councillor));
  ok(s.run('StartDelivery', { fundId: FUND_ID }, actors.admin));
  at('2026-06-01T10:00:00Z');
  ok(
    s.run(
      'ReportMilestone',
      { fundId: FUND_ID, proposalId: 'benches', milestoneId: 'm1', title: 'Ordered', status: 'done', note: '' },
      actors.admin,
    ),
  );
  ok(
    s.run(
      'ReportSpend',
      { fundId: FUND_ID, proposalId: 'benches', spendId: 's1', amount: 8_400_00, description: 'Oak benches', spentOn: '2026-05-30' },
      actors.admin,
    ),
  );
  ok(s.run('CloseFund', { fundId: FUND_ID }, actors.admin));
  return { scenario: s, outcomes };
};
