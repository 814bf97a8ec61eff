import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookTarget } from './webhook-target';

/** No answer within this long is a failure (API.md). */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface SentEvent {
  /** `evt_<seq>`: the same on every retry, so a receiver can drop duplicates. */
  id: string;
  body: string;
}

export interface DeliveryResult {
  /** The HTTP status received; null when none was. */
  status: number | null;
  /** What went wrong; null on a 2xx. */
  error: string | null;
}

/**
 * The Standard Webhooks headers of one attempt, signed with the webhook's secret
 * (`whsec_` + base64): `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.
 */
export function signedHeaders(secret: string, event: SentEvent, at: Date): Record<string, string> {
  return {
    'webhook-id': event.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(event.id, at, event.body),
  };
}

/**
 * POSTs one event to the checked address (never re-resolving the name; the Host header and
 * TLS server name stay the URL's host). A 2xx is success; anything else, a redirect, an
 * error or no complete answer within 10 s is a failure.
 */
export function send(target: WebhookTarget, secret: string, event: SentEvent, now: Date = new Date()): Promise<DeliveryResult> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<DeliveryResult>((resolve) => {
    let settled = false;
    const finish = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(event.body),
          'user-agent': 'water-rights-exchange-webhooks/1',
          ...signedHeaders(secret, event, now),
        },
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? null;
        // The answer's body is not read for anything; drain it so the socket is freed.
        res.resume();
        res.once('end', () => finish(outcome(status, res.headers.location)));
        res.once('error', (err) => finish({ status, error: `the answer broke off: ${err.message}` }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`));
    }, DELIVERY_TIMEOUT_MS);
    req.once('error', (err) => finish({ status: null, error: err.message }));
    req.end(event.body);
  });
}

function outcome(status: number | null, location: string | undefined): DeliveryResult {
  if (status !== null && status >= 200 && status < 300) return { status, error: null };
  if (status !== null && status >= 300 && status < 400) return { status, error: `redirect${location ? ` to ${location}` : ''} not followed` };
  return { status, error: `HTTP ${status ?? 'no status'}` };
}
