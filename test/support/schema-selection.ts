import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
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
