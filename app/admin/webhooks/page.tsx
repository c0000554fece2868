import { WebhooksPanel } from '@/components/admin/WebhooksPanel'

export const metadata = { title: 'Webhooks' }

export default function AdminWebhooksPage() {
  return <WebhooksPanel />
}
