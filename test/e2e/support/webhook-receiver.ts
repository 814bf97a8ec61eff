import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { eventually } from '../../support/eventually';

export interface Delivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** What the receiver answered. */
  status: number;
}

/** How the receiver answers the next request: a status, or a redirect. */
export type Answer = number | 'redirect';

/**
 * A webhook receiver on 127.0.0.1: it records every request and answers as told (200 by
 * default), so a suite can make it fail for a while and see what the exchange does.
 */
export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  answer: (d: Omit<Delivery, 'status'>) => Answer = () => 200;
  private server: Server | null = null;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/water`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((ok) => this.server?.close(ok) ?? ok(undefined));
  }

  /** Accepted deliveries, each event once (a retry of an accepted one is dropped by its webhook-id), in arrival order. */
  accepted(): Delivery[] {
    const seen = new Set<string>();
    return this.deliveries.filter((d) => d.status >= 200 && d.status < 300 && !seen.has(d.id) && seen.add(d.id));
  }

  /** Waits until `done` holds of what arrived, or fails after `ms`. */
  async until(done: (r: this) => boolean, ms = 20_000): Promise<void> {
    if (!(await eventually(() => done(this), ms))) {
      throw new Error(`the receiver did not get what was expected in ${ms} ms; it got ${this.deliveries.length} requests: ${this.deliveries.map((d) => `${d.id}→${d.status}`).join(' ')}`);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const d = {
        id: String(req.headers['webhook-id'] ?? ''),
        timestamp: String(req.headers['webhook-timestamp'] ?? ''),
        signature: String(req.headers['webhook-signature'] ?? ''),
        body,
        at: Date.now(),
      };
      const answer = this.answer(d);
      const status = answer === 'redirect' ? 302 : answer;
      this.deliveries.push({ ...d, status });
      if (answer === 'redirect') res.setHeader('Location', 'http://127.0.0.1:9/elsewhere');
      res.statusCode = status;
      res.end();
    });
  }
}
