import { InvalidInputError } from '../errors/event-store.errors';

/**
 * Serialises a value that must round-trip through JSON unchanged: plain objects, arrays,
 * strings, finite numbers, booleans and null. Anything JSON.stringify would silently drop
 * or alter (undefined, functions, symbols, bigint, NaN, Infinity, Dates, Maps, class
 * instances, cycles, lone surrogates) is rejected, naming the path.
 */
export function serialiseJson(value: unknown, field: string): string {
  assertJson(value, field, new Set());
  return JSON.stringify(value);
}

function assertJson(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new InvalidInputError(path, 'holds a lone surrogate (not valid Unicode)');
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidInputError(path, `${value} is not representable in JSON`);
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.has(value)) throw new InvalidInputError(path, 'contains a cycle');
      ancestors.add(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) assertJson(value[i], `${path}[${i}]`, ancestors);
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw new InvalidInputError(path, `is a ${proto?.constructor?.name ?? 'non-plain object'}, not plain JSON`);
        }
        for (const [k, v] of Object.entries(value)) assertJson(v, `${path}.${k}`, ancestors);
      }
      ancestors.delete(value);
      return;
    }
    default:
      throw new InvalidInputError(path, `a ${typeof value} is not JSON-serialisable`);
  }
}
