import * as vscode from 'vscode';
import type { FoundGroup } from '../../core/graph/groupSearch';
import { GROUP_SEARCH_MIN_LENGTH } from '../../core/graph/groupSearch';
import { isGdapError } from '../../core/http/gdapError';
import { humanMessage } from '../ui/errorFunnel';
import type { SearchItem } from '../ui/multiStep';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Waits this long after the last keystroke before asking Microsoft Graph (one request per pause, not per key). */
export const GROUP_SEARCH_DEBOUNCE_MS = 300;

export type GroupSearch = (prefix: string, signal: AbortSignal) => Promise<FoundGroup[]>;

const refusedItem = (label: string, reason: string, description?: string): SearchItem<FoundGroup> => ({
  label: `$(circle-slash) ${label}`,
  description,
  detail: reason,
  refused: reason,
});

/**
 * The choices for what the user typed in the group step (docs/onboarding.md §9): a typed GUID stays a
 * choice as it is; fewer than 2 letters asks for more; otherwise the partner's security groups whose
 * name starts with the text, a group that is not a security group or is already taken refused with
 * the reason. A failed search is a refused line saying what to do; cancellation is passed on.
 */
export async function groupSearchItems(
  text: string,
  search: GroupSearch,
  taken: (id: string) => boolean,
  signal: AbortSignal,
): Promise<SearchItem<FoundGroup>[]> {
  const t = text.trim();
  const takenReason = vscode.l10n.t('This group is already planned or assigned; choose another group.');
  if (GUID.test(t)) {
    const id = t.toLowerCase();
    return taken(id)
      ? [refusedItem(id, takenReason)]
      : [{ label: vscode.l10n.t('$(symbol-key) Use group id {0}', id), value: { id, displayName: id, securityEnabled: true } }];
  }
  if (t.length < GROUP_SEARCH_MIN_LENGTH) {
    const hint = vscode.l10n.t('Type at least 2 letters of the group name, or paste its object id.');
    return [{ label: hint, refused: hint }];
  }
  let found: FoundGroup[];
  try {
    found = await search(t, signal);
  } catch (e) {
    if (isGdapError(e) && e.kind === 'cancelled') {
      throw e;
    }
    const reason =
      isGdapError(e) && e.kind === 'forbidden'
        ? vscode.l10n.t(
            'Searching groups needs the Microsoft Graph permission GroupMember.Read.All with admin consent; paste the group object id instead.',
          )
        : // The error's own words in the display language where core gave them as codes (src/core/messages.ts).
          vscode.l10n.t('The search failed: {0} Paste the group object id instead.', humanMessage(e));
    return [refusedItem(vscode.l10n.t('No search results'), reason)];
  }
  if (found.length === 0) {
    const none = vscode.l10n.t('No security group name starts with "{0}".', t);
    return [{ label: none, refused: none }];
  }
  return found.map((g) =>
    !g.securityEnabled
      ? refusedItem(g.displayName, vscode.l10n.t('Not a security group: only security groups can hold GDAP roles.'), g.id)
      : taken(g.id)
        ? refusedItem(g.displayName, takenReason, g.id)
        : { label: g.displayName, description: g.id, value: g },
  );
}
