import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { FailureLog } from '../../common/jobs/failure-log';
import { everyInterval } from '../../common/jobs/interval';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';
import { AuditRepository } from '../audit/audit.repository';
import { AudienceRepository } from './audience.repository';
import { eventIndexBehind, eventIndexFailures } from './index-metrics';
import { ReadRulesRegistry } from './read-rules';

/** Entries taken in per step: one read of their refs, one question per entity type, one write. */
export const INDEX_STEP = 2000;

/**
 * Files each sealed audit entry under who could ever read it (decision 0037), behind the
 * sealer, every EVENT_INDEX_INTERVAL_MS and once at start: step after step until it reaches
 * the log's head. Instances running it together do no harm: a step writes only if the
 * index still ends where the step began, so one of two racing steps writes and the other
 * finds its work done.
 */
@Injectable()
export class AudienceIndexerJob implements OnApplicationBootstrap {
  private readonly failures = new FailureLog(new Logger('EventIndex'), 'the event index');

  constructor(
    private readonly db: Db,
    private readonly log: AuditRepository,
    private readonly index: AudienceRepository,
    private readonly rules: ReadRulesRegistry,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runJobs) return;
    everyInterval(this.scheduler, this.config, 'event-index', this.config.eventIndexIntervalMs, () => this.tick());
    void this.tick();
  }

  private running: Promise<void> | null = null;

  /** Catches up unless a run of this instance already is; errors are logged, the next tick tries again. */
  tick(): Promise<void> {
    this.running ??= this.catchUp()
      .then(() => this.failures.succeeded(), (err: unknown) => {
        eventIndexFailures.inc();
        this.failures.failed(err);
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Steps until the index reaches the log's head as it was when it began; how many entries it filed. */
  async catchUp(): Promise<number> {
    const pool = this.db.manager;
    let { indexedTo, head } = await this.index.progress(pool);
    let filed = 0;
    eventIndexBehind.set(head - indexedTo);
    while (indexedTo < head) {
      const refs = await this.log.listRefs(pool, { afterSeq: indexedTo, limit: INDEX_STEP });
      if (refs.length === 0) break;
      const audiences = await this.rules.audiences(refs.map((r) => ({ entityType: r.entity_type, entityId: r.entity_id })));
      const keys = refs.flatMap((_, i) => audiences[i]);
      const seqs = refs.flatMap((r, i) => audiences[i].map(() => r.seq));
      const to = Number(refs[refs.length - 1].seq);
      if (await this.index.add(pool, indexedTo, to, keys, seqs)) {
        filed += refs.length;
        indexedTo = to;
      } else {
        // Another instance moved the index first: go on from where it is now.
        indexedTo = (await this.index.progress(pool)).indexedTo;
      }
      eventIndexBehind.set(Math.max(0, head - indexedTo));
    }
    return filed;
  }
}
