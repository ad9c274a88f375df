export { mountWeb, type WebOptions } from './mount-web';
