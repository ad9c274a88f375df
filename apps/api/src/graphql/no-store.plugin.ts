import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Every GraphQL answer is marked `cache-control: no-store`: what Apollo's cache-control plugin
 * said of every one of them, since no field gives a cache hint. That plugin is off
 * (`ApolloServerPluginCacheControlDisabled`): it computed a hint for every field of every
 * answer, a good share of a small query's work, to reach this same header.
 */
export const noStorePlugin = (): ApolloServerPlugin => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
});
