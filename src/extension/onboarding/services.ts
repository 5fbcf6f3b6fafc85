import * as vscode from 'vscode';
import type { ServiceManagementDetail } from '../../core/graph/models';
import type { MementoPlannedAssignmentStore } from './plannedStore';

/*
 * What the onboarding commands share beyond CommandDeps: the planned assignments, the links of the
 * customers' admin centers (read once per customer and sign-in), and the way out to the browser or mail
 * client (replaceable under the test harnesses, which check the URI instead of opening a program).
 */
export interface OnboardingServices {
  readonly planned: MementoPlannedAssignmentStore;
  /** Service management links per customer tenant id, cleared on sign-out. */
  readonly adminLinks: Map<string, readonly ServiceManagementDetail[]>;
  openExternal(uri: string): Promise<boolean>;
  /** Checks pending invitations now (the approval poller); resolves when the check is over. */
  pollApprovals(): Promise<void>;
}

/** The default way out: VS Code's opener (a mailto: goes to the mail client, https: to the browser). */
export function openWithVsCode(uri: string): Promise<boolean> {
  return Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(uri, true)));
}
