import { operation } from './operation';

export interface AuditCheckpoint {
  sequence: number;
  eventCount: number;
  merkleRoot: string;
  keyId: string;
  upToPosition: string;
  reason: string;
}

export const WEB_AUDIT_STATUS = operation<{
  auditStatus: {
    checkpoint: AuditCheckpoint | null;
    checkpointRecordedAt: string | null;
    checkpointCount: number;
    historyEvents: number;
    signatureValid: boolean | null;
    keyMatches: boolean | null;
    rootMatches: boolean | null;
    consistentWithPrevious: boolean | null;
  };
  auditKey: { publicKeyPem: string; keyId: string };
}>(`query WebAuditStatus {
  auditStatus {
    checkpoint { sequence eventCount merkleRoot keyId upToPosition reason }
    checkpointRecordedAt checkpointCount historyEvents signatureValid keyMatches rootMatches consistentWithPrevious
  }
  auditKey { publicKeyPem keyId }
}`);

export interface AuditLogEvent {
  position: string;
  streamName: string;
  revision: number;
  type: string;
  recordedAt: string;
  data: string;
  metadata: string;
  redacted: boolean;
}

export interface AuditLogVariables {
  after?: string;
  first: number;
  streamCategory?: string;
  streamName?: string;
  eventType?: string;
}

export const WEB_AUDIT_LOG = operation<{ auditLog: { events: AuditLogEvent[]; endCursor: string | null } }, AuditLogVariables>(
  `query WebAuditLog($after: String, $first: Int!, $streamCategory: String, $streamName: String, $eventType: String) {
  auditLog(after: $after, first: $first, streamCategory: $streamCategory, streamName: $streamName, eventType: $eventType) {
    events { position streamName revision type recordedAt data metadata redacted }
    endCursor
  }
}`,
);

export const WEB_AUDIT_FUNDS = operation<{ funds: { id: string; name: string; timeZone: string }[] }>(`query WebAuditFunds {
  funds { id name timeZone }
}`);

export interface AuditFundAsOf {
  id: string;
  name: string;
  phase: string;
  timeZone: string;
  position: string;
  pots: { id: string; name: string; budget: string }[];
}

export const WEB_AUDIT_FUND_AS_OF = operation<
  {
    fund: AuditFundAsOf | null;
    proposals: {
      totalCount: number;
      edges: { node: { id: string; number: number | null; title: string; status: string; potId: string } }[];
    };
  },
  { id: string; asOf: string }
>(`query WebAuditFundAsOf($id: ID!, $asOf: String) {
  fund(id: $id, asOf: $asOf) { id name phase timeZone position pots { id name budget } }
  proposals(fundId: $id, asOf: $asOf, first: 100, order: number) { totalCount edges { node { id number title status potId } } }
}`);

export const WEB_AUDIT_TALLY_AS_OF = operation<
  {
    tally: {
      potId: string;
      ballots: number;
      paperBallots: number;
      asOfPosition: string;
      lines: { proposalId: string; supporters: number; points: number }[];
    } | null;
  },
  { potId: string; asOf: string }
>(`query WebAuditTallyAsOf($potId: ID!, $asOf: String) {
  tally(potId: $potId, asOf: $asOf) { potId ballots paperBallots asOfPosition lines { proposalId supporters points } }
}`);

export const WEB_AUDIT_BULLETIN = operation<
  { bulletinBoard: { potId: string; pabulib: string } },
  { potId: string }
>(`query WebAuditBulletin($potId: ID!) {
  bulletinBoard(potId: $potId) { potId pabulib }
}`);
