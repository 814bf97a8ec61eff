import { Client } from 'pg';
import { envOrExit } from '../config/env.schema';
import { verifyLedger } from '../modules/ledger/ledger-verifier';
import { resolveDatabase } from '../database/resolve-database';

/** `npm run ledger:verify`: exits 1 and names each account whose books do not hold. */
async function main(): Promise<number> {
  const { url, embedded } = await resolveDatabase(envOrExit(process.env, 2), (m) => process.stderr.write(`${m}\n`));
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyLedger(async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[]);
    await client.query('COMMIT');
    for (const p of report.problems) process.stdout.write(`MISMATCH ${p.check} ${p.account ?? p.asset ?? ''}: ${p.detail}\n`);
    process.stdout.write(`ledger ${report.valid ? 'OK' : 'INVALID'}: ${report.accounts} accounts, ${report.postings} postings, ${report.assets} assets, ${report.problems.length} problems\n`);
    return report.valid ? 0 : 1;
  } finally {
    await client.end();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`ledger:verify failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
