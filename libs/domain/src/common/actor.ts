import { reject } from './errors';

export const ROLES = ['resident', 'reviewer', 'councillor', 'administrator', 'auditor', 'system'] as const;
/**
 * `councillor` is the reviewer who may also ratify, override and publish allocations;
 * `system` is the platform itself acting on a schedule (e.g. computing an allocation).
 */
export type Role = (typeof ROLES)[number];

/**
 * Who issued a command. `id` must already be pseudonymous when it reaches the domain:
 * for a resident voting, the per-fund voter pseudonym; for staff, their staff id.
 */
export interface Actor {
  readonly role: Role;
  readonly id: string;
}

/** Rejects with `AUTH.FORBIDDEN` unless the actor has one of the roles. */
export const requireRole = (actor: Actor, roles: readonly Role[], what: string): void => {
  if (!roles.includes(actor.role)) reject('AUTH.FORBIDDEN', `Your role may not ${what}.`);
};

export const STAFF: readonly Role[] = ['reviewer', 'councillor'];
export const ADMIN: readonly Role[] = ['administrator'];
