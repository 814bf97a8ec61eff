import { CallHandler, ExecutionContext, Injectable, NestInterceptor, Type } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { Db, Tx } from '../../database/db.service';
import { Actor } from '../auth/actor';
import { DomainError } from '../errors/domain-error';
import { Problem, toProblem } from '../errors/problem';
import { IdempotencyRepository, IdempotencyScope, StoredResponse } from './idempotency.repository';
import { IdempotentReplay } from './idempotent-replay';
import { matchingHashes, requestHash } from './request-hash';
import { GroupResolver, TRANSACTION_GROUP } from './transaction-group';
import { scopePath } from './scope-path';

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
/** Not stored, so the client may retry them with the same key (API.md). */
const unstored = (status: number) => status === 401 || status === 429 || status >= 500;

/**
 * Secrets are shown once: API keys are stored only hashed, a webhook's signing secret only
 * where deliveries read it. A replay of a secret-issuing request carries none: the client
 * issues another key, or registers the webhook again, if it lost the first response.
 */
function withoutSecrets(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'apiKey' in body && typeof body.apiKey === 'string') {
    return { ...(body as object), apiKey: null, apiKeyWithheld: 'shown once at creation; issue a new key if it was lost' };
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && 'secret' in body && typeof body.secret === 'string') {
    return { ...(body as object), secret: null, secretWithheld: 'shown once at creation; register a new webhook if it was lost' };
  }
  return body;
}


/**
 * The key was claimed before this request's claim ran (by a request that committed, or by an
 * earlier member of the same batch): what the request did is rolled back, and the first
 * one's response replayed.
 */
class ClaimedBefore extends Error {
  constructor() {
    super('the Idempotency-Key was already claimed');
    this.name = 'ClaimedBefore';
  }
}

type Outcome = { kind: 'ok'; body: unknown } | { kind: 'stored-error'; status: number; body: unknown } | { kind: 'raise'; err: unknown };

/**
 * Idempotency-Key for POST. The key row is inserted in the same transaction as the
 * request's effect and its response, so they commit together or not at all. A
 * concurrent duplicate blocks on the key row's unique index until the first commits,
 * then replays it; if the first rolled back, the duplicate runs as the first.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: Db,
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined) return next.handle();
    // Node joins a repeated header with ", ": a proxy keeping only the first would retry under another key than the one stored.
    if ((req.headersDistinct['idempotency-key']?.length ?? 0) > 1) {
      throw DomainError.validation([{ field: 'Idempotency-Key', message: 'must be sent once' }]);
    }
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw DomainError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' }]);
    }
    const res = context.switchToHttp().getResponse<Response>();
    const resolver = this.reflector.get<Type<GroupResolver> | undefined>(TRANSACTION_GROUP, context.getHandler());
    return from(this.run(req, res, key, next, resolver));
  }

  private async run(req: Request, res: Response, key: string, next: CallHandler, resolver: Type<GroupResolver> | undefined): Promise<unknown> {
    const group = resolver ? await this.modules.get(resolver, { strict: false }).groupOf(req.params as Record<string, string>) : undefined;
    const actor = req.user as Actor;
    const scope: IdempotencyScope = [actor.participantId, req.method, scopePath(req), key];
    const bodyHash = requestHash(req.body);
    const retryOf = matchingHashes(req.body);

    const attempt = async (tx: Tx): Promise<Outcome> => {
      // Lock order, rank 0: the key row is claimed before the request takes any other lock.
      // The claim is sent ahead of the request's own statements, which PostgreSQL runs after
      // it: a new key (nearly every request) costs no round trip of its own. A key already
      // claimed is only known once the request ran; it then rolls back and is replayed. In a
      // batch a request that ran does not wait for the claim's answer at all (decision 0041):
      // there the claim fails on a key claimed before, as ClaimedBefore, and the batch runs
      // the request again alone, which replays.
      const shared = this.db.shared(tx);
      const claimed = shared
        ? await this.keys.claimAheadRaising(tx, scope, bodyHash, () => new ClaimedBefore())
        : await this.keys.claimAhead(tx, scope, bodyHash);
      const ran = await lastValueFrom(next.handle(), { defaultValue: undefined }).then(
        (body: unknown) => ({ ok: true as const, body }),
        (err: unknown) => ({ ok: false as const, err }),
      );
      if (shared && ran.ok) {
        this.store(tx, scope, res.statusCode, ran.body);
        return { kind: 'ok', body: ran.body };
      }
      // Whatever the run did, a key claimed before replays its first response. A claim that
      // failed is reported by the savepoint or the transaction (firstFailure).
      if (!(await claimed().catch(() => true))) throw new ClaimedBefore();
      if (!ran.ok) throw ran.err;
      this.store(tx, scope, res.statusCode, ran.body);
      return { kind: 'ok', body: ran.body };
    };
    const storeError = async (tx: Tx, problem: Problem): Promise<Outcome> => {
      if (!(await this.keys.claim(tx, scope, bodyHash))) return this.replay(tx, scope, retryOf);
      this.store(tx, scope, problem.status, problem);
      return { kind: 'stored-error', status: problem.status, body: problem };
    };
    /** The problem a failure answers, when it is one to store; null when it is not (API.md). */
    const storable = (err: unknown): Problem | null => {
      const problem = toProblem(err);
      if (unstored(problem.status)) return null;
      problem.instance = req.originalUrl;
      if (req.id) problem.requestId = String(req.id);
      return problem;
    };

    const outcome = await this.db.rootTransaction<Outcome>(async (tx) => {
      // Alone in its transaction, a request that fails rolls all of it back, key row
      // included, and its error is stored after, in a transaction of its own: one that
      // succeeds (most do) spends no savepoint.
      if (!this.db.shared(tx)) return attempt(tx);
      // In a batch of placements (decision 0026) one savepoint, taken first, covers the claim
      // and the request, and the batch takes none of its own for it (decision 0027).
      try {
        return await this.db.savepoint(tx, 'idempotent_request', () => attempt(tx), { member: true });
      } catch (err) {
        if (err instanceof ClaimedBefore) return this.db.savepoint(tx, 'idempotent_replay', () => this.replay(tx, scope, retryOf));
        const problem = storable(err);
        // Thrown, not returned: the whole transaction rolls back, so a failure inside the
        // service leaves no trace and the client may retry with the same key.
        if (problem === null) throw err;
        // The rollback took the claim with it: the key is claimed again for the stored error,
        // under a savepoint of its own, since nothing else guards a batch member here.
        return this.db.savepoint(tx, 'idempotent_error', () => storeError(tx, problem));
      }
    }, group, { guarded: true }).catch(async (err: unknown): Promise<Outcome> => {
      // The key's first request has committed (its claim waited for that): its response is replayed.
      if (err instanceof ClaimedBefore) return this.db.rootTransaction((tx) => this.replay(tx, scope, retryOf)).catch((e: unknown) => ({ kind: 'raise', err: e }) as Outcome);
      const problem = storable(err);
      if (problem === null) return { kind: 'raise', err };
      // Only a request that ran alone gets here with an error to store (a batch member's is
      // stored in the batch): claimed again, since the rollback took its claim.
      return this.db.rootTransaction((tx) => storeError(tx, problem)).catch((e: unknown) => ({ kind: 'raise', err: e }) as Outcome);
    });

    if (outcome.kind === 'ok') return outcome.body;
    if (outcome.kind === 'stored-error') throw new IdempotentReplay(outcome.status, outcome.body, false);
    throw outcome.err;
  }

  private async replay(tx: Tx, scope: IdempotencyScope, retryOf: readonly string[]): Promise<Outcome> {
    const row = await this.keys.find(tx, scope);
    if (!row) throw new Error('an idempotency key that blocked the claim is gone');
    if (!retryOf.includes(row.request_hash)) {
      return { kind: 'raise', err: new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different body') };
    }
    // A duplicate in the same batch (decision 0026) finds the key claimed by an earlier
    // member whose response is still waiting to be written with the others.
    const pending = row.status_code === null ? this.pending(tx).findLast((r) => sameScope(r.scope, scope)) : undefined;
    if (pending) return { kind: 'raise', err: new IdempotentReplay(pending.status, pending.body, true) };
    return { kind: 'raise', err: new IdempotentReplay(row.status_code ?? 500, row.response_body, true) };
  }

  /**
   * Responses are written just before the transaction commits, all in one statement (with
   * the transaction's other writes at commit): a batch of placements (decision 0026) stores
   * its members' responses in one round trip rather than one each (decision 0027). A member
   * rolled back to its savepoint drops its own.
   */
  private store(tx: Tx, scope: IdempotencyScope, status: number, body: unknown): void {
    const pending = this.pending(tx);
    pending.push({ scope, status, body: JSON.stringify(withoutSecrets(body ?? null)) });
    this.db.atCommit(tx, this, (param) => (pending.length > 0 ? this.keys.storeResponsesSql(pending, param) : null));
  }

  private pending(tx: Tx): StoredResponse[] {
    return this.db.buffer<StoredResponse>(tx, this);
  }
}

const sameScope = (a: IdempotencyScope, b: IdempotencyScope) => a.every((part, i) => part === b[i]);
