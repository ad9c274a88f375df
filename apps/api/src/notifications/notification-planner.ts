import { Inject, Injectable } from '@nestjs/common';
import { receiptCode } from '@civic/audit';
import { CommandRuntime } from '@civic/application';
import type { AppConfig } from '@civic/config';
import type { RecordedEvent } from '@civic/event-store';
import { FundReader } from '../funds/fund.reader';
import { ProposalReader } from '../proposals/proposal.reader';
import { APP_CONFIG } from '../tokens';
import type { NewNotification, NotificationPreference } from './notification-store.port';
import { NotificationPreferences } from './notification-preferences';

/** The events the reactor reads; others never reach it. */
export const NOTIFYING_EVENTS = [
  'ProposalAccepted',
  'ProposalRejected',
  'ProposalMerged',
  'VotingOpened',
  'BallotCast',
  'BallotReplaced',
  'ResidentErased',
] as const;
type NotifyingEvent = (typeof NOTIFYING_EVENTS)[number];

type Data = Record<string, unknown>;

/**
 * Turns events into the messages they call for: a proposal's author hears of its review; the
 * residents who opted in hear that voting opened (in a pot they may vote in) and get the
 * receipt of each ballot they cast online. Every message's key names its event (and its
 * recipient), so planning one event twice queues its messages once.
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runtime: CommandRuntime,
    private readonly funds: FundReader,
    private readonly proposals: ProposalReader,
    private readonly preferences: NotificationPreferences,
  ) {}

  async plan(event: RecordedEvent): Promise<NewNotification[]> {
    const data = event.data as Data;
    const type = event.type as NotifyingEvent;
    switch (type) {
      case 'ProposalAccepted':
      case 'ProposalRejected':
      case 'ProposalMerged':
        return this.toAuthor(event, type, data);
      case 'VotingOpened':
        return this.votingOpened(event, String(data.fundId));
      case 'BallotCast':
      case 'BallotReplaced':
        return this.receipt(event, data);
      case 'ResidentErased':
        // Nothing more is sent to them: their choice and their unsent messages go (their address went with their key).
        await this.preferences.forget(String(data.residentId));
        return [];
      default: {
        const unhandled: never = type;
        return unhandled;
      }
    }
  }

  /** A resident may vote in the pot: a borough-wide one, or their ward's. */
  async eligible(residentId: string, fundId: string): Promise<boolean> {
    const fund = this.funds.get(fundId);
    const resident = await this.runtime.reader.resident(residentId);
    if (!fund || resident.status === 'none' || resident.status === 'erased') return false;
    return fund.pots.some((pot) => !pot.ward || pot.ward === resident.ward);
  }

  link(path: string): string {
    return `${this.config.PUBLIC_WEB_ADDRESS.replace(/\/+$/, '')}${path}`;
  }

  private toAuthor(event: RecordedEvent, type: 'ProposalAccepted' | 'ProposalRejected' | 'ProposalMerged', data: Data): NewNotification[] {
    const proposal = this.proposals.get(String(data.proposalId));
    if (!proposal) return [];
    const fund = this.funds.get(proposal.fundId);
    const base = { fundId: proposal.fundId, title: proposal.title, fund: fund?.name ?? '', link: this.link(`/proposals/${proposal.id}`) };
    const key = `${event.id}:${proposal.authorId}`;
    switch (type) {
      case 'ProposalAccepted':
        return [
          {
            key,
            kind: 'proposal-accepted',
            residentId: proposal.authorId,
            params: { ...base, number: Number(data.number ?? proposal.number ?? 0), officialCostPence: Number(data.officialCost) },
          },
        ];
      case 'ProposalRejected':
        return [{ key, kind: 'proposal-rejected', residentId: proposal.authorId, params: { ...base, reason: String(data.reason) } }];
      case 'ProposalMerged': {
        const survivor = this.proposals.get(String(data.survivorId));
        return [
          {
            key,
            kind: 'proposal-merged',
            residentId: proposal.authorId,
            params: {
              ...base,
              survivor: survivor?.title ?? '',
              ...(survivor?.number !== undefined ? { survivorNumber: survivor.number } : {}),
              link: this.link(`/proposals/${String(data.survivorId)}`),
            },
          },
        ];
      }
    }
  }

  private async votingOpened(event: RecordedEvent, fundId: string): Promise<NewNotification[]> {
    const fund = this.funds.get(fundId);
    if (!fund) return [];
    const messages: NewNotification[] = [];
    for (const preference of await this.preferences.optedIn()) {
      if (!(await this.eligible(preference.residentId, fundId))) continue;
      messages.push({
        key: `${event.id}:${preference.residentId}`,
        kind: 'voting-opened',
        residentId: preference.residentId,
        params: {
          fundId,
          fund: fund.name,
          closesAt: fund.schedule.votingClosesAt.toISOString(),
          link: this.link(`/funds/${fundId}/proposals`),
        },
      });
    }
    return messages;
  }

  private async receipt(event: RecordedEvent, data: Data): Promise<NewNotification[]> {
    if ((data.source as { channel?: string } | undefined)?.channel !== 'online') return [];
    const fundId = String(data.fundId);
    const voter = await this.voterOf(fundId, String(data.voter));
    const hash = (event.metadata.chain as { hash?: unknown } | undefined)?.hash;
    if (!voter || typeof hash !== 'string') return [];
    const fund = this.funds.get(fundId);
    const pot = fund?.pots.find((p) => p.id === data.potId);
    const code = receiptCode(hash);
    return [
      {
        key: `${event.id}:${voter.residentId}`,
        kind: 'ballot-receipt',
        residentId: voter.residentId,
        params: {
          fundId,
          fund: fund?.name ?? '',
          pot: pot?.name ?? '',
          code,
          link: this.link(`/receipt?code=${encodeURIComponent(code)}`),
          closesAt: (fund?.schedule.votingClosesAt ?? new Date(event.recordedAt)).toISOString(),
        },
      },
    ];
  }

  /** The opted-in resident a ballot's pseudonym belongs to, if any (ballots name nobody). */
  private async voterOf(fundId: string, pseudonym: string): Promise<NotificationPreference | undefined> {
    const voters = await this.preferences.votersOf(fundId, (reference) =>
      this.runtime.pseudonymiser.pseudonymFor({ kind: 'fund', fundId }, reference),
    );
    return voters.get(pseudonym);
  }
}
