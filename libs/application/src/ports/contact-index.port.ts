/**
 * Finds a resident by their e-mail address for signing in, without the address in clear: rows
 * keyed by a keyed hash of the normalised address. Recorded when a resident is registered or
 * imported (the only moment the reference and the address are both in hand: events hold
 * neither), removed when the resident is erased.
 */
export interface ContactIndexPort {
  record(entry: { readonly residentId: string; readonly reference: string; readonly email?: string }): Promise<void>;
  remove(residentId: string): Promise<void>;
}
