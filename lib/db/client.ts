import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@/lib/generated/prisma/client'

// One client per process, kept on globalThis so Next's dev reloads do not open new pools.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient }

export function createPrisma(connectionString = process.env.DATABASE_URL): PrismaClient {
  if (!connectionString) throw new Error('DATABASE_URL is not set')
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) })
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    globalForPrisma.prisma ??= createPrisma()
    const value = Reflect.get(globalForPrisma.prisma, prop)
    return typeof value === 'function' ? value.bind(globalForPrisma.prisma) : value
  },
})

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.prisma?.$disconnect()
  globalForPrisma.prisma = undefined
}
