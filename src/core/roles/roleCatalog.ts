/**
 * Entra built-in roles GDAP relationships commonly carry (docs/api-notes.md §10): template id → name, and the
 * Privileged flag of the Entra permissions reference. Pure data: the emulator may use it too.
 */
export interface RoleInfo {
  readonly id: string;
  readonly name: string;
  readonly privileged: boolean;
  /** Entra marks these "Do not use" / service-only; partners should not request them. */
  readonly notForPartners?: boolean;
}

export const GLOBAL_ADMINISTRATOR_ROLE_ID = '62e90394-69f5-4237-9190-012177145e10';

export const ROLE_CATALOG: readonly RoleInfo[] = [
  { id: '62e90394-69f5-4237-9190-012177145e10', name: 'Global Administrator', privileged: true },
  { id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', name: 'Global Reader', privileged: true },
  { id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', name: 'Directory Readers', privileged: false },
  { id: '9360feb5-f418-4baa-8175-e2a00bac4301', name: 'Directory Writers', privileged: true },
  { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator', privileged: true },
  { id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', name: 'Helpdesk Administrator', privileged: true },
  { id: '966707d0-3269-4727-9be2-8c3a10f19b9d', name: 'Password Administrator', privileged: true },
  { id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', name: 'Authentication Administrator', privileged: true },
  { id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', name: 'Privileged Authentication Administrator', privileged: true },
  { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', name: 'Privileged Role Administrator', privileged: true },
  { id: '0526716b-113d-4c15-b2c8-68e3c22b9f80', name: 'Authentication Policy Administrator', privileged: false },
  { id: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', name: 'Conditional Access Administrator', privileged: true },
  { id: '194ae4cb-b126-40b2-bd5b-6091b380977d', name: 'Security Administrator', privileged: true },
  { id: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f', name: 'Security Operator', privileged: true },
  { id: '5d6b6bb7-de71-4623-b4af-96380a352509', name: 'Security Reader', privileged: true },
  { id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', name: 'Application Administrator', privileged: true },
  { id: '158c047a-c907-4556-b7ef-446551a6b5f7', name: 'Cloud Application Administrator', privileged: true },
  { id: 'cf1c38e5-3621-4004-a7cb-879624dced7c', name: 'Application Developer', privileged: true },
  { id: '7698a772-787b-4ac8-901f-60d6b08affd2', name: 'Cloud Device Administrator', privileged: true },
  { id: '3a2c62db-5318-420d-8d74-23affee5d9d5', name: 'Intune Administrator', privileged: true },
  { id: '29232cdf-9323-42fd-ade2-1d097af3e4de', name: 'Exchange Administrator', privileged: false },
  { id: '31392ffb-586c-42d1-9346-e59415a2cc4e', name: 'Exchange Recipient Administrator', privileged: false },
  { id: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', name: 'SharePoint Administrator', privileged: false },
  { id: '69091246-20e8-4a56-aa4d-066075b2a7a8', name: 'Teams Administrator', privileged: false },
  { id: 'baf37b3a-610e-45da-9e62-d9d1e5e8914b', name: 'Teams Communications Administrator', privileged: false },
  { id: '3d762c5a-1b6c-493f-843e-55a3b42923d4', name: 'Teams Devices Administrator', privileged: false },
  { id: '4d6ac14f-3453-41d0-bef9-a3e0c569773a', name: 'License Administrator', privileged: false },
  { id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe', name: 'Billing Administrator', privileged: false },
  { id: 'f023fd81-a637-4b56-95fd-791ac0226033', name: 'Service Support Administrator', privileged: false },
  { id: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', name: 'Message Center Reader', privileged: false },
  { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', name: 'Reports Reader', privileged: false },
  { id: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', name: 'Groups Administrator', privileged: false },
  { id: '8329153b-31d0-4727-b945-745eb3bc5f31', name: 'Domain Name Administrator', privileged: true },
  { id: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2', name: 'Hybrid Identity Administrator', privileged: true },
  { id: '17315797-102d-40b4-93e0-432062caca18', name: 'Compliance Administrator', privileged: false },
  { id: 'e6d1a23a-da11-4be4-9570-befc86d067a7', name: 'Compliance Data Administrator', privileged: false },
  { id: 'c430b396-e693-46cc-96f3-db01bf8bb62a', name: 'Attack Simulation Administrator', privileged: false },
  { id: '11648597-926c-4cf3-9c36-bcebb0ba8dcc', name: 'Power Platform Administrator', privileged: false },
  { id: '44367163-eba1-44c3-98af-f5787879f96a', name: 'Dynamics 365 Administrator', privileged: false },
  { id: '963797fb-eb3b-4cde-8ce3-5878b3f32a3f', name: 'Dynamics 365 Business Central Administrator', privileged: false },
  { id: 'a9ea8996-122f-4c74-9520-8edcd192826c', name: 'Fabric Administrator', privileged: false },
  { id: '11451d60-acb2-45eb-a7d6-43d0f0125c13', name: 'Windows 365 Administrator', privileged: false },
  { id: '644ef478-e28f-4e28-b9dc-3fdde9aa0b1f', name: 'Printer Administrator', privileged: false },
  { id: '2b745bdf-0803-4d80-aa65-822c4493daac', name: 'Office Apps Administrator', privileged: false },
  { id: '0964bb5e-9bdb-4d7b-ac29-58e794862a40', name: 'Search Administrator', privileged: false },
  { id: '32696413-001a-46ae-978c-ce0f6b3620d2', name: 'Windows Update Deployment Administrator', privileged: false },
  { id: '95e79109-95c0-4d8e-aee3-d01accf2d47b', name: 'Guest Inviter', privileged: false },
  { id: 'e3973bdf-4987-49ae-837a-ba8e231c7286', name: 'Azure DevOps Administrator', privileged: false },
  { id: 'd2562ede-74db-457e-a7b6-544e236ebb61', name: 'AI Administrator', privileged: false },
  { id: '4ba39ca4-527c-499a-b93d-d9b492c50246', name: 'Partner Tier1 Support', privileged: true, notForPartners: true },
  { id: 'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8', name: 'Partner Tier2 Support', privileged: true, notForPartners: true },
  { id: 'd29b2b05-8046-44ba-8758-1e26182fcf32', name: 'Directory Synchronization Accounts', privileged: false, notForPartners: true },
];
