import { AuthResolver } from './auth.resolver';
import { EmailCodeResolver } from './email-code/email-code.resolver';
import { EmailCodeService } from './email-code/email-code.service';
import { Mailer } from './email-code/mailer';
import { SignInOutbox } from './email-code/sign-in-outbox';
import { StaffAccessLog } from './oidc/staff-access-log';
import { ResidentOidcController, StaffOidcController } from './oidc/oidc.controllers';
import { ResidentOidcService } from './oidc/resident-oidc.service';
import { StaffOidcService } from './oidc/staff-oidc.service';
import { PollCardResolver } from './poll-card/poll-card.resolver';
import { PollCardService } from './poll-card/poll-card.service';
import { RegisterLookup } from './register-lookup';
import { KioskResolver } from './kiosk/kiosk.resolver';
import { KioskService } from './kiosk/kiosk.service';

/** Signing in, in the AppModule: the resolvers, the services and the browser's routes. */
export const AUTH_RESOLVERS = [AuthResolver, EmailCodeResolver, PollCardResolver, KioskResolver];
export const AUTH_SERVICES = [
  StaffOidcService,
  ResidentOidcService,
  StaffAccessLog,
  EmailCodeService,
  SignInOutbox,
  Mailer,
  RegisterLookup,
  PollCardService,
  KioskService,
];
export const AUTH_CONTROLLERS = [StaffOidcController, ResidentOidcController];
