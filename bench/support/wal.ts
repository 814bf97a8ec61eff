import { withClient } from '../../test/support/postgres';

/**
 * The WAL a load wrote: the server's insert position before and after it. Unlike CPU time it
 * does not move with the machine's neighbours, so two builds' bytes per order compare
 * exactly; it counts the whole server, so nothing else should write there meanwhile.
 */
export class WalMeter {
  private constructor(private readonly url: string, private readonly from: string) {}

  static async start(url: string): Promise<WalMeter> {
    const { rows } = await withClient(url, (c) => c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'));
    return new WalMeter(url, rows[0].lsn);
  }

  async bytes(): Promise<number> {
    const { rows } = await withClient(this.url, (c) => c.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes', [this.from]));
    return Number(rows[0].bytes);
  }
}
