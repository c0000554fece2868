/** Shown while the modal's data loads, at the modal's final size so nothing jumps. */
export function ModalSkeleton() {
  return (
    <div className="fixed inset-0 z-50 overflow-y-auto bg-black/80 backdrop-blur-sm" role="status" aria-busy="true" aria-label="Loading video">
      <div className="flex min-h-full items-start justify-center p-0 sm:items-center sm:p-6">
        <div className="w-full max-w-[min(80rem,calc((100dvh-14rem)*16/9))] min-w-[min(100%,40rem)] overflow-hidden bg-white shadow-2xl sm:rounded-2xl dark:bg-zinc-900">
          <div className="aspect-video w-full animate-pulse bg-zinc-900" />
          <div className="space-y-2 p-4 sm:p-5">
            <div className="h-6 w-2/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-4 w-1/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          </div>
        </div>
      </div>
    </div>
  )
}
