import type { Actor } from '../../common/auth/actor';

/**
 * Who could ever read an audit entry, as keys of the feed's index (decision 0037). An
 * entry's keys must name every reader but the operator that its entity's read rule could
 * ever let in; they may name more (the rule still decides, as of the request).
 */
export type AudienceKey = string;

/** Any authenticated caller may read the entity (markets, regions, participants' public views…). */
export const EVERYONE: AudienceKey = '*';

/** A party to the entity: its owner, holder, buyer, seller… */
export const party = (participantId: string): AudienceKey => `p:${participantId}`;

/**
 * Regulators whose jurisdiction holds this region. The entity's own region, not the chain
 * above it: the tree may change (PUT /v1/regions/:code), so a reader's regions are taken
 * from the tree as it is when it reads.
 */
export const region = (code: string): AudienceKey => `r:${code}`;

/** A reader as the index knows it: its own keys, and a regulator's region (its jurisdiction is that region's subtree). */
export interface IndexReader {
  keys: readonly AudienceKey[];
  regulatorOf: string | null;
}

/** The reader's own keys; a regulator's jurisdiction adds the `region` keys of its subtree as the tree is when it reads. */
export const indexReader = (actor: Actor): IndexReader => ({
  keys: [EVERYONE, party(actor.participantId)],
  regulatorOf: actor.kind === 'REGULATOR' ? actor.regionCode : null,
});

/** The keys of one entity: its parties and the regions whose regulators may read it. */
export const audienceOf = (parties: ReadonlyArray<string | null | undefined>, regions: ReadonlyArray<string | null | undefined> = []): AudienceKey[] => [
  ...new Set([
    ...parties.filter((id): id is string => typeof id === 'string').map(party),
    ...regions.filter((code): code is string => typeof code === 'string').map(region),
  ]),
];
