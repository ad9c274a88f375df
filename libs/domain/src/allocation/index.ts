export * from './allocation.commands';
export * from './allocation.decide';
export * from './allocation.events';
export * from './allocation.state';
export * from './line-explanation';
