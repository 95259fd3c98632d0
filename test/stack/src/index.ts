// @ppc/stack: the local sandbox composition. startLocalStack runs the product on loopback (e2e, bench);
// startSandbox adds what `npm start` shows a newcomer (harness, demo data, a demo purchase).
export { startLocalStack, DATAVERSE_WEBHOOK_SECRET, type LocalStack, type LocalStackOptions } from './stack.ts';
export { seedReferenceData, setEnvironmentVariable, DEMO_PRODUCTS, FALLBACK_SKU } from './seed.ts';
export { buyerPays, type BuyerOptions, type Purchase } from './buyer.ts';
export { dataverseAdmin, type DataverseAdmin } from './dataverse-admin.ts';
export { paypalToken } from './paypal-token.ts';
export { pollUntil } from './poll.ts';
export { sandboxSettings, REPO_ROOT, type SandboxSettings } from './sandbox-settings.ts';
export { adminTokenFor } from './admin-token.ts';
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.ts';
export { sandboxBanner, READY_LINE } from './banner.ts';
