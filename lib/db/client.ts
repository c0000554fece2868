import { PrismaPg } from '@prisma/adapter-pg'
import { databaseUrl } from '@/lib/config/env'
import { PrismaClient } from '@/lib/generated/prisma/client'

// One client per process, kept on globalThis so Next's dev reloads do not open new pools.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient }

export function createPrisma(connectionString = databaseUrl()): PrismaClient {
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
