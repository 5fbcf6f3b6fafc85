// Types of lifecycle.mjs for the TypeScript harness (test/e2e/harness).
export function stopAll(): Promise<void>;
