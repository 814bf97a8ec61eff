/** Exact integer units for conservation sums: fen for cash, litres for quota. */
export function toUnits(decimal: string, places: number): bigint {
  const negative = decimal.startsWith('-');
  const [whole, fraction = ''] = decimal.replace(/^[-+]/, '').split('.');
  if (fraction.length > places && /[1-9]/.test(fraction.slice(places))) throw new Error(`${decimal} has more than ${places} decimals`);
  const value = BigInt(whole + fraction.padEnd(places, '0').slice(0, places));
  return negative ? -value : value;
}

export const fen = (amount: string) => toUnits(amount, 2);
export const litres = (volume: string) => toUnits(volume, 3);

/** A seeded PRNG (mulberry32): the same seed gives the same choices. */
export function prng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
export const between = (rand: () => number, low: number, high: number) => low + Math.floor(rand() * (high - low + 1));

/** Runs `work` over `items`, at most `width` at a time. */
export async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));
