import type { OnModuleInit } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import type { EntityType } from '../../core/audit/entity-types';

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
}

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

  /**
   * What `actor` may see of each entry: its redaction, or null when it may not read the
   * entity. The operator sees everything; an entity type nobody registered rules for (a
   * capability not wired yet) is the operator's only.
   */
  async visibility(actor: Actor, entries: ReadonlyArray<{ entityType: EntityType; entityId: string }>): Promise<Array<Redaction | null>> {
    if (actor.kind === 'OPERATOR') return entries.map(() => WHOLE);
    const idsByType = new Map<EntityType, Set<string>>();
    for (const e of entries) {
      if (!idsByType.has(e.entityType)) idsByType.set(e.entityType, new Set());
      idsByType.get(e.entityType)!.add(e.entityId);
    }
    const answers = new Map<EntityType, ReadonlyMap<string, Redaction>>();
    for (const [type, ids] of idsByType) {
      const rules = this.rules.get(type);
      answers.set(type, rules ? await rules.readable(actor, type, [...ids]) : new Map());
    }
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
