import type { PageRoute, WebApp } from '../web-app';

/** The pages a UK council service must have: accessibility statement, privacy notice, cookies. */
export const infoRoutes = (_web: WebApp): PageRoute[] =>
  (['accessibility', 'privacy', 'cookies'] as const).map((name) => ({
    method: 'GET' as const,
    url: `/${name}`,
    access: 'public' as const,
    handle: async () => ({ view: `pages/${name}.njk` }),
  }));
