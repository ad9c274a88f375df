/** The platform's read models: projections of the event log into SQL tables, shared by the API and the CLI. */
export * from './projections';
export * from './fund.projection';
export * from './proposal.projection';
export * from './tally.projection';
export * from './register.projection';
export * from './wards.projection';
export * from './delivery.projection';
export * from './voided-ballots.projection';
export * from './paper-batches.projection';
export * from './timeline.projection';
export * from './assisted-ballots.projection';
