import path from 'node:path'
import ipaddr from 'ipaddr.js'
import { z } from 'zod'

const commaList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/** `80,443,1024-65535` → inclusive port ranges. */
const portRanges = z
  .string()
  .refine((v) => commaList(v).every((p) => /^\d{1,5}(-\d{1,5})?$/.test(p)), 'must be ports or ranges like 80,443,1024-65535')
  .transform((v) =>
    commaList(v).map((p) => {
      const [from, to = from] = p.split('-').map(Number)
      return { from, to }
    }),
  )
  .refine((ranges) => ranges.every((r) => r.from >= 1 && r.from <= r.to && r.to <= 65535), 'ports must be 1-65535, ranges low-high')

const hostName = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9])?)*\.?$/i

/** Host names, IP addresses or CIDR ranges, comma-separated. */
const hostList = z
  .string()
  .refine(
    (v) => commaList(v).every((h) => ipaddr.isValidCIDR(h) || ipaddr.isValid(h) || hostName.test(h)),
    'must be host names, IP addresses or CIDR ranges, comma-separated',
  )
  .transform(commaList)

const isOrigin = (v: string) => URL.canParse(v) && new URL(v).origin === v

/** `scheme://host[:port]` exactly as browsers send it in `Origin` (a trailing slash is forgiven), comma-separated. */
const originList = z
  .string()
  .transform((v) => commaList(v).map((o) => o.replace(/\/$/, '')))
  .refine((list) => list.every(isOrigin), 'must be origins such as https://player.example.com, comma-separated')

// Environment read once and checked with zod: a bad value stops start-up with one clear line.
// Every variable the app reads is declared here (one line each, with its default); code reads
// `env().NAME`, never `process.env`.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().default('.data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  ADMIN_EMAIL: z.string().email().default('admin@reelhouse.local'),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  SEED_DEMO: z.enum(['0', '1']).default('1'),
  /** Who may make an account on /signup: `open` anyone, `invite` holders of an admin's invite link, `closed` nobody (admins add users). */
  REGISTRATION: z.enum(['open', 'invite', 'closed']).default('invite'),
  /** pino level; unset: `warn` under tests, `info` otherwise. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Any value: print the schema engine's trace when diffing migrations. */
  DEBUG: z.string().optional(),
  METRICS_TOKEN: z.string().min(8).optional(),
  STREAMING_CONFIG: z.string().default('config/streaming.yaml'),
  /** 1: socket.io's WebSocket connections run in their own process (commands never wait on media); 0: in the web process. */
  REALTIME_PROCESS: z.enum(['0', '1']).default('1'),
  /** CPU priority of the web process (pages, API, media bytes) once the realtime process runs: it yields to commands. */
  WEB_NICE: z.coerce.number().int().min(0).max(19).default(15),
  /** Sustained requests per minute per API key. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Requests a key may make at once after being idle (bucket size); unset: one minute's worth. */
  API_RATE_LIMIT_BURST: z.coerce.number().int().min(1).optional(),
  /** A worker that misses lease renewals for this long loses its session to another worker. */
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  /** 1: webhooks may reach loopback, private, link-local and CGNAT addresses (receivers on the LAN). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['0', '1']).default('0'),
  /** Hosts (names, addresses, CIDR ranges) webhooks may reach whatever they resolve to. */
  WEBHOOK_ALLOWED_HOSTS: hostList.prefault(''),
  /** Destination ports webhooks may use. */
  WEBHOOK_ALLOWED_PORTS: portRanges.prefault('80,443,1024-65535'),
  /** Origin (scheme://host[:port]) that playback URLs point at; the site's cookies must never reach it. */
  MEDIA_ORIGIN: z
    .string()
    .url()
    .refine((v) => /^https?:$/.test(new URL(v).protocol) && new URL(v).origin === v.replace(/\/$/, ''), 'must be an http(s) origin: scheme, host and port only')
    .transform((v) => new URL(v).origin)
    .optional(),
  /** 1: a reverse proxy in front sets X-Forwarded-Proto/-For/-Host, and only then do they count. */
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** Comma-separated origins whose pages may read private media (playback token in the URL, never cookies). */
  CORS_ORIGINS: originList.prefault(''),
  /** Where content lives: `local` (DATA_DIR/content) or `s3` (a bucket every node and worker shares). */
  CONTENT_STORE: z.enum(['local', 's3']).default('local'),
  /** S3 API endpoint (MinIO, R2, Ceph RGW, Swift…); unset: AWS for S3_REGION. */
  S3_ENDPOINT: z
    .string()
    .url()
    .refine((v) => /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL')
    .optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z, 0-9, ".", "-")')
    .optional(),
  /** Keys start with this (`videos/` → `videos/<hash>/original`), so one bucket can hold other things too. */
  S3_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._/-]*$/, 'may hold only letters, digits, ".", "_", "-" and "/"')
    .default(''),
  /** With S3_SECRET_ACCESS_KEY; both unset: the SDK's default credential chain (instance roles, AWS_PROFILE). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** 1: `endpoint/bucket/key` URLs (MinIO, Ceph RGW, Swift); 0: `bucket.endpoint/key` (AWS, R2). */
  S3_FORCE_PATH_STYLE: z.enum(['0', '1']).default('0'),
  /** With CONTENT_STORE=s3, which media requests a node answers with a 302 to a presigned URL instead of streaming: none, public stored files, or private ones too (short-lived). */
  S3_REDIRECT: z.enum(['off', 'public', 'all']).default('off'),
  /** Base URL of a CDN whose origin is the bucket (S3_PREFIX included in its paths): public stored files are sent there. */
  CDN_BASE_URL: z
    .string()
    .url()
    .refine((v) => /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /** Proxy port of `npm run s3:local` (a local Swift with the S3 API), so its endpoint stays the same across runs. */
  S3_LOCAL_PORT: z.coerce.number().int().min(1).max(65535).default(8333),
})

export type Env = z.infer<typeof schema> & { dataDir: string }

let cached: Env | undefined

// Cookies ignore ports: a media origin on the site's host name would receive the session cookie.
const checked = schema
  .refine((e) => !e.MEDIA_ORIGIN || new URL(e.MEDIA_ORIGIN).hostname !== new URL(e.NEXTAUTH_URL ?? `http://${e.HOST}:${e.PORT}`).hostname, {
    path: ['MEDIA_ORIGIN'],
    message: 'must be on another host name than the site (NEXTAUTH_URL), or the session cookies reach it',
  })
  .refine((e) => e.CONTENT_STORE !== 's3' || !!e.S3_BUCKET, { path: ['S3_BUCKET'], message: 'is required when CONTENT_STORE=s3' })
  .refine((e) => !e.S3_ACCESS_KEY_ID === !e.S3_SECRET_ACCESS_KEY, {
    path: ['S3_SECRET_ACCESS_KEY'],
    message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither for the default credential chain',
  })

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = checked.safeParse(source)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`invalid ${issue.path.join('.')}: ${issue.message}`)
  }
  return { ...parsed.data, dataDir: path.resolve(/*turbopackIgnore: true*/ parsed.data.DATA_DIR) }
}

export function env(): Env {
  cached ??= readEnv()
  return cached
}

/** DATABASE_URL for code that cannot run without a database. */
export function databaseUrl(): string {
  const url = env().DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set')
  return url
}
