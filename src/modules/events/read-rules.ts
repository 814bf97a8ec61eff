import type { OnModuleInit } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import type { EntityType } from '../../core/audit/entity-types';
import { parseInstrument } from '../../core/ledger/assets';
import { AudienceKey, EVERYONE } from './audience';

/**
 * What of an audit entry's `after` a reader may see: the entry as it is, or less what the
 * entity's GET withholds from that reader (a participant's private fields, a BUY auction's
 * `limitPrice`).
 */
export type Redaction = (after: unknown) => unknown;

/** The reader sees the entry whole. */
export const WHOLE: Redaction = (after) => after;

/** The reader sees only these fields of an object. */
export const only = (fields: readonly string[]): Redaction => (after) =>
  after !== null && typeof after === 'object'
    ? Object.fromEntries(Object.entries(after).filter(([key]) => fields.includes(key)))
    : after;

/**
 * A feature module's answer to "may this reader GET these entities now?", for the entity
 * types it owns. It reuses the module's own read rule (the one its GET applies), so a rule
 * has one home. Extend `ReadRules` and list the class among the module's providers (with
 * EventsModule imported): it registers itself when the module starts.
 */
export interface EntityReadRules {
  readonly entityTypes: readonly EntityType[];
  /**
   * Of `ids` (all of `entityType`), those `actor` may GET now, each with its redaction;
   * an id absent from the answer is not readable (missing entities included).
   */
  readable(actor: Actor, entityType: EntityType, ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>>;
  /**
   * The regions each of `ids` belongs to for the audit log (API.md, Audit log): a region
   * or its cap by itself; a participant and its keys, cash movements and webhooks by the
   * participant's region; a right and what hangs on it, a market and everything traded in
   * it, a project and its readings and statements, by their region; a regional trade by
   * either region. An id absent from the answer belongs to no region.
   */
  auditRegions?(entityType: EntityType, ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  /**
   * What a reader allowed to see entries about these entities sees of their `before` and
   * `after`: whole unless the entity's GET withholds something from it (a BUY tender's limit).
   */
  auditRedaction?(actor: Actor, entityType: EntityType, ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>>;
  /**
   * Who could ever read each of `ids` through `readable`, but the operator (audience.ts):
   * the keys the event feed's index files its entries under (decision 0037). They must
   * cover every reader `readable` might ever answer for; they may cover more. An id absent
   * from the answer is read by nobody but the operator (a missing entity). Without this
   * method every entry of the types is filed for everyone, so the feed looks at each.
   * A change that lets new readers in needs the index rebuilt (docs/operations.md).
   */
  audience?(entityType: EntityType, ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>>;
}

type EntryRef = { entityType: EntityType; entityId: string };

/**
 * The read rules of every entity type, as the modules that own them registered them. A
 * plain class (it takes nothing; Nest constructs it as it does repositories), so the rule
 * "unregistered types are the operator's only" is tested without Nest.
 */
export class ReadRulesRegistry {
  private readonly rules = new Map<EntityType, EntityReadRules>();

  register(rules: EntityReadRules): void {
    for (const type of rules.entityTypes) {
      if (this.rules.has(type)) throw new Error(`read rules for entity type ${type} are registered twice`);
      this.rules.set(type, rules);
    }
  }

  /** The entity types with read rules; every other type is the operator's only. */
  get registered(): EntityType[] {
    return [...this.rules.keys()];
  }

  /** Per entry, the regions its entity belongs to (none when unknown or unregistered). */
  async auditRegions(entries: readonly EntryRef[]): Promise<Array<readonly string[]>> {
    const answers = await this.perType(entries, (rules, type, ids) => rules.auditRegions?.(type, ids));
    return entries.map((e) => answers.get(e.entityType)?.get(e.entityId) ?? []);
  }

  /**
   * Per entry, the keys the feed's index files it under. Types without rules are the
   * operator's only, so they get none; rules without `audience` file theirs for everyone.
   */
  async audiences(entries: readonly EntryRef[]): Promise<Array<readonly AudienceKey[]>> {
    const answers = await this.perType(entries, (rules, type, ids) =>
      rules.audience ? rules.audience(type, ids) : Promise.resolve(new Map(ids.map((id) => [id, [EVERYONE]]))));
    return entries.map((e) => answers.get(e.entityType)?.get(e.entityId) ?? []);
  }

  /** Per entry, what `actor` (already allowed to read it) sees of its `before` and `after`. */
  async auditRedactions(actor: Actor, entries: readonly EntryRef[]): Promise<Redaction[]> {
    if (actor.kind === 'OPERATOR') return entries.map(() => WHOLE);
    const answers = await this.perType(entries, (rules, type, ids) => rules.auditRedaction?.(actor, type, ids));
    return entries.map((e) => answers.get(e.entityType)?.get(e.entityId) ?? WHOLE);
  }

  /** One call per entity type present, with its distinct ids. */
  private async perType<T>(entries: readonly EntryRef[], ask: (rules: EntityReadRules, type: EntityType, ids: string[]) => Promise<ReadonlyMap<string, T>> | undefined): Promise<Map<EntityType, ReadonlyMap<string, T>>> {
    const idsByType = new Map<EntityType, Set<string>>();
    for (const e of entries) {
      if (!idsByType.has(e.entityType)) idsByType.set(e.entityType, new Set());
      idsByType.get(e.entityType)!.add(e.entityId);
    }
    const answers = new Map<EntityType, ReadonlyMap<string, T>>();
    for (const [type, ids] of idsByType) {
      const rules = this.rules.get(type);
      const answer = rules ? await ask(rules, type, [...ids]) : undefined;
      if (answer) answers.set(type, answer);
    }
    return answers;
  }

  /**
   * What `actor` may see of each entry: its redaction, or null when it may not read the
   * entity. The operator sees everything; an entity type nobody registered rules for (a
   * capability not wired yet) is the operator's only.
   */
  async visibility(actor: Actor, entries: readonly EntryRef[]): Promise<Array<Redaction | null>> {
    if (actor.kind === 'OPERATOR') return entries.map(() => WHOLE);
    const answers = await this.perType(entries, (rules, type, ids) => rules.readable(actor, type, ids));
    return entries.map((e) => answers.get(e.entityType)?.get(e.entityId) ?? null);
  }
}

/**
 * Base of a module's read rules: registers them with the registry when the module starts.
 * The subclass passes the registry to `super` and implements `readable`.
 */
export abstract class ReadRules implements EntityReadRules, OnModuleInit {
  abstract readonly entityTypes: readonly EntityType[];

  protected constructor(private readonly registry: ReadRulesRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract readable(actor: Actor, entityType: EntityType, ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>>;

  abstract auditRegions(entityType: EntityType, ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;

  /** The region of each row, keyed by `idOf`. */
  protected regionsBy<R>(rows: readonly R[], idOf: (row: R) => string, regionsOf: (row: R) => ReadonlyArray<string | null | undefined>): Map<string, string[]> {
    return new Map(rows.map((row) => [idOf(row), regionsOf(row).filter((code): code is string => typeof code === 'string')]));
  }

  /** Readable ids among `rows`, each seen whole or through `redaction` as `rule` answers. */
  protected async sift<R>(rows: readonly R[], idOf: (row: R) => string, rule: (row: R) => Promise<Redaction | null> | Redaction | null): Promise<Map<string, Redaction>> {
    const found = new Map<string, Redaction>();
    for (const row of rows) {
      const redaction = await rule(row);
      if (redaction) found.set(idOf(row), redaction);
    }
    return found;
  }
}

/** The answer for entities every authenticated caller may read (regions, caps, markets). */
export const readableByAll = (ids: readonly string[]): Map<string, Redaction> => new Map(ids.map((id) => [id, WHOLE]));

/** Entities that belong to a market belong to its region (`<regionCode>-<source>-<year>`). */
export const marketRegions = (rows: ReadonlyArray<{ id: string; marketId: string }>): Map<string, readonly string[]> =>
  new Map(rows.map((r) => [r.id, [parseInstrument(r.marketId)?.regionCode].filter((c): c is string => c !== undefined)]));
