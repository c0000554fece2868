import { describe, expect, it } from 'vitest'
import { readEnv } from '@/lib/config/env'
import { addressRefusal, egressPolicyFrom, resolvedRefusal, urlRefusal } from '@/lib/webhooks/egress'

const ports = readEnv({}).WEBHOOK_ALLOWED_PORTS
const strict = egressPolicyFrom({ allowPrivateNetworks: false, allowedHosts: [], allowedPorts: ports })
const lan = egressPolicyFrom({ allowPrivateNetworks: true, allowedHosts: [], allowedPorts: ports })

describe('webhook egress policy', () => {
  it('refuses every non-public address by default, in IPv4, IPv6 and IPv4-mapped form', () => {
    const refused = [
      '127.0.0.1',
      '127.255.0.9',
      '::1',
      '0.0.0.0',
      '::',
      '10.1.2.3',
      '172.31.0.1',
      '192.168.0.1',
      '100.64.0.1',
      '169.254.1.1',
      '169.254.169.254',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      '224.0.0.1',
      'ff02::1',
      '255.255.255.255',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '::127.0.0.1',
      '64:ff9b::a00:1',
      '2002:7f00:1::1',
      '240.0.0.1',
    ]
    for (const a of refused) expect(addressRefusal(a, strict), a).not.toBeNull()
    for (const a of ['93.184.215.14', '2606:4700::6810:84e5', '::ffff:93.184.215.14']) expect(addressRefusal(a, strict), a).toBeNull()
  })

  it('opens LAN ranges with WEBHOOK_ALLOW_PRIVATE_NETWORKS, never metadata, unspecified or multicast', () => {
    for (const a of ['127.0.0.1', '::1', '10.0.0.5', '192.168.1.20', '100.64.3.4', 'fd12::1', 'fe80::1', '::ffff:192.168.1.20'])
      expect(addressRefusal(a, lan), a).toBeNull()
    for (const a of ['169.254.169.254', 'fd00:ec2::254', '0.0.0.0', '::', '224.0.0.1', '255.255.255.255']) expect(addressRefusal(a, lan), a).not.toBeNull()
  })

  it('judges the URL after the URL parser normalised odd IPv4 spellings', () => {
    for (const u of [
      'http://2130706433/',
      'http://127.1/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
    ]) {
      expect(urlRefusal(new URL(u), strict), u).toMatch(/loopback/)
    }
    expect(urlRefusal(new URL('ftp://example.com/'), strict)).toMatch(/http/)
    expect(urlRefusal(new URL('http://a:b@example.com/'), strict)).toMatch(/credentials/)
    expect(urlRefusal(new URL('http://example.com:22/'), strict)).toMatch(/port 22/)
    expect(urlRefusal(new URL('https://example.com/'), strict)).toBeNull()
    expect(urlRefusal(new URL('http://example.com:8080/'), strict)).toBeNull()
  })

  it('refuses a name if any address it resolves to is refused', () => {
    expect(resolvedRefusal('mixed.example', ['93.184.215.14', '10.0.0.1'], strict)).toMatch(/private/)
    expect(resolvedRefusal('public.example', ['93.184.215.14', '2606:4700::1'], strict)).toBeNull()
  })

  it('lets admins allow hosts by name, address or range', () => {
    const hosts = readEnv({ WEBHOOK_ALLOWED_HOSTS: 'Hooks.LAN, 10.9.0.0/16, fd00::7' }).WEBHOOK_ALLOWED_HOSTS
    const policy = egressPolicyFrom({ allowPrivateNetworks: false, allowedHosts: hosts, allowedPorts: ports })
    expect(resolvedRefusal('hooks.lan.', ['10.0.0.5'], policy)).toBeNull()
    expect(resolvedRefusal('other.lan', ['10.0.0.5'], policy)).not.toBeNull()
    expect(addressRefusal('10.9.4.4', policy)).toBeNull()
    expect(addressRefusal('10.8.4.4', policy)).not.toBeNull()
    expect(addressRefusal('fd00::7', policy)).toBeNull()
    expect(() => readEnv({ WEBHOOK_ALLOWED_HOSTS: 'http://x/' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/)
    expect(() => readEnv({ WEBHOOK_ALLOWED_PORTS: '0-80' })).toThrow(/WEBHOOK_ALLOWED_PORTS/)
  })
})
