import { Args, Context, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { RequestContext } from '../access.guard';
import { RoleName, SignIn } from '../auth.resolver';
import { Public, Roles } from '../roles.decorator';
import { KioskService, type KioskRecord } from './kiosk.service';

@ObjectType({ description: 'A device in kiosk mode for assisted voting: the fund it is for and where it stands.' })
export class Kiosk {
  @Field(() => ID) kioskId!: string;
  @Field(() => ID) fundId!: string;
  @Field({ description: 'The library, community centre or event where the device stands.' }) place!: string;
  @Field() startedAt!: Date;
}

@ObjectType({ description: 'A kiosk just switched on, and the token its device (only) keeps for signing residents in.' })
export class StartedKiosk {
  @Field(() => Kiosk) kiosk!: Kiosk;
  @Field({ description: 'Names the kiosk to signInAtKiosk, kiosk and endKiosk; shown once.' }) device!: string;
}

const view = (kiosk: KioskRecord): Kiosk => ({
  kioskId: kiosk.kioskId,
  fundId: kiosk.fundId,
  place: kiosk.place,
  startedAt: new Date(kiosk.startedAt),
});

@Resolver()
export class KioskResolver {
  constructor(private readonly kiosks: KioskService) {}

  @Roles('reviewer', 'councillor', 'administrator')
  @Mutation(() => StartedKiosk, {
    nullable: true,
    description:
      'Switches a device to kiosk mode for a fund whose voting is open, at a place, recorded as KioskStarted (who, where, when). Residents then sign in at it with their poll card; their ballots carry the officer and the place.',
  })
  async startKiosk(
    @Args('fundId', { type: () => ID }) fundId: string,
    @Args('place') place: string,
    @Context() context: RequestContext,
  ): Promise<StartedKiosk> {
    const { kiosk, device } = await this.kiosks.start(fundId, place, context.principal!);
    return { kiosk: view(kiosk), device };
  }

  @Public()
  @Query(() => Kiosk, { nullable: true, description: 'The kiosk a device token names, while it is in force; null otherwise.' })
  async kiosk(@Args('device') device: string): Promise<Kiosk | null> {
    try {
      return view(await this.kiosks.live(device));
    } catch {
      return null;
    }
  }

  @Public()
  @Mutation(() => SignIn, {
    nullable: true,
    description:
      'Residents, at a kiosk: signs in with the register reference and the poll card code for the kiosk’s fund. The session ends after two minutes without a request.',
  })
  async signInAtKiosk(@Args('device') device: string, @Args('reference') reference: string, @Args('code') code: string): Promise<SignIn> {
    const { token, session } = await this.kiosks.signIn(device, reference, code);
    return { token, subject: session.subject, role: RoleName.resident, expiresAt: new Date(session.absoluteExpiresAt) };
  }

  @Roles('reviewer', 'councillor', 'administrator')
  @Mutation(() => Boolean, {
    nullable: true,
    description:
      'Ends kiosk mode (the officer who started it, or an administrator, signed in again), recorded as KioskEnded; residents still signed in at it are signed out.',
  })
  endKiosk(@Args('device') device: string, @Context() context: RequestContext): Promise<boolean> {
    return this.kiosks.end(device, context.principal!);
  }
}
