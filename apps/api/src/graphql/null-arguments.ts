import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLInputField,
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

/**
 * An explicit `null` for an optional argument, or for an optional field of an input object,
 * means what leaving it out means: its default when it has one, else absent. GraphQL hands
 * resolvers the null as given, and code written for `undefined` (`asOf ?? …`, `after ===
 * undefined`, a domain check of an optional ward) then fails on it or refuses it with the
 * wrong words. Applied once to the built schema, to every field's resolver and subscriber, so
 * no resolver has to remember it. Null items of a list are values, and stay.
 */
export function nullMeansAbsent(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((a) => mayHoldNull(a))) continue;
      field.resolve = normalising(field.resolve ?? defaultFieldResolver, field.args);
      if (field.subscribe) field.subscribe = normalising(field.subscribe, field.args);
    }
  }
  return schema;
}

/** Whether a null may be given for this slot or anywhere inside its value. */
function mayHoldNull(slot: Slot, seen = new Set<string>()): boolean {
  if (!isNonNullType(slot.type)) return true;
  const inner = namedInput(slot.type);
  if (!isInputObjectType(inner) || seen.has(inner.name)) return false;
  seen.add(inner.name);
  return Object.values(inner.getFields()).some((f) => mayHoldNull(f, seen));
}

function normalising(fn: GraphQLFieldResolver<unknown, unknown>, slots: readonly Slot[]): GraphQLFieldResolver<unknown, unknown> {
  return (source, args: Args, context, info) => fn(source, withoutNulls(args, slots), context, info);
}

/** `values` with each null of an optional slot replaced by the slot's default, or left out. */
function withoutNulls(values: Args, slots: readonly Slot[]): Args {
  let copy: Args | undefined;
  for (const slot of slots) {
    const value = values[slot.name];
    let next: unknown = value;
    if (value === null) {
      if (isNonNullType(slot.type)) continue;
      next = slot.defaultValue;
    } else if (value !== undefined) {
      next = inside(value, slot.type);
    }
    if (next === value) continue;
    copy ??= { ...values };
    if (next === undefined) delete copy[slot.name];
    else copy[slot.name] = next;
  }
  return copy ?? values;
}

/** A value of an input type with the nulls of its input objects' optional fields taken out. */
function inside(value: unknown, type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return value;
    const items = value.map((item) => (item === null ? item : inside(item, nullable.ofType)));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (isInputObjectType(nullable) && typeof value === 'object' && value !== null) {
    return withoutNulls(value as Args, Object.values(nullable.getFields()));
  }
  return value;
}

function namedInput(type: GraphQLInputType): GraphQLInputType {
  let inner = getNullableType(type);
  while (isListType(inner)) inner = getNullableType(inner.ofType);
  return inner;
}
