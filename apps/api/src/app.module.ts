import { join } from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { AppConfig } from '@civic/config';
import { EventStoreModule } from './event-store.module';
import { VersionResolver } from './graphql/version.resolver';
import { HealthController } from './health/health.controller';
import { APP_CONFIG } from './tokens';

/** The schema is generated from the code and committed; CI fails when it is stale. */
export const SCHEMA_FILE = join(__dirname, '..', 'schema.graphql');

const resolvers = [VersionResolver];
const controllers = [HealthController];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: class ConfigModule {}, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        EventStoreModule,
        TerminusModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: config.NODE_ENV === 'development' ? SCHEMA_FILE : true,
          sortSchema: true,
          // GraphiQL and Apollo Sandbox load their code from the internet: off. See the README
          // for exploring the schema offline (schema.graphql, introspection from any client).
          playground: false,
          graphiql: false,
          plugins: [ApolloServerPluginLandingPageDisabled()],
          csrfPrevention: true,
          includeStacktraceInErrorResponses: config.NODE_ENV !== 'production',
        }),
      ],
      controllers,
      providers: resolvers,
    };
  }
}
