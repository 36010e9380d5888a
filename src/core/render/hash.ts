// A fast 53-bit string hash (two interleaved 32-bit multiplicative hashes) for content-addressed caches.
// Collisions are astronomically unlikely for the few thousand blocks of a document; the key also carries the
// string length as a cheap second check.

export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Short printable key of a string: hash and length. */
export function contentKey(s: string): string {
  return `${hash53(s).toString(36)}.${s.length.toString(36)}`;
}
