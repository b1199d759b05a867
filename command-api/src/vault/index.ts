export { Vault, newSubjectId, type StoredContact } from './vault.js';
export { contactSchema, phoneSchema, normalisePhone, type Contact, type ContactInput } from './contact.js';
export { VaultError, type VaultErrorCode, type VaultIssue } from './errors.js';
export { ensureVaultSchema } from './schema.js';
export { loadMasterKey, loadKey, type LoadKeyOptions } from './keys.js';
export { crockfordBase32 } from './base32.js';
