export { AuthError, type AuthErrorCode } from './errors.js';
export { accessClaimsSchema, type AccessClaims, type PrincipalKind } from './claims.js';
export { hashPassword, verifyPassword, passwordNeedsRehash, PASSWORD_HASH_OPTIONS, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './passwords.js';
export {
  TokenService,
  loadJwtSecret,
  type TokenServiceOptions,
  type AccessToken,
  type Session,
  type RefreshSubject,
} from './tokens.js';
export { Credentials, type CredentialsOptions } from './credentials.js';
export { citizenIdForDevice, loadCitizenSecret } from './citizen.js';
export { ensureAuthSchema } from './schema.js';
