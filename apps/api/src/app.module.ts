import { join } from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { ApplicationModule, DerivedKeyPort, type PersonalDataVault, type VotingGatePort } from '@civic/application';
import type { AppConfig } from '@civic/config';
import type { EventStore } from '@civic/event-store';
import type { PlatformSecrets } from '@civic/platform';
import { AccessGuard, type RequestContext } from './auth/access.guard';
import { clientKeyOf, GraphqlThrottlerGuard, upgradeAddress } from './auth/graphql-throttler.guard';
import { TokenService } from './auth/token.service';
import { AUTH_CONTROLLERS, AUTH_RESOLVERS, AUTH_SERVICES } from './auth/auth.providers';
import { NOTIFICATION_RESOLVERS, NOTIFICATION_SERVICES } from './notifications/notifications.providers';
import { NOTIFICATION_STORE } from './notifications/notification.tokens';
import type { NotificationStore } from './notifications/notification-store.port';
import { DocumentsResolver } from './documents/documents.resolver';
import { BearerAuthenticator } from './auth/bearer-authenticator';
import { SessionService } from './auth/session.service';
import { SessionSockets } from './auth/session-sockets';
import { systemAuthClock, type AuthClock } from './auth/auth-clock';
import { ProviderTokenVerifier } from './auth/oidc/provider-token.verifier';
import type { ContactIndex, KeyRing, PollCardStore, SessionStore, SignInCodeStore } from '@civic/auth';
import { PostgresThrottlerStorage } from './auth/postgres-throttler-storage';
import { WindowThrottlerStorage } from './auth/window-throttler-storage';
import { formatError } from './errors/format-error';
import { AllocationResolver } from './allocations/allocation.resolver';
import { AuditKeyResolver } from './audit-log/audit-key.resolver';
import { AuditStatusResolver } from './audit-log/audit-status.resolver';
import type { AuditTrail } from './audit-log/audit-trail';
import { AuditLogResolver } from './audit-log/audit-log.resolver';
import { BallotReceiptResolver } from './ballots/ballot-receipt.resolver';
import { MyBallotResolver } from './ballots/my-ballot.resolver';
import { BallotResolver } from './ballots/ballot.resolver';
import { EligibilityResolver } from './ballots/eligibility.resolver';
import { WardsResolver } from './wards/wards.resolver';
import { TurnoutResolver } from './ballots/turnout.resolver';
import { ImportResolver } from './import/import.resolver';
import { TallyReader } from './ballots/tally.reader';
import { CommandGateway } from './commands/command-gateway';
import { RegisterResolver } from './register/register.resolver';
import { DeliveryResolver } from './delivery/delivery.resolver';
import { EventStoreModule } from './event-store.module';
import { FundReader } from './funds/fund.reader';
import { FundResolver } from './funds/fund.resolver';
import { BallotPublicationResolver, FundPublicationResolver } from './transparency/ballot-publication.resolver';
import { ProposalReader } from './proposals/proposal.reader';
import { ProposalResolver } from './proposals/proposal.resolver';
import { ReadModelsModule } from './read-models/read-models.module';
import { DateTimeScalar } from './graphql/date-time.scalar';
import { nullMeansAbsent } from './graphql/null-arguments';
import { OperationLimits } from './graphql/operation-limits';
import { WebSocketLimits } from './graphql/websocket-limits';
import { VersionResolver } from './graphql/version.resolver';
import { HealthController } from './health/health.controller';
import { PaperBatchResolver } from './paper/paper-batch.resolver';
import { ReceiptResolver } from './receipts/receipt.resolver';
import { ReceiptFinder } from './receipts/receipt-finder';
import { BallotLookupResolver } from './receipts/ballot-lookup.resolver';
import { BulletinBoardResolver } from './transparency/bulletin-board.resolver';
import { ResultsCertificateResolver } from './transparency/results-certificate.resolver';
import { TransparencyController } from './transparency/transparency.controller';
import { TransparencyResolver } from './transparency/transparency.resolver';
import { LiveUpdates } from './live/live-updates';
import { LiveResolver } from './live/live.resolver';
import { ErrorLogFilter } from './observability/error-log.filter';
import { Metrics, MetricsController } from './observability/metrics';
import { TimeTravel } from './time-travel/time-travel';
import { projectRoot } from './project-root';
import {
  APP_CONFIG,
  AUDIT_KEY,
  AUTH_CLOCK,
  CONTACT_INDEX,
  JWT_SECRET,
  POLL_CARDS,
  PURPOSE_KEYS,
  SESSION_STORE,
  SIGN_IN_CODES,
} from './tokens';

/** The schema is generated from the code and committed; a test fails when it is stale. */
export const SCHEMA_FILE = join(projectRoot(), 'apps', 'api', 'schema.graphql');

export { QUERY_LIMITS } from './graphql/operation-limits';

const resolvers = [
  VersionResolver,
  ...AUTH_RESOLVERS,
  FundResolver,
  ProposalResolver,
  BallotResolver,
  BallotReceiptResolver,
  MyBallotResolver,
  EligibilityResolver,
  WardsResolver,
  TurnoutResolver,
  ImportResolver,
  RegisterResolver,
  AllocationResolver,
  LiveResolver,
  DeliveryResolver,
  AuditLogResolver,
  AuditKeyResolver,
  AuditStatusResolver,
  PaperBatchResolver,
  ReceiptResolver,
  BallotLookupResolver,
  TransparencyResolver,
  ResultsCertificateResolver,
  BulletinBoardResolver,
  BallotPublicationResolver,
  FundPublicationResolver,
  DocumentsResolver,
  ...NOTIFICATION_RESOLVERS,
];
const services = [
  CommandGateway,
  ReceiptFinder,
  FundReader,
  ProposalReader,
  TallyReader,
  LiveUpdates,
  TimeTravel,
  WebSocketLimits,
  ...AUTH_SERVICES,
  ...NOTIFICATION_SERVICES,
];

/** What the API is built from: validated config, the opened event store, and the secrets. */
export interface AppDependencies {
  readonly config: AppConfig;
  readonly store: EventStore;
  readonly secrets: PlatformSecrets;
  /** The keys of residents' personal data, in a file apart from the events. */
  readonly personalData: PersonalDataVault;
  /** Orders ballots against the close of voting across API nodes; in-process when absent. */
  readonly votingGate?: VotingGatePort;
  /** The chained store's checkpointer and the key that signs checkpoints (its public half is published). */
  readonly auditTrail: AuditTrail;
  /** Server-side sessions behind the API's tokens. */
  readonly sessions: SessionStore;
  /** Residents' e-mail addresses by keyed hash, for signing in by code. */
  readonly contacts: ContactIndex;
  /** Sign-in code challenges and the outbox that mails them. */
  readonly signInCodes: SignInCodeStore;
  /** Printed voting codes, by keyed hash. */
  readonly pollCards: PollCardStore;
  /** The e-mail notification outbox, its checkpoint in the history and residents' choices. */
  readonly notifications: NotificationStore;
  /** Keys for one purpose each, derived from the secrets. */
  readonly purposeKeys: (purpose: string) => KeyRing;
  /** The clock of sessions and sign-in codes; the system's when absent. */
  readonly authClock?: AuthClock;
  /**
   * A WebSocket upgrade's token when it sends none in its connection params: the page session of
   * its cookie (filled in once the web pages are mounted), so live pages never hold a token.
   */
  readonly upgradeToken?: { of?: (headers: { cookie?: string; origin?: string; host?: string }) => Promise<string | undefined> };
  /** What to release once everything else has stopped (the vault, the voting gate's pool). */
  readonly release?: readonly (() => Promise<unknown>)[];
}
const controllers = [HealthController, MetricsController, TransparencyController, ...AUTH_CONTROLLERS];

@Module({})
export class AppModule {
  static forRoot({
    config,
    store,
    secrets,
    personalData,
    votingGate,
    auditTrail,
    sessions,
    contacts,
    signInCodes,
    pollCards,
    notifications,
    purposeKeys,
    authClock = systemAuthClock,
    upgradeToken = {},
    release = [],
  }: AppDependencies): DynamicModule {
    const configModule: DynamicModule = {
      module: class ConfigModule {},
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: AUDIT_KEY, useValue: auditTrail.key },
        { provide: JWT_SECRET, useValue: secrets.jwtSecret },
        { provide: SESSION_STORE, useValue: sessions },
        { provide: AUTH_CLOCK, useValue: authClock },
        { provide: CONTACT_INDEX, useValue: contacts },
        { provide: SIGN_IN_CODES, useValue: signInCodes },
        { provide: PURPOSE_KEYS, useValue: purposeKeys },
        { provide: POLL_CARDS, useValue: pollCards },
        { provide: NOTIFICATION_STORE, useValue: notifications },
        Metrics,
        TokenService,
        SessionService,
        SessionSockets,
        BearerAuthenticator,
        ProviderTokenVerifier,
      ],
      exports: [
        APP_CONFIG,
        AUDIT_KEY,
        JWT_SECRET,
        SESSION_STORE,
        AUTH_CLOCK,
        CONTACT_INDEX,
        SIGN_IN_CODES,
        PURPOSE_KEYS,
        POLL_CARDS,
        NOTIFICATION_STORE,
        Metrics,
        TokenService,
        SessionService,
        SessionSockets,
        BearerAuthenticator,
      ],
    };
    const production = config.NODE_ENV === 'production';
    return {
      module: AppModule,
      imports: [
        configModule,
        EventStoreModule.forRoot(store, auditTrail, release),
        ApplicationModule.forRoot({ store, keys: new DerivedKeyPort(secrets.keyMasterSecret), personalData, votingGate, contacts }),
        ReadModelsModule,
        TerminusModule,
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'per-client', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
          storage:
            config.RATE_LIMIT_STORE === 'postgres'
              ? new PostgresThrottlerStorage({ connectionString: config.DATABASE_URL, schema: config.DATABASE_SCHEMA })
              : new WindowThrottlerStorage(),
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [Metrics, BearerAuthenticator, SessionSockets],
          useFactory: (metrics: Metrics, bearer: BearerAuthenticator, sockets: SessionSockets) => {
            // The same limits for every operation, over HTTP and over WebSocket.
            const limits = new OperationLimits();
            return {
              ...limits.apollo,
              autoSchemaFile: config.NODE_ENV === 'development' ? SCHEMA_FILE : true,
              sortSchema: true,
              transformSchema: nullMeansAbsent,
              // Any field typed Date is the strict RFC 3339 scalar, never Nest's lenient one.
              buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
              // GraphiQL and Apollo Sandbox load their code from the internet: off. The README
              // says how to explore the schema offline.
              playground: false,
              graphiql: false,
              introspection: config.GRAPHQL_INTROSPECTION,
              csrfPrevention: true,
              includeStacktraceInErrorResponses: !production,
              fieldResolverEnhancers: ['guards'],
              formatError: formatError(production),
              plugins: [...limits.apollo.plugins, ApolloServerPluginLandingPageDisabled(), metrics.apolloPlugin()],
              subscriptions: {
                'graphql-ws': {
                  path: '/graphql',
                  // Each operation re-checks the connection's token (it may have expired since it
                  // connected): refused with AUTH.UNAUTHENTICATED, not by closing the socket.
                  onSubscribe: async (ctx: { connectionParams?: Record<string, unknown> }, id: string, payload: SubscribePayload) => {
                    try {
                      await bearer.principalFrom(ctx.connectionParams?.authorization);
                    } catch (err) {
                      return [err as GraphQLError];
                    }
                    return limits.onSubscribe(ctx, id, payload);
                  },
                  // A bad token refuses the connection; no token connects anonymously. A signed-in
                  // connection is kept under its session: signing out closes it (4401).
                  onConnect: async (ctx: { connectionParams?: Record<string, unknown>; extra: unknown }) => {
                    if (!ctx.connectionParams?.authorization) {
                      const headers = (ctx.extra as { request?: { headers?: Record<string, string | undefined> } } | undefined)?.request
                        ?.headers;
                      const token = headers && (await upgradeToken.of?.(headers));
                      // Every later hook (each operation's check, the context) reads it from here.
                      if (token) ctx.connectionParams = { ...ctx.connectionParams, authorization: `Bearer ${token}` };
                    }
                    try {
                      const principal = await bearer.principalFrom(ctx.connectionParams?.authorization);
                      const socket = (ctx.extra as { socket?: Parameters<SessionSockets['add']>[1] } | undefined)?.socket;
                      if (principal?.sessionId && socket) sockets.add(principal.sessionId, socket);
                      return true;
                    } catch {
                      return false;
                    }
                  },
                  // The same error mapping as over HTTP: stable codes, nothing internal.
                  onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: { errors?: readonly GraphQLError[] }) =>
                    result.errors ? { ...result, errors: result.errors.map((e) => formatError(production)(e.toJSON(), e)) } : undefined,
                  onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) =>
                    errors.map((e) => formatError(production)(e.toJSON(), e)),
                },
              },
              // Over HTTP, Apollo's Fastify integration passes the request and the reply; over
              // graphql-ws, the connection's params and the socket's upgrade request.
              context: async (
                arg: {
                  headers?: Record<string, unknown>;
                  ip?: string;
                  connectionParams?: Record<string, unknown>;
                  extra?: { request?: any };
                },
                reply?: unknown,
              ) => {
                if (!arg.headers && arg.extra) {
                  const principal = await bearer.principalFrom(arg.connectionParams?.authorization);
                  return { principal, clientKey: clientKeyOf(upgradeAddress(arg.extra.request), principal?.subject) };
                }
                const req = arg;
                const principal = await bearer.principalFrom(req.headers?.authorization);
                const clientKey = clientKeyOf(req.ip, principal?.subject);
                return { req, res: reply, principal, clientKey };
              },
            };
          },
        }),
      ],
      controllers,
      providers: [
        ...resolvers,
        ...services,
        { provide: APP_GUARD, useClass: GraphqlThrottlerGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ErrorLogFilter },
      ],
    };
  }
}
