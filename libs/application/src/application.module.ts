import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { EventStore } from '@civic/event-store';
import { ComputeAllocationHandler } from './allocation/compute-allocation';
import { GetPotResultsHandler } from './allocation/get-pot-results';
import { RunAllocationCommandHandler } from './allocation/run-allocation-command';
import { GetMyEligibilityHandler } from './ballot/get-my-eligibility';
import { RunBallotCommandHandler } from './ballot/run-ballot-command';
import { ImportPabulibHandler } from './import/import-pabulib';
import { VotingGate, type VotingGatePort } from './ballot/voting-gate';
import { CommandRuntime } from './command-handling/command-runtime';
import type { HandlerOptions } from './command-handling/handle-command';
import { RunDeliveryCommandHandler } from './delivery/run-delivery-command';
import { RunFundCommandHandler } from './fund/run-fund-command';
import { RunWardsCommandHandler } from './fund/run-wards-command';
import { EnterPaperBatchHandler } from './paper-batch/enter-paper-batch';
import { CorrectRefusedPaperEntryHandler } from './paper-batch/correct-refused-entry';
import { RunPaperBatchCommandHandler } from './paper-batch/run-paper-batch-command';
import { systemClock, type Clock } from './ports/clock.port';
import { HmacPseudonymiser } from './ports/hmac-pseudonymiser';
import type { KeyPort } from './ports/key.port';
import type { PersonalDataVault } from './ports/personal-data-vault.port';
import type { ContactIndexPort } from './ports/contact-index.port';
import { CLOCK, CONTACT_INDEX, EVENT_STORE, HANDLER_OPTIONS, KEYS, PERSONAL_DATA_VAULT, PSEUDONYMISER, VOTING_GATE } from './ports/tokens';
import { MergeDuplicatesHandler } from './proposal/merge-duplicates';
import { RunProposalCommandHandler } from './proposal/run-proposal-command';
import { ErasureSweep } from './resident/finish-erasures';
import { ImportRegisterHandler } from './resident/import-register';
import { RunResidentCommandHandler } from './resident/run-resident-command';

/** Every command handler, one per use case or aggregate. */
export const COMMAND_HANDLERS = [
  RunFundCommandHandler,
  RunWardsCommandHandler,
  RunResidentCommandHandler,
  ImportRegisterHandler,
  RunProposalCommandHandler,
  MergeDuplicatesHandler,
  RunBallotCommandHandler,
  ImportPabulibHandler,
  RunPaperBatchCommandHandler,
  EnterPaperBatchHandler,
  CorrectRefusedPaperEntryHandler,
  ComputeAllocationHandler,
  RunAllocationCommandHandler,
  RunDeliveryCommandHandler,
];

/** Every query handler. */
export const QUERY_HANDLERS = [GetPotResultsHandler, GetMyEligibilityHandler];

export interface ApplicationModuleOptions {
  readonly store: EventStore;
  readonly keys: KeyPort;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** @defaultValue `{ maxAttempts: 5 }` */
  readonly handler?: HandlerOptions;
  /**
   * Where several API nodes share one PostgreSQL store, a `PostgresVotingGate` on it.
   * @defaultValue the in-process `VotingGate` (one API process)
   */
  readonly votingGate?: VotingGatePort;
  /**
   * The vault of residents' personal data (e.g. `SqlitePersonalDataVault` on `<data>/keys.sqlite`).
   * Without it, registering, importing, erasing and voting fail: there is deliberately no
   * in-memory default, whose keys would die with the process. When bound, erasures left
   * half-done by a crash are finished at start-up.
   * @defaultValue none
   */
  readonly personalData?: PersonalDataVault;
  /**
   * The index that finds a resident by e-mail address for signing in (kept at registration,
   * removed at erasure).
   * @defaultValue none (nothing is indexed)
   */
  readonly contacts?: ContactIndexPort;
}

/** The ports, from the options given at boot. */
const portProviders = (options: ApplicationModuleOptions): Provider[] => [
  { provide: EVENT_STORE, useValue: options.store },
  { provide: KEYS, useValue: options.keys },
  { provide: CLOCK, useValue: options.clock ?? systemClock },
  { provide: HANDLER_OPTIONS, useValue: options.handler ?? {} },
  { provide: VOTING_GATE, useValue: options.votingGate ?? new VotingGate() },
  ...(options.personalData ? [{ provide: PERSONAL_DATA_VAULT, useValue: options.personalData }, ErasureSweep] : []),
  ...(options.contacts ? [{ provide: CONTACT_INDEX, useValue: options.contacts }] : []),
  { provide: PSEUDONYMISER, useFactory: (keys: KeyPort) => new HmacPseudonymiser(keys), inject: [KEYS] },
];

/** The use cases, carried by `@nestjs/cqrs`: `commandBus.execute(new RunBallotCommand(...))`, `queryBus.execute(new GetPotResultsQuery(...))`. */
@Module({})
export class ApplicationModule {
  static forRoot(options: ApplicationModuleOptions): DynamicModule {
    return {
      module: ApplicationModule,
      imports: [CqrsModule.forRoot()],
      providers: [...portProviders(options), CommandRuntime, ...COMMAND_HANDLERS, ...QUERY_HANDLERS],
      exports: [CqrsModule, CommandRuntime],
    };
  }
}
