import { describe, expect, it } from 'vitest'
import { LOCAL_S3_CREDENTIALS, ringBuilderScript, swiftConfigFiles } from '@/lib/launcher/local-s3/config'

const ports = { proxy: 18300, account: 18302, container: 18301, object: 18303, memcached: 18311 }
const layout = { etcDir: '/x/etc', devicesDir: '/x/srv', user: 'dev' }

describe('local Swift configuration', () => {
  const files = swiftConfigFiles(ports, layout)

  it('writes one config per daemon, each on loopback on its own port, single-process', () => {
    expect(Object.keys(files).sort()).toEqual(['account-server.conf', 'container-server.conf', 'object-server.conf', 'proxy-server.conf'])
    for (const [name, port] of [
      ['proxy', 18300],
      ['account', 18302],
      ['container', 18301],
      ['object', 18303],
    ] as const) {
      const text = files[`${name}-server.conf`]
      expect(text).toContain('bind_ip = 127.0.0.1\n')
      expect(text).toContain(`bind_port = ${port}\n`)
      expect(text).toContain('workers = 0\n')
      expect(text).toContain('swift_dir = /x/etc\ndevices = /x/srv\n')
    }
  })

  it('puts s3api before tempauth, with cache and slo in the proxy pipeline and the test account', () => {
    const proxy = files['proxy-server.conf']
    const pipeline = /pipeline = (.*)\n/.exec(proxy)![1].split(' ')
    expect(pipeline.indexOf('s3api')).toBeLessThan(pipeline.indexOf('tempauth'))
    expect(pipeline.indexOf('cache')).toBeLessThan(pipeline.indexOf('tempauth'))
    expect(pipeline).toContain('slo')
    expect(pipeline.at(-1)).toBe('proxy-server')
    // Every filter in the pipeline is defined.
    for (const f of pipeline.slice(0, -1)) expect(proxy).toContain(`[filter:${f}]`)
    const [account, user] = LOCAL_S3_CREDENTIALS.accessKeyId.split(':')
    expect(proxy).toContain(`user_${account}_${user} = ${LOCAL_S3_CREDENTIALS.secretAccessKey} .admin\n`)
    expect(proxy).toContain('memcache_servers = 127.0.0.1:18311\n')
  })

  it('builds the three rings on the backend ports', () => {
    const script = ringBuilderScript(ports, '/x/etc')
    expect(script).toContain('[("account", 18302), ("container", 18301), ("object", 18303)]')
    expect(script).toContain('RingBuilder(8, 1, 1)')
  })
})
