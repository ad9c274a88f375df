import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const ACCESS_KEY = 'civic:access';

/** Who may call an operation or read a field. Without one of these, nobody may: deny by default. */
export type Access = { readonly public: true } | { readonly roles: readonly Role[] };

/** Anyone, signed in or not. */
export const Public = () => SetMetadata(ACCESS_KEY, { public: true } satisfies Access);

/** Only callers signed in with one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { roles } satisfies Access);
