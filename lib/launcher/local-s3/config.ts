// Configuration of a single-node OpenStack Swift with its S3 middleware (s3api), all on 127.0.0.1:
// a real S3 implementation from Debian for development and the tests. Pure: text in, nothing run.

export interface SwiftPorts {
  proxy: number
  account: number
  container: number
  object: number
  memcached: number
}

export interface SwiftLayout {
  /** Config files and rings. */
  etcDir: string
  /** Holds the one device `d1` the rings name. */
  devicesDir: string
  /** User the daemons run as (named in the config; with `workers = 0` they never switch to it). */
  user: string
  logLevel?: string
}

/** tempauth's one account: S3 access key `account:user`, secret the password. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'reelhouse:dev', secretAccessKey: 'reelhouse-dev-secret' } as const
export const LOCAL_S3_REGION = 'us-east-1'

const BACKENDS = ['account', 'container', 'object'] as const

const section = (name: string, lines: Record<string, string | number>) =>
  `[${name}]\n${Object.entries(lines)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')}\n`

// Single-process daemons (`workers = 0`): each pid is the whole server, so stopping it is one signal.
const defaults = (port: number, layout: SwiftLayout) =>
  section('DEFAULT', {
    bind_ip: '127.0.0.1',
    bind_port: port,
    workers: 0,
    user: layout.user,
    swift_dir: layout.etcDir,
    devices: layout.devicesDir,
    mount_check: 'false',
    log_level: layout.logLevel ?? 'WARNING',
  })

// s3api must sit before tempauth (it turns S3 signatures into Swift auth); tempauth needs `cache`;
// multipart uploads are built on `slo`.
const PROXY_PIPELINE = 'catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server'
const PLAIN_FILTERS = ['catch_errors', 'gatekeeper', 'healthcheck', 'proxy-logging', 'listing_formats', 'bulk', 'copy', 'slo', 'dlo']

/** File name (in `etcDir`) → contents, for the proxy and the three backend servers. */
export function swiftConfigFiles(ports: SwiftPorts, layout: SwiftLayout): Record<string, string> {
  const files: Record<string, string> = {}
  for (const name of BACKENDS) {
    files[`${name}-server.conf`] = [
      defaults(ports[name], layout),
      section('pipeline:main', { pipeline: `healthcheck ${name}-server` }),
      section(`app:${name}-server`, { use: `egg:swift#${name}` }),
      section('filter:healthcheck', { use: 'egg:swift#healthcheck' }),
    ].join('')
  }
  const [user, key] = [LOCAL_S3_CREDENTIALS.accessKeyId.split(':'), LOCAL_S3_CREDENTIALS.secretAccessKey]
  files['proxy-server.conf'] = [
    defaults(ports.proxy, layout),
    section('pipeline:main', { pipeline: PROXY_PIPELINE }),
    section('app:proxy-server', { use: 'egg:swift#proxy', account_autocreate: 'true' }),
    section('filter:s3api', { use: 'egg:swift#s3api', location: LOCAL_S3_REGION }),
    section('filter:tempauth', { use: 'egg:swift#tempauth', [`user_${user[0]}_${user[1]}`]: `${key} .admin` }),
    section('filter:cache', { use: 'egg:swift#memcache', memcache_servers: `127.0.0.1:${ports.memcached}` }),
    ...PLAIN_FILTERS.map((f) => section(`filter:${f}`, { use: `egg:swift#${f.replace('-', '_')}` })),
  ].join('')
  return files
}

/**
 * Python (Debian's, with python3-swift) that builds the three rings in one call: 1 replica, the one
 * device, 2^8 partitions. Nine `swift-ring-builder` runs take ≈ 5 s; this takes < 0.5 s.
 */
export function ringBuilderScript(ports: SwiftPorts, etcDir: string): string {
  const rings = BACKENDS.map((name) => `(${JSON.stringify(name)}, ${ports[name]})`).join(', ')
  return `from swift.common.ring import RingBuilder
for name, port in [${rings}]:
    b = RingBuilder(8, 1, 1)
    b.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port, 'device': 'd1', 'weight': 1})
    b.rebalance()
    b.save(${JSON.stringify(etcDir)} + f'/{name}.builder')
    b.get_ring().save(${JSON.stringify(etcDir)} + f'/{name}.ring.gz')
`
}
