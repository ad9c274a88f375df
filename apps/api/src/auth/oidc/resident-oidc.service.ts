import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG } from '../../tokens';
import { RegisterLookup } from '../register-lookup';
import { SessionService, type StartedSession } from '../session.service';
import { SignInRefused } from './oidc-code-flow';

/**
 * Residents' sign-in through a citizen identity provider (GOV.UK One Login, a council citizen
 * account; `OIDC_RESIDENT_*`): the configured claim carries the register reference, and the
 * session is the resident's with that reference, if the register holds them (`AUTH.NOT_REGISTERED`
 * otherwise: the person is authenticated, so telling them is no leak).
 */
@Injectable()
export class ResidentOidcService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly register: RegisterLookup,
  ) {}

  async signIn(claims: Record<string, unknown>): Promise<StartedSession> {
    const claimed = claims[this.config.OIDC_RESIDENT_REFERENCE_CLAIM!];
    const resident = typeof claimed === 'string' ? await this.register.byReference(claimed) : undefined;
    if (!resident) {
      throw new SignInRefused('AUTH.NOT_REGISTERED', 'Your account is not linked to a resident on the register: ask the council.', 403);
    }
    return this.sessions.start({
      subject: resident.reference,
      role: 'resident',
      method: 'oidc-resident',
      providerSubject: `${String(claims.iss)}|${String(claims.sub)}`,
    });
  }
}
