import { redirect } from 'next/navigation'
import { Uploader } from '@/components/upload/Uploader'
import { currentActor } from '@/lib/auth/server-session'

export const metadata = { title: 'Upload' }
export const dynamic = 'force-dynamic'

export default async function UploadPage() {
  if (!(await currentActor())) redirect('/signin?callbackUrl=/upload')
  return (
    <main className="mx-auto max-w-3xl px-4 py-8 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight">Upload</h1>
      <p className="mt-1 mb-6 text-zinc-500">Videos play as soon as they are uploaded; adaptive quality follows when processing is done.</p>
      <Uploader />
    </main>
  )
}
