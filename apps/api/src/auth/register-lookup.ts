import { Injectable } from '@nestjs/common';
import { CommandRuntime } from '@civic/application';
import { requireReference, streams, type PersonalData, type ResidentEvent } from '@civic/domain';

/** A resident as sign-in needs them: the reference (the session's subject) and the personal data on the register. */
export interface RegisteredResident {
  readonly residentId: string;
  readonly reference: string;
  readonly personal: PersonalData;
}

/**
 * Reads a resident's personal data from the register: their stream's last registration, opened
 * with their key from the vault. Nothing for an erased resident (their key is gone anyway).
 */
@Injectable()
export class RegisterLookup {
  constructor(private readonly runtime: CommandRuntime) {}

  /** The resident a typed reference names; nothing for a malformed or unknown one. */
  async byReference(typed: string): Promise<RegisteredResident | undefined> {
    const reference = this.normalise(typed);
    return reference ? this.resident(await this.residentId(reference), reference) : undefined;
  }

  /** A typed reference as the register holds it; nothing for one that cannot be a reference. */
  normalise(typed: string): string | undefined {
    try {
      return requireReference(typed);
    } catch {
      return undefined;
    }
  }

  residentId(reference: string): Promise<string> {
    return this.runtime.pseudonymiser.pseudonymFor({ kind: 'register' }, reference);
  }

  async resident(residentId: string, reference: string): Promise<RegisteredResident | undefined> {
    const events = (await this.runtime.store.readStream(streams.resident(residentId))) as unknown as ResidentEvent[];
    if (events.some((e) => e.type === 'ResidentErased')) return undefined;
    const registered = [...events].reverse().find((e) => e.type === 'ResidentRegistered');
    if (!registered || registered.type !== 'ResidentRegistered' || !registered.data.personal) return undefined;
    const personal = await this.runtime.personalData.open(residentId, registered.data.personal);
    return personal ? { residentId, reference, personal } : undefined;
  }
}
