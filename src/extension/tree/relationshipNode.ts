import * as vscode from 'vscode';
import { expiryBucketOf } from '../../core/actions/expiryBuckets';
import type { InventoryRelationship } from '../../core/actions/inventory';
import { toInvitation } from '../../core/actions/onboarding';
import { approvalLink, autoExtends, includesGlobalAdministrator, isAutoExtendOn } from '../../core/actions/relationshipFacts';
import { terminateEligibility } from '../../core/actions/strategies/terminateRelationship';
import { isRelationshipStatusIn } from '../../core/domain/status';
import { HistoryNode } from '../onboarding/historyNode';
import { AssignmentNode } from './assignmentNode';
import { contextValue, statusFacet } from './contextValue';
import { MessageNode } from './messageNode';
import type { GdapNode } from './node';
import {
  bucketIcon,
  bucketWords,
  formatDate,
  formatDuration,
  humanStatus,
  md,
  originTag,
  relationshipAccessibility,
  relationshipDescription,
  relationshipIcon,
  relationshipState,
  shownBucket,
  utcNote,
} from './presentation';
import { RoleNode } from './roleNode';
import type { TreeContext } from './treeContext';

/** Statuses a renewal applies to (docs/renewal.md, "Renew"): ended, or about to. */
const RENEWABLE = new Set(['active', 'expiring', 'expired']);

/** The tree id of a relationship's node: under its customer, or among the invitations when it has none yet. */
export function relationshipNodeId(r: { readonly id: string; readonly customer: { readonly tenantId: string | null } }): string {
  return r.customer.tenantId ? `customer/${r.customer.tenantId}/relationship/${r.id}` : `pending/relationship/${r.id}`;
}

export class RelationshipNode implements GdapNode {
  readonly kind = 'relationship';
  readonly id: string;

  constructor(
    private readonly ctx: TreeContext,
    readonly parent: GdapNode,
    public relationship: InventoryRelationship,
  ) {
    this.id = `${parent.id}/relationship/${relationship.id}`;
  }

  get relationshipId(): string {
    return this.relationship.id;
  }

  get customerName(): string {
    return this.relationship.customer.displayName ?? this.relationship.customer.tenantId ?? vscode.l10n.t('(no customer yet)');
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.relationship;
    const now = this.ctx.now();
    const busy = this.ctx.store.busyLabel(this.id);
    const state = relationshipState(r, now, this.ctx.settings().expiryWarningDays);
    const item = new vscode.TreeItem(r.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = relationshipDescription(r, now, busy);
    // The expiry radar's bucket (docs/renewal.md) gives the icon its own shape and colour per bucket.
    const bucket = shownBucket(r, now, this.ctx.settings().expiryWarningDays);
    item.iconPath = bucket !== null && busy === undefined ? bucketIcon(bucket) : relationshipIcon(state, busy !== undefined);
    const reading = relationshipAccessibility(r, state, now, busy);
    item.accessibilityInformation = bucket === null ? reading : { label: `${reading.label}, ${bucketWords(bucket)}` };
    const ga = includesGlobalAdministrator(r);
    item.contextValue = contextValue(
      'relationship',
      statusFacet(busy === undefined ? r.status : 'busy'),
      `state.${state}`,
      // The terminate menu asks the strategy's own decision, not a copy of it.
      busy === undefined && terminateEligibility(r.status).kind === 'act' && 'can.terminate',
      ga && 'ga',
      autoExtends(r) && 'autoExtend',
      // Renewal menus (src/extension/renewal): auto-extend as set, whether it renews itself, its bucket.
      isAutoExtendOn(r) ? 'ae.on' : 'ae.off',
      !autoExtends(r) && 'selfRenew.no',
      bucket !== null && `bucket.${bucket}`,
      // Renew is offered for what has ended or is about to (docs/renewal.md), not for every active one.
      RENEWABLE.has(r.status) && r.customer.tenantId !== null && (r.status !== 'active' || expiryBucketOf(r, now) !== null) && 'can.renew',
    );
    return item;
  }

  tooltip(): vscode.MarkdownString {
    const r = this.relationship;
    const t = new vscode.MarkdownString();
    t.appendMarkdown(`**${md(r.displayName)}**\n\n`);
    const origin = originTag(r);
    if (origin !== undefined) {
      // The name is an id another tool or Microsoft gave it; say where it came from, keep the name above.
      t.appendMarkdown(`- ${vscode.l10n.t('Origin')}: ${origin}\n`);
    }
    t.appendMarkdown(`- ${vscode.l10n.t('Status')}: ${humanStatus(r.status)}\n`);
    t.appendMarkdown(
      `- ${vscode.l10n.t('Customer')}: ${md(this.customerName)}${r.customer.tenantId ? ` (\`${r.customer.tenantId}\`)` : ''}\n`,
    );
    t.appendMarkdown(`- ${vscode.l10n.t('Id')}: \`${r.id}\`\n`);
    const dates: [string, string | null][] = [
      [vscode.l10n.t('Created'), r.createdDateTime],
      [vscode.l10n.t('Activated'), r.activatedDateTime],
      [vscode.l10n.t('Ends'), r.endDateTime],
    ];
    for (const [label, value] of dates) {
      const f = formatDate(value);
      if (f !== undefined) {
        t.appendMarkdown(`- ${label}: ${f}\n`);
      }
    }
    if (r.duration) {
      t.appendMarkdown(`- ${vscode.l10n.t('Duration')}: ${formatDuration(r.duration)}\n`);
    }
    const ga = includesGlobalAdministrator(r);
    t.appendMarkdown(
      `- ${vscode.l10n.t('Auto-extend')}: ${autoExtends(r) ? vscode.l10n.t('yes (180 days)') : ga ? vscode.l10n.t('no (Global Administrator blocks auto-extend)') : vscode.l10n.t('no')}\n`,
    );
    const link = approvalLink(r);
    if (link !== null) {
      t.appendMarkdown(`- ${vscode.l10n.t('Approval link')}: ${link}\n`);
      const lapses = formatDate(toInvitation(r, this.ctx.now()).lapsesOn);
      if (lapses !== undefined) {
        // docs/onboarding.md §4: a request not approved within 90 days lapses.
        t.appendMarkdown(`- ${vscode.l10n.t('Lapses if not approved by')}: ${lapses}\n`);
      }
    }
    t.appendMarkdown(`\n${vscode.l10n.t('Roles')}: ${r.roles.map((x) => md(x.name) + (x.privileged ? ' ⚠' : '')).join(', ')}`);
    t.appendMarkdown(`\n\n${utcNote()}`);
    return t;
  }

  async getChildren(): Promise<GdapNode[]> {
    const roles = this.relationship.roles.map((role) =>
      this.ctx.intern(
        `${this.id}/role/${role.roleDefinitionId}`,
        () => new RoleNode(this, role),
        (n) => (n.role = role),
      ),
    );
    const history = this.ctx.intern(
      `${this.id}/history`,
      () => new HistoryNode(this, () => this.ctx.store.history(this.relationship.id)),
      () => undefined,
    );
    // Only these statuses have access assignments worth reading (others have none to show or act on).
    if (!isRelationshipStatusIn('withAssignments', this.relationship.status)) {
      return [...roles, history];
    }
    let assignments;
    try {
      assignments =
        this.ctx.store.cachedAssignments(this.relationship.id) ??
        (await this.ctx.withProgress(() => this.ctx.store.loadAssignments(this.relationship.id)));
    } catch (e) {
      return [...roles, MessageNode.error(this, e), history];
    }
    if (this.ctx.settings().resolveGroupNames) {
      // Names for the groups not seen yet this sign-in (cached after that); a failure only leaves the id.
      const groupIds = assignments.map((a) => a.accessContainer.accessContainerId);
      await this.ctx.withProgress(() => this.ctx.store.resolveGroupNames(groupIds));
    }
    const nodes: GdapNode[] = assignments
      .filter((a) => a.status !== 'deleted')
      .map((a) =>
        this.ctx.intern(
          `${this.id}/assignment/${a.id}`,
          () => new AssignmentNode(this.ctx, this, a),
          (n) => (n.assignment = a),
        ),
      );
    if (nodes.length === 0) {
      nodes.push(new MessageNode(this, 'empty', vscode.l10n.t('No access assignments')));
    }
    return [...roles, ...nodes, history];
  }
}
