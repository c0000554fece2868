import { UsersTable } from '@/components/admin/UsersTable'
import { registrationMode } from '@/lib/auth/registration'
import { currentActor } from '@/lib/auth/server-session'

export const metadata = { title: 'Users' }

export default async function AdminUsersPage() {
  const actor = await currentActor()
  return <UsersTable selfId={actor?.userId ?? ''} registration={registrationMode()} />
}
