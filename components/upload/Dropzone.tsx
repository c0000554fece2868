'use client'

import { useId, useState } from 'react'

/** The drop target for video files, with a file input as its keyboard and touch path. */
export function Dropzone({ onFiles }: { onFiles: (files: FileList) => void }) {
  const [dragging, setDragging] = useState(false)
  const inputId = useId()
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: drop target only; the file input inside is the keyboard path
    <div
      onDragEnter={(e) => {
        e.preventDefault()
        setDragging(true)
      }}
      onDragOver={(e) => {
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node)) setDragging(false)
      }}
      onDrop={(e) => {
        e.preventDefault()
        setDragging(false)
        if (e.dataTransfer.files.length) onFiles(e.dataTransfer.files)
      }}
      data-testid="dropzone"
      className={`flex flex-col items-center justify-center gap-3 rounded-2xl border-2 border-dashed px-6 py-12 text-center transition-colors ${
        dragging ? 'border-rose-500 bg-rose-50 dark:bg-rose-950/30' : 'border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900/50'
      }`}
    >
      <span aria-hidden className="flex h-12 w-12 items-center justify-center rounded-2xl bg-gradient-to-br from-rose-500 to-orange-400 text-white shadow">
        <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6 fill-current">
          <path d="M11 16V7.8l-3.3 3.3-1.4-1.4L12 4l5.7 5.7-1.4 1.4L13 7.8V16h-2Zm-6 4v-5h2v3h10v-3h2v5H5Z" />
        </svg>
      </span>
      <p className="text-base font-medium">Drag and drop video files here</p>
      <p className="text-sm text-zinc-500">One or many; large files resume if the connection drops.</p>
      <label
        htmlFor={inputId}
        className="mt-2 cursor-pointer rounded-full bg-rose-600 px-4 py-2 text-sm font-medium text-white hover:bg-rose-500 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-rose-600"
      >
        Choose files
        <input
          id={inputId}
          type="file"
          accept="video/*,.mkv,.mov,.m4v,.ts,.mts"
          multiple
          className="sr-only"
          aria-label="Choose video files"
          onChange={(e) => {
            if (e.target.files?.length) onFiles(e.target.files)
            e.target.value = ''
          }}
        />
      </label>
    </div>
  )
}
