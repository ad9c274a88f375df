import { Inject } from '@nestjs/common';
import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { publicKeyPem, type SigningKey } from '@civic/audit';
import { Public } from '../auth/roles.decorator';
import { AUDIT_KEY } from '../tokens';

@ObjectType({ description: 'The public key that verifies the history’s signed checkpoints (`audit verify --public-key`).' })
export class AuditKey {
  @Field({ description: 'Ed25519, SPKI PEM.' }) publicKeyPem!: string;
  @Field({ description: 'sha256:<hex> of the public key.' }) keyId!: string;
}

@Resolver()
export class AuditKeyResolver {
  constructor(@Inject(AUDIT_KEY) private readonly key: SigningKey) {}

  @Public()
  @Query(() => AuditKey, { description: 'The audit public key, published so anyone can verify the checkpoints.' })
  auditKey(): AuditKey {
    return { publicKeyPem: publicKeyPem(this.key.publicKey), keyId: this.key.keyId };
  }
}
