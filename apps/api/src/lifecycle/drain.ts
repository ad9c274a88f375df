import type { FastifyInstance } from 'fastify';

/**
 * Draining before shutdown. On the signal the server keeps listening for a moment: requests
 * already sent (on open or queued connections) are read and answered, each answer closing its
 * connection, until nothing has been in flight or arrived for `quietMs` (or `maxMs` passed);
 * only then is the listener closed. Closing at once would reset every connection whose request
 * the server had not read yet, leaving its client unsure whether its ballot was taken.
 */
export class Drain {
  private inFlight = 0;
  private lastArrival = 0;
  private draining = false;

  constructor(private readonly now: () => number = Date.now) {}

  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (_request, reply, done) => {
      this.inFlight++;
      this.lastArrival = this.now();
      if (this.draining) reply.header('connection', 'close');
      done();
    });
    fastify.addHook('onResponse', (_request, _reply, done) => {
      this.inFlight--;
      done();
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Resolves once quiet: no request in flight and none arrived for `quietMs`; at most `maxMs`. */
  async drain({ quietMs = 250, maxMs = 10_000 } = {}): Promise<void> {
    this.draining = true;
    const started = this.now();
    while (this.now() - started < maxMs && (this.inFlight > 0 || this.now() - this.lastArrival < quietMs)) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
