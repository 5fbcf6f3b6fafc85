import type { ItemResult } from '../../core/actions/actionTypes';
import type { Translate } from '../../core/actions/confirmations';
import { translated } from '../../core/messages';

/**
 * Why a result is not done, in the face's words: a reason core gives as a code with parameters through
 * `t` (the extension passes `vscode.l10n.t`), nested messages too; a text core has only in English (the
 * service's own error) as it came; the outcome word when there is no reason at all.
 */
export function resultReason(r: Pick<ItemResult, 'outcome' | 'error' | 'errorMessage'>, t: Translate): string {
  return r.errorMessage !== undefined ? translated(r.errorMessage, t) : (r.error ?? r.outcome);
}
