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

/** Makes `id` unique among `taken` by a numeric suffix ("_2", "_3"…), and takes it. */
export function claimOperationId(id: string, taken: Set<string>): string {
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}_${n}`;
  taken.add(unique);
  return unique;
}
