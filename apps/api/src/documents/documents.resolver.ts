import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { AppConfig } from '@civic/config';
import { renderBallotForm, renderPollCardLetters } from '@civic/documents';
import { statement, type ReadModelDatabase } from '@civic/projections';
import type { RequestContext } from '../auth/access.guard';
import { PollCardService } from '../auth/poll-card/poll-card.service';
import { Roles } from '../auth/roles.decorator';
import { ApiError } from '../errors/api-error';
import { FundReader } from '../funds/fund.reader';
import { READ_MODELS } from '../read-models/read-models.module';
import { APP_CONFIG } from '../tokens';

@ObjectType({ description: 'A printable document (PDF), to be saved or printed by the client.' })
export class PrintableDocument {
  @Field({ description: 'A file name to save it as, e.g. ballot-bow-west.pdf.' }) filename!: string;
  @Field({ description: 'application/pdf.' }) contentType!: string;
  @Field({ description: 'The document, base64.' }) base64!: string;
  @Field(() => Int, { description: 'How many pages it has.' }) pages!: number;
}

@ObjectType({ description: 'Poll-card letters, one page per verified resident, with their new printed voting codes. Shown once.' })
export class PollCardLetters {
  @Field(() => PrintableDocument) document!: PrintableDocument;
  @Field(() => Int) residents!: number;
}

/** Printable documents: poll-card letters for a fund, paper ballot forms for a pot (`libs/documents`). */
@Resolver()
export class DocumentsResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    private readonly funds: FundReader,
    private readonly pollCards: PollCardService,
  ) {}

  @Roles('administrator')
  @Mutation(() => PollCardLetters, {
    nullable: true,
    description:
      'Generates a printed voting code for every verified resident for the fund (replacing earlier ones, like generatePollCards) and returns them once as printable letters (PDF, one page per resident, English and Bengali, with the fund’s voting dates in its time zone and PUBLIC_WEB_ADDRESS). Needs the personal-data permission (PERSONAL_DATA_EXPORTERS); recorded as PersonalDataOpened (who, when, how many).',
  })
  async generatePollCardLetters(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Context() context: RequestContext,
  ): Promise<PollCardLetters> {
    const { fund, cards } = await this.pollCards.issue(fundId, context.principal!, 'poll-card-letters');
    const pdf = await renderPollCardLetters(
      {
        name: fund.name,
        votingOpensAt: fund.schedule.votingOpensAt,
        votingClosesAt: fund.schedule.votingClosesAt,
        timeZone: fund.timeZone,
        webAddress: this.config.PUBLIC_WEB_ADDRESS,
      },
      cards,
    );
    return { residents: cards.length, document: document(`poll-card-letters-${slug(fund.name)}.pdf`, pdf, countPages(pdf)) };
  }

  @Roles('reviewer', 'councillor', 'administrator')
  @Query(() => PrintableDocument, {
    description:
      'A printable paper ballot for a pot (PDF, English then Bengali): the pot’s rules in words, its accepted proposals by number and title (with the official cost on knapsack ballots), boxes to mark and the voter’s reference.',
  })
  async ballotForm(@Args('potId', { type: () => ID }) potId: string): Promise<PrintableDocument> {
    if (potId.length > 100) throw new ApiError('INPUT.INVALID', 'No pot has an id this long.');
    const fund = this.funds.byPot(potId);
    const pot = fund?.pots.find((p) => p.id === potId);
    if (!fund || !pot) throw new ApiError('NOT_FOUND', 'No pot has this id.');
    const proposals = statement(
      this.readModels.db,
      `SELECT number, title, official_cost FROM proposals WHERE pot_id = ? AND status = 'accepted' AND number IS NOT NULL ORDER BY number`,
    ).all(potId) as { number: number; title: string; official_cost: number | null }[];
    const pdf = await renderBallotForm({
      fundName: fund.name,
      potName: pot.name,
      ward: pot.ward,
      kind: pot.ballot.kind,
      budgetPence: pot.budget,
      minPicks: pot.ballot.minPicks ?? undefined,
      maxPicks: pot.ballot.maxPicks ?? undefined,
      points: pot.ballot.points ?? undefined,
      webAddress: this.config.PUBLIC_WEB_ADDRESS,
      proposals: proposals.map((p) => ({ number: p.number, title: p.title, costPence: p.official_cost ?? undefined })),
    });
    return document(`ballot-${slug(fund.name)}-${slug(pot.name)}.pdf`, pdf, countPages(pdf));
  }
}

function document(filename: string, pdf: Buffer, pages: number): PrintableDocument {
  return { filename, contentType: 'application/pdf', base64: pdf.toString('base64'), pages };
}

function countPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'document'
  );
}
