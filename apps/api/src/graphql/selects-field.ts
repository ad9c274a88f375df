import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved may select `name` of its result: false only when its
 * selections provably leave it out. A field under `@skip`/`@include`, or behind a fragment this
 * operation does not define, counts as selected: an answer may then read more than it needs,
 * never less.
 */
export function mightSelect(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, name: string): boolean {
  const seen = new Set<string>();
  const selects = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet);
      const fragment = info.fragments[selection.name.value];
      if (!fragment) return true;
      if (seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return selects(fragment.selectionSet);
    });
  return info.fieldNodes.some((node) => node.selectionSet === undefined || selects(node.selectionSet));
}
