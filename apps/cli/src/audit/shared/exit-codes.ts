/** Exit codes of the audit commands, for scripts. */
export const EXIT = {
  ok: 0,
  /** The history failed a check; the report says which. */
  failed: 1,
  /** Bad options. */
  usage: 2,
  /** Stopped by SIGINT (128 + 2): the report covers what was checked before. */
  interrupted: 130,
} as const;
