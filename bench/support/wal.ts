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

  /** The bytes since `start`, and the range they span (for `pg_waldump --stats -s <from> -e <to>`). */
  async read(): Promise<{ bytes: number; from: string; to: string }> {
    const { rows } = await withClient(this.url, (c) =>
      c.query<{ bytes: string; to: string }>('SELECT pg_wal_lsn_diff(l, $1)::text AS bytes, l::text AS to FROM pg_current_wal_lsn() l', [this.from]));
    return { bytes: Number(rows[0].bytes), from: this.from, to: rows[0].to };
  }
}
