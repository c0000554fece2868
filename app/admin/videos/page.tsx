import { VideosTable } from '@/components/admin/VideosTable'

export const metadata = { title: 'Videos' }

export default function AdminVideosPage() {
  return <VideosTable />
}
