/** Which claim value gives which role, in order of precedence (from `OIDC_STAFF_ROLES`). */
export type RoleMapping<R extends string> = readonly { readonly role: R; readonly value: string }[];

/**
 * The role a staff member's claims give: the first mapping whose value the claim holds (a claim
 * is a string, or a list of strings as `groups` and `roles` usually are). None when nothing maps:
 * a staff member with no mapped role is refused, never let in as a resident.
 */
export function staffRoleFrom<R extends string>(claims: Record<string, unknown>, claim: string, mapping: RoleMapping<R>): R | undefined {
  const raw = claims[claim];
  const values = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? raw.split(' ') : [];
  return mapping.find((m) => values.includes(m.value))?.role;
}
