/** Stable shards: a target's shard depends on its id alone, so every job of a matrix computes the same partition. */

/** `"2/16"` → { index: 2, count: 16 } (1-based), or undefined when it is not i/n with 1 ≤ i ≤ n. */
export function parseShard(text: string): { readonly index: number; readonly count: number } | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && count <= 1000 && index >= 1 && index <= count ? { index, count } : undefined;
}

/** FNV-1a over the id's UTF-8 bytes: the same on every machine and every run. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(id)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** The 1-based shard a target id belongs to among `count`. */
export const shardOf = (id: string, count: number): number => (hash(id) % count) + 1;

/** The targets of shard `index` of `count`. */
export function inShard<T extends { readonly id: string }>(
  targets: readonly T[],
  shard: { readonly index: number; readonly count: number },
): T[] {
  return targets.filter((t) => shardOf(t.id, shard.count) === shard.index);
}

/** The matrix `fleet shard --shards n` prints: `{"shard":["1/4","2/4","3/4","4/4"]}`, for `strategy.matrix: ${{ fromJSON(...) }}`. */
export function shardMatrix(count: number): { readonly shard: readonly string[] } {
  return { shard: Array.from({ length: count }, (_, i) => `${i + 1}/${count}`) };
}
