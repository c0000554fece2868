import { PlayersPanel } from '@/components/admin/PlayersPanel'

export const metadata = { title: 'Players' }

export default function AdminPlayersPage() {
  return <PlayersPanel />
}
