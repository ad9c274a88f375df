import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG } from '../../tokens';

/** One plain-text message. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * Sends mail through the council's SMTP server (nodemailer): `SMTP_HOST`, `SMTP_PORT`, TLS from
 * the first byte (`SMTP_SECURE`) or STARTTLS required (`SMTP_REQUIRE_TLS`), credentials. Only
 * the outbox worker calls it, never a request.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(message: MailMessage): Promise<void> {
    this.transport ??= createTransport({
      host: this.config.SMTP_HOST,
      port: this.config.SMTP_PORT,
      secure: this.config.SMTP_SECURE,
      requireTLS: this.config.SMTP_REQUIRE_TLS,
      ignoreTLS: !this.config.SMTP_SECURE && !this.config.SMTP_REQUIRE_TLS,
      auth: this.config.SMTP_USER ? { user: this.config.SMTP_USER, pass: this.config.SMTP_PASSWORD } : undefined,
      connectionTimeout: 10_000,
    });
    await this.transport.sendMail({ from: this.config.SMTP_FROM, ...message });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
