import { z } from 'zod';

/*
 * The messages between the Access Matrix webview and the extension. What the webview sends is untrusted
 * input (docs/architecture.md §5): every message is parsed with these schemas and anything else is dropped.
 */

/** A row of the matrix as the webview holds it (arrays keep 100,000 rows small). */
export type MatrixRow = readonly [
  customerName: string,
  customerTenantId: string,
  relationshipName: string,
  relationshipId: string,
  groupLabel: string,
  roleName: string,
  /** 1 privileged, 0 not, -1 unknown (never assumed harmless). */
  privileged: 1 | 0 | -1,
  /** yyyy-mm-dd or ''. */
  ends: string,
];

const MAX_ROWS = 1_000_000;
const index = z.number().int().min(0).max(MAX_ROWS);

export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('open'), index }).strict(),
  z
    .object({
      type: z.literal('export'),
      format: z.enum(['csv', 'markdown']),
      /** The rows shown (filtered and sorted), by index into the rows sent. */
      indices: z.array(index).max(MAX_ROWS),
    })
    .strict(),
]);

export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** The message, or undefined when it is not one the webview may send. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const parsed = webviewMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
