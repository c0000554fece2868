'use client'

import dynamic from 'next/dynamic'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { VisibilityBadge } from '@/components/gallery/Badges'
import { formatAge, formatViews } from '@/components/gallery/format'
import { neighbours, nextId, upNextItems, useGalleryOrder } from '@/components/gallery/store'
import { PosterFromFrame } from '@/components/poster/PosterFromFrame'
import type { GalleryItem } from '@/lib/videos/gallery'
import type { VideoView } from '@/lib/videos/view'
import { loadPlayer } from './preload'
import { SharePanel, ShareToggle } from './Share'
import type { Player } from './videojs-player'
import { UpNextCountdown, UpNextList } from './UpNext'

// From 1280 px the "Up next" list stands beside the player: the dialog grows by its width, but
// keeps 4rem of backdrop each side (a click there closes it).
const UP_NEXT_BESIDE =
  'xl:grid xl:max-w-[min(100rem,calc((100dvh-14rem)*16/9+20rem),calc(100vw-8rem))] xl:grid-cols-[minmax(0,1fr)_20rem] xl:grid-rows-[auto_1fr]'

const VideoPlayer = dynamic(loadPlayer, {
  ssr: false,
  loading: () => <div className="h-full w-full animate-pulse bg-zinc-900" />,
})

interface Props {
  video: VideoView
  /** 'intercepted': opened from a page in this tab (close = back); 'page': a deep link loaded cold (close = go to the gallery). */
  mode: 'intercepted' | 'page'
  signedIn: boolean
  /** A shared link's start time (`?t=`), seconds. */
  startAt?: number
}

/**
 * The player modal over the gallery. Previous/next follow the gallery's order and replace the
 * URL in place (one history entry per opened modal, so Back and Esc both return to the gallery
 * at the same scroll position).
 */
export function VideoModal({ video: initial, mode, signedIn, startAt }: Props) {
  const router = useRouter()
  const [video, setVideo] = useState(initial)
  const [start, setStart] = useState<{ at: number; playing: boolean } | null>(startAt !== undefined ? { at: startAt, playing: true } : null)
  const [share, setShare] = useState<{ at: number } | null>(null)
  const playerRef = useRef<Player | null>(null)
  const shareId = useId()
  const [switching, setSwitching] = useState(false)
  const order = useGalleryOrder()
  const { prev, next, canLoadMore } = neighbours(order, video.id)
  const upNext = upNextItems(order, video.id)
  const [countdown, setCountdown] = useState<GalleryItem | null>(null)
  const dialogRef = useRef<HTMLDivElement>(null)
  const titleId = useId()
  const closing = useRef(false)
  const lastId = useRef(video.id)
  lastId.current = video.id

  useEffect(() => setVideo(initial), [initial])

  const close = useCallback(() => {
    if (closing.current) return
    closing.current = true
    if (mode === 'intercepted') router.back()
    else router.push('/', { scroll: false })
  }, [mode, router])

  const open = useCallback(async (id: string | null, at?: { at: number; playing: boolean }) => {
    if (!id) return
    setSwitching(true)
    try {
      const res = await fetch(`/api/v1/videos/${encodeURIComponent(id)}`, { cache: 'no-store' })
      if (!res.ok) return
      const view = (await res.json()) as VideoView
      setStart(at ?? null)
      setCountdown(null)
      setShare(null)
      setVideo(view)
      window.history.replaceState(null, '', `/videos/${encodeURIComponent(id)}`)
    } finally {
      setSwitching(false)
    }
  }, [])

  const goNext = useCallback(async () => open(await nextId(order, video.id)), [open, order, video.id])

  // When the video ends, the next card of the gallery starts after a countdown. `ended` does not
  // bubble: listened for in the capture phase on the dialog, so the player itself stays as it is.
  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    const onEnded = (e: Event) => {
      const following = upNextItems(order, video.id, 1)[0]
      if (e.target instanceof HTMLVideoElement && following) setCountdown(following)
    }
    dialog.addEventListener('ended', onEnded, true)
    return () => dialog.removeEventListener('ended', onEnded, true)
  }, [order, video.id])
  const cancelCountdown = useCallback(() => setCountdown(null), [])
  const currentTimeS = useCallback(() => dialogRef.current?.querySelector('video')?.currentTime ?? null, [])
  const goPrev = useCallback(() => open(prev), [open, prev])

  // Esc closes; Shift+N / Shift+P move through the gallery; Tab stays inside the dialog.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return
      if (e.key === 'Escape') {
        if (document.fullscreenElement) return
        e.preventDefault()
        close()
      } else if (e.shiftKey && (e.key === 'N' || e.key === 'n')) {
        e.preventDefault()
        void goNext()
      } else if (e.shiftKey && (e.key === 'P' || e.key === 'p')) {
        e.preventDefault()
        void goPrev()
      } else if (e.key === 'Tab') {
        trapFocus(e, dialogRef.current)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [close, goNext, goPrev])

  // Lock the page behind (scrollbar-gutter keeps its width, so nothing shifts) and restore focus after.
  useEffect(() => {
    const root = document.documentElement
    const before = root.style.overflow
    root.style.overflow = 'hidden'
    const opener = document.activeElement as HTMLElement | null
    dialogRef.current?.focus({ preventScroll: true })
    return () => {
      root.style.overflow = before
      const card = document.querySelector<HTMLElement>(`[data-video-id="${CSS.escape(lastId.current)}"]`)
      ;(card ?? (opener?.isConnected ? opener : null))?.focus({ preventScroll: true })
    }
  }, [])

  const when = formatAge(video.createdAt)
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop click is a pointer convenience; Esc and the close button are the keyboard paths
    <div
      className="fixed inset-0 z-50 overflow-y-auto bg-black/80 backdrop-blur-sm"
      data-testid="video-modal"
      onMouseDown={(e) => {
        // Anywhere outside the dialog is backdrop, the centring wrapper included.
        if (e.button === 0 && !dialogRef.current?.contains(e.target as Node)) close()
      }}
    >
      <div className="flex min-h-full items-start justify-center p-0 sm:items-center sm:p-6">
        <div
          ref={dialogRef}
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
          tabIndex={-1}
          className={`relative w-full max-w-[min(80rem,calc((100dvh-14rem)*16/9))] min-w-[min(100%,40rem)] overflow-hidden bg-white shadow-2xl outline-none sm:rounded-2xl dark:bg-zinc-900 ${upNext.length ? UP_NEXT_BESIDE : ''}`}
        >
          <div className="relative aspect-video w-full bg-black">
            <VideoPlayer
              key={video.id}
              video={video}
              startAt={start?.at}
              autoPlay={start ? start.playing : true}
              live={signedIn}
              onOpenVideo={(id, at, playing) => void open(id, { at, playing })}
              onPlayer={(p) => {
                playerRef.current = p
              }}
            />
            {countdown && (
              <UpNextCountdown
                next={countdown}
                onGo={() => {
                  setCountdown(null)
                  void open(countdown.id)
                }}
                onCancel={cancelCountdown}
              />
            )}
          </div>
          <div className="flex flex-col gap-3 p-4 sm:p-5">
            <div className="flex items-start gap-3">
              <div className="min-w-0 flex-1">
                <h2 id={titleId} className="text-lg leading-snug font-semibold sm:text-xl" data-testid="modal-title">
                  {video.title}
                </h2>
                <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-zinc-500 dark:text-zinc-400">
                  <span className="font-medium text-zinc-700 dark:text-zinc-200">{video.owner.name}</span>
                  <span aria-hidden>·</span>
                  <span>{formatViews(video.views)}</span>
                  <span aria-hidden>·</span>
                  <time dateTime={video.createdAt} suppressHydrationWarning>
                    {when}
                  </time>
                  <VisibilityBadge visibility={video.visibility} />
                  {video.canEdit && (
                    <Link href={`/me/videos#v-${video.id}`} className="font-medium text-rose-600 hover:underline dark:text-rose-400">
                      Edit
                    </Link>
                  )}
                  {video.canEdit && video.status === 'ready' && <PosterFromFrame key={video.id} videoId={video.id} currentTimeS={currentTimeS} />}
                </p>
              </div>
              <nav aria-label="Gallery" className="flex shrink-0 items-center gap-1">
                {video.playback.download && (
                  <a
                    href={video.playback.download}
                    download
                    title="Download the original"
                    className="flex h-9 w-9 items-center justify-center rounded-full text-zinc-600 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-rose-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
                  >
                    <svg aria-hidden viewBox="0 0 20 20" className="h-5 w-5 fill-current">
                      <path d="M9 3h2v7.6l2.8-2.8 1.4 1.4L10 14.4 4.8 9.2l1.4-1.4L9 10.6V3ZM4 15h12v2H4v-2Z" />
                    </svg>
                    <span className="sr-only">Download</span>
                  </a>
                )}
                <ShareToggle
                  open={!!share}
                  controls={shareId}
                  onToggle={() => setShare((s) => (s ? null : { at: Math.floor(playerRef.current?.currentTime() ?? 0) }))}
                />
                <IconButton label="Previous video" disabled={!prev || switching} onClick={() => void goPrev()}>
                  <path d="M12.7 4.3 7 10l5.7 5.7 1.4-1.4L9.8 10l4.3-4.3-1.4-1.4Z" />
                </IconButton>
                <IconButton label="Next video" disabled={(!next && !canLoadMore) || switching} onClick={() => void goNext()}>
                  <path d="M7.3 4.3 13 10l-5.7 5.7-1.4-1.4L10.2 10 5.9 5.7l1.4-1.4Z" />
                </IconButton>
                <IconButton label="Close" onClick={close} testId="modal-close">
                  <path d="M5.7 4.3 10 8.6l4.3-4.3 1.4 1.4L11.4 10l4.3 4.3-1.4 1.4-4.3-4.3-4.3 4.3-1.4-1.4L8.6 10 4.3 5.7l1.4-1.4Z" />
                </IconButton>
              </nav>
            </div>
            {share && <SharePanel id={shareId} videoId={video.id} title={video.title} at={share.at} embeddable={video.visibility !== 'PRIVATE'} />}
            {video.description && <p className="max-h-40 overflow-y-auto text-sm whitespace-pre-line text-zinc-700 dark:text-zinc-300">{video.description}</p>}
          </div>
          {upNext.length > 0 && (
            <aside className="border-t border-zinc-200 xl:col-start-2 xl:row-span-2 xl:row-start-1 xl:max-h-[calc(100dvh-3rem)] xl:overflow-y-auto xl:border-t-0 xl:border-l dark:border-zinc-800">
              <UpNextList items={upNext} onOpen={(id) => void open(id)} />
            </aside>
          )}
        </div>
      </div>
    </div>
  )
}

function IconButton({
  label,
  onClick,
  disabled,
  children,
  testId,
}: {
  label: string
  onClick: () => void
  disabled?: boolean
  children: React.ReactNode
  testId?: string
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      data-testid={testId}
      className="flex h-9 w-9 items-center justify-center rounded-full text-zinc-600 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-rose-500 disabled:opacity-30 disabled:hover:bg-transparent dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <svg aria-hidden viewBox="0 0 20 20" className="h-5 w-5 fill-current">
        {children}
      </svg>
    </button>
  )
}

function trapFocus(e: KeyboardEvent, root: HTMLElement | null): void {
  if (!root) return
  const focusable = Array.from(
    root.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input, select, textarea, [tabindex]:not([tabindex="-1"])'),
  ).filter((el) => el.offsetParent !== null || el === document.activeElement)
  if (focusable.length === 0) return
  const first = focusable[0]
  const last = focusable[focusable.length - 1]
  const active = document.activeElement
  if (!root.contains(active)) {
    e.preventDefault()
    first.focus()
  } else if (e.shiftKey && (active === first || active === root)) {
    e.preventDefault()
    last.focus()
  } else if (!e.shiftKey && active === last) {
    e.preventDefault()
    first.focus()
  }
}
