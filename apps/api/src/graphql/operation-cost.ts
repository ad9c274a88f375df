import { MAX_AUDIT_PAGE } from '../audit-log/audit-log.resolver';
import { MAX_CHECKPOINT_PAGE } from '../transparency/transparency.resolver';
import { MAX_PAPER_ENTRIES } from '../paper/paper-batch.types';
import { MAX_PAGE } from '../proposals/proposal.reader';
import { MAX_REGISTER_PAGE } from '../register/register.resolver';

type Args = Record<string, unknown>;

/**
 * The only arguments a cost reads (a page's size). The cost of an operation is kept once
 * known, by the values of the variables these arguments (and directives) take: a function of
 * `LIST_SIZES` that read another argument must name it here.
 */
export const COST_ARGUMENTS: ReadonlySet<string> = new Set(['first']);

/** A page of at most `max` items: its `first`, which the resolver refuses past `max`. */
const page =
  (max: number) =>
  (args: Args): number =>
    typeof args.first === 'number' && args.first >= 1 ? Math.min(args.first, max) : 1;

/**
 * How many items each field's value holds, by `Type.field`: the fields that answer a page
 * (their `first`), and every list field, at the size it reaches in a large fund (a borough of
 * 20 wards, a few dozen proposals per pot). A connection's list itself counts once: its page
 * is counted on the field that takes `first`. A test fails when a list field of the schema is
 * missing here.
 */
export const LIST_SIZES: Record<string, number | ((args: Args) => number)> = {
  'Query.proposals': page(MAX_PAGE),
  'Query.auditLog': page(MAX_AUDIT_PAGE),
  'Query.register': page(MAX_REGISTER_PAGE),
  'ProposalConnection.edges': 1,
  'AuditLogPage.events': 1,
  'RegisterPage.entries': 1,
  'Query.funds': 20,
  'Fund.pots': 25,
  'Tally.lines': 50,
  'AllocationView.lines': 50,
  'Proposal.history': 20,
  'DeliveryView.milestones': 20,
  'MyBallot.points': 50,
  'MyBallot.proposalIds': 50,
  'MyBallot.proposals': 50,
  'PaperBatchResult.entries': MAX_PAPER_ENTRIES,
  'PaperBatch.entries': MAX_PAPER_ENTRIES,
  'RegisterImport.refused': 100,
  // The residents' and officers' reads.
  'Fund.votingChanges': 5,
  'Query.myEligibility': 25,
  'Query.wards': 30,
  'WardsPayload.wards': 30,
  'Query.turnout': 25,
  'VoidedBallots.ballots': 50,
  'Query.paperBatches': 50,
  'Query.fundDelivery': 100,
  'DeliveryView.spends': 20,
  'FundedDeliveryView.milestones': 20,
  'FundedDeliveryView.spends': 20,
  'ResidentLookup.eligibility': 25,
  // An explanation names at most a handful of groups of payers and of overlapping proposals.
  'MesExplanationView.payments': 5,
  'MesExplanationView.overlaps': 5,
  // Proofs: audit paths of a tree of a billion leaves at most; feeds a page at a time.
  'InclusionProof.auditPath': 30,
  'ConsistencyProof.proof': 60,
  'Query.checkpoints': page(MAX_CHECKPOINT_PAGE),
  'CheckpointFeedPage.checkpoints': 1,
  // A pot's bulletin board lists every counted ballot; its pabulib and CSV texts carry a large pot's whole vote.
  // One board a query; its page (`first`, at most 100) counts on its lists, at their largest.
  'Query.bulletinBoard': 1,
  'BulletinBoard.ballots': 200,
  'BulletinBoard.countedReceipts': 200,
  'BulletinBoard.voided': 50,
  'BulletinBoard.paperBatches': 50,
  'BoardBallotView.proposalIds': 10,
  'BoardBallotView.points': 10,
};

/** A list missing from the table counts as this many items. */
const UNKNOWN_LIST = 100;

/** The number of items `Type.field` answers with these arguments (1 for a single value). */
export function listSize(typeName: string, fieldName: string, args: Args, isList: boolean): number {
  const size = LIST_SIZES[`${typeName}.${fieldName}`];
  if (size === undefined) return isList ? UNKNOWN_LIST : 1;
  return typeof size === 'number' ? size : size(args);
}
