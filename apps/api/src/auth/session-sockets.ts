import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { sessionRefusal } from '@civic/auth';
import { SessionService } from './session.service';

/** graphql-ws's close code for a connection whose sign-in no longer holds (CloseCode.Unauthorized). */
export const SIGNED_OUT_CLOSE = 4401;

/** What this registry needs of a ws socket. */
interface ClosableSocket {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** How often sessions revoked on another node are looked for among this node's connections (should its notice be lost). */
const RECHECK_MS = 30_000;

/**
 * The GraphQL WebSocket connections of each signed-in session on this node. A sign-out or a
 * revocation here closes that session's connections at once (4401), so a subscription never
 * outlives its sign-in; so does one on another node sharing a PostgreSQL session store, whose
 * notice arrives as it commits. One whose notice was lost (this node's listening connection was
 * down) is found within half a minute.
 */
@Injectable()
export class SessionSockets implements OnModuleDestroy {
  private readonly bySession = new Map<string, Set<ClosableSocket>>();
  private readonly recheck: NodeJS.Timeout;

  constructor(private readonly sessions: SessionService) {
    sessions.onEnded((sessionId) => this.close(sessionId));
    this.recheck = setInterval(() => void this.closeRevoked().catch(() => undefined), RECHECK_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.recheck);
  }

  /** Keeps a connection under its session until it closes. */
  add(sessionId: string, socket: ClosableSocket): void {
    let sockets = this.bySession.get(sessionId);
    if (!sockets) this.bySession.set(sessionId, (sockets = new Set()));
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.bySession.get(sessionId) === sockets) this.bySession.delete(sessionId);
    });
  }

  /** Closes every connection of a session. */
  close(sessionId: string): void {
    const sockets = this.bySession.get(sessionId);
    this.bySession.delete(sessionId);
    for (const socket of sockets ?? []) socket.close(SIGNED_OUT_CLOSE, 'Signed out');
  }

  private async closeRevoked(): Promise<void> {
    for (const sessionId of [...this.bySession.keys()]) {
      if (sessionRefusal(await this.sessions.find(sessionId), this.sessions.now()) === 'revoked') this.close(sessionId);
    }
  }
}
