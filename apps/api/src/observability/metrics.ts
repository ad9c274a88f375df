import { Controller, Get, Header, Injectable } from '@nestjs/common';
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The API's Prometheus metrics: process defaults plus GraphQL operations by type and outcome. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly operations = new Counter({
    name: 'civic_graphql_operations_total',
    help: 'GraphQL operations by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'civic_graphql_operation_seconds',
    help: 'GraphQL operation duration',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  apolloPlugin(): ApolloServerPlugin {
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse(ctx) {
            const type = ctx.operation?.operation ?? 'unknown';
            const outcome = ctx.errors && ctx.errors.length > 0 ? 'error' : 'ok';
            metrics.operations.inc({ type, outcome });
            metrics.duration.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
          },
        };
      },
    };
  }
}

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
