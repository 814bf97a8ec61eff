import { type LimitOrderOptions, OrderBook as PeerBook, Side as PeerSide } from 'nodejs-order-book';
import { type Order, OrderBook } from '../src/core/matching';
import { buildOrderStream, type Operation } from './order-stream';

/**
 * Runs our matching engine and nodejs-order-book over the same seeded stream and prints
 * their median throughput. Both must fill the same total volume, else the comparison is
 * meaningless and the process exits with code 1. See bench/README.md.
 */

const OPERATIONS = 600_000;
const SEED = 20260417;
const TIMED_RUNS = 5;
const RESTING_FOR_HEAP = 1_000_000;

interface RunResult {
  readonly seconds: number;
  readonly filledLitres: number;
  readonly restingOrders: number;
}

type PeerOperation = LimitOrderOptions | string;

const collectGarbage = (): void => {
  if (typeof global.gc === 'function') global.gc();
};

/** The peer takes its own order shape; it is built before timing so neither side pays for conversion. */
function toPeer(operations: Operation[]): PeerOperation[] {
  return operations.map((op): PeerOperation => {
    if (typeof op === 'string') return op;
    return {
      id: op.id,
      side: op.side === 'BUY' ? PeerSide.BUY : PeerSide.SELL,
      size: op.volume,
      price: op.price,
      timeInForce: op.timeInForce as LimitOrderOptions['timeInForce'],
    };
  });
}

/**
 * Times `replay` on a fresh heap. Each engine keeps its own loop so its call sites stay
 * monomorphic; only the clock is shared. The resting count is taken after the clock stops.
 */
function timed(replay: () => { filledLitres: number; count: () => number }): RunResult {
  collectGarbage();
  const started = process.hrtime.bigint();
  const { filledLitres, count } = replay();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, filledLitres, restingOrders: count() };
}

const runOurs = (operations: Operation[]): RunResult =>
  timed(() => {
    const book = new OrderBook();
    let filledLitres = 0;
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i];
      if (typeof op === 'string') {
        book.cancel(op);
        continue;
      }
      const result = book.place(op);
      if (!result.ok) continue;
      const fills = result.fills;
      for (let j = 0; j < fills.length; j++) filledLitres += fills[j].volume;
    }
    return { filledLitres, count: () => book.size };
  });

const runPeer = (operations: PeerOperation[]): RunResult =>
  timed(() => {
    const book = new PeerBook();
    let filledLitres = 0;
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i];
      if (typeof op === 'string') {
        book.cancel(op);
        continue;
      }
      // A rejected FOK leaves quantityLeft at the full size, so this counts only what traded.
      filledLitres += op.size - book.limit(op).quantityLeft;
    }
    const count = (): number => {
      const { bids, asks } = book.snapshot();
      return [...bids, ...asks].reduce((n, level) => n + level.orders.length, 0);
    };
    return { filledLitres, count };
  });

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Heap held by a book of `count` resting orders spread over 2,000 price levels. */
function measureRestingHeap(count: number): { totalMb: number; bookMb: number; bytesPerOrder: number } {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const book = new OrderBook();
  for (let i = 0; i < count; i++) {
    const isBuy = (i & 1) === 0;
    const order: Order = {
      id: `r${i}`,
      ownerId: `owner-${i % 1000}`,
      side: isBuy ? 'BUY' : 'SELL',
      price: 100_000 + (isBuy ? -1 : 1) * (1 + (i % 1000)) * 100,
      volume: 1000 + (i % 50) * 1000,
      timeInForce: 'GTC',
    };
    book.place(order);
  }
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  if (book.size !== count) throw new Error(`expected ${count} resting orders, found ${book.size}`);
  const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
  return { totalMb: mb(after), bookMb: mb(after - before), bytesPerOrder: Math.round((after - before) / count) };
}

function main(): void {
  const { operations, stats } = buildOrderStream(OPERATIONS, SEED);
  const peerOperations = toPeer(operations);
  const share = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)}%`;
  console.log(
    `stream operations=${stats.operations} places=${stats.places} cancels=${share(stats.cancels, stats.operations)}` +
      ` crossing=${share(stats.crossing, stats.places)} seed=${SEED} gc=${typeof global.gc === 'function'}`,
  );

  runOurs(operations);
  runPeer(peerOperations);

  const ours: RunResult[] = [];
  const peer: RunResult[] = [];
  for (let run = 0; run < TIMED_RUNS; run++) {
    ours.push(runOurs(operations));
    peer.push(runPeer(peerOperations));
    const last = (r: RunResult[]) => Math.round(operations.length / r[r.length - 1].seconds);
    console.log(`run ${run + 1} ours_ops_s=${last(ours)} peer_ops_s=${last(peer)}`);
  }

  const results = [...ours, ...peer];
  const filled = new Set(results.map((r) => r.filledLitres));
  const resting = new Set(results.map((r) => r.restingOrders));
  console.log(`filled_litres=${[...filled].join('/')} resting_orders=${[...resting].join('/')}`);
  if (filled.size !== 1 || resting.size !== 1) {
    console.error('the engines disagree on the same stream; throughput figures are not comparable');
    process.exit(1);
  }

  const heap = measureRestingHeap(RESTING_FOR_HEAP);
  console.log(
    `heap resting_orders=${RESTING_FOR_HEAP} heap_used_mb=${heap.totalMb} book_mb=${heap.bookMb} bytes_per_order=${heap.bytesPerOrder}`,
  );

  const oursOps = Math.round(operations.length / median(ours.map((r) => r.seconds)));
  const peerOps = Math.round(operations.length / median(peer.map((r) => r.seconds)));
  console.log(`engine ours_ops_s=${oursOps} peer_ops_s=${peerOps} ratio=${(oursOps / peerOps).toFixed(2)}`);
}

main();
