import { PG, pgErrorCode } from '../../database/pg-error';
import { sendAhead } from '../../database/pipeline';
import { execute, executeBuilt, first, Param, rows, Tx } from '../../database/sql';

/** A row of `idempotency_keys`: one POST under one key, and the response it got. */
export interface IdempotencyKeyRow {
  participant_id: string;
  method: string;
  path: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  /** The exact JSON text sent, so a replay is byte-identical. */
  response_body: string | null;
  created_at: Date;
}

/** Who sent which request under which key: the row's primary key. */
export type IdempotencyScope = [participantId: string, method: string, path: string, key: string];

/** A response waiting to be stored with its transaction's others. */
export interface StoredResponse {
  scope: IdempotencyScope;
  status: number;
  /** The exact JSON text sent. */
  body: string;
}

/** Keys are promised for at least 24 h; keeping them 72 h covers clients that retry late. */
export const IDEMPOTENCY_RETENTION = "interval '72 hours'";

const CLAIM_INSERT = `INSERT INTO idempotency_keys (participant_id, method, path, key, request_hash)
               VALUES ($1, $2, $3, $4, $5)`;
const CLAIM = `${CLAIM_INSERT} ON CONFLICT DO NOTHING RETURNING key`;
/** A batch member's claim (claimAheadRaising): a key claimed before fails it. */
const CLAIM_RAISING = `${CLAIM_INSERT} RETURNING key`;

/** SQL of `idempotency_keys`; every method runs in the caller's transaction. */
export class IdempotencyRepository {
  /**
   * Claims the key. A concurrent duplicate blocks on the unique index until the first
   * transaction ends; true when this transaction now owns the key.
   */
  async claim(tx: Tx, scope: IdempotencyScope, requestHash: string): Promise<boolean> {
    return (await rows<{ key: string }>(tx, CLAIM, [...scope, requestHash])).length > 0;
  }

  /**
   * `claim` sent ahead (decision 0031): the request's first statement follows it at once,
   * and PostgreSQL still runs it first. The function answers whether this transaction
   * owns the key; should the claim fail, the transaction's next answer fails with it.
   */
  async claimAhead(tx: Tx, scope: IdempotencyScope, requestHash: string): Promise<() => Promise<boolean>> {
    const sent = await sendAhead(tx, CLAIM, [...scope, requestHash]);
    return async () => (await sent.done()).rows.length > 0;
  }

  /**
   * `claimAhead` for a request that will not wait for the answer (a batch member, decision
   * 0041): a key claimed before makes the statement fail, as `claimedBefore()`, wherever the
   * transaction takes its failure.
   */
  async claimAheadRaising(tx: Tx, scope: IdempotencyScope, requestHash: string, claimedBefore: () => Error): Promise<() => Promise<boolean>> {
    const sent = await sendAhead(tx, CLAIM_RAISING, [...scope, requestHash], (err) => (pgErrorCode(err) === PG.UNIQUE_VIOLATION ? claimedBefore() : err));
    return async () => (await sent.done()).rows.length > 0;
  }

  async find(tx: Tx, scope: IdempotencyScope): Promise<IdempotencyKeyRow | null> {
    return first<IdempotencyKeyRow>(tx, 'SELECT * FROM idempotency_keys WHERE participant_id = $1 AND method = $2 AND path = $3 AND key = $4', scope);
  }

  /** Stores the responses of keys this transaction claimed, in one statement. */
  async storeResponses(tx: Tx, responses: readonly StoredResponse[]): Promise<void> {
    if (responses.length > 0) await executeBuilt(tx, (param) => this.storeResponsesSql(responses, param));
  }

  /** `storeResponses` as a part of a larger statement (Db.atCommit); `responses` is not empty. */
  storeResponsesSql(responses: readonly StoredResponse[], param: Param): string {
    if (responses.length === 1) {
      const [{ scope, status, body }] = responses;
      return `UPDATE idempotency_keys SET status_code = ${param(status)}, response_body = ${param(body)}
               WHERE participant_id = ${param(scope[0])} AND method = ${param(scope[1])} AND path = ${param(scope[2])} AND key = ${param(scope[3])}`;
    }
    const column = (i: number) => param(responses.map((r) => r.scope[i]));
    return `UPDATE idempotency_keys k SET status_code = r.status_code, response_body = r.response_body
              FROM unnest(${column(0)}::uuid[], ${column(1)}::text[], ${column(2)}::text[], ${column(3)}::text[],
                          ${param(responses.map((r) => r.status))}::int[], ${param(responses.map((r) => r.body))}::text[])
                AS r(participant_id, method, path, key, status_code, response_body)
             WHERE k.participant_id = r.participant_id AND k.method = r.method AND k.path = r.path AND k.key = r.key`;
  }

  /** Removes keys past their retention; returns how many. */
  async purgeExpired(tx: Tx): Promise<number> {
    return execute(tx, `DELETE FROM idempotency_keys WHERE created_at < now() - ${IDEMPOTENCY_RETENTION}`);
  }
}
