import * as vscode from 'vscode';
import { revealInTreeCommand } from '../access/accessCommands';
import { COMMANDS, type CommandId } from '../constants';
import { signInCommand, signOutCommand } from './account';
import { deleteDraftCommand, lockForApprovalCommand } from '../onboarding/draftCommands';
import { addAccessAssignmentCommand, changeRolesCommand, grantPlannedCommand } from '../onboarding/grantCommands';
import { draftInvitationEmailCommand } from '../onboarding/invitation';
import type { CommandDeps } from './commandDeps';
import { features, type FeaturesModule } from '../lazy/featureLoader';
import {
  clearFilterCommand,
  filterCommand,
  openSetupGuideCommand,
  refreshCommand,
  showJournalCommand,
  showLogCommand,
} from './viewCommands';

type Handler = (deps: CommandDeps, ...args: never[]) => unknown;

/** A handler of the commands-only code (src/extension/lazy/features.ts), loaded with dist/features.js on first use. */
function lazy(name: { [K in keyof FeaturesModule]: FeaturesModule[K] extends Handler ? K : never }[keyof FeaturesModule]): Handler {
  return (deps, ...args) => (features()[name] as Handler)(deps, ...args);
}

// `doing` is a function so that each message is a literal l10n call, read in the display language when used.
const HANDLERS: Record<CommandId, { run: Handler; doing: () => string }> = {
  [COMMANDS.signIn]: { run: signInCommand, doing: () => vscode.l10n.t('Signing in') },
  [COMMANDS.signOut]: { run: signOutCommand, doing: () => vscode.l10n.t('Signing out') },
  [COMMANDS.refresh]: { run: refreshCommand, doing: () => vscode.l10n.t('Refreshing') },
  [COMMANDS.filter]: { run: filterCommand, doing: () => vscode.l10n.t('Filtering') },
  [COMMANDS.clearFilter]: { run: clearFilterCommand, doing: () => vscode.l10n.t('Clearing the filter') },
  [COMMANDS.terminateRelationship]: {
    run: lazy('terminateRelationshipCommand'),
    doing: () => vscode.l10n.t('Terminating the relationship'),
  },
  [COMMANDS.removeAccessAssignment]: {
    run: lazy('removeAccessAssignmentCommand'),
    doing: () => vscode.l10n.t('Removing the access assignment'),
  },
  [COMMANDS.removeDap]: { run: lazy('removeDapCommand'), doing: () => vscode.l10n.t('Removing DAP') },
  [COMMANDS.copyId]: { run: lazy('copyIdCommand'), doing: () => vscode.l10n.t('Copying the id') },
  [COMMANDS.copyApprovalLink]: { run: lazy('copyApprovalLinkCommand'), doing: () => vscode.l10n.t('Copying the approval link') },
  [COMMANDS.openInPartnerCenter]: { run: lazy('openInPartnerCenterCommand'), doing: () => vscode.l10n.t('Opening Partner Center') },
  [COMMANDS.showDetails]: { run: lazy('showDetailsCommand'), doing: () => vscode.l10n.t('Reading the details') },
  [COMMANDS.showLog]: { run: showLogCommand, doing: () => vscode.l10n.t('Showing the log') },
  [COMMANDS.showJournal]: { run: showJournalCommand, doing: () => vscode.l10n.t('Opening the action journal') },
  [COMMANDS.openSetupGuide]: { run: openSetupGuideCommand, doing: () => vscode.l10n.t('Opening the setup guide') },
  [COMMANDS.checkSignIn]: { run: lazy('checkSignInCommand'), doing: () => vscode.l10n.t('Checking sign-in') },
  [COMMANDS.openAppRegistrations]: { run: lazy('openAppRegistrationsCommand'), doing: () => vscode.l10n.t('Opening App registrations') },
  [COMMANDS.turnOnAutoExtend]: { run: lazy('turnOnAutoExtendCommand'), doing: () => vscode.l10n.t('Turning on auto-extend') },
  [COMMANDS.turnOffAutoExtend]: { run: lazy('turnOffAutoExtendCommand'), doing: () => vscode.l10n.t('Turning off auto-extend') },
  [COMMANDS.removeGlobalAdministrator]: {
    run: lazy('removeGlobalAdministratorCommand'),
    doing: () => vscode.l10n.t('Removing Global Administrator'),
  },
  [COMMANDS.makeRenewable]: { run: lazy('makeRenewableCommand'), doing: () => vscode.l10n.t('Making the relationship renewable') },
  [COMMANDS.renewRelationship]: { run: lazy('renewRelationshipCommand'), doing: () => vscode.l10n.t('Renewing the relationship') },
  [COMMANDS.showExpiring]: { run: lazy('showExpiringCommand'), doing: () => vscode.l10n.t('Showing expiring relationships') },
  [COMMANDS.newRelationship]: { run: lazy('newRelationshipCommand'), doing: () => vscode.l10n.t('Creating the relationship') },
  [COMMANDS.lockForApproval]: { run: lockForApprovalCommand, doing: () => vscode.l10n.t('Locking for approval') },
  [COMMANDS.draftInvitationEmail]: { run: draftInvitationEmailCommand, doing: () => vscode.l10n.t('Drafting the invitation e-mail') },
  [COMMANDS.deleteDraft]: { run: deleteDraftCommand, doing: () => vscode.l10n.t('Deleting the draft') },
  [COMMANDS.addAccessAssignment]: { run: addAccessAssignmentCommand, doing: () => vscode.l10n.t('Adding the access assignment') },
  [COMMANDS.changeRoles]: { run: changeRolesCommand, doing: () => vscode.l10n.t('Changing the roles') },
  [COMMANDS.grantPlannedAssignments]: { run: grantPlannedCommand, doing: () => vscode.l10n.t('Granting the planned assignments') },
  [COMMANDS.openAdminCenter]: { run: lazy('openAdminCenterCommand'), doing: () => vscode.l10n.t('Opening the admin center') },
  [COMMANDS.planTemplate]: {
    run: lazy('planTemplateCommand'),
    doing: () => vscode.l10n.t('Planning the template'),
  },
  [COMMANDS.applyPlan]: {
    run: lazy('applyPlanCommand'),
    doing: () => vscode.l10n.t('Applying the plan'),
  },
  [COMMANDS.exportTemplate]: {
    run: lazy('exportTemplateCommand'),
    doing: () => vscode.l10n.t('Exporting a template'),
  },
  [COMMANDS.showAccessMatrix]: { run: lazy('showAccessMatrixCommand'), doing: () => vscode.l10n.t('Showing the access matrix') },
  [COMMANDS.checkAccess]: { run: lazy('checkAccessCommand'), doing: () => vscode.l10n.t('Checking access') },
  [COMMANDS.revealInTree]: { run: revealInTreeCommand, doing: () => vscode.l10n.t('Showing it in the tree') },
};

/** Registers every command; each runs inside the one error funnel. Returns the disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return (Object.keys(HANDLERS) as CommandId[]).map((id) => {
    const { run, doing } = HANDLERS[id];
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await (run as (d: CommandDeps, ...a: unknown[]) => unknown)(deps, ...args);
      } catch (e) {
        await deps.funnel.report(e, doing());
      }
    });
  });
}

export const REGISTERED_COMMAND_IDS: readonly string[] = Object.keys(HANDLERS);
