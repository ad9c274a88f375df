/** Command groups of the CLI, loaded lazily so that one group's dependencies never slow another. */
export type CommandGroup = (args: string[]) => Promise<number>;

export const GROUPS: Record<string, CommandGroup> = {
  projections: (args) => import('./projections').then((m) => m.run(args)),
  audit: (args) => import('./audit').then((m) => m.run(args)),
  pb: (args) => import('./pb').then((m) => m.run(args)),
  secrets: (args) => import('./secrets').then((m) => m.run(args)),
};
