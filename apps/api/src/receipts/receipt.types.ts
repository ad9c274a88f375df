import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A signed checkpoint of the history: an RFC 6962 Merkle root over the hashes of its first eventCount events.' })
export class SignedCheckpoint {
  @Field({ description: 'The checkpoint event’s id in the log.' }) eventId!: string;
  @Field({ description: 'The checkpoint event’s own position in the log. Opaque.' }) position!: string;
  @Field(() => Int) sequence!: number;
  @Field({ description: 'The position of the last event covered. Opaque.' }) upToPosition!: string;
  @Field(() => Int, { description: 'Events covered, from the first: the tree size.' }) eventCount!: number;
  @Field({ description: 'Hex SHA-256.' }) merkleRoot!: string;
  @Field(() => String, { nullable: true, description: 'The chain hash of the previous checkpoint event.' }) previousCheckpointHash!:
    string | null;
  @Field({ description: 'interval, phase_change or timer.' }) reason!: string;
  @Field({ description: 'sha256:<hex> of the signing key (see auditKey).' }) keyId!: string;
  @Field({ description: 'Ed25519 over signedText (UTF-8), base64.' }) signature!: string;
  @Field({ description: 'Exactly what the signature covers: the RFC 8785 JSON of every field of the checkpoint but the signature.' })
  signedText!: string;
}

@ObjectType({ description: 'The RFC 6962 audit path of an event in a checkpoint’s tree (leaf = SHA-256(0x00 ‖ event hash)).' })
export class InclusionProof {
  @Field(() => Int, { description: 'The event’s ordinal in the history, from 0 (not its position).' }) leafIndex!: number;
  @Field(() => Int, { description: 'The checkpoint’s eventCount.' }) treeSize!: number;
  @Field(() => [String], { description: 'Hex SHA-256 hashes, from the leaf up.' }) auditPath!: string[];
}

@ObjectType({ description: 'Where the ballot stands, as much as the fund’s phase lets a receipt tell.' })
export class ReceiptStanding {
  @Field({
    description:
      'recorded (voting open); recorded_voting_closed; once results are published: counted, superseded (by a later ballot of the same voter), withdrawn or voided.',
  })
  status!: string;
  @Field(() => String, { nullable: true, description: 'The public reason of a void.' }) reason?: string;
  @Field(() => ID) potId!: string;
}

@ObjectType({ description: 'What anyone holding a receipt can check, without signing in.' })
export class ReceiptCheck {
  @Field({ description: 'The event’s global position. Opaque.' }) position!: string;
  @Field({ description: 'The event’s hash in the tamper-evident chain, hex.' }) hash!: string;
  @Field({ description: 'The short code of the receipt.' }) code!: string;
  @Field({ description: 'included: a signed checkpoint covers the event (see proof); pending: recorded, proof pending (within a minute).' })
  proofStatus!: string;
  @Field(() => InclusionProof, { nullable: true }) proof?: InclusionProof;
  @Field(() => SignedCheckpoint, { nullable: true, description: 'The latest signed checkpoint, which the proof leads to.' })
  checkpoint?: SignedCheckpoint;
  @Field(() => ReceiptStanding, { nullable: true, description: 'For a ballot’s event; null for any other event.' })
  standing?: ReceiptStanding;
}
