/** The repository's root, shared with the web app (which reads its views and built assets from it). */
export { projectRoot } from '@civic/platform';
