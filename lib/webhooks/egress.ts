import { lookup } from 'node:dns/promises'
import net from 'node:net'
import ipaddr from 'ipaddr.js'
import { env } from '@/lib/config/env'

// Where webhooks may connect. Any user can register a URL, so without this the worker would POST
// into the operator's network (loopback services, the cloud metadata endpoint, LAN hosts) and tell
// the user how they answered. Checked at registration and again at every connection, against the
// address actually dialled (see egress-agent.ts), so DNS answers that change cannot slip through.

export interface EgressPolicy {
  /** Loopback, private, link-local, CGNAT and ULA addresses are allowed (receivers on the LAN). */
  allowPrivateNetworks: boolean
  /** Host names (lower case, no trailing dot) whose addresses are not checked. */
  allowedNames: ReadonlySet<string>
  /** Addresses and ranges allowed whatever their kind. */
  allowedNets: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][]
  allowedPorts: readonly { from: number; to: number }[]
}

/** Why a destination is refused; `message` is safe to show the webhook's owner. */
export class EgressRefused extends Error {
  readonly code = 'EGRESS_REFUSED'
  constructor(message: string) {
    super(message)
    this.name = 'EgressRefused'
  }
}

// Ranges WEBHOOK_ALLOW_PRIVATE_NETWORKS opens (ipaddr.js range names); every other non-unicast
// range (unspecified, broadcast, multicast, reserved, NAT64, 6to4, Teredo, …) stays closed.
const PRIVATE_RANGES = new Set(['loopback', 'private', 'linkLocal', 'carrierGradeNat', 'uniqueLocal'])

// Closed even on a LAN install: cloud metadata services hand out credentials.
const METADATA: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [ipaddr.parseCIDR('169.254.169.254/32'), ipaddr.parseCIDR('fd00:ec2::254/128')]
// IPv4-compatible IPv6 (::a.b.c.d, deprecated) is unicast to ipaddr.js but embeds an IPv4 address.
const IPV4_COMPATIBLE: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [ipaddr.parseCIDR('::/96')]

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback',
  private: 'a private',
  linkLocal: 'a link-local',
  carrierGradeNat: 'a carrier-grade NAT',
  uniqueLocal: 'a unique-local',
  unspecified: 'an unspecified',
  broadcast: 'a broadcast',
  multicast: 'a multicast',
}

const normalizeName = (host: string) => host.toLowerCase().replace(/\.$/, '')
const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1')

export function egressPolicyFrom(opts: {
  allowPrivateNetworks: boolean
  allowedHosts: readonly string[]
  allowedPorts: readonly { from: number; to: number }[]
}): EgressPolicy {
  const allowedNames = new Set<string>()
  const allowedNets: [ipaddr.IPv4 | ipaddr.IPv6, number][] = []
  for (const entry of opts.allowedHosts) {
    if (ipaddr.isValidCIDR(entry)) allowedNets.push(ipaddr.parseCIDR(entry))
    else if (ipaddr.isValid(entry)) {
      const ip = ipaddr.process(entry)
      allowedNets.push([ip, ip.kind() === 'ipv4' ? 32 : 128])
    } else allowedNames.add(normalizeName(entry))
  }
  return { allowPrivateNetworks: opts.allowPrivateNetworks, allowedNames, allowedNets, allowedPorts: opts.allowedPorts }
}

let fromEnv: EgressPolicy | undefined

/** The policy configured by WEBHOOK_ALLOW_PRIVATE_NETWORKS, WEBHOOK_ALLOWED_HOSTS and WEBHOOK_ALLOWED_PORTS. */
export function egressPolicy(): EgressPolicy {
  const e = env()
  fromEnv ??= egressPolicyFrom({
    allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === '1',
    allowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
    allowedPorts: e.WEBHOOK_ALLOWED_PORTS,
  })
  return fromEnv
}

const inNets = (ip: ipaddr.IPv4 | ipaddr.IPv6, nets: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][]) =>
  nets.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))

/** Why `address` (an IP in any textual form) may not be dialled, or null when it may. */
export function addressRefusal(address: string, policy: EgressPolicy): string | null {
  const raw = unbracket(address)
  if (!ipaddr.isValid(raw)) return 'not an IP address'
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it reaches.
  const ip = ipaddr.process(raw)
  if (inNets(ip, policy.allowedNets)) return null
  if (inNets(ip, METADATA)) return 'a cloud metadata address'
  const range = ip.range()
  if (range === 'unicast') return inNets(ip, IPV4_COMPATIBLE) ? 'an IPv4-compatible address' : null
  if (policy.allowPrivateNetworks && PRIVATE_RANGES.has(range)) return null
  return `${RANGE_WORDS[range] ?? 'a reserved'} address`
}

/** True when the admin allowed this host name, so whatever it resolves to may be dialled. */
export const nameAllowed = (hostname: string, policy: EgressPolicy) => policy.allowedNames.has(normalizeName(unbracket(hostname)))

export const portAllowed = (port: number, policy: EgressPolicy) => policy.allowedPorts.some((r) => port >= r.from && port <= r.to)

/**
 * What can be decided from the URL alone: scheme, credentials, port, and the address when the host
 * is an IP literal (the URL parser has already turned `2130706433`, `127.1` or `0x7f.1` into
 * `127.0.0.1`). Null when only DNS can tell.
 */
export function urlRefusal(url: URL, policy: EgressPolicy): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs are allowed'
  if (url.username || url.password) return 'credentials in the URL are not allowed (use the signature to authenticate)'
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
  if (!portAllowed(port, policy)) return `port ${port} is not allowed`
  return literalHostRefusal(url.hostname, policy)
}

/** For a host that is an IP literal, why it is refused; null for allowed ones and for names (DNS decides). */
export function literalHostRefusal(hostname: string, policy: EgressPolicy): string | null {
  const host = unbracket(hostname)
  if (net.isIP(host) === 0 || nameAllowed(host, policy)) return null
  const refusal = addressRefusal(host, policy)
  return refusal && `the host is ${refusal}, not a public one`
}

/** Every address `hostname` resolves to must be allowed: a mix of public and internal is refused. */
export function resolvedRefusal(hostname: string, addresses: readonly string[], policy: EgressPolicy): string | null {
  if (nameAllowed(hostname, policy)) return null
  for (const a of addresses) {
    const refusal = addressRefusal(a, policy)
    if (refusal) return `the host resolves to ${refusal}, not a public one`
  }
  return null
}

/** Time allowed for the DNS check at registration; delivery checks again anyway. */
const REGISTRATION_LOOKUP_MS = 5_000

/**
 * The registration check: the URL, then what its host resolves to now. A host that does not
 * resolve (yet) is accepted: delivery resolves it again and checks every address it dials.
 * Returns the reason for refusal, or null.
 */
export async function registrationRefusal(urlText: string, policy: EgressPolicy = egressPolicy()): Promise<string | null> {
  const url = new URL(urlText)
  const early = urlRefusal(url, policy)
  if (early) return early
  const host = unbracket(url.hostname)
  if (net.isIP(host) !== 0 || nameAllowed(host, policy)) return null
  const addresses = await Promise.race([
    lookup(host, { all: true, verbatim: true }).then(
      (found) => found.map((a) => a.address),
      () => [],
    ),
    new Promise<string[]>((resolve) => setTimeout(resolve, REGISTRATION_LOOKUP_MS, []).unref()),
  ])
  return resolvedRefusal(host, addresses, policy)
}
