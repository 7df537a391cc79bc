// Operation ids for operations the description leaves unnamed: made from the method and the path, so the same
// description always gives the same ids.

/** "get" and "/pets/{petId}" give "get_pets_petId"; "/" gives "get_root". */
export function synthesizeOperationId(method: string, template: string): string {
  const words = template
    .split('/')
    .map((segment) =>
      segment
        .replace(/[{}]/g, '')
        .replace(/[^\w]+/g, '_')
        .replace(/^_+|_+$/g, ''),
    )
    .filter(Boolean);
  return [method.toLowerCase(), ...(words.length ? words : ['root'])].join('_');
}

/**
 * Makes ids unique among `taken` by a numeric suffix ("_2", "_3"…), and takes them. It remembers the last suffix
 * of each id: ten thousand paths that all read "get_a" (/a, //a, /a/…) must not each count up from "_2" again.
 */
export function operationIdClaimer(taken: Set<string>): (id: string) => string {
  const next = new Map<string, number>();
  return (id) => {
    let unique = id;
    for (let n = next.get(id) ?? 2; taken.has(unique); n++) {
      unique = `${id}_${n}`;
      next.set(id, n + 1);
    }
    taken.add(unique);
    return unique;
  };
}
