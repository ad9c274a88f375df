export { mountWeb, webAppOf, webSocketTokenOf, type WebOptions } from './mount-web';
