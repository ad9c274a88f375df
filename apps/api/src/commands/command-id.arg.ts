import { ID } from '@nestjs/graphql';

/**
 * The optional `commandId` argument of every mutation: the same id sent again is a safe retry.
 *
 * Every mutation's result is nullable (`@Mutation(() => T, { nullable: true })`), though a
 * success always answers one. GraphQL runs a document's mutation fields one after another, and
 * a failed non-null field nulls its parent: with several aliased mutations, `data` itself, so
 * the client lost the answers of those that had succeeded (a ballot stored, its receipt gone).
 * Nullable, a failure nulls only its own field and reports its error with that field's path.
 * We chose this over refusing a second mutation per document: clients may send related
 * commands together (a resident's ballots in the borough-wide and the ward pot), and each
 * answer reaches them. A test walks the schema so that no mutation forgets it.
 */
export const COMMAND_ID = {
  name: 'commandId',
  type: () => ID,
  nullable: true,
  description: 'A UUID; sending the same one again is a safe retry.',
} as const;
