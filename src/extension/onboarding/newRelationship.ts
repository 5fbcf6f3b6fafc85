import * as vscode from 'vscode';
import { createConfirmation } from '../../core/actions/onboardingConfirmations';
import { createRelationshipStrategy, type CreateRelationshipTarget } from '../../core/actions/strategies/createRelationship';
import type { CommandDeps } from '../commands/commandDeps';
import { l10nTranslate } from '../commands/mutationProgress';
import { runExtensionMutation, waitingWords } from '../commands/strategyRun';
import { CustomerNode } from '../tree/customerNode';
import { lockRelationships } from './draftCommands';
import { askNewRelationship, type NewRelationshipAnswers } from './newRelationshipForm';

/**
 * GDAP: New Relationship… — the form, then create (the confirmation shows the plan read fresh: name
 * still free, customer still a customer), keep the planned assignments, and lock for approval unless
 * the user chose a draft. A create that worked followed by a lock that failed says exactly that and
 * offers the retry (draftCommands.ts).
 */
export async function newRelationshipCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  const ui = deps.prompts.current.steps;
  if (ui === undefined) {
    throw new Error('This prompt layer cannot show a multi-step form.');
  }
  if (deps.tree.store.current === undefined) {
    // The name check and the customer list read the tree's data.
    await deps.tree.withProgress(() => deps.tree.store.load());
  }
  const preset = node instanceof CustomerNode ? { customer: { tenantId: node.tenantId, name: node.displayName } } : {};
  const answers = await askNewRelationship(deps, ui, preset);
  if (answers === undefined) {
    deps.log.info('New relationship: form closed; nothing sent.');
    return;
  }
  await createRelationship(deps, answers);
}

/** Create (+ planned assignments kept, + lock) from validated answers. */
export async function createRelationship(deps: CommandDeps, a: NewRelationshipAnswers): Promise<void> {
  const target: CreateRelationshipTarget = {
    displayName: a.name,
    duration: a.duration,
    roleDefinitionIds: a.roleDefinitionIds,
    customerTenantId: a.customer?.tenantId.toLowerCase() ?? null,
    autoExtendDuration: a.autoExtend ? 'P180D' : null,
  };
  const strategy = createRelationshipStrategy();
  const results = await runExtensionMutation(deps, {
    title: vscode.l10n.t('New Relationship'),
    strategy,
    targets: [target],
    confirmation: (plan) => createConfirmation(plan, { translate: l10nTranslate, lock: a.lock, plannedAssignments: a.planned.length }),
    logName: 'Create relationship',
    words: waitingWords(
      (name) => vscode.l10n.t('{0}: creating', name),
      (name, i, n) => vscode.l10n.t('{0}: creating ({1} of {2})', name, i, n),
    ),
    name: (p) => p.name,
    // The customer's relationships read again (at 10,000 customers a whole reload is thousands of
    // relationships for one); an invitation for any customer goes to the pending group: the whole tree.
    afterRun: () => (a.customer ? deps.tree.reloadCustomers([a.customer.tenantId]) : deps.tree.refresh()),
  });
  const created = strategy.created.get(strategy.key(target));
  if (created === undefined || results[0]?.outcome !== 'done') {
    return;
  }
  if (a.planned.length > 0) {
    await deps.onboarding.planned.set(created.id, a.planned);
    deps.log.info(`Kept ${a.planned.length} planned assignment(s) for ${created.id} until the customer approves.`);
  }
  if (a.lock) {
    await lockRelationships(deps, [{ id: created.id, name: created.displayName }], { confirmedBefore: true, justCreated: true });
  }
}
