/*
 * Entry of dist/features.js: code that activation and the tree's first paint from the start-up cache do not
 * need — the network clients (first Graph request), command handlers, the template commands, the chat tools' queries and
 * changes, the template planner — loaded on first use through `features()` (featureLoader.ts).
 *
 * The build (esbuild.config.mjs, `featureSplit`) bundles here only the modules the extension bundle does
 * not hold; every other import (core, tree, commands, vscode) is served by the extension bundle's own
 * module instances, so classes (`instanceof`), module-level state and the vscode API are the same on both
 * sides of the boundary.
 */
export { createCoreClients } from '../../core/coreClients';
export { checkAccessCommand, showAccessMatrixCommand } from '../access/accessCommands';
export {
  makeRenewableCommand,
  removeGlobalAdministratorCommand,
  renewRelationshipCommand,
  showExpiringCommand,
  turnOffAutoExtendCommand,
  turnOnAutoExtendCommand,
  turnOnAutoExtendFor,
} from '../renewal/renewalCommands';
export { checkSignInCommand, openAppRegistrationsCommand } from '../commands/checkSignIn';
export { removeAccessAssignmentCommand } from '../commands/removeAccessAssignment';
export { removeDapCommand } from '../commands/removeDap';
export { copyApprovalLinkCommand, copyIdCommand, openInPartnerCenterCommand, showDetailsCommand } from '../commands/resourceCommands';
export { terminateRelationshipCommand } from '../commands/terminateRelationship';
export { openAdminCenterCommand } from '../onboarding/adminCenter';
export { newRelationshipCommand } from '../onboarding/newRelationship';
export { applyPlanCommand, exportTemplateCommand, planTemplateCommand } from '../templates/templateCommands';
export { answer, runReadTool } from '../../core/tools/toolQueries';
export { applyChange, changeKey, nothingToDoAnswer, prepareChange } from '../../core/tools/toolChanges';
export { folderTemplatePlanner } from '../../core/tools/templatePlanner';
