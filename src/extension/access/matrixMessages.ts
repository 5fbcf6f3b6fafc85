import { z } from 'zod';
import { groupLabel, type AccessMatrix } from '../../core/insight/accessMatrix';

/*
 * The messages between the Access Matrix webview and the extension. What the webview sends is untrusted
 * input (docs/architecture.md §5): every message is parsed with these schemas and anything else is dropped.
 */

/** A row of the matrix as the webview holds it (arrays keep 100,000 rows small). */
export type MatrixRow = readonly [
  customerName: string,
  customerTenantId: string,
  relationshipName: string,
  relationshipId: string,
  groupLabel: string,
  roleName: string,
  /** 1 privileged, 0 not, -1 unknown (never assumed harmless). */
  privileged: 1 | 0 | -1,
  /** yyyy-mm-dd or ''. */
  ends: string,
];

/** 1 privileged, 0 not, -1 unknown. */
export type PrivilegeFlag = 1 | 0 | -1;

/** A holding in a cell: [group index, relationship indices, access row indices]. */
export type WireHolding = readonly [group: number, relationships: readonly number[], rows: readonly number[]];

/**
 * The grid as the webview holds it: arrays rather than objects, so 2,000 customers × 60 roles stay small.
 * `cells[c]` is the non-empty cells of customer c as [role index, holdings].
 */
export interface WireMatrix {
  readonly customers: readonly (readonly [name: string, tenantId: string])[];
  readonly roles: readonly (readonly [name: string, roleDefinitionId: string, privileged: PrivilegeFlag])[];
  /** [label shown in a cell (name or short id), full id, 1 when the label is a name]. */
  readonly groups: readonly (readonly [label: string, groupId: string, named: 0 | 1])[];
  readonly relationships: readonly (readonly [name: string, id: string])[];
  readonly cells: readonly (readonly (readonly [role: number, holdings: readonly WireHolding[]])[])[];
  /** Whether a group's members can be read (`gdap.resolveGroupNames` on and the client offers it). */
  readonly members: boolean;
}

export function wireMatrix(matrix: AccessMatrix, members: boolean): WireMatrix {
  return {
    customers: matrix.customers.map((c) => [c.name, c.tenantId] as const),
    roles: matrix.roles.map((r) => [r.name, r.roleDefinitionId, r.privileged === null ? -1 : r.privileged ? 1 : 0] as const),
    groups: matrix.groups.map((g) => [groupLabel(g), g.groupId, g.name === null ? 0 : 1] as const),
    relationships: matrix.relationships.map((r) => [r.name, r.id] as const),
    cells: matrix.cells.map((row) =>
      row.map((cell) => [cell.role, cell.holdings.map((h) => [h.group, h.relationships, h.rows] as const)] as const),
    ),
    members,
  };
}

/** A member as the webview shows it: names only ([display name, user principal name or '']). */
export type WireMember = readonly [displayName: string, userPrincipalName: string];

const MAX_ROWS = 1_000_000;
const index = z.number().int().min(0).max(MAX_ROWS);

export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  /** One access row (by index into the rows): its relationship in the tree. */
  z.object({ type: z.literal('open'), index }).strict(),
  /** A chosen cell (customer and role indices, the groups shown in it): its relationship(s) in the tree. */
  z
    .object({
      type: z.literal('openCell'),
      customer: index,
      role: index,
      groups: z.array(index).max(10_000).optional(),
    })
    .strict(),
  /** A group's members, read on demand (by index into the groups). */
  z.object({ type: z.literal('members'), group: index }).strict(),
  z
    .object({
      type: z.literal('export'),
      format: z.enum(['csv', 'markdown']),
      /** The rows shown (filtered and sorted), by index into the rows sent. */
      indices: z.array(index).max(MAX_ROWS),
    })
    .strict(),
]);

export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** The message, or undefined when it is not one the webview may send. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const parsed = webviewMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
