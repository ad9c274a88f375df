export { mountWeb, webAppOf, type WebOptions } from './mount-web';
