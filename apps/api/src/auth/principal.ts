/** The roles of DESIGN.md (a councillor is a reviewer who may also ratify and publish). A token carries exactly one. */
export const ROLES = ['resident', 'reviewer', 'councillor', 'administrator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified token: never more than a subject id and a role. */
export interface Principal {
  readonly subject: string;
  readonly role: Role;
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
