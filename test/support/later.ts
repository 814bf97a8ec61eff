/** A promise a test settles when it chooses: keeps a transaction or a turn busy while others queue. */
export function later(): { promise: Promise<void>; settle: () => void } {
  let settle!: () => void;
  const promise = new Promise<void>((ok) => (settle = ok));
  return { promise, settle };
}
