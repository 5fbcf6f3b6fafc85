// Playwright helpers for the VS Code workbench (selectors measured on VS Code 1.100 and 1.139; see
// test/README.md). Every helper waits with a bound (the page's default timeout unless given) and
// fails with a message naming what it was looking for.
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from '../../suite/harness/poll';

export type TextMatch = string | RegExp;

function exactly(text: TextMatch): RegExp {
  return typeof text === 'string' ? new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : text;
}

// ---- time budgets ------------------------------------------------------------------------------

/**
 * Bounds for waits on real conditions. They only cap a wait that returns as soon as its condition holds,
 * so they are sized for the slowest machine that runs the suite (2 cores shared with other builds, where
 * a code-server start and the first extension-host boot take tens of seconds), not for a fast one.
 * GDAP_E2E_TIMEOUT_SCALE (a number, default 1) stretches them all on slower machines.
 */
export const BUDGET = {
  /** The workbench restored and the extension's contributions registered, from page load. */
  startup: scaled(180_000),
  /** Any one UI reaction: a click's effect, a menu, a dialog, a row (the page's default timeout). */
  action: scaled(45_000),
  /** Work that goes through the emulator (a sign-in, a load, a mutation and its polling). */
  network: scaled(60_000),
} as const;

function scaled(ms: number): number {
  const factor = Number(process.env.GDAP_E2E_TIMEOUT_SCALE);
  return Number.isFinite(factor) && factor > 0 ? Math.round(ms * factor) : ms;
}

// ---- activity bar and views -------------------------------------------------------------------

/**
 * The activity bar entry of a view container, by its title. VS Code sets the entry's aria-label to the
 * title, then " (<keybinding>)" when it has one and " - <badge>" per badge (a progress badge while the
 * view loads): match the title exactly or followed by one of those, so "GDAP" never matches another
 * container whose title merely starts with it, and a badge coming and going does not lose the entry.
 */
export function activityBarItem(page: Page, title: string): Locator {
  const t = title.replace(/["\\]/g, '\\$&');
  return page.locator(`.activitybar a.action-label:is([aria-label="${t}"], [aria-label^="${t} ("], [aria-label^="${t} - "])`);
}

/**
 * Opens a view container from the activity bar (does not toggle it closed when already open). The entry
 * appears only once the extension host has registered the extension's contributions; a click that lands
 * while the workbench is still restoring its layout can be swallowed, so the click is repeated, with the
 * side bar showing the container as the condition, until `timeoutMs`.
 */
export async function openViewContainer(page: Page, title: string, timeoutMs = BUDGET.startup): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const item = activityBarItem(page, title);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  for (;;) {
    const checked = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
    if (!checked) {
      await item.click({ timeout: Math.max(1_000, deadline - Date.now()) });
    }
    const shown = await sideBarTitle(page, title, Math.min(5_000, Math.max(1_000, deadline - Date.now()))).then(
      () => true,
      () => false,
    );
    if (shown) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the side bar did not show the container "${title}" within ${timeoutMs} ms of its activity bar entry appearing`);
    }
  }
}

/** Waits until the side bar shows the container titled `title` (the header is upper-cased by CSS only). */
export async function sideBarTitle(page: Page, title: string, timeoutMs?: number): Promise<void> {
  await page
    .locator('.part.sidebar .composite.title .title-label')
    .filter({ hasText: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') })
    .first()
    .waitFor({ state: 'visible', timeout: timeoutMs });
}

// ---- tree -------------------------------------------------------------------------------------

/** Tree rows whose label (`.label-name`) matches: a string matches the whole label, a RegExp as given. */
export function treeRow(page: Page, label: TextMatch): Locator {
  return page.locator('.monaco-list-row[role=treeitem]').filter({ has: page.locator('.label-name', { hasText: exactly(label) }) });
}

export async function waitForTreeRow(page: Page, label: TextMatch, timeoutMs?: number): Promise<Locator> {
  const row = treeRow(page, label).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  return row;
}

/** The visible rows' labels, top to bottom (only rendered rows: the list is virtualised). */
export async function treeLabels(page: Page): Promise<string[]> {
  return (await page.locator('.monaco-list-row[role=treeitem] .label-name').allInnerTexts()).map((t) => t.trim());
}

/** The description (grey text after the label) of the first row matching `label`. */
export async function rowDescription(page: Page, label: TextMatch): Promise<string> {
  const row = await waitForTreeRow(page, label);
  const d = row.locator('.label-description');
  return (await d.count()) > 0 ? (await d.first().innerText()).trim() : '';
}

/** Waits until the row's description matches (e.g. a status that changes after an action). */
export async function waitForRowDescription(page: Page, label: TextMatch, expected: TextMatch, timeoutMs = BUDGET.network): Promise<void> {
  const row = treeRow(page, label).first();
  await row.locator('.label-description', { hasText: exactly(expected) }).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Expands a collapsed row (no-op when already expanded) and waits for aria-expanded=true. */
export async function expandRow(page: Page, label: TextMatch, timeoutMs = BUDGET.action): Promise<Locator> {
  // A refresh re-renders rows: a click can land on a row that is being replaced, and a handle to it
  // never changes again. So each attempt finds the row afresh and waits briefly, until the deadline.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await waitForTreeRow(page, label, Math.max(1_000, deadline - Date.now()));
    if ((await row.getAttribute('aria-expanded')) === 'true') {
      return row;
    }
    await row
      .locator('.monaco-tl-twistie')
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    const handle = await row.elementHandle({ timeout: 2_000 }).catch(() => null);
    const expanded = await page
      .waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', handle, { timeout: 3_000 })
      .then(
        () => true,
        () => false,
      );
    if (expanded) {
      return row;
    }
    if (Date.now() > deadline) {
      throw new Error(`the tree row ${String(label)} did not expand within ${timeoutMs} ms`);
    }
  }
}

/**
 * The row labelled `childLabel` among the children of the row labelled `parentLabel` — not a row of the
 * same label under another expanded node (two relationships can both have a "GDAP - Billing" assignment).
 * Rows are read in their visual order (the list is virtualised and positions rows absolutely).
 */
/** The `data-index` of the row labelled `child` among the children of the row labelled `parent`, or null. */
async function childRowIndex(page: Page, parentLabel: TextMatch, childLabel: TextMatch): Promise<string | null> {
  const parent = exactly(parentLabel);
  const child = exactly(childLabel);
  return page.evaluate(
    ({ p, pf, c, cf }: { p: string; pf: string; c: string; cf: string }): string | null => {
      const rows = Array.from(document.querySelectorAll<HTMLElement>('.monaco-list-row[role=treeitem]'))
        .map((el) => ({
          index: el.getAttribute('data-index'),
          top: parseFloat(el.style.top || '0'),
          level: Number(el.getAttribute('aria-level') ?? '0'),
          label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
        }))
        .sort((x, y) => x.top - y.top);
      const pr = new RegExp(p, pf);
      const cr = new RegExp(c, cf);
      const at = rows.findIndex((r) => pr.test(r.label));
      if (at < 0) {
        return null;
      }
      for (const r of rows.slice(at + 1)) {
        if (r.level <= rows[at].level) {
          return null;
        }
        if (r.level === rows[at].level + 1 && cr.test(r.label)) {
          return r.index;
        }
      }
      return null;
    },
    { p: parent.source, pf: parent.flags, c: child.source, cf: child.flags },
  );
}

/** Whether a row labelled `childLabel` is shown among the children of the row labelled `parentLabel`. */
export async function hasChildTreeRow(page: Page, parentLabel: TextMatch, childLabel: TextMatch): Promise<boolean> {
  return (await childRowIndex(page, parentLabel, childLabel)) !== null;
}

/**
 * The row labelled `childLabel` among the children of the row labelled `parentLabel` — not a row of the
 * same label under another expanded node (two relationships can both have a "GDAP - Billing" assignment).
 * Rows are read in their visual order (the list is virtualised and positions rows absolutely).
 */
export async function childTreeRow(page: Page, parentLabel: TextMatch, childLabel: TextMatch, timeoutMs = BUDGET.action): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = await childRowIndex(page, parentLabel, childLabel);
    if (index !== null) {
      return page.locator(`.monaco-list-row[role=treeitem][data-index="${index}"]`);
    }
    if (Date.now() > deadline) {
      throw new Error(`no row ${String(childLabel)} under ${String(parentLabel)}`);
    }
    await page.waitForTimeout(100);
  }
}

/**
 * Opens the row's context menu and runs `item`. A reload re-renders the rows: a right-click can land on a
 * row being replaced (no menu, or the menu of the row now in its place). So each attempt finds the row
 * afresh, waits briefly for the item, and otherwise closes what opened and tries again until the deadline;
 * the error lists what each attempt's menu offered.
 */
export async function contextMenu(page: Page, rowLabel: TextMatch | Locator, item: TextMatch, timeoutMs = BUDGET.action): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu').first();
  const entry = menu
    .locator('.action-item')
    .filter({ hasText: exactly(item) })
    .first();
  const deadline = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    const row =
      typeof rowLabel === 'string' || rowLabel instanceof RegExp
        ? await waitForTreeRow(page, rowLabel, Math.max(1_000, deadline - Date.now()))
        : rowLabel;
    await row.click({ button: 'right', timeout: Math.max(1_000, deadline - Date.now()) });
    const shown = await entry.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (shown) {
      break;
    }
    const offered = (
      await menu
        .locator('.action-item')
        .allInnerTexts()
        .catch(() => [])
    )
      .map((t) => t.trim())
      .filter(Boolean);
    seen.push(offered.length > 0 ? `[${offered.join(' | ')}]` : '(no menu)');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
    if (Date.now() > deadline) {
      throw new Error(
        `the context menu of ${String(rowLabel)} did not offer ${String(item)} within ${timeoutMs} ms; it offered ${seen.join(', ')}`,
      );
    }
  }
  // A click that lands right after the menu opened is sometimes dropped by the menu (it sees the
  // tail of the right-click); hover first until the menu shows the item focused, and if the menu is
  // still open after the click, the item has focus, so Enter runs it.
  await entry.hover();
  // The menu marks the hovered item `.focused`; bounded, and the click below runs even without it.
  await menu
    .locator('.action-item.focused')
    .filter({ hasText: exactly(item) })
    .first()
    .waitFor({ state: 'attached', timeout: 2_000 })
    .catch(() => undefined);
  await entry.click();
  const closed = await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(
    () => true,
    () => false,
  );
  if (!closed) {
    await entry.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

/** How long a menu choice may take to show that the extension acted on it before it is made again. */
const CHOICE_EVIDENCE_MS = scaled(15_000);

/**
 * Chooses `item` from the row's context menu and returns the text of the modal it opens, which must match
 * `message` (a different modal fails at once, with its text). A context menu can close without running
 * its item (a refresh re-rendered the tree or a notification arrived mid-click): when no modal came
 * within 15 s and `acted()` says the extension has not acted on the choice (for a mutation: no fresh read
 * of its target reached the emulator, which every plan does before asking), the choice is made once more.
 * A choice the extension did act on is never repeated.
 */
export async function contextMenuToModal(
  page: Page,
  rowLabel: TextMatch | Locator,
  item: TextMatch,
  message: TextMatch,
  acted: () => Promise<boolean>,
  timeoutMs = BUDGET.network,
): Promise<string> {
  await contextMenu(page, rowLabel, item);
  let text = await waitForModal(page, undefined, CHOICE_EVIDENCE_MS).catch(() => undefined);
  if (text === undefined && !(await acted())) {
    console.log(`      (the choice "${String(item)}" did not reach the extension; choosing it again)`);
    await contextMenu(page, rowLabel, item);
  }
  text ??= await waitForModal(page, undefined, timeoutMs);
  const wanted = typeof message === 'string' ? message : message.source;
  if (!(typeof message === 'string' ? text.includes(message) : message.test(text))) {
    throw new Error(`expected a modal matching ${wanted}, got: ${text}`);
  }
  return text;
}

/** The texts of the open context menu's items (to assert what is or is not offered). */
export async function contextMenuItems(page: Page, rowLabel: TextMatch): Promise<string[]> {
  const row = await waitForTreeRow(page, rowLabel);
  await row.click({ button: 'right' });
  const items = page.locator('.context-view .monaco-menu .action-item .action-label');
  await items.first().waitFor({ state: 'visible' });
  const texts = (await items.allInnerTexts()).map((t) => t.trim()).filter((t) => t.length > 0);
  await page.keyboard.press('Escape');
  return texts;
}

// ---- modal dialogs and consent ----------------------------------------------------------------

export function modalDialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box[role=dialog]');
}

/** Waits for a modal and returns its message text (title and detail). */
export async function waitForModal(page: Page, message?: TextMatch, timeoutMs?: number): Promise<string> {
  const dialog = modalDialog(page);
  const target = message ? dialog.filter({ hasText: message }) : dialog;
  await target.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return (await dialog.locator('.dialog-message-container').first().innerText()).trim();
}

/** Clicks a modal's button by its exact name ("Terminate", "Cancel", "Allow") and waits for it to close. */
export async function clickModalButton(page: Page, name: string, timeoutMs?: number): Promise<void> {
  const dialog = modalDialog(page).first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  await dialog.getByRole('button', { name, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
}

function consentDialog(page: Page): Locator {
  return modalDialog(page)
    .filter({ hasText: /wants to sign in/ })
    .first();
}

/**
 * The authentication consent modal ("The extension '…' wants to sign in using …"): clicks Allow.
 * Returns false when no consent prompt appeared within `timeoutMs` (it is asked once per account).
 */
export async function allowConsent(page: Page, timeoutMs = BUDGET.action): Promise<boolean> {
  const dialog = consentDialog(page);
  try {
    await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    return false;
  }
  await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  return true;
}

// ---- notifications ----------------------------------------------------------------------------

export function notificationMessages(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-list-item-message');
}

/** Waits for a toast whose text matches and returns its full text. */
export async function waitForNotification(page: Page, text: TextMatch, timeoutMs = BUDGET.network): Promise<string> {
  const toast = notificationMessages(page).filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.innerText()).trim();
}

/** The texts of the toasts currently shown. */
export async function notifications(page: Page): Promise<string[]> {
  return (await notificationMessages(page).allInnerTexts()).map((t) => t.trim());
}

/** Clicks a button ("Show Log", "Sign In", …) on the toast whose text matches. */
export async function clickNotificationButton(page: Page, text: TextMatch, button: string): Promise<void> {
  const toast = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: text }).first();
  await toast.waitFor({ state: 'visible' });
  await toast.getByRole('button', { name: button, exact: true }).click();
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

// ---- command palette and quick picks ----------------------------------------------------------

export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Runs a command by its palette title (e.g. "GDAP: Terminate Relationship…"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input[type=text]');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = quickInput(page).locator('.monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await input.press('Enter');
}

/** Chooses a quick pick item by its label text; `filter` types into the box first. */
export async function pickQuickItem(page: Page, label: TextMatch, options: { filter?: string; timeoutMs?: number } = {}): Promise<void> {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible', timeout: options.timeoutMs });
  if (options.filter !== undefined) {
    await widget.locator('input[type=text]').fill(options.filter);
  }
  const row = widget.locator('.monaco-list-row').filter({ hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: options.timeoutMs });
  await row.click();
}

/** The labels of the quick pick items currently listed. */
export async function quickPickLabels(page: Page, timeoutMs?: number): Promise<string[]> {
  const rows = quickInput(page).locator('.monaco-list-row .label-name');
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return (await rows.allInnerTexts()).map((t) => t.trim());
}

/** Types into an open input box (showInputBox) and presses Enter. */
export async function answerInputBox(page: Page, text: string): Promise<void> {
  const input = quickInput(page).locator('input[type=text]');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
}

/** Bounded polling of a Node-side condition (e.g. the emulator's state). */
export function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = BUDGET.network,
  intervalMs = 250,
): Promise<T> {
  return pollUntil(probe, what, timeoutMs, intervalMs);
}

/**
 * Answers every consent modal a sign-in asks (one per scope set it has no consent for yet: zero, one or
 * two) with Allow until `done` (what the finished sign-in shows, e.g. the first tree row) is visible.
 * Waits on either condition instead of giving an optional second prompt a fixed window to appear.
 * Returns how many prompts were allowed.
 */
export async function allowConsentsUntil(page: Page, done: Locator, timeoutMs = BUDGET.network): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const dialog = consentDialog(page);
  let allowed = 0;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(`sign-in did not finish within ${timeoutMs} ms (${allowed} consent prompt(s) allowed)`);
    }
    await dialog.or(done.first()).first().waitFor({ state: 'visible', timeout: remaining });
    if (await dialog.isVisible()) {
      await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      allowed++;
    } else if (await done.first().isVisible()) {
      return allowed;
    }
  }
}

// ---- notifications over time ------------------------------------------------------------------

/**
 * Records every text a notification toast shows from now on (progress messages change while a run goes
 * on, and a toast may be gone before a test looks): a MutationObserver in the page keeps each distinct
 * text, in the order seen. `texts()` returns them; `clear()` forgets them.
 */
export async function recordNotifications(page: Page): Promise<{ texts(): Promise<string[]>; clear(): Promise<void> }> {
  await page.evaluate(() => {
    const w = window as unknown as { __gdapToasts?: string[]; __gdapToastObserver?: MutationObserver };
    if (w.__gdapToastObserver !== undefined) {
      return;
    }
    w.__gdapToasts = [];
    const grab = (): void => {
      for (const el of Array.from(document.querySelectorAll('.notification-list-item-message'))) {
        const text = (el.textContent ?? '').trim();
        if (text !== '' && !(w.__gdapToasts ?? []).includes(text)) {
          w.__gdapToasts?.push(text);
        }
      }
    };
    w.__gdapToastObserver = new MutationObserver(grab);
    w.__gdapToastObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return {
    texts: () => page.evaluate(() => [...((window as unknown as { __gdapToasts?: string[] }).__gdapToasts ?? [])]),
    clear: () =>
      page.evaluate(() => {
        (window as unknown as { __gdapToasts?: string[] }).__gdapToasts = [];
      }),
  };
}

// ---- keyboard only ----------------------------------------------------------------------------

/** The label of the focused row of the tree that has keyboard focus (null when none has). */
export async function focusedTreeLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const row = document.activeElement?.closest('.monaco-list')?.querySelector('.monaco-list-row.focused[role=treeitem]');
    return row === null || row === undefined ? null : (row.querySelector('.label-name')?.textContent ?? '').trim();
  });
}

/**
 * Presses `key` until `done()` holds, at most `max` times; fails naming what it was waiting for. Each
 * press waits briefly for the UI to react before checking again.
 */
export async function pressUntil(page: Page, key: string, done: () => Promise<boolean>, what: string, max = 200): Promise<void> {
  for (let i = 0; i <= max; i++) {
    if (await done()) {
      return;
    }
    if (i < max) {
      await page.keyboard.press(key);
      await page.waitForTimeout(40);
    }
  }
  throw new Error(`${what}: not reached after pressing ${key} ${max} times`);
}

/**
 * Moves the keyboard focus in the focused tree to the row labelled `label`: Home, then ArrowDown until it
 * is focused (the rows in between are only passed over, never opened).
 */
export async function focusTreeRowByKeyboard(page: Page, label: TextMatch, timeoutMs = BUDGET.action): Promise<void> {
  const wanted = exactly(label);
  const deadline = Date.now() + timeoutMs;
  // The row may still be loading: start over from the top until it shows or the time is up.
  for (;;) {
    await page.keyboard.press('Home');
    try {
      await pressUntil(
        page,
        'ArrowDown',
        async () => wanted.test((await focusedTreeLabel(page)) ?? ''),
        `tree row ${String(label)} focused`,
        400,
      );
      return;
    } catch (e) {
      if (Date.now() > deadline) {
        throw e;
      }
      await page.waitForTimeout(500);
    }
  }
}

/**
 * Opens the focused row's context menu with Shift+F10 and runs `item`: ArrowDown until the menu marks it
 * focused, then Enter.
 */
export async function contextMenuByKeyboard(page: Page, item: TextMatch): Promise<void> {
  await page.keyboard.press('Shift+F10');
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible' });
  const wanted = exactly(item);
  await pressUntil(
    page,
    'ArrowDown',
    async () => wanted.test(((await menu.locator('.action-item.focused .action-label').allInnerTexts())[0] ?? '').trim()),
    `context menu item ${String(item)} focused`,
    40,
  );
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
}

/** Answers the open modal with the keyboard: Tab until the button named `name` has focus, then Enter. */
export async function modalButtonByKeyboard(page: Page, name: string, timeoutMs?: number): Promise<void> {
  const dialog = modalDialog(page).first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  await pressUntil(
    page,
    'Tab',
    () =>
      page.evaluate((n) => {
        const el = document.activeElement;
        return el !== null && el.closest('.monaco-dialog-box') !== null && (el.textContent ?? '').trim() === n;
      }, name),
    `modal button "${name}" focused`,
    20,
  );
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** In the open quick pick: types `filter`, moves to the item whose label matches with the arrow keys, Enter. */
export async function pickQuickItemByKeyboard(page: Page, label: TextMatch, filter: string): Promise<void> {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible' });
  const input = widget.locator('input[type=text]');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.insertText(filter);
  const wanted = typeof label === 'string' ? new RegExp(label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : label;
  await widget.locator('.monaco-list-row').filter({ hasText: wanted }).first().waitFor({ state: 'visible' });
  await pressUntil(
    page,
    'ArrowDown',
    async () => wanted.test(((await widget.locator('.monaco-list-row.focused').allInnerTexts())[0] ?? '').trim()),
    `quick pick item ${String(label)} focused`,
    50,
  );
  await page.keyboard.press('Enter');
}
