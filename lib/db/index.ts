export { createPrisma, db, disconnectDb } from './client'
export * from '@/lib/generated/prisma/client'
