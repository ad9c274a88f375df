import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  requirePersonalData,
  requireReference,
  residentDecider,
  streams,
  type ImportResident,
  type PersonalData,
  type RegisterResident,
  type ResidentCommand,
} from '@civic/domain';
import { CommandMessage } from '../command-handling/command-message';
import { CommandRuntime } from '../command-handling/command-runtime';
import type { CommandResult } from '../command-handling/handle-command';
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

  async execute({ type, payload, input }: RunResidentCommand): Promise<CommandResult> {
    const { reference, ...rest } = payload as ResidentInput<ResidentCommand> & Partial<PersonalDataInput>;
    const residentId = await residentIdFor(this.runtime, reference);
    const stamped = this.runtime.stamp<ResidentCommand>(type, { ...rest, residentId } as ResidentCommand['payload'], input);
    let command = stamped;
    if (type === 'RegisterResident' || type === 'ImportResident') {
      const { dateOfBirth, name, address, email, ...clear } = rest;
      const personal = requirePersonalData({ dateOfBirth, name, address, email }, stamped.metadata.time);
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
}
