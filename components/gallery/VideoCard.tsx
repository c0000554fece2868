'use client'

import Link from 'next/link'
import { useState } from 'react'
import type { GalleryItem } from '@/lib/videos/gallery'
import { markOpen, preloadPlayer } from '@/components/player/preload'
import { useVideoStatus } from '@/components/player/useVideoStatus'
import { StatusBadge, VisibilityBadge } from './Badges'
import { formatAge, formatDuration, formatViews, hueOf } from './format'

export function VideoCard({ item, viewerId, eager = false }: { item: GalleryItem; viewerId: string | null; eager?: boolean }) {
  const own = !!viewerId && viewerId === item.owner.id
  const live = useVideoStatus(item.id, { status: item.status, contentHash: item.contentHash }, { enabled: own && item.status === 'processing', live: own })
  const [posterFailed, setPosterFailed] = useState(false)
  const poster = posterFailed ? null : (live.view?.playback.poster ?? item.poster)
  const duration = formatDuration(live.view?.durationMs ?? item.durationMs)
  const status = live.status
  const pct = Math.round(live.progress * 100)

  return (
    <Link
      href={`/videos/${item.id}`}
      scroll={false}
      prefetch={false}
      data-video-id={item.id}
      data-status={status}
      onClick={markOpen}
      onPointerEnter={preloadPlayer}
      onPointerDown={preloadPlayer}
      onFocus={preloadPlayer}
      aria-label={`${item.title}, by ${item.owner.name}${duration ? `, ${duration}` : ''}${status !== 'ready' ? `, ${status}` : ''}`}
      className="group block rounded-xl outline-none focus-visible:ring-2 focus-visible:ring-rose-500 focus-visible:ring-offset-4 focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950"
    >
      <div className="relative aspect-video overflow-hidden rounded-xl bg-zinc-200 dark:bg-zinc-800">
        {poster ? (
          // biome-ignore lint/performance/noImgElement: posters are stored media served with ranges and caching; no optimizer in front
          <img
            src={poster}
            alt=""
            width={640}
            height={360}
            loading={eager ? 'eager' : 'lazy'}
            fetchPriority={eager ? 'high' : 'auto'}
            decoding="async"
            onError={() => setPosterFailed(true)}
            className="absolute inset-0 h-full w-full object-cover transition-transform duration-300 group-hover:scale-[1.03]"
          />
        ) : (
          <div
            className="absolute inset-0 flex items-center justify-center bg-gradient-to-br from-zinc-300 to-zinc-200 dark:from-zinc-800 dark:to-zinc-900"
            aria-hidden
          >
            <svg aria-hidden viewBox="0 0 24 24" className="h-10 w-10 fill-zinc-400 dark:fill-zinc-600">
              <path d="M4 5h11a2 2 0 0 1 2 2v1.5l3.3-2.2A1 1 0 0 1 22 7.1v9.8a1 1 0 0 1-1.7.8L17 15.5V17a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2Z" />
            </svg>
          </div>
        )}
        <span className="pointer-events-none absolute inset-0 rounded-xl ring-1 ring-black/5 ring-inset dark:ring-white/5" aria-hidden />
        {duration && status === 'ready' && (
          <span className="absolute right-2 bottom-2 rounded bg-black/80 px-1.5 py-0.5 text-xs font-semibold text-white tabular-nums">{duration}</span>
        )}
        <StatusBadge status={status} progress={own ? live.progress : null} />
        {own && status === 'processing' && (
          <div
            className="absolute inset-x-0 bottom-0 h-1 bg-black/30"
            role="progressbar"
            aria-label={`Processing ${item.title}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <div className="h-full bg-rose-500 transition-[width] duration-700" style={{ width: `${pct}%` }} />
          </div>
        )}
      </div>
      <div className="mt-3 flex gap-3">
        <span
          aria-hidden
          className="mt-0.5 flex h-9 w-9 shrink-0 items-center justify-center rounded-full text-sm font-semibold text-white"
          style={{ backgroundColor: `hsl(${hueOf(item.owner.name)} 55% 45%)` }}
        >
          {item.owner.name.slice(0, 1).toUpperCase()}
        </span>
        <div className="min-w-0 flex-1">
          <h3 className="line-clamp-2 leading-snug font-medium text-zinc-900 group-hover:text-rose-600 dark:text-zinc-100 dark:group-hover:text-rose-400">
            {item.title}
          </h3>
          <p className="mt-0.5 truncate text-sm text-zinc-600 dark:text-zinc-400">{item.owner.name}</p>
          <p className="flex flex-wrap items-center gap-x-1.5 gap-y-1 text-sm text-zinc-500 dark:text-zinc-400">
            <span>{formatViews(item.views)}</span>
            <span aria-hidden>·</span>
            <time dateTime={item.createdAt} suppressHydrationWarning>
              {formatAge(item.createdAt)}
            </time>
            <VisibilityBadge visibility={item.visibility} />
          </p>
        </div>
      </div>
    </Link>
  )
}

export function CardSkeleton() {
  return (
    <div aria-hidden className="animate-pulse">
      <div className="aspect-video rounded-xl bg-zinc-200 dark:bg-zinc-800" />
      <div className="mt-3 flex gap-3">
        <div className="h-9 w-9 shrink-0 rounded-full bg-zinc-200 dark:bg-zinc-800" />
        <div className="flex-1 space-y-2 pt-1">
          <div className="h-4 w-5/6 rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-1/2 rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-2/3 rounded bg-zinc-200 dark:bg-zinc-800" />
        </div>
      </div>
    </div>
  )
}
