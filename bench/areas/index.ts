/** The bench areas, by the name given on the command line. */
export type BenchArea = (flags: string[]) => Promise<void>;

export const AREAS: Record<string, BenchArea> = {
  api: (flags) => import('./api').then((m) => m.run(flags)),
  audit: (flags) => import('./audit').then((m) => m.run(flags)),
  allocation: (flags) => import('./allocation').then((m) => m.run(flags)),
  'event-store': (flags) => import('./event-store').then((m) => m.run(flags)),
  postgres: (flags) => import('./postgres').then((m) => m.run(flags)),
  rehearsal: (flags) => import('./rehearsal').then((m) => m.run(flags)),
  'register-import': (flags) => import('./register-import').then((m) => m.run(flags)),
  'time-travel': (flags) => import('./time-travel').then((m) => m.run(flags)),
  throttler: (flags) => import('./throttler').then((m) => m.run(flags)),
  transparency: (flags) => import('./transparency').then((m) => m.run(flags)),
  web: (flags) => import('./web').then((m) => m.run(flags)),
};
