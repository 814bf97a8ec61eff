import type { Answer, HttpRequest } from './target';

/** One logical request: every attempt of it carried the same key and body. */
export interface Call {
  seq: number;
  client: number;
  action: string;
  /** The participant whose key sent it (the idempotency scope). */
  actorId: string;
  request: HttpRequest;
  /** Final statuses the action may end in; any other is a finding. */
  expect: number[];
  attempts: number;
  /** Attempts that got no HTTP answer: the service died or was down. */
  lostAnswers: number;
  /** Attempts the client gave up waiting for (DriverOptions.abandonShare). */
  abandoned: number;
  /** 503s answered before the final answer (not stored, so retried with the same key). */
  unavailable: number;
  /** The last answer; undefined only if the retry budget ran out. */
  answer?: Answer;
}

/** Every request the load sent and how it ended: what the checks hold the database to. */
export class Journal {
  readonly calls: Call[] = [];

  add(call: Omit<Call, 'seq' | 'attempts' | 'lostAnswers' | 'abandoned' | 'unavailable'>): Call {
    const full: Call = { ...call, seq: this.calls.length + 1, attempts: 0, lostAnswers: 0, abandoned: 0, unavailable: 0 };
    this.calls.push(full);
    return full;
  }

  of(action: string): Call[] {
    return this.calls.filter((c) => c.action === action);
  }

  /** Calls of `action` whose final answer had one of `statuses`. */
  answered(action: string, ...statuses: number[]): Call[] {
    return this.of(action).filter((c) => c.answer && statuses.includes(c.answer.status));
  }

  /** Calls whose final answer the action did not expect (a 500, a 400 the load never sends…). */
  unexpected(): Call[] {
    return this.calls.filter((c) => !c.answer || !c.expect.includes(c.answer.status));
  }

  summary() {
    const answered = this.calls.filter((c) => c.answer);
    return {
      calls: this.calls.length,
      lostAnswers: this.calls.reduce((s, c) => s + c.lostAnswers, 0),
      retriedAfterLoss: this.calls.filter((c) => c.lostAnswers > 0).length,
      abandoned: this.calls.reduce((s, c) => s + c.abandoned, 0),
      /** Retries answered with the stored first response: the lost attempt had committed. */
      replayedRetries: answered.filter((c) => c.lostAnswers + c.abandoned > 0 && c.answer!.replayed).length,
      unavailable: this.calls.reduce((s, c) => s + c.unavailable, 0),
      byAction: Object.fromEntries(
        [...new Set(this.calls.map((c) => c.action))].sort().map((a) => {
          const statuses: Record<string, number> = {};
          for (const c of this.of(a)) statuses[c.answer?.status ?? 'none'] = (statuses[c.answer?.status ?? 'none'] ?? 0) + 1;
          return [a, statuses];
        }),
      ),
    };
  }
}
