import { Suspense } from 'react'
import { SessionsTable } from '@/components/admin/SessionsTable'

export const metadata = { title: 'Sessions' }

export default function AdminSessionsPage() {
  // useSearchParams needs a Suspense boundary.
  return (
    <Suspense>
      <SessionsTable />
    </Suspense>
  )
}
