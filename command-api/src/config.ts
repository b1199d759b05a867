import { resolve } from 'node:path';
import { z } from 'zod';
import type { HttpSmsGatewayOptions } from './citizens/sms/http-gateway.js';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.js';

/** Everything a deployment can set, read once at start from the environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Where `npm start` keeps embedded PostgreSQL, keys and media when nothing else is set. */
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly eventStoreUrl: string | null;
  readonly mediaDir: string;
  readonly masterKey: string | null;
  readonly jwtSecret: string | null;
  readonly demoPassword: string | null;
  /** Run projectors inside the API process (false when `npm run start:projections` runs them). */
  readonly inProcessProjections: boolean;
  readonly mapStyleUrl: string | null;
  readonly publicUrl: string | null;
  /** Abuse limits on citizen endpoints; off only for load benchmarks from one machine. */
  readonly rateLimits: boolean;
  /** Proxies whose X-Forwarded-For is believed (`TRUST_PROXY`); false: the socket's peer is the client. */
  readonly trustProxy: TrustProxy;
  /** Scheduled backups (PALABRE_BACKUP_DIR), or null when none are scheduled. */
  readonly backups: BackupConfig | null;
  /** The SMS aggregator (`SMS_GATEWAY_URL`), or null: messages then go to the development gateway staff read in the console. */
  readonly sms: HttpSmsGatewayOptions | null;
  /** Where phone numbers typed without a country code are read (`PALABRE_COUNTRY`, ISO 3166: CM, TG, CD, CI). */
  readonly country: string;
}

export interface BackupConfig {
  readonly dir: string;
  readonly keep: number;
  readonly intervalHours: number;
  readonly publicKeyFile: string | null;
  readonly passphraseFile: string | null;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  PALABRE_DATA_DIR: z.string().default('.palabre'),
  DATABASE_URL: z.string().url().optional(),
  EVENTSTORE_URL: z.string().min(1).optional(),
  MEDIA_DIR: z.string().optional(),
  PALABRE_MASTER_KEY: z.string().optional(),
  PALABRE_JWT_SECRET: z.string().optional(),
  PALABRE_DEMO_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  PALABRE_PROJECTIONS: z.enum(['in-process', 'external']).default('in-process'),
  MAP_STYLE_URL: z.string().url().optional(),
  PALABRE_PUBLIC_URL: z.string().url().optional(),
  PALABRE_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((text, context) => {
      const parsed = parseTrustProxy(text);
      if ('value' in parsed) return parsed.value;
      context.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }),
  PALABRE_BACKUP_DIR: z.string().min(1).optional(),
  PALABRE_BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
  PALABRE_BACKUP_INTERVAL_HOURS: z.coerce.number().positive().default(24),
  PALABRE_BACKUP_PUBLIC_KEY: z.string().min(1).optional(),
  PALABRE_BACKUP_PASSPHRASE_FILE: z.string().min(1).optional(),
  SMS_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMS_GATEWAY_USER: z.string().min(1).optional(),
  SMS_GATEWAY_PASSWORD: z.string().min(1).optional(),
  SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
  SMS_SENDER: z.string().min(1).max(16).default('Palabre'),
  PALABRE_COUNTRY: z.enum(['CM', 'TG', 'CD', 'CI']).default('CM'),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Palabre cannot start, the environment is not valid:\n${lines}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.PALABRE_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? null,
    eventStoreUrl: e.EVENTSTORE_URL ?? null,
    mediaDir: resolve(e.MEDIA_DIR ?? `${dataDir}/media`),
    masterKey: e.PALABRE_MASTER_KEY ?? null,
    jwtSecret: e.PALABRE_JWT_SECRET ?? null,
    demoPassword: e.PALABRE_DEMO_PASSWORD ?? null,
    inProcessProjections: e.PALABRE_PROJECTIONS === 'in-process',
    mapStyleUrl: e.MAP_STYLE_URL ?? null,
    publicUrl: e.PALABRE_PUBLIC_URL ?? null,
    rateLimits: e.PALABRE_RATE_LIMITS === 'on',
    trustProxy: e.TRUST_PROXY,
    backups: e.PALABRE_BACKUP_DIR
      ? {
          dir: resolve(e.PALABRE_BACKUP_DIR),
          keep: e.PALABRE_BACKUP_KEEP,
          intervalHours: e.PALABRE_BACKUP_INTERVAL_HOURS,
          publicKeyFile: e.PALABRE_BACKUP_PUBLIC_KEY ?? null,
          passphraseFile: e.PALABRE_BACKUP_PASSPHRASE_FILE ?? null,
        }
      : null,
    sms: e.SMS_GATEWAY_URL
      ? { url: e.SMS_GATEWAY_URL, username: e.SMS_GATEWAY_USER, password: e.SMS_GATEWAY_PASSWORD, token: e.SMS_GATEWAY_TOKEN, sender: e.SMS_SENDER }
      : null,
    country: e.PALABRE_COUNTRY,
  };
}
