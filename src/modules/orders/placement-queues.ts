/**
 * Which of an instance's placement queues (PLACEMENT_QUEUES, decision 0044) a market's
 * placements join: always the same one for a market, spread evenly over the queues by a
 * hash of its id (FNV-1a), so no table of markets is kept.
 */
export function placementQueueOf(marketId: string, queues: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < marketId.length; i++) hash = Math.imul(hash ^ marketId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % queues;
}
