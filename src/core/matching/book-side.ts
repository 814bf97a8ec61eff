import type { DepthLevel, Side } from './matching.types';
import { PriceLevel } from './price-level';

/**
 * The price levels of one side. Levels sit in an array sorted by ascending key with the
 * best level last: matching consumes and removes levels at the end (a pop), and new orders
 * mostly arrive near the best price, so the array shifts little on insert. A map finds an
 * existing level without searching.
 */
export class BookSide {
  /** Ascending by key; the best price is the last element. */
  readonly levels: PriceLevel[] = [];
  private readonly byPrice = new Map<number, PriceLevel>();
  /** +1 for bids (higher is better), -1 for asks (lower is better). */
  private readonly sign: 1 | -1;

  constructor(readonly side: Side) {
    this.sign = side === 'BUY' ? 1 : -1;
  }

  /** The key a price has on this side; a level crosses a limit when its key is at least the limit's. */
  keyOf(price: number): number {
    return this.sign * price;
  }

  best(): PriceLevel | undefined {
    const n = this.levels.length;
    return n === 0 ? undefined : this.levels[n - 1];
  }

  bestPrice(): number | undefined {
    const n = this.levels.length;
    return n === 0 ? undefined : this.levels[n - 1].price;
  }

  /** The level at `price`, created in its sorted place when there is none. */
  levelAt(price: number): PriceLevel {
    const existing = this.byPrice.get(price);
    if (existing !== undefined) return existing;
    const level = new PriceLevel(price, this.sign * price);
    this.insert(level);
    this.byPrice.set(price, level);
    return level;
  }

  /** Puts back a level `remove` dropped, the same object, which its orders still name (an undo, OrderBook.undoTo). */
  reinsert(level: PriceLevel): void {
    this.insert(level);
    this.byPrice.set(level.price, level);
  }

  /** Drops an empty level. */
  remove(level: PriceLevel): void {
    this.byPrice.delete(level.price);
    const levels = this.levels;
    const last = levels.length - 1;
    if (levels[last] === level) {
      levels.pop();
      return;
    }
    levels.splice(this.indexOfKey(level.key), 1);
  }

  depth(maxLevels: number): DepthLevel[] {
    const levels = this.levels;
    const out: DepthLevel[] = [];
    for (let i = levels.length - 1; i >= 0 && out.length < maxLevels; i--) {
      const level = levels[i];
      out.push({ price: level.price, volume: level.volume, orders: level.count });
    }
    return out;
  }

  private insert(level: PriceLevel): void {
    const levels = this.levels;
    const n = levels.length;
    // Orders near the best price are the common case, so check the end before searching.
    if (n === 0 || levels[n - 1].key < level.key) {
      levels.push(level);
      return;
    }
    levels.splice(this.indexOfKey(level.key), 0, level);
  }

  /** The index of the first level whose key is not below `key`. */
  private indexOfKey(key: number): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid].key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
