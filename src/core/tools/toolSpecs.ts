import { z } from 'zod';
import { RELATIONSHIP_STATUSES } from '../graph/models';

/*
 * The GDAP tools a language model may call, in the editor (languageModelTools, docs/chat-tools.md) and in
 * `gdap mcp`: one name, one JSON schema and one zod schema each. The JSON schemas are what package.json
 * declares and what the MCP server lists (a unit test keeps them equal); the zod schemas check every call,
 * because a model is untrusted input.
 */

/** Targets one changing call may name: more must be asked for in further calls, each confirmed. */
export const MAX_TARGETS_PER_CALL = 10;
/** Rows per page of a read answer. */
export const PAGE_SIZE = 50;

export const READ_TOOL_NAMES = [
  'gdap_inventory',
  'gdap_access',
  'gdap_expiring',
  'gdap_check',
  'gdap_impact',
  'gdap_plan_template',
] as const;
export const CHANGE_TOOL_NAMES = ['gdap_auto_extend', 'gdap_terminate', 'gdap_remove_assignment'] as const;
export type ReadToolName = (typeof READ_TOOL_NAMES)[number];
export type ChangeToolName = (typeof CHANGE_TOOL_NAMES)[number];
export type ToolName = ReadToolName | ChangeToolName;

export function isChangeTool(name: string): name is ChangeToolName {
  return (CHANGE_TOOL_NAMES as readonly string[]).includes(name);
}

export function isToolName(name: string): name is ToolName {
  return isChangeTool(name) || (READ_TOOL_NAMES as readonly string[]).includes(name);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A GUID, or two joined by "-" (docs/api-notes.md §2.1). */
const RELATIONSHIP_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i;

type JsonSchema = Readonly<Record<string, unknown>>;

const text = (description: string, maxLength = 200): JsonSchema => ({ type: 'string', maxLength, description });
const page: JsonSchema = {
  type: 'integer',
  minimum: 1,
  description: 'Page of the answer to return (1 = first); answers say how many pages there are.',
};
const relationshipIds: JsonSchema = {
  type: 'array',
  items: { type: 'string', description: 'A relationship id as gdap_inventory shows it.' },
  minItems: 1,
  maxItems: MAX_TARGETS_PER_CALL,
  description: `Relationship ids, at most ${MAX_TARGETS_PER_CALL} per call.`,
};

/** The declared input schemas (package.json `languageModelTools[].inputSchema` and the MCP tool list). */
export const TOOL_INPUT_SCHEMAS: Readonly<Record<ToolName, JsonSchema>> = {
  gdap_inventory: {
    type: 'object',
    properties: {
      query: text('Text matched against customer and relationship names; empty for all.'),
      status: { type: 'string', enum: [...RELATIONSHIP_STATUSES], description: 'Only relationships in this status.' },
      role: text('Only relationships that include this role: a Microsoft Entra role name or its template id.'),
      page,
    },
    required: ['query'],
    additionalProperties: false,
  },
  gdap_access: {
    type: 'object',
    properties: {
      customer: text('Customer name (or part of it) or tenant id.'),
      group: text('Security group name (or part of it) or id.'),
      role: text('A Microsoft Entra role name or its template id.'),
      page,
    },
    additionalProperties: false,
  },
  gdap_expiring: {
    type: 'object',
    properties: {
      days: { type: 'integer', minimum: 0, maximum: 730, description: 'How far ahead to look, in days (default 30).' },
    },
    additionalProperties: false,
  },
  gdap_check: {
    type: 'object',
    properties: {
      severity: { type: 'string', enum: ['error', 'warning', 'info'], description: 'Only findings of this severity.' },
      customer: text('Customer name (or part of it) or tenant id.'),
      page,
    },
    additionalProperties: false,
  },
  gdap_impact: {
    type: 'object',
    properties: {
      action: {
        type: 'string',
        enum: ['terminate', 'removeAssignment', 'removeGlobalAdministrator'],
        description: 'The change to weigh: terminate relationships, remove one access assignment, or remove Global Administrator.',
      },
      relationshipIds,
      assignmentId: { type: 'string', description: 'With removeAssignment: the access assignment id (one relationship only).' },
    },
    required: ['action', 'relationshipIds'],
    additionalProperties: false,
  },
  gdap_plan_template: {
    type: 'object',
    properties: {
      template: text('Path of the template file in the workspace, relative to its folder.', 500),
    },
    required: ['template'],
    additionalProperties: false,
  },
  gdap_auto_extend: {
    type: 'object',
    properties: {
      on: { type: 'boolean', description: 'true turns auto-extend on (180 days), false turns it off.' },
      relationshipIds,
    },
    required: ['on', 'relationshipIds'],
    additionalProperties: false,
  },
  gdap_terminate: {
    type: 'object',
    properties: { relationshipIds },
    required: ['relationshipIds'],
    additionalProperties: false,
  },
  gdap_remove_assignment: {
    type: 'object',
    properties: {
      relationshipId: { type: 'string', description: 'The relationship id.' },
      assignmentId: { type: 'string', description: 'The access assignment id under it.' },
    },
    required: ['relationshipId', 'assignmentId'],
    additionalProperties: false,
  },
};

/** What each tool is for, in the words a model reads (package.json `modelDescription`, the MCP description). */
export const TOOL_DESCRIPTIONS: Readonly<Record<ToolName, string>> = {
  gdap_inventory:
    "Lists the partner's GDAP customers and relationships (status, end date, auto-extend, roles), matched by customer or relationship name. Read-only.",
  gdap_access:
    'Who can do what: which security group holds which Microsoft Entra role at which customer, through which GDAP relationship. Use it for questions like "who can reset MFA at Contoso?". Read-only.',
  gdap_expiring:
    'GDAP relationships that will stop granting access by themselves: ending within 1, 7 or 30 days without auto-extend, or ended in the last 30 days, each with the reason. Read-only.',
  gdap_check: "The access doctor's findings over every relationship and access assignment, each saying what to do. Read-only.",
  gdap_impact:
    'What a change would cost before it is made: per customer, which group loses which role and which roles are kept through another relationship. Read-only; it changes nothing.',
  gdap_plan_template:
    'The plan for a GDAP template file in the workspace: which relationships and access assignments it would create or change. Read-only.',
  gdap_auto_extend:
    'Turns auto-extend on or off for GDAP relationships. The user sees the plan and must confirm it; nothing is sent otherwise.',
  gdap_terminate:
    'Terminates GDAP relationships (all access they grant ends; cannot be undone). The user sees the plan and must confirm it; nothing is sent otherwise.',
  gdap_remove_assignment:
    "Removes one access assignment (a security group's roles) from a GDAP relationship. The user sees the plan and must confirm it; nothing is sent otherwise.",
};

const textInput = (what: string, max = 200): z.ZodString => z.string().max(max, `${what} is at most ${max} characters.`);
const relationshipId = z
  .string()
  .regex(RELATIONSHIP_ID, 'is not a relationship id (a GUID, or two GUIDs joined by "-"); take ids from gdap_inventory');
const relationshipIdList = z
  .array(relationshipId)
  .min(1, 'Name at least one relationship id.')
  .max(
    MAX_TARGETS_PER_CALL,
    `At most ${MAX_TARGETS_PER_CALL} relationships per call; ask for the rest in further calls (each is confirmed on its own).`,
  );
const pageInput = z.number().int('page is a whole number.').min(1, 'page starts at 1.').optional();

/** The zod schemas every call is parsed with (unknown properties are refused, like `additionalProperties: false`). */
export const TOOL_INPUTS = {
  gdap_inventory: z
    .object({
      query: textInput('query'),
      status: z.enum(RELATIONSHIP_STATUSES).optional(),
      role: textInput('role').optional(),
      page: pageInput,
    })
    .strict(),
  gdap_access: z
    .object({
      customer: textInput('customer').optional(),
      group: textInput('group').optional(),
      role: textInput('role').optional(),
      page: pageInput,
    })
    .strict(),
  gdap_expiring: z.object({ days: z.number().int().min(0).max(730).optional() }).strict(),
  gdap_check: z
    .object({ severity: z.enum(['error', 'warning', 'info']).optional(), customer: textInput('customer').optional(), page: pageInput })
    .strict(),
  gdap_impact: z
    .object({
      action: z.enum(['terminate', 'removeAssignment', 'removeGlobalAdministrator']),
      relationshipIds: relationshipIdList,
      assignmentId: z.string().regex(GUID, 'is not an access assignment id (a GUID).').optional(),
    })
    .strict()
    .refine((v) => v.action !== 'removeAssignment' || (v.assignmentId !== undefined && v.relationshipIds.length === 1), {
      message: 'removeAssignment needs assignmentId and exactly one relationship id.',
    }),
  gdap_plan_template: z.object({ template: textInput('template', 500).min(1, 'Name the template file.') }).strict(),
  gdap_auto_extend: z.object({ on: z.boolean(), relationshipIds: relationshipIdList }).strict(),
  gdap_terminate: z.object({ relationshipIds: relationshipIdList }).strict(),
  gdap_remove_assignment: z
    .object({ relationshipId, assignmentId: z.string().regex(GUID, 'is not an access assignment id (a GUID).') })
    .strict(),
} as const;

export type ToolInput<N extends ToolName> = z.infer<(typeof TOOL_INPUTS)[N]>;

/** Refused input: the message says what was wrong and what to do; nothing was read or sent. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}

/** Parses one call's input; throws {@link ToolInputError} naming each problem. */
export function parseToolInput<N extends ToolName>(name: N, input: unknown): ToolInput<N> {
  const result = TOOL_INPUTS[name].safeParse(input ?? {});
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new ToolInputError(`Invalid input for ${name}: ${problems.join('; ')}`);
}
