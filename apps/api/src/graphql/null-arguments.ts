import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';

type Args = Record<string, unknown>;
/** An argument or an input object's field: a name, a type and maybe a default. */
type Slot = Pick<GraphQLInputField, 'name' | 'type' | 'defaultValue'>;
/** Takes the nulls out of a value: the value itself when there were none. */
type Normalise<T> = (value: T) => T;

/**
 * An explicit `null` for an optional argument, or for an optional field of an input object,
 * means what leaving it out means: its default when it has one, else absent. GraphQL hands
 * resolvers the null as given, and code written for `undefined` (`asOf ?? …`, `after ===
 * undefined`, a domain check of an optional ward) then fails on it or refuses it with the
 * wrong words. Applied once to the built schema, to every field's resolver and subscriber, so
 * no resolver has to remember it. Null items of a list are values, and stay.
 *
 * Each field's arguments get a normaliser built here, once, from their types: at a request it
 * visits only the slots where a null can be, with no type tests (every request's arguments
 * pass through it, and graphql-js's type tests cost most of the walk).
 */
export function nullMeansAbsent(schema: GraphQLSchema): GraphQLSchema {
  const built: Built = new Map();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const normalise = slotsNormaliser(field.args, built);
      if (!normalise) continue;
      field.resolve = normalising(field.resolve ?? defaultFieldResolver, normalise);
      if (field.subscribe) field.subscribe = normalising(field.subscribe, normalise);
    }
  }
  return schema;
}

function normalising(fn: GraphQLFieldResolver<unknown, unknown>, normalise: Normalise<Args>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args: Args, context, info) => fn(source, normalise(args), context, info);
}

type Built = Map<GraphQLInputObjectType, { normalise: Normalise<unknown> | undefined } | 'building'>;

/**
 * What replaces each null of an optional slot by the slot's default (or leaves it out), and
 * normalises inside each value given; undefined when none of the slots can hold a null anywhere.
 */
function slotsNormaliser(slots: readonly Slot[], built: Built): Normalise<Args> | undefined {
  const parts = slots
    .map((slot) => ({
      name: slot.name,
      nonNull: isNonNullType(slot.type),
      defaultValue: slot.defaultValue,
      inner: normaliser(slot.type, built),
    }))
    .filter((part) => !part.nonNull || part.inner);
  if (parts.length === 0) return undefined;
  return (values) => {
    let copy: Args | undefined;
    for (const { name, nonNull, defaultValue, inner } of parts) {
      const value = values[name];
      let next: unknown = value;
      if (value === null) {
        if (nonNull) continue;
        next = defaultValue;
      } else if (value !== undefined && inner) {
        next = inner(value);
      }
      if (next === value) continue;
      copy ??= { ...values };
      if (next === undefined) delete copy[name];
      else copy[name] = next;
    }
    return copy ?? values;
  };
}

/** What takes the nulls of optional input object fields out of a value of `type`; undefined when it can hold none. */
function normaliser(type: GraphQLInputType, built: Built): Normalise<unknown> | undefined {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = normaliser(nullable.ofType, built);
    if (!item) return undefined;
    return (value) => {
      if (!Array.isArray(value)) return value;
      let changed = false;
      const items = value.map((v: unknown) => {
        if (v === null) return v;
        const next = item(v);
        changed ||= next !== v;
        return next;
      });
      return changed ? items : value;
    };
  }
  if (!isInputObjectType(nullable)) return undefined;
  const known = built.get(nullable);
  // An input type that holds itself: its normaliser is looked up when a value comes.
  if (known === 'building')
    return (value) => {
      const done = built.get(nullable);
      return done !== 'building' && done?.normalise ? done.normalise(value) : value;
    };
  if (known) return known.normalise;
  built.set(nullable, 'building');
  const fields = slotsNormaliser(Object.values(nullable.getFields()), built);
  const normalise = fields && ((value: unknown) => (typeof value === 'object' && value !== null ? fields(value as Args) : value));
  built.set(nullable, { normalise });
  return normalise;
}
