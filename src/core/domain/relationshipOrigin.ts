/**
 * Where a relationship came from, read off its display name. Several tools and Microsoft itself name the
 * relationships they create with a fixed prefix followed by an id (docs/api-notes.md §15): `MLT_<guid>`
 * from the Microsoft-led transition of DAP customers, `CIPP_<…>` from the CIPP partner portal,
 * `LHSetup_<…>` from Microsoft 365 Lighthouse onboarding, and the auto-approved "Default" relationships
 * Microsoft creates for customers made in Partner Center. Such a name says nothing to the partner, so the
 * tree and the CLI show the origin beside it; the raw name always stays visible too.
 *
 * Pure: no I/O, no VS Code; the tree and the CLI label alike.
 */

export type RelationshipOriginKind = 'microsoftLedTransition' | 'cipp' | 'lighthouse' | 'microsoftDefault';

export interface RelationshipOrigin {
  /** Null for a name the partner chose. */
  readonly origin: RelationshipOriginKind | null;
  /** Short human label ("Microsoft-led transition"); empty when `origin` is null. */
  readonly label: string;
}

const LABELS: Record<RelationshipOriginKind, string> = {
  microsoftLedTransition: 'Microsoft-led transition',
  cipp: 'CIPP',
  lighthouse: 'Microsoft 365 Lighthouse',
  microsoftDefault: 'Microsoft default',
};

/*
 * Prefix → origin. Case-insensitive, and the separator after the prefix must be `_` or `-` so that a
 * partner's own "Default support" or "Lighthouse team" stays a partner name. Microsoft does not document
 * the exact name of its automatic relationships; `Default_…` and a bare "Default" are taken as its.
 */
const PATTERNS: readonly (readonly [RegExp, RelationshipOriginKind])[] = [
  [/^MLT[_-]/i, 'microsoftLedTransition'],
  [/^CIPP[_-]/i, 'cipp'],
  [/^LHSetup[_-]/i, 'lighthouse'],
  [/^Default(?:[_-]|$)/i, 'microsoftDefault'],
];

const NONE: RelationshipOrigin = { origin: null, label: '' };

/** The origin of a relationship by its display name, or `{ origin: null, label: '' }` for a partner's own name. */
export function relationshipOrigin(displayName: string | null | undefined): RelationshipOrigin {
  const name = (displayName ?? '').trim();
  for (const [pattern, origin] of PATTERNS) {
    if (pattern.test(name)) {
      return { origin, label: LABELS[origin] };
    }
  }
  return NONE;
}
