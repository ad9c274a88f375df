import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { ResidentErased } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import { CommandRuntime } from '../command-handling/command-runtime';
import { toDomainEvent } from '../command-handling/stored-events';
import type { ContactIndexPort } from '../ports/contact-index.port';
import type { PersonalDataVault } from '../ports/personal-data-vault.port';
import { CONTACT_INDEX } from '../ports/tokens';
import { readCategories } from '../reading/read-category';

/**
 * Destroys the key of every erased resident. Erasure appends `ResidentErased` first and
 * destroys the key after; a process that died in between left a key behind, and this finishes
 * it (destroying is idempotent). Returns how many erasures it saw.
 */
export const finishErasures = async (store: EventStore, vault: PersonalDataVault, contacts?: ContactIndexPort): Promise<number> => {
  let seen = 0;
  for await (const recorded of readCategories(store, ['resident'], ['ResidentErased'])) {
    const { residentId } = toDomainEvent<ResidentErased>(recorded).data;
    await vault.destroy(residentId);
    await contacts?.remove(residentId);
    seen++;
  }
  return seen;
};

/** Runs `finishErasures` when the application starts, once a vault is bound. */
@Injectable()
export class ErasureSweep implements OnApplicationBootstrap {
  constructor(
    private readonly runtime: CommandRuntime,
    @Optional() @Inject(CONTACT_INDEX) private readonly contacts?: ContactIndexPort,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await finishErasures(this.runtime.store, this.runtime.personalData, this.contacts);
  }
}
