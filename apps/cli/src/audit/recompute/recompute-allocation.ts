import { allocate } from '@civic/allocation';
import { allocateOptions, allocationInputs, lineExplanations } from '@civic/application';
import { fundedTotal, ruleKeyFor, type AllocationRecorded } from '@civic/domain';
import type { HistoryFold } from '../history/history-fold';
import { canonicalJson } from '@civic/audit';
import type { JsonValue } from '@civic/event-store';

const canonical = (value: unknown): string =>
  value === undefined ? 'undefined' : canonicalJson(JSON.parse(JSON.stringify(value)) as JsonValue);

type Line = { readonly funded: boolean; readonly amount: number };

/** One proposal of a recorded allocation next to the same proposal recomputed. */
export interface LineCheck {
  readonly proposalId: string;
  /** Absent when the recording has no line for a proposal the rule decided on. */
  readonly recorded?: Line;
  /** Absent when the recording has a line for a proposal that was not an accepted proposal of the pot. */
  readonly recomputed?: Line;
  /** For allocations that record explanations (schema version 2): whether the recorded one is what the rule gives. */
  readonly explanationMatches?: boolean;
  readonly match: boolean;
}

/** One `AllocationRecorded` event, recomputed from the log as it stood when it was recorded. */
export interface AllocationCheck {
  readonly fundId: string;
  readonly potId: string;
  readonly position: string;
  readonly eventId: string;
  readonly rule: string;
  readonly ruleVersion: { readonly recorded: string; readonly recomputed?: string };
  readonly ballotCount: { readonly recorded: number; readonly recomputed?: number };
  readonly digestMatches: boolean;
  readonly totalCost: { readonly recorded: number; readonly recomputed?: number; readonly match: boolean };
  readonly lines: LineCheck[];
  /** Changes made by councillors after the recording: reported, never counted as mismatches. */
  readonly overrides: { position: string; proposalId: string; funded: boolean; amount: number; reason: string }[];
  /** Why it could not be recomputed at all (no such fund or pot at that point). */
  readonly problem?: string;
  readonly ok: boolean;
}

/**
 * Rebuilds the inputs exactly as `ComputeAllocationHandler` did (the fund's pot, the accepted
 * proposals and the counted ballots as they stood just before the event, through the same
 * `allocationInputs`), re-runs the rule and compares the digest, every line and the total.
 */
export function recomputeAllocation(
  fold: HistoryFold,
  recorded: AllocationRecorded['data'],
  at: { position: string; eventId: string },
): AllocationCheck {
  const { fundId, potId } = recorded;
  const base = {
    fundId,
    potId,
    position: at.position,
    eventId: at.eventId,
    rule: recorded.rule,
  };
  const pot = fold.fund(fundId)?.pots.find((p) => p.potId === potId);
  if (!pot) {
    return {
      ...base,
      ruleVersion: { recorded: recorded.ruleVersion },
      ballotCount: { recorded: recorded.ballotCount },
      digestMatches: false,
      totalCost: { recorded: recorded.totalCost, match: false },
      lines: recorded.lines.map((l) => ({ proposalId: l.proposalId, recorded: { funded: l.funded, amount: l.amount }, match: false })),
      overrides: [],
      problem: `There was no pot ${potId} in fund ${fundId} at this point of the history.`,
      ok: false,
    };
  }
  const accepted = fold.acceptedProposals(fundId, potId);
  const { election, digest, ballotCount } = allocationInputs(fundId, pot, accepted, fold.countedBallots(potId));
  const rule = ruleKeyFor(pot.ballot, pot.rule);
  const result = allocate(election, rule, allocateOptions(pot, accepted));
  const funded = new Set(result.selected);
  const recomputed = new Map(
    accepted.map((p) => [p.proposalId, { funded: funded.has(p.proposalId), amount: funded.has(p.proposalId) ? p.officialCost : 0 }]),
  );
  const recordedLines = new Map(recorded.lines.map((l) => [l.proposalId, { funded: l.funded, amount: l.amount }]));
  const explanations = lineExplanations(election, result);
  const recordedExplanations = new Map(recorded.lines.map((l) => [l.proposalId, l.explanation]));
  const ids = [...new Set([...recordedLines.keys(), ...recomputed.keys()])].sort();
  const lines = ids.map((proposalId): LineCheck => {
    const r = recordedLines.get(proposalId);
    const c = recomputed.get(proposalId);
    const stated = recordedExplanations.get(proposalId);
    // Compared in RFC 8785 form: a store may keep JSON with its keys in another order (PostgreSQL's jsonb).
    const explanationMatches = stated === undefined ? undefined : canonical(stated) === canonical(explanations.get(proposalId));
    const same = !!r && !!c && r.funded === c.funded && r.amount === c.amount && explanationMatches !== false;
    return { proposalId, recorded: r, recomputed: c, ...(explanationMatches !== undefined && { explanationMatches }), match: same };
  });
  const total = fundedTotal([...recomputed.entries()].map(([proposalId, l]) => ({ proposalId, ...l, reason: '' })));
  const digestMatches = digest === recorded.inputDigest;
  const totalMatches = total === recorded.totalCost;
  return {
    ...base,
    rule: recorded.rule,
    ruleVersion: { recorded: recorded.ruleVersion, recomputed: result.ruleVersion },
    ballotCount: { recorded: recorded.ballotCount, recomputed: ballotCount },
    digestMatches,
    totalCost: { recorded: recorded.totalCost, recomputed: total, match: totalMatches },
    lines,
    overrides: [],
    ok: digestMatches && totalMatches && rule === recorded.rule && ballotCount === recorded.ballotCount && lines.every((l) => l.match),
  };
}
