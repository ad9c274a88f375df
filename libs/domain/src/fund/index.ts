export * from './fund.commands';
export * from './fund.decide';
export * from './fund.events';
export * from './fund.state';
export * from './pot';
export * from './rule-keys';
