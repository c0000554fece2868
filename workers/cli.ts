// `npm run cli -- user create --email E --password P [--role admin]`
// `npm run cli -- api-key create --email E --name N [--scopes read,write]`  (key alone on the last line)
import { parseArgs } from 'node:util'
import { createApiKey } from '@/lib/auth/api-keys'
import { createUser } from '@/lib/auth/users'
import { databaseUrl } from '@/lib/config/env'
import { db, disconnectDb } from '@/lib/db'
import { deployMigrations } from '@/lib/db/migrations'
import { toProblem } from '@/lib/errors'

const USAGE = `usage:
  npm run cli -- user create --email E --password P [--role admin|user] [--name N]
  npm run cli -- api-key create --email E --name N [--scopes read,write,admin]`

export async function runCli(argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
    },
    strict: true,
  })
  try {
    await deployMigrations(databaseUrl())
    if (noun === 'user' && verb === 'create') {
      const user = await createUser({
        email: values.email ?? '',
        password: values.password ?? '',
        name: values.name,
        role: values.role?.toLowerCase() === 'admin' ? 'ADMIN' : 'USER',
      })
      console.log(`created ${user.role.toLowerCase()} ${user.email} (${user.id})`)
      return 0
    }
    if (noun === 'api-key' && verb === 'create') {
      const user = await db.user.findUnique({ where: { email: (values.email ?? '').toLowerCase() } })
      if (!user) throw new Error(`no user with email ${values.email}`)
      const scopes = (values.scopes ?? (user.role === 'ADMIN' ? 'read,write,admin' : 'read,write')).split(',') as never
      const key = await createApiKey(user.id, { name: values.name ?? '', scopes })
      console.log(`created API key ${key.prefix} "${key.name}" for ${user.email} with scopes ${key.scopes.join(',')}`)
      console.log(key.key)
      return 0
    }
    console.error(USAGE)
    return 2
  } catch (err) {
    const p = toProblem(err)
    const detail = p.code === 'INTERNAL' ? (err as Error).message : p.detail
    console.error(`cli: ${detail}${p.errors ? `: ${p.errors.map((e) => `${e.path} ${e.message}`).join('; ')}` : ''}`)
    return 1
  } finally {
    await disconnectDb()
  }
}
