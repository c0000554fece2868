import { WorkersTable } from '@/components/admin/WorkersTable'

export const metadata = { title: 'Workers' }

export default function AdminWorkersPage() {
  return <WorkersTable />
}
