import type { Logger, LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import { FailureLog } from '../common/jobs/failure-log';
import { isServiceStopping } from '../common/service-stopping';

const RECONNECT_MS = 1000;

/**
 * Ctrl-C in a terminal reaches the embedded server as well as the service, and the server
 * may end this connection before the service has run its signal handler. A drop is taken
 * for an outage only if the service is still not stopping this long after it.
 */
const SHUTDOWN_RACE_MS = 250;

/**
 * A dedicated connection that LISTENs on one PostgreSQL channel. It sits outside the pool,
 * since a listening connection cannot serve queries for others, and reconnects after a
 * drop; `onReconnect` is told, because notifications sent while it was away are lost.
 * `onDrop` hears of the drop once; the attempts to reconnect, one a second while the
 * database is away, are logged as one spell of failures (FailureLog).
 */
export class ChannelListener {
  private client: Client | null = null;
  private stopped = false;
  private ready: Promise<void> | null = null;
  private readonly reconnects: FailureLog | null;
  private readonly logger: Pick<LoggerService, 'log'> | null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
    private readonly onReconnect: () => void,
    private readonly onDrop: (err: unknown) => void,
    logger: Pick<LoggerService, 'error' | 'warn' | 'log'> | null,
    /** Told at once when the connection is lost, before `onDrop` decides it is an outage: whatever it may have missed stops counting now. */
    private readonly onLost: () => void = () => undefined,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`channel name ${channel} is not a plain identifier`);
    this.logger = logger;
    this.reconnects = logger === null ? null : new FailureLog(logger, `reconnecting the ${channel} listener`);
  }

  /** Connects and listens; resolves once LISTEN is in force. Idempotent. */
  start(): Promise<void> {
    this.ready ??= this.connect().catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onNotify(msg.payload ?? '');
    });
    client.on('error', (err) => this.drop(client, err));
    client.on('end', () => this.drop(client, null));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private drop(client: Client, err: unknown): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    this.onLost();
    if (isServiceStopping()) this.dropped(err);
    else setTimeout(() => this.dropped(err), SHUTDOWN_RACE_MS).unref();
  }

  private dropped(err: unknown): void {
    if (this.stopped) return;
    // Ended by the service's own shutdown (service-stopping.ts): nothing to warn of, nothing to reconnect, one line at info.
    if (isServiceStopping()) {
      this.logger?.log(`the ${this.channel} connection ended with the shutdown${err instanceof Error ? `: ${err.message}` : ''}`);
      return;
    }
    // A connection the server closed without an error is gone all the same.
    this.onDrop(err ?? new Error(`the ${this.channel} connection ended`));
    const retry = (): void => {
      if (this.stopped) return;
      this.ready = this.connect().then(
        () => {
          this.reconnects?.succeeded();
          this.onReconnect();
        },
        (e: unknown) => {
          this.reconnects?.failed(e);
          setTimeout(retry, RECONNECT_MS).unref();
        },
      );
    };
    setTimeout(retry, RECONNECT_MS).unref();
  }
}

/**
 * What a per-instance cache needs of its channel: `listening` says whether it may keep
 * anything now (notifications are being heard), `onChange` gets each notification, and
 * `onReset` is called whenever some may have been lost (the connection dropped or came
 * back), so the cache starts over.
 */
export class CacheInvalidation {
  listening = false;
  private readonly listener: ChannelListener;

  constructor(
    url: string,
    channel: string,
    private readonly what: string,
    private readonly logger: Logger,
    onChange: (payload: string) => void,
    onReset: () => void,
  ) {
    this.listener = new ChannelListener(
      url,
      channel,
      onChange,
      () => {
        onReset();
        this.listening = true;
      },
      (err) => this.logger.warn({ err }, `the ${channel} connection dropped; ${what} are read from the database until it is back`),
      logger,
      // Notifications may be lost from the moment the connection is: nothing cached counts from then on, shutdown or outage.
      () => {
        this.listening = false;
        onReset();
      },
    );
  }

  async start(): Promise<void> {
    await this.listener.start().then(
      () => {
        this.listening = true;
      },
      (err: unknown) => this.logger.warn({ err }, `cannot listen for changes; ${this.what} are read from the database every time`),
    );
  }

  async stop(): Promise<void> {
    this.listening = false;
    await this.listener.stop();
  }
}
