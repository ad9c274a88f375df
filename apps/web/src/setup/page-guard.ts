/**
 * Who may see a page. Every route declares one; the page framework refuses at start-up to
 * register a route without it (deny by default, like the API's guard for operations).
 *
 * - `public`: anyone, signed in or not.
 * - `resident`: a signed-in resident (anyone else signed in is refused, not sent to sign in).
 * - `signed-in`: anyone signed in, resident or staff.
 * - `{ staff: [...] }`: a member of staff in one of these roles.
 */
export type StaffRole = 'administrator' | 'reviewer' | 'councillor' | 'auditor';
export type Role = 'resident' | StaffRole;
export type Access = 'public' | 'resident' | 'signed-in' | { readonly staff: readonly StaffRole[] };

export const STAFF_ROLES: readonly StaffRole[] = ['administrator', 'reviewer', 'councillor', 'auditor'];

export type Verdict = 'allow' | 'sign-in' | 'forbidden';

export function guard(access: Access | undefined, role: Role | undefined): Verdict {
  if (access === 'public') return 'allow';
  if (access === 'resident' || access === 'signed-in') {
    if (!role) return 'sign-in';
    return access === 'signed-in' || role === 'resident' ? 'allow' : 'forbidden';
  }
  if (access && typeof access === 'object' && Array.isArray(access.staff) && access.staff.length > 0) {
    if (!role) return 'sign-in';
    return (access.staff as readonly string[]).includes(role) ? 'allow' : 'forbidden';
  }
  throw new Error('A page without declared access is never served.');
}

/** Whether a signed-in principal of this role may use the page (for menus and the matrix test). */
export const allows = (access: Access, role: Role | undefined): boolean => guard(access, role) === 'allow';
