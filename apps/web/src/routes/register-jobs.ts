import { randomBytes } from 'node:crypto';
import type { ApiRefusal } from '../graphql/operation';

/** A row the API refused, numbered by its line in the whole file. */
export interface RefusedRow {
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/** Why an import stopped before the file's end: the API's refusal of a chunk, or a fault of this server. */
export type RegisterJobStop = { readonly line: number; readonly refusals: readonly ApiRefusal[] };

/** One uploaded register being imported on the server, after the page that took it has answered. */
export interface RegisterJob {
  /** 128 random bits: the job's page is found by it alone, so it is never guessable. */
  readonly id: string;
  /** The staff subject who uploaded the file. */
  readonly startedBy: string;
  /** The upload form's command id (its chunks' ids derive from it). */
  readonly commandId: string;
  readonly startedAt: number;
  /** The file's rows, counted from its line breaks as it arrived (blank lines included: "about"). */
  readonly expectedRows: number;
  state: 'running' | 'done' | 'stopped';
  /** Rows the API has answered for, imported or refused. */
  rowsRead: number;
  imported: number;
  readonly refused: RefusedRow[];
  stopped?: RegisterJobStop;
  finishedAt?: number;
}

/** Finished jobs kept for their page and report; the oldest go first beyond this (running ones never). */
const KEPT_FINISHED = 50;
/** A finished job's page and report stay this long. */
const KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * The register imports of this node, in its memory only: a restart forgets them (what they had
 * imported stays recorded, a group of rows at a time; the page of a forgotten job says how to
 * send the file again).
 */
export class RegisterJobs {
  private readonly jobs = new Map<string, RegisterJob>();

  constructor(private readonly now: () => number = Date.now) {}

  start(startedBy: string, commandId: string, expectedRows: number): RegisterJob {
    this.forgetOld();
    const job: RegisterJob = {
      id: randomBytes(16).toString('base64url'),
      startedBy,
      commandId,
      startedAt: this.now(),
      expectedRows,
      state: 'running',
      rowsRead: 0,
      imported: 0,
      refused: [],
    };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): RegisterJob | undefined {
    return this.jobs.get(id);
  }

  /** The job still running for this form and this officer (a double submit of the form joins it). */
  running(startedBy: string, commandId: string): RegisterJob | undefined {
    for (const job of this.jobs.values())
      if (job.state === 'running' && job.startedBy === startedBy && job.commandId === commandId) return job;
    return undefined;
  }

  finish(job: RegisterJob, stopped?: RegisterJobStop): void {
    job.state = stopped ? 'stopped' : 'done';
    job.stopped = stopped;
    job.finishedAt = this.now();
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== undefined);
    finished.forEach((job, i) => {
      if (this.now() - (job.finishedAt ?? 0) > KEPT_MS || i < finished.length - KEPT_FINISHED + 1) this.jobs.delete(job.id);
    });
  }
}
