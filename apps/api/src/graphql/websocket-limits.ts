import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { AppConfig } from '@civic/config';
import type { WebSocketServer } from 'ws';
import { APP_CONFIG } from '../tokens';

/**
 * The request-body limit over WebSocket too: a graphql-ws message larger than MAX_BODY_BYTES
 * closes its connection (1009) before it is parsed. Nest builds the WebSocket server itself
 * with ws's default of 100 MiB a message and no option to change it, so the limit is set on
 * it once it exists; if a Nest upgrade moves it, start-up fails here rather than run without.
 */
@Injectable()
export class WebSocketLimits implements OnApplicationBootstrap {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.moduleRef.get(GraphQLModule, { strict: false }).graphQlAdapter as unknown as {
      _subscriptionService?: { wss?: WebSocketServer };
    };
    const wss = adapter._subscriptionService?.wss;
    if (!wss?.options) throw new Error('The GraphQL WebSocket server was not found: its message size limit cannot be set.');
    wss.options.maxPayload = this.config.MAX_BODY_BYTES;
  }
}
