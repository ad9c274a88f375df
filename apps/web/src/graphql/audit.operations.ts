import { operation } from './operation';
import type {
  WebAuditBulletinQuery,
  WebAuditBulletinQueryVariables,
  WebAuditFundAsOfQuery,
  WebAuditFundAsOfQueryVariables,
  WebAuditFundsQuery,
  WebAuditFundsQueryVariables,
  WebAuditLogQuery,
  WebAuditLogQueryVariables,
  WebAuditStatusQuery,
  WebAuditStatusQueryVariables,
  WebAuditTallyAsOfQuery,
  WebAuditTallyAsOfQueryVariables,
} from './generated';

export type AuditCheckpoint = NonNullable<WebAuditStatusQuery['auditStatus']['checkpoint']>;

export const WEB_AUDIT_STATUS = operation<WebAuditStatusQuery, WebAuditStatusQueryVariables>(`query WebAuditStatus {
  auditStatus {
    checkpoint { sequence eventCount merkleRoot keyId upToPosition reason }
    checkpointRecordedAt checkpointCount historyEvents signatureValid keyMatches rootMatches consistentWithPrevious
  }
  auditKey { publicKeyPem keyId }
}`);

export type AuditLogEvent = WebAuditLogQuery['auditLog']['events'][number];

export interface AuditLogVariables {
  after?: string;
  first: number;
  streamCategory?: string;
  streamName?: string;
  eventType?: string;
}

export const WEB_AUDIT_LOG = operation<WebAuditLogQuery, WebAuditLogQueryVariables>(
  `query WebAuditLog($after: String, $first: Int!, $streamCategory: String, $streamName: String, $eventType: String) {
  auditLog(after: $after, first: $first, streamCategory: $streamCategory, streamName: $streamName, eventType: $eventType) {
    events { position streamName revision type recordedAt data metadata redacted }
    endCursor
  }
}`,
);

export const WEB_AUDIT_FUNDS = operation<WebAuditFundsQuery, WebAuditFundsQueryVariables>(`query WebAuditFunds {
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
  WebAuditFundAsOfQuery,
  WebAuditFundAsOfQueryVariables
>(`query WebAuditFundAsOf($id: ID!, $asOf: String) {
  fund(id: $id, asOf: $asOf) { id name phase timeZone position pots { id name budget } }
  proposals(fundId: $id, asOf: $asOf, first: 100, order: number) { totalCount edges { node { id number title status potId } } }
}`);

export const WEB_AUDIT_TALLY_AS_OF = operation<
  WebAuditTallyAsOfQuery,
  WebAuditTallyAsOfQueryVariables
>(`query WebAuditTallyAsOf($potId: ID!, $asOf: String) {
  tally(potId: $potId, asOf: $asOf) { potId ballots paperBallots asOfPosition lines { proposalId supporters points } }
}`);

export const WEB_AUDIT_BULLETIN = operation<WebAuditBulletinQuery, WebAuditBulletinQueryVariables>(`query WebAuditBulletin($potId: ID!) {
  bulletinBoard(potId: $potId) { potId pabulib }
}`);
