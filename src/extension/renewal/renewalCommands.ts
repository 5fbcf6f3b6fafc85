import * as vscode from 'vscode';
import type { ItemResult } from '../../core/actions/actionTypes';
import type { Confirmation } from '../../core/actions/confirmations';
import type { InventoryRelationship } from '../../core/actions/inventory';
import { planMutation } from '../../core/actions/mutationPipeline';
import type { MutationStrategy } from '../../core/actions/mutationStrategy';
import { includesGlobalAdministrator } from '../../core/actions/relationshipFacts';
import {
  autoExtendConfirmation,
  makeRenewableConfirmation,
  removeGlobalAdministratorConfirmation,
  renewConfirmation,
} from '../../core/actions/renewalConfirmations';
import { autoExtendStrategy } from '../../core/actions/strategies/autoExtend';
import { makeRenewableStrategy } from '../../core/actions/strategies/makeRenewable';
import type { RelationshipPlanFields } from '../../core/actions/strategies/relationshipPlan';
import { removeGlobalAdministratorStrategy } from '../../core/actions/strategies/removeGlobalAdministrator';
import { renewStrategy } from '../../core/actions/strategies/renewRelationship';
import { GdapError } from '../../core/http/gdapError';
import type { CommandDeps } from '../commands/commandDeps';
import { l10nTranslate, type ProgressWords, groupLabel } from '../commands/mutationProgress';
import { reloadCustomersOf, runExtensionMutation, waitingWords } from '../commands/strategyRun';
import { applyFilter } from '../commands/viewCommands';
import { VIEW_ID } from '../constants';
import { relationshipNodeId } from '../tree/relationshipNode';
import { withViewProgress } from '../ui/progress';
import { fixApplies, relationshipsOfSelection, type RenewalFix } from './renewalTargets';

/*
 * The renewal fixes in the extension (docs/renewal.md): each is `runExtensionMutation` with its strategy and
 * its confirmation from core. Targets: the clicked relationship or the multi-selection, a whole customer, a
 * bucket of the Renewal view, or (from the palette) a customer and then one or all of its relationships.
 */

function cancelled(): GdapError {
  return new GdapError({ kind: 'cancelled', message: vscode.l10n.t('Cancelled.') });
}

function customerLabel(r: InventoryRelationship): string {
  return r.customer.displayName ?? r.customer.tenantId ?? vscode.l10n.t('(no customer yet)');
}

/** Palette: a customer with something the fix applies to, then one of its relationships or all of them. */
async function pickTargets(deps: CommandDeps, fix: RenewalFix, title: string): Promise<InventoryRelationship[]> {
  if (deps.tree.store.current === undefined) {
    await deps.tree.withProgress(() => deps.tree.store.load());
  }
  const now = new Date();
  const customers = (deps.tree.store.current?.customers ?? [])
    .map((c) => ({ c, applicable: c.relationships.filter((r) => fixApplies(fix, r, now)) }))
    .filter((x) => x.applicable.length > 0);
  if (customers.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('No customer has anything this action applies to.'));
    throw cancelled();
  }
  const chosen = await deps.prompts.current.pick(
    customers.map((x) => ({
      label: x.c.displayName || x.c.tenantId,
      description: x.applicable.length === 1 ? vscode.l10n.t('1 relationship') : vscode.l10n.t('{0} relationships', x.applicable.length),
      detail: x.c.tenantId,
      value: x.applicable,
    })),
    { title, placeHolder: vscode.l10n.t('Choose a customer (type to search)') },
  );
  if (chosen === undefined) {
    throw cancelled();
  }
  if (chosen.length === 1) {
    return chosen;
  }
  const all = { label: vscode.l10n.t('All {0} relationships', chosen.length), description: customerLabel(chosen[0]), value: chosen };
  const one = await deps.prompts.current.pick(
    [
      all,
      ...chosen.map((r) => ({ label: r.displayName, description: r.status, detail: r.roles.map((x) => x.name).join(', '), value: [r] })),
    ],
    { title, placeHolder: vscode.l10n.t('Choose a relationship of {0}', customerLabel(chosen[0])) },
  );
  if (one === undefined) {
    throw cancelled();
  }
  return one;
}

/** The relationships a command acts on: from the context menu when clicked there, else through the pickers. */
async function targetsOf(
  deps: CommandDeps,
  fix: RenewalFix,
  title: string,
  node: unknown,
  selection: unknown,
): Promise<InventoryRelationship[]> {
  if (node === undefined || node === null) {
    return pickTargets(deps, fix, title);
  }
  const found = relationshipsOfSelection(fix, node, selection, (id) => deps.tree.store.findRelationship(id), new Date());
  if (found.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('Nothing here needs this action.'));
  }
  return found;
}

function nodeIdOf(r: InventoryRelationship | undefined): string {
  if (r === undefined) {
    return '';
  }
  return relationshipNodeId(r);
}

interface Fix<S, P extends RelationshipPlanFields, C> {
  readonly title: string;
  readonly strategy: MutationStrategy<string, S, P, C>;
  confirmation(plan: readonly P[], changedSinceShown: boolean): Confirmation;
  readonly logName: string;
  readonly words: ProgressWords;
  readonly busyLabel: string;
}

/** One fix on the pipeline through the extension's one mutation skeleton; the customers touched are reloaded. */
function runFix<S, P extends RelationshipPlanFields, C>(
  deps: CommandDeps,
  fix: Fix<S, P, C>,
  relationships: readonly InventoryRelationship[],
): Promise<ItemResult[]> {
  const byId = new Map(relationships.map((r) => [r.id, r]));
  return runExtensionMutation(deps, {
    title: fix.title,
    strategy: fix.strategy,
    targets: [...byId.keys()],
    confirmation: (plan, changed) => fix.confirmation(plan, changed),
    logName: fix.logName,
    words: fix.words,
    name: (p, id) => p.name ?? byId.get(id)?.displayName ?? id,
    busy: { label: fix.busyLabel, nodeIds: (id) => [nodeIdOf(byId.get(id))] },
    afterRun: (_results, acted) => reloadCustomersOf(deps, acted),
  });
}

function groupNameOf(deps: CommandDeps): (groupId: string) => string | undefined {
  return groupLabel(deps);
}

const WAITING: () => ProgressWords = () =>
  waitingWords(
    (name) => vscode.l10n.t('{0}: waiting for Microsoft', name),
    (name, index, total) => vscode.l10n.t('{0}: waiting for Microsoft ({1} of {2})', name, index, total),
  );

const WAITING_FOR_GA: () => ProgressWords = () =>
  waitingWords(
    (name) => vscode.l10n.t('{0}: waiting for Microsoft to remove Global Administrator', name),
    (name, index, total) => vscode.l10n.t('{0}: waiting for Microsoft to remove Global Administrator ({1} of {2})', name, index, total),
  );

async function runAutoExtend(deps: CommandDeps, on: boolean, relationships: readonly InventoryRelationship[]): Promise<ItemResult[]> {
  return runFix(
    deps,
    {
      title: on ? vscode.l10n.t('Turn On Auto-Extend') : vscode.l10n.t('Turn Off Auto-Extend'),
      strategy: autoExtendStrategy(on),
      confirmation: (plan, changedSinceShown) => autoExtendConfirmation(plan, on, { translate: l10nTranslate, changedSinceShown }),
      logName: on ? 'Turn on auto-extend' : 'Turn off auto-extend',
      words: WAITING(),
      busyLabel: vscode.l10n.t('Changing auto-extend…'),
    },
    relationships,
  );
}

/**
 * Turn on auto-extend. Relationships with Global Administrator are refused up front (it blocks auto-extend,
 * docs/api-notes.md §4.1) with the reason and the offer of Make Renewable; the others run.
 */
export async function turnOnAutoExtendFor(deps: CommandDeps, relationships: readonly InventoryRelationship[]): Promise<void> {
  const blocked = relationships.filter((r) => r.status === 'active' && includesGlobalAdministrator(r));
  const rest = relationships.filter((r) => !blocked.includes(r));
  if (rest.length > 0) {
    await runAutoExtend(deps, true, rest);
  }
  if (blocked.length === 0) {
    return;
  }
  const makeRenewable = vscode.l10n.t('Make Renewable…');
  const choice = await deps.prompts.current.notify(
    'warning',
    blocked.length === 1
      ? vscode.l10n.t(
          'Auto-extend cannot be turned on for "{0}": Global Administrator is among its roles, which blocks auto-extend. Make it renewable instead (removes Global Administrator, then turns on auto-extend)?',
          blocked[0].displayName,
        )
      : vscode.l10n.t(
          'Auto-extend cannot be turned on for {0} relationships that have Global Administrator among their roles, which blocks auto-extend ({1}). Make them renewable instead (removes Global Administrator, then turns on auto-extend)?',
          blocked.length,
          blocked.map((r) => r.displayName).join(', '),
        ),
    makeRenewable,
  );
  if (choice === makeRenewable) {
    await makeRenewableFor(deps, blocked);
  }
}

export async function makeRenewableFor(deps: CommandDeps, relationships: readonly InventoryRelationship[]): Promise<void> {
  await runFix(
    deps,
    {
      title: vscode.l10n.t('Make Renewable'),
      strategy: makeRenewableStrategy,
      confirmation: (plan, changedSinceShown) =>
        makeRenewableConfirmation(plan, { translate: l10nTranslate, changedSinceShown, groupName: groupNameOf(deps) }),
      logName: 'Make renewable',
      words: WAITING_FOR_GA(),
      busyLabel: vscode.l10n.t('Making renewable…'),
    },
    relationships,
  );
}

export async function turnOnAutoExtendCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const targets = await targetsOf(deps, 'autoExtendOn', vscode.l10n.t('Turn On Auto-Extend'), node, selection);
  if (targets.length > 0) {
    await turnOnAutoExtendFor(deps, targets);
  }
}

export async function turnOffAutoExtendCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const targets = await targetsOf(deps, 'autoExtendOff', vscode.l10n.t('Turn Off Auto-Extend'), node, selection);
  if (targets.length > 0) {
    await runAutoExtend(deps, false, targets);
  }
}

export async function removeGlobalAdministratorCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Remove Global Administrator');
  const targets = await targetsOf(deps, 'removeGlobalAdministrator', title, node, selection);
  if (targets.length === 0) {
    return;
  }
  await runFix(
    deps,
    {
      title,
      strategy: removeGlobalAdministratorStrategy,
      confirmation: (plan, changedSinceShown) =>
        removeGlobalAdministratorConfirmation(plan, { translate: l10nTranslate, changedSinceShown, groupName: groupNameOf(deps) }),
      logName: 'Remove Global Administrator',
      words: WAITING_FOR_GA(),
      busyLabel: vscode.l10n.t('Removing Global Administrator…'),
    },
    targets,
  );
}

export async function makeRenewableCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const targets = await targetsOf(deps, 'makeRenewable', vscode.l10n.t('Make Renewable'), node, selection);
  if (targets.length > 0) {
    await makeRenewableFor(deps, targets);
  }
}

/**
 * Renew: the successor is created and locked for approval, the old relationship's access assignments kept
 * as planned assignments (next to the journal, as the CLI keeps them); then the approval links are offered.
 */
export async function renewRelationshipCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Renew Relationship');
  const targets = await targetsOf(deps, 'renew', title, node, selection);
  if (targets.length === 0) {
    return;
  }
  // The successor's planned assignments go where the approval notification looks for them (docs/onboarding.md).
  const store = deps.onboarding.planned;
  const strategy = renewStrategy({ store });
  const results = await runFix(
    deps,
    {
      title,
      strategy,
      confirmation: (plan, changedSinceShown) => renewConfirmation(plan, { translate: l10nTranslate, changedSinceShown }),
      logName: 'Renew relationship',
      words: WAITING(),
      busyLabel: vscode.l10n.t('Renewing…'),
    },
    targets,
  );
  const renewed = results.filter((r) => r.outcome === 'done' || r.outcome === 'alreadyDone').map((r) => r.id);
  if (renewed.length > 0) {
    await offerApprovalLinks(deps, strategy, renewed);
  }
}

/** Reads the renewed relationships once more (as `gdap renew` does) and offers their successors' approval links. */
async function offerApprovalLinks(deps: CommandDeps, strategy: ReturnType<typeof renewStrategy>, ids: readonly string[]): Promise<void> {
  const clients = deps.clients();
  const after = await withViewProgress(() => planMutation({ graph: clients.graph, partnerCenter: clients.partnerCenter }, strategy, ids));
  const linked = after.filter((p) => p.approvalLink !== null);
  if (linked.length === 0) {
    return;
  }
  for (const p of linked) {
    deps.log.info(
      `Renew ${p.name ?? p.id}: successor ${p.successorName ?? '?'} (${p.successorId ?? '?'}), approval link ${p.approvalLink ?? ''}`,
    );
  }
  const copy = vscode.l10n.t('Copy Approval Link');
  const one = linked.length === 1 ? linked[0] : undefined;
  const choice = await deps.prompts.current.notify(
    'info',
    one !== undefined
      ? vscode.l10n.t(
          'The successor "{0}" waits for {1} to approve it. Send the customer the approval link; the access assignments are granted once it is approved.',
          one.successorName ?? '?',
          one.customerName ?? one.customerTenantId ?? '?',
        )
      : vscode.l10n.t(
          '{0} successors wait for their customers to approve them. Send each customer its approval link; the access assignments are granted once approved.',
          linked.length,
        ),
    copy,
  );
  if (choice === copy) {
    await vscode.env.clipboard.writeText(linked.map((p) => p.approvalLink ?? '').join('\n'));
  }
}

/** GDAP: Show Expiring Relationships — the explorer filtered to what ends within the warning window. */
export async function showExpiringCommand(deps: CommandDeps): Promise<void> {
  await applyFilter(deps, '', 'expiringSoon');
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
}
