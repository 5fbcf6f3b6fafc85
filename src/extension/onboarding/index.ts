/*
 * What other extension features reuse from onboarding: the renewal flow gives its successor relationship's
 * approval link the same way and keeps planned assignments in the same store.
 */
export { copyApprovalLinkOf, draftInvitationEmailOf, invitationMailto, offerApprovalLink } from './invitation';
export { grantPlannedFor } from './grantCommands';
export { lockRelationships } from './draftCommands';
export type { OnboardingServices } from './services';
