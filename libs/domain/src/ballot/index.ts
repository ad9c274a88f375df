export * from './ballot-content';
export * from './ballot.commands';
export * from './ballot.decide';
export * from './ballot.events';
export * from './ballot.state';
