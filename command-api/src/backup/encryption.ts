import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  scrypt,
} from 'node:crypto';
import { BackupDamagedError, BackupKeyError } from './errors.js';

/**
 * An encrypted backup: a magic line, a JSON header line (how the data key is wrapped), then the
 * compressed archive in AES-256-GCM chunks. Each chunk's additional data binds the header, its
 * index and whether it is the last, so chunks cannot be reordered, dropped or cut off unnoticed.
 */
export const ENCRYPTED_MAGIC = Buffer.from('PALABRE-BACKUP-ENCRYPTED\n');
const CHUNK_BYTES = 1 << 20;
const FINAL = 0x80000000;
const TAG_BYTES = 16;
// 2^17 × 8 × 128 bytes = 128 MiB of memory per guess: costly for whoever guesses passphrases.
const SCRYPT = { N: 1 << 17, r: 8, p: 1 } as const;

export type Encryption = { readonly passphrase: string } | { readonly publicKey: KeyObject };
export interface Decryption {
  readonly passphrase?: string;
  readonly privateKey?: KeyObject;
}

type WrappedKey =
  | { kind: 'passphrase'; salt: string; N: number; r: number; p: number; wrapped: string }
  | { kind: 'x25519'; recipient: string; ephemeral: string; wrapped: string }
  | { kind: 'rsa-oaep-sha256'; recipient: string; wrapped: string };

interface Header {
  readonly format: 'palabre-backup-encrypted';
  readonly version: 1;
  readonly cipher: 'aes-256-gcm';
  readonly chunkBytes: number;
  readonly key: WrappedKey;
}

/** Short fingerprint of a public key (SHA-256 of its SPKI form), to say which key a backup needs. */
export const keyFingerprint = (key: KeyObject): string => createHash('sha256').update(spki(key)).digest('hex').slice(0, 16);

/** The public half's SPKI bytes, from a public or a private key. */
const spki = (key: KeyObject): Buffer => (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });

/** The header bytes to write first and the generator that encrypts what follows. */
export async function encryptionFor(encryption: Encryption): Promise<{ header: Buffer; encrypt: (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> }> {
  const dataKey = randomBytes(32);
  const key = 'passphrase' in encryption ? await wrapWithPassphrase(dataKey, encryption.passphrase) : wrapForRecipient(dataKey, encryption.publicKey);
  const header: Header = { format: 'palabre-backup-encrypted', version: 1, cipher: 'aes-256-gcm', chunkBytes: CHUNK_BYTES, key };
  const line = Buffer.from(`${JSON.stringify(header)}\n`);
  const bound = createHash('sha256').update(line).digest();
  return { header: Buffer.concat([ENCRYPTED_MAGIC, line]), encrypt: (source) => encryptChunks(source, dataKey, bound) };
}

async function* encryptChunks(source: AsyncIterable<Buffer>, dataKey: Buffer, bound: Buffer): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  for await (const chunk of source) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= CHUNK_BYTES) {
      const all = Buffer.concat(pending);
      yield sealChunk(dataKey, bound, index++, all.subarray(0, CHUNK_BYTES), false);
      pending = [all.subarray(CHUNK_BYTES)];
      pendingBytes = all.length - CHUNK_BYTES;
    }
  }
  yield sealChunk(dataKey, bound, index, Buffer.concat(pending), true);
}

function sealChunk(dataKey: Buffer, bound: Buffer, index: number, plain: Buffer, final: boolean): Buffer {
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonceOf(index));
  cipher.setAAD(chunkAad(bound, index, final));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE((plain.length | (final ? FINAL : 0)) >>> 0);
  return Buffer.concat([length, sealed]);
}

/**
 * Reads the header at the start of `head` (the file's first bytes) and opens the data key; a wrong
 * passphrase or key is refused here, before anything is restored.
 */
export async function openEncryption(head: Buffer, decryption: Decryption): Promise<{ headerBytes: number; decrypt: (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> }> {
  const end = head.indexOf(0x0a, ENCRYPTED_MAGIC.length);
  if (end < 0) throw new BackupDamagedError('its encryption header is cut off');
  const line = head.subarray(ENCRYPTED_MAGIC.length, end + 1);
  let header: Header;
  try {
    header = JSON.parse(line.toString('utf8')) as Header;
  } catch {
    throw new BackupDamagedError('its encryption header is not readable');
  }
  if (header.format !== 'palabre-backup-encrypted' || header.version !== 1 || header.cipher !== 'aes-256-gcm') throw new BackupDamagedError('its encryption header names an unknown format');
  const dataKey = await unwrap(header.key, decryption);
  const bound = createHash('sha256').update(line).digest();
  return { headerBytes: end + 1, decrypt: (source) => decryptChunks(source, dataKey, bound, header.chunkBytes) };
}

async function* decryptChunks(source: AsyncIterable<Buffer>, dataKey: Buffer, bound: Buffer, chunkBytes: number): AsyncGenerator<Buffer> {
  let buffered: Buffer = Buffer.alloc(0);
  let index = 0;
  let finished = false;
  for await (const chunk of source) {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 4) break;
      if (finished) throw new BackupDamagedError('bytes follow its last encrypted chunk');
      const word = buffered.readUInt32BE(0);
      const final = (word & FINAL) !== 0;
      const length = word & ~FINAL;
      if (length > chunkBytes) throw new BackupDamagedError(`encrypted chunk ${index} has an impossible length`);
      if (buffered.length < 4 + length + TAG_BYTES) break;
      const decipher = createDecipheriv('aes-256-gcm', dataKey, nonceOf(index));
      decipher.setAAD(chunkAad(bound, index, final));
      decipher.setAuthTag(buffered.subarray(4 + length, 4 + length + TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(buffered.subarray(4, 4 + length)), decipher.final()]);
      } catch {
        throw new BackupDamagedError(`encrypted chunk ${index} fails its authentication (the file was altered or damaged)`);
      }
      buffered = buffered.subarray(4 + length + TAG_BYTES);
      index++;
      finished = final;
      if (plain.length > 0) yield plain;
    }
  }
  if (!finished) throw new BackupDamagedError('it ends before its last encrypted chunk (the file is truncated)');
}

const nonceOf = (index: number): Buffer => {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
};

const chunkAad = (bound: Buffer, index: number, final: boolean): Buffer => {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail[8] = final ? 1 : 0;
  return Buffer.concat([bound, tail]);
};

const scryptKey = (passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { ...params, maxmem: 256 * params.N * params.r + (1 << 20) }, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** AES-256-GCM of the data key under a key-encryption key: iv ‖ ciphertext ‖ tag, base64. */
function seal(kek: Buffer, dataKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from('palabre-backup data key'));
  return Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

function open(kek: Buffer, wrapped: string): Buffer | null {
  const bytes = Buffer.from(wrapped, 'base64');
  if (bytes.length !== 12 + 32 + TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from('palabre-backup data key'));
  decipher.setAuthTag(bytes.subarray(12 + 32));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(12, 12 + 32)), decipher.final()]);
  } catch {
    return null;
  }
}

async function wrapWithPassphrase(dataKey: Buffer, passphrase: string): Promise<WrappedKey> {
  if (passphrase.length < 8) throw new BackupKeyError('A backup passphrase needs at least 8 characters.');
  const salt = randomBytes(16);
  return { kind: 'passphrase', salt: salt.toString('base64'), ...SCRYPT, wrapped: seal(await scryptKey(passphrase, salt, SCRYPT), dataKey) };
}

function wrapForRecipient(dataKey: Buffer, publicKey: KeyObject): WrappedKey {
  const recipient = keyFingerprint(publicKey);
  if (publicKey.asymmetricKeyType === 'x25519') {
    const ephemeral = generateKeyPairSync('x25519');
    const ephemeralDer = ephemeral.publicKey.export({ type: 'spki', format: 'der' });
    const kek = x25519Kek(diffieHellman({ privateKey: ephemeral.privateKey, publicKey }), ephemeralDer, publicKey);
    return { kind: 'x25519', recipient, ephemeral: ephemeralDer.toString('base64'), wrapped: seal(kek, dataKey) };
  }
  if (publicKey.asymmetricKeyType === 'rsa') {
    if ((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 3072) throw new BackupKeyError('An RSA backup key needs at least 3072 bits.');
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dataKey);
    return { kind: 'rsa-oaep-sha256', recipient, wrapped: wrapped.toString('base64') };
  }
  throw new BackupKeyError(`A backup public key is X25519 or RSA; this one is ${publicKey.asymmetricKeyType ?? 'unknown'}.`);
}

// The shared secret, bound to both public keys, through HKDF.
function x25519Kek(shared: Buffer, ephemeralDer: Buffer, recipient: KeyObject): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralDer, spki(recipient)]), 'palabre-backup x25519 v1', 32));
}

async function unwrap(key: WrappedKey, decryption: Decryption): Promise<Buffer> {
  if (key.kind === 'passphrase') {
    if (decryption.passphrase === undefined) throw new BackupKeyError('This backup is encrypted with a passphrase: give it with PALABRE_BACKUP_PASSPHRASE or --passphrase-file.');
    const kek = await scryptKey(decryption.passphrase, Buffer.from(key.salt, 'base64'), key);
    const dataKey = open(kek, key.wrapped);
    if (dataKey === null) throw new BackupKeyError('The passphrase does not open this backup.');
    return dataKey;
  }
  const privateKey = decryption.privateKey;
  if (privateKey === undefined) throw new BackupKeyError(`This backup is encrypted for the public key ${key.recipient}: give its private key with --key FILE.`);
  if (keyFingerprint(privateKey) !== key.recipient) throw new BackupKeyError(`This backup is encrypted for the key ${key.recipient}; the key given is ${keyFingerprint(privateKey)}.`);
  const dataKey =
    key.kind === 'x25519'
      ? open(x25519Kek(diffieHellman({ privateKey, publicKey: ephemeralKey(key.ephemeral) }), Buffer.from(key.ephemeral, 'base64'), privateKey), key.wrapped)
      : attempt(() => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(key.wrapped, 'base64')));
  if (dataKey === null || dataKey.length !== 32) throw new BackupDamagedError('its wrapped data key does not open with the right key (the header was altered)');
  return dataKey;
}

function ephemeralKey(der: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new BackupDamagedError('its encryption header holds an unreadable key');
  }
}

function attempt(f: () => Buffer): Buffer | null {
  try {
    return f();
  } catch {
    return null;
  }
}
