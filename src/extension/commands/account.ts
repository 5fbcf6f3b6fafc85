import * as vscode from 'vscode';
import type { CommandDeps } from './commandDeps';

/** GDAP: Sign In with Microsoft — the one interactive sign-in (a user gesture). */
export async function signInCommand(deps: CommandDeps): Promise<void> {
  await deps.auth.signIn();
  await deps.afterAuthChange();
}

/** GDAP: Sign Out — forgets the account and the cached inventory. */
export async function signOutCommand(deps: CommandDeps): Promise<void> {
  await deps.auth.signOut();
  await deps.tree.store.forgetCache();
  await deps.afterAuthChange();
  await deps.prompts.current.notify(
    'info',
    vscode.l10n.t('Signed out of GDAP Explorer. To remove the account from VS Code as well, use the Accounts menu.'),
  );
}
