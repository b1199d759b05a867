import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { crockfordBase32 } from '../vault/base32.js';
import { Vault } from '../vault/vault.js';

const PURPOSE = 'ballot-pseudonym';
/** The vault subject holding a consultation's pseudonym key. */
export const pseudonymSubject = (consultationId: string): string => `consultation.${consultationId}`;

/**
 * Voters appear in a consultation's ballots, read models and exports only as a pseudonym: an HMAC of
 * their citizen id under a key of that consultation, held in the vault. One citizen has one
 * pseudonym per consultation (so the last ballot counts), different ones across consultations
 * (so turnout histories cannot be joined), and once the key is destroyed after the result is final,
 * nobody, the commune included, can tell whose ballot is whose, while the tally still verifies.
 */
@Injectable()
export class BallotPseudonyms {
  private readonly keys = new Map<string, Promise<Buffer>>();

  constructor(private readonly vault: Vault) {}

  async pseudonymFor(consultationId: string, citizenId: string): Promise<string> {
    const key = await this.keyOf(consultationId);
    const mac = createHmac('sha256', key).update(`palabre.voter.v1\u0000${citizenId}`, 'utf8').digest();
    return `V${crockfordBase32(mac.subarray(0, 16))}`;
  }

  /** Destroys the consultation's key for good (the vault keeps a tombstone); pseudonyms can no longer be made or matched. */
  async destroyKey(consultationId: string): Promise<void> {
    this.keys.delete(consultationId);
    await this.vault.forgetSubject(pseudonymSubject(consultationId));
  }

  private keyOf(consultationId: string): Promise<Buffer> {
    let key = this.keys.get(consultationId);
    if (!key) {
      key = this.vault.derivedKey(pseudonymSubject(consultationId), PURPOSE);
      // A failure (a destroyed key) is not remembered: the next call asks the vault again.
      key.catch(() => this.keys.delete(consultationId));
      this.keys.set(consultationId, key);
    }
    return key;
  }
}
