/**
 * A start refused for a reason the operator must fix in the configuration (a revoked
 * `ADMIN_API_KEY`): main.ts prints its message alone, where an unexpected failure gets
 * its stack.
 */
export class StartRefused extends Error {
  override readonly name = 'StartRefused';
}
