/**
 * Orders ballots against the close of voting, per fund, inside one process: ballots share
 * the gate, the close takes it alone (and is preferred, so a rush of ballots cannot starve
 * it). A ballot either completes its append before the close is decided, so it is counted,
 * or is decided after it, so it is refused with `BALLOT.VOTING_CLOSED`: never acknowledged
 * and then left out.
 *
 * The embedded SQLite deployment runs one process, so `VotingGate` suffices there. Several
 * API nodes need the same gate shared between them: `PostgresVotingGate` (an advisory lock,
 * shared for ballots and exclusive for the close), bound to `VOTING_GATE`.
 */
export interface VotingGatePort {
  /** Runs a ballot command of a fund; many at once. */
  ballot<T>(fundId: string, run: () => Promise<T>): Promise<T>;
  /** Runs the close of a fund's voting, alone. */
  close<T>(fundId: string, run: () => Promise<T>): Promise<T>;
}

/** The in-process gate: enough for one process, as the embedded SQLite deployment runs. */
export class VotingGate implements VotingGatePort {
  private readonly funds = new Map<string, { ballots: number; closing: boolean; wakers: (() => void)[] }>();

  private of(fundId: string) {
    let gate = this.funds.get(fundId);
    if (!gate) this.funds.set(fundId, (gate = { ballots: 0, closing: false, wakers: [] }));
    return gate;
  }

  private async waitUntil(fundId: string, ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((wake) => this.of(fundId).wakers.push(wake));
  }

  private wakeAll(fundId: string): void {
    const gate = this.of(fundId);
    const wakers = gate.wakers.splice(0);
    wakers.forEach((wake) => wake());
  }

  /** Runs a ballot command; waits while the fund's voting is being closed. */
  async ballot<T>(fundId: string, run: () => Promise<T>): Promise<T> {
    const gate = this.of(fundId);
    await this.waitUntil(fundId, () => !gate.closing);
    gate.ballots++;
    try {
      return await run();
    } finally {
      gate.ballots--;
      this.wakeAll(fundId);
    }
  }

  /** Runs the close of voting alone: new ballots wait, ballots in flight finish first. */
  async close<T>(fundId: string, run: () => Promise<T>): Promise<T> {
    const gate = this.of(fundId);
    await this.waitUntil(fundId, () => !gate.closing);
    gate.closing = true;
    try {
      await this.waitUntil(fundId, () => gate.ballots === 0);
      return await run();
    } finally {
      gate.closing = false;
      this.wakeAll(fundId);
    }
  }
}
