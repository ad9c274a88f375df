import { ADMIN, eventFrom, once, reject, remember, requireRole, requireText, type Command, type DomainEvent } from '../common';

// ------------------------------------------------------------------ events

/**
 * The borough's wards, as the council names them (e.g. from the boundary commission's list):
 * each configuration replaces the list before it. Pots are for configured wards only.
 */
export type WardsConfigured = DomainEvent<'WardsConfigured', { readonly wards: readonly string[] }>;
export type WardsEvent = WardsConfigured;

// ------------------------------------------------------------------ state

export interface WardsState {
  /** Empty until a list is configured: then any ward name is taken (funds set up before wards existed). */
  readonly wards: readonly string[];
  readonly handled: readonly string[];
}

export const initialWardsState = (): WardsState => ({ wards: [], handled: [] });

export const evolveWards = (state: WardsState, event: WardsEvent): WardsState => ({
  wards: event.data.wards,
  handled: remember(state.handled, event),
});

// ------------------------------------------------------------------ commands

export type ConfigureWards = Command<'ConfigureWards', { readonly wards: readonly string[] }>;
export type WardsCommand = ConfigureWards;

/** At most this many wards: London boroughs have 15 to 30. */
export const MAX_WARDS = 200;

/** Ward names compare without case or surrounding space: "Bow East" and "bow east " are one ward. */
export const wardKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();

export const decideWards = once((command: WardsCommand, state: WardsState): WardsEvent[] => {
  requireRole(command.metadata.actor, ADMIN, 'configure the wards');
  const given = command.payload.wards;
  if (!Array.isArray(given) || given.length === 0 || given.length > MAX_WARDS)
    reject('WARDS.INVALID', `Give between 1 and ${MAX_WARDS} wards.`);
  const wards = given.map((w) => requireText(w, 100, 'WARDS.INVALID', 'ward').normalize('NFKC').trim().replace(/\s+/gu, ' '));
  const keys = wards.map(wardKey);
  if (new Set(keys).size !== keys.length) reject('WARDS.INVALID', 'Each ward is named once.');
  if (wards.length === state.wards.length && wards.every((w, i) => w === state.wards[i])) return [];
  return [eventFrom(command, 'WardsConfigured', { wards })];
});

/** Whether a ward may have a pot: any while none are configured, else a configured one. */
export const isConfiguredWard = (wards: readonly string[], ward: string): boolean =>
  wards.length === 0 || wards.some((w) => wardKey(w) === wardKey(ward));
