import type { CreateAccessAssignmentInput, CreateRelationshipInput, UpdateRelationshipInput } from './gdapApi';

/** JSON bodies of the Graph GDAP writes (docs/api-notes.md §3), built from validated input only. */

function unifiedRoles(roleDefinitionIds: readonly string[]): { unifiedRoles: { roleDefinitionId: string }[] } {
  return { unifiedRoles: roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) };
}

function customerOf(customer: { readonly tenantId: string; readonly displayName?: string }): Record<string, string> {
  return customer.displayName === undefined
    ? { tenantId: customer.tenantId }
    : { tenantId: customer.tenantId, displayName: customer.displayName };
}

export function createRelationshipBody(input: CreateRelationshipInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    displayName: input.displayName,
    duration: input.duration,
    accessDetails: unifiedRoles(input.roleDefinitionIds),
  };
  if (input.customer !== undefined) {
    body.customer = customerOf(input.customer);
  }
  if (input.autoExtendDuration !== undefined) {
    body.autoExtendDuration = input.autoExtendDuration;
  }
  return body;
}

/** Only the properties the caller set: a PATCH changes nothing else. */
export function updateRelationshipBody(input: UpdateRelationshipInput): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.displayName !== undefined) {
    body.displayName = input.displayName;
  }
  if (input.duration !== undefined) {
    body.duration = input.duration;
  }
  if (input.roleDefinitionIds !== undefined) {
    body.accessDetails = unifiedRoles(input.roleDefinitionIds);
  }
  if (input.autoExtendDuration !== undefined) {
    body.autoExtendDuration = input.autoExtendDuration;
  }
  if (input.customer !== undefined) {
    body.customer = customerOf(input.customer);
  }
  return body;
}

export function createAccessAssignmentBody(input: CreateAccessAssignmentInput): Record<string, unknown> {
  return {
    accessContainer: { accessContainerId: input.securityGroupId, accessContainerType: 'securityGroup' },
    accessDetails: unifiedRoles(input.roleDefinitionIds),
  };
}

export function updateAccessAssignmentBody(roleDefinitionIds: readonly string[]): Record<string, unknown> {
  return { accessDetails: unifiedRoles(roleDefinitionIds) };
}
