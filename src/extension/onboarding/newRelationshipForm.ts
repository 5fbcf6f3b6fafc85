import * as vscode from 'vscode';
import type { PlannedAssignment } from '../../core/actions/plannedAssignments';
import { DEFAULT_DURATION } from '../../core/actions/strategies/createRelationship';
import { durationDays, MAX_DISPLAY_NAME_LENGTH } from '../../core/graph/preconditions';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, ROLE_CATALOG } from '../../core/roles/roleCatalog';
import { resolveRole } from '../../core/roles/roleLookup';
import type { CommandDeps } from '../commands/commandDeps';
import { BACK, runSteps, type Back, type StepUi } from '../ui/multiStep';
import { GROUP_SEARCH_DEBOUNCE_MS, groupSearchItems } from './groupSearch';
import { allRelationships } from './pick';

/*
 * The "New Relationship…" form (docs/onboarding.md §2): name, customer, duration, roles, auto-extend,
 * planned group assignments, summary. Every step is validated before it can be accepted, with a message
 * that says what to do; Back returns to the step before with its answer kept.
 */

export interface NewRelationshipAnswers {
  name: string;
  /** null: an invitation any customer may approve. */
  customer: { readonly tenantId: string; readonly name: string } | null;
  duration: string;
  roleDefinitionIds: string[];
  autoExtend: boolean;
  planned: PlannedAssignment[];
  lock: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The name: 1–50 characters, not used by another relationship of the partner (any status). */
export function nameProblem(deps: CommandDeps, value: string): string | undefined {
  const name = value.trim();
  if (name.length === 0) {
    return vscode.l10n.t('Enter a name for the relationship.');
  }
  if (name.length > MAX_DISPLAY_NAME_LENGTH) {
    return vscode.l10n.t('The name has {0} characters; shorten it to at most {1}.', name.length, MAX_DISPLAY_NAME_LENGTH);
  }
  const used = allRelationships(deps).find((r) => r.relationship.displayName.trim().toLowerCase() === name.toLowerCase());
  if (used !== undefined) {
    return vscode.l10n.t('A relationship named "{0}" already exists; choose another name.', used.relationship.displayName);
  }
  return undefined;
}

export function durationProblem(value: string): string | undefined {
  const days = durationDays(value.trim().toUpperCase());
  if (days === undefined) {
    return vscode.l10n.t('Enter an ISO-8601 duration such as P730D (730 days) or P1Y.');
  }
  if (days < 1 || days > 730) {
    return vscode.l10n.t('The duration must be between P1D and P2Y (730 days).');
  }
  return undefined;
}

const hasGa = (ids: readonly string[]): boolean => ids.includes(GLOBAL_ADMINISTRATOR_ROLE_ID);

function roleItems(picked: readonly string[]): { label: string; description?: string; value: string; picked: boolean }[] {
  return ROLE_CATALOG.filter((r) => r.notForPartners !== true).map((r) => ({
    label: r.name,
    description:
      r.id === GLOBAL_ADMINISTRATOR_ROLE_ID
        ? vscode.l10n.t('$(warning) Privileged · blocks auto-extend')
        : r.privileged
          ? vscode.l10n.t('$(warning) Privileged')
          : undefined,
    value: r.id,
    picked: picked.includes(r.id),
  }));
}

/** Role names for the form's texts. */
export function roleNames(ids: readonly string[]): string {
  return ids.map((id) => resolveRole(id).name).join(', ');
}

/** Runs the form; the answers, or undefined when the user cancelled. */
// Long because: the form's seven steps share the answers and the step numbering.
export async function askNewRelationship(
  deps: CommandDeps,
  ui: StepUi,
  preset: { readonly customer?: { readonly tenantId: string; readonly name: string } },
): Promise<NewRelationshipAnswers | undefined> {
  const title = vscode.l10n.t('New Relationship');
  const a: NewRelationshipAnswers = {
    name: '',
    customer: preset.customer ?? null,
    duration: DEFAULT_DURATION,
    roleDefinitionIds: [],
    autoExtend: false,
    planned: [],
    lock: true,
  };
  const askCustomer = preset.customer === undefined;
  const total = askCustomer ? 7 : 6;
  let n = 0;
  const pos = (): { title: string; step: number; totalSteps: number } => ({ title, step: n, totalSteps: total });
  const step = (no: number, body: () => Promise<'next' | Back | undefined>) => (): Promise<'next' | Back | undefined> => {
    n = no;
    return body();
  };
  const steps: (() => Promise<'next' | Back | undefined>)[] = [];
  let no = 1;
  steps.push(
    step(no++, async () => {
      const v = await ui.input({
        ...pos(),
        prompt: vscode.l10n.t('Name of the relationship (at most {0} characters, unique)', MAX_DISPLAY_NAME_LENGTH),
        value: a.name,
        validate: (value) => nameProblem(deps, value),
      });
      return typeof v === 'string' ? ((a.name = v.trim()), 'next') : v;
    }),
  );
  if (askCustomer) {
    steps.push(step(no++, () => askCustomerStep(deps, ui, pos(), a)));
  }
  steps.push(
    step(no++, async () => {
      const v = await ui.input({
        ...pos(),
        prompt: vscode.l10n.t('Duration (P1D to P2Y; P730D is two years)'),
        value: a.duration,
        validate: durationProblem,
      });
      return typeof v === 'string' ? ((a.duration = v.trim().toUpperCase()), 'next') : v;
    }),
    step(no++, async () => {
      const v = await ui.pickMany({
        ...pos(),
        items: roleItems(a.roleDefinitionIds),
        placeholder: vscode.l10n.t('Roles to request (privileged ones are marked)'),
        validate: (ids) => (ids.length === 0 ? vscode.l10n.t('Choose at least one role.') : undefined),
      });
      return Array.isArray(v) ? ((a.roleDefinitionIds = v), 'next') : v;
    }),
    step(no++, () => askAutoExtendStep(ui, pos(), a)),
    step(no++, () => askPlannedStep(deps, ui, pos(), a)),
    step(no++, () => askSummaryStep(ui, pos(), a)),
  );
  return (await runSteps(steps)) ? a : undefined;
}

type Pos = { title: string; step: number; totalSteps: number };

async function askCustomerStep(deps: CommandDeps, ui: StepUi, pos: Pos, a: NewRelationshipAnswers): Promise<'next' | Back | undefined> {
  const customers = deps.tree.allCustomers();
  const any = { tenantId: '', name: '' };
  const v = await ui.pick({
    ...pos,
    items: [
      {
        label: vscode.l10n.t('$(mail) Any customer'),
        description: vscode.l10n.t('an invitation whichever customer approves it'),
        value: any,
      },
      ...customers.map((c) => ({ label: c.displayName, description: c.tenantId, value: { tenantId: c.tenantId, name: c.displayName } })),
    ],
    placeholder: vscode.l10n.t('Customer (type to search)'),
  });
  if (v === BACK || v === undefined) {
    return v;
  }
  a.customer = v === any ? null : v;
  return 'next';
}

async function askAutoExtendStep(ui: StepUi, pos: Pos, a: NewRelationshipAnswers): Promise<'next' | Back | undefined> {
  const ga = hasGa(a.roleDefinitionIds);
  const v = await ui.pick({
    ...pos,
    items: [
      {
        label: vscode.l10n.t('Auto-extend off'),
        description: vscode.l10n.t('the relationship ends after its duration'),
        value: false,
      },
      {
        label: vscode.l10n.t('Auto-extend every 180 days'),
        description: ga ? vscode.l10n.t('not available with Global Administrator') : undefined,
        value: true,
      },
    ],
    placeholder: ga
      ? vscode.l10n.t('Global Administrator is among the roles: auto-extend is not available.')
      : vscode.l10n.t('Auto-extend'),
    validate: (values) =>
      values[0] === true && ga
        ? vscode.l10n.t('Auto-extend is not available with Global Administrator: choose off, or go back and drop the role.')
        : undefined,
  });
  return typeof v === 'boolean' ? ((a.autoExtend = v), 'next') : v;
}

type PlannedChoice = { kind: 'add' } | { kind: 'done' } | { kind: 'remove'; index: number };

/** Planned group assignments, optional: a list to add to or remove from, until "Continue". */
async function askPlannedStep(deps: CommandDeps, ui: StepUi, pos: Pos, a: NewRelationshipAnswers): Promise<'next' | Back | undefined> {
  for (;;) {
    const groupLabel = (id: string): string => deps.tree.store.groupName(id) ?? id;
    const v = await ui.pick<PlannedChoice>({
      ...pos,
      items: [
        { label: vscode.l10n.t('$(arrow-right) Continue'), description: vscode.l10n.t('to the summary'), value: { kind: 'done' } },
        { label: vscode.l10n.t('$(add) Plan a group assignment…'), value: { kind: 'add' } },
        ...a.planned.map((p, index) => ({
          label: vscode.l10n.t('$(trash) Remove {0}', groupLabel(p.groupId)),
          description: roleNames(p.roleDefinitionIds),
          value: { kind: 'remove' as const, index },
        })),
      ],
      placeholder: vscode.l10n.t('Group assignments to grant once the customer approves (optional)'),
    });
    if (v === BACK || v === undefined) {
      return v;
    }
    if (v.kind === 'done') {
      return 'next';
    }
    if (v.kind === 'remove') {
      a.planned.splice(v.index, 1);
      continue;
    }
    const planned = await askGroupAndRoles(
      deps,
      ui,
      pos,
      a.roleDefinitionIds,
      a.planned.map((p) => p.groupId),
    );
    if (planned !== undefined) {
      a.planned.push(planned);
    }
  }
}

/**
 * A group (by name among the groups known this sign-in when names are resolved, else by id) and a subset
 * of `roles`. Undefined when the user went back or closed a step. Shared with "Add Access Assignment…".
 */
export async function askGroupAndRoles(
  deps: CommandDeps,
  ui: StepUi,
  pos: Pos,
  roles: readonly string[],
  taken: readonly string[],
): Promise<PlannedAssignment | undefined> {
  const groupId = await askGroup(deps, ui, pos, taken);
  if (groupId === undefined) {
    return undefined;
  }
  const v = await ui.pickMany({
    ...pos,
    items: roles.map((id) => ({ label: resolveRole(id).name, value: id, picked: false })),
    placeholder: vscode.l10n.t("Roles for the group (among the relationship's roles)"),
    validate: (ids) =>
      ids.length === 0
        ? vscode.l10n.t('Choose at least one role.')
        : ids.some((id) => !roles.includes(id))
          ? vscode.l10n.t('Choose only roles the relationship holds.')
          : undefined,
  });
  return Array.isArray(v) ? { groupId, roleDefinitionIds: v } : undefined;
}

const taken = (list: readonly string[], id: string): boolean => list.some((t) => t.toLowerCase() === id.toLowerCase());

async function askGroup(deps: CommandDeps, ui: StepUi, pos: Pos, already: readonly string[]): Promise<string | undefined> {
  const graph = deps.clients().graph;
  if (deps.settings().resolveGroupNames && ui.search !== undefined && graph.searchSecurityGroups !== undefined) {
    const search = graph.searchSecurityGroups.bind(graph);
    const v = await ui.search({
      ...pos,
      debounceMs: GROUP_SEARCH_DEBOUNCE_MS,
      placeholder: vscode.l10n.t('Security group: type the start of its name, or paste its object id'),
      search: (text, signal) =>
        groupSearchItems(
          text,
          (prefix, s) => search(prefix, { signal: s }),
          (id) => taken(already, id),
          signal,
        ),
    });
    if (v === BACK || v === undefined) {
      return undefined;
    }
    if (v.displayName !== v.id) {
      deps.tree.store.rememberGroupName(v.id, v.displayName);
    }
    return v.id;
  }
  const known = deps.settings().resolveGroupNames ? deps.tree.store.knownGroups().filter((g) => !taken(already, g.id)) : [];
  if (known.length > 0) {
    const byId = { id: '', name: '' };
    const v = await ui.pick({
      ...pos,
      items: [
        ...known.map((g) => ({ label: g.name, description: g.id, value: g })),
        { label: vscode.l10n.t('$(edit) Enter a group id…'), value: byId },
      ],
      placeholder: vscode.l10n.t('Security group (type a name to search)'),
    });
    if (v === BACK || v === undefined) {
      return undefined;
    }
    if (v !== byId) {
      return v.id;
    }
  }
  const v = await ui.input({
    ...pos,
    prompt: vscode.l10n.t('Object id of the security group in your partner tenant'),
    placeholder: '00000000-0000-0000-0000-000000000000',
    validate: (value) =>
      !GUID.test(value.trim())
        ? vscode.l10n.t("Enter the group's object id (a GUID), as Microsoft Entra shows it.")
        : taken(already, value.trim())
          ? vscode.l10n.t('This group is already planned or assigned; choose another group.')
          : undefined,
  });
  return typeof v === 'string' ? v.trim().toLowerCase() : undefined;
}

async function askSummaryStep(ui: StepUi, pos: Pos, a: NewRelationshipAnswers): Promise<'next' | Back | undefined> {
  const days = durationDays(a.duration) ?? 0;
  const summary = [
    a.customer === null ? vscode.l10n.t('any customer') : a.customer.name,
    vscode.l10n.t('{0} days', days),
    a.autoExtend ? vscode.l10n.t('auto-extend every 180 days') : vscode.l10n.t('no auto-extend'),
    a.planned.length === 1 ? vscode.l10n.t('1 planned group') : vscode.l10n.t('{0} planned groups', a.planned.length),
  ].join(' · ');
  const v = await ui.pick({
    ...pos,
    items: [
      {
        label: vscode.l10n.t('$(check) Create and lock for approval'),
        description: summary,
        detail: roleNames(a.roleDefinitionIds),
        value: true,
      },
      {
        label: vscode.l10n.t('$(edit) Create as a draft (lock later)'),
        description: summary,
        detail: roleNames(a.roleDefinitionIds),
        value: false,
      },
    ],
    placeholder: vscode.l10n.t('"{0}": check and create', a.name),
  });
  return typeof v === 'boolean' ? ((a.lock = v), 'next') : v;
}
