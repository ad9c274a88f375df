import { Inject, Injectable } from '@nestjs/common';
import { receiptCode } from '@civic/audit';
import { CommandRuntime } from '@civic/application';
import type { AppConfig } from '@civic/config';
import { isDomainError, type ExistingFund, type ProposalState } from '@civic/domain';
import type { RecordedEvent } from '@civic/event-store';
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
 *
 * What a message quotes (a proposal's title and author, a fund's name, pots and dates) is read
 * from the streams in the event store, never from this node's read models: on nodes sharing one
 * store, another node may move the reactor's checkpoint past events this node has not folded yet,
 * and the store always holds the event being planned and everything before it.
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runtime: CommandRuntime,
    private readonly preferences: NotificationPreferences,
  ) {}

  async plan(event: RecordedEvent): Promise<NewNotification[]> {
    const data = event.data as Data;
    const type = event.type as NotifyingEvent;
    switch (type) {
      case 'ProposalAccepted':
      case 'ProposalRejected':
      case 'ProposalMerged':
        return this.toAuthor(event, type, data, await this.proposal(String(data.proposalId)));
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
    const fund = await this.fund(fundId);
    const resident = await this.runtime.reader.resident(residentId);
    if (!fund || resident.status === 'none' || resident.status === 'erased') return false;
    return fund.pots.some((pot) => pot.scope.kind === 'borough' || pot.scope.ward === resident.ward);
  }

  /** A fund as its stream holds it; undefined for none. */
  private async fund(fundId: string): Promise<ExistingFund | undefined> {
    try {
      return await this.runtime.reader.fund(fundId);
    } catch (err) {
      if (isDomainError(err) && err.code === 'FUND.NOT_FOUND') return undefined;
      throw err;
    }
  }

  private async proposal(proposalId: string): Promise<Exclude<ProposalState, { status: 'none' }> | undefined> {
    const proposal = await this.runtime.reader.proposal(proposalId);
    return proposal.status === 'none' ? undefined : proposal;
  }

  link(path: string): string {
    return `${this.config.PUBLIC_WEB_ADDRESS.replace(/\/+$/, '')}${path}`;
  }

  private async toAuthor(
    event: RecordedEvent,
    type: 'ProposalAccepted' | 'ProposalRejected' | 'ProposalMerged',
    data: Data,
    proposal: Exclude<ProposalState, { status: 'none' }> | undefined,
  ): Promise<NewNotification[]> {
    if (!proposal) return [];
    const fund = await this.fund(proposal.fundId);
    const base = {
      fundId: proposal.fundId,
      title: proposal.title,
      fund: fund?.name ?? '',
      link: this.link(`/proposals/${proposal.proposalId}`),
    };
    const key = `${event.id}:${proposal.authorId}`;
    switch (type) {
      case 'ProposalAccepted':
        return [
          {
            key,
            kind: 'proposal-accepted',
            residentId: proposal.authorId,
            params: { ...base, number: Number(data.number ?? 0), officialCostPence: Number(data.officialCost) },
          },
        ];
      case 'ProposalRejected':
        return [{ key, kind: 'proposal-rejected', residentId: proposal.authorId, params: { ...base, reason: String(data.reason) } }];
      case 'ProposalMerged': {
        const survivor = await this.proposal(String(data.survivorId));
        return [
          {
            key,
            kind: 'proposal-merged',
            residentId: proposal.authorId,
            params: {
              ...base,
              survivor: survivor?.title ?? '',
              ...(survivor?.status === 'accepted' && survivor.number !== undefined ? { survivorNumber: survivor.number } : {}),
              link: this.link(`/proposals/${String(data.survivorId)}`),
            },
          },
        ];
      }
    }
  }

  private async votingOpened(event: RecordedEvent, fundId: string): Promise<NewNotification[]> {
    const fund = await this.fund(fundId);
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
          closesAt: new Date(fund.schedule.votingClosesAt).toISOString(),
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
    const fund = await this.fund(fundId);
    const pot = fund?.pots.find((p) => p.potId === data.potId);
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
          closesAt: new Date(fund?.schedule.votingClosesAt ?? event.recordedAt).toISOString(),
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
