'use client'

import { Dropzone } from './Dropzone'
import { UploadRow } from './UploadRow'
import { useTusUploads } from './useTusUploads'

/** The upload page: a drop target, the queue of files and their resumable uploads. */
export function Uploader() {
  const { items, update, addFiles, start, pause, remove } = useTusUploads()
  const staged = items.filter((i) => i.phase === 'staged')

  return (
    <div className="flex flex-col gap-6">
      <Dropzone onFiles={addFiles} />

      {staged.length > 1 && (
        <div className="flex justify-end">
          <button
            type="button"
            onClick={() => {
              for (const i of staged) void start(i.key)
            }}
            className="rounded-full bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-500 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
          >
            Upload all ({staged.length})
          </button>
        </div>
      )}

      {items.length > 0 && (
        <ul className="flex flex-col gap-4" aria-label="Files">
          {items.map((item) => (
            <li key={item.key}>
              <UploadRow
                item={item}
                onChange={(p) => update(item.key, p)}
                onStart={() => void start(item.key)}
                onPause={() => pause(item.key)}
                onRemove={() => remove(item.key)}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
