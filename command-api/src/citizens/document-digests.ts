import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CITIZEN_SECRET } from '../platform/tokens.js';

/**
 * An identity document's number as Palabre keeps it: an HMAC under a key of the commune (derived
 * from the citizen secret), the same for the in-person check and the census list, so they match
 * without the number being stored anywhere.
 */
@Injectable()
export class DocumentDigests {
  constructor(@Inject(CITIZEN_SECRET) private readonly secret: Buffer) {}

  of(communeId: string, documentNumber: string): string {
    const communeKey = createHmac('sha256', this.secret).update(`palabre.document-key.v1\u0000${communeId}`, 'utf8').digest();
    return createHmac('sha256', communeKey).update(documentNumber, 'utf8').digest('hex');
  }
}
