import { Args, Context, Field, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CommandRuntime } from '@civic/application';
import { reject } from '@civic/domain';
import { Inject } from '@nestjs/common';
import type { RequestContext } from '../auth/access.guard';
import type { AuthClock } from '../auth/auth-clock';
import { RegisterLookup } from '../auth/register-lookup';
import { Roles } from '../auth/roles.decorator';
import { CommandGateway } from '../commands/command-gateway';
import { ApiError } from '../errors/api-error';
import { AUTH_CLOCK } from '../tokens';
import { NotificationPreferences } from './notification-preferences';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from './notification-store.port';

@ObjectType({ description: 'Which e-mails the signed-in resident gets, and in which language.' })
export class MyNotifications {
  @Field({
    description: 'E-mails about voting: when it opens, a reminder before it closes if you have not voted, your receipt after you vote.',
  })
  votingEmails!: boolean;
  @Field({ description: 'The language of every e-mail to you (also your sign-in codes and news of your proposals): en or bn.' })
  language!: string;
  @Field({ description: 'Whether the register holds an e-mail address for you (without one, nothing can be sent).' })
  hasEmail!: boolean;
  @Field({ description: 'Whether you have chosen yet (until then: no e-mails about voting, and sign-in codes in English and Bengali).' })
  chosen!: boolean;
}

@InputType({ description: 'Your choice of e-mails.' })
export class MyNotificationsInput {
  @Field() votingEmails!: boolean;
  @Field({ description: 'en or bn.' }) language!: string;
}

/**
 * A resident's own e-mail choices. Opting in needs an address on the register (the address
 * itself is never shown or changed here: it stays sealed in the register).
 */
@Resolver()
export class NotificationPreferencesResolver {
  constructor(
    private readonly preferences: NotificationPreferences,
    private readonly register: RegisterLookup,
    private readonly gateway: CommandGateway,
    private readonly runtime: CommandRuntime,
    @Inject(AUTH_CLOCK) private readonly clock: AuthClock,
  ) {}

  @Roles('resident')
  @Query(() => MyNotifications, { description: 'Your e-mail choices (nothing asked for, in English, until you choose).' })
  async myNotifications(@Context() ctx: RequestContext): Promise<MyNotifications> {
    const residentId = await this.gateway.residentId(ctx.principal!);
    const [preference, resident] = await Promise.all([
      this.preferences.get(residentId),
      this.register.resident(residentId, ctx.principal!.subject),
    ]);
    return {
      votingEmails: preference?.optedIn ?? false,
      language: preference?.language ?? 'en',
      hasEmail: Boolean(resident?.personal.email),
      chosen: preference !== undefined,
    };
  }

  @Roles('resident')
  @Mutation(() => MyNotifications, {
    nullable: true,
    description:
      'Chooses your e-mails: about voting or not, and their language. Refused with NOTIFICATIONS.NO_EMAIL when you ask for e-mails and the register holds no address for you.',
  })
  async setMyNotifications(@Args('input') input: MyNotificationsInput, @Context() ctx: RequestContext): Promise<MyNotifications> {
    if (!(NOTIFICATION_LANGUAGES as readonly string[]).includes(input.language))
      throw new ApiError('INPUT.INVALID', `The language is one of ${NOTIFICATION_LANGUAGES.join(', ')}.`);
    const residentId = await this.gateway.residentId(ctx.principal!);
    const state = (await this.runtime.reader.resident(residentId)).status;
    if (state === 'erased') reject('RESIDENT.ERASED', 'This resident was erased.');
    if (state === 'none') reject('RESIDENT.NOT_FOUND', 'You are not on the register.');
    const resident = await this.register.resident(residentId, ctx.principal!.subject);
    const hasEmail = Boolean(resident?.personal.email);
    if (input.votingEmails && !hasEmail)
      throw new ApiError('NOTIFICATIONS.NO_EMAIL', 'The register holds no e-mail address for you: ask the council to add one.');
    const saved = await this.preferences.set(
      residentId,
      ctx.principal!.subject,
      { optedIn: input.votingEmails, language: input.language as NotificationLanguage },
      this.clock.now(),
    );
    return { votingEmails: saved.optedIn, language: saved.language, hasEmail, chosen: true };
  }
}
