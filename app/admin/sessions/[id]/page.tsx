import { SessionDetail } from '@/components/admin/SessionDetail'

export const metadata = { title: 'Session' }

export default async function AdminSessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  return <SessionDetail id={id} />
}
