import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
} from 'graphql';

/** The committed schema, as clients see it. */
export const schema = buildSchema(readFileSync(join(__dirname, '../../apps/api/schema.graphql'), 'utf8'));

/** Whether a field can be asked for without arguments (every argument optional or defaulted). */
export const needsNoArgs = (field: GraphQLField<unknown, unknown>) =>
  field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);

/**
 * Every field of a type, recursively: fields that need arguments are left out, and a type
 * already on the path is not entered again (so cycles end). `depth` bounds the nesting.
 */
export function allFields(type: GraphQLNamedType, depth: number, path: readonly string[] = []): string {
  if (isUnionType(type)) {
    return type
      .getTypes()
      .map((t) => `... on ${t.name} { ${allFields(t, depth, path)} }`)
      .join(' ');
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const selections = Object.values(type.getFields())
    .filter(needsNoArgs)
    .flatMap((field) => {
      const named = getNamedType(field.type);
      if (!isObjectType(named) && !isInterfaceType(named) && !isUnionType(named)) return [field.name];
      if (path.includes(named.name) || depth <= 1) return [];
      const inner = allFields(named, depth - 1, [...path, type.name]);
      return inner ? [`${field.name} { ${inner} }`] : [];
    });
  return selections.join(' ');
}

/**
 * A value of an input type, every required field filled: what a field's required argument
 * needs. `nullOptional`: the optional fields of its input objects are there, as null.
 */
export function placeholder(type: GraphQLInputType, name: string, known: Record<string, unknown>, nullOptional = false): unknown {
  if (name in known) return known[name];
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [placeholder(inner.ofType, name, known, nullOptional)];
  if (isEnumType(inner)) return inner.getValues()[0].value;
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields()).flatMap((f) => {
        if (isNonNullType(f.type) && f.defaultValue === undefined) return [[f.name, placeholder(f.type, f.name, known, nullOptional)]];
        return nullOptional && !isNonNullType(f.type) ? [[f.name, null]] : [];
      }),
    );
  }
  const scalars: Record<string, unknown> = {
    ID: '00000000-0000-4000-8000-0000000000ff',
    String: 'x',
    Int: 1,
    Float: 1,
    Boolean: true,
    Pence: '100',
    DateTime: '2030-01-01T00:00:00Z',
  };
  return scalars[(inner as GraphQLNamedType).name];
}
