import { Overview } from '@/components/admin/Overview'

export const metadata = { title: 'Health monitor' }

export default function AdminOverviewPage() {
  return <Overview />
}
