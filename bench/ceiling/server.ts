/**
 * The least a placement can cost on this machine, for `npm run bench:ceiling`: a server that
 * does for each `POST /v1/markets/:id/orders` only what no exchange answering one order per
 * request can skip: find the caller by API key (in memory), read and check the JSON body,
 * and make the order and its Idempotency-Key record durable before answering 201. No
 * domain rules, no ledger, no audit.
 *
 * CEILING_MODE: `request` or `grouped` (see writes.ts). CEILING_HTTP: `node` (node:http
 * alone) or `nest` (NestJS on Express with a class-validator DTO, as the service's stack).
 * It prints `listening <port>` once it accepts requests.
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { nestFront } from './nest-front';
import { placer } from './writes';

const DECIMAL = /^\d{1,12}(\.\d{1,4})?$/;
const PATH = /^\/v1\/markets\/(\d+)\/orders$/;

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 16 });
  const place = placer(pool, process.env.CEILING_MODE === 'grouped' ? 'grouped' : 'request');
  const keys = new Map((await pool.query<{ api_key: string; participant: string }>('SELECT api_key, participant FROM api_keys')).rows.map((r) => [r.api_key, r.participant]));
  if (process.env.CEILING_HTTP === 'nest') {
    const port = await nestFront(keys, place);
    process.stdout.write(`listening ${port}\n`);
    return;
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const answer = (status: number, body: object) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': status < 400 ? 'application/json' : 'application/problem+json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const m = req.method === 'POST' ? PATH.exec(req.url ?? '') : null;
    const participant = keys.get((req.headers.authorization ?? '').slice('Bearer '.length));
    const key = req.headers['idempotency-key'];
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!m) return answer(404, { title: 'not found' });
      if (!participant) return answer(401, { title: 'unauthenticated' });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        return answer(400, { title: 'malformed JSON' });
      }
      const { side, price, volume, timeInForce = 'GTC' } = body;
      if ((side !== 'BUY' && side !== 'SELL') || typeof price !== 'string' || !DECIMAL.test(price) || typeof volume !== 'string' || !DECIMAL.test(volume)
        || (timeInForce !== 'GTC' && timeInForce !== 'IOC') || typeof key !== 'string' || key.length === 0) {
        return answer(400, { title: 'validation failed' });
      }
      place({ id: randomUUID(), market: Number(m[1]), participant, side, price, volume, tif: timeInForce, key, answer });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
