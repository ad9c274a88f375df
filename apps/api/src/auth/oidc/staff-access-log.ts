import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, JsonObject } from '@civic/event-store';
import { AUTH_CLOCK, EVENT_STORE } from '../../tokens';
import type { AuthClock } from '../auth-clock';
import { appendAccessEvents, digestOf } from '../access-events';
import type { Principal } from '../principal';

/** The events of staff access, in a `staffAccess-…` stream per provider subject. */
export const STAFF_ACCESS_EVENTS = ['StaffSignedIn', 'StaffSignedOut', 'StaffRoleChanged'] as const;
export type StaffAccessEventType = (typeof STAFF_ACCESS_EVENTS)[number];

/**
 * Records staff sign-ins, sign-outs and role changes in the history, where auditors read them
 * (`auditLog(streamCategory: "staffAccess")`): who (staff id and role), when, which provider
 * subject, which session (by a hash, never the id that a token carries). A role change is the
 * role a sign-in maps to differing from the one recorded last for that provider subject.
 */
@Injectable()
export class StaffAccessLog {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
  ) {}

  async signedIn(principal: Principal): Promise<void> {
    const stream = streamOf(principal);
    const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    const lastRole = (last?.data as { role?: string } | undefined)?.role;
    const events: [StaffAccessEventType, JsonObject][] = [];
    if (lastRole !== undefined && lastRole !== principal.role) {
      events.push(['StaffRoleChanged', { ...this.who(principal), from: lastRole, to: principal.role }]);
    }
    events.push(['StaffSignedIn', this.who(principal)]);
    await this.append(stream, principal, events);
  }

  async signedOut(principal: Principal): Promise<void> {
    await this.append(streamOf(principal), principal, [['StaffSignedOut', this.who(principal)]]);
  }

  private who(principal: Principal): JsonObject {
    return {
      staffId: principal.subject,
      role: principal.role,
      providerSubject: principal.providerSubject ?? null,
      method: principal.method,
      session: principal.sessionId ? digestOf(principal.sessionId, 16) : null,
    };
  }

  private append(stream: string, principal: Principal, events: [StaffAccessEventType, JsonObject][]): Promise<void> {
    return appendAccessEvents(this.store, stream, principal, this.clock.now(), events);
  }
}

const streamOf = (principal: Principal) => `staffAccess-${digestOf(principal.providerSubject ?? principal.subject)}`;
