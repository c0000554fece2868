import dns from 'node:dns'
import type { LookupFunction } from 'node:net'
import { Agent, buildConnector } from 'undici'
import { type EgressPolicy, EgressRefused, literalHostRefusal, portAllowed, resolvedRefusal } from './egress'

// The HTTP client deliveries go through. Every new connection resolves its host once, checks every
// address, and dials the checked one (Node's net uses our lookup's answer), so a DNS answer that
// changes between the check and the connect (rebinding) cannot reach an internal address.

/** Resolves like dns.lookup, refusing hosts with any address the policy closes. */
function guardedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '')
      const refusal = resolvedRefusal(
        hostname,
        addresses.map((a) => a.address),
        policy,
      )
      if (refusal) return callback(new EgressRefused(refusal), '')
      if (options.all) return callback(null, addresses)
      callback(null, addresses[0].address, addresses[0].family)
    })
  }
}

/** A connector that also checks IP-literal hosts (net skips the lookup for those) and the port. */
function guardedConnector(policy: EgressPolicy): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(policy) })
  return (opts, callback) => {
    const port = opts.port ? Number(opts.port) : opts.protocol === 'https:' ? 443 : 80
    if (!portAllowed(port, policy)) return callback(new EgressRefused(`port ${port} is not allowed`), null)
    const refusal = literalHostRefusal(opts.hostname, policy)
    if (refusal) return callback(new EgressRefused(refusal), null)
    connect(opts, callback)
  }
}

const agents = new WeakMap<EgressPolicy, Agent>()

/**
 * The shared delivery agent for `policy`. undici's `request` never follows redirects; callers bound
 * each request with their own timeout.
 */
export function webhookAgent(policy: EgressPolicy): Agent {
  let agent = agents.get(policy)
  if (!agent) {
    agent = new Agent({ connect: guardedConnector(policy), maxResponseSize: 64 * 1024 })
    agents.set(policy, agent)
  }
  return agent
}
