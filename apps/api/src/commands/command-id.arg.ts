import { ID } from '@nestjs/graphql';

/** The optional `commandId` argument of every mutation: the same id sent again is a safe retry. */
export const COMMAND_ID = {
  name: 'commandId',
  type: () => ID,
  nullable: true,
  description: 'A UUID; sending the same one again is a safe retry.',
} as const;
