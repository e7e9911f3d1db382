// The repository's read cache: records keyed by a path of parts (account,
// region, key id, version), stored as maps of maps. Joining the parts into
// one string per lookup cost ~240 ns here (the new string is built, then
// hashed), a walk down nested maps ~30 ns; a call does half a dozen lookups.
// "Known absent" is cached too: a stored undefined is a hit.
export type Part = string | number;

/** What get() returns when nothing is cached for the path (not even "absent"). */
export const MISS: unique symbol = Symbol('not cached');

export class ReadCache<T> {
  #root = new Map<Part, unknown>();

  get(...path: Part[]): T | undefined | typeof MISS {
    let node: unknown = this.#root;
    const last = path.length - 1;
    for (let i = 0; i < last; i++) {
      node = (node as Map<Part, unknown>).get(path[i]!);
      if (node === undefined) return MISS;
    }
    const map = node as Map<Part, T | undefined>;
    const v = map.get(path[last]!);
    return v !== undefined || map.has(path[last]!) ? v : MISS;
  }

  set(value: T | undefined, ...path: Part[]): void {
    let node = this.#root;
    const last = path.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(path[i]!) as Map<Part, unknown> | undefined;
      if (next === undefined) node.set(path[i]!, (next = new Map()));
      node = next;
    }
    node.set(path[last]!, value);
  }

  clear(): void {
    this.#root = new Map();
  }
}
