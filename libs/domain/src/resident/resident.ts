import {
  eventFrom,
  isCalendarDate,
  once,
  reject,
  remember,
  requireId,
  requireRole,
  requireText,
  unreachable,
  type Command,
  type DomainEvent,
} from '../common';

// ───────────────────────────── events ─────────────────────────────
// The reference itself is never recorded: the resident id is its keyed hash.

type ResidentRef = { readonly residentId: string };

export type ResidentRegistered = DomainEvent<
  'ResidentRegistered',
  ResidentRef & { readonly dateOfBirth: string; readonly ward: string | null; readonly source: 'self' | 'register' }
>;
export type ResidentVerified = DomainEvent<'ResidentVerified', ResidentRef>;
export type ResidentWardAssigned = DomainEvent<'ResidentWardAssigned', ResidentRef & { readonly ward: string }>;

export type ResidentEvent = ResidentRegistered | ResidentVerified | ResidentWardAssigned;

// ───────────────────────────── state ─────────────────────────────

interface Known {
  readonly residentId: string;
  readonly dateOfBirth: string;
  readonly ward: string | null;
  readonly handled: readonly string[];
}

export type ResidentState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (Known & { readonly status: 'registered' })
  | (Known & { readonly status: 'verified' });

export const initialResidentState = (): ResidentState => ({ status: 'none', handled: [] });

export const evolveResident = (state: ResidentState, event: ResidentEvent): ResidentState => {
  const handled = remember(state.handled, event);
  switch (event.type) {
    case 'ResidentRegistered': {
      const { residentId, dateOfBirth, ward, source } = event.data;
      return { status: source === 'register' ? 'verified' : 'registered', residentId, dateOfBirth, ward, handled };
    }
    case 'ResidentVerified':
      return state.status === 'none' ? state : { ...state, status: 'verified', handled };
    case 'ResidentWardAssigned':
      return state.status === 'none' ? state : { ...state, ward: event.data.ward, handled };
    default:
      return unreachable(event);
  }
};

// ───────────────────────────── commands ─────────────────────────────

/** A resident registers themself; an officer verifies them later. */
export type RegisterResident = Command<'RegisterResident', ResidentRef & { readonly dateOfBirth: string; readonly ward?: string }>;
/** One row of the register of eligible residents: verified on import. */
export type ImportResident = Command<'ImportResident', ResidentRef & { readonly dateOfBirth: string; readonly ward: string }>;
export type VerifyResident = Command<'VerifyResident', ResidentRef>;
export type AssignWard = Command<'AssignWard', ResidentRef & { readonly ward: string }>;

export type ResidentCommand = RegisterResident | ImportResident | VerifyResident | AssignWard;

// ───────────────────────────── decide ─────────────────────────────

const requireDateOfBirth = (value: unknown, command: Command): string =>
  isCalendarDate(value) && value <= command.metadata.time.slice(0, 10)
    ? value
    : reject('RESIDENT.INVALID_DATE_OF_BIRTH', 'The date of birth must be a real date, YYYY-MM-DD, not in the future.');

const requireWard = (value: unknown): string => requireText(value, 100, 'RESIDENT.INVALID_WARD', 'ward');

const requireResident = (state: ResidentState) =>
  state.status === 'none' ? reject('RESIDENT.NOT_FOUND', 'There is no such resident.') : state;

const decideResidentCommand = (command: ResidentCommand, state: ResidentState): ResidentEvent[] => {
  const { actor } = command.metadata;
  switch (command.type) {
    case 'RegisterResident': {
      requireRole(actor, ['resident', 'administrator'], 'register a resident');
      if (state.status !== 'none') return reject('RESIDENT.ALREADY_REGISTERED', 'This resident is already registered.');
      const residentId = requireId(command.payload.residentId, 'resident id');
      const dateOfBirth = requireDateOfBirth(command.payload.dateOfBirth, command);
      const ward = command.payload.ward === undefined ? null : requireWard(command.payload.ward);
      return [eventFrom(command, 'ResidentRegistered', { residentId, dateOfBirth, ward, source: 'self' as const })];
    }
    case 'ImportResident': {
      requireRole(actor, ['administrator'], 'import the register');
      const residentId = requireId(command.payload.residentId, 'resident id');
      const dateOfBirth = requireDateOfBirth(command.payload.dateOfBirth, command);
      const ward = requireWard(command.payload.ward);
      if (state.status === 'verified') return reject('RESIDENT.ALREADY_REGISTERED', 'This resident is already on the register.');
      if (state.status === 'none') {
        return [eventFrom(command, 'ResidentRegistered', { residentId, dateOfBirth, ward, source: 'register' as const })];
      }
      // A resident who registered themself is confirmed by the register, which is authoritative on the ward.
      const verified = eventFrom(command, 'ResidentVerified', { residentId });
      return state.ward === ward ? [verified] : [verified, eventFrom(command, 'ResidentWardAssigned', { residentId, ward })];
    }
    case 'VerifyResident': {
      requireRole(actor, ['reviewer', 'councillor', 'administrator'], 'verify a resident');
      const resident = requireResident(state);
      if (resident.status === 'verified') reject('RESIDENT.ALREADY_VERIFIED', 'This resident is already verified.');
      return [eventFrom(command, 'ResidentVerified', { residentId: resident.residentId })];
    }
    case 'AssignWard': {
      requireRole(actor, ['reviewer', 'councillor', 'administrator'], 'assign a ward');
      const resident = requireResident(state);
      return [eventFrom(command, 'ResidentWardAssigned', { residentId: resident.residentId, ward: requireWard(command.payload.ward) })];
    }
    default:
      return unreachable(command);
  }
};

export const decideResident = once(decideResidentCommand);
