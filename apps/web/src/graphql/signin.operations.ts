import { operation } from './operation';
import type {
  WebRedeemSignInMutation,
  WebRedeemSignInMutationVariables,
  WebRequestSignInCodeMutation,
  WebRequestSignInCodeMutationVariables,
  WebSignInWithCodeMutation,
  WebSignInWithCodeMutationVariables,
  WebSignInWithPollCardMutation,
  WebSignInWithPollCardMutationVariables,
} from './generated';

type SignInData = { token: string; subject: string; role: 'resident' | 'administrator' | 'reviewer' | 'councillor' | 'auditor' };

/** Step one of the e-mailed code: the same answer whether or not the address is on the register. */
export const REQUEST_SIGN_IN_CODE = operation<WebRequestSignInCodeMutation, WebRequestSignInCodeMutationVariables>(
  `mutation WebRequestSignInCode($identifier: String!) { requestSignInCode(identifier: $identifier) { challenge expiresAt } }`,
);

export const SIGN_IN_WITH_CODE = operation<WebSignInWithCodeMutation, WebSignInWithCodeMutationVariables>(
  `mutation WebSignInWithCode($challenge: String!, $code: String!) { signInWithCode(challenge: $challenge, code: $code) { token subject role } }`,
);

export const SIGN_IN_WITH_POLL_CARD = operation<WebSignInWithPollCardMutation, WebSignInWithPollCardMutationVariables>(
  `mutation WebSignInWithPollCard($reference: String!, $code: String!) { signInWithPollCard(reference: $reference, code: $code) { token subject role } }`,
);

/** After an OpenID Connect callback: the session it started, for the one-time code of its redirect. */
export const REDEEM_SIGN_IN = operation<WebRedeemSignInMutation, WebRedeemSignInMutationVariables>(
  `mutation WebRedeemSignIn($code: String!) { redeemSignIn(code: $code) { token subject role } }`,
);
