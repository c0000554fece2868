import { ApiKeysPanel } from '@/components/admin/ApiKeysPanel'

export const metadata = { title: 'API keys' }

export default function AdminApiKeysPage() {
  return <ApiKeysPanel />
}
