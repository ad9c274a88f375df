import { InvalidInputError } from '../errors/event-store.errors';

/** Stream names are `category-id`: a category of letters, digits or `_`, a dash, then an id. */
const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_]*-[^\s\u0000-\u001f\u007f]+$/;
export const MAX_STREAM_NAME_LENGTH = 512;

export function assertStreamName(streamName: unknown, field = 'streamName'): asserts streamName is string {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new InvalidInputError(field, 'must be a non-empty string');
  }
  if (streamName.length > MAX_STREAM_NAME_LENGTH) {
    throw new InvalidInputError(field, `must be at most ${MAX_STREAM_NAME_LENGTH} characters`);
  }
  if (!STREAM_NAME.test(streamName)) {
    throw new InvalidInputError(
      field,
      `"${streamName.slice(0, 80)}" is not of the form category-id (category: letters, digits, _; no spaces)`,
    );
  }
}

/** The category of a stream: the part before the first dash (`ballot-pot1-abc` → `ballot`). */
export function streamCategory(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash < 0 ? streamName : streamName.slice(0, dash);
}
