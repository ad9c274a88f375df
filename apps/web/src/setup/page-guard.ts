/**
 * Who may see a page. Every route declares one; the page framework refuses at start-up to
 * register a route without it (deny by default, like the API's guard for operations).
 */
export type Access = 'public' | 'resident';

export type Verdict = 'allow' | 'sign-in';

export function guard(access: Access | undefined, signedIn: boolean): Verdict {
  switch (access) {
    case 'public':
      return 'allow';
    case 'resident':
      return signedIn ? 'allow' : 'sign-in';
    default:
      throw new Error('A page without declared access is never served.');
  }
}
