/**
 * The rehearsal's generated borough, drawn the same on every run: its 21 pots (the borough-wide
 * one and 20 wards), their proposals' costs, and each voter's ballot. Shared by the rehearsal
 * (which sends them through the API) and the allocation bench's `--borough` (which runs the rules
 * on them alone), so the two measure the same elections.
 */

export const WARDS = Array.from({ length: 20 }, (_, i) => `Ward ${String(i + 1).padStart(2, '0')}`);
export const KINDS = ['approval', 'knapsack', 'cumulative'] as const;
export type PotKind = (typeof KINDS)[number];

/** A seeded generator (mulberry32): the same borough and ballots on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DrawnPot {
  readonly name: string;
  readonly ward: string | null;
  readonly kind: PotKind;
  /** Pence. */
  readonly budget: number;
  /** Every fourth pot is greedy; the others equal shares with completion. */
  readonly greedy: boolean;
  /** Each proposal's cost in pence, in submission order; its faction is its index mod 3. */
  readonly costs: readonly number[];
}

/** The 21 pots and their proposals' costs (wide costs, £2,000 up to half the pot: where greedy and equal shares part). */
export function drawBorough(): DrawnPot[] {
  const rand = random(215);
  const pots = [null, ...WARDS].map((ward, i) => ({
    name: ward ?? 'Borough-wide',
    ward,
    kind: KINDS[i % 3],
    budget: ward ? 20_000_000 + Math.floor(rand() * 20) * 1_000_000 : 100_000_000,
    greedy: i % 4 === 3,
  }));
  return pots.map((pot) => {
    const count = 40 + Math.floor(rand() * 111);
    const costs = Array.from({ length: count }, () =>
      Math.min(Math.round((2000 + rand() ** 3 * 398_000) / 100) * 10_000, Math.floor(pot.budget / 2 / 10_000) * 10_000),
    );
    return { ...pot, costs };
  });
}

/** Voter i votes in one pot: the borough-wide one for every 21st, else their ward's (index into drawBorough's pots). */
export const potIndexOf = (i: number): number => (i % 21 === 0 ? 0 : 1 + (i % WARDS.length));

/** A fifth of the voters change their ballot once. */
export const changes = (i: number): boolean => random(i)() < 0.2;

export interface BallotPot {
  readonly kind: PotKind;
  readonly budget: number;
  readonly points: number;
  readonly maxPicks: number;
  readonly proposals: readonly { readonly id: string; readonly cost: number; readonly faction: number }[];
}

/**
 * Voter i's ballot (their change's, when `change`): three factions per pot, a voter mostly backs
 * their faction's projects, popular ones more; a knapsack ballot stays within the pot's budget.
 */
export function drawBallot(i: number, pot: BallotPot, change: boolean): { points: Map<string, number> } | { proposalIds: string[] } {
  const r = random(i * 7 + (change ? 1 : 0));
  const faction = i % 3;
  const pick = () => {
    const own = r() < 0.8;
    const list = pot.proposals.filter((p) => (p.faction === faction) === own);
    return list[Math.floor(r() ** 2 * list.length)];
  };
  if (pot.kind === 'cumulative') {
    const points = new Map<string, number>();
    for (let n = 0; n < pot.points; n++) {
      const { id } = pick();
      points.set(id, (points.get(id) ?? 0) + 1);
    }
    return { points };
  }
  const chosen = new Set<string>();
  let spent = 0;
  const limit = pot.kind === 'approval' ? 1 + Math.floor(r() * pot.maxPicks) : 12;
  for (let tries = 0; tries < 40 && chosen.size < limit; tries++) {
    const p = pick();
    if (chosen.has(p.id)) continue;
    if (pot.kind === 'knapsack' && spent + p.cost > pot.budget) continue;
    chosen.add(p.id);
    spent += p.cost;
  }
  return { proposalIds: [...chosen] };
}
