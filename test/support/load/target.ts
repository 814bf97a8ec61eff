import { Agent, request } from 'undici';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  apiKey?: string;
  body?: unknown;
  idempotencyKey?: string;
}

export interface Answer {
  status: number;
  body: any;
  /** `Idempotent-Replayed: true`: the stored first response, not a new effect. */
  replayed: boolean;
  ms: number;
}

/** The request reached no running service, or the service died before answering. */
export class NoAnswer extends Error {
  constructor(override readonly cause: unknown) {
    super(`no answer: ${(cause as any)?.code ?? (cause as Error)?.message ?? cause}`);
  }
}

/**
 * The service under load, seen from outside: a base URL that may change when the service
 * restarts, keep-alive connections, and a gate clients wait at while it is down.
 */
export class Target {
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  private readonly agent: Agent;

  constructor(public baseUrl: string, connections = 64) {
    this.agent = new Agent({ connections, keepAliveTimeout: 30_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
  }

  /** From now on clients that lose an answer wait for `up()` before they retry. */
  down(): void {
    if (!this.gate) this.gate = new Promise<void>((ok) => (this.open = ok));
  }

  up(baseUrl: string): void {
    this.baseUrl = baseUrl;
    const open = this.open;
    this.gate = null;
    this.open = null;
    open?.();
  }

  whenUp(): Promise<void> {
    return this.gate ?? Promise.resolve();
  }

  /** One attempt. Throws NoAnswer when no HTTP response came back (or `signal` gave up on it). */
  async send(req: HttpRequest, signal?: AbortSignal): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`;
    if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    let res;
    let text: string;
    try {
      res = await request(this.baseUrl + req.path, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        dispatcher: this.agent,
        signal,
      });
      text = await res.body.text();
    } catch (err) {
      throw new NoAnswer(err);
    }
    const type = String(res.headers['content-type'] ?? '');
    return {
      status: res.statusCode,
      body: type.includes('json') && text ? JSON.parse(text) : text,
      replayed: res.headers['idempotent-replayed'] === 'true',
      ms: performance.now() - started,
    };
  }

  /** Sends and insists on `expected`, for set-up steps that must not fail. */
  async must(req: HttpRequest, expected: number[] = [200, 201]): Promise<any> {
    const answer = await this.send(req);
    if (!expected.includes(answer.status)) throw new Error(`${req.method} ${req.path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
