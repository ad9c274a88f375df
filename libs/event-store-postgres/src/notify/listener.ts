import { Client, type ClientConfig } from 'pg';

/**
 * One dedicated connection that LISTENs on a channel and hands each notification's payload
 * (empty when it had none) to `onPayload`, from this process or any other. If the connection
 * drops it reconnects a moment later and then calls `onReconnected`: what was notified meanwhile
 * is lost, so the caller catches up its own way (the event store's subscribers read on from their
 * position; session holders have a slower sweep).
 */
export class ChannelListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly onReconnected: () => void = () => undefined,
    private readonly reconnectDelayMs = 1000,
  ) {}

  /** Whether the LISTEN connection is up (false while it reconnects). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Resolves once listening; rejects when the first connection fails. */
  async start(): Promise<void> {
    const client = new Client(this.config);
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onPayload(msg.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) await client.end().catch(() => undefined);
    else this.client = client;
  }

  /** Resolves once listening or, when the first connection fails, at once, trying again in the background. */
  async startOrRetry(): Promise<void> {
    await this.start().catch(() => this.reconnectLater());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private dropped(client: Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.start().then(
        () => this.onReconnected(),
        () => this.reconnectLater(),
      );
    }, this.reconnectDelayMs);
    this.retry.unref();
  }
}

/**
 * The event store's listener: calls `onNotify` for every commit, and once reconnected (events may
 * have been committed while it was down); subscribers also poll, so a lost notice only delays them.
 */
export class NotificationListener extends ChannelListener {
  constructor(config: ClientConfig, channel: string, onNotify: () => void, reconnectDelayMs = 1000) {
    super(config, channel, () => onNotify(), onNotify, reconnectDelayMs);
  }
}
