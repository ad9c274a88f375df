import { Rational, type Election } from '@civic/allocation';

/**
 * A deliberately naive reading of RULES.md §1–3 (one Rational budget per voter, every ρ
 * recomputed every round, no grouping, no caching), to check the fast rules against.
 */
type Sat = 'cardinality' | 'cost' | 'points' | 'borda';

function utilities(e: Election, sat: Sat): Map<string, Rational>[] {
  const cost = new Map(e.projects.map((p) => [p.id, p.cost]));
  return e.ballots.map((b) => {
    const u = new Map<string, Rational>();
    b.items.forEach((id, pos) => {
      if (u.has(id)) return;
      const v =
        sat === 'cardinality'
          ? Rational.ONE
          : sat === 'cost'
            ? (cost.get(id) as Rational)
            : sat === 'points'
              ? (b.points?.[pos] ?? Rational.ZERO)
              : Rational.from(b.items.length - pos - 1);
      u.set(id, v);
    });
    return u;
  });
}

const lex = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function naiveGreedy(e: Election, sat: Sat, initial: string[] = []): string[] {
  const u = utilities(e, sat);
  const S = (id: string) => u.reduce((acc, m) => acc.add(m.get(id) ?? Rational.ZERO), Rational.ZERO);
  const density = (p: Election['projects'][number]) => {
    const s = S(p.id);
    if (s.isZero()) return { tier: 0, d: Rational.ZERO };
    return p.cost.isZero() ? { tier: 2, d: Rational.ZERO } : { tier: 1, d: s.div(p.cost) };
  };
  const order = [...e.projects].sort((a, b) => {
    const da = density(a);
    const db = density(b);
    return db.tier - da.tier || db.d.cmp(da.d) || lex(a.id, b.id);
  });
  const chosen = [...initial];
  let remaining = e.budget;
  for (const id of initial) remaining = remaining.sub(e.projects.find((p) => p.id === id)!.cost);
  for (const p of order) {
    if (chosen.includes(p.id) || p.cost.gt(remaining)) continue;
    chosen.push(p.id);
    remaining = remaining.sub(p.cost);
  }
  return chosen;
}

export function naiveMes(e: Election, sat: Sat, b0: Rational): string[] {
  const u = utilities(e, sat);
  const b = u.map(() => b0);
  const ut = (i: number, id: string) => u[i].get(id) ?? Rational.ZERO;
  const supporters = (id: string) => u.map((_, i) => i).filter((i) => ut(i, id).sign() > 0);
  // Free supported projects come first; pabutools leaves their mutual order to set iteration,
  // the platform uses the tie-break order.
  const selected = e.projects
    .filter((p) => p.cost.isZero() && supporters(p.id).length > 0)
    .map((p) => p.id)
    .sort(lex);
  let cands = e.projects.filter((p) => !p.cost.isZero() && supporters(p.id).length > 0);
  for (;;) {
    let best: { id: string; rho: Rational } | undefined;
    const next: typeof cands = [];
    for (const p of cands) {
      const N = supporters(p.id);
      const money = N.reduce((acc, i) => acc.add(b[i]), Rational.ZERO);
      if (money.lt(p.cost)) continue;
      next.push(p);
      const sorted = [...N].sort((x, y) => b[x].div(ut(x, p.id)).cmp(b[y].div(ut(y, p.id))));
      let paid = Rational.ZERO;
      let denom = N.reduce((acc, i) => acc.add(ut(i, p.id)), Rational.ZERO);
      let rho: Rational | undefined;
      for (const i of sorted) {
        const r = p.cost.sub(paid).div(denom);
        if (r.mul(ut(i, p.id)).lte(b[i])) {
          rho = r;
          break;
        }
        paid = paid.add(b[i]);
        denom = denom.sub(ut(i, p.id));
      }
      if (rho && (!best || rho.lt(best.rho) || (rho.eq(best.rho) && p.id < best.id))) best = { id: p.id, rho };
    }
    cands = next;
    if (!best) return selected;
    const chosen = best;
    for (const i of supporters(chosen.id)) {
      const due = chosen.rho.mul(ut(i, chosen.id));
      b[i] = b[i].sub(due.lt(b[i]) ? due : b[i]);
    }
    selected.push(chosen.id);
    cands = cands.filter((p) => p.id !== chosen.id);
  }
}

export function naiveMesAdd1(e: Election, sat: Sat): string[] {
  const n = Rational.from(e.ballots.length);
  const costOf = (ids: string[]) => ids.reduce((acc, id) => acc.add(e.projects.find((p) => p.id === id)!.cost), Rational.ZERO);
  const u = utilities(e, sat);
  const supported = (id: string) => u.some((m) => (m.get(id) ?? Rational.ZERO).sign() > 0);
  let previous = e.projects
    .filter((p) => p.cost.isZero() && supported(p.id))
    .map((p) => p.id)
    .sort(lex);
  for (let b0 = e.budget.div(n); ; b0 = b0.add(Rational.ONE)) {
    const out = naiveMes(e, sat, b0);
    const cost = costOf(out);
    if (cost.gt(e.budget)) return previous;
    const left = e.budget.sub(cost);
    const exhaustive = !e.projects.some((p) => !p.cost.isZero() && supported(p.id) && !out.includes(p.id) && p.cost.lte(left));
    if (exhaustive) return out;
    previous = out;
  }
}
