export { makeCa, makeLeaf, signDelivery, strangerKey, type Issued } from './pki.ts';
export { waitFor } from './wait.ts';
export { isCi, prerequisitesMet } from './prerequisites.ts';
export { forceCrc32Bytes, forgeWithCrcOf } from './crc32-forge.ts';
export { startSftpServer, type SftpServer } from './sftp-server.ts';
