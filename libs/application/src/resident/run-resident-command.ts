import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InvalidInputError, WrongExpectedVersionError, type StreamAppend } from '@civic/event-store';
import {
  isDomainError,
  requirePersonalData,
  requireReference,
  residentDecider,
  streams,
  type DomainError,
  type ImportResident,
  type PersonalData,
  type RegisterResident,
  type ResidentCommand,
} from '@civic/domain';
import type { CommandInput } from '../command-handling/command-input';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
import { toEventData } from '../command-handling/stored-events';
import type { ContactIndexPort } from '../ports/contact-index.port';
import { CONTACT_INDEX } from '../ports/tokens';

/** Personal data as the transport gives it, in clear: sealed by the handler before the decider sees it. */
export type PersonalDataInput = { readonly [K in keyof PersonalData]: PersonalData[K] };

/**
 * A resident command addressed by the resident's reference, as typed; the id is derived from
 * it. Registering and importing take the personal data in clear instead of sealed.
 */
export type ResidentInput<C extends ResidentCommand> = C extends RegisterResident | ImportResident
  ? Omit<C['payload'], 'residentId' | 'personal'> & PersonalDataInput & { readonly reference: string }
  : Omit<C['payload'], 'residentId'> & { readonly reference: string };

/** Register, import one row, verify, assign a ward, erase. */
export class RunResidentCommand<C extends ResidentCommand = ResidentCommand> extends CommandMessage<C['type'], ResidentInput<C>> {}

/** One row for `importNew`: an `ImportResident` as `execute` takes it. */
export interface NewResidentRow {
  readonly payload: ResidentInput<ImportResident>;
  readonly input: CommandInput;
}

/** What `importNew` did with a row: written, refused, or left to `execute` (a resident known already, or not new for sure). */
export type NewResidentOutcome =
  { readonly kind: 'written' } | { readonly kind: 'refused'; readonly error: DomainError } | { readonly kind: 'left' };

const WRITTEN: NewResidentOutcome = { kind: 'written' };
const LEFT: NewResidentOutcome = { kind: 'left' };

/** The resident id: the keyed hash of the normalised reference under the register's key. */
export const residentIdFor = (runtime: CommandRuntime, reference: string): Promise<string> =>
  runtime.pseudonymiser.pseudonymFor({ kind: 'register' }, requireReference(reference));

/**
 * Registering and importing check the personal data and seal it under the resident's key
 * (the vault refuses an erased resident a new key: `RESIDENT.ERASED`). Erasing appends
 * `ResidentErased`, then destroys the key: if the process dies in between, erasing again
 * (which records nothing on an erased stream) or `finishErasures` at start-up destroys it.
 */
@CommandHandler(RunResidentCommand)
export class RunResidentCommandHandler implements ICommandHandler<RunResidentCommand, CommandResult> {
  constructor(
    private readonly runtime: CommandRuntime,
    @Optional() @Inject(CONTACT_INDEX) private readonly contacts?: ContactIndexPort,
  ) {}

  /**
   * Keys made by `importNew` whose streams are not written yet, by resident: a registration or
   * import of one of these residents through `execute` waits for the outcome, so that a key is
   * never discarded after another command sealed under it (within this process).
   */
  private readonly pendingKeys = new Map<string, Promise<void>>();

  async execute({ type, payload, input }: RunResidentCommand): Promise<CommandResult> {
    const { reference, ...rest } = payload as ResidentInput<ResidentCommand> & Partial<PersonalDataInput>;
    const residentId = await residentIdFor(this.runtime, reference);
    const stamped = this.runtime.stamp<ResidentCommand>(type, { ...rest, residentId } as ResidentCommand['payload'], input);
    let command = stamped;
    if (type === 'RegisterResident' || type === 'ImportResident') {
      const { dateOfBirth, name, address, email, ...clear } = rest;
      const personal = requirePersonalData({ dateOfBirth, name, address, email }, stamped.metadata.time);
      for (let pending; (pending = this.pendingKeys.get(residentId));) await pending;
      const sealed = await this.runtime.personalData.seal(residentId, personal);
      command = { ...stamped, payload: { ...clear, residentId, personal: sealed } } as ResidentCommand;
    }
    const result = await this.runtime.run({
      streamName: streams.resident(residentId),
      decider: residentDecider,
      command,
      context: () => undefined,
      expectedRevision: input.expectedRevision,
    });
    if (type === 'EraseResident') {
      await this.runtime.personalData.destroy(residentId);
      await this.contacts?.remove(residentId);
    } else if ((type === 'RegisterResident' || type === 'ImportResident') && this.contacts) {
      await this.contacts.record({ residentId, reference: requireReference(reference), email: (rest as Partial<PersonalDataInput>).email });
    }
    return result;
  }

  /**
   * Imports a group of register rows at once, for those residents the vault has never seen: one
   * write of their keys (which also tells who is new), one atomic append of all their streams
   * (each expected not to exist), then their contact entries in one write. Every other row is
   * left to `execute` (update and verify semantics unchanged); so is every row when a stream
   * turned out to exist already, or when the store takes fewer events in one write (the keys
   * made here are then the ones `execute` finds). Rows are refused for what `execute` would
   * refuse them for, with the same codes. If the append fails otherwise, the keys made here are
   * discarded where no stream was written, and the error is thrown.
   */
  async importNew(rows: readonly NewResidentRow[]): Promise<NewResidentOutcome[]> {
    const outcomes: NewResidentOutcome[] = rows.map(() => LEFT);
    const { store } = this.runtime;
    const vault = this.runtime.personalData;
    if (!store.appendToStreams || !vault.sealNew || !vault.discardNew) return outcomes;
    const candidates: {
      row: number;
      residentId: string;
      /** Normalised. */
      reference: string;
      email?: string;
      command: ImportResident;
      personal: PersonalData;
    }[] = [];
    // Each reference checked first (as `residentIdFor` checks it), then every resident id
    // derived at once: one fetch of the register's key for the group, not one promise per row.
    const named: { row: number; reference: string; payload: NewResidentRow['payload']; input: CommandInput }[] = [];
    for (const [row, { payload, input }] of rows.entries()) {
      try {
        named.push({ row, reference: requireReference(payload.reference), payload, input });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        outcomes[row] = { kind: 'refused', error };
      }
    }
    const references = named.map((n) => n.reference);
    const residentIds = await this.runtime.pseudonymiser.pseudonymsFor({ kind: 'register' }, references);
    const seen = new Set<string>();
    for (const [i, { row, reference, payload, input }] of named.entries()) {
      try {
        const { reference: _typed, dateOfBirth, name, address, email, ...clear } = payload;
        const residentId = residentIds[i];
        if (seen.has(residentId)) continue;
        seen.add(residentId);
        const command = this.runtime.stamp<ImportResident>('ImportResident', { ...clear, residentId } as ImportResident['payload'], input);
        const personal = requirePersonalData({ dateOfBirth, name, address, email }, command.metadata.time);
        candidates.push({ row, residentId, reference, email, command, personal });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        outcomes[row] = { kind: 'refused', error };
      }
    }
    const sealed = await vault.sealNew(candidates.map(({ residentId, personal }) => ({ residentId, data: personal })));
    const fresh = candidates.filter((c) => sealed.has(c.residentId));
    if (fresh.length === 0) return outcomes;
    const freshIds = fresh.map((c) => c.residentId);
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    for (const residentId of freshIds) this.pendingKeys.set(residentId, settled);
    try {
      const parts: StreamAppend[] = [];
      // What is left to do once the streams are written: only this is kept while the append
      // waits for its sync (the commands and the clear personal data are not held that long).
      const writing: { row: number; residentId: string; reference: string; email?: string }[] = [];
      const refused: string[] = [];
      try {
        for (const c of fresh) {
          const command = { ...c.command, payload: { ...c.command.payload, personal: sealed.get(c.residentId)! } };
          try {
            const events = residentDecider.decide(command, residentDecider.initialState(), undefined);
            parts.push({ streamName: streams.resident(c.residentId), events: events.map(toEventData), expectedRevision: 'no_stream' });
            writing.push({ row: c.row, residentId: c.residentId, reference: c.reference, email: c.email });
          } catch (error) {
            if (!isDomainError(error)) throw error;
            outcomes[c.row] = { kind: 'refused', error };
            refused.push(c.residentId);
          }
        }
        candidates.length = 0;
        fresh.length = 0;
        sealed.clear();
        await vault.discardNew(refused);
        if (parts.length > 0) await store.appendToStreams(parts);
      } catch (error) {
        // A resident written meanwhile without a key made here, or more rows than this store takes
        // in one write: `execute` decides each row, and finds the keys made here.
        if (error instanceof WrongExpectedVersionError || error instanceof InvalidInputError) return outcomes;
        await this.discardUnwritten(freshIds);
        throw error;
      }
      for (const c of writing) outcomes[c.row] = WRITTEN;
      await this.contacts?.recordAll(writing.map(({ residentId, reference, email }) => ({ residentId, reference, email })));
      return outcomes;
    } finally {
      for (const residentId of freshIds) this.pendingKeys.delete(residentId);
      settle();
    }
  }

  /**
   * After a failed append, the keys of residents whose streams are not there. When even that
   * cannot be read (the store is down), the keys stay: a key with no record holds nothing
   * personal, and the import tried again finds and uses it.
   */
  private async discardUnwritten(residentIds: readonly string[]): Promise<void> {
    try {
      const absent: string[] = [];
      for (const residentId of residentIds) {
        if ((await this.runtime.store.readStream(streams.resident(residentId), { maxCount: 1 })).length === 0) absent.push(residentId);
      }
      await this.runtime.personalData.discardNew?.(absent);
    } catch {
      // Kept, as said above.
    }
  }
}
