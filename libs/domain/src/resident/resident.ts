import {
  eventFrom,
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
import { requireSealed, type SealedPersonalData } from './personal-data';

// ───────────────────────────── events ─────────────────────────────
// The reference itself is never recorded: the resident id is its keyed hash. Personal data
// (name, address, email, date of birth) is recorded only sealed under the resident's key;
// the ward stays in clear, for eligibility and tallies per ward (see README.md here).

type ResidentRef = { readonly residentId: string };

/** Schema version 2: personal data sealed (version 1 held the date of birth in clear). */
export type ResidentRegistered = DomainEvent<
  'ResidentRegistered',
  ResidentRef & { readonly ward: string | null; readonly source: 'self' | 'register'; readonly personal: SealedPersonalData }
>;
export type ResidentVerified = DomainEvent<'ResidentVerified', ResidentRef>;
export type ResidentWardAssigned = DomainEvent<'ResidentWardAssigned', ResidentRef & { readonly ward: string }>;
/** The resident's key is destroyed after this event: their personal data is gone for good. Who erased is in the metadata. */
export type ResidentErased = DomainEvent<'ResidentErased', ResidentRef & { readonly reason: string }>;

export type ResidentEvent = ResidentRegistered | ResidentVerified | ResidentWardAssigned | ResidentErased;

// ───────────────────────────── state ─────────────────────────────

interface Known {
  readonly residentId: string;
  readonly ward: string | null;
  /** Null only for a stream registered before personal data was sealed (schema version 1). */
  readonly personal: SealedPersonalData | null;
  readonly handled: readonly string[];
}

export type ResidentState =
  | { readonly status: 'none'; readonly handled: readonly string[] }
  | (Known & { readonly status: 'registered' })
  | (Known & { readonly status: 'verified' })
  /** Erased: nothing personal is kept, and the stream refuses every command (`RESIDENT.ERASED`). */
  | { readonly status: 'erased'; readonly residentId: string; readonly handled: readonly string[] };

export const initialResidentState = (): ResidentState => ({ status: 'none', handled: [] });

export const evolveResident = (state: ResidentState, event: ResidentEvent): ResidentState => {
  const handled = remember(state.handled, event);
  switch (event.type) {
    case 'ResidentRegistered': {
      const { residentId, ward, source, personal } = event.data;
      return { status: source === 'register' ? 'verified' : 'registered', residentId, ward, personal: personal ?? null, handled };
    }
    case 'ResidentVerified':
      return state.status === 'none' || state.status === 'erased' ? state : { ...state, status: 'verified', handled };
    case 'ResidentWardAssigned':
      return state.status === 'none' || state.status === 'erased' ? state : { ...state, ward: event.data.ward, handled };
    case 'ResidentErased':
      return { status: 'erased', residentId: event.data.residentId, handled };
    default:
      return unreachable(event);
  }
};

// ───────────────────────────── commands ─────────────────────────────
// `personal` arrives sealed: the application checked it (`requirePersonalData`) and sealed it.

/** A resident registers themself; an officer verifies them later. */
export type RegisterResident = Command<'RegisterResident', ResidentRef & { readonly ward?: string; readonly personal: SealedPersonalData }>;
/** One row of the register of eligible residents: verified on import. */
export type ImportResident = Command<'ImportResident', ResidentRef & { readonly ward: string; readonly personal: SealedPersonalData }>;
export type VerifyResident = Command<'VerifyResident', ResidentRef>;
export type AssignWard = Command<'AssignWard', ResidentRef & { readonly ward: string }>;
/** An administrator erases a resident (e.g. on a request under UK GDPR article 17), with the reason. */
export type EraseResident = Command<'EraseResident', ResidentRef & { readonly reason: string }>;

export type ResidentCommand = RegisterResident | ImportResident | VerifyResident | AssignWard | EraseResident;

// ───────────────────────────── decide ─────────────────────────────

const requireWard = (value: unknown): string => requireText(value, 100, 'RESIDENT.INVALID_WARD', 'ward');

// The stream id is the keyed hash of the reference, so an erased resident who registers
// again, however they type the reference, lands on this stream: they cannot vote twice in a fund.
const refuseErased = <S extends ResidentState>(state: S): Exclude<S, { status: 'erased' }> =>
  state.status === 'erased' ? reject('RESIDENT.ERASED', 'This resident was erased.') : (state as Exclude<S, { status: 'erased' }>);

const requireResident = (state: ResidentState) => {
  const current = refuseErased(state);
  return current.status === 'none' ? reject('RESIDENT.NOT_FOUND', 'There is no such resident.') : current;
};

const decideResidentCommand = (command: ResidentCommand, state: ResidentState): ResidentEvent[] => {
  const { actor } = command.metadata;
  switch (command.type) {
    case 'RegisterResident': {
      requireRole(actor, ['resident', 'administrator'], 'register a resident');
      refuseErased(state);
      if (state.status !== 'none') return reject('RESIDENT.ALREADY_REGISTERED', 'This resident is already registered.');
      const residentId = requireId(command.payload.residentId, 'resident id');
      const ward = command.payload.ward === undefined ? null : requireWard(command.payload.ward);
      const personal = requireSealed(command.payload.personal);
      return [eventFrom(command, 'ResidentRegistered', { residentId, ward, source: 'self' as const, personal }, 2)];
    }
    case 'ImportResident': {
      requireRole(actor, ['administrator'], 'import the register');
      const current = refuseErased(state);
      const residentId = requireId(command.payload.residentId, 'resident id');
      const ward = requireWard(command.payload.ward);
      const personal = requireSealed(command.payload.personal);
      if (current.status === 'verified') return reject('RESIDENT.ALREADY_REGISTERED', 'This resident is already on the register.');
      if (current.status === 'none') {
        return [eventFrom(command, 'ResidentRegistered', { residentId, ward, source: 'register' as const, personal }, 2)];
      }
      // A resident who registered themself is confirmed by the register, which is authoritative on the ward.
      const verified = eventFrom(command, 'ResidentVerified', { residentId });
      return current.ward === ward ? [verified] : [verified, eventFrom(command, 'ResidentWardAssigned', { residentId, ward })];
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
    case 'EraseResident': {
      requireRole(actor, ['administrator'], 'erase a resident');
      const reason = requireText(command.payload.reason, 2000, 'COMMAND.INVALID', 'reason');
      // Erasing again records nothing, so the application can call it again to finish
      // destroying a key that a crash left behind.
      if (state.status === 'erased') return [];
      const resident = requireResident(state);
      return [eventFrom(command, 'ResidentErased', { residentId: resident.residentId, reason })];
    }
    default:
      return unreachable(command);
  }
};

export const decideResident = once(decideResidentCommand);
