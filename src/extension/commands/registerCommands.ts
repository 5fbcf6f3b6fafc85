import * as vscode from 'vscode';
import { COMMANDS, type CommandId } from '../constants';
import { signInCommand, signOutCommand } from './account';
import { checkSignInCommand, openAppRegistrationsCommand } from './checkSignIn';
import type { CommandDeps } from './commandDeps';
import { removeAccessAssignmentCommand } from './removeAccessAssignment';
import { removeDapCommand } from './removeDap';
import { copyApprovalLinkCommand, copyIdCommand, openInPartnerCenterCommand, showDetailsCommand } from './resourceCommands';
import { terminateRelationshipCommand } from './terminateRelationship';
import {
  clearFilterCommand,
  filterCommand,
  openSetupGuideCommand,
  refreshCommand,
  showJournalCommand,
  showLogCommand,
} from './viewCommands';

type Handler = (deps: CommandDeps, ...args: never[]) => unknown;

const HANDLERS: Record<CommandId, { run: Handler; doing: string }> = {
  [COMMANDS.signIn]: { run: signInCommand, doing: 'Signing in' },
  [COMMANDS.signOut]: { run: signOutCommand, doing: 'Signing out' },
  [COMMANDS.refresh]: { run: refreshCommand, doing: 'Refreshing' },
  [COMMANDS.filter]: { run: filterCommand, doing: 'Filtering' },
  [COMMANDS.clearFilter]: { run: clearFilterCommand, doing: 'Clearing the filter' },
  [COMMANDS.terminateRelationship]: { run: terminateRelationshipCommand, doing: 'Terminating the relationship' },
  [COMMANDS.removeAccessAssignment]: { run: removeAccessAssignmentCommand, doing: 'Removing the access assignment' },
  [COMMANDS.removeDap]: { run: removeDapCommand, doing: 'Removing DAP' },
  [COMMANDS.copyId]: { run: copyIdCommand, doing: 'Copying the id' },
  [COMMANDS.copyApprovalLink]: { run: copyApprovalLinkCommand, doing: 'Copying the approval link' },
  [COMMANDS.openInPartnerCenter]: { run: openInPartnerCenterCommand, doing: 'Opening Partner Center' },
  [COMMANDS.showDetails]: { run: showDetailsCommand, doing: 'Reading the details' },
  [COMMANDS.showLog]: { run: showLogCommand, doing: 'Showing the log' },
  [COMMANDS.showJournal]: { run: showJournalCommand, doing: 'Opening the action journal' },
  [COMMANDS.openSetupGuide]: { run: openSetupGuideCommand, doing: 'Opening the setup guide' },
  [COMMANDS.checkSignIn]: { run: checkSignInCommand, doing: 'Checking sign-in' },
  [COMMANDS.openAppRegistrations]: { run: openAppRegistrationsCommand, doing: 'Opening App registrations' },
};

/** Registers every command; each runs inside the one error funnel. Returns the disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return (Object.keys(HANDLERS) as CommandId[]).map((id) => {
    const { run, doing } = HANDLERS[id];
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await (run as (d: CommandDeps, ...a: unknown[]) => unknown)(deps, ...args);
      } catch (e) {
        await deps.funnel.report(e, vscode.l10n.t(doing));
      }
    });
  });
}

export const REGISTERED_COMMAND_IDS: readonly string[] = Object.keys(HANDLERS);
