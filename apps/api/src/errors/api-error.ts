/** Codes the API itself raises (the domain's and the store's codes pass through as they are). */
export const API_ERROR_CODES = [
  'AUTH.UNAUTHENTICATED',
  'AUTH.FORBIDDEN',
  'AUTH.SIGN_IN_EXPIRED',
  'AUTH.CODE_INVALID',
  'AUTH.CODE_EXPIRED',
  'AUTH.CODE_LOCKED',
  'KIOSK.NOT_ACTIVE',
  'KIOSK.VOTING_NOT_OPEN',
  'INPUT.INVALID',
  'NOTIFICATIONS.NO_EMAIL',
  'RATE_LIMITED',
  'NOT_FOUND',
  'UNAVAILABLE',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** An error for the client: a stable code and a plain message, nothing internal. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
