import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { env } from '@/lib/config/env'
import { localMigrations, MIGRATIONS_DIR } from './migrations'

// Development only: diff the migrations folder against schema.prisma with Prisma's WASM schema
// engine (an internal API, hence the exact version pin in package.json) in a throw-away shadow
// database. Used by `npm run db:create -- <name>` and by `npm run db:check` in CI.

const SCHEMA_FILE = path.resolve('prisma/schema.prisma')
const LOCKFILE = 'migration_lock.toml'

interface SchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string }>
}

async function loadSchemaEngine(): Promise<{ new: (...args: unknown[]) => Promise<SchemaEngine> }> {
  const spec = '@prisma/schema-engine-wasm/schema_engine_bg'
  const bg = await import(/* webpackIgnore: true */ spec)
  const wasmPath = new URL('./schema_engine_bg.wasm', import.meta.resolve(spec))
  const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': bg })
  bg.__wbg_set_wasm(instance.exports)
  ;(instance.exports.__wbindgen_start as () => void)()
  return bg.SchemaEngine
}

type Field = { dataTypeID: number; wasChar?: boolean }
type RawResult = { columnTypes: number[]; rows: unknown[] }
interface Queryable {
  performIO(q: unknown): Promise<{ fields: Field[]; rows: unknown[] }>
  queryRaw(q: unknown): Promise<RawResult>
}

// adapter-pg 7.10 cannot type Postgres' internal "char" (OID 18) columns that the schema describer
// reads from pg_catalog (prisma/orm#27403): pg hands them over as text, and the queryable then
// reports them as Character (6), which the describer reads with as_char (PostgreSQL 18's NOT NULL
// constraints, contype 'n', are among them).
const CHARACTER_COLUMN = 6
const charColumns = new WeakMap<unknown[], number[]>()

function patchPgCharFields(): void {
  const proto = pg.Result.prototype as unknown as { addFields(fields: Field[]): void; __rhPatched?: boolean }
  if (proto.__rhPatched) return
  const addFields = proto.addFields
  proto.addFields = function (fields) {
    for (const f of fields) {
      if (f.dataTypeID === 18) Object.assign(f, { dataTypeID: 25, wasChar: true })
    }
    return addFields.call(this, fields)
  }
  proto.__rhPatched = true
}

function reportCharColumns<T>(queryable: T): T {
  const q = queryable as unknown as Queryable
  const performIO = q.performIO.bind(q)
  const queryRaw = q.queryRaw.bind(q)
  q.performIO = async (query) => {
    const result = await performIO(query)
    const cols = result.fields.flatMap((f, i) => (f.wasChar ? [i] : []))
    if (cols.length) charColumns.set(result.rows, cols)
    return result
  }
  q.queryRaw = async (query) => {
    const result = await queryRaw(query)
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = CHARACTER_COLUMN
    return result
  }
  return queryable
}

// adapter-pg 7.10's own shadow-database handling ignores the new database name when given a
// connection string, so the shadow database is created and dropped here.
async function migrationAdapter(url: string): Promise<unknown> {
  patchPgCharFields()
  const { PrismaPg } = await import('@prisma/adapter-pg')
  const utils = '@prisma/driver-adapter-utils'
  const { bindMigrationAwareSqlAdapterFactory } = await import(/* webpackIgnore: true */ utils)
  const cfg = { connectionString: url }
  const main = new PrismaPg(cfg)
  return bindMigrationAwareSqlAdapterFactory({
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => reportCharColumns(await main.connect()),
    async connectToShadowDb() {
      const admin = new pg.Client(cfg)
      await admin.connect()
      const name = `prisma_migrate_shadow_db_${randomUUID()}`
      await admin.query(`CREATE DATABASE "${name}"`)
      const shadowUrl = new URL(url)
      shadowUrl.pathname = `/${name}`
      const shadow = reportCharColumns(await new PrismaPg({ connectionString: shadowUrl.toString() }).connect())
      const dispose = shadow.dispose.bind(shadow)
      shadow.dispose = async () => {
        await dispose()
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`)
        await admin.end()
      }
      return shadow
    },
  })
}

/** Replays the migrations into a shadow database and diffs them against schema.prisma. */
export async function diffMigrationsToSchema(url: string): Promise<{ changed: boolean; sql: string }> {
  // The engine reports Rust panics through this global; surface them as errors.
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } }
  g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m) => console.error(`schema engine panicked: ${m}`) }
  const SchemaEngine = await loadSchemaEngine()
  const content = await readFile(SCHEMA_FILE, 'utf8')
  const lockPath = path.join(MIGRATIONS_DIR, LOCKFILE)
  await mkdir(MIGRATIONS_DIR, { recursive: true })
  if (!existsSync(lockPath)) {
    await writeFile(
      lockPath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    )
  }
  const migrations = {
    tag: 'migrations',
    baseDir: MIGRATIONS_DIR,
    shadowDbInitScript: '',
    lockfile: { path: LOCKFILE, content: await readFile(lockPath, 'utf8') },
    migrationDirectories: (await localMigrations()).map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  }
  const log = (line: string) => env().DEBUG && console.error(line)
  const engine = await SchemaEngine.new({ datamodels: [[SCHEMA_FILE, content]] }, log, await migrationAdapter(url))
  const { exitCode, stdout } = await engine.diff({
    from: migrations,
    to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_FILE, content }] },
    script: true,
    exitCode: true,
    filters: { externalTables: [], externalEnums: [] },
  })
  return { changed: exitCode !== 0, sql: stdout }
}

export async function createMigration(url: string, name: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error('migration name: letters, digits and _ only')
  const { changed, sql } = await diffMigrationsToSchema(url)
  if (!changed) return null
  const ts = new Date().toISOString().replace(/\D/g, '').slice(0, 14) // UTC YYYYMMDDHHMMSS, as Prisma
  const dir = path.join(MIGRATIONS_DIR, `${ts}_${name}`)
  await mkdir(dir)
  await writeFile(path.join(dir, 'migration.sql'), sql)
  return dir
}
