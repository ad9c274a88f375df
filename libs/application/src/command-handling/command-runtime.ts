import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Command, DomainEvent, Pseudonymiser } from '@civic/domain';
import type { EventStore } from '@civic/event-store';
import { VotingGate, type VotingGatePort } from '../ballot/voting-gate';
import type { Clock } from '../ports/clock.port';
import type { PersonalDataVault } from '../ports/personal-data-vault.port';
import { CLOCK, EVENT_STORE, HANDLER_OPTIONS, PERSONAL_DATA_VAULT, PSEUDONYMISER, VOTING_GATE } from '../ports/tokens';
import { PlatformReader } from '../reading/platform-reader';
import { stamp, type CommandInput } from './command-input';
import { handleCommand, type CommandResult, type HandleRequest, type HandlerOptions } from './handle-command';

/**
 * What every handler needs, in one injectable: the store, the clock, the pseudonymiser, the
 * reader of other streams, the voting gate and the vault of personal data. Handlers stay thin: build the command, name
 * the stream, say what context to load.
 */
@Injectable()
export class CommandRuntime {
  readonly reader: PlatformReader;
  readonly gate: VotingGatePort;

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PSEUDONYMISER) readonly pseudonymiser: Pseudonymiser,
    @Optional() @Inject(HANDLER_OPTIONS) private readonly options: HandlerOptions = {},
    @Optional() @Inject(VOTING_GATE) gate?: VotingGatePort,
    @Optional() @Inject(PERSONAL_DATA_VAULT) private readonly vault?: PersonalDataVault,
  ) {
    this.reader = new PlatformReader(store);
    this.gate = gate ?? new VotingGate();
  }

  /** The vault of personal data. No default: keys that died with the process would shred everyone. */
  get personalData(): PersonalDataVault {
    if (!this.vault) throw new Error('No personal data vault is bound: ApplicationModule.forRoot({ personalData })');
    return this.vault;
  }

  /** The injected clock's time: for queries that decide as a command would now. */
  now(): ReturnType<Clock['now']> {
    return this.clock.now();
  }

  stamp<C extends Command>(type: C['type'], payload: C['payload'], input: CommandInput): C {
    return stamp<C>(type, payload, input, this.clock);
  }

  run<C extends Command, E extends DomainEvent, S, X>(request: HandleRequest<C, E, S, X>): Promise<CommandResult> {
    return handleCommand(this.store, request, this.options ?? {});
  }
}
