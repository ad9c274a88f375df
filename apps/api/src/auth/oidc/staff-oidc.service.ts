import { Inject, Injectable } from '@nestjs/common';
import { staffRoleFrom } from '@civic/auth';
import type { AppConfig } from '@civic/config';
import { APP_CONFIG } from '../../tokens';
import { SessionService, type StartedSession } from '../session.service';
import { SignInRefused } from './oidc-code-flow';
import { StaffAccessLog } from './staff-access-log';

/**
 * Staff sign-in through the council's OpenID provider (`OIDC_STAFF_*`). The role comes from the
 * configured claim through `OIDC_STAFF_ROLES`; no mapped role is a refusal (`AUTH.NO_ROLE`),
 * never a resident session. Each sign-in is recorded for auditors.
 */
@Injectable()
export class StaffOidcService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly accessLog: StaffAccessLog,
  ) {}

  async signIn(claims: Record<string, unknown>): Promise<StartedSession> {
    const role = staffRoleFrom(claims, this.config.OIDC_STAFF_ROLE_CLAIM, this.config.OIDC_STAFF_ROLES);
    if (!role) {
      throw new SignInRefused(
        'AUTH.NO_ROLE',
        'You are signed in with the council, but no role on this platform is given to you: ask an administrator.',
        403,
      );
    }
    const subject = String(claims.sub);
    const started = await this.sessions.start({ subject, role, method: 'oidc-staff', providerSubject: `${String(claims.iss)}|${subject}` });
    await this.accessLog.signedIn({
      subject,
      role,
      method: 'oidc-staff',
      sessionId: started.session.id,
      providerSubject: started.session.providerSubject,
    });
    return started;
  }
}
