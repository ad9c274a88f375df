export { mountWeb, webAppOf, webSocketTokenOf, type WebOptions } from './mount-web';
export type { Caller, GraphqlRunner } from './graphql/execute';
