import { GLOBAL_ADMINISTRATOR_ROLE_ID, ROLE_CATALOG } from '../core/roles/roleCatalog';
import type { AssignmentRecord, CustomerRecord, DirectoryUser, RelationshipRecord, RelationshipStatus, SecurityGroup } from './model';
import { SeededRandom } from './random';
import { type EtagFactory, isoTime } from './stamps';

/** Deterministic data sets: same seed + preset + count → same ids, names and statuses. */
export interface Dataset {
  partnerTenantId: string;
  partnerDomain: string;
  customers: CustomerRecord[];
  relationships: RelationshipRecord[];
  securityGroups: SecurityGroup[];
}

export const PRESET_CUSTOMERS = { empty: 0, demo: 25, large: 2000, xl: 10000 } as const;

/** Relationships per customer (0..4), relative weights: mean ≈ 1.75 (≈ 2.25 for `xl`, a larger partner). */
const RELATIONSHIP_WEIGHTS = [10, 40, 25, 15, 10];
const XL_RELATIONSHIP_WEIGHTS = [5, 25, 30, 20, 20];
/** Every this-many-th customer is a Partner Center customer with no GDAP relationship at all. */
const PC_ONLY_EVERY = 12;

const DAY = 86_400_000;

const BASES = [
  'Contoso',
  'Fabrikam',
  'Northwind Traders',
  'Adventure Works',
  'Tailspin Toys',
  'Woodgrove Bank',
  'Litware',
  'Proseware',
  'Wingtip Toys',
  'Alpine Ski House',
  'Coho Winery',
  'Fourth Coffee',
  'Lucerne Publishing',
  "Margie's Travel",
  'Trey Research',
  'Wide World Importers',
  'Blue Yonder Airlines',
  'Graphic Design Institute',
  'Humongous Insurance',
  'Southridge Video',
  'Relecloud',
  'A. Datum',
  'VanArsdel',
  'Bellows College',
  'Consolidated Messenger',
  'Best For You Organics',
  'First Up Consultants',
  'Fincher Architects',
  'Lamna Healthcare',
  "Munson's Pickles",
  'Nod Publishers',
  'School of Fine Art',
  'City Power & Light',
  'Liberty Delightful Sinful Bakery',
  'Tasmanian Traders',
  'Wingtip Partners',
  'Olympia Fitness',
  'Hexa Robotics',
  'Cronus Logistics',
  'Veridian Dental',
];
const SUFFIXES = ['Ltd', 'Inc.', 'GmbH', 'LLC', 'B.V.', 'AB', 'Pty Ltd', 'S.A.', 'Group', 'Holdings'];
const REGIONS = ['', ' Europe', ' APAC', ' North America', ' Nordics', ' UK', ' Iberia', ' Benelux'];
const CITIES: [string, string][] = [
  ['Seattle', 'US'],
  ['London', 'GB'],
  ['Amsterdam', 'NL'],
  ['Munich', 'DE'],
  ['Stockholm', 'SE'],
  ['Sydney', 'AU'],
  ['Toronto', 'CA'],
  ['Madrid', 'ES'],
  ['Paris', 'FR'],
  ['Dublin', 'IE'],
];
const FIRST = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Robin', 'Casey', 'Jamie', 'Avery', 'Riley'];
const LAST = ['Smith', 'Garcia', 'Müller', 'Jansen', 'Nakamura', 'Okafor', 'Lindqvist', 'Rossi', 'Dubois', 'Novak'];
const GROUP_NAMES = [
  'GDAP - Helpdesk Agents',
  'GDAP - Exchange Admins',
  'GDAP - Security Operations',
  'GDAP - Global Readers',
  'GDAP - Intune Engineers',
  'GDAP - License Managers',
  'GDAP - Teams Support',
  'GDAP - Billing',
  'GDAP - Escalation Engineers',
  'GDAP - SharePoint Admins',
  'GDAP - Identity Team',
  'GDAP - Break Glass',
];
const PURPOSES = ['Helpdesk', 'Security', 'Exchange support', 'Full management', 'Read only', 'Licensing', 'Intune'];

/** Seeded statuses, drawn with the weights 70/8/7/7/5/2/1 (docs/emulator.md "Data presets"). */
const SEED_STATUSES: readonly RelationshipStatus[] = [
  'active',
  'expired',
  'terminated',
  'approvalPending',
  'created',
  'expiring',
  'terminationRequested',
];

const PARTNER_ROLES = ROLE_CATALOG.filter((r) => r.notForPartners !== true && r.id !== GLOBAL_ADMINISTRATOR_ROLE_ID).map((r) => r.id);

/** Customer display names: shuffled combinations of base × suffix × region, unique. */
function customerNames(rng: SeededRandom, count: number): string[] {
  const total = BASES.length * SUFFIXES.length * REGIONS.length;
  const start = rng.int(0, total - 1);
  // A stride coprime with the total visits every combination once in a scrambled order.
  let stride = 7919;
  while (gcd(stride, total) !== 1) {
    stride += 2;
  }
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = (start + i * stride) % total;
    const cycle = Math.floor(i / total);
    const base = BASES[k % BASES.length];
    const suffix = SUFFIXES[Math.floor(k / BASES.length) % SUFFIXES.length];
    const region = REGIONS[Math.floor(k / (BASES.length * SUFFIXES.length)) % REGIONS.length];
    names.push(`${base}${region} ${suffix}${cycle > 0 ? ` ${cycle + 1}` : ''}`);
  }
  return names;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 20);
}

export function generateDataset(seed: number, customerCount: number, etags: EtagFactory, nowMs: number, xl = false): Dataset {
  const rng = new SeededRandom(seed);
  // Timestamps are anchored to the start of the current UTC day so the same seed gives the same data all day.
  const today = Math.floor(nowMs / DAY) * DAY;
  const partnerTenantId = rng.guid();
  const partnerDomain = 'contosopartner.onmicrosoft.com';
  const securityGroups = GROUP_NAMES.map((displayName) => ({ id: rng.guid(), displayName }));
  const names = customerNames(rng, customerCount);
  const customers: CustomerRecord[] = [];
  const relationships: RelationshipRecord[] = [];
  const usedNames = new Set<string>();

  for (let ci = 0; ci < customerCount; ci++) {
    const tenantId = rng.guid();
    const displayName = names[ci];
    const domain = `${slug(displayName)}${ci}.onmicrosoft.com`;
    const [city, country] = rng.pick(CITIES);
    customers.push({
      tenantId,
      displayName,
      domain,
      etag: etags.next(),
      allowDelegatedAccess: rng.chance(0.3),
      commerceId: rng.guid(),
      billingProfileId: rng.guid(),
      city,
      country,
      firstName: rng.pick(FIRST),
      lastName: rng.pick(LAST),
    });

    const relCount = ci % PC_ONLY_EVERY === PC_ONLY_EVERY - 1 ? 0 : rng.weighted(xl ? XL_RELATIONSHIP_WEIGHTS : RELATIONSHIP_WEIGHTS);
    for (let k = 0; k < relCount; k++) {
      relationships.push(makeRelationship(rng, etags, today, { tenantId, displayName }, securityGroups, partnerTenantId, usedNames));
    }
  }
  ensureResellerItem(rng, relationships);
  return { partnerTenantId, partnerDomain, customers, relationships, securityGroups };
}

/** Every non-trivial data set shows the polymorphic case: one reseller item awaiting approval. */
function ensureResellerItem(rng: SeededRandom, relationships: RelationshipRecord[]): void {
  if (relationships.some((r) => r.reseller && r.status === 'approvalPending')) {
    return;
  }
  const r =
    relationships.find((x) => x.status === 'approvalPending' && x.customer !== null) ??
    relationships.find((x) => x.status === 'created' && x.customer !== null);
  if (r === undefined) {
    return;
  }
  r.reseller = true;
  r.status = 'approvalPending';
  r.activatedDateTime = null;
  r.endDateTime = null;
  r.isPartnerConsentPending = true;
  r.indirectProviderTenantId = rng.guid();
}

function makeRelationship(
  rng: SeededRandom,
  etags: EtagFactory,
  today: number,
  customer: { tenantId: string; displayName: string },
  groups: SecurityGroup[],
  partnerTenantId: string,
  usedNames: Set<string>,
): RelationshipRecord {
  const status = SEED_STATUSES[rng.weighted([70, 8, 7, 7, 5, 2, 1])];
  const days = rng.pick([30, 90, 180, 365, 730]);
  const withGa = rng.chance(0.15);
  const roles = rng.sample(PARTNER_ROLES, rng.int(2, 8));
  if (withGa) {
    roles.unshift(GLOBAL_ADMINISTRATOR_ROLE_ID);
  }
  const mlt = rng.chance(0.1);
  let displayName = mlt ? `MLT_${rng.guid()}`.slice(0, 40) : `${customer.displayName.slice(0, 32)} - ${rng.pick(PURPOSES)}`;
  for (let n = 2; usedNames.has(displayName); n++) {
    displayName = `${displayName.slice(0, 44)} (${n})`;
  }
  usedNames.add(displayName);
  const id = `${rng.guid()}-${partnerTenantId}`;
  // Auto-extend is never on when Global Administrator is present (docs/api-notes.md §4.1).
  const autoExtend = withGa ? 'PT0S' : rng.pick(['PT0S', 'P180D', 'P180D', 'P0D']);

  let created: number;
  let activated: number | null = null;
  let end: number | null = null;
  if (status === 'active' || status === 'terminationRequested') {
    const expiringSoon = rng.chance(0.15);
    const remaining = expiringSoon ? rng.int(1, 29) : rng.int(31, Math.max(32, days - 1));
    const timeOfDay = rng.int(0, DAY - 1);
    // One ending within a month ends at midnight UTC: whether it ends within 1, 7 or 30 days of now is
    // then the same at every hour of the day (a random time of day made "within 7 days" depend on when the
    // data set was made, and so did the tests that count it).
    end = today + remaining * DAY + (expiringSoon ? 0 : timeOfDay);
    activated = end - days * DAY;
    created = activated - rng.int(60_000, 3 * DAY);
  } else if (status === 'expired' || status === 'expiring' || status === 'terminated') {
    end = today - rng.int(status === 'expiring' ? 0 : 1, 300) * DAY - rng.int(0, DAY - 1);
    activated = status === 'terminated' ? end - rng.int(1, days) * DAY : end - days * DAY;
    created = activated - rng.int(60_000, 3 * DAY);
  } else {
    created = today - rng.int(0, 80) * DAY - rng.int(0, DAY - 1);
  }
  const reseller = (status === 'approvalPending' || status === 'active') && rng.chance(0.08);
  const noCustomer = (status === 'approvalPending' || status === 'created') && !reseller && rng.chance(0.35);
  const lastModified = Math.max(created, activated ?? 0, status === 'terminated' || status === 'expired' ? (end ?? 0) : 0);
  const rel: RelationshipRecord = {
    reseller,
    id,
    etag: etags.next(),
    displayName,
    duration: `P${days}D`,
    customer: noCustomer ? null : { tenantId: customer.tenantId, displayName: customer.displayName },
    roles,
    status,
    autoExtendDuration: autoExtend,
    createdDateTime: isoTime(created),
    lastModifiedDateTime: isoTime(lastModified),
    // "" only in created, as the create example shows; null before activation otherwise (the list example).
    activatedDateTime: activated === null ? (status === 'created' ? '' : null) : isoTime(activated),
    endDateTime: end === null ? (reseller ? null : isoTime(created + days * DAY)) : isoTime(end),
    assignments: [],
    operations: [],
    requests: [],
  };
  if (reseller) {
    rel.isPartnerConsentPending = status === 'approvalPending';
    rel.indirectProviderTenantId = rng.guid();
  }
  if (status === 'active') {
    rel.assignments = makeAssignments(rng, etags, groups, roles, activated ?? created);
  }
  return rel;
}

/** 1–5 access assignments to distinct security groups, each with 1–4 of the relationship's roles. */
function makeAssignments(
  rng: SeededRandom,
  etags: EtagFactory,
  groups: SecurityGroup[],
  roles: string[],
  activated: number,
): AssignmentRecord[] {
  const out: AssignmentRecord[] = [];
  const count = 1 + rng.weighted([5, 10, 20, 30, 35]);
  const chosen = rng.sample(groups, count);
  for (const g of chosen) {
    const aRoles = rng.sample(roles, rng.int(1, Math.min(4, roles.length)));
    const t = isoTime(activated + rng.int(60_000, DAY));
    const a: AssignmentRecord = {
      id: rng.guid(),
      etag: etags.next(),
      status: 'active',
      createdDateTime: t,
      lastModifiedDateTime: t,
      containerId: g.id,
      roles: aRoles,
    };
    out.push(a);
  }
  return out;
}

/** The group that has more members than one default page, so `transitiveMembers` paging shows. */
const LARGE_GROUP_MEMBERS = 120;

/**
 * The partner's users and who is in which security group: drawn from their own seeded sequence so adding
 * them left the GDAP data of every seed unchanged. The first group has LARGE_GROUP_MEMBERS members, the
 * others 1–12.
 */
export function generateDirectory(seed: number, groups: readonly SecurityGroup[], partnerDomain: string): Map<string, DirectoryUser[]> {
  const rng = new SeededRandom((seed ^ 0x7f4a7c15) >>> 0);
  const users: DirectoryUser[] = [];
  for (let i = 0; i < 150; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    const round = Math.floor(i / (FIRST.length * LAST.length));
    const ascii = (t: string): string =>
      t
        .normalize('NFD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase();
    users.push({
      id: rng.guid(),
      displayName: `${first} ${last}${round > 0 ? ` ${round + 1}` : ''}`,
      userPrincipalName: `${ascii(first)}.${ascii(last)}${round > 0 ? round + 1 : ''}@${partnerDomain}`,
    });
  }
  const members = new Map<string, DirectoryUser[]>();
  groups.forEach((g, i) => {
    members.set(g.id, rng.sample(users, i === 0 ? LARGE_GROUP_MEMBERS : rng.int(1, 12)));
  });
  return members;
}
