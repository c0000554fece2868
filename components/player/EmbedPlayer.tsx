'use client'

import dynamic from 'next/dynamic'
import type { VideoView } from '@/lib/videos/view'
import { loadPlayer } from './preload'

const VideoPlayer = dynamic(loadPlayer, { ssr: false, loading: () => <div className="h-full w-full bg-black" /> })

interface Props {
  video: VideoView
  startAt?: number
  autoPlay: boolean
  muted: boolean
}

/** The embed page's player: the whole frame, nothing else. */
export function EmbedPlayer({ video, startAt, autoPlay, muted }: Props) {
  return (
    <div className="fixed inset-0 bg-black" data-testid="embed">
      <VideoPlayer video={video} startAt={startAt ?? 0} autoPlay={autoPlay} muted={muted} />
    </div>
  )
}
