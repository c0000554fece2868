import type { Metadata } from 'next'
import { StatusPage } from '@/components/StatusPage'

export const metadata: Metadata = { title: 'Not found' }

export default function NotFound() {
  return (
    <StatusPage code="404" title="This page does not exist">
      <p>The link may be mistyped, or the video was deleted or is private.</p>
    </StatusPage>
  )
}
