export { startLocalStack, type LocalStack, type LocalStackOptions } from './stack.ts';
export { seedReferenceData, DEMO_PRODUCTS, FALLBACK_SKU } from './seed.ts';
export { buyerPays, type Purchase } from './buyer.ts';
export { dataverseAdmin, type DataverseAdmin } from './dataverse-admin.ts';
