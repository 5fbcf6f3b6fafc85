/** Every id the manifest and the code share (docs/architecture.md §2.13). */

export const EXTENSION_ID = 'gdap-explorer.gdap-explorer';

export const VIEW_CONTAINER_ID = 'gdap';
export const VIEW_ID = 'gdap.explorer';
/** The second view of the container: relationships that will not renew by themselves (docs/renewal.md). */
export const RENEWAL_VIEW_ID = 'gdap.renewal';

export const COMMANDS = {
  signIn: 'gdap.signIn',
  signOut: 'gdap.signOut',
  refresh: 'gdap.refresh',
  filter: 'gdap.filter',
  clearFilter: 'gdap.clearFilter',
  terminateRelationship: 'gdap.terminateRelationship',
  removeAccessAssignment: 'gdap.removeAccessAssignment',
  removeDap: 'gdap.removeDap',
  copyId: 'gdap.copyId',
  copyApprovalLink: 'gdap.copyApprovalLink',
  openInPartnerCenter: 'gdap.openInPartnerCenter',
  showDetails: 'gdap.showDetails',
  showLog: 'gdap.showLog',
  showJournal: 'gdap.showJournal',
  openSetupGuide: 'gdap.openSetupGuide',
  checkSignIn: 'gdap.checkSignIn',
  openAppRegistrations: 'gdap.openAppRegistrations',
  turnOnAutoExtend: 'gdap.turnOnAutoExtend',
  turnOffAutoExtend: 'gdap.turnOffAutoExtend',
  removeGlobalAdministrator: 'gdap.removeGlobalAdministrator',
  makeRenewable: 'gdap.makeRenewable',
  renewRelationship: 'gdap.renewRelationship',
  showExpiring: 'gdap.showExpiring',
  newRelationship: 'gdap.newRelationship',
  lockForApproval: 'gdap.lockForApproval',
  draftInvitationEmail: 'gdap.draftInvitationEmail',
  deleteDraft: 'gdap.deleteDraft',
  addAccessAssignment: 'gdap.addAccessAssignment',
  changeRoles: 'gdap.changeRoles',
  grantPlannedAssignments: 'gdap.grantPlannedAssignments',
  openAdminCenter: 'gdap.openAdminCenter',
  planTemplate: 'gdap.planTemplate',
  applyPlan: 'gdap.applyPlan',
  exportTemplate: 'gdap.exportTemplate',
  showAccessMatrix: 'gdap.showAccessMatrix',
  checkAccess: 'gdap.checkAccess',
  revealInTree: 'gdap.revealInTree',
} as const;

/** The getting-started walkthrough (`contributes.walkthroughs`), as `<publisher>.<name>#<id>`. */
export const WALKTHROUGH_ID = 'gdap.gettingStarted';
export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export const CONTEXT_KEYS = {
  /** `checking` | `signedOut` | `noAppRegistration` | `signInFailed` | `signedIn` (drives viewsWelcome). */
  authState: 'gdap.authState',
  readOnly: 'gdap.readOnly',
  filterActive: 'gdap.filterActive',
  emulator: 'gdap.emulator',
} as const;

export type AuthState = 'checking' | 'signedOut' | 'noAppRegistration' | 'signInFailed' | 'signedIn';

export const SETTINGS = {
  section: 'gdap',
  clientId: 'auth.clientId',
  tenantId: 'auth.tenantId',
  cloud: 'cloud',
  useDeviceCode: 'auth.useDeviceCode',
  confirmation: 'confirmation',
  readOnly: 'readOnly',
  expiryWarningDays: 'expiryWarningDays',
  cacheEnabled: 'cache.enabled',
  resolveGroupNames: 'resolveGroupNames',
  notifications: 'notifications',
} as const;

export const AUTH = {
  microsoftProvider: 'microsoft',
  /** VS Code's provider for national clouds; its environment is the `microsoft-sovereign-cloud.environment` setting. */
  sovereignProvider: 'microsoft-sovereign-cloud',
  emulatorProvider: 'gdap-emulator',
  clientIdScopePrefix: 'VSCODE_CLIENT_ID:',
  tenantScopePrefix: 'VSCODE_TENANT:',
  graphReadWrite: 'DelegatedAdminRelationship.ReadWrite.All',
  graphRead: 'DelegatedAdminRelationship.Read.All',
  /** Optional delegated scope for security group names (`gdap.resolveGroupNames`); needs admin consent. */
  graphGroupRead: 'GroupMember.Read.All',
  partnerCenterScope: 'user_impersonation',
  defaultTenant: 'organizations',
  /** Client id used against the emulator when none is configured (the emulator accepts any). */
  emulatorClientId: '00000000-0000-0000-0000-00000000e1a0',
  emulatorTenant: 'emulator',
} as const;

export const ENV = {
  emulatorUrl: 'GDAP_EMULATOR_URL',
  emulatorCa: 'GDAP_EMULATOR_CA',
} as const;

export const STORAGE_KEYS = {
  inventoryCache: 'gdap.inventoryCache.v1',
  msalCache: 'gdap.msalCache.v1',
} as const;

export const LOG_CHANNEL_NAME = 'GDAP Explorer';
export const JOURNAL_FILE = 'journal.jsonl';
export const DETAILS_SCHEME = 'gdap-details';
export const SETUP_GUIDE_ANCHOR = 'app-registration';

/** Partner Center's admin relationship page for a customer (docs silent; see the README, "Emulator mode"). */
export const PARTNER_CENTER_CUSTOMER_URL = 'https://partner.microsoft.com/dashboard/v2/customers/{tenantId}/adminrelationships';
