/**
 * The pure domain of civic-ledger: one decider per aggregate — `decide(command, state,
 * context) → events`, `evolve(state, event) → state`, `initial…State()` — with no I/O,
 * no clock, no randomness, no framework. What a decision needs from other streams is
 * passed in a documented context object that the application layer loads.
 */
export * from './allocation';
export * from './ballot';
export * from './borough';
export * from './common';
export * from './delivery';
export * from './fund';
export * from './paper-batch';
export * from './proposal';
export * from './resident';
export * from './deciders';
