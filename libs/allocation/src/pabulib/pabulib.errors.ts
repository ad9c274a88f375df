import { AllocationError } from '../allocation.errors';

/** A .pb file that cannot be read: `line` (1-based) and what is wrong there. Nothing is returned. */
export class PabulibError extends AllocationError {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super('PABULIB.MALFORMED', `Malformed pabulib file, line ${line}: ${reason}`);
    this.name = 'PabulibError';
  }
}
