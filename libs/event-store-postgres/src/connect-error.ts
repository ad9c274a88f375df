import { EventStoreError, StoreUnavailableError } from '@civic/event-store';

/** Where a connection string points, without its password (errors and logs may be shared). */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname || ''}`;
  } catch {
    return '(an unparseable connection string)';
  }
}

/** The error `connect` throws when the server cannot be reached or refuses us. */
export function connectFailed(connectionString: string, cause: unknown): StoreUnavailableError {
  const why = cause instanceof Error ? cause.message || (cause as { code?: string }).code || cause.name : String(cause);
  return new StoreUnavailableError(
    `Cannot connect to PostgreSQL at ${describeTarget(connectionString)} (${why}). ` +
      'Check DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) and that the server is running.',
    { cause },
  );
}

/** Our own errors pass through; anything from the driver or server becomes StoreUnavailableError. */
export function toStoreError(operation: string, err: unknown): unknown {
  if (err instanceof EventStoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreUnavailableError(`PostgreSQL ${operation} failed: ${message}`, { cause: err });
}
